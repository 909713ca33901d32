#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: goal of line PX, which does not exist
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row goals.csv '9.1,PX,Testdoel'
