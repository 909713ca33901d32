/* SPDX-License-Identifier: EUPL-1.2 */
/* Mijn week: Monday to Sunday as a grid of seven days (cards on a phone), each with the
   registrations of the user's advisor (also those shared as co-advisor), its total and a
   "+" to register on that day; the week's total, the week's classroom share of
   registered time and the school year's KLV% to date, both against 60% and each
   explained in one line. Sums come from src/measures/indicators.c. Copying a day or a
   week lives in page_week_copy.c, the search of one's own registrations in
   page_week_search.c; the keyboard shortcuts (js/40-week.js) are listed in a dialog. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "db/db.h"
#include "domain/access.h"
#include "domain/bounds.h"
#include "domain/model.h"
#include "domain/registration.h"
#include "http/auth.h"
#include "measures/indicators.h"
#include "render/html.h"
#include "web/pages/page_week.h"
#include "web/pages/pages.h"

void week_duration(int64_t minutes, char *out, size_t n) {
  snprintf(out, n, "%lldu%02lld", (long long)(minutes / 60), (long long)(minutes % 60));
}

int week_parse_date(const char *s, int32_t *day) {
  if (!s) return -1;
  while (*s == ' ') s++;
  if (date_parse(s, day) == 0) return 0;
  /* dd/mm/jjjj (a browser without a date picker): rearranged as YYYY-MM-DD */
  if (strlen(s) != 10 || s[2] != '/' || s[5] != '/') return -1;
  char iso[11] = {s[6], s[7], s[8], s[9], '-', s[3], s[4], '-', s[0], s[1], 0};
  return date_parse(iso, day);
}

void week_date_be(int32_t day, char out[11]) {
  int y, m, d;
  civil_from_days(day, &y, &m, &d);
  unsigned dd = (unsigned)d % 100u, mm = (unsigned)m % 100u, yy = (unsigned)y % 10000u;
  snprintf(out, 11, "%02u/%02u/%04u", dd, mm, yy);
}

static const enum word day_keys[] = {W_mon, W_tue, W_wed, W_thu, W_fri, W_sat, W_sun};

int32_t week_monday(int32_t day) { return day - (int32_t)(((day % 7) + 7 + 3) % 7); }

static void week_href(struct buf *b, int32_t day, const char *who) {
  char d[11];
  date_format(day, d);
  html_raw(b, "/week?datum=");
  html_url(b, d);
  if (who) {
    html_raw(b, "&amp;begeleider=");
    html_url(b, who);
  }
}

/* Whose week: the user's own advisor, or (begeleider=CODE) another advisor in the
   user's read scope: a coordinator's team members; everybody for a director or admin.
   Returns the advisor index, -1 when the user has none, -2 when out of scope. */
static int week_advisor(const struct request *r, const struct model *m, int *may_edit) {
  const char *code = req_query(r, "begeleider");
  int me = week_my_advisor(r, m);
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

int week_my_advisor(const struct request *r, const struct model *m) {
  return r->user.advisor_id > 0 && r->user.advisor_id <= m->max_advisor_id
             ? m->advisor_of_id[r->user.advisor_id]
             : -1;
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

void week_shortcuts_dialog(const struct request *r, struct buf *b, int with_weeks) {
  html_raw(b,
           "<dialog id=\"sneltoetsen\" aria-labelledby=\"sneltoetsen-title\"><h2 id=\"sneltoetsen-title\">");
  html_text(b, T(r, W_shortcuts));
  html_raw(b, "</h2><dl class=\"keys\">");
  struct {
    const char *k1, *k2;
    enum word what;
  } keys[] = {{"n", NULL, W_key_new},   {"j", "Alt + →", W_key_next}, {"k", "Alt + ←", W_key_prev},
              {"t", NULL, W_key_today}, {"/", NULL, W_key_search},    {"?", NULL, W_key_help}};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    if (!with_weeks && (keys[i].what == W_key_next || keys[i].what == W_key_prev)) continue;
    html_raw(b, "<dt><kbd>");
    html_text(b, keys[i].k1);
    html_raw(b, "</kbd>");
    if (keys[i].k2) {
      html_raw(b, " ");
      html_text(b, T(r, W_or));
      html_raw(b, " <kbd>");
      html_text(b, keys[i].k2);
      html_raw(b, "</kbd>");
    }
    html_raw(b, "</dt><dd>");
    html_text(b, T(r, keys[i].what));
    html_raw(b, "</dd>");
  }
  html_raw(b, "</dl><p class=\"muted\">");
  html_text(b, T(r, W_shortcuts_hint));
  html_raw(b, "</p><form method=\"dialog\"><button type=\"submit\">");
  html_text(b, T(r, W_close));
  html_raw(b, "</button></form></dialog>");
}

void week_tools(const struct request *r, struct buf *b, int search_link) {
  html_raw(b, "<p class=\"week-tools\">");
  if (search_link) {
    html_raw(b, "<a href=\"/week/zoeken\">");
    html_text(b, T(r, W_search_mine));
    html_raw(b, "</a> · ");
  } else {
    html_raw(b, "<a href=\"/week\">");
    html_text(b, T(r, W_back_to_week));
    html_raw(b, "</a> · ");
  }
  html_raw(b, "<a href=\"#sneltoetsen\" class=\"shortcuts-open\" aria-haspopup=\"dialog\">");
  html_text(b, T(r, W_shortcuts));
  html_raw(b, " (?)</a></p>");
}

/* A copy form: scope "dag" or "week", from the day `from`. */
static void copy_form(struct request *r, struct response *resp, int32_t from, int week) {
  struct buf *b = &resp->body;
  char fd[11];
  date_format(from, fd);
  html_raw_if(b, week, "<details class=\"copy copy-week\"><summary>", "<details class=\"copy\"><summary>");
  html_text(b, T(r, week ? W_copy_week : W_copy_day));
  html_raw(b, "</summary><form method=\"post\" action=\"/week/kopieer\" class=\"inline-form\">");
  csrf_field(r, resp);
  html_raw(b, "<input type=\"hidden\" name=\"van\" value=\"");
  html_attr(b, fd);
  html_raw_if(b, week, "\"><input type=\"hidden\" name=\"bereik\" value=\"week\">",
              "\"><input type=\"hidden\" name=\"bereik\" value=\"dag\">");
  html_raw(b, "<label for=\"naar-");
  html_attr(b, week ? "week" : fd);
  html_raw(b, "\">");
  html_text(b, T(r, week ? W_copy_to_week : W_copy_to_day));
  html_raw(b, "</label> <input type=\"date\" name=\"naar\" required id=\"naar-");
  html_attr(b, week ? "week" : fd);
  html_raw(b, "\"> <button type=\"submit\">");
  html_text(b, T(r, W_copy));
  html_raw(b, "</button></form>");
  if (week) {
    html_raw(b, "<p class=\"hint muted\">");
    html_text(b, T(r, W_copy_hint));
    html_raw(b, "</p>");
  }
  html_raw(b, "</details>");
}

/* After a copy (POST /week/kopieer answers with a redirect here, so that reloading
   copies nothing twice): gekopieerd=ID,ID... names the new registrations; those of the
   week shown are listed, each with a link to its edit form. */
static void copied_message(const struct request *r, struct buf *b, const struct reg_briefs *list,
                           int may_edit) {
  const char *ids = req_query(r, "gekopieerd");
  if (!ids || !*ids) return;
  html_raw(b, "<div class=\"saved copy-result\" role=\"status\"><p>");
  html_text(b, T(r, W_copy_done));
  html_raw(b, "</p><ul class=\"copied\">");
  size_t idlen = strlen(ids);
  for (size_t i = 0; i < list->n; i++) {
    const struct reg_brief *x = &list->items[i];
    size_t n = strlen(x->ext_id);
    int hit = 0;
    for (const char *p = ids; !hit && p && *p;) {
      const char *e = strchr(p, ',');
      size_t len = e ? (size_t)(e - p) : idlen - (size_t)(p - ids);
      hit = len == n && !strncmp(p, x->ext_id, n);
      p = e ? e + 1 : NULL;
    }
    if (!hit) continue;
    int32_t day;
    char be[11] = "", dur[48];
    if (date_parse(x->date, &day) == 0) week_date_be(day, be);
    week_duration(x->minutes, dur, sizeof dur);
    html_raw(b, "<li>");
    html_text(b, be);
    html_raw(b, " · ");
    html_text(b, dur);
    html_raw(b, " · ");
    html_text(b, T(r, x->kind[0] == 'c' ? W_client : W_internal));
    html_raw(b, " · ");
    html_text_wbr(b, x->line_name);
    if (*x->institutions) {
      html_raw(b, " · ");
      html_text(b, x->institutions);
    }
    if (x->description) {
      html_raw(b, " · ");
      html_text(b, x->description);
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
  html_raw(b, "</ul></div>");
}

void week_render(struct request *r, struct response *resp, int32_t day, week_message_fn message, void *ctx) {
  struct buf *b = &resp->body;
  int32_t today = bounds_today();
  int32_t monday = week_monday(day);
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
  int me = week_my_advisor(r, &m);
  const char *who = a >= 0 && a != me ? m.advisors[a].code : NULL;
  if (who)
    snprintf(title, sizeof title, "%s %s", T(r, W_week_of_advisor), m.advisors[a].name);
  else
    snprintf(title, sizeof title, "%s", T(r, W_nav_week));
  if (a < 0) {
    page_begin(r, resp, title);
    advisor_choice(r, b, &m, a, mon);
    html_raw(b, "<p>");
    html_text(b, T(r, W_no_advisor));
    html_raw(b, "</p>");
    page_end(r, resp);
    model_free(&m);
    return;
  }
  int64_t advisor_id = m.advisors[a].id;
  int64_t reg[7], klv[7];
  char from[11], to[11];
  date_format(monday, from);
  date_format(monday + 6, to);
  struct reg_briefs list;
  if (advisor_minutes_per_day(r->db, advisor_id, monday, 7, reg, klv) != 0 ||
      registration_briefs(r->db, advisor_id, from, to, 0, &list) != 0) {
    model_free(&m);
    page_error(r, resp, 500);
    return;
  }
  page_begin(r, resp, title);
  if (message) message(ctx, r, b);
  copied_message(r, b, &list, may_edit);
  advisor_choice(r, b, &m, a, mon);

  /* the keys of js/40-week.js */
  html_raw(b, "<div id=\"week\" class=\"week\" data-prev=\"");
  week_href(b, monday - 7, who);
  html_raw(b, "\" data-next=\"");
  week_href(b, monday + 7, who);
  html_raw(b, "\" data-today=\"");
  week_href(b, today, who);
  html_raw(b, "\">");

  html_raw(b, "<nav class=\"week-nav\" aria-label=\"");
  html_attr(b, T(r, W_nav_week));
  html_raw(b, "\"><a rel=\"prev\" href=\"");
  week_href(b, monday - 7, who);
  html_raw(b, "\">← ");
  html_text(b, T(r, W_prev_week));
  html_raw(b, "</a><span class=\"week-of\">");
  char montext[32];
  fmt_date_text(r, monday, montext, sizeof montext);
  html_text(b, T(r, W_week_of));
  html_raw(b, " ");
  html_text(b, montext);
  html_raw(b, "</span><a rel=\"next\" href=\"");
  week_href(b, monday + 7, who);
  html_raw(b, "\">");
  html_text(b, T(r, W_next_week));
  html_raw(b, " →</a>");
  if (monday != week_monday(today)) {
    html_raw(b, "<a href=\"");
    week_href(b, today, who);
    html_raw(b, "\">");
    html_text(b, T(r, W_this_week));
    html_raw(b, "</a>");
  }
  html_raw(b, "</nav><form method=\"get\" action=\"/week\" class=\"filters\">");
  if (who) {
    html_raw(b, "<input type=\"hidden\" name=\"begeleider\" value=\"");
    html_attr(b, who);
    html_raw(b, "\">");
  }
  html_raw(b, "<label for=\"week-datum\">");
  html_text(b, T(r, W_go_to_week));
  html_raw(b, "</label> <input type=\"date\" id=\"week-datum\" name=\"datum\" value=\"");
  html_attr(b, mon);
  html_raw(b, "\"> <button type=\"submit\">");
  html_text(b, T(r, W_go));
  html_raw(b, "</button></form>");
  week_tools(r, b, !who);

  /* the week's share of registered time in classroom context, and the school year of
     the week shown up to today (or its end, for a past year); both from src/measures */
  double share, ypct_v;
  int has_year = 0;
  char pct[32] = "–", ypct[32] = "–", wtot[48];
  int64_t week_minutes = 0;
  for (int i = 0; i < 7; i++) week_minutes += reg[i];
  week_duration(week_minutes, wtot, sizeof wtot);
  if (klv_share_of_registered(reg, klv, 7, &share)) fmt_pct(share, 0, pct, sizeof pct);
  if (advisor_year_klv_pct(r->db, &m, a, school_year_of(monday), today, &ypct_v, &has_year) == 0 && has_year)
    fmt_pct(ypct_v, 0, ypct, sizeof ypct);
  html_raw(b, "<section class=\"tiles week-tiles\"><div class=\"tile\" id=\"week-total\"><h2>");
  html_text(b, T(r, W_week_total));
  html_raw(b, "</h2><div class=\"big\">");
  html_text(b, wtot);
  html_raw(b, "</div></div>");
  static const enum word tiles[2] = {W_week_klv, W_year_klv},
                         explain[2] = {W_week_klv_explain, W_year_klv_explain};
  static const char *const ids[2] = {"week-klv", "year-klv"};
  const char *values[2] = {pct, ypct};
  for (int t = 0; t < 2; t++) {
    html_raw(b, "<div class=\"tile\" id=\"");
    html_attr(b, ids[t]);
    html_raw(b, "\"><h2>");
    html_text(b, T(r, tiles[t]));
    html_raw(b, "</h2><div class=\"big\">");
    html_text(b, values[t]);
    html_raw(b, "</div><p class=\"muted norm\">");
    html_text(b, T(r, W_week_norm));
    html_raw(b, "</p><p class=\"hint explain\">");
    html_text(b, T(r, explain[t]));
    html_raw(b, "</p></div>");
  }
  html_raw(b, "</section>");

  html_raw(b, "<ol class=\"week-grid\" aria-label=\"");
  html_attr(b, T(r, W_week_days));
  html_raw(b, "\">");
  size_t next = 0;
  int own = may_edit && !who;
  for (int i = 0; i < 7; i++) {
    char ds[11], tot[48], dtext[32], label[96];
    int32_t dd = monday + i;
    date_format(dd, ds);
    week_duration(reg[i], tot, sizeof tot);
    fmt_date_text(r, dd, dtext, sizeof dtext);
    snprintf(label, sizeof label, "%s %s", T(r, day_keys[i]), dtext);
    html_raw(b, "<li class=\"day");
    if (dd == today) html_raw(b, " today");
    if (i >= 5) html_raw(b, " weekend");
    html_raw(b, "\" id=\"dag-");
    html_attr(b, ds);
    html_raw(b, "\"><div class=\"day-head\"><h2>");
    html_text(b, label);
    html_raw(b, "</h2><span class=\"day-total\">");
    html_text(b, tot);
    html_raw(b, "</span>");
    if (own && dd <= today) {
      char aria[160];
      snprintf(aria, sizeof aria, "%s %s", T(r, W_add_on_day), label);
      html_raw(b, "<a class=\"add\" href=\"/registreren?datum=");
      html_url(b, ds);
      html_raw(b, "\" aria-label=\"");
      html_attr(b, aria);
      html_raw(b, "\" title=\"");
      html_attr(b, aria);
      html_raw(b, "\">+</a>");
    }
    html_raw(b, "</div>");
    int any = 0;
    for (; next < list.n && !strcmp(list.items[next].date, ds); next++) {
      const struct reg_brief *x = &list.items[next];
      if (!any) html_raw(b, "<ul class=\"regs\">");
      any = 1;
      char dur[48];
      week_duration(x->minutes, dur, sizeof dur);
      html_raw_if(b, x->kind[0] == 'c', "<li class=\"reg client\"><span class=\"dur\">",
                  "<li class=\"reg internal\"><span class=\"dur\">");
      html_text(b, dur);
      html_raw(b, "</span> ");
      html_text(b, T(r, x->kind[0] == 'c' ? W_client : W_internal));
      html_raw(b, " · ");
      html_text_wbr(b, x->line_name);
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
    if (any) {
      html_raw(b, "</ul>");
      if (own) copy_form(r, resp, dd, 0);
    } else if (i < 5 && dd <= today) {
      html_raw(b, "<p class=\"muted\">");
      html_text(b, T(r, W_nothing_registered));
      html_raw(b, "</p>");
    }
    html_raw(b, "</li>");
  }
  html_raw(b, "</ol>");
  if (own && list.n) copy_form(r, resp, monday, 1);
  html_raw(b, "</div>");
  week_shortcuts_dialog(r, b, 1);
  registration_briefs_free(&list);
  model_free(&m);
  page_end(r, resp);
}

void page_week(struct request *r, struct response *resp) {
  int32_t day = bounds_today();
  const char *d = req_query(r, "datum");
  if (d && *d) week_parse_date(d, &day);
  week_render(r, resp, day, NULL, NULL);
}
