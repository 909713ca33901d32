#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: institution code Besturen equals a sector group name
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row institutions.csv '012399,Besturen,Testschool,SO,true,100001,true,,'
