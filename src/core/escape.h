/* SPDX-License-Identifier: EUPL-1.2 */
/* One escaper per output context; every writer of HTML, SVG/XML, JSON and CSV in the
   program goes through these (render/html.h, render/chart.c, the audit trail, the
   security log, the facts, the dataset export and the report's CSV). */
#ifndef BEREIK_ESCAPE_H
#define BEREIK_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

#include "core/buf.h"

/* HTML text or attribute value, and XML 1.0 (SVG): & < > " ' as references; control
   characters XML does not allow (all below 0x20 but tab, LF and CR) are dropped. len
   bytes of s. */
void escape_xml(struct buf *b, const char *s, size_t len);

/* A JSON string with its quotes: quote, backslash and every control character escaped;
   a well-formed UTF-8 sequence is copied, any other byte >= 0x80 becomes '?', so the
   output is always valid JSON. NULL is "". */
void escape_json(struct buf *b, const char *s);
/* The same to a file. */
void escape_json_file(FILE *f, const char *s);

/* One CSV field (RFC 4180): quoted when it holds the separator, a quote or a line break,
   quotes doubled. neutralise: a field starting with = + - @ tab or CR (a spreadsheet
   would read a formula) is quoted and prefixed with an apostrophe. */
void escape_csv(FILE *f, const char *s, char sep, int neutralise);

#endif
