/* SPDX-License-Identifier: EUPL-1.2 */
/* The registration rules of domain/registration.h (spec/DOMAIN.md section 2 and
   spec/DATA-FORMAT.md section 1, "Validation"), on a model loaded from a tiny SQLite
   database that the project's own import fills:

     school years 2023-2024 and 2024-2025 (hours_per_fte 1185), today 2025-08-15;
     lines P1 and P2 (pillars); goals 1.1 (of P1) and 2.1 (of P2);
     institutions 100001 SAA, 100002 SAB, 012345 SAC (sector SO);
     advisors AN (always employed) and BE (employed 2024-09-01 .. 2025-06-30);
     target groups leraren and middenkader; trajectory T1 with SAA on P1.

   Every row goes through registration_canonicalize and then registration_check, as the
   import, the web form and the API do; a test names the problems it expects (column and
   code) and nothing else may be reported. The locked-year rule, which the callers apply,
   is tested through the dataset import (the one way in a unit test can drive). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/dates.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/model.h"
#include "domain/registration.h"
#include "io/dataset.h"

/* ---- the fixture: a SQLite file and a dataset folder ---- */

#define MAX_FILES 12

struct fixture {
  char db_path[64], dir[64];
  const char *written[MAX_FILES];
  int n_written;
  struct db *db;
  struct model m;
};

static void write_file(struct fixture *fx, const char *name, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", fx->dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) fail_msg("cannot write %s", path);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
  for (int i = 0; i < fx->n_written; i++)
    if (!strcmp(fx->written[i], name)) return;
  assert_true(fx->n_written < MAX_FILES);
  fx->written[fx->n_written++] = name;
}

static void remove_file(struct fixture *fx, const char *name) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", fx->dir, name);
  unlink(path);
}

/* The problems an import reports, as "column: message" lines. */
struct sink {
  char text[4096];
};

static void collect(void *arg, const char *file, long line, const char *column, const char *message) {
  struct sink *s = arg;
  size_t n = strlen(s->text);
  snprintf(s->text + n, sizeof s->text - n, "%s:%ld: %s: %s\n", file, line, column, message);
}

/* Imports the files written so far; returns dataset_import_opts's result. */
static int import_dir(struct fixture *fx, struct sink *s) {
  FILE *devnull = fopen("/dev/null", "w");
  assert_non_null(devnull);
  struct import_opts o = {0};
  o.problem = collect;
  o.problem_arg = s;
  if (s) s->text[0] = 0;
  int rc = dataset_import_opts(fx->db, fx->dir, "test", devnull, s ? &o : NULL);
  fclose(devnull);
  return rc;
}

static void reload(struct fixture *fx) {
  char err[512];
  model_free(&fx->m);
  if (model_load(fx->db, &fx->m, err, sizeof err) != 0) fail_msg("model_load: %s", err);
}

static int setup(void **state) {
  struct fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  *state = fx;
  snprintf(fx->db_path, sizeof fx->db_path, "/tmp/bereik-rules-db-XXXXXX");
  int fd = mkstemp(fx->db_path);
  if (fd < 0) return -1;
  close(fd);
  snprintf(fx->dir, sizeof fx->dir, "/tmp/bereik-rules-ds-XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  char err[512];
  fx->db = db_open(fx->db_path, err, sizeof err);
  if (!fx->db || db_migrate(fx->db, err, sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    return -1;
  }
  setenv("BEREIK_TODAY", "2025-08-15", 1);
  write_file(fx, "settings.csv", "school_year,hours_per_fte\n2023-2024,1185\n2024-2025,1185\n");
  write_file(fx, "sectors.csv", "code,name,group\nSO,Secundair onderwijs,(Bu)SO\n");
  write_file(fx, "lines.csv", "code,name,kind\nP1,Pijler 1,pillar\nP2,Pijler 2,pillar\n");
  write_file(fx, "goals.csv", "code,line,name\n1.1,P1,Doel 1.1\n2.1,P2,Doel 2.1\n");
  write_file(fx, "institutions.csv",
             "number,code,name,sector\n"
             "100001,SAA,School A,SO\n"
             "100002,SAB,School B,SO\n"
             "012345,SAC,School C,SO\n");
  write_file(fx, "advisors.csv",
             "code,name,fte,start,end\n"
             "AN,Anna,1,,\n"
             "BE,Bert,0.8,2024-09-01,2025-06-30\n");
  write_file(fx, "target_groups.csv", "code,name,position\nleraren,Leraren,1\nmiddenkader,Middenkader,2\n");
  write_file(fx, "trajectories.csv", "id,institution,line,level,status\nT1,SAA,P1,meso,active\n");
  struct sink s;
  int rc = import_dir(fx, &s);
  if (rc != 0) {
    fprintf(stderr, "setup import: %d\n%s", rc, s.text);
    return -1;
  }
  if (model_load(fx->db, &fx->m, err, sizeof err) != 0) {
    fprintf(stderr, "model_load: %s\n", err);
    return -1;
  }
  /* later imports bring their own files only */
  for (int i = 0; i < fx->n_written; i++) remove_file(fx, fx->written[i]);
  fx->n_written = 0;
  return 0;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  if (!fx) return 0;
  model_free(&fx->m);
  db_close(fx->db);
  char p[300];
  unlink(fx->db_path);
  snprintf(p, sizeof p, "%s-wal", fx->db_path);
  unlink(p);
  snprintf(p, sizeof p, "%s-shm", fx->db_path);
  unlink(p);
  for (int i = 0; i < fx->n_written; i++) remove_file(fx, fx->written[i]);
  rmdir(fx->dir);
  unsetenv("BEREIK_TODAY");
  free(fx);
  return 0;
}

/* ---- rows ---- */

#define TG_LERAREN (N_REG_BASE + 0)
#define TG_MIDDENKADER (N_REG_BASE + 1)

static int ncols(const struct model *m) { return N_REG_BASE + (int)m->n_target_groups; }

static void put(char **v, int col, const char *s) {
  free(v[col]);
  v[col] = xstrdup(s);
}

/* A valid client registration: 2024-10-07, 90 minutes, line P1, advisor AN, institution
   100001 (SAA), fysiek, 12 leraren. */
static char **client_row(const struct model *m) {
  char **v = xcalloc((size_t)ncols(m), sizeof *v);
  for (int i = 0; i < ncols(m); i++) v[i] = xstrdup("");
  put(v, R_ID, "r1");
  put(v, R_DATE, "2024-10-07");
  put(v, R_MINUTES, "90");
  put(v, R_KIND, "client");
  put(v, R_LINE, "P1");
  put(v, R_ADVISORS, "AN");
  put(v, R_INSTITUTIONS, "100001");
  put(v, R_MODALITY, "fysiek");
  put(v, TG_LERAREN, "12");
  return v;
}

/* A valid internal registration: 2024-10-08, 60 minutes, line P1, advisor AN,
   preparation. */
static char **internal_row(const struct model *m) {
  char **v = xcalloc((size_t)ncols(m), sizeof *v);
  for (int i = 0; i < ncols(m); i++) v[i] = xstrdup("");
  put(v, R_ID, "r2");
  put(v, R_DATE, "2024-10-08");
  put(v, R_MINUTES, "60");
  put(v, R_KIND, "internal");
  put(v, R_LINE, "P1");
  put(v, R_ADVISORS, "AN");
  put(v, R_ACTIVITY, "preparation");
  return v;
}

static void row_free(const struct model *m, char **v) {
  for (int i = 0; i < ncols(m); i++) free(v[i]);
  free(v);
}

/* Canonicalizes and checks a copy of v (v itself stays as given); the problems of both
   steps, in order, as "col:code,col:code". c receives the check. */
static const char *judge(const struct model *m, char **v, struct reg_check *c, struct reg_problems *canon,
                         char out[512]) {
  int n = ncols(m);
  char **w = xcalloc((size_t)n, sizeof *w);
  for (int i = 0; i < n; i++) w[i] = xstrdup(v[i]);
  canon->n = 0;
  registration_canonicalize(m, w, canon);
  registration_check(m, w, c);
  out[0] = 0;
  const struct reg_problems *lists[2] = {canon, &c->problems};
  for (int l = 0; l < 2; l++)
    for (int k = 0; k < lists[l]->n; k++)
      snprintf(out + strlen(out), 512 - strlen(out), "%s%d:%d", out[0] ? "," : "", lists[l]->p[k].col,
               lists[l]->p[k].code);
  for (int i = 0; i < n; i++) free(w[i]);
  free(w);
  return out;
}

static void expect_none(const struct model *m, char **v) {
  struct reg_check c;
  struct reg_problems canon;
  char got[512];
  if (strcmp(judge(m, v, &c, &canon, got), "")) fail_msg("problems %s, want none", got);
}

/* Exactly one problem, of this column and code; returns it (arg texts) in *p. */
static void expect_one(const struct model *m, char **v, int col, int code, struct reg_problem *p) {
  struct reg_check c;
  struct reg_problems canon;
  char got[512], want[32];
  snprintf(want, sizeof want, "%d:%d", col, code);
  judge(m, v, &c, &canon, got);
  if (strcmp(got, want)) fail_msg("problems %s, want %s", got, want);
  if (p) *p = canon.n ? canon.p[0] : c.problems.p[0];
}

/* This problem is among those reported. */
static void expect_has(const struct model *m, char **v, int col, int code) {
  struct reg_check c;
  struct reg_problems canon;
  char got[512], want[32];
  snprintf(want, sizeof want, "%d:%d", col, code);
  judge(m, v, &c, &canon, got);
  char padded[520], needle[40];
  snprintf(padded, sizeof padded, ",%s,", got);
  snprintf(needle, sizeof needle, ",%s,", want);
  if (!strstr(padded, needle)) fail_msg("problems %s, want %s among them", got, want);
}

/* ---- tests ---- */

static void test_valid_client_and_internal_rows_pass(void **state) {
  struct fixture *fx = *state;
  char **v = client_row(&fx->m);
  expect_none(&fx->m, v);
  row_free(&fx->m, v);
  v = internal_row(&fx->m);
  expect_none(&fx->m, v);
  row_free(&fx->m, v);
}

/* minutes: an integer > 0 and at most 24*60 = 1440 */
static void test_minutes_from_1_to_1440(void **state) {
  struct fixture *fx = *state;
  const struct model *m = &fx->m;
  char **v = internal_row(m);
  struct reg_check c;
  struct reg_problems canon;
  char got[512];
  put(v, R_MINUTES, "1");
  assert_string_equal(judge(m, v, &c, &canon, got), "");
  assert_int_equal(c.minutes, 1);
  put(v, R_MINUTES, "1440");
  assert_string_equal(judge(m, v, &c, &canon, got), "");
  assert_int_equal(c.minutes, 1440);
  static const char *const bad[] = {"0", "1441", "-1", "-90", "90.5", "1,5", "abc", "100000000000000000000"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    put(v, R_MINUTES, bad[i]);
    struct reg_problem p;
    expect_one(m, v, R_MINUTES, RP_MINUTES_RANGE, &p);
    assert_string_equal(p.arg[0], bad[i]);
  }
  put(v, R_MINUTES, "");
  expect_one(m, v, R_MINUTES, RP_MINUTES_REQUIRED, NULL);
  /* the same bounds on a client registration */
  row_free(m, v);
  v = client_row(m);
  put(v, R_MINUTES, "1441");
  expect_one(m, v, R_MINUTES, RP_MINUTES_RANGE, NULL);
  put(v, R_MINUTES, "0");
  expect_one(m, v, R_MINUTES, RP_MINUTES_RANGE, NULL);
  row_free(m, v);
}

/* kind: client or internal, nothing else */
static void test_kind_is_client_or_internal(void **state) {
  struct fixture *fx = *state;
  char **v = client_row(&fx->m);
  struct reg_check c;
  struct reg_problems canon;
  char got[512];
  assert_string_equal(judge(&fx->m, v, &c, &canon, got), "");
  assert_int_equal(c.client, 1);
  row_free(&fx->m, v);
  v = internal_row(&fx->m);
  assert_string_equal(judge(&fx->m, v, &c, &canon, got), "");
  assert_int_equal(c.client, 0);
  static const char *const bad[] = {"extern", "klant", "intern", ""};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    put(v, R_KIND, bad[i]);
    expect_has(&fx->m, v, R_KIND, RP_KIND_UNKNOWN);
  }
  row_free(&fx->m, v);
}

/* DATA-FORMAT.md 1: every error is reported, not only the first. An unknown kind leaves
   the client/internal rules undecidable, but the line and the advisors are judged the
   same for both kinds: their problems must still be reported. */
static void test_unknown_kind_does_not_hide_other_problems(void **state) {
  struct fixture *fx = *state;
  char **v = client_row(&fx->m);
  put(v, R_KIND, "extern");
  put(v, R_LINE, "P9");
  put(v, R_ADVISORS, "ZZ");
  expect_has(&fx->m, v, R_KIND, RP_KIND_UNKNOWN);
  expect_has(&fx->m, v, R_LINE, RP_LINE_UNKNOWN);
  expect_has(&fx->m, v, R_ADVISORS, RP_ADVISOR_UNKNOWN);
  row_free(&fx->m, v);
}

/* a client registration without institutions */
static void test_client_needs_institution(void **state) {
  struct fixture *fx = *state;
  char **v = client_row(&fx->m);
  put(v, R_INSTITUTIONS, "");
  expect_one(&fx->m, v, R_INSTITUTIONS, RP_CLIENT_NO_INSTITUTION, NULL);
  row_free(&fx->m, v);
}

/* a client registration without modality, or with an unknown one; the six modalities
   of the glossary are accepted */
static void test_client_needs_known_modality(void **state) {
  struct fixture *fx = *state;
  char **v = client_row(&fx->m);
  put(v, R_MODALITY, "");
  expect_one(&fx->m, v, R_MODALITY, RP_CLIENT_NO_MODALITY, NULL);
  put(v, R_MODALITY, "zoom");
  struct reg_problem p;
  expect_one(&fx->m, v, R_MODALITY, RP_MODALITY_UNKNOWN, &p);
  assert_string_equal(p.arg[0], "zoom");
  static const char *const ok[] = {"fysiek", "online", "hybride", "helpdesk", "walk", "klasbezoek"};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    put(v, R_MODALITY, ok[i]);
    expect_none(&fx->m, v);
  }
  row_free(&fx->m, v);
}

/* an internal registration needs an activity (one of seven) and has no institutions,
   modality, trajectory, level, follow-up or counts (an empty or 0 count is fine) */
static void test_internal_rules(void **state) {
  struct fixture *fx = *state;
  const struct model *m = &fx->m;
  char **v = internal_row(m);
  static const char *const ok[] = {
      "preparation", "follow_up", "self_study", "internal_meeting", "professional_development",
      "quality",     "other"};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    put(v, R_ACTIVITY, ok[i]);
    expect_none(m, v);
  }
  put(v, R_ACTIVITY, "");
  expect_one(m, v, R_ACTIVITY, RP_INTERNAL_NO_ACTIVITY, NULL);
  put(v, R_ACTIVITY, "coffee");
  expect_one(m, v, R_ACTIVITY, RP_ACTIVITY_UNKNOWN, NULL);
  put(v, R_ACTIVITY, "preparation");
  put(v, R_INSTITUTIONS, "100001");
  expect_one(m, v, R_INSTITUTIONS, RP_INTERNAL_INSTITUTIONS, NULL);
  put(v, R_INSTITUTIONS, "");
  put(v, R_MODALITY, "online");
  expect_one(m, v, R_MODALITY, RP_INTERNAL_MODALITY, NULL);
  put(v, R_MODALITY, "");
  put(v, R_TRAJECTORY, "T1");
  expect_one(m, v, R_TRAJECTORY, RP_INTERNAL_TRAJECTORY, NULL);
  put(v, R_TRAJECTORY, "");
  put(v, R_LEVEL, "meso");
  expect_one(m, v, R_LEVEL, RP_INTERNAL_LEVEL, NULL);
  put(v, R_LEVEL, "");
  put(v, R_FOLLOWUP, "true");
  expect_one(m, v, R_FOLLOWUP, RP_INTERNAL_FOLLOWUP, NULL);
  put(v, R_FOLLOWUP, "false");
  expect_none(m, v);
  put(v, R_FOLLOWUP, "");
  put(v, TG_MIDDENKADER, "3");
  expect_one(m, v, TG_MIDDENKADER, RP_INTERNAL_COUNTS, NULL);
  put(v, TG_MIDDENKADER, "0");
  expect_none(m, v);
  row_free(m, v);
}

static void test_unknown_line(void **state) {
  struct fixture *fx = *state;
  char **v = client_row(&fx->m);
  put(v, R_LINE, "P9");
  struct reg_problem p;
  expect_one(&fx->m, v, R_LINE, RP_LINE_UNKNOWN, &p);
  assert_string_equal(p.arg[0], "P9");
  row_free(&fx->m, v);
}

static void test_unknown_goal(void **state) {
  struct fixture *fx = *state;
  char **v = client_row(&fx->m);
  put(v, R_GOAL, "9.9");
  struct reg_problem p;
  expect_one(&fx->m, v, R_GOAL, RP_GOAL_UNKNOWN, &p);
  assert_string_equal(p.arg[0], "9.9");
  /* the goal is optional */
  put(v, R_GOAL, "");
  expect_none(&fx->m, v);
  row_free(&fx->m, v);
}

/* goal (optional) must belong to the registration's line */
static void test_goal_of_another_line(void **state) {
  struct fixture *fx = *state;
  char **v = client_row(&fx->m);
  struct reg_check c;
  struct reg_problems canon;
  char got[512];
  put(v, R_GOAL, "1.1");
  assert_string_equal(judge(&fx->m, v, &c, &canon, got), "");
  assert_int_equal(c.goal, model_goal(&fx->m, "1.1"));
  assert_int_equal(c.line, model_line(&fx->m, "P1"));
  put(v, R_GOAL, "2.1");
  struct reg_problem p;
  expect_one(&fx->m, v, R_GOAL, RP_GOAL_OTHER_LINE, &p);
  assert_string_equal(p.arg[0], "2.1");
  assert_string_equal(p.arg[1], "P2");
  assert_string_equal(p.arg[2], "P1");
  put(v, R_LINE, "P2");
  expect_none(&fx->m, v);
  row_free(&fx->m, v);
}

static void test_unknown_advisor(void **state) {
  struct fixture *fx = *state;
  char **v = client_row(&fx->m);
  put(v, R_ADVISORS, "AN|ZZ");
  struct reg_problem p;
  expect_one(&fx->m, v, R_ADVISORS, RP_ADVISOR_UNKNOWN, &p);
  assert_string_equal(p.arg[0], "ZZ");
  /* one or more advisors */
  put(v, R_ADVISORS, "");
  expect_one(&fx->m, v, R_ADVISORS, RP_ADVISOR_REQUIRED, NULL);
  row_free(&fx->m, v);
}

/* BE is employed from 2024-09-01 to 2025-06-30, both inclusive */
static void test_advisor_not_employed_on_the_date(void **state) {
  struct fixture *fx = *state;
  const struct model *m = &fx->m;
  char **v = internal_row(m);
  put(v, R_ADVISORS, "BE");
  put(v, R_DATE, "2024-09-01");
  expect_none(m, v);
  put(v, R_DATE, "2025-06-30");
  expect_none(m, v);
  put(v, R_DATE, "2024-08-31");
  struct reg_problem p;
  expect_one(m, v, R_ADVISORS, RP_ADVISOR_NOT_EMPLOYED, &p);
  assert_string_equal(p.arg[0], "BE");
  assert_string_equal(p.arg[1], "2024-08-31");
  put(v, R_DATE, "2025-07-01");
  expect_one(m, v, R_ADVISORS, RP_ADVISOR_NOT_EMPLOYED, &p);
  assert_string_equal(p.arg[0], "BE");
  assert_string_equal(p.arg[1], "2025-07-01");
  /* with AN (always employed) only BE is named */
  put(v, R_ADVISORS, "AN|BE");
  expect_one(m, v, R_ADVISORS, RP_ADVISOR_NOT_EMPLOYED, &p);
  assert_string_equal(p.arg[0], "BE");
  put(v, R_ADVISORS, "AN");
  expect_none(m, v);
  row_free(m, v);
}

static void test_advisor_listed_twice(void **state) {
  struct fixture *fx = *state;
  char **v = client_row(&fx->m);
  put(v, R_ADVISORS, "AN|AN");
  expect_one(&fx->m, v, R_ADVISORS, RP_ADVISOR_TWICE, NULL);
  put(v, R_ADVISORS, "AN|BE|AN");
  expect_one(&fx->m, v, R_ADVISORS, RP_ADVISOR_TWICE, NULL);
  put(v, R_ADVISORS, "AN|BE");
  expect_none(&fx->m, v);
  row_free(&fx->m, v);
}

static void test_unknown_institution(void **state) {
  struct fixture *fx = *state;
  char **v = client_row(&fx->m);
  put(v, R_INSTITUTIONS, "100001|999999");
  struct reg_problem p;
  expect_one(&fx->m, v, R_INSTITUTIONS, RP_INSTITUTION_UNKNOWN, &p);
  assert_string_equal(p.arg[0], "999999");
  /* numbers are strings: 12345 is not 012345 */
  put(v, R_INSTITUTIONS, "12345");
  expect_has(&fx->m, v, R_INSTITUTIONS, RP_INSTITUTION_UNKNOWN);
  put(v, R_INSTITUTIONS, "012345");
  expect_none(&fx->m, v);
  row_free(&fx->m, v);
}

/* the same institution twice, also once by number and once by code */
static void test_institution_listed_twice(void **state) {
  struct fixture *fx = *state;
  char **v = client_row(&fx->m);
  put(v, R_INSTITUTIONS, "SAA|SAA");
  expect_one(&fx->m, v, R_INSTITUTIONS, RP_INSTITUTION_TWICE, NULL);
  put(v, R_INSTITUTIONS, "100001|SAA");
  expect_one(&fx->m, v, R_INSTITUTIONS, RP_INSTITUTION_TWICE, NULL);
  put(v, R_INSTITUTIONS, "100001|SAB");
  expect_none(&fx->m, v);
  row_free(&fx->m, v);
}

/* head counts: integers >= 0 */
static void test_head_count_negative_or_not_integer(void **state) {
  struct fixture *fx = *state;
  char **v = client_row(&fx->m);
  put(v, TG_MIDDENKADER, "-1");
  struct reg_problem p;
  expect_one(&fx->m, v, TG_MIDDENKADER, RP_COUNT_NEGATIVE, &p);
  assert_string_equal(p.arg[0], "-1");
  put(v, TG_MIDDENKADER, "2.5");
  expect_one(&fx->m, v, TG_MIDDENKADER, RP_COUNT_NOT_INTEGER, NULL);
  put(v, TG_MIDDENKADER, "0");
  expect_none(&fx->m, v);
  put(v, TG_MIDDENKADER, "2");
  expect_none(&fx->m, v);
  row_free(&fx->m, v);
}

/* a trajectory whose institution is not among the registration's institutions */
static void test_trajectory_institution(void **state) {
  struct fixture *fx = *state;
  char **v = client_row(&fx->m);
  put(v, R_TRAJECTORY, "T1");
  expect_none(&fx->m, v); /* T1 is SAA's, the row names 100001 = SAA */
  put(v, R_INSTITUTIONS, "SAB");
  expect_one(&fx->m, v, R_TRAJECTORY, RP_TRAJECTORY_INSTITUTION, NULL);
  put(v, R_INSTITUTIONS, "SAB|SAA");
  expect_none(&fx->m, v);
  put(v, R_TRAJECTORY, "T9");
  expect_one(&fx->m, v, R_TRAJECTORY, RP_TRAJECTORY_UNKNOWN, NULL);
  row_free(&fx->m, v);
}

/* Canonical form: advisors sorted by code, institutions as numbers (leading zeros kept)
   sorted, follow-up "false" on a client registration without one and none on an
   internal one, zero counts empty; the check resolves every reference. */
static void test_canonical_form(void **state) {
  struct fixture *fx = *state;
  const struct model *m = &fx->m;
  char **v = client_row(m);
  put(v, R_ADVISORS, "BE|AN");
  put(v, R_INSTITUTIONS, "SAB|012345|SAA");
  put(v, TG_MIDDENKADER, "0");
  struct reg_problems canon = {.n = 0};
  registration_canonicalize(m, v, &canon);
  assert_int_equal(canon.n, 0);
  assert_string_equal(v[R_ADVISORS], "AN|BE");
  assert_string_equal(v[R_INSTITUTIONS], "012345|100001|100002");
  assert_string_equal(v[R_FOLLOWUP], "false");
  assert_string_equal(v[TG_MIDDENKADER], "");
  assert_string_equal(v[TG_LERAREN], "12");
  struct reg_check c;
  registration_check(m, v, &c);
  assert_int_equal(c.problems.n, 0);
  assert_int_equal(c.client, 1);
  assert_int_equal(c.minutes, 90);
  assert_int_equal(c.line, model_line(m, "P1"));
  assert_int_equal(c.goal, -1);
  assert_int_equal(c.traj, -1);
  assert_int_equal(c.na, 2);
  assert_int_equal(c.adv[0], model_advisor(m, "AN"));
  assert_int_equal(c.adv[1], model_advisor(m, "BE"));
  assert_int_equal(c.ni, 3);
  assert_int_equal(c.inst[0], model_institution(m, "SAC"));
  assert_int_equal(c.inst[1], model_institution(m, "SAA"));
  assert_int_equal(c.inst[2], model_institution(m, "SAB"));
  row_free(m, v);
  v = internal_row(m);
  put(v, R_FOLLOWUP, "false");
  registration_canonicalize(m, v, &canon);
  assert_int_equal(canon.n, 0);
  assert_string_equal(v[R_FOLLOWUP], "");
  row_free(m, v);
}

/* The import refuses the dataset, with one problem: on the date, naming 2023-2024. */
static void expect_locked_refusal(struct fixture *fx) {
  struct sink s;
  int rc = import_dir(fx, &s);
  if (rc != 1) fail_msg("import returned %d, want 1 (refused):\n%s", rc, s.text);
  const char *nl = strchr(s.text, '\n');
  if (!nl || nl[1] || !strstr(s.text, ": date: ") || !strstr(s.text, "2023-2024"))
    fail_msg("want one problem on the date naming the locked year 2023-2024, got:\n%s", s.text);
}

/* A closed school year accepts no changes to its registrations (DOMAIN.md 5, DATA-FORMAT.md
   1): a new or changed registration whose stored or new date lies in a year locked
   before the import is refused; the same row again (list order and number vs code do not
   count as a change) passes. A dataset may lock a year it contains. */
static void test_locked_year(void **state) {
  struct fixture *fx = *state;
  static const char *const header = "id,date,minutes,kind,line,advisors,institutions,modality,activity\n";
  char text[1024];
  struct sink s;
  /* lock 2023-2024 in the same dataset that holds L1 (dated in it) and U1 (in 2024-2025) */
  write_file(fx, "settings.csv", "school_year,hours_per_fte,locked\n2023-2024,1185,true\n");
  snprintf(text, sizeof text, "%s%s%s", header, "L1,2023-10-02,60,client,P1,AN,SAA|SAB,fysiek,\n",
           "U1,2024-10-02,45,internal,P1,AN,,,preparation\n");
  write_file(fx, "registrations.csv", text);
  int rc = import_dir(fx, &s);
  if (rc != 0) fail_msg("import returned %d:\n%s", rc, s.text);
  remove_file(fx, "settings.csv");
  reload(fx);
  assert_int_equal(model_year_locked(&fx->m, 2023), 1);
  assert_int_equal(model_year_locked(&fx->m, 2024), 0);

  /* the same rows, written differently: nothing changes, accepted */
  snprintf(text, sizeof text, "%s%s%s", header, "L1,2023-10-02,060,client,P1,AN,SAB|100001,fysiek,\n",
           "U1,2024-10-02,45,internal,P1,AN,,,preparation\n");
  write_file(fx, "registrations.csv", text);
  rc = import_dir(fx, &s);
  if (rc != 0) fail_msg("unchanged rows of a locked year: import returned %d:\n%s", rc, s.text);

  /* a changed registration of the locked year */
  snprintf(text, sizeof text, "%s%s", header, "L1,2023-10-02,90,client,P1,AN,SAA|SAB,fysiek,\n");
  write_file(fx, "registrations.csv", text);
  expect_locked_refusal(fx);
  assert_int_equal(db_query_int(fx->db, "SELECT minutes FROM registration WHERE ext_id = 'L1'", -1), 60);

  /* a new registration in the locked year */
  snprintf(text, sizeof text, "%s%s", header, "L2,2023-10-03,30,internal,P1,AN,,,preparation\n");
  write_file(fx, "registrations.csv", text);
  expect_locked_refusal(fx);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM registration WHERE ext_id = 'L2'", -1), 0);

  /* moved out of the locked year (its stored date is in it) */
  snprintf(text, sizeof text, "%s%s", header, "L1,2024-10-02,60,client,P1,AN,SAA|SAB,fysiek,\n");
  write_file(fx, "registrations.csv", text);
  expect_locked_refusal(fx);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM registration WHERE date = '2023-10-02'", -1),
                   1);

  /* moved into the locked year (its new date is in it) */
  snprintf(text, sizeof text, "%s%s", header, "U1,2023-10-02,45,internal,P1,AN,,,preparation\n");
  write_file(fx, "registrations.csv", text);
  expect_locked_refusal(fx);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM registration WHERE date = '2024-10-02'", -1),
                   1);

  /* the open year still takes changes */
  snprintf(text, sizeof text, "%s%s", header, "U1,2024-10-02,50,internal,P1,AN,,,preparation\n");
  write_file(fx, "registrations.csv", text);
  rc = import_dir(fx, &s);
  if (rc != 0) fail_msg("a change in an open year: import returned %d:\n%s", rc, s.text);
  assert_int_equal(db_query_int(fx->db, "SELECT minutes FROM registration WHERE ext_id = 'U1'", -1), 50);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_valid_client_and_internal_rows_pass, setup, teardown),
      cmocka_unit_test_setup_teardown(test_minutes_from_1_to_1440, setup, teardown),
      cmocka_unit_test_setup_teardown(test_kind_is_client_or_internal, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unknown_kind_does_not_hide_other_problems, setup, teardown),
      cmocka_unit_test_setup_teardown(test_client_needs_institution, setup, teardown),
      cmocka_unit_test_setup_teardown(test_client_needs_known_modality, setup, teardown),
      cmocka_unit_test_setup_teardown(test_internal_rules, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unknown_line, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unknown_goal, setup, teardown),
      cmocka_unit_test_setup_teardown(test_goal_of_another_line, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unknown_advisor, setup, teardown),
      cmocka_unit_test_setup_teardown(test_advisor_not_employed_on_the_date, setup, teardown),
      cmocka_unit_test_setup_teardown(test_advisor_listed_twice, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unknown_institution, setup, teardown),
      cmocka_unit_test_setup_teardown(test_institution_listed_twice, setup, teardown),
      cmocka_unit_test_setup_teardown(test_head_count_negative_or_not_integer, setup, teardown),
      cmocka_unit_test_setup_teardown(test_trajectory_institution, setup, teardown),
      cmocka_unit_test_setup_teardown(test_canonical_form, setup, teardown),
      cmocka_unit_test_setup_teardown(test_locked_year, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
