/* SPDX-License-Identifier: EUPL-1.2 */
/* Moving an installation between engines (bereik migrate-db). */
#ifndef BEREIK_COPY_H
#define BEREIK_COPY_H

#include <stddef.h>

struct db;
/* Copies every row of every table, ids included, from one database to another whose
   schema is current and which holds no data yet, in one write transaction on the
   target. Returns 0, or -1 with a message. */
int db_copy(struct db *from, struct db *to, char *err, size_t errlen);

#endif
