#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: pd_spend of advisor ZZ, who does not exist
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row pd_spend.csv 'ZZ,2024-2025,2024-11-05,25.00,Boek'
