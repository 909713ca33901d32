#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Exactly 1440 minutes for one advisor on one day (800 + 640) is accepted.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r901,2024-01-15,800,client,P1,1.1,AN,SAA,fysiek,,,micro,,Test deel 1,4,,,,,'
append_row registrations.csv 'r902,2024-01-15,640,client,P1,1.1,AN,SAA,fysiek,,,micro,,Test deel 2,4,,,,,'
