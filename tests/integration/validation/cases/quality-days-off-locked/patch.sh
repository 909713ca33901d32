#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2025-2026 is locked; a new day off on 2025-10-06 (docs/QUALITY.md)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
lock_year 2025-2026
printf '%s\n' 'advisor,date,note' 'AN,2025-10-06,verlof' >days_off.csv
