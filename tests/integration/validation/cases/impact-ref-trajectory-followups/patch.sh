#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: followups.csv names an unknown trajectory TX
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
# new_file FILE HEADER ROW... -- (re)create a dataset file of docs/IMPACT.md section 6
new_file() {
	local f=$1
	shift
	printf '%s\n' "$@" >"$f"
}
new_file followups.csv 'id,trajectory,date,note,next_step,registration' 'F1,TX,2025-10-01,Gesprek met de directie,,'
