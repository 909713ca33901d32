#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: position first is not a number
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row sectors.csv 'TST,Testsector,,first'
