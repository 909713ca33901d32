#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# SQLite and PostgreSQL give the same product: a generated dataset (100,000
# registrations by default) gives identical facts and an identical export on both
# engines, and migrate-db moves an installation (demo data plus a dataset import, with
# its audit trail) from SQLite to PostgreSQL and back with identical facts, export and
# audit. Needs BEREIK_TEST_PG (scripts/test.sh starts a server); exits 77 without it.
# usage: engines.sh BEREIK_BIN SHARED_DIR [REGISTRATIONS]
set -u
bin=${1:?usage: engines.sh BEREIK_BIN SHARED_DIR [REGISTRATIONS]}
shared=${2:?usage: engines.sh BEREIK_BIN SHARED_DIR [REGISTRATIONS]}
n=${3:-100000}
BEREIK_TEST_ENGINE=postgresql
. "$(dirname "$0")/engine.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'engine_cleanup; rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

python3 "$here/bench/gen-dataset.py" --registrations "$n" --seed 7 "$tmp/data" >/dev/null
pg=$(engine_new_db "$tmp" gen)
lite="$tmp/gen.db"
for db in "$lite" "$pg"; do
  "$bin" --db "$db" init && "$bin" --db "$db" import "$tmp/data" 2>"$tmp/import.err" ||
    fail "import of $n registrations into $db" "$(tail -5 "$tmp/import.err")"
done
"$bin" --db "$lite" report --format csv -o "$tmp/lite.csv"
"$bin" --db "$pg" report --format csv -o "$tmp/pg.csv"
out=$("$shared/tools/facts-diff" "$tmp/lite.csv" "$tmp/pg.csv") &&
  ok "$n registrations: identical facts on both engines ($(echo "$out" | tail -1))" ||
  fail "$n registrations: facts differ" "$(echo "$out" | tail -20)"
"$bin" --db "$lite" export "$tmp/x-lite" && "$bin" --db "$pg" export "$tmp/x-pg" &&
  diff -r "$tmp/x-lite" "$tmp/x-pg" >/dev/null &&
  ok "$n registrations: identical export from both engines" || fail "export differs between engines" ""

# migrate-db: SQLite -> PostgreSQL -> SQLite, on demo data
src="$tmp/src.db"
# demo data (one import) and a second import of its own export: two audit entries
"$bin" --db "$src" init && "$bin" --db "$src" demo --seed 3 2>/dev/null &&
  "$bin" --db "$src" export "$tmp/demo-export" &&
  "$bin" --db "$src" import "$tmp/demo-export" 2>/dev/null || fail "preparing the installation" ""
# the account and write-limit state of migrations 005 and 006 travels too
sqlite3 "$src" "UPDATE registration SET author_id = (SELECT MIN(id) FROM advisor) WHERE id % 7 = 0;
UPDATE app_user SET totp_last_step = 56789012, totp_pending = 'JBSWY3DPEHPK3PXP' WHERE id = (SELECT MIN(id) FROM app_user);
INSERT INTO recovery_code (user_id, code_hash, used_at) SELECT id, 'hash-' || id, NULL FROM app_user;
UPDATE recovery_code SET used_at = 1764000000 WHERE id = (SELECT MIN(id) FROM recovery_code);
INSERT INTO device (id_hash, user_id, created_at) SELECT 'dev-' || id, id, 1764000001 FROM app_user;
INSERT INTO login_setup (id_hash, user_id, expires_at) SELECT 'setup-' || id, id, 1764000002 FROM app_user;
INSERT INTO session (id_hash, user_id, csrf, created_at, last_seen, addr) SELECT 'sess-' || id, id, 'c', 1764000003, 1764000004, '192.0.2.7' FROM app_user;
INSERT INTO login_attempt (key, window_start, failures, last_failure) VALUES ('acct:x', 1764000005, 3, 1764000006);
INSERT INTO login_failure (at, login, addr, reason) VALUES (1764000007, 'onbekend', '192.0.2.8', 'password');
INSERT INTO write_rate (key, window_start, writes) VALUES ('token:abc', 1764000008, 17);" ||
  fail "preparing the account state" ""
state_sql="SELECT 'r', id, CAST(author_id AS TEXT) FROM registration WHERE author_id IS NOT NULL
UNION ALL SELECT 'u', id, login || '/' || COALESCE(CAST(totp_last_step AS TEXT), '-') || '/' || COALESCE(totp_pending, '-') FROM app_user
UNION ALL SELECT 'c', id, code_hash || '/' || COALESCE(CAST(used_at AS TEXT), '-') FROM recovery_code
UNION ALL SELECT 'd', user_id, id_hash || '/' || CAST(created_at AS TEXT) FROM device
UNION ALL SELECT 't', user_id, id_hash || '/' || CAST(expires_at AS TEXT) FROM login_setup
UNION ALL SELECT 's', user_id, id_hash || '/' || COALESCE(addr, '-') FROM session
UNION ALL SELECT 'a', failures, key || '/' || CAST(last_failure AS TEXT) FROM login_attempt
UNION ALL SELECT 'f', id, login || '/' || addr || '/' || reason FROM login_failure
UNION ALL SELECT 'w', writes, key || '/' || CAST(window_start AS TEXT) FROM write_rate
ORDER BY 1, 2, 3"
mid=$(engine_new_db "$tmp" mid)
back="$tmp/back.db"
if "$bin" migrate-db --from "$src" --to "$mid" 2>"$tmp/m1.err" &&
  "$bin" migrate-db --from "$mid" --to "$back" 2>"$tmp/m2.err"; then
  ok "migrate-db SQLite -> PostgreSQL -> SQLite"
else
  fail "migrate-db" "$(cat "$tmp/m1.err" "$tmp/m2.err" 2>/dev/null)"
fi
for db in "$src" "$mid" "$back"; do "$bin" --db "$db" report --format csv -o "$tmp/f-$(basename "$db").csv"; done
for b in "$mid" "$back"; do
  out=$("$shared/tools/facts-diff" "$tmp/f-src.db.csv" "$tmp/f-$(basename "$b").csv") &&
    cmp -s "$tmp/f-src.db.csv" "$tmp/f-$(basename "$b").csv" &&
    ok "migrate-db: identical facts in $(basename "$b") ($(echo "$out" | tail -1))" ||
    fail "migrate-db: facts differ in $(basename "$b")" "$(echo "$out" | tail -10)"
done
audit_src=$(sqlite3 "$src" "SELECT id, at, actor, action, object_type, object_key, detail_json FROM audit ORDER BY id")
audit_mid=$(engine_sql "$mid" "SELECT id, at, actor, action, object_type, object_key, detail_json FROM audit ORDER BY id")
audit_back=$(sqlite3 "$back" "SELECT id, at, actor, action, object_type, object_key, detail_json FROM audit ORDER BY id")
[ -n "$audit_src" ] && [ "$audit_src" = "$audit_mid" ] && [ "$audit_src" = "$audit_back" ] &&
  ok "migrate-db: identical audit trail ($(echo "$audit_src" | wc -l) entries)" || fail "migrate-db: audit differs" ""
users_src=$(sqlite3 "$src" "SELECT login, role, password_hash FROM app_user ORDER BY id")
users_back=$(sqlite3 "$back" "SELECT login, role, password_hash FROM app_user ORDER BY id")
[ -n "$users_src" ] && [ "$users_src" = "$users_back" ] && ok "migrate-db: accounts moved ($(echo "$users_src" | wc -l))" ||
  fail "migrate-db: accounts" "differ"
state_src=$(sqlite3 "$src" "$state_sql")
state_mid=$(engine_sql "$mid" "$state_sql")
state_back=$(sqlite3 "$back" "$state_sql")
[ "$(echo "$state_src" | grep -c '^r|')" -gt 0 ] && [ "$(echo "$state_src" | grep -c '^c|')" -gt 0 ] &&
  [ "$state_src" = "$state_mid" ] && [ "$state_src" = "$state_back" ] &&
  ok "migrate-db: authors, second factors, recovery codes, devices, sessions, throttling and write counts moved ($(echo "$state_src" | wc -l) rows)" ||
  fail "migrate-db: account state" "$(diff <(echo "$state_src") <(echo "$state_back") | head -5)"
"$bin" --db "$src" export "$tmp/e-src" && "$bin" --db "$back" export "$tmp/e-back" &&
  diff -r "$tmp/e-src" "$tmp/e-back" >/dev/null && ok "migrate-db: identical export after the round trip" ||
  fail "migrate-db: export differs" ""
# a target that already holds data is refused
if "$bin" migrate-db --from "$src" --to "$mid" 2>"$tmp/m3.err"; then
  fail "migrate-db into a non-empty database" "exit 0"
else
  grep -q "already holds data" "$tmp/m3.err" && ok "migrate-db refuses a non-empty target" ||
    fail "migrate-db into a non-empty database" "$(cat "$tmp/m3.err")"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
