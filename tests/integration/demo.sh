#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# bereik demo, relative to today: the school years from 2023-2024 up to the current one,
# which ends today (BEREIK_TODAY, else today in Europe/Brussels); no registration after
# today; every working day of the current week up to today has a registration of the
# demo advisor (BC, login begeleider), so that Mijn week is not empty; at most 1440
# minutes per advisor per day (as author or co-advisor) and the other bounds of a
# registration; the oldest year locked; the same seed and today give the same data; a bad
# BEREIK_TODAY is refused. Checked on the exported dataset, on the engine of engine.sh.
# usage: demo.sh BEREIK_BIN
set -u
bin=${1:?usage: demo.sh BEREIK_BIN}
. "$(dirname "$0")/engine.sh"
tmp=$(mktemp -d)
trap 'engine_cleanup; rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
check() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "expected '$2', got '$3'"; fi; }
echo "engine: $ENGINE"

# demo NAME TODAY SEED: a demo database exported into $tmp/NAME ("" TODAY: the real today)
demo() {
  local db
  db=$(engine_new_db "$tmp" "$1") || return 1
  BEREIK_TODAY=$2 "$bin" --db "$db" demo --seed "$3" >/dev/null 2>"$tmp/$1.err" &&
    "$bin" --db "$db" export "$tmp/$1" >/dev/null 2>&1
}

# properties DIR TODAY MONDAY: one line per property of the exported dataset
properties() {
  python3 - "$@" <<'EOF'
import csv, re, sys
from collections import defaultdict
d, today, monday = sys.argv[1:4]
rows = list(csv.DictReader(open(f"{d}/registrations.csv", encoding="utf-8-sig")))
dates = [r["date"] for r in rows]
print("max date", max(dates))
print("after today", sum(1 for x in dates if x > today))
per_day = defaultdict(int)
for r in rows:
    for a in r["advisors"].split("|"):
        per_day[(a, r["date"])] += int(r["minutes"])
print("over 1440 a day", sum(1 for v in per_day.values() if v > 1440))
print("minutes out of 1..1440", sum(1 for r in rows if not 1 <= int(r["minutes"]) <= 1440))
heads = [int(v) for r in rows for k, v in r.items() if k.startswith("tg.") and v]
print("head counts over 10000", sum(1 for v in heads if v > 10000))
print("bad ids", sum(1 for r in rows if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", r["id"])))
bc = sorted({r["date"] for r in rows if "BC" in r["advisors"].split("|") and monday <= r["date"] <= today})
print("BC this week", " ".join(bc))
settings = list(csv.DictReader(open(f"{d}/settings.csv", encoding="utf-8-sig")))
print("years", " ".join(s["school_year"] for s in settings))
print("locked", " ".join(s["school_year"] for s in settings if s["locked"] == "true"))
EOF
}
prop() { grep "^$2 " <<<"$1" | sed "s/^$2 //"; }

# ---- a Friday: the whole week; the current school year 2026-2027 up to that day ----
if demo fri 2026-12-04 1; then
  p=$(properties "$tmp/fri" 2026-12-04 2026-11-30)
  check "Friday: the last registration is today" "2026-12-04" "$(prop "$p" "max date")"
  check "Friday: no registration after today" "0" "$(prop "$p" "after today")"
  check "Friday: BC has every working day of this week" "2026-11-30 2026-12-01 2026-12-02 2026-12-03 2026-12-04" \
    "$(prop "$p" "BC this week")"
  check "Friday: school years 2023-2024 up to the current one" "2023-2024 2024-2025 2025-2026 2026-2027" \
    "$(prop "$p" "years")"
  check "Friday: the oldest year is locked" "2023-2024" "$(prop "$p" "locked")"
  check "Friday: no advisor over 1440 minutes a day" "0" "$(prop "$p" "over 1440 a day")"
  check "Friday: minutes 1..1440" "0" "$(prop "$p" "minutes out of 1..1440")"
  check "Friday: head counts at most 10000" "0" "$(prop "$p" "head counts over 10000")"
  check "Friday: ids of [A-Za-z0-9._-]{1,64}" "0" "$(prop "$p" "bad ids")"
else
  fail "demo with BEREIK_TODAY=2026-12-04" "$(cat "$tmp/fri.err")"
fi

# ---- a Wednesday early in a school year: three years, this week Monday to Wednesday ----
if demo wed 2025-10-15 1; then
  p=$(properties "$tmp/wed" 2025-10-15 2025-10-13)
  check "Wednesday: the last registration is today" "2025-10-15" "$(prop "$p" "max date")"
  check "Wednesday: no registration after today" "0" "$(prop "$p" "after today")"
  check "Wednesday: BC has Monday to Wednesday" "2025-10-13 2025-10-14 2025-10-15" "$(prop "$p" "BC this week")"
  check "Wednesday: school years 2023-2024 up to 2025-2026" "2023-2024 2024-2025 2025-2026" "$(prop "$p" "years")"
  check "Wednesday: no advisor over 1440 minutes a day" "0" "$(prop "$p" "over 1440 a day")"
else
  fail "demo with BEREIK_TODAY=2025-10-15" "$(cat "$tmp/wed.err")"
fi

# ---- the same seed and today: the same data; another seed: other data ----
if demo fri2 2026-12-04 1 && demo fri3 2026-12-04 2; then
  if diff -r "$tmp/fri" "$tmp/fri2" >/dev/null; then ok "same seed and today: the same dataset"; else
    fail "same seed and today: the same dataset" "the exports differ"; fi
  if ! cmp -s "$tmp/fri/registrations.csv" "$tmp/fri3/registrations.csv"; then ok "another seed: other registrations"; else
    fail "another seed: other registrations" "identical"; fi
else
  fail "demo twice" "$(cat "$tmp/fri2.err" "$tmp/fri3.err" 2>/dev/null)"
fi

# ---- without BEREIK_TODAY: today in Europe/Brussels ----
if [ -e /usr/share/zoneinfo/Europe/Brussels ]; then
  before=$(TZ=Europe/Brussels date +%F)
  if demo now "" 1; then
    after=$(TZ=Europe/Brussels date +%F)
    p=$(properties "$tmp/now" "$after" "$after")
    last=$(prop "$p" "max date")
    if [ "$(TZ=Europe/Brussels date +%u)" -le 5 ]; then want="$before or $after"; else want="the last Friday"; fi
    if [ "$last" = "$before" ] || [ "$last" = "$after" ] ||
      { [ "$(TZ=Europe/Brussels date +%u)" -gt 5 ] && [ "$last" = "$(TZ=Europe/Brussels date -d 'last friday' +%F)" ]; }; then
      ok "without BEREIK_TODAY the demo ends today in Europe/Brussels ($last)"
    else
      fail "without BEREIK_TODAY the demo ends today in Europe/Brussels" "expected $want, got $last"
    fi
    check "without BEREIK_TODAY: no registration after today" "0" "$(prop "$p" "after today")"
  else
    fail "demo without BEREIK_TODAY" "$(cat "$tmp/now.err")"
  fi
else
  echo "(no tzdata: the check of the real today is left out)"
fi

# ---- a bad BEREIK_TODAY: exit 1, the variable named, no demo data ----
db=$(engine_new_db "$tmp" bad)
out=$(BEREIK_TODAY=2026-02-30 "$bin" --db "$db" demo --seed 1 2>&1)
check "a bad BEREIK_TODAY: exit status 1" "1" "$?"
check "a bad BEREIK_TODAY: the message" "bereik: BEREIK_TODAY '2026-02-30': expected a date YYYY-MM-DD" "$out"
check "a bad BEREIK_TODAY: no registration written" "0" "$(engine_sql "$db" 'SELECT COUNT(*) FROM registration')"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
