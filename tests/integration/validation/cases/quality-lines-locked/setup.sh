#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Lock the school year in the database before the faulty import.
set -eu
# shellcheck source-path=SCRIPTDIR source=../../lib.sh
. "$VLIB"
import_locked 2025-2026
