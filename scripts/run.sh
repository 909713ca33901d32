#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Builds bereik, creates a demo database (SQLite) on the first run, and starts the web
# application on it. Stop it with Ctrl-C (SIGINT) or SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
make -C build -j"$(nproc)" --no-print-directory bereik >/dev/null
db=${BEREIK_DB:-demo/bereik-demo.db}
listen=${BEREIK_LISTEN:-127.0.0.1:8080}
mkdir -p "$(dirname "$db")"
if [ ! -f "$db" ]; then
  build/bereik --db "$db" init
  build/bereik --db "$db" demo --seed 1 2>/dev/null
  echo "Demo database created: $db"
fi
cat <<EOT

  bereik is running at  http://$listen/

  Demo logins (password: demo-bereik):
    begeleider    advisor      (Mijn week, own dashboard)
    coordinator   coordinator  (team dashboards)
    directie      director     (all indicators)
    admin         admin

  Stop with Ctrl-C.

EOT
exec build/bereik --db "$db" serve --listen "$listen"
