#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
#
# Load test of `bereik serve` with wrk (Debian) on the 1,000,000-registration benchmark
# database (SQLite, synchronous=FULL): the dashboard and the report page at 64
# connections, durable registration POSTs through the API at 16 and 64 connections, and
# the dashboard while registrations are posted. Records p50/p99 latency, throughput and
# the server's peak RSS in docs/PERFORMANCE.md (section between the bench:load markers).
# Targets: dashboard p99 < 50 ms at 64 connections; >= 1,000 durable POSTs/s; RSS < 100 MB.
#
# usage: bench/load.sh [--seconds N] [--no-doc] [--keep]
# Builds nothing: expects build/bereik (or $BEREIK_BIN). Outside CI (minutes, 2 cores).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BEREIK_BIN:-$top/build/bereik}
seconds=20
write_doc=1
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --no-doc) write_doc=0; shift ;;
    --keep) keep=1; shift ;;
    *) sed -n '12,13p' "$0" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk not found (Debian package wrk)"; exit 1; }
tmp=$(mktemp -d /tmp/bereik-load.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; [ "$keep" = 1 ] || rm -rf "$tmp"; }
trap cleanup EXIT

echo "== dataset and database (1,000,000 registrations)"
python3 "$top/bench/gen-dataset.py" --registrations 1000000 --seed 1 "$tmp/ds" >/dev/null
db="$tmp/load.db"
"$bin" --db "$db" init
"$bin" --db "$db" import "$tmp/ds" >/dev/null
printf 'load-test-password\n' | "$bin" --db "$db" user add directie --role director --password-stdin
adv=$(sqlite3 "$db" "SELECT code FROM advisor WHERE end_date IS NULL ORDER BY code LIMIT 1")
inst=$(sqlite3 "$db" "SELECT number FROM institution WHERE active = 1 ORDER BY number LIMIT 1")
year=$(sqlite3 "$db" "SELECT MAX(school_year) FROM setting")
ys="$year-$((year + 1))"
printf 'load-test-password\n' | "$bin" --db "$db" user add poster --role advisor --advisor "$adv" --password-stdin
token=$("$bin" --db "$db" user token poster)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" --db "$db" serve --listen "127.0.0.1:$port" --per-ip-limit 1000 --max-connections 2000 --write-rate 0 2>"$tmp/serve.log" &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
curl -s -c "$tmp/jar" -b "$tmp/jar" "$base/login" -o "$tmp/l.html"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$tmp/l.html" | head -1 | sed 's/.*value="//; s/"$//')
curl -s -c "$tmp/jar" -b "$tmp/jar" -o /dev/null --data "csrf=$csrf&login=directie&password=load-test-password" "$base/login"
cookie="bereik_session=$(awk '$6 == "bereik_session" {print $7}' "$tmp/jar")"
first_dash=$(curl -s -b "$tmp/jar" -o /dev/null -w '%{time_total}' "$base/dashboard?jaar=$ys")
first_report=$(curl -s -b "$tmp/jar" -o /dev/null -w '%{time_total}' "$base/rapport?jaar=$ys")

rows=()
run() { # label connections wrk-args...
  local label=$1 c=$2
  shift 2
  wrk -t2 -c"$c" -d"${seconds}s" --latency "$@" >"$tmp/wrk.out" 2>&1
  local p50 p99 rps
  p50=$(awk '$1 == "50%" {print $2}' "$tmp/wrk.out")
  p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk.out")
  rps=$(awk '$1 == "Requests/sec:" {printf "%d", $2}' "$tmp/wrk.out")
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$tmp/wrk.out")
  echo "$label: c=$c p50=$p50 p99=$p99 ${rps}/s ${non2xx:+non-2xx=$non2xx}"
  rows+=("| $label | $c | $p50 | $p99 | $rps |${non2xx:+ $non2xx non-2xx}")
}
export BEREIK_TOKEN=$token BEREIK_ADVISOR=$adv BEREIK_INSTITUTION=$inst \
  BEREIK_EPOCH=$(date -u -d "$year-09-01" +%s) BEREIK_DAYS=365
echo "== wrk, $seconds s per run"
run "GET /dashboard (director)" 64 -H "Cookie: $cookie" "$base/dashboard?jaar=$ys"
run "GET /rapport (director)" 64 -H "Cookie: $cookie" "$base/rapport?jaar=$ys"
c0=$(sqlite3 "$db" "SELECT COUNT(*) FROM registration")
BEREIK_RUN=a run "POST /api/v1/registrations" 16 -s "$top/bench/post-registration.lua" "$base"
BEREIK_RUN=b run "POST /api/v1/registrations" 64 -s "$top/bench/post-registration.lua" "$base"
c1=$(sqlite3 "$db" "SELECT COUNT(*) FROM registration")
# the dashboard while registrations keep coming (each write makes it recompute)
BEREIK_RUN=c wrk -t1 -c4 -d"${seconds}s" -s "$top/bench/post-registration.lua" "$base" >"$tmp/bg.out" 2>&1 &
bg=$!
run "GET /dashboard while POSTs run" 64 -H "Cookie: $cookie" "$base/dashboard?jaar=$ys"
wait "$bg"
bg_rps=$(awk '$1 == "Requests/sec:" {printf "%d", $2}' "$tmp/bg.out")
rss=$(awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$pid/status")
stored=$((c1 - c0))
echo "stored by the POST runs: $stored; POSTs beside the mixed run: ${bg_rps}/s; peak RSS ${rss} MB"
echo "first (uncached) dashboard ${first_dash} s, report page ${first_report} s"

if [ "$write_doc" = 1 ]; then
  doc="$top/docs/PERFORMANCE.md"
  {
    echo "<!-- bench:load:begin -->"
    echo "## Load (web and API)"
    echo
    echo "\`bench/load.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$top" rev-parse --short HEAD), $(nproc) CPUs:"
    echo "\`bereik serve\` (2 worker threads, SQLite with \`synchronous=FULL\`) on the generated database of"
    echo "1,000,000 registrations, wrk with 2 threads for $seconds s per row, from the same machine."
    echo
    echo "| request | connections | p50 | p99 | requests/s |"
    echo "| --- | --- | --- | --- | --- |"
    printf '%s\n' "${rows[@]}"
    echo
    echo "- Durable registrations: the two POST rows stored $stored registrations, one write"
    echo "  transaction each, committed with an fsync before the 201 answer."
    echo "- While the last row ran, a second wrk posted ${bg_rps} registrations/s; each makes the"
    echo "  dashboard's cached facts out of date."
    echo "- Peak RSS of the server over all runs: **${rss} MB** (target < 100 MB)."
    echo "- The first dashboard of a year after a change computes the year's facts: ${first_dash} s;"
    echo "  the first report page ${first_report} s. Later requests reuse them until the data changes."
    echo "<!-- bench:load:end -->"
  } >"$tmp/section.md"
  if grep -q '<!-- bench:load:begin -->' "$doc"; then
    python3 - "$doc" "$tmp/section.md" <<'PY'
import sys
doc, sec = open(sys.argv[1]).read(), open(sys.argv[2]).read()
a = doc.index("<!-- bench:load:begin -->")
b = doc.index("<!-- bench:load:end -->") + len("<!-- bench:load:end -->\n")
open(sys.argv[1], "w").write(doc[:a] + sec + doc[b:])
PY
  else
    python3 - "$doc" "$tmp/section.md" <<'PY'
import sys
doc, sec = open(sys.argv[1]).read(), open(sys.argv[2]).read()
a = doc.index("## History")
open(sys.argv[1], "w").write(doc[:a] + sec + "\n" + doc[a:])
PY
  fi
  echo "docs/PERFORMANCE.md updated"
fi
