/* SPDX-License-Identifier: EUPL-1.2 */
/* CSV reading (src/io/csvread.h) and the canonical cell forms of the dataset
   (src/io/dataset.h dataset_normalize), as DATA-FORMAT.md section 1 fixes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "io/csvread.h"
#include "io/dataset.h"

/* ---- a callback that keeps every record ---- */

#define MAX_RECS 32
#define MAX_CELLS 16

struct rec {
  char *cells[MAX_CELLS];
  size_t n;
  long line;
};

struct recs {
  struct rec r[MAX_RECS];
  size_t n;
  size_t stop_after; /* 0 = never */
};

static int keep(const struct csv_record *rec, void *data) {
  struct recs *rs = data;
  assert_true(rs->n < MAX_RECS);
  assert_true(rec->n <= MAX_CELLS);
  struct rec *r = &rs->r[rs->n++];
  r->n = rec->n;
  r->line = rec->line;
  for (size_t i = 0; i < rec->n; i++) {
    assert_non_null(rec->cells[i]);
    r->cells[i] = strdup(rec->cells[i]);
  }
  return rs->stop_after && rs->n >= rs->stop_after;
}

static void recs_free(struct recs *rs) {
  for (size_t k = 0; k < rs->n; k++)
    for (size_t i = 0; i < rs->r[k].n; i++) free(rs->r[k].cells[i]);
  rs->n = 0;
}

struct parsed {
  struct recs rs;
  struct csv_info info;
  long err_line;
  char err[256];
  int rc;
};

static struct parsed *parse_len(const char *bytes, size_t len) {
  struct parsed *p = calloc(1, sizeof *p);
  assert_non_null(p);
  p->err_line = -99;
  p->rc = csv_read_mem(bytes, len, keep, &p->rs, &p->info, &p->err_line, p->err, sizeof p->err);
  return p;
}

static struct parsed *parse(const char *text) { return parse_len(text, strlen(text)); }

static void parsed_free(struct parsed *p) {
  recs_free(&p->rs);
  free(p);
}

/* Checks record k: its line and its cells (NULL-terminated list). */
static void expect_rec(const struct parsed *p, size_t k, long line, ...) {
  if (k >= p->rs.n) fail_msg("record %zu missing (only %zu records)", k, p->rs.n);
  const struct rec *r = &p->rs.r[k];
  if (r->line != line) fail_msg("record %zu starts on line %ld, want %ld", k, r->line, line);
  va_list ap;
  va_start(ap, line);
  size_t i = 0;
  const char *want;
  while ((want = va_arg(ap, const char *)) != NULL) {
    if (i >= r->n) fail_msg("record %zu has %zu cells, want more", k, r->n);
    if (strcmp(r->cells[i], want) != 0)
      fail_msg("record %zu cell %zu is \"%s\", want \"%s\"", k, i, r->cells[i], want);
    i++;
  }
  va_end(ap);
  if (i != r->n) fail_msg("record %zu has %zu cells, want %zu", k, r->n, i);
}

/* ---- csv_read_mem ---- */

static void test_plain(void **state) {
  (void)state;
  struct parsed *p = parse("code,name\nAN,Anna\nBE,Bert\n");
  assert_int_equal(p->rc, 0);
  assert_int_equal(p->info.delim, ',');
  assert_int_equal(p->rs.n, 3);
  expect_rec(p, 0, 1, "code", "name", (const char *)NULL);
  expect_rec(p, 1, 2, "AN", "Anna", (const char *)NULL);
  expect_rec(p, 2, 3, "BE", "Bert", (const char *)NULL);
  parsed_free(p);
}

static void test_quotes(void **state) {
  (void)state;
  struct parsed *p = parse("id,description\n"
                           "r1,\"Studiedag \"\"evaluatie\"\", deel 1\"\n"
                           "r2,\"\"\n"
                           "r3,\"a,b;c\"\n"
                           "\"r4\",\"\"\"\"\n");
  assert_int_equal(p->rc, 0);
  assert_int_equal(p->rs.n, 5);
  expect_rec(p, 1, 2, "r1", "Studiedag \"evaluatie\", deel 1", (const char *)NULL);
  expect_rec(p, 2, 3, "r2", "", (const char *)NULL);
  expect_rec(p, 3, 4, "r3", "a,b;c", (const char *)NULL);
  expect_rec(p, 4, 5, "r4", "\"", (const char *)NULL);
  parsed_free(p);
}

static void test_embedded_newline(void **state) {
  (void)state;
  /* the header is line 1; r1 spans lines 2-4, so r2 starts on line 5 */
  struct parsed *p = parse("id,description,minutes\n"
                           "r1,\"first line\nsecond line\nthird\",90\n"
                           "r2,plain,60\n"
                           "r3,\"x\r\ny\",30\n"
                           "r4,last,15\n");
  assert_int_equal(p->rc, 0);
  assert_int_equal(p->rs.n, 5);
  expect_rec(p, 0, 1, "id", "description", "minutes", (const char *)NULL);
  expect_rec(p, 1, 2, "r1", "first line\nsecond line\nthird", "90", (const char *)NULL);
  expect_rec(p, 2, 5, "r2", "plain", "60", (const char *)NULL);
  expect_rec(p, 3, 6, "r3", "x\r\ny", "30", (const char *)NULL);
  expect_rec(p, 4, 8, "r4", "last", "15", (const char *)NULL);
  parsed_free(p);
}

static void test_semicolon_decimal_comma(void **state) {
  (void)state;
  struct parsed *p = parse("school_year;hours_per_fte;reach_min_hours\n"
                           "2024-2025;1185,95;20\n"
                           "2023-2024;\"1176,7\";12,5\n");
  assert_int_equal(p->rc, 0);
  assert_int_equal(p->info.delim, ';');
  assert_int_equal(p->rs.n, 3);
  expect_rec(p, 0, 1, "school_year", "hours_per_fte", "reach_min_hours", (const char *)NULL);
  expect_rec(p, 1, 2, "2024-2025", "1185,95", "20", (const char *)NULL);
  expect_rec(p, 2, 3, "2023-2024", "1176,7", "12,5", (const char *)NULL);
  parsed_free(p);
}

static void test_detect_delim(void **state) {
  (void)state;
  assert_int_equal(csv_detect_delim("a,b,c", 5), ',');
  assert_int_equal(csv_detect_delim("a;b;c", 5), ';');
  assert_int_equal(csv_detect_delim("a", 1), ',');
  assert_int_equal(csv_detect_delim("", 0), ',');
  /* separators inside quotes do not count */
  const char *h = "\"a,b,c\";d;e";
  assert_int_equal(csv_detect_delim(h, strlen(h)), ';');
  h = "\"a;b;c\",d";
  assert_int_equal(csv_detect_delim(h, strlen(h)), ',');
  /* only the header line decides */
  h = "a;b\nx,y,z,w\n";
  assert_int_equal(csv_detect_delim(h, strlen(h)), ';');
  h = "a,b\r\nx;y;z;w\r\n";
  assert_int_equal(csv_detect_delim(h, strlen(h)), ',');
  /* len is respected */
  assert_int_equal(csv_detect_delim("a,b;c;d", 3), ',');
}

static void test_bom(void **state) {
  (void)state;
  struct parsed *p = parse("\xEF\xBB\xBF"
                           "code;name\nAN;Anna\n");
  assert_int_equal(p->rc, 0);
  assert_int_equal(p->info.delim, ';');
  assert_int_equal(p->rs.n, 2);
  expect_rec(p, 0, 1, "code", "name", (const char *)NULL);
  expect_rec(p, 1, 2, "AN", "Anna", (const char *)NULL);
  parsed_free(p);
  /* a BOM followed by a quoted header cell */
  p = parse("\xEF\xBB\xBF\"code\",name\nAN,Anna\n");
  assert_int_equal(p->rc, 0);
  expect_rec(p, 0, 1, "code", "name", (const char *)NULL);
  expect_rec(p, 1, 2, "AN", "Anna", (const char *)NULL);
  parsed_free(p);
}

static void test_crlf(void **state) {
  (void)state;
  struct parsed *p = parse("code,name\r\nAN,Anna\r\n\"BE\",\"Bert\"\r\nCE,\r\n");
  assert_int_equal(p->rc, 0);
  assert_int_equal(p->rs.n, 4);
  expect_rec(p, 0, 1, "code", "name", (const char *)NULL);
  expect_rec(p, 1, 2, "AN", "Anna", (const char *)NULL);
  expect_rec(p, 2, 3, "BE", "Bert", (const char *)NULL);
  expect_rec(p, 3, 4, "CE", "", (const char *)NULL);
  parsed_free(p);
}

static void test_no_final_newline(void **state) {
  (void)state;
  struct parsed *p = parse("code,name\nAN,Anna\nBE,Bert");
  assert_int_equal(p->rc, 0);
  assert_int_equal(p->rs.n, 3);
  expect_rec(p, 2, 3, "BE", "Bert", (const char *)NULL);
  parsed_free(p);
  p = parse("code,name\r\nAN,\"Anna\"");
  assert_int_equal(p->rc, 0);
  assert_int_equal(p->rs.n, 2);
  expect_rec(p, 1, 2, "AN", "Anna", (const char *)NULL);
  parsed_free(p);
  /* a header alone, without newline */
  p = parse("code,name");
  assert_int_equal(p->rc, 0);
  assert_int_equal(p->rs.n, 1);
  expect_rec(p, 0, 1, "code", "name", (const char *)NULL);
  parsed_free(p);
}

static void test_blank_lines(void **state) {
  (void)state;
  /* blank lines give no record, but they count as lines */
  struct parsed *p = parse("code,name\n\nAN,Anna\n\r\n\nBE,Bert\n\n");
  assert_int_equal(p->rc, 0);
  assert_int_equal(p->rs.n, 3);
  expect_rec(p, 0, 1, "code", "name", (const char *)NULL);
  expect_rec(p, 1, 3, "AN", "Anna", (const char *)NULL);
  expect_rec(p, 2, 6, "BE", "Bert", (const char *)NULL);
  parsed_free(p);
}

static void test_spaces_kept(void **state) {
  (void)state;
  /* the reader trims nothing: trimming is the job of each column type */
  struct parsed *p = parse("code,name\n AN , Anna \n");
  assert_int_equal(p->rc, 0);
  expect_rec(p, 1, 2, " AN ", " Anna ", (const char *)NULL);
  parsed_free(p);
}

static void test_empty_input(void **state) {
  (void)state;
  struct parsed *p = parse("");
  assert_int_equal(p->rc, 0);
  assert_int_equal(p->rs.n, 0);
  parsed_free(p);
}

static void test_malformed_quote(void **state) {
  (void)state;
  /* text after a closing quote */
  struct parsed *p = parse("code,name\nAN,Anna\nBE,\"Bert\"x\nCE,Cees\n");
  assert_int_equal(p->rc, -1);
  assert_int_equal(p->err_line, 3);
  assert_true(p->err[0] != 0);
  parsed_free(p);
  /* a quote inside an unquoted field */
  p = parse("code,name\nAN,An\"na\n");
  assert_int_equal(p->rc, -1);
  assert_int_equal(p->err_line, 2);
  assert_true(p->err[0] != 0);
  parsed_free(p);
  /* after a record spanning lines 2-3, the bad record starts on line 4 */
  p = parse("code,name\nAN,\"An\nna\"\nBE,\"Bert\"\"x\"y\n");
  assert_int_equal(p->rc, -1);
  assert_int_equal(p->err_line, 4);
  parsed_free(p);
  /* a quote never closed: reported on the line where its record starts */
  p = parse("code,name\nAN,Anna\nBE,\"Bert\nCE,Cees\n");
  assert_int_equal(p->rc, -1);
  assert_int_equal(p->err_line, 3);
  assert_true(p->err[0] != 0);
  parsed_free(p);
}

static void test_callback_stops(void **state) {
  (void)state;
  struct parsed *p = calloc(1, sizeof *p);
  p->rs.stop_after = 2;
  const char *t = "a,b\n1,2\n3,4\n5,6\n";
  p->rc = csv_read_mem(t, strlen(t), keep, &p->rs, &p->info, &p->err_line, p->err, sizeof p->err);
  assert_int_equal(p->rs.n, 2);
  parsed_free(p);
}

/* A new temporary file for writing; its name in path ("/tmp/bereik-test-csv-XXXXXX"). */
static FILE *temp_csv(char *path) {
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "wb");
  assert_non_null(f);
  return f;
}

static void test_read_file(void **state) {
  (void)state;
  char path[] = "/tmp/bereik-test-csv-XXXXXX";
  FILE *f = temp_csv(path);
  fputs("\xEF\xBB\xBF"
        "id;minutes\r\nr1;\"1,5\"\r\nr2;2",
        f);
  fclose(f);
  struct recs rs = {0};
  struct csv_info info;
  long err_line = 0;
  char err[256];
  int rc = csv_read_file(path, keep, &rs, &info, &err_line, err, sizeof err);
  unlink(path);
  assert_int_equal(rc, 0);
  assert_int_equal(info.delim, ';');
  assert_int_equal(rs.n, 3);
  assert_string_equal(rs.r[0].cells[0], "id");
  assert_string_equal(rs.r[1].cells[1], "1,5");
  assert_int_equal(rs.r[2].line, 3);
  assert_string_equal(rs.r[2].cells[1], "2");
  recs_free(&rs);
  /* a file that does not exist */
  rc = csv_read_file("/nonexistent/bereik/x.csv", keep, &rs, &info, &err_line, err, sizeof err);
  assert_int_equal(rc, -1);
  assert_int_equal(rs.n, 0);
}

/* A file several times the reading chunk (64 KiB): records whose quoted cells hold line
   breaks and whose lines end in CRLF or LF fall across the chunk edges. Every record's
   cells and first line are known from how the file was written, and the file's hash is
   that of all its bytes, also when the callback stops early. */
struct big {
  long want_line[6000];
  size_t n;
  int bad;
};

static int check_big(const struct csv_record *rec, void *data) {
  struct big *b = data;
  if (b->n == 0) { /* the header */
    b->bad |= rec->n != 3 || strcmp(rec->cells[0], "id") || rec->line != 1;
    b->n++;
    return 0;
  }
  size_t i = b->n - 1;
  char id[32], x[64];
  snprintf(id, sizeof id, "r%zu", i);
  size_t xl = (i * 37) % 50;
  memset(x, 'x', xl);
  x[xl] = 0;
  const char *third = i % 3 == 0 ? "one\ntwo, \"three\"" : "";
  if (rec->n != 3 || strcmp(rec->cells[0], id) || strcmp(rec->cells[1], x) || strcmp(rec->cells[2], third) ||
      rec->line != b->want_line[i])
    b->bad = 1;
  b->n++;
  return b->n > 5500 ? 1 : 0;
}

static void test_read_file_chunks(void **state) {
  (void)state;
  char path[] = "/tmp/bereik-test-csv-XXXXXX";
  FILE *f = temp_csv(path);
  static struct big b;
  memset(&b, 0, sizeof b);
  long line = 1;
  fputs("id,x,third\n", f);
  line++;
  for (size_t i = 0; i < 6000; i++) {
    b.want_line[i] = line;
    fprintf(f, "r%zu,%.*s,%s%s", i, (int)((i * 37) % 50),
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            i % 3 == 0 ? "\"one\ntwo, \"\"three\"\"\"" : "", i % 2 ? "\n" : "\r\n");
    line += i % 3 == 0 ? 2 : 1;
  }
  long size = ftell(f);
  fclose(f);
  assert_true(size > 3 * 65536);
  /* the hash of the bytes, by libsodium over the whole file */
  FILE *g = fopen(path, "rb");
  assert_non_null(g);
  char *all = malloc((size_t)size);
  assert_non_null(all);
  assert_int_equal(fread(all, 1, (size_t)size, g), (size_t)size);
  fclose(g);
  unsigned char want[32];
  crypto_hash_sha256(want, (const unsigned char *)all, (unsigned long long)size);
  free(all);
  struct csv_info info;
  long err_line = 0;
  char err[256];
  int rc = csv_read_file(path, check_big, &b, &info, &err_line, err, sizeof err);
  unlink(path);
  assert_int_equal(rc, 0);
  assert_int_equal(b.bad, 0);
  assert_int_equal(b.n, 5501); /* the header and 5,500 records, then the callback stopped */
  assert_int_equal(info.delim, ',');
  assert_memory_equal(info.sha256, want, 32);
}

/* ---- dataset_normalize ---- */

static void norm_ok(const char *cell, int type, int allow_comma, const char *want) {
  char *out = NULL;
  int fault = dataset_normalize(cell, type, allow_comma, &out);
  if (fault)
    fail_msg("dataset_normalize(\"%s\", %d, %d) failed: %s", cell, type, allow_comma,
             dataset_fault_text(fault, 0));
  assert_non_null(out);
  if (strcmp(out, want) != 0)
    fail_msg("dataset_normalize(\"%s\", %d, %d) = \"%s\", want \"%s\"", cell, type, allow_comma, out, want);
  free(out);
}

static void norm_bad(const char *cell, int type, int allow_comma) {
  char *out = NULL;
  int fault = dataset_normalize(cell, type, allow_comma, &out);
  if (!fault)
    fail_msg("dataset_normalize(\"%s\", %d, %d) accepted it as \"%s\"", cell, type, allow_comma,
             out ? out : "(null)");
  assert_true(dataset_fault_text(fault, 0)[0] != 0);
  assert_true(dataset_fault_text(fault, 1)[0] != 0);
  free(out);
}

static void test_norm_bool(void **state) {
  (void)state;
  static const char *const yes[] = {"true", "TRUE", "True", "ja", "JA", "Ja", "1", " true ", "\tja"};
  static const char *const no[] = {"false", "False", "FALSE", "nee", "NEE", "Nee", "0", " 0 "};
  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
    norm_ok(yes[i], C_BOOL, 0, "true");
    norm_ok(yes[i], C_BOOL, 1, "true");
  }
  for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
    norm_ok(no[i], C_BOOL, 0, "false");
    norm_ok(no[i], C_BOOL, 1, "false");
  }
  static const char *const bad[] = {"yes", "no", "y", "n", "2", "-1", "waar", "t", "f", "01", "true false"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) norm_bad(bad[i], C_BOOL, 0);
  norm_ok("", C_BOOL, 0, ""); /* empty: the column default applies */
}

static void test_norm_dec(void **state) {
  (void)state;
  norm_ok("1,5", C_DEC, 1, "1.5");
  norm_bad("1,5", C_DEC, 0);
  norm_ok("1.5", C_DEC, 0, "1.5");
  norm_ok("1.5", C_DEC, 1, "1.5");
  norm_ok(" 1185 ", C_DEC, 0, "1185");
  norm_ok("1185.0", C_DEC, 0, "1185");
  norm_ok("1185,950", C_DEC, 1, "1185.95");
  norm_ok("0.10", C_DEC, 0, "0.1");
  norm_ok("-0.5", C_DEC, 0, "-0.5");
  norm_ok("007", C_DEC, 0, "7");
  norm_ok("948.8", C_DEC, 0, "948.8");
  norm_ok("0.30000000000000004", C_DEC, 0, "0.30000000000000004");
  norm_bad("1.234,5", C_DEC, 1);
  norm_bad("1e3", C_DEC, 0);
  norm_bad("abc", C_DEC, 0);
  norm_bad("1 000", C_DEC, 1);
  norm_ok("", C_DEC, 0, "");
}

static void test_norm_int(void **state) {
  (void)state;
  norm_ok("90", C_INT, 0, "90");
  norm_ok(" 090 ", C_INT, 0, "90");
  norm_ok("+3", C_INT, 0, "3");
  norm_ok("-2", C_INT, 0, "-2");
  norm_bad("1.5", C_INT, 0);
  norm_bad("1,5", C_INT, 1);
  norm_bad("x", C_INT, 0);
  norm_ok("", C_INT, 0, "");
}

static void test_norm_list(void **state) {
  (void)state;
  norm_ok(" AN | BE ", C_LIST, 0, "AN|BE");
  norm_ok("AN|BE", C_LIST, 0, "AN|BE");
  norm_ok("AN", C_LIST, 0, "AN");
  norm_ok(" AN ", C_LIST, 0, "AN");
  norm_ok("\tAN\t|\tBE", C_LIST, 0, "AN|BE");
  norm_ok("012345 | SAB", C_LIST, 0, "012345|SAB"); /* leading zeros kept */
  norm_ok("", C_LIST, 0, "");
}

static void test_norm_date(void **state) {
  (void)state;
  norm_ok("2024-10-07", C_DATE, 0, "2024-10-07");
  norm_ok(" 2024-02-29 ", C_DATE, 0, "2024-02-29");
  norm_bad("2023-02-29", C_DATE, 0);
  norm_bad("2024-13-01", C_DATE, 0);
  norm_bad("2024-1-01", C_DATE, 0);
  norm_bad("07/10/2024", C_DATE, 0);
  norm_bad("2024-10-07T10:00", C_DATE, 0);
  norm_ok("", C_DATE, 0, "");
}

static void test_norm_year(void **state) {
  (void)state;
  norm_ok("2024-2025", C_YEAR, 0, "2024-2025");
  norm_ok(" 2024-2025 ", C_YEAR, 1, "2024-2025");
  norm_bad("2024-2026", C_YEAR, 0);
  norm_bad("2024/2025", C_YEAR, 0);
  norm_bad("24-25", C_YEAR, 0);
  norm_bad("2024", C_YEAR, 0);
  norm_ok("", C_YEAR, 0, "");
}

static void test_norm_code_text(void **state) {
  (void)state;
  norm_ok("  P3 ", C_CODE, 0, "P3");
  norm_ok("\tSAA\t", C_CODE, 0, "SAA");
  norm_ok("012345", C_CODE, 0, "012345");
  norm_ok("a b", C_CODE, 0, "a b");
  norm_ok("", C_CODE, 0, "");
  norm_ok("   ", C_CODE, 0, "");
  norm_ok("  Studiedag  evaluatie ", C_TEXT, 0, "  Studiedag  evaluatie ");
  norm_ok(" ", C_TEXT, 0, " ");
  norm_ok("1,5", C_TEXT, 0, "1,5");
  norm_ok("", C_TEXT, 0, "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plain),
      cmocka_unit_test(test_quotes),
      cmocka_unit_test(test_embedded_newline),
      cmocka_unit_test(test_semicolon_decimal_comma),
      cmocka_unit_test(test_detect_delim),
      cmocka_unit_test(test_bom),
      cmocka_unit_test(test_crlf),
      cmocka_unit_test(test_no_final_newline),
      cmocka_unit_test(test_blank_lines),
      cmocka_unit_test(test_spaces_kept),
      cmocka_unit_test(test_empty_input),
      cmocka_unit_test(test_malformed_quote),
      cmocka_unit_test(test_callback_stops),
      cmocka_unit_test(test_read_file),
      cmocka_unit_test(test_read_file_chunks),
      cmocka_unit_test(test_norm_bool),
      cmocka_unit_test(test_norm_dec),
      cmocka_unit_test(test_norm_int),
      cmocka_unit_test(test_norm_list),
      cmocka_unit_test(test_norm_date),
      cmocka_unit_test(test_norm_year),
      cmocka_unit_test(test_norm_code_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
