/* SPDX-License-Identifier: EUPL-1.2 */
/* The reference data row by row (refdata.h): reads from the dataset export, writes
   through the dataset import from memory, one audit entry with before and after. */
#define _GNU_SOURCE /* open_memstream */ /* NOLINT(bugprone-reserved-identifier) */
#include "io/refdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/dates.h"
#include "core/escape.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/audit.h"
#include "io/csvread.h"

/* ---- reading ---- */

struct loader {
  struct ref_table *t;
  size_t cap;
  int header_seen;
};

static int on_record(const struct csv_record *rec, void *data) {
  struct loader *l = data;
  struct ref_table *t = l->t;
  if (!l->header_seen) {
    l->header_seen = 1;
    return 0;
  }
  grow_array((void **)&t->rows, &l->cap, t->n + 1, sizeof *t->rows);
  char **row = xcalloc((size_t)t->ncols, sizeof *row);
  for (int c = 0; c < t->ncols; c++) row[c] = xstrdup((size_t)c < rec->n ? rec->cells[c] : "");
  t->rows[t->n++] = row;
  return 0;
}

int refdata_load(struct db *db, int fid, struct ref_table *t, int in_tx) {
  memset(t, 0, sizeof *t);
  t->fid = fid;
  t->ncols = dataset_files[fid].ncols;
  char *mem = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&mem, &len);
  if (!f) return -1;
  int rc = in_tx ? dataset_write_file(db, dataset_files[fid].file, f)
                 : dataset_export_file(db, dataset_files[fid].file, f);
  if (fclose(f) != 0) rc = -1;
  if (rc == 0) {
    struct loader l = {.t = t};
    long line;
    char err[256];
    rc = csv_read_mem(mem, len, on_record, &l, NULL, &line, err, sizeof err);
  }
  free(mem);
  return rc;
}

void refdata_free(struct ref_table *t) {
  for (size_t i = 0; i < t->n; i++) {
    for (int c = 0; c < t->ncols; c++) free(t->rows[i][c]);
    free(t->rows[i]);
  }
  free(t->rows);
  t->rows = NULL;
  t->n = 0;
}

long refdata_find(const struct ref_table *t, const char *const *keys) {
  const struct filedef *fd = &dataset_files[t->fid];
  for (size_t i = 0; i < t->n; i++) {
    int k = 0;
    while (k < fd->nkey && keys[k] && !strcmp(t->rows[i][fd->key[k]], keys[k])) k++;
    if (k == fd->nkey) return (long)i;
  }
  return -1;
}

void refdata_key_text(int fid, char *const *row, struct buf *out) {
  const struct filedef *fd = &dataset_files[fid];
  for (int k = 0; k < fd->nkey; k++) buf_printf(out, "%s%s", k ? " / " : "", row[fd->key[k]]);
}

void refdata_row_json(int fid, char *const *row, struct buf *out) {
  const struct filedef *fd = &dataset_files[fid];
  buf_putc(out, '{');
  for (int c = 0; c < fd->ncols; c++) {
    buf_printf(out, "%s\"%s\": ", c ? ", " : "", fd->cols[c].name);
    escape_json(out, row[c]);
  }
  buf_putc(out, '}');
}

/* The audit trail's type of a file: "lines" for lines.csv. */
static void type_of(int fid, char out[64]) {
  snprintf(out, 64, "%s", dataset_files[fid].file);
  char *dot = strstr(out, ".csv");
  if (dot) *dot = 0;
}

/* ---- writing one row ---- */

struct put_ctx {
  int fid;
  const char *keys[8]; /* the key values as given */
  const struct ref_change *c;
  struct buf before, key;
  int existed;
};

/* The stored row before the change, read inside the import's transaction. */
static int read_before(struct db *db, void *arg) {
  struct put_ctx *p = arg;
  struct ref_table t;
  int rc = refdata_load(db, p->fid, &t, 1);
  long i = rc == 0 ? refdata_find(&t, p->keys) : -1;
  if (i >= 0) {
    p->existed = 1;
    refdata_row_json(p->fid, t.rows[i], &p->before);
    refdata_key_text(p->fid, t.rows[i], &p->key);
  }
  refdata_free(&t);
  return rc;
}

/* The audit entry with the row after the change, inside the same transaction. */
static int write_audit(struct db *db, void *arg) {
  struct put_ctx *p = arg;
  struct ref_table t;
  if (refdata_load(db, p->fid, &t, 1) != 0) {
    refdata_free(&t);
    return -1;
  }
  long i = refdata_find(&t, p->keys);
  struct buf after = {0};
  if (i >= 0) {
    refdata_row_json(p->fid, t.rows[i], &after);
    if (!p->key.len) refdata_key_text(p->fid, t.rows[i], &p->key);
  }
  char type[64];
  type_of(p->fid, type);
  int rc = audit_write(db, p->c->now, p->c->actor, p->existed ? "update" : "create", type, buf_str(&p->key),
                       p->existed ? buf_str(&p->before) : NULL, i >= 0 ? buf_str(&after) : NULL, NULL);
  buf_free(&after);
  refdata_free(&t);
  return rc;
}

static void to_sink(void *arg, const char *file, long line, const char *column, const char *message) {
  (void)file;
  (void)line;
  const struct ref_change *c = arg;
  if (c->problem) c->problem(c->arg, column, message);
}

int refdata_put(struct db *db, int fid, int n, const char *const *names, const char *const *values,
                const struct ref_change *c) {
  const struct filedef *fd = &dataset_files[fid];
  struct put_ctx p = {.fid = fid, .c = c};
  for (int k = 0; k < fd->nkey && k < 8; k++)
    for (int i = 0; i < n; i++)
      if (!strcmp(names[i], fd->cols[fd->key[k]].name)) p.keys[k] = values[i];
  char *csv = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&csv, &len);
  if (!f) return REF_FAILED;
  for (int i = 0; i < n; i++) dataset_csv_cell(f, names[i], i == 0);
  fputc('\n', f);
  for (int i = 0; i < n; i++) dataset_csv_cell(f, values[i], i == 0);
  fputc('\n', f);
  /* the summary and warnings of the import are not the caller's business */
  char *chatter = NULL;
  size_t chatter_len = 0;
  FILE *out = open_memstream(&chatter, &chatter_len);
  int rc = REF_FAILED;
  if (fclose(f) == 0 && out) {
    struct dataset_mem file = {fid, csv, len};
    struct import_opts o = {.lang = c->lang,
                            .after_begin = read_before,
                            .before_commit = write_audit,
                            .arg = &p,
                            .problem = to_sink,
                            .problem_arg = (void *)c};
    int irc = dataset_import_mem(db, &file, 1, c->actor, out, &o);
    rc = irc == 0 ? REF_OK : irc == 1 ? REF_INVALID : REF_FAILED;
  }
  if (out) fclose(out);
  free(chatter);
  free(csv);
  buf_free(&p.before);
  buf_free(&p.key);
  return rc;
}

/* ---- deleting a row nothing refers to ---- */

static const char *const delete_sql[F_COUNT][2] = {
    [F_SECTORS] = {NULL, "DELETE FROM sector WHERE code = ?"},
    [F_LINES] = {NULL, "DELETE FROM line WHERE code = ?"},
    [F_GOALS] = {NULL, "DELETE FROM goal WHERE code = ?"},
    [F_PLAN] = {NULL,
                "DELETE FROM plan WHERE school_year = ? AND line_id = (SELECT id FROM line WHERE code = ?)"},
    [F_INSTITUTIONS] = {NULL, "DELETE FROM institution WHERE number = ?"},
    [F_TEAMS] = {"DELETE FROM team_line WHERE team_id = (SELECT id FROM team WHERE code = ?)",
                 "DELETE FROM team WHERE code = ?"},
    [F_ADVISORS] = {"DELETE FROM team_member WHERE advisor_id = (SELECT id FROM advisor WHERE code = ?)",
                    "DELETE FROM advisor WHERE code = ?"},
    [F_TARGET_GROUPS] = {NULL, "DELETE FROM target_group WHERE code = ?"},
    [F_TARGETS] = {NULL, "DELETE FROM target WHERE school_year = ? AND target_group_id = "
                         "(SELECT id FROM target_group WHERE code = ?)"},
    [F_TRAJECTORIES] = {NULL, "DELETE FROM trajectory WHERE ext_id = ?"},
    [F_TRAJECTORY_ADVISORS] = {NULL, "DELETE FROM trajectory_advisor WHERE trajectory_id = (SELECT id FROM "
                                     "trajectory WHERE ext_id = ?) AND advisor_id = (SELECT id FROM advisor "
                                     "WHERE code = ?)"},
    [F_ACTION_STEPS] = {NULL,
                        "DELETE FROM action_step WHERE trajectory_id = (SELECT id FROM trajectory WHERE "
                        "ext_id = ?) AND step = ?"},
    [F_TRAJECTORY_PHASES] = {NULL, "DELETE FROM trajectory_phase WHERE trajectory_id = (SELECT id FROM "
                                   "trajectory WHERE ext_id = ?) AND phase = ?"},
    [F_MECHANISMS] = {NULL, "DELETE FROM registration_mechanism WHERE registration_id = (SELECT id FROM "
                            "registration WHERE ext_id = ?) AND mechanism = ?"},
    [F_QUESTIONS] = {NULL,
                     "DELETE FROM question WHERE questionnaire_id = (SELECT id FROM questionnaire WHERE "
                     "code = ?) AND key = ?"},
    [F_PD_SPEND] = {NULL, "DELETE FROM pd_spend WHERE advisor_id = (SELECT id FROM advisor WHERE code = ?) "
                          "AND school_year = ? AND date = ? AND COALESCE(description, '') = ?"},
    /* data quality (docs/QUALITY.md) */
    [F_HOLIDAYS] = {NULL, "DELETE FROM holiday WHERE start_date = ?"},
    [F_DAYS_OFF] = {NULL, "DELETE FROM advisor_day_off WHERE advisor_id = (SELECT id FROM advisor WHERE "
                          "code = ?) AND date = ?"},
    [F_ADVISOR_LINES] = {NULL, "DELETE FROM advisor_line_plan WHERE advisor_id = (SELECT id FROM advisor "
                               "WHERE code = ?) AND school_year = ? AND line_id = (SELECT id FROM line WHERE "
                               "code = ?)"},
};

int refdata_deletable(int fid) { return fid >= 0 && fid < F_COUNT && delete_sql[fid][1] != NULL; }

/* Binds the key values; school years as their first calendar year. */
static int bind_keys(struct db_stmt *st, int fid, const char *const *keys, int n) {
  const struct filedef *fd = &dataset_files[fid];
  for (int k = 0; k < n; k++) {
    if (fd->cols[fd->key[k]].type == C_YEAR) {
      int y;
      if (school_year_parse(keys[k], &y) != 0) return -1;
      db_bind_int64(st, k + 1, y);
    } else {
      db_bind_text(st, k + 1, keys[k]);
    }
  }
  return 0;
}

/* Whether a key of the row names a locked school year. */
static int locked_year(struct db *db, int fid, const char *const *keys) {
  const struct filedef *fd = &dataset_files[fid];
  int locked = 0;
  for (int k = 0; k < fd->nkey; k++) {
    int y;
    int32_t d;
    if (fd->cols[fd->key[k]].type == C_DATE && date_parse(keys[k], &d) == 0)
      y = school_year_of(d); /* a dated row (a day off, a holiday) belongs to its day's year */
    else if (fd->cols[fd->key[k]].type != C_YEAR || school_year_parse(keys[k], &y) != 0)
      continue;
    struct db_stmt *st = db_prepare(db, "SELECT locked FROM setting WHERE school_year = ?");
    if (!st) return -1;
    db_bind_int64(st, 1, y);
    locked |= db_step(st) == DB_ROW && db_col_int64(st, 0);
    db_finalize(st);
  }
  return locked;
}

int refdata_delete(struct db *db, int fid, const char *const *keys, const struct ref_change *c) {
  if (!refdata_deletable(fid)) return REF_FAILED;
  const struct filedef *fd = &dataset_files[fid];
  if (db_begin_write(db) != DB_OK) return REF_FAILED;
  struct ref_table t;
  int rc = REF_FAILED;
  struct buf before = {0}, key = {0};
  long at = -1;
  if (refdata_load(db, fid, &t, 1) != 0) goto out;
  at = refdata_find(&t, keys);
  if (at < 0) {
    rc = REF_NOT_FOUND;
    goto out;
  }
  refdata_row_json(fid, t.rows[at], &before);
  refdata_key_text(fid, t.rows[at], &key);
  int locked = locked_year(db, fid, keys);
  if (locked) {
    rc = locked < 0 ? REF_FAILED : REF_LOCKED;
    goto out;
  }
  int ok = 1, in_use = 0;
  /* pd_spend's key order (advisor, year, date, description) is the statement's */
  for (int s = 0; s < 2 && ok; s++) {
    if (!delete_sql[fid][s]) continue;
    struct db_stmt *st = db_prepare(db, delete_sql[fid][s]);
    ok = st && bind_keys(st, fid, keys, s == 0 ? 1 : fd->nkey) == 0;
    if (ok) {
      ok = db_step(st) == DB_DONE;
      in_use = !ok && db_error_kind(db) == DB_ERR_CONSTRAINT;
    }
    db_finalize(st);
  }
  char type[64];
  type_of(fid, type);
  if (ok)
    ok = audit_write(db, c->now, c->actor, "delete", type, buf_str(&key), buf_str(&before), NULL, NULL) == 0;
  if (ok && db_commit(db) == DB_OK) {
    rc = REF_OK;
  } else {
    /* PostgreSQL may report the foreign key only at the commit (pipelined writes) */
    in_use = in_use || db_error_kind(db) == DB_ERR_CONSTRAINT;
    rc = in_use ? REF_IN_USE : REF_FAILED;
  }
out:
  if (rc != REF_OK && db_in_transaction(db)) db_rollback(db);
  refdata_free(&t);
  buf_free(&before);
  buf_free(&key);
  return rc;
}

static const struct {
  const char *column, *sql;
} choice_sources[] = {
    {"line", "SELECT code, name FROM line ORDER BY code"},
    {"sector", "SELECT code, name FROM sector ORDER BY code"},
    {"goal", "SELECT code, name FROM goal ORDER BY code"},
    {"target_group", "SELECT code, name FROM target_group ORDER BY code"},
    {"advisor", "SELECT code, name FROM advisor ORDER BY code"},
    {"board", "SELECT number, name FROM institution ORDER BY number"},
    {"institution", "SELECT number, name FROM institution ORDER BY number"},
    {"lines", "SELECT code, NULL FROM line ORDER BY code"},
    {"teams", "SELECT code, NULL FROM team ORDER BY code"},
};

static const char *choice_sql(const char *column) {
  for (size_t i = 0; column && i < sizeof choice_sources / sizeof *choice_sources; i++)
    if (!strcmp(column, choice_sources[i].column)) return choice_sources[i].sql;
  return NULL;
}

int refdata_refers(const char *column) { return choice_sql(column) != NULL; }

int refdata_choices(struct db *db, const char *column, refdata_choice_fn fn, void *ctx) {
  const char *sql = choice_sql(column);
  if (!sql) return -1;
  struct db_stmt *st = db_prepare(db, sql);
  if (!st) return -1;
  int n = 0, step;
  while ((step = db_step(st)) == DB_ROW) {
    fn(ctx, db_col_text(st, 0), db_col_is_null(st, 1) ? NULL : db_col_text(st, 1));
    n++;
  }
  db_finalize(st);
  return step == DB_ERROR ? -1 : n;
}
