#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: plan row for line PX, which does not exist
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row plan.csv '2025-2026,PX,0.5,'
