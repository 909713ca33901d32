/* SPDX-License-Identifier: EUPL-1.2 */
/* Beheer (admins): the school years with their settings, locking and reopening (each
   logged in the audit trail); and the audit trail itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/dates.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/model.h"
#include "http/auth.h"
#include "io/dataset.h"
#include "measures/facts.h"
#include "render/html.h"
#include "web/pages/pages.h"

/* A stored audit time ("YYYY-MM-DDTHH:MM:SSZ") as "dd/mm/jjjj uu:mm" in Brussels. */
static void local_time(const char *at, char out[17]) {
  time_t t;
  if (timestamp_parse(at, &t) == 0)
    datetime_brussels_format(t, out);
  else
    snprintf(out, 17, "%s", at ? at : "");
}

/* A word of the audit trail (an action or an object type: "audit_" and the stored
   text), or the stored text when the glossary has none. */
static const char *audit_word(const struct request *r, const char *stored) {
  char key[64];
  snprintf(key, sizeof key, "audit_%s", stored ? stored : "");
  int w = word_named(key);
  return w >= 0 ? T(r, (enum word)w) : stored ? stored : "";
}

/* The Beheer page; error: a message at the top (a lock without confirmation). */
static void admin_page(struct request *r, struct response *resp, const char *error) {
  struct buf *b = &resp->body;
  char err[256];
  struct model m;
  int *years = NULL, n = 0;
  if (model_load(r->db, &m, err, sizeof err) != 0 ||
      facts_years_with_data(r->db, &years, &n, err, sizeof err) != 0) {
    free(years);
    page_error(r, resp, 500);
    return;
  }
  page_begin(r, resp, T(r, W_nav_admin));
  if (error) {
    html_raw(b, "<p class=\"error\" role=\"alert\" id=\"lock-error\">");
    html_text(b, error);
    html_raw(b, "</p>");
  }
  html_table_open(b, T(r, W_schoolyears), NULL, NULL);
  html_text(b, T(r, W_schoolyears));
  html_raw(b, "</caption><thead><tr><th scope=\"col\">");
  html_text(b, T(r, W_schoolyear));
  html_raw(b, "</th><th scope=\"col\" class=\"n\">");
  html_text(b, T(r, W_hours_per_fte));
  html_raw(b, "</th><th scope=\"col\">");
  html_text(b, T(r, W_reach_rule));
  html_raw(b, "</th><th scope=\"col\">");
  html_text(b, T(r, W_status));
  html_raw(b, "</th><th scope=\"col\"></th></tr></thead><tbody>");
  for (int k = 0; k < n; k++) {
    struct setting s = model_setting(&m, years[k]);
    char y[10], hpf[32];
    school_year_format(years[k], y);
    fmt_be(s.hours_per_fte, 2, hpf, sizeof hpf);
    html_raw(b, "<tr><th scope=\"row\">");
    html_text(b, y);
    html_raw(b, "</th><td class=\"n\">");
    html_text(b, hpf);
    html_raw(b, "</td><td>");
    char rk[64];
    snprintf(rk, sizeof rk, "v_reach_rule_%s", reach_rule_name(s.rule));
    html_text(b, T_named(r, rk));
    html_raw(b, "</td><td>");
    html_text(b, T(r, s.locked ? W_locked : W_open));
    html_raw(b, "</td><td><form method=\"post\" action=\"/beheer/schooljaar\">");
    csrf_field(r, resp);
    html_raw(b, "<input type=\"hidden\" name=\"jaar\" value=\"");
    html_attr(b, y);
    html_raw(b, "\"><input type=\"hidden\" name=\"slot\" value=\"");
    html_attr(b, s.locked ? "open" : "dicht");
    html_raw(b, "\">");
    if (!s.locked) {
      /* locking asks for a confirmation: a checkbox the server requires */
      html_raw(b,
               "<label class=\"confirm\"><input type=\"checkbox\" name=\"bevestig\" value=\"ja\" required> ");
      html_text(b, T(r, W_lock_confirm_check));
      html_raw(b, " ");
      html_text(b, y);
      html_raw(b, "</label> ");
    }
    html_raw(b, "<button type=\"submit\">");
    html_text(b, T(r, s.locked ? W_reopen : W_lock));
    html_raw(b, " ");
    html_text(b, y);
    html_raw(b, "</button></form></td></tr>");
  }
  html_raw(b, "</tbody></table></div><p class=\"hint muted\">");
  html_text(b, T(r, W_lock_confirm_text));
  html_raw(b, "</p><h2>");
  html_text(b, T(r, W_export_dataset));
  html_raw(b, "</h2><ul class=\"files\">");
  for (int fid = 0; fid < F_COUNT; fid++) {
    html_raw(b, "<li><a href=\"/beheer/export?bestand=");
    html_url(b, dataset_files[fid].file);
    html_raw(b, "\" download>");
    html_text(b, dataset_files[fid].file);
    html_raw(b, "</a></li>");
  }
  html_raw(b, "</ul><h2>");
  html_text(b, T(r, W_import_dataset));
  html_raw(b, "</h2><p class=\"muted\">");
  html_text(b, T(r, W_import_hint));
  html_raw(
      b,
      "</p><form method=\"post\" action=\"/beheer/import\" enctype=\"multipart/form-data\" class=\"stack\">");
  csrf_field(r, resp);
  html_raw(b, "<label for=\"files\">");
  html_text(b, T(r, W_csv_files));
  html_raw(b,
           "</label><input type=\"file\" id=\"files\" name=\"bestanden\" accept=\".csv,text/csv\" multiple "
           "required><button type=\"submit\">");
  html_text(b, T(r, W_import));
  html_raw(b, "</button></form><p><a href=\"/beheer/gegevens\">");
  html_text(b, T(r, W_reference_data));
  html_raw(b, "</a> · <a href=\"/beheer/gebruikers\">");
  html_text(b, T(r, W_nav_users));
  html_raw(b, "</a> · <a href=\"/audit\">");
  html_text(b, T(r, W_nav_audit));
  html_raw(b, "</a></p>");
  page_end(r, resp);
  free(years);
  model_free(&m);
}

void page_admin(struct request *r, struct response *resp) { admin_page(r, resp, NULL); }

/* Locks or reopens a school year; one audit entry with before and after. */
void page_admin_year(struct request *r, struct response *resp) {
  int year;
  const char *y = req_form(r, "jaar"), *what = req_form(r, "slot");
  if (!y || school_year_parse(y, &year) != 0 || !what || (strcmp(what, "dicht") && strcmp(what, "open"))) {
    page_error(r, resp, 400);
    return;
  }
  int lock = !strcmp(what, "dicht");
  const char *sure = req_form(r, "bevestig");
  if (lock && (!sure || strcmp(sure, "ja"))) { /* nothing written */
    resp->status = 422;
    admin_page(r, resp, T(r, W_lock_confirm_needed));
    return;
  }
  if (school_year_lock(r->db, year, lock, r->now, r->user.login) == 0)
    resp_redirect(resp, "/beheer");
  else
    page_error(r, resp, 500);
}

struct admin_page {
  struct request *r;
  struct buf *b;
};

static void failure_row(void *ctx, const struct login_failure_row *f) {
  struct admin_page *p = ctx;
  struct request *r = p->r;
  struct buf *b = p->b;
  time_t t = (time_t)f->at;
  char when[17], key[48];
  datetime_brussels_format(t, when);
  snprintf(key, sizeof key, "reason_%s", f->reason);
  html_raw(b, "<tr><td>");
  html_text(b, when);
  html_raw(b, "</td><td>");
  html_text(b, f->login);
  html_raw(b, "</td><td>");
  html_text(b, f->addr);
  html_raw(b, "</td><td>");
  html_text(b, T_named(r, key));
  html_raw(b, "</td></tr>");
}

static void audit_row(void *ctx, const struct audit_entry *e) {
  struct buf *b = ((struct admin_page *)ctx)->b;
  const struct request *r = ((struct admin_page *)ctx)->r;
  char when[17];
  local_time(e->at, when);
  const char *const first[3] = {when, e->actor, audit_word(r, e->action)};
  html_raw(b, "<tr>");
  for (int c = 0; c < 3; c++) {
    html_raw(b, "<td>");
    html_text(b, first[c]);
    html_raw(b, "</td>");
  }
  html_raw(b, "<td>");
  html_text(b, audit_word(r, e->object_type));
  html_raw(b, " ");
  html_text(b, e->object_key);
  html_raw(b, "</td>");
  /* an import has no after: its files and counts */
  const char *const last[2] = {e->before, e->after ? e->after : e->detail};
  for (int c = 0; c < 2; c++) {
    html_raw(b, "<td><code>");
    html_text(b, last[c] ? last[c] : "");
    html_raw(b, "</code></td>");
  }
  html_raw(b, "</tr>");
}

/* The latest failed logins (auth.c writes them), with time, login, address and reason. */
static void failed_logins(struct request *r, struct response *resp) {
  struct buf *b = &resp->body;
  html_raw(b, "<h2 id=\"failed-logins\">");
  html_text(b, T(r, W_failed_logins));
  html_raw(b, "</h2><div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"failed-logins\">"
              "<table id=\"failed-logins-table\"><thead><tr>");
  static const enum word heads[] = {W_when, W_login_name, W_session_addr, W_reason};
  for (int k = 0; k < 4; k++) {
    html_raw(b, "<th scope=\"col\">");
    html_text(b, T(r, heads[k]));
    html_raw(b, "</th>");
  }
  html_raw(b, "</tr></thead><tbody>");
  struct admin_page p = {r, b};
  auth_login_failures(r->db, 100, failure_row, &p);
  html_raw(b, "</tbody></table></div>");
}

void page_audit(struct request *r, struct response *resp) {
  struct buf *b = &resp->body;
  page_begin(r, resp, T(r, W_nav_audit));
  html_table_open(b, T(r, W_nav_audit), NULL, "audit");
  html_text(b, T(r, W_audit_latest));
  html_raw(b, "</caption><thead><tr>");
  static const enum word heads[] = {W_when, W_who, W_what, W_object, W_before, W_after};
  for (int k = 0; k < 6; k++) {
    html_raw(b, "<th scope=\"col\">");
    html_text(b, T(r, heads[k]));
    html_raw(b, "</th>");
  }
  html_raw(b, "</tr></thead><tbody>");
  struct admin_page p = {r, b};
  audit_latest(r->db, 200, audit_row, &p);
  html_raw(b, "</tbody></table></div>");
  failed_logins(r, resp);
  page_end(r, resp);
}

/* One file of the dataset export, as a download (the same bytes as bereik export). */
void page_admin_export(struct request *r, struct response *resp) {
  const char *file = req_query(r, "bestand");
  char *data = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&data, &len);
  int rc = mem && file ? dataset_export_file(r->db, file, mem) : -1;
  if (mem) fclose(mem);
  if (rc != 0) {
    free(data);
    page_error(r, resp, file ? 404 : 400);
    return;
  }
  resp->content_type = "text/csv; charset=utf-8";
  buf_append(&resp->body, data, len);
  free(data);
  snprintf(resp->disposition, sizeof resp->disposition, "attachment; filename=\"%s\"", file);
}

/* Imports uploaded dataset files with the same all-or-nothing validation as bereik
   import, from memory: the files count by their dataset names (other names are ignored,
   as the CLI ignores them; of two files with one name the last counts) and are imported
   in one transaction. */
void page_admin_import(struct request *r, struct response *resp) {
  struct buf *b = &resp->body;
  struct dataset_mem files[F_COUNT];
  int stored = 0;
  for (int i = 0; i < r->nfiles; i++) {
    const char *name = strrchr(r->files[i].filename, '/');
    name = name ? name + 1 : r->files[i].filename;
    for (int f = 0; f < F_COUNT; f++) {
      if (strcmp(dataset_files[f].file, name)) continue;
      int at = 0;
      while (at < stored && files[at].fid != f) at++;
      files[at] = (struct dataset_mem){f, r->files[i].data, r->files[i].len};
      if (at == stored) stored++;
    }
  }
  char *msgs = NULL;
  size_t mlen = 0;
  FILE *mem = open_memstream(&msgs, &mlen);
  int rc = stored && mem ? dataset_import_mem(r->db, files, stored, r->user.login, mem,
                                              &(struct import_opts){.lang = r->lang, .source = "upload"})
                         : 1;
  db_serve_hint(r->db); /* the pooled connection's settings again, after the import's */
  if (mem) fclose(mem);
  resp->status = rc == 0 ? 200 : 422;
  page_begin(r, resp, T(r, W_import_dataset));
  html_raw_if(b, rc == 0, "<p class=\"saved\" role=\"status\">", "<p class=\"error\" role=\"alert\">");
  html_text(b, T(r, rc == 0 ? W_import_done : stored ? W_import_refused : W_import_no_files));
  html_raw(b, "</p><pre class=\"messages\">");
  html_text(b, msgs ? msgs : "");
  html_raw(b, "</pre><p><a href=\"/beheer\">");
  html_text(b, T(r, W_nav_admin));
  html_raw(b, "</a></p>");
  page_end(r, resp);
  free(msgs);
}
