#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a description with a control character (U+0001)
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
append_row registrations.csv "r900,2024-10-07,90,client,P3,3.2,AN|BE,SAA|SAB,fysiek,,,meso,false,$(printf 'Test\001'),12,,2,,,"
