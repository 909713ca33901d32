#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: school year 2025-2027 (docs/QUALITY.md)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
printf '%s\n' 'advisor,school_year,line,fte' 'AN,2025-2027,P1,0.2' >advisor_lines.csv
