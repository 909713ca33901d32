/* SPDX-License-Identifier: EUPL-1.2 */
/* Moving an installation between engines (bereik migrate-db). */
#ifndef BEREIK_COPY_H
#define BEREIK_COPY_H

#include <stddef.h>

struct db;

/* Where the rows go (NULL: an empty database). */
struct copy_into {
  /* called first inside the target's write transaction (it makes or chooses the target
     service, docs/SERVICES.md); 0, or -1 with a message; may be NULL */
  int (*prepare)(struct db *to, void *ctx, char *err, size_t errlen);
  /* called last inside the transaction, before the commit (an audit entry); may be NULL */
  int (*finish)(struct db *to, void *ctx, char *err, size_t errlen);
  void *ctx;
  /* the target's rows (on PostgreSQL: of its service) give way to the source's,
     instead of a refusal when there are any */
  int replace;
};

/* Copies every row of every table, ids included, from one database (on PostgreSQL: the
   service set on it) to another whose schema is current and which holds no data yet
   (on PostgreSQL: in the service set on it), in one write transaction on the target:
   all or nothing. Returns 0, or -1 with a message. */
int db_copy(struct db *from, struct db *to, const struct copy_into *into, char *err, size_t errlen);

#endif
