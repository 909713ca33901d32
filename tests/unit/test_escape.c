/* SPDX-License-Identifier: EUPL-1.2 */
/* The escapers of core/escape.h, one per output context. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/escape.h"
#include "render/html.h"

static void xml_escapes_the_five_and_drops_forbidden_controls(void **state) {
  (void)state;
  struct buf b = {0};
  const char *s = "a<b>&\"c'\x01\td\n";
  escape_xml(&b, s, strlen(s));
  assert_string_equal(buf_str(&b), "a&lt;b&gt;&amp;&quot;c&#39;\td\n");
  buf_reset(&b);
  escape_xml(&b, "abc", 2); /* only len bytes */
  assert_string_equal(buf_str(&b), "ab");
  buf_reset(&b);
  escape_xml(&b, NULL, 0);
  assert_int_equal(b.len, 0);
  buf_free(&b);
}

/* the week grid's line names: a break opportunity after each slash, the text escaped */
static void html_text_wbr_breaks_after_each_slash(void **state) {
  (void)state;
  struct buf b = {0};
  html_text_wbr(&b, "Modernisering/herziening SO");
  assert_string_equal(buf_str(&b), "Modernisering/<wbr>herziening SO");
  buf_reset(&b);
  html_text_wbr(&b, "a<b/c&d/");
  assert_string_equal(buf_str(&b), "a&lt;b/<wbr>c&amp;d/<wbr>");
  buf_reset(&b);
  html_text_wbr(&b, "Pijler 4 - TAAL");
  assert_string_equal(buf_str(&b), "Pijler 4 - TAAL");
  buf_reset(&b);
  html_text_wbr(&b, NULL);
  assert_int_equal(b.len, 0);
  buf_free(&b);
}

static void json_escapes_quotes_controls_and_bad_utf8(void **state) {
  (void)state;
  struct buf b = {0};
  escape_json(&b, "a\"b\\c\n\x7f");
  assert_string_equal(buf_str(&b), "\"a\\\"b\\\\c\\u000a\\u007f\"");
  buf_reset(&b);
  escape_json(&b, "g\xc3\xa9n \xff!"); /* "gén", then a byte that starts no UTF-8 sequence */
  assert_string_equal(buf_str(&b), "\"g\xc3\xa9n ?!\"");
  buf_reset(&b);
  escape_json(&b, "\xe2\x82"); /* a sequence cut short */
  assert_string_equal(buf_str(&b), "\"??\"");
  buf_reset(&b);
  escape_json(&b, NULL);
  assert_string_equal(buf_str(&b), "\"\"");
  buf_free(&b);
}

static char *csv_of(const char *s, char sep, int neutralise) {
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  escape_csv(f, s, sep, neutralise);
  fclose(f);
  return out;
}

static void csv_quotes_only_when_needed(void **state) {
  (void)state;
  static const struct {
    const char *in;
    char sep;
    int neutralise;
    const char *want;
  } cases[] = {
      {"plain", ',', 0, "plain"},
      {"a,b", ',', 0, "\"a,b\""},
      {"a;b", ',', 0, "a;b"},
      {"a;b", ';', 0, "\"a;b\""},
      {"say \"hi\"", ',', 0, "\"say \"\"hi\"\"\""},
      {"two\nlines", ',', 0, "\"two\nlines\""},
      {"=SUM(A1)", ',', 0, "=SUM(A1)"},
      {"=SUM(A1)", ',', 1, "\"'=SUM(A1)\""},
      {"-3", ';', 1, "\"'-3\""},
      {"@x", ';', 1, "\"'@x\""},
      {"", ',', 1, ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *got = csv_of(cases[i].in, cases[i].sep, cases[i].neutralise);
    if (strcmp(got, cases[i].want)) fail_msg("case %zu: got [%s], want [%s]", i, got, cases[i].want);
    free(got);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(xml_escapes_the_five_and_drops_forbidden_controls),
      cmocka_unit_test(html_text_wbr_breaks_after_each_slash),
      cmocka_unit_test(json_escapes_quotes_controls_and_bad_utf8),
      cmocka_unit_test(csv_quotes_only_when_needed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
