/* SPDX-License-Identifier: EUPL-1.2 */
/* Mijn week: Monday to Sunday with the registrations of the user's advisor (also those
   shared as co-advisor), each day's total, the week's classroom share of registered time
   and the school year's KLV% to date, both against 60%. Sums come from
   src/measures/indicators.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "db/db.h"
#include "domain/access.h"
#include "domain/model.h"
#include "domain/registration.h"
#include "http/auth.h"
#include "measures/indicators.h"
#include "render/html.h"
#include "web/pages/pages.h"

static void duration(int64_t minutes, char *out, size_t n) {
  snprintf(out, n, "%lldu%02lld", (long long)(minutes / 60), (long long)(minutes % 60));
}

static const enum word day_keys[] = {W_mon, W_tue, W_wed, W_thu, W_fri, W_sat, W_sun};

static void link_week(const struct request *r, struct buf *b, int32_t day, const char *who, enum word key) {
  char d[11];
  date_format(day, d);
  html_raw(b, "<a href=\"/week?datum=");
  html_url(b, d);
  if (who) {
    html_raw(b, "&amp;begeleider=");
    html_url(b, who);
  }
  html_raw(b, "\">");
  html_text(b, T(r, key));
  html_raw(b, "</a>");
}

/* Whose week: the user's own advisor, or (begeleider=CODE) another advisor in the
   user's read scope: a coordinator's team members; everybody for a director or admin.
   Returns the advisor index, -1 when the user has none, -2 when out of scope. */
static int week_advisor(const struct request *r, const struct model *m, int *may_edit) {
  const char *code = req_query(r, "begeleider");
  int me = r->user.advisor_id > 0 && r->user.advisor_id <= m->max_advisor_id
               ? m->advisor_of_id[r->user.advisor_id]
               : -1;
  *may_edit = me >= 0;
  if (!code || !*code || (me >= 0 && !strcmp(code, m->advisors[me].code))) return me;
  int a = model_advisor(m, code);
  struct advisor_scope rs, ws;
  if (user_scope(&r->user, m, ACCESS_READ, &rs) != 0) return -2;
  int in = a >= 0 && advisor_scope_has(&rs, m->advisors[a].id);
  advisor_scope_free(&rs);
  if (!in) return -2;
  *may_edit = 0;
  if (user_scope(&r->user, m, ACCESS_WRITE, &ws) == 0) {
    *may_edit = advisor_scope_has(&ws, m->advisors[a].id);
    advisor_scope_free(&ws);
  }
  return a;
}

/* The choice of advisor for users who may see more weeks than their own. */
static void advisor_choice(const struct request *r, struct buf *b, const struct model *m, int shown,
                           const char *date) {
  struct advisor_scope rs;
  if (user_scope(&r->user, m, ACCESS_READ, &rs) != 0) return;
  if (rs.all || rs.n > 1) {
    html_raw(b,
             "<form method=\"get\" action=\"/week\" class=\"filters\"><input type=\"hidden\" name=\"datum\" "
             "value=\"");
    html_attr(b, date);
    html_raw(b, "\"><label for=\"begeleider\">");
    html_text(b, T(r, W_advisor));
    html_raw(b, "</label> <select id=\"begeleider\" name=\"begeleider\">");
    for (size_t i = 0; i < m->n_advisors; i++) {
      if (!advisor_scope_has(&rs, m->advisors[i].id)) continue;
      html_raw(b, "<option value=\"");
      html_attr(b, m->advisors[i].code);
      html_raw_if(b, (int)i == shown, "\" selected>", "\">");
      html_text(b, m->advisors[i].name);
      html_raw(b, "</option>");
    }
    html_raw(b, "</select> <button type=\"submit\">");
    html_text(b, T(r, W_show));
    html_raw(b, "</button></form>");
  }
  advisor_scope_free(&rs);
}

void page_week(struct request *r, struct response *resp) {
  struct buf *b = &resp->body;
  int32_t today = (int32_t)(r->now / 86400), day = today;
  const char *d = req_query(r, "datum");
  if (d) date_parse(d, &day);
  int32_t monday = day - (int32_t)(((day % 7) + 7 + 3) % 7);
  char title[192], mon[11];
  date_format(monday, mon);
  struct model m;
  char err[256];
  if (model_load(r->db, &m, err, sizeof err) != 0) {
    page_error(r, resp, 500);
    return;
  }
  int may_edit = 0;
  int a = week_advisor(r, &m, &may_edit);
  if (a == -2) {
    model_free(&m);
    page_error(r, resp, 403);
    return;
  }
  const char *who = a >= 0 && a != (r->user.advisor_id > 0 && r->user.advisor_id <= m.max_advisor_id
                                        ? m.advisor_of_id[r->user.advisor_id]
                                        : -1)
                        ? m.advisors[a].code
                        : NULL;
  if (who)
    snprintf(title, sizeof title, "%s %s", T(r, W_week_of_advisor), m.advisors[a].name);
  else
    snprintf(title, sizeof title, "%s", T(r, W_nav_week));
  page_begin(r, resp, title);
  advisor_choice(r, b, &m, a, mon);
  if (a < 0) {
    html_raw(b, "<p>");
    html_text(b, T(r, W_no_advisor));
    html_raw(b, "</p>");
    page_end(r, resp);
    model_free(&m);
    return;
  }
  int64_t advisor_id = m.advisors[a].id;
  int64_t reg[7], klv[7];
  if (advisor_minutes_per_day(r->db, advisor_id, monday, 7, reg, klv) != 0) {
    model_free(&m);
    page_error(r, resp, 500);
    return;
  }
  html_raw(b, "<p class=\"filters\">");
  link_week(r, b, monday - 7, who, W_prev_week);
  html_raw(b, " · ");
  char montext[32];
  fmt_date_text(r, monday, montext, sizeof montext);
  html_text(b, T(r, W_week_of));
  html_raw(b, " ");
  html_text(b, montext);
  html_raw(b, " · ");
  link_week(r, b, monday + 7, who, W_next_week);
  html_raw(b, "</p>");

  /* the week's share of registered time in classroom context, and the school year of
     the week shown up to today (or its end, for a past year); both from src/measures */
  double share, ypct_v;
  int has_year = 0;
  char pct[32] = "–", ypct[32] = "–";
  if (klv_share_of_registered(reg, klv, 7, &share)) fmt_pct(share, 0, pct, sizeof pct);
  if (advisor_year_klv_pct(r->db, &m, a, school_year_of(monday), today, &ypct_v, &has_year) == 0 && has_year)
    fmt_pct(ypct_v, 0, ypct, sizeof ypct);
  static const enum word tiles[2] = {W_week_klv, W_year_klv};
  const char *values[2] = {pct, ypct};
  html_raw(b, "<section class=\"tiles\">");
  for (int t = 0; t < 2; t++) {
    html_raw(b, "<div class=\"tile\"><h2>");
    html_text(b, T(r, tiles[t]));
    html_raw(b, "</h2><div class=\"big\">");
    html_text(b, values[t]);
    html_raw(b, "</div><span class=\"muted\">");
    html_text(b, T(r, W_norm));
    html_raw(b, "</span></div>");
  }
  html_raw(b, "</section>");

  char from[11], to[11];
  date_format(monday, from);
  date_format(monday + 6, to);
  struct reg_briefs list;
  if (registration_briefs(r->db, advisor_id, from, to, 0, &list) != 0) {
    model_free(&m);
    page_error(r, resp, 500);
    return;
  }
  size_t next = 0;
  for (int i = 0; i < 7; i++) {
    char ds[11], tot[48];
    date_format(monday + i, ds);
    duration(reg[i], tot, sizeof tot);
    html_raw(b, "<section class=\"day\"><h2><span>");
    char dtext[32];
    fmt_date_text(r, monday + i, dtext, sizeof dtext);
    html_text(b, T(r, day_keys[i]));
    html_raw(b, " ");
    html_text(b, dtext);
    html_raw(b, "</span><span>");
    html_text(b, tot);
    html_raw(b, "</span></h2>");
    int any = 0;
    for (; next < list.n && !strcmp(list.items[next].date, ds); next++) {
      const struct reg_brief *x = &list.items[next];
      if (!any) html_raw(b, "<ul>");
      any = 1;
      char dur[48];
      duration(x->minutes, dur, sizeof dur);
      html_raw(b, "<li>");
      html_text(b, dur);
      html_raw(b, " · ");
      html_text(b, T(r, x->kind[0] == 'c' ? W_client : W_internal));
      html_raw(b, " · ");
      html_text(b, x->line_name);
      if (*x->institutions) {
        html_raw(b, " · ");
        html_text(b, x->institutions);
      }
      if (x->description) {
        html_raw(b, " · <span class=\"muted\">");
        html_text(b, x->description);
        html_raw(b, "</span>");
      }
      if (may_edit) {
        html_raw(b, " <a href=\"/registratie?id=");
        html_url(b, x->ext_id);
        html_raw(b, "\">");
        html_text(b, T(r, W_edit));
        html_raw(b, "</a>");
      }
      html_raw(b, "</li>");
    }
    if (any)
      html_raw(b, "</ul>");
    else if (i < 5 && monday + i <= today) {
      html_raw(b, "<p class=\"muted\">");
      html_text(b, T(r, W_nothing_registered));
      html_raw(b, "</p>");
    }
    html_raw(b, "</section>");
  }
  registration_briefs_free(&list);
  model_free(&m);
  page_end(r, resp);
}
