/* SPDX-License-Identifier: EUPL-1.2 */
/* Offline registration and the timer (domain/offline.h): the local time in Brussels to the
   minute (the timer's start and end), idempotency keys and timers on a migrated SQLite
   database. The Unix times below are from `date -u -d '2026-03-29 00:59:59' +%s`; the
   local times are worked out by hand: CET is UTC+1, CEST UTC+2, from the last Sunday of
   March (29 March 2026) to the last Sunday of October (25 October 2026), at 01:00 UTC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/dates.h"
#include "db/db.h"
#include "domain/offline.h"

static void expect_local(int64_t t, const char *date, int hh, int mm) {
  int32_t day;
  int minute;
  brussels_minute(t, &day, &minute);
  char got[11];
  date_format(day, got);
  assert_string_equal(got, date);
  assert_int_equal(minute, hh * 60 + mm);
}

static void test_brussels_minute(void **state) {
  (void)state;
  expect_local(1796537729, "2026-12-06", 7, 15);  /* 06:15:29 UTC, winter: 07:15:29 -> 07:15 */
  expect_local(1796552969, "2026-12-06", 11, 29); /* 10:29:29 UTC -> 11:29:29 -> 11:29 */
  expect_local(1796552970, "2026-12-06", 11, 30); /* 10:29:30 UTC -> 11:29:30 -> 11:30 */
  expect_local(1774745999, "2026-03-29", 2, 0);   /* 00:59:59 UTC, still CET: 01:59:59 -> 02:00 */
  expect_local(1774746000, "2026-03-29", 3, 0);   /* 01:00:00 UTC, CEST: 03:00 */
  expect_local(1792889940, "2026-10-25", 2, 59);  /* 00:59 UTC, still CEST: 02:59 */
  expect_local(1792890000, "2026-10-25", 2, 0);   /* 01:00 UTC, CET again: 02:00 */
  expect_local(1798757980, "2027-01-01", 0, 0);   /* 22:59:40 UTC on 31 Dec: 23:59:40 -> next day 00:00 */
}

static void test_key_valid(void **state) {
  (void)state;
  assert_true(idem_key_valid("0f0e6e0a-1111-4222-8333-444455556666"));
  assert_true(idem_key_valid("abcdefgh"));
  assert_false(idem_key_valid("abcdefg")); /* 7 characters */
  assert_false(idem_key_valid(NULL));
  assert_false(idem_key_valid("abc def gh"));
  assert_false(idem_key_valid("abcdefgh'; --"));
  char long_key[IDEM_KEY_MAX + 2];
  memset(long_key, 'a', sizeof long_key - 1);
  long_key[sizeof long_key - 1] = 0;
  assert_false(idem_key_valid(long_key));
  long_key[IDEM_KEY_MAX] = 0;
  assert_true(idem_key_valid(long_key));
}

struct fixture {
  char path[64];
  struct db *db;
};

static int setup(void **state) {
  struct fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  snprintf(fx->path, sizeof fx->path, "/tmp/bereik-offline-XXXXXX");
  int fd = mkstemp(fx->path);
  if (fd < 0) {
    free(fx);
    return -1;
  }
  close(fd);
  char err[256];
  fx->db = db_open(fx->path, err, sizeof err);
  if (!fx->db || db_migrate(fx->db, err, sizeof err) != 0 ||
      db_exec(fx->db,
              "INSERT INTO app_user (id, login, role, password_hash, created_at) VALUES "
              "(1, 'a', 'advisor', 'x', '2026-01-01'), (2, 'b', 'advisor', 'x', '2026-01-01')") != 0) {
    if (fx->db) db_close(fx->db);
    unlink(fx->path);
    free(fx);
    return -1;
  }
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  db_close(fx->db);
  unlink(fx->path);
  char wal[80];
  snprintf(wal, sizeof wal, "%s-wal", fx->path);
  unlink(wal);
  snprintf(wal, sizeof wal, "%s-shm", fx->path);
  unlink(wal);
  free(fx);
  return 0;
}

static void test_keys(void **state) {
  struct fixture *fx = *state;
  char ext[64] = "";
  assert_int_equal(db_begin_write(fx->db), DB_OK);
  assert_int_equal(idem_key_find(fx->db, 1, "key-00000001", ext, sizeof ext), 0);
  assert_int_equal(idem_key_record(fx->db, 1, "key-00000001", "w-0001", 1000), 0);
  assert_int_equal(db_commit(fx->db), DB_OK);
  assert_int_equal(idem_key_find(fx->db, 1, "key-00000001", ext, sizeof ext), 1);
  assert_string_equal(ext, "w-0001");
  /* the same key of another user is another key */
  assert_int_equal(idem_key_find(fx->db, 2, "key-00000001", ext, sizeof ext), 0);
  /* recorded twice for one user: refused (the primary key), nothing changed */
  assert_int_equal(db_begin_write(fx->db), DB_OK);
  assert_int_equal(idem_key_record(fx->db, 1, "key-00000001", "w-0002", 1001), -1);
  db_rollback(fx->db);
  assert_int_equal(idem_key_find(fx->db, 1, "key-00000001", ext, sizeof ext), 1);
  assert_string_equal(ext, "w-0001");
}

static void test_timer(void **state) {
  struct fixture *fx = *state;
  int64_t started = 0;
  assert_int_equal(timer_get(fx->db, 1, &started), 0);
  assert_int_equal(timer_stop(fx->db, 1, &started), 0);
  assert_int_equal(timer_start(fx->db, 1, 5000), 0);
  /* a second start keeps the first start: one running timer per user */
  assert_int_equal(timer_start(fx->db, 1, 6000), 0);
  assert_int_equal(timer_get(fx->db, 1, &started), 1);
  assert_int_equal(started, 5000);
  assert_int_equal(timer_get(fx->db, 2, &started), 0);
  started = 0;
  assert_int_equal(timer_stop(fx->db, 1, &started), 1);
  assert_int_equal(started, 5000);
  assert_int_equal(timer_get(fx->db, 1, &started), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_brussels_minute),
      cmocka_unit_test(test_key_valid),
      cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
      cmocka_unit_test_setup_teardown(test_timer, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
