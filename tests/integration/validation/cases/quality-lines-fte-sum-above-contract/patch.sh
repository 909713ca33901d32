#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: AN (1.0 FTE) planned 0.6 + 0.6 in 2025-2026 (docs/QUALITY.md)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
printf '%s\n' 'advisor,school_year,line,fte' 'AN,2025-2026,P1,0.6' 'AN,2025-2026,P3,0.6' >advisor_lines.csv
