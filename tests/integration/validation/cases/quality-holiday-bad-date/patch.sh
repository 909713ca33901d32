#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a holiday starting on 2025-02-30 (docs/QUALITY.md)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
printf '%s\n' 'start,end,name' '2025-02-30,2025-03-01,Krokus' >holidays.csv
