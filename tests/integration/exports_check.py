# SPDX-License-Identifier: EUPL-1.2
"""Checks the human exports of the yearly report against the facts.

usage: exports_check.py FACTS.csv DATASET_DIR OUT_DIR YEAR...

FACTS.csv holds the facts the report must show (the fixture's expected facts, or the
facts document of the same database), followed by the impact measures of the same years
(`report --impact`, docs/IMPACT.md) for the Impact tables; DATASET_DIR the dataset files (line, target group
and sector names, which the tables use as row labels); OUT_DIR the files written by
`bereik report`: r.xlsx, r.txt (pdftotext -layout of r.pdf), r.html, csv/ (belgian),
csvp/ (plain), all.csv (csv-tables on standard output). Expected cells are computed here
from the facts with this file's own Belgian formatting; nothing is taken from the
outputs under test. Prints "ok NAME" / "FAIL NAME: why" lines and a summary.
"""
import csv
import html as htmllib
import os
import re
import sys
from decimal import Decimal, ROUND_HALF_UP

import openpyxl

facts_path, data_dir, out, *year_args = sys.argv[1:]
years = sorted(year_args, reverse=True)  # newest first

passed = failed = 0


def check(name, cond, why=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL %s: %s" % (name, why))


facts = {}
with open(facts_path, newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        if r["year"] in years:
            facts[(r["table"], r["year"], r["row"], r["col"])] = float(r["value"])


def read_csv(name):
    with open(os.path.join(data_dir, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


lines = read_csv("lines.csv")
line_name = {l["name"]: l["code"] for l in lines}
tg_name = {t["name"]: t["code"] for t in read_csv("target_groups.csv")}
groups = {s["group"] for s in read_csv("sectors.csv") if s["group"]}
goal_codes = {g["code"] for g in read_csv("goals.csv")}

# ---- the report's layout, as DOMAIN.md section 6 and the Dutch words describe it ----
SHEETS = {  # sheet or caption -> fact table
    "FTE": "fte", "Hits": "hits", "Uren klantcontact": "client_hours", "Doelgroepen": "target_groups",
    "FTE-uren en KLV": "klv", "Uren klasvloer": "klv_by_line", "Bereik instellingen": "reach",
}
IMPACT_CAPTION = "Impact per operationeel doel"  # + school year; the sheet is "Impact YYYY-YYYY"
CAPTIONS = {
    "fte": "FTE per pijler en project", "hits": "Hits per instelling",
    "client_hours": "Uren klantcontact per pijler en project", "target_groups": "Bereik per doelgroep",
    "klv": "FTE-uren en klasvloercontext", "klv_by_line": "Uren klasvloer per pijler en project",
    "reach": "Indicator 2: bereik van instellingen per groep",
}
HEADS = {
    "Voorziene FTE": "planned_fte", "Gerealiseerde FTE": "realized_fte", "Gekleurde FTE": "coloured_fte",
    "Uren": "hours", "Aandeel": "share", "Bereik": "reach", "Doel": "target", "Instellingen": "institutions",
    "Bereikt": "reached", "Fysiek": "fysiek", "Online": "online", "Hybride": "hybride",
    "Helpdesk op afstand": "helpdesk", "Walk": "walk", "Klasbezoek": "klasbezoek", "": None,
    # the Impact tables
    "Bereikte instellingen": "reached", "Actieve trajecten": "active", "Met gedeeld doel en actieplan":
        "goal_plan_share", "Verkennen": "phase_explore", "Voorbereiden": "phase_prepare", "Uitvoeren":
        "phase_deliver", "Verankeren": "phase_sustain", "Enquête korte termijn": "short_mean",
    "Enquête lange termijn": "long_mean", "Doelen gerealiseerd": "realised_share",
}
# (table, col) -> (decimals, percentage)
def fmt_of(table, col):
    if table == "impact":
        return (0, True) if col in ("goal_plan_share", "realised_share") else \
            (1, False) if col in ("short_mean", "long_mean") else (0, False)
    if col in ("share", "reach_pct", "klv_pct", "realization_pct") or table == "modality":
        return 0, True
    if table == "fte":
        return 2, False
    if col == "hours":
        return 1, False
    return 0, False


TOTALS = {
    "fte": {"Totaal zonder projecten": "total_plan", "Totaal met projecten": "total_all"},
    "client_hours": {"Totaal begeleidingsplan": "total_plan",
                     "Totaal begeleidingsplan + projecten": "total_plan_projects", "EINDTOTAAL": "total"},
    "klv_by_line": {"EINDTOTAAL": "total"},
    "hits": {"Totaal": "total"}, "target_groups": {"Totaal": "total"}, "reach": {"Totaal": "total"},
    "impact": {"Totaal": "org"},
}
TOTALS["modality"] = TOTALS["client_hours"]
KLV_ROWS = {"FTE-uren": "fte_hours", "Uren klasvloer": "klv_hours", "KLV-percentage": "klv_pct"}


def unneutral(label):
    return label[1:] if label[:2] in ("'=", "'+", "'-", "'@", "'\t") else label


def row_key(table, label):
    """The fact row of a row label, or None when the label is not one the report may show."""
    label = unneutral(label)
    if label in TOTALS.get(table, {}):
        return TOTALS[table][label]
    if table in ("fte", "client_hours", "modality", "klv_by_line"):
        return line_name.get(label)
    if table == "hits":
        if label.startswith("Hits ") and label[5:] in groups:
            return label[5:]
        m = re.fullmatch(r"(.*) \((.*)\)", label)
        return m.group(1) if m else None
    if table == "target_groups":
        return tg_name.get(label)
    if table == "reach":
        return label if label in groups else None
    if table == "impact":  # "CODE name" of an operational goal
        code = label.split(" ", 1)[0]
        return "goal:" + code if code in goal_codes else None
    return None


def be(v, decimals, pct):
    """Belgian text of a value: '.' thousands, ',' decimals, half away from zero on the
    shortest decimal form of the double."""
    d = Decimal(repr(v))
    if pct:
        d *= 100
    q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    s = "%.*f" % (decimals, abs(q))
    ip, _, dp = s.partition(".")
    ip = "{:,}".format(int(ip)).replace(",", ".")
    t = sign + ip + ("," + dp if dp else "")
    return ("0" if t in ("-0",) else t) + ("%" if pct else "")


def plain(s):
    return s.replace(".", "").replace(",", ".")


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


# ---------------------------------------------------------------------------- XLSX
wb = openpyxl.load_workbook(os.path.join(out, "r.xlsx"))
seen = set()  # facts found in a cell
expected_rows = {}  # table or modality-year -> [(label, [expected Belgian text per cell])]
info = wb["Info"]
info_text = " ".join(str(c.value) for row in info.iter_rows() for c in row if c.value is not None)
check("xlsx info sheet: title, years, definitions",
      "Jaarrapport bereik" in info_text and all(y in info_text for y in years) and "KLV-percentage" in info_text
      and "Uren klantcontact" in info_text and "Gemaakt op" in info_text, info_text[:200])
want_sheets = ["Info", "FTE", "Hits", "Uren klantcontact"] + ["Modaliteiten " + y for y in years] + [
    "Doelgroepen", "FTE-uren en KLV", "Uren klasvloer", "Bereik instellingen"] + ["Impact " + y for y in years]
check("xlsx sheets in report order", wb.sheetnames == want_sheets, str(wb.sheetnames))
for ws in wb.worksheets[1:]:
    name = ws.title
    if name.startswith("Modaliteiten "):
        table, one_year = "modality", name.split(" ", 1)[1]
    elif name.startswith("Impact "):
        table, one_year = "impact", name.split(" ", 1)[1]
    else:
        table, one_year = SHEETS[name], None
    check("xlsx %s: frozen header" % name, ws.freeze_panes == "B4", str(ws.freeze_panes))
    rows = list(ws.iter_rows())
    yrow, hrow = rows[1], rows[2]
    cols = []  # per column: (year, fact col)
    for c in range(1, len(yrow)):
        y = yrow[c].value
        h = hrow[c].value or ""
        check("xlsx %s: column %d header" % (name, c), y in years and h in HEADS, "%r %r" % (y, h))
        if one_year:
            check("xlsx %s: column %d year" % (name, c), y == one_year, y)
        col = "hits" if table == "hits" else HEADS.get(h)
        cols.append((y, "reach_pct" if table == "reach" and col == "share" else col))
    if table == "hits" or table == "klv":
        check("xlsx %s: one column per year, newest first" % name, [y for y, _ in cols] == years, str(cols))
    key_rows = []
    for r in rows[3:]:
        label = r[0].value
        cells = []
        if table == "klv":
            key, colname = "total", KLV_ROWS.get(label)
            check("xlsx klv row %r" % label, colname is not None)
        elif label == "% gepresteerd":
            key, colname = "total_all", "realization_pct"
        else:
            key, colname = row_key(table, label or ""), None
            check("xlsx %s: row %r is a known row" % (name, label), key is not None)
        if table == "klv":
            total = colname == "klv_pct"
        else:
            total = key in ("total", "total_plan", "total_all", "total_plan_projects", "org") or \
                table == "hits" and key in groups
        check("xlsx %s: row %r bold as a total" % (name, label), bool(r[0].font.b) == total,
              "bold=%s" % r[0].font.b)
        for c, (y, col) in enumerate(cols, start=1):
            fc = colname or col
            cell = r[c]
            v = cell.value
            fk = (table, y, key, fc)
            if label == "% gepresteerd" and col != "planned_fte" or table == "target_groups" and key == "total" \
                    and fc == "target":
                check("xlsx %s %r col %d empty" % (name, label, c), v is None, repr(v))
                cells.append(set())
                continue
            dec, pct = fmt_of(table, fc)
            if fk in facts:
                seen.add(fk)
            if isinstance(v, (int, float)):
                want = facts.get(fk)
                check("xlsx %s %r %s %s" % (name, label, y, fc), want is not None and close(v, want) or
                      want is None and v == 0, "cell %r, fact %r" % (v, want))
                nf = "0%" if pct else {0: "#,##0", 1: "#,##0.0", 2: "#,##0.00"}[dec]
                check("xlsx %s %r %s %s number format" % (name, label, y, fc), cell.number_format == nf,
                      cell.number_format)
            else:
                check("xlsx %s %r %s %s absent (an empty cell)" % (name, label, y, fc), v is None and facts.get(fk, 0) == 0,
                      "cell %r, fact %r" % (v, facts.get(fk)))
            # an absent fact reads as 0 (DATA-FORMAT.md 2): "–" or a formatted zero
            cells.append({be(facts[fk], dec, pct)} if fk in facts else {"\u2013", be(0.0, dec, pct)})
        key_rows.append((label, cells))
    expected_rows[name] = key_rows

# every fact the report shows is in a cell
shown = {"fte": {"planned_fte", "realized_fte", "coloured_fte"}, "hits": {"hits"},
         "client_hours": {"hours", "share"}, "modality": None, "target_groups": {"reach", "target"},
         "klv_by_line": {"hours", "share"}, "reach": {"institutions", "reached", "reach_pct"}}
missing = []
for k, v in facts.items():
    t, y, row, col = k
    if v == 0 or k in seen:
        continue
    if t in shown and (shown[t] is None or col in shown[t]) and not (t == "target_groups" and row == "total"
                                                                    and col == "target") \
            or (t, row, col) == ("fte", "total_all", "realization_pct") \
            or t == "klv" and row == "total" and col in KLV_ROWS.values() \
            or t == "target_groups" and row == "total" and col == "reach":
        missing.append(k)
check("xlsx: every fact of the report's tables is in a cell", not missing, str(missing[:10]))

# ---------------------------------------------------------------------------- PDF text
pdf = open(os.path.join(out, "r.txt"), encoding="utf-8").read()
pages = pdf.split("\f")


def table_pages(caption):
    got = []
    for p in pages:
        first = next((l.strip() for l in p.splitlines() if l.strip()), "")
        if first == caption or first == caption + " (vervolg)":
            got.append(p)
    return got


for name, rows in expected_rows.items():
    caption = "Modaliteiten (aandeel van uren klantcontact) " + name.split(" ", 1)[1] \
        if name.startswith("Modaliteiten ") else IMPACT_CAPTION + " " + name.split(" ", 1)[1] \
        if name.startswith("Impact ") else CAPTIONS.get(SHEETS.get(name))
    tp = table_pages(caption)
    check("pdf %s: page with caption %r" % (name, caption), tp)
    text_lines = [l.strip() for p in tp for l in p.splitlines()]
    for label, cells in rows:
        label = unneutral(label)
        want = [c for c in cells if c]
        cand = [l for l in text_lines if l.startswith(label + " ") or l == label]

        def matches(tokens):
            return len(tokens) == len(want) and all(t in w for t, w in zip(tokens, want))

        # the row's line holds its numbers in order
        ok = any(matches(l[len(label):].split()) for l in cand)
        check("pdf %s row %r: %s" % (name, label, want), ok, "lines: %r" % cand[:3])

# ---------------------------------------------------------------------------- CSV tables
def read_tables(path, sep):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f, delimiter=sep))


csv_files = sorted(os.listdir(os.path.join(out, "csv")))
check("csv-tables: one file per table", len(csv_files) == len(expected_rows), str(csv_files))
for style, folder, sep in (("belgian", "csv", ";"), ("plain", "csvp", ",")):
    for fname, (name, rows) in zip(sorted(os.listdir(os.path.join(out, folder))), expected_rows.items()):
        got = read_tables(os.path.join(out, folder, fname), sep)
        body = got[2:]
        check("csv %s %s: rows" % (style, fname), len(body) == len(rows), "%d vs %d" % (len(body), len(rows)))
        for g, (label, cells) in zip(body, rows):
            want = [c or {""} for c in cells]
            if style == "plain":
                want = [{plain(x) if not x.endswith("%") else x.replace(",", ".") for x in c} for c in want]
            ok = g[0] == label and len(g) == len(want) + 1 and all(x in w for x, w in zip(g[1:], want))
            check("csv %s %s row %r" % (style, fname, label), ok, "%r vs %r" % (g, want))
all_csv = open(os.path.join(out, "all.csv"), encoding="utf-8-sig", newline="").read()
joined = "".join(open(os.path.join(out, "csv", f), encoding="utf-8-sig", newline="").read() + "\r\n"
                 for f in csv_files)
check("csv-tables on standard output: the tables one after another", all_csv == joined[:-2])

# neutralised labels: a line name that starts with = + - @ is written with an apostrophe
for l in lines:
    n = l["name"]
    if n[:1] in "=+-@\t" and n:
        found_csv = any(("'" + n) in open(os.path.join(out, "csv", f), encoding="utf-8-sig").read() for f in csv_files)
        check("csv neutralises %r" % n, found_csv)
        cells = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
        check("xlsx neutralises %r" % n, ("'" + n) in cells and n not in cells)

# ---------------------------------------------------------------------------- HTML
html = open(os.path.join(out, "r.html"), encoding="utf-8").read()
urls = re.findall(r"https?://[^\s\"'<>)]*", html)
check("html: self-contained (no external URL, link, script or image source)",
      all(u == "http://www.w3.org/2000/svg" for u in urls) and not re.search(r"\b(src|href)=|url\(|@import", html),
      str(urls[:5]))
check("html: inline style and SVG charts", "<style>" in html and html.count("<svg") >= 4)
TABLE_IDS = {"FTE": "fte", "Hits": "hits", "Uren klantcontact": "client_hours", "Doelgroepen": "target_groups",
             "FTE-uren en KLV": "klv", "Uren klasvloer": "klv_by_line", "Bereik instellingen": "reach"}
for name, rows in expected_rows.items():
    tid = TABLE_IDS.get(name) or ("impact-" if name.startswith("Impact ") else "modality-") + \
        name.split(" ", 1)[1][:4]
    m = re.search(r'<table id="%s">(.*?)</table>' % re.escape(tid), html, re.S)
    check("html table %s" % tid, m is not None)
    body = m.group(1).split("<tbody>", 1)[1] if m else ""
    got_rows = [(htmllib.unescape(l), re.findall(r"<td[^>]*>([^<]*)</td>", tds))
                for l, tds in re.findall(r'<th scope="row">([^<]*)</th>((?:<td[^>]*>[^<]*</td>)*)</tr>', body)]
    check("html %s: rows" % name, [l for l, _ in got_rows] == [unneutral(l) for l, _ in rows], str(got_rows[:3]))
    for (label, cells), (_, got) in zip(rows, got_rows):
        ok = len(got) == len(cells) and all(g in (c or {""}) for g, c in zip(got, cells))
        check("html %s row %r" % (name, label), ok, "%r vs %r" % (got, cells))

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
