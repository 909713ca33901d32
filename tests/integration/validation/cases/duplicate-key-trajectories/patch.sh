#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: two new rows with the same key in trajectories.csv; the second is the duplicate
# (a composite key is reported on its first column)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row trajectories.csv 'T9,SAB,P3,3.2,meso,Doel,Plan,2024-09-01,,active' 'T9,SAA,P3,3.2,micro,Doel,Plan,2024-09-01,,active'
