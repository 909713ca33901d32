#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: school_year 25-26 is not YYYY-YYYY
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row plan.csv '25-26,P1,0.5,'
