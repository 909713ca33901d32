#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: the same start date twice (docs/QUALITY.md)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
printf '%s\n' 'start,end,name' '2025-10-10,2025-10-10,Testdag' '2025-10-10,2025-10-11,Testdagen' >holidays.csv
