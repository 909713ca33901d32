#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Store a planned FTE of 0.8 for AN (contract 1.0) in 2025-2026 before the faulty import.
set -eu
mkdir -p plan-src
printf '%s\n' 'advisor,school_year,line,fte' 'AN,2025-2026,P1,0.8' >plan-src/advisor_lines.csv
"$BEREIK" --db "$DB" import plan-src
