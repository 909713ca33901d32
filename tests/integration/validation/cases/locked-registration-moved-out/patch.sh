#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2023-2024 is locked; r001 moves from 2023-09-12 (stored date, locked)
# to 2024-09-12 (open)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
lock_year 2023-2024
set_cell registrations.csv 2 date 2024-09-12
