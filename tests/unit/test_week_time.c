/* SPDX-License-Identifier: EUPL-1.2 */
/* Timestamps as people read them (core/dates.h): Brussels local time as dd/mm/jjjj uu:mm
   on both sides of the changes to and from summer time, and the audit's stored UTC text
   read back. Expected values worked out by hand (Unix times from Python's
   calendar.timegm). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/dates.h"

static void check(time_t t, const char *want) {
  char out[17];
  datetime_brussels_format(t, out);
  assert_string_equal(out, want);
}

static void test_winter_and_summer(void **state) {
  (void)state;
  check(1796537820, "06/12/2026 07:17"); /* 2026-12-06 06:17 UTC, CET (+1) */
  check(1782945000, "02/07/2026 00:30"); /* 2026-07-01 22:30 UTC, CEST (+2): the next day */
}

static void test_changes(void **state) {
  (void)state;
  /* summer time from the last Sunday of March (29 March 2026) 01:00 UTC */
  check(1774745940, "29/03/2026 01:59");
  check(1774746000, "29/03/2026 03:00");
  /* winter time from the last Sunday of October (25 October 2026) 01:00 UTC */
  check(1792889940, "25/10/2026 02:59");
  check(1792890000, "25/10/2026 02:00");
}

static void test_parse(void **state) {
  (void)state;
  time_t t = 0;
  assert_int_equal(timestamp_parse("2026-12-06T06:17:00Z", &t), 0);
  assert_int_equal((long long)t, 1796537820LL);
  assert_int_equal(timestamp_parse("2026-07-01T22:30:00Z", &t), 0);
  assert_int_equal((long long)t, 1782945000LL);
  assert_int_equal(timestamp_parse("2026-13-01T00:00:00Z", &t), -1);
  assert_int_equal(timestamp_parse("2026-12-06 06:17:00", &t), -1);
  assert_int_equal(timestamp_parse("2026-12-06T24:00:00Z", &t), -1);
  assert_int_equal(timestamp_parse("2026-12-06T06:17:00Zx", &t), -1);
  assert_int_equal(timestamp_parse(NULL, &t), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_winter_and_summer),
      cmocka_unit_test(test_changes),
      cmocka_unit_test(test_parse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
