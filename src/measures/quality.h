/* SPDX-License-Identifier: EUPL-1.2 */
/* Data quality ("Datakwaliteit", docs/QUALITY.md): per advisor and team, over a school year
   (clipped to a date range and to today), the findings that point at registrations to fix:

     days without     working days (Monday-Friday, not in a holiday of table holiday, not a
                      day off of the advisor, within the advisor's start/end, not after
                      today) on which the advisor has no registration at all, as author or
                      as co-advisor;
     days over 10 h   days on which the sum of the minutes of the advisor's registrations
                      (author or co-advisor) exceeds 600;
     duplicates       groups of two or more registrations with the same advisors (author
                      and co-advisors), date, minutes, line and set of institutions; a group
                      counts for each of its advisors, and once for a team;
     lag              the day of created_at (server-set, UTC, taken in Brussels) minus the
                      date, in days, of each registration of the advisor (author or
                      co-advisor; once per registration for a team and the total);
                      registrations without created_at (imported) count as unknown lag.
                      Median lag and the share registered within 7 days (lag <= 7) of those
                      with a known lag.

   Every loop is bounded: the range is clipped to the domain bounds (domain/bounds.h) and to
   at most one school year per call of quality_compute. */
#ifndef BEREIK_QUALITY_H
#define BEREIK_QUALITY_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct model;

#define QUALITY_MAX_MINUTES 600 /* a day over this many registered minutes is a finding */
#define QUALITY_LAG_DAYS 7      /* "registered within 7 days" */

/* A day of one advisor: a working day without registrations (minutes 0), or a day over 10 h
   (minutes = the day's sum). */
struct quality_day {
  int advisor; /* index into m->advisors */
  int32_t day;
  int minutes;
};
/* A group of likely duplicates: two or more registrations with the same advisors (the
   same set of author and co-advisors), date, minutes, line and set of institutions. */
struct quality_dup {
  int advisor;   /* the first of the advisors (index into m->advisors) */
  int *advisors; /* every advisor of the registrations (indexes) */
  int n_advisors;
  int32_t day;
  int minutes;
  int line;       /* index into m->lines */
  char **ext_ids; /* the registrations' ids (ext_id), ordered */
  size_t n;
};
/* The counts of one advisor or team. */
struct quality_counts {
  int days_without, days_over, dup_groups, dup_registrations;
  int lag_known, lag_unknown, lag_within; /* registrations; of the known, within QUALITY_LAG_DAYS */
  double lag_median;                      /* days; meaningless when lag_known = 0 */
};
struct quality_report {
  int year;                           /* school year (2025 = 2025-2026) */
  int32_t from, to;                   /* the range looked at, after clipping (to < from: empty) */
  struct quality_counts *per_advisor; /* m->n_advisors entries */
  struct quality_counts *per_team;    /* m->n_teams entries */
  struct quality_counts total;        /* every advisor */
  struct quality_day *without, *over; /* sorted by advisor, day */
  size_t n_without, n_over;
  struct quality_dup *dups; /* sorted by advisor, day */
  size_t n_dups;
};

/* Computes the findings of school year `year` within [from, to] (NO_DATE = open) for every
   advisor, with today as the last day that counts for days without. Returns 0 or -1 with
   err. Free with quality_free (also after an error). */
int quality_compute(struct db *db, const struct model *m, int year, int32_t from, int32_t to, int32_t today,
                    struct quality_report *out, char *err, size_t errlen);
void quality_free(struct quality_report *r);

/* The working days without registrations (definition above) of one advisor (index into
   m->advisors) in [from, to], not after today in Brussels. *days_out (malloc'd, may be
   NULL when *n_out = 0, caller frees) ascending. Returns 0 or -1 with err. */
int quality_days_without(struct db *db, const struct model *m, int advisor, int32_t from, int32_t to,
                         int32_t **days_out, size_t *n_out, char *err, size_t errlen);
/* The same with an explicit today (tests). */
int quality_days_without_at(struct db *db, const struct model *m, int advisor, int32_t from, int32_t to,
                            int32_t today, int32_t **days_out, size_t *n_out, char *err, size_t errlen);

#endif
