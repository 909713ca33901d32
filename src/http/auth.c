/* SPDX-License-Identifier: EUPL-1.2 */
#include "http/auth.h"

#include <errno.h>
#include <jansson.h>
#include <liboath/oath.h>
#include <pthread.h>
#include <pwquality.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/seclog.h"
#include "db/db.h"
#include "domain/access.h"
#include "domain/audit.h"
#include "domain/trajectory.h"
#include "http/oidc.h"

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

/* The key remembered per service for the lookups of every request (auth_session,
   api_token_auth), so that a request does not read it first: a lookup that finds nothing
   with the remembered key reads the key again and, if it changed (a restore), tries once
   more. Everything that stores or deletes a hash reads the key afresh (hash_id). */
enum { KEY_SLOTS = 64 };
static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
  int64_t service;
  int set;
  unsigned char key[32];
} key_memo[KEY_SLOTS];

/* *remembered: the remembered key was used; otherwise it was read (and is remembered
   now), and *changed says whether it differs from what was remembered before. */
static int hash_id_remembered(struct db *db, const char *id, char out[65], int fresh, int *remembered,
                              int *changed) {
  int64_t service = db_service(db);
  size_t slot = (size_t)(service < 0 ? -service : service) % KEY_SLOTS;
  unsigned char key[32], h[32];
  *remembered = *changed = 0;
  pthread_mutex_lock(&key_lock);
  if (!fresh && key_memo[slot].set && key_memo[slot].service == service) {
    memcpy(key, key_memo[slot].key, sizeof key);
    *remembered = 1;
  }
  pthread_mutex_unlock(&key_lock);
  if (!*remembered) {
    if (server_key(db, key) != 0) return -1;
    pthread_mutex_lock(&key_lock);
    *changed = !(key_memo[slot].set && key_memo[slot].service == service &&
                 !memcmp(key_memo[slot].key, key, sizeof key));
    key_memo[slot].service = service;
    key_memo[slot].set = 1;
    memcpy(key_memo[slot].key, key, sizeof key);
    pthread_mutex_unlock(&key_lock);
  }
  crypto_generichash(h, sizeof h, (const unsigned char *)id, strlen(id), key, sizeof key);
  to_hex(h, sizeof h, out);
  sodium_memzero(key, sizeof key);
  return 0;
}

static enum user_fault add_user(struct db *db, const char *login, const char *role, const char *advisor_code,
                                const char *password, char *err, size_t errlen) {
  if (!login || !*login || strlen(login) > 100) {
    snprintf(err, errlen, "a login of 1 to 100 characters is required");
    return USER_BAD_LOGIN;
  }
  if (parse_role(role) == ROLE_NONE) {
    snprintf(err, errlen, "unknown role '%s' (advisor, coordinator, director, admin)", role ? role : "");
    return USER_BAD_ROLE;
  }
  if (!password || strlen(password) < 8) {
    snprintf(err, errlen, "the password must have at least 8 characters");
    return USER_WEAK_PASSWORD;
  }
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    snprintf(err, errlen, "out of memory while hashing the password");
    return USER_FAILED;
  }
  if (db_begin_write_quiet(db) != DB_OK) {
    snprintf(err, errlen, "%s", db_errmsg(db));
    return USER_FAILED;
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
      return USER_UNKNOWN_ADVISOR;
    }
  }
  char exists[8];
  if (query_text(db, "SELECT 'x' FROM app_user WHERE login = ?", login, exists, sizeof exists)) {
    snprintf(err, errlen, "the login '%s' exists already", login);
    db_rollback(db);
    return USER_EXISTS;
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
  if (rc == 0 && db_commit(db) == DB_OK) return USER_OK;
  snprintf(err, errlen, "%s", db_errmsg(db));
  db_rollback(db);
  return USER_FAILED;
}

int user_add(struct db *db, const char *login, const char *role, const char *advisor_code,
             const char *password, char *err, size_t errlen) {
  return add_user(db, login, role, advisor_code, password, err, errlen) == USER_OK ? 0 : -1;
}

/* ---- small statement helpers (constant SQL, bound values) ---- */

/* Runs SQL with text and integer arguments: fmt has one letter per argument, 't' a
   text, 'i' an int64. Returns 0 when the statement ran to its end, -1 otherwise. */
static int run(struct db *db, const char *sql, const char *fmt, ...) {
  struct db_stmt *st = db_prepare(db, sql);
  if (!st) return -1;
  va_list ap;
  va_start(ap, fmt);
  for (int i = 0; fmt[i]; i++) {
    if (fmt[i] == 't')
      db_bind_text(st, i + 1, va_arg(ap, const char *));
    else
      db_bind_int64(st, i + 1, va_arg(ap, int64_t));
  }
  va_end(ap);
  int rc = db_step(st) == DB_DONE ? 0 : -1;
  db_finalize(st);
  return rc;
}

static void fmt_i64(char out[24], int64_t v) { snprintf(out, 24, "%lld", (long long)v); }

/* The login of a user id ("" when none). */
static char *login_of(struct db *db, int64_t uid, char out[128]) {
  out[0] = 0;
  struct db_stmt *st = db_prepare(db, "SELECT login FROM app_user WHERE id = ?");
  if (!st) return NULL;
  db_bind_int64(st, 1, uid);
  if (db_step(st) == DB_ROW) snprintf(out, 128, "%s", db_col_text(st, 0));
  db_finalize(st);
  return out[0] ? out : NULL;
}

int user_exists(struct db *db, const char *login) {
  char x[8];
  return login && query_text(db, "SELECT 'x' FROM app_user WHERE login = ?", login, x, sizeof x) != NULL;
}

/* ---- throttling with exponential back-off ---- */

struct throttle {
  int failures;
  int64_t last;
};

static void throttle_read(struct db *db, const char *key, int64_t now, struct throttle *t) {
  t->failures = 0;
  t->last = 0;
  struct db_stmt *st = db_prepare(db, "SELECT failures, last_failure FROM login_attempt WHERE key = ?");
  if (!st) return;
  db_bind_text(st, 1, key);
  if (db_step(st) == DB_ROW && db_col_int64(st, 1) > now - THROTTLE_WINDOW_SECONDS) {
    t->failures = (int)db_col_int64(st, 0);
    t->last = db_col_int64(st, 1);
  }
  db_finalize(st);
}

/* Seconds until the key may try again (0: now). */
static int64_t throttle_wait(const struct throttle *t, int free_failures, int64_t now) {
  if (t->failures < free_failures) return 0;
  int shift = t->failures - free_failures;
  int64_t delay = THROTTLE_BASE_DELAY << (shift > 10 ? 10 : shift);
  if (delay > THROTTLE_MAX_DELAY) delay = THROTTLE_MAX_DELAY;
  return t->last + delay > now ? t->last + delay - now : 0;
}

static void record_failure(struct db *db, const char *key, int64_t now) {
  int64_t old = now - THROTTLE_WINDOW_SECONDS;
  run(db,
      "INSERT INTO login_attempt (key, window_start, failures, last_failure) VALUES (?, ?, 1, ?) "
      "ON CONFLICT (key) DO UPDATE SET "
      "failures = CASE WHEN login_attempt.last_failure > ? THEN login_attempt.failures + 1 ELSE 1 END, "
      "window_start = CASE WHEN login_attempt.last_failure > ? THEN login_attempt.window_start ELSE ? END, "
      "last_failure = ?",
      "tiiiiii", key, now, now, old, old, now, now);
}

static void clear_failures(struct db *db, const char *key) {
  run(db, "DELETE FROM login_attempt WHERE key = ?", "t", key);
}

/* At most (cores - 1, at least 1) argon2id computations at a time per process: each
   takes tens of milliseconds of a core and 64 MiB, and a login flood computing dozens
   at once starves every other request of CPU and memory bandwidth (bench/login-flood.sh).
   The wait happens with no database transaction open. */
static sem_t hash_slots;
static pthread_once_t hash_slots_once = PTHREAD_ONCE_INIT;
static void hash_slots_init(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  sem_init(&hash_slots, 0, n > 2 ? (unsigned)(n - 1) : 1u);
}
static void hash_slot_take(void) {
  pthread_once(&hash_slots_once, hash_slots_init);
  while (sem_wait(&hash_slots) != 0) {
  }
}
static void hash_slot_give(void) { sem_post(&hash_slots); }

/* A login waits at most LOGIN_HASH_WAIT_MS for a slot, then gets LOGIN_BUSY: a flood must
   not keep the server's worker threads waiting, or every other request waits for a
   worker. */
static int hash_slot_try(void) {
  pthread_once(&hash_slots_once, hash_slots_init);
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_nsec += LOGIN_HASH_WAIT_MS * 1000000L;
  until.tv_sec += until.tv_nsec / 1000000000L;
  until.tv_nsec %= 1000000000L;
  for (;;) {
    if (sem_timedwait(&hash_slots, &until) == 0) return 0;
    if (errno != EINTR) return -1;
  }
}

static int verify_password(const char *hash, const char *password) {
  hash_slot_take();
  int rc = crypto_pwhash_str_verify(hash, password, strlen(password));
  hash_slot_give();
  return rc;
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

/* ---- second factor ---- */

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static void oath_start(void) { oath_init(); }

/* The time step of code when it is the current TOTP code of the hex secret or the one
   just before or after (a window of one step); -1 otherwise. */
static int64_t totp_step(const char *hex_secret, const char *code, int64_t now) {
  unsigned char secret[64];
  size_t len = 0;
  if (!code || strlen(code) != 6 || strspn(code, "0123456789") != 6) return -1;
  if (sodium_hex2bin(secret, sizeof secret, hex_secret, strlen(hex_secret), NULL, &len, NULL) != 0) return -1;
  pthread_once(&oath_once, oath_start);
  int pos = 0;
  uint64_t counter = 0;
  if (oath_totp_validate3((const char *)secret, len, (time_t)now, 30, 0, 1, &pos, &counter, code) < 0)
    return -1;
  return (int64_t)counter;
}

int totp_required(struct db *db, int role) {
  char key[64];
  snprintf(key, sizeof key, "totp_required_for_%ss", role_name(role));
  return installation_flag(db, key, role == ROLE_ADMIN);
}

/* A new random TOTP secret: hex (for the database) and the otpauth:// URI. */
static int totp_new(const char *login, char hex[41], char *uri, size_t urilen) {
  unsigned char secret[20];
  char *b32 = NULL;
  size_t b32len = 0;
  randombytes_buf(secret, sizeof secret);
  to_hex(secret, sizeof secret, hex);
  pthread_once(&oath_once, oath_start);
  if (oath_base32_encode((const char *)secret, sizeof secret, &b32, &b32len) != OATH_OK) return -1;
  snprintf(uri, urilen, "otpauth://totp/bereik:%s?secret=%s&issuer=bereik&digits=6&period=30", login, b32);
  free(b32);
  return 0;
}

int user_totp_enable(struct db *db, const char *login, char *uri, size_t urilen, char *err, size_t errlen) {
  if (!user_exists(db, login)) {
    snprintf(err, errlen, "unknown login '%s'", login ? login : "");
    return -1;
  }
  char hex[41];
  if (totp_new(login, hex, uri, urilen) != 0) {
    snprintf(err, errlen, "cannot encode the secret");
    return -1;
  }
  if (db_begin_write_quiet(db) != DB_OK ||
      run(db,
          "UPDATE app_user SET totp_secret = ?, totp_last_step = NULL, totp_pending = NULL WHERE login = ?",
          "tt", hex, login) != 0 ||
      run(db, "DELETE FROM recovery_code WHERE user_id = (SELECT id FROM app_user WHERE login = ?)", "t",
          login) != 0 ||
      db_commit(db) != DB_OK) {
    snprintf(err, errlen, "%s", db_errmsg(db));
    db_rollback(db);
    return -1;
  }
  seclog_event("totp.enabled", "login", login, "via", "cli");
  return 0;
}

int auth_totp_pending_uri(struct db *db, int64_t user_id, char *uri, size_t urilen) {
  char login[128], hex[130] = "";
  unsigned char secret[64];
  size_t len = 0;
  char *b32 = NULL;
  size_t b32len = 0;
  if (!login_of(db, user_id, login)) return -1;
  struct db_stmt *st = db_prepare(db, "SELECT totp_pending FROM app_user WHERE id = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, user_id);
  if (db_step(st) == DB_ROW && !db_col_is_null(st, 0)) snprintf(hex, sizeof hex, "%s", db_col_text(st, 0));
  db_finalize(st);
  if (!hex[0] || sodium_hex2bin(secret, sizeof secret, hex, strlen(hex), NULL, &len, NULL) != 0) return -1;
  pthread_once(&oath_once, oath_start);
  if (oath_base32_encode((const char *)secret, len, &b32, &b32len) != OATH_OK) return -1;
  snprintf(uri, urilen, "otpauth://totp/bereik:%s?secret=%s&issuer=bereik&digits=6&period=30", login, b32);
  free(b32);
  return 0;
}

int auth_totp_begin(struct db *db, int64_t user_id, char *uri, size_t urilen) {
  char login[128], hex[41];
  if (!login_of(db, user_id, login)) return -1;
  if (totp_new(login, hex, uri, urilen) != 0) return -1;
  if (db_begin_write_quiet(db) != DB_OK) return -1;
  if (run(db, "UPDATE app_user SET totp_pending = ? WHERE id = ?", "ti", hex, user_id) != 0 ||
      db_commit(db) != DB_OK) {
    db_rollback(db);
    return -1;
  }
  return 0;
}

/* Recovery codes: 24 characters of a 31-letter alphabet (118 bits, so that a keyed
   hash may store them: ASVS 6.5.2), shown in groups of four; typed in any case, with or
   without the dashes and spaces. */
static const char recovery_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

#define RECOVERY_CHARS 24
static int recovery_normalise(const char *in, char out[RECOVERY_CHARS + 1]) {
  int n = 0;
  for (const char *p = in; *p; p++) {
    char c = *p;
    if (c == '-' || c == ' ') continue;
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (n == RECOVERY_CHARS || !strchr(recovery_alphabet, c)) return -1;
    out[n++] = c;
  }
  out[n] = 0;
  return n == RECOVERY_CHARS ? 0 : -1;
}

int auth_totp_confirm(struct db *db, int64_t user_id, const char *code, int64_t now,
                      char codes[RECOVERY_CODES][RECOVERY_CODE_SIZE]) {
  char pending[130] = "", login[128];
  if (!login_of(db, user_id, login)) return 1;
  struct db_stmt *st = db_prepare(db, "SELECT totp_pending FROM app_user WHERE id = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, user_id);
  if (db_step(st) == DB_ROW && !db_col_is_null(st, 0))
    snprintf(pending, sizeof pending, "%s", db_col_text(st, 0));
  db_finalize(st);
  if (!pending[0]) return 1;
  int64_t step = totp_step(pending, code, now);
  if (step < 0) return 1;
  if (db_begin_write_quiet(db) != DB_OK) return -1;
  int ok = run(db,
               "UPDATE app_user SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = ? "
               "WHERE id = ? AND totp_pending = ?",
               "iit", step, user_id, pending) == 0 &&
           run(db, "DELETE FROM recovery_code WHERE user_id = ?", "i", user_id) == 0;
  for (int k = 0; ok && k < RECOVERY_CODES; k++) {
    char plain[RECOVERY_CHARS + 1], h[65];
    for (int i = 0; i < RECOVERY_CHARS; i++)
      plain[i] = recovery_alphabet[randombytes_uniform(sizeof recovery_alphabet - 1)];
    plain[RECOVERY_CHARS] = 0;
    snprintf(codes[k], RECOVERY_CODE_SIZE, "%.4s-%.4s-%.4s-%.4s-%.4s-%.4s", plain, plain + 4, plain + 8,
             plain + 12, plain + 16, plain + 20);
    ok = hash_id(db, plain, h) == 0 &&
         run(db, "INSERT INTO recovery_code (user_id, code_hash) VALUES (?, ?)", "it", user_id, h) == 0;
  }
  if (ok && db_commit(db) == DB_OK) {
    seclog_event("totp.enabled", "login", login, "via", "web");
    return 0;
  }
  db_rollback(db);
  for (int k = 0; k < RECOVERY_CODES; k++) sodium_memzero(codes[k], RECOVERY_CODE_SIZE);
  return -1;
}

int auth_recovery_left(struct db *db, int64_t user_id) {
  struct db_stmt *st =
      db_prepare(db, "SELECT COUNT(*) FROM recovery_code WHERE user_id = ? AND used_at IS NULL");
  int n = 0;
  if (!st) return 0;
  db_bind_int64(st, 1, user_id);
  if (db_step(st) == DB_ROW) n = (int)db_col_int64(st, 0);
  db_finalize(st);
  return n;
}

/* ---- setup tickets (password passed, second factor still to be set up) ---- */

static int new_secret_hex(char out[65]) {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  to_hex(raw, sizeof raw, out);
  return 0;
}

int64_t auth_setup_ticket_user(struct db *db, const char *ticket, int64_t now) {
  char h[65];
  if (!ticket || strlen(ticket) != 64 || hash_id(db, ticket, h) != 0) return 0;
  struct db_stmt *st = db_prepare(db, "SELECT user_id FROM login_setup WHERE id_hash = ? AND expires_at > ?");
  int64_t uid = 0;
  if (!st) return 0;
  db_bind_text(st, 1, h);
  db_bind_int64(st, 2, now);
  if (db_step(st) == DB_ROW) uid = db_col_int64(st, 0);
  db_finalize(st);
  return uid;
}

void auth_setup_ticket_end(struct db *db, const char *ticket) {
  char h[65];
  if (!ticket || hash_id(db, ticket, h) != 0) return;
  run(db, "DELETE FROM login_setup WHERE id_hash = ?", "t", h);
}

/* ---- sessions ---- */

/* Inserts a session inside the caller's transaction. 0 or -1. */
static int session_insert(struct db *db, int64_t uid, const char *addr, int64_t now, char session_id[65]) {
  char idh[65], csrf[65];
  new_secret_hex(session_id);
  new_secret_hex(csrf);
  if (hash_id(db, session_id, idh) != 0) return -1;
  return run(
      db,
      "INSERT INTO session (id_hash, user_id, csrf, created_at, last_seen, addr) VALUES (?, ?, ?, ?, ?, ?)",
      "titiit", idh, uid, csrf, now, now, addr ? addr : "");
}

int auth_session_create(struct db *db, int64_t user_id, const char *addr, int64_t now, char session_id[65]) {
  if (db_begin_write_quiet(db) != DB_OK) return -1;
  if (session_insert(db, user_id, addr, now, session_id) == 0 && db_commit(db) == DB_OK) return 0;
  db_rollback(db);
  return -1;
}

void auth_purge(struct db *db, int64_t now) {
  static _Atomic int64_t last_purge;
  int64_t prev = last_purge;
  if (now - prev < 60 || !atomic_compare_exchange_strong(&last_purge, &prev, now)) return;
  run(db, "DELETE FROM session WHERE last_seen < ? OR created_at < ?", "ii", now - SESSION_IDLE_SECONDS,
      now - SESSION_ABSOLUTE_SECONDS);
  run(db, "DELETE FROM login_attempt WHERE last_failure < ? AND window_start < ?", "ii",
      now - THROTTLE_WINDOW_SECONDS, now - THROTTLE_WINDOW_SECONDS);
  run(db, "DELETE FROM login_setup WHERE expires_at < ?", "i", now);
  run(db, "DELETE FROM device WHERE created_at < ?", "i", now - DEVICE_COOKIE_SECONDS);
  run(db, "DELETE FROM login_failure WHERE at < ?", "i", now - LOGIN_FAILURE_KEEP_SECONDS);
}

/* ---- login ---- */

static void login_failed(struct db *db, const struct login_request *q, const char *reason, const char *kacc,
                         const char *kip, const char *kdev) {
  if (db_begin_write_quiet(db) == DB_OK) {
    record_failure(db, kacc, q->now);
    record_failure(db, kip, q->now);
    if (kdev[0]) record_failure(db, kdev, q->now);
    run(db, "INSERT INTO login_failure (at, login, addr, reason) VALUES (?, ?, ?, ?)", "ittt", q->now,
        q->login, q->addr ? q->addr : "", reason);
    auth_purge(db, q->now);
    if (db_commit(db) != DB_OK) db_rollback(db);
  }
  seclog_event("login.failure", "login", q->login, "reason", reason);
}

static int is_hex64(const char *s) { return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64; }

int auth_login(struct db *db, const struct login_request *in, struct login_outcome *o) {
  memset(o, 0, sizeof *o);
  struct login_request q = *in;
  if (!q.login) q.login = "";
  if (!q.password) q.password = "";
  char kacc[160], kip[80], kdev[72] = "";
  snprintf(kacc, sizeof kacc, "login:%.120s", q.login);
  snprintf(kip, sizeof kip, "ip:%.60s", q.addr ? q.addr : "");

  /* local passwords switched off (oidc.h): only the emergency admin signs in here */
  if (!oidc_password_allowed(q.login)) {
    login_failed(db, &q, "local_passwords_off", kacc, kip, kdev);
    return LOGIN_BAD;
  }

  /* the account, read without any transaction */
  char hash[crypto_pwhash_STRBYTES] = "", totp[130] = "";
  int64_t uid = 0;
  int role = ROLE_NONE;
  struct db_stmt *st = db_prepare(
      db, "SELECT id, password_hash, totp_secret, role FROM app_user WHERE login = ? AND active = 1");
  if (!st) return LOGIN_ERROR;
  db_bind_text(st, 1, q.login);
  if (strlen(q.login) <= 100 && db_step(st) == DB_ROW) {
    uid = db_col_int64(st, 0);
    snprintf(hash, sizeof hash, "%s", db_col_text(st, 1));
    if (!db_col_is_null(st, 2)) snprintf(totp, sizeof totp, "%s", db_col_text(st, 2));
    role = parse_role(db_col_text(st, 3));
  }
  db_finalize(st);

  /* a device cookie of this account from an earlier successful login passes the
     account's and the address's throttles (unless that cookie is throttled itself) */
  int trusted = 0;
  struct throttle t;
  if (uid && is_hex64(q.device_cookie)) {
    char dh[65];
    if (hash_id(db, q.device_cookie, dh) == 0) {
      st = db_prepare(db, "SELECT user_id FROM device WHERE id_hash = ? AND created_at > ?");
      if (st) {
        db_bind_text(st, 1, dh);
        db_bind_int64(st, 2, q.now - DEVICE_COOKIE_SECONDS);
        if (db_step(st) == DB_ROW && db_col_int64(st, 0) == uid) snprintf(kdev, sizeof kdev, "dev:%.64s", dh);
        db_finalize(st);
      }
      if (kdev[0]) {
        throttle_read(db, kdev, q.now, &t);
        trusted = throttle_wait(&t, THROTTLE_MAX_PER_DEVICE, q.now) == 0;
      }
    }
  }
  if (!trusted) {
    throttle_read(db, kacc, q.now, &t);
    int64_t wa = throttle_wait(&t, THROTTLE_MAX_PER_ACCOUNT, q.now);
    throttle_read(db, kip, q.now, &t);
    int64_t wi = throttle_wait(&t, THROTTLE_MAX_PER_ADDRESS, q.now);
    if (wa || wi) {
      char secs[24];
      o->retry_after = wa > wi ? wa : wi;
      fmt_i64(secs, o->retry_after);
      seclog_event("login.throttled", "login", q.login, "scope", wa >= wi ? "account" : "address",
                   "retry_after", secs);
      return LOGIN_THROTTLED;
    }
  }

  /* the password: argon2id with no transaction open (an unknown login costs the same) */
  pthread_once(&dummy_once, make_dummy);
  if (hash_slot_try() != 0) {
    o->retry_after = 1;
    return LOGIN_BUSY;
  }
  int ok = strlen(q.password) <= 1024 &&
           crypto_pwhash_str_verify(uid ? hash : dummy_hash, q.password, strlen(q.password)) == 0;
  hash_slot_give();
  if (!ok || !uid) {
    login_failed(db, &q, uid ? "password" : "unknown_login", kacc, kip, kdev);
    return LOGIN_BAD;
  }

  /* the second factor */
  int64_t step = -1;
  char rec_hash[65] = "";
  if (!totp[0]) {
    if (totp_required(db, role)) {
      char th[65];
      new_secret_hex(o->setup_ticket);
      if (hash_id(db, o->setup_ticket, th) != 0 || db_begin_write_quiet(db) != DB_OK) return LOGIN_ERROR;
      if (run(db, "INSERT INTO login_setup (id_hash, user_id, expires_at) VALUES (?, ?, ?)", "tii", th, uid,
              q.now + LOGIN_SETUP_SECONDS) != 0 ||
          db_commit(db) != DB_OK) {
        db_rollback(db);
        return LOGIN_ERROR;
      }
      o->user_id = uid;
      seclog_event("login.totp_setup_required", "login", q.login);
      return LOGIN_NEED_SETUP;
    }
  } else {
    char norm[RECOVERY_CHARS + 1];
    if (!q.code || !*q.code) return LOGIN_NEED_CODE;
    if (recovery_normalise(q.code, norm) == 0) {
      if (hash_id(db, norm, rec_hash) != 0) return LOGIN_ERROR;
    } else if ((step = totp_step(totp, q.code, q.now)) < 0) {
      login_failed(db, &q, "code", kacc, kip, kdev);
      return LOGIN_NEED_CODE;
    }
  }

  /* one short write transaction: the code's step or recovery code used once, the session */
  if (db_begin_write_quiet(db) != DB_OK) return LOGIN_ERROR;
  const char *reason = NULL;
  if (step >= 0) {
    st = db_prepare(db, "SELECT totp_last_step FROM app_user WHERE id = ?");
    int64_t last = -1;
    if (st) {
      db_bind_int64(st, 1, uid);
      if (db_step(st) == DB_ROW && !db_col_is_null(st, 0)) last = db_col_int64(st, 0);
      db_finalize(st);
    }
    if (step <= last)
      reason = "code_reused";
    else if (run(db, "UPDATE app_user SET totp_last_step = ? WHERE id = ?", "ii", step, uid) != 0)
      goto error;
  } else if (rec_hash[0]) {
    int64_t rid = 0;
    st = db_prepare(db,
                    "SELECT id FROM recovery_code WHERE user_id = ? AND code_hash = ? AND used_at IS NULL");
    if (st) {
      db_bind_int64(st, 1, uid);
      db_bind_text(st, 2, rec_hash);
      if (db_step(st) == DB_ROW) rid = db_col_int64(st, 0);
      db_finalize(st);
    }
    if (!rid)
      reason = "recovery_code";
    else if (run(db, "UPDATE recovery_code SET used_at = ? WHERE id = ?", "ii", q.now, rid) != 0)
      goto error;
    else
      o->recovery_used = 1;
  }
  if (reason) {
    db_rollback(db);
    login_failed(db, &q, reason, kacc, kip, kdev);
    return LOGIN_NEED_CODE;
  }
  clear_failures(db, kacc);
  if (kdev[0]) clear_failures(db, kdev);
  if (q.old_session_id && *q.old_session_id) {
    char oh[65];
    if (hash_id(db, q.old_session_id, oh) == 0) run(db, "DELETE FROM session WHERE id_hash = ?", "t", oh);
  }
  if (session_insert(db, uid, q.addr, q.now, o->session_id) != 0) goto error;
  if (!kdev[0]) { /* this browser becomes a known device of the account */
    char dh[65];
    new_secret_hex(o->device);
    if (hash_id(db, o->device, dh) != 0 ||
        run(db, "INSERT INTO device (id_hash, user_id, created_at) VALUES (?, ?, ?)", "tii", dh, uid,
            q.now) != 0)
      goto error;
  }
  auth_purge(db, q.now);
  if (db_commit(db) != DB_OK) goto error;
  o->user_id = uid;
  seclog_event("login.success", "login", q.login, "factor",
               step >= 0          ? "totp"
               : o->recovery_used ? "recovery_code"
                                  : "password",
               "device", kdev[0] ? "known" : "new");
  if (o->recovery_used) {
    char left[24];
    fmt_i64(left, auth_recovery_left(db, uid));
    seclog_event("recovery_code.used", "login", q.login, "left", left);
  }
  return LOGIN_OK;
error:
  db_rollback(db);
  sodium_memzero(o->session_id, sizeof o->session_id);
  o->device[0] = 0;
  return LOGIN_ERROR;
}

/* ---- passwords ---- */

static pthread_mutex_t pwq_mu = PTHREAD_MUTEX_INITIALIZER;

/* Characters of valid UTF-8 text (no overlongs, surrogates or values past U+10FFFF),
   or -1. */
static long utf8_chars(const char *s) {
  long n = 0;
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    unsigned c = *p;
    int len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (!len) return -1;
    uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
    for (int i = 1; i < len; i++) {
      if ((p[i] & 0xc0) != 0x80) return -1;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return -1;
    p += len;
    n++;
  }
  return n;
}

enum password_verdict password_check(const char *password, const char *login, char *err, size_t errlen) {
  long n = utf8_chars(password ? password : "");
  if (n < 0) {
    snprintf(err, errlen, "the password is not valid UTF-8 text");
    return PW_NOT_UTF8;
  }
  if (n < PASSWORD_MIN_CHARS) {
    snprintf(err, errlen, "the password must have at least %d characters", PASSWORD_MIN_CHARS);
    return PW_TOO_SHORT;
  }
  if (n > PASSWORD_MAX_CHARS) {
    snprintf(err, errlen, "the password may have at most %d characters", PASSWORD_MAX_CHARS);
    return PW_TOO_LONG;
  }
  /* cracklib's dictionary and the login (libpwquality; its system configuration is not
     read, so every installation applies the same rules) */
  pthread_mutex_lock(&pwq_mu);
  enum password_verdict v = PW_OK;
  pwquality_settings_t *s = pwquality_default_settings();
  if (!s) {
    snprintf(err, errlen, "out of memory");
    v = PW_WEAK;
  } else {
    void *aux = NULL;
    pwquality_set_int_value(s, PWQ_SETTING_MIN_LENGTH, 6);
    pwquality_set_int_value(s, PWQ_SETTING_DICT_CHECK, 1);
    pwquality_set_int_value(s, PWQ_SETTING_USER_CHECK, 1);
    int rc = pwquality_check(s, password, NULL, login && *login ? login : NULL, &aux);
    if (rc < 0) {
      char why[256];
      snprintf(err, errlen, "the password is too easy to guess (%s)",
               pwquality_strerror(why, sizeof why, rc, aux));
      v = PW_WEAK;
    }
    pwquality_free_settings(s);
  }
  pthread_mutex_unlock(&pwq_mu);
  return v;
}

enum user_fault user_create(struct db *db, const char *login, const char *role, const char *advisor_code,
                            const char *password, enum password_verdict *verdict, char *err, size_t errlen) {
  enum password_verdict v = password_check(password, login, err, errlen);
  if (verdict) *verdict = v;
  if (v != PW_OK) return USER_WEAK_PASSWORD;
  return add_user(db, login, role, advisor_code, password, err, errlen);
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES]) {
  hash_slot_take();
  int rc = crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE);
  hash_slot_give();
  return rc;
}

int auth_password_verify(struct db *db, int64_t user_id, const char *password, int64_t now,
                         const char *purpose) {
  char hash[crypto_pwhash_STRBYTES] = "", login[128] = "", kacc[160];
  struct db_stmt *st =
      db_prepare(db, "SELECT login, password_hash FROM app_user WHERE id = ? AND active = 1");
  if (!st) return -1;
  db_bind_int64(st, 1, user_id);
  if (db_step(st) == DB_ROW) {
    snprintf(login, sizeof login, "%s", db_col_text(st, 0));
    snprintf(hash, sizeof hash, "%s", db_col_text(st, 1));
  }
  db_finalize(st);
  if (!login[0]) return -1;
  snprintf(kacc, sizeof kacc, "login:%.120s", login);
  /* the password is guessed no faster here than on the login page */
  struct throttle t;
  throttle_read(db, kacc, now, &t);
  int wrong = throttle_wait(&t, THROTTLE_MAX_PER_ACCOUNT, now) > 0 || !password || strlen(password) > 1024 ||
              verify_password(hash, password) != 0;
  if (!wrong) return 0;
  if (db_begin_write_quiet(db) == DB_OK) {
    record_failure(db, kacc, now);
    if (db_commit(db) != DB_OK) db_rollback(db);
  }
  seclog_event("reauthentication.failure", "login", login, "purpose", purpose);
  return 1;
}

int auth_password_change(struct db *db, int64_t user_id, const char *keep_session_id, const char *current,
                         const char *password, int64_t now, enum password_verdict *verdict, char *err,
                         size_t errlen) {
  char login[128];
  int v = auth_password_verify(db, user_id, current, now, "password_change");
  if (v != 0) return v;
  if (!login_of(db, user_id, login)) return -1;
  *verdict = password_check(password, login, err, errlen);
  if (*verdict != PW_OK) return 2;
  char nh[crypto_pwhash_STRBYTES], keep[65] = "";
  if (hash_password(password, nh) != 0) return -1;
  if (keep_session_id && hash_id(db, keep_session_id, keep) != 0) return -1;
  if (db_begin_write_quiet(db) != DB_OK) return -1;
  if (run(db, "UPDATE app_user SET password_hash = ? WHERE id = ?", "ti", nh, user_id) != 0 ||
      run(db, "DELETE FROM session WHERE user_id = ? AND id_hash <> ?", "it", user_id, keep) != 0 ||
      audit_write(db, now, login, "password_change", "user", login, NULL, NULL, NULL) != 0 ||
      db_commit(db) != DB_OK) {
    db_rollback(db);
    return -1;
  }
  seclog_event("password.changed", "login", login);
  return 0;
}

int auth_password_reset(struct db *db, const char *login, const char *password, const char *actor,
                        int64_t now, enum password_verdict *verdict, char *err, size_t errlen) {
  if (!user_exists(db, login)) {
    snprintf(err, errlen, "unknown login '%s'", login ? login : "");
    return 1;
  }
  *verdict = password_check(password, login, err, errlen);
  if (*verdict != PW_OK) return 2;
  char nh[crypto_pwhash_STRBYTES], kacc[160];
  if (hash_password(password, nh) != 0) return -1;
  snprintf(kacc, sizeof kacc, "login:%.120s", login);
  if (db_begin_write_quiet(db) != DB_OK) return -1;
  if (run(db, "UPDATE app_user SET password_hash = ? WHERE login = ?", "tt", nh, login) != 0 ||
      run(db, "DELETE FROM session WHERE user_id = (SELECT id FROM app_user WHERE login = ?)", "t", login) !=
          0 ||
      run(db, "DELETE FROM device WHERE user_id = (SELECT id FROM app_user WHERE login = ?)", "t", login) !=
          0 ||
      run(db, "DELETE FROM login_attempt WHERE key = ?", "t", kacc) != 0 ||
      audit_write(db, now, actor, "password_reset", "user", login, NULL, NULL, NULL) != 0 ||
      db_commit(db) != DB_OK) {
    snprintf(err, errlen, "%s", db_errmsg(db));
    db_rollback(db);
    return -1;
  }
  seclog_event("password.reset", "login", login, "by", actor);
  return 0;
}

int user_set_active(struct db *db, const char *login, int active, const char *actor, int64_t now) {
  if (!user_exists(db, login)) return 1;
  if (db_begin_write(db) != DB_OK) return -1;
  /* switching an account on approves it when a first sign-in made it (oidc.h) */
  int ok = run(db,
               "UPDATE app_user SET active = ?, pending = CASE WHEN ? = 1 THEN 0 ELSE pending END "
               "WHERE login = ?",
               "iit", (int64_t)active, (int64_t)active, login) == 0;
  if (ok && !active) /* switching an account off ends its sessions */
    ok = run(db, "DELETE FROM session WHERE user_id = (SELECT id FROM app_user WHERE login = ?)", "t",
             login) == 0;
  if (ok)
    ok = audit_write(db, now, actor, active ? "activate" : "deactivate", "user", login, NULL,
                     active ? "{\"active\": true}" : "{\"active\": false}", NULL) == 0;
  if (ok && db_commit(db) == DB_OK) {
    seclog_event(active ? "account.activated" : "account.deactivated", "login", login, "by", actor);
    return 0;
  }
  db_rollback(db);
  return -1;
}

void auth_sessions_list(struct db *db, int64_t user_id, const char *current_session_id,
                        void (*fn)(void *ctx, const char *id_hash, int64_t created, int64_t seen,
                                   const char *addr, int current),
                        void *ctx) {
  char cur[65] = "";
  if (current_session_id && hash_id(db, current_session_id, cur) != 0) cur[0] = 0;
  struct db_stmt *st = db_prepare(db, "SELECT id_hash, created_at, last_seen, addr FROM session "
                                      "WHERE user_id = ? ORDER BY last_seen DESC, created_at DESC");
  if (!st) return;
  db_bind_int64(st, 1, user_id);
  while (db_step(st) == DB_ROW) {
    const char *h = db_col_text(st, 0);
    fn(ctx, h, db_col_int64(st, 1), db_col_int64(st, 2), db_col_is_null(st, 3) ? "" : db_col_text(st, 3),
       !strcmp(h, cur));
  }
  db_finalize(st);
}

int auth_sessions_end(struct db *db, int64_t user_id, const char *id_hash, const char *current_session_id) {
  char cur[65] = "";
  if (current_session_id && hash_id(db, current_session_id, cur) != 0) return -1;
  struct db_stmt *st =
      db_prepare(db, id_hash ? "SELECT COUNT(*) FROM session WHERE user_id = ? AND id_hash = ?"
                             : "SELECT COUNT(*) FROM session WHERE user_id = ? AND id_hash <> ?");
  int n = 0;
  if (!st) return -1;
  db_bind_int64(st, 1, user_id);
  db_bind_text(st, 2, id_hash ? id_hash : cur);
  if (db_step(st) == DB_ROW) n = (int)db_col_int64(st, 0);
  db_finalize(st);
  if (!n) return 0;
  if (db_begin_write_quiet(db) != DB_OK) return -1;
  if (run(db,
          id_hash ? "DELETE FROM session WHERE user_id = ? AND id_hash = ?"
                  : "DELETE FROM session WHERE user_id = ? AND id_hash <> ?",
          "it", user_id, id_hash ? id_hash : cur) != 0 ||
      db_commit(db) != DB_OK) {
    db_rollback(db);
    return -1;
  }
  char count[24], login[128];
  fmt_i64(count, n);
  login_of(db, user_id, login);
  seclog_event("sessions.ended", "login", login, "which", id_hash ? "one" : "others", "count", count);
  return n;
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
  int found = 0, remembered = 0, changed = 0;
  int64_t created = 0, seen = 0;
  for (int fresh = 0; fresh < 2 && !found; fresh++) {
    if (hash_id_remembered(db, session_id, h, fresh, &remembered, &changed) != 0) return 0;
    if (fresh && !changed) break; /* the key is the same: no such session */
    struct db_stmt *st =
        db_prepare_lookup(db, "SELECT u.id, u.login, u.role, u.advisor_id, s.csrf, s.created_at, s.last_seen "
                              "FROM session s JOIN app_user u ON u.id = s.user_id "
                              "WHERE s.id_hash = ? AND u.active = 1");
    if (!st) return 0;
    db_bind_text(st, 1, h);
    if (db_step(st) == DB_ROW) {
      user_from_row(st, u);
      snprintf(u->csrf, sizeof u->csrf, "%s", db_col_text(st, 4));
      created = db_col_int64(st, 5);
      seen = db_col_int64(st, 6);
      found = 1;
    }
    db_finalize(st);
    if (!remembered) break; /* the key was read just now */
  }
  if (!found) return 0;
  if (now - seen > SESSION_IDLE_SECONDS || now - created > SESSION_ABSOLUTE_SECONDS) {
    run(db, "DELETE FROM session WHERE id_hash = ?", "t", h);
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
  char h[65], login[128] = "";
  if (!session_id || hash_id(db, session_id, h) != 0) return;
  struct db_stmt *st = db_prepare(db, "SELECT u.login FROM session s JOIN app_user u ON u.id = s.user_id "
                                      "WHERE s.id_hash = ?");
  if (st) {
    db_bind_text(st, 1, h);
    if (db_step(st) == DB_ROW) snprintf(login, sizeof login, "%s", db_col_text(st, 0));
    db_finalize(st);
  }
  run(db, "DELETE FROM session WHERE id_hash = ?", "t", h);
  if (login[0]) seclog_event("logout", "login", login);
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
  if (rc == 0 && db_commit(db) == DB_OK) {
    seclog_event("token.created", "login", login, "label", label);
    return 0;
  }
  if (rc == 0) snprintf(err, errlen, "%s", db_errmsg(db));
  db_rollback(db);
  sodium_memzero(token, API_TOKEN_LEN + 1);
  return -1;
}

int api_token_auth(struct db *db, const char *token, int64_t now, struct user *u) {
  if (!token || strlen(token) != API_TOKEN_LEN || strncmp(token, "bereik_", 7)) return 0;
  char h[65];
  int found = 0, remembered = 0, changed = 0;
  int64_t tid = 0, used = 0;
  for (int fresh = 0; fresh < 2 && !found; fresh++) {
    if (hash_id_remembered(db, token, h, fresh, &remembered, &changed) != 0) return 0;
    if (fresh && !changed) break; /* the key is the same: no such token */
    struct db_stmt *st = db_prepare_lookup(
        db, "SELECT u.id, u.login, u.role, u.advisor_id, t.id, t.last_used FROM api_token t "
            "JOIN app_user u ON u.id = t.user_id WHERE t.token_hash = ? AND u.active = 1 "
            "AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)");
    if (!st) return 0;
    db_bind_text(st, 1, h);
    db_bind_int64(st, 2, now);
    if (db_step(st) == DB_ROW) {
      user_from_row(st, u);
      tid = db_col_int64(st, 4);
      used = db_col_is_null(st, 5) ? 0 : db_col_int64(st, 5);
      found = 1;
    }
    db_finalize(st);
    if (!remembered) break; /* the key was read just now */
  }
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
  if (rc == 0 && db_commit(db) == DB_OK) {
    char login[128], id[24];
    login_of(db, user_id, login);
    fmt_i64(id, token_id);
    seclog_event("token.revoked", "login", login, "token_id", id);
    return 0;
  }
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

static int64_t col_or_zero(struct db_stmt *st, int col) {
  return db_col_is_null(st, col) ? 0 : db_col_int64(st, col);
}

int api_tokens_list(struct db *db, int64_t user_id, api_token_row_fn fn, void *ctx) {
  struct db_stmt *st = db_prepare(db, "SELECT id, label, created_at, expires_at, last_used, revoked_at "
                                      "FROM api_token WHERE user_id = ? ORDER BY id");
  if (!st) return -1;
  db_bind_int64(st, 1, user_id);
  int n = 0, step;
  while ((step = db_step(st)) == DB_ROW) {
    struct api_token_row t = {.id = db_col_int64(st, 0),
                              .label = db_col_text(st, 1),
                              .created_at = col_or_zero(st, 2),
                              .expires_at = col_or_zero(st, 3),
                              .last_used = col_or_zero(st, 4),
                              .revoked_at = col_or_zero(st, 5)};
    if (fn) fn(ctx, &t);
    n++;
  }
  db_finalize(st);
  return step == DB_ERROR ? -1 : n;
}

int users_list(struct db *db, user_row_fn fn, void *ctx) {
  struct db_stmt *st = db_prepare(
      db, "SELECT u.login, u.role, a.code, CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END, u.active, "
          "u.pending FROM app_user u LEFT JOIN advisor a ON a.id = u.advisor_id ORDER BY u.login");
  if (!st) return -1;
  int step;
  while ((step = db_step(st)) == DB_ROW) {
    struct user_row u = {db_col_text(st, 0),       db_col_text(st, 1),       db_col_text(st, 2),
                         (int)db_col_int64(st, 3), (int)db_col_int64(st, 4), (int)db_col_int64(st, 5)};
    fn(ctx, &u);
  }
  db_finalize(st);
  return step == DB_ERROR ? -1 : 0;
}

int auth_totp_enabled(struct db *db, int64_t user_id) {
  struct db_stmt *st =
      db_prepare(db, "SELECT CASE WHEN totp_secret IS NULL THEN 0 ELSE 1 END FROM app_user WHERE id = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, user_id);
  int step = db_step(st);
  int has = step == DB_ROW ? (int)db_col_int64(st, 0) : step == DB_DONE ? 0 : -1;
  db_finalize(st);
  return has;
}

int auth_login_failures(struct db *db, int limit, login_failure_fn fn, void *ctx) {
  struct db_stmt *st =
      db_prepare(db, "SELECT at, login, addr, reason FROM login_failure ORDER BY id DESC LIMIT ?");
  if (!st) return -1;
  db_bind_int64(st, 1, limit);
  int step;
  while ((step = db_step(st)) == DB_ROW) {
    struct login_failure_row f = {db_col_int64(st, 0), db_col_text(st, 1), db_col_text(st, 2),
                                  db_col_text(st, 3)};
    fn(ctx, &f);
  }
  db_finalize(st);
  return step == DB_ERROR ? -1 : 0;
}

void visibility_masks(const struct visibility *v, const struct model *m, unsigned char **teams,
                      unsigned char **advisors) {
  *teams = xcalloc(m->n_teams + 1, 1);
  *advisors = xcalloc(m->n_advisors + 1, 1);
  for (size_t t = 0; t < m->n_teams; t++) (*teams)[t] = (unsigned char)visibility_team(v, (int)t);
  for (size_t a = 0; a < m->n_advisors; a++) (*advisors)[a] = (unsigned char)visibility_advisor(v, (int)a);
}

_Static_assert((int)ROLE_ADVISOR == (int)TROLE_ADVISOR && (int)ROLE_COORDINATOR == (int)TROLE_COORDINATOR &&
                   (int)ROLE_DIRECTOR == (int)TROLE_DIRECTOR && (int)ROLE_ADMIN == (int)TROLE_ADMIN,
               "domain/trajectory.h's roles follow enum role");
enum traj_access trajectory_access(const struct model *m, const struct user *u, int t) {
  return trajectory_access_by(m, u->role, u->advisor_id, t);
}
int trajectory_open_answers_allowed(const struct model *m, const struct user *u, int t) {
  return trajectory_open_answers_by(m, u->role, u->advisor_id, t);
}

/* ---- sign-in through the organisation's provider (oidc.h) ---- */

struct oidc_account {
  int64_t id;
  char login[128];
  int active, pending;
};

static int find_account(struct db *db, const char *sql, const char *value, struct oidc_account *a) {
  struct db_stmt *st = db_prepare(db, sql);
  if (!st) return -1;
  db_bind_text(st, 1, value);
  int found = 0;
  if (db_step(st) == DB_ROW) {
    a->id = db_col_int64(st, 0);
    snprintf(a->login, sizeof a->login, "%s", db_col_text(st, 1));
    a->active = (int)db_col_int64(st, 2);
    a->pending = (int)db_col_int64(st, 3);
    found = 1;
  }
  db_finalize(st);
  return found;
}

int auth_oidc_login(struct db *db, const struct oidc_login_request *q, struct login_outcome *o, char *login,
                    size_t loginlen) {
  memset(o, 0, sizeof *o);
  snprintf(login, loginlen, "%s", q->value);
  if (db_begin_write_quiet(db) != DB_OK) return OIDC_R_ERROR;
  struct oidc_account a = {0};
  int found =
      find_account(db, "SELECT id, login, active, pending FROM app_user WHERE idp_subject = ?", q->value, &a);
  if (found == 0 && q->claim_email) { /* the first sign-in of a user whose login is the address */
    found = find_account(db,
                         "SELECT id, login, active, pending FROM app_user WHERE lower(login) = ? "
                         "AND idp_subject IS NULL",
                         q->value, &a);
    if (found == 1) {
      if (run(db, "UPDATE app_user SET idp_subject = ? WHERE id = ?", "ti", q->value, a.id) != 0) goto error;
      seclog_event("oidc.linked", "login", a.login, "by", "email");
    }
  }
  if (found < 0) goto error;
  if (!found) {
    if (!q->approve_unknown || user_exists(db, q->value)) {
      db_rollback(db);
      return OIDC_R_UNKNOWN_ACCOUNT;
    }
    char created[32];
    time_t t = (time_t)q->now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* an inactive advisor without a usable password ('!' is no argon2id hash) */
    if (run(db,
            "INSERT INTO app_user (login, role, password_hash, active, pending, idp_subject, created_at) "
            "VALUES (?, 'advisor', '!', 0, 1, ?, ?)",
            "ttt", q->value, q->value, created) != 0 ||
        audit_write(db, q->now, q->value, "create", "user", q->value, NULL,
                    "{\"role\": \"advisor\", \"active\": false, \"pending\": true}", NULL) != 0 ||
        db_commit(db) != DB_OK)
      goto error;
    seclog_event("oidc.account_created", "login", q->value);
    return OIDC_R_PENDING;
  }
  snprintf(login, loginlen, "%s", a.login);
  if (a.pending || !a.active) {
    if (db_commit(db) != DB_OK) goto error; /* keeps a link just made */
    return a.pending ? OIDC_R_PENDING : OIDC_R_INACTIVE;
  }
  if (q->old_session_id && *q->old_session_id) {
    char oh[65];
    if (hash_id(db, q->old_session_id, oh) == 0) run(db, "DELETE FROM session WHERE id_hash = ?", "t", oh);
  }
  char sh[65];
  if (session_insert(db, a.id, q->addr, q->now, o->session_id) != 0 || hash_id(db, o->session_id, sh) != 0 ||
      (q->id_token && *q->id_token &&
       run(db, "UPDATE session SET id_token = ? WHERE id_hash = ?", "tt", q->id_token, sh) != 0))
    goto error;
  auth_purge(db, q->now);
  if (db_commit(db) != DB_OK) goto error;
  o->user_id = a.id;
  seclog_event("login.success", "login", a.login, "factor", "oidc");
  return OIDC_OK;
error:
  db_rollback(db);
  sodium_memzero(o->session_id, sizeof o->session_id);
  return OIDC_R_ERROR;
}

int auth_session_id_token(struct db *db, const char *session_id, char *out, size_t outlen) {
  out[0] = 0;
  char h[65];
  if (!session_id || hash_id(db, session_id, h) != 0) return 0;
  return query_text(db, "SELECT id_token FROM session WHERE id_hash = ? AND id_token IS NOT NULL", h, out,
                    outlen) != NULL;
}

int auth_is_active_admin(struct db *db, const char *login) {
  char v[8];
  return query_text(db, "SELECT 'x' FROM app_user WHERE login = ? AND active = 1 AND role = 'admin'", login,
                    v, sizeof v) != NULL;
}

int auth_oidc_link(struct db *db, const char *login, const char *value, const char *actor, int64_t now,
                   char *err, size_t errlen) {
  if (value && (!*value || strlen(value) > 255)) {
    snprintf(err, errlen, "the provider account's value must have 1 to 255 characters");
    return -1;
  }
  if (db_begin_write(db) != DB_OK) {
    snprintf(err, errlen, "%s", db_errmsg(db));
    return -1;
  }
  char other[128];
  if (!user_exists(db, login)) {
    snprintf(err, errlen, "unknown login '%s'", login);
  } else if (value &&
             query_text(db, "SELECT login FROM app_user WHERE idp_subject = ?", value, other, sizeof other) &&
             strcmp(other, login)) {
    snprintf(err, errlen, "'%s' is already linked to the user '%s'", value, other);
  } else {
    struct buf after = {0};
    buf_puts(&after, "{\"idp_subject\": ");
    if (value) {
      json_t *s = json_string(value);
      char *enc = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
      buf_puts(&after, enc ? enc : "null");
      free(enc);
      json_decref(s);
    } else {
      buf_puts(&after, "null");
    }
    buf_puts(&after, "}");
    int ok = (value ? run(db, "UPDATE app_user SET idp_subject = ? WHERE login = ?", "tt", value, login)
                    : run(db, "UPDATE app_user SET idp_subject = NULL WHERE login = ?", "t", login)) == 0 &&
             audit_write(db, now, actor, value ? "link" : "unlink", "user", login, NULL, buf_str(&after),
                         NULL) == 0 &&
             db_commit(db) == DB_OK;
    buf_free(&after);
    if (ok) {
      seclog_event(value ? "oidc.linked" : "oidc.unlinked", "login", login, "by", actor);
      return 0;
    }
    snprintf(err, errlen, "%s", db_errmsg(db));
  }
  db_rollback(db);
  return -1;
}

int auth_oidc_pending(struct db *db, oidc_pending_fn fn, void *ctx) {
  struct db_stmt *st = db_prepare(
      db, "SELECT login, idp_subject, created_at FROM app_user WHERE pending = 1 ORDER BY created_at, login");
  if (!st) return -1;
  int n = 0;
  while (db_step(st) == DB_ROW) {
    fn(db_col_text(st, 0), db_col_is_null(st, 1) ? "" : db_col_text(st, 1), db_col_text(st, 2), ctx);
    n++;
  }
  db_finalize(st);
  return n;
}

int auth_oidc_approve(struct db *db, const char *login, const char *role, const char *advisor_code,
                      const char *actor, int64_t now, char *err, size_t errlen) {
  if (role && parse_role(role) == ROLE_NONE) {
    snprintf(err, errlen, "unknown role '%s' (advisor, coordinator, director, admin)", role);
    return -1;
  }
  if (db_begin_write(db) != DB_OK) {
    snprintf(err, errlen, "%s", db_errmsg(db));
    return -1;
  }
  char v[8];
  int64_t advisor_id = 0;
  if (!query_text(db, "SELECT 'x' FROM app_user WHERE login = ? AND pending = 1", login, v, sizeof v)) {
    snprintf(err, errlen, "'%s' is not an account waiting for approval (bereik oidc pending)", login);
    goto fail;
  }
  if (advisor_code) {
    char id[24];
    if (!query_text(db, "SELECT id FROM advisor WHERE code = ?", advisor_code, id, sizeof id)) {
      snprintf(err, errlen, "unknown advisor '%s'", advisor_code);
      goto fail;
    }
    advisor_id = strtoll(id, NULL, 10);
  }
  if (role && run(db, "UPDATE app_user SET role = ? WHERE login = ?", "tt", role, login) != 0) goto dberr;
  if (advisor_id &&
      run(db, "UPDATE app_user SET advisor_id = ? WHERE login = ?", "it", advisor_id, login) != 0)
    goto dberr;
  if (run(db, "UPDATE app_user SET active = 1, pending = 0 WHERE login = ?", "t", login) != 0 ||
      audit_write(db, now, actor, "approve", "user", login, NULL, "{\"active\": true, \"pending\": false}",
                  NULL) != 0 ||
      db_commit(db) != DB_OK)
    goto dberr;
  seclog_event("account.approved", "login", login, "by", actor);
  return 0;
dberr:
  snprintf(err, errlen, "%s", db_errmsg(db));
fail:
  db_rollback(db);
  return -1;
}
