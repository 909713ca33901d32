#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a decimal comma (quoted "0,5") is only accepted when the delimiter is ;
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row plan.csv '2025-2026,P1,"0,5",'
