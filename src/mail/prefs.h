/* SPDX-License-Identifier: EUPL-1.2 */
/* What a user wants by e-mail (migration 009): their address, reminders on or off,
   the periodic reports on or off, the language of the messages. Read by the account
   page and `bereik mail`, written only here (one audit entry per change). */
#ifndef BEREIK_MAIL_PREFS_H
#define BEREIK_MAIL_PREFS_H

#include <stddef.h>
#include <stdint.h>

#include "mail/mime.h"

struct db;

struct mail_prefs {
  char email[MAIL_ADDR_MAX + 1]; /* "" = none */
  int reminders, reports;        /* 1 on (the default), 0 off */
  char lang[3];                  /* "nl" or "en" */
};

/* The preferences of a user. 0, 1 when there is no such user, -1 on error. */
int mail_prefs_get(struct db *db, int64_t user_id, struct mail_prefs *p);

enum mail_prefs_fault {
  MAIL_PREFS_OK = 0,
  MAIL_PREFS_BAD_ADDRESS,
  MAIL_PREFS_BAD_LANG,
  MAIL_PREFS_NO_USER,
  MAIL_PREFS_FAILED
};
/* Stores p for the user: email "" removes the address, otherwise it must pass
   mail_addr_ok; lang nl or en; reminders and reports 0 or 1. One write transaction with
   one audit entry (action mail_prefs, object user LOGIN, before and after as JSON) when
   something changes. */
enum mail_prefs_fault mail_prefs_set(struct db *db, int64_t user_id, const struct mail_prefs *p,
                                     const char *actor, int64_t now);
/* The same for a login (bereik mail set). */
enum mail_prefs_fault mail_prefs_set_login(struct db *db, const char *login, const struct mail_prefs *p,
                                           const char *actor, int64_t now);
/* The user id of a login, 0 when none. */
int64_t mail_user_id(struct db *db, const char *login);

#endif
