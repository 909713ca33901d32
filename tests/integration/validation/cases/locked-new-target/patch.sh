#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2023-2024 is locked; a new target row for it
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
lock_year 2023-2024
append_row targets.csv '2023-2024,leraren,30'
