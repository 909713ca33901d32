/* SPDX-License-Identifier: EUPL-1.2 */
/* gzip of responses (render/gzip.h): a part compressed once and joined with the text
   around it is one valid gzip member (zlib's inflate checks the CRC-32 and length of
   the trailer) that decompresses to the three texts in order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "render/gzip.h"

/* zlib's inflate of a whole gzip stream; the plain text (malloc'd) or NULL when the
   stream is not valid gzip, has bytes after its end, or its trailer does not match. */
static unsigned char *gunzip(const unsigned char *gz, size_t len, size_t *out_len) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, 15 + 16) != Z_OK) return NULL;
  size_t cap = 1 << 16, n = 0;
  unsigned char *out = malloc(cap);
  assert_non_null(out);
  z.next_in = (Bytef *)(uintptr_t)gz;
  z.avail_in = (uInt)len;
  int rc;
  do {
    if (n == cap) {
      unsigned char *bigger = realloc(out, cap *= 2);
      assert_non_null(bigger);
      out = bigger;
    }
    z.next_out = out + n;
    z.avail_out = (uInt)(cap - n);
    rc = inflate(&z, Z_NO_FLUSH);
    n = cap - z.avail_out;
  } while (rc == Z_OK);
  int good = rc == Z_STREAM_END && z.avail_in == 0;
  inflateEnd(&z);
  if (!good) {
    free(out);
    return NULL;
  }
  *out_len = n;
  return out;
}

/* Text like a page: repeated markup with varying numbers, LEN bytes. */
static char *page_text(size_t len, unsigned seed) {
  char *t = malloc(len + 1);
  size_t at = 0;
  while (at < len) {
    char row[96];
    int k = snprintf(row, sizeof row, "<tr><td>%u</td><td class=\"num\">%u,%u</td></tr>\n", seed,
                     seed * 7 % 1000, seed % 10);
    seed = seed * 1103515245u + 12345u;
    for (int i = 0; i < k && at < len; i++) t[at++] = row[i];
  }
  t[len] = 0;
  return t;
}

static void check_join(size_t pre_len, size_t part_len, size_t post_len) {
  char *pre = page_text(pre_len, 1), *mid = page_text(part_len, 2), *post = page_text(post_len, 3);
  struct gzip_part *part = gzip_part(mid, part_len, 9);
  assert_non_null(part);
  assert_int_equal(part->len, part_len);
  assert_int_equal(part->crc, (uint32_t)crc32(0L, (const Bytef *)mid, (uInt)part_len));
  size_t gz_len = 0, plain_len = 0;
  unsigned char *gz = gzip_join(pre, pre_len, part, post, post_len, 6, &gz_len);
  assert_non_null(gz);
  unsigned char *plain = gunzip(gz, gz_len, &plain_len);
  assert_non_null(plain);
  assert_int_equal(plain_len, pre_len + part_len + post_len);
  assert_memory_equal(plain, pre, pre_len);
  assert_memory_equal(plain + pre_len, mid, part_len);
  assert_memory_equal(plain + pre_len + part_len, post, post_len);
  free(plain);
  free(gz);
  free(part);
  free(pre);
  free(mid);
  free(post);
}

static void test_join_page_sizes(void **state) {
  (void)state;
  check_join(3000, 310000, 700); /* a dashboard: head, cached main part, foot */
  check_join(2000, 20000, 0);    /* an API answer behind a small head */
  check_join(0, 20000, 0);       /* the whole body cached */
}

static void test_join_edges(void **state) {
  (void)state;
  check_join(0, 0, 0);
  check_join(1, 1, 1);
  check_join(0, 1, 5000);
  check_join(70000, 5, 70000); /* sides larger than the widest window */
  check_join(511, 512, 513);   /* around the smallest window */
}

static void test_gzip_bytes(void **state) {
  (void)state;
  char *t = page_text(100000, 9);
  for (int level = 1; level <= 9; level += 4) {
    size_t gz_len = 0, plain_len = 0;
    unsigned char *gz = gzip_bytes(t, 100000, level, &gz_len);
    assert_non_null(gz);
    assert_true(gz_len < 100000 / 2);
    unsigned char *plain = gunzip(gz, gz_len, &plain_len);
    assert_non_null(plain);
    assert_int_equal(plain_len, 100000);
    assert_memory_equal(plain, t, 100000);
    free(plain);
    free(gz);
  }
  free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_join_page_sizes),
      cmocka_unit_test(test_join_edges),
      cmocka_unit_test(test_gzip_bytes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
