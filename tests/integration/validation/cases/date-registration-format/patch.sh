#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 07/10/2024 is not YYYY-MM-DD
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,07/10/2024,90,client,P3,3.2,AN|BE,SAA|SAB,fysiek,,,meso,false,Testregistratie,12,,2,,,'
