#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a description of 2001 characters (at most 2000)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv "r900,2024-10-07,90,client,P3,3.2,AN|BE,SAA|SAB,fysiek,,,meso,false,$(printf 'é%.0s' $(seq 2001)),12,,2,,,"
