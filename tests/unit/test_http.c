/* SPDX-License-Identifier: EUPL-1.2 */
/* The request parsers of the web application: urlencoded forms and multipart uploads;
   the login's redirect target (http_safe_next). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/http.h"

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

/* Only a local path of safe characters is followed after login (issue 13, defect 14:
   "/%09/localhost/phish" was followed, and a browser drops the tab and reads
   "//localhost/phish", another host). */
static void test_safe_next(void **state) {
  (void)state;
  const char *kept[] = {"/",
                        "/week",
                        "/week?datum=2024-10-07",
                        "/rapport?jaren=2022-2023..2024-2025&x=1",
                        "/a/b-c_d.e~f",
                        "/zoek?q=%41%2Fb"};
  for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
    assert_string_equal(http_safe_next(kept[i]), kept[i]);
  const char *refused[] = {
      NULL,
      "",
      "week",            /* relative */
      "//evil.example",  /* scheme-relative: another host */
      "/\\evil.example", /* a backslash is a slash to browsers */
      "\\/evil.example",
      "/%09/localhost/phish",  /* the reported case: a tab the browser removes */
      "/\t/localhost/phish",   /* the same tab, raw */
      "/%2F/evil.example",     /* "//" once decoded */
      "/%5Cevil.example",      /* a backslash once decoded */
      "/%0d%0aSet-Cookie:x=1", /* CR/LF: header injection */
      "/\r\nSet-Cookie:x=1",
      "/ok%00", /* NUL */
      "/ok%7f", /* DEL */
      "/ok%20", /* space */
      "/ok%",   /* a truncated escape */
      "/ok%4",
      "/ok%zz",
      "javascript:alert(1)",
      "/javascript:alert(1)", /* ':' is not a path character here */
      "https://evil.example/",
      "/a b",
      "/<script>",
      "/\"quoted\"",
      "/caf\xc3\xa9", /* 8-bit, raw */
      "/caf%C3%A9",   /* 8-bit once decoded (no page needs it; the server's own
                         redirects to the login write only [A-Za-z0-9/-]) */
  };
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    const char *got = http_safe_next(refused[i]);
    if (strcmp(got, "/") != 0) fail_msg("http_safe_next(\"%s\") = \"%s\", expected \"/\"", refused[i], got);
  }
  /* longer than 500 bytes */
  char longpath[600];
  memset(longpath, 'a', sizeof longpath - 1);
  longpath[0] = '/';
  longpath[sizeof longpath - 1] = 0;
  assert_string_equal(http_safe_next(longpath), "/");
  longpath[500] = 0;
  assert_string_equal(http_safe_next(longpath), longpath);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_urlencoded), cmocka_unit_test(test_urlencoded_rejects),
      cmocka_unit_test(test_multipart),  cmocka_unit_test(test_multipart_rejects),
      cmocka_unit_test(test_safe_next),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
