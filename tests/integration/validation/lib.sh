# SPDX-License-Identifier: EUPL-1.2
# shellcheck shell=bash
#
# Helpers for the patch.sh and setup.sh scripts of the validation cases.
# run.sh exports VLIB (this file), FIXTURE (the valid dataset folder), and for
# setup.sh also BEREIK (the binary) and DB (the database file).
#
# Every helper edits a file of the current directory in place. Line numbers are
# 1-based physical lines (the header is line 1). Cells are plain CSV: the
# helpers that work on columns use Python's csv module and rewrite only the
# lines they change, so the untouched rows stay byte for byte the same.

# append_row FILE ROW... -- append each ROW as one LF-terminated line.
append_row() {
	local f=$1
	shift
	printf '%s\n' "$@" >>"$f"
}

# replace_line FILE N TEXT -- replace physical line N by TEXT.
replace_line() {
	T=$3 awk -v n="$2" 'NR == n { print ENVIRON["T"]; next } { print }' "$1" >"$1.tmp" &&
		mv "$1.tmp" "$1"
}

# delete_line FILE N -- remove physical line N.
delete_line() {
	awk -v n="$2" 'NR != n' "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}

# set_cell FILE N COLUMN VALUE -- set one cell of physical line N.
set_cell() {
	python3 - "$@" <<'PY'
import csv, io, sys
path, n, col, val = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(path, encoding="utf-8", newline="") as f:
    lines = f.read().split("\n")
header = next(csv.reader([lines[0]]))
row = next(csv.reader([lines[n - 1]]))
row[header.index(col)] = val
out = io.StringIO()
csv.writer(out, lineterminator="").writerow(row)
lines[n - 1] = out.getvalue()
with open(path, "w", encoding="utf-8", newline="") as f:
    f.write("\n".join(lines))
PY
}

# _columns FILE OP ARGS -- rewrite every line with a column dropped, renamed or added.
_columns() {
	python3 - "$@" <<'PY'
import csv, sys
path, op, args = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(path, encoding="utf-8", newline="") as f:
    rows = list(csv.reader(f))
header = rows[0]
if op == "drop":
    i = header.index(args[0])
    rows = [r[:i] + r[i + 1:] for r in rows]
elif op == "rename":
    header[header.index(args[0])] = args[1]
elif op == "add":
    rows = [rows[0] + [args[0]]] + [r + [args[1]] for r in rows[1:]]
with open(path, "w", encoding="utf-8", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows(rows)
PY
}

# drop_column FILE COLUMN -- remove a column from the header and every row.
drop_column() { _columns "$1" drop "$2"; }

# rename_column FILE OLD NEW -- rename a header cell.
rename_column() { _columns "$1" rename "$2" "$3"; }

# add_column FILE NAME [VALUE] -- add a column, every row getting VALUE (default empty).
add_column() { _columns "$1" add "$2" "${3-}"; }

# lock_year YEAR -- in ./settings.csv set locked=true on the row of school year YEAR
# (as the export of a database with that year locked would have it).
lock_year() {
	local n
	n=$(awk -F, -v y="$1" '$1 == y { print NR; exit }' settings.csv)
	[ -n "$n" ] || {
		echo "lock_year: no settings row for $1" >&2
		return 1
	}
	set_cell settings.csv "$n" locked true
}

# import_locked YEAR... -- (setup.sh) import a copy of $FIXTURE with these school
# years locked into $DB, so that they are locked before the faulty import.
import_locked() {
	local y
	rm -rf lock-src && cp -R "$FIXTURE" lock-src && chmod -R u+w lock-src || return 1
	for y in "$@"; do
		(cd lock-src && lock_year "$y") || return 1
	done
	"$BEREIK" --db "$DB" import lock-src
}
