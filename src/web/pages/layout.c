/* SPDX-License-Identifier: EUPL-1.2 */
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/dates.h"
#include "db/db.h"
#include "domain/service.h"
#include "render/assets.h"
#include "render/chart.h"
#include "render/html.h"
#include "web/pages/pages.h"

static int lang_en(const struct request *r) { return r->lang && !strcmp(r->lang, "en"); }

const char *T(const struct request *r, enum word w) { return word_text(w, lang_en(r)); }

const char *T_named(const struct request *r, const char *key) {
  int w = word_named(key);
  return w < 0 ? key : word_text((enum word)w, lang_en(r));
}

const char *csrf_token(const struct request *r, struct response *resp) {
  if (r->logged_in) return r->user.csrf;
  if (r->pre_cookie && strlen(r->pre_cookie) == 64) return r->pre_cookie;
  if (!resp->pre_token[0]) { /* one token per response, however many forms */
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(resp->pre_token, sizeof resp->pre_token, raw, sizeof raw);
    resp_cookie(resp, r, COOKIE_NAME(r->https, COOKIE_PRE), resp->pre_token, -1);
  }
  return resp->pre_token;
}

/* The token as a page carries it: a fresh random pad and the token XOR the pad (128 hex
   digits), so that no two responses hold the same bytes and compressing a page cannot
   reveal the token (BREACH). The bare token (64) is accepted as well. */
static void csrf_mask(const char *token, char out[129]) {
  unsigned char raw[32], pad[32];
  size_t n = 0;
  if (sodium_hex2bin(raw, sizeof raw, token, 64, NULL, &n, NULL) != 0 || n != 32) {
    out[0] = 0;
    return;
  }
  randombytes_buf(pad, sizeof pad);
  for (int i = 0; i < 32; i++) raw[i] ^= pad[i];
  sodium_bin2hex(out, 65, pad, sizeof pad);
  sodium_bin2hex(out + 64, 65, raw, sizeof raw);
}

int csrf_ok(const struct request *r) {
  const char *want = r->logged_in ? r->user.csrf : r->pre_cookie;
  const char *got = req_form(r, "csrf");
  if (!want || !got || strlen(want) != 64) return 0;
  size_t len = strlen(got);
  if (len == 64) return sodium_memcmp(want, got, 64) == 0;
  if (len != 128) return 0;
  unsigned char pad[32], masked[32], w[32];
  size_t n1 = 0, n2 = 0, n3 = 0;
  if (sodium_hex2bin(pad, 32, got, 64, NULL, &n1, NULL) ||
      sodium_hex2bin(masked, 32, got + 64, 64, NULL, &n2, NULL) ||
      sodium_hex2bin(w, 32, want, 64, NULL, &n3, NULL) || n1 != 32 || n2 != 32 || n3 != 32)
    return 0;
  for (int i = 0; i < 32; i++) masked[i] ^= pad[i];
  return sodium_memcmp(masked, w, 32) == 0;
}

void csrf_field(const struct request *r, struct response *resp) {
  char masked[129];
  csrf_mask(csrf_token(r, resp), masked);
  html_raw(&resp->body, "<input type=\"hidden\" name=\"csrf\" value=\"");
  html_attr(&resp->body, masked);
  html_raw(&resp->body, "\">");
}

static void nav_link(const struct request *r, struct buf *b, const char *path, enum word key) {
  html_raw(b, "<a href=\"");
  html_attr(b, path);
  html_raw(b, "\"");
  if (!strcmp(r->path, path)) html_raw(b, " aria-current=\"page\"");
  html_raw(b, ">");
  html_text(b, T(r, key));
  html_raw(b, "</a>");
}

void page_begin(const struct request *r, struct response *resp, const char *title) {
  struct buf *b = &resp->body;
  int en = r->lang && !strcmp(r->lang, "en");
  html_raw_if(b, en, "<!doctype html>\n<html lang=\"en\">", "<!doctype html>\n<html lang=\"nl-BE\">");
  html_raw(
      b,
      "<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>");
  html_text(b, title);
  html_raw(b, " · bereik</title><link rel=\"stylesheet\" href=\"");
  buf_puts(b, asset_url("app.css"));
  html_raw(b, "\"><script src=\"");
  buf_puts(b, asset_url("app.js"));
  html_raw(b, "\" defer></script><link rel=\"manifest\" href=\"");
  buf_puts(b, asset_url("manifest.webmanifest"));
  html_raw(b, "\"><meta name=\"theme-color\" content=\"#0b5cad\">");
  html_raw(b, "<link rel=\"icon\" type=\"image/svg+xml\" href=\"");
  buf_puts(b, asset_url("icon.svg"));
  html_raw(b, "\"><link rel=\"apple-touch-icon\" href=\"");
  buf_puts(b, asset_url("icon-192.png"));
  html_raw(b, "\"></head><body>");
  html_raw(b, "<a class=\"skip\" href=\"#main\">");
  html_text(b, T(r, W_skip));
  html_raw(b, "</a><header><span class=\"brand\">bereik</span>");
  if (r->logged_in) {
    html_raw(b, "<nav aria-label=\"menu\">");
    nav_link(r, b, "/registreren", W_nav_register);
    nav_link(r, b, "/week", W_nav_week);
    nav_link(r, b, "/dashboard", W_nav_dashboard);
    nav_link(r, b, "/trajecten", W_nav_trajectories);
    if (r->user.role >= ROLE_COORDINATOR) nav_link(r, b, "/datakwaliteit", W_nav_quality);
    if (r->user.role >= ROLE_DIRECTOR) nav_link(r, b, "/rapport", W_nav_report);
    if (r->user.role >= ROLE_COORDINATOR && service_known_count() > 1)
      nav_link(r, b, "/vergelijking", W_nav_compare);
    if (r->user.role >= ROLE_ADMIN) nav_link(r, b, "/beheer", W_nav_admin);
    if (r->user.role >= ROLE_ADMIN && service_known_platform(db_service(r->db)))
      nav_link(r, b, "/diensten", W_nav_services);
    nav_link(r, b, "/api-sleutels", W_nav_tokens);
    nav_link(r, b, "/mijn-account", W_nav_account);
    html_raw(b, "</nav>");
    offline_header(r, resp);
  }
  html_raw(b, "<form class=\"lang\" method=\"post\" action=\"/taal\">");
  csrf_field(r, resp);
  html_raw(b, "<input type=\"hidden\" name=\"lang\" value=\"");
  html_attr(b, en ? "nl" : "en");
  html_raw(b, "\"><input type=\"hidden\" name=\"next\" value=\"");
  html_attr(b, r->path);
  html_raw(b, "\"><button type=\"submit\" lang=\"");
  html_attr(b, en ? "nl-BE" : "en");
  html_raw(b, "\">");
  html_text(b, T(r, W_switch_lang));
  html_raw(b, "</button></form>");
  if (r->logged_in) {
    html_raw(b, "<form class=\"logout\" method=\"post\" action=\"/logout\">");
    csrf_field(r, resp);
    html_raw(b, "<button type=\"submit\">");
    html_text(b, T(r, W_logout));
    html_raw(b, " (");
    html_text(b, r->user.login);
    html_raw(b, ")</button></form>");
  }
  html_raw(b, "</header><main id=\"main\"><h1>");
  html_text(b, title);
  html_raw(b, "</h1>");
  offline_bar(r, resp);
}

void year_filter(const struct request *r, struct response *resp, const char *action, const int *years, int n,
                 int year) {
  struct buf *b = &resp->body;
  html_raw(b, "<form method=\"get\" action=\"");
  html_attr(b, action);
  html_raw(b, "\" class=\"filters\"><label for=\"jaar\">");
  html_text(b, T(r, W_schoolyear));
  html_raw(b, "</label><select id=\"jaar\" name=\"jaar\">");
  for (int i = 0; i < n; i++) {
    char opt[10];
    school_year_format(years[i], opt);
    html_raw(b, "<option value=\"");
    html_attr(b, opt);
    html_raw_if(b, years[i] == year, "\" selected>", "\">");
    html_text(b, opt);
    html_raw(b, "</option>");
  }
  html_raw(b, "</select><button type=\"submit\">");
  html_text(b, T(r, W_show));
  html_raw(b, "</button></form>");
}

void page_end(const struct request *r, struct response *resp) {
  (void)r;
  html_raw(&resp->body, "</main></body></html>\n");
}

void page_error(const struct request *r, struct response *resp, int status) {
  char key[8];
  snprintf(key, sizeof key, "err%d", status);
  resp->status = status;
  buf_reset(&resp->body);
  page_begin(r, resp, T_named(r, key));
  html_raw(&resp->body, "<p><a href=\"/\">bereik</a></p>");
  page_end(r, resp);
}

/* Belgian format: one implementation, the charts' (render/chart.c), so a chart and a table
   never show different figures. */
void fmt_be(double v, int decimals, char *out, size_t n) { format_be(v, decimals, out, n); }

void fmt_date_text(const struct request *r, int32_t day, char *out, size_t n) {
  static const char *const nl[] = {"jan.", "feb.", "mrt.", "apr.", "mei",  "jun.",
                                   "jul.", "aug.", "sep.", "okt.", "nov.", "dec."};
  static const char *const en[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int y, m, d;
  civil_from_days(day, &y, &m, &d);
  if (r->lang && !strcmp(r->lang, "en"))
    snprintf(out, n, "%d %s %d", d, en[m - 1], y);
  else
    snprintf(out, n, "%d %s %d", d, nl[m - 1], y);
}

void fmt_pct(double fraction, int decimals, char *out, size_t n) {
  format_be_pct(fraction, decimals, out, n);
}
