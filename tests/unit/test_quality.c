/* SPDX-License-Identifier: EUPL-1.2 */
/* Data quality (measures/quality.h, docs/QUALITY.md) on a small dataset written here,
   imported by the project's own import into a fresh database (SQLite; PostgreSQL with
   BEREIK_TEST_ENGINE=postgresql and BEREIK_TEST_PG), with every expected finding worked
   out by hand below.

   School year 2025-2026, looked at over October 2025 (quality_compute's date range),
   today 2026-03-10. October 2025: Wed 1 .. Fri 3, Mon 6 .. Fri 10, Mon 13 .. Fri 17,
   Mon 20 .. Fri 24, Mon 27 .. Fri 31: 23 weekdays. Holidays: the seeded herfstvakantie
   2025-10-27 .. 2025-11-02 (migration 008: 27-31 out) and holidays.csv's test day Fri
   2025-10-10: 17 weekdays remain (1 2 3 6 7 8 9 13 14 15 16 17 20 21 22 23 24).

   Advisors: AN (team T1, 1 FTE), BE (team T1, 0.8 FTE, starts 2025-10-15), CD (team T2).
   Days off: AN 10-06 and 10-07; CD 10-20; BE 10-01 (before his start: changes nothing).
   Working days: AN 15 (1 2 3 8 9 13 14 15 16 17 20 21 22 23 24); BE 8 (15 16 17 20 21 22
   23 24); CD 16 (1 2 3 6 7 8 9 13 14 15 16 17 21 22 23 24).

   Registrations (date minutes line advisors institutions; created_at set by hand):
     R01 10-01  600 P1 AN    I1     created 2025-10-01T15:00:00Z  lag 0
     R02 10-02  480 P1 AN    I1     created 2025-10-03T08:00:00Z  lag 1
     R03 10-02  180 P1 AN    I2     created 2025-10-12T09:00:00Z  lag 10
     R04 10-03 1440 P1 AN    -      (imported: unknown)
     R05 10-03 1440 P1 AN    -      (written straight into the table, as an older database
                                     holds it from before the day bound: 24 h + 24 h)
     R06 10-08  120 P1 AN,CD I1     created 2025-10-08T22:30:00Z = 10-09 00:30 in Brussels:
                                     lag 1
     R07 10-08  120 P1 AN,CD I1     unknown
     R08 10-09  120 P1 AN    I1|I2  unknown
     R09 10-09  120 P1 AN    I2|I1  unknown (the same set of institutions as R08)
     R10 10-09  120 P1 AN    I1     unknown (another set of institutions)
     R11 10-09   90 P1 AN    I1|I2  unknown (other minutes)
     R12 10-13   60 P3 CD    I1     unknown
     R13 10-15  300 P1 BE    I1     created 2025-10-30T10:00:00Z  lag 15
     R14 10-16  700 P1 BE    I1     created 2025-10-17T10:00:00Z  lag 1

   Days without registrations: AN has 1 2 3 8 9 -> 10 (13 14 15 16 17 20 21 22 23 24);
   BE has 15 16 -> 6 (17 20 21 22 23 24); CD has 8 (co-advisor) and 13 -> 14 (1 2 3 6 7 9
   14 15 16 17 21 22 23 24). T1 = 16, T2 = 14, total 30. With today 2025-10-15 (AN,
   October): 13 14 15 -> 3 days.
   Days over 10 h (> 600 minutes): AN 10-01 is 600 exactly (no); AN 10-02 660; AN 10-03
   2880; AN 10-09 450 (no); BE 10-16 700. -> 3: T1 3, T2 0.
   Duplicates: {R04, R05} (AN), {R06, R07} (AN and CD), {R08, R09} (AN): AN 3 groups of 6
   registrations, CD 1 of 2, BE 0; T1 3 groups, T2 1; total 3 groups, 6 registrations.
   Lag: AN (R01-R11): known 0 1 10 1 -> median 1, within 7: 3, unknown 7. BE: 15 1 ->
   median 8, within 1, unknown 0. CD (R06 R07 R12): known 1 -> median 1, within 1,
   unknown 2. T1 (R01-R11, R13, R14): 0 1 1 1 10 15 -> median 1, within 4, unknown 7. T2
   as CD. Total (14): as T1 plus R12 unknown -> known 6, median 1, within 4, unknown 8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_pg.h"

#include "core/dates.h"
#include "db/db.h"
#include "domain/model.h"
#include "io/dataset.h"
#include "measures/quality.h"

#define Y 2025

static const struct {
  int fid;
  const char *text;
} dataset[] = {
    {F_SETTINGS, "school_year,hours_per_fte,reach_rule\n2025-2026,1185,contact\n"},
    {F_SECTORS, "code,name\nBaO,Basisonderwijs\n"},
    {F_LINES, "code,name,kind\nP1,Pijler 1,pillar\nP3,Pijler 3,pillar\n"},
    {F_INSTITUTIONS, "number,code,name,sector\n100001,I1,School 1,BaO\n100002,I2,School 2,BaO\n"},
    {F_TEAMS, "code,name,lines\nT1,Team 1,P1\nT2,Team 2,P3\n"},
    {F_ADVISORS, "code,name,fte,start,teams\nAN,Anna,1,,T1\nBE,Bert,0.8,2025-10-15,T1\nCD,Cato,1,,T2\n"},
    {F_REGISTRATIONS,
     "id,date,minutes,kind,line,goal,advisors,institutions,modality,activity,trajectory,level,followup,"
     "description\n"
     "R01,2025-10-01,600,client,P1,,AN,I1,fysiek,,,,false,\n"
     "R02,2025-10-02,480,client,P1,,AN,I1,fysiek,,,,false,\n"
     "R03,2025-10-02,180,client,P1,,AN,I2,fysiek,,,,false,\n"
     "R04,2025-10-03,1440,internal,P1,,AN,,,preparation,,,,\n"
     "R06,2025-10-08,120,client,P1,,AN|CD,I1,fysiek,,,,false,\n"
     "R07,2025-10-08,120,client,P1,,CD|AN,I1,fysiek,,,,false,\n"
     "R08,2025-10-09,120,client,P1,,AN,I1|I2,fysiek,,,,false,\n"
     "R09,2025-10-09,120,client,P1,,AN,I2|I1,fysiek,,,,false,\n"
     "R10,2025-10-09,120,client,P1,,AN,I1,fysiek,,,,false,\n"
     "R11,2025-10-09,90,client,P1,,AN,I1|I2,fysiek,,,,false,\n"
     "R12,2025-10-13,60,client,P3,,CD,I1,fysiek,,,,false,\n"
     "R13,2025-10-15,300,client,P1,,BE,I1,fysiek,,,,false,\n"
     "R14,2025-10-16,700,client,P1,,BE,I1,fysiek,,,,false,\n"},
    {F_HOLIDAYS, "start,end,name\n2025-10-10,2025-10-10,Testdag\n"},
    {F_DAYS_OFF,
     "advisor,date,note\nAN,2025-10-06,verlof\nAN,2025-10-07,\nCD,2025-10-20,ziek\nBE,2025-10-01,\n"},
    {F_ADVISOR_LINES, "advisor,school_year,line,fte\nAN,2025-2026,P1,0.8\nAN,2025-2026,P3,0.2\n"},
};

/* What the import cannot write (two 24-hour registrations of one advisor on one day, as
   older databases hold them) and the server-set times, written here by hand. */
static const char *const by_hand[] = {
    "INSERT INTO registration (ext_id, date, minutes, kind, line_id, activity) "
    "SELECT 'R05', '2025-10-03', 1440, 'internal', id, 'preparation' FROM line WHERE code = 'P1'",
    "INSERT INTO registration_advisor (registration_id, advisor_id) SELECT r.id, a.id FROM registration r, "
    "advisor a WHERE r.ext_id = 'R05' AND a.code = 'AN'",
    "UPDATE registration SET created_at = '2025-10-01T15:00:00Z' WHERE ext_id = 'R01'",
    "UPDATE registration SET created_at = '2025-10-03T08:00:00Z' WHERE ext_id = 'R02'",
    "UPDATE registration SET created_at = '2025-10-12T09:00:00Z' WHERE ext_id = 'R03'",
    "UPDATE registration SET created_at = '2025-10-08T22:30:00Z' WHERE ext_id = 'R06'",
    "UPDATE registration SET created_at = '2025-10-30T10:00:00Z' WHERE ext_id = 'R13'",
    "UPDATE registration SET created_at = '2025-10-17T10:00:00Z' WHERE ext_id = 'R14'",
};

struct fixture {
  char db_path[300], pg_name[64];
  struct db *db;
  struct model m;
  struct quality_report q;
  int an, be, cd, t1, t2;
};

static int32_t day(const char *s) {
  int32_t d = 0;
  if (date_parse(s, &d) != 0) fail_msg("bad date %s", s);
  return d;
}

static int setup(void **state) {
  struct fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  *state = fx;
  setenv("BEREIK_TODAY", "2026-03-10", 1);
  if (pg_base()) {
    char sql[128];
    snprintf(fx->pg_name, sizeof fx->pg_name, "bt_quality_%ld", (long)getpid());
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", fx->pg_name);
    if (pg_admin(sql) != 0) return -1;
    snprintf(fx->db_path, sizeof fx->db_path, "%s/%s", pg_base(), fx->pg_name);
  } else {
    snprintf(fx->db_path, sizeof fx->db_path, "/tmp/bereik-test-quality-XXXXXX");
    int fd = mkstemp(fx->db_path);
    if (fd < 0) return -1;
    close(fd);
  }
  char err[512];
  fx->db = db_open(fx->db_path, err, sizeof err);
  if (!fx->db || db_migrate(fx->db, err, sizeof err) != 0) {
    fprintf(stderr, "db: %s\n", err);
    return -1;
  }
  struct dataset_mem files[sizeof dataset / sizeof dataset[0]];
  int n = (int)(sizeof dataset / sizeof dataset[0]);
  for (int i = 0; i < n; i++) {
    files[i].fid = dataset[i].fid;
    files[i].data = dataset[i].text;
    files[i].len = strlen(dataset[i].text);
  }
  FILE *out = tmpfile();
  if (!out) return -1;
  int rc = dataset_import_mem(fx->db, files, n, "test", out, NULL);
  if (rc != 0) {
    char line[512];
    rewind(out);
    while (fgets(line, sizeof line, out)) fputs(line, stderr);
    fprintf(stderr, "the test dataset was refused (%d)\n", rc);
    fclose(out);
    return -1;
  }
  fclose(out);
  /* the import left every created_at empty (imported: unknown lag) */
  if (db_query_int(fx->db, "SELECT COUNT(*) FROM registration WHERE created_at IS NOT NULL", -1) != 0 ||
      db_query_int(fx->db, "SELECT COUNT(*) FROM registration WHERE updated_at IS NOT NULL", -1) != 0) {
    fprintf(stderr, "the import set created_at or updated_at\n");
    return -1;
  }
  if (db_begin_write(fx->db) != DB_OK) return -1;
  for (size_t i = 0; i < sizeof by_hand / sizeof by_hand[0]; i++)
    if (db_exec(fx->db, by_hand[i]) != DB_OK) {
      fprintf(stderr, "%s: %s\n", by_hand[i], db_errmsg(fx->db));
      db_rollback(fx->db);
      return -1;
    }
  if (db_commit(fx->db) != DB_OK) return -1;
  if (model_load(fx->db, &fx->m, err, sizeof err) != 0) {
    fprintf(stderr, "model_load: %s\n", err);
    return -1;
  }
  fx->an = model_advisor(&fx->m, "AN");
  fx->be = model_advisor(&fx->m, "BE");
  fx->cd = model_advisor(&fx->m, "CD");
  fx->t1 = model_team(&fx->m, "T1");
  fx->t2 = model_team(&fx->m, "T2");
  db_begin_read(fx->db);
  rc = quality_compute(fx->db, &fx->m, Y, day("2025-10-01"), day("2025-10-31"), day("2026-03-10"), &fx->q,
                       err, sizeof err);
  db_commit(fx->db);
  if (rc != 0) {
    fprintf(stderr, "quality_compute: %s\n", err);
    return -1;
  }
  return 0;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  if (!fx) return 0;
  quality_free(&fx->q);
  model_free(&fx->m);
  if (fx->db) db_close(fx->db);
  if (fx->pg_name[0]) {
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", fx->pg_name);
    pg_admin(sql);
  } else {
    char p[320];
    unlink(fx->db_path);
    snprintf(p, sizeof p, "%s-wal", fx->db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", fx->db_path);
    unlink(p);
  }
  free(fx);
  return 0;
}

/* The days of advisor a among the findings, as "MM-DD MM-DD ...". */
static void days_of(const struct quality_day *v, size_t n, int a, char *out, size_t len) {
  out[0] = 0;
  for (size_t i = 0; i < n; i++) {
    if (v[i].advisor != a) continue;
    char d[11];
    date_format(v[i].day, d);
    size_t l = strlen(out);
    snprintf(out + l, len - l, "%s%s", l ? " " : "", d + 5);
  }
}

static void days_without(void **state) {
  struct fixture *fx = *state;
  char s[512];
  days_of(fx->q.without, fx->q.n_without, fx->an, s, sizeof s);
  assert_string_equal(s, "10-13 10-14 10-15 10-16 10-17 10-20 10-21 10-22 10-23 10-24");
  days_of(fx->q.without, fx->q.n_without, fx->be, s, sizeof s);
  assert_string_equal(s, "10-17 10-20 10-21 10-22 10-23 10-24");
  days_of(fx->q.without, fx->q.n_without, fx->cd, s, sizeof s);
  assert_string_equal(s,
                      "10-01 10-02 10-03 10-06 10-07 10-09 10-14 10-15 10-16 10-17 10-21 10-22 10-23 10-24");
  assert_int_equal(fx->q.n_without, 30);
  assert_int_equal(fx->q.per_advisor[fx->an].days_without, 10);
  assert_int_equal(fx->q.per_advisor[fx->be].days_without, 6);
  assert_int_equal(fx->q.per_advisor[fx->cd].days_without, 14);
  assert_int_equal(fx->q.per_team[fx->t1].days_without, 16);
  assert_int_equal(fx->q.per_team[fx->t2].days_without, 14);
  assert_int_equal(fx->q.total.days_without, 30);
}

/* The function the e-mail reminders call, with today inside the range. */
static void days_without_until_today(void **state) {
  struct fixture *fx = *state;
  int32_t *days = NULL;
  size_t n = 0;
  char err[256];
  assert_int_equal(quality_days_without_at(fx->db, &fx->m, fx->an, day("2025-10-01"), day("2025-10-31"),
                                           day("2025-10-15"), &days, &n, err, sizeof err),
                   0);
  assert_int_equal(n, 3);
  assert_int_equal(days[0], day("2025-10-13"));
  assert_int_equal(days[1], day("2025-10-14"));
  assert_int_equal(days[2], day("2025-10-15"));
  free(days);
  /* BE before his start: nothing */
  assert_int_equal(quality_days_without_at(fx->db, &fx->m, fx->be, day("2025-10-01"), day("2025-10-14"),
                                           day("2026-03-10"), &days, &n, err, sizeof err),
                   0);
  assert_int_equal(n, 0);
  free(days);
  /* an open end far away is clipped to today, not looped over */
  assert_int_equal(quality_days_without_at(fx->db, &fx->m, fx->cd, day("2025-10-20"), day("9999-12-31"),
                                           day("2025-10-24"), &days, &n, err, sizeof err),
                   0);
  assert_int_equal(n, 4); /* 21 22 23 24 (20 is a day off) */
  free(days);
  /* a range longer than ten years is refused with a message */
  assert_int_equal(quality_days_without_at(fx->db, &fx->m, fx->cd, day("1900-01-01"), day("2025-10-24"),
                                           day("2025-10-24"), &days, &n, err, sizeof err),
                   -1);
  assert_non_null(strstr(err, "at most"));
  /* an unknown advisor index */
  assert_int_equal(quality_days_without(fx->db, &fx->m, 99, day("2025-10-01"), day("2025-10-31"), &days, &n,
                                        err, sizeof err),
                   -1);
}

static void days_over(void **state) {
  struct fixture *fx = *state;
  char s[256];
  days_of(fx->q.over, fx->q.n_over, fx->an, s, sizeof s);
  assert_string_equal(s, "10-02 10-03");
  days_of(fx->q.over, fx->q.n_over, fx->be, s, sizeof s);
  assert_string_equal(s, "10-16");
  assert_int_equal(fx->q.n_over, 3);
  assert_int_equal(fx->q.over[0].minutes, 660);
  assert_int_equal(fx->q.over[1].minutes, 2880);
  assert_int_equal(fx->q.over[2].minutes, 700);
  assert_int_equal(fx->q.per_advisor[fx->an].days_over, 2);
  assert_int_equal(fx->q.per_advisor[fx->be].days_over, 1);
  assert_int_equal(fx->q.per_advisor[fx->cd].days_over, 0);
  assert_int_equal(fx->q.per_team[fx->t1].days_over, 3);
  assert_int_equal(fx->q.per_team[fx->t2].days_over, 0);
  assert_int_equal(fx->q.total.days_over, 3);
}

static void duplicates(void **state) {
  struct fixture *fx = *state;
  assert_int_equal(fx->q.n_dups, 3);
  /* sorted by first advisor (AN), then day */
  const struct quality_dup *g = fx->q.dups;
  assert_int_equal(g[0].day, day("2025-10-03"));
  assert_int_equal(g[0].n, 2);
  assert_string_equal(g[0].ext_ids[0], "R04");
  assert_string_equal(g[0].ext_ids[1], "R05");
  assert_int_equal(g[0].minutes, 1440);
  assert_int_equal(g[0].n_advisors, 1);
  assert_int_equal(g[1].day, day("2025-10-08"));
  assert_string_equal(g[1].ext_ids[0], "R06");
  assert_string_equal(g[1].ext_ids[1], "R07");
  assert_int_equal(g[1].n_advisors, 2);
  assert_int_equal(g[2].day, day("2025-10-09"));
  assert_int_equal(g[2].n, 2);
  assert_string_equal(g[2].ext_ids[0], "R08");
  assert_string_equal(g[2].ext_ids[1], "R09");
  assert_int_equal(g[2].line, model_line(&fx->m, "P1"));
  assert_int_equal(fx->q.per_advisor[fx->an].dup_groups, 3);
  assert_int_equal(fx->q.per_advisor[fx->an].dup_registrations, 6);
  assert_int_equal(fx->q.per_advisor[fx->cd].dup_groups, 1);
  assert_int_equal(fx->q.per_advisor[fx->cd].dup_registrations, 2);
  assert_int_equal(fx->q.per_advisor[fx->be].dup_groups, 0);
  assert_int_equal(fx->q.per_team[fx->t1].dup_groups, 3);
  assert_int_equal(fx->q.per_team[fx->t2].dup_groups, 1);
  assert_int_equal(fx->q.total.dup_groups, 3);
  assert_int_equal(fx->q.total.dup_registrations, 6);
}

static void lag(void **state) {
  struct fixture *fx = *state;
  const struct quality_counts *an = &fx->q.per_advisor[fx->an], *be = &fx->q.per_advisor[fx->be],
                              *cd = &fx->q.per_advisor[fx->cd], *t1 = &fx->q.per_team[fx->t1],
                              *t2 = &fx->q.per_team[fx->t2], *all = &fx->q.total;
  assert_int_equal(an->lag_known, 4);
  assert_int_equal(an->lag_unknown, 7);
  assert_int_equal(an->lag_within, 3);
  assert_true(an->lag_median == 1.0);
  assert_int_equal(be->lag_known, 2);
  assert_int_equal(be->lag_unknown, 0);
  assert_int_equal(be->lag_within, 1);
  assert_true(be->lag_median == 8.0);
  assert_int_equal(cd->lag_known, 1);
  assert_int_equal(cd->lag_unknown, 2);
  assert_int_equal(cd->lag_within, 1);
  assert_true(cd->lag_median == 1.0);
  assert_int_equal(t1->lag_known, 6);
  assert_int_equal(t1->lag_unknown, 7);
  assert_int_equal(t1->lag_within, 4);
  assert_true(t1->lag_median == 1.0);
  assert_int_equal(t2->lag_known, 1);
  assert_int_equal(t2->lag_unknown, 2);
  assert_int_equal(all->lag_known, 6);
  assert_int_equal(all->lag_unknown, 8);
  assert_int_equal(all->lag_within, 4);
  assert_true(all->lag_median == 1.0);
}

/* The seeded holidays, the planned FTE split, and the bounds of the year. */
static void reference_data_and_bounds(void **state) {
  struct fixture *fx = *state;
  assert_int_equal(db_query_int(fx->db,
                                "SELECT COUNT(*) FROM holiday WHERE start_date = '2025-10-27' AND "
                                "end_date = '2025-11-02' AND name = 'herfstvakantie'",
                                -1),
                   1);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM advisor_line_plan", -1), 2);
  struct quality_report q;
  char err[256];
  /* a year out of range is an error, not a loop */
  assert_int_equal(
      quality_compute(fx->db, &fx->m, 99999, NO_DATE, NO_DATE, day("2026-03-10"), &q, err, sizeof err), -1);
  quality_free(&q);
  /* 9998-9999: the range ends on 9999-08-31; nothing there, quickly */
  assert_int_equal(quality_compute(fx->db, &fx->m, 9998, NO_DATE, day("9999-12-31"), day("2026-03-10"), &q,
                                   err, sizeof err),
                   0);
  assert_int_equal(q.n_without, 0);
  assert_int_equal(q.n_over, 0);
  assert_int_equal(q.n_dups, 0);
  quality_free(&q);
  /* the whole school year: November .. today adds days without, the rest is the same */
  assert_int_equal(
      quality_compute(fx->db, &fx->m, Y, NO_DATE, NO_DATE, day("2026-03-10"), &q, err, sizeof err), 0);
  assert_int_equal(q.from, day("2025-09-01"));
  assert_int_equal(q.to, day("2026-08-31"));
  assert_int_equal(q.n_over, 3);
  assert_int_equal(q.n_dups, 3);
  assert_true(q.total.days_without > 30);
  quality_free(&q);
}

int main(void) {
  const char *e = getenv("BEREIK_TEST_ENGINE");
  if (e && !strcmp(e, "postgresql") && !getenv("BEREIK_TEST_PG")) {
    printf("skipped: BEREIK_TEST_PG is not set (scripts/test.sh starts a server)\n");
    return 77;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(days_without), cmocka_unit_test(days_without_until_today),
      cmocka_unit_test(days_over),    cmocka_unit_test(duplicates),
      cmocka_unit_test(lag),          cmocka_unit_test(reference_data_and_bounds),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
