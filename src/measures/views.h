/* SPDX-License-Identifier: EUPL-1.2 */
/* Management views of one school year (docs/VIEWS.md): KLV per line with its weekly
   trend, reach and hits per operational goal, client hours per institution and per
   target group, non-classroom time per activity against the quality reserve, each
   advisor's planned split over lines against what they registered, and the
   professional-development spend against the 250 EUR norm. In the scope of the viewer:
   the organisation's from the kept aggregates (domain/aggregate.h), a set of advisors'
   (a coordinator's team members, an advisor themselves) by one streaming pass over the
   year's registrations. The dashboard shows
   these views as HTML, GET /api/v1/views as JSON; neither computes a number itself. */
#ifndef BEREIK_VIEWS_H
#define BEREIK_VIEWS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/model.h"
#include "measures/facts.h"

struct db;
struct model;

#define PD_NORM_EUR 250.0       /* professional development per advisor per year */
#define QUALITY_RESERVE_FTE 0.5 /* structural FTE reserved for quality development */

/* An amount against a pro-rata target (DOMAIN.md section 4). */
struct view_target {
  double target, target_to_date;
  int has_target, status; /* status only with has_target */
};

struct view_line {
  int line;                                /* model index */
  int64_t klv_minutes, registered_minutes; /* advisor-minutes of the scope */
  int64_t week_klv[FACTS_WEEKS], week_registered[FACTS_WEEKS];
  /* organisation scope: the klv facts' capacity-based KLV% to date and the klv_by_line
     share (facts reused, not recomputed); other scopes: has_pct = 0, has_share = 0 */
  double fte_hours, pct_to_date, share;
  int has_fte_hours, has_pct, status, has_share;
};

struct view_goal {
  int goal;        /* model index; -1: client registrations without a goal */
  int64_t hits;    /* sum of |C(r)| */
  int64_t reached; /* distinct own institutions named */
};

struct view_institution {
  int institution; /* model index */
  int64_t minutes; /* d(r) of every client registration naming it */
  int64_t hits;
};

struct view_group {
  int group;                 /* model index */
  int64_t minutes;           /* d(r) of every client registration with a non-zero count for it */
  int64_t reach;             /* head counts */
  struct view_target target; /* organisation scope with a target for the year */
};

struct view_split_week {
  double planned_hours;
  int64_t minutes;
};

/* One advisor on one line: the planned split (advisor_line_plan) against registered. */
struct view_split {
  int advisor, line;  /* model indexes */
  double planned_fte; /* 0 when registered on a line outside the plan */
  int in_plan;
  double planned_hours_year, planned_hours_to_date;
  int64_t minutes_to_date; /* the advisor's minutes on the line, 1 September up to today */
  struct view_split_week week[FACTS_WEEKS];
  int status; /* registered to date against planned to date (in_plan only) */
};

struct view_pd {
  int advisor; /* model index */
  double amount_eur;
};

struct views {
  int year, full, n_weeks; /* n_weeks: weeks of the year up to today's (at least 1) */
  int32_t today;
  double share, hours_per_fte; /* prorata_share(year, today) */
  struct view_line *lines;     /* lines with registered time in scope, or planned FTE (full) */
  size_t n_lines;
  struct view_goal *goals; /* goals with hits, then the no-goal bucket when it has hits */
  size_t n_goals;
  struct view_institution *institutions; /* with client minutes, most minutes first */
  size_t n_institutions;
  struct view_group *groups; /* every target group */
  size_t n_groups;
  int64_t activity_minutes[N_ACTIVITIES]; /* internal advisor-minutes per activity */
  int64_t internal_minutes;
  /* the quality reserve: QUALITY_RESERVE_FTE * hours_per_fte (full only) */
  struct view_target quality;
  int has_split_plan; /* the database has advisor_line_plan (migration 008) */
  struct view_split *splits;
  size_t n_splits;
  struct view_pd *pd; /* advisors in scope with spend in the year */
  size_t n_pd;
  double pd_total, pd_average;
  int pd_advisors, has_pd_average;
  struct view_target pd_norm; /* the average against PD_NORM_EUR, pro rata */
};

/* Computes the views of a school year as of today. facts: the facts of that year
   (facts_compute), read for what they hold already; advisors: NULL for the
   organisation (directors, admins), else a mask over m->advisors of the advisors in
   scope. Returns 0, or -1 with a message. Free with views_free. */
int views_compute(struct db *db, const struct model *m, const struct facts *facts, int year, int32_t today,
                  const unsigned char *advisors, struct views *out, char *err, size_t errlen);
/* As views_compute, always by the pass over the registrations, never from the kept
   aggregates (the check that both give the same views). */
int views_compute_by_pass(struct db *db, const struct model *m, const struct facts *facts, int year,
                          int32_t today, const unsigned char *advisors, struct views *v, char *err,
                          size_t errlen);
void views_free(struct views *v);

/* The first day (Monday) of week w of a school year (facts_week_of). */
int32_t views_week_monday(int year, int week);

#endif
