/* SPDX-License-Identifier: EUPL-1.2 */
#include "domain/aggregate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/dates.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/links.h"
#include "domain/model.h"

_Static_assert(AGG_ADVISOR_DAY == 14, "AGG_ADVISOR_DAY_SQL names the measure in SQL text");

/* ---- sums in memory ---- */

void agg_acc_init(struct agg_acc *a) { memset(a, 0, sizeof *a); }

void agg_acc_free(struct agg_acc *a) {
  free(a->slot);
  memset(a, 0, sizeof *a);
}

static uint64_t key_hash(int year, int measure, int64_t k1, int64_t k2) {
  uint64_t h = (uint64_t)(uint32_t)year * 0x9E3779B97F4A7C15ull;
  h ^= (uint64_t)(uint32_t)measure + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
  h ^= (uint64_t)k1 * 0xC2B2AE3D27D4EB4Full + (h << 6) + (h >> 2);
  h ^= (uint64_t)k2 * 0x165667B19E3779F9ull + (h << 6) + (h >> 2);
  h ^= h >> 29;
  return h;
}

static struct agg_entry *find(struct agg_entry *slot, size_t cap, int year, int measure, int64_t k1,
                              int64_t k2) {
  size_t i = (size_t)key_hash(year, measure, k1, k2) & (cap - 1);
  for (;;) {
    struct agg_entry *e = &slot[i];
    if (!e->measure || (e->year == year && e->measure == measure && e->k1 == k1 && e->k2 == k2)) return e;
    i = (i + 1) & (cap - 1);
  }
}

static void grow(struct agg_acc *a) {
  size_t cap = a->cap ? a->cap * 2 : 256;
  struct agg_entry *slot = xcalloc(cap, sizeof *slot);
  for (size_t i = 0; i < a->cap; i++) {
    struct agg_entry *e = &a->slot[i];
    if (e->measure) *find(slot, cap, e->year, e->measure, e->k1, e->k2) = *e;
  }
  free(a->slot);
  a->slot = slot;
  a->cap = cap;
}

void agg_acc_add(struct agg_acc *a, int year, int measure, int64_t k1, int64_t k2, int64_t v) {
  if ((a->n + 1) * 4 > a->cap * 3) grow(a);
  struct agg_entry *e = find(a->slot, a->cap, year, measure, k1, k2);
  if (!e->measure) {
    e->year = year;
    e->measure = measure;
    e->k1 = k1;
    e->k2 = k2;
    e->value = 0;
    a->n++;
  }
  e->value += v;
}

const struct agg_entry *agg_acc_get(const struct agg_acc *a, int year, int measure, int64_t k1, int64_t k2) {
  if (!a->cap) return NULL;
  const struct agg_entry *e = find(a->slot, a->cap, year, measure, k1, k2);
  return e->measure ? e : NULL;
}

/* ---- one registration's contribution (as measures/facts.c's pass counts it) ---- */

void agg_emit(struct agg_acc *a, const struct agg_reg *r, int sign) {
  int32_t day;
  if (!r->date || date_parse(r->date, &day) != 0) return;
  int y = school_year_of(day);
  int64_t d = r->minutes * sign;
  int client = r->kind && r->kind[0] == 'c';
  agg_acc_add(a, y, AGG_REGISTRATIONS, 0, 0, sign);
  agg_acc_add(a, y, AGG_LINE_REGISTERED, r->line_id, 0, d * r->na);
  int week = school_week_of(y, day);
  int in_weeks = week >= 0 && week < 54;
  if (in_weeks) agg_acc_add(a, y, AGG_WEEK_REGISTERED, week, 0, d * r->na);
  for (int k = 0; k < r->na; k++) {
    agg_acc_add(a, y, AGG_ADV_REGISTERED, r->advisors[k], 0, d);
    agg_acc_add(a, y, AGG_ADVISOR_DAY, r->advisors[k], day, d);
  }
  /* the views count a week outside the table as its first (measures/views.c) */
  int vweek = in_weeks ? week : 0;
  agg_acc_add(a, y, AGG_LINE_WEEK_REGISTERED, r->line_id, vweek, d * r->na);
  if (!client) {
    int act = parse_activity(r->activity ? r->activity : "");
    if (act < 0) act = N_ACTIVITIES - 1; /* an unknown activity counts as other */
    agg_acc_add(a, y, AGG_ACTIVITY, act, 0, d * r->na);
    return;
  }
  agg_acc_add(a, y, AGG_LINE_WEEK_KLV, r->line_id, vweek, d * r->na);
  for (int k = 0; k < r->ni; k++) agg_acc_add(a, y, AGG_GOAL_INST, r->goal_id, r->institutions[k], sign);
  for (int k = 0; k < r->nc; k++)
    if (r->counts[2 * (size_t)k + 1] > 0) agg_acc_add(a, y, AGG_TG_MINUTES, r->counts[2 * (size_t)k], 0, d);
  for (int k = 0; k < r->nc; k++)
    agg_acc_add(a, y, AGG_TARGET_GROUP, r->counts[2 * (size_t)k], 0, r->counts[2 * (size_t)k + 1] * sign);
  if (in_weeks) agg_acc_add(a, y, AGG_WEEK_KLV, week, 0, d * r->na);
  agg_acc_add(a, y, AGG_LINE_KLV, r->line_id, 0, d * r->na);
  agg_acc_add(a, y, AGG_LINE_CLIENT, r->line_id, 0, d * r->ni);
  int mod = r->modality ? parse_modality(r->modality) : -1;
  if (mod >= 0) agg_acc_add(a, y, AGG_LINE_MODALITY, r->line_id, mod, d * r->ni);
  for (int k = 0; k < r->na; k++) agg_acc_add(a, y, AGG_ADV_KLV, r->advisors[k], 0, d);
  for (int k = 0; k < r->ni; k++) {
    agg_acc_add(a, y, AGG_INST_HITS, r->institutions[k], 0, sign);
    agg_acc_add(a, y, AGG_INST_TRAJ_MINUTES, r->institutions[k], r->traj_id, d);
  }
  if (r->traj_id && r->followup) agg_acc_add(a, y, AGG_TRAJ_FOLLOWUP, r->traj_id, 0, sign);
}

/* A growing list of int64. */
struct ids {
  int64_t *v;
  size_t n, cap;
};
static void ids_push(struct ids *x, int64_t v) {
  grow_array((void **)&x->v, &x->cap, x->n + 1, sizeof *x->v);
  x->v[x->n++] = v;
}

/* The texts of a registration row, copied. */
struct reg_texts {
  char date[16], kind[16], mod[32], act[32];
};

/* The registration row under st (columns: REG_COLUMNS) as an agg_reg; the texts are
   copied into t. */
static void reg_of_row(struct db_stmt *st, struct agg_reg *r, struct reg_texts *t) {
  const char *c;
  snprintf(t->date, sizeof t->date, "%s", (c = db_col_text(st, 1)) ? c : "");
  snprintf(t->kind, sizeof t->kind, "%s", (c = db_col_text(st, 2)) ? c : "");
  snprintf(t->mod, sizeof t->mod, "%s", (c = db_col_text(st, 3)) ? c : "");
  snprintf(t->act, sizeof t->act, "%s", (c = db_col_text(st, 9)) ? c : "");
  r->date = t->date;
  r->kind = t->kind;
  r->modality = t->mod;
  r->activity = t->act;
  r->minutes = db_col_int64(st, 4);
  r->line_id = db_col_int64(st, 5);
  r->traj_id = db_col_is_null(st, 6) ? 0 : db_col_int64(st, 6);
  r->followup = !db_col_is_null(st, 7) && db_col_int64(st, 7) != 0;
  r->goal_id = db_col_is_null(st, 8) ? 0 : db_col_int64(st, 8);
}

/* Adds sign times r's contribution with the links collected in links[0..2] (advisor ids,
   institution ids, pairs of target group id and count). */
static void emit_with_links(struct agg_acc *a, struct agg_reg *r, const struct ids links[3], int sign) {
  r->advisors = links[0].v;
  r->na = (int)links[0].n;
  r->institutions = links[1].v;
  r->ni = (int)links[1].n;
  r->counts = links[2].v;
  r->nc = (int)(links[2].n / 2);
  agg_emit(a, r, sign);
}

#define REG_COLUMNS "id, date, kind, modality, minutes, line_id, trajectory_id, followup, goal_id, activity"

int agg_emit_stored(struct db *db, int64_t id, int sign, struct agg_acc *a) {
  static const char *const link_sql[3] = {
      "SELECT advisor_id, 0 FROM registration_advisor WHERE registration_id = ?",
      "SELECT institution_id, 0 FROM registration_institution WHERE registration_id = ?",
      "SELECT target_group_id, count FROM registration_count WHERE registration_id = ?"};
  struct db_stmt *st = db_prepare(db, "SELECT " REG_COLUMNS " FROM registration WHERE id = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, id);
  int step = db_step(st);
  if (step != DB_ROW) {
    db_finalize(st);
    return step == DB_DONE ? 0 : -1;
  }
  struct agg_reg r = {0};
  struct reg_texts texts = {.date = ""};
  reg_of_row(st, &r, &texts);
  db_finalize(st);
  struct ids links[3] = {{0}};
  int rc = 0;
  for (int k = 0; k < 3 && rc == 0; k++) {
    st = db_prepare(db, link_sql[k]);
    if (!st) {
      rc = -1;
      break;
    }
    db_bind_int64(st, 1, id);
    while ((step = db_step(st)) == DB_ROW) {
      ids_push(&links[k], db_col_int64(st, 0));
      if (k == 2) ids_push(&links[k], db_col_int64(st, 1));
    }
    if (step == DB_ERROR) rc = -1;
    db_finalize(st);
  }
  if (rc == 0) emit_with_links(a, &r, links, sign);
  for (int k = 0; k < 3; k++) free(links[k].v);
  return rc;
}

/* ---- the table ---- */

static int entry_cmp(const void *x, const void *y) {
  const struct agg_entry *a = x, *b = y;
  if (a->year != b->year) return a->year < b->year ? -1 : 1;
  if (a->measure != b->measure) return a->measure < b->measure ? -1 : 1;
  if (a->k1 != b->k1) return a->k1 < b->k1 ? -1 : 1;
  if (a->k2 != b->k2) return a->k2 < b->k2 ? -1 : 1;
  return 0;
}

enum { FLUSH_ROWS = 200 };

static struct db_stmt *upsert(struct db *db, int rows) {
  struct buf sql = {0};
  buf_puts(&sql, "INSERT INTO agg (school_year, measure, k1, k2, value) VALUES ");
  for (int i = 0; i < rows; i++) buf_puts(&sql, i ? ", (?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?)");
  buf_puts(&sql,
           " ON CONFLICT (school_year, measure, k1, k2) DO UPDATE SET value = agg.value + excluded.value");
  struct db_stmt *st = db_prepare(db, buf_str(&sql));
  buf_free(&sql);
  return st;
}

int agg_flush(struct db *db, struct agg_acc *a) {
  if (!a->n) return 0;
  struct agg_entry *v = xmalloc(sizeof *v * a->n);
  size_t n = 0;
  for (size_t i = 0; i < a->cap; i++)
    if (a->slot[i].measure && a->slot[i].value) v[n++] = a->slot[i];
  /* one order for every writer: two PostgreSQL transactions never wait on each other's
     rows in opposite orders */
  qsort(v, n, sizeof *v, entry_cmp);
  int rc = 0;
  struct db_stmt *full = NULL;
  for (size_t at = 0; at < n && rc == 0;) {
    int rows = n - at >= FLUSH_ROWS ? FLUSH_ROWS : (int)(n - at);
    struct db_stmt *st;
    if (rows == FLUSH_ROWS) {
      if (!full) full = upsert(db, FLUSH_ROWS);
      st = full;
    } else {
      st = upsert(db, rows);
    }
    if (!st) {
      rc = -1;
      break;
    }
    for (int i = 0; i < rows; i++) {
      const struct agg_entry *e = &v[at + (size_t)i];
      db_bind_int64(st, 5 * i + 1, e->year);
      db_bind_int64(st, 5 * i + 2, e->measure);
      db_bind_int64(st, 5 * i + 3, e->k1);
      db_bind_int64(st, 5 * i + 4, e->k2);
      db_bind_int64(st, 5 * i + 5, e->value);
    }
    if (db_step(st) == DB_ERROR) rc = -1;
    if (st == full)
      db_reset(st);
    else
      db_finalize(st);
    at += (size_t)rows;
  }
  db_finalize(full);
  free(v);
  agg_acc_free(a);
  return rc;
}

int64_t agg_advisor_day(struct db *db, int64_t advisor_id, int32_t day, int *ok) {
  struct db_stmt *st =
      db_prepare(db, "SELECT value FROM agg WHERE school_year = ? AND measure = ? AND k1 = ? "
                     "AND k2 = ?");
  *ok = st != NULL;
  if (!st) return 0;
  db_bind_int64(st, 1, school_year_of(day));
  db_bind_int64(st, 2, AGG_ADVISOR_DAY);
  db_bind_int64(st, 3, advisor_id);
  db_bind_int64(st, 4, day);
  int step = db_step(st);
  int64_t v = step == DB_ROW ? db_col_int64(st, 0) : 0;
  if (step == DB_ERROR) *ok = 0;
  db_finalize(st);
  return v;
}

int agg_valid(struct db *db) {
  struct db_stmt *st = db_prepare(db, "SELECT valid FROM agg_state WHERE id = 1");
  if (!st) return -1;
  int step = db_step(st);
  int rc = step == DB_ROW ? db_col_int64(st, 0) == AGG_STATE_VALID : step == DB_DONE ? 0 : -1;
  db_finalize(st);
  return rc;
}

int agg_recompute(struct db *db, struct agg_acc *out, char *err, size_t errlen) {
  static const char *const link_sql[3] = {
      "SELECT registration_id, advisor_id, 0 FROM registration_advisor "
      "WHERE registration_id BETWEEN ? AND ? ORDER BY registration_id",
      "SELECT registration_id, institution_id, 0 FROM registration_institution "
      "WHERE registration_id BETWEEN ? AND ? ORDER BY registration_id",
      "SELECT registration_id, target_group_id, count FROM registration_count "
      "WHERE registration_id BETWEEN ? AND ? ORDER BY registration_id"};
  agg_acc_init(out);
  struct link_cursor c[3] = {{0}};
  struct ids links[3] = {{0}};
  struct db_stmt *regs = db_prepare(db, "SELECT " REG_COLUMNS " FROM registration ORDER BY id");
  int rc = -1;
  if (!regs) goto out;
  for (int k = 0; k < 3; k++)
    if (link_cursor_open(&c[k], db, link_sql[k], INT64_MIN, INT64_MAX) != 0) goto out;
  int step;
  while ((step = db_step(regs)) == DB_ROW) {
    int64_t id = db_col_int64(regs, 0);
    for (int k = 0; k < 3; k++) {
      links[k].n = 0;
      while (c[k].has_row && c[k].reg < id) link_cursor_next(&c[k]);
      for (; c[k].has_row && c[k].reg == id; link_cursor_next(&c[k])) {
        ids_push(&links[k], db_col_int64(c[k].st, 1));
        if (k == 2) ids_push(&links[k], db_col_int64(c[k].st, 2));
      }
    }
    struct agg_reg r = {0};
    struct reg_texts texts = {.date = ""};
    reg_of_row(regs, &r, &texts);
    emit_with_links(out, &r, links, 1);
  }
  if (step == DB_ERROR) goto out;
  rc = 0;
out:
  if (rc != 0) {
    snprintf(err, errlen, "reading the registrations for the aggregates: %s", db_errmsg(db));
    agg_acc_free(out);
  }
  db_finalize(regs);
  for (int k = 0; k < 3; k++) {
    db_finalize(c[k].st);
    free(links[k].v);
  }
  return rc;
}

int agg_rebuild(struct db *db, char *err, size_t errlen) {
  struct agg_acc a;
  if (agg_recompute(db, &a, err, errlen) != 0) return -1;
  if (db_exec(db, "DELETE FROM agg") != DB_OK || agg_flush(db, &a) != 0 ||
      db_exec(db, "UPDATE agg_state SET valid = " AGG_STATE_VALID_SQL " WHERE id = 1") != DB_OK) {
    snprintf(err, errlen, "writing the aggregates: %s", db_errmsg(db));
    agg_acc_free(&a);
    return -1;
  }
  return 0;
}

int agg_ensure(struct db *db, char *err, size_t errlen) {
  int on = agg_valid(db);
  if (on < 0) {
    snprintf(err, errlen, "reading the state of the aggregates: %s", db_errmsg(db));
    return -1;
  }
  if (on) return 0;
  return agg_rebuild(db, err, errlen) == 0 ? 1 : -1;
}

static const char *const measure_names[AGG_MEASURES] = {"",
                                                        "registrations",
                                                        "line_registered",
                                                        "line_klv",
                                                        "line_client",
                                                        "line_modality",
                                                        "advisor_registered",
                                                        "advisor_klv",
                                                        "institution_hits",
                                                        "institution_trajectory_minutes",
                                                        "trajectory_followup",
                                                        "target_group",
                                                        "week_registered",
                                                        "week_klv",
                                                        "advisor_day",
                                                        "line_week_registered",
                                                        "line_week_klv",
                                                        "goal_institution",
                                                        "target_group_minutes",
                                                        "activity"};

static void describe(FILE *f, const struct agg_entry *e, int64_t stored, int64_t computed) {
  if (!f) return;
  fprintf(f, "%d-%d %s (%lld, %lld): stored %lld, recomputed %lld\n", e->year, e->year + 1,
          e->measure > 0 && e->measure < AGG_MEASURES ? measure_names[e->measure] : "?", (long long)e->k1,
          (long long)e->k2, (long long)stored, (long long)computed);
}

int agg_compare(struct db *db, void *out_file, int max, char *err, size_t errlen) {
  FILE *out = out_file;
  struct agg_acc stored, computed;
  agg_acc_init(&stored);
  struct db_stmt *st = db_prepare(db, "SELECT school_year, measure, k1, k2, value FROM agg");
  if (!st) {
    snprintf(err, errlen, "reading the aggregates: %s", db_errmsg(db));
    return -1;
  }
  int step;
  while ((step = db_step(st)) == DB_ROW)
    agg_acc_add(&stored, (int)db_col_int64(st, 0), (int)db_col_int64(st, 1), db_col_int64(st, 2),
                db_col_int64(st, 3), db_col_int64(st, 4));
  db_finalize(st);
  if (step == DB_ERROR) {
    snprintf(err, errlen, "reading the aggregates: %s", db_errmsg(db));
    agg_acc_free(&stored);
    return -1;
  }
  if (agg_recompute(db, &computed, err, errlen) != 0) {
    agg_acc_free(&stored);
    return -1;
  }
  int diffs = 0;
  for (size_t i = 0; i < computed.cap; i++) {
    const struct agg_entry *e = &computed.slot[i];
    if (!e->measure) continue;
    const struct agg_entry *s = agg_acc_get(&stored, e->year, e->measure, e->k1, e->k2);
    int64_t sv = s ? s->value : 0;
    if (sv != e->value) {
      if (diffs++ < max) describe(out, e, sv, e->value);
    }
  }
  for (size_t i = 0; i < stored.cap; i++) {
    const struct agg_entry *e = &stored.slot[i];
    if (!e->measure || !e->value || agg_acc_get(&computed, e->year, e->measure, e->k1, e->k2)) continue;
    if (diffs++ < max) describe(out, e, e->value, 0);
  }
  agg_acc_free(&stored);
  agg_acc_free(&computed);
  return diffs;
}
