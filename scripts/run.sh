#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Builds bereik and runs it on an embedded SQLite database filled with demo data.
# For now the product is the command line: it creates the demo database and writes
# the facts of the yearly report; the web application replaces this step later.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
make -C build -j"$(nproc)" --no-print-directory bereik >/dev/null
db=${BEREIK_DB:-demo/bereik-demo.db}
mkdir -p "$(dirname "$db")"
if [ ! -f "$db" ]; then
  build/bereik --db "$db" init
  build/bereik --db "$db" demo --seed 1 2>/dev/null
  echo "Demo database created: $db"
fi
build/bereik --db "$db" report --format csv -o demo/facts.csv
build/bereik --db "$db" export demo/dataset
echo "Facts of the yearly report (all years): demo/facts.csv ($(($(wc -l <demo/facts.csv) - 1)) facts)"
echo "Dataset export: demo/dataset/"
echo "Try: build/bereik --db $db report --years 2024-2025 --format json"
