/* SPDX-License-Identifier: EUPL-1.2 */
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void) {
  fputs("bereik: out of memory\n", stderr);
  abort();
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) oom();
  return p;
}

void *xcalloc(size_t count, size_t size) {
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (!p) oom();
  return p;
}

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) oom();
  return q;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

void grow_array(void **arr, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return;
  size_t c = *cap ? *cap : 8;
  while (c < need) c *= 2;
  *arr = xrealloc(*arr, c * elem);
  *cap = c;
}

uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603ULL; /* FNV-1a */
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return h;
}

void strmap_init(struct strmap *m) { memset(m, 0, sizeof *m); }

void strmap_free(struct strmap *m) {
  for (size_t i = 0; i < m->cap; i++) free(m->keys[i]);
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

static size_t slot(const struct strmap *m, const char *key) {
  size_t i = hash_str(key) & (m->cap - 1);
  while (m->keys[i] && strcmp(m->keys[i], key) != 0) i = (i + 1) & (m->cap - 1);
  return i;
}

int strmap_get(const struct strmap *m, const char *key, int64_t *val) {
  if (!m->cap) return 0;
  size_t i = slot(m, key);
  if (!m->keys[i]) return 0;
  if (val) *val = m->vals[i];
  return 1;
}

void strmap_put(struct strmap *m, const char *key, int64_t val) {
  if ((m->len + 1) * 2 > m->cap) {
    struct strmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 64;
    m->keys = xcalloc(m->cap, sizeof *m->keys);
    m->vals = xcalloc(m->cap, sizeof *m->vals);
    m->len = 0;
    for (size_t i = 0; i < old.cap; i++) {
      if (!old.keys[i]) continue;
      size_t j = slot(m, old.keys[i]);
      m->keys[j] = old.keys[i];
      m->vals[j] = old.vals[i];
      m->len++;
    }
    free(old.keys);
    free(old.vals);
  }
  size_t i = slot(m, key);
  if (!m->keys[i]) {
    m->keys[i] = xstrdup(key);
    m->len++;
  }
  m->vals[i] = val;
}
