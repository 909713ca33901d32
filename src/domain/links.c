/* SPDX-License-Identifier: EUPL-1.2 */
#include "domain/links.h"

#include "db/db.h"

int link_cursor_open(struct link_cursor *c, struct db *db, const char *sql, int64_t lo, int64_t hi) {
  c->st = db_prepare(db, sql);
  if (!c->st) return -1;
  db_bind_int64(c->st, 1, lo);
  db_bind_int64(c->st, 2, hi);
  c->has_row = db_step(c->st) == DB_ROW;
  c->reg = c->has_row ? db_col_int64(c->st, 0) : INT64_MAX;
  return 0;
}

void link_cursor_next(struct link_cursor *c) {
  c->has_row = db_step(c->st) == DB_ROW;
  c->reg = c->has_row ? db_col_int64(c->st, 0) : INT64_MAX;
}
