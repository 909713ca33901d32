/* SPDX-License-Identifier: EUPL-1.2 */
/* The rate limit on registration writes: at most N writes a minute per API token or web
   session, counted in the database (table write_rate) so that every serve process on
   one database shares the count. A write is counted inside its own transaction, so only
   writes that are committed count. */
#ifndef BEREIK_WRITE_RATE_H
#define BEREIK_WRITE_RATE_H

#include <stdint.h>

struct db;

#define WRITE_RATE_DEFAULT 120 /* writes a minute */
#define WRITE_RATE_WINDOW 60   /* seconds */

/* The limit of this process (serve --write-rate N/MIN); 0 switches it off. */
void write_rate_set_limit(int per_minute);
int write_rate_limit(void);
/* Parses "N/MIN" or "N" (writes a minute, 0..1000000). Returns 0, or -1. */
int write_rate_parse(const char *s, int *per_minute);

/* Counts one write of the client KIND ("token" or "session") known by SECRET (the token
   or session cookie; only a hash of it is stored), inside the caller's write
   transaction. Returns 0 when allowed, 1 when over the limit (*retry_after: seconds
   until the window ends, at least 1), -1 on a database error. Rows of ended windows
   are purged. */
int write_rate_hit(struct db *db, const char *kind, const char *secret, int64_t now, int64_t *retry_after);

#endif
