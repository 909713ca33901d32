/* SPDX-License-Identifier: EUPL-1.2 */
#include "render/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void html_raw(struct buf *b, const char *literal) { buf_puts(b, literal); }

static void escape(struct buf *b, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '&':
      buf_puts(b, "&amp;");
      break;
    case '<':
      buf_puts(b, "&lt;");
      break;
    case '>':
      buf_puts(b, "&gt;");
      break;
    case '"':
      buf_puts(b, "&quot;");
      break;
    case '\'':
      buf_puts(b, "&#39;");
      break;
    default:
      buf_putc(b, *s);
    }
  }
}

void html_text(struct buf *b, const char *s) { escape(b, s); }
void html_attr(struct buf *b, const char *s) { escape(b, s); }

void html_url(struct buf *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
        strchr("-._~", *p)) {
      buf_putc(b, (char)*p);
    } else {
      buf_putc(b, '%');
      buf_putc(b, hex[*p >> 4]);
      buf_putc(b, hex[*p & 15]);
    }
  }
}

void html_textf(struct buf *b, const char *fmt, ...) {
  char tmp[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  escape(b, tmp);
}
