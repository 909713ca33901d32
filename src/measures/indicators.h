/* SPDX-License-Identifier: EUPL-1.2 */
/* The pro-rata view of the indicators (DOMAIN.md section 4) and the per-advisor sums of
   the weekly follow-up. Like facts.c, this is where the numbers are computed; pages only
   format them. */
#ifndef BEREIK_INDICATORS_H
#define BEREIK_INDICATORS_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct model;
struct advisor;

/* Monday-to-Friday days in [from, to], both inclusive. */
int working_days(int32_t from, int32_t to);
/* Share of the school year's working days up to and including today: 0 before
   1 September, 1 after 31 August. */
double prorata_share(int year, int32_t today);

enum status { STATUS_ON_TRACK, STATUS_WATCH, STATUS_BEHIND };
/* op koers when actual >= target, let op when within 10% below it, achter otherwise. */
int indicator_status(double actual, double target);

struct facts;
/* The KLV summary of one row of the klv facts (a team, advisor, unit or the
   organisation) as the dashboard shows it: capacity (fte_hours), classroom hours, and
   KLV% to date = classroom hours over the capacity of the share of the school year
   past, with its status against the 60% norm. has_pct is 0 when there is no capacity. */
struct klv_summary {
  double fte_hours, klv_hours, pct;
  int has_fte_hours, has_klv_hours, has_pct, status;
};
void indicator_klv_summary(const struct facts *f, int year, const char *row, double share,
                           struct klv_summary *out);
#define KLV_NORM 0.6  /* the klasvloer norm: 60% of the capacity in direct contact */
#define KLV_FLOOR 0.5 /* the lower reference line of the KLV chart */

/* An advisor's own minutes (each registration counts its full duration for every
   advisor on it) per day of [from, from + ndays), split into all registered minutes and
   client (classroom-context) minutes. Returns 0 or -1. */
int advisor_minutes_per_day(struct db *db, int64_t advisor_id, int32_t from, int ndays, int64_t *registered,
                            int64_t *klv);

/* Mijn week: the share of the registered minutes of n days (advisor_minutes_per_day)
   that was in classroom context. Returns 0 when nothing was registered (no share). */
int klv_share_of_registered(const int64_t *registered, const int64_t *klv, int n, double *share);
/* An advisor's KLV% of a school year up to and including `until`: classroom hours over
   the capacity of the share of the year past (has = 0 without capacity). 0 or -1. */
int advisor_year_klv_pct(struct db *db, const struct model *m, int advisor, int year, int32_t until,
                         double *pct, int *has);

/* One indicator view of a school year as of `today` (DOMAIN.md section 4): what the
   dashboard shows as HTML and GET /api/v1/indicators as JSON, computed once here.
   full: the organisation, unit and line parts (directors and admins);
   team_visible[t] / advisor_visible[a]: the teams and advisors the viewer may see (NULL:
   all). Advisors without registered hours in the year are left out. */
struct indicator_value {
  double actual, target, target_to_date;
  int has_actual, status; /* status only with has_actual */
};
struct indicator_line {
  int line; /* model index */
  double planned_fte, realized_fte, realization_pct, klv_hours, client_hours;
  int has_planned, has_realized, has_pct;
};
struct indicator_group {
  int group; /* target group, model index; only the groups with a target */
  struct indicator_value reach;
};
struct indicator_scoped {
  int index; /* team or advisor, model index */
  struct klv_summary klv;
};
struct indicator_view {
  int year, full;
  double share; /* prorata_share(year, today) */
  /* full only */
  struct indicator_value fte, reach; /* indicators 1 and 2 */
  double hits;
  struct klv_summary klv;      /* indicator 3, the organisation */
  struct klv_summary units[2]; /* PBD, POC */
  struct indicator_group *groups;
  size_t n_groups;
  struct indicator_line *lines; /* lines with planned or realised FTE */
  size_t n_lines;
  /* what the viewer may see */
  struct indicator_scoped *teams, *advisors;
  size_t n_teams, n_advisors;
};
void indicator_view_build(const struct facts *f, const struct model *m, int year, int32_t today, int full,
                          const unsigned char *team_visible, const unsigned char *advisor_visible,
                          struct indicator_view *v);
void indicator_view_free(struct indicator_view *v);
/* The units of the view's units[], in order: their code and their name. */
extern const char *const indicator_units[2][2];

#endif
