#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# The HTTP server under hostile clients, against real `bereik serve` processes on
# 127.0.0.x, on the engine of engine.sh (issue 13: defects 12, 13 and 15, the query time
# limit and shutdown): request framing, the security headers on every response (the
# library's own errors included), the request id, the request-head deadline against
# slowloris, summarised logging of refused connections, 403 and 5xx in the security log,
# the query time limit (503) and SIGTERM within the grace period. The checks are in
# http_hostile.py; this script makes the database and the API tokens.
# usage: http_hostile.sh BEREIK_BIN
set -u
bin=${1:?usage: http_hostile.sh BEREIK_BIN}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/engine.sh"
tmp=$(mktemp -d)
cleanup() {
  engine_cleanup
  rm -rf "$tmp"
}
trap cleanup EXIT
echo "engine: $ENGINE"
db=$(engine_new_db "$tmp" hostile)
"$bin" --db "$db" init && "$bin" --db "$db" demo --seed 1 2>/dev/null || { echo "demo failed"; exit 1; }
for login in begeleider directie; do
  t=$("$bin" --db "$db" user token "$login" --label "hostile test") || { echo "user token $login failed"; exit 1; }
  export "TOKEN_$login=$t"
done
python3 "$here/http_hostile.py" "$bin" "$db" "$ENGINE" "$tmp"
