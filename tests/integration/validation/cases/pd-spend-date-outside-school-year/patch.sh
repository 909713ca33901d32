#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2025-09-01 is in 2025-2026, not in the row's school_year 2024-2025
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row pd_spend.csv 'AN,2024-2025,2025-09-01,25.00,Boek'
