#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: institutions.csv holds only a new institution whose code 012345 is the
# number of a stored institution (stored, not in the file)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
printf '%s\n' 'number,code,name,sector,own,board,active,start,end' \
	'012399,012345,Testschool,SO,true,100001,true,,' >institutions.csv
