/* SPDX-License-Identifier: EUPL-1.2 */
#include "domain/registration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/dates.h"
#include "core/escape.h"
#include "core/lists.h"
#include "core/numbers.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/bounds.h"
#include "domain/model.h"

/* Messages in English (CLI, API) and Dutch (web), with the same arguments in order. */
static const char *const messages[RP_COUNT][2] = {
    [RP_MINUTES_RANGE] = {"must be a whole number of minutes from 1 to 1440: %s",
                          "geef een duur van 1 tot 1440 minuten (of bv. 1u30): %s"},
    [RP_KIND_UNKNOWN] = {"unknown value '%s' (expected one of: client, internal)",
                         "onbekende soort '%s' (klantcontact of interne tijd)"},
    [RP_LINE_UNKNOWN] = {"unknown line '%s'", "onbekende pijler of project '%s'"},
    [RP_GOAL_UNKNOWN] = {"unknown goal '%s'", "onbekend operationeel doel '%s'"},
    [RP_GOAL_OTHER_LINE] = {"goal '%s' belongs to line '%s', not to '%s'",
                            "operationeel doel '%s' hoort bij '%s', niet bij '%s'"},
    [RP_ADVISOR_REQUIRED] = {"at least one advisor is required", "kies minstens één begeleider"},
    [RP_TOO_MANY] = {"too many entries (%s)", "te veel waarden (%s)"},
    [RP_ADVISOR_UNKNOWN] = {"unknown advisor '%s'", "onbekende begeleider '%s'"},
    [RP_ADVISOR_NOT_EMPLOYED] = {"advisor '%s' is not employed on %s (employed %s)",
                                 "begeleider '%s' is niet in dienst op %s (in dienst %s)"},
    [RP_ADVISOR_TWICE] = {"an advisor is listed twice", "een begeleider staat er twee keer"},
    [RP_INSTITUTION_UNKNOWN] = {"unknown institution '%s'", "onbekende instelling '%s'"},
    [RP_INSTITUTION_TWICE] = {"an institution is listed twice", "een instelling staat er twee keer"},
    [RP_COUNT_NEGATIVE] = {"a head count cannot be negative: %s", "een aantal kan niet negatief zijn: %s"},
    [RP_CLIENT_NO_INSTITUTION] = {"a client registration needs at least one institution",
                                  "kies minstens één instelling"},
    [RP_CLIENT_NO_MODALITY] = {"a client registration needs a modality", "kies een modaliteit"},
    [RP_MODALITY_UNKNOWN] =
        {"unknown value '%s' (expected one of: fysiek, online, hybride, helpdesk, walk, klasbezoek)",
         "onbekende modaliteit '%s'"},
    [RP_CLIENT_ACTIVITY] = {"an activity belongs to internal registrations only",
                            "een activiteit hoort alleen bij interne tijd"},
    [RP_TRAJECTORY_UNKNOWN] = {"unknown trajectory '%s'", "onbekend begeleidingstraject '%s'"},
    [RP_TRAJECTORY_INSTITUTION] =
        {"the institution of trajectory '%s' (%s) is not among the registration's institutions",
         "de instelling van traject '%s' (%s) staat niet bij de gekozen instellingen"},
    [RP_LEVEL_UNKNOWN] = {"unknown value '%s' (expected one of: meso, micro)",
                          "onbekend niveau '%s' (MESO of MICRO)"},
    [RP_INTERNAL_NO_ACTIVITY] = {"an internal registration needs an activity", "kies een activiteit"},
    [RP_ACTIVITY_UNKNOWN] = {"unknown value '%s' (expected one of: preparation, follow_up, self_study, "
                             "internal_meeting, professional_development, quality, other)",
                             "onbekende activiteit '%s'"},
    [RP_INTERNAL_INSTITUTIONS] = {"an internal registration has no institutions",
                                  "interne tijd heeft geen instellingen"},
    [RP_INTERNAL_MODALITY] = {"an internal registration has no modality",
                              "interne tijd heeft geen modaliteit"},
    [RP_INTERNAL_TRAJECTORY] = {"an internal registration has no trajectory",
                                "interne tijd heeft geen traject"},
    [RP_INTERNAL_LEVEL] = {"an internal registration has no level", "interne tijd heeft geen niveau"},
    [RP_INTERNAL_FOLLOWUP] = {"an internal registration has no follow-up",
                              "interne tijd heeft geen opvolging"},
    [RP_INTERNAL_COUNTS] = {"an internal registration has no head counts",
                            "interne tijd heeft geen aantallen"},
    [RP_YEAR_LOCKED] =
        {"school year %s is locked; an admin must reopen it before its registrations can change",
         "schooljaar %s is afgesloten; een beheerder moet het eerst heropenen"},
    [RP_DATE_INVALID] = {"not a real calendar date in the form YYYY-MM-DD: %s", "geef een geldige datum: %s"},
    [RP_COUNT_NOT_INTEGER] = {"a head count must be a whole number: %s", "geef een geheel aantal: %s"},
    [RP_SAVE_FAILED] = {"the registration could not be saved; please try again",
                        "de registratie kon niet bewaard worden; probeer het opnieuw"},
    [RP_DATE_REQUIRED] = {"a date is required (YYYY-MM-DD)", "geef een datum"},
    [RP_MINUTES_REQUIRED] = {"the duration in minutes is required (1 to 1440)",
                             "geef een duur (1 tot 1440 minuten)"},
    [RP_DATE_TOO_EARLY] =
        {"date %s lies before %s, the first day of the oldest school year in the settings",
         "datum %s ligt vóór %s, de eerste dag van het oudste schooljaar in de instellingen"},
    [RP_DATE_FUTURE] = {"date %s lies after today (%s); a registration cannot be dated in the future",
                        "datum %s ligt na vandaag (%s); een registratie kan niet in de toekomst liggen"},
    [RP_COUNT_TOO_LARGE] = {"a head count can be at most 10000: %s",
                            "een aantal kan hoogstens 10000 zijn: %s"},
    [RP_DAY_TOTAL] =
        {"advisor '%s' would have %s minutes registered on %s; at most 1440 minutes (24 hours) a day",
         "begeleider '%s' zou %s minuten geregistreerd hebben op %s; hoogstens 1440 minuten (24 uur) per "
         "dag"},
    [RP_ID_INVALID] = {"an id has 1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-'",
                       "een id heeft 1 tot 64 tekens uit A-Z, a-z, 0-9, '.', '_' en '-'"},
    [RP_TEXT_UTF8] = {"not valid UTF-8 text", "geen geldige UTF-8-tekst"},
    [RP_TEXT_CONTROL] = {"contains a control character (a description may hold tabs and line breaks, "
                         "other fields none)",
                         "bevat een controleteken (een beschrijving mag tabs en regeleinden bevatten, "
                         "andere velden niet)"},
    [RP_TEXT_TOO_LONG] = {"at most %s characters (this text has %s)",
                          "hoogstens %s tekens (deze tekst heeft er %s)"},
    [RP_COADVISOR_SELF_ONLY] =
        {"as a co-advisor of this registration you may only remove yourself from it; "
         "%s registered it and may change it",
         "als mede-begeleider van deze registratie kan je alleen jezelf ervan verwijderen; "
         "%s registreerde ze en kan ze wijzigen"},
    [RP_RATE_LIMITED] = {"too many registrations saved in a short time; try again in %s seconds",
                         "te veel registraties kort na elkaar bewaard; probeer opnieuw over %s seconden"},
};

void reg_problem_text(const struct reg_problem *p, const char *lang, char *out, size_t n) {
  int nl = lang && !strcmp(lang, "nl");
  const char *fmt = p->code >= 0 && p->code < RP_COUNT ? messages[p->code][nl] : "?";
  /* every message takes at most three %s, in the same order in both languages */
  snprintf(out, n, fmt, p->arg[0], p->arg[1], p->arg[2]); /* NOLINT(clang-diagnostic-format-nonliteral) */
}

const char *reg_col_name(const struct model *m, int col, char buf[128]) {
  static const char *const names[N_REG_BASE] = {
      "id",           "date",     "minutes",  "kind",       "line",  "goal",     "advisors",
      "institutions", "modality", "activity", "trajectory", "level", "followup", "description"};
  if (col < N_REG_BASE) return names[col];
  snprintf(buf, 128, "tg.%s", m->target_groups[col - N_REG_BASE].code);
  return buf;
}

static void problem(struct reg_problems *ps, int col, int code, const char *a0, const char *a1,
                    const char *a2) {
  if (ps->n == REG_MAX_PROBLEMS) return;
  struct reg_problem *p = &ps->p[ps->n++];
  p->col = col;
  p->code = code;
  snprintf(p->arg[0], sizeof p->arg[0], "%s", a0 ? a0 : "");
  snprintf(p->arg[1], sizeof p->arg[1], "%s", a1 ? a1 : "");
  snprintf(p->arg[2], sizeof p->arg[2], "%s", a2 ? a2 : "");
}

static int empty(const char *s) { return !s || !*s; }

static void replace(char **slot, const char *s) {
  char *n = xstrdup(s);
  free(*slot);
  *slot = n;
}

void registration_canonicalize(const struct model *m, char **v, struct reg_problems *out) {
  if (list_canonical(&v[R_ADVISORS]) > 0) problem(out, R_ADVISORS, RP_ADVISOR_TWICE, NULL, NULL, NULL);
  char *copy, **items;
  int n = list_split(v[R_INSTITUTIONS], &copy, &items);
  struct buf b = {0};
  for (int i = 0; i < n; i++) {
    int k = model_institution(m, items[i]);
    if (k < 0) {
      problem(out, R_INSTITUTIONS, RP_INSTITUTION_UNKNOWN, items[i], NULL, NULL);
      continue;
    }
    buf_printf(&b, "%s%s", b.len ? "|" : "", m->institutions[k].number);
  }
  free(copy);
  free(items);
  replace(&v[R_INSTITUTIONS], buf_str(&b));
  buf_free(&b);
  if (list_canonical(&v[R_INSTITUTIONS]) > 0)
    problem(out, R_INSTITUTIONS, RP_INSTITUTION_TWICE, NULL, NULL, NULL);
  int client = !strcmp(v[R_KIND], "client");
  if (client && empty(v[R_FOLLOWUP]))
    replace(&v[R_FOLLOWUP], "false");
  else if (!client && !strcmp(v[R_KIND], "internal") && !strcmp(v[R_FOLLOWUP], "false"))
    replace(&v[R_FOLLOWUP], "");
  for (size_t g = 0; g < m->n_target_groups; g++)
    if (!strcmp(v[N_REG_BASE + g], "0")) replace(&v[N_REG_BASE + g], "");
}

static int one_of(const char *s, const char *const *words, int n) {
  for (int i = 0; i < n; i++)
    if (!strcmp(s, words[i])) return 1;
  return 0;
}

void registration_check(const struct model *m, char **v, struct reg_check *c) {
  memset(c, 0, sizeof *c);
  c->line = c->goal = c->traj = -1;
  struct reg_problems *ps = &c->problems;
  static const char *const kinds[] = {"client", "internal"}, *const levels[] = {"meso", "micro"};
  /* the text of every field first: a value that is not clean text is not echoed in
     another message, nor judged by the other rules */
  int ncols = N_REG_BASE + (int)m->n_target_groups;
  for (int col = 0; col < ncols; col++) {
    /* an id is a code (BOUND_ID_MAX = BOUND_CODE_MAX); its characters are checked below */
    size_t max = col == R_DESCRIPTION                         ? BOUND_DESCRIPTION_MAX
                 : col == R_ADVISORS || col == R_INSTITUTIONS ? (size_t)REG_MAX_LINKS * (BOUND_CODE_MAX + 1)
                                                              : BOUND_CODE_MAX;
    size_t chars = 0;
    int fault = bounds_text(v[col], max, col == R_DESCRIPTION, &chars);
    if (fault) registration_text_problem(ps, col, fault, max, chars);
  }
  if (ps->n) return;
  if (!empty(v[R_ID]) && !bounds_id_ok(v[R_ID])) problem(ps, R_ID, RP_ID_INVALID, NULL, NULL, NULL);
  int32_t day = NO_DATE;
  if (empty(v[R_DATE]))
    problem(ps, R_DATE, RP_DATE_REQUIRED, NULL, NULL, NULL);
  else if (date_parse(v[R_DATE], &day) != 0)
    problem(ps, R_DATE, RP_DATE_INVALID, v[R_DATE], NULL, NULL);
  else {
    int32_t first = bounds_first_day(m), today = bounds_today();
    char bound[11];
    if (day < first) {
      date_format(first, bound);
      problem(ps, R_DATE, RP_DATE_TOO_EARLY, v[R_DATE], bound, NULL);
    } else if (day > today) {
      date_format(today, bound);
      problem(ps, R_DATE, RP_DATE_FUTURE, v[R_DATE], bound, NULL);
    }
  }
  if (empty(v[R_MINUTES]))
    problem(ps, R_MINUTES, RP_MINUTES_REQUIRED, NULL, NULL, NULL);
  else if (parse_int64(v[R_MINUTES], &c->minutes) != 0 || c->minutes < 1 || c->minutes > BOUND_MINUTES_MAX)
    problem(ps, R_MINUTES, RP_MINUTES_RANGE, v[R_MINUTES], NULL, NULL);
  /* an unknown kind does not hide the problems of the fields every kind has (DATA-FORMAT.md
     section 1: every error, not only the first); the rules of one kind need a known kind */
  int kind_known = one_of(v[R_KIND], kinds, 2);
  if (!kind_known) problem(ps, R_KIND, RP_KIND_UNKNOWN, v[R_KIND], NULL, NULL);
  c->client = kind_known && !strcmp(v[R_KIND], "client");
  c->line = model_line(m, v[R_LINE]);
  if (c->line < 0) problem(ps, R_LINE, RP_LINE_UNKNOWN, v[R_LINE], NULL, NULL);
  if (!empty(v[R_GOAL])) {
    c->goal = model_goal(m, v[R_GOAL]);
    if (c->goal < 0)
      problem(ps, R_GOAL, RP_GOAL_UNKNOWN, v[R_GOAL], NULL, NULL);
    else if (c->line >= 0 && m->goals[c->goal].line != c->line)
      problem(ps, R_GOAL, RP_GOAL_OTHER_LINE, v[R_GOAL], m->lines[m->goals[c->goal].line].code, v[R_LINE]);
  }
  char *copy, **items;
  int na = list_split(v[R_ADVISORS], &copy, &items);
  if (na == 0) problem(ps, R_ADVISORS, RP_ADVISOR_REQUIRED, NULL, NULL, NULL);
  if (na > REG_MAX_LINKS) {
    char k[16];
    snprintf(k, sizeof k, "%d", na);
    problem(ps, R_ADVISORS, RP_TOO_MANY, k, NULL, NULL);
    na = 0;
  }
  for (int i = 0; i < na; i++) {
    int a = model_advisor(m, items[i]);
    if (a < 0) {
      problem(ps, R_ADVISORS, RP_ADVISOR_UNKNOWN, items[i], NULL, NULL);
      continue;
    }
    c->adv[c->na++] = a;
    const struct advisor *ad = &m->advisors[a];
    if (day != NO_DATE && !advisor_employed_on(ad, day)) {
      char s[11] = "", e[11] = "", range[32];
      if (ad->start != NO_DATE) date_format(ad->start, s);
      if (ad->end != NO_DATE) date_format(ad->end, e);
      snprintf(range, sizeof range, "%s..%s", s, e);
      problem(ps, R_ADVISORS, RP_ADVISOR_NOT_EMPLOYED, items[i], v[R_DATE], range);
    }
  }
  free(copy);
  free(items);
  int ni = list_split(v[R_INSTITUTIONS], &copy, &items);
  if (ni > REG_MAX_LINKS) {
    char k[16];
    snprintf(k, sizeof k, "%d", ni);
    problem(ps, R_INSTITUTIONS, RP_TOO_MANY, k, NULL, NULL);
    ni = 0;
  }
  for (int i = 0; i < ni; i++) {
    int k = model_institution(m, items[i]);
    if (k >= 0) c->inst[c->ni++] = k;
  }
  free(copy);
  free(items);
  int any_count = 0;
  for (size_t g = 0; g < m->n_target_groups; g++) {
    const char *cnt = v[N_REG_BASE + g];
    if (empty(cnt)) continue;
    int64_t k;
    if (parse_int64(cnt, &k) != 0)
      problem(ps, N_REG_BASE + (int)g, cnt[0] == '-' ? RP_COUNT_NEGATIVE : RP_COUNT_NOT_INTEGER, cnt, NULL,
              NULL);
    else if (k < 0)
      problem(ps, N_REG_BASE + (int)g, RP_COUNT_NEGATIVE, cnt, NULL, NULL);
    else if (k > BOUND_COUNT_MAX)
      problem(ps, N_REG_BASE + (int)g, RP_COUNT_TOO_LARGE, cnt, NULL, NULL);
    any_count = 1;
  }
  if (!kind_known) return;
  if (c->client) {
    if (ni == 0) problem(ps, R_INSTITUTIONS, RP_CLIENT_NO_INSTITUTION, NULL, NULL, NULL);
    if (empty(v[R_MODALITY]))
      problem(ps, R_MODALITY, RP_CLIENT_NO_MODALITY, NULL, NULL, NULL);
    else if (parse_modality(v[R_MODALITY]) < 0)
      problem(ps, R_MODALITY, RP_MODALITY_UNKNOWN, v[R_MODALITY], NULL, NULL);
    if (!empty(v[R_ACTIVITY])) problem(ps, R_ACTIVITY, RP_CLIENT_ACTIVITY, NULL, NULL, NULL);
    if (!empty(v[R_TRAJECTORY])) {
      c->traj = model_trajectory(m, v[R_TRAJECTORY]);
      if (c->traj < 0)
        problem(ps, R_TRAJECTORY, RP_TRAJECTORY_UNKNOWN, v[R_TRAJECTORY], NULL, NULL);
      else {
        int found = 0;
        for (int i = 0; i < c->ni; i++) found |= c->inst[i] == m->trajectories[c->traj].institution;
        if (!found)
          problem(ps, R_TRAJECTORY, RP_TRAJECTORY_INSTITUTION, v[R_TRAJECTORY],
                  m->institutions[m->trajectories[c->traj].institution].number, NULL);
      }
    }
    if (!empty(v[R_LEVEL]) && !one_of(v[R_LEVEL], levels, 2))
      problem(ps, R_LEVEL, RP_LEVEL_UNKNOWN, v[R_LEVEL], NULL, NULL);
  } else {
    if (empty(v[R_ACTIVITY]))
      problem(ps, R_ACTIVITY, RP_INTERNAL_NO_ACTIVITY, NULL, NULL, NULL);
    else if (parse_activity(v[R_ACTIVITY]) < 0)
      problem(ps, R_ACTIVITY, RP_ACTIVITY_UNKNOWN, v[R_ACTIVITY], NULL, NULL);
    if (ni) problem(ps, R_INSTITUTIONS, RP_INTERNAL_INSTITUTIONS, NULL, NULL, NULL);
    if (!empty(v[R_MODALITY])) problem(ps, R_MODALITY, RP_INTERNAL_MODALITY, NULL, NULL, NULL);
    if (!empty(v[R_TRAJECTORY])) problem(ps, R_TRAJECTORY, RP_INTERNAL_TRAJECTORY, NULL, NULL, NULL);
    if (!empty(v[R_LEVEL])) problem(ps, R_LEVEL, RP_INTERNAL_LEVEL, NULL, NULL, NULL);
    if (v[R_FOLLOWUP] && !strcmp(v[R_FOLLOWUP], "true"))
      problem(ps, R_FOLLOWUP, RP_INTERNAL_FOLLOWUP, NULL, NULL, NULL);
    if (any_count)
      for (size_t g = 0; g < m->n_target_groups; g++)
        if (!empty(v[N_REG_BASE + g])) problem(ps, N_REG_BASE + (int)g, RP_INTERNAL_COUNTS, NULL, NULL, NULL);
  }
}

void registration_text_problem(struct reg_problems *ps, int col, int fault, size_t max, size_t chars) {
  char a[24], b[24];
  snprintf(a, sizeof a, "%zu", max);
  snprintf(b, sizeof b, "%zu", chars);
  problem(ps, col,
          fault == TEXT_UTF8      ? RP_TEXT_UTF8
          : fault == TEXT_CONTROL ? RP_TEXT_CONTROL
                                  : RP_TEXT_TOO_LONG,
          a, b, NULL);
}

int registration_check_day(struct db *db, const struct model *m, char **v, struct reg_check *c,
                           int64_t self) {
  int32_t day;
  if (c->problems.n || c->na == 0 || date_parse(v[R_DATE], &day) != 0) return 0;
  /* the aggregates hold each advisor's minutes per day (one lookup); without them, the
     sum over the advisor's registrations of that day */
  int kept = agg_valid(db);
  if (kept < 0) return -1;
  struct db_stmt *st = kept ? db_prepare(db, "SELECT COALESCE(SUM(r.minutes), 0) FROM registration r "
                                             "JOIN registration_advisor ra ON ra.registration_id = r.id "
                                             "WHERE ra.advisor_id = ? AND r.date = ? AND r.id = ?")
                            : db_prepare(db, "SELECT COALESCE(SUM(r.minutes), 0) FROM registration r "
                                             "JOIN registration_advisor ra ON ra.registration_id = r.id "
                                             "WHERE ra.advisor_id = ? AND r.date = ? AND r.id <> ?");
  if (!st) return -1;
  int rc = 0;
  for (int i = 0; i < c->na && rc == 0; i++) {
    const struct advisor *a = &m->advisors[c->adv[i]];
    db_bind_int64(st, 1, a->id);
    db_bind_text(st, 2, v[R_DATE]);
    db_bind_int64(st, 3, self);
    if (db_step(st) != DB_ROW) {
      rc = -1;
      break;
    }
    /* kept: the minutes of the registration being replaced, out of the day's total;
       else: the day's other registrations */
    int64_t sum = db_col_int64(st, 0), others = sum;
    db_reset(st);
    if (kept) {
      int ok;
      others = agg_advisor_day(db, a->id, day, &ok) - sum;
      if (!ok) {
        rc = -1;
        break;
      }
    }
    int64_t total = others + c->minutes;
    if (total > BOUND_DAY_MINUTES) {
      char t[24];
      snprintf(t, sizeof t, "%lld", (long long)total);
      problem(&c->problems, R_MINUTES, RP_DAY_TOTAL, a->code, t, v[R_DATE]);
    }
  }
  db_finalize(st);
  return rc;
}

/* ---- writing ---- */

#define REGISTRATION_COLUMNS                                                                                 \
  "registration (ext_id, date, minutes, kind, line_id, goal_id, modality, activity, trajectory_id, level, "  \
  "followup, description, id, created_at, updated_at)"

int reg_statements_prepare(struct db *db, struct reg_statements *s) {
  memset(s, 0, sizeof *s);
  s->db = db;
  s->agg_on = -1;
  s->agg_batch_keys = REG_AGG_BATCH_KEYS;
  agg_acc_init(&s->agg);
  s->insert = db_prepare(db, "INSERT INTO " REGISTRATION_COLUMNS
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s->update =
      db_prepare(db, "UPDATE registration SET ext_id = ?, date = ?, minutes = ?, kind = ?, line_id = ?, "
                     "goal_id = ?, modality = ?, activity = ?, trajectory_id = ?, level = ?, followup = ?, "
                     "description = ?, updated_at = COALESCE(?, updated_at) WHERE id = ?");
  s->ra_insert =
      db_prepare(db, "INSERT INTO registration_advisor (registration_id, advisor_id) VALUES (?, ?)");
  s->ri_insert =
      db_prepare(db, "INSERT INTO registration_institution (registration_id, institution_id) VALUES (?, ?)");
  s->rc_insert = db_prepare(
      db, "INSERT INTO registration_count (registration_id, target_group_id, count) VALUES (?, ?, ?)");
  s->ra_delete = db_prepare(db, "DELETE FROM registration_advisor WHERE registration_id = ?");
  s->ri_delete = db_prepare(db, "DELETE FROM registration_institution WHERE registration_id = ?");
  s->rc_delete = db_prepare(db, "DELETE FROM registration_count WHERE registration_id = ?");
  if (s->insert && s->update && s->ra_insert && s->ri_insert && s->rc_insert && s->ra_delete &&
      s->ri_delete && s->rc_delete)
    return 0;
  reg_statements_finalize(s);
  return -1;
}

static const char *const copy_targets[4] = {REGISTRATION_COLUMNS,
                                            "registration_advisor (registration_id, advisor_id)",
                                            "registration_institution (registration_id, institution_id)",
                                            "registration_count (registration_id, target_group_id, count)"};

/* Loads the collected rows: the registrations before their links (foreign keys). */
static int copy_flush(struct reg_statements *s) {
  if (!s->copy_buf) return 0;
  int rc = 0;
  for (int k = 0; k < 4; k++) {
    struct buf *b = &s->copy_buf[k];
    if (rc == 0 && b->len && db_copy_in(s->db, copy_targets[k], buf_str(b), b->len) != DB_OK) rc = -1;
    buf_reset(b);
  }
  s->copy_rows = 0;
  return rc;
}

int reg_statements_flush(struct reg_statements *s) {
  if (copy_flush(s) != 0) return -1;
  if (s->agg_on != 1) return 0;
  return agg_flush(s->db, &s->agg);
}

void reg_statements_finalize(struct reg_statements *s) {
  agg_acc_free(&s->agg);
  if (s->copy_buf)
    for (int k = 0; k < 4; k++) buf_free(&s->copy_buf[k]);
  free(s->copy_buf);
  s->copy_buf = NULL;
  struct db_stmt **all[] = {&s->insert,    &s->update,    &s->ra_insert, &s->ri_insert,
                            &s->rc_insert, &s->ra_delete, &s->ri_delete, &s->rc_delete};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
    db_finalize(*all[i]);
    *all[i] = NULL;
  }
}

struct reg_write *reg_write_new(const struct model *m, char **v, const struct reg_check *c, int64_t id,
                                int existed) {
  struct reg_write *w =
      xcalloc(1, sizeof *w + sizeof(int64_t) * (size_t)(c->na + c->ni + 2 * (int)m->n_target_groups));
  w->existed = existed;
  w->id = id;
  const char *texts[REG_TEXTS] = {v[R_ID],       v[R_DATE],  v[R_KIND],       v[R_MODALITY],
                                  v[R_ACTIVITY], v[R_LEVEL], v[R_DESCRIPTION]};
  for (int k = 0; k < REG_TEXTS; k++) w->text[k] = empty(texts[k]) ? NULL : xstrdup(texts[k]);
  w->minutes = c->minutes;
  w->line_id = m->lines[c->line].id;
  w->goal_id = c->goal >= 0 ? m->goals[c->goal].id : 0;
  w->traj_id = c->traj >= 0 ? m->trajectories[c->traj].id : 0;
  w->followup = c->client ? (v[R_FOLLOWUP] && !strcmp(v[R_FOLLOWUP], "true")) : -1;
  w->na = c->na;
  w->ni = c->ni;
  int64_t *x = w->links;
  for (int i = 0; i < c->na; i++) *x++ = m->advisors[c->adv[i]].id;
  for (int i = 0; i < c->ni; i++) *x++ = m->institutions[c->inst[i]].id;
  for (size_t g = 0; g < m->n_target_groups; g++) {
    const char *cnt = v[N_REG_BASE + g];
    if (empty(cnt)) continue;
    *x++ = m->target_groups[g].id;
    *x++ = strtoll(cnt, NULL, 10);
    w->nc++;
  }
  return w;
}

void reg_write_free(struct reg_write *w) {
  if (!w) return;
  for (int k = 0; k < REG_TEXTS; k++) free(w->text[k]);
  free(w);
}

/* The server's clock in UTC as the audit trail writes it. */
static void server_stamp(char out[32]) {
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Adds the contribution of the registration w writes (sign +1) to s's deltas. */
static void emit_write(struct reg_statements *s, const struct reg_write *w) {
  struct agg_reg r = {
      .date = w->text[1],
      .kind = w->text[2],
      .modality = w->text[3],
      .activity = w->text[4],
      .minutes = w->minutes,
      .line_id = w->line_id,
      .goal_id = w->goal_id,
      .traj_id = w->traj_id,
      .followup = w->followup == 1,
      .advisors = w->links,
      .na = w->na,
      .institutions = w->links + w->na,
      .ni = w->ni,
      .counts = w->links + w->na + w->ni,
      .nc = w->nc,
  };
  agg_emit(&s->agg, &r, 1);
}

/* A value in COPY text format: \N for NULL, backslash escapes for the separators. */
static void copy_text(struct buf *b, const char *v, char end) {
  if (!v) {
    buf_puts(b, "\\N");
  } else {
    const char *run = v;
    for (const char *p = v; *p; p++) {
      const char *esc = *p == '\\'   ? "\\\\"
                        : *p == '\t' ? "\\t"
                        : *p == '\n' ? "\\n"
                        : *p == '\r' ? "\\r"
                                     : NULL;
      if (!esc) continue;
      buf_append(b, run, (size_t)(p - run));
      buf_puts(b, esc);
      run = p + 1;
    }
    buf_puts(b, run);
  }
  buf_putc(b, end);
}

static void copy_int(struct buf *b, int64_t v, int is_null, char end) {
  if (is_null)
    buf_puts(b, "\\N");
  else
    buf_printf(b, "%lld", (long long)v);
  buf_putc(b, end);
}

/* Appends a new registration's rows to the COPY buffers. */
static void copy_rows(struct reg_statements *s, const struct reg_write *w, const char *at) {
  if (!s->copy_buf) s->copy_buf = xcalloc(4, sizeof *s->copy_buf);
  struct buf *b = &s->copy_buf[0];
  copy_text(b, w->text[0], '\t');
  copy_text(b, w->text[1], '\t');
  copy_int(b, w->minutes, 0, '\t');
  copy_text(b, w->text[2], '\t');
  copy_int(b, w->line_id, 0, '\t');
  copy_int(b, w->goal_id, !w->goal_id, '\t');
  copy_text(b, w->text[3], '\t');
  copy_text(b, w->text[4], '\t');
  copy_int(b, w->traj_id, !w->traj_id, '\t');
  copy_text(b, w->text[5], '\t');
  copy_int(b, w->followup, w->followup < 0, '\t');
  copy_text(b, w->text[6], '\t');
  copy_int(b, w->id, 0, '\t');
  copy_text(b, at, '\t');
  copy_text(b, at, '\n');
  const int64_t *x = w->links;
  for (int i = 0; i < w->na; i++)
    buf_printf(&s->copy_buf[1], "%lld\t%lld\n", (long long)w->id, (long long)*x++);
  for (int i = 0; i < w->ni; i++)
    buf_printf(&s->copy_buf[2], "%lld\t%lld\n", (long long)w->id, (long long)*x++);
  for (int i = 0; i < w->nc; i++, x += 2)
    buf_printf(&s->copy_buf[3], "%lld\t%lld\t%lld\n", (long long)w->id, (long long)x[0], (long long)x[1]);
  s->copy_rows++;
}

/* The row and its links through the prepared statements. */
static const char *write_rows(struct reg_statements *s, const struct reg_write *w) {
  struct db_stmt *st = w->existed ? s->update : s->insert;
  static const int text_param[REG_TEXTS] = {1, 2, 4, 7, 8, 10, 12};
  for (int k = 0; k < REG_TEXTS; k++) db_bind_text(st, text_param[k], w->text[k]);
  db_bind_int64(st, 3, w->minutes);
  db_bind_int64(st, 5, w->line_id);
  if (w->goal_id)
    db_bind_int64(st, 6, w->goal_id);
  else
    db_bind_null(st, 6);
  if (w->traj_id)
    db_bind_int64(st, 9, w->traj_id);
  else
    db_bind_null(st, 9);
  if (w->followup >= 0)
    db_bind_int64(st, 11, w->followup);
  else
    db_bind_null(st, 11);
  char stamp[32];
  server_stamp(stamp);
  const char *at = w->imported ? NULL : stamp;
  if (w->existed) {
    db_bind_text(st, 13, at);
    db_bind_int64(st, 14, w->id);
  } else {
    db_bind_int64(st, 13, w->id);
    db_bind_text(st, 14, at);
    db_bind_text(st, 15, at);
  }
  if (db_step(st) == DB_ERROR) return "writing a registration";
  if (w->existed) {
    db_bind_int64(s->ra_delete, 1, w->id);
    db_bind_int64(s->ri_delete, 1, w->id);
    db_bind_int64(s->rc_delete, 1, w->id);
    if (db_step(s->ra_delete) == DB_ERROR || db_step(s->ri_delete) == DB_ERROR ||
        db_step(s->rc_delete) == DB_ERROR)
      return "replacing a registration's links";
  }
  const int64_t *x = w->links;
  for (int i = 0; i < w->na; i++) {
    db_bind_int64(s->ra_insert, 1, w->id);
    db_bind_int64(s->ra_insert, 2, *x++);
    if (db_step(s->ra_insert) == DB_ERROR) return "writing a registration's advisors";
  }
  for (int i = 0; i < w->ni; i++) {
    db_bind_int64(s->ri_insert, 1, w->id);
    db_bind_int64(s->ri_insert, 2, *x++);
    if (db_step(s->ri_insert) == DB_ERROR) return "writing a registration's institutions";
  }
  for (int i = 0; i < w->nc; i++, x += 2) {
    db_bind_int64(s->rc_insert, 1, w->id);
    db_bind_int64(s->rc_insert, 2, x[0]);
    db_bind_int64(s->rc_insert, 3, x[1]);
    if (db_step(s->rc_insert) == DB_ERROR) return "writing a registration's head counts";
  }
  return NULL;
}

const char *reg_write_exec(struct reg_statements *s, const struct reg_write *w) {
  if (s->agg_on < 0 && (s->agg_on = agg_valid(s->db)) < 0) return "reading the state of the aggregates";
  /* the stored registration's contribution goes, the new one comes (domain/aggregate.h) */
  if (s->agg_on && w->existed && agg_emit_stored(s->db, w->id, -1, &s->agg) != 0)
    return "reading the registration being replaced";
  const char *failed;
  if (s->copy && !w->existed) {
    char stamp[32];
    server_stamp(stamp);
    copy_rows(s, w, w->imported ? NULL : stamp);
    failed = s->copy_rows >= REG_COPY_ROWS && copy_flush(s) != 0 ? "loading registrations" : NULL;
  } else {
    failed = write_rows(s, w);
  }
  if (failed) return failed;
  if (s->agg_on) {
    emit_write(s, w);
    if ((!s->agg_batch || s->agg.n >= s->agg_batch_keys) && agg_flush(s->db, &s->agg) != 0)
      return "writing the aggregates";
  }
  return NULL;
}

/* ---- the stored registration ---- */

static void put(char **v, int col, const char *s) {
  free(v[col]);
  v[col] = xstrdup(s ? s : "");
}

int registration_load(struct db *db, const struct model *m, int64_t id, char **v) {
  struct db_stmt *st = db_prepare(
      db, "SELECT r.ext_id, r.date, r.minutes, r.kind, l.code, g.code, r.modality, r.activity, t.ext_id, "
          "r.level, r.followup, r.description FROM registration r JOIN line l ON l.id = r.line_id "
          "LEFT JOIN goal g ON g.id = r.goal_id LEFT JOIN trajectory t ON t.id = r.trajectory_id "
          "WHERE r.id = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, id);
  int step = db_step(st);
  if (step == DB_ROW) {
    static const int cols[] = {R_ID,       R_DATE,     R_MINUTES,    R_KIND,  R_LINE,     R_GOAL,
                               R_MODALITY, R_ACTIVITY, R_TRAJECTORY, R_LEVEL, R_FOLLOWUP, R_DESCRIPTION};
    for (int k = 0; k < 12; k++) {
      if (cols[k] == R_FOLLOWUP)
        put(v, R_FOLLOWUP, db_col_is_null(st, k) ? "" : db_col_int64(st, k) ? "true" : "false");
      else
        put(v, cols[k], db_col_text(st, k));
    }
  }
  db_finalize(st);
  if (step != DB_ROW) return step == DB_DONE ? 1 : -1;
  static const char *const links[] = {
      "SELECT a.code FROM registration_advisor ra JOIN advisor a ON a.id = ra.advisor_id "
      "WHERE ra.registration_id = ?",
      "SELECT i.number FROM registration_institution ri JOIN institution i ON i.id = ri.institution_id "
      "WHERE ri.registration_id = ?"};
  for (int k = 0; k < 2; k++) {
    struct buf b = {0};
    st = db_prepare(db, links[k]);
    if (!st) return -1;
    db_bind_int64(st, 1, id);
    while ((step = db_step(st)) == DB_ROW) buf_printf(&b, "%s%s", b.len ? "|" : "", db_col_text(st, 0));
    db_finalize(st);
    put(v, k ? R_INSTITUTIONS : R_ADVISORS, buf_str(&b));
    buf_free(&b);
    if (step == DB_ERROR) return -1;
    list_canonical(&v[k ? R_INSTITUTIONS : R_ADVISORS]);
  }
  for (size_t g = 0; g < m->n_target_groups; g++) put(v, N_REG_BASE + (int)g, "");
  st = db_prepare(db, "SELECT target_group_id, count FROM registration_count WHERE registration_id = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, id);
  while ((step = db_step(st)) == DB_ROW) {
    int64_t gid = db_col_int64(st, 0), n = db_col_int64(st, 1);
    int g = gid > 0 && gid <= m->max_tg_id ? m->tg_of_id[gid] : -1;
    char s[24];
    snprintf(s, sizeof s, "%lld", (long long)n);
    if (g >= 0 && n != 0) put(v, N_REG_BASE + g, s);
  }
  db_finalize(st);
  return step == DB_ERROR ? -1 : 0;
}

int64_t registration_id_of(struct db *db, const char *ext_id) {
  struct db_stmt *st = db_prepare(db, "SELECT id FROM registration WHERE ext_id = ?");
  if (!st) return -1;
  db_bind_text(st, 1, ext_id);
  int step = db_step(st);
  int64_t id = step == DB_ROW ? db_col_int64(st, 0) : step == DB_DONE ? 0 : -1;
  db_finalize(st);
  return id;
}

int64_t registration_next_id(struct db *db) { return db_next_id(db, "registration"); }

static int exec_id(struct db *db, const char *sql, int64_t a, int64_t b) {
  struct db_stmt *st = db_prepare(db, sql);
  if (!st) return -1;
  db_bind_int64(st, 1, a);
  if (b) db_bind_int64(st, 2, b);
  int ok = db_step(st) == DB_DONE;
  db_finalize(st);
  return ok ? 0 : -1;
}

/* Applies sign times the stored registration's contribution to the aggregates, when
   they are kept (domain/aggregate.h). */
static int agg_change(struct db *db, int64_t id, int sign) {
  int on = agg_valid(db);
  if (on <= 0) return on;
  struct agg_acc a;
  agg_acc_init(&a);
  if (agg_emit_stored(db, id, sign, &a) != 0) {
    agg_acc_free(&a);
    return -1;
  }
  return agg_flush(db, &a);
}

int registration_delete(struct db *db, int64_t id) {
  if (agg_change(db, id, -1) != 0) return -1;
  static const char *const sql[] = {"DELETE FROM registration_advisor WHERE registration_id = ?",
                                    "DELETE FROM registration_institution WHERE registration_id = ?",
                                    "DELETE FROM registration_count WHERE registration_id = ?",
                                    "DELETE FROM registration WHERE id = ?"};
  for (size_t k = 0; k < sizeof sql / sizeof sql[0]; k++)
    if (exec_id(db, sql[k], id, 0) != 0) return -1;
  return 0;
}

int registration_created_at(struct db *db, int64_t id, char out[32]) {
  out[0] = 0;
  struct db_stmt *st = db_prepare(db, "SELECT created_at FROM registration WHERE id = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, id);
  int step = db_step(st);
  if (step == DB_ROW && !db_col_is_null(st, 0)) snprintf(out, 32, "%s", db_col_text(st, 0));
  db_finalize(st);
  return step == DB_ROW || step == DB_DONE ? 0 : -1;
}

int registration_set_entered(struct db *db, const char *ext_id, const char *at) {
  struct db_stmt *st =
      db_prepare(db, "UPDATE registration SET created_at = ?, updated_at = ? WHERE ext_id = ?");
  if (!st) return -1;
  db_bind_text(st, 1, at);
  db_bind_text(st, 2, at);
  db_bind_text(st, 3, ext_id);
  int ok = db_step(st) == DB_DONE;
  db_finalize(st);
  return ok ? 0 : -1;
}

int registration_remove_advisor(struct db *db, int64_t id, int64_t advisor_id) {
  if (agg_change(db, id, -1) != 0 ||
      exec_id(db, "DELETE FROM registration_advisor WHERE registration_id = ? AND advisor_id = ?", id,
              advisor_id) != 0 ||
      agg_change(db, id, +1) != 0)
    return -1;
  /* a change of the registration: its updated_at moves on */
  char stamp[32];
  server_stamp(stamp);
  struct db_stmt *st = db_prepare(db, "UPDATE registration SET updated_at = ? WHERE id = ?");
  if (!st) return -1;
  db_bind_text(st, 1, stamp);
  db_bind_int64(st, 2, id);
  int ok = db_step(st) == DB_DONE;
  db_finalize(st);
  return ok ? 0 : -1;
}

void registration_audit_json(const struct model *m, char *const *v, struct buf *j) {
  int n = N_REG_BASE + (int)m->n_target_groups;
  buf_putc(j, '{');
  for (int c = 0; c < n; c++) {
    char name[128];
    buf_printf(j, "%s\"%s\": ", c ? ", " : "", reg_col_name(m, c, name));
    escape_json(j, v[c] ? v[c] : "");
  }
  buf_putc(j, '}');
}

int64_t registration_latest_of(struct db *db, int64_t advisor_id) {
  struct db_stmt *st = db_prepare(db, "SELECT r.id FROM registration r JOIN registration_advisor ra "
                                      "ON ra.registration_id = r.id WHERE ra.advisor_id = ? "
                                      "ORDER BY r.date DESC, r.id DESC LIMIT 1");
  if (!st) return -1;
  db_bind_int64(st, 1, advisor_id);
  int step = db_step(st);
  int64_t id = step == DB_ROW ? db_col_int64(st, 0) : step == DB_DONE ? 0 : -1;
  db_finalize(st);
  return id;
}

int64_t registration_of_advisor(struct db *db, int64_t advisor_id, const char *ext_id) {
  struct db_stmt *st =
      db_prepare(db, "SELECT r.id FROM registration r JOIN registration_advisor ra "
                     "ON ra.registration_id = r.id WHERE ra.advisor_id = ? AND r.ext_id = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, advisor_id);
  db_bind_text(st, 2, ext_id);
  int step = db_step(st);
  int64_t id = step == DB_ROW ? db_col_int64(st, 0) : step == DB_DONE ? 0 : -1;
  db_finalize(st);
  return id;
}

static char *dup_or_null(const char *s) { return s && *s ? xstrdup(s) : NULL; }

void registration_briefs_free(struct reg_briefs *b) {
  for (size_t i = 0; i < b->n; i++) {
    struct reg_brief *x = &b->items[i];
    free(x->ext_id);
    free(x->date);
    free(x->kind);
    free(x->line_name);
    free(x->description);
    free(x->institutions);
  }
  free(b->items);
  b->items = NULL;
  b->n = 0;
}

int registration_briefs(struct db *db, int64_t advisor_id, const char *from, const char *to, int limit,
                        struct reg_briefs *out) {
  out->items = NULL;
  out->n = 0;
  struct db_stmt *st =
      db_prepare(db, from ? "SELECT r.id, r.ext_id, r.date, r.minutes, r.kind, l.name, r.description "
                            "FROM registration r JOIN registration_advisor ra ON ra.registration_id = r.id "
                            "JOIN line l ON l.id = r.line_id "
                            "WHERE ra.advisor_id = ? AND r.date BETWEEN ? AND ? ORDER BY r.date, r.id"
                          : "SELECT r.id, r.ext_id, r.date, r.minutes, r.kind, l.name, r.description "
                            "FROM registration r JOIN registration_advisor ra ON ra.registration_id = r.id "
                            "JOIN line l ON l.id = r.line_id WHERE ra.advisor_id = ? "
                            "ORDER BY r.date DESC, r.id DESC LIMIT ?");
  struct db_stmt *inst = db_prepare(db, "SELECT i.code FROM registration_institution ri "
                                        "JOIN institution i ON i.id = ri.institution_id "
                                        "WHERE ri.registration_id = ? ORDER BY i.code");
  if (!st || !inst) {
    db_finalize(st);
    db_finalize(inst);
    return -1;
  }
  db_bind_int64(st, 1, advisor_id);
  if (from) {
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
  } else {
    db_bind_int64(st, 2, limit);
  }
  size_t cap = 0;
  int step, failed = 0;
  while ((step = db_step(st)) == DB_ROW) {
    if (out->n == cap) {
      cap = cap ? cap * 2 : 16;
      out->items = xrealloc(out->items, cap * sizeof *out->items);
    }
    struct reg_brief *x = &out->items[out->n++];
    x->id = db_col_int64(st, 0);
    x->ext_id = xstrdup(db_col_text(st, 1) ? db_col_text(st, 1) : "");
    x->date = xstrdup(db_col_text(st, 2) ? db_col_text(st, 2) : "");
    x->minutes = db_col_int64(st, 3);
    x->kind = xstrdup(db_col_text(st, 4) ? db_col_text(st, 4) : "");
    x->line_name = xstrdup(db_col_text(st, 5) ? db_col_text(st, 5) : "");
    x->description = dup_or_null(db_col_text(st, 6));
    struct buf b = {0};
    db_bind_int64(inst, 1, x->id);
    int s2;
    while ((s2 = db_step(inst)) == DB_ROW) buf_printf(&b, "%s%s", b.len ? ", " : "", db_col_text(inst, 0));
    if (s2 == DB_ERROR) failed = 1;
    db_reset(inst);
    x->institutions = xstrdup(buf_str(&b));
    buf_free(&b);
  }
  db_finalize(st);
  db_finalize(inst);
  if (step == DB_ERROR || failed) {
    registration_briefs_free(out);
    return -1;
  }
  return 0;
}

int registration_find(struct db *db, const struct reg_filter *f, int64_t *ids, int max) {
  struct db_stmt *st = db_prepare(
      db, "SELECT r.id FROM registration r WHERE r.date >= ? AND r.date <= ? "
          "AND (? = 0 OR r.line_id = ?) AND (? = '' OR r.kind = ?) "
          "AND (? = 0 OR EXISTS (SELECT 1 FROM registration_advisor f WHERE f.registration_id = r.id "
          "AND f.advisor_id = ?)) "
          "AND (? = 0 OR EXISTS (SELECT 1 FROM registration_institution g WHERE g.registration_id = r.id "
          "AND g.institution_id = ?)) "
          "AND (? = 0 OR EXISTS (SELECT 1 FROM registration_advisor x WHERE x.registration_id = r.id AND "
          "(x.advisor_id = ? OR (? = 2 AND x.advisor_id IN (SELECT m2.advisor_id FROM team_member m1 "
          "JOIN team_member m2 ON m2.team_id = m1.team_id WHERE m1.advisor_id = ?))))) "
          "AND (r.date > ? OR (r.date = ? AND r.id > ?)) ORDER BY r.date, r.id LIMIT ?");
  if (!st) return -1;
  const char *kind = f->kind ? f->kind : "", *after = f->after_date ? f->after_date : "";
  int p = 1;
  db_bind_text(st, p++, f->from);
  db_bind_text(st, p++, f->to);
  db_bind_int64(st, p++, f->line_id);
  db_bind_int64(st, p++, f->line_id);
  db_bind_text(st, p++, kind);
  db_bind_text(st, p++, kind);
  db_bind_int64(st, p++, f->advisor_id);
  db_bind_int64(st, p++, f->advisor_id);
  db_bind_int64(st, p++, f->institution_id);
  db_bind_int64(st, p++, f->institution_id);
  db_bind_int64(st, p++, f->scope);
  db_bind_int64(st, p++, f->scope_advisor);
  db_bind_int64(st, p++, f->scope);
  db_bind_int64(st, p++, f->scope_advisor);
  db_bind_text(st, p++, after);
  db_bind_text(st, p++, after);
  db_bind_int64(st, p++, f->after_id);
  db_bind_int64(st, p++, max);
  int n = 0, step;
  while ((step = db_step(st)) == DB_ROW && n < max) ids[n++] = db_col_int64(st, 0);
  db_finalize(st);
  return step == DB_ERROR ? -1 : n;
}

int registration_trajectory_links(struct db *db, const struct model *m, const char *from, const char *to,
                                  int64_t *linked, int64_t *follow) {
  struct db_stmt *st =
      db_prepare(db, "SELECT trajectory_id, COUNT(*), SUM(CASE WHEN followup = 1 THEN 1 ELSE 0 END) "
                     "FROM registration WHERE trajectory_id IS NOT NULL AND date BETWEEN ? AND ? "
                     "GROUP BY trajectory_id");
  if (!st) return -1;
  db_bind_text(st, 1, from);
  db_bind_text(st, 2, to);
  int step;
  while ((step = db_step(st)) == DB_ROW) {
    int64_t tid = db_col_int64(st, 0);
    int t = tid > 0 && tid <= m->max_traj_id ? m->traj_of_id[tid] : -1;
    if (t >= 0) {
      linked[t] = db_col_int64(st, 1);
      follow[t] = db_col_int64(st, 2);
    }
  }
  db_finalize(st);
  return step == DB_ERROR ? -1 : 0;
}
