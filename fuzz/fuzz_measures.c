/* SPDX-License-Identifier: EUPL-1.2 */
/* Fuzz target: the measures over accepted values (issue 13). The input is read as
   records of 12 bytes, each building one registration within the bounds of
   domain/bounds.h: a date of the fixture's school years (2023-09-01 .. 2026-08-31, today
   fixed by BEREIK_TODAY), minutes 1..1440, one or two advisors, one or two institutions,
   head counts 0..10,000 per target group, either kind. A registration the rules refuse
   (an advisor not employed that day, a full day) is left out, exactly as the API and the
   form would leave it out; the others are written in one transaction on the fixture
   dataset (FUZZ_DATASET, imported once into an in-memory database), the facts of every
   year with data and the report model are computed, and the transaction is rolled back.

   Checks: everything finishes; every fact is finite and not negative; per school year,
   the registered hours of the "total" row grew by exactly the advisor-minutes written
   (summed here, independently, in 64 bits) and the reach of every target group by
   exactly the head counts written. Under UBSan an overflowing sum aborts. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/bounds.h"
#include "domain/model.h"
#include "domain/registration.h"
#include "io/dataset.h"
#include "measures/facts.h"
#include "report/report.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REC 12
#define MAX_REGS 64
#define FIRST_YEAR 2023
#define N_YEARS 3

static struct db *db;
static struct model model;
static int32_t first_day, n_days;
/* the facts before any input: registered minutes and reach per year and group */
static double base_registered[N_YEARS];
static double base_reach[N_YEARS][16];

static void fail(const char *what) {
  fprintf(stderr, "fuzz_measures: %s\n", what);
  abort();
}

static int year_slot(int y) { return y >= FIRST_YEAR && y < FIRST_YEAR + N_YEARS ? y - FIRST_YEAR : -1; }

static void compute(struct facts *f) {
  int *years = NULL, n = 0;
  char err[256];
  if (facts_years_with_data(db, &years, &n, err, sizeof err) != 0) fail(err);
  if (facts_compute(db, &model, years, n, f, err, sizeof err) != 0) fail(err);
  free(years);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  char err[256];
  setenv("BEREIK_TODAY", "2026-08-31", 1);
  db = db_open(":memory:", err, sizeof err);
  if (!db || db_migrate(db, err, sizeof err) != 0) fail(err);
  FILE *devnull = fopen("/dev/null", "w");
  const char *seed = getenv("FUZZ_DATASET");
  if (!seed || dataset_import_to(db, seed, "fuzz", devnull) != 0) fail("cannot import FUZZ_DATASET");
  fclose(devnull);
  if (model_load(db, &model, err, sizeof err) != 0) fail(err);
  if (model.n_target_groups > 16 || model.n_advisors == 0 || model.n_institutions == 0)
    fail("unexpected fixture");
  first_day = school_year_first_day(FIRST_YEAR);
  n_days = school_year_last_day(FIRST_YEAR + N_YEARS - 1) - first_day + 1;
  struct facts f;
  compute(&f);
  for (int y = 0; y < N_YEARS; y++) {
    int found;
    base_registered[y] = facts_get(&f, "klv", FIRST_YEAR + y, "total", "registered_hours", &found);
    for (size_t g = 0; g < model.n_target_groups; g++)
      base_reach[y][g] =
          facts_get(&f, "target_groups", FIRST_YEAR + y, model.target_groups[g].code, "reach", &found);
  }
  facts_free(&f);
  return 0;
}

static void set(char **v, int col, const char *s) {
  free(v[col]);
  v[col] = xstrdup(s);
}

static int emit(void *ctx, const struct rep_row *row) {
  (void)row;
  ++*(int *)ctx;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size / REC > MAX_REGS) size = MAX_REGS * REC;
  if (db_begin_write(db) != DB_OK) fail("begin");
  struct reg_statements st;
  if (reg_statements_prepare(db, &st) != 0) fail("prepare");
  int ncols = N_REG_BASE + (int)model.n_target_groups;
  int64_t minutes_added[N_YEARS] = {0}, reach_added[N_YEARS][16] = {{0}};
  int64_t next_id = db_query_int(db, "SELECT MAX(id) FROM registration", 0) + 1;
  for (size_t off = 0; off + REC <= size; off += REC) {
    const uint8_t *b = data + off;
    char **v = xcalloc((size_t)ncols, sizeof *v);
    for (int c = 0; c < ncols; c++) v[c] = xstrdup("");
    char s[64];
    snprintf(s, sizeof s, "fz%zu", off / REC);
    set(v, R_ID, s);
    int32_t day = first_day + (int32_t)(((unsigned)b[0] << 8 | b[1]) % (unsigned)n_days);
    date_format(day, s);
    set(v, R_DATE, s);
    int64_t minutes = 1 + (int64_t)(((unsigned)b[2] << 8 | b[3]) % BOUND_MINUTES_MAX);
    snprintf(s, sizeof s, "%lld", (long long)minutes);
    set(v, R_MINUTES, s);
    int client = b[4] & 1;
    set(v, R_KIND, client ? "client" : "internal");
    set(v, R_LINE, model.lines[b[5] % model.n_lines].code);
    const char *a1 = model.advisors[b[6] % model.n_advisors].code,
               *a2 = model.advisors[b[7] % model.n_advisors].code;
    snprintf(s, sizeof s, "%s%s%s", a1, (b[4] & 2) && strcmp(a1, a2) ? "|" : "",
             (b[4] & 2) && strcmp(a1, a2) ? a2 : "");
    set(v, R_ADVISORS, s);
    if (client) {
      const char *i1 = model.institutions[b[8] % model.n_institutions].number,
                 *i2 = model.institutions[b[9] % model.n_institutions].number;
      snprintf(s, sizeof s, "%s%s%s", i1, (b[4] & 4) && strcmp(i1, i2) ? "|" : "",
               (b[4] & 4) && strcmp(i1, i2) ? i2 : "");
      set(v, R_INSTITUTIONS, s);
      static const char *const mods[] = {"fysiek", "online", "hybride", "helpdesk", "walk", "klasbezoek"};
      set(v, R_MODALITY, mods[b[4] >> 3 & 3]);
      for (size_t g = 0; g < model.n_target_groups; g++) {
        int64_t cnt = (int64_t)(((unsigned)b[10] << 8 | b[11]) * (g + 1) % (BOUND_COUNT_MAX + 1));
        snprintf(s, sizeof s, "%lld", (long long)cnt);
        set(v, N_REG_BASE + (int)g, s);
      }
    } else {
      set(v, R_ACTIVITY, "preparation");
    }
    struct reg_problems ps = {.n = 0};
    registration_canonicalize(&model, v, &ps);
    struct reg_check c;
    registration_check(&model, v, &c);
    if (ps.n == 0 && c.problems.n == 0 && registration_check_day(db, &model, v, &c, 0) != 0)
      fail("day check");
    if (ps.n == 0 && c.problems.n == 0) {
      struct reg_write *w = reg_write_new(&model, v, &c, next_id++, 0);
      const char *msg = reg_write_exec(&st, w);
      reg_write_free(w);
      if (msg) fail(msg);
      int y = year_slot(school_year_of(day));
      if (y < 0) fail("a date outside the fixture's years was accepted");
      minutes_added[y] += minutes * c.na;
      if (client)
        for (size_t g = 0; g < model.n_target_groups; g++)
          reach_added[y][g] += strtoll(v[N_REG_BASE + g], NULL, 10);
    }
    for (int k = 0; k < ncols; k++) free(v[k]);
    free(v);
  }
  reg_statements_finalize(&st);
  struct facts f;
  compute(&f);
  for (size_t i = 0; i < f.n; i++)
    if (!isfinite(f.v[i].value) || f.v[i].value < 0) fail("a fact is not finite or negative");
  for (int y = 0; y < N_YEARS; y++) {
    int found;
    double reg = facts_get(&f, "klv", FIRST_YEAR + y, "total", "registered_hours", &found);
    double want = base_registered[y] + (double)minutes_added[y] / 60.0;
    if (fabs(reg - want) > 1e-6 * (want + 1)) fail("registered hours differ from the minutes written");
    for (size_t g = 0; g < model.n_target_groups; g++) {
      double r = facts_get(&f, "target_groups", FIRST_YEAR + y, model.target_groups[g].code, "reach", &found);
      if (fabs(r - (base_reach[y][g] + (double)reach_added[y][g])) > 1e-6)
        fail("reach differs from the counts written");
    }
  }
  struct report rp;
  report_open(&rp, &model, &f, 0);
  int rows = 0;
  for (int t = 0; t < rp.n_tables; t++) report_rows(&rp, t, emit, &rows);
  report_close(&rp);
  facts_free(&f);
  db_rollback(db);
  return 0;
}
