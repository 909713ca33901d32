#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The JSON API against a real `bereik serve` on 127.0.0.1, on the engine of
# tests/integration/engine.sh: a demo database, one API token per demo account (made
# with `bereik user token`), then node's test runner on tests/api/*.test.mjs, which
# validates every response against src/api/openapi.json.
# usage: run.sh BEREIK_BIN SHARED_DIR
set -u
bin=${1:?usage: run.sh BEREIK_BIN SHARED_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/integration/engine.sh"
[ -d "$root/node_modules/ajv" ] || { echo "node_modules missing: run npm ci"; exit 1; }
tmp=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  engine_cleanup
  rm -rf "$tmp"
}
trap cleanup EXIT
echo "engine: $ENGINE"
db=$(engine_new_db "$tmp" api)
"$bin" --db "$db" init && "$bin" --db "$db" demo --seed 1 2>/dev/null || { echo "demo failed"; exit 1; }
for login in begeleider coordinator directie admin; do
  t=$("$bin" --db "$db" user token "$login" --label "api test") || { echo "user token $login failed"; exit 1; }
  export "TOKEN_$login=$t"
done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# a fixed generated_at, so that /api/v1/facts and bereik report can be compared byte for byte
export SOURCE_DATE_EPOCH=1767225600
"$bin" --db "$db" serve --listen "127.0.0.1:$port" --threads 2 --max-body 65536 2>"$tmp/server.log" &
server_pid=$!
for _ in $(seq 50); do
  curl -s "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
export BEREIK_BIN=$bin BEREIK_DB=$db API_BASE="http://127.0.0.1:$port" API_ENGINE=$ENGINE API_TMP=$tmp
cd "$root" && node --test --test-concurrency=1 tests/api/
rc=$?
[ $rc -ne 0 ] && tail -20 "$tmp/server.log"
exit $rc
