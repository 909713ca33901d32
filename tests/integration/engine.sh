# SPDX-License-Identifier: EUPL-1.2
# Sourced by the integration tests: the database engine they run against.
#   BEREIK_TEST_ENGINE=sqlite (default): databases are files in the test's folder.
#   BEREIK_TEST_ENGINE=postgresql: databases are created on the server BEREIK_TEST_PG
#     (a URI without database name, e.g. postgresql://bereik@127.0.0.1:55432), which
#     scripts/test.sh starts; without it the test exits 77 (skipped).
ENGINE=${BEREIK_TEST_ENGINE:-sqlite}
# engine_new_db runs in command substitutions (subshells): the databases it creates are
# recorded in a file, so that engine_cleanup in the test's own shell drops them all
ENGINE_LIST="${TMPDIR:-/tmp}/bereik-engine-dbs.$$"
: >"$ENGINE_LIST"
if [ "$ENGINE" = postgresql ]; then
  if [ -z "${BEREIK_TEST_PG:-}" ]; then
    echo "skipped: BEREIK_TEST_PG is not set (scripts/test.sh starts a server)"
    exit 77
  fi
  for tool in psql pg_dump; do
    command -v "$tool" >/dev/null || { echo "$tool not found (Debian: postgresql-client)"; exit 1; }
  done
fi

# engine_new_db DIR NAME: creates an empty database, prints what --db takes.
engine_new_db() {
  if [ "$ENGINE" = postgresql ]; then
    # unique without $RANDOM, which subshells may repeat
    local name
    name="bt_$$_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')_$2"
    name=$(echo "$name" | tr -c 'a-zA-Z0-9_\n' '_')
    psql "$BEREIK_TEST_PG/postgres" -qAtc "CREATE DATABASE $name" >/dev/null || return 1
    echo "$name" >>"$ENGINE_LIST"
    echo "$BEREIK_TEST_PG/$name"
  else
    echo "$1/$2.db"
  fi
}

# engine_dump DB: every row, in a stable text form (sequence positions left out: a
# rolled-back transaction may move them, which changes no data).
engine_dump() {
  if [ "$ENGINE" = postgresql ]; then
    # one INSERT per row, as sqlite3 .dump writes them ("INSERT INTO audit VALUES(...)")
    pg_dump --data-only --inserts --no-owner --no-privileges "$1" 2>/dev/null |
      grep -v -e '^SELECT pg_catalog.setval' -e '^-- Dumped' -e '^\\restrict' -e '^\\unrestrict' |
      sed 's/^INSERT INTO public\./INSERT INTO /'
    return "${PIPESTATUS[0]}"
  else
    sqlite3 "$1" .dump
  fi
}

# engine_sql DB SQL: runs one statement, prints the rows (| separated).
engine_sql() {
  if [ "$ENGINE" = postgresql ]; then
    psql "$1" -qAtc "$2"
  else
    sqlite3 "$1" "$2"
  fi
}

engine_cleanup() {
  local n
  [ -f "$ENGINE_LIST" ] || return 0
  while read -r n; do
    [ -n "$n" ] && psql "$BEREIK_TEST_PG/postgres" -qAtc "DROP DATABASE IF EXISTS $n" >/dev/null 2>&1
  done <"$ENGINE_LIST"
  rm -f "$ENGINE_LIST"
}
