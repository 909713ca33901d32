#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: KORT-1 has answers; its question relevant becomes open
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
# new_file FILE HEADER ROW... -- (re)create a dataset file of docs/IMPACT.md section 6
new_file() {
	local f=$1
	shift
	printf '%s\n' "$@" >"$f"
}
new_file questions.csv 'questionnaire,key,position,type,text,low,high' 'KORT-1,relevant,1,open,De sessie sloot aan bij de noden van onze school.,helemaal niet akkoord,helemaal akkoord'
