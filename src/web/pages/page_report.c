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
#include "domain/model.h"
#include "measures/cache.h"
#include "measures/facts.h"
#include "render/html.h"
#include "report/export.h"
#include "web/pages/pages.h"

/* The facts of the five newest years with data and the reference data, in one snapshot,
   shared with other requests while the data is unchanged (measures/cache.h). */
struct loaded {
  int64_t token;
  const struct model *m;
  const struct facts *f, *impact;
  struct cache_ref *mref, *fref, *yref, *iref;
};

static void unload(struct loaded *l) {
  cache_release(l->fref);
  cache_release(l->iref);
  cache_release(l->mref);
  cache_release(l->yref);
}

static int load(struct request *r, struct loaded *l) {
  char err[512];
  int64_t ref_token;
  *l = (struct loaded){0};
  db_begin_read(r->db);
  const struct years *yl = NULL;
  if (db_revision(r->db, &l->token, &ref_token) == 0 &&
      (yl = cached_years(r->db, l->token, &l->yref, err, sizeof err)) &&
      (l->m = cached_model(r->db, ref_token, &l->mref, err, sizeof err))) {
    int n = yl->n > 5 ? 5 : yl->n; /* the report shows at most five years, newest first */
    l->f = cached_facts(r->db, l->token, l->m, yl->years, n, &l->fref, err, sizeof err);
    if (l->f)
      l->impact = cached_impact(r->db, l->token, l->m, yl->years, n, (int32_t)(r->now / 86400), &l->iref, err,
                                sizeof err);
  }
  db_commit(r->db);
  if (!l->f || !l->impact) {
    unload(l);
    return -1;
  }
  return 0;
}

static int lang_of(const struct request *r) { return r->lang && !strcmp(r->lang, "en") ? REP_EN : REP_NL; }

static void download_links(struct buf *b, const struct request *r) {
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
    html_raw(b, "\">");
    html_text(b, links[i].label);
    html_raw(b, "</a>");
  }
  html_raw(b, "</p></nav>");
}

void page_report(struct request *r, struct response *resp) {
  struct loaded l;
  if (load(r, &l) != 0) {
    page_error(r, resp, 500);
    return;
  }
  page_begin(r, resp, T(r, W_nav_report));
  /* the main part depends only on the data (token) and the language */
  const char *key = lang_of(r) == REP_EN ? "report:en" : "report:nl";
  size_t frag_len = 0;
  struct cache_ref *frag_ref = NULL;
  const char *frag = cache_text_get(key, l.token, &frag_len, &frag_ref);
  if (frag) {
    buf_append(&resp->body, frag, frag_len);
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
    download_links(&resp->body, r);
    struct report rp;
    report_open(&rp, l.m, l.f, lang_of(r));
    report_add_impact(&rp, l.impact);
    for (int t = 0; t < rp.n_tables; t++) {
      report_html_chart(&resp->body, &rp, t);
      report_html_table(&resp->body, &rp, t);
    }
    report_close(&rp);
  }
  cache_text_put(key, l.token, resp->body.data + frag_start, resp->body.len - frag_start);
  page_end(r, resp);
  unload(&l);
}

/* A download: the report in the format of that name, as an attachment. XLSX and PDF
   are written to a temporary file first (their libraries write files). */
static void download(struct request *r, struct response *resp, const char *format) {
  struct loaded l;
  if (load(r, &l) != 0) {
    page_error(r, resp, 500);
    return;
  }
  char generated[32];
  time_t now = (time_t)r->now;
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(generated, sizeof generated, "%Y-%m-%d %H:%M UTC", &tm);
  struct rep_opts o = {0, generated};
  struct report rp;
  report_open(&rp, l.m, l.f, lang_of(r));
  report_add_impact(&rp, l.impact);
  char *data = NULL, err[512] = "";
  size_t len = 0;
  const struct rep_format *hf = report_format(!strcmp(format, "csv") ? "csv-tables" : format);
  int rc = report_write_bytes(&rp, &o, format, &data, &len, err, sizeof err);
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
  snprintf(resp->disposition, sizeof resp->disposition, "attachment; filename=\"bereik-rapport.%s\"",
           hf->suffix);
}

void page_report_xlsx(struct request *r, struct response *resp) { download(r, resp, "xlsx"); }
void page_report_pdf(struct request *r, struct response *resp) { download(r, resp, "pdf"); }
void page_report_html(struct request *r, struct response *resp) { download(r, resp, "html"); }
void page_report_csv(struct request *r, struct response *resp) { download(r, resp, "csv"); }
