/* SPDX-License-Identifier: EUPL-1.2 */
/* GET /week/zoeken: the user's own registrations (as author or co-advisor) found by text
   (in the description, the institutions' codes and names, the line's name), line,
   modality, kind and period (default: the school year up to today), newest first, each
   linking to its edit form. A GET form: it changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/util.h"
#include "domain/bounds.h"
#include "domain/model.h"
#include "domain/registration.h"
#include "render/html.h"
#include "web/pages/page_week.h"
#include "web/pages/pages.h"

#define SEARCH_SHOWN 200

static const enum word modality_keys[N_MODALITIES] = {W_mod_fysiek,   W_mod_online, W_mod_hybride,
                                                      W_mod_helpdesk, W_mod_walk,   W_mod_klasbezoek};

/* Case-insensitive (ASCII) substring. */
static int contains(const char *hay, const char *needle) {
  if (!*needle) return 1;
  if (!hay) return 0;
  size_t n = strlen(needle);
  for (const char *p = hay; *p; p++) {
    size_t k = 0;
    while (k < n && p[k]) {
      char a = p[k], c = needle[k];
      if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
      if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
      if (a != c) break;
      k++;
    }
    if (k == n) return 1;
  }
  return 0;
}

/* The text a registration is found by: its institutions' names beside their codes. */
static int text_matches(const struct model *m, const struct reg_brief *x, const char *q) {
  if (contains(x->description, q) || contains(x->institutions, q) || contains(x->line_name, q)) return 1;
  char *copy = xstrdup(x->institutions), *save = NULL;
  int hit = 0;
  for (char *t = strtok_r(copy, ", ", &save); t && !hit; t = strtok_r(NULL, ", ", &save)) {
    int i = model_institution(m, t);
    hit = i >= 0 && contains(m->institutions[i].name, q);
  }
  free(copy);
  return hit;
}

static void select_open(const struct request *r, struct buf *b, const char *id, enum word label) {
  html_raw(b, "<div><label for=\"");
  html_attr(b, id);
  html_raw(b, "\">");
  html_text(b, T(r, label));
  html_raw(b, "</label><select id=\"");
  html_attr(b, id);
  html_raw(b, "\" name=\"");
  html_attr(b, id);
  html_raw(b, "\"><option value=\"\">");
  html_text(b, T(r, W_any));
  html_raw(b, "</option>");
}

static void option(struct buf *b, const char *value, const char *text, const char *chosen) {
  html_raw(b, "<option value=\"");
  html_attr(b, value);
  html_raw_if(b, chosen && !strcmp(chosen, value), "\" selected>", "\">");
  html_text(b, text);
  html_raw(b, "</option>");
}

static void date_field(const struct request *r, struct buf *b, const char *id, enum word label, int32_t day) {
  char d[11];
  date_format(day, d);
  html_raw(b, "<div><label for=\"");
  html_attr(b, id);
  html_raw(b, "\">");
  html_text(b, T(r, label));
  html_raw(b, "</label><input type=\"date\" id=\"");
  html_attr(b, id);
  html_raw(b, "\" name=\"");
  html_attr(b, id);
  html_raw(b, "\" value=\"");
  html_attr(b, d);
  html_raw(b, "\"></div>");
}

void page_week_search(struct request *r, struct response *resp) {
  struct buf *b = &resp->body;
  struct model m;
  char err[256];
  if (model_load(r->db, &m, err, sizeof err) != 0) {
    page_error(r, resp, 500);
    return;
  }
  int me = week_my_advisor(r, &m);
  const char *q = req_query(r, "q"), *line = req_query(r, "pijler"), *mod = req_query(r, "modaliteit"),
             *kind = req_query(r, "soort"), *vs = req_query(r, "van"), *ts = req_query(r, "tot");
  q = q ? q : "";
  int32_t today = bounds_today(), from = school_year_first_day(school_year_of(today)), to = today;
  int bad_period = 0;
  if (vs && *vs) bad_period |= week_parse_date(vs, &from) != 0;
  if (ts && *ts) bad_period |= week_parse_date(ts, &to) != 0;
  bad_period |= from > to;
  if (bad_period) resp->status = 422;
  page_begin(r, resp, T(r, W_search_mine));
  html_raw(b, "<div id=\"week\" class=\"week\" data-today=\"/week\">");
  week_tools(r, b, 0);
  if (me < 0) {
    html_raw(b, "<p>");
    html_text(b, T(r, W_no_advisor));
    html_raw(b, "</p></div>");
    page_end(r, resp);
    model_free(&m);
    return;
  }
  html_raw(b, "<form method=\"get\" action=\"/week/zoeken\" class=\"search-form\" role=\"search\">"
              "<div class=\"wide\"><label for=\"q\">");
  html_text(b, T(r, W_search_text));
  html_raw(b, "</label><input type=\"search\" id=\"q\" name=\"q\" value=\"");
  html_attr(b, q);
  html_raw(b, "\"></div>");
  select_open(r, b, "pijler", W_line);
  for (size_t i = 0; i < m.n_lines; i++) option(b, m.lines[i].code, m.lines[i].name, line);
  html_raw(b, "</select></div>");
  select_open(r, b, "modaliteit", W_modality);
  for (int k = 0; k < N_MODALITIES; k++) option(b, modality_names[k], T(r, modality_keys[k]), mod);
  html_raw(b, "</select></div>");
  select_open(r, b, "soort", W_kind);
  option(b, "client", T(r, W_client), kind);
  option(b, "internal", T(r, W_internal), kind);
  html_raw(b, "</select></div>");
  date_field(r, b, "van", W_from_date, from);
  date_field(r, b, "tot", W_to_date, to);
  html_raw(b, "<div><button type=\"submit\">");
  html_text(b, T(r, W_search));
  html_raw(b, "</button></div></form>");
  if (bad_period) {
    html_raw(b, "<p class=\"error\" role=\"alert\">");
    html_text(b, T(r, W_search_bad_period));
    html_raw(b, "</p></div>");
    week_shortcuts_dialog(r, b, 0);
    page_end(r, resp);
    model_free(&m);
    return;
  }

  char f1[11], f2[11];
  date_format(from, f1);
  date_format(to, f2);
  struct reg_briefs list;
  if (registration_briefs(r->db, m.advisors[me].id, f1, f2, 0, &list) != 0) {
    model_free(&m);
    page_error(r, resp, 500);
    return;
  }
  int li = line && *line ? model_line(&m, line) : -1;
  int want_mod = mod && *mod;
  int ncols = N_REG_BASE + (int)m.n_target_groups;
  char **v = xcalloc((size_t)ncols, sizeof *v);
  /* newest first: the list is in date order */
  size_t *hits = xcalloc(list.n ? list.n : 1, sizeof *hits);
  char(*mods)[32] = xcalloc(list.n ? list.n : 1, sizeof *mods);
  size_t nh = 0;
  int64_t minutes = 0;
  for (size_t k = list.n; k-- > 0;) {
    const struct reg_brief *x = &list.items[k];
    if (kind && *kind && strcmp(x->kind, kind)) continue;
    if (line && *line && (li < 0 || strcmp(x->line_name, m.lines[li].name))) continue;
    if (*q && !text_matches(&m, x, q)) continue;
    /* the modality is not in the brief: read the registration (only the matches so far) */
    if (registration_load(r->db, &m, x->id, v) != 0) continue;
    if (want_mod && (!v[R_MODALITY] || strcmp(v[R_MODALITY], mod))) continue;
    snprintf(mods[k], sizeof mods[k], "%s", v[R_MODALITY] ? v[R_MODALITY] : "");
    hits[nh++] = k;
    minutes += x->minutes;
  }
  for (int c = 0; c < ncols; c++) free(v[c]);
  free(v);

  char tot[32];
  week_duration(minutes, tot, sizeof tot);
  html_raw(b, "<p class=\"found\" role=\"status\" id=\"found\">");
  if (nh) {
    html_text(b, T(r, W_found));
    html_textf(b, " %zu, ", nh);
    html_text(b, T(r, W_together));
    html_raw(b, " ");
    html_text(b, tot);
    html_raw(b, ".");
    if (nh > SEARCH_SHOWN) {
      html_raw(b, " ");
      html_text(b, T(r, W_found_capped));
    }
  } else {
    html_text(b, T(r, W_search_none));
  }
  html_raw(b, "</p>");
  if (nh) {
    html_table_open(b, T(r, W_search_mine), "search-results", "cards");
    html_text(b, T(r, W_search_mine));
    html_raw(b, "</caption><thead><tr>");
    static const enum word heads[] = {W_date,     W_minutes,      W_kind,       W_line,
                                      W_modality, W_institutions, W_description};
    for (size_t k = 0; k < sizeof heads / sizeof heads[0]; k++) {
      html_raw(b, "<th scope=\"col\">");
      html_text(b, T(r, heads[k]));
      html_raw(b, "</th>");
    }
    html_raw(b, "</tr></thead><tbody>");
    for (size_t h = 0; h < nh && h < SEARCH_SHOWN; h++) {
      const struct reg_brief *x = &list.items[hits[h]];
      int32_t day;
      char be[11] = "", dur[32];
      if (date_parse(x->date, &day) == 0) week_date_be(day, be);
      week_duration(x->minutes, dur, sizeof dur);
      html_raw(b, "<tr><td class=\"title\"><a href=\"/registratie?id=");
      html_url(b, x->ext_id);
      html_raw(b, "\">");
      html_text(b, be);
      html_raw(b, "</a></td><td data-label=\"");
      html_attr(b, T(r, W_minutes));
      html_raw(b, "\">");
      html_text(b, dur);
      html_raw(b, "</td><td data-label=\"");
      html_attr(b, T(r, W_kind));
      html_raw(b, "\">");
      html_text(b, T(r, x->kind[0] == 'c' ? W_client : W_internal));
      html_raw(b, "</td><td data-label=\"");
      html_attr(b, T(r, W_line));
      html_raw(b, "\">");
      html_text(b, x->line_name);
      html_raw(b, "</td><td data-label=\"");
      html_attr(b, T(r, W_modality));
      html_raw(b, "\">");
      const char *mv = mods[hits[h]];
      for (int k = 0; k < N_MODALITIES; k++)
        if (!strcmp(mv, modality_names[k])) mv = T(r, modality_keys[k]);
      html_text(b, mv);
      html_raw(b, "</td><td data-label=\"");
      html_attr(b, T(r, W_institutions));
      html_raw(b, "\">");
      html_text(b, x->institutions);
      html_raw(b, "</td><td data-label=\"");
      html_attr(b, T(r, W_description));
      html_raw(b, "\">");
      html_text(b, x->description ? x->description : "");
      html_raw(b, "</td></tr>");
    }
    html_raw(b, "</tbody></table></div>");
  }
  html_raw(b, "</div>");
  week_shortcuts_dialog(r, b, 0);
  free(hits);
  free(mods);
  registration_briefs_free(&list);
  model_free(&m);
  page_end(r, resp);
}
