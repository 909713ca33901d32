#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2025-2026 is locked; a new holiday on 2025-10-10 (docs/QUALITY.md)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
lock_year 2025-2026
printf '%s\n' 'start,end,name' '2025-10-10,2025-10-10,Testdag' >holidays.csv
