#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a row at the end of registrations.csv repeats the id r003 of line 4 (the ids
# before it came in order, so the duplicate is the first id out of order)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r003,2024-10-07,90,internal,P3,,AN,,,preparation,,,,Voorbereiding bis,,,,,,'
