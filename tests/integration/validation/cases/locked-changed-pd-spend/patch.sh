#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2024-2025 is locked; AN's spend changes 350.00 -> 360.00
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
lock_year 2024-2025
set_cell pd_spend.csv 2 amount_eur 360.00
