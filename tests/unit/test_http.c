/* SPDX-License-Identifier: EUPL-1.2 */
/* The request parsers of the web application: urlencoded forms and multipart uploads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "web/http.h"

static void test_urlencoded(void **state) {
  (void)state;
  const char *body = "login=an+peeters&next=%2Fweek%3Fdatum%3D2024-10-07&empty=&flag";
  struct kv *kv;
  int n = parse_urlencoded(body, strlen(body), &kv);
  assert_int_equal(n, 4);
  assert_string_equal(kv[0].key, "login");
  assert_string_equal(kv[0].value, "an peeters");
  assert_string_equal(kv[1].value, "/week?datum=2024-10-07");
  assert_string_equal(kv[2].value, "");
  assert_string_equal(kv[3].key, "flag");
  assert_string_equal(kv[3].value, "");
  kv_free(kv, n);
}

static void test_urlencoded_rejects(void **state) {
  (void)state;
  const char *bad[] = {"a=%zz", "a=%4", "a=%", "a=%00b"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct kv *kv = (struct kv *)1;
    assert_int_equal(parse_urlencoded(bad[i], strlen(bad[i]), &kv), -1);
    assert_null(kv);
  }
  /* more than 512 fields */
  char many[4000] = "";
  for (int i = 0; i < 600; i++) strcat(many, "a=1&");
  struct kv *kv;
  assert_int_equal(parse_urlencoded(many, strlen(many), &kv), -1);
}

static const char multipart[] =
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
    "abc123\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"bestanden\"; filename=\"lines.csv\"\r\n"
    "Content-Type: text/csv\r\n\r\n"
    "code,name,kind\r\nP1,\"Pijler 1\",pillar\r\n"
    "\r\n"
    "--XyZ--\r\n";

static void test_multipart(void **state) {
  (void)state;
  struct kv *f;
  struct upload *u;
  int nf, nu;
  assert_int_equal(parse_multipart(multipart, sizeof multipart - 1, "XyZ", &f, &nf, &u, &nu), 0);
  assert_int_equal(nf, 1);
  assert_string_equal(f[0].key, "csrf");
  assert_string_equal(f[0].value, "abc123");
  assert_int_equal(nu, 1);
  assert_string_equal(u[0].field, "bestanden");
  assert_string_equal(u[0].filename, "lines.csv");
  const char *want = "code,name,kind\r\nP1,\"Pijler 1\",pillar\r\n";
  assert_int_equal(u[0].len, strlen(want));
  assert_memory_equal(u[0].data, want, strlen(want));
  kv_free(f, nf);
  uploads_free(u, nu);
}

static void test_multipart_rejects(void **state) {
  (void)state;
  struct kv *f;
  struct upload *u;
  int nf, nu;
  /* wrong boundary, truncated body, no boundary */
  assert_int_equal(parse_multipart(multipart, sizeof multipart - 1, "Other", &f, &nf, &u, &nu), -1);
  assert_int_equal(parse_multipart(multipart, 60, "XyZ", &f, &nf, &u, &nu), -1);
  assert_int_equal(parse_multipart(multipart, sizeof multipart - 1, "", &f, &nf, &u, &nu), -1);
  assert_null(f);
  assert_null(u);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_urlencoded),
      cmocka_unit_test(test_urlencoded_rejects),
      cmocka_unit_test(test_multipart),
      cmocka_unit_test(test_multipart_rejects),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
