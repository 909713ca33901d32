/* SPDX-License-Identifier: EUPL-1.2 */
/* GET /api/v1/quality?year=YYYY-YYYY (docs/QUALITY.md, docs/API.md): the data-quality
   counts per team and per advisor and the findings, with the access of the Datakwaliteit
   page: the director and admins everybody (and the total), a coordinator the teams of
   their advisor record and those teams' members, an advisor only their own findings. */
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "core/dates.h"
#include "db/db.h"
#include "domain/bounds.h"
#include "domain/model.h"
#include "http/auth.h"
#include "measures/quality.h"

static json_t *date_json(int32_t d) {
  char s[11];
  date_format(d, s);
  return json_string(s);
}

static json_t *counts_json(const struct quality_counts *c) {
  json_t *o = json_object();
  json_object_set_new(o, "days_without", json_integer(c->days_without));
  json_object_set_new(o, "days_over", json_integer(c->days_over));
  json_object_set_new(o, "duplicate_groups", json_integer(c->dup_groups));
  json_object_set_new(o, "duplicate_registrations", json_integer(c->dup_registrations));
  json_object_set_new(o, "lag_known", json_integer(c->lag_known));
  json_object_set_new(o, "lag_unknown", json_integer(c->lag_unknown));
  json_object_set_new(o, "lag_within_7", json_integer(c->lag_within));
  json_object_set_new(o, "lag_median", c->lag_known ? json_real(c->lag_median) : json_null());
  json_object_set_new(o, "share_within_7",
                      c->lag_known ? json_real((double)c->lag_within / c->lag_known) : json_null());
  return o;
}

void api_quality(struct api *a) {
  struct request *r = a->r;
  int32_t today = bounds_today(); /* Europe/Brussels, or BEREIK_TODAY */
  int year = school_year_of(today);
  if (api_year_query(a, &year) < 0) return;
  char err[512];
  struct model m;
  struct quality_report q;
  memset(&q, 0, sizeof q);
  db_begin_read(r->db);
  if (model_load(r->db, &m, err, sizeof err) != 0) {
    db_rollback(r->db);
    api_problem(a, 500, "the data quality could not be computed", NULL);
    return;
  }
  if (quality_compute(r->db, &m, year, NO_DATE, NO_DATE, today, &q, err, sizeof err) != 0) {
    db_rollback(r->db);
    quality_free(&q);
    model_free(&m);
    api_problem(a, 500, "the data quality could not be computed", NULL);
    return;
  }
  db_commit(r->db);
  struct visibility vis;
  user_visibility(&r->user, &m, &vis);
  unsigned char *tv = NULL, *av = NULL;
  visibility_masks(&vis, &m, &tv, &av);
  if (!tv || !av) {
    free(tv);
    free(av);
    quality_free(&q);
    model_free(&m);
    api_problem(a, 500, "the data quality could not be computed", NULL);
    return;
  }
  if (r->user.role == ROLE_ADVISOR) { /* an advisor: their own findings only */
    memset(tv, 0, m.n_teams);
    memset(av, 0, m.n_advisors);
    if (vis.me >= 0) av[vis.me] = 1;
  }

  json_t *teams = json_array(), *advisors = json_array(), *without = json_array(), *over = json_array(),
         *dups = json_array();
  for (size_t t = 0; t < m.n_teams; t++) {
    if (!tv[t]) continue;
    json_t *o = counts_json(&q.per_team[t]);
    json_object_set_new(o, "code", json_string(m.teams[t].code));
    json_object_set_new(o, "name", json_string(m.teams[t].name));
    json_array_append_new(teams, o);
  }
  for (size_t i = 0; i < m.n_advisors; i++) {
    if (!av[i] || !ranges_overlap(m.advisors[i].start, m.advisors[i].end, q.from, q.to)) continue;
    json_t *o = counts_json(&q.per_advisor[i]);
    json_object_set_new(o, "code", json_string(m.advisors[i].code));
    json_object_set_new(o, "name", json_string(m.advisors[i].name));
    json_array_append_new(advisors, o);
  }
  for (size_t i = 0; i < q.n_without; i++) {
    if (!av[q.without[i].advisor]) continue;
    json_t *o = json_object();
    json_object_set_new(o, "advisor", json_string(m.advisors[q.without[i].advisor].code));
    json_object_set_new(o, "date", date_json(q.without[i].day));
    json_array_append_new(without, o);
  }
  for (size_t i = 0; i < q.n_over; i++) {
    if (!av[q.over[i].advisor]) continue;
    json_t *o = json_object();
    json_object_set_new(o, "advisor", json_string(m.advisors[q.over[i].advisor].code));
    json_object_set_new(o, "date", date_json(q.over[i].day));
    json_object_set_new(o, "minutes", json_integer(q.over[i].minutes));
    json_array_append_new(over, o);
  }
  for (size_t i = 0; i < q.n_dups; i++) {
    const struct quality_dup *g = &q.dups[i];
    int shown = 0;
    json_t *advs = json_array(), *ids = json_array();
    for (int k = 0; k < g->n_advisors; k++) {
      shown |= av[g->advisors[k]];
      json_array_append_new(advs, json_string(m.advisors[g->advisors[k]].code));
    }
    for (size_t k = 0; k < g->n; k++) json_array_append_new(ids, json_string(g->ext_ids[k]));
    if (!shown) {
      json_decref(advs);
      json_decref(ids);
      continue;
    }
    json_t *o = json_object();
    json_object_set_new(o, "advisors", advs);
    json_object_set_new(o, "date", date_json(g->day));
    json_object_set_new(o, "minutes", json_integer(g->minutes));
    json_object_set_new(o, "line", g->line >= 0 ? json_string(m.lines[g->line].code) : json_null());
    json_object_set_new(o, "registrations", ids);
    json_array_append_new(dups, o);
  }
  char yb[10];
  school_year_format(year, yb);
  json_t *out = json_object();
  json_object_set_new(out, "school_year", json_string(yb));
  if (q.to >= q.from) {
    json_object_set_new(out, "from", date_json(q.from));
    json_object_set_new(out, "to", date_json(q.to));
  } else {
    json_object_set_new(out, "from", json_null());
    json_object_set_new(out, "to", json_null());
  }
  json_object_set_new(out, "today", date_json(today));
  json_object_set_new(out, "total", r->user.role >= ROLE_DIRECTOR ? counts_json(&q.total) : json_null());
  json_object_set_new(out, "teams", teams);
  json_object_set_new(out, "advisors", advisors);
  json_object_set_new(out, "days_without", without);
  json_object_set_new(out, "days_over", over);
  json_object_set_new(out, "duplicates", dups);
  free(tv);
  free(av);
  quality_free(&q);
  model_free(&m);
  api_json(a, 200, out);
}
