/* SPDX-License-Identifier: EUPL-1.2 */
/* Institution search by code, name or number (GET /instellingen?q=...): the active
   institutions that match, best first: an exact code or number, then a code, number or
   name that starts with the text, then any that contains it. As a page (it works without
   JavaScript) or, with formaat=json, as the suggestions the registration form shows
   while an advisor types the next institution of the list. */
#define _GNU_SOURCE /* strcasestr */ /* NOLINT(bugprone-reserved-identifier) */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/escape.h"
#include "domain/model.h"
#include "render/html.h"
#include "web/pages/pages.h"

struct hit {
  int idx, rank;
};

static int prefix(const char *s, const char *q, size_t n) { return s && !strncasecmp(s, q, n); }

/* 0 exact, 1 prefix, 2 contains, -1 no match */
static int rank_of(const struct institution *in, const char *q) {
  size_t n = strlen(q);
  if (!strcasecmp(in->code, q) || !strcmp(in->number, q)) return 0;
  if (prefix(in->code, q, n) || prefix(in->number, q, n) || prefix(in->name, q, n)) return 1;
  if (strcasestr(in->name, q) || strcasestr(in->code, q) || strstr(in->number, q)) return 2;
  return -1;
}

static int cmp_hit(const void *a, const void *b) {
  const struct hit *x = a, *y = b;
  if (x->rank != y->rank) return x->rank - y->rank;
  return x->idx - y->idx;
}

/* The matching active institutions, best first; at most max. */
static int search(const struct model *m, const char *q, struct hit *out, int max) {
  struct hit *all = malloc((m->n_institutions + 1) * sizeof *all);
  if (!all) return 0;
  int n = 0;
  for (size_t i = 0; i < m->n_institutions; i++) {
    if (!m->institutions[i].active) continue;
    int rk = rank_of(&m->institutions[i], q);
    if (rk >= 0) all[n++] = (struct hit){(int)i, rk};
  }
  qsort(all, (size_t)n, sizeof *all, cmp_hit);
  if (n > max) n = max;
  memcpy(out, all, (size_t)n * sizeof *out);
  free(all);
  return n;
}

void page_institution_search(struct request *r, struct response *resp) {
  struct model m;
  char err[256];
  if (model_load(r->db, &m, err, sizeof err) != 0) {
    page_error(r, resp, 500);
    return;
  }
  const char *q = req_query(r, "q");
  const char *fmt = req_query(r, "formaat");
  int json = fmt && !strcmp(fmt, "json");
  struct hit hits[100];
  int n = q && *q ? search(&m, q, hits, json ? 20 : 100) : 0;
  struct buf *b = &resp->body;
  if (json) {
    resp->content_type = "application/json";
    buf_putc(b, '[');
    for (int i = 0; i < n; i++) {
      const struct institution *in = &m.institutions[hits[i].idx];
      buf_puts(b, i ? ",{\"code\":" : "{\"code\":");
      escape_json(b, in->code);
      buf_puts(b, ",\"number\":");
      escape_json(b, in->number);
      buf_puts(b, ",\"name\":");
      escape_json(b, in->name);
      buf_puts(b, ",\"sector\":");
      escape_json(b, m.sectors[in->sector].code);
      buf_putc(b, '}');
    }
    buf_putc(b, ']');
    model_free(&m);
    return;
  }
  page_begin(r, resp, T(r, W_institution_search));
  html_raw(
      b, "<form method=\"get\" action=\"/instellingen\" class=\"filters\" role=\"search\"><label for=\"q\">");
  html_text(b, T(r, W_search_by));
  html_raw(b, "</label> <input type=\"search\" id=\"q\" name=\"q\" value=\"");
  html_attr(b, q ? q : "");
  html_raw(b, "\"> <button type=\"submit\">");
  html_text(b, T(r, W_search));
  html_raw(b, "</button></form>");
  if (q && *q) {
    html_table_open(b, T(r, W_institution_search), NULL, NULL);
    html_text(b, T(r, W_institution_search));
    html_textf(b, " (%d)", n);
    html_raw(b, "</caption><thead><tr><th scope=\"col\">Code</th><th scope=\"col\">");
    html_text(b, T(r, W_number));
    html_raw(b, "</th><th scope=\"col\">");
    html_text(b, T(r, W_name));
    html_raw(b, "</th><th scope=\"col\">Sector</th></tr></thead><tbody>");
    for (int i = 0; i < n; i++) {
      const struct institution *in = &m.institutions[hits[i].idx];
      html_raw(b, "<tr><th scope=\"row\">");
      html_text(b, in->code);
      html_raw(b, "</th><td>");
      html_text(b, in->number);
      html_raw(b, "</td><td>");
      html_text(b, in->name);
      html_raw(b, "</td><td>");
      html_text(b, m.sectors[in->sector].code);
      html_raw(b, "</td></tr>");
    }
    html_raw(b, "</tbody></table></div>");
  }
  page_end(r, resp);
  model_free(&m);
}
