#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Row-level security of the services (docs/SERVICES.md), in raw SQL as the application
# role bereik_app through psql, on a database with two services that have the same ids
# (both copied with migrate-db from one demo): with no service set no row of any
# service-owned table is visible; with service A set no row of B is, and B's rows can be
# neither inserted, changed, moved nor deleted; a service that does not exist sees
# nothing; the role bypasses nothing, owns nothing and cannot switch the policies off;
# service and shared_source are not the role's to write, and the functions that run with
# the owner's rights refuse a service that is no platform service. The service-owned
# tables are read from the catalogue (every table with a service_id column, which must be
# every table the migrations make but service and shared_source), so a new one is
# covered. With several services bereik refuses a role that bypasses row-level security
# (superuser or BYPASSRLS): report, serve, service grant.
# usage: rls.sh BEREIK_BIN (or BEREIK_BIN in the environment)
set -u
bin=${1:-${BEREIK_BIN:-}}
[ -n "$bin" ] || { echo "usage: rls.sh BEREIK_BIN"; exit 2; }
if [ -z "${BEREIK_TEST_PG:-}" ]; then
  echo "skipped: BEREIK_TEST_PG is not set"
  exit 77
fi
command -v psql >/dev/null || { echo "psql not found (Debian: postgresql-client)"; exit 1; }
tmp=$(mktemp -d)
name="bt_rls_$$_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
hostport=${BEREIK_TEST_PG#postgresql://*@}
super="$BEREIK_TEST_PG/$name"
owner="postgresql://bereik_owner@$hostport/$name"
app="postgresql://bereik_app@$hostport/$name"
pids=()
cleanup() {
  for p in "${pids[@]+"${pids[@]}"}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${pids[@]+"${pids[@]}"}"; do wait "$p" 2>/dev/null; done
  psql "$BEREIK_TEST_PG/postgres" -qAtXc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
check() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "expected '$2', got '$3'"; fi; }
sql() { psql "$1" -qAtX -v ON_ERROR_STOP=1 -c "$2" 2>&1; } # uri sql
# as_app SERVICE SQL: the statement as bereik_app in a transaction with bereik.service
# set to SERVICE ('-': not set), rolled back; what psql prints (rows, errors)
as_app() {
  local set=""
  [ "$1" = "-" ] || set="SET LOCAL bereik.service = '$1';"
  printf 'BEGIN;\n%s\n%s;\nROLLBACK;\n' "$set" "$2" | psql "$app" -qAtX -v ON_ERROR_STOP=1 2>&1
}

# ---- set-up: the roles, a database owned by bereik_owner, two services ----
for role in bereik_owner bereik_app; do
  sql "$BEREIK_TEST_PG/postgres" "DO \$\$ BEGIN CREATE ROLE $role LOGIN NOSUPERUSER NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END \$\$" >/dev/null
done
sql "$BEREIK_TEST_PG/postgres" "CREATE DATABASE $name OWNER bereik_owner" >/dev/null || { echo "CREATE DATABASE failed"; exit 1; }
if ! { "$bin" --db "$owner" init >/dev/null && "$bin" --db "$owner" service grant bereik_app >/dev/null &&
  "$bin" --db "$tmp/demo.db" demo --seed 1 >/dev/null 2>&1; }; then
  echo "set-up failed"
  exit 1
fi
for s in noord zuid; do
  "$bin" migrate-db --from "$tmp/demo.db" --to "$owner" --service $s --name "Dienst $s" --host $s.test >/dev/null ||
    { echo "migrate-db $s failed"; exit 1; }
  # an API token (the demo makes none)
  "$bin" --db "$owner" --service $s user token admin >/dev/null 2>&1 || { echo "user token $s failed"; exit 1; }
done
A=$(sql "$super" "SELECT id FROM service WHERE code = 'noord'")
B=$(sql "$super" "SELECT id FROM service WHERE code = 'zuid'")
echo "services: noord $A, zuid $B (and main)"
# rows of the tables a demo leaves empty (logins, throttling, second factors, timers), as
# the owner, for both services; a table whose columns changed since is left empty (said)
fill=(
  "INSERT INTO session (id_hash, user_id, csrf, created_at, last_seen) SELECT 'rls-session', id, 'x', 1000, 1000 FROM app_user WHERE login = 'admin'"
  "INSERT INTO device (id_hash, user_id, created_at) SELECT 'rls-device', id, 1000 FROM app_user WHERE login = 'admin'"
  "INSERT INTO login_setup (id_hash, user_id, expires_at) SELECT 'rls-setup', id, 1000 FROM app_user WHERE login = 'admin'"
  "INSERT INTO recovery_code (user_id, code_hash) SELECT id, 'rls-code' FROM app_user WHERE login = 'admin'"
  "INSERT INTO user_timer (user_id, started_at) SELECT id, 1000 FROM app_user WHERE login = 'admin'"
  "INSERT INTO idempotency_key (user_id, idem_key, reg_ext_id, created_at) SELECT id, 'rls-key', 'x', 1000 FROM app_user WHERE login = 'admin'"
  "INSERT INTO mail_sent (kind, user_id, period, sent_at, message_id, recipient) SELECT 'week', id, '2024-W01', 1000, 'x', 'x@bereik.example' FROM app_user WHERE login = 'admin'"
  "INSERT INTO login_attempt (key, window_start, failures) VALUES ('ip:192.0.2.1', 1000, 1)"
  "INSERT INTO login_failure (at, login, addr, reason) VALUES (1000, 'x', '192.0.2.1', 'password')"
  "INSERT INTO write_rate (key, window_start, writes) VALUES ('rls', 1000, 1)"
  "INSERT INTO oidc_login (state_hash, nonce, verifier, next, created_at) VALUES ('rls-state', 'x', 'x', '/', 1000)"
)
for s in "$A" "$B"; do
  for f in "${fill[@]}"; do
    r=$(sql "$owner" "SELECT set_config('bereik.service', '$s', false); $f") || echo "note: not filled ($r)"
  done
done

# the service-owned tables: every table of the schema with a service_id column
tables=$(sql "$super" "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND a.attname = 'service_id'
  AND NOT a.attisdropped ORDER BY 1")
ntables=$(echo "$tables" | wc -l)
tlist=$(echo "$tables" | sed "s/.*/'&'/" | paste -sd,)
echo "$ntables service-owned tables"
# the same as the tables the migrations create, but for the installation's own two
migrations=$(dirname "$0")/../../src/db/migrations
check "the service-owned tables are every table of the migrations but service and shared_source" \
  "$(grep -ho 'CREATE TABLE [a-z_]*' "$migrations"/*.sql | awk '{print $3}' | grep -vx 'service\|shared_source' | sort -u)" \
  "$(echo "$tables" | sort)"
# union TEMPLATE: one SELECT per table ({} = the table), joined by UNION ALL
union() {
  local out="" t
  for t in $tables; do out="${out:+$out UNION ALL }${1//\{\}/$t}"; done
  echo "$out"
}
# B's rows (as the superuser, by service_id): a checksum, and which tables have any
sums() { sql "$super" "$(union "SELECT '{}', md5(COALESCE(string_agg(x::text, '|' ORDER BY x::text), '')) FROM {} x WHERE service_id = $1")" | sort; }
short() { head -c 160 | tr '\n' ' '; } # a failure's detail, on one line
changed() { comm -3 <(echo "$1") <(echo "$2") | tr -d '\t' | cut -d'|' -f1 | sort -u | tr '\n' ' '; } # the tables whose sums differ
b_before=$(sums "$B")
a_rows=$(sql "$super" "$(union "SELECT '{}' WHERE EXISTS (SELECT 1 FROM {} WHERE service_id = $A)")" | sort)
b_rows=$(sql "$super" "$(union "SELECT '{}' WHERE EXISTS (SELECT 1 FROM {} WHERE service_id = $B)")" | sort)
echo "tables with rows of zuid (B): $(echo "$b_rows" | wc -l) of $ntables; without: $(comm -23 <(echo "$tables") <(echo "$b_rows") | tr '\n' ' ')"
for t in registration app_user session api_token trajectory survey audit; do
  echo "$b_rows" | grep -qx "$t" || fail "set-up" "zuid has no rows in $t"
done

# ---- the role and the catalogue ----
check "bereik_app is neither superuser nor BYPASSRLS" "f|f" \
  "$(sql "$super" "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'bereik_app'")"
check "bereik_app owns no relation, function or schema of the database" "0|0|0" \
  "$(sql "$super" "SELECT (SELECT count(*) FROM pg_class WHERE relowner = 'bereik_app'::regrole),
    (SELECT count(*) FROM pg_proc WHERE proowner = 'bereik_app'::regrole),
    (SELECT count(*) FROM pg_namespace WHERE nspowner = 'bereik_app'::regrole)")"
check "bereik_app connects as itself (not as the owner)" "bereik_app" "$(sql "$app" "SELECT current_user")"
check "every service-owned table: row-level security enabled and forced, and a policy" "" \
  "$(sql "$super" "SELECT c.relname || ' ' || c.relrowsecurity || ' ' || c.relforcerowsecurity || ' ' ||
    (SELECT count(*) FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname)
    FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relname IN ($tlist)
    AND NOT (c.relrowsecurity AND c.relforcerowsecurity
             AND EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname))")"
check "every policy of a service-owned table but shared_facts's names bereik_current_service() in USING and WITH CHECK" "" \
  "$(sql "$super" "SELECT tablename || ' ' || policyname FROM pg_policies WHERE schemaname = 'public'
    AND tablename IN ($tlist) AND tablename <> 'shared_facts'
    AND NOT (qual LIKE '%service_id = bereik_current_service()%' AND with_check LIKE '%service_id = bereik_current_service()%')")"
check "the tables without service_id are the installation's: schema_version, service, shared_source" \
  "schema_version service shared_source" \
  "$(sql "$super" "SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class c
    WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND NOT EXISTS (
      SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'service_id' AND NOT a.attisdropped)")"

# ---- what bereik_app sees ----
zeros=$(union "SELECT '{}', count(*) FROM {}")
nonzero() { awk -F'|' '$2 != 0 { printf "%s(%s) ", $1, $2 }'; }
check "no service set: no row of any service-owned table" "" "$(as_app - "$zeros" | nonzero)"
check "bereik.service empty: no row" "" "$(as_app "" "$zeros" | nonzero)"
check "a service that does not exist (999999): no row" "" "$(as_app 999999 "$zeros" | nonzero)"
check "noord set: no row of zuid, in any table (WHERE service_id = zuid)" "" \
  "$(as_app "$A" "$(union "SELECT '{}', count(*) FROM {} WHERE service_id = $B")" | nonzero)"
check "noord set: no row but noord's (WHERE service_id <> noord)" "" \
  "$(as_app "$A" "$(union "SELECT '{}', count(*) FROM {} WHERE service_id IS DISTINCT FROM $A")" | nonzero)"
# the control: noord's own rows are there (the counts above are not of an empty view)
seen=$(as_app "$A" "$(union "SELECT '{}' WHERE EXISTS (SELECT 1 FROM {})")" | sort)
check "noord set: noord's rows are visible in every table that has some" "$a_rows" "$seen"
check "zuid set: zuid's rows are visible in every table that has some" "$b_rows" \
  "$(as_app "$B" "$(union "SELECT '{}' WHERE EXISTS (SELECT 1 FROM {})")" | sort)"
check "noord set, row_security off: a query is refused, not run without the policies" \
  "query would be affected by row-level security policy" \
  "$(as_app "$A" "SET LOCAL row_security = off; SELECT count(*) FROM registration" | grep -o 'query would be affected by row-level security policy' | head -1)"

# ---- writing zuid's rows with noord set ----
deleted="" updated=""
for t in $tables; do
  r=$(as_app "$A" "DELETE FROM $t WHERE service_id = $B RETURNING 1" | short)
  [ "$r" = "" ] || deleted="$deleted $t:[$r]"
  r=$(as_app "$A" "UPDATE $t SET service_id = service_id WHERE service_id = $B RETURNING 1" | short)
  [ "$r" = "" ] || updated="$updated $t:[$r]"
done
check "noord set: DELETE of zuid's rows deletes nothing, in every table" "" "$deleted"
check "noord set: UPDATE of zuid's rows changes nothing, in every table" "" "$updated"
inserted="" moved="" tried=0
for t in $a_rows; do
  tried=$((tried + 1))
  # one of noord's rows as zuid's: refused by the policy's WITH CHECK
  r=$(as_app "$A" "INSERT INTO $t SELECT (jsonb_populate_record(NULL::public.$t, to_jsonb(x) || '{\"service_id\": $B}')).* FROM $t x LIMIT 1" | short)
  case $r in *"new row violates row-level security policy"*) ;; *) inserted="$inserted $t:[$r]" ;; esac
  r=$(as_app "$A" "UPDATE $t SET service_id = $B WHERE ctid = (SELECT ctid FROM $t LIMIT 1)" | short)
  case $r in *"new row violates row-level security policy"*) ;; *) moved="$moved $t:[$r]" ;; esac
done
check "noord set: INSERT of a row of zuid fails with the row-level security error ($tried tables)" "" "$inserted"
check "noord set: UPDATE moving a row of noord to zuid fails with the row-level security error" "" "$moved"
check "no service set: INSERT fails (service_id defaults to no service)" "yes" \
  "$(as_app - "INSERT INTO team (code, name) VALUES ('RLS-X', 'x')" | grep -q 'violates' && echo yes)"
check "zuid's rows are unchanged" "" "$(changed "$b_before" "$(sums "$B")")"

# ---- service and shared_source ----
r=$(as_app "$A" "INSERT INTO service (code, name, alias, created_at) VALUES ('rls-x', 'x', 'ZZ', 'now')")
case $r in *"permission denied"*) ok "bereik_app cannot add a service" ;; *) fail "INSERT service" "$r" ;; esac
r=$(as_app "$A" "INSERT INTO shared_source (id, name, share, alias, updated_at) VALUES (-99, 'x', 'named', 'X', 'now')")
case $r in *"permission denied"*) ok "bereik_app cannot add a shared source" ;; *) fail "INSERT shared_source" "$r" ;; esac
for col in "host = 'evil.test'" "status = 'active'" "code = 'x'"; do
  r=$(as_app "$A" "UPDATE service SET $col WHERE id = $A")
  case $r in *"permission denied"*) ok "bereik_app cannot change its own service's ${col%% *}" ;; *) fail "UPDATE service $col" "$r" ;; esac
done
check "bereik_app with noord set cannot change zuid's share" "" \
  "$(as_app "$A" "UPDATE service SET share = 'named' WHERE id = $B RETURNING id")"
r=$(as_app "$A" "DELETE FROM service WHERE id = $B")
case $r in *"permission denied"*) ok "bereik_app cannot delete a service" ;; *) fail "DELETE service" "$r" ;; esac
# functions that run with their owner's rights (SECURITY DEFINER) and that bereik_app may
# call: with a service set that is not a platform service, each refuses, and zuid's rows
# and its row of service stay as they were
before_service=$(sql "$super" "SELECT md5(s::text) FROM service s WHERE id = $B")
definers=$(sql "$super" "SELECT p.proname || '|' || p.pronargs || '|' || (p.proargtypes::regtype[]::text[] <@ ARRAY['text'])
  FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
  AND has_function_privilege('bereik_app', p.oid, 'EXECUTE') ORDER BY 1")
echo "SECURITY DEFINER functions bereik_app may call: $(echo "$definers" | cut -d'|' -f1 | tr '\n' ' ')"
for d in $definers; do
  IFS='|' read -r fn nargs alltext <<<"$d"
  [ "$alltext" = true ] || { fail "definer $fn" "arguments other than text: call it by hand here"; continue; }
  # the first argument an existing service's code and a new one, the others a word
  # that is a valid value of every text column of service ('suspended')
  for first in zuid rls-new; do
    args="'$first'"
    for ((i = 1; i < nargs; i++)); do args="$args, 'suspended'"; done
    for set in - "$A"; do
      r=$(as_app "$set" "\\set VERBOSITY verbose
SELECT $fn($args)" | short)
      case $r in
      *"ERROR:  42501"*) ok "$fn($args) refused (insufficient_privilege) with bereik.service ${set/-/unset}" ;;
      *) fail "$fn($args) with bereik.service ${set/-/unset}" "$r" ;;
      esac
    done
  done
done
check "zuid's row of service is unchanged" "$before_service" "$(sql "$super" "SELECT md5(s::text) FROM service s WHERE id = $B")"
for stmt in "ALTER TABLE registration NO FORCE ROW LEVEL SECURITY" "ALTER TABLE registration DISABLE ROW LEVEL SECURITY" \
  "DROP POLICY service_isolation ON registration" \
  "CREATE OR REPLACE FUNCTION bereik_current_service() RETURNS bigint LANGUAGE sql AS 'SELECT $B::bigint'"; do
  r=$(as_app "$A" "$stmt")
  case $r in *"must be owner"* | *"permission denied"*) ok "bereik_app may not: ${stmt%% ON *}" ;; *) fail "$stmt" "$r" ;; esac
done

# ---- a role that bypasses row-level security is refused ----
"$bin" --db "$app" --service noord report --format json >"$tmp/report" 2>"$tmp/err"
check "the application role may read a report of its service (the control)" "0" "$?"
"$bin" --db "$super" --service noord report --format json >"$tmp/report" 2>"$tmp/err"
rc=$?
check "report as the superuser on several services: exit 1" "1" "$rc"
if grep -q "row-level security" "$tmp/err"; then ok "... saying row-level security"; else fail "report message" "$(cat "$tmp/err")"; fi
if [ -s "$tmp/report" ]; then fail "report as the superuser" "printed $(wc -c <"$tmp/report") bytes"; else ok "... and printing nothing"; fi
# a role that is no superuser but has BYPASSRLS: service grant refuses it; with the
# privileges given by hand it is refused as well
sql "$BEREIK_TEST_PG/postgres" "DO \$\$ BEGIN CREATE ROLE bereik_bypass LOGIN NOSUPERUSER BYPASSRLS;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END \$\$" >/dev/null
"$bin" --db "$owner" service grant bereik_bypass >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 0 ] && grep -q "bypasses row-level security" "$tmp/err"; then
  ok "service grant refuses a BYPASSRLS role"
else
  fail "service grant bereik_bypass" "exit $rc: $(cat "$tmp/err")"
fi
sql "$owner" "GRANT SELECT ON ALL TABLES IN SCHEMA public TO bereik_bypass" >/dev/null
"$bin" --db "postgresql://bereik_bypass@$hostport/$name" --service noord report --format json >"$tmp/report" 2>"$tmp/err"
rc=$?
check "report as a BYPASSRLS role on several services: exit 1" "1" "$rc"
if grep -q "row-level security" "$tmp/err"; then ok "... saying row-level security"; else fail "report message (BYPASSRLS)" "$(cat "$tmp/err")"; fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
timeout 20 "$bin" --db "$super" serve --listen "127.0.0.1:$port" --threads 2 >"$tmp/serve.out" 2>"$tmp/serve.err"
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]; then ok "serve as the superuser refuses to start (exit $rc)"; else fail "serve as the superuser" "exit $rc"; fi
if grep -q "row-level security" "$tmp/serve.err"; then ok "... saying row-level security"; else fail "serve message" "$(cat "$tmp/serve.err")"; fi
check "zuid's rows are unchanged by the refused commands" "" "$(changed "$b_before" "$(sums "$B")")"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
