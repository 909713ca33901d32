#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: coloured_fte -0.1
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row plan.csv '2025-2026,P1,0.5,-0.1'
