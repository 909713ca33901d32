/* SPDX-License-Identifier: EUPL-1.2 */
/* Registreren: a new registration in a few seconds. Defaults: today, the user's own
   advisor, the line and modality of their last registration; "herhaal" (duplicate)
   copies every field of a registration of the user's own to today; a favourite (a
   named template, domain/favourite.h) fills the form in one tap; GET fields datum, duur,
   begin and einde prefill it (the timer and the week grid link here). Durations as
   people type them (core/duration.h). The rules are those of src/domain/registration.c
   (the same as the dataset import); every problem appears at once, in a summary at the
   top that links to each field and beside the field, and the form keeps what was typed.
   A saved registration is named on the confirmation with "Ongedaan maken" for
   UNDO_SECONDS; delete asks for confirmation on a page of its own. Each saved or deleted
   registration writes one audit entry. docs/DAY-form.md. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/buf.h"
#include "core/dates.h"
#include "core/duration.h"
#include "core/lists.h"
#include "core/numbers.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/access.h"
#include "domain/audit.h"
#include "domain/bounds.h"
#include "domain/favourite.h"
#include "domain/model.h"
#include "domain/registration.h"
#include "domain/trajectory.h"
#include "domain/write_rate.h"
#include "io/impact.h"
#include "measures/indicators.h"
#include "render/html.h"
#include "web/pages/pages.h"

#define MAX_COLS (N_REG_BASE + 64)
#define UNDO_SECONDS 300 /* how long "Ongedaan maken" is offered after a save */
/* problems on the optional begin and end times (not columns of a registration) */
#define COL_BEGIN (-10)
#define COL_END (-11)

struct form {
  char *v[MAX_COLS]; /* canonical values, as registrations.csv */
  int ncols;
  struct reg_problems problems;
  char *own[REG_MAX_PROBLEMS]; /* the form's own text of problem k (NULL: the domain's) */
  char duration[32];           /* as typed */
  char begin[16], end[16];     /* as typed (HH:MM) */
  char co[512];                /* co-advisor codes, '|' separated */
  char mech[512];              /* EEF mechanisms used, '|' separated (docs/IMPACT.md) */
  char *institutions;          /* as typed */
  char retry_after[24];        /* seconds, when the session's write rate is over its limit */
  int owned;                   /* the user owns it (domain/access.h), not only a co-advisor */
  int owner;                   /* advisor index the co-advisors are relative to: the user's own, or when a
                                  coordinator edits a team member's registration, that member */
};

static void form_free(struct form *f) {
  for (int i = 0; i < f->ncols; i++) free(f->v[i]);
  for (int k = 0; k < REG_MAX_PROBLEMS; k++) free(f->own[k]);
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

/* A problem in the form's own words (a duration, a time, an ambiguous name). */
static void add_own(struct form *f, int col, const char *text) {
  if (f->problems.n == REG_MAX_PROBLEMS) return;
  add_problem(f, col, RP_SAVE_FAILED, NULL);
  free(f->own[f->problems.n - 1]);
  f->own[f->problems.n - 1] = xstrdup(text);
}

static void problem_text(const struct request *r, const struct form *f, int k, char *out, size_t n) {
  if (f->own[k])
    snprintf(out, n, "%s", f->own[k]);
  else
    reg_problem_text(&f->problems.p[k], r->lang, out, n);
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
    problem_text(r, f, k, msg, sizeof msg);
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

/* aria-invalid and aria-describedby (the field's hint, then its message). */
static void described_hint(struct buf *b, const struct form *f, int col, const char *id, const char *hint) {
  int err = has_error(f, col);
  if (err) html_raw(b, " aria-invalid=\"true\"");
  if (!err && !hint) return;
  html_raw(b, " aria-describedby=\"");
  if (hint) html_attr(b, hint);
  if (err) {
    if (hint) html_raw(b, " ");
    html_attr(b, id);
    html_raw(b, "-error");
  }
  html_raw(b, "\"");
}

static void described(struct buf *b, const struct form *f, int col, const char *id) {
  described_hint(b, f, col, id, NULL);
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

static int my_advisor(const struct request *r, const struct model *m) {
  return r->user.advisor_id > 0 && r->user.advisor_id <= m->max_advisor_id
             ? m->advisor_of_id[r->user.advisor_id]
             : -1;
}

/* The institutions of a stored registration (numbers, '|') as typed on the form: their
   codes, in the order of their numbers, joined by ", ". */
static char *institutions_as_codes(const struct model *m, const char *numbers) {
  struct buf b = {0};
  char *copy, **items;
  int n = list_split(numbers ? numbers : "", &copy, &items);
  for (int i = 0; i < n; i++) {
    int64_t k;
    const char *code = strmap_get(&m->inst_by_number, items[i], &k) ? m->institutions[k].code : items[i];
    buf_printf(&b, "%s%s", b.len ? ", " : "", code);
  }
  free(copy);
  free(items);
  char *s = xstrdup(buf_str(&b));
  buf_free(&b);
  return s;
}

static int ci_equal(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a, y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
    if (x != y) return 0;
  }
  return !*a && !*b;
}

/* Whether needle occurs in hay, ignoring ASCII case. */
static int ci_contains(const char *hay, const char *needle) {
  size_t n = strlen(needle);
  for (const char *p = hay; *p; p++) {
    size_t i = 0;
    while (i < n && p[i]) {
      char x = p[i] >= 'A' && p[i] <= 'Z' ? (char)(p[i] + 32) : p[i];
      char y = needle[i] >= 'A' && needle[i] <= 'Z' ? (char)(needle[i] + 32) : needle[i];
      if (x != y) break;
      i++;
    }
    if (i == n) return 1;
  }
  return 0;
}

/* One institution as typed: a code or number (any case), else a unique name (whole or a
   part of it, ignoring case) or code prefix among the active institutions. Returns the
   model index, -1 when none matches, -2 when several do (*first, *second: two of them). */
static int find_institution(const struct model *m, const char *t, int *first, int *second) {
  int64_t k;
  if (strmap_get(&m->inst_by_code, t, &k) || strmap_get(&m->inst_by_number, t, &k)) return (int)k;
  for (size_t i = 0; i < m->n_institutions; i++)
    if (ci_equal(m->institutions[i].code, t) || ci_equal(m->institutions[i].name, t)) return (int)i;
  int found = -1;
  *first = *second = -1;
  for (size_t i = 0; i < m->n_institutions; i++) {
    const struct institution *in = &m->institutions[i];
    if (!in->active) continue;
    size_t tl = strlen(t);
    int code_prefix = !strncasecmp(in->code, t, tl);
    if (!code_prefix && !ci_contains(in->name, t)) continue;
    if (found >= 0) {
      *first = found;
      *second = (int)i;
      return -2;
    }
    found = (int)i;
  }
  return found;
}

/* The institutions field as typed (codes, numbers or names, separated by commas or
   semicolons; codes and numbers also by spaces) to the '|' list of codes and numbers the
   domain resolves; a name that fits several institutions is a problem of its own. */
static void resolve_institutions(const struct request *r, const struct model *m, struct form *f,
                                 const char *in) {
  struct buf list = {0};
  for (const char *p = in ? in : ""; *p;) {
    while (*p == ',' || *p == ';' || *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') p++;
    const char *e = p;
    while (*e && *e != ',' && *e != ';' && *e != '\n') e++;
    const char *te = e;
    while (te > p && (te[-1] == ' ' || te[-1] == '\t' || te[-1] == '\r')) te--;
    if (te > p) {
      char *t = xmalloc((size_t)(te - p) + 1);
      memcpy(t, p, (size_t)(te - p));
      t[te - p] = 0;
      int a = -1, b2 = -1;
      int k = find_institution(m, t, &a, &b2);
      if (k >= 0) {
        buf_printf(&list, "%s%s", list.len ? "|" : "", m->institutions[k].code);
      } else {
        /* "SAA SAB": several codes or numbers separated by spaces */
        char *copy = xstrdup(t), *save = NULL;
        struct buf parts = {0};
        int all = 1, nparts = 0;
        for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save), nparts++) {
          int64_t x;
          if (strmap_get(&m->inst_by_code, w, &x) || strmap_get(&m->inst_by_number, w, &x))
            buf_printf(&parts, "%s%s", parts.len ? "|" : "", w);
          else
            all = 0;
        }
        if (all && nparts > 1) {
          buf_printf(&list, "%s%s", list.len ? "|" : "", buf_str(&parts));
        } else if (k == -2) {
          char msg[600];
          snprintf(msg, sizeof msg, "\"%s\" %s %s, %s … %s", t, T(r, W_reg_inst_ambiguous),
                   m->institutions[a].name, m->institutions[b2].name, T(r, W_reg_inst_ambiguous_fix));
          add_own(f, R_INSTITUTIONS, msg);
        } else {
          buf_printf(&list, "%s%s", list.len ? "|" : "", t); /* unknown: the domain says so */
        }
        buf_free(&parts);
        free(copy);
      }
      free(t);
    }
    p = e;
  }
  set(f, R_INSTITUTIONS, buf_str(&list));
  buf_free(&list);
}

static int is_form_field(const char *key) {
  static const char *const keys[] = {"kind",     "duration",   "line",  "goal",     "description",
                                     "modality", "trajectory", "level", "followup", "institutions",
                                     "activity", "co",         "mech",  NULL};
  for (int i = 0; keys[i]; i++)
    if (!strcmp(key, keys[i])) return 1;
  return !strncmp(key, "tg-", 3);
}

/* The fields of the form from name/value pairs (a POST body, or a favourite): kind, the
   plain columns, the duration, times, institutions and co-advisors as typed, counts and
   mechanisms. Only the kind's own fields are read. */
static void read_fields(const struct model *m, struct form *f, const struct kv *kv, int n) {
  const char *kind = NULL;
  for (int i = 0; i < n; i++)
    if (!strcmp(kv[i].key, "kind")) kind = kv[i].value;
  set(f, R_KIND, kind && !strcmp(kind, "internal") ? "internal" : "client");
  int client = !strcmp(val(f, R_KIND), "client");
  f->co[0] = 0;
  f->mech[0] = 0;
  set(f, R_FOLLOWUP, client ? "false" : "");
  for (int i = 0; i < n; i++) {
    const char *k = kv[i].key, *v = kv[i].value;
    if (!strcmp(k, "date"))
      set(f, R_DATE, v);
    else if (!strcmp(k, "line"))
      set(f, R_LINE, v);
    else if (!strcmp(k, "goal"))
      set(f, R_GOAL, v);
    else if (!strcmp(k, "description"))
      set(f, R_DESCRIPTION, v);
    else if (!strcmp(k, "duration"))
      snprintf(f->duration, sizeof f->duration, "%s", v);
    else if (!strcmp(k, "begin"))
      snprintf(f->begin, sizeof f->begin, "%s", v);
    else if (!strcmp(k, "einde"))
      snprintf(f->end, sizeof f->end, "%s", v);
    else if (!strcmp(k, "mech")) {
      if (parse_mechanism(v) < 0 || in_list(f->mech, v)) continue;
      size_t len = strlen(f->mech);
      if (len + strlen(v) + 2 < sizeof f->mech)
        snprintf(f->mech + len, sizeof f->mech - len, "%s%s", len ? "|" : "", v);
    } else if (!strcmp(k, "co")) {
      if (!*v || in_list(f->co, v)) continue;
      size_t len = strlen(f->co);
      if (len + strlen(v) + 2 < sizeof f->co)
        snprintf(f->co + len, sizeof f->co - len, "%s%s", len ? "|" : "", v);
    } else if (!client) {
      if (!strcmp(k, "activity")) set(f, R_ACTIVITY, v);
    } else if (!strcmp(k, "modality"))
      set(f, R_MODALITY, v);
    else if (!strcmp(k, "trajectory"))
      set(f, R_TRAJECTORY, v);
    else if (!strcmp(k, "level"))
      set(f, R_LEVEL, v);
    else if (!strcmp(k, "followup"))
      set(f, R_FOLLOWUP, "true");
    else if (!strcmp(k, "institutions")) {
      free(f->institutions);
      f->institutions = xstrdup(v);
    } else if (!strncmp(k, "tg-", 3)) {
      for (size_t g = 0; g < m->n_target_groups; g++)
        if (!strcmp(k + 3, m->target_groups[g].code)) set(f, N_REG_BASE + (int)g, v);
    }
  }
}

/* Copies registration ext_id of the user's own (any one they are listed on) into f with
   every field (co-advisors: the other listed advisors; mechanisms; institutions as codes;
   duration as 1u30) and the date of today: "herhaal" / "dupliceer". 0, or -1 when it is
   not theirs. */
static int load_copy(const struct request *r, const struct model *m, struct form *f, const char *ext_id) {
  int64_t id = registration_of_advisor(r->db, r->user.advisor_id, ext_id);
  if (id <= 0 || registration_load(r->db, m, id, f->v) != 0) return -1;
  int me = my_advisor(r, m);
  char *copy, **items;
  int n = list_split(val(f, R_ADVISORS), &copy, &items);
  f->co[0] = 0;
  for (int i = 0; i < n; i++) {
    if (me >= 0 && !strcmp(items[i], m->advisors[me].code)) continue;
    size_t len = strlen(f->co);
    snprintf(f->co + len, sizeof f->co - len, "%s%s", len ? "|" : "", items[i]);
  }
  free(copy);
  free(items);
  free(f->institutions);
  f->institutions = institutions_as_codes(m, val(f, R_INSTITUTIONS));
  int64_t mins;
  if (parse_int64(val(f, R_MINUTES), &mins) == 0) duration_format(mins, f->duration, sizeof f->duration);
  registration_mechanisms(r->db, ext_id, f->mech, sizeof f->mech);
  char today[11];
  date_format(date_brussels((time_t)r->now), today);
  set(f, R_DATE, today);
  set(f, R_ID, "");
  return 0;
}

/* Fills the defaults: today, the user's advisor, the last line and modality used. */
static void defaults(const struct request *r, const struct model *m, struct form *f) {
  char today[11];
  date_format(date_brussels((time_t)r->now), today);
  set(f, R_DATE, today);
  set(f, R_KIND, "client");
  int64_t id = registration_latest_of(r->db, r->user.advisor_id);
  if (id <= 0) return;
  char **v = xcalloc((size_t)f->ncols, sizeof *v);
  if (registration_load(r->db, m, id, v) == 0) {
    set(f, R_LINE, v[R_LINE]);
    set(f, R_MODALITY, v[R_MODALITY]);
  }
  for (int i = 0; i < f->ncols; i++) free(v[i]);
  free(v);
}

/* Loads a registration the user may change (domain/access.h: their own, or as a
   coordinator one of a team member's) into f (date included; co-advisors = the listed
   advisors other than f->owner; duration as 1u30). Returns its internal id, or 0 when it
   does not exist or is not the user's to change: the per-object authorization of edit
   and delete. */
static int64_t load_own(const struct request *r, const struct model *m, struct form *f, const char *ext_id) {
  if (!ext_id) return 0;
  struct advisor_scope scope;
  if (user_scope(&r->user, m, ACCESS_WRITE, &scope) != 0) return 0;
  int64_t rid = registration_in_scope(r->db, &scope, ext_id);
  if (rid <= 0 || registration_load(r->db, m, rid, f->v) != 0) {
    advisor_scope_free(&scope);
    return 0;
  }
  set(f, R_ID, ext_id);
  int64_t mins;
  if (parse_int64(val(f, R_MINUTES), &mins) == 0)
    duration_format(mins, f->duration, sizeof f->duration);
  else
    snprintf(f->duration, sizeof f->duration, "%s", val(f, R_MINUTES));
  int64_t author = registration_author(r->db, rid);
  f->owned = author >= 0 && registration_owned(&scope, author);
  free(f->institutions);
  f->institutions = institutions_as_codes(m, val(f, R_INSTITUTIONS));
  /* the owner: the user's own advisor when listed, else the first listed advisor in
     scope (a coordinator editing a team member's registration) */
  struct buf co = {0};
  char *copy, **items;
  int owner = -1;
  int n = list_split(val(f, R_ADVISORS), &copy, &items);
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
  buf_free(&co);
  return rid;
}

/* What a registration is, in one line: "5 dec. 2026 · 1u30 · Pijler 1 · Fysiek · School
   BAA (BAA)" (internal time: the activity instead of modality and institutions). */
static void summary_line(const struct request *r, const struct model *m, char *const *v, struct buf *out) {
  int32_t d;
  char dt[32] = "";
  if (date_parse(v[R_DATE] ? v[R_DATE] : "", &d) == 0) fmt_date_text(r, d, dt, sizeof dt);
  int64_t mins = 0;
  char dur[32] = "";
  if (parse_int64(v[R_MINUTES] ? v[R_MINUTES] : "", &mins) == 0) duration_format(mins, dur, sizeof dur);
  buf_printf(out, "%s · %s", dt, dur);
  int64_t k;
  if (v[R_LINE] && strmap_get(&m->line_by_code, v[R_LINE], &k)) buf_printf(out, " · %s", m->lines[k].name);
  if (v[R_KIND] && !strcmp(v[R_KIND], "internal")) {
    for (int a = 0; a < N_ACTIVITIES; a++)
      if (v[R_ACTIVITY] && !strcmp(v[R_ACTIVITY], activity_names[a]))
        buf_printf(out, " · %s", T(r, activity_keys[a]));
    return;
  }
  for (int a = 0; a < N_MODALITIES; a++)
    if (v[R_MODALITY] && !strcmp(v[R_MODALITY], modality_names[a]))
      buf_printf(out, " · %s", T(r, modality_keys[a]));
  char *copy, **items;
  int n = list_split(v[R_INSTITUTIONS] ? v[R_INSTITUTIONS] : "", &copy, &items);
  for (int i = 0; i < n; i++) {
    if (strmap_get(&m->inst_by_number, items[i], &k))
      buf_printf(out, "%s%s (%s)", i ? ", " : " · ", m->institutions[k].name, m->institutions[k].code);
    else
      buf_printf(out, "%s%s", i ? ", " : " · ", items[i]);
  }
  free(copy);
  free(items);
}

/* The id of the field a problem's column belongs to, and its label ("" when the problem
   concerns the whole form). */
static void field_of(const struct request *r, const struct model *m, int col, char *id, size_t n,
                     const char **text) {
  static const struct {
    int col;
    const char *id;
    enum word w;
  } map[] = {{R_DATE, "date", W_date},
             {R_MINUTES, "duration", W_reg_duration},
             {R_LINE, "line", W_line},
             {R_GOAL, "goal", W_goal},
             {R_INSTITUTIONS, "institutions", W_institutions},
             {R_MODALITY, "modality", W_modality},
             {R_TRAJECTORY, "trajectory", W_trajectory},
             {R_LEVEL, "level", W_level},
             {R_FOLLOWUP, "followup", W_followup},
             {R_ACTIVITY, "activity", W_activity},
             {R_DESCRIPTION, "description", W_description},
             {R_ADVISORS, "co", W_co_advisors},
             {R_KIND, "kind-client", W_kind},
             {COL_BEGIN, "begin", W_reg_begin},
             {COL_END, "einde", W_reg_end}};
  id[0] = 0;
  *text = "";
  for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
    if (map[k].col == col) {
      snprintf(id, n, "%s", map[k].id);
      *text = T(r, map[k].w);
      return;
    }
  if (col >= N_REG_BASE && (size_t)(col - N_REG_BASE) < m->n_target_groups) {
    snprintf(id, n, "tg-%s", m->target_groups[col - N_REG_BASE].code);
    *text = m->target_groups[col - N_REG_BASE].name;
  }
}

/* Where a column's field comes on the form (the summary lists problems in that order). */
static int field_rank(int col) {
  static const int order[] = {R_ID,   R_KIND,         R_DATE,     R_MINUTES,    COL_BEGIN, COL_END,   R_LINE,
                              R_GOAL, R_INSTITUTIONS, R_MODALITY, R_TRAJECTORY, R_LEVEL,   R_FOLLOWUP};
  for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
    if (order[k] == col) return (int)k;
  if (col >= N_REG_BASE) return 100 + col;
  return col == R_ADVISORS ? 1000 : col == R_ACTIVITY ? 1001 : col == R_DESCRIPTION ? 1002 : 1003;
}

/* Every problem at once, at the top: each a link to its field; focused on load (script;
   tabindex=-1 so it can take focus, role=alert for screen readers without script). */
static void error_summary(const struct request *r, struct buf *b, const struct model *m,
                          const struct form *f) {
  if (!f->problems.n) return;
  html_raw(b, "<div class=\"error-summary\" id=\"error-summary\" tabindex=\"-1\" role=\"alert\" "
              "aria-labelledby=\"error-summary-title\"><h2 id=\"error-summary-title\">");
  html_text(b, T(r, W_reg_errors_title));
  html_raw(b, "</h2><ul>");
  /* in the order of the fields on the form (insertion sort: stable, at most 64) */
  int order[REG_MAX_PROBLEMS];
  for (int k = 0; k < f->problems.n; k++) {
    int j = k;
    while (j > 0 && field_rank(f->problems.p[order[j - 1]].col) > field_rank(f->problems.p[k].col)) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = k;
  }
  for (int o = 0; o < f->problems.n; o++) {
    int k = order[o];
    char id[160], msg[512];
    const char *name;
    field_of(r, m, f->problems.p[k].col, id, sizeof id, &name);
    problem_text(r, f, k, msg, sizeof msg);
    html_raw(b, "<li>");
    if (*id) {
      html_raw(b, "<a href=\"#");
      html_attr(b, id);
      html_raw(b, "\">");
      html_text(b, name);
      html_raw(b, ": ");
      html_text(b, msg);
      html_raw(b, "</a>");
    } else {
      html_text(b, msg);
    }
    html_raw(b, "</li>");
  }
  html_raw(b, "</ul></div>");
}

/* The form, with the values of f, the summary of its problems and each problem beside
   its field. */
static void render(struct request *r, struct response *resp, const struct model *m, const struct form *f,
                   int me, int edit) {
  struct buf *b = &resp->body;
  error_summary(r, b, m, f);
  html_raw_if(b, edit, "<form method=\"post\" action=\"/registratie\" class=\"register\" novalidate>",
              "<form method=\"post\" action=\"/registreren\" class=\"register\" novalidate>");
  csrf_field(r, resp);
  if (edit) {
    html_raw(b, "<input type=\"hidden\" name=\"id\" value=\"");
    html_attr(b, val(f, R_ID));
    html_raw(b, "\">");
  }
  field_errors(r, b, f, R_ID, "form");
  /* kind */
  html_raw(b, "<fieldset><legend>");
  html_text(b, T(r, W_kind));
  html_raw(b, "</legend>");
  static const struct {
    const char *value;
    enum word word;
  } kinds[] = {{"client", W_client}, {"internal", W_internal}};
  for (int k = 0; k < 2; k++) {
    html_raw(b, "<label class=\"inline\"><input type=\"radio\" name=\"kind\" id=\"kind-");
    html_attr(b, kinds[k].value);
    html_raw(b, "\" value=\"");
    html_attr(b, kinds[k].value);
    html_raw_if(b, strcmp(val(f, R_KIND), kinds[k].value), "\">", "\" checked>");
    html_text(b, T(r, kinds[k].word));
    html_raw(b, "</label>");
  }
  field_errors(r, b, f, R_KIND, "kind-client");
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
  label(r, b, "duration", W_reg_duration);
  /* a text keypad: 1u30, 1:30 and 1,5 need more than digits */
  html_raw(b, "<input id=\"duration\" name=\"duration\" inputmode=\"text\" autocomplete=\"off\" "
              "autocapitalize=\"off\" spellcheck=\"false\" required placeholder=\"1u30\" value=\"");
  html_attr(b, f->duration);
  html_raw(b, "\"");
  described_hint(b, f, R_MINUTES, "duration", "duration-hint");
  html_raw(b, "><p class=\"muted hint\" id=\"duration-hint\">");
  html_text(b, T(r, W_reg_duration_hint));
  html_raw(b, "</p>");
  field_errors(r, b, f, R_MINUTES, "duration");
  html_raw(b, "<div class=\"times\"><div>");
  label(r, b, "begin", W_reg_begin);
  html_raw(b, "<input type=\"time\" id=\"begin\" name=\"begin\" value=\"");
  html_attr(b, f->begin);
  html_raw(b, "\"");
  described(b, f, COL_BEGIN, "begin");
  html_raw(b, ">");
  field_errors(r, b, f, COL_BEGIN, "begin");
  html_raw(b, "</div><div>");
  label(r, b, "einde", W_reg_end);
  html_raw(b, "<input type=\"time\" id=\"einde\" name=\"einde\" value=\"");
  html_attr(b, f->end);
  html_raw(b, "\"");
  described(b, f, COL_END, "einde");
  html_raw(b, ">");
  field_errors(r, b, f, COL_END, "einde");
  html_raw(b, "</div></div></div>");
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
           "enterkeyhint=\"next\" placeholder=\"BAA, School BAB\" value=\"");
  html_attr(b, f->institutions ? f->institutions : val(f, R_INSTITUTIONS));
  html_raw(b, "\"");
  described_hint(b, f, R_INSTITUTIONS, "institutions", "institutions-hint");
  html_raw(b, "><datalist id=\"institution-list\">");
  for (size_t i = 0; i < m->n_institutions; i++) {
    if (!m->institutions[i].active) continue;
    char text[300];
    snprintf(text, sizeof text, "%s (%s)", m->institutions[i].name, m->institutions[i].number);
    option(b, m->institutions[i].code, text, 0);
  }
  html_raw(b, "</datalist><p class=\"muted hint\" id=\"institutions-hint\">");
  html_text(b, T(r, W_reg_institutions_hint));
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
  int32_t today = date_brussels((time_t)r->now);
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
  html_raw(b, "<select id=\"level\" name=\"level\"");
  described(b, f, R_LEVEL, "level");
  html_raw(b, "><option value=\"\">–</option>");
  option(b, "meso", "MESO", !strcmp(val(f, R_LEVEL), "meso"));
  option(b, "micro", "MICRO", !strcmp(val(f, R_LEVEL), "micro"));
  html_raw(b, "</select>");
  field_errors(r, b, f, R_LEVEL, "level");
  html_raw(b,
           "</div></div><label class=\"inline\"><input type=\"checkbox\" id=\"followup\" name=\"followup\" "
           "value=\"true\"");
  html_raw_if(b, !strcmp(val(f, R_FOLLOWUP), "true"), " checked>", ">");
  html_text(b, T(r, W_followup));
  html_raw(b, "</label>");
  field_errors(r, b, f, R_FOLLOWUP, "followup");
  mechanisms_fieldset(r, b, f->mech);
  /* head counts: the + button (script) sits beside its field, inside .stepper */
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
    html_raw(b,
             "</label><span class=\"stepper\"><input type=\"number\" min=\"0\" inputmode=\"numeric\" id=\"");
    html_attr(b, id);
    html_raw(b, "\" name=\"");
    html_attr(b, id);
    html_raw(b, "\" value=\"");
    html_attr(b, val(f, N_REG_BASE + (int)g));
    html_raw(b, "\"");
    described(b, f, N_REG_BASE + (int)g, id);
    html_raw(b, "></span>");
    field_errors(r, b, f, N_REG_BASE + (int)g, id);
    html_raw(b, "</div>");
  }
  html_raw(b, "</div></fieldset>");
  /* co-advisors: colleagues of the user's teams */
  html_raw(b, "<fieldset id=\"co\" tabindex=\"-1\"><legend>");
  html_text(b, T(r, W_co_advisors));
  html_raw(b, "</legend>");
  for (size_t a = 0; a < m->n_advisors; a++) {
    if ((int)a == me) continue;
    int colleague = 0;
    for (int k = 0; me >= 0 && k < m->advisors[me].n_teams; k++)
      for (int j = 0; j < m->advisors[a].n_teams; j++)
        colleague |= m->advisors[me].teams[k] == m->advisors[a].teams[j];
    if (!colleague && !in_list(f->co, m->advisors[a].code)) continue;
    html_raw(b, "<label class=\"inline\"><input type=\"checkbox\" name=\"co\" value=\"");
    html_attr(b, m->advisors[a].code);
    html_raw_if(b, in_list(f->co, m->advisors[a].code), "\" checked>", "\">");
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
  /* the registration's own submit button comes first: Enter in a field submits with it */
  html_raw(b, "</div><div class=\"actions\"><button type=\"submit\">");
  html_text(b, T(r, W_save));
  html_raw(b, "</button>");
  if (edit) {
    html_raw(b, "<a href=\"/registreren?herhaal=");
    html_url(b, val(f, R_ID));
    html_raw(b, "\">");
    html_text(b, T(r, W_reg_duplicate));
    html_raw(b, "</a><a class=\"danger-link\" href=\"/registratie/verwijder?id=");
    html_url(b, val(f, R_ID));
    html_raw(b, "\">");
    html_text(b, T(r, W_delete));
    html_raw(b, "</a></div>");
  } else {
    html_raw(b, "</div><details class=\"fav-save\"><summary>");
    html_text(b, T(r, W_reg_fav_save));
    html_raw(b, "</summary><p class=\"muted hint\">");
    html_text(b, T(r, W_reg_fav_none));
    html_raw(b, "</p><label for=\"favoriet_naam\">");
    html_text(b, T(r, W_reg_fav_name));
    html_raw(b, "</label><input id=\"favoriet_naam\" name=\"favoriet_naam\" maxlength=\"60\" "
                "autocomplete=\"off\"><button type=\"submit\" class=\"secondary\" id=\"fav-save\" "
                "formaction=\"/registreren/favoriet\" formnovalidate>");
    html_text(b, T(r, W_reg_fav_save));
    html_raw(b, "</button></details>");
  }
  html_raw(b, "</form>");
}

/* The user's favourites, above the form: each fills the form in one tap, each can be
   deleted (a form of its own: never the register form's default button). */
static void favourites(struct request *r, struct response *resp, const struct favourites *favs) {
  struct buf *b = &resp->body;
  if (!favs->n) return; /* how to make one: under "Bewaar als favoriet" on the form */
  html_raw(b, "<section class=\"favourites\" aria-labelledby=\"fav-title\"><h2 id=\"fav-title\">");
  html_text(b, T(r, W_reg_favourites));
  html_raw(b, "</h2><ul class=\"chips\">");
  for (size_t i = 0; i < favs->n; i++) {
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)favs->items[i].id);
    html_raw(b, "<li><a class=\"chip\" href=\"/registreren?favoriet=");
    html_url(b, id);
    html_raw(b, "\">");
    html_text(b, favs->items[i].name);
    html_raw(b, "</a><form method=\"post\" action=\"/registreren/favoriet/verwijder\">");
    csrf_field(r, resp);
    html_raw(b, "<input type=\"hidden\" name=\"favoriet_id\" value=\"");
    html_attr(b, id);
    html_raw(b, "\"><button type=\"submit\" class=\"chip-x\" aria-label=\"");
    html_attr(b, T(r, W_reg_fav_delete));
    html_raw(b, " ");
    html_attr(b, favs->items[i].name);
    html_raw(b, "\">×</button></form></li>");
  }
  html_raw(b, "</ul></section>");
}

/* Recent registrations of the user (10), each with its institutions and "herhaal". */
static void recent(struct request *r, struct response *resp) {
  struct buf *b = &resp->body;
  struct reg_briefs list;
  if (registration_briefs(r->db, r->user.advisor_id, NULL, NULL, 10, &list) != 0) return;
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
    duration_format(x->minutes, mins, sizeof mins);
    html_raw(b, "<li>");
    html_text(b, dt);
    html_raw(b, " · ");
    html_text(b, mins);
    html_raw(b, " · ");
    html_text(b, x->line_name);
    if (x->institutions && *x->institutions) {
      html_raw(b, " · ");
      html_text(b, x->institutions);
    }
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

/* A stored time 'YYYY-MM-DDTHH:MM:SSZ' as Unix seconds; -1 when it is not one. */
static int64_t stamp_seconds(const char *s) {
  char day[11];
  int32_t d;
  if (strlen(s) < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':') return -1;
  memcpy(day, s, 10);
  day[10] = 0;
  if (date_parse(day, &d) != 0) return -1;
  int64_t t = (int64_t)d * 86400;
  static const int at[3] = {11, 14, 17}, unit[3] = {3600, 60, 1};
  for (int k = 0; k < 3; k++) {
    char a = s[at[k]], b = s[at[k] + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return -1;
    t += (int64_t)((a - '0') * 10 + (b - '0')) * unit[k];
  }
  return t;
}

/* Seconds left to undo the creation of registration id (0: none left). */
static int64_t undo_left(const struct request *r, int64_t id) {
  char at[32];
  if (registration_created_at(r->db, id, at) != 0 || !at[0]) return 0;
  int64_t t = stamp_seconds(at);
  if (t < 0) return 0;
  int64_t left = t + UNDO_SECONDS - r->now;
  return left > 0 && left <= UNDO_SECONDS + 60 ? left : 0;
}

/* The confirmation of a save: what was saved, today's total, "Ongedaan maken" while the
   undo window lasts, edit and duplicate. */
static void saved_notice(struct request *r, struct response *resp, const struct model *m,
                         const char *ext_id) {
  struct buf *b = &resp->body;
  int64_t id = registration_of_advisor(r->db, r->user.advisor_id, ext_id);
  if (id <= 0) return;
  char **v = xcalloc((size_t)(N_REG_BASE + m->n_target_groups), sizeof *v);
  if (registration_load(r->db, m, id, v) == 0) {
    int64_t reg[1], klv[1];
    int32_t today = date_brussels((time_t)r->now);
    char tot[48] = "";
    if (advisor_minutes_per_day(r->db, r->user.advisor_id, today, 1, reg, klv) == 0)
      duration_format(reg[0], tot, sizeof tot);
    struct buf line = {0};
    summary_line(r, m, v, &line);
    html_raw(b, "<div class=\"saved\" role=\"status\" id=\"saved\"><p><strong>");
    html_text(b, T(r, W_saved));
    html_raw(b, "</strong> ");
    html_text(b, buf_str(&line));
    html_raw(b, "</p><p>");
    html_text(b, T(r, W_today_total));
    html_raw(b, ": ");
    html_text(b, tot);
    html_raw(b, "</p><div class=\"saved-actions\">");
    int64_t left = undo_left(r, id);
    if (left > 0) {
      char secs[24];
      snprintf(secs, sizeof secs, "%lld", (long long)left);
      html_raw(b, "<form method=\"post\" action=\"/registratie/ongedaan\" class=\"undo\" data-seconds=\"");
      html_attr(b, secs);
      html_raw(b, "\">");
      csrf_field(r, resp);
      html_raw(b, "<input type=\"hidden\" name=\"id\" value=\"");
      html_attr(b, ext_id);
      html_raw(b, "\"><button type=\"submit\" class=\"secondary\">");
      html_text(b, T(r, W_reg_undo));
      html_raw(b, "</button> <span class=\"muted\">");
      html_text(b, T(r, W_reg_undo_window));
      html_raw(b, "</span></form>");
    }
    html_raw(b, "<a href=\"/registratie?id=");
    html_url(b, ext_id);
    html_raw(b, "\">");
    html_text(b, T(r, W_edit_registration));
    html_raw(b, "</a><a href=\"/registreren?herhaal=");
    html_url(b, ext_id);
    html_raw(b, "\">");
    html_text(b, T(r, W_reg_duplicate));
    html_raw(b, "</a></div></div>");
    buf_free(&line);
  }
  for (int i = 0; i < N_REG_BASE + (int)m->n_target_groups; i++) free(v[i]);
  free(v);
}

static void notice(struct buf *b, const char *cls, const char *text) {
  html_raw(b, "<p class=\"");
  html_attr(b, cls);
  html_raw(b, "\" role=\"status\">");
  html_text(b, text);
  html_raw(b, "</p>");
}

/* The GET fields of the prefill contract (datum, duur, begin, einde): the timer and the
   week grid link here. A date or time that is not one is ignored; begin and end fill
   the duration when it is not given. */
static void prefill(const struct request *r, struct form *f) {
  const char *datum = req_query(r, "datum"), *duur = req_query(r, "duur");
  const char *begin = req_query(r, "begin"), *einde = req_query(r, "einde");
  int32_t d;
  if (datum && date_parse(datum, &d) == 0) set(f, R_DATE, datum);
  int64_t mins;
  if (duur && *duur) {
    if (duration_parse(duur, 1, BOUND_MINUTES_MAX, &mins) == DURATION_OK)
      duration_format(mins, f->duration, sizeof f->duration);
    else
      snprintf(f->duration, sizeof f->duration, "%s", duur);
  }
  int b0, e0;
  if (begin && clock_parse(begin, &b0) == 0)
    snprintf(f->begin, sizeof f->begin, "%02d:%02d", (b0 / 60) % 24, b0 % 60);
  if (einde && clock_parse(einde, &e0) == 0)
    snprintf(f->end, sizeof f->end, "%02d:%02d", (e0 / 60) % 24, e0 % 60);
  if (!(duur && *duur) && f->begin[0] && f->end[0] && clock_parse(f->begin, &b0) == 0 &&
      clock_parse(f->end, &e0) == 0 && e0 > b0)
    duration_format(e0 - b0, f->duration, sizeof f->duration);
}

/* A favourite's fields into f (the date stays); its name into name. 0, or -1 when it is
   not the user's. */
static int load_favourite(const struct request *r, const struct model *m, struct form *f, const char *id,
                          char *name, size_t name_len) {
  struct favourites favs;
  int64_t want;
  if (!id || parse_int64(id, &want) != 0 || favourite_list(r->db, r->user.advisor_id, &favs) != 0) return -1;
  int rc = -1;
  for (size_t i = 0; i < favs.n && rc; i++) {
    if (favs.items[i].id != want) continue;
    struct kv *kv = NULL;
    int n = parse_urlencoded(favs.items[i].fields, strlen(favs.items[i].fields), &kv);
    if (n < 0) continue;
    char date[16];
    snprintf(date, sizeof date, "%s", val(f, R_DATE));
    read_fields(m, f, kv, n);
    set(f, R_DATE, date);
    int64_t mins;
    if (duration_parse(f->duration, 1, BOUND_MINUTES_MAX, &mins) == DURATION_OK)
      duration_format(mins, f->duration, sizeof f->duration);
    kv_free(kv, n);
    snprintf(name, name_len, "%s", favs.items[i].name);
    rc = 0;
  }
  favourites_free(&favs);
  return rc;
}

void page_register_get(struct request *r, struct response *resp) {
  struct model m;
  char err[256];
  if (model_load(r->db, &m, err, sizeof err) != 0) {
    page_error(r, resp, 500);
    return;
  }
  page_begin(r, resp, T(r, W_nav_register));
  struct buf *b = &resp->body;
  int me = my_advisor(r, &m);
  if (me < 0) {
    html_raw(b, "<p>");
    html_text(b, T(r, W_no_advisor));
    html_raw(b, "</p>");
    page_end(r, resp);
    model_free(&m);
    return;
  }
  const char *saved = req_query(r, "opgeslagen");
  if (saved) saved_notice(r, resp, &m, saved);
  if (req_query(r, "ongedaan")) notice(b, "saved", T(r, W_reg_undone));
  if (req_query(r, "favoriet_weg")) notice(b, "saved", T(r, W_reg_fav_deleted));
  struct form f = {.ncols = N_REG_BASE + (int)m.n_target_groups};
  for (int c = 0; c < f.ncols; c++) set(&f, c, "");
  defaults(r, &m, &f);
  const char *repeat = req_query(r, "herhaal");
  if (repeat) {
    if (load_copy(r, &m, &f, repeat) == 0) {
      notice(b, "note", T(r, W_reg_copied));
    } else {
      for (int c = 0; c < f.ncols; c++) set(&f, c, "");
      defaults(r, &m, &f);
    }
  }
  char favname[FAVOURITE_NAME_MAX * 4 + 1];
  if (req_query(r, "favoriet") &&
      load_favourite(r, &m, &f, req_query(r, "favoriet"), favname, sizeof favname) == 0) {
    struct buf t = {0};
    buf_printf(&t, "%s %s", T(r, req_query(r, "nieuw") ? W_reg_fav_saved : W_reg_fav_applied), favname);
    notice(b, "note", buf_str(&t));
    buf_free(&t);
  }
  prefill(r, &f);
  struct favourites favs;
  if (favourite_list(r->db, r->user.advisor_id, &favs) == 0) {
    favourites(r, resp, &favs);
    favourites_free(&favs);
  }
  render(r, resp, &m, &f, me, 0);
  form_free(&f);
  recent(r, resp);
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

/* The duration as typed and the optional begin and end times into R_MINUTES, with the
   form's own problems (naming the field and the value). */
static void read_duration(const struct request *r, struct form *f) {
  char msg[400];
  int64_t minutes = 0;
  int have = 0;
  if (bounds_text(f->duration, BOUND_CODE_MAX, 0, NULL) != TEXT_OK) {
    f->duration[0] = 0;
    add_problem(f, R_MINUTES, RP_MINUTES_RANGE, "?");
    return;
  }
  enum duration_result dr = duration_parse(f->duration, 1, BOUND_MINUTES_MAX, &minutes);
  if (dr == DURATION_OK) {
    have = 1;
  } else if (dr != DURATION_EMPTY) {
    snprintf(msg, sizeof msg, "\"%s\" %s", f->duration,
             T(r, dr == DURATION_RANGE ? W_reg_dur_range : W_reg_dur_syntax));
    add_own(f, R_MINUTES, msg);
  }
  int b0 = -1, e0 = -1;
  if (f->begin[0] && clock_parse(f->begin, &b0) != 0) {
    snprintf(msg, sizeof msg, "\"%s\" %s", f->begin, T(r, W_reg_time_syntax));
    add_own(f, COL_BEGIN, msg);
    b0 = -1;
  }
  if (f->end[0] && clock_parse(f->end, &e0) != 0) {
    snprintf(msg, sizeof msg, "\"%s\" %s", f->end, T(r, W_reg_time_syntax));
    add_own(f, COL_END, msg);
    e0 = -1;
  }
  if (b0 >= 0 && e0 >= 0) {
    if (e0 <= b0) {
      add_own(f, COL_END, T(r, W_reg_end_before_begin));
    } else if (dr == DURATION_EMPTY) {
      minutes = e0 - b0;
      have = 1;
      duration_format(minutes, f->duration, sizeof f->duration);
    } else if (have && minutes != e0 - b0) {
      char calc[32];
      duration_format(e0 - b0, calc, sizeof calc);
      snprintf(msg, sizeof msg, "\"%s\" %s %s", f->duration, T(r, W_reg_dur_mismatch), calc);
      add_own(f, R_MINUTES, msg);
    }
  } else if ((b0 >= 0) != (e0 >= 0) && dr == DURATION_EMPTY && !has_error(f, COL_BEGIN) &&
             !has_error(f, COL_END)) {
    add_own(f, b0 >= 0 ? COL_END : COL_BEGIN, T(r, W_reg_time_both));
  }
  if (have) {
    char mm[24];
    snprintf(mm, sizeof mm, "%lld", (long long)minutes);
    set(f, R_MINUTES, mm);
  }
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
      buf_free(&before);
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
  read_fields(&m, &f, r->form, r->nform);
  if (!strcmp(val(&f, R_KIND), "client")) {
    resolve_institutions(r, &m, &f, f.institutions);
    if (!f.institutions) f.institutions = xstrdup("");
    for (size_t g = 0; g < m.n_target_groups; g++) {
      const char *cnt = val(&f, N_REG_BASE + (int)g);
      int64_t n;
      if (*cnt && bounds_text(cnt, BOUND_CODE_MAX, 0, NULL) != TEXT_OK) {
        add_problem(&f, N_REG_BASE + (int)g, RP_COUNT_NOT_INTEGER, "?");
        set(&f, N_REG_BASE + (int)g, "");
      } else if (*cnt && parse_int64(cnt, &n) != 0) {
        add_problem(&f, N_REG_BASE + (int)g, RP_COUNT_NOT_INTEGER, cnt);
      }
    }
  }
  /* the advisors: the owner and every co-advisor ticked */
  struct buf advs = {0};
  buf_puts(&advs, m.advisors[owner].code);
  if (f.co[0]) buf_printf(&advs, "|%s", f.co);
  set(&f, R_ADVISORS, buf_str(&advs));
  buf_free(&advs);
  int32_t day = NO_DATE; /* the date's problems come from registration_check */
  date_parse(val(&f, R_DATE), &day);
  read_duration(r, &f);
  /* every problem at once: the form's own (duration, times, counts, names), the rules,
     and the locked school year (also when other fields are wrong) */
  struct reg_check c;
  registration_canonicalize(&m, f.v, &f.problems);
  registration_check(&m, f.v, &c);
  /* a field the form judged already (duration, counts, institutions) is not judged twice */
  int own = f.problems.n;
  for (int k = 0; k < c.problems.n && f.problems.n < REG_MAX_PROBLEMS; k++) {
    int dup = 0;
    for (int j = 0; j < own; j++) dup |= f.problems.p[j].col == c.problems.p[k].col;
    if (!dup) f.problems.p[f.problems.n++] = c.problems.p[k];
  }
  int locked_year = day != NO_DATE && model_year_locked(&m, school_year_of(day)) ? school_year_of(day)
                    : old_day != NO_DATE && model_year_locked(&m, school_year_of(old_day))
                        ? school_year_of(old_day)
                        : -1;
  if (locked_year >= 0) {
    char ys[10];
    school_year_format(locked_year, ys);
    add_problem(&f, R_DATE, RP_YEAR_LOCKED, ys);
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
      buf_puts(&loc, "/registreren?opgeslagen=");
      html_url(&loc, val(&f, R_ID));
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

/* Deletes registration id (loaded into f by load_own) with its audit entry, or, for a
   co-advisor who does not own it, takes only their own advisor off it. Returns 0, or
   the HTTP status of the refusal (403, 409 locked year, 429 with *retry, 500). */
static int remove_registration(struct request *r, const struct model *m, struct form *f, int64_t id,
                               int64_t *retry) {
  int32_t day = NO_DATE;
  date_parse(val(f, R_DATE), &day);
  int me = my_advisor(r, m);
  /* who does not own it may only take their own advisor off it: they must be listed */
  int me_listed = 0;
  if (!f->owned && me >= 0) me_listed = in_list(val(f, R_ADVISORS), m->advisors[me].code);
  if (!f->owned && !me_listed) return 403;
  if (day != NO_DATE && model_year_locked(m, school_year_of(day))) return 409;
  struct buf before = {0}, after = {0};
  audit_json(m, f, &before);
  int ok = db_begin_write_registrations(r->db) == DB_OK;
  int began = ok;
  int limited = ok ? write_rate_hit(r->db, "session", r->session_cookie, r->now, retry) : 0;
  ok = ok && limited == 0;
  /* a co-advisor (domain/access.h) removes only themselves; the registration stays */
  int self_only = !f->owned && me >= 0;
  if (ok && self_only) {
    ok = registration_remove_advisor(r->db, id, m->advisors[me].id) == 0;
    struct buf left = {0};
    char *copy, **items;
    int n = list_split(val(f, R_ADVISORS), &copy, &items);
    for (int i = 0; i < n; i++)
      if (strcmp(items[i], m->advisors[me].code)) buf_printf(&left, "%s%s", left.len ? "|" : "", items[i]);
    free(copy);
    free(items);
    set(f, R_ADVISORS, buf_str(&left));
    buf_free(&left);
    audit_json(m, f, &after);
    if (ok)
      ok = audit_write(r->db, r->now, r->user.login, "update", "registration", val(f, R_ID), buf_str(&before),
                       buf_str(&after), NULL) == 0;
  }
  if (ok && !self_only) ok = registration_delete(r->db, id) == 0;
  if (ok && !self_only)
    ok = audit_write(r->db, r->now, r->user.login, "delete", "registration", val(f, R_ID), buf_str(&before),
                     NULL, NULL) == 0;
  int status = 0;
  if (limited > 0) {
    db_rollback(r->db);
    status = 429;
  } else if (!(ok && db_commit(r->db) == DB_OK)) {
    if (began) db_rollback(r->db);
    status = 500;
  }
  buf_free(&before);
  buf_free(&after);
  return status;
}

/* Deletes one of the user's own registrations, outside locked years, with its audit
   entry (the confirmed step of GET /registratie/verwijder). */
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
  int64_t retry = 0;
  int status = id ? remove_registration(r, &m, &f, id, &retry) : 403;
  if (status == 0) {
    struct buf loc = {0};
    buf_printf(&loc, "/week?datum=%s", val(&f, R_DATE));
    if (f.owner >= 0 && f.owner != my_advisor(r, &m)) {
      buf_puts(&loc, "&begeleider=");
      html_url(&loc, m.advisors[f.owner].code);
    }
    resp_redirect(resp, buf_str(&loc));
    buf_free(&loc);
  } else {
    if (status == 429) resp->retry_after = (int)retry;
    page_error(r, resp, status);
  }
  form_free(&f);
  model_free(&m);
}

/* GET /registratie/verwijder?id=: the second step of a delete: what will be deleted,
   "Ja, verwijder" and "Annuleer". Nothing changes on a GET. */
void page_registration_delete_confirm(struct request *r, struct response *resp) {
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
  page_begin(r, resp, T(r, W_reg_delete_title));
  struct buf *b = &resp->body;
  struct buf line = {0};
  summary_line(r, &m, f.v, &line);
  html_raw(b, "<p class=\"record-line\"><strong>");
  html_text(b, buf_str(&line));
  html_raw(b, "</strong></p><p>");
  html_text(b, T(r, f.owned ? W_reg_delete_text : W_reg_delete_self_text));
  html_raw(b, "</p><form method=\"post\" action=\"/registratie/verwijder\" class=\"delete\">");
  csrf_field(r, resp);
  html_raw(b, "<input type=\"hidden\" name=\"id\" value=\"");
  html_attr(b, val(&f, R_ID));
  html_raw(b, "\"><button type=\"submit\" class=\"danger\">");
  html_text(b, T(r, W_reg_delete_yes));
  html_raw(b, "</button> <a href=\"/registratie?id=");
  html_url(b, val(&f, R_ID));
  html_raw(b, "\">");
  html_text(b, T(r, W_reg_cancel));
  html_raw(b, "</a></form>");
  buf_free(&line);
  page_end(r, resp);
  form_free(&f);
  model_free(&m);
}

/* POST /registratie/ongedaan: undoes the creation of a registration of the user's own
   within UNDO_SECONDS of its save (the same delete, lock rule and audit entry). */
void page_registration_undo(struct request *r, struct response *resp) {
  struct model m;
  char err[256];
  if (model_load(r->db, &m, err, sizeof err) != 0) {
    page_error(r, resp, 500);
    return;
  }
  struct form f = {.ncols = N_REG_BASE + (int)m.n_target_groups};
  for (int c = 0; c < f.ncols; c++) set(&f, c, "");
  int64_t id = load_own(r, &m, &f, req_form(r, "id"));
  if (!id || !f.owned) {
    page_error(r, resp, 403);
  } else if (undo_left(r, id) <= 0) {
    resp->status = 409;
    page_begin(r, resp, T(r, W_reg_undo));
    notice(&resp->body, "note", T(r, W_reg_undo_too_late));
    html_raw(&resp->body, "<p><a href=\"/registratie?id=");
    html_url(&resp->body, val(&f, R_ID));
    html_raw(&resp->body, "\">");
    html_text(&resp->body, T(r, W_edit_registration));
    html_raw(&resp->body, "</a></p>");
    page_end(r, resp);
  } else {
    int64_t retry = 0;
    int status = remove_registration(r, &m, &f, id, &retry);
    if (status == 0) {
      resp_redirect(resp, "/registreren?ongedaan=1");
    } else {
      if (status == 429) resp->retry_after = (int)retry;
      page_error(r, resp, status);
    }
  }
  form_free(&f);
  model_free(&m);
}

/* POST /registreren/favoriet: the form's fields (never its date or times) as a favourite
   named favoriet_naam; then the form filled from it, on the date that was typed. */
void page_register_favourite_save(struct request *r, struct response *resp) {
  struct model m;
  char err[256];
  if (model_load(r->db, &m, err, sizeof err) != 0) {
    page_error(r, resp, 500);
    return;
  }
  if (my_advisor(r, &m) < 0) {
    model_free(&m);
    page_error(r, resp, 403);
    return;
  }
  struct buf fields = {0};
  for (int i = 0; i < r->nform; i++) {
    if (!is_form_field(r->form[i].key) || !*r->form[i].value) continue;
    if (fields.len) buf_putc(&fields, '&');
    html_url(&fields, r->form[i].key);
    buf_putc(&fields, '=');
    html_url(&fields, r->form[i].value);
  }
  const char *name = req_form(r, "favoriet_naam");
  enum favourite_result res =
      favourite_save(r->db, r->user.advisor_id, name ? name : "", buf_str(&fields), r->user.login, r->now);
  buf_free(&fields);
  int64_t id = 0;
  struct favourites favs;
  if (res == FAV_OK && favourite_list(r->db, r->user.advisor_id, &favs) == 0) {
    const char *n = name;
    while (*n == ' ') n++;
    for (size_t i = 0; i < favs.n; i++)
      if (!strcmp(favs.items[i].name, n)) id = favs.items[i].id;
    favourites_free(&favs);
  }
  if (res == FAV_OK && id > 0) {
    struct buf loc = {0};
    buf_printf(&loc, "/registreren?favoriet=%lld&nieuw=1", (long long)id);
    int32_t d;
    const char *date = req_form(r, "date");
    if (date && date_parse(date, &d) == 0) buf_printf(&loc, "&datum=%s", date);
    resp_redirect(resp, buf_str(&loc));
    buf_free(&loc);
  } else {
    /* the form as typed, with the reason above it */
    resp->status = res == FAV_FAILED ? 500 : 422;
    page_begin(r, resp, T(r, W_nav_register));
    enum word why = res == FAV_NAME_EMPTY      ? W_reg_fav_name_empty
                    : res == FAV_NAME_TOO_LONG ? W_reg_fav_name_long
                    : res == FAV_TOO_MANY      ? W_reg_fav_too_many
                                               : W_reg_fav_failed;
    html_raw(&resp->body, "<p class=\"error\" role=\"alert\">");
    html_text(&resp->body, T(r, why));
    html_raw(&resp->body, "</p>");
    struct form f = {.ncols = N_REG_BASE + (int)m.n_target_groups};
    for (int c = 0; c < f.ncols; c++) set(&f, c, "");
    read_fields(&m, &f, r->form, r->nform);
    render(r, resp, &m, &f, my_advisor(r, &m), 0);
    form_free(&f);
    page_end(r, resp);
  }
  model_free(&m);
}

/* POST /registreren/favoriet/verwijder: deletes one of the user's favourites. */
void page_register_favourite_delete(struct request *r, struct response *resp) {
  int64_t id;
  const char *s = req_form(r, "favoriet_id");
  if (!s || parse_int64(s, &id) != 0 || r->user.advisor_id <= 0) {
    page_error(r, resp, 400);
    return;
  }
  if (favourite_delete(r->db, r->user.advisor_id, id, r->user.login, r->now) != 0) {
    page_error(r, resp, 500);
    return;
  }
  resp_redirect(resp, "/registreren?favoriet_weg=1");
}
