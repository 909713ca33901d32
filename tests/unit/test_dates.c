/* SPDX-License-Identifier: EUPL-1.2 */
/* Calendar dates and school years (src/core/dates.h): the 31 August / 1 September
   boundary, leap days, the length of a school year, strict parsing and round trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/dates.h"

static int32_t day_of(const char *s) {
  int32_t d = 0;
  assert_int_equal(date_parse(s, &d), 0);
  return d;
}

static int school_year_of_text(const char *s) { return school_year_of(day_of(s)); }

static void test_epoch(void **state) {
  (void)state;
  assert_int_equal(day_of("1970-01-01"), 0);
  assert_int_equal(day_of("1970-01-02"), 1);
  assert_int_equal(day_of("2000-03-01") - day_of("2000-02-28"), 2);
  assert_int_equal(day_of("1900-03-01") - day_of("1900-02-28"), 1);
  assert_int_equal(days_from_civil(1970, 1, 1), 0);
  int y, m, d;
  civil_from_days(day_of("2024-02-29"), &y, &m, &d);
  assert_int_equal(y, 2024);
  assert_int_equal(m, 2);
  assert_int_equal(d, 29);
}

static void test_school_year_boundaries(void **state) {
  (void)state;
  assert_int_equal(school_year_of_text("2024-08-31"), 2023);
  assert_int_equal(school_year_of_text("2024-09-01"), 2024);
  assert_int_equal(school_year_of_text("2025-08-31"), 2024);
  assert_int_equal(school_year_of_text("2025-09-01"), 2025);
  assert_int_equal(school_year_of_text("2024-12-31"), 2024);
  assert_int_equal(school_year_of_text("2025-01-01"), 2024);
  assert_int_equal(school_year_of_text("2024-02-29"), 2023);

  assert_int_equal(school_year_first_day(2024), day_of("2024-09-01"));
  assert_int_equal(school_year_last_day(2024), day_of("2025-08-31"));
  assert_int_equal(school_year_first_day(2023), day_of("2023-09-01"));
  assert_int_equal(school_year_last_day(2023), day_of("2024-08-31"));
  /* consecutive school years touch without a gap or an overlap */
  assert_int_equal(school_year_last_day(2023) + 1, school_year_first_day(2024));
  for (int y = 1999; y <= 2031; y++) {
    assert_int_equal(school_year_of(school_year_first_day(y)), y);
    assert_int_equal(school_year_of(school_year_last_day(y)), y);
    assert_int_equal(school_year_of(school_year_first_day(y) - 1), y - 1);
    assert_int_equal(school_year_of(school_year_last_day(y) + 1), y + 1);
  }
}

static void test_leap_days(void **state) {
  (void)state;
  int32_t d;
  assert_int_equal(date_parse("2024-02-29", &d), 0);
  assert_int_equal(date_parse("2000-02-29", &d), 0);
  assert_int_not_equal(date_parse("2023-02-29", &d), 0);
  assert_int_not_equal(date_parse("2100-02-29", &d), 0);
  assert_int_not_equal(date_parse("1900-02-29", &d), 0);
  assert_int_not_equal(date_parse("2024-02-30", &d), 0);
  assert_int_equal(date_parse("2023-02-28", &d), 0);
  assert_int_equal(day_of("2024-03-01") - day_of("2024-02-28"), 2);
  assert_int_equal(day_of("2023-03-01") - day_of("2023-02-28"), 1);
  assert_int_equal(day_of("2100-03-01") - day_of("2100-02-28"), 1);
}

static void test_school_year_days(void **state) {
  (void)state;
  assert_int_equal(school_year_days(2023), 366); /* contains 29 February 2024 */
  assert_int_equal(school_year_days(2024), 365);
  assert_int_equal(school_year_days(2022), 365);
  assert_int_equal(school_year_days(2019), 366); /* 29 February 2020 */
  assert_int_equal(school_year_days(2099), 365); /* 2100 is no leap year */
  assert_int_equal(school_year_days(1999), 366); /* 2000 is */
  for (int y = 1990; y <= 2110; y++)
    assert_int_equal(school_year_days(y), school_year_last_day(y) - school_year_first_day(y) + 1);
}

static void test_date_parse_rejects(void **state) {
  (void)state;
  static const char *const bad[] = {
      "2024-13-01", "2024-00-10",       "2024-01-00",  "2024-01-32",  "2024-04-31", "2024-1-01",
      "2024-01-1",  "24-01-01",         "2024-01-01 ", " 2024-01-01", "",           "2024/01/01",
      "20240101",   "2024-01-01T00:00", "abcd-ef-gh",  "2024-0a-01",  "+024-01-01", "2024--1-01",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int32_t d = 12345;
    if (date_parse(bad[i], &d) == 0) fail_msg("date_parse accepted \"%s\"", bad[i]);
    assert_int_equal(d, 12345); /* untouched on failure */
  }
}

static void test_date_round_trip(void **state) {
  (void)state;
  static const char *const good[] = {"2024-02-29", "2000-02-29", "1970-01-01", "1999-12-31",
                                     "2024-08-31", "2024-09-01", "2030-06-15", "1900-01-01"};
  char out[11];
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    date_format(day_of(good[i]), out);
    assert_string_equal(out, good[i]);
  }
  /* every day from 1 September 2019 to 31 August 2031 reads back to itself */
  for (int32_t d = school_year_first_day(2019); d <= school_year_last_day(2030); d++) {
    int32_t back;
    date_format(d, out);
    assert_int_equal(strlen(out), 10);
    assert_int_equal(date_parse(out, &back), 0);
    assert_int_equal(back, d);
  }
}

static void test_school_year_parse(void **state) {
  (void)state;
  int y = 0;
  assert_int_equal(school_year_parse("2024-2025", &y), 0);
  assert_int_equal(y, 2024);
  assert_int_equal(school_year_parse("1999-2000", &y), 0);
  assert_int_equal(y, 1999);
  static const char *const bad[] = {"2024-2026", "2024/2025", "24-25",      "2024-2024",
                                    "2025-2024", "",          "2024-2025 ", " 2024-2025",
                                    "2024",      "2024-25",   "2024-20250", "abcd-efgh"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    y = -7;
    if (school_year_parse(bad[i], &y) == 0) fail_msg("school_year_parse accepted \"%s\"", bad[i]);
    assert_int_equal(y, -7);
  }
}

static void test_school_year_round_trip(void **state) {
  (void)state;
  char out[10];
  school_year_format(2024, out);
  assert_string_equal(out, "2024-2025");
  school_year_format(1999, out);
  assert_string_equal(out, "1999-2000");
  for (int y = 1990; y <= 2100; y++) {
    int back = 0;
    school_year_format(y, out);
    assert_int_equal(school_year_parse(out, &back), 0);
    assert_int_equal(back, y);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_epoch),
      cmocka_unit_test(test_school_year_boundaries),
      cmocka_unit_test(test_leap_days),
      cmocka_unit_test(test_school_year_days),
      cmocka_unit_test(test_date_parse_rejects),
      cmocka_unit_test(test_date_round_trip),
      cmocka_unit_test(test_school_year_parse),
      cmocka_unit_test(test_school_year_round_trip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
