#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: trajectory on line PX, which does not exist
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row trajectories.csv 'T9,SAB,PX,,meso,Doel,Plan,2024-09-01,,active'
