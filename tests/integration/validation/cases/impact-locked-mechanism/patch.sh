#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2025-2026 is locked; a mechanism on r021 (2025-09-01)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
# new_file FILE HEADER ROW... -- (re)create a dataset file of docs/IMPACT.md section 6
new_file() {
	local f=$1
	shift
	printf '%s\n' "$@" >"$f"
}
lock_year 2025-2026
new_file mechanisms.csv 'registration,mechanism' 'r021,feedback'
