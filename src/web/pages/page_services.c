/* SPDX-License-Identifier: EUPL-1.2 */
/* Services (docs/SERVICES.md): the answer for a host that names no service or a
   suspended one; Vergelijking, the services that chose to share side by side, and the
   admin's choice to share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/dates.h"
#include "db/db.h"
#include "domain/bounds.h"
#include "domain/service.h"
#include "http/auth.h"
#include "measures/cache.h"
#include "measures/compare.h"
#include "render/html.h"
#include "render/words.h"
#include "web/pages/pages.h"

void page_service_refused(struct request *r, struct response *resp) {
  int status = resp->status;
  buf_reset(&resp->body);
  page_begin(r, resp, T(r, status == 404 ? W_service_unknown : W_service_suspended));
  html_raw(&resp->body, "<p id=\"service-refused\">");
  html_text(&resp->body, T(r, status == 404 ? W_service_unknown_why : W_service_suspended_why));
  html_raw(&resp->body, "</p>");
  page_end(r, resp);
  resp->status = status;
  if (status == 503) resp->retry_after = 3600;
}

/* ---- Vergelijking: the services that share, side by side ---- */

/* One line of the comparison: a fact of the facts format and how it is shown. */
struct cmp_line {
  const char *table, *row, *col;
  enum word label;
  char kind; /* 'p' a share as %, 'f' FTE (2 decimals), 'n' a count, 'm' a mean (1 decimal); 'g' a
                group heading */
};

static const struct cmp_line lines[] = {
    {NULL, NULL, NULL, W_cmp_group_four, 'g'},
    {"fte", "total_plan", "realization_pct", W_cmp_fte_plan, 'p'},
    {"fte", "total_all", "realization_pct", W_cmp_fte_all, 'p'},
    {"fte", "total_all", "realized_fte", W_realized_fte, 'f'},
    {"reach", "total", "reach_pct", W_ind2, 'p'},
    {"reach", "total", "reached", W_cmp_reached, 'n'},
    {"klv", "total", "klv_pct", W_ind3, 'p'},
    {"klv", "unit:pbd", "klv_pct", W_cmp_klv_pbd, 'p'},
    {"klv", "unit:poc", "klv_pct", W_cmp_klv_poc, 'p'},
    {"target_groups", "total", "reach", W_cmp_tg_total, 'n'},
    {NULL, NULL, NULL, W_impact, 'g'},
    {"impact", "org", "active", W_imp_active, 'n'},
    {"impact", "org", "goal_plan_share", W_imp_goal_plan_pct, 'p'},
    {"impact", "org", "realised_share", W_imp_realised_pct, 'p'},
    {"impact", "org", "reached", W_cmp_imp_reached, 'n'},
    {"impact", "org", "short_mean", W_cmp_short_mean, 'm'},
    {"impact", "org", "long_mean", W_cmp_long_mean, 'm'},
};

static void cell(const struct request *r, struct buf *b, const struct compare *c, int s, const char *table,
                 const char *row, const char *col, char kind) {
  int found = 0;
  double v = compare_get(c, s, table, row, col, &found);
  html_raw_if(b, c->sources[s].own, "<td class=\"n own\"", "<td class=\"n\"");
  if (!found) {
    html_raw(b, "><span class=\"muted\" title=\"");
    html_attr(b, T(r, W_cmp_absent));
    html_raw(b, "\">–</span></td>");
    return;
  }
  /* the value unrounded too, for whoever reads the page by machine */
  char t[64], raw[40];
  snprintf(raw, sizeof raw, "%.17g", v);
  html_raw(b, " data-v=\"");
  html_attr(b, raw);
  html_raw(b, "\">");
  if (kind == 'p')
    fmt_pct(v, 0, t, sizeof t);
  else
    fmt_be(v, kind == 'f' ? 2 : kind == 'm' ? 1 : 0, t, sizeof t);
  html_text(b, t);
  html_raw(b, "</td>");
}

/* A heading over the lines that follow, across the table. */
static void group_row(const struct request *r, struct buf *b, const struct compare *c, enum word label) {
  char span[16];
  snprintf(span, sizeof span, "%d", c->n_sources + 1);
  html_raw(b, "<tr class=\"group\"><th scope=\"colgroup\" colspan=\"");
  html_attr(b, span);
  html_raw(b, "\">");
  html_text(b, T(r, label));
  html_raw(b, "</th></tr>");
}

static void header_row(const struct request *r, struct buf *b, const struct compare *c) {
  html_raw(b, "<thead><tr><th scope=\"col\">");
  html_text(b, T(r, W_cmp_indicator));
  html_raw(b, "</th>");
  for (int s = 0; s < c->n_sources; s++) {
    html_raw_if(b, c->sources[s].own, "<th scope=\"col\" class=\"n own\">", "<th scope=\"col\" class=\"n\">");
    if (c->sources[s].anonymous) {
      html_text(b, T(r, W_cmp_service));
      html_raw(b, " ");
    }
    html_text(b, c->sources[s].name);
    if (c->sources[s].own) {
      html_raw(b, " <span class=\"muted\">(");
      html_text(b, T(r, W_cmp_own));
      html_raw(b, ")</span>");
    }
    html_raw(b, "</th>");
  }
  html_raw(b, "</tr></thead>");
}

/* Publishes the service's shared facts when its data changed since they were published
   (the facts of every year with data, read in one snapshot). 0 or -1. */
static int publish_if_changed(struct request *r) {
  int64_t token = 0, ref_token = 0;
  char err[256];
  db_begin_read(r->db);
  int rc = db_revision(r->db, &token, &ref_token) == 0 ? 0 : -1;
  if (rc == 0 && service_published_token(r->db) == token) {
    db_rollback(r->db);
    return 0;
  }
  struct cache_ref *years_ref = NULL, *model_ref = NULL, *facts_ref = NULL, *impact_ref = NULL;
  const struct years *yl = rc == 0 ? cached_years(r->db, token, &years_ref, err, sizeof err) : NULL;
  const struct model *m = yl ? cached_model(r->db, ref_token, &model_ref, err, sizeof err) : NULL;
  const struct facts *f =
      m ? cached_facts(r->db, token, m, yl->years, yl->n, &facts_ref, err, sizeof err) : NULL;
  const struct facts *imp =
      f ? cached_impact(r->db, token, m, yl->years, yl->n, bounds_today(), &impact_ref, err, sizeof err)
        : NULL;
  db_rollback(r->db);
  rc = imp && compare_publish(r->db, f, imp, token) == 0 ? 0 : -1;
  cache_release(impact_ref);
  cache_release(facts_ref);
  cache_release(model_ref);
  cache_release(years_ref);
  return rc;
}

void page_compare(struct request *r, struct response *resp) {
  struct buf *b = &resp->body;
  struct service me;
  if (!db_has_services(r->db) || service_get(r->db, NULL, db_service(r->db), &me) != 1) {
    page_error(r, resp, 404);
    return;
  }
  if (me.share != SHARE_NONE && publish_if_changed(r) != 0) {
    page_error(r, resp, 500);
    return;
  }
  struct compare c;
  const char *year = NULL;
  for (int i = 0; i < r->nquery; i++)
    if (!strcmp(r->query[i].key, "jaar")) year = r->query[i].value;
  if (compare_load(r->db, NULL, &c) != 0) {
    page_error(r, resp, 500);
    return;
  }
  int yi = 0;
  for (int i = 0; year && i < c.n_years; i++)
    if (!strcmp(c.years[i], year)) yi = i;
  char chosen[16] = "";
  if (c.n_years) snprintf(chosen, sizeof chosen, "%s", c.years[yi]);
  compare_free(&c);
  if (compare_load(r->db, chosen[0] ? chosen : NULL, &c) != 0) {
    page_error(r, resp, 500);
    return;
  }
  page_begin(r, resp, T(r, W_nav_compare));
  html_raw(b, "<p class=\"muted\">");
  html_text(b, T(r, W_cmp_intro));
  html_raw(b, "</p><p id=\"share-status\">");
  html_text(b, T(r, me.share == SHARE_NAMED       ? W_cmp_status_named
                    : me.share == SHARE_ANONYMOUS ? W_cmp_status_anonymous
                                                  : W_cmp_status_none));
  if (me.share == SHARE_ANONYMOUS) {
    html_raw(b, " <strong>");
    html_text(b, T(r, W_cmp_service));
    html_raw(b, " ");
    html_text(b, me.alias);
    html_raw(b, "</strong>");
  }
  html_raw(b, "</p>");
  if (r->user.role >= ROLE_ADMIN) {
    static const char *const values[] = {"niet", "naam", "anoniem"};
    static const enum word labels[] = {W_cmp_choice_none, W_cmp_choice_named, W_cmp_choice_anonymous};
    html_raw(b, "<form method=\"post\" action=\"/vergelijking/delen\" class=\"stack\" id=\"share-form\">");
    csrf_field(r, resp);
    html_raw(b, "<fieldset><legend>");
    html_text(b, T(r, W_cmp_choice));
    html_raw(b, "</legend>");
    for (int i = 0; i < 3; i++) {
      html_raw(b, "<label class=\"choice\"><input type=\"radio\" name=\"delen\" value=\"");
      html_attr(b, values[i]);
      html_raw_if(b, me.share == i, "\" checked> ", "\"> ");
      html_text(b, T(r, labels[i]));
      html_raw(b, "</label>");
    }
    html_raw(b, "</fieldset><button type=\"submit\">");
    html_text(b, T(r, W_cmp_save));
    html_raw(b, "</button></form>");
  }
  if (me.share == SHARE_NONE) {
    html_raw(b, "<p id=\"compare-closed\">");
    html_text(b, T(r, W_cmp_closed));
    html_raw(b, "</p>");
  } else if (!c.n_years) {
    html_raw(b, "<p>");
    html_text(b, T(r, W_cmp_empty));
    html_raw(b, "</p>");
  } else {
    int years_int[64], n_years = 0, y_int = 0;
    for (int i = 0; i < c.n_years && n_years < 64; i++)
      if (school_year_parse(c.years[i], &years_int[n_years]) == 0) n_years++;
    school_year_parse(chosen, &y_int);
    year_filter(r, resp, "/vergelijking", years_int, n_years, y_int);
    html_table_open(b, T(r, W_nav_compare), "compare", "compare");
    html_text(b, T(r, W_nav_compare));
    html_raw(b, " ");
    html_text(b, chosen);
    html_raw(b, "</caption>");
    header_row(r, b, &c);
    html_raw(b, "<tbody>");
    for (size_t k = 0; k < sizeof lines / sizeof lines[0]; k++) {
      if (lines[k].kind == 'g') {
        group_row(r, b, &c, lines[k].label);
        continue;
      }
      html_raw(b, "<tr><th scope=\"row\">");
      html_text(b, T(r, lines[k].label));
      html_raw(b, "</th>");
      for (int s = 0; s < c.n_sources; s++)
        cell(r, b, &c, s, lines[k].table, lines[k].row, lines[k].col, lines[k].kind);
      html_raw(b, "</tr>");
    }
    /* the target groups each source has (codes may differ between services) */
    group_row(r, b, &c, W_ind4);
    for (size_t i = 0; i < c.n_values; i++) {
      const struct compare_value *v = &c.values[i];
      if (strcmp(v->table, "target_groups") || strcmp(v->col, "reach") || !strcmp(v->row, "total")) continue;
      int seen = 0;
      for (size_t j = 0; j < i && !seen; j++)
        seen = !strcmp(c.values[j].table, "target_groups") && !strcmp(c.values[j].col, "reach") &&
               !strcmp(c.values[j].row, v->row);
      if (seen) continue;
      html_raw(b, "<tr><th scope=\"row\">");
      html_text(b, v->row);
      html_raw(b, "</th>");
      for (int s = 0; s < c.n_sources; s++) cell(r, b, &c, s, "target_groups", v->row, "reach", 'n');
      html_raw(b, "</tr>");
    }
    html_raw(b, "</tbody></table></div><p class=\"hint muted\">");
    html_text(b, T(r, W_cmp_note));
    html_raw(b, "</p><ul class=\"muted\" id=\"compare-updated\">");
    for (int s = 0; s < c.n_sources; s++) {
      html_raw(b, "<li>");
      if (c.sources[s].anonymous) {
        html_text(b, T(r, W_cmp_service));
        html_raw(b, " ");
      }
      html_text(b, c.sources[s].name);
      html_raw(b, ": ");
      html_text(b, T(r, W_cmp_updated));
      html_raw(b, " ");
      char when[17] = "";
      time_t t;
      if (timestamp_parse(c.sources[s].updated_at, &t) == 0) datetime_brussels_format(t, when);
      html_text(b, when[0] ? when : "–");
      html_raw(b, "</li>");
    }
    html_raw(b, "</ul>");
  }
  page_end(r, resp);
  compare_free(&c);
}

void page_compare_share(struct request *r, struct response *resp) {
  const char *v = NULL;
  for (int i = 0; i < r->nform; i++)
    if (!strcmp(r->form[i].key, "delen")) v = r->form[i].value;
  int share = !v                      ? -1
              : !strcmp(v, "niet")    ? SHARE_NONE
              : !strcmp(v, "naam")    ? SHARE_NAMED
              : !strcmp(v, "anoniem") ? SHARE_ANONYMOUS
                                      : -1;
  if (share < 0 || !db_has_services(r->db)) {
    page_error(r, resp, 400);
    return;
  }
  if (service_set_share(r->db, share, r->user.login, r->now) != 0) {
    page_error(r, resp, 500);
    return;
  }
  resp_redirect(resp, "/vergelijking");
}

/* ---- Diensten: a platform service's admins manage the services ---- */

/* The connection's service, when it is a platform service; else a 404 in resp. */
static int platform_only(struct request *r, struct response *resp, struct service *me) {
  if (db_has_services(r->db) && service_get(r->db, NULL, db_service(r->db), me) == 1 && me->platform)
    return 1;
  page_error(r, resp, 404);
  return 0;
}

static void services_page(struct request *r, struct response *resp, const char *error, const char *done) {
  struct buf *b = &resp->body;
  struct service me, *all = NULL;
  int n = 0;
  if (!platform_only(r, resp, &me)) return;
  if (service_list(r->db, &all, &n) != 0) {
    page_error(r, resp, 500);
    return;
  }
  page_begin(r, resp, T(r, W_nav_services));
  if (error) {
    html_raw(b, "<p class=\"error\" role=\"alert\" id=\"services-error\">");
    html_text(b, error);
    html_raw(b, "</p>");
  } else if (done) {
    html_raw(b, "<p class=\"ok\" role=\"status\" id=\"services-done\">");
    html_text(b, done);
    html_raw(b, "</p>");
  }
  html_raw(b, "<p class=\"muted\">");
  html_text(b, T(r, W_svc_intro));
  html_raw(b, "</p>");
  html_table_open(b, T(r, W_nav_services), "services", "data cards");
  html_text(b, T(r, W_nav_services));
  html_raw(b, "</caption><thead><tr><th scope=\"col\">");
  html_text(b, T(r, W_svc_name));
  html_raw(b, "</th><th scope=\"col\">");
  html_text(b, T(r, W_svc_code));
  html_raw(b, "</th><th scope=\"col\">");
  html_text(b, T(r, W_svc_host));
  html_raw(b, "</th><th scope=\"col\">");
  html_text(b, T(r, W_status));
  html_raw(b, "</th><th scope=\"col\">");
  html_text(b, T(r, W_svc_sharing));
  html_raw(b, "</th><th scope=\"col\"></th></tr></thead><tbody>");
  static const enum word share_words[] = {W_svc_share_none, W_svc_share_named, W_svc_share_anonymous};
  for (int i = 0; i < n; i++) {
    const struct service *s = &all[i];
    html_raw(b, "<tr><td class=\"title\">");
    html_text(b, s->name);
    html_raw(b, "</td><td data-label=\"");
    html_attr(b, T(r, W_svc_code));
    html_raw(b, "\"><code>");
    html_text(b, s->code);
    html_raw(b, "</code></td><td data-label=\"");
    html_attr(b, T(r, W_svc_host));
    html_raw(b, "\">");
    html_text(b, s->host[0] ? s->host : "–");
    html_raw(b, "</td><td data-label=\"");
    html_attr(b, T(r, W_status));
    html_raw(b, "\">");
    html_text(b, T(r, s->suspended ? W_svc_suspended : W_svc_active));
    html_raw(b, "</td><td data-label=\"");
    html_attr(b, T(r, W_svc_sharing));
    html_raw(b, "\">");
    html_text(b, T(r, share_words[s->share]));
    html_raw(b, "</td><td>");
    if (s->id == me.id) {
      html_raw(b, "<span class=\"muted\">");
      html_text(b, T(r, W_svc_this_one));
      html_raw(b, "</span>");
    } else {
      html_raw(b, "<form method=\"post\" action=\"/diensten/status\">");
      csrf_field(r, resp);
      html_raw(b, "<input type=\"hidden\" name=\"code\" value=\"");
      html_attr(b, s->code);
      html_raw(b, "\"><input type=\"hidden\" name=\"status\" value=\"");
      html_attr(b, s->suspended ? "actief" : "opgeschort");
      html_raw(b, "\"><button type=\"submit\">");
      html_text(b, T(r, s->suspended ? W_svc_resume : W_svc_suspend));
      html_raw(b, "</button></form>");
    }
    html_raw(b, "</td></tr>");
  }
  html_raw(b, "</tbody></table></div><h2>");
  html_text(b, T(r, W_svc_add));
  html_raw(b, "</h2><form method=\"post\" action=\"/diensten\" class=\"stack\" id=\"service-add\">");
  csrf_field(r, resp);
  html_raw(b, "<label for=\"svc-name\">");
  html_text(b, T(r, W_svc_name));
  html_raw(
      b, "</label><input id=\"svc-name\" name=\"naam\" required maxlength=\"200\"><label for=\"svc-code\">");
  html_text(b, T(r, W_svc_code));
  html_raw(b, "</label><input id=\"svc-code\" name=\"code\" required maxlength=\"32\" "
              "pattern=\"[a-z0-9][a-z0-9\\-]*\" "
              "aria-describedby=\"svc-code-hint\"><small id=\"svc-code-hint\" class=\"muted\">");
  html_text(b, T(r, W_svc_code_hint));
  html_raw(b, "</small><label for=\"svc-host\">");
  html_text(b, T(r, W_svc_host));
  html_raw(b, "</label><input id=\"svc-host\" name=\"host\" maxlength=\"253\" inputmode=\"url\" "
              "autocapitalize=\"off\" spellcheck=\"false\"><button type=\"submit\">");
  html_text(b, T(r, W_svc_add));
  html_raw(b, "</button></form>");
  page_end(r, resp);
  free(all);
}

static const char *form_value(const struct request *r, const char *key) {
  for (int i = 0; i < r->nform; i++)
    if (!strcmp(r->form[i].key, key)) return r->form[i].value;
  return NULL;
}

void page_services(struct request *r, struct response *resp) { services_page(r, resp, NULL, NULL); }

void page_services_add(struct request *r, struct response *resp) {
  struct service me;
  if (!platform_only(r, resp, &me)) return;
  const char *code = form_value(r, "code"), *name = form_value(r, "naam"), *host = form_value(r, "host");
  char err[512] = "";
  if (!code || !name ||
      service_platform_add(r->db, code, name, host ? host : "", r->user.login, r->now, err, sizeof err) !=
          0) {
    resp->status = 400;
    services_page(r, resp, err[0] ? err : T(r, W_svc_missing), NULL);
    resp->status = 400;
    return;
  }
  services_page(r, resp, NULL, T(r, W_svc_added));
}

void page_services_status(struct request *r, struct response *resp) {
  struct service me;
  if (!platform_only(r, resp, &me)) return;
  const char *code = form_value(r, "code"), *status = form_value(r, "status");
  char err[512] = "";
  int suspended = status && !strcmp(status, "opgeschort");
  if (!code || !status || (!suspended && strcmp(status, "actief")) ||
      service_platform_status(r->db, code, suspended, r->user.login, r->now, err, sizeof err) != 0) {
    resp->status = 400;
    services_page(r, resp, err[0] ? err : T(r, W_svc_missing), NULL);
    resp->status = 400;
    return;
  }
  resp_redirect(resp, "/diensten");
}
