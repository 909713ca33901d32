/* SPDX-License-Identifier: EUPL-1.2 */
/* The door to the impact objects an advisor keeps (docs/IMPACT.md): a trajectory with its
   advisors, action-plan steps and outcome; a follow-up entry; a phase change; the EEF
   mechanisms of a registration. Each write is the dataset import of its rows from memory
   (trajectories.csv, trajectory_advisors.csv, action_steps.csv, trajectory_outcomes.csv,
   followups.csv, trajectory_phases.csv, mechanisms.csv): the same rules, messages, locked
   years and all-or-nothing transaction as a file, plus one audit entry of the object
   before and after. The advisors and the steps of a saved trajectory, and the mechanisms
   of a registration, are replaced by the ones given. Access is the caller's check
   (domain/trajectory.h). Problems go to c->problem as (column, message). */
#ifndef BEREIK_IMPACT_H
#define BEREIK_IMPACT_H

#include <stddef.h>

#include "domain/trajectory.h"
#include "io/refdata.h"

/* The fields of a trajectory as a form or the API gives them (file text; NULL = empty). */
struct traj_form {
  const char *id; /* empty: a new trajectory, its id made here */
  const char *institution, *line, *goal, *level, *shared_goal, *action_plan, *start, *end, *status;
  const char *advisors; /* advisor codes separated by '|', ',' or spaces */
  struct traj_step steps[TRAJ_MAX_STEPS];
  int nsteps;
  const char *outcome, *outcome_note; /* outcome empty: none (yet) */
};

/* Creates or changes a trajectory; id_out (at least 32 bytes) receives its id. */
int impact_trajectory_save(struct db *db, const struct traj_form *f, char *id_out, size_t id_len,
                           const struct ref_change *c);
/* Adds a follow-up entry (date, what happened, next step, optionally the registration it
   follows up); id_out receives its id. */
int impact_followup_add(struct db *db, const char *trajectory, const char *date, const char *note,
                        const char *next_step, const char *registration, char *id_out, size_t id_len,
                        const struct ref_change *c);
/* Records that the trajectory entered phase (explore|prepare|deliver|sustain) on date. */
int impact_phase_set(struct db *db, const char *trajectory, const char *phase, const char *date,
                     const struct ref_change *c);
/* Replaces the mechanisms of registration REG by the '|' list given (may be empty). */
int impact_mechanisms_set(struct db *db, const char *registration, const char *mechanisms,
                          const struct ref_change *c);

#endif
