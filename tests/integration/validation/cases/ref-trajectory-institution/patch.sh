#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: trajectory with institution XXX, which does not exist
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row trajectories.csv 'T9,XXX,P3,3.2,meso,Doel,Plan,2024-09-01,,active'
