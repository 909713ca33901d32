#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The human exports of the yearly report (XLSX, PDF, HTML, CSV tables) on the engine of
# engine.sh, for a three-year report of ../shared/fixtures/small (against its expected
# facts, computed independently of bereik) and of the demo data (against its facts
# document): every XLSX cell read back with openpyxl, the numbers of every table in the
# PDF text (pdftotext), both CSV styles, neutralised labels, a self-contained HTML file,
# the PDF pages rendered to PNG (pdftoppm; BEREIK_EXPORT_PAGES=DIR keeps them to look
# at), and the errors for bad input that leave no file behind.
# usage: exports.sh BEREIK_BIN SHARED_DIR
set -u
bin=${1:?usage: exports.sh BEREIK_BIN SHARED_DIR}
shared=${2:?usage: exports.sh BEREIK_BIN SHARED_DIR}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/engine.sh"
py=/usr/bin/python3 # Debian's, with python3-openpyxl
tmp=$(mktemp -d)
trap 'engine_cleanup; rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
echo "engine: $ENGINE"
export SOURCE_DATE_EPOCH=1795000000
# sanitizer build: fontconfig's process-lifetime caches are not leaks of bereik
export LSAN_OPTIONS="suppressions=$here/../lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

# export_all NAME DB DATASET FACTS YEARS...: writes every format and checks it
export_all() {
  local name=$1 db=$2 data=$3 facts=$4
  shift 4
  local out="$tmp/$name" range="$3..$1"
  mkdir -p "$out"
  local r=("$bin" --db "$db" report --years "$range")
  if "${r[@]}" --format xlsx -o "$out/r.xlsx" && "${r[@]}" --format pdf -o "$out/r.pdf" &&
    "${r[@]}" --format html -o "$out/r.html" && "${r[@]}" --format csv-tables -o "$out/csv" &&
    "${r[@]}" --format csv-tables --csv-style plain -o "$out/csvp" &&
    "${r[@]}" --format csv-tables >"$out/all.csv"; then
    ok "$name: every format written"
  else
    fail "$name: every format written" "bereik report failed"
    return
  fi
  pdftotext -layout "$out/r.pdf" "$out/r.txt"
  # the Impact tables show the impact measures of the same years (docs/IMPACT.md)
  { cat "$facts"; "${r[@]}" --impact --format csv | tail -n +2; } >"$out/facts-and-impact.csv"
  if res=$("$py" "$here/exports_check.py" "$out/facts-and-impact.csv" "$data" "$out" "$@" 2>&1); then
    ok "$name: $(echo "$res" | tail -1)"
  else
    fail "$name: exports_check.py" "$(echo "$res" | grep -v '^ok' | head -30)"
  fi
  # the pages as images (to look at), and the PDF's text is selectable text
  pdftoppm -r 60 -png "$out/r.pdf" "$out/page"
  local n
  n=$(ls "$out"/page-*.png 2>/dev/null | wc -l)
  if [ "$n" -ge 8 ] && [ "$(pdfinfo "$out/r.pdf" | awk '/^Page size/ {print $3 "x" $5}' | head -1)" = "595.276x841.89" ]; then
    ok "$name: $n A4 pages rendered"
  else
    fail "$name: pages rendered" "$n pages; $(pdfinfo "$out/r.pdf" | grep 'Page size')"
  fi
  if pdffonts "$out/r.pdf" | grep -q DejaVu; then ok "$name: fonts embedded (DejaVu)"; else fail "$name: fonts" "$(pdffonts "$out/r.pdf")"; fi
  if [ -n "${BEREIK_EXPORT_PAGES:-}" ]; then mkdir -p "$BEREIK_EXPORT_PAGES/$name" && cp "$out"/page-*.png "$out/r.pdf" "$out/r.xlsx" "$BEREIK_EXPORT_PAGES/$name/"; fi
}

# ---- the small fixture, with line names that a spreadsheet would read as formulas ----
data="$tmp/small"
cp -r "$shared/fixtures/small" "$data"
"$py" - "$data/lines.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
for r, p in zip(rows, ["=", "+", "-", "@"]):
    r["name"] = p + r["name"]
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(rows)
EOF
db=$(engine_new_db "$tmp" small)
"$bin" --db "$db" init && "$bin" --db "$db" import "$data" >/dev/null 2>&1 || { echo "import failed"; exit 1; }
export_all small "$db" "$data" "$shared/fixtures/small/expected-facts.csv" 2025-2026 2024-2025 2023-2024

# ---- the demo data: its facts document is the truth for the exports ----
ddb=$(engine_new_db "$tmp" demo)
"$bin" --db "$ddb" init && "$bin" --db "$ddb" demo --seed 1 >/dev/null 2>&1 || { echo "demo failed"; exit 1; }
mkdir -p "$tmp/demo-data"
"$bin" --db "$ddb" export "$tmp/demo-data" >/dev/null
"$bin" --db "$ddb" report --years 2023-2024..2025-2026 --format csv -o "$tmp/demo-facts.csv"
export_all demo "$ddb" "$tmp/demo-data" "$tmp/demo-facts.csv" 2025-2026 2024-2025 2023-2024

# ---- bad input: a clear message, exit 1, no file left behind ----
expect_error() { # name, expected exit, message part, command...
  local name=$1 want=$2 part=$3
  shift 3
  local err rc
  err=$("$@" 2>&1 >/dev/null)
  rc=$?
  if [ "$rc" = "$want" ] && echo "$err" | grep -qF -- "$part"; then ok "$name"; else fail "$name" "exit $rc: $err"; fi
}
expect_error "bad --years names the value" 1 "'2024-2026'" "$bin" --db "$db" report --years 2024-2026 --format xlsx -o "$tmp/x.xlsx"
expect_error "six years are too many" 1 "one to five" "$bin" --db "$db" report --years 2019-2020..2024-2025 --format pdf -o "$tmp/x.pdf"
expect_error "unwritable xlsx path named" 1 "$tmp/none/r.xlsx" "$bin" --db "$db" report --format xlsx -o "$tmp/none/r.xlsx"
expect_error "unwritable pdf path named" 1 "$tmp/none/r.pdf" "$bin" --db "$db" report --format pdf -o "$tmp/none/r.pdf"
expect_error "unwritable html path named" 1 "$tmp/none/r.html" "$bin" --db "$db" report --format html -o "$tmp/none/r.html"
mkdir -p "$tmp/full" && echo keep >"$tmp/full/mine.txt"
expect_error "csv-tables never fills a folder with files in it" 1 "not an empty folder" "$bin" --db "$db" report --format csv-tables -o "$tmp/full"
expect_error "xlsx needs -o" 2 "-o FILE" "$bin" --db "$db" report --format xlsx
expect_error "unknown --csv-style" 2 "belgian or plain" "$bin" --db "$db" report --format csv-tables --csv-style x
if [ "$(ls "$tmp/full")" = mine.txt ] && [ ! -e "$tmp/x.xlsx" ] && [ ! -e "$tmp/x.pdf" ] &&
  [ -z "$(find "$tmp" -name '*.tmp-*')" ]; then
  ok "failed exports left no file"
else
  fail "failed exports left no file" "$(ls "$tmp" "$tmp/full"; find "$tmp" -name '*.tmp-*')"
fi
# the facts document is unchanged by the new formats
"$bin" --db "$db" report --format csv -o "$tmp/all-facts.csv"
if "$shared/tools/facts-diff" "$shared/fixtures/small/expected-facts.csv" "$tmp/all-facts.csv" >/dev/null 2>&1; then
  ok "report --format csv still writes the expected facts"
else
  fail "report --format csv" "differs from the fixture's expected facts"
fi

# an output that is a pipe (like /dev/null or /dev/stdout) is written into, never replaced
# by renaming a finished temporary file over it
for fmt in csv xlsx; do
  mkfifo "$tmp/pipe-$fmt"
  cat "$tmp/pipe-$fmt" >"$tmp/from-pipe.$fmt" &
  reader=$!
  "$bin" --db "$db" report --format "$fmt" -o "$tmp/pipe-$fmt" 2>"$tmp/pipe.err"
  rc=$?
  wait "$reader"
  if [ "$rc" = 0 ] && [ -p "$tmp/pipe-$fmt" ] && [ -s "$tmp/from-pipe.$fmt" ] && [ -z "$(find "$tmp" -maxdepth 1 -name 'pipe-*.tmp*')" ]; then
    ok "report --format $fmt -o FIFO: written through the pipe, which stays a pipe"
  else
    fail "report --format $fmt -o FIFO" "exit $rc, $(ls -l "$tmp/pipe-$fmt" "$tmp/from-pipe.$fmt" 2>&1 | tr '\n' ' ') $(cat "$tmp/pipe.err")"
  fi
done
cmp -s "$tmp/from-pipe.csv" "$tmp/all-facts.csv" && ok "... the same facts as into a file" ||
  fail "report -o FIFO" "the facts differ from those written into a file"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
