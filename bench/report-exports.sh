#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
#
# Export time and peak memory of the human report formats (xlsx, pdf, html, csv-tables)
# on the generated benchmark dataset: each format for a 5-year report, and the peak RSS
# of 1 year against 5 years (the writers stream rows, so memory should not grow with the
# report). Writes the results into docs/PERFORMANCE.md between the bench:exports
# markers. Not part of CI.
#
# usage: bench/report-exports.sh [--registrations N] [--no-doc]
# Builds nothing: expects build/bereik (or $BEREIK_BIN), python3 and /usr/bin/time.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BEREIK_BIN:-$top/build/bereik}
registrations=1000000
write_doc=1
while [ $# -gt 0 ]; do
  case "$1" in
    --registrations) registrations=$2; shift 2 ;;
    --no-doc) write_doc=0; shift ;;
    *) sed -n '11p' "$0" >&2; exit 2 ;;
  esac
done
[ -x "$bin" ] || { echo "report-exports.sh: $bin not found: build it first" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bereik-exports.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
log() { echo "report-exports.sh: $*" >&2; }

log "generating $registrations registrations"
python3 "$top/bench/gen-dataset.py" --registrations "$registrations" --years 5 --first-year 2020 --seed 1 "$tmp/data" >/dev/null
"$bin" --db "$tmp/b.db" init
log "import"
"$bin" --db "$tmp/b.db" import "$tmp/data" >/dev/null

# run NAME ARGS...: sets SEC and RSS (MB)
run() {
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -v -o "$tmp/time.txt" "$bin" --db "$tmp/b.db" report "$@" >/dev/null
  t1=$(date +%s%N)
  SEC=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  RSS=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$tmp/time.txt")
}
size_of() { du -sk "$1" | awk '{ printf "%d KB", $1 }'; }
rows=""
for fmt in csv xlsx pdf html csv-tables; do
  out="$tmp/r5.$fmt"
  [ "$fmt" = csv ] && args=(--format csv -o "$out") || args=(--format "$fmt" -o "$out")
  run --years 2020-2021..2024-2025 "${args[@]}"
  s5=$SEC r5=$RSS z5=$(size_of "$out")
  out1="$tmp/r1.$fmt"
  [ "$fmt" = csv ] && args=(--format csv -o "$out1") || args=(--format "$fmt" -o "$out1")
  run --years 2024-2025 "${args[@]}"
  log "$fmt: 5 years ${s5} s, ${r5} MB, $z5; 1 year ${SEC} s, ${RSS} MB"
  label=$fmt
  [ "$fmt" = csv ] && label="csv (facts, for comparison)"
  rows+="| $label | $s5 s | $r5 MB | $z5 | $SEC s | $RSS MB |"$'\n'
done
pages=$(pdfinfo "$tmp/r5.pdf" 2>/dev/null | awk '/^Pages/ { print $2 }')
institutions=$(awk -F, 'NR > 1' "$tmp/data/institutions.csv" | wc -l)

if [ "$write_doc" = 1 ]; then
  commit=$(git -C "$top" rev-parse --short HEAD)
  [ -z "$(git -C "$top" status --porcelain | head -1)" ] || commit="$commit, with uncommitted changes"
  section="<!-- bench:exports:begin -->
## Report exports

\`bench/report-exports.sh\` on $(date -u +'%Y-%m-%d %H:%M UTC'), commit $commit, $(nproc) CPUs: the
generated dataset of $registrations registrations (5 school years, seed 1, $institutions institutions). Each
time is one run of \`bereik report --years ... --format F -o OUT\` (computing the facts included,
wall clock); peak RSS from \`/usr/bin/time -v\`. The 5-year PDF has $pages pages.

| format | 5 years | peak RSS | output | 1 year | peak RSS |
| --- | --- | --- | --- | --- | --- |
${rows}
Compare each format with the facts row (csv) of the same years: that is the facts
computation alone, whose memory grows with the years and the reference data. What a writer
adds on top stays small and does not grow with the rows, because rows are written as the
model produces them (XLSX in libxlsxwriter's constant-memory mode, the PDF page by page, HTML
table by table); the PDF's extra is cairo, pango and the fonts.
<!-- bench:exports:end -->"
  SECTION=$section python3 - "$top/docs/PERFORMANCE.md" <<'EOF'
import os, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
B, E = "<!-- bench:exports:begin -->", "<!-- bench:exports:end -->"
new = os.environ["SECTION"]
if B in s and E in s:
    s = s[:s.index(B)] + new + s[s.index(E) + len(E):]
else:
    h = s.index("## History")
    s = s[:h] + new + "\n\n" + s[h:]
open(p, "w", encoding="utf-8").write(s)
EOF
  log "updated docs/PERFORMANCE.md"
fi
