/* SPDX-License-Identifier: EUPL-1.2 */
/* Traject: one trajectory as its advisors keep it (docs/IMPACT.md). GET /traject?id=ID
   shows it with the form to change it (institution, line, goal, level, shared goal, action
   plan and its steps, period, status, advisors, outcome), whether its institution counts as
   reached this school year and which condition is missing, the EEF phase with the date of
   each change, the follow-up entries, the mechanisms of its linked registrations and its
   surveys; GET /traject without id (or with instelling=NUMBER) a new one. The writes go
   through io/impact.h; who may see or change it is domain/trajectory.h's answer (404
   otherwise, as for a trajectory that does not exist). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/dates.h"
#include "db/db.h"
#include "domain/model.h"
#include "domain/registration.h"
#include "domain/trajectory.h"
#include "http/auth.h"
#include "io/impact.h"
#include "measures/cache.h"
#include "measures/facts.h"
#include "render/html.h"
#include "web/pages/pages.h"

#define MAX_PROBLEMS 32
struct problems {
  int n;
  char col[MAX_PROBLEMS][48];
  char msg[MAX_PROBLEMS][384];
};
static void on_problem(void *arg, const char *column, const char *message) {
  struct problems *p = arg;
  if (p->n >= MAX_PROBLEMS) return;
  snprintf(p->col[p->n], sizeof p->col[0], "%s", column ? column : "-");
  snprintf(p->msg[p->n], sizeof p->msg[0], "%s", message);
  p->n++;
}

/* The form field a problem's column belongs to. */
static const char *field_of(const char *col) {
  static const char *const same[] = {"institution", "line",  "goal",  "level",    "shared_goal",
                                     "action_plan", "start", "end",   "status",   "outcome",
                                     "date",        "note",  "phase", "next_step"};
  for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
    if (!strcmp(col, same[i])) return same[i];
  if (!strncmp(col, "advisors", 8)) return "advisors"; /* "advisors.N" */
  if (!strncmp(col, "steps", 5)) return "steps";       /* "steps.N.due" */
  if (!strcmp(col, "outcome_note")) return "outcome_note";
  return "form";
}

static void error_summary(const struct request *r, struct buf *b, const struct problems *p) {
  if (!p->n) return;
  html_raw(b, "<div class=\"error\" role=\"alert\" tabindex=\"-1\" id=\"errors\"><p>");
  html_text(b, T(r, W_form_has_errors));
  html_raw(b, "</p><ul>");
  for (int i = 0; i < p->n; i++) {
    html_raw(b, "<li><a href=\"#");
    html_attr(b, field_of(p->col[i]));
    html_raw(b, "\">");
    html_text(b, p->msg[i]);
    html_raw(b, "</a></li>");
  }
  html_raw(b, "</ul></div>");
}

static void field_error(struct buf *b, const struct problems *p, const char *field) {
  for (int i = 0; i < p->n; i++) {
    if (strcmp(field_of(p->col[i]), field)) continue;
    html_raw(b, "<p class=\"error\">");
    html_text(b, p->msg[i]);
    html_raw(b, "</p>");
  }
}

static void label(const struct request *r, struct buf *b, const char *id, enum word w) {
  html_raw(b, "<label for=\"");
  html_attr(b, id);
  html_raw(b, "\">");
  html_text(b, T(r, w));
  html_raw(b, "</label>");
}

static void option(struct buf *b, const char *value, const char *text, int selected) {
  html_raw(b, "<option value=\"");
  html_attr(b, value);
  html_raw_if(b, selected, "\" selected>", "\">");
  html_text(b, text);
  html_raw(b, "</option>");
}

static void text_input(const struct request *r, struct buf *b, const char *id, enum word w, const char *type,
                       const char *value, const struct problems *p) {
  html_raw(b, "<div>");
  label(r, b, id, w);
  html_raw(b, "<input id=\"");
  html_attr(b, id);
  html_raw(b, "\" name=\"");
  html_attr(b, id);
  html_raw(b, "\" type=\"");
  html_attr(b, type);
  html_raw(b, "\" value=\"");
  html_attr(b, value ? value : "");
  html_raw(b, "\">");
  field_error(b, p, id);
  html_raw(b, "</div>");
}

static void textarea(const struct request *r, struct buf *b, const char *id, enum word w, const char *value,
                     const struct problems *p) {
  html_raw(b, "<div class=\"wide\">");
  label(r, b, id, w);
  html_raw(b, "<textarea rows=\"3\" id=\"");
  html_attr(b, id);
  html_raw(b, "\" name=\"");
  html_attr(b, id);
  html_raw(b, "\">");
  html_text(b, value ? value : "");
  html_raw(b, "</textarea>");
  field_error(b, p, id);
  html_raw(b, "</div>");
}

static void date_text(int32_t d, char out[11]) {
  if (d == NO_DATE)
    out[0] = 0;
  else
    date_format(d, out);
}

static int my_advisor(const struct request *r, const struct model *m) {
  if (!r->user.advisor_id || r->user.advisor_id > m->max_advisor_id) return -1;
  return m->advisor_of_id[r->user.advisor_id];
}

/* The values the form shows: the stored trajectory, or what was posted. */
struct tform {
  struct traj_form f;
  char advisors[1024];
  char start[11], end[11];
};

static void from_model(const struct model *m, int t, struct tform *x, struct db *db) {
  const struct trajectory *tr = &m->trajectories[t];
  memset(x, 0, sizeof *x);
  x->f.id = tr->ext_id;
  x->f.institution = m->institutions[tr->institution].number;
  x->f.line = tr->line >= 0 ? m->lines[tr->line].code : "";
  x->f.goal = tr->goal >= 0 ? m->goals[tr->goal].code : "";
  x->f.level = tr->level;
  x->f.shared_goal = tr->shared_goal;
  x->f.action_plan = tr->action_plan;
  date_text(tr->start, x->start);
  date_text(tr->end, x->end);
  x->f.start = x->start;
  x->f.end = x->end;
  x->f.status = tr->status;
  size_t used = 0;
  for (int i = 0; i < tr->n_advisors; i++)
    used += (size_t)snprintf(x->advisors + used, used < sizeof x->advisors ? sizeof x->advisors - used : 0,
                             "%s%s", i ? " " : "", m->advisors[tr->advisors[i]].code);
  x->f.advisors = x->advisors;
  x->f.outcome = tr->outcome >= 0 ? outcome_names[tr->outcome] : "";
  x->f.outcome_note = tr->outcome_note;
  (void)db;
}

static void from_post(const struct request *r, struct tform *x) {
  memset(x, 0, sizeof *x);
  x->f.id = req_form(r, "id");
  x->f.institution = req_form(r, "institution");
  x->f.line = req_form(r, "line");
  x->f.goal = req_form(r, "goal");
  x->f.level = req_form(r, "level");
  x->f.shared_goal = req_form(r, "shared_goal");
  x->f.action_plan = req_form(r, "action_plan");
  x->f.start = req_form(r, "start");
  x->f.end = req_form(r, "end");
  x->f.status = req_form(r, "status");
  x->f.advisors = req_form(r, "advisors");
  x->f.outcome = req_form(r, "outcome");
  x->f.outcome_note = req_form(r, "outcome_note");
  for (int i = 0; i < TRAJ_MAX_STEPS; i++) {
    char k[32];
    struct traj_step *s = &x->f.steps[i];
    snprintf(k, sizeof k, "step-%d-what", i + 1);
    s->what = req_form(r, k);
    snprintf(k, sizeof k, "step-%d-who", i + 1);
    s->who = req_form(r, k);
    snprintf(k, sizeof k, "step-%d-due", i + 1);
    s->due = req_form(r, k);
    snprintf(k, sizeof k, "step-%d-expected", i + 1);
    s->expected = req_form(r, k);
    snprintf(k, sizeof k, "step-%d-done", i + 1);
    s->done = req_form(r, k) != NULL;
    if (s->what || s->who || s->due || s->expected) x->f.nsteps = i + 1;
  }
}

static const char *nz(const char *s) { return s ? s : ""; }

static void render_form(struct request *r, struct response *resp, const struct model *m,
                        const struct tform *x, const struct problems *p) {
  struct buf *b = &resp->body;
  const struct traj_form *f = &x->f;
  html_raw(b, "<form method=\"post\" action=\"/traject\" class=\"register trajectory\" novalidate>");
  csrf_field(r, resp);
  html_raw(b, "<input type=\"hidden\" name=\"id\" value=\"");
  html_attr(b, nz(f->id));
  html_raw(b, "\">");
  error_summary(r, b, p);
  html_raw(b, "<div class=\"grid\"><div>");
  label(r, b, "institution", W_traj_institution);
  html_raw(b, "<select id=\"institution\" name=\"institution\" required><option value=\"\"></option>");
  for (size_t i = 0; i < m->n_institutions; i++) {
    const struct institution *in = &m->institutions[i];
    if (!in->own || (!in->active && strcmp(nz(f->institution), in->number))) continue;
    char text[400];
    snprintf(text, sizeof text, "%s · %s", in->code, in->name);
    option(b, in->number, text,
           !strcmp(nz(f->institution), in->number) || !strcmp(nz(f->institution), in->code));
  }
  html_raw(b, "</select>");
  field_error(b, p, "institution");
  html_raw(b, "</div><div>");
  label(r, b, "line", W_line);
  html_raw(b, "<select id=\"line\" name=\"line\"><option value=\"\">–</option>");
  for (size_t l = 0; l < m->n_lines; l++) {
    if (m->lines[l].kind == KIND_OTHER) continue;
    char text[400];
    snprintf(text, sizeof text, "%s · %s", m->lines[l].code, m->lines[l].name);
    option(b, m->lines[l].code, text, !strcmp(nz(f->line), m->lines[l].code));
  }
  html_raw(b, "</select>");
  field_error(b, p, "line");
  html_raw(b, "</div><div>");
  label(r, b, "goal", W_goal);
  html_raw(b, "<select id=\"goal\" name=\"goal\"><option value=\"\">–</option>");
  for (size_t g = 0; g < m->n_goals; g++) {
    char text[400];
    snprintf(text, sizeof text, "%s · %s", m->goals[g].code, m->goals[g].name);
    option(b, m->goals[g].code, text, !strcmp(nz(f->goal), m->goals[g].code));
  }
  html_raw(b, "</select>");
  field_error(b, p, "goal");
  html_raw(b, "</div><div>");
  label(r, b, "level", W_traj_level);
  html_raw(b, "<select id=\"level\" name=\"level\"><option value=\"\">–</option>");
  option(b, "meso", "MESO", !strcmp(nz(f->level), "meso"));
  option(b, "micro", "MICRO", !strcmp(nz(f->level), "micro"));
  html_raw(b, "</select>");
  field_error(b, p, "level");
  html_raw(b, "</div><div>");
  label(r, b, "status", W_traj_status);
  html_raw(b, "<select id=\"status\" name=\"status\">");
  static const enum word status_words[] = {W_status_planned, W_status_active, W_status_closed};
  static const char *const statuses[] = {"planned", "active", "closed"};
  const char *st = f->status && *f->status ? f->status : "active";
  for (int i = 0; i < 3; i++) option(b, statuses[i], T(r, status_words[i]), !strcmp(st, statuses[i]));
  html_raw(b, "</select>");
  field_error(b, p, "status");
  html_raw(b, "</div>");
  text_input(r, b, "start", W_col_start, "date", f->start, p);
  text_input(r, b, "end", W_col_end, "date", f->end, p);
  html_raw(b, "<div>");
  label(r, b, "advisors", W_traj_advisors);
  html_raw(b,
           "<input id=\"advisors\" name=\"advisors\" autocomplete=\"off\" aria-describedby=\"advisors-hint\" "
           "list=\"advisor-codes\" value=\"");
  html_attr(b, nz(f->advisors));
  html_raw(b, "\"><datalist id=\"advisor-codes\">");
  for (size_t a = 0; a < m->n_advisors; a++) option(b, m->advisors[a].code, m->advisors[a].name, 0);
  html_raw(b, "</datalist><p class=\"hint\" id=\"advisors-hint\">");
  html_text(b, T(r, W_traj_advisors_hint));
  html_raw(b, "</p>");
  field_error(b, p, "advisors");
  html_raw(b, "</div></div>");
  textarea(r, b, "shared_goal", W_shared_goal, f->shared_goal, p);
  textarea(r, b, "action_plan", W_traj_plan_summary, f->action_plan, p);
  /* the steps of the action plan */
  html_raw(b, "<fieldset id=\"steps\"><legend>");
  html_text(b, T(r, W_traj_steps));
  html_raw(b, "</legend><p class=\"hint\">");
  html_text(b, T(r, W_step_add_hint));
  html_raw(b, "</p>");
  field_error(b, p, "steps");
  html_raw(b, "<div class=\"scroll\"><table class=\"steps\"><thead><tr><th>#</th><th>");
  html_text(b, T(r, W_step_what));
  html_raw(b, "</th><th>");
  html_text(b, T(r, W_step_who));
  html_raw(b, "</th><th>");
  html_text(b, T(r, W_step_due));
  html_raw(b, "</th><th>");
  html_text(b, T(r, W_step_expected));
  html_raw(b, "</th><th>");
  html_text(b, T(r, W_step_done));
  html_raw(b, "</th></tr></thead><tbody>");
  int rows = f->nsteps + 2;
  if (rows < 4) rows = 4;
  if (rows > TRAJ_MAX_STEPS) rows = TRAJ_MAX_STEPS;
  for (int i = 0; i < rows; i++) {
    const struct traj_step *s = &f->steps[i];
    static const char *const parts[] = {"what", "who", "due", "expected"};
    const enum word heads[] = {W_step_what, W_step_who, W_step_due, W_step_expected};
    html_raw(b, "<tr><td>");
    html_textf(b, "%d", i + 1);
    html_raw(b, "</td>");
    for (int k = 0; k < 4; k++) {
      const char *v = k == 0 ? s->what : k == 1 ? s->who : k == 2 ? s->due : s->expected;
      char name[40];
      snprintf(name, sizeof name, "step-%d-%s", i + 1, parts[k]);
      html_raw(b, "<td><input name=\"");
      html_attr(b, name);
      html_raw_if(b, k == 2, "\" type=\"date\" aria-label=\"", "\" aria-label=\"");
      html_attr(b, T(r, heads[k]));
      html_raw(b, "\" value=\"");
      html_attr(b, nz(v));
      html_raw(b, "\"></td>");
    }
    char name[40];
    snprintf(name, sizeof name, "step-%d-done", i + 1);
    html_raw(b, "<td><input type=\"checkbox\" value=\"true\" name=\"");
    html_attr(b, name);
    html_raw(b, "\" aria-label=\"");
    html_attr(b, T(r, W_step_done));
    html_raw_if(b, s->done, "\" checked></td></tr>", "\"></td></tr>");
  }
  html_raw(b, "</tbody></table></div></fieldset>");
  /* the outcome, at closing */
  html_raw(b, "<fieldset><legend>");
  html_text(b, T(r, W_traj_closing));
  html_raw(b, "</legend><div class=\"grid\"><div>");
  label(r, b, "outcome", W_outcome);
  html_raw(b, "<select id=\"outcome\" name=\"outcome\"><option value=\"\">");
  html_text(b, T(r, W_outcome_unknown));
  html_raw(b, "</option>");
  static const enum word outcome_words[] = {W_v_outcome_yes, W_v_outcome_partly, W_v_outcome_no};
  for (int o = 0; o < N_OUTCOMES; o++)
    option(b, outcome_names[o], T(r, outcome_words[o]), !strcmp(nz(f->outcome), outcome_names[o]));
  html_raw(b, "</select>");
  field_error(b, p, "outcome");
  html_raw(b, "</div></div>");
  textarea(r, b, "outcome_note", W_outcome_note, f->outcome_note, p);
  html_raw(b, "</fieldset><p><button type=\"submit\">");
  html_text(b, T(r, W_save));
  html_raw(b, "</button></p></form>");
}

static const enum word phase_words[N_PHASES] = {W_v_phase_explore, W_v_phase_prepare, W_v_phase_deliver,
                                                W_v_phase_sustain};
static const enum word miss_words[] = {W_miss_trajectory, W_miss_level, W_miss_shared_goal, W_miss_plan,
                                       W_miss_followup};

/* "telt als bereikt", or "nog niet bereikt — ontbreekt: …" */
void reach_status(const struct request *r, struct buf *b, int reached, int missing) {
  html_raw(b, "<span class=\"status ");
  html_raw_if(b, reached, "s0\">", "s1\">");
  html_text(b, T(r, reached ? W_counts_reached : W_not_reached));
  html_raw(b, "</span>");
  if (reached || !missing) return;
  html_raw(b, " <span class=\"missing\">");
  html_text(b, T(r, W_missing));
  html_raw(b, ": ");
  int first = 1;
  for (int k = 0; k < 5; k++) {
    if (!(missing & (1 << k))) continue;
    if (!first) html_raw(b, "; ");
    html_text(b, T(r, miss_words[k]));
    first = 0;
  }
  html_raw(b, "</span>");
}

static void show_phase(struct request *r, struct response *resp, const struct model *m, int t,
                       const struct problems *p) {
  struct buf *b = &resp->body;
  const struct trajectory *tr = &m->trajectories[t];
  html_raw(b, "<section class=\"panel\" id=\"fase\"><h2>");
  html_text(b, T(r, W_phase));
  html_raw(b, "</h2><ol class=\"phases\">");
  int now = trajectory_phase_on(tr, date_brussels((time_t)r->now));
  for (int ph = 0; ph < N_PHASES; ph++) {
    html_raw_if(b, ph == now, "<li class=\"current\" aria-current=\"step\">", "<li>");
    html_text(b, T(r, phase_words[ph]));
    if (tr->phase_date[ph] != NO_DATE) {
      char d[32];
      fmt_date_text(r, tr->phase_date[ph], d, sizeof d);
      html_raw(b, " <small>");
      html_text(b, T(r, W_phase_since));
      html_raw(b, " ");
      html_text(b, d);
      html_raw(b, "</small>");
    }
    html_raw(b, "</li>");
  }
  html_raw(b, "</ol><form method=\"post\" action=\"/traject/fase\" class=\"inline-form\">");
  csrf_field(r, resp);
  html_raw(b, "<input type=\"hidden\" name=\"id\" value=\"");
  html_attr(b, tr->ext_id);
  html_raw(b, "\"><label for=\"phase\">");
  html_text(b, T(r, W_phase_change));
  html_raw(b, "</label><select id=\"phase\" name=\"phase\">");
  for (int ph = 0; ph < N_PHASES; ph++)
    option(b, phase_names[ph], T(r, phase_words[ph]), ph == (now < N_PHASES - 1 ? now + 1 : now));
  html_raw(b, "</select><label for=\"phase-date\">");
  html_text(b, T(r, W_date));
  html_raw(b, "</label><input type=\"date\" id=\"phase-date\" name=\"date\" value=\"");
  char today[11];
  date_format(date_brussels((time_t)r->now), today);
  html_attr(b, today);
  html_raw(b, "\"><button type=\"submit\">");
  html_text(b, T(r, W_save));
  html_raw(b, "</button></form>");
  field_error(b, p, "phase");
  html_raw(b, "</section>");
}

static void on_followup(void *ctx, const char *id, const char *date, const char *note, const char *next,
                        const char *registration) {
  struct request *r = ((void **)ctx)[0];
  struct buf *b = ((void **)ctx)[1];
  (void)id;
  int32_t d;
  char when[32] = "";
  if (date_parse(date, &d) == 0) fmt_date_text(r, d, when, sizeof when);
  html_raw(b, "<li><strong>");
  html_text(b, when);
  html_raw(b, "</strong> ");
  html_text(b, note);
  if (next && *next) {
    html_raw(b, "<br><em>");
    html_text(b, T(r, W_followup_next));
    html_raw(b, ":</em> ");
    html_text(b, next);
  }
  if (registration && *registration) {
    html_raw(b, " <a href=\"/registratie?id=");
    html_url(b, registration);
    html_raw(b, "\">");
    html_text(b, registration);
    html_raw(b, "</a>");
  }
  html_raw(b, "</li>");
}

static void show_followups(struct request *r, struct response *resp, const struct model *m, int t,
                           const struct problems *p) {
  struct buf *b = &resp->body;
  const struct trajectory *tr = &m->trajectories[t];
  html_raw(b, "<section class=\"panel\" id=\"opvolging\"><h2>");
  html_text(b, T(r, W_followups));
  html_raw(b, "</h2><ul class=\"followups\">");
  size_t before = b->len;
  void *ctx[2] = {r, b};
  trajectory_followups(r->db, tr->ext_id, on_followup, ctx);
  if (b->len == before) {
    html_raw(b, "<li class=\"muted\">");
    html_text(b, T(r, W_followup_none));
    html_raw(b, "</li>");
  }
  html_raw(b, "</ul><form method=\"post\" action=\"/traject/opvolging\" class=\"register\">");
  csrf_field(r, resp);
  html_raw(b, "<input type=\"hidden\" name=\"id\" value=\"");
  html_attr(b, tr->ext_id);
  html_raw(b, "\"><h3>");
  html_text(b, T(r, W_followup_add));
  html_raw(b, "</h3>");
  error_summary(r, b, p);
  char today[11];
  date_format(date_brussels((time_t)r->now), today);
  html_raw(b, "<div class=\"grid\">");
  text_input(r, b, "date", W_date, "date", today, p);
  html_raw(b, "</div>");
  textarea(r, b, "note", W_followup_note, "", p);
  textarea(r, b, "next_step", W_followup_next, "", p);
  html_raw(b, "<p><button type=\"submit\">");
  html_text(b, T(r, W_followup_add));
  html_raw(b, "</button></p></form></section>");
}

static void show_links(struct request *r, struct response *resp, const struct model *m, int t) {
  struct buf *b = &resp->body;
  const struct trajectory *tr = &m->trajectories[t];
  int64_t counts[N_MECHANISMS] = {0}, linked = 0, followed = 0;
  trajectory_mechanisms(r->db, tr->ext_id, counts, &linked, &followed);
  html_raw(b, "<section class=\"panel\"><h2>");
  html_text(b, T(r, W_linked_regs));
  html_raw(b, "</h2><p>");
  html_textf(b, "%lld ", (long long)linked);
  html_text(b, T(r, W_linked_n));
  html_textf(b, ", %lld ", (long long)followed);
  html_text(b, T(r, W_with_followup));
  html_raw(b, "</p><h3>");
  html_text(b, T(r, W_mechanisms_used));
  html_raw(b, "</h3><ul class=\"mechanisms\">");
  int any = 0;
  for (int k = 0; k < N_MECHANISMS; k++) {
    if (!counts[k]) continue;
    char key[64];
    snprintf(key, sizeof key, "v_mechanism_%s", mechanism_names[k]);
    html_raw(b, "<li>");
    html_text(b, T_named(r, key));
    html_textf(b, " (%lld)", (long long)counts[k]);
    html_raw(b, "</li>");
    any = 1;
  }
  if (!any) {
    html_raw(b, "<li class=\"muted\">");
    html_text(b, T(r, W_none));
    html_raw(b, "</li>");
  }
  html_raw(b, "</ul></section>");
}

static void show(struct request *r, struct response *resp, const struct model *m, int t,
                 const struct tform *x, const struct problems *p, const struct problems *pf,
                 const struct problems *pp) {
  struct buf *b = &resp->body;
  const char *title = t >= 0 ? m->trajectories[t].ext_id : T(r, W_traj_new);
  page_begin(r, resp, title);
  const char *saved = req_query(r, "bewaard");
  if (saved) {
    html_raw(b, "<p class=\"saved\" role=\"status\">");
    html_text(b, T(r, !strcmp(saved, "opvolging") ? W_followup_saved
                      : !strcmp(saved, "fase")    ? W_phase_saved
                                                  : W_traj_saved));
    html_raw(b, "</p>");
  }
  if (t >= 0) {
    const struct trajectory *tr = &m->trajectories[t];
    int32_t today = date_brussels((time_t)r->now);
    int year = school_year_of(today);
    char err[256];
    int64_t token = 0;
    struct cache_ref *reach_ref = NULL;
    const struct reach_detail *rd = db_revision(r->db, &token, NULL) == 0
                                        ? cached_reach(r->db, token, m, year, &reach_ref, err, sizeof err)
                                        : NULL;
    if (rd) {
      const unsigned char *reached = rd->reached, *missing = rd->missing;
      const struct institution *in = &m->institutions[tr->institution];
      html_raw(b, "<p class=\"reach\"><strong>");
      html_text(b, in->code);
      html_raw(b, " · ");
      html_text(b, in->name);
      html_raw(b, "</strong> ");
      char ys[10];
      school_year_format(year, ys);
      html_text(b, ys);
      html_raw(b, ": ");
      reach_status(r, b, reached[tr->institution], missing[tr->institution]);
      html_raw(b, "</p>");
    }
    cache_release(reach_ref);
  }
  /* an existing trajectory: what advisors do most (phase, follow-up, surveys) first */
  if (t >= 0) {
    show_phase(r, resp, m, t, pp);
    show_followups(r, resp, m, t, pf);
    show_links(r, resp, m, t);
    surveys_section(r, resp, m, t);
  }
  html_raw(b, "<section class=\"panel\" id=\"bewerken\"><h2>");
  html_text(b, T(r, t >= 0 ? W_traj_edit : W_traj_new));
  html_raw(b, "</h2>");
  render_form(r, resp, m, x, p);
  html_raw(b, "</section>");
  page_end(r, resp);
}

void page_trajectory_get(struct request *r, struct response *resp) {
  struct model m;
  char err[256];
  db_begin_read(r->db);
  if (model_load(r->db, &m, err, sizeof err) != 0) {
    db_rollback(r->db);
    page_error(r, resp, 500);
    return;
  }
  const char *id = req_query(r, "id");
  int t = id && *id ? model_trajectory(&m, id) : -1;
  if (id && *id && trajectory_access(&m, &r->user, t) == TRAJ_NONE) {
    db_rollback(r->db);
    model_free(&m);
    page_error(r, resp, 404);
    return;
  }
  struct tform x;
  struct problems none = {0};
  if (t >= 0) {
    from_model(&m, t, &x, r->db);
    x.f.nsteps = trajectory_steps(r->db, m.trajectories[t].ext_id, x.f.steps, TRAJ_MAX_STEPS);
  } else {
    memset(&x, 0, sizeof x);
    x.f.institution = req_query(r, "instelling");
    int me = my_advisor(r, &m);
    if (me >= 0) snprintf(x.advisors, sizeof x.advisors, "%s", m.advisors[me].code);
    x.f.advisors = x.advisors;
    date_format(date_brussels((time_t)r->now), x.start);
    x.f.start = x.start;
  }
  show(r, resp, &m, t, &x, &none, &none, &none);
  db_commit(r->db);
  trajectory_steps_free(x.f.steps, x.f.nsteps);
  model_free(&m);
}

/* The advisors list as posted, with the signed-in advisor added when they are an advisor
   (an advisor keeps the trajectories they make and cannot leave them by a typo). */
static void advisors_with_me(const struct request *r, const struct model *m, const char *posted, char *out,
                             size_t n) {
  snprintf(out, n, "%s", posted ? posted : "");
  int me = my_advisor(r, m);
  if (me < 0 || r->user.role != ROLE_ADVISOR) return;
  const char *code = m->advisors[me].code;
  char copy[1024];
  snprintf(copy, sizeof copy, "%s", out);
  for (char *save = NULL, *tok = strtok_r(copy, "|, \t\r\n", &save); tok;
       tok = strtok_r(NULL, "|, \t\r\n", &save))
    if (!strcmp(tok, code)) return;
  size_t len = strlen(out);
  snprintf(out + len, n - len, "%s%s", len ? " " : "", code);
}

static void change_ctx(const struct request *r, struct ref_change *c, struct problems *p) {
  memset(c, 0, sizeof *c);
  c->actor = r->user.login;
  c->now = r->now;
  c->lang = r->lang;
  c->problem = on_problem;
  c->arg = p;
}

void page_trajectory_post(struct request *r, struct response *resp) {
  struct model m;
  char err[256];
  db_begin_read(r->db);
  int ok = model_load(r->db, &m, err, sizeof err) == 0;
  db_commit(r->db);
  if (!ok) {
    page_error(r, resp, 500);
    return;
  }
  struct tform x;
  from_post(r, &x);
  int t = x.f.id && *x.f.id ? model_trajectory(&m, x.f.id) : -1;
  if (x.f.id && *x.f.id && trajectory_access(&m, &r->user, t) == TRAJ_NONE) {
    model_free(&m);
    page_error(r, resp, 404);
    return;
  }
  advisors_with_me(r, &m, x.f.advisors, x.advisors, sizeof x.advisors);
  x.f.advisors = x.advisors;
  struct problems p = {0};
  struct ref_change c;
  change_ctx(r, &c, &p);
  char id[64];
  int rc = impact_trajectory_save(r->db, &x.f, id, sizeof id, &c);
  if (rc == REF_OK) {
    struct buf loc = {0};
    buf_puts(&loc, "/traject?bewaard=traject&id=");
    for (const char *s = id; *s; s++) buf_putc(&loc, *s); /* ids: letters, digits and '-' */
    resp_redirect(resp, buf_str(&loc));
    buf_free(&loc);
    model_free(&m);
    return;
  }
  if (rc != REF_INVALID) {
    model_free(&m);
    page_error(r, resp, 500);
    return;
  }
  resp->status = 422;
  struct problems none = {0};
  db_begin_read(r->db);
  show(r, resp, &m, t, &x, &p, &none, &none);
  db_commit(r->db);
  model_free(&m);
}

/* The trajectory a follow-up or phase form names, when the user may change it; answers
   404 otherwise. */
static int posted_trajectory(struct request *r, struct response *resp, struct model *m) {
  char err[256];
  db_begin_read(r->db);
  int ok = model_load(r->db, m, err, sizeof err) == 0;
  db_commit(r->db);
  if (!ok) {
    page_error(r, resp, 500);
    return -2;
  }
  const char *id = req_form(r, "id");
  int t = id ? model_trajectory(m, id) : -1;
  if (trajectory_access(m, &r->user, t) == TRAJ_NONE) {
    model_free(m);
    page_error(r, resp, 404);
    return -2;
  }
  return t;
}

static void redirect_to(struct response *resp, const char *what, const char *ext_id) {
  struct buf loc = {0};
  buf_printf(&loc, "/traject?bewaard=%s&id=", what);
  html_url(&loc, ext_id);
  resp_redirect(resp, buf_str(&loc));
  buf_free(&loc);
}

/* After a refused follow-up or phase: the page again, with the problems in their section. */
static void show_refused(struct request *r, struct response *resp, struct model *m, int t,
                         const struct problems *pf, const struct problems *pp) {
  struct tform x;
  struct problems none = {0};
  resp->status = 422;
  db_begin_read(r->db);
  from_model(m, t, &x, r->db);
  x.f.nsteps = trajectory_steps(r->db, m->trajectories[t].ext_id, x.f.steps, TRAJ_MAX_STEPS);
  show(r, resp, m, t, &x, &none, pf, pp);
  db_commit(r->db);
  trajectory_steps_free(x.f.steps, x.f.nsteps);
}

void page_trajectory_followup(struct request *r, struct response *resp) {
  struct model m;
  int t = posted_trajectory(r, resp, &m);
  if (t < -1) return;
  struct problems p = {0};
  struct ref_change c;
  change_ctx(r, &c, &p);
  char id[64];
  int rc = impact_followup_add(r->db, m.trajectories[t].ext_id, req_form(r, "date"), req_form(r, "note"),
                               req_form(r, "next_step"), NULL, id, sizeof id, &c);
  if (rc == REF_OK)
    redirect_to(resp, "opvolging", m.trajectories[t].ext_id);
  else if (rc == REF_INVALID)
    show_refused(r, resp, &m, t, &p, &(struct problems){0});
  else
    page_error(r, resp, 500);
  model_free(&m);
}

void page_trajectory_phase(struct request *r, struct response *resp) {
  struct model m;
  int t = posted_trajectory(r, resp, &m);
  if (t < -1) return;
  struct problems p = {0};
  struct ref_change c;
  change_ctx(r, &c, &p);
  int rc = impact_phase_set(r->db, m.trajectories[t].ext_id, req_form(r, "phase"), req_form(r, "date"), &c);
  if (rc == REF_OK)
    redirect_to(resp, "fase", m.trajectories[t].ext_id);
  else if (rc == REF_INVALID)
    show_refused(r, resp, &m, t, &(struct problems){0}, &p);
  else
    page_error(r, resp, 500);
  model_free(&m);
}
