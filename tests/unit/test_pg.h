/* SPDX-License-Identifier: EUPL-1.2 */
/* For the unit tests that run on PostgreSQL too (ctest NAME_pg): BEREIK_TEST_ENGINE=postgresql
   and BEREIK_TEST_PG, a server URI without a database, which scripts/test.sh exports. */
#ifndef BEREIK_TEST_PG_H
#define BEREIK_TEST_PG_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"

/* The server's URI when the test runs on PostgreSQL, else NULL (SQLite). */
static inline const char *pg_base(void) {
  const char *e = getenv("BEREIK_TEST_ENGINE");
  return e && !strcmp(e, "postgresql") ? getenv("BEREIK_TEST_PG") : NULL;
}

/* Runs sql (CREATE DATABASE, DROP DATABASE) in the server's database `postgres`. */
static inline int pg_admin(const char *sql) {
  char uri[256], err[512];
  snprintf(uri, sizeof uri, "%s/postgres", pg_base());
  struct db *admin = db_open(uri, err, sizeof err);
  if (!admin) {
    fprintf(stderr, "db_open: %s\n", err);
    return -1;
  }
  int rc = db_exec(admin, sql);
  if (rc != DB_OK) fprintf(stderr, "%s: %s\n", sql, db_errmsg(admin));
  db_close(admin);
  return rc == DB_OK ? 0 : -1;
}

#endif
