#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: an internal registration has no follow-up (followup=true)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,2024-10-08,60,internal,P3,,AN,,,preparation,,,true,Testregistratie,,,,,,'
