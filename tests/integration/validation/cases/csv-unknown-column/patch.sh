#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: a misspelt header (descripton): unknown columns are an error
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
rename_column registrations.csv description descripton
