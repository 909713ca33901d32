#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: CE gets end date 2024-06-30, which strands the stored registrations
# r013 (2024-10-15) and r016 (2024-12-03); those rows are taken out of the file
# (stored, not in the file)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
replace_line advisors.csv 4 'CE,Cem Yilmaz,poc,0.5,2024-01-01,2024-06-30,T-POC'
# r016 is line 17 and r013 line 14: delete the later one first
delete_line registrations.csv 17
delete_line registrations.csv 14
