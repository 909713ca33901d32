#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: school_year 2026/2027 is not YYYY-YYYY
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row settings.csv '2026/2027,1185,contact,,false'
