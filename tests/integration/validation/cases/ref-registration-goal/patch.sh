#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: goal 9.9 does not exist
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,2024-10-07,90,client,P3,9.9,AN|BE,SAA|SAB,fysiek,,,meso,false,Testregistratie,12,,2,,,'
