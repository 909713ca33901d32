#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: KORT-1 has answers; its kind changes from short to long
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
# new_file FILE HEADER ROW... -- (re)create a dataset file of docs/IMPACT.md section 6
new_file() {
	local f=$1
	shift
	printf '%s\n' "$@" >"$f"
}
new_file questionnaires.csv 'code,kind,version,title,active' 'KORT-1,long,1,Korte termijn: na de sessie,true'
