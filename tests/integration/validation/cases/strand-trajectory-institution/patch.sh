#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: T1 moves from SAA to SAB while the stored registrations r005 and r011,
# linked to T1, name only SAA; those rows are taken out of the file (stored, not in the file)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
replace_line trajectories.csv 2 'T1,SAB,P3,3.2,meso,Gedeelde visie op evaluatie,Q1 analyse; Q2 pilots; rollen: directie+werkgroep; resultaat: evaluatiebeleid,2023-09-01,2025-06-30,active'
# r011 is line 12 and r005 line 6: delete the later one first
delete_line registrations.csv 12
delete_line registrations.csv 6
