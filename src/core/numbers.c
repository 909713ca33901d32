/* SPDX-License-Identifier: EUPL-1.2 */
#include "core/numbers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_int64(const char *s, int64_t *out) {
  const char *p = s;
  int neg = 0;
  if (*p == '-' || *p == '+') neg = *p++ == '-';
  if (!*p) return -1;
  /* accumulate as a negative number, so that INT64_MIN is reachable too */
  int64_t v = 0;
  for (; *p; p++) {
    if (*p < '0' || *p > '9') return -1;
    int digit = *p - '0';
    if (v < (INT64_MIN + digit) / 10) return -1;
    v = v * 10 - digit;
  }
  if (!neg && v == INT64_MIN) return -1;
  *out = neg ? v : -v;
  return 0;
}

int parse_decimal(const char *s, int allow_comma, double *out) {
  char tmp[64];
  size_t n = strlen(s);
  if (n == 0 || n >= sizeof tmp) return -1;
  size_t i = 0, digits = 0;
  int sep = 0;
  if (s[i] == '-' || s[i] == '+') {
    tmp[i] = s[i];
    i++;
  }
  for (; i < n; i++) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      digits++;
      tmp[i] = c;
    } else if ((c == '.' || (c == ',' && allow_comma)) && !sep) {
      sep = 1;
      tmp[i] = '.';
    } else {
      return -1;
    }
  }
  tmp[n] = 0;
  if (!digits) return -1;
  /* strtod uses the C locale: the program never calls setlocale(LC_NUMERIC). */
  double v = strtod(tmp, NULL);
  /* only values below 10^15 whose shortest form has no exponent (not vanishingly
     small): export writes every accepted value so that import reads it back */
  if (fabs(v) >= 1e15) return -1;
  char shortest[32];
  format_shortest(v, shortest);
  if (strchr(shortest, 'e')) return -1;
  *out = v;
  return 0;
}

void format_shortest(double v, char out[32]) {
  if (v == 0) v = 0; /* no "-0" */
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(out, 32, "%.*g", prec, v);
    if (strtod(out, NULL) == v) break;
  }
  /* %g may use an exponent for very large or small values; datasets have none, but
     keep it readable by plain decimal when it fits. */
  if (strchr(out, 'e')) {
    for (int prec = 0; prec <= 20; prec++) {
      char t[64];
      snprintf(t, sizeof t, "%.*f", prec, v);
      if (strtod(t, NULL) == v && strlen(t) < 32) {
        memcpy(out, t, strlen(t) + 1);
        break;
      }
    }
  }
}

void format_fact(double v, char out[32]) {
  if (v != v) v = 0; /* callers never pass NaN (ratios without denominator are skipped) */
  format_shortest(v, out);
}

int parse_duration(const char *s, int64_t *minutes) {
  while (*s == ' ') s++;
  int64_t h = 0, m = 0;
  int digits = 0;
  const char *p = s;
  while (*p >= '0' && *p <= '9' && digits < 6) h = h * 10 + (*p++ - '0'), digits++;
  if (!digits) return -1;
  if (*p == 'u' || *p == 'U' || *p == 'h' || *p == 'H' || *p == ':') {
    p++;
    int md = 0;
    while (*p >= '0' && *p <= '9' && md < 2) m = m * 10 + (*p++ - '0'), md++;
    if (m >= 60 || (*(p - 1) == ':' && md == 0)) return -1;
    while (*p == ' ') p++;
    if (*p) return -1;
    *minutes = h * 60 + m;
    return 0;
  }
  while (*p == ' ') p++;
  if (*p) return -1;
  *minutes = h;
  return 0;
}
