#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: head count 2^63-1 (two of them once summed to a negative number)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,2024-10-07,90,client,P3,3.2,AN|BE,SAA|SAB,fysiek,,,meso,false,Testregistratie,9223372036854775807,,2,,,'
