/* SPDX-License-Identifier: EUPL-1.2 */
/* The configuration file of serve --config (src/core/config.h): what it reads, and every
   error with FILE:LINE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/config.h"

static char path[64];

/* Writes n bytes of text into a new temporary file (path). */
static void write_file(const char *text, size_t n) {
  snprintf(path, sizeof path, "/tmp/bereik-config-test-XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, n), (ssize_t)n);
  close(fd);
}

/* The error config_load gives for text, with the file name replaced by "F". */
static const char *error_of(const char *text, size_t n) {
  static char err[1024], out[1024];
  struct config c;
  write_file(text, n);
  int rc = config_load(path, &c, err, sizeof err);
  unlink(path);
  assert_int_equal(rc, -1);
  assert_int_equal(c.n, 0);
  assert_null(c.entries);
  size_t pl = strlen(path);
  assert_memory_equal(err, path, pl);
  snprintf(out, sizeof out, "F%s", err + pl);
  return out;
}

static void test_reads_keys_values_and_lines(void **state) {
  (void)state;
  const char *text = "# bereik\n\n  listen = 127.0.0.1:8080  \r\n\t# a comment\n"
                     "db=postgresql://bereik:p#w=d@db/bereik\nmax-body =\t1048576\nthreads = 4";
  write_file(text, strlen(text));
  struct config c;
  char err[256] = "";
  assert_int_equal(config_load(path, &c, err, sizeof err), 0);
  unlink(path);
  assert_int_equal(c.n, 4);
  assert_string_equal(c.entries[0].key, "listen");
  assert_string_equal(c.entries[0].value, "127.0.0.1:8080");
  assert_int_equal(c.entries[0].line, 3);
  assert_string_equal(c.entries[1].key, "db");
  assert_string_equal(c.entries[1].value, "postgresql://bereik:p#w=d@db/bereik"); /* '#', '=' kept */
  assert_int_equal(c.entries[1].line, 5);
  assert_string_equal(c.entries[2].key, "max-body");
  assert_string_equal(c.entries[2].value, "1048576");
  assert_string_equal(c.entries[3].key, "threads"); /* the last line without a newline */
  assert_string_equal(c.entries[3].value, "4");
  assert_int_equal(c.entries[3].line, 7);
  assert_string_equal(c.path, path);
  config_free(&c);
}

static void test_empty_file(void **state) {
  (void)state;
  write_file("", 0);
  struct config c;
  char err[256];
  assert_int_equal(config_load(path, &c, err, sizeof err), 0);
  unlink(path);
  assert_int_equal(c.n, 0);
  config_free(&c);
}

static void test_errors_name_file_and_line(void **state) {
  (void)state;
  assert_string_equal(error_of("listen = a\nlisten b\n", 20), "F:2: expected 'key = value', not 'listen b'");
  assert_string_equal(error_of("# x\n= 3\n", 8), "F:2: a value without a key");
  assert_string_equal(error_of("Listen = a\n", 11),
                      "F:1: key 'Listen': only lower case letters, digits and '-'");
  assert_string_equal(error_of("max_body = 1\n", 13),
                      "F:1: key 'max_body': only lower case letters, digits and '-'");
  assert_string_equal(error_of("\n\nthreads =  \n", 14),
                      "F:3: threads: no value (leave the line out, or comment it, for the default)");
  assert_string_equal(error_of("threads = 1\nlisten = x\nthreads = 2\n", 35),
                      "F:3: threads: given twice (first on line 1)");
  assert_string_equal(error_of("a = b\nc = \0d\n", 12), "F:2: a NUL byte; the file must be text");
}

static void test_long_line(void **state) {
  (void)state;
  static char text[5000];
  memcpy(text, "a = ", 4);
  memset(text + 4, 'x', 4092); /* 4096 bytes: the longest line */
  text[4096] = '\n';
  write_file(text, 4097);
  struct config c;
  char err[256];
  assert_int_equal(config_load(path, &c, err, sizeof err), 0);
  unlink(path);
  assert_int_equal((int)strlen(c.entries[0].value), 4092);
  config_free(&c);
  text[4096] = 'x'; /* 4097 bytes */
  text[4097] = '\n';
  assert_string_equal(error_of(text, 4098), "F:1: the line is longer than 4096 bytes");
}

static void test_missing_file(void **state) {
  (void)state;
  struct config c;
  char err[256];
  assert_int_equal(config_load("/nonexistent/bereik.conf", &c, err, sizeof err), -1);
  assert_string_equal(err, "/nonexistent/bereik.conf: cannot read: No such file or directory");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reads_keys_values_and_lines),
      cmocka_unit_test(test_empty_file),
      cmocka_unit_test(test_errors_name_file_and_line),
      cmocka_unit_test(test_long_line),
      cmocka_unit_test(test_missing_file),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
