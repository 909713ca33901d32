#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: school_year 2024 is not YYYY-YYYY
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row pd_spend.csv 'AN,2024,2024-11-05,25.00,Boek'
