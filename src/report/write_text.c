/* SPDX-License-Identifier: EUPL-1.2 */
/* The report as HTML (tables and charts for the web page and the self-contained file)
   and as CSV tables; the table of formats and the atomic export (report/export.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/dates.h"
#include "core/escape.h"
#include "render/html.h"
#include "report/export.h"

/* ------------------------------------------------------------------------------------ */
/* HTML                                                                                 */

struct html_ctx {
  struct buf *b;
  const struct rep_table *t;
};

static int html_row(void *ctx, const struct rep_row *r) {
  struct html_ctx *h = ctx;
  struct buf *b = h->b;
  html_raw_if(b, r->total, "<tr class=\"total\"><th scope=\"row\">", "<tr><th scope=\"row\">");
  html_text(b, r->label);
  html_raw(b, "</th>");
  for (int c = 0; c < h->t->n_cols; c++) {
    char s[64];
    report_format_cell(r, c, 0, s, sizeof s);
    html_raw_if(b, r->state[c] == REP_EMPTY, "<td>", "<td class=\"n\">");
    html_text(b, s);
    html_raw(b, "</td>");
  }
  html_raw(b, "</tr>");
  return 0;
}

void report_html_table(struct buf *b, const struct report *rp, int ti) {
  const struct rep_table *t = &rp->tables[ti];
  html_table_open(b, t->title, t->id, NULL);
  html_text(b, t->title);
  /* several measures per school year: the year once over its columns, the measures
     under it (the table stays as narrow as its numbers) */
  int grouped = !t->one_year && t->n_cols > 1 && t->cols[0].head[0] && t->cols[1].year == t->cols[0].year;
  if (grouped) {
    html_raw(b, "</caption><thead><tr class=\"years\"><td></td>");
    for (int c = 0; c < t->n_cols;) {
      int span = 1;
      while (c + span < t->n_cols && t->cols[c + span].year == t->cols[c].year) span++;
      char y[10], n[12];
      school_year_format(t->cols[c].year, y);
      snprintf(n, sizeof n, "%d", span);
      html_raw(b, "<th scope=\"colgroup\" class=\"year\" colspan=\"");
      html_attr(b, n);
      html_raw(b, "\">");
      html_text(b, y);
      html_raw(b, "</th>");
      c += span;
    }
    html_raw(b, "</tr><tr><td></td>");
    for (int c = 0; c < t->n_cols; c++) {
      html_raw(b, "<th scope=\"col\" class=\"n\">");
      html_text(b, t->cols[c].head);
      html_raw(b, "</th>");
    }
    html_raw(b, "</tr></thead><tbody>");
  } else {
    html_raw(b, "</caption><thead><tr><th scope=\"col\"></th>");
    for (int c = 0; c < t->n_cols; c++) {
      char y[10];
      school_year_format(t->cols[c].year, y);
      html_raw(b, "<th scope=\"col\" class=\"n\">");
      if (!t->one_year) html_text(b, y);
      if (!t->one_year && t->cols[c].head[0]) html_raw(b, "<br>");
      html_text(b, t->cols[c].head);
      html_raw(b, "</th>");
    }
    html_raw(b, "</tr></thead><tbody>");
  }
  struct html_ctx h = {b, t};
  report_rows(rp, ti, html_row, &h);
  html_raw(b, "</tbody></table></div>");
}

static void svg_of(struct buf *b, const struct rep_table *t, const struct rep_chart *rc) {
  if (t->chart == REP_CHART_STACKED)
    chart_stacked(b, &rc->c);
  else if (t->chart == REP_CHART_KLV_LINE)
    chart_line(b, &rc->c);
  else
    chart_bars(b, &rc->c);
}

void report_svg_chart(struct buf *b, const struct report *rp, int ti) {
  const struct rep_table *t = &rp->tables[ti];
  if (t->chart == REP_CHART_NONE) return;
  struct rep_chart rc;
  report_chart(rp, ti, &rc);
  svg_of(b, t, &rc);
  report_chart_free(&rc);
}

void report_html_chart(struct buf *b, const struct report *rp, int ti) {
  const struct rep_table *t = &rp->tables[ti];
  if (t->chart == REP_CHART_NONE) return;
  struct rep_chart rc;
  report_chart(rp, ti, &rc);
  /* the chart's title visible above it (the svg's <title> is only a tooltip); the svg
     scales to the width of the page */
  html_raw(b, "<section class=\"chart\" aria-labelledby=\"");
  html_attr(b, rc.id);
  html_raw(b, "-h\"><h2 class=\"chart-title\" id=\"");
  html_attr(b, rc.id);
  html_raw(b, "-h\">");
  html_text(b, rc.c.title);
  html_raw(b, "</h2>");
  svg_of(b, t, &rc);
  html_raw(b, "</section>");
  report_chart_free(&rc);
}

static const char html_css[] =
    "body{font-family:'DejaVu Sans',system-ui,sans-serif;color:#1b1b1b;margin:2rem auto;max-width:70rem;"
    "padding:0 1rem;line-height:1.4}h1{font-size:1.6rem}caption{text-align:left;font-weight:bold;"
    "font-size:1.1rem;padding:.5rem 0}table{border-collapse:collapse;margin:0 0 2rem}th,td{padding:3px 8px;"
    "border-bottom:1px solid #d9d9d9;vertical-align:top}th{text-align:left;font-weight:normal}thead th{"
    "font-weight:bold}.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}tr.total th,"
    "tr.total td{font-weight:bold;border-top:1.5px solid #767676}.scroll{overflow-x:auto}section.chart{"
    "max-width:48rem}dt{font-weight:bold}dd{margin:0 0 .5rem 1rem}\n";

int report_write_html(const struct report *rp, const struct rep_opts *o, FILE *out) {
  struct buf b = {0};
  int rc = 0;
  html_raw_if(&b, rp->lang == REP_EN, "<!doctype html>\n<html lang=\"en\">",
              "<!doctype html>\n<html lang=\"nl-BE\">");
  html_raw(&b, "<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, "
               "initial-scale=1\"><title>");
  html_text(&b, report_title(rp));
  html_raw(&b, "</title><style>");
  html_trusted(&b, html_css);
  html_raw(&b, "</style></head><body><main><h1>");
  html_text(&b, report_title(rp));
  html_raw(&b, "</h1><p>");
  html_text(&b, report_word(rp, W_years));
  html_raw(&b, ": ");
  for (int k = 0; k < rp->n_years; k++) {
    char y[10];
    school_year_format(rp->years[k], y);
    if (k) html_raw(&b, ", ");
    html_text(&b, y);
  }
  html_raw(&b, "<br>");
  html_text(&b, report_word(rp, W_generated));
  html_raw(&b, ": ");
  html_text(&b, o->generated ? o->generated : "");
  html_raw(&b, "</p><h2>");
  html_text(&b, report_word(rp, W_definitions));
  html_raw(&b, "</h2><dl>");
  for (const struct rep_definition *d = report_definitions(rp); d->term; d++) {
    html_raw(&b, "<dt>");
    html_text(&b, d->term);
    html_raw(&b, "</dt><dd>");
    html_text(&b, d->text);
    html_raw(&b, "</dd>");
  }
  html_raw(&b, "</dl>");
  /* written table by table, so the buffer holds one table at a time */
  for (int t = 0; t < rp->n_tables && rc == 0; t++) {
    report_html_chart(&b, rp, t);
    report_html_table(&b, rp, t);
    if (fwrite(buf_str(&b), 1, b.len, out) != b.len) rc = -1;
    buf_reset(&b);
  }
  html_raw(&b, "</main></body></html>\n");
  if (rc == 0 && fwrite(buf_str(&b), 1, b.len, out) != b.len) rc = -1;
  buf_free(&b);
  return rc;
}

/* ------------------------------------------------------------------------------------ */
/* CSV                                                                                  */

/* A text field: neutralised when it starts with = + - @ tab or CR (a spreadsheet would
   read a formula), quoted when it holds the separator, a quote or a line break. */
static void csv_text(FILE *out, const char *s, char sep) { escape_csv(out, s, sep, 1); }

struct csv_ctx {
  FILE *out;
  const struct rep_table *t;
  int plain;
  char sep;
};

static int csv_row(void *ctx, const struct rep_row *r) {
  struct csv_ctx *c = ctx;
  csv_text(c->out, r->label, c->sep);
  for (int i = 0; i < c->t->n_cols; i++) {
    char s[64];
    report_format_cell(r, i, c->plain, s, sizeof s);
    fputc(c->sep, c->out);
    csv_text(c->out, s, c->sep);
  }
  fputs("\r\n", c->out);
  return ferror(c->out) ? -1 : 0;
}

int report_write_csv_table(const struct report *rp, int ti, const struct rep_opts *o, FILE *out) {
  const struct rep_table *t = &rp->tables[ti];
  char sep = o->plain ? ',' : ';';
  csv_text(out, t->title, sep);
  fputs("\r\n", out);
  for (int c = 0; c < t->n_cols; c++) {
    char y[10], h[128];
    school_year_format(t->cols[c].year, y);
    snprintf(h, sizeof h, "%s%s%s", y, t->cols[c].head[0] ? " " : "", t->cols[c].head);
    fputc(sep, out);
    csv_text(out, h, sep);
  }
  fputs("\r\n", out);
  struct csv_ctx c = {out, t, o->plain, sep};
  if (report_rows(rp, ti, csv_row, &c) != 0) return -1;
  return ferror(out) ? -1 : 0;
}

int report_write_csv_all(const struct report *rp, const struct rep_opts *o, FILE *out) {
  if (!o->plain) fputs("\xef\xbb\xbf", out); /* UTF-8 BOM: Excel reads the file as UTF-8 */
  for (int t = 0; t < rp->n_tables; t++) {
    if (t) fputs("\r\n", out);
    if (report_write_csv_table(rp, t, o, out) != 0) return -1;
  }
  return ferror(out) ? -1 : 0;
}

void report_csv_name(const struct report *rp, int t, char *out, size_t n) {
  snprintf(out, n, "%02d-%s.csv", t + 1, rp->tables[t].id);
}

/* ------------------------------------------------------------------------------------ */
/* Formats and the atomic export                                                         */

static int write_html_file(const struct report *rp, const struct rep_opts *o, const char *path, char *err,
                           size_t errlen) {
  FILE *out = fopen(path, "wb");
  if (!out) {
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    return -1;
  }
  int rc = report_write_html(rp, o, out);
  if (fclose(out) != 0) rc = -1;
  if (rc) snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
  return rc;
}

/* csv-tables: path is a folder that receives one file per table. */
static int write_csv_dir(const struct report *rp, const struct rep_opts *o, const char *path, char *err,
                         size_t errlen) {
  if (mkdir(path, 0777) != 0 && errno != EEXIST) {
    snprintf(err, errlen, "%s: cannot create the folder: %s", path, strerror(errno));
    return -1;
  }
  for (int t = 0; t < rp->n_tables; t++) {
    char name[64], file[4096];
    report_csv_name(rp, t, name, sizeof name);
    snprintf(file, sizeof file, "%s/%s", path, name);
    FILE *out = fopen(file, "wb");
    if (!out) {
      snprintf(err, errlen, "%s: cannot write: %s", file, strerror(errno));
      return -1;
    }
    if (!o->plain) fputs("\xef\xbb\xbf", out);
    int rc = report_write_csv_table(rp, t, o, out);
    if (fclose(out) != 0 || rc != 0) {
      snprintf(err, errlen, "%s: cannot write: %s", file, strerror(errno));
      return -1;
    }
  }
  return 0;
}

static const struct rep_format formats[] = {
    {"xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", report_write_xlsx},
    {"pdf", "pdf", "application/pdf", report_write_pdf},
    {"html", "html", "text/html; charset=utf-8", write_html_file},
    {"csv-tables", "csv", "text/csv; charset=utf-8", write_csv_dir},
};

const struct rep_format *report_format(const char *name) {
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
    if (!strcmp(formats[i].name, name)) return &formats[i];
  return NULL;
}

static void remove_tree(const char *dir, const struct report *rp) {
  for (int t = 0; t < rp->n_tables; t++) {
    char name[64], file[4096];
    report_csv_name(rp, t, name, sizeof name);
    /* a truncated name would be another file: never remove that one */
    int n = snprintf(file, sizeof file, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof file) continue;
    unlink(file);
  }
  rmdir(dir);
}

static int export_through(const struct report *rp, const struct rep_format *f, const struct rep_opts *o,
                          const char *path, char *err, size_t errlen) {
  const char *dir = getenv("TMPDIR");
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s/bereik-report-XXXXXX", dir && *dir ? dir : "/tmp");
  int fd = mkstemp(tmp);
  if (fd < 0) {
    snprintf(err, errlen, "%s: cannot write a temporary file: %s", path, strerror(errno));
    return -1;
  }
  close(fd);
  int rc = f->write(rp, o, tmp, err, errlen);
  FILE *in = rc == 0 ? fopen(tmp, "rb") : NULL, *out = in ? fopen(path, "wb") : NULL;
  if (rc == 0 && (!in || !out)) {
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    rc = -1;
  }
  char buf[65536];
  size_t n;
  while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
    if (fwrite(buf, 1, n, out) != n) {
      snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
      rc = -1;
    }
  if (in) fclose(in);
  if (out && fclose(out) != 0 && rc == 0) {
    snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    rc = -1;
  }
  unlink(tmp);
  return rc;
}

int report_export(const struct report *rp, const struct rep_format *f, const struct rep_opts *o,
                  const char *path, char *err, size_t errlen) {
  int dir = !strcmp(f->name, "csv-tables");
  struct stat st;
  if (dir && stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
    snprintf(err, errlen, "%s: exists and is not a folder", path);
    return -1;
  }
  /* a device or a pipe (/dev/null, a FIFO) is never replaced by renaming a finished file
     over it: the file is written in the temporary folder and copied into it (a zip, the
     XLSX, cannot be written into a pipe directly) */
  if (!dir && stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
    return export_through(rp, f, o, path, err, errlen);
  /* room for the temporary name and, in a folder, "/NAME" of each table (below 64) */
  char tmp[4096];
  int n = snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
  if (n < 0 || (size_t)n + 64 >= sizeof tmp) {
    snprintf(err, errlen, "%.64s...: the path is too long (at most %zu bytes)", path, sizeof tmp - 96);
    return -1;
  }
  if (f->write(rp, o, tmp, err, errlen) != 0) {
    if (dir)
      remove_tree(tmp, rp);
    else
      unlink(tmp);
    /* name the target, not the temporary file */
    char msg[1024];
    const char *why = strstr(err, ": ");
    snprintf(msg, sizeof msg, "%s%s", path, why ? why : ": cannot write");
    snprintf(err, errlen, "%s", msg);
    return -1;
  }
  /* a folder replaces only an empty folder (rename fails with ENOTEMPTY otherwise) */
  if (rename(tmp, path) != 0) {
    if (errno == ENOTEMPTY || errno == EEXIST)
      snprintf(err, errlen, "%s: exists and is not an empty folder", path);
    else
      snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    if (dir)
      remove_tree(tmp, rp);
    else
      unlink(tmp);
    return -1;
  }
  return 0;
}

int report_write_bytes(const struct report *rp, const struct rep_opts *o, const char *name, char **data,
                       size_t *len, char *err, size_t errlen) {
  *data = NULL;
  *len = 0;
  int rc = -1;
  if (!strcmp(name, "html") || !strcmp(name, "csv")) {
    FILE *mem = open_memstream(data, len);
    if (!mem) {
      snprintf(err, errlen, "out of memory");
      return -1;
    }
    rc = !strcmp(name, "html") ? report_write_html(rp, o, mem) : report_write_csv_all(rp, o, mem);
    if (fclose(mem) != 0) rc = -1;
    if (rc != 0) snprintf(err, errlen, "cannot write the %s report", name);
    return rc;
  }
  const struct rep_format *f = report_format(name);
  if (!f) {
    snprintf(err, errlen, "unknown format '%s'", name);
    return -1;
  }
  char path[] = "/tmp/bereik-report-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) {
    snprintf(err, errlen, "cannot make a temporary file: %s", strerror(errno));
    return -1;
  }
  close(fd);
  rc = f->write(rp, o, path, err, errlen);
  FILE *in = rc == 0 ? fopen(path, "rb") : NULL;
  FILE *mem = in ? open_memstream(data, len) : NULL;
  char chunk[65536];
  size_t k;
  while (mem && (k = fread(chunk, 1, sizeof chunk, in)) > 0)
    if (fwrite(chunk, 1, k, mem) != k) rc = -1;
  if (in) fclose(in);
  if (!mem || fclose(mem) != 0) rc = -1;
  unlink(path);
  if (rc != 0 && !*err) snprintf(err, errlen, "cannot read back the %s report", name);
  return rc;
}
