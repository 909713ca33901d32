#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: goal 6.1 moves from P6 to P3 while the stored registration r010 (line P6)
# uses it; r010 is taken out of the file (stored, not in the file)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
replace_line goals.csv 4 '6.1,P3,Datageletterdheid'
# r010 is line 11
delete_line registrations.csv 11
