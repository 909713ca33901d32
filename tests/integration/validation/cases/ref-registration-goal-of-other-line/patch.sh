#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: goal 3.2 belongs to P3, not to the registration's line P1
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,2024-10-07,90,client,P1,3.2,AN|BE,SAA|SAB,fysiek,,,meso,false,Testregistratie,12,,2,,,'
