#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: an id of 65 characters
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv "$(printf 'r%064d' 9),2024-10-07,90,client,P3,3.2,AN|BE,SAA|SAB,fysiek,,,meso,false,Testregistratie,12,,2,,,"
