#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: trajectory on line P1 with goal 3.2 of line P3
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row trajectories.csv 'T9,SAB,P1,3.2,meso,Doel,Plan,2024-09-01,,active'
