#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: an advisor name with a byte that is not UTF-8
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row advisors.csv "ZZ,$(printf 'Z\377'),begeleider,1,,,"
