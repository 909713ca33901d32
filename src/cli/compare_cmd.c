/* SPDX-License-Identifier: EUPL-1.2 */
#include "cli/compare_cmd.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/service.h"
#include "io/csvread.h"
#include "measures/compare.h"

#define EXIT_INVALID 1
#define EXIT_USAGE 2

/* One fact read from the file. */
struct row {
  char table[24], year[10], key[72], col[40];
  double value;
};
struct rows {
  struct row *v;
  size_t n;
  const char *file;
  char err[512];
};

/* Checks and keeps one fact; 0, or -1 with a message naming where (line, or entry). */
static int add(struct rows *rs, const char *where, const char *table, const char *year, const char *key,
               const char *col, double value) {
  int y;
  if (!table || !year || !key || !col || !*table || !*key || !*col) {
    snprintf(rs->err, sizeof rs->err, "%s: %s: a fact needs table, year, row, col and value", rs->file,
             where);
    return -1;
  }
  if (strlen(table) >= sizeof rs->v->table || strlen(key) >= sizeof rs->v->key ||
      strlen(col) >= sizeof rs->v->col) {
    snprintf(rs->err, sizeof rs->err, "%s: %s: table, row or col is too long", rs->file, where);
    return -1;
  }
  if (school_year_parse(year, &y) != 0) {
    snprintf(rs->err, sizeof rs->err, "%s: %s: year '%.20s' is not a school year like 2024-2025", rs->file,
             where, year);
    return -1;
  }
  if (!isfinite(value)) {
    snprintf(rs->err, sizeof rs->err, "%s: %s: the value is not a finite number", rs->file, where);
    return -1;
  }
  if (!compare_shared(table, key)) return 0; /* per advisor, institution, line...: not shared */
  rs->v = xrealloc(rs->v, (rs->n + 1) * sizeof *rs->v);
  struct row *r = &rs->v[rs->n++];
  snprintf(r->table, sizeof r->table, "%s", table);
  snprintf(r->year, sizeof r->year, "%s", year);
  snprintf(r->key, sizeof r->key, "%s", key);
  snprintf(r->col, sizeof r->col, "%s", col);
  r->value = value;
  return 0;
}

static int on_csv(const struct csv_record *rec, void *data) {
  struct rows *rs = data;
  char where[32];
  snprintf(where, sizeof where, "line %ld", rec->line);
  if (rec->line == 1) {
    static const char *const want[] = {"table", "year", "row", "col", "value"};
    for (size_t i = 0; i < 5; i++)
      if (rec->n != 5 || strcmp(rec->cells[i], want[i])) {
        snprintf(rs->err, sizeof rs->err, "%s: line 1: the header must be table,year,row,col,value",
                 rs->file);
        return 1;
      }
    return 0;
  }
  if (rec->n != 5) {
    snprintf(rs->err, sizeof rs->err, "%s: %s: %zu fields, expected 5", rs->file, where, rec->n);
    return 1;
  }
  char *end;
  double v = strtod(rec->cells[4], &end);
  if (end == rec->cells[4] || *end) {
    snprintf(rs->err, sizeof rs->err, "%s: %s: value '%.40s' is not a number", rs->file, where,
             rec->cells[4]);
    return 1;
  }
  return add(rs, where, rec->cells[0], rec->cells[1], rec->cells[2], rec->cells[3], v) ? 1 : 0;
}

static int read_json(struct rows *rs) {
  json_error_t je;
  json_t *doc = json_load_file(rs->file, JSON_REJECT_DUPLICATES, &je);
  json_t *facts = doc ? json_object_get(doc, "facts") : NULL;
  if (!doc || !json_is_array(facts)) {
    snprintf(rs->err, sizeof rs->err, "%s: %s", rs->file,
             doc ? "no \"facts\" array (bereik report --format json)" : je.text);
    json_decref(doc);
    return -1;
  }
  size_t i;
  json_t *f;
  json_array_foreach(facts, i, f) {
    char where[32];
    snprintf(where, sizeof where, "fact %zu", i + 1);
    json_t *v = json_object_get(f, "value");
    if (!json_is_number(v)) {
      snprintf(rs->err, sizeof rs->err, "%s: %s: the value is not a number", rs->file, where);
      json_decref(doc);
      return -1;
    }
    if (add(rs, where, json_string_value(json_object_get(f, "table")),
            json_string_value(json_object_get(f, "year")), json_string_value(json_object_get(f, "row")),
            json_string_value(json_object_get(f, "col")), json_number_value(v)) != 0) {
      json_decref(doc);
      return -1;
    }
  }
  json_decref(doc);
  return 0;
}

int cmd_compare(const char *path, int argc, char **argv, struct db *(*open_db)(const char *path)) {
  const char *file = NULL, *name = NULL;
  int anonymous = 0, contribute = argc > 0 && !strcmp(argv[0], "contribute");
  if (argc < 1 || (!contribute && strcmp(argv[0], "withdraw"))) return EXIT_USAGE;
  int i = 1;
  if (contribute) {
    if (argc < 2) return EXIT_USAGE;
    file = argv[1];
    i = 2;
  }
  for (; i < argc; i++) {
    if (!strcmp(argv[i], "--name") && i + 1 < argc)
      name = argv[++i];
    else if (!strcmp(argv[i], "--anonymous") && contribute)
      anonymous = 1;
    else
      return EXIT_USAGE;
  }
  if (!name) return EXIT_USAGE;
  struct rows rs = {.file = file};
  if (contribute) {
    size_t n = strlen(file);
    int rc;
    if (n > 5 && !strcmp(file + n - 5, ".json")) {
      rc = read_json(&rs);
    } else {
      long line = 0;
      char err[256];
      rc = csv_read_file(file, on_csv, &rs, NULL, &line, err, sizeof err);
      if (rc != 0 && !rs.err[0]) snprintf(rs.err, sizeof rs.err, "%s: %s", file, err);
    }
    if (rc != 0 || rs.err[0]) {
      fprintf(stderr, "bereik: compare contribute: %s; nothing was written\n", rs.err);
      free(rs.v);
      return EXIT_INVALID;
    }
  }
  struct db *db = open_db(path);
  if (!db) {
    free(rs.v);
    return EXIT_INVALID;
  }
  struct shared_fact *sf = xcalloc(rs.n + 1, sizeof *sf);
  for (size_t k = 0; k < rs.n; k++)
    sf[k] = (struct shared_fact){rs.v[k].table, rs.v[k].year, rs.v[k].key, rs.v[k].col, rs.v[k].value};
  char err[512] = "";
  int rc = contribute ? service_contribute(db, name, anonymous, sf, rs.n, err, sizeof err)
                      : service_withdraw(db, name, err, sizeof err);
  if (rc != 0)
    fprintf(stderr, "bereik: compare %s: %s; nothing was written\n", argv[0], err);
  else if (contribute)
    printf("%s: %zu shared facts of %s\n", file, rs.n, name);
  else
    printf("withdrew the facts of %s\n", name);
  free(sf);
  db_close(db);
  free(rs.v);
  return rc ? EXIT_INVALID : 0;
}
