/* SPDX-License-Identifier: EUPL-1.2 */
/* API-sleutels: a logged-in user's own personal API tokens (docs/API.md). The list
   shows label, dates and state; a new token is shown once, right after it is made (the
   database keeps only its hash); revoking ends it at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "db/db.h"
#include "http/auth.h"
#include "render/html.h"
#include "web/pages/pages.h"

static void day_cell(const struct request *r, struct buf *b, int64_t t) {
  char s[32] = "–";
  if (t) fmt_date_text(r, date_brussels((time_t)t), s, sizeof s);
  html_raw(b, "<td>");
  html_text(b, s);
  html_raw(b, "</td>");
}

struct token_page {
  struct request *r;
  struct response *resp;
};

static void token_row(void *ctx, const struct api_token_row *t) {
  struct token_page *p = ctx;
  struct request *r = p->r;
  struct buf *b = &p->resp->body;
  int revoked = t->revoked_at != 0;
  int expired = t->expires_at && t->expires_at <= r->now;
  html_raw(b, "<tr><td>");
  html_text(b, t->label);
  html_raw(b, "</td>");
  day_cell(r, b, t->created_at);
  day_cell(r, b, t->expires_at);
  day_cell(r, b, t->last_used);
  html_raw(b, "<td>");
  html_text(b, T(r, revoked ? W_token_revoked : expired ? W_token_expired : W_token_active));
  html_raw(b, "</td><td>");
  if (!revoked) {
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)t->id);
    html_raw(b, "<form method=\"post\" action=\"/api-sleutels/intrekken\">");
    csrf_field(r, p->resp);
    html_raw(b, "<input type=\"hidden\" name=\"id\" value=\"");
    html_attr(b, id);
    html_raw(b, "\"><button type=\"submit\" class=\"danger\">");
    html_text(b, T(r, W_token_revoke));
    html_raw(b, "</button></form>");
  }
  html_raw(b, "</td></tr>");
}

static void show(struct request *r, struct response *resp, const char *new_token, const char *error) {
  struct buf *b = &resp->body;
  page_begin(r, resp, T(r, W_nav_tokens));
  if (new_token) {
    html_raw(b, "<div class=\"saved\" role=\"status\"><p>");
    html_text(b, T(r, W_token_once));
    html_raw(b, "</p><p><code id=\"new-token\">");
    html_text(b, new_token);
    html_raw(b, "</code></p></div>");
  }
  if (error) {
    html_raw(b, "<p class=\"error\" role=\"alert\">");
    html_text(b, error);
    html_raw(b, "</p>");
  }
  int n_tokens = api_tokens_list(r->db, r->user.id, NULL, NULL);
  if (n_tokens <= 0) {
    html_raw(b, "<p class=\"muted\">");
    html_text(b, T(r, W_token_none));
    html_raw(b, "</p>");
  } else {
    html_table_open(b, T(r, W_nav_tokens), NULL, NULL);
    html_text(b, T(r, W_nav_tokens));
    html_raw(b, "</caption><thead><tr>");
    static const enum word heads[] = {W_token_label, W_token_created, W_token_expires,
                                      W_token_used,  W_status,        W_action};
    for (int k = 0; k < 6; k++) {
      html_raw(b, "<th scope=\"col\">");
      html_text(b, T(r, heads[k]));
      html_raw(b, "</th>");
    }
    html_raw(b, "</tr></thead><tbody>");
    struct token_page p = {r, resp};
    api_tokens_list(r->db, r->user.id, token_row, &p);
    html_raw(b, "</tbody></table></div>");
  }
  html_raw(b, "<h2>");
  html_text(b, T(r, W_token_new));
  html_raw(b, "</h2><form method=\"post\" action=\"/api-sleutels\" class=\"record\">");
  csrf_field(r, resp);
  html_raw(b, "<div><label for=\"label\">");
  html_text(b, T(r, W_token_label));
  html_raw(b, "</label><input id=\"label\" name=\"label\" maxlength=\"100\" required></div><div><label "
              "for=\"expires\">");
  html_text(b, T(r, W_token_expires));
  html_raw(b, "</label><input type=\"date\" id=\"expires\" name=\"expires\"></div><button type=\"submit\">");
  html_text(b, T(r, W_token_create));
  html_raw(b, "</button></form><p class=\"muted\">");
  html_text(b, T(r, W_token_help));
  html_raw(b, "</p>");
  page_end(r, resp);
}

void page_tokens(struct request *r, struct response *resp) { show(r, resp, NULL, NULL); }

void page_tokens_create(struct request *r, struct response *resp) {
  const char *label = req_form(r, "label"), *exp = req_form(r, "expires");
  int64_t expires = 0;
  int32_t day;
  if (exp && *exp) {
    if (date_parse(exp, &day) != 0) {
      resp->status = 422;
      show(r, resp, NULL, T(r, W_token_bad_date));
      return;
    }
    expires = ((int64_t)day + 1) * 86400;
  }
  char token[API_TOKEN_LEN + 1], err[256];
  if (!label || !*label || strlen(label) > 100 || (expires && expires <= r->now)) {
    resp->status = 422;
    show(r, resp, NULL, T(r, expires && expires <= r->now ? W_token_bad_date : W_token_need_label));
    return;
  }
  if (api_token_create(r->db, r->user.login, label, expires, r->now, token, err, sizeof err) != 0) {
    page_error(r, resp, 500);
    return;
  }
  show(r, resp, token, NULL);
}

void page_tokens_revoke(struct request *r, struct response *resp) {
  const char *id = req_form(r, "id");
  char *end = NULL;
  long long v = id ? strtoll(id, &end, 10) : 0;
  int rc = id && end && !*end && v > 0 ? api_token_revoke(r->db, r->user.id, v, r->now) : 1;
  if (rc == 0)
    resp_redirect(resp, "/api-sleutels");
  else
    page_error(r, resp, rc == 1 ? 404 : 500);
}
