#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: registrations.csv without its required minutes column
set -eu
. "$VLIB"
drop_column registrations.csv minutes
