#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: amount_eur -25.00
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row pd_spend.csv 'AN,2024-2025,2024-11-05,-25.00,Boek'
