#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: plan.csv without its required planned_fte column
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
drop_column plan.csv planned_fte
