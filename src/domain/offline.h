/* SPDX-License-Identifier: EUPL-1.2 */
/* Offline registration and the timer (docs/DAY.md, "offline"): the idempotency keys that
   make a registration sent twice from a phone (or the API) arrive once, and the one
   running timer per user. Tables of migration 011. */
#ifndef BEREIK_OFFLINE_H
#define BEREIK_OFFLINE_H

#include <stddef.h>
#include <stdint.h>

struct db;

/* The longest idempotency key accepted (a UUID is 36). */
#define IDEM_KEY_MAX 100

/* Whether KEY is an acceptable idempotency key: 8 to IDEM_KEY_MAX characters of
   [A-Za-z0-9-_.:]. */
int idem_key_valid(const char *key);

/* Inside the caller's transaction: the registration id (registrations.csv's id) that
   KEY of user USER_ID created, into ext (size n). Returns 1 when found, 0 when not, -1
   when the database failed. */
int idem_key_find(struct db *db, int64_t user_id, const char *key, char *ext, size_t n);

/* Inside the caller's write transaction (the one that writes the registration): records
   that KEY of USER_ID created registration EXT_ID. 0, or -1. */
int idem_key_record(struct db *db, int64_t user_id, const char *key, const char *ext_id, int64_t now);

/* The start (Unix seconds) of USER_ID's running timer into *started. Returns 1 when one
   runs, 0 when none, -1 when the database failed. */
int timer_get(struct db *db, int64_t user_id, int64_t *started);
/* Starts USER_ID's timer at NOW unless one runs already (then it keeps its start); in
   its own transaction. 0, or -1. */
int timer_start(struct db *db, int64_t user_id, int64_t now);
/* Stops USER_ID's timer: its start into *started, the row removed, in one transaction.
   Returns 1 when one ran, 0 when none, -1 when the database failed. */
int timer_stop(struct db *db, int64_t user_id, int64_t *started);

/* Local time in Brussels (CET, CEST from the last Sunday of March 01:00 UTC to the last
   Sunday of October 01:00 UTC) of Unix time T, rounded to the nearest minute: the day
   (days since 1970-01-01) and the minute of that day (0-1439). */
void brussels_minute(int64_t t, int32_t *day, int *minute);

#endif
