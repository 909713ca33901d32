/* SPDX-License-Identifier: EUPL-1.2 */
/* Mijn account (every logged-in user): change the own password (the current one
   required), set up the second factor (a QR code drawn as inline SVG by libqrencode, a
   first code to confirm it, one-time recovery codes shown once), and see and end the own
   sessions. Also the setup page an account gets at login when its role requires a
   second factor it does not have yet (no session until a code confirms it). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/dates.h"
#include "core/seclog.h"
#include "db/db.h"
#include "http/auth.h"
#include "mail/prefs.h"
#include "render/html.h"
#include "render/qr.h"
#include "web/pages/pages.h"

/* "7 okt. 2024 14:05" in Brussels time (not the server's time zone). */
static void fmt_time(const struct request *r, int64_t t, char *out, size_t n) {
  char d[40], stamp[17];
  datetime_brussels_format((time_t)t, stamp);
  fmt_date_text(r, date_brussels((time_t)t), d, sizeof d);
  snprintf(out, n, "%s %s", d, stamp + 11);
}

static void message(struct buf *b, const char *text, int is_error) {
  if (!text) return;
  html_raw_if(b, is_error, "<p class=\"error\" role=\"alert\">", "<p class=\"saved\" role=\"status\">");
  html_text(b, text);
  html_raw(b, "</p>");
}

void totp_setup_page(struct request *r, struct response *resp, int64_t user_id, const char *ticket,
                     const char *error) {
  struct buf *b = &resp->body;
  char uri[512];
  /* a wrong code shows the same secret again; otherwise a new one */
  if ((!error || auth_totp_pending_uri(r->db, user_id, uri, sizeof uri) != 0) &&
      auth_totp_begin(r->db, user_id, uri, sizeof uri) != 0) {
    page_error(r, resp, 500);
    return;
  }
  if (error) resp->status = 422;
  page_begin(r, resp, T(r, W_totp_setup));
  if (ticket) message(b, T(r, W_login_need_setup), 0);
  html_raw(b, "<p>");
  html_text(b, T(r, W_totp_scan));
  html_raw(b, "</p>");
  qr_svg(b, uri, T(r, W_qr_label), 240);
  const char *sec = strstr(uri, "secret=");
  html_raw(b, "<p>");
  html_text(b, T(r, W_totp_key));
  html_raw(b, ": <code id=\"totp-key\">");
  if (sec) {
    sec += 7;
    size_t n = strcspn(sec, "&");
    for (size_t i = 0; i < n; i++) { /* groups of four, easier to type */
      if (i && i % 4 == 0) buf_putc(b, ' ');
      buf_putc(b, sec[i]);
    }
  }
  html_raw(b, "</code></p><form method=\"post\" action=\"");
  html_attr(b, ticket ? "/login/tweede-factor" : "/mijn-account/tweede-factor");
  html_raw(b, "\" class=\"stack\">");
  csrf_field(r, resp);
  if (ticket) {
    html_raw(b, "<input type=\"hidden\" name=\"ticket\" value=\"");
    html_attr(b, ticket);
    html_raw(b, "\">");
  }
  html_raw(b, "<input type=\"hidden\" name=\"stap\" value=\"bevestig\"><label for=\"totp-code\">");
  html_text(b, T(r, W_totp_new_code));
  html_raw(
      b, "</label><input id=\"totp-code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" "
         "pattern=\"[0-9]{6}\" maxlength=\"6\" required");
  if (error) html_raw(b, " aria-invalid=\"true\" aria-describedby=\"totp-code-error\"");
  html_raw(b, ">");
  if (error) {
    html_raw(b, "<p class=\"error\" id=\"totp-code-error\">");
    html_text(b, error);
    html_raw(b, "</p>");
  }
  html_raw(b, "<button type=\"submit\">");
  html_text(b, T(r, W_totp_confirm));
  html_raw(b, "</button></form>");
  page_end(r, resp);
}

static void recovery_page(struct request *r, struct response *resp,
                          char codes[RECOVERY_CODES][RECOVERY_CODE_SIZE]) {
  struct buf *b = &resp->body;
  page_begin(r, resp, T(r, W_recovery_title));
  message(b, T(r, W_totp_done), 0);
  html_raw(b, "<p>");
  html_text(b, T(r, W_recovery_help));
  html_raw(b, "</p><ol id=\"recovery-codes\">");
  for (int k = 0; k < RECOVERY_CODES; k++) {
    html_raw(b, "<li><code>");
    html_text(b, codes[k]);
    html_raw(b, "</code></li>");
  }
  html_raw(b, "</ol><p><a href=\"/mijn-account\">");
  html_text(b, T(r, W_continue));
  html_raw(b, "</a></p>");
  page_end(r, resp);
}

struct session_rows {
  struct request *r;
  struct response *resp;
  int n;
};

static void session_row(void *ctx, const char *id_hash, int64_t created, int64_t seen, const char *addr,
                        int current) {
  struct session_rows *s = ctx;
  struct buf *b = &s->resp->body;
  char c[64], l[64];
  fmt_time(s->r, created, c, sizeof c);
  fmt_time(s->r, seen, l, sizeof l);
  s->n++;
  html_raw(b, "<tr><td>");
  html_text(b, c);
  html_raw(b, "</td><td>");
  html_text(b, l);
  html_raw(b, "</td><td>");
  html_text(b, addr && *addr ? addr : "–");
  html_raw(b, "</td><td>");
  if (current) {
    html_raw(b, "<strong>");
    html_text(b, T(s->r, W_session_current));
    html_raw(b, "</strong>");
  } else {
    html_raw(b, "<form method=\"post\" action=\"/mijn-account/sessie/beeindig\">");
    csrf_field(s->r, s->resp);
    html_raw(b, "<input type=\"hidden\" name=\"id\" value=\"");
    html_attr(b, id_hash);
    html_raw(b, "\"><button type=\"submit\" class=\"danger\">");
    html_text(b, T(s->r, W_session_end));
    html_raw(b, "</button></form>");
  }
  html_raw(b, "</td></tr>");
}

/* A password field with its error beside it. */
static void pw_field(struct buf *b, const struct request *r, const char *id, enum word label_key,
                     const char *autocomplete, const char *error) {
  html_raw(b, "<label for=\"");
  html_attr(b, id);
  html_raw(b, "\">");
  html_text(b, T(r, label_key));
  html_raw(b, "</label><input type=\"password\" id=\"");
  html_attr(b, id);
  html_raw(b, "\" name=\"");
  html_attr(b, id);
  html_raw(b, "\" required maxlength=\"512\" autocomplete=\"");
  html_attr(b, autocomplete);
  html_raw(b, "\"");
  if (error) {
    html_raw(b, " aria-invalid=\"true\" aria-describedby=\"");
    html_attr(b, id);
    html_raw(b, "-error\"");
  }
  html_raw(b, ">");
  if (error) {
    html_raw(b, "<p class=\"error\" id=\"");
    html_attr(b, id);
    html_raw(b, "-error\">");
    html_text(b, error);
    html_raw(b, "</p>");
  }
}

/* A checkbox with its label and hint (name: the form field, value "1"). */
static void mail_check(struct buf *b, const struct request *r, const char *name, int on, enum word label,
                       enum word hint) {
  html_raw(b, "<label class=\"inline\"><input type=\"checkbox\" value=\"1\" name=\"");
  html_attr(b, name);
  html_raw(b, "\" id=\"");
  html_attr(b, name);
  html_raw(b, "\" aria-describedby=\"");
  html_attr(b, name);
  html_raw(b, "-hint\"");
  if (on) html_raw(b, " checked");
  html_raw(b, "> ");
  html_text(b, T(r, label));
  html_raw(b, "</label><p class=\"hint\" id=\"");
  html_attr(b, name);
  html_raw(b, "-hint\">");
  html_text(b, T(r, hint));
  html_raw(b, "</p>");
}

/* E-mail (docs/MAIL.md): the address, reminders and reports on or off, the language. */
static void mail_section(struct request *r, struct response *resp, const char *error) {
  struct buf *b = &resp->body;
  struct mail_prefs p;
  if (mail_prefs_get(r->db, r->user.id, &p) != 0) {
    memset(&p, 0, sizeof p);
    p.reminders = p.reports = 1;
    snprintf(p.lang, sizeof p.lang, "nl");
  }
  const char *typed = error ? req_form(r, "email") : NULL;
  if (error) { /* the form again as it was sent */
    const char *rem = req_form(r, "herinneringen"), *rep = req_form(r, "overzichten"),
               *l = req_form(r, "taal");
    p.reminders = rem && !strcmp(rem, "1");
    p.reports = rep && !strcmp(rep, "1");
    snprintf(p.lang, sizeof p.lang, "%s", l && !strcmp(l, "en") ? "en" : "nl");
  }
  html_raw(b, "<h2>");
  html_text(b, T(r, W_mail_title));
  html_raw(b,
           "</h2><form method=\"post\" action=\"/mijn-account/e-mail\" class=\"stack\" id=\"mail-prefs\">");
  csrf_field(r, resp);
  html_raw(b, "<label for=\"email\">");
  html_text(b, T(r, W_mail_address));
  html_raw(b, "</label><input type=\"email\" id=\"email\" name=\"email\" maxlength=\"254\" "
              "autocomplete=\"email\" value=\"");
  html_attr(b, typed ? typed : p.email);
  html_raw_if(b, error, "\" aria-invalid=\"true\" aria-describedby=\"email-hint email-error\"",
              "\" aria-describedby=\"email-hint\"");
  html_raw(b, "><p class=\"hint\" id=\"email-hint\">");
  html_text(b, T(r, W_mail_address_hint));
  html_raw(b, "</p>");
  if (error) {
    html_raw(b, "<p class=\"error\" id=\"email-error\">");
    html_text(b, error);
    html_raw(b, "</p>");
  }
  mail_check(b, r, "herinneringen", p.reminders, W_mail_reminders, W_mail_reminders_hint);
  mail_check(b, r, "overzichten", p.reports, W_mail_reports, W_mail_reports_hint);
  html_raw(b, "<label for=\"mail-lang\">");
  html_text(b, T(r, W_mail_lang));
  html_raw(b, "</label><select id=\"mail-lang\" name=\"taal\"><option value=\"nl\"");
  if (strcmp(p.lang, "en")) html_raw(b, " selected");
  html_raw(b, ">");
  html_text(b, T(r, W_mail_lang_nl));
  html_raw(b, "</option><option value=\"en\"");
  if (!strcmp(p.lang, "en")) html_raw(b, " selected");
  html_raw(b, ">");
  html_text(b, T(r, W_mail_lang_en));
  html_raw(b, "</option></select><button type=\"submit\">");
  html_text(b, T(r, W_mail_save));
  html_raw(b, "</button></form>");
}

/* The account page; field/error: a password error beside that field; notice: a
   message on top. */
static void account_page(struct request *r, struct response *resp, const char *field, const char *error,
                         const char *notice, int notice_is_error) {
  struct buf *b = &resp->body;
  page_begin(r, resp, T(r, W_nav_account));
  message(b, notice, notice_is_error);
  html_raw(b, "<h2>");
  html_text(b, T(r, W_account_password));
  html_raw(b, "</h2><form method=\"post\" action=\"/mijn-account/wachtwoord\" class=\"stack\">");
  csrf_field(r, resp);
  /* for password managers: the account the new password belongs to */
  html_raw(b, "<input type=\"text\" name=\"username\" autocomplete=\"username\" hidden value=\"");
  html_attr(b, r->user.login);
  html_raw(b, "\">");
  pw_field(b, r, "current", W_password_current, "current-password",
           field && !strcmp(field, "current") ? error : NULL);
  pw_field(b, r, "new", W_password_new, "new-password", field && !strcmp(field, "new") ? error : NULL);
  html_raw(b, "<p class=\"hint\" id=\"new-hint\">");
  html_text(b, T(r, W_password_help));
  html_raw(b, "</p>");
  pw_field(b, r, "repeat", W_password_repeat, "new-password",
           field && !strcmp(field, "repeat") ? error : NULL);
  html_raw(b, "<button type=\"submit\">");
  html_text(b, T(r, W_password_save));
  html_raw(b, "</button></form><h2>");
  html_text(b, T(r, W_totp_title));
  html_raw(b, "</h2>");
  int has = auth_totp_enabled(r->db, r->user.id) == 1;
  html_raw(b, "<p id=\"totp-status\">");
  html_text(b, T(r, has ? W_totp_status_on : W_totp_status_off));
  if (has) {
    char n[32];
    snprintf(n, sizeof n, ": %d", auth_recovery_left(r->db, r->user.id));
    html_raw(b, " ");
    html_text(b, T(r, W_recovery_left));
    html_text(b, n);
    html_raw(b, ".");
  }
  html_raw(b, "</p><form method=\"post\" action=\"/mijn-account/tweede-factor\" class=\"stack\">");
  csrf_field(r, resp);
  html_raw(b, "<input type=\"hidden\" name=\"stap\" value=\"begin\">");
  /* changing the second factor asks for the password again (ASVS 7.5.1) */
  pw_field(b, r, "totp-current", W_password_current, "current-password",
           field && !strcmp(field, "totp-current") ? error : NULL);
  html_raw(b, "<button type=\"submit\">");
  html_text(b, T(r, has ? W_totp_renew : W_totp_setup));
  html_raw(b, "</button></form>");
  mail_section(r, resp, field && !strcmp(field, "email") ? error : NULL);
  html_raw(b, "<h2>");
  html_text(b, T(r, W_sessions_title));
  html_raw(b, "</h2>");
  html_table_open(b, T(r, W_sessions_title), "sessions", NULL);
  html_text(b, T(r, W_sessions_caption));
  html_raw(b, "</caption><thead><tr>");
  static const enum word heads[] = {W_session_created, W_session_seen, W_session_addr, W_action};
  for (int k = 0; k < 4; k++) {
    html_raw(b, "<th scope=\"col\">");
    html_text(b, T(r, heads[k]));
    html_raw(b, "</th>");
  }
  html_raw(b, "</tr></thead><tbody>");
  struct session_rows rows = {r, resp, 0};
  auth_sessions_list(r->db, r->user.id, r->session_cookie, session_row, &rows);
  html_raw(b, "</tbody></table></div>");
  if (rows.n > 1) {
    html_raw(b, "<form method=\"post\" action=\"/mijn-account/sessies/andere\">");
    csrf_field(r, resp);
    html_raw(b, "<button type=\"submit\" class=\"danger\">");
    html_text(b, T(r, W_sessions_end_others));
    html_raw(b, "</button></form>");
  }
  page_end(r, resp);
}

void page_account(struct request *r, struct response *resp) { account_page(r, resp, NULL, NULL, NULL, 0); }

void page_account_password(struct request *r, struct response *resp) {
  const char *cur = req_form(r, "current"), *pw = req_form(r, "new"), *rep = req_form(r, "repeat");
  enum password_verdict v = PW_OK;
  char err[256];
  if (!pw || !rep || strcmp(pw, rep)) {
    resp->status = 422;
    account_page(r, resp, "repeat", T(r, W_pw_mismatch), NULL, 0);
    return;
  }
  int rc = auth_password_change(r->db, r->user.id, r->session_cookie, cur, pw, r->now, &v, err, sizeof err);
  if (rc == 0) {
    account_page(r, resp, NULL, NULL, T(r, W_pw_changed), 0);
    return;
  }
  if (rc < 0) {
    page_error(r, resp, 500);
    return;
  }
  resp->status = 422;
  if (rc == 1) {
    account_page(r, resp, "current", T(r, W_pw_current_wrong), NULL, 0);
    return;
  }
  account_page(r, resp, "new",
               T(r, v == PW_TOO_SHORT  ? W_pw_too_short
                    : v == PW_TOO_LONG ? W_pw_too_long
                    : v == PW_NOT_UTF8 ? W_pw_not_utf8
                                       : W_pw_weak),
               NULL, 0);
}

void page_account_totp(struct request *r, struct response *resp) {
  const char *step = req_form(r, "stap");
  if (step && !strcmp(step, "bevestig")) {
    char codes[RECOVERY_CODES][RECOVERY_CODE_SIZE];
    int rc = auth_totp_confirm(r->db, r->user.id, req_form(r, "code"), r->now, codes);
    if (rc == 0)
      recovery_page(r, resp, codes);
    else if (rc == 1)
      totp_setup_page(r, resp, r->user.id, NULL, T(r, W_totp_code_wrong));
    else
      page_error(r, resp, 500);
    return;
  }
  int v = auth_password_verify(r->db, r->user.id, req_form(r, "totp-current"), r->now, "totp_setup");
  if (v < 0) {
    page_error(r, resp, 500);
  } else if (v == 1) {
    resp->status = 422;
    account_page(r, resp, "totp-current", T(r, W_pw_current_wrong), NULL, 0);
  } else {
    totp_setup_page(r, resp, r->user.id, NULL, NULL);
  }
}

void page_login_totp(struct request *r, struct response *resp) {
  const char *ticket = req_form(r, "ticket");
  int64_t uid = auth_setup_ticket_user(r->db, ticket, r->now);
  if (!uid) {
    resp->status = 400;
    page_begin(r, resp, T(r, W_login));
    message(&resp->body, T(r, W_login_setup_expired), 1);
    html_raw(&resp->body, "<p><a href=\"/login\">");
    html_text(&resp->body, T(r, W_login));
    html_raw(&resp->body, "</a></p>");
    page_end(r, resp);
    return;
  }
  char codes[RECOVERY_CODES][RECOVERY_CODE_SIZE], sid[65];
  int rc = auth_totp_confirm(r->db, uid, req_form(r, "code"), r->now, codes);
  if (rc == 1) {
    totp_setup_page(r, resp, uid, ticket, T(r, W_totp_code_wrong));
    return;
  }
  if (rc != 0 || auth_session_create(r->db, uid, r->addr, r->now, sid) != 0) {
    page_error(r, resp, 500);
    return;
  }
  auth_setup_ticket_end(r->db, ticket);
  login_cookies(r, resp, sid, NULL);
  /* the page of the codes is shown in the new session */
  r->logged_in = auth_session(r->db, sid, r->now, &r->user);
  seclog_event("login.success", "login", r->user.login, "factor", "totp_setup");
  recovery_page(r, resp, codes);
}

void page_account_session_end(struct request *r, struct response *resp) {
  const char *id = req_form(r, "id");
  if (!id || strlen(id) != 64) {
    page_error(r, resp, 400);
    return;
  }
  int n = auth_sessions_end(r->db, r->user.id, id, r->session_cookie);
  if (n < 0) {
    page_error(r, resp, 500);
    return;
  }
  if (n == 0) {
    page_error(r, resp, 404);
    return;
  }
  resp_redirect(resp, "/mijn-account");
}

void page_account_sessions_end_others(struct request *r, struct response *resp) {
  if (auth_sessions_end(r->db, r->user.id, NULL, r->session_cookie) < 0) {
    page_error(r, resp, 500);
    return;
  }
  resp_redirect(resp, "/mijn-account");
}

void page_account_mail(struct request *r, struct response *resp) {
  const char *email = req_form(r, "email"), *lang = req_form(r, "taal");
  const char *rem = req_form(r, "herinneringen"), *rep = req_form(r, "overzichten");
  struct mail_prefs p = {0};
  /* the address without the blanks typed around it; empty: no e-mail */
  const char *e = email ? email + strspn(email, " \t") : "";
  size_t n = strlen(e);
  while (n > 0 && (e[n - 1] == ' ' || e[n - 1] == '\t')) n--;
  if (n > MAIL_ADDR_MAX) {
    resp->status = 422;
    account_page(r, resp, "email", T(r, W_mail_bad_address), NULL, 0);
    return;
  }
  memcpy(p.email, e, n);
  p.email[n] = 0;
  p.reminders = rem && !strcmp(rem, "1");
  p.reports = rep && !strcmp(rep, "1");
  snprintf(p.lang, sizeof p.lang, "%s", lang && !strcmp(lang, "en") ? "en" : "nl");
  enum mail_prefs_fault f = mail_prefs_set(r->db, r->user.id, &p, r->user.login, r->now);
  if (f == MAIL_PREFS_BAD_ADDRESS) {
    resp->status = 422;
    account_page(r, resp, "email", T(r, W_mail_bad_address), NULL, 0);
  } else if (f != MAIL_PREFS_OK) {
    page_error(r, resp, 500);
  } else {
    account_page(r, resp, NULL, NULL, T(r, W_mail_saved), 0);
  }
}
