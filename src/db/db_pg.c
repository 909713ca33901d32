/* SPDX-License-Identifier: EUPL-1.2 */
/* PostgreSQL backend through libpq, behind the same function table as SQLite.

   - SQL text keeps the portable '?' placeholders; they become $1, $2, ... once, when a
     statement is prepared (PQprepare), and each execution sends text parameters.
   - Inside a transaction, a statement that returns rows is read through a server-side
     cursor in batches (DECLARE ... NO SCROLL CURSOR, FETCH FORWARD), so that several
     streams can be open at once on one connection (the report merges four) and memory
     stays bounded. Outside a transaction the whole result is fetched at once.
   - A write transaction takes a transaction-level advisory lock, so that writers run
     one at a time, as SQLite's BEGIN IMMEDIATE does.
   - Inside a transaction, statements that return no rows are sent in libpq's pipeline
     mode and their results read in groups (at most PIPELINE_MAX at a time, and before
     anything that needs an answer: a query, COMMIT). A million-row import thus does
     not wait for a network round trip per row. A failed statement makes the next
     call that talks to the server fail with its message; the transaction is then
     rolled back by the caller, so nothing is half written.
   - What needs no answer of its own waits for the next statement and goes in the same
     pipeline: the BEGIN of a read transaction, the CLOSE of a cursor, the setting of
     the connection's service (with a sync of its own, so that a rollback of what
     follows does not undo it). A cursor's DECLARE and first FETCH go together.
   - Lookups (db_prepare_lookup: a session, an API token, the revision tokens) are
     prepared once per connection, with their first run, and read whole, without a
     cursor. The end of a read transaction is sent with a sync of its own and its answer
     read with the connection's next statement. A request that reads its session and
     then, in a read transaction, the revision tokens of a cached page thus waits for two
     round trips (session; BEGIN and read), where it waited for six (the key of the
     session hash is remembered too: http/auth.c).
   - The migrations' SQLite-only token (WITHOUT ROWID) is dropped, INTEGER becomes
     BIGINT, "id INTEGER PRIMARY KEY" an identity column, REAL double precision, and
     TEXT gets the "C" collation, so that ordering is byte order on both engines. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/util.h"
#include "db/db.h"

#define FETCH_ROWS 2000
#define PIPELINE_MAX 1000
#define WRITE_LOCK_KEY 4242424242LL
#define LOOKUPS_MAX 32
#define KEPT_MAX 128

struct db_stmt {
  struct db *db; /* must stay first: see db.c */
  char name[32];
  char *sql; /* translated to $n */
  int nparams;
  int returns_rows;
  char **params; /* per parameter: pointer to the value or NULL */
  char (*numbuf)[32];
  PGresult *res;
  int row, nrows;
  int lookup;      /* db_prepare_lookup: 1 + its index in pg->lookups (0: none) */
  int kept;        /* prepared under a name kept by the connection (pg->kept): not deallocated */
  int cursor_open; /* reading through cursor `name` */
  int done;
  int executed;
};

struct pg {
  PGconn *conn;
  long next_id;
  int in_tx;           /* a transaction is open (BEGIN seen, COMMIT/ROLLBACK not yet) */
  int pipelined;       /* in pipeline mode with statements sent */
  int pending;         /* statements sent since the last sync */
  int failed;          /* a pipelined statement failed; message in db->errmsg */
  int64_t service_set; /* the connection's bereik.service (0: none set) */
  int bypass_rls;      /* the role bypasses row-level security (superuser or BYPASSRLS) */
  /* Sent with the next statement instead of on their own (one round trip fewer each):
     the BEGIN of a read transaction, and the CLOSE of cursors read to their end or left.
     A read transaction that sends nothing ends without a round trip; cursors still to be
     closed when a transaction ends are closed by its end. */
  int begin_pending;
  char **closes;
  int n_closes, cap_closes;
  /* bereik.service to be set with the next statement, in a transaction of its own (a
     sync of its own in the same pipeline): the rollback of what follows does not undo it */
  int service_pending;
  int64_t service_want;
  int syncs;     /* syncs sent in the pipeline besides the one that ends it */
  int read_only; /* the open transaction is a read transaction (p_begin_read) */
  /* The statements of db_prepare_lookup, prepared on this connection under their own
     name the first time they run (in the same pipeline as that run). A name whose
     first run failed is not used again (its Prepare may have gone through). */
  struct lookup {
    char *sql; /* translated to $n */
    char name[32];
    int prepared;
  } lookups[LOOKUPS_MAX];
  int n_lookups;
  long lookup_names;
  /* Statements other than SELECTs (the writes) are prepared by db_prepare. The first
     KEPT_MAX texts stay prepared on the connection under their name, so that a write
     that prepares its statements again (every registration write does) finds them
     without a round trip each to prepare and to deallocate them; later texts are
     prepared and deallocated as before. A prepared statement outlives a rolled-back
     transaction; the connection's reset forgets them all. */
  struct kept {
    char *sql; /* translated to $n */
    char name[32];
  } kept[KEPT_MAX];
  int n_kept;
};

static PGconn *C(struct db *db) { return ((struct pg *)db->impl)->conn; }

static void set_err(struct db *db, const PGresult *r) {
  /* 57014 query_canceled: statement_timeout (db_set_query_timeout) */
  const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
  /* class 23: integrity constraint violation */
  db->error_kind = state && !strncmp(state, "23", 2) ? DB_ERR_CONSTRAINT : DB_ERR_OTHER;
  if (state && !strcmp(state, "57014") && db->query_timeout_ms) {
    db->timed_out = 1;
    db->error_kind = DB_ERR_TIMEOUT;
  }
  const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(C(db));
  snprintf(db->errmsg, sizeof db->errmsg, "%s", m && *m ? m : "unknown PostgreSQL error");
  size_t n = strlen(db->errmsg);
  while (n && (db->errmsg[n - 1] == '\n' || db->errmsg[n - 1] == ' ')) db->errmsg[--n] = 0;
}

static int ok_status(ExecStatusType s) {
  return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
}

static int send_pending(struct db *db);

/* Ends the pipeline with a sync and reads every result up to it (and up to the syncs
   sent before), in order, then leaves pipeline mode. The result number `keep` (counted
   from 0 over the statements sent since the pipeline began), when it has rows, goes to
   *kept. The first error goes to db->errmsg and fails the transaction: every later call
   fails too until it ends. After an error the connection's bereik.service is set again
   before the next statement. */
static int read_pipeline(struct db *db, int keep, PGresult **kept) {
  struct pg *pg = db->impl;
  PGconn *c = pg->conn;
  int syncs = pg->syncs + 1;
  if (PQpipelineSync(c) != 1) {
    set_err(db, NULL);
    pg->failed = 1;
    syncs = 0;
  }
  int index = 0;
  while (syncs > 0) {
    PGresult *r = PQgetResult(c);
    if (!r) {
      if (PQstatus(c) != CONNECTION_OK) {
        set_err(db, NULL);
        pg->failed = 1;
        break;
      }
      continue;
    }
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_PIPELINE_SYNC) {
      PQclear(r);
      syncs--;
      continue;
    }
    if (st != PGRES_PIPELINE_ABORTED && !ok_status(st) && !pg->failed) {
      set_err(db, r);
      pg->failed = 1;
    }
    if (kept && index == keep && st == PGRES_TUPLES_OK && !pg->failed)
      *kept = r;
    else
      PQclear(r);
    index++;
  }
  PQexitPipelineMode(c);
  pg->pipelined = 0;
  pg->pending = 0;
  pg->syncs = 0;
  if (!pg->failed) return DB_OK;
  pg->service_set = -1;
  if (!pg->in_tx) pg->failed = 0; /* told once: no transaction to fail */
  return DB_ERROR;
}

/* Reads the results of every pipelined statement (and sends and reads what waits to be
   sent) and leaves pipeline mode. Returns DB_OK, or DB_ERROR when one of them failed
   (also for every later call, until the transaction ends). */
static int flush(struct db *db) {
  struct pg *pg = db->impl;
  send_pending(db);
  if (pg->pipelined) return read_pipeline(db, -1, NULL);
  return pg->failed ? DB_ERROR : DB_OK;
}

/* Enters libpq's pipeline mode unless the connection is in it. */
static int enter_pipeline(struct db *db) {
  struct pg *pg = db->impl;
  if (pg->pipelined) return DB_OK;
  if (PQenterPipelineMode(pg->conn) != 1) {
    set_err(db, NULL);
    return DB_ERROR;
  }
  pg->pipelined = 1;
  return DB_OK;
}

static void drop_closes(struct pg *pg) {
  for (int i = 0; i < pg->n_closes; i++) free(pg->closes[i]);
  pg->n_closes = 0;
}

/* Sends what waits for the next statement (the deferred BEGIN, CLOSEs) in pipeline mode,
   without waiting: its results are read with the next statement's or by flush. */
static int send_pending(struct db *db) {
  struct pg *pg = db->impl;
  PGconn *c = pg->conn;
  if (!pg->begin_pending && !pg->n_closes && !pg->service_pending) return DB_OK;
  if (enter_pipeline(db) != DB_OK) {
    pg->failed = 1;
    return DB_ERROR;
  }
  int ok = 1;
  if (pg->service_pending) {
    char val[32] = "";
    if (pg->service_want > 0) snprintf(val, sizeof val, "%lld", (long long)pg->service_want);
    const char *params[1] = {val};
    ok = PQsendQueryParams(c, "SELECT set_config('bereik.service', $1, false)", 1, NULL, params, NULL, NULL,
                           0) == 1 &&
         PQpipelineSync(c) == 1;
    pg->pending++;
    pg->syncs++;
    pg->service_set = pg->service_want;
    pg->service_pending = 0;
  }
  for (int i = 0; i < pg->n_closes && ok; i++) {
    ok = PQsendQueryParams(c, pg->closes[i], 0, NULL, NULL, NULL, NULL, 0) == 1;
    pg->pending++;
  }
  drop_closes(pg);
  if (ok && pg->begin_pending) {
    ok = PQsendQueryParams(c, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0, NULL, NULL, NULL, NULL,
                           0) == 1;
    pg->pending++;
  }
  pg->begin_pending = 0;
  if (!ok) {
    set_err(db, NULL);
    pg->failed = 1;
    return DB_ERROR;
  }
  return DB_OK;
}

/* Rewrites the portable SQLite dialect of the migrations for PostgreSQL. */
static char *translate_ddl(const char *sql) {
  struct buf b = {0};
  const char *p = sql;
  while (*p) {
    if (!strncmp(p, "--", 2)) { /* comments are copied as they are */
      const char *e = strchr(p, '\n');
      size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
      buf_append(&b, p, n);
      p += n;
      continue;
    }
    if (!strncmp(p, " WITHOUT ROWID", 14)) {
      p += 14;
    } else if (!strncmp(p, "id INTEGER PRIMARY KEY", 22)) {
      buf_puts(&b, "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
      p += 22;
    } else if (!strncmp(p, " INTEGER", 8)) {
      buf_puts(&b, " BIGINT");
      p += 8;
    } else if (!strncmp(p, " REAL", 5)) {
      buf_puts(&b, " DOUBLE PRECISION");
      p += 5;
    } else if (!strncmp(p, " TEXT", 5) && (p[5] == ' ' || p[5] == ',' || p[5] == '\n' || p[5] == ')')) {
      buf_puts(&b, " TEXT COLLATE \"C\"");
      p += 5;
    } else {
      buf_putc(&b, *p++);
    }
  }
  char *s = xstrdup(buf_str(&b));
  buf_free(&b);
  return s;
}

static int is_ddl(const char *sql) {
  while (*sql == ' ' || *sql == '\n' || *sql == '-') {
    if (*sql == '-') {
      const char *e = strchr(sql, '\n');
      if (!e) return 0;
      sql = e;
    }
    sql++;
  }
  return !strncasecmp(sql, "CREATE", 6) || !strncasecmp(sql, "ALTER", 5);
}

/* Statements only: transactions begin and end through p_begin_write, p_begin_read,
   p_commit and p_rollback, which keep in_tx (the pipelining of writes depends on it). */
static int p_exec(struct db *db, const char *sql) {
  if (flush(db) != DB_OK) return DB_ERROR;
  char *t = is_ddl(sql) || strstr(sql, "CREATE TABLE") ? translate_ddl(sql) : NULL;
  PGresult *r = PQexec(C(db), t ? t : sql);
  free(t);
  int ok = ok_status(PQresultStatus(r));
  if (!ok) set_err(db, r);
  PQclear(r);
  return ok ? DB_OK : DB_ERROR;
}

/* '?' -> $n outside quotes; counts the parameters. */
static char *translate_params(const char *sql, int *n) {
  struct buf b = {0};
  int k = 0;
  char quote = 0;
  for (const char *p = sql; *p; p++) {
    if (quote) {
      if (*p == quote) quote = 0;
      buf_putc(&b, *p);
    } else if (*p == '\'' || *p == '"') {
      quote = *p;
      buf_putc(&b, *p);
    } else if (*p == '?') {
      buf_printf(&b, "$%d", ++k);
    } else if (!strncmp(p, "ON CONFLICT (", 13) && strncmp(p + 13, "service_id", 10)) {
      /* every key of a service-owned table begins with service_id (migration 014) */
      buf_puts(&b, "ON CONFLICT (service_id, ");
      p += 12;
    } else {
      buf_putc(&b, *p);
    }
  }
  *n = k;
  char *s = xstrdup(buf_str(&b));
  buf_free(&b);
  return s;
}

static int starts_with_word(const char *s, const char *w) {
  while (*s == ' ' || *s == '\n' || *s == '(') s++;
  return !strncasecmp(s, w, strlen(w));
}

static struct db_stmt *p_prepare(struct db *db, const char *sql) {
  struct pg *pg = db->impl;
  struct db_stmt *s = xcalloc(1, sizeof *s);
  s->db = db;
  s->sql = translate_params(sql, &s->nparams);
  s->returns_rows =
      starts_with_word(sql, "SELECT") || starts_with_word(sql, "WITH") || strstr(sql, "RETURNING") != NULL;
  snprintf(s->name, sizeof s->name, "bereik_%ld", pg->next_id++);
  s->params = xcalloc((size_t)(s->nparams ? s->nparams : 1), sizeof *s->params);
  s->numbuf = xcalloc((size_t)(s->nparams ? s->nparams : 1), sizeof *s->numbuf);
  /* plain SELECTs may be read through a cursor, which takes its own text; everything
     else is prepared once */
  if (!starts_with_word(sql, "SELECT") && !starts_with_word(sql, "WITH")) {
    for (int i = 0; i < pg->n_kept; i++)
      if (!strcmp(pg->kept[i].sql, s->sql)) {
        snprintf(s->name, sizeof s->name, "%s", pg->kept[i].name);
        s->kept = 1;
        return s;
      }
    int keep = pg->n_kept < KEPT_MAX;
    if (keep) snprintf(s->name, sizeof s->name, "bereik_w%ld", pg->next_id++);
    if (flush(db) != DB_OK) {
      free(s->sql);
      free(s->params);
      free(s->numbuf);
      free(s);
      return NULL;
    }
    PGresult *r = PQprepare(C(db), s->name, s->sql, s->nparams, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      set_err(db, r);
      PQclear(r);
      free(s->sql);
      free(s->params);
      free(s->numbuf);
      free(s);
      return NULL;
    }
    PQclear(r);
    if (keep) {
      pg->kept[pg->n_kept].sql = xstrdup(s->sql);
      snprintf(pg->kept[pg->n_kept].name, sizeof pg->kept[pg->n_kept].name, "%s", s->name);
      pg->n_kept++;
      s->kept = 1;
    }
  }
  return s;
}

static void forget_kept(struct pg *pg) {
  for (int i = 0; i < pg->n_kept; i++) free(pg->kept[i].sql);
  pg->n_kept = 0;
}

static void clear_result(struct db_stmt *s);

static void name_lookup(struct pg *pg, struct lookup *l) {
  snprintf(l->name, sizeof l->name, "bereik_lookup_%ld", pg->lookup_names++);
  l->prepared = 0;
}

static struct db_stmt *p_prepare_lookup(struct db *db, const char *sql) {
  struct pg *pg = db->impl;
  struct db_stmt *s = p_prepare(db, sql);
  if (!s || !s->returns_rows || !starts_with_word(sql, "SELECT")) return s;
  int i = 0;
  while (i < pg->n_lookups && strcmp(pg->lookups[i].sql, s->sql)) i++;
  if (i == pg->n_lookups) {
    if (i == LOOKUPS_MAX) return s; /* read as any SELECT */
    pg->lookups[i].sql = xstrdup(s->sql);
    name_lookup(pg, &pg->lookups[i]);
    pg->n_lookups++;
  }
  s->lookup = i + 1;
  return s;
}

/* A read whose whole result comes in one answer: after what waits to be sent (the
   service, BEGIN, CLOSEs, pipelined writes), in one pipeline. L: a lookup, prepared the
   first time in the same pipeline and executed by its name; NULL: the text is sent. */
static int read_whole(struct db_stmt *s, struct lookup *l) {
  struct db *db = s->db;
  struct pg *pg = db->impl;
  PGconn *c = pg->conn;
  if (send_pending(db) != DB_OK || enter_pipeline(db) != DB_OK) return DB_ERROR;
  int index = pg->pending, ok = 1;
  if (l && !l->prepared) {
    ok = PQsendPrepare(c, l->name, s->sql, s->nparams, NULL) == 1;
    index++;
  }
  const char *const *params = (const char *const *)s->params;
  ok = ok && (l ? PQsendQueryPrepared(c, l->name, s->nparams, params, NULL, NULL, 0)
                : PQsendQueryParams(c, s->sql, s->nparams, NULL, params, NULL, NULL, 0)) == 1;
  clear_result(s);
  if (!ok) {
    set_err(db, NULL);
    pg->failed = 1;
  }
  int rc = read_pipeline(db, index, &s->res);
  if (rc == DB_OK && !s->res) { /* cannot happen: a SELECT gives rows */
    snprintf(db->errmsg, sizeof db->errmsg, "%s", "a read gave no rows result");
    rc = DB_ERROR;
  }
  if (rc != DB_OK) {
    clear_result(s);
    if (l && !l->prepared) name_lookup(pg, l);
    return DB_ERROR;
  }
  if (l) l->prepared = 1;
  s->nrows = PQntuples(s->res);
  s->row = -1;
  return DB_OK;
}

static void param(struct db_stmt *s, int i, char *v) {
  if (i >= 1 && i <= s->nparams) s->params[i - 1] = v;
}
static void p_bind_int64(struct db_stmt *s, int i, int64_t v) {
  if (i < 1 || i > s->nparams) return;
  snprintf(s->numbuf[i - 1], 32, "%lld", (long long)v);
  param(s, i, s->numbuf[i - 1]);
}
static void p_bind_double(struct db_stmt *s, int i, double v) {
  if (i < 1 || i > s->nparams) return;
  snprintf(s->numbuf[i - 1], 32, "%.17g", v);
  param(s, i, s->numbuf[i - 1]);
}
static void p_bind_text(struct db_stmt *s, int i, const char *v) { param(s, i, (char *)v); }
static void p_bind_null(struct db_stmt *s, int i) { param(s, i, NULL); }

static void clear_result(struct db_stmt *s) {
  if (s->res) PQclear(s->res);
  s->res = NULL;
  s->row = s->nrows = 0;
}

/* The CLOSE goes with the next statement (or not at all: the transaction's end closes
   the cursor). The statement's next DECLARE of the same name follows it. */
static void close_cursor(struct db_stmt *s) {
  if (!s->cursor_open) return;
  struct pg *pg = s->db->impl;
  s->cursor_open = 0;
  if (!pg->in_tx) return;
  if (pg->n_closes == pg->cap_closes) {
    pg->cap_closes = pg->cap_closes ? 2 * pg->cap_closes : 8;
    pg->closes = xrealloc(pg->closes, sizeof *pg->closes * (size_t)pg->cap_closes);
  }
  char sql[64];
  snprintf(sql, sizeof sql, "CLOSE %s", s->name);
  pg->closes[pg->n_closes++] = xstrdup(sql);
}

static int fetch_batch(struct db_stmt *s) {
  char sql[80];
  snprintf(sql, sizeof sql, "FETCH FORWARD %d FROM %s", FETCH_ROWS, s->name);
  clear_result(s);
  if (flush(s->db) != DB_OK) return DB_ERROR;
  s->res = PQexec(C(s->db), sql);
  if (PQresultStatus(s->res) != PGRES_TUPLES_OK) {
    set_err(s->db, s->res);
    return DB_ERROR;
  }
  s->nrows = PQntuples(s->res);
  s->row = -1;
  return DB_OK;
}

/* DECLARE of the cursor and its first FETCH, after whatever waits to be sent, in one
   pipeline: one round trip. Errors as flush reports them (the first one). */
static int declare_and_fetch(struct db_stmt *s) {
  struct db *db = s->db;
  struct pg *pg = db->impl;
  PGconn *c = pg->conn;
  if (send_pending(db) != DB_OK || enter_pipeline(db) != DB_OK) return DB_ERROR;
  int before = pg->pending;
  struct buf q = {0};
  buf_printf(&q, "DECLARE %s NO SCROLL CURSOR FOR %s", s->name, s->sql);
  int ok =
      PQsendQueryParams(c, buf_str(&q), s->nparams, NULL, (const char *const *)s->params, NULL, NULL, 0) == 1;
  buf_free(&q);
  char f[80];
  snprintf(f, sizeof f, "FETCH FORWARD %d FROM %s", FETCH_ROWS, s->name);
  ok = ok && PQsendQueryParams(c, f, 0, NULL, NULL, NULL, NULL, 0) == 1;
  clear_result(s);
  if (!ok) {
    set_err(db, NULL);
    pg->failed = 1;
  }
  /* results in order: the `before` statements sent earlier, the DECLARE, the FETCH */
  if (read_pipeline(db, before + 1, &s->res) != DB_OK || !s->res) {
    clear_result(s);
    if (!pg->failed) { /* cannot happen: the FETCH gave no rows result */
      snprintf(db->errmsg, sizeof db->errmsg, "FETCH from %s gave no result", s->name);
      pg->failed = 1;
    }
    return DB_ERROR;
  }
  s->cursor_open = 1;
  s->nrows = PQntuples(s->res);
  s->row = -1;
  return DB_OK;
}

static void finish(struct db_stmt *s) {
  close_cursor(s);
  clear_result(s);
  s->executed = 0;
}

static int p_step(struct db_stmt *s) {
  PGconn *c = C(s->db);
  struct pg *pg = s->db->impl;
  if (!s->executed && pg->in_tx && !s->returns_rows) {
    /* a write inside a transaction: send it in the pipeline, read its result later */
    if (pg->failed || send_pending(s->db) != DB_OK || enter_pipeline(s->db) != DB_OK) return DB_ERROR;
    if (PQsendQueryPrepared(c, s->name, s->nparams, (const char *const *)s->params, NULL, NULL, 0) != 1) {
      set_err(s->db, NULL);
      pg->failed = 1;
      return DB_ERROR;
    }
    if (++pg->pending >= PIPELINE_MAX && flush(s->db) != DB_OK) return DB_ERROR;
    return DB_DONE;
  }
  if (!s->executed && s->lookup) {
    if (pg->failed || read_whole(s, &pg->lookups[s->lookup - 1]) != DB_OK) return DB_ERROR;
    s->executed = 1;
  }
  if (!s->executed) {
    /* a read in a transaction sends what waits (writes, BEGIN, CLOSEs) with its own */
    int pipelined_read = (pg->in_tx || pg->service_pending) &&
                         (starts_with_word(s->sql, "SELECT") || starts_with_word(s->sql, "WITH"));
    if (!pipelined_read && flush(s->db) != DB_OK) return DB_ERROR;
    if (pipelined_read && pg->failed) return DB_ERROR;
    s->executed = 1;
    clear_result(s);
    int in_tx = pg->in_tx;
    if (starts_with_word(s->sql, "SELECT") || starts_with_word(s->sql, "WITH")) {
      if (in_tx) {
        if (declare_and_fetch(s) != DB_OK) {
          s->executed = 0;
          return DB_ERROR;
        }
      } else if (pipelined_read) {
        if (read_whole(s, NULL) != DB_OK) {
          finish(s);
          return DB_ERROR;
        }
      } else {
        s->res = PQexecParams(c, s->sql, s->nparams, NULL, (const char *const *)s->params, NULL, NULL, 0);
        if (PQresultStatus(s->res) != PGRES_TUPLES_OK) {
          set_err(s->db, s->res);
          finish(s);
          return DB_ERROR;
        }
        s->nrows = PQntuples(s->res);
        s->row = -1;
      }
    } else {
      s->res = PQexecPrepared(c, s->name, s->nparams, (const char *const *)s->params, NULL, NULL, 0);
      ExecStatusType st = PQresultStatus(s->res);
      if (!ok_status(st)) {
        set_err(s->db, s->res);
        finish(s);
        return DB_ERROR;
      }
      s->nrows = st == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
      s->row = -1;
    }
  }
  s->row++;
  if (s->row < s->nrows) return DB_ROW;
  if (s->cursor_open && s->nrows == FETCH_ROWS) {
    if (fetch_batch(s) != DB_OK) {
      finish(s);
      return DB_ERROR;
    }
    s->row = 0;
    if (s->nrows > 0) return DB_ROW;
  }
  finish(s);
  return DB_DONE;
}

static void p_reset(struct db_stmt *s) {
  finish(s);
  for (int i = 0; i < s->nparams; i++) s->params[i] = NULL;
}

static void p_finalize(struct db_stmt *s) {
  finish(s);
  /* a SELECT was never prepared on the server (its cursor's CLOSE, if any, waits) */
  int prepared = !s->kept && !starts_with_word(s->sql, "SELECT") && !starts_with_word(s->sql, "WITH");
  if (prepared) flush(s->db);
  if (prepared && PQstatus(C(s->db)) == CONNECTION_OK && PQtransactionStatus(C(s->db)) != PQTRANS_INERROR) {
    char sql[64];
    snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
    PQclear(PQexec(C(s->db), sql));
  }
  free(s->sql);
  free(s->params);
  free(s->numbuf);
  free(s);
}

static const char *value(struct db_stmt *s, int c) {
  if (!s->res || s->row < 0 || s->row >= s->nrows || c >= PQnfields(s->res)) return NULL;
  if (PQgetisnull(s->res, s->row, c)) return NULL;
  return PQgetvalue(s->res, s->row, c);
}
static int64_t p_col_int64(struct db_stmt *s, int c) {
  const char *v = value(s, c);
  if (!v) return 0;
  /* an integer column's text: [-]digits, read here for up to 18 digits (below 2^63);
     anything else as strtoll reads it */
  const char *p = v + (*v == '-');
  uint64_t x = 0;
  int n = 0;
  for (; n < 18 && p[n] >= '0' && p[n] <= '9'; n++) x = x * 10 + (uint64_t)(p[n] - '0');
  if (n == 0 || p[n]) return strtoll(v, NULL, 10);
  return *v == '-' ? -(int64_t)x : (int64_t)x;
}
static double p_col_double(struct db_stmt *s, int c) {
  const char *v = value(s, c);
  return v ? strtod(v, NULL) : 0;
}
static const char *p_col_text(struct db_stmt *s, int c) { return value(s, c); }
static int p_col_is_null(struct db_stmt *s, int c) { return value(s, c) == NULL; }

/* Ends the transaction: COMMIT or ROLLBACK after the pipelined statements are flushed.
   A failed flush fails a COMMIT (the caller rolls back); a ROLLBACK goes on regardless. */
static int p_end(struct db *db, const char *sql) {
  struct pg *pg = db->impl;
  drop_closes(pg);         /* the end closes the cursors */
  if (pg->begin_pending) { /* nothing was sent: no transaction to end */
    pg->begin_pending = 0;
    pg->read_only = 0;
    int rc = flush(db);
    pg->in_tx = 0;
    pg->failed = 0;
    return rc;
  }
  if (pg->read_only && !pg->failed) {
    /* a read transaction changed nothing: its end is sent, and its answer read with the
       connection's next statement (the request does not wait for it) */
    int ok = enter_pipeline(db) == DB_OK &&
             PQsendQueryParams(pg->conn, sql, 0, NULL, NULL, NULL, NULL, 0) == 1 &&
             PQpipelineSync(pg->conn) == 1;
    pg->pending++;
    pg->syncs++;
    pg->in_tx = 0;
    pg->read_only = 0;
    if (ok) return DB_OK;
    set_err(db, NULL);
    pg->service_set = -1;
    return DB_ERROR;
  }
  pg->read_only = 0;
  if (flush(db) != DB_OK && !strcmp(sql, "COMMIT")) return DB_ERROR;
  pg->in_tx = 0;
  pg->failed = 0;
  PGresult *r = PQexec(C(db), sql);
  int ok = ok_status(PQresultStatus(r));
  if (!ok) set_err(db, r);
  PQclear(r);
  return ok ? DB_OK : DB_ERROR;
}
static int p_commit(struct db *db) { return p_end(db, "COMMIT"); }
static int p_rollback(struct db *db) { return p_end(db, "ROLLBACK"); }

static int p_begin(struct db *db, const char *sql) {
  struct pg *pg = db->impl;
  int rc = p_exec(db, sql);
  pg->in_tx = 1;
  if (rc != DB_OK) {
    /* e.g. the lock wait reached statement_timeout: leave no aborted transaction
       behind, as a failed BEGIN IMMEDIATE leaves none on SQLite */
    char msg[sizeof db->errmsg];
    int kind = db->error_kind;
    memcpy(msg, db->errmsg, sizeof msg);
    p_rollback(db);
    memcpy(db->errmsg, msg, sizeof msg);
    db->error_kind = kind;
  }
  return rc;
}

static int p_begin_write(struct db *db) {
  ((struct pg *)db->impl)->read_only = 0;
  char sql[96];
  /* writers of one service wait for each other, not for other services' */
  snprintf(sql, sizeof sql, "BEGIN; SELECT pg_advisory_xact_lock(%lld)",
           WRITE_LOCK_KEY + (long long)db->service);
  return p_begin(db, sql);
}

/* The BEGIN is sent with the transaction's first statement (REPEATABLE READ takes its
   snapshot at the first statement either way). */
static int p_begin_read(struct db *db) {
  struct pg *pg = db->impl;
  if (pg->in_tx) return p_begin(db, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  pg->in_tx = 1;
  pg->begin_pending = 1;
  pg->read_only = 1;
  return DB_OK;
}

static void p_ids_assigned(struct db *db, const char *table) {
  /* explicit ids were inserted: move the identity past them, never back (the rows of
     other services, which this connection does not see, have ids of the same sequence) */
  char sql[512];
  snprintf(sql, sizeof sql,
           "SELECT setval(pg_get_serial_sequence('%s', 'id'), GREATEST((SELECT MAX(id) FROM %s), "
           "pg_sequence_last_value(pg_get_serial_sequence('%s', 'id')::regclass))) "
           "WHERE EXISTS (SELECT 1 FROM %s)",
           table, table, table, table);
  p_exec(db, sql);
}

/* statement_timeout counts lock waits too (the writers' advisory lock); it is set again
   after a reconnection */
static void apply_timeout(struct db *db) {
  char sql[64];
  snprintf(sql, sizeof sql, "SET statement_timeout = %d", db->query_timeout_ms);
  PQclear(PQexec(C(db), sql));
}

static void p_set_query_timeout(struct db *db, int ms) {
  (void)ms;
  flush(db);
  apply_timeout(db);
}

static void p_reconnect_if_lost(struct db *db) {
  struct pg *pg = db->impl;
  if (PQstatus(pg->conn) != CONNECTION_BAD) return;
  PQreset(pg->conn);
  pg->in_tx = pg->pipelined = pg->pending = pg->failed = pg->begin_pending = pg->syncs = pg->read_only = 0;
  pg->service_pending = 0;
  for (int i = 0; i < pg->n_lookups; i++) name_lookup(pg, &pg->lookups[i]); /* a new session */
  forget_kept(pg);
  drop_closes(pg);
  pg->service_set = 0;
  if (PQstatus(pg->conn) == CONNECTION_OK) {
    PQclear(PQexec(pg->conn, "SET client_min_messages = warning; SET extra_float_digits = 1; "
                             "SET client_encoding = 'UTF8'"));
    if (db->query_timeout_ms) apply_timeout(db);
  }
}

static void p_close(struct db *db) {
  struct pg *pg = db->impl;
  drop_closes(pg);
  pg->begin_pending = 0;
  flush(db);
  free(pg->closes);
  for (int i = 0; i < pg->n_lookups; i++) free(pg->lookups[i].sql);
  forget_kept(pg);
  PQfinish(C(db));
  free(db->impl);
  free(db);
}

static int copy_direct(struct db *db, const char *target, const char *data, size_t len);

/* COPY FROM is refused on a table with row-level security for a role held to it: the rows
   go into a temporary table of the same columns (no policies), then by one INSERT ...
   SELECT into the table, where the policies check them and service_id gets its default. */
static int p_copy_in(struct db *db, const char *target, const char *data, size_t len) {
  struct pg *pg = db->impl;
  if (pg->bypass_rls) return copy_direct(db, target, data, len);
  if (flush(db) != DB_OK) return DB_ERROR;
  size_t tn = strcspn(target, " (");
  const char *open = strchr(target, '('), *close = strrchr(target, ')');
  if (tn == 0 || tn > 60 || !open || !close || close < open) {
    snprintf(db->errmsg, sizeof db->errmsg, "copy target '%s': expected \"table (col, ...)\"", target);
    return DB_ERROR;
  }
  struct buf stage = {0}, q = {0};
  buf_printf(&stage, "bereik_stage_%.*s", (int)tn, target);
  buf_printf(&q, "CREATE TEMP TABLE IF NOT EXISTS %s AS SELECT %.*s FROM %.*s WITH NO DATA; TRUNCATE %s",
             buf_str(&stage), (int)(close - open - 1), open + 1, (int)tn, target, buf_str(&stage));
  int rc = p_exec(db, buf_str(&q));
  buf_reset(&q);
  buf_printf(&q, "%s %s", buf_str(&stage), open);
  if (rc == DB_OK) rc = copy_direct(db, buf_str(&q), data, len);
  buf_reset(&q);
  buf_printf(&q, "INSERT INTO %s SELECT %.*s FROM %s", target, (int)(close - open - 1), open + 1,
             buf_str(&stage));
  if (rc == DB_OK) rc = p_exec(db, buf_str(&q));
  if (rc != DB_OK) pg->failed = 1;
  buf_free(&q);
  buf_free(&stage);
  return rc;
}

static int copy_direct(struct db *db, const char *target, const char *data, size_t len) {
  PGconn *c = C(db);
  if (flush(db) != DB_OK) return DB_ERROR;
  struct buf q = {0};
  buf_printf(&q, "COPY %s FROM STDIN", target);
  PGresult *r = PQexec(c, buf_str(&q));
  buf_free(&q);
  if (PQresultStatus(r) != PGRES_COPY_IN) {
    set_err(db, r);
    PQclear(r);
    return DB_ERROR;
  }
  PQclear(r);
  int ok = 1;
  for (size_t at = 0; at < len && ok;) {
    size_t n = len - at < (1u << 20) ? len - at : (1u << 20);
    ok = PQputCopyData(c, data + at, (int)n) == 1;
    at += n;
  }
  if (PQputCopyEnd(c, ok ? NULL : "the client stopped sending") != 1) ok = 0;
  int rc = ok ? DB_OK : DB_ERROR;
  if (!ok) set_err(db, NULL);
  while ((r = PQgetResult(c))) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == DB_OK) {
      set_err(db, r);
      rc = DB_ERROR;
    }
    PQclear(r);
  }
  if (rc != DB_OK) ((struct pg *)db->impl)->failed = 1;
  return rc;
}

/* The service the row-level security policies (migration 014) let this connection see:
   the setting bereik.service, for the connection's session (the server gives a pooled
   connection to one request at a time and sets its service before the first statement;
   the command line sets it once). 0 clears it: then no service-owned row is visible. */
static int p_set_service(struct db *db, int64_t service) {
  struct pg *pg = db->impl;
  if (!pg->in_tx) { /* sent with the next statement (send_pending) */
    pg->service_want = service;
    pg->service_pending = !(pg->service_set == service && service);
    return DB_OK;
  }
  if (flush(db) != DB_OK) return DB_ERROR;
  if (pg->service_set == service && service) return DB_OK;
  char val[32] = "";
  if (service > 0) snprintf(val, sizeof val, "%lld", (long long)service);
  const char *params[1] = {val};
  PGresult *r = PQexecParams(pg->conn, "SELECT set_config('bereik.service', $1, false)", 1, NULL, params,
                             NULL, NULL, 0);
  int ok = ok_status(PQresultStatus(r));
  if (!ok) set_err(db, r);
  PQclear(r);
  pg->service_set = ok ? service : -1;
  return ok ? DB_OK : DB_ERROR;
}

static int p_in_transaction(struct db *db) {
  struct pg *pg = db->impl;
  /* in pipeline mode libpq knows the state only as of the last result read (an ended
     read transaction's answer may still be on its way) */
  if (pg->pipelined) return pg->in_tx || pg->begin_pending;
  return pg->begin_pending || PQtransactionStatus(C(db)) != PQTRANS_IDLE;
}

static const struct db_ops pg_ops = {
    .name = "postgresql",
    .exec = p_exec,
    .prepare = p_prepare,
    .prepare_lookup = p_prepare_lookup,
    .bind_int64 = p_bind_int64,
    .bind_double = p_bind_double,
    .bind_text = p_bind_text,
    .bind_null = p_bind_null,
    .step = p_step,
    .reset = p_reset,
    .finalize = p_finalize,
    .col_int64 = p_col_int64,
    .col_double = p_col_double,
    .col_text = p_col_text,
    .col_is_null = p_col_is_null,
    .begin_write = p_begin_write,
    .begin_read = p_begin_read,
    .commit = p_commit,
    .rollback = p_rollback,
    .in_transaction = p_in_transaction,
    .bulk_hint = NULL,
    .ids_assigned = p_ids_assigned,
    .reconnect_if_lost = p_reconnect_if_lost,
    .set_query_timeout = p_set_query_timeout,
    .close = p_close,
    .copy_in = p_copy_in,
    .set_service = p_set_service,
};

struct db *db_pg_open(const char *uri, char *err, size_t errlen) {
  PGconn *c = PQconnectdb(uri);
  if (PQstatus(c) != CONNECTION_OK) {
    /* the URI may hold a password: show it without */
    char shown[256];
    const char *at = strchr(uri, '@'), *scheme = strstr(uri, "://");
    if (at && scheme && scheme < at)
      snprintf(shown, sizeof shown, "%.*s://...%s", (int)(scheme - uri), uri, at);
    else
      snprintf(shown, sizeof shown, "%s", uri);
    snprintf(err, errlen, "cannot connect to %s: %s", shown, PQerrorMessage(c));
    size_t n = strlen(err);
    while (n && err[n - 1] == '\n') err[--n] = 0;
    PQfinish(c);
    return NULL;
  }
  PQclear(PQexec(c, "SET client_min_messages = warning; SET extra_float_digits = 1; "
                    "SET client_encoding = 'UTF8'"));
  struct db *db = xcalloc(1, sizeof *db);
  struct pg *pg = xcalloc(1, sizeof *pg);
  pg->conn = c;
  db->ops = &pg_ops;
  db->impl = pg;
  PGresult *r = PQexec(c, "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user");
  pg->bypass_rls = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
  PQclear(r);
  return db;
}
