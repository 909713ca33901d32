#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: trajectory start 2024-9-1 is not YYYY-MM-DD
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row trajectories.csv 'T9,SAB,P3,3.2,meso,Doel,Plan,2024-9-1,,active'
