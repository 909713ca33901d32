/* SPDX-License-Identifier: EUPL-1.2 */
/* The comparison of services (docs/SERVICES.md, "Vergelijking"): which facts a service
   shares, and reading what the sharing sources published. Shared are the four indicators
   and the impact middle indicators at organisation, unit and line-kind level, per school
   year, in the facts format (spec/DATA-FORMAT.md section 2): never a row of one advisor,
   institution, team, line or goal. */
#ifndef BEREIK_COMPARE_H
#define BEREIK_COMPARE_H

#include <stddef.h>
#include <stdint.h>

struct db;

/* Whether the fact (table, row) is one a service shares. */
int compare_shared(const char *table, const char *row);

/* Publishes the shared part of a service's facts and impact facts (either may be NULL),
   computed under the data token, as the connection's service (domain/service.h
   service_publish). 0 or -1. */
struct facts;
int compare_publish(struct db *db, const struct facts *f, const struct facts *impact, int64_t token);

struct compare_value {
  int source; /* index into sources */
  char table[24], row[72], col[40];
  double value;
};
struct compare_source {
  int64_t id;     /* a service's id, or below zero: an outside contributor */
  int own;        /* the reader's own service */
  int anonymous;  /* shown under its alias */
  char name[801]; /* the name, or the alias of an anonymous source */
  char updated_at[32];
};
struct compare {
  struct compare_source *sources; /* own first, then by name */
  int n_sources;
  struct compare_value *values;
  size_t n_values;
  char **years; /* "2024-2025", newest first, every year any source shared */
  int n_years;
};

/* What the sources shared for year ("2024-2025"; NULL: the years only), as the
   connection's service sees it (the policies show nothing to a service that does not
   share). 0 or -1. */
int compare_load(struct db *db, const char *year, struct compare *out);
/* The value of source for (table, row, col); 0 when absent, *found says which. */
double compare_get(const struct compare *c, int source, const char *table, const char *row, const char *col,
                   int *found);
void compare_free(struct compare *c);

#endif
