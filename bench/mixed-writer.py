#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Paced registration writes through the bereik API, for bench/load-mixed.sh.

usage: mixed-writer.py --setup DIR --base URL [--base URL ...] [--rate 200]
                       [--seconds 20] [--threads 16] [--update-share 0.1]
                       [--delete-share 0.1] [--prefix ID_PREFIX] [--seed S] [--json FILE]

Sends write requests at a fixed rate for a fixed time (open loop: request i is due at
start + i / rate; a thread takes the next due request, waits for its time and sends it on
its own persistent connection; when the server is slow, due requests wait for a free thread
and go out late; those not sent when the time is up are counted as not sent). Of the requests, the update share are PUTs and the delete share
DELETEs of registrations this run created earlier (with If-Match, the ETag of the last
answer), the rest are POSTs of new registrations. With several --base URLs the requests
go to them in turn (so a registration created on one server is often changed or deleted
through another).

Every registration is valid: one of the setup's advisors (posted with that advisor's own
token), a weekday of the school year up to today, a client registration (institutions,
modality, goal of its line, head counts, level, follow-up) or an internal one (activity
only). The advisor's day total stays at most 1440 minutes: the setup gives the minutes
already registered per advisor and day, and the writer books its own minutes against
that before it sends (and gives them back when a request fails or a registration is
deleted).

The setup folder (written by bench/load-mixed.sh from the database):
  advisors.csv      code,token          advisors to register for, with their API tokens
  used.csv          advisor,date,minutes  minutes already registered per advisor and day
  institutions.txt  one institution number a line (existing all year)
  goals.csv         line,goal           lines to use; an empty goal: a line without goals
  year.txt          first and last date of the school year (YYYY-MM-DD YYYY-MM-DD)

At the end it prints one summary line (and with --json writes it as JSON): achieved rate
(requests sent over the run's time, or until the last answer when that came later),
count per operation, 2xx and other answers, latency p50/p99 (ms, from sending the request
to the end of the answer), and how far at most it fell behind its schedule (a request
waits for a free thread when the server is slow; it is then sent as soon as one is free).
Standard library only.
"""

import argparse
import csv
import datetime as dt
import http.client
import json
import os
import random
import sys
import threading
import time
import urllib.parse

TARGET_GROUPS = ["leraren", "leidinggevenden", "middenkader"]
MODALITIES = ["fysiek", "online", "helpdesk", "klasbezoek", "hybride"]
ACTIVITIES = ["preparation", "internal_meeting", "follow_up", "quality", "self_study"]
MINUTES = [15, 30, 45, 60, 90, 120]


def read_setup(folder):
    with open(os.path.join(folder, "advisors.csv"), newline="") as f:
        advisors = {row["code"]: row["token"] for row in csv.DictReader(f)}
    used = {}
    with open(os.path.join(folder, "used.csv"), newline="") as f:
        for row in csv.DictReader(f):
            used[(row["advisor"], row["date"])] = int(float(row["minutes"]))
    with open(os.path.join(folder, "institutions.txt")) as f:
        institutions = [line.strip() for line in f if line.strip()]
    goals = {}
    with open(os.path.join(folder, "goals.csv"), newline="") as f:
        for row in csv.DictReader(f):
            goals.setdefault(row["line"], [])
            if row["goal"]:
                goals[row["line"]].append(row["goal"])
    with open(os.path.join(folder, "year.txt")) as f:
        first, last = f.read().split()
    if not advisors or not institutions or not goals:
        sys.exit("mixed-writer: the setup has no advisors, institutions or lines")
    return advisors, used, institutions, goals, first, last


class Budget:
    """Free minutes per (advisor, day); taken before a request, given back after a failure."""

    def __init__(self, advisors, used, first, last):
        today = dt.date.today()
        day = dt.date.fromisoformat(first)
        end = min(dt.date.fromisoformat(last), today)
        self.days = []
        while day <= end:
            if day.weekday() < 5:
                self.days.append(day.isoformat())
            day += dt.timedelta(days=1)
        if not self.days:
            sys.exit("mixed-writer: no weekday of the school year lies before today")
        self.free = {(a, d): 1440 - used.get((a, d), 0) for a in advisors for d in self.days}
        self.lock = threading.Lock()

    def take(self, rnd, advisor, minutes, tries=20):
        """A day of the advisor with room for the minutes (booked), or None."""
        with self.lock:
            for _ in range(tries):
                day = rnd.choice(self.days)
                if self.free[(advisor, day)] >= minutes:
                    self.free[(advisor, day)] -= minutes
                    return day
        return None

    def adjust(self, advisor, day, minutes):
        """Book minutes more (or fewer, when negative) on a day, if there is room."""
        with self.lock:
            if self.free[(advisor, day)] >= minutes:
                self.free[(advisor, day)] -= minutes
                return True
        return False

    def give(self, advisor, day, minutes):
        with self.lock:
            self.free[(advisor, day)] += minutes


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.by_op = {}  # op -> [sent, 2xx, other]
        self.statuses = {}
        self.max_lag = 0.0  # seconds a request went out after its due time, at most
        self.errors = 0
        self.skipped = 0

    def record(self, op, status, seconds):
        with self.lock:
            counts = self.by_op.setdefault(op, [0, 0, 0])
            counts[0] += 1
            if status is not None and 200 <= status < 300:
                counts[1] += 1
            else:
                counts[2] += 1
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if seconds is not None:
                self.latencies.append(seconds)


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


class Connection:
    """One persistent HTTP/1.1 connection per server, reopened after an error."""

    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port or 80
        self.conn = None

    def request(self, method, path, body, headers):
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                data = resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return resp.status, resp.getheader("ETag"), data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # a kept-alive connection the server closed meanwhile: once more on a new one
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
            except Exception:
                self.conn.close()
                self.conn = None
                raise


class Writer:
    def __init__(self, a):
        (self.tokens, used, self.institutions, self.goals,
         first, last) = read_setup(a.setup)
        self.budget = Budget(self.tokens, used, first, last)
        self.bases = a.base
        self.rate = a.rate
        self.seconds = a.seconds
        self.update_share = a.update_share
        self.delete_share = a.delete_share
        self.prefix = a.prefix
        self.seed = a.seed
        self.stats = Stats()
        self.lock = threading.Lock()
        self.next_slot = 0
        self.total = int(round(a.rate * a.seconds))
        self.lines = sorted(self.goals)
        self.advisors = sorted(self.tokens)

    def slot(self, end):
        with self.lock:
            i = self.next_slot
            if i >= self.total or time.monotonic() >= end:
                return None
            self.next_slot += 1
            return i

    def body(self, rnd, rid, advisor, day, minutes):
        line = rnd.choice(self.lines)
        reg = {"id": rid, "date": day, "minutes": minutes, "line": line,
               "advisors": [advisor], "description": "load-mixed " + rid}
        if rnd.random() < 0.7:
            reg["kind"] = "client"
            reg["goal"] = rnd.choice(self.goals[line]) if self.goals[line] else None
            reg["institutions"] = rnd.sample(self.institutions, rnd.choice([1, 1, 1, 2]))
            reg["modality"] = rnd.choice(MODALITIES)
            reg["level"] = rnd.choice(["micro", "meso", None])
            reg["followup"] = rnd.random() < 0.3
            reg["counts"] = {g: rnd.randint(1, 25) for g in rnd.sample(TARGET_GROUPS, 2)}
        else:
            reg["kind"] = "internal"
            reg["activity"] = rnd.choice(ACTIVITIES)
        return reg

    def run_thread(self, tid, start, mine_all):
        rnd = random.Random(f"{self.seed}-{tid}")
        conns = [Connection(b) for b in self.bases]
        mine = []  # [id, advisor, day, minutes, etag, body] of registrations this thread made
        mine_all.append(mine)
        made = 0
        end = start + self.seconds
        while True:
            i = self.slot(end)
            if i is None:
                break
            due = start + i / self.rate
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            elif -wait > self.stats.max_lag:
                with self.stats.lock:
                    self.stats.max_lag = max(self.stats.max_lag, -wait)
            conn = conns[i % len(conns)]
            r = rnd.random()
            if mine and r < self.delete_share:
                self.delete(rnd, conn, mine)
            elif mine and r < self.delete_share + self.update_share:
                self.update(rnd, conn, mine)
            else:
                made += 1
                self.create(rnd, conn, mine, f"{self.prefix}-{tid}-{made}")

    def send(self, conn, op, method, path, token, body=None, etag=None):
        headers = {"Authorization": "Bearer " + token}
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body).encode()
        if etag:
            headers["If-Match"] = etag
        t0 = time.monotonic()
        try:
            status, new_etag, data = conn.request(method, path, body, headers)
        except Exception as e:  # noqa: BLE001 - a failed request is a count, not a crash
            self.stats.record(op, None, None)
            with self.stats.lock:
                self.stats.errors += 1
                if self.stats.errors <= 3:
                    print(f"mixed-writer: {method} {path}: {e!r}", file=sys.stderr)
            return None, None
        self.stats.record(op, status, time.monotonic() - t0)
        if not 200 <= status < 300:
            with self.stats.lock:
                shown = sum(v for k, v in self.stats.statuses.items()
                            if k is not None and not 200 <= k < 300)
            if shown <= 3:
                print(f"mixed-writer: {method} {path}: {status} {data[:300]!r}", file=sys.stderr)
        return status, new_etag

    def create(self, rnd, conn, mine, rid):
        advisor = rnd.choice(self.advisors)
        minutes = rnd.choice(MINUTES)
        day = self.budget.take(rnd, advisor, minutes)
        if day is None:
            with self.stats.lock:
                self.stats.skipped += 1
            return
        reg = self.body(rnd, rid, advisor, day, minutes)
        status, etag = self.send(conn, "POST", "POST", "/api/v1/registrations",
                                 self.tokens[advisor], reg)
        if status in (200, 201) and etag:
            mine.append([rid, advisor, day, minutes, etag, reg])
        else:
            self.budget.give(advisor, day, minutes)

    def update(self, rnd, conn, mine):
        entry = rnd.choice(mine)
        rid, advisor, day, minutes, etag, reg = entry
        new_minutes = rnd.choice(MINUTES)
        new_day = self.budget.take(rnd, advisor, new_minutes) if rnd.random() < 0.5 else None
        moved = new_day is not None  # to another day (or the same one, booked in full)
        if not moved:
            new_day = day
            if not self.budget.adjust(advisor, day, new_minutes - minutes):
                new_minutes = minutes
        new = dict(reg, date=new_day, minutes=new_minutes)
        if new["kind"] == "client":
            new["counts"] = {g: rnd.randint(1, 25) for g in rnd.sample(TARGET_GROUPS, 2)}
            new["modality"] = rnd.choice(MODALITIES)
        status, new_etag = self.send(conn, "PUT", "PUT", "/api/v1/registrations/" + rid,
                                     self.tokens[advisor], new, etag)
        if status == 200 and new_etag:
            if moved:
                self.budget.give(advisor, day, minutes)
            entry[2:6] = [new_day, new_minutes, new_etag, new]
        elif moved:  # unchanged on the server: undo the booking
            self.budget.give(advisor, new_day, new_minutes)
        else:
            self.budget.give(advisor, day, new_minutes - minutes)

    def delete(self, rnd, conn, mine):
        k = rnd.randrange(len(mine))
        rid, advisor, day, minutes, etag, _ = mine[k]
        status, _ = self.send(conn, "DELETE", "DELETE", "/api/v1/registrations/" + rid,
                              self.tokens[advisor], None, etag)
        if status == 204 or status == 200:
            mine[k] = mine[-1]
            mine.pop()
            self.budget.give(advisor, day, minutes)

    def run(self, threads):
        mine_all = []
        start = time.monotonic() + 0.05
        workers = [threading.Thread(target=self.run_thread, args=(t, start, mine_all), daemon=True)
                   for t in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        elapsed = max(time.monotonic() - start, self.seconds)
        s = self.stats
        sent = sum(c[0] for c in s.by_op.values())
        ok = sum(c[1] for c in s.by_op.values())
        lat = s.latencies
        return {
            "seconds": round(elapsed, 2),
            "target_rate": self.rate,
            "achieved_rate": round(sent / elapsed, 1) if elapsed > 0 else 0,
            "sent": sent,
            "not_sent": self.total - sent,
            "ok_2xx": ok,
            "other": sent - ok,
            "by_op": {op: {"sent": c[0], "2xx": c[1], "other": c[2]}
                      for op, c in sorted(s.by_op.items())},
            "statuses": {str(k): v for k, v in sorted(s.statuses.items(), key=lambda kv: str(kv[0]))},
            "p50_ms": round(percentile(lat, 50) * 1000, 2),
            "p99_ms": round(percentile(lat, 99) * 1000, 2),
            "max_lag_ms": round(s.max_lag * 1000, 1),
            "skipped_no_room": s.skipped,
            "kept": sum(len(m) for m in mine_all),
        }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--setup", required=True, help="setup folder (see the module doc)")
    ap.add_argument("--base", action="append", required=True,
                    help="server base URL, e.g. http://127.0.0.1:8080 (repeat for several)")
    ap.add_argument("--rate", type=float, default=200, help="write requests per second")
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--threads", type=int, default=32)
    ap.add_argument("--update-share", type=float, default=0.1)
    ap.add_argument("--delete-share", type=float, default=0.1)
    ap.add_argument("--prefix", default="mixed-%d" % int(time.time()),
                    help="registration id prefix (unique per run)")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--json", help="also write the summary as JSON to this file")
    a = ap.parse_args()
    if a.rate <= 0 or a.seconds <= 0 or a.threads < 1:
        ap.error("--rate, --seconds and --threads must be positive")
    if a.update_share < 0 or a.delete_share < 0 or a.update_share + a.delete_share >= 1:
        ap.error("--update-share and --delete-share must be >= 0 and together < 1")
    result = Writer(a).run(a.threads)
    ops = " ".join(f"{op}={c['2xx']}/{c['sent']}" for op, c in result["by_op"].items())
    print(f"writer: {result['achieved_rate']:g}/s of {a.rate:g}/s over {result['seconds']:g} s "
          f"({result['not_sent']} of {result['sent'] + result['not_sent']} not sent in time); "
          f"{result['ok_2xx']} 2xx, {result['other']} other ({ops}); "
          f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms; "
          f"at most {result['max_lag_ms']:g} ms behind schedule")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
    return 0 if result["other"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
