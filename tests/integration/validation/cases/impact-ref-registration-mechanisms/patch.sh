#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: mechanisms.csv names an unknown registration r999
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
# new_file FILE HEADER ROW... -- (re)create a dataset file of docs/IMPACT.md section 6
new_file() {
	local f=$1
	shift
	printf '%s\n' "$@" >"$f"
}
new_file mechanisms.csv 'registration,mechanism' 'r999,feedback'
