#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a day off on 2025-13-01 (docs/QUALITY.md)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
printf '%s\n' 'advisor,date,note' 'AN,2025-13-01,' >days_off.csv
