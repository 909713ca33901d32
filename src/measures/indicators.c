/* SPDX-License-Identifier: EUPL-1.2 */
#include "measures/indicators.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "db/db.h"
#include "domain/model.h"
#include "measures/facts.h"

static int weekday(int32_t day) { return (int)(((day % 7) + 7 + 3) % 7); } /* 0 = Monday */

int working_days(int32_t from, int32_t to) {
  if (to < from) return 0;
  int n = 0;
  int32_t d = from;
  while (d <= to && weekday(d) != 0) n += weekday(d++) < 5; /* up to a Monday */
  if (d > to) return n;
  int32_t weeks = (to - d + 1) / 7;
  n += (int)weeks * 5;
  for (d += weeks * 7; d <= to; d++) n += weekday(d) < 5;
  return n;
}

double prorata_share(int year, int32_t today) {
  int32_t first = school_year_first_day(year), last = school_year_last_day(year);
  if (today >= last) return 1.0;
  if (today < first) return 0.0;
  return (double)working_days(first, today) / (double)working_days(first, last);
}

int indicator_status(double actual, double target) {
  if (actual >= target) return STATUS_ON_TRACK;
  if (actual >= 0.9 * target) return STATUS_WATCH;
  return STATUS_BEHIND;
}

void indicator_klv_summary(const struct facts *f, int year, const char *row, double share,
                           struct klv_summary *out) {
  memset(out, 0, sizeof *out);
  out->fte_hours = facts_get(f, "klv", year, row, "fte_hours", &out->has_fte_hours);
  out->klv_hours = facts_get(f, "klv", year, row, "klv_hours", &out->has_klv_hours);
  out->has_pct = out->has_fte_hours && out->fte_hours * share > 0;
  out->pct = out->has_pct ? out->klv_hours / (out->fte_hours * share) : 0;
  out->status = out->has_pct ? indicator_status(out->pct, KLV_NORM) : STATUS_ON_TRACK;
}

int advisor_minutes_per_day(struct db *db, int64_t advisor_id, int32_t from, int ndays, int64_t *registered,
                            int64_t *klv) {
  memset(registered, 0, sizeof(int64_t) * (size_t)ndays);
  memset(klv, 0, sizeof(int64_t) * (size_t)ndays);
  char a[11], b[11];
  date_format(from, a);
  date_format(from + ndays - 1, b);
  struct db_stmt *st = db_prepare(db, "SELECT r.date, r.kind, r.minutes FROM registration r "
                                      "JOIN registration_advisor ra ON ra.registration_id = r.id "
                                      "WHERE ra.advisor_id = ? AND r.date BETWEEN ? AND ?");
  if (!st) return -1;
  db_bind_int64(st, 1, advisor_id);
  db_bind_text(st, 2, a);
  db_bind_text(st, 3, b);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    int32_t d;
    if (date_parse(db_col_text(st, 0), &d) != 0 || d < from || d >= from + ndays) continue;
    int64_t m = db_col_int64(st, 2);
    registered[d - from] += m;
    if (db_col_text(st, 1)[0] == 'c') klv[d - from] += m;
  }
  db_finalize(st);
  return rc == DB_ERROR ? -1 : 0;
}

int klv_share_of_registered(const int64_t *registered, const int64_t *klv, int n, double *share) {
  int64_t r = 0, k = 0;
  for (int i = 0; i < n; i++) {
    r += registered[i];
    k += klv[i];
  }
  *share = r > 0 ? (double)k / (double)r : 0;
  return r > 0;
}

int advisor_year_klv_pct(struct db *db, const struct model *m, int advisor, int year, int32_t until,
                         double *pct, int *has) {
  *has = 0;
  *pct = 0;
  int32_t first = school_year_first_day(year);
  if (until > school_year_last_day(year)) until = school_year_last_day(year);
  int ndays = until >= first ? (int)(until - first + 1) : 1;
  int64_t *reg = calloc((size_t)ndays, sizeof *reg), *klv = calloc((size_t)ndays, sizeof *klv);
  int rc = -1;
  if (reg && klv && advisor_minutes_per_day(db, m->advisors[advisor].id, first, ndays, reg, klv) == 0) {
    int64_t k = 0;
    for (int i = 0; i < ndays; i++) k += klv[i];
    double cap = advisor_capacity_hours(&m->advisors[advisor], year, model_setting(m, year).hours_per_fte) *
                 prorata_share(year, until);
    if (cap > 0) {
      *pct = (double)k / 60.0 / cap;
      *has = 1;
    }
    rc = 0;
  }
  free(reg);
  free(klv);
  return rc;
}

const char *const indicator_units[2][2] = {{"pbd", "PBD"}, {"poc", "POC"}};

static struct indicator_value value_of(double actual, int has, double target, double to_date) {
  struct indicator_value v = {actual, target, to_date, has, has ? indicator_status(actual, to_date) : 0};
  return v;
}

void indicator_view_build(const struct facts *f, const struct model *m, int year, int32_t today, int full,
                          const unsigned char *team_visible, const unsigned char *advisor_visible,
                          struct indicator_view *v) {
  memset(v, 0, sizeof *v);
  v->year = year;
  v->full = full;
  v->share = prorata_share(year, today);
  char row[160];
  if (full) {
    int h1, h2;
    double fte = facts_get(f, "fte", year, "total_all", "realization_pct", &h1);
    v->fte = value_of(fte, h1, 1.0, v->share);
    double reach = facts_get(f, "reach", year, "total", "reach_pct", &h2);
    v->reach = value_of(reach, h2, 1.0, v->share);
    v->hits = facts_get(f, "hits", year, "total", "hits", NULL);
    indicator_klv_summary(f, year, "total", v->share, &v->klv);
    for (int k = 0; k < 2; k++) {
      snprintf(row, sizeof row, "unit:%s", indicator_units[k][0]);
      indicator_klv_summary(f, year, row, v->share, &v->units[k]);
    }
    v->groups = m->n_target_groups ? calloc(m->n_target_groups, sizeof *v->groups) : NULL;
    for (size_t g = 0; g < m->n_target_groups && v->groups; g++) {
      int ht, hr;
      double target = facts_get(f, "target_groups", year, m->target_groups[g].code, "target", &ht);
      double got = facts_get(f, "target_groups", year, m->target_groups[g].code, "reach", &hr);
      if (!ht) continue;
      v->groups[v->n_groups].group = (int)g;
      v->groups[v->n_groups++].reach = value_of(got, 1, target, target * v->share);
    }
    v->lines = m->n_lines ? calloc(m->n_lines, sizeof *v->lines) : NULL;
    for (size_t i = 0; i < m->n_lines && v->lines; i++) {
      const char *code = m->lines[i].code;
      struct indicator_line *l = &v->lines[v->n_lines];
      int hk, hc;
      l->line = (int)i;
      l->planned_fte = facts_get(f, "fte", year, code, "planned_fte", &l->has_planned);
      l->realized_fte = facts_get(f, "fte", year, code, "realized_fte", &l->has_realized);
      l->realization_pct = facts_get(f, "fte", year, code, "realization_pct", &l->has_pct);
      l->klv_hours = facts_get(f, "klv_by_line", year, code, "hours", &hk);
      l->client_hours = facts_get(f, "client_hours", year, code, "hours", &hc);
      if (l->has_planned || l->has_realized) v->n_lines++;
    }
  }
  v->teams = m->n_teams ? calloc(m->n_teams, sizeof *v->teams) : NULL;
  for (size_t t = 0; t < m->n_teams && v->teams; t++) {
    if (team_visible && !team_visible[t]) continue;
    snprintf(row, sizeof row, "team:%s", m->teams[t].code);
    v->teams[v->n_teams].index = (int)t;
    indicator_klv_summary(f, year, row, v->share, &v->teams[v->n_teams++].klv);
  }
  v->advisors = m->n_advisors ? calloc(m->n_advisors, sizeof *v->advisors) : NULL;
  for (size_t a = 0; a < m->n_advisors && v->advisors; a++) {
    if (advisor_visible && !advisor_visible[a]) continue;
    snprintf(row, sizeof row, "advisor:%s", m->advisors[a].code);
    int found;
    facts_get(f, "klv", year, row, "registered_hours", &found);
    if (!found) continue;
    v->advisors[v->n_advisors].index = (int)a;
    indicator_klv_summary(f, year, row, v->share, &v->advisors[v->n_advisors++].klv);
  }
}

void indicator_view_free(struct indicator_view *v) {
  free(v->groups);
  free(v->lines);
  free(v->teams);
  free(v->advisors);
  memset(v, 0, sizeof *v);
}
