#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: own=yes is not a boolean (true/false, ja/nee, 1/0 only)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row institutions.csv '012399,TST,Testschool,SO,yes,100001,true,,'
