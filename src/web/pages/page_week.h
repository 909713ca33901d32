/* SPDX-License-Identifier: EUPL-1.2 */
/* What the pages of Mijn week share (page_week.c, page_week_copy.c,
   page_week_search.c). */
#ifndef BEREIK_PAGE_WEEK_H
#define BEREIK_PAGE_WEEK_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "http/http.h"

struct model;

/* "1u30" */
void week_duration(int64_t minutes, char *out, size_t n);
/* Parses "YYYY-MM-DD" or "dd/mm/jjjj". 0 or -1. */
int week_parse_date(const char *s, int32_t *day);
/* "07/10/2024" */
void week_date_be(int32_t day, char out[11]);
/* The Monday of the week of day. */
int32_t week_monday(int32_t day);
/* The model index of the user's advisor, -1 when none. */
int week_my_advisor(const struct request *r, const struct model *m);
/* The help dialog of the keyboard shortcuts (with_weeks: also next/previous week). */
void week_shortcuts_dialog(const struct request *r, struct buf *b, int with_weeks);
/* The links under the title: the search (or back to the week) and the shortcuts. */
void week_tools(const struct request *r, struct buf *b, int search_link);

/* Writes a message at the top of the page (escaped through render/html.h). */
typedef void (*week_message_fn)(void *ctx, const struct request *r, struct buf *b);
/* The week of day (its Monday to Sunday) for the advisor of the request (begeleider=). */
void week_render(struct request *r, struct response *resp, int32_t day, week_message_fn message, void *ctx);

#endif
