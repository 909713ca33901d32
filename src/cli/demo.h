/* SPDX-License-Identifier: EUPL-1.2 */
#ifndef BEREIK_DEMO_H
#define BEREIK_DEMO_H

#include <stddef.h>

struct db;

/* The password of the demo accounts (admin, directie, coordinator, begeleider). */
#define DEMO_PASSWORD "demo-bereik"
/* Fills an empty database with a realistic synthetic service (three school years),
   deterministic for a seed, with one demo account per role (password DEMO_PASSWORD) and
   the second factor for admins switched off. Returns 0 or -1 with a message. */
int demo_fill(struct db *db, unsigned long seed, char *err, size_t errlen);

#endif
