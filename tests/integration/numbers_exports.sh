#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The XLSX and PDF of the readable numbers (docs/DAY-numbers.md), on SQLite:
# - XLSX of ../shared/fixtures/small: no "–" text in any number column (an absent value
#   is an empty cell), an autofilter over each table, and print set-up (A4, landscape when
#   wider than six number columns, one page wide, the title and header rows repeated);
# - PDF of the same: its first page lists the four indicators of the newest school year
#   against their targets, with the values and statuses worked out from the fixture's
#   expected facts (computed independently of bereik);
# - PDF of five school years (the demo service on a later day): the FTE table's column
#   headers do not run into each other (pdftotext -layout).
# usage: numbers_exports.sh BEREIK_BIN SHARED_DIR
set -u
bin=${1:?usage: numbers_exports.sh BEREIK_BIN SHARED_DIR}
shared=${2:?usage: numbers_exports.sh BEREIK_BIN SHARED_DIR}
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1795000000
export LSAN_OPTIONS="suppressions=$here/../lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
failed=0

db="$tmp/small.db"
"$bin" --db "$db" init >/dev/null && "$bin" --db "$db" import "$shared/fixtures/small" >/dev/null 2>&1 ||
  { echo "FAIL import of the small fixture"; exit 1; }
"$bin" --db "$db" report --years 2023-2024..2024-2025 --format xlsx -o "$tmp/small.xlsx" &&
  "$bin" --db "$db" report --years 2023-2024..2024-2025 --format pdf -o "$tmp/small.pdf" ||
  { echo "FAIL report of the small fixture"; exit 1; }
pdftotext -layout -f 1 -l 1 "$tmp/small.pdf" "$tmp/small-p1.txt"

d5="$tmp/five.db"
"$bin" --db "$d5" init >/dev/null && BEREIK_TODAY=2028-03-01 "$bin" --db "$d5" demo --seed 1 >/dev/null 2>&1 ||
  { echo "FAIL demo on 2028-03-01"; exit 1; }
BEREIK_TODAY=2028-03-01 "$bin" --db "$d5" report --years 2023-2024..2027-2028 --format pdf -o "$tmp/five.pdf" ||
  { echo "FAIL five-year report"; exit 1; }
pdftotext -layout "$tmp/five.pdf" "$tmp/five.txt"

"$py" "$here/numbers_exports_check.py" "$shared/fixtures/small" "$tmp/small.xlsx" "$tmp/small-p1.txt" \
  "$tmp/five.txt" || failed=1
exit $failed
