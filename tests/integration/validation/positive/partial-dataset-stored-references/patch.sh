#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# A dataset with only registrations.csv holding one new registration: its line,
# goal, advisors, institutions (one by number, one by code) and trajectory are
# stored rows, not in the files, and references to them are valid.
set -eu
for f in *.csv; do
	[ "$f" = registrations.csv ] || rm -f "$f"
done
printf '%s\n' \
	'id,date,minutes,kind,line,goal,advisors,institutions,modality,trajectory,level,followup,tg.leraren' \
	'r900,2024-10-07,90,client,P3,3.2,AN|BE,012345|SAB,fysiek,T1,meso,true,12' >registrations.csv
