#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Several services on one PostgreSQL installation (docs/SERVICES.md), from the command
# line: two demo services (one from a SQLite file, one from a single-service PostgreSQL
# database) migrated into one installation with identical facts and an identical dataset
# per service; migrate-db all or nothing; per-service backup, restore and export; the
# service commands and their refusals.
# usage: services.sh BEREIK_BIN  (needs BEREIK_TEST_PG, a superuser URI without database)
set -u
bin=${1:?usage: services.sh BEREIK_BIN}
[ -n "${BEREIK_TEST_PG:-}" ] || { echo "skipped: BEREIK_TEST_PG is not set"; exit 77; }
tmp=$(mktemp -d)
pg=$BEREIK_TEST_PG
hostpart=${pg#postgresql://*@}
dbs=()
cleanup() {
  for d in "${dbs[@]+"${dbs[@]}"}"; do psql "$pg/postgres" -qAtc "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1; done
  rm -rf "$tmp"
}
trap cleanup EXIT
passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
check() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "expected '$2', got '$3'"; fi; }
facts() { SOURCE_DATE_EPOCH=0 "$bin" --db "$1" "${@:2}" report --format json; }

psql "$pg/postgres" -qAt -v ON_ERROR_STOP=1 -c "DO \$\$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bereik_owner') THEN CREATE ROLE bereik_owner LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bereik_app') THEN CREATE ROLE bereik_app LOGIN; END IF;
END\$\$" >/dev/null
suffix="$$_$(date +%s)"
single="bt_svc_single_$suffix"
multi="bt_svc_multi_$suffix"
dbs+=("$single" "$multi")
psql "$pg/postgres" -qAtc "CREATE DATABASE $single" >/dev/null
psql "$pg/postgres" -qAtc "CREATE DATABASE $multi OWNER bereik_owner" >/dev/null
owner="postgresql://bereik_owner@$hostpart/$multi"
app="postgresql://bereik_app@$hostpart/$multi"

# the two sources: a SQLite demo and a single-service PostgreSQL demo, with their facts
# and datasets before the move
"$bin" --db "$tmp/noord.db" demo --seed 1 >/dev/null 2>&1 || { echo "demo failed"; exit 1; }
"$bin" --db "$pg/$single" init && "$bin" --db "$pg/$single" demo --seed 7 >/dev/null 2>&1 || { echo "pg demo failed"; exit 1; }
facts "$tmp/noord.db" >"$tmp/noord.before.json"
facts "$pg/$single" >"$tmp/zuid.before.json"
"$bin" --db "$tmp/noord.db" export "$tmp/noord.export" >/dev/null
"$bin" --db "$pg/$single" export "$tmp/zuid.export" >/dev/null

"$bin" --db "$owner" init || { echo "init failed"; exit 1; }
"$bin" --db "$owner" service grant bereik_app >/dev/null || { echo "grant failed"; exit 1; }
"$bin" --db "$owner" migrate-db --from "$tmp/noord.db" --to "$owner" --service noord --name "Dienst Noord" \
  --host noord.test 2>"$tmp/m1.err"
check "migrate-db: a SQLite demo becomes service noord" 0 $?
"$bin" --db "$owner" migrate-db --from "$pg/$single" --to "$owner" --service zuid --name "Dienst Zuid" \
  --host zuid.test 2>"$tmp/m2.err"
check "migrate-db: a single-service PostgreSQL demo becomes service zuid" 0 $?
check "both services are listed" "main noord zuid" "$("$bin" --db "$owner" service list | awk 'NR>1{print $1}' | tr '\n' ' ' | sed 's/ $//')"
# the facts of each service, read as the application role, are those of its source
facts "$app" --service noord >"$tmp/noord.after.json"
facts "$app" --service zuid >"$tmp/zuid.after.json"
check "noord: identical facts after the move" same "$(cmp -s "$tmp/noord.before.json" "$tmp/noord.after.json" && echo same || echo differ)"
check "zuid: identical facts after the move" same "$(cmp -s "$tmp/zuid.before.json" "$tmp/zuid.after.json" && echo same || echo differ)"
check "the facts are not empty" 1 "$([ "$(grep -c '"table"' "$tmp/noord.after.json")" -gt 1000 ] && echo 1 || echo 0)"
"$bin" --db "$app" --service zuid export "$tmp/zuid.export2" >/dev/null
check "zuid: its export is its source's dataset, file by file" same \
  "$(diff -r "$tmp/zuid.export" "$tmp/zuid.export2" >/dev/null && echo same || echo differ)"
"$bin" --db "$app" --service noord export "$tmp/noord.export2" >/dev/null
check "noord: its export is its source's dataset, file by file" same \
  "$(diff -r "$tmp/noord.export" "$tmp/noord.export2" >/dev/null && echo same || echo differ)"

# all or nothing
count() { psql "$owner" -qAt -c "SET bereik.service = '$1'" -c "SELECT count(*) FROM registration"; }
noord_id=$(psql "$owner" -qAtc "SELECT id FROM service WHERE code = 'noord'")
before=$(count "$noord_id")
"$bin" --db "$owner" migrate-db --from "$tmp/noord.db" --to "$owner" --service noord 2>"$tmp/m3.err"
check "migrate-db into a service that holds data is refused" 1 $?
check "  and says so" 1 "$(grep -c 'already holds data; migrate-db needs an empty one; nothing was written' "$tmp/m3.err")"
check "  and writes nothing" "$before" "$(count "$noord_id")"
"$bin" --db "$owner" migrate-db --from "$tmp/noord.db" --to "$owner" --service oost --name "Dienst Oost" \
  --host noord.test 2>"$tmp/m4.err"
check "migrate-db with a host another service has is refused" 1 $?
check "  and leaves no service behind" 0 "$(psql "$owner" -qAtc "SELECT count(*) FROM service WHERE code = 'oost'")"
"$bin" --db "$owner" migrate-db --from "$tmp/missing.db" --to "$owner" --service oost --name "Dienst Oost" 2>/dev/null
check "migrate-db from a missing source is refused" 1 $?
check "  and leaves no service behind" 0 "$(psql "$owner" -qAtc "SELECT count(*) FROM service WHERE code = 'oost'")"

# per-service backup and restore: a SQLite file of the service alone
"$bin" --db "$app" --service zuid backup "$tmp/zuid.backup.db" >/dev/null
check "backup of one service" 0 $?
check "  is a database of that service with its facts" same \
  "$(facts "$tmp/zuid.backup.db" | cmp -s - "$tmp/zuid.before.json" && echo same || echo differ)"
"$bin" --db "$app" --service zuid backup "$tmp/zuid.backup.db" 2>/dev/null
check "a backup never overwrites a file" 1 $?
zuid_id=$(psql "$owner" -qAtc "SELECT id FROM service WHERE code = 'zuid'")
psql "$owner" -qAt -c "SET bereik.service = '$zuid_id'" \
  -c "DELETE FROM registration_count WHERE registration_id IN (SELECT id FROM registration WHERE minutes > 60)" >/dev/null
"$bin" --db "$owner" --service zuid aggregates rebuild >/dev/null
check "  (the service's data changed)" differ "$(facts "$app" --service zuid | cmp -s - "$tmp/zuid.before.json" && echo same || echo differ)"
"$bin" --db "$app" --service zuid restore "$tmp/zuid.backup.db" >/dev/null
check "restore of one service" 0 $?
check "  brings back its facts" same "$(facts "$app" --service zuid | cmp -s - "$tmp/zuid.before.json" && echo same || echo differ)"
check "  and leaves the other service as it was" same \
  "$(facts "$app" --service noord | cmp -s - "$tmp/noord.before.json" && echo same || echo differ)"
"$bin" --db "$app" restore "$tmp/zuid.backup.db" 2>"$tmp/r.err"
check "restore without --service on an installation with several is refused" 1 $?
check "  and says which to choose" 1 "$(grep -c 'say which with --service CODE' "$tmp/r.err")"

# the service commands
"$bin" --db "$owner" service add "Bad Code" --name x 2>"$tmp/a.err"
check "service add refuses a bad code" 1 $?
check "  and says what a code is" 1 "$(grep -c "service code 'Bad Code': use 1 to 32 of a-z, 0-9 and '-'" "$tmp/a.err")"
"$bin" --db "$owner" service add west --name "Dienst West" --host zuid.test 2>"$tmp/a2.err"
check "service add refuses a host another service has" 1 $?
check "  and names it" 1 "$(grep -c "host 'zuid.test' belongs to another service" "$tmp/a2.err")"
"$bin" --db "$owner" service add noord --name again 2>"$tmp/a3.err"
check "service add refuses a code that is taken" 1 "$(grep -c "service code 'noord' is taken" "$tmp/a3.err")"
"$bin" --db "$owner" service add west --name "Dienst West" --host west.test >/dev/null
check "service add" 0 $?
west_id=$(psql "$owner" -qAtc "SELECT id FROM service WHERE code = 'west'")
check "  a new service has the standard questionnaires" 2 \
  "$(psql "$owner" -qAt -c "SET bereik.service = '$west_id'" -c "SELECT count(*) FROM questionnaire")"
check "  and the school holidays" 1 \
  "$([ "$(psql "$owner" -qAt -c "SET bereik.service = '$west_id'" -c "SELECT count(*) FROM holiday")" -gt 50 ] && echo 1 || echo 0)"
check "  and no registrations" 0 "$(count "$west_id")"
"$bin" --db "$owner" service suspend west >/dev/null
check "service suspend" suspended "$("$bin" --db "$owner" service list | awk '$1=="west"{print $2}')"
"$bin" --db "$owner" service resume west >/dev/null
check "service resume" active "$("$bin" --db "$owner" service list | awk '$1=="west"{print $2}')"
"$bin" --db "$app" report --format json >/dev/null 2>"$tmp/c.err"
check "a command without --service on several services is refused" 1 "$(grep -c 'holds 4 services: say which with --service CODE' "$tmp/c.err")"
"$bin" --db "$app" --service nergens report >/dev/null 2>"$tmp/c2.err"
check "an unknown --service is named" 1 "$(grep -c "no service with code 'nergens'" "$tmp/c2.err")"
"$bin" --db "$tmp/noord.db" --service noord report >/dev/null 2>"$tmp/c3.err"
check "--service on a SQLite file is refused" 1 "$(grep -c 'a SQLite database holds one service' "$tmp/c3.err")"
"$bin" --db "$owner" service grant bereik_owner 2>"$tmp/g.err"
check "service grant refuses the owner" 1 "$(grep -c "is the owner" "$tmp/g.err")"
"$bin" --db "$pg/$multi" --service noord report >/dev/null 2>"$tmp/s.err"
check "a superuser (bypasses row-level security) is refused on several services" 1 \
  "$(grep -c 'bypasses row-level security' "$tmp/s.err")"
check "the audit trail of a service has its migration" 1 \
  "$(psql "$owner" -qAt -c "SET bereik.service = '$noord_id'" -c "SELECT count(*) FROM audit WHERE action = 'migrate'")"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
