#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: registrations.csv without its required minutes column
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
drop_column registrations.csv minutes
