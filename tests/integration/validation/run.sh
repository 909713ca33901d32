#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
#
# Validation suite of `bereik import` (spec/DATA-FORMAT.md section 1): every bad
# input is refused with exit status 1 and a `FILE:LINE: column: message` line on
# stderr, and nothing is written.
#
# usage: run.sh BEREIK_BIN SHARED_DIR [PATTERN...]
#
#   BEREIK_BIN  the binary, e.g. build/bereik
#   SHARED_DIR  the shared folder with fixtures/small and tools/facts-diff
#   PATTERN     optional shell patterns; only cases whose name matches one run
#
# Environment: KEEP=1 keeps the work folder of every failed case (its path is
# printed); BEREIK_TIMEOUT (default 60) limits each command, in seconds.
#
# Negative cases live in cases/NAME/ (see README.md next to this script). For
# each: a fresh SQLite database gets the valid fixture imported, then the
# optional setup.sh runs, then the database dump and the facts are recorded;
# the fixture with patch.sh applied is imported and must fail with exit 1, the
# expected error line, and an unchanged dump and facts.
#
# Positive cases live in positive/NAME/ (same files; expect says `unchanged`:
# exit 0 and the same data and facts, or `imported`: exit 0).
#
# Prints `ok NAME` or `FAIL NAME: reason` per case and a last line
# `N passed, N failed`; exits 1 when any case failed, 2 on usage errors.

set -u

usage() {
	sed -n '8,12p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

[ $# -ge 2 ] || usage
if [ ! -f "$1" ] || [ ! -x "$1" ]; then
	echo "run.sh: $1: no such executable" >&2
	exit 2
fi
[ -d "$2/fixtures/small" ] || {
	echo "run.sh: $2: no fixtures/small in it" >&2
	exit 2
}
for tool in sqlite3 python3 awk cmp diff sort; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "run.sh: $tool is required" >&2
		exit 2
	}
done

BEREIK=$(cd "$(dirname "$1")" && printf '%s/%s' "$(pwd -P)" "$(basename "$1")")
SHARED=$(cd "$2" && pwd -P)
HERE=$(cd "$(dirname "$0")" && pwd -P)
shift 2
FIXTURE=$SHARED/fixtures/small
FACTS_DIFF=$SHARED/tools/facts-diff
VLIB=$HERE/lib.sh
export BEREIK FIXTURE VLIB

TIMEOUT=()
if command -v timeout >/dev/null 2>&1; then
	TIMEOUT=(timeout "${BEREIK_TIMEOUT:-60}")
fi

passed=0
failed=0
W= # work folder of the current case
DBREF= # database of the current case (file or postgresql:// URI, see engine.sh)
. "$(dirname "$0")/../engine.sh"
echo "engine: $ENGINE"
trap 'engine_cleanup; if [ -n "$W" ]; then rm -rf "$W"; fi; exit 130' INT TERM

selected() {
	local pat
	[ $# -ge 2 ] || return 0
	local name=$1
	shift
	for pat in "$@"; do
		# shellcheck disable=SC2254
		case $name in $pat) return 0 ;; esac
	done
	return 1
}

# bereik ARGS... -- the binary on the case's database.
bereik() {
	${TIMEOUT[@]+"${TIMEOUT[@]}"} "$BEREIK" --db "$DBREF" "$@"
}

# excerpt [N] -- the first N (default 5) lines of stdin, indented, for a failure report.
excerpt() {
	head -n "${1:-5}" | sed 's/^/#     /'
}

# copy_fixture DEST -- a writable copy of the valid dataset.
copy_fixture() {
	cp -R "$FIXTURE" "$1" && chmod -R u+w "$1"
}

# facts FILE -- write the facts of the case's database to FILE.
facts() {
	bereik report --format csv -o "$1" >"$W/report.out" 2>"$W/report.err"
}

# facts_diff BEFORE AFTER -- compare two facts files with the shared tool.
facts_diff() {
	if [ -x "$FACTS_DIFF" ]; then
		"$FACTS_DIFF" "$1" "$2"
	else
		python3 "$FACTS_DIFF" "$1" "$2"
	fi
}

# prepare DIR -- database with the fixture imported, setup.sh run, state
# recorded, and the patched dataset in $W/data. On failure prints the reason.
prepare() {
	local dir=$1 rc
	copy_fixture "$W/base" || {
		echo "harness: cannot copy the fixture"
		return 1
	}
	bereik init >"$W/init.out" 2>"$W/init.err"
	rc=$?
	[ $rc -eq 0 ] || {
		echo "binary: init failed (exit $rc)"
		excerpt <"$W/init.err"
		return 1
	}
	bereik import "$W/base" >"$W/base.out" 2>"$W/base.err"
	rc=$?
	[ $rc -eq 0 ] || {
		echo "binary: import of the valid fixture failed (exit $rc)"
		excerpt <"$W/base.err"
		return 1
	}
	if [ -f "$dir/setup.sh" ]; then
		(cd "$W" && DB="$DBREF" bash "$dir/setup.sh") >"$W/setup.out" 2>"$W/setup.err"
		rc=$?
		[ $rc -eq 0 ] || {
			echo "setup.sh failed (exit $rc): binary refused a valid setup import, or the test is wrong"
			excerpt <"$W/setup.err"
			return 1
		}
	fi
	engine_dump "$DBREF" >"$W/before.sql" || {
		echo "harness: database dump failed"
		return 1
	}
	facts "$W/before.csv"
	rc=$?
	[ $rc -eq 0 ] || {
		echo "binary: report before the import failed (exit $rc)"
		excerpt <"$W/report.err"
		return 1
	}
	copy_fixture "$W/data" || {
		echo "harness: cannot copy the fixture"
		return 1
	}
	(cd "$W/data" && bash "$dir/patch.sh") >"$W/patch.out" 2>"$W/patch.err"
	rc=$?
	[ $rc -eq 0 ] || {
		echo "test error: patch.sh failed (exit $rc)"
		excerpt <"$W/patch.err"
		return 1
	}
	return 0
}

# result NAME REASONFILE -- print ok/FAIL and count; clean up the work folder.
result() {
	local name=$1 reasons=$2
	if [ -s "$reasons" ]; then
		failed=$((failed + 1))
		printf 'FAIL %s: %s\n' "$name" "$(grep -v '^#' "$reasons" | awk 'NR > 1 { printf "; " } { printf "%s", $0 }')"
		grep '^#' "$reasons"
		if [ "${KEEP:-0}" = 1 ]; then
			echo "#   kept: $W"
			return
		fi
	else
		passed=$((passed + 1))
		printf 'ok %s\n' "$name"
	fi
	rm -rf "$W"
	engine_cleanup
}

# run_negative DIR -- one case of cases/.
run_negative() {
	local dir=$1 name expect msg file line nlines rc
	name=$(basename "$dir")
	W=$(mktemp -d "${TMPDIR:-/tmp}/bereik-validation.XXXXXX")
	DBREF=$(engine_new_db "$W" t)
	local reasons=$W/reasons
	: >"$reasons"
	expect=$(head -n 1 "$dir/expect" 2>/dev/null)
	file=${expect%%:*}
	line=$(printf '%s' "$expect" | sed -n 's/^[^:]*:\([0-9][0-9]*\): [^ :][^:]*:$/\1/p')
	if [ ! -f "$dir/patch.sh" ] || [ -z "$line" ]; then
		echo "test error: missing patch.sh, or expect is not 'FILE:LINE: column:'" >>"$reasons"
	elif prepare "$dir" >>"$reasons"; then
		# Test of the test: the expected line exists in the patched file.
		if [ ! -f "$W/data/$file" ]; then
			echo "test error: $file is not in the patched dataset" >>"$reasons"
		else
			nlines=$(awk 'END { print NR }' "$W/data/$file")
			[ "$line" -le "$nlines" ] ||
				echo "test error: $file has $nlines lines, expect names line $line" >>"$reasons"
		fi
		bereik import "$W/data" >"$W/import.out" 2>"$W/import.err"
		rc=$?
		[ $rc -eq 1 ] || echo "exit status $rc, expected 1" >>"$reasons"
		# an optional second line of expect is a part the message must contain
		msg=$(sed -n 2p "$dir/expect" 2>/dev/null)
		if ! awk -v p="$expect" -v m="$msg" '
			index($0, p) == 1 {
				rest = substr($0, length(p) + 1)
				gsub(/^[ \t]+|[ \t\r]+$/, "", rest)
				if (rest != "" && (m == "" || index(rest, m) > 0)) found = 1
			}
			END { exit !found }' "$W/import.err"; then
			echo "no stderr line '$expect <message${msg:+ with '$msg'}>'" >>"$reasons"
			{
				echo "#   stderr:"
				excerpt 8 <"$W/import.err"
			} >>"$reasons"
		fi
		engine_dump "$DBREF" >"$W/after.sql"
		if ! cmp -s "$W/before.sql" "$W/after.sql"; then
			echo "database changed" >>"$reasons"
			{
				echo "#   dump diff:"
				diff "$W/before.sql" "$W/after.sql" | excerpt 8
			} >>"$reasons"
		fi
		facts "$W/after.csv"
		rc=$?
		if [ $rc -ne 0 ]; then
			echo "binary: report after the import failed (exit $rc)" >>"$reasons"
		elif ! facts_diff "$W/before.csv" "$W/after.csv" >"$W/facts.out" 2>&1; then
			echo "facts changed" >>"$reasons"
			{
				echo "#   facts-diff:"
				excerpt 5 <"$W/facts.out"
			} >>"$reasons"
		fi
	fi
	result "$name" "$reasons"
}

# run_positive DIR -- one case of positive/.
run_positive() {
	local dir=$1 name expect rc
	name=positive/$(basename "$dir")
	W=$(mktemp -d "${TMPDIR:-/tmp}/bereik-validation.XXXXXX")
	DBREF=$(engine_new_db "$W" t)
	local reasons=$W/reasons
	: >"$reasons"
	expect=$(head -n 1 "$dir/expect" 2>/dev/null)
	case $expect in
	unchanged | imported) ;;
	*) echo "test error: expect must say 'unchanged' or 'imported'" >>"$reasons" ;;
	esac
	if [ ! -s "$reasons" ] && prepare "$dir" >>"$reasons"; then
		bereik import "$W/data" >"$W/import.out" 2>"$W/import.err"
		rc=$?
		if [ $rc -ne 0 ]; then
			echo "exit status $rc, expected 0" >>"$reasons"
			{
				echo "#   stderr:"
				excerpt 8 <"$W/import.err"
			} >>"$reasons"
		fi
		facts "$W/after.csv"
		rc=$?
		if [ $rc -ne 0 ]; then
			echo "binary: report after the import failed (exit $rc)" >>"$reasons"
		elif [ "$expect" = unchanged ]; then
			# The import writes an audit entry and a new revision token (db.h); every other row stays (in any order).
			engine_dump "$DBREF" >"$W/after.sql"
			grep -v '^INSERT INTO "\{0,1\}\(audit\|revision\)' "$W/before.sql" | LC_ALL=C sort >"$W/before.sorted"
			grep -v '^INSERT INTO "\{0,1\}\(audit\|revision\)' "$W/after.sql" | LC_ALL=C sort >"$W/after.sorted"
			if ! cmp -s "$W/before.sorted" "$W/after.sorted"; then
				echo "stored data changed (audit and revision rows aside)" >>"$reasons"
				{
					echo "#   dump diff:"
					diff "$W/before.sorted" "$W/after.sorted" | excerpt 8
				} >>"$reasons"
			fi
			if ! facts_diff "$W/before.csv" "$W/after.csv" >"$W/facts.out" 2>&1; then
				echo "facts changed" >>"$reasons"
				{
					echo "#   facts-diff:"
					excerpt 5 <"$W/facts.out"
				} >>"$reasons"
			fi
		fi
	fi
	result "$name" "$reasons"
}

for dir in "$HERE"/cases/*/; do
	dir=${dir%/}
	selected "$(basename "$dir")" "$@" || continue
	run_negative "$dir"
done
for dir in "$HERE"/positive/*/; do
	dir=${dir%/}
	selected "positive/$(basename "$dir")" "$@" || continue
	run_positive "$dir"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
