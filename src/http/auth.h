/* SPDX-License-Identifier: EUPL-1.2 */
/* Accounts, sessions and login throttling. Passwords are argon2id hashes (libsodium).
   Session ids are 256-bit random values; the database stores only a keyed BLAKE2b hash
   of them (a fast hash: the id is already unguessable, and argon2 would cap the request
   rate). Sessions and throttling counters live in the database, so several serve
   processes on one database share them. */
#ifndef BEREIK_AUTH_H
#define BEREIK_AUTH_H

#include <stddef.h>
#include <stdint.h>

struct db;

enum role { ROLE_ADVISOR, ROLE_COORDINATOR, ROLE_DIRECTOR, ROLE_ADMIN, ROLE_NONE };
const char *role_name(int role);
int parse_role(const char *s); /* ROLE_NONE when unknown */

#define SESSION_IDLE_SECONDS (2LL * 3600)
#define SESSION_ABSOLUTE_SECONDS (12LL * 3600)
/* Throttling (ASVS 6.3): failures of an account, an address or a device cookie count
   while the last one is younger than the window; past the free failures every further
   attempt waits THROTTLE_BASE_DELAY seconds, doubling per failure up to
   THROTTLE_MAX_DELAY. Nobody can lock a real user out: a device cookie from an earlier
   successful login passes the account's and the address's throttles (its own
   failures throttle only that cookie). */
#define THROTTLE_WINDOW_SECONDS (3600LL)
#define THROTTLE_MAX_PER_ACCOUNT 5
#define THROTTLE_MAX_PER_ADDRESS 20
#define THROTTLE_MAX_PER_DEVICE 5
#define THROTTLE_BASE_DELAY 30LL
#define THROTTLE_MAX_DELAY (15LL * 60)
#define DEVICE_COOKIE_SECONDS (180LL * 86400)
#define LOGIN_SETUP_SECONDS (10LL * 60)
#define LOGIN_FAILURE_KEEP_SECONDS (90LL * 86400)
#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_CHARS 128
#define RECOVERY_CODES 10
#define RECOVERY_CODE_SIZE 32 /* "xxxx-xxxx-xxxx-xxxx-xxxx-xxxx" and its end */

/* Cookie names. Behind TLS they carry the __Host- prefix (Secure, Path=/, no Domain: a
   sibling host or plain HTTP cannot plant them); the server reads the same name it sets. */
#define COOKIE_NAME(https, name) ((https) ? "__Host-" name : name)
#define COOKIE_SESSION "bereik_session"
#define COOKIE_PRE "bereik_pre"
#define COOKIE_DEVICE "bereik_device"
#define COOKIE_OIDC "bereik_oidc"

struct user {
  int64_t id;
  char login[128];
  int role;
  int64_t advisor_id; /* 0 = none */
  char csrf[65];      /* of the current session */
};

struct model;
struct advisor_scope;
enum access { ACCESS_READ, ACCESS_WRITE };
/* Whose registrations the user may read or change (domain/access.h): an advisor their
   own; a coordinator their own and their teams' members'; a director or admin reads
   everybody's and changes only their own. -1 when out of memory. */
int user_scope(const struct user *u, const struct model *m, enum access what, struct advisor_scope *s);

/* What a user sees on the dashboard and in the API's indicator summaries: everything
   (director, admin), else the teams of their advisor record and themselves, and for a
   coordinator also those teams' members. Indexes into the model. */
struct visibility {
  int full, me; /* me: the user's advisor, or -1 */
  int teams[64], n_teams;
  int members[512], n_members;
};
void user_visibility(const struct user *u, const struct model *m, struct visibility *v);
int visibility_team(const struct visibility *v, int team);
int visibility_advisor(const struct visibility *v, int advisor);
/* The same as masks over the model's teams and advisors (1 visible), for the indicator
   view (measures/indicators.h); the caller frees both. */
void visibility_masks(const struct visibility *v, const struct model *m, unsigned char **teams,
                      unsigned char **advisors);

/* Creates an account. Returns 0, or -1 with a message. */
int user_add(struct db *db, const char *login, const char *role, const char *advisor_code,
             const char *password, char *err, size_t errlen);

/* LOGIN_BUSY: every password-hash slot stayed taken for LOGIN_HASH_WAIT_MS (a flood);
   the client may retry at once (503, Retry-After: 1). */
enum login_result {
  LOGIN_OK,
  LOGIN_BAD,
  LOGIN_THROTTLED,
  LOGIN_ERROR,
  LOGIN_NEED_CODE,
  LOGIN_NEED_SETUP,
  LOGIN_BUSY
};
#define LOGIN_HASH_WAIT_MS 200

struct login_request {
  const char *login, *password, *code; /* code: a TOTP code or a recovery code, may be NULL */
  const char *addr;                    /* client address */
  const char *device_cookie;           /* may be NULL */
  const char *old_session_id;          /* the browser's session cookie, ended at login; may be NULL */
  int64_t now;
};
struct login_outcome {
  char session_id[65];   /* LOGIN_OK: a new random id (never one the browser sent) */
  char device[65];       /* LOGIN_OK: a device cookie to set ("" = keep the one sent) */
  char setup_ticket[65]; /* LOGIN_NEED_SETUP: the ticket of the second-factor setup page */
  int64_t user_id;       /* LOGIN_OK, LOGIN_NEED_SETUP */
  int64_t retry_after;   /* LOGIN_THROTTLED, LOGIN_BUSY: seconds */
  int recovery_used;     /* LOGIN_OK: a recovery code was used */
};
/* Checks the password (argon2id, verified with no transaction open, so that a flood of
   logins never holds the database's write lock) with throttling per account, address
   and device cookie, then the second factor (TOTP, RFC 6238, a window of one step, each
   step accepted once; or a one-time recovery code), and on success creates a session in
   one short write transaction. An account whose role requires a second factor and has
   none gets LOGIN_NEED_SETUP with a ticket for the setup page. Every outcome writes a
   security event line. */
int auth_login(struct db *db, const struct login_request *q, struct login_outcome *o);
/* A sign-in through the organisation's provider (http/oidc.h) whose linking claim had
   value: finds the user linked to it (with claim_email, also an unlinked user whose login
   is the address, who is linked now), or with approve_unknown makes an inactive advisor
   waiting for approval. On success a session (keeping id_token for the logout) in one
   write transaction. Returns an enum oidc_refusal: OIDC_OK, OIDC_R_UNKNOWN_ACCOUNT,
   OIDC_R_PENDING, OIDC_R_INACTIVE or OIDC_R_ERROR; login gets the account's login (the
   claim's value when there is none). */
struct oidc_login_request {
  const char *value, *id_token, *addr, *old_session_id;
  int claim_email, approve_unknown;
  int64_t now;
};
int auth_oidc_login(struct db *db, const struct oidc_login_request *q, struct login_outcome *o, char *login,
                    size_t loginlen);
/* The ID token kept with a session made by a provider sign-in; 0 when there is none. */
int auth_session_id_token(struct db *db, const char *session_id, char *out, size_t outlen);
/* Whether login is an active admin (the emergency admin of local-passwords = off). */
int auth_is_active_admin(struct db *db, const char *login);
/* Links the user login to the provider account whose linking claim is value (NULL:
   unlinks), audited. 0, or -1 with err (unknown login, value linked to another user). */
int auth_oidc_link(struct db *db, const char *login, const char *value, const char *actor, int64_t now,
                   char *err, size_t errlen);
/* The accounts a first sign-in made, waiting for approval: fn per account (login, the
   linking claim's value, created_at). Their count, or -1. */
typedef void (*oidc_pending_fn)(const char *login, const char *value, const char *created_at, void *ctx);
int auth_oidc_pending(struct db *db, oidc_pending_fn fn, void *ctx);
/* Approves such an account: switches it on, with role and advisor when given. 0, or -1
   with err. */
int auth_oidc_approve(struct db *db, const char *login, const char *role, const char *advisor_code,
                      const char *actor, int64_t now, char *err, size_t errlen);

/* Gives an account a new TOTP secret directly (bereik user totp); writes the otpauth://
   URI into uri. Returns 0, or -1 with a message (unknown login: nothing written). */
int user_totp_enable(struct db *db, const char *login, char *uri, size_t urilen, char *err, size_t errlen);
/* Self-service setup: a new pending secret for the user (the active one stays until a
   code confirms the new one); its otpauth:// URI goes to uri. 0 or -1. */
int auth_totp_begin(struct db *db, int64_t user_id, char *uri, size_t urilen);
/* The otpauth:// URI of the user's pending secret (to show it again). 0 or -1. */
int auth_totp_pending_uri(struct db *db, int64_t user_id, char *uri, size_t urilen);
/* Confirms the pending secret with a code of it: it becomes the account's second
   factor, the step is remembered, and RECOVERY_CODES new one-time recovery codes
   (24 random characters, shown once, stored as keyed hashes) replace the old ones. Returns 0, 1 when
   the code is wrong (or nothing is pending), -1 on a database error. */
int auth_totp_confirm(struct db *db, int64_t user_id, const char *code, int64_t now,
                      char codes[RECOVERY_CODES][RECOVERY_CODE_SIZE]);
/* The user of a valid second-factor setup ticket (0 when none), and its end. */
int64_t auth_setup_ticket_user(struct db *db, const char *ticket, int64_t now);
void auth_setup_ticket_end(struct db *db, const char *ticket);
/* A session for a user who has just passed every factor (the setup page's last step).
   0 or -1. */
int auth_session_create(struct db *db, int64_t user_id, const char *addr, int64_t now, char session_id[65]);
/* Whether the role must use a second factor (installation setting
   totp_required_for_ROLE; admins by default). */
int totp_required(struct db *db, int role);
/* Number of unused recovery codes of a user. */
int auth_recovery_left(struct db *db, int64_t user_id);

/* Password rules (ASVS 6.2): PASSWORD_MIN_CHARS to PASSWORD_MAX_CHARS characters of
   valid UTF-8, not the login, and not refused by cracklib's dictionary (libpwquality).
   No composition rules. */
enum password_verdict { PW_OK, PW_TOO_SHORT, PW_TOO_LONG, PW_NOT_UTF8, PW_WEAK };
/* PW_OK, or another verdict with an English message in err. */
enum password_verdict password_check(const char *password, const char *login, char *err, size_t errlen);
/* user_add with the password rules (the web form and bereik user add; the demo
   accounts use user_add). Returns USER_OK or what was wrong, with an English message in
   err for the command line and, for USER_WEAK_PASSWORD, the verdict (verdict may be
   NULL), so that a page can say it in its own language. */
enum user_fault {
  USER_OK = 0,
  USER_BAD_LOGIN,       /* empty or longer than 100 characters */
  USER_BAD_ROLE,        /* not advisor, coordinator, director or admin */
  USER_WEAK_PASSWORD,   /* see the verdict */
  USER_UNKNOWN_ADVISOR, /* no advisor with that code */
  USER_EXISTS,          /* the login is taken */
  USER_FAILED,          /* the database failed */
};
enum user_fault user_create(struct db *db, const char *login, const char *role, const char *advisor_code,
                            const char *password, enum password_verdict *verdict, char *err, size_t errlen);
/* Re-authentication (ASVS 7.5.1): the user's password, throttled like a login (a
   failure counts for the account and writes a security event naming purpose).
   Returns 0, 1 when wrong (or the account is throttled), -1 on error. */
int auth_password_verify(struct db *db, int64_t user_id, const char *password, int64_t now,
                         const char *purpose);
/* A user changes their own password: the current one must verify. Other sessions of
   the user end. Returns 0, 1 when the current password is wrong, 2 when the new one
   breaks a rule (verdict in *verdict, message in err), -1 on error. */
int auth_password_change(struct db *db, int64_t user_id, const char *keep_session_id, const char *current,
                         const char *password, int64_t now, enum password_verdict *verdict, char *err,
                         size_t errlen);
/* An admin (actor; "cli" on the command line) sets a new password for LOGIN: every
   session and device cookie of that account ends; one audit entry. Returns 0, 1 unknown
   login, 2 a rule is broken (verdict, err), -1 on error. */
int auth_password_reset(struct db *db, const char *login, const char *password, const char *actor,
                        int64_t now, enum password_verdict *verdict, char *err, size_t errlen);
/* Switches an account off or on (off ends its sessions); one audit entry. Returns 0, 1
   unknown login (nothing written or audited), -1 on error. */
int user_set_active(struct db *db, const char *login, int active, const char *actor, int64_t now);
/* Whether the login exists. */
int user_exists(struct db *db, const char *login);

/* A user's sessions, newest first: calls fn for each (its id hash, created, last seen,
   address, whether it is the current one). */
void auth_sessions_list(struct db *db, int64_t user_id, const char *current_session_id,
                        void (*fn)(void *ctx, const char *id_hash, int64_t created, int64_t seen,
                                   const char *addr, int current),
                        void *ctx);
/* Ends one session of the user (by id hash) or all but the current one (id_hash NULL).
   Returns the number ended, -1 on error. */
int auth_sessions_end(struct db *db, int64_t user_id, const char *id_hash, const char *current_session_id);
/* Deletes expired sessions, setup tickets, device cookies, throttle rows and old failed
   logins; at most once a minute per process (called at every login). */
void auth_purge(struct db *db, int64_t now);

/* Loads the session of a cookie value, enforcing the idle and absolute timeouts.
   Returns 1 and fills u when valid. */
int auth_session(struct db *db, const char *session_id, int64_t now, struct user *u);
/* Ends the session (and writes a logout event when there was one). */
void auth_logout(struct db *db, const char *session_id);
/* Personal API tokens (Authorization: Bearer): "bereik_" and 64 hex digits (256 random
   bits), shown once; the database keeps only the keyed BLAKE2b hash, as for sessions.
   Creates a token for LOGIN with a label and an expiry (Unix seconds, 0 = none); the
   token goes to token. Returns 0, or -1 with a message. */
#define API_TOKEN_LEN 71
int api_token_create(struct db *db, const char *login, const char *label, int64_t expires_at, int64_t now,
                     char token[API_TOKEN_LEN + 1], char *err, size_t errlen);
/* Loads the user of a token that exists, is not revoked, has not expired and whose user
   is active; records its use (at most one write a minute). Returns 1 and fills u. */
int api_token_auth(struct db *db, const char *token, int64_t now, struct user *u);
/* Revokes token TOKEN_ID of user USER_ID. Returns 0, 1 when there is no such token of
   that user (or it is revoked already), -1 on a database error. */
int api_token_revoke(struct db *db, int64_t user_id, int64_t token_id, int64_t now);
/* A token as its owner's list shows it (times in Unix seconds, 0 when not set). */
struct api_token_row {
  int64_t id, created_at, expires_at, last_used, revoked_at;
  const char *label;
};
typedef void (*api_token_row_fn)(void *ctx, const struct api_token_row *t);
/* Calls fn for each token of user_id in the order they were made. Returns how many, or
   -1 on a database error. */
int api_tokens_list(struct db *db, int64_t user_id, api_token_row_fn fn, void *ctx);

/* A user as the admin's list shows it (advisor_code NULL when none). */
struct user_row {
  const char *login, *role, *advisor_code;
  int has_totp, active;
  int pending; /* made by a first sign-in through the provider, waiting for approval */
};
typedef void (*user_row_fn)(void *ctx, const struct user_row *u);
/* Calls fn for every user in login order. 0 or -1. */
int users_list(struct db *db, user_row_fn fn, void *ctx);
/* 1 when user_id has a second factor, 0 when not, -1 on a database error. */
int auth_totp_enabled(struct db *db, int64_t user_id);

/* A failed login as the admin's page shows it. */
struct login_failure_row {
  int64_t at;
  const char *login, *addr, *reason;
};
typedef void (*login_failure_fn)(void *ctx, const struct login_failure_row *f);
/* Calls fn for the latest `limit` failed logins, newest first. 0 or -1. */
int auth_login_failures(struct db *db, int limit, login_failure_fn fn, void *ctx);

/* Installation setting, or dflt. */
int installation_flag(struct db *db, const char *key, int dflt);
int installation_set(struct db *db, const char *key, const char *value);

#endif
