/* SPDX-License-Identifier: EUPL-1.2 */
/* Strict number parsing and shortest exact formatting (src/core/numbers.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/numbers.h"

static double dec_ok(const char *s, int allow_comma) {
  double v = -12345.0;
  if (parse_decimal(s, allow_comma, &v) != 0)
    fail_msg("parse_decimal(\"%s\", %d) rejected a valid number", s, allow_comma);
  return v;
}

static void dec_bad(const char *s, int allow_comma) {
  double v = -12345.0;
  if (parse_decimal(s, allow_comma, &v) == 0)
    fail_msg("parse_decimal(\"%s\", %d) accepted an invalid number (gave %.17g)", s, allow_comma, v);
  assert_true(v == -12345.0); /* untouched on failure */
}

static void test_parse_decimal_point(void **state) {
  (void)state;
  assert_true(dec_ok("1", 0) == 1.0);
  assert_true(dec_ok("1.5", 0) == 1.5);
  assert_true(dec_ok("1.5", 1) == 1.5);
  assert_true(dec_ok("-0.5", 0) == -0.5);
  assert_true(dec_ok("-0.5", 1) == -0.5);
  assert_true(dec_ok("0", 0) == 0.0);
  assert_true(dec_ok("1185", 0) == 1185.0);
  assert_true(dec_ok("1185.95", 0) == 1185.95);
  assert_true(dec_ok("0.1", 0) == 0.1);
  assert_true(dec_ok("007.50", 0) == 7.5);
  assert_true(dec_ok("12725", 0) == 12725.0);
}

static void test_parse_decimal_comma(void **state) {
  (void)state;
  /* "1,5" is one and a half only in a ';' file */
  assert_true(dec_ok("1,5", 1) == 1.5);
  dec_bad("1,5", 0);
  assert_true(dec_ok("-0,5", 1) == -0.5);
  assert_true(dec_ok("1185,95", 1) == 1185.95);
  dec_bad("-0,5", 0);
  /* thousands separators are never accepted, in either convention */
  dec_bad("1.234,5", 1);
  dec_bad("1.234,5", 0);
  dec_bad("1,234.5", 1);
  dec_bad("1,234.5", 0);
  dec_bad("1.234.567", 0);
  dec_bad("1,234,567", 1);
  dec_bad("1 234", 1);
}

static void test_parse_decimal_rejects(void **state) {
  (void)state;
  static const char *const bad[] = {"1e3",  "1E3",  "1.5e2", "",    "-",   "+",    ".",
                                    ",",    "abc",  "0x10",  "inf", "nan", "1.5 ", " 1.5",
                                    "1..5", "1.5.", "--1",   "1-",  "12a", "1_000"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    dec_bad(bad[i], 0);
    dec_bad(bad[i], 1);
  }
}

/* Found by fuzz_values: "99999999999999999999999999999999," was accepted as 1e32, whose
   shortest form "1e+32" no import reads back; then "999999999999999.999", which rounds to
   10^15. Values must stay below 10^15 and not be so small that their shortest form needs
   an exponent. */
static void test_parse_decimal_digit_limits(void **state) {
  (void)state;
  assert_true(dec_ok("999999999999999", 0) == 999999999999999.0);
  assert_true(dec_ok("0.000000000000001", 0) == 0.000000000000001);
  assert_true(dec_ok("123456789012345.123456789012345", 0) > 123456789012345.0);
  dec_bad("1000000000000000", 0);
  dec_bad("999999999999999.999", 0);
  dec_bad("-999999999999999.9999", 0);
  assert_true(dec_ok("0000000000000000001", 0) == 1.0); /* leading zeros are no magnitude */
  dec_bad("99999999999999999999999999999999,", 1);
  dec_bad("0.00000000000000000000001", 0);
  assert_true(dec_ok("0.30000000000000004", 0) == 0.1 + 0.2); /* a canonical value, 17 digits */
  /* everything accepted has a plain form that reads back exactly */
  static const char *const edge[] = {"999999999999999",   "0.000000000000001",  "-123456789012345.5",
                                     "0.123456789012345", "0.0000000000000001", "0.30000000000000004"};
  for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
    double v = dec_ok(edge[i], 0), again = 0;
    char out[32];
    format_shortest(v, out);
    if (strchr(out, 'e') || parse_decimal(out, 0, &again) != 0 || again != v)
      fail_msg("\"%s\" formats as \"%s\", which does not read back", edge[i], out);
  }
}

static void test_parse_int64(void **state) {
  (void)state;
  int64_t v = 0;
  assert_int_equal(parse_int64("+3", &v), 0);
  assert_int_equal(v, 3);
  assert_int_equal(parse_int64("007", &v), 0);
  assert_int_equal(v, 7);
  assert_int_equal(parse_int64("-12", &v), 0);
  assert_int_equal(v, -12);
  assert_int_equal(parse_int64("0", &v), 0);
  assert_int_equal(v, 0);
  assert_int_equal(parse_int64("1440", &v), 0);
  assert_int_equal(v, 1440);
  static const char *const bad[] = {"1.5", "1,5", "",     "+",   "-",   "1e3", " 1",
                                    "1 ",  "abc", "0x10", "--1", "+-1", "1-",  "99999999999999999999"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    v = 4242;
    if (parse_int64(bad[i], &v) == 0) fail_msg("parse_int64 accepted \"%s\"", bad[i]);
    assert_int_equal(v, 4242);
  }
}

/* Every int64 value parses, the extremes included. */
static void test_parse_int64_limits(void **state) {
  (void)state;
  int64_t v = 0;
  assert_int_equal(parse_int64("922337203685477579", &v), 0);
  assert_true(v == INT64_C(922337203685477579));
  assert_int_equal(parse_int64("9223372036854775807", &v), 0);
  assert_true(v == INT64_MAX);
  assert_int_equal(parse_int64("-9223372036854775807", &v), 0);
  assert_true(v == -INT64_MAX);
  assert_int_equal(parse_int64("-9223372036854775808", &v), 0);
  assert_true(v == INT64_MIN);
  assert_int_not_equal(parse_int64("9223372036854775808", &v), 0);
  assert_int_not_equal(parse_int64("-9223372036854775809", &v), 0);
}

static void expect_format(double v, const char *want) {
  char out[32];
  format_shortest(v, out);
  if (strcmp(out, want) != 0) fail_msg("format_shortest(%.17g) = \"%s\", want \"%s\"", v, out, want);
  format_fact(v, out);
  if (strcmp(out, want) != 0) fail_msg("format_fact(%.17g) = \"%s\", want \"%s\"", v, out, want);
}

static void test_format_shortest(void **state) {
  (void)state;
  expect_format(1, "1");
  expect_format(1.2, "1.2");
  expect_format(0.1, "0.1");
  expect_format(1185, "1185");
  expect_format(120.5, "120.5");
  expect_format(948.8, "948.8");
  expect_format(0.1 + 0.2, "0.30000000000000004");
  expect_format(0, "0");
  expect_format(-0.0, "0"); /* no "-0" */
  expect_format(-0.5, "-0.5");
  expect_format(4.5, "4.5");
  expect_format(3.0, "3");
  expect_format(12725, "12725");
  expect_format(1185.95, "1185.95");
  expect_format(1176.7, "1176.7");
  expect_format(0.55, "0.55");
  expect_format(1000000, "1000000");
  expect_format(123456789, "123456789");
  expect_format(2.0 / 3.0, "0.6666666666666666");
  expect_format(4.0 / 1185, "0.0033755274261603376");
  expect_format(1e16, "10000000000000000");
  expect_format(0.0001, "0.0001");
}

/* Values of one decimal (hours of whole 6-minute blocks, FTE in tenths...) print as they
   are typed: no binary noise, no trailing zeros. */
static void test_format_one_decimal(void **state) {
  (void)state;
  char out[32], want[32];
  for (int i = -20000; i <= 100000; i++) {
    double v = i / 10.0;
    int a = abs(i);
    if (a % 10)
      snprintf(want, sizeof want, "%s%d.%d", i < 0 ? "-" : "", a / 10, a % 10);
    else
      snprintf(want, sizeof want, "%d", i / 10);
    format_shortest(v, out);
    if (strcmp(out, want) != 0) fail_msg("format_shortest(%d/10) = \"%s\", want \"%s\"", i, out, want);
  }
}

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next_u64(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static void round_trip(double v) {
  char out[32];
  format_shortest(v, out);
  double back = strtod(out, NULL);
  if (memcmp(&back, &v, sizeof v) != 0 && !(v == 0 && back == 0))
    fail_msg("format_shortest(%.17g) = \"%s\" reads back as %.17g", v, out, back);
  assert_null(strchr(out, ','));
  assert_true(strlen(out) < 32);
  /* shortest: no more significant digits than the shortest %g form that reads back
     (above 2^53 an integer written in full shows its exact binary value instead) */
  if (v > 1e15 || v < -1e15) return;
  int shorter = 0;
  for (int p = 1; p <= 17 && !shorter; p++) {
    char t[64];
    snprintf(t, sizeof t, "%.*g", p, v);
    if (strtod(t, NULL) == v) {
      /* the shortest %g form that reads back has p digits; the output has no more */
      int digits = 0, leading = 1;
      for (const char *c = out; *c && *c != 'e'; c++) {
        if (*c < '0' || *c > '9') continue;
        if (*c == '0' && leading) continue;
        leading = 0;
        digits++;
      }
      /* trailing zeros of an integer written in full are not significant */
      if (!strchr(out, '.') && !strchr(out, 'e'))
        for (size_t k = strlen(out); k > 0 && out[k - 1] == '0' && digits > 1; k--) digits--;
      if (digits > p) fail_msg("format_shortest(%.17g) = \"%s\" is longer than \"%s\"", v, out, t);
      shorter = 1;
    }
  }
}

static void test_format_round_trip(void **state) {
  (void)state;
  /* hours: minutes / 60 */
  for (int64_t minutes = 0; minutes <= 20000; minutes++) round_trip((double)minutes / 60.0);
  /* FTE: hours / hours_per_fte */
  for (int64_t minutes = 1; minutes <= 100000; minutes += 37) {
    round_trip((double)minutes / 60.0 / 1185.0);
    round_trip((double)minutes / 60.0 / 1185.95);
  }
  /* percentages */
  for (int a = 0; a <= 120; a++)
    for (int b = 1; b <= 120; b++) round_trip((double)a / (double)b);
  /* sums of tenths, which pick up binary noise */
  double s = 0;
  for (int i = 0; i < 3000; i++) {
    s += 0.1;
    round_trip(s);
    round_trip(-s);
  }
  /* random finite doubles of every magnitude */
  for (int i = 0; i < 30000; i++) {
    uint64_t bits = next_u64();
    double v;
    memcpy(&v, &bits, sizeof v);
    if (v != v || v - v != 0) continue; /* nan or inf */
    round_trip(v);
  }
  /* random doubles of the magnitudes datasets hold */
  for (int i = 0; i < 20000; i++) {
    double v = (double)(next_u64() >> 11) / 9007199254740992.0 * 1e6;
    round_trip(v);
    round_trip(v / 1e6);
  }
}

/* Durations as typed on the registration form (UI.md: minutes or 1u30). */
static void test_parse_duration(void **state) {
  (void)state;
  struct {
    const char *in;
    int64_t minutes;
  } ok[] = {{"90", 90}, {"1u30", 90},  {"1U30", 90}, {"1h30", 90}, {"1:30", 90},
            {"1u", 60}, {"2u05", 125}, {" 45 ", 45}, {"0u45", 45}, {"24u", 1440}};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    int64_t m = -1;
    assert_int_equal(parse_duration(ok[i].in, &m), 0);
    assert_int_equal(m, ok[i].minutes);
  }
  const char *bad[] = {"", "u30", "1u60", "1u75", "1:", "1.5", "1,5u", "abc", "1u30x", "-5", "1 u 30"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int64_t m = 0;
    assert_int_equal(parse_duration(bad[i], &m), -1);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_decimal_point),   cmocka_unit_test(test_parse_decimal_comma),
      cmocka_unit_test(test_parse_decimal_rejects), cmocka_unit_test(test_parse_decimal_digit_limits),
      cmocka_unit_test(test_parse_int64),           cmocka_unit_test(test_parse_int64_limits),
      cmocka_unit_test(test_format_shortest),       cmocka_unit_test(test_format_one_decimal),
      cmocka_unit_test(test_format_round_trip),     cmocka_unit_test(test_parse_duration),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
