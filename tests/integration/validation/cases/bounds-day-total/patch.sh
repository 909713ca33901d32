#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: two registrations of advisor AN on one day, 800 + 800 = 1600 minutes, more
# than the 1440 minutes of a day; reported on the minutes of the day's last row
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r901,2024-01-15,800,client,P1,1.1,AN,SAA,fysiek,,,micro,,Test deel 1,4,,,,,'
append_row registrations.csv 'r902,2024-01-15,800,client,P1,1.1,AN,SAA,fysiek,,,micro,,Test deel 2,4,,,,,'
