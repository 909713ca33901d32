/* SPDX-License-Identifier: EUPL-1.2 */
#ifndef BEREIK_MIGRATE_H
#define BEREIK_MIGRATE_H

struct migration {
  int version;
  const char *sql;
  const char *engine; /* "": every engine; "postgresql": that engine only */
};

extern const struct migration migrations[];
extern const int migration_count;

#endif
