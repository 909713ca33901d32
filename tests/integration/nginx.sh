#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Debian's nginx with TLS in front of `bereik serve`, configured as docs/DEPLOYMENT.md
# says: the TLS server block of its section 3 is taken from the document itself (only
# the addresses, the port and the certificate paths are replaced), with a throwaway
# self-signed certificate; nginx runs as the current user from a temporary prefix (no
# system configuration touched). serve reads its options from a configuration file
# (--config) with trusted-proxy = 127.0.0.1. Through nginx: /healthz, and a login whose
# session cookie is Secure, HttpOnly and SameSite, and the page behind it; bereik's
# security headers arrive intact, with nginx's HSTS. Without TLS (straight to bereik) the
# cookie is not Secure.
# usage: nginx.sh BEREIK_BIN DEPLOYMENT_MD
set -u
bin=${1:?usage: nginx.sh BEREIK_BIN DEPLOYMENT_MD}
doc=${2:?usage: nginx.sh BEREIK_BIN DEPLOYMENT_MD}
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || { echo "nginx not found (Debian package nginx; scripts/install-deps.sh --test)"; exit 1; }
command -v openssl >/dev/null || { echo "openssl not found (Debian package openssl)"; exit 1; }
tmp=$(mktemp -d)
pids=()
cleanup() {
  [ -f "$tmp/nginx/nginx.pid" ] && kill -TERM "$(cat "$tmp/nginx/nginx.pid")" 2>/dev/null
  for p in "${pids[@]+"${pids[@]}"}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${pids[@]+"${pids[@]}"}"; do wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
check() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "expected '$2', got '$3'"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

db="$tmp/bereik.db"
"$bin" --db "$db" init && "$bin" --db "$db" demo --seed 1 >/dev/null 2>&1 || { echo "demo failed"; exit 1; }

# ---- bereik serve --config FILE ----
bport=$(free_port)
cat >"$tmp/bereik.conf" <<EOF
# as /etc/bereik/bereik.conf behind nginx
listen = 127.0.0.1:$bport
db = $db
trusted-proxy = 127.0.0.1
EOF
"$bin" serve --config "$tmp/bereik.conf" >"$tmp/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$bport/healthz" >/dev/null && break; sleep 0.1; done
check "serve --config: the address and database of the file" "200" \
  "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$bport/healthz")"

# ---- nginx with the configuration of docs/DEPLOYMENT.md ----
nport=$(free_port)
mkdir -p "$tmp/nginx/logs"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=bereik.example.be" \
  -addext "subjectAltName=DNS:bereik.example.be,IP:127.0.0.1" \
  -keyout "$tmp/nginx/key.pem" -out "$tmp/nginx/cert.pem" >/dev/null 2>&1 || { echo "openssl failed"; exit 1; }
# the second server block of the first nginx example (section 3): the TLS one
python3 - "$doc" "$nport" "$bport" "$tmp/nginx" >"$tmp/nginx/bereik-site.conf" <<'EOF' || { echo "no TLS server block in $doc"; exit 1; }
import re, sys
doc, nport, bport, d = sys.argv[1:]
block = re.search(r"```nginx\n(.*?)```", open(doc, encoding="utf-8").read(), re.S).group(1)
servers = re.findall(r"^server \{\n.*?^\}\n", block, re.S | re.M)
tls = [s for s in servers if "ssl_certificate" in s][0]
out = []
for line in tls.splitlines():
    t = line.strip()
    if t.startswith("listen [::]"):
        continue  # no IPv6 needed on the test machine
    line = re.sub(r"listen 443 ", f"listen 127.0.0.1:{nport} ", line)
    line = re.sub(r"ssl_certificate (\s*)\S+;", rf"ssl_certificate \g<1>{d}/cert.pem;", line)
    line = re.sub(r"ssl_certificate_key \S+;", f"ssl_certificate_key {d}/key.pem;", line)
    line = line.replace("http://127.0.0.1:8080", f"http://127.0.0.1:{bport}")
    out.append(line)
print("\n".join(out))
EOF
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root root;" # as root, nginx's workers would become nobody
cat >"$tmp/nginx/nginx.conf" <<EOF
$user_line
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 64; }
http {
    access_log $tmp/nginx/logs/access.log;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    include $tmp/nginx/bereik-site.conf;
}
EOF
if ! "$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -t >"$tmp/nginx/t.log" 2>&1; then
  fail "nginx -t accepts the configuration of DEPLOYMENT.md" "$(cat "$tmp/nginx/t.log")"
  echo "$passed passed, $failed failed"
  exit 1
fi
ok "nginx -t accepts the configuration of DEPLOYMENT.md"
"$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2>"$tmp/nginx/start.log" || { cat "$tmp/nginx/start.log"; exit 1; }
base="https://127.0.0.1:$nport"
c=(curl -s --cacert "$tmp/nginx/cert.pem" --resolve "bereik.example.be:$nport:127.0.0.1")
base="https://bereik.example.be:$nport"
for _ in $(seq 50); do "${c[@]}" -f "$base/healthz" >/dev/null && break; sleep 0.1; done
check "GET /healthz through nginx (TLS, certificate checked)" "200 ok" \
  "$("${c[@]}" -o "$tmp/b" -w '%{http_code}' "$base/healthz") $(cat "$tmp/b")"

# ---- login through nginx ----
jar="$tmp/jar"
"${c[@]}" -o "$tmp/body" -D "$tmp/h0" -c "$jar" "$base/login"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$tmp/body" | head -1 | sed 's/.*value="//; s/"$//')
[ -n "$csrf" ] || fail "the login page through nginx has a CSRF token" "none"
"${c[@]}" -o /dev/null -D "$tmp/h1" -b "$jar" -c "$jar" -X POST \
  --data "csrf=$csrf&login=directie&password=demo-bereik&next=/" "$base/login"
check "POST /login through nginx" "303" "$(head -1 "$tmp/h1" | awk '{print $2}')"
# the session cookie, whatever its name (bereik_session, or __Host-bereik_session behind TLS)
session=$(grep -i '^set-cookie: [^=]*bereik_session=' "$tmp/h1" | grep -iv 'max-age=0' | tr -d '\r' | head -1)
[ -n "$session" ] || fail "the login sets a session cookie" "$(grep -i '^set-cookie' "$tmp/h1")"
attr() { echo "$session" | tr ';' '\n' | sed 's/^ *//' | grep -ic "^$1"; }
check "the session cookie is Secure" "1" "$(attr 'secure$')"
check "the session cookie is HttpOnly" "1" "$(attr 'httponly$')"
check "the session cookie has SameSite" "1" "$(attr 'samesite=')"
check "the session cookie has Path=/" "1" "$(attr 'path=/$')"
# the page behind the login, with the cookie (curl sends Secure cookies over https only)
code=$("${c[@]}" -o "$tmp/home" -D "$tmp/h2" -b "$jar" -w '%{http_code}' "$base/dashboard")
check "the dashboard through nginx, logged in" "200" "$code"
if grep -q 'name="login"' "$tmp/home"; then fail "logged in: no login form" "the login form came back"; else ok "logged in: no login form"; fi

# ---- the security headers arrive intact ----
hdr() { grep -i "^$1:" "$2" | tr -d '\r' | sed 's/^[^:]*: //'; }
direct_csp=$(curl -s -D - -o /dev/null "http://127.0.0.1:$bport/login" | grep -i '^content-security-policy:' | tr -d '\r' | sed 's/^[^:]*: //')
check "Content-Security-Policy: bereik's, once" "$direct_csp" "$(hdr content-security-policy "$tmp/h2")"
check "X-Frame-Options" "DENY" "$(hdr x-frame-options "$tmp/h2")"
check "X-Content-Type-Options" "nosniff" "$(hdr x-content-type-options "$tmp/h2")"
check "Referrer-Policy" "same-origin" "$(hdr referrer-policy "$tmp/h2")"
check "Strict-Transport-Security from nginx" "max-age=63072000" "$(hdr strict-transport-security "$tmp/h2")"

# ---- control: straight to bereik over plain HTTP, the cookie is not Secure ----
: >"$tmp/jar2"
curl -s -o "$tmp/body" -c "$tmp/jar2" "http://127.0.0.1:$bport/login"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$tmp/body" | head -1 | sed 's/.*value="//; s/"$//')
curl -s -o /dev/null -D "$tmp/h3" -b "$tmp/jar2" -X POST \
  --data "csrf=$csrf&login=directie&password=demo-bereik&next=/" "http://127.0.0.1:$bport/login"
plain=$(grep -i '^set-cookie: [^=]*bereik_session=' "$tmp/h3" | tr -d '\r' | head -1)
if [ -n "$plain" ] && ! echo "$plain" | grep -qi 'secure'; then ok "without TLS the session cookie is not Secure"; else
  fail "without TLS the session cookie is not Secure" "$plain"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
