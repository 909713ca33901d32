#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Round trip of the impact files of the dataset (docs/IMPACT.md section 6) on the engine of
# engine.sh: `bereik demo` writes every one of them with realistic data; export -> import
# into an empty database -> export gives identical files (diff -r), `report --impact
# --format csv` is identical before and after, and a second import of the same folder
# reports every row of every file unchanged (and changes neither the export nor the
# impact measures).
# usage: impact_roundtrip.sh BEREIK_BIN
set -u
bin=${1:?usage: impact_roundtrip.sh BEREIK_BIN}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=engine.sh
. "$here/engine.sh"
tmp=$(mktemp -d)
trap 'engine_cleanup; rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
echo "engine: $ENGINE"
# the demo is relative to today: a fixed today and seed make the run repeatable
export BEREIK_TODAY=2026-05-20
impact_files="trajectory_advisors action_steps trajectory_phases trajectory_outcomes followups mechanisms
questionnaires questions surveys survey_answers"

# rows FILE -- data rows of a CSV file (records, not lines: a quoted cell may hold a line break)
rows() {
  python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8", newline=""))) - 1)' "$1"
}

db1=$(engine_new_db "$tmp" one) || {
  echo "cannot create a database"
  exit 1
}
if ! "$bin" --db "$db1" init >"$tmp/init.out" 2>&1 ||
  ! "$bin" --db "$db1" demo --seed 7 >"$tmp/demo.out" 2>&1; then
  echo "FAIL demo: $(tail -5 "$tmp/demo.out" "$tmp/init.out" 2>/dev/null)"
  exit 1
fi

# The demo leaves two columns empty (a follow-up's registration, a survey on a
# registration): add a follow-up naming a registration of its trajectory and a survey on
# that registration with one response (cells with a comma and quotes), so
# that every column of the new files takes part in the round trip.
"$bin" --db "$db1" export "$tmp/e0" >/dev/null 2>&1
cat >"$tmp/pick.py" <<'PY'
import csv, sys
d = sys.argv[1]
def read(f):
    return list(csv.DictReader(open(d + "/" + f, encoding="utf-8", newline="")))
locked = {r["school_year"] for r in read("settings.csv") if r["locked"] == "true"}
def year(date):
    y = int(date[:4]) if int(date[5:7]) >= 9 else int(date[:4]) - 1
    return "%d-%d" % (y, y + 1)
regs = [r for r in read("registrations.csv")
        if r["kind"] == "client" and r["trajectory"] and year(r["date"]) not in locked]
r = max(regs, key=lambda r: (r["date"], r["id"]))
print(r["id"], r["trajectory"])
PY
read -r reg traj < <(python3 "$tmp/pick.py" "$tmp/e0")
mkdir -p "$tmp/extra"
printf '%s\n' 'id,trajectory,date,note,next_step,registration' \
  "FRT1,$traj,2026-05-04,\"Evaluatie met de werkgroep, na \"\"klasbezoek\"\"\",Plannen; evalueren,$reg" \
  >"$tmp/extra/followups.csv"
printf '%s\n' 'id,questionnaire,trajectory,registration,created,expires,max_answers' \
  "SRT1,KORT-1,,$reg,2026-05-04,2026-05-18,5" >"$tmp/extra/surveys.csv"
printf '%s\n' 'survey,response,question,score,text' 'SRT1,1,relevant,4,' 'SRT1,1,useful,5,' \
  'SRT1,1,clear,3,' 'SRT1,1,remark,,"Helder, ""praktisch"" en bruikbaar"' >"$tmp/extra/survey_answers.csv"
if [ -n "${reg:-}" ] && "$bin" --db "$db1" import "$tmp/extra" >"$tmp/extra.out" 2>&1; then
  ok "a follow-up and a survey on registration $reg (trajectory $traj) added to the demo"
else
  fail "a follow-up and a survey on a registration added to the demo" "$(head -5 "$tmp/extra.out")"
fi

if "$bin" --db "$db1" export "$tmp/e1" >"$tmp/e1.out" 2>&1; then
  ok "export ($(find "$tmp/e1" -name '*.csv' | wc -l) files)"
else
  fail "export" "$(head -5 "$tmp/e1.out")"
fi
for f in $impact_files; do
  if [ -f "$tmp/e1/$f.csv" ] && [ "$(rows "$tmp/e1/$f.csv")" -gt 0 ]; then
    ok "$f.csv has $(rows "$tmp/e1/$f.csv") rows"
  else
    fail "$f.csv has rows" "missing or without rows"
  fi
done
cat >"$tmp/cover.py" <<'PY'
import csv, sys
bad = []
for f in sys.argv[2:]:
    rows = list(csv.DictReader(open("%s/%s.csv" % (sys.argv[1], f), encoding="utf-8", newline="")))
    bad += ["%s.csv %s" % (f, c) for c in (rows[0].keys() if rows else []) if not any(r[c] for r in rows)]
print(", ".join(bad))
sys.exit(1 if bad else 0)
PY
# shellcheck disable=SC2086
if python3 "$tmp/cover.py" "$tmp/e1" $impact_files >"$tmp/cover.out"; then
  ok "every column of the ten impact files holds a value somewhere"
else
  fail "every column of the impact files holds a value" "never filled: $(cat "$tmp/cover.out")"
fi

# export -> import into an empty database -> export
db2=$(engine_new_db "$tmp" two) || {
  echo "cannot create a database"
  exit 1
}
"$bin" --db "$db2" init >/dev/null 2>&1
if "$bin" --db "$db2" import "$tmp/e1" >"$tmp/i1.out" 2>&1; then
  ok "import of the export into an empty database"
else
  fail "import of the export into an empty database" "$(head -10 "$tmp/i1.out")"
fi
"$bin" --db "$db2" export "$tmp/e2" >/dev/null 2>&1
n=$(find "$tmp/e1" -name '*.csv' | wc -l)
if diff -r "$tmp/e1" "$tmp/e2" >"$tmp/rt.diff" 2>&1; then
  ok "export -> import -> export: $n files identical"
else
  fail "export -> import -> export" "$(head -20 "$tmp/rt.diff")"
fi

# the impact measures before and after
"$bin" --db "$db1" report --impact --format csv >"$tmp/m1.csv" 2>"$tmp/m1.err" ||
  fail "report --impact before the round trip" "$(head -3 "$tmp/m1.err")"
"$bin" --db "$db2" report --impact --format csv >"$tmp/m2.csv" 2>"$tmp/m2.err" ||
  fail "report --impact after the round trip" "$(head -3 "$tmp/m2.err")"
facts=$(($(wc -l <"$tmp/m1.csv") - 1))
if [ "$(head -1 "$tmp/m1.csv")" != "table,year,row,col,value" ] || ! grep -q '^impact,' "$tmp/m1.csv"; then
  fail "report --impact writes the impact facts" "$(head -3 "$tmp/m1.csv")"
elif cmp -s "$tmp/m1.csv" "$tmp/m2.csv"; then
  ok "report --impact identical before and after the round trip ($facts facts)"
else
  fail "report --impact identical before and after" "$(diff "$tmp/m1.csv" "$tmp/m2.csv" | head -10)"
fi

# a second import of the same folder: every row of every file unchanged
if "$bin" --db "$db2" import "$tmp/e1" >"$tmp/i2.out" 2>&1; then
  ok "second import of the same folder"
else
  fail "second import of the same folder" "$(head -10 "$tmp/i2.out")"
fi
for path in "$tmp"/e1/*.csv; do
  f=$(basename "$path")
  want="$f: 0 inserted, 0 updated, $(rows "$path") unchanged"
  if grep -qxF "$want" "$tmp/i2.out"; then
    ok "second import: $want"
  else
    fail "second import of $f" "expected '$want', got '$(grep "^$f:" "$tmp/i2.out")'"
  fi
done
"$bin" --db "$db2" export "$tmp/e3" >/dev/null 2>&1
if diff -r "$tmp/e1" "$tmp/e3" >"$tmp/rt3.diff" 2>&1; then
  ok "second import: export unchanged"
else
  fail "second import: export unchanged" "$(head -10 "$tmp/rt3.diff")"
fi
"$bin" --db "$db2" report --impact --format csv >"$tmp/m3.csv" 2>/dev/null
if cmp -s "$tmp/m1.csv" "$tmp/m3.csv"; then
  ok "second import: report --impact unchanged"
else
  fail "second import: report --impact unchanged" "$(diff "$tmp/m1.csv" "$tmp/m3.csv" | head -10)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
