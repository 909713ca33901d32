/* SPDX-License-Identifier: EUPL-1.2 */
/* The one door to the reference data, row by row: the lines, goals, plan, institutions,
   sectors, advisors, teams, target groups, targets, trajectories, settings and
   professional-development spending of the dataset (DATA-FORMAT.md section 1). The web's
   Beheer pages and the API's reference resources read, write and delete rows here and
   hold no SQL and no files of their own.

   A row is its canonical cells in the file's column order. A write is the dataset
   import of one row from memory (the same rules, messages and all-or-nothing
   transaction as a file), and records one audit entry of the row before and after, both
   read inside that transaction. A delete refuses a row of a locked school year and a
   row still referenced. Problems go to the caller's sink as (column, message), which
   each adapter shows its own way: beside the field, as problem+json, as FILE:LINE. */
#ifndef BEREIK_REFDATA_H
#define BEREIK_REFDATA_H

#include <stddef.h>
#include <stdint.h>

#include "io/dataset.h"

struct buf;
struct db;

/* Every row of one file, as the dataset export writes them (sorted by key). */
struct ref_table {
  int fid;
  int ncols;
  size_t n;
  char ***rows; /* rows[i][c]: canonical text, "" when empty */
};

/* Loads the rows of file fid in one snapshot of their own (in_tx = 0) or inside the
   caller's transaction (in_tx = 1). 0 or -1; free the table in either case. */
int refdata_load(struct db *db, int fid, struct ref_table *t, int in_tx);
void refdata_free(struct ref_table *t);
/* The row whose key columns equal keys[0..nkey) (NULL entries never match), or -1. */
long refdata_find(const struct ref_table *t, const char *const *keys);
/* The key of a row as people read it: "2025-2026 / P3". */
void refdata_key_text(int fid, char *const *row, struct buf *out);
/* A row as the JSON object of the audit trail: {"column": "text", ...}. */
void refdata_row_json(int fid, char *const *row, struct buf *out);

/* What a write or delete met. */
enum ref_result {
  REF_OK = 0,
  REF_INVALID = 1,   /* problems went to the sink; nothing changed */
  REF_NOT_FOUND = 2, /* no such row (delete) */
  REF_LOCKED = 3,    /* the row belongs to a locked school year (delete) */
  REF_IN_USE = 4,    /* other rows refer to it (delete) */
  REF_FAILED = -1,   /* the database failed; nothing changed */
};

struct ref_change {
  const char *actor; /* login, for the audit trail */
  int64_t now;       /* seconds since the epoch */
  const char *lang;  /* "nl" or "en": the language of the messages */
  void (*problem)(void *arg, const char *column, const char *message);
  void *arg;
};

/* Creates or changes the row of file fid named by its key columns, which must be among
   the n columns given (names[i] = values[i], file text as in a CSV cell). A column not
   given keeps its stored value (or its default in a new row). */
int refdata_put(struct db *db, int fid, int n, const char *const *names, const char *const *values,
                const struct ref_change *c);
/* Deletes the row whose key columns equal keys[]; the team's lines and an advisor's
   teams go with it. Files without deletion (settings, registrations) give REF_FAILED. */
int refdata_delete(struct db *db, int fid, const char *const *keys, const struct ref_change *c);
/* Whether rows of file fid can be deleted here. */
int refdata_deletable(int fid);

/* The choices a column naming rows of another file offers, in order: code and name
   ("line", "sector", "goal", "target_group", "advisor", "board", "institution"; the
   list columns "lines" and "teams" give codes with name NULL). Returns how many, -1
   for a column that names no other file or on a database error. */
typedef void (*refdata_choice_fn)(void *ctx, const char *code, const char *name);
int refdata_choices(struct db *db, const char *column, refdata_choice_fn fn, void *ctx);
/* Whether column names rows of another file (refdata_choices has choices for it). */
int refdata_refers(const char *column);

#endif
