#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# API POST latency of registration writes during a login flood (issue 13, defect 9):
# 40 client addresses (127.0.0.2 .. 127.0.0.41 on loopback) send wrong passwords for
# unknown logins as fast as the server answers, while one client posts registrations
# through the API one after another and times each. Without the flood, then with it;
# for each binary given (e.g. the build before the fix and after), in the same run.
# Prints p50/p99/max per case (docs/PERFORMANCE.md). Not a CI test.
# usage: bench/login-flood.sh [--seconds N] [--threads N] LABEL=BEREIK_BIN ...
set -euo pipefail
seconds=20
threads=8
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "usage: $0 [--seconds N] [--threads N] LABEL=BEREIK_BIN ..." >&2; exit 2; }
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

results=()
for spec in "$@"; do
  label=${spec%%=*}
  bin=${spec#*=}
  db="$tmp/$label.db"
  "$bin" --db "$db" init
  "$bin" --db "$db" demo --seed 1 >/dev/null 2>&1
  adv=$(sqlite3 "$db" "SELECT code FROM advisor WHERE end_date IS NULL ORDER BY code LIMIT 1")
  inst=$(sqlite3 "$db" "SELECT number FROM institution WHERE active = 1 ORDER BY number LIMIT 1")
  last=$(sqlite3 "$db" "SELECT MAX(date) FROM registration")
  printf 'flood-bench-password\n' | "$bin" --db "$db" user add poster --role advisor --advisor "$adv" --password-stdin
  token=$("$bin" --db "$db" user token poster)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$bin" --db "$db" serve --listen "127.0.0.1:$port" --threads "$threads" --max-connections 1000 \
    2>"$tmp/$label.log" &
  pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  for flood in 0 40; do
    line=$(python3 - "$port" "$token" "$adv" "$inst" "$last" "$seconds" "$flood" "$label" <<'PY'
import http.client, json, random, re, sys, threading, time, datetime

port, token, adv, inst, last, seconds, flood, label = sys.argv[1:]
seconds, flood = float(seconds), int(flood)
stop = threading.Event()
attempts = [0] * flood
codes = {}

def flooder(i):
    src = "127.0.0.%d" % (2 + i)
    while not stop.is_set():
        try:
            c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=60, source_address=(src, 0))
            c.request("GET", "/login")
            r = c.getresponse()
            body = r.read().decode()
            cookie = r.getheader("Set-Cookie", "").split(";")[0]
            csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', body).group(1)
            while not stop.is_set():
                login = "nobody-%d" % random.randrange(10**9)
                c.request("POST", "/login", "csrf=%s&login=%s&password=wrong-password" % (csrf, login),
                          {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
                r = c.getresponse()
                r.read()
                codes[r.status] = codes.get(r.status, 0) + 1
                attempts[i] += 1
        except Exception:
            time.sleep(0.05)

threads = [threading.Thread(target=flooder, args=(i,), daemon=True) for i in range(flood)]
for t in threads:
    t.start()
time.sleep(1.0 if flood else 0)
day0 = datetime.date.fromisoformat(last)
lat, n, bad = [], 0, 0
c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=120)
end = time.time() + seconds
while time.time() < end:
    n += 1
    body = json.dumps({"id": "flood-%s-%d-%d" % (label, flood, n), "date": str(day0 - datetime.timedelta(days=n % 200)),
                       "minutes": 1, "kind": "client", "line": "P1", "advisors": [adv], "institutions": [inst],
                       "modality": "fysiek", "counts": {}})
    t0 = time.perf_counter()
    c.request("POST", "/api/v1/registrations", body,
              {"Content-Type": "application/json", "Authorization": "Bearer " + token})
    r = c.getresponse()
    r.read()
    lat.append((time.perf_counter() - t0) * 1000)
    if r.status != 201:
        bad += 1
stop.set()
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
print("%s|%d|%d|%.1f|%.1f|%.1f|%d|%d|%s" % (label, flood, len(lat), q(0.5), q(0.99), lat[-1], bad, sum(attempts),
                                          ",".join("%d:%d" % kv for kv in sorted(codes.items()))))
PY
)
    results+=("$line")
    echo "$line"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
echo
echo "| build | flood addresses | API POSTs | p50 ms | p99 ms | max ms | not 201 | login attempts (status:count) |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
for r in "${results[@]}"; do
  IFS='|' read -r label flood n p50 p99 max bad att codes <<<"$r"
  echo "| $label | $flood | $n | $p50 | $p99 | $max | $bad | $att ($codes) |"
done
