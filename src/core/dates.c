/* SPDX-License-Identifier: EUPL-1.2 */
#include "core/dates.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"

/* Howard Hinnant's days_from_civil / civil_from_days. */
int32_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int32_t)doe - 719468;
}

void civil_from_days(int32_t z, int *y, int *m, int *d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = (unsigned)(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int yy = (int)yoe + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yy + (*m <= 2);
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int digits(const char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 0;
}

int date_parse(const char *s, int32_t *day) {
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y, m, d;
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
  if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d)) return -1;
  if (y < DATE_MIN_YEAR || m < 1 || m > 12 || d < 1) return -1;
  int max = mdays[m - 1] + (m == 2 && is_leap(y));
  if (d > max) return -1;
  *day = days_from_civil(y, m, d);
  return 0;
}

int32_t date_min_day(void) { return days_from_civil(DATE_MIN_YEAR, 1, 1); }
int32_t date_max_day(void) { return days_from_civil(DATE_MAX_YEAR, 12, 31); }

void date_format(int32_t day, char out[11]) {
  int y, m, d;
  /* a year of five digits would not fit, and wrapping it (10000 -> 0000) once sent a
     walk over the school years back to the start: clamp instead */
  if (day > date_max_day()) day = date_max_day();
  if (day < days_from_civil(0, 1, 1)) day = days_from_civil(0, 1, 1);
  civil_from_days(day, &y, &m, &d);
  unsigned yy = (unsigned)y % 10000u, mm = (unsigned)m % 100u, dd = (unsigned)d % 100u;
  out[0] = (char)('0' + yy / 1000);
  out[1] = (char)('0' + yy / 100 % 10);
  out[2] = (char)('0' + yy / 10 % 10);
  out[3] = (char)('0' + yy % 10);
  out[4] = '-';
  out[5] = (char)('0' + mm / 10);
  out[6] = (char)('0' + mm % 10);
  out[7] = '-';
  out[8] = (char)('0' + dd / 10);
  out[9] = (char)('0' + dd % 10);
  out[10] = 0;
}

/* The last Sunday of a month (day number). 1970-01-01 was a Thursday. */
static int32_t last_sunday(int y, int m) {
  int32_t last = days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
  int wd = (int)(((last % 7) + 7 + 4) % 7); /* 0 = Sunday */
  return last - wd;
}

/* Seconds east of UTC in Brussels at Unix time s. */
static int64_t brussels_offset(int64_t s) {
  int32_t utc_day = (int32_t)(s >= 0 ? s / 86400 : -((-s + 86399) / 86400));
  int y, m, d;
  civil_from_days(utc_day, &y, &m, &d);
  int64_t dst_start = (int64_t)last_sunday(y, 3) * 86400 + 3600,
          dst_end = (int64_t)last_sunday(y, 10) * 86400 + 3600;
  return s >= dst_start && s < dst_end ? 7200 : 3600;
}

int32_t date_brussels(time_t t) {
  int64_t s = (int64_t)t;
  int64_t local = s + brussels_offset(s);
  return (int32_t)(local >= 0 ? local / 86400 : -((-local + 86399) / 86400));
}

void datetime_brussels_format(time_t t, char out[17]) {
  int64_t s = (int64_t)t;
  int64_t local = s + brussels_offset(s);
  int32_t day = (int32_t)(local >= 0 ? local / 86400 : -((-local + 86399) / 86400));
  int64_t secs = local - (int64_t)day * 86400;
  int y, m, d;
  civil_from_days(day, &y, &m, &d);
  if (y < 0 || y > 9999) y = y < 0 ? 0 : 9999;
  snprintf(out, 17, "%02u/%02u/%04u %02u:%02u", (unsigned)d % 100u, (unsigned)m % 100u, (unsigned)y % 10000u,
           (unsigned)(secs / 3600) % 100u, (unsigned)(secs % 3600 / 60) % 100u);
}

int timestamp_parse(const char *s, time_t *t) {
  /* YYYY-MM-DDTHH:MM:SSZ: 20 characters */
  if (!s || strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') return -1;
  char iso[11];
  memcpy(iso, s, 10);
  iso[10] = 0;
  int32_t day;
  int h, mi, se;
  if (date_parse(iso, &day) != 0 || digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) ||
      digits(s + 17, 2, &se) || h > 23 || mi > 59 || se > 60)
    return -1;
  *t = (time_t)((int64_t)day * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + se);
  return 0;
}

int school_year_of(int32_t day) {
  int y, m, d;
  civil_from_days(day, &y, &m, &d);
  return m >= 9 ? y : y - 1;
}

int32_t school_year_first_day(int year) { return days_from_civil(year, 9, 1); }
int32_t school_year_last_day(int year) { return days_from_civil(year + 1, 8, 31); }
int school_year_days(int year) { return 365 + is_leap(year + 1); }

int school_year_parse(const char *s, int *year) {
  int a, b;
  if (strlen(s) != 9 || s[4] != '-') return -1;
  if (digits(s, 4, &a) || digits(s + 5, 4, &b)) return -1;
  if (b != a + 1 || a < SCHOOL_YEAR_MIN || a > SCHOOL_YEAR_MAX) return -1;
  *year = a;
  return 0;
}

void school_year_format(int year, char out[10]) {
  unsigned a = (unsigned)year % 10000u, b = (unsigned)(year + 1) % 10000u;
  snprintf(out, 10, "%04u-%04u", a, b);
}

int school_year_range_parse(const char *s, int **years, int *n) {
  const char *dots = strstr(s, "..");
  int a, b;
  char first[16];
  if (dots) {
    size_t len = (size_t)(dots - s);
    if (len >= sizeof first) return -1;
    memcpy(first, s, len);
    first[len] = 0;
    if (school_year_parse(first, &a) || school_year_parse(dots + 2, &b)) return -1;
  } else {
    if (school_year_parse(s, &a)) return -1;
    b = a;
  }
  if (b < a) {
    int t = a;
    a = b;
    b = t;
  }
  if (b - a > 50) return -1;
  *n = b - a + 1;
  *years = xmalloc(sizeof(int) * (size_t)*n);
  for (int i = 0; i < *n; i++) (*years)[i] = b - i;
  return 0;
}

int school_week_of(int year, int32_t day) {
  int32_t first = school_year_first_day(year);
  int32_t monday = first - (int32_t)(((first % 7) + 7 + 3) % 7);
  return (int)((day - monday) / 7);
}
