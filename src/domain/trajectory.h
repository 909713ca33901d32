/* SPDX-License-Identifier: EUPL-1.2 */
/* Trajectories kept by their advisors (docs/IMPACT.md): who may see and change one. The
   writes go through io/impact.h (the dataset import of their rows). */
#ifndef BEREIK_TRAJECTORY_H
#define BEREIK_TRAJECTORY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct db;
struct model;
struct user;

/* One step of a trajectory's action plan. */
#define TRAJ_MAX_STEPS 20
struct traj_step {
  const char *what, *who, *due, *expected; /* due: YYYY-MM-DD or empty */
  int done;
};

enum traj_access { TRAJ_NONE, TRAJ_READ, TRAJ_WRITE };
/* The roles in the order of http/auth.h's enum role (checked there). */
enum traj_role { TROLE_ADVISOR, TROLE_COORDINATOR, TROLE_DIRECTOR, TROLE_ADMIN };
enum traj_access trajectory_access_by(const struct model *m, int role, int64_t advisor_id, int t);
int trajectory_open_answers_by(const struct model *m, int role, int64_t advisor_id, int t);
/* The same for a signed-in user (defined in http/auth.c). */
/* What user u may do with trajectory t (model index): its advisors, the coordinators of
   a team one of its advisors belongs to, directors and admins read and write it; other
   users nothing (TRAJ_NONE: the pages answer 404, as for a trajectory that does not
   exist). A trajectory without advisors (made by an import before advisors kept them) is
   kept by every coordinator, the directors and the admins. */
enum traj_access trajectory_access(const struct model *m, const struct user *u, int t);
/* Whether u may read the open answers of surveys on trajectory t: its advisors and the
   coordinators of their teams (not directors or admins, docs/IMPACT.md). */
int trajectory_open_answers_allowed(const struct model *m, const struct user *u, int t);

/* Reads, inside the caller's transaction (the trajectory by its id; nothing when unknown). */
/* The follow-up entries, oldest first. */
typedef void (*followup_fn)(void *ctx, const char *id, const char *date, const char *note,
                            const char *next_step, const char *registration);
int trajectory_followups(struct db *db, const char *ext_id, followup_fn fn, void *ctx);
/* The registrations linked to it (all, and those with follow-up) and how many of them
   used each mechanism (counts[N_MECHANISMS], model order). */
int trajectory_mechanisms(struct db *db, const char *ext_id, int64_t *counts, int64_t *linked,
                          int64_t *followed);
/* The steps of its action plan in order, at most max; their strings are malloc'd (free
   with trajectory_steps_free). Returns how many. */
int trajectory_steps(struct db *db, const char *ext_id, struct traj_step *steps, int max);
void trajectory_steps_free(struct traj_step *steps, int n);
/* The mechanisms of registration EXT_ID as a '|' list in model order into out. */
int registration_mechanisms(struct db *db, const char *ext_id, char *out, size_t n);

#endif
