#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# PostgreSQL beside SQLite: times init, import and the five-year report of the same
# generated dataset on both engines (a throwaway, durable PostgreSQL cluster on
# 127.0.0.1, fsync on; SQLite with synchronous=FULL), checks that both give the same
# facts, and writes the figures into docs/PERFORMANCE.md (section "PostgreSQL").
# usage: bench/run-pg.sh [--registrations N] [--no-doc]
set -euo pipefail
cd "$(dirname "$0")/.."
n=1000000
doc=1
while [ $# -gt 0 ]; do
  case $1 in
  --registrations) n=$2; shift 2 ;;
  --no-doc) doc=0; shift ;;
  *) echo "usage: bench/run-pg.sh [--registrations N] [--no-doc]" >&2; exit 2 ;;
  esac
done
bin=${BEREIK_BIN:-build/bereik}
[ -x "$bin" ] || { echo "build/bereik not found: build first" >&2; exit 1; }
export BEREIK_PG_OPTS=""
. scripts/pg-cluster.sh
tmp=$(mktemp -d)
trap 'pg_stop; rm -rf "$tmp"' EXIT
pg_start >/dev/null
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.3f}')"; }

python3 bench/gen-dataset.py --registrations "$n" --seed 1 "$tmp/data" >/dev/null
psql "$BEREIK_TEST_PG/postgres" -qc "CREATE DATABASE bench"
pg="$BEREIK_TEST_PG/bench"
lite="$tmp/bench.db"
declare -A t
for e in sqlite postgresql; do
  db=$lite
  [ $e = postgresql ] && db=$pg
  a=$(now); "$bin" --db "$db" init; b=$(now); t[$e.init]=$(secs "$a" "$b")
  a=$(now); "$bin" --db "$db" import "$tmp/data" 2>/dev/null; b=$(now); t[$e.import]=$(secs "$a" "$b")
  best=
  for _ in 1 2 3; do
    a=$(now); "$bin" --db "$db" report --format csv -o "$tmp/$e.csv"; b=$(now)
    s=$(secs "$a" "$b")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $s < $best else 1)"; then best=$s; fi
  done
  t[$e.report]=$best
done
agree=$(../shared/tools/facts-diff "$tmp/sqlite.csv" "$tmp/postgresql.csv" | tail -1)
rate() { python3 -c "print(f'{$n / $1:,.0f}')"; }
pgver=$(psql "$pg" -Atc "SHOW server_version")
table=$(cat <<TABLE
<!-- bench:pg:begin -->
## PostgreSQL beside SQLite

Same machine, same generated dataset ($n registrations, 5 school years, seed 1), run by
\`bench/run-pg.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') at commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ", with uncommitted changes").
PostgreSQL $pgver in a throwaway cluster on 127.0.0.1 with its default durability (fsync on);
SQLite with synchronous=FULL.

| step | SQLite | PostgreSQL |
| --- | --- | --- |
| \`init\` | ${t[sqlite.init]} s | ${t[postgresql.init]} s |
| \`import\` | ${t[sqlite.import]} s ($(rate "${t[sqlite.import]}") registrations/s) | ${t[postgresql.import]} s ($(rate "${t[postgresql.import]}") registrations/s) |
| \`report\`, 5 years, best of 3 | ${t[sqlite.report]} s | ${t[postgresql.report]} s |

Facts of the two engines compared with \`facts-diff\`: $agree.
<!-- bench:pg:end -->
TABLE
)
echo "$table"
if [ $doc = 1 ]; then
  python3 - "$table" <<'PY'
import re, sys
p = "docs/PERFORMANCE.md"
s = open(p).read()
block = sys.argv[1]
if "<!-- bench:pg:begin -->" in s:
    s = re.sub(r"<!-- bench:pg:begin -->.*?<!-- bench:pg:end -->", lambda m: block, s, flags=re.S)
else:
    s = s.replace("## History", block + "\n\n## History", 1)
open(p, "w").write(s)
PY
fi
