# SPDX-License-Identifier: EUPL-1.2
# Sourced: pg_start creates a throwaway PostgreSQL cluster in a temporary directory,
# listening on 127.0.0.1 only, and exports BEREIK_TEST_PG (a URI without database);
# pg_stop stops it and removes the directory. As root (CI) the server runs as the
# unprivileged postgres user of Debian's postgresql package. The test cluster runs without
# fsync (it is thrown away); BEREIK_PG_OPTS replaces those server options (bench: durable).
pg_dir=
pg_run=()
pg_stop() {
  [ -n "$pg_dir" ] || return 0
  "${pg_run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$pg_dir"
}
pg_start() {
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$pg_bin/initdb" ] || { echo "PostgreSQL server not found (Debian package postgresql)"; return 1; }
  pg_dir=$(mktemp -d /tmp/bereik-pg.XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$pg_dir"
    pg_run=(runuser -u postgres --)
  fi
  "${pg_run[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U bereik --auth=trust -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 ||
    { cat "$pg_dir/initdb.log"; return 1; }
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    if "${pg_run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -t 60 -l "$pg_dir/server.log" \
      -o "-k $pg_dir -h 127.0.0.1 -p $port ${BEREIK_PG_OPTS--c fsync=off -c full_page_writes=off} -c max_connections=60" start >/dev/null; then
      export BEREIK_TEST_PG="postgresql://bereik@127.0.0.1:$port"
      echo "== PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throwaway cluster in $pg_dir)"
      return 0
    fi
  done
  cat "$pg_dir/server.log"
  return 1
}
