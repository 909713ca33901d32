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
#define THROTTLE_WINDOW_SECONDS (15LL * 60)
#define THROTTLE_MAX_PER_ACCOUNT 5
#define THROTTLE_MAX_PER_ADDRESS 20

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

/* Creates an account. Returns 0, or -1 with a message. */
int user_add(struct db *db, const char *login, const char *role, const char *advisor_code,
             const char *password, char *err, size_t errlen);

enum login_result { LOGIN_OK, LOGIN_BAD, LOGIN_THROTTLED, LOGIN_ERROR, LOGIN_NEED_CODE, LOGIN_NEED_SETUP };
/* Checks the password (with throttling per account and per address) and on success
   creates a session: its id (64 hex characters) goes to session_id. A previous session
   of the same browser (old_session_id, may be NULL) is ended.
   A second factor (TOTP, RFC 6238) is checked when the account has one; an admin
   without one cannot log in while the installation requires it (the default). */
int auth_login(struct db *db, const char *login, const char *password, const char *code, const char *addr,
               int64_t now, const char *old_session_id, char session_id[65]);
/* Gives an account a new TOTP secret; writes the otpauth:// URI for an authenticator
   app into uri. Returns 0, or -1 with a message. */
int user_totp_enable(struct db *db, const char *login, char *uri, size_t urilen, char *err, size_t errlen);
/* Loads the session of a cookie value, enforcing the idle and absolute timeouts.
   Returns 1 and fills u when valid. */
int auth_session(struct db *db, const char *session_id, int64_t now, struct user *u);
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
/* Installation setting, or dflt. */
int installation_flag(struct db *db, const char *key, int dflt);
int installation_set(struct db *db, const char *key, const char *value);

#endif
