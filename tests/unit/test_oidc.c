/* SPDX-License-Identifier: EUPL-1.2 */
/* The OpenID Connect checks of src/http/oidc.h: every refusal of oidc_check_id_token on
   tokens this test signs itself with libcjose (keys made here, claims written here), the
   JWKS parser, and the options and their combinations. The whole sign-in against a real
   provider is tests/oidc/oidc.test.mjs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjose/cjose.h>
#include <cmocka.h>
#include <jansson.h>

#include "http/oidc.h"

#define ISSUER "https://login.example.org/tenant/v2.0"
#define CLIENT "bereik-client"
#define NONCE "n-0S6_WzA2Mj"
#define NOW 1765000000LL

static cjose_jwk_t *rsa, *ec, *stranger;
static struct oidc_keys keys;

/* The public JWKS of rsa ("r1") and ec ("e1"), as a provider serves it. */
static char *jwks_of(cjose_jwk_t *const *k, const char *const *kids, int n) {
  json_t *arr = json_array();
  for (int i = 0; i < n; i++) {
    cjose_err ce;
    char *pub = cjose_jwk_to_json(k[i], false, &ce);
    json_t *j = json_loads(pub, 0, NULL);
    free(pub);
    json_object_set_new(j, "kid", json_string(kids[i]));
    json_object_set_new(j, "use", json_string("sig"));
    json_array_append_new(arr, j);
  }
  json_t *doc = json_pack("{s:o}", "keys", arr);
  char *s = json_dumps(doc, 0);
  json_decref(doc);
  return s;
}

static int setup(void **state) {
  (void)state;
  cjose_err ce;
  static const uint8_t e[] = {1, 0, 1};
  rsa = cjose_jwk_create_RSA_random(2048, e, sizeof e, &ce);
  ec = cjose_jwk_create_EC_random(CJOSE_JWK_EC_P_256, &ce);
  stranger = cjose_jwk_create_RSA_random(2048, e, sizeof e, &ce);
  assert_non_null(rsa);
  assert_non_null(ec);
  cjose_jwk_t *const k[] = {rsa, ec};
  const char *const kids[] = {"r1", "e1"};
  char *doc = jwks_of(k, kids, 2);
  char err[256];
  assert_int_equal(oidc_keys_parse(doc, strlen(doc), &keys, err, sizeof err), 0);
  free(doc);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  oidc_keys_free(&keys);
  cjose_jwk_release(rsa);
  cjose_jwk_release(ec);
  cjose_jwk_release(stranger);
  return 0;
}

/* The claims of a good token; tests change them. */
static json_t *good_claims(void) {
  return json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:b}", "iss", ISSUER, "sub", "abc-123", "aud", CLIENT,
                   "iat", (json_int_t)(NOW - 5), "exp", (json_int_t)(NOW + 300), "nonce", NONCE, "email",
                   "an@school.example", "email_verified", 1);
}

/* A compact JWS of claims signed with key, alg and kid in its header (kid NULL: none). */
static char *sign(json_t *claims, const cjose_jwk_t *key, const char *alg, const char *kid) {
  cjose_err ce;
  cjose_header_t *h = cjose_header_new(&ce);
  cjose_header_set(h, CJOSE_HDR_ALG, alg, &ce);
  if (kid) cjose_header_set(h, CJOSE_HDR_KID, kid, &ce);
  char *payload = json_dumps(claims, JSON_COMPACT);
  json_decref(claims);
  cjose_jws_t *jws = cjose_jws_sign(key, h, (const uint8_t *)payload, strlen(payload), &ce);
  assert_non_null(jws);
  const char *ser;
  assert_true(cjose_jws_export(jws, &ser, &ce));
  char *out = strdup(ser);
  cjose_jws_release(jws);
  cjose_header_release(h);
  free(payload);
  return out;
}

static enum oidc_refusal check(char *jwt) {
  json_t *claims = NULL;
  char detail[256];
  enum oidc_refusal r =
      oidc_check_id_token(&keys, ISSUER, CLIENT, NONCE, NOW, jwt, &claims, detail, sizeof detail);
  if (r == OIDC_OK) {
    assert_non_null(claims);
    assert_string_equal(json_string_value(json_object_get(claims, "sub")), "abc-123");
  } else {
    assert_null(claims);
    assert_true(detail[0]);
  }
  json_decref(claims);
  free(jwt);
  return r;
}

static void test_good_tokens_pass(void **state) {
  (void)state;
  assert_int_equal(check(sign(good_claims(), rsa, "RS256", "r1")), OIDC_OK);
  assert_int_equal(check(sign(good_claims(), ec, "ES256", "e1")), OIDC_OK);
  /* no kid: every key of the algorithm's type is tried */
  assert_int_equal(check(sign(good_claims(), ec, "ES256", NULL)), OIDC_OK);
  /* aud as a list with only this client */
  json_t *c = good_claims();
  json_object_set_new(c, "aud", json_pack("[s]", CLIENT));
  assert_int_equal(check(sign(c, rsa, "RS256", "r1")), OIDC_OK);
  /* several audiences and azp naming this client */
  c = good_claims();
  json_object_set_new(c, "aud", json_pack("[s, s]", CLIENT, "api://other"));
  json_object_set_new(c, "azp", json_string(CLIENT));
  assert_int_equal(check(sign(c, rsa, "RS256", "r1")), OIDC_OK);
}

static void test_signature_refusals(void **state) {
  (void)state;
  /* a key that is not the provider's, under the provider's kid */
  assert_int_equal(check(sign(good_claims(), stranger, "RS256", "r1")), OIDC_R_SIGNATURE);
  /* the algorithm in the header must be RS256 or ES256 */
  assert_int_equal(check(sign(good_claims(), rsa, "PS256", "r1")), OIDC_R_SIGNATURE);
  assert_int_equal(check(sign(good_claims(), rsa, "RS512", "r1")), OIDC_R_SIGNATURE);
  /* an ES256 header with the kid of the RSA key: no EC key of that id */
  assert_int_equal(check(sign(good_claims(), ec, "ES256", "r1")), OIDC_R_UNKNOWN_KID);
  /* a kid the JWKS does not hold: the caller fetches the keys again */
  assert_int_equal(check(sign(good_claims(), rsa, "RS256", "r2")), OIDC_R_UNKNOWN_KID);
  /* "alg": "none" with an empty signature */
  assert_int_equal(check(strdup("eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.")), OIDC_R_SIGNATURE);
  /* not a JWT at all, and one changed byte in the payload */
  assert_int_equal(check(strdup("not-a-token")), OIDC_R_SIGNATURE);
  char *t = sign(good_claims(), rsa, "RS256", "r1");
  char *dot = strchr(t, '.') + 5;
  *dot = *dot == 'A' ? 'B' : 'A';
  assert_int_equal(check(t), OIDC_R_SIGNATURE);
}

static void test_claim_refusals(void **state) {
  (void)state;
  json_t *c = good_claims();
  json_object_set_new(c, "iss", json_string("https://login.example.org/other/v2.0"));
  assert_int_equal(check(sign(c, rsa, "RS256", "r1")), OIDC_R_ISSUER);
  c = good_claims();
  json_object_del(c, "iss");
  assert_int_equal(check(sign(c, rsa, "RS256", "r1")), OIDC_R_ISSUER);
  c = good_claims();
  json_object_set_new(c, "aud", json_string("other-client"));
  assert_int_equal(check(sign(c, rsa, "RS256", "r1")), OIDC_R_AUDIENCE);
  c = good_claims();
  json_object_set_new(c, "aud", json_pack("[s, s]", CLIENT, "api://other"));
  assert_int_equal(check(sign(c, rsa, "RS256", "r1")), OIDC_R_AUDIENCE); /* several, no azp */
  c = good_claims();
  json_object_set_new(c, "azp", json_string("other-client"));
  assert_int_equal(check(sign(c, rsa, "RS256", "r1")), OIDC_R_AUDIENCE);
  /* exp: 60 s of clock skew, not more */
  c = good_claims();
  json_object_set_new(c, "exp", json_integer(NOW - 59));
  assert_int_equal(check(sign(c, rsa, "RS256", "r1")), OIDC_OK);
  c = good_claims();
  json_object_set_new(c, "exp", json_integer(NOW - 60));
  assert_int_equal(check(sign(c, rsa, "RS256", "r1")), OIDC_R_EXPIRED);
  c = good_claims();
  json_object_del(c, "exp");
  assert_int_equal(check(sign(c, rsa, "RS256", "r1")), OIDC_R_EXPIRED);
  /* iat: not more than 60 s ahead, not older than 10 minutes (+ skew) */
  c = good_claims();
  json_object_set_new(c, "iat", json_integer(NOW + 61));
  assert_int_equal(check(sign(c, rsa, "RS256", "r1")), OIDC_R_ISSUED_AT);
  c = good_claims();
  json_object_set_new(c, "iat", json_integer(NOW - 661));
  assert_int_equal(check(sign(c, rsa, "RS256", "r1")), OIDC_R_ISSUED_AT);
  c = good_claims();
  json_object_set_new(c, "iat", json_integer(NOW - 660));
  assert_int_equal(check(sign(c, rsa, "RS256", "r1")), OIDC_OK);
  /* nonce: exactly the sign-in's */
  c = good_claims();
  json_object_set_new(c, "nonce", json_string("n-0S6_WzA2Mk"));
  assert_int_equal(check(sign(c, rsa, "RS256", "r1")), OIDC_R_NONCE);
  c = good_claims();
  json_object_del(c, "nonce");
  assert_int_equal(check(sign(c, rsa, "RS256", "r1")), OIDC_R_NONCE);
  c = good_claims();
  json_object_del(c, "sub");
  assert_int_equal(check(sign(c, rsa, "RS256", "r1")), OIDC_R_CLAIM);
}

/* Google's tokens may name the issuer without its scheme; nobody else's may. */
static void test_google_issuer_alias(void **state) {
  (void)state;
  json_t *c = good_claims();
  json_object_set_new(c, "iss", json_string("accounts.google.com"));
  char *jwt = sign(c, rsa, "RS256", "r1");
  json_t *claims = NULL;
  char detail[256];
  assert_int_equal(oidc_check_id_token(&keys, "https://accounts.google.com", CLIENT, NONCE, NOW, jwt, &claims,
                                       detail, sizeof detail),
                   OIDC_OK);
  json_decref(claims);
  assert_int_equal(oidc_check_id_token(&keys, "https://accounts.example.com", CLIENT, NONCE, NOW, jwt,
                                       &claims, detail, sizeof detail),
                   OIDC_R_ISSUER);
  free(jwt);
}

/* Keys that are not for signatures, other curves and other types are left out. */
static void test_jwks_parse(void **state) {
  (void)state;
  static const char doc[] =
      "{\"keys\": ["
      "{\"kty\": \"oct\", \"k\": \"c2VjcmV0\", \"kid\": \"h1\"},"
      "{\"kty\": \"EC\", \"crv\": \"P-384\", \"kid\": \"e384\", \"x\": \"AA\", \"y\": \"AA\"},"
      "{\"kty\": \"RSA\", \"use\": \"enc\", \"kid\": \"enc\", \"n\": \"AQAB\", \"e\": \"AQAB\"}"
      "]}";
  struct oidc_keys k;
  char err[256];
  assert_int_equal(oidc_keys_parse(doc, strlen(doc), &k, err, sizeof err), 0);
  assert_int_equal(k.n, 0);
  oidc_keys_free(&k);
  assert_int_equal(oidc_keys_parse("[]", 2, &k, err, sizeof err), -1);
  assert_int_equal(oidc_keys_parse("{\"keys\": {}}", 12, &k, err, sizeof err), -1);
  assert_int_equal(keys.n, 2);
}

static int option(struct oidc_config *c, const char *key, const char *value) {
  char err[600];
  return oidc_option(c, key, value, err, sizeof err);
}

static void test_options(void **state) {
  (void)state;
  struct oidc_config c;
  oidc_config_init(&c);
  assert_int_equal(c.claim, OIDC_CLAIM_EMAIL);
  assert_int_equal(c.unknown, OIDC_UNKNOWN_REFUSE);
  assert_int_equal(c.local_passwords, 1);
  assert_int_equal(option(&c, "oidc-issuer", "https://login.microsoftonline.com/x/v2.0"), 1);
  assert_int_equal(option(&c, "oidc-issuer", "http://127.0.0.1:9000"), 1);
  assert_int_equal(option(&c, "oidc-issuer", "http://localhost"), 1);
  assert_int_equal(option(&c, "oidc-issuer", "http://idp.example.org"), -1); /* http only to this machine */
  assert_int_equal(option(&c, "oidc-issuer", "http://127.0.0.1.example.org"), -1);
  assert_int_equal(option(&c, "oidc-issuer", "ftp://idp.example.org"), -1);
  assert_int_equal(option(&c, "oidc-redirect-uri", "https://bereik.example.org/login/oidc/callback"), 1);
  assert_int_equal(option(&c, "oidc-redirect-uri", "https://bereik.example.org/callback"), -1);
  assert_int_equal(option(&c, "oidc-claim", "sub"), 1);
  assert_int_equal(c.claim, OIDC_CLAIM_SUB);
  assert_int_equal(option(&c, "oidc-claim", "upn"), -1);
  assert_int_equal(option(&c, "oidc-unknown", "approve"), 1);
  assert_int_equal(c.unknown, OIDC_UNKNOWN_APPROVE);
  assert_int_equal(option(&c, "oidc-unknown", "create"), -1);
  assert_int_equal(option(&c, "local-passwords", "off"), 1);
  assert_int_equal(option(&c, "local-passwords", "nee"), -1);
  assert_int_equal(option(&c, "oidc-name", ""), -1);
  assert_int_equal(option(&c, "oidc-name", "Micro\nsoft"), -1);
  assert_int_equal(option(&c, "listen", "127.0.0.1:80"), 0); /* not one of this module's */
}

/* The secret is read from its file; the options must go together. */
static void test_config_finish(void **state) {
  (void)state;
  char err[600], path[] = "/tmp/bereik-oidc-secret-XXXXXX";
  struct oidc_config c;
  oidc_config_init(&c);
  assert_int_equal(oidc_config_finish(&c, err, sizeof err), 0); /* nothing configured */
  option(&c, "oidc-issuer", "https://idp.example.org");
  assert_int_equal(oidc_config_finish(&c, err, sizeof err), -1);
  assert_non_null(strstr(err, "oidc-client-id"));
  option(&c, "oidc-client-id", "bereik");
  option(&c, "oidc-redirect-uri", "https://bereik.example.org/login/oidc/callback");
  assert_int_equal(oidc_config_finish(&c, err, sizeof err), -1);
  assert_non_null(strstr(err, "oidc-client-secret-file"));
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  option(&c, "oidc-client-secret-file", path);
  assert_int_equal(oidc_config_finish(&c, err, sizeof err), -1); /* an empty file */
  assert_non_null(strstr(err, "empty"));
  assert_int_equal(write(fd, "s3cr3t-value\r\nsecond line\n", 26), 26);
  close(fd);
  assert_int_equal(oidc_config_finish(&c, err, sizeof err), 0);
  assert_string_equal(c.client_secret, "s3cr3t-value");
  assert_string_equal(c.name, "https://idp.example.org"); /* no oidc-name: the issuer */
  /* 511 bytes is the longest secret kept; 512 is refused, not cut */
  char secret[600];
  memset(secret, 'x', 512);
  strcpy(secret + 512, "\n");
  FILE *f = fopen(path, "w");
  fputs(secret, f);
  fclose(f);
  assert_int_equal(oidc_config_finish(&c, err, sizeof err), -1);
  assert_non_null(strstr(err, "longer than 511 bytes"));
  strcpy(secret + 511, "\n");
  f = fopen(path, "w");
  fputs(secret, f);
  fclose(f);
  assert_int_equal(oidc_config_finish(&c, err, sizeof err), 0);
  assert_int_equal(strlen(c.client_secret), 511);
  unlink(path);
  option(&c, "oidc-client-secret-file", "/nonexistent/secret");
  assert_int_equal(oidc_config_finish(&c, err, sizeof err), -1);
  /* local passwords off needs the emergency admin */
  struct oidc_config d;
  oidc_config_init(&d);
  option(&d, "local-passwords", "off");
  assert_int_equal(oidc_config_finish(&d, err, sizeof err), -1);
  assert_non_null(strstr(err, "emergency-admin"));
  option(&d, "emergency-admin", "admin");
  assert_int_equal(oidc_config_finish(&d, err, sizeof err), 0);
}

static void test_password_allowed(void **state) {
  (void)state;
  struct oidc_config c;
  oidc_config_init(&c);
  option(&c, "local-passwords", "off");
  option(&c, "emergency-admin", "admin");
  assert_int_equal(oidc_password_allowed("admin"), 1); /* nothing installed: passwords on */
  oidc_install(&c);
  assert_int_equal(oidc_password_allowed("admin"), 1);
  assert_int_equal(oidc_password_allowed("directie"), 0);
  assert_int_equal(oidc_password_allowed("admin2"), 0);
  assert_int_equal(oidc_password_allowed(NULL), 0);
  assert_null(oidc_active()); /* local passwords off without a provider: no provider */
  option(&c, "local-passwords", "on");
  oidc_install(&c);
  assert_int_equal(oidc_password_allowed("directie"), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_good_tokens_pass), cmocka_unit_test(test_signature_refusals),
      cmocka_unit_test(test_claim_refusals),   cmocka_unit_test(test_google_issuer_alias),
      cmocka_unit_test(test_jwks_parse),       cmocka_unit_test(test_options),
      cmocka_unit_test(test_config_finish),    cmocka_unit_test(test_password_allowed),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
