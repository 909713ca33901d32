/* SPDX-License-Identifier: EUPL-1.2 */
/* Rapport: the tables of DOMAIN.md section 6 for one to five school years side by side,
   newest first, with their charts, and the downloads of the same report as XLSX, PDF,
   HTML and CSV. The page and the files render one model (src/report), so their numbers
   cannot differ; every number is a fact of src/measures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dates.h"
#include "db/db.h"
#include "domain/bounds.h"
#include "domain/model.h"
#include "measures/cache.h"
#include "measures/facts.h"
#include "render/html.h"
#include "report/export.h"
#include "web/pages/pages.h"

/* The facts of the chosen school year (default: the current one, Europe/Brussels) and
   the up to four years with data before it, newest first, for the organisation or one
   unit (?eenheid=pbd|poc, docs/VIEWS.md), and the reference data, in one snapshot. The
   organisation's facts are shared with other requests while the data is unchanged
   (measures/cache.h); a unit's are computed for the request. */
struct loaded {
  int64_t token;
  const struct model *m;
  const struct facts *f, *impact;
  struct facts own; /* a unit's facts */
  struct cache_ref *mref, *fref, *yref, *iref;
  int unit, year;  /* enum unit or -1; the newest school year shown */
  int from;        /* the oldest school year the user wants (0: the last five) */
  int team;        /* a coordinator's report: of the members of their teams */
  char label[200]; /* a coordinator's report: their teams' names */
  int choices[64]; /* the school years to choose from, newest first */
  int n_choices;
};

static void unload(struct loaded *l) {
  cache_release(l->fref);
  cache_release(l->iref);
  cache_release(l->mref);
  cache_release(l->yref);
  facts_free(&l->own);
}

/* The unit asked for: -1 (organisation), UNIT_PBD or UNIT_POC; -2 when malformed. */
static int unit_of(const struct request *r) {
  const char *u = req_query(r, "eenheid");
  if (!u || !*u || !strcmp(u, "org")) return -1;
  if (!strcmp(u, "pbd")) return UNIT_PBD;
  if (!strcmp(u, "poc")) return UNIT_POC;
  return -2;
}

static int load(struct request *r, struct loaded *l) {
  char err[512];
  int64_t ref_token;
  *l = (struct loaded){0};
  l->unit = unit_of(r);
  if (l->unit == -2) return -2;
  l->year = facts_default_year(NULL, 0, bounds_today());
  const char *want = req_query(r, "jaar");
  if (want && *want && school_year_parse(want, &l->year) != 0) return -2;
  const char *from = req_query(r, "vanaf");
  if (from && *from && school_year_parse(from, &l->from) != 0) return -2;
  if (l->from > l->year) { /* from and to in the wrong order: the same span */
    int x = l->from;
    l->from = l->year;
    l->year = x;
  }
  db_begin_read(r->db);
  const struct years *yl = NULL;
  if (db_revision(r->db, &l->token, &ref_token) == 0 &&
      (yl = cached_years(r->db, l->token, &l->yref, err, sizeof err)) &&
      (l->m = cached_model(r->db, ref_token, &l->mref, err, sizeof err))) {
    /* the chosen year and at most four years with data before it */
    int ys[REP_MAX_YEARS], n = 0;
    ys[n++] = l->year;
    for (int i = 0; i < yl->n && n < REP_MAX_YEARS; i++)
      if (yl->years[i] < l->year && yl->years[i] >= l->from) ys[n++] = yl->years[i];
    /* choices: the years with data and the current school year */
    int cur = facts_default_year(NULL, 0, bounds_today()), put_cur = 0;
    for (int i = 0; i < yl->n && l->n_choices < 63; i++) {
      if (!put_cur && cur >= yl->years[i]) {
        if (cur > yl->years[i]) l->choices[l->n_choices++] = cur;
        put_cur = 1;
      }
      l->choices[l->n_choices++] = yl->years[i];
    }
    if (!put_cur) l->choices[l->n_choices++] = cur;
    /* who sees what: a director or admin the organisation's report (or a unit's); a
       coordinator the report of the members of their teams */
    struct visibility vis;
    user_visibility(&r->user, l->m, &vis);
    unsigned char *tv = NULL, *av = NULL;
    if (!vis.full) {
      l->team = 1;
      visibility_masks(&vis, l->m, &tv, &av);
      size_t used = 0;
      for (int k = 0; k < vis.n_teams && used + 2 < sizeof l->label; k++)
        used += (size_t)snprintf(l->label + used, sizeof l->label - used, "%s%s", k ? ", " : "",
                                 l->m->teams[vis.teams[k]].name);
    }
    if (l->unit < 0 && !l->team) {
      l->f = cached_facts(r->db, l->token, l->m, ys, n, &l->fref, err, sizeof err);
    } else if (facts_compute_scope(r->db, l->m, ys, n, l->unit, av, &l->own, err, sizeof err) == 0) {
      l->f = &l->own;
    }
    free(tv);
    free(av);
    if (l->f)
      l->impact = cached_impact(r->db, l->token, l->m, ys, n, bounds_today(), &l->iref, err, sizeof err);
  }
  db_commit(r->db);
  if (!l->f || !l->impact) {
    unload(l);
    return -1;
  }
  return 0;
}

/* The query of the downloads: the same unit and years as the page. */
static void choice_query(const struct loaded *l, char *out, size_t n) {
  char y[10], f[10] = "";
  school_year_format(l->year, y);
  if (l->from) school_year_format(l->from, f);
  static const char *const units[] = {"pbd", "poc"};
  snprintf(out, n, "?%s%s%sjaar=%s%s%s", l->unit >= 0 ? "eenheid=" : "", l->unit >= 0 ? units[l->unit] : "",
           l->unit >= 0 ? "&" : "", y, l->from ? "&vanaf=" : "", f);
}

/* One select of school years (the choices, newest first); none: 0 selects the empty
   option "the last five". */
static void year_select(const struct request *r, struct buf *b, const struct loaded *l, const char *name,
                        enum word label, int selected, int with_none) {
  html_raw(b, "<label for=\"");
  html_attr(b, name);
  html_raw(b, "\">");
  html_text(b, T(r, label));
  html_raw(b, "</label><select id=\"");
  html_attr(b, name);
  html_raw(b, "\" name=\"");
  html_attr(b, name);
  html_raw(b, "\">");
  if (with_none) {
    html_raw_if(b, selected == 0, "<option value=\"\" selected>", "<option value=\"\">");
    html_text(b, T(r, W_num_years_last5));
    html_raw(b, "</option>");
  }
  for (int i = 0; i < l->n_choices; i++) {
    char opt[10];
    school_year_format(l->choices[i], opt);
    html_raw(b, "<option value=\"");
    html_attr(b, opt);
    html_raw_if(b, l->choices[i] == selected, "\" selected>", "\">");
    html_text(b, opt);
    html_raw(b, "</option>");
  }
  html_raw(b, "</select>");
}

/* The choice of unit and school year (a GET form). */
static void report_choice(const struct request *r, struct buf *b, const struct loaded *l) {
  html_raw(b, "<form method=\"get\" action=\"/rapport\" class=\"filters\" id=\"report-choice\">"
              "<label for=\"eenheid\">");
  html_text(b, T(r, W_vw_report_unit));
  html_raw(b, "</label><select id=\"eenheid\" name=\"eenheid\">");
  static const char *const values[] = {"org", "pbd", "poc"};
  const enum word labels[] = {l->team ? W_vw_report_team : W_organisation, W_vw_unit_pbd, W_vw_unit_poc};
  for (int k = 0; k < 3; k++) {
    html_raw(b, "<option value=\"");
    html_attr(b, values[k]);
    html_raw_if(b, l->unit == k - 1, "\" selected>", "\">");
    html_text(b, T(r, labels[k]));
    html_raw(b, "</option>");
  }
  html_raw(b, "</select>");
  year_select(r, b, l, "vanaf", W_num_years_from, l->from, 1);
  year_select(r, b, l, "jaar", W_vw_report_up_to, l->year, 0);
  html_raw(b, "<button type=\"submit\">");
  html_text(b, T(r, W_vw_show));
  html_raw(b, "</button></form>");
}

static int lang_of(const struct request *r) { return r->lang && !strcmp(r->lang, "en") ? REP_EN : REP_NL; }

static void download_links(struct buf *b, const struct request *r, const char *query) {
  static const struct {
    const char *path, *label;
  } links[] = {{"/rapport/xlsx", "Excel (XLSX)"},
               {"/rapport/pdf", "PDF"},
               {"/rapport/html", "HTML"},
               {"/rapport/csv", "CSV"}};
  html_raw(b, "<nav class=\"downloads\" aria-label=\"");
  html_attr(b, T(r, W_downloads));
  html_raw(b, "\"><p>");
  html_text(b, T(r, W_downloads));
  html_raw(b, ":");
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
    html_raw(b, " <a class=\"button\" download href=\"");
    html_attr(b, links[i].path);
    html_attr(b, query);
    html_raw(b, "\">");
    html_text(b, links[i].label);
    html_raw(b, "</a>");
  }
  html_raw(b, "</p></nav>");
}

void page_report(struct request *r, struct response *resp) {
  struct loaded l;
  int lrc = load(r, &l);
  if (lrc != 0) {
    page_error(r, resp, lrc == -2 ? 400 : 500);
    return;
  }
  page_begin(r, resp, T(r, W_nav_report));
  report_choice(r, &resp->body, &l);
  /* the main part depends only on the data (token), the language, the unit and the year */
  char key[96];
  snprintf(key, sizeof key, "report:%s:%d:%d:%d:%lld", lang_of(r) == REP_EN ? "en" : "nl", l.unit, l.year,
           l.from, l.team ? (long long)r->user.advisor_id : -1LL);
  size_t frag_len = 0;
  struct cache_ref *frag_ref = NULL;
  const char *frag = cache_text_get(db_service(r->db), key, l.token, &frag_len, &frag_ref);
  if (frag) {
    resp_append_cached(resp, db_service(r->db), key, l.token, frag, frag_len);
    cache_release(frag_ref);
    page_end(r, resp);
    unload(&l);
    return;
  }
  size_t frag_start = resp->body.len;
  if (!l.f->n_years) {
    html_raw(&resp->body, "<p>");
    html_text(&resp->body, T(r, W_no_data));
    html_raw(&resp->body, "</p>");
  } else {
    char query[96];
    choice_query(&l, query, sizeof query);
    download_links(&resp->body, r, query);
    struct report rp;
    report_open_scope(&rp, l.m, l.f, lang_of(r), l.unit, l.team ? l.label : NULL);
    if (!l.team) report_add_impact(&rp, l.impact); /* the impact tables are the organisation's */
    html_raw(&resp->body, "<div class=\"report-tables\">");
    for (int t = 0; t < rp.n_tables; t++) {
      report_html_chart(&resp->body, &rp, t);
      /* five number columns or more are wider than a phone: the table scrolls inside its
         region, and says so (the hint shows below 700 px) */
      if (rp.tables[t].n_cols >= 5) {
        html_raw(&resp->body, "<p class=\"scroll-hint report-hint muted\" aria-hidden=\"true\">");
        html_text(&resp->body, T(r, W_vw_scroll_hint));
        html_raw(&resp->body, " &rarr;</p>");
      }
      report_html_table(&resp->body, &rp, t);
    }
    html_raw(&resp->body, "</div>");
    report_close(&rp);
  }
  cache_text_put(db_service(r->db), key, l.token, resp->body.data + frag_start, resp->body.len - frag_start);
  page_end(r, resp);
  unload(&l);
}

/* A download: the report in the format of that name, as an attachment. XLSX and PDF
   are written to a temporary file first (their libraries write files). */
static void download(struct request *r, struct response *resp, const char *format) {
  struct loaded l;
  int lrc = load(r, &l);
  if (lrc != 0) {
    page_error(r, resp, lrc == -2 ? 400 : 500);
    return;
  }
  char generated[32];
  datetime_brussels_format((time_t)r->now, generated); /* dd/mm/jjjj uu:mm, Brussels */
  struct rep_opts o = {0, generated, bounds_today()};
  struct report rp;
  report_open_scope(&rp, l.m, l.f, lang_of(r), l.unit, l.team ? l.label : NULL);
  if (!l.team) report_add_impact(&rp, l.impact);
  char *data = NULL, err[512] = "";
  size_t len = 0;
  const struct rep_format *hf = report_format(!strcmp(format, "csv") ? "csv-tables" : format);
  int rc = report_write_bytes(&rp, &o, format, &data, &len, err, sizeof err);
  /* the file's name says what it holds: the unit and the school years, e.g.
     bereik-rapport-pbd-2022-2025.pdf for 2022-2023 up to 2024-2025 */
  int oldest = rp.n_years ? rp.years[rp.n_years - 1] : l.year, newest = rp.n_years ? rp.years[0] : l.year;
  report_close(&rp);
  unload(&l);
  if (rc != 0) {
    free(data);
    page_error(r, resp, 500);
    return;
  }
  resp->content_type = hf->mime;
  buf_append(&resp->body, data, len);
  free(data);
  static const char *const unit_names[] = {"-pbd", "-poc"};
  snprintf(resp->disposition, sizeof resp->disposition, "attachment; filename=\"bereik-rapport%s-%d-%d.%s\"",
           l.unit >= 0 ? unit_names[l.unit] : "", oldest, newest + 1, hf->suffix);
}

void page_report_xlsx(struct request *r, struct response *resp) { download(r, resp, "xlsx"); }
void page_report_pdf(struct request *r, struct response *resp) { download(r, resp, "pdf"); }
void page_report_html(struct request *r, struct response *resp) { download(r, resp, "html"); }
void page_report_csv(struct request *r, struct response *resp) { download(r, resp, "csv"); }
