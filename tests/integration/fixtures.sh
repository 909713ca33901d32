#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Integration test on the shared fixtures: for every fixture folder, import into an
# empty database and compare the facts (CSV and JSON) with expected-facts.csv; check
# that export -> import into an empty database -> export gives identical files; and
# that importing the same folder twice changes nothing.
# usage: fixtures.sh BEREIK_BIN SHARED_DIR
set -u
bin=${1:?usage: fixtures.sh BEREIK_BIN SHARED_DIR}
shared=${2:?usage: fixtures.sh BEREIK_BIN SHARED_DIR}
diff_tool="$shared/tools/facts-diff"
tmp=$(mktemp -d)
. "$(dirname "$0")/engine.sh"
trap 'engine_cleanup; rm -rf "$tmp"' EXIT
echo "engine: $ENGINE"
passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

for fx in "$shared"/fixtures/*/; do
  name=$(basename "$fx")
  [ -f "$fx/expected-facts.csv" ] || continue
  w="$tmp/$name"
  mkdir -p "$w"
  db=$(engine_new_db "$w" a)
  db2=$(engine_new_db "$w" b)
  if ! "$bin" --db "$db" init || ! "$bin" --db "$db" import "$fx" 2>"$w/import.err"; then
    fail "$name import" "$(head -c 500 "$w/import.err")"
    continue
  fi
  ok "$name import"

  "$bin" --db "$db" report --format csv -o "$w/facts.csv" &&
    out=$("$diff_tool" "$fx/expected-facts.csv" "$w/facts.csv") &&
    ok "$name facts csv ($(echo "$out" | tail -1))" || fail "$name facts csv" "$(echo "$out" | tail -20)"

  "$bin" --db "$db" report --format json -o "$w/facts.json" &&
    out=$("$diff_tool" "$fx/expected-facts.csv" "$w/facts.json") &&
    ok "$name facts json ($(echo "$out" | tail -1))" || fail "$name facts json" "$(echo "$out" | tail -20)"

  # every year of the fixture asked explicitly as a range gives the same facts
  years=$(tail -n +2 "$fx/expected-facts.csv" | cut -d, -f2 | sort -u)
  first=$(echo "$years" | head -1)
  last=$(echo "$years" | tail -1)
  "$bin" --db "$db" report --years "$first..$last" --format csv -o "$w/range.csv" &&
    out=$("$diff_tool" "$fx/expected-facts.csv" "$w/range.csv") &&
    ok "$name facts --years $first..$last" || fail "$name facts --years" "$(echo "$out" | tail -20)"

  # round trip: export, import into an empty database, export again; this import writes
  # its aggregate deltas in batches of 5 keys (the facts after the round trip read them)
  "$bin" --db "$db" export "$w/e1" &&
    "$bin" --db "$db2" init && BEREIK_IMPORT_AGG_BATCH=5 "$bin" --db "$db2" import "$w/e1" 2>/dev/null &&
    "$bin" --db "$db2" export "$w/e2" &&
    diff -r "$w/e1" "$w/e2" >"$w/rt.diff" && n=$(ls "$w/e1" | wc -l) && [ "$n" -eq 26 ] &&
    ok "$name round trip ($n files identical)" || fail "$name round trip" "$(head -20 "$w/rt.diff")"

  "$bin" --db "$db2" report --format csv -o "$w/b.csv" &&
    out=$("$diff_tool" "$fx/expected-facts.csv" "$w/b.csv") &&
    ok "$name facts after round trip" || fail "$name facts after round trip" "$(echo "$out" | tail -20)"
  out=$("$bin" --db "$db2" aggregates check 2>&1) &&
    ok "$name aggregates of the import in batches ($(echo "$out" | tail -1))" ||
    fail "$name aggregates of the import in batches" "$(echo "$out" | tail -5)"

  # re-import of the same folder: every row unchanged, identical export and facts
  "$bin" --db "$db" import "$fx" 2>"$w/re.err"
  rc=$?
  if [ $rc -ne 0 ]; then
    fail "$name re-import" "exit $rc: $(head -5 "$w/re.err")"
  elif grep -E '^[a-z_]+\.csv: ' "$w/re.err" | grep -vq ' 0 inserted, 0 updated,'; then
    fail "$name re-import" "rows changed: $(grep -E '^[a-z_]+\.csv: ' "$w/re.err" | grep -v ' 0 inserted, 0 updated,')"
  else
    "$bin" --db "$db" export "$w/e3" && diff -r "$w/e1" "$w/e3" >/dev/null &&
      "$bin" --db "$db" report --format csv -o "$w/facts2.csv" && cmp -s "$w/facts.csv" "$w/facts2.csv" &&
      ok "$name re-import changes nothing" || fail "$name re-import" "export or facts differ"
  fi
done

# a database whose schema is newer than the binary is refused, by init and by other commands
db=$(engine_new_db "$tmp" newer)
"$bin" --db "$db" init && engine_sql "$db" "INSERT INTO schema_version VALUES (999, '2030-01-01')"
for cmd in init "report --format csv" "export $tmp/newer-export"; do
  # shellcheck disable=SC2086
  if "$bin" --db "$db" $cmd >/dev/null 2>"$tmp/newer.err"; then
    fail "newer schema refused by $cmd" "exit 0"
  elif grep -q "newer than this bereik" "$tmp/newer.err"; then
    ok "newer schema refused by $cmd"
  else
    fail "newer schema refused by $cmd" "$(cat "$tmp/newer.err")"
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
