#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Crash consistency of bereik: nothing acknowledged is lost, nothing is half written.

Serve rounds: start `bereik serve`, let several clients POST registrations through the
API, SIGKILL the server at a random moment, and check (server down) that every
registration that was acknowledged (2xx) is stored exactly once, that no registration is
stored without its advisors and institutions, and (SQLite) that PRAGMA integrity_check
says ok. Import rounds: SIGKILL `bereik import` of a large registrations.csv at a random
moment; the database must hold all of it or none of it.

usage: crash.py BEREIK_BIN DB ENGINE TOKEN ROUNDS IMPORT_ROUNDS WORKDIR
(the database holds the demo data; TOKEN is an API token of an account of advisor BC)
"""
import http.client
import datetime
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

BIN, DB, ENGINE, TOKEN = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
ROUNDS, IMPORT_ROUNDS, WORK = int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
rng = random.Random(int(os.environ.get("CRASH_SEED", "1")))
passed = failed = 0


def ok(name):
    global passed
    passed += 1
    print("ok " + name, flush=True)


def fail(name, why):
    global failed
    failed += 1
    print("FAIL %s: %s" % (name, why), flush=True)


def sql(query):
    if ENGINE == "postgresql":
        out = subprocess.run(["psql", DB, "-qAtc", query], capture_output=True, text=True, check=True).stdout
        return [line.split("|") for line in out.splitlines()]
    con = sqlite3.connect(DB, timeout=30)
    try:
        return [[str(c) for c in row] for row in con.execute(query)]
    finally:
        con.close()


# Dates the registrations may have: at most 1440 minutes per advisor and day, no locked
# school year (the demo locks its oldest), none after today. So the writes go round the
# days from 1 September of the previous school year up to yesterday, one minute each,
# and the imports spread over every advisor employed on all those days.
TODAY = datetime.date.today()
FIRST = datetime.date(TODAY.year - (2 if TODAY.month < 9 else 1), 9, 1)
DAYS = (TODAY - FIRST).days  # up to yesterday


def day(n):
    return (FIRST + datetime.timedelta(days=n % DAYS)).isoformat()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_server(port):
    log = open(os.path.join(WORK, "serve.log"), "a")
    p = subprocess.Popen([BIN, "--db", DB, "serve", "--listen", "127.0.0.1:%d" % port, "--threads", "4", "--write-rate", "0",
                          "--per-ip-limit", "100"], stdout=log, stderr=log)
    for _ in range(200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return p
        except OSError:
            time.sleep(0.05)
    p.kill()
    raise SystemExit("the server did not start")


acked = set()
acked_lock = threading.Lock()


def client(port, prefix, stop):
    n = 0
    conn = None
    while not stop.is_set():
        n += 1
        ext = "%s-%d" % (prefix, n)
        body = json.dumps({"id": ext, "date": day(n), "minutes": 1, "kind": "client",
                           "line": "P3", "advisors": ["BC"], "institutions": ["SAA", "SAB"],
                           "modality": "fysiek", "counts": {"leraren": n % 5}})
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("POST", "/api/v1/registrations", body,
                         {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
            r = conn.getresponse()
            r.read()
            if 200 <= r.status < 300:
                with acked_lock:
                    acked.add(ext)
            elif r.status != 503:
                print("unexpected status %d for %s" % (r.status, ext), flush=True)
        except (OSError, http.client.HTTPException):
            conn = None
            time.sleep(0.01)  # the server is gone; keep trying until told to stop


def check_stored(label):
    rows = sql("SELECT ext_id, COUNT(*) FROM registration WHERE ext_id LIKE 'crash-%' GROUP BY ext_id")
    stored = {r[0]: int(r[1]) for r in rows}
    lost = [e for e in acked if e not in stored]
    doubled = [e for e, c in stored.items() if c != 1]
    half = sql("SELECT COUNT(*) FROM registration r WHERE r.ext_id LIKE 'crash-%' AND ("
               "NOT EXISTS (SELECT 1 FROM registration_advisor ra WHERE ra.registration_id = r.id) OR "
               "(SELECT COUNT(*) FROM registration_institution ri WHERE ri.registration_id = r.id) <> 2)")[0][0]
    if lost or doubled or half != "0":
        fail(label, "lost %d acknowledged (%s), %d doubled, %s half written" % (len(lost), lost[:3], len(doubled), half))
        return False
    return True


def integrity(label):
    if ENGINE != "sqlite":
        return True
    res = sql("PRAGMA integrity_check")[0][0]
    if res != "ok":
        fail(label, "integrity_check: " + res)
        return False
    return True


# ---- serve rounds ----
total_kills = 0
round_failures = 0
for rnd in range(1, ROUNDS + 1):
    port = free_port()
    server = start_server(port)
    stop = threading.Event()
    threads = [threading.Thread(target=client, args=(port, "crash-%d-%d" % (rnd, t), stop)) for t in range(4)]
    for t in threads:
        t.start()
    time.sleep(rng.uniform(0.2, 1.2))
    server.send_signal(signal.SIGKILL)
    server.wait()
    total_kills += 1
    stop.set()
    for t in threads:
        t.join()
    good = check_stored("round %d: every acknowledged registration stored exactly once" % rnd)
    good = integrity("round %d: integrity" % rnd) and good
    if not good:
        round_failures += 1
if round_failures == 0:
    ok("%d serve rounds killed with SIGKILL: all %d acknowledged registrations stored exactly once, "
       "none half written%s" % (total_kills, len(acked), ", integrity_check ok" if ENGINE == "sqlite" else ""))
stored_total = int(sql("SELECT COUNT(*) FROM registration WHERE ext_id LIKE 'crash-%'")[0][0])
print("# acknowledged %d, stored %d (stored but not acknowledged: answered after the kill or lost in transit)"
      % (len(acked), stored_total), flush=True)
if len(acked) < ROUNDS * 5:
    fail("the clients got registrations acknowledged", "only %d" % len(acked))
else:
    ok("%d registrations acknowledged over the rounds" % len(acked))

# ---- import rounds: all or nothing ----
N = 40000
EMPLOYED = [r[0] for r in sql(
    "SELECT code FROM advisor WHERE (start_date IS NULL OR start_date <= '%s') AND (end_date IS NULL OR end_date >= '%s') "
    "ORDER BY code" % (FIRST.isoformat(), TODAY.isoformat()))]
outcomes = {"none": 0, "all": 0}
for rnd in range(1, IMPORT_ROUNDS + 1):
    d = os.path.join(WORK, "import-%d" % rnd)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "registrations.csv"), "w") as f:
        f.write("id,date,minutes,kind,line,advisors,institutions,modality\n")
        for i in range(N):
            f.write("imp-%d-%d,%s,1,client,P3,%s,SAA|SAB,fysiek\n"
                    % (rnd, i, day(i + rnd), EMPLOYED[i % len(EMPLOYED)]))
    before = int(sql("SELECT COUNT(*) FROM registration")[0][0])
    p = subprocess.Popen([BIN, "--db", DB, "import", d], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if rnd < IMPORT_ROUNDS:  # the last import runs to its end
        time.sleep(rng.uniform(0.05, 1.5))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
    p.wait()
    if ENGINE == "postgresql":
        time.sleep(0.2)  # the server ends the dead connection's transaction
    after = int(sql("SELECT COUNT(*) FROM registration")[0][0])
    part = int(sql("SELECT COUNT(*) FROM registration WHERE ext_id LIKE 'imp-%d-%%'" % rnd)[0][0])
    if after == before and part == 0:
        outcomes["none"] += 1
    elif after == before + N and part == N:
        outcomes["all"] += 1
    else:
        fail("import round %d" % rnd, "%d of %d rows present" % (part, N))
    integrity("import round %d: integrity" % rnd)
if outcomes["none"] + outcomes["all"] == IMPORT_ROUNDS:
    ok("%d imports of %d registrations killed at random moments: each all (%d) or nothing (%d)"
       % (IMPORT_ROUNDS, N, outcomes["all"], outcomes["none"]))
if outcomes["all"] == 0 or outcomes["none"] == 0:
    fail("imports both killed before and finished", "all %(all)d, none %(none)d" % outcomes)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
