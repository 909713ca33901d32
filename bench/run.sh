#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
#
# Benchmark of bereik: import and yearly report on generated datasets of one or more data
# shapes (bench/gen-dataset.py --shape), each against its targets and a baseline measured
# in the same run: the sqlite3 shell's flat `.import` of the same registrations.csv for the
# import, and the same report written by hand in SQL (bench/hand-report.sql) in the
# sqlite3 shell on the same database file for the report.
#
# usage: bench/run.sh [--registrations N] [--shape NAME]... [--shapes A,B] [--all-shapes]
#                     [--runs N] [--no-doc] [--check-dataset] [--keep]
#
#   --registrations N  size of every dataset (default: the shape's, 1000000 but for small-service)
#   --shape NAME       a data shape of bench/gen-dataset.py (repeatable; default: default)
#   --shapes A,B,...   the same, comma-separated
#   --all-shapes       default, dense and wide
#   --runs N           runs of the report and of the hand-written SQL; the best counts (3)
#   --no-doc           do not write docs/PERFORMANCE.md (bench/smoke.sh uses this)
#   --check-dataset    check each generated dataset with bench/check-dataset.py first
#   --keep             keep the temporary directory (datasets, databases, outputs)
#
# Targets, per shape: import >= 100,000 registrations/s with full validation and >= 0.5 x
# the flat `.import`; report < 0.5 s and <= 0.2 x the hand-written SQL; the facts of the
# report and the hand-written SQL agree.
#
# Builds nothing: expects build/bereik (or $BEREIK_BIN). Needs python3 and sqlite3;
# uses /usr/bin/time -v for peak RSS when it is there. Prints one table per shape on
# stdout (progress on stderr); without --no-doc replaces the section between
# <!-- bench:latest:begin --> and <!-- bench:latest:end --> of docs/PERFORMANCE.md (or
# $BENCH_DOC) with one table per shape and adds a history row per shape.
# Exit status: 0 ok (targets missed are reported, not failed), 1 a step failed or the
# facts differ, 2 usage.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
bench="$top/bench"
bin=${BEREIK_BIN:-$top/build/bereik}
doc=${BENCH_DOC:-$top/docs/PERFORMANCE.md}
registrations=
runs=3
write_doc=1
check_dataset=0
keep=0
seed=1
shapes=()

usage() { sed -n '10,21p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
add_shapes() { local IFS=,; local s; for s in $1; do [ -n "$s" ] && shapes+=("$s"); done; return 0; }
while [ $# -gt 0 ]; do
  case "$1" in
    --registrations) [ $# -ge 2 ] || usage; registrations=$2; shift 2 ;;
    --registrations=*) registrations=${1#*=}; shift ;;
    --shape|--shapes) [ $# -ge 2 ] || usage; add_shapes "$2"; shift 2 ;;
    --shape=*|--shapes=*) add_shapes "${1#*=}"; shift ;;
    --all-shapes) shapes+=(default dense wide); shift ;;
    --runs) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
    --no-doc) write_doc=0; shift ;;
    --check-dataset) check_dataset=1; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) usage ;;
    *) echo "run.sh: unknown argument: $1" >&2; usage ;;
  esac
done
if [ -n "$registrations" ]; then
  case "$registrations" in *[!0-9]*) echo "run.sh: --registrations needs a number" >&2; exit 2 ;; esac
fi
case "$runs" in ''|*[!0-9]*|0) echo "run.sh: --runs needs a number >= 1" >&2; exit 2 ;; esac
[ ${#shapes[@]} -gt 0 ] || shapes=(default)
# each shape once, in the order given
declare -A seen_shape=()
uniq_shapes=()
for s in "${shapes[@]}"; do
  [ -n "${seen_shape[$s]:-}" ] || uniq_shapes+=("$s")
  seen_shape[$s]=1
done
shapes=("${uniq_shapes[@]}")

die() { echo "run.sh: $*" >&2; exit 1; }
command -v python3 >/dev/null || die "python3 not found"
known=$(python3 "$bench/gen-dataset.py" --list-shapes | awk '{ print $1 }')
for s in "${shapes[@]}"; do
  grep -qx -- "$s" <<<"$known" || { echo "run.sh: unknown shape '$s' (known: $(tr "\n" " " <<<"$known"))" >&2; exit 2; }
done
[ -x "$bin" ] || die "$bin not found or not executable: build it first (bench/ builds nothing)"
command -v sqlite3 >/dev/null || die "sqlite3 (the shell) not found"

have_time=0
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then have_time=1; fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bereik-bench.XXXXXX")
cleanup() { if [ "$keep" = 1 ]; then echo "run.sh: kept $tmp" >&2; else rm -rf "$tmp"; fi; }
trap cleanup EXIT

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

# rate N SECONDS: registrations per second, rounded
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

# run_shape NAME: the whole benchmark of one shape; its figures go to $tmp/NAME.result
# (key=value lines) for the tables at the end. Exits 1 when a step fails.
run_shape() {
  local shape=$1
  local dir="$tmp/$shape"
  local data="$dir/data" db="$dir/bench.db" flat="$dir/flat.db"
  local res="$tmp/$shape.result"
  mkdir -p "$dir"
  : >"$res"
  put() { printf '%s=%s\n' "$1" "$2" >>"$res"; }

  # -------------------------------------------------------------------------- dataset
  local gen_cmd=(python3 "$bench/gen-dataset.py" --shape "$shape")
  [ -z "$registrations" ] || gen_cmd+=(--registrations "$registrations")
  gen_cmd+=(--seed "$seed" "$data")
  log "[$shape] generating into $data: ${gen_cmd[*]:2}"
  measure /dev/null "${gen_cmd[@]}"
  local gen_sec=$SEC gen_summary n
  gen_summary=$(sed -n 's/^gen-dataset: //p' "$tmp/stderr" | tail -1 | sed 's/ in [^ ]*$//')
  n=$(awk '{ print $1 }' <<<"$gen_summary")
  case "$n" in ''|*[!0-9]*) die "[$shape] could not read the number of registrations from gen-dataset" ;; esac
  log "  ${gen_sec} s: $gen_summary"
  if [ "$check_dataset" = 1 ]; then
    log "[$shape] checking the dataset (bench/check-dataset.py)"
    python3 "$bench/check-dataset.py" "$data" >&2 || die "[$shape] the generated dataset is not valid"
  fi
  # the school years of the dataset (settings.csv has one row per year, in order)
  local first_sy last_sy years year_range
  first_sy=$(awk -F, 'NR == 2 { print substr($1, 1, 4) }' "$data/settings.csv")
  last_sy=$(awk -F, 'NR > 1 { y = substr($1, 1, 4) } END { print y }' "$data/settings.csv")
  years=$((last_sy - first_sy + 1))
  year_range="$first_sy-$((first_sy + 1))..$last_sy-$((last_sy + 1))"
  local csv_mb
  csv_mb=$(du -sm "$data" | awk '{ print $1 }')

  # -------------------------------------------------------------------------- baseline: flat .import
  log "[$shape] baseline: sqlite3 .import of registrations.csv into one flat table"
  rm -f "$flat"
  measure /dev/null sqlite3 "$flat" ".mode csv" ".import '$data/registrations.csv' reg"
  local flat_sec=$SEC flat_rows flat_rate
  flat_rows=$(sqlite3 "$flat" "SELECT count(*) FROM reg;")
  [ "$flat_rows" = "$n" ] || die "[$shape] the flat .import read $flat_rows rows, expected $n"
  flat_rate=$(rate "$n" "$flat_sec")
  log "  ${flat_sec} s, $flat_rate rows/s"
  rm -f "$flat"

  # -------------------------------------------------------------------------- bereik
  log "[$shape] init"
  measure /dev/null "$bin" --db "$db" init
  local init_sec=$SEC init_rss=$RSS_KB
  log "[$shape] import"
  measure /dev/null "$bin" --db "$db" import "$data"
  local import_sec=$SEC import_rss=$RSS_KB import_rate db_bytes stored
  import_rate=$(rate "$n" "$import_sec")
  log "  ${import_sec} s, $import_rate registrations/s"
  db_bytes=$(wc -c <"$db")
  stored=$(sqlite3 "$db" "SELECT count(*) FROM registration;")
  [ "$stored" = "$n" ] || die "[$shape] import stored $stored registrations, expected $n"

  # ------------------------------------------- baseline: the rows the schema stores, keyed
  # what bereik writes per registration (its row and its advisor, institution and count
  # rows), exported and loaded by the sqlite3 shell into tables with the same definitions,
  # keys and indexes, without any validation: how fast SQLite stores these rows at all
  log "[$shape] baseline: sqlite3 .import of the stored rows into the same four tables"
  local keyed="$dir/keyed.db" t keyed_rows=0
  rm -f "$keyed"
  for t in registration registration_advisor registration_institution registration_count; do
    sqlite3 "$db" ".schema $t" >>"$dir/keyed.sql"
    sqlite3 -csv "$db" "SELECT * FROM $t" >"$dir/$t.csv"
    keyed_rows=$((keyed_rows + $(wc -l <"$dir/$t.csv")))
  done
  sqlite3 "$keyed" ".read '$dir/keyed.sql'"
  measure /dev/null sqlite3 "$keyed" ".mode csv" \
    ".import '$dir/registration.csv' registration" \
    ".import '$dir/registration_advisor.csv' registration_advisor" \
    ".import '$dir/registration_institution.csv' registration_institution" \
    ".import '$dir/registration_count.csv' registration_count"
  local keyed_sec=$SEC keyed_rate
  [ "$(sqlite3 "$keyed" "SELECT count(*) FROM registration;")" = "$n" ] ||
    die "[$shape] the keyed .import did not store $n registrations"
  keyed_rate=$(rate "$n" "$keyed_sec")
  log "  ${keyed_sec} s for $keyed_rows rows, $keyed_rate registrations/s"
  rm -f "$keyed" "$dir/keyed.sql" "$dir"/registration*.csv

  log "[$shape] report --years $year_range --format csv (best of $runs)"
  best_of /dev/null "$bin" --db "$db" report --years "$year_range" --format csv -o "$dir/report.csv"
  local report_sec=$BEST report_rss=$BEST_RSS
  [ -s "$dir/report.csv" ] || die "[$shape] the report wrote no facts"

  log "[$shape] hand-written SQL in the sqlite3 shell (best of $runs)"
  best_of "$dir/hand.csv" sqlite3 -bail -csv -header "$db" ".read '$bench/hand-report.sql'"
  local hand_sec=$BEST hand_rss=$BEST_RSS

  log "[$shape] report --impact --years $year_range --format csv (best of $runs; the facts, then the impact measures)"
  best_of /dev/null "$bin" --db "$db" report --impact --years "$year_range" --format csv -o "$dir/impact.csv"
  local impact_sec=$BEST impact_rss=$BEST_RSS
  [ -s "$dir/impact.csv" ] || die "[$shape] report --impact wrote no facts"

  # -------------------------------------------------------------------------- compare
  log "[$shape] comparing the report's facts with the hand-written SQL"
  local compare_out facts_ok facts_bad
  compare_out=$(python3 - "$dir/hand.csv" "$dir/report.csv" <<'EOF'
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

  put shape "$shape"; put n "$n"; put summary "$gen_summary"; put years "$years"
  put range "$year_range"; put first "$first_sy"; put gen_args "${gen_cmd[*]:2:${#gen_cmd[@]}-3}"
  put csv_mb "$csv_mb"; put gen "$gen_sec"
  put flat "$flat_sec"; put flat_rate "$flat_rate"
  put keyed "$keyed_sec"; put keyed_rate "$keyed_rate"; put keyed_rows "$keyed_rows"
  put init "$init_sec"; put init_rss "$init_rss"
  put import "$import_sec"; put import_rate "$import_rate"; put import_rss "$import_rss"
  put report "$report_sec"; put report_rss "$report_rss"
  put hand "$hand_sec"; put hand_rss "$hand_rss"
  put impact "$impact_sec"; put impact_rss "$impact_rss"
  put db_mb "$((db_bytes / 1048576))"; put facts_ok "$facts_ok"; put facts_bad "$facts_bad"
  put runs "$runs"; put seed "$seed"
  # the dataset and database of a large shape take room; the next shape needs it
  [ "$keep" = 1 ] || rm -rf "$data" "$db" "$db"-wal "$db"-shm
}

for s in "${shapes[@]}"; do
  run_shape "$s"
done

# ---------------------------------------------------------------------------- tables
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
[ -n "$cpu" ] || cpu=$(uname -m)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo "unknown")
commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo "none (no commit yet)")
if [ -n "$(git -C "$top" status --porcelain 2>/dev/null | head -1)" ]; then commit="$commit, with uncommitted changes"; fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$bin")/CMakeCache.txt" 2>/dev/null || true)
fs=$(df -PT "$tmp" 2>/dev/null | awk 'NR == 2 { print $2 }')
results=()
for s in "${shapes[@]}"; do results+=("$tmp/$s.result"); done
BENCH_WRITE_DOC=$write_doc BENCH_DOC=$doc \
BENCH_NPROC=$(nproc) BENCH_CPU=$cpu BENCH_MEM=$mem BENCH_OS="$(uname -sr)" \
BENCH_SQLITE="$(sqlite3 --version | cut -d' ' -f1)" BENCH_BUILD=${build_type:-unknown} \
BENCH_FS=${fs:-unknown} BENCH_COMMIT=$commit BENCH_DATE="$(date -u +'%Y-%m-%d %H:%M UTC')" \
  python3 - "${results[@]}" <<'EOF'
import os, sys
e = os.environ

# the targets (docs/PERFORMANCE.md)
IMPORT_MIN = 100000      # registrations/s, full validation
IMPORT_FLAT_MIN = 0.5    # import rate / flat .import rate
REPORT_MAX = 0.5         # seconds
REPORT_HAND_MAX = 0.2    # report / hand-written SQL

def load(path):
    r = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            r[k] = v
    return r

def mb(kb):
    return "%.0f MB" % (int(kb) / 1024) if kb else "n/a"

def met(ok):
    return "met" if ok else "NOT met"

shapes = []
for p in sys.argv[1:]:
    r = load(p)
    n = int(r["n"])
    imp, flat = float(r["import"]), float(r["flat"])
    rate, flat_rate = int(r["import_rate"]), int(r["flat_rate"])
    rep, hand = float(r["report"]), float(r["hand"])
    r["flat_ratio"] = rate / flat_rate if flat_rate else float("nan")
    keyed_rate = int(r.get("keyed_rate") or 0)
    r["keyed_ratio"] = rate / keyed_rate if keyed_rate else float("nan")
    r["hand_ratio"] = rep / hand if hand > 0 else float("nan")
    r["rss_per_m"] = ("%.0f MB" % (int(r["import_rss"]) / 1024 / (n / 1e6))
                      if r["import_rss"] and n else "n/a")
    r["ok_import"] = rate >= IMPORT_MIN
    r["ok_flat"] = r["flat_ratio"] >= IMPORT_FLAT_MIN
    r["ok_report"] = rep < REPORT_MAX
    r["ok_hand"] = r["hand_ratio"] <= REPORT_HAND_MAX
    r["ok_facts"] = r["facts_bad"] == "0"
    shapes.append(r)

# ---------------------------------------------------------------- stdout: one table per shape
out = []
for r in shapes:
    n = int(r["n"])
    out.append("")
    out.append("== shape %s: %s" % (r["shape"], r["summary"]))
    fmt = "%-34s %-30s %-16s %-40s %-7s %s"
    out.append(fmt % ("figure", "measured", "target", "baseline (same run)", "ratio", "target"))
    out.append(fmt % ("generate dataset", "%s s (%s MB of CSV)" % (r["gen"], r["csv_mb"]), "", "", "", ""))
    out.append(fmt % ("init", "%s s" % r["init"], "", "", "", ""))
    out.append(fmt % ("import, full validation", "%s s, %s/s" % (r["import"], format(int(r["import_rate"]), ",")),
                      ">= 100,000/s", "", "", met(r["ok_import"])))
    out.append(fmt % ("import against flat .import", "%s/s" % format(int(r["import_rate"]), ","),
                      ">= 0.5 x flat", "sqlite3 .import %s s, %s/s" % (r["flat"], format(int(r["flat_rate"]), ",")),
                      "%.2f" % r["flat_ratio"], met(r["ok_flat"])))
    out.append(fmt % ("import against keyed .import", "%s/s" % format(int(r["import_rate"]), ","), "",
                      "sqlite3 .import of the %s stored rows %s s, %s regs/s" % (
                          format(int(r["keyed_rows"]), ","), r["keyed"], format(int(r["keyed_rate"]), ",")),
                      "%.2f" % r["keyed_ratio"], ""))
    out.append(fmt % ("import peak RSS", "%s (%s per million)" % (mb(r["import_rss"]), r["rss_per_m"]), "", "", "", ""))
    out.append(fmt % ("report, %s years, best of %s" % (r["years"], r["runs"]), "%s s" % r["report"],
                      "< 0.5 s", "", "", met(r["ok_report"])))
    out.append(fmt % ("report against hand-written SQL", "%s s" % r["report"], "<= 0.2 x SQL",
                      "hand SQL %s s (best of %s)" % (r["hand"], r["runs"]), "%.2f" % r["hand_ratio"], met(r["ok_hand"])))
    out.append(fmt % ("report --impact, best of %s" % r["runs"], "%s s" % r["impact"], "", "", "", ""))
    out.append(fmt % ("facts, report vs hand SQL", "%s agree, %s differ" % (r["facts_ok"], r["facts_bad"]),
                      "all agree", "", "", met(r["ok_facts"])))
    out.append(fmt % ("database file", "%s MB" % r["db_mb"], "", "", "", ""))
if len(shapes) > 1:
    out.append("")
    out.append("== summary")
    fmt = "%-14s %10s %12s %12s %6s %9s %9s %9s %6s %s"
    out.append(fmt % ("shape", "regs", "import/s", "flat/s", "ratio", "RSS/M", "report", "hand SQL", "ratio", "facts"))
    for r in shapes:
        out.append(fmt % (r["shape"], format(int(r["n"]), ","), format(int(r["import_rate"]), ","),
                          format(int(r["flat_rate"]), ","), "%.2f" % r["flat_ratio"], r["rss_per_m"],
                          r["report"] + " s", r["hand"] + " s", "%.2f" % r["hand_ratio"],
                          "ok" if r["ok_facts"] else "DIFFER"))
print("\n".join(line.rstrip() for line in out))

if e["BENCH_WRITE_DOC"] != "1":
    sys.exit(0)

# ---------------------------------------------------------------- docs/PERFORMANCE.md
path = e["BENCH_DOC"]
BEGIN, END = "<!-- bench:latest:begin -->", "<!-- bench:latest:end -->"
HIST = "<!-- bench:history -->"
intro = """# Performance

Targets, for every data shape of `bench/gen-dataset.py --shape`:

- `bereik import`: at least **100,000 registrations per second**, with full validation
  (every rule of `spec/DATA-FORMAT.md` section 1), into an empty SQLite database, and at
  least half the rate of the `sqlite3` shell's flat `.import` of the same file;
- `bereik report` for the dataset's school years: **under 0.5 seconds**, and at most a
  fifth of the same report written by hand in SQL.

`bench/run.sh` measures them and writes the section below.

"""
parts = [BEGIN, "## Latest run", "",
         "| | |", "| --- | --- |",
         "| date | %s |" % e["BENCH_DATE"],
         "| git commit | %s |" % e["BENCH_COMMIT"],
         "| machine | %s CPUs (`nproc`), %s, %s memory |" % (e["BENCH_NPROC"], e["BENCH_CPU"], e["BENCH_MEM"]),
         "| system | %s, SQLite shell %s, build type %s, database on %s |" % (
             e["BENCH_OS"], e["BENCH_SQLITE"], e["BENCH_BUILD"], e["BENCH_FS"]),
         "| shapes | %s |" % ", ".join("`%s`" % r["shape"] for r in shapes),
         "",
         "Each shape is measured against its baselines in the same run: the import against the",
         "`sqlite3` shell's flat `.import` of the same `registrations.csv` into a fresh database",
         "with one table of text columns (no validation, no links; the dataset format has no",
         "separate link files); and against the `sqlite3` shell's `.import` of the rows the",
         "import stored (each registration's row and its advisor, institution and head-count",
         "rows, exported from the imported database) into the same four tables with the same",
         "keys and indexes: what storing these rows costs SQLite without any validation. The",
         "report against the hand-written SQL of",
         "`bench/hand-report.sql` in the `sqlite3` shell on the same database file. Times are",
         "wall clock, peak RSS from `/usr/bin/time -v`.", ""]
for r in shapes:
    n = int(r["n"])
    parts += ["### Shape `%s`" % r["shape"], "",
              "%s; seed %s; %s MB of CSV, database file %s MB." % (r["summary"], r["seed"], r["csv_mb"], r["db_mb"]),
              "",
              "| figure | measured | target | baseline, same run | ratio | target met |",
              "| --- | --- | --- | --- | --- | --- |",
              "| generate dataset | %s s | | | | |" % r["gen"],
              "| `init` | %s s | | | | |" % r["init"],
              "| `import`, full validation | %s s, **%s registrations/s** | >= 100,000/s | | | %s |" % (
                  r["import"], format(int(r["import_rate"]), ","), met(r["ok_import"])),
              "| `import` against flat `.import` | %s/s | >= 0.5 x flat | `sqlite3` `.import`: %s s, %s rows/s | **%.2f** | %s |" % (
                  format(int(r["import_rate"]), ","), r["flat"], format(int(r["flat_rate"]), ","),
                  r["flat_ratio"], met(r["ok_flat"])),
              "| `import` against the keyed `.import` of the rows it stores | %s/s | | `sqlite3` `.import` of %s rows into the same four tables and keys: %s s, %s registrations/s | **%.2f** | |" % (
                  format(int(r["import_rate"]), ","), format(int(r["keyed_rows"]), ","), r["keyed"],
                  format(int(r["keyed_rate"]), ","), r["keyed_ratio"]),
              "| peak RSS of `import` | %s (%s per million registrations) | | | | |" % (mb(r["import_rss"]), r["rss_per_m"]),
              "| `report`, %s years, best of %s | **%s s** | < 0.5 s | | | %s |" % (
                  r["years"], r["runs"], r["report"], met(r["ok_report"])),
              "| `report` against hand-written SQL | %s s | <= 0.2 x SQL | hand-written SQL, best of %s: %s s | **%.2f** | %s |" % (
                  r["report"], r["runs"], r["hand"], r["hand_ratio"], met(r["ok_hand"])),
              "| `report --impact`, best of %s | %s s | | | | |" % (r["runs"], r["impact"]),
              "| facts of `report` and hand-written SQL | %s agree, %s differ | all agree | | | %s |" % (
                  r["facts_ok"], r["facts_bad"], met(r["ok_facts"])),
              ""]
parts += ["Commands per shape (`$TMP` is a fresh temporary directory; `RANGE` the dataset's school",
          "years, e.g. `2020-2021..2024-2025`):", ""]
for r in shapes:
    parts.append("    python3 bench/gen-dataset.py %s $TMP/data" % r["gen_args"])
parts += ["    sqlite3 $TMP/flat.db \".mode csv\" \".import $TMP/data/registrations.csv reg\"",
          "    build/bereik --db $TMP/bench.db init",
          "    build/bereik --db $TMP/bench.db import $TMP/data",
          "    build/bereik --db $TMP/bench.db report --years RANGE --format csv -o $TMP/report.csv",
          "    sqlite3 -bail -csv -header $TMP/bench.db \".read 'bench/hand-report.sql'\" > $TMP/hand.csv",
          END]
latest = "\n".join(parts) + "\n"
rows = []
for r in shapes:
    label = format(int(r["n"]), ",") + ("" if r["shape"] == "default" else " (%s)" % r["shape"])
    rows.append("| {} | {} | {} CPUs, {} | {} | {:,}/s | {} s | {} s | {:.2f} |".format(
        e["BENCH_DATE"], e["BENCH_COMMIT"], e["BENCH_NPROC"], e["BENCH_CPU"], label,
        int(r["import_rate"]), r["report"], r["hand"], r["hand_ratio"]))
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
text = text.replace(HIST, "\n".join(rows) + "\n" + HIST, 1)
os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
with open(path, "w", encoding="utf-8") as f:
    f.write(text)
print("run.sh: updated %s" % path, file=sys.stderr)
EOF

bad=0
for s in "${shapes[@]}"; do
  b=$(sed -n 's/^facts_bad=//p' "$tmp/$s.result")
  if [ "$b" != 0 ]; then echo "run.sh: [$s] the report and the hand-written SQL disagree on $b facts (see above)" >&2; bad=1; fi
done
exit "$bad"
