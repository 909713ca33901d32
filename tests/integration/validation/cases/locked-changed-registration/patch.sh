#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2023-2024 is locked; r001 (2023-09-12) changes its minutes 120 -> 90
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
lock_year 2023-2024
set_cell registrations.csv 2 minutes 90
