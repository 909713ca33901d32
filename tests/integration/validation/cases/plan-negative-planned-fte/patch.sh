#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: planned_fte -0.5
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row plan.csv '2025-2026,P1,-0.5,'
