#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a score 6 on scale question relevant (1..5)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
# new_file FILE HEADER ROW... -- (re)create a dataset file of docs/IMPACT.md section 6
new_file() {
	local f=$1
	shift
	printf '%s\n' "$@" >"$f"
}
new_file surveys.csv 'id,questionnaire,trajectory,registration,created,expires,max_answers' 'S1,KORT-1,T2,,2025-10-01,2025-10-15,30'
new_file survey_answers.csv 'survey,response,question,score,text' 'S1,1,relevant,6,'
