#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: school_year 2026-2028 does not span consecutive years
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row settings.csv '2026-2028,1185,contact,,false'
