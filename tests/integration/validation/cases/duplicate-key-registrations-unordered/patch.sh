#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: new ids out of order (r950, then r940) and then r940 again: the duplicate of a
# row that came after the ids stopped being in order
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r950,2024-10-07,90,internal,P3,,AN,,,preparation,,,,Test 1,,,,,,' \
  'r940,2024-10-08,90,internal,P3,,AN,,,preparation,,,,Test 2,,,,,,' \
  'r940,2024-10-09,90,internal,P3,,AN,,,preparation,,,,Test 3,,,,,,'
