/* SPDX-License-Identifier: EUPL-1.2 */
/* Favourites of the registration form (src/domain/favourite.h) on a real SQLite file, or
   on PostgreSQL with BEREIK_TEST_ENGINE=postgresql: saved per advisor, replaced under the
   same name, deleted only by their advisor, bounded (name, count), one audit entry per
   write. */
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

#include "db/db.h"
#include "domain/favourite.h"
#include "domain/model.h"
#include "io/dataset.h"

struct fixture {
  char db_path[256], dir[64], pg_name[64];
  struct db *db;
  int64_t an, be;
};

static void write_file(const char *dir, const char *name, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) fail_msg("cannot write %s", path);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

/* BEREIK_TEST_ENGINE=postgresql runs the test on the server BEREIK_TEST_PG (a URI without
   database); otherwise on a SQLite file. */
static int setup(void **state) {
  struct fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  *state = fx;
  if (pg_base()) {
    char sql[128];
    snprintf(fx->pg_name, sizeof fx->pg_name, "bt_fav_%ld", (long)getpid());
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", fx->pg_name);
    if (pg_admin(sql) != 0) return -1;
    snprintf(fx->db_path, sizeof fx->db_path, "%s/%s", pg_base(), fx->pg_name);
  } else {
    snprintf(fx->db_path, sizeof fx->db_path, "/tmp/bereik-fav-db-XXXXXX");
    int fd = mkstemp(fx->db_path);
    if (fd < 0) return -1;
    close(fd);
  }
  snprintf(fx->dir, sizeof fx->dir, "/tmp/bereik-fav-ds-XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  write_file(fx->dir, "settings.csv", "school_year,hours_per_fte\n2024-2025,1185\n");
  write_file(fx->dir, "sectors.csv", "code,name\nSO,Secundair onderwijs\n");
  write_file(fx->dir, "lines.csv", "code,name,kind\nP1,Pijler 1,pillar\n");
  write_file(fx->dir, "institutions.csv", "number,code,name,sector\n100001,SAA,School A,SO\n");
  write_file(fx->dir, "teams.csv", "code,name,lines\nT1,Team 1,P1\n");
  write_file(fx->dir, "advisors.csv", "code,name,fte,teams\nAN,Anna,1,T1\nBE,Bert,1,T1\n");
  char err[512];
  fx->db = db_open(fx->db_path, err, sizeof err);
  if (!fx->db || db_migrate(fx->db, err, sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    return -1;
  }
  FILE *devnull = fopen("/dev/null", "w");
  int rc = devnull ? dataset_import_to(fx->db, fx->dir, "test", devnull) : -1;
  if (devnull) fclose(devnull);
  if (rc != 0) return -1;
  struct model m;
  if (model_load(fx->db, &m, err, sizeof err) != 0) return -1;
  fx->an = m.advisors[model_advisor(&m, "AN")].id;
  fx->be = m.advisors[model_advisor(&m, "BE")].id;
  model_free(&m);
  return 0;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  if (fx->db) db_close(fx->db);
  if (fx->pg_name[0]) {
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", fx->pg_name);
    pg_admin(sql);
  } else {
    unlink(fx->db_path);
  }
  const char *files[] = {"settings.csv",     "sectors.csv", "lines.csv",
                         "institutions.csv", "teams.csv",   "advisors.csv"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    char p[256];
    snprintf(p, sizeof p, "%s/%s", fx->dir, files[i]);
    unlink(p);
  }
  rmdir(fx->dir);
  free(fx);
  return 0;
}

static int64_t audits(struct fixture *fx) {
  return db_query_int(fx->db, "SELECT COUNT(*) FROM audit WHERE object_type = 'favourite'", -1);
}

static void test_save_list_replace_delete(void **state) {
  struct fixture *fx = *state;
  int64_t a0 = audits(fx);
  assert_int_equal(favourite_save(fx->db, fx->an, "Klasbezoek SAA",
                                  "kind=client&duration=90&institutions=SAA", "an", 1000),
                   FAV_OK);
  assert_int_equal(
      favourite_save(fx->db, fx->an, "Aanvang", "kind=internal&activity=preparation", "an", 1001), FAV_OK);
  assert_int_equal(favourite_save(fx->db, fx->be, "Klasbezoek SAA", "kind=client&duration=30", "be", 1002),
                   FAV_OK);
  struct favourites f;
  assert_int_equal(favourite_list(fx->db, fx->an, &f), 0);
  assert_int_equal(f.n, 2);                        /* Bert's is not Anna's */
  assert_string_equal(f.items[0].name, "Aanvang"); /* name order */
  assert_string_equal(f.items[1].name, "Klasbezoek SAA");
  assert_string_equal(f.items[1].fields, "kind=client&duration=90&institutions=SAA");
  int64_t id = f.items[1].id;
  favourites_free(&f);
  /* the same name replaces */
  assert_int_equal(favourite_save(fx->db, fx->an, "Klasbezoek SAA", "kind=client&duration=120", "an", 1003),
                   FAV_OK);
  assert_int_equal(favourite_list(fx->db, fx->an, &f), 0);
  assert_int_equal(f.n, 2);
  assert_string_equal(f.items[1].fields, "kind=client&duration=120");
  assert_true(f.items[1].id == id);
  favourites_free(&f);
  /* Bert cannot delete Anna's: nothing happens */
  assert_int_equal(favourite_delete(fx->db, fx->be, id, "be", 1004), 0);
  assert_int_equal(favourite_list(fx->db, fx->an, &f), 0);
  assert_int_equal(f.n, 2);
  favourites_free(&f);
  assert_int_equal(favourite_delete(fx->db, fx->an, id, "an", 1005), 0);
  assert_int_equal(favourite_list(fx->db, fx->an, &f), 0);
  assert_int_equal(f.n, 1);
  assert_string_equal(f.items[0].name, "Aanvang");
  favourites_free(&f);
  /* 3 creates, 1 update, 1 delete (Bert's attempt wrote nothing) */
  assert_true(audits(fx) - a0 == 5);
}

static void test_refusals(void **state) {
  struct fixture *fx = *state;
  int64_t a0 = audits(fx);
  assert_int_equal(favourite_save(fx->db, fx->an, "", "kind=client", "an", 2000), FAV_NAME_EMPTY);
  assert_int_equal(favourite_save(fx->db, fx->an, "   ", "kind=client", "an", 2000), FAV_NAME_EMPTY);
  char longname[80];
  memset(longname, 'x', 61);
  longname[61] = 0; /* 61 characters: one over FAVOURITE_NAME_MAX */
  assert_int_equal(favourite_save(fx->db, fx->an, longname, "kind=client", "an", 2000), FAV_NAME_TOO_LONG);
  longname[60] = 0;
  assert_int_equal(favourite_save(fx->db, fx->be, longname, "kind=client", "be", 2000), FAV_OK);
  /* at most 30 per advisor: Bert has 2 now (setup's test left one, plus this one) */
  struct favourites f;
  assert_int_equal(favourite_list(fx->db, fx->be, &f), 0);
  size_t have = f.n;
  favourites_free(&f);
  assert_int_equal(have, 2);
  for (int i = 0; i < 28; i++) {
    char name[16];
    snprintf(name, sizeof name, "F%02d", i);
    assert_int_equal(favourite_save(fx->db, fx->be, name, "kind=client", "be", 2001), FAV_OK);
  }
  assert_int_equal(favourite_save(fx->db, fx->be, "one too many", "kind=client", "be", 2002), FAV_TOO_MANY);
  /* replacing an existing one is still allowed at the limit */
  assert_int_equal(favourite_save(fx->db, fx->be, "F00", "kind=internal", "be", 2003), FAV_OK);
  assert_int_equal(favourite_list(fx->db, fx->be, &f), 0);
  assert_int_equal(f.n, 30);
  favourites_free(&f);
  /* refusals write nothing: 1 + 28 + 1 entries */
  assert_true(audits(fx) - a0 == 30);
}

int main(void) {
  const char *e = getenv("BEREIK_TEST_ENGINE");
  if (e && !strcmp(e, "postgresql") && !getenv("BEREIK_TEST_PG")) {
    printf("skipped: BEREIK_TEST_PG is not set (scripts/test.sh starts a server)\n");
    return 77;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_save_list_replace_delete),
      cmocka_unit_test(test_refusals),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
