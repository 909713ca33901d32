#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2023-2024 is locked; its plan row for P1 changes 1.00 -> 1.10
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
lock_year 2023-2024
set_cell plan.csv 2 planned_fte 1.10
