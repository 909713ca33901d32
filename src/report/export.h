/* SPDX-License-Identifier: EUPL-1.2 */
/* Writers of the yearly report (report/report.h) in the human formats: XLSX
   (libxlsxwriter), PDF (cairo, pango; the charts of render/chart.c drawn through librsvg),
   a self-contained HTML file and CSV per table. A table of formats (name, file suffix,
   MIME type, writer) serves the CLI and the web downloads alike.

   Every writer walks the rows of the model one at a time and writes them out as they
   come (the XLSX in libxlsxwriter's constant-memory mode, the PDF page by page), so the
   memory a writer adds does not grow with the number of rows.

   report_export writes to a temporary file (or folder) beside the target and renames it
   into place only when everything was written: a failed export leaves nothing. */
#ifndef BEREIK_EXPORT_H
#define BEREIK_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "report/report.h"

struct rep_opts {
  int plain;             /* CSV: ',' and '.' instead of ';' and ',' */
  const char *generated; /* "22/11/2026 11:00": the date of generation shown */
  int32_t today;         /* the PDF's indicator page: pro rata up to this day; 0: the yearly targets */
};

struct rep_format {
  const char *name;   /* --format value */
  const char *suffix; /* file suffix for downloads */
  const char *mime;
  /* writes the report to path (a file; for csv-tables a folder) */
  int (*write)(const struct report *rp, const struct rep_opts *o, const char *path, char *err, size_t errlen);
};

/* The format of that name, or NULL. */
const struct rep_format *report_format(const char *name);

/* Writes rp in format f to path through a temporary file or folder and a rename.
   Returns 0, or -1 with a message that names the path and the problem. */
int report_export(const struct report *rp, const struct rep_format *f, const struct rep_opts *o,
                  const char *path, char *err, size_t errlen);

/* The report in format name ("xlsx", "pdf", "html", "csv": every table) as bytes in
   memory (*data, *len; the caller frees *data), for a download. The writers that need a
   file (XLSX, PDF) write a temporary one, removed again. 0, or -1 with a message. */
int report_write_bytes(const struct report *rp, const struct rep_opts *o, const char *name, char **data,
                       size_t *len, char *err, size_t errlen);

/* The single writers. */
int report_write_xlsx(const struct report *rp, const struct rep_opts *o, const char *path, char *err,
                      size_t errlen);
int report_write_pdf(const struct report *rp, const struct rep_opts *o, const char *path, char *err,
                     size_t errlen);
/* A self-contained HTML document (inline style and SVG, no external resource). */
int report_write_html(const struct report *rp, const struct rep_opts *o, FILE *out);
/* Table t as CSV: its title, the header row and the rows, in the human layout. */
int report_write_csv_table(const struct report *rp, int t, const struct rep_opts *o, FILE *out);
/* Every table one after another, separated by an empty line (the web download and
   csv-tables on standard output). */
int report_write_csv_all(const struct report *rp, const struct rep_opts *o, FILE *out);
/* The file name of table t in a csv-tables folder: "01-fte.csv". */
void report_csv_name(const struct report *rp, int t, char *out, size_t n);

/* HTML pieces shared by the web page and the HTML file: the table t, and its chart
   (nothing when the table has none). */
void report_html_table(struct buf *b, const struct report *rp, int t);
void report_html_chart(struct buf *b, const struct report *rp, int t);
/* The SVG of table t's chart (the same for the web page, the HTML file and the PDF). */
void report_svg_chart(struct buf *b, const struct report *rp, int t);

#endif
