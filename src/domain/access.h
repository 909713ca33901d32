/* SPDX-License-Identifier: EUPL-1.2 */
/* Per-object authorization of registrations. A user may read or change a registration
   when one of its advisors is in the user's advisor scope: everybody's (all), or a set
   of advisors (their own, or their own and the members of their teams). The web pages
   and the API ask the same question here, so an id guessed in a URL or a request body
   gives nothing the user could not reach by clicking. */
#ifndef BEREIK_ACCESS_H
#define BEREIK_ACCESS_H

#include <stdint.h>

#include "db/db.h"
#include "domain/model.h"

struct advisor_scope {
  int all;      /* every registration */
  int n;        /* advisors in scope (when not all) */
  int64_t *ids; /* their ids, sorted */
};

/* The scope of advisor ADVISOR_ID alone, or (team_wide) with every member of the teams
   it belongs to. An unknown advisor (or 0) gives an empty scope. -1 when out of memory. */
int advisor_scope_of(const struct model *m, int64_t advisor_id, int team_wide, struct advisor_scope *s);
void advisor_scope_free(struct advisor_scope *s);
int advisor_scope_has(const struct advisor_scope *s, int64_t advisor_id);

/* The internal id of the registration with external id EXT_ID when it exists and one
   of its advisors is in scope; 0 when it does not exist or is out of scope (the two are
   indistinguishable on purpose); -1 on a database error. */
int64_t registration_in_scope(struct db *db, const struct advisor_scope *s, const char *ext_id);

/* The author of registration ID (internal): the advisor id recorded when it was created
   through the web form or the API; 0 when none is recorded (imported, or older); -1 on
   a database error. */
int64_t registration_author(struct db *db, int64_t id);
/* Records the author of a new registration (advisor_id 0: none). Returns 0 or -1. */
int registration_set_author(struct db *db, int64_t id, int64_t advisor_id);
/* 1 when a user with write scope s owns a registration with author AUTHOR: the author
   themselves, or a user whose scope holds the author (a coordinator of the author's team),
   or, when no author is recorded, anyone whose scope holds one of its advisors (the
   caller checked that). Otherwise the user is a co-advisor and may only remove
   themselves (registration_only_self_removed). */
int registration_owned(const struct advisor_scope *s, int64_t author);
/* 1 when the advisors list NEW (canonical '|' list of codes) is OLD without exactly the
   code SELF. */
int registration_only_self_removed(const char *old_list, const char *new_list, const char *self);

#endif
