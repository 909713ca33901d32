#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: line XX does not exist
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,2024-10-07,90,client,XX,,AN|BE,SAA|SAB,fysiek,,,meso,false,Testregistratie,12,,2,,,'
