/* SPDX-License-Identifier: EUPL-1.2 */
/* Beheer > Gebruikers (admins): the accounts with their role, advisor, second factor and
   state; adding an account (password rules of auth.h); switching one off or on (which
   also ends its sessions); resetting a password (ends its sessions and device cookies);
   which roles must use a second factor. Every change writes an audit entry (never the
   password hash) and a security event line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/escape.h"
#include "core/seclog.h"
#include "db/db.h"
#include "domain/audit.h"
#include "http/auth.h"
#include "render/html.h"
#include "web/pages/pages.h"

static int audit_user(struct request *r, const char *action, const char *login, const char *after) {
  return audit_write(r->db, r->now, r->user.login, action, "user", login, NULL, after, NULL);
}

struct users_page {
  struct request *r;
  struct response *resp;
};

/* A role as people read it: begeleider, coördinator, directeur, beheerder. */
static const char *role_word(const struct request *r, int role) {
  static const enum word words[ROLE_NONE] = {W_role_advisor, W_role_coordinator, W_role_director,
                                             W_role_admin};
  return role >= 0 && role < ROLE_NONE ? T(r, words[role]) : "";
}

static void user_row(void *ctx, const struct user_row *u) {
  struct users_page *p = ctx;
  struct request *r = p->r;
  struct buf *b = &p->resp->body;
  const char *login = u->login;
  int active = u->active;
  html_raw(b, "<tr><th scope=\"row\">");
  html_text(b, login);
  if (u->pending) { /* beside the name too: on a phone the status column is off to the side */
    html_raw(b, "<small class=\"pending\">");
    html_text(b, T(r, W_oidc_pending_user));
    html_raw(b, "</small>");
  }
  html_raw(b, "</th><td>");
  int role = parse_role(u->role);
  html_text(b, role == ROLE_NONE ? u->role : role_word(r, role));
  html_raw(b, "</td><td>");
  html_text(b, u->advisor_code ? u->advisor_code : "–");
  html_raw(b, "</td><td>");
  html_text(b, T(r, u->has_totp ? W_yes : W_no));
  html_raw(b, "</td><td>");
  html_text(b, T(r, active ? W_active : u->pending ? W_oidc_pending_user : W_inactive));
  html_raw(b, "</td><td>");
  /* one's own account cannot be switched off (the server refuses it as well) */
  if (!strcmp(login, r->user.login)) {
    html_raw(b, "<span class=\"muted\">");
    html_text(b, T(r, W_your_account));
    html_raw(b, "</span></td></tr>");
    return;
  }
  html_raw(b, "<form method=\"post\" action=\"/beheer/gebruikers/actief\">");
  csrf_field(r, p->resp);
  html_raw(b, "<input type=\"hidden\" name=\"login\" value=\"");
  html_attr(b, login);
  html_raw(b, "\"><input type=\"hidden\" name=\"actief\" value=\"");
  html_attr(b, active ? "nee" : "ja");
  html_raw(b, "\"><button type=\"submit\">");
  html_text(b, T(r, active ? W_deactivate : W_activate));
  html_raw(b, " ");
  html_text(b, login);
  html_raw(b, "</button></form></td></tr>");
}

static void list(struct request *r, struct response *resp, const char *message, int is_error) {
  struct buf *b = &resp->body;
  page_begin(r, resp, T(r, W_nav_users));
  if (message) {
    html_raw_if(b, is_error, "<p class=\"error\" role=\"alert\">", "<p class=\"saved\" role=\"status\">");
    html_text(b, message);
    html_raw(b, "</p>");
  }
  html_table_open(b, T(r, W_nav_users), NULL, NULL);
  html_text(b, T(r, W_nav_users));
  html_raw(b, "</caption><thead><tr>");
  static const enum word heads[] = {W_login_name, W_role, W_advisor, W_second_factor, W_status, W_action};
  for (int k = 0; k < 6; k++) {
    html_raw(b, "<th scope=\"col\">");
    html_text(b, T(r, heads[k]));
    html_raw(b, "</th>");
  }
  html_raw(b, "</tr></thead><tbody>");
  struct users_page p = {r, resp};
  users_list(r->db, user_row, &p);
  html_raw(b, "</tbody></table></div><h2>");
  html_text(b, T(r, W_add_user));
  html_raw(b, "</h2><form method=\"post\" action=\"/beheer/gebruikers\" class=\"stack\">");
  csrf_field(r, resp);
  html_raw(b, "<label for=\"new-login\">");
  html_text(b, T(r, W_login_name));
  html_raw(b, "</label><input id=\"new-login\" name=\"login\" required autocomplete=\"off\" value=\"");
  html_attr(b, req_form(r, "login") && is_error ? req_form(r, "login") : "");
  html_raw(b, "\"><label for=\"new-role\">");
  html_text(b, T(r, W_role));
  html_raw(b, "</label><select id=\"new-role\" name=\"role\">");
  for (int k = 0; k < ROLE_NONE; k++) {
    html_raw(b, "<option value=\"");
    html_attr(b, role_name(k));
    html_raw(b, "\">");
    html_text(b, role_word(r, k));
    html_raw(b, "</option>");
  }
  html_raw(b, "</select><label for=\"new-advisor\">");
  html_text(b, T(r, W_advisor_code));
  html_raw(
      b,
      "</label><input id=\"new-advisor\" name=\"advisor\" autocomplete=\"off\"><label for=\"new-password\">");
  html_text(b, T(r, W_password));
  html_raw(
      b,
      "</label><input id=\"new-password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" "
      "minlength=\"12\" required><button type=\"submit\">");
  html_text(b, T(r, W_add_user));
  html_raw(b, "</button></form><h2>");
  html_text(b, T(r, W_reset_password));
  html_raw(b, "</h2><form method=\"post\" action=\"/beheer/gebruikers/wachtwoord\" class=\"stack\">");
  csrf_field(r, resp);
  html_raw(b, "<label for=\"reset-login\">");
  html_text(b, T(r, W_login_name));
  html_raw(b, "</label><input id=\"reset-login\" name=\"login\" required autocomplete=\"off\"><label "
              "for=\"reset-password\">");
  html_text(b, T(r, W_password_new));
  html_raw(b, "</label><input id=\"reset-password\" name=\"password\" type=\"password\" "
              "autocomplete=\"new-password\" minlength=\"12\" required><button type=\"submit\">");
  html_text(b, T(r, W_reset_password));
  html_raw(b, "</button></form><h2>");
  html_text(b, T(r, W_totp_required_title));
  html_raw(b, "</h2><form method=\"post\" action=\"/beheer/gebruikers/tweede-factor\" class=\"record\">");
  csrf_field(r, resp);
  html_raw(b, "<fieldset><legend>");
  html_text(b, T(r, W_roles));
  html_raw(b, "</legend>");
  for (int k = 0; k < ROLE_NONE; k++) {
    html_raw(b, "<label><input type=\"checkbox\" name=\"rol\" value=\"");
    html_attr(b, role_name(k));
    html_raw_if(b, totp_required(r->db, k), "\" checked> ", "\"> ");
    html_text(b, role_word(r, k));
    html_raw(b, "</label>");
  }
  html_raw(b, "</fieldset><button type=\"submit\">");
  html_text(b, T(r, W_save));
  html_raw(b, "</button></form>");
  page_end(r, resp);
}

void page_users(struct request *r, struct response *resp) { list(r, resp, NULL, 0); }

void page_users_add(struct request *r, struct response *resp) {
  char err[512] = "";
  const char *login = req_form(r, "login"), *role = req_form(r, "role"), *advisor = req_form(r, "advisor");
  enum password_verdict v = PW_OK;
  enum user_fault fault =
      user_create(r->db, login, role, advisor, req_form(r, "password"), &v, err, sizeof err);
  if (fault == USER_FAILED) {
    page_error(r, resp, 500);
    return;
  }
  if (fault != USER_OK) {
    resp->status = 422;
    list(r, resp,
         T(r, fault == USER_BAD_LOGIN         ? W_user_bad_login
              : fault == USER_BAD_ROLE        ? W_user_bad_role
              : fault == USER_UNKNOWN_ADVISOR ? W_user_unknown_advisor
              : fault == USER_EXISTS          ? W_user_exists
              : v == PW_TOO_SHORT             ? W_pw_too_short
              : v == PW_TOO_LONG              ? W_pw_too_long
              : v == PW_NOT_UTF8              ? W_pw_not_utf8
                                              : W_pw_weak),
         1);
    return;
  }
  struct buf after = {0};
  buf_puts(&after, "{\"login\": ");
  escape_json(&after, login);
  buf_puts(&after, ", \"role\": ");
  escape_json(&after, role);
  buf_puts(&after, ", \"advisor\": ");
  escape_json(&after, advisor);
  buf_puts(&after, "}");
  audit_user(r, "create", login, buf_str(&after));
  buf_free(&after);
  resp_redirect(resp, "/beheer/gebruikers");
}

void page_users_active(struct request *r, struct response *resp) {
  const char *login = req_form(r, "login"), *on = req_form(r, "actief");
  if (!login || !on || (strcmp(on, "ja") && strcmp(on, "nee"))) {
    page_error(r, resp, 400);
    return;
  }
  if (!strcmp(login, r->user.login) && !strcmp(on, "nee")) { /* no admin locks themselves out */
    resp->status = 409;
    list(r, resp, T(r, W_not_yourself), 1);
    return;
  }
  int rc = user_set_active(r->db, login, !strcmp(on, "ja"), r->user.login, r->now);
  if (rc == 0) {
    resp_redirect(resp, "/beheer/gebruikers");
  } else if (rc == 1) { /* nothing written, nothing audited */
    resp->status = 404;
    list(r, resp, T(r, W_unknown_login), 1);
  } else {
    page_error(r, resp, 500);
  }
}

void page_users_password(struct request *r, struct response *resp) {
  const char *login = req_form(r, "login");
  enum password_verdict v = PW_OK;
  char err[256];
  int rc =
      auth_password_reset(r->db, login, req_form(r, "password"), r->user.login, r->now, &v, err, sizeof err);
  if (rc < 0) {
    page_error(r, resp, 500);
    return;
  }
  resp->status = rc == 0 ? 200 : rc == 1 ? 404 : 422;
  list(r, resp,
       T(r, rc == 0             ? W_pw_reset_done
            : rc == 1           ? W_unknown_login
            : v == PW_TOO_SHORT ? W_pw_too_short
            : v == PW_TOO_LONG  ? W_pw_too_long
            : v == PW_NOT_UTF8  ? W_pw_not_utf8
                                : W_pw_weak),
       rc != 0);
}

/* Which roles must use a second factor: one installation setting per role. */
void page_users_totp_rules(struct request *r, struct response *resp) {
  int want[ROLE_NONE] = {0};
  for (int i = 0; i < r->nform; i++)
    if (!strcmp(r->form[i].key, "rol")) {
      int k = parse_role(r->form[i].value);
      if (k == ROLE_NONE) {
        page_error(r, resp, 400);
        return;
      }
      want[k] = 1;
    }
  struct buf before = {0}, after = {0};
  buf_puts(&before, "{");
  buf_puts(&after, "{");
  int ok = db_begin_write_quiet(r->db) == DB_OK;
  for (int k = 0; ok && k < ROLE_NONE; k++) {
    char key[64];
    snprintf(key, sizeof key, "totp_required_for_%ss", role_name(k));
    buf_printf(&before, "%s\"%s\": %s", k ? ", " : "", role_name(k),
               totp_required(r->db, k) ? "true" : "false");
    buf_printf(&after, "%s\"%s\": %s", k ? ", " : "", role_name(k), want[k] ? "true" : "false");
    ok = installation_set(r->db, key, want[k] ? "true" : "false") == 0;
  }
  buf_puts(&before, "}");
  buf_puts(&after, "}");
  if (ok)
    ok = audit_write(r->db, r->now, r->user.login, "update", "totp_required", "roles", buf_str(&before),
                     buf_str(&after), NULL) == 0;
  if (ok && db_commit(r->db) == DB_OK) {
    seclog_event("totp.policy_changed", "by", r->user.login, "required", buf_str(&after));
    list(r, resp, T(r, W_totp_required_saved), 0);
  } else {
    db_rollback(r->db);
    page_error(r, resp, 500);
  }
  buf_free(&before);
  buf_free(&after);
}
