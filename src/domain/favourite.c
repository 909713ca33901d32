/* SPDX-License-Identifier: EUPL-1.2 */
/* Favourites of the registration form (domain/favourite.h). */
#include "domain/favourite.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/escape.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/bounds.h"

void favourites_free(struct favourites *f) {
  for (size_t i = 0; i < f->n; i++) {
    free(f->items[i].name);
    free(f->items[i].fields);
  }
  free(f->items);
  f->items = NULL;
  f->n = 0;
}

int favourite_list(struct db *db, int64_t advisor_id, struct favourites *out) {
  memset(out, 0, sizeof *out);
  struct db_stmt *st =
      db_prepare(db, "SELECT id, name, fields FROM favourite WHERE advisor_id = ? ORDER BY name, id");
  if (!st) return -1;
  db_bind_int64(st, 1, advisor_id);
  size_t cap = 0;
  int step;
  while ((step = db_step(st)) == DB_ROW) {
    if (out->n == cap) {
      cap = cap ? cap * 2 : 8;
      out->items = xrealloc(out->items, cap * sizeof *out->items);
    }
    struct favourite *f = &out->items[out->n++];
    f->id = db_col_int64(st, 0);
    f->name = xstrdup(db_col_text(st, 1));
    f->fields = xstrdup(db_col_text(st, 2));
  }
  db_finalize(st);
  if (step != DB_DONE) {
    favourites_free(out);
    return -1;
  }
  return 0;
}

static void audit_obj(struct buf *j, const char *name, const char *fields) {
  buf_puts(j, "{\"name\": ");
  escape_json(j, name);
  buf_puts(j, ", \"fields\": ");
  escape_json(j, fields);
  buf_putc(j, '}');
}

/* The favourite of advisor_id called name (or with id, when name is NULL): its id and a
   copy of its name and fields; 0 when none, -1 on error. */
static int64_t find(struct db *db, int64_t advisor_id, const char *name, int64_t id, char **name_out,
                    char **fields_out) {
  struct db_stmt *st =
      name ? db_prepare(db, "SELECT id, name, fields FROM favourite WHERE advisor_id = ? AND name = ?")
           : db_prepare(db, "SELECT id, name, fields FROM favourite WHERE advisor_id = ? AND id = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, advisor_id);
  if (name)
    db_bind_text(st, 2, name);
  else
    db_bind_int64(st, 2, id);
  int step = db_step(st);
  int64_t found = step == DB_ROW ? db_col_int64(st, 0) : step == DB_DONE ? 0 : -1;
  if (found > 0) {
    *name_out = xstrdup(db_col_text(st, 1));
    *fields_out = xstrdup(db_col_text(st, 2));
  }
  db_finalize(st);
  return found;
}

enum favourite_result favourite_save(struct db *db, int64_t advisor_id, const char *name, const char *fields,
                                     const char *actor, int64_t now) {
  size_t chars = 0;
  while (name && (*name == ' ')) name++;
  if (!name || !*name) return FAV_NAME_EMPTY;
  if (bounds_text(name, FAVOURITE_NAME_MAX, 0, &chars) != TEXT_OK) return FAV_NAME_TOO_LONG;
  if (!fields || strlen(fields) > FAVOURITE_FIELDS_MAX) return FAV_FAILED;
  if (db_begin_write(db) != DB_OK) return FAV_FAILED;
  enum favourite_result res = FAV_FAILED;
  char *old_name = NULL, *old_fields = NULL;
  struct buf before = {0}, after = {0};
  struct db_stmt *st = NULL;
  int64_t id = find(db, advisor_id, name, 0, &old_name, &old_fields);
  if (id < 0) goto out;
  if (id == 0) {
    st = db_prepare(db, "SELECT COUNT(*) FROM favourite WHERE advisor_id = ?");
    if (!st) goto out;
    db_bind_int64(st, 1, advisor_id);
    int64_t n = db_step(st) == DB_ROW ? db_col_int64(st, 0) : -1;
    db_finalize(st);
    if (n < 0) goto out;
    if (n >= FAVOURITES_MAX) {
      res = FAV_TOO_MANY;
      goto out;
    }
    st = db_prepare(db, "INSERT INTO favourite (advisor_id, name, fields, created_at) VALUES (?, ?, ?, ?)");
    if (!st) goto out;
    db_bind_int64(st, 1, advisor_id);
    db_bind_text(st, 2, name);
    db_bind_text(st, 3, fields);
    db_bind_int64(st, 4, now);
  } else {
    audit_obj(&before, old_name, old_fields);
    st = db_prepare(db, "UPDATE favourite SET fields = ?, created_at = ? WHERE id = ?");
    if (!st) goto out;
    db_bind_text(st, 1, fields);
    db_bind_int64(st, 2, now);
    db_bind_int64(st, 3, id);
  }
  int ok = db_step(st) == DB_DONE;
  db_finalize(st);
  if (!ok) goto out;
  audit_obj(&after, name, fields);
  if (audit_write(db, now, actor, id ? "update" : "create", "favourite", name, id ? buf_str(&before) : NULL,
                  buf_str(&after), NULL) != 0)
    goto out;
  res = FAV_OK;
out:
  if (res == FAV_OK && db_commit(db) != DB_OK) res = FAV_FAILED;
  if (res != FAV_OK) db_rollback(db);
  free(old_name);
  free(old_fields);
  buf_free(&before);
  buf_free(&after);
  return res;
}

int favourite_delete(struct db *db, int64_t advisor_id, int64_t id, const char *actor, int64_t now) {
  if (db_begin_write(db) != DB_OK) return -1;
  char *name = NULL, *fields = NULL;
  struct buf before = {0};
  int rc = -1;
  int64_t found = find(db, advisor_id, NULL, id, &name, &fields);
  if (found < 0) goto out;
  if (found > 0) {
    struct db_stmt *st = db_prepare(db, "DELETE FROM favourite WHERE id = ? AND advisor_id = ?");
    if (!st) goto out;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, advisor_id);
    int ok = db_step(st) == DB_DONE;
    db_finalize(st);
    if (!ok) goto out;
    audit_obj(&before, name, fields);
    if (audit_write(db, now, actor, "delete", "favourite", name, buf_str(&before), NULL, NULL) != 0) goto out;
  }
  rc = 0;
out:
  if (rc == 0 && db_commit(db) != DB_OK) rc = -1;
  if (rc != 0) db_rollback(db);
  free(name);
  free(fields);
  buf_free(&before);
  return rc;
}
