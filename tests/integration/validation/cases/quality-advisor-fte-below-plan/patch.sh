#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: AN's contract goes down to 0.5 FTE while 0.8 FTE of 2025-2026 is planned over the
# lines (docs/QUALITY.md)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
set_cell advisors.csv 2 fte 0.5
