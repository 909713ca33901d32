/* SPDX-License-Identifier: EUPL-1.2 */
#include "measures/facts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/dates.h"
#include "core/escape.h"
#include "core/numbers.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/aggregate.h"
#include "domain/model.h"

/* Integer minute sums of one school year. Advisor-minutes (d * |A|) and client-minutes
   (d * |C|) are kept apart, as DOMAIN.md section 3 defines them. */
struct year_acc {
  int64_t *line_registered; /* advisor-minutes, all kinds */
  int64_t *line_klv;        /* advisor-minutes, client */
  int64_t *line_client;     /* client-minutes */
  int64_t *line_modality;   /* [line * N_MODALITIES + m], client-minutes */
  int64_t *adv_registered, *adv_klv;
  int64_t *inst_hits;
  int64_t *inst_notraj_minutes; /* hours rule: d per institution outside its trajectories */
  int64_t *traj_minutes;        /* hours rule: d per trajectory for its own institution */
  char *traj_followup;          /* trajectory rule: a linked client registration with follow-up */
  int64_t *tg_reach;
  int64_t week_registered[FACTS_WEEKS], week_klv[FACTS_WEEKS]; /* advisor-minutes per week */
  int has_registrations;
};

static void acc_init(struct year_acc *a, const struct model *m) {
  size_t nl = m->n_lines ? m->n_lines : 1;
  a->line_registered = xcalloc(nl, sizeof(int64_t));
  a->line_klv = xcalloc(nl, sizeof(int64_t));
  a->line_client = xcalloc(nl, sizeof(int64_t));
  a->line_modality = xcalloc(nl * N_MODALITIES, sizeof(int64_t));
  a->adv_registered = xcalloc(m->n_advisors + 1, sizeof(int64_t));
  a->adv_klv = xcalloc(m->n_advisors + 1, sizeof(int64_t));
  a->inst_hits = xcalloc(m->n_institutions + 1, sizeof(int64_t));
  a->inst_notraj_minutes = xcalloc(m->n_institutions + 1, sizeof(int64_t));
  a->traj_minutes = xcalloc(m->n_trajectories + 1, sizeof(int64_t));
  a->traj_followup = xcalloc(m->n_trajectories + 1, 1);
  a->tg_reach = xcalloc(m->n_target_groups + 1, sizeof(int64_t));
  a->has_registrations = 0;
  memset(a->week_registered, 0, sizeof a->week_registered);
  memset(a->week_klv, 0, sizeof a->week_klv);
}

static void acc_free(struct year_acc *a) {
  free(a->line_registered);
  free(a->line_klv);
  free(a->line_client);
  free(a->line_modality);
  free(a->adv_registered);
  free(a->adv_klv);
  free(a->inst_hits);
  free(a->inst_notraj_minutes);
  free(a->traj_minutes);
  free(a->traj_followup);
  free(a->tg_reach);
}

/* ---- the fact list ---- */

static void add(struct facts *f, const char *table, int year, const char *row, const char *col, double v) {
  grow_array((void **)&f->v, &f->cap, f->n + 1, sizeof *f->v);
  struct fact *x = &f->v[f->n++];
  x->table = table;
  x->year = year;
  x->row = xstrdup(row);
  x->col = col;
  x->value = v;
}

void facts_add(struct facts *f, const char *table, int year, const char *row, const char *col, double v) {
  add(f, table, year, row, col, v);
}

/* A ratio is output only when its denominator is a positive number. */
static void add_ratio(struct facts *f, const char *table, int year, const char *row, const char *col,
                      double num, double den) {
  if (den > 0) add(f, table, year, row, col, num / den);
}

static void fact_key(char *out, size_t n, const char *table, int year, const char *row, const char *col) {
  snprintf(out, n, "%s\x1f%d\x1f%s\x1f%s", table, year, row, col);
}

void facts_index(struct facts *f) {
  if (f->indexed) strmap_free(&f->index);
  strmap_init(&f->index);
  char key[512];
  for (size_t i = 0; i < f->n; i++) {
    fact_key(key, sizeof key, f->v[i].table, f->v[i].year, f->v[i].row, f->v[i].col);
    if (!strmap_get(&f->index, key, NULL)) strmap_put(&f->index, key, (int64_t)i);
  }
  f->indexed = 1;
}

void facts_free(struct facts *f) {
  if (f->indexed) strmap_free(&f->index);
  for (size_t i = 0; i < f->n; i++) free(f->v[i].row);
  free(f->v);
  free(f->years);
  memset(f, 0, sizeof *f);
}

double facts_get(const struct facts *f, const char *table, int year, const char *row, const char *col,
                 int *found) {
  char key[512];
  int64_t at;
  if (f->indexed) {
    fact_key(key, sizeof key, table, year, row, col);
    int hit = strmap_get(&f->index, key, &at);
    if (found) *found = hit;
    return hit ? f->v[at].value : 0;
  }
  for (size_t i = 0; i < f->n; i++) {
    const struct fact *x = &f->v[i];
    if (x->year == year && !strcmp(x->table, table) && !strcmp(x->row, row) && !strcmp(x->col, col)) {
      if (found) *found = 1;
      return x->value;
    }
  }
  if (found) *found = 0;
  return 0;
}

/* ---- years ---- */

static int cmp_desc(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x < y) - (x > y);
}

static void add_year(int **years, int *n, int y) {
  for (int i = 0; i < *n; i++)
    if ((*years)[i] == y) return;
  *years = xrealloc(*years, sizeof(int) * (size_t)(*n + 1));
  (*years)[(*n)++] = y;
}

int facts_years_with_data(struct db *db, int **years, int *n, char *err, size_t errlen) {
  *years = NULL;
  *n = 0;
  struct db_stmt *st = db_prepare(db, "SELECT school_year FROM plan UNION SELECT school_year FROM setting");
  if (!st) goto fail;
  while (db_step(st) == DB_ROW) add_year(years, n, (int)db_col_int64(st, 0));
  db_finalize(st);
  /* Registration years by index seeks on the date: one seek per year that has data. */
  st = db_prepare(db, "SELECT MIN(date) FROM registration WHERE date >= ?");
  if (!st) goto fail;
  char from[11] = "0000-00-00";
  /* Every seek moves to a later school year, and there are at most as many as the dates
     date_parse accepts span: the walk is bounded even if a stored date were not. A
     school year that "YYYY-YYYY" cannot name (9999-10000, from a date stored before the
     bounds of domain/bounds.h) ends the walk and is not listed. */
  for (int seeks = 0; seeks <= DATE_MAX_YEAR - DATE_MIN_YEAR + 1; seeks++) {
    db_bind_text(st, 1, from);
    if (db_step(st) != DB_ROW || db_col_is_null(st, 0)) break;
    int32_t d;
    if (date_parse(db_col_text(st, 0), &d) != 0) break;
    int y = school_year_of(d);
    if (y < SCHOOL_YEAR_MIN || y > SCHOOL_YEAR_MAX) {
      if (y > SCHOOL_YEAR_MAX) break;
    } else {
      add_year(years, n, y);
    }
    db_reset(st);
    if (y >= SCHOOL_YEAR_MAX) break;
    date_format(school_year_first_day(y + 1), from);
  }
  db_finalize(st);
  if (*n > 1) qsort(*years, (size_t)*n, sizeof(int), cmp_desc);
  return 0;
fail:
  snprintf(err, errlen, "reading the school years: %s", db_errmsg(db));
  return -1;
}

/* ---- the streaming pass ---- */

/* Moves past rows of registrations before reg. */
static void cursor_seek(struct link_cursor *c, int64_t reg) {
  while (c->has_row && c->reg < reg) link_cursor_next(c);
}

#define MAX_LINKS 4096

/* slot: the accumulator of school year y is acc[slot[y - y0]] (skipped when -1), or
   acc[y - y0] when slot is NULL. */
static int stream(struct db *db, const struct model *m, int y0, int y1, const int *slot, int unit,
                  const unsigned char *adv, struct year_acc *acc, char *err, size_t errlen) {
  int rc = -1;
  struct db_stmt *range = NULL, *regs = NULL;
  struct link_cursor ca = {0}, ci = {0}, cc = {0};
  char from[11], to[11];
  date_format(school_year_first_day(y0), from);
  date_format(school_year_last_day(y1), to);

  range = db_prepare(db, "SELECT MIN(id), MAX(id) FROM registration WHERE date BETWEEN ? AND ?");
  if (!range) goto dberr;
  db_bind_text(range, 1, from);
  db_bind_text(range, 2, to);
  if (db_step(range) != DB_ROW || db_col_is_null(range, 0)) {
    rc = 0; /* no registrations in these years */
    goto out;
  }
  int64_t lo = db_col_int64(range, 0), hi = db_col_int64(range, 1);

  regs = db_prepare(db, "SELECT id, date, minutes, kind, line_id, modality, trajectory_id, followup "
                        "FROM registration WHERE id BETWEEN ? AND ? ORDER BY id");
  if (!regs) goto dberr;
  db_bind_int64(regs, 1, lo);
  db_bind_int64(regs, 2, hi);
  if (link_cursor_open(&ca, db,
                       "SELECT registration_id, advisor_id FROM registration_advisor "
                       "WHERE registration_id BETWEEN ? AND ? ORDER BY registration_id",
                       lo, hi) ||
      link_cursor_open(&ci, db,
                       "SELECT registration_id, institution_id FROM registration_institution "
                       "WHERE registration_id BETWEEN ? AND ? ORDER BY registration_id",
                       lo, hi) ||
      link_cursor_open(&cc, db,
                       "SELECT registration_id, target_group_id, count FROM registration_count "
                       "WHERE registration_id BETWEEN ? AND ? ORDER BY registration_id",
                       lo, hi))
    goto dberr;

  int advs[MAX_LINKS], insts[MAX_LINKS];
  int step;
  while ((step = db_step(regs)) == DB_ROW) {
    int64_t id = db_col_int64(regs, 0);
    int32_t day;
    if (date_parse(db_col_text(regs, 1), &day) != 0) continue;
    int year = school_year_of(day);
    int64_t d = db_col_int64(regs, 2);
    int client = db_col_text(regs, 3)[0] == 'c';
    int64_t line_id = db_col_int64(regs, 4);
    int line = line_id <= m->max_line_id ? m->line_of_id[line_id] : -1;
    int mod = client ? parse_modality(db_col_text(regs, 5)) : -1;
    int traj = -1;
    if (!db_col_is_null(regs, 6)) {
      int64_t t = db_col_int64(regs, 6);
      traj = t <= m->max_traj_id ? m->traj_of_id[t] : -1;
    }
    int followup = !db_col_is_null(regs, 7) && db_col_int64(regs, 7) != 0;

    int na = 0, ni = 0;
    cursor_seek(&ca, id);
    for (; ca.has_row && ca.reg == id; link_cursor_next(&ca)) {
      int64_t aid = db_col_int64(ca.st, 1);
      if (na < MAX_LINKS && aid <= m->max_advisor_id && m->advisor_of_id[aid] >= 0 &&
          (!adv || adv[m->advisor_of_id[aid]]))
        advs[na++] = m->advisor_of_id[aid];
    }
    cursor_seek(&ci, id);
    for (; ci.has_row && ci.reg == id; link_cursor_next(&ci)) {
      int64_t iid = db_col_int64(ci.st, 1);
      if (ni < MAX_LINKS && iid <= m->max_inst_id && m->inst_of_id[iid] >= 0)
        insts[ni++] = m->inst_of_id[iid];
    }
    cursor_seek(&cc, id);
    if (year < y0 || year > y1 || line < 0 || (slot && slot[year - y0] < 0) ||
        (unit >= 0 && m->lines[line].unit != unit) || (adv && na == 0)) {
      continue;
    }
    struct year_acc *a = &acc[slot ? slot[year - y0] : year - y0];
    a->has_registrations = 1;
    for (; cc.has_row && cc.reg == id; link_cursor_next(&cc)) {
      int64_t gid = db_col_int64(cc.st, 1);
      if (client && gid <= m->max_tg_id && m->tg_of_id[gid] >= 0)
        a->tg_reach[m->tg_of_id[gid]] += db_col_int64(cc.st, 2);
    }
    a->line_registered[line] += d * na;
    int week = facts_week_of(year, day);
    if (week >= 0 && week < FACTS_WEEKS) {
      a->week_registered[week] += d * na;
      if (client) a->week_klv[week] += d * na;
    }
    for (int k = 0; k < na; k++) a->adv_registered[advs[k]] += d;
    if (!client) continue;
    a->line_klv[line] += d * na;
    a->line_client[line] += d * ni;
    if (mod >= 0) a->line_modality[line * N_MODALITIES + mod] += d * ni;
    for (int k = 0; k < na; k++) a->adv_klv[advs[k]] += d;
    for (int k = 0; k < ni; k++) {
      int in = insts[k];
      a->inst_hits[in]++;
      if (traj >= 0 && m->trajectories[traj].institution == in)
        a->traj_minutes[traj] += d;
      else
        a->inst_notraj_minutes[in] += d;
    }
    if (traj >= 0 && followup) a->traj_followup[traj] = 1;
  }
  if (step == DB_ERROR) goto dberr;
  rc = 0;
  goto out;
dberr:
  snprintf(err, errlen, "reading registrations: %s", db_errmsg(db));
out:
  db_finalize(range);
  db_finalize(regs);
  db_finalize(ca.st);
  db_finalize(ci.st);
  db_finalize(cc.st);
  return rc;
}

/* ---- the same sums from the aggregates kept under writes (domain/aggregate.h) ---- */

static int index_of(const int *map, int64_t max, int64_t id) { return id > 0 && id <= max ? map[id] : -1; }

/* sums[the model position of id] += v, when the model holds id */
static void add_at(int64_t *sums, const int *map, int64_t max, int64_t id, int64_t v) {
  int x = index_of(map, max, id);
  if (x >= 0) sums[x] += v;
}

static int year_from_aggregates(struct db *db, const struct model *m, int y0, int y1, int year,
                                const int *slot, struct year_acc *acc);

/* Fills the accumulators of the years y0..y1 (slot as for stream) from the aggregates.
   The keys are database ids; those the reference data does not hold count nowhere, as in
   the pass over the registrations. */
static int from_aggregates(struct db *db, const struct model *m, int y0, int y1, const int *slot,
                           struct year_acc *acc, char *err, size_t errlen) {
  /* one year at a time: the fact measures are the first of a year's keys, and the read
     ends where they end (the daily minutes and the views' sums come after them) */
  for (int year = y0; year <= y1; year++) {
    if (slot && slot[year - y0] < 0) continue;
    if (year_from_aggregates(db, m, y0, y1, year, slot, acc) != 0) goto dberr;
  }
  return 0;
dberr:
  snprintf(err, errlen, "reading the aggregates: %s", db_errmsg(db));
  return -1;
}

static int year_from_aggregates(struct db *db, const struct model *m, int y0, int y1, int year,
                                const int *slot, struct year_acc *acc) {
  /* the service named too where keys begin with it: row-level security adds it for the
     application's roles, but a role that bypasses it would otherwise read the whole table */
  int svc = db_has_services(db);
  struct db_stmt *st = db_prepare(db, svc ? "SELECT school_year, measure, k1, k2, value FROM agg "
                                            "WHERE service_id = ? AND school_year = ? AND measure < ?"
                                          : "SELECT school_year, measure, k1, k2, value FROM agg "
                                            "WHERE ? = 0 AND school_year = ? AND measure < ?");
  if (!st) return -1;
  db_bind_int64(st, 1, svc ? db_service(db) : 0);
  db_bind_int64(st, 2, year);
  db_bind_int64(st, 3, AGG_FACT_MEASURES);
  int step;
  while ((step = db_step(st)) == DB_ROW) {
    int y = (int)db_col_int64(st, 0);
    if (y < y0 || y > y1 || (slot && slot[y - y0] < 0)) continue;
    struct year_acc *a = &acc[slot ? slot[y - y0] : y - y0];
    int64_t k1 = db_col_int64(st, 2), k2 = db_col_int64(st, 3), v = db_col_int64(st, 4);
    int x, measure = (int)db_col_int64(st, 1);
    switch (measure) {
    case AGG_REGISTRATIONS:
      if (v > 0) a->has_registrations = 1;
      break;
    case AGG_LINE_REGISTERED:
      add_at(a->line_registered, m->line_of_id, m->max_line_id, k1, v);
      break;
    case AGG_LINE_KLV:
      add_at(a->line_klv, m->line_of_id, m->max_line_id, k1, v);
      break;
    case AGG_LINE_CLIENT:
      add_at(a->line_client, m->line_of_id, m->max_line_id, k1, v);
      break;
    case AGG_LINE_MODALITY:
      if ((x = index_of(m->line_of_id, m->max_line_id, k1)) >= 0 && k2 >= 0 && k2 < N_MODALITIES)
        a->line_modality[(size_t)x * N_MODALITIES + (size_t)k2] += v;
      break;
    case AGG_ADV_REGISTERED:
      add_at(a->adv_registered, m->advisor_of_id, m->max_advisor_id, k1, v);
      break;
    case AGG_ADV_KLV:
      add_at(a->adv_klv, m->advisor_of_id, m->max_advisor_id, k1, v);
      break;
    case AGG_INST_HITS:
      add_at(a->inst_hits, m->inst_of_id, m->max_inst_id, k1, v);
      break;
    case AGG_INST_TRAJ_MINUTES:
      if ((x = index_of(m->inst_of_id, m->max_inst_id, k1)) >= 0) {
        /* the trajectory's minutes when it is the institution's own (as it is now) */
        int t = index_of(m->traj_of_id, m->max_traj_id, k2);
        if (t >= 0 && m->trajectories[t].institution == x)
          a->traj_minutes[t] += v;
        else
          a->inst_notraj_minutes[x] += v;
      }
      break;
    case AGG_TRAJ_FOLLOWUP:
      if ((x = index_of(m->traj_of_id, m->max_traj_id, k1)) >= 0 && v > 0) a->traj_followup[x] = 1;
      break;
    case AGG_TARGET_GROUP:
      add_at(a->tg_reach, m->tg_of_id, m->max_tg_id, k1, v);
      break;
    case AGG_WEEK_REGISTERED:
    case AGG_WEEK_KLV:
      if (k1 >= 0 && k1 < FACTS_WEEKS) (measure == AGG_WEEK_KLV ? a->week_klv : a->week_registered)[k1] += v;
      break;
    default:
      break;
    }
  }
  db_finalize(st);
  return step == DB_ERROR ? -1 : 0;
}

/* Whether the facts read the aggregates (1) or pass over the registrations (0): the
   aggregates serve the organisation's sums (no unit, no team) when they are valid, unless
   facts_from_registrations asked otherwise. */
static __thread int force_registrations;

void facts_from_registrations(int on) { force_registrations = on; }

static int fill(struct db *db, const struct model *m, int y0, int y1, const int *slot, int unit,
                const unsigned char *adv, struct year_acc *acc, char *err, size_t errlen) {
  if (unit < 0 && !adv && !force_registrations) {
    int on = agg_valid(db);
    if (on < 0) {
      snprintf(err, errlen, "reading the state of the aggregates: %s", db_errmsg(db));
      return -1;
    }
    if (on) return from_aggregates(db, m, y0, y1, slot, acc, err, errlen);
  }
  return stream(db, m, y0, y1, slot, unit, adv, acc, err, errlen);
}

/* ---- the tables ---- */

static double hours(int64_t minutes) { return (double)minutes / 60.0; }

static const struct plan_row *plan_of(const struct model *m, int year, int line) {
  for (size_t i = 0; i < m->n_plan; i++)
    if (m->plan[i].year == year && m->plan[i].line == line) return &m->plan[i];
  return NULL;
}

double advisor_capacity_hours(const struct advisor *a, int year, double hours_per_fte) {
  int32_t first = school_year_first_day(year), last = school_year_last_day(year);
  int32_t s = a->start != NO_DATE && a->start > first ? a->start : first;
  int32_t e = a->end != NO_DATE && a->end < last ? a->end : last;
  int days = e >= s ? (int)(e - s + 1) : 0;
  return a->fte * hours_per_fte * (double)days / (double)school_year_days(year);
}

static double advisor_fte_hours(const struct advisor *a, int year, double hpf) {
  return advisor_capacity_hours(a, year, hpf);
}

/* Row groups of the line tables: 0 = pillars, 1 = + projects, 2 = everything. */
static int in_total(const struct line *l, int which) {
  if (which == 0) return l->kind == KIND_PILLAR;
  if (which == 1) return l->kind != KIND_OTHER;
  return 1;
}

static const char *const line_total_rows[3] = {"total_plan", "total_plan_projects", "total"};

/* The distinct sector group names, in the order of their first sector's position. */
static int sector_groups(const struct model *m, const char **groups) {
  int n = 0;
  for (size_t s = 0; s < m->n_sectors; s++) {
    const char *g = m->sectors[s].grp;
    if (!g || !*g) continue;
    int seen = 0;
    for (int k = 0; k < n; k++) seen |= !strcmp(groups[k], g);
    if (!seen) groups[n++] = g;
  }
  return n;
}

static void table_fte(struct facts *f, const struct model *m, int y, const struct year_acc *a, double hpf,
                      int unit, const unsigned char *adv) {
  double planned[2] = {0}, realized[2] = {0}, coloured[2] = {0};
  int64_t minutes[2] = {0};
  int any_coloured = 0;
  for (size_t i = 0; i < m->n_lines; i++) {
    const struct line *l = &m->lines[i];
    if (unit >= 0 && l->unit != unit) continue;
    /* a team's report: the plan is the organisation's, not the team's */
    const struct plan_row *p = adv ? NULL : plan_of(m, y, (int)i);
    if (!p && a->line_registered[i] == 0) continue;
    double real = hours(a->line_registered[i]) / hpf;
    if (p) add(f, "fte", y, l->code, "planned_fte", p->planned);
    add(f, "fte", y, l->code, "realized_fte", real);
    if (p && p->has_coloured) add(f, "fte", y, l->code, "coloured_fte", p->coloured);
    if (p) add_ratio(f, "fte", y, l->code, "realization_pct", real, p->planned);
    for (int t = 0; t < 2; t++) {
      if (!in_total(l, t)) continue;
      minutes[t] += a->line_registered[i];
      if (p) {
        planned[t] += p->planned;
        coloured[t] += p->coloured;
        any_coloured |= p->has_coloured;
      }
    }
  }
  static const char *const rows[2] = {"total_plan", "total_all"};
  for (int t = 0; t < 2; t++) {
    realized[t] = hours(minutes[t]) / hpf;
    if (!adv) add(f, "fte", y, rows[t], "planned_fte", planned[t]); /* a team has no plan */
    add(f, "fte", y, rows[t], "realized_fte", realized[t]);
    if (any_coloured) add(f, "fte", y, rows[t], "coloured_fte", coloured[t]);
    add_ratio(f, "fte", y, rows[t], "realization_pct", realized[t], planned[t]);
  }
}

static void table_hits(struct facts *f, const struct model *m, int y, const struct year_acc *a) {
  const char *groups[64];
  int ng = sector_groups(m, groups);
  int64_t total = 0;
  for (size_t i = 0; i < m->n_institutions; i++) {
    if (!a->inst_hits[i]) continue;
    add(f, "hits", y, m->institutions[i].code, "hits", (double)a->inst_hits[i]);
    total += a->inst_hits[i];
  }
  for (int g = 0; g < ng; g++) {
    int64_t sum = 0;
    for (size_t i = 0; i < m->n_institutions; i++) {
      int s = m->institutions[i].sector;
      if (s >= 0 && m->sectors[s].grp && !strcmp(m->sectors[s].grp, groups[g])) sum += a->inst_hits[i];
    }
    if (sum) add(f, "hits", y, groups[g], "hits", (double)sum);
  }
  add(f, "hits", y, "total", "hits", (double)total);
}

static void table_client_hours(struct facts *f, const struct model *m, int y, const struct year_acc *a) {
  int64_t tot[3] = {0}, mod[3][N_MODALITIES] = {{0}};
  for (size_t i = 0; i < m->n_lines; i++)
    for (int t = 0; t < 3; t++) {
      if (!in_total(&m->lines[i], t)) continue;
      tot[t] += a->line_client[i];
      for (int k = 0; k < N_MODALITIES; k++) mod[t][k] += a->line_modality[i * N_MODALITIES + k];
    }
  for (size_t i = 0; i < m->n_lines; i++) {
    int64_t c = a->line_client[i];
    if (!c) continue;
    const char *code = m->lines[i].code;
    add(f, "client_hours", y, code, "hours", hours(c));
    add_ratio(f, "client_hours", y, code, "share", (double)c, (double)tot[2]);
    for (int k = 0; k < N_MODALITIES; k++)
      add_ratio(f, "modality", y, code, modality_names[k], (double)a->line_modality[i * N_MODALITIES + k],
                (double)c);
  }
  for (int t = 0; t < 3; t++) {
    add(f, "client_hours", y, line_total_rows[t], "hours", hours(tot[t]));
    add_ratio(f, "client_hours", y, line_total_rows[t], "share", (double)tot[t], (double)tot[2]);
    for (int k = 0; k < N_MODALITIES; k++)
      add_ratio(f, "modality", y, line_total_rows[t], modality_names[k], (double)mod[t][k], (double)tot[t]);
  }
}

static void table_target_groups(struct facts *f, const struct model *m, int y, const struct year_acc *a,
                                int unit, const unsigned char *adv) {
  int64_t total = 0;
  for (size_t g = 0; g < m->n_target_groups; g++) {
    const char *code = m->target_groups[g].code;
    add(f, "target_groups", y, code, "reach", (double)a->tg_reach[g]);
    total += a->tg_reach[g];
    for (size_t t = 0; unit < 0 && !adv && t < m->n_targets; t++) /* targets are the organisation's */
      if (m->targets[t].year == y && m->targets[t].tg == (int)g)
        add(f, "target_groups", y, code, "target", m->targets[t].target);
  }
  add(f, "target_groups", y, "total", "reach", (double)total);
}

static void klv_row(struct facts *f, int y, const char *row, double fte_hours, int has_fte, int64_t klv,
                    int64_t registered) {
  if (has_fte) add(f, "klv", y, row, "fte_hours", fte_hours);
  add(f, "klv", y, row, "klv_hours", hours(klv));
  add(f, "klv", y, row, "registered_hours", hours(registered));
  if (has_fte) add_ratio(f, "klv", y, row, "klv_pct", hours(klv), fte_hours);
  add_ratio(f, "klv", y, row, "klv_pct_registered", (double)klv, (double)registered);
}

static void table_klv(struct facts *f, const struct model *m, int y, const struct year_acc *a, double hpf,
                      int unit, const unsigned char *adv) {
  struct buf row = {0};
  /* organisation and units: capacity is the planned FTE of pillars and projects */
  double planned_all = 0, planned_unit[2] = {0};
  int64_t klv_all = 0, reg_all = 0, klv_unit[2] = {0}, reg_unit[2] = {0};
  int unit_used[2] = {0};
  for (size_t i = 0; i < m->n_lines; i++) {
    const struct line *l = &m->lines[i];
    if (unit >= 0 && l->unit != unit) continue;
    const struct plan_row *p = plan_of(m, y, (int)i);
    double planned = p && l->kind != KIND_OTHER ? p->planned : 0;
    planned_all += planned;
    planned_unit[l->unit] += planned;
    klv_all += a->line_klv[i];
    reg_all += a->line_registered[i];
    klv_unit[l->unit] += a->line_klv[i];
    reg_unit[l->unit] += a->line_registered[i];
    if (p || a->line_registered[i]) unit_used[l->unit] = 1;
  }
  if (adv) { /* a team's report: its capacity is its members' (DOMAIN.md section 3) */
    planned_all = 0;
    for (size_t i = 0; i < m->n_advisors; i++)
      if (adv[i]) planned_all += advisor_fte_hours(&m->advisors[i], y, hpf) / hpf;
  }
  klv_row(f, y, "total", planned_all * hpf, planned_all > 0, klv_all, reg_all);
  static const char *const unit_rows[2] = {"unit:pbd", "unit:poc"};
  for (int u = 0; u < 2 && !adv; u++)
    if (unit_used[u])
      klv_row(f, y, unit_rows[u], planned_unit[u] * hpf, planned_unit[u] > 0, klv_unit[u], reg_unit[u]);
  for (size_t i = 0; i < m->n_lines; i++) {
    if (unit >= 0 && m->lines[i].unit != unit) continue;
    const struct plan_row *p = plan_of(m, y, (int)i);
    if (!p && !a->line_registered[i]) continue;
    buf_reset(&row);
    buf_printf(&row, "line:%s", m->lines[i].code);
    klv_row(f, y, buf_str(&row), p ? p->planned * hpf : 0, p != NULL && !adv, a->line_klv[i],
            a->line_registered[i]);
  }
  int32_t first = school_year_first_day(y), last = school_year_last_day(y);
  for (size_t t = 0; t < m->n_teams; t++) {
    const struct team *tm = &m->teams[t];
    double fte_hours = 0;
    int64_t klv = 0, reg = 0;
    int employed = 0;
    for (int k = 0; k < tm->n_members; k++) {
      const struct advisor *ad = &m->advisors[tm->members[k]];
      employed |= ranges_overlap(ad->start, ad->end, first, last);
      fte_hours += advisor_fte_hours(ad, y, hpf);
      klv += a->adv_klv[tm->members[k]];
      reg += a->adv_registered[tm->members[k]];
    }
    if (!employed || ((unit >= 0 || adv) && !reg)) continue;
    buf_reset(&row);
    buf_printf(&row, "team:%s", tm->code);
    /* a unit's report: an advisor's capacity is not split over units, so no fte_hours */
    klv_row(f, y, buf_str(&row), fte_hours, unit < 0, klv, reg);
  }
  for (size_t i = 0; i < m->n_advisors; i++) {
    const struct advisor *ad = &m->advisors[i];
    if (!ranges_overlap(ad->start, ad->end, first, last) && !a->adv_registered[i]) continue;
    if ((unit >= 0 && !a->adv_registered[i]) || (adv && !adv[i])) continue;
    buf_reset(&row);
    buf_printf(&row, "advisor:%s", ad->code);
    klv_row(f, y, buf_str(&row), advisor_fte_hours(ad, y, hpf), unit < 0, a->adv_klv[i],
            a->adv_registered[i]);
  }
  buf_free(&row);
}

static void table_klv_by_line(struct facts *f, const struct model *m, int y, const struct year_acc *a) {
  int64_t total = 0;
  for (size_t i = 0; i < m->n_lines; i++) total += a->line_klv[i];
  for (size_t i = 0; i < m->n_lines; i++) {
    if (!a->line_klv[i]) continue;
    add(f, "klv_by_line", y, m->lines[i].code, "hours", hours(a->line_klv[i]));
    add_ratio(f, "klv_by_line", y, m->lines[i].code, "share", (double)a->line_klv[i], (double)total);
  }
  add(f, "klv_by_line", y, "total", "hours", hours(total));
  add_ratio(f, "klv_by_line", y, "total", "share", (double)total, (double)total);
}

/* The trajectory rule (DOMAIN.md 4.1) for one institution: the conditions missed by its
   trajectory that misses the fewest (enum reach_missing), 0 when one meets them all. */
static int trajectory_rule_missing(const struct model *m, int inst, int y, const struct year_acc *a) {
  int32_t first = school_year_first_day(y), last = school_year_last_day(y);
  int best = MISS_TRAJECTORY, best_n = 99;
  for (int k = m->inst_traj_start[inst]; k < m->inst_traj_start[inst + 1]; k++) {
    int t = m->inst_traj[k];
    const struct trajectory *tr = &m->trajectories[t];
    if (!ranges_overlap(tr->start, tr->end, first, last)) continue;
    if (!tr->status || !strcmp(tr->status, "planned")) continue;
    int miss = 0;
    if (!tr->level || (strcmp(tr->level, "meso") && strcmp(tr->level, "micro"))) miss |= MISS_LEVEL;
    if (!tr->shared_goal || !*tr->shared_goal) miss |= MISS_SHARED_GOAL;
    if (!trajectory_has_plan(tr)) miss |= MISS_PLAN;
    if (!a->traj_followup[t]) miss |= MISS_FOLLOWUP;
    int n = __builtin_popcount((unsigned)miss);
    if (n < best_n) {
      best = miss;
      best_n = n;
    }
    if (!miss) break;
  }
  return best;
}

/* Indicator 2: whether an own institution is reached in the year (DOMAIN.md 4.1). */
static int reached(const struct model *m, int inst, int y, const struct year_acc *a,
                   const struct setting *s) {
  switch (s->rule) {
  case RULE_CONTACT:
    return a->inst_hits[inst] > 0;
  case RULE_HOURS: {
    double min = s->min_hours;
    if (hours(a->inst_notraj_minutes[inst]) >= min) return 1;
    for (int k = m->inst_traj_start[inst]; k < m->inst_traj_start[inst + 1]; k++)
      if (hours(a->traj_minutes[m->inst_traj[k]]) >= min) return 1;
    return 0;
  }
  default:
    return trajectory_rule_missing(m, inst, y, a) == 0;
  }
}

static void table_reach(struct facts *f, const struct model *m, int y, const struct year_acc *a) {
  const char *groups[64];
  int ng = sector_groups(m, groups);
  struct setting s = model_setting(m, y);
  int32_t first = school_year_first_day(y), last = school_year_last_day(y);
  int count[65] = {0}, hit[65] = {0};
  for (size_t i = 0; i < m->n_institutions; i++) {
    const struct institution *in = &m->institutions[i];
    if (!in->own || !ranges_overlap(in->start, in->end, first, last)) continue;
    int r = reached(m, (int)i, y, a, &s);
    count[64]++;
    hit[64] += r;
    const char *g = in->sector >= 0 ? m->sectors[in->sector].grp : NULL;
    for (int k = 0; g && k < ng; k++)
      if (!strcmp(groups[k], g)) {
        count[k]++;
        hit[k] += r;
      }
  }
  for (int k = 0; k <= ng; k++) {
    int idx = k == ng ? 64 : k;
    const char *row = k == ng ? "total" : groups[k];
    if (k < ng && !count[idx]) continue;
    add(f, "reach", y, row, "institutions", count[idx]);
    add(f, "reach", y, row, "reached", hit[idx]);
    add_ratio(f, "reach", y, row, "reach_pct", hit[idx], count[idx]);
  }
}

static int table_pd_spend(struct facts *f, struct db *db, const struct model *m, int y,
                          const struct year_acc *a, int unit, const unsigned char *adv) {
  struct db_stmt *st = db_prepare(db, "SELECT a.code, SUM(p.amount_eur) FROM pd_spend p "
                                      "JOIN advisor a ON a.id = p.advisor_id WHERE p.school_year = ? "
                                      "GROUP BY a.code ORDER BY a.code");
  if (!st) return -1;
  db_bind_int64(st, 1, y);
  double total = 0;
  int any = 0;
  while (db_step(st) == DB_ROW) {
    /* a unit's report: the advisors with registered time on the unit's lines */
    if (unit >= 0 || adv) { /* a team's report: its members */
      int ad = model_advisor(m, db_col_text(st, 0));
      if (ad < 0 || (unit >= 0 && !a->adv_registered[ad]) || (adv && !adv[ad])) continue;
    }
    add(f, "pd_spend", y, db_col_text(st, 0), "amount_eur", db_col_double(st, 1));
    total += db_col_double(st, 1);
    any = 1;
  }
  db_finalize(st);
  if (!any) return 0;
  int employed = 0;
  for (size_t i = 0; i < m->n_advisors; i++)
    employed += adv && !adv[i] ? 0
                : unit >= 0    ? a->adv_registered[i] > 0
                               : ranges_overlap(m->advisors[i].start, m->advisors[i].end,
                                                school_year_first_day(y), school_year_last_day(y));
  add(f, "pd_spend", y, "total", "amount_eur", total);
  add_ratio(f, "pd_spend", y, "total", "per_advisor", total, employed);
  return 0;
}

int facts_week_of(int year, int32_t day) { return school_week_of(year, day); }

int facts_weekly(struct db *db, const struct model *m, int year, int64_t *registered, int64_t *klv, char *err,
                 size_t errlen) {
  struct year_acc acc;
  acc_init(&acc, m);
  int rc = fill(db, m, year, year, NULL, -1, NULL, &acc, err, errlen);
  memcpy(registered, acc.week_registered, sizeof acc.week_registered);
  memcpy(klv, acc.week_klv, sizeof acc.week_klv);
  acc_free(&acc);
  return rc;
}

int facts_reached(struct db *db, const struct model *m, int year, unsigned char *reached_out, char *err,
                  size_t errlen) {
  struct year_acc acc;
  acc_init(&acc, m);
  int rc = fill(db, m, year, year, NULL, -1, NULL, &acc, err, errlen);
  struct setting s = model_setting(m, year);
  for (size_t i = 0; rc == 0 && i < m->n_institutions; i++)
    reached_out[i] = (unsigned char)reached(m, (int)i, year, &acc, &s);
  acc_free(&acc);
  return rc;
}

int facts_reach_detail(struct db *db, const struct model *m, int year, unsigned char *reached_out,
                       unsigned char *missing_out, char *err, size_t errlen) {
  struct year_acc acc;
  acc_init(&acc, m);
  int rc = fill(db, m, year, year, NULL, -1, NULL, &acc, err, errlen);
  struct setting s = model_setting(m, year);
  for (size_t i = 0; rc == 0 && i < m->n_institutions; i++) {
    reached_out[i] = (unsigned char)reached(m, (int)i, year, &acc, &s);
    missing_out[i] = reached_out[i] || s.rule != RULE_TRAJECTORY
                         ? 0
                         : (unsigned char)trajectory_rule_missing(m, (int)i, year, &acc);
  }
  acc_free(&acc);
  return rc;
}

int facts_compute(struct db *db, const struct model *m, const int *years, int n_years, struct facts *out,
                  char *err, size_t errlen) {
  return facts_compute_unit(db, m, years, n_years, -1, out, err, errlen);
}

int facts_compute_unit(struct db *db, const struct model *m, const int *years, int n_years, int unit,
                       struct facts *out, char *err, size_t errlen) {
  return facts_compute_scope(db, m, years, n_years, unit, NULL, out, err, errlen);
}

int facts_compute_scope(struct db *db, const struct model *m, const int *years, int n_years, int unit,
                        const unsigned char *adv, struct facts *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  out->years = xmalloc(sizeof(int) * (size_t)(n_years ? n_years : 1));
  if (n_years) memcpy(out->years, years, sizeof(int) * (size_t)n_years);
  out->n_years = n_years;
  if (n_years > 1) qsort(out->years, (size_t)n_years, sizeof(int), cmp_desc);
  if (!n_years) return 0;
  int y0 = out->years[n_years - 1], y1 = out->years[0];
  /* one accumulator per requested year (not per year of the span: 2023 and 9998 must
     not cost 7,976 of them) */
  int span = y1 - y0 + 1;
  int *slot = xmalloc(sizeof(int) * (size_t)span);
  for (int i = 0; i < span; i++) slot[i] = -1;
  for (int k = 0; k < n_years; k++)
    if (slot[out->years[k] - y0] < 0) slot[out->years[k] - y0] = k;
  struct year_acc *acc = xcalloc((size_t)n_years, sizeof *acc);
  for (int i = 0; i < n_years; i++) acc_init(&acc[i], m);
  int rc = fill(db, m, y0, y1, slot, unit, adv, acc, err, errlen);
  for (int k = 0; rc == 0 && k < n_years; k++) {
    int y = out->years[k];
    const struct year_acc *a = &acc[slot[y - y0]];
    double hpf = model_setting(m, y).hours_per_fte;
    table_fte(out, m, y, a, hpf, unit, adv);
    table_hits(out, m, y, a);
    table_client_hours(out, m, y, a);
    table_target_groups(out, m, y, a, unit, adv);
    table_klv(out, m, y, a, hpf, unit, adv);
    table_klv_by_line(out, m, y, a);
    table_reach(out, m, y, a);
    if (table_pd_spend(out, db, m, y, a, unit, adv) != 0) {
      snprintf(err, errlen, "reading professional-development spend: %s", db_errmsg(db));
      rc = -1;
    }
  }
  for (int i = 0; i < n_years; i++) acc_free(&acc[i]);
  free(acc);
  free(slot);
  if (rc != 0)
    facts_free(out);
  else
    facts_index(out);
  return rc;
}

/* ---- writers ---- */

int facts_write_csv(const struct facts *f, FILE *out) {
  fputs("table,year,row,col,value\n", out);
  char num[32], year[10];
  for (size_t i = 0; i < f->n; i++) {
    const struct fact *x = &f->v[i];
    school_year_format(x->year, year);
    format_fact(x->value, num);
    fprintf(out, "%s,%s,", x->table, year);
    escape_csv(out, x->row, ',', 0);
    fprintf(out, ",%s,%s\n", x->col, num);
  }
  return ferror(out) ? -1 : 0;
}

int facts_write_json(const struct facts *f, const char *generated_at, FILE *out) {
  char num[32], year[10];
  fputs("{\n  \"generated_at\": ", out);
  escape_json_file(out, generated_at);
  fputs(",\n  \"years\": [", out);
  for (int k = 0; k < f->n_years; k++) {
    school_year_format(f->years[k], year);
    fprintf(out, "%s\"%s\"", k ? ", " : "", year);
  }
  fputs("],\n  \"facts\": [", out);
  for (size_t i = 0; i < f->n; i++) {
    const struct fact *x = &f->v[i];
    school_year_format(x->year, year);
    format_fact(x->value, num);
    fprintf(out, "%s\n    {\"table\": \"%s\", \"year\": \"%s\", \"row\": ", i ? "," : "", x->table, year);
    escape_json_file(out, x->row);
    fprintf(out, ", \"col\": \"%s\", \"value\": %s}", x->col, num);
  }
  fputs(f->n ? "\n  ]\n}\n" : "]\n}\n", out);
  return ferror(out) ? -1 : 0;
}

int facts_default_year(const int *years, int n, int32_t today) {
  (void)years; /* the current school year, not the newest with data (docs/VIEWS.md) */
  (void)n;
  return school_year_of(today);
}
