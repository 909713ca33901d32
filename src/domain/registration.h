/* SPDX-License-Identifier: EUPL-1.2 */
/* A registration's rules, shared by every way in (the dataset import, the web form, and
   later the API): canonical form, validation with problems per field in English and
   Dutch, and the write. Values are the canonical texts of registrations.csv's columns
   (see io/dataset.h), indexed by the R_* constants, then one count per target group. */
#ifndef BEREIK_REGISTRATION_H
#define BEREIK_REGISTRATION_H

#include <stddef.h>
#include <stdint.h>

#include "domain/aggregate.h"

struct db;
struct db_stmt;
struct model;

enum {
  R_ID,
  R_DATE,
  R_MINUTES,
  R_KIND,
  R_LINE,
  R_GOAL,
  R_ADVISORS,
  R_INSTITUTIONS,
  R_MODALITY,
  R_ACTIVITY,
  R_TRAJECTORY,
  R_LEVEL,
  R_FOLLOWUP,
  R_DESCRIPTION,
  N_REG_BASE
};

enum reg_code {
  RP_MINUTES_RANGE,
  RP_KIND_UNKNOWN,
  RP_LINE_UNKNOWN,
  RP_GOAL_UNKNOWN,
  RP_GOAL_OTHER_LINE,
  RP_ADVISOR_REQUIRED,
  RP_TOO_MANY,
  RP_ADVISOR_UNKNOWN,
  RP_ADVISOR_NOT_EMPLOYED,
  RP_ADVISOR_TWICE,
  RP_INSTITUTION_UNKNOWN,
  RP_INSTITUTION_TWICE,
  RP_COUNT_NEGATIVE,
  RP_CLIENT_NO_INSTITUTION,
  RP_CLIENT_NO_MODALITY,
  RP_MODALITY_UNKNOWN,
  RP_CLIENT_ACTIVITY,
  RP_TRAJECTORY_UNKNOWN,
  RP_TRAJECTORY_INSTITUTION,
  RP_LEVEL_UNKNOWN,
  RP_INTERNAL_NO_ACTIVITY,
  RP_ACTIVITY_UNKNOWN,
  RP_INTERNAL_INSTITUTIONS,
  RP_INTERNAL_MODALITY,
  RP_INTERNAL_TRAJECTORY,
  RP_INTERNAL_LEVEL,
  RP_INTERNAL_FOLLOWUP,
  RP_INTERNAL_COUNTS,
  RP_YEAR_LOCKED,
  RP_DATE_INVALID,
  RP_COUNT_NOT_INTEGER,
  RP_SAVE_FAILED,
  RP_DATE_REQUIRED,
  RP_MINUTES_REQUIRED,
  RP_DATE_TOO_EARLY,
  RP_DATE_FUTURE,
  RP_COUNT_TOO_LARGE,
  RP_DAY_TOTAL,
  RP_ID_INVALID,
  RP_TEXT_UTF8,
  RP_TEXT_CONTROL,
  RP_TEXT_TOO_LONG,
  RP_COADVISOR_SELF_ONLY,
  RP_RATE_LIMITED,
  RP_COUNT
};

#define REG_MAX_PROBLEMS 64
#define REG_MAX_LINKS 256

struct reg_problem {
  int col; /* R_* or N_REG_BASE + target group index */
  int code;
  char arg[3][128];
};

struct reg_problems {
  struct reg_problem p[REG_MAX_PROBLEMS];
  int n;
};

/* Renders a problem in "en" or "nl". */
void reg_problem_text(const struct reg_problem *p, const char *lang, char *out, size_t n);
/* The column name of a problem (registrations.csv's header). */
const char *reg_col_name(const struct model *m, int col, char buf[128]);

/* Canonical references: advisors sorted by code, institutions as numbers sorted (by
   number or code), follow-up only on client registrations, zero counts empty. Unknown
   or repeated advisors/institutions are problems. v entries are malloc'd strings and
   may be replaced. */
void registration_canonicalize(const struct model *m, char **v, struct reg_problems *out);

/* The result of registration_check: the problems and every reference resolved. */
struct reg_check {
  struct reg_problems problems;
  int client, line, goal, traj; /* model indexes, -1 when none */
  int64_t minutes;
  int na, ni;
  int adv[REG_MAX_LINKS], inst[REG_MAX_LINKS];
};

/* Every rule of DATA-FORMAT.md section 1 that concerns one registration row, except the
   locked years (the caller knows which years count as locked), and the bounds of
   domain/bounds.h that need no database: the text of every field (valid UTF-8, no
   control characters, a maximum length: a field with such a fault stops the other
   checks), the id, the date from bounds_first_day up to bounds_today, minutes, head
   counts 0..BOUND_COUNT_MAX. */
void registration_check(const struct model *m, char **v, struct reg_check *out);

/* The daily bound, inside the caller's write transaction: no advisor of the checked
   registration c may pass BOUND_DAY_MINUTES on its date, counting every stored
   registration of that day that names them (as author or co-advisor) except the one
   with internal id self (0: none). Adds RP_DAY_TOTAL problems to c (on the minutes).
   Returns 0, or -1 on a database error. */
int registration_check_day(struct db *db, const struct model *m, char **v, struct reg_check *c, int64_t self);

/* Renders the text fault of bounds_text (TEXT_*) as a registration problem on col. */
void registration_text_problem(struct reg_problems *ps, int col, int fault, size_t max, size_t chars);

/* Prepared statements for writing registrations on one connection, and the deltas of
   the aggregates behind the facts (domain/aggregate.h) that the writes make. */
struct reg_statements {
  struct db_stmt *insert, *update, *ra_insert, *ri_insert, *rc_insert, *ra_delete, *ri_delete, *rc_delete;
  struct db *db;
  int agg_on;            /* -1: not known yet (read at the first write, inside its transaction) */
  int agg_batch;         /* 1: collect the deltas until reg_statements_flush (the import), or until
                            REG_AGG_BATCH_KEYS keys are collected (at most 48 MB with the flush's
                            sorted copy), so that memory stays bounded; 65,536 made the wide
                            shape's PostgreSQL import 20% slower, its per-year keys written again
                            by every flush (docs/PERFORMANCE.md) */
  size_t agg_batch_keys; /* REG_AGG_BATCH_KEYS */
  struct agg_acc agg;
  /* 1: new registrations are collected as rows in COPY format and bulk loaded (db_copy_in)
     every REG_COPY_ROWS registrations and at reg_statements_flush: the import into an empty
     registration table on PostgreSQL; nothing may read them before the flush */
  int copy;
  size_t copy_rows;
  struct buf *copy_buf; /* 4: registration, _advisor, _institution, _count */
};
#define REG_COPY_ROWS 20000
#define REG_AGG_BATCH_KEYS 524288
int reg_statements_prepare(struct db *db, struct reg_statements *s);
/* Loads the collected rows (copy) and writes the collected deltas (agg_batch) into the
   aggregates, inside the write transaction: 0, or -1 on a database error. */
int reg_statements_flush(struct reg_statements *s);
/* Finalizes the statements; deltas not flushed are dropped. */
void reg_statements_finalize(struct reg_statements *s);

/* A registration ready to be written: every reference resolved to a database id. */
enum { REG_TEXTS = 7 }; /* ext_id, date, kind, modality, activity, level, description */
struct reg_write {
  int64_t id, minutes, line_id, goal_id, traj_id; /* 0 = none */
  int existed, followup;                          /* followup -1 = none */
  /* 1 for the dataset import: created_at and updated_at stay as they are (NULL in a new
     row: an imported registration has an unknown registration lag, docs/QUALITY.md);
     0 (every other way in): created_at is set on insert and updated_at on every write,
     both to the server's clock in UTC ('YYYY-MM-DDTHH:MM:SSZ') */
  int imported;
  int na, ni, nc;
  char *text[REG_TEXTS]; /* NULL = SQL NULL */
  int64_t links[];       /* na advisor ids, ni institution ids, nc (target group id, count) */
};

/* Builds the write of a checked registration (id: its internal id). */
struct reg_write *reg_write_new(const struct model *m, char **v, const struct reg_check *c, int64_t id,
                                int existed);
void reg_write_free(struct reg_write *w);
/* Executes it. Returns NULL, or what failed. */
const char *reg_write_exec(struct reg_statements *s, const struct reg_write *w);

/* ---- the stored registration: one value type for every way in ----
   A registration's values are v[0 .. N_REG_BASE + m->n_target_groups): the canonical
   texts of registrations.csv (advisors as sorted codes, institutions as sorted numbers,
   follow-up "true"/"false"/"", zero counts ""), each a malloc'd string. */

/* The audit trail's JSON object of a registration: {"column": "text", ...} over every
   column of registrations.csv, target groups as tg.CODE (NULL entries as ""). */
struct buf;
void registration_audit_json(const struct model *m, char *const *v, struct buf *j);
/* Loads registration id (internal) into v (the caller's array of that many entries,
   NULL or malloc'd; replaced). Returns 0, 1 when it does not exist, -1 on a database
   error. */
int registration_load(struct db *db, const struct model *m, int64_t id, char **v);
/* The internal id of the registration with that id (ext_id), 0 when there is none, -1
   on a database error. */
int64_t registration_id_of(struct db *db, const char *ext_id);
/* The internal id a new registration gets (inside the write transaction). */
int64_t registration_next_id(struct db *db);
/* Deletes registration id with its links and counts (inside the write transaction).
   0 or -1. */
int registration_delete(struct db *db, int64_t id);
/* created_at of registration id (internal) as stored ('YYYY-MM-DDTHH:MM:SSZ', UTC), or
   "" when unknown (imported rows); the form's undo window. 0, or -1 on a database error. */
int registration_created_at(struct db *db, int64_t id, char out[32]);
/* Sets created_at and updated_at of registration ext_id (audit-time text) as if it had
   been entered then: the demo's history of registrations entered through the web
   (inside the caller's write transaction). 0, or -1 on a database error. */
int registration_set_entered(struct db *db, const char *ext_id, const char *at);
/* Takes advisor advisor_id (internal) off registration id: a co-advisor leaving a
   registration that stays (inside the write transaction). 0 or -1. */
int registration_remove_advisor(struct db *db, int64_t id, int64_t advisor_id);

/* ---- lists of registrations (what pages and the API show; no SQL above the domain) ---- */

/* The internal id of advisor_id's latest registration (by date, then id): 0 when there
   is none, -1 on a database error. */
int64_t registration_latest_of(struct db *db, int64_t advisor_id);
/* The internal id of registration ext_id when advisor_id is one of its advisors; 0
   otherwise, -1 on a database error. */
int64_t registration_of_advisor(struct db *db, int64_t advisor_id, const char *ext_id);

/* A registration as a list shows it (malloc'd strings; description NULL when empty;
   institutions: their codes in code order, joined by ", "). */
struct reg_brief {
  int64_t id, minutes;
  char *ext_id, *date, *kind, *line_name, *description, *institutions;
};
struct reg_briefs {
  struct reg_brief *items;
  size_t n;
};
/* advisor_id's registrations from `from` to `to` (inclusive, YYYY-MM-DD) in date order;
   or, with from NULL, their latest `limit` newest first. 0 or -1 (out is then empty). */
int registration_briefs(struct db *db, int64_t advisor_id, const char *from, const char *to, int limit,
                        struct reg_briefs *out);
void registration_briefs_free(struct reg_briefs *b);

/* A search over registrations (the API's list): every field 0 / "" / NULL for "any".
   scope: 0 everybody's, 1 scope_advisor's own, 2 also those of the members of
   scope_advisor's teams. The list continues after (after_date, after_id), ordered by
   date and id. */
struct reg_filter {
  const char *from, *to; /* inclusive dates */
  int64_t line_id, advisor_id, institution_id;
  const char *kind; /* "client", "internal" or "" */
  int scope;
  int64_t scope_advisor;
  const char *after_date; /* "" for the start */
  int64_t after_id;
};
/* Writes the internal ids of at most max matches to ids. Returns how many, or -1. */
int registration_find(struct db *db, const struct reg_filter *f, int64_t *ids, int max);

/* Registrations linked to each trajectory with a date from..to (inclusive): linked[t]
   and with follow-up follow[t], t the model's trajectory index (arrays of
   m->n_trajectories, zeroed by the caller). 0 or -1. */
int registration_trajectory_links(struct db *db, const struct model *m, const char *from, const char *to,
                                  int64_t *linked, int64_t *follow);

#endif
