#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a new advisor DV who ended 2024-06-30 (a valid row) and a registration of DV on 2024-10-07
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row advisors.csv 'DV,Dirk Vos,begeleider,0.5,,2024-06-30,T-KLO'
append_row registrations.csv 'r900,2024-10-07,90,client,P3,3.2,DV,SAA|SAB,fysiek,,,meso,false,Testregistratie,12,,2,,,'
