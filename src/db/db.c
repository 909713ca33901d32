/* SPDX-License-Identifier: EUPL-1.2 */
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/util.h"
#include "db/migrate.h"

static const struct db_backend backends[] = {
    {"sqlite", db_sqlite_open, db_sqlite_backup, db_sqlite_restore},
    {"postgresql", db_pg_open, db_pg_backup, db_pg_restore},
};

const struct db_backend *db_backend_of(const char *path) {
  if (strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0) return &backends[1];
  return &backends[0];
}

/* A database that holds one service works on it from the start, as before there were
   services (migration 014); with several, the caller chooses (db_set_service). */
static void default_service(struct db *db) {
  if (!db->ops->set_service || db->service) return;
  if (db_query_int(
          db, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'service'",
          0) != 1)
    return;
  int64_t id = db_query_int(db, "SELECT CASE WHEN COUNT(*) = 1 THEN MIN(id) ELSE 0 END FROM service", 0);
  if (id > 0) db_set_service(db, id);
}

struct db *db_open(const char *path, char *err, size_t errlen) {
  struct db *db = db_backend_of(path)->open(path, err, errlen);
  if (db) default_service(db);
  return db;
}

static void deferred_clear(struct db *db);

void db_close(struct db *db) {
  if (!db) return;
  deferred_clear(db);
  db->ops->close(db);
}

int db_exec(struct db *db, const char *sql) { return db->ops->exec(db, sql); }

/* Statements start with a pointer to their db, so the dispatchers can find the ops. */
struct db_stmt {
  struct db *db;
};

struct db_stmt *db_prepare(struct db *db, const char *sql) {
  return db->ops->prepare(db, sql);
}
struct db_stmt *db_prepare_lookup(struct db *db, const char *sql) {
  return db->ops->prepare_lookup ? db->ops->prepare_lookup(db, sql) : db->ops->prepare(db, sql);
}
void db_bind_int64(struct db_stmt *st, int idx, int64_t v) { st->db->ops->bind_int64(st, idx, v); }
void db_bind_double(struct db_stmt *st, int idx, double v) { st->db->ops->bind_double(st, idx, v); }
void db_bind_text(struct db_stmt *st, int idx, const char *v) { st->db->ops->bind_text(st, idx, v); }
void db_bind_null(struct db_stmt *st, int idx) { st->db->ops->bind_null(st, idx); }
int db_step(struct db_stmt *st) { return st->db->ops->step(st); }
void db_reset(struct db_stmt *st) { st->db->ops->reset(st); }
void db_finalize(struct db_stmt *st) {
  if (st) st->db->ops->finalize(st);
}
int64_t db_col_int64(struct db_stmt *st, int col) { return st->db->ops->col_int64(st, col); }
double db_col_double(struct db_stmt *st, int col) { return st->db->ops->col_double(st, col); }
const char *db_col_text(struct db_stmt *st, int col) { return st->db->ops->col_text(st, col); }
int db_col_is_null(struct db_stmt *st, int col) { return st->db->ops->col_is_null(st, col); }

/* A random 63-bit token: a revision no earlier state of this database had. */
static int64_t new_token(void) {
  uint64_t t = 0;
  if (getrandom(&t, sizeof t, 0) != (ssize_t)sizeof t) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    t = (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
  }
  return (int64_t)(t >> 1);
}

static int begin_and_bump(struct db *db, const char *sql) {
  int rc = db->ops->begin_write(db);
  if (rc != DB_OK) return rc;
  struct db_stmt *st = db_prepare(db, sql);
  if (!st) {
    db_rollback(db);
    return DB_ERROR;
  }
  db_bind_int64(st, 1, new_token());
  if (strchr(sql, ',')) db_bind_int64(st, 2, new_token());
  int s = db_step(st);
  db_finalize(st);
  if (s != DB_DONE) {
    db_rollback(db);
    return DB_ERROR;
  }
  return DB_OK;
}

int db_begin_write(struct db *db) {
  return begin_and_bump(db, "UPDATE revision SET token = ?, reference_token = ? WHERE id = 1");
}

int db_begin_write_registrations(struct db *db) {
  return begin_and_bump(db, "UPDATE revision SET token = ? WHERE id = 1");
}

void db_serve_hint(struct db *db) {
  if (db->ops->serve_hint) db->ops->serve_hint(db);
}

int db_in_transaction(struct db *db) { return db->ops->in_transaction(db); }

int db_set_service(struct db *db, int64_t service) {
  if (db->ops->set_service && db->ops->set_service(db, service) != DB_OK) return DB_ERROR;
  db->service = service;
  return DB_OK;
}

int64_t db_service(struct db *db) { return db->service; }

int db_has_services(struct db *db) { return db->ops->set_service != NULL; }

int db_begin_write_quiet(struct db *db) { return db->ops->begin_write(db); }

int db_revision(struct db *db, int64_t *token, int64_t *reference_token) {
  struct db_stmt *st = db_prepare_lookup(db, "SELECT token, reference_token FROM revision WHERE id = 1");
  if (!st) return -1;
  int rc = db_step(st) == DB_ROW ? 0 : -1;
  if (rc == 0 && token) *token = db_col_int64(st, 0);
  if (rc == 0 && reference_token) *reference_token = db_col_int64(st, 1);
  db_finalize(st);
  return rc;
}
void db_ids_assigned(struct db *db, const char *table) {
  if (db->ops->ids_assigned) db->ops->ids_assigned(db, table);
}
int64_t db_next_id(struct db *db, const char *table) {
  char sql[160];
  if (!strcmp(db->ops->name, "postgresql"))
    snprintf(sql, sizeof sql, "SELECT nextval(pg_get_serial_sequence('%s', 'id'))", table);
  else
    snprintf(sql, sizeof sql, "SELECT MAX(id) + 1 FROM %s", table);
  int64_t id = db_query_int(db, sql, 0);
  return id > 0 ? id : 1;
}
const char *db_engine(struct db *db) { return db->ops->name; }
void db_reconnect_if_lost(struct db *db) {
  if (db->ops->reconnect_if_lost) db->ops->reconnect_if_lost(db);
}
void db_set_query_timeout(struct db *db, int ms) {
  db->query_timeout_ms = ms > 0 ? ms : 0;
  if (db->ops->set_query_timeout) db->ops->set_query_timeout(db, db->query_timeout_ms);
}
int db_take_timed_out(struct db *db) {
  int t = db->timed_out;
  db->timed_out = 0;
  return t;
}
void db_bulk_hint(struct db *db) {
  if (db->ops->bulk_hint) db->ops->bulk_hint(db);
}
int db_begin_read(struct db *db) { return db->ops->begin_read(db); }
int db_can_copy(struct db *db) { return db->ops->copy_in != NULL; }
int db_copy_in(struct db *db, const char *target, const char *data, size_t len) {
  if (!db->ops->copy_in) {
    snprintf(db->errmsg, sizeof db->errmsg, "%s has no bulk load", db->ops->name);
    return DB_ERROR;
  }
  return db->ops->copy_in(db, target, data, len);
}
int db_commit(struct db *db) { return db->ops->commit(db); }
int db_rollback(struct db *db) { return db->ops->rollback(db); }
int db_error_kind(struct db *db) { return db->error_kind; }
const char *db_errmsg(struct db *db) { return db->errmsg; }

static void deferred_add(struct db *db, struct buf *sql) {
  db->deferred = xrealloc(db->deferred, (size_t)(db->n_deferred + 1) * sizeof *db->deferred);
  db->deferred[db->n_deferred++] = xstrdup(buf_str(sql));
  buf_free(sql);
}

static void deferred_clear(struct db *db) {
  for (int i = 0; i < db->n_deferred; i++) free(db->deferred[i]);
  free(db->deferred);
  db->deferred = NULL;
  db->n_deferred = 0;
}

/* The catalog's indexes (then foreign keys) of one table: (name, definition) rows. */
static const char *const SQLITE_INDEXES =
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = ? "
    "ORDER BY name";
static const char *const PG_INDEXES =
    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ? "
    "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u', 'x')) "
    "ORDER BY indexname"; /* a key's index has the key's name */
static const char *const PG_FOREIGN_KEYS =
    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' "
    "AND conrelid = CAST(? AS regclass) ORDER BY conname";

/* Reads the (name, definition) rows of one table; 0 or -1. */
static int catalog_rows(struct db *db, const char *sql, const char *table, char ***rows, int *n) {
  *rows = NULL;
  *n = 0;
  struct db_stmt *st = db_prepare(db, sql);
  if (!st) return -1;
  db_bind_text(st, 1, table);
  int s;
  while ((s = db_step(st)) == DB_ROW) {
    *rows = xrealloc(*rows, (size_t)(*n + 2) * sizeof **rows);
    (*rows)[(*n)++] = xstrdup(db_col_text(st, 0));
    (*rows)[(*n)++] = xstrdup(db_col_text(st, 1));
  }
  db_finalize(st);
  return s == DB_DONE ? 0 : -1;
}

static void rows_free(char **rows, int n) {
  for (int i = 0; i < n; i++) free(rows[i]);
  free(rows);
}

int db_keys_defer(struct db *db, const char *const *tables, int n_tables) {
  int pg = !strcmp(db->ops->name, "postgresql");
  /* the indexes are made again before the foreign keys, which use them; SQLite's
     foreign keys cannot be dropped and stay */
  const char *const catalog[2] = {pg ? PG_INDEXES : SQLITE_INDEXES, PG_FOREIGN_KEYS};
  deferred_clear(db);
  for (int pass = 0; pass < (pg ? 2 : 1); pass++)
    for (int t = 0; t < n_tables; t++) {
      char **rows;
      int n;
      if (catalog_rows(db, catalog[pass], tables[t], &rows, &n) != 0) return DB_ERROR;
      for (int i = 0; i < n; i += 2) {
        struct buf drop = {0}, make = {0};
        if (pass) {
          buf_printf(&drop, "ALTER TABLE %s DROP CONSTRAINT \"%s\"", tables[t], rows[i]);
          buf_printf(&make, "ALTER TABLE %s ADD CONSTRAINT \"%s\" %s", tables[t], rows[i], rows[i + 1]);
        } else {
          buf_printf(&drop, "DROP INDEX \"%s\"", rows[i]);
          buf_puts(&make, rows[i + 1]);
        }
        int rc = db_exec(db, buf_str(&drop));
        buf_free(&drop);
        if (rc != DB_OK) {
          buf_free(&make);
          rows_free(rows, n);
          return DB_ERROR;
        }
        deferred_add(db, &make);
      }
      rows_free(rows, n);
    }
  return DB_OK;
}

int db_keys_restore(struct db *db) {
  int rc = DB_OK;
  for (int i = 0; i < db->n_deferred && rc == DB_OK; i++) rc = db_exec(db, db->deferred[i]);
  deferred_clear(db);
  return rc;
}

int64_t db_query_int(struct db *db, const char *sql, int64_t dflt) {
  struct db_stmt *st = db_prepare(db, sql);
  int64_t v = dflt;
  if (!st) return dflt;
  if (db_step(st) == DB_ROW && !db_col_is_null(st, 0)) v = db_col_int64(st, 0);
  db_finalize(st);
  return v;
}

int db_ping(struct db *db) { return db_query_int(db, "SELECT 1", 0) == 1; }

static int latest_version(void) {
  int v = 0;
  for (int i = 0; i < migration_count; i++)
    if (migrations[i].version > v) v = migrations[i].version;
  return v;
}

static int current_version(struct db *db) {
  return (int)db_query_int(db, "SELECT MAX(version) FROM schema_version", 0);
}

int db_check_schema(struct db *db, char *err, size_t errlen) {
  int have = db_query_int(db, "SELECT COUNT(*) FROM schema_version", -1) < 0 ? -1 : current_version(db);
  int want = latest_version();
  if (have < 0 || have == 0) {
    snprintf(err, errlen, "the database has no bereik schema; run 'bereik init' first");
    return -1;
  }
  if (have > want) {
    snprintf(err, errlen,
             "the database schema (version %d) is newer than this bereik (version %d); "
             "use a newer bereik",
             have, want);
    return -1;
  }
  if (have < want) {
    snprintf(err, errlen,
             "the database schema (version %d) is older than this bereik (version %d); "
             "run 'bereik init' to upgrade it",
             have, want);
    return -1;
  }
  return 0;
}

int db_migrate(struct db *db, char *err, size_t errlen) {
  if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                  "applied_at TEXT NOT NULL)") != DB_OK) {
    snprintf(err, errlen, "cannot create schema_version: %s", db_errmsg(db));
    return -1;
  }
  if (db_begin_write_quiet(db) != DB_OK) {
    snprintf(err, errlen, "cannot start the migration: %s", db_errmsg(db));
    return -1;
  }
  int have = current_version(db), want = latest_version();
  if (have > want) {
    db_rollback(db);
    snprintf(err, errlen,
             "the database schema (version %d) is newer than this bereik (version %d); "
             "use a newer bereik",
             have, want);
    return -1;
  }
  for (int i = 0; i < migration_count; i++) {
    if (migrations[i].version <= have) continue;
    if ((!migrations[i].engine[0] || !strcmp(migrations[i].engine, db->ops->name)) &&
        db_exec(db, migrations[i].sql) != DB_OK) {
      snprintf(err, errlen, "migration %d failed: %s", migrations[i].version, db_errmsg(db));
      db_rollback(db);
      return -1;
    }
    struct db_stmt *st = db_prepare(db, "INSERT INTO schema_version (version, applied_at) "
                                        "VALUES (?, CURRENT_TIMESTAMP)");
    if (!st) {
      snprintf(err, errlen, "cannot record migration: %s", db_errmsg(db));
      db_rollback(db);
      return -1;
    }
    db_bind_int64(st, 1, migrations[i].version);
    int rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE) {
      snprintf(err, errlen, "cannot record migration: %s", db_errmsg(db));
      db_rollback(db);
      return -1;
    }
  }
  if (db_commit(db) != DB_OK) {
    snprintf(err, errlen, "cannot commit the migration: %s", db_errmsg(db));
    return -1;
  }
  default_service(db);
  return 0;
}
