/* SPDX-License-Identifier: EUPL-1.2 */
#ifndef BEREIK_BACKUP_H
#define BEREIK_BACKUP_H

#include <stddef.h>

/* A consistent copy of the database at PATH (SQLite file or PostgreSQL URI) in FILE,
   which must not exist, taken while other processes go on writing. 0, or -1 with a
   message. */
int db_backup(const char *path, const char *file, char *err, size_t errlen);
/* Replaces the contents of the database at PATH with the copy in FILE, all or nothing,
   after checking that FILE is an intact bereik backup. 0, or -1 with a message. */
int db_restore(const char *path, const char *file, char *err, size_t errlen);

#endif
