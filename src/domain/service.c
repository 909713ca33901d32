/* SPDX-License-Identifier: EUPL-1.2 */
#include "domain/service.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/dates.h"
#include "core/util.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/aggregate.h"
#include "domain/audit.h"
#include "domain/bounds.h"

static int bypass_refused(struct db *db, char *err, size_t errlen);

int service_code_ok(const char *code) {
  size_t n = strlen(code);
  if (n < 1 || n > SERVICE_CODE_MAX || code[0] == '-') return 0;
  for (const char *p = code; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) return 0;
  return 1;
}

int service_host_ok(const char *host) {
  size_t n = strlen(host);
  if (n < 1 || n > SERVICE_HOST_MAX) return 0;
  for (const char *p = host; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.')) return 0;
  return 1;
}

static int name_ok(const char *name) {
  size_t chars = 0;
  return *name && bounds_text(name, SERVICE_NAME_MAX, 0, &chars) == 0;
}

static const char *const SELECT_SERVICE = "SELECT id, code, name, COALESCE(host, ''), alias, status, share, "
                                          "CASE WHEN platform THEN 1 ELSE 0 END FROM service";

static void read_row(struct db_stmt *st, struct service *s) {
  memset(s, 0, sizeof *s);
  s->id = db_col_int64(st, 0);
  snprintf(s->code, sizeof s->code, "%s", db_col_text(st, 1));
  snprintf(s->name, sizeof s->name, "%s", db_col_text(st, 2));
  snprintf(s->host, sizeof s->host, "%s", db_col_text(st, 3));
  snprintf(s->alias, sizeof s->alias, "%s", db_col_text(st, 4));
  s->suspended = !strcmp(db_col_text(st, 5), "suspended");
  const char *sh = db_col_text(st, 6);
  s->share = !strcmp(sh, "named") ? SHARE_NAMED : !strcmp(sh, "anonymous") ? SHARE_ANONYMOUS : SHARE_NONE;
  s->platform = (int)db_col_int64(st, 7);
}

int service_list(struct db *db, struct service **out, int *n) {
  *out = NULL;
  *n = 0;
  if (!db_has_services(db)) return 0;
  struct buf sql = {0};
  buf_printf(&sql, "%s ORDER BY code", SELECT_SERVICE);
  struct db_stmt *st = db_prepare(db, buf_str(&sql));
  buf_free(&sql);
  if (!st) return -1;
  int s;
  while ((s = db_step(st)) == DB_ROW) {
    *out = xrealloc(*out, (size_t)(*n + 1) * sizeof **out);
    read_row(st, &(*out)[(*n)++]);
  }
  db_finalize(st);
  if (s != DB_DONE) {
    free(*out);
    *out = NULL;
    *n = 0;
    return -1;
  }
  return 0;
}

int service_get(struct db *db, const char *code, int64_t id, struct service *out) {
  if (!db_has_services(db)) return 0;
  struct buf sql = {0};
  buf_printf(&sql, "%s WHERE %s = ?", SELECT_SERVICE, code ? "code" : "id");
  struct db_stmt *st = db_prepare(db, buf_str(&sql));
  buf_free(&sql);
  if (!st) return -1;
  if (code)
    db_bind_text(st, 1, code);
  else
    db_bind_int64(st, 1, id);
  int s = db_step(st);
  if (s == DB_ROW) read_row(st, out);
  db_finalize(st);
  return s == DB_ROW ? 1 : s == DB_DONE ? 0 : -1;
}

/* The letters a service is shown under when it shares anonymously: A, B, ..., Z, AA, ... */
static void alias_of(int64_t k, char *out, size_t n) {
  char tmp[16];
  int len = 0;
  for (k = k > 0 ? k : 1; k > 0 && len < 15; k = (k - 1) / 26) tmp[len++] = (char)('A' + (k - 1) % 26);
  size_t j = 0;
  while (len > 0 && j + 1 < n) out[j++] = tmp[--len];
  out[j] = 0;
}

/* Runs every INSERT of the migrations for every engine, in order: what a new database
   gets (the revision tokens, the standard questionnaires, the holidays, the aggregates'
   state), now for the connection's service. */
static int seed(struct db *db, char *err, size_t errlen) {
  for (int i = 0; i < migration_count; i++) {
    if (migrations[i].engine[0]) continue;
    const char *p = migrations[i].sql;
    while (*p) {
      const char *end = strstr(p, ";\n");
      size_t len = end ? (size_t)(end - p) : strlen(p);
      const char *q = p;
      /* skip blank lines and comment lines before the statement */
      while (q < p + len && (*q == '\n' || *q == ' ' || !strncmp(q, "--", 2))) {
        if (*q == '-') {
          const char *nl = strchr(q, '\n');
          q = nl ? nl : p + len;
        }
        q++;
      }
      if (q < p + len && !strncmp(q, "INSERT INTO", 11)) {
        char *stmt = xstrndup(q, (size_t)(p + len - q));
        int rc = db_exec(db, stmt);
        free(stmt);
        if (rc != DB_OK) {
          snprintf(err, errlen, "seeding the new service (migration %d): %s", migrations[i].version,
                   db_errmsg(db));
          return -1;
        }
      }
      p += len;
      if (*p) p += 2;
    }
  }
  /* a new service has no registrations: its (empty) aggregates hold every measure */
  if (db_exec(db, "UPDATE agg_state SET valid = " AGG_STATE_VALID_SQL " WHERE valid = 1") != DB_OK) {
    snprintf(err, errlen, "seeding the new service (aggregates): %s", db_errmsg(db));
    return -1;
  }
  return 0;
}

/* Checks and adds the row of a new service: directly (the owner) or through
   bereik_platform_add (a platform service's admin, as the application role). */
static int add_row(struct db *db, const char *code, const char *name, const char *host, int platform,
                   int64_t *id, char *err, size_t errlen) {
  if (!db_has_services(db)) {
    snprintf(err, errlen, "a SQLite database holds one service; several services need PostgreSQL");
    return -1;
  }
  if (!service_code_ok(code)) {
    snprintf(err, errlen, "service code '%s': use 1 to 32 of a-z, 0-9 and '-' (not first)", code);
    return -1;
  }
  if (!name_ok(name)) {
    snprintf(err, errlen, "service name: 1 to %d characters of UTF-8 text on one line", SERVICE_NAME_MAX);
    return -1;
  }
  if (host && *host && !service_host_ok(host)) {
    snprintf(err, errlen, "host '%s': a host name in lower case (a-z, 0-9, '.', '-')", host);
    return -1;
  }
  if (bypass_refused(db, err, errlen)) return -1;
  struct service other;
  int found = service_get(db, code, 0, &other);
  if (found != 0) {
    snprintf(err, errlen, found > 0 ? "service code '%s' is taken" : "reading the services: %s",
             found > 0 ? code : db_errmsg(db));
    return -1;
  }
  int64_t next = db_query_int(db, "SELECT COALESCE(MAX(id), 0) + 1 FROM service", 1);
  char alias[16];
  alias_of(next, alias, sizeof alias);
  struct db_stmt *st =
      db_prepare(db, platform ? "SELECT bereik_platform_add(?, ?, ?, ?)"
                              : "INSERT INTO service (code, name, host, alias, created_at) VALUES "
                                "(?, ?, ?, ?, to_char(now() AT TIME ZONE 'UTC', "
                                "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) RETURNING id");
  if (!st) {
    snprintf(err, errlen, "adding the service: %s", db_errmsg(db));
    return -1;
  }
  db_bind_text(st, 1, code);
  db_bind_text(st, 2, name);
  db_bind_text(st, 3, host && *host ? host : platform ? "" : NULL);
  db_bind_text(st, 4, alias);
  int s = db_step(st);
  if (s == DB_ROW) *id = db_col_int64(st, 0);
  db_finalize(st);
  if (s != DB_ROW) {
    if (db_error_kind(db) == DB_ERR_CONSTRAINT)
      snprintf(err, errlen, "host '%s' belongs to another service", host ? host : "");
    else
      snprintf(err, errlen, "adding the service: %s", db_errmsg(db));
    return -1;
  }
  return 0;
}

int service_add(struct db *db, const char *code, const char *name, const char *host, int64_t *id, char *err,
                size_t errlen) {
  if (add_row(db, code, name, host, 0, id, err, errlen) != 0) return -1;
  if (db_set_service(db, *id) != DB_OK) {
    snprintf(err, errlen, "setting the service: %s", db_errmsg(db));
    return -1;
  }
  return seed(db, err, errlen);
}

int service_platform_add(struct db *db, const char *code, const char *name, const char *host,
                         const char *actor, int64_t now, char *err, size_t errlen) {
  int64_t me = db_service(db), id = 0;
  if (db_begin_write_quiet(db) != DB_OK) {
    snprintf(err, errlen, "%s", db_errmsg(db));
    return -1;
  }
  int rc = add_row(db, code, name, host, 1, &id, err, errlen);
  /* the new service's first rows, then back to the platform service for its audit entry */
  if (rc == 0 && db_set_service(db, id) != DB_OK) rc = -1;
  if (rc == 0) rc = seed(db, err, errlen);
  if (db_set_service(db, me) != DB_OK) rc = -1;
  if (rc == 0 && audit_write(db, now, actor, "create", "service", code, NULL, NULL, NULL) != 0) rc = -1;
  if (rc != 0 || db_commit(db) != DB_OK) {
    if (!err[0]) snprintf(err, errlen, "adding the service: %s", db_errmsg(db));
    db_rollback(db);
    db_set_service(db, me);
    return -1;
  }
  service_cache_reset();
  return 0;
}

int service_platform_status(struct db *db, const char *code, int suspended, const char *actor, int64_t now,
                            char *err, size_t errlen) {
  if (db_begin_write_quiet(db) != DB_OK) {
    snprintf(err, errlen, "%s", db_errmsg(db));
    return -1;
  }
  struct db_stmt *st = db_prepare(db, "SELECT bereik_platform_status(?, ?)");
  int64_t n = -1;
  if (st) {
    db_bind_text(st, 1, code);
    db_bind_text(st, 2, suspended ? "suspended" : "active");
    if (db_step(st) == DB_ROW) n = db_col_int64(st, 0);
  }
  db_finalize(st);
  char detail[64];
  snprintf(detail, sizeof detail, "{\"status\":\"%s\"}", suspended ? "suspended" : "active");
  int ok = n == 1 && audit_write(db, now, actor, "update", "service", code, NULL, NULL, detail) == 0;
  if (!ok || db_commit(db) != DB_OK) {
    snprintf(err, errlen, n == 0 ? "no other service with code '%s'" : "changing the service: %s",
             n == 0 ? code : db_errmsg(db));
    db_rollback(db);
    return -1;
  }
  service_cache_reset();
  return 0;
}

int service_update(struct db *db, const char *code, const char *name, const char *host, int suspended,
                   int platform, const char *actor, int64_t now, char *err, size_t errlen) {
  struct service was;
  int found = service_get(db, code, 0, &was);
  if (found <= 0) {
    snprintf(err, errlen, found ? "reading the services: %s" : "no service with code '%s'",
             found ? db_errmsg(db) : code);
    return -1;
  }
  if (name) {
    if (!name_ok(name)) {
      snprintf(err, errlen, "service name: 1 to %d characters of UTF-8 text on one line", SERVICE_NAME_MAX);
      return -1;
    }
  }
  if (host && *host && !service_host_ok(host)) {
    snprintf(err, errlen, "host '%s': a host name in lower case (a-z, 0-9, '.', '-')", host);
    return -1;
  }
  if (db_set_service(db, was.id) != DB_OK || db_begin_write_quiet(db) != DB_OK) {
    snprintf(err, errlen, "%s", db_errmsg(db));
    return -1;
  }
  struct db_stmt *st =
      db_prepare(db, "UPDATE service SET name = ?, host = ?, status = ?, platform = (? = 1) WHERE id = ?");
  int ok = st != NULL;
  if (ok) {
    db_bind_text(st, 1, name ? name : was.name);
    db_bind_text(st, 2, host ? (*host ? host : NULL) : (was.host[0] ? was.host : NULL));
    db_bind_text(st, 3, suspended ? "suspended" : "active");
    db_bind_int64(st, 4, platform < 0 ? was.platform : platform);
    db_bind_int64(st, 5, was.id);
    ok = db_step(st) == DB_DONE;
    if (!ok && db_error_kind(db) == DB_ERR_CONSTRAINT) {
      db_finalize(st);
      db_rollback(db);
      snprintf(err, errlen, "host '%s' belongs to another service", host ? host : "");
      return -1;
    }
  }
  db_finalize(st);
  char detail[512];
  snprintf(detail, sizeof detail, "{\"status\":\"%s\"}", suspended ? "suspended" : "active");
  if (ok) ok = audit_write(db, now, actor, "update", "service", code, NULL, NULL, detail) == 0;
  if (!ok || db_commit(db) != DB_OK) {
    snprintf(err, errlen, "changing the service: %s", db_errmsg(db));
    db_rollback(db);
    return -1;
  }
  service_cache_reset();
  return 0;
}

int service_set_share(struct db *db, int share, const char *actor, int64_t now) {
  static const char *const names[] = {"none", "named", "anonymous"};
  if (share < SHARE_NONE || share > SHARE_ANONYMOUS || !db_has_services(db)) return -1;
  if (db_begin_write_quiet(db) != DB_OK) return -1;
  struct db_stmt *st = db_prepare(db, "UPDATE service SET share = ? WHERE id = ?");
  int ok = st != NULL;
  if (ok) {
    db_bind_text(st, 1, names[share]);
    db_bind_int64(st, 2, db_service(db));
    ok = db_step(st) == DB_DONE;
  }
  db_finalize(st);
  char detail[64];
  snprintf(detail, sizeof detail, "{\"share\":\"%s\"}", names[share]);
  if (ok) ok = audit_write(db, now, actor, "share", "service", NULL, NULL, NULL, detail) == 0;
  /* who stops sharing takes back what it published */
  if (ok && share == SHARE_NONE)
    ok =
        db_exec(db, "DELETE FROM shared_facts WHERE service_id = bereik_current_service()") == DB_OK &&
        db_exec(
            db,
            "UPDATE service SET shared_token = NULL, shared_at = NULL WHERE id = bereik_current_service()") ==
            DB_OK;
  if (!ok || db_commit(db) != DB_OK) {
    db_rollback(db);
    return -1;
  }
  service_cache_reset();
  return 0;
}

int service_count(struct db *db) {
  return db_has_services(db) ? (int)db_query_int(db, "SELECT COUNT(*) FROM service", -1) : 1;
}

int service_rls_bypassed(struct db *db) {
  if (!db_has_services(db)) return 0;
  return (int)db_query_int(db,
                           "SELECT CASE WHEN rolsuper OR rolbypassrls THEN 1 ELSE 0 END FROM pg_roles "
                           "WHERE rolname = current_user",
                           1);
}

/* The refusal when the connection's role is not held to the services' policies. */
static int bypass_refused(struct db *db, char *err, size_t errlen) {
  if (!service_rls_bypassed(db)) return 0;
  snprintf(err, errlen,
           "this database holds several services and the role connecting bypasses row-level security "
           "(a superuser or BYPASSRLS): connect as the installation's owner or application role "
           "(docs/SERVICES.md)");
  return -1;
}

int service_grant(struct db *db, const char *role, char *err, size_t errlen) {
  if (!db_has_services(db)) {
    snprintf(err, errlen, "a SQLite database has no roles");
    return -1;
  }
  for (const char *p = role; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_') || strlen(role) > 63) {
      snprintf(err, errlen, "role '%s': use a-z, 0-9 and '_'", role);
      return -1;
    }
  struct db_stmt *st = db_prepare(db, "SELECT rolsuper OR rolbypassrls, rolname = current_user FROM pg_roles "
                                      "WHERE rolname = ?");
  if (!st) {
    snprintf(err, errlen, "%s", db_errmsg(db));
    return -1;
  }
  db_bind_text(st, 1, role);
  int s = db_step(st), bypass = 0, self = 0;
  if (s == DB_ROW) {
    const char *b = db_col_text(st, 0), *me = db_col_text(st, 1);
    bypass = b && b[0] == 't';
    self = me && me[0] == 't';
  }
  db_finalize(st);
  if (s != DB_ROW) {
    snprintf(err, errlen, "there is no role '%s' (CREATE ROLE %s LOGIN)", role, role);
    return -1;
  }
  if (bypass || self) {
    snprintf(err, errlen,
             bypass
                 ? "role '%s' bypasses row-level security (superuser or BYPASSRLS): the application needs a "
                   "role that does not"
                 : "role '%s' is the owner: the application needs a role of its own",
             role);
    return -1;
  }
  struct buf sql = {0};
  buf_printf(
      &sql,
      "GRANT USAGE ON SCHEMA %1$s TO %2$s; "
      "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %1$s TO %2$s; "
      "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %1$s TO %2$s; "
      "REVOKE INSERT, UPDATE, DELETE ON service, shared_source, schema_version FROM %2$s; "
      "GRANT UPDATE (share, shared_at, shared_token) ON service TO %2$s; "
      "GRANT EXECUTE ON FUNCTION bereik_platform_add(text, text, text, text), bereik_platform_status(text, "
      "text) "
      "TO %2$s; "
      "ALTER DEFAULT PRIVILEGES IN SCHEMA %1$s GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %2$s; "
      "ALTER DEFAULT PRIVILEGES IN SCHEMA %1$s GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %2$s",
      "public", role);
  int rc = db_begin_write_quiet(db) == DB_OK && db_exec(db, buf_str(&sql)) == DB_OK && db_commit(db) == DB_OK
               ? 0
               : -1;
  buf_free(&sql);
  if (rc) {
    snprintf(err, errlen, "granting: %s", db_errmsg(db));
    db_rollback(db);
  }
  return rc;
}

int service_publish(struct db *db, const struct shared_fact *facts, size_t n, int64_t token) {
  if (!db_has_services(db)) return -1;
  if (db_begin_write_quiet(db) != DB_OK) return -1;
  int ok = db_exec(db, "DELETE FROM shared_facts WHERE service_id = bereik_current_service()") == DB_OK;
  struct db_stmt *ins =
      ok ? db_prepare(db, "INSERT INTO shared_facts (service_id, tbl, year, row_key, col, value) "
                          "VALUES (bereik_current_service(), ?, ?, ?, ?, ?)")
         : NULL;
  ok = ins != NULL;
  for (size_t i = 0; ok && i < n; i++) {
    db_bind_text(ins, 1, facts[i].table);
    db_bind_text(ins, 2, facts[i].year);
    db_bind_text(ins, 3, facts[i].row);
    db_bind_text(ins, 4, facts[i].col);
    db_bind_double(ins, 5, facts[i].value);
    ok = db_step(ins) != DB_ERROR;
    db_reset(ins);
  }
  db_finalize(ins);
  struct db_stmt *st =
      ok ? db_prepare(db, "UPDATE service SET shared_token = ?, shared_at = "
                          "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                          "WHERE id = bereik_current_service()")
         : NULL;
  if (st) {
    db_bind_int64(st, 1, token);
    ok = db_step(st) == DB_DONE;
  }
  db_finalize(st);
  if (!ok || db_commit(db) != DB_OK) {
    db_rollback(db);
    return -1;
  }
  return 0;
}

int64_t service_published_token(struct db *db) {
  return db_has_services(db) ? db_query_int(db,
                                            "SELECT COALESCE(shared_token, 0) FROM service "
                                            "WHERE id = bereik_current_service()",
                                            0)
                             : 0;
}

/* The id of the outside contributor name: 1 found, 0 not, -1 error. */
static int source_id(struct db *db, const char *name, int64_t *id) {
  struct db_stmt *st = db_prepare(db, "SELECT id FROM shared_source WHERE name = ?");
  if (!st) return -1;
  db_bind_text(st, 1, name);
  int s = db_step(st);
  if (s == DB_ROW) *id = db_col_int64(st, 0);
  db_finalize(st);
  return s == DB_ROW ? 1 : s == DB_DONE ? 0 : -1;
}

int service_contribute(struct db *db, const char *name, int anonymous, const struct shared_fact *facts,
                       size_t n, char *err, size_t errlen) {
  if (!db_has_services(db)) {
    snprintf(err, errlen, "the comparison needs a PostgreSQL installation");
    return -1;
  }
  if (!name_ok(name)) {
    snprintf(err, errlen, "--name: 1 to %d characters of UTF-8 text on one line", SERVICE_NAME_MAX);
    return -1;
  }
  if (db_set_service(db, 0) != DB_OK || db_begin_write_quiet(db) != DB_OK) {
    snprintf(err, errlen, "%s", db_errmsg(db));
    return -1;
  }
  int64_t id = 0;
  int found = source_id(db, name, &id);
  if (found == 0) id = db_query_int(db, "SELECT LEAST(COALESCE(MIN(id), 0), 0) - 1 FROM shared_source", 0);
  int ok = found >= 0 && id < 0;
  char alias[24];
  snprintf(alias, sizeof alias, "E%lld", (long long)-id);
  struct db_stmt *st =
      ok ? db_prepare(db, "INSERT INTO shared_source (id, name, share, alias, updated_at) VALUES "
                          "(?, ?, ?, ?, to_char(now() AT TIME ZONE 'UTC', "
                          "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) ON CONFLICT ON CONSTRAINT shared_source_pkey "
                          "DO UPDATE SET "
                          "share = excluded.share, updated_at = excluded.updated_at")
         : NULL;
  if (st) {
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, name);
    db_bind_text(st, 3, anonymous ? "anonymous" : "named");
    db_bind_text(st, 4, alias);
    ok = db_step(st) == DB_DONE;
  } else {
    ok = 0;
  }
  db_finalize(st);
  st = NULL;
  if (ok) {
    st = db_prepare(db, "DELETE FROM shared_facts WHERE service_id = ?");
    ok = st != NULL;
    if (ok) {
      db_bind_int64(st, 1, id);
      ok = db_step(st) == DB_DONE;
    }
    db_finalize(st);
  }
  st = ok ? db_prepare(db, "INSERT INTO shared_facts (service_id, tbl, year, row_key, col, value) VALUES "
                           "(?, ?, ?, ?, ?, ?)")
          : NULL;
  for (size_t i = 0; st && ok && i < n; i++) {
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, facts[i].table);
    db_bind_text(st, 3, facts[i].year);
    db_bind_text(st, 4, facts[i].row);
    db_bind_text(st, 5, facts[i].col);
    db_bind_double(st, 6, facts[i].value);
    ok = db_step(st) == DB_DONE;
    db_reset(st);
  }
  db_finalize(st);
  if (!ok || db_commit(db) != DB_OK) {
    snprintf(err, errlen, "%s",
             db_error_kind(db) == DB_ERR_CONSTRAINT ? "a fact appears twice in the file" : db_errmsg(db));
    db_rollback(db);
    return -1;
  }
  return 0;
}

int service_withdraw(struct db *db, const char *name, char *err, size_t errlen) {
  if (!db_has_services(db) || db_set_service(db, 0) != DB_OK || db_begin_write_quiet(db) != DB_OK) {
    snprintf(err, errlen, "%s", db_has_services(db) ? db_errmsg(db) : "the comparison needs PostgreSQL");
    return -1;
  }
  int64_t id = 0;
  int found = source_id(db, name, &id);
  if (found <= 0) {
    snprintf(err, errlen, found == 0 ? "no outside contributor named '%s'" : "%s",
             found == 0 ? name : db_errmsg(db));
    db_rollback(db);
    return -1;
  }
  char sql[160];
  snprintf(sql, sizeof sql,
           "DELETE FROM shared_facts WHERE service_id = %lld; DELETE FROM shared_source WHERE id = %lld",
           (long long)id, (long long)id);
  if (db_exec(db, sql) != DB_OK || db_commit(db) != DB_OK) {
    snprintf(err, errlen, "%s", db_errmsg(db));
    db_rollback(db);
    return -1;
  }
  return 0;
}

int service_choose(struct db *db, const char *code, char *err, size_t errlen) {
  if (!db_has_services(db)) {
    if (code) {
      snprintf(err, errlen, "--service: a SQLite database holds one service");
      return -1;
    }
    return 0;
  }
  struct service *all;
  int n;
  if (service_list(db, &all, &n) != 0) {
    snprintf(err, errlen, "reading the services: %s", db_errmsg(db));
    return -1;
  }
  int64_t id = 0;
  for (int i = 0; i < n; i++)
    if (code ? !strcmp(all[i].code, code) : n == 1) id = all[i].id;
  free(all);
  if (n > 1 && bypass_refused(db, err, errlen)) return -1;
  if (!id) {
    if (code)
      snprintf(err, errlen, "no service with code '%s' (bereik service list)", code);
    else
      snprintf(err, errlen, "this installation holds %d services: say which with --service CODE", n);
    return -1;
  }
  if (db_set_service(db, id) != DB_OK) {
    snprintf(err, errlen, "setting the service: %s", db_errmsg(db));
    return -1;
  }
  return 0;
}

/* ---- the server's host map ---- */

static pthread_mutex_t map_mu = PTHREAD_MUTEX_INITIALIZER;
static struct service *map;
static int map_n;
static int64_t map_read_ms; /* 0: never */
static int map_bypass;      /* several services, and the role bypasses their policies */

static int64_t mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int service_known_platform(int64_t id) {
  pthread_mutex_lock(&map_mu);
  int yes = 0;
  for (int i = 0; i < map_n; i++)
    if (map[i].id == id) yes = map[i].platform;
  pthread_mutex_unlock(&map_mu);
  return yes;
}

int service_known_count(void) {
  pthread_mutex_lock(&map_mu);
  int n = map_n;
  pthread_mutex_unlock(&map_mu);
  return n;
}

void service_cache_reset(void) {
  pthread_mutex_lock(&map_mu);
  map_read_ms = 0;
  pthread_mutex_unlock(&map_mu);
}

int64_t service_for_host(struct db *db, const char *host, int *suspended) {
  *suspended = 0;
  if (!db_has_services(db)) return 1;
  /* the name without port, in lower case */
  char h[SERVICE_HOST_MAX + 1] = "";
  size_t n = 0;
  for (const char *p = host ? host : ""; *p && *p != ':' && n + 1 < sizeof h; p++)
    h[n++] = (char)tolower((unsigned char)*p);
  h[n] = 0;
  pthread_mutex_lock(&map_mu);
  int64_t now = mono_ms();
  if (!map_read_ms || now - map_read_ms >= SERVICE_CACHE_MS) {
    struct service *fresh;
    int nf;
    if (service_list(db, &fresh, &nf) == 0) {
      free(map);
      map = fresh;
      map_n = nf;
      map_read_ms = now;
      map_bypass = nf > 1 && service_rls_bypassed(db);
    }
  }
  int64_t id = 0;
  for (int i = 0; i < map_n && !id; i++)
    if (map[i].host[0] && !strcmp(map[i].host, h)) {
      id = map[i].id;
      *suspended = map[i].suspended;
    }
  if (!id && map_n == 1) {
    id = map[0].id;
    *suspended = map[0].suspended;
  }
  if (map_bypass) { /* it would see every service's rows: answer none */
    id = 0;
    *suspended = -1;
  }
  pthread_mutex_unlock(&map_mu);
  return id;
}
