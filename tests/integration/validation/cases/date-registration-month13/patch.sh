#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2024-13-01 is not a calendar date
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,2024-13-01,90,client,P3,3.2,AN|BE,SAA|SAB,fysiek,,,meso,false,Testregistratie,12,,2,,,'
