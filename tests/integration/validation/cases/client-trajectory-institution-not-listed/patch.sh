#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: trajectory T1 is with SAA, but the registration names only SAB
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,2024-10-07,90,client,P3,3.2,AN|BE,SAB,fysiek,,T1,meso,true,Testregistratie,12,,2,,,'
