#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: activity sleeping is not a known activity
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,2024-10-08,60,internal,P3,,AN,,,sleeping,,,,Testregistratie,,,,,,'
