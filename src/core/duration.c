/* SPDX-License-Identifier: EUPL-1.2 */
/* Durations as typed on a form, and as shown (core/duration.h). */
#include "core/duration.h"

#include <stdio.h>
#include <string.h>

#define MAX_DIGITS 7 /* no accepted duration needs more; longer is refused, never overflows */

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* Whether p (case-insensitive) starts with word; moves *p past it. */
static int word(const char **p, const char *w) {
  size_t n = strlen(w);
  for (size_t i = 0; i < n; i++)
    if (lower((*p)[i]) != w[i]) return 0;
  *p += n;
  return 1;
}

static void spaces(const char **p) {
  while (**p == ' ' || **p == '\t') (*p)++;
}

/* Reads up to MAX_DIGITS digits; returns how many (0: none, -1: too many). */
static int number(const char **p, int64_t *v) {
  int d = 0;
  *v = 0;
  while (is_digit(**p)) {
    if (++d > MAX_DIGITS) {
      while (is_digit(**p)) (*p)++;
      return -1;
    }
    *v = *v * 10 + (**p - '0');
    (*p)++;
  }
  return d;
}

enum duration_result duration_parse(const char *s, int64_t min, int64_t max, int64_t *minutes) {
  if (!s) return DURATION_EMPTY;
  const char *p = s;
  spaces(&p);
  if (!*p) return DURATION_EMPTY;
  if (*p == '-' || *p == '+') return is_digit(p[1]) ? DURATION_RANGE : DURATION_SYNTAX;
  int64_t a, total;
  int da = number(&p, &a);
  if (da < 0) return DURATION_RANGE; /* more digits than any duration has */
  if (da == 0) return DURATION_SYNTAX;
  if (*p == ',' || *p == '.') {
    /* hours with a decimal: 1,5 = 90 minutes; only under 24 hours */
    p++;
    int64_t frac = 0, scale = 1;
    int df = 0;
    while (is_digit(*p)) {
      if (++df > 4) return DURATION_SYNTAX;
      frac = frac * 10 + (*p++ - '0');
      scale *= 10;
    }
    if (!df) return DURATION_SYNTAX;
    spaces(&p);
    if (*p) {
      if (!(word(&p, "uur") || word(&p, "u") || word(&p, "h"))) return DURATION_SYNTAX;
      spaces(&p);
      if (*p) return DURATION_SYNTAX;
    }
    if (a >= 24) return DURATION_RANGE;
    /* minutes = (a + frac/scale) * 60, rounded half up */
    total = a * 60 + (frac * 60 * 2 + scale) / (2 * scale);
  } else if (*p == ':' || lower(*p) == 'u' || lower(*p) == 'h') {
    int colon = *p == ':';
    p++;
    int64_t m = 0;
    int dm = 0;
    while (is_digit(*p)) {
      if (++dm > 2) return DURATION_SYNTAX;
      m = m * 10 + (*p++ - '0');
    }
    if (colon && dm != 2) return DURATION_SYNTAX;
    if (!colon && dm == 0) (void)(word(&p, "ur") || 0); /* "1uur" */
    if (dm) (void)(word(&p, "min") || word(&p, "m") || 0);
    spaces(&p);
    if (*p) return DURATION_SYNTAX;
    if (m >= 60) return DURATION_SYNTAX;
    total = a * 60 + m;
  } else {
    spaces(&p);
    total = a;
    if (word(&p, "uur") || word(&p, "u") || word(&p, "h"))
      total = a * 60; /* "2 uur" */
    else if (*p && !(word(&p, "minuten") || word(&p, "minuut") || word(&p, "min") || word(&p, "m")))
      return DURATION_SYNTAX;
    spaces(&p);
    if (*p) return DURATION_SYNTAX;
  }
  if (total < min || total > max) return DURATION_RANGE;
  *minutes = total;
  return DURATION_OK;
}

void duration_format(int64_t minutes, char *out, size_t n) {
  int neg = minutes < 0;
  uint64_t m = neg ? (uint64_t)0 - (uint64_t)minutes : (uint64_t)minutes;
  snprintf(out, n, "%s%lluu%02llu", neg ? "-" : "", (unsigned long long)(m / 60),
           (unsigned long long)(m % 60));
}

int clock_parse(const char *s, int *minutes) {
  if (!s) return -1;
  const char *p = s;
  spaces(&p);
  int h = 0, m = 0, dh = 0;
  while (is_digit(*p) && dh < 2) h = h * 10 + (*p++ - '0'), dh++;
  if (!dh || !(*p == ':' || lower(*p) == 'u' || *p == '.')) return -1;
  p++;
  if (!is_digit(p[0]) || !is_digit(p[1])) return -1;
  m = (p[0] - '0') * 10 + (p[1] - '0');
  p += 2;
  spaces(&p);
  if (*p || h > 23 || m > 59) return -1;
  *minutes = h * 60 + m;
  return 0;
}
