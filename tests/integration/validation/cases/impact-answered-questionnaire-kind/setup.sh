#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Store answers on KORT-1 (survey S1 on T2) before the faulty import.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
rm -rf answers && mkdir answers
new_file() {
	local f=$1
	shift
	printf '%s\n' "$@" >"$f"
}
new_file answers/surveys.csv 'id,questionnaire,trajectory,registration,created,expires,max_answers' 'S1,KORT-1,T2,,2025-10-01,2025-10-15,30'
new_file answers/survey_answers.csv 'survey,response,question,score,text' 'S1,1,relevant,4,' 'S1,1,useful,5,'
"$BEREIK" --db "$DB" import answers
