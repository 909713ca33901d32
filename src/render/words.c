/* SPDX-License-Identifier: EUPL-1.2 */
#include "render/words.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  const char *key, *nl, *en;
} words[W_COUNT] = {
#define WORD(key, nl, en) [W_##key] = {#key, nl, en},
#include "render/words.def"
#undef WORD
};

const char *word_text(enum word w, int en) {
  if ((int)w < 0 || w >= W_COUNT) return "";
  return en ? words[w].en : words[w].nl;
}

const char *word_key(enum word w) { return (int)w < 0 || w >= W_COUNT ? "" : words[w].key; }

/* The keys in sorted order, made on first use (a binary search instead of a scan). */
static int by_key[W_COUNT];

static int cmp_key(const void *a, const void *b) {
  return strcmp(words[*(const int *)a].key, words[*(const int *)b].key);
}

static void sort_keys(void) {
  for (int i = 0; i < W_COUNT; i++) by_key[i] = i;
  qsort(by_key, W_COUNT, sizeof *by_key, cmp_key);
}

int word_named(const char *key) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  if (!key) return -1;
  pthread_once(&once, sort_keys);
  int lo = 0, hi = W_COUNT - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2, c = strcmp(key, words[by_key[mid]].key);
    if (!c) return by_key[mid];
    if (c < 0)
      hi = mid - 1;
    else
      lo = mid + 1;
  }
  return -1;
}
