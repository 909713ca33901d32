/* SPDX-License-Identifier: EUPL-1.2 */
/* Per-object authorization of registrations (domain/access.h) on a tiny SQLite database
   filled by the project's own import:

     teams T1 = {AN, BE} and T2 = {BE, CD}; DE is in no team;
     R1: 2024-10-07, client, advisors AN and BE (author AN, recorded in the test);
     R2: 2024-10-08, internal, advisor CD (imported: no author);
     R3: 2024-10-09, internal, advisor DE.

   An advisor's own scope is themselves; the team-wide scope adds every member of every
   team they are in. A registration is in scope when one of its advisors is. The author
   (or whoever has the author in scope) owns a registration; a co-advisor may only take
   themselves off it, never the author. */
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
#include "domain/access.h"
#include "domain/model.h"
#include "io/dataset.h"

static const char *const FILES[] = {"settings.csv", "sectors.csv",  "lines.csv",        "institutions.csv",
                                    "teams.csv",    "advisors.csv", "registrations.csv"};

struct fixture {
  char db_path[64], dir[64];
  struct db *db;
  struct model m;
  int64_t an, be, cd, de; /* advisor ids */
  int64_t r1, r2, r3;     /* registration ids */
};

static void write_file(const char *dir, const char *name, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) fail_msg("cannot write %s", path);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

static int64_t advisor_id(const struct model *m, const char *code) {
  int a = model_advisor(m, code);
  return a >= 0 ? m->advisors[a].id : -1;
}

static int setup(void **state) {
  struct fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  *state = fx;
  snprintf(fx->db_path, sizeof fx->db_path, "/tmp/bereik-access-db-XXXXXX");
  int fd = mkstemp(fx->db_path);
  if (fd < 0) return -1;
  close(fd);
  snprintf(fx->dir, sizeof fx->dir, "/tmp/bereik-access-ds-XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  setenv("BEREIK_TODAY", "2025-08-15", 1);
  write_file(fx->dir, "settings.csv", "school_year,hours_per_fte\n2024-2025,1185\n");
  write_file(fx->dir, "sectors.csv", "code,name\nSO,Secundair onderwijs\n");
  write_file(fx->dir, "lines.csv", "code,name,kind\nP1,Pijler 1,pillar\n");
  write_file(fx->dir, "institutions.csv", "number,code,name,sector\n100001,SAA,School A,SO\n");
  write_file(fx->dir, "teams.csv", "code,name,lines\nT1,Team 1,P1\nT2,Team 2,P1\n");
  write_file(fx->dir, "advisors.csv",
             "code,name,fte,teams\n"
             "AN,Anna,1,T1\n"
             "BE,Bert,1,T1|T2\n"
             "CD,Cato,1,T2\n"
             "DE,Dirk,1,\n");
  write_file(fx->dir, "registrations.csv",
             "id,date,minutes,kind,line,advisors,institutions,modality,activity\n"
             "R1,2024-10-07,90,client,P1,AN|BE,SAA,fysiek,\n"
             "R2,2024-10-08,60,internal,P1,CD,,,preparation\n"
             "R3,2024-10-09,30,internal,P1,DE,,,preparation\n");
  char err[512];
  fx->db = db_open(fx->db_path, err, sizeof err);
  if (!fx->db || db_migrate(fx->db, err, sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    return -1;
  }
  FILE *devnull = fopen("/dev/null", "w");
  int rc = devnull ? dataset_import_to(fx->db, fx->dir, "test", devnull) : -1;
  if (devnull) fclose(devnull);
  if (rc != 0) {
    fprintf(stderr, "import: %d\n", rc);
    return -1;
  }
  if (model_load(fx->db, &fx->m, err, sizeof err) != 0) {
    fprintf(stderr, "model_load: %s\n", err);
    return -1;
  }
  fx->an = advisor_id(&fx->m, "AN");
  fx->be = advisor_id(&fx->m, "BE");
  fx->cd = advisor_id(&fx->m, "CD");
  fx->de = advisor_id(&fx->m, "DE");
  fx->r1 = db_query_int(fx->db, "SELECT id FROM registration WHERE ext_id = 'R1'", -1);
  fx->r2 = db_query_int(fx->db, "SELECT id FROM registration WHERE ext_id = 'R2'", -1);
  fx->r3 = db_query_int(fx->db, "SELECT id FROM registration WHERE ext_id = 'R3'", -1);
  if (fx->an <= 0 || fx->be <= 0 || fx->cd <= 0 || fx->de <= 0 || fx->r1 <= 0 || fx->r2 <= 0 || fx->r3 <= 0)
    return -1;
  /* R1 was entered by AN */
  if (db_begin_write(fx->db) != DB_OK || registration_set_author(fx->db, fx->r1, fx->an) != 0 ||
      db_commit(fx->db) != DB_OK)
    return -1;
  return 0;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  if (!fx) return 0;
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

/* The scope holds exactly these advisor ids (any order given; the scope keeps them
   sorted). */
static void expect_scope(const struct advisor_scope *s, const int64_t *want, int n) {
  assert_int_equal(s->all, 0);
  assert_int_equal(s->n, n);
  int64_t sorted[8];
  memcpy(sorted, want, sizeof *want * (size_t)n);
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
      int64_t t = sorted[j];
      sorted[j] = sorted[j - 1];
      sorted[j - 1] = t;
    }
  for (int i = 0; i < n; i++) assert_int_equal(s->ids[i], sorted[i]);
}

/* ---- advisor_scope_of / advisor_scope_has ---- */

static void test_own_scope_is_the_advisor_alone(void **state) {
  struct fixture *fx = *state;
  struct advisor_scope s;
  assert_int_equal(advisor_scope_of(&fx->m, fx->be, 0, &s), 0);
  int64_t want[] = {fx->be};
  expect_scope(&s, want, 1);
  assert_true(advisor_scope_has(&s, fx->be));
  assert_false(advisor_scope_has(&s, fx->an)); /* a team mate is not in the own scope */
  assert_false(advisor_scope_has(&s, fx->cd));
  assert_false(advisor_scope_has(&s, fx->de));
  advisor_scope_free(&s);
}

static void test_team_wide_scope_adds_team_members(void **state) {
  struct fixture *fx = *state;
  struct advisor_scope s;
  /* AN is in T1 = {AN, BE} */
  assert_int_equal(advisor_scope_of(&fx->m, fx->an, 1, &s), 0);
  int64_t want_an[] = {fx->an, fx->be};
  expect_scope(&s, want_an, 2);
  assert_true(advisor_scope_has(&s, fx->be));
  assert_false(advisor_scope_has(&s, fx->cd)); /* a team mate of a team mate is not */
  assert_false(advisor_scope_has(&s, fx->de));
  advisor_scope_free(&s);
  /* BE is in T1 and T2: AN, BE and CD, BE once */
  assert_int_equal(advisor_scope_of(&fx->m, fx->be, 1, &s), 0);
  int64_t want_be[] = {fx->an, fx->be, fx->cd};
  expect_scope(&s, want_be, 3);
  assert_false(advisor_scope_has(&s, fx->de));
  advisor_scope_free(&s);
  /* CD is in T2 = {BE, CD} */
  assert_int_equal(advisor_scope_of(&fx->m, fx->cd, 1, &s), 0);
  int64_t want_cd[] = {fx->be, fx->cd};
  expect_scope(&s, want_cd, 2);
  advisor_scope_free(&s);
  /* DE is in no team: only DE */
  assert_int_equal(advisor_scope_of(&fx->m, fx->de, 1, &s), 0);
  int64_t want_de[] = {fx->de};
  expect_scope(&s, want_de, 1);
  advisor_scope_free(&s);
}

static void test_unknown_advisor_has_empty_scope(void **state) {
  struct fixture *fx = *state;
  int64_t unknown[] = {0, -1, fx->m.max_advisor_id + 1, fx->m.max_advisor_id + 1000};
  for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
    for (int team_wide = 0; team_wide < 2; team_wide++) {
      struct advisor_scope s;
      assert_int_equal(advisor_scope_of(&fx->m, unknown[i], team_wide, &s), 0);
      assert_int_equal(s.all, 0);
      assert_int_equal(s.n, 0);
      assert_false(advisor_scope_has(&s, fx->an));
      assert_false(advisor_scope_has(&s, unknown[i]));
      assert_int_equal(registration_in_scope(fx->db, &s, "R1"), 0);
      advisor_scope_free(&s);
    }
}

static void test_all_scope_has_everybody(void **state) {
  struct fixture *fx = *state;
  struct advisor_scope s = {.all = 1};
  assert_true(advisor_scope_has(&s, fx->an));
  assert_true(advisor_scope_has(&s, fx->de));
  assert_true(advisor_scope_has(&s, fx->m.max_advisor_id + 1));
}

/* ---- registration_in_scope ---- */

static void test_registration_in_scope(void **state) {
  struct fixture *fx = *state;
  struct advisor_scope s;
  /* AN alone: R1 (AN's), not R2 (CD's) or R3 (DE's) */
  assert_int_equal(advisor_scope_of(&fx->m, fx->an, 0, &s), 0);
  assert_int_equal(registration_in_scope(fx->db, &s, "R1"), fx->r1);
  assert_int_equal(registration_in_scope(fx->db, &s, "R2"), 0);
  assert_int_equal(registration_in_scope(fx->db, &s, "R3"), 0);
  /* a missing id looks the same as one out of scope */
  assert_int_equal(registration_in_scope(fx->db, &s, "R9"), 0);
  assert_int_equal(registration_in_scope(fx->db, &s, ""), 0);
  advisor_scope_free(&s);
  /* BE is a co-advisor of R1: in scope for BE too */
  assert_int_equal(advisor_scope_of(&fx->m, fx->be, 0, &s), 0);
  assert_int_equal(registration_in_scope(fx->db, &s, "R1"), fx->r1);
  assert_int_equal(registration_in_scope(fx->db, &s, "R2"), 0);
  advisor_scope_free(&s);
  /* BE team-wide (AN, BE, CD): R1 and R2, not DE's R3 */
  assert_int_equal(advisor_scope_of(&fx->m, fx->be, 1, &s), 0);
  assert_int_equal(registration_in_scope(fx->db, &s, "R1"), fx->r1);
  assert_int_equal(registration_in_scope(fx->db, &s, "R2"), fx->r2);
  assert_int_equal(registration_in_scope(fx->db, &s, "R3"), 0);
  advisor_scope_free(&s);
  /* everybody's */
  struct advisor_scope all = {.all = 1};
  assert_int_equal(registration_in_scope(fx->db, &all, "R1"), fx->r1);
  assert_int_equal(registration_in_scope(fx->db, &all, "R2"), fx->r2);
  assert_int_equal(registration_in_scope(fx->db, &all, "R3"), fx->r3);
  assert_int_equal(registration_in_scope(fx->db, &all, "R9"), 0);
}

/* ---- registration_author / registration_set_author ---- */

static void test_registration_author(void **state) {
  struct fixture *fx = *state;
  assert_int_equal(registration_author(fx->db, fx->r1), fx->an);
  /* imported: none recorded */
  assert_int_equal(registration_author(fx->db, fx->r2), 0);
  assert_int_equal(registration_author(fx->db, fx->r3), 0);
  /* advisor 0 records nothing */
  assert_int_equal(db_begin_write(fx->db), DB_OK);
  assert_int_equal(registration_set_author(fx->db, fx->r2, 0), 0);
  assert_int_equal(db_commit(fx->db), DB_OK);
  assert_int_equal(registration_author(fx->db, fx->r2), 0);
  /* recorded */
  assert_int_equal(db_begin_write(fx->db), DB_OK);
  assert_int_equal(registration_set_author(fx->db, fx->r2, fx->cd), 0);
  assert_int_equal(db_commit(fx->db), DB_OK);
  assert_int_equal(registration_author(fx->db, fx->r2), fx->cd);
  assert_int_equal(registration_author(fx->db, fx->r1), fx->an);
}

/* ---- registration_owned ---- */

static void test_registration_owned(void **state) {
  struct fixture *fx = *state;
  struct advisor_scope s;
  /* AN alone owns what AN wrote, not what BE wrote */
  assert_int_equal(advisor_scope_of(&fx->m, fx->an, 0, &s), 0);
  assert_true(registration_owned(&s, fx->an));
  assert_false(registration_owned(&s, fx->be));
  assert_false(registration_owned(&s, fx->cd));
  /* no author recorded: the caller already checked an advisor is in scope */
  assert_true(registration_owned(&s, 0));
  advisor_scope_free(&s);
  /* BE alone does not own R1 (author AN), though BE is on it */
  assert_int_equal(advisor_scope_of(&fx->m, fx->be, 0, &s), 0);
  assert_false(registration_owned(&s, registration_author(fx->db, fx->r1)));
  advisor_scope_free(&s);
  /* team-wide (a coordinator of the author's team) */
  assert_int_equal(advisor_scope_of(&fx->m, fx->an, 1, &s), 0);
  assert_true(registration_owned(&s, fx->be));
  assert_false(registration_owned(&s, fx->cd));
  advisor_scope_free(&s);
  struct advisor_scope all = {.all = 1};
  assert_true(registration_owned(&all, fx->cd));
  assert_true(registration_owned(&all, fx->de));
}

/* ---- registration_only_self_removed ---- */

static void test_coadvisor_may_only_remove_self(void **state) {
  (void)state;
  /* BE takes themselves off */
  assert_true(registration_only_self_removed("AN|BE", "AN", "BE"));
  assert_true(registration_only_self_removed("AN|BE|CD", "AN|CD", "BE"));
  assert_true(registration_only_self_removed("AN|BE|CD", "AN|BE", "CD"));
  assert_true(registration_only_self_removed("BE|CD", "CD", "BE"));
  /* never the author, nor anyone else */
  assert_false(registration_only_self_removed("AN|BE", "BE", "BE"));
  assert_false(registration_only_self_removed("AN|BE|CD", "BE|CD", "BE"));
  assert_false(registration_only_self_removed("AN|BE|CD", "AN|BE", "BE"));
  /* nothing removed, too much removed, someone swapped in */
  assert_false(registration_only_self_removed("AN|BE", "AN|BE", "BE"));
  assert_false(registration_only_self_removed("AN|BE|CD", "AN", "BE"));
  assert_false(registration_only_self_removed("AN|BE", "AN|DE", "BE"));
  assert_false(registration_only_self_removed("AN|BE", "AN|BE|DE", "BE"));
  /* not on the registration: nothing to remove */
  assert_false(registration_only_self_removed("AN|BE", "AN", "CD"));
  /* a registration keeps at least one advisor */
  assert_false(registration_only_self_removed("BE", "", "BE"));
  assert_false(registration_only_self_removed("AN|BE", "", "BE"));
}

/* The whole question for R1 (author AN, co-advisor BE) asked by BE: in scope, not owned,
   so BE may only take BE off. */
static void test_coadvisor_of_stored_registration(void **state) {
  struct fixture *fx = *state;
  struct advisor_scope s;
  assert_int_equal(advisor_scope_of(&fx->m, fx->be, 0, &s), 0);
  int64_t id = registration_in_scope(fx->db, &s, "R1");
  assert_int_equal(id, fx->r1);
  int64_t author = registration_author(fx->db, id);
  assert_int_equal(author, fx->an);
  assert_false(registration_owned(&s, author));
  assert_true(registration_only_self_removed("AN|BE", "AN", "BE"));
  assert_false(registration_only_self_removed("AN|BE", "BE", "BE"));
  advisor_scope_free(&s);
  /* AN, the author, owns it */
  assert_int_equal(advisor_scope_of(&fx->m, fx->an, 0, &s), 0);
  assert_int_equal(registration_in_scope(fx->db, &s, "R1"), fx->r1);
  assert_true(registration_owned(&s, author));
  advisor_scope_free(&s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_own_scope_is_the_advisor_alone, setup, teardown),
      cmocka_unit_test_setup_teardown(test_team_wide_scope_adds_team_members, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unknown_advisor_has_empty_scope, setup, teardown),
      cmocka_unit_test_setup_teardown(test_all_scope_has_everybody, setup, teardown),
      cmocka_unit_test_setup_teardown(test_registration_in_scope, setup, teardown),
      cmocka_unit_test_setup_teardown(test_registration_author, setup, teardown),
      cmocka_unit_test_setup_teardown(test_registration_owned, setup, teardown),
      cmocka_unit_test(test_coadvisor_may_only_remove_self),
      cmocka_unit_test_setup_teardown(test_coadvisor_of_stored_registration, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
