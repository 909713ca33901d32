/* SPDX-License-Identifier: EUPL-1.2 */
/* Trajecten: per institution its guidance trajectories (shared goal, action plan, level,
   status, period, linked registrations and those with follow-up) and whether the
   institution counts as reached in the school year under that year's rule (computed by
   src/measures). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "db/db.h"
#include "domain/model.h"
#include "domain/registration.h"
#include "measures/facts.h"
#include "render/html.h"
#include "web/pages/pages.h"

static const enum word rule_keys[] = {W_rule_hours, W_rule_contact, W_rule_trajectory};

void page_trajectories(struct request *r, struct response *resp) {
  struct buf *b = &resp->body;
  char err[256];
  struct model m;
  int *years = NULL, n = 0;
  db_begin_read(r->db);
  if (facts_years_with_data(r->db, &years, &n, err, sizeof err) != 0 ||
      model_load(r->db, &m, err, sizeof err) != 0) {
    db_rollback(r->db);
    free(years);
    page_error(r, resp, 500);
    return;
  }
  int year = facts_default_year(years, n, (int32_t)(r->now / 86400));
  const char *want = req_query(r, "jaar");
  int wy;
  if (want && school_year_parse(want, &wy) == 0) year = wy;
  unsigned char *reached = calloc(m.n_institutions + 1, 1);
  if (!reached || facts_reached(r->db, &m, year, reached, err, sizeof err) != 0) {
    db_rollback(r->db);
    free(reached);
    free(years);
    model_free(&m);
    page_error(r, resp, 500);
    return;
  }
  /* linked registrations per trajectory in the year: all, and with follow-up */
  int64_t *linked = calloc(m.n_trajectories + 1, sizeof *linked),
          *follow = calloc(m.n_trajectories + 1, sizeof *follow);
  char from[11], to[11];
  date_format(school_year_first_day(year), from);
  date_format(school_year_last_day(year), to);
  if (linked && follow) registration_trajectory_links(r->db, &m, from, to, linked, follow);
  db_commit(r->db);

  char ys[10];
  school_year_format(year, ys);
  struct setting s = model_setting(&m, year);
  page_begin(r, resp, T(r, W_nav_trajectories));
  year_filter(r, resp, "/trajecten", years, n, year);
  html_raw(b, "<p class=\"muted\">");
  html_text(b, T(r, W_reach_rule));
  html_raw(b, " ");
  html_text(b, ys);
  html_raw(b, ": ");
  html_text(b, T(r, rule_keys[s.rule]));
  html_raw(b, "</p>");
  int32_t first = school_year_first_day(year), last = school_year_last_day(year);
  for (size_t i = 0; i < m.n_institutions; i++) {
    const struct institution *in = &m.institutions[i];
    int has = 0;
    for (size_t t = 0; t < m.n_trajectories; t++) has |= m.trajectories[t].institution == (int)i;
    if (!in->own || !has || !ranges_overlap(in->start, in->end, first, last)) continue;
    html_raw(b, "<section class=\"institution\"><h2>");
    html_text(b, in->code);
    html_raw(b, " · ");
    html_text(b, in->name);
    html_raw(b, " <span class=\"status ");
    html_raw_if(b, reached[i], "s0\">", "s1\">");
    html_text(b, T(r, reached[i] ? W_counts_reached : W_not_reached));
    html_raw(b, "</span></h2><ul>");
    for (size_t t = 0; t < m.n_trajectories; t++) {
      const struct trajectory *tr = &m.trajectories[t];
      if (tr->institution != (int)i) continue;
      char s1[32] = "", s2[32] = "", counts[96];
      if (tr->start != NO_DATE) fmt_date_text(r, tr->start, s1, sizeof s1);
      if (tr->end != NO_DATE) fmt_date_text(r, tr->end, s2, sizeof s2);
      snprintf(counts, sizeof counts, "%lld / %lld", (long long)linked[t], (long long)follow[t]);
      html_raw(b, "<li><strong>");
      html_text(b, tr->ext_id);
      html_raw(b, "</strong> · ");
      html_text(b, !tr->level                    ? "–"
                   : !strcmp(tr->level, "meso")  ? "MESO"
                   : !strcmp(tr->level, "micro") ? "MICRO"
                                                 : tr->level);
      html_raw(b, " · ");
      char status_key[32];
      snprintf(status_key, sizeof status_key, "status_%s", tr->status);
      html_text(b, T_named(r, status_key));
      html_raw(b, " · ");
      html_text(b, s1);
      html_raw(b, " – ");
      html_text(b, s2);
      html_raw(b, "<dl class=\"traj\"><dt>");
      html_text(b, T(r, W_shared_goal));
      html_raw(b, "</dt><dd>");
      html_text(b, tr->shared_goal && *tr->shared_goal ? tr->shared_goal : "–");
      html_raw(b, "</dd><dt>");
      html_text(b, T(r, W_action_plan));
      html_raw(b, "</dt><dd>");
      html_text(b, tr->action_plan && *tr->action_plan ? tr->action_plan : "–");
      html_raw(b, "</dd><dt>");
      html_text(b, T(r, W_linked));
      html_raw(b, "</dt><dd>");
      html_text(b, counts);
      html_raw(b, "</dd></dl></li>");
    }
    html_raw(b, "</ul></section>");
  }
  page_end(r, resp);
  free(linked);
  free(follow);
  free(reached);
  free(years);
  model_free(&m);
}
