#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: hours_per_fte 1185h is not a number
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row settings.csv '2026-2027,1185h,contact,,false'
