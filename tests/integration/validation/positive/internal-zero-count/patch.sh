#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# A new internal registration with a count of 0 (DATA-FORMAT.md 1: an empty
# cell or 0 count is fine on an internal registration).
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,2024-10-08,60,internal,P3,,AN,,,preparation,,,,Voorbereiding,0,,,,,'
