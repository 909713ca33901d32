#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: two new rows with the same key in goals.csv; the second is the duplicate
# (a composite key is reported on its first column)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row goals.csv '9.1,P1,Testdoel' '9.1,P3,Ander testdoel'
