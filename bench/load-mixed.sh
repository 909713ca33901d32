#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
#
# Mixed read/write load test of `bereik serve` (issue 19): the dashboard and the API's
# indicators read at 64 connections with wrk (the dashboard twice: without Accept-Encoding,
# and compressed as a browser asks for it), first without writes and then while
# bench/mixed-writer.py keeps a fixed rate of registration writes going (80% POST, 10% PUT,
# 10% DELETE of its own registrations, each a valid registration of the current school
# year of the data). Afterwards `bereik aggregates check` compares the incrementally kept
# aggregates with a full recomputation. Records the table in docs/PERFORMANCE.md (section
# between the bench:mixed-ENGINE markers). Target: p99 < 50 ms at 64 connections, also under writes.
#
# usage: bench/load-mixed.sh [--engine sqlite|postgresql] [--seconds N] [--rate N]
#          [--registrations N] [--db EXISTING] [--no-doc] [--keep]
#
#   --engine         sqlite (default; one server) or postgresql (a throwaway durable
#                    cluster, two `bereik serve` processes on one database: reads spread
#                    over both, writes to each in turn)
#   --seconds N      length of each wrk run (default 20); the writer runs 2 s longer
#   --rate N         write requests per second during the "under writes" runs (default 200)
#   --registrations N  size of the generated database (default 1000000; gen-dataset.py
#                    default shape, seed 1)
#   --db EXISTING    use this database instead (SQLite file or postgresql:// URI, which
#                    sets the engine); it is written to: users, tokens, registrations
#   --no-doc         do not touch docs/PERFORMANCE.md
#   --keep           keep the work folder (database, dataset, logs, wrk and writer output)
#
# Builds nothing: expects build/bereik (or $BEREIK_BIN). Needs wrk, sqlite3 (SQLite) or the
# postgresql server and psql (PostgreSQL). Outside CI: minutes on 2 cores.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BEREIK_BIN:-$top/build/bereik}
engine=sqlite
seconds=20
rate=200
registrations=1000000
existing=
write_doc=1
keep=0
connections=64
target_ms=50
usage() { sed -n '12,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --engine) engine=${2:-}; shift 2 ;;
    --seconds) seconds=${2:-}; shift 2 ;;
    --rate) rate=${2:-}; shift 2 ;;
    --registrations) registrations=${2:-}; shift 2 ;;
    --db) existing=${2:-}; shift 2 ;;
    --no-doc) write_doc=0; shift ;;
    --keep) keep=1; shift ;;
    *) usage ;;
  esac
done
case "$existing" in postgresql://* | postgres://*) engine=postgresql ;; esac
case "$engine" in sqlite | postgresql) ;; *) usage ;; esac
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || usage
[[ "$registrations" =~ ^[1-9][0-9]*$ ]] || usage
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > 0 else 1)" "$rate" 2>/dev/null || usage
[ -x "$bin" ] || { echo "$bin not found: build first (or set BEREIK_BIN)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk not found (Debian package wrk)" >&2; exit 1; }
if [ "$engine" = sqlite ]; then
  command -v sqlite3 >/dev/null || { echo "sqlite3 not found (Debian package sqlite3)" >&2; exit 1; }
else
  command -v psql >/dev/null || { echo "psql not found (Debian package postgresql-client)" >&2; exit 1; }
fi

tmp=$(mktemp -d /tmp/bereik-mixed.XXXXXX)
pids=()
pg_started=0
stop_servers() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() {
  stop_servers
  [ "$pg_started" = 1 ] && pg_stop
  if [ "$keep" = 1 ]; then echo "work folder kept: $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# ------------------------------------------------------------------ database
if [ -n "$existing" ]; then
  db=$existing
  if [ "$engine" = sqlite ]; then
    [ -f "$db" ] || { echo "$db: no such file" >&2; exit 1; }
    db=$(cd "$(dirname "$db")" && pwd)/$(basename "$db")
  fi
  echo "== existing database $db ($engine)"
else
  if [ "$engine" = postgresql ]; then
    export BEREIK_PG_OPTS=""  # durable: fsync and full-page writes on, as in production
    . "$top/scripts/pg-cluster.sh"
    pg_start
    pg_started=1
    # the set-up of docs/DEPLOYMENT.md: the database belongs to a role that is not a
    # superuser, so row-level security holds it to its service and every lookup by key
    # uses the keys, which lead with the service (a superuser's would scan)
    psql "$BEREIK_TEST_PG/postgres" -Xq -c "CREATE ROLE bereik_owner LOGIN" \
      -c "CREATE DATABASE mixed OWNER bereik_owner"
    db="${BEREIK_TEST_PG/bereik@/bereik_owner@}/mixed"
    qdb="$BEREIK_TEST_PG/mixed"
  else
    db="$tmp/mixed.db"
  fi
  echo "== dataset and database ($registrations registrations, $engine)"
  python3 "$top/bench/gen-dataset.py" --registrations "$registrations" --seed 1 "$tmp/ds" >/dev/null
  "$bin" --db "$db" init
  "$bin" --db "$db" import "$tmp/ds" >"$tmp/import.log" 2>&1 || { cat "$tmp/import.log" >&2; exit 1; }
fi

# q SQL: the rows as comma-separated values, no header (the same SQL on both engines)
q() {
  if [ "$engine" = sqlite ]; then
    sqlite3 -batch -noheader -csv "$db" "$1"
  else
    psql "${qdb:-$db}" -XAtq -F, -c "$1"
  fi
}

year=$(q "SELECT MAX(school_year) FROM setting WHERE locked = 0")
[ -n "$year" ] || { echo "no unlocked school year in the database" >&2; exit 1; }
ys="$year-$((year + 1))"
first="$year-09-01"
last="$((year + 1))-08-31"
count0=$(q "SELECT COUNT(*) FROM registration")
echo "   school year $ys, $count0 registrations"

# ------------------------------------------------------------------ users and writer setup
password=load-test-password
account() { # login role [advisor]: create the account, or reset its password when it exists
  local login=$1 role=$2 adv=${3:-}
  if ! printf '%s\n' "$password" | "$bin" --db "$db" user add "$login" --role "$role" \
    ${adv:+--advisor "$adv"} --password-stdin >/dev/null 2>"$tmp/user.err"; then
    printf '%s\n' "$password" | "$bin" --db "$db" user passwd "$login" --password-stdin >/dev/null ||
      { cat "$tmp/user.err" >&2; exit 1; }
  fi
}
account mixed-director director
token() { "$bin" --db "$db" user token "$1" --label "bench/load-mixed.sh" 2>>"$tmp/user.err"; }
director_token=$(token mixed-director)
setup="$tmp/setup"
mkdir -p "$setup"
echo "$first $last" >"$setup/year.txt"
# advisors employed all year: 12 spread over the list (each an advisor account with a token)
mapfile -t advisors < <(q "SELECT code FROM advisor
  WHERE (start_date IS NULL OR start_date <= '$first') AND (end_date IS NULL OR end_date >= '$last')
  ORDER BY code")
[ "${#advisors[@]}" -gt 0 ] || { echo "no advisor employed all of $ys" >&2; exit 1; }
n_adv=12
[ "${#advisors[@]}" -lt "$n_adv" ] && n_adv=${#advisors[@]}
step=$((${#advisors[@]} / n_adv))
echo "code,token" >"$setup/advisors.csv"
chosen=()
for i in $(seq 0 $((n_adv - 1))); do
  adv=${advisors[$((i * step))]}
  chosen+=("'$adv'")
  account "mixed-$adv" advisor "$adv"
  t=$(token "mixed-$adv")
  [[ "$t" == bereik_* ]] || { echo "no API token for mixed-$adv" >&2; cat "$tmp/user.err" >&2; exit 1; }
  echo "$adv,$t" >>"$setup/advisors.csv"
done
in_list=$(IFS=,; echo "${chosen[*]}")
used_sql="SELECT a.code, r.date, SUM(r.minutes) FROM registration r
  JOIN registration_advisor ra ON ra.registration_id = r.id JOIN advisor a ON a.id = ra.advisor_id
  WHERE a.code IN ($in_list) AND r.date >= '$first' AND r.date <= '$last' GROUP BY a.code, r.date"
{ echo "advisor,date,minutes"; q "$used_sql"; } >"$setup/used.csv"
q "SELECT number FROM institution WHERE active = 1
  AND (start_date IS NULL OR start_date <= '$first') AND (end_date IS NULL OR end_date >= '$last')
  ORDER BY number LIMIT 200" >"$setup/institutions.txt"
{ echo "line,goal"; q "SELECT l.code, COALESCE(g.code, '') FROM line l LEFT JOIN goal g ON g.line_id = l.id
  WHERE l.unit = 'pbd' ORDER BY l.code, g.code"; } >"$setup/goals.csv"
echo "   writer: $n_adv advisors, $(($(wc -l <"$setup/institutions.txt"))) institutions, $(($(wc -l <"$setup/goals.csv") - 1)) line/goal pairs"

# ------------------------------------------------------------------ servers
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
n_servers=1
[ "$engine" = postgresql ] && n_servers=2
bases=()
targets=()
for i in $(seq "$n_servers"); do
  port=$(free_port)
  "$bin" --db "$db" serve --listen "127.0.0.1:$port" --per-ip-limit 1000 --max-connections 2000 \
    --write-rate 0 2>"$tmp/serve$i.log" &
  pids+=($!)
  bases+=("http://127.0.0.1:$port")
  targets+=("127.0.0.1:$port")
done
for base in "${bases[@]}"; do
  for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
  curl -sf "$base/healthz" >/dev/null || { echo "server at $base did not start" >&2; cat "$tmp"/serve*.log >&2; exit 1; }
done
base=${bases[0]}
echo "== $n_servers x bereik serve: ${bases[*]}"
curl -s -c "$tmp/jar" -b "$tmp/jar" "$base/login" -o "$tmp/l.html"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$tmp/l.html" | head -1 | sed 's/.*value="//; s/"$//')
curl -s -c "$tmp/jar" -b "$tmp/jar" -o /dev/null --data "csrf=$csrf&login=mixed-director&password=$password" "$base/login"
session=$(awk '$6 == "bereik_session" {print $7}' "$tmp/jar")
[ -n "$session" ] || { echo "login as mixed-director failed" >&2; exit 1; }
cookie="Cookie: bereik_session=$session"
bearer="Authorization: Bearer $director_token"
dash_path="/dashboard?jaar=$ys"
ind_path="/api/v1/indicators?year=$ys"
for b in "${bases[@]}"; do # check both requests on every server (and warm the caches)
  for r in "$cookie|$dash_path" "$bearer|$ind_path"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "${r%%|*}" "$b${r#*|}")
    [ "$code" = 200 ] || { echo "GET $b${r#*|}: $code, expected 200" >&2; exit 1; }
  done
done

# ------------------------------------------------------------------ measurements
ms() { # wrk latency (850.00us, 4.74ms, 1.21s, 1.05m) -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1
    if (f < 0) print "nan"; else printf "%.2f", n * f }'
}
rows=()
notes=()
all_met=1
accept_encoding= # the Accept-Encoding of the next wrk runs (empty: none)
wrk_run() { # name header path -> prints the name of wrk's output file
  BEREIK_TARGETS=$(IFS=,; echo "${targets[*]}") BEREIK_HEADER=$2 BEREIK_ACCEPT_ENCODING=$accept_encoding \
    wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s --latency -s "$top/bench/get-auth.lua" \
    "$base$3" >"$tmp/wrk-$1.out" 2>&1 || true
  echo "$tmp/wrk-$1.out"
}
row() { # label phase wrk-output writer-json-or-empty
  local label=$1 phase=$2 out=$3 wjson=$4
  local p50 p99 rps non2xx sockerr p99ms met wcol
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  rps=$(awk '$1 == "Requests/sec:" {printf "%d", $2}' "$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out")
  sockerr=$(sed -n 's/.*Socket errors: //p' "$out")
  if [ -z "$p99" ]; then
    echo "wrk gave no latencies for $label, $phase:" >&2
    cat "$out" >&2
    p50=- p99=- rps=0 p99ms=nan
  else
    p99ms=$(ms "$p99")
  fi
  if [ -z "$non2xx" ] && awk -v x="$p99ms" -v t="$target_ms" 'BEGIN { exit !(x != "nan" && x + 0 < t) }'; then
    met=met
  else
    met="not met"
    all_met=0
  fi
  wcol="-"
  if [ -n "$wjson" ]; then
    wcol=$(python3 - "$wjson" <<'PY' 2>/dev/null || echo "no summary"
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{r['achieved_rate']:g}/s ({r['ok_2xx']} 2xx, {r['other']} other; p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms)")
PY
)
  fi
  printf '%-26s %-22s c=%s p50=%-9s p99=%-9s %6s/s  %s%s%s\n' "$label" "$phase" "$connections" \
    "$p50" "$p99" "$rps" "$met" "${non2xx:+ non-2xx=$non2xx}" "${sockerr:+ socket errors: $sockerr}"
  rows+=("| $label | $phase | $connections | $p50 | $p99 | $rps | p99 < $target_ms ms | $met | $wcol |")
  if [ -n "$non2xx" ]; then notes+=("$label, $phase: $non2xx answers were not 2xx."); fi
  if [ -n "$sockerr" ]; then notes+=("$label, $phase: wrk socket errors: $sockerr."); fi
  return 0
}
writer_bases=()
for b in "${bases[@]}"; do writer_bases+=(--base "$b"); done
stamp=$(date -u +%Y%m%d%H%M%S)
under() { # label header path tag: wrk while the writer runs (it starts 1 s before, ends 1 s after)
  local label=$1 header=$2 path=$3 tag=$4 writer out
  python3 "$top/bench/mixed-writer.py" --setup "$setup" "${writer_bases[@]}" --rate "$rate" \
    --seconds $((seconds + 2)) --prefix "mixed-$stamp-$tag" --seed "$stamp-$tag" \
    --json "$tmp/writer-$tag.json" >"$tmp/writer-$tag.out" 2>"$tmp/writer-$tag.err" &
  writer=$!
  sleep 1
  out=$(wrk_run "$tag-writes" "$header" "$path")
  wait "$writer" || true
  row "$label" "$phase_w" "$out" "$tmp/writer-$tag.json"
  sed 's/^/    /' "$tmp/writer-$tag.out"
  if [ -s "$tmp/writer-$tag.err" ]; then head -5 "$tmp/writer-$tag.err" | sed 's/^/    /'; fi
  writer_lines+=("$label: $(sed 's/^writer: //' "$tmp/writer-$tag.out")")
  return 0
}
writer_lines=()
phase_w="under $rate writes/s"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== before: no writes; wrk, $connections connections, $seconds s per run"
row "GET /dashboard (director)" "no writes" "$(wrk_run dashboard-before "$cookie" "$dash_path")" ""
# the same page as a browser asks for it: compressed (the server keeps the compressed form)
accept_encoding=gzip
row "GET /dashboard (director), gzip" "no writes" "$(wrk_run dashboard-gzip-before "$cookie" "$dash_path")" ""
accept_encoding=
row "GET /api/v1/indicators" "no writes" "$(wrk_run indicators-before "$bearer" "$ind_path")" ""
echo "== under writes: $rate write requests/s (80% POST, 10% PUT, 10% DELETE) beside each wrk run"
under "GET /dashboard (director)" "$cookie" "$dash_path" dashboard
accept_encoding=gzip
under "GET /dashboard (director), gzip" "$cookie" "$dash_path" dashboard-gzip
accept_encoding=
under "GET /api/v1/indicators" "$bearer" "$ind_path" indicators
count1=$(q "SELECT COUNT(*) FROM registration")
echo "   registrations: $count0 before, $count1 after ($((count1 - count0)) more)"

# ------------------------------------------------------------------ aggregates check
tick=$(getconf CLK_TCK)
server_text=
for i in "${!pids[@]}"; do # CPU time and peak RSS of each server (shows both did their share)
  cpu=$(awk -v t="$tick" '{printf "%.1f", ($14 + $15) / t}' "/proc/${pids[$i]}/stat" 2>/dev/null || echo "?")
  rss=$(awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/${pids[$i]}/status" 2>/dev/null || echo "?")
  server_text="${server_text:+$server_text; }${targets[$i]}: ${cpu} s CPU, peak RSS ${rss} MB"
done
echo "   servers: $server_text"
stop_servers
# how often a reader got a published read instead of the newest (measures/cache.h), and
# how old its data was at most: each server writes it when it stops
published_text=$(sed -n 's/^bereik: \(.* reads under writes used a published read.*\)$/\1/p' "$tmp"/serve*.log |
  paste -sd ';' - | sed 's/;/; /g')
echo "   published reads: ${published_text:-none}"
"$bin" --db "$db" aggregates check >"$tmp/check.out" 2>&1 && rc=0 || rc=$?
if grep -q "unknown command 'aggregates'" "$tmp/check.out"; then
  check="SKIP: this bereik has no \`aggregates check\` command yet"
elif [ "$rc" = 0 ]; then
  check="PASS (exit 0): $(tail -1 "$tmp/check.out")"
else
  check="FAIL (exit $rc): $(tail -1 "$tmp/check.out")"
  all_met=0
fi
echo "== aggregates check: $check"
if [ "$rc" != 0 ] && ! grep -q "unknown command 'aggregates'" "$tmp/check.out"; then
  tail -20 "$tmp/check.out" | sed 's/^/    /'
fi

# ------------------------------------------------------------------ table and docs/PERFORMANCE.md
if [ "$engine" = postgresql ]; then
  engine_text="two \`bereik serve\` processes (2 worker threads each) on one PostgreSQL $(psql "$db" -XAtqc 'SHOW server_version' | awk '{print $1}') database (durable: fsync on); wrk's two threads connect one to each server, the writer alternates between them"
else
  engine_text="one \`bereik serve\` (2 worker threads) on SQLite (\`synchronous=FULL\`)"
fi
if [ -n "$existing" ]; then
  data_text="the existing database ($count0 registrations)"
else
  data_text="the generated database of $registrations registrations (\`bench/gen-dataset.py\`, seed 1)"
fi
if commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null); then
  git -C "$top" diff --quiet HEAD -- src || commit="$commit, with uncommitted changes in src"
else
  commit=unknown
fi
when=$(date -u '+%Y-%m-%d %H:%M UTC')
version=$("$bin" --version 2>/dev/null | head -1)
{
  echo "<!-- bench:mixed-$engine:begin -->"
  echo "## Reads under writes, $engine (issue 19)"
  echo
  echo "\`bench/load-mixed.sh --engine $engine\` on $when (commit $commit; $version), $(nproc) CPUs,"
  echo "load average $load0 before the first row (the machine is shared):"
  echo "$engine_text; $data_text, school year $ys."
  echo "wrk with 2 threads, $connections connections, $seconds s per row, from the same machine."
  echo "\"Under writes\": \`bench/mixed-writer.py\` sends $rate write requests/s (80% POST of a new"
  echo "registration, 10% PUT and 10% DELETE of its own, each with the ETag of its last answer;"
  echo "$n_adv advisors with their own tokens), from 1 s before the row's wrk run to 1 s after it."
  echo
  echo "| request | phase | connections | p50 | p99 | requests/s | target | met | writer: achieved (2xx, other; p50, p99) |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${rows[@]}"
  echo
  echo "- Registrations: $count0 before, $count1 after."
  echo "- Servers over all rows: $server_text."
  echo "- Aggregates check after the load: $check."
  echo "- Reads under writes that used the published read (a fresh read, refreshed in the background 250 ms to 1 s after it started, used up to CACHE_STALE_MS = 5000 ms; never for the writer's own reads; per server): ${published_text:-none}."
  for w in "${writer_lines[@]+"${writer_lines[@]}"}"; do echo "- Writer beside $w"; done
  for n in "${notes[@]+"${notes[@]}"}"; do echo "- $n"; done
  echo "<!-- bench:mixed-$engine:end -->"
} >"$tmp/section.md"
echo
cat "$tmp/section.md"
if [ "$all_met" = 1 ]; then echo "all targets met"; else echo "not all targets met"; fi
if [ "$write_doc" = 1 ]; then
  python3 - "$top/docs/PERFORMANCE.md" "$tmp/section.md" "$engine" <<'PY'
import sys
path, section, engine = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3]
doc = open(path).read()
begin, end = f"<!-- bench:mixed-{engine}:begin -->", f"<!-- bench:mixed-{engine}:end -->"
if begin in doc and end in doc:
    a = doc.index(begin)
    b = doc.index(end) + len(end)
    if doc[b:b + 1] == "\n":
        b += 1
    doc = doc[:a] + section + doc[b:]
else:
    # after the load section and the notes that go with it: before the next heading
    load_end = "<!-- bench:load:end -->"
    at = doc.find(load_end)
    nxt = doc.find("\n## ", at) if at >= 0 else -1
    if nxt >= 0:
        doc = doc[:nxt + 1] + section + "\n" + doc[nxt + 1:]
    else:
        doc = doc.rstrip("\n") + "\n\n" + section
open(path, "w").write(doc)
PY
  echo "docs/PERFORMANCE.md updated (section bench:mixed-$engine)"
fi
