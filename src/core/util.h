/* SPDX-License-Identifier: EUPL-1.2 */
/* Allocation that aborts on out-of-memory, and a string-keyed hash map. */
#ifndef BEREIK_UTIL_H
#define BEREIK_UTIL_H

#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grow *arr (of elements of size elem) so that it holds at least need elements. */
void grow_array(void **arr, size_t *cap, size_t need, size_t elem);

/* strmap: string -> int64 with open addressing. Keys are copied. */
struct strmap {
  char **keys;
  int64_t *vals;
  size_t cap, len;
};

void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);
/* Returns 1 and sets *val when found, else 0. */
int strmap_get(const struct strmap *m, const char *key, int64_t *val);
/* Inserts or replaces. */
void strmap_put(struct strmap *m, const char *key, int64_t val);

uint64_t hash_str(const char *s);

#endif
