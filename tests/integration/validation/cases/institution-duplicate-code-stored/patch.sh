#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: institutions.csv holds only a new institution whose code SAA is the
# code of a stored institution (stored, not in the file)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
printf '%s\n' 'number,code,name,sector,own,board,active,start,end' \
	'012399,SAA,Testschool,SO,true,100001,true,,' >institutions.csv
