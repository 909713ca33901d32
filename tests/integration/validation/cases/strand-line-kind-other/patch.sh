#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: P6 becomes kind other while the stored plan of 2024-2025 gives it 0.10
# planned and coloured FTE; plan.csv is left out of the dataset
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
replace_line lines.csv 4 'P6,Pijler 6 - DATA,other,pbd,3'
rm plan.csv
