#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: two new rows with the same key in institutions.csv; the second is the duplicate
# (a composite key is reported on its first column)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row institutions.csv '012399,TST1,Testschool,SO,true,100001,true,,' '012399,TST2,Andere testschool,SO,true,100001,true,,'
