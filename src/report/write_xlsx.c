/* SPDX-License-Identifier: EUPL-1.2 */
/* The report as an XLSX workbook (libxlsxwriter, constant-memory mode): a first sheet
   with the title, the years, the date of generation and the definitions, then one sheet
   per table with a title row, two frozen header rows (school year, measure) and the
   rows. Cells hold the unrounded values of the facts; the number formats show them the
   Belgian way in a Belgian Excel (#,##0 -> 12.725, 0.00 -> 0,55, 0% -> 56%: Excel writes
   the separators of the reader's locale). */
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/dates.h"
#include "report/export.h"

struct xfmt {
  lxw_format *title, *head, *head_left, *label, *label_total, *text, *dash, *dash_total;
  lxw_format *num[2][3]; /* [total][decimals 0..2] */
  lxw_format *pct[2];
};

/* Text of a label: a leading = + - @ tab or CR gets an apostrophe, as in the CSV
   tables, so that a copy into another sheet or a CSV can never become a formula. */
static void safe_text(const char *s, char *out, size_t n) {
  int neutral = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
  snprintf(out, n, "%s%s", neutral ? "'" : "", s);
}

struct xrow_ctx {
  lxw_worksheet *ws;
  const struct xfmt *f;
  const struct rep_table *t;
  lxw_row_t row;
  lxw_error err;
  size_t widest;
};

static int xlsx_row(void *ctx, const struct rep_row *r) {
  struct xrow_ctx *x = ctx;
  char label[512];
  safe_text(r->label, label, sizeof label);
  lxw_error e = worksheet_write_string(x->ws, x->row, 0, label, r->total ? x->f->label_total : x->f->label);
  for (int c = 0; c < x->t->n_cols && e == LXW_NO_ERROR; c++) {
    lxw_col_t col = (lxw_col_t)(c + 1);
    /* no number: an empty cell (a "–" text would break sums and filters); a total row
       keeps its bold line */
    if (r->state[c] == REP_EMPTY || r->state[c] == REP_ABSENT) {
      if (r->total) e = worksheet_write_blank(x->ws, x->row, col, x->f->dash_total);
      continue;
    }
    lxw_format *nf =
        r->pct[c] ? x->f->pct[r->total] : x->f->num[r->total][r->decimals[c] > 2 ? 2 : r->decimals[c]];
    e = worksheet_write_number(x->ws, x->row, col, r->v[c], nf);
  }
  x->row++;
  if (e != LXW_NO_ERROR) {
    x->err = e;
    return -1;
  }
  return 0;
}

static int widest_label(void *ctx, const struct rep_row *r) {
  struct xrow_ctx *x = ctx;
  x->row++; /* counts the rows too */
  size_t n = 0;
  for (const char *p = r->label; *p; p++) n += ((unsigned char)*p & 0xC0) != 0x80;
  if (n > x->widest) x->widest = n;
  return 0;
}

static lxw_format *num_format(lxw_workbook *wb, const char *code, int bold) {
  lxw_format *f = workbook_add_format(wb);
  format_set_num_format(f, code);
  if (bold) {
    format_set_bold(f);
    format_set_top(f, LXW_BORDER_THIN);
  }
  return f;
}

static void make_formats(lxw_workbook *wb, struct xfmt *f) {
  f->title = workbook_add_format(wb);
  format_set_bold(f->title);
  format_set_font_size(f->title, 14);
  f->head = workbook_add_format(wb);
  format_set_bold(f->head);
  format_set_align(f->head, LXW_ALIGN_RIGHT);
  format_set_bottom(f->head, LXW_BORDER_THIN);
  format_set_text_wrap(f->head);
  f->head_left = workbook_add_format(wb);
  format_set_bold(f->head_left);
  format_set_bottom(f->head_left, LXW_BORDER_THIN);
  f->label = workbook_add_format(wb);
  f->label_total = workbook_add_format(wb);
  format_set_bold(f->label_total);
  format_set_top(f->label_total, LXW_BORDER_THIN);
  f->text = workbook_add_format(wb);
  format_set_text_wrap(f->text);
  format_set_align(f->text, LXW_ALIGN_VERTICAL_TOP);
  f->dash = workbook_add_format(wb);
  format_set_align(f->dash, LXW_ALIGN_RIGHT);
  f->dash_total = workbook_add_format(wb);
  format_set_align(f->dash_total, LXW_ALIGN_RIGHT);
  format_set_bold(f->dash_total);
  format_set_top(f->dash_total, LXW_BORDER_THIN);
  static const char *const codes[3] = {"#,##0", "#,##0.0", "#,##0.00"};
  for (int b = 0; b < 2; b++) {
    for (int d = 0; d < 3; d++) f->num[b][d] = num_format(wb, codes[d], b);
    f->pct[b] = num_format(wb, "0%", b);
  }
}

static lxw_error info_sheet(lxw_workbook *wb, const struct report *rp, const struct rep_opts *o,
                            const struct xfmt *f) {
  lxw_worksheet *ws = workbook_add_worksheet(wb, report_word(rp, W_info_sheet));
  if (!ws) return LXW_ERROR_MEMORY_MALLOC_FAILED;
  worksheet_set_column(ws, 0, 0, 30, NULL);
  worksheet_set_column(ws, 1, 1, 100, f->text);
  char years[64] = "";
  for (int k = 0; k < rp->n_years; k++) {
    char y[10];
    school_year_format(rp->years[k], y);
    snprintf(years + strlen(years), sizeof years - strlen(years), "%s%s", k ? ", " : "", y);
  }
  lxw_error e = worksheet_write_string(ws, 0, 0, report_title(rp), f->title);
  if (!e) e = worksheet_write_string(ws, 2, 0, report_word(rp, W_years), f->head_left);
  if (!e) e = worksheet_write_string(ws, 2, 1, years, NULL);
  if (!e) e = worksheet_write_string(ws, 3, 0, report_word(rp, W_generated), f->head_left);
  if (!e) e = worksheet_write_string(ws, 3, 1, o->generated ? o->generated : "", NULL);
  if (!e) e = worksheet_write_string(ws, 5, 0, report_word(rp, W_definitions), f->title);
  lxw_row_t row = 6;
  for (const struct rep_definition *d = report_definitions(rp); d->term && !e; d++, row++) {
    e = worksheet_write_string(ws, row, 0, d->term, f->head_left);
    if (!e) e = worksheet_write_string(ws, row, 1, d->text, f->text);
  }
  /* the list of the sheets */
  row++;
  if (!e) e = worksheet_write_string(ws, row++, 0, report_word(rp, W_contents), f->title);
  for (int t = 0; t < rp->n_tables && !e; t++, row++) {
    e = worksheet_write_string(ws, row, 0, rp->tables[t].sheet, f->head_left);
    if (!e) e = worksheet_write_string(ws, row, 1, rp->tables[t].title, NULL);
  }
  return e;
}

static lxw_error table_sheet(lxw_workbook *wb, const struct report *rp, int ti, const struct xfmt *f) {
  const struct rep_table *t = &rp->tables[ti];
  lxw_worksheet *ws = workbook_add_worksheet(wb, t->sheet);
  if (!ws) return LXW_ERROR_MEMORY_MALLOC_FAILED;
  struct xrow_ctx x = {ws, f, t, 3, LXW_NO_ERROR, 8};
  report_rows(rp, ti, widest_label, &x); /* one pass for the width of the label column */
  lxw_row_t last = x.row > 3 ? x.row - 1 : 3;
  x.row = 3;
  /* a filter on the measure's header row; printed on A4, landscape when wide, one page
     wide, the title and the two header rows on every page */
  worksheet_autofilter(ws, 2, 0, last, (lxw_col_t)t->n_cols);
  worksheet_set_paper(ws, 9);
  if (t->n_cols > 6) worksheet_set_landscape(ws);
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_repeat_rows(ws, 0, 2);
  worksheet_set_column(ws, 0, 0, x.widest > 60 ? 60 : (double)x.widest + 2, NULL);
  worksheet_set_column(ws, 1, (lxw_col_t)t->n_cols, 14, NULL);
  worksheet_freeze_panes(ws, 3, 1);
  lxw_error e = worksheet_write_string(ws, 0, 0, t->title, f->title);
  /* constant-memory mode: rows strictly in order */
  if (!e) e = worksheet_write_string(ws, 1, 0, "", f->head_left);
  for (int c = 0; c < t->n_cols && !e; c++) {
    char y[10];
    school_year_format(t->cols[c].year, y);
    e = worksheet_write_string(ws, 1, (lxw_col_t)(c + 1), y, f->head);
  }
  if (!e) e = worksheet_write_string(ws, 2, 0, "", f->head_left);
  for (int c = 0; c < t->n_cols && !e; c++)
    e = worksheet_write_string(ws, 2, (lxw_col_t)(c + 1), t->cols[c].head, f->head);
  if (e) return e;
  if (report_rows(rp, ti, xlsx_row, &x) != 0) return x.err;
  return LXW_NO_ERROR;
}

int report_write_xlsx(const struct report *rp, const struct rep_opts *o, const char *path, char *err,
                      size_t errlen) {
  lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
  lxw_workbook *wb = workbook_new_opt(path, &opts);
  if (!wb) {
    snprintf(err, errlen, "%s: cannot create the workbook", path);
    return -1;
  }
  lxw_doc_properties props = {0};
  props.title = (char *)report_title(rp);
  props.author = (char *)"bereik";
  workbook_set_properties(wb, &props);
  struct xfmt f;
  make_formats(wb, &f);
  lxw_error e = info_sheet(wb, rp, o, &f);
  for (int t = 0; t < rp->n_tables && !e; t++) e = table_sheet(wb, rp, t, &f);
  lxw_error ce = workbook_close(wb); /* writes the file; frees the workbook in every case */
  if (!e) e = ce;
  if (e) {
    snprintf(err, errlen, "%s: cannot write: %s", path, lxw_strerror(e));
    return -1;
  }
  return 0;
}
