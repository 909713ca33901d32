/* SPDX-License-Identifier: EUPL-1.2 */
/* Beheer of the reference data (admins): per file of the dataset (lines, goals,
   institutions, advisors, teams, target groups, targets, plan, settings, ...) a list with
   search and a form to create or change one row, and deletion of rows nothing refers to.
   Reads, saves and deletions go through the reference-data door (io/refdata.h): a saved
   form is the dataset import of one row, with the same rules, the same messages (in the
   user's language) and the same all-or-nothing transaction as an upload or
   `bereik import`, so no rule exists twice. Each change gets an audit entry
   with the row before and after. Deactivating is a field of the row where the data
   has one: an institution's "active", an advisor's end date, a trajectory's status. */
#define _GNU_SOURCE /* strcasestr */ /* NOLINT(bugprone-reserved-identifier) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/dates.h"
#include "core/util.h"
#include "db/db.h"
#include "io/dataset.h"
#include "io/refdata.h"
#include "render/html.h"
#include "web/pages/pages.h"

#define PAGE_ROWS 50

/* The files with a form, their slug in URLs and their title. */
static const struct {
  int fid;
  const char *slug;
  enum word title;
} files[] = {
    {F_LINES, "lines", W_file_lines},
    {F_GOALS, "goals", W_file_goals},
    {F_PLAN, "plan", W_file_plan},
    {F_INSTITUTIONS, "institutions", W_file_institutions},
    {F_SECTORS, "sectors", W_file_sectors},
    {F_ADVISORS, "advisors", W_file_advisors},
    {F_TEAMS, "teams", W_file_teams},
    {F_TARGET_GROUPS, "target_groups", W_file_target_groups},
    {F_TARGETS, "targets", W_file_targets},
    {F_TRAJECTORIES, "trajectories", W_file_trajectories},
    {F_SETTINGS, "settings", W_file_settings},
    {F_PD_SPEND, "pd_spend", W_file_pd_spend},
    {F_QUESTIONNAIRES, "questionnaires", W_file_questionnaires},
    {F_QUESTIONS, "questions", W_file_questions},
    {F_HOLIDAYS, "holidays", W_file_holidays},
    {F_DAYS_OFF, "days_off", W_file_days_off},
    {F_ADVISOR_LINES, "advisor_lines", W_file_advisor_lines},
};
#define NFILES ((int)(sizeof files / sizeof files[0]))

/* A column's label: the glossary's word col_NAME. */
/* A stored value as the Dutch (or English) screen shows it: a closed vocabulary's word
   (v_COLUMN_WORD), ja/nee, a decimal with a comma, a date as dd/mm/jjjj. The stored
   text itself otherwise. */
static const char *cell_text(const struct request *r, const struct coldef *cd, const char *v, char *out,
                             size_t n) {
  if (!*v) return v;
  if (cd->type == C_BOOL) return T(r, !strcmp(v, "true") ? W_yes : W_no);
  if (cd->vocab) {
    char vk[96];
    snprintf(vk, sizeof vk, "v_%s_%s", cd->name, v);
    int w = word_named(vk);
    return w >= 0 ? T(r, (enum word)w) : v;
  }
  if (cd->type == C_DEC && !(r->lang && !strcmp(r->lang, "en"))) {
    snprintf(out, n, "%s", v);
    for (char *p = out; *p; p++)
      if (*p == '.') *p = ',';
    return out;
  }
  if (cd->type == C_LIST && strchr(v, '|')) { /* "T-EXC, T-KLO" */
    size_t o = 0;
    for (const char *p = v; *p && o + 3 < n; p++) {
      if (*p == '|') {
        out[o++] = ',';
        out[o++] = ' ';
      } else {
        out[o++] = *p;
      }
    }
    out[o] = 0;
    return out;
  }
  int32_t day;
  if (cd->type == C_DATE && date_parse(v, &day) == 0) {
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    snprintf(out, n, "%02u/%02u/%04u", (unsigned)d % 100u, (unsigned)m % 100u, (unsigned)y % 10000u);
    return out;
  }
  return v;
}

static const char *label(const struct request *r, const char *col) {
  char key[64];
  snprintf(key, sizeof key, "col_%s", col);
  int w = word_named(key);
  return w < 0 ? col : T(r, (enum word)w);
}

static int file_of(const char *slug) {
  for (int i = 0; slug && i < NFILES; i++)
    if (!strcmp(files[i].slug, slug)) return i;
  return -1;
}

static int is_key(int fid, int c) {
  const struct filedef *fd = &dataset_files[fid];
  for (int k = 0; k < fd->nkey; k++)
    if (fd->key[k] == c) return 1;
  return 0;
}

static void key_query(struct buf *b, int fid, char *const *row) {
  const struct filedef *fd = &dataset_files[fid];
  for (int k = 0; k < fd->nkey; k++) {
    buf_printf(b, "&amp;k%d=", k);
    html_url(b, row[fd->key[k]]);
  }
}

/* ---- the list ---- */

static int row_matches(const struct ref_table *t, size_t i, const char *q) {
  if (!q || !*q) return 1;
  for (int c = 0; c < t->ncols; c++)
    if (strcasestr(t->rows[i][c], q)) return 1;
  return 0;
}

static void data_index(struct request *r, struct response *resp) {
  struct buf *b = &resp->body;
  page_begin(r, resp, T(r, W_reference_data));
  html_raw(b, "<ul class=\"files\">");
  for (int i = 0; i < NFILES; i++) {
    html_raw(b, "<li><a href=\"/beheer/gegevens?bestand=");
    html_url(b, files[i].slug);
    html_raw(b, "\">");
    html_text(b, T(r, files[i].title));
    html_raw(b, "</a></li>");
  }
  html_raw(b, "</ul>");
  page_end(r, resp);
}

void page_data_list(struct request *r, struct response *resp) {
  int fi = file_of(req_query(r, "bestand"));
  if (!req_query(r, "bestand")) {
    data_index(r, resp);
    return;
  }
  if (fi < 0) {
    page_error(r, resp, 404);
    return;
  }
  int fid = files[fi].fid;
  const struct filedef *fd = &dataset_files[fid];
  struct ref_table t;
  if (refdata_load(r->db, fid, &t, 0) != 0) {
    refdata_free(&t);
    page_error(r, resp, 500);
    return;
  }
  struct buf *b = &resp->body;
  const char *title = T(r, files[fi].title);
  const char *q = req_query(r, "q");
  long pg = 1;
  const char *ps = req_query(r, "pagina");
  if (ps) pg = strtol(ps, NULL, 10);
  if (pg < 1) pg = 1;
  page_begin(r, resp, title);
  html_raw(b, "<p><a href=\"/beheer/gegevens\">");
  html_text(b, T(r, W_reference_data));
  html_raw(b, "</a> · <a class=\"button\" href=\"/beheer/rij?bestand=");
  html_url(b, files[fi].slug);
  html_raw(b, "\">");
  html_text(b, T(r, W_new_row));
  html_raw(b, "</a></p>");
  const char *saved = req_query(r, "opgeslagen");
  if (saved) {
    html_raw(b, "<p class=\"saved\" role=\"status\">");
    html_text(b, T(r, W_saved));
    html_raw(b, " ");
    html_text(b, saved);
    html_raw(b, "</p>");
  }
  const char *deleted = req_query(r, "verwijderd");
  if (deleted) {
    html_raw(b, "<p class=\"saved\" role=\"status\">");
    html_text(b, T(r, W_deleted));
    html_raw(b, " ");
    html_text(b, deleted);
    html_raw(b, "</p>");
  }
  html_raw(b, "<form method=\"get\" action=\"/beheer/gegevens\" class=\"filters\" role=\"search\">"
              "<input type=\"hidden\" name=\"bestand\" value=\"");
  html_attr(b, files[fi].slug);
  html_raw(b, "\"><label for=\"q\">");
  html_text(b, T(r, W_search));
  html_raw(b, "</label> <input type=\"search\" id=\"q\" name=\"q\" value=\"");
  html_attr(b, q ? q : "");
  html_raw(b, "\"> <button type=\"submit\">");
  html_text(b, T(r, W_search));
  html_raw(b, "</button></form>");

  size_t matched = 0;
  for (size_t i = 0; i < t.n; i++) matched += (size_t)row_matches(&t, i, q);
  long pages = (long)((matched + PAGE_ROWS - 1) / PAGE_ROWS);
  if (pg > pages && pages > 0) pg = pages;
  html_table_open(b, title, NULL, NULL);
  html_text(b, title);
  html_textf(b, " (%zu)", matched);
  html_raw(b, "</caption><thead><tr>");
  for (int c = 0; c < fd->ncols; c++) {
    html_raw(b, "<th scope=\"col\">");
    html_text(b, label(r, fd->cols[c].name));
    html_raw(b, "</th>");
  }
  html_raw(b, "</tr></thead><tbody>");
  size_t seen = 0;
  for (size_t i = 0; i < t.n; i++) {
    if (!row_matches(&t, i, q)) continue;
    seen++;
    if (seen <= (size_t)(pg - 1) * PAGE_ROWS || seen > (size_t)pg * PAGE_ROWS) continue;
    html_raw(b, "<tr>");
    for (int c = 0; c < fd->ncols; c++) {
      if (c == 0) {
        html_raw(b, "<th scope=\"row\"><a href=\"/beheer/rij?bestand=");
        html_url(b, files[fi].slug);
        key_query(b, fid, t.rows[i]);
        html_raw(b, "\">");
        html_text(b, *t.rows[i][c] ? t.rows[i][c] : "–");
        html_raw(b, "</a></th>");
      } else {
        char shown[256];
        const char *v = cell_text(r, &fd->cols[c], t.rows[i][c], shown, sizeof shown);
        html_raw_if(b, fd->cols[c].type == C_DEC || fd->cols[c].type == C_INT, "<td class=\"n\">", "<td>");
        html_text(b, v);
        html_raw(b, "</td>");
      }
    }
    html_raw(b, "</tr>");
  }
  html_raw(b, "</tbody></table></div>");
  if (pages > 1) {
    html_raw(b, "<p class=\"filters\">");
    for (long p = 1; p <= pages; p++) {
      if (p == pg) {
        html_textf(b, " %ld ", p);
        continue;
      }
      html_raw(b, " <a href=\"/beheer/gegevens?bestand=");
      html_url(b, files[fi].slug);
      if (q) {
        html_raw(b, "&amp;q=");
        html_url(b, q);
      }
      buf_printf(b, "&amp;pagina=%ld\">%ld</a> ", p, p);
    }
    html_raw(b, "</p>");
  }
  page_end(r, resp);
  refdata_free(&t);
}

/* ---- the form ---- */

struct field_error {
  int col; /* -1: the row as a whole */
  char msg[400];
};

struct row_form {
  int fi, fid, existed;
  char **v; /* ncols values */
  struct field_error err[32];
  int nerr;
};

/* Options of a list column: the codes of the referenced table. */
struct choice_out {
  struct buf *b;
  const char *id, *value; /* a checkbox list: its field id and its current value */
};

static int list_has(const char *list, const char *item);

static void checkbox_choice(void *ctx, const char *code, const char *name) {
  (void)name;
  struct choice_out *o = ctx;
  html_raw(o->b, "<label class=\"inline\"><input type=\"checkbox\" name=\"");
  html_attr(o->b, o->id);
  html_raw(o->b, "\" value=\"");
  html_attr(o->b, code);
  html_raw_if(o->b, list_has(o->value, code), "\" checked>", "\">");
  html_text(o->b, code);
  html_raw(o->b, "</label>");
}

static void option_choice(void *ctx, const char *code, const char *name) {
  struct choice_out *o = ctx;
  html_raw(o->b, "<option value=\"");
  html_attr(o->b, code);
  html_raw(o->b, "\">");
  html_text(o->b, name ? name : "");
  html_raw(o->b, "</option>");
}

static int list_has(const char *list, const char *item) {
  size_t n = strlen(item);
  for (const char *p = list; p && *p;) {
    const char *e = strchr(p, '|');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len == n && !strncmp(p, item, n)) return 1;
    p = e ? e + 1 : p + len;
  }
  return 0;
}

static void field_errors(const struct request *r, struct buf *b, const struct row_form *f, int col,
                         const char *id) {
  (void)r;
  int any = 0;
  for (int i = 0; i < f->nerr; i++) {
    if (f->err[i].col != col) continue;
    if (!any) {
      html_raw(b, "<div class=\"error\" id=\"");
      html_attr(b, id);
      html_raw(b, "-error\">");
    } else {
      html_raw(b, "<br>");
    }
    any = 1;
    html_text(b, f->err[i].msg);
  }
  if (any) html_raw(b, "</div>");
}

static int has_error(const struct row_form *f, int col) {
  for (int i = 0; i < f->nerr; i++)
    if (f->err[i].col == col) return 1;
  return 0;
}

static void render_form(struct request *r, struct response *resp, const struct row_form *f) {
  struct buf *b = &resp->body;
  const struct filedef *fd = &dataset_files[f->fid];
  html_raw(b, "<p><a href=\"/beheer/gegevens?bestand=");
  html_url(b, files[f->fi].slug);
  html_raw(b, "\">");
  html_text(b, T(r, files[f->fi].title));
  html_raw(b, "</a></p>");
  if (f->nerr) {
    html_raw(b, "<p class=\"error\" role=\"alert\">");
    html_text(b, T(r, W_form_has_errors));
    html_raw(b, "</p>");
    field_errors(r, b, f, -1, "form");
  }
  html_raw(b, "<form method=\"post\" action=\"/beheer/rij\" class=\"record\" novalidate>");
  csrf_field(r, resp);
  html_raw(b, "<input type=\"hidden\" name=\"bestand\" value=\"");
  html_attr(b, files[f->fi].slug);
  html_raw(b, "\"><input type=\"hidden\" name=\"bestaand\" value=\"");
  html_raw_if(b, f->existed, "1", "0");
  html_raw(b, "\">");
  for (int c = 0; c < fd->ncols; c++) {
    const struct coldef *cd = &fd->cols[c];
    char id[80];
    snprintf(id, sizeof id, "c-%s", cd->name);
    const char *v = f->v[c] ? f->v[c] : "";
    int fixed = (f->existed && is_key(f->fid, c)) || (f->fid == F_SETTINGS && !strcmp(cd->name, "locked"));
    html_raw(b, "<div>");
    if (cd->type == C_LIST) {
      html_raw(b, "<fieldset><legend>");
      html_text(b, label(r, cd->name));
      html_raw(b, "</legend>");
      struct choice_out o = {b, id, v};
      refdata_choices(r->db, cd->name, checkbox_choice, &o);
      html_raw(b, "</fieldset>");
      field_errors(r, b, f, c, id);
      html_raw(b, "</div>");
      continue;
    }
    html_raw(b, "<label for=\"");
    html_attr(b, id);
    html_raw(b, "\">");
    html_text(b, label(r, cd->name));
    if (cd->required) html_raw(b, " <span aria-hidden=\"true\">*</span>");
    html_raw(b, "</label>");
    if (fixed) {
      html_raw(b, "<input id=\"");
      html_attr(b, id);
      html_raw(b, "\" name=\"");
      html_attr(b, id);
      html_raw(b, "\" readonly value=\"");
      html_attr(b, v);
      html_raw(b, "\">");
      html_raw(b, "</div>");
      continue;
    }
    /* a closed vocabulary (io/dataset.c) is a select; an optional one starts empty */
    char optional[256];
    const char *words = cd->vocab;
    if (words && !cd->required && !cd->dflt) {
      snprintf(optional, sizeof optional, "|%s", words);
      words = optional;
    }
    if (cd->type == C_BOOL) words = "true|false";
    if (words) {
      html_raw(b, "<select id=\"");
      html_attr(b, id);
      html_raw(b, "\" name=\"");
      html_attr(b, id);
      html_raw(b, "\">");
      const char *dflt = *v ? v : cd->dflt ? cd->dflt : "";
      for (const char *p = words;;) {
        const char *e = strchr(p, '|');
        char w[32];
        snprintf(w, sizeof w, "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
        html_raw(b, "<option value=\"");
        html_attr(b, w);
        html_raw_if(b, strcmp(w, dflt), "\">", "\" selected>");
        char vk[96];
        snprintf(vk, sizeof vk, "v_%s_%s", cd->name, w);
        int vw = word_named(vk);
        html_text(b, !strcmp(w, "true")    ? T(r, W_yes)
                     : !strcmp(w, "false") ? T(r, W_no)
                     : vw >= 0             ? T(r, (enum word)vw)
                     : *w                  ? w
                                           : "–");
        html_raw(b, "</option>");
        if (!e) break;
        p = e + 1;
      }
      html_raw(b, "</select>");
    } else {
      int src = refdata_refers(cd->name);
      int area = cd->type == C_TEXT && (!strcmp(cd->name, "action_plan") || !strcmp(cd->name, "shared_goal"));
      html_raw_if(b, area, "<textarea rows=\"4\" id=\"", "<input id=\"");
      html_attr(b, id);
      html_raw(b, "\" name=\"");
      html_attr(b, id);
      html_raw(b, "\"");
      if (cd->type == C_DATE) html_raw(b, " type=\"date\"");
      if (cd->type == C_DEC) html_raw(b, " inputmode=\"decimal\"");
      if (cd->type == C_INT) html_raw(b, " inputmode=\"numeric\"");
      if (cd->type == C_YEAR) html_raw(b, " placeholder=\"2025-2026\"");
      if (cd->required) html_raw(b, " required");
      if (src) {
        html_raw(b, " list=\"");
        html_attr(b, id);
        html_raw(b, "-list\"");
      }
      if (has_error(f, c)) {
        html_raw(b, " aria-invalid=\"true\" aria-describedby=\"");
        html_attr(b, id);
        html_raw(b, "-error\"");
      }
      if (area) {
        html_raw(b, ">");
        html_text(b, v);
        html_raw(b, "</textarea>");
      } else {
        html_raw(b, " value=\"");
        html_attr(b, v);
        html_raw(b, "\">");
      }
      if (src) {
        html_raw(b, "<datalist id=\"");
        html_attr(b, id);
        html_raw(b, "-list\">");
        struct choice_out o = {b, id, NULL};
        refdata_choices(r->db, cd->name, option_choice, &o);
        html_raw(b, "</datalist>");
      }
    }
    field_errors(r, b, f, c, id);
    html_raw(b, "</div>");
  }
  html_raw(b, "<div><button type=\"submit\">");
  html_text(b, T(r, W_save));
  html_raw(b, "</button></div></form>");
  if (f->existed && f->fid != F_SETTINGS) {
    const struct filedef *d = &dataset_files[f->fid];
    html_raw(b, "<form method=\"post\" action=\"/beheer/rij/verwijder\" class=\"record\">");
    csrf_field(r, resp);
    html_raw(b, "<input type=\"hidden\" name=\"bestand\" value=\"");
    html_attr(b, files[f->fi].slug);
    html_raw(b, "\">");
    for (int k = 0; k < d->nkey; k++) {
      buf_printf(b, "<input type=\"hidden\" name=\"k%d\" value=\"", k);
      html_attr(b, f->v[d->key[k]]);
      html_raw(b, "\">");
    }
    html_raw(b, "<p class=\"muted\">");
    html_text(b, T(r, W_delete_hint));
    html_raw(b, "</p><div><button type=\"submit\" class=\"danger\">");
    html_text(b, T(r, W_delete));
    html_raw(b, "</button></div></form>");
  }
}

/* The form in a page titled "File: key" or "File: Nieuw". */
static void form_page(struct request *r, struct response *resp, const struct row_form *f) {
  struct buf title = {0};
  buf_printf(&title, "%s: ", T(r, files[f->fi].title));
  if (f->existed)
    refdata_key_text(f->fid, f->v, &title);
  else
    buf_puts(&title, T(r, W_new_row));
  page_begin(r, resp, buf_str(&title));
  render_form(r, resp, f);
  page_end(r, resp);
  buf_free(&title);
}

static void keys_of(const struct request *r, int form, const char *keys[8]) {
  for (int k = 0; k < 8; k++) {
    char name[8];
    snprintf(name, sizeof name, "k%d", k);
    keys[k] = form ? req_form(r, name) : req_query(r, name);
  }
}

static void form_free(struct row_form *f) {
  const struct filedef *fd = &dataset_files[f->fid];
  for (int c = 0; f->v && c < fd->ncols; c++) free(f->v[c]);
  free(f->v);
}

void page_data_row_get(struct request *r, struct response *resp) {
  int fi = file_of(req_query(r, "bestand"));
  if (fi < 0) {
    page_error(r, resp, 404);
    return;
  }
  struct row_form f = {.fi = fi, .fid = files[fi].fid};
  const struct filedef *fd = &dataset_files[f.fid];
  f.v = xcalloc((size_t)fd->ncols, sizeof *f.v);
  const char *keys[8];
  keys_of(r, 0, keys);
  if (keys[0]) {
    struct ref_table t;
    if (refdata_load(r->db, f.fid, &t, 0) != 0) {
      refdata_free(&t);
      form_free(&f);
      page_error(r, resp, 500);
      return;
    }
    long i = refdata_find(&t, keys);
    if (i < 0) {
      refdata_free(&t);
      form_free(&f);
      page_error(r, resp, 404);
      return;
    }
    for (int c = 0; c < fd->ncols; c++) f.v[c] = xstrdup(t.rows[i][c]);
    f.existed = 1;
    refdata_free(&t);
  } else {
    for (int c = 0; c < fd->ncols; c++) f.v[c] = xstrdup(fd->cols[c].dflt ? fd->cols[c].dflt : "");
  }
  form_page(r, resp, &f);
  form_free(&f);
}

/* After a save or delete: the file's list, saying which row (what = "opgeslagen" or
   "verwijderd"). */
static void back_to_list(struct response *resp, int fi, const char *what, const char *key) {
  struct buf loc = {0};
  buf_puts(&loc, "/beheer/gegevens?bestand=");
  html_url(&loc, files[fi].slug);
  buf_printf(&loc, "&%s=", what);
  html_url(&loc, key);
  resp_redirect(resp, buf_str(&loc));
  buf_free(&loc);
}

/* ---- saving: one row through the reference-data door ---- */

/* The door's problems beside their fields (the row as a whole for another column). */
static void on_problem(void *arg, const char *column, const char *message) {
  struct row_form *f = arg;
  if (f->nerr >= (int)(sizeof f->err / sizeof f->err[0])) return;
  const struct filedef *fd = &dataset_files[f->fid];
  struct field_error *fe = &f->err[f->nerr++];
  fe->col = -1;
  for (int k = 0; k < fd->ncols; k++)
    if (!strcmp(fd->cols[k].name, column)) fe->col = k;
  if (fe->col >= 0 || !strcmp(column, "-"))
    snprintf(fe->msg, sizeof fe->msg, "%.399s", message);
  else
    snprintf(fe->msg, sizeof fe->msg, "%.60s: %.330s", column, message);
}

void page_data_row_post(struct request *r, struct response *resp) {
  int fi = file_of(req_form(r, "bestand"));
  if (fi < 0) {
    page_error(r, resp, 400);
    return;
  }
  struct row_form f = {.fi = fi, .fid = files[fi].fid};
  const struct filedef *fd = &dataset_files[f.fid];
  f.v = xcalloc((size_t)fd->ncols, sizeof *f.v);
  for (int c = 0; c < fd->ncols; c++) {
    char id[80];
    snprintf(id, sizeof id, "c-%s", fd->cols[c].name);
    if (fd->cols[c].type == C_LIST) {
      struct buf l = {0};
      for (int i = 0; i < r->nform; i++)
        if (!strcmp(r->form[i].key, id) && *r->form[i].value)
          buf_printf(&l, "%s%s", l.len ? "|" : "", r->form[i].value);
      f.v[c] = xstrdup(buf_str(&l));
      buf_free(&l);
    } else {
      const char *v = req_form(r, id);
      f.v[c] = xstrdup(v ? v : "");
    }
  }
  const char *ex = req_form(r, "bestaand");
  int want_existing = ex && !strcmp(ex, "1");
  /* the stored row: on an edit its key (and a setting's lock) cannot change; a new row
     must not overwrite one */
  struct ref_table t;
  if (refdata_load(r->db, f.fid, &t, 0) != 0) {
    refdata_free(&t);
    form_free(&f);
    page_error(r, resp, 500);
    return;
  }
  const char *keys[8] = {0};
  for (int k = 0; k < fd->nkey; k++) keys[k] = f.v[fd->key[k]];
  long at = refdata_find(&t, keys);
  struct buf key = {0};
  if (want_existing && at < 0) {
    refdata_free(&t);
    form_free(&f);
    page_error(r, resp, 404);
    return;
  }
  if (at >= 0) {
    f.existed = 1;
    if (!want_existing) {
      struct field_error *fe = &f.err[f.nerr++];
      fe->col = fd->key[0];
      snprintf(fe->msg, sizeof fe->msg, "%s", T(r, W_key_exists));
    }
    if (f.fid == F_SETTINGS) {
      free(f.v[4]);
      f.v[4] = xstrdup(t.rows[at][4]);
    }
  }
  refdata_key_text(f.fid, f.v, &key);
  refdata_free(&t);
  if (!want_existing && f.existed) {
    f.existed = 0;
    resp->status = 422;
    form_page(r, resp, &f);
    buf_free(&key);
    form_free(&f);
    return;
  }

  const char *names[64];
  for (int c = 0; c < fd->ncols; c++) names[c] = fd->cols[c].name;
  struct ref_change ch = {
      .actor = r->user.login, .now = r->now, .lang = r->lang, .problem = on_problem, .arg = &f};
  int rc = refdata_put(r->db, f.fid, fd->ncols, names, (const char *const *)f.v, &ch);
  if (rc == REF_OK) {
    back_to_list(resp, fi, "opgeslagen", buf_str(&key));
  } else if (rc == REF_INVALID) {
    resp->status = 422;
    form_page(r, resp, &f);
  } else {
    page_error(r, resp, 500);
  }
  buf_free(&key);
  form_free(&f);
}

/* ---- deleting a row nothing refers to ---- */

static void delete_refused(struct request *r, struct response *resp, int status, const char *key,
                           enum word why) {
  resp->status = status;
  page_begin(r, resp, T(r, W_delete));
  html_raw(&resp->body, "<p class=\"error\" role=\"alert\">");
  html_text(&resp->body, key);
  html_raw(&resp->body, ": ");
  html_text(&resp->body, T(r, why));
  html_raw(&resp->body, "</p>");
  page_end(r, resp);
}

void page_data_row_delete(struct request *r, struct response *resp) {
  int fi = file_of(req_form(r, "bestand"));
  if (fi < 0 || !refdata_deletable(files[fi].fid)) {
    page_error(r, resp, 400);
    return;
  }
  int fid = files[fi].fid;
  const struct filedef *fd = &dataset_files[fid];
  const char *keys[8];
  keys_of(r, 1, keys);
  struct buf key = {0};
  for (int k = 0; k < fd->nkey; k++) buf_printf(&key, "%s%s", k ? " / " : "", keys[k] ? keys[k] : "");
  struct ref_change ch = {.actor = r->user.login, .now = r->now, .lang = r->lang};
  int rc = refdata_delete(r->db, fid, keys, &ch);
  if (rc == REF_OK) {
    back_to_list(resp, fi, "verwijderd", buf_str(&key));
  } else if (rc == REF_NOT_FOUND) {
    page_error(r, resp, 404);
  } else if (rc == REF_LOCKED) {
    delete_refused(r, resp, 409, buf_str(&key), W_delete_locked);
  } else if (rc == REF_IN_USE) {
    delete_refused(r, resp, 409, buf_str(&key), W_delete_in_use);
  } else {
    page_error(r, resp, 500);
  }
  buf_free(&key);
}
