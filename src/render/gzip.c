/* SPDX-License-Identifier: EUPL-1.2 */
#include "render/gzip.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

unsigned char *gzip_bytes(const void *data, size_t len, int level, size_t *out_len) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (len > UINT32_MAX || deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return NULL;
  uLong cap = deflateBound(&z, (uLong)len);
  unsigned char *out = malloc(cap);
  if (!out) {
    deflateEnd(&z);
    return NULL;
  }
  z.next_in = (Bytef *)(uintptr_t)data;
  z.avail_in = (uInt)len;
  z.next_out = out;
  z.avail_out = (uInt)cap;
  int rc = deflate(&z, Z_FINISH);
  *out_len = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) {
    free(out);
    return NULL;
  }
  return out;
}

/* Raw deflate of data[0..len) into out[0..cap), ending with FLUSH (Z_SYNC_FLUSH: no last
   block, byte boundary; Z_FINISH: the last block). The bytes written, or -1. */
static long raw_deflate(const void *data, size_t len, int level, int flush, unsigned char *out, size_t cap) {
  z_stream z;
  memset(&z, 0, sizeof z);
  /* a window and a hash table to the input's size: a page's head and foot are a few KiB,
     and zlib clears its tables on every start */
  int bits = 9;
  while (bits < 15 && ((size_t)1 << bits) < len) bits++;
  if (deflateInit2(&z, level, Z_DEFLATED, -bits, bits - 7, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
  z.next_in = (Bytef *)(uintptr_t)data;
  z.avail_in = (uInt)len;
  z.next_out = out;
  z.avail_out = (uInt)cap;
  int rc = deflate(&z, flush);
  long n = (long)z.total_out;
  int done = flush == Z_FINISH ? rc == Z_STREAM_END : rc == Z_OK && z.avail_in == 0 && z.avail_out > 0;
  deflateEnd(&z);
  return done ? n : -1;
}

/* Room for the raw deflate of len bytes with a flush marker: deflateBound's bound for
   the stored case (5 bytes per 16 KiB block and a few more) and the 5-byte empty block. */
static size_t raw_bound(size_t len) { return len + (len >> 12) + (len >> 14) + (len >> 25) + 13 + 5 + 16; }

struct gzip_part *gzip_part(const void *data, size_t len, int level) {
  if (len > UINT32_MAX) return NULL;
  size_t cap = raw_bound(len);
  struct gzip_part *p = malloc(sizeof *p + cap);
  if (!p) return NULL;
  long n = raw_deflate(data, len, level, Z_SYNC_FLUSH, p->z, cap);
  if (n < 0) {
    free(p);
    return NULL;
  }
  p->zlen = (size_t)n;
  p->len = len;
  p->crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)data, (uInt)len);
  return p;
}

static void put_le32(unsigned char *o, uint32_t v) {
  for (int i = 0; i < 4; i++) o[i] = (unsigned char)(v >> (8 * i));
}

unsigned char *gzip_join(const void *pre, size_t pre_len, const struct gzip_part *part, const void *post,
                         size_t post_len, int level, size_t *out_len) {
  if (pre_len > UINT32_MAX || post_len > UINT32_MAX || part->zlen > SIZE_MAX / 2) return NULL;
  size_t cap = 10 + raw_bound(pre_len) + part->zlen + raw_bound(post_len) + 8;
  unsigned char *out = malloc(cap);
  if (!out) return NULL;
  /* header: magic, deflate, no flags, no time, no extra flags, OS unknown */
  static const unsigned char head[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255};
  memcpy(out, head, sizeof head);
  size_t at = sizeof head;
  long n = raw_deflate(pre, pre_len, level, Z_SYNC_FLUSH, out + at, cap - at);
  if (n < 0) goto fail;
  at += (size_t)n;
  memcpy(out + at, part->z, part->zlen);
  at += part->zlen;
  n = raw_deflate(post, post_len, level, Z_FINISH, out + at, cap - at - 8);
  if (n < 0) goto fail;
  at += (size_t)n;
  uLong crc = crc32(crc32(0L, Z_NULL, 0), (const Bytef *)pre, (uInt)pre_len);
  crc = crc32_combine(crc, part->crc, (z_off_t)part->len);
  crc =
      crc32_combine(crc, crc32(crc32(0L, Z_NULL, 0), (const Bytef *)post, (uInt)post_len), (z_off_t)post_len);
  put_le32(out + at, (uint32_t)crc);
  put_le32(out + at + 4, (uint32_t)(pre_len + part->len + post_len)); /* ISIZE: modulo 2^32 */
  *out_len = at + 8;
  return out;
fail:
  free(out);
  return NULL;
}
