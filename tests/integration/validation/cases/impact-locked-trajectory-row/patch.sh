#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2024-2025 is locked; T1 (ended 2025-06-30) changes its shared goal
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
# new_file FILE HEADER ROW... -- (re)create a dataset file of docs/IMPACT.md section 6
new_file() {
	local f=$1
	shift
	printf '%s\n' "$@" >"$f"
}
lock_year 2024-2025
set_cell trajectories.csv 2 shared_goal 'Een andere visie op evaluatie'
