/* SPDX-License-Identifier: EUPL-1.2 */
/* Reading a registration's links (registration_advisor, _institution, _count) beside the
   registrations themselves, all ordered by registration id: the passes of the facts, the
   views and the aggregates' recomputation. */
#ifndef BEREIK_LINKS_H
#define BEREIK_LINKS_H

#include <stdint.h>

struct db;
struct db_stmt;

/* A cursor over one link table (registration_advisor, _institution, _count) ordered by
   registration id, for a streaming pass over registrations: the query takes the id range
   [lo, hi] as its two parameters and returns the registration id first. */
struct link_cursor {
  struct db_stmt *st;
  int has_row;
  int64_t reg;
};
int link_cursor_open(struct link_cursor *c, struct db *db, const char *sql, int64_t lo, int64_t hi);
void link_cursor_next(struct link_cursor *c);

#endif
