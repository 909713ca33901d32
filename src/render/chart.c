/* SPDX-License-Identifier: EUPL-1.2 */
/* SVG charts, their table alternative and the Belgian number format (render/chart.h). */
#include "render/chart.h"

#include "core/escape.h"
#include "render/html.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------ */
/* Belgian numbers                                                                      */

#define DASH "\xe2\x80\x93" /* U+2013 EN DASH: a missing or non-finite value */

/* The shortest decimal digits that read back as v (finite, >= 0): v = 0.D * 10^point,
   D without trailing zeros ("0" for zero). Returns the number of digits. */
static int shortest_digits(double v, char digits[24], int *point) {
  if (v == floor(v) && v < 1e15) { /* a whole number: its digits, exactly */
    char rev[24];
    int n = 0;
    for (uint64_t x = (uint64_t)v; x; x /= 10) rev[n++] = (char)('0' + x % 10);
    if (n == 0) rev[n++] = '0';
    *point = v == 0 ? 1 : n;
    int nd = 0;
    while (nd < n) digits[nd] = rev[n - 1 - nd], nd++;
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    digits[nd] = 0;
    return nd;
  }
  /* the fewest digits that read back as v: with correctly rounded printing, one digit
     more is never farther from v, so the precisions that read back are those from the
     fewest on, found by halving (17 significant digits always read back) */
  char tmp[48];
  int lo = 0, hi = 16;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    snprintf(tmp, sizeof tmp, "%.*e", mid, v);
    if (strtod(tmp, NULL) == v)
      hi = mid;
    else
      lo = mid + 1;
  }
  snprintf(tmp, sizeof tmp, "%.*e", lo, v);
  /* d[.ddd]e±x; the decimal separator is whatever the locale made of it */
  int nd = 0;
  const char *p = tmp;
  for (; *p && *p != 'e' && *p != 'E'; p++)
    if (*p >= '0' && *p <= '9' && nd < 23) digits[nd++] = *p;
  long e = *p ? strtol(p + 1, NULL, 10) : 0;
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  if (nd == 0) digits[nd++] = '0';
  digits[nd] = 0;
  *point = (int)e + 1;
  return nd;
}

/* Writes text into out (n bytes with the NUL, cut when too small); returns its length. */
static int put_out(const char *text, size_t len, char *out, size_t n) {
  if (n > 0) {
    size_t k = len < n - 1 ? len : n - 1;
    memcpy(out, text, k);
    out[k] = 0;
  }
  return (int)len;
}

/* shift: powers of ten to multiply by (2 for a percentage); suffix after the number. */
static int format_shifted(double v, int shift, int decimals, const char *suffix, char *out, size_t n) {
  if (!isfinite(v)) return put_out(DASH, strlen(DASH), out, n);
  if (decimals < 0) decimals = 0;
  if (decimals > 9) decimals = 9;
  int neg = signbit(v) != 0;
  char dg[24];
  int point = 0;
  int nd = shortest_digits(fabs(v), dg, &point);
  if (dg[0] != '0') point += shift; /* at most 309 + 2 for a finite double; zero stays "0" */

  /* r[1..total]: the integer digits (ip of them) and the decimals, unrounded; r[0] takes
     a carry. Digit m of dg has place value 10^(point-1-m), r[j] has 10^(ip-j). */
  char r[340];
  int ip = point > 0 ? point : 1;
  int total = ip + decimals;
  for (int j = 1; j <= total; j++) {
    int m = j - 1 + point - ip;
    r[j] = m >= 0 && m < nd ? dg[m] : '0';
  }
  r[0] = '0';
  int k = point + decimals; /* index in dg of the first digit that is cut off */
  if (k >= 0 && k < nd && dg[k] >= '5') {
    /* half away from zero: the digits are the magnitude */
    int j = total;
    while (j >= 0 && r[j] == '9') r[j--] = '0';
    if (j >= 0) r[j]++;
  }
  int first = r[0] != '0' ? 0 : 1; /* first integer digit */
  int int_len = ip + 1 - first;
  int zero = 1;
  for (int j = first; j <= total; j++) zero &= r[j] == '0';

  char text[512];
  size_t w = 0;
  if (neg && !zero) text[w++] = '-';
  for (int i = 0; i < int_len; i++) {
    if (i && (int_len - i) % 3 == 0) text[w++] = '.';
    text[w++] = r[first + i];
  }
  if (decimals) {
    text[w++] = ',';
    for (int i = 0; i < decimals; i++) text[w++] = r[first + int_len + i];
  }
  for (const char *s = suffix; *s; s++) text[w++] = *s;
  return put_out(text, w, out, n);
}

int format_be(double v, int decimals, char *out, size_t n) {
  return format_shifted(v, 0, decimals, "", out, n);
}

int format_be_pct(double fraction, int decimals, char *out, size_t n) {
  return format_shifted(fraction, 2, decimals, "%", out, n);
}

/* ------------------------------------------------------------------------------------ */
/* Text                                                                                 */

void chart_escape(struct buf *b, const char *s) {
  if (s) escape_xml(b, s, strlen(s));
}

static const char *str_or_empty(const char *s) { return s ? s : ""; }

/* Code points of a UTF-8 string. */
static int text_chars(const char *s) {
  int n = 0;
  for (; s && *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* Estimated width of text in a sans-serif font (a generous 0.6 em per character). */
static double text_width(const char *s, double font) { return text_chars(s) * font * 0.6; }

/* Escaped text, cut with "…" to fit max_w (the whole text then in a <title>). Call
   inside an open <text ...> start tag's content. */
static void put_text_fit(struct buf *b, const char *s, double max_w, double font) {
  s = str_or_empty(s);
  int fit = (int)floor(max_w / (font * 0.6));
  int chars = text_chars(s);
  if (chars <= fit) {
    chart_escape(b, s);
    return;
  }
  int keep = fit - 1 > 0 ? fit - 1 : 0;
  size_t i = 0;
  for (int c = 0; s[i]; i++) {
    if (((unsigned char)s[i] & 0xC0) != 0x80 && c++ == keep) break;
  }
  escape_xml(b, s, i);
  buf_puts(b, "\xe2\x80\xa6<title>");
  chart_escape(b, s);
  buf_puts(b, "</title>");
}

/* A coordinate with one decimal and '.', whatever the locale. */
static void put_num(struct buf *b, double v) {
  if (!(fabs(v) < 1e9)) v = 0; /* only from absurd data (NaN, overflowing ranges) */
  long t = lround(v * 10.0);
  if (t < 0) {
    buf_putc(b, '-');
    t = -t;
  }
  buf_printf(b, "%ld.%ld", t / 10, t % 10);
}

/* name="v" with a space before. */
static void attr(struct buf *b, const char *name, double v) {
  buf_putc(b, ' ');
  buf_puts(b, name);
  buf_puts(b, "=\"");
  put_num(b, v);
  buf_putc(b, '"');
}

static void put_id(struct buf *b, const struct chart *c) {
  const char *id = c->id && *c->id ? c->id : "chart";
  for (const char *p = id; *p; p++) {
    char ch = *p;
    int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
             ch == '_';
    buf_putc(b, ok ? ch : '_');
  }
}

/* ------------------------------------------------------------------------------------ */
/* Data                                                                                 */

/* Okabe-Ito hues, darkened to a contrast of at least 4.5:1 on white (5.2, 5.5, 5.3,
   5.6, 5.5, 8.9), so that lines, bars and their labels pass WCAG AA. */
static const char *const palette[] = {"#0072b2", "#b34700", "#007a5a", "#a6457e", "#8a6100", "#4a4a4a"};
#define N_PALETTE (sizeof palette / sizeof palette[0])
static const char *color(int s) { return palette[(size_t)s % N_PALETTE]; }
/* The color of series s: its fixed palette entry when the chart gives one (a school
   year keeps its color whatever the number of years shown), else the s-th. */
static const char *scolor(const struct chart *c, int s) {
  return c->colors && c->colors[s] >= 0 ? color(c->colors[s]) : color(s);
}

int chart_year_color(int year) { return (int)(((unsigned)year) % N_PALETTE); }

#define INK "#1b1b1b"   /* text, 17:1 */
#define MUTED "#4a4a4a" /* axis text, 8.9:1 */
#define AXIS "#767676"  /* axis line, 4.5:1 */
#define GRID "#d9d9d9"  /* decorative */

/* Dash patterns of the reference lines, so that they differ without color. */
static const char *const dashes[] = {"6 4", "2 3", "10 3 2 3"};
#define N_DASHES (sizeof dashes / sizeof dashes[0])

static int clamp_decimals(int d) { return d < 0 ? 0 : d > 6 ? 6 : d; }

static int value_at(const struct chart_series *s, int i, double *v) {
  if (!s->values || i < 0 || i >= s->n) return 0;
  if (s->present && !s->present[i]) return 0;
  if (!isfinite(s->values[i])) return 0;
  *v = s->values[i];
  return 1;
}

static const char *label_at(const struct chart *c, int i) {
  return c->labels ? str_or_empty(c->labels[i]) : "";
}

static int has_data(const struct chart *c) {
  if (!c || c->n_labels <= 0 || c->n_series <= 0 || !c->series) return 0;
  double v;
  for (int s = 0; s < c->n_series; s++)
    for (int i = 0; i < c->n_labels; i++)
      if (value_at(&c->series[s], i, &v)) return 1;
  return 0;
}

static void format_value(const struct chart *c, double v, int decimals, char *out, size_t n) {
  if (c->percent)
    format_be_pct(v, decimals, out, n);
  else
    format_be(v, decimals, out, n);
}

/* "norm 60%", or "60%". */
static void put_ref_text(struct buf *b, const struct chart *c, const struct chart_ref *r) {
  char num[64];
  format_value(c, r->y, clamp_decimals(c->decimals), num, sizeof num);
  if (r->label && *r->label) {
    chart_escape(b, r->label);
    buf_putc(b, ' ');
  }
  chart_escape(b, num);
}

/* The value axis and the plot rectangle. */
struct plot {
  double left, right, top, bottom;
  double lo, hi, step;
  int tick_decimals; /* of the tick labels (of the percentage in a percent chart) */
};

static int step_decimals(double step) {
  double s = step;
  for (int d = 0; d < 6; d++, s *= 10)
    if (fabs(s - round(s)) < 1e-6 * fmax(1.0, fabs(s))) return d;
  return 6;
}

static void value_scale(const struct chart *c, struct plot *p) {
  double lo = 0, hi = 0, v;
  for (int s = 0; s < c->n_series; s++)
    for (int i = 0; i < c->n_labels; i++)
      if (value_at(&c->series[s], i, &v)) lo = fmin(lo, v), hi = fmax(hi, v);
  for (int r = 0; c->refs && r < c->n_refs; r++)
    if (isfinite(c->refs[r].y)) lo = fmin(lo, c->refs[r].y), hi = fmax(hi, c->refs[r].y);
  if (c->percent && lo >= 0 && hi <= 1) {
    p->lo = 0;
    p->hi = 1;
    p->step = 0.2;
    p->tick_decimals = 0;
    return;
  }
  if (c->percent) hi = fmax(hi, 1);
  if (hi - lo <= 0) hi = lo + 1;
  double raw = (hi - lo) / 5;
  double mag = pow(10, floor(log10(raw)));
  double norm = raw / mag;
  double f = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
  p->step = f * mag;
  p->lo = floor(lo / p->step + 1e-9) * p->step;
  p->hi = ceil(hi / p->step - 1e-9) * p->step;
  p->tick_decimals = step_decimals(c->percent ? p->step * 100 : p->step);
}

static int n_ticks(const struct plot *p) {
  double n = (p->hi - p->lo) / p->step; /* about 5; not finite only for absurd data */
  return n >= 0 && n <= 20 ? (int)lround(n) : 0;
}
static double tick(const struct plot *p, int k) { return p->lo + k * p->step; }

/* Value to y (vertical value axis) and to x (horizontal value axis). */
static double ymap(const struct plot *p, double v) {
  return p->top + (p->hi - v) / (p->hi - p->lo) * (p->bottom - p->top);
}
static double xmap(const struct plot *p, double v) {
  return p->left + (v - p->lo) / (p->hi - p->lo) * (p->right - p->left);
}

/* Band middle of category i of n along left..right. */
static double band_mid(double left, double right, int i, int n) {
  return left + (i + 0.5) * (right - left) / n;
}

/* ------------------------------------------------------------------------------------ */
/* SVG pieces                                                                           */

static void svg_open(struct buf *b, const struct chart *c, const char *kind, int height) {
  buf_printf(b,
             "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-%s\" viewBox=\"0 0 %d %d\" "
             "width=\"100%%\" role=\"img\" aria-labelledby=\"",
             kind, CHART_W, height);
  put_id(b, c);
  buf_puts(b, "-title\"");
  if (c->desc) {
    buf_puts(b, " aria-describedby=\"");
    put_id(b, c);
    buf_puts(b, "-desc\"");
  }
  buf_puts(b, " font-family=\"system-ui, sans-serif\" font-size=\"12\"><title id=\"");
  put_id(b, c);
  buf_puts(b, "-title\">");
  chart_escape(b, c->title);
  buf_puts(b, "</title>");
  if (c->desc) {
    buf_puts(b, "<desc id=\"");
    put_id(b, c);
    buf_puts(b, "-desc\">");
    chart_escape(b, c->desc);
    buf_puts(b, "</desc>");
  }
}

static void svg_empty(struct buf *b, const struct chart *c, const char *kind) {
  static const struct chart none = {0};
  if (!c) c = &none;
  svg_open(b, c, kind, CHART_EMPTY_H);
  buf_puts(b, "<rect x=\"0.5\" y=\"0.5\"");
  attr(b, "width", CHART_W - 1);
  attr(b, "height", CHART_EMPTY_H - 1);
  buf_puts(b, " fill=\"none\" stroke=\"" GRID "\"/><text class=\"empty\"");
  attr(b, "x", CHART_W / 2.0);
  attr(b, "y", CHART_EMPTY_H / 2.0 + 5);
  buf_puts(b, " text-anchor=\"middle\" font-size=\"14\" fill=\"" MUTED "\">");
  chart_escape(b, c->empty_text ? c->empty_text : "geen gegevens");
  buf_puts(b, "</text></svg>");
}

/* A text element; the caller writes the content and "</text>". */
static void text_open(struct buf *b, double x, double y, const char *anchor, const char *fill) {
  buf_puts(b, "<text");
  attr(b, "x", x);
  attr(b, "y", y);
  buf_printf(b, " text-anchor=\"%s\" fill=\"%s\">", anchor, fill);
}

/* The same with a white halo, readable over lines and bars. */
static void text_open_halo(struct buf *b, double x, double y, const char *anchor, const char *fill) {
  buf_puts(b, "<text");
  attr(b, "x", x);
  attr(b, "y", y);
  buf_printf(b,
             " text-anchor=\"%s\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" "
             "paint-order=\"stroke\">",
             anchor, fill);
}

static void line_el(struct buf *b, double x1, double y1, double x2, double y2) {
  buf_puts(b, "<line");
  attr(b, "x1", x1);
  attr(b, "y1", y1);
  attr(b, "x2", x2);
  attr(b, "y2", y2);
}

/* Marker of series s at (x, y): circle, square, diamond, triangle. Left open for a
   <title>; close with marker_close. */
static const char *marker_open(struct buf *b, int s, double x, double y) {
  switch (s % 4) {
  case 0:
    buf_puts(b, "<circle");
    attr(b, "cx", x);
    attr(b, "cy", y);
    buf_puts(b, " r=\"4\">");
    return "</circle>";
  case 1:
    buf_puts(b, "<rect");
    attr(b, "x", x - 3.5);
    attr(b, "y", y - 3.5);
    buf_puts(b, " width=\"7\" height=\"7\">");
    return "</rect>";
  case 2:
    buf_puts(b, "<path d=\"M");
    put_num(b, x);
    buf_putc(b, ',');
    put_num(b, y - 5);
    buf_putc(b, 'L');
    put_num(b, x + 5);
    buf_putc(b, ',');
    put_num(b, y);
    buf_putc(b, 'L');
    put_num(b, x);
    buf_putc(b, ',');
    put_num(b, y + 5);
    buf_putc(b, 'L');
    put_num(b, x - 5);
    buf_putc(b, ',');
    put_num(b, y);
    buf_puts(b, "Z\">");
    return "</path>";
  default:
    buf_puts(b, "<path d=\"M");
    put_num(b, x);
    buf_putc(b, ',');
    put_num(b, y - 5);
    buf_putc(b, 'L');
    put_num(b, x + 4.5);
    buf_putc(b, ',');
    put_num(b, y + 4);
    buf_putc(b, 'L');
    put_num(b, x - 4.5);
    buf_putc(b, ',');
    put_num(b, y + 4);
    buf_puts(b, "Z\">");
    return "</path>";
  }
}

/* <title>label, series: value</title> */
static void tooltip(struct buf *b, const struct chart *c, int s, int i, double v) {
  char num[64];
  format_value(c, v, clamp_decimals(c->decimals), num, sizeof num);
  buf_puts(b, "<title>");
  chart_escape(b, label_at(c, i));
  const char *name = str_or_empty(c->series[s].name);
  if (*name) {
    buf_puts(b, ", ");
    chart_escape(b, name);
  }
  buf_puts(b, ": ");
  chart_escape(b, num);
  buf_puts(b, "</title>");
}

static int show_legend(const struct chart *c) {
  return c->n_series > 1 || (c->n_series == 1 && c->series[0].name && *c->series[0].name);
}

#define LEGEND_ROW 22.0

/* The legend in rows from y (middle of the first row) between x0 and x1; lines with
   markers (kind_line) or color squares. Returns the middle of the last row. */
static double legend(struct buf *b, const struct chart *c, int kind_line, double x0, double x1, double y) {
  double swatch = kind_line ? 24 : 12;
  double x = x0;
  buf_puts(b, "<g class=\"legend\">");
  for (int s = 0; s < c->n_series; s++) {
    const char *name = str_or_empty(c->series[s].name);
    double w_text = fmin(text_width(name, 12), x1 - x0 - swatch - 6);
    double w = swatch + 6 + w_text;
    if (x > x0 && x + w > x1) {
      x = x0;
      y += LEGEND_ROW;
    }
    if (kind_line) {
      line_el(b, x, y, x + swatch, y);
      buf_printf(b, " stroke=\"%s\" stroke-width=\"2.5\"/><g fill=\"%s\" stroke=\"#fff\">", scolor(c, s),
                 scolor(c, s));
      buf_puts(b, marker_open(b, s, x + swatch / 2, y));
      buf_puts(b, "</g>");
    } else {
      buf_puts(b, "<rect");
      attr(b, "x", x);
      attr(b, "y", y - 6);
      buf_printf(b, " width=\"12\" height=\"12\" fill=\"%s\"/>", scolor(c, s));
    }
    text_open(b, x + swatch + 6, y + 4, "start", INK);
    put_text_fit(b, name, w_text, 12);
    buf_puts(b, "</text>");
    x += w + 20;
  }
  buf_puts(b, "</g>");
  return y;
}

/* Horizontal gridlines and tick labels of a vertical value axis, and the zero line. */
static void value_axis_y(struct buf *b, const struct chart *c, const struct plot *p) {
  buf_puts(b, "<g class=\"axis\">");
  int nt = n_ticks(p);
  for (int k = 0; k <= nt; k++) {
    double y = ymap(p, tick(p, k));
    line_el(b, p->left, y, p->right, y);
    buf_puts(b, " stroke=\"" GRID "\"/>");
  }
  for (int k = 0; k <= nt; k++) {
    char num[64];
    double y = ymap(p, tick(p, k));
    format_value(c, tick(p, k), p->tick_decimals, num, sizeof num);
    text_open(b, p->left - 6, y + 4, "end", MUTED);
    chart_escape(b, num);
    buf_puts(b, "</text>");
  }
  double y0 = ymap(p, 0);
  line_el(b, p->left, y0, p->right, y0);
  buf_puts(b, " stroke=\"" AXIS "\"/></g>");
}

/* Horizontal dashed reference lines across the plot; their labels come later
   (ref_labels_y), over the data. */
static void ref_lines_y(struct buf *b, const struct chart *c, const struct plot *p) {
  for (int r = 0; c->refs && r < c->n_refs; r++) {
    if (!isfinite(c->refs[r].y)) continue;
    double y = ymap(p, c->refs[r].y);
    buf_puts(b, "<line class=\"ref\"");
    attr(b, "x1", p->left);
    attr(b, "y1", y);
    attr(b, "x2", p->right);
    attr(b, "y2", y);
    buf_printf(b, " stroke=\"" INK "\" stroke-width=\"1.5\" stroke-dasharray=\"%s\"/>",
               dashes[(size_t)r % N_DASHES]);
  }
}

static void ref_labels_y(struct buf *b, const struct chart *c, const struct plot *p) {
  for (int r = 0; c->refs && r < c->n_refs; r++) {
    if (!isfinite(c->refs[r].y)) continue;
    text_open_halo(b, p->right - 4, ymap(p, c->refs[r].y) - 5, "end", INK);
    put_ref_text(b, c, &c->refs[r]);
    buf_puts(b, "</text>");
  }
}

static void svg_finish(struct buf *b, const struct chart *c, const char *kind, double height,
                       const struct buf *body) {
  svg_open(b, c, kind, (int)ceil(height));
  buf_append(b, buf_str(body), body->len);
  buf_puts(b, "</svg>");
}

/* ------------------------------------------------------------------------------------ */
/* Line chart                                                                           */

void chart_line(struct buf *b, const struct chart *c) {
  if (!has_data(c)) {
    svg_empty(b, c, "line");
    return;
  }
  struct plot p = {
      .left = CHART_PLOT_LEFT, .right = CHART_PLOT_RIGHT, .top = CHART_PLOT_TOP, .bottom = CHART_PLOT_BOTTOM};
  value_scale(c, &p);
  int n = c->n_labels;
  struct buf body = {0};

  value_axis_y(&body, c, &p);

  /* category labels: every step-th one, so that they do not overlap */
  double band = (p.right - p.left) / n;
  double widest = 0;
  for (int i = 0; i < n; i++) widest = fmax(widest, text_width(label_at(c, i), 12));
  widest = fmin(widest, p.right - p.left);
  int step = (int)ceil((widest + 8) / band);
  if (step < 1) step = 1;
  buf_puts(&body, "<g class=\"labels\">");
  for (int i = 0; i < n; i += step) {
    text_open(&body, band_mid(p.left, p.right, i, n), p.bottom + 18, "middle", MUTED);
    put_text_fit(&body, label_at(c, i), widest, 12);
    buf_puts(&body, "</text>");
  }
  buf_puts(&body, "</g>");

  ref_lines_y(&body, c, &p);

  for (int s = 0; s < c->n_series; s++) {
    const struct chart_series *se = &c->series[s];
    double v;
    buf_printf(&body, "<g class=\"series s%d\">", s);
    /* the line: "M" at every point after a missing one */
    int any = 0, prev = 0;
    for (int i = 0; i < n; i++) {
      if (!value_at(se, i, &v)) {
        prev = 0;
        continue;
      }
      if (!any) buf_puts(&body, "<path class=\"line\" d=\"");
      buf_putc(&body, prev ? 'L' : 'M');
      put_num(&body, band_mid(p.left, p.right, i, n));
      buf_putc(&body, ',');
      put_num(&body, ymap(&p, v));
      any = prev = 1;
    }
    if (any)
      buf_printf(&body,
                 "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" stroke-linejoin=\"round\" "
                 "stroke-linecap=\"round\"/>",
                 scolor(c, s));
    /* a marker on every value, so that single points show too */
    buf_printf(&body, "<g class=\"markers\" fill=\"%s\" stroke=\"#fff\">", scolor(c, s));
    for (int i = 0; i < n; i++) {
      if (!value_at(se, i, &v)) continue;
      const char *close = marker_open(&body, s, band_mid(p.left, p.right, i, n), ymap(&p, v));
      tooltip(&body, c, s, i, v);
      buf_puts(&body, close);
    }
    buf_puts(&body, "</g></g>");
  }

  ref_labels_y(&body, c, &p);

  double height = p.bottom + 30;
  if (show_legend(c)) height = legend(&body, c, 1, p.left, p.right, p.bottom + 44) + 18;
  svg_finish(b, c, "line", height, &body);
  buf_free(&body);
}

/* ------------------------------------------------------------------------------------ */
/* Bars                                                                                 */

#define VALUE_FONT 11.0

static double widest_value(const struct chart *c) {
  double w = 0, v;
  char num[64];
  for (int s = 0; s < c->n_series; s++)
    for (int i = 0; i < c->n_labels; i++)
      if (value_at(&c->series[s], i, &v)) {
        format_value(c, v, clamp_decimals(c->decimals), num, sizeof num);
        w = fmax(w, text_width(num, VALUE_FONT));
      }
  return w;
}

static void bar_rect(struct buf *b, const struct chart *c, int s, int i, double v, double x, double y,
                     double w, double h) {
  buf_puts(b, "<rect");
  attr(b, "x", x);
  attr(b, "y", y);
  attr(b, "width", w);
  attr(b, "height", h);
  buf_puts(b, ">");
  tooltip(b, c, s, i, v);
  buf_puts(b, "</rect>");
}

static void bars_vertical(struct buf *b, const struct chart *c) {
  int n = c->n_labels, ns = c->n_series;
  struct plot p = {
      .left = CHART_PLOT_LEFT, .right = CHART_PLOT_RIGHT, .top = CHART_PLOT_TOP, .bottom = CHART_PLOT_BOTTOM};
  double band = (p.right - p.left) / n;
  double group = fmin(band * 0.8, ns * 48.0);
  double bar = group / ns;
  double vw = widest_value(c);
  int upright = vw + 2 > bar; /* value labels turned, reading upwards */
  if (upright) p.top += fmin(vw + 6, 120);
  value_scale(c, &p);
  double y0 = ymap(&p, 0);
  struct buf body = {0};

  value_axis_y(&body, c, &p);
  buf_puts(&body, "<g class=\"labels\">");
  for (int i = 0; i < n; i++) {
    text_open(&body, band_mid(p.left, p.right, i, n), p.bottom + 18, "middle", MUTED);
    put_text_fit(&body, label_at(c, i), band - 4, 12);
    buf_puts(&body, "</text>");
  }
  buf_puts(&body, "</g>");

  for (int s = 0; s < ns; s++) {
    double v;
    buf_printf(&body, "<g class=\"series s%d\" fill=\"%s\">", s, scolor(c, s));
    for (int i = 0; i < n; i++) {
      if (!value_at(&c->series[s], i, &v)) continue;
      double x = p.left + i * band + (band - group) / 2 + s * bar;
      double y = ymap(&p, v);
      bar_rect(&body, c, s, i, v, x + 0.5, fmin(y, y0), fmax(bar - 1, 1), fabs(y - y0));
    }
    buf_puts(&body, "</g>");
  }
  ref_lines_y(&body, c, &p); /* over the bars */
  buf_printf(&body, "<g class=\"values\" font-size=\"%d\">", (int)VALUE_FONT);
  for (int s = 0; s < ns; s++) {
    double v;
    for (int i = 0; i < n; i++) {
      if (!value_at(&c->series[s], i, &v)) continue;
      char num[64];
      format_value(c, v, clamp_decimals(c->decimals), num, sizeof num);
      double x = p.left + i * band + (band - group) / 2 + (s + 0.5) * bar;
      double y = ymap(&p, v);
      if (upright) {
        double ty = v >= 0 ? y - 4 : y + 4;
        buf_puts(&body, "<text");
        attr(&body, "x", x + 4);
        attr(&body, "y", ty);
        buf_printf(&body, " text-anchor=\"%s\" fill=\"" INK "\" transform=\"rotate(-90 ",
                   v >= 0 ? "start" : "end");
        put_num(&body, x + 4);
        buf_putc(&body, ' ');
        put_num(&body, ty);
        buf_puts(&body, ")\">");
      } else {
        text_open(&body, x, v >= 0 ? y - 4 : y + 12, "middle", INK);
      }
      chart_escape(&body, num);
      buf_puts(&body, "</text>");
    }
  }
  buf_puts(&body, "</g>");
  ref_labels_y(&body, c, &p);

  double height = p.bottom + 30;
  if (show_legend(c)) height = legend(&body, c, 0, p.left, p.right, p.bottom + 44) + 18;
  svg_finish(b, c, "bars", height, &body);
  buf_free(&body);
}

static void bars_horizontal(struct buf *b, const struct chart *c) {
  int n = c->n_labels, ns = c->n_series;
  double widest = 0;
  for (int i = 0; i < n; i++) widest = fmax(widest, text_width(label_at(c, i), 12));
  double vw = fmin(fmax(widest_value(c), 24), 160);
  struct plot p;
  p.left = fmin(fmax(widest + 16, 72), 240);
  p.right = CHART_W - 12 - vw;
  p.top = c->refs && c->n_refs > 0 ? 30 : 12;
  double bar = ns == 1 ? 20 : 16;
  double group = ns * bar + 12;
  p.bottom = p.top + n * group;
  value_scale(c, &p);
  double x0 = xmap(&p, 0);
  struct buf body = {0};

  /* vertical gridlines, tick labels below, the zero line */
  buf_puts(&body, "<g class=\"axis\">");
  int nt = n_ticks(&p);
  for (int k = 0; k <= nt; k++) {
    double x = xmap(&p, tick(&p, k));
    line_el(&body, x, p.top, x, p.bottom);
    buf_puts(&body, " stroke=\"" GRID "\"/>");
  }
  for (int k = 0; k <= nt; k++) {
    char num[64];
    format_value(c, tick(&p, k), p.tick_decimals, num, sizeof num);
    text_open(&body, xmap(&p, tick(&p, k)), p.bottom + 16, "middle", MUTED);
    chart_escape(&body, num);
    buf_puts(&body, "</text>");
  }
  line_el(&body, x0, p.top, x0, p.bottom);
  buf_puts(&body, " stroke=\"" AXIS "\"/></g>");

  buf_puts(&body, "<g class=\"labels\">");
  for (int i = 0; i < n; i++) {
    text_open(&body, p.left - 8, p.top + (i + 0.5) * group + 4, "end", INK);
    put_text_fit(&body, label_at(c, i), p.left - 12, 12);
    buf_puts(&body, "</text>");
  }
  buf_puts(&body, "</g>");

  for (int s = 0; s < ns; s++) {
    double v;
    buf_printf(&body, "<g class=\"series s%d\" fill=\"%s\">", s, scolor(c, s));
    for (int i = 0; i < n; i++) {
      if (!value_at(&c->series[s], i, &v)) continue;
      double x = xmap(&p, v);
      double y = p.top + i * group + 6 + s * bar;
      bar_rect(&body, c, s, i, v, fmin(x, x0), y + 0.5, fabs(x - x0), bar - 1);
    }
    buf_puts(&body, "</g>");
  }
  /* the references over the bars */
  for (int r = 0; c->refs && r < c->n_refs; r++) {
    if (!isfinite(c->refs[r].y)) continue;
    double x = xmap(&p, c->refs[r].y);
    buf_puts(&body, "<line class=\"ref\"");
    attr(&body, "x1", x);
    attr(&body, "y1", p.top - 4);
    attr(&body, "x2", x);
    attr(&body, "y2", p.bottom);
    buf_printf(&body, " stroke=\"" INK "\" stroke-width=\"1.5\" stroke-dasharray=\"%s\"/>",
               dashes[(size_t)r % N_DASHES]);
  }

  buf_printf(&body, "<g class=\"values\" font-size=\"%d\">", (int)VALUE_FONT);
  for (int s = 0; s < ns; s++) {
    double v;
    for (int i = 0; i < n; i++) {
      if (!value_at(&c->series[s], i, &v)) continue;
      char num[64];
      format_value(c, v, clamp_decimals(c->decimals), num, sizeof num);
      double x = xmap(&p, v);
      double y = p.top + i * group + 6 + (s + 0.5) * bar + 4;
      text_open(&body, v >= 0 ? x + 4 : x - 4, y, v >= 0 ? "start" : "end", INK);
      chart_escape(&body, num);
      buf_puts(&body, "</text>");
    }
  }
  buf_puts(&body, "</g>");
  for (int r = 0; c->refs && r < c->n_refs; r++) {
    if (!isfinite(c->refs[r].y)) continue;
    text_open_halo(&body, xmap(&p, c->refs[r].y), p.top - 10, "middle", INK);
    put_ref_text(&body, c, &c->refs[r]);
    buf_puts(&body, "</text>");
  }

  double height = p.bottom + 28;
  if (show_legend(c)) height = legend(&body, c, 0, 16, CHART_W - 16, p.bottom + 42) + 18;
  svg_finish(b, c, "bars", height, &body);
  buf_free(&body);
}

void chart_bars(struct buf *b, const struct chart *c) {
  if (!has_data(c)) {
    svg_empty(b, c, "bars");
    return;
  }
  if (c->horizontal)
    bars_horizontal(b, c);
  else
    bars_vertical(b, c);
}

/* ------------------------------------------------------------------------------------ */
/* Stacked bars                                                                         */

void chart_stacked(struct buf *b, const struct chart *c) {
  if (!has_data(c)) {
    svg_empty(b, c, "stacked");
    return;
  }
  int n = c->n_labels, ns = c->n_series;
  double widest = 0;
  for (int i = 0; i < n; i++) widest = fmax(widest, text_width(label_at(c, i), 12));
  struct plot p;
  p.left = fmin(fmax(widest + 16, 72), 240);
  p.right = CHART_W - 24;
  p.top = 12;
  double bar = 22, group = 30;
  p.bottom = p.top + n * group;
  /* the scale holds the largest stack (100% for shares) */
  double hi = 0, v;
  for (int i = 0; i < n; i++) {
    double sum = 0;
    for (int s = 0; s < ns; s++)
      if (value_at(&c->series[s], i, &v) && v > 0) sum += v;
    hi = fmax(hi, sum);
  }
  struct chart scale = *c;
  struct chart_series one = {NULL, &hi, NULL, 1};
  const char *lab = "";
  scale.series = &one;
  scale.n_series = 1;
  scale.labels = &lab;
  scale.n_labels = 1;
  if (c->percent && hi <= 1 + 1e-9) one.values = NULL, one.n = 0; /* 0..100% */
  value_scale(&scale, &p);
  struct buf body = {0};

  buf_puts(&body, "<g class=\"axis\">");
  int nt = n_ticks(&p);
  for (int k = 0; k <= nt; k++) {
    double x = xmap(&p, tick(&p, k));
    line_el(&body, x, p.top, x, p.bottom);
    buf_puts(&body, " stroke=\"" GRID "\"/>");
  }
  for (int k = 0; k <= nt; k++) {
    char num[64];
    format_value(c, tick(&p, k), p.tick_decimals, num, sizeof num);
    text_open(&body, xmap(&p, tick(&p, k)), p.bottom + 16, "middle", MUTED);
    chart_escape(&body, num);
    buf_puts(&body, "</text>");
  }
  line_el(&body, p.left, p.top, p.left, p.bottom);
  buf_puts(&body, " stroke=\"" AXIS "\"/></g>");

  buf_puts(&body, "<g class=\"labels\">");
  for (int i = 0; i < n; i++) {
    text_open(&body, p.left - 8, p.top + (i + 0.5) * group + 4, "end", INK);
    put_text_fit(&body, label_at(c, i), p.left - 12, 12);
    buf_puts(&body, "</text>");
  }
  buf_puts(&body, "</g>");

  /* the segments, left to right in series order; negative values are not stacked */
  for (int s = 0; s < ns; s++) {
    buf_printf(&body, "<g class=\"series s%d\" fill=\"%s\">", s, scolor(c, s));
    for (int i = 0; i < n; i++) {
      if (!value_at(&c->series[s], i, &v) || v <= 0) continue;
      double cum = 0, w;
      for (int q = 0; q < s; q++)
        if (value_at(&c->series[q], i, &w) && w > 0) cum += w;
      double x0 = xmap(&p, cum), x1 = xmap(&p, cum + v);
      bar_rect(&body, c, s, i, v, x0, p.top + i * group + (group - bar) / 2, fmax(x1 - x0, 0.5), bar);
    }
    buf_puts(&body, "</g>");
  }
  /* the values inside the segments that are wide enough, in white (every palette hue
     has at least 4.5:1 against white) */
  buf_printf(&body, "<g class=\"values\" font-size=\"%d\">", (int)VALUE_FONT);
  for (int i = 0; i < n; i++) {
    double cum = 0;
    for (int s = 0; s < ns; s++) {
      if (!value_at(&c->series[s], i, &v) || v <= 0) continue;
      char num[64];
      format_value(c, v, clamp_decimals(c->decimals), num, sizeof num);
      double x0 = xmap(&p, cum), x1 = xmap(&p, cum + v);
      cum += v;
      if (x1 - x0 < text_width(num, VALUE_FONT) + 6) continue;
      text_open(&body, (x0 + x1) / 2, p.top + (i + 0.5) * group + 4, "middle", "#fff");
      chart_escape(&body, num);
      buf_puts(&body, "</text>");
    }
  }
  buf_puts(&body, "</g>");

  double height = p.bottom + 28;
  if (show_legend(c)) height = legend(&body, c, 0, 16, CHART_W - 16, p.bottom + 42) + 18;
  svg_finish(b, c, "stacked", height, &body);
  buf_free(&body);
}

/* ------------------------------------------------------------------------------------ */
/* Table                                                                                */

void chart_table(struct buf *b, const struct chart *c) {
  static const struct chart none = {0};
  if (!c) c = &none;
  html_table_open(b, c->title ? c->title : "", NULL, "chart-table");
  chart_escape(b, c->title);
  int nref = 0;
  for (int r = 0; c->refs && r < c->n_refs; r++) {
    if (!isfinite(c->refs[r].y)) continue;
    buf_puts(b, nref++ ? "; " : " <span class=\"chart-refs\">(");
    put_ref_text(b, c, &c->refs[r]);
  }
  if (nref) buf_puts(b, ")</span>");
  buf_puts(b, "</caption>");
  if (c->n_labels <= 0 || c->n_series <= 0 || !c->series) {
    buf_puts(b, "<tbody><tr><td>");
    chart_escape(b, c->empty_text ? c->empty_text : "geen gegevens");
    buf_puts(b, "</td></tr></tbody></table></div>");
    return;
  }
  buf_puts(b, "<thead><tr>");
  if (c->label_header && *c->label_header) {
    buf_puts(b, "<th scope=\"col\">");
    chart_escape(b, c->label_header);
    buf_puts(b, "</th>");
  } else {
    buf_puts(b, "<td></td>");
  }
  for (int s = 0; s < c->n_series; s++) {
    buf_puts(b, "<th scope=\"col\" class=\"n\">");
    chart_escape(b, c->series[s].name);
    buf_puts(b, "</th>");
  }
  buf_puts(b, "</tr></thead><tbody>");
  int decimals = clamp_decimals(c->decimals);
  for (int i = 0; i < c->n_labels; i++) {
    buf_puts(b, "<tr><th scope=\"row\">");
    chart_escape(b, label_at(c, i));
    buf_puts(b, "</th>");
    for (int s = 0; s < c->n_series; s++) {
      double v;
      char num[64];
      if (value_at(&c->series[s], i, &v))
        format_value(c, v, decimals, num, sizeof num);
      else
        memcpy(num, DASH, sizeof DASH);
      buf_puts(b, "<td class=\"n\">");
      chart_escape(b, num);
      buf_puts(b, "</td>");
    }
    buf_puts(b, "</tr>");
  }
  buf_puts(b, "</tbody></table></div>");
}
