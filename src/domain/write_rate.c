/* SPDX-License-Identifier: EUPL-1.2 */
#include "domain/write_rate.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/numbers.h"
#include "db/db.h"

/* process configuration, set once at start-up (not shared state: every process of an
   installation is started with the same options) */
static int limit_per_minute = WRITE_RATE_DEFAULT;

void write_rate_set_limit(int per_minute) { limit_per_minute = per_minute; }
int write_rate_limit(void) { return limit_per_minute; }

int write_rate_parse(const char *s, int *per_minute) {
  char num[32];
  const char *slash = strchr(s, '/');
  size_t n = slash ? (size_t)(slash - s) : strlen(s);
  if (n == 0 || n >= sizeof num || (slash && strcmp(slash, "/MIN") && strcmp(slash, "/min"))) return -1;
  memcpy(num, s, n);
  num[n] = 0;
  int64_t v;
  if (parse_int64(num, &v) != 0 || v < 0 || v > 1000000) return -1;
  *per_minute = (int)v;
  return 0;
}

int write_rate_hit(struct db *db, const char *kind, const char *secret, int64_t now, int64_t *retry_after) {
  *retry_after = 0;
  if (limit_per_minute <= 0 || !secret) return 0;
  unsigned char h[16];
  crypto_generichash(h, sizeof h, (const unsigned char *)secret, strlen(secret), NULL, 0);
  char key[64];
  int off = snprintf(key, sizeof key, "%s:", kind);
  sodium_bin2hex(key + off, sizeof key - (size_t)off, h, sizeof h);
  struct db_stmt *st = db_prepare(db, "SELECT window_start, writes FROM write_rate WHERE key = ?");
  if (!st) return -1;
  db_bind_text(st, 1, key);
  int rc = db_step(st);
  int64_t start = 0, writes = 0;
  int found = rc == DB_ROW;
  if (found) {
    start = db_col_int64(st, 0);
    writes = db_col_int64(st, 1);
  }
  db_finalize(st);
  if (rc == DB_ERROR) return -1;
  if (found && now < start + WRITE_RATE_WINDOW) {
    if (writes >= limit_per_minute) {
      *retry_after = start + WRITE_RATE_WINDOW - now;
      if (*retry_after < 1) *retry_after = 1;
      return 1;
    }
    st = db_prepare(db, "UPDATE write_rate SET writes = writes + 1 WHERE key = ?");
    if (!st) return -1;
    db_bind_text(st, 1, key);
    rc = db_step(st);
    db_finalize(st);
    return rc == DB_DONE ? 0 : -1;
  }
  /* a new window: purge the ended ones (of every client), then start this one */
  st = db_prepare(db, "DELETE FROM write_rate WHERE window_start <= ?");
  if (!st) return -1;
  db_bind_int64(st, 1, now - WRITE_RATE_WINDOW);
  rc = db_step(st);
  db_finalize(st);
  if (rc != DB_DONE) return -1;
  st = db_prepare(db, "INSERT INTO write_rate (key, window_start, writes) VALUES (?, ?, 1) "
                      "ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start, writes = 1");
  if (!st) return -1;
  db_bind_text(st, 1, key);
  db_bind_int64(st, 2, now);
  rc = db_step(st);
  db_finalize(st);
  return rc == DB_DONE ? 0 : -1;
}
