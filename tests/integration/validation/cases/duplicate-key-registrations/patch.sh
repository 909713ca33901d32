#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: two new rows with the same key in registrations.csv; the second is the duplicate
# (a composite key is reported on its first column)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,2024-10-07,90,client,P3,3.2,AN|BE,SAA|SAB,fysiek,,,meso,false,Testregistratie,12,,2,,,' 'r900,2024-10-07,60,client,P3,3.2,AN|BE,SAA|SAB,fysiek,,,meso,false,Testregistratie,12,,2,,,'
