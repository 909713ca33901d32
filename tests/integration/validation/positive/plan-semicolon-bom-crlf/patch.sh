#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# plan.csv as a Belgian spreadsheet saves it: UTF-8 BOM, ';' delimiter, decimal
# commas, CRLF line ends. Same values as the fixture, so nothing changes.
set -eu
printf '\357\273\277school_year;line;planned_fte;coloured_fte\r\n' >plan.csv
printf '%s\r\n' \
	'2023-2024;P1;1,00;' \
	'2023-2024;P3;0,50;' \
	'2024-2025;P1;1,20;0,40' \
	'2024-2025;P3;0,80;' \
	'2024-2025;P6;0,10;0,10' \
	'2024-2025;POC;0,20;' \
	'2024-2025;BI;0,05;' \
	'2024-2025;PRJ-EXC;0,15;' >>plan.csv
