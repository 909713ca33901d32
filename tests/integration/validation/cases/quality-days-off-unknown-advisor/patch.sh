#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a day off of an unknown advisor (docs/QUALITY.md)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
printf '%s\n' 'advisor,date,note' 'ZZ,2025-10-06,verlof' >days_off.csv
