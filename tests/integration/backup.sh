#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# bereik backup / restore on the engine of engine.sh, while `bereik serve` runs and
# another process keeps writing: the copy is intact and a consistent snapshot (the
# registrations written one transaction after another are present up to some point and
# none after it); a copy of a quiet database restores to identical facts and an
# identical dataset, also into the live database; bad files and existing targets are
# refused and change nothing.
# usage: backup.sh BEREIK_BIN
set -u
bin=${1:?usage: backup.sh BEREIK_BIN}
. "$(dirname "$0")/engine.sh"
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]+"${pids[@]}"}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${pids[@]+"${pids[@]}"}"; do wait "$p" 2>/dev/null; done
  engine_cleanup
  rm -rf "$tmp"
}
trap cleanup EXIT
passed=0
failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
check() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "expected '$2', got '$3'"; fi; }
echo "engine: $ENGINE"

db=$(engine_new_db "$tmp" live)
"$bin" --db "$db" init && "$bin" --db "$db" demo --seed 1 >/dev/null 2>&1 || { echo "demo failed"; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" --db "$db" serve --listen "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
check "the server runs" "200" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")"

one_registration() { # DIR ID
  mkdir -p "$1"
  printf 'id,date,minutes,kind,line,advisors,institutions,modality\n%s,2025-10-07,15,client,P3,BC,SAA,fysiek\n' "$2" >"$1/registrations.csv"
}
facts() { "$bin" --db "$1" report --years 2025-2026 --format csv -o "$2"; }

# ---- a backup while another process writes ----
n=40
(
  for k in $(seq "$n"); do
    one_registration "$tmp/w$k" "bk-$k"
    "$bin" --db "$db" import "$tmp/w$k" >/dev/null 2>&1 || echo "import $k failed" >>"$tmp/writer.err"
  done
) &
writer=$!
sleep 0.3
"$bin" --db "$db" backup "$tmp/during.bak" >"$tmp/out" 2>&1
check "backup while the server runs and another process writes" "0" "$?"
wait "$writer"
[ -s "$tmp/writer.err" ] && fail "the writer's imports" "$(cat "$tmp/writer.err")" || ok "the writer's $n imports all committed"
if [ "$ENGINE" = sqlite ]; then
  check "the copy passes PRAGMA integrity_check" "ok" "$(sqlite3 "$tmp/during.bak" 'PRAGMA integrity_check')"
fi
db2=$(engine_new_db "$tmp" during)
"$bin" --db "$db2" restore "$tmp/during.bak" >/dev/null 2>"$tmp/err"
check "restore the copy into an empty database" "0" "$?"
m=$(engine_sql "$db2" "SELECT COUNT(*) FROM registration WHERE ext_id LIKE 'bk-%'")
want=$(for k in $(seq "$m"); do echo "bk-$k"; done | sort)
got=$(engine_sql "$db2" "SELECT ext_id FROM registration WHERE ext_id LIKE 'bk-%'" | sort)
[ "$got" = "$want" ] && ok "a consistent snapshot: bk-1..bk-$m of $n, none after" || fail "snapshot" "$got"
check "every registration has its advisor in the copy" "0" "$(engine_sql "$db2" "SELECT COUNT(*) FROM registration r WHERE NOT EXISTS (SELECT 1 FROM registration_advisor ra WHERE ra.registration_id = r.id)")"
"$bin" --db "$db2" report --format csv -o "$tmp/f-during.csv" && ok "the copy reports" || fail "report of the copy" ""

# ---- a backup of a quiet database restores to identical facts and dataset ----
"$bin" --db "$db" backup "$tmp/quiet.bak" >/dev/null 2>&1
check "backup of the quiet database" "0" "$?"
db3=$(engine_new_db "$tmp" quiet)
"$bin" --db "$db3" restore "$tmp/quiet.bak" >/dev/null 2>&1
check "restore into an empty database" "0" "$?"
"$bin" --db "$db" report --format csv -o "$tmp/f-live.csv"
"$bin" --db "$db3" report --format csv -o "$tmp/f-restored.csv"
cmp -s "$tmp/f-live.csv" "$tmp/f-restored.csv" && ok "every fact of every year is identical after restore ($(wc -l <"$tmp/f-live.csv") facts)" || fail "facts after restore" "differ"
"$bin" --db "$db" export "$tmp/x-live" >/dev/null
"$bin" --db "$db3" export "$tmp/x-restored" >/dev/null
diff -r "$tmp/x-live" "$tmp/x-restored" >/dev/null && ok "every file of the dataset is identical after restore" || fail "dataset after restore" "differs"
check "accounts and audit come along" "$(engine_sql "$db" "SELECT COUNT(*) FROM app_user") $(engine_sql "$db" "SELECT COUNT(*) FROM audit")" \
  "$(engine_sql "$db3" "SELECT COUNT(*) FROM app_user") $(engine_sql "$db3" "SELECT COUNT(*) FROM audit")"

# ---- restore into the live database while the server runs ----
one_registration "$tmp/extra" "bk-extra"
"$bin" --db "$db" import "$tmp/extra" >/dev/null 2>&1
"$bin" --db "$db" restore "$tmp/quiet.bak" >/dev/null 2>"$tmp/err"
check "restore into the live database" "0" "$?"
"$bin" --db "$db" report --format csv -o "$tmp/f-back.csv"
cmp -s "$tmp/f-live.csv" "$tmp/f-back.csv" && ok "the live database has the backup's facts again" || fail "live restore" "facts differ"
check "the registration made after the backup is gone" "0" "$(engine_sql "$db" "SELECT COUNT(*) FROM registration WHERE ext_id = 'bk-extra'")"
check "the server still answers" "200" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/login")"

# ---- refusals change nothing ----
cp "$tmp/quiet.bak" "$tmp/quiet.copy"
"$bin" --db "$db" backup "$tmp/quiet.bak" >/dev/null 2>"$tmp/err"
check "a backup never overwrites a file" "1" "$?"
grep -q "exists" "$tmp/err" && ok "it says the file exists" || fail "message" "$(cat "$tmp/err")"
cmp -s "$tmp/quiet.bak" "$tmp/quiet.copy" && ok "the existing file is untouched" || fail "existing file" "changed"
head -c 100000 /dev/urandom >"$tmp/garbage.bak"
"$bin" --db "$db" restore "$tmp/garbage.bak" >/dev/null 2>"$tmp/err"
check "restore of a file that is no backup is refused" "1" "$?"
grep -q "unchanged" "$tmp/err" && ok "it says the database is unchanged" || fail "message" "$(cat "$tmp/err")"
"$bin" --db "$db" restore "$tmp/missing.bak" >/dev/null 2>&1
check "restore of a missing file is refused" "1" "$?"
"$bin" --db "$db" report --format csv -o "$tmp/f-after.csv"
cmp -s "$tmp/f-live.csv" "$tmp/f-after.csv" && ok "refused restores changed no fact" || fail "refused restore" "facts changed"
ls "$tmp" | grep -q '\.tmp-' && fail "temporary files" "left behind" || ok "no temporary file left behind"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
