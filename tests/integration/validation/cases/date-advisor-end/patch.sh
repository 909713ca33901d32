#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: advisor end 2025-06-31 is not a calendar date
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row advisors.csv 'DV,Dirk Vos,begeleider,0.5,,2025-06-31,T-KLO'
