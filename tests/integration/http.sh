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
  "$bin" --db "$db" serve --listen "127.0.0.1:$1" --threads 2 --connection-timeout 3 2>>"$tmp/server.log" &
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
POST /login | 401 | 401 | 401 | 401 | 401
GET /healthz | 200 | 200 | 200 | 200 | 200
GET /static/app.css | 200 | 200 | 200 | 200 | 200
GET /static/app.js | 200 | 200 | 200 | 200 | 200
GET /dashboard | 303 /login?next=/dashboard | 200 | 200 | 200 | 200
GET /week | 303 /login?next=/week | 200 | 200 | 200 | 200
GET /rapport | 303 /login?next=/rapport | 403 | 200 | 200 | 200
GET /rapport/xlsx | 303 /login?next=/rapport/xlsx | 403 | 200 | 200 | 200
GET /rapport/pdf | 303 /login?next=/rapport/pdf | 403 | 200 | 200 | 200
GET /rapport/html | 303 /login?next=/rapport/html | 403 | 200 | 200 | 200
GET /rapport/csv | 303 /login?next=/rapport/csv | 403 | 200 | 200 | 200
GET /trajecten | 303 /login?next=/trajecten | 200 | 200 | 200 | 200
GET /datakwaliteit | 303 /login?next=/datakwaliteit | 200 | 200 | 200 | 200
GET /instellingen | 303 /login?next=/instellingen | 200 | 200 | 200 | 200
GET /beheer | 303 /login?next=/beheer | 403 | 403 | 403 | 200
GET /audit | 303 /login?next=/audit | 403 | 403 | 403 | 200
GET /beheer/export | 303 /login?next=/beheer/export | 403 | 403 | 403 | 400
GET /beheer/gebruikers | 303 /login?next=/beheer/gebruikers | 403 | 403 | 403 | 200
POST /beheer/import | 403 | 403 | 403 | 403 | 422
POST /beheer/gebruikers | 403 | 403 | 403 | 403 | 422
POST /beheer/gebruikers/actief | 403 | 403 | 403 | 403 | 400
POST /beheer/schooljaar | 403 | 403 | 403 | 403 | 400
GET /beheer/gegevens | 303 /login?next=/beheer/gegevens | 403 | 403 | 403 | 200
GET /beheer/rij | 303 /login?next=/beheer/rij | 403 | 403 | 403 | 404
POST /beheer/rij | 403 | 403 | 403 | 403 | 400
POST /beheer/rij/verwijder | 403 | 403 | 403 | 403 | 400
GET /registreren | 303 /login?next=/registreren | 200 | 200 | 200 | 200
POST /registreren | 403 | 422 | 422 | 403 | 403
GET /registratie | 303 /login?next=/registratie | 403 | 403 | 403 | 403
POST /registratie | 403 | 403 | 403 | 403 | 403
POST /registratie/verwijder | 403 | 403 | 403 | 403 | 403
GET /api-sleutels | 303 /login?next=/api-sleutels | 200 | 200 | 200 | 200
POST /api-sleutels | 403 | 422 | 422 | 422 | 422
POST /api-sleutels/intrekken | 403 | 404 | 404 | 404 | 404
GET /mijn-account | 303 /login?next=/mijn-account | 200 | 200 | 200 | 200
POST /mijn-account/wachtwoord | 403 | 422 | 422 | 422 | 422
POST /mijn-account/tweede-factor | 403 | 422 | 422 | 422 | 422
POST /mijn-account/sessie/beeindig | 403 | 400 | 400 | 400 | 400
POST /mijn-account/sessies/andere | 403 | 303 /mijn-account | 303 /mijn-account | 303 /mijn-account | 303 /mijn-account
POST /login/tweede-factor | 400 | 400 | 400 | 400 | 400
POST /beheer/gebruikers/wachtwoord | 403 | 403 | 403 | 403 | 404
POST /beheer/gebruikers/tweede-factor | 403 | 403 | 403 | 403 | 200
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

# ---- static files: hashed names cached for a year, plain names revalidated, gzip ----
req "${jar[directie]}" GET /dashboard >/dev/null
grep -qi '^Cache-Control: no-store' "$tmp/headers" && ok "a page is not stored (no-store)" || fail "page no-store" "$(grep -i '^Cache-Control' "$tmp/headers")"
css=$(grep -o 'href="/static/app\.[0-9a-f]\{12\}\.css"' "$tmp/body" | sed 's/href="//; s/"$//')
js=$(grep -o 'src="/static/app\.[0-9a-f]\{12\}\.js"' "$tmp/body" | sed 's/src="//; s/"$//')
[ -n "$css" ] && [ -n "$js" ] && ok "the page links app.<hash>.css and app.<hash>.js" || fail "hashed asset links" "css=$css js=$js"
for u in "$css" "$js"; do
  curl -s -o "$tmp/asset.gz" -D "$tmp/headers" -H 'Accept-Encoding: gzip' "$base$u"
  grep -qi '^Cache-Control: public, max-age=31536000, immutable' "$tmp/headers" && ok "$u: immutable for a year" || fail "$u immutable" "$(grep -i '^Cache-Control' "$tmp/headers")"
  grep -qi '^Content-Encoding: gzip' "$tmp/headers" && ok "$u: gzip" || fail "$u gzip" "no Content-Encoding"
  plain=$(curl -s "$base/static/${u##*/}" | sha256sum | cut -c1-12)
  check "$u: its name holds the first 12 hex digits of its SHA-256" "$(echo "$u" | sed 's/.*app\.\([0-9a-f]*\)\..*/\1/')" "$(gunzip -c "$tmp/asset.gz" | sha256sum | cut -c1-12)"
  [ "$plain" = "$(gunzip -c "$tmp/asset.gz" | sha256sum | cut -c1-12)" ] && ok "$u: the uncompressed form is the same file" || fail "$u uncompressed" "differs"
done
curl -s -o /dev/null -D "$tmp/headers" "$base/static/app.css"
grep -qi '^Cache-Control: no-cache' "$tmp/headers" && ok "/static/app.css (plain name): revalidated" || fail "plain name no-cache" "$(grep -i '^Cache-Control' "$tmp/headers")"
etag=$(grep -i '^ETag:' "$tmp/headers" | cut -d' ' -f2 | tr -d '\r')
check "/static/app.css with its ETag: 304" "304" "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$base/static/app.css")"
check "an unknown static file: 404" "404" "$(curl -s -o /dev/null -w '%{http_code}' "$base/static/app.000000000000.css")"
curl -s -o /dev/null -D "$tmp/headers" -b "${jar[directie]}" -H 'Accept-Encoding: gzip' "$base/dashboard"
grep -qi '^Content-Encoding: gzip' "$tmp/headers" && ok "a page goes gzip-compressed to a browser that accepts it" || fail "page gzip" "no Content-Encoding"
# the dashboard's main part comes from the cache after the first answer: its compression
# is made once and joined with the page around it; the page decompresses to the same
# text as the uncompressed answer (the masked CSRF tokens aside)
for i in 1 2 3; do
  curl -s -o "$tmp/dash$i.gz" -b "${jar[directie]}" -H 'Accept-Encoding: gzip' "$base/dashboard"
done
curl -s -o "$tmp/dash.html" -b "${jar[directie]}" "$base/dashboard"
unmask() { sed 's/value="[0-9a-f]\{64,\}"/value="CSRF"/g'; }
want=$(unmask <"$tmp/dash.html" | sha256sum)
ok_gz=1
for i in 1 2 3; do
  gzip -t "$tmp/dash$i.gz" 2>/dev/null && [ "$(gunzip -c "$tmp/dash$i.gz" | unmask | sha256sum)" = "$want" ] || ok_gz=0
done
[ $ok_gz = 1 ] && [ "$(wc -c <"$tmp/dash.html")" -gt 1024 ] && ok "a cached dashboard, gzip-compressed three times, is valid gzip and the same page" ||
  fail "cached dashboard gzip" "invalid or different after decompression"
curl -s -o /dev/null -D "$tmp/headers" -b "${jar[directie]}" -H 'Accept-Encoding: gzip;q=0' "$base/dashboard"
grep -qi '^Content-Encoding' "$tmp/headers" && fail "gzip;q=0" "compressed anyway" || ok "gzip;q=0: not compressed"
a=$(curl -s -b "${jar[directie]}" "$base/week" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1)
b=$(curl -s -b "${jar[directie]}" "$base/week" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1)
[ -n "$a" ] && [ "$a" != "$b" ] && [ ${#a} -eq $((20 + 128)) ] && ok "the CSRF token is masked afresh in each page (128 hex digits)" || fail "masked CSRF" "$a / $b"
check "wrong method" "405" "$(req "${jar[directie]}" GET /logout)"
big=$(head -c 11000000 /dev/zero | tr '\0' 'a')
status=$(printf '%s' "$big" | curl -s -o /dev/null -w '%{http_code}' -b "${jar[directie]}" -X POST --data-binary @- "$base/logout")
check "oversized body gives 413" "413" "$status"
# raw requests: ambiguous framing (request smuggling) and a client that goes silent
raw=$(python3 - "$port" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"POST /logout HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
s.settimeout(5)
first = s.recv(4096).split(b"\r\n")[0].decode()
rest = s.recv(4096)
closed = "closed" if rest == b"" or b"\r\n\r\n" in rest else "open"
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"GET /login HTTP/1.1\r\nHost: x\r\n")  # never finished
t = time.time()
s.settimeout(20)
data = s.recv(100)
print(first + "|" + closed + "|" + ("disconnected" if data == b"" else "answered") + "|%d" % round(time.time() - t))
PY
)
IFS='|' read -r smuggle smuggle_conn silent silent_s <<<"$raw"
check "Content-Length with Transfer-Encoding is refused" "HTTP/1.1 400 Bad Request" "$smuggle"
check "... and that connection is closed" "closed" "$smuggle_conn"
check "a client that sends half a request and goes silent is disconnected" "disconnected" "$silent"
[ "${silent_s:-99}" -ge 2 ] && [ "${silent_s:-99}" -le 6 ] && ok "... after the connection timeout (3 s): ${silent_s} s" || fail "silent client timeout" "${silent_s} s"

# ---- per-role visibility on the dashboard ----
req "${jar[begeleider]}" GET /dashboard >/dev/null
grep -q "Bert Claes" "$tmp/body" && ok "advisor sees own row" || fail "advisor sees own row" "Bert Claes missing"
grep -q "An Peeters" "$tmp/body" && fail "advisor does not see colleagues" "An Peeters shown" || ok "advisor does not see colleagues"
grep -q "FTE-realisatie" "$tmp/body" && fail "advisor sees no organisation tiles" "tiles shown" || ok "advisor sees no organisation tiles"
req "${jar[directie]}" GET /dashboard >/dev/null
grep -q "An Peeters" "$tmp/body" && grep -q "FTE-realisatie" "$tmp/body" && ok "director sees everything" || fail "director sees everything" ""

# ---- the dashboard keeps what it computed only while the data is unchanged: a change
# by another process (here bereik import) shows at the next request ----
hits_shown() { req "${jar[directie]}" GET "/dashboard?jaar=2025-2026" >/dev/null; grep -o 'id="hits-total">[0-9.]*' "$tmp/body" | sed 's/.*>//; s/\.//g'; }
h0=$(hits_shown)
h0b=$(hits_shown)
check "the dashboard answers the same twice (cached)" "$h0" "$h0b"
mkdir -p "$tmp/other"
printf 'id,date,minutes,kind,line,advisors,institutions,modality\nother-1,2025-10-08,30,client,P3,BC,SAA|SAB,fysiek\n' >"$tmp/other/registrations.csv"
"$bin" --db "$db" import "$tmp/other" >/dev/null 2>&1 || fail "import by another process" "failed"
check "after another process's import the dashboard shows 2 hits more" "$((h0 + 2))" "$(hits_shown)"
"$bin" --db "$db" report --years 2025-2026 --format csv -o "$tmp/fo.csv"
check "... which is the facts' number" "$(grep '^hits,2025-2026,total,hits,' "$tmp/fo.csv" | cut -d, -f5)" "$(hits_shown)"
engine_sql "$db" "DELETE FROM registration_advisor WHERE registration_id = (SELECT id FROM registration WHERE ext_id = 'other-1')" >/dev/null
engine_sql "$db" "DELETE FROM registration_institution WHERE registration_id = (SELECT id FROM registration WHERE ext_id = 'other-1')" >/dev/null
engine_sql "$db" "DELETE FROM registration WHERE ext_id = 'other-1'" >/dev/null
# rows deleted behind the domain's back: the aggregates are rebuilt from the registrations
# (that is also a write, so the servers' cached facts go out of date)
"$bin" --db "$db" aggregates rebuild >/dev/null

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

# ---- a coordinator changes the registrations of their teams' members, nobody else's ----
# coordinator AP coordinates T-EXC and T-KLO (FJ is a member); BC is in neither
advisors_of() { engine_sql "$db" "SELECT a.code FROM registration_advisor ra JOIN advisor a ON a.id = ra.advisor_id JOIN registration r ON r.id = ra.registration_id WHERE r.ext_id = '$1' ORDER BY a.code" | tr '\n' ' '; }
member=$(engine_sql "$db" "SELECT r.ext_id FROM registration r WHERE r.date >= '2025-09-01' AND r.kind = 'client' AND EXISTS (SELECT 1 FROM registration_advisor ra JOIN advisor a ON a.id = ra.advisor_id WHERE ra.registration_id = r.id AND a.code = 'FJ') AND NOT EXISTS (SELECT 1 FROM registration_advisor ra JOIN advisor a ON a.id = ra.advisor_id WHERE ra.registration_id = r.id AND a.code IN ('AP', 'BC')) ORDER BY r.id LIMIT 1")
outsider=$(engine_sql "$db" "SELECT r.ext_id FROM registration r WHERE r.date >= '2025-09-01' AND NOT EXISTS (SELECT 1 FROM registration_advisor ra JOIN advisor a ON a.id = ra.advisor_id JOIN team_member tm ON tm.advisor_id = a.id JOIN team t ON t.id = tm.team_id WHERE ra.registration_id = r.id AND t.code IN ('T-EXC', 'T-KLO')) ORDER BY r.id LIMIT 1")
jc="$tmp/coord"; cp "${jar[coordinator]}" "$jc"
check "coordinator: edit form of a team member's registration" "200" "$(req "$jc" GET "/registratie?id=$member")"
check "coordinator: edit form of a registration outside the teams is refused" "403" "$(req "$jc" GET "/registratie?id=$outsider")"
check "advisor: edit form of a colleague's registration stays refused" "403" "$(req "$j" GET "/registratie?id=$member")"
before_advs=$(advisors_of "$member")
mdate=$(engine_sql "$db" "SELECT date FROM registration WHERE ext_id = '$member'")
req "$jc" GET "/registratie?id=$member" >/dev/null; t=$(csrf_of)
co=$(for a in $before_advs; do [ "$a" = FJ ] || printf '&co=%s' "$a"; done)
inst=$(engine_sql "$db" "SELECT i.code FROM registration_institution ri JOIN institution i ON i.id = ri.institution_id JOIN registration r ON r.id = ri.registration_id WHERE r.ext_id = '$member'" | paste -sd, -)
got=$(req "$jc" POST /registratie "csrf=$t&id=$member&kind=client&date=$mdate&duration=77&line=P3&institutions=$inst&modality=fysiek$co&description=Door+coordinator")
check "coordinator: change a team member's registration" "303 /week?datum=$mdate&begeleider=FJ" "$got"
check "the change is stored" "77" "$(engine_sql "$db" "SELECT minutes FROM registration WHERE ext_id = '$member'")"
check "the registration keeps its advisors (the coordinator is not added)" "$before_advs" "$(advisors_of "$member")"
check "the coordinator's change has an audit entry" "1" "$(engine_sql "$db" "SELECT COUNT(*) FROM audit WHERE action = 'update' AND object_key = '$member' AND actor = 'coordinator'")"
req "$jc" GET /registreren >/dev/null; t=$(csrf_of)
check "coordinator: changing a registration outside the teams is refused" "403" "$(req "$jc" POST /registratie "csrf=$t&id=$outsider&kind=client&date=2025-10-06&duration=60&line=P3&institutions=SAA&modality=fysiek")"
check "coordinator: deleting a registration outside the teams is refused" "403" "$(req "$jc" POST /registratie/verwijder "csrf=$t&id=$outsider")"
check "coordinator: a team member's week" "200" "$(req "$jc" GET "/week?datum=$mdate&begeleider=FJ")"
grep -q "registratie?id=$member" "$tmp/body" && ok "the team member's week links to the edit form" || fail "team member's week" "no edit link"
check "coordinator: the week of an advisor outside the teams is refused" "403" "$(req "$jc" GET "/week?begeleider=BC")"
check "advisor: a colleague's week is refused" "403" "$(req "$j" GET "/week?begeleider=FJ")"
check "director: any advisor's week (read only)" "200" "$(req "${jar[directie]}" GET "/week?datum=$mdate&begeleider=FJ")"
grep -q "registratie?id=$member" "$tmp/body" && fail "director's view is read only" "edit link shown" || ok "director's view of a week has no edit links"
check "director: changing an advisor's registration is refused" "403" "$(req "${jar[directie]}" GET "/registratie?id=$member")"
check "coordinator: delete a team member's registration" "303 /week?datum=$mdate&begeleider=FJ" "$(req "$jc" POST /registratie/verwijder "csrf=$t&id=$member")"
check "the team member's registration is gone" "0" "$(engine_sql "$db" "SELECT COUNT(*) FROM registration WHERE ext_id = '$member'")"

# ---- Beheer of reference data: one-row forms through the importer's rules ----
ja="$tmp/adm"; check "log in as admin" "303 /" "$(login "$ja" admin)"
check "the list of lines" "200" "$(req "$ja" GET "/beheer/gegevens?bestand=lines")"
grep -q 'k0=P3' "$tmp/body" && ok "the list links every row to its form" || fail "list of lines" "no link to P3"
check "an unknown file" "404" "$(req "$ja" GET "/beheer/gegevens?bestand=registrations")"
req "$ja" GET "/beheer/rij?bestand=lines" >/dev/null; t=$(csrf_of)
got=$(req "$ja" POST /beheer/rij "csrf=$t&bestand=lines&bestaand=0&c-code=PX&c-name=Project+X&c-kind=project&c-unit=pbd&c-position=")
check "create a line" "303 /beheer/gegevens?bestand=lines&opgeslagen=PX" "$got"
check "the line is stored" "Project X|project" "$(engine_sql "$db" "SELECT name || '|' || kind FROM line WHERE code = 'PX'")"
check "its audit entry has the row after" "1" "$(engine_sql "$db" "SELECT COUNT(*) FROM audit WHERE action = 'create' AND object_type = 'lines' AND object_key = 'PX' AND actor = 'admin' AND after_json LIKE '%\"name\": \"Project X\"%'")"
got=$(req "$ja" POST /beheer/rij "csrf=$t&bestand=lines&bestaand=1&c-code=PX&c-name=Project+Xavier&c-kind=project&c-unit=pbd&c-position=12")
check "change a line" "303 /beheer/gegevens?bestand=lines&opgeslagen=PX" "$got"
check "its audit entry has the row before and after" "1" "$(engine_sql "$db" "SELECT COUNT(*) FROM audit WHERE action = 'update' AND object_key = 'PX' AND before_json LIKE '%\"Project X\"%' AND after_json LIKE '%\"Project Xavier\"%' AND after_json LIKE '%\"position\": \"12\"%'")"
lines_before=$(engine_sql "$db" "SELECT COUNT(*) || ':' || SUM(LENGTH(name)) FROM line")
check "a value outside the vocabulary is refused" "422" "$(req "$ja" POST /beheer/rij "csrf=$t&bestand=lines&bestaand=1&c-code=PX&c-name=Kapot&c-kind=bogus&c-unit=pbd")"
grep -q 'id="c-kind-error">onbekende waarde &#39;bogus&#39;' "$tmp/body" && ok "the importer's message, in Dutch, beside the field" || fail "message beside kind" "$(grep -o 'field-error[^<]*' "$tmp/body")"
grep -q 'value="Kapot"' "$tmp/body" && ok "the form keeps what was typed" || fail "typed values kept" ""
check "a reserved code is refused" "422" "$(req "$ja" POST /beheer/rij "csrf=$t&bestand=lines&bestaand=0&c-code=total&c-name=Totaal&c-kind=pillar&c-unit=pbd")"
grep -q 'id="c-code-error"' "$tmp/body" && ok "reserved code: message beside the code" || fail "reserved code message" ""
check "a new row may not overwrite an existing one" "422" "$(req "$ja" POST /beheer/rij "csrf=$t&bestand=lines&bestaand=0&c-code=P3&c-name=Overschreven&c-kind=pillar&c-unit=pbd")"
grep -q 'bestaat al' "$tmp/body" && ok "existing key: says so" || fail "existing key message" ""
check "a badly typed number is refused" "422" "$(req "$ja" POST /beheer/rij "csrf=$t&bestand=plan&bestaand=0&c-school_year=2025-2026&c-line=PX&c-planned_fte=veel")"
grep -q 'id="c-planned_fte-error">geen getal' "$tmp/body" && ok "bad number: message beside the field" || fail "bad number message" ""
check "the plan of a locked school year does not change" "422" "$(req "$ja" POST /beheer/rij "csrf=$t&bestand=plan&bestaand=0&c-school_year=2023-2024&c-line=PX&c-planned_fte=1")"
grep -q 'id="c-school_year-error">schooljaar 2023-2024 is afgesloten' "$tmp/body" && ok "locked year: message beside the school year" || fail "locked year message" ""
check "refused forms changed nothing" "$lines_before" "$(engine_sql "$db" "SELECT COUNT(*) || ':' || SUM(LENGTH(name)) FROM line")"
check "no plan row was written" "0" "$(engine_sql "$db" "SELECT COUNT(*) FROM plan p JOIN line l ON l.id = p.line_id WHERE l.code = 'PX'")"
req "$ja" GET "/beheer/rij?bestand=advisors&k0=FJ" >/dev/null
grep -q 'name="c-teams" value="T-CUR" checked' "$tmp/body" && ok "an advisor's teams as checked boxes" || fail "advisor form teams" ""
fj=$(engine_sql "$db" "SELECT name || ',' || fte FROM advisor WHERE code = 'FJ'")
got=$(req "$ja" POST /beheer/rij "csrf=$t&bestand=advisors&bestaand=1&c-code=FJ&c-name=${fj%%,*}&c-role=begeleider&c-fte=${fj##*,}&c-start=&c-end=&c-teams=T-CUR&c-teams=T-POC")
check "change an advisor's teams" "303 /beheer/gegevens?bestand=advisors&opgeslagen=FJ" "$got"
check "the advisor's teams are stored" "T-CUR T-POC" "$(engine_sql "$db" "SELECT t.code FROM team_member tm JOIN team t ON t.id = tm.team_id JOIN advisor a ON a.id = tm.advisor_id WHERE a.code = 'FJ' ORDER BY t.code" | paste -sd' ' -)"
inst=$(engine_sql "$db" "SELECT number FROM institution i WHERE active = 1 AND EXISTS (SELECT 1 FROM registration_institution ri WHERE ri.institution_id = i.id) ORDER BY number LIMIT 1")
req "$ja" GET "/beheer/rij?bestand=institutions&k0=$inst" >/dev/null
post=$(python3 - "$tmp/body" <<'PY'
import html, re, sys, urllib.parse
body = open(sys.argv[1], encoding="utf-8").read()
form = body.split('action="/beheer/rij"')[1].split("</form>")[0]
fields = []
for m in re.finditer(r'<(input|select|textarea)([^>]*)>', form):
    attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', m.group(2)))
    name = attrs.get("name")
    if not name or name == "csrf":
        continue
    if m.group(1) == "select":
        rest = form[m.end():].split("</select>")[0]
        sel = re.search(r'<option value="([^"]*)" selected>', rest)
        value = sel.group(1) if sel else ""
    else:
        value = attrs.get("value", "")
    if name == "c-active":
        value = "false"
    fields.append((name, html.unescape(value)))
print(urllib.parse.urlencode(fields))
PY
)
got=$(req "$ja" POST /beheer/rij "csrf=$t&$post")
check "deactivate an institution (its form with active = nee)" "303 /beheer/gegevens?bestand=institutions&opgeslagen=$inst" "$got"
check "the institution is inactive" "0" "$(engine_sql "$db" "SELECT active FROM institution WHERE number = '$inst'")"
# the dashboard keeps the reference data while nothing changes it; a change in Beheer shows at once
req "${jar[directie]}" GET "/dashboard?jaar=2025-2026" >/dev/null
p3=$(engine_sql "$db" "SELECT name FROM line WHERE code = 'P3'")
grep -q "$p3" "$tmp/body" && ok "the dashboard names line P3" || fail "dashboard line name" "$p3 missing"
p3_form="csrf=$t&bestand=lines&bestaand=1&c-code=P3&c-kind=$(engine_sql "$db" "SELECT kind FROM line WHERE code = 'P3'")&c-unit=$(engine_sql "$db" "SELECT unit FROM line WHERE code = 'P3'")&c-position=$(engine_sql "$db" "SELECT COALESCE(CAST(position AS TEXT), '') FROM line WHERE code = 'P3'")"
check "rename line P3 in Beheer" "303 /beheer/gegevens?bestand=lines&opgeslagen=P3" "$(req "$ja" POST /beheer/rij "$p3_form&c-name=Pijler+drie+hernoemd")"
req "${jar[directie]}" GET "/dashboard?jaar=2025-2026" >/dev/null
grep -q "Pijler drie hernoemd" "$tmp/body" && ok "the dashboard shows the new name at once" || fail "dashboard after a rename" "old name"
req "$ja" POST /beheer/rij "$p3_form&c-name=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))' "$p3")" >/dev/null
check "line P3 has its name back" "$p3" "$(engine_sql "$db" "SELECT name FROM line WHERE code = 'P3'")"
check "deleting a line in use is refused" "409" "$(req "$ja" POST /beheer/rij/verwijder "csrf=$t&bestand=lines&k0=P3")"
grep -q 'in gebruik' "$tmp/body" && ok "in use: says so" || fail "in use message" ""
check "the line in use is still there" "1" "$(engine_sql "$db" "SELECT COUNT(*) FROM line WHERE code = 'P3'")"
check "delete an unused line" "303 /beheer/gegevens?bestand=lines&verwijderd=PX" "$(req "$ja" POST /beheer/rij/verwijder "csrf=$t&bestand=lines&k0=PX")"
check "the unused line is gone" "0" "$(engine_sql "$db" "SELECT COUNT(*) FROM line WHERE code = 'PX'")"
check "the delete has an audit entry with the row before" "1" "$(engine_sql "$db" "SELECT COUNT(*) FROM audit WHERE action = 'delete' AND object_key = 'PX' AND before_json LIKE '%Project Xavier%'")"
check "deleting the plan of a locked school year is refused" "409" "$(req "$ja" POST /beheer/rij/verwijder "csrf=$t&bestand=plan&k0=2023-2024&k1=P1")"
grep -q 'afgesloten schooljaar' "$tmp/body" && ok "locked plan: says so" || fail "locked plan message" ""
check "the plan of the locked year is still there" "1" "$(engine_sql "$db" "SELECT COUNT(*) FROM plan p JOIN line l ON l.id = p.line_id WHERE p.school_year = 2023 AND l.code = 'P1'")"
req "$ja" GET "/beheer/gegevens?bestand=institutions&q=$inst" >/dev/null
grep -q "k0=$inst\"" "$tmp/body" && ok "search the institutions by number" || fail "institution search" ""

# ---- institution search by code, name or number (the registration form's suggestions) ----
search() { curl -s -b "${jar[begeleider]}" "$base/instellingen?formaat=json&q=$1"; }
first_code() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[0]["code"] if d else "")'; }
sq=$(engine_sql "$db" "SELECT number || ' ' || code || ' ' || name FROM institution WHERE active = 1 AND name LIKE 'School S%' ORDER BY number LIMIT 1")
read -r snum scode _ <<<"$sq"
check "search by number: that institution first" "$scode" "$(search "$snum" | first_code)"
check "search by code, any case" "$scode" "$(search "$(echo "$scode" | tr 'A-Z' 'a-z')" | first_code)"
check "search by part of the name" "$(engine_sql "$db" "SELECT COUNT(*) FROM institution WHERE active = 1 AND (LOWER(name) LIKE '%school s%' OR LOWER(code) LIKE '%school s%')")" "$(search "school%20s" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
check "an inactive institution is not suggested" "0" "$(search "$inst" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
req "${jar[begeleider]}" GET "/instellingen?q=$scode" >/dev/null
grep -q "<th scope=\"row\">$scode</th>" "$tmp/body" && ok "the search works as a page without JavaScript" || fail "search page" ""

# ---- trajectories: under the trajectory rule only institutions with a trajectory active in
# the year can be reached, so the institutions of the rows that say "telt als bereikt" on
# the director's page (every trajectory of the year) are the reach fact of the year ----
req "${jar[directie]}" GET "/trajecten?jaar=2025-2026" >/dev/null
shown=$(python3 -c '
import re, sys
body = open(sys.argv[1], encoding="utf-8").read()
table = body.split("id=\"trajectories\"", 1)[1].split("</table>", 1)[0]
print(len({re.search(r"</a></td><td[^>]*>([^<]*) ", row).group(1)
           for row in table.split("<tr>")[1:] if "telt als bereikt" in row and "/traject?id=" in row}))' "$tmp/body")
"$bin" --db "$db" report --years 2025-2026 --format csv -o "$tmp/tr.csv"
want=$(grep '^reach,2025-2026,total,reached,' "$tmp/tr.csv" | cut -d, -f5)
check "Trajecten: reached institutions agree with the facts" "$want" "$shown"

# ---- a survey's QR code (libqrencode) reads back as its public link (zbarimg) ----
req "${jar[begeleider]}" GET /enquetes >/dev/null
sid=$(grep -o 'href="/enquetes?id=[^"]*"' "$tmp/body" | head -1 | sed 's/.*id=//; s/"$//')
req "${jar[begeleider]}" GET "/enquetes?id=$sid" >/dev/null
link=$(grep -o 'https\?://[^"<]*/enquete?t=[A-Za-z0-9_-]*' "$tmp/body" | head -1)
check "the survey's QR code answers as SVG" "200" "$(req "${jar[begeleider]}" GET "/enquetes/qr.svg?id=$sid")"
cp "$tmp/body" "$tmp/qr.svg"
rsvg-convert -w 400 "$tmp/qr.svg" -o "$tmp/qr.png" 2>/dev/null
check "the QR code reads back as the survey's public link" "$link" "$(zbarimg --raw -q "$tmp/qr.png" 2>/dev/null)"
check "the public link answers without logging in" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$link")"

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
# (issue 13: instead of a refusal, the setup page of the second factor, without a session)
check "an admin without second factor gets the setup page when it is required" "200" "$(req "$tmp/tj" POST /login "csrf=$t&login=admin2&password=another-secret")"
grep -q "tweede factor verplicht" "$tmp/body" && ok "the page says the second factor is required" || fail "setup message" ""
grep -q bereik_session "$tmp/tj" && fail "no session before the second factor" "a session cookie" || ok "no session before the second factor"
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
check "admin adds an advisor account" "303 /beheer/gebruikers" "$(req "${jar[admin]}" POST /beheer/gebruikers "csrf=$t&login=nieuw&role=advisor&advisor=CY&password=sterke-wachtzin-twee")"
check "the new account can log in" "303 /" "$(: >"$tmp/nj"; req "$tmp/nj" GET /login >/dev/null; t2=$(csrf_of); req "$tmp/nj" POST /login "csrf=$t2&login=nieuw&password=sterke-wachtzin-twee&next=/")"
check "a short password is refused" "422" "$(req "${jar[admin]}" POST /beheer/gebruikers "csrf=$t&login=kort&role=advisor&password=kort")"
check "admin switches the account off" "303 /beheer/gebruikers" "$(req "${jar[admin]}" POST /beheer/gebruikers/actief "csrf=$t&login=nieuw&actief=nee")"
check "its session ended" "303 /login?next=/week" "$(req "$tmp/nj" GET /week)"
check "an admin cannot switch themselves off" "409" "$(req "${jar[admin]}" POST /beheer/gebruikers/actief "csrf=$t&login=admin&actief=nee")"
check "user changes are audited" "2" "$(engine_sql "$db" "SELECT COUNT(*) FROM audit WHERE object_type = 'user' AND object_key = 'nieuw'")"

# ---- API tokens: made on the page, shown once, stored as a hash, revoked ----
j="$tmp/tok"; cp "${jar[begeleider]}" "$j"; req "$j" GET /api-sleutels >/dev/null; t=$(csrf_of)
check "make an API token on the page" "200" "$(req "$j" POST /api-sleutels "csrf=$t&label=webtoken&expires=2099-01-01")"
token=$(grep -o 'bereik_[0-9a-f]\{64\}' "$tmp/body" | head -1)
check "the API accepts the new token" "200" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/v1/lines")"
check "the token is not stored, only its hash" "0" "$(engine_sql "$db" "SELECT COUNT(*) FROM api_token WHERE token_hash LIKE '%${token#bereik_}%'")"
req "$j" GET /api-sleutels >/dev/null
grep -q "$token" "$tmp/body" && fail "the token is shown only once" "shown again" || ok "the token is shown only once"
tid=$(engine_sql "$db" "SELECT id FROM api_token WHERE label = 'webtoken'")
jo="$tmp/tok2"; cp "${jar[coordinator]}" "$jo"; req "$jo" GET /api-sleutels >/dev/null; t2=$(csrf_of)
check "another user cannot revoke it" "404" "$(req "$jo" POST /api-sleutels/intrekken "csrf=$t2&id=$tid")"
t=$(token_for "$j")
check "revoke it" "303 /api-sleutels" "$(req "$j" POST /api-sleutels/intrekken "csrf=$t&id=$tid")"
check "the API refuses the revoked token" "401" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/v1/lines")"
check "a session cookie is no API credential" "401" "$(curl -s -o /dev/null -w '%{http_code}' -b "$j" "$base/api/v1/lines")"

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
