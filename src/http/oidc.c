/* SPDX-License-Identifier: EUPL-1.2 */
/* OpenID Connect sign-in (http/oidc.h). */
#include "http/oidc.h"

#include <cjose/cjose.h>
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/util.h"
#include "db/db.h"

#define DISCOVERY_SECONDS 3600 /* the discovery document is read again after an hour */
#define JWKS_SECONDS 3600      /* and the keys */
#define JWKS_REFETCH_SECONDS 1 /* an unknown kid fetches the keys again, at most once a second */
#define STATE_SECONDS 600      /* a sign-in must come back within 10 minutes */
#define SKEW_SECONDS 60
#define TOKEN_AGE_SECONDS 600
#define HTTP_MAX_BYTES (1u << 20)

struct oidc_key {
  char kid[128];
  int ec; /* 0 RSA, 1 EC P-256 */
  cjose_jwk_t *jwk;
};

static const char *const refusal_names[] = {
    "ok",       "unavailable", "state",     "provider_error", "token_exchange", "signature",       "issuer",
    "audience", "expired",     "issued_at", "nonce",          "claim",          "unknown_account", "pending",
    "inactive", "error",       "signature"};

const char *oidc_refusal_name(enum oidc_refusal r) {
  return r >= 0 && (size_t)r < sizeof refusal_names / sizeof *refusal_names ? refusal_names[r] : "error";
}

/* ---- configuration ---- */

static struct oidc_config installed;
static int installed_set;

void oidc_config_init(struct oidc_config *c) {
  memset(c, 0, sizeof *c);
  c->claim = OIDC_CLAIM_EMAIL;
  c->unknown = OIDC_UNKNOWN_REFUSE;
  c->local_passwords = 1;
}

/* https, or http to this machine only (a provider on 127.0.0.1 in the tests). */
static int url_ok(const char *u) {
  if (!strncmp(u, "https://", 8)) return u[8] && u[8] != '/';
  const char *const local[] = {"http://127.0.0.1", "http://localhost", "http://[::1]"};
  for (size_t i = 0; i < sizeof local / sizeof *local; i++) {
    size_t n = strlen(local[i]);
    if (!strncmp(u, local[i], n) && (u[n] == ':' || u[n] == '/' || !u[n])) return 1;
  }
  return 0;
}

static int printable(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7f) return 0;
  return 1;
}

static int set_text(char *dst, size_t n, const char *key, const char *v, char *err, size_t errlen) {
  if (!*v || strlen(v) >= n || !printable(v)) {
    snprintf(err, errlen, "%s takes text of 1 to %zu characters without control characters", key, n - 1);
    return -1;
  }
  snprintf(dst, n, "%s", v);
  return 1;
}

int oidc_option(struct oidc_config *c, const char *key, const char *v, char *err, size_t errlen) {
  if (!strcmp(key, "oidc-issuer") || !strcmp(key, "oidc-redirect-uri")) {
    if (!url_ok(v) || strchr(v, ' ') || strlen(v) >= sizeof c->issuer) {
      snprintf(err, errlen, "%s takes an https:// address (http:// only to 127.0.0.1 or localhost), not '%s'",
               key, v);
      return -1;
    }
    if (!strcmp(key, "oidc-issuer")) {
      snprintf(c->issuer, sizeof c->issuer, "%s", v);
    } else {
      const char *path = strstr(v + 8, "/");
      if (!path || strcmp(path, "/login/oidc/callback") != 0) {
        snprintf(err, errlen,
                 "%s must end in /login/oidc/callback (https://HOST/login/oidc/callback), not '%s'", key, v);
        return -1;
      }
      snprintf(c->redirect_uri, sizeof c->redirect_uri, "%s", v);
    }
    return 1;
  }
  if (!strcmp(key, "oidc-client-id")) return set_text(c->client_id, sizeof c->client_id, key, v, err, errlen);
  if (!strcmp(key, "oidc-name")) return set_text(c->name, sizeof c->name, key, v, err, errlen);
  if (!strcmp(key, "oidc-client-secret-file"))
    return set_text(c->secret_file, sizeof c->secret_file, key, v, err, errlen);
  if (!strcmp(key, "emergency-admin"))
    return set_text(c->emergency_admin, sizeof c->emergency_admin, key, v, err, errlen);
  if (!strcmp(key, "oidc-claim")) {
    if (strcmp(v, "email") && strcmp(v, "sub")) {
      snprintf(err, errlen, "%s takes email or sub, not '%s'", key, v);
      return -1;
    }
    c->claim = !strcmp(v, "sub") ? OIDC_CLAIM_SUB : OIDC_CLAIM_EMAIL;
    return 1;
  }
  if (!strcmp(key, "oidc-unknown")) {
    if (strcmp(v, "refuse") && strcmp(v, "approve")) {
      snprintf(err, errlen, "%s takes refuse or approve, not '%s'", key, v);
      return -1;
    }
    c->unknown = !strcmp(v, "approve") ? OIDC_UNKNOWN_APPROVE : OIDC_UNKNOWN_REFUSE;
    return 1;
  }
  if (!strcmp(key, "local-passwords")) {
    if (strcmp(v, "on") && strcmp(v, "off")) {
      snprintf(err, errlen, "%s takes on or off, not '%s'", key, v);
      return -1;
    }
    c->local_passwords = !strcmp(v, "on");
    return 1;
  }
  return 0;
}

static int read_secret(struct oidc_config *c, char *err, size_t errlen) {
  FILE *f = !strcmp(c->secret_file, "-") ? stdin : fopen(c->secret_file, "r");
  if (!f) {
    snprintf(err, errlen, "oidc-client-secret-file: cannot open '%s'", c->secret_file);
    return -1;
  }
  char line[sizeof c->client_secret + 2];
  int ok = fgets(line, sizeof line, f) != NULL;
  if (f != stdin) fclose(f);
  if (!ok) {
    snprintf(err, errlen, "oidc-client-secret-file: '%s' is empty", c->secret_file);
    return -1;
  }
  size_t n = strcspn(line, "\r\n");
  if (n >= sizeof c->client_secret) {
    sodium_memzero(line, sizeof line);
    snprintf(err, errlen, "oidc-client-secret-file: the secret in '%s' is longer than %zu bytes",
             c->secret_file, sizeof c->client_secret - 1);
    return -1;
  }
  line[n] = 0;
  if (!n || !printable(line)) {
    sodium_memzero(line, sizeof line);
    snprintf(err, errlen, "oidc-client-secret-file: the first line of '%s' is not a secret", c->secret_file);
    return -1;
  }
  memcpy(c->client_secret, line, n + 1);
  sodium_memzero(line, sizeof line);
  return 0;
}

int oidc_config_finish(struct oidc_config *c, char *err, size_t errlen) {
  int any = c->issuer[0] || c->client_id[0] || c->secret_file[0] || c->redirect_uri[0];
  if (any) {
    const char *missing = !c->issuer[0]         ? "oidc-issuer"
                          : !c->client_id[0]    ? "oidc-client-id"
                          : !c->secret_file[0]  ? "oidc-client-secret-file"
                          : !c->redirect_uri[0] ? "oidc-redirect-uri"
                                                : NULL;
    if (missing) {
      snprintf(err, errlen, "the OpenID Connect provider needs %s as well", missing);
      return -1;
    }
    if (read_secret(c, err, errlen) != 0) return -1;
    if (!c->name[0]) snprintf(c->name, sizeof c->name, "%.127s", c->issuer);
  }
  if (!c->local_passwords && !c->emergency_admin[0]) {
    snprintf(err, errlen,
             "local-passwords = off needs emergency-admin (the one admin who may still use a password)");
    return -1;
  }
  return 0;
}

#define CSP_HEAD                                                                                             \
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'"
#define CSP_TAIL "; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
static char csp[768] = CSP_HEAD CSP_TAIL;

/* scheme://host[:port] of url, or "" */
static void origin_of(const char *url, char *out, size_t n) {
  const char *host = strstr(url, "://");
  if (!host) {
    out[0] = 0;
    return;
  }
  size_t len = (size_t)(host + 3 - url) + strcspn(host + 3, "/?#");
  snprintf(out, n, "%.*s", (int)len, url);
}

const char *oidc_csp(void) { return csp; }

void oidc_install(const struct oidc_config *c) {
  installed = *c;
  installed_set = 1;
  char origin[512];
  origin_of(c->issuer, origin, sizeof origin);
  if (c->issuer[0] && origin[0] && !strpbrk(origin, " ;'\""))
    snprintf(csp, sizeof csp, "%s %s%s", CSP_HEAD, origin, CSP_TAIL);
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

const struct oidc_config *oidc_active(void) {
  return installed_set && installed.issuer[0] ? &installed : NULL;
}

int oidc_password_allowed(const char *login) {
  if (!installed_set || installed.local_passwords) return 1;
  return login && !strcmp(login, installed.emergency_admin);
}

/* ---- HTTP (libcurl) ---- */

static size_t on_body(char *data, size_t size, size_t n, void *ctx) {
  struct buf *b = ctx;
  size_t len = size * n;
  if (b->len + len > HTTP_MAX_BYTES) return 0; /* stops the transfer */
  buf_append(b, data, len);
  return len;
}

/* GET url (post: POST of the form body with HTTP basic user:password) into out; the
   status in *status. 0, or -1 with err. Never follows redirects. */
static int http_call(const char *url, const char *post, const char *user, const char *password,
                     struct buf *out, long *status, char *err, size_t errlen) {
  if (!url_ok(url)) {
    snprintf(err, errlen, "refusing to fetch '%.200s' (https only, http only to this machine)", url);
    return -1;
  }
  CURL *h = curl_easy_init();
  if (!h) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  struct curl_slist *hdr = curl_slist_append(NULL, "Accept: application/json");
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "bereik");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
  if (post) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, user);
    curl_easy_setopt(h, CURLOPT_PASSWORD, password);
  }
  CURLcode rc = curl_easy_perform(h);
  *status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
  curl_easy_cleanup(h);
  curl_slist_free_all(hdr);
  if (rc != CURLE_OK) {
    snprintf(err, errlen, "%.200s: %s", url, curl_easy_strerror(rc));
    return -1;
  }
  return 0;
}

static json_t *get_json(const char *url, char *err, size_t errlen) {
  struct buf b = {0};
  long status;
  json_t *j = NULL;
  if (http_call(url, NULL, NULL, NULL, &b, &status, err, errlen) == 0) {
    if (status != 200) {
      snprintf(err, errlen, "%.200s answered HTTP %ld", url, status);
    } else {
      json_error_t je;
      j = json_loadb(b.data ? b.data : "", b.len, 0, &je);
      if (!j || !json_is_object(j)) {
        snprintf(err, errlen, "%.200s did not give a JSON object", url);
        json_decref(j);
        j = NULL;
      }
    }
  }
  buf_free(&b);
  return j;
}

/* ---- keys ---- */

int oidc_keys_parse(const char *json, size_t len, struct oidc_keys *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  json_error_t je;
  json_t *doc = json_loadb(json, len, 0, &je);
  json_t *keys = doc ? json_object_get(doc, "keys") : NULL;
  if (!json_is_array(keys)) {
    snprintf(err, errlen, "the JWKS is not a JSON object with a keys array");
    json_decref(doc);
    return -1;
  }
  size_t n = json_array_size(keys);
  out->k = xcalloc(n ? n : 1, sizeof *out->k);
  for (size_t i = 0; i < n; i++) {
    json_t *k = json_array_get(keys, i);
    const char *kty = json_string_value(json_object_get(k, "kty"));
    const char *use = json_string_value(json_object_get(k, "use"));
    const char *kid = json_string_value(json_object_get(k, "kid"));
    if (!kty || (use && strcmp(use, "sig"))) continue;
    int ec = !strcmp(kty, "EC");
    if (!ec && strcmp(kty, "RSA")) continue;
    if (ec) {
      const char *crv = json_string_value(json_object_get(k, "crv"));
      if (!crv || strcmp(crv, "P-256")) continue;
    }
    cjose_err ce;
    cjose_jwk_t *jwk = cjose_jwk_import_json((cjose_header_t *)k, &ce);
    if (!jwk) continue;
    struct oidc_key *o = &out->k[out->n++];
    snprintf(o->kid, sizeof o->kid, "%s", kid ? kid : "");
    o->ec = ec;
    o->jwk = jwk;
  }
  json_decref(doc);
  return 0;
}

void oidc_keys_free(struct oidc_keys *k) {
  for (int i = 0; i < k->n; i++) cjose_jwk_release(k->k[i].jwk);
  free(k->k);
  memset(k, 0, sizeof *k);
}

/* ---- the ID token ---- */

static int json_time(json_t *v, int64_t *out) {
  if (json_is_integer(v)) {
    *out = (int64_t)json_integer_value(v);
    return 0;
  }
  if (json_is_real(v) && json_real_value(v) > -1e15 && json_real_value(v) < 1e15) {
    *out = (int64_t)json_real_value(v);
    return 0;
  }
  return -1;
}

static int same_secret(const char *a, const char *b) {
  size_t n = strlen(a);
  return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

enum oidc_refusal oidc_check_id_token(const struct oidc_keys *keys, const char *issuer, const char *client_id,
                                      const char *nonce, int64_t now, const char *jwt, json_t **claims,
                                      char *detail, size_t dl) {
  *claims = NULL;
  cjose_err ce;
  cjose_jws_t *jws = jwt && *jwt && strlen(jwt) < 65536 ? cjose_jws_import(jwt, strlen(jwt), &ce) : NULL;
  if (!jws) {
    snprintf(detail, dl, "the ID token is not a signed JWT");
    return OIDC_R_SIGNATURE;
  }
  enum oidc_refusal r = OIDC_OK;
  json_t *c = NULL;
  cjose_header_t *hdr = cjose_jws_get_protected(jws);
  const char *alg = hdr ? cjose_header_get(hdr, CJOSE_HDR_ALG, &ce) : NULL;
  const char *kid = hdr ? cjose_header_get(hdr, CJOSE_HDR_KID, &ce) : NULL;
  int ec = alg && !strcmp(alg, "ES256");
  if (!alg || (!ec && strcmp(alg, "RS256"))) {
    snprintf(detail, dl, "algorithm %.20s (RS256 or ES256 expected)", alg ? alg : "(none)");
    r = OIDC_R_SIGNATURE;
    goto out;
  }
  int tried = 0, verified = 0;
  for (int i = 0; i < keys->n && !verified; i++) {
    const struct oidc_key *k = &keys->k[i];
    if (k->ec != ec || (kid && strcmp(kid, k->kid))) continue;
    tried++;
    verified = cjose_jws_verify(jws, k->jwk, &ce);
  }
  if (!tried) {
    snprintf(detail, dl, "no %s key with id '%.60s' in the provider's JWKS", alg, kid ? kid : "");
    r = OIDC_R_UNKNOWN_KID;
    goto out;
  }
  if (!verified) {
    snprintf(detail, dl, "the signature does not verify");
    r = OIDC_R_SIGNATURE;
    goto out;
  }
  uint8_t *plain = NULL;
  size_t plen = 0;
  json_error_t je;
  if (!cjose_jws_get_plaintext(jws, &plain, &plen, &ce) ||
      !(c = json_loadb((const char *)plain, plen, 0, &je)) || !json_is_object(c)) {
    snprintf(detail, dl, "the ID token's claims are not a JSON object");
    r = OIDC_R_SIGNATURE;
    goto out;
  }
  const char *iss = json_string_value(json_object_get(c, "iss"));
  /* Google's ID tokens may name their issuer without the scheme (its documentation) */
  int google_alias =
      iss && !strcmp(issuer, "https://accounts.google.com") && !strcmp(iss, "accounts.google.com");
  if (!iss || (strcmp(iss, issuer) && !google_alias)) {
    snprintf(detail, dl, "iss '%.100s' is not '%.100s'", iss ? iss : "", issuer);
    r = OIDC_R_ISSUER;
    goto out;
  }
  json_t *aud = json_object_get(c, "aud");
  const char *azp = json_string_value(json_object_get(c, "azp"));
  int ours = 0, others = 0;
  if (json_is_string(aud)) {
    ours = !strcmp(json_string_value(aud), client_id);
    others = !ours;
  } else if (json_is_array(aud)) {
    for (size_t i = 0; i < json_array_size(aud); i++) {
      const char *a = json_string_value(json_array_get(aud, i));
      if (a && !strcmp(a, client_id))
        ours = 1;
      else
        others = 1;
    }
  }
  if (!ours || (azp && strcmp(azp, client_id)) || (others && !azp)) {
    snprintf(detail, dl, "the token is not for this client (aud, azp)");
    r = OIDC_R_AUDIENCE;
    goto out;
  }
  int64_t exp, iat;
  if (json_time(json_object_get(c, "exp"), &exp) != 0 || now >= exp + SKEW_SECONDS) {
    snprintf(detail, dl, "the token has expired");
    r = OIDC_R_EXPIRED;
    goto out;
  }
  if (json_time(json_object_get(c, "iat"), &iat) != 0 || iat > now + SKEW_SECONDS ||
      iat < now - TOKEN_AGE_SECONDS - SKEW_SECONDS) {
    snprintf(detail, dl, "iat is missing, in the future or older than 10 minutes");
    r = OIDC_R_ISSUED_AT;
    goto out;
  }
  const char *tn = json_string_value(json_object_get(c, "nonce"));
  if (!tn || !nonce || !same_secret(tn, nonce)) {
    snprintf(detail, dl, "the nonce is not this sign-in's");
    r = OIDC_R_NONCE;
    goto out;
  }
  const char *sub = json_string_value(json_object_get(c, "sub"));
  if (!sub || !*sub) {
    snprintf(detail, dl, "no sub claim");
    r = OIDC_R_CLAIM;
    goto out;
  }
out:
  cjose_jws_release(jws);
  if (r == OIDC_OK)
    *claims = c;
  else
    json_decref(c);
  return r;
}

/* ---- the provider's documents, kept for every request thread ---- */

static pthread_mutex_t meta_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
  char authorization[1024], token[1024], jwks[1024], end_session[1024];
  int64_t read_at;
  struct oidc_keys keys;
  int64_t keys_at;
} meta;

static int copy_endpoint(json_t *doc, const char *name, char *dst, size_t n, int required, char *err,
                         size_t errlen) {
  const char *v = json_string_value(json_object_get(doc, name));
  if (!v) {
    dst[0] = 0;
    if (required) snprintf(err, errlen, "the discovery document has no %s", name);
    return required ? -1 : 0;
  }
  if (strlen(v) >= n || !url_ok(v)) {
    snprintf(err, errlen, "the discovery document's %s is not an https address", name);
    return -1;
  }
  snprintf(dst, n, "%s", v);
  return 0;
}

/* Under meta_mu: reads the discovery document when it is older than an hour. */
static int discover_locked(const struct oidc_config *c, int64_t now, char *err, size_t errlen) {
  if (meta.read_at && now - meta.read_at < DISCOVERY_SECONDS) return 0;
  char url[640];
  size_t il = strlen(c->issuer);
  snprintf(url, sizeof url, "%.*s/.well-known/openid-configuration",
           (int)(il && c->issuer[il - 1] == '/' ? il - 1 : il), c->issuer);
  json_t *doc = get_json(url, err, errlen);
  if (!doc) return -1;
  int rc = -1;
  const char *iss = json_string_value(json_object_get(doc, "issuer"));
  if (!iss || strcmp(iss, c->issuer)) {
    snprintf(err, errlen, "the discovery document's issuer '%.200s' is not '%.200s'", iss ? iss : "",
             c->issuer);
  } else if (copy_endpoint(doc, "authorization_endpoint", meta.authorization, sizeof meta.authorization, 1,
                           err, errlen) == 0 &&
             copy_endpoint(doc, "token_endpoint", meta.token, sizeof meta.token, 1, err, errlen) == 0 &&
             copy_endpoint(doc, "jwks_uri", meta.jwks, sizeof meta.jwks, 1, err, errlen) == 0 &&
             copy_endpoint(doc, "end_session_endpoint", meta.end_session, sizeof meta.end_session, 0, err,
                           errlen) == 0) {
    meta.read_at = now;
    rc = 0;
  }
  json_decref(doc);
  if (rc != 0) meta.read_at = 0;
  return rc;
}

static int keys_locked(int64_t now, int again, char *err, size_t errlen) {
  if (meta.keys_at && (again ? now - meta.keys_at < JWKS_REFETCH_SECONDS : now - meta.keys_at < JWKS_SECONDS))
    return 0;
  struct buf b = {0};
  long status;
  int rc = -1;
  if (http_call(meta.jwks, NULL, NULL, NULL, &b, &status, err, errlen) == 0) {
    struct oidc_keys k;
    if (status != 200) {
      snprintf(err, errlen, "%.200s answered HTTP %ld", meta.jwks, status);
    } else if (oidc_keys_parse(b.data ? b.data : "", b.len, &k, err, errlen) == 0) {
      oidc_keys_free(&meta.keys);
      meta.keys = k;
      meta.keys_at = now;
      rc = 0;
    }
  }
  buf_free(&b);
  return rc;
}

/* ---- sign-in ---- */

/* The key under which a state is kept: its SHA-256 in hex. A state is 256 random bits, so
   the table never holds what the browser must show (as sessions are kept, auth.h). */
static void state_key(const char *state, char out[65]) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, (const unsigned char *)state, strlen(state));
  sodium_bin2hex(out, 65, h, sizeof h);
}

static void random_b64(char *out, size_t outlen) {
  unsigned char r[32];
  randombytes_buf(r, sizeof r);
  sodium_bin2base64(out, outlen, r, sizeof r, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void url_escape(struct buf *b, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
        strchr("-._~", *p))
      buf_append(b, (const char *)p, 1);
    else
      buf_printf(b, "%%%02X", *p);
  }
}

static void param(struct buf *b, const char *name, const char *value) {
  buf_printf(b, "%s%s=", b->len && b->data[b->len - 1] != '?' ? "&" : "", name);
  url_escape(b, value);
}

enum oidc_refusal oidc_begin(struct db *db, const char *next, int64_t now, char *location, size_t loclen,
                             char state[64], char *detail, size_t dl) {
  const struct oidc_config *c = oidc_active();
  if (!c) {
    snprintf(detail, dl, "no provider is configured");
    return OIDC_R_UNAVAILABLE;
  }
  char auth_ep[1024];
  pthread_mutex_lock(&meta_mu);
  int rc = discover_locked(c, now, detail, dl);
  snprintf(auth_ep, sizeof auth_ep, "%s", meta.authorization);
  pthread_mutex_unlock(&meta_mu);
  if (rc != 0) return OIDC_R_UNAVAILABLE;

  char nonce[64], verifier[64], challenge[64], state_hash[65];
  unsigned char h[crypto_hash_sha256_BYTES];
  random_b64(state, 64);
  random_b64(nonce, sizeof nonce);
  random_b64(verifier, sizeof verifier);
  crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
  sodium_bin2base64(challenge, sizeof challenge, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  state_key(state, state_hash);
  if (db_begin_write_quiet(db) != DB_OK) goto error;
  struct db_stmt *st = db_prepare(db, "DELETE FROM oidc_login WHERE created_at < ?");
  if (!st) goto rollback;
  db_bind_int64(st, 1, now - STATE_SECONDS); /* past use either way: a replay finds none */
  rc = db_step(st);
  db_finalize(st);
  if (rc == DB_ERROR) goto rollback;
  st = db_prepare(
      db, "INSERT INTO oidc_login (state_hash, nonce, verifier, next, created_at) VALUES (?, ?, ?, ?, ?)");
  if (!st) goto rollback;
  db_bind_text(st, 1, state_hash);
  db_bind_text(st, 2, nonce);
  db_bind_text(st, 3, verifier);
  db_bind_text(st, 4, next && *next ? next : "/");
  db_bind_int64(st, 5, now);
  rc = db_step(st);
  db_finalize(st);
  if (rc == DB_ERROR || db_commit(db) != DB_OK) goto rollback;

  struct buf u = {0};
  buf_puts(&u, auth_ep);
  buf_puts(&u, strchr(auth_ep, '?') ? "&" : "?");
  param(&u, "response_type", "code");
  param(&u, "client_id", c->client_id);
  param(&u, "redirect_uri", c->redirect_uri);
  param(&u, "scope", "openid email profile");
  param(&u, "state", state);
  param(&u, "nonce", nonce);
  param(&u, "code_challenge", challenge);
  param(&u, "code_challenge_method", "S256");
  int fits = u.len < loclen;
  if (fits) snprintf(location, loclen, "%s", buf_str(&u));
  buf_free(&u);
  if (!fits) {
    snprintf(detail, dl, "the authorization address is longer than %zu bytes", loclen - 1);
    return OIDC_R_UNAVAILABLE;
  }
  return OIDC_OK;
rollback:
  db_rollback(db);
error:
  snprintf(detail, dl, "the database could not keep the sign-in");
  return OIDC_R_ERROR;
}

/* Uses the state once: its nonce, verifier and next page. */
static enum oidc_refusal take_state(struct db *db, const struct oidc_callback *cb, int64_t now,
                                    char nonce[64], char verifier[64], char *next, size_t nextlen,
                                    char *detail, size_t dl) {
  if (!cb->state || !*cb->state || strlen(cb->state) > 128) {
    snprintf(detail, dl, "no state in the provider's answer");
    return OIDC_R_STATE;
  }
  if (!cb->cookie_state || !same_secret(cb->state, cb->cookie_state)) {
    snprintf(detail, dl, "the state is not the one this browser started");
    return OIDC_R_STATE;
  }
  char h[65];
  state_key(cb->state, h);
  if (db_begin_write_quiet(db) != DB_OK) return OIDC_R_ERROR;
  struct db_stmt *st =
      db_prepare(db, "UPDATE oidc_login SET used_at = ? WHERE state_hash = ? AND used_at IS NULL "
                     "AND created_at >= ? RETURNING nonce, verifier, next");
  if (!st) {
    db_rollback(db);
    return OIDC_R_ERROR;
  }
  db_bind_int64(st, 1, now);
  db_bind_text(st, 2, h);
  db_bind_int64(st, 3, now - STATE_SECONDS);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    snprintf(nonce, 64, "%s", db_col_text(st, 0));
    snprintf(verifier, 64, "%s", db_col_text(st, 1));
    snprintf(next, nextlen, "%s", db_col_text(st, 2));
    while (db_step(st) == DB_ROW) {
    }
  }
  db_finalize(st);
  if (rc == DB_ERROR || db_commit(db) != DB_OK) {
    db_rollback(db);
    return OIDC_R_ERROR;
  }
  if (rc != DB_ROW) {
    snprintf(detail, dl, "the state is unknown, already used or older than 10 minutes");
    return OIDC_R_STATE;
  }
  return OIDC_OK;
}

static enum oidc_refusal exchange(const struct oidc_config *c, const char *token_ep, const char *code,
                                  const char *verifier, char **id_token, char *detail, size_t dl) {
  struct buf form = {0}, body = {0};
  param(&form, "grant_type", "authorization_code");
  param(&form, "code", code);
  param(&form, "redirect_uri", c->redirect_uri);
  param(&form, "code_verifier", verifier);
  /* client_secret_basic: both parts form-encoded first (RFC 6749, 2.3.1) */
  struct buf user = {0}, pass = {0};
  url_escape(&user, c->client_id);
  url_escape(&pass, c->client_secret);
  long status = 0;
  enum oidc_refusal r = OIDC_R_TOKEN_EXCHANGE;
  char err[256];
  if (http_call(token_ep, buf_str(&form), buf_str(&user), buf_str(&pass), &body, &status, err, sizeof err) !=
      0) {
    snprintf(detail, dl, "%s", err);
  } else {
    json_error_t je;
    json_t *j = json_loadb(body.data ? body.data : "", body.len, 0, &je);
    const char *t = j ? json_string_value(json_object_get(j, "id_token")) : NULL;
    if (status != 200 || !t) {
      const char *e = j ? json_string_value(json_object_get(j, "error")) : NULL;
      snprintf(detail, dl, "the token endpoint answered HTTP %ld%s%.80s", status, e ? ": " : "", e ? e : "");
    } else {
      *id_token = xstrdup(t);
      r = OIDC_OK;
    }
    json_decref(j);
  }
  sodium_memzero(pass.data, pass.cap);
  buf_free(&form);
  buf_free(&body);
  buf_free(&user);
  buf_free(&pass);
  return r;
}

static enum oidc_refusal identity_from(const struct oidc_config *c, json_t *claims, struct oidc_identity *id,
                                       char *detail, size_t dl) {
  const char *v;
  if (c->claim == OIDC_CLAIM_SUB) {
    v = json_string_value(json_object_get(claims, "sub"));
  } else {
    v = json_string_value(json_object_get(claims, "email"));
    json_t *verified = json_object_get(claims, "email_verified");
    if (verified && !json_is_true(verified) &&
        !(json_is_string(verified) && !strcmp(json_string_value(verified), "true"))) {
      snprintf(detail, dl, "the e-mail address is not verified by the provider");
      return OIDC_R_CLAIM;
    }
  }
  if (!v || !*v || strlen(v) >= sizeof id->value || !printable(v)) {
    snprintf(detail, dl, "the %s claim is missing or not usable",
             c->claim == OIDC_CLAIM_SUB ? "sub" : "email");
    return OIDC_R_CLAIM;
  }
  snprintf(id->value, sizeof id->value, "%s", v);
  if (c->claim == OIDC_CLAIM_EMAIL)
    for (char *p = id->value; *p; p++)
      if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
  return OIDC_OK;
}

enum oidc_refusal oidc_finish(struct db *db, const struct oidc_callback *cb, int64_t now,
                              struct oidc_identity *id, char *detail, size_t dl) {
  memset(id, 0, sizeof *id);
  const struct oidc_config *c = oidc_active();
  if (!c) {
    snprintf(detail, dl, "no provider is configured");
    return OIDC_R_UNAVAILABLE;
  }
  char nonce[64], verifier[64];
  enum oidc_refusal r = take_state(db, cb, now, nonce, verifier, id->next, sizeof id->next, detail, dl);
  if (r != OIDC_OK) return r;
  if (cb->error) {
    snprintf(detail, dl, "the provider answered %.100s", cb->error);
    return OIDC_R_PROVIDER_ERROR;
  }
  if (cb->iss && strcmp(cb->iss, c->issuer)) { /* RFC 9207 */
    snprintf(detail, dl, "the answer's iss is not the configured issuer");
    return OIDC_R_ISSUER;
  }
  if (!cb->code || !*cb->code || strlen(cb->code) > 4096) {
    snprintf(detail, dl, "no code in the provider's answer");
    return OIDC_R_PROVIDER_ERROR;
  }
  char token_ep[1024];
  pthread_mutex_lock(&meta_mu);
  int rc = discover_locked(c, now, detail, dl);
  snprintf(token_ep, sizeof token_ep, "%s", meta.token);
  pthread_mutex_unlock(&meta_mu);
  if (rc != 0) return OIDC_R_UNAVAILABLE;
  char *jwt = NULL;
  r = exchange(c, token_ep, cb->code, verifier, &jwt, detail, dl);
  if (r != OIDC_OK) return r;
  json_t *claims = NULL;
  for (int again = 0; again < 2; again++) {
    pthread_mutex_lock(&meta_mu);
    if (keys_locked(now, again, detail, dl) != 0) {
      pthread_mutex_unlock(&meta_mu);
      free(jwt);
      return OIDC_R_UNAVAILABLE;
    }
    r = oidc_check_id_token(&meta.keys, c->issuer, c->client_id, nonce, now, jwt, &claims, detail, dl);
    pthread_mutex_unlock(&meta_mu);
    if (r != OIDC_R_UNKNOWN_KID) break; /* a key the provider rotated in: fetch the keys again */
  }
  if (r == OIDC_R_UNKNOWN_KID) r = OIDC_R_SIGNATURE;
  if (r == OIDC_OK) {
    r = identity_from(c, claims, id, detail, dl);
    if (strlen(jwt) < sizeof id->id_token) snprintf(id->id_token, sizeof id->id_token, "%s", jwt);
  }
  json_decref(claims);
  free(jwt);
  return r;
}

int oidc_logout_url(const char *id_token, char *out, size_t outlen) {
  const struct oidc_config *c = oidc_active();
  if (!c || !id_token || !*id_token) return 0;
  char ep[1024], err[256];
  pthread_mutex_lock(&meta_mu);
  /* a session from before this process started: the documents are not read yet */
  if (discover_locked(c, (int64_t)time(NULL), err, sizeof err) != 0) meta.end_session[0] = 0;
  snprintf(ep, sizeof ep, "%s", meta.end_session);
  pthread_mutex_unlock(&meta_mu);
  char o1[512], o2[512];
  origin_of(ep, o1, sizeof o1);
  origin_of(c->issuer, o2, sizeof o2);
  if (!ep[0] || strcmp(o1, o2)) return 0; /* form-action allows only the issuer's origin */
  char back[600];
  const char *path = strstr(c->redirect_uri + 8, "/");
  snprintf(back, sizeof back, "%.*s/login", (int)(path - c->redirect_uri), c->redirect_uri);
  struct buf u = {0};
  buf_puts(&u, ep);
  buf_puts(&u, strchr(ep, '?') ? "&" : "?");
  param(&u, "id_token_hint", id_token);
  param(&u, "post_logout_redirect_uri", back);
  param(&u, "client_id", c->client_id);
  int fits = u.len < outlen;
  if (fits) snprintf(out, outlen, "%s", buf_str(&u));
  buf_free(&u);
  return fits;
}

int oidc_check(const struct oidc_config *c, void (*print)(const char *line, void *ctx), void *ctx, char *err,
               size_t errlen) {
  char line[1400];
  pthread_mutex_lock(&meta_mu);
  meta.read_at = 0;
  meta.keys_at = 0;
  int rc = discover_locked(c, 1, err, errlen);
  if (rc == 0) rc = keys_locked(1, 0, err, errlen);
  if (rc == 0) {
    snprintf(line, sizeof line, "issuer: %s", c->issuer);
    print(line, ctx);
    snprintf(line, sizeof line, "authorization_endpoint: %s", meta.authorization);
    print(line, ctx);
    snprintf(line, sizeof line, "token_endpoint: %s", meta.token);
    print(line, ctx);
    snprintf(line, sizeof line, "jwks_uri: %s", meta.jwks);
    print(line, ctx);
    snprintf(line, sizeof line, "end_session_endpoint: %s",
             meta.end_session[0] ? meta.end_session : "(none: logout ends only the bereik session)");
    print(line, ctx);
    for (int i = 0; i < meta.keys.n; i++) {
      snprintf(line, sizeof line, "signing key: %s %s", meta.keys.k[i].ec ? "ES256" : "RS256",
               meta.keys.k[i].kid[0] ? meta.keys.k[i].kid : "(no kid)");
      print(line, ctx);
    }
    if (!meta.keys.n) {
      snprintf(err, errlen, "the provider's JWKS holds no RS256 or ES256 signing key");
      rc = -1;
    }
  }
  meta.read_at = 0; /* serve reads them again itself */
  meta.keys_at = 0;
  pthread_mutex_unlock(&meta_mu);
  if (rc == 0) {
    snprintf(line, sizeof line, "redirect URI to register: %s", c->redirect_uri);
    print(line, ctx);
    const char *path = strstr(c->redirect_uri + 8, "/");
    snprintf(line, sizeof line, "post-logout redirect URI to register: %.*s/login",
             (int)(path - c->redirect_uri), c->redirect_uri);
    print(line, ctx);
  }
  return rc;
}
