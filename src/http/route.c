/* SPDX-License-Identifier: EUPL-1.2 */
#include "http/route.h"

#include <stdlib.h>
#include <string.h>

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Matches a path against a pattern; {x} takes one non-empty segment (percent-decoded). */
static int match(const char *pattern, const char *path, struct route_match *m) {
  m->nparams = 0;
  while (*pattern && *path) {
    if (*pattern == '{') {
      const char *pe = strchr(pattern, '}');
      size_t n = strcspn(path, "/");
      if (!pe || n == 0 || m->nparams == ROUTE_MAX_PARAMS || n >= ROUTE_PARAM_MAX) return 0;
      char *out = m->params[m->nparams++];
      for (size_t i = 0; i < n; i++) {
        int hi = i + 2 < n ? hexval(path[i + 1]) : -1, lo = i + 2 < n ? hexval(path[i + 2]) : -1;
        if (path[i] == '%' && hi >= 0 && lo >= 0) {
          *out++ = (char)(hi * 16 + lo);
          i += 2;
        } else {
          *out++ = path[i];
        }
      }
      *out = 0;
      pattern = pe + 1;
      path += n;
    } else if (*pattern++ != *path++) {
      return 0;
    }
  }
  return !*pattern && !*path;
}

int route_find(const struct route *table, int n, const char *method, const char *path,
               struct route_match *m) {
  int known = 0;
  struct route_match t;
  for (int i = 0; i < n; i++) {
    if (!match(table[i].pattern, path, &t)) continue;
    known = 1;
    int head_as_get =
        table[i].surface == ROUTE_PAGE && !strcmp(method, "HEAD") && !strcmp(table[i].method, "GET");
    if (!strcmp(table[i].method, method) || head_as_get) {
      *m = t;
      m->route = &table[i];
      return 0;
    }
  }
  return known ? 405 : 404;
}

int route_declares(const struct route *rt, const char *name) {
  if (rt->surface == ROUTE_PAGE && !strcmp(rt->method, "POST") && !strcmp(name, "csrf")) return 1;
  size_t len = strlen(name);
  for (const char *p = rt->fields ? rt->fields : ""; *p;) {
    while (*p == ' ') p++;
    size_t w = strcspn(p, " ");
    if (!w) break;
    if (p[w - 1] == '*') { /* a prefix ("*" alone: every field) */
      if (len >= w - 1 && !strncmp(name, p, w - 1)) return 1;
    } else if (w == len && !strncmp(name, p, w)) {
      return 1;
    }
    p += w;
  }
  return 0;
}

void route_keep_declared(const struct route *rt, struct kv *kv, int *n) {
  int k = 0;
  for (int i = 0; i < *n; i++) {
    if (route_declares(rt, kv[i].key)) {
      kv[k++] = kv[i];
    } else {
      free(kv[i].key);
      free(kv[i].value);
    }
  }
  *n = k;
}
