/* SPDX-License-Identifier: EUPL-1.2 */
/* What the pages compute from the whole database (the facts of a school year, the
   weekly sums, the years with data), kept in the serve process while the data's
   revision token (db_revision) is unchanged. Any write transaction of any process
   replaces the token, so a value is never older than the token it was read with: the
   token is read first, inside the caller's read transaction, and the value computed in
   that same snapshot. Values are shared read-only between threads and counted: release
   every reference. At most CACHE_ENTRIES values; the least recently used goes first. */
#ifndef BEREIK_CACHE_H
#define BEREIK_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "measures/facts.h"

/* A service's dashboard and indicators hold about eight values (years, model, the
   facts of the year and of the baseline year, weekly sums, impact, two texts); an
   installation of several services cycles through all of theirs, and a least-recently-
   used table smaller than that cycle would miss every time. */
#define CACHE_ENTRIES 256

struct db;
struct model;
struct cache_ref;

/* The facts of the given years (as facts_compute). NULL with a message on failure. */
const struct facts *cached_facts(struct db *db, int64_t token, const struct model *m, const int *years,
                                 int n_years, struct cache_ref **ref, char *err, size_t errlen);

/* The impact measures of the given years (measures/impact.h; today: days since the
   epoch, part of the key). */
const struct facts *cached_impact(struct db *db, int64_t token, const struct model *m, const int *years,
                                  int n_years, int32_t today, struct cache_ref **ref, char *err,
                                  size_t errlen);

/* Whether each institution is reached in a year, and what it misses (facts_reach_detail). */
struct reach_detail {
  unsigned char *reached, *missing; /* m->n_institutions each */
};
const struct reach_detail *cached_reach(struct db *db, int64_t token, const struct model *m, int year,
                                        struct cache_ref **ref, char *err, size_t errlen);

struct weekly {
  int64_t registered[FACTS_WEEKS], klv[FACTS_WEEKS];
};
/* The weekly sums of a year (as facts_weekly). */
const struct weekly *cached_weekly(struct db *db, int64_t token, const struct model *m, int year,
                                   struct cache_ref **ref, char *err, size_t errlen);

struct years {
  int *years, n; /* newest first */
};
/* The school years with data (as facts_years_with_data). */
const struct years *cached_years(struct db *db, int64_t token, struct cache_ref **ref, char *err,
                                 size_t errlen);

/* The reference data (as model_load), shared read-only. */
const struct model *cached_model(struct db *db, int64_t token, struct cache_ref **ref, char *err,
                                 size_t errlen);

/* A rendered text (a page's main part) of a service under key and token; NULL when absent.
   (Every value is kept under its service, db_service: one service never sees another's.) */
const char *cache_text_get(int64_t service, const char *key, int64_t token, size_t *len,
                           struct cache_ref **ref);
void cache_text_put(int64_t service, const char *key, int64_t token, const char *text, size_t len);
/* As cache_text_get, not counted in cache_stats (a second look at a text already served). */
const char *cache_text_peek(int64_t service, const char *key, int64_t token, size_t *len,
                            struct cache_ref **ref);
/* A form made of a cached text (the server's compressed form of it), kept with the text
   and freed with it: the one attached to the text of REF, or NULL. */
const void *cache_text_extra(struct cache_ref *ref);
/* Attaches EXTRA (malloc'd, taken over) to the text of REF unless one is there already
   (then EXTRA is freed); returns the one attached. */
const void *cache_text_attach(struct cache_ref *ref, void *extra);

/* Reading while others write. A page that shows the facts of the whole service (the
   dashboard, /api/v1/indicators) brackets its reads with cache_view_begin/end and
   reads under the token begin returns. That is the database's token (fresh values),
   except under a stream of writes (CACHE_PRESSURE_CHANGES or more writes or new tokens
   seen within the last second): then a reader gets the newest token a fresh read has
   finished with (published), as long as that read started less than CACHE_STALE_MS
   ago (a bound for an overloaded server: a refresh normally keeps it within about a
   second), and so finds its values computed instead of forming the facts again on a
   request thread after every write. Once the published read is CACHE_REFRESH_MS old
   (or three times as long as the last refresh took, at most CACHE_REFRESH_MAX_MS), the
   first reader to see it is told to have it read again in the background (refresh_due:
   the server replays the request on its own thread and connection, which reads fresh
   and publishes); one such refresh at a time. A user who wrote since the
   published read started always reads fresh: their own writes are never missing. */
#define CACHE_PRESSURE_CHANGES 50
#define CACHE_REFRESH_MS 250
#define CACHE_REFRESH_MAX_MS 1000
#define CACHE_STALE_MS 5000
struct cache_view {
  int64_t service;    /* whose view: each service has its own published read */
  int64_t token;      /* the token read under */
  int64_t started_ms; /* when the read began (CLOCK_MONOTONIC) */
  int fresh;          /* read under the database's token: publish at the end */
  int background;     /* the refresh in the background */
  int refresh_due;    /* out: replay this read in the background (then call it with background) */
};
/* The token to read under, given the database's token of this read transaction, the
   user who reads (0: nobody in particular) and whether this is the background refresh. */
int64_t cache_view_begin(struct cache_view *v, int64_t service, int64_t db_token, int64_t user_id,
                         int background);
/* The end of the read: a fresh one that succeeded (ok) is published. A zeroed view
   (begin not called) is fine. */
void cache_view_end(struct cache_view *v, int ok);
/* A refresh that was due will not run (the server's queue was full). */
void cache_view_refresh_dropped(int64_t service);
/* A write by user_id has committed (its next reads are fresh; it counts as a change). */
void cache_note_write(int64_t service, int64_t user_id);
/* Reads given an older token than the database's since start, and the largest age
   (ms) of such a read's data; refreshes run in the background. For the benchmark and
   the tests. */
void cache_view_stats(uint64_t *stale_reads, int64_t *max_age_ms, uint64_t *refreshes);
/* Tests: the monotonic clock in ms (NULL: the real one), and forget all views. */
void cache_view_set_clock(int64_t (*clock_ms)(void));
void cache_view_reset(void);

void cache_release(struct cache_ref *ref); /* NULL is fine */
/* Hits and misses since start (for the benchmark and the tests). */
void cache_stats(uint64_t *hits, uint64_t *misses);

#endif
