/* SPDX-License-Identifier: EUPL-1.2 */
/* The report model (report/report.h) over facts computed from a small dataset, imported
   into a SQLite file with the project's import. Every expected number is worked out by
   hand below from spec/DOMAIN.md section 3 (never copied from a run):

   hours_per_fte = 10 in both school years (small, so the numbers are easy).
   Lines: P1 pillar, PR project, O other. Institutions SAA (sector BaO, group (Bu)BaO)
   and SAB (sector SO, group (Bu)SO), both own. Advisors AN and BE. Target group leraren.
   Plan 2024-2025: P1 2.0 FTE (coloured 0.5), PR 1.0 FTE. Plan 2023-2024: P1 1.0 FTE.

     R0 2023-11-06   60 min internal P1 {AN}
     R1 2024-10-07  120 min client   P1 {AN,BE} {SAA,SAB} fysiek leraren 10
     R2 2024-10-08   60 min client   PR {AN}    {SAA}     online leraren 5
     R3 2024-10-09  180 min internal P1 {AN}
     R4 2024-10-10   30 min client   O  {BE}    {SAB}     walk

   2024-2025:
     hits: SAA 2 (R1, R2), SAB 2 (R1, R4); (Bu)BaO 2, (Bu)SO 2; total 4
     client_hours = d * |C| / 60: P1 120*2/60 = 4, PR 60/60 = 1, O 30/60 = 0.5;
       total_plan 4, total_plan_projects 5, total 5.5;
       share P1 4/5.5 = 8/11 (73%), PR 2/11 (18%), O 1/11 (9%), total_plan_projects 10/11
     modality: P1 fysiek 100%; total_plan_projects fysiek 4/5 = 80%, online 20%;
       total fysiek 8/11 (73%), online 2/11 (18%), walk 1/11 (9%)
     klv_hours = d * |A| / 60: P1 120*2/60 = 4, PR 1, O 0.5; total 5.5
     registered_hours: P1 (240 + 180)/60 = 7, PR 1, O 0.5
     realized_fte = registered / 10: P1 0.7, PR 0.1, O 0.05; total_plan 0.7, total_all 0.8
     realization_pct: P1 0.7/2 = 0.35, PR 0.1/1 = 0.1, total_plan 0.35,
       total_all 0.8/3 = 26.67% ("27%")
     klv total: fte_hours = (2 + 1) * 10 = 30; klv_pct = 5.5/30 = 18.33% ("18%")
     reach of target group leraren: 10 + 5 = 15
     indicator 2 (rule contact): 1 of 1 in (Bu)BaO, 1 of 1 in (Bu)SO, 2 of 2 in total
   2023-2024:
     realized_fte P1 = 60/60/10 = 0.1 of 1.0 planned: realization 10%;
     fte_hours = 1 * 10 = 10; no client registration, so every client share and modality
     share has a zero denominator and is absent ("–"). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "domain/model.h"
#include "io/dataset.h"
#include "measures/facts.h"
#include "report/report.h"

#define Y 2024  /* 2024-2025 */
#define Y0 2023 /* 2023-2024 */
#define DASH "\xe2\x80\x93"

static const char *const FILES[] = {"settings.csv",      "sectors.csv",      "lines.csv",
                                    "plan.csv",          "institutions.csv", "advisors.csv",
                                    "target_groups.csv", "registrations.csv"};

struct fixture {
  char db_path[64], dir[64];
  struct db *db;
  struct model m;
  struct facts f;
  struct report rp;
};

static void write_file(const char *dir, const char *name, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) {
    fprintf(stderr, "cannot write %s\n", path);
    return;
  }
  fputs(text, f);
  fclose(f);
}

static int group_setup(void **state) {
  struct fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  *state = fx;
  snprintf(fx->db_path, sizeof fx->db_path, "/tmp/bereik-report-db-XXXXXX");
  int fd = mkstemp(fx->db_path);
  if (fd < 0) return -1;
  close(fd);
  snprintf(fx->dir, sizeof fx->dir, "/tmp/bereik-report-ds-XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  setenv("BEREIK_TODAY", "2025-08-15", 1);
  write_file(fx->dir, "settings.csv", "school_year,hours_per_fte\n2023-2024,10\n2024-2025,10\n");
  write_file(fx->dir, "sectors.csv",
             "code,name,group,position\n"
             "BaO,Basisonderwijs,(Bu)BaO,1\n"
             "SO,Secundair onderwijs,(Bu)SO,2\n");
  write_file(fx->dir, "lines.csv",
             "code,name,kind,position\n"
             "P1,Pijler 1,pillar,1\n"
             "PR,Project R,project,2\n"
             "O,Opdracht O,other,3\n");
  write_file(fx->dir, "plan.csv",
             "school_year,line,planned_fte,coloured_fte\n"
             "2024-2025,P1,2.0,0.5\n"
             "2024-2025,PR,1.0,\n"
             "2023-2024,P1,1.0,\n");
  write_file(fx->dir, "institutions.csv",
             "number,code,name,sector\n"
             "100001,SAA,School A,BaO\n"
             "100002,SAB,School B,SO\n");
  write_file(fx->dir, "advisors.csv", "code,name,fte\nAN,Anna,1\nBE,Bert,1\n");
  write_file(fx->dir, "target_groups.csv", "code,name,position\nleraren,Leraren,1\n");
  write_file(fx->dir, "registrations.csv",
             "id,date,minutes,kind,line,advisors,institutions,modality,activity,tg.leraren\n"
             "R0,2023-11-06,60,internal,P1,AN,,,preparation,\n"
             "R1,2024-10-07,120,client,P1,AN|BE,SAA|SAB,fysiek,,10\n"
             "R2,2024-10-08,60,client,PR,AN,SAA,online,,5\n"
             "R3,2024-10-09,180,internal,P1,AN,,,preparation,\n"
             "R4,2024-10-10,30,client,O,BE,SAB,walk,,\n");
  char err[512];
  fx->db = db_open(fx->db_path, err, sizeof err);
  if (!fx->db || db_migrate(fx->db, err, sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    return -1;
  }
  if (dataset_import(fx->db, fx->dir, "test") != 0) return -1;
  if (model_load(fx->db, &fx->m, err, sizeof err) != 0) {
    fprintf(stderr, "model_load: %s\n", err);
    return -1;
  }
  int years[2] = {Y, Y0};
  if (facts_compute(fx->db, &fx->m, years, 2, &fx->f, err, sizeof err) != 0) {
    fprintf(stderr, "facts_compute: %s\n", err);
    return -1;
  }
  report_open(&fx->rp, &fx->m, &fx->f, REP_NL);
  return 0;
}

static int group_teardown(void **state) {
  struct fixture *fx = *state;
  if (!fx) return 0;
  report_close(&fx->rp);
  facts_free(&fx->f);
  model_free(&fx->m);
  if (fx->db) db_close(fx->db);
  char p[300];
  unlink(fx->db_path);
  snprintf(p, sizeof p, "%s-wal", fx->db_path);
  unlink(p);
  snprintf(p, sizeof p, "%s-shm", fx->db_path);
  unlink(p);
  for (size_t i = 0; i < sizeof FILES / sizeof FILES[0]; i++) {
    snprintf(p, sizeof p, "%s/%s", fx->dir, FILES[i]);
    unlink(p);
  }
  rmdir(fx->dir);
  unsetenv("BEREIK_TODAY");
  free(fx);
  return 0;
}

/* ---- the rows of a table, copied out of the callback ---- */

#define MAX_ROWS 32

struct row_copy {
  char key[64], label[160];
  int total;
  double v[REP_MAX_COLS];
  unsigned char state[REP_MAX_COLS];
  char cell[REP_MAX_COLS][48], plain[REP_MAX_COLS][48];
};

struct rows {
  struct row_copy r[MAX_ROWS];
  int n, n_cols;
};

static int collect(void *ctx, const struct rep_row *row) {
  struct rows *rs = ctx;
  if (rs->n == MAX_ROWS) return 1;
  struct row_copy *c = &rs->r[rs->n++];
  snprintf(c->key, sizeof c->key, "%s", row->key ? row->key : "");
  snprintf(c->label, sizeof c->label, "%s", row->label ? row->label : "");
  c->total = row->total;
  for (int i = 0; i < rs->n_cols; i++) {
    c->v[i] = row->v[i];
    c->state[i] = row->state[i];
    report_format_cell(row, i, 0, c->cell[i], sizeof c->cell[i]);
    report_format_cell(row, i, 1, c->plain[i], sizeof c->plain[i]);
  }
  return 0;
}

static int table_index(const struct report *rp, const char *id) {
  for (int t = 0; t < rp->n_tables; t++)
    if (!strcmp(rp->tables[t].id, id)) return t;
  fail_msg("no table %s", id);
  return -1;
}

static const struct rep_table *rows_of(const struct report *rp, const char *id, struct rows *rs) {
  int t = table_index(rp, id);
  memset(rs, 0, sizeof *rs);
  rs->n_cols = rp->tables[t].n_cols;
  assert_int_equal(report_rows(rp, t, collect, rs), 0);
  return &rp->tables[t];
}

/* The rows' keys, joined by spaces, and their total flags as "0101". */
static void expect_keys(const struct rows *rs, const char *keys, const char *totals) {
  char got[512] = "", flags[MAX_ROWS + 1] = "";
  for (int i = 0; i < rs->n; i++) {
    snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? " " : "", rs->r[i].key);
    flags[i] = rs->r[i].total ? '1' : '0';
  }
  flags[rs->n] = 0;
  if (strcmp(got, keys)) fail_msg("rows \"%s\", want \"%s\"", got, keys);
  if (strcmp(flags, totals)) fail_msg("total flags %s, want %s (rows %s)", flags, totals, got);
}

static const struct row_copy *row_at(const struct rows *rs, int i) {
  assert_true(i < rs->n);
  return &rs->r[i];
}

/* The column of table t that shows fact col of year. */
static int col_of(const struct rep_table *t, int year, const char *fact) {
  for (int c = 0; c < t->n_cols; c++)
    if (t->cols[c].year == year && !strcmp(t->cols[c].fact, fact)) return c;
  fail_msg("table %s has no column %d/%s", t->id, year, fact);
  return -1;
}

static int near(double a, double b) { return fabs(a - b) <= 1e-12 * (fabs(b) > 1 ? fabs(b) : 1); }

static void expect_cell(const struct row_copy *r, int c, double want, const char *text) {
  if (r->state[c] != REP_VALUE) fail_msg("row %s col %d: state %d, want a value", r->key, c, r->state[c]);
  if (!near(r->v[c], want)) fail_msg("row %s col %d: %.17g, want %.17g", r->key, c, r->v[c], want);
  if (strcmp(r->cell[c], text)) fail_msg("row %s col %d: \"%s\", want \"%s\"", r->key, c, r->cell[c], text);
}

/* A ratio with a zero denominator: not output, shown as a dash. */
static void expect_dash(const struct row_copy *r, int c) {
  if (r->state[c] != REP_ABSENT) fail_msg("row %s col %d: state %d, want absent", r->key, c, r->state[c]);
  assert_string_equal(r->cell[c], DASH);
}

/* A quantity that is 0: the fact may be present as 0 or absent. */
static void expect_zero_or_dash(const struct row_copy *r, int c) {
  if (r->state[c] == REP_VALUE && r->v[c] != 0) fail_msg("row %s col %d: %.17g, want 0", r->key, c, r->v[c]);
  if (r->state[c] == REP_EMPTY) fail_msg("row %s col %d: no cell", r->key, c);
}

static void expect_label_has(const struct row_copy *r, const char *text) {
  if (!strstr(r->label, text)) fail_msg("row %s: label \"%s\" lacks \"%s\"", r->key, r->label, text);
}

/* ---- tests ---- */

/* The facts' two years, newest first, and the tables of DOMAIN.md section 6. */
static void test_open_years_and_tables(void **state) {
  struct fixture *fx = *state;
  const struct report *rp = &fx->rp;
  assert_int_equal(rp->n_years, 2);
  assert_int_equal(rp->years[0], Y);
  assert_int_equal(rp->years[1], Y0);
  static const char *const ids[] = {"fte",           "hits", "client_hours", "modality-2024", "modality-2023",
                                    "target_groups", "klv",  "klv_by_line",  "reach"};
  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) table_index(rp, ids[i]);
  /* fte: planned, realized, coloured per year, newest year first */
  const struct rep_table *t = &rp->tables[table_index(rp, "fte")];
  assert_int_equal(t->n_cols, 6);
  assert_true(col_of(t, Y, "planned_fte") < col_of(t, Y0, "planned_fte"));
  col_of(t, Y, "realized_fte");
  col_of(t, Y, "coloured_fte");
}

/* report_fact reads the facts: present values, and absent ratios. */
static void test_report_fact(void **state) {
  struct fixture *fx = *state;
  const struct report *rp = &fx->rp;
  int found = -1;
  assert_true(near(report_fact(rp, "client_hours", Y, "P1", "hours", &found), 4.0));
  assert_int_equal(found, 1);
  assert_true(near(report_fact(rp, "client_hours", Y, "total", "hours", &found), 5.5));
  assert_int_equal(found, 1);
  assert_true(near(report_fact(rp, "hits", Y, "SAA", "hits", &found), 2));
  assert_int_equal(found, 1);
  assert_true(near(report_fact(rp, "fte", Y, "P1", "realized_fte", &found), 0.7));
  assert_int_equal(found, 1);
  assert_true(near(report_fact(rp, "fte", Y0, "P1", "realization_pct", &found), 0.1));
  assert_int_equal(found, 1);
  assert_true(near(report_fact(rp, "klv", Y, "total", "fte_hours", &found), 30));
  assert_int_equal(found, 1);
  assert_true(near(report_fact(rp, "target_groups", Y, "leraren", "reach", &found), 15));
  assert_int_equal(found, 1);
  /* O (kind other) has no plan: no realization_pct */
  found = -1;
  assert_true(report_fact(rp, "fte", Y, "O", "realization_pct", &found) == 0);
  assert_int_equal(found, 0);
  /* no client hours in 2023-2024: no modality share, no client-hours share */
  found = -1;
  assert_true(report_fact(rp, "modality", Y0, "P1", "fysiek", &found) == 0);
  assert_int_equal(found, 0);
  assert_true(report_fact(rp, "client_hours", Y0, "total", "share", &found) == 0);
  assert_int_equal(found, 0);
  /* something that is not a fact at all */
  assert_true(report_fact(rp, "hits", Y, "NOPE", "hits", &found) == 0);
  assert_int_equal(found, 0);
  assert_true(report_fact(rp, "hits", 1999, "SAA", "hits", &found) == 0);
  assert_int_equal(found, 0);
}

/* Table 1: pillars, total without projects, projects, total with projects, other lines,
   and "% gepresteerd" (realized over planned of pillars and projects). */
static void test_fte_table(void **state) {
  struct fixture *fx = *state;
  struct rows rs;
  const struct rep_table *t = rows_of(&fx->rp, "fte", &rs);
  expect_keys(&rs, "P1 total_plan PR total_all O total_all", "010101");
  int pl = col_of(t, Y, "planned_fte"), re = col_of(t, Y, "realized_fte"), co = col_of(t, Y, "coloured_fte");
  int pl0 = col_of(t, Y0, "planned_fte"), re0 = col_of(t, Y0, "realized_fte");
  const struct row_copy *p1 = row_at(&rs, 0);
  assert_string_equal(p1->label, "Pijler 1");
  expect_cell(p1, pl, 2.0, "2,00");
  expect_cell(p1, re, 0.7, "0,70");
  expect_cell(p1, co, 0.5, "0,50");
  expect_cell(p1, pl0, 1.0, "1,00");
  expect_cell(p1, re0, 0.1, "0,10");
  const struct row_copy *tp = row_at(&rs, 1);
  expect_label_has(tp, "zonder projecten");
  expect_cell(tp, pl, 2.0, "2,00");
  expect_cell(tp, re, 0.7, "0,70");
  const struct row_copy *pr = row_at(&rs, 2);
  assert_string_equal(pr->label, "Project R");
  expect_cell(pr, pl, 1.0, "1,00");
  expect_cell(pr, re, 0.1, "0,10");
  const struct row_copy *ta = row_at(&rs, 3);
  expect_label_has(ta, "met projecten");
  expect_cell(ta, pl, 3.0, "3,00");
  expect_cell(ta, re, 0.8, "0,80");
  expect_cell(ta, pl0, 1.0, "1,00");
  expect_cell(ta, re0, 0.1, "0,10");
  const struct row_copy *o = row_at(&rs, 4);
  assert_string_equal(o->label, "Opdracht O");
  expect_cell(o, re, 0.05, "0,05");
  expect_zero_or_dash(o, pl);
  /* "N% gepresteerd" under each year's first column, nothing in the others */
  const struct row_copy *pct = row_at(&rs, 5);
  expect_label_has(pct, "gepresteerd");
  expect_cell(pct, pl, 0.8 / 3.0, "27%");
  expect_cell(pct, pl0, 0.1, "10%");
  assert_int_equal(pct->state[re], REP_EMPTY);
  assert_string_equal(pct->cell[re], "");
  assert_int_equal(pct->state[co], REP_EMPTY);
}

/* Table 2: institutions with their sector, group subtotals "Hits (Bu)BaO" etc., and the
   grand total. */
static void test_hits_table(void **state) {
  struct fixture *fx = *state;
  struct rows rs;
  const struct rep_table *t = rows_of(&fx->rp, "hits", &rs);
  expect_keys(&rs, "SAA (Bu)BaO SAB (Bu)SO total", "01011");
  int c = col_of(t, Y, "hits"), c0 = col_of(t, Y0, "hits");
  expect_label_has(row_at(&rs, 0), "SAA");
  expect_label_has(row_at(&rs, 0), "BaO");
  expect_cell(row_at(&rs, 0), c, 2, "2");
  assert_string_equal(row_at(&rs, 1)->label, "Hits (Bu)BaO");
  expect_cell(row_at(&rs, 1), c, 2, "2");
  expect_label_has(row_at(&rs, 2), "SAB");
  expect_cell(row_at(&rs, 2), c, 2, "2");
  assert_string_equal(row_at(&rs, 3)->label, "Hits (Bu)SO");
  expect_cell(row_at(&rs, 3), c, 2, "2");
  expect_cell(row_at(&rs, 4), c, 4, "4");
  for (int i = 0; i < rs.n; i++) expect_zero_or_dash(row_at(&rs, i), c0);
}

/* Table 3: client hours per line with share of the grand total, and the named total
   rows. */
static void test_client_hours_table(void **state) {
  struct fixture *fx = *state;
  struct rows rs;
  const struct rep_table *t = rows_of(&fx->rp, "client_hours", &rs);
  expect_keys(&rs, "P1 total_plan PR total_plan_projects O total", "010101");
  int h = col_of(t, Y, "hours"), s = col_of(t, Y, "share"), s0 = col_of(t, Y0, "share");
  expect_cell(row_at(&rs, 0), h, 4.0, "4,0");
  expect_cell(row_at(&rs, 0), s, 8.0 / 11.0, "73%");
  assert_string_equal(row_at(&rs, 1)->label, "Totaal begeleidingsplan");
  expect_cell(row_at(&rs, 1), h, 4.0, "4,0");
  expect_cell(row_at(&rs, 1), s, 8.0 / 11.0, "73%");
  expect_cell(row_at(&rs, 2), h, 1.0, "1,0");
  expect_cell(row_at(&rs, 2), s, 2.0 / 11.0, "18%");
  assert_string_equal(row_at(&rs, 3)->label, "Totaal begeleidingsplan + projecten");
  expect_cell(row_at(&rs, 3), h, 5.0, "5,0");
  expect_cell(row_at(&rs, 3), s, 10.0 / 11.0, "91%");
  expect_cell(row_at(&rs, 4), h, 0.5, "0,5");
  expect_cell(row_at(&rs, 4), s, 1.0 / 11.0, "9%");
  assert_string_equal(row_at(&rs, 5)->label, "EINDTOTAAL");
  expect_cell(row_at(&rs, 5), h, 5.5, "5,5");
  expect_cell(row_at(&rs, 5), s, 1.0, "100%");
  /* 2023-2024 has no client hours: no share anywhere */
  for (int i = 0; i < rs.n; i++) expect_dash(row_at(&rs, i), s0);
}

/* Table 4: modality shares of client hours per line, one table per year. */
static void test_modality_tables(void **state) {
  struct fixture *fx = *state;
  struct rows rs;
  const struct rep_table *t = rows_of(&fx->rp, "modality-2024", &rs);
  assert_int_equal(t->n_cols, 6);
  expect_keys(&rs, "P1 total_plan PR total_plan_projects O total", "010101");
  int fy = col_of(t, Y, "fysiek"), on = col_of(t, Y, "online"), wa = col_of(t, Y, "walk");
  expect_cell(row_at(&rs, 0), fy, 1.0, "100%");
  expect_zero_or_dash(row_at(&rs, 0), on);
  expect_cell(row_at(&rs, 2), on, 1.0, "100%");
  expect_cell(row_at(&rs, 3), fy, 0.8, "80%");
  expect_cell(row_at(&rs, 3), on, 0.2, "20%");
  expect_cell(row_at(&rs, 4), wa, 1.0, "100%");
  expect_cell(row_at(&rs, 5), fy, 8.0 / 11.0, "73%");
  expect_cell(row_at(&rs, 5), on, 2.0 / 11.0, "18%");
  expect_cell(row_at(&rs, 5), wa, 1.0 / 11.0, "9%");
  /* 2023-2024: no line has client hours, the total rows show dashes */
  t = rows_of(&fx->rp, "modality-2023", &rs);
  expect_keys(&rs, "total_plan total_plan_projects total", "111");
  for (int i = 0; i < rs.n; i++)
    for (int c = 0; c < t->n_cols; c++) expect_dash(row_at(&rs, i), c);
}

/* Table 5: reach per target group, with total; no target set. */
static void test_target_groups_table(void **state) {
  struct fixture *fx = *state;
  struct rows rs;
  const struct rep_table *t = rows_of(&fx->rp, "target_groups", &rs);
  expect_keys(&rs, "leraren total", "01");
  int r = col_of(t, Y, "reach"), tg = col_of(t, Y, "target");
  assert_string_equal(row_at(&rs, 0)->label, "Leraren");
  expect_cell(row_at(&rs, 0), r, 15, "15");
  expect_dash(row_at(&rs, 0), tg);
  expect_cell(row_at(&rs, 1), r, 15, "15");
  assert_int_equal(row_at(&rs, 1)->state[tg], REP_EMPTY);
}

/* Table 6: FTE hours, KLV hours and KLV percentage per year (rows are the measures). */
static void test_klv_table(void **state) {
  struct fixture *fx = *state;
  struct rows rs;
  const struct rep_table *t = rows_of(&fx->rp, "klv", &rs);
  assert_int_equal(t->by_measure, 1);
  assert_int_equal(t->n_cols, 2);
  expect_keys(&rs, "total total total", "001");
  int c = 0, c0 = 1;
  assert_int_equal(t->cols[c].year, Y);
  assert_int_equal(t->cols[c0].year, Y0);
  expect_cell(row_at(&rs, 0), c, 30, "30");
  expect_cell(row_at(&rs, 0), c0, 10, "10");
  expect_cell(row_at(&rs, 1), c, 5.5, "6"); /* 0 decimals, half away from zero */
  expect_zero_or_dash(row_at(&rs, 1), c0);
  expect_cell(row_at(&rs, 2), c, 5.5 / 30.0, "18%");
  expect_zero_or_dash(row_at(&rs, 2), c0);
}

/* Table 7: KLV hours per line with share, and the total. */
static void test_klv_by_line_table(void **state) {
  struct fixture *fx = *state;
  struct rows rs;
  const struct rep_table *t = rows_of(&fx->rp, "klv_by_line", &rs);
  expect_keys(&rs, "P1 PR O total", "0001");
  int h = col_of(t, Y, "hours"), s = col_of(t, Y, "share"), s0 = col_of(t, Y0, "share");
  expect_cell(row_at(&rs, 0), h, 4.0, "4,0");
  expect_cell(row_at(&rs, 0), s, 8.0 / 11.0, "73%");
  expect_cell(row_at(&rs, 1), h, 1.0, "1,0");
  expect_cell(row_at(&rs, 1), s, 2.0 / 11.0, "18%");
  expect_cell(row_at(&rs, 2), h, 0.5, "0,5");
  expect_cell(row_at(&rs, 2), s, 1.0 / 11.0, "9%");
  expect_cell(row_at(&rs, 3), h, 5.5, "5,5");
  expect_cell(row_at(&rs, 3), s, 1.0, "100%");
  expect_dash(row_at(&rs, 3), s0);
}

/* Table 8: indicator 2 per sector group and in total (rule contact: a hit reaches). */
static void test_reach_table(void **state) {
  struct fixture *fx = *state;
  struct rows rs;
  const struct rep_table *t = rows_of(&fx->rp, "reach", &rs);
  expect_keys(&rs, "(Bu)BaO (Bu)SO total", "001");
  int in = col_of(t, Y, "institutions"), re = col_of(t, Y, "reached"), pc = col_of(t, Y, "reach_pct");
  int in0 = col_of(t, Y0, "institutions"), re0 = col_of(t, Y0, "reached");
  expect_cell(row_at(&rs, 0), in, 1, "1");
  expect_cell(row_at(&rs, 0), re, 1, "1");
  expect_cell(row_at(&rs, 0), pc, 1.0, "100%");
  expect_cell(row_at(&rs, 1), pc, 1.0, "100%");
  expect_cell(row_at(&rs, 2), in, 2, "2");
  expect_cell(row_at(&rs, 2), re, 2, "2");
  expect_cell(row_at(&rs, 2), pc, 1.0, "100%");
  /* 2023-2024: the same two institutions, none reached */
  expect_cell(row_at(&rs, 2), in0, 2, "2");
  expect_zero_or_dash(row_at(&rs, 2), re0);
}

/* A row that returns non-zero from the callback stops the walk with that value. */
static int stop_at_second(void *ctx, const struct rep_row *row) {
  (void)row;
  int *n = ctx;
  return ++*n == 2 ? 7 : 0;
}

static void test_rows_stop_on_callback_value(void **state) {
  struct fixture *fx = *state;
  int n = 0;
  assert_int_equal(report_rows(&fx->rp, table_index(&fx->rp, "client_hours"), stop_at_second, &n), 7);
  assert_int_equal(n, 2);
}

/* Belgian formatting (DOMAIN.md 6: "12.725", "0,55", "56%"), and the plain form with '.'
   as decimal separator and no thousands separator; absent "–", no cell "". */
static void test_format_cell(void **state) {
  (void)state;
  struct rep_row r;
  memset(&r, 0, sizeof r);
  r.key = "x";
  static const struct {
    double v;
    int decimals, pct;
    const char *be, *plain;
  } cases[] = {
      {12725.4, 0, 0, "12.725", "12725"}, {0.55, 2, 0, "0,55", "0.55"},
      {0.5609, 0, 1, "56%", "56%"},       {1234567.891, 2, 0, "1.234.567,89", "1234567.89"},
      {0.125, 1, 1, "12,5%", "12.5%"},    {2.5, 0, 0, "3", "3"},
      {0.0, 1, 0, "0,0", "0.0"},          {1185.0, 0, 0, "1.185", "1185"},
  };
  char out[64];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    r.state[0] = REP_VALUE;
    r.v[0] = cases[i].v;
    r.decimals[0] = (unsigned char)cases[i].decimals;
    r.pct[0] = (unsigned char)cases[i].pct;
    report_format_cell(&r, 0, 0, out, sizeof out);
    if (strcmp(out, cases[i].be)) fail_msg("%.17g: \"%s\", want \"%s\"", cases[i].v, out, cases[i].be);
    report_format_cell(&r, 0, 1, out, sizeof out);
    if (strcmp(out, cases[i].plain))
      fail_msg("%.17g plain: \"%s\", want \"%s\"", cases[i].v, out, cases[i].plain);
  }
  r.state[1] = REP_ABSENT;
  report_format_cell(&r, 1, 0, out, sizeof out);
  assert_string_equal(out, DASH);
  report_format_cell(&r, 1, 1, out, sizeof out);
  assert_string_equal(out, DASH);
  r.state[2] = REP_EMPTY;
  report_format_cell(&r, 2, 0, out, sizeof out);
  assert_string_equal(out, "");
}

/* At most five school years side by side, the newest. */
static void test_at_most_five_newest_years(void **state) {
  struct fixture *fx = *state;
  int years[6] = {2024, 2023, 2022, 2021, 2020, 2019};
  struct facts f;
  char err[256];
  assert_int_equal(facts_compute(fx->db, &fx->m, years, 6, &f, err, sizeof err), 0);
  struct report rp;
  report_open(&rp, &fx->m, &f, REP_NL);
  assert_int_equal(rp.n_years, 5);
  for (int k = 0; k < 5; k++) assert_int_equal(rp.years[k], 2024 - k);
  const struct rep_table *t = &rp.tables[table_index(&rp, "client_hours")];
  assert_int_equal(t->n_cols, 10); /* hours and share for each of the five years */
  for (int c = 0; c < t->n_cols; c++) assert_true(t->cols[c].year >= 2020);
  /* the numbers of 2024-2025 are the same as in the two-year report */
  int found = 0;
  assert_true(near(report_fact(&rp, "client_hours", Y, "total", "hours", &found), 5.5));
  assert_int_equal(found, 1);
  report_close(&rp);
  facts_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_open_years_and_tables),
      cmocka_unit_test(test_report_fact),
      cmocka_unit_test(test_fte_table),
      cmocka_unit_test(test_hits_table),
      cmocka_unit_test(test_client_hours_table),
      cmocka_unit_test(test_modality_tables),
      cmocka_unit_test(test_target_groups_table),
      cmocka_unit_test(test_klv_table),
      cmocka_unit_test(test_klv_by_line_table),
      cmocka_unit_test(test_reach_table),
      cmocka_unit_test(test_rows_stop_on_callback_value),
      cmocka_unit_test(test_format_cell),
      cmocka_unit_test(test_at_most_five_newest_years),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
