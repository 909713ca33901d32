#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: school_year 2025 is not YYYY-YYYY
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row targets.csv '2025,leraren,10'
