/* SPDX-License-Identifier: EUPL-1.2 */
/* One writer per HTML context (as cgit's html.c): text, attribute value, URL
   component. Raw output is only for string literals of the program (html_raw). */
#ifndef BEREIK_HTML_H
#define BEREIK_HTML_H

#include "core/buf.h"

void html_raw(struct buf *b, const char *literal);
void html_text(struct buf *b, const char *s);
void html_attr(struct buf *b, const char *s);
void html_url(struct buf *b, const char *s);
/* html_textf: printf into text context (every byte escaped). */
void html_textf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
