/* SPDX-License-Identifier: EUPL-1.2 */
/* The aggregates behind the facts (migration 012): integer sums per school year,
   measure and key that every registration write changes by the delta of that
   registration, in the same transaction as the write. The facts of a year
   (measures/facts.h) are then formed from these few thousand rows instead of a pass
   over every registration, so a dashboard stays fast while registrations keep coming.

   The keys are database ids, never positions in the reference data, and nothing of the
   reference data is baked in: a registration contributes its minutes to the pair
   (institution, trajectory) and the facts decide when they are read whether that
   trajectory is the institution's own. Changing a trajectory, a line's unit or an
   advisor's teams therefore leaves the aggregates right.

   Writers: reg_write_exec, registration_delete and registration_remove_advisor apply
   the delta themselves (domain/registration.h); the dataset import collects the deltas
   of its rows in memory and writes their sums once before it commits. A database whose
   aggregates are not valid (it had registrations before migration 012) is read the slow
   way until agg_rebuild runs (init, import and serve run it). */
#ifndef BEREIK_AGGREGATE_H
#define BEREIK_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

struct db;

enum agg_measure {
  AGG_REGISTRATIONS = 1, /* registrations (k1 = k2 = 0) */
  AGG_LINE_REGISTERED,   /* advisor-minutes, all kinds (k1 = line) */
  AGG_LINE_KLV,          /* advisor-minutes, client (k1 = line) */
  AGG_LINE_CLIENT,       /* client-minutes: minutes x institutions (k1 = line) */
  AGG_LINE_MODALITY,     /* client-minutes (k1 = line, k2 = modality index) */
  AGG_ADV_REGISTERED,    /* minutes, all kinds (k1 = advisor) */
  AGG_ADV_KLV,           /* minutes, client (k1 = advisor) */
  AGG_INST_HITS,         /* client registrations (k1 = institution) */
  AGG_INST_TRAJ_MINUTES, /* minutes of client registrations (k1 = institution, k2 = trajectory or 0) */
  AGG_TRAJ_FOLLOWUP,     /* client registrations with follow-up (k1 = trajectory) */
  AGG_TARGET_GROUP,      /* head counts of client registrations (k1 = target group) */
  AGG_WEEK_REGISTERED,   /* advisor-minutes, all kinds (k1 = week of the school year) */
  AGG_WEEK_KLV,          /* advisor-minutes, client (k1 = week) */
  /* not a fact: an advisor's minutes on one day (k1 = advisor, k2 = the day as days since
     1970-01-01), for the daily bound (registration_check_day) in one lookup */
  AGG_ADVISOR_DAY,
  /* the management views of the organisation (measures/views.h), not facts: */
  AGG_LINE_WEEK_REGISTERED, /* advisor-minutes, all kinds (k1 = line, k2 = week) */
  AGG_LINE_WEEK_KLV,        /* advisor-minutes, client (k1 = line, k2 = week) */
  AGG_GOAL_INST,            /* client registrations (k1 = operational goal or 0, k2 = institution) */
  AGG_TG_MINUTES,           /* minutes of client registrations with a head count (k1 = target group) */
  AGG_ACTIVITY,             /* advisor-minutes, internal (k1 = activity index, model.h) */
  AGG_MEASURES
};
/* AGG_ADVISOR_DAY in SQL text */
#define AGG_ADVISOR_DAY_SQL "14"
/* The measures the facts read (those before AGG_ADVISOR_DAY). */
#define AGG_FACT_MEASURES AGG_ADVISOR_DAY
/* agg_state.valid of aggregates that hold every measure above; 1 was the measures up to
   AGG_ADVISOR_DAY (before the views' measures), and such a database is read the slow
   way until its aggregates are built again (migration 016). */
#define AGG_STATE_VALID 2
#define AGG_STATE_VALID_SQL "2"

/* Sums in memory, keyed by (school year, measure, k1, k2). */
struct agg_entry {
  int32_t year, measure;
  int64_t k1, k2, value;
};
struct agg_acc {
  struct agg_entry *slot; /* open addressing; measure 0 = empty */
  size_t cap, n;
};
void agg_acc_init(struct agg_acc *a);
void agg_acc_free(struct agg_acc *a);
void agg_acc_add(struct agg_acc *a, int year, int measure, int64_t k1, int64_t k2, int64_t v);
/* The entry of a key, or NULL. */
const struct agg_entry *agg_acc_get(const struct agg_acc *a, int year, int measure, int64_t k1, int64_t k2);

/* One registration as the aggregates see it (every id a database id; 0 = none). */
struct agg_reg {
  const char *date, *kind, *modality, *activity;
  int64_t minutes, line_id, goal_id, traj_id;
  int followup; /* 1: follow-up planned */
  const int64_t *advisors, *institutions;
  int na, ni;
  const int64_t *counts; /* nc pairs (target group id, head count) */
  int nc;
};
/* Adds sign (+1 or -1) times the registration's contribution. A date that does not
   parse contributes nothing (the facts skip it too). */
void agg_emit(struct agg_acc *a, const struct agg_reg *r, int sign);
/* Adds sign times the contribution of the stored registration with internal id id
   (nothing when there is none). 0, or -1 on a database error. */
int agg_emit_stored(struct db *db, int64_t id, int sign, struct agg_acc *a);
/* Writes the non-zero sums into agg (added to what is there) and empties a; inside the
   caller's write transaction. 0, or -1 on a database error. */
int agg_flush(struct db *db, struct agg_acc *a);

/* An advisor's minutes on a day (days since the epoch) as the aggregates hold them. */
int64_t agg_advisor_day(struct db *db, int64_t advisor_id, int32_t day, int *ok);
/* 1 when agg is valid (agg_state.valid = AGG_STATE_VALID), 0 when not, -1 on a database
   error. */
int agg_valid(struct db *db);
/* The sums of every stored registration, computed by one pass over them. */
int agg_recompute(struct db *db, struct agg_acc *out, char *err, size_t errlen);
/* Replaces agg by agg_recompute and marks it valid, inside the caller's write
   transaction. 0, or -1 with a message. */
int agg_rebuild(struct db *db, char *err, size_t errlen);
/* agg_rebuild when agg is not valid (registrations from before migration 012), inside the
   caller's write transaction: 1 when it rebuilt, 0 when agg was valid, -1 with a message. */
int agg_ensure(struct db *db, char *err, size_t errlen);
/* Compares agg with agg_recompute (in the caller's read transaction): the number of keys
   whose sums differ (0: equal), or -1 with a message. Each difference is described on
   out (NULL: not described), at most max of them. */
int agg_compare(struct db *db, void *out_file, int max, char *err, size_t errlen);

#endif
