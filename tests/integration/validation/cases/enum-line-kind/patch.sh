#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: kind pilar (typo) is not pillar/project/other
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row lines.csv 'PX,Testlijn,pilar,pbd,8'
