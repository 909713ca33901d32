#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: advisor in team T-XX, which does not exist
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row advisors.csv 'DV,Dirk Vos,begeleider,0.5,,,T-XX'
