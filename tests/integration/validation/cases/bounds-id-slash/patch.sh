#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: an id with '/' (such a registration could never be reached again)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r/900,2024-10-07,90,client,P3,3.2,AN|BE,SAA|SAB,fysiek,,,meso,false,Testregistratie,12,,2,,,'
