#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2023-2024 is locked; a new registration dated 2023-10-10
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
lock_year 2023-2024
append_row registrations.csv 'r900,2023-10-10,60,internal,P3,,AN,,,preparation,,,,Testregistratie,,,,,,'
