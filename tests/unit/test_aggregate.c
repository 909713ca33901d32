/* SPDX-License-Identifier: EUPL-1.2 */
/* The aggregates kept under writes (domain/aggregate.h) against a full recomputation.

   The synthetic service of `bereik demo` (cli/demo.c: four school years, trajectories
   with follow-up, several advisors and institutions per registration) is written into a
   temporary SQLite file (or, with BEREIK_TEST_ENGINE=postgresql, a temporary PostgreSQL
   database; ctest test_aggregate_pg). Then hundreds of random writes go through the
   domain's front door as the web and the API make them: new registrations, changes of
   minutes, date (into another school year too), head counts, institutions and follow-up,
   deletions, a co-advisor leaving a registration, and a trajectory moved to another
   institution. After each batch the aggregates must equal a recomputation from the
   registrations key by key, and the facts formed from them must equal, fact by fact, the
   facts of a full pass over the registrations, and the organisation's management views
   formed from them must equal, number by number, those of the pass.

   Two deltas are also checked against numbers read straight from the registration
   tables: deleting a registration lowers its line's advisor-minutes by minutes x
   advisors, and its year's registration count by one. */
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

#include "cli/demo.h"
#include "core/dates.h"
#include "db/db.h"
#include "domain/aggregate.h"
#include "domain/model.h"
#include "domain/registration.h"
#include "measures/facts.h"
#include "measures/views.h"

struct fixture {
  struct db *db;
  char path[256], pg_name[64];
  unsigned seed;
};

static unsigned rnd(struct fixture *fx, unsigned n) {
  fx->seed = fx->seed * 1103515245u + 12345u;
  return (fx->seed >> 8) % n;
}

static int setup(void **state) {
  struct fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  *state = fx;
  fx->seed = 20261206;
  if (pg_base()) {
    char sql[128];
    snprintf(fx->pg_name, sizeof fx->pg_name, "bt_agg_%ld", (long)getpid());
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", fx->pg_name);
    if (pg_admin(sql) != 0) return -1;
    snprintf(fx->path, sizeof fx->path, "%s/%s", pg_base(), fx->pg_name);
  } else {
    snprintf(fx->path, sizeof fx->path, "/tmp/bereik-agg-XXXXXX");
    int fd = mkstemp(fx->path);
    if (fd < 0) return -1;
    close(fd);
  }
  char err[512];
  fx->db = db_open(fx->path, err, sizeof err);
  if (!fx->db || db_migrate(fx->db, err, sizeof err) != 0 || demo_fill(fx->db, 7, err, sizeof err) != 0) {
    fprintf(stderr, "setup: %s\n", err);
    return -1;
  }
  /* the hours rule with a low bar in the years that have it: whether an institution's
     minutes count inside or outside its trajectory decides more of the reach facts */
  if (db_begin_write(fx->db) != DB_OK ||
      db_exec(fx->db, "UPDATE setting SET reach_min_hours = 1 WHERE reach_rule = 'hours'") != DB_OK ||
      db_exec(fx->db, "UPDATE setting SET locked = 0") != DB_OK ||
      /* a planned split over lines for half of the advisors in every year: the views read
         their minutes per line and week from the registrations */
      db_exec(fx->db, "DELETE FROM advisor_line_plan") != DB_OK ||
      db_exec(fx->db, "INSERT INTO advisor_line_plan (advisor_id, school_year, line_id, fte) "
                      "SELECT a.id, s.school_year, l.id, 0.25 FROM advisor a, setting s, line l "
                      "WHERE a.id % 2 = 0 AND l.id % 2 = 1") != DB_OK ||
      db_commit(fx->db) != DB_OK)
    return -1;
  return 0;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  db_close(fx->db);
  if (*fx->pg_name) {
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", fx->pg_name);
    pg_admin(sql);
  } else {
    unlink(fx->path);
  }
  free(fx);
  return 0;
}

/* The organisation's management views of year from the aggregates equal those of the
   pass over the registrations, number by number. */
static void assert_views_agree(struct fixture *fx, const struct model *m, const struct facts *facts,
                               int year) {
  char err[512];
  struct views a, b;
  int32_t today = school_year_first_day(year) + 200; /* inside the year: a week in part */
  assert_int_equal(views_compute(fx->db, m, facts, year, today, NULL, &a, err, sizeof err), 0);
  assert_int_equal(views_compute_by_pass(fx->db, m, facts, year, today, NULL, &b, err, sizeof err), 0);
  assert_int_equal(a.n_lines, b.n_lines);
  for (size_t i = 0; i < a.n_lines; i++) {
    const struct view_line *x = &a.lines[i], *y = &b.lines[i];
    assert_int_equal(x->line, y->line);
    if (x->klv_minutes != y->klv_minutes || x->registered_minutes != y->registered_minutes)
      fail_msg("%d line %s: klv %lld registered %lld from the aggregates, %lld and %lld by the pass", year,
               m->lines[x->line].code, (long long)x->klv_minutes, (long long)x->registered_minutes,
               (long long)y->klv_minutes, (long long)y->registered_minutes);
    assert_memory_equal(x->week_klv, y->week_klv, sizeof x->week_klv);
    assert_memory_equal(x->week_registered, y->week_registered, sizeof x->week_registered);
  }
  assert_int_equal(a.n_goals, b.n_goals);
  for (size_t i = 0; i < a.n_goals; i++) {
    assert_int_equal(a.goals[i].goal, b.goals[i].goal);
    assert_int_equal(a.goals[i].hits, b.goals[i].hits);
    assert_int_equal(a.goals[i].reached, b.goals[i].reached);
  }
  assert_int_equal(a.n_institutions, b.n_institutions);
  for (size_t i = 0; i < a.n_institutions; i++) {
    assert_int_equal(a.institutions[i].institution, b.institutions[i].institution);
    assert_int_equal(a.institutions[i].minutes, b.institutions[i].minutes);
    assert_int_equal(a.institutions[i].hits, b.institutions[i].hits);
  }
  assert_int_equal(a.n_groups, b.n_groups);
  for (size_t i = 0; i < a.n_groups; i++) {
    assert_int_equal(a.groups[i].minutes, b.groups[i].minutes);
    assert_int_equal(a.groups[i].reach, b.groups[i].reach);
  }
  assert_memory_equal(a.activity_minutes, b.activity_minutes, sizeof a.activity_minutes);
  assert_int_equal(a.internal_minutes, b.internal_minutes);
  assert_true(a.n_splits > 0);
  assert_int_equal(a.n_splits, b.n_splits);
  for (size_t i = 0; i < a.n_splits; i++) {
    const struct view_split *x = &a.splits[i], *y = &b.splits[i];
    assert_int_equal(x->advisor, y->advisor);
    assert_int_equal(x->line, y->line);
    assert_int_equal(x->minutes_to_date, y->minutes_to_date);
    for (int w = 0; w < FACTS_WEEKS; w++) assert_int_equal(x->week[w].minutes, y->week[w].minutes);
  }
  views_free(&a);
  views_free(&b);
}

/* The aggregates equal a recomputation, and the facts of every year with data formed
   from them equal those of a pass over the registrations. */
static void assert_agrees(struct fixture *fx) {
  char err[512];
  assert_int_equal(db_begin_read(fx->db), DB_OK);
  assert_int_equal(agg_valid(fx->db), 1);
  int diffs = agg_compare(fx->db, stderr, 10, err, sizeof err);
  if (diffs != 0)
    fail_msg("%d aggregate keys differ from the recomputation (%s)", diffs, diffs < 0 ? err : "");
  struct model m;
  assert_int_equal(model_load(fx->db, &m, err, sizeof err), 0);
  int *years = NULL, n = 0;
  assert_int_equal(facts_years_with_data(fx->db, &years, &n, err, sizeof err), 0);
  assert_true(n >= 3);
  struct facts kept, full;
  facts_from_registrations(0);
  assert_int_equal(facts_compute(fx->db, &m, years, n, &kept, err, sizeof err), 0);
  facts_from_registrations(1);
  assert_int_equal(facts_compute(fx->db, &m, years, n, &full, err, sizeof err), 0);
  facts_from_registrations(0);
  for (int i = 0; i < n; i++) assert_views_agree(fx, &m, &kept, years[i]);
  db_commit(fx->db);
  assert_true(kept.n > 500);
  assert_int_equal(kept.n, full.n);
  for (size_t i = 0; i < kept.n; i++) {
    const struct fact *a = &kept.v[i], *b = &full.v[i];
    if (a->year != b->year || strcmp(a->table, b->table) || strcmp(a->row, b->row) ||
        strcmp(a->col, b->col) || a->value != b->value)
      fail_msg("fact %zu: %s %d %s %s = %.17g from the aggregates, %s %d %s %s = %.17g recomputed", i,
               a->table, a->year, a->row, a->col, a->value, b->table, b->year, b->row, b->col, b->value);
  }
  /* the weekly sums and the reached institutions of the newest year too */
  int64_t reg_a[FACTS_WEEKS], klv_a[FACTS_WEEKS], reg_b[FACTS_WEEKS], klv_b[FACTS_WEEKS];
  unsigned char *ra = calloc(m.n_institutions + 1, 1), *rb = calloc(m.n_institutions + 1, 1);
  assert_int_equal(db_begin_read(fx->db), DB_OK);
  assert_int_equal(facts_weekly(fx->db, &m, years[0], reg_a, klv_a, err, sizeof err), 0);
  assert_int_equal(facts_reached(fx->db, &m, years[0], ra, err, sizeof err), 0);
  facts_from_registrations(1);
  assert_int_equal(facts_weekly(fx->db, &m, years[0], reg_b, klv_b, err, sizeof err), 0);
  assert_int_equal(facts_reached(fx->db, &m, years[0], rb, err, sizeof err), 0);
  facts_from_registrations(0);
  db_commit(fx->db);
  assert_memory_equal(reg_a, reg_b, sizeof reg_a);
  assert_memory_equal(klv_a, klv_b, sizeof klv_a);
  assert_memory_equal(ra, rb, m.n_institutions + 1);
  free(ra);
  free(rb);
  facts_free(&kept);
  facts_free(&full);
  free(years);
  model_free(&m);
}

static int64_t scalar(struct db *db, const char *sql, int64_t a) {
  struct db_stmt *st = db_prepare(db, sql);
  assert_non_null(st);
  db_bind_int64(st, 1, a);
  int64_t v = db_step(st) == DB_ROW ? db_col_int64(st, 0) : -1;
  db_finalize(st);
  return v;
}

static int64_t agg_value(struct db *db, int year, int measure, int64_t k1) {
  struct db_stmt *st = db_prepare(
      db, "SELECT COALESCE(SUM(value), 0) FROM agg WHERE school_year = ? AND measure = ? AND k1 = ?");
  assert_non_null(st);
  db_bind_int64(st, 1, year);
  db_bind_int64(st, 2, measure);
  db_bind_int64(st, 3, k1);
  int64_t v = db_step(st) == DB_ROW ? db_col_int64(st, 0) : -1;
  db_finalize(st);
  return v;
}

static void free_values(char **v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(v[i]);
    v[i] = NULL;
  }
}

static void set(char **v, int col, const char *s) {
  free(v[col]);
  v[col] = strdup(s);
}

/* A random registration id (internal), 0 when there is none left. */
static int64_t some_registration(struct fixture *fx) {
  int64_t max = scalar(fx->db, "SELECT MAX(id) FROM registration WHERE id > ?", 0);
  if (max <= 0) return 0;
  int64_t at = 1 + (int64_t)rnd(fx, (unsigned)max);
  return scalar(fx->db, "SELECT MIN(id) FROM registration WHERE id >= ?", at);
}

/* Changes, adds or deletes one registration as the web and the API do. Returns 1 when a
   write was made, 0 when the random change was refused by the rules (then nothing). */
static int one_write(struct fixture *fx, const struct model *m, int *serial) {
  struct db *db = fx->db;
  int64_t id = some_registration(fx);
  if (id <= 0) return 0;
  size_t nv = N_REG_BASE + m->n_target_groups;
  char **v = calloc(nv, sizeof *v);
  assert_int_equal(registration_load(db, m, id, v), 0);
  unsigned op = rnd(fx, 10);
  int wrote = 0;
  if (op == 0) { /* delete one that nothing refers to (else the database refuses) */
    id = scalar(db,
                "SELECT MIN(r.id) FROM registration r WHERE r.id >= ? "
                "AND NOT EXISTS (SELECT 1 FROM registration_mechanism x WHERE x.registration_id = r.id) "
                "AND NOT EXISTS (SELECT 1 FROM followup_registration x WHERE x.registration_id = r.id) "
                "AND NOT EXISTS (SELECT 1 FROM survey x WHERE x.registration_id = r.id)",
                id);
    if (id > 0) {
      if (registration_delete(db, id) != 0) fail_msg("registration_delete: %s", db_errmsg(db));
      wrote = 1;
    }
  } else if (op == 1) { /* a co-advisor leaves */
    char *bar = strchr(v[R_ADVISORS], '|');
    if (bar) {
      *bar = 0;
      int a = model_advisor(m, v[R_ADVISORS]);
      assert_true(a >= 0);
      assert_int_equal(registration_remove_advisor(db, id, m->advisors[a].id), 0);
      wrote = 1;
    }
  } else {
    int as_new = op <= 4;
    char buf[64];
    if (as_new) {
      snprintf(buf, sizeof buf, "AGG-%d", ++*serial);
      set(v, R_ID, buf);
    }
    unsigned what = rnd(fx, 7);
    if (what == 0) {
      snprintf(buf, sizeof buf, "%u", 5 + rnd(fx, 120));
      set(v, R_MINUTES, buf);
    } else if (what == 1) { /* another day, sometimes in the school year before */
      int32_t d;
      assert_int_equal(date_parse(v[R_DATE], &d), 0);
      d -= (int32_t)rnd(fx, 400);
      date_format(d, buf);
      set(v, R_DATE, buf);
    } else if (what == 2 && m->n_target_groups) {
      size_t g = rnd(fx, (unsigned)m->n_target_groups);
      snprintf(buf, sizeof buf, "%u", rnd(fx, 30));
      set(v, N_REG_BASE + (int)g, buf);
    } else if (what == 3) { /* one institution less */
      char *bar = strrchr(v[R_INSTITUTIONS], '|');
      if (bar) *bar = 0;
    } else if (what == 4 && v[R_FOLLOWUP][0]) {
      set(v, R_FOLLOWUP, strcmp(v[R_FOLLOWUP], "true") ? "true" : "false");
    } else if (what == 5 && !strcmp(v[R_KIND], "client")) { /* another goal of its line, or none */
      int line = model_line(m, v[R_LINE]), pick = -1, seen = 0;
      for (size_t g = 0; line >= 0 && g < m->n_goals; g++)
        if (m->goals[g].line == line && rnd(fx, (unsigned)++seen) == 0) pick = (int)g;
      set(v, R_GOAL, pick >= 0 && rnd(fx, 4) ? m->goals[pick].code : "");
    } else if (what == 5) { /* another activity */
      set(v, R_ACTIVITY, activity_names[rnd(fx, N_ACTIVITIES)]);
    } else {
      snprintf(buf, sizeof buf, "%u", 10 + rnd(fx, 60));
      set(v, R_MINUTES, buf);
    }
    struct reg_check c;
    registration_check(m, v, &c);
    int64_t target = as_new ? registration_next_id(db) : id;
    if (!c.problems.n) assert_int_equal(registration_check_day(db, m, v, &c, as_new ? 0 : id), 0);
    if (!c.problems.n) {
      struct reg_statements s;
      assert_int_equal(reg_statements_prepare(db, &s), 0);
      struct reg_write *w = reg_write_new(m, v, &c, target, !as_new);
      const char *msg = reg_write_exec(&s, w);
      if (msg) fail_msg("reg_write_exec: %s: %s", msg, db_errmsg(db));
      reg_write_free(w);
      reg_statements_finalize(&s);
      wrote = 1;
    }
  }
  free_values(v, nv);
  free(v);
  return wrote;
}

static void random_writes_equal_a_recomputation(void **state) {
  struct fixture *fx = *state;
  char err[512];
  assert_int_equal(db_begin_read(fx->db), DB_OK);
  assert_int_equal(agg_valid(fx->db), 1); /* demo_fill imports: the import keeps them */
  db_commit(fx->db);
  assert_agrees(fx);
  int serial = 0, writes = 0;
  for (int batch = 0; batch < 12; batch++) {
    struct model m;
    assert_int_equal(db_begin_write_registrations(fx->db), DB_OK);
    assert_int_equal(model_load(fx->db, &m, err, sizeof err), 0);
    for (int k = 0; k < 40; k++) writes += one_write(fx, &m, &serial);
    if (batch == 5 && m.n_trajectories && m.n_institutions > 1) {
      /* a trajectory moves to another institution: the minutes of its registrations now
         count outside it, without any registration being written */
      const struct trajectory *t = &m.trajectories[0];
      int other = (t->institution + 1) % (int)m.n_institutions;
      struct db_stmt *st = db_prepare(fx->db, "UPDATE trajectory SET institution_id = ? WHERE id = ?");
      assert_non_null(st);
      db_bind_int64(st, 1, m.institutions[other].id);
      db_bind_int64(st, 2, t->id);
      assert_int_equal(db_step(st), DB_DONE);
      db_finalize(st);
    }
    model_free(&m);
    assert_int_equal(db_commit(fx->db), DB_OK);
    if (batch % 4 == 3) assert_agrees(fx);
  }
  assert_true(writes > 200);
  assert_agrees(fx);
}

static void delete_removes_its_delta(void **state) {
  struct fixture *fx = *state;
  struct db *db = fx->db;
  assert_int_equal(db_begin_write_registrations(db), DB_OK);
  int64_t id =
      scalar(db,
             "SELECT MIN(r.id) FROM registration r WHERE r.id >= ? AND "
             "(SELECT COUNT(*) FROM registration_advisor a WHERE a.registration_id = r.id) >= 2 "
             "AND NOT EXISTS (SELECT 1 FROM registration_mechanism x WHERE x.registration_id = r.id) "
             "AND NOT EXISTS (SELECT 1 FROM followup_registration x WHERE x.registration_id = r.id) "
             "AND NOT EXISTS (SELECT 1 FROM survey x WHERE x.registration_id = r.id)",
             0);
  assert_true(id > 0);
  int64_t minutes = scalar(db, "SELECT minutes FROM registration WHERE id = ?", id);
  int64_t advisors = scalar(db, "SELECT COUNT(*) FROM registration_advisor WHERE registration_id = ?", id);
  int64_t line = scalar(db, "SELECT line_id FROM registration WHERE id = ?", id);
  struct db_stmt *st = db_prepare(db, "SELECT date FROM registration WHERE id = ?");
  db_bind_int64(st, 1, id);
  assert_int_equal(db_step(st), DB_ROW);
  int32_t day;
  assert_int_equal(date_parse(db_col_text(st, 0), &day), 0);
  db_finalize(st);
  int y = school_year_of(day);
  int64_t before = agg_value(db, y, AGG_LINE_REGISTERED, line);
  int64_t count = agg_value(db, y, AGG_REGISTRATIONS, 0);
  assert_int_equal(registration_delete(db, id), 0);
  assert_int_equal(agg_value(db, y, AGG_LINE_REGISTERED, line), before - minutes * advisors);
  assert_int_equal(agg_value(db, y, AGG_REGISTRATIONS, 0), count - 1);
  assert_int_equal(db_commit(db), DB_OK);
  assert_agrees(fx);
}

/* A database whose aggregates are not valid (registrations before migration 012) is
   read the slow way, and agg_rebuild makes them valid and right again. */
static void rebuild_after_invalid(void **state) {
  struct fixture *fx = *state;
  char err[512];
  assert_int_equal(db_begin_write(fx->db), DB_OK);
  assert_int_equal(db_exec(fx->db, "UPDATE agg_state SET valid = 0"), DB_OK);
  assert_int_equal(db_exec(fx->db, "DELETE FROM agg WHERE measure = 2"), DB_OK);
  assert_int_equal(db_commit(fx->db), DB_OK);
  assert_int_equal(db_begin_write(fx->db), DB_OK);
  assert_int_equal(agg_rebuild(fx->db, err, sizeof err), 0);
  assert_int_equal(db_commit(fx->db), DB_OK);
  assert_agrees(fx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(random_writes_equal_a_recomputation),
      cmocka_unit_test(delete_removes_its_delta),
      cmocka_unit_test(rebuild_after_invalid),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
