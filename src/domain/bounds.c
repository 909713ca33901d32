/* SPDX-License-Identifier: EUPL-1.2 */
#include "domain/bounds.h"

#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "domain/model.h"

int bounds_text(const char *s, size_t max_chars, int multiline, size_t *chars) {
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  size_t n = 0;
  int control = 0;
  while (*p) {
    uint32_t c;
    int len;
    if (p[0] < 0x80) {
      c = p[0];
      len = 1;
    } else if (p[0] >= 0xC2 && p[0] <= 0xDF) {
      c = p[0] & 0x1Fu;
      len = 2;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
      c = p[0] & 0x0Fu;
      len = 3;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
      c = p[0] & 0x07u;
      len = 4;
    } else {
      return TEXT_UTF8;
    }
    for (int i = 1; i < len; i++) {
      if ((p[i] & 0xC0) != 0x80) return TEXT_UTF8;
      c = (c << 6) | (p[i] & 0x3Fu);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
      return TEXT_UTF8;
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
      if (!(multiline && (c == '\t' || c == '\n' || c == '\r'))) control = 1;
    p += len;
    n++;
  }
  if (chars) *chars = n;
  if (control) return TEXT_CONTROL;
  return n > max_chars ? TEXT_TOO_LONG : TEXT_OK;
}

int bounds_id_ok(const char *s) {
  size_t n = strlen(s);
  if (n < 1 || n > BOUND_ID_MAX) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '_' || c == '-'))
      return 0;
  }
  return 1;
}

int32_t bounds_today(void) {
  const char *o = getenv("BEREIK_TODAY");
  int32_t d;
  if (o && *o && date_parse(o, &d) == 0) return d;
  return date_brussels(time(NULL));
}

int32_t bounds_first_day(const struct model *m) {
  int oldest = 0;
  for (size_t i = 0; i < m->n_settings; i++)
    if (!oldest || m->settings[i].year < oldest) oldest = m->settings[i].year;
  return oldest ? school_year_first_day(oldest) : date_min_day();
}
