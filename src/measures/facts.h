/* SPDX-License-Identifier: EUPL-1.2 */
/* The measures of spec/DOMAIN.md sections 3-4, computed as the facts of
   spec/DATA-FORMAT.md section 2. This is the one place where numbers are computed:
   the CLI report, and later the web pages, API and exports, all read these facts.

   The computation is one streaming pass over the registrations (ordered by id) merged
   with their advisors, institutions and head counts, accumulating integer minutes per
   year, line, modality, advisor, institution, trajectory and target group; ratios are
   formed in floating point only at the end. Memory is proportional to the reference
   data, not to the number of registrations. */
#ifndef BEREIK_FACTS_H
#define BEREIK_FACTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/util.h"
#include "domain/links.h"

struct db;
struct model;

struct fact {
  const char *table; /* static string */
  int year;
  char *row;
  const char *col; /* static string */
  double value;
};

struct facts {
  struct fact *v;
  size_t n, cap;
  int *years; /* newest first */
  int n_years;
  struct strmap index; /* table, year, row, col -> position (facts_index) */
  int indexed;
};
/* Indexes the facts for facts_get (facts_compute does it; whoever adds facts after
   calls it again). */
void facts_index(struct facts *f);

/* The school years with a registration, a plan row or a settings row, newest first.
 *years is malloc'd. Returns 0 or -1 with a message. */
int facts_years_with_data(struct db *db, int **years, int *n, char *err, size_t errlen);
/* The school year a view shows when none is asked for: the school year of today (days
   since the epoch; callers pass today in Europe/Brussels, bounds_today(), which honours
   BEREIK_TODAY), whether or not it has data yet (docs/VIEWS.md). years and n are kept for
   the callers and not used. The dashboard, the report page, the trajectories page and
   the API use it. */
int facts_default_year(const int *years, int n, int32_t today);

/* Computes every fact table for the given school years (starting calendar years).
   out is filled (free with facts_free). Returns 0 or -1 with a message. */
int facts_compute(struct db *db, const struct model *m, const int *years, int n_years, struct facts *out,
                  char *err, size_t errlen);
/* The same restricted to one unit's lines (enum unit; -1: the organisation, exactly
   facts_compute): the report of PBD or POC (docs/VIEWS.md, "The report per unit").
   Only registrations on the unit's lines count; line rows and totals cover the unit's
   lines; team and advisor klv rows list those with registered time on them, without
   fte_hours (a capacity is not split over units); target_groups has no targets;
   pd_spend covers the advisors with registered time on the unit's lines. */
int facts_compute_unit(struct db *db, const struct model *m, const int *years, int n_years, int unit,
                       struct facts *out, char *err, size_t errlen);
/* The same restricted to a set of advisors as well (adv: a mask over m->advisors; NULL:
   facts_compute_unit): the report of a coordinator's team (docs/VIEWS.md). Only
   registrations naming an advisor of the set count, and of their advisor-minutes only
   those of the set; fte has no planned FTE (the plan is the organisation's); klv total's
   fte_hours is the set's capacity, without unit rows and without line capacities; teams
   and advisors with registered time in the set; no targets; pd_spend of the set, over
   the set's advisors employed in the year. */
int facts_compute_scope(struct db *db, const struct model *m, const int *years, int n_years, int unit,
                        const unsigned char *adv, struct facts *out, char *err, size_t errlen);
void facts_free(struct facts *f);

/* The organisation's facts (facts_compute, facts_weekly, facts_reached) are formed from
   the aggregates kept under writes (domain/aggregate.h) when these are valid; with on = 1
   the calling thread computes them by a full pass over the registrations instead (the
   check that both agree: bereik aggregates check, tests/unit/test_aggregate.c). */
void facts_from_registrations(int on);

/* Weeks of a school year: week 0 holds the Monday on or before 1 September. */
#define FACTS_WEEKS 54
int facts_week_of(int year, int32_t day);
/* The organisation's advisor-minutes per week of a school year: all registered, and in
   classroom context (the weekly KLV follow-up: klv / registered). */
int facts_weekly(struct db *db, const struct model *m, int year, int64_t *registered, int64_t *klv, char *err,
                 size_t errlen);

/* Whether each institution (model order) counts as reached in a school year under that
   year's rule (DOMAIN.md 4.1); reached_out holds m->n_institutions bytes. */
int facts_reached(struct db *db, const struct model *m, int year, unsigned char *reached_out, char *err,
                  size_t errlen);

/* Appends one fact (table and col: static strings; row copied). Call facts_index after. */
void facts_add(struct facts *f, const char *table, int year, const char *row, const char *col, double v);

/* Why an own institution is not reached under the trajectory rule (DOMAIN.md 4.1) in a
   school year: the conditions the institution's closest trajectory misses (0 = none). */
enum reach_missing {
  MISS_TRAJECTORY = 1,  /* no trajectory active in the year (overlapping, not planned) */
  MISS_LEVEL = 2,       /* level neither meso nor micro */
  MISS_SHARED_GOAL = 4, /* no shared goal */
  MISS_PLAN = 8,        /* no action plan (text, or a step with who, when and expected result) */
  MISS_FOLLOWUP = 16,   /* no client registration of the year linked to it with follow-up */
};
/* facts_reached, and for each institution the missing conditions (missing_out holds
   m->n_institutions bytes; 0 for a reached institution or another rule). */
int facts_reach_detail(struct db *db, const struct model *m, int year, unsigned char *reached_out,
                       unsigned char *missing_out, char *err, size_t errlen);

/* Value of one fact, or 0 when absent (as consumers read it). *found tells which. */
double facts_get(const struct facts *f, const char *table, int year, const char *row, const char *col,
                 int *found);

/* Writers of the machine formats: values with '.', shortest exact form. */
int facts_write_csv(const struct facts *f, FILE *out);
int facts_write_json(const struct facts *f, const char *generated_at, FILE *out);

struct advisor;
/* Capacity in hours of an advisor in a school year (contract FTE * hours_per_fte *
   days employed / days in the year). */
double advisor_capacity_hours(const struct advisor *a, int year, double hours_per_fte);

#endif
