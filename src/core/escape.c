/* SPDX-License-Identifier: EUPL-1.2 */
#include "core/escape.h"

#include <string.h>

void escape_xml(struct buf *b, const char *s, size_t len) {
  size_t run = 0;
  for (size_t i = 0; s && i < len; i++) {
    unsigned char ch = (unsigned char)s[i];
    const char *rep;
    switch (ch) {
    case '&':
      rep = "&amp;";
      break;
    case '<':
      rep = "&lt;";
      break;
    case '>':
      rep = "&gt;";
      break;
    case '"':
      rep = "&quot;";
      break;
    case '\'':
      rep = "&#39;";
      break;
    default:
      if (ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r') continue;
      rep = ""; /* not allowed in XML 1.0 */
    }
    buf_append(b, s + run, i - run);
    buf_puts(b, rep);
    run = i + 1;
  }
  if (s) buf_append(b, s + run, len - run);
}

void escape_json(struct buf *b, const char *s) {
  buf_putc(b, '"');
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    unsigned char c = *p;
    if (c == '"' || c == '\\') {
      buf_putc(b, '\\');
      buf_putc(b, (char)c);
    } else if (c < 0x20 || c == 0x7f) {
      buf_printf(b, "\\u%04x", c);
    } else if (c >= 0x80) {
      /* keep a well-formed UTF-8 sequence, replace anything else */
      int n = (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
      int ok = n > 0;
      for (int i = 1; ok && i <= n; i++) ok = (p[i] & 0xc0) == 0x80;
      if (!ok) {
        buf_putc(b, '?');
        continue;
      }
      buf_append(b, (const char *)p, (size_t)n + 1);
      p += n;
    } else {
      buf_putc(b, (char)c);
    }
  }
  buf_putc(b, '"');
}

void escape_json_file(FILE *f, const char *s) {
  struct buf b = {0};
  escape_json(&b, s);
  fwrite(buf_str(&b), 1, b.len, f);
  buf_free(&b);
}

void escape_csv(FILE *f, const char *s, char sep, int neutralise) {
  if (!s) s = "";
  int neutral = neutralise &&
                (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
  int quote = neutral || (sep && strchr(s, sep)) || strpbrk(s, "\"\r\n");
  if (!quote) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  if (neutral) fputc('\'', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}
