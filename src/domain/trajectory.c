/* SPDX-License-Identifier: EUPL-1.2 */
#include "domain/trajectory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "domain/model.h"

/* Whether advisor index a belongs to a team that advisor index coord coordinates: a
   coordinator steers the teams they are a member of. */
static int shares_team(const struct model *m, int coord, int a) {
  const struct advisor *c = &m->advisors[coord], *x = &m->advisors[a];
  for (int i = 0; i < c->n_teams; i++)
    for (int j = 0; j < x->n_teams; j++)
      if (c->teams[i] == x->teams[j]) return 1;
  return 0;
}

static int user_advisor(const struct model *m, int64_t advisor_id) {
  if (advisor_id <= 0 || advisor_id > m->max_advisor_id) return -1;
  return m->advisor_of_id[advisor_id];
}

static int keeps(const struct trajectory *t, int a) {
  for (int i = 0; i < t->n_advisors; i++)
    if (t->advisors[i] == a) return 1;
  return 0;
}

enum traj_access trajectory_access_by(const struct model *m, int role, int64_t advisor_id, int t) {
  if (t < 0 || (size_t)t >= m->n_trajectories) return TRAJ_NONE;
  if (role == TROLE_DIRECTOR || role == TROLE_ADMIN) return TRAJ_WRITE;
  const struct trajectory *tr = &m->trajectories[t];
  int me = user_advisor(m, advisor_id);
  if (me < 0) return TRAJ_NONE;
  if (keeps(tr, me)) return TRAJ_WRITE;
  if (role == TROLE_COORDINATOR) {
    if (!tr->n_advisors) return TRAJ_WRITE;
    for (int i = 0; i < tr->n_advisors; i++)
      if (shares_team(m, me, tr->advisors[i])) return TRAJ_WRITE;
  }
  return TRAJ_NONE;
}

int trajectory_open_answers_by(const struct model *m, int role, int64_t advisor_id, int t) {
  if (t < 0 || (size_t)t >= m->n_trajectories) return 0;
  const struct trajectory *tr = &m->trajectories[t];
  int me = user_advisor(m, advisor_id);
  if (me < 0) return 0;
  if (keeps(tr, me)) return 1;
  if (role != TROLE_COORDINATOR) return 0;
  for (int i = 0; i < tr->n_advisors; i++)
    if (shares_team(m, me, tr->advisors[i])) return 1;
  return 0;
}

int trajectory_followups(struct db *db, const char *ext_id, followup_fn fn, void *ctx) {
  struct db_stmt *st =
      db_prepare(db, "SELECT f.ext_id, f.date, f.note, f.next_step, "
                     "(SELECT MIN(r.ext_id) FROM followup_registration fr JOIN registration r "
                     "ON r.id = fr.registration_id WHERE fr.followup_id = f.id) "
                     "FROM followup f JOIN trajectory t ON t.id = f.trajectory_id "
                     "WHERE t.ext_id = ? ORDER BY f.date, f.id");
  if (!st) return -1;
  db_bind_text(st, 1, ext_id);
  int rc;
  while ((rc = db_step(st)) == DB_ROW)
    fn(ctx, db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3),
       db_col_text(st, 4));
  db_finalize(st);
  return rc == DB_ERROR ? -1 : 0;
}

int trajectory_mechanisms(struct db *db, const char *ext_id, int64_t *counts, int64_t *linked,
                          int64_t *followed) {
  *linked = *followed = 0;
  struct db_stmt *st = db_prepare(db, "SELECT COUNT(*), SUM(CASE WHEN r.followup = 1 THEN 1 ELSE 0 END) "
                                      "FROM registration r JOIN trajectory t ON t.id = r.trajectory_id "
                                      "WHERE t.ext_id = ?");
  if (!st) return -1;
  db_bind_text(st, 1, ext_id);
  if (db_step(st) == DB_ROW) {
    *linked = db_col_int64(st, 0);
    *followed = db_col_is_null(st, 1) ? 0 : db_col_int64(st, 1);
  }
  db_finalize(st);
  st = db_prepare(
      db, "SELECT rm.mechanism, COUNT(*) FROM registration_mechanism rm "
          "JOIN registration r ON r.id = rm.registration_id JOIN trajectory t ON t.id = r.trajectory_id "
          "WHERE t.ext_id = ? GROUP BY rm.mechanism");
  if (!st) return -1;
  db_bind_text(st, 1, ext_id);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    int k = parse_mechanism(db_col_text(st, 0));
    if (k >= 0) counts[k] = db_col_int64(st, 1);
  }
  db_finalize(st);
  return rc == DB_ERROR ? -1 : 0;
}

static char *dup_text(const char *s) { return strdup(s ? s : ""); }

int trajectory_steps(struct db *db, const char *ext_id, struct traj_step *steps, int max) {
  struct db_stmt *st = db_prepare(db, "SELECT s.what, s.who, s.due, s.expected, s.done FROM action_step s "
                                      "JOIN trajectory t ON t.id = s.trajectory_id WHERE t.ext_id = ? "
                                      "ORDER BY s.step");
  if (!st) return 0;
  db_bind_text(st, 1, ext_id);
  int n = 0;
  while (n < max && db_step(st) == DB_ROW) {
    steps[n].what = dup_text(db_col_text(st, 0));
    steps[n].who = dup_text(db_col_text(st, 1));
    steps[n].due = dup_text(db_col_text(st, 2));
    steps[n].expected = dup_text(db_col_text(st, 3));
    steps[n].done = db_col_int64(st, 4) != 0;
    n++;
  }
  db_finalize(st);
  return n;
}

void trajectory_steps_free(struct traj_step *steps, int n) {
  for (int i = 0; i < n; i++) {
    free((char *)steps[i].what);
    free((char *)steps[i].who);
    free((char *)steps[i].due);
    free((char *)steps[i].expected);
  }
}

int registration_mechanisms(struct db *db, const char *ext_id, char *out, size_t n) {
  out[0] = 0;
  struct db_stmt *st = db_prepare(db, "SELECT rm.mechanism FROM registration_mechanism rm "
                                      "JOIN registration r ON r.id = rm.registration_id WHERE r.ext_id = ?");
  if (!st) return -1;
  db_bind_text(st, 1, ext_id);
  int used[N_MECHANISMS] = {0}, rc;
  while ((rc = db_step(st)) == DB_ROW) {
    int k = parse_mechanism(db_col_text(st, 0));
    if (k >= 0) used[k] = 1;
  }
  db_finalize(st);
  size_t len = 0;
  for (int k = 0; k < N_MECHANISMS; k++)
    if (used[k] && len < n)
      len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "|" : "", mechanism_names[k]);
  return rc == DB_ERROR ? -1 : 0;
}
