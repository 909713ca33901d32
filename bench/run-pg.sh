#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# PostgreSQL beside SQLite: times init, import and the report over all school years of the
# same generated dataset on both engines (a throwaway, durable PostgreSQL cluster on
# 127.0.0.1, fsync on; SQLite with synchronous=FULL), checks that both give the same
# facts, and writes the figures into docs/PERFORMANCE.md (section "PostgreSQL"), one
# table per data shape (bench/gen-dataset.py --shape).
#
# usage: bench/run-pg.sh [--registrations N] [--shape NAME]... [--shapes A,B] [--all-shapes]
#                        [--no-doc]
#
#   --registrations N  size of every dataset (default: the shape's, 1000000 but for small-service)
#   --shape NAME       a data shape (repeatable; default: default); --shapes A,B the same
#   --all-shapes       default, dense and wide
#   --no-doc           print the section, do not write docs/PERFORMANCE.md (or $BENCH_DOC)
#
# Targets on PostgreSQL: import >= 100,000 registrations/s; report < 1 s.
# Exit status: 0 ok (targets missed are reported, not failed), 1 a step failed or the
# engines' facts differ, 2 usage.
set -euo pipefail
cd "$(dirname "$0")/.."
n=
doc=1
shapes=()
usage() { sed -n '9,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
add_shapes() { local IFS=,; local s; for s in $1; do [ -n "$s" ] && shapes+=("$s"); done; return 0; }
while [ $# -gt 0 ]; do
  case $1 in
  --registrations) [ $# -ge 2 ] || usage; n=$2; shift 2 ;;
  --shape|--shapes) [ $# -ge 2 ] || usage; add_shapes "$2"; shift 2 ;;
  --all-shapes) shapes+=(default dense wide); shift ;;
  --no-doc) doc=0; shift ;;
  *) usage ;;
  esac
done
case "$n" in *[!0-9]*) echo "run-pg.sh: --registrations needs a number" >&2; exit 2 ;; esac
[ ${#shapes[@]} -gt 0 ] || shapes=(default)
declare -A seen_shape=()
uniq_shapes=()
for s in "${shapes[@]}"; do
  [ -n "${seen_shape[$s]:-}" ] || uniq_shapes+=("$s")
  seen_shape[$s]=1
done
shapes=("${uniq_shapes[@]}")
known=$(python3 bench/gen-dataset.py --list-shapes | awk '{ print $1 }')
for s in "${shapes[@]}"; do
  grep -qx -- "$s" <<<"$known" || { echo "run-pg.sh: unknown shape '$s' (known: $(tr "\n" " " <<<"$known"))" >&2; exit 2; }
done
bin=${BEREIK_BIN:-build/bereik}
[ -x "$bin" ] || { echo "$bin not found: build first" >&2; exit 1; }
export BEREIK_PG_OPTS=""
. scripts/pg-cluster.sh
tmp=$(mktemp -d)
trap 'pg_stop; rm -rf "$tmp"' EXIT
pg_start >/dev/null
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.3f}')"; }
rate() { python3 -c "print(f'{$1 / $2:,.0f}')"; }
log() { echo "run-pg.sh: $*" >&2; }
# run CMD...: runs it with stderr to $tmp/stderr; on failure prints its end and exits 1
run() {
  if ! "$@" 2>"$tmp/stderr"; then
    echo "run-pg.sh: FAILED: $*" >&2
    tail -n 30 "$tmp/stderr" >&2
    exit 1
  fi
}

pgver=$(psql "$BEREIK_TEST_PG/postgres" -Atc "SHOW server_version")
failed=0
blocks=()
for shape in "${shapes[@]}"; do
  data="$tmp/$shape/data"
  gen=(python3 bench/gen-dataset.py --shape "$shape")
  [ -z "$n" ] || gen+=(--registrations "$n")
  gen+=(--seed 1 "$data")
  log "[$shape] generating: ${gen[*]:2}"
  run "${gen[@]}"
  summary=$(sed -n 's/^gen-dataset: //p' "$tmp/stderr" | tail -1 | sed 's/ in [^ ]*$//')
  count=$(awk '{ print $1 }' <<<"$summary")
  first=$(awk -F, 'NR == 2 { print substr($1, 1, 4) }' "$data/settings.csv")
  last=$(awk -F, 'NR > 1 { y = substr($1, 1, 4) } END { print y }' "$data/settings.csv")
  years=$((last - first + 1))
  range="$first-$((first + 1))..$last-$((last + 1))"
  pgdb=bench_${shape//[^a-z0-9]/_}
  psql "$BEREIK_TEST_PG/postgres" -qc "CREATE DATABASE $pgdb"
  declare -A t=()
  for e in sqlite postgresql; do
    db=$tmp/$shape/bench.db
    [ $e = postgresql ] && db=$BEREIK_TEST_PG/$pgdb
    log "[$shape] $e: init, import, report --years $range (best of 3)"
    a=$(now); run "$bin" --db "$db" init; b=$(now); t[$e.init]=$(secs "$a" "$b")
    a=$(now); run "$bin" --db "$db" import "$data"; b=$(now); t[$e.import]=$(secs "$a" "$b")
    log "  import ${t[$e.import]} s"
    best=
    for _ in 1 2 3; do
      a=$(now); run "$bin" --db "$db" report --years "$range" --format csv -o "$tmp/$shape/$e.csv"; b=$(now)
      s=$(secs "$a" "$b")
      if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $s < $best else 1)"; then best=$s; fi
    done
    t[$e.report]=$best
  done
  agree=$(../shared/tools/facts-diff "$tmp/$shape/sqlite.csv" "$tmp/$shape/postgresql.csv" 2>&1 | tail -1) || true
  case "$agree" in *" 0 failed") ;; *) failed=1; log "[$shape] the engines' facts differ: $agree" ;; esac
  pg_rate=$(python3 -c "print(round($count / ${t[postgresql.import]}))")
  imp_met=$([ "$pg_rate" -ge 100000 ] && echo met || echo "NOT met")
  rep_met=$(python3 -c "print('met' if ${t[postgresql.report]} < 1 else 'NOT met')")
  ratio=$(python3 -c "print(f'{${t[postgresql.import]} / ${t[sqlite.import]}:.1f}')")
  blocks+=("$(cat <<BLOCK
### Shape \`$shape\`

$summary; seed 1.

| step | SQLite | PostgreSQL | target (PostgreSQL) | target met |
| --- | --- | --- | --- | --- |
| \`init\` | ${t[sqlite.init]} s | ${t[postgresql.init]} s | | |
| \`import\` | ${t[sqlite.import]} s ($(rate "$count" "${t[sqlite.import]}") registrations/s) | ${t[postgresql.import]} s (**$(rate "$count" "${t[postgresql.import]}") registrations/s**; ${ratio} x SQLite's time) | >= 100,000/s | $imp_met |
| \`report\`, $years years, best of 3 | ${t[sqlite.report]} s | **${t[postgresql.report]} s** | < 1 s | $rep_met |

Facts of the two engines compared with \`facts-diff\`: $agree.
BLOCK
)")
  rm -rf "${tmp:?}/$shape"
  psql "$BEREIK_TEST_PG/postgres" -qc "DROP DATABASE $pgdb"
  unset t
done

table="<!-- bench:pg:begin -->
## PostgreSQL beside SQLite

Same machine, same generated datasets, run by \`bench/run-pg.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC')
at commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ", with uncommitted changes").
PostgreSQL $pgver in a throwaway cluster on 127.0.0.1 with its default durability (fsync on);
SQLite with synchronous=FULL. Times are wall clock; the report covers all school years of
the dataset.
"
for b in "${blocks[@]}"; do table+="
$b
"; done
table+="<!-- bench:pg:end -->"
echo "$table"
if [ $doc = 1 ]; then
  BENCH_DOC=${BENCH_DOC:-docs/PERFORMANCE.md} python3 - "$table" <<'PY'
import os, re, sys
p = os.environ["BENCH_DOC"]
s = open(p, encoding="utf-8").read()
block = sys.argv[1]
if "<!-- bench:pg:begin -->" in s:
    s = re.sub(r"<!-- bench:pg:begin -->.*?<!-- bench:pg:end -->", lambda m: block, s, flags=re.S)
else:
    s = s.replace("## History", block + "\n\n## History", 1)
open(p, "w", encoding="utf-8").write(s)
PY
fi
exit $failed
