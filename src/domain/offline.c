/* SPDX-License-Identifier: EUPL-1.2 */
#include "domain/offline.h"

#include <stdio.h>
#include <string.h>

#include "core/dates.h"
#include "db/db.h"

int idem_key_valid(const char *key) {
  if (!key) return 0;
  size_t n = strlen(key);
  if (n < 8 || n > IDEM_KEY_MAX) return 0;
  for (const char *p = key; *p; p++) {
    char c = *p;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == '.' || c == ':'))
      return 0;
  }
  return 1;
}

int idem_key_find(struct db *db, int64_t user_id, const char *key, char *ext, size_t n) {
  struct db_stmt *st =
      db_prepare(db, "SELECT reg_ext_id FROM idempotency_key WHERE user_id = ? AND idem_key = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, user_id);
  db_bind_text(st, 2, key);
  int rc = db_step(st), found = 0;
  if (rc == DB_ROW) {
    snprintf(ext, n, "%s", db_col_text(st, 0));
    found = 1;
  }
  db_finalize(st);
  return rc == DB_ERROR ? -1 : found;
}

int idem_key_record(struct db *db, int64_t user_id, const char *key, const char *ext_id, int64_t now) {
  struct db_stmt *st = db_prepare(
      db, "INSERT INTO idempotency_key (user_id, idem_key, reg_ext_id, created_at) VALUES (?, ?, ?, ?)");
  if (!st) return -1;
  db_bind_int64(st, 1, user_id);
  db_bind_text(st, 2, key);
  db_bind_text(st, 3, ext_id);
  db_bind_int64(st, 4, now);
  int rc = db_step(st);
  db_finalize(st);
  return rc == DB_DONE ? 0 : -1;
}

int timer_get(struct db *db, int64_t user_id, int64_t *started) {
  struct db_stmt *st = db_prepare(db, "SELECT started_at FROM user_timer WHERE user_id = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, user_id);
  int rc = db_step(st), found = 0;
  if (rc == DB_ROW) {
    *started = db_col_int64(st, 0);
    found = 1;
  }
  db_finalize(st);
  return rc == DB_ERROR ? -1 : found;
}

int timer_start(struct db *db, int64_t user_id, int64_t now) {
  if (db_begin_write_quiet(db) != DB_OK) return -1;
  struct db_stmt *st = db_prepare(db, "INSERT INTO user_timer (user_id, started_at) VALUES (?, ?) "
                                      "ON CONFLICT (user_id) DO NOTHING");
  int rc = DB_ERROR;
  if (st) {
    db_bind_int64(st, 1, user_id);
    db_bind_int64(st, 2, now);
    rc = db_step(st);
    db_finalize(st);
  }
  if (rc == DB_DONE && db_commit(db) == DB_OK) return 0;
  db_rollback(db);
  return -1;
}

int timer_stop(struct db *db, int64_t user_id, int64_t *started) {
  if (db_begin_write_quiet(db) != DB_OK) return -1;
  int found = timer_get(db, user_id, started);
  if (found == 1) {
    struct db_stmt *st = db_prepare(db, "DELETE FROM user_timer WHERE user_id = ?");
    int rc = DB_ERROR;
    if (st) {
      db_bind_int64(st, 1, user_id);
      rc = db_step(st);
      db_finalize(st);
    }
    if (rc != DB_DONE) found = -1;
  }
  if (found >= 0 && db_commit(db) == DB_OK) return found;
  db_rollback(db);
  return -1;
}

/* The last Sunday of month M of year Y, as a day number. */
static int32_t last_sunday(int y, int m) {
  int32_t last = m == 12 ? days_from_civil(y + 1, 1, 1) - 1 : days_from_civil(y, m + 1, 1) - 1;
  /* 1970-01-01 was a Thursday: (day + 4) % 7 is 0 on Sundays */
  int wd = (int)(((last + 4) % 7 + 7) % 7);
  return last - wd;
}

void brussels_minute(int64_t t, int32_t *day, int *minute) {
  int32_t utc_day = (int32_t)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
  int y, m, d;
  civil_from_days(utc_day, &y, &m, &d);
  int64_t dst_start = (int64_t)last_sunday(y, 3) * 86400 + 3600,
          dst_end = (int64_t)last_sunday(y, 10) * 86400 + 3600;
  int64_t local = t + (t >= dst_start && t < dst_end ? 7200 : 3600) + 30; /* + 30: to the nearest minute */
  int64_t mins = local >= 0 ? local / 60 : -((-local + 59) / 60);
  *day = (int32_t)(mins >= 0 ? mins / 1440 : -((-mins + 1439) / 1440));
  *minute = (int)(mins - (int64_t)*day * 1440);
}
