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
#include "io/dataset.h"
#include "measures/facts.h"
#include "render/html.h"
#include "web/pages/pages.h"

void page_admin(struct request *r, struct response *resp) {
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
  page_begin(r, resp, T(r, "nav_admin"));
  html_raw(b, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
  html_attr(b, T(r, "schoolyears"));
  html_raw(b, "\"><table><caption>");
  html_text(b, T(r, "schoolyears"));
  html_raw(b, "</caption><thead><tr><th scope=\"col\">");
  html_text(b, T(r, "schoolyear"));
  html_raw(b, "</th><th scope=\"col\" class=\"n\">");
  html_text(b, T(r, "hours_per_fte"));
  html_raw(b, "</th><th scope=\"col\">");
  html_text(b, T(r, "reach_rule"));
  html_raw(b, "</th><th scope=\"col\">");
  html_text(b, T(r, "status"));
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
    html_text(b, reach_rule_name(s.rule));
    html_raw(b, "</td><td>");
    html_text(b, T(r, s.locked ? "locked" : "open"));
    html_raw(b, "</td><td><form method=\"post\" action=\"/beheer/schooljaar\">");
    csrf_field(r, resp);
    html_raw(b, "<input type=\"hidden\" name=\"jaar\" value=\"");
    html_attr(b, y);
    html_raw(b, "\"><input type=\"hidden\" name=\"slot\" value=\"");
    html_attr(b, s.locked ? "open" : "dicht");
    html_raw(b, "\"><button type=\"submit\">");
    html_text(b, T(r, s.locked ? "reopen" : "lock"));
    html_raw(b, " ");
    html_text(b, y);
    html_raw(b, "</button></form></td></tr>");
  }
  html_raw(b, "</tbody></table></div><h2>");
  html_text(b, T(r, "export_dataset"));
  html_raw(b, "</h2><ul class=\"files\">");
  for (int fid = 0; fid < F_COUNT; fid++) {
    html_raw(b, "<li><a href=\"/beheer/export?bestand=");
    html_url(b, dataset_files[fid].file);
    html_raw(b, "\" download>");
    html_text(b, dataset_files[fid].file);
    html_raw(b, "</a></li>");
  }
  html_raw(b, "</ul><h2>");
  html_text(b, T(r, "import_dataset"));
  html_raw(b, "</h2><p class=\"muted\">");
  html_text(b, T(r, "import_hint"));
  html_raw(
      b,
      "</p><form method=\"post\" action=\"/beheer/import\" enctype=\"multipart/form-data\" class=\"stack\">");
  csrf_field(r, resp);
  html_raw(b, "<label for=\"files\">");
  html_text(b, T(r, "csv_files"));
  html_raw(b,
           "</label><input type=\"file\" id=\"files\" name=\"bestanden\" accept=\".csv,text/csv\" multiple "
           "required><button type=\"submit\">");
  html_text(b, T(r, "import"));
  html_raw(b, "</button></form><p><a href=\"/beheer/gegevens\">");
  html_text(b, T(r, "reference_data"));
  html_raw(b, "</a> · <a href=\"/beheer/gebruikers\">");
  html_text(b, T(r, "nav_users"));
  html_raw(b, "</a> · <a href=\"/audit\">");
  html_text(b, T(r, "nav_audit"));
  html_raw(b, "</a></p>");
  page_end(r, resp);
  free(years);
  model_free(&m);
}

/* Locks or reopens a school year; one audit entry with before and after. */
void page_admin_year(struct request *r, struct response *resp) {
  int year;
  const char *y = req_form(r, "jaar"), *what = req_form(r, "slot");
  if (!y || school_year_parse(y, &year) != 0 || !what || (strcmp(what, "dicht") && strcmp(what, "open"))) {
    page_error(r, resp, 400);
    return;
  }
  int lock = !strcmp(what, "dicht");
  int ok = db_begin_write(r->db) == DB_OK;
  int64_t before = 0;
  struct db_stmt *st = ok ? db_prepare(r->db, "SELECT locked FROM setting WHERE school_year = ?") : NULL;
  if (st) {
    db_bind_int64(st, 1, year);
    before = db_step(st) == DB_ROW ? db_col_int64(st, 0) : 0;
    db_finalize(st);
  }
  if (ok && before != lock) {
    st = db_prepare(r->db,
                    "INSERT INTO setting (school_year, hours_per_fte, reach_rule, locked) VALUES (?, 1185, "
                    "'contact', ?) ON CONFLICT (school_year) DO UPDATE SET locked = excluded.locked");
    ok = st != NULL;
    if (st) {
      db_bind_int64(st, 1, year);
      db_bind_int64(st, 2, lock);
      ok = db_step(st) == DB_DONE;
      db_finalize(st);
    }
    if (ok)
      ok = audit_write(r->db, r->now, r->user.login, lock ? "lock" : "reopen", "school_year", y,
                       before ? "{\"locked\": true}" : "{\"locked\": false}",
                       lock ? "{\"locked\": true}" : "{\"locked\": false}", NULL) == 0;
  }
  if (ok && db_commit(r->db) == DB_OK) {
    resp_redirect(resp, "/beheer");
  } else {
    db_rollback(r->db);
    page_error(r, resp, 500);
  }
}

/* The latest failed logins (auth.c writes them), with time, login, address and reason. */
static void failed_logins(struct request *r, struct response *resp) {
  struct buf *b = &resp->body;
  struct db_stmt *st =
      db_prepare(r->db, "SELECT at, login, addr, reason FROM login_failure ORDER BY id DESC LIMIT 100");
  if (!st) return;
  html_raw(b, "<h2 id=\"failed-logins\">");
  html_text(b, T(r, "failed_logins"));
  html_raw(b, "</h2><div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"failed-logins\">"
              "<table id=\"failed-logins-table\"><thead><tr>");
  static const char *const heads[] = {"when", "login_name", "session_addr", "reason"};
  for (int k = 0; k < 4; k++) {
    html_raw(b, "<th scope=\"col\">");
    html_text(b, T(r, heads[k]));
    html_raw(b, "</th>");
  }
  html_raw(b, "</tr></thead><tbody>");
  while (db_step(st) == DB_ROW) {
    time_t t = (time_t)db_col_int64(st, 0);
    struct tm tm;
    char when[32], key[48];
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(key, sizeof key, "reason_%s", db_col_text(st, 3));
    html_raw(b, "<tr><td>");
    html_text(b, when);
    html_raw(b, "</td><td>");
    html_text(b, db_col_text(st, 1));
    html_raw(b, "</td><td>");
    html_text(b, db_col_text(st, 2));
    html_raw(b, "</td><td>");
    html_text(b, T(r, key));
    html_raw(b, "</td></tr>");
  }
  db_finalize(st);
  html_raw(b, "</tbody></table></div>");
}

void page_audit(struct request *r, struct response *resp) {
  struct buf *b = &resp->body;
  struct db_stmt *st =
      db_prepare(r->db, "SELECT at, actor, action, object_type, object_key, before_json, after_json, "
                        "detail_json FROM audit ORDER BY id DESC LIMIT 200");
  if (!st) {
    page_error(r, resp, 500);
    return;
  }
  page_begin(r, resp, T(r, "nav_audit"));
  html_raw(b, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
  html_attr(b, T(r, "nav_audit"));
  html_raw(b, "\"><table class=\"audit\"><caption>");
  html_text(b, T(r, "audit_latest"));
  html_raw(b, "</caption><thead><tr>");
  static const char *const heads[] = {"when", "who", "what", "object", "before", "after"};
  for (int k = 0; k < 6; k++) {
    html_raw(b, "<th scope=\"col\">");
    html_text(b, T(r, heads[k]));
    html_raw(b, "</th>");
  }
  html_raw(b, "</tr></thead><tbody>");
  while (db_step(st) == DB_ROW) {
    html_raw(b, "<tr>");
    for (int c = 0; c < 3; c++) {
      html_raw(b, "<td>");
      html_text(b, db_col_text(st, c));
      html_raw(b, "</td>");
    }
    html_raw(b, "<td>");
    html_text(b, db_col_text(st, 3));
    html_raw(b, " ");
    html_text(b, db_col_text(st, 4));
    html_raw(b, "</td>");
    for (int c = 5; c < 7; c++) {
      const char *j = db_col_text(st, c);
      if (c == 6 && !j) j = db_col_text(st, 7); /* an import: its files and counts */
      html_raw(b, "<td><code>");
      html_text(b, j ? j : "");
      html_raw(b, "</code></td>");
    }
    html_raw(b, "</tr>");
  }
  db_finalize(st);
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
  if (mem) fclose(mem);
  resp->status = rc == 0 ? 200 : 422;
  page_begin(r, resp, T(r, "import_dataset"));
  html_raw(b, rc == 0 ? "<p class=\"saved\" role=\"status\">" : "<p class=\"error\" role=\"alert\">");
  html_text(b, T(r, rc == 0 ? "import_done" : stored ? "import_refused" : "import_no_files"));
  html_raw(b, "</p><pre class=\"messages\">");
  html_text(b, msgs ? msgs : "");
  html_raw(b, "</pre><p><a href=\"/beheer\">");
  html_text(b, T(r, "nav_admin"));
  html_raw(b, "</a></p>");
  page_end(r, resp);
  free(msgs);
}
