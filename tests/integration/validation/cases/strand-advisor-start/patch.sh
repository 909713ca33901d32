#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: CE gets start date 2024-06-01, which strands the stored registrations
# r006 (2024-03-01) and r007 (2024-03-05); registrations.csv is left out of the dataset
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
replace_line advisors.csv 4 'CE,Cem Yilmaz,poc,0.5,2024-06-01,,T-POC'
rm registrations.csv
