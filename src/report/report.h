/* SPDX-License-Identifier: EUPL-1.2 */
/* The yearly report of spec/DOMAIN.md section 6 as one model: its tables, their
   columns (school year x measure), their rows (label, fact row, total or not) and the
   cell values, all read from the facts of src/measures. Every human rendering (the web
   page, XLSX, PDF, HTML, CSV tables) walks this model, so the numbers on screen and in
   the files cannot differ.

   Rows are produced one at a time through a callback (report_rows): no writer holds a
   whole table. The facts are looked up through a hash index built once (report_open),
   so a row costs O(columns) whatever the size of the report.

   Ownership: struct report borrows the model and the facts (the caller keeps them alive
   until report_close) and owns its index. A struct rep_row passed to a callback is valid
   only during the call. */
#ifndef BEREIK_REPORT_H
#define BEREIK_REPORT_H

#include "render/words.h"

#include <stddef.h>

#include "core/util.h"
#include "render/chart.h"

struct model;
struct facts;

#define REP_MAX_YEARS 5
#define REP_MAX_COLS 32

/* Languages of the words: Dutch first, English second. */
enum rep_lang { REP_NL, REP_EN };

/* A column: one measure of one school year. */
struct rep_col {
  int year;         /* starting calendar year of the school year */
  const char *fact; /* the fact column ("hours", "share", ...) */
  const char *head; /* the measure's header in the report's language; "" when the table
                       has one measure per year */
  int decimals;     /* shown decimals (of the percentage when pct) */
  int pct;          /* a fraction shown as a percentage */
};

enum rep_chart_kind {
  REP_CHART_NONE,
  REP_CHART_GROUP_BARS, /* hits per sector group, one bar per year */
  REP_CHART_LINE_BARS,  /* hours per line, horizontal bars, one per year */
  REP_CHART_STACKED,    /* modality shares per line, stacked to 100% */
  REP_CHART_KLV_LINE    /* KLV percentage per year against the 60% norm */
};

struct rep_table {
  char id[24];            /* stable: "fte", "hits", ..., "modality-2024" */
  const char *fact_table; /* the facts table it reads */
  char title[160];        /* caption in the report's language */
  char sheet[32];         /* short name for a worksheet (at most 31 characters) */
  int n_cols;
  struct rep_col cols[REP_MAX_COLS];
  int one_year;   /* the columns of one school year only (modality tables) */
  int by_measure; /* rows are measures and columns years (the KLV table) */
  int chart;      /* enum rep_chart_kind */
};

enum rep_cell { REP_EMPTY, REP_ABSENT, REP_VALUE };

struct rep_row {
  const char *label; /* in the report's language */
  const char *key;   /* the fact row ("P3", "total", ...) */
  int total;         /* a subtotal or total row: shown bold */
  double v[REP_MAX_COLS];
  unsigned char state[REP_MAX_COLS]; /* enum rep_cell: no cell, fact absent, value */
  /* Per cell: the fact column, shown decimals and whether it is a percentage (they
     differ from the table's columns in the by_measure table and the "% gepresteerd"
     row). */
  const char *fact_col[REP_MAX_COLS];
  unsigned char decimals[REP_MAX_COLS];
  unsigned char pct[REP_MAX_COLS];
};

struct report {
  const struct model *m;
  const struct facts *f;
  int lang;
  int years[REP_MAX_YEARS]; /* newest first */
  int n_years;
  struct strmap index;        /* "table|year|row|col" -> fact index (REP_IMPACT_BASE + i: of impact) */
  const struct facts *impact; /* the impact measures (measures/impact.h), NULL when none */
  int n_tables;
  struct rep_table tables[8 + 2 * REP_MAX_YEARS];
  int unit;       /* enum unit of a unit's report (docs/VIEWS.md), -1: the organisation */
  char title[96]; /* the report's title in its language, with the unit in a unit's report */
  char label[64]; /* "PBD", "Team X", "Team X · POC" or "" (the organisation) */
};
#define REP_IMPACT_BASE ((int64_t)1 << 40)

/* Builds the model of the facts' years (at most the five newest). Never fails. */
void report_open(struct report *rp, const struct model *m, const struct facts *f, int lang);
/* The same for a unit's report (facts of facts_compute_unit; unit: enum unit, -1 the
   organisation): the title and every table title name the unit, and the Impact table
   lists the goals of the unit's lines with the unit's total. */
void report_open_unit(struct report *rp, const struct model *m, const struct facts *f, int lang, int unit);
/* The same for a team's report (facts of facts_compute_scope): scope names it ("Team
   KLO"), appended to the title and every table title with the unit, if any. */
void report_open_scope(struct report *rp, const struct model *m, const struct facts *f, int lang, int unit,
                       const char *scope);
/* The report's title ("Jaarrapport bereik", with " (PBD)" in PBD's report). */
const char *report_title(const struct report *rp);
void report_close(struct report *rp);
/* Adds the Impact section (one table per school year: per operational goal the
   institutions reached and their impact) from the impact measures, which the caller
   keeps alive until report_close. */
void report_add_impact(struct report *rp, const struct facts *impact);

/* Calls emit for every row of table t, in report order. Stops and returns the first
   non-zero value emit returns; 0 when every row was emitted. */
typedef int (*rep_emit_fn)(void *ctx, const struct rep_row *row);
int report_rows(const struct report *rp, int t, rep_emit_fn emit, void *ctx);

/* One fact, or 0 with *found = 0 when absent. */
double report_fact(const struct report *rp, const char *table, int year, const char *row, const char *col,
                   int *found);

/* The chart of table t (t's chart kind must not be REP_CHART_NONE): fills c with arrays
   owned by rc (free with report_chart_free). */
struct rep_chart {
  struct chart c;
  const char **labels;
  double *values;
  unsigned char *present;
  struct chart_series *series;
  char names[REP_MAX_YEARS + 8][64];
  char year_labels[REP_MAX_YEARS][10];
  int colors[REP_MAX_YEARS]; /* per series of years: chart_year_color */
  struct chart_ref ref;
  char id[48];
};
void report_chart(const struct report *rp, int t, struct rep_chart *rc);
void report_chart_free(struct rep_chart *rc);

/* Words of the report in its language. */
const char *report_word(const struct report *rp, enum word w);

/* The definitions of the measures (for the first sheet and the title page), in the
   report's language; a NULL-terminated list of {term, definition} pairs. */
struct rep_definition {
  const char *term, *text;
};
const struct rep_definition *report_definitions(const struct report *rp);

/* Belgian formatting of one cell ("–" when absent, "" when empty). plain: '.' as the
   decimal separator and no thousands separator (CSV --csv-style plain). */
void report_format_cell(const struct rep_row *row, int i, int plain, char *out, size_t n);

#endif
