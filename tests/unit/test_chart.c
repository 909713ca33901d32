/* SPDX-License-Identifier: EUPL-1.2 */
/* SVG charts, their table alternative and the Belgian number format (src/render/chart.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <math.h>

#include "render/chart.h"

/* ---- helpers ---------------------------------------------------------------------- */

static int count(const char *hay, const char *needle) {
  int n = 0;
  size_t len = strlen(needle);
  for (const char *p = strstr(hay, needle); p; p = strstr(p + len, needle)) n++;
  return n;
}

/* The value of the first attribute name="..." after the first occurrence of after
   (or from the start when after is NULL), into out. Fails the test when missing. */
static void attr_after(const char *s, const char *after, const char *name, char *out, size_t n) {
  const char *p = after ? strstr(s, after) : s;
  if (!p) fail_msg("\"%s\" not in the output", after);
  char key[64];
  snprintf(key, sizeof key, " %s=\"", name);
  const char *a = strstr(p, key);
  if (!a) fail_msg("no attribute %s after \"%s\"", name, after ? after : "");
  a += strlen(key);
  const char *e = strchr(a, '"');
  assert_non_null(e);
  size_t len = (size_t)(e - a);
  assert_true(len < n);
  memcpy(out, a, len);
  out[len] = 0;
}

/* A coordinate as the header documents it: one decimal, '.'. */
static void coord(double v, char *out, size_t n) { snprintf(out, n, "%.1f", v); }

/* A small well-formedness check: tags nest and close, attribute values are quoted and
   hold no '<', every '&' starts an entity, one root element. */
static int well_formed(const char *s) {
  const char *stack[64];
  size_t lens[64];
  int depth = 0, roots = 0;
  for (const char *p = s; *p;) {
    if (*p == '&') {
      const char *q = p + 1;
      if (*q == '#') q++;
      while ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9')) q++;
      if (*q != ';' || q == p + 1) return 0;
      p = q + 1;
      continue;
    }
    if (*p == '>') return 0;
    if (*p != '<') {
      if (depth == 0) return 0; /* text outside the root */
      p++;
      continue;
    }
    if (p[1] == '/') {
      const char *name = p + 2;
      size_t len = strcspn(name, ">");
      if (depth == 0 || len != lens[depth - 1] || strncmp(name, stack[depth - 1], len)) return 0;
      depth--;
      p = name + len + 1;
      continue;
    }
    const char *name = p + 1;
    size_t len = strcspn(name, " />");
    if (len == 0) return 0;
    const char *q = name + len;
    while (*q && *q != '>') {
      if (*q == '"') {
        const char *end = strchr(q + 1, '"');
        if (!end || memchr(q + 1, '<', (size_t)(end - q - 1))) return 0;
        q = end + 1;
      } else if (*q == '<' || *q == '\'') {
        return 0;
      } else {
        q++;
      }
    }
    if (!*q) return 0;
    if (depth == 0) roots++;
    if (q[-1] != '/') {
      if (depth == 64) return 0;
      stack[depth] = name;
      lens[depth++] = len;
    }
    p = q + 1;
  }
  return depth == 0 && roots == 1;
}

static void assert_svg_ok(const char *svg) {
  assert_true(strncmp(svg, "<svg ", 5) == 0);
  if (!well_formed(svg)) fail_msg("not well-formed: %s", svg);
  assert_non_null(strstr(svg, " role=\"img\""));
  assert_non_null(strstr(svg, " width=\"100%\""));
  assert_non_null(strstr(svg, " viewBox=\"0 0 640 "));
  /* self-contained: no script, no links, no style (the CSP has style-src 'self') */
  assert_null(strstr(svg, "<script"));
  assert_null(strstr(svg, "href"));
  assert_null(strstr(svg, "url("));
  assert_null(strstr(svg, "style"));
}

/* The d attribute of the first <path class="line"> after the start of series s. */
static void series_path(const char *svg, int s, char *out, size_t n) {
  char g[48];
  snprintf(g, sizeof g, "<g class=\"series s%d\">", s);
  const char *p = strstr(svg, g);
  assert_non_null(p);
  const char *end = strstr(p, "</g></g>");
  assert_non_null(end);
  const char *path = strstr(p, "<path class=\"line\"");
  assert_non_null(path);
  assert_true(path < end);
  attr_after(path, NULL, "d", out, n);
}

static const char *const weeks5[] = {"w1", "w2", "w3", "w4", "w5"};

/* ---- Belgian numbers --------------------------------------------------------------- */

static void be(double v, int decimals, const char *want) {
  char out[64];
  int len = format_be(v, decimals, out, sizeof out);
  if (strcmp(out, want)) fail_msg("format_be(%.17g, %d) = \"%s\", want \"%s\"", v, decimals, out, want);
  assert_int_equal(len, (int)strlen(want));
}

static void pct(double v, int decimals, const char *want) {
  char out[64];
  int len = format_be_pct(v, decimals, out, sizeof out);
  if (strcmp(out, want)) fail_msg("format_be_pct(%.17g, %d) = \"%s\", want \"%s\"", v, decimals, out, want);
  assert_int_equal(len, (int)strlen(want));
}

static void test_format_be(void **state) {
  (void)state;
  be(12725.4, 0, "12.725");
  be(0.55, 2, "0,55");
  be(-1234.5, 1, "-1.234,5");
  be(0, 0, "0");
  be(0, 2, "0,00");
  be(7, 0, "7");
  be(999, 0, "999");
  be(1000, 0, "1.000");
  be(999.5, 0, "1.000"); /* the carry reaches a new group */
  be(99999.96, 1, "100.000,0");
  be(1234567.891, 2, "1.234.567,89");
  be(-1000000, 0, "-1.000.000");
  be(1185.95, 2, "1.185,95");
  be(0.05, 1, "0,1");
  be(0.004, 2, "0,00");
  be(12.3, 3, "12,300");
  be(1e-300, 2, "0,00");
  /* half away from zero, on the number as written */
  be(2.5, 0, "3");
  be(-2.5, 0, "-3");
  be(0.5, 0, "1");
  be(-0.5, 0, "-1");
  be(1.5, 0, "2");
  be(0.125, 2, "0,13");
  be(-0.125, 2, "-0,13");
  be(1.005, 2, "1,01");
  be(2.675, 2, "2,68");
  be(2.4999, 0, "2");
  /* no "-0" */
  be(-0.4, 0, "0");
  be(-0.0, 1, "0,0");
  be(-0.004, 2, "0,00");
  /* not finite */
  be(NAN, 0, "\xe2\x80\x93");
  be(INFINITY, 2, "\xe2\x80\x93");
  /* decimals out of range are clamped */
  be(1.25, -3, "1");
  be(1, 20, "1,000000000");
  /* whole numbers up to the largest one written digit by digit, and beyond it */
  be(1200, 1, "1.200,0");
  be(999999999999999, 0, "999.999.999.999.999");
  be(1e15, 0, "1.000.000.000.000.000");
  be(9007199254740993.0, 0, "9.007.199.254.740.992");
  be(-4096, 0, "-4.096");
  /* hours of minutes (the dashboard's cells): 9 / 60 is 0.15, 3 / 60 is 0.05 */
  be(9.0 / 60.0, 1, "0,2");
  be(3.0 / 60.0, 1, "0,1");
  be(2.0 / 60.0, 1, "0,0");
  be(1234567.0 / 60.0, 1, "20.576,1");
  be(87.0 / 60.0, 1, "1,5");
  be(1.0 / 3.0, 9, "0,333333333");
  be(0.1 + 0.2, 2, "0,30");
  be(123456.789, 2, "123.456,79");
}

static void test_format_be_pct(void **state) {
  (void)state;
  pct(0.5609, 0, "56%");
  pct(0.55, 0, "55%");
  pct(0.565, 0, "57%"); /* 56.5 in decimal, though 0.565 * 100 is 56.49999... */
  pct(0.125, 1, "12,5%");
  pct(0.6, 0, "60%");
  pct(1, 0, "100%");
  pct(0, 0, "0%");
  pct(0.005, 0, "1%");
  pct(-0.005, 0, "-1%");
  pct(12.5, 0, "1.250%");
  pct(0.12345, 2, "12,35%");
  pct(-0.001, 0, "0%");
}

static void test_format_be_truncates(void **state) {
  (void)state;
  char small[5];
  memset(small, 'x', sizeof small);
  int len = format_be(1234567, 0, small, sizeof small);
  assert_int_equal(len, (int)strlen("1.234.567"));
  assert_string_equal(small, "1.23");
  /* the largest double fits in a big enough buffer and is whole */
  char big[512];
  len = format_be(1.7976931348623157e308, 0, big, sizeof big);
  assert_int_equal(len, (int)strlen(big));
  assert_int_equal(strncmp(big, "179.769.313.486.231.570.000", 27), 0);
  assert_int_equal(len, 309 + 102);
}

/* ---- escaping ---------------------------------------------------------------------- */

#define HOSTILE "<script>alert(\"x\")</script> & 'q'"
#define HOSTILE_ESC "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"

static void check_no_raw_hostile(const char *out) {
  assert_null(strstr(out, "<script"));
  assert_null(strstr(out, "alert(\""));
  assert_null(strstr(out, "'q'"));
  assert_null(strstr(out, "& '"));
}

static void test_escape(void **state) {
  (void)state;
  const char *const labels[] = {HOSTILE, "w2"};
  double v[] = {0.5, 0.7};
  struct chart_series s = {.name = "Lijn \"A\" & <B>", .values = v, .n = 2};
  struct chart_ref ref = {.y = 0.6, .label = "<norm>"};
  struct chart c = {.id = "klv\" onload=\"x",
                    .title = HOSTILE,
                    .desc = HOSTILE,
                    .labels = labels,
                    .n_labels = 2,
                    .series = &s,
                    .n_series = 1,
                    .refs = &ref,
                    .n_refs = 1,
                    .percent = 1,
                    .label_header = "<th>"};
  void (*render[])(struct buf *, const struct chart *) = {chart_line, chart_bars, chart_table};
  for (int horizontal = 0; horizontal < 2; horizontal++) {
    c.horizontal = horizontal;
    for (size_t k = 0; k < sizeof render / sizeof render[0]; k++) {
      struct buf b = {0};
      render[k](&b, &c);
      const char *out = buf_str(&b);
      check_no_raw_hostile(out);
      assert_null(strstr(out, "<B>"));
      assert_null(strstr(out, "<norm>"));
      assert_null(strstr(out, "onload=\""));
      assert_true(count(out, HOSTILE_ESC) >= 2); /* title (caption) and label at least */
      assert_non_null(strstr(out, "Lijn &quot;A&quot; &amp; &lt;B&gt;"));
      assert_non_null(strstr(out, "&lt;norm&gt; 60%"));
      if (k < 2) {
        assert_svg_ok(out);
        assert_non_null(strstr(out, "<title id=\"klv__onload__x-title\">" HOSTILE_ESC "</title>"));
        assert_non_null(strstr(out, "<desc id=\"klv__onload__x-desc\">" HOSTILE_ESC "</desc>"));
      } else {
        assert_non_null(strstr(out, "<caption>" HOSTILE_ESC));
        assert_non_null(strstr(out, "aria-label=\"" HOSTILE_ESC "\""));
        assert_non_null(strstr(out, "<th scope=\"row\">" HOSTILE_ESC "</th>"));
        assert_non_null(strstr(out, "<th scope=\"col\">&lt;th&gt;</th>"));
      }
      buf_free(&b);
    }
  }

  /* control characters are left out, UTF-8 is kept */
  struct buf b = {0};
  chart_escape(&b, "a\x01"
                   "b\tc\xc3\xa9");
  assert_string_equal(buf_str(&b), "ab\tc\xc3\xa9");
  chart_escape(&b, NULL);
  assert_string_equal(buf_str(&b), "ab\tc\xc3\xa9");
  buf_free(&b);
}

/* ---- the svg element --------------------------------------------------------------- */

static void test_svg_accessible(void **state) {
  (void)state;
  double v[] = {0.5, 0.6, 0.55, 0.7, 0.65};
  struct chart_series s = {.name = "KLV%", .values = v, .n = 5};
  struct chart c = {.id = "klv",
                    .title = "KLV% per week",
                    .desc = "Het aandeel klantgebonden uren per week",
                    .labels = weeks5,
                    .n_labels = 5,
                    .series = &s,
                    .n_series = 1,
                    .percent = 1};
  struct buf b = {0};
  chart_line(&b, &c);
  const char *svg = buf_str(&b);
  assert_svg_ok(svg);
  char val[64];
  attr_after(svg, "<svg ", "aria-labelledby", val, sizeof val);
  assert_string_equal(val, "klv-title");
  attr_after(svg, "<svg ", "aria-describedby", val, sizeof val);
  assert_string_equal(val, "klv-desc");
  assert_non_null(strstr(svg, "<title id=\"klv-title\">KLV% per week</title>"));
  assert_non_null(strstr(svg, "<desc id=\"klv-desc\">Het aandeel klantgebonden uren per week</desc>"));
  /* the title is the first child */
  assert_true(strstr(svg, "<title") < strstr(svg, "<g"));
  /* axis ticks in percent */
  assert_non_null(strstr(svg, ">0%</text>"));
  assert_non_null(strstr(svg, ">60%</text>"));
  assert_non_null(strstr(svg, ">100%</text>"));
  /* a marker (with its tooltip) on every value, and one in the legend */
  assert_int_equal(count(svg, "</circle>"), 5 + 1);
  assert_non_null(strstr(svg, "<title>w3, KLV%: 55%</title>"));

  /* without desc: no aria-describedby, no <desc> */
  c.desc = NULL;
  c.id = NULL;
  buf_reset(&b);
  chart_bars(&b, &c);
  svg = buf_str(&b);
  assert_svg_ok(svg);
  assert_null(strstr(svg, "aria-describedby"));
  assert_null(strstr(svg, "<desc"));
  assert_non_null(strstr(svg, "aria-labelledby=\"chart-title\""));
  buf_free(&b);
}

/* ---- line chart -------------------------------------------------------------------- */

static void test_missing_point_breaks_line(void **state) {
  (void)state;
  /* week 3 has no data: its value slot holds 0, which must not be drawn */
  double v[] = {0.5, 0.6, 0.0, 0.7, 0.8};
  unsigned char present[] = {1, 1, 0, 1, 1};
  /* NaN and values beyond n are missing too */
  double w[] = {0.4, NAN, 0.45};
  struct chart_series s[] = {{.name = "2024-2025", .values = v, .present = present, .n = 5},
                             {.name = "2023-2024", .values = w, .n = 3}};
  struct chart c = {.id = "klv",
                    .title = "KLV%",
                    .labels = weeks5,
                    .n_labels = 5,
                    .series = s,
                    .n_series = 2,
                    .percent = 1};
  struct buf b = {0};
  chart_line(&b, &c);
  const char *svg = buf_str(&b);
  assert_svg_ok(svg);

  char d[512];
  series_path(svg, 0, d, sizeof d);
  assert_int_equal(count(d, "M"), 2);
  assert_int_equal(count(d, "L"), 2);
  assert_int_equal(d[0], 'M');
  /* nothing at week 3's x, nothing at the y of 0 */
  char x3[32], y0[32];
  coord(CHART_PLOT_LEFT + 2.5 * (CHART_PLOT_RIGHT - CHART_PLOT_LEFT) / 5.0, x3, sizeof x3);
  coord(CHART_PLOT_BOTTOM, y0, sizeof y0);
  assert_null(strstr(d, x3));
  assert_null(strstr(d, y0));
  /* the second move starts at week 4 */
  char x4[32], y4[32], want[80];
  coord(CHART_PLOT_LEFT + 3.5 * (CHART_PLOT_RIGHT - CHART_PLOT_LEFT) / 5.0, x4, sizeof x4);
  coord(CHART_PLOT_TOP + (1 - 0.7) * (CHART_PLOT_BOTTOM - CHART_PLOT_TOP), y4, sizeof y4);
  snprintf(want, sizeof want, "M%s,%s", x4, y4);
  assert_non_null(strstr(d, want));

  /* series 2: two single points, no line segment */
  series_path(svg, 1, d, sizeof d);
  assert_int_equal(count(d, "M"), 2);
  assert_int_equal(count(d, "L"), 0);
  /* markers: 4 of series 1 (circles), 2 of series 2 (squares), and one each in the legend */
  assert_int_equal(count(svg, "</circle>"), 4 + 1);
  assert_int_equal(count(svg, "</rect>"), 2 + 1);
  assert_non_null(strstr(svg, ">2024-2025</text>"));
  assert_non_null(strstr(svg, ">2023-2024</text>"));
  buf_free(&b);
}

static void test_reference_line_geometry(void **state) {
  (void)state;
  const char *const labels[] = {"38", "39", "40", "41"};
  double v[] = {0.58, 0.5, 0.62, 0.71};
  struct chart_series s = {.name = "KLV%", .values = v, .n = 4};
  struct chart_ref refs[] = {{.y = 0.6, .label = "norm"}, {.y = 0.5, .label = "ondergrens"}};
  struct chart c = {.id = "klv",
                    .title = "KLV% per week",
                    .labels = labels,
                    .n_labels = 4,
                    .series = &s,
                    .n_series = 1,
                    .refs = refs,
                    .n_refs = 2,
                    .percent = 1};
  struct buf b = {0};
  chart_line(&b, &c);
  const char *svg = buf_str(&b);
  assert_svg_ok(svg);

  /* the documented geometry: a percent chart within 0..1 has lo = 0, hi = 1 */
  double top = CHART_PLOT_TOP, bottom = CHART_PLOT_BOTTOM;
  char want[32], got[32];
  coord(top + (1.0 - 0.6) / (1.0 - 0.0) * (bottom - top), want, sizeof want);
  attr_after(svg, "<line class=\"ref\"", "y1", got, sizeof got);
  assert_string_equal(got, want);
  attr_after(svg, "<line class=\"ref\"", "y2", got, sizeof got);
  assert_string_equal(got, want);
  coord(CHART_PLOT_LEFT, want, sizeof want);
  attr_after(svg, "<line class=\"ref\"", "x1", got, sizeof got);
  assert_string_equal(got, want);
  coord(CHART_PLOT_RIGHT, want, sizeof want);
  attr_after(svg, "<line class=\"ref\"", "x2", got, sizeof got);
  assert_string_equal(got, want);
  /* dashed, and the second one otherwise dashed */
  attr_after(svg, "<line class=\"ref\"", "stroke-dasharray", got, sizeof got);
  char second[32];
  const char *r2 = strstr(strstr(svg, "<line class=\"ref\"") + 1, "<line class=\"ref\"");
  assert_non_null(r2);
  attr_after(r2, NULL, "stroke-dasharray", second, sizeof second);
  assert_string_not_equal(got, second);
  coord(top + 0.5 * (bottom - top), want, sizeof want);
  attr_after(r2, NULL, "y1", got, sizeof got);
  assert_string_equal(got, want);
  /* labelled with name and value */
  assert_non_null(strstr(svg, ">norm 60%</text>"));
  assert_non_null(strstr(svg, ">ondergrens 50%</text>"));

  /* the points: label i of n at the middle of its band, value by the same formula */
  char d[512], x[32], y[32], pt[80];
  series_path(svg, 0, d, sizeof d);
  for (int i = 0; i < 4; i++) {
    coord(CHART_PLOT_LEFT + (i + 0.5) * (CHART_PLOT_RIGHT - CHART_PLOT_LEFT) / 4.0, x, sizeof x);
    coord(top + (1.0 - v[i]) * (bottom - top), y, sizeof y);
    snprintf(pt, sizeof pt, "%c%s,%s", i ? 'L' : 'M', x, y);
    if (!strstr(d, pt)) fail_msg("point %d: \"%s\" not in d=\"%s\"", i, pt, d);
  }
  buf_free(&b);
}

/* A chart beyond 100%: the axis grows to whole nice steps and still holds 100%. */
static void test_scale_beyond_one(void **state) {
  (void)state;
  const char *const labels[] = {"a", "b"};
  double v[] = {1.1, 0.4};
  struct chart_series s = {.name = "", .values = v, .n = 2};
  struct chart c = {.title = "t", .labels = labels, .n_labels = 2, .series = &s, .n_series = 1, .percent = 1};
  struct buf b = {0};
  chart_line(&b, &c);
  const char *svg = buf_str(&b);
  assert_svg_ok(svg);
  /* 0..1.1 in about five steps: 0.25 each, up to 125% */
  assert_non_null(strstr(svg, ">125%</text>"));
  assert_non_null(strstr(svg, ">100%</text>"));
  assert_null(strstr(svg, ">150%</text>"));
  /* no legend for one unnamed series */
  assert_null(strstr(svg, "class=\"legend\""));
  buf_free(&b);
}

/* ---- bars -------------------------------------------------------------------------- */

static void test_bars(void **state) {
  (void)state;
  const char *const lines[] = {"Basisonderwijs", "Secundair onderwijs", "Buitengewoon onderwijs"};
  double planned[] = {12.5, 8.25, 3};
  double realised[] = {12725.4, 7.9, 0};
  unsigned char real_present[] = {1, 1, 0};
  struct chart_series s[] = {
      {.name = "Gepland VTE", .values = planned, .n = 3},
      {.name = "Gerealiseerd VTE", .values = realised, .present = real_present, .n = 3}};
  struct chart_ref target = {.y = 10, .label = "doel"};
  struct chart c = {.id = "vte",
                    .title = "VTE per lijn",
                    .labels = lines,
                    .n_labels = 3,
                    .series = s,
                    .n_series = 2,
                    .refs = &target,
                    .n_refs = 1,
                    .decimals = 1};
  for (int horizontal = 0; horizontal < 2; horizontal++) {
    c.horizontal = horizontal;
    struct buf b = {0};
    chart_bars(&b, &c);
    const char *svg = buf_str(&b);
    assert_svg_ok(svg);
    /* one bar per present value (bars carry a tooltip; legend squares do not) */
    assert_int_equal(count(svg, "</rect>"), 5);
    assert_non_null(strstr(svg, ">12.725,4</text>"));
    assert_non_null(strstr(svg, ">8,3</text>"));
    assert_non_null(strstr(svg, ">7,9</text>"));
    assert_non_null(strstr(svg, ">3,0</text>"));
    assert_non_null(strstr(svg, ">doel 10,0</text>"));
    assert_non_null(strstr(svg, "<title>Secundair onderwijs, Gerealiseerd VTE: 7,9</title>"));
    assert_non_null(strstr(svg, ">Gepland VTE</text>"));
    assert_non_null(strstr(svg, ">Gerealiseerd VTE</text>"));
    assert_int_equal(count(svg, "<line class=\"ref\""), 1);
    /* the two series in different colors */
    char c0[16], c1[16];
    attr_after(svg, "<g class=\"series s0\"", "fill", c0, sizeof c0);
    attr_after(svg, "<g class=\"series s1\"", "fill", c1, sizeof c1);
    assert_string_not_equal(c0, c1);
    buf_free(&b);
  }

  /* vertical bars: a bar of 0.5 in a percent chart goes from the zero line up to
     the documented y of 0.5 */
  const char *const two[] = {"a", "b"};
  double hv[] = {0.5, 0.25};
  struct chart_series one = {.name = "KLV%", .values = hv, .n = 2};
  struct chart p = {.title = "t", .labels = two, .n_labels = 2, .series = &one, .n_series = 1, .percent = 1};
  struct buf b = {0};
  chart_bars(&b, &p);
  const char *svg = buf_str(&b);
  assert_svg_ok(svg);
  char want[32], got[32];
  coord(CHART_PLOT_TOP + 0.5 * (CHART_PLOT_BOTTOM - CHART_PLOT_TOP), want, sizeof want);
  attr_after(svg, "<g class=\"series s0\"", "y", got, sizeof got);
  assert_string_equal(got, want);
  coord(0.5 * (CHART_PLOT_BOTTOM - CHART_PLOT_TOP), want, sizeof want);
  attr_after(svg, "<g class=\"series s0\"", "height", got, sizeof got);
  assert_string_equal(got, want);
  assert_non_null(strstr(svg, ">50%</text>"));
  assert_non_null(strstr(svg, ">25%</text>"));
  buf_free(&b);
}

/* Many narrow bars: the value labels are turned and still in the picture. */
static void test_bars_upright_labels(void **state) {
  (void)state;
  enum { N = 20 };
  const char *labels[N];
  double a[N], bv[N], cv[N];
  for (int i = 0; i < N; i++) {
    labels[i] = "Een erg lange naam van een lijn";
    a[i] = 1234.5 * i;
    bv[i] = 999.25 * i;
    cv[i] = -10.5 * i;
  }
  struct chart_series s[] = {{.name = "a", .values = a, .n = N},
                             {.name = "b", .values = bv, .n = N},
                             {.name = "c", .values = cv, .n = N}};
  struct chart c = {
      .title = "uren", .labels = labels, .n_labels = N, .series = s, .n_series = 3, .decimals = 2};
  struct buf b = {0};
  chart_bars(&b, &c);
  const char *svg = buf_str(&b);
  assert_svg_ok(svg);
  assert_non_null(strstr(svg, "rotate(-90 "));
  assert_non_null(strstr(svg, ">23.455,50</text>"));
  assert_non_null(strstr(svg, ">-199,50</text>"));
  /* long category names are cut with an ellipsis and kept whole in a tooltip */
  assert_non_null(strstr(svg, "\xe2\x80\xa6<title>Een erg lange naam van een lijn</title>"));
  assert_int_equal(count(svg, "</rect>"), 3 * N);
  buf_free(&b);
}

/* ---- table ------------------------------------------------------------------------- */

static void test_table(void **state) {
  (void)state;
  const char *const labels[] = {"w38", "w39", "w40"};
  double a[] = {0.5609, 0.55, 0.6};
  double y[] = {0.4, 0.45, 0.47};
  unsigned char ya[] = {1, 0, 1};
  struct chart_series s[] = {{.name = "2024-2025", .values = a, .n = 3},
                             {.name = "2023-2024", .values = y, .present = ya, .n = 3}};
  struct chart_ref ref = {.y = 0.6, .label = "norm"};
  struct chart c = {.title = "KLV% per week",
                    .labels = labels,
                    .n_labels = 3,
                    .series = s,
                    .n_series = 2,
                    .refs = &ref,
                    .n_refs = 1,
                    .percent = 1,
                    .label_header = "Week"};
  struct buf b = {0};
  chart_table(&b, &c);
  const char *t = buf_str(&b);
  if (!well_formed(t)) fail_msg("not well-formed: %s", t);
  assert_non_null(strstr(t, "<caption>KLV% per week <span class=\"chart-refs\">(norm 60%)</span></caption>"));
  /* one header row: the label column and one column per series */
  assert_int_equal(count(t, "<thead>"), 1);
  assert_int_equal(count(t, "<th scope=\"col\""), 1 + 2);
  assert_non_null(strstr(t, "<th scope=\"col\">Week</th>"));
  assert_non_null(strstr(t, "<th scope=\"col\" class=\"n\">2024-2025</th>"));
  /* one row per label, one cell per series */
  const char *body = strstr(t, "<tbody>");
  assert_non_null(body);
  assert_int_equal(count(body, "<tr>"), 3);
  assert_int_equal(count(body, "<th scope=\"row\">"), 3);
  assert_int_equal(count(body, "<td"), 3 * 2);
  assert_non_null(
      strstr(t, "<tr><th scope=\"row\">w38</th><td class=\"n\">56%</td><td class=\"n\">40%</td></tr>"));
  /* a missing value is a dash, not 0% */
  assert_non_null(strstr(
      t, "<tr><th scope=\"row\">w39</th><td class=\"n\">55%</td><td class=\"n\">\xe2\x80\x93</td></tr>"));
  buf_free(&b);

  /* numbers with decimals, no label header */
  double h[] = {12725.4, 0.55, -1234.5};
  struct chart_series hs = {.name = "uren", .values = h, .n = 3};
  struct chart n = {
      .title = "Uren", .labels = labels, .n_labels = 3, .series = &hs, .n_series = 1, .decimals = 1};
  chart_table(&b, &n);
  t = buf_str(&b);
  assert_true(well_formed(t));
  assert_non_null(strstr(t, "<thead><tr><td></td><th scope=\"col\" class=\"n\">uren</th></tr></thead>"));
  assert_non_null(strstr(t, ">12.725,4</td>"));
  assert_non_null(strstr(t, ">0,6</td>"));
  assert_non_null(strstr(t, ">-1.234,5</td>"));
  assert_null(strstr(t, "chart-refs"));
  buf_free(&b);
}

/* ---- empty input ------------------------------------------------------------------- */

static void check_empty_svg(const char *svg, const char *text) {
  assert_svg_ok(svg);
  char want[96];
  snprintf(want, sizeof want, ">%s</text>", text);
  assert_non_null(strstr(svg, want));
  assert_non_null(strstr(svg, "<title id="));
  assert_null(strstr(svg, "<path"));
  char vb[32];
  snprintf(vb, sizeof vb, "viewBox=\"0 0 %d %d\"", CHART_W, CHART_EMPTY_H);
  assert_non_null(strstr(svg, vb));
}

static void test_empty(void **state) {
  (void)state;
  double v[] = {0.5};
  unsigned char none[] = {0};
  struct chart_series s = {.name = "x", .values = v, .n = 1};
  struct chart_series missing = {.name = "x", .values = v, .present = none, .n = 1};
  struct chart_series nothing = {.name = "x"};
  const char *const one[] = {"w1"};
  struct chart cases[] = {
      {.title = "geen reeksen", .labels = one, .n_labels = 1},
      {.title = "geen labels", .series = &s, .n_series = 1},
      {.title = "niets aanwezig", .labels = one, .n_labels = 1, .series = &missing, .n_series = 1},
      {.title = "n = 0", .labels = one, .n_labels = 1, .series = &nothing, .n_series = 1},
      {.title = "negatieve n", .labels = one, .n_labels = -1, .series = &s, .n_series = -3},
      {0},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    for (int horizontal = 0; horizontal < 2; horizontal++) {
      cases[k].horizontal = horizontal;
      struct buf b = {0};
      chart_line(&b, &cases[k]);
      check_empty_svg(buf_str(&b), "geen gegevens");
      buf_reset(&b);
      chart_bars(&b, &cases[k]);
      check_empty_svg(buf_str(&b), "geen gegevens");
      buf_reset(&b);
      chart_table(&b, &cases[k]);
      assert_true(well_formed(buf_str(&b)));
      if (k != 2 && k != 3) assert_non_null(strstr(buf_str(&b), "<td>geen gegevens</td>"));
      buf_free(&b);
    }
  }
  /* a NULL chart, and the English text */
  struct buf b = {0};
  chart_line(&b, NULL);
  check_empty_svg(buf_str(&b), "geen gegevens");
  buf_reset(&b);
  chart_table(&b, NULL);
  assert_true(well_formed(buf_str(&b)));
  buf_reset(&b);
  struct chart en = {.title = "KLV%", .empty_text = "no data"};
  chart_bars(&b, &en);
  check_empty_svg(buf_str(&b), "no data");
  buf_free(&b);
}

/* Absurd data (huge values, a non-finite reference, long names) gives a well-formed
   chart, without hanging or crashing. */
static void test_absurd_values(void **state) {
  (void)state;
  const char *const labels[] = {NULL, "b", "c"};
  double v[] = {1.7976931348623157e308, -1.7976931348623157e308, 1e-300};
  struct chart_series s[] = {{.name = NULL, .values = v, .n = 3}, {.name = "y", .values = v, .n = 3}};
  struct chart_ref refs[] = {{.y = NAN, .label = "nan"}, {.y = 1e300, .label = NULL}};
  struct chart c = {.title = NULL,
                    .labels = labels,
                    .n_labels = 3,
                    .series = s,
                    .n_series = 2,
                    .refs = refs,
                    .n_refs = 2,
                    .decimals = 99};
  for (int percent = 0; percent < 2; percent++) {
    for (int horizontal = 0; horizontal < 2; horizontal++) {
      c.percent = percent;
      c.horizontal = horizontal;
      struct buf b = {0};
      chart_line(&b, &c);
      assert_svg_ok(buf_str(&b));
      buf_reset(&b);
      chart_bars(&b, &c);
      assert_svg_ok(buf_str(&b));
      assert_null(strstr(buf_str(&b), ">nan"));
      buf_reset(&b);
      chart_table(&b, &c);
      assert_true(well_formed(buf_str(&b)));
      buf_free(&b);
    }
  }
}

/* ---- determinism ------------------------------------------------------------------- */

static void test_deterministic(void **state) {
  (void)state;
  double v[] = {0.5, 0.6, 0.1, 0.7, 0.65};
  double w[] = {0.3, 0.35, 0.4, 0.45, 0.5};
  struct chart_series s[] = {{.name = "a", .values = v, .n = 5}, {.name = "b", .values = w, .n = 5}};
  struct chart_ref ref = {.y = 0.6, .label = "norm"};
  struct chart c = {.title = "t",
                    .labels = weeks5,
                    .n_labels = 5,
                    .series = s,
                    .n_series = 2,
                    .refs = &ref,
                    .n_refs = 1,
                    .percent = 1};
  void (*render[])(struct buf *, const struct chart *) = {chart_line, chart_bars, chart_table};
  for (size_t k = 0; k < sizeof render / sizeof render[0]; k++) {
    struct buf x = {0}, y = {0};
    render[k](&x, &c);
    render[k](&y, &c);
    assert_int_equal(x.len, y.len);
    assert_memory_equal(x.data, y.data, x.len);
    /* appends, does not overwrite */
    size_t before = x.len;
    render[k](&x, &c);
    assert_int_equal(x.len, 2 * before);
    buf_free(&x);
    buf_free(&y);
  }
}

/* Stacked shares: per label one bar of segments whose widths are the shares of the
   plot width (0..100%), left to right in series order; a missing or zero share has no
   segment; the values of wide segments are written inside. */
static void test_stacked(void **state) {
  (void)state;
  static const char *const labels[] = {"P1", "P3"};
  static const double a[] = {0.75, 0.5}, b[] = {0.25, 0.0};
  static const double c3[] = {0.0, 0.5};
  static const unsigned char c3p[] = {0, 1};
  const struct chart_series se[] = {{"Fysiek", a, NULL, 2}, {"Online", b, NULL, 2}, {"Hybride", c3, c3p, 2}};
  struct chart c = {.id = "st",
                    .title = "Modaliteiten",
                    .labels = labels,
                    .n_labels = 2,
                    .series = se,
                    .n_series = 3,
                    .percent = 1};
  struct buf out = {0};
  chart_stacked(&out, &c);
  const char *svg = buf_str(&out);
  assert_svg_ok(svg);
  /* four segments: P1 fysiek 75% + online 25%, P3 fysiek 50% + hybride 50% */
  assert_int_equal(count(svg, "<rect x="), 4 + 3 /* legend swatches */);
  char x[32], w[32], want[32];
  attr_after(svg, "<g class=\"series s1\"", "x", x, sizeof x);
  attr_after(svg, "<g class=\"series s1\"", "width", w, sizeof w);
  /* the plot starts at the left of the axis: the first segment of series 0 */
  char x0[32], w0[32];
  attr_after(svg, "<g class=\"series s0\"", "x", x0, sizeof x0);
  attr_after(svg, "<g class=\"series s0\"", "width", w0, sizeof w0);
  double plot = strtod(w0, NULL) / 0.75;
  coord(strtod(x0, NULL) + strtod(w0, NULL), want, sizeof want);
  assert_string_equal(x, want); /* online starts where fysiek ends */
  coord(plot * 0.25, want, sizeof want);
  assert_string_equal(w, want);
  assert_non_null(strstr(svg, ">75%</text>"));
  assert_non_null(strstr(svg, ">50%</text>"));
  assert_non_null(strstr(svg, ">100%</text>")); /* the axis ends at 100% */
  buf_free(&out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_format_be),
      cmocka_unit_test(test_format_be_pct),
      cmocka_unit_test(test_format_be_truncates),
      cmocka_unit_test(test_escape),
      cmocka_unit_test(test_svg_accessible),
      cmocka_unit_test(test_missing_point_breaks_line),
      cmocka_unit_test(test_reference_line_geometry),
      cmocka_unit_test(test_scale_beyond_one),
      cmocka_unit_test(test_bars),
      cmocka_unit_test(test_bars_upright_labels),
      cmocka_unit_test(test_table),
      cmocka_unit_test(test_empty),
      cmocka_unit_test(test_absurd_values),
      cmocka_unit_test(test_deterministic),
      cmocka_unit_test(test_stacked),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
