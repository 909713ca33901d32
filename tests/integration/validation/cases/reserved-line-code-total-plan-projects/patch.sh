#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: line code total_plan_projects collides with a total row of the facts
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row lines.csv 'total_plan_projects,Testlijn,pillar,pbd,8'
