#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: team works on line PX, which does not exist
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row teams.csv 'T-TST,Testteam,P1|PX'
