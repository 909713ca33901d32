#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: goals.csv without its header row: the first data row is taken as header,
# so the required column code is missing
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
delete_line goals.csv 1
