#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: institution code total collides with the total row of the facts
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row institutions.csv '012399,total,Testschool,SO,true,100001,true,,'
