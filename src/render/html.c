/* SPDX-License-Identifier: EUPL-1.2 */
#include "render/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/escape.h"

void html_raw_literal(struct buf *b, const char *literal) { buf_puts(b, literal); }

void html_trusted(struct buf *b, const char *markup) { buf_puts(b, markup); }

static void escape(struct buf *b, const char *s) { escape_xml(b, s, s ? strlen(s) : 0); }

void html_text(struct buf *b, const char *s) { escape(b, s); }
void html_attr(struct buf *b, const char *s) { escape(b, s); }

void html_text_wbr(struct buf *b, const char *s) {
  if (!s) return;
  for (const char *slash; (slash = strchr(s, '/')) != NULL; s = slash + 1) {
    escape_xml(b, s, (size_t)(slash - s) + 1);
    buf_puts(b, "<wbr>");
  }
  escape(b, s);
}

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

void html_table_open(struct buf *b, const char *label, const char *id, const char *cls) {
  html_raw(b, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
  html_attr(b, label);
  html_raw(b, "\"><table");
  if (id) {
    html_raw(b, " id=\"");
    html_attr(b, id);
    html_raw(b, "\"");
  }
  if (cls) {
    html_raw(b, " class=\"");
    html_attr(b, cls);
    html_raw(b, "\"");
  }
  html_raw(b, "><caption>");
}
