#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: two new rows with the same key in target_groups.csv; the second is the duplicate
# (a composite key is reported on its first column)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row target_groups.csv 'xyz,Testgroep,7' 'xyz,Andere testgroep,8'
