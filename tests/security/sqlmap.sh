#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# sqlmap (Debian) against a test server on the demo database, bounded in time: every
# query parameter of every page for the role that reaches it, the cookies, the login
# form and the registration form. Passes when sqlmap confirms no injection point and
# the reference data, accounts and schema are unchanged afterwards (registrations made
# through the form by sqlmap's values are ordinary, validated registrations).
# usage: sqlmap.sh BEREIK_BIN [SECONDS]
set -u
bin=${1:?usage: sqlmap.sh BEREIK_BIN [SECONDS]}
limit=${2:-900}
command -v sqlmap >/dev/null || { echo "sqlmap not found (Debian package sqlmap)"; exit 1; }
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

db="$tmp/s.db"
"$bin" --db "$db" init && "$bin" --db "$db" demo --seed 1 >/dev/null 2>&1 || { echo "demo failed"; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" --db "$db" serve --listen "127.0.0.1:$port" --threads 2 --per-ip-limit 200 2>"$tmp/serve.log" &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

session() { # login -> session cookie value
  local jar="$tmp/jar-$1" t
  curl -s -c "$jar" -b "$jar" "$base/login" -o "$tmp/l.html"
  t=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$tmp/l.html" | head -1 | sed 's/.*value="//; s/"$//')
  curl -s -c "$jar" -b "$jar" -o /dev/null --data "csrf=$t&login=$1&password=demo-bereik" "$base/login"
  awk '$6 == "bereik_session" {print $7}' "$jar"
}
reference() { "$bin" --db "$db" export "$1" >/dev/null && rm -f "$1/registrations.csv" && sqlite3 "$db" "SELECT login, role, active FROM app_user ORDER BY login" >"$1/users.txt" && sqlite3 "$db" "SELECT name, sql FROM sqlite_master ORDER BY name" >"$1/schema.txt"; }
reference "$tmp/before"

reg=$(sqlite3 "$db" "SELECT r.ext_id FROM registration r JOIN registration_advisor ra ON ra.registration_id = r.id JOIN advisor a ON a.id = ra.advisor_id WHERE a.code = 'BC' AND r.date >= '2025-09-01' LIMIT 1")
declare -A urls
urls[begeleider]="/week?datum=2025-10-06
/registratie?id=$reg
/registreren?herhaal=$reg
/instellingen?q=School&formaat=json
/dashboard?jaar=2025-2026
/trajecten?jaar=2025-2026"
urls[coordinator]="/week?datum=2025-10-06&begeleider=FJ"
urls[directie]="/rapport?jaar=2025-2026"
urls[admin]="/beheer/gegevens?bestand=institutions&q=SAA&pagina=1
/beheer/rij?bestand=plan&k0=2025-2026&k1=P1
/beheer/export?bestand=lines.csv
/audit?pagina=1"
common=(--batch --level=3 --risk=2 --dbms=SQLite --technique=BEUST --time-sec=1 --flush-session
  --disable-coloring --output-dir="$tmp/out" --skip="csrf")
start=$(date +%s)
: >"$tmp/sqlmap.log"
for role in begeleider coordinator directie admin; do
  cookie="bereik_session=$(session "$role")"
  while read -r path; do
    [ -n "$path" ] || continue
    timeout $((limit - ($(date +%s) - start))) sqlmap -u "$base$path" --cookie="$cookie" "${common[@]}" >>"$tmp/sqlmap.log" 2>&1
    echo "== $role GET $path" >>"$tmp/sqlmap.log"
  done <<<"${urls[$role]}"
done
# the forms, with their CSRF token fetched by sqlmap before each request
timeout $((limit - ($(date +%s) - start))) sqlmap -u "$base/login" --data="csrf=x&login=begeleider&password=fout" \
  --csrf-token=csrf --csrf-url="$base/login" "${common[@]}" >>"$tmp/sqlmap.log" 2>&1
cookie="bereik_session=$(session begeleider)"
timeout $((limit - ($(date +%s) - start))) sqlmap -u "$base/registreren" --cookie="$cookie" \
  --data="csrf=x&kind=client&date=2025-10-07&duration=45&line=P3&institutions=SAA&modality=fysiek&tg-leraren=2&description=test" \
  --csrf-token=csrf --csrf-url="$base/registreren" "${common[@]}" >>"$tmp/sqlmap.log" 2>&1
elapsed=$(($(date +%s) - start))
tested=$(grep -c "testing for SQL injection on" "$tmp/sqlmap.log")
echo "sqlmap ran ${elapsed} s and tested $tested parameters"
[ "$elapsed" -lt "$limit" ] && ok "sqlmap finished within $limit s ($elapsed s)" || fail "time bound" "stopped at $limit s"
[ "$tested" -ge 20 ] && ok "$tested parameters tested" || fail "parameters tested" "$tested"
# sqlmap's verdict is the list of injection points it confirmed ("identified the following
# injection point(s)"). A parameter that first "appears to be injectable" goes through sqlmap's
# own false-positive check; one it rejects there is not in that list. Such a rejected hint is
# shown here (with what the server logged), since it says a page answered differently to
# equivalent requests.
if grep -Eq "is vulnerable|(identified|resumed) the following injection point" "$tmp/sqlmap.log"; then
  fail "no injectable parameter" "$(grep -E -A8 "(identified|resumed) the following injection point|is vulnerable" "$tmp/sqlmap.log" | head -20)"
else
  ok "no injectable parameter"
fi
hints=$(grep -c "false positive or unexploitable injection point detected" "$tmp/sqlmap.log")
if [ "$hints" -gt 0 ]; then
  echo "note: sqlmap rejected $hints first hint(s) as false positives:"
  grep -E "appears to be '.*' injectable|is a false positive|false positive or unexploitable" "$tmp/sqlmap.log" | head -10
  echo "note: the last lines the server logged:"
  grep -v "login.success" "$tmp/serve.log" | tail -10
fi
reference "$tmp/after"
diff -r "$tmp/before" "$tmp/after" >"$tmp/diff" && ok "reference data, accounts and schema unchanged" || fail "unchanged" "$(head -20 "$tmp/diff")"
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] && ok "integrity check" || fail "integrity" "not ok"
"$bin" --db "$db" report --format csv -o "$tmp/f.csv" && ok "the report still runs" || fail "report" "failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
