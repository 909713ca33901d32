/* SPDX-License-Identifier: EUPL-1.2 */
/* The dataset of spec/DATA-FORMAT.md section 1: a folder of CSV files. Every cell has a
   canonical text form (trimmed codes, numbers in their shortest exact form, "true"/
   "false", sorted lists); import compares and merges rows in that form, and export
   writes it, so export -> import -> export gives identical files. */
#ifndef BEREIK_DATASET_H
#define BEREIK_DATASET_H

#include <stddef.h>
#include <stdio.h>

struct db;
struct db_stmt;

enum col_type { C_TEXT, C_CODE, C_INT, C_DEC, C_DATE, C_BOOL, C_YEAR, C_LIST };

struct coldef {
  const char *name;
  int type;
  int required;
  const char *dflt;  /* canonical value of an empty cell; NULL = "" */
  const char *vocab; /* a closed vocabulary, its words separated by '|' (NULL: none); the import
                        refuses another value, the Beheer form offers the words as a select */
};

enum file_id {
  F_SETTINGS,
  F_SECTORS,
  F_LINES,
  F_GOALS,
  F_PLAN,
  F_INSTITUTIONS,
  F_TEAMS,
  F_ADVISORS,
  F_TARGET_GROUPS,
  F_TARGETS,
  F_TRAJECTORIES,
  F_REGISTRATIONS,
  F_PD_SPEND,
  /* impact (docs/IMPACT.md) */
  F_TRAJECTORY_ADVISORS,
  F_ACTION_STEPS,
  F_TRAJECTORY_PHASES,
  F_TRAJECTORY_OUTCOMES,
  F_FOLLOWUPS,
  F_MECHANISMS,
  F_QUESTIONNAIRES,
  F_QUESTIONS,
  F_SURVEYS,
  F_SURVEY_ANSWERS,
  /* data quality (docs/QUALITY.md) */
  F_HOLIDAYS,
  F_DAYS_OFF,
  F_ADVISOR_LINES,
  F_COUNT
};

struct filedef {
  const char *file;
  const struct coldef *cols;
  int ncols;
  const int *key; /* indexes of the key columns */
  int nkey;
  /* SELECT of every stored row in canonical column order (lists excepted), sorted by key. */
  const char *select_all;
};

extern const struct filedef dataset_files[F_COUNT];

/* Canonical text of column idx of a row from select_all / the keyed selects (into out,
   at least 64 bytes, or a pointer to the row's text). */
const char *dataset_format_col(struct db_stmt *st, int idx, int type, char out[64]);

/* Normalises a file cell of the given type into its canonical text, stored in *out as a
   new allocation the caller frees; on a fault *out is left unchanged.
   Returns 0 on success or a fault (dataset_fault_text). allow_comma: ';'-delimited file. */
int dataset_normalize(const char *cell, int type, int allow_comma, char **out);
/* What a non-zero dataset_normalize result means, in English (nl 0) or Dutch. */
const char *dataset_fault_text(int fault, int nl);

/* Reads DIR into the database in one transaction; prints every error to stderr as
   FILE:LINE: column: message. Returns 0, 1 on invalid input (nothing written), -1 on a
   database failure. actor names who imports (audit). */
int dataset_import(struct db *db, const char *dir, const char *actor);
/* The same, writing the messages to out instead of stderr. */
int dataset_import_to(struct db *db, const char *dir, const char *actor, FILE *out);
/* Options of an import from the web pages: messages in Dutch (lang "nl"), and a hook
   that runs inside the import's transaction after every row was accepted (the per-row
   audit entry of an edit form, which then replaces the import's dataset entry); its
   failure undoes the whole import. */
struct import_opts {
  const char *lang;
  /* runs first inside the import's transaction (reading the row before the change) */
  int (*after_begin)(struct db *db, void *arg);
  int (*before_commit)(struct db *db, void *arg);
  void *arg;
  /* where the problems go, one call each, instead of FILE:LINE: column: message lines
     on out (file is e.g. "lines.csv"; column "-" for a problem of the whole file) */
  void (*problem)(void *arg, const char *file, long line, const char *column, const char *message);
  void *problem_arg;
  /* the audit trail's name of what was imported without a folder ("upload") */
  const char *source;
};
int dataset_import_opts(struct db *db, const char *dir, const char *actor, FILE *out,
                        const struct import_opts *opts);
/* One dataset file in memory (the rows of a form or an API call). */
struct dataset_mem {
  int fid; /* enum file_id */
  const char *data;
  size_t len;
};
/* The import of dataset_import_opts over files in memory instead of a folder. */
int dataset_import_mem(struct db *db, const struct dataset_mem *files, int n, const char *actor, FILE *out,
                       const struct import_opts *opts);
/* One CSV cell as export writes it: ',' before it unless first, quoted only where RFC
   4180 needs it. */
void dataset_csv_cell(FILE *f, const char *s, int first);
/* Writes every file of the dataset into DIR. Returns 0 or -1 (message on stderr). */
int dataset_export(struct db *db, const char *dir);
/* Writes one file of the dataset (e.g. "registrations.csv") to out, as export does.
   Returns 0, or -1 for an unknown file or a database failure. */
int dataset_export_file(struct db *db, const char *file, FILE *out);
/* The same inside the caller's transaction (it begins and ends none). */
int dataset_write_file(struct db *db, const char *file, FILE *out);

#endif
