#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: institutions.csv without its required code column
set -eu
. "$VLIB"
drop_column institutions.csv code
