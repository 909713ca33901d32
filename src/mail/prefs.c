/* SPDX-License-Identifier: EUPL-1.2 */
#include "mail/prefs.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/escape.h"
#include "db/db.h"
#include "domain/audit.h"

int mail_prefs_get(struct db *db, int64_t user_id, struct mail_prefs *p) {
  memset(p, 0, sizeof *p);
  struct db_stmt *st =
      db_prepare(db, "SELECT email, mail_reminders, mail_reports, mail_lang FROM app_user WHERE id = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, user_id);
  int rc = db_step(st), out = 1;
  if (rc == DB_ROW) {
    const char *e = db_col_text(st, 0), *l = db_col_text(st, 3);
    snprintf(p->email, sizeof p->email, "%s", e ? e : "");
    p->reminders = db_col_int64(st, 1) != 0;
    p->reports = db_col_int64(st, 2) != 0;
    snprintf(p->lang, sizeof p->lang, "%s", l && !strcmp(l, "en") ? "en" : "nl");
    out = 0;
  } else if (rc != DB_DONE) {
    out = -1;
  }
  db_finalize(st);
  return out;
}

int64_t mail_user_id(struct db *db, const char *login) {
  struct db_stmt *st = db_prepare(db, "SELECT id FROM app_user WHERE login = ?");
  if (!st) return 0;
  db_bind_text(st, 1, login);
  int64_t id = db_step(st) == DB_ROW ? db_col_int64(st, 0) : 0;
  db_finalize(st);
  return id;
}

static void prefs_json(struct buf *b, const struct mail_prefs *p) {
  buf_puts(b, "{\"email\":");
  if (p->email[0]) {
    escape_json(b, p->email);
  } else {
    buf_puts(b, "null");
  }
  buf_printf(b, ",\"reminders\":%s,\"reports\":%s,\"lang\":\"%s\"}", p->reminders ? "true" : "false",
             p->reports ? "true" : "false", p->lang);
}

static char *login_of(struct db *db, int64_t user_id, char *out, size_t n) {
  struct db_stmt *st = db_prepare(db, "SELECT login FROM app_user WHERE id = ?");
  out[0] = 0;
  if (!st) return NULL;
  db_bind_int64(st, 1, user_id);
  if (db_step(st) == DB_ROW) snprintf(out, n, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
  db_finalize(st);
  return out[0] ? out : NULL;
}

enum mail_prefs_fault mail_prefs_set(struct db *db, int64_t user_id, const struct mail_prefs *p,
                                     const char *actor, int64_t now) {
  if (p->email[0] && !mail_addr_ok(p->email)) return MAIL_PREFS_BAD_ADDRESS;
  if (strcmp(p->lang, "nl") && strcmp(p->lang, "en")) return MAIL_PREFS_BAD_LANG;
  struct mail_prefs before;
  char login[128];
  if (db_begin_write_quiet(db) != DB_OK) return MAIL_PREFS_FAILED;
  int g = mail_prefs_get(db, user_id, &before);
  if (g != 0 || !login_of(db, user_id, login, sizeof login)) {
    db_rollback(db);
    return g == 1 ? MAIL_PREFS_NO_USER : MAIL_PREFS_FAILED;
  }
  struct mail_prefs after = *p;
  after.reminders = p->reminders != 0;
  after.reports = p->reports != 0;
  if (!strcmp(before.email, after.email) && before.reminders == after.reminders &&
      before.reports == after.reports && !strcmp(before.lang, after.lang)) {
    db_rollback(db);
    return MAIL_PREFS_OK;
  }
  struct db_stmt *st = db_prepare(
      db, "UPDATE app_user SET email = ?, mail_reminders = ?, mail_reports = ?, mail_lang = ? WHERE id = ?");
  int ok = st != NULL;
  if (ok) {
    if (after.email[0])
      db_bind_text(st, 1, after.email);
    else
      db_bind_null(st, 1);
    db_bind_int64(st, 2, after.reminders);
    db_bind_int64(st, 3, after.reports);
    db_bind_text(st, 4, after.lang);
    db_bind_int64(st, 5, user_id);
    ok = db_step(st) == DB_DONE;
    db_finalize(st);
  }
  struct buf b1 = {0}, b2 = {0};
  prefs_json(&b1, &before);
  prefs_json(&b2, &after);
  if (ok)
    ok = audit_write(db, now, actor, "mail_prefs", "user", login, buf_str(&b1), buf_str(&b2), NULL) == 0;
  buf_free(&b1);
  buf_free(&b2);
  if (ok && db_commit(db) == DB_OK) return MAIL_PREFS_OK;
  db_rollback(db);
  return MAIL_PREFS_FAILED;
}

enum mail_prefs_fault mail_prefs_set_login(struct db *db, const char *login, const struct mail_prefs *p,
                                           const char *actor, int64_t now) {
  int64_t id = mail_user_id(db, login);
  if (!id) return MAIL_PREFS_NO_USER;
  return mail_prefs_set(db, id, p, actor, now);
}
