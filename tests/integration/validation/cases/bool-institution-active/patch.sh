#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: active=2 is not a boolean
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row institutions.csv '012399,TST,Testschool,SO,true,100001,2,,'
