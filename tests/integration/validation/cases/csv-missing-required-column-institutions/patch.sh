#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: institutions.csv without its required code column
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
drop_column institutions.csv code
