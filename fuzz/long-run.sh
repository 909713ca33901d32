#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# A long fuzzing run outside CI: builds the libFuzzer targets (build-fuzz) and runs each
# for SECONDS (default 1800), keeping the working corpus between runs.
# usage: fuzz/long-run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-1800}
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DBEREIK_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBEREIK_FUZZ_SECONDS="$seconds" >/dev/null
make -C build-fuzz -j"$(nproc)" --no-print-directory >/dev/null
export FUZZ_DATASET=${FUZZ_DATASET:-$(cd .. && pwd)/shared/fixtures/small}
for f in fuzz/fuzz_*.c; do
  name=$(basename "$f" .c)
  echo "== $name for $seconds s"
  fuzz/run.sh "build-fuzz/fuzz/$name" "$name" fuzz build-fuzz/fuzz-work "$seconds"
done
