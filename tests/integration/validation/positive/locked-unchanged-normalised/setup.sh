#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Lock 2023-2024 in the database.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
import_locked 2023-2024
