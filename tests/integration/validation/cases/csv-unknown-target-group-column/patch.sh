#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a count column tg.xyz for a target group that does not exist
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
add_column registrations.csv tg.xyz ''
