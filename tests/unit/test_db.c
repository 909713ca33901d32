/* SPDX-License-Identifier: EUPL-1.2 */
/* The query time limit of the database layer (db_set_query_timeout), on the engine of
   BEREIK_TEST_ENGINE: a statement that is slow by construction (a recursive count to
   a billion, minutes on either engine) is aborted near the limit and marks the
   connection, which stays usable; a writer that waits for a lock another process holds
   gives up at the limit too. The transaction operations of the interface: a read
   transaction sees one snapshot, a constraint violation is told apart by its kind (not
   by its message), a rollback after a failed statement leaves nothing behind; the keys
   of a table set aside for a load and made again after it; reads in a read transaction;
   lookups (db_prepare_lookup). */
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

/* A table name of this process, so that runs against a shared PostgreSQL never meet. */
static void table(char *out, size_t n, const char *base) { snprintf(out, n, "%s_%ld", base, (long)getpid()); }

static int64_t count_rows(struct db *db, const char *t) {
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", t);
  return db_query_int(db, sql, -1);
}

static void exec_ok(struct db *db, const char *fmt, const char *t) {
  char sql[256];
  snprintf(sql, sizeof sql, fmt, t);
  if (db_exec(db, sql) != DB_OK) fail_msg("%s: %s", sql, db_errmsg(db));
}

static void test_read_snapshot(void **state) {
  (void)state;
  char t[64], sql[128];
  table(t, sizeof t, "snap");
  struct db *a = open_db(), *b = open_db();
  assert_non_null(a);
  assert_non_null(b);
  exec_ok(a, "CREATE TABLE %s (x INTEGER)", t);
  exec_ok(a, "INSERT INTO %s (x) VALUES (1)", t);
  assert_int_equal(db_begin_read(a), DB_OK);
  assert_true(db_in_transaction(a));
  assert_int_equal(count_rows(a, t), 1);
  /* another connection writes and commits meanwhile */
  assert_int_equal(db_begin_write_quiet(b), DB_OK);
  snprintf(sql, sizeof sql, "INSERT INTO %s (x) VALUES (2)", t);
  assert_int_equal(db_exec(b, sql), DB_OK);
  assert_int_equal(db_commit(b), DB_OK);
  assert_int_equal(count_rows(b, t), 2);
  /* the reader still sees its snapshot, and the new row after its commit */
  assert_int_equal(count_rows(a, t), 1);
  assert_int_equal(db_commit(a), DB_OK);
  assert_false(db_in_transaction(a));
  assert_int_equal(count_rows(a, t), 2);
  exec_ok(a, "DROP TABLE %s", t);
  db_close(b);
  db_close(a);
}

/* Runs sql inside a write transaction and returns the error kind it met, at the
   statement or at the commit (PostgreSQL sends the writes of a transaction pipelined and
   may report a violation only at the commit); the transaction is rolled back. */
static int write_error_kind(struct db *db, const char *sql) {
  assert_int_equal(db_begin_write_quiet(db), DB_OK);
  int kind = DB_ERR_NONE;
  struct db_stmt *st = db_prepare(db, sql);
  if (!st) {
    kind = db_error_kind(db);
  } else {
    int rc = db_step(st);
    db_finalize(st);
    if (rc == DB_ERROR)
      kind = db_error_kind(db);
    else if (db_commit(db) != DB_OK)
      kind = db_error_kind(db);
  }
  if (db_in_transaction(db)) assert_int_equal(db_rollback(db), DB_OK);
  assert_false(db_in_transaction(db));
  return kind;
}

/* Drops a child table and then its parent, and closes the connection. */
static void drop_pair(struct db *db, const char *parent, const char *child) {
  exec_ok(db, "DROP TABLE %s", child);
  exec_ok(db, "DROP TABLE %s", parent);
  db_close(db);
}

static void test_error_kinds(void **state) {
  (void)state;
  char p[64], c[64], sql[256];
  table(p, sizeof p, "parent");
  table(c, sizeof c, "child");
  struct db *db = open_db();
  assert_non_null(db);
  exec_ok(db, "CREATE TABLE %s (id INTEGER PRIMARY KEY, name TEXT NOT NULL)", p);
  snprintf(sql, sizeof sql, "CREATE TABLE %s (parent_id INTEGER NOT NULL REFERENCES %s(id))", c, p);
  assert_int_equal(db_exec(db, sql), DB_OK);
  exec_ok(db, "INSERT INTO %s (id, name) VALUES (1, 'one')", p);
  snprintf(sql, sizeof sql, "INSERT INTO %s (parent_id) VALUES (1)", c);
  assert_int_equal(db_exec(db, sql), DB_OK);

  /* a row still referenced */
  snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id = 1", p);
  assert_int_equal(write_error_kind(db, sql), DB_ERR_CONSTRAINT);
  /* a duplicate key */
  snprintf(sql, sizeof sql, "INSERT INTO %s (id, name) VALUES (1, 'again')", p);
  assert_int_equal(write_error_kind(db, sql), DB_ERR_CONSTRAINT);
  /* NOT NULL */
  snprintf(sql, sizeof sql, "INSERT INTO %s (id, name) VALUES (2, NULL)", p);
  assert_int_equal(write_error_kind(db, sql), DB_ERR_CONSTRAINT);
  /* not a constraint: a table that does not exist */
  assert_int_equal(write_error_kind(db, "DELETE FROM no_such_table_at_all"), DB_ERR_OTHER);
  /* a sound write succeeds, and nothing of the failed ones was kept */
  snprintf(sql, sizeof sql, "INSERT INTO %s (id, name) VALUES (3, 'three')", p);
  assert_int_equal(write_error_kind(db, sql), DB_ERR_NONE);
  assert_int_equal(count_rows(db, p), 2);
  assert_int_equal(count_rows(db, c), 1);

  drop_pair(db, p, c);
}

/* Keys of a table (indexes and foreign keys), as the engine's catalog lists them. */
static int64_t n_indexes(struct db *db, const char *t) {
  char sql[256];
  if (!strcmp(db_engine(db), "postgresql"))
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM pg_indexes WHERE tablename = '%s' AND indexname NOT LIKE '%%_pkey'", t);
  else
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = '%s'",
             t);
  return db_query_int(db, sql, -1);
}

static int64_t n_foreign_keys(struct db *db, const char *t) {
  char sql[256];
  if (!strcmp(db_engine(db), "postgresql"))
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = CAST('%s' AS regclass)",
             t);
  else
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM pragma_foreign_key_list('%s')", t);
  return db_query_int(db, sql, -1);
}

/* db_keys_defer and db_keys_restore (a load into empty tables): the secondary indexes
   (on PostgreSQL the foreign keys too) are gone between the two and back after, over
   the rows loaded; a rollback brings them back; on PostgreSQL a row the restored
   foreign key refuses fails the restore with a constraint error. */
static void test_keys_deferred(void **state) {
  (void)state;
  char p[64], c[64], sql[256];
  table(p, sizeof p, "kparent");
  table(c, sizeof c, "kchild");
  int pg = !strcmp(db_backend_of(path)->name, "postgresql");
  struct db *db = open_db();
  assert_non_null(db);
  exec_ok(db, "CREATE TABLE %s (id INTEGER PRIMARY KEY)", p);
  snprintf(sql, sizeof sql, "CREATE TABLE %s (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES %s(id))",
           c, p);
  assert_int_equal(db_exec(db, sql), DB_OK);
  snprintf(sql, sizeof sql, "CREATE INDEX %s_parent ON %s(parent_id)", c, c);
  assert_int_equal(db_exec(db, sql), DB_OK);
  exec_ok(db, "INSERT INTO %s (id) VALUES (1)", p);
  assert_int_equal(n_indexes(db, c), 1);
  assert_int_equal(n_foreign_keys(db, c), 1);
  const char *tables[1] = {c};

  /* set aside and rolled back: as before */
  assert_int_equal(db_begin_write_quiet(db), DB_OK);
  assert_int_equal(db_keys_defer(db, tables, 1), DB_OK);
  assert_int_equal(n_indexes(db, c), 0);
  assert_int_equal(n_foreign_keys(db, c), pg ? 0 : 1); /* SQLite keeps its foreign keys */
  assert_int_equal(db_rollback(db), DB_OK);
  assert_int_equal(n_indexes(db, c), 1);
  assert_int_equal(n_foreign_keys(db, c), 1);

  /* set aside, rows loaded, made again over them */
  assert_int_equal(db_begin_write_quiet(db), DB_OK);
  assert_int_equal(db_keys_defer(db, tables, 1), DB_OK);
  snprintf(sql, sizeof sql, "INSERT INTO %s (id, parent_id) VALUES (1, 1), (2, 1), (3, NULL)", c);
  assert_int_equal(db_exec(db, sql), DB_OK);
  assert_int_equal(db_keys_restore(db), DB_OK);
  assert_int_equal(db_commit(db), DB_OK);
  assert_int_equal(n_indexes(db, c), 1);
  assert_int_equal(n_foreign_keys(db, c), 1);
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE parent_id = 1", c);
  assert_int_equal(db_query_int(db, sql, -1), 2);
  /* the foreign key is enforced again */
  snprintf(sql, sizeof sql, "INSERT INTO %s (id, parent_id) VALUES (4, 99)", c);
  assert_int_equal(write_error_kind(db, sql), DB_ERR_CONSTRAINT);

  if (pg) { /* an orphan loaded while the key was aside: the restore refuses it */
    assert_int_equal(db_begin_write_quiet(db), DB_OK);
    assert_int_equal(db_keys_defer(db, tables, 1), DB_OK);
    assert_int_equal(db_exec(db, sql), DB_OK);
    assert_int_equal(db_keys_restore(db), DB_ERROR);
    assert_int_equal(db_error_kind(db), DB_ERR_CONSTRAINT);
    assert_int_equal(db_rollback(db), DB_OK);
    assert_int_equal(n_foreign_keys(db, c), 1);
    assert_int_equal(n_indexes(db, c), 1);
    assert_int_equal(count_rows(db, c), 3);
  }
  drop_pair(db, p, c);
}

/* A write statement prepared again and again (as every registration write does) gives
   the same rows each time: inside transactions, after a rolled-back one, outside any,
   and with a statement finalized in between. On PostgreSQL its text is prepared once on
   the connection, not once per db_prepare. */
/* Prepares sql (an INSERT of two parameters) afresh, runs it with (a, b), finalizes it. */
static int insert_prepared(struct db *db, const char *sql, int64_t a, int64_t b) {
  struct db_stmt *st = db_prepare(db, sql);
  assert_non_null(st);
  db_bind_int64(st, 1, a);
  db_bind_int64(st, 2, b);
  int rc = db_step(st);
  db_finalize(st);
  return rc;
}

static void test_writes_prepared_again(void **state) {
  (void)state;
  char t[64], sql[160];
  table(t, sizeof t, "rewrite");
  struct db *db = open_db();
  assert_non_null(db);
  exec_ok(db, "CREATE TABLE %s (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)", t);
  snprintf(sql, sizeof sql, "INSERT INTO %s (id, v) VALUES (?, ?)", t);
  for (int i = 1; i <= 30; i++) {
    int tx = i % 3 != 0;
    if (tx) assert_int_equal(db_begin_write_quiet(db), DB_OK);
    assert_int_equal(insert_prepared(db, sql, i, i * 10), DB_DONE);
    if (tx) assert_int_equal(i % 5 == 0 ? db_rollback(db) : db_commit(db), DB_OK);
  }
  /* kept: 1..30 but for the rolled-back ones inside a transaction (5, 10, 20, 25; 15 and
     30 ran outside one) */
  char q[256];
  snprintf(q, sizeof q, "SELECT COUNT(*) FROM %s", t);
  assert_int_equal(db_query_int(db, q, -1), 26);
  snprintf(q, sizeof q, "SELECT SUM(v) FROM %s", t);
  assert_int_equal(db_query_int(db, q, -1), (465 - 5 - 10 - 20 - 25) * 10);
  /* a failed write does not spoil the statement for the next transaction */
  assert_int_equal(db_begin_write_quiet(db), DB_OK);
  /* the key 1 is taken; PostgreSQL sends the write in the pipeline, and its failure
     comes with the commit */
  int step = insert_prepared(db, sql, 1, 0);
  int commit = db_commit(db);
  assert_true(step == DB_ERROR || commit != DB_OK);
  if (commit != DB_OK) db_rollback(db);
  assert_int_equal(db_begin_write_quiet(db), DB_OK);
  assert_int_equal(insert_prepared(db, sql, 31, 0), DB_DONE);
  assert_int_equal(db_commit(db), DB_OK);
  snprintf(q, sizeof q, "SELECT COUNT(*) FROM %s", t);
  assert_int_equal(db_query_int(db, q, -1), 27);
  if (pg_base()) {
    snprintf(q, sizeof q,
             "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement = 'INSERT INTO %s (id, v) VALUES "
             "($1, $2)'",
             t);
    assert_int_equal(db_query_int(db, q, -1), 1);
  }
  exec_ok(db, "DROP TABLE %s", t);
  db_close(db);
}

/* db_next_id: one past every id of the table, also after rows with explicit ids and
   db_ids_assigned, and past the id it gave once that row is written. */
static void test_next_id(void **state) {
  (void)state;
  char t[64];
  table(t, sizeof t, "nextid");
  int pg = !strcmp(db_backend_of(path)->name, "postgresql");
  struct db *db = open_db();
  assert_non_null(db);
  exec_ok(db,
          pg ? "CREATE TABLE %s (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v INTEGER)"
             : "CREATE TABLE %s (id INTEGER PRIMARY KEY, v INTEGER)",
          t);
  assert_int_equal(db_begin_write_quiet(db), DB_OK);
  assert_int_equal(db_next_id(db, t), 1);
  assert_int_equal(db_commit(db), DB_OK);
  exec_ok(db, "INSERT INTO %s (id, v) VALUES (7, 0), (40, 0), (12, 0)", t);
  db_ids_assigned(db, t);
  assert_int_equal(db_begin_write_quiet(db), DB_OK);
  int64_t id = db_next_id(db, t);
  assert_true(id > 40);
  char sql[128];
  snprintf(sql, sizeof sql, "INSERT INTO %s (id, v) VALUES (%lld, 1)", t, (long long)id);
  assert_int_equal(db_exec(db, sql), DB_OK);
  assert_true(db_next_id(db, t) > id);
  assert_int_equal(db_commit(db), DB_OK);
  /* a row without an explicit id does not collide with one given before */
  exec_ok(db, "INSERT INTO %s (v) VALUES (2)", t);
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", t);
  assert_int_equal(db_query_int(db, sql, -1), 5);
  snprintf(sql, sizeof sql, "DROP TABLE %s", t);
  assert_int_equal(db_exec(db, sql), DB_OK);
  db_close(db);
}

/* Integers read back as written, at the bounds of 64 bits and at every length of digits,
   and a text that is no number as 0. */
static void test_integers_read_back(void **state) {
  (void)state;
  struct db *db = open_db();
  assert_non_null(db);
  static const int64_t values[] = {0,
                                   1,
                                   -1,
                                   9,
                                   -10,
                                   999999999999999999LL,
                                   1000000000000000000LL,
                                   -999999999999999999LL,
                                   -1000000000000000000LL,
                                   INT64_MAX,
                                   INT64_MIN};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    struct db_stmt *st = db_prepare(db, "SELECT CAST(? AS BIGINT)");
    assert_non_null(st);
    db_bind_int64(st, 1, values[i]);
    assert_int_equal(db_step(st), DB_ROW);
    if (db_col_int64(st, 0) != values[i])
      fail_msg("%lld read back as %lld", (long long)values[i], (long long)db_col_int64(st, 0));
    db_finalize(st);
  }
  int64_t nines = 0;
  for (int digits = 1; digits <= 19; digits++) {
    nines = digits < 19 ? nines * 10 + 9 : INT64_MAX; /* 9, 99, ..., 18 nines, then 19 digits */
    int64_t v = nines;
    struct db_stmt *st = db_prepare(db, "SELECT CAST(? AS BIGINT), -CAST(? AS BIGINT)");
    assert_non_null(st);
    db_bind_int64(st, 1, v);
    db_bind_int64(st, 2, v);
    assert_int_equal(db_step(st), DB_ROW);
    assert_true(db_col_int64(st, 0) == v);
    assert_true(db_col_int64(st, 1) == -v);
    db_finalize(st);
  }
  struct db_stmt *st = db_prepare(db, "SELECT CAST('abc' AS TEXT), CAST('12x' AS TEXT)");
  assert_non_null(st);
  assert_int_equal(db_step(st), DB_ROW);
  assert_int_equal(db_col_int64(st, 0), 0);
  assert_int_equal(db_col_int64(st, 1), 12);
  db_finalize(st);
  db_close(db);
}

/* Reads in a read transaction (on PostgreSQL through cursors, whose BEGIN, DECLARE,
   first FETCH and CLOSE go together with other statements): a statement read again
   with other parameters in the same transaction, two reads open at once, one longer
   than a batch (2,000 rows), a transaction that reads nothing, and a failed read, after
   which a rollback leaves the connection usable. */
static void test_reads_in_transaction(void **state) {
  (void)state;
  char t[64], sql[256];
  table(t, sizeof t, "reads");
  struct db *db = open_db();
  assert_non_null(db);
  exec_ok(db, "CREATE TABLE %s (x INTEGER)", t);
  snprintf(
      sql, sizeof sql,
      "INSERT INTO %s (x) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 4500) "
      "SELECT x FROM c",
      t);
  assert_int_equal(db_exec(db, sql), DB_OK);

  /* nothing read: begins and ends */
  assert_int_equal(db_begin_read(db), DB_OK);
  assert_true(db_in_transaction(db));
  assert_int_equal(db_commit(db), DB_OK);
  assert_false(db_in_transaction(db));

  assert_int_equal(db_begin_read(db), DB_OK);
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE x <= ?", t);
  struct db_stmt *upto = db_prepare(db, sql);
  assert_non_null(upto);
  for (int n = 1; n <= 3; n++) { /* the same statement (one cursor name) again and again */
    db_bind_int64(upto, 1, 1000 * n);
    assert_int_equal(db_step(upto), DB_ROW);
    assert_int_equal(db_col_int64(upto, 0), 1000 * n);
    db_reset(upto);
  }
  /* two reads at once, the outer one longer than a batch */
  snprintf(sql, sizeof sql, "SELECT x FROM %s ORDER BY x", t);
  struct db_stmt *all = db_prepare(db, sql);
  assert_non_null(all);
  int64_t sum = 0, rows = 0;
  while (db_step(all) == DB_ROW) {
    int64_t x = db_col_int64(all, 0);
    sum += x;
    rows++;
    if (x % 1500 == 0) { /* a read in the middle of the other */
      db_bind_int64(upto, 1, x);
      assert_int_equal(db_step(upto), DB_ROW);
      assert_int_equal(db_col_int64(upto, 0), x);
      db_reset(upto);
    }
  }
  assert_int_equal(rows, 4500);
  assert_int_equal(sum, (int64_t)4500 * 4501 / 2);
  db_finalize(all);
  db_finalize(upto);
  assert_int_equal(db_commit(db), DB_OK);

  /* a read that fails: an error, a rollback, and the connection reads again */
  assert_int_equal(db_begin_read(db), DB_OK);
  snprintf(sql, sizeof sql, "SELECT no_such_column FROM %s", t);
  struct db_stmt *bad = db_prepare(db, sql);
  if (bad) { /* SQLite refuses it when prepared, PostgreSQL when it runs */
    assert_int_equal(db_step(bad), DB_ERROR);
    db_finalize(bad);
  }
  assert_int_equal(db_rollback(db), DB_OK);
  assert_false(db_in_transaction(db));
  assert_int_equal(count_rows(db, t), 4500);
  assert_int_equal(db_begin_read(db), DB_OK);
  assert_int_equal(count_rows(db, t), 4500);
  assert_int_equal(db_commit(db), DB_OK);
  exec_ok(db, "DROP TABLE %s", t);
  db_close(db);
}

/* The value v of row ID through a lookup (db_prepare_lookup), prepared, run and finalized
   as a request does; -1 when the lookup fails. */
static int64_t lookup_v(struct db *db, const char *t, int64_t id) {
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT v FROM %s WHERE id = ?", t);
  struct db_stmt *st = db_prepare_lookup(db, sql);
  if (!st) return -1;
  db_bind_int64(st, 1, id);
  int64_t v = db_step(st) == DB_ROW ? db_col_int64(st, 0) : -1;
  db_finalize(st);
  return v;
}

/* Lookups: the same answers as any read, outside and inside a read transaction (its
   snapshot), between the batches of an open cursor; a failed one leaves the connection
   usable and the next run of the same text answers; on PostgreSQL one prepared
   statement per text and connection. The end of a read transaction is not waited for
   (PostgreSQL): the connection is out of the transaction at once, and its next reads
   and writes see the data as it is. */
static void test_lookups(void **state) {
  (void)state;
  char t[64], sql[256];
  table(t, sizeof t, "lookups");
  struct db *a = open_db(), *b = open_db();
  assert_non_null(a);
  assert_non_null(b);
  exec_ok(a, "CREATE TABLE %s (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)", t);
  snprintf(
      sql, sizeof sql,
      "INSERT INTO %s (id, v) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 4500) "
      "SELECT x, 10 * x FROM c",
      t);
  assert_int_equal(db_exec(a, sql), DB_OK);
  for (int64_t id = 1; id <= 40; id++) assert_int_equal(lookup_v(a, t, id), 10 * id);
  assert_int_equal(lookup_v(a, t, 4501), -1); /* no row */

  /* in a read transaction, beside a cursor longer than a batch; its snapshot holds */
  assert_int_equal(db_begin_read(a), DB_OK);
  assert_int_equal(lookup_v(a, t, 7), 70);
  snprintf(sql, sizeof sql, "UPDATE %s SET v = 7777 WHERE id = 7", t);
  assert_int_equal(db_exec(b, sql), DB_OK);
  snprintf(sql, sizeof sql, "SELECT id, v FROM %s ORDER BY id", t);
  struct db_stmt *all = db_prepare(a, sql);
  assert_non_null(all);
  int64_t rows = 0;
  while (db_step(all) == DB_ROW) {
    int64_t id = db_col_int64(all, 0);
    rows++;
    if (id % 1000 == 0) assert_int_equal(lookup_v(a, t, id), db_col_int64(all, 1));
    if (id == 2100) assert_int_equal(lookup_v(a, t, 7), 70); /* the snapshot's value */
  }
  db_finalize(all);
  assert_int_equal(rows, 4500);
  assert_int_equal(db_commit(a), DB_OK);
  assert_false(db_in_transaction(a));
  assert_int_equal(lookup_v(a, t, 7), 7777); /* after the end: the data as it is */

  /* a read transaction that ends, then a write on the same connection */
  assert_int_equal(db_begin_read(a), DB_OK);
  assert_int_equal(lookup_v(a, t, 8), 80);
  assert_int_equal(db_commit(a), DB_OK);
  assert_int_equal(db_begin_write_quiet(a), DB_OK);
  snprintf(sql, sizeof sql, "UPDATE %s SET v = 8888 WHERE id = 8", t);
  assert_int_equal(db_exec(a, sql), DB_OK);
  assert_int_equal(db_commit(a), DB_OK);
  assert_int_equal(lookup_v(b, t, 8), 8888);
  assert_int_equal(count_rows(a, t), 4500);

  /* a lookup that fails when it runs (its first run on the connection), then succeeds
     (the smallest 64-bit integer: SQLite's abs overflows, PostgreSQL's integer refuses it) */
  snprintf(sql, sizeof sql, "SELECT v + abs(? * 1) FROM %s WHERE id = 1", t);
  for (int round = 0; round < 2; round++) {
    for (int good = 0; good < 2; good++) {
      struct db_stmt *st = db_prepare_lookup(a, sql);
      assert_non_null(st);
      db_bind_int64(st, 1, good ? -2 : INT64_MIN);
      if (!good) {
        assert_int_equal(db_step(st), DB_ERROR);
      } else {
        assert_int_equal(db_step(st), DB_ROW);
        assert_int_equal(db_col_int64(st, 0), 12);
      }
      db_finalize(st);
    }
  }
  assert_int_equal(lookup_v(a, t, 9), 90);

  if (pg_base()) { /* planned once: one prepared statement for the text on the connection */
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement = 'SELECT v FROM %s WHERE id = $1'",
             t);
    assert_int_equal(db_query_int(a, sql, -1), 1);
  }
  exec_ok(a, "DROP TABLE %s", t);
  db_close(a);
  db_close(b);
}

static void test_backend_of(void **state) {
  (void)state;
  assert_string_equal(db_backend_of("postgresql://u@127.0.0.1/x")->name, "postgresql");
  assert_string_equal(db_backend_of("postgres://u@127.0.0.1/x")->name, "postgresql");
  assert_string_equal(db_backend_of("bereik.db")->name, "sqlite");
  assert_string_equal(db_backend_of("/var/lib/bereik/postgresql.db")->name, "sqlite");
  struct db *db = open_db();
  assert_non_null(db);
  assert_string_equal(db_engine(db), db_backend_of(path)->name);
  db_close(db);
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
      cmocka_unit_test(test_read_snapshot),
      cmocka_unit_test(test_error_kinds),
      cmocka_unit_test(test_keys_deferred),
      cmocka_unit_test(test_reads_in_transaction),
      cmocka_unit_test(test_lookups),
      cmocka_unit_test(test_next_id),
      cmocka_unit_test(test_integers_read_back),
      cmocka_unit_test(test_writes_prepared_again),
      cmocka_unit_test(test_backend_of),
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
