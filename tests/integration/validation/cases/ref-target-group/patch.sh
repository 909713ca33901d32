#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: target for target group xyz, which does not exist
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row targets.csv '2025-2026,xyz,10'
