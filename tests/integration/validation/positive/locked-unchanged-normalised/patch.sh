#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# 2023-2024 is locked. Rows of that year written differently but with the same
# normalised values are not a change (DATA-FORMAT.md 1: list order and number
# vs code do not count), so the import succeeds and changes nothing.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
lock_year 2023-2024
# r001: SAA by its number
set_cell registrations.csv 2 institutions 012345
# r002: advisors and institutions in the other order, institutions by number
set_cell registrations.csv 3 advisors 'BE|AN'
set_cell registrations.csv 3 institutions '012346|012345'
# plan 2023-2024 P1: 1.00 written as 1
set_cell plan.csv 2 planned_fte 1
