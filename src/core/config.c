/* SPDX-License-Identifier: EUPL-1.2 */
/* The configuration file of `bereik serve --config FILE` (see config.h). */
#include "core/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define CONFIG_LINE_MAX 4096

static int blank(char ch) { return ch == ' ' || ch == '\t'; }

void config_free(struct config *c) {
  for (int i = 0; i < c->n; i++) {
    free(c->entries[i].key);
    free(c->entries[i].value);
  }
  free(c->entries);
  free(c->path);
  memset(c, 0, sizeof *c);
}

int config_load(const char *path, struct config *c, char *err, size_t errlen) {
  memset(c, 0, sizeof *c);
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    return -1;
  }
  c->path = xstrdup(path);
  size_t cap = 0;
  char line[CONFIG_LINE_MAX + 2];
  int lineno = 0, rc = -1;
  for (;;) {
    size_t len = 0;
    int ch, ended = 0;
    while ((ch = getc(f)) != EOF) {
      if (ch == '\n') {
        ended = 1;
        break;
      }
      if (ch == 0) {
        snprintf(err, errlen, "%s:%d: a NUL byte; the file must be text", path, lineno + 1);
        goto out;
      }
      if (len > CONFIG_LINE_MAX) {
        snprintf(err, errlen, "%s:%d: the line is longer than %d bytes", path, lineno + 1, CONFIG_LINE_MAX);
        goto out;
      }
      line[len++] = (char)ch;
    }
    if (ferror(f)) {
      snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
      goto out;
    }
    if (!ended && len == 0) break; /* end of file */
    lineno++;
    if (len > CONFIG_LINE_MAX) {
      snprintf(err, errlen, "%s:%d: the line is longer than %d bytes", path, lineno, CONFIG_LINE_MAX);
      goto out;
    }
    if (len && line[len - 1] == '\r') len--;
    line[len] = 0;
    char *s = line, *end = line + len;
    while (blank(*s)) s++;
    while (end > s && blank(end[-1])) *--end = 0;
    if (!*s || *s == '#') continue;
    char *eq = strchr(s, '=');
    if (!eq) {
      snprintf(err, errlen, "%s:%d: expected 'key = value', not '%.80s'", path, lineno, s);
      goto out;
    }
    char *k_end = eq, *v = eq + 1;
    while (k_end > s && blank(k_end[-1])) k_end--;
    *k_end = 0;
    while (blank(*v)) v++;
    if (!*s) {
      snprintf(err, errlen, "%s:%d: a value without a key", path, lineno);
      goto out;
    }
    for (const char *p = s; *p; p++)
      if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) {
        snprintf(err, errlen, "%s:%d: key '%.64s': only lower case letters, digits and '-'", path, lineno, s);
        goto out;
      }
    if (!*v) {
      snprintf(err, errlen, "%s:%d: %.64s: no value (leave the line out, or comment it, for the default)",
               path, lineno, s);
      goto out;
    }
    for (int i = 0; i < c->n; i++)
      if (!strcmp(c->entries[i].key, s)) {
        snprintf(err, errlen, "%s:%d: %.64s: given twice (first on line %d)", path, lineno, s,
                 c->entries[i].line);
        goto out;
      }
    grow_array((void **)&c->entries, &cap, (size_t)c->n + 1, sizeof *c->entries);
    c->entries[c->n].key = xstrdup(s);
    c->entries[c->n].value = xstrdup(v);
    c->entries[c->n].line = lineno;
    c->n++;
    if (!ended) break;
  }
  rc = 0;
out:
  fclose(f);
  if (rc) config_free(c);
  return rc;
}
