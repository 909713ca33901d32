#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
#
# Quick benchmark for CI: bench/run.sh with 20,000 registrations, the generated dataset
# checked first, and nothing written to docs/PERFORMANCE.md. Exits non-zero if the
# dataset is invalid, if init, import or report fails, or if the report's facts differ
# from the hand-written SQL. Takes a few seconds (well under a minute).
#
# usage: bench/smoke.sh [extra bench/run.sh options]
set -euo pipefail
exec "$(dirname "$0")/run.sh" --registrations 20000 --no-doc --check-dataset "$@"
