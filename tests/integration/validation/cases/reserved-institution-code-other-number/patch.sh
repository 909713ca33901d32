#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: institution code 012345 equals the number of another institution (SAA)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row institutions.csv '012399,012345,Testschool,SO,true,100001,true,,'
