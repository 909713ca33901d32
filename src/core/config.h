/* SPDX-License-Identifier: EUPL-1.2 */
/* The configuration file of `bereik serve --config FILE`: one `key = value` per line.
   Blank lines and lines whose first non-blank character is '#' are ignored; the key is
   lower case letters, digits and '-'; the value is the rest of the line without the
   blanks around it (it may hold '#', '=' and blanks; no quoting). Each key names the
   serve option --key, which decides whether it exists and what its value may be; this
   module only reads the lines, strictly. */
#ifndef BEREIK_CONFIG_H
#define BEREIK_CONFIG_H

#include <stddef.h>

struct config_entry {
  char *key, *value; /* malloc'd */
  int line;          /* 1-based line in the file */
};

struct config {
  char *path; /* malloc'd copy of the file name */
  struct config_entry *entries;
  int n;
};

/* Reads path into *c. Returns 0; or -1 with "FILE:LINE: message" (or "FILE: message")
   in err, and *c empty. A key given twice, a line without '=', a bad key, an empty
   value, a line longer than 4096 bytes and a NUL byte are errors. */
int config_load(const char *path, struct config *c, char *err, size_t errlen);
/* Frees what config_load allocated; *c may be zeroed. */
void config_free(struct config *c);

#endif
