/* SPDX-License-Identifier: EUPL-1.2 */
/* A school year keeps its chart color whatever the number of years shown
   (chart_year_color and struct chart's colors, src/render/chart.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "render/chart.h"

/* The fill of the legend swatch (a <rect>) before the text name in the svg, into out. */
static void swatch(const char *svg, const char *name, char *out, size_t n) {
  const char *legend = strstr(svg, "<g class=\"legend\">");
  assert_non_null(legend);
  char key[64];
  snprintf(key, sizeof key, ">%s</text>", name);
  const char *t = strstr(legend, key);
  assert_non_null(t);
  const char *r = NULL; /* the last swatch (<rect) before the name */
  for (const char *p = strstr(legend, "<rect"); p && p < t; p = strstr(p + 1, "<rect")) r = p;
  assert_non_null(r);
  const char *f = strstr(r, " fill=\"#");
  assert_true(f && f < t);
  f += strlen(" fill=\"");
  snprintf(out, n, "%.7s", f);
}

/* Bars of the years ys (newest first), one value each, with the years' fixed colors. */
static void chart_of(struct buf *b, const int *ys, int n) {
  static const char *labels[] = {"Lijn"};
  double v[5] = {1, 2, 3, 4, 5};
  char names[5][24];
  struct chart_series s[5];
  int colors[5];
  for (int k = 0; k < n; k++) {
    snprintf(names[k], sizeof names[k], "%d-%d", ys[k], ys[k] + 1);
    s[k] = (struct chart_series){names[k], &v[k], NULL, 1};
    colors[k] = chart_year_color(ys[k]);
  }
  struct chart c = {.id = "c",
                    .title = "t",
                    .labels = labels,
                    .n_labels = 1,
                    .series = s,
                    .n_series = n,
                    .horizontal = 1,
                    .colors = colors};
  chart_bars(b, &c);
}

static void test_year_keeps_color(void **state) {
  (void)state;
  const int five[] = {2026, 2025, 2024, 2023, 2022}, two[] = {2024, 2023};
  struct buf a = {0}, b = {0};
  chart_of(&a, five, 5);
  chart_of(&b, two, 2);
  char ca[8], cb[8];
  /* 2024-2025 is the third series of five and the first of two: the same color */
  swatch(buf_str(&a), "2024-2025", ca, sizeof ca);
  swatch(buf_str(&b), "2024-2025", cb, sizeof cb);
  assert_string_equal(ca, cb);
  swatch(buf_str(&a), "2023-2024", ca, sizeof ca);
  swatch(buf_str(&b), "2023-2024", cb, sizeof cb);
  assert_string_equal(ca, cb);
  /* five consecutive years: five different colors */
  char seen[5][8];
  for (int k = 0; k < 5; k++) {
    char name[24];
    snprintf(name, sizeof name, "%d-%d", five[k], five[k] + 1);
    swatch(buf_str(&a), name, seen[k], sizeof seen[k]);
    for (int j = 0; j < k; j++) assert_string_not_equal(seen[j], seen[k]);
  }
  buf_free(&a);
  buf_free(&b);
}

static void test_without_colors_by_position(void **state) {
  (void)state;
  /* a chart without colors keeps the old behaviour: the first series the first hue */
  static const char *labels[] = {"x"};
  double v = 1;
  struct chart_series s = {"een", &v, NULL, 1};
  struct chart c = {.id = "c", .title = "t", .labels = labels, .n_labels = 1, .series = &s, .n_series = 1};
  struct buf b = {0};
  chart_bars(&b, &c);
  char f[8];
  swatch(buf_str(&b), "een", f, sizeof f);
  assert_string_equal(f, "#0072b2");
  buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_year_keeps_color),
      cmocka_unit_test(test_without_colors_by_position),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
