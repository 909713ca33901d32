#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a line code of 65 characters (at most 64)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row lines.csv "$(printf 'L%064d' 1),Lijn,project,pbd,9"
