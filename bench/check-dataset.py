#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Check a dataset folder against the validation rules of spec/DATA-FORMAT.md section 1.

usage: check-dataset.py DIR

An independent check of bench/gen-dataset.py output (it does not use the product): prints
every problem as FILE:LINE: column: message and exits 1 if there is any. It checks the
rules an import into an empty database must accept, plus two realism rules the generator
promises (every named institution exists on the registration date, a linked trajectory is
running on it). Only the `,` delimiter is supported (that is what the generator writes).
Texts are checked against the bounds of src/domain/bounds.h: valid UTF-8, no control
characters (tabs and line breaks only in description, shared_goal and action_plan, which
may span lines inside quotes), at most 2,000 characters for those, 200 for other texts and
64 for codes; codes and ids of [A-Za-z0-9._-]. Line numbers are those of the row's first
physical line. Standard library only.
"""

import csv
import datetime as dt
import io
import os
import re
import sys

COLUMNS = {  # file: (required, optional)
    "settings.csv": (["school_year", "hours_per_fte"], ["reach_rule", "reach_min_hours", "locked"]),
    "sectors.csv": (["code", "name"], ["group", "position"]),
    "lines.csv": (["code", "name", "kind"], ["unit", "position"]),
    "goals.csv": (["code", "line", "name"], []),
    "plan.csv": (["school_year", "line", "planned_fte"], ["coloured_fte"]),
    "institutions.csv": (["number", "code", "name", "sector"], ["own", "board", "active", "start", "end"]),
    "teams.csv": (["code", "name"], ["lines"]),
    "advisors.csv": (["code", "name", "fte"], ["role", "start", "end", "teams"]),
    "target_groups.csv": (["code", "name"], ["position"]),
    "targets.csv": (["school_year", "target_group", "target"], []),
    "trajectories.csv": (["id", "institution"], ["line", "goal", "level", "shared_goal", "action_plan",
                                                 "start", "end", "status"]),
    "registrations.csv": (["id", "date", "minutes", "kind", "line", "advisors"],
                          ["goal", "institutions", "modality", "activity", "trajectory", "level",
                           "followup", "description"]),
    "pd_spend.csv": (["advisor", "school_year", "date", "amount_eur"], ["description"]),
}
MODALITIES = {"fysiek", "online", "hybride", "helpdesk", "walk", "klasbezoek"}
ACTIVITIES = {"preparation", "follow_up", "self_study", "internal_meeting",
              "professional_development", "quality", "other"}
BOOLS = {"true": True, "false": False, "ja": True, "nee": False, "1": True, "0": False}
# text bounds (src/domain/bounds.h): columns with long, multi-line texts; free texts; the rest
# are codes, numbers, dates, booleans or lists of codes
LONG_TEXT = {"description", "shared_goal", "action_plan"}
FREE_TEXT = {"name", "group"}
DESCRIPTION_MAX, LABEL_MAX, CODE_MAX = 2000, 200, 64
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ID_RE = re.compile("[A-Za-z0-9._-]{1,64}$")

errors = []


def err(f, line, col, msg):
    errors.append("%s:%d: %s: %s" % (f, line, col, msg))


def date_or_none(f, line, col, s):
    if s == "":
        return None
    try:
        if len(s) != 10:
            raise ValueError
        return dt.date.fromisoformat(s)
    except ValueError:
        err(f, line, col, "not a date (YYYY-MM-DD): %r" % s)
        return None


def number(f, line, col, s, integer=False, minimum=None):
    try:
        v = int(s) if integer else float(s)
    except ValueError:
        err(f, line, col, "not %s: %r" % ("an integer" if integer else "a number", s))
        return None
    if minimum is not None and v < minimum:
        err(f, line, col, "must be >= %s: %r" % (minimum, s))
    return v


def school_year(f, line, col, s):
    try:
        a, b = s.split("-")
        a, b = int(a), int(b)
        if b != a + 1 or len(s) != 9:
            raise ValueError
        return a
    except ValueError:
        err(f, line, col, "not a school year (YYYY-YYYY): %r" % s)
        return None


def rows(d, name):
    path = os.path.join(d, name)
    if not os.path.exists(path):
        err(name, 0, "-", "file missing")
        return []
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as e:
        err(name, data[:e.start].count(b"\n") + 1, "-", "not valid UTF-8: %s" % e.reason)
        return []
    if raw.startswith("\ufeff"):
        err(name, 1, "-", "BOM present (the generator writes none)")
    if "\r" in raw:
        err(name, 1, "-", "CR found (the generator writes LF)")
    # RFC 4180: a quoted cell may hold line breaks, so let csv read the physical lines
    rd = csv.reader(io.StringIO(raw, newline=""))
    header = [h.strip() for h in next(rd)]
    req, opt = COLUMNS[name]
    for h in header:
        if h not in req and h not in opt and not (name == "registrations.csv" and h.startswith("tg.")):
            err(name, 1, h, "unknown column")
    for h in req:
        if h not in header:
            err(name, 1, h, "required column missing")
    if len(set(header)) != len(header):
        err(name, 1, "-", "duplicate column")
    texts = LONG_TEXT | FREE_TEXT
    out = []
    i = rd.line_num + 1  # first physical line of the next row
    for r in rd:
        first, i = i, rd.line_num + 1
        if len(r) != len(header):
            err(name, first, "-", "%d cells, header has %d" % (len(r), len(header)))
            continue
        joined = "".join(r)
        if CONTROL.search(joined):
            for h, v in zip(header, r):
                text_bounds(name, first, h, v)
        else:  # the common case, fast: only lengths and non-ASCII codes can be wrong
            ascii_row = joined.isascii()
            for h, v in zip(header, r):
                if len(v) > CODE_MAX or not (ascii_row or h in texts or v.isascii()):
                    text_bounds(name, first, h, v)
        row = {h: v.strip() for h, v in zip(header, r)}
        for h in req:
            if row.get(h, "") == "":
                err(name, first, h, "required value missing")
        out.append((first, row))
    return out


def text_bounds(name, line, col, v):
    """The bounds every cell must keep (src/domain/bounds.h)."""
    if col in LONG_TEXT:
        if CONTROL_MULTILINE.search(v):
            err(name, line, col, "control character")
        if len(v) > DESCRIPTION_MAX:
            err(name, line, col, "%d characters (at most %d)" % (len(v), DESCRIPTION_MAX))
    elif col in FREE_TEXT:
        if CONTROL.search(v):
            err(name, line, col, "control character or line break")
        if len(v) > LABEL_MAX:
            err(name, line, col, "%d characters (at most %d)" % (len(v), LABEL_MAX))
    else:
        if CONTROL.search(v.strip(" \t")):
            err(name, line, col, "control character or line break")
        if len(v.strip()) > (LABEL_MAX if col.startswith("tg.") else CODE_MAX) and \
                col not in ("advisors", "institutions", "lines", "teams"):
            err(name, line, col, "%d characters (at most %d)" % (len(v.strip()), CODE_MAX))
        if not v.isascii():
            err(name, line, col, "(realism) non-ASCII character in a code, number or date")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    d = sys.argv[1]
    for name in os.listdir(d):
        if name not in COLUMNS:
            print("warning: %s: unknown file, ignored" % name, file=sys.stderr)

    def dupkey(name, i, key, seen):
        if key in seen:
            err(name, i, "-", "duplicate key %r (first on line %d)" % (key, seen[key]))
        else:
            seen[key] = i

    # settings
    seen = {}
    for i, r in rows(d, "settings.csv"):
        school_year("settings.csv", i, "school_year", r["school_year"])
        dupkey("settings.csv", i, r["school_year"], seen)
        number("settings.csv", i, "hours_per_fte", r["hours_per_fte"], minimum=0)
        if r.get("reach_rule", "") not in ("", "hours", "contact", "trajectory"):
            err("settings.csv", i, "reach_rule", "unknown rule")
        if r.get("reach_min_hours", ""):
            number("settings.csv", i, "reach_min_hours", r["reach_min_hours"], minimum=0)
        if r.get("locked", "").lower() not in ("",) + tuple(BOOLS):
            err("settings.csv", i, "locked", "not a boolean")
    # sectors
    sectors, groups, seen = {}, set(), {}
    for i, r in rows(d, "sectors.csv"):
        dupkey("sectors.csv", i, r["code"], seen)
        sectors[r["code"]] = r.get("group", "")
        if r.get("group", ""):
            groups.add(r["group"])
    # lines, goals
    lines, seen = {}, {}
    for i, r in rows(d, "lines.csv"):
        dupkey("lines.csv", i, r["code"], seen)
        if r["code"] in ("total", "total_plan", "total_plan_projects", "total_all"):
            err("lines.csv", i, "code", "reserved code")
        if r["kind"] not in ("pillar", "project", "other"):
            err("lines.csv", i, "kind", "unknown kind")
        if r.get("unit", "") not in ("", "pbd", "poc"):
            err("lines.csv", i, "unit", "unknown unit")
        lines[r["code"]] = r["kind"]
    goals, seen = {}, {}
    for i, r in rows(d, "goals.csv"):
        dupkey("goals.csv", i, r["code"], seen)
        if r["line"] not in lines:
            err("goals.csv", i, "line", "unknown line %r" % r["line"])
        goals[r["code"]] = r["line"]
    # plan
    seen = {}
    for i, r in rows(d, "plan.csv"):
        school_year("plan.csv", i, "school_year", r["school_year"])
        dupkey("plan.csv", i, (r["school_year"], r["line"]), seen)
        if r["line"] not in lines:
            err("plan.csv", i, "line", "unknown line")
        elif lines[r["line"]] == "other":
            err("plan.csv", i, "line", "planned FTE on a line of kind other")
        number("plan.csv", i, "planned_fte", r["planned_fte"], minimum=0)
        if r.get("coloured_fte", ""):
            number("plan.csv", i, "coloured_fte", r["coloured_fte"], minimum=0)
    # institutions
    inst_rows = rows(d, "institutions.csv")
    by_number, by_code = {}, {}
    for i, r in inst_rows:
        n, c = r["number"], r["code"]
        if n in by_number:
            err("institutions.csv", i, "number", "duplicate key %r" % n)
        by_number[n] = r
        if c in by_code:
            err("institutions.csv", i, "code", "duplicate code %r" % c)
        by_code[c] = r
        if not (len(n) == 6 and n.isdigit()):
            err("institutions.csv", i, "number", "not 6 digits: %r" % n)
        if c == "total" or c in groups or c.lower() == "total" or c.upper() in {g.upper() for g in groups}:
            err("institutions.csv", i, "code", "collides with a fact row name: %r" % c)
        if r["sector"] not in sectors:
            err("institutions.csv", i, "sector", "unknown sector")
        for col in ("own", "active"):
            if r.get(col, "").lower() not in ("",) + tuple(BOOLS):
                err("institutions.csv", i, col, "not a boolean")
        r["_start"] = date_or_none("institutions.csv", i, "start", r.get("start", ""))
        r["_end"] = date_or_none("institutions.csv", i, "end", r.get("end", ""))
    for i, r in inst_rows:
        if r["code"] in by_number and by_number[r["code"]] is not r:
            err("institutions.csv", i, "code", "equals another institution's number")
        b = r.get("board", "")
        if b and b not in by_number and b not in by_code:
            err("institutions.csv", i, "board", "unknown institution %r" % b)

    def inst(ref):
        return by_number.get(ref) or by_code.get(ref)

    # teams, advisors
    teams, seen = set(), {}
    for i, r in rows(d, "teams.csv"):
        dupkey("teams.csv", i, r["code"], seen)
        teams.add(r["code"])
        for l in filter(None, (x.strip() for x in r.get("lines", "").split("|"))):
            if l not in lines:
                err("teams.csv", i, "lines", "unknown line %r" % l)
    advisors, seen = {}, {}
    for i, r in rows(d, "advisors.csv"):
        dupkey("advisors.csv", i, r["code"], seen)
        if r.get("role", "") not in ("", "begeleider", "adviseur", "poc", "coordinator", "director"):
            err("advisors.csv", i, "role", "unknown role")
        number("advisors.csv", i, "fte", r["fte"], minimum=0)
        s = date_or_none("advisors.csv", i, "start", r.get("start", ""))
        e = date_or_none("advisors.csv", i, "end", r.get("end", ""))
        advisors[r["code"]] = (s, e)
        for t in filter(None, (x.strip() for x in r.get("teams", "").split("|"))):
            if t not in teams:
                err("advisors.csv", i, "teams", "unknown team %r" % t)
    # target groups, targets
    tgs, seen = set(), {}
    for i, r in rows(d, "target_groups.csv"):
        dupkey("target_groups.csv", i, r["code"], seen)
        if r["code"] == "total":
            err("target_groups.csv", i, "code", "reserved code")
        tgs.add(r["code"])
    seen = {}
    for i, r in rows(d, "targets.csv"):
        school_year("targets.csv", i, "school_year", r["school_year"])
        dupkey("targets.csv", i, (r["school_year"], r["target_group"]), seen)
        if r["target_group"] not in tgs:
            err("targets.csv", i, "target_group", "unknown target group")
        number("targets.csv", i, "target", r["target"], minimum=0)
    # trajectories
    trajs, seen = {}, {}
    for i, r in rows(d, "trajectories.csv"):
        dupkey("trajectories.csv", i, r["id"], seen)
        ins = inst(r["institution"])
        if ins is None:
            err("trajectories.csv", i, "institution", "unknown institution %r" % r["institution"])
        l, g = r.get("line", ""), r.get("goal", "")
        if l and l not in lines:
            err("trajectories.csv", i, "line", "unknown line")
        if g and (g not in goals or (l and goals[g] != l)):
            err("trajectories.csv", i, "goal", "unknown goal or goal of another line")
        if r.get("level", "") not in ("", "meso", "micro"):
            err("trajectories.csv", i, "level", "unknown level")
        if r.get("status", "") not in ("", "planned", "active", "closed"):
            err("trajectories.csv", i, "status", "unknown status")
        s = date_or_none("trajectories.csv", i, "start", r.get("start", ""))
        e = date_or_none("trajectories.csv", i, "end", r.get("end", ""))
        trajs[r["id"]] = (ins, s, e)
    # registrations
    reg_file = "registrations.csv"
    seen = {}
    tg_cols = None
    n_client = n_internal = 0
    day_total = {}  # (advisor, date) -> [minutes, last line]
    for i, r in rows(d, reg_file):
        if tg_cols is None:
            tg_cols = [h for h in r if h.startswith("tg.")]
            for h in tg_cols:
                if h[3:] not in tgs:
                    err(reg_file, 1, h, "unknown target group")
        dupkey(reg_file, i, r["id"], seen)
        if not ID_RE.match(r["id"]):
            err(reg_file, i, "id", "not 1..64 characters of [A-Za-z0-9._-]: %r" % r["id"])
        day = date_or_none(reg_file, i, "date", r["date"])
        m = number(reg_file, i, "minutes", r["minutes"], integer=True)
        if m is not None and not 1 <= m <= 1440:
            err(reg_file, i, "minutes", "not in 1..1440")
        line = r["line"]
        if line not in lines:
            err(reg_file, i, "line", "unknown line")
        g = r.get("goal", "")
        if g and (g not in goals or goals[g] != line):
            err(reg_file, i, "goal", "unknown goal or goal of another line")
        advs = [x.strip() for x in r["advisors"].split("|")]
        if len(set(advs)) != len(advs):
            err(reg_file, i, "advisors", "advisor listed twice")
        for a in advs:
            if a not in advisors:
                err(reg_file, i, "advisors", "unknown advisor %r" % a)
            elif day:
                s, e = advisors[a]
                if (s and day < s) or (e and day > e):
                    err(reg_file, i, "advisors", "%s not employed on %s" % (a, day))
            if m is not None:
                t = day_total.setdefault((a, r["date"]), [0, i])
                t[0] += m
                t[1] = i
        counts = {}
        for h in tg_cols:
            v = r[h]
            if v != "":
                c = number(reg_file, i, h, v, integer=True, minimum=0)
                if c:
                    counts[h] = c
        fu = r.get("followup", "")
        if fu and fu.lower() not in BOOLS:
            err(reg_file, i, "followup", "not a boolean")
        if r["kind"] == "client":
            n_client += 1
            refs = [x.strip() for x in r.get("institutions", "").split("|") if x.strip()]
            if not refs:
                err(reg_file, i, "institutions", "client registration without institutions")
            resolved = []
            for ref in refs:
                ins = inst(ref)
                if ins is None:
                    err(reg_file, i, "institutions", "unknown institution %r" % ref)
                    continue
                if any(x is ins for x in resolved):
                    err(reg_file, i, "institutions", "institution twice")
                resolved.append(ins)
                if day and ((ins["_start"] and day < ins["_start"]) or (ins["_end"] and day > ins["_end"])):
                    err(reg_file, i, "institutions", "(realism) %s does not exist on %s" % (ref, day))
            if r.get("modality", "") not in MODALITIES:
                err(reg_file, i, "modality", "missing or unknown modality")
            if r.get("activity", ""):
                err(reg_file, i, "activity", "(realism) activity on a client registration")
            t = r.get("trajectory", "")
            if t:
                if t not in trajs:
                    err(reg_file, i, "trajectory", "unknown trajectory")
                else:
                    tins, s, e = trajs[t]
                    if not any(x is tins for x in resolved):
                        err(reg_file, i, "trajectory", "trajectory's institution not among the institutions")
                    if day and ((s and day < s) or (e and day > e)):
                        err(reg_file, i, "trajectory", "(realism) trajectory not running on %s" % day)
            if r.get("level", "") not in ("", "meso", "micro"):
                err(reg_file, i, "level", "unknown level")
        elif r["kind"] == "internal":
            n_internal += 1
            if r.get("activity", "") not in ACTIVITIES:
                err(reg_file, i, "activity", "missing or unknown activity")
            for col in ("institutions", "modality", "trajectory", "level", "followup"):
                if r.get(col, ""):
                    err(reg_file, i, col, "not allowed on an internal registration")
            if counts:
                err(reg_file, i, "tg", "counts on an internal registration")
        else:
            err(reg_file, i, "kind", "unknown kind")
    for (a, ds), (total, last) in sorted(day_total.items(), key=lambda x: x[1][1]):
        if total > 1440:
            err(reg_file, last, "minutes", "advisor %s has %d minutes on %s (at most 1440)" % (a, total, ds))
    # pd_spend
    seen = {}
    for i, r in rows(d, "pd_spend.csv"):
        dupkey("pd_spend.csv", i, (r["advisor"], r["school_year"], r["date"], r.get("description", "")), seen)
        if r["advisor"] not in advisors:
            err("pd_spend.csv", i, "advisor", "unknown advisor")
        y = school_year("pd_spend.csv", i, "school_year", r["school_year"])
        day = date_or_none("pd_spend.csv", i, "date", r["date"])
        if y is not None and day and not (dt.date(y, 9, 1) <= day <= dt.date(y + 1, 8, 31)):
            err("pd_spend.csv", i, "date", "outside school year %s" % r["school_year"])
        number("pd_spend.csv", i, "amount_eur", r["amount_eur"], minimum=0)

    for e in errors[:200]:
        print(e)
    if len(errors) > 200:
        print("... and %d more" % (len(errors) - 200))
    print("check-dataset: %s: %d registrations (%d client, %d internal), %d problems"
          % (d, n_client + n_internal, n_client, n_internal, len(errors)))
    sys.exit(1 if errors else 0)


main()
