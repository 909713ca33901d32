/* SPDX-License-Identifier: EUPL-1.2 */
/* gzip (RFC 1952) of responses. A page whose main part is a cached text compresses that
   part once (gzip_part, kept with the cached text) and joins it with the parts around it
   per response (gzip_join): deflate blocks of independent streams, each ending on a byte
   boundary, form one valid deflate stream, and the trailer's CRC-32 combines theirs. */
#ifndef BEREIK_GZIP_H
#define BEREIK_GZIP_H

#include <stddef.h>
#include <stdint.h>

/* gzip of data[0..len) at LEVEL (1-9) (malloc'd, *out_len set); NULL on failure. */
unsigned char *gzip_bytes(const void *data, size_t len, int level, size_t *out_len);

/* A part compressed on its own, to be joined: raw deflate blocks with no last block,
   ending on a byte boundary (no back-reference leaves the part). */
struct gzip_part {
  uint32_t crc; /* CRC-32 of the plain text */
  size_t len;   /* plain length */
  size_t zlen;  /* compressed length */
  unsigned char z[];
};

/* The part of data[0..len) at LEVEL (malloc'd, one block: free it); NULL on failure. */
struct gzip_part *gzip_part(const void *data, size_t len, int level);

/* gzip of pre[0..pre_len) + the part's text + post[0..post_len), the two sides compressed
   at LEVEL now (malloc'd, *out_len set); NULL on failure. */
unsigned char *gzip_join(const void *pre, size_t pre_len, const struct gzip_part *part, const void *post,
                         size_t post_len, int level, size_t *out_len);

#endif
