/* SPDX-License-Identifier: EUPL-1.2 */
#include "measures/compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/service.h"
#include "measures/facts.h"

int compare_shared(const char *table, const char *row) {
  /* the rows that are totals over the organisation, a unit or a kind of line */
  if (!strcmp(table, "fte")) return !strcmp(row, "total_plan") || !strcmp(row, "total_all");
  if (!strcmp(table, "client_hours") || !strcmp(table, "modality"))
    return !strcmp(row, "total_plan") || !strcmp(row, "total_plan_projects") || !strcmp(row, "total");
  if (!strcmp(table, "klv")) return !strcmp(row, "total") || !strncmp(row, "unit:", 5);
  if (!strcmp(table, "klv_by_line")) return !strcmp(row, "total");
  /* sector groups and target groups are groups, not institutions or people */
  if (!strcmp(table, "reach") || !strcmp(table, "target_groups")) return 1;
  if (!strcmp(table, "hits")) return !strcmp(row, "total");
  if (!strcmp(table, "impact")) return !strcmp(row, "org") || !strncmp(row, "unit:", 5);
  return 0;
}

/* Adds the shared rows of f to rows (years formatted into the years buffer). */
static void shared_rows(const struct facts *f, struct shared_fact **rows, char (**years)[10], size_t *n) {
  for (size_t i = 0; f && i < f->n; i++) {
    const struct fact *x = &f->v[i];
    if (!compare_shared(x->table, x->row)) continue;
    *rows = xrealloc(*rows, (*n + 1) * sizeof **rows);
    *years = xrealloc(*years, (*n + 1) * sizeof **years);
    school_year_format(x->year, (*years)[*n]);
    (*rows)[*n] = (struct shared_fact){x->table, NULL, x->row, x->col, x->value};
    (*n)++;
  }
}

int compare_publish(struct db *db, const struct facts *f, const struct facts *impact, int64_t token) {
  struct shared_fact *rows = NULL;
  char(*years)[10] = NULL;
  size_t n = 0;
  shared_rows(f, &rows, &years, &n);
  shared_rows(impact, &rows, &years, &n);
  for (size_t i = 0; i < n; i++) rows[i].year = years[i]; /* after the last realloc */
  int rc = service_publish(db, rows, n, token);
  free(rows);
  free(years);
  return rc;
}

static int by_name(const void *a, const void *b) {
  const struct compare_source *x = a, *y = b;
  if (x->own != y->own) return y->own - x->own;
  return strcmp(x->name, y->name);
}

int compare_load(struct db *db, const char *year, struct compare *out) {
  memset(out, 0, sizeof *out);
  if (!db_has_services(db)) return 0;
  /* the sources: the services that share (with the reader's own) and outside ones */
  struct db_stmt *st = db_prepare(
      db,
      "SELECT id, name, alias, share, COALESCE(shared_at, ''), CASE WHEN id = ? THEN 1 ELSE 0 END FROM "
      "service "
      "WHERE share <> 'none' AND status = 'active' AND id IN (SELECT DISTINCT service_id FROM shared_facts) "
      "UNION ALL SELECT id, name, alias, share, updated_at, 0 FROM shared_source "
      "WHERE id IN (SELECT DISTINCT service_id FROM shared_facts)");
  if (!st) return -1;
  db_bind_int64(st, 1, db_service(db));
  int s;
  while ((s = db_step(st)) == DB_ROW) {
    out->sources = xrealloc(out->sources, (size_t)(out->n_sources + 1) * sizeof *out->sources);
    struct compare_source *src = &out->sources[out->n_sources++];
    memset(src, 0, sizeof *src);
    src->id = db_col_int64(st, 0);
    src->own = (int)db_col_int64(st, 5);
    src->anonymous = !strcmp(db_col_text(st, 3), "anonymous") && !src->own;
    snprintf(src->name, sizeof src->name, "%s", src->anonymous ? db_col_text(st, 2) : db_col_text(st, 1));
    snprintf(src->updated_at, sizeof src->updated_at, "%s", db_col_text(st, 4));
  }
  db_finalize(st);
  if (s != DB_DONE) goto fail;
  qsort(out->sources, (size_t)out->n_sources, sizeof *out->sources, by_name);
  st = db_prepare(db, "SELECT DISTINCT year FROM shared_facts ORDER BY year DESC");
  if (!st) goto fail;
  while ((s = db_step(st)) == DB_ROW) {
    out->years = xrealloc(out->years, (size_t)(out->n_years + 1) * sizeof *out->years);
    out->years[out->n_years++] = xstrdup(db_col_text(st, 0));
  }
  db_finalize(st);
  if (s != DB_DONE) goto fail;
  if (!year) return 0;
  st = db_prepare(db, "SELECT service_id, tbl, row_key, col, value FROM shared_facts WHERE year = ? "
                      "ORDER BY service_id, tbl, row_key, col");
  if (!st) goto fail;
  db_bind_text(st, 1, year);
  while ((s = db_step(st)) == DB_ROW) {
    int64_t id = db_col_int64(st, 0);
    int k = -1;
    for (int i = 0; i < out->n_sources && k < 0; i++)
      if (out->sources[i].id == id) k = i;
    if (k < 0) continue; /* a source that stopped sharing since the first read */
    out->values = xrealloc(out->values, (out->n_values + 1) * sizeof *out->values);
    struct compare_value *v = &out->values[out->n_values++];
    v->source = k;
    snprintf(v->table, sizeof v->table, "%s", db_col_text(st, 1));
    snprintf(v->row, sizeof v->row, "%s", db_col_text(st, 2));
    snprintf(v->col, sizeof v->col, "%s", db_col_text(st, 3));
    v->value = db_col_double(st, 4);
  }
  db_finalize(st);
  if (s != DB_DONE) goto fail;
  return 0;
fail:
  compare_free(out);
  return -1;
}

double compare_get(const struct compare *c, int source, const char *table, const char *row, const char *col,
                   int *found) {
  for (size_t i = 0; i < c->n_values; i++) {
    const struct compare_value *v = &c->values[i];
    if (v->source == source && !strcmp(v->table, table) && !strcmp(v->row, row) && !strcmp(v->col, col)) {
      if (found) *found = 1;
      return v->value;
    }
  }
  if (found) *found = 0;
  return 0;
}

void compare_free(struct compare *c) {
  free(c->sources);
  free(c->values);
  for (int i = 0; i < c->n_years; i++) free(c->years[i]);
  free(c->years);
  memset(c, 0, sizeof *c);
}
