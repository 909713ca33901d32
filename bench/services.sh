#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
#
# Several services in one PostgreSQL database (migration 014, row-level security): ten
# services of 100 advisors and five school years each, about 1,000,000 registrations per
# service (bench/gen-dataset.py, one seed per service), in a throwaway durable cluster.
# Measures, each beside a baseline of the same run:
#   - the import of each service (`--service sNN import`, COPY through a staging table),
#     registrations/s and the peak RSS of the import process; baselines: the first
#     service's dataset imported into a database of its own, and as a superuser into a
#     database of one service (COPY straight, keys made at the end); and a report of the
#     first service every 5 s while the last one imports (does the import hold others up?);
#   - the report of one service (`--service s01 report --format json`, all school years)
#     with all services' rows in the tables; baseline: the same report in the database
#     that holds only that service (runs alternate between the two); and whether both
#     give the same facts (facts-diff);
#   - the plans of that report's statements in both databases (auto_explain with
#     ANALYZE and BUFFERS): how they reach the rows of one service among ten;
#   - the dashboard and GET /api/v1/indicators at 64 connections with wrk, each request
#     for the next service in turn (its Host header and that service's session cookie or
#     API token), through nginx in front of four `bereik serve` processes (the upstream of
#     docs/DEPLOYMENT.md, whose connections to the serve processes stay open; the same with
#     a new connection per request; the same without asking for compression: every other
#     request asks for gzip, as browsers do); baselines: the same
#     load straight at one of those processes, and at one process on the database that
#     holds only the first service.
# Targets (issue): report of one service < 1 s; dashboard p99 < 50 ms at 64 connections
# with four serve processes behind nginx.
#
# usage: bench/services.sh [--quick] [--services N] [--registrations N] [--advisors N]
#          [--institutions N] [--years N] [--seconds N] [--runs N] [--threads N]
#          [--import-limit S] [--no-doc] [--keep]
#
#   --quick            10 services x 20,000 registrations, 5 s per wrk run, no doc
#   --services N       number of services (default 10, at most 99)
#   --registrations N  registrations per service (default 1000000)
#   --advisors N       advisors per service (default 100)
#   --institutions N   institutions per service (default 1500: the default shape's 15 per advisor)
#   --years N          school years from 2020-2021 on (default 5)
#   --seconds N        length of each wrk run (default 30)
#   --runs N           report runs per database (default 7; median, min, max)
#   --threads N        worker threads of each serve process (default 2)
#   --import-limit S   stop an import that takes longer than S seconds, and the benchmark
#                      with it (default 1800)
#   --no-doc           do not write docs/PERFORMANCE.md (section bench:services)
#   --keep             keep the work folder (logs, reports, plans, wrk output)
#
# The generated datasets are kept in $BEREIK_SERVICES_DATA (default
# /tmp/bereik-bench-services), one folder per set of options, so a second run skips the
# generation. Builds nothing: expects build/bereik (or $BEREIK_BIN). Needs the PostgreSQL
# server and psql, nginx, wrk, python3 and /usr/bin/time. Outside CI: the full run takes
# 45-60 minutes on 2 cores and about 8 GB of disk (1 GB of it the kept datasets).
# Exit status: 0 ok (targets missed are reported, not failed), 1 a step failed or the
# facts differ, 2 usage.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BEREIK_BIN:-$top/build/bereik}
services=10
registrations=1000000
advisors=100
institutions=
years=5
first_year=2020
seconds=30
runs=7
threads=2
write_doc=1
keep=0
quick=0
import_limit=1800
usage() { sed -n '/^# usage:/,/^#   --keep/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
num() { [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "services.sh: $1 needs a positive number" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; registrations=20000; seconds=5; runs=5; write_doc=0; shift ;;
    --services) num "$1" "${2:-}"; services=$2; shift 2 ;;
    --import-limit) num "$1" "${2:-}"; import_limit=$2; shift 2 ;;
    --registrations) num "$1" "${2:-}"; registrations=$2; shift 2 ;;
    --advisors) num "$1" "${2:-}"; advisors=$2; shift 2 ;;
    --institutions) num "$1" "${2:-}"; institutions=$2; shift 2 ;;
    --years) num "$1" "${2:-}"; years=$2; shift 2 ;;
    --seconds) num "$1" "${2:-}"; seconds=$2; shift 2 ;;
    --runs) num "$1" "${2:-}"; runs=$2; shift 2 ;;
    --threads) num "$1" "${2:-}"; threads=$2; shift 2 ;;
    --no-doc) write_doc=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) usage ;;
    *) echo "services.sh: unknown argument: $1" >&2; usage ;;
  esac
done
[ "$services" -le 99 ] || { echo "services.sh: at most 99 services" >&2; exit 2; }
[ -n "$institutions" ] || institutions=$((advisors * 15))
[ -x "$bin" ] || { echo "$bin not found: build first (or set BEREIK_BIN)" >&2; exit 1; }
for tool in psql wrk python3 curl; do
  command -v "$tool" >/dev/null || { echo "services.sh: $tool not found" >&2; exit 1; }
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || { echo "services.sh: nginx not found (Debian package nginx)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "services.sh: /usr/bin/time not found (Debian package time)" >&2; exit 1; }
facts_diff=$top/../shared/tools/facts-diff
[ -x "$facts_diff" ] || facts_diff=${SHARED_DIR:-/work/shared}/tools/facts-diff

n_serve=4
connections=64
host_of() { echo "$1.bench"; }
codes=()
for i in $(seq "$services"); do codes+=("$(printf 's%02d' "$i")"); done
last_year=$((first_year + years - 1))
ys="$last_year-$((last_year + 1))"
password=bench-services-wachtwoord

tmp=$(mktemp -d /tmp/bereik-services.XXXXXX)
pids=()
pg_started=0
nginx_conf=
log() { echo "services.sh: $*" >&2; }
stop_servers() {
  local p
  if [ -n "$nginx_conf" ] && [ -f "$tmp/nginx/nginx.pid" ]; then
    kill -TERM "$(cat "$tmp/nginx/nginx.pid")" 2>/dev/null || true
  fi
  for p in "${pids[@]+"${pids[@]}"}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]+"${pids[@]}"}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() {
  stop_servers
  [ "$pg_started" = 1 ] && pg_stop
  if [ "$keep" = 1 ]; then log "work folder kept: $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# timed OUT CMD...: runs CMD (stdout to OUT, stderr to $tmp/stderr) under /usr/bin/time -v;
# sets SEC (wall seconds) and RSS_MB (peak resident set of the process). Exits on failure.
SEC=0
RSS_MB=0
timed() {
  local out=$1 t0 t1 rc=0
  shift
  t0=$(date +%s%N)
  /usr/bin/time -v -o "$tmp/time.txt" "$@" >"$out" 2>"$tmp/stderr" || rc=$?
  t1=$(date +%s%N)
  if [ "$rc" != 0 ]; then
    log "FAILED (exit $rc): $*"
    tail -n 30 "$tmp/stderr" >&2
    exit 1
  fi
  SEC=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  RSS_MB=$(awk -F': ' '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$tmp/time.txt")
}
fmt_int() { python3 -c "print(f'{int(round(float(\"$1\"))):,}')"; }
# stats V...: "median min max" of the values (3 decimals)
stats() { python3 -c "import statistics as s, sys; v = [float(x) for x in sys.argv[1:]]; print(f'{s.median(v):.3f} {min(v):.3f} {max(v):.3f}')" "$@"; }
ratio() { python3 -c "print(f'{float(\"$1\") / float(\"$2\"):.2f}')"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# ------------------------------------------------------------------ datasets
cache=${BEREIK_SERVICES_DATA:-/tmp/bereik-bench-services}
set_dir="$cache/r$registrations-a$advisors-i$institutions-y$years-f$first_year"
mkdir -p "$set_dir"
gen_secs=()
for i in $(seq "$services"); do
  code=${codes[$((i - 1))]}
  d="$set_dir/$code"
  if [ -f "$d/.complete" ]; then continue; fi
  rm -rf "$d"
  log "generating $code: $registrations registrations, $advisors advisors, $institutions institutions, $years years, seed $i"
  timed "$tmp/gen.out" python3 "$top/bench/gen-dataset.py" --registrations "$registrations" --years "$years" \
    --first-year "$first_year" --advisors "$advisors" --institutions "$institutions" --seed "$i" "$d"
  gen_secs+=("$SEC")
  sed -n 's/^gen-dataset: //p' "$tmp/stderr" | tail -1 | sed 's/ in [^ ]*$//' >"$d/.complete"
done
declare -A reg_count=()
for code in "${codes[@]}"; do
  reg_count[$code]=$(awk '{ print $1; exit }' "$set_dir/$code/.complete")
  case "${reg_count[$code]}" in ''|*[!0-9]*) reg_count[$code]=$(($(wc -l <"$set_dir/$code/registrations.csv") - 1)) ;; esac
done
total_regs=0
for code in "${codes[@]}"; do total_regs=$((total_regs + reg_count[$code])); done
ds_summary=$(cat "$set_dir/${codes[0]}/.complete")
log "datasets in $set_dir: $total_regs registrations over $services services"

# ------------------------------------------------------------------ cluster, roles, databases
# durable (fsync and full-page writes on, PostgreSQL's defaults), as bench/run-pg.sh
# pg_stat_statements (PostgreSQL's contrib, in Debian's server package): where the last
# service's import spends its time
export BEREIK_PG_OPTS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
. "$top/scripts/pg-cluster.sh"
pg_start >"$tmp/pg_start.log" || { cat "$tmp/pg_start.log" >&2; exit 1; }
pg_started=1
# connections: n_serve + 1 processes x (threads + the background refresher + one spare),
# the command-line tools and psql. scripts/pg-cluster.sh starts with 60; restart with
# more when the serve processes need it.
need=$(((n_serve + 1) * (threads + 2) + 20))
max_conn=60
if [ "$need" -gt 60 ]; then
  max_conn=$need
  "${pg_run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -t 60 -l "$pg_dir/server.log" \
    -o "-k $pg_dir -h 127.0.0.1 -p $port $BEREIK_PG_OPTS -c max_connections=$max_conn" restart >/dev/null
fi
super=$BEREIK_TEST_PG
hostport=${super#postgresql://bereik@}
pgver=$(psql "$super/postgres" -XAtc "SHOW server_version" | awk '{ print $1 }')
psql "$super/postgres" -Xq -v ON_ERROR_STOP=1 <<'SQL'
CREATE ROLE bereik_owner LOGIN NOSUPERUSER NOBYPASSRLS;
CREATE ROLE bereik_app LOGIN NOSUPERUSER NOBYPASSRLS;
CREATE DATABASE multi OWNER bereik_owner;
CREATE DATABASE single OWNER bereik_owner;
SQL
owner="postgresql://bereik_owner@$hostport/multi"
app="postgresql://bereik_app@$hostport/multi"
owner1="postgresql://bereik_owner@$hostport/single"
app1="postgresql://bereik_app@$hostport/single"
log "PostgreSQL $pgver on $hostport (max_connections $max_conn), load average $(loadavg)"
load_start=$(loadavg)
run() { "$@" >"$tmp/run.out" 2>"$tmp/stderr" || { log "FAILED: $*"; tail -n 30 "$tmp/stderr" >&2; exit 1; }; }
q() { psql "$1" -XAtq -F' ' -c "$2"; }
report() { # DB OUT: one report of the first service, as the application role
  timed "$tmp/report.out" "$bin" --db "$1" --service "${codes[0]}" report --format json -o "$2"
}
run "$bin" --db "$owner" init
run "$bin" --db "$owner" service grant bereik_app
run "$bin" --db "$owner1" init
run "$bin" --db "$owner1" service grant bereik_app

# ------------------------------------------------------------------ imports
declare -A imp_sec=() imp_rss=() stored_before=()
stored_sum=0
now_s() { date +%s.%N; }
probe_note=
for code in "${codes[@]}"; do
  run "$bin" --db "$owner" service add "$code" --name "Dienst ${code#s}" --host "$(host_of "$code")"
  probe=0
  if [ "$code" = "${codes[-1]}" ] && [ "$services" -gt 1 ]; then
    # while the last service imports: a report of the first one every 5 s, until the
    # import ends (each line: start, end, exit status)
    probe=1
    : >"$tmp/probe.txt"
    (
      while [ ! -f "$tmp/probe.stop" ]; do
        a=$(now_s)
        rc=0
        "$bin" --db "$app" --service "${codes[0]}" report --format json -o "$tmp/report-probe.json" 2>>"$tmp/probe.err" || rc=$?
        echo "$a $(now_s) $rc" >>"$tmp/probe.txt"
        for _ in 1 2 3 4 5 6 7 8 9 10; do [ -f "$tmp/probe.stop" ] && break; sleep 0.5; done
      done
    ) &
    probe_pid=$!
  fi
  if [ "$code" = "${codes[-1]}" ]; then
    psql "$super/multi" -Xqc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" -c "SELECT pg_stat_statements_reset()" >/dev/null
  fi
  i0=$(now_s)
  # at most --import-limit seconds (exit status 124 when it was stopped)
  timed "$tmp/import-$code.out" timeout "$import_limit" "$bin" --db "$owner" --service "$code" import "$set_dir/$code"
  i1=$(now_s)
  imp_sec[$code]=$SEC
  imp_rss[$code]=$RSS_MB
  stored_before[$code]=$stored_sum
  stored_sum=$((stored_sum + reg_count[$code]))
  log "import $code: ${SEC} s, $(fmt_int "$(python3 -c "print(${reg_count[$code]} / $SEC)")") registrations/s, peak RSS ${RSS_MB} MB (load $(loadavg))"
  if [ "$probe" = 1 ]; then
    touch "$tmp/probe.stop"
    wait "$probe_pid" || true
    probe_note=$(python3 - "$tmp/probe.txt" "$i0" "$i1" <<'PY'
import sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
i0, i1 = float(sys.argv[2]), float(sys.argv[3])
inside = [(a, b, rc) for a, b, rc in rows if a < i1]
if not inside:
    print("none started")
else:
    d = [b - a for a, b, rc in inside]
    worst = max(inside, key=lambda r: r[1] - r[0])
    failed = sum(1 for r in inside if r[2] != 0)
    print(f"{len(inside)} reports started during the {i1 - i0:.0f} s import: median {sorted(d)[len(d) // 2]:.2f} s, "
          f"longest {max(d):.2f} s (started {max(0, worst[0] - i0):.0f} s in, ended {worst[1] - i1:+.1f} s from the import's end); "
          f"{failed} failed")
PY
)
    log "reports of ${codes[0]} during the import of $code: $probe_note"
  fi
done
# the statements of the last import that took the most time (their own time, in the
# server; the foreign-key checks PostgreSQL runs per row are statements of their own)
top_statements=$(psql "$super/multi" -XAtq -F$'\t' -c "SELECT round((total_exec_time / 1000)::numeric, 1), calls,
    left(regexp_replace(regexp_replace(query, '\s+', ' ', 'g'), '\\\$\d+(, \\\$\d+)+', '...', 'g'), 110)
  FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'multi')
  ORDER BY total_exec_time DESC LIMIT 10")
log "the last import's statements by time: $(echo "$top_statements" | head -3 | tr '\t\n' ' ;')"
# the baseline: the first service's dataset alone, in a database with the same services
# set-up (main and s01) but no other service's rows
c1=${codes[0]}
run "$bin" --db "$owner1" service add "$c1" --name "Dienst ${c1#s}" --host "$(host_of "$c1")"
timed "$tmp/import-single.out" "$bin" --db "$owner1" --service "$c1" import "$set_dir/$c1"
imp1_sec=$SEC
imp1_rss=$RSS_MB
log "baseline import $c1 alone: ${SEC} s, peak RSS ${RSS_MB} MB"
# and as a superuser into a database of one service, the import's fast path: row-level
# security bypassed, so COPY straight into the tables (no staging table), and the table
# empty in a database of one service, so the registrations' secondary indexes and foreign
# keys are set aside and made once at the end
psql "$super/postgres" -Xqc "CREATE DATABASE bypass"
run "$bin" --db "$super/bypass" init
timed "$tmp/import-bypass.out" "$bin" --db "$super/bypass" import "$set_dir/$c1"
impb_sec=$SEC
impb_rss=$RSS_MB
psql "$super/postgres" -Xqc "DROP DATABASE bypass"
log "baseline import $c1 as a superuser into a database of one service: ${SEC} s, peak RSS ${RSS_MB} MB"
# the first report straight after the imports, with whatever statistics autovacuum has
# gathered so far (the import does not ANALYZE)
report "$app" "$tmp/report-multi-first.json"
first_multi=$SEC
psql "$super/multi" -Xqc "ANALYZE"
psql "$super/single" -Xqc "ANALYZE"

while read -r code n; do
  [ -z "${reg_count[$code]:-}" ] || [ "$n" = "${reg_count[$code]}" ] ||
    { log "service $code holds $n registrations, its dataset ${reg_count[$code]}"; exit 1; }
done < <(q "$super/multi" "SELECT s.code, count(r.*) FROM service s LEFT JOIN registration r ON r.service_id = s.id GROUP BY s.code ORDER BY s.code")
stored_total=$(q "$super/multi" "SELECT count(*) FROM registration")
[ "$stored_total" = "$total_regs" ] || { log "the database holds $stored_total registrations, the datasets $total_regs"; exit 1; }
size_multi=$(q "$super/postgres" "SELECT pg_size_pretty(pg_database_size('multi'))")
size_single=$(q "$super/postgres" "SELECT pg_size_pretty(pg_database_size('single'))")
rel_sizes=$(q "$super/multi" "SELECT string_agg(format('%s %s (%s rows)', c.relname, pg_size_pretty(pg_total_relation_size(c.oid)), to_char(c.reltuples, 'FM999,999,999,999')), ', ' ORDER BY pg_total_relation_size(c.oid) DESC)
  FROM (SELECT * FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY pg_total_relation_size(oid) DESC LIMIT 5) c")
log "stored: $stored_total registrations; database multi $size_multi, single $size_single; largest tables: $rel_sizes"

# ------------------------------------------------------------------ report of one service
rep_multi=()
rep_single=()
rep_rss=0
for r in $(seq "$runs"); do
  report "$app" "$tmp/report-multi.json"
  rep_multi+=("$SEC")
  [ "$RSS_MB" -gt "$rep_rss" ] && rep_rss=$RSS_MB
  report "$app1" "$tmp/report-single.json"
  rep_single+=("$SEC")
  log "report run $r: ${rep_multi[-1]} s with $services services, ${rep_single[-1]} s alone"
done
read -r rm_med rm_min rm_max <<<"$(stats "${rep_multi[@]}")"
read -r rs_med rs_min rs_max <<<"$(stats "${rep_single[@]}")"
failed=0
agree=$("$facts_diff" "$tmp/report-single.json" "$tmp/report-multi.json" 2>&1 | tail -1) || true
case "$agree" in *" 0 failed") ;; *) failed=1; log "the facts of $c1 differ between the two databases: $agree" ;; esac
log "facts of $c1, alone against among $services: $agree"

# ------------------------------------------------------------------ plans (auto_explain)
explain_on() {
  psql "$super/postgres" -Xq -v ON_ERROR_STOP=1 <<SQL
ALTER ROLE bereik_app IN DATABASE $1 SET session_preload_libraries = 'auto_explain';
ALTER ROLE bereik_app IN DATABASE $1 SET auto_explain.log_min_duration = 0;
ALTER ROLE bereik_app IN DATABASE $1 SET auto_explain.log_analyze = on;
ALTER ROLE bereik_app IN DATABASE $1 SET auto_explain.log_buffers = on;
ALTER ROLE bereik_app IN DATABASE $1 SET auto_explain.log_format = json;
SQL
}
explain_off() { psql "$super/postgres" -Xqc "ALTER ROLE bereik_app IN DATABASE $1 RESET ALL"; }
plan_log() { # DB APP_URI OUT: the server log written while one report ran
  local before after
  explain_on "$1"
  before=$(stat -c %s "$pg_dir/server.log")
  report "$2" "$tmp/report-explain.json"
  sleep 1
  after=$(stat -c %s "$pg_dir/server.log")
  explain_off "$1"
  tail -c +"$((before + 1))" "$pg_dir/server.log" | head -c "$((after - before))" >"$3"
}
plan_log multi "$app" "$tmp/plans-multi.log"
plan_log single "$app1" "$tmp/plans-single.log"
python3 "$top/bench/services-plans.py" multi "$tmp/plans-multi.log" single "$tmp/plans-single.log" \
  --md "$tmp/plans.md" >/dev/null 2>"$tmp/plans.err" || { cat "$tmp/plans.err" >&2; exit 1; }
plans_line=$(tail -1 "$tmp/plans.err")
log "$plans_line"

# ------------------------------------------------------------------ servers and nginx
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# a director and a personal API token per service (and in the baseline database)
: >"$tmp/tokens.tsv"
for code in "${codes[@]}"; do
  printf '%s\n' "$password" | run "$bin" --db "$owner" --service "$code" user add bench-director --role director --password-stdin
  t=$("$bin" --db "$owner" --service "$code" user token bench-director --label "bench/services.sh" 2>>"$tmp/stderr")
  [[ "$t" == bereik_* ]] || { log "no API token for $code"; cat "$tmp/stderr" >&2; exit 1; }
  printf '%s\tAuthorization: Bearer %s\n' "$(host_of "$code")" "$t" >>"$tmp/tokens.tsv"
done
printf '%s\n' "$password" | run "$bin" --db "$owner1" --service "$c1" user add bench-director --role director --password-stdin
t=$("$bin" --db "$owner1" --service "$c1" user token bench-director --label "bench/services.sh" 2>>"$tmp/stderr")
printf '%s\tAuthorization: Bearer %s\n' "$(host_of "$c1")" "$t" >"$tmp/tokens-single.tsv"
start_serve() { # DB LOG: one serve process in the background; its port in SERVE_PORT
  SERVE_PORT=$(free_port)
  "$bin" --db "$1" serve --listen "127.0.0.1:$SERVE_PORT" --threads "$threads" --per-ip-limit 1000 \
    --max-connections 2000 --write-rate 0 >/dev/null 2>"$2" &
  pids+=($!)
}
ports=()
for s in $(seq "$n_serve"); do
  start_serve "$app" "$tmp/serve$s.log"
  ports+=("$SERVE_PORT")
done
serve_pids=("${pids[@]}")
start_serve "$app1" "$tmp/serve-single.log"
port1=$SERVE_PORT
for p in "${ports[@]}" "$port1"; do
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$p/healthz" >/dev/null && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$p/healthz" >/dev/null || { log "serve on port $p did not start"; cat "$tmp"/serve*.log >&2; exit 1; }
done
# nginx: one server block with the upstream of docs/DEPLOYMENT.md (connections to the
# upstream kept open), and one with a new upstream connection per request for comparison
nport=$(free_port)
kport=$(free_port)
mkdir -p "$tmp/nginx/logs"
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root root;" # as root, nginx's workers would become nobody
location() { # UPSTREAM [keepalive]
  echo "        location / {"
  echo "            proxy_pass http://$1;"
  echo "            proxy_http_version 1.1;"
  [ -z "${2:-}" ] || echo "            proxy_set_header Connection        \"\";"
  echo "            proxy_set_header Host              \$host;"
  echo "            proxy_set_header X-Forwarded-For   \$proxy_add_x_forwarded_for;"
  echo "            proxy_set_header X-Forwarded-Proto \$scheme;"
  echo "            proxy_next_upstream error timeout http_503;"
  echo "            proxy_connect_timeout 5s;"
  echo "            proxy_send_timeout    60s;"
  echo "            proxy_read_timeout    60s;"
  echo "        }"
}
{
  echo "$user_line"
  echo "worker_processes auto;"
  echo "pid $tmp/nginx/nginx.pid;"
  echo "error_log $tmp/nginx/logs/error.log;"
  echo "events { worker_connections 1024; }"
  echo "http {"
  echo "    access_log off;"
  echo "    client_body_temp_path $tmp/nginx/body;"
  for d in proxy fastcgi uwsgi scgi; do echo "    ${d}_temp_path $tmp/nginx/$d;"; done
  for u in bereik bereik_fresh; do
    echo "    upstream $u {"
    echo "        least_conn;"
    for p in "${ports[@]}"; do echo "        server 127.0.0.1:$p max_fails=3 fail_timeout=10s;"; done
    [ "$u" = bereik_fresh ] || echo "        keepalive 32;"
    echo "    }"
  done
  echo "    # as docs/DEPLOYMENT.md (section \"nginx upstream\"), plain HTTP on 127.0.0.1"
  echo "    server {"
  echo "        listen 127.0.0.1:$nport;"
  location bereik keepalive
  echo "    }"
  echo "    # the same with a new connection to the upstream per request"
  echo "    server {"
  echo "        listen 127.0.0.1:$kport;"
  location bereik_fresh
  echo "    }"
  echo "}"
} >"$tmp/nginx/nginx.conf"
nginx_conf="$tmp/nginx/nginx.conf"
"$nginx" -p "$tmp/nginx" -c "$nginx_conf" -t >"$tmp/nginx/t.log" 2>&1 || { cat "$tmp/nginx/t.log" >&2; exit 1; }
"$nginx" -p "$tmp/nginx" -c "$nginx_conf" 2>"$tmp/nginx/start.log" || { cat "$tmp/nginx/start.log" >&2; exit 1; }
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nport/healthz" >/dev/null && break; sleep 0.1; done
nbase="http://127.0.0.1:$nport"
kbase="http://127.0.0.1:$kport"
dbase="http://127.0.0.1:${ports[0]}"
sbase="http://127.0.0.1:$port1"
log "$n_serve x serve (--threads $threads) on ports ${ports[*]}; nginx on $nport (a new upstream connection per request: $kport); serve on database single: $port1"

# login: one session per service (through nginx: any instance may answer, the session
# is in the database), and one in the baseline database
login() { # BASE HOST: prints "HOST<TAB>Cookie: bereik_session=..."
  local jar="$tmp/jar-$2-${1##*:}" csrf sid
  curl -s -H "Host: $2" -c "$jar" -b "$jar" "$1/login" -o "$tmp/login.html"
  csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$tmp/login.html" | head -1 | sed 's/.*value="//; s/"$//')
  curl -s -H "Host: $2" -c "$jar" -b "$jar" -o /dev/null \
    --data "csrf=$csrf&login=bench-director&password=$password&next=/" "$1/login"
  sid=$(awk '$6 == "bereik_session" { print $7 }' "$jar")
  [ -n "$sid" ] || { log "login as bench-director at $2 ($1) failed"; exit 1; }
  printf '%s\tCookie: bereik_session=%s\n' "$2" "$sid"
}
: >"$tmp/cookies.tsv"
for code in "${codes[@]}"; do login "$nbase" "$(host_of "$code")" >>"$tmp/cookies.tsv"; done
login "$sbase" "$(host_of "$c1")" >"$tmp/cookies-single.tsv"
dash_path="/dashboard?jaar=$ys"
ind_path="/api/v1/indicators?year=$ys"

# every service on every serve process: 200 and the service's own page (not a login
# form), which also fills each process's caches; the first answers of the first process
# are timed
first_dash=()
first_ind=()
check_all() { # BASE COOKIES TOKENS TIMED(0/1)
  local h hdr out
  while IFS=$'\t' read -r h hdr; do
    out=$(curl -s -H "Host: $h" -H "$hdr" -o "$tmp/page.html" -w '%{http_code} %{time_total}' "$1$dash_path")
    [ "${out%% *}" = 200 ] && ! grep -q 'name="login"' "$tmp/page.html" ||
      { log "dashboard of $h at $1: ${out%% *}"; head -c 600 "$tmp/page.html" >&2; exit 1; }
    [ "$4" = 1 ] && first_dash+=("${out#* }")
  done <"$2"
  while IFS=$'\t' read -r h hdr; do
    out=$(curl -s -H "Host: $h" -H "$hdr" -o "$tmp/ind.json" -w '%{http_code} %{time_total}' "$1$ind_path")
    [ "${out%% *}" = 200 ] || { log "indicators of $h at $1: ${out%% *}"; head -c 600 "$tmp/ind.json" >&2; exit 1; }
    [ "$4" = 1 ] && first_ind+=("${out#* }")
  done <"$3"
  return 0
}
for s in $(seq "$n_serve"); do
  check_all "http://127.0.0.1:${ports[$((s - 1))]}" "$tmp/cookies.tsv" "$tmp/tokens.tsv" "$([ "$s" = 1 ] && echo 1 || echo 0)"
done
check_all "$sbase" "$tmp/cookies-single.tsv" "$tmp/tokens-single.tsv" 0
# and once more asking for gzip, as the runs do: a process compresses the cached main part
# of a page when it is first asked for it compressed after the page was cached
warm_gzip() { # BASE COOKIES TOKENS
  local h hdr
  while IFS=$'\t' read -r h hdr; do
    curl -s --compressed -H "Host: $h" -H "$hdr" -o /dev/null "$1$dash_path"
  done <"$2"
  while IFS=$'\t' read -r h hdr; do
    curl -s --compressed -H "Host: $h" -H "$hdr" -o /dev/null "$1$ind_path"
  done <"$3"
}
for s in $(seq "$n_serve"); do
  warm_gzip "http://127.0.0.1:${ports[$((s - 1))]}" "$tmp/cookies.tsv" "$tmp/tokens.tsv"
done
warm_gzip "$sbase" "$tmp/cookies-single.tsv" "$tmp/tokens-single.tsv"
read -r fd_med fd_min fd_max <<<"$(stats "${first_dash[@]}")"
read -r fi_med fi_min fi_max <<<"$(stats "${first_ind[@]}")"
log "first dashboard per service on one process: median $fd_med s, max $fd_max s; indicators median $fi_med s, max $fi_max s"
# a host no service answers on is refused (the Host header really chooses the service),
# and one service's cookie does not open another's dashboard
unknown=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: nobody.bench" "$nbase$dash_path")
cross=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $(host_of "${codes[-1]}")" -H "$(head -1 "$tmp/cookies.tsv" | cut -f2)" "$nbase$dash_path")

declare -A w_p50=() w_p99=() w_rps=() w_non2xx=() w_status=()
wrk_run() { # KEY AUTH_FILE URL [ACCEPT_ENCODING]
  local key=$1 sock
  BEREIK_ACCEPT_ENCODING=${4-gzip} BEREIK_AUTH_FILE=$2 wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$top/bench/services-rotate.lua" "$3" \
    >"$tmp/wrk-$key.out" 2>&1 || { log "wrk failed"; cat "$tmp/wrk-$key.out" >&2; exit 1; }
  w_p50[$key]=$(awk '$1 == "50%" { print $2 }' "$tmp/wrk-$key.out")
  w_p99[$key]=$(awk '$1 == "99%" { print $2 }' "$tmp/wrk-$key.out")
  w_rps[$key]=$(awk '$1 == "Requests/sec:" { printf "%d", $2 }' "$tmp/wrk-$key.out")
  w_non2xx[$key]=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$tmp/wrk-$key.out")
  w_non2xx[$key]=${w_non2xx[$key]:-0}
  w_status[$key]=$(sed -n 's/^statuses: //p' "$tmp/wrk-$key.out" | sed 's/ ()$//')
  sock=$(grep -o 'Socket errors:.*' "$tmp/wrk-$key.out" || true)
  [ -z "$sock" ] || w_status[$key]+="; ${sock,}"
  log "wrk $key: p50 ${w_p50[$key]}, p99 ${w_p99[$key]}, ${w_rps[$key]}/s, non-2xx ${w_non2xx[$key]}; ${w_status[$key]} (load $(loadavg))"
}
cpu_of() { awk '{ printf "%.1f", ($14 + $15) / 100 }' "/proc/$1/stat"; } # utime + stime, clock ticks of 1/100 s
log "wrk: 2 threads, $connections connections, $seconds s per run"
wrk_load=$(loadavg)
for what in dash ind; do
  if [ $what = dash ]; then auth=$tmp/cookies.tsv auth1=$tmp/cookies-single.tsv path=$dash_path
  else auth=$tmp/tokens.tsv auth1=$tmp/tokens-single.tsv path=$ind_path; fi
  wrk_run "$what-nginx" "$auth" "$nbase$path"
  wrk_run "$what-direct" "$auth" "$dbase$path"
  wrk_run "$what-fresh" "$auth" "$kbase$path"
  wrk_run "$what-plain" "$auth" "$nbase$path" ""
  wrk_run "$what-single" "$auth1" "$sbase$path"
done
serve_rss=()
serve_cpu=()
for p in "${serve_pids[@]}"; do
  serve_rss+=("$(awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$p/status")")
  serve_cpu+=("$(cpu_of "$p")")
done
# the servers' logs: libmicrohttpd's messages (a client gone before its answer, e.g. after
# wrk's 2 s timeout) apart from the rest
lib_msgs=$(cat "$tmp"/serve*.log | grep -c '"event":"http.library_messages"' || true)
errors_in_logs=$(cat "$tmp"/serve*.log | grep -v '"event":"http.library_messages"' | grep -ci 'error' || true)
stop_servers

# ------------------------------------------------------------------ summary
import_rows=""
imp_secs=()
for code in "${codes[@]}"; do
  rate=$(python3 -c "print(${reg_count[$code]} / ${imp_sec[$code]})")
  imp_secs+=("${imp_sec[$code]}")
  import_rows+="| \`--service $code import\` | $(fmt_int "${reg_count[$code]}") | $(fmt_int "$((stored_before[$code]))") | ${imp_sec[$code]} s | **$(fmt_int "$rate")/s** | ${imp_rss[$code]} MB |"$'\n'
done
imp_total=$(python3 -c "import sys; print(f'{sum(float(x) for x in sys.argv[1:]):.1f}')" "${imp_secs[@]}")
read -r is_med is_min is_max <<<"$(stats "${imp_secs[@]}")"
rate1=$(python3 -c "print(${reg_count[$c1]} / $imp1_sec)")
rateb=$(python3 -c "print(${reg_count[$c1]} / $impb_sec)")
rate_med=$(python3 -c "print(${reg_count[$c1]} / $is_med)")
rate_first=$(python3 -c "print(${reg_count[$c1]} / ${imp_sec[$c1]})")
rate_last=$(python3 -c "print(${reg_count[${codes[-1]}]} / ${imp_sec[${codes[-1]}]})")
rep_met=$(python3 -c "print('met' if $rm_max < 1 else ('met (median)' if $rm_med < 1 else 'NOT met'))")
p99_ms() { python3 -c "
import re, sys
m = re.match(r'([0-9.]+)(us|ms|s|m)$', sys.argv[1] or '')
print('' if not m else float(m.group(1)) * {'us': 0.001, 'ms': 1, 's': 1000, 'm': 60000}[m.group(2)])" "$1"; }
met_p99() { python3 -c "import sys; v = sys.argv[1]; print('' if not v else ('met' if float(v) < 50 else 'NOT met'))" "$(p99_ms "$1")"; }
w_ratio() { python3 -c "import sys; a, b = sys.argv[1:]; print(f'{float(a) / float(b):.2f}' if a and b and float(b) > 0 else '')" "$(p99_ms "$1")" "$(p99_ms "$2")"; }
commit=$(git -C "$top" rev-parse --short HEAD)
version=$("$bin" --version)
dirty=$(git -C "$top" diff --quiet HEAD -- src && echo "" || echo ", with uncommitted changes in src")
mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
setup_name() {
  case $1 in
    nginx) echo "nginx + $n_serve serve (DEPLOYMENT.md)" ;;
    fresh) echo "nginx + $n_serve serve, a new upstream connection per request" ;;
    plain) echo "nginx + $n_serve serve (DEPLOYMENT.md), no compression asked" ;;
    direct) echo "1 serve, direct" ;;
    single) echo "1 serve, direct, database \`single\` (s01 only)" ;;
  esac
}
load_rows() { # what label
  local k b
  for k in nginx fresh plain direct single; do
    b="${w_p99[$1-direct]}"
    if [ $k = nginx ]; then
      echo "| $2 | $(setup_name $k) | ${w_p50[$1-$k]} | **${w_p99[$1-$k]}** | ${w_rps[$1-$k]} | ${w_status[$1-$k]} | p99 < 50 ms | $b | **$(w_ratio "${w_p99[$1-$k]}" "$b")** | $(met_p99 "${w_p99[$1-$k]}") |"
    elif [ $k = direct ]; then
      echo "| $2 | $(setup_name $k) | ${w_p50[$1-$k]} | ${w_p99[$1-$k]} | ${w_rps[$1-$k]} | ${w_status[$1-$k]} | | (the baseline) | | $(met_p99 "${w_p99[$1-$k]}") |"
    else
      echo "| $2 | $(setup_name $k) | ${w_p50[$1-$k]} | ${w_p99[$1-$k]} | ${w_rps[$1-$k]} | ${w_status[$1-$k]} | | $b | $(w_ratio "${w_p99[$1-$k]}" "$b") | $(met_p99 "${w_p99[$1-$k]}") |"
    fi
  done
}

# the short summary (stdout), then the section for docs/PERFORMANCE.md
{
  echo "== summary: $services services x $(fmt_int "$registrations") registrations ($(fmt_int "$stored_total") in all), PostgreSQL $pgver, $(nproc) CPUs, load $load_start"
  printf '%-58s %s\n' "import per service, median (min..max)" "$is_med s = $(fmt_int "$rate_med")/s ($is_min..$is_max s; all: $imp_total s)"
  printf '%-58s %s\n' "import s01 into the empty database / s10 into 9 others" "${imp_sec[$c1]} s ($(fmt_int "$rate_first")/s) / ${imp_sec[${codes[-1]}]} s ($(fmt_int "$rate_last")/s)"
  printf '%-58s %s\n' "baseline: s01 alone in database single" "$imp1_sec s ($(fmt_int "$rate1")/s), peak RSS $imp1_rss MB"
  printf '%-58s %s\n' "baseline: s01 as a superuser, database of one service" "$impb_sec s ($(fmt_int "$rateb")/s), peak RSS $impb_rss MB"
  printf '%-58s %s\n' "peak RSS of the imports" "$(printf '%s\n' "${imp_rss[@]}" | sort -n | tail -1) MB at most"
  printf '%-58s %s\n' "reports of s01 while ${codes[-1]} imports" "${probe_note:--}"
  printf '%-58s %s\n' "report s01 among $services, median (min..max)" "$rm_med s ($rm_min..$rm_max) [target < 1 s: $rep_met]"
  printf '%-58s %s\n' "report s01 alone (baseline), median (min..max)" "$rs_med s ($rs_min..$rs_max); ratio $(ratio "$rm_med" "$rs_med")"
  printf '%-58s %s\n' "first report after the imports, before ANALYZE" "$first_multi s"
  printf '%-58s %s\n' "facts of s01 among $services against alone" "$agree"
  printf '%-58s %s\n' "plans of the report" "$plans_line"
  for what in dash ind; do
    for k in nginx fresh plain direct single; do
      printf '%-58s %s\n' "$what, $(setup_name $k | tr -d '`')" "p50 ${w_p50[$what-$k]}, p99 ${w_p99[$what-$k]}, ${w_rps[$what-$k]}/s, ${w_status[$what-$k]}"
    done
  done
  printf '%-58s %s\n' "first dashboard of a service on a fresh process" "median $fd_med s, max $fd_max s (indicators $fi_med s, $fi_max s)"
  printf '%-58s %s\n' "serve processes: CPU s / peak RSS MB" "${serve_cpu[*]} / ${serve_rss[*]}"
  printf '%-58s %s\n' "unknown host / s01's cookie at ${codes[-1]}" "$unknown / $cross"
  echo
} >"$tmp/summary.txt"

section="$tmp/section.md"
{
  echo "<!-- bench:services:begin -->"
  echo "## Several services on PostgreSQL (bench/services.sh)"
  echo
  echo "\`bench/services.sh$([ "$quick" = 1 ] && echo " --quick")\` on $(date -u '+%Y-%m-%d %H:%M UTC') ($version; the work tree at commit $commit$dirty); $(nproc) CPUs, $mem,"
  echo "shared with other work (load average $load_start at the start, $wrk_load before the wrk runs)."
  echo "PostgreSQL $pgver in a throwaway cluster on 127.0.0.1, durable (fsync and full-page writes on,"
  echo "otherwise PostgreSQL's defaults: shared_buffers 128 MB), max_connections $max_conn. One database"
  echo "\`multi\` owned by \`bereik_owner\` with $services services (\`service add sNN --host sNN.bench\`; service \`main\`"
  echo "stays empty); the commands that read and the servers run as \`bereik_app\` (no BYPASSRLS, not"
  echo "the owner), the imports as the owner. Each service: \`bench/gen-dataset.py --registrations $registrations"
  echo "--years $years --first-year $first_year --advisors $advisors --institutions $institutions --seed N\` (N = 1 for s01, 2 for s02, ...);"
  echo "s01: $ds_summary. Baseline database \`single\`: the same set-up with only s01 and its dataset."
  echo "In all: $(fmt_int "$stored_total") registrations; database \`multi\` $size_multi, \`single\` $size_single."
  echo "Largest tables of \`multi\`: $rel_sizes."
  echo
  echo "### Import, one service after the other"
  echo
  echo "| command | registrations | other services' registrations already there | time | rate | peak RSS of \`bereik\` |"
  echo "| --- | --- | --- | --- | --- | --- |"
  printf '%s' "$import_rows"
  echo
  echo "| figure | measured | target | baseline, same run | ratio | target met |"
  echo "| --- | --- | --- | --- | --- | --- |"
  echo "| import of one service, median of the $services | $is_med s, **$(fmt_int "$rate_med")/s** (min $is_min s, max $is_max s; all $services: $imp_total s) | >= 100,000/s | s01's dataset into the database that holds only s01: $imp1_sec s, $(fmt_int "$rate1")/s, peak RSS $imp1_rss MB | **$(ratio "$is_med" "$imp1_sec")** x the time | $(python3 -c "print('met' if $rate_med >= 100000 else 'NOT met')") |"
  echo "| import of the last service (${codes[-1]}) | ${imp_sec[${codes[-1]}]} s, $(fmt_int "$rate_last")/s | | $imp1_sec s | **$(ratio "${imp_sec[${codes[-1]}]}" "$imp1_sec")** x the time | |"
  echo "| import of s01's dataset into the database \`single\` (the owner, through the staging table) | $imp1_sec s, $(fmt_int "$rate1")/s | >= 100,000/s | the same as a superuser into a database of one service (the fast path: RLS bypassed, so \`COPY\` straight into the tables; the secondary indexes and foreign keys of the registrations made once at the end): $impb_sec s, $(fmt_int "$rateb")/s, peak RSS $impb_rss MB | **$(ratio "$imp1_sec" "$impb_sec")** x the time | $(python3 -c "print('met' if $rate1 >= 100000 else 'NOT met')") |"
  echo "| reports of s01 (one every 5 s) while ${codes[-1]} imports | $probe_note | | report of s01, median below | | |"
  echo
  echo "Where the import of the last service (${codes[-1]}) spent its time in the server, by"
  echo "\`pg_stat_statements\` (the ten statements with the most time; the per-row foreign-key checks"
  echo "PostgreSQL runs for each inserted row appear as statements of their own, and their time is"
  echo "also counted in the INSERT that fired them):"
  echo
  echo "| seconds | calls | statement |"
  echo "| --- | --- | --- |"
  echo "$top_statements" | awk -F'\t' 'NF >= 3 { gsub(/\|/, "\\|", $3); printf "| %s | %s | `%s` |\n", $1, $2, $3 }'
  echo
  echo "### Report of one service"
  echo
  echo "\`bereik --db APP_URI --service s01 report --format json -o FILE\` (all $years school years), $runs runs in each"
  echo "database, alternating, after \`ANALYZE\`:"
  echo
  echo "| figure | measured | target | baseline, same run | ratio | target met |"
  echo "| --- | --- | --- | --- | --- | --- |"
  echo "| report of s01 among $services services | **$rm_med s** median (min $rm_min s, max $rm_max s); peak RSS $rep_rss MB | < 1 s | s01 alone: $rs_med s median (min $rs_min s, max $rs_max s) | **$(ratio "$rm_med" "$rs_med")** | $rep_met |"
  echo "| first report straight after the imports (autovacuum's statistics only) | $first_multi s | | | | |"
  echo "| facts of s01, among $services against alone (\`facts-diff\`) | $agree | all agree | | | $([ "$failed" = 0 ] && echo met || echo "NOT met") |"
  echo
  echo "### Dashboard and indicators, the $services services in turn"
  echo
  echo "wrk, 2 threads, $connections connections, $seconds s per row; each request carries the Host of the next service"
  echo "and that service's credential (\`bench/services-rotate.lua\`): a director's session cookie for"
  echo "\`GET $dash_path\`, the director's personal API token for \`GET $ind_path\`."
  echo "Four \`bereik serve\` (\`--threads $threads\` each) behind nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///') (\`worker_processes auto\`) with the"
  echo "upstream block of docs/DEPLOYMENT.md (\`least_conn\`, \`keepalive 32\`, \`proxy_http_version 1.1\`,"
  echo "\`proxy_set_header Connection \"\"\`, \`proxy_set_header Host \$host\`); the same without \`keepalive\` (a new"
  echo "connection to the upstream per request, as DEPLOYMENT.md had it before); the same without"
  echo "asking for compression. Every other row asks for gzip (\`Accept-Encoding: gzip\`), as browsers do."
  echo "Baseline: the same wrk load straight at one of the four"
  echo "processes; and one serve process on the database \`single\`, every request for s01. Before the"
  echo "runs every service's dashboard and indicators were asked once on every process (200, the"
  echo "service's own page). A host no service answers on got $unknown; s01's session cookie sent to"
  echo "${codes[-1]}'s host got $cross."
  echo
  echo "| request | set-up | p50 | p99 | requests/s | answers (wrk) | target | baseline p99 (1 serve, direct) | ratio p99 | target met |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  load_rows dash dashboard
  load_rows ind indicators
  echo
  echo "- The first dashboard of each service on a fresh process (forms the year's facts, weekly sums,"
  echo "  impact measures): median $fd_med s, max $fd_max s over the $services services; the first indicators"
  echo "  median $fi_med s, max $fi_max s."
  echo "- The four serve processes over all runs (the first one also took the direct runs): CPU"
  echo "  ${serve_cpu[*]} s; peak RSS ${serve_rss[*]} MB. Their logs: $lib_msgs summaries of libmicrohttpd messages"
  echo "  (answers to clients already gone, after wrk's 2 s timeout), $errors_in_logs other lines with \"error\"."
  echo
  echo "### The plans of the report"
  echo
  echo "Every statement of one \`--service s01 report\` in each database, with auto_explain"
  echo "(\`log_analyze\`, \`log_buffers\`, JSON; \`bench/services-plans.py\`); the slowest in \`multi\` first."
  echo "Buffers are 8 kB pages, hit or read; \`current service\` stands for the policy's"
  echo "\`bereik_current_service()\` after inlining. Scans that returned or filtered fewer than 1,000 rows"
  echo "through an index are left out of the last column."
  echo
  cat "$tmp/plans.md"
  echo "<!-- bench:services:end -->"
} >"$section"
echo
cat "$tmp/summary.txt"
cat "$section"
if [ "$write_doc" = 1 ]; then
  python3 - "$top/docs/PERFORMANCE.md" "$section" <<'PY'
import sys
doc, sec = open(sys.argv[1], encoding="utf-8").read(), open(sys.argv[2], encoding="utf-8").read()
b, e = "<!-- bench:services:begin -->", "<!-- bench:services:end -->\n"
if b in doc:
    i, j = doc.index(b), doc.index(e) + len(e)
    doc = doc[:i] + sec + doc[j:]
else:
    i = doc.index("## History")
    doc = doc[:i] + sec + "\n" + doc[i:]
open(sys.argv[1], "w", encoding="utf-8").write(doc)
PY
  log "docs/PERFORMANCE.md updated (section bench:services)"
fi
exit $failed
