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
#include "domain/model.h"
#include "measures/facts.h"
#include "measures/indicators.h"

void api_facts(struct api *a) {
  struct request *r = a->r;
  int *years = NULL, n = 0;
  const char *q = req_query(r, "years");
  if (q && school_year_range_parse(q, &years, &n) != 0) {
    json_t *errors = json_array();
    api_error(errors, "years", "takes a school year (2024-2025) or a range (2022-2023..2024-2025)",
              "verwacht een schooljaar (2024-2025) of een reeks (2022-2023..2024-2025)");
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
static json_t *indicator(double actual, int has, double target, double to_date) {
  json_t *o = json_object();
  json_object_set_new(o, "actual", num_or_null(actual, has));
  json_object_set_new(o, "target", json_real(target));
  json_object_set_new(o, "target_to_date", json_real(to_date));
  json_object_set_new(o, "status",
                      has ? json_string(status_names[indicator_status(actual, to_date)]) : json_null());
  return o;
}

static json_t *klv(const struct facts *f, int year, const char *row, double share) {
  struct klv_summary k;
  indicator_klv_summary(f, year, row, share, &k);
  json_t *o = json_object();
  json_object_set_new(o, "fte_hours", num_or_null(k.fte_hours, k.has_fte_hours));
  json_object_set_new(o, "klv_hours", num_or_null(k.klv_hours, k.has_klv_hours));
  json_object_set_new(o, "klv_pct_to_date", num_or_null(k.pct, k.has_pct));
  json_object_set_new(o, "status", k.has_pct ? json_string(status_names[k.status]) : json_null());
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
    if (scope < 0)
      api_error(errors, "scope", "must be organisation, unit, line, team or advisor",
                "moet organisation, unit, line, team of advisor zijn");
  }
  int year = 0, has_year = 0;
  const char *ys = req_query(r, "year");
  if (ys) {
    if (school_year_parse(ys, &year) != 0)
      api_error(errors, "year", "not a school year in the form 2024-2025",
                "geen schooljaar in de vorm 2024-2025");
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
  struct model m;
  struct facts f;
  int *years = NULL, n_years = 0;
  db_begin_read(r->db);
  if (facts_years_with_data(r->db, &years, &n_years, err, sizeof err) != 0 ||
      model_load(r->db, &m, err, sizeof err) != 0) {
    db_rollback(r->db);
    free(years);
    api_problem(a, 500, "the indicators could not be computed", NULL);
    return;
  }
  int32_t today = (int32_t)(r->now / 86400);
  if (!has_year) year = n_years ? years[0] : school_year_of(today);
  free(years);
  if (facts_compute(r->db, &m, &year, 1, &f, err, sizeof err) != 0) {
    db_rollback(r->db);
    model_free(&m);
    api_problem(a, 500, "the indicators could not be computed", NULL);
    return;
  }
  db_commit(r->db);
  double share = prorata_share(year, today);
  /* who sees what, as on the dashboard */
  struct visibility vis;
  user_visibility(&r->user, &m, &vis);

  json_t *items = json_array();
  char row[160];
  if (full && (scope < 0 || scope == 0)) {
    json_t *o = item("organisation", "total", "organisation");
    int h1, h2;
    double fte = facts_get(&f, "fte", year, "total_all", "realization_pct", &h1);
    json_object_set_new(o, "fte_realisation", indicator(fte, h1, 1.0, share));
    double reach = facts_get(&f, "reach", year, "total", "reach_pct", &h2);
    json_t *ir = indicator(reach, h2, 1.0, share);
    json_object_set_new(ir, "hits", json_real(facts_get(&f, "hits", year, "total", "hits", NULL)));
    json_object_set_new(o, "institution_reach", ir);
    json_object_set_new(o, "klv", klv(&f, year, "total", share));
    json_t *tgs = json_array();
    for (size_t g = 0; g < m.n_target_groups; g++) {
      int ht, hr;
      double target = facts_get(&f, "target_groups", year, m.target_groups[g].code, "target", &ht);
      double got = facts_get(&f, "target_groups", year, m.target_groups[g].code, "reach", &hr);
      if (!ht) continue;
      json_t *t = indicator(got, 1, target, target * share);
      json_object_set_new(t, "code", json_string(m.target_groups[g].code));
      json_object_set_new(t, "name", json_string(m.target_groups[g].name));
      json_array_append_new(tgs, t);
    }
    json_object_set_new(o, "target_groups", tgs);
    json_array_append_new(items, o);
  }
  if (full && (scope < 0 || scope == 1)) {
    static const char *const units[][2] = {{"pbd", "PBD"}, {"poc", "POC"}};
    for (int k = 0; k < 2; k++) {
      snprintf(row, sizeof row, "unit:%s", units[k][0]);
      json_t *o = item("unit", units[k][0], units[k][1]);
      json_object_set_new(o, "klv", klv(&f, year, row, share));
      json_array_append_new(items, o);
    }
  }
  if (full && (scope < 0 || scope == 2))
    for (size_t i = 0; i < m.n_lines; i++) {
      const char *code = m.lines[i].code;
      int hp, hr, hx, hk, hc;
      double planned = facts_get(&f, "fte", year, code, "planned_fte", &hp);
      double real = facts_get(&f, "fte", year, code, "realized_fte", &hr);
      double pct = facts_get(&f, "fte", year, code, "realization_pct", &hx);
      double k = facts_get(&f, "klv_by_line", year, code, "hours", &hk);
      double c = facts_get(&f, "client_hours", year, code, "hours", &hc);
      if (!hp && !hr) continue;
      json_t *o = item("line", code, m.lines[i].name);
      json_object_set_new(o, "planned_fte", num_or_null(planned, hp));
      json_object_set_new(o, "realized_fte", num_or_null(real, hr));
      json_object_set_new(o, "realization_pct", num_or_null(pct, hx));
      json_object_set_new(o, "klv_hours", json_real(k));
      json_object_set_new(o, "client_hours", json_real(c));
      json_array_append_new(items, o);
    }
  if (scope < 0 || scope == 3)
    for (size_t t = 0; t < m.n_teams; t++) {
      if (!visibility_team(&vis, (int)t)) continue;
      snprintf(row, sizeof row, "team:%s", m.teams[t].code);
      json_t *o = item("team", m.teams[t].code, m.teams[t].name);
      json_object_set_new(o, "klv", klv(&f, year, row, share));
      json_array_append_new(items, o);
    }
  if (scope < 0 || scope == 4)
    for (size_t i = 0; i < m.n_advisors; i++) {
      if (!visibility_advisor(&vis, (int)i)) continue;
      snprintf(row, sizeof row, "advisor:%s", m.advisors[i].code);
      int found;
      facts_get(&f, "klv", year, row, "registered_hours", &found);
      if (!found) continue;
      json_t *o = item("advisor", m.advisors[i].code, m.advisors[i].name);
      json_object_set_new(o, "klv", klv(&f, year, row, share));
      json_array_append_new(items, o);
    }
  char yt[10];
  school_year_format(year, yt);
  json_t *o = json_object();
  json_object_set_new(o, "year", json_string(yt));
  json_object_set_new(o, "prorata_share", json_real(share));
  json_object_set_new(o, "items", items);
  api_json(a, 200, o);
  facts_free(&f);
  model_free(&m);
}
