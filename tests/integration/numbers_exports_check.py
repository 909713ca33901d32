#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Checks of numbers_exports.sh: the XLSX's empty cells, autofilters and print set-up;
the PDF's first page of indicators against the fixture's expected facts; the five-year
FTE headers. usage: numbers_exports_check.py FIXTURE_DIR XLSX PAGE1_TXT FIVE_YEAR_TXT"""
import csv
import re
import sys
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
from openpyxl.utils import get_column_letter

fixture, xlsx_path, page1_path, five_path = sys.argv[1:5]
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok", name)
    else:
        failed += 1
        print("FAIL", name, detail)


# ---------------------------------------------------------------- XLSX
wb = openpyxl.load_workbook(xlsx_path)
for ws in wb.worksheets[1:]:
    n_cols = ws.max_column - 1  # the label column and the number columns
    dashes = [c.coordinate for row in ws.iter_rows(min_row=4) for c in row[1:] if c.value == "\u2013"]
    check("xlsx %s: no '–' text in the number columns" % ws.title, not dashes, str(dashes[:5]))
    want = "A3:%s%d" % (get_column_letter(ws.max_column), ws.max_row)
    check("xlsx %s: autofilter %s" % (ws.title, want), ws.auto_filter.ref == want, repr(ws.auto_filter.ref))
    ps = ws.page_setup
    check("xlsx %s: A4" % ws.title, str(ps.paperSize) == "9", repr(ps.paperSize))
    check("xlsx %s: %s" % (ws.title, "landscape" if n_cols > 6 else "portrait"),
          (ps.orientation == "landscape") == (n_cols > 6), repr(ps.orientation))
    check("xlsx %s: one page wide" % ws.title,
          ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
          # fitToWidth is left out when 1, its default in OOXML
          and str(ps.fitToWidth or 1) == "1" and str(ps.fitToHeight) == "0", "%r %r" % (ps.fitToWidth, ps.fitToHeight))
    check("xlsx %s: title and header rows on every page" % ws.title, ws.print_title_rows.replace("$", "") == "1:3",
          repr(ws.print_title_rows))
# the FTE sheet of the fixture has absent coloured FTE: empty cells there
fte = wb["FTE"]
empty = [c for row in fte.iter_rows(min_row=4) for c in row[1:] if c.value is None]
check("xlsx FTE: absent values are empty cells", len(empty) > 0)

# ---------------------------------------------------------------- PDF page 1
facts = {}
with open("%s/expected-facts.csv" % fixture, newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        facts[(r["table"], r["year"], r["row"], r["col"])] = float(r["value"])
names = {}
with open("%s/target_groups.csv" % fixture, newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        names[r["code"]] = r["name"]
year = "2024-2025"


def pct(v):
    return "%s%%" % Decimal(repr(v * 100)).quantize(Decimal(1), ROUND_HALF_UP)


def num(v):
    return "{:,}".format(int(Decimal(repr(v)).quantize(Decimal(1), ROUND_HALF_UP))).replace(",", ".")


def status(actual, target):  # DOMAIN.md 4, against the yearly target (a finished year)
    return "op koers" if actual >= target else "let op" if actual >= 0.9 * target else "achter"


want = []
for name, key, target in (("FTE-realisatie", ("fte", year, "total_all", "realization_pct"), 1.0),
                          ("Bereik van instellingen", ("reach", year, "total", "reach_pct"), 1.0),
                          ("Klasvloercontext (KLV%)", ("klv", year, "total", "klv_pct"), 0.6)):
    v = facts[key]
    want.append((name, [pct(v), pct(target), status(v, target)]))
for code, name in names.items():
    t = facts.get(("target_groups", year, code, "target"))
    if t is None:
        continue
    v = facts.get(("target_groups", year, code, "reach"), 0.0)
    want.append(("Bereik per doelgroep: " + name, [num(v), num(t), status(v, t)]))
page1 = open(page1_path, encoding="utf-8").read()
check("pdf page 1: the indicators of %s" % year, "De vier indicatoren, schooljaar %s" % year in page1, page1[:300])
lines = [re.sub(r"\s{2,}", "  ", l.strip()) for l in page1.splitlines()]
for name, cells in want:
    line = "  ".join([name] + cells)
    check("pdf page 1: %s" % line, line in lines, str([l for l in lines if l.startswith(name)]))

# ---------------------------------------------------------------- five years
five = open(five_path, encoding="utf-8").read()
page = next((p for p in five.split("\f") if p.lstrip().startswith("FTE per pijler en project")), "")
head = page.split("Pijler", 1)[0]
check("pdf five years: the FTE table with its five years",
      all(y in head for y in ("2023-2024", "2024-2025", "2025-2026", "2026-2027", "2027-2028")), head[:400])
glued = re.findall(r"\S*[a-z](?:Voorziene|Gerealise|Gekleurde)\S*", head)
check("pdf five years: no header runs into the next", not glued, str(glued[:5]))

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
