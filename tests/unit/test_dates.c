/* SPDX-License-Identifier: EUPL-1.2 */
/* Calendar dates and school years (src/core/dates.h): the 31 August / 1 September
   boundary, leap days, the length of a school year, strict parsing and round trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

/* ---- properties over the whole accepted range (1900-01-01 .. 9999-12-31) ---- */

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
static int month_days(int y, int m) {
  static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return md[m - 1] + (m == 2 && leap(y));
}

/* Every accepted day, walked calendar-wise (an independent successor: day + 1 of the
   month, else the 1st of the next month): the day numbers are consecutive, formatting
   and parsing round-trip exactly, and the school year is the calendar rule's. */
static void test_whole_range_walk(void **state) {
  (void)state;
  int y = 1900, m = 1, d = 1;
  int32_t expect = day_of("1900-01-01");
  assert_int_equal(expect, date_min_day());
  long days = 0;
  for (;;) {
    char want[48], got[11];
    snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
    assert_int_equal(days_from_civil(y, m, d), expect);
    date_format(expect, got);
    assert_string_equal(got, want);
    int32_t back;
    assert_int_equal(date_parse(got, &back), 0);
    assert_int_equal(back, expect);
    int cy, cm, cd;
    civil_from_days(expect, &cy, &cm, &cd);
    assert_true(cy == y && cm == m && cd == d);
    assert_int_equal(school_year_of(expect), m >= 9 ? y : y - 1);
    days++;
    if (y == 9999 && m == 12 && d == 31) break;
    if (++d > month_days(y, m)) {
      d = 1;
      if (++m > 12) {
        m = 1;
        y++;
      }
    }
    expect++;
  }
  assert_int_equal(expect, date_max_day());
  /* 8100 years: 1900..9999 has 8100 * 365 days plus its leap days */
  long leaps = 0;
  for (int k = 1900; k <= 9999; k++) leaps += leap(k);
  assert_int_equal(days, 8100L * 365 + leaps);
}

/* Successor and predecessor: parse(format(d +- 1)) is d +- 1 inside the range, and the
   first and last accepted days have no neighbour that parses. */
static void test_successor_predecessor(void **state) {
  (void)state;
  for (int32_t d = date_min_day(); d <= date_max_day(); d += 97) {
    char a[11];
    int32_t back;
    if (d + 1 <= date_max_day()) {
      date_format(d + 1, a);
      assert_int_equal(date_parse(a, &back), 0);
      assert_int_equal(back, d + 1);
    }
    if (d - 1 >= date_min_day()) {
      date_format(d - 1, a);
      assert_int_equal(date_parse(a, &back), 0);
      assert_int_equal(back, d - 1);
    }
  }
  int32_t back;
  assert_int_not_equal(date_parse("1899-12-31", &back), 0);
  /* beyond the range the formatter clamps and never wraps around to year 0000 */
  char out[11];
  date_format(date_max_day() + 1, out);
  assert_string_equal(out, "9999-12-31");
  date_format(days_from_civil(10000, 9, 1), out);
  assert_string_equal(out, "9999-12-31");
}

/* School years over the whole range: first/last day round trips, consecutive years
   touch, each has 365 or 366 days as its calendar says, "YYYY-YYYY" round-trips from
   1900-1901 to 9998-9999, and 9999-10000 (not writable in that form) is refused. */
static void test_school_years_whole_range(void **state) {
  (void)state;
  for (int y = SCHOOL_YEAR_MIN; y <= SCHOOL_YEAR_MAX; y++) {
    int32_t f = school_year_first_day(y), l = school_year_last_day(y);
    assert_int_equal(school_year_of(f), y);
    assert_int_equal(school_year_of(l), y);
    assert_int_equal(school_year_of(f - 1), y - 1);
    assert_int_equal(l - f + 1, school_year_days(y));
    assert_int_equal(school_year_days(y), 365 + leap(y + 1));
    if (y < SCHOOL_YEAR_MAX) assert_int_equal(l + 1, school_year_first_day(y + 1));
    char t[10];
    int back;
    school_year_format(y, t);
    assert_int_equal(school_year_parse(t, &back), 0);
    assert_int_equal(back, y);
    char a[11], b[11], want_a[32], want_b[32];
    date_format(f, a);
    date_format(l, b);
    snprintf(want_a, sizeof want_a, "%04d-09-01", y);
    snprintf(want_b, sizeof want_b, "%04d-08-31", y + 1);
    assert_string_equal(a, want_a);
    assert_string_equal(b, want_b);
  }
  int back;
  assert_int_not_equal(school_year_parse("1899-1900", &back), 0);
  assert_int_not_equal(school_year_parse("9999-0000", &back), 0);
}

/* Brussels' date: CET (UTC+1) in winter, CEST (UTC+2) from the last Sunday of March
   01:00 UTC to the last Sunday of October 01:00 UTC (hand-picked instants). */
static void test_brussels_date(void **state) {
  (void)state;
  /* 2026-12-04 22:59:59 UTC is 23:59:59 in Brussels; 23:00:00 UTC is the 5th */
  time_t t = (time_t)days_from_civil(2026, 12, 4) * 86400 + 22 * 3600 + 59 * 60 + 59;
  assert_int_equal(date_brussels(t), day_of("2026-12-04"));
  assert_int_equal(date_brussels(t + 1), day_of("2026-12-05"));
  /* summer: 2026-07-01 21:59:59 UTC is 23:59:59; 22:00 UTC is already 2 July */
  t = (time_t)days_from_civil(2026, 7, 1) * 86400 + 21 * 3600 + 59 * 60 + 59;
  assert_int_equal(date_brussels(t), day_of("2026-07-01"));
  assert_int_equal(date_brussels(t + 1), day_of("2026-07-02"));
  /* 2026-03-29 is the last Sunday of March: 00:59:59 UTC is 01:59:59 CET, 01:00 UTC 03:00 CEST;
     the day before, 22:59 UTC on the 28th is 23:59 CET (still the 28th) */
  t = (time_t)days_from_civil(2026, 3, 28) * 86400 + 22 * 3600 + 59 * 60;
  assert_int_equal(date_brussels(t), day_of("2026-03-28"));
  /* 2026-10-25 is the last Sunday of October; on the 24th at 22:30 UTC it is 00:30 CEST on the 25th */
  t = (time_t)days_from_civil(2026, 10, 24) * 86400 + 22 * 3600 + 30 * 60;
  assert_int_equal(date_brussels(t), day_of("2026-10-25"));
  /* on the 25th at 23:30 UTC it is 00:30 CET on the 26th (the clocks went back) */
  t = (time_t)days_from_civil(2026, 10, 25) * 86400 + 23 * 3600 + 30 * 60;
  assert_int_equal(date_brussels(t), day_of("2026-10-26"));
  /* and at 22:30 UTC on the 25th still 23:30 CET on the 25th */
  assert_int_equal(date_brussels(t - 3600), day_of("2026-10-25"));
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
      cmocka_unit_test(test_whole_range_walk),
      cmocka_unit_test(test_successor_predecessor),
      cmocka_unit_test(test_school_years_whole_range),
      cmocka_unit_test(test_brussels_date),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
