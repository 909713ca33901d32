#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a registration dated 9999-12-31 (issue 13: it once hung every worker)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,9999-12-31,90,client,P3,3.2,AN|BE,SAA|SAB,fysiek,,,meso,false,Testregistratie,12,,2,,,'
