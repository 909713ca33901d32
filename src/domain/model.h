/* SPDX-License-Identifier: EUPL-1.2 */
/* The reference data of a service held in memory: sectors, lines, goals, institutions,
   teams, advisors, target groups, trajectories, settings, plan and targets. Loaded from
   the database in a handful of queries; small (thousands of rows) even for large
   services. Registrations are never held here. */
#ifndef BEREIK_MODEL_H
#define BEREIK_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/util.h"

#define NO_DATE INT32_MIN /* an open start or end */

enum line_kind { KIND_PILLAR, KIND_PROJECT, KIND_OTHER };
enum unit { UNIT_PBD, UNIT_POC };
enum reach_rule { RULE_HOURS, RULE_CONTACT, RULE_TRAJECTORY };

#define N_MODALITIES 6
extern const char *const modality_names[N_MODALITIES];
#define N_ACTIVITIES 7
extern const char *const activity_names[N_ACTIVITIES];

struct sector {
  int64_t id;
  char *code, *name, *grp;
  int position;
};
struct line {
  int64_t id;
  char *code, *name;
  int kind, unit, position;
};
struct goal {
  int64_t id;
  char *code, *name;
  int line; /* index */
};
struct institution {
  int64_t id;
  char *number, *code, *name;
  int sector;             /* index */
  int own, active, board; /* board: index or -1 */
  int32_t start, end;
};
struct team {
  int64_t id;
  char *code, *name;
  int *lines, n_lines;
  int *members, n_members;
};
struct advisor {
  int64_t id;
  char *code, *name, *role;
  double fte;
  int32_t start, end;
  int *teams, n_teams;
};
struct target_group {
  int64_t id;
  char *code, *name;
  int position;
};
/* The EEF implementation phases, in order (docs/IMPACT.md). */
enum phase { PHASE_EXPLORE, PHASE_PREPARE, PHASE_DELIVER, PHASE_SUSTAIN, N_PHASES };
extern const char *const phase_names[N_PHASES];
/* The 14 mechanisms of effective professional development (DOMAIN.md section 5). */
#define N_MECHANISMS 14
extern const char *const mechanism_names[N_MECHANISMS];
/* The outcome of a closed trajectory: its goals and improvement actions realised. */
enum outcome { OUTCOME_NONE = -1, OUTCOME_YES, OUTCOME_PARTLY, OUTCOME_NO, N_OUTCOMES };
extern const char *const outcome_names[N_OUTCOMES];

struct trajectory {
  int64_t id;
  char *ext_id;
  int institution, line, goal; /* indexes, -1 when none */
  char *level, *shared_goal, *action_plan, *status;
  int32_t start, end;
  /* impact (migration 007) */
  int *advisors, n_advisors;    /* indexes of the advisors who keep it */
  int32_t phase_date[N_PHASES]; /* the day it entered each phase, NO_DATE when not */
  int steps, steps_complete;    /* action-plan steps; those with who, when and expected result */
  int outcome;                  /* enum outcome */
  char *outcome_note;
};
/* The phase a trajectory was in on day (the one entered last on or before it), -1 none. */
int trajectory_phase_on(const struct trajectory *t, int32_t day);
/* Whether the trajectory has an action plan: a non-empty action_plan text (DOMAIN.md 4.1)
   or at least one step with who, when and expected result. */
int trajectory_has_plan(const struct trajectory *t);
int parse_phase(const char *s);
int parse_mechanism(const char *s);
int parse_outcome(const char *s);
struct setting {
  int year;
  double hours_per_fte;
  int rule;
  double min_hours;
  int locked;
};
struct plan_row {
  int year;
  int line;
  double planned, coloured;
  int has_coloured;
};
struct target_row {
  int year;
  int tg;
  double target;
};

#define ARR(T, name)                                                                                         \
  T *name;                                                                                                   \
  size_t n_##name, cap_##name

struct model {
  ARR(struct sector, sectors);
  ARR(struct line, lines);
  ARR(struct goal, goals);
  ARR(struct institution, institutions);
  ARR(struct team, teams);
  ARR(struct advisor, advisors);
  ARR(struct target_group, target_groups);
  ARR(struct trajectory, trajectories);
  ARR(struct setting, settings);
  ARR(struct plan_row, plan);
  ARR(struct target_row, targets);
  /* code -> index */
  struct strmap sector_by_code, line_by_code, goal_by_code, inst_by_number, inst_by_code, team_by_code,
      advisor_by_code, tg_by_code, traj_by_ext;
  /* database id -> index, for the registration streams */
  int *line_of_id, *inst_of_id, *advisor_of_id, *tg_of_id, *traj_of_id, *goal_of_id;
  /* the trajectories of institution i: inst_traj[inst_traj_start[i] .. inst_traj_start[i + 1]) */
  int *inst_traj_start, *inst_traj;
  int64_t max_line_id, max_inst_id, max_advisor_id, max_tg_id, max_traj_id, max_goal_id;
};

struct db;
/* Loads everything; returns 0, or -1 with a message in err. Free with model_free. */
int model_load(struct db *db, struct model *m, char *err, size_t errlen);
void model_free(struct model *m);

/* Lookups returning an index or -1. */
int model_line(const struct model *m, const char *code);
int model_goal(const struct model *m, const char *code);
int model_sector(const struct model *m, const char *code);
int model_team(const struct model *m, const char *code);
int model_advisor(const struct model *m, const char *code);
int model_tg(const struct model *m, const char *code);
int model_trajectory(const struct model *m, const char *ext_id);
/* By number first, then by code. */
int model_institution(const struct model *m, const char *number_or_code);

/* Settings of a year, with the defaults of DOMAIN.md when the year has no row. */
struct setting model_setting(const struct model *m, int year);
int model_year_locked(const struct model *m, int year);
/* 1 when [start, end] (NO_DATE = open) overlaps [a, b]. */
int ranges_overlap(int32_t start, int32_t end, int32_t a, int32_t b);
/* Whether an advisor is employed on a day. */
int advisor_employed_on(const struct advisor *a, int32_t day);

int parse_modality(const char *s);
int parse_activity(const char *s);
const char *reach_rule_name(int rule);
int parse_reach_rule(const char *s);
/* Reserved fact row names. */
int is_sector_group_name(const struct model *m, const char *s);

#endif
