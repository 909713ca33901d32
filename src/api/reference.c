/* SPDX-License-Identifier: EUPL-1.2 */
/* Reference data, plan and targets, trajectories: read for every role, written by
   admins. The representation is the dataset's (DATA-FORMAT.md section 1): the same
   field names and canonical values as the CSV files, typed for JSON (numbers, booleans,
   lists as arrays, empty as null). Reads and writes go through the reference-data door
   (io/refdata.h): the dataset import of one row, all or nothing, with the same rules
   and messages as the files and an audit entry of the row before and after. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "core/buf.h"
#include "core/lists.h"
#include "core/numbers.h"
#include "core/util.h"
#include "io/dataset.h"
#include "io/refdata.h"

static const struct {
  const char *path; /* under /api/v1/ */
  int fid;
} resources[] = {
    {"sectors", F_SECTORS},
    {"lines", F_LINES},
    {"goals", F_GOALS},
    {"institutions", F_INSTITUTIONS},
    {"teams", F_TEAMS},
    {"advisors", F_ADVISORS},
    {"target-groups", F_TARGET_GROUPS},
    {"trajectories", F_TRAJECTORIES},
    {"plan", F_PLAN},
    {"targets", F_TARGETS},
};
#define N_RESOURCES (sizeof resources / sizeof resources[0])

int api_reference_of(const char *path) {
  const char *p = path + strlen("/api/v1/");
  size_t n = strcspn(p, "/");
  for (size_t i = 0; i < N_RESOURCES; i++)
    if (strlen(resources[i].path) == n && !strncmp(resources[i].path, p, n)) return (int)i;
  return -1;
}

static const struct coldef *coldef(int fid, const char *name) {
  const struct filedef *fd = &dataset_files[fid];
  for (int c = 0; c < fd->ncols; c++)
    if (!strcmp(fd->cols[c].name, name)) return &fd->cols[c];
  return NULL;
}

/* A canonical cell as JSON by its column type. */
static json_t *cell_json(int type, const char *s) {
  if (!*s) return type == C_LIST ? json_array() : json_null();
  switch (type) {
  case C_INT:
    return json_integer(strtoll(s, NULL, 10));
  case C_DEC:
    return json_real(strtod(s, NULL));
  case C_BOOL:
    return json_boolean(!strcmp(s, "true"));
  case C_LIST: {
    json_t *a = json_array();
    char *copy, **items;
    int n = list_split(s, &copy, &items);
    for (int i = 0; i < n; i++) json_array_append_new(a, json_string(items[i]));
    free(copy);
    free(items);
    return a;
  }
  default:
    return json_string(s);
  }
}

/* Every row of a resource, as the dataset export writes them (sorted by key). */
static json_t *rows_of(struct api *a, int fid) {
  struct ref_table t;
  if (refdata_load(a->r->db, fid, &t, 0) != 0) {
    refdata_free(&t);
    return NULL;
  }
  const struct filedef *fd = &dataset_files[fid];
  json_t *items = json_array();
  for (size_t i = 0; i < t.n; i++) {
    json_t *o = json_object();
    for (int c = 0; c < fd->ncols; c++)
      json_object_set_new(o, fd->cols[c].name, cell_json(fd->cols[c].type, t.rows[i][c]));
    json_array_append_new(items, o);
  }
  refdata_free(&t);
  return items;
}

/* The row whose key columns have the values of the path parameters. */
static json_t *find_row(json_t *items, int fid, const struct api *a) {
  const struct filedef *fd = &dataset_files[fid];
  size_t i;
  json_t *o;
  json_array_foreach(items, i, o) {
    int same = 1;
    for (int k = 0; k < fd->nkey && same; k++) {
      json_t *v = json_object_get(o, fd->cols[fd->key[k]].name);
      char s[64] = "";
      if (json_is_string(v))
        snprintf(s, sizeof s, "%s", json_string_value(v));
      else if (json_is_integer(v))
        snprintf(s, sizeof s, "%lld", (long long)json_integer_value(v));
      same = !strcmp(s, a->param[k]);
    }
    if (same) return o;
  }
  return NULL;
}

void api_reference_list(struct api *a) {
  int res = api_reference_of(a->r->path);
  json_t *items = rows_of(a, resources[res].fid);
  if (!items) {
    api_problem(a, 500, "the data could not be read", NULL);
    return;
  }
  json_t *o = json_object();
  json_object_set_new(o, "items", items);
  api_json(a, 200, o);
}

void api_reference_get(struct api *a) {
  int res = api_reference_of(a->r->path);
  json_t *items = rows_of(a, resources[res].fid);
  if (!items) {
    api_problem(a, 500, "the data could not be read", NULL);
    return;
  }
  json_t *row = find_row(items, resources[res].fid, a);
  if (row)
    api_json(a, 200, json_incref(row));
  else
    api_problem(a, 404, "no such row", NULL);
  json_decref(items);
}

/* A JSON value as the text of a dataset cell of the given type; NULL when it has no
   such form (a list only for a list column). */
static char *cell_text(json_t *v, int type) {
  char num[32];
  if (json_is_null(v)) return xstrdup("");
  /* the JSON type of the column's representation (cell_json): a number for numbers, a
     boolean for booleans, a text (or for a list column a list) otherwise */
  int number = type == C_INT || type == C_DEC;
  if ((number && !json_is_number(v)) || (type == C_BOOL && !json_is_boolean(v)) ||
      (!number && type != C_BOOL && !json_is_string(v) && !(type == C_LIST && json_is_array(v))) ||
      (type == C_INT && !json_is_integer(v)))
    return NULL;
  if (json_is_string(v)) return xstrdup(json_string_value(v));
  if (json_is_boolean(v)) return xstrdup(json_is_true(v) ? "true" : "false");
  if (json_is_integer(v)) {
    snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
    return xstrdup(num);
  }
  if (json_is_real(v) && isfinite(json_real_value(v))) {
    format_shortest(json_real_value(v), num);
    return xstrdup(num);
  }
  if (json_is_array(v) && type == C_LIST) {
    struct buf b = {0};
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
      if (!json_is_string(e) || strchr(json_string_value(e), '|')) {
        buf_free(&b);
        return NULL;
      }
      buf_printf(&b, "%s%s", i ? "|" : "", json_string_value(e));
    }
    char *s = xstrdup(buf_str(&b));
    buf_free(&b);
    return s;
  }
  return NULL;
}

/* The door's problems as the API's errors: the column is the field. */
static void on_problem(void *arg, const char *column, const char *message) {
  api_error(arg, column, message, NULL);
}

/* Creates or updates one row through the reference-data door (the dataset import of
   one row, all or nothing, with the audit entry of the row before and after). Absent
   optional fields keep their stored values; the key comes from the path. */
void api_reference_put(struct api *a) {
  int res = api_reference_of(a->r->path), fid = resources[res].fid;
  const struct filedef *fd = &dataset_files[fid];
  json_t *body = api_body(a);
  if (!body) return;
  json_t *errors = json_array();
  const char *names[64];
  char *values[64];
  int n = 0;
  for (int k = 0; k < fd->nkey; k++) { /* the key, from the path */
    const char *name = fd->cols[fd->key[k]].name;
    json_t *v = json_object_get(body, name);
    char *t = v ? cell_text(v, fd->cols[fd->key[k]].type) : NULL;
    if (v && (!t || strcmp(t, a->param[k]))) api_error_msg(errors, name, AM_KEY_MISMATCH);
    free(t);
    names[n] = name;
    values[n++] = xstrdup(a->param[k]);
  }
  const char *key;
  json_t *v;
  json_object_foreach(body, key, v) {
    int is_key = 0;
    for (int k = 0; k < fd->nkey; k++) is_key |= !strcmp(fd->cols[fd->key[k]].name, key);
    if (is_key) continue;
    const struct coldef *cd = coldef(fid, key);
    if (!cd || n >= (int)(sizeof names / sizeof names[0])) {
      api_error_msg(errors, key, AM_UNKNOWN_FIELD);
      continue;
    }
    char *t = cell_text(v, cd->type);
    if (!t) {
      int ty = cd->type;
      api_error_msg(errors, key,
                    ty == C_INT    ? AM_CELL_INT
                    : ty == C_DEC  ? AM_CELL_DEC
                    : ty == C_BOOL ? AM_BOOL
                    : ty == C_LIST ? AM_CELL_LIST
                                   : AM_CELL_TEXT);
      continue;
    }
    names[n] = cd->name; /* the column's own name: key is the body's and goes with it */
    values[n++] = t;
  }
  int rc = REF_FAILED, invalid_fields = json_array_size(errors) > 0;
  if (!invalid_fields) {
    struct ref_change c = {
        .actor = a->r->user.login, .now = a->r->now, .lang = "en", .problem = on_problem, .arg = errors};
    rc = refdata_put(a->r->db, fid, n, names, (const char *const *)values, &c);
  }
  json_decref(body);
  for (int i = 0; i < n; i++) free(values[i]);
  if (rc == REF_OK) {
    json_decref(errors);
    json_t *items = rows_of(a, fid);
    json_t *stored = items ? find_row(items, fid, a) : NULL;
    if (stored)
      api_json(a, 200, json_incref(stored));
    else
      api_problem(a, 500, "the row was saved but could not be read back", NULL);
    json_decref(items);
  } else if (invalid_fields) {
    api_problem(a, 422, "the row has invalid fields", errors);
  } else if (rc == REF_INVALID) {
    api_problem(a, 422, "the row was refused by the rules of the dataset import; nothing was changed",
                errors);
  } else {
    json_decref(errors);
    api_problem(a, 500, "the row could not be saved", NULL);
  }
}
