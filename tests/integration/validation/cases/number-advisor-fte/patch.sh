#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: fte 1.0.0 is not a number
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row advisors.csv 'DV,Dirk Vos,begeleider,1.0.0,,,T-KLO'
