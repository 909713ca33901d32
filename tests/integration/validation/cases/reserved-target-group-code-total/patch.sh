#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: target group code total collides with the total row of the facts
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row target_groups.csv 'total,Totaal,7'
