/* SPDX-License-Identifier: EUPL-1.2 */
/* Durations as people type them, in one place for every form (docs/DAY-form.md):
     90, "90 min", "90 minuten"      whole minutes
     1u30, 1u, 1h30, 1:30            hours and minutes (minutes 0..59; after ':' two digits)
     1,5  1.5  "1,5 u"               hours with a decimal (only under 24), rounded to the
                                     nearest minute
   and shown as 1u30. The bounds are those of one registration (domain/bounds.h:
   1..1440 minutes); core/ does not include domain/, so the caller passes them. */
#ifndef BEREIK_DURATION_H
#define BEREIK_DURATION_H

#include <stddef.h>
#include <stdint.h>

enum duration_result {
  DURATION_OK = 0,
  DURATION_EMPTY,  /* nothing but spaces */
  DURATION_SYNTAX, /* not a duration in any of the accepted forms */
  DURATION_RANGE   /* a duration, but outside min..max minutes (0, 25u, 1441 ...) */
};

/* Parses s into *minutes (untouched unless DURATION_OK), within min..max minutes. */
enum duration_result duration_parse(const char *s, int64_t min, int64_t max, int64_t *minutes);

/* Writes minutes as "1u30" ("0u45", "24u00"); n >= 24 is enough for any int64. */
void duration_format(int64_t minutes, char *out, size_t n);

/* Parses a clock time "HH:MM" (also "H:MM", "HHuMM", "HH.MM") into minutes after
   midnight (0..1439). Returns 0, or -1. */
int clock_parse(const char *s, int *minutes);

#endif
