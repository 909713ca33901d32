#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: an institution name of 201 characters (at most 200)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row institutions.csv "999001,ZZZ,$(printf 'x%.0s' $(seq 201)),SO,true,,true,,"
