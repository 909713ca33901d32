#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a holiday of more than 100 days (docs/QUALITY.md)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
printf '%s\n' 'start,end,name' '2025-06-01,2025-12-31,Te lang' >holidays.csv
