#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Runs a fuzz target (built with standalone.c) once over its seed corpus and every input
# that once crashed it (fuzz/regressions/TARGET/): the regression test of every build.
# usage: replay.sh TARGET_BINARY NAME FUZZ_DIR
set -u
bin=$1 name=$2 dir=$3
files=()
for d in "$dir/corpus/$name" "$dir/regressions/$name"; do
  [ -d "$d" ] && for f in "$d"/*; do [ -f "$f" ] && files+=("$f"); done
done
[ ${#files[@]} -gt 0 ] || { echo "no inputs for $name"; exit 1; }
exec "$bin" "${files[@]}"
