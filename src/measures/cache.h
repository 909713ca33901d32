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

#define CACHE_ENTRIES 64

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

/* A rendered text (a page's main part) under key and token; NULL when absent. */
const char *cache_text_get(const char *key, int64_t token, size_t *len, struct cache_ref **ref);
void cache_text_put(const char *key, int64_t token, const char *text, size_t len);

void cache_release(struct cache_ref *ref); /* NULL is fine */
/* Hits and misses since start (for the benchmark and the tests). */
void cache_stats(uint64_t *hits, uint64_t *misses);

#endif
