/* SPDX-License-Identifier: EUPL-1.2 */
#include "domain/audit.h"

#include <time.h>

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
