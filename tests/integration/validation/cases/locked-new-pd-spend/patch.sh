#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2024-2025 is locked; a new pd_spend row in it
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
lock_year 2024-2025
append_row pd_spend.csv 'AN,2024-2025,2024-11-05,25.00,Boek'
