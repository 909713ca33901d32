/* SPDX-License-Identifier: EUPL-1.2 */
/* Log in and out (with a password, or through the organisation's provider: http/oidc.h), the start page, the
 * language switch, /healthz and the stylesheet. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/seclog.h"
#include "core/util.h"
#include "db/db.h"
#include "http/auth.h"
#include "http/oidc.h"
#include "render/html.h"
#include "web/pages/pages.h"

/* Only local paths are followed after login (no open redirect). */
static const char *safe_next(const char *next) { return http_safe_next(next); }

static void login_form(struct request *r, struct response *resp, const char *message) {
  struct buf *b = &resp->body;
  const struct oidc_config *oc = oidc_active();
  int folded = oc && !oc->local_passwords;
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
  const char *next = safe_next(req_query(r, "next") ? req_query(r, "next") : req_form(r, "next"));
  if (oc) { /* the organisation's provider first: most users sign in there */
    html_raw(b,
             "<p class=\"oidc\"><a class=\"button oidc-login\" id=\"oidc-login\" href=\"/login/oidc?next=");
    html_url(b, next); /* percent-encoded: nothing left for the attribute to escape */
    html_raw(b, "\">");
    html_text(b, T(r, W_oidc_login_with));
    html_raw(b, " ");
    html_text(b, oc->name);
    html_raw(b, "</a></p>");
    if (folded) {
      html_raw(b, "<details class=\"emergency\" id=\"emergency\"");
      html_raw_if(b, message, " open>", ">");
      html_raw(b, "<summary>");
      html_text(b, T(r, W_oidc_emergency));
      html_raw(b, "</summary><p class=\"hint\">");
      html_text(b, T(r, W_oidc_emergency_note));
      html_raw(b, "</p>");
    } else {
      html_raw(b, "<p class=\"hint\">");
      html_text(b, T(r, W_oidc_or_password));
      html_raw(b, "</p>");
    }
  }
  html_raw(b, "<form method=\"post\" action=\"/login\" class=\"stack\">");
  csrf_field(r, resp);
  html_raw(b, "<input type=\"hidden\" name=\"next\" value=\"");
  html_attr(b, next);
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
  if (folded) html_raw(b, "</details>");
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
  /* a provider sign-in also ends the provider's session where it offers that
     (RP-initiated logout), and comes back to /login */
  char *id_token = xmalloc(8192), *url = xmalloc(sizeof resp->location);
  int to_provider = auth_session_id_token(r->db, r->session_cookie, id_token, 8192) &&
                    oidc_logout_url(id_token, url, sizeof resp->location);
  auth_logout(r->db, r->session_cookie);
  resp_cookie(resp, r, COOKIE_NAME(r->https, COOKIE_SESSION), "", 0);
  resp->clear_site_data = 1;
  resp_redirect(resp, to_provider ? url : "/login");
  free(id_token);
  free(url);
}

/* ---- signing in with the organisation's account (http/oidc.h) ---- */

static enum word refusal_word(enum oidc_refusal why) {
  switch (why) {
  case OIDC_R_STATE:
    return W_oidc_why_state;
  case OIDC_R_UNAVAILABLE:
    return W_oidc_why_unavailable;
  case OIDC_R_PROVIDER_ERROR:
    return W_oidc_why_provider;
  case OIDC_R_CLAIM:
    return W_oidc_why_claim;
  case OIDC_R_UNKNOWN_ACCOUNT:
    return W_oidc_why_unknown;
  case OIDC_R_PENDING:
    return W_oidc_why_pending;
  case OIDC_R_INACTIVE:
    return W_oidc_why_inactive;
  case OIDC_R_ERROR:
    return W_err500;
  default:
    return W_oidc_why_token;
  }
}

/* The clear page of a refused sign-in, and its security-log line. */
static void oidc_refused(struct request *r, struct response *resp, enum oidc_refusal why, const char *detail,
                         const char *login) {
  const struct oidc_config *oc = oidc_active();
  seclog_event("oidc.refused", "reason", oidc_refusal_name(why), "detail", detail, "login", login);
  resp->status = why == OIDC_R_UNAVAILABLE || why == OIDC_R_ERROR                                   ? 503
                 : why == OIDC_R_PENDING || why == OIDC_R_INACTIVE || why == OIDC_R_UNKNOWN_ACCOUNT ? 403
                                                                                                    : 401;
  if (why == OIDC_R_UNAVAILABLE) resp->retry_after = 60;
  resp_cookie(resp, r, COOKIE_NAME(r->https, COOKIE_OIDC), "", 0);
  struct buf *b = &resp->body;
  char title[256];
  snprintf(title, sizeof title, "%s %s %s", T(r, W_oidc_refused_pre), oc ? oc->name : "",
           T(r, W_oidc_refused_post));
  page_begin(r, resp, title);
  html_raw(b, "<div class=\"oidc-refused\" id=\"oidc-refused\" role=\"alert\"><p class=\"error\">");
  html_text(b, T(r, refusal_word(why)));
  html_raw(b, "</p><p class=\"hint\">");
  html_text(b, T(r, W_oidc_reason));
  html_raw(b, ": <code id=\"oidc-reason\">");
  html_text(b, oidc_refusal_name(why));
  html_raw(b, "</code></p></div><p><a class=\"button\" href=\"/login\">");
  html_text(b, T(r, W_oidc_again));
  html_raw(b, "</a></p>");
  page_end(r, resp);
}

void page_oidc_start(struct request *r, struct response *resp) {
  if (!oidc_active()) {
    page_error(r, resp, 404);
    return;
  }
  char state[64], detail[256] = "";
  enum oidc_refusal why = oidc_begin(r->db, safe_next(req_query(r, "next")), r->now, resp->location,
                                     sizeof resp->location, state, detail, sizeof detail);
  if (why != OIDC_OK) {
    resp->location[0] = 0;
    oidc_refused(r, resp, why, detail, NULL);
    return;
  }
  /* binds the sign-in to this browser: the callback must bring the same state back */
  resp_cookie(resp, r, COOKIE_NAME(r->https, COOKIE_OIDC), state, 600);
  resp->status = 303;
}

void page_oidc_callback(struct request *r, struct response *resp) {
  const struct oidc_config *oc = oidc_active();
  if (!oc) {
    page_error(r, resp, 404);
    return;
  }
  struct oidc_callback cb = {.code = req_query(r, "code"),
                             .state = req_query(r, "state"),
                             .error = req_query(r, "error"),
                             .iss = req_query(r, "iss"),
                             .cookie_state = r->oidc_cookie};
  struct oidc_identity *id = xmalloc(sizeof *id);
  char detail[256] = "", login[128] = "";
  enum oidc_refusal why = oidc_finish(r->db, &cb, r->now, id, detail, sizeof detail);
  if (why == OIDC_OK) {
    struct oidc_login_request q = {.value = id->value,
                                   .id_token = id->id_token,
                                   .addr = r->addr,
                                   .old_session_id = r->session_cookie,
                                   .claim_email = oc->claim == OIDC_CLAIM_EMAIL,
                                   .approve_unknown = oc->unknown == OIDC_UNKNOWN_APPROVE,
                                   .now = r->now};
    struct login_outcome o;
    why = (enum oidc_refusal)auth_oidc_login(r->db, &q, &o, login, sizeof login);
    if (why == OIDC_OK) {
      login_cookies(r, resp, o.session_id, NULL);
      resp_cookie(resp, r, COOKIE_NAME(r->https, COOKIE_OIDC), "", 0);
      resp_redirect(resp, safe_next(id->next));
      sodium_memzero(&o, sizeof o);
      free(id);
      return;
    }
    /* the admin links an unknown account by this value (bereik oidc link) */
    if (why == OIDC_R_UNKNOWN_ACCOUNT) snprintf(detail, sizeof detail, "no user linked to %.200s", id->value);
  }
  oidc_refused(r, resp, why, detail, login[0] ? login : NULL);
  free(id);
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
