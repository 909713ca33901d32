/* SPDX-License-Identifier: EUPL-1.2 */
/* SQLite backend: 8 KiB pages (measured faster for the import than 4 KiB), WAL, foreign keys on,
   synchronous=FULL (BEREIK_SQLITE_SYNC may lower it for benchmarks), a busy timeout, and BEGIN IMMEDIATE for
   every write. */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "db/db.h"

struct db_stmt {
  struct db *db; /* must stay first: see db.c */
  sqlite3_stmt *st;
};

struct sq {
  sqlite3 *h;
  int64_t started_ns; /* when the running step or exec began (for the time limit) */
};

static sqlite3 *H(struct db *db) { return ((struct sq *)db->impl)->h; }

#define BUSY_TIMEOUT_MS 10000

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The time limit (db_set_query_timeout): every step and exec starts the clock; the
   progress handler, called every few thousand virtual machine instructions, aborts the
   statement once the limit is past (sqlite3_step then returns SQLITE_INTERRUPT). */
static void clock_start(struct db *db) {
  if (db->query_timeout_ms) ((struct sq *)db->impl)->started_ns = now_ns();
}

static int progress(void *arg) {
  struct db *db = arg;
  if (!db->query_timeout_ms) return 0;
  if (now_ns() - ((struct sq *)db->impl)->started_ns <= (int64_t)db->query_timeout_ms * 1000000) return 0;
  db->timed_out = 1;
  return 1;
}

/* After a failure: an interrupt is always the time limit's; a lock that stayed busy
   for the whole (shortened) busy timeout is one as well. */
static void note_timeout(struct db *db, int rc) {
  db->error_kind = (rc & 0xff) == SQLITE_CONSTRAINT ? DB_ERR_CONSTRAINT : DB_ERR_OTHER;
  if (!db->query_timeout_ms) return;
  if ((rc & 0xff) == SQLITE_INTERRUPT || (rc & 0xff) == SQLITE_BUSY) {
    db->timed_out = 1;
    db->error_kind = DB_ERR_TIMEOUT;
  }
}

/* Writers of this process queue on a mutex before BEGIN IMMEDIATE, so that they take
   turns in order instead of sleeping in SQLite's busy handler (whose growing sleeps made
   the slowest of many concurrent writes wait a second). Other processes still meet the
   busy timeout. The thread that began a write transaction releases the mutex as soon as
   its connection is back in autocommit mode (COMMIT, ROLLBACK, or an error that ended
   the transaction). */
static pthread_mutex_t write_mu = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local struct db *write_owner;

static void release_if_done(struct db *db) {
  if (write_owner == db && sqlite3_get_autocommit(H(db))) {
    write_owner = NULL;
    pthread_mutex_unlock(&write_mu);
  }
}

static void set_err(struct db *db) {
  snprintf(db->errmsg, sizeof db->errmsg, "%s", sqlite3_errmsg(H(db)));
  db->error_kind = (sqlite3_errcode(H(db)) & 0xff) == SQLITE_CONSTRAINT ? DB_ERR_CONSTRAINT : DB_ERR_OTHER;
}

static int s_exec(struct db *db, const char *sql) {
  char *msg = NULL;
  int rc = DB_OK;
  clock_start(db);
  int src = sqlite3_exec(H(db), sql, NULL, NULL, &msg);
  if (src != SQLITE_OK) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s", msg ? msg : sqlite3_errmsg(H(db)));
    sqlite3_free(msg);
    note_timeout(db, src);
    rc = DB_ERROR;
  }
  release_if_done(db);
  return rc;
}

static struct db_stmt *s_prepare(struct db *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(H(db), sql, -1, &st, NULL) != SQLITE_OK) {
    set_err(db);
    return NULL;
  }
  struct db_stmt *s = xmalloc(sizeof *s);
  s->db = db;
  s->st = st;
  return s;
}

static void s_bind_int64(struct db_stmt *s, int i, int64_t v) { sqlite3_bind_int64(s->st, i, v); }
static void s_bind_double(struct db_stmt *s, int i, double v) { sqlite3_bind_double(s->st, i, v); }
static void s_bind_text(struct db_stmt *s, int i, const char *v) {
  if (v)
    sqlite3_bind_text(s->st, i, v, -1, SQLITE_STATIC); /* see db_bind_text */
  else
    sqlite3_bind_null(s->st, i);
}
static void s_bind_null(struct db_stmt *s, int i) { sqlite3_bind_null(s->st, i); }

static int s_step(struct db_stmt *s) {
  clock_start(s->db);
  int rc = sqlite3_step(s->st);
  if (rc == SQLITE_ROW) return DB_ROW;
  if (rc == SQLITE_DONE) {
    sqlite3_reset(s->st);
    release_if_done(s->db);
    return DB_DONE;
  }
  set_err(s->db);
  note_timeout(s->db, rc);
  sqlite3_reset(s->st);
  release_if_done(s->db);
  return DB_ERROR;
}

static void s_reset(struct db_stmt *s) {
  sqlite3_reset(s->st);
  sqlite3_clear_bindings(s->st);
}

static void s_finalize(struct db_stmt *s) {
  sqlite3_finalize(s->st);
  free(s);
}

static int64_t s_col_int64(struct db_stmt *s, int c) { return sqlite3_column_int64(s->st, c); }
static double s_col_double(struct db_stmt *s, int c) { return sqlite3_column_double(s->st, c); }
static const char *s_col_text(struct db_stmt *s, int c) {
  return (const char *)sqlite3_column_text(s->st, c);
}
static int s_col_is_null(struct db_stmt *s, int c) { return sqlite3_column_type(s->st, c) == SQLITE_NULL; }

static int s_begin_write(struct db *db) {
  if (write_owner != db) {
    if (db->query_timeout_ms) {
      /* under a time limit, the queue for the writer mutex is bounded by it too */
      struct timespec until;
      clock_gettime(CLOCK_REALTIME, &until);
      int64_t ns = until.tv_nsec + (int64_t)(db->query_timeout_ms % 1000) * 1000000;
      until.tv_sec += db->query_timeout_ms / 1000 + ns / 1000000000;
      until.tv_nsec = ns % 1000000000;
      int e = pthread_mutex_timedlock(&write_mu, &until);
      if (e != 0) {
        snprintf(db->errmsg, sizeof db->errmsg, "waited %d ms for the write lock: %s", db->query_timeout_ms,
                 e == ETIMEDOUT ? "time limit reached" : "cannot lock");
        db->error_kind = e == ETIMEDOUT ? DB_ERR_TIMEOUT : DB_ERR_OTHER;
        if (e == ETIMEDOUT) db->timed_out = 1;
        return DB_ERROR;
      }
    } else {
      pthread_mutex_lock(&write_mu);
    }
    write_owner = db;
  }
  return s_exec(db, "BEGIN IMMEDIATE"); /* a failed BEGIN releases the mutex again */
}

static int s_begin_read(struct db *db) { return s_exec(db, "BEGIN"); }
static int s_commit(struct db *db) { return s_exec(db, "COMMIT"); }
static int s_rollback(struct db *db) { return s_exec(db, "ROLLBACK"); }

static int s_in_transaction(struct db *db) { return !sqlite3_get_autocommit(H(db)); }

/* 64 MiB: a larger cache that holds a whole import's pages gained nothing measurable (1M
   registrations of bench/run.sh's default and wide shapes, 512 against 64 MiB, within
   3%) and cost its size in memory. The sorts that make the indexes at the end of an
   import spill to temporary files instead of memory (docs/PERFORMANCE.md). */
static void s_bulk_hint(struct db *db) { s_exec(db, "PRAGMA cache_size = -65536; PRAGMA temp_store = FILE"); }
static void s_serve_hint(struct db *db) {
  s_exec(db, "PRAGMA cache_size = -8192; PRAGMA temp_store = MEMORY");
}

static void s_set_query_timeout(struct db *db, int ms) {
  sqlite3_progress_handler(H(db), ms ? 1000 : 0, ms ? progress : NULL, db);
  sqlite3_busy_timeout(H(db), ms && ms < BUSY_TIMEOUT_MS ? ms : BUSY_TIMEOUT_MS);
}

static void s_close(struct db *db) {
  if (write_owner == db) {
    write_owner = NULL;
    pthread_mutex_unlock(&write_mu);
  }
  sqlite3_close(H(db));
  free(db->impl);
  free(db);
}

static const struct db_ops sqlite_ops = {
    .name = "sqlite",
    .exec = s_exec,
    .prepare = s_prepare,
    .bind_int64 = s_bind_int64,
    .bind_double = s_bind_double,
    .bind_text = s_bind_text,
    .bind_null = s_bind_null,
    .step = s_step,
    .reset = s_reset,
    .finalize = s_finalize,
    .col_int64 = s_col_int64,
    .col_double = s_col_double,
    .col_text = s_col_text,
    .col_is_null = s_col_is_null,
    .begin_write = s_begin_write,
    .begin_read = s_begin_read,
    .commit = s_commit,
    .rollback = s_rollback,
    .in_transaction = s_in_transaction,
    .bulk_hint = s_bulk_hint,
    .serve_hint = s_serve_hint,
    .set_query_timeout = s_set_query_timeout,
    .close = s_close,
};

struct db *db_sqlite_open(const char *path, char *err, size_t errlen) {
  sqlite3 *h = NULL;
  if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
      SQLITE_OK) {
    snprintf(err, errlen, "cannot open database %s: %s", path, h ? sqlite3_errmsg(h) : "out of memory");
    sqlite3_close(h);
    return NULL;
  }
  sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
  /* A larger lookaside (1200-byte slots, 1000 of them) keeps SQLite's many small
     allocations off malloc: measured about 5% faster on the million-row import. */
  sqlite3_db_config(h, SQLITE_DBCONFIG_LOOKASIDE, NULL, 1200, 1000);
  struct db *db = xcalloc(1, sizeof *db);
  struct sq *sq = xcalloc(1, sizeof *sq);
  sq->h = h;
  db->ops = &sqlite_ops;
  db->service = 1; /* a SQLite file is one service */
  db->impl = sq;
  const char *sync = getenv("BEREIK_SQLITE_SYNC");
  char pragmas[256];
  snprintf(pragmas, sizeof pragmas,
           "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=%s; "
           "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;",
           sync && (!strcmp(sync, "NORMAL") || !strcmp(sync, "OFF")) ? sync : "FULL");
  if (s_exec(db, pragmas) != DB_OK) {
    snprintf(err, errlen, "cannot configure database %s: %s", path, db->errmsg);
    s_close(db);
    return NULL;
  }
  return db;
}
