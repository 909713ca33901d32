/* SPDX-License-Identifier: EUPL-1.2 */
/* The impact measures of the 2025-2030 plan (docs/IMPACT.md): the evidence-informed middle
   indicators per scope and school year, in the long format of the facts (table "impact",
   row = scope, col = measure) so the dashboard, the API, the CLI and the report's Impact
   section read the same numbers. They are kept apart from facts_compute's tables: the
   facts of DATA-FORMAT.md section 2 stay as the contract defines them.

   Scopes (rows): "org", "unit:pbd", "unit:poc", "team:CODE", "line:CODE", "goal:CODE",
   "advisor:CODE". A trajectory belongs to the organisation, to the unit and line of its
   line, to its goal, to each of its advisors and to each team one of its advisors is in
   (once). A registration (mechanisms) and a survey likewise through its line, goal and
   advisors (a survey on a registration through that registration; on a trajectory through
   the trajectory).

   Measures (cols) of a school year Y:
     active            trajectories active in Y (start/end overlap Y, status not planned)
     goal_plan         of those, with a shared goal and an action plan
     goal_plan_share   goal_plan / active
     phase_explore .. phase_sustain, phase_none
                       active trajectories by the phase they were in on the last day of Y
                       (or today when Y is running)
     closed            trajectories closed whose end lies in Y (or, without an end, active in Y)
     outcome_yes, outcome_partly, outcome_no, outcome_unknown
     realised_share    outcome_yes / closed
     mech_registrations  client registrations of Y with at least one mechanism ticked
     mech_NAME         client registrations of Y that used mechanism NAME
     short_n, long_n   survey responses of Y (surveys created in Y) by questionnaire kind
     short_mean, long_mean   mean of every scale answer of those responses; only when the
                       scope has at least 5 responses (the privacy threshold)
     reached           own institutions reached in Y (under Y's rule) with a trajectory of
                       the scope active in Y (goal and line rows; org: all reached) */
#ifndef BEREIK_IMPACT_MEASURES_H
#define BEREIK_IMPACT_MEASURES_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct model;
struct facts;

#define IMPACT_THRESHOLD 5

/* Appends the impact facts of the given school years to out (and indexes it). today: days
   since the epoch (the phase of a running year is today's). Returns 0 or -1 with err. */
int impact_compute(struct db *db, const struct model *m, const int *years, int n_years, int32_t today,
                   struct facts *out, char *err, size_t errlen);

#endif
