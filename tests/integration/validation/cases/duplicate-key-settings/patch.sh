#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: two new rows with the same key in settings.csv; the second is the duplicate
# (a composite key is reported on its first column)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row settings.csv '2026-2027,1185,contact,,false' '2026-2027,1190,contact,,false'
