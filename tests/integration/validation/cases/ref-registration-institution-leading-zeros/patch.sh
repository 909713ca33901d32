#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: institution 12345 does not exist: numbers are matched exactly,
# leading zeros kept (012345 exists)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,2024-10-07,90,client,P3,3.2,AN|BE,12345,fysiek,,,meso,false,Testregistratie,12,,2,,,'
