#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: board 777777 does not exist
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row institutions.csv '012399,TST,Testschool,SO,true,777777,true,,'
