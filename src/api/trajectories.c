/* SPDX-License-Identifier: EUPL-1.2 */
/* /api/v1/trajectories (docs/API.md): an advisor creates and changes the trajectories they
   keep, and adds follow-up entries, through the impact door (io/impact.h: the rules of the
   dataset import, all or nothing, one audit entry). Who may change which trajectory is
   domain/trajectory.h's answer; a trajectory the user may not see answers 404. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/internal.h"
#include "core/buf.h"
#include "core/dates.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/model.h"
#include "domain/trajectory.h"
#include "http/auth.h"
#include "io/impact.h"

static void on_problem(void *arg, const char *column, const char *message) {
  api_error(arg, column, message, NULL);
}

static json_t *text_or_null(const char *s) { return s && *s ? json_string(s) : json_null(); }
static json_t *date_or_null(int32_t d) {
  if (d == NO_DATE) return json_null();
  char s[11];
  date_format(d, s);
  return json_string(s);
}

/* The stored trajectory as the API shows it. */
static json_t *trajectory_json(struct db *db, const struct model *m, int t) {
  const struct trajectory *tr = &m->trajectories[t];
  json_t *o = json_object();
  json_object_set_new(o, "id", json_string(tr->ext_id));
  json_object_set_new(o, "institution", json_string(m->institutions[tr->institution].number));
  json_object_set_new(o, "line", tr->line >= 0 ? json_string(m->lines[tr->line].code) : json_null());
  json_object_set_new(o, "goal", tr->goal >= 0 ? json_string(m->goals[tr->goal].code) : json_null());
  json_object_set_new(o, "level", text_or_null(tr->level));
  json_object_set_new(o, "shared_goal", text_or_null(tr->shared_goal));
  json_object_set_new(o, "action_plan", text_or_null(tr->action_plan));
  json_object_set_new(o, "start", date_or_null(tr->start));
  json_object_set_new(o, "end", date_or_null(tr->end));
  json_object_set_new(o, "status", json_string(tr->status));
  json_t *adv = json_array();
  for (int i = 0; i < tr->n_advisors; i++)
    json_array_append_new(adv, json_string(m->advisors[tr->advisors[i]].code));
  json_object_set_new(o, "advisors", adv);
  struct traj_step steps[TRAJ_MAX_STEPS];
  int n = trajectory_steps(db, tr->ext_id, steps, TRAJ_MAX_STEPS);
  json_t *sa = json_array();
  for (int i = 0; i < n; i++) {
    json_t *s = json_object();
    json_object_set_new(s, "what", json_string(steps[i].what));
    json_object_set_new(s, "who", text_or_null(steps[i].who));
    json_object_set_new(s, "due", text_or_null(steps[i].due));
    json_object_set_new(s, "expected", text_or_null(steps[i].expected));
    json_object_set_new(s, "done", json_boolean(steps[i].done));
    json_array_append_new(sa, s);
  }
  trajectory_steps_free(steps, n);
  json_object_set_new(o, "steps", sa);
  int32_t today = date_brussels(time(NULL));
  int ph = trajectory_phase_on(tr, today);
  json_object_set_new(o, "phase", ph >= 0 ? json_string(phase_names[ph]) : json_null());
  json_t *phases = json_object();
  for (int p = 0; p < N_PHASES; p++)
    if (tr->phase_date[p] != NO_DATE)
      json_object_set_new(phases, phase_names[p], date_or_null(tr->phase_date[p]));
  json_object_set_new(o, "phase_dates", phases);
  json_object_set_new(o, "outcome", tr->outcome >= 0 ? json_string(outcome_names[tr->outcome]) : json_null());
  json_object_set_new(o, "outcome_note", text_or_null(tr->outcome_note));
  return o;
}

static int load(struct api *a, struct model *m) {
  char err[256];
  db_begin_read(a->r->db);
  int rc = model_load(a->r->db, m, err, sizeof err);
  if (rc != 0) {
    db_rollback(a->r->db);
    api_problem(a, 500, "the data could not be read", NULL);
  }
  return rc;
}

/* A text field of object o: NULL when absent or null; an error on path (the field's place in
   the body, e.g. "steps.0.what") when of another type. */
static const char *text_at(json_t *o, const char *name, const char *path, json_t *errors) {
  json_t *v = json_object_get(o, name);
  if (!v || json_is_null(v)) return NULL;
  if (!json_is_string(v)) {
    api_error_msg(errors, path, AM_TEXT);
    return NULL;
  }
  return json_string_value(v);
}
static const char *text_field(json_t *body, const char *name, json_t *errors) {
  return text_at(body, name, name, errors);
}

static const char *const known[] = {
    "id",  "institution", "line",     "goal",  "level",   "shared_goal",  "action_plan", "start",
    "end", "status",      "advisors", "steps", "outcome", "outcome_note", "phase",       "phase_dates"};

/* Reads the body into f (strings borrowed from body); advisors into adv. */
static void form_of(json_t *body, struct traj_form *f, char *adv, size_t advlen, json_t *errors) {
  memset(f, 0, sizeof *f);
  const char *key;
  json_t *v;
  json_object_foreach(body, key, v) {
    int ok = 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) ok |= !strcmp(key, known[i]);
    if (!ok) api_error_msg(errors, key, AM_UNKNOWN_FIELD);
  }
  f->id = text_field(body, "id", errors);
  f->institution = text_field(body, "institution", errors);
  f->line = text_field(body, "line", errors);
  f->goal = text_field(body, "goal", errors);
  f->level = text_field(body, "level", errors);
  f->shared_goal = text_field(body, "shared_goal", errors);
  f->action_plan = text_field(body, "action_plan", errors);
  f->start = text_field(body, "start", errors);
  f->end = text_field(body, "end", errors);
  f->status = text_field(body, "status", errors);
  f->outcome = text_field(body, "outcome", errors);
  f->outcome_note = text_field(body, "outcome_note", errors);
  adv[0] = 0;
  json_t *a = json_object_get(body, "advisors");
  if (a && !json_is_null(a)) {
    size_t i, used = 0;
    json_t *e;
    if (!json_is_array(a)) api_error_msg(errors, "advisors", AM_LIST);
    json_array_foreach(a, i, e) {
      if (!json_is_string(e) || !*json_string_value(e) || strpbrk(json_string_value(e), "|, \t\r\n")) {
        api_error_msg(errors, "advisors", AM_LIST);
        break;
      }
      used += (size_t)snprintf(adv + used, used < advlen ? advlen - used : 0, "%s%s", used ? "|" : "",
                               json_string_value(e));
    }
  }
  json_t *steps = json_object_get(body, "steps");
  if (steps && !json_is_null(steps)) {
    size_t i;
    json_t *e;
    if (!json_is_array(steps) || json_array_size(steps) > TRAJ_MAX_STEPS)
      api_error_msg(errors, "steps", AM_LIST);
    json_array_foreach(steps, i, e) {
      if (i >= TRAJ_MAX_STEPS || !json_is_object(e)) break;
      struct traj_step *s = &f->steps[f->nsteps++];
      char path[48];
#define STEP_TEXT(x) (snprintf(path, sizeof path, "steps.%zu." #x, i), s->x = text_at(e, #x, path, errors))
      STEP_TEXT(what);
      STEP_TEXT(who);
      STEP_TEXT(due);
      STEP_TEXT(expected);
#undef STEP_TEXT
      json_t *d = json_object_get(e, "done");
      snprintf(path, sizeof path, "steps.%zu.done", i);
      if (d && !json_is_boolean(d)) api_error_msg(errors, path, AM_BOOL);
      s->done = d && json_is_true(d);
    }
  }
}

/* The signed-in advisor among the advisors when they are an advisor. */
static void with_me(const struct api *a, const struct model *m, char *adv, size_t advlen) {
  const struct user *u = &a->r->user;
  if (u->role != ROLE_ADVISOR || !u->advisor_id || u->advisor_id > m->max_advisor_id) return;
  int me = m->advisor_of_id[u->advisor_id];
  if (me < 0) return;
  const char *code = m->advisors[me].code;
  char copy[1024];
  snprintf(copy, sizeof copy, "%s", adv);
  for (char *save = NULL, *tok = strtok_r(copy, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
    if (!strcmp(tok, code)) return;
  size_t len = strlen(adv);
  snprintf(adv + len, advlen - len, "%s%s", len ? "|" : "", code);
}

static void save(struct api *a, int create) {
  struct model m;
  if (load(a, &m) != 0) return;
  db_commit(a->r->db);
  json_t *body = api_body(a);
  if (!body) {
    model_free(&m);
    return;
  }
  json_t *errors = json_array();
  struct traj_form f;
  char adv[1024];
  form_of(body, &f, adv, sizeof adv, errors);
  int t = -1;
  if (create) {
    if (f.id && model_trajectory(&m, f.id) >= 0) {
      api_problem(a, 409, "a trajectory with this id exists; change it with PUT", NULL);
      goto done;
    }
  } else {
    t = model_trajectory(&m, a->param[0]);
    if (trajectory_access(&m, &a->r->user, t) == TRAJ_NONE) {
      api_problem(a, 404, "no such trajectory", NULL);
      goto done;
    }
    if (f.id && strcmp(f.id, a->param[0])) api_error_msg(errors, "id", AM_ID_MISMATCH);
    f.id = a->param[0];
  }
  if (!f.institution) api_error_msg(errors, "institution", AM_REQUIRED);
  if (json_array_size(errors)) {
    api_problem(a, 422, "the trajectory has invalid fields", json_incref(errors));
    goto done;
  }
  with_me(a, &m, adv, sizeof adv);
  f.advisors = adv;
  struct ref_change c = {
      .actor = a->r->user.login, .now = a->r->now, .lang = "en", .problem = on_problem, .arg = errors};
  char id[64];
  int rc = impact_trajectory_save(a->r->db, &f, id, sizeof id, &c);
  if (rc == REF_INVALID) {
    api_problem(a, 422, "the trajectory was refused by the rules of the dataset import; nothing was changed",
                json_incref(errors));
    goto done;
  }
  if (rc != REF_OK) {
    api_problem(a, 500, "the trajectory could not be saved", NULL);
    goto done;
  }
  model_free(&m);
  if (load(a, &m) != 0) {
    memset(&m, 0, sizeof m);
    goto done;
  }
  t = model_trajectory(&m, id);
  json_t *o = t >= 0 ? trajectory_json(a->r->db, &m, t) : NULL;
  db_commit(a->r->db);
  if (o)
    api_json(a, create ? 201 : 200, o);
  else
    api_problem(a, 500, "the trajectory was saved but could not be read back", NULL);
done:
  json_decref(errors);
  json_decref(body);
  model_free(&m);
}

void api_trajectories_create(struct api *a) { save(a, 1); }
void api_trajectory_put(struct api *a) { save(a, 0); }

void api_trajectory_followup(struct api *a) {
  struct model m;
  if (load(a, &m) != 0) return;
  db_commit(a->r->db);
  int t = model_trajectory(&m, a->param[0]);
  if (trajectory_access(&m, &a->r->user, t) == TRAJ_NONE) {
    api_problem(a, 404, "no such trajectory", NULL);
    model_free(&m);
    return;
  }
  json_t *body = api_body(a);
  if (!body) {
    model_free(&m);
    return;
  }
  json_t *errors = json_array();
  const char *key;
  json_t *v;
  json_object_foreach(body, key, v) {
    if (strcmp(key, "date") && strcmp(key, "note") && strcmp(key, "next_step") && strcmp(key, "registration"))
      api_error_msg(errors, key, AM_UNKNOWN_FIELD);
  }
  const char *date = text_field(body, "date", errors), *note = text_field(body, "note", errors),
             *next = text_field(body, "next_step", errors), *reg = text_field(body, "registration", errors);
  if (!date) api_error_msg(errors, "date", AM_REQUIRED);
  if (!note) api_error_msg(errors, "note", AM_REQUIRED);
  if (json_array_size(errors)) {
    api_problem(a, 422, "the follow-up has invalid fields", json_incref(errors));
  } else {
    struct ref_change c = {
        .actor = a->r->user.login, .now = a->r->now, .lang = "en", .problem = on_problem, .arg = errors};
    char id[64];
    int rc =
        impact_followup_add(a->r->db, m.trajectories[t].ext_id, date, note, next, reg, id, sizeof id, &c);
    if (rc == REF_OK) {
      json_t *o = json_object();
      json_object_set_new(o, "id", json_string(id));
      json_object_set_new(o, "trajectory", json_string(m.trajectories[t].ext_id));
      json_object_set_new(o, "date", json_string(date));
      json_object_set_new(o, "note", json_string(note));
      json_object_set_new(o, "next_step", text_or_null(next));
      json_object_set_new(o, "registration", text_or_null(reg));
      api_json(a, 201, o);
    } else if (rc == REF_INVALID) {
      api_problem(a, 422, "the follow-up was refused by the rules of the dataset import; nothing was changed",
                  json_incref(errors));
    } else {
      api_problem(a, 500, "the follow-up could not be saved", NULL);
    }
  }
  json_decref(errors);
  json_decref(body);
  model_free(&m);
}

/* GET /api/v1/trajectories: the trajectories the user keeps or steers (as /trajecten);
   GET /api/v1/trajectories/{id}: one of them, 404 for any other. */
void api_trajectories_list(struct api *a) {
  struct model m;
  if (load(a, &m) != 0) return;
  json_t *items = json_array();
  for (size_t t = 0; t < m.n_trajectories; t++)
    if (trajectory_access(&m, &a->r->user, (int)t) != TRAJ_NONE)
      json_array_append_new(items, trajectory_json(a->r->db, &m, (int)t));
  db_commit(a->r->db);
  model_free(&m);
  json_t *o = json_object();
  json_object_set_new(o, "items", items);
  api_json(a, 200, o);
}

void api_trajectory_get(struct api *a) {
  struct model m;
  if (load(a, &m) != 0) return;
  int t = model_trajectory(&m, a->param[0]);
  json_t *o = trajectory_access(&m, &a->r->user, t) != TRAJ_NONE ? trajectory_json(a->r->db, &m, t) : NULL;
  db_commit(a->r->db);
  model_free(&m);
  if (o)
    api_json(a, 200, o);
  else
    api_problem(a, 404, "no such trajectory", NULL);
}
