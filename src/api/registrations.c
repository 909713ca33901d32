/* SPDX-License-Identifier: EUPL-1.2 */
/* /api/v1/registrations: the representation of DATA-FORMAT.md section 4, read and
   written through the rules of domain/registration.c (the same canonical form, checks
   and messages as the import and the form), the per-object authorization of
   domain/access.h, an audit entry per change, ETag/If-Match against lost updates, and
   idempotent creation by id or by an Idempotency-Key header (domain/offline.h). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "core/buf.h"
#include "core/dates.h"
#include "core/lists.h"
#include "core/numbers.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/access.h"
#include "domain/audit.h"
#include "domain/bounds.h"
#include "domain/model.h"
#include "domain/offline.h"
#include "domain/registration.h"
#include "domain/write_rate.h"
#include "measures/cache.h"

#define LIST_DEFAULT 50
#define LIST_MAX 500

/* ---- canonical values (registrations.csv's columns, then one count per target group) ---- */

struct regv {
  char **v;
  int n;
};

static void regv_init(struct regv *x, const struct model *m) {
  x->n = N_REG_BASE + (int)m->n_target_groups;
  x->v = xcalloc((size_t)x->n, sizeof *x->v);
  for (int i = 0; i < x->n; i++) x->v[i] = xstrdup("");
}

static void regv_free(struct regv *x) {
  for (int i = 0; i < x->n; i++) free(x->v[i]);
  free(x->v);
  x->v = NULL;
}

static void regv_set(struct regv *x, int col, const char *s) {
  free(x->v[col]);
  x->v[col] = xstrdup(s ? s : "");
}

static int regv_equal(const struct regv *a, const struct regv *b) {
  for (int i = 0; i < a->n; i++)
    if (strcmp(a->v[i], b->v[i])) return 0;
  return 1;
}

/* The stored values of registration ID (internal). Returns 0, or -1 when it is gone. */
static int load_values(struct db *db, const struct model *m, int64_t id, struct regv *x) {
  return registration_load(db, m, id, x->v) == 0 ? 0 : -1;
}

static json_t *text_or_null(const char *s) { return s && *s ? json_string(s) : json_null(); }

static json_t *list_json(const char *s) {
  json_t *a = json_array();
  char *copy, **items;
  int n = list_split(s, &copy, &items);
  for (int i = 0; i < n; i++) json_array_append_new(a, json_string(items[i]));
  free(copy);
  free(items);
  return a;
}

/* The representation of DATA-FORMAT.md section 4. */
static json_t *to_json(const struct model *m, const struct regv *x) {
  char **v = x->v;
  json_t *o = json_object();
  json_object_set_new(o, "id", json_string(v[R_ID]));
  json_object_set_new(o, "date", json_string(v[R_DATE]));
  json_object_set_new(o, "minutes", json_integer(strtoll(v[R_MINUTES], NULL, 10)));
  json_object_set_new(o, "kind", json_string(v[R_KIND]));
  json_object_set_new(o, "line", json_string(v[R_LINE]));
  json_object_set_new(o, "goal", text_or_null(v[R_GOAL]));
  json_object_set_new(o, "advisors", list_json(v[R_ADVISORS]));
  json_object_set_new(o, "institutions", list_json(v[R_INSTITUTIONS]));
  json_object_set_new(o, "modality", text_or_null(v[R_MODALITY]));
  json_object_set_new(o, "activity", text_or_null(v[R_ACTIVITY]));
  json_object_set_new(o, "trajectory", text_or_null(v[R_TRAJECTORY]));
  json_object_set_new(o, "level", text_or_null(v[R_LEVEL]));
  json_object_set_new(o, "followup",
                      !*v[R_FOLLOWUP] ? json_null() : json_boolean(!strcmp(v[R_FOLLOWUP], "true")));
  json_object_set_new(o, "description", text_or_null(v[R_DESCRIPTION]));
  json_t *c = json_object();
  for (size_t g = 0; g < m->n_target_groups; g++)
    if (*v[N_REG_BASE + g])
      json_object_set_new(c, m->target_groups[g].code, json_integer(strtoll(v[N_REG_BASE + g], NULL, 10)));
  json_object_set_new(o, "counts", c);
  return o;
}

/* ---- problems ---- */

static int has_field(json_t *errors, const char *field) {
  size_t i;
  json_t *e;
  json_array_foreach(errors, i, e) {
    if (!strcmp(json_string_value(json_object_get(e, "field")), field)) return 1;
  }
  return 0;
}

static void own_error(json_t *errors, const char *field, enum api_msg m) { api_error_msg(errors, field, m); }

static const char *field_of(const struct model *m, int col, char buf[160]) {
  if (col >= N_REG_BASE) {
    snprintf(buf, 160, "counts.%s", m->target_groups[col - N_REG_BASE].code);
    return buf;
  }
  char tmp[128];
  snprintf(buf, 160, "%s", reg_col_name(m, col, tmp));
  return buf;
}

/* Adds a rule problem unless its field has a problem already (a value of the wrong
   JSON type is not judged again by the rules). */
static void rule_problem(const struct model *m, json_t *errors, json_t *typed, const struct reg_problem *p) {
  char field[160], en[512], nl[512];
  field_of(m, p->col, field);
  if (has_field(typed, field)) return;
  reg_problem_text(p, "en", en, sizeof en);
  reg_problem_text(p, "nl", nl, sizeof nl);
  api_error(errors, field, en, nl);
}

static void rule_problem_code(const struct model *m, json_t *errors, json_t *typed, int col, int code,
                              const char *arg) {
  struct reg_problem p = {.col = col, .code = code};
  snprintf(p.arg[0], sizeof p.arg[0], "%s", arg ? arg : "");
  rule_problem(m, errors, typed, &p);
}

/* ---- reading a body ---- */

static const struct {
  const char *name;
  int col;
  char type; /* s text, i integer, l list, b boolean, c counts */
  int required;
} fields[] = {
    {"id", R_ID, 's', 0},
    {"date", R_DATE, 's', 1},
    {"minutes", R_MINUTES, 'i', 1},
    {"kind", R_KIND, 's', 1},
    {"line", R_LINE, 's', 1},
    {"goal", R_GOAL, 's', 0},
    {"advisors", R_ADVISORS, 'l', 1},
    {"institutions", R_INSTITUTIONS, 'l', 0},
    {"modality", R_MODALITY, 's', 0},
    {"activity", R_ACTIVITY, 's', 0},
    {"trajectory", R_TRAJECTORY, 's', 0},
    {"level", R_LEVEL, 's', 0},
    {"followup", R_FOLLOWUP, 'b', 0},
    {"description", R_DESCRIPTION, 's', 0},
    {"counts", -1, 'c', 0},
};
#define N_FIELDS (sizeof fields / sizeof fields[0])

static char *trim_dup(const char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  return xstrndup(s, n);
}

/* Fills x from a JSON body; problems of JSON types and shapes go to typed (they are
   also in errors). */
static void from_json(const struct model *m, json_t *body, struct regv *x, json_t *errors, json_t *typed) {
  const char *key;
  json_t *val;
  json_object_foreach(body, key, val) {
    int known = 0;
    for (size_t f = 0; f < N_FIELDS; f++) known |= !strcmp(fields[f].name, key);
    if (!known) {
      own_error(errors, key, AM_UNKNOWN_FIELD);
      own_error(typed, key, AM_UNKNOWN_FIELD);
    }
  }
  for (size_t f = 0; f < N_FIELDS; f++) {
    const char *name = fields[f].name;
    json_t *j = json_object_get(body, name);
    int bad = -1;
    if (!j || json_is_null(j)) {
      if (fields[f].required && strcmp(name, "advisors")) bad = AM_REQUIRED;
    } else if (fields[f].type == 's') {
      if (!json_is_string(j)) {
        bad = AM_TEXT;
      } else {
        char *t =
            fields[f].col == R_DESCRIPTION ? xstrdup(json_string_value(j)) : trim_dup(json_string_value(j));
        regv_set(x, fields[f].col, t);
        free(t);
      }
    } else if (fields[f].type == 'i') {
      char s[64];
      if (json_is_integer(j)) {
        snprintf(s, sizeof s, "%lld", (long long)json_integer_value(j));
        regv_set(x, fields[f].col, s);
      } else {
        char *d = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
        rule_problem_code(m, errors, typed, R_MINUTES, RP_MINUTES_RANGE, d);
        own_error(typed, name, AM_TEXT);
        free(d);
      }
    } else if (fields[f].type == 'l') {
      struct buf b = {0};
      size_t i;
      json_t *e;
      if (!json_is_array(j)) bad = AM_LIST;
      json_array_foreach(j, i, e) {
        if (!json_is_string(e)) {
          bad = AM_LIST;
          break;
        }
        if (strchr(json_string_value(e), '|')) {
          bad = AM_PIPE;
          break;
        }
        char *t = trim_dup(json_string_value(e));
        buf_printf(&b, "%s%s", i ? "|" : "", t);
        free(t);
      }
      if (bad < 0) regv_set(x, fields[f].col, buf_str(&b));
      buf_free(&b);
    } else if (fields[f].type == 'b') {
      if (!json_is_boolean(j))
        bad = AM_BOOL;
      else
        regv_set(x, fields[f].col, json_is_true(j) ? "true" : "false");
    } else { /* counts */
      const char *code;
      json_t *n;
      if (!json_is_object(j)) bad = AM_COUNTS;
      json_object_foreach(j, code, n) {
        int g = model_tg(m, code);
        char field[160];
        snprintf(field, sizeof field, "counts.%.140s", code);
        if (g < 0) {
          own_error(errors, field, AM_TG_UNKNOWN);
          own_error(typed, field, AM_TG_UNKNOWN);
        } else if (!json_is_integer(n)) {
          char *d = json_dumps(n, JSON_ENCODE_ANY | JSON_COMPACT);
          rule_problem_code(m, errors, typed, N_REG_BASE + g, RP_COUNT_NOT_INTEGER, d);
          own_error(typed, field, AM_COUNTS);
          free(d);
        } else {
          char s[32];
          snprintf(s, sizeof s, "%lld", (long long)json_integer_value(n));
          regv_set(x, N_REG_BASE + g, s);
        }
      }
    }
    if (bad >= 0) {
      own_error(errors, name, bad);
      own_error(typed, name, bad);
    }
  }
  /* a date as the import reads it */
  int32_t day;
  if (*x->v[R_DATE] && date_parse(x->v[R_DATE], &day) != 0) {
    rule_problem_code(m, errors, typed, R_DATE, RP_DATE_INVALID, x->v[R_DATE]);
    own_error(typed, "date", AM_TEXT);
  }
}

/* ---- writing ---- */

static void audit_json(const struct model *m, const struct regv *x, struct buf *j) {
  registration_audit_json(m, x->v, j);
}

/* Inside the caller's write transaction: the registration and its audit entry. */
static int write_reg(struct api *a, const struct model *m, struct regv *x, const struct reg_check *c,
                     int64_t existing_id, const struct regv *before) {
  struct reg_statements s;
  if (reg_statements_prepare(a->r->db, &s) != 0) return -1;
  int64_t id = existing_id ? existing_id : registration_next_id(a->r->db);
  struct reg_write *w = reg_write_new(m, x->v, c, id, existing_id != 0);
  const char *msg = reg_write_exec(&s, w);
  reg_write_free(w);
  reg_statements_finalize(&s);
  if (msg || (!existing_id && registration_set_author(a->r->db, id, a->r->user.advisor_id) != 0)) return -1;
  struct buf j = {0}, b = {0};
  audit_json(m, x, &j);
  if (before) audit_json(m, before, &b);
  int rc = audit_write(a->r->db, a->r->now, a->r->user.login, existing_id ? "update" : "create",
                       "registration", x->v[R_ID], before ? buf_str(&b) : NULL, buf_str(&j), NULL);
  buf_free(&j);
  buf_free(&b);
  return rc;
}

/* The rules of a registration and the locked years (the new date's and, on update,
   the stored one's); problems into errors. */
static void check_rules(struct db *db, int64_t self, const struct model *m, struct regv *x,
                        const struct regv *stored, struct reg_check *c, json_t *errors, json_t *typed) {
  struct reg_problems ps = {.n = 0};
  registration_canonicalize(m, x->v, &ps);
  for (int k = 0; k < ps.n; k++) rule_problem(m, errors, typed, &ps.p[k]);
  registration_check(m, x->v, c);
  if (db && !json_array_size(errors) && registration_check_day(db, m, x->v, c, self) != 0)
    api_error_msg(errors, "minutes", AM_DAY_UNCHECKED);
  for (int k = 0; k < c->problems.n; k++) rule_problem(m, errors, typed, &c->problems.p[k]);
  if (json_array_size(errors)) return;
  int32_t day = NO_DATE, old = NO_DATE;
  date_parse(x->v[R_DATE], &day);
  if (stored) date_parse(stored->v[R_DATE], &old);
  int y = day != NO_DATE && model_year_locked(m, school_year_of(day))   ? school_year_of(day)
          : old != NO_DATE && model_year_locked(m, school_year_of(old)) ? school_year_of(old)
                                                                        : -1;
  if (y >= 0) {
    char ys[10];
    school_year_format(y, ys);
    rule_problem_code(m, errors, typed, R_DATE, RP_YEAR_LOCKED, ys);
  }
}

/* 1 when one of the registration's advisors is in the user's write scope. */
static int advisors_writable(const struct model *m, const struct advisor_scope *w,
                             const struct reg_check *c) {
  for (int i = 0; i < c->na; i++)
    if (advisor_scope_has(w, m->advisors[c->adv[i]].id)) return 1;
  return 0;
}

static void respond_reg(struct api *a, int status, const struct model *m, const struct regv *x) {
  json_t *o = to_json(m, x);
  api_etag(o, a->resp->etag);
  api_json(a, status, o);
}

/* The reference data, shared while no process changed it (measures/cache.h). */
static const struct model *load_model(struct api *a, struct cache_ref **ref) {
  char err[256];
  int64_t ref_token;
  const struct model *m = NULL;
  *ref = NULL;
  if (db_revision(a->r->db, NULL, &ref_token) == 0)
    m = cached_model(a->r->db, ref_token, ref, err, sizeof err);
  if (!m) api_problem(a, 500, "the reference data could not be read", NULL);
  return m;
}

/* The write rate limit of the request's API token, inside the write transaction:
   answers 429 with Retry-After and returns 1 when over it (-1 after a 500). */
static int rate_limited(struct api *a) {
  int64_t retry = 0;
  int rc = write_rate_hit(a->r->db, "token", a->r->authorization, a->r->now, &retry);
  if (rc < 0) {
    api_problem(a, 500, "the database is not available", NULL);
    return -1;
  }
  if (rc == 0) return 0;
  char d[160];
  snprintf(d, sizeof d, "too many writes: at most %d registration writes a minute per token; retry in %lld s",
           write_rate_limit(), (long long)retry);
  a->resp->retry_after = (int)retry;
  api_problem(a, 429, d, NULL);
  return 1;
}

/* The co-advisor rule (domain/access.h): a user who does not own the registration (its
   author, or the author's coordinator) may only remove their own advisor from it; to
   (NULL: a deletion) is the new state. Returns 0 when the user owns it, 2 when it is a
   co-advisor removing only themselves, 1 after answering 403 (or 500). */
static int coadvisor_refused(struct api *a, const struct model *m, const struct advisor_scope *ws, int64_t id,
                             const struct regv *from, const struct regv *to) {
  int64_t author = registration_author(a->r->db, id);
  if (author < 0) {
    api_problem(a, 500, "the database failed", NULL);
    return 1;
  }
  if (registration_owned(ws, author)) return 0;
  int me = a->r->user.advisor_id > 0 && a->r->user.advisor_id <= m->max_advisor_id
               ? m->advisor_of_id[a->r->user.advisor_id]
               : -1;
  if (to && me >= 0) {
    struct regv expect = {0};
    regv_init(&expect, m);
    for (int i = 0; i < from->n; i++) regv_set(&expect, i, from->v[i]);
    regv_set(&expect, R_ADVISORS, to->v[R_ADVISORS]);
    int ok = regv_equal(&expect, to) &&
             registration_only_self_removed(from->v[R_ADVISORS], to->v[R_ADVISORS], m->advisors[me].code);
    regv_free(&expect);
    if (ok) return 2;
  }
  int ai = author <= m->max_advisor_id ? m->advisor_of_id[author] : -1;
  json_t *errors = json_array(), *none = json_array();
  rule_problem_code(m, errors, none, R_ADVISORS, RP_COADVISOR_SELF_ONLY,
                    ai >= 0 ? m->advisors[ai].code : "?");
  json_decref(none);
  api_problem(
      a, 403,
      to ? "as a co-advisor you may only remove yourself from this registration (PUT it with the other "
           "fields unchanged and without your advisor code)"
         : "as a co-advisor you may not delete this registration; remove yourself from it with PUT",
      errors);
  return 1;
}

/* The one answer to a registration the user may not create, whether its id is free or
   taken by a registration they cannot see (the two must not be told apart). */
static void not_creatable(struct api *a) {
  api_problem(a, 403,
              "you may not create this registration: none of its advisors is one you may register for, "
              "or its id is not available to you",
              NULL);
}

/* ---- handlers ---- */

void api_registrations_create(struct api *a) {
  json_t *body = api_body(a);
  if (!body) return;
  struct cache_ref *mref = NULL;
  const struct model *m = load_model(a, &mref);
  if (!m) {
    json_decref(body);
    return;
  }
  struct regv x, stored = {0};
  regv_init(&x, m);
  json_t *errors = json_array(), *typed = json_array();
  struct advisor_scope rs = {0}, ws = {0};
  int began = 0;
  from_json(m, body, &x, errors, typed);
  /* an id sent but empty is no request for a server-assigned one */
  if (json_is_string(json_object_get(body, "id")) && !*x.v[R_ID])
    rule_problem_code(m, errors, typed, R_ID, RP_ID_INVALID, NULL);
  if (user_scope(&a->r->user, m, ACCESS_READ, &rs) != 0 ||
      user_scope(&a->r->user, m, ACCESS_WRITE, &ws) != 0) {
    api_problem(a, 500, "out of memory", NULL);
    goto out;
  }
  if (db_begin_write_registrations(a->r->db) != DB_OK) {
    api_problem(a, 500, "the database is not available", NULL);
    goto out;
  }
  began = 1;
  /* Idempotency-Key: a key this user sent before answers what it created, whatever the
     body says now; a new one is recorded with the registration, in this transaction */
  const char *ikey = a->r->idempotency_key;
  if (ikey) {
    char ext[BOUND_ID_MAX + 8];
    int f = idem_key_valid(ikey) ? idem_key_find(a->r->db, a->r->user.id, ikey, ext, sizeof ext) : -2;
    if (f == -2) {
      api_problem(a, 400,
                  "the Idempotency-Key header must be 8 to 100 characters of A-Z a-z 0-9 - _ . :", NULL);
      goto out;
    }
    if (f < 0) {
      api_problem(a, 500, "the database is not available", NULL);
      goto out;
    }
    if (f) {
      int64_t first = registration_id_of(a->r->db, ext);
      regv_init(&stored, m);
      if (first > 0 && load_values(a->r->db, m, first, &stored) == 0)
        respond_reg(a, 200, m, &stored);
      else
        api_problem(a, 409, "the registration this Idempotency-Key created has been deleted since", NULL);
      goto out;
    }
  }
  int64_t existing = *x.v[R_ID] ? registration_id_of(a->r->db, x.v[R_ID]) : 0;
  if (existing < 0) existing = 0;
  /* an id taken by a registration the user cannot read is judged as a free id they may
     not create: the same checks, then the same 403 */
  int hidden = existing && registration_in_scope(a->r->db, &rs, x.v[R_ID]) <= 0;
  if (existing && !hidden &&
      !json_array_size(errors)) { /* a replay answers 200 with what is stored; other content is a conflict */
    struct reg_problems ps = {.n = 0};
    registration_canonicalize(m, x.v, &ps);
    regv_init(&stored, m);
    if (ps.n == 0 && load_values(a->r->db, m, existing, &stored) == 0 && regv_equal(&x, &stored))
      respond_reg(a, 200, m, &stored);
    else
      api_problem(a, 409,
                  "a registration with this id exists with other content; change it with PUT and If-Match",
                  NULL);
    goto out;
  }
  struct reg_check c;
  check_rules(a->r->db, existing, m, &x, NULL, &c, errors, typed);
  if (json_array_size(errors)) {
    api_problem(a, 422, "the registration has invalid fields", json_incref(errors));
    goto out;
  }
  if (hidden || !advisors_writable(m, &ws, &c)) {
    not_creatable(a);
    goto out;
  }
  if (rate_limited(a)) goto out;
  if (!*x.v[R_ID]) {
    unsigned char rnd[8];
    char ext[32] = "a-";
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(ext + 2, sizeof ext - 2, rnd, sizeof rnd);
    regv_set(&x, R_ID, ext);
  }
  if (write_reg(a, m, &x, &c, 0, NULL) != 0 ||
      (ikey && idem_key_record(a->r->db, a->r->user.id, ikey, x.v[R_ID], a->r->now) != 0) ||
      db_commit(a->r->db) != DB_OK) {
    api_problem(a, 500, "the registration could not be saved; please try again", NULL);
    goto out;
  }
  began = 0;
  snprintf(a->resp->location, sizeof a->resp->location, "/api/v1/registrations/%s", x.v[R_ID]);
  respond_reg(a, 201, m, &x);
out:
  if (began) db_rollback(a->r->db);
  advisor_scope_free(&rs);
  advisor_scope_free(&ws);
  json_decref(errors);
  json_decref(typed);
  json_decref(body);
  regv_free(&x);
  if (stored.v) regv_free(&stored);
  cache_release(mref);
}

/* Finds the registration of the path for reading (404 when it does not exist or is
   out of the read scope) and, when write, for changing (403 when readable only). */
static int64_t find(struct api *a, const struct model *m, int write) {
  struct advisor_scope s;
  if (user_scope(&a->r->user, m, ACCESS_READ, &s) != 0) {
    api_problem(a, 500, "out of memory", NULL);
    return -1;
  }
  int64_t id = registration_in_scope(a->r->db, &s, a->param[0]);
  advisor_scope_free(&s);
  if (id <= 0) {
    api_problem(a, id < 0 ? 500 : 404, id < 0 ? "the database failed" : "no such registration", NULL);
    return -1;
  }
  if (!write) return id;
  if (user_scope(&a->r->user, m, ACCESS_WRITE, &s) != 0) {
    api_problem(a, 500, "out of memory", NULL);
    return -1;
  }
  int64_t w = registration_in_scope(a->r->db, &s, a->param[0]);
  advisor_scope_free(&s);
  if (w <= 0) {
    api_problem(a, 403, "you may read this registration but not change it", NULL);
    return -1;
  }
  if (!a->r->if_match) {
    api_problem(a, 428, "send If-Match with the registration's current ETag", NULL);
    return -1;
  }
  return id;
}

void api_registration_get(struct api *a) {
  struct cache_ref *mref = NULL;
  const struct model *m = load_model(a, &mref);
  if (!m) return;
  int64_t id = find(a, m, 0);
  if (id > 0) {
    struct regv x;
    regv_init(&x, m);
    if (load_values(a->r->db, m, id, &x) == 0)
      respond_reg(a, 200, m, &x);
    else
      api_problem(a, 404, "no such registration", NULL);
    regv_free(&x);
  }
  cache_release(mref);
}

/* Inside the write transaction: the stored values, checked against If-Match (412). */
static int current(struct api *a, const struct model *m, int64_t id, struct regv *stored) {
  if (load_values(a->r->db, m, id, stored) != 0) {
    api_problem(a, 404, "no such registration", NULL);
    return -1;
  }
  char etag[72];
  json_t *o = to_json(m, stored);
  api_etag(o, etag);
  json_decref(o);
  if (strcmp(a->r->if_match, etag)) {
    api_problem(a, 412, "the registration has changed since you read it (If-Match differs from its ETag)",
                NULL);
    return -1;
  }
  return 0;
}

void api_registration_put(struct api *a) {
  json_t *body = api_body(a);
  if (!body) return;
  struct cache_ref *mref = NULL;
  const struct model *m = load_model(a, &mref);
  if (!m) {
    json_decref(body);
    return;
  }
  struct regv x, stored;
  regv_init(&x, m);
  regv_init(&stored, m);
  json_t *errors = json_array(), *typed = json_array();
  struct advisor_scope ws = {0};
  int began = 0;
  int64_t id = find(a, m, 1);
  if (id <= 0) goto out;
  if (db_begin_write_registrations(a->r->db) != DB_OK) {
    api_problem(a, 500, "the database is not available", NULL);
    goto out;
  }
  began = 1;
  if (current(a, m, id, &stored) != 0) goto out;
  from_json(m, body, &x, errors, typed);
  if (*x.v[R_ID] && strcmp(x.v[R_ID], a->param[0])) own_error(errors, "id", AM_ID_MISMATCH);
  regv_set(&x, R_ID, a->param[0]);
  struct reg_check c;
  check_rules(a->r->db, id, m, &x, &stored, &c, errors, typed);
  if (json_array_size(errors)) {
    api_problem(a, 422, "the registration has invalid fields", json_incref(errors));
    goto out;
  }
  if (user_scope(&a->r->user, m, ACCESS_WRITE, &ws) != 0) {
    api_problem(a, 500, "out of memory", NULL);
    goto out;
  }
  int co = coadvisor_refused(a, m, &ws, id, &stored, &x);
  if (co == 1) goto out;
  if (co == 0 && !advisors_writable(m, &ws, &c)) {
    api_problem(a, 403, "none of the registration's new advisors is one you may register for", NULL);
    goto out;
  }
  if (rate_limited(a)) goto out;
  if (!regv_equal(&x, &stored) && write_reg(a, m, &x, &c, id, &stored) != 0) {
    api_problem(a, 500, "the registration could not be saved; please try again", NULL);
    goto out;
  }
  if (db_commit(a->r->db) != DB_OK) {
    api_problem(a, 500, "the registration could not be saved; please try again", NULL);
    goto out;
  }
  began = 0;
  respond_reg(a, 200, m, &x);
out:
  if (began) db_rollback(a->r->db);
  advisor_scope_free(&ws);
  json_decref(errors);
  json_decref(typed);
  json_decref(body);
  regv_free(&x);
  regv_free(&stored);
  cache_release(mref);
}

void api_registration_delete(struct api *a) {
  struct cache_ref *mref = NULL;
  const struct model *m = load_model(a, &mref);
  if (!m) return;
  struct regv stored;
  regv_init(&stored, m);
  int began = 0;
  int64_t id = find(a, m, 1);
  if (id <= 0) goto out;
  if (db_begin_write_registrations(a->r->db) != DB_OK) {
    api_problem(a, 500, "the database is not available", NULL);
    goto out;
  }
  began = 1;
  if (current(a, m, id, &stored) != 0) goto out;
  struct advisor_scope ws;
  if (user_scope(&a->r->user, m, ACCESS_WRITE, &ws) != 0) {
    api_problem(a, 500, "out of memory", NULL);
    goto out;
  }
  int refused = coadvisor_refused(a, m, &ws, id, &stored, NULL) != 0;
  advisor_scope_free(&ws);
  if (refused || rate_limited(a)) goto out;
  int32_t day = NO_DATE;
  date_parse(stored.v[R_DATE], &day);
  if (day != NO_DATE && model_year_locked(m, school_year_of(day))) {
    json_t *errors = json_array(), *none = json_array();
    char ys[10];
    school_year_format(school_year_of(day), ys);
    rule_problem_code(m, errors, none, R_DATE, RP_YEAR_LOCKED, ys);
    json_decref(none);
    api_problem(a, 422, "the registration lies in a locked school year", errors);
    goto out;
  }
  int ok = registration_delete(a->r->db, id) == 0;
  struct buf before = {0};
  audit_json(m, &stored, &before);
  if (ok)
    ok = audit_write(a->r->db, a->r->now, a->r->user.login, "delete", "registration", stored.v[R_ID],
                     buf_str(&before), NULL, NULL) == 0;
  buf_free(&before);
  if (!ok || db_commit(a->r->db) != DB_OK) {
    api_problem(a, 500, "the registration could not be deleted; please try again", NULL);
    goto out;
  }
  began = 0;
  a->resp->status = 204;
  a->resp->content_type = "application/json";
out:
  if (began) db_rollback(a->r->db);
  regv_free(&stored);
  cache_release(mref);
}

/* ---- the list ---- */

static void cursor_encode(const char *date, int64_t id, char out[80]) {
  char raw[40];
  snprintf(raw, sizeof raw, "%s,%lld", date, (long long)id);
  sodium_bin2base64(out, 80, (const unsigned char *)raw, strlen(raw),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static int cursor_decode(const char *s, char date[11], int64_t *id) {
  unsigned char raw[40];
  size_t n = 0;
  if (sodium_base642bin(raw, sizeof raw - 1, s, strlen(s), NULL, &n, NULL,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      n < 12 || raw[10] != ',')
    return -1;
  raw[n] = 0;
  memcpy(date, raw, 10);
  date[10] = 0;
  int32_t d;
  return date_parse(date, &d) == 0 && parse_int64((const char *)raw + 11, id) == 0 && *id > 0 ? 0 : -1;
}

void api_registrations_list(struct api *a) {
  struct request *r = a->r;
  struct cache_ref *mref = NULL;
  const struct model *m = load_model(a, &mref);
  if (!m) return;
  json_t *errors = json_array();
  char from[11] = "0000-00-00", to[11] = "9999-99-99", cdate[11] = "", kind[16] = "";
  int64_t cid = 0, line_id = 0, adv_id = 0, inst_id = 0, limit = LIST_DEFAULT;
  int32_t d;
  const char *q;
  if ((q = req_query(r, "school_year"))) {
    int y;
    if (school_year_parse(q, &y) != 0) {
      api_error_msg(errors, "school_year", AM_SCHOOL_YEAR);
    } else {
      date_format(school_year_first_day(y), from);
      date_format(school_year_last_day(y), to);
    }
  }
  static const char *const range[] = {"from", "to"};
  for (int k = 0; k < 2; k++)
    if ((q = req_query(r, range[k]))) {
      if (date_parse(q, &d) != 0) {
        api_error_msg(errors, range[k], AM_DATE);
      } else {
        char *t = k ? to : from;
        /* with a school year too, the narrower bound wins */
        if (k ? strcmp(q, t) < 0 : strcmp(q, t) > 0) snprintf(t, 11, "%s", q);
      }
    }
  if ((q = req_query(r, "line"))) {
    int i = model_line(m, q);
    if (i < 0)
      api_error_msg(errors, "line", AM_LINE_UNKNOWN);
    else
      line_id = m->lines[i].id;
  }
  if ((q = req_query(r, "advisor"))) {
    int i = model_advisor(m, q);
    if (i < 0)
      api_error_msg(errors, "advisor", AM_ADVISOR_UNKNOWN);
    else
      adv_id = m->advisors[i].id;
  }
  if ((q = req_query(r, "institution"))) {
    int i = model_institution(m, q);
    if (i < 0)
      api_error_msg(errors, "institution", AM_INSTITUTION_UNKNOWN);
    else
      inst_id = m->institutions[i].id;
  }
  if ((q = req_query(r, "kind"))) {
    if (strcmp(q, "client") && strcmp(q, "internal"))
      api_error_msg(errors, "kind", AM_KIND);
    else
      snprintf(kind, sizeof kind, "%s", q);
  }
  if ((q = req_query(r, "limit")) && (parse_int64(q, &limit) != 0 || limit < 1 || limit > LIST_MAX))
    api_error_msg(errors, "limit", AM_LIMIT);
  if ((q = req_query(r, "cursor")) && cursor_decode(q, cdate, &cid) != 0)
    api_error_msg(errors, "cursor", AM_CURSOR);
  if (json_array_size(errors)) {
    api_problem(a, 400, "invalid query parameters", errors);
    cache_release(mref);
    return;
  }
  json_decref(errors);
  /* the read scope: everybody's (0), the user's own (1), or with their teams' members (2) */
  int mode = r->user.role >= ROLE_DIRECTOR ? 0 : r->user.role == ROLE_COORDINATOR ? 2 : 1;
  struct reg_filter flt = {.from = from,
                           .to = to,
                           .line_id = line_id,
                           .kind = kind,
                           .advisor_id = adv_id,
                           .institution_id = inst_id,
                           .scope = mode,
                           .scope_advisor = r->user.advisor_id,
                           .after_date = cdate,
                           .after_id = cid};
  int64_t *ids = xmalloc(sizeof *ids * (size_t)(limit + 1));
  int n = registration_find(r->db, &flt, ids, (int)limit + 1);
  if (n < 0) {
    free(ids);
    api_problem(a, 500, "the database failed", NULL);
    cache_release(mref);
    return;
  }
  json_t *items = json_array(), *next = json_null();
  for (int i = 0; i < n && i < limit; i++) {
    struct regv x;
    regv_init(&x, m);
    if (load_values(r->db, m, ids[i], &x) == 0) {
      json_array_append_new(items, to_json(m, &x));
      if (n > limit && i == limit - 1) {
        char c[80];
        cursor_encode(x.v[R_DATE], ids[i], c);
        json_decref(next);
        next = json_string(c);
      }
    }
    regv_free(&x);
  }
  free(ids);
  json_t *o = json_object();
  json_object_set_new(o, "items", items);
  json_object_set_new(o, "next_cursor", next);
  api_json(a, 200, o);
  cache_release(mref);
}

int api_registration_check_text(const struct model *m, const char *text, size_t len) {
  json_error_t e;
  json_t *body = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
  if (!body || !json_is_object(body)) {
    json_decref(body);
    return -1;
  }
  struct regv x;
  regv_init(&x, m);
  json_t *errors = json_array(), *typed = json_array();
  from_json(m, body, &x, errors, typed);
  struct reg_check c;
  check_rules(NULL, 0, m, &x, NULL, &c, errors, typed);
  int n = (int)json_array_size(errors);
  json_decref(errors);
  json_decref(typed);
  json_decref(body);
  regv_free(&x);
  return n;
}
