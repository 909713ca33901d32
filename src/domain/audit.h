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

#endif
