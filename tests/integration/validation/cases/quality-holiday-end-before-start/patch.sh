#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a holiday ending before it starts (docs/QUALITY.md)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
printf '%s\n' 'start,end,name' '2025-10-31,2025-10-27,Herfst' >holidays.csv
