#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The whole test suite: installs what is missing, starts a throwaway PostgreSQL
# cluster, then builds and runs every test (unit, integration and validation on SQLite
# and on PostgreSQL, engine equivalence, benchmark smoke, lint) twice: in the normal
# build and in the sanitizer build (AddressSanitizer + UndefinedBehaviorSanitizer).
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh || exit 1
jobs=$(nproc)
shared=${SHARED_DIR:-$(cd .. && pwd)/shared}
total_pass=0
total_fail=0
run_build() { # dir, extra cmake flags...
  local dir=$1
  shift
  echo "== build $dir"
  cmake -S . -B "$dir" -DSHARED_DIR="$shared" "$@" >/dev/null || return 1
  make -C "$dir" -j"$jobs" --no-print-directory >/dev/null || { make -C "$dir" --no-print-directory 2>&1 | tail -30; return 1; }
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
# As root (CI) the server runs as the unprivileged postgres user.
pg_dir=
pg_run=()
pg_stop() {
  [ -n "$pg_dir" ] || return 0
  "${pg_run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$pg_dir"
}
pg_start() {
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$pg_bin/initdb" ] || { echo "PostgreSQL server not found (Debian package postgresql)"; return 1; }
  pg_dir=$(mktemp -d /tmp/bereik-pg.XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$pg_dir"
    pg_run=(runuser -u postgres --)
  fi
  "${pg_run[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U bereik --auth=trust -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 ||
    { cat "$pg_dir/initdb.log"; return 1; }
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    if "${pg_run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -t 60 -l "$pg_dir/server.log" \
      -o "-k $pg_dir -h 127.0.0.1 -p $port -c fsync=off -c full_page_writes=off -c max_connections=60" start >/dev/null; then
      export BEREIK_TEST_PG="postgresql://bereik@127.0.0.1:$port"
      echo "== PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throwaway cluster in $pg_dir)"
      return 0
    fi
  done
  cat "$pg_dir/server.log"
  return 1
}
trap pg_stop EXIT
pg_start || { echo "0 passed, 1 failed"; exit 1; }

run_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_build build-asan -DCMAKE_BUILD_TYPE=Debug -DBEREIK_SANITIZE=ON
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
