/* SPDX-License-Identifier: EUPL-1.2 */
/* One writer per HTML context (as cgit's html.c): text, attribute value, URL
   component, all through core/escape.h. Raw output takes string literals of the program
   only: html_raw(b, x) does not compile unless x is a string literal (as Fossil's
   @-lines), html_raw_if(b, cond, "a", "b") picks one of two. */
#ifndef BEREIK_HTML_H
#define BEREIK_HTML_H

#include "core/buf.h"

void html_raw_literal(struct buf *b, const char *literal);
#define html_raw(b, literal) html_raw_literal((b), "" literal "")
#define html_raw_if(b, cond, yes, no) ((cond) ? html_raw(b, yes) : html_raw(b, no))
/* Markup the program holds itself and writes whole (its embedded style sheet); never a
   value from a request, a file or the database. */
void html_trusted(struct buf *b, const char *markup);
void html_text(struct buf *b, const char *s);
void html_attr(struct buf *b, const char *s);
/* html_text, with a line-break opportunity (<wbr>) after each '/': names such as
   "Modernisering/herziening" wrap at the slash in a narrow column, not inside a word. */
void html_text_wbr(struct buf *b, const char *s);
void html_url(struct buf *b, const char *s);
/* The start of a table people can scroll by keyboard: a focusable region named label
   around <table> (with id and class when not NULL), up to and including <caption>; the
   caller writes the caption and the rest. */
void html_table_open(struct buf *b, const char *label, const char *id, const char *cls);
/* html_textf: printf into text context (every byte escaped). */
void html_textf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
