#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a new institution with the code SAA of another institution (codes are unique)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row institutions.csv '012399,SAA,Testschool,SO,true,100001,true,,'
