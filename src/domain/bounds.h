/* SPDX-License-Identifier: EUPL-1.2 */
/* The bounds of what bereik accepts, in one place: the dataset import, the web forms and
   the API all ask here. Dates from the first day of the oldest school year in the
   settings up to today in Brussels; minutes 1..1440 and at most 1440 per advisor and day;
   head counts 0..10,000; texts valid UTF-8 without control characters and with a
   maximum length; registration ids of 1..64 characters from [A-Za-z0-9._-]. */
#ifndef BEREIK_BOUNDS_H
#define BEREIK_BOUNDS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct model;

#define BOUND_MINUTES_MAX 1440      /* one registration */
#define BOUND_DAY_MINUTES 1440      /* one advisor on one day, as author or co-advisor */
#define BOUND_COUNT_MAX 10000       /* one head count of one target group */
#define BOUND_DESCRIPTION_MAX 2000  /* characters of a description, shared goal or action plan */
#define BOUND_LABEL_MAX 200         /* characters of a name or any other text or code */
#define BOUND_CODE_MAX 64           /* characters of a code */
#define BOUND_ID_MAX BOUND_CODE_MAX /* characters of a registration id */

/* What is wrong with a text (0 = nothing). */
enum text_fault { TEXT_OK, TEXT_UTF8, TEXT_CONTROL, TEXT_TOO_LONG };

/* Checks s: valid UTF-8 (shortest forms, no surrogates, at most U+10FFFF), no control
   character (C0, DEL, C1; with multiline, tab, line feed and carriage return are
   allowed), at most max_chars code points. *chars gets the number of code points (when
   the UTF-8 is valid). */
int bounds_text(const char *s, size_t max_chars, int multiline, size_t *chars);
/* 1 when s is a valid registration id: 1..BOUND_ID_MAX characters of [A-Za-z0-9._-]. */
int bounds_id_ok(const char *s);

/* Today in Brussels; BEREIK_TODAY=YYYY-MM-DD in the environment overrides it (tests). */
int32_t bounds_today(void);
/* The first day a registration may have: 1 September of the oldest school year in the
   settings, or 1900-01-01 when there are no settings. */
int32_t bounds_first_day(const struct model *m);

#endif
