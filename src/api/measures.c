/* SPDX-License-Identifier: EUPL-1.2 */
/* /api/v1/facts (the facts document of DATA-FORMAT.md section 2, byte for byte what
   bereik report --format json writes) and /api/v1/indicators (the dashboard's
   summaries per scope, with the same pro-rata status). Numbers come from src/measures
   only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/internal.h"
#include "core/dates.h"
#include "db/db.h"
#include "domain/bounds.h"
#include "domain/model.h"
#include "measures/cache.h"
#include "measures/facts.h"
#include "measures/impact.h"
#include "measures/indicators.h"
#include "measures/views.h"

void api_facts(struct api *a) {
  struct request *r = a->r;
  int *years = NULL, n = 0;
  const char *q = req_query(r, "years");
  if (q && school_year_range_parse(q, &years, &n) != 0) {
    json_t *errors = json_array();
    api_error_msg(errors, "years", AM_YEARS);
    api_problem(a, 400, "invalid query parameters", errors);
    return;
  }
  char err[512];
  struct model m;
  struct facts f;
  db_begin_read(r->db); /* one consistent snapshot, as bereik report */
  if ((!q && facts_years_with_data(r->db, &years, &n, err, sizeof err) != 0) ||
      model_load(r->db, &m, err, sizeof err) != 0) {
    db_rollback(r->db);
    free(years);
    api_problem(a, 500, "the facts could not be computed", NULL);
    return;
  }
  int rc = facts_compute(r->db, &m, years, n, &f, err, sizeof err);
  model_free(&m);
  free(years);
  if (rc == 0)
    db_commit(r->db);
  else
    db_rollback(r->db);
  if (rc != 0) {
    api_problem(a, 500, "the facts could not be computed", NULL);
    return;
  }
  /* generated_at as bereik report writes it (SOURCE_DATE_EPOCH for reproducible output) */
  char at[32];
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  time_t now = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : (time_t)r->now;
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  int wrc = out ? facts_write_json(&f, at, out) : -1;
  if (out && fclose(out) != 0) wrc = -1;
  facts_free(&f);
  if (wrc != 0) {
    free(text);
    api_problem(a, 500, "the facts could not be written", NULL);
    return;
  }
  a->resp->status = 200;
  a->resp->content_type = "application/json";
  buf_append(&a->resp->body, text, len);
  free(text);
}

static const char *const status_names[] = {"on_track", "watch", "behind"};

static json_t *num_or_null(double v, int present) { return present ? json_real(v) : json_null(); }

/* {actual, target, target_to_date, status} of an indicator against a pro-rata target. */
static json_t *indicator(const struct indicator_value *v) {
  json_t *o = json_object();
  json_object_set_new(o, "actual", num_or_null(v->actual, v->has_actual));
  json_object_set_new(o, "target", json_real(v->target));
  json_object_set_new(o, "target_to_date", json_real(v->target_to_date));
  json_object_set_new(o, "status", v->has_actual ? json_string(status_names[v->status]) : json_null());
  return o;
}

static json_t *klv(const struct klv_summary *k) {
  json_t *o = json_object();
  json_object_set_new(o, "fte_hours", num_or_null(k->fte_hours, k->has_fte_hours));
  json_object_set_new(o, "klv_hours", num_or_null(k->klv_hours, k->has_klv_hours));
  json_object_set_new(o, "klv_pct_to_date", num_or_null(k->pct, k->has_pct));
  json_object_set_new(o, "status", k->has_pct ? json_string(status_names[k->status]) : json_null());
  return o;
}

static json_t *item(const char *scope, const char *code, const char *name) {
  json_t *o = json_object();
  json_object_set_new(o, "scope", json_string(scope));
  json_object_set_new(o, "code", json_string(code));
  json_object_set_new(o, "name", json_string(name));
  return o;
}

void api_indicators(struct api *a) {
  struct request *r = a->r;
  static const char *const scopes[] = {"organisation", "unit", "line", "team", "advisor"};
  const char *want = req_query(r, "scope");
  int scope = -1;
  json_t *errors = json_array();
  if (want) {
    for (int k = 0; k < 5; k++)
      if (!strcmp(want, scopes[k])) scope = k;
    if (scope < 0) api_error_msg(errors, "scope", AM_SCOPE);
  }
  int year = 0, has_year = 0;
  const char *ys = req_query(r, "year");
  if (ys) {
    if (school_year_parse(ys, &year) != 0)
      api_error_msg(errors, "year", AM_SCHOOL_YEAR);
    else
      has_year = 1;
  }
  if (json_array_size(errors)) {
    api_problem(a, 400, "invalid query parameters", errors);
    return;
  }
  json_decref(errors);
  int full = r->user.role >= ROLE_DIRECTOR;
  if (!full && scope >= 0 && scope <= 2) {
    api_problem(a, 403, "the organisation, unit and line summaries are for directors and admins", NULL);
    return;
  }
  char err[512];
  /* the reference data and the facts of the year as the dashboard keeps them (measures/
     cache.h): formed from the aggregates kept under writes, once per revision */
  int64_t token = 0, ref_token = 0;
  struct cache_ref *model_ref = NULL, *years_ref = NULL, *facts_ref = NULL;
  const struct model *m = NULL;
  const struct years *yl = NULL;
  const struct facts *f = NULL;
  int year_ok = 0;
  int32_t today = bounds_today(); /* Europe/Brussels, or BEREIK_TODAY */
  struct cache_view view = {0};
  db_begin_read(r->db);
  int rev_ok = db_revision(r->db, &token, &ref_token) == 0;
  if (rev_ok) {
    token = cache_view_begin(&view, db_service(r->db), token, r->user.id, r->background);
    r->refresh_due = view.refresh_due;
  }
  if (rev_ok && (yl = cached_years(r->db, token, &years_ref, err, sizeof err)) &&
      (m = cached_model(r->db, ref_token, &model_ref, err, sizeof err))) {
    if (!has_year) year = facts_default_year(yl->years, yl->n, today);
    year_ok = 1;
    f = cached_facts(r->db, token, m, &year, 1, &facts_ref, err, sizeof err);
  }
  cache_release(years_ref);
  cache_view_end(&view, year_ok && f);
  if (!year_ok || !f) {
    db_rollback(r->db);
    cache_release(facts_ref);
    cache_release(model_ref);
    api_problem(a, 500, "the indicators could not be computed", NULL);
    return;
  }
  db_commit(r->db);
  /* the answer depends only on the data (token), the year, the day (pro rata), the scope
     asked and who asks (role and advisor): written once per such combination */
  char text_key[128];
  snprintf(text_key, sizeof text_key, "indicators:%d:%d:%d:%d:%lld", year, (int)today, scope, r->user.role,
           (long long)r->user.advisor_id);
  size_t text_len = 0;
  struct cache_ref *text_ref = NULL;
  const char *text = cache_text_get(db_service(r->db), text_key, token, &text_len, &text_ref);
  if (text) {
    a->resp->status = 200;
    a->resp->content_type = "application/json";
    resp_append_cached(a->resp, db_service(r->db), text_key, token, text, text_len);
    cache_release(text_ref);
    cache_release(facts_ref);
    cache_release(model_ref);
    return;
  }
  /* who sees what, as on the dashboard: one indicator view (measures/indicators.h) */
  struct visibility vis;
  user_visibility(&r->user, m, &vis);
  unsigned char *tv, *av;
  visibility_masks(&vis, m, &tv, &av);
  struct indicator_view v;
  indicator_view_build(f, m, year, today, full, tv, av, &v);
  free(tv);
  free(av);
  double share = v.share;

  json_t *items = json_array();
  if (full && (scope < 0 || scope == 0)) {
    json_t *o = item("organisation", "total", "organisation");
    json_object_set_new(o, "fte_realisation", indicator(&v.fte));
    json_t *ir = indicator(&v.reach);
    json_object_set_new(ir, "hits", json_real(v.hits));
    json_object_set_new(o, "institution_reach", ir);
    json_object_set_new(o, "klv", klv(&v.klv));
    json_t *tgs = json_array();
    for (size_t k = 0; k < v.n_groups; k++) {
      const struct target_group *tg = &m->target_groups[v.groups[k].group];
      json_t *t = indicator(&v.groups[k].reach);
      json_object_set_new(t, "code", json_string(tg->code));
      json_object_set_new(t, "name", json_string(tg->name));
      json_array_append_new(tgs, t);
    }
    json_object_set_new(o, "target_groups", tgs);
    json_array_append_new(items, o);
  }
  if (full && (scope < 0 || scope == 1))
    for (int k = 0; k < 2; k++) {
      json_t *o = item("unit", indicator_units[k][0], indicator_units[k][1]);
      json_object_set_new(o, "klv", klv(&v.units[k]));
      json_array_append_new(items, o);
    }
  if (full && (scope < 0 || scope == 2))
    for (size_t i = 0; i < v.n_lines; i++) {
      const struct indicator_line *l = &v.lines[i];
      json_t *o = item("line", m->lines[l->line].code, m->lines[l->line].name);
      json_object_set_new(o, "planned_fte", num_or_null(l->planned_fte, l->has_planned));
      json_object_set_new(o, "realized_fte", num_or_null(l->realized_fte, l->has_realized));
      json_object_set_new(o, "realization_pct", num_or_null(l->realization_pct, l->has_pct));
      json_object_set_new(o, "klv_hours", json_real(l->klv_hours));
      json_object_set_new(o, "client_hours", json_real(l->client_hours));
      json_array_append_new(items, o);
    }
  if (scope < 0 || scope == 3)
    for (size_t t = 0; t < v.n_teams; t++) {
      const struct team *tm = &m->teams[v.teams[t].index];
      json_t *o = item("team", tm->code, tm->name);
      json_object_set_new(o, "klv", klv(&v.teams[t].klv));
      json_array_append_new(items, o);
    }
  if (scope < 0 || scope == 4)
    for (size_t i = 0; i < v.n_advisors; i++) {
      const struct advisor *ad = &m->advisors[v.advisors[i].index];
      json_t *o = item("advisor", ad->code, ad->name);
      json_object_set_new(o, "klv", klv(&v.advisors[i].klv));
      json_array_append_new(items, o);
    }
  indicator_view_free(&v);
  char yt[10];
  school_year_format(year, yt);
  json_t *o = json_object();
  json_object_set_new(o, "year", json_string(yt));
  json_object_set_new(o, "prorata_share", json_real(share));
  json_object_set_new(o, "items", items);
  api_json(a, 200, o);
  cache_text_put(db_service(a->r->db), text_key, token, a->resp->body.data, a->resp->body.len);
  cache_release(facts_ref);
  cache_release(model_ref);
}

/* GET /api/v1/impact?year=YYYY-YYYY: the impact measures (measures/impact.h) of the
   scopes the user steers, as on the dashboard: a director or admin every scope; others
   their teams and the advisors they see. */
void api_impact(struct api *a) {
  struct request *r = a->r;
  int year = 0, has_year = api_year_query(a, &year);
  if (has_year < 0) return;
  char err[512];
  struct model m;
  struct facts f = {0};
  int *years = NULL, n_years = 0;
  db_begin_read(r->db);
  if (facts_years_with_data(r->db, &years, &n_years, err, sizeof err) != 0 ||
      model_load(r->db, &m, err, sizeof err) != 0) {
    db_rollback(r->db);
    free(years);
    api_problem(a, 500, "the impact measures could not be computed", NULL);
    return;
  }
  int32_t today = bounds_today(); /* Europe/Brussels, or BEREIK_TODAY */
  if (!has_year) year = facts_default_year(years, n_years, today);
  free(years);
  if (impact_compute(r->db, &m, &year, 1, today, &f, err, sizeof err) != 0) {
    db_rollback(r->db);
    model_free(&m);
    facts_free(&f);
    api_problem(a, 500, "the impact measures could not be computed", NULL);
    return;
  }
  db_commit(r->db);
  int full = r->user.role >= ROLE_DIRECTOR;
  struct visibility vis;
  user_visibility(&r->user, &m, &vis);
  unsigned char *tv, *av;
  visibility_masks(&vis, &m, &tv, &av);
  json_t *scopes = json_object();
  for (size_t i = 0; i < f.n; i++) {
    const struct fact *x = &f.v[i];
    int show = full;
    if (!show && !strncmp(x->row, "team:", 5)) {
      int t = model_team(&m, x->row + 5);
      show = t >= 0 && tv && tv[t];
    } else if (!show && !strncmp(x->row, "advisor:", 8)) {
      int ad = model_advisor(&m, x->row + 8);
      show = ad >= 0 && av && av[ad];
    }
    if (!show) continue;
    json_t *o = json_object_get(scopes, x->row);
    if (!o) {
      o = json_object();
      json_object_set_new(scopes, x->row, o);
    }
    json_object_set_new(o, x->col, json_real(x->value));
  }
  free(tv);
  free(av);
  char yb[10];
  school_year_format(year, yb);
  json_t *out = json_object();
  json_object_set_new(out, "school_year", json_string(yb));
  json_object_set_new(out, "threshold", json_integer(IMPACT_THRESHOLD));
  json_object_set_new(out, "scopes", scopes);
  facts_free(&f);
  model_free(&m);
  api_json(a, 200, out);
}

/* GET /api/v1/views?year=YYYY-YYYY: the management views (measures/views.h,
   docs/VIEWS.md) in the scope the user steers, as on the dashboard: a director or admin
   the organisation; a coordinator the members of their teams; an advisor themselves. */
static json_t *target_json(json_t *o, const struct view_target *t) {
  json_object_set_new(o, "target", num_or_null(t->target, t->has_target));
  json_object_set_new(o, "target_to_date", num_or_null(t->target_to_date, t->has_target));
  json_object_set_new(o, "status", t->has_target ? json_string(status_names[t->status]) : json_null());
  return o;
}

static json_t *week_of(int year, int w) {
  char d[11];
  date_format(views_week_monday(year, w), d);
  return json_string(d);
}

static json_t *views_json(const struct views *v, const struct model *m, const char *scope) {
  char yt[10];
  school_year_format(v->year, yt);
  json_t *o = json_object();
  json_object_set_new(o, "school_year", json_string(yt));
  json_object_set_new(o, "scope", json_string(scope));
  json_object_set_new(o, "prorata_share", json_real(v->share));
  json_t *lines = json_array();
  for (size_t i = 0; i < v->n_lines; i++) {
    const struct view_line *l = &v->lines[i];
    const struct line *ln = &m->lines[l->line];
    json_t *x = item("line", ln->code, ln->name);
    json_object_set_new(x, "unit", json_string(ln->unit == UNIT_POC ? "poc" : "pbd"));
    json_object_set_new(x, "klv_hours", json_real((double)l->klv_minutes / 60.0));
    json_object_set_new(x, "registered_hours", json_real((double)l->registered_minutes / 60.0));
    json_object_set_new(
        x, "realized_fte",
        num_or_null((double)l->registered_minutes / 60.0 / v->hours_per_fte, v->hours_per_fte > 0));
    json_object_set_new(
        x, "klv_pct_registered",
        num_or_null((double)l->klv_minutes / (double)(l->registered_minutes ? l->registered_minutes : 1),
                    l->registered_minutes > 0));
    json_object_set_new(x, "fte_hours", num_or_null(l->fte_hours, l->has_fte_hours));
    json_object_set_new(x, "klv_pct_to_date", num_or_null(l->pct_to_date, l->has_pct));
    json_object_set_new(x, "status", l->has_pct ? json_string(status_names[l->status]) : json_null());
    json_object_set_new(x, "klv_share", num_or_null(l->share, l->has_share));
    json_t *weeks = json_array();
    for (int w = 0; w < v->n_weeks; w++) {
      json_t *k = json_object();
      json_object_set_new(k, "week_of", week_of(v->year, w));
      json_object_set_new(k, "klv_hours", json_real((double)l->week_klv[w] / 60.0));
      json_object_set_new(k, "registered_hours", json_real((double)l->week_registered[w] / 60.0));
      json_object_set_new(
          k, "klv_pct_registered",
          num_or_null((double)l->week_klv[w] / (double)(l->week_registered[w] ? l->week_registered[w] : 1),
                      l->week_registered[w] > 0));
      json_array_append_new(weeks, k);
    }
    json_object_set_new(x, "weeks", weeks);
    json_array_append_new(lines, x);
  }
  json_object_set_new(o, "klv_by_line", lines);
  json_t *goals = json_array();
  for (size_t i = 0; i < v->n_goals; i++) {
    const struct view_goal *g = &v->goals[i];
    json_t *x = json_object();
    json_object_set_new(x, "goal", g->goal >= 0 ? json_string(m->goals[g->goal].code) : json_null());
    json_object_set_new(x, "name", g->goal >= 0 ? json_string(m->goals[g->goal].name) : json_null());
    json_object_set_new(x, "line",
                        g->goal >= 0 && m->goals[g->goal].line >= 0
                            ? json_string(m->lines[m->goals[g->goal].line].code)
                            : json_null());
    json_object_set_new(x, "hits", json_integer(g->hits));
    json_object_set_new(x, "institutions_reached", json_integer(g->reached));
    json_array_append_new(goals, x);
  }
  json_object_set_new(o, "goals", goals);
  json_t *insts = json_array();
  for (size_t i = 0; i < v->n_institutions; i++) {
    const struct view_institution *x = &v->institutions[i];
    const struct institution *in = &m->institutions[x->institution];
    json_t *j = json_object();
    json_object_set_new(j, "number", json_string(in->number));
    json_object_set_new(j, "code", json_string(in->code));
    json_object_set_new(j, "name", json_string(in->name));
    json_object_set_new(j, "client_hours", json_real((double)x->minutes / 60.0));
    json_object_set_new(j, "hits", json_integer(x->hits));
    json_array_append_new(insts, j);
  }
  json_object_set_new(o, "institutions", insts);
  json_t *groups = json_array();
  for (size_t i = 0; i < v->n_groups; i++) {
    const struct view_group *g = &v->groups[i];
    const struct target_group *tg = &m->target_groups[g->group];
    json_t *j = json_object();
    json_object_set_new(j, "code", json_string(tg->code));
    json_object_set_new(j, "name", json_string(tg->name));
    json_object_set_new(j, "client_hours", json_real((double)g->minutes / 60.0));
    json_object_set_new(j, "reach", json_integer(g->reach));
    json_array_append_new(groups, target_json(j, &g->target));
  }
  json_object_set_new(o, "target_groups", groups);
  json_t *nc = json_object(), *acts = json_array();
  for (int k = 0; k < N_ACTIVITIES; k++) {
    json_t *j = json_object();
    json_object_set_new(j, "activity", json_string(activity_names[k]));
    json_object_set_new(j, "hours", json_real((double)v->activity_minutes[k] / 60.0));
    json_array_append_new(acts, j);
  }
  json_object_set_new(nc, "activities", acts);
  json_object_set_new(nc, "total_hours", json_real((double)v->internal_minutes / 60.0));
  if (v->quality.has_target) {
    json_t *q = json_object();
    json_object_set_new(q, "fte", json_real(QUALITY_RESERVE_FTE));
    json_object_set_new(q, "hours", json_real((double)v->activity_minutes[5] / 60.0));
    json_object_set_new(nc, "quality_reserve", target_json(q, &v->quality));
  } else {
    json_object_set_new(nc, "quality_reserve", json_null());
  }
  json_object_set_new(o, "non_classroom", nc);
  json_t *split = json_object(), *rows = json_array();
  json_object_set_new(split, "available", json_boolean(v->has_split_plan));
  for (size_t i = 0; i < v->n_splits; i++) {
    const struct view_split *s = &v->splits[i];
    json_t *j = json_object();
    json_object_set_new(j, "advisor", json_string(m->advisors[s->advisor].code));
    json_object_set_new(j, "name", json_string(m->advisors[s->advisor].name));
    json_object_set_new(j, "line", json_string(m->lines[s->line].code));
    json_object_set_new(j, "in_plan", json_boolean(s->in_plan));
    json_object_set_new(j, "planned_fte", json_real(s->planned_fte));
    json_object_set_new(j, "planned_hours_year", json_real(s->planned_hours_year));
    json_object_set_new(j, "planned_hours_to_date", json_real(s->planned_hours_to_date));
    json_object_set_new(j, "registered_hours_to_date", json_real((double)s->minutes_to_date / 60.0));
    json_object_set_new(j, "status", s->in_plan ? json_string(status_names[s->status]) : json_null());
    json_t *weeks = json_array();
    for (int w = 0; w < v->n_weeks; w++) {
      json_t *k = json_object();
      json_object_set_new(k, "week_of", week_of(v->year, w));
      json_object_set_new(k, "planned_hours", json_real(s->week[w].planned_hours));
      json_object_set_new(k, "registered_hours", json_real((double)s->week[w].minutes / 60.0));
      json_array_append_new(weeks, k);
    }
    json_object_set_new(j, "weeks", weeks);
    json_array_append_new(rows, j);
  }
  json_object_set_new(split, "rows", rows);
  json_object_set_new(o, "advisor_split", split);
  json_t *pd = json_object(), *pds = json_array();
  for (size_t i = 0; i < v->n_pd; i++) {
    json_t *j = json_object();
    json_object_set_new(j, "advisor", json_string(m->advisors[v->pd[i].advisor].code));
    json_object_set_new(j, "name", json_string(m->advisors[v->pd[i].advisor].name));
    json_object_set_new(j, "amount_eur", json_real(v->pd[i].amount_eur));
    json_array_append_new(pds, j);
  }
  json_object_set_new(pd, "advisors", pds);
  json_object_set_new(pd, "total_eur", json_real(v->pd_total));
  json_object_set_new(pd, "advisors_employed", json_integer(v->pd_advisors));
  json_object_set_new(pd, "average_eur", num_or_null(v->pd_average, v->has_pd_average));
  json_object_set_new(pd, "norm_eur", json_real(PD_NORM_EUR));
  target_json(pd, &v->pd_norm);
  json_object_set_new(o, "pd_spend", pd);
  return o;
}

void api_views(struct api *a) {
  struct request *r = a->r;
  int year = 0, has_year = api_year_query(a, &year);
  if (has_year < 0) return;
  char err[512];
  struct model m;
  struct facts f;
  db_begin_read(r->db);
  if (model_load(r->db, &m, err, sizeof err) != 0) {
    db_rollback(r->db);
    api_problem(a, 500, "the views could not be computed", NULL);
    return;
  }
  int32_t today = bounds_today();
  if (!has_year) year = facts_default_year(NULL, 0, today);
  struct visibility vis;
  user_visibility(&r->user, &m, &vis);
  unsigned char *tv = NULL, *av = NULL;
  visibility_masks(&vis, &m, &tv, &av);
  /* the scope: everybody (director, admin), else the advisors the user sees */
  const unsigned char *scope = vis.full ? NULL : av;
  struct views v;
  int rc = facts_compute(r->db, &m, &year, 1, &f, err, sizeof err);
  if (rc == 0) {
    rc = views_compute(r->db, &m, &f, year, today, scope, &v, err, sizeof err);
    facts_free(&f);
  }
  if (rc == 0)
    db_commit(r->db);
  else
    db_rollback(r->db);
  free(tv);
  if (rc != 0) {
    free(av);
    model_free(&m);
    api_problem(a, 500, "the views could not be computed", NULL);
    return;
  }
  const char *scope_name = vis.full ? "organisation" : r->user.role == ROLE_COORDINATOR ? "team" : "advisor";
  json_t *o = views_json(&v, &m, scope_name);
  views_free(&v);
  free(av);
  model_free(&m);
  api_json(a, 200, o);
}
