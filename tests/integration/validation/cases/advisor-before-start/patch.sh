#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: CE starts 2024-01-01; a registration of CE on 2023-12-15
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv 'r900,2023-12-15,90,client,POC,,CE,LLA,helpdesk,,,,false,Testregistratie,,,,,1,'
