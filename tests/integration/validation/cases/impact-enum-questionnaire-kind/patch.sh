#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a questionnaire of kind 'medium' (short or long)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
# new_file FILE HEADER ROW... -- (re)create a dataset file of docs/IMPACT.md section 6
new_file() {
	local f=$1
	shift
	printf '%s\n' "$@" >"$f"
}
new_file questionnaires.csv 'code,kind,version,title,active' 'KORT-2,medium,2,Korte termijn versie 2,true'
