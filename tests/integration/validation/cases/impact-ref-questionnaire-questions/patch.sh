#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a question of an unknown questionnaire NOPE-1
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
# new_file FILE HEADER ROW... -- (re)create a dataset file of docs/IMPACT.md section 6
new_file() {
	local f=$1
	shift
	printf '%s\n' "$@" >"$f"
}
new_file questions.csv 'questionnaire,key,position,type,text,low,high' 'NOPE-1,q1,1,scale,Een vraag,laag,hoog'
