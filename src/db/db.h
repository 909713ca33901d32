/* SPDX-License-Identifier: EUPL-1.2 */
/* Backend-neutral database interface. Callers see struct db and struct db_stmt only;
   each backend (SQLite now, PostgreSQL later) fills a struct db_ops, as Redis switches
   connection types through a function table. SQL text uses '?' placeholders and
   portable syntax (INSERT ... RETURNING, ON CONFLICT, no backend-only functions). */
#ifndef BEREIK_DB_H
#define BEREIK_DB_H

#include <stddef.h>
#include <stdint.h>

enum { DB_OK = 0, DB_ROW = 1, DB_DONE = 2, DB_ERROR = -1 };

/* What kind of error the last failed call met (db_error_kind). */
enum db_error_kind {
  DB_ERR_NONE = 0,
  DB_ERR_CONSTRAINT, /* a unique, foreign key, check or not-null constraint */
  DB_ERR_TIMEOUT,    /* the query time limit (db_set_query_timeout) */
  DB_ERR_OTHER,
};

struct db;
struct db_stmt;

struct db_ops {
  const char *name;
  int (*exec)(struct db *db, const char *sql);
  struct db_stmt *(*prepare)(struct db *db, const char *sql);
  struct db_stmt *(*prepare_lookup)(struct db *db, const char *sql); /* NULL: prepare */
  void (*bind_int64)(struct db_stmt *st, int idx, int64_t v);
  void (*bind_double)(struct db_stmt *st, int idx, double v);
  void (*bind_text)(struct db_stmt *st, int idx, const char *v); /* NULL binds NULL */
  void (*bind_null)(struct db_stmt *st, int idx);
  int (*step)(struct db_stmt *st);
  void (*reset)(struct db_stmt *st);
  void (*finalize)(struct db_stmt *st);
  int64_t (*col_int64)(struct db_stmt *st, int col);
  double (*col_double)(struct db_stmt *st, int col);
  const char *(*col_text)(struct db_stmt *st, int col); /* NULL for SQL NULL */
  int (*col_is_null)(struct db_stmt *st, int col);
  int (*begin_write)(struct db *db);
  /* a transaction that reads one consistent snapshot (SQLite: a deferred BEGIN, whose
     snapshot is the first read's; PostgreSQL: REPEATABLE READ, READ ONLY) */
  int (*begin_read)(struct db *db);
  int (*commit)(struct db *db);
  int (*rollback)(struct db *db);    /* also after a failed statement or commit */
  void (*bulk_hint)(struct db *db);  /* may be NULL */
  void (*serve_hint)(struct db *db); /* one of several pooled connections; may be NULL */
  /* rows with explicit ids were inserted into table (PostgreSQL moves its identity
     past them); may be NULL */
  void (*ids_assigned)(struct db *db, const char *table);
  /* a transaction is open on the connection */
  int (*in_transaction)(struct db *db);
  /* re-establishes a lost connection (server restart); may be NULL */
  void (*reconnect_if_lost)(struct db *db);
  void (*close)(struct db *db);
  /* aborts any later statement running longer than ms milliseconds (0: no limit) */
  void (*set_query_timeout)(struct db *db, int ms);
  /* bulk load (PostgreSQL: COPY target FROM STDIN, text format); may be NULL */
  int (*copy_in)(struct db *db, const char *target, const char *data, size_t len);
  /* the service whose rows the connection sees (PostgreSQL); NULL: one service */
  int (*set_service)(struct db *db, int64_t service);
};

struct db {
  const struct db_ops *ops;
  char errmsg[512];
  void *impl;
  int query_timeout_ms; /* 0: no limit (see db_set_query_timeout) */
  int timed_out;        /* a statement was aborted by the limit (see db_take_timed_out) */
  int error_kind;       /* enum db_error_kind of the last error (see db_error_kind) */
  char **deferred;      /* the statements db_keys_restore runs (see db_keys_defer) */
  int n_deferred;
  int64_t service; /* the service of the work on this connection (db_set_service); 0: none */
};

/* Opens PATH (a SQLite file; a postgresql:// URI once that backend exists). Returns
   NULL and writes a message to err (size errlen) on failure. Caller closes. */
struct db *db_open(const char *path, char *err, size_t errlen);
void db_close(struct db *db);

int db_exec(struct db *db, const char *sql);
/* Returns NULL on error (message in db->errmsg). */
struct db_stmt *db_prepare(struct db *db, const char *sql);
/* As db_prepare, for a SELECT of a few rows by key that every request makes (its
   session, the revision tokens): read whole in one answer, in a transaction too (not
   through a cursor), and on PostgreSQL planned once per connection (kept prepared on
   the server under a name of the connection's own). */
struct db_stmt *db_prepare_lookup(struct db *db, const char *sql);
void db_bind_int64(struct db_stmt *st, int idx, int64_t v);
void db_bind_double(struct db_stmt *st, int idx, double v);
/* The text is not copied: it must stay valid until the statement is stepped to its end,
   reset or re-bound (every caller binds and steps at once; this saves a copy per value
   on the import's hot path). */
void db_bind_text(struct db_stmt *st, int idx, const char *v);
void db_bind_null(struct db_stmt *st, int idx);
int db_step(struct db_stmt *st);
void db_reset(struct db_stmt *st);
void db_finalize(struct db_stmt *st);
int64_t db_col_int64(struct db_stmt *st, int col);
double db_col_double(struct db_stmt *st, int col);
const char *db_col_text(struct db_stmt *st, int col);
int db_col_is_null(struct db_stmt *st, int col);

/* Tells the backend that a large write follows (SQLite: a page cache of 64 MiB, bounded
   whatever the size of the write). */
void db_bulk_hint(struct db *db);
/* Re-establishes a lost connection before a unit of work (statements prepared before
   are gone, so call it only between units of work). */
void db_reconnect_if_lost(struct db *db);
/* Tells the backend that rows with explicit ids went into table. */
void db_ids_assigned(struct db *db, const char *table);
/* The id for a new row of table (a table with an integer id): on SQLite one past the
   largest, inside the caller's write transaction; on PostgreSQL the next value of the
   table's identity, which db_ids_assigned keeps past every explicit id. Either way an
   index read, never a scan: on PostgreSQL the keys lead with the service, so a MAX(id)
   over the table scans it when row-level security does not filter the service (a
   superuser). The row needs no db_ids_assigned afterwards. */
int64_t db_next_id(struct db *db, const char *table);
/* Whether db_copy_in is there (PostgreSQL). */
int db_can_copy(struct db *db);
/* Loads rows in PostgreSQL's COPY text format (columns separated by a tab, rows ended by
   a newline, \N for NULL, backslash escapes) into target ("table (col, ...)") inside the
   caller's write transaction. DB_OK or DB_ERROR with a message. */
int db_copy_in(struct db *db, const char *target, const char *data, size_t len);
/* A load into empty tables: drops their secondary indexes (and on PostgreSQL their
   foreign keys) inside the caller's write transaction and keeps their definitions;
   db_keys_restore makes them again over all the rows at once (a sort and one join per
   key instead of one index insert and one lookup per row). A rollback brings them back
   as they were. On PostgreSQL the tables stay locked, readers too, until the commit.
   The primary keys and unique constraints stay. DB_OK or DB_ERROR with a message. */
int db_keys_defer(struct db *db, const char *const *tables, int n_tables);
int db_keys_restore(struct db *db);
/* Several services in one database (PostgreSQL, migration 014, docs/SERVICES.md):
   every later statement sees and writes only the rows of service (its id; 0 sees none).
   SQLite holds one service: the id is kept (db_service) and nothing else changes.
   DB_OK or DB_ERROR with a message. */
int db_set_service(struct db *db, int64_t service);
/* The service set on this connection (0: none; SQLite: 1 unless set otherwise). */
int64_t db_service(struct db *db);
/* Whether the database holds services (PostgreSQL). */
int db_has_services(struct db *db);
/* "sqlite" or "postgresql". */
const char *db_engine(struct db *db);
/* A write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: BEGIN and an advisory
   lock that serialises writers). */
/* A write transaction. It replaces the data's revision tokens (migration 004), so that
   every process knows what it computed before is out of date. */
int db_begin_write(struct db *db);
/* A write transaction that changes registrations only (their rows and links): it
   replaces the data token and leaves the reference-data token. */
int db_begin_write_registrations(struct db *db);
/* The same without the new token: schema migrations, and writes that change nothing
   any page computes from (accounts, sessions). */
int db_begin_write_quiet(struct db *db);
/* The connection is one of the server's pool: keep its private caches small (memory
   grows with the pool, and the operating system caches the file anyway). */
void db_serve_hint(struct db *db);
/* Whether a transaction is open (a request that forgot to end one is rolled back). */
int db_in_transaction(struct db *db);
/* The current revision tokens (either pointer may be NULL). 0 or -1. */
int db_revision(struct db *db, int64_t *token, int64_t *reference_token);
/* A read-only transaction over one consistent snapshot: every read until db_commit or
   db_rollback sees the same data (pages and reports that combine several queries). */
int db_begin_read(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);
const char *db_errmsg(struct db *db);
/* The kind of the last error (enum db_error_kind): a caller that must tell a constraint
   violation (a row still referenced, a duplicate key) from a failure asks here, never
   the message text. */
int db_error_kind(struct db *db);

/* A time limit for every later statement on this connection (the server's pooled
   connections; the command line has none): SQLite aborts a step that runs longer from a
   progress handler, and waits at most that long for the write lock (the process's writer
   mutex and another process's lock alike); PostgreSQL sets statement_timeout, which
   counts lock waits too. A statement past the limit fails with DB_ERROR (a transaction
   it was part of must be rolled back) and marks the connection (db_take_timed_out).
   ms = 0 removes the limit. */
void db_set_query_timeout(struct db *db, int ms);
/* Whether a statement was aborted by the time limit since the last call; clears the
   mark. */
int db_take_timed_out(struct db *db);

/* 1 when the database answers a trivial query, 0 otherwise (the health check). */
int db_ping(struct db *db);

/* Runs a query returning one integer; returns dflt when there is no row. */
int64_t db_query_int(struct db *db, const char *sql, int64_t dflt);

/* Creates or upgrades the schema. Refuses a database newer than this binary. */
int db_migrate(struct db *db, char *err, size_t errlen);
/* 0 when the schema is current, else -1 with a message. */
int db_check_schema(struct db *db, char *err, size_t errlen);

/* Backends. */
struct db *db_sqlite_open(const char *path, char *err, size_t errlen);
struct db *db_pg_open(const char *uri, char *err, size_t errlen);

/* A backend and the operations on a whole database it offers; which one a path names is
   decided here only (a postgresql:// or postgres:// URI, otherwise a SQLite file). */
struct db_backend {
  const char *name; /* as db_engine */
  struct db *(*open)(const char *path, char *err, size_t errlen);
  int (*backup)(const char *path, const char *file, char *err, size_t errlen);
  int (*restore)(const char *path, const char *file, char *err, size_t errlen);
};
const struct db_backend *db_backend_of(const char *path);
/* The whole-database operations of each backend (db/backup.c): VACUUM INTO and the
   online backup API for SQLite, pg_dump and pg_restore for PostgreSQL. */
int db_sqlite_backup(const char *path, const char *file, char *err, size_t errlen);
int db_sqlite_restore(const char *path, const char *file, char *err, size_t errlen);
int db_pg_backup(const char *uri, const char *file, char *err, size_t errlen);
int db_pg_restore(const char *uri, const char *file, char *err, size_t errlen);

#endif
