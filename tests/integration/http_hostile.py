# SPDX-License-Identifier: EUPL-1.2
"""Hostile clients against real `bereik serve` processes (see http_hostile.sh).

usage: http_hostile.py BEREIK_BIN DB ENGINE TMPDIR  (TOKEN_begeleider, TOKEN_directie set)
Every check prints "ok NAME" or "FAIL NAME: why"; the exit status is 1 when one failed.
"""
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time

BIN, DB, ENGINE, TMP = sys.argv[1:5]
TOKEN = {"begeleider": os.environ["TOKEN_begeleider"], "directie": os.environ["TOKEN_directie"]}
SECURITY_HEADERS = {
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
}
results = {"passed": 0, "failed": 0}


def check(name, cond, why=""):
    if cond:
        print(f"ok {name}", flush=True)
        results["passed"] += 1
    else:
        print(f"FAIL {name}: {why}", flush=True)
        results["failed"] += 1


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, name, *args):
        self.port = free_port()
        self.log = os.path.join(TMP, f"{name}.log")
        self.proc = subprocess.Popen(
            [BIN, "--db", DB, "serve", "--listen", f"127.0.0.1:{self.port}", "--threads", "2", *args],
            stderr=open(self.log, "w"),
        )
        for _ in range(100):
            try:
                if request(self.port, b"GET /healthz HTTP/1.0\r\n\r\n", timeout=1)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server {name} did not start: " + open(self.log).read()[-300:])

    def events(self, name=None):
        out = []
        for line in open(self.log, errors="replace"):
            if line.startswith("{"):
                e = json.loads(line)
                if name is None or e.get("event") == name:
                    out.append(e)
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def connect(port, src="127.0.0.1", timeout=10):
    s = socket.socket()
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    return s


def read_response(s):
    """(status, headers as {lower name: [values]}, body, closed): closed when the server
    ended the connection after the response."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers.setdefault(k.strip().lower(), []).append(v.strip())
    length = int(headers.get("content-length", ["0"])[0])
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        body += chunk
    closed = False
    try:
        s.settimeout(2)
        closed = s.recv(1) == b""
    except socket.timeout:
        closed = False
    except OSError:
        closed = True
    return status, headers, body, closed


def request(port, raw, src="127.0.0.1", timeout=10):
    s = connect(port, src, timeout)
    try:
        s.sendall(raw)
        return read_response(s)
    finally:
        s.close()


def api(port, method, path, token, body=None):
    data = json.dumps(body).encode() if body is not None else b""
    raw = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\nConnection: close\r\n\r\n"
    ).encode() + data
    return request(port, raw, timeout=90)


def missing_security_headers(headers):
    return [k for k, v in SECURITY_HEADERS.items() if not any(v in x for x in headers.get(k, []))]


def sql(query):
    if ENGINE == "postgresql":
        return subprocess.run(["psql", DB, "-qAtc", query], capture_output=True, text=True).stdout.strip()
    import sqlite3

    c = sqlite3.connect(DB)
    try:
        return "\n".join("|".join(str(v) for v in row) for row in c.execute(query))
    finally:
        c.close()


class WriteLock:
    """Another process holds the database's write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL:
    an exclusive lock on the revision row's table, which every write updates)."""

    def __enter__(self):
        if ENGINE == "postgresql":
            self.p = subprocess.Popen(["psql", DB, "-qAt", "-v", "ON_ERROR_STOP=1"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True)
            self.p.stdin.write("BEGIN; LOCK TABLE revision IN ACCESS EXCLUSIVE MODE;\n\\echo locked\n")
            self.p.stdin.flush()
            assert self.p.stdout.readline().strip() == "locked"
        else:
            import sqlite3

            self.c = sqlite3.connect(DB, isolation_level=None, timeout=30)
            self.c.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *exc):
        if ENGINE == "postgresql":
            self.p.stdin.write("ROLLBACK;\n")
            self.p.stdin.close()
            self.p.wait(10)
        else:
            self.c.execute("ROLLBACK")
            self.c.close()


def registration(rid):
    return {"id": rid, "date": "2025-10-07", "minutes": 45, "kind": "internal", "line": "P3",
            "advisors": ["BC"], "activity": "preparation"}


# ---------------------------------------------------------------- framing and headers
def test_framing():
    srv = Server("framing")
    try:
        port = srv.port
        # defect 12: two conflicting Content-Length headers were accepted
        st, h, body, closed = request(
            port, b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                  b"Content-Length: 5\r\nContent-Length: 12\r\n\r\nlogin=a&b=cd")
        check("conflicting Content-Length: 400", st == 400, f"got {st}")
        check("conflicting Content-Length: connection closed", closed)
        check("conflicting Content-Length: security headers", not missing_security_headers(h),
              f"missing {missing_security_headers(h)}")
        st, h, body, closed = request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                                            b"Content-Length: 0\r\n\r\n")
        check("repeated Content-Length, even equal: 400", st == 400, f"got {st}")
        # defect 12: HTTP/1.1 without Host got 200
        st, h, body, closed = request(port, b"GET /healthz HTTP/1.1\r\n\r\n")
        check("HTTP/1.1 without Host: 400", st == 400, f"got {st}")
        check("HTTP/1.1 without Host: security headers", not missing_security_headers(h),
              f"missing {missing_security_headers(h)}")
        st, h, body, closed = request(port, b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
        check("two Host headers: 400", st == 400, f"got {st}")
        st, h, body, closed = request(port, b"GET /healthz HTTP/1.0\r\n\r\n")
        check("HTTP/1.0 without Host is fine: 200", st == 200, f"got {st}")
        st, h, body, closed = request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        check("a sound request: 200", st == 200, f"got {st}")

        # defect 12: the library's own error responses carried no security headers
        library = [
            ("malformed header line", b"GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", 400),
            ("unknown HTTP version", b"GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", 505),
            ("HTTP/0.9-like version", b"GET /healthz HTTP/0.9\r\nHost: x\r\n\r\n", 505),
            ("URI beyond the connection memory", b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
            ("header beyond the connection memory",
             b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n", 431),
            ("Content-Length beyond 64 bits",
             b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413),
            ("Content-Length not a number", b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 12a\r\n\r\n", 400),
            ("malformed chunk",
             b"POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400),
        ]
        for name, raw, want in library:
            st, h, body, closed = request(port, raw)
            check(f"{name}: {want}", st == want, f"got {st}")
            check(f"{name}: security headers", not missing_security_headers(h),
                  f"missing {missing_security_headers(h)} in {sorted(h)}")
            check(f"{name}: Content-Type with charset", h.get("content-type") == ["text/html; charset=utf-8"],
                  str(h.get("content-type")))

        # a request id on every response, random, 16 hex characters
        ids = []
        for _ in range(3):
            st, h, body, closed = request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            ids.append(h.get("x-request-id", [""])[0])
        check("X-Request-Id: 16 hex characters", all(re.fullmatch(r"[0-9a-f]{16}", i) for i in ids), str(ids))
        check("X-Request-Id: a new one per request", len(set(ids)) == 3, str(ids))

        # defect 15: a 403 is in the security log, with the route, role, user and request id
        st, h, body, closed = api(port, "GET", "/api/v1/facts", TOKEN["begeleider"])
        check("advisor on /api/v1/facts: 403", st == 403, f"got {st}")
        rid = h.get("x-request-id", [""])[0]
        time.sleep(0.3)
        ev = [e for e in srv.events("http.forbidden") if e.get("request_id") == rid]
        check("403 logged with route, role and user",
              len(ev) == 1 and ev[0].get("route") == "/api/v1/facts" and ev[0].get("user") == "begeleider"
              and ev[0].get("role") not in (None, "", "anonymous") and ev[0].get("ip") == "127.0.0.1",
              f"events {srv.events('http.forbidden')} for request id {rid}")
    finally:
        srv.stop()


# ---------------------------------------------------------------- slowloris
def test_slowloris():
    head_timeout = 2
    srv = Server("slowloris", "--head-timeout", str(head_timeout), "--connection-timeout", "30")
    try:
        port = srv.port
        socks = []
        t0 = time.monotonic()
        # 300 partial requests from ten addresses (the per-address limit is 32)
        for i in range(300):
            try:
                s = connect(srv.port, f"127.0.0.{2 + i // 30}", timeout=5)
                s.setblocking(False)
                s.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                socks.append(s)
            except OSError:
                socks.append(None)
        closed_at = {}
        for i, s in enumerate(socks):
            if s is None:
                closed_at[i] = 0.0
        last_trickle = time.monotonic()
        n = 0
        while len(closed_at) < len(socks) and time.monotonic() - t0 < 12:
            live = [s for i, s in enumerate(socks) if i not in closed_at]
            readable, _, _ = select.select(live, [], [], 0.2)
            for s in readable:
                i = socks.index(s)
                try:
                    if s.recv(4096) == b"":
                        closed_at[i] = time.monotonic() - t0
                except OSError:
                    closed_at[i] = time.monotonic() - t0
            if time.monotonic() - last_trickle >= 1:  # one more header line a second
                n += 1
                for i, s in enumerate(socks):
                    if i not in closed_at:
                        try:
                            s.send(b"X-Slow-%d: 1\r\n" % n)
                        except OSError:
                            closed_at[i] = time.monotonic() - t0
                last_trickle = time.monotonic()
        accepted = [t for t in closed_at.values() if t >= 1.0]
        check("slowloris: every slow connection closed", len(closed_at) == len(socks),
              f"{len(socks) - len(closed_at)} of {len(socks)} still open after 12 s")
        check("slowloris: closed at the head deadline (2 s), not before",
              accepted and min(accepted) >= head_timeout - 0.3 and max(closed_at.values()) <= head_timeout + 4,
              f"accepted ones closed between {min(accepted, default=None)} and "
              f"{max(closed_at.values(), default=None)} s")
        t1 = time.monotonic()
        st, h, body, closed = request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        check("slowloris: a normal request is answered right after", st == 200 and time.monotonic() - t1 < 2,
              f"status {st} after {time.monotonic() - t1:.1f} s")
        for s in socks:
            if s:
                s.close()
        # 100 connections from one address: those past the per-address limit (32) are
        # accepted and closed at once, and were logged one line each
        flood, refused_seen = [], 0
        for _ in range(100):
            try:
                flood.append(connect(port, "127.0.0.12", timeout=5))
            except OSError:
                refused_seen += 1
        time.sleep(0.5)  # well before the head deadline (2 s): only the refused ones are closed
        readable, _, _ = select.select(flood, [], [], 0)
        for s in readable:
            try:
                refused_seen += s.recv(1) == b""
            except OSError:
                refused_seen += 1
        for s in flood:
            s.close()
        check("per-address limit: the connections past it refused", refused_seen == 100 - 32, f"{refused_seen} of 100")
        time.sleep(1.5)  # the summaries are written once a second
        elapsed = time.monotonic() - t0 + 1
        refused = srv.events("connections.refused")
        dropped = srv.events("connections.head_timeout")
        plain = [line for line in open(srv.log) if "reached connection limit" in line and not line.startswith("{")]
        check("refused connections: no line each", not plain, f"{len(plain)} plain lines")
        check("refused connections: summarised at most once a second",
              refused and len(refused) <= elapsed + 1 and sum(int(e["count"]) for e in refused) >= refused_seen,
              f"{len(refused)} summary lines in {elapsed:.0f} s: {refused[:3]}")
        check("head deadline: summarised", dropped and sum(int(e["count"]) for e in dropped) >= len(accepted),
              f"{dropped} for {len(accepted)} dropped connections")
    finally:
        srv.stop()


# ---------------------------------------------------------------- query time limit
def test_query_timeout():
    srv = Server("querytimeout", "--query-timeout", "0.5")
    try:
        with WriteLock():
            t = time.monotonic()
            st, h, body, closed = api(srv.port, "POST", "/api/v1/registrations", TOKEN["begeleider"],
                                      registration("hostile-q1"))
            took = time.monotonic() - t
        check("write lock held elsewhere: 503", st == 503, f"got {st} {body[:200]!r}")
        check("503: within the limit, not the 10 s default", took < 4, f"{took:.1f} s")
        check("503: a problem document with Retry-After",
              h.get("content-type") == ["application/problem+json"] and h.get("retry-after"), str(h))
        check("503: security headers", not missing_security_headers(h), f"missing {missing_security_headers(h)}")
        rid = h.get("x-request-id", [""])[0]
        time.sleep(0.3)
        ev = [e for e in srv.events("http.server_error") if e.get("request_id") == rid]
        check("503 logged with its cause", len(ev) == 1 and ev[0].get("status") == "503"
              and "query time limit" in ev[0].get("cause", ""), f"{srv.events('http.server_error')}, id {rid}")
        check("503: nothing written", sql("SELECT COUNT(*) FROM registration WHERE ext_id = 'hostile-q1'") == "0")
        st, h, body, closed = api(srv.port, "POST", "/api/v1/registrations", TOKEN["begeleider"],
                                  registration("hostile-q1"))
        check("the lock released, the same request: 201", st == 201, f"got {st} {body[:300]!r}")
    finally:
        srv.stop()


# ---------------------------------------------------------------- SIGTERM
def test_sigterm():
    # idle connections (one kept alive, one partial request head) do not hold the stop up
    srv = Server("sigterm-idle", "--shutdown-grace", "2")
    keep = connect(srv.port)
    keep.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    read_response(keep)
    slow = connect(srv.port)
    slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    t = time.monotonic()
    srv.proc.send_signal(signal.SIGTERM)
    try:
        rc = srv.proc.wait(12)
    except subprocess.TimeoutExpired:
        rc = None
    took = time.monotonic() - t
    check("SIGTERM with idle connections: stops at once, status 0", rc == 0 and took < 1.5,
          f"status {rc} after {took:.1f} s")
    keep.close()
    slow.close()
    srv.stop()

    # a request stuck on a lock another process holds: the process ends after the grace period
    srv = Server("sigterm-stuck", "--shutdown-grace", "2", "--query-timeout", "60")
    with WriteLock():
        result = {}

        def post():
            try:
                result["r"] = api(srv.port, "POST", "/api/v1/registrations", TOKEN["begeleider"],
                                  registration("hostile-s1"))
            except OSError as e:
                result["e"] = e

        th = threading.Thread(target=post)
        th.start()
        time.sleep(1)
        t = time.monotonic()
        srv.proc.send_signal(signal.SIGTERM)
        try:
            rc = srv.proc.wait(20)
        except subprocess.TimeoutExpired:
            rc = None
        took = time.monotonic() - t
        th.join(20)
    check("SIGTERM with a stuck request: exits within the grace period (2 s)", rc is not None and took < 3.5,
          f"status {rc} after {took:.1f} s")
    check("SIGTERM with a stuck request: status 1 and a log line", rc == 1 and srv.events("server.shutdown_forced"),
          f"status {rc}, events {srv.events('server.shutdown_forced')}")
    check("SIGTERM with a stuck request: nothing written",
          sql("SELECT COUNT(*) FROM registration WHERE ext_id = 'hostile-s1'") == "0")
    srv.stop()


only = os.environ.get("HOSTILE_ONLY")  # e.g. HOSTILE_ONLY=test_slowloris, to run one part
for test in (test_framing, test_slowloris, test_query_timeout, test_sigterm):
    if only and test.__name__ != only:
        continue
    try:
        test()
    except Exception as e:  # a crash of one part is a failure, the others still run
        check(test.__name__, False, f"{type(e).__name__}: {e}")
print(f"{results['passed']} passed, {results['failed']} failed")
sys.exit(1 if results["failed"] else 0)
