/* SPDX-License-Identifier: EUPL-1.2 */
/* buf: a growable, always NUL-terminated byte string. */
#ifndef BEREIK_BUF_H
#define BEREIK_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
  char *data; /* NUL-terminated; NULL until the first append */
  size_t len, cap;
};

void buf_append(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* The contents, "" when empty; owned by the buf. */
const char *buf_str(const struct buf *b);

#endif
