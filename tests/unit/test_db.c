/* SPDX-License-Identifier: EUPL-1.2 */
/* The query time limit of the database layer (db_set_query_timeout), on the engine of
   BEREIK_TEST_ENGINE: a statement that is slow by construction (a recursive count to
   a billion, minutes on either engine) is aborted near the limit and marks the
   connection, which stays usable; a writer that waits for a lock another process holds
   gives up at the limit too. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"

static const char *pg_base(void) {
  const char *e = getenv("BEREIK_TEST_ENGINE");
  return e && !strcmp(e, "postgresql") ? getenv("BEREIK_TEST_PG") : NULL;
}

static char path[256];

static struct db *open_db(void) {
  char err[512];
  struct db *db = db_open(path, err, sizeof err);
  if (!db) fprintf(stderr, "db_open %s: %s\n", path, err);
  return db;
}

static double seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define SLOW_SQL                                                                                             \
  "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT COUNT(*) "    \
  "FROM c"

static void test_slow_query_aborted(void **state) {
  (void)state;
  struct db *db = open_db();
  assert_non_null(db);
  db_set_query_timeout(db, 100);
  assert_int_equal(db_take_timed_out(db), 0);
  double t0 = seconds();
  struct db_stmt *st = db_prepare(db, SLOW_SQL);
  assert_non_null(st);
  assert_int_equal(db_step(st), DB_ERROR);
  double took = seconds() - t0;
  db_finalize(st);
  /* aborted near the limit (0.1 s), not after the minutes the count takes */
  assert_true(took >= 0.09);
  assert_true(took < 2.0);
  assert_int_equal(db_take_timed_out(db), 1);
  assert_int_equal(db_take_timed_out(db), 0); /* the mark is taken once */
  /* the connection still works, and a quick statement is not marked */
  assert_int_equal(db_query_int(db, "SELECT 41 + 1", -1), 42);
  assert_int_equal(db_take_timed_out(db), 0);
  db_close(db);
}

static void test_no_limit_no_mark(void **state) {
  (void)state;
  struct db *db = open_db();
  assert_non_null(db);
  /* without a limit a failing statement is an ordinary error, not a time-out */
  db_set_query_timeout(db, 0);
  struct db_stmt *st = db_prepare(db, "SELECT x FROM no_such_table_here");
  if (st) {
    assert_int_equal(db_step(st), DB_ERROR);
    db_finalize(st);
  }
  assert_int_equal(db_take_timed_out(db), 0);
  db_close(db);
}

/* Another process takes the write lock and keeps it for 5 s; a writer here with a 300 ms
   limit gives up after about 300 ms with the time-out mark. */
static void test_write_lock_wait_bounded(void **state) {
  (void)state;
  int ready[2];
  assert_int_equal(pipe(ready), 0);
  pid_t child = fork();
  assert_true(child >= 0);
  if (child == 0) {
    close(ready[0]);
    struct db *h = open_db();
    if (!h || db_begin_write_quiet(h) != DB_OK) _exit(1);
    if (write(ready[1], "x", 1) != 1) _exit(1);
    sleep(5);
    db_rollback(h);
    db_close(h);
    _exit(0);
  }
  close(ready[1]);
  char c;
  assert_int_equal(read(ready[0], &c, 1), 1);
  close(ready[0]);
  struct db *db = open_db();
  assert_non_null(db);
  db_set_query_timeout(db, 300);
  double t0 = seconds();
  int rc = db_begin_write_quiet(db);
  double took = seconds() - t0;
  if (rc == DB_OK) db_rollback(db);
  assert_int_equal(rc, DB_ERROR);
  assert_true(took >= 0.25);
  assert_true(took < 3.0);
  assert_int_equal(db_take_timed_out(db), 1);
  assert_false(db_in_transaction(db));
  db_close(db);
  kill(child, SIGTERM);
  int status;
  waitpid(child, &status, 0);
}

int main(void) {
  const char *e = getenv("BEREIK_TEST_ENGINE");
  if (e && !strcmp(e, "postgresql")) {
    if (!getenv("BEREIK_TEST_PG")) {
      printf("skipped: BEREIK_TEST_PG is not set (scripts/test.sh starts a server)\n");
      return 77;
    }
    snprintf(path, sizeof path, "%s/postgres", pg_base());
  } else {
    snprintf(path, sizeof path, "/tmp/bereik-test-db-timeout-%ld.db", (long)getpid());
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_slow_query_aborted),
      cmocka_unit_test(test_no_limit_no_mark),
      cmocka_unit_test(test_write_lock_wait_bounded),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  if (!pg_base()) {
    char side[300];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
  }
  return rc;
}
