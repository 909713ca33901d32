/* SPDX-License-Identifier: EUPL-1.2 */
#include "render/assets.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gzip.h"

const struct asset *asset_find(const char *name, int *hashed) {
  for (int i = 0; i < n_assets; i++) {
    if (!strcmp(assets[i].hashed, name)) {
      if (hashed) *hashed = 1;
      return &assets[i];
    }
    if (!strcmp(assets[i].name, name)) {
      if (hashed) *hashed = 0;
      return &assets[i];
    }
  }
  return NULL;
}

#define MAX_ASSETS 64
static char urls[MAX_ASSETS][96];

static void make_urls(void) {
  for (int i = 0; i < n_assets && i < MAX_ASSETS; i++)
    snprintf(urls[i], sizeof urls[i], "/static/%s", assets[i].hashed);
}

const char *asset_url(const char *name) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, make_urls);
  for (int i = 0; i < n_assets && i < MAX_ASSETS; i++)
    if (!strcmp(assets[i].name, name)) return urls[i];
  return "/static/missing";
}

const unsigned char *asset_gzip(const struct asset *a, size_t *len) {
  static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  static unsigned char *gz[MAX_ASSETS];
  static size_t gz_len[MAX_ASSETS];
  static int tried[MAX_ASSETS];
  int i = (int)(a - assets);
  if (i < 0 || i >= n_assets || i >= MAX_ASSETS) return NULL;
  pthread_mutex_lock(&mu);
  if (!tried[i]) {
    tried[i] = 1;
    gz[i] = gzip_bytes(a->data, a->len, 9, &gz_len[i]);
    if (gz[i] && gz_len[i] + 64 >= a->len) { /* images and tiny files: not worth it */
      free(gz[i]);
      gz[i] = NULL;
    }
  }
  pthread_mutex_unlock(&mu);
  *len = gz_len[i];
  return gz[i];
}
