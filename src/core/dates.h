/* SPDX-License-Identifier: EUPL-1.2 */
/* Calendar dates as day numbers, and school years (1 September - 31 August). */
#ifndef BEREIK_DATES_H
#define BEREIK_DATES_H

#include <stdint.h>
#include <time.h>

/* The range date_parse accepts (and date_format writes back exactly): 1900-01-01 ..
   9999-12-31. School years that school_year_parse accepts: 1900-1901 .. 9998-9999. */
#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 9999
#define SCHOOL_YEAR_MIN 1900
#define SCHOOL_YEAR_MAX 9998

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int32_t days_from_civil(int y, int m, int d);
void civil_from_days(int32_t z, int *y, int *m, int *d);

/* Parses exactly "YYYY-MM-DD" naming a real calendar date. Returns 0 on success. */
int date_parse(const char *s, int32_t *day);
/* Writes "YYYY-MM-DD" into out (11 bytes). Exact for every day date_parse accepts; a day
   outside that range is written clamped to 0000-01-01 or 9999-12-31 (never wraps). */
void date_format(int32_t day, char out[11]);
/* The first and last day date_parse accepts. */
int32_t date_min_day(void);
int32_t date_max_day(void);

/* The calendar date in Brussels (Europe/Brussels: CET, CEST from the last Sunday of March
   01:00 UTC to the last Sunday of October 01:00 UTC) at Unix time t. */
int32_t date_brussels(time_t t);
/* "dd/mm/jjjj uu:mm": Unix time t in Brussels local time (what people read on screen
   and in a report's "Gemaakt op"). */
void datetime_brussels_format(time_t t, char out[17]);
/* Parses an audit-time text "YYYY-MM-DDTHH:MM:SSZ" (UTC). 0, or -1. */
int timestamp_parse(const char *s, time_t *t);

/* The school year a day belongs to, as its starting calendar year (2024 = 2024-2025). */
int school_year_of(int32_t day);
int32_t school_year_first_day(int year); /* 1 September */
int32_t school_year_last_day(int year);  /* 31 August of the next year */
int school_year_days(int year);          /* 365 or 366 */
/* The week of a school year a day falls in: week 0 holds the Monday on or before
   1 September (negative before it). */
int school_week_of(int year, int32_t day);

/* Parses "2024-2025" (second year = first + 1). Returns 0 on success. */
int school_year_parse(const char *s, int *year);
/* Writes "2024-2025" into out (10 bytes). */
void school_year_format(int year, char out[10]);
/* One school year ("2024-2025") or an inclusive range ("2022-2023..2024-2025", either
   order, at most 51 years): *years (malloc'd) newest first. Returns 0, or -1. */
int school_year_range_parse(const char *s, int **years, int *n);

#endif
