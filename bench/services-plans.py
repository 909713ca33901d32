#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Summarise the plans auto_explain logged for one `bereik report` in two databases.

usage: services-plans.py LABEL_A LOG_A LABEL_B LOG_B [--top N] [--md FILE]
       services-plans.py --explain TABLE < EXPLAIN-JSON

Each LOG is the part of a PostgreSQL server log written while one report ran, with
auto_explain (log_analyze, log_buffers, log_format json, log_min_duration 0). The
statements of both logs are matched by their text (whitespace folded) and printed as
a Markdown table, slowest in A first: time and shared buffers (hit + read) in each, and
how A's plan reaches the large tables (scan type, index, rows). A sequential scan of a
table of another service's rows shows there as "Seq Scan" with the rows the row-level
security filter removed. Totals over all statements close the table.

With --explain: one line about the plan (EXPLAIN (FORMAT JSON)) on standard input: its top
node with its join filter or hash condition, and how it reads TABLE (scan, index, index
condition, estimated rows).
"""
import json
import re
import sys

PREFIX = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[\d+\] ")
# the policy's bereik_current_service(), inlined by the planner
CURRENT = re.compile(r"\(NULLIF\(current_setting\('bereik\.service'::text, true\), ''::text\)\)::bigint")
HEAD = re.compile(r"LOG:\s+duration: ([0-9.]+) ms\s+plan:\s*$")


def blocks(path):
    """(duration ms, plan dict) for every auto_explain entry of the log."""
    out, cur = [], None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if PREFIX.match(line):
                if cur:
                    out.append(cur)
                    cur = None
                m = HEAD.search(line)
                if m:
                    cur = [float(m.group(1)), []]
            elif cur is not None:
                cur[1].append(line)
    if cur:
        out.append(cur)
    res = []
    for ms, lines in out:
        text = "".join(lines)
        try:
            res.append((ms, json.loads(text)))
        except ValueError:
            continue
    return res


def norm(q):
    """The statement's text with whitespace folded and the cursor's name left out."""
    q = re.sub(r"\s+", " ", q or "").strip()
    return re.sub(r"^DECLARE bereik_\d+ NO SCROLL CURSOR FOR ", "", q)


def walk(node, acc):
    acc.append(node)
    for child in node.get("Plans", []):
        walk(child, acc)
    return acc


def buffers(plan):
    p = plan["Plan"]
    return p.get("Shared Hit Blocks", 0) + p.get("Shared Read Blocks", 0)


def scans(plan, min_rows):
    """The scan nodes of the plan on tables, as short strings."""
    out = []
    for n in walk(plan["Plan"], []):
        t = n.get("Node Type", "")
        if "Scan" not in t or "Relation Name" not in n:
            continue
        rows = n.get("Actual Rows", 0) * max(1, n.get("Actual Loops", 1))
        removed = n.get("Rows Removed by Filter", 0) * max(1, n.get("Actual Loops", 1))
        if rows < min_rows and removed < min_rows and t.startswith("Index"):
            continue
        s = f"{t} on {n['Relation Name']}"
        if n.get("Index Name"):
            s += f" using {n['Index Name']}"
        cond = n.get("Index Cond") or n.get("Recheck Cond")
        if cond:
            cond = re.sub(r"\s+", " ", cond)
            cond = CURRENT.sub("current service", cond)
            s += f" ({cond[:90]}{'…' if len(cond) > 90 else ''})"
        s += f": {rows:,} rows"
        if removed:
            s += f", {removed:,} removed by filter"
        out.append(s)
    return out


def group(entries):
    """Statements by text: [count, total ms, total buffers, first plan]."""
    g = {}
    for ms, plan in entries:
        q = norm(plan.get("Query Text"))
        e = g.setdefault(q, [0, 0.0, 0, plan])
        e[0] += 1
        e[1] += ms
        e[2] += buffers(plan)
    return g


def explain(table):
    plan = json.loads(sys.stdin.read())[0]["Plan"]
    nodes = walk(plan, [])
    out = plan["Node Type"] + (f" ({plan['Join Type']} join)" if plan.get("Join Type") else "")
    for key, label in (("Join Filter", "join filter"), ("Hash Cond", "hash condition"), ("Merge Cond", "merge condition")):
        if plan.get(key):
            out += f"; {label} {CURRENT.sub('current service', plan[key])}"
    for n in nodes:
        if n.get("Relation Name") == table:
            cond = CURRENT.sub("current service", n.get("Index Cond", "none"))
            out += f"; {table} by {n['Node Type']} using {n.get('Index Name', '-')}, index condition {cond}, {n.get('Plan Rows')} rows estimated"
    print(out)


def main():
    args = sys.argv[1:]
    if args[:1] == ["--explain"] and len(args) == 2:
        explain(args[1])
        return
    top, md = 12, None
    if "--top" in args:
        i = args.index("--top")
        top = int(args[i + 1])
        del args[i : i + 2]
    if "--md" in args:
        i = args.index("--md")
        md = args[i + 1]
        del args[i : i + 2]
    if len(args) != 4:
        sys.exit(__doc__)
    la, pa, lb, pb = args
    a, b = group(blocks(pa)), group(blocks(pb))
    if not a:
        sys.exit(f"services-plans.py: no auto_explain plans in {pa}")
    rows = sorted(a.items(), key=lambda kv: -kv[1][1])
    lines = [
        f"| statement (as sent; `$n` are parameters) | runs | {la}: ms | {la}: buffers | {lb}: ms | {lb}: buffers | scans in {la} |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    seq_big = []
    for q, (cnt, ms, buf, plan) in rows[:top]:
        o = b.get(q)
        short = q if len(q) <= 110 else q[:107] + "…"
        short = short.replace("|", "\\|").replace("`", "'")
        how = "; ".join(scans(plan, 1000)) or "small index lookups only"
        lines.append(
            f"| `{short}` | {cnt} | {ms:.1f} | {buf:,} | {o[1]:.1f} | {o[2]:,} | {how.replace('|', '/')} |"
            if o
            else f"| `{short}` | {cnt} | {ms:.1f} | {buf:,} | - | - | {how.replace('|', '/')} |"
        )
    for q, (cnt, ms, buf, plan) in rows:
        for n in walk(plan["Plan"], []):
            if n.get("Node Type") == "Seq Scan" and n.get("Rows Removed by Filter", 0) >= 10000:
                seq_big.append(f"{n['Relation Name']} ({n['Rows Removed by Filter']:,} rows removed by filter)")
    ta = (sum(v[0] for v in a.values()), sum(v[1] for v in a.values()), sum(v[2] for v in a.values()))
    tb = (sum(v[0] for v in b.values()), sum(v[1] for v in b.values()), sum(v[2] for v in b.values()))
    lines.append(
        f"| all {len(a)} statements ({ta[0]} runs; {lb}: {len(b)}, {tb[0]} runs) | | **{ta[1]:.1f}** | **{ta[2]:,}** | **{tb[1]:.1f}** | **{tb[2]:,}** | |"
    )
    lines.append("")
    if seq_big:
        lines.append(f"Sequential scans in {la} that skipped 10,000 rows or more: " + ", ".join(sorted(set(seq_big))) + ".")
    else:
        lines.append(f"No statement of {la} scanned a table sequentially past 10,000 rows of other services.")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if md:
        with open(md, "w", encoding="utf-8") as f:
            f.write(text)
    # one line for the summary: totals
    sys.stderr.write(f"plans: {la} {ta[0]} statements {ta[1]:.1f} ms {ta[2]} buffers; {lb} {tb[0]} statements {tb[1]:.1f} ms {tb[2]} buffers; seq scans past 10k: {len(set(seq_big))}\n")


if __name__ == "__main__":
    main()
