/* SPDX-License-Identifier: EUPL-1.2 */
/* Datakwaliteit (docs/QUALITY.md): for a school year (the current one in Brussels unless
   chosen), the counts of the data-quality findings per team and per advisor the user
   sees (a coordinator their teams' members, the director and admins everybody, an
   advisor only their own), then the findings themselves, each linked to what fixes it:
   a day to the week view of that advisor and day, a duplicate to each registration's
   edit form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/bounds.h"
#include "domain/model.h"
#include "http/auth.h"
#include "measures/facts.h"
#include "measures/quality.h"
#include "render/html.h"
#include "web/pages/pages.h"

/* The teams and advisors the user sees here (masks over the model, caller frees). */
static void quality_masks(const struct user *u, const struct model *m, unsigned char **tv,
                          unsigned char **av) {
  struct visibility vis;
  user_visibility(u, m, &vis);
  visibility_masks(&vis, m, tv, av);
  if (u->role == ROLE_ADVISOR && *tv && *av) { /* an advisor: their own findings only */
    memset(*tv, 0, m->n_teams);
    memset(*av, 0, m->n_advisors);
    if (vis.me >= 0) (*av)[vis.me] = 1;
  }
}

static void th(const struct request *r, struct buf *b, enum word w) {
  html_raw(b, "<th scope=\"col\">");
  html_text(b, T(r, w));
  html_raw(b, "</th>");
}
static void td_num(const struct request *r, struct buf *b, enum word w, const char *text, int flag) {
  html_raw_if(b, flag, "<td class=\"n flag\" data-label=\"", "<td class=\"n\" data-label=\"");
  html_attr(b, T(r, w));
  html_raw(b, "\">");
  html_text(b, text);
  html_raw(b, "</td>");
}

/* One row of counts. */
static void counts_row(const struct request *r, struct buf *b, const char *name, const char *code,
                       const struct quality_counts *c) {
  char n[32];
  html_raw(b, "<tr><td class=\"title\">");
  html_text(b, name);
  if (code) {
    html_raw(b, " <span class=\"muted\">");
    html_text(b, code);
    html_raw(b, "</span>");
  }
  html_raw(b, "</td>");
  snprintf(n, sizeof n, "%d", c->days_without);
  td_num(r, b, W_q_days_without, n, c->days_without > 0);
  snprintf(n, sizeof n, "%d", c->days_over);
  td_num(r, b, W_q_days_over, n, c->days_over > 0);
  snprintf(n, sizeof n, "%d", c->dup_groups);
  td_num(r, b, W_q_duplicates, n, c->dup_groups > 0);
  if (c->lag_known)
    fmt_be(c->lag_median, c->lag_median == (int)c->lag_median ? 0 : 1, n, sizeof n);
  else
    snprintf(n, sizeof n, "–");
  td_num(r, b, W_q_lag_median, n, 0);
  if (c->lag_known)
    fmt_pct((double)c->lag_within / c->lag_known, 0, n, sizeof n);
  else
    snprintf(n, sizeof n, "–");
  td_num(r, b, W_q_lag_within, n, 0);
  snprintf(n, sizeof n, "%d", c->lag_unknown);
  td_num(r, b, W_q_lag_unknown, n, 0);
  html_raw(b, "</tr>");
}

static void counts_table_open(const struct request *r, struct buf *b, enum word title, const char *id) {
  html_table_open(b, T(r, title), id, "data cards quality");
  html_raw(b, "<h2>");
  html_text(b, T(r, title));
  html_raw(b, "</h2></caption><thead><tr>");
  th(r, b, title == W_per_team ? W_team : W_advisor);
  th(r, b, W_q_days_without);
  th(r, b, W_q_days_over);
  th(r, b, W_q_duplicates);
  th(r, b, W_q_lag_median);
  th(r, b, W_q_lag_within);
  th(r, b, W_q_lag_unknown);
  html_raw(b, "</tr></thead><tbody>");
}

/* A link to the week of advisor a that holds day d. */
static void day_link(const struct request *r, struct buf *b, const struct model *m, int a, int32_t d) {
  char iso[11], text[40];
  date_format(d, iso);
  fmt_date_text(r, d, text, sizeof text);
  html_raw(b, "<a href=\"/week?datum=");
  html_url(b, iso);
  html_raw(b, "&amp;begeleider=");
  html_url(b, m->advisors[a].code);
  html_raw(b, "\">");
  html_text(b, text);
  html_raw(b, "</a>");
}

static void heading(const struct request *r, struct buf *b, enum word w, size_t n) {
  html_raw(b, "<h3>");
  html_text(b, T(r, w));
  html_textf(b, " (%zu)", n);
  html_raw(b, "</h3>");
}

void page_quality(struct request *r, struct response *resp) {
  struct buf *b = &resp->body;
  char err[256];
  struct model m;
  int *years = NULL, n_years = 0;
  int32_t today = bounds_today(); /* Europe/Brussels, or BEREIK_TODAY */
  int year = school_year_of(today);
  const char *want = req_query(r, "jaar");
  int wy;
  if (want && school_year_parse(want, &wy) == 0) year = wy;
  struct quality_report q;
  memset(&q, 0, sizeof q);
  db_begin_read(r->db);
  if (facts_years_with_data(r->db, &years, &n_years, err, sizeof err) != 0 ||
      model_load(r->db, &m, err, sizeof err) != 0) {
    db_rollback(r->db);
    free(years);
    page_error(r, resp, 500);
    return;
  }
  if (quality_compute(r->db, &m, year, NO_DATE, NO_DATE, today, &q, err, sizeof err) != 0) {
    db_rollback(r->db);
    free(years);
    quality_free(&q);
    model_free(&m);
    page_error(r, resp, 500);
    return;
  }
  db_commit(r->db);
  /* the filter offers the years with data and the current one, newest first */
  int cur = school_year_of(today), has_cur = 0, has_year = 0;
  for (int i = 0; i < n_years; i++) {
    has_cur |= years[i] == cur;
    has_year |= years[i] == year;
  }
  years = xrealloc(years, sizeof(int) * (size_t)(n_years + 2));
  if (!has_cur) years[n_years++] = cur;
  if (!has_year && year != cur) years[n_years++] = year;
  for (int i = 1; i < n_years; i++)
    for (int j = i; j > 0 && years[j] > years[j - 1]; j--) {
      int t = years[j];
      years[j] = years[j - 1];
      years[j - 1] = t;
    }

  unsigned char *tv = NULL, *av = NULL;
  quality_masks(&r->user, &m, &tv, &av);
  page_begin(r, resp, T(r, W_nav_quality));
  year_filter(r, resp, "/datakwaliteit", years, n_years, year);
  html_raw(b, "<p class=\"muted\">");
  html_text(b, T(r, W_q_intro));
  if (r->user.role == ROLE_ADVISOR) {
    html_raw(b, " ");
    html_text(b, T(r, W_q_only_own));
  }
  html_raw(b, "</p>");

  /* counts per team and per advisor */
  int any_team = 0;
  for (size_t t = 0; tv && t < m.n_teams; t++) any_team |= tv[t];
  if (any_team) {
    counts_table_open(r, b, W_per_team, "quality-teams");
    for (size_t t = 0; t < m.n_teams; t++)
      if (tv[t]) counts_row(r, b, m.teams[t].name, NULL, &q.per_team[t]);
    if (r->user.role >= ROLE_DIRECTOR) counts_row(r, b, T(r, W_q_total), NULL, &q.total);
    html_raw(b, "</tbody></table></div>");
  }
  counts_table_open(r, b, W_per_advisor, "quality-advisors");
  for (size_t a = 0; av && a < m.n_advisors; a++)
    if (av[a] && ranges_overlap(m.advisors[a].start, m.advisors[a].end, q.from, q.to))
      counts_row(r, b, m.advisors[a].name, m.advisors[a].code, &q.per_advisor[a]);
  html_raw(b, "</tbody></table></div>");

  /* the findings, each linked to what fixes it */
  html_raw(b, "<h2>");
  html_text(b, T(r, W_q_findings));
  html_raw(b, "</h2>");
  size_t n_w = 0, n_o = 0, n_d = 0;
  for (size_t i = 0; i < q.n_without; i++) n_w += av && av[q.without[i].advisor];
  for (size_t i = 0; i < q.n_over; i++) n_o += av && av[q.over[i].advisor];
  for (size_t i = 0; i < q.n_dups; i++) {
    int shown = 0;
    for (int k = 0; av && k < q.dups[i].n_advisors; k++) shown |= av[q.dups[i].advisors[k]];
    n_d += shown;
  }
  heading(r, b, W_q_days_without, n_w);
  if (!n_w) {
    html_raw(b, "<p class=\"muted\">");
    html_text(b, T(r, W_q_no_findings));
    html_raw(b, "</p>");
  }
  /* per advisor, folded: a list of days can be long */
  for (size_t i = 0; i < q.n_without;) {
    size_t j = i;
    while (j < q.n_without && q.without[j].advisor == q.without[i].advisor) j++;
    int a = q.without[i].advisor;
    if (av && av[a]) {
      html_raw(b, "<details class=\"quality-days\"><summary>");
      html_text(b, m.advisors[a].name);
      html_textf(b, " (%zu)", j - i);
      html_raw(b, "</summary><ul class=\"days\">");
      for (size_t k = i; k < j; k++) {
        html_raw(b, "<li>");
        day_link(r, b, &m, a, q.without[k].day);
        html_raw(b, "</li>");
      }
      html_raw(b, "</ul></details>");
    }
    i = j;
  }

  heading(r, b, W_q_days_over, n_o);
  if (!n_o) {
    html_raw(b, "<p class=\"muted\">");
    html_text(b, T(r, W_q_no_findings));
    html_raw(b, "</p>");
  } else {
    html_raw(b, "<ul class=\"findings\" id=\"quality-over\">");
    for (size_t i = 0; i < q.n_over; i++) {
      const struct quality_day *x = &q.over[i];
      if (!av || !av[x->advisor]) continue;
      char h[32];
      fmt_be(x->minutes / 60.0, x->minutes % 60 ? 2 : 0, h, sizeof h);
      html_raw(b, "<li><strong>");
      html_text(b, m.advisors[x->advisor].name);
      html_raw(b, "</strong> · ");
      day_link(r, b, &m, x->advisor, x->day);
      html_raw(b, " · ");
      html_text(b, h);
      html_raw(b, " ");
      html_text(b, T(r, W_q_day_hours));
      html_raw(b, "</li>");
    }
    html_raw(b, "</ul>");
  }

  heading(r, b, W_q_duplicates, n_d);
  html_raw(b, "<p class=\"muted\">");
  html_text(b, T(r, W_q_dup_rule));
  html_raw(b, "</p>");
  if (n_d) {
    html_raw(b, "<ul class=\"findings\" id=\"quality-dups\">");
    for (size_t i = 0; i < q.n_dups; i++) {
      const struct quality_dup *g = &q.dups[i];
      int shown = 0;
      for (int k = 0; av && k < g->n_advisors; k++) shown |= av[g->advisors[k]];
      if (!shown) continue;
      char dt[40], mins[32];
      fmt_date_text(r, g->day, dt, sizeof dt);
      fmt_be(g->minutes / 60.0, g->minutes % 60 ? 2 : 0, mins, sizeof mins);
      html_raw(b, "<li><strong>");
      for (int k = 0; k < g->n_advisors; k++) {
        if (k) html_raw(b, ", ");
        html_text(b, m.advisors[g->advisors[k]].name);
      }
      html_raw(b, "</strong> · ");
      html_text(b, dt);
      html_raw(b, " · ");
      html_text(b, mins);
      html_raw(b, " ");
      html_text(b, T(r, W_q_hours_abbr));
      html_raw(b, " · ");
      html_text(b, g->line >= 0 ? m.lines[g->line].name : "–");
      html_raw(b, " · ");
      html_text(b, T(r, W_q_registrations));
      html_raw(b, ":");
      for (size_t k = 0; k < g->n; k++) {
        html_raw(b, " <a href=\"/registratie?id=");
        html_url(b, g->ext_ids[k]);
        html_raw(b, "\">");
        html_text(b, g->ext_ids[k]);
        html_raw(b, "</a>");
      }
      html_raw(b, "</li>");
    }
    html_raw(b, "</ul>");
  }
  page_end(r, resp);
  free(tv);
  free(av);
  free(years);
  quality_free(&q);
  model_free(&m);
}
