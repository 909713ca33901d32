#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: pd_spend date 2024-11-31 is not a calendar date
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row pd_spend.csv 'AN,2024-2025,2024-11-31,25.00,Boek'
