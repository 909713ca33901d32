/* SPDX-License-Identifier: EUPL-1.2 */
/* Signing in with the organisation's account: bereik as an OpenID Connect relying party
   (docs/DEPLOYMENT.md, section 9). Authorization code flow with PKCE (S256) for a
   confidential client (client_secret_basic); the provider is found by its discovery
   document, HTTP goes through libcurl and the ID token's signature (RS256, ES256) is
   checked by libcjose against the provider's JWKS, which is fetched again when a token
   names a key id it does not hold (key rotation). The claims iss, aud, azp, exp, iat and
   nonce are checked here; state is single use, 10 minutes, and bound to the browser by a
   cookie; the PKCE verifier goes to the token endpoint. Nothing here makes cryptography:
   randomness and SHA-256 come from libsodium, signatures from libcjose. */
#ifndef BEREIK_OIDC_H
#define BEREIK_OIDC_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

enum oidc_claim { OIDC_CLAIM_EMAIL, OIDC_CLAIM_SUB };
enum oidc_unknown { OIDC_UNKNOWN_REFUSE, OIDC_UNKNOWN_APPROVE };

/* The serve options (configuration file keys) oidc-issuer, oidc-client-id,
   oidc-client-secret-file, oidc-name, oidc-claim, oidc-unknown, oidc-redirect-uri,
   local-passwords and emergency-admin. */
struct oidc_config {
  char issuer[512], client_id[256], name[128], redirect_uri[512], secret_file[512];
  char client_secret[512];
  int claim;           /* enum oidc_claim */
  int unknown;         /* enum oidc_unknown */
  int local_passwords; /* 1: every user may sign in with a password (the default) */
  char emergency_admin[128];
};

/* Defaults: claim email, unknown accounts refused, local passwords on. */
void oidc_config_init(struct oidc_config *c);
/* One option, key without the leading "--". Returns 1 when the key is one of this
   module's and its value is good, 0 when the key is not one of this module's, -1 with a
   message in err when the value is bad. */
int oidc_option(struct oidc_config *c, const char *key, const char *value, char *err, size_t errlen);
/* After the options: checks that they go together and reads the client secret (the first
   line of oidc-client-secret-file; "-" reads standard input). 0, or -1 with err. */
int oidc_config_finish(struct oidc_config *c, char *err, size_t errlen);
/* Makes c the configuration of this process (copied); before serve starts its threads. */
void oidc_install(const struct oidc_config *c);
/* The installed configuration when a provider is configured (oidc-issuer set), or NULL. */
const struct oidc_config *oidc_active(void);
/* The Content-Security-Policy of every response: form-action allows the provider's origin
   (the origin of oidc-issuer) besides 'self' when a provider is configured. */
const char *oidc_csp(void);
/* Whether login may sign in with a password: local passwords on, or login is the
   emergency admin. */
int oidc_password_allowed(const char *login);

/* Why a sign-in through the provider was refused; the names are the security log's
   reasons (oidc_refusal_name). */
enum oidc_refusal {
  OIDC_OK,
  OIDC_R_UNAVAILABLE,    /* discovery or JWKS could not be read */
  OIDC_R_STATE,          /* unknown, used, expired, or not this browser's */
  OIDC_R_PROVIDER_ERROR, /* the provider redirected with error=... */
  OIDC_R_TOKEN_EXCHANGE, /* the token endpoint refused the code or gave no ID token */
  OIDC_R_SIGNATURE,      /* malformed token, algorithm not RS256/ES256, no such key, bad signature */
  OIDC_R_ISSUER,
  OIDC_R_AUDIENCE,
  OIDC_R_EXPIRED,
  OIDC_R_ISSUED_AT,
  OIDC_R_NONCE,
  OIDC_R_CLAIM, /* the linking claim is missing, too long, or an unverified e-mail address */
  OIDC_R_UNKNOWN_ACCOUNT,
  OIDC_R_PENDING,
  OIDC_R_INACTIVE,
  OIDC_R_ERROR,      /* database or memory */
  OIDC_R_UNKNOWN_KID /* internal: no key with the token's kid (the JWKS is fetched again) */
};
const char *oidc_refusal_name(enum oidc_refusal r);

/* A provider's signing keys (a JWKS). */
struct oidc_key;
struct oidc_keys {
  struct oidc_key *k;
  int n;
};
/* Parses a JWKS document; keys that are not RSA or EC P-256 signature keys are left out.
   0, or -1 with err. */
int oidc_keys_parse(const char *json, size_t len, struct oidc_keys *out, char *err, size_t errlen);
void oidc_keys_free(struct oidc_keys *k);

/* Checks an ID token: signature by one of keys (alg RS256 with an RSA key or ES256 with a
   P-256 key, chosen by kid), iss equal to issuer, aud holding client_id (and azp equal to
   it when present or when aud names others), exp not passed and iat not in the future
   (each with 60 s of clock skew) and at most 10 minutes old, nonce equal to the sign-in's.
   OIDC_OK with the claims in *claims (json_decref them), or the refusal with a short
   English detail. */
enum oidc_refusal oidc_check_id_token(const struct oidc_keys *keys, const char *issuer, const char *client_id,
                                      const char *nonce, int64_t now, const char *jwt, json_t **claims,
                                      char *detail, size_t detail_len);

/* Starts a sign-in: reads the discovery document when it is older than an hour, makes
   state, nonce and PKCE verifier, keeps them (table oidc_login) and writes the provider's
   authorization URL into location and the state (the cookie's value) into state. next
   must be a local path already (http_safe_next).
   OIDC_OK, OIDC_R_UNAVAILABLE or OIDC_R_ERROR (detail says why). */
enum oidc_refusal oidc_begin(struct db *db, const char *next, int64_t now, char *location, size_t loclen,
                             char state[64], char *detail, size_t detail_len);

/* The provider's redirect back (the callback's query) and the browser's state cookie. */
struct oidc_callback {
  const char *code, *state, *error, *iss, *cookie_state;
};
/* What a sign-in gave: the linking claim's value, the ID token (for the logout's
   id_token_hint; "" when longer than kept) and the local page to open. */
struct oidc_identity {
  char value[256];
  char id_token[8192];
  char next[512];
};
/* Finishes a sign-in: uses the state once, exchanges the code (with the PKCE verifier)
   at the token endpoint and checks the ID token. OIDC_OK with *id, or the refusal. */
enum oidc_refusal oidc_finish(struct db *db, const struct oidc_callback *cb, int64_t now,
                              struct oidc_identity *id, char *detail, size_t detail_len);

/* The provider's logout address for a session signed in with id_token (RP-initiated
   logout: id_token_hint, post_logout_redirect_uri = the origin of oidc-redirect-uri +
   "/login", client_id), or 0 when the provider has no end_session_endpoint. */
int oidc_logout_url(const char *id_token, char *out, size_t outlen);

/* bereik oidc check: reads discovery and JWKS now and prints what it found to out.
   0, or -1 with err. */
int oidc_check(const struct oidc_config *c, void (*print)(const char *line, void *ctx), void *ctx, char *err,
               size_t errlen);

#endif
