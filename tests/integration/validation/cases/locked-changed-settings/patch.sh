#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2023-2024 is locked; its hours_per_fte changes 1186 -> 1190 (locked stays true)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
lock_year 2023-2024
set_cell settings.csv 2 hours_per_fte 1190
