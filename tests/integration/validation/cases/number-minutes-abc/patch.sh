#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: minutes abc is not an integer
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,2024-10-07,abc,client,P3,3.2,AN|BE,SAA|SAB,fysiek,,,meso,false,Testregistratie,12,,2,,,'
