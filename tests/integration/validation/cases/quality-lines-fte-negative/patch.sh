#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: fte -0.2 (docs/QUALITY.md)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
printf '%s\n' 'advisor,school_year,line,fte' 'AN,2025-2026,P1,-0.2' >advisor_lines.csv
