/* SPDX-License-Identifier: EUPL-1.2 */
/* The bounds of domain/bounds.h and the rules of domain/registration.c that use them,
   on a real SQLite file: texts (UTF-8, control characters, length), ids, dates from the
   oldest school year in the settings up to today (BEREIK_TODAY), minutes, head counts,
   the minutes of an advisor's day against stored rows; the co-advisor rule's list
   comparison; and the walk over the school years with data, which once never ended on a
   date in school year 9999 (issue 13, defect 1). Expected values are written by hand. */
#include <setjmp.h>
#include <signal.h>
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
#include "domain/access.h"
#include "domain/aggregate.h"
#include "domain/bounds.h"
#include "domain/model.h"
#include "domain/registration.h"
#include "io/dataset.h"
#include "measures/facts.h"

struct fixture {
  char db_path[64], dir[64];
  struct db *db;
  struct model m;
};

static void write_file(const char *dir, const char *name, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) fail_msg("cannot write %s", path);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

static const char *const FILES[] = {"settings.csv",     "sectors.csv",  "lines.csv",
                                    "institutions.csv", "advisors.csv", "target_groups.csv",
                                    "registrations.csv"};

/* School years 2023-2024 and 2024-2025; advisors AN and BE; one stored registration of
   AN on 2024-10-07 of 1000 minutes. */
static int setup(void **state) {
  struct fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  snprintf(fx->db_path, sizeof fx->db_path, "/tmp/bereik-bounds-db-XXXXXX");
  int fd = mkstemp(fx->db_path);
  if (fd < 0) goto fail;
  close(fd);
  snprintf(fx->dir, sizeof fx->dir, "/tmp/bereik-bounds-ds-XXXXXX");
  if (!mkdtemp(fx->dir)) goto fail;
  write_file(fx->dir, "settings.csv", "school_year,hours_per_fte\n2024-2025,1185\n2023-2024,1185\n");
  write_file(fx->dir, "sectors.csv", "code,name\nSO,Secundair onderwijs\n");
  write_file(fx->dir, "lines.csv", "code,name,kind\nP3,Pijler 3,pillar\n");
  write_file(fx->dir, "institutions.csv", "number,code,name,sector\n100001,SAA,School A,SO\n");
  write_file(fx->dir, "advisors.csv", "code,name,fte\nAN,Anna,1\nBE,Bert,1\n");
  write_file(fx->dir, "target_groups.csv", "code,name\nleraren,Leraren\n");
  write_file(fx->dir, "registrations.csv",
             "id,date,minutes,kind,line,advisors,institutions,modality,activity,tg.leraren\n"
             "S1,2024-10-07,1000,internal,P3,AN,,,preparation,\n");
  char err[512];
  fx->db = db_open(fx->db_path, err, sizeof err);
  if (!fx->db || db_migrate(fx->db, err, sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    goto fail;
  }
  FILE *devnull = fopen("/dev/null", "w");
  int rc = devnull ? dataset_import_to(fx->db, fx->dir, "test", devnull) : -1;
  if (devnull) fclose(devnull);
  if (rc != 0 || model_load(fx->db, &fx->m, err, sizeof err) != 0) goto fail;
  setenv("BEREIK_TODAY", "2025-03-14", 1);
  *state = fx;
  return 0;
fail:
  if (fx->db) db_close(fx->db);
  free(fx);
  return -1;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  model_free(&fx->m);
  db_close(fx->db);
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

/* ---- texts and ids ---- */

static void test_text(void **state) {
  (void)state;
  size_t n = 0;
  static const struct {
    const char *s;
    int multiline, want;
  } cases[] = {
      {"", 0, TEXT_OK},
      {"Studiedag évaluatie – ✓ 😀", 0, TEXT_OK},
      {"\xff", 0, TEXT_UTF8},             /* not a UTF-8 byte */
      {"ab\xc3", 0, TEXT_UTF8},           /* truncated sequence */
      {"\xc0\xaf", 0, TEXT_UTF8},         /* overlong '/' */
      {"\xe0\x80\xaf", 0, TEXT_UTF8},     /* overlong, three bytes */
      {"\xed\xa0\x80", 0, TEXT_UTF8},     /* surrogate U+D800 */
      {"\xf4\x90\x80\x80", 0, TEXT_UTF8}, /* above U+10FFFF */
      {"a\x01z", 1, TEXT_CONTROL},        /* C0 */
      {"a\x7fz", 1, TEXT_CONTROL},        /* DEL */
      {"a\xc2\x85z", 1, TEXT_CONTROL},    /* C1 NEL */
      {"line\r\nnext\tcol", 1, TEXT_OK},  /* allowed in a description */
      {"line\nnext", 0, TEXT_CONTROL},    /* not in a one-line field */
      {"tab\there", 0, TEXT_CONTROL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (bounds_text(cases[i].s, 100, cases[i].multiline, &n) != cases[i].want)
      fail_msg("case %zu: got %d, want %d", i, bounds_text(cases[i].s, 100, cases[i].multiline, &n),
               cases[i].want);
  /* length in characters, not bytes: 4 characters of 2 bytes */
  assert_int_equal(bounds_text("éééé", 4, 0, &n), TEXT_OK);
  assert_int_equal(n, 4);
  assert_int_equal(bounds_text("ééééé", 4, 0, &n), TEXT_TOO_LONG);
  assert_int_equal(n, 5);
}

static void test_id(void **state) {
  (void)state;
  assert_true(bounds_id_ok("r001"));
  assert_true(bounds_id_ok("a-0123.x_Y"));
  char id64[65], id65[66];
  memset(id64, 'a', 64);
  id64[64] = 0;
  memset(id65, 'a', 65);
  id65[65] = 0;
  assert_true(bounds_id_ok(id64));
  assert_false(bounds_id_ok(id65));
  assert_false(bounds_id_ok(""));
  assert_false(bounds_id_ok("a/b"));
  assert_false(bounds_id_ok("a b"));
  assert_false(bounds_id_ok("r1\r\n"));
  assert_false(bounds_id_ok("é"));
  assert_false(bounds_id_ok("%2F"));
}

/* ---- the rules of one registration ---- */

/* A valid internal registration of AN (one target group in the model). */
static char **row(const struct model *m, const char *id, const char *date, const char *minutes) {
  int n = N_REG_BASE + (int)m->n_target_groups;
  char **v = xcalloc((size_t)n, sizeof *v);
  for (int i = 0; i < n; i++) v[i] = xstrdup("");
  const struct {
    int col;
    const char *s;
  } set[] = {{R_ID, id},     {R_DATE, date},     {R_MINUTES, minutes},       {R_KIND, "internal"},
             {R_LINE, "P3"}, {R_ADVISORS, "AN"}, {R_ACTIVITY, "preparation"}};
  for (size_t k = 0; k < sizeof set / sizeof set[0]; k++) {
    free(v[set[k].col]);
    v[set[k].col] = xstrdup(set[k].s);
  }
  return v;
}

static void put(char **v, int col, const char *s) {
  free(v[col]);
  v[col] = xstrdup(s);
}

static void row_free(const struct model *m, char **v) {
  for (int i = 0; i < N_REG_BASE + (int)m->n_target_groups; i++) free(v[i]);
  free(v);
}

/* The codes of the problems of a row, in order, as "col:code,..." */
static const char *codes(const struct model *m, char **v, char out[256]) {
  struct reg_check c;
  registration_check(m, v, &c);
  out[0] = 0;
  for (int k = 0; k < c.problems.n; k++)
    snprintf(out + strlen(out), 256 - strlen(out), "%s%d:%d", k ? "," : "", c.problems.p[k].col,
             c.problems.p[k].code);
  return out;
}

static void expect(const struct model *m, char **v, int col, int code) {
  char got[256], want[32];
  snprintf(want, sizeof want, "%d:%d", col, code);
  codes(m, v, got);
  if (strcmp(got, want)) fail_msg("problems %s, want %s", got, want);
}

static void test_registration_bounds(void **state) {
  struct fixture *fx = *state;
  const struct model *m = &fx->m;
  char got[256];
  /* valid at both ends of the date range: 1 September of the oldest school year, today */
  char **v = row(m, "r1", "2023-09-01", "1");
  assert_string_equal(codes(m, v, got), "");
  put(v, R_DATE, "2025-03-14");
  put(v, R_MINUTES, "1440");
  assert_string_equal(codes(m, v, got), "");
  /* one day beyond each end */
  put(v, R_DATE, "2023-08-31");
  expect(m, v, R_DATE, RP_DATE_TOO_EARLY);
  put(v, R_DATE, "2025-03-15");
  expect(m, v, R_DATE, RP_DATE_FUTURE);
  put(v, R_DATE, "9999-12-31");
  expect(m, v, R_DATE, RP_DATE_FUTURE);
  put(v, R_DATE, "");
  expect(m, v, R_DATE, RP_DATE_REQUIRED);
  put(v, R_DATE, "2024-02-30");
  expect(m, v, R_DATE, RP_DATE_INVALID);
  put(v, R_DATE, "2024-10-07");
  /* minutes */
  put(v, R_MINUTES, "0");
  expect(m, v, R_MINUTES, RP_MINUTES_RANGE);
  put(v, R_MINUTES, "1441");
  expect(m, v, R_MINUTES, RP_MINUTES_RANGE);
  put(v, R_MINUTES, "");
  expect(m, v, R_MINUTES, RP_MINUTES_REQUIRED);
  put(v, R_MINUTES, "60");
  /* ids */
  put(v, R_ID, "a/b");
  expect(m, v, R_ID, RP_ID_INVALID);
  put(v, R_ID, "r1\r\n");
  expect(m, v, R_ID, RP_TEXT_CONTROL);
  char big[200];
  memset(big, 'x', 65);
  big[65] = 0;
  put(v, R_ID, big);
  expect(m, v, R_ID, RP_TEXT_TOO_LONG);
  put(v, R_ID, "r1");
  /* description: 2000 characters, tabs and line breaks allowed; invalid UTF-8 never */
  char *d = xmalloc(2 * 2001 + 1);
  for (int i = 0; i < 2000; i++) memcpy(d + 2 * i, "é", 2);
  d[4000] = 0;
  put(v, R_DESCRIPTION, d);
  assert_string_equal(codes(m, v, got), "");
  memcpy(d + 4000, "é", 3);
  put(v, R_DESCRIPTION, d);
  expect(m, v, R_DESCRIPTION, RP_TEXT_TOO_LONG);
  free(d);
  put(v, R_DESCRIPTION, "line 1\r\n\tline 2");
  assert_string_equal(codes(m, v, got), "");
  put(v, R_DESCRIPTION, "bad \xff byte");
  expect(m, v, R_DESCRIPTION, RP_TEXT_UTF8);
  put(v, R_DESCRIPTION, "");
  /* a code with a control character or invalid UTF-8 is not echoed in "unknown line" */
  put(v, R_LINE, "P3\x1b[2J");
  expect(m, v, R_LINE, RP_TEXT_CONTROL);
  put(v, R_LINE, "P3");
  row_free(m, v);
  /* head counts 0..10000 on a client registration */
  v = row(m, "r2", "2024-10-07", "60");
  put(v, R_KIND, "client");
  put(v, R_ACTIVITY, "");
  put(v, R_MODALITY, "fysiek");
  put(v, R_INSTITUTIONS, "100001");
  put(v, N_REG_BASE, "10000");
  assert_string_equal(codes(m, v, got), "");
  put(v, N_REG_BASE, "10001");
  expect(m, v, N_REG_BASE, RP_COUNT_TOO_LARGE);
  put(v, N_REG_BASE, "9223372036854775807"); /* 2^63-1: once summed into a negative number */
  expect(m, v, N_REG_BASE, RP_COUNT_TOO_LARGE);
  put(v, N_REG_BASE, "-1");
  expect(m, v, N_REG_BASE, RP_COUNT_NEGATIVE);
  put(v, N_REG_BASE, "99999999999999999999");
  expect(m, v, N_REG_BASE, RP_COUNT_NOT_INTEGER);
  row_free(m, v);
}

/* The oldest school year in the settings moves the first accepted date. */
static void test_first_day_from_settings(void **state) {
  struct fixture *fx = *state;
  int32_t d;
  assert_int_equal(date_parse("2023-09-01", &d), 0);
  assert_int_equal(bounds_first_day(&fx->m), d);
  struct model empty = {0};
  assert_int_equal(bounds_first_day(&empty), date_min_day());
  /* today follows BEREIK_TODAY */
  assert_int_equal(date_parse("2025-03-14", &d), 0);
  assert_int_equal(bounds_today(), d);
}

/* 1000 stored minutes of AN on 2024-10-07: 440 more fit, 441 do not; a co-advisor
   counts too; an update does not count its own stored minutes. */
static void test_day_total(void **state) {
  struct fixture *fx = *state;
  const struct model *m = &fx->m;
  char **v = row(m, "r3", "2024-10-07", "440");
  struct reg_check c;
  assert_int_equal(db_begin_write(fx->db), DB_OK);
  registration_check(m, v, &c);
  assert_int_equal(registration_check_day(fx->db, m, v, &c, 0), 0);
  assert_int_equal(c.problems.n, 0);
  put(v, R_MINUTES, "441");
  registration_check(m, v, &c);
  assert_int_equal(registration_check_day(fx->db, m, v, &c, 0), 0);
  assert_int_equal(c.problems.n, 1);
  assert_int_equal(c.problems.p[0].code, RP_DAY_TOTAL);
  assert_string_equal(c.problems.p[0].arg[0], "AN");
  assert_string_equal(c.problems.p[0].arg[1], "1441");
  char text[512];
  reg_problem_text(&c.problems.p[0], "en", text, sizeof text);
  assert_string_equal(text, "advisor 'AN' would have 1441 minutes registered on 2024-10-07; at most 1440 "
                            "minutes (24 hours) a day");
  /* as a co-advisor of BE's registration */
  put(v, R_ADVISORS, "AN|BE");
  registration_check(m, v, &c);
  assert_int_equal(registration_check_day(fx->db, m, v, &c, 0), 0);
  assert_int_equal(c.problems.n, 1);
  assert_string_equal(c.problems.p[0].arg[0], "AN");
  /* the stored registration itself changed to 1440 minutes: its own 1000 do not count */
  int64_t self = db_query_int(fx->db, "SELECT id FROM registration WHERE ext_id = 'S1'", 0);
  assert_true(self > 0);
  put(v, R_ID, "S1");
  put(v, R_ADVISORS, "AN");
  put(v, R_MINUTES, "1440");
  registration_check(m, v, &c);
  assert_int_equal(registration_check_day(fx->db, m, v, &c, self), 0);
  assert_int_equal(c.problems.n, 0);
  /* another day is free */
  put(v, R_DATE, "2024-10-08");
  registration_check(m, v, &c);
  assert_int_equal(registration_check_day(fx->db, m, v, &c, 0), 0);
  assert_int_equal(c.problems.n, 0);
  db_rollback(fx->db);
  row_free(m, v);
}

static void test_only_self_removed(void **state) {
  (void)state;
  assert_true(registration_only_self_removed("AN|BE", "AN", "BE"));
  assert_true(registration_only_self_removed("AN|BE|CD", "AN|CD", "BE"));
  assert_false(registration_only_self_removed("AN|BE", "BE", "BE")); /* removed the author, not self */
  assert_false(registration_only_self_removed("AN|BE", "AN|BE", "BE"));
  assert_false(registration_only_self_removed("AN|BE", "", "BE"));
  assert_false(registration_only_self_removed("AN|BE|CD", "AN", "BE"));
  assert_false(registration_only_self_removed("AN|BE", "AN|XX", "BE"));
}

/* ---- issue 13, defect 1: a date in school year 9999 ---- */

static void on_alarm(int sig) {
  (void)sig;
  static const char msg[] = "the walk over the school years did not end within 10 s\n";
  ssize_t w = write(2, msg, sizeof msg - 1);
  (void)w;
  _exit(1);
}

/* AN's registered hours of 9998-9999 (the 60 minutes of 9999-06-30) and of 2024-2025. */
static void assert_far_hours(struct fixture *fx, const int *years, int n) {
  char err[256];
  struct facts f;
  assert_int_equal(facts_compute(fx->db, &fx->m, years, n, &f, err, sizeof err), 0);
  int found = 0;
  double h = facts_get(&f, "klv", 9998, "advisor:AN", "registered_hours", &found);
  assert_true(found);
  assert_true(h == 1.0);
  h = facts_get(&f, "klv", 2024, "advisor:AN", "registered_hours", &found);
  assert_true(found);
  assert_true(h > 1000.0 / 60.0 - 1e-9 && h < 1000.0 / 60.0 + 1e-9);
  facts_free(&f);
}

/* A registration dated 9999-12-31, stored before the bounds existed (straight into the
   table), once sent the walk over the years with data round for ever: 10000-09-01 was
   written as 0000-09-01. Now the walk ends, lists the years it can name, and the facts
   of those years are computed. */
static void test_year_9999_walk_ends(void **state) {
  struct fixture *fx = *state;
  int64_t line = db_query_int(fx->db, "SELECT id FROM line WHERE code = 'P3'", 0);
  int64_t an = db_query_int(fx->db, "SELECT id FROM advisor WHERE code = 'AN'", 0);
  char sql[512];
  snprintf(sql, sizeof sql,
           "INSERT INTO registration (id, ext_id, date, minutes, kind, line_id, activity) VALUES "
           "(900, 'far', '9999-12-31', 60, 'internal', %lld, 'preparation'), "
           "(901, 'far2', '9999-06-30', 60, 'internal', %lld, 'preparation')",
           (long long)line, (long long)line);
  assert_int_equal(db_exec(fx->db, sql), DB_OK);
  snprintf(sql, sizeof sql,
           "INSERT INTO registration_advisor (registration_id, advisor_id) VALUES (900, %lld), (901, %lld)",
           (long long)an, (long long)an);
  assert_int_equal(db_exec(fx->db, sql), DB_OK);
  /* rows written straight into the table are not in the aggregates kept under writes
     (domain/aggregate.h): a database from before the bounds is from before migration 012
     too, so its aggregates are not valid and the facts pass over the registrations; the
     second round below rebuilds them and reads the same facts from them */
  assert_int_equal(db_exec(fx->db, "UPDATE agg_state SET valid = 0"), DB_OK);
  signal(SIGALRM, on_alarm);
  alarm(10);
  int *years = NULL, n = 0;
  char err[256];
  assert_int_equal(facts_years_with_data(fx->db, &years, &n, err, sizeof err), 0);
  /* 9999-06-30 is in 9998-9999; 9999-12-31 in 9999-10000, which "YYYY-YYYY" cannot name */
  assert_int_equal(n, 3);
  assert_int_equal(years[0], 9998);
  assert_int_equal(years[1], 2024);
  assert_int_equal(years[2], 2023);
  /* the registrations' hours, passing over the registrations */
  assert_far_hours(fx, years, n);
  /* the same from the rebuilt aggregates */
  assert_int_equal(db_begin_write(fx->db), DB_OK);
  assert_int_equal(agg_rebuild(fx->db, err, sizeof err), 0);
  assert_int_equal(db_commit(fx->db), DB_OK);
  assert_int_equal(agg_valid(fx->db), 1);
  assert_far_hours(fx, years, n);
  alarm(0);
  free(years);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_text),
      cmocka_unit_test(test_id),
      cmocka_unit_test_setup_teardown(test_registration_bounds, setup, teardown),
      cmocka_unit_test_setup_teardown(test_first_day_from_settings, setup, teardown),
      cmocka_unit_test_setup_teardown(test_day_total, setup, teardown),
      cmocka_unit_test(test_only_self_removed),
      cmocka_unit_test_setup_teardown(test_year_9999_walk_ends, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
