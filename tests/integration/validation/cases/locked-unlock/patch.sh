#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Fault: 2023-2024 is locked in the database; the dataset says locked=false for it
# (the unmodified fixture does): reopening is an admin action, not an import
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
set_cell settings.csv 2 locked false
