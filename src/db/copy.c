/* SPDX-License-Identifier: EUPL-1.2 */
#include "db/copy.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "db/db.h"

/* Every table in an order that satisfies the foreign keys, with the type of each column
   (i integer, r real, t text) so that values cross engines exactly. */
struct table {
  const char *name, *cols, *types;
  int has_id;
  int seeded; /* the migrations fill it (the standard questionnaires): replaced by the source's */
};

static const struct table tables[] = {
    {"setting", "school_year, hours_per_fte, reach_rule, reach_min_hours, locked", "irtri", 0, 0},
    {"sector", "id, code, name, grp, position", "ittti", 1, 0},
    {"line", "id, code, name, kind, unit, position", "itttti", 1, 0},
    {"goal", "id, code, line_id, name", "itit", 1, 0},
    {"plan", "school_year, line_id, planned_fte, coloured_fte", "iirr", 0, 0},
    {"institution", "id, number, code, name, sector_id, own, active, start_date, end_date", "itttiiitt", 1,
     0},
    {"team", "id, code, name", "itt", 1, 0},
    {"team_line", "team_id, line_id", "ii", 0, 0},
    {"advisor", "id, code, name, role, fte, start_date, end_date", "itttrtt", 1, 0},
    {"team_member", "team_id, advisor_id", "ii", 0, 0},
    {"target_group", "id, code, name, position", "itti", 1, 0},
    {"target", "school_year, target_group_id, target", "iir", 0, 0},
    {"trajectory",
     "id, ext_id, institution_id, line_id, goal_id, level, shared_goal, action_plan, start_date, end_date, "
     "status, outcome, outcome_note",
     "itiiitttttttt", 1, 0},
    {"registration",
     "id, ext_id, date, minutes, kind, line_id, goal_id, modality, activity, trajectory_id, level, followup, "
     "description, author_id, created_at, updated_at",
     "ittitiittitititt", 1, 0},
    {"registration_advisor", "registration_id, advisor_id", "ii", 0, 0},
    {"registration_institution", "registration_id, institution_id", "ii", 0, 0},
    {"registration_count", "registration_id, target_group_id, count", "iii", 0, 0},
    {"pd_spend", "id, advisor_id, school_year, date, amount_eur, description", "iiitrt", 1, 0},
    /* data quality (docs/QUALITY.md): the holidays are seeded by migration 008 */
    {"holiday", "start_date, end_date, name", "ttt", 0, 1},
    {"advisor_day_off", "advisor_id, date, note", "itt", 0, 0},
    {"advisor_line_plan", "advisor_id, school_year, line_id, fte", "iiir", 0, 0},
    /* impact (docs/IMPACT.md) */
    {"trajectory_advisor", "trajectory_id, advisor_id", "ii", 0, 0},
    {"action_step", "id, trajectory_id, step, what, who, due, expected, done", "iiitttti", 1, 0},
    {"trajectory_phase", "trajectory_id, phase, date", "itt", 0, 0},
    {"followup", "id, ext_id, trajectory_id, date, note, next_step", "itittt", 1, 0},
    {"followup_registration", "followup_id, registration_id", "ii", 0, 0},
    {"registration_mechanism", "registration_id, mechanism", "it", 0, 0},
    {"questionnaire", "id, code, kind, version, title, active", "ittiti", 1, 1},
    {"question", "id, questionnaire_id, key, position, type, text, low, high", "iititttt", 1, 1},
    {"survey",
     "id, ext_id, token, questionnaire_id, trajectory_id, registration_id, created, expires, max_answers, "
     "created_by",
     "ittiiittii", 1, 0},
    {"survey_response", "id, survey_id, seq, browser", "iiit", 1, 0},
    {"survey_answer", "response_id, question_id, score, text", "iiit", 0, 0},
    {"audit", "id, at, actor, action, object_type, object_key, before_json, after_json, detail_json",
     "itttttttt", 1, 0},
    /* the web application's accounts, sessions, throttling and installation settings */
    {"app_user",
     "id, login, role, advisor_id, password_hash, totp_secret, active, created_at, totp_last_step, "
     "totp_pending, email, mail_reminders, mail_reports, mail_lang",
     "ittittitittiit", 1, 0},
    {"session", "id_hash, user_id, csrf, created_at, last_seen, addr", "titiit", 0, 0},
    {"login_attempt", "key, window_start, failures, last_failure", "tiii", 0, 0},
    {"recovery_code", "id, user_id, code_hash, used_at", "iiti", 1, 0},
    {"device", "id_hash, user_id, created_at", "tii", 0, 0},
    {"login_setup", "id_hash, user_id, expires_at", "tii", 0, 0},
    {"login_failure", "id, at, login, addr, reason", "iittt", 1, 0},
    {"write_rate", "key, window_start, writes", "tii", 0, 0},
    {"installation", "key, value", "tt", 0, 0},
    /* personal API tokens (hashes only) */
    {"api_token", "id, token_hash, user_id, label, created_at, expires_at, last_used, revoked_at", "ititiiii",
     1, 0},
    /* the sent-log of bereik mail due (docs/MAIL.md) */
    {"mail_sent", "id, kind, user_id, period, sent_at, message_id, recipient", "itititt", 1, 0},
    /* the registration form's favourites (migration 010, docs/DAY-form.md) */
    {"favourite", "id, advisor_id, name, fields, created_at", "iitti", 1, 0},
    /* the aggregates behind the facts (migration 012, domain/aggregate.h): the source's
       sums and whether they are valid, with the registrations they stand for */
    {"agg", "school_year, measure, k1, k2, value", "iiiii", 0, 0},
    {"agg_state", "id, valid", "ii", 0, 1},
};

static int copy_table(struct db *from, struct db *to, const struct table *t, char *err, size_t errlen) {
  struct buf sel = {0}, ins = {0};
  int ncols = 1;
  for (const char *p = t->cols; *p; p++) ncols += *p == ',';
  if ((int)strlen(t->types) != ncols) {
    snprintf(err, errlen, "%s: internal error: %d columns, %zu types", t->name, ncols, strlen(t->types));
    return -1;
  }
  buf_printf(&sel, "SELECT %s FROM %s ORDER BY %s", t->cols, t->name, t->has_id ? "id" : t->cols);
  buf_printf(&ins, "INSERT INTO %s (%s) VALUES (", t->name, t->cols);
  for (int i = 0; i < ncols; i++) buf_puts(&ins, i ? ", ?" : "?");
  buf_puts(&ins, ")");
  struct db_stmt *s = db_prepare(from, buf_str(&sel)), *w = db_prepare(to, buf_str(&ins));
  int rc = -1, step;
  if (!s || !w) {
    snprintf(err, errlen, "%s: %s", t->name, db_errmsg(s ? to : from));
    goto out;
  }
  while ((step = db_step(s)) == DB_ROW) {
    for (int c = 0; c < ncols; c++) {
      if (db_col_is_null(s, c))
        db_bind_null(w, c + 1);
      else if (t->types[c] == 'i')
        db_bind_int64(w, c + 1, db_col_int64(s, c));
      else if (t->types[c] == 'r')
        db_bind_double(w, c + 1, db_col_double(s, c));
      else
        db_bind_text(w, c + 1, db_col_text(s, c));
    }
    if (db_step(w) == DB_ERROR) {
      snprintf(err, errlen, "writing %s: %s", t->name, db_errmsg(to));
      goto out;
    }
  }
  if (step == DB_ERROR) {
    snprintf(err, errlen, "reading %s: %s", t->name, db_errmsg(from));
    goto out;
  }
  if (t->has_id) db_ids_assigned(to, t->name);
  rc = 0;
out:
  db_finalize(s);
  db_finalize(w);
  buf_free(&sel);
  buf_free(&ins);
  return rc;
}

/* Boards refer to institutions: they are set once every institution is there. */
static int copy_boards(struct db *from, struct db *to, char *err, size_t errlen) {
  struct db_stmt *s =
      db_prepare(from, "SELECT id, board_id FROM institution WHERE board_id IS NOT NULL ORDER BY id");
  struct db_stmt *w = db_prepare(to, "UPDATE institution SET board_id = ? WHERE id = ?");
  int rc = 0;
  if (!s || !w) rc = -1;
  while (rc == 0 && db_step(s) == DB_ROW) {
    db_bind_int64(w, 1, db_col_int64(s, 1));
    db_bind_int64(w, 2, db_col_int64(s, 0));
    if (db_step(w) == DB_ERROR) rc = -1;
  }
  if (rc) snprintf(err, errlen, "institution boards: %s", db_errmsg(to));
  db_finalize(s);
  db_finalize(w);
  return rc;
}

int db_copy(struct db *from, struct db *to, const struct copy_into *into, char *err, size_t errlen) {
  const size_t n_tables = sizeof tables / sizeof tables[0];
  db_begin_read(from); /* one consistent snapshot of the source */
  if (db_begin_write_quiet(to) != DB_OK) {
    snprintf(err, errlen, "cannot start writing the target: %s", db_errmsg(to));
    db_rollback(from);
    return -1;
  }
  int rc = into && into->prepare ? into->prepare(to, into->ctx, err, errlen) : 0;
  int64_t rows = 0;
  for (size_t i = 0; rc == 0 && i < n_tables; i++) {
    if (tables[i].seeded) continue;
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM (SELECT 1 FROM %s LIMIT 1) x", tables[i].name);
    rows += db_query_int(to, sql, 0);
  }
  if (rc == 0 && rows && !(into && into->replace)) {
    snprintf(err, errlen, "the target %s already holds data; migrate-db needs an empty one",
             db_has_services(to) ? "service" : "database");
    rc = -1;
  }
  db_bulk_hint(to);
  /* what is not copied (states of a moment) goes too when replacing */
  static const char *const transient[] = {"idempotency_key", "user_timer", "oidc_login"};
  for (size_t i = 0; rc == 0 && into && into->replace && i < sizeof transient / sizeof *transient; i++) {
    char sql[64];
    snprintf(sql, sizeof sql, "DELETE FROM %s", transient[i]);
    if (db_exec(to, sql) != DB_OK) {
      snprintf(err, errlen, "clearing %s: %s", transient[i], db_errmsg(to));
      rc = -1;
    }
  }
  /* the rows the migrations seeded (and, when replacing, every row) give way to the
     source's, dependent tables first */
  for (size_t k = 0; rc == 0 && k < n_tables; k++) {
    size_t i = n_tables - 1 - k;
    if (!tables[i].seeded && !(into && into->replace)) continue;
    char sql[128];
    snprintf(sql, sizeof sql, "%s",
             !strcmp(tables[i].name, "institution") && into && into->replace
                 ? "UPDATE institution SET board_id = NULL"
                 : "");
    if (sql[0] && db_exec(to, sql) != DB_OK) rc = -1;
    snprintf(sql, sizeof sql, "DELETE FROM %s", tables[i].name);
    if (rc == 0 && db_exec(to, sql) != DB_OK) rc = -1;
    if (rc) snprintf(err, errlen, "clearing %s: %s", tables[i].name, db_errmsg(to));
  }
  for (size_t i = 0; rc == 0 && i < n_tables; i++) rc = copy_table(from, to, &tables[i], err, errlen);
  if (rc == 0) rc = copy_boards(from, to, err, errlen);
  if (rc == 0 && into && into->finish) rc = into->finish(to, into->ctx, err, errlen);
  db_commit(from);
  if (rc != 0) {
    db_rollback(to);
    return -1;
  }
  if (db_commit(to) != DB_OK) {
    snprintf(err, errlen, "cannot commit the target: %s", db_errmsg(to));
    db_rollback(to);
    return -1;
  }
  return 0;
}
