/* SPDX-License-Identifier: EUPL-1.2 */
/* The worked example of spec/DOMAIN.md section 3.1 through the real code path: a dataset
   folder written here, imported into a fresh SQLite database with dataset_import, the
   reference data loaded with model_load and the facts computed with facts_compute.
   Every expected number comes from the spec text:

     R1: 2024-10-07, 90 minutes, client, line P3, advisors {AN, BE}, institutions
         {SAA, SAB, SAC}, modality fysiek, counts leraren 12, middenkader 2.
     R2: 2024-10-08, 60 minutes, internal (preparation), line P3, advisor {AN}.

     hits = 3 (SAA 1, SAB 1, SAC 1); client_hours = 90*3/60 = 4.5;
     klv_hours = 90*2/60 = 3.0 (AN 1.5, BE 1.5); registered_hours(P3) = 3.0 + 1.0 = 4.0;
     realized_fte(P3) = 4.0 / 1185; reach leraren 12, middenkader 2;
     modality_share(P3, fysiek) = 100%. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_pg.h"

#include "core/dates.h"
#include "db/db.h"
#include "domain/model.h"
#include "io/dataset.h"
#include "measures/facts.h"
#include "measures/indicators.h"

#define Y 2024 /* school year 2024-2025 */
#define HPF 1185.0

/* ---- temporary database and dataset folders ---- */

struct fixture {
  char db_path[256]; /* SQLite file, or postgresql:// URI */
  char pg_name[64];  /* database created on the PostgreSQL server, if any */
  char dirs[4][64];
  int n_dirs;
  struct db *db;
};

static void write_file(const char *dir, const char *name, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) fail_msg("cannot write %s", path);
  fprintf(f, "%s", text);
  assert_int_equal(fclose(f), 0);
}

static void remove_dir(const char *dir) {
  static const char *const files[] = {"settings.csv",      "sectors.csv",      "lines.csv",
                                      "plan.csv",          "institutions.csv", "advisors.csv",
                                      "target_groups.csv", "registrations.csv"};
  char path[256];
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    unlink(path);
  }
  rmdir(dir);
}

static const char *new_dir(struct fixture *fx) {
  assert_true(fx->n_dirs < 4);
  char *d = fx->dirs[fx->n_dirs++];
  snprintf(d, 64, "/tmp/bereik-test-ds-XXXXXX");
  if (!mkdtemp(d)) fail_msg("mkdtemp failed");
  return d;
}

static const char *REGISTRATIONS_HEADER =
    "id,date,minutes,kind,line,advisors,institutions,modality,activity,tg.leraren,tg.middenkader\n";
static const char *R1 = "R1,2024-10-07,90,client,P3,AN|BE,SAA|SAB|SAC,fysiek,,12,2\n";
static const char *R2 = "R2,2024-10-08,60,internal,P3,AN,,,preparation,,\n";

/* The reference data of the worked example, and the registrations given. */
static const char *write_dataset(struct fixture *fx, const char *registrations) {
  const char *dir = new_dir(fx);
  write_file(dir, "settings.csv", "school_year,hours_per_fte\n2024-2025,1185\n");
  write_file(dir, "sectors.csv", "code,name,group\nSO,Secundair onderwijs,(Bu)SO\n");
  write_file(dir, "lines.csv",
             "code,name,kind\n"
             "P3,Pijler 3 - CUR,pillar\n"
             "P4,Pijler 4,pillar\n");
  write_file(dir, "plan.csv", "school_year,line,planned_fte\n2024-2025,P3,1.0\n");
  write_file(dir, "institutions.csv",
             "number,code,name,sector\n"
             "100001,SAA,School A,SO\n"
             "100002,SAB,School B,SO\n"
             "100003,SAC,School C,SO\n");
  /* BE leaves on 30 June 2025: employed 303 of the 365 days of 2024-2025 */
  write_file(dir, "advisors.csv",
             "code,name,fte,end\n"
             "AN,Anna,1.0,\n"
             "BE,Bert,0.8,2025-06-30\n");
  write_file(dir, "target_groups.csv",
             "code,name,position\n"
             "leraren,Leraren,1\n"
             "middenkader,Middenkader,2\n");
  char *regs = malloc(strlen(REGISTRATIONS_HEADER) + strlen(registrations) + 1);
  assert_non_null(regs);
  strcpy(regs, REGISTRATIONS_HEADER);
  strcat(regs, registrations);
  write_file(dir, "registrations.csv", regs);
  free(regs);
  return dir;
}

/* BEREIK_TEST_ENGINE=postgresql runs these tests on the server BEREIK_TEST_PG (a URI
   without database), one fresh database per test; otherwise on a SQLite file. */
static int setup(void **state) {
  static int serial;
  struct fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  if (pg_base()) {
    char sql[128];
    snprintf(fx->pg_name, sizeof fx->pg_name, "bt_unit_%ld_%d", (long)getpid(), serial++);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", fx->pg_name);
    if (pg_admin(sql) != 0) return -1;
    snprintf(fx->db_path, sizeof fx->db_path, "%s/%s", pg_base(), fx->pg_name);
  } else {
    snprintf(fx->db_path, sizeof fx->db_path, "/tmp/bereik-test-db-XXXXXX");
    int fd = mkstemp(fx->db_path);
    if (fd < 0) return -1;
    close(fd);
  }
  char err[512];
  fx->db = db_open(fx->db_path, err, sizeof err);
  if (!fx->db) {
    fprintf(stderr, "db_open: %s\n", err);
    return -1;
  }
  if (db_migrate(fx->db, err, sizeof err) != 0) {
    fprintf(stderr, "db_migrate: %s\n", err);
    return -1;
  }
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  if (!fx) return 0;
  db_close(fx->db);
  if (fx->pg_name[0]) {
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", fx->pg_name);
    pg_admin(sql);
  }
  char p[300];
  unlink(fx->db_path);
  snprintf(p, sizeof p, "%s-wal", fx->db_path);
  unlink(p);
  snprintf(p, sizeof p, "%s-shm", fx->db_path);
  unlink(p);
  for (int i = 0; i < fx->n_dirs; i++) remove_dir(fx->dirs[i]);
  free(fx);
  return 0;
}

/* ---- facts ---- */

static void compute(struct db *db, const int *years, int n, struct facts *f) {
  struct model m;
  char err[512];
  if (model_load(db, &m, err, sizeof err) != 0) fail_msg("model_load: %s", err);
  if (facts_compute(db, &m, years, n, f, err, sizeof err) != 0) fail_msg("facts_compute: %s", err);
  model_free(&m);
}

static void compute_year(struct db *db, struct facts *f) {
  int years[1] = {Y};
  compute(db, years, 1, f);
}

/* The fact must be present with exactly this value. */
static void expect_fact(const struct facts *f, int year, const char *table, const char *row, const char *col,
                        double want) {
  int found = 0;
  double v = facts_get(f, table, year, row, col, &found);
  if (!found) fail_msg("fact %s/%d/%s/%s absent, want %.17g", table, year, row, col, want);
  if (v != want) fail_msg("fact %s/%d/%s/%s = %.17g, want %.17g", table, year, row, col, v, want);
}

/* Present with this value up to rounding in the last bits (products of decimals). */
static void expect_fact_near(const struct facts *f, int year, const char *table, const char *row,
                             const char *col, double want) {
  int found = 0;
  double v = facts_get(f, table, year, row, col, &found);
  if (!found) fail_msg("fact %s/%d/%s/%s absent, want %.17g", table, year, row, col, want);
  double diff = v > want ? v - want : want - v, scale = want < 0 ? -want : want;
  if (diff > 1e-12 * (scale > 1 ? scale : 1))
    fail_msg("fact %s/%d/%s/%s = %.17g, want %.17g", table, year, row, col, v, want);
}

/* Absent, or present with value 0 (consumers read absent as 0). */
static void expect_zero(const struct facts *f, int year, const char *table, const char *row,
                        const char *col) {
  int found = 0;
  double v = facts_get(f, table, year, row, col, &found);
  if (found && v != 0) fail_msg("fact %s/%d/%s/%s = %.17g, want 0 or absent", table, year, row, col, v);
}

/* A ratio whose denominator is zero: never output. */
static void expect_absent(const struct facts *f, int year, const char *table, const char *row,
                          const char *col) {
  int found = 0;
  double v = facts_get(f, table, year, row, col, &found);
  if (found) fail_msg("fact %s/%d/%s/%s present (%.17g), want absent", table, year, row, col, v);
}

static void expect_no_nan(const struct facts *f) {
  for (size_t i = 0; i < f->n; i++) {
    double v = f->v[i].value;
    if (v != v || v - v != 0)
      fail_msg("fact %s/%d/%s/%s is not a finite number", f->v[i].table, f->v[i].year, f->v[i].row,
               f->v[i].col);
  }
}

static void import_ok(struct fixture *fx, const char *dir) {
  int rc = dataset_import(fx->db, dir, "test");
  if (rc != 0) fail_msg("dataset_import(%s) returned %d, want 0", dir, rc);
}

static const char *const other_modalities[] = {"online", "hybride", "helpdesk", "walk", "klasbezoek"};

/* ---- tests ---- */

static void test_worked_example(void **state) {
  struct fixture *fx = *state;
  char regs[256];
  snprintf(regs, sizeof regs, "%s%s", R1, R2);
  import_ok(fx, write_dataset(fx, regs));
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM registration", -1), 2);

  struct facts f;
  compute_year(fx->db, &f);
  expect_no_nan(&f);

  /* hits = 3 (SAA 1, SAB 1, SAC 1) */
  expect_fact(&f, Y, "hits", "SAA", "hits", 1);
  expect_fact(&f, Y, "hits", "SAB", "hits", 1);
  expect_fact(&f, Y, "hits", "SAC", "hits", 1);
  expect_fact(&f, Y, "hits", "total", "hits", 3);
  expect_fact(&f, Y, "hits", "(Bu)SO", "hits", 3); /* the group subtotal of sector SO */

  /* client_hours = 90*3/60 = 4.5 */
  expect_fact(&f, Y, "client_hours", "P3", "hours", 4.5);
  expect_fact(&f, Y, "client_hours", "total", "hours", 4.5);
  expect_fact(&f, Y, "client_hours", "total_plan", "hours", 4.5);
  expect_fact(&f, Y, "client_hours", "total_plan_projects", "hours", 4.5);
  expect_fact(&f, Y, "client_hours", "P3", "share", 1.0);

  /* klv_hours = 90*2/60 = 3.0 (AN 1.5, BE 1.5) */
  expect_fact(&f, Y, "klv_by_line", "P3", "hours", 3.0);
  expect_fact(&f, Y, "klv_by_line", "total", "hours", 3.0);
  expect_fact(&f, Y, "klv_by_line", "P3", "share", 1.0);
  expect_fact(&f, Y, "klv", "advisor:AN", "klv_hours", 1.5);
  expect_fact(&f, Y, "klv", "advisor:BE", "klv_hours", 1.5);
  expect_fact(&f, Y, "klv", "line:P3", "klv_hours", 3.0);
  expect_fact(&f, Y, "klv", "total", "klv_hours", 3.0);

  /* registered_hours(P3) = 3.0 + 1.0 = 4.0; per advisor: AN 1.5 + 1.0, BE 1.5 */
  expect_fact(&f, Y, "klv", "line:P3", "registered_hours", 4.0);
  expect_fact(&f, Y, "klv", "total", "registered_hours", 4.0);
  expect_fact(&f, Y, "klv", "advisor:AN", "registered_hours", 2.5);
  expect_fact(&f, Y, "klv", "advisor:BE", "registered_hours", 1.5);

  /* klv_pct = klv_hours / fte_hours (planned 1.0 FTE * 1185);
     klv_pct_registered = klv_hours / registered_hours */
  expect_fact(&f, Y, "klv", "line:P3", "fte_hours", 1.0 * HPF);
  expect_fact(&f, Y, "klv", "line:P3", "klv_pct", 3.0 / (1.0 * HPF));
  expect_fact(&f, Y, "klv", "line:P3", "klv_pct_registered", 3.0 / 4.0);
  expect_fact(&f, Y, "klv", "total", "fte_hours", 1.0 * HPF);
  expect_fact(&f, Y, "klv", "total", "klv_pct", 3.0 / HPF);
  expect_fact(&f, Y, "klv", "total", "klv_pct_registered", 0.75);
  /* advisor capacity: contract FTE * hours_per_fte * days employed / days in the year */
  expect_fact_near(&f, Y, "klv", "advisor:AN", "fte_hours", 1.0 * HPF * 365 / 365);
  expect_fact_near(&f, Y, "klv", "advisor:BE", "fte_hours", 0.8 * HPF * 303 / 365);
  expect_fact_near(&f, Y, "klv", "advisor:BE", "klv_pct", 1.5 / (0.8 * HPF * 303 / 365));
  expect_fact(&f, Y, "klv", "advisor:AN", "klv_pct_registered", 1.5 / 2.5);

  /* realized_fte(P3) = 4.0 / 1185 */
  expect_fact(&f, Y, "fte", "P3", "realized_fte", 4.0 / HPF);
  expect_fact(&f, Y, "fte", "P3", "planned_fte", 1.0);
  expect_fact(&f, Y, "fte", "P3", "realization_pct", (4.0 / HPF) / 1.0);
  expect_fact(&f, Y, "fte", "total_plan", "realized_fte", 4.0 / HPF);
  expect_fact(&f, Y, "fte", "total_all", "realized_fte", 4.0 / HPF);
  expect_fact(&f, Y, "fte", "total_plan", "planned_fte", 1.0);

  /* reach: leraren 12, middenkader 2 */
  expect_fact(&f, Y, "target_groups", "leraren", "reach", 12);
  expect_fact(&f, Y, "target_groups", "middenkader", "reach", 2);
  expect_fact(&f, Y, "target_groups", "total", "reach", 14);

  /* modality_share(P3, fysiek) = 100% */
  expect_fact(&f, Y, "modality", "P3", "fysiek", 1.0);
  expect_fact(&f, Y, "modality", "total", "fysiek", 1.0);
  for (size_t k = 0; k < sizeof other_modalities / sizeof other_modalities[0]; k++)
    expect_zero(&f, Y, "modality", "P3", other_modalities[k]);

  /* indicator 2 under the default rule (contact): the three own schools have a hit */
  expect_fact(&f, Y, "reach", "total", "institutions", 3);
  expect_fact(&f, Y, "reach", "total", "reached", 3);
  expect_fact(&f, Y, "reach", "total", "reach_pct", 1.0);
  expect_fact(&f, Y, "reach", "(Bu)SO", "reach_pct", 1.0);

  /* a line without registrations and without plan has no ratios */
  expect_absent(&f, Y, "modality", "P4", "fysiek");
  expect_absent(&f, Y, "klv", "line:P4", "klv_pct");
  expect_absent(&f, Y, "fte", "P4", "realization_pct");
  facts_free(&f);
}

/* A ratio with a zero denominator is not output: a line with internal time only (no
   client hours, no plan), and a school year without any registration or plan. */
static void test_zero_denominators(void **state) {
  struct fixture *fx = *state;
  char regs[512];
  snprintf(regs, sizeof regs, "%s%s%s", R1, R2, "R3,2024-10-09,30,internal,P4,BE,,,self_study,,\n");
  import_ok(fx, write_dataset(fx, regs));

  int years[2] = {Y, Y - 1};
  struct facts f;
  compute(fx->db, years, 2, &f);
  expect_no_nan(&f);

  /* P4: 30 minutes of internal time, no client hours, no plan row */
  for (int k = 0; k < 6; k++) expect_absent(&f, Y, "modality", "P4", modality_names[k]);
  expect_zero(&f, Y, "client_hours", "P4", "hours");
  expect_fact(&f, Y, "klv", "line:P4", "registered_hours", 0.5);
  expect_zero(&f, Y, "klv", "line:P4", "klv_hours");
  expect_zero(&f, Y, "klv", "line:P4", "fte_hours");
  expect_absent(&f, Y, "klv", "line:P4", "klv_pct");
  expect_zero(&f, Y, "klv", "line:P4", "klv_pct_registered"); /* 0 / 0.5 is defined */
  expect_fact(&f, Y, "fte", "P4", "realized_fte", 0.5 / HPF);
  expect_zero(&f, Y, "fte", "P4", "planned_fte");
  expect_absent(&f, Y, "fte", "P4", "realization_pct");

  /* P3 keeps the numbers of the worked example */
  expect_fact(&f, Y, "client_hours", "P3", "hours", 4.5);
  expect_fact(&f, Y, "klv", "line:P3", "registered_hours", 4.0);
  expect_fact(&f, Y, "fte", "P3", "realized_fte", 4.0 / HPF);
  expect_fact(&f, Y, "modality", "P3", "fysiek", 1.0);
  expect_fact(&f, Y, "klv", "advisor:BE", "registered_hours", 2.0);

  /* totals sum every line of their kinds, with or without a plan row */
  expect_fact(&f, Y, "fte", "total_plan", "realized_fte", 4.5 / HPF);
  expect_fact(&f, Y, "fte", "total_plan", "planned_fte", 1.0);
  expect_fact(&f, Y, "fte", "total_plan", "realization_pct", (4.5 / HPF) / 1.0);
  expect_fact(&f, Y, "klv", "total", "registered_hours", 4.5);
  expect_fact(&f, Y, "klv", "total", "fte_hours", 1.0 * HPF);
  expect_fact(&f, Y, "klv", "total", "klv_pct_registered", 3.0 / 4.5);

  /* 2023-2024: nothing registered, nothing planned */
  int y = Y - 1;
  expect_zero(&f, y, "hits", "total", "hits");
  expect_zero(&f, y, "client_hours", "total", "hours");
  expect_absent(&f, y, "client_hours", "total", "share");
  expect_absent(&f, y, "client_hours", "total_plan", "share");
  for (int k = 0; k < 6; k++) {
    expect_absent(&f, y, "modality", "total", modality_names[k]);
    expect_absent(&f, y, "modality", "P3", modality_names[k]);
  }
  expect_absent(&f, y, "klv", "total", "klv_pct");
  expect_absent(&f, y, "klv", "total", "klv_pct_registered");
  expect_absent(&f, y, "klv_by_line", "total", "share");
  expect_absent(&f, y, "fte", "total_plan", "realization_pct");
  expect_absent(&f, y, "fte", "total_all", "realization_pct");
  expect_absent(&f, y, "pd_spend", "total", "per_advisor");
  facts_free(&f);
}

static int same_facts(const struct facts *a, const struct facts *b) {
  if (a->n != b->n) {
    fprintf(stderr, "fact counts differ: %zu vs %zu\n", a->n, b->n);
    return 0;
  }
  for (size_t i = 0; i < a->n; i++) {
    const struct fact *x = &a->v[i];
    int found = 0;
    double v = facts_get(b, x->table, x->year, x->row, x->col, &found);
    if (!found || memcmp(&v, &x->value, sizeof v) != 0) {
      fprintf(stderr, "fact %s/%d/%s/%s: %.17g vs %s%.17g\n", x->table, x->year, x->row, x->col, x->value,
              found ? "" : "absent ", v);
      return 0;
    }
  }
  return 1;
}

static void test_import_twice(void **state) {
  struct fixture *fx = *state;
  char regs[256];
  snprintf(regs, sizeof regs, "%s%s", R1, R2);
  const char *dir = write_dataset(fx, regs);
  import_ok(fx, dir);
  struct facts once, twice;
  compute_year(fx->db, &once);
  int64_t links = db_query_int(fx->db,
                               "SELECT (SELECT COUNT(*) FROM registration_advisor) * 1000000 + "
                               "(SELECT COUNT(*) FROM registration_institution) * 1000 + "
                               "(SELECT COUNT(*) FROM registration_count)",
                               -1);
  import_ok(fx, dir);
  compute_year(fx->db, &twice);
  assert_true(once.n > 0);
  assert_true(same_facts(&once, &twice));
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM registration", -1), 2);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM institution", -1), 3);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM plan", -1), 1);
  assert_int_equal(db_query_int(fx->db,
                                "SELECT (SELECT COUNT(*) FROM registration_advisor) * 1000000 + "
                                "(SELECT COUNT(*) FROM registration_institution) * 1000 + "
                                "(SELECT COUNT(*) FROM registration_count)",
                                -1),
                   links);
  assert_int_equal(links, 3 * 1000000 + 3 * 1000 + 2);
  expect_fact(&twice, Y, "hits", "total", "hits", 3);
  expect_fact(&twice, Y, "klv", "line:P3", "registered_hours", 4.0);
  facts_free(&twice);

  /* the same rows written differently (';', decimal comma, CRLF, BOM, other column
     order, spaces, list order, numbers for codes, leading zeros) are the same dataset */
  const char *d2 = new_dir(fx);
  write_file(d2, "plan.csv",
             "\xEF\xBB\xBF"
             "line;planned_fte;school_year\r\n P3 ;1,0;2024-2025\r\n");
  write_file(d2, "registrations.csv",
             "id;date;minutes;kind;line;advisors;institutions;modality;activity;tg.middenkader;tg.leraren\r\n"
             "R2;2024-10-08;60;internal;P3;AN;;;preparation;;\r\n"
             "R1;2024-10-07;090;client;P3; BE | AN ;100003|SAB|SAA;fysiek;;2;12\r\n");
  import_ok(fx, d2);
  struct facts thrice;
  compute_year(fx->db, &thrice);
  assert_true(same_facts(&once, &thrice));
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM registration", -1), 2);
  facts_free(&thrice);
  facts_free(&once);
}

static void test_import_error_rolls_back(void **state) {
  struct fixture *fx = *state;
  /* R1 with 0 minutes: "minutes not an integer in 1..1440" */
  char regs[256];
  snprintf(regs, sizeof regs, "%s%s", "R1,2024-10-07,0,client,P3,AN|BE,SAA|SAB|SAC,fysiek,,12,2\n", R2);
  const char *bad = write_dataset(fx, regs);
  assert_int_equal(dataset_import(fx->db, bad, "test"), 1);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM registration", -1), 0);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM registration_advisor", -1), 0);
  /* one transaction: nothing of the other files either */
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM line", -1), 0);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM institution", -1), 0);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM setting", -1), 0);

  /* on top of a good import, a bad one changes nothing */
  char good[256];
  snprintf(good, sizeof good, "%s%s", R1, R2);
  import_ok(fx, write_dataset(fx, good));
  struct facts before, after;
  compute_year(fx->db, &before);
  char worse[512];
  snprintf(worse, sizeof worse, "%s%s%s", "R1,2024-10-07,0,client,P3,AN|BE,SAA|SAB|SAC,fysiek,,12,2\n", R2,
           "R9,2024-11-04,45,client,P3,AN,SAA,online,,3,\n");
  assert_int_equal(dataset_import(fx->db, write_dataset(fx, worse), "test"), 1);
  compute_year(fx->db, &after);
  assert_true(same_facts(&before, &after));
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM registration", -1), 2);
  assert_int_equal(db_query_int(fx->db, "SELECT minutes FROM registration WHERE ext_id = 'R1'", -1), 90);
  facts_free(&before);
  facts_free(&after);
}

/* The weekly follow-up on the worked example: R1 (Monday 7 October 2024, 90 min, two
   advisors, client) and R2 (8 October, 60 min, internal) fall in one week. The school
   year 2024-2025 starts on Sunday 1 September 2024, so week 0 starts on Monday
   26 August and 7 October (42 days later) is in week 6. Advisor-minutes: registered
   90*2 + 60 = 240, classroom 90*2 = 180. */
static void test_weekly(void **state) {
  struct fixture *fx = *state;
  char regs[256];
  snprintf(regs, sizeof regs, "%s%s", R1, R2);
  import_ok(fx, write_dataset(fx, regs));
  struct model m;
  char err[256];
  assert_int_equal(model_load(fx->db, &m, err, sizeof err), 0);
  int64_t reg[FACTS_WEEKS], klv[FACTS_WEEKS];
  assert_int_equal(facts_weekly(fx->db, &m, Y, reg, klv, err, sizeof err), 0);
  int32_t oct7 = 0;
  assert_int_equal(date_parse("2024-10-07", &oct7), 0);
  assert_int_equal(facts_week_of(Y, oct7), 6);
  for (int w = 0; w < FACTS_WEEKS; w++) {
    assert_int_equal(reg[w], w == 6 ? 240 : 0);
    assert_int_equal(klv[w], w == 6 ? 180 : 0);
  }
  model_free(&m);
}

/* Mijn week's two tiles for advisor AN, by hand: the week of 7 October 2024 has R1 (90
   client minutes) and R2 (60 internal minutes), so 90 / 150 = 0.6 of the registered time
   is in classroom context. KLV% of the year up to 8 October: 1.5 classroom hours over
   1.0 FTE * 1185 hours * 27/260 (working days 1 Sep - 8 Oct 2024: 21 in September and 6
   in October, of 260 in the school year) = 1.5 * 260 / (1185 * 27) = 390 / 31995. */
static void test_advisor_week_tiles(void **state) {
  struct fixture *fx = *state;
  char regs[256];
  snprintf(regs, sizeof regs, "%s%s", R1, R2);
  import_ok(fx, write_dataset(fx, regs));
  struct model m;
  char err[256];
  assert_int_equal(model_load(fx->db, &m, err, sizeof err), 0);
  int an = model_advisor(&m, "AN");
  assert_true(an >= 0);
  int32_t oct7 = 0, oct8 = 0;
  assert_int_equal(date_parse("2024-10-07", &oct7), 0);
  assert_int_equal(date_parse("2024-10-08", &oct8), 0);
  int64_t reg[7], klv[7];
  assert_int_equal(advisor_minutes_per_day(fx->db, m.advisors[an].id, oct7, 7, reg, klv), 0);
  double share = -1;
  assert_int_equal(klv_share_of_registered(reg, klv, 7, &share), 1);
  assert_true(share == 0.6);
  int64_t none[7] = {0};
  assert_int_equal(klv_share_of_registered(none, none, 7, &share), 0);
  double pct = -1;
  int has = 0;
  assert_int_equal(advisor_year_klv_pct(fx->db, &m, an, Y, oct8, &pct, &has), 0);
  assert_int_equal(has, 1);
  assert_true(fabs(pct - 390.0 / 31995.0) < 1e-12);
  model_free(&m);
}

int main(void) {
  const char *e = getenv("BEREIK_TEST_ENGINE");
  if (e && !strcmp(e, "postgresql") && !getenv("BEREIK_TEST_PG")) {
    printf("skipped: BEREIK_TEST_PG is not set (scripts/test.sh starts a server)\n");
    return 77;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_worked_example, setup, teardown),
      cmocka_unit_test_setup_teardown(test_weekly, setup, teardown),
      cmocka_unit_test_setup_teardown(test_advisor_week_tiles, setup, teardown),
      cmocka_unit_test_setup_teardown(test_zero_denominators, setup, teardown),
      cmocka_unit_test_setup_teardown(test_import_twice, setup, teardown),
      cmocka_unit_test_setup_teardown(test_import_error_rolls_back, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
