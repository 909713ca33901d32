/* SPDX-License-Identifier: EUPL-1.2 */
/* bereik import DIR: every known CSV file of the folder, in the order of
   DATA-FORMAT.md section 1, in one write transaction. Each row is normalised to its
   canonical form, merged with the stored row (absent columns keep their value),
   validated, and written only when it changed. Every error is printed as
   FILE:LINE: column: message; when there is any, the transaction is rolled back. */
#include <dirent.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/dates.h"
#include "core/lists.h"
#include "core/numbers.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/bounds.h"
#include "domain/model.h"
#include "domain/registration.h"
#include "domain/service.h"
#include "io/csvread.h"
#include "io/dataset.h"
#include "io/messages.h"

#define MAX_COLS 256

/* WHERE clause selecting one stored row by its key columns (same order as filedef.key). */
static const char *const key_where[F_COUNT] = {
    [F_SETTINGS] = "school_year = ?",
    [F_SECTORS] = "code = ?",
    [F_LINES] = "code = ?",
    [F_GOALS] = "g.code = ?",
    [F_PLAN] = "p.school_year = ? AND l.code = ?",
    [F_INSTITUTIONS] = "i.number = ?",
    [F_TEAMS] = "code = ?",
    [F_ADVISORS] = "code = ?",
    [F_TARGET_GROUPS] = "code = ?",
    [F_TARGETS] = "t.school_year = ? AND g.code = ?",
    [F_TRAJECTORIES] = "t.ext_id = ?",
    [F_REGISTRATIONS] = "r.ext_id = ?",
    [F_PD_SPEND] = "a.code = ? AND p.school_year = ? AND p.date = ? AND p.description = ?",
    [F_TRAJECTORY_ADVISORS] = "t.ext_id = ? AND a.code = ?",
    [F_ACTION_STEPS] = "t.ext_id = ? AND s.step = ?",
    [F_TRAJECTORY_PHASES] = "t.ext_id = ? AND p.phase = ?",
    [F_TRAJECTORY_OUTCOMES] = "AND ext_id = ?", /* its SELECT has a WHERE already */
    [F_FOLLOWUPS] = "f.ext_id = ?",
    [F_MECHANISMS] = "r.ext_id = ? AND rm.mechanism = ?",
    [F_QUESTIONNAIRES] = "code = ?",
    [F_QUESTIONS] = "q.code = ? AND k.key = ?",
    [F_SURVEYS] = "s.ext_id = ?",
    [F_SURVEY_ANSWERS] = "s.ext_id = ? AND p.seq = ? AND k.key = ?",
    [F_HOLIDAYS] = "start_date = ?",
    [F_DAYS_OFF] = "a.code = ? AND d.date = ?",
    [F_ADVISOR_LINES] = "a.code = ? AND p.school_year = ? AND l.code = ?",
};

struct file_stats {
  int present;
  unsigned char sha256[32];
  long inserted, updated, unchanged;
};

struct board_ref {
  char *number, *board;
  long line;
};

struct pipe;

struct import {
  struct db *db;
  FILE *out;                      /* where errors, warnings and the summary go (stderr for the CLI) */
  const struct import_opts *opts; /* may be NULL; its problem sink takes the errors */
  int nl;                         /* messages in Dutch */
  struct model m;
  int fid;
  const char *file;
  long line;
  int allow_comma;
  int nerr;
  int db_failed;
  int *locked_before;
  int n_locked_before;
  struct file_stats stats[F_COUNT];

  /* header of the current file */
  int ncols;             /* columns of the definition (+ target groups for registrations) */
  int colmap[MAX_COLS];  /* file column -> definition column */
  int present[MAX_COLS]; /* definition column present in the file */
  int header_done, header_bad;
  size_t nheader;          /* cells of the header row */
  struct strmap keys_seen; /* key -> line, duplicate detection */
  /* registrations.csv: while each id comes after the one before in one of two orders
     (byte by byte, as the export sorts them; or the shorter first, as r9 before r10), no
     id can repeat and none is kept in keys_seen; only the last one is. At the first id
     that follows in neither, the file is read again up to that line to keep them all.
     So a file in id order is imported in memory that does not grow with it. */
  char *last_id;
  int in_byte_order, in_length_order; /* since the first id */
  int ids_kept;
  struct reg_source {
    char *path;                    /* registrations.csv, to be read again, */
    const struct dataset_mem *mem; /* or its bytes (alive for the whole import) */
    int id_col;                    /* the file's column of the id, -1 if none */
    int allow_comma;
  } regs;
  struct db_stmt *fetch; /* select one row by key */

  /* institutions: numbers and codes of the file, boards resolved after the file */
  struct strmap file_inst_number, file_inst_code; /* number -> 1, code -> number index */
  char **file_inst_numbers;
  size_t n_file_inst, cap_file_inst;
  struct board_ref *boards;
  size_t n_boards, cap_boards;

  /* rows whose change must be checked against stored rows not in the files */
  struct strmap regs_in_file; /* ext_id -> line, when ids_kept (else see reg_lines) */
  struct strmap changed_advisors, changed_goals, changed_trajectories, lines_to_other; /* key -> line */
  /* data quality: advisor_lines.csv rows ("advisor\x1fyear") and advisors whose FTE changed
     (code), each -> line, for the check of the planned FTE against the contract */
  struct strmap line_plans_in_file, fte_changed;

  /* registration statements */
  int64_t cur_id;      /* internal id of the stored registration being compared */
  int64_t next_reg_id; /* id of the next new registration */
  struct pipe *pipe;   /* bulk write pipeline, while registrations.csv is read */
  int keys_deferred;   /* the registration tables' indexes (and keys) are made at the end */
  struct reg_statements stmts;
  struct db_stmt *reg_lists_a, *reg_lists_i, *reg_counts;
};

/* error_at(im, column, M_NAME, arguments): the message of io/messages.h in the import's
   language, its arguments checked against the English format. */
static void error_at(struct import *im, const char *col, const char *en, const char *nl, ...)
    __attribute__((format(printf, 3, 5)));

/* A problem goes to the caller's sink (file, line, column, message) when it gave one,
   else to out as FILE:LINE: column: message. */
static void problem(struct import *im, const char *col, const char *msg) {
  if (im->opts && im->opts->problem)
    im->opts->problem(im->opts->problem_arg, im->file, im->line, col, msg);
  else
    fprintf(im->out, "%s:%ld: %s: %s\n", im->file, im->line, col, msg);
}

static void error_at(struct import *im, const char *col, const char *en, const char *nl, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, nl);
  vsnprintf(msg, sizeof msg, im->nl ? nl : en, ap);
  va_end(ap);
  problem(im, col, msg);
  im->nerr++;
}

static void db_error(struct import *im, const char *what) {
  char msg[1024];
  snprintf(msg, sizeof msg, "database error while %s: %s", what, db_errmsg(im->db));
  problem(im, "-", msg);
  im->nerr++;
  im->db_failed = 1;
}

static int year_locked_before(const struct import *im, int year) {
  for (int i = 0; i < im->n_locked_before; i++)
    if (im->locked_before[i] == year) return 1;
  return 0;
}

static const struct coldef tg_col = {NULL, C_INT, 0, NULL, NULL};

static const struct coldef *coldef_of(const struct import *im, int c) {
  const struct filedef *fd = &dataset_files[im->fid];
  return c < fd->ncols ? &fd->cols[c] : &tg_col;
}

static const char *col_name(const struct import *im, int c, char buf[128]) {
  const struct filedef *fd = &dataset_files[im->fid];
  if (c < fd->ncols) return fd->cols[c].name;
  snprintf(buf, 128, "tg.%s", im->m.target_groups[c - fd->ncols].code);
  return buf;
}

/* ---- small helpers on canonical values ---- */

static int empty(const char *s) { return !s || !*s; }
static double dec(const char *s) { return strtod(s, NULL); }
static int year_of_canonical(const char *s) {
  int y = 0;
  school_year_parse(s, &y);
  return y;
}
static int32_t day_of(const char *s) {
  int32_t d = NO_DATE;
  if (!empty(s)) date_parse(s, &d);
  return d;
}
static void bind_text_or_null(struct db_stmt *st, int i, const char *s) {
  db_bind_text(st, i, empty(s) ? NULL : s);
}
static void bind_int_or_null(struct db_stmt *st, int i, const char *s) {
  int64_t v;
  if (!empty(s) && parse_int64(s, &v) == 0)
    db_bind_int64(st, i, v);
  else
    db_bind_null(st, i);
}
static void bind_dec_or_null(struct db_stmt *st, int i, const char *s) {
  if (empty(s))
    db_bind_null(st, i);
  else
    db_bind_double(st, i, dec(s));
}
static int is_true(const char *s) { return s && !strcmp(s, "true"); }

static int run(struct import *im, struct db_stmt *st, const char *what) {
  if (!st) {
    db_error(im, what);
    return -1;
  }
  int rc = db_step(st);
  if (rc == DB_ERROR) {
    db_error(im, what);
    return -1;
  }
  return 0;
}

/* Runs a one-off statement with text parameters (NULL for SQL NULL). */
static int exec_params(struct import *im, const char *sql, int n, const char **params) {
  struct db_stmt *st = db_prepare(im->db, sql);
  if (!st) {
    db_error(im, "preparing a statement");
    return -1;
  }
  for (int i = 0; i < n; i++) db_bind_text(st, i + 1, params[i]);
  int rc = run(im, st, "writing");
  db_finalize(st);
  return rc;
}

static int64_t id_of(struct import *im, const char *sql, const char *key) {
  struct db_stmt *st = db_prepare(im->db, sql);
  int64_t id = 0;
  if (!st) return 0;
  db_bind_text(st, 1, key);
  if (db_step(st) == DB_ROW) id = db_col_int64(st, 0);
  db_finalize(st);
  return id;
}

static int check_reserved_line(const char *code) {
  return !strcmp(code, "total") || !strcmp(code, "total_plan") || !strcmp(code, "total_plan_projects") ||
         !strcmp(code, "total_all");
}

/* Checks that s is a word of the closed vocabulary of column col of the file being
   imported (io/dataset.c); reports an error otherwise. */
static int one_of(struct import *im, const char *col, const char *s) {
  const struct filedef *fd = &dataset_files[im->fid];
  const char *vocab = NULL;
  for (int c = 0; c < fd->ncols; c++)
    if (!strcmp(fd->cols[c].name, col)) vocab = fd->cols[c].vocab;
  if (!vocab) return 0;
  size_t n = strlen(s);
  for (const char *p = vocab; *p;) {
    size_t w = strcspn(p, "|");
    if (w == n && !strncmp(p, s, n)) return 0;
    p += w + (p[w] == '|');
  }
  struct buf b = {0};
  for (const char *p = vocab; *p; p++) {
    if (*p == '|')
      buf_puts(&b, ", ");
    else
      buf_putc(&b, *p);
  }
  error_at(im, col, M_UNKNOWN_VALUE_EXPECTED_ONE, s, buf_str(&b));
  buf_free(&b);
  return -1;
}

static int nonneg(struct import *im, const char *col, const char *v, const char *what) {
  if (!empty(v) && dec(v) < 0) {
    error_at(im, col, M_CANNOT_NEGATIVE, what, v);
    return -1;
  }
  return 0;
}

/* END (column end_col) must not lie before START. */
static int dates_ordered(struct import *im, const char *end_col, const char *start, const char *end) {
  if (!empty(start) && !empty(end) && strcmp(start, end) > 0) {
    error_at(im, end_col, M_END_DATE_LIES_BEFORE_START, end, start);
    return -1;
  }
  return 0;
}

/* A change in a school year locked before the import is refused, reported on column col
   (the column that places the row in that year). */
static int locked_change(struct import *im, const char *col, int year) {
  if (!year_locked_before(im, year)) return 0;
  char y[10];
  school_year_format(year, y);
  error_at(im, col, M_SCHOOL_YEAR_LOCKED_ADMIN_MUST, y);
  return -1;
}

/* A change dated on day d in a school year locked before the import is refused. */
static void locked_day(struct import *im, const char *col, int32_t d) {
  if (d != NO_DATE) locked_change(im, col, school_year_of(d));
}

/* ---- entities ---- */

static int do_settings(struct import *im, char **v, int existed, char **stored, int changed) {
  int e = im->nerr;
  if (!empty(v[1]) && dec(v[1]) <= 0) error_at(im, "hours_per_fte", M_MUST_GREATER_THAN, v[1]);
  one_of(im, "reach_rule", v[2]);
  nonneg(im, "reach_min_hours", v[3], "reach_min_hours");
  int year = year_of_canonical(v[0]);
  if (changed && year_locked_before(im, year)) {
    if (!is_true(v[4]))
      error_at(im, "locked", M_SCHOOL_YEAR_LOCKED_DATASET_CANNOT, v[0]);
    else
      locked_change(im, "school_year", year);
  }
  (void)existed;
  (void)stored;
  if (im->nerr != e || !changed) return 0;
  struct db_stmt *st = db_prepare(
      im->db, "INSERT INTO setting (school_year, hours_per_fte, reach_rule, reach_min_hours, locked) "
              "VALUES (?, ?, ?, ?, ?) ON CONFLICT (school_year) DO UPDATE SET hours_per_fte = "
              "excluded.hours_per_fte, "
              "reach_rule = excluded.reach_rule, reach_min_hours = excluded.reach_min_hours, locked = "
              "excluded.locked");
  if (st) {
    db_bind_int64(st, 1, year);
    db_bind_double(st, 2, dec(v[1]));
    db_bind_text(st, 3, v[2]);
    bind_dec_or_null(st, 4, v[3]);
    db_bind_int64(st, 5, is_true(v[4]));
  }
  int rc = run(im, st, "writing a setting");
  db_finalize(st);
  return rc;
}

static int do_sectors(struct import *im, char **v, int existed, char **stored, int changed) {
  (void)existed;
  (void)stored;
  if (!changed) return 0;
  struct db_stmt *st = db_prepare(
      im->db, "INSERT INTO sector (code, name, grp, position) VALUES (?, ?, ?, ?) ON CONFLICT (code) "
              "DO UPDATE SET name = excluded.name, grp = excluded.grp, position = excluded.position");
  if (st) {
    db_bind_text(st, 1, v[0]);
    db_bind_text(st, 2, v[1]);
    bind_text_or_null(st, 3, v[2]);
    bind_int_or_null(st, 4, v[3]);
  }
  int rc = run(im, st, "writing a sector");
  db_finalize(st);
  return rc;
}

static int do_lines(struct import *im, char **v, int existed, char **stored, int changed) {
  int e = im->nerr;
  if (check_reserved_line(v[0])) error_at(im, "code", M_RESERVED_FOR_TOTAL_ROW_REPORT, v[0]);
  one_of(im, "kind", v[2]);
  one_of(im, "unit", v[3]);
  if (im->nerr != e || !changed) return 0;
  if (existed && !strcmp(v[2], "other") && strcmp(stored[2], "other"))
    strmap_put(&im->lines_to_other, v[0], im->line);
  struct db_stmt *st = db_prepare(
      im->db, "INSERT INTO line (code, name, kind, unit, position) VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) "
              "DO UPDATE SET name = excluded.name, kind = excluded.kind, unit = excluded.unit, "
              "position = excluded.position");
  if (st) {
    db_bind_text(st, 1, v[0]);
    db_bind_text(st, 2, v[1]);
    db_bind_text(st, 3, v[2]);
    db_bind_text(st, 4, v[3]);
    bind_int_or_null(st, 5, v[4]);
  }
  int rc = run(im, st, "writing a line");
  db_finalize(st);
  return rc;
}

static int do_goals(struct import *im, char **v, int existed, char **stored, int changed) {
  int line = model_line(&im->m, v[1]);
  if (line < 0) {
    error_at(im, "line", M_UNKNOWN_LINE, v[1]);
    return 0;
  }
  if (!changed) return 0;
  if (existed && strcmp(stored[1], v[1])) strmap_put(&im->changed_goals, v[0], im->line);
  struct db_stmt *st =
      db_prepare(im->db, "INSERT INTO goal (code, line_id, name) VALUES (?, ?, ?) ON CONFLICT (code) "
                         "DO UPDATE SET line_id = excluded.line_id, name = excluded.name");
  if (st) {
    db_bind_text(st, 1, v[0]);
    db_bind_int64(st, 2, im->m.lines[line].id);
    db_bind_text(st, 3, v[2]);
  }
  int rc = run(im, st, "writing a goal");
  db_finalize(st);
  return rc;
}

static int do_plan(struct import *im, char **v, int existed, char **stored, int changed) {
  int e = im->nerr;
  (void)existed;
  (void)stored;
  int line = model_line(&im->m, v[1]);
  if (line < 0) {
    error_at(im, "line", M_UNKNOWN_LINE, v[1]);
    return 0;
  }
  nonneg(im, "planned_fte", v[2], "planned FTE");
  nonneg(im, "coloured_fte", v[3], "coloured FTE");
  if (im->m.lines[line].kind == KIND_OTHER) {
    if (dec(v[2]) != 0) error_at(im, "planned_fte", M_OTHER_NO_PLANNED_FTE, v[1]);
    if (!empty(v[3]) && dec(v[3]) != 0) error_at(im, "coloured_fte", M_OTHER_NO_COLOURED_FTE, v[1]);
  }
  if (changed) locked_change(im, "school_year", year_of_canonical(v[0]));
  if (im->nerr != e || !changed) return 0;
  struct db_stmt *st = db_prepare(
      im->db, "INSERT INTO plan (school_year, line_id, planned_fte, coloured_fte) VALUES (?, ?, ?, ?) "
              "ON CONFLICT (school_year, line_id) DO UPDATE SET planned_fte = excluded.planned_fte, "
              "coloured_fte = excluded.coloured_fte");
  if (st) {
    db_bind_int64(st, 1, year_of_canonical(v[0]));
    db_bind_int64(st, 2, im->m.lines[line].id);
    db_bind_double(st, 3, dec(v[2]));
    bind_dec_or_null(st, 4, v[3]);
  }
  int rc = run(im, st, "writing a plan row");
  db_finalize(st);
  return rc;
}

/* The number of the institution a reference (number or code) names, looking at the
   stored institutions and at the rows of the file being imported; NULL if none. */
static const char *institution_number(struct import *im, const char *ref) {
  int64_t k;
  if (strmap_get(&im->file_inst_number, ref, &k)) return im->file_inst_numbers[k];
  int i = model_institution(&im->m, ref);
  if (i >= 0 && !strcmp(im->m.institutions[i].number, ref)) return im->m.institutions[i].number;
  if (strmap_get(&im->file_inst_code, ref, &k)) return im->file_inst_numbers[k];
  return i >= 0 ? im->m.institutions[i].number : NULL;
}

static int do_institutions(struct import *im, char **v, int existed, char **stored, int changed) {
  int e = im->nerr;
  (void)existed;
  (void)stored;
  const char *number = v[0], *code = v[1];
  if (!strcmp(code, "total") || is_sector_group_name(&im->m, code))
    error_at(im, "code", M_RESERVED_FOR_ROW_REPORT, code);
  /* a code may not equal another institution's number (references would be ambiguous) */
  int64_t k;
  int other = model_institution(&im->m, code);
  if ((strmap_get(&im->file_inst_number, code, &k) && strcmp(im->file_inst_numbers[k], number)) ||
      (other >= 0 && !strcmp(im->m.institutions[other].number, code) && strcmp(code, number)))
    error_at(im, "code", M_NUMBER_ANOTHER_INSTITUTION, code);
  other = model_institution(&im->m, number);
  if ((other >= 0 && strcmp(im->m.institutions[other].number, number) &&
       !strcmp(im->m.institutions[other].code, number)) ||
      (strmap_get(&im->file_inst_code, number, &k) && strcmp(im->file_inst_numbers[k], number)))
    error_at(im, "number", M_CODE_ANOTHER_INSTITUTION, number);
  /* codes are unique */
  other = -1;
  for (size_t i = 0; i < im->m.n_institutions; i++)
    if (!strcmp(im->m.institutions[i].code, code) && strcmp(im->m.institutions[i].number, number))
      other = (int)i;
  if (other >= 0)
    error_at(im, "code", M_CODE_ALREADY_USED_BY_INSTITUTION, code, im->m.institutions[other].number);
  int sector = model_sector(&im->m, v[3]);
  if (sector < 0) error_at(im, "sector", M_UNKNOWN_SECTOR, v[3]);
  dates_ordered(im, "end", v[7], v[8]);
  if (im->nerr != e) return 0;
  if (!empty(v[5])) {
    grow_array((void **)&im->boards, &im->cap_boards, im->n_boards + 1, sizeof *im->boards);
    im->boards[im->n_boards++] = (struct board_ref){xstrdup(number), xstrdup(v[5]), im->line};
  }
  if (!changed) return 0;
  struct db_stmt *st = db_prepare(
      im->db,
      "INSERT INTO institution (number, code, name, sector_id, own, board_id, active, start_date, end_date) "
      "VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?) ON CONFLICT (number) DO UPDATE SET code = excluded.code, "
      "name = excluded.name, sector_id = excluded.sector_id, own = excluded.own, board_id = NULL, "
      "active = excluded.active, start_date = excluded.start_date, end_date = excluded.end_date");
  if (st) {
    db_bind_text(st, 1, number);
    db_bind_text(st, 2, code);
    db_bind_text(st, 3, v[2]);
    db_bind_int64(st, 4, im->m.sectors[sector].id);
    db_bind_int64(st, 5, is_true(v[4]));
    db_bind_int64(st, 6, is_true(v[6]));
    bind_text_or_null(st, 7, v[7]);
    bind_text_or_null(st, 8, v[8]);
  }
  int rc = run(im, st, "writing an institution");
  db_finalize(st);
  return rc;
}

static int do_teams(struct import *im, char **v, int existed, char **stored, int changed) {
  int e = im->nerr;
  (void)existed;
  (void)stored;
  char *copy, **items;
  int n = list_split(v[2], &copy, &items);
  for (int i = 0; i < n; i++)
    if (model_line(&im->m, items[i]) < 0) error_at(im, "lines", M_UNKNOWN_LINE, items[i]);
  int rc = 0;
  if (im->nerr == e && changed) {
    const char *p[3] = {v[0], v[1], NULL};
    rc = exec_params(im,
                     "INSERT INTO team (code, name) VALUES (?, ?) ON CONFLICT (code) "
                     "DO UPDATE SET name = excluded.name",
                     2, p);
    int64_t id = id_of(im, "SELECT id FROM team WHERE code = ?", v[0]);
    struct db_stmt *del = db_prepare(im->db, "DELETE FROM team_line WHERE team_id = ?");
    if (del) db_bind_int64(del, 1, id);
    if (!rc) rc = run(im, del, "writing a team");
    db_finalize(del);
    for (int i = 0; !rc && i < n; i++) {
      struct db_stmt *st = db_prepare(im->db, "INSERT INTO team_line (team_id, line_id) VALUES (?, ?)");
      if (st) {
        db_bind_int64(st, 1, id);
        db_bind_int64(st, 2, im->m.lines[model_line(&im->m, items[i])].id);
      }
      rc = run(im, st, "writing a team's lines");
      db_finalize(st);
    }
  }
  free(copy);
  free(items);
  return rc;
}

static int do_advisors(struct import *im, char **v, int existed, char **stored, int changed) {
  int e = im->nerr;
  one_of(im, "role", v[2]);
  nonneg(im, "fte", v[3], "FTE");
  dates_ordered(im, "end", v[4], v[5]);
  char *copy, **items;
  int n = list_split(v[6], &copy, &items);
  for (int i = 0; i < n; i++)
    if (model_team(&im->m, items[i]) < 0) error_at(im, "teams", M_UNKNOWN_TEAM, items[i]);
  int rc = 0;
  if (im->nerr == e && changed) {
    if (existed && (strcmp(stored[4], v[4]) || strcmp(stored[5], v[5])))
      strmap_put(&im->changed_advisors, v[0], im->line);
    if (existed && strcmp(stored[3], v[3])) strmap_put(&im->fte_changed, v[0], im->line);
    struct db_stmt *st = db_prepare(
        im->db,
        "INSERT INTO advisor (code, name, role, fte, start_date, end_date) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (code) DO UPDATE SET name = excluded.name, role = excluded.role, fte = excluded.fte, "
        "start_date = excluded.start_date, end_date = excluded.end_date");
    if (st) {
      db_bind_text(st, 1, v[0]);
      db_bind_text(st, 2, v[1]);
      db_bind_text(st, 3, v[2]);
      db_bind_double(st, 4, dec(v[3]));
      bind_text_or_null(st, 5, v[4]);
      bind_text_or_null(st, 6, v[5]);
    }
    rc = run(im, st, "writing an advisor");
    db_finalize(st);
    int64_t id = id_of(im, "SELECT id FROM advisor WHERE code = ?", v[0]);
    struct db_stmt *del = db_prepare(im->db, "DELETE FROM team_member WHERE advisor_id = ?");
    if (del) db_bind_int64(del, 1, id);
    if (!rc) rc = run(im, del, "writing an advisor's teams");
    db_finalize(del);
    for (int i = 0; !rc && i < n; i++) {
      struct db_stmt *ins = db_prepare(im->db, "INSERT INTO team_member (team_id, advisor_id) VALUES (?, ?)");
      if (ins) {
        db_bind_int64(ins, 1, im->m.teams[model_team(&im->m, items[i])].id);
        db_bind_int64(ins, 2, id);
      }
      rc = run(im, ins, "writing an advisor's teams");
      db_finalize(ins);
    }
  }
  free(copy);
  free(items);
  return rc;
}

static int do_target_groups(struct import *im, char **v, int existed, char **stored, int changed) {
  (void)existed;
  (void)stored;
  if (!strcmp(v[0], "total")) {
    error_at(im, "code", M_TOTAL_RESERVED);
    return 0;
  }
  if (!changed) return 0;
  struct db_stmt *st = db_prepare(
      im->db, "INSERT INTO target_group (code, name, position) VALUES (?, ?, ?) ON CONFLICT (code) "
              "DO UPDATE SET name = excluded.name, position = excluded.position");
  if (st) {
    db_bind_text(st, 1, v[0]);
    db_bind_text(st, 2, v[1]);
    bind_int_or_null(st, 3, v[2]);
  }
  int rc = run(im, st, "writing a target group");
  db_finalize(st);
  return rc;
}

static int do_targets(struct import *im, char **v, int existed, char **stored, int changed) {
  int e = im->nerr;
  (void)existed;
  (void)stored;
  int g = model_tg(&im->m, v[1]);
  if (g < 0) error_at(im, "target_group", M_UNKNOWN_TARGET_GROUP, v[1]);
  nonneg(im, "target", v[2], "a target");
  if (changed) locked_change(im, "school_year", year_of_canonical(v[0]));
  if (im->nerr != e || !changed) return 0;
  struct db_stmt *st =
      db_prepare(im->db, "INSERT INTO target (school_year, target_group_id, target) VALUES (?, ?, ?) "
                         "ON CONFLICT (school_year, target_group_id) DO UPDATE SET target = excluded.target");
  if (st) {
    db_bind_int64(st, 1, year_of_canonical(v[0]));
    db_bind_int64(st, 2, im->m.target_groups[g].id);
    db_bind_double(st, 3, dec(v[2]));
  }
  int rc = run(im, st, "writing a target");
  db_finalize(st);
  return rc;
}

static int do_trajectories(struct import *im, char **v, int existed, char **stored, int changed) {
  int e = im->nerr;
  int inst = model_institution(&im->m, v[1]);
  if (inst < 0) error_at(im, "institution", M_UNKNOWN_INSTITUTION, v[1]);
  int line = -1, goal = -1;
  if (!empty(v[2]) && (line = model_line(&im->m, v[2])) < 0) error_at(im, "line", M_UNKNOWN_LINE, v[2]);
  if (!empty(v[3])) {
    goal = model_goal(&im->m, v[3]);
    if (goal < 0)
      error_at(im, "goal", M_UNKNOWN_GOAL, v[3]);
    else if (line >= 0 && im->m.goals[goal].line != line)
      error_at(im, "goal", M_GOAL_BELONGS_LINE_NOT, v[3], im->m.lines[im->m.goals[goal].line].code, v[2]);
  }
  if (!empty(v[4])) one_of(im, "level", v[4]);
  one_of(im, "status", v[9]);
  dates_ordered(im, "end", v[7], v[8]);
  /* a trajectory that ended in a locked school year keeps its row (docs/IMPACT.md) */
  if (changed && existed && !empty(stored[8])) locked_day(im, "end", day_of(stored[8]));
  if (im->nerr != e) return 0;
  if (!changed) return 0;
  if (existed && strcmp(stored[1], v[1])) strmap_put(&im->changed_trajectories, v[0], im->line);
  struct db_stmt *st = db_prepare(
      im->db,
      "INSERT INTO trajectory (ext_id, institution_id, line_id, goal_id, level, shared_goal, action_plan, "
      "start_date, end_date, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ext_id) DO UPDATE "
      "SET "
      "institution_id = excluded.institution_id, line_id = excluded.line_id, goal_id = excluded.goal_id, "
      "level = excluded.level, shared_goal = excluded.shared_goal, action_plan = excluded.action_plan, "
      "start_date = excluded.start_date, end_date = excluded.end_date, status = excluded.status");
  if (st) {
    db_bind_text(st, 1, v[0]);
    db_bind_int64(st, 2, im->m.institutions[inst].id);
    if (line >= 0)
      db_bind_int64(st, 3, im->m.lines[line].id);
    else
      db_bind_null(st, 3);
    if (goal >= 0)
      db_bind_int64(st, 4, im->m.goals[goal].id);
    else
      db_bind_null(st, 4);
    bind_text_or_null(st, 5, v[4]);
    bind_text_or_null(st, 6, v[5]);
    bind_text_or_null(st, 7, v[6]);
    bind_text_or_null(st, 8, v[7]);
    bind_text_or_null(st, 9, v[8]);
    db_bind_text(st, 10, v[9]);
  }
  int rc = run(im, st, "writing a trajectory");
  db_finalize(st);
  return rc;
}

static int do_pd_spend(struct import *im, char **v, int existed, char **stored, int changed) {
  int e = im->nerr;
  (void)existed;
  (void)stored;
  int a = model_advisor(&im->m, v[0]);
  if (a < 0) error_at(im, "advisor", M_UNKNOWN_ADVISOR, v[0]);
  int year = year_of_canonical(v[1]);
  int32_t d = day_of(v[2]);
  if (d != NO_DATE && school_year_of(d) != year) error_at(im, "date", M_LIES_OUTSIDE_SCHOOL_YEAR, v[2], v[1]);
  nonneg(im, "amount_eur", v[3], "an amount");
  if (changed) locked_change(im, "school_year", year);
  if (im->nerr != e || !changed) return 0;
  struct db_stmt *st = db_prepare(
      im->db,
      "INSERT INTO pd_spend (advisor_id, school_year, date, amount_eur, description) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (advisor_id, school_year, date, description) DO UPDATE SET amount_eur = "
      "excluded.amount_eur");
  if (st) {
    db_bind_int64(st, 1, im->m.advisors[a].id);
    db_bind_int64(st, 2, year);
    db_bind_text(st, 3, v[2]);
    db_bind_double(st, 4, dec(v[3]));
    db_bind_text(st, 5, v[4]);
  }
  int rc = run(im, st, "writing professional-development spend");
  db_finalize(st);
  return rc;
}

/* ---- impact (docs/IMPACT.md) ---- */

/* Runs sql with the given parameters: 'i' an int64 (NULL when 0 and nullable 'I'), 't' a
   text (NULL when empty), 'd' an integer in text form (NULL when empty), 'r' a decimal in
   text form (NULL when empty). */
static int exec_typed(struct import *im, const char *sql, const char *types, ...) {
  struct db_stmt *st = db_prepare(im->db, sql);
  if (!st) {
    db_error(im, "preparing a statement");
    return -1;
  }
  va_list ap;
  va_start(ap, types);
  for (int i = 0; types[i]; i++) {
    if (types[i] == 'i' || types[i] == 'I') {
      int64_t x = va_arg(ap, int64_t);
      if (types[i] == 'I' && !x)
        db_bind_null(st, i + 1);
      else
        db_bind_int64(st, i + 1, x);
    } else if (types[i] == 't') {
      bind_text_or_null(st, i + 1, va_arg(ap, const char *));
    } else if (types[i] == 'r') {
      bind_dec_or_null(st, i + 1, va_arg(ap, const char *));
    } else {
      bind_int_or_null(st, i + 1, va_arg(ap, const char *));
    }
  }
  va_end(ap);
  int rc = run(im, st, "writing");
  db_finalize(st);
  return rc;
}

/* The trajectory EXT (reported when unknown); a change of a trajectory that ended in a
   school year locked before the import is refused (changed: the row changes). */
static int traj_ref_changed(struct import *im, const char *ext, int changed) {
  int t = model_trajectory(&im->m, ext);
  if (t < 0)
    error_at(im, "trajectory", M_UNKNOWN_TRAJECTORY, ext);
  else if (changed && im->m.trajectories[t].end != NO_DATE)
    locked_change(im, "trajectory", school_year_of(im->m.trajectories[t].end));
  return t;
}
static int traj_ref(struct import *im, const char *ext) { return traj_ref_changed(im, ext, 0); }

/* The internal id and date of registration EXT, 0 when unknown (reported on col). */
static int64_t registration_ref(struct import *im, const char *col, const char *ext, int32_t *date,
                                int64_t *traj) {
  struct db_stmt *st =
      db_prepare(im->db, "SELECT id, date, trajectory_id FROM registration WHERE ext_id = ?");
  int64_t id = 0;
  if (st) {
    db_bind_text(st, 1, ext);
    if (db_step(st) == DB_ROW) {
      id = db_col_int64(st, 0);
      if (date) *date = day_of(db_col_text(st, 1));
      if (traj) *traj = db_col_is_null(st, 2) ? 0 : db_col_int64(st, 2);
    }
    db_finalize(st);
  }
  if (!id) error_at(im, col, M_UNKNOWN_REGISTRATION, ext);
  return id;
}

static int do_trajectory_advisors(struct import *im, char **v, int existed, char **stored, int changed) {
  (void)existed;
  (void)stored;
  int e = im->nerr;
  int t = traj_ref_changed(im, v[0], changed), a = model_advisor(&im->m, v[1]);
  if (a < 0) error_at(im, "advisor", M_UNKNOWN_ADVISOR, v[1]);
  if (im->nerr != e || !changed) return 0;
  return exec_typed(im, "INSERT INTO trajectory_advisor (trajectory_id, advisor_id) VALUES (?, ?)", "ii",
                    im->m.trajectories[t].id, im->m.advisors[a].id);
}

static int step_number(struct import *im, const char *v) {
  long n = strtol(v, NULL, 10);
  if (n < 1 || n > 100) {
    error_at(im, "step", M_STEP_RANGE, v);
    return -1;
  }
  return 0;
}

static int do_action_steps(struct import *im, char **v, int existed, char **stored, int changed) {
  (void)existed;
  (void)stored;
  int e = im->nerr;
  int t = traj_ref_changed(im, v[0], changed);
  step_number(im, v[1]);
  if (im->nerr != e || !changed) return 0;
  return exec_typed(im,
                    "INSERT INTO action_step (trajectory_id, step, what, who, due, expected, done) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (trajectory_id, step) DO UPDATE SET "
                    "what = excluded.what, who = excluded.who, due = excluded.due, "
                    "expected = excluded.expected, done = excluded.done",
                    "idtttti", im->m.trajectories[t].id, v[1], v[2], v[3], v[4], v[5],
                    (int64_t)is_true(v[6]));
}

static int do_trajectory_phases(struct import *im, char **v, int existed, char **stored, int changed) {
  (void)existed;
  (void)stored;
  int e = im->nerr;
  int t = traj_ref(im, v[0]);
  one_of(im, "phase", v[1]);
  if (changed) locked_day(im, "date", day_of(v[2]));
  if (existed && changed) locked_day(im, "date", day_of(stored[2]));
  if (im->nerr != e || !changed) return 0;
  return exec_typed(im,
                    "INSERT INTO trajectory_phase (trajectory_id, phase, date) VALUES (?, ?, ?) "
                    "ON CONFLICT (trajectory_id, phase) DO UPDATE SET date = excluded.date",
                    "itt", im->m.trajectories[t].id, v[1], v[2]);
}

static int do_trajectory_outcomes(struct import *im, char **v, int existed, char **stored, int changed) {
  (void)existed;
  (void)stored;
  int e = im->nerr;
  int t = traj_ref_changed(im, v[0], changed);
  one_of(im, "outcome", v[1]);
  if (im->nerr != e || !changed) return 0;
  return exec_typed(im, "UPDATE trajectory SET outcome = ?, outcome_note = ? WHERE id = ?", "tti", v[1], v[2],
                    im->m.trajectories[t].id);
}

static int do_followups(struct import *im, char **v, int existed, char **stored, int changed) {
  int e = im->nerr;
  int t = traj_ref(im, v[1]);
  int64_t reg = 0;
  if (!empty(v[5])) {
    int64_t linked = 0;
    reg = registration_ref(im, "registration", v[5], NULL, &linked);
    if (reg && t >= 0 && linked && linked != im->m.trajectories[t].id)
      error_at(im, "registration", M_FOLLOWUP_REGISTRATION_OTHER, v[5]);
  }
  if (changed) locked_day(im, "date", day_of(v[2]));
  if (existed && changed) locked_day(im, "date", day_of(stored[2]));
  if (im->nerr != e || !changed) return 0;
  int rc =
      exec_typed(im,
                 "INSERT INTO followup (ext_id, trajectory_id, date, note, next_step) VALUES (?, ?, ?, ?, ?) "
                 "ON CONFLICT (ext_id) DO UPDATE SET trajectory_id = excluded.trajectory_id, "
                 "date = excluded.date, note = excluded.note, next_step = excluded.next_step",
                 "titt"
                 "t",
                 v[0], im->m.trajectories[t].id, v[2], v[3], v[4]);
  if (!rc)
    rc = exec_typed(im,
                    "DELETE FROM followup_registration WHERE followup_id = "
                    "(SELECT id FROM followup WHERE ext_id = ?)",
                    "t", v[0]);
  if (!rc && reg)
    rc = exec_typed(im,
                    "INSERT INTO followup_registration (followup_id, registration_id) "
                    "SELECT id, CAST(? AS BIGINT) FROM followup WHERE ext_id = ?",
                    "it", reg, v[0]);
  return rc;
}

static int do_mechanisms(struct import *im, char **v, int existed, char **stored, int changed) {
  (void)existed;
  (void)stored;
  int e = im->nerr;
  int32_t d = NO_DATE;
  int64_t reg = registration_ref(im, "registration", v[0], &d, NULL);
  one_of(im, "mechanism", v[1]);
  if (changed) locked_day(im, "registration", d);
  if (im->nerr != e || !changed) return 0;
  return exec_typed(im, "INSERT INTO registration_mechanism (registration_id, mechanism) VALUES (?, ?)", "it",
                    reg, v[1]);
}

/* 1 when questionnaire CODE has answers (its questions may no longer change). */
static int questionnaire_answered(struct import *im, const char *code) {
  struct db_stmt *st =
      db_prepare(im->db, "SELECT 1 FROM survey_answer a JOIN question k ON k.id = a.question_id "
                         "JOIN questionnaire q ON q.id = k.questionnaire_id WHERE q.code = ? LIMIT 1");
  int yes = 0;
  if (st) {
    db_bind_text(st, 1, code);
    yes = db_step(st) == DB_ROW;
    db_finalize(st);
  }
  return yes;
}

static int do_questionnaires(struct import *im, char **v, int existed, char **stored, int changed) {
  int e = im->nerr;
  one_of(im, "kind", v[1]);
  if (strtol(v[2], NULL, 10) < 1) error_at(im, "version", M_MUST_GREATER_THAN, v[2]);
  if (existed && changed && (strcmp(stored[1], v[1]) || strcmp(stored[2], v[2])) &&
      questionnaire_answered(im, v[0]))
    error_at(im, "code", M_QUESTIONNAIRE_ANSWERED, v[0]);
  if (im->nerr != e || !changed) return 0;
  return exec_typed(im,
                    "INSERT INTO questionnaire (code, kind, version, title, active) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, version = excluded.version, "
                    "title = excluded.title, active = excluded.active",
                    "ttdti", v[0], v[1], v[2], v[3], (int64_t)is_true(v[4]));
}

static int do_questions(struct import *im, char **v, int existed, char **stored, int changed) {
  int e = im->nerr;
  int64_t q = id_of(im, "SELECT id FROM questionnaire WHERE code = ?", v[0]);
  if (!q) error_at(im, "questionnaire", M_UNKNOWN_QUESTIONNAIRE, v[0]);
  one_of(im, "type", v[3]);
  /* the text of a question may be corrected; what it asks and how it is scored not */
  if (q && changed && existed && (strcmp(stored[2], v[2]) || strcmp(stored[3], v[3])) &&
      questionnaire_answered(im, v[0]))
    error_at(im, "questionnaire", M_QUESTIONNAIRE_ANSWERED, v[0]);
  if (q && changed && !existed && questionnaire_answered(im, v[0]))
    error_at(im, "questionnaire", M_QUESTIONNAIRE_ANSWERED, v[0]);
  if (im->nerr != e || !changed) return 0;
  return exec_typed(im,
                    "INSERT INTO question (questionnaire_id, key, position, type, text, low, high) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (questionnaire_id, key) DO UPDATE SET "
                    "position = excluded.position, type = excluded.type, text = excluded.text, "
                    "low = excluded.low, high = excluded.high",
                    "itdtttt", q, v[1], v[2], v[3], v[4], v[5], v[6]);
}

static int do_surveys(struct import *im, char **v, int existed, char **stored, int changed) {
  (void)stored;
  int e = im->nerr;
  int64_t q = id_of(im, "SELECT id FROM questionnaire WHERE code = ?", v[1]);
  if (!q) error_at(im, "questionnaire", M_UNKNOWN_QUESTIONNAIRE, v[1]);
  int t = -1;
  int64_t reg = 0;
  if (empty(v[2]) == empty(v[3])) error_at(im, "trajectory", M_SURVEY_NEEDS_ONE_SUBJECT);
  if (!empty(v[2])) t = traj_ref(im, v[2]);
  if (!empty(v[3])) reg = registration_ref(im, "registration", v[3], NULL, NULL);
  dates_ordered(im, "expires", v[4], v[5]);
  long max = strtol(v[6], NULL, 10);
  if (max < 1 || max > 1000) error_at(im, "max_answers", M_MAX_ANSWERS_RANGE, v[6]);
  if (im->nerr != e || !changed) return 0;
  if (existed)
    return exec_typed(im,
                      "UPDATE survey SET questionnaire_id = ?, trajectory_id = ?, registration_id = ?, "
                      "created = ?, expires = ?, max_answers = ? WHERE ext_id = ?",
                      "iIIttdt", q, t >= 0 ? im->m.trajectories[t].id : (int64_t)0, reg, v[4], v[5], v[6],
                      v[0]);
  /* a survey made by an import gets its own new link */
  unsigned char raw[24];
  char token[64];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2base64(token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return exec_typed(
      im,
      "INSERT INTO survey (ext_id, token, questionnaire_id, trajectory_id, registration_id, created, "
      "expires, max_answers) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      "ttiIIttd", v[0], token, q, t >= 0 ? im->m.trajectories[t].id : (int64_t)0, reg, v[4], v[5], v[6]);
}

static int do_survey_answers(struct import *im, char **v, int existed, char **stored, int changed) {
  (void)existed;
  (void)stored;
  int e = im->nerr;
  struct db_stmt *st =
      db_prepare(im->db, "SELECT s.id, s.max_answers, q.code FROM survey s "
                         "JOIN questionnaire q ON q.id = s.questionnaire_id WHERE s.ext_id = ?");
  int64_t survey = 0, max = 0;
  char qcode[128] = "";
  if (st) {
    db_bind_text(st, 1, v[0]);
    if (db_step(st) == DB_ROW) {
      survey = db_col_int64(st, 0);
      max = db_col_int64(st, 1);
      snprintf(qcode, sizeof qcode, "%s", db_col_text(st, 2));
    }
    db_finalize(st);
  }
  if (!survey) {
    error_at(im, "survey", M_UNKNOWN_SURVEY, v[0]);
    return 0;
  }
  long seq = strtol(v[1], NULL, 10);
  if (seq < 1 || seq > max) {
    char m[24];
    snprintf(m, sizeof m, "%lld", (long long)max);
    error_at(im, "response", M_RESPONSE_RANGE, m, v[1]);
  }
  int64_t question = 0;
  char type[16] = "";
  st = db_prepare(im->db, "SELECT k.id, k.type FROM question k JOIN survey s ON s.questionnaire_id = "
                          "k.questionnaire_id WHERE s.id = ? AND k.key = ?");
  if (st) {
    db_bind_int64(st, 1, survey);
    db_bind_text(st, 2, v[2]);
    if (db_step(st) == DB_ROW) {
      question = db_col_int64(st, 0);
      snprintf(type, sizeof type, "%s", db_col_text(st, 1));
    }
    db_finalize(st);
  }
  if (!question) error_at(im, "question", M_UNKNOWN_QUESTION, v[2], qcode);
  int scale = !strcmp(type, "scale");
  /* reported on the column that is wrong: the one filled in that should be empty, else the
     one left empty */
  if (question && scale && (!empty(v[4]) || empty(v[3])))
    error_at(im, !empty(v[4]) ? "text" : "score", M_ANSWER_TYPE, v[2], "scale", "a score 1-5 and no text");
  else if (question && !scale && (!empty(v[3]) || empty(v[4])))
    error_at(im, !empty(v[3]) ? "score" : "text", M_ANSWER_TYPE, v[2], "open", "a text and no score");
  if (!empty(v[3]) && (strtol(v[3], NULL, 10) < 1 || strtol(v[3], NULL, 10) > 5))
    error_at(im, "score", M_SCORE_RANGE, v[3]);
  if (im->nerr != e || !changed) return 0;
  int rc =
      exec_typed(im,
                 "INSERT INTO survey_response (survey_id, seq) SELECT CAST(? AS BIGINT), CAST(? AS BIGINT) "
                 "WHERE NOT EXISTS "
                 "(SELECT 1 FROM survey_response WHERE survey_id = ? AND seq = ?)",
                 "idid", survey, v[1], survey, v[1]);
  if (!rc)
    rc = exec_typed(im,
                    "INSERT INTO survey_answer (response_id, question_id, score, text) "
                    "SELECT id, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT) FROM survey_response "
                    "WHERE survey_id = ? AND seq = ? "
                    "ON CONFLICT (response_id, question_id) DO UPDATE SET score = excluded.score, "
                    "text = excluded.text",
                    "idtid", question, v[3], v[4], survey, v[1]);
  return rc;
}

/* ---- registrations ---- */

/* The tables an import of registrations.csv writes row by row (domain/registration.c). */
static const char *const REGISTRATION_TABLES[4] = {"registration", "registration_advisor",
                                                   "registration_institution", "registration_count"};

static int prepare_registration_statements(struct import *im) {
  struct db *db = im->db;
  /* ids are handed out here (the import holds the write lock), which spares a RETURNING
     round per row */
  im->next_reg_id = db_query_int(db, "SELECT MAX(id) FROM registration", 0) + 1;
  im->reg_lists_a =
      db_prepare(db, "SELECT a.code FROM registration_advisor ra JOIN advisor a ON a.id = ra.advisor_id "
                     "WHERE ra.registration_id = ? ORDER BY a.code");
  im->reg_lists_i = db_prepare(db, "SELECT i.number FROM registration_institution ri "
                                   "JOIN institution i ON i.id = ri.institution_id "
                                   "WHERE ri.registration_id = ? ORDER BY i.number");
  im->reg_counts =
      db_prepare(db, "SELECT target_group_id, count FROM registration_count WHERE registration_id = ?");
  if (reg_statements_prepare(db, &im->stmts) != 0 || !im->reg_lists_a || !im->reg_lists_i ||
      !im->reg_counts) {
    db_error(im, "preparing the registration statements");
    return -1;
  }
  /* the deltas of the aggregates are summed in memory and written once, at the end of
     the file (domain/aggregate.h) */
  im->stmts.agg_batch = 1;
  /* tests: batches of a few keys, so that a small dataset is written in many */
  const char *batch = getenv("BEREIK_IMPORT_AGG_BATCH");
  long keys = batch ? strtol(batch, NULL, 10) : 0;
  if (keys > 0) im->stmts.agg_batch_keys = (size_t)keys;
  return 0;
}

static void finalize_registration_statements(struct import *im) {
  if (!im->nerr && reg_statements_flush(&im->stmts) != 0) db_error(im, "writing the aggregates");
  if (im->keys_deferred && db_keys_restore(im->db) != DB_OK)
    db_error(im, "building the indexes and keys of the registrations");
  im->keys_deferred = 0;
  reg_statements_finalize(&im->stmts);
  db_finalize(im->reg_lists_a);
  db_finalize(im->reg_lists_i);
  db_finalize(im->reg_counts);
  im->reg_lists_a = im->reg_lists_i = im->reg_counts = NULL;
}

static char *list_of(struct db_stmt *st, int64_t id) {
  struct buf b = {0};
  db_bind_int64(st, 1, id);
  while (db_step(st) == DB_ROW) buf_printf(&b, "%s%s", b.len ? "|" : "", db_col_text(st, 0));
  db_reset(st);
  char *s = xstrdup(buf_str(&b));
  buf_free(&b);
  return s;
}

/* Fills the list and count columns of a stored registration (internal id in stored[6]). */
static void fetch_registration_links(struct import *im, char **stored) {
  int64_t id = strtoll(stored[R_ADVISORS], NULL, 10);
  im->cur_id = id;
  free(stored[R_ADVISORS]);
  free(stored[R_INSTITUTIONS]);
  stored[R_ADVISORS] = list_of(im->reg_lists_a, id);
  stored[R_INSTITUTIONS] = list_of(im->reg_lists_i, id);
  db_bind_int64(im->reg_counts, 1, id);
  while (db_step(im->reg_counts) == DB_ROW) {
    int64_t gid = db_col_int64(im->reg_counts, 0), n = db_col_int64(im->reg_counts, 1);
    int g = gid <= im->m.max_tg_id ? im->m.tg_of_id[gid] : -1;
    if (g < 0 || n == 0) continue;
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%lld", (long long)n);
    free(stored[N_REG_BASE + g]);
    stored[N_REG_BASE + g] = xstrdup(tmp);
  }
  db_reset(im->reg_counts);
}

/* Canonical form of the reference columns of a registration: advisors sorted by code,
   institutions as numbers sorted, follow-up only on client registrations, zero counts
   as empty. */
static void report_problems(struct import *im, const struct reg_problems *ps) {
  for (int k = 0; k < ps->n; k++) {
    char name[128], msg[512];
    reg_problem_text(&ps->p[k], im->nl ? "nl" : "en", msg, sizeof msg);
    error_at(im, reg_col_name(&im->m, ps->p[k].col, name), M_AS_IS, msg);
  }
}

static void canon_registration(struct import *im, char **v) {
  struct reg_problems ps = {.n = 0};
  registration_canonicalize(&im->m, v, &ps);
  report_problems(im, &ps);
}

/* The write pipeline of a bulk import. When registrations.csv is imported into an
   empty registration table, no row needs the database to be read or validated, so
   parsing and validation (this thread) run beside the SQLite writes (a writer thread
   that alone uses the connection meanwhile). Records travel in batches. */
#define PIPE_BATCH 512
#define PIPE_SLOTS 64

struct pipe_batch {
  struct reg_write *w[PIPE_BATCH];
  int n;
};

struct pipe {
  pthread_mutex_t mu;
  pthread_cond_t not_empty, not_full;
  struct pipe_batch *slots[PIPE_SLOTS];
  int head, count, closed;
  struct pipe_batch *filling;
  struct import *im;
  const char *failed; /* set by the writer; read after join or under mu */
  long failed_line;
  pthread_t thread;
};

static void pipe_put(struct pipe *p, struct pipe_batch *b) {
  pthread_mutex_lock(&p->mu);
  while (p->count == PIPE_SLOTS && !p->failed) pthread_cond_wait(&p->not_full, &p->mu);
  if (p->failed) {
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < b->n; i++) reg_write_free(b->w[i]);
    free(b);
    return;
  }
  p->slots[(p->head + p->count) % PIPE_SLOTS] = b;
  p->count++;
  pthread_cond_signal(&p->not_empty);
  pthread_mutex_unlock(&p->mu);
}

static void *pipe_writer(void *arg) {
  struct pipe *p = arg;
  for (;;) {
    pthread_mutex_lock(&p->mu);
    while (p->count == 0 && !p->closed) pthread_cond_wait(&p->not_empty, &p->mu);
    if (p->count == 0) {
      pthread_mutex_unlock(&p->mu);
      return NULL;
    }
    struct pipe_batch *b = p->slots[p->head];
    p->head = (p->head + 1) % PIPE_SLOTS;
    p->count--;
    pthread_cond_signal(&p->not_full);
    const char *failed = p->failed;
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < b->n; i++) {
      if (!failed) {
        const char *msg = reg_write_exec(&p->im->stmts, b->w[i]);
        if (msg) {
          pthread_mutex_lock(&p->mu);
          p->failed = failed = msg;
          pthread_cond_broadcast(&p->not_full);
          pthread_mutex_unlock(&p->mu);
        }
      }
      reg_write_free(b->w[i]);
    }
    free(b);
  }
}

static int pipe_push(struct pipe *p, struct reg_write *w) {
  if (!p->filling) p->filling = xcalloc(1, sizeof *p->filling);
  p->filling->w[p->filling->n++] = w;
  if (p->filling->n == PIPE_BATCH) {
    pipe_put(p, p->filling);
    p->filling = NULL;
  }
  pthread_mutex_lock(&p->mu);
  int failed = p->failed != NULL;
  pthread_mutex_unlock(&p->mu);
  return failed ? -1 : 0;
}

static struct pipe *pipe_start(struct import *im) {
  struct pipe *p = xcalloc(1, sizeof *p);
  p->im = im;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->not_empty, NULL);
  pthread_cond_init(&p->not_full, NULL);
  if (pthread_create(&p->thread, NULL, pipe_writer, p) != 0) {
    free(p);
    return NULL; /* the import goes on without the pipeline */
  }
  return p;
}

/* Flushes, waits for the writer and reports its failure. */
static void pipe_finish(struct import *im) {
  struct pipe *p = im->pipe;
  if (!p) return;
  if (p->filling) pipe_put(p, p->filling);
  pthread_mutex_lock(&p->mu);
  p->closed = 1;
  pthread_cond_signal(&p->not_empty);
  pthread_mutex_unlock(&p->mu);
  pthread_join(p->thread, NULL);
  im->pipe = NULL;
  if (p->failed) db_error(im, p->failed);
  pthread_mutex_destroy(&p->mu);
  pthread_cond_destroy(&p->not_empty);
  pthread_cond_destroy(&p->not_full);
  free(p);
}

static int do_registrations(struct import *im, char **v, int existed, char **stored, int changed) {
  int e = im->nerr;
  struct reg_check c;
  registration_check(&im->m, v, &c);
  report_problems(im, &c.problems);
  int32_t day = day_of(v[R_DATE]);
  if (c.problems.n == 0 && changed && day != NO_DATE) {
    int y = school_year_of(day);
    int32_t old = existed ? day_of(stored[R_DATE]) : NO_DATE;
    int yo = old != NO_DATE ? school_year_of(old) : y;
    if (year_locked_before(im, y) || year_locked_before(im, yo)) {
      struct reg_problems ps = {.n = 1};
      ps.p[0].col = R_DATE;
      ps.p[0].code = RP_YEAR_LOCKED;
      school_year_format(year_locked_before(im, y) ? y : yo, ps.p[0].arg[0]);
      report_problems(im, &ps);
    }
  }
  if (im->nerr != e || !changed || im->db_failed) return 0;
  struct reg_write *w = reg_write_new(&im->m, v, &c, existed ? im->cur_id : im->next_reg_id++, existed);
  w->imported = 1; /* created_at and updated_at: unknown for an imported row (docs/QUALITY.md) */
  if (im->pipe) return pipe_push(im->pipe, w);
  const char *msg = reg_write_exec(&im->stmts, w);
  reg_write_free(w);
  if (msg) {
    db_error(im, msg);
    return -1;
  }
  return 0;
}

/* ---- data quality (docs/QUALITY.md) ---- */

static int do_holidays(struct import *im, char **v, int existed, char **stored, int changed) {
  (void)existed;
  (void)stored;
  int e = im->nerr;
  dates_ordered(im, "end", v[0], v[1]);
  int32_t a = day_of(v[0]), b = day_of(v[1]);
  if (im->nerr == e && a != NO_DATE && b != NO_DATE && b - a > 99)
    error_at(im, "end", M_HOLIDAY_TOO_LONG, v[0], v[1]);
  if (changed) locked_day(im, "start", a);
  if (im->nerr != e || !changed) return 0;
  return exec_typed(
      im,
      "INSERT INTO holiday (start_date, end_date, name) VALUES (?, ?, ?) "
      "ON CONFLICT (start_date) DO UPDATE SET end_date = excluded.end_date, name = excluded.name",
      "ttt", v[0], v[1], v[2]);
}

static int do_days_off(struct import *im, char **v, int existed, char **stored, int changed) {
  (void)existed;
  (void)stored;
  int e = im->nerr;
  int a = model_advisor(&im->m, v[0]);
  if (a < 0) error_at(im, "advisor", M_UNKNOWN_ADVISOR, v[0]);
  if (changed) locked_day(im, "date", day_of(v[1]));
  if (im->nerr != e || !changed) return 0;
  return exec_typed(im,
                    "INSERT INTO advisor_day_off (advisor_id, date, note) VALUES (?, ?, ?) "
                    "ON CONFLICT (advisor_id, date) DO UPDATE SET note = excluded.note",
                    "itt", im->m.advisors[a].id, v[1], v[2]);
}

static int do_advisor_lines(struct import *im, char **v, int existed, char **stored, int changed) {
  (void)existed;
  (void)stored;
  int e = im->nerr;
  int a = model_advisor(&im->m, v[0]), l = model_line(&im->m, v[2]);
  if (a < 0) error_at(im, "advisor", M_UNKNOWN_ADVISOR, v[0]);
  if (l < 0) error_at(im, "line", M_UNKNOWN_LINE, v[2]);
  double fte = dec(v[3]);
  if (!(fte >= 0 && fte <= 2)) error_at(im, "fte", M_LINE_FTE_RANGE, v[3]);
  int year = year_of_canonical(v[1]);
  if (changed) locked_change(im, "school_year", year);
  if (im->nerr != e) return 0;
  struct buf k = {0};
  buf_printf(&k, "%s\x1f%d", v[0], year);
  strmap_put(&im->line_plans_in_file, buf_str(&k), im->line);
  buf_free(&k);
  if (!changed) return 0;
  return exec_typed(
      im,
      "INSERT INTO advisor_line_plan (advisor_id, school_year, line_id, fte) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (advisor_id, school_year, line_id) DO UPDATE SET fte = excluded.fte",
      "iiir", im->m.advisors[a].id, (int64_t)year, im->m.lines[l].id, v[3]);
}

/* The planned FTE of an advisor over the lines of a school year (stored rows and the
   files together) adds up to at most the advisor's contract FTE. Reported on the file's
   last row of that advisor and year, or on the advisor's row when their FTE went down. */
static void check_line_plans(struct import *im) {
  if ((!im->stats[F_ADVISOR_LINES].present && !im->stats[F_ADVISORS].present) || im->db_failed) return;
  struct db_stmt *st =
      db_prepare(im->db, "SELECT a.code, p.school_year, SUM(p.fte), a.fte FROM advisor_line_plan p "
                         "JOIN advisor a ON a.id = p.advisor_id GROUP BY a.code, p.school_year, a.fte "
                         "HAVING SUM(p.fte) > a.fte + 0.0000001 ORDER BY a.code, p.school_year");
  if (!st) {
    im->line = 0;
    db_error(im, "checking the planned FTE per advisor");
    return;
  }
  int shown = 0;
  while (db_step(st) == DB_ROW) {
    const char *code = db_col_text(st, 0);
    int year = (int)db_col_int64(st, 1);
    char y[10], sum[32], contract[32];
    school_year_format(year, y);
    format_shortest(db_col_double(st, 2), sum);
    format_shortest(db_col_double(st, 3), contract);
    struct buf k = {0};
    buf_printf(&k, "%s\x1f%d", code, year);
    int64_t line = 0;
    if (strmap_get(&im->line_plans_in_file, buf_str(&k), &line)) {
      im->file = dataset_files[F_ADVISOR_LINES].file;
      im->line = line;
    } else {
      strmap_get(&im->fte_changed, code, &line);
      im->file = dataset_files[F_ADVISORS].file;
      im->line = line;
    }
    buf_free(&k);
    if (shown++ < 20) error_at(im, "fte", M_LINE_FTE_ABOVE_CONTRACT, code, y, sum, contract);
  }
  if (shown > 20) {
    im->line = 0;
    error_at(im, "fte", M_MORE, shown - 20);
  }
  db_finalize(st);
}

/* ---- the driver ---- */

typedef int (*row_fn)(struct import *, char **, int, char **, int);
static const row_fn handlers[F_COUNT] = {
    [F_SETTINGS] = do_settings,
    [F_SECTORS] = do_sectors,
    [F_LINES] = do_lines,
    [F_GOALS] = do_goals,
    [F_PLAN] = do_plan,
    [F_INSTITUTIONS] = do_institutions,
    [F_TEAMS] = do_teams,
    [F_ADVISORS] = do_advisors,
    [F_TARGET_GROUPS] = do_target_groups,
    [F_TARGETS] = do_targets,
    [F_TRAJECTORIES] = do_trajectories,
    [F_REGISTRATIONS] = do_registrations,
    [F_PD_SPEND] = do_pd_spend,
    [F_TRAJECTORY_ADVISORS] = do_trajectory_advisors,
    [F_ACTION_STEPS] = do_action_steps,
    [F_TRAJECTORY_PHASES] = do_trajectory_phases,
    [F_TRAJECTORY_OUTCOMES] = do_trajectory_outcomes,
    [F_FOLLOWUPS] = do_followups,
    [F_MECHANISMS] = do_mechanisms,
    [F_QUESTIONNAIRES] = do_questionnaires,
    [F_QUESTIONS] = do_questions,
    [F_SURVEYS] = do_surveys,
    [F_SURVEY_ANSWERS] = do_survey_answers,
    [F_HOLIDAYS] = do_holidays,
    [F_DAYS_OFF] = do_days_off,
    [F_ADVISOR_LINES] = do_advisor_lines,
};

static int parse_header(struct import *im, const struct csv_record *rec) {
  const struct filedef *fd = &dataset_files[im->fid];
  im->header_done = 1;
  im->ncols = fd->ncols + (im->fid == F_REGISTRATIONS ? (int)im->m.n_target_groups : 0);
  if (rec->n > MAX_COLS || im->ncols > MAX_COLS) {
    im->line = 1;
    error_at(im, "-", M_TOO_MANY_COLUMNS);
    im->header_bad = 1;
    return 1;
  }
  memset(im->present, 0, sizeof im->present);
  im->nheader = rec->n;
  im->line = rec->line;
  for (size_t i = 0; i < rec->n; i++) {
    char *name = NULL;
    dataset_normalize(rec->cells[i], C_CODE, 0, &name);
    int c = -1;
    for (int k = 0; k < fd->ncols; k++)
      if (!strcmp(fd->cols[k].name, name)) c = k;
    if (c < 0 && im->fid == F_REGISTRATIONS && !strncmp(name, "tg.", 3)) {
      int g = model_tg(&im->m, name + 3);
      if (g >= 0)
        c = fd->ncols + g;
      else {
        error_at(im, name, M_UNKNOWN_TARGET_GROUP, name + 3);
        im->header_bad = 1;
      }
    } else if (c < 0) {
      error_at(im, *name ? name : "-", M_UNKNOWN_COLUMN);
      im->header_bad = 1;
    }
    if (c >= 0 && im->present[c]) {
      error_at(im, name, M_COLUMN_APPEARS_TWICE);
      im->header_bad = 1;
    }
    if (c >= 0) im->present[c] = 1;
    im->colmap[i] = c;
    free(name);
  }
  for (int k = 0; k < fd->ncols; k++)
    if (fd->cols[k].required && !im->present[k]) {
      error_at(im, fd->cols[k].name, M_REQUIRED_COLUMN_MISSING);
      im->header_bad = 1;
    }
  return im->header_bad;
}

static const char *default_of(const struct import *im, int c) {
  const char *d = coldef_of(im, c)->dflt;
  return d ? d : "";
}

static int fetch_stored(struct import *im, char **key_vals, char **stored) {
  const struct filedef *fd = &dataset_files[im->fid];
  struct db_stmt *st = im->fetch;
  for (int k = 0; k < fd->nkey; k++) {
    if (fd->cols[fd->key[k]].type == C_YEAR)
      db_bind_int64(st, k + 1, year_of_canonical(key_vals[k]));
    else
      db_bind_text(st, k + 1, key_vals[k]);
  }
  int rc = db_step(st);
  if (rc != DB_ROW) {
    if (rc == DB_ERROR) db_error(im, "reading the stored row");
    return 0;
  }
  char tmp[64];
  for (int c = 0; c < im->ncols; c++) {
    if (c < fd->ncols)
      stored[c] = xstrdup(dataset_format_col(st, c, fd->cols[c].type, tmp));
    else
      stored[c] = xstrdup("");
  }
  int64_t id = 0;
  if (im->fid == F_TEAMS || im->fid == F_ADVISORS) id = db_col_int64(st, im->fid == F_TEAMS ? 2 : 6);
  db_reset(st);
  if (im->fid == F_REGISTRATIONS) fetch_registration_links(im, stored);
  if (im->fid == F_TEAMS || im->fid == F_ADVISORS) {
    struct db_stmt *l =
        db_prepare(im->db, im->fid == F_TEAMS ? "SELECT l.code FROM team_line tl JOIN line l ON l.id = "
                                                "tl.line_id WHERE tl.team_id = ? ORDER BY l.code"
                                              : "SELECT t.code FROM team_member tm JOIN team t ON t.id = "
                                                "tm.team_id WHERE tm.advisor_id = ? ORDER BY t.code");
    int lc = im->fid == F_TEAMS ? 2 : 6;
    if (l) {
      free(stored[lc]);
      stored[lc] = list_of(l, id);
      db_finalize(l);
    }
  }
  return 1;
}

static void canonicalize(struct import *im, char **v) {
  switch (im->fid) {
  case F_INSTITUTIONS:
    if (!empty(v[5])) {
      const char *b = institution_number(im, v[5]);
      if (!b)
        error_at(im, "board", M_UNKNOWN_INSTITUTION, v[5]);
      else if (!strcmp(b, v[0]))
        error_at(im, "board", M_INSTITUTION_CANNOT_ITS_OWN_BOARD);
      else if (strcmp(b, v[5])) {
        char *n = xstrdup(b);
        free(v[5]);
        v[5] = n;
      }
    }
    break;
  case F_TRAJECTORIES: {
    int i = model_institution(&im->m, v[1]);
    if (i >= 0 && strcmp(v[1], im->m.institutions[i].number)) {
      free(v[1]);
      v[1] = xstrdup(im->m.institutions[i].number);
    }
    break;
  }
  case F_TEAMS:
    list_canonical(&v[2]);
    break;
  case F_ADVISORS:
    list_canonical(&v[6]);
    break;
  case F_REGISTRATIONS:
    canon_registration(im, v);
    break;
  default:
    break;
  }
}

/* The bounds of every text cell (domain/bounds.h): valid UTF-8, no control characters
   (tabs and line breaks only in the long texts), and a maximum length. Reports and
   returns 1 on a fault; the cell itself is not echoed. */
static int cell_text_fault(struct import *im, const char *col, const struct coldef *cd, const char *cell) {
  int long_text = cd->name && (!strcmp(cd->name, "description") || !strcmp(cd->name, "shared_goal") ||
                               !strcmp(cd->name, "action_plan"));
  /* a registration id is a code too (BOUND_ID_MAX = BOUND_CODE_MAX) */
  size_t max = long_text            ? BOUND_DESCRIPTION_MAX
               : cd->type == C_TEXT ? BOUND_LABEL_MAX
               : cd->type == C_LIST ? (size_t)REG_MAX_LINKS * (BOUND_CODE_MAX + 1)
                                    : BOUND_CODE_MAX;
  size_t chars = 0;
  /* a code is trimmed of spaces and tabs before use: a tab around one is no fault */
  int fault = bounds_text(cell, max, long_text || cd->type != C_TEXT, &chars);
  if (fault == TEXT_OK && !long_text && cd->type != C_TEXT)
    for (const char *p = cell; *p && fault == TEXT_OK; p++)
      if (*p == '\n' || *p == '\r') fault = TEXT_CONTROL;
  if (fault == TEXT_OK && !long_text && cd->type != C_TEXT) {
    /* trimmed length for codes, lists and numbers */
    const char *b = cell, *e = cell + strlen(cell);
    while (*b == ' ' || *b == '\t') b++;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t')) e--;
    int inner_tab = 0;
    for (const char *p = b; p < e; p++) inner_tab |= *p == '\t';
    if (inner_tab && cd->type != C_LIST) fault = TEXT_CONTROL;
  }
  if (fault == TEXT_OK) return 0;
  struct reg_problems ps = {.n = 0};
  registration_text_problem(&ps, 0, fault, max, chars);
  char msg[256];
  reg_problem_text(&ps.p[0], im->nl ? "nl" : "en", msg, sizeof msg);
  error_at(im, col, M_AS_IS, msg);
  return 1;
}

/* Whether id still follows the ids before it in one of the two orders. */
static int id_in_order(struct import *im, const char *id) {
  if (!im->last_id) return im->in_byte_order = im->in_length_order = 1;
  size_t a = strlen(id), b = strlen(im->last_id);
  int cmp = strcmp(id, im->last_id);
  im->in_byte_order = im->in_byte_order && cmp > 0;
  im->in_length_order = im->in_length_order && (a != b ? a > b : cmp > 0);
  return im->in_byte_order || im->in_length_order;
}

/* Reading registrations.csv again: each record's id (normalised as on_record does) and
   line go to fn, from the first record after the header to the record before line stop
   (0: to the end). */
struct id_pass {
  const struct reg_source *src;
  long stop;
  int header;
  void (*fn)(struct id_pass *p, const char *id, long line);
  struct strmap *map;
};

static int id_pass_record(const struct csv_record *rec, void *data) {
  struct id_pass *p = data;
  if (!p->header) return p->header = 1, 0;
  if (p->stop && rec->line >= p->stop) return 1;
  if (p->src->id_col < 0 || (size_t)p->src->id_col >= rec->n) return 0;
  char *id = NULL;
  if (dataset_normalize(rec->cells[p->src->id_col], C_CODE, p->src->allow_comma, &id) == 0 && id && *id)
    p->fn(p, id, rec->line);
  free(id);
  return 0;
}

static void read_ids(struct id_pass *p) {
  long l;
  char e[256];
  if (p->src->path)
    csv_read_file(p->src->path, id_pass_record, p, NULL, &l, e, sizeof e);
  else if (p->src->mem)
    csv_read_mem(p->src->mem->data, p->src->mem->len, id_pass_record, p, NULL, &l, e, sizeof e);
}

static void keep_first(struct id_pass *p, const char *id, long line) {
  if (!strmap_get(p->map, id, NULL)) strmap_put(p->map, id, line);
}

/* The file's column of the id, from the header read last (registrations.csv's). */
static void note_id_col(struct import *im) {
  im->regs.id_col = -1;
  im->regs.allow_comma = im->allow_comma;
  for (size_t i = 0; i < im->nheader && i < MAX_COLS; i++)
    if (im->colmap[i] == dataset_files[F_REGISTRATIONS].key[0]) im->regs.id_col = (int)i;
}

/* The ids came in order up to line stop: keep them all from here on (first lines). */
static void keep_ids(struct import *im, long stop) {
  note_id_col(im);
  struct id_pass p = {.src = &im->regs, .stop = stop, .fn = keep_first, .map = &im->keys_seen};
  read_ids(&p);
  im->ids_kept = 1;
  free(im->last_id);
  im->last_id = NULL;
}

static void mark_wanted(struct id_pass *p, const char *id, long line) {
  int64_t v;
  if (strmap_get(p->map, id, &v) && v == 0) strmap_put(p->map, id, line);
}

/* For each id of ids (a map id -> 0), its first line in registrations.csv; an id not in
   the file keeps 0. From the ids kept, or else by reading the file again. */
static void reg_lines(struct import *im, struct strmap *ids) {
  if (!ids->len) return;
  if (im->ids_kept) {
    for (size_t s = 0; s < ids->cap; s++) {
      int64_t l;
      if (ids->keys[s] && strmap_get(&im->regs_in_file, ids->keys[s], &l)) ids->vals[s] = l;
    }
    return;
  }
  struct id_pass p = {.src = &im->regs, .fn = mark_wanted, .map = ids};
  read_ids(&p);
}

static int on_record(const struct csv_record *rec, void *data) {
  struct import *im = data;
  if (!im->header_done) return parse_header(im, rec);
  if (rec->n == 1 && !*rec->cells[0]) return 0; /* a blank line */
  const struct filedef *fd = &dataset_files[im->fid];
  im->line = rec->line;
  int e0 = im->nerr;
  char *vals[MAX_COLS], *stored[MAX_COLS], *merged[MAX_COLS];
  memset(vals, 0, sizeof(char *) * (size_t)im->ncols);
  memset(stored, 0, sizeof(char *) * (size_t)im->ncols);
  memset(merged, 0, sizeof(char *) * (size_t)im->ncols);
  size_t nfile = rec->n, nheader = im->nheader;
  if (nfile != nheader) {
    error_at(im, "-", M_ROW_HAS_CELLS_HEADER_HAS, nfile, nheader);
    return 0;
  }
  for (size_t i = 0; i < nfile; i++) {
    int c = im->colmap[i];
    if (c < 0) continue;
    const struct coldef *cd = coldef_of(im, c);
    char name[128];
    if (cell_text_fault(im, col_name(im, c, name), cd, rec->cells[i])) continue;
    int fault = dataset_normalize(rec->cells[i], cd->type, im->allow_comma, &vals[c]);
    if (fault) {
      char *shown = xstrdup(rec->cells[i]);
      error_at(im, col_name(im, c, name), M_CELL_FAULT, dataset_fault_text(fault, im->nl), shown);
      free(shown);
    } else if (cd->required && !*vals[c]) {
      error_at(im, col_name(im, c, name), M_VALUE_REQUIRED);
    }
  }
  int changed = 0, existed = 0;
  if (im->nerr != e0) goto out;
  /* key and duplicates */
  struct buf key = {0};
  char *key_vals[8];
  for (int k = 0; k < fd->nkey; k++) {
    key_vals[k] = vals[fd->key[k]] ? vals[fd->key[k]] : "";
    buf_printf(&key, "%s%s", k ? "\x1f" : "", key_vals[k]);
  }
  if (im->fid == F_REGISTRATIONS && !im->ids_kept) {
    if (id_in_order(im, buf_str(&key))) {
      free(im->last_id);
      im->last_id = xstrdup(buf_str(&key));
      goto keyed;
    }
    keep_ids(im, im->line);
  }
  int64_t prev;
  if (strmap_get(&im->keys_seen, buf_str(&key), &prev)) {
    error_at(im, fd->cols[fd->key[0]].name, M_DUPLICATE_KEY_ALREADY_LINE, (long long)prev);
    buf_free(&key);
    goto out;
  }
  strmap_put(&im->keys_seen, buf_str(&key), im->line);
keyed:
  buf_free(&key);
  existed = im->fetch ? fetch_stored(im, key_vals, stored) : 0;
  for (int c = 0; c < im->ncols; c++) {
    if (im->present[c] && vals[c]) {
      merged[c] = vals[c]; /* moved, not copied: this is the import's hot path */
      vals[c] = NULL;
    } else {
      merged[c] = xstrdup(existed ? stored[c] : default_of(im, c));
    }
  }
  canonicalize(im, merged);
  if (im->nerr != e0) goto out;
  changed = !existed;
  for (int c = 0; !changed && c < im->ncols; c++) changed = strcmp(merged[c], stored[c]) != 0;
  handlers[im->fid](im, merged, existed, stored, changed);
  if (im->nerr == e0) {
    struct file_stats *s = &im->stats[im->fid];
    if (!existed)
      s->inserted++;
    else if (changed)
      s->updated++;
    else
      s->unchanged++;
  }
out:
  for (int c = 0; c < im->ncols; c++) {
    free(vals[c]);
    free(stored[c]);
    free(merged[c]);
  }
  return im->db_failed;
}

/* Collects the numbers and codes of institutions.csv, so that a board may name an
   institution further down the file. */
struct prescan {
  struct import *im;
  int num_col, code_col, header;
};

static int prescan_record(const struct csv_record *rec, void *data) {
  struct prescan *p = data;
  if (!p->header) {
    p->header = 1;
    p->num_col = p->code_col = -1;
    for (size_t i = 0; i < rec->n; i++) {
      char *n = NULL;
      dataset_normalize(rec->cells[i], C_CODE, 0, &n);
      if (!strcmp(n, "number")) p->num_col = (int)i;
      if (!strcmp(n, "code")) p->code_col = (int)i;
      free(n);
    }
    return p->num_col < 0;
  }
  if (p->num_col >= (int)rec->n) return 0;
  struct import *im = p->im;
  char *num = NULL, *code = NULL;
  dataset_normalize(rec->cells[p->num_col], C_CODE, 0, &num);
  if (p->code_col >= 0 && p->code_col < (int)rec->n)
    dataset_normalize(rec->cells[p->code_col], C_CODE, 0, &code);
  grow_array((void **)&im->file_inst_numbers, &im->cap_file_inst, im->n_file_inst + 1, sizeof(char *));
  im->file_inst_numbers[im->n_file_inst] = num;
  strmap_put(&im->file_inst_number, num, (int64_t)im->n_file_inst);
  if (code && *code) strmap_put(&im->file_inst_code, code, (int64_t)im->n_file_inst);
  im->n_file_inst++;
  free(code);
  return 0;
}

static int reload_model(struct import *im) {
  char err[512];
  model_free(&im->m);
  if (model_load(im->db, &im->m, err, sizeof err) != 0) {
    fprintf(im->out, "%s: -: -: %s\n", im->file, err);
    im->nerr++;
    im->db_failed = 1;
    return -1;
  }
  return 0;
}

/* The boards of institutions.csv, BOARD_BATCH institutions a statement: one join each
   (an institution and its board by number), not a lookup per institution, which a role
   that bypasses row-level security makes a scan of the table (its keys begin with the
   service). */
enum { BOARD_BATCH = 256 };

static void resolve_boards(struct import *im) {
  for (size_t at = 0; at < im->n_boards && !im->db_failed; at += BOARD_BATCH) {
    size_t n = im->n_boards - at < BOARD_BATCH ? im->n_boards - at : BOARD_BATCH;
    struct buf sql = {0};
    buf_puts(&sql, "UPDATE institution SET board_id = b.id FROM (VALUES ");
    for (size_t i = 0; i < n; i++) buf_puts(&sql, i ? ", (?, ?)" : "(?, ?)");
    buf_puts(&sql, ") AS v LEFT JOIN institution b ON b.number = v.column2 "
                   "WHERE institution.number = v.column1");
    const char *p[2 * BOARD_BATCH];
    for (size_t i = 0; i < n; i++) {
      p[2 * i] = im->boards[at + i].number;
      p[2 * i + 1] = im->boards[at + i].board;
    }
    im->line = im->boards[at].line;
    exec_params(im, buf_str(&sql), (int)(2 * n), p);
    buf_free(&sql);
  }
}

/* Whether the file's stored rows (its select, which the row lookup narrows to a key) are
   none that this connection sees. Then no row of the file is stored yet (the file's own
   keys differ from each other), and none is looked up. */
static int stored_rows_none(struct import *im, const struct filedef *fd) {
  const char *order = strstr(fd->select_all, " ORDER BY ");
  if (!order) return 0;
  struct buf sql = {0};
  buf_printf(&sql, "SELECT COUNT(*) FROM (%.*s LIMIT 1) x", (int)(order - fd->select_all), fd->select_all);
  int none = db_query_int(im->db, buf_str(&sql), -1) == 0;
  buf_free(&sql);
  return none;
}

/* One file: from path, or from memory when mem is given. */
static void process_file(struct import *im, int fid, const char *path, const struct dataset_mem *mem) {
  const struct filedef *fd = &dataset_files[fid];
  im->fid = fid;
  im->file = fd->file;
  im->header_done = im->header_bad = 0;
  strmap_free(&im->keys_seen);
  im->stats[fid].present = 1;
  if (fid == F_REGISTRATIONS) {
    free(im->regs.path);
    im->regs.path = path ? xstrdup(path) : NULL;
    im->regs.mem = mem;
    im->regs.id_col = -1;
    im->ids_kept = 0;
  }

  if (fid == F_INSTITUTIONS) {
    struct prescan p = {im, -1, -1, 0};
    long l;
    char e[256];
    if (path)
      csv_read_file(path, prescan_record, &p, NULL, &l, e, sizeof e);
    else
      csv_read_mem(mem->data, mem->len, prescan_record, &p, NULL, &l, e, sizeof e);
  }
  int stored_none = stored_rows_none(im, fd);
  int empty_table = fid == F_REGISTRATIONS && stored_none;
  /* with several services the table is empty only as this service sees it: its keys stay
     (dropping them would rebuild them over every service's rows and lock the tables for
     all of them until the commit) */
  int whole_table_empty = empty_table && service_count(im->db) == 1;
  im->fetch = NULL;
  if (!stored_none) {
    const char *order = strstr(fd->select_all, " ORDER BY ");
    struct buf sql = {0};
    buf_append(&sql, fd->select_all, (size_t)(order - fd->select_all));
    if (!strncmp(key_where[fid], "AND ", 4))
      buf_printf(&sql, " %s", key_where[fid]);
    else
      buf_printf(&sql, " WHERE %s", key_where[fid]);
    im->fetch = db_prepare(im->db, buf_str(&sql));
    buf_free(&sql);
    if (!im->fetch) {
      im->line = 0;
      db_error(im, "preparing the row lookup");
      return;
    }
  }
  if (fid == F_REGISTRATIONS && prepare_registration_statements(im) != 0) return;
  if (fid == F_REGISTRATIONS && empty_table && !getenv("BEREIK_IMPORT_NO_PIPELINE"))
    im->pipe = pipe_start(im);
  /* into an empty table on PostgreSQL: COPY instead of one INSERT per row (nothing reads
     the new rows before finalize_registration_statements loads the rest) */
  if (fid == F_REGISTRATIONS && empty_table && db_can_copy(im->db)) im->stmts.copy = 1;
  /* into an empty table: the secondary indexes of the registrations and their links
     (by date, advisor, institution; on PostgreSQL the foreign keys too) are made once
     at the end over all rows (a sort, one join per key) instead of row by row at as
     many places in the index as there are advisors and institutions; all inside the
     import's transaction, so a failed import leaves them as they were. On PostgreSQL
     the tables stay locked until the commit: readers of an empty table wait for it. */
  if (fid == F_REGISTRATIONS && whole_table_empty) {
    if (db_keys_defer(im->db, REGISTRATION_TABLES, 4) != DB_OK) {
      im->line = 0;
      db_error(im, "setting the registrations' indexes aside");
      return;
    }
    im->keys_deferred = 1;
  }

  struct csv_info info;
  long err_line = 0;
  char err[256];
  /* ';' files may use a decimal comma */
  FILE *f = path ? fopen(path, "rb") : NULL;
  char head[4096] = {0};
  if (f || mem) {
    size_t n =
        mem ? (mem->len < sizeof head - 1 ? mem->len : sizeof head - 1) : fread(head, 1, sizeof head - 1, f);
    if (mem) memcpy(head, mem->data, n);
    if (f) fclose(f);
    size_t off = n >= 3 && (unsigned char)head[0] == 0xEF && (unsigned char)head[1] == 0xBB &&
                         (unsigned char)head[2] == 0xBF
                     ? 3
                     : 0;
    im->allow_comma = csv_detect_delim(head + off, n - off) == ';';
  }
  int read_rc = path ? csv_read_file(path, on_record, im, &info, &err_line, err, sizeof err)
                     : csv_read_mem(mem->data, mem->len, on_record, im, &info, &err_line, err, sizeof err);
  pipe_finish(im);
  if (read_rc != 0) {
    im->line = err_line;
    error_at(im, "-", M_AS_IS, err);
  }
  memcpy(im->stats[fid].sha256, info.sha256, 32);
  if (!im->header_done) {
    im->line = 1;
    error_at(im, "-", M_FILE_EMPTY_HEADER_ROW_REQUIRED);
  }
  db_finalize(im->fetch);
  im->fetch = NULL;
  if (fid == F_REGISTRATIONS) {
    finalize_registration_statements(im);
    /* the keys of registrations.csv are its ids: keep them, if kept, for the stored-row
       checks (else reg_lines reads the file again) */
    note_id_col(im);
    strmap_free(&im->regs_in_file);
    im->regs_in_file = im->keys_seen;
    strmap_init(&im->keys_seen);
    free(im->last_id);
    im->last_id = NULL;
  }
  if (fid == F_INSTITUTIONS) resolve_boards(im);
  if (!im->db_failed && fid != F_REGISTRATIONS && fid != F_PD_SPEND) reload_model(im);
}

/* Stored rows that are not in the files but depend on rows the import changed. The rows
   each changed key finds are gathered first, so that one reading of registrations.csv
   (reg_lines) tells which of them are the file's own (already checked as the file's). */
struct stored_hit {
  size_t slot; /* of the changed key in map */
  char *ext, *col;
};

static void check_map(struct import *im, int fid, struct strmap *map, const char *col, const char *sql,
                      const char *en, const char *nl) {
  struct stored_hit *hits = NULL;
  size_t n = 0, cap = 0;
  struct strmap in_file;
  strmap_init(&in_file);
  for (size_t s = 0; s < map->cap && !im->db_failed; s++) {
    if (!map->keys[s]) continue;
    struct db_stmt *st = db_prepare(im->db, sql);
    if (!st) {
      im->file = dataset_files[fid].file;
      im->line = map->vals[s];
      db_error(im, "checking stored rows");
      break;
    }
    db_bind_text(st, 1, map->keys[s]);
    while (db_step(st) == DB_ROW) {
      grow_array((void **)&hits, &cap, n + 1, sizeof *hits);
      hits[n].slot = s;
      hits[n].ext = xstrdup(db_col_text(st, 0));
      hits[n].col = xstrdup(col ? col : db_col_text(st, 1));
      if (fid != F_LINES) strmap_put(&in_file, hits[n].ext, 0);
      n++;
    }
    db_finalize(st);
  }
  if (!im->db_failed) reg_lines(im, &in_file);
  int shown = 0;
  for (size_t i = 0; i < n && !im->db_failed; i++) {
    im->file = dataset_files[fid].file;
    im->line = map->vals[hits[i].slot];
    int64_t l = 0;
    int own = strmap_get(&in_file, hits[i].ext, &l) && l > 0;
    if (!own && shown++ < 20) error_at(im, hits[i].col, en, nl, map->keys[hits[i].slot], hits[i].ext);
    if (i + 1 == n || hits[i + 1].slot != hits[i].slot) {
      if (shown > 20) error_at(im, col ? col : "-", M_MORE, shown - 20);
      shown = 0;
    }
  }
  for (size_t i = 0; i < n; i++) {
    free(hits[i].ext);
    free(hits[i].col);
  }
  free(hits);
  strmap_free(&in_file);
}

static void check_stored_rows(struct import *im) {
  check_map(im, F_ADVISORS, &im->changed_advisors, NULL,
            "SELECT r.ext_id, CASE WHEN r.date < a.start_date THEN 'start' ELSE 'end' END "
            "FROM registration_advisor ra JOIN advisor a ON a.id = ra.advisor_id "
            "JOIN registration r ON r.id = ra.registration_id WHERE a.code = ? AND "
            "((a.start_date IS NOT NULL AND r.date < a.start_date) OR (a.end_date IS NOT NULL AND r.date > "
            "a.end_date)) "
            "ORDER BY r.ext_id",
            M_ADVISOR_WOULD_NO_LONGER_EMPLOYED);
  check_map(im, F_GOALS, &im->changed_goals, "line",
            "SELECT r.ext_id FROM registration r JOIN goal g ON g.id = r.goal_id WHERE g.code = ? "
            "AND r.line_id <> g.line_id ORDER BY r.ext_id",
            M_GOAL_LEAVES_REGISTRATION_LINE);
  check_map(im, F_GOALS, &im->changed_goals, "line",
            "SELECT t.ext_id FROM trajectory t JOIN goal g ON g.id = t.goal_id WHERE g.code = ? "
            "AND t.line_id IS NOT NULL AND t.line_id <> g.line_id ORDER BY t.ext_id",
            M_GOAL_LEAVES_TRAJECTORY_LINE);
  check_map(im, F_TRAJECTORIES, &im->changed_trajectories, "institution",
            "SELECT r.ext_id FROM registration r JOIN trajectory t ON t.id = r.trajectory_id "
            "WHERE t.ext_id = ? AND NOT EXISTS (SELECT 1 FROM registration_institution ri "
            "WHERE ri.registration_id = r.id AND ri.institution_id = t.institution_id) ORDER BY r.ext_id",
            M_INSTITUTION_TRAJECTORY_NOT_AMONG_INSTITUTIONS);
  check_map(im, F_LINES, &im->lines_to_other, "kind",
            "SELECT CAST(p.school_year AS TEXT) || '-' || CAST(p.school_year + 1 AS TEXT) FROM plan p "
            "JOIN line l ON l.id = p.line_id WHERE l.code = ? "
            "AND (p.planned_fte <> 0 OR COALESCE(p.coloured_fte, 0) <> 0) ORDER BY p.school_year",
            M_LINE_CANNOT_BECOME_KIND_OTHER);
}

/* An advisor's registered minutes on one day, over the stored rows and the file together,
   are at most BOUND_DAY_MINUTES (the rule the form and the API apply one registration at
   a time). Reported on the minutes of the file's last registration of that advisor-day. */
static void check_day_totals(struct import *im) {
  if (!im->stats[F_REGISTRATIONS].present || im->db_failed) return;
  im->file = dataset_files[F_REGISTRATIONS].file;
  /* the aggregates hold every advisor's minutes per day, stored rows and the file's
     together (written before this check); without them, the sum over the registrations */
  int kept = agg_valid(im->db) == 1;
  struct db_stmt *days =
      kept ? db_prepare(im->db,
                        "SELECT a.code, x.k2, x.value FROM agg x JOIN advisor a ON a.id = x.k1 "
                        "WHERE x.measure = " AGG_ADVISOR_DAY_SQL " AND x.value > ? ORDER BY a.code, x.k2")
           : db_prepare(im->db,
                        "SELECT a.code, CAST(r.date AS TEXT), SUM(r.minutes) FROM registration_advisor ra "
                        "JOIN registration r ON r.id = ra.registration_id "
                        "JOIN advisor a ON a.id = ra.advisor_id GROUP BY a.code, r.date "
                        "HAVING SUM(r.minutes) > ? ORDER BY a.code, r.date");
  struct db_stmt *regs = db_prepare(
      im->db, "SELECT r.ext_id FROM registration r "
              "JOIN registration_advisor ra ON ra.registration_id = r.id "
              "JOIN advisor a ON a.id = ra.advisor_id WHERE a.code = ? AND CAST(r.date AS TEXT) = ?");
  if (!days || !regs) {
    im->line = 0;
    db_error(im, "checking the minutes per advisor and day");
    db_finalize(days);
    db_finalize(regs);
    return;
  }
  db_bind_int64(days, 1, BOUND_DAY_MINUTES);
  /* the first 20 advisor-days over the bound, each with its registrations' ids; then one
     look at registrations.csv for their lines */
  struct over_day {
    char arg[3][128]; /* advisor, minutes, date */
    char **ids;
    size_t n_ids, cap_ids;
  } over[20];
  int shown = 0, more = 0;
  struct strmap lines;
  strmap_init(&lines);
  while (db_step(days) == DB_ROW) {
    if (shown == 20) {
      more++;
      continue;
    }
    struct over_day *o = &over[shown++];
    memset(o, 0, sizeof *o);
    snprintf(o->arg[0], sizeof o->arg[0], "%s", db_col_text(days, 0));
    snprintf(o->arg[1], sizeof o->arg[1], "%lld", (long long)db_col_int64(days, 2));
    if (kept) {
      char d[16];
      date_format((int32_t)db_col_int64(days, 1), d);
      snprintf(o->arg[2], sizeof o->arg[2], "%s", d);
    } else {
      snprintf(o->arg[2], sizeof o->arg[2], "%s", db_col_text(days, 1));
    }
    db_bind_text(regs, 1, o->arg[0]);
    db_bind_text(regs, 2, o->arg[2]);
    while (db_step(regs) == DB_ROW) {
      grow_array((void **)&o->ids, &o->cap_ids, o->n_ids + 1, sizeof(char *));
      o->ids[o->n_ids++] = xstrdup(db_col_text(regs, 0));
      strmap_put(&lines, db_col_text(regs, 0), 0);
    }
    db_reset(regs);
  }
  reg_lines(im, &lines);
  for (int i = 0; i < shown; i++) {
    int64_t last = 0, l;
    for (size_t k = 0; k < over[i].n_ids; k++) {
      if (strmap_get(&lines, over[i].ids[k], &l) && l > last) last = l;
      free(over[i].ids[k]);
    }
    free(over[i].ids);
    struct reg_problems ps = {.n = 1};
    ps.p[0].col = R_MINUTES;
    ps.p[0].code = RP_DAY_TOTAL;
    memcpy(ps.p[0].arg, over[i].arg, sizeof ps.p[0].arg);
    im->line = last;
    report_problems(im, &ps);
  }
  strmap_free(&lines);
  if (more) {
    im->line = 0;
    error_at(im, "minutes", M_MORE, more);
  }
  db_finalize(days);
  db_finalize(regs);
}

static void hex(const unsigned char *h, char out[65]) {
  for (size_t i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static int write_audit(struct import *im, const char *dir, const char *actor) {
  struct buf j = {0};
  buf_puts(&j, "{\"files\": [");
  int first = 1;
  for (int f = 0; f < F_COUNT; f++) {
    struct file_stats *s = &im->stats[f];
    if (!s->present) continue;
    char h[65];
    hex(s->sha256, h);
    buf_printf(
        &j,
        "%s{\"file\": \"%s\", \"sha256\": \"%s\", \"inserted\": %ld, \"updated\": %ld, \"unchanged\": %ld}",
        first ? "" : ", ", dataset_files[f].file, h, s->inserted, s->updated, s->unchanged);
    first = 0;
  }
  buf_puts(&j, "]}");
  im->file = "-";
  im->line = 0;
  int rc = audit_write(im->db, (int64_t)time(NULL), actor, "import", "dataset", dir, NULL, NULL, buf_str(&j));
  if (rc != 0) db_error(im, "writing the audit entry");
  buf_free(&j);
  return rc;
}

static int known_file(const char *name) {
  for (int f = 0; f < F_COUNT; f++)
    if (!strcmp(dataset_files[f].file, name)) return 1;
  return 0;
}

int dataset_import(struct db *db, const char *dir, const char *actor) {
  return dataset_import_to(db, dir, actor, stderr);
}

int dataset_import_to(struct db *db, const char *dir, const char *actor, FILE *out) {
  return dataset_import_opts(db, dir, actor, out, NULL);
}

static int run_import(struct db *db, const char *dir, const struct dataset_mem *mem, int nmem,
                      const char *actor, FILE *out, const struct import_opts *opts);

int dataset_import_opts(struct db *db, const char *dir, const char *actor, FILE *out,
                        const struct import_opts *opts) {
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(out, "bereik: cannot open folder %s\n", dir);
    return 1;
  }
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (de->d_name[0] == '.') continue;
    if (!known_file(de->d_name))
      fprintf(out, "warning: %s/%s: not a dataset file, ignored\n", dir, de->d_name);
  }
  closedir(d);
  return run_import(db, dir, NULL, 0, actor, out, opts);
}

int dataset_import_mem(struct db *db, const struct dataset_mem *files, int n, const char *actor, FILE *out,
                       const struct import_opts *opts) {
  return run_import(db, NULL, files, n, actor, out, opts);
}

static int run_import(struct db *db, const char *dir, const struct dataset_mem *mem, int nmem,
                      const char *actor, FILE *out, const struct import_opts *opts) {
  struct import *im = xcalloc(1, sizeof *im);
  im->db = db;
  im->out = out;
  im->opts = opts;
  im->nl = opts && opts->lang && !strcmp(opts->lang, "nl");
  int rc = -1;

  db_bulk_hint(db);
  if (db_begin_write(db) != DB_OK) {
    fprintf(im->out, "bereik: cannot start the import: %s\n", db_errmsg(db));
    free(im);
    return -1;
  }
  im->file = "-";
  if (opts && opts->after_begin && opts->after_begin(db, opts->arg) != 0) {
    db_error(im, "reading the stored row");
    goto done;
  }
  if (reload_model(im) != 0) goto done;
  for (size_t i = 0; i < im->m.n_settings; i++)
    if (im->m.settings[i].locked) {
      im->locked_before = xrealloc(im->locked_before, sizeof(int) * (size_t)(im->n_locked_before + 1));
      im->locked_before[im->n_locked_before++] = im->m.settings[i].year;
    }
  int any = 0;
  for (int f = 0; f < F_COUNT && !im->db_failed; f++) {
    if (mem) {
      for (int i = 0; i < nmem; i++)
        if (mem[i].fid == f) {
          any = 1;
          process_file(im, f, NULL, &mem[i]);
        }
      continue;
    }
    struct buf path = {0};
    buf_printf(&path, "%s/%s", dir ? dir : ".", dataset_files[f].file);
    FILE *probe = fopen(buf_str(&path), "rb");
    if (probe) {
      fclose(probe);
      any = 1;
      process_file(im, f, buf_str(&path), NULL);
    }
    buf_free(&path);
  }
  if (!any) {
    fprintf(im->out, "bereik: %s holds no dataset file (settings.csv, lines.csv, registrations.csv, ...)\n",
            dir ? dir : "the import");
    im->nerr++;
  }
  if (!im->nerr) db_ids_assigned(db, "registration");
  if (!im->nerr) check_stored_rows(im);
  if (!im->nerr) check_day_totals(im);
  if (!im->nerr) check_line_plans(im);
  /* a database whose aggregates were not kept yet (registrations from before migration
     012) gets them now, in the import's transaction */
  char agg_err[512];
  if (!im->nerr && agg_ensure(db, agg_err, sizeof agg_err) < 0) db_error(im, "writing the aggregates");
  if (!im->nerr && !(opts && opts->before_commit))
    write_audit(im, dir ? dir : opts && opts->source ? opts->source : "-", actor);
  if (!im->nerr && opts && opts->before_commit && opts->before_commit(db, opts->arg) != 0)
    db_error(im, "recording the change");
done:
  if (im->nerr) {
    db_rollback(db);
    fprintf(im->out, "import failed: %d error%s; nothing was imported\n", im->nerr, im->nerr == 1 ? "" : "s");
    rc = im->db_failed ? -1 : 1;
  } else if (db_commit(db) != DB_OK) {
    fprintf(im->out, "bereik: cannot commit the import: %s\n", db_errmsg(db));
    db_rollback(db);
    rc = -1;
  } else {
    for (int f = 0; f < F_COUNT; f++)
      if (im->stats[f].present)
        fprintf(im->out, "%s: %ld inserted, %ld updated, %ld unchanged\n", dataset_files[f].file,
                im->stats[f].inserted, im->stats[f].updated, im->stats[f].unchanged);
    rc = 0;
  }
  model_free(&im->m);
  strmap_free(&im->keys_seen);
  strmap_free(&im->file_inst_number);
  strmap_free(&im->file_inst_code);
  for (size_t i = 0; i < im->n_file_inst; i++) free(im->file_inst_numbers[i]);
  free(im->file_inst_numbers);
  for (size_t i = 0; i < im->n_boards; i++) {
    free(im->boards[i].number);
    free(im->boards[i].board);
  }
  free(im->boards);
  strmap_free(&im->regs_in_file);
  free(im->last_id);
  free(im->regs.path);
  strmap_free(&im->changed_advisors);
  strmap_free(&im->changed_goals);
  strmap_free(&im->changed_trajectories);
  strmap_free(&im->lines_to_other);
  strmap_free(&im->line_plans_in_file);
  strmap_free(&im->fte_changed);
  free(im->locked_before);
  free(im);
  return rc;
}
