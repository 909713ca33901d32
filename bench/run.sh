#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
#
# Benchmark of bereik: import and yearly report on a generated dataset, against the targets
# (import >= 100,000 registrations/s with full validation; 5-year report < 1 s), and the
# same report written by hand in SQL (bench/hand-report.sql) run by the sqlite3 shell on
# the same database file as a baseline.
#
# usage: bench/run.sh [--registrations N] [--runs N] [--no-doc] [--check-dataset] [--keep]
#
#   --registrations N  size of the dataset (default 1000000)
#   --runs N           runs of the report and of the hand-written SQL; the best counts (3)
#   --no-doc           do not write docs/PERFORMANCE.md (bench/smoke.sh uses this)
#   --check-dataset    check the generated dataset with bench/check-dataset.py first
#   --keep             keep the temporary directory (dataset, database, outputs)
#
# Builds nothing: expects build/bereik (or $BEREIK_BIN). Needs python3 and sqlite3;
# uses /usr/bin/time -v for peak RSS when it is there. The facts of the report are
# compared with those of the hand-written SQL; any difference fails the run.
# Exit status: 0 ok, 1 a step failed or the facts differ, 2 usage.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
bench="$top/bench"
bin=${BEREIK_BIN:-$top/build/bereik}
registrations=1000000
runs=3
write_doc=1
check_dataset=0
keep=0
first_year=2020
years=5
seed=1

usage() { sed -n '9,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --registrations) [ $# -ge 2 ] || usage; registrations=$2; shift 2 ;;
    --registrations=*) registrations=${1#*=}; shift ;;
    --runs) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
    --no-doc) write_doc=0; shift ;;
    --check-dataset) check_dataset=1; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) usage ;;
    *) echo "run.sh: unknown argument: $1" >&2; usage ;;
  esac
done
case "$registrations" in ''|*[!0-9]*) echo "run.sh: --registrations needs a number" >&2; exit 2 ;; esac
case "$runs" in ''|*[!0-9]*|0) echo "run.sh: --runs needs a number >= 1" >&2; exit 2 ;; esac

die() { echo "run.sh: $*" >&2; exit 1; }
[ -x "$bin" ] || die "$bin not found or not executable: build it first (bench/ builds nothing)"
command -v python3 >/dev/null || die "python3 not found"
command -v sqlite3 >/dev/null || die "sqlite3 (the shell) not found"

have_time=0
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then have_time=1; fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bereik-bench.XXXXXX")
cleanup() { if [ "$keep" = 1 ]; then echo "run.sh: kept $tmp" >&2; else rm -rf "$tmp"; fi; }
trap cleanup EXIT
data="$tmp/data"
db="$tmp/bench.db"
last_year=$((first_year + years - 1))
year_range="$first_year-$((first_year + 1))..$last_year-$((last_year + 1))"

log() { echo "run.sh: $*" >&2; }

# measure OUTFILE CMD...: runs CMD with stdout to OUTFILE and stderr to $tmp/stderr;
# sets SEC (wall seconds) and RSS_KB (peak resident set, empty without /usr/bin/time).
# On failure prints the end of stderr and exits 1.
SEC=0
RSS_KB=
measure() {
  local out=$1; shift
  local t0 t1 rc=0
  t0=$(date +%s%N)
  if [ "$have_time" = 1 ]; then
    /usr/bin/time -v -o "$tmp/time.txt" "$@" >"$out" 2>"$tmp/stderr" || rc=$?
  else
    "$@" >"$out" 2>"$tmp/stderr" || rc=$?
  fi
  t1=$(date +%s%N)
  if [ "$rc" != 0 ]; then
    echo "run.sh: FAILED (exit $rc): $*" >&2
    tail -n 30 "$tmp/stderr" >&2
    exit 1
  fi
  SEC=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  RSS_KB=
  if [ "$have_time" = 1 ]; then
    RSS_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/time.txt")
  fi
}

# best of $runs: sets BEST and BEST_RSS (the largest peak RSS over the runs)
best_of() {
  local out=$1; shift
  local i
  BEST=
  BEST_RSS=
  for i in $(seq 1 "$runs"); do
    measure "$out" "$@"
    log "  run $i: ${SEC} s"
    if [ -z "$BEST" ] || awk -v a="$SEC" -v b="$BEST" 'BEGIN { exit !(a < b) }'; then BEST=$SEC; fi
    if [ -n "$RSS_KB" ] && { [ -z "$BEST_RSS" ] || [ "$RSS_KB" -gt "$BEST_RSS" ]; }; then BEST_RSS=$RSS_KB; fi
  done
}

# ---------------------------------------------------------------------------- dataset
gen_cmd=(python3 "$bench/gen-dataset.py" --registrations "$registrations" --years "$years"
         --first-year "$first_year" --seed "$seed" "$data")
log "generating $registrations registrations into $data"
measure /dev/null "${gen_cmd[@]}"
gen_sec=$SEC
log "  ${gen_sec} s"
if [ "$check_dataset" = 1 ]; then
  log "checking the dataset (bench/check-dataset.py)"
  python3 "$bench/check-dataset.py" "$data" >&2 || die "the generated dataset is not valid"
fi

# ---------------------------------------------------------------------------- bereik
log "init"
measure /dev/null "$bin" --db "$db" init
init_sec=$SEC; init_rss=$RSS_KB
log "  ${init_sec} s"

log "import"
measure /dev/null "$bin" --db "$db" import "$data"
import_sec=$SEC; import_rss=$RSS_KB
import_rate=$(awk -v n="$registrations" -v s="$import_sec" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
log "  ${import_sec} s, $import_rate registrations/s"
db_bytes=$(wc -c <"$db")
stored=$(sqlite3 "$db" "SELECT count(*) FROM registration;")
[ "$stored" = "$registrations" ] || die "import stored $stored registrations, expected $registrations"

log "report --years $year_range --format csv (best of $runs)"
best_of /dev/null "$bin" --db "$db" report --years "$year_range" --format csv -o "$tmp/report.csv"
report_sec=$BEST; report_rss=$BEST_RSS
[ -s "$tmp/report.csv" ] || die "the report wrote no facts"

log "hand-written SQL in the sqlite3 shell (best of $runs)"
best_of "$tmp/hand.csv" sqlite3 -bail -csv -header "$db" ".read '$bench/hand-report.sql'"
hand_sec=$BEST; hand_rss=$BEST_RSS
ratio=$(awk -v a="$report_sec" -v b="$hand_sec" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')

# ---------------------------------------------------------------------------- compare
log "report --impact --years $year_range --format csv (best of $runs; the facts, then the impact measures)"
best_of /dev/null "$bin" --db "$db" report --impact --years "$year_range" --format csv -o "$tmp/impact.csv"
impact_sec=$BEST; impact_rss=$BEST_RSS
[ -s "$tmp/impact.csv" ] || die "report --impact wrote no facts"

log "comparing the report's facts with the hand-written SQL"
compare_out=$(python3 - "$tmp/hand.csv" "$tmp/report.csv" <<'EOF'
import csv, sys
def load(p):
    with open(p, encoding="utf-8-sig", newline="") as f:
        return {(r["table"], r["year"], r["row"], r["col"]): float(r["value"]) for r in csv.DictReader(f)}
hand, rep = load(sys.argv[1]), load(sys.argv[2])
# the hand-written SQL covers every table; a fact absent on one side counts as 0, and the
# sqlite3 shell prints 15 significant digits, hence the relative tolerance
bad = []
for k in sorted(set(hand) | set(rep)):
    a, b = hand.get(k, 0.0), rep.get(k, 0.0)
    if abs(a - b) > max(1e-9, 1e-9 * max(abs(a), abs(b))):
        bad.append("%s: hand-written SQL %r, report %r" % (",".join(k), a, b))
for line in bad[:20]:
    print("  differs: " + line, file=sys.stderr)
print("%d %d" % (len(set(hand) | set(rep)) - len(bad), len(bad)))
EOF
)
facts_ok=${compare_out% *}
facts_bad=${compare_out#* }
log "  $facts_ok facts agree, $facts_bad differ"

# ---------------------------------------------------------------------------- summary
kb2mb() { if [ -n "$1" ]; then awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; else echo "n/a"; fi; }
import_target=$(awk -v r="$import_rate" 'BEGIN { print (r >= 100000 ? "met" : "NOT met") }')
report_target=$(awk -v s="$report_sec" 'BEGIN { print (s < 1 ? "met" : "NOT met") }')
{
  echo
  echo "== bereik benchmark: $registrations registrations, $years school years ($year_range)"
  printf '%-30s %9s s\n' "generate dataset" "$gen_sec"
  printf '%-30s %9s s   peak RSS %s\n' "init" "$init_sec" "$(kb2mb "$init_rss")"
  printf '%-30s %9s s   peak RSS %s   %s registrations/s (target >= 100000: %s)\n' \
    "import" "$import_sec" "$(kb2mb "$import_rss")" "$import_rate" "$import_target"
  printf '%-30s %9s s   peak RSS %s   (target < 1 s: %s)\n' \
    "report (best of $runs)" "$report_sec" "$(kb2mb "$report_rss")" "$report_target"
  printf '%-30s %9s s   peak RSS %s\n' "hand-written SQL (best of $runs)" "$hand_sec" "$(kb2mb "$hand_rss")"
  printf '%-30s %9s s   peak RSS %s   (docs/IMPACT.md; includes the report)\n' "report --impact (best of $runs)" \
    "$impact_sec" "$(kb2mb "$impact_rss")"
  printf '%-30s %9s\n' "report / hand-written SQL" "$ratio"
  printf '%-30s %9s MB\n' "database file" "$((db_bytes / 1048576))"
  printf '%-30s %s agree, %s differ\n' "facts" "$facts_ok" "$facts_bad"
} >&2

# ---------------------------------------------------------------------------- docs/PERFORMANCE.md
if [ "$write_doc" = 1 ]; then
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
  [ -n "$cpu" ] || cpu=$(uname -m)
  mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo "unknown")
  commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo "none (no commit yet)")
  if [ -n "$(git -C "$top" status --porcelain 2>/dev/null | head -1)" ]; then commit="$commit, with uncommitted changes"; fi
  build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$top/build/CMakeCache.txt" 2>/dev/null || true)
  fs=$(df -PT "$tmp" 2>/dev/null | awk 'NR == 2 { print $2 }')
  BENCH_N=$registrations BENCH_YEARS=$years BENCH_RANGE=$year_range BENCH_RUNS=$runs \
  BENCH_GEN=$gen_sec BENCH_INIT=$init_sec BENCH_IMPORT=$import_sec BENCH_RATE=$import_rate \
  BENCH_REPORT=$report_sec BENCH_HAND=$hand_sec BENCH_RATIO=$ratio \
  BENCH_INIT_RSS=$(kb2mb "$init_rss") BENCH_IMPORT_RSS=$(kb2mb "$import_rss") \
  BENCH_REPORT_RSS=$(kb2mb "$report_rss") BENCH_HAND_RSS=$(kb2mb "$hand_rss") \
  BENCH_DB_MB=$((db_bytes / 1048576)) BENCH_FACTS_OK=$facts_ok BENCH_FACTS_BAD=$facts_bad \
  BENCH_IMPORT_TARGET=$import_target BENCH_REPORT_TARGET=$report_target \
  BENCH_NPROC=$(nproc) BENCH_CPU=$cpu BENCH_MEM=$mem BENCH_OS="$(uname -sr)" \
  BENCH_SQLITE="$(sqlite3 --version | cut -d' ' -f1)" BENCH_BUILD=${build_type:-unknown} \
  BENCH_FS=${fs:-unknown} BENCH_COMMIT=$commit BENCH_DATE="$(date -u +'%Y-%m-%d %H:%M UTC')" \
  BENCH_SEED=$seed BENCH_FIRST=$first_year \
    python3 - "$top/docs/PERFORMANCE.md" <<'EOF'
import os, sys
e = os.environ
path = sys.argv[1]
BEGIN, END = "<!-- bench:latest:begin -->", "<!-- bench:latest:end -->"
HIST = "<!-- bench:history -->"
intro = """# Performance

Targets:

- `bereik import`: at least **100,000 registrations per second**, with full validation
  (every rule of `spec/DATA-FORMAT.md` section 1), into an empty SQLite database;
- `bereik report` for five school years: **under 1 second**.

`bench/run.sh` measures both on a generated dataset (`bench/gen-dataset.py`, 1,000,000
registrations over five school years by default) and runs the same report written by hand
in SQL (`bench/hand-report.sql`) in the `sqlite3` shell on the same database file as a
baseline: the ratio report / hand-written SQL shows what the C code adds or saves over
letting SQLite do all the work. It also checks that both give the same facts. Each run
replaces the section below and adds a line to the history. `bench/smoke.sh` (CI) runs the
same with 20,000 registrations and writes nothing here.

Reproduce (after building `build/bereik`):

    bench/run.sh                      # 1,000,000 registrations, updates this file
    bench/run.sh --registrations N    # another size

"""
latest = f"""{BEGIN}
## Latest run

| | |
| --- | --- |
| date | {e['BENCH_DATE']} |
| git commit | {e['BENCH_COMMIT']} |
| machine | {e['BENCH_NPROC']} CPUs (`nproc`), {e['BENCH_CPU']}, {e['BENCH_MEM']} memory |
| system | {e['BENCH_OS']}, SQLite shell {e['BENCH_SQLITE']}, build type {e['BENCH_BUILD']}, database on {e['BENCH_FS']} |
| dataset | {int(e['BENCH_N']):,} registrations, {e['BENCH_YEARS']} school years ({e['BENCH_RANGE']}), seed {e['BENCH_SEED']}; database file {e['BENCH_DB_MB']} MB |

| step | time | figure | target | peak RSS |
| --- | --- | --- | --- | --- |
| generate dataset (not timed against a target) | {e['BENCH_GEN']} s | | | |
| `init` | {e['BENCH_INIT']} s | | | {e['BENCH_INIT_RSS']} |
| `import` | {e['BENCH_IMPORT']} s | **{int(e['BENCH_RATE']):,} registrations/s** | >= 100,000/s: {e['BENCH_IMPORT_TARGET']} | {e['BENCH_IMPORT_RSS']} |
| `report`, {e['BENCH_YEARS']} years, best of {e['BENCH_RUNS']} | **{e['BENCH_REPORT']} s** | | < 1 s: {e['BENCH_REPORT_TARGET']} | {e['BENCH_REPORT_RSS']} |
| hand-written SQL, `sqlite3` shell, best of {e['BENCH_RUNS']} | {e['BENCH_HAND']} s | report / SQL = **{e['BENCH_RATIO']}** | | {e['BENCH_HAND_RSS']} |

Facts of the report and of the hand-written SQL: {e['BENCH_FACTS_OK']} agree, {e['BENCH_FACTS_BAD']} differ.

Commands (`$TMP` is a fresh temporary directory; times are wall clock, peak RSS from
`/usr/bin/time -v`):

    python3 bench/gen-dataset.py --registrations {e['BENCH_N']} --years {e['BENCH_YEARS']} --first-year {e['BENCH_FIRST']} --seed {e['BENCH_SEED']} $TMP/data
    build/bereik --db $TMP/bench.db init
    build/bereik --db $TMP/bench.db import $TMP/data
    build/bereik --db $TMP/bench.db report --years {e['BENCH_RANGE']} --format csv -o $TMP/report.csv
    sqlite3 -bail -csv -header $TMP/bench.db ".read 'bench/hand-report.sql'" > $TMP/hand.csv
{END}
"""
row = "| {} | {} | {} CPUs, {} | {:,} | {:,}/s | {} s | {} s | {} |".format(
    e['BENCH_DATE'], e['BENCH_COMMIT'], e['BENCH_NPROC'], e['BENCH_CPU'], int(e['BENCH_N']),
    int(e['BENCH_RATE']), e['BENCH_REPORT'], e['BENCH_HAND'], e['BENCH_RATIO'])
hist_head = ("## History\n\n| date | commit | machine | registrations | import | report | "
             "hand SQL | ratio |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n")
text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
if BEGIN in text and END in text:
    a, b = text.index(BEGIN), text.index(END) + len(END)
    text = text[:a] + latest.rstrip("\n") + text[b:]
else:
    if not text.strip():
        text = "<!-- SPDX-License-Identifier: EUPL-1.2 -->\n" + intro
    text = text.rstrip("\n") + "\n\n" + latest
if HIST not in text:
    text = text.rstrip("\n") + "\n\n" + hist_head + HIST + "\n"
text = text.replace(HIST, row + "\n" + HIST, 1)
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w", encoding="utf-8") as f:
    f.write(text)
EOF
  log "updated docs/PERFORMANCE.md"
fi

if [ "$facts_bad" != 0 ]; then
  die "the report and the hand-written SQL disagree on $facts_bad facts (see above)"
fi
