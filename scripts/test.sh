#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The whole test suite: installs what is missing, starts a throwaway PostgreSQL
# cluster, then builds and runs every test (unit, integration and validation on SQLite
# and on PostgreSQL, engine equivalence, benchmark smoke, lint) twice: in the normal
# (Release) build and in the sanitizer build (AddressSanitizer + UndefinedBehaviorSanitizer); then
# the libFuzzer targets, each for BEREIK_FUZZ_SECONDS (default 90) in a clang build.
# Every build treats warnings as errors (-DBEREIK_WERROR=ON).
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test || exit 1
# npm packages of the browser tests, exactly as the lockfile says
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >/dev/null || { echo "npm ci failed"; exit 1; }
fi
jobs=$(nproc)
shared=${SHARED_DIR:-$(cd .. && pwd)/shared}
total_pass=0
total_fail=0
run_build() { # dir, extra cmake flags...
  local dir=$1
  shift
  echo "== build $dir"
  # a build that does not configure or compile counts as a failure (its tests never ran)
  cmake -S . -B "$dir" -DSHARED_DIR="$shared" "$@" >/dev/null || { echo "== $dir: cmake failed"; total_fail=$((total_fail + 1)); return 1; }
  make -C "$dir" -j"$jobs" --no-print-directory >/dev/null || {
    make -C "$dir" --no-print-directory 2>&1 | tail -30
    echo "== $dir: the build failed"
    total_fail=$((total_fail + 1))
    return 1
  }
  echo "== tests in $dir"
  (cd "$dir" && ctest --output-on-failure -j"$jobs" 2>&1) | tee "$dir/ctest.log"
  local p f
  p=$(grep -Eo '[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$dir/ctest.log" | tail -1)
  f=$(echo "$p" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+)/\1/')
  local n
  n=$(echo "$p" | sed -E 's/.* out of ([0-9]+)/\1/')
  [ -n "$n" ] || { total_fail=$((total_fail + 1)); return 1; }
  total_pass=$((total_pass + n - f))
  total_fail=$((total_fail + f))
}
# A throwaway PostgreSQL cluster on 127.0.0.1 for the tests that run on both engines.
. scripts/pg-cluster.sh
trap pg_stop EXIT
pg_start || { echo "0 passed, 1 failed"; exit 1; }

run_build build -DCMAKE_BUILD_TYPE=Release -DBEREIK_WERROR=ON
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_build build-asan -DCMAKE_BUILD_TYPE=Debug -DBEREIK_SANITIZE=ON -DBEREIK_WERROR=ON
run_build build-fuzz -DCMAKE_C_COMPILER=clang -DBEREIK_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBEREIK_WERROR=ON \
  -DBEREIK_FUZZ_SECONDS="${BEREIK_FUZZ_SECONDS:-90}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
