#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Runs one libFuzzer target for a bounded time under ASan + UBSan, starting from the seed
# corpus of the repository (never written to) and a working corpus in the build folder.
# A crash leaves its input in the build folder's fuzz-artifacts/ and fails the test; the
# input then belongs in fuzz/regressions/TARGET/ (replayed by every build).
# usage: run.sh FUZZER NAME SEEDS_DIR WORK_DIR SECONDS
set -u
fuzzer=$1 name=$2 seeds=$3 work=$4 seconds=$5
mkdir -p "$work/corpus-$name" "$work/artifacts"
extra=()
[ -d "$seeds/regressions/$name" ] && extra+=("$seeds/regressions/$name")
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/$name-" "$work/corpus-$name" "$seeds/corpus/$name" "${extra[@]}" 2>"$work/$name.log"
rc=$?
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' "$work/$name.log"
if [ $rc -ne 0 ]; then
  tail -60 "$work/$name.log"
  echo "FAIL $name: the input is in $work/artifacts/"
fi
exit $rc
