#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: head count 10001 (at most 10000 per target group)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,2024-10-07,90,client,P3,3.2,AN|BE,SAA|SAB,fysiek,,,meso,false,Testregistratie,10001,,2,,,'
