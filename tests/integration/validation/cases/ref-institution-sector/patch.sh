#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: sector XX does not exist
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row institutions.csv '012399,TST,Testschool,XX,true,100001,true,,'
