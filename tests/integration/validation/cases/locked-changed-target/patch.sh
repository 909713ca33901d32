#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2024-2025 is locked; its leraren target changes 40 -> 45
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
lock_year 2024-2025
set_cell targets.csv 2 target 45
