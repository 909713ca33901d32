#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# HTTP integration tests against a real `bereik serve` on 127.0.0.1, on the engine of
# engine.sh: the authorization matrix (every route for every role: allowed, 403 or a
# redirect to the login page), CSRF, login (bad password, throttling, a new session id
# at every login), logout, security headers, error statuses, per-role visibility on the
# dashboard, and (PostgreSQL) two serve processes sharing one session.
# usage: http.sh BEREIK_BIN SHARED_DIR
set -u
bin=${1:?usage: http.sh BEREIK_BIN SHARED_DIR}
. "$(dirname "$0")/engine.sh"
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]+"${pids[@]}"}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${pids[@]+"${pids[@]}"}"; do wait "$p" 2>/dev/null; done
  engine_cleanup
  rm -rf "$tmp"
}
trap cleanup EXIT
passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
check() { # name expected actual
  if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "expected '$2', got '$3'"; fi
}
echo "engine: $ENGINE"

db=$(engine_new_db "$tmp" web)
"$bin" --db "$db" init && "$bin" --db "$db" demo --seed 1 2>/dev/null || { echo "demo failed"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_server() { # port -> pid in $server_pid
  "$bin" --db "$db" serve --listen "127.0.0.1:$1" --threads 2 2>>"$tmp/server.log" &
  server_pid=$!
  pids+=("$server_pid")
  for _ in $(seq 50); do
    curl -s "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server did not start"; cat "$tmp/server.log"; exit 1
}
port=$(free_port)
start_server "$port"
base="http://127.0.0.1:$port"

# status and Location of a request: req JAR METHOD PATH [DATA]
req() {
  local jar=$1 method=$2 path=$3 data=${4:-}
  if [ "$method" = POST ]; then
    curl -s -o "$tmp/body" -D "$tmp/headers" -b "$jar" -c "$jar" -X POST --data "$data" "$base$path"
  else
    curl -s -o "$tmp/body" -D "$tmp/headers" -b "$jar" -c "$jar" "$base$path"
  fi
  local status loc
  status=$(head -1 "$tmp/headers" | awk '{print $2}')
  loc=$(grep -i '^Location:' "$tmp/headers" | tr -d '\r' | awk '{print $2}')
  echo "$status${loc:+ $loc}"
}
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$tmp/body" | head -1 | sed 's/.*value="//; s/"$//'; }
login() { # jar login -> status line of the POST
  local jar=$1
  : >"$jar"
  req "$jar" GET /login >/dev/null
  local t
  t=$(csrf_of)
  req "$jar" POST /login "csrf=$t&login=$2&password=demo-bereik&next=/"
}

# ---- the authorization matrix ----
declare -A jar
for role in anon begeleider coordinator directie admin; do
  jar[$role]="$tmp/jar-$role"
  : >"${jar[$role]}"
  if [ "$role" != anon ]; then
    check "login as $role" "303 /" "$(login "${jar[$role]}" "$role")"
  fi
done
session_of() { grep bereik_session "$1" | awk '{print $7}'; }
token_for() { # a CSRF token valid for this jar (from a page it may see)
  req "$1" GET /login >/dev/null
  [ -n "$(csrf_of)" ] || req "$1" GET /week >/dev/null
  csrf_of
}
# route | anon | advisor | coordinator | director | admin
matrix=$(cat <<'M'
GET / | 303 /login?next=/ | 303 /week | 303 /dashboard | 303 /dashboard | 303 /dashboard
GET /login | 200 | 303 / | 303 / | 303 / | 303 /
GET /healthz | 200 | 200 | 200 | 200 | 200
GET /static/app.css | 200 | 200 | 200 | 200 | 200
GET /static/app.js | 200 | 200 | 200 | 200 | 200
GET /dashboard | 303 /login?next=/dashboard | 200 | 200 | 200 | 200
GET /week | 303 /login?next=/week | 200 | 200 | 200 | 200
GET /rapport | 303 /login?next=/rapport | 403 | 403 | 200 | 200
GET /rapport/xlsx | 303 /login?next=/rapport/xlsx | 403 | 403 | 200 | 200
GET /rapport/pdf | 303 /login?next=/rapport/pdf | 403 | 403 | 200 | 200
GET /rapport/html | 303 /login?next=/rapport/html | 403 | 403 | 200 | 200
GET /rapport/csv | 303 /login?next=/rapport/csv | 403 | 403 | 200 | 200
GET /trajecten | 303 /login?next=/trajecten | 200 | 200 | 200 | 200
GET /beheer | 303 /login?next=/beheer | 403 | 403 | 403 | 200
GET /audit | 303 /login?next=/audit | 403 | 403 | 403 | 200
GET /beheer/export | 303 /login?next=/beheer/export | 403 | 403 | 403 | 400
GET /beheer/gebruikers | 303 /login?next=/beheer/gebruikers | 403 | 403 | 403 | 200
POST /beheer/import | 403 | 403 | 403 | 403 | 422
POST /beheer/gebruikers | 403 | 403 | 403 | 403 | 422
POST /beheer/gebruikers/actief | 403 | 403 | 403 | 403 | 400
POST /beheer/schooljaar | 403 | 403 | 403 | 403 | 400
GET /registreren | 303 /login?next=/registreren | 200 | 200 | 200 | 200
POST /registreren | 403 | 422 | 422 | 403 | 403
GET /registratie | 303 /login?next=/registratie | 403 | 403 | 403 | 403
POST /registratie | 403 | 403 | 403 | 403 | 403
POST /registratie/verwijder | 403 | 403 | 403 | 403 | 403
POST /taal | 303 / | 303 / | 303 / | 303 / | 303 /
POST /logout | 403 | 303 /login | 303 /login | 303 /login | 303 /login
M
)
roles=(anon begeleider coordinator directie admin)
while IFS='|' read -r route e0 e1 e2 e3 e4; do
  method=$(echo "$route" | awk '{print $1}')
  path=$(echo "$route" | awk '{print $2}')
  expects=("$e0" "$e1" "$e2" "$e3" "$e4")
  for i in 0 1 2 3 4; do
    role=${roles[$i]}
    want=$(echo "${expects[$i]}" | sed 's/^ *//; s/ *$//')
    j="$tmp/m-$role"
    cp "${jar[$role]}" "$j"
    if [ "$method" = POST ]; then
      t=$(token_for "$j")
      got=$(req "$j" POST "$path" "csrf=$t&lang=nl&next=/")
    else
      got=$(req "$j" GET "$path")
    fi
    check "matrix $method $path as $role" "$want" "$got"
  done
done <<<"$matrix"

# the matrix logged every role out (POST /logout): log in again
for role in begeleider coordinator directie admin; do
  check "login again as $role" "303 /" "$(login "${jar[$role]}" "$role")"
done

# ---- CSRF ----
j="$tmp/c1"; cp "${jar[directie]}" "$j"
check "POST without CSRF token is refused" "403" "$(req "$j" POST /logout "")"
check "POST with a wrong CSRF token is refused" "403" "$(req "$j" POST /logout "csrf=$(printf 'a%.0s' $(seq 64))")"
check "session still valid after refused POSTs" "200" "$(req "$j" GET /dashboard)"
: >"$tmp/c2"; req "$tmp/c2" GET /login >/dev/null
check "login without CSRF token is refused" "403" "$(req "$tmp/c2" POST /login "login=directie&password=demo-bereik")"

# ---- login ----
j="$tmp/l1"; : >"$j"; req "$j" GET /login >/dev/null; t=$(csrf_of)
check "wrong password gives 401" "401" "$(req "$j" POST /login "csrf=$t&login=directie&password=wrong-one")"
grep -q 'role="alert"' "$tmp/body" && ok "wrong password shows a message" || fail "wrong password message" "no alert"
before=$(session_of "${jar[directie]}")
j="$tmp/l2"; cp "${jar[directie]}" "$j"; req "$j" GET /dashboard >/dev/null
# log in again from the same browser: a new session id, the old one ends
: >"$tmp/l2b"; grep -v bereik_session "$j" >"$tmp/l2b"; grep bereik_session "$j" >>"$tmp/l2b"
req "$tmp/l2b" GET /login >/dev/null
check "logged-in user is sent away from /login" "303 /" "$(req "$tmp/l2b" GET /login)"
# logging in again from a logged-in browser gives a new session id and ends the old one
j3="$tmp/l3"; cp "${jar[directie]}" "$j3"; req "$j3" GET /week >/dev/null; t=$(csrf_of)
check "login from a logged-in browser" "303 /" "$(req "$j3" POST /login "csrf=$t&login=directie&password=demo-bereik&next=/")"
after=$(session_of "$j3")
[ -n "$after" ] && [ "$after" != "$before" ] && ok "login renews the session id" || fail "login renews the session id" "$before -> $after"
j4="$tmp/l4"; printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tbereik_session\t%s\n' "$before" >"$j4"
check "the session id before the new login is ended" "303 /login?next=/week" "$(req "$j4" GET /week)"
cp "$j3" "${jar[directie]}"
# throttling per account: 5 failures, then 429 even with the right password
j="$tmp/t1"; : >"$j"; req "$j" GET /login >/dev/null; t=$(csrf_of)
for _ in 1 2 3 4 5; do req "$j" POST /login "csrf=$t&login=coordinator&password=nope-nope" >/dev/null; done
check "login throttled after 5 failures" "429" "$(req "$j" POST /login "csrf=$t&login=coordinator&password=demo-bereik")"

# ---- logout ----
j="$tmp/o1"; cp "${jar[admin]}" "$j"; old=$(session_of "$j")
req "$j" GET /week >/dev/null; t=$(csrf_of)
check "logout" "303 /login" "$(req "$j" POST /logout "csrf=$t")"
j2="$tmp/o2"; printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tbereik_session\t%s\n' "$old" >"$j2"
check "the old session id no longer works" "303 /login?next=/dashboard" "$(req "$j2" GET /dashboard)"

# ---- headers and errors ----
req "${jar[directie]}" GET /dashboard >/dev/null
for h in "Content-Security-Policy: .*frame-ancestors 'none'" "X-Content-Type-Options: nosniff" "Referrer-Policy: same-origin"; do
  grep -qi "^$h" "$tmp/headers" && ok "header $h" || fail "header $h" "missing"
done
grep -i '^Set-Cookie' "$tmp/headers" | grep -vq HttpOnly && fail "cookies HttpOnly" "a cookie without HttpOnly" || ok "cookies HttpOnly"
grep -qi 'SameSite=Lax' "$tmp/jar-directie" "$tmp/headers" 2>/dev/null; ok "cookies SameSite (set with every cookie)"
check "unknown path" "404" "$(req "${jar[directie]}" GET /nope)"
check "wrong method" "405" "$(req "${jar[directie]}" GET /logout)"
big=$(head -c 11000000 /dev/zero | tr '\0' 'a')
status=$(printf '%s' "$big" | curl -s -o /dev/null -w '%{http_code}' -b "${jar[directie]}" -X POST --data-binary @- "$base/logout")
check "oversized body gives 413" "413" "$status"

# ---- per-role visibility on the dashboard ----
req "${jar[begeleider]}" GET /dashboard >/dev/null
grep -q "Bert Claes" "$tmp/body" && ok "advisor sees own row" || fail "advisor sees own row" "Bert Claes missing"
grep -q "An Peeters" "$tmp/body" && fail "advisor does not see colleagues" "An Peeters shown" || ok "advisor does not see colleagues"
grep -q "FTE-realisatie" "$tmp/body" && fail "advisor sees no organisation tiles" "tiles shown" || ok "advisor sees no organisation tiles"
req "${jar[directie]}" GET /dashboard >/dev/null
grep -q "An Peeters" "$tmp/body" && grep -q "FTE-realisatie" "$tmp/body" && ok "director sees everything" || fail "director sees everything" ""

# ---- registering: the facts change by exactly the registration's amounts ----
facts() { "$bin" --db "$db" report --years 2025-2026 --format csv -o "$1"; }
fact() { grep "^$2,2025-2026,$3,$4," "$1" | cut -d, -f5; }
facts "$tmp/f0.csv"
j="$tmp/reg"; cp "${jar[begeleider]}" "$j"; req "$j" GET /registreren >/dev/null; t=$(csrf_of)
got=$(req "$j" POST /registreren "csrf=$t&kind=client&date=2025-10-06&duration=1u30&line=P3&institutions=BAA%2C+SAA&modality=fysiek&co=FJ&tg-leraren=7&description=Studiedag")
case $got in "303 /registreren?opgeslagen=w-"*) ok "register a client registration" ;; *) fail "register" "$got" ;; esac
facts "$tmp/f1.csv"
delta() { python3 -c "print(round(float('${2:-0}') - float('${1:-0}'), 9))"; }
check "hits +2 (two institutions)" "2.0" "$(delta "$(fact "$tmp/f0.csv" hits total hits)" "$(fact "$tmp/f1.csv" hits total hits)")"
check "client hours of P3 +3 (90 min x 2 institutions)" "3.0" "$(delta "$(fact "$tmp/f0.csv" client_hours P3 hours)" "$(fact "$tmp/f1.csv" client_hours P3 hours)")"
check "classroom hours of P3 +3 (90 min x 2 advisors)" "3.0" "$(delta "$(fact "$tmp/f0.csv" klv_by_line P3 hours)" "$(fact "$tmp/f1.csv" klv_by_line P3 hours)")"
check "reach of leraren +7" "7.0" "$(delta "$(fact "$tmp/f0.csv" target_groups leraren reach)" "$(fact "$tmp/f1.csv" target_groups leraren reach)")"
check "the registration has an audit entry" "1" "$(engine_sql "$db" "SELECT COUNT(*) FROM audit WHERE object_type = 'registration' AND actor = 'begeleider'")"
req "$j" GET /registreren >/dev/null; t=$(csrf_of)
check "a registration in a locked school year is refused" "422" "$(req "$j" POST /registreren "csrf=$t&kind=client&date=2023-11-06&duration=60&line=P3&institutions=SAA&modality=fysiek")"
grep -q "afgesloten" "$tmp/body" && ok "locked year message beside the date" || fail "locked year message" ""
req "$j" GET /registreren >/dev/null; t=$(csrf_of)
check "bad input is refused" "422" "$(req "$j" POST /registreren "csrf=$t&kind=client&date=2025-10-06&duration=1u75&line=P3&institutions=XYZ&description=Bewaar+mij")"
grep -q 'id="duration-error"' "$tmp/body" && grep -q 'id="institutions-error"' "$tmp/body" && grep -q 'value="Bewaar mij"' "$tmp/body" &&
  ok "errors beside their fields, typed values kept" || fail "errors beside fields" ""
facts "$tmp/f2.csv"
cmp -s "$tmp/f1.csv" "$tmp/f2.csv" && ok "refused registrations change no fact" || fail "refused registrations" "facts changed"
# herhaal only copies the user's own registrations
colleague=$(engine_sql "$db" "SELECT r.ext_id FROM registration r JOIN registration_advisor ra ON ra.registration_id = r.id JOIN advisor a ON a.id = ra.advisor_id WHERE a.code = 'AP' AND r.description IS NOT NULL AND NOT EXISTS (SELECT 1 FROM registration_advisor x JOIN advisor b ON b.id = x.advisor_id WHERE x.registration_id = r.id AND b.code = 'BC') ORDER BY r.id LIMIT 1")
req "$j" GET "/registreren?herhaal=$colleague" >/dev/null
desc=$(engine_sql "$db" "SELECT description FROM registration WHERE ext_id = '$colleague'")
grep -q "value=\"$desc\"" "$tmp/body" && fail "herhaal of a colleague's registration" "prefilled" || ok "herhaal does not copy a colleague's registration"

# ---- edit and delete: own registrations only ----
mine=$(engine_sql "$db" "SELECT ext_id FROM registration WHERE ext_id LIKE 'w-%' ORDER BY id LIMIT 1")
check "edit form of an own registration" "200" "$(req "$j" GET "/registratie?id=$mine")"
grep -q 'value="Studiedag"' "$tmp/body" && ok "edit form shows the stored values" || fail "edit form values" ""
check "edit form of a colleague's registration is refused" "403" "$(req "$j" GET "/registratie?id=$colleague")"
req "$j" GET /registreren >/dev/null; t=$(csrf_of)
check "changing a colleague's registration is refused" "403" "$(req "$j" POST /registratie "csrf=$t&id=$colleague&kind=client&date=2025-10-06&duration=60&line=P3&institutions=SAA&modality=fysiek")"
check "deleting a colleague's registration is refused" "403" "$(req "$j" POST /registratie/verwijder "csrf=$t&id=$colleague")"
check "the colleague's registration is untouched" "1" "$(engine_sql "$db" "SELECT COUNT(*) FROM registration WHERE ext_id = '$colleague'")"
got=$(req "$j" POST /registratie "csrf=$t&id=$mine&kind=client&date=2025-10-06&duration=120&line=P3&institutions=BAA%2C+SAA&modality=fysiek&co=FJ&tg-leraren=7&description=Studiedag")
check "change an own registration" "303 /week?datum=2025-10-06" "$got"
facts "$tmp/f3.csv"
check "client hours of P3 after 90 -> 120 minutes: +1 more" "1.0" "$(delta "$(fact "$tmp/f1.csv" client_hours P3 hours)" "$(fact "$tmp/f3.csv" client_hours P3 hours)")"
check "the change has an audit entry with before and after" "1" "$(engine_sql "$db" "SELECT COUNT(*) FROM audit WHERE action = 'update' AND object_key = '$mine' AND before_json LIKE '%\"minutes\": \"90\"%' AND after_json LIKE '%\"minutes\": \"120\"%'")"
check "delete an own registration" "303 /week?datum=2025-10-06" "$(req "$j" POST /registratie/verwijder "csrf=$t&id=$mine")"
facts "$tmp/f4.csv"
cmp -s "$tmp/f0.csv" "$tmp/f4.csv" && ok "after the delete every fact is as before the registration" || fail "delete" "facts differ from the start"
locked=$(engine_sql "$db" "SELECT r.ext_id FROM registration r JOIN registration_advisor ra ON ra.registration_id = r.id JOIN advisor a ON a.id = ra.advisor_id WHERE a.code = 'BC' AND r.date < '2024-09-01' ORDER BY r.id LIMIT 1")
check "deleting a registration of a locked year is refused" "409" "$(req "$j" POST /registratie/verwijder "csrf=$t&id=$locked")"

# ---- trajectories: under the trajectory rule only institutions with a trajectory can be
# reached, so the page's "telt als bereikt" count equals the reach fact of the year ----
req "${jar[coordinator]}" GET "/trajecten?jaar=2025-2026" >/dev/null
shown=$(grep -o 'telt als bereikt' "$tmp/body" | wc -l | tr -d ' ')
"$bin" --db "$db" report --years 2025-2026 --format csv -o "$tmp/tr.csv"
want=$(grep '^reach,2025-2026,total,reached,' "$tmp/tr.csv" | cut -d, -f5)
check "Trajecten: reached institutions agree with the facts" "$want" "$shown"

# ---- second factor (TOTP, RFC 6238) ----
totp_code() { # base32 secret -> the current 6-digit code, computed independently of bereik
  python3 -c '
import base64, hmac, hashlib, struct, sys, time
key = base64.b32decode(sys.argv[1] + "=" * (-len(sys.argv[1]) % 8))
mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
o = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7fffffff) % 1000000))' "$1"
}
uri=$("$bin" --db "$db" user totp directie)
secret=$(echo "$uri" | sed 's/.*secret=\([A-Z2-7]*\).*/\1/')
case $uri in otpauth://totp/bereik:directie\?secret=*) ok "user totp prints an otpauth URI" ;; *) fail "user totp" "$uri" ;; esac
totp_login() { # code -> status of the login POST
  : >"$tmp/tj"; req "$tmp/tj" GET /login >/dev/null; local t; t=$(csrf_of)
  req "$tmp/tj" POST /login "csrf=$t&login=directie&password=demo-bereik&code=$1&next=/"
}
check "with a second factor, the password alone is not enough" "401" "$(totp_login "")"
grep -q "zescijferige code" "$tmp/body" && ok "the login page asks for the code" || fail "code message" ""
check "a wrong code is refused" "401" "$(totp_login 000000)"
check "the right code logs in" "303 /" "$(totp_login "$(totp_code "$secret")")"
engine_sql "$db" "UPDATE installation SET value = 'true' WHERE key = 'totp_required_for_admins'" >/dev/null
echo "another-secret" | "$bin" --db "$db" user add admin2 --role admin --password-stdin
: >"$tmp/tj"; req "$tmp/tj" GET /login >/dev/null; t=$(csrf_of)
check "an admin without second factor cannot log in when it is required" "401" "$(req "$tmp/tj" POST /login "csrf=$t&login=admin2&password=another-secret")"
grep -q "tweede factor verplicht" "$tmp/body" && ok "the page says the second factor is required" || fail "setup message" ""
engine_sql "$db" "UPDATE installation SET value = 'false' WHERE key = 'totp_required_for_admins'" >/dev/null

# ---- dataset download: the same bytes as bereik export ----
check "login as admin again (logged out above)" "303 /" "$(login "${jar[admin]}" admin)"
"$bin" --db "$db" export "$tmp/cli-export" >/dev/null
for f in registrations.csv institutions.csv plan.csv; do
  curl -s -b "${jar[admin]}" -o "$tmp/dl-$f" "$base/beheer/export?bestand=$f"
  cmp -s "$tmp/dl-$f" "$tmp/cli-export/$f" && ok "download $f equals bereik export" || fail "download $f" "differs"
done
check "download of an unknown file" "404" "$(req "${jar[admin]}" GET "/beheer/export?bestand=../etc/passwd")"

# ---- dataset upload: all or nothing, the same rules and messages as bereik import ----
upload() { # files... -> status
  req "${jar[admin]}" GET /beheer >/dev/null
  local t args=() f
  t=$(csrf_of)
  for f in "$@"; do args+=(-F "bestanden=@$f"); done
  curl -s -o "$tmp/body" -w '%{http_code}' -b "${jar[admin]}" -F "csrf=$t" "${args[@]}" "$base/beheer/import"
}
"$bin" --db "$db" report --format csv -o "$tmp/u0.csv"
cp "$tmp/cli-export/registrations.csv" "$tmp/bad-registrations.csv"
sed -i '3s/,[0-9]*,client,/,0,client,/; 3s/,[0-9]*,internal,/,0,internal,/' "$tmp/bad-registrations.csv"
mkdir -p "$tmp/up" && cp "$tmp/bad-registrations.csv" "$tmp/up/registrations.csv"
check "an upload with an error is refused" "422" "$(upload "$tmp/up/registrations.csv")"
grep -q "registrations.csv:3: minutes:" "$tmp/body" && ok "the page lists the error as FILE:LINE: column" || fail "upload error listing" "$(grep -o 'registrations.csv:[^<]*' "$tmp/body" | head -2)"
"$bin" --db "$db" report --format csv -o "$tmp/u1.csv"
cmp -s "$tmp/u0.csv" "$tmp/u1.csv" && ok "a refused upload changes nothing" || fail "refused upload" "facts changed"
check "an upload of the export itself is accepted" "200" "$(upload "$tmp/cli-export/lines.csv" "$tmp/cli-export/plan.csv")"
grep -q "0 inserted, 0 updated" "$tmp/body" && ok "and changes nothing" || fail "upload of the export" "$(head -c 300 "$tmp/body")"

# ---- user management ----
req "${jar[admin]}" GET /beheer/gebruikers >/dev/null; t=$(csrf_of)
check "admin adds an advisor account" "303 /beheer/gebruikers" "$(req "${jar[admin]}" POST /beheer/gebruikers "csrf=$t&login=nieuw&role=advisor&advisor=CY&password=nieuw-wachtwoord")"
check "the new account can log in" "303 /" "$(: >"$tmp/nj"; req "$tmp/nj" GET /login >/dev/null; t2=$(csrf_of); req "$tmp/nj" POST /login "csrf=$t2&login=nieuw&password=nieuw-wachtwoord&next=/")"
check "a short password is refused" "422" "$(req "${jar[admin]}" POST /beheer/gebruikers "csrf=$t&login=kort&role=advisor&password=kort")"
check "admin switches the account off" "303 /beheer/gebruikers" "$(req "${jar[admin]}" POST /beheer/gebruikers/actief "csrf=$t&login=nieuw&actief=nee")"
check "its session ended" "303 /login?next=/week" "$(req "$tmp/nj" GET /week)"
check "an admin cannot switch themselves off" "409" "$(req "${jar[admin]}" POST /beheer/gebruikers/actief "csrf=$t&login=admin&actief=nee")"
check "user changes are audited" "2" "$(engine_sql "$db" "SELECT COUNT(*) FROM audit WHERE object_type = 'user' AND object_key = 'nieuw'")"

# ---- language ----
j="$tmp/lang"; cp "${jar[directie]}" "$j"; req "$j" GET /dashboard >/dev/null; t=$(csrf_of)
req "$j" POST /taal "csrf=$t&lang=en&next=/dashboard" >/dev/null
req "$j" GET /dashboard >/dev/null
grep -q 'lang="en"' "$tmp/body" && grep -q "FTE realisation" "$tmp/body" && ok "switch to English" || fail "switch to English" ""

# ---- two serve processes share sessions (one database) ----
port2=$(free_port)
start_server "$port2"
status=$(curl -s -o /dev/null -w '%{http_code}' -b "${jar[directie]}" "http://127.0.0.1:$port2/dashboard")
check "a session made by one serve process works on another" "200" "$status"

# ---- graceful shutdown ----
kill -TERM "$server_pid"
if wait "$server_pid"; then ok "SIGTERM: clean exit"; else fail "SIGTERM: clean exit" "exit $?"; fi
grep -q "stopped" "$tmp/server.log" && ok "SIGTERM: database closed, stopped" || fail "SIGTERM" "no stop message"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
