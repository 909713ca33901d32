#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Runs the browser tests with node's test runner; on PostgreSQL only when a server is
# given (BEREIK_TEST_PG, started by scripts/test.sh), else exits 77 (skipped).
set -u
if [ "${BEREIK_TEST_ENGINE:-sqlite}" = postgresql ] && [ -z "${BEREIK_TEST_PG:-}" ]; then
  echo "skipped: BEREIK_TEST_PG is not set"
  exit 77
fi
cd "$(dirname "$0")/../.."
[ -d node_modules/playwright-core ] || { echo "node_modules missing: run npm ci"; exit 1; }
exec node --test "${@:-tests/e2e/}"
