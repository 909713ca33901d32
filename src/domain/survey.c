/* SPDX-License-Identifier: EUPL-1.2 */
/* Anonymous client surveys (survey.h): the one place that reads and writes the tables
   survey, survey_response and survey_answer. */
#include "domain/survey.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/dates.h"
#include "core/escape.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/access.h"
#include "domain/audit.h"
#include "domain/bounds.h"
#include "domain/model.h"
#include "domain/trajectory.h"

static const char *const kind_names[] = {"short", "long"};

const char *survey_kind_name(int kind) { return kind == SURVEY_LONG ? kind_names[1] : kind_names[0]; }

int survey_kind_parse(const char *s) {
  if (!s) return -1;
  if (!strcmp(s, "short")) return SURVEY_SHORT;
  if (!strcmp(s, "long")) return SURVEY_LONG;
  return -1;
}

int32_t survey_default_expiry(int kind, int32_t today) {
  return today + (kind == SURVEY_LONG ? SURVEY_DAYS_LONG : SURVEY_DAYS_SHORT);
}

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

static void copy(char *dst, size_t n, const char *s) { snprintf(dst, n, "%s", s ? s : ""); }

void survey_free(struct survey *s) {
  if (!s) return;
  free(s->title);
  for (int i = 0; i < s->nq; i++) {
    free(s->q[i].text);
    free(s->q[i].low);
    free(s->q[i].high);
  }
  free(s->q);
  memset(s, 0, sizeof *s);
}

/* ---- loading ---- */

#define SURVEY_COLUMNS                                                                                       \
  "SELECT s.id, s.ext_id, s.token, q.code, q.kind, q.title, s.trajectory_id, s.registration_id, t.ext_id, "  \
  "r.ext_id, s.created, s.expires, s.max_answers, "                                                          \
  "(SELECT COUNT(*) FROM survey_response p WHERE p.survey_id = s.id), s.questionnaire_id "                   \
  "FROM survey s JOIN questionnaire q ON q.id = s.questionnaire_id "                                         \
  "LEFT JOIN trajectory t ON t.id = s.trajectory_id "                                                        \
  "LEFT JOIN registration r ON r.id = s.registration_id "

static int64_t col_id(struct db_stmt *st, int col) {
  return db_col_is_null(st, col) ? 0 : db_col_int64(st, col);
}

/* Loads the survey whose column (ext_id or token) is value. 1, 0 or -1. */
static int load(struct db *db, const char *sql, const char *value, struct survey *s) {
  memset(s, 0, sizeof *s);
  if (!value || !*value) return 0;
  struct db_stmt *st = db_prepare(db, sql);
  if (!st) return -1;
  db_bind_text(st, 1, value);
  int rc = db_step(st);
  int64_t questionnaire = 0;
  if (rc == DB_ROW) {
    s->id = db_col_int64(st, 0);
    copy(s->ext_id, sizeof s->ext_id, db_col_text(st, 1));
    copy(s->token, sizeof s->token, db_col_text(st, 2));
    copy(s->code, sizeof s->code, db_col_text(st, 3));
    s->kind = survey_kind_parse(db_col_text(st, 4)) == SURVEY_LONG ? SURVEY_LONG : SURVEY_SHORT;
    s->title = xstrdup(db_col_text(st, 5) ? db_col_text(st, 5) : "");
    s->trajectory_id = col_id(st, 6);
    s->registration_id = col_id(st, 7);
    copy(s->object_ext, sizeof s->object_ext, db_col_text(st, s->trajectory_id ? 8 : 9));
    copy(s->created, sizeof s->created, db_col_text(st, 10));
    copy(s->expires, sizeof s->expires, db_col_text(st, 11));
    if (date_parse(s->expires, &s->expires_day) != 0) s->expires_day = 0; /* expired */
    s->max_answers = (int)db_col_int64(st, 12);
    s->n_answers = (int)db_col_int64(st, 13);
    questionnaire = db_col_int64(st, 14);
  }
  db_finalize(st);
  if (rc == DB_DONE) return 0;
  if (rc != DB_ROW) {
    survey_free(s);
    return -1;
  }
  st = db_prepare(db, "SELECT id, key, type, text, low, high FROM question WHERE questionnaire_id = ? "
                      "ORDER BY position, key");
  if (!st) {
    survey_free(s);
    return -1;
  }
  db_bind_int64(st, 1, questionnaire);
  s->q = xcalloc(SURVEY_MAX_QUESTIONS, sizeof *s->q);
  while ((rc = db_step(st)) == DB_ROW) {
    if (s->nq == SURVEY_MAX_QUESTIONS) continue;
    struct survey_question *q = &s->q[s->nq++];
    q->id = db_col_int64(st, 0);
    copy(q->key, sizeof q->key, db_col_text(st, 1));
    const char *type = db_col_text(st, 2);
    q->type = type && !strcmp(type, "open") ? QUESTION_OPEN : QUESTION_SCALE;
    q->text = xstrdup(db_col_text(st, 3) ? db_col_text(st, 3) : "");
    q->low = dup_or_null(db_col_text(st, 4));
    q->high = dup_or_null(db_col_text(st, 5));
  }
  db_finalize(st);
  if (rc != DB_DONE) {
    survey_free(s);
    return -1;
  }
  return 1;
}

int survey_by_token(struct db *db, const char *token, struct survey *s) {
  if (token && strlen(token) != SURVEY_TOKEN_LEN) {
    memset(s, 0, sizeof *s);
    return 0;
  }
  return load(db, SURVEY_COLUMNS "WHERE s.token = ?", token, s);
}

/* The model index of a trajectory id, -1 when unknown. */
static int traj_index(const struct model *m, int64_t id) {
  return id > 0 && id <= m->max_traj_id ? m->traj_of_id[id] : -1;
}

/* Whether the viewer sees the survey of trajectory id tid or registration ext reg. */
static int visible(struct db *db, const struct model *m, const struct survey_viewer *v, int64_t tid,
                   const char *reg) {
  if (tid) {
    int t = traj_index(m, tid);
    return t >= 0 && trajectory_access(m, v->user, t) != TRAJ_NONE;
  }
  if (!reg || !v->read) return 0;
  int64_t r = registration_in_scope(db, v->read, reg);
  return r < 0 ? -1 : r > 0;
}

int survey_find(struct db *db, const struct model *m, const struct survey_viewer *v, const char *ext_id,
                struct survey *s) {
  int rc = load(db, SURVEY_COLUMNS "WHERE s.ext_id = ?", ext_id, s);
  if (rc != 1) return rc;
  int vis = visible(db, m, v, s->trajectory_id, s->registration_id ? s->object_ext : NULL);
  if (vis == 1) return 1;
  survey_free(s);
  return vis < 0 ? -1 : 0;
}

int survey_open_allowed(struct db *db, const struct model *m, const struct survey_viewer *v,
                        const struct survey *s) {
  if (s->trajectory_id) {
    int t = traj_index(m, s->trajectory_id);
    return t >= 0 && trajectory_open_answers_allowed(m, v->user, t);
  }
  return v->open && s->registration_id && registration_in_scope(db, v->open, s->object_ext) > 0;
}

/* ---- the list ---- */

struct row_copy {
  char *ext_id, *token, *code, *kind, *created, *expires, *trajectory, *registration;
  int64_t trajectory_id;
  int max_answers, n_answers;
};

int survey_list(struct db *db, const struct model *m, const struct survey_viewer *v, int traj,
                survey_row_fn fn, void *ctx) {
  /* the rows first, then the access checks (which run statements of their own) */
  struct db_stmt *st = db_prepare(
      db,
      "SELECT s.ext_id, s.token, q.code, q.kind, s.created, s.expires, t.ext_id, r.ext_id, s.max_answers, "
      "(SELECT COUNT(*) FROM survey_response p WHERE p.survey_id = s.id), s.trajectory_id "
      "FROM survey s JOIN questionnaire q ON q.id = s.questionnaire_id "
      "LEFT JOIN trajectory t ON t.id = s.trajectory_id "
      "LEFT JOIN registration r ON r.id = s.registration_id ORDER BY s.created DESC, s.id DESC");
  if (!st) return -1;
  struct row_copy *rows = NULL;
  size_t n = 0, cap = 0;
  int rc;
  int64_t want = traj >= 0 && (size_t)traj < m->n_trajectories ? m->trajectories[traj].id : 0;
  while ((rc = db_step(st)) == DB_ROW) {
    int64_t tid = col_id(st, 10);
    if (traj >= 0 && tid != want) continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      rows = xrealloc(rows, cap * sizeof *rows);
    }
    struct row_copy *c = &rows[n++];
    c->ext_id = xstrdup(db_col_text(st, 0));
    c->token = xstrdup(db_col_text(st, 1));
    c->code = xstrdup(db_col_text(st, 2));
    c->kind = xstrdup(db_col_text(st, 3));
    c->created = xstrdup(db_col_text(st, 4));
    c->expires = xstrdup(db_col_text(st, 5));
    c->trajectory = dup_or_null(db_col_text(st, 6));
    c->registration = dup_or_null(db_col_text(st, 7));
    c->max_answers = (int)db_col_int64(st, 8);
    c->n_answers = (int)db_col_int64(st, 9);
    c->trajectory_id = tid;
  }
  db_finalize(st);
  int count = rc == DB_DONE ? 0 : -1;
  for (size_t i = 0; i < n; i++) {
    struct row_copy *c = &rows[i];
    if (count >= 0) {
      int vis = visible(db, m, v, c->trajectory_id, c->trajectory_id ? NULL : c->registration);
      if (vis < 0) count = -1;
      if (vis == 1) {
        struct survey_row row = {.ext_id = c->ext_id,
                                 .token = c->token,
                                 .code = c->code,
                                 .kind = c->kind,
                                 .created = c->created,
                                 .expires = c->expires,
                                 .trajectory = c->trajectory_id ? c->trajectory : NULL,
                                 .registration = c->trajectory_id ? NULL : c->registration,
                                 .max_answers = c->max_answers,
                                 .n_answers = c->n_answers};
        if (fn) fn(ctx, &row);
        count++;
      }
    }
    free(c->ext_id);
    free(c->token);
    free(c->code);
    free(c->kind);
    free(c->created);
    free(c->expires);
    free(c->trajectory);
    free(c->registration);
  }
  free(rows);
  return count;
}

/* ---- making one ---- */

/* n random characters of alphabet (its length a power of two dividing 256, so that
   every character is equally likely). */
static void random_chars(char *out, size_t n, const char *alphabet, unsigned mask) {
  unsigned char raw[64];
  randombytes_buf(raw, n);
  for (size_t i = 0; i < n; i++) out[i] = alphabet[raw[i] & mask];
  out[n] = 0;
}

static const char URLSAFE[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char BASE32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; /* Crockford's: no I, L, O, U */

static int kind_and_target(const struct survey_new *n, int *kind) {
  *kind = survey_kind_parse(n->kind);
  if (*kind < 0) return SURVEY_BAD_KIND;
  int has_t = n->trajectory && *n->trajectory, has_r = n->registration && *n->registration;
  if (has_t == has_r) return SURVEY_BAD_TARGET;
  return SURVEY_OK;
}

enum survey_fault survey_create(struct db *db, const struct model *m, const struct survey_viewer *v,
                                const struct survey_new *n, const char *actor, int64_t now, int32_t today,
                                struct survey *out) {
  int kind;
  enum survey_fault f = kind_and_target(n, &kind);
  if (f != SURVEY_OK) return f;
  int32_t expires = survey_default_expiry(kind, today);
  if (n->expires && *n->expires &&
      (date_parse(n->expires, &expires) != 0 || expires < today || expires > today + SURVEY_EXPIRES_MAX_DAYS))
    return SURVEY_BAD_EXPIRES;
  int max = n->max_answers ? n->max_answers : SURVEY_MAX_DEFAULT;
  if (max < 1 || max > SURVEY_MAX_LIMIT) return SURVEY_BAD_MAX;
  int64_t traj_id = 0, reg_id = 0;
  if (n->trajectory && *n->trajectory) {
    int t = model_trajectory(m, n->trajectory);
    if (t < 0 || trajectory_access(m, v->user, t) == TRAJ_NONE) return SURVEY_NOT_FOUND;
    traj_id = m->trajectories[t].id;
  }

  /* a write that changes no reference data; the data token changes, so that whatever is
     computed from the surveys is computed again */
  if (db_begin_write_registrations(db) != DB_OK) return SURVEY_FAILED;
  if (!traj_id) {
    reg_id = v->read ? registration_in_scope(db, v->read, n->registration) : 0;
    if (reg_id <= 0) {
      db_rollback(db);
      return reg_id < 0 ? SURVEY_FAILED : SURVEY_NOT_FOUND;
    }
  }
  struct db_stmt *st = db_prepare(db, "SELECT id FROM questionnaire WHERE kind = ? AND active = 1 "
                                      "ORDER BY version DESC, code DESC LIMIT 1");
  if (!st) goto failed;
  db_bind_text(st, 1, survey_kind_name(kind));
  int rc = db_step(st);
  int64_t questionnaire = rc == DB_ROW ? db_col_int64(st, 0) : 0;
  db_finalize(st);
  if (rc != DB_ROW && rc != DB_DONE) goto failed;
  if (!questionnaire) {
    db_rollback(db);
    return SURVEY_NO_QUESTIONNAIRE;
  }
  char ext[16] = "E-", token[SURVEY_TOKEN_LEN + 1], created[11], exp[11];
  date_format(today, created);
  date_format(expires, exp);
  int64_t id = 0;
  for (int attempt = 0; attempt < 3 && !id; attempt++) { /* a collision of random ids is retried */
    random_chars(ext + 2, 10, BASE32, 31);
    random_chars(token, SURVEY_TOKEN_LEN, URLSAFE, 63);
    st = db_prepare(db, "SELECT COUNT(*) FROM survey WHERE ext_id = ? OR token = ?");
    if (!st) goto failed;
    db_bind_text(st, 1, ext);
    db_bind_text(st, 2, token);
    rc = db_step(st);
    int64_t taken = rc == DB_ROW ? db_col_int64(st, 0) : -1;
    db_finalize(st);
    if (taken < 0) goto failed;
    if (taken) continue;
    st =
        db_prepare(db, "INSERT INTO survey (ext_id, token, questionnaire_id, trajectory_id, registration_id, "
                       "created, expires, max_answers, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "RETURNING id");
    if (!st) goto failed;
    db_bind_text(st, 1, ext);
    db_bind_text(st, 2, token);
    db_bind_int64(st, 3, questionnaire);
    if (traj_id)
      db_bind_int64(st, 4, traj_id);
    else
      db_bind_null(st, 4);
    if (reg_id)
      db_bind_int64(st, 5, reg_id);
    else
      db_bind_null(st, 5);
    db_bind_text(st, 6, created);
    db_bind_text(st, 7, exp);
    db_bind_int64(st, 8, max);
    if (n->created_by > 0)
      db_bind_int64(st, 9, n->created_by);
    else
      db_bind_null(st, 9);
    rc = db_step(st);
    id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    db_finalize(st);
    if (!id) goto failed;
  }
  if (!id) goto failed;
  /* the audit entry: the survey as the dataset's surveys.csv has it (no token: it is the
     survey's only secret) */
  char after[512];
  char qcode[72] = "";
  st = db_prepare(db, "SELECT code FROM questionnaire WHERE id = ?");
  if (!st) goto failed;
  db_bind_int64(st, 1, questionnaire);
  if (db_step(st) == DB_ROW) copy(qcode, sizeof qcode, db_col_text(st, 0));
  db_finalize(st);
  {
    struct buf j = {0};
    buf_puts(&j, "{\"id\":");
    escape_json(&j, ext);
    buf_puts(&j, ",\"questionnaire\":");
    escape_json(&j, qcode);
    buf_puts(&j, traj_id ? ",\"trajectory\":" : ",\"registration\":");
    escape_json(&j, traj_id ? n->trajectory : n->registration);
    buf_printf(&j, ",\"created\":\"%s\",\"expires\":\"%s\",\"max_answers\":%d}", created, exp, max);
    copy(after, sizeof after, buf_str(&j));
    buf_free(&j);
  }
  if (audit_write(db, now, actor, "create", "survey", ext, NULL, after, NULL) != 0) goto failed;
  if (db_commit(db) != DB_OK) goto failed;
  if (out && load(db, SURVEY_COLUMNS "WHERE s.ext_id = ?", ext, out) != 1) return SURVEY_FAILED;
  return SURVEY_OK;
failed:
  db_rollback(db);
  return SURVEY_FAILED;
}

/* ---- answering ---- */

enum survey_state survey_state_of(const struct survey *s, int32_t today) {
  if (today > s->expires_day) return SURVEY_EXPIRED;
  if (s->n_answers >= s->max_answers) return SURVEY_FULL;
  return SURVEY_OPEN;
}

/* An open answer: at most SURVEY_TEXT_MAX bytes of valid UTF-8 without control
   characters but line breaks (a browser sends a textarea's as CR LF). */
static int text_problem(const char *s) {
  if (strlen(s) > SURVEY_TEXT_MAX) return ANSWER_TEXT_LONG;
  size_t chars;
  if (bounds_text(s, SURVEY_TEXT_MAX, 1, &chars) != TEXT_OK) return ANSWER_TEXT_BAD;
  for (const char *p = s; *p; p++)
    if (*p == '\t' || (*p == '\r' && p[1] != '\n')) return ANSWER_TEXT_BAD;
  return ANSWER_OK;
}

static int score_of(const char *s) { return s && s[0] >= '1' && s[0] <= '5' && s[1] == 0 ? s[0] - '0' : 0; }

int survey_check_answers(const struct survey *s, const char *const *values, int *problem) {
  int bad = 0;
  for (int i = 0; i < s->nq; i++) {
    const char *v = values ? values[i] : NULL;
    int p = ANSWER_OK;
    if (s->q[i].type == QUESTION_SCALE)
      p = !v || !*v ? ANSWER_SCORE_MISSING : score_of(v) ? ANSWER_OK : ANSWER_SCORE_BAD;
    else if (v && *v)
      p = text_problem(v);
    problem[i] = p;
    bad += p != ANSWER_OK;
  }
  return bad;
}

/* The key of the browser hashes: 32 random bytes made once per installation (create:
   inside a write transaction, made when missing). 0, 1 when missing, -1 on error. */
static int survey_key(struct db *db, int create, unsigned char key[32]) {
  for (int round = 0; round < 2; round++) {
    struct db_stmt *st = db_prepare(db, "SELECT value FROM installation WHERE key = 'survey_key'");
    if (!st) return -1;
    int rc = db_step(st);
    char hex[65] = "";
    if (rc == DB_ROW) copy(hex, sizeof hex, db_col_text(st, 0));
    db_finalize(st);
    if (rc == DB_ROW)
      return sodium_hex2bin(key, 32, hex, strlen(hex), NULL, NULL, NULL) == 0 && strlen(hex) == 64 ? 0 : -1;
    if (rc != DB_DONE) return -1;
    if (!create || round) return create ? -1 : 1;
    unsigned char k[32];
    randombytes_buf(k, sizeof k);
    sodium_bin2hex(hex, sizeof hex, k, sizeof k);
    st = db_prepare(db, "INSERT INTO installation (key, value) VALUES ('survey_key', ?) "
                        "ON CONFLICT (key) DO NOTHING");
    if (!st) return -1;
    db_bind_text(st, 1, hex);
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) return -1;
  }
  return -1;
}

static int cookie_ok(const char *c) {
  if (!c || strlen(c) != SURVEY_COOKIE_LEN) return 0;
  for (const char *p = c; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
  return 1;
}

/* The stored form of a browser: BLAKE2b keyed with the installation's key over the
   survey's id and the cookie, so the same browser has another value in every survey. */
static void browser_hash(const unsigned char key[32], int64_t survey_id, const char *cookie, char out[65]) {
  char msg[96];
  snprintf(msg, sizeof msg, "%lld:%s", (long long)survey_id, cookie);
  unsigned char h[32];
  crypto_generichash(h, sizeof h, (const unsigned char *)msg, strlen(msg), key, 32);
  sodium_bin2hex(out, 65, h, sizeof h);
}

static int browser_seen(struct db *db, int64_t survey_id, const char *hash) {
  struct db_stmt *st =
      db_prepare(db, "SELECT COUNT(*) FROM survey_response WHERE survey_id = ? AND browser = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, survey_id);
  db_bind_text(st, 2, hash);
  int rc = db_step(st);
  int64_t n = rc == DB_ROW ? db_col_int64(st, 0) : -1;
  db_finalize(st);
  return n < 0 ? -1 : n > 0;
}

int survey_answered(struct db *db, const struct survey *s, const char *cookie) {
  if (!cookie_ok(cookie)) return 0;
  unsigned char key[32];
  int k = survey_key(db, 0, key);
  if (k != 0) return k > 0 ? 0 : -1; /* no key yet: nobody answered anything */
  char hash[65];
  browser_hash(key, s->id, cookie, hash);
  return browser_seen(db, s->id, hash);
}

enum survey_submit survey_submit(struct db *db, const char *token, const char *cookie,
                                 const char *const *values, int nvalues, int32_t today) {
  if (!cookie_ok(cookie)) return SUBMIT_INVALID;
  if (db_begin_write_registrations(db) != DB_OK) return SUBMIT_FAILED;
  struct survey s;
  enum survey_submit res = SUBMIT_FAILED;
  int found = survey_by_token(db, token, &s);
  if (found <= 0) {
    db_rollback(db);
    return found < 0 ? SUBMIT_FAILED : SUBMIT_NOT_FOUND;
  }
  unsigned char key[32];
  char hash[65];
  if (survey_key(db, 1, key) != 0) goto out;
  browser_hash(key, s.id, cookie, hash);
  int seen = browser_seen(db, s.id, hash);
  if (seen < 0) goto out;
  if (seen) {
    res = SUBMIT_ALREADY;
    goto out;
  }
  enum survey_state state = survey_state_of(&s, today);
  if (state != SURVEY_OPEN) {
    res = state == SURVEY_EXPIRED ? SUBMIT_EXPIRED : SUBMIT_FULL;
    goto out;
  }
  int problem[SURVEY_MAX_QUESTIONS];
  if (nvalues != s.nq || survey_check_answers(&s, values, problem) != 0) {
    res = SUBMIT_INVALID;
    goto out;
  }
  struct db_stmt *st =
      db_prepare(db, "SELECT COALESCE(MAX(seq), 0) FROM survey_response WHERE survey_id = ?");
  if (!st) goto out;
  db_bind_int64(st, 1, s.id);
  int64_t seq = db_step(st) == DB_ROW ? db_col_int64(st, 0) + 1 : 0;
  db_finalize(st);
  if (seq <= 0) goto out;
  st = db_prepare(db, "INSERT INTO survey_response (survey_id, seq, browser) VALUES (?, ?, ?) RETURNING id");
  if (!st) goto out;
  db_bind_int64(st, 1, s.id);
  db_bind_int64(st, 2, seq);
  db_bind_text(st, 3, hash);
  int rc = db_step(st);
  int64_t response = rc == DB_ROW ? db_col_int64(st, 0) : 0;
  db_finalize(st);
  if (!response) {
    /* the UNIQUE (survey_id, browser): the same browser, twice at once */
    if (db_error_kind(db) == DB_ERR_CONSTRAINT) res = SUBMIT_ALREADY;
    goto out;
  }
  for (int i = 0; i < s.nq; i++) {
    const char *v = values[i];
    if (!v || !*v) continue;
    st = db_prepare(db,
                    "INSERT INTO survey_answer (response_id, question_id, score, text) VALUES (?, ?, ?, ?)");
    if (!st) goto out;
    db_bind_int64(st, 1, response);
    db_bind_int64(st, 2, s.q[i].id);
    if (s.q[i].type == QUESTION_SCALE) {
      db_bind_int64(st, 3, score_of(v));
      db_bind_null(st, 4);
    } else {
      db_bind_null(st, 3);
      db_bind_text(st, 4, v);
    }
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) goto out;
  }
  if (db_commit(db) != DB_OK) {
    db_rollback(db);
    survey_free(&s);
    return SUBMIT_FAILED;
  }
  survey_free(&s);
  return SUBMIT_OK;
out:
  db_rollback(db);
  survey_free(&s);
  return res;
}

/* ---- results ---- */

static int question_index(const struct survey *s, int64_t id) {
  for (int i = 0; i < s->nq; i++)
    if (s->q[i].id == id) return i;
  return -1;
}

static int cmp_open(const void *a, const void *b) {
  const struct survey_open_answer *x = a, *y = b;
  if (x->question != y->question) return x->question < y->question ? -1 : 1;
  return strcmp(x->text, y->text);
}

int survey_results(struct db *db, const struct survey *s, int with_open, struct survey_results *out) {
  memset(out, 0, sizeof *out);
  out->q = xcalloc((size_t)(s->nq ? s->nq : 1), sizeof *out->q);
  struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM survey_response WHERE survey_id = ?");
  if (!st) goto failed;
  db_bind_int64(st, 1, s->id);
  int rc = db_step(st);
  out->n = rc == DB_ROW ? (int)db_col_int64(st, 0) : -1;
  db_finalize(st);
  if (out->n < 0) goto failed;
  out->shown = out->n >= SURVEY_THRESHOLD;
  /* the scores per question and value; the open answers per question */
  st = db_prepare(db, "SELECT a.question_id, a.score, COUNT(*) FROM survey_answer a "
                      "JOIN survey_response p ON p.id = a.response_id "
                      "WHERE p.survey_id = ? AND a.score IS NOT NULL GROUP BY a.question_id, a.score");
  if (!st) goto failed;
  db_bind_int64(st, 1, s->id);
  int64_t sum[SURVEY_MAX_QUESTIONS] = {0};
  while ((rc = db_step(st)) == DB_ROW) {
    int qi = question_index(s, db_col_int64(st, 0));
    int64_t score = db_col_int64(st, 1), count = db_col_int64(st, 2);
    if (qi < 0 || score < 1 || score > 5) continue;
    out->q[qi].n += (int)count;
    out->q[qi].dist[score - 1] += (int)count;
    sum[qi] += score * count;
  }
  db_finalize(st);
  if (rc != DB_DONE) goto failed;
  st = db_prepare(db, "SELECT a.question_id, COUNT(*) FROM survey_answer a "
                      "JOIN survey_response p ON p.id = a.response_id "
                      "WHERE p.survey_id = ? AND a.text IS NOT NULL AND a.text <> '' GROUP BY a.question_id");
  if (!st) goto failed;
  db_bind_int64(st, 1, s->id);
  while ((rc = db_step(st)) == DB_ROW) {
    int qi = question_index(s, db_col_int64(st, 0));
    if (qi >= 0 && s->q[qi].type == QUESTION_OPEN) out->q[qi].n += (int)db_col_int64(st, 1);
  }
  db_finalize(st);
  if (rc != DB_DONE) goto failed;
  for (int i = 0; i < s->nq; i++) {
    struct survey_question_result *q = &out->q[i];
    q->shown = out->shown && s->q[i].type == QUESTION_SCALE;
    if (q->shown && q->n > 0)
      q->mean = (double)sum[i] / q->n;
    else {
      q->mean = 0;
      memset(q->dist, 0, sizeof q->dist); /* below the threshold nothing but n leaves here */
    }
  }
  if (!with_open || !out->shown) return 0;
  st = db_prepare(db, "SELECT a.question_id, a.text FROM survey_answer a "
                      "JOIN survey_response p ON p.id = a.response_id "
                      "WHERE p.survey_id = ? AND a.text IS NOT NULL AND a.text <> ''");
  if (!st) goto failed;
  db_bind_int64(st, 1, s->id);
  size_t cap = 0;
  while ((rc = db_step(st)) == DB_ROW) {
    int qi = question_index(s, db_col_int64(st, 0));
    if (qi < 0 || s->q[qi].type != QUESTION_OPEN) continue;
    if ((size_t)out->n_open == cap) {
      cap = cap ? cap * 2 : 8;
      out->open = xrealloc(out->open, cap * sizeof *out->open);
    }
    out->open[out->n_open].question = qi;
    out->open[out->n_open].text = xstrdup(db_col_text(st, 1));
    out->n_open++;
  }
  db_finalize(st);
  if (rc != DB_DONE) goto failed;
  /* by question, then by text: never in the order they came in */
  if (out->n_open) qsort(out->open, (size_t)out->n_open, sizeof *out->open, cmp_open);
  return 0;
failed:
  survey_results_free(out);
  return -1;
}

void survey_results_free(struct survey_results *r) {
  free(r->q);
  for (int i = 0; i < r->n_open; i++) free(r->open[i].text);
  free(r->open);
  memset(r, 0, sizeof *r);
}
