#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: numbers never have thousands separators: 1.250,00 in a ;-delimited file
# (the other rows are the fixture's rows with decimal commas, i.e. unchanged)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
printf '%s\n' \
	'advisor;school_year;date;amount_eur;description' \
	'AN;2024-2025;2024-10-20;350,00;Congres evaluatie' \
	'BE;2024-2025;2025-02-02;120,50;Studiedag datageletterdheid' \
	'AN;2024-2025;2024-11-05;1.250,00;Boek' >pd_spend.csv
