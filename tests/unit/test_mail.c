/* SPDX-License-Identifier: EUPL-1.2 */
/* The MIME builder of e-mail (mail/mime.h, docs/MAIL.md): quoted-printable, base64,
   RFC 2047 subjects, line lengths, header injection refused, and the ISO week keys of
   the sent-log (mail/due.h). Every expected string is written out by hand (the base64
   of a few bytes worked out from the RFC 4648 alphabet). */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/dates.h"
#include "mail/due.h"
#include "mail/mime.h"
#include "mail/smtp.h"

static void qp(const char *in, const char *want) {
  struct buf b = {0};
  mime_qp(&b, in, strlen(in));
  assert_string_equal(buf_str(&b), want);
  buf_free(&b);
}

static void quoted_printable(void **state) {
  (void)state;
  /* UTF-8 bytes and '=' as =XX, a blank at a line end as =20, '\n' as CRLF */
  qp("Dag Zo\xc3\xab,\n= a tab\there \n", "Dag Zo=C3=AB,\r\n=3D a tab\there=20\r\n");
  qp("a\r\nb", "a\r\nb");
  qp("line end\t", "line end=09");
  /* 100 letters: 75 and a soft break, then 25 (each line at most 76) */
  char in[128], want[160];
  memset(in, 'a', 100);
  in[100] = 0;
  memset(want, 'a', 75);
  memcpy(want + 75, "=\r\n", 3);
  memset(want + 78, 'a', 25);
  want[103] = 0;
  qp(in, want);
  /* 74 letters and an é: the =C3=A9 is never split over two lines */
  memset(in, 'a', 74);
  strcpy(in + 74, "\xc3\xa9");
  memset(want, 'a', 74);
  strcpy(want + 74, "=\r\n=C3=A9");
  qp(in, want);
  /* exactly 76 letters fit on one line */
  memset(in, 'b', 76);
  in[76] = 0;
  qp(in, in);
}

static void base64(void **state) {
  (void)state;
  struct buf b = {0};
  mime_base64(&b, (const unsigned char *)"Man", 3);
  assert_string_equal(buf_str(&b), "TWFu\r\n");
  buf_reset(&b);
  mime_base64(&b, (const unsigned char *)"Ma", 2);
  assert_string_equal(buf_str(&b), "TWE=\r\n");
  buf_reset(&b);
  mime_base64(&b, (const unsigned char *)"M", 1);
  assert_string_equal(buf_str(&b), "TQ==\r\n");
  buf_reset(&b);
  /* 58 bytes 0..57: 57 per line of 76 characters, then the last byte */
  unsigned char d[58];
  for (int i = 0; i < 58; i++) d[i] = (unsigned char)i;
  mime_base64(&b, d, 58);
  assert_string_equal(
      buf_str(&b),
      "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\r\nOQ==\r\n");
  buf_free(&b);
}

static void header(const char *value, const char *want) {
  struct buf b = {0};
  mime_header_text(&b, "Subject", value);
  assert_string_equal(buf_str(&b), want);
  buf_free(&b);
}

static void rfc2047(void **state) {
  (void)state;
  header("Herinnering: registraties ontbreken (week 49)",
         "Subject: Herinnering: registraties ontbreken (week 49)\r\n");
  /* "Overzicht van Zoë": 18 bytes of UTF-8 in one encoded word */
  header("Overzicht van Zo\xc3\xab", "Subject: =?UTF-8?B?T3ZlcnppY2h0IHZhbiBab8Or?=\r\n");
  /* 41 letters and an é: 42 bytes would end inside the é, so the first word holds 41 */
  char in[64];
  memset(in, 'a', 41);
  strcpy(in + 41, "\xc3\xa9");
  header(in, "Subject: =?UTF-8?B?YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE=?=\r\n"
             " =?UTF-8?B?w6k=?=\r\n");
  /* plain text that looks like an encoded word is encoded, so it reads as written */
  header("=?x?", "Subject: =?UTF-8?B?PT94Pw==?=\r\n");
}

static void addresses(void **state) {
  (void)state;
  assert_true(mail_addr_ok("an.peeters@example.org"));
  assert_true(mail_addr_ok("a+b@sub.example.be"));
  assert_false(mail_addr_ok("an@example.org\r\nBcc: all@example.org"));
  assert_false(mail_addr_ok("an@example.org\n"));
  assert_false(mail_addr_ok("an peeters@example.org"));
  assert_false(mail_addr_ok("<an@example.org>"));
  assert_false(mail_addr_ok("@example.org"));
  assert_false(mail_addr_ok("an@"));
  assert_false(mail_addr_ok("an@@example.org"));
  assert_false(mail_addr_ok("an@example..org"));
  assert_false(mail_addr_ok("an@-example.org"));
  assert_false(mail_addr_ok(".an@example.org"));
  assert_false(mail_addr_ok("an\"x@example.org"));
  assert_false(mail_addr_ok(NULL));
  assert_true(mail_subject_ok("Je week in bereik (week 49)"));
  assert_false(mail_subject_ok("Week\r\nBcc: all@example.org"));
  assert_false(mail_subject_ok("tab\there"));
  assert_false(mail_subject_ok(""));
  assert_false(mail_subject_ok("\xc3("));
}

/* Every line of a message ends in CRLF and has at most 78 characters. */
static void assert_lines(const char *msg) {
  const char *p = msg;
  while (*p) {
    const char *e = strstr(p, "\r\n");
    assert_non_null(e);
    assert_true(e - p <= 78);
    assert_null(memchr(p, '\n', (size_t)(e - p)));
    p = e + 2;
  }
}

static void build(void **state) {
  (void)state;
  static const unsigned char pdf[] = "%PDF-1.5\n...";
  char longtext[400];
  memset(longtext, 'x', sizeof longtext - 1);
  longtext[sizeof longtext - 1] = 0;
  struct mail_message m = {.from = "bereik@example.org",
                           .to = "an@example.org",
                           .from_name = "bereik",
                           .subject =
                               "Maandoverzicht van de dienst (november 2026) \xe2\x80\x93 \xc3\xa9\xc3\xa9n",
                           .text = longtext,
                           .html = "<p>Dag</p>",
                           .message_id = "<abc@example.org>",
                           .date = 1796627400, /* 2026-12-07 07:10:00 UTC */
                           .lang = "nl-BE",
                           .attachment = pdf,
                           .attachment_len = sizeof pdf - 1,
                           .attachment_name = "bereik-2026-11.pdf",
                           .attachment_type = "application/pdf",
                           .boundary_seed = "0123abcd"};
  struct buf b = {0};
  char err[256];
  assert_int_equal(mime_build(&m, &b, err, sizeof err), 0);
  const char *s = buf_str(&b);
  assert_lines(s);
  assert_non_null(strstr(s, "Date: Mon, 07 Dec 2026 07:10:00 +0000\r\n"));
  assert_non_null(
      strstr(s, "From: \"bereik\" <bereik@example.org>\r\nTo: <an@example.org>\r\nSubject: =?UTF-8?B?"));
  assert_non_null(strstr(s, "MIME-Version: 1.0\r\n"));
  assert_non_null(strstr(s, "Content-Type: multipart/mixed;\r\n boundary=\"=_mix_0123abcd\"\r\n"));
  assert_non_null(strstr(s, "Content-Type: multipart/alternative;\r\n boundary=\"=_alt_0123abcd\"\r\n"));
  assert_non_null(strstr(s, "--=_alt_0123abcd\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                            "Content-Transfer-Encoding: quoted-printable\r\n"));
  assert_non_null(strstr(s, "Content-Type: text/html; charset=UTF-8\r\n"));
  /* the attachment: "%PDF-1.5\n..." in base64 */
  assert_non_null(
      strstr(s, "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjUKLi4u\r\n--=_mix_0123abcd--\r\n"));
  /* header injection: refused, nothing written */
  struct mail_message bad = m;
  bad.to = "an@example.org\r\nBcc: all@example.org";
  buf_reset(&b);
  assert_int_equal(mime_build(&bad, &b, err, sizeof err), -1);
  assert_int_equal(b.len, 0);
  bad = m;
  bad.subject = "Week 49\r\nBcc: all@example.org";
  assert_int_equal(mime_build(&bad, &b, err, sizeof err), -1);
  bad = m;
  bad.from_name = "a\"b";
  assert_int_equal(mime_build(&bad, &b, err, sizeof err), -1);
  buf_free(&b);
}

static void week_keys(void **state) {
  (void)state;
  char k[16];
  int32_t d;
  struct {
    const char *date, *week, *month;
  } cases[] = {
      {"2026-11-30", "2026-W49", "2026-11"}, /* a Monday */
      {"2026-12-06", "2026-W49", "2026-12"}, /* the Sunday of that week */
      {"2027-01-01", "2026-W53", "2027-01"}, /* 2026 begins on a Thursday: 53 weeks */
      {"2024-12-30", "2025-W01", "2024-12"}, /* a Monday in the first week of 2025 */
      {"2021-01-03", "2020-W53", "2021-01"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_int_equal(date_parse(cases[i].date, &d), 0);
    mail_week_key(d, k);
    assert_string_equal(k, cases[i].week);
    mail_month_key(d, k);
    assert_string_equal(k, cases[i].month);
  }
}

static void base_url(void **state) {
  (void)state;
  struct mail_config c = {0};
  char err[256];
  assert_int_equal(mail_config_base_url(&c, "https://bereik.example.org/", err, sizeof err), 0);
  assert_string_equal(c.base_url, "https://bereik.example.org");
  assert_int_equal(mail_config_base_url(&c, "ftp://x", err, sizeof err), -1);
  assert_int_equal(mail_config_base_url(&c, "https://x/\"><script>", err, sizeof err), -1);
  assert_int_equal(mail_config_base_url(&c, "https://x/a b", err, sizeof err), -1);
}

/* The SMTP settings: the URL's form, and the credentials file (two lines, not readable
   by others; its contents never in a message). */
static void smtp_settings(void **state) {
  (void)state;
  struct smtp_config c = {0};
  char err[512];
  assert_int_equal(smtp_config_url(&c, "smtps://smtp.example.org:465", err, sizeof err), 0);
  assert_string_equal(c.url, "smtps://smtp.example.org:465");
  assert_int_equal(smtp_config_url(&c, "smtp://127.0.0.1:2525/", err, sizeof err), 0);
  assert_int_equal(smtp_config_url(&c, "http://smtp.example.org", err, sizeof err), -1);
  assert_int_equal(smtp_config_url(&c, "smtp://user:secret@smtp.example.org", err, sizeof err), -1);
  assert_int_equal(smtp_config_url(&c, "smtp://smtp.example.org/path", err, sizeof err), -1);
  char path[] = "/tmp/bereik-test-mail-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, "mailer\ns3cret pass\n", 19), 19);
  close(fd);
  assert_int_equal(chmod(path, 0600), 0);
  assert_int_equal(smtp_config_credentials(&c, path, err, sizeof err), 0);
  assert_string_equal(c.user, "mailer");
  assert_string_equal(c.password, "s3cret pass");
  assert_int_equal(chmod(path, 0644), 0);
  assert_int_equal(smtp_config_credentials(&c, path, err, sizeof err), -1);
  assert_non_null(strstr(err, "must not be readable by others"));
  assert_null(strstr(err, "s3cret"));
  fd = open(path, O_WRONLY | O_TRUNC);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, "only-a-user\n", 12), 12);
  close(fd);
  assert_int_equal(chmod(path, 0600), 0);
  assert_int_equal(smtp_config_credentials(&c, path, err, sizeof err), -1);
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(quoted_printable), cmocka_unit_test(base64),        cmocka_unit_test(rfc2047),
      cmocka_unit_test(addresses),        cmocka_unit_test(build),         cmocka_unit_test(week_keys),
      cmocka_unit_test(base_url),         cmocka_unit_test(smtp_settings),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
