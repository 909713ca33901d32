#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: role boss is not a known role
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row advisors.csv 'DV,Dirk Vos,boss,0.5,,,T-KLO'
