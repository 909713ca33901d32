#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Crash consistency on the engine of engine.sh (tests/crash/crash.py): 50 rounds of
# SIGKILL during API registrations, and imports killed midway.
# usage: run.sh BEREIK_BIN [ROUNDS] [IMPORT_ROUNDS]
set -u
bin=${1:?usage: run.sh BEREIK_BIN [ROUNDS] [IMPORT_ROUNDS]}
. "$(dirname "$0")/../integration/engine.sh"
tmp=$(mktemp -d)
trap 'engine_cleanup; rm -rf "$tmp"' EXIT
echo "engine: $ENGINE"
db=$(engine_new_db "$tmp" crash)
"$bin" --db "$db" init && "$bin" --db "$db" demo --seed 1 >/dev/null 2>&1 || { echo "demo failed"; exit 1; }
printf 'kill-nine-wachtzin\n' | "$bin" --db "$db" user add crash --role advisor --advisor BC --password-stdin >/dev/null || exit 1
token=$("$bin" --db "$db" user token crash) || exit 1
python3 "$(dirname "$0")/crash.py" "$bin" "$db" "$ENGINE" "$token" "${2:-50}" "${3:-8}" "$tmp"
