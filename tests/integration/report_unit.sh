#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The report per unit (docs/VIEWS.md, "The report per unit") on the engine of engine.sh:
# bereik report --unit pbd|poc on a small dataset with hand-known figures, in the facts
# (csv, json) and in every human format (html, csv-tables, xlsx, pdf); the two units add
# up to the organisation, whose report has no unit in its title; a bad --unit is a usage
# error (exit 2).
#
# The dataset (the same as tests/unit/test_views.c): 2025-2026, 1200 hours per FTE;
# P1, P2 pillars of PBD (planned 1.0 and 0.5 FTE), PC pillar of POC (0.5); registrations
#   R1 120 client P1 AN,BE I1,I2   R2 60 internal P1 AN   R3 90 client P2 AN I1,I3
#   R4 30 internal P2 AN,BE        R5 60 client PC CD I2  R6 45 internal PC CD
#   R7 60 client P1 BE I1;  pd_spend AN 300, BE 100.
# PBD: planned 1.5, realised (360 + 150) / 60 / 1200 = 0.00708333..., hits 2+2+1 = 5,
#   klv_hours (300 + 90) / 60 = 6.5, fte_hours 1800, pd per_advisor (AN, BE) 400/2 = 200.
# POC: planned 0.5, realised 105 / 60 / 1200 = 0.00145833..., hits 1, klv_hours 1.
# Organisation: hits 6, klv_hours 7.5, pd per_advisor 400/3.
# usage: report_unit.sh BEREIK_BIN
set -u
bin=${1:?usage: report_unit.sh BEREIK_BIN}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/engine.sh"
# sanitizer build: fontconfig's process-lifetime caches are not leaks of bereik
export LSAN_OPTIONS="suppressions=$here/../lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
tmp=$(mktemp -d)
trap 'engine_cleanup; rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
echo "engine: $ENGINE"
export BEREIK_TODAY=2025-09-30 SOURCE_DATE_EPOCH=1760000000

ds=$tmp/ds
mkdir -p "$ds"
printf 'school_year,hours_per_fte,reach_rule\n2025-2026,1200,contact\n' >"$ds/settings.csv"
printf 'code,name,group\nBaO,Basisonderwijs,(Bu)BaO\n' >"$ds/sectors.csv"
printf 'code,name,kind,unit\nP1,Pijler 1,pillar,pbd\nP2,Pijler 2,pillar,pbd\nPC,POC-pijler,pillar,poc\n' >"$ds/lines.csv"
printf 'code,line,name\n1.1,P1,Doel 1.1\n2.1,P2,Doel 2.1\n' >"$ds/goals.csv"
printf 'school_year,line,planned_fte\n2025-2026,P1,1.0\n2025-2026,P2,0.5\n2025-2026,PC,0.5\n' >"$ds/plan.csv"
printf 'number,code,name,sector,own\n100001,I1,School 1,BaO,true\n100002,I2,School 2,BaO,true\n100003,I3,School 3,BaO,false\n' >"$ds/institutions.csv"
printf 'code,name,lines\nT1,Team 1,P1|P2\nT2,Team 2,PC\n' >"$ds/teams.csv"
printf 'code,name,fte,teams\nAN,Anna,1,T1\nBE,Bert,1,T1\nCD,Cato,1,T2\n' >"$ds/advisors.csv"
printf 'code,name\nler,Leraren\ndir,Directies\n' >"$ds/target_groups.csv"
printf 'school_year,target_group,target\n2025-2026,ler,100\n' >"$ds/targets.csv"
cat >"$ds/registrations.csv" <<'CSV'
id,date,minutes,kind,line,goal,advisors,institutions,modality,activity,tg.ler,tg.dir
R1,2025-09-02,120,client,P1,1.1,AN|BE,I1|I2,fysiek,,10,0
R2,2025-09-03,60,internal,P1,,AN,,,preparation,,
R3,2025-09-09,90,client,P2,2.1,AN,I1|I3,online,,5,2
R4,2025-09-10,30,internal,P2,,AN|BE,,,quality,,
R5,2025-09-11,60,client,PC,,CD,I2,helpdesk,,,3
R6,2025-09-11,45,internal,PC,,CD,,,quality,,
R7,2025-09-20,60,client,P1,1.1,BE,I1,fysiek,,4,
CSV
printf 'advisor,school_year,date,amount_eur,description\nAN,2025-2026,2025-09-05,300,Congres\nBE,2025-2026,2025-09-05,100,Boek\n' >"$ds/pd_spend.csv"

db=$(engine_new_db "$tmp" a)
"$bin" --db "$db" init >/dev/null && "$bin" --db "$db" import "$ds" >/dev/null 2>"$tmp/import.err" ||
  { echo "import failed: $(cat "$tmp/import.err")"; exit 1; }

# one fact of a csv facts file: table row col
fact() { awk -F, -v t="$2" -v r="$3" -v c="$4" '$1 == t && $3 == r && $4 == c {print $5}' "$1"; }
expect() { # file table row col value label
  local got
  got=$(fact "$1" "$2" "$3" "$4")
  if [ "$got" = "$5" ]; then ok "$6: $2 $3 $4 = $5"; else fail "$6: $2 $3 $4" "expected '$5', got '$got'"; fi
}
absent() { # file table row col label
  local got
  got=$(fact "$1" "$2" "$3" "$4")
  if [ -z "$got" ]; then ok "$5: no $2 $3 $4"; else fail "$5: $2 $3 $4" "expected absent, got '$got'"; fi
}

"$bin" --db "$db" report --years 2025-2026 --format csv >"$tmp/org.csv" || fail "report (organisation)" "exit $?"
"$bin" --db "$db" report --years 2025-2026 --format csv --unit pbd >"$tmp/pbd.csv" || fail "report --unit pbd" "exit $?"
"$bin" --db "$db" report --years 2025-2026 --format csv --unit poc >"$tmp/poc.csv" || fail "report --unit poc" "exit $?"

expect "$tmp/pbd.csv" fte total_plan planned_fte 1.5 PBD
expect "$tmp/pbd.csv" fte total_plan realized_fte 0.007083333333333333 PBD
expect "$tmp/pbd.csv" hits total hits 5 PBD
expect "$tmp/pbd.csv" klv total fte_hours 1800 PBD
expect "$tmp/pbd.csv" klv total klv_hours 6.5 PBD
expect "$tmp/pbd.csv" pd_spend total per_advisor 200 PBD
expect "$tmp/pbd.csv" target_groups ler reach 19 PBD
absent "$tmp/pbd.csv" fte PC realized_fte PBD
absent "$tmp/pbd.csv" klv unit:poc klv_hours PBD
absent "$tmp/pbd.csv" target_groups ler target PBD
expect "$tmp/poc.csv" fte total_plan planned_fte 0.5 POC
expect "$tmp/poc.csv" fte total_plan realized_fte 0.0014583333333333334 POC
expect "$tmp/poc.csv" hits total hits 1 POC
expect "$tmp/poc.csv" klv total klv_hours 1 POC
absent "$tmp/poc.csv" fte P1 realized_fte POC
absent "$tmp/poc.csv" pd_spend total per_advisor POC
expect "$tmp/org.csv" hits total hits 6 organisation
expect "$tmp/org.csv" klv total klv_hours 7.5 organisation
expect "$tmp/org.csv" pd_spend total per_advisor 133.33333333333334 organisation
expect "$tmp/org.csv" target_groups ler target 100 organisation

# the facts as JSON per unit hold the same numbers
"$bin" --db "$db" report --years 2025-2026 --format json --unit pbd >"$tmp/pbd.json"
if python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
v = {(f['table'], f['row'], f['col']): f['value'] for f in d['facts']}
assert v[('hits', 'total', 'hits')] == 5 and v[('klv', 'total', 'klv_hours')] == 6.5, v
" "$tmp/pbd.json"; then ok "json --unit pbd: hits 5, klv_hours 6.5"; else fail "json --unit pbd" "numbers differ"; fi

# every human format names the unit; the organisation's does not
for u in pbd poc; do
  U=$(echo "$u" | tr a-z A-Z)
  "$bin" --db "$db" report --years 2025-2026 --format html --unit "$u" >"$tmp/$u.html"
  if grep -q "Jaarrapport bereik ($U)" "$tmp/$u.html"; then ok "html --unit $u: the title names $U"; else fail "html --unit $u" "no title with $U"; fi
  "$bin" --db "$db" report --years 2025-2026 --format csv-tables --unit "$u" >"$tmp/$u-tables.csv"
  if grep -q "($U)" "$tmp/$u-tables.csv"; then ok "csv-tables --unit $u: the tables name $U"; else fail "csv-tables --unit $u" "no $U"; fi
  for f in xlsx pdf; do
    if "$bin" --db "$db" report --years 2025-2026 --format "$f" --unit "$u" -o "$tmp/$u.$f" && [ -s "$tmp/$u.$f" ]; then
      ok "$f --unit $u written ($(wc -c <"$tmp/$u.$f") bytes)"
    else
      fail "$f --unit $u" "no file"
    fi
  done
done
"$bin" --db "$db" report --years 2025-2026 --format html >"$tmp/org.html"
if grep -q "Jaarrapport bereik</h1>\|<title>Jaarrapport bereik</title>" "$tmp/org.html" && ! grep -q "(PBD)\|(POC)" "$tmp/org.html"; then
  ok "html (organisation): the title names no unit"
else
  fail "html (organisation)" "unit in the title"
fi
# the client hours of PBD in the html: R1 120 * 2 + R3 90 * 2 + R7 60 = 480 min = 8,0 h
if grep -q "8,0" "$tmp/pbd.html"; then ok "html --unit pbd: client hours 8,0"; else fail "html --unit pbd" "no 8,0"; fi

"$bin" --db "$db" report --format csv --unit xyz >/dev/null 2>"$tmp/bad.err"
rc=$?
if [ "$rc" = 2 ] && grep -q "must be pbd or poc" "$tmp/bad.err"; then ok "--unit xyz: usage error (2) naming the choices"; else fail "--unit xyz" "exit $rc: $(cat "$tmp/bad.err")"; fi

echo "passed $passed, failed $failed"
[ "$failed" = 0 ]
