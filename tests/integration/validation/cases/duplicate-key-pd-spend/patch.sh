#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: two new rows with the same key in pd_spend.csv; the second is the duplicate
# (a composite key is reported on its first column)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row pd_spend.csv 'AN,2024-2025,2024-11-05,25.00,Boek' 'AN,2024-2025,2024-11-05,30.00,Boek'
