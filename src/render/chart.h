/* SPDX-License-Identifier: EUPL-1.2 */
/* Charts as server-side SVG (no JavaScript, no external resources, no style attributes
   or <style>: the pages' Content-Security-Policy has style-src 'self'), plus the same
   data as an accessible HTML table, plus the Belgian number format of their labels.
   The web pages and the PDF export use the same functions.

   Output is deterministic: the same input gives the same bytes (no locale, no time,
   no addresses; SVG coordinates are written locale-independently with one decimal).

   Ownership: the functions only read the structs and the arrays and strings they point
   to, during the call; nothing is kept and nothing is freed. The caller owns them.
   Output is appended to the caller's struct buf.

   Every string from the caller (title, desc, labels, series names, reference labels,
   empty_text, label_header) is written XML-escaped (& < > " ') with C0 control
   characters other than tab, LF and CR left out, so that the SVG is well-formed XML
   in an HTML page and on its own (PDF export). Strings are expected in UTF-8. */
#ifndef BEREIK_CHART_H
#define BEREIK_CHART_H

#include <stddef.h>

#include "core/buf.h"

/* One series: values[i] belongs to labels[i] of the chart. A value is missing when
   i >= n, when present is not NULL and present[i] is 0, or when values[i] is not
   finite (NaN, infinity). values may be NULL when n is 0. */
struct chart_series {
  const char *name;             /* legend and table column header; NULL as "" */
  const double *values;         /* n values */
  const unsigned char *present; /* NULL: every value of the n is present */
  int n;
};

/* A horizontal reference line (in chart_bars with horizontal bars: a vertical one),
   dashed, e.g. the 60% norm. y is in the unit of the values (a fraction 0..1 when the
   chart is a percent chart). label names the line ("norm"); the chart and the table
   write it followed by the formatted value ("norm 60%"), or only the value when label
   is NULL or "". Non-finite y are skipped. */
struct chart_ref {
  double y;
  const char *label;
};

struct chart {
  /* Prefix of the element ids (ID-title, ID-desc); must be unique in the page when it
     shows several charts. Characters other than A-Z a-z 0-9 - _ become '_'; NULL or ""
     is "chart". */
  const char *id;
  const char *title; /* the accessible name: <title> of the svg, <caption> of the table */
  const char *desc;  /* the <desc> of the svg (aria-describedby); NULL: none */
  /* Category axis: weeks or dates (chart_line), lines or schools (chart_bars); n_labels
     strings (a NULL array or NULL entries count as ""). */
  const char *const *labels;
  int n_labels;
  const struct chart_series *series;
  int n_series;
  const struct chart_ref *refs;
  int n_refs;
  int percent;              /* values are fractions, shown as percentages (0.56 -> 56%) */
  int decimals;             /* decimals of the value labels and the table cells, clamped to 0..6 */
  int horizontal;           /* chart_bars: bars to the right, categories down the left */
  const char *empty_text;   /* NULL: "geen gegevens" (pass the English for en pages) */
  const char *label_header; /* table header of the label column, e.g. "Week"; NULL: none */
  /* NULL, or per series an index into the palette (chart_year_color), so that a series
     keeps its color whichever other series are shown; a negative entry: the default. */
  const int *colors;
};

/* The palette index of a school year (its starting calendar year): fixed per year, and
   consecutive years (up to six) never share one. */
int chart_year_color(int year);

/* Geometry (viewBox units). Every chart is CHART_W wide in its viewBox and is written
   with width="100%", so it scales to its container (phones); the height follows from
   the viewBox.

   chart_line, and chart_bars with vertical bars: the plot rectangle is
   x CHART_PLOT_LEFT..CHART_PLOT_RIGHT, y CHART_PLOT_TOP..CHART_PLOT_BOTTOM, whatever the
   data and the legend (the legend goes below, and the viewBox grows with its rows).
   Only vertical bars whose value labels are too wide for the bars (labels turned
   upright) move the top of the plot down by the labels' length.

   Value axis: from lo to hi, where a value v is drawn at
     y = top + (hi - v) / (hi - lo) * (bottom - top).
   A percent chart whose values and references all lie within 0..1 has lo = 0, hi = 1
   (0%..100%, ticks every 20%). Otherwise lo..hi is the smallest range of whole "nice"
   steps (1, 2, 2.5 or 5 times a power of ten, about five steps) that holds 0, every
   value and every reference (and 1 in a percent chart).

   Category axis: label i of n is at the middle of the i-th of n equal bands:
     x = CHART_PLOT_LEFT + (i + 0.5) * (CHART_PLOT_RIGHT - CHART_PLOT_LEFT) / n.
   chart_line shows every k-th label when they would overlap (the table has all).

   Coordinates are written with exactly one decimal and '.', e.g. y1="128.0". */
#define CHART_W 640
#define CHART_PLOT_LEFT 64
#define CHART_PLOT_RIGHT 624
#define CHART_PLOT_TOP 24
#define CHART_PLOT_BOTTOM 284
/* Height of the viewBox of the "no data" chart. */
#define CHART_EMPTY_H 120

/* A line chart over the labels: one line per series, a marker (circle, square,
   diamond, triangle: not only color tells the series apart) on every present value,
   with a tooltip. A missing value breaks the line (a new "M" in the path), it is never
   drawn as 0. References are dashed lines labelled at their right end. Without labels,
   series or any present value: a small svg with empty_text. */
void chart_line(struct buf *b, const struct chart *c);

/* Grouped bars: per label one group with one bar per series (legend below), the value
   written at the end of every bar. c->horizontal chooses the direction. Bars start at 0;
   negative values go the other way. Missing values have no bar. Empty input as
   chart_line. */
void chart_bars(struct buf *b, const struct chart *c);

/* Stacked horizontal bars: per label one bar made of one segment per series (e.g.
   the modality shares of a line, stacked to 100%), left to right in series order, the
   value written inside every segment wide enough for it, legend below. The value axis
   runs from 0 to 100% for a percent chart whose stacks stay within 100%, else to the
   largest stack (nice steps as above). Missing, zero and negative values have no
   segment. Empty input as chart_line. */
void chart_stacked(struct buf *b, const struct chart *c);

/* The same data as an HTML table, the text alternative shown with the chart: a
   focusable scroll region (class "scroll") with <table class="chart-table">, <caption>
   (the title; the references after it), a header row of <th scope="col"> (label_header,
   then the series names) and one row per label: <th scope="row"> and one <td class="n">
   per series, "–" for a missing value. Empty input: the caption and one row with
   empty_text. */
void chart_table(struct buf *b, const struct chart *c);

/* Text with XML escaping as described above (also usable for HTML text and attribute
   values). NULL writes nothing. */
void chart_escape(struct buf *b, const char *s);

/* Belgian number format for screens: '.' groups thousands, ',' separates the decimals,
   exactly `decimals` decimals (clamped to 0..9): 12725.4 -> "12.725", 0.55 -> "0,55",
   -1234.5 -> "-1.234,5". Rounding is half away from zero on the number as written,
   i.e. on the shortest decimal that reads back as v: 2.5 -> "3", -2.5 -> "-3",
   1.005 (2 decimals) -> "1,01". No "-0": -0.4 -> "0". Not finite: "–".
   Writes at most n bytes including the NUL (n > 0); returns the length of the whole
   text, so a result >= n means it was cut (as snprintf). 48 bytes hold every value
   below 10^30. */
int format_be(double v, int decimals, char *out, size_t n);

/* A fraction as a Belgian percentage: 0.5609 -> "56%", 0.125 with 1 decimal -> "12,5%".
   The fraction is scaled by 100 exactly (in decimal), then rounded as format_be. */
int format_be_pct(double fraction, int decimals, char *out, size_t n);

#endif
