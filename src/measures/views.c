/* SPDX-License-Identifier: EUPL-1.2 */
#include "measures/views.h"

#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/aggregate.h"
#include "domain/model.h"
#include "measures/facts.h"
#include "measures/indicators.h"

int32_t views_week_monday(int year, int week) {
  int32_t first = school_year_first_day(year);
  return first - (int32_t)(((first % 7) + 7 + 3) % 7) + 7 * week;
}

static void target_of(struct view_target *t, double actual, double target, double share) {
  t->has_target = 1;
  t->target = target;
  t->target_to_date = target * share;
  t->status = indicator_status(actual, t->target_to_date);
}

#define MAX_LINKS 4096

/* The sums of the pass, indexed by model index. */
struct sums {
  int64_t *line_klv, *line_reg, *line_week_klv, *line_week_reg; /* [line * FACTS_WEEKS + w] */
  int64_t *goal_hits, nogoal_hits;
  unsigned char *goal_inst; /* [goal * n_inst + inst]: named by a client registration of the goal */
  int64_t *inst_minutes, *inst_hits;
  int64_t *tg_minutes, *tg_reach;
  int64_t *adv_line_ytd;  /* [advisor * n_lines + line], days up to today */
  int64_t *adv_line_week; /* [(advisor * n_lines + line) * FACTS_WEEKS + w], plan rows only */
  unsigned char *in_plan; /* [advisor * n_lines + line] */
};

static int pass(struct db *db, const struct model *m, int year, int32_t today, const unsigned char *scope,
                struct sums *s, struct views *v, char *err, size_t errlen) {
  int rc = -1;
  struct db_stmt *range = NULL, *regs = NULL;
  struct link_cursor ca = {0}, ci = {0}, cc = {0};
  char from[11], to[11];
  date_format(school_year_first_day(year), from);
  date_format(school_year_last_day(year), to);
  size_t nl = m->n_lines, ni = m->n_institutions;
  range = db_prepare(db, "SELECT MIN(id), MAX(id) FROM registration WHERE date BETWEEN ? AND ?");
  if (!range) goto dberr;
  db_bind_text(range, 1, from);
  db_bind_text(range, 2, to);
  if (db_step(range) != DB_ROW || db_col_is_null(range, 0)) {
    rc = 0;
    goto out;
  }
  int64_t lo = db_col_int64(range, 0), hi = db_col_int64(range, 1);
  regs = db_prepare(db, "SELECT id, date, minutes, kind, line_id, goal_id, activity FROM registration "
                        "WHERE id BETWEEN ? AND ? ORDER BY id");
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
    int na = 0, nin = 0;
    while (ca.has_row && ca.reg < id) link_cursor_next(&ca);
    for (; ca.has_row && ca.reg == id; link_cursor_next(&ca)) {
      int64_t aid = db_col_int64(ca.st, 1);
      int ad = aid > 0 && aid <= m->max_advisor_id ? m->advisor_of_id[aid] : -1;
      if (ad >= 0 && na < MAX_LINKS && (!scope || scope[ad])) advs[na++] = ad;
    }
    while (ci.has_row && ci.reg < id) link_cursor_next(&ci);
    for (; ci.has_row && ci.reg == id; link_cursor_next(&ci)) {
      int64_t iid = db_col_int64(ci.st, 1);
      int in = iid > 0 && iid <= m->max_inst_id ? m->inst_of_id[iid] : -1;
      if (in >= 0 && nin < MAX_LINKS) insts[nin++] = in;
    }
    while (cc.has_row && cc.reg < id) link_cursor_next(&cc);
    int32_t day;
    if (date_parse(db_col_text(regs, 1), &day) != 0 || school_year_of(day) != year) continue;
    int64_t lid = db_col_int64(regs, 4);
    int line = lid > 0 && lid <= m->max_line_id ? m->line_of_id[lid] : -1;
    /* out of scope: no advisor of the scope on it */
    if (line < 0 || (scope && na == 0)) continue;
    int64_t d = db_col_int64(regs, 2);
    int client = db_col_text(regs, 3)[0] == 'c';
    int week = facts_week_of(year, day);
    if (week < 0 || week >= FACTS_WEEKS) week = 0;
    s->line_reg[line] += d * na;
    s->line_week_reg[(size_t)line * FACTS_WEEKS + (size_t)week] += d * na;
    for (int k = 0; k < na; k++) {
      size_t al = (size_t)advs[k] * nl + (size_t)line;
      if (day <= today) s->adv_line_ytd[al] += d;
      if (s->in_plan[al]) s->adv_line_week[al * FACTS_WEEKS + (size_t)week] += d;
    }
    if (!client) {
      int act = parse_activity(db_col_is_null(regs, 6) ? "" : db_col_text(regs, 6));
      if (act < 0) act = N_ACTIVITIES - 1; /* an unknown activity counts as other */
      v->activity_minutes[act] += d * na;
      v->internal_minutes += d * na;
      continue;
    }
    s->line_klv[line] += d * na;
    s->line_week_klv[(size_t)line * FACTS_WEEKS + (size_t)week] += d * na;
    int goal = -1;
    if (!db_col_is_null(regs, 5)) {
      int64_t gid = db_col_int64(regs, 5);
      goal = gid > 0 && gid <= m->max_goal_id ? m->goal_of_id[gid] : -1;
    }
    if (goal >= 0)
      s->goal_hits[goal] += nin;
    else
      s->nogoal_hits += nin;
    for (int k = 0; k < nin; k++) {
      s->inst_minutes[insts[k]] += d;
      s->inst_hits[insts[k]]++;
      if (goal >= 0) s->goal_inst[(size_t)goal * ni + (size_t)insts[k]] = 1;
    }
    for (; cc.has_row && cc.reg == id; link_cursor_next(&cc)) {
      int64_t gid = db_col_int64(cc.st, 1), n = db_col_int64(cc.st, 2);
      int g = gid > 0 && gid <= m->max_tg_id ? m->tg_of_id[gid] : -1;
      if (g < 0) continue;
      s->tg_reach[g] += n;
      if (n > 0) s->tg_minutes[g] += d;
    }
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

/* The organisation's sums from the aggregates (domain/aggregate.h: the views' measures,
   with the institutions' hits and minutes and the head counts the facts read) instead of
   the pass: the same numbers, from a few thousand rows. The minutes of the planned split
   (per advisor, line and week, and up to today) are not kept: with plans in the year
   they come from the registrations of the advisors that have one. */
static int from_aggregates(struct db *db, const struct model *m, int year, int32_t today, size_t n_plan,
                           struct sums *s, struct views *v, char *err, size_t errlen) {
  size_t ni = m->n_institutions;
  /* the service named too where keys begin with it (as measures/facts.c) */
  int svc = db_has_services(db);
  struct db_stmt *st = db_prepare(db, svc ? "SELECT measure, k1, k2, value FROM agg WHERE service_id = ? "
                                            "AND school_year = ? AND measure IN (?, ?, ?, ?, ?, ?, ?, ?)"
                                          : "SELECT measure, k1, k2, value FROM agg WHERE ? = 0 "
                                            "AND school_year = ? AND measure IN (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) goto dberr;
  db_bind_int64(st, 1, svc ? db_service(db) : 0);
  static const int measures[] = {
      AGG_INST_HITS, AGG_INST_TRAJ_MINUTES, AGG_TARGET_GROUP, AGG_LINE_WEEK_KLV, AGG_LINE_WEEK_REGISTERED,
      AGG_GOAL_INST, AGG_TG_MINUTES,        AGG_ACTIVITY};
  db_bind_int64(st, 2, year);
  for (int k = 0; k < 8; k++) db_bind_int64(st, k + 3, measures[k]);
  int step;
  while ((step = db_step(st)) == DB_ROW) {
    int measure = (int)db_col_int64(st, 0);
    int64_t k1 = db_col_int64(st, 1), k2 = db_col_int64(st, 2), val = db_col_int64(st, 3);
    int in = k1 > 0 && k1 <= m->max_inst_id ? m->inst_of_id[k1] : -1;
    int line = k1 > 0 && k1 <= m->max_line_id ? m->line_of_id[k1] : -1;
    int tg = k1 > 0 && k1 <= m->max_tg_id ? m->tg_of_id[k1] : -1;
    size_t lw = (size_t)line * FACTS_WEEKS + (size_t)(k2 >= 0 && k2 < FACTS_WEEKS ? k2 : 0);
    switch (measure) {
    case AGG_INST_HITS:
      if (in >= 0) s->inst_hits[in] += val;
      break;
    case AGG_INST_TRAJ_MINUTES:
      if (in >= 0) s->inst_minutes[in] += val;
      break;
    case AGG_TARGET_GROUP:
      if (tg >= 0) s->tg_reach[tg] += val;
      break;
    case AGG_TG_MINUTES:
      if (tg >= 0) s->tg_minutes[tg] += val;
      break;
    case AGG_LINE_WEEK_REGISTERED:
      if (line < 0) break;
      s->line_reg[line] += val;
      s->line_week_reg[lw] += val;
      break;
    case AGG_LINE_WEEK_KLV:
      if (line < 0) break;
      s->line_klv[line] += val;
      s->line_week_klv[lw] += val;
      break;
    case AGG_GOAL_INST: {
      int goal = k1 > 0 && k1 <= m->max_goal_id ? m->goal_of_id[k1] : -1;
      int i2 = k2 > 0 && k2 <= m->max_inst_id ? m->inst_of_id[k2] : -1;
      if (i2 < 0) break;
      if (goal < 0) {
        s->nogoal_hits += val;
        break;
      }
      s->goal_hits[goal] += val;
      if (val > 0) s->goal_inst[(size_t)goal * ni + (size_t)i2] = 1;
      break;
    }
    case AGG_ACTIVITY:
      if (k1 < 0 || k1 >= N_ACTIVITIES) break;
      v->activity_minutes[k1] += val;
      v->internal_minutes += val;
      break;
    default:
      break;
    }
  }
  db_finalize(st);
  st = NULL;
  if (step == DB_ERROR) goto dberr;
  if (!n_plan) return 0;
  char from[11], to[11];
  date_format(school_year_first_day(year), from);
  date_format(school_year_last_day(year), to);
  st = db_prepare(db, "SELECT ra.advisor_id, r.line_id, r.date, r.minutes FROM registration r "
                      "JOIN registration_advisor ra ON ra.registration_id = r.id "
                      "WHERE r.date BETWEEN ? AND ? AND ra.advisor_id IN "
                      "(SELECT advisor_id FROM advisor_line_plan WHERE school_year = ?)");
  if (!st) goto dberr;
  db_bind_text(st, 1, from);
  db_bind_text(st, 2, to);
  db_bind_int64(st, 3, year);
  size_t nl = m->n_lines;
  while ((step = db_step(st)) == DB_ROW) {
    int64_t aid = db_col_int64(st, 0), lid = db_col_int64(st, 1);
    int ad = aid > 0 && aid <= m->max_advisor_id ? m->advisor_of_id[aid] : -1;
    int line = lid > 0 && lid <= m->max_line_id ? m->line_of_id[lid] : -1;
    int32_t day;
    if (ad < 0 || line < 0 || date_parse(db_col_text(st, 2), &day) != 0 || school_year_of(day) != year)
      continue;
    int64_t d = db_col_int64(st, 3);
    int week = facts_week_of(year, day);
    if (week < 0 || week >= FACTS_WEEKS) week = 0;
    size_t al = (size_t)ad * nl + (size_t)line;
    if (day <= today) s->adv_line_ytd[al] += d;
    if (s->in_plan[al]) s->adv_line_week[al * FACTS_WEEKS + (size_t)week] += d;
  }
  db_finalize(st);
  if (step != DB_ERROR) return 0;
  st = NULL;
dberr:
  snprintf(err, errlen, "reading the aggregates of the views: %s", db_errmsg(db));
  db_finalize(st);
  return -1;
}

/* The planned split of the advisors in scope (advisor_line_plan, migration 008). */
static int read_plan(struct db *db, const struct model *m, int year, const unsigned char *scope,
                     struct sums *s, struct views *v, double **fte_out) {
  v->has_split_plan = db_query_int(db, "SELECT COUNT(*) FROM schema_version WHERE version >= 8", 0) > 0;
  if (!v->has_split_plan) return 0;
  struct db_stmt *st = db_prepare(db, "SELECT advisor_id, line_id, fte FROM advisor_line_plan "
                                      "WHERE school_year = ? ORDER BY advisor_id, line_id");
  if (!st) return -1;
  db_bind_int64(st, 1, year);
  double *fte = *fte_out;
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    int64_t aid = db_col_int64(st, 0), lid = db_col_int64(st, 1);
    int ad = aid > 0 && aid <= m->max_advisor_id ? m->advisor_of_id[aid] : -1;
    int line = lid > 0 && lid <= m->max_line_id ? m->line_of_id[lid] : -1;
    if (ad < 0 || line < 0 || (scope && !scope[ad])) continue;
    size_t al = (size_t)ad * m->n_lines + (size_t)line;
    s->in_plan[al] = 1;
    fte[al] += db_col_double(st, 2);
  }
  db_finalize(st);
  return rc == DB_ERROR ? -1 : 0;
}

static int read_pd(struct db *db, const struct model *m, int year, const unsigned char *scope,
                   struct views *v) {
  struct db_stmt *st = db_prepare(db, "SELECT a.code, SUM(p.amount_eur) FROM pd_spend p "
                                      "JOIN advisor a ON a.id = p.advisor_id WHERE p.school_year = ? "
                                      "GROUP BY a.code ORDER BY a.code");
  if (!st) return -1;
  db_bind_int64(st, 1, year);
  int rc;
  size_t cap = 0;
  while ((rc = db_step(st)) == DB_ROW) {
    int ad = model_advisor(m, db_col_text(st, 0));
    if (ad < 0 || (scope && !scope[ad])) continue;
    grow_array((void **)&v->pd, &cap, v->n_pd + 1, sizeof *v->pd);
    v->pd[v->n_pd].advisor = ad;
    v->pd[v->n_pd++].amount_eur = db_col_double(st, 1);
    v->pd_total += db_col_double(st, 1);
  }
  db_finalize(st);
  return rc == DB_ERROR ? -1 : 0;
}

static int cmp_inst(const void *a, const void *b) {
  const struct view_institution *x = a, *y = b;
  if (x->minutes != y->minutes) return x->minutes < y->minutes ? 1 : -1;
  return (x->institution > y->institution) - (x->institution < y->institution);
}

static int compute(struct db *db, const struct model *m, const struct facts *facts, int year, int32_t today,
                   const unsigned char *advisors, int use_aggregates, struct views *v, char *err,
                   size_t errlen) {
  memset(v, 0, sizeof *v);
  v->year = year;
  v->today = today;
  v->full = advisors == NULL;
  v->share = prorata_share(year, today);
  v->hours_per_fte = model_setting(m, year).hours_per_fte;
  int32_t last = school_year_last_day(year);
  int tw = facts_week_of(year, today < last ? today : last);
  v->n_weeks = tw < 0 ? 1 : tw >= FACTS_WEEKS ? FACTS_WEEKS : tw + 1;
  size_t nl = m->n_lines ? m->n_lines : 1, ni = m->n_institutions ? m->n_institutions : 1,
         ng = m->n_goals ? m->n_goals : 1, na = m->n_advisors ? m->n_advisors : 1,
         nt = m->n_target_groups ? m->n_target_groups : 1;
  struct sums s = {0};
  s.line_klv = xcalloc(nl, sizeof(int64_t));
  s.line_reg = xcalloc(nl, sizeof(int64_t));
  s.line_week_klv = xcalloc(nl * FACTS_WEEKS, sizeof(int64_t));
  s.line_week_reg = xcalloc(nl * FACTS_WEEKS, sizeof(int64_t));
  s.goal_hits = xcalloc(ng, sizeof(int64_t));
  s.goal_inst = xcalloc(ng * ni, 1);
  s.inst_minutes = xcalloc(ni, sizeof(int64_t));
  s.inst_hits = xcalloc(ni, sizeof(int64_t));
  s.tg_minutes = xcalloc(nt, sizeof(int64_t));
  s.tg_reach = xcalloc(nt, sizeof(int64_t));
  s.adv_line_ytd = xcalloc(na * nl, sizeof(int64_t));
  s.in_plan = xcalloc(na * nl, 1);
  double *plan_fte = xcalloc(na * nl, sizeof(double));
  int rc = -1;
  if (read_plan(db, m, year, advisors, &s, v, &plan_fte) != 0) {
    snprintf(err, errlen, "reading the advisors' planned split: %s", db_errmsg(db));
    goto done;
  }
  /* weekly minutes only for the planned (advisor, line) pairs */
  size_t n_plan = 0;
  for (size_t k = 0; k < na * nl; k++) n_plan += s.in_plan[k];
  s.adv_line_week = xcalloc(n_plan ? na * nl * FACTS_WEEKS : 1, sizeof(int64_t));
  /* the organisation's view from the aggregates when they are kept; a scope of advisors
     by the pass (the aggregates are not kept per advisor) */
  int kept = 0;
  if (!advisors && use_aggregates && (kept = agg_valid(db)) < 0) {
    snprintf(err, errlen, "reading the state of the aggregates: %s", db_errmsg(db));
    goto done;
  }
  if (kept ? from_aggregates(db, m, year, today, n_plan, &s, v, err, errlen) != 0
           : pass(db, m, year, today, advisors, &s, v, err, errlen) != 0)
    goto done;
  if (read_pd(db, m, year, advisors, v) != 0) {
    snprintf(err, errlen, "reading professional-development spend: %s", db_errmsg(db));
    goto done;
  }

  /* KLV per line */
  v->lines = xcalloc(nl, sizeof *v->lines);
  char row[160];
  for (size_t i = 0; i < m->n_lines; i++) {
    int fp = 0;
    if (v->full) {
      snprintf(row, sizeof row, "line:%s", m->lines[i].code);
      facts_get(facts, "klv", year, row, "fte_hours", &fp);
    }
    if (!s.line_reg[i] && !fp) continue;
    struct view_line *l = &v->lines[v->n_lines++];
    l->line = (int)i;
    l->klv_minutes = s.line_klv[i];
    l->registered_minutes = s.line_reg[i];
    memcpy(l->week_klv, &s.line_week_klv[i * FACTS_WEEKS], sizeof l->week_klv);
    memcpy(l->week_registered, &s.line_week_reg[i * FACTS_WEEKS], sizeof l->week_registered);
    if (v->full) { /* the facts' capacity-based KLV% and klv_by_line share, reused */
      struct klv_summary k;
      indicator_klv_summary(facts, year, row, v->share, &k);
      l->fte_hours = k.fte_hours;
      l->has_fte_hours = k.has_fte_hours;
      l->pct_to_date = k.pct;
      l->has_pct = k.has_pct;
      l->status = k.status;
      l->share = facts_get(facts, "klv_by_line", year, m->lines[i].code, "share", &l->has_share);
    }
  }
  /* reach and hits per goal */
  v->goals = xcalloc(ng + 1, sizeof *v->goals);
  for (size_t g = 0; g < m->n_goals; g++) {
    if (!s.goal_hits[g]) continue;
    struct view_goal *x = &v->goals[v->n_goals++];
    x->goal = (int)g;
    x->hits = s.goal_hits[g];
    for (size_t i = 0; i < m->n_institutions; i++)
      x->reached += s.goal_inst[g * ni + i] && m->institutions[i].own;
  }
  if (s.nogoal_hits) v->goals[v->n_goals++] = (struct view_goal){-1, s.nogoal_hits, 0};
  /* hours per institution, most first */
  v->institutions = xcalloc(ni, sizeof *v->institutions);
  for (size_t i = 0; i < m->n_institutions; i++)
    if (s.inst_minutes[i] || s.inst_hits[i])
      v->institutions[v->n_institutions++] =
          (struct view_institution){(int)i, s.inst_minutes[i], s.inst_hits[i]};
  qsort(v->institutions, v->n_institutions, sizeof *v->institutions, cmp_inst);
  /* hours and reach per target group, against the year's target (organisation only) */
  v->groups = xcalloc(nt, sizeof *v->groups);
  for (size_t g = 0; g < m->n_target_groups; g++) {
    struct view_group *x = &v->groups[v->n_groups++];
    x->group = (int)g;
    x->minutes = s.tg_minutes[g];
    x->reach = s.tg_reach[g];
    for (size_t t = 0; v->full && t < m->n_targets; t++)
      if (m->targets[t].year == year && m->targets[t].tg == (int)g)
        target_of(&x->target, (double)x->reach, m->targets[t].target, v->share);
  }
  /* the quality reserve */
  if (v->full)
    target_of(&v->quality, (double)v->activity_minutes[5] / 60.0, QUALITY_RESERVE_FTE * v->hours_per_fte,
              v->share);
  /* the planned split against registered */
  size_t n_splits = 0;
  for (size_t k = 0; k < m->n_advisors * m->n_lines; k++) n_splits += s.in_plan[k] || s.adv_line_ytd[k];
  v->splits = xcalloc(n_splits ? n_splits : 1, sizeof *v->splits);
  int32_t first = school_year_first_day(year);
  int wd_year = working_days(first, last);
  for (size_t a = 0; v->has_split_plan && a < m->n_advisors; a++) {
    int any_plan = 0;
    for (size_t i = 0; i < m->n_lines; i++) any_plan |= s.in_plan[a * nl + i];
    if (!any_plan) continue; /* the view is of advisors with a planned split */
    for (size_t i = 0; i < m->n_lines; i++) {
      size_t al = a * nl + i;
      if (!s.in_plan[al] && !s.adv_line_ytd[al]) continue;
      struct view_split *x = &v->splits[v->n_splits++];
      x->advisor = (int)a;
      x->line = (int)i;
      x->in_plan = s.in_plan[al];
      x->planned_fte = plan_fte[al];
      struct advisor tmp = m->advisors[a];
      tmp.fte = plan_fte[al];
      x->planned_hours_year = advisor_capacity_hours(&tmp, year, v->hours_per_fte);
      x->planned_hours_to_date = x->planned_hours_year * v->share;
      x->minutes_to_date = s.adv_line_ytd[al];
      for (int w = 0; w < v->n_weeks && w < FACTS_WEEKS; w++) {
        int32_t mon = views_week_monday(year, w), sun = mon + 6;
        int32_t a0 = mon < first ? first : mon, b0 = sun > last ? last : sun;
        x->week[w].planned_hours =
            wd_year > 0 ? x->planned_hours_year * (double)working_days(a0, b0) / (double)wd_year : 0;
        x->week[w].minutes = x->in_plan ? s.adv_line_week[al * FACTS_WEEKS + (size_t)w] : 0;
      }
      x->status = indicator_status((double)x->minutes_to_date / 60.0, x->planned_hours_to_date);
    }
  }
  /* professional development: the organisation's average is the facts' (the report's
     row); a scope's is its spend over its advisors employed in the year */
  if (v->full) {
    v->pd_average = facts_get(facts, "pd_spend", year, "total", "per_advisor", &v->has_pd_average);
  }
  for (size_t a = 0; a < m->n_advisors; a++)
    if ((!advisors || advisors[a]) && ranges_overlap(m->advisors[a].start, m->advisors[a].end, first, last))
      v->pd_advisors++;
  if (!v->full && v->n_pd && v->pd_advisors > 0) {
    v->pd_average = v->pd_total / v->pd_advisors;
    v->has_pd_average = 1;
  }
  if (v->has_pd_average) target_of(&v->pd_norm, v->pd_average, PD_NORM_EUR, v->share);
  rc = 0;
done:
  free(s.line_klv);
  free(s.line_reg);
  free(s.line_week_klv);
  free(s.line_week_reg);
  free(s.goal_hits);
  free(s.goal_inst);
  free(s.inst_minutes);
  free(s.inst_hits);
  free(s.tg_minutes);
  free(s.tg_reach);
  free(s.adv_line_ytd);
  free(s.adv_line_week);
  free(s.in_plan);
  free(plan_fte);
  if (rc != 0) views_free(v);
  return rc;
}

int views_compute(struct db *db, const struct model *m, const struct facts *facts, int year, int32_t today,
                  const unsigned char *advisors, struct views *v, char *err, size_t errlen) {
  return compute(db, m, facts, year, today, advisors, 1, v, err, errlen);
}

int views_compute_by_pass(struct db *db, const struct model *m, const struct facts *facts, int year,
                          int32_t today, const unsigned char *advisors, struct views *v, char *err,
                          size_t errlen) {
  return compute(db, m, facts, year, today, advisors, 0, v, err, errlen);
}

void views_free(struct views *v) {
  free(v->lines);
  free(v->goals);
  free(v->institutions);
  free(v->groups);
  free(v->splits);
  free(v->pd);
  memset(v, 0, sizeof *v);
}
