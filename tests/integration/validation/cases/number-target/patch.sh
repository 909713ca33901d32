#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: target veel is not a number
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row targets.csv '2025-2026,leraren,veel'
