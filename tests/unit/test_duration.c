/* SPDX-License-Identifier: EUPL-1.2 */
/* Durations as people type them (src/core/duration.h). Every expected value below is
   worked out by hand: 1u30 = 1*60+30 = 90, 1,5 h = 90, 0,25 h = 15, 2,75 h = 165 ... */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/duration.h"

#define MAXM 1440 /* domain/bounds.h BOUND_MINUTES_MAX: one registration */

static int64_t ok(const char *s) {
  int64_t m = -777;
  enum duration_result r = duration_parse(s, 1, MAXM, &m);
  if (r != DURATION_OK) fail_msg("duration_parse(\"%s\") refused a valid duration (%d)", s, (int)r);
  return m;
}

static void bad(const char *s, enum duration_result want) {
  int64_t m = -777;
  enum duration_result r = duration_parse(s, 1, MAXM, &m);
  if (r != want) fail_msg("duration_parse(\"%s\") gave %d, expected %d", s ? s : "(null)", (int)r, (int)want);
  assert_true(m == -777); /* untouched on refusal */
}

static void test_minutes(void **state) {
  (void)state;
  assert_int_equal(ok("90"), 90);
  assert_int_equal(ok(" 45 "), 45);
  assert_int_equal(ok("1"), 1);
  assert_int_equal(ok("1440"), 1440);
  assert_int_equal(ok("90 min"), 90);
  assert_int_equal(ok("90min"), 90);
  assert_int_equal(ok("90 MIN"), 90);
  assert_int_equal(ok("30 minuten"), 30);
  assert_int_equal(ok("1 minuut"), 1);
}

static void test_hours_and_minutes(void **state) {
  (void)state;
  assert_int_equal(ok("1u30"), 90);
  assert_int_equal(ok("1U30"), 90);
  assert_int_equal(ok("1h30"), 90);
  assert_int_equal(ok("1u"), 60);
  assert_int_equal(ok("2 uur"), 120);
  assert_int_equal(ok("1uur"), 60);
  assert_int_equal(ok("0u45"), 45);
  assert_int_equal(ok("1u05"), 65);
  assert_int_equal(ok("1u5"), 65);
  assert_int_equal(ok("1:30"), 90);
  assert_int_equal(ok("0:15"), 15);
  assert_int_equal(ok("24u00"), 1440);
  assert_int_equal(ok("1u30m"), 90);
}

static void test_decimal_hours(void **state) {
  (void)state;
  assert_int_equal(ok("1,5"), 90);
  assert_int_equal(ok("1.5"), 90);
  assert_int_equal(ok("0,25"), 15);
  assert_int_equal(ok("2,75"), 165);
  assert_int_equal(ok("1,5 u"), 90);
  assert_int_equal(ok("1,5u"), 90);
  assert_int_equal(ok("1,5 uur"), 90);
  assert_int_equal(ok("23,5"), 1410);
  /* rounded to the nearest minute: 1,33 h = 79,8 min -> 80; 0,01 h = 0,6 min -> 1 */
  assert_int_equal(ok("1,33"), 80);
  assert_int_equal(ok("0,01"), 1);
}

static void test_refused(void **state) {
  (void)state;
  bad("", DURATION_EMPTY);
  bad("   ", DURATION_EMPTY);
  bad(NULL, DURATION_EMPTY);
  bad("0", DURATION_RANGE);
  bad("0u00", DURATION_RANGE);
  bad("0,0", DURATION_RANGE);
  bad("-5", DURATION_RANGE);
  bad("-1u30", DURATION_RANGE);
  bad("25u", DURATION_RANGE); /* 1500 > 1440 */
  bad("1441", DURATION_RANGE);
  bad("24,5", DURATION_RANGE); /* a decimal number of 24 or more is not hours */
  bad("30,5", DURATION_RANGE);
  bad("99999999999999999999", DURATION_RANGE); /* overflow: refused, not wrapped */
  bad("1u75", DURATION_SYNTAX);                /* minutes 0..59 */
  bad("1:3", DURATION_SYNTAX);                 /* after ':' two digits */
  bad("1:300", DURATION_SYNTAX);
  bad("abc", DURATION_SYNTAX);
  bad("u30", DURATION_SYNTAX);
  bad("1,", DURATION_SYNTAX);
  bad(",5", DURATION_SYNTAX);
  bad("1,5 min", DURATION_SYNTAX);
  bad("90 apples", DURATION_SYNTAX);
  bad("1u30 extra", DURATION_SYNTAX);
  bad("1 30", DURATION_SYNTAX);
}

static void test_format(void **state) {
  (void)state;
  char s[32];
  duration_format(90, s, sizeof s);
  assert_string_equal(s, "1u30");
  duration_format(240, s, sizeof s);
  assert_string_equal(s, "4u00");
  duration_format(45, s, sizeof s);
  assert_string_equal(s, "0u45");
  duration_format(1440, s, sizeof s);
  assert_string_equal(s, "24u00");
}

static void test_clock(void **state) {
  (void)state;
  int m = -1;
  assert_int_equal(clock_parse("09:15", &m), 0);
  assert_int_equal(m, 555);
  assert_int_equal(clock_parse("9:05", &m), 0);
  assert_int_equal(m, 545);
  assert_int_equal(clock_parse("23:59", &m), 0);
  assert_int_equal(m, 1439);
  assert_int_equal(clock_parse("24:00", &m), -1);
  assert_int_equal(clock_parse("12:60", &m), -1);
  assert_int_equal(clock_parse("12", &m), -1);
  assert_int_equal(clock_parse("12:5", &m), -1);
  assert_int_equal(clock_parse("ab:cd", &m), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_minutes),       cmocka_unit_test(test_hours_and_minutes),
      cmocka_unit_test(test_decimal_hours), cmocka_unit_test(test_refused),
      cmocka_unit_test(test_format),        cmocka_unit_test(test_clock),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
