/* SPDX-License-Identifier: EUPL-1.2 */
/* Calendar dates as day numbers, and school years (1 September - 31 August). */
#ifndef BEREIK_DATES_H
#define BEREIK_DATES_H

#include <stdint.h>

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int32_t days_from_civil(int y, int m, int d);
void civil_from_days(int32_t z, int *y, int *m, int *d);

/* Parses exactly "YYYY-MM-DD" naming a real calendar date. Returns 0 on success. */
int date_parse(const char *s, int32_t *day);
/* Writes "YYYY-MM-DD" into out (11 bytes). */
void date_format(int32_t day, char out[11]);

/* The school year a day belongs to, as its starting calendar year (2024 = 2024-2025). */
int school_year_of(int32_t day);
int32_t school_year_first_day(int year); /* 1 September */
int32_t school_year_last_day(int year);  /* 31 August of the next year */
int school_year_days(int year);          /* 365 or 366 */

/* Parses "2024-2025" (second year = first + 1). Returns 0 on success. */
int school_year_parse(const char *s, int *year);
/* Writes "2024-2025" into out (10 bytes). */
void school_year_format(int year, char out[10]);
/* One school year ("2024-2025") or an inclusive range ("2022-2023..2024-2025", either
   order, at most 51 years): *years (malloc'd) newest first. Returns 0, or -1. */
int school_year_range_parse(const char *s, int **years, int *n);

#endif
