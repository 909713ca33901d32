/* SPDX-License-Identifier: EUPL-1.2 */
#include "web/auth.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "domain/access.h"

static const char *const role_names[] = {"advisor", "coordinator", "director", "admin"};

const char *role_name(int role) { return role >= 0 && role < ROLE_NONE ? role_names[role] : "none"; }

int parse_role(const char *s) {
  for (int i = 0; i < ROLE_NONE; i++)
    if (s && !strcmp(s, role_names[i])) return i;
  return ROLE_NONE;
}

static void to_hex(const unsigned char *b, size_t n, char *out) { sodium_bin2hex(out, n * 2 + 1, b, n); }

static char *query_text(struct db *db, const char *sql, const char *arg, char *out, size_t n) {
  struct db_stmt *st = db_prepare(db, sql);
  char *r = NULL;
  if (!st) return NULL;
  db_bind_text(st, 1, arg);
  if (db_step(st) == DB_ROW && !db_col_is_null(st, 0)) {
    snprintf(out, n, "%s", db_col_text(st, 0));
    r = out;
  }
  db_finalize(st);
  return r;
}

int installation_set(struct db *db, const char *key, const char *value) {
  struct db_stmt *st = db_prepare(db, "INSERT INTO installation (key, value) VALUES (?, ?) "
                                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  if (!st) return -1;
  db_bind_text(st, 1, key);
  db_bind_text(st, 2, value);
  int rc = db_step(st) == DB_DONE ? 0 : -1;
  db_finalize(st);
  return rc;
}

int installation_flag(struct db *db, const char *key, int dflt) {
  char v[16];
  if (!query_text(db, "SELECT value FROM installation WHERE key = ?", key, v, sizeof v)) return dflt;
  return !strcmp(v, "true");
}

/* The key of the session-id hash: 32 random bytes made once per installation. */
static int server_key(struct db *db, unsigned char key[32]) {
  char hex[65];
  if (!query_text(db, "SELECT value FROM installation WHERE key = ?", "session_key", hex, sizeof hex)) {
    unsigned char k[32];
    randombytes_buf(k, sizeof k);
    to_hex(k, sizeof k, hex);
    struct db_stmt *st = db_prepare(db, "INSERT INTO installation (key, value) VALUES ('session_key', ?) "
                                        "ON CONFLICT (key) DO NOTHING");
    if (!st) return -1;
    db_bind_text(st, 1, hex);
    db_step(st);
    db_finalize(st);
    if (!query_text(db, "SELECT value FROM installation WHERE key = ?", "session_key", hex, sizeof hex))
      return -1;
  }
  return sodium_hex2bin(key, 32, hex, strlen(hex), NULL, NULL, NULL) == 0 ? 0 : -1;
}

static int hash_id(struct db *db, const char *id, char out[65]) {
  unsigned char key[32], h[32];
  if (server_key(db, key) != 0) return -1;
  crypto_generichash(h, sizeof h, (const unsigned char *)id, strlen(id), key, sizeof key);
  to_hex(h, sizeof h, out);
  return 0;
}

int user_add(struct db *db, const char *login, const char *role, const char *advisor_code,
             const char *password, char *err, size_t errlen) {
  if (!login || !*login || strlen(login) > 100) {
    snprintf(err, errlen, "a login of 1 to 100 characters is required");
    return -1;
  }
  if (parse_role(role) == ROLE_NONE) {
    snprintf(err, errlen, "unknown role '%s' (advisor, coordinator, director, admin)", role ? role : "");
    return -1;
  }
  if (!password || strlen(password) < 8) {
    snprintf(err, errlen, "the password must have at least 8 characters");
    return -1;
  }
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    snprintf(err, errlen, "out of memory while hashing the password");
    return -1;
  }
  if (db_begin_write_quiet(db) != DB_OK) {
    snprintf(err, errlen, "%s", db_errmsg(db));
    return -1;
  }
  int64_t advisor_id = 0;
  if (advisor_code && *advisor_code) {
    struct db_stmt *a = db_prepare(db, "SELECT id FROM advisor WHERE code = ?");
    if (a) {
      db_bind_text(a, 1, advisor_code);
      if (db_step(a) == DB_ROW) advisor_id = db_col_int64(a, 0);
      db_finalize(a);
    }
    if (!advisor_id) {
      snprintf(err, errlen, "unknown advisor '%s'", advisor_code);
      db_rollback(db);
      return -1;
    }
  }
  char exists[8];
  if (query_text(db, "SELECT 'x' FROM app_user WHERE login = ?", login, exists, sizeof exists)) {
    snprintf(err, errlen, "the login '%s' exists already", login);
    db_rollback(db);
    return -1;
  }
  char now[32];
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
  struct db_stmt *st =
      db_prepare(db, "INSERT INTO app_user (login, role, advisor_id, password_hash, created_at) "
                     "VALUES (?, ?, ?, ?, ?)");
  int rc = -1;
  if (st) {
    db_bind_text(st, 1, login);
    db_bind_text(st, 2, role);
    if (advisor_id)
      db_bind_int64(st, 3, advisor_id);
    else
      db_bind_null(st, 3);
    db_bind_text(st, 4, hash);
    db_bind_text(st, 5, now);
    rc = db_step(st) == DB_DONE ? 0 : -1;
    db_finalize(st);
  }
  if (rc == 0 && db_commit(db) == DB_OK) return 0;
  snprintf(err, errlen, "%s", db_errmsg(db));
  db_rollback(db);
  return -1;
}

/* Failures of a throttling key in the current window. */
static int failures(struct db *db, const char *key, int64_t now) {
  struct db_stmt *st = db_prepare(db, "SELECT window_start, failures FROM login_attempt WHERE key = ?");
  int n = 0;
  if (!st) return 0;
  db_bind_text(st, 1, key);
  if (db_step(st) == DB_ROW && db_col_int64(st, 0) > now - THROTTLE_WINDOW_SECONDS)
    n = (int)db_col_int64(st, 1);
  db_finalize(st);
  return n;
}

static void record_failure(struct db *db, const char *key, int64_t now) {
  struct db_stmt *st = db_prepare(
      db,
      "INSERT INTO login_attempt (key, window_start, failures) VALUES (?, ?, 1) ON CONFLICT (key) DO UPDATE "
      "SET "
      "failures = CASE WHEN login_attempt.window_start > ? THEN login_attempt.failures + 1 ELSE 1 END, "
      "window_start = CASE WHEN login_attempt.window_start > ? THEN login_attempt.window_start ELSE ? END");
  if (!st) return;
  db_bind_text(st, 1, key);
  db_bind_int64(st, 2, now);
  db_bind_int64(st, 3, now - THROTTLE_WINDOW_SECONDS);
  db_bind_int64(st, 4, now - THROTTLE_WINDOW_SECONDS);
  db_bind_int64(st, 5, now);
  db_step(st);
  db_finalize(st);
}

static void clear_failures(struct db *db, const char *key) {
  struct db_stmt *st = db_prepare(db, "DELETE FROM login_attempt WHERE key = ?");
  if (!st) return;
  db_bind_text(st, 1, key);
  db_step(st);
  db_finalize(st);
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy(void) {
  unsigned char r[16];
  char pw[33];
  randombytes_buf(r, sizeof r);
  to_hex(r, sizeof r, pw);
  if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    dummy_hash[0] = 0;
}

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static void oath_start(void) { oath_init(); }

/* 1 when code is the current TOTP code (or the one just before or after) of the hex secret. */
static int totp_ok(const char *hex_secret, const char *code, int64_t now) {
  unsigned char secret[64];
  size_t len = 0;
  if (!code || strlen(code) != 6) return 0;
  if (sodium_hex2bin(secret, sizeof secret, hex_secret, strlen(hex_secret), NULL, &len, NULL) != 0) return 0;
  pthread_once(&oath_once, oath_start);
  return oath_totp_validate((const char *)secret, len, (time_t)now, 30, 0, 1, code) >= 0;
}

int user_totp_enable(struct db *db, const char *login, char *uri, size_t urilen, char *err, size_t errlen) {
  char exists[8];
  if (!query_text(db, "SELECT 'x' FROM app_user WHERE login = ?", login, exists, sizeof exists)) {
    snprintf(err, errlen, "unknown login '%s'", login);
    return -1;
  }
  unsigned char secret[20];
  char hex[41], *b32 = NULL;
  size_t b32len = 0;
  randombytes_buf(secret, sizeof secret);
  to_hex(secret, sizeof secret, hex);
  pthread_once(&oath_once, oath_start);
  if (oath_base32_encode((const char *)secret, sizeof secret, &b32, &b32len) != OATH_OK) {
    snprintf(err, errlen, "cannot encode the secret");
    return -1;
  }
  struct db_stmt *st = db_prepare(db, "UPDATE app_user SET totp_secret = ? WHERE login = ?");
  int rc = -1;
  if (st) {
    db_bind_text(st, 1, hex);
    db_bind_text(st, 2, login);
    rc = db_step(st) == DB_DONE ? 0 : -1;
    db_finalize(st);
  }
  if (rc == 0)
    snprintf(uri, urilen, "otpauth://totp/bereik:%s?secret=%s&issuer=bereik&digits=6&period=30", login, b32);
  else
    snprintf(err, errlen, "%s", db_errmsg(db));
  free(b32);
  return rc;
}

int auth_login(struct db *db, const char *login, const char *password, const char *code, const char *addr,
               int64_t now, const char *old_session_id, char session_id[65]) {
  char kacc[160], kip[80];
  snprintf(kacc, sizeof kacc, "login:%.120s", login ? login : "");
  snprintf(kip, sizeof kip, "ip:%.60s", addr ? addr : "");
  if (db_begin_write_quiet(db) != DB_OK) return LOGIN_ERROR;
  if (failures(db, kacc, now) >= THROTTLE_MAX_PER_ACCOUNT ||
      failures(db, kip, now) >= THROTTLE_MAX_PER_ADDRESS) {
    db_rollback(db);
    return LOGIN_THROTTLED;
  }
  char hash[crypto_pwhash_STRBYTES] = "", totp[130] = "";
  int64_t uid = 0;
  int admin = 0;
  struct db_stmt *st = db_prepare(
      db, "SELECT id, password_hash, totp_secret, role FROM app_user WHERE login = ? AND active = 1");
  if (st) {
    db_bind_text(st, 1, login ? login : "");
    if (db_step(st) == DB_ROW) {
      uid = db_col_int64(st, 0);
      snprintf(hash, sizeof hash, "%s", db_col_text(st, 1));
      if (!db_col_is_null(st, 2)) snprintf(totp, sizeof totp, "%s", db_col_text(st, 2));
      admin = !strcmp(db_col_text(st, 3), "admin");
    }
    db_finalize(st);
  }
  /* an unknown login costs the same time as a wrong password */
  pthread_once(&dummy_once, make_dummy);
  int ok = crypto_pwhash_str_verify(uid ? hash : dummy_hash, password ? password : "",
                                    password ? strlen(password) : 0) == 0;
  if (!ok || !uid) {
    record_failure(db, kacc, now);
    record_failure(db, kip, now);
    db_commit(db);
    return LOGIN_BAD;
  }
  /* the second factor */
  if (!totp[0] && admin && installation_flag(db, "totp_required_for_admins", 1)) {
    db_rollback(db);
    return LOGIN_NEED_SETUP;
  }
  if (totp[0] && !totp_ok(totp, code, now)) {
    if (code && *code) {
      record_failure(db, kacc, now);
      record_failure(db, kip, now);
    }
    db_commit(db);
    return LOGIN_NEED_CODE;
  }
  clear_failures(db, kacc);
  if (old_session_id && *old_session_id) {
    char oh[65];
    if (hash_id(db, old_session_id, oh) == 0) {
      struct db_stmt *d = db_prepare(db, "DELETE FROM session WHERE id_hash = ?");
      if (d) {
        db_bind_text(d, 1, oh);
        db_step(d);
        db_finalize(d);
      }
    }
  }
  unsigned char raw[32], c[32];
  char idh[65], csrf[65];
  randombytes_buf(raw, sizeof raw);
  randombytes_buf(c, sizeof c);
  to_hex(raw, sizeof raw, session_id);
  to_hex(c, sizeof c, csrf);
  int rc = LOGIN_ERROR;
  if (hash_id(db, session_id, idh) == 0) {
    struct db_stmt *ins =
        db_prepare(db, "INSERT INTO session (id_hash, user_id, csrf, created_at, last_seen) "
                       "VALUES (?, ?, ?, ?, ?)");
    if (ins) {
      db_bind_text(ins, 1, idh);
      db_bind_int64(ins, 2, uid);
      db_bind_text(ins, 3, csrf);
      db_bind_int64(ins, 4, now);
      db_bind_int64(ins, 5, now);
      if (db_step(ins) == DB_DONE) rc = LOGIN_OK;
      db_finalize(ins);
    }
  }
  if (rc == LOGIN_OK && db_commit(db) == DB_OK) return LOGIN_OK;
  db_rollback(db);
  return LOGIN_ERROR;
}

/* The account of a row whose first columns are u.id, u.login, u.role, u.advisor_id. */
static void user_from_row(struct db_stmt *st, struct user *u) {
  memset(u, 0, sizeof *u);
  u->id = db_col_int64(st, 0);
  snprintf(u->login, sizeof u->login, "%s", db_col_text(st, 1));
  u->role = parse_role(db_col_text(st, 2));
  u->advisor_id = db_col_is_null(st, 3) ? 0 : db_col_int64(st, 3);
}

int auth_session(struct db *db, const char *session_id, int64_t now, struct user *u) {
  if (!session_id || strlen(session_id) != 64) return 0;
  char h[65];
  if (hash_id(db, session_id, h) != 0) return 0;
  struct db_stmt *st =
      db_prepare(db, "SELECT u.id, u.login, u.role, u.advisor_id, s.csrf, s.created_at, s.last_seen "
                     "FROM session s JOIN app_user u ON u.id = s.user_id "
                     "WHERE s.id_hash = ? AND u.active = 1");
  if (!st) return 0;
  db_bind_text(st, 1, h);
  int found = 0;
  int64_t created = 0, seen = 0;
  if (db_step(st) == DB_ROW) {
    user_from_row(st, u);
    snprintf(u->csrf, sizeof u->csrf, "%s", db_col_text(st, 4));
    created = db_col_int64(st, 5);
    seen = db_col_int64(st, 6);
    found = 1;
  }
  db_finalize(st);
  if (!found) return 0;
  if (now - seen > SESSION_IDLE_SECONDS || now - created > SESSION_ABSOLUTE_SECONDS) {
    auth_logout(db, session_id);
    return 0;
  }
  if (now - seen >= 60) { /* at most one write a minute per session */
    struct db_stmt *up = db_prepare(db, "UPDATE session SET last_seen = ? WHERE id_hash = ?");
    if (up) {
      db_bind_int64(up, 1, now);
      db_bind_text(up, 2, h);
      db_step(up);
      db_finalize(up);
    }
  }
  return u->role != ROLE_NONE;
}

void auth_logout(struct db *db, const char *session_id) {
  char h[65];
  if (!session_id || hash_id(db, session_id, h) != 0) return;
  struct db_stmt *st = db_prepare(db, "DELETE FROM session WHERE id_hash = ?");
  if (!st) return;
  db_bind_text(st, 1, h);
  db_step(st);
  db_finalize(st);
}

int api_token_create(struct db *db, const char *login, const char *label, int64_t expires_at, int64_t now,
                     char token[API_TOKEN_LEN + 1], char *err, size_t errlen) {
  if (!label || !*label || strlen(label) > 100) {
    snprintf(err, errlen, "a label of 1 to 100 characters is required");
    return -1;
  }
  if (expires_at && expires_at <= now) {
    snprintf(err, errlen, "the expiry date lies in the past");
    return -1;
  }
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  memcpy(token, "bereik_", 7);
  to_hex(raw, sizeof raw, token + 7);
  char h[65];
  if (db_begin_write_quiet(db) != DB_OK) {
    snprintf(err, errlen, "%s", db_errmsg(db));
    return -1;
  }
  int rc = -1;
  struct db_stmt *st = NULL;
  if (hash_id(db, token, h) != 0) {
    snprintf(err, errlen, "cannot read the installation key: %s", db_errmsg(db));
    goto out;
  }
  int64_t uid = 0;
  st = db_prepare(db, "SELECT id FROM app_user WHERE login = ? AND active = 1");
  if (st) {
    db_bind_text(st, 1, login ? login : "");
    if (db_step(st) == DB_ROW) uid = db_col_int64(st, 0);
    db_finalize(st);
  }
  if (!uid) {
    snprintf(err, errlen, "unknown or inactive login '%s'", login ? login : "");
    st = NULL;
    goto out;
  }
  st = db_prepare(db, "INSERT INTO api_token (token_hash, user_id, label, created_at, expires_at) "
                      "VALUES (?, ?, ?, ?, ?)");
  if (!st) {
    snprintf(err, errlen, "%s", db_errmsg(db));
    goto out;
  }
  db_bind_text(st, 1, h);
  db_bind_int64(st, 2, uid);
  db_bind_text(st, 3, label);
  db_bind_int64(st, 4, now);
  if (expires_at)
    db_bind_int64(st, 5, expires_at);
  else
    db_bind_null(st, 5);
  if (db_step(st) != DB_DONE) {
    snprintf(err, errlen, "%s", db_errmsg(db));
    goto out;
  }
  rc = 0;
out:
  db_finalize(st);
  if (rc == 0 && db_commit(db) == DB_OK) return 0;
  if (rc == 0) snprintf(err, errlen, "%s", db_errmsg(db));
  db_rollback(db);
  sodium_memzero(token, API_TOKEN_LEN + 1);
  return -1;
}

int api_token_auth(struct db *db, const char *token, int64_t now, struct user *u) {
  if (!token || strlen(token) != API_TOKEN_LEN || strncmp(token, "bereik_", 7)) return 0;
  char h[65];
  if (hash_id(db, token, h) != 0) return 0;
  struct db_stmt *st =
      db_prepare(db, "SELECT u.id, u.login, u.role, u.advisor_id, t.id, t.last_used FROM api_token t "
                     "JOIN app_user u ON u.id = t.user_id WHERE t.token_hash = ? AND u.active = 1 "
                     "AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)");
  if (!st) return 0;
  db_bind_text(st, 1, h);
  db_bind_int64(st, 2, now);
  int found = 0;
  int64_t tid = 0, used = 0;
  if (db_step(st) == DB_ROW) {
    user_from_row(st, u);
    tid = db_col_int64(st, 4);
    used = db_col_is_null(st, 5) ? 0 : db_col_int64(st, 5);
    found = 1;
  }
  db_finalize(st);
  if (!found) return 0;
  if (now - used >= 60) { /* at most one write a minute per token */
    struct db_stmt *up = db_prepare(db, "UPDATE api_token SET last_used = ? WHERE id = ?");
    if (up) {
      db_bind_int64(up, 1, now);
      db_bind_int64(up, 2, tid);
      db_step(up);
      db_finalize(up);
    }
  }
  return u->role != ROLE_NONE;
}

int api_token_revoke(struct db *db, int64_t user_id, int64_t token_id, int64_t now) {
  if (db_begin_write_quiet(db) != DB_OK) return -1;
  struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM api_token WHERE id = ? AND user_id = ? AND "
                                      "revoked_at IS NULL");
  int rc = -1;
  if (st) {
    db_bind_int64(st, 1, token_id);
    db_bind_int64(st, 2, user_id);
    rc = db_step(st) == DB_ROW ? (db_col_int64(st, 0) == 1 ? 0 : 1) : -1;
    db_finalize(st);
  }
  if (rc == 0) {
    st = db_prepare(db, "UPDATE api_token SET revoked_at = ? WHERE id = ? AND user_id = ?");
    rc = -1;
    if (st) {
      db_bind_int64(st, 1, now);
      db_bind_int64(st, 2, token_id);
      db_bind_int64(st, 3, user_id);
      rc = db_step(st) == DB_DONE ? 0 : -1;
      db_finalize(st);
    }
  }
  if (rc == 0 && db_commit(db) == DB_OK) return 0;
  db_rollback(db);
  return rc == 1 ? 1 : -1;
}

int user_scope(const struct user *u, const struct model *m, enum access what, struct advisor_scope *s) {
  if (what == ACCESS_READ && (u->role == ROLE_DIRECTOR || u->role == ROLE_ADMIN)) {
    *s = (struct advisor_scope){.all = 1};
    return 0;
  }
  return advisor_scope_of(m, u->advisor_id, u->role == ROLE_COORDINATOR, s);
}

void user_visibility(const struct user *u, const struct model *m, struct visibility *v) {
  memset(v, 0, sizeof *v);
  v->full = u->role >= ROLE_DIRECTOR;
  v->me = u->advisor_id > 0 && u->advisor_id <= m->max_advisor_id ? m->advisor_of_id[u->advisor_id] : -1;
  if (v->me >= 0)
    for (int k = 0; k < m->advisors[v->me].n_teams && v->n_teams < 64; k++)
      v->teams[v->n_teams++] = m->advisors[v->me].teams[k];
  if (u->role == ROLE_COORDINATOR)
    for (int k = 0; k < v->n_teams; k++)
      for (int j = 0; j < m->teams[v->teams[k]].n_members && v->n_members < 512; j++)
        v->members[v->n_members++] = m->teams[v->teams[k]].members[j];
}

int visibility_team(const struct visibility *v, int team) {
  if (v->full) return 1;
  for (int i = 0; i < v->n_teams; i++)
    if (v->teams[i] == team) return 1;
  return 0;
}

int visibility_advisor(const struct visibility *v, int advisor) {
  if (v->full || advisor == v->me) return 1;
  for (int i = 0; i < v->n_members; i++)
    if (v->members[i] == advisor) return 1;
  return 0;
}
