#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: institution start 2024-02-30 is not a calendar date
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row institutions.csv '012399,TST,Testschool,SO,true,100001,true,2024-02-30,'
