#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: action step 101 (steps are 1..100)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
# new_file FILE HEADER ROW... -- (re)create a dataset file of docs/IMPACT.md section 6
new_file() {
	local f=$1
	shift
	printf '%s\n' "$@" >"$f"
}
new_file action_steps.csv 'trajectory,step,what,who,due,expected,done' 'T2,101,Klasbezoek plannen,werkgroep,2025-10-15,rooster,false'
