#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The registration ids of an import into an empty database (the bulk path: no stored row
# to look up, on PostgreSQL through COPY), on the engine of engine.sh. The import keeps
# no id while the ids come in order and reads registrations.csv again when it needs lines:
#   - a file in id order, and the same rows in reverse order, import the same facts;
#   - a duplicate of an earlier id in an ordered file is refused on its line, naming the
#     line of the first (r003 is on line 4 of fixtures/small/registrations.csv);
#   - so does one in a file sorted byte by byte (x1, x10, x2), as the export sorts;
#   - after ids out of order, a later duplicate names the first line as well;
#   - two registrations of one advisor-day above 1440 minutes are refused on the line
#     of the day's last registration in the file;
# and every refused import leaves the database empty. The boards of institutions.csv are
# set as the file names them.
# usage: import_ids.sh BEREIK_BIN SHARED_DIR
set -u
bin=${1:?usage: import_ids.sh BEREIK_BIN SHARED_DIR}
shared=${2:?usage: import_ids.sh BEREIK_BIN SHARED_DIR}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/engine.sh"
tmp=$(mktemp -d)
trap 'engine_cleanup; rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
echo "engine: $ENGINE"
fixture=$shared/fixtures/small
n=0

# dataset NAME: a copy of the fixture in $tmp/NAME, printed
dataset() { rm -rf "${tmp:?}/$1"; cp -r "$fixture" "$tmp/$1"; echo "$tmp/$1"; }
# refused NAME DIR 'FILE:LINE: column: message part': exit 1, that line on stderr, no row
refused() {
  local db out rc
  n=$((n + 1))
  db=$(engine_new_db "$tmp" "r$n") && "$bin" --db "$db" init >/dev/null 2>&1 || { fail "$1" "init"; return; }
  "$bin" --db "$db" import "$2" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  local prefix=${3%%: *}: col msg
  col=${3#*: }
  msg=${col#*: }
  col=${col%%: *}
  if [ $rc -ne 1 ]; then
    fail "$1" "exit status $rc, expected 1"
  elif ! grep -qF "$prefix $col: " "$tmp/err" || ! grep -F "$prefix $col: " "$tmp/err" | grep -qF "$msg"; then
    fail "$1" "no line '$3' in: $(head -5 "$tmp/err")"
  elif [ "$(engine_sql "$db" 'SELECT COUNT(*) FROM registration')" != 0 ]; then
    fail "$1" "registrations were written"
  else
    ok "$1"
  fi
}

# the same rows in id order and in reverse order give the same facts
facts() {
  local db
  n=$((n + 1))
  db=$(engine_new_db "$tmp" "f$n") && "$bin" --db "$db" init >/dev/null 2>&1 &&
    "$bin" --db "$db" import "$1" >/dev/null 2>"$tmp/err" &&
    "$bin" --db "$db" report --format csv -o "$2"
}
ordered=$(dataset ordered)
reversed=$(dataset reversed)
{ head -1 "$fixture/registrations.csv"; sed 1d "$fixture/registrations.csv" | tac; } >"$reversed/registrations.csv"
if facts "$ordered" "$tmp/ordered.csv" && facts "$reversed" "$tmp/reversed.csv"; then
  if "$shared/tools/facts-diff" "$tmp/ordered.csv" "$tmp/reversed.csv" >"$tmp/diff" 2>&1; then
    ok "ordered and reversed files import the same facts"
  else
    fail "reversed order" "$(tail -5 "$tmp/diff")"
  fi
else
  fail "reversed order" "import failed: $(head -3 "$tmp/err")"
fi

# the boards of institutions.csv (set after the file, many institutions a statement):
# each institution's board as the file names it, in a database of the ordered import
n=$((n + 1))
bdb=$(engine_new_db "$tmp" "b$n")
"$bin" --db "$bdb" init >/dev/null 2>&1 && "$bin" --db "$bdb" import "$ordered" >/dev/null 2>&1
awk -F, 'NR > 1 && $6 != "" { print $1 "|" $6 }' "$fixture/institutions.csv" | sort >"$tmp/boards.want"
engine_sql "$bdb" "SELECT i.number || '|' || b.number FROM institution i JOIN institution b ON b.id = i.board_id" |
  sort >"$tmp/boards.got"
if [ -s "$tmp/boards.want" ] && cmp -s "$tmp/boards.want" "$tmp/boards.got"; then
  ok "boards as institutions.csv names them ($(wc -l <"$tmp/boards.want") institutions)"
else
  fail "boards" "want $(tr '\n' ' ' <"$tmp/boards.want"), got $(tr '\n' ' ' <"$tmp/boards.got")"
fi

rows=$(wc -l <"$fixture/registrations.csv")
d=$(dataset dup-earlier)
echo 'r003,2024-10-07,90,internal,P3,,AN,,,preparation,,,,Voorbereiding bis,,,,,,' >>"$d/registrations.csv"
refused "duplicate of an earlier id in an ordered file" "$d" \
  "registrations.csv:$((rows + 1)): id: duplicate key, already on line 4"

d=$(dataset dup-next)
echo 'r024,2024-10-07,90,internal,P3,,AN,,,preparation,,,,Test,,,,,,' >>"$d/registrations.csv"
last=$(tail -2 "$d/registrations.csv" | head -1 | cut -d, -f1)
if [ "$last" = r024 ]; then
  refused "duplicate of the id just before" "$d" "registrations.csv:$((rows + 1)): id: duplicate key, already on line $rows"
else
  fail "duplicate of the id just before" "test error: the fixture's last id is $last, not r024"
fi

d=$(dataset dup-unordered)
printf '%s\n' 'r950,2024-10-07,90,internal,P3,,AN,,,preparation,,,,Test 1,,,,,,' \
  'r940,2024-10-08,90,internal,P3,,AN,,,preparation,,,,Test 2,,,,,,' \
  'r960,2024-10-09,90,internal,P3,,AN,,,preparation,,,,Test 3,,,,,,' \
  'r940,2024-10-10,90,internal,P3,,AN,,,preparation,,,,Test 4,,,,,,' >>"$d/registrations.csv"
refused "duplicate after ids out of order" "$d" \
  "registrations.csv:$((rows + 4)): id: duplicate key, already on line $((rows + 2))"

# ids of several lengths sorted byte by byte (x1, x10, ..., x19, x2, x20, ...), as the
# export writes them: the same facts, and a late duplicate of x15 (line 8) is refused
d=$(dataset bytewise)
{ head -1 "$fixture/registrations.csv"
  sed 1d "$fixture/registrations.csv" | awk -F, -v OFS=, '{ $1 = "x" NR; print }' | LC_ALL=C sort -t, -k1,1; } >"$d/registrations.csv"
if [ "$(sed -n 8p "$d/registrations.csv" | cut -d, -f1)" != x15 ]; then
  fail "bytewise order" "test error: line 8 is not x15"
elif facts "$d" "$tmp/bytewise.csv" && "$shared/tools/facts-diff" "$tmp/ordered.csv" "$tmp/bytewise.csv" >"$tmp/diff" 2>&1; then
  ok "ids sorted byte by byte import the same facts"
else
  fail "bytewise order" "$(head -3 "$tmp/err") $(tail -3 "$tmp/diff")"
fi
echo 'x15,2024-10-07,90,internal,P3,,AN,,,preparation,,,,Test,,,,,,' >>"$d/registrations.csv"
refused "duplicate in a file sorted byte by byte" "$d" \
  "registrations.csv:$((rows + 1)): id: duplicate key, already on line 8"

d=$(dataset day-total)
printf '%s\n' 'r901,2024-01-15,800,client,P1,1.1,AN,SAA,fysiek,,,micro,,Test deel 1,4,,,,,' \
  'r902,2024-01-15,800,client,P1,1.1,AN,SAA,fysiek,,,micro,,Test deel 2,4,,,,,' >>"$d/registrations.csv"
refused "day total on the day's last line" "$d" \
  "registrations.csv:$((rows + 2)): minutes: 1600 minutes registered on 2024-01-15"

d=$(dataset day-total-reversed)
{ head -1 "$fixture/registrations.csv"
  printf '%s\n' 'r902,2024-01-15,800,client,P1,1.1,AN,SAA,fysiek,,,micro,,Test deel 2,4,,,,,' \
    'r901,2024-01-15,800,client,P1,1.1,AN,SAA,fysiek,,,micro,,Test deel 1,4,,,,,'
  sed 1d "$fixture/registrations.csv"; } >"$d/registrations.csv"
refused "day total in an unordered file" "$d" "registrations.csv:3: minutes: 1600 minutes registered on 2024-01-15"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
