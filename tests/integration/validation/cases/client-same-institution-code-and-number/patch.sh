#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: SAA and 012345 are the same institution, named twice
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,2024-10-07,90,client,P3,3.2,AN|BE,SAA|012345,fysiek,,,meso,false,Testregistratie,12,,2,,,'
