#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: the same advisor and day twice (docs/QUALITY.md)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
printf '%s\n' 'advisor,date,note' 'AN,2025-10-06,verlof' 'AN,2025-10-06,ziek' >days_off.csv
