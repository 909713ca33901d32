/* SPDX-License-Identifier: EUPL-1.2 */
/* The audit trail (DOMAIN.md section 5): one entry per changed object for interactive
   changes (before and after as JSON), one per import (its files in detail). */
#ifndef BEREIK_AUDIT_H
#define BEREIK_AUDIT_H

#include <stdint.h>

struct db;

/* Writes one entry at time `now` (Unix seconds), inside the caller's transaction.
   before, after and detail are JSON texts or NULL. Returns 0 or -1. */
int audit_write(struct db *db, int64_t now, const char *actor, const char *action, const char *object_type,
                const char *object_key, const char *before, const char *after, const char *detail);

/* Locks (lock 1) or reopens (0) school year `year`, with one audit entry of before and
   after when it changes; its own write transaction. 0 or -1. */
int school_year_lock(struct db *db, int year, int lock, int64_t now, const char *actor);

/* One entry of the trail as shown (NULL where the column is empty). */
struct audit_entry {
  const char *at, *actor, *action, *object_type, *object_key, *before, *after, *detail;
};
typedef void (*audit_entry_fn)(void *ctx, const struct audit_entry *e);
/* Calls fn for the latest `limit` entries, newest first. 0 or -1. */
int audit_latest(struct db *db, int limit, audit_entry_fn fn, void *ctx);

#endif
