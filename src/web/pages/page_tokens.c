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

static void day_cell(const struct request *r, struct buf *b, struct db_stmt *st, int col) {
  char s[32] = "–";
  if (!db_col_is_null(st, col)) fmt_date_text(r, (int32_t)(db_col_int64(st, col) / 86400), s, sizeof s);
  html_raw(b, "<td>");
  html_text(b, s);
  html_raw(b, "</td>");
}

static void show(struct request *r, struct response *resp, const char *new_token, const char *error) {
  struct buf *b = &resp->body;
  page_begin(r, resp, T(r, "nav_tokens"));
  if (new_token) {
    html_raw(b, "<div class=\"saved\" role=\"status\"><p>");
    html_text(b, T(r, "token_once"));
    html_raw(b, "</p><p><code id=\"new-token\">");
    html_text(b, new_token);
    html_raw(b, "</code></p></div>");
  }
  if (error) {
    html_raw(b, "<p class=\"error\" role=\"alert\">");
    html_text(b, error);
    html_raw(b, "</p>");
  }
  struct db_stmt *cnt = db_prepare(r->db, "SELECT COUNT(*) FROM api_token WHERE user_id = ?");
  int64_t n_tokens = 0;
  if (cnt) {
    db_bind_int64(cnt, 1, r->user.id);
    if (db_step(cnt) == DB_ROW) n_tokens = db_col_int64(cnt, 0);
    db_finalize(cnt);
  }
  if (n_tokens == 0) {
    html_raw(b, "<p class=\"muted\">");
    html_text(b, T(r, "token_none"));
    html_raw(b, "</p>");
  } else {
    html_raw(b, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
    html_attr(b, T(r, "nav_tokens"));
    html_raw(b, "\"><table><caption>");
    html_text(b, T(r, "nav_tokens"));
    html_raw(b, "</caption><thead><tr>");
    static const char *const heads[] = {"token_label", "token_created", "token_expires",
                                        "token_used",  "status",        "action"};
    for (int k = 0; k < 6; k++) {
      html_raw(b, "<th scope=\"col\">");
      html_text(b, T(r, heads[k]));
      html_raw(b, "</th>");
    }
    html_raw(b, "</tr></thead><tbody>");
    struct db_stmt *st = db_prepare(r->db, "SELECT id, label, created_at, expires_at, last_used, revoked_at "
                                           "FROM api_token WHERE user_id = ? ORDER BY id");
    if (st) {
      db_bind_int64(st, 1, r->user.id);
      while (db_step(st) == DB_ROW) {
        int revoked = !db_col_is_null(st, 5);
        int expired = !db_col_is_null(st, 3) && db_col_int64(st, 3) <= r->now;
        html_raw(b, "<tr><td>");
        html_text(b, db_col_text(st, 1));
        html_raw(b, "</td>");
        day_cell(r, b, st, 2);
        day_cell(r, b, st, 3);
        day_cell(r, b, st, 4);
        html_raw(b, "<td>");
        html_text(b, T(r, revoked ? "token_revoked" : expired ? "token_expired" : "token_active"));
        html_raw(b, "</td><td>");
        if (!revoked) {
          char id[24];
          snprintf(id, sizeof id, "%lld", (long long)db_col_int64(st, 0));
          html_raw(b, "<form method=\"post\" action=\"/api-sleutels/intrekken\">");
          csrf_field(r, resp);
          html_raw(b, "<input type=\"hidden\" name=\"id\" value=\"");
          html_attr(b, id);
          html_raw(b, "\"><button type=\"submit\" class=\"danger\">");
          html_text(b, T(r, "token_revoke"));
          html_raw(b, "</button></form>");
        }
        html_raw(b, "</td></tr>");
      }
      db_finalize(st);
    }
    html_raw(b, "</tbody></table></div>");
  }
  html_raw(b, "<h2>");
  html_text(b, T(r, "token_new"));
  html_raw(b, "</h2><form method=\"post\" action=\"/api-sleutels\" class=\"record\">");
  csrf_field(r, resp);
  html_raw(b, "<div><label for=\"label\">");
  html_text(b, T(r, "token_label"));
  html_raw(b, "</label><input id=\"label\" name=\"label\" maxlength=\"100\" required></div><div><label "
              "for=\"expires\">");
  html_text(b, T(r, "token_expires"));
  html_raw(b, "</label><input type=\"date\" id=\"expires\" name=\"expires\"></div><button type=\"submit\">");
  html_text(b, T(r, "token_create"));
  html_raw(b, "</button></form><p class=\"muted\">");
  html_text(b, T(r, "token_help"));
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
      show(r, resp, NULL, T(r, "token_bad_date"));
      return;
    }
    expires = ((int64_t)day + 1) * 86400;
  }
  char token[API_TOKEN_LEN + 1], err[256];
  if (!label || !*label || strlen(label) > 100 || (expires && expires <= r->now)) {
    resp->status = 422;
    show(r, resp, NULL, T(r, expires && expires <= r->now ? "token_bad_date" : "token_need_label"));
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
