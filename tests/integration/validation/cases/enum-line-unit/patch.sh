#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: unit pbx is not pbd/poc
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row lines.csv 'PX,Testlijn,pillar,pbx,8'
