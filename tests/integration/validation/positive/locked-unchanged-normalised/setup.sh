#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Lock 2023-2024 in the database.
set -eu
. "$VLIB"
import_locked 2023-2024
