/* SPDX-License-Identifier: EUPL-1.2 */
#include "domain/audit.h"

#include <time.h>

#include "core/dates.h"
#include "db/db.h"

int audit_write(struct db *db, int64_t now, const char *actor, const char *action, const char *object_type,
                const char *object_key, const char *before, const char *after, const char *detail) {
  char at[32];
  time_t t = (time_t)now;
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
  struct db_stmt *st =
      db_prepare(db, "INSERT INTO audit (at, actor, action, object_type, object_key, before_json, "
                     "after_json, detail_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return -1;
  const char *v[8] = {at, actor, action, object_type, object_key, before, after, detail};
  for (int i = 0; i < 8; i++) db_bind_text(st, i + 1, v[i]);
  int rc = db_step(st) == DB_DONE ? 0 : -1;
  db_finalize(st);
  return rc;
}

int audit_latest(struct db *db, int limit, audit_entry_fn fn, void *ctx) {
  struct db_stmt *st = db_prepare(db, "SELECT at, actor, action, object_type, object_key, before_json, "
                                      "after_json, detail_json FROM audit ORDER BY id DESC LIMIT ?");
  if (!st) return -1;
  db_bind_int64(st, 1, limit);
  int step;
  while ((step = db_step(st)) == DB_ROW) {
    struct audit_entry e = {db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3),
                            db_col_text(st, 4), db_col_text(st, 5), db_col_text(st, 6), db_col_text(st, 7)};
    fn(ctx, &e);
  }
  db_finalize(st);
  return step == DB_ERROR ? -1 : 0;
}

int school_year_lock(struct db *db, int year, int lock, int64_t now, const char *actor) {
  if (db_begin_write(db) != DB_OK) return -1;
  int ok = 1;
  int64_t before = 0;
  struct db_stmt *st = db_prepare(db, "SELECT locked FROM setting WHERE school_year = ?");
  ok = st != NULL;
  if (st) {
    db_bind_int64(st, 1, year);
    int step = db_step(st);
    before = step == DB_ROW ? db_col_int64(st, 0) : 0;
    ok = step != DB_ERROR;
    db_finalize(st);
  }
  if (ok && before != lock) {
    /* a year without settings gets the defaults of DOMAIN.md section 5 */
    st = db_prepare(db,
                    "INSERT INTO setting (school_year, hours_per_fte, reach_rule, locked) VALUES (?, 1185, "
                    "'contact', ?) ON CONFLICT (school_year) DO UPDATE SET locked = excluded.locked");
    ok = st != NULL;
    if (st) {
      db_bind_int64(st, 1, year);
      db_bind_int64(st, 2, lock);
      ok = db_step(st) == DB_DONE;
      db_finalize(st);
    }
    char key[16];
    school_year_format(year, key);
    if (ok)
      ok = audit_write(db, now, actor, lock ? "lock" : "reopen", "school_year", key,
                       before ? "{\"locked\": true}" : "{\"locked\": false}",
                       lock ? "{\"locked\": true}" : "{\"locked\": false}", NULL) == 0;
  }
  if (ok && db_commit(db) == DB_OK) return 0;
  db_rollback(db);
  return -1;
}
