/* SPDX-License-Identifier: EUPL-1.2 */
/* Registreren: a new registration in a few seconds. Defaults: today, the user's own
   advisor, the line and modality of their last registration; "herhaal" copies a recent
   registration to today. The rules are those of src/domain/registration.c (the same as
   the dataset import); problems appear beside their field, in the user's language, and
   the form keeps what was typed. Each saved registration writes one audit entry. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
#include "domain/registration.h"
#include "domain/trajectory.h"
#include "domain/write_rate.h"
#include "io/impact.h"
#include "measures/indicators.h"
#include "render/html.h"
#include "web/pages/pages.h"

#define MAX_COLS (N_REG_BASE + 64)

struct form {
  char *v[MAX_COLS]; /* canonical values, as registrations.csv */
  int ncols;
  struct reg_problems problems;
  char duration[32];    /* as typed */
  char co[512];         /* co-advisor codes, '|' separated */
  char mech[512];       /* EEF mechanisms used, '|' separated (docs/IMPACT.md) */
  char *institutions;   /* as typed */
  char retry_after[24]; /* seconds, when the session's write rate is over its limit */
  int owned;            /* the user owns it (domain/access.h), not only a co-advisor */
  int owner;            /* advisor index the co-advisors are relative to: the user's own, or
                           when a coordinator edits a team member's registration, that member */
};

static void form_free(struct form *f) {
  for (int i = 0; i < f->ncols; i++) free(f->v[i]);
  free(f->institutions);
}

static void set(struct form *f, int col, const char *s) {
  free(f->v[col]);
  f->v[col] = xstrdup(s ? s : "");
}

static const char *val(const struct form *f, int col) { return f->v[col] ? f->v[col] : ""; }

static void add_problem(struct form *f, int col, int code, const char *arg) {
  if (f->problems.n == REG_MAX_PROBLEMS) return;
  struct reg_problem *p = &f->problems.p[f->problems.n++];
  memset(p, 0, sizeof *p);
  p->col = col;
  p->code = code;
  snprintf(p->arg[0], sizeof p->arg[0], "%s", arg ? arg : "");
}

/* The problems of one field, beside it. */
static void field_errors(const struct request *r, struct buf *b, const struct form *f, int col,
                         const char *id) {
  int any = 0;
  for (int k = 0; k < f->problems.n; k++) {
    if (f->problems.p[k].col != col) continue;
    if (!any) {
      html_raw(b, "<div class=\"error\" id=\"");
      html_attr(b, id);
      html_raw(b, "-error\">");
      any = 1;
    }
    char msg[512];
    reg_problem_text(&f->problems.p[k], r->lang, msg, sizeof msg);
    html_raw(b, "<p>");
    html_text(b, msg);
    html_raw(b, "</p>");
  }
  if (any) html_raw(b, "</div>");
}

static int has_error(const struct form *f, int col) {
  for (int k = 0; k < f->problems.n; k++)
    if (f->problems.p[k].col == col) return 1;
  return 0;
}

static void label(const struct request *r, struct buf *b, const char *id, enum word key) {
  html_raw(b, "<label for=\"");
  html_attr(b, id);
  html_raw(b, "\">");
  html_text(b, T(r, key));
  html_raw(b, "</label>");
}

static void described(struct buf *b, const struct form *f, int col, const char *id) {
  if (!has_error(f, col)) return;
  html_raw(b, " aria-invalid=\"true\" aria-describedby=\"");
  html_attr(b, id);
  html_raw(b, "-error\"");
}

static void option(struct buf *b, const char *value, const char *text, int selected) {
  html_raw(b, "<option value=\"");
  html_attr(b, value);
  html_raw_if(b, selected, "\" selected>", "\">");
  html_text(b, text);
  html_raw(b, "</option>");
}

static const enum word modality_keys[N_MODALITIES] = {W_mod_fysiek,   W_mod_online, W_mod_hybride,
                                                      W_mod_helpdesk, W_mod_walk,   W_mod_klasbezoek};
static const enum word activity_keys[N_ACTIVITIES] = {W_act_preparation,
                                                      W_act_follow_up,
                                                      W_act_self_study,
                                                      W_act_internal_meeting,
                                                      W_act_professional_development,
                                                      W_act_quality,
                                                      W_act_other};

/* Fills the defaults: today, the user's advisor, the last line and modality used; or a
   copy of a recent registration of the user's own ("herhaal"). */
static void defaults(const struct request *r, const struct model *m, struct form *f, const char *repeat_of) {
  char today[11];
  date_format((int32_t)(r->now / 86400), today);
  set(f, R_DATE, today);
  set(f, R_KIND, "client");
  int64_t id = repeat_of ? registration_of_advisor(r->db, r->user.advisor_id, repeat_of)
                         : registration_latest_of(r->db, r->user.advisor_id);
  if (id <= 0) return;
  char **v = xcalloc((size_t)f->ncols, sizeof *v);
  if (registration_load(r->db, m, id, v) == 0) {
    set(f, R_LINE, v[R_LINE]);
    set(f, R_MODALITY, v[R_MODALITY]);
    if (repeat_of) {
      static const int copied[] = {R_KIND, R_GOAL, R_ACTIVITY, R_LEVEL, R_DESCRIPTION};
      for (size_t k = 0; k < sizeof copied / sizeof *copied; k++) set(f, copied[k], v[copied[k]]);
      snprintf(f->duration, sizeof f->duration, "%s", v[R_MINUTES] ? v[R_MINUTES] : "");
      /* the institutions as typed: their codes */
      struct buf b = {0};
      char *copy, **items;
      int n = list_split(v[R_INSTITUTIONS] ? v[R_INSTITUTIONS] : "", &copy, &items);
      for (int i = 0; i < n; i++) {
        int64_t k;
        const char *code = strmap_get(&m->inst_by_number, items[i], &k) ? m->institutions[k].code : items[i];
        buf_printf(&b, "%s%s", b.len ? ", " : "", code);
      }
      free(copy);
      free(items);
      set(f, R_INSTITUTIONS, buf_str(&b));
      buf_free(&b);
      for (size_t g = 0; g < m->n_target_groups; g++)
        if (v[N_REG_BASE + (int)g] && *v[N_REG_BASE + (int)g])
          set(f, N_REG_BASE + (int)g, v[N_REG_BASE + (int)g]);
    }
  }
  for (int i = 0; i < f->ncols; i++) free(v[i]);
  free(v);
}

/* Loads a registration the user may change (domain/access.h: their own, or as a
   coordinator one of a team member's) into f (date included; co-advisors = the listed
   advisors other than f->owner). Returns its internal id, or 0 when it does not exist or
   is not the user's to change: the per-object authorization of edit and delete. */
static int64_t load_own(const struct request *r, const struct model *m, struct form *f, const char *ext_id) {
  if (!ext_id) return 0;
  struct advisor_scope scope;
  if (user_scope(&r->user, m, ACCESS_WRITE, &scope) != 0) return 0;
  int64_t rid = registration_in_scope(r->db, &scope, ext_id);
  if (rid <= 0) {
    advisor_scope_free(&scope);
    return 0;
  }
  if (registration_load(r->db, m, rid, f->v) != 0) {
    advisor_scope_free(&scope);
    return 0;
  }
  int64_t id = rid;
  set(f, R_ID, ext_id);
  snprintf(f->duration, sizeof f->duration, "%s", val(f, R_MINUTES));
  int64_t author = registration_author(r->db, id);
  f->owned = author >= 0 && registration_owned(&scope, author);
  /* the institutions as typed: their codes, in the order of their numbers */
  struct buf b = {0}, co = {0};
  char *copy, **items;
  int n = list_split(val(f, R_INSTITUTIONS), &copy, &items);
  for (int i = 0; i < n; i++) {
    int64_t k;
    const char *code = strmap_get(&m->inst_by_number, items[i], &k) ? m->institutions[k].code : items[i];
    buf_printf(&b, "%s%s", b.len ? ", " : "", code);
  }
  free(copy);
  free(items);
  free(f->institutions);
  f->institutions = xstrdup(buf_str(&b));
  /* the owner: the user's own advisor when listed, else the first listed advisor in
     scope (a coordinator editing a team member's registration) */
  f->owner = -1;
  int owner = -1;
  n = list_split(val(f, R_ADVISORS), &copy, &items);
  for (int i = 0; i < n; i++) {
    int a = model_advisor(m, items[i]);
    if (a < 0) continue;
    if (m->advisors[a].id == r->user.advisor_id ||
        (owner < 0 && advisor_scope_has(&scope, m->advisors[a].id)))
      owner = a;
  }
  for (int i = 0; i < n; i++)
    if (model_advisor(m, items[i]) != owner) buf_printf(&co, "%s%s", co.len ? "|" : "", items[i]);
  free(copy);
  free(items);
  advisor_scope_free(&scope);
  f->owner = owner;
  snprintf(f->co, sizeof f->co, "%s", buf_str(&co));
  registration_mechanisms(r->db, ext_id, f->mech, sizeof f->mech);
  buf_free(&b);
  buf_free(&co);
  return id;
}

/* Whether the '|' list holds word w. */
static int in_list(const char *list, const char *w) {
  size_t n = strlen(w);
  for (const char *p = list; p && *p;) {
    const char *e = strchr(p, '|');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len == n && !strncmp(p, w, n)) return 1;
    p = e ? e + 1 : NULL;
  }
  return 0;
}

/* The EEF mechanisms the session used (docs/IMPACT.md), in their four groups; folded
   unless one is ticked. */
static void mechanisms_fieldset(const struct request *r, struct buf *b, const char *mech) {
  static const struct {
    enum word group;
    int first, n;
  } groups[] = {{W_mech_group_knowledge, 0, 2},
                {W_mech_group_motivate, 2, 3},
                {W_mech_group_techniques, 5, 5},
                {W_mech_group_embed, 10, 4}};
  html_raw_if(b, mech && *mech, "<details class=\"mechanisms\" open><summary>",
              "<details class=\"mechanisms\"><summary>");
  html_text(b, T(r, W_mechanisms));
  html_raw(b, "</summary>");
  for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
    html_raw(b, "<fieldset><legend>");
    html_text(b, T(r, groups[g].group));
    html_raw(b, "</legend>");
    for (int k = groups[g].first; k < groups[g].first + groups[g].n; k++) {
      char key[64];
      snprintf(key, sizeof key, "v_mechanism_%s", mechanism_names[k]);
      html_raw(b, "<label class=\"inline\"><input type=\"checkbox\" name=\"mech\" value=\"");
      html_attr(b, mechanism_names[k]);
      html_raw_if(b, in_list(mech, mechanism_names[k]), "\" checked>", "\">");
      html_text(b, T_named(r, key));
      html_raw(b, "</label>");
    }
    html_raw(b, "</fieldset>");
  }
  html_raw(b, "</details>");
}

/* The form, with the values of f and its problems beside their fields. */
static void render(struct request *r, struct response *resp, const struct model *m, const struct form *f,
                   int me, int edit) {
  struct buf *b = &resp->body;
  html_raw_if(b, edit, "<form method=\"post\" action=\"/registratie\" class=\"register\" novalidate>",
              "<form method=\"post\" action=\"/registreren\" class=\"register\" novalidate>");
  csrf_field(r, resp);
  if (edit) {
    html_raw(b, "<input type=\"hidden\" name=\"id\" value=\"");
    html_attr(b, val(f, R_ID));
    html_raw(b, "\">");
  }
  if (f->problems.n) {
    html_raw(b, "<p class=\"error\" role=\"alert\">");
    html_text(b, T(r, W_form_has_errors));
    html_raw(b, "</p>");
    field_errors(r, b, f, R_ID, "form");
  }
  /* kind */
  html_raw(b, "<fieldset><legend>");
  html_text(b, T(r, W_kind));
  html_raw(b, "</legend>");
  static const struct {
    const char *value;
    enum word word;
  } kinds[] = {{"client", W_client}, {"internal", W_internal}};
  for (int k = 0; k < 2; k++) {
    html_raw(b, "<label class=\"inline\"><input type=\"radio\" name=\"kind\" value=\"");
    html_attr(b, kinds[k].value);
    html_raw_if(b, strcmp(val(f, R_KIND), kinds[k].value), "\">", "\" checked>");
    html_text(b, T(r, kinds[k].word));
    html_raw(b, "</label>");
  }
  html_raw(b, "</fieldset><div class=\"grid\">");
  /* date and duration */
  html_raw(b, "<div>");
  label(r, b, "date", W_date);
  html_raw(b, "<input type=\"date\" id=\"date\" name=\"date\" required value=\"");
  html_attr(b, val(f, R_DATE));
  html_raw(b, "\"");
  described(b, f, R_DATE, "date");
  html_raw(b, ">");
  field_errors(r, b, f, R_DATE, "date");
  html_raw(b, "</div><div>");
  label(r, b, "duration", W_duration);
  html_raw(b, "<input id=\"duration\" name=\"duration\" inputmode=\"numeric\" required placeholder=\"90 / "
              "1u30\" value=\"");
  html_attr(b, f->duration);
  html_raw(b, "\"");
  described(b, f, R_MINUTES, "duration");
  html_raw(b, ">");
  field_errors(r, b, f, R_MINUTES, "duration");
  html_raw(b, "</div>");
  /* line and goal */
  html_raw(b, "<div>");
  label(r, b, "line", W_line);
  html_raw(b, "<select id=\"line\" name=\"line\" required");
  described(b, f, R_LINE, "line");
  html_raw(b, "><option value=\"\"></option>");
  for (size_t i = 0; i < m->n_lines; i++)
    option(b, m->lines[i].code, m->lines[i].name, !strcmp(val(f, R_LINE), m->lines[i].code));
  html_raw(b, "</select>");
  field_errors(r, b, f, R_LINE, "line");
  html_raw(b, "</div><div>");
  label(r, b, "goal", W_goal);
  html_raw(b, "<select id=\"goal\" name=\"goal\"");
  described(b, f, R_GOAL, "goal");
  html_raw(b, "><option value=\"\">–</option>");
  for (size_t i = 0; i < m->n_goals; i++) {
    char text[300];
    snprintf(text, sizeof text, "%s %s (%s)", m->goals[i].code, m->goals[i].name,
             m->lines[m->goals[i].line].code);
    option(b, m->goals[i].code, text, !strcmp(val(f, R_GOAL), m->goals[i].code));
  }
  html_raw(b, "</select>");
  field_errors(r, b, f, R_GOAL, "goal");
  html_raw(b, "</div></div>");

  /* client contact */
  html_raw(b, "<fieldset class=\"client-fields\"><legend>");
  html_text(b, T(r, W_client));
  html_raw(b, "</legend><div class=\"grid\"><div>");
  label(r, b, "institutions", W_institutions);
  html_raw(b,
           "<input id=\"institutions\" name=\"institutions\" list=\"institution-list\" autocomplete=\"off\" "
           "placeholder=\"SAA, SAB\" value=\"");
  html_attr(b, f->institutions ? f->institutions : val(f, R_INSTITUTIONS));
  html_raw(b, "\"");
  described(b, f, R_INSTITUTIONS, "institutions");
  html_raw(b, "><datalist id=\"institution-list\">");
  for (size_t i = 0; i < m->n_institutions; i++) {
    if (!m->institutions[i].active) continue;
    char text[300];
    snprintf(text, sizeof text, "%s (%s)", m->institutions[i].name, m->institutions[i].number);
    option(b, m->institutions[i].code, text, 0);
  }
  html_raw(b, "</datalist><p class=\"muted hint\">");
  html_text(b, T(r, W_institutions_hint));
  html_raw(b, " <a href=\"/instellingen\" target=\"_blank\" rel=\"noopener\">");
  html_text(b, T(r, W_find_institution));
  html_raw(b, "</a></p>");
  field_errors(r, b, f, R_INSTITUTIONS, "institutions");
  html_raw(b, "</div><div>");
  label(r, b, "modality", W_modality);
  html_raw(b, "<select id=\"modality\" name=\"modality\"");
  described(b, f, R_MODALITY, "modality");
  html_raw(b, "><option value=\"\"></option>");
  for (int k = 0; k < N_MODALITIES; k++)
    option(b, modality_names[k], T(r, modality_keys[k]), !strcmp(val(f, R_MODALITY), modality_names[k]));
  html_raw(b, "</select>");
  field_errors(r, b, f, R_MODALITY, "modality");
  html_raw(b, "</div><div>");
  label(r, b, "trajectory", W_trajectory);
  html_raw(b, "<select id=\"trajectory\" name=\"trajectory\"");
  described(b, f, R_TRAJECTORY, "trajectory");
  html_raw(b, "><option value=\"\">–</option>");
  int32_t today = (int32_t)(r->now / 86400);
  for (size_t t = 0; t < m->n_trajectories; t++) {
    const struct trajectory *tr = &m->trajectories[t];
    if (strcmp(tr->status, "closed") == 0 && strcmp(val(f, R_TRAJECTORY), tr->ext_id)) continue;
    if (!ranges_overlap(tr->start, tr->end, today - 366, today + 366) &&
        strcmp(val(f, R_TRAJECTORY), tr->ext_id))
      continue;
    char text[300];
    snprintf(text, sizeof text, "%s · %s · %s", m->institutions[tr->institution].code, tr->ext_id,
             tr->shared_goal ? tr->shared_goal : "");
    option(b, tr->ext_id, text, !strcmp(val(f, R_TRAJECTORY), tr->ext_id));
  }
  html_raw(b, "</select>");
  field_errors(r, b, f, R_TRAJECTORY, "trajectory");
  html_raw(b, "</div><div>");
  label(r, b, "level", W_level);
  html_raw(b, "<select id=\"level\" name=\"level\"><option value=\"\">–</option>");
  option(b, "meso", "MESO", !strcmp(val(f, R_LEVEL), "meso"));
  option(b, "micro", "MICRO", !strcmp(val(f, R_LEVEL), "micro"));
  html_raw(b, "</select>");
  field_errors(r, b, f, R_LEVEL, "level");
  html_raw(b,
           "</div></div><label class=\"inline\"><input type=\"checkbox\" name=\"followup\" value=\"true\"");
  html_raw_if(b, !strcmp(val(f, R_FOLLOWUP), "true"), " checked>", ">");
  html_text(b, T(r, W_followup));
  html_raw(b, "</label>");
  mechanisms_fieldset(r, b, f->mech);
  /* head counts */
  html_raw(b, "<fieldset><legend>");
  html_text(b, T(r, W_counts));
  html_raw(b, "</legend><div class=\"counts\">");
  for (size_t g = 0; g < m->n_target_groups; g++) {
    char id[160];
    snprintf(id, sizeof id, "tg-%s", m->target_groups[g].code);
    html_raw(b, "<div><label for=\"");
    html_attr(b, id);
    html_raw(b, "\">");
    html_text(b, m->target_groups[g].name);
    html_raw(b, "</label><input type=\"number\" min=\"0\" inputmode=\"numeric\" id=\"");
    html_attr(b, id);
    html_raw(b, "\" name=\"");
    html_attr(b, id);
    html_raw(b, "\" value=\"");
    html_attr(b, val(f, N_REG_BASE + (int)g));
    html_raw(b, "\"");
    described(b, f, N_REG_BASE + (int)g, id);
    html_raw(b, ">");
    field_errors(r, b, f, N_REG_BASE + (int)g, id);
    html_raw(b, "</div>");
  }
  html_raw(b, "</div></fieldset>");
  /* co-advisors: colleagues of the user's teams */
  html_raw(b, "<fieldset><legend>");
  html_text(b, T(r, W_co_advisors));
  html_raw(b, "</legend>");
  for (size_t a = 0; a < m->n_advisors; a++) {
    if ((int)a == me) continue;
    int colleague = 0;
    for (int k = 0; me >= 0 && k < m->advisors[me].n_teams; k++)
      for (int j = 0; j < m->advisors[a].n_teams; j++)
        colleague |= m->advisors[me].teams[k] == m->advisors[a].teams[j];
    if (!colleague) continue;
    char needle[64];
    snprintf(needle, sizeof needle, "|%s|", m->advisors[a].code);
    char hay[520];
    snprintf(hay, sizeof hay, "|%s|", f->co);
    html_raw(b, "<label class=\"inline\"><input type=\"checkbox\" name=\"co\" value=\"");
    html_attr(b, m->advisors[a].code);
    html_raw_if(b, strstr(hay, needle), "\" checked>", "\">");
    html_text(b, m->advisors[a].name);
    html_raw(b, "</label>");
  }
  field_errors(r, b, f, R_ADVISORS, "co");
  html_raw(b, "</fieldset></fieldset>");

  /* internal time */
  html_raw(b, "<fieldset class=\"internal-fields\"><legend>");
  html_text(b, T(r, W_internal));
  html_raw(b, "</legend><div>");
  label(r, b, "activity", W_activity);
  html_raw(b, "<select id=\"activity\" name=\"activity\"");
  described(b, f, R_ACTIVITY, "activity");
  html_raw(b, "><option value=\"\"></option>");
  for (int k = 0; k < N_ACTIVITIES; k++)
    option(b, activity_names[k], T(r, activity_keys[k]), !strcmp(val(f, R_ACTIVITY), activity_names[k]));
  html_raw(b, "</select>");
  field_errors(r, b, f, R_ACTIVITY, "activity");
  html_raw(b, "</div></fieldset><div>");
  label(r, b, "description", W_description);
  html_raw(b, "<input id=\"description\" name=\"description\" maxlength=\"2000\"");
  described(b, f, R_DESCRIPTION, "description");
  html_raw(b, " value=\"");
  html_attr(b, val(f, R_DESCRIPTION));
  html_raw(b, "\">");
  field_errors(r, b, f, R_DESCRIPTION, "description");
  html_raw(b, "</div><button type=\"submit\">");
  html_text(b, T(r, W_save));
  html_raw(b, "</button></form>");
  if (edit) {
    html_raw(b, "<form method=\"post\" action=\"/registratie/verwijder\" class=\"delete\">");
    csrf_field(r, resp);
    html_raw(b, "<input type=\"hidden\" name=\"id\" value=\"");
    html_attr(b, val(f, R_ID));
    html_raw(b, "\"><button type=\"submit\" class=\"danger\">");
    html_text(b, T(r, W_delete));
    html_raw(b, "</button></form>");
  }
}

/* Recent registrations of the user, each with "herhaal". */
static void recent(struct request *r, struct response *resp) {
  struct buf *b = &resp->body;
  struct reg_briefs list;
  if (registration_briefs(r->db, r->user.advisor_id, NULL, NULL, 5, &list) != 0) return;
  for (size_t i = 0; i < list.n; i++) {
    const struct reg_brief *x = &list.items[i];
    if (i == 0) {
      html_raw(b, "<h2>");
      html_text(b, T(r, W_recent));
      html_raw(b, "</h2><ul class=\"recent\">");
    }
    int32_t d;
    char dt[32] = "";
    if (date_parse(x->date, &d) == 0) fmt_date_text(r, d, dt, sizeof dt);
    char mins[48];
    snprintf(mins, sizeof mins, "%lldu%02lld", (long long)(x->minutes / 60), (long long)(x->minutes % 60));
    html_raw(b, "<li>");
    html_text(b, dt);
    html_raw(b, " · ");
    html_text(b, mins);
    html_raw(b, " · ");
    html_text(b, x->line_name);
    if (x->description) {
      html_raw(b, " · ");
      html_text(b, x->description);
    }
    html_raw(b, " <a href=\"/registreren?herhaal=");
    html_url(b, x->ext_id);
    html_raw(b, "\">");
    html_text(b, T(r, W_repeat));
    html_raw(b, "</a></li>");
  }
  if (list.n) html_raw(b, "</ul>");
  registration_briefs_free(&list);
}

static int my_advisor(const struct request *r, const struct model *m) {
  return r->user.advisor_id > 0 && r->user.advisor_id <= m->max_advisor_id
             ? m->advisor_of_id[r->user.advisor_id]
             : -1;
}

void page_register_get(struct request *r, struct response *resp) {
  struct model m;
  char err[256];
  if (model_load(r->db, &m, err, sizeof err) != 0) {
    page_error(r, resp, 500);
    return;
  }
  page_begin(r, resp, T(r, W_nav_register));
  int me = my_advisor(r, &m);
  if (me < 0) {
    html_raw(&resp->body, "<p>");
    html_text(&resp->body, T(r, W_no_advisor));
    html_raw(&resp->body, "</p>");
  } else {
    const char *saved = req_query(r, "opgeslagen");
    if (saved) {
      int64_t reg[1], klv[1];
      int32_t today = (int32_t)(r->now / 86400);
      char tot[48] = "";
      if (advisor_minutes_per_day(r->db, r->user.advisor_id, today, 1, reg, klv) == 0)
        snprintf(tot, sizeof tot, "%lldu%02lld", (long long)(reg[0] / 60), (long long)(reg[0] % 60));
      html_raw(&resp->body, "<p class=\"saved\" role=\"status\">");
      html_text(&resp->body, T(r, W_saved));
      html_raw(&resp->body, " ");
      html_text(&resp->body, saved);
      html_raw(&resp->body, " · ");
      html_text(&resp->body, T(r, W_today_total));
      html_raw(&resp->body, " ");
      html_text(&resp->body, tot);
      html_raw(&resp->body, "</p>");
    }
    struct form f = {.ncols = N_REG_BASE + (int)m.n_target_groups};
    defaults(r, &m, &f, req_query(r, "herhaal"));
    render(r, resp, &m, &f, me, 0);
    form_free(&f);
    recent(r, resp);
  }
  page_end(r, resp);
  model_free(&m);
}

/* A JSON object of the canonical values, for the audit trail. */
static void audit_json(const struct model *m, struct form *f, struct buf *j) {
  registration_audit_json(m, f->v, j);
}

/* Writes a new registration (existing_id 0) or the new state of an existing one, with
   its audit entry (before and after), in one transaction. */
static int save(struct request *r, const struct model *m, struct form *f, struct reg_check *c,
                int64_t existing_id, const char *before) {
  if (db_begin_write_registrations(r->db) != DB_OK) return -1;
  struct reg_statements s;
  int rc = -1;
  /* inside the transaction: the advisors' minutes of the day, and the write rate of the
     session; both are problems shown on the form */
  if (registration_check_day(r->db, m, f->v, c, existing_id) != 0) goto out;
  if (c->problems.n) {
    for (int k = 0; k < c->problems.n && f->problems.n < REG_MAX_PROBLEMS; k++)
      f->problems.p[f->problems.n++] = c->problems.p[k];
    goto out;
  }
  int64_t retry = 0;
  int limited = write_rate_hit(r->db, "session", r->session_cookie, r->now, &retry);
  if (limited < 0) goto out;
  if (limited) {
    char t[24];
    snprintf(t, sizeof t, "%lld", (long long)retry);
    add_problem(f, R_ID, RP_RATE_LIMITED, t);
    snprintf(f->retry_after, sizeof f->retry_after, "%s", t);
    goto out;
  }
  if (reg_statements_prepare(r->db, &s) != 0) goto out;
  int64_t id = existing_id ? existing_id : registration_next_id(r->db);
  struct reg_write *w = reg_write_new(m, f->v, c, id, existing_id != 0);
  const char *msg = reg_write_exec(&s, w);
  reg_write_free(w);
  reg_statements_finalize(&s);
  if (msg || (!existing_id && registration_set_author(r->db, id, r->user.advisor_id) != 0)) goto out;
  db_ids_assigned(r->db, "registration");
  struct buf j = {0};
  audit_json(m, f, &j);
  rc = audit_write(r->db, r->now, r->user.login, existing_id ? "update" : "create", "registration",
                   val(f, R_ID), before, buf_str(&j), NULL);
  buf_free(&j);
out:
  if (rc == 0 && db_commit(r->db) == DB_OK) return 0;
  db_rollback(r->db);
  return -1;
}

static void handle_post(struct request *r, struct response *resp, int edit) {
  struct model m;
  char err[256];
  if (model_load(r->db, &m, err, sizeof err) != 0) {
    page_error(r, resp, 500);
    return;
  }
  int me = my_advisor(r, &m);
  if (me < 0) {
    model_free(&m);
    page_error(r, resp, 403);
    return;
  }
  struct form f = {.ncols = N_REG_BASE + (int)m.n_target_groups};
  for (int c = 0; c < f.ncols; c++) set(&f, c, "");
  /* edit: only a registration of the user's own; its state before, for the audit and
     the locked-year rule */
  int64_t existing = 0;
  int owner = me;
  struct buf before = {0};
  int32_t old_day = NO_DATE;
  if (edit) {
    struct form old = {.ncols = f.ncols};
    existing = load_own(r, &m, &old, req_form(r, "id"));
    if (existing) {
      audit_json(&m, &old, &before);
      date_parse(val(&old, R_DATE), &old_day);
      set(&f, R_ID, val(&old, R_ID));
      if (old.owner >= 0) owner = old.owner;
      /* a co-advisor changes nothing here; they may only remove themselves (Verwijderen) */
      if (!old.owned) existing = 0;
    }
    form_free(&old);
    if (!existing) {
      form_free(&f);
      model_free(&m);
      page_error(r, resp, 403);
      return;
    }
  } else {
    unsigned char rnd[8];
    char ext[32];
    randombytes_buf(rnd, sizeof rnd);
    snprintf(ext, sizeof ext, "w-");
    sodium_bin2hex(ext + 2, sizeof ext - 2, rnd, sizeof rnd);
    set(&f, R_ID, ext);
  }
  const char *kind = req_form(r, "kind");
  set(&f, R_KIND, kind && !strcmp(kind, "internal") ? "internal" : "client");
  int client = !strcmp(val(&f, R_KIND), "client");
  static const struct {
    const char *field;
    int col;
  } plain[] = {{"date", R_DATE}, {"line", R_LINE}, {"goal", R_GOAL}, {"description", R_DESCRIPTION}};
  for (size_t k = 0; k < sizeof plain / sizeof plain[0]; k++)
    set(&f, plain[k].col, req_form(r, plain[k].field));
  /* the fields of the other kind are hidden on screen and ignored */
  if (client) {
    static const struct {
      const char *field;
      int col;
    } cl[] = {{"modality", R_MODALITY}, {"trajectory", R_TRAJECTORY}, {"level", R_LEVEL}};
    for (size_t k = 0; k < sizeof cl / sizeof cl[0]; k++) set(&f, cl[k].col, req_form(r, cl[k].field));
    set(&f, R_FOLLOWUP, req_form(r, "followup") ? "true" : "false");
    /* institutions: codes or numbers separated by commas, spaces or semicolons */
    struct buf list = {0};
    const char *in = req_form(r, "institutions");
    for (const char *p = in ? in : ""; *p;) {
      while (*p == ',' || *p == ' ' || *p == ';') p++;
      const char *e = p;
      while (*e && *e != ',' && *e != ' ' && *e != ';') e++;
      if (e > p) {
        if (list.len) buf_putc(&list, '|');
        buf_append(&list, p, (size_t)(e - p));
      }
      p = e;
    }
    set(&f, R_INSTITUTIONS, buf_str(&list));
    buf_free(&list);
    f.institutions = xstrdup(in ? in : "");
    for (size_t g = 0; g < m.n_target_groups; g++) {
      char name[160];
      snprintf(name, sizeof name, "tg-%s", m.target_groups[g].code);
      const char *cnt = req_form(r, name);
      int64_t n;
      if (cnt && *cnt && bounds_text(cnt, BOUND_CODE_MAX, 0, NULL) != TEXT_OK)
        add_problem(&f, N_REG_BASE + (int)g, RP_COUNT_NOT_INTEGER, "?");
      else if (cnt && *cnt && (parse_int64(cnt, &n) != 0))
        add_problem(&f, N_REG_BASE + (int)g, RP_COUNT_NOT_INTEGER, cnt);
      set(&f, N_REG_BASE + (int)g, cnt);
    }
  } else {
    set(&f, R_ACTIVITY, req_form(r, "activity"));
  }
  /* mechanisms: every "mech" field naming one (others are ignored: the form offers no other) */
  for (int i = 0; i < r->nform; i++) {
    if (strcmp(r->form[i].key, "mech") || parse_mechanism(r->form[i].value) < 0) continue;
    if (in_list(f.mech, r->form[i].value)) continue;
    size_t len = strlen(f.mech);
    snprintf(f.mech + len, sizeof f.mech - len, "%s%s", len ? "|" : "", r->form[i].value);
  }
  /* co-advisors: every "co" field */
  struct buf advs = {0}, co = {0};
  buf_puts(&advs, m.advisors[owner].code);
  for (int i = 0; i < r->nform; i++)
    if (!strcmp(r->form[i].key, "co") && *r->form[i].value) {
      buf_printf(&advs, "|%s", r->form[i].value);
      buf_printf(&co, "%s%s", co.len ? "|" : "", r->form[i].value);
    }
  set(&f, R_ADVISORS, buf_str(&advs));
  snprintf(f.co, sizeof f.co, "%s", buf_str(&co));
  buf_free(&advs);
  buf_free(&co);
  /* date and duration as typed on a form */
  int32_t day = NO_DATE; /* the date's problems come from registration_check */
  date_parse(val(&f, R_DATE), &day);
  const char *dur = req_form(r, "duration");
  snprintf(f.duration, sizeof f.duration, "%s", dur ? dur : "");
  int64_t minutes;
  if (bounds_text(f.duration, BOUND_CODE_MAX, 0, NULL) != TEXT_OK) {
    f.duration[0] = 0;
    add_problem(&f, R_MINUTES, RP_MINUTES_RANGE, "?");
  } else if (!*f.duration) {
    /* registration_check says it is required */
  } else if (parse_duration(f.duration, &minutes) == 0) {
    char mm[24];
    snprintf(mm, sizeof mm, "%lld", (long long)minutes);
    set(&f, R_MINUTES, mm);
  } else {
    add_problem(&f, R_MINUTES, RP_MINUTES_RANGE, f.duration);
  }
  /* the rules of every registration */
  /* every problem at once: the form's own (date, duration, counts) and the rules */
  struct reg_check c;
  {
    registration_canonicalize(&m, f.v, &f.problems);
    registration_check(&m, f.v, &c);
    /* a field the form judged already (duration, counts) is not judged twice */
    int own = f.problems.n;
    for (int k = 0; k < c.problems.n && f.problems.n < REG_MAX_PROBLEMS; k++) {
      int dup = 0;
      for (int j = 0; j < own; j++) dup |= f.problems.p[j].col == c.problems.p[k].col;
      if (!dup) f.problems.p[f.problems.n++] = c.problems.p[k];
    }
    int locked_year =
        f.problems.n == 0 && model_year_locked(&m, school_year_of(day)) ? school_year_of(day)
        : f.problems.n == 0 && old_day != NO_DATE && model_year_locked(&m, school_year_of(old_day))
            ? school_year_of(old_day)
            : -1;
    if (locked_year >= 0) {
      char ys[10];
      school_year_format(locked_year, ys);
      add_problem(&f, R_DATE, RP_YEAR_LOCKED, ys);
    }
  }
  if (f.problems.n == 0 && save(r, &m, &f, &c, existing, existing ? buf_str(&before) : NULL) == 0) {
    /* the mechanisms, through the impact door (their own audit entry); only known words
       reach here, so this fails only when the database does */
    if (f.mech[0] || existing) {
      struct ref_change rc = {.actor = r->user.login, .now = r->now, .lang = r->lang};
      if (impact_mechanisms_set(r->db, val(&f, R_ID), f.mech, &rc) != REF_OK)
        fprintf(stderr, "bereik: the mechanisms of registration %s were not saved\n", val(&f, R_ID));
    }
    struct buf loc = {0};
    if (edit) {
      buf_printf(&loc, "/week?datum=%s", val(&f, R_DATE));
      if (owner != me) {
        buf_puts(&loc, "&begeleider=");
        html_url(&loc, m.advisors[owner].code);
      }
    } else {
      buf_printf(&loc, "/registreren?opgeslagen=%s", val(&f, R_ID));
    }
    resp_redirect(resp, buf_str(&loc));
    buf_free(&loc);
  } else {
    if (f.problems.n == 0) add_problem(&f, R_ID, RP_SAVE_FAILED, NULL);
    resp->status = f.retry_after[0] ? 429 : 422;
    int64_t wait = 0;
    resp->retry_after = f.retry_after[0] && parse_int64(f.retry_after, &wait) == 0 ? (int)wait : 0;
    page_begin(r, resp, T(r, edit ? W_edit_registration : W_nav_register));
    render(r, resp, &m, &f, owner, edit);
    page_end(r, resp);
  }
  buf_free(&before);
  form_free(&f);
  model_free(&m);
}

void page_register_post(struct request *r, struct response *resp) { handle_post(r, resp, 0); }
void page_registration_post(struct request *r, struct response *resp) { handle_post(r, resp, 1); }

/* The edit form of one of the user's own registrations (403 for anyone else's). */
void page_registration_get(struct request *r, struct response *resp) {
  struct model m;
  char err[256];
  if (model_load(r->db, &m, err, sizeof err) != 0) {
    page_error(r, resp, 500);
    return;
  }
  struct form f = {.ncols = N_REG_BASE + (int)m.n_target_groups};
  for (int c = 0; c < f.ncols; c++) set(&f, c, "");
  if (!load_own(r, &m, &f, req_query(r, "id"))) {
    form_free(&f);
    model_free(&m);
    page_error(r, resp, 403);
    return;
  }
  page_begin(r, resp, T(r, W_edit_registration));
  render(r, resp, &m, &f, f.owner >= 0 ? f.owner : my_advisor(r, &m), 1);
  page_end(r, resp);
  form_free(&f);
  model_free(&m);
}

/* Deletes one of the user's own registrations, outside locked years, with its audit
   entry. */
void page_registration_delete(struct request *r, struct response *resp) {
  struct model m;
  char err[256];
  if (model_load(r->db, &m, err, sizeof err) != 0) {
    page_error(r, resp, 500);
    return;
  }
  struct form f = {.ncols = N_REG_BASE + (int)m.n_target_groups};
  for (int c = 0; c < f.ncols; c++) set(&f, c, "");
  int64_t id = load_own(r, &m, &f, req_form(r, "id"));
  int32_t day = NO_DATE;
  if (id) date_parse(val(&f, R_DATE), &day);
  /* who does not own it may only take their own advisor off it: they must be listed */
  int me_listed = 0;
  if (id && !f.owned && my_advisor(r, &m) >= 0) {
    char *copy, **items;
    int n = list_split(val(&f, R_ADVISORS), &copy, &items);
    for (int i = 0; i < n; i++) me_listed |= !strcmp(items[i], m.advisors[my_advisor(r, &m)].code);
    free(copy);
    free(items);
  }
  if (!id || (!f.owned && !me_listed)) {
    page_error(r, resp, 403);
  } else if (day != NO_DATE && model_year_locked(&m, school_year_of(day))) {
    page_error(r, resp, 409);
  } else {
    struct buf before = {0}, after = {0};
    audit_json(&m, &f, &before);
    int ok = db_begin_write_registrations(r->db) == DB_OK;
    int64_t retry = 0;
    int limited = ok ? write_rate_hit(r->db, "session", r->session_cookie, r->now, &retry) : 0;
    ok = ok && limited == 0;
    /* a co-advisor (domain/access.h) removes only themselves; the registration stays */
    int me = my_advisor(r, &m);
    int self_only = !f.owned && me >= 0;
    if (ok && self_only) {
      ok = registration_remove_advisor(r->db, id, m.advisors[me].id) == 0;
      /* the state after, for the audit: the advisors without the user's */
      struct buf left = {0};
      char *copy, **items;
      int n = list_split(val(&f, R_ADVISORS), &copy, &items);
      for (int i = 0; i < n; i++)
        if (strcmp(items[i], m.advisors[me].code)) buf_printf(&left, "%s%s", left.len ? "|" : "", items[i]);
      free(copy);
      free(items);
      set(&f, R_ADVISORS, buf_str(&left));
      buf_free(&left);
      audit_json(&m, &f, &after);
      if (ok)
        ok = audit_write(r->db, r->now, r->user.login, "update", "registration", val(&f, R_ID),
                         buf_str(&before), buf_str(&after), NULL) == 0;
    }
    if (ok && !self_only) ok = registration_delete(r->db, id) == 0;
    if (ok && !self_only)
      ok = audit_write(r->db, r->now, r->user.login, "delete", "registration", val(&f, R_ID),
                       buf_str(&before), NULL, NULL) == 0;
    if (limited > 0) {
      db_rollback(r->db);
      resp->retry_after = (int)retry;
      page_error(r, resp, 429);
    } else if (ok && db_commit(r->db) == DB_OK) {
      struct buf loc = {0};
      buf_printf(&loc, "/week?datum=%s", val(&f, R_DATE));
      if (f.owner >= 0 && f.owner != my_advisor(r, &m)) {
        buf_puts(&loc, "&begeleider=");
        html_url(&loc, m.advisors[f.owner].code);
      }
      resp_redirect(resp, buf_str(&loc));
      buf_free(&loc);
    } else {
      db_rollback(r->db);
      page_error(r, resp, 500);
    }
    buf_free(&before);
    buf_free(&after);
  }
  form_free(&f);
  model_free(&m);
}
