/* SPDX-License-Identifier: EUPL-1.2 */
#include "core/lists.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"

int list_split(const char *s, char **copy, char ***items) {
  *copy = xstrdup(s ? s : "");
  *items = NULL;
  if (!**copy) return 0;
  int n = 1;
  for (const char *p = *copy; *p; p++) n += *p == '|';
  *items = xmalloc(sizeof(char *) * (size_t)n);
  int k = 0;
  char *p = *copy;
  (*items)[k++] = p;
  for (; *p; p++)
    if (*p == '|') {
      *p = 0;
      (*items)[k++] = p + 1;
    }
  return k;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int list_canonical(char **v) {
  char *copy, **items;
  int n = list_split(*v, &copy, &items), dups = 0;
  if (n > 1) qsort(items, (size_t)n, sizeof *items, cmp_str);
  struct buf b = {0};
  for (int i = 0; i < n; i++) {
    if (i && !strcmp(items[i], items[i - 1])) {
      dups++;
      continue;
    }
    buf_printf(&b, "%s%s", b.len ? "|" : "", items[i]);
  }
  free(*v);
  *v = xstrdup(buf_str(&b));
  buf_free(&b);
  free(copy);
  free(items);
  return dups;
}
