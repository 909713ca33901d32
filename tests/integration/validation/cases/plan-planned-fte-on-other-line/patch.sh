#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: planned FTE on MOD-SO, a line of kind other
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row plan.csv '2025-2026,MOD-SO,0.5,'
