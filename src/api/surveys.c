/* SPDX-License-Identifier: EUPL-1.2 */
/* /api/v1/surveys: anonymous client surveys (domain/survey.h) for API clients: make one
   for a trajectory or a registration (the public form's path comes back), list the
   visible ones, a survey's QR code and its aggregated results (from SURVEY_THRESHOLD
   answers on; the open answers only for the object's advisors and their coordinator).
   A survey the user may not see is 404, like one that does not exist. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api/internal.h"
#include "db/db.h"
#include "domain/access.h"
#include "domain/bounds.h"
#include "domain/model.h"
#include "domain/survey.h"
#include "measures/cache.h"
#include "render/qr.h"

struct viewer {
  struct advisor_scope read, open;
  struct survey_viewer v;
};

/* The model of this snapshot and the user's scopes; NULL after answering 500. */
static const struct model *begin(struct api *a, struct cache_ref **ref, struct viewer *w) {
  char err[256];
  int64_t ref_token;
  const struct model *m = NULL;
  *ref = NULL;
  memset(w, 0, sizeof *w);
  if (db_revision(a->r->db, NULL, &ref_token) == 0)
    m = cached_model(a->r->db, ref_token, ref, err, sizeof err);
  if (!m) {
    api_problem(a, 500, "the reference data could not be read", NULL);
    return NULL;
  }
  if (user_scope(&a->r->user, m, ACCESS_READ, &w->read) != 0 ||
      user_scope(&a->r->user, m, ACCESS_WRITE, &w->open) != 0) {
    advisor_scope_free(&w->read);
    cache_release(*ref);
    *ref = NULL;
    api_problem(a, 500, "out of memory", NULL);
    return NULL;
  }
  w->v = (struct survey_viewer){.user = &a->r->user, .read = &w->read, .open = &w->open};
  return m;
}

static void end(struct cache_ref *ref, struct viewer *w) {
  advisor_scope_free(&w->read);
  advisor_scope_free(&w->open);
  cache_release(ref);
}

static void path_of(const char *token, char *out, size_t n) { snprintf(out, n, "/enquete?t=%s", token); }

static json_t *text_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static void add_row(void *ctx, const struct survey_row *row) {
  json_t *items = ctx;
  char url[64];
  path_of(row->token, url, sizeof url);
  json_t *o = json_object();
  json_object_set_new(o, "id", json_string(row->ext_id));
  json_object_set_new(o, "kind", json_string(row->kind));
  json_object_set_new(o, "questionnaire", json_string(row->code));
  json_object_set_new(o, "trajectory", text_or_null(row->trajectory));
  json_object_set_new(o, "registration", text_or_null(row->registration));
  json_object_set_new(o, "created", json_string(row->created));
  json_object_set_new(o, "expires", json_string(row->expires));
  json_object_set_new(o, "max_answers", json_integer(row->max_answers));
  json_object_set_new(o, "n", json_integer(row->n_answers));
  json_object_set_new(o, "url", json_string(url));
  json_array_append_new(items, o);
}

void api_surveys_list(struct api *a) {
  struct cache_ref *ref;
  struct viewer w;
  db_begin_read(a->r->db);
  const struct model *m = begin(a, &ref, &w);
  if (!m) {
    db_rollback(a->r->db);
    return;
  }
  json_t *items = json_array();
  int n = survey_list(a->r->db, m, &w.v, -1, add_row, items);
  db_commit(a->r->db);
  if (n < 0) {
    json_decref(items);
    api_problem(a, 500, "the database failed", NULL);
  } else {
    json_t *o = json_object();
    json_object_set_new(o, "items", items);
    api_json(a, 200, o);
  }
  end(ref, &w);
}

static const char *const fault_messages[][3] = {
    /* field, English, Dutch */
    [SURVEY_BAD_KIND] = {"kind", "must be short or long", "moet short of long zijn"},
    [SURVEY_BAD_TARGET] = {"trajectory", "give exactly one of trajectory and registration",
                           "geef precies één van trajectory en registration"},
    [SURVEY_NOT_FOUND] = {"trajectory", "no such trajectory or registration (or not yours)",
                          "dat traject of die registratie bestaat niet (of is niet van jou)"},
    [SURVEY_BAD_EXPIRES] = {"expires", "must be a date YYYY-MM-DD from today to a year from now",
                            "moet een datum JJJJ-MM-DD zijn van vandaag tot een jaar later"},
    [SURVEY_BAD_MAX] = {"max_answers", "must be a whole number from 1 to 1000",
                        "moet een geheel getal van 1 tot 1000 zijn"},
    [SURVEY_NO_QUESTIONNAIRE] = {"kind", "there is no active questionnaire of this kind",
                                 "er is geen actieve vragenlijst van deze soort"},
};

void api_surveys_create(struct api *a) {
  json_t *body = api_body(a);
  if (!body) return;
  json_t *errors = json_array();
  static const char *const known[] = {"kind", "trajectory", "registration", "expires", "max_answers"};
  const char *key;
  json_t *val;
  json_object_foreach(body, key, val) {
    int ok = 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) ok |= !strcmp(key, known[i]);
    if (!ok) api_error_msg(errors, key, AM_UNKNOWN_FIELD);
  }
  const char *text[4] = {NULL, NULL, NULL, NULL};
  for (int i = 0; i < 4; i++) {
    json_t *v = json_object_get(body, known[i]);
    if (v && json_is_string(v))
      text[i] = json_string_value(v);
    else if (v && !json_is_null(v))
      api_error_msg(errors, known[i], AM_TEXT);
  }
  if (!text[0] && !json_object_get(body, "kind")) api_error_msg(errors, "kind", AM_REQUIRED);
  int max = 0;
  json_t *mv = json_object_get(body, "max_answers");
  if (mv && !json_is_null(mv)) {
    if (!json_is_integer(mv) || json_integer_value(mv) < 1 || json_integer_value(mv) > SURVEY_MAX_LIMIT)
      api_error(errors, "max_answers", fault_messages[SURVEY_BAD_MAX][1], fault_messages[SURVEY_BAD_MAX][2]);
    else
      max = (int)json_integer_value(mv);
  }
  if (json_array_size(errors)) {
    api_problem(a, 422, "the survey has invalid fields", errors);
    json_decref(body);
    return;
  }
  struct cache_ref *ref;
  struct viewer w;
  db_begin_read(a->r->db);
  const struct model *m = begin(a, &ref, &w);
  db_commit(a->r->db);
  if (!m) {
    json_decref(errors);
    json_decref(body);
    return;
  }
  struct survey_new n = {.kind = text[0],
                         .trajectory = text[1],
                         .registration = text[2],
                         .expires = text[3],
                         .max_answers = max,
                         .created_by = a->r->user.advisor_id};
  struct survey s;
  enum survey_fault f = survey_create(a->r->db, m, &w.v, &n, a->r->user.login, a->r->now, bounds_today(), &s);
  if (f == SURVEY_OK) {
    char url[64];
    path_of(s.token, url, sizeof url);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(s.ext_id));
    json_object_set_new(o, "url", json_string(url));
    json_object_set_new(o, "kind", json_string(survey_kind_name(s.kind)));
    json_object_set_new(o, "questionnaire", json_string(s.code));
    json_object_set_new(o, "trajectory", s.trajectory_id ? json_string(s.object_ext) : json_null());
    json_object_set_new(o, "registration", s.registration_id ? json_string(s.object_ext) : json_null());
    json_object_set_new(o, "created", json_string(s.created));
    json_object_set_new(o, "expires", json_string(s.expires));
    json_object_set_new(o, "max_answers", json_integer(s.max_answers));
    json_object_set_new(o, "n", json_integer(0));
    snprintf(a->resp->location, sizeof a->resp->location, "/api/v1/surveys/%s/results", s.ext_id);
    survey_free(&s);
    api_json(a, 201, o);
    json_decref(errors);
  } else if (f == SURVEY_FAILED) {
    json_decref(errors);
    api_problem(a, 500, "the survey could not be saved; please try again", NULL);
  } else {
    /* a registration that is not the user's is named under its own field */
    const char *field = fault_messages[f][0];
    if ((f == SURVEY_NOT_FOUND) && !text[1]) field = "registration";
    api_error(errors, field, fault_messages[f][1], fault_messages[f][2]);
    api_problem(a, 422, "the survey has invalid fields", errors);
  }
  json_decref(body);
  end(ref, &w);
}

/* The survey of the path, visible to the user; 1, or 0 after answering. */
static int find(struct api *a, const struct model *m, struct viewer *w, struct survey *s) {
  int found = survey_find(a->r->db, m, &w->v, a->param[0], s);
  if (found <= 0) {
    api_problem(a, found < 0 ? 500 : 404, found < 0 ? "the database failed" : "no such survey", NULL);
    return 0;
  }
  return 1;
}

void api_survey_qr(struct api *a) {
  struct cache_ref *ref;
  struct viewer w;
  db_begin_read(a->r->db);
  const struct model *m = begin(a, &ref, &w);
  if (!m) {
    db_rollback(a->r->db);
    return;
  }
  struct survey s;
  int found = find(a, m, &w, &s);
  db_commit(a->r->db);
  if (found) {
    char url[64];
    path_of(s.token, url, sizeof url);
    a->resp->status = 200;
    a->resp->content_type = "image/svg+xml";
    buf_reset(&a->resp->body);
    if (qr_svg(&a->resp->body, url, "QR code / QR-code", 280) != 0)
      api_problem(a, 500, "the QR code could not be made", NULL);
    survey_free(&s);
  }
  end(ref, &w);
}

void api_survey_results(struct api *a) {
  struct cache_ref *ref;
  struct viewer w;
  db_begin_read(a->r->db);
  const struct model *m = begin(a, &ref, &w);
  if (!m) {
    db_rollback(a->r->db);
    return;
  }
  struct survey s;
  if (!find(a, m, &w, &s)) {
    db_commit(a->r->db);
    end(ref, &w);
    return;
  }
  int open_allowed = survey_open_allowed(a->r->db, m, &w.v, &s);
  struct survey_results res;
  int rc = survey_results(a->r->db, &s, open_allowed, &res);
  db_commit(a->r->db);
  if (rc != 0) {
    api_problem(a, 500, "the database failed", NULL);
  } else {
    json_t *o = json_object(), *qs = json_array();
    json_object_set_new(o, "id", json_string(s.ext_id));
    json_object_set_new(o, "n", json_integer(res.n));
    json_object_set_new(o, "threshold", json_integer(SURVEY_THRESHOLD));
    for (int i = 0; i < s.nq; i++) {
      const struct survey_question_result *q = &res.q[i];
      json_t *j = json_object();
      json_object_set_new(j, "key", json_string(s.q[i].key));
      json_object_set_new(j, "type", json_string(s.q[i].type == QUESTION_SCALE ? "scale" : "open"));
      json_object_set_new(j, "text", json_string(s.q[i].text));
      json_object_set_new(j, "n", json_integer(q->n));
      if (q->shown && q->n > 0) {
        /* two decimals, as on the page */
        json_object_set_new(j, "mean", json_real(round(q->mean * 100.0) / 100.0));
        json_t *d = json_array();
        for (int k = 0; k < 5; k++) json_array_append_new(d, json_integer(q->dist[k]));
        json_object_set_new(j, "distribution", d);
      } else {
        json_object_set_new(j, "mean", json_null());
        json_object_set_new(j, "distribution", json_null());
      }
      json_array_append_new(qs, j);
    }
    json_object_set_new(o, "questions", qs);
    if (open_allowed && res.shown) {
      json_t *open = json_array();
      for (int k = 0; k < res.n_open; k++) {
        json_t *j = json_object();
        json_object_set_new(j, "key", json_string(s.q[res.open[k].question].key));
        json_object_set_new(j, "text", json_string(res.open[k].text));
        json_array_append_new(open, j);
      }
      json_object_set_new(o, "open_answers", open);
    }
    api_json(a, 200, o);
    survey_results_free(&res);
  }
  survey_free(&s);
  end(ref, &w);
}
