#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Accounts and logins against a real `bereik serve` on 127.0.0.1 (issue 13), on the
# engine of engine.sh: the password is verified with no write lock held (a slow login
# does not stall a write), nobody can lock a real user out (a device cookie from an
# earlier login passes the account's throttle), a TOTP code works once, recovery codes
# work once, cookies behind TLS carry the __Host- prefix and planted ones are ignored,
# logout clears the site data, own password change, admin reset (web and CLI), the
# second-factor setup by the user and when a role requires it, own sessions, purging,
# unknown logins refused by every user command, the security event lines on standard
# error and failed logins in the audit view.
# usage: accounts.sh BEREIK_BIN
set -u
bin=${1:?usage: accounts.sh BEREIK_BIN}
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

db=$(engine_new_db "$tmp" acc)
"$bin" --db "$db" init && "$bin" --db "$db" demo --seed 1 2>/dev/null || { echo "demo failed"; exit 1; }
audits() { engine_sql "$db" "SELECT COUNT(*) FROM audit"; }

# expired rows that the purge at the first login removes
engine_sql "$db" "INSERT INTO session (id_hash, user_id, csrf, created_at, last_seen) SELECT 'expired-session', id, 'x', 1000, 1000 FROM app_user WHERE login = 'admin'" >/dev/null
engine_sql "$db" "INSERT INTO login_attempt (key, window_start, failures, last_failure) VALUES ('ip:192.0.2.1', 1000, 3, 1000)" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
"$bin" --db "$db" serve --listen "127.0.0.1:$port" --threads 4 --connection-timeout 5 --trusted-proxy 127.0.0.9 \
  2>"$tmp/server.log" &
pids+=("$!")
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
base="http://127.0.0.1:$port"

# req JAR METHOD PATH [DATA [FROM-ADDRESS [EXTRA CURL ARGS...]]] -> "STATUS[ LOCATION]"
req() {
  local jar=$1 method=$2 path=$3 data=${4:-} from=${5:-127.0.0.1}
  shift 5 2>/dev/null || shift $#
  local args=(-s -o "$tmp/body" -D "$tmp/headers" -b "$jar" -c "$jar" --interface "$from" "$@")
  if [ "$method" = POST ]; then
    curl "${args[@]}" -X POST --data "$data" "$base$path"
  else
    curl "${args[@]}" "$base$path"
  fi
  local status loc
  status=$(head -1 "$tmp/headers" | awk '{print $2}')
  loc=$(grep -i '^Location:' "$tmp/headers" | tr -d '\r' | awk '{print $2}')
  echo "$status${loc:+ $loc}"
}
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$tmp/body" | head -1 | sed 's/.*value="//; s/"$//'; }
cookie_of() { grep -P "\t$2\t" "$1" | awk '{print $7}' | tail -1; }
login() { # jar login password [from] [code] -> status of the POST
  req "$1" GET /login "" "${4:-127.0.0.1}" >/dev/null
  local t
  t=$(csrf_of)
  req "$1" POST /login "csrf=$t&login=$2&password=$3&code=${5:-}&next=/" "${4:-127.0.0.1}"
}
header() { grep -i "^$1:" "$tmp/headers" | tr -d '\r' | sed 's/^[^:]*: //'; }
totp_code() { # base32 secret [offset steps] -> the 6-digit code, computed independently of bereik
  python3 -c '
import base64, hmac, hashlib, struct, sys, time
key = base64.b32decode(sys.argv[1] + "=" * (-len(sys.argv[1]) % 8))
mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30 + int(sys.argv[2])), hashlib.sha1).digest()
o = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7fffffff) % 1000000))' "$1" "${2:-0}"
}
seclog_has() { # event [needle] -> ok when a JSON line of that event (containing needle) was written
  python3 - "$tmp/server.log" "$1" "${2:-}" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if not line.startswith("{"):
        continue
    e = json.loads(line)
    if e.get("event") == sys.argv[2] and sys.argv[3] in line:
        n += 1
sys.exit(0 if n else 1)
PY
}
pw=demo-bereik

# ---- defect 9: the password hash is verified with no write lock held ----
# An account whose argon2id hash is deliberately slow (t=48: seconds per check). While
# a wrong password for it is being checked, a registration (a write) must be saved at
# once; before the fix it waited for the slow check's write transaction.
slow=$(python3 -c '
import ctypes
s = ctypes.CDLL("libsodium.so.23"); s.sodium_init()
out = ctypes.create_string_buffer(128)
s.crypto_pwhash_str(out, b"slow-password-right", ctypes.c_ulonglong(19), ctypes.c_ulonglong(48), ctypes.c_size_t(64 << 20))
print(out.value.decode())')
echo "slow-password-right" | "$bin" --db "$db" user add slowpoke --role advisor --password-stdin
engine_sql "$db" "UPDATE app_user SET password_hash = '$slow' WHERE login = 'slowpoke'" >/dev/null
: >"$tmp/js"; req "$tmp/js" GET /login >/dev/null; ts=$(csrf_of)
: >"$tmp/jw"; login "$tmp/jw" begeleider $pw >/dev/null; req "$tmp/jw" GET /registreren >/dev/null; tw=$(csrf_of)
start=$(date +%s.%N)
curl -s -o /dev/null -b "$tmp/js" --interface 127.0.0.20 -X POST --data "csrf=$ts&login=slowpoke&password=wrong-one" "$base/login" &
slowpid=$!
sleep 0.5
w0=$(date +%s.%N)
wstatus=$(req "$tmp/jw" POST /registreren "csrf=$tw&kind=client&date=2025-10-07&duration=30&line=P3&institutions=SAA&modality=fysiek")
w1=$(date +%s.%N)
wait "$slowpid"
s1=$(date +%s.%N)
case $wstatus in "303 /registreren?opgeslagen="*) ok "a registration during a slow password check is saved" ;; *) fail "registration during a slow login" "$wstatus" ;; esac
verdict=$(python3 -c "
slow = $s1 - $start; write = $w1 - $w0
print('ok' if slow >= 1.0 and write < slow / 2 else 'slow check %.2f s, the write waited %.2f s' % (slow, write))")
check "the write does not wait for the slow password check" "ok" "$verdict"

# ---- purge: expired sessions and throttle rows are gone after a login ----
check "the expired session was purged" "0" "$(engine_sql "$db" "SELECT COUNT(*) FROM session WHERE id_hash = 'expired-session'")"
check "the stale throttle row was purged" "0" "$(engine_sql "$db" "SELECT COUNT(*) FROM login_attempt WHERE key = 'ip:192.0.2.1'")"

# ---- defect 10: nobody can lock a real user out ----
j="$tmp/coord"; : >"$j"
check "the coordinator logs in (from 127.0.0.1)" "303 /" "$(login "$j" coordinator $pw)"
dev=$(cookie_of "$j" bereik_device)
[ ${#dev} -eq 64 ] && ok "a successful login sets a device cookie" || fail "device cookie" "'$dev'"
for i in 1 2 3 4 5 6; do login "$tmp/att" coordinator "guess-$i" 127.0.0.3 >/dev/null; done
check "the attacker is throttled" "429" "$(login "$tmp/att" coordinator $pw 127.0.0.3)"
: >"$tmp/other"
check "without the device cookie, from another address: throttled" "429" "$(login "$tmp/other" coordinator $pw 127.0.0.4)"
ra=$(header Retry-After)
[ -n "$ra" ] && [ "$ra" -gt 0 ] 2>/dev/null && ok "429 carries Retry-After ($ra s)" || fail "Retry-After" "'$ra'"
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tbereik_device\t%s\n' "$dev" >"$tmp/mine"
check "with the device cookie of an earlier login, from another address: logged in" "303 /" "$(login "$tmp/mine" coordinator $pw 127.0.0.5)"
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tbereik_device\t%s\n' "$dev" >"$tmp/stolen"
check "a device cookie with a wrong password still fails" "401" "$(login "$tmp/stolen" coordinator wrong-password 127.0.0.6)"
echo "eigen-zin-van-anna" | "$bin" --db "$db" user add anna --role advisor --password-stdin
for i in 1 2 3 4 5 6; do login "$tmp/att" anna "guess-$i" 127.0.0.7 >/dev/null; done
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tbereik_device\t%s\n' "$dev" >"$tmp/foreign"
check "another account's device cookie does not pass the throttle" "429" "$(login "$tmp/foreign" anna eigen-zin-van-anna 127.0.0.8)"
seclog_has login.throttled '"login":"coordinator"' && ok "throttling is logged" || fail "seclog login.throttled" ""
seclog_has login.failure '"reason":"password"' && ok "a failed login is logged" || fail "seclog login.failure" ""
seclog_has login.success '"login":"coordinator"' && ok "a login is logged" || fail "seclog login.success" ""

# ---- defect 11: a TOTP code works once ----
uri=$("$bin" --db "$db" user totp directie 2>"$tmp/cli.err")
secret=$(echo "$uri" | sed 's/.*secret=\([A-Z2-7]*\).*/\1/')
grep -q '"event":"totp.enabled"' "$tmp/cli.err" && ok "user totp logs totp.enabled" || fail "cli totp seclog" "$(cat "$tmp/cli.err")"
code=$(totp_code "$secret")
check "the right code logs in" "303 /" "$(: >"$tmp/t1"; login "$tmp/t1" directie $pw 127.0.0.1 "$code")"
check "the same code a second time is refused" "401" "$(: >"$tmp/t2"; login "$tmp/t2" directie $pw 127.0.0.1 "$code")"
seclog_has login.failure '"reason":"code_reused"' && ok "the reused code is logged" || fail "seclog code_reused" ""
check "an old code (two steps back) is refused" "401" "$(: >"$tmp/t3"; login "$tmp/t3" directie $pw 127.0.0.1 "$(totp_code "$secret" -2)")"

# ---- cookies behind TLS (the trusted proxy 127.0.0.9 says https) ----
tls=(-H "X-Forwarded-Proto: https")
: >"$tmp/tls"
req "$tmp/tls" GET /login "" 127.0.0.9 "${tls[@]}" >/dev/null
grep -qi '^Set-Cookie: __Host-bereik_pre=[0-9a-f]\{64\}; Path=/; HttpOnly; SameSite=Lax; Secure' "$tmp/headers" &&
  ok "behind TLS the CSRF cookie is __Host-bereik_pre, Secure" || fail "__Host- pre cookie" "$(grep -i set-cookie "$tmp/headers")"
t=$(csrf_of) # the token as the page carries it (masked), and the cookie's own value
pre=$(grep -io '^Set-Cookie: __Host-bereik_pre=[0-9a-f]*' "$tmp/headers" | sed 's/.*=//')
curl -s -o "$tmp/body" -D "$tmp/headers" --interface 127.0.0.9 "${tls[@]}" -H "Cookie: __Host-bereik_pre=$pre" \
  -X POST --data "csrf=$t&login=begeleider&password=$pw&next=/" "$base/login" >/dev/null
sid=$(grep -i '^Set-Cookie: __Host-bereik_session=' "$tmp/headers" | sed 's/.*__Host-bereik_session=\([0-9a-f]*\);.*/\1/i' | tr -d '\r')
[ ${#sid} -eq 64 ] && grep -i '^Set-Cookie: __Host-bereik_session=' "$tmp/headers" | grep -q 'Secure' &&
  ok "behind TLS the session cookie is __Host-bereik_session, Secure" || fail "__Host- session cookie" "$(grep -i set-cookie "$tmp/headers")"
grep -qi '^Set-Cookie: __Host-bereik_pre=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0' "$tmp/headers" &&
  ok "login removes the pre-session cookie" || fail "pre cookie removed" "$(grep -i set-cookie "$tmp/headers")"
st=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.9 "${tls[@]}" -H "Cookie: __Host-bereik_session=$sid" "$base/week")
check "... and that cookie is the session behind TLS" "200" "$st"
# a forged login: the attacker plants a cookie without the prefix (from a sibling host or
# over plain HTTP) holding the attacker's own valid session; behind TLS it is ignored
: >"$tmp/attacker"; login "$tmp/attacker" begeleider $pw >/dev/null
asid=$(cookie_of "$tmp/attacker" bereik_session)
st=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.9 "${tls[@]}" -H "Cookie: bereik_session=$asid" "$base/week")
check "behind TLS a planted bereik_session cookie is no session" "303" "$st"
# and a planted pre-session token does not let the attacker log the victim in
st=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.9 "${tls[@]}" -H "Cookie: bereik_pre=$(printf 'b%.0s' $(seq 64))" \
  -X POST --data "csrf=$(printf 'b%.0s' $(seq 64))&login=begeleider&password=$pw&next=/" "$base/login")
check "behind TLS a planted bereik_pre cookie is no CSRF token (no forged login)" "403" "$st"
# plain HTTP: a session id the browser sent before login never becomes the session
planted=$(printf 'c%.0s' $(seq 64))
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tbereik_session\t%s\n' "$planted" >"$tmp/fix"
login "$tmp/fix" begeleider $pw >/dev/null
new=$(cookie_of "$tmp/fix" bereik_session)
[ ${#new} -eq 64 ] && [ "$new" != "$planted" ] && ok "login replaces a planted session id" || fail "planted session id" "$new"

# ---- logout clears the site data ----
t=$(req "$tmp/fix" GET /week >/dev/null; csrf_of)
check "logout" "303 /login" "$(req "$tmp/fix" POST /logout "csrf=$t")"
check "logout sends Clear-Site-Data" '"cache", "cookies", "storage"' "$(header Clear-Site-Data)"
seclog_has logout '"login":"begeleider"' && ok "logout is logged" || fail "seclog logout" ""

# ---- own password ----
echo "zonnige-wachtzin-een" | "$bin" --db "$db" user add piet --role advisor --password-stdin
j="$tmp/piet"; : >"$j"; j2="$tmp/piet2"; : >"$j2"
check "piet logs in" "303 /" "$(login "$j" piet zonnige-wachtzin-een)"
check "piet logs in from a second browser" "303 /" "$(login "$j2" piet zonnige-wachtzin-een)"
check "the account page" "200" "$(req "$j" GET /mijn-account)"
check "it lists both sessions" "2" "$(grep -o '<tr><td>' "$tmp/body" | wc -l | tr -d ' ')"
grep -q 'deze sessie' "$tmp/body" && ok "the current session is marked" || fail "current session" ""
t=$(csrf_of)
check "a wrong current password is refused" "422" "$(req "$j" POST /mijn-account/wachtwoord "csrf=$t&current=nope-nope-nope&new=nieuwe-zin-voor-jan&repeat=nieuwe-zin-voor-jan")"
grep -q 'id="current-error">Het huidige wachtwoord klopt niet' "$tmp/body" && ok "... beside the current password" || fail "current error" ""
check "a short new password is refused" "422" "$(req "$j" POST /mijn-account/wachtwoord "csrf=$t&current=zonnige-wachtzin-een&new=kort-ww&repeat=kort-ww")"
grep -q 'id="new-error">Te kort: minstens 12 tekens' "$tmp/body" && ok "... beside the new password, naming the bound" || fail "short error" ""
check "a dictionary password is refused" "422" "$(req "$j" POST /mijn-account/wachtwoord "csrf=$t&current=zonnige-wachtzin-een&new=password123456&repeat=password123456")"
grep -q 'id="new-error">Te makkelijk te raden' "$tmp/body" && ok "... as too easy to guess (cracklib)" || fail "dictionary error" ""
check "two different new passwords are refused" "422" "$(req "$j" POST /mijn-account/wachtwoord "csrf=$t&current=zonnige-wachtzin-een&new=nieuwe-zin-voor-jan&repeat=andere-zin-voor-piet")"
grep -q 'id="repeat-error"' "$tmp/body" && ok "... beside the repeat field" || fail "mismatch error" ""
check "the password is unchanged so far" "303 /" "$(: >"$tmp/p3"; login "$tmp/p3" piet zonnige-wachtzin-een)"
t=$(req "$j" GET /mijn-account >/dev/null; csrf_of)
check "change the own password" "200" "$(req "$j" POST /mijn-account/wachtwoord "csrf=$t&current=zonnige-wachtzin-een&new=nieuwe-zin-voor-jan&repeat=nieuwe-zin-voor-jan")"
grep -q 'Je wachtwoord is gewijzigd' "$tmp/body" && ok "... says so" || fail "changed notice" ""
check "the other browser's session ended" "303 /login?next=/week" "$(req "$j2" GET /week)"
check "this browser stays logged in" "200" "$(req "$j" GET /week)"
check "the old password no longer works" "401" "$(: >"$tmp/p4"; login "$tmp/p4" piet zonnige-wachtzin-een)"
check "the new one does" "303 /" "$(: >"$tmp/p5"; login "$tmp/p5" piet nieuwe-zin-voor-jan)"
seclog_has password.changed '"login":"piet"' && ok "the change is logged" || fail "seclog password.changed" ""
# sessions: end one, then all others
check "piet logs in once more" "303 /" "$(login "$j2" piet nieuwe-zin-voor-jan)"
req "$j" GET /mijn-account >/dev/null; t=$(csrf_of)
other=$(grep -o 'name="id" value="[0-9a-f]\{64\}"' "$tmp/body" | head -1 | sed 's/.*value="//; s/"$//')
piet_sessions() { engine_sql "$db" "SELECT COUNT(*) FROM session s JOIN app_user u ON u.id = s.user_id WHERE u.login = 'piet'"; }
n=$(piet_sessions)
check "end another session" "303 /mijn-account" "$(req "$j" POST /mijn-account/sessie/beeindig "csrf=$t&id=$other")"
check "that session ended" "$((n - 1))" "$(piet_sessions)"
check "... and it was that one" "0" "$(engine_sql "$db" "SELECT COUNT(*) FROM session WHERE id_hash = '$other'")"
check "the id of a session of another user ends nothing" "404" "$(req "$j" POST /mijn-account/sessie/beeindig "csrf=$t&id=$(engine_sql "$db" "SELECT s.id_hash FROM session s JOIN app_user u ON u.id = s.user_id WHERE u.login = 'directie' LIMIT 1")")"
login "$j2" piet nieuwe-zin-voor-jan >/dev/null; login "$tmp/p5" piet nieuwe-zin-voor-jan >/dev/null
check "end all other sessions" "303 /mijn-account" "$(req "$j" POST /mijn-account/sessies/andere "csrf=$t")"
check "only the current session is left" "1" "$(engine_sql "$db" "SELECT COUNT(*) FROM session s JOIN app_user u ON u.id = s.user_id WHERE u.login = 'piet'")"
check "... which still works" "200" "$(req "$j" GET /mijn-account)"

# ---- second factor set up by the user, recovery codes once ----
t=$(csrf_of)
check "the second-factor setup asks for the password again" "422" "$(req "$j" POST /mijn-account/tweede-factor "csrf=$t&stap=begin&totp-current=wrong-password")"
grep -q 'id="totp-current-error">Het huidige wachtwoord klopt niet' "$tmp/body" && ok "... beside the field" || fail "totp re-auth error" ""
seclog_has reauthentication.failure '"purpose":"totp_setup"' && ok "the failed re-authentication is logged" || fail "seclog reauthentication.failure" ""
check "start the second-factor setup" "200" "$(req "$j" POST /mijn-account/tweede-factor "csrf=$t&stap=begin&totp-current=nieuwe-zin-voor-jan")"
grep -q '<svg class="qr"' "$tmp/body" && ok "the page shows a QR code (inline SVG)" || fail "QR code" ""
key=$(grep -o '<code id="totp-key">[A-Z2-7 ]*' "$tmp/body" | sed 's/.*>//; s/ //g')
check "a wrong code is refused beside the field" "422" "$(req "$j" POST /mijn-account/tweede-factor "csrf=$t&stap=bevestig&code=000000")"
grep -q 'id="totp-code-error"' "$tmp/body" && ok "... with the message" || fail "totp error" ""
check "the same secret is shown again" "$key" "$(grep -o '<code id="totp-key">[A-Z2-7 ]*' "$tmp/body" | sed 's/.*>//; s/ //g')"
check "confirm with the right code" "200" "$(req "$j" POST /mijn-account/tweede-factor "csrf=$t&stap=bevestig&code=$(totp_code "$key")")"
mapfile -t codes < <(grep -o '<li><code>[a-z0-9-]*' "$tmp/body" | sed 's/.*>//')
check "ten recovery codes are shown" "10" "${#codes[@]}"
check "each of 24 characters (118 bits)" "24" "$(printf '%s' "${codes[0]}" | tr -d '-' | wc -c | tr -d ' ')"
check "they are stored as hashes only" "0" "$(engine_sql "$db" "SELECT COUNT(*) FROM recovery_code WHERE code_hash LIKE '%${codes[0]//-/}%'")"
seclog_has totp.enabled '"login":"piet"' && ok "the setup is logged" || fail "seclog totp.enabled" ""
check "password alone is no longer enough" "401" "$(: >"$tmp/r0"; login "$tmp/r0" piet nieuwe-zin-voor-jan)"
check "a recovery code logs in (typed in capitals, without dashes)" "303 /" "$(: >"$tmp/r1"; login "$tmp/r1" piet nieuwe-zin-voor-jan 127.0.0.1 "$(printf '%s' "${codes[0]}" | tr -d '-' | tr 'a-z' 'A-Z')")"
seclog_has recovery_code.used '"login":"piet"' && ok "the recovery code's use is logged" || fail "seclog recovery_code.used" ""
check "the same recovery code a second time is refused" "401" "$(: >"$tmp/r2"; login "$tmp/r2" piet nieuwe-zin-voor-jan 127.0.0.1 "${codes[0]}")"
req "$j" GET /mijn-account >/dev/null
grep -q 'Ongebruikte herstelcodes: 9' "$tmp/body" && ok "the account page counts 9 unused codes" || fail "codes left" "$(grep -o 'id="totp-status">[^<]*' "$tmp/body")"

# ---- a role that must use a second factor: setup at login, no session before ----
ja="$tmp/admin"; : >"$ja"
check "admin logs in" "303 /" "$(login "$ja" admin $pw)"
req "$ja" GET /beheer/gebruikers >/dev/null; t=$(csrf_of)
# (on PostgreSQL the column "second factor" read a boolean as 0 and said "nee" for everybody)
grep -q '<th scope="row">directie</th><td>directeur</td><td>–</td><td>ja</td>' "$tmp/body" &&
  ok "the users page shows directie's second factor" || fail "users page second factor" "$(grep -o '<th scope="row">directie</th>.\{0,60\}' "$tmp/body")"
check "admin requires a second factor for advisors" "200" "$(req "$ja" POST /beheer/gebruikers/tweede-factor "csrf=$t&rol=advisor")"
check "the setting is stored" "true" "$(engine_sql "$db" "SELECT value FROM installation WHERE key = 'totp_required_for_advisors'")"
jb="$tmp/bert"; : >"$jb"
check "an advisor without second factor gets the setup page" "200" "$(login "$jb" begeleider $pw)"
grep -q 'tweede factor verplicht' "$tmp/body" && grep -q '<svg class="qr"' "$tmp/body" && ok "... with the QR code" || fail "setup page" ""
[ -z "$(cookie_of "$jb" bereik_session)" ] && ok "... and no session yet" || fail "no session before setup" "a session cookie"
ticket=$(grep -o 'name="ticket" value="[0-9a-f]*"' "$tmp/body" | sed 's/.*value="//; s/"$//')
key=$(grep -o '<code id="totp-key">[A-Z2-7 ]*' "$tmp/body" | sed 's/.*>//; s/ //g')
t=$(csrf_of)
check "a wrong first code" "422" "$(req "$jb" POST /login/tweede-factor "csrf=$t&ticket=$ticket&code=000000")"
check "a forged ticket" "400" "$(req "$jb" POST /login/tweede-factor "csrf=$t&ticket=$(printf 'd%.0s' $(seq 64))&code=$(totp_code "$key")")"
check "the right first code: recovery codes" "200" "$(req "$jb" POST /login/tweede-factor "csrf=$t&ticket=$ticket&code=$(totp_code "$key")")"
check "... and a session" "200" "$(req "$jb" GET /week)"
: >"$tmp/x2"; req "$tmp/x2" GET /login >/dev/null; t2=$(csrf_of)
check "the ticket is used up" "400" "$(req "$tmp/x2" POST /login/tweede-factor "csrf=$t2&ticket=$ticket&code=$(totp_code "$key" 1)")"
req "$ja" GET /beheer/gebruikers >/dev/null; t=$(csrf_of)
req "$ja" POST /beheer/gebruikers/tweede-factor "csrf=$t" >/dev/null
check "the second-factor rule change is audited" "1" "$(engine_sql "$db" "SELECT COUNT(*) FROM audit WHERE object_type = 'totp_required' AND after_json LIKE '%\"advisor\": false%'")"

# ---- admin reset (web) ----
req "$ja" GET /beheer/gebruikers >/dev/null; t=$(csrf_of)
check "admin resets piet's password" "200" "$(req "$ja" POST /beheer/gebruikers/wachtwoord "csrf=$t&login=piet&password=wachtzin-na-de-reset")"
check "piet's sessions ended" "303 /login?next=/week" "$(req "$j" GET /week)"
check "the reset is audited" "1" "$(engine_sql "$db" "SELECT COUNT(*) FROM audit WHERE action = 'password_reset' AND object_key = 'piet' AND actor = 'admin'")"
seclog_has password.reset '"by":"admin"' && ok "the reset is logged" || fail "seclog password.reset" ""
check "a weak password is refused on reset" "422" "$(req "$ja" POST /beheer/gebruikers/wachtwoord "csrf=$t&login=piet&password=password123456")"
n=$(audits)
check "resetting an unknown login is refused" "404" "$(req "$ja" POST /beheer/gebruikers/wachtwoord "csrf=$t&login=niemand&password=wachtzin-na-de-reset")"
check "deactivating an unknown login is refused" "404" "$(req "$ja" POST /beheer/gebruikers/actief "csrf=$t&login=niemand&actief=nee")"
grep -q 'Onbekende gebruikersnaam' "$tmp/body" && ok "... saying so" || fail "unknown login message" ""
check "neither is audited" "$n" "$(audits)"

# ---- adding a user: what is wrong, in the page's language ----
req "$ja" GET /beheer/gebruikers >/dev/null; t=$(csrf_of)
check "adding an existing login is refused" "422" "$(req "$ja" POST /beheer/gebruikers "csrf=$t&login=piet&role=advisor&advisor=&password=een-lange-nieuwe-wachtzin")"
grep -q 'Die gebruikersnaam bestaat al' "$tmp/body" && ok "... in Dutch" || fail "existing login message" "$(grep -o 'class="error"[^<]*' "$tmp/body")"
check "adding a user of an unknown advisor is refused" "422" "$(req "$ja" POST /beheer/gebruikers "csrf=$t&login=zelda&role=advisor&advisor=ZZZ&password=een-lange-nieuwe-wachtzin")"
grep -q 'Onbekende begeleider' "$tmp/body" && ok "... in Dutch" || fail "unknown advisor message" ""
check "adding a user with a short password is refused" "422" "$(req "$ja" POST /beheer/gebruikers "csrf=$t&login=zelda&role=advisor&advisor=&password=kort")"
grep -q 'Te kort: minstens 12 tekens' "$tmp/body" && ok "... in Dutch" || fail "short password message" ""
if grep -q 'exists already\|unknown advisor\|at least' "$tmp/body"; then fail "no English on the Dutch page" ""; else ok "no English on the Dutch page"; fi
check "none of them is audited" "$n" "$(audits)"

# ---- the user commands refuse unknown logins, audit nothing ----
n=$(audits)
for c in "totp niemand" "token niemand" "deactivate niemand" "activate niemand"; do
  # shellcheck disable=SC2086
  "$bin" --db "$db" user $c >/dev/null 2>"$tmp/cli.err"
  check "user $c: exit 1" "1" "$?"
  grep -q "niemand" "$tmp/cli.err" && ok "user $c: says which login" || fail "user $c message" "$(cat "$tmp/cli.err")"
done
echo "karel-is-de-beste" | "$bin" --db "$db" user add karel --role advisor --password-stdin 2>"$tmp/cli.err"
check "user add with the login inside the password: exit 1" "1" "$?"
grep -q "too easy to guess" "$tmp/cli.err" && ok "... as too easy to guess" || fail "login in password" "$(cat "$tmp/cli.err")"
check "... and no account" "0" "$(engine_sql "$db" "SELECT COUNT(*) FROM app_user WHERE login = 'karel'")"
echo "wachtzin-voor-niemand" | "$bin" --db "$db" user passwd niemand --password-stdin 2>"$tmp/cli.err"
check "user passwd niemand: exit 1" "1" "$?"
grep -q "unknown login 'niemand'" "$tmp/cli.err" && ok "user passwd niemand: says so" || fail "passwd message" "$(cat "$tmp/cli.err")"
check "no user command on an unknown login is audited" "$n" "$(audits)"
echo "kort" | "$bin" --db "$db" user passwd piet --password-stdin 2>"$tmp/cli.err"
check "user passwd with a short password: exit 1" "1" "$?"
grep -q "at least 12 characters" "$tmp/cli.err" && ok "... naming the bound" || fail "short cli" "$(cat "$tmp/cli.err")"
echo "wachtzin-van-de-cli" | "$bin" --db "$db" user passwd piet --password-stdin 2>"$tmp/cli.err"
check "user passwd resets a password" "0" "$?"
grep -q '"event":"password.reset"' "$tmp/cli.err" && ok "... and logs it" || fail "cli reset seclog" "$(cat "$tmp/cli.err")"
check "the CLI's new password logs in" "401" "$(: >"$tmp/c1"; login "$tmp/c1" piet wachtzin-van-de-cli)" # second factor still on
grep -q 'zescijferige code' "$tmp/body" && ok "... up to the second factor" || fail "cli password" ""
"$bin" --db "$db" user deactivate piet 2>"$tmp/cli.err"
check "user deactivate" "0" "$(engine_sql "$db" "SELECT active FROM app_user WHERE login = 'piet'")"
"$bin" --db "$db" user token begeleider --label cli-test >/dev/null 2>"$tmp/cli.err"
grep -q '"event":"token.created"' "$tmp/cli.err" && ok "user token logs token.created" || fail "cli token seclog" "$(cat "$tmp/cli.err")"

# ---- tokens on the web page are logged ----
req "$jb" GET /api-sleutels >/dev/null; t=$(csrf_of)
req "$jb" POST /api-sleutels "csrf=$t&label=seclog-test" >/dev/null
seclog_has token.created '"label":"seclog-test"' && ok "a token made on the page is logged" || fail "seclog token.created" ""
tid=$(engine_sql "$db" "SELECT id FROM api_token WHERE label = 'seclog-test'")
req "$jb" POST /api-sleutels/intrekken "csrf=$t&id=$tid" >/dev/null
seclog_has token.revoked "\"token_id\":\"$tid\"" && ok "revoking it is logged" || fail "seclog token.revoked" ""

# ---- failed logins in the audit view ----
req "$ja" GET /audit >/dev/null
grep -q 'Mislukte aanmeldingen' "$tmp/body" && ok "the audit view has the failed logins" || fail "audit failed logins" ""
python3 - "$tmp/body" <<'PY' && ok "... with the attacker's address and the reason" || fail "audit failed login row" ""
import re, sys
body = open(sys.argv[1], encoding="utf-8").read()
table = body.split('id="failed-logins-table"')[1].split("</table>")[0]
rows = re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", table)
sys.exit(0 if ("coordinator", "127.0.0.3", "fout wachtwoord") in rows else 1)
PY
check "the audit view is for admins only" "403" "$(req "$jb" GET /audit)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
