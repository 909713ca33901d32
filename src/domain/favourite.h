/* SPDX-License-Identifier: EUPL-1.2 */
/* Favourites: an advisor's named templates of the registration form (table favourite,
   migration 010). fields is the form's fields as an urlencoded text; the domain keeps
   it as given (the form decides what it holds). Each write has an audit entry. */
#ifndef BEREIK_FAVOURITE_H
#define BEREIK_FAVOURITE_H

#include <stddef.h>
#include <stdint.h>

struct db;

#define FAVOURITE_NAME_MAX 60     /* characters */
#define FAVOURITE_FIELDS_MAX 8192 /* bytes */
#define FAVOURITES_MAX 30         /* per advisor */

struct favourite {
  int64_t id;
  char *name, *fields;
};
struct favourites {
  struct favourite *items;
  size_t n;
};

/* advisor_id's favourites in name order. 0 or -1 (out is then empty). */
int favourite_list(struct db *db, int64_t advisor_id, struct favourites *out);
void favourites_free(struct favourites *f);

enum favourite_result { FAV_OK = 0, FAV_NAME_EMPTY, FAV_NAME_TOO_LONG, FAV_TOO_MANY, FAV_FAILED };

/* Saves (or replaces, same name) a favourite of advisor_id, with its audit entry by
   actor at now, in its own write transaction. */
enum favourite_result favourite_save(struct db *db, int64_t advisor_id, const char *name, const char *fields,
                                     const char *actor, int64_t now);
/* Deletes favourite id of advisor_id (nothing when it is someone else's), with its audit
   entry, in its own transaction. 0 (also when there was nothing), -1 on a database error. */
int favourite_delete(struct db *db, int64_t advisor_id, int64_t id, const char *actor, int64_t now);

#endif
