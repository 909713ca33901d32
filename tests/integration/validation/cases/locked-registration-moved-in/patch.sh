#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2023-2024 is locked; r009 moves from 2024-09-10 (open) to 2023-09-11
# (new date, locked)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
lock_year 2023-2024
set_cell registrations.csv 10 date 2023-09-11
