/* SPDX-License-Identifier: EUPL-1.2 */
/* The key of the session and token hashes, which a process remembers per service
   (src/http/auth.c) so that a request does not read it first, on a real SQLite file or
   on PostgreSQL with BEREIK_TEST_ENGINE=postgresql: sessions and API tokens are found
   with the remembered key; when the installation's key is replaced behind the process's
   back (a restore of another installation's backup), a session or token made with the
   new key is still found, one of the old key no longer is, and a logout ends the session
   it names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_pg.h"

#include "db/db.h"
#include "http/auth.h"

struct fixture {
  char db_path[256], pg_name[64];
  struct db *db;
  int64_t uid;
};

static int setup(void **state) {
  struct fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  *state = fx;
  if (pg_base()) {
    char sql[128];
    snprintf(fx->pg_name, sizeof fx->pg_name, "bt_authkey_%ld", (long)getpid());
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", fx->pg_name);
    if (pg_admin(sql) != 0) return -1;
    snprintf(fx->db_path, sizeof fx->db_path, "%s/%s", pg_base(), fx->pg_name);
  } else {
    snprintf(fx->db_path, sizeof fx->db_path, "/tmp/bereik-authkey-XXXXXX");
    int fd = mkstemp(fx->db_path);
    if (fd < 0) return -1;
    close(fd);
  }
  char err[512];
  fx->db = db_open(fx->db_path, err, sizeof err);
  if (!fx->db || db_migrate(fx->db, err, sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    return -1;
  }
  if (user_add(fx->db, "lies", "director", NULL, "een-lang-wachtwoord-7", err, sizeof err) != 0) {
    fprintf(stderr, "user_add: %s\n", err);
    return -1;
  }
  fx->uid = db_query_int(fx->db, "SELECT id FROM app_user WHERE login = 'lies'", 0);
  return fx->uid > 0 ? 0 : -1;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  if (fx->db) db_close(fx->db);
  if (pg_base()) {
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", fx->pg_name);
    pg_admin(sql);
  } else {
    char side[300];
    unlink(fx->db_path);
    snprintf(side, sizeof side, "%s-wal", fx->db_path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", fx->db_path);
    unlink(side);
  }
  free(fx);
  return 0;
}

/* What a restore of another installation's backup does to the key: another value. */
static void replace_key(struct db *db) {
  assert_int_equal(db_begin_write_quiet(db), DB_OK);
  assert_int_equal(db_exec(db, "UPDATE installation SET value = "
                               "'00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff' "
                               "WHERE key = 'session_key'"),
                   DB_OK);
  assert_int_equal(db_commit(db), DB_OK);
}

static void test_session_after_key_replaced(void **state) {
  struct fixture *fx = *state;
  int64_t now = (int64_t)time(NULL);
  char old_sid[65], new_sid[65];
  struct user u;
  assert_int_equal(auth_session_create(fx->db, fx->uid, "127.0.0.1", now, old_sid), 0);
  memset(&u, 0, sizeof u);
  assert_int_equal(auth_session(fx->db, old_sid, now, &u), 1); /* the key is remembered now */
  assert_string_equal(u.login, "lies");
  assert_int_equal(auth_session(fx->db, old_sid, now, &u), 1);

  replace_key(fx->db);
  /* a session made with the new key (as the restored installation's sessions are) */
  assert_int_equal(auth_session_create(fx->db, fx->uid, "127.0.0.1", now, new_sid), 0);
  memset(&u, 0, sizeof u);
  assert_int_equal(auth_session(fx->db, new_sid, now, &u), 1);
  assert_string_equal(u.login, "lies");
  /* the one hashed with the old key is not found with the new one */
  assert_int_equal(auth_session(fx->db, old_sid, now, &u), 0);
  /* nor a session id nobody was given */
  assert_int_equal(
      auth_session(fx->db, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", now, &u), 0);
  /* a logout ends the session it names (the hash it deletes is of the current key) */
  auth_logout(fx->db, new_sid);
  assert_int_equal(auth_session(fx->db, new_sid, now, &u), 0);
}

static void test_token_after_key_replaced(void **state) {
  struct fixture *fx = *state;
  int64_t now = (int64_t)time(NULL);
  char old_tok[API_TOKEN_LEN + 1], new_tok[API_TOKEN_LEN + 1], err[256];
  struct user u;
  assert_int_equal(api_token_create(fx->db, "lies", "test", 0, now, old_tok, err, sizeof err), 0);
  memset(&u, 0, sizeof u);
  assert_int_equal(api_token_auth(fx->db, old_tok, now, &u), 1);
  assert_int_equal(u.id, fx->uid);
  assert_int_equal(api_token_auth(fx->db, old_tok, now, &u), 1);

  replace_key(fx->db);
  assert_int_equal(api_token_create(fx->db, "lies", "test", 0, now, new_tok, err, sizeof err), 0);
  memset(&u, 0, sizeof u);
  assert_int_equal(api_token_auth(fx->db, new_tok, now, &u), 1);
  assert_int_equal(u.id, fx->uid);
  assert_int_equal(api_token_auth(fx->db, old_tok, now, &u), 0);
}

int main(void) {
  if (getenv("BEREIK_TEST_ENGINE") && !strcmp(getenv("BEREIK_TEST_ENGINE"), "postgresql") &&
      !getenv("BEREIK_TEST_PG")) {
    printf("skipped: BEREIK_TEST_PG is not set (scripts/test.sh starts a server)\n");
    return 77;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_session_after_key_replaced, setup, teardown),
      cmocka_unit_test_setup_teardown(test_token_after_key_replaced, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
