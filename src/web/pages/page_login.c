/* SPDX-License-Identifier: EUPL-1.2 */
/* Log in and out, the start page, the language switch, /healthz and the stylesheet. */
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "http/auth.h"
#include "render/html.h"
#include "web/pages/pages.h"

/* Only local paths are followed after login (no open redirect). */
static const char *safe_next(const char *next) { return http_safe_next(next); }

static void login_form(struct request *r, struct response *resp, const char *message) {
  struct buf *b = &resp->body;
  page_begin(r, resp, T(r, W_login));
  if (!installation_flag(r->db, "totp_required_for_admins", 1)) {
    html_raw(b, "<p class=\"note\">");
    html_text(b, T(r, W_demo_totp_off));
    html_raw(b, "</p>");
  }
  if (message) {
    html_raw(b, "<p class=\"error\" role=\"alert\" id=\"login-error\">");
    html_text(b, message);
    html_raw(b, "</p>");
  }
  html_raw(b, "<form method=\"post\" action=\"/login\" class=\"stack\">");
  csrf_field(r, resp);
  html_raw(b, "<input type=\"hidden\" name=\"next\" value=\"");
  html_attr(b, safe_next(req_query(r, "next") ? req_query(r, "next") : req_form(r, "next")));
  html_raw(b, "\"><label for=\"login\">");
  html_text(b, T(r, W_login_name));
  html_raw(b, "</label><input id=\"login\" name=\"login\" autocomplete=\"username\" required value=\"");
  html_attr(b, req_form(r, "login") ? req_form(r, "login") : "");
  html_raw(b, "\"><label for=\"password\">");
  html_text(b, T(r, W_password));
  html_raw(
      b,
      "</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" "
      "required><label for=\"code\">");
  html_text(b, T(r, W_totp_code));
  html_raw(b, "</label><input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" "
              "pattern=\"[0-9]{6}\"><button type=\"submit\">");
  html_text(b, T(r, W_login));
  html_raw(b, "</button></form>");
  page_end(r, resp);
}

void page_login_get(struct request *r, struct response *resp) {
  if (r->logged_in) {
    resp_redirect(resp, "/");
    return;
  }
  login_form(r, resp, NULL);
}

/* The cookies of a successful login: a fresh session id (never a value the browser
   sent: a cookie planted before login is replaced), the device cookie of a new device,
   and the pre-session CSRF cookie removed. */
void login_cookies(struct request *r, struct response *resp, const char *sid, const char *device) {
  resp_cookie(resp, r, COOKIE_NAME(r->https, COOKIE_SESSION), sid, -1);
  if (device && *device)
    resp_cookie(resp, r, COOKIE_NAME(r->https, COOKIE_DEVICE), device, (int)DEVICE_COOKIE_SECONDS);
  if (r->pre_cookie) resp_cookie(resp, r, COOKIE_NAME(r->https, COOKIE_PRE), "", 0);
}

void page_login_post(struct request *r, struct response *resp) {
  struct login_request q = {.login = req_form(r, "login"),
                            .password = req_form(r, "password"),
                            .code = req_form(r, "code"),
                            .addr = r->addr,
                            .device_cookie = r->device_cookie,
                            .old_session_id = r->session_cookie,
                            .now = r->now};
  struct login_outcome o;
  int rc = auth_login(r->db, &q, &o);
  if (rc == LOGIN_OK) {
    login_cookies(r, resp, o.session_id, o.device);
    resp_redirect(resp, safe_next(req_form(r, "next")));
    return;
  }
  if (rc == LOGIN_NEED_SETUP) {
    totp_setup_page(r, resp, o.user_id, o.setup_ticket, NULL);
    return;
  }
  resp->status = rc == LOGIN_THROTTLED ? 429 : rc == LOGIN_BUSY ? 503 : rc == LOGIN_ERROR ? 500 : 401;
  if (rc == LOGIN_THROTTLED || rc == LOGIN_BUSY) resp->retry_after = o.retry_after;
  login_form(r, resp,
             T(r, rc == LOGIN_THROTTLED   ? W_login_throttled
                  : rc == LOGIN_BUSY      ? W_login_busy
                  : rc == LOGIN_BAD       ? W_login_bad
                  : rc == LOGIN_NEED_CODE ? W_login_need_code
                                          : W_err500));
}

void page_logout(struct request *r, struct response *resp) {
  auth_logout(r->db, r->session_cookie);
  resp_cookie(resp, r, COOKIE_NAME(r->https, COOKIE_SESSION), "", 0);
  resp->clear_site_data = 1;
  resp_redirect(resp, "/login");
}

void page_home(struct request *r, struct response *resp) {
  resp_redirect(resp, r->user.role == ROLE_ADVISOR ? "/week" : "/dashboard");
}

void page_language(struct request *r, struct response *resp) {
  const char *lang = req_form(r, "lang");
  resp_cookie(resp, r, "bereik_lang", lang && !strcmp(lang, "en") ? "en" : "nl", 365 * 24 * 3600);
  resp_redirect(resp, safe_next(req_form(r, "next")));
}

void page_healthz(struct request *r, struct response *resp) {
  resp->content_type = "text/plain; charset=utf-8";
  if (db_ping(r->db)) {
    buf_puts(&resp->body, "ok\n");
  } else {
    resp->status = 503;
    buf_puts(&resp->body, "database unavailable\n");
  }
}
