#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: an id with a carriage return and line feed in it
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv "$(printf '"r9\r\n00"'),2024-10-07,90,client,P3,3.2,AN|BE,SAA|SAB,fysiek,,,meso,false,Testregistratie,12,,2,,,"
