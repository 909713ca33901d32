#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: trajectory status paused is not planned/active/closed
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row trajectories.csv 'T9,SAB,P3,3.2,meso,Doel,Plan,2024-09-01,,paused'
