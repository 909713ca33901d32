#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: amount_eur '12 EUR' is not a number
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row pd_spend.csv 'AN,2024-2025,2024-11-05,12 EUR,Boek'
