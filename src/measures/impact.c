/* SPDX-License-Identifier: EUPL-1.2 */
#include "measures/impact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/model.h"
#include "measures/facts.h"

enum {
  S_ACTIVE,
  S_GOAL_PLAN,
  S_PHASE0,
  S_PHASE_NONE = S_PHASE0 + N_PHASES,
  S_CLOSED,
  S_OUT0,
  S_OUT_UNKNOWN = S_OUT0 + N_OUTCOMES,
  S_MECH_REGS,
  S_MECH0,
  S_SHORT_N = S_MECH0 + N_MECHANISMS,
  S_LONG_N,
  S_REACHED,
  N_COUNTS
};

struct acc {
  int64_t count[N_COUNTS];
  int64_t short_sum, short_answers, long_sum, long_answers;
};

/* The scopes of one school year. */
struct scopes {
  const struct model *m;
  int n, team0, line0, goal0, adv0;
  struct acc *a;
  int *stamp; /* dedupe: the item that last touched each scope */
  int item;
  int idx[512];
  int nidx;
};

static void scopes_init(struct scopes *s, const struct model *m) {
  memset(s, 0, sizeof *s);
  s->m = m;
  s->team0 = 3;
  s->line0 = s->team0 + (int)m->n_teams;
  s->goal0 = s->line0 + (int)m->n_lines;
  s->adv0 = s->goal0 + (int)m->n_goals;
  s->n = s->adv0 + (int)m->n_advisors;
  s->a = xcalloc((size_t)s->n, sizeof *s->a);
  s->stamp = xmalloc(sizeof(int) * (size_t)s->n);
  for (int i = 0; i < s->n; i++) s->stamp[i] = -1;
}

static void scopes_free(struct scopes *s) {
  free(s->a);
  free(s->stamp);
}

static void push(struct scopes *s, int i) {
  if (i < 0 || i >= s->n || s->stamp[i] == s->item || s->nidx >= (int)(sizeof s->idx / sizeof s->idx[0]))
    return;
  s->stamp[i] = s->item;
  s->idx[s->nidx++] = i;
}

/* The scopes of an item with line, goal (indexes or -1) and advisors (indexes). */
static void item_scopes(struct scopes *s, int line, int goal, const int *adv, int nadv) {
  const struct model *m = s->m;
  s->item++;
  s->nidx = 0;
  push(s, 0);
  if (line >= 0) {
    push(s, 1 + (m->lines[line].unit == UNIT_POC));
    push(s, s->line0 + line);
  }
  if (goal >= 0) push(s, s->goal0 + goal);
  for (int i = 0; i < nadv; i++) {
    push(s, s->adv0 + adv[i]);
    const struct advisor *a = &m->advisors[adv[i]];
    for (int k = 0; k < a->n_teams; k++) push(s, s->team0 + a->teams[k]);
  }
}

static void bump(struct scopes *s, int what, int64_t by) {
  for (int i = 0; i < s->nidx; i++) s->a[s->idx[i]].count[what] += by;
}

static int index_of_id(const int *map, int64_t max, int64_t id) { return id > 0 && id <= max ? map[id] : -1; }

static void scope_name(const struct scopes *s, int i, char *out, size_t n) {
  const struct model *m = s->m;
  if (i == 0)
    snprintf(out, n, "org");
  else if (i < s->team0)
    snprintf(out, n, "unit:%s", i == 1 ? "pbd" : "poc");
  else if (i < s->line0)
    snprintf(out, n, "team:%s", m->teams[i - s->team0].code);
  else if (i < s->goal0)
    snprintf(out, n, "line:%s", m->lines[i - s->line0].code);
  else if (i < s->adv0)
    snprintf(out, n, "goal:%s", m->goals[i - s->goal0].code);
  else
    snprintf(out, n, "advisor:%s", m->advisors[i - s->adv0].code);
}

/* Line, goal and advisors of a registration (internal id). 0 or -1. */
static int registration_scope(struct db *db, struct db_stmt *adv_st, struct scopes *s, int64_t line_id,
                              int64_t goal_id, int64_t reg_id) {
  const struct model *m = s->m;
  int adv[64], na = 0;
  db_bind_int64(adv_st, 1, reg_id);
  while (db_step(adv_st) == DB_ROW && na < 64) {
    int a = index_of_id(m->advisor_of_id, m->max_advisor_id, db_col_int64(adv_st, 0));
    if (a >= 0) adv[na++] = a;
  }
  db_reset(adv_st);
  (void)db;
  item_scopes(s, index_of_id(m->line_of_id, m->max_line_id, line_id),
              index_of_id(m->goal_of_id, m->max_goal_id, goal_id), adv, na);
  return 0;
}

static const char *const phase_cols[N_PHASES] = {"phase_explore", "phase_prepare", "phase_deliver",
                                                 "phase_sustain"};
static const char *const outcome_cols[N_OUTCOMES] = {"outcome_yes", "outcome_partly", "outcome_no"};
static const char *const mech_cols[N_MECHANISMS] = {
    "mech_cognitive_load",  "mech_revisit_prior", "mech_set_goals",      "mech_credible_source",
    "mech_affirmation",     "mech_instruction",   "mech_social_support", "mech_modelling",
    "mech_feedback",        "mech_rehearsal",     "mech_prompts",        "mech_action_planning",
    "mech_self_monitoring", "mech_repetition"};

static int one_year(struct db *db, const struct model *m, int y, int32_t today, struct facts *out, char *err,
                    size_t errlen) {
  int32_t first = school_year_first_day(y), last = school_year_last_day(y);
  int32_t on = today < last ? (today < first ? first : today) : last;
  char from[11], to[11];
  date_format(first, from);
  date_format(last, to);
  struct scopes s;
  scopes_init(&s, m);
  int rc = -1;
  unsigned char *reached = xcalloc(m->n_institutions + 1, 1);
  unsigned char *missing = xcalloc(m->n_institutions + 1, 1);
  struct db_stmt *st = NULL, *adv_st = NULL;
  if (facts_reach_detail(db, m, y, reached, missing, err, errlen) != 0) goto out;

  /* trajectories */
  for (size_t t = 0; t < m->n_trajectories; t++) {
    const struct trajectory *tr = &m->trajectories[t];
    if (!ranges_overlap(tr->start, tr->end, first, last)) continue;
    int planned = !tr->status || !strcmp(tr->status, "planned");
    int closed = tr->status && !strcmp(tr->status, "closed");
    if (planned) continue;
    item_scopes(&s, tr->line, tr->goal, tr->advisors, tr->n_advisors);
    bump(&s, S_ACTIVE, 1);
    if (tr->shared_goal && *tr->shared_goal && trajectory_has_plan(tr)) bump(&s, S_GOAL_PLAN, 1);
    int ph = trajectory_phase_on(tr, on);
    bump(&s, ph >= 0 ? S_PHASE0 + ph : S_PHASE_NONE, 1);
    if (closed && (tr->end == NO_DATE || (tr->end >= first && tr->end <= last))) {
      bump(&s, S_CLOSED, 1);
      bump(&s, tr->outcome >= 0 ? S_OUT0 + tr->outcome : S_OUT_UNKNOWN, 1);
    }
  }
  /* own institutions reached, per scope of their active trajectories (each institution once);
     like indicator 2, an institution outside the own network or the year counts nowhere */
  for (size_t i = 0; i < m->n_institutions; i++) {
    const struct institution *in = &m->institutions[i];
    if (!reached[i] || !in->own || !ranges_overlap(in->start, in->end, first, last)) continue;
    s.item++;
    s.nidx = 0;
    push(&s, 0);
    for (int x = m->inst_traj_start[i]; x < m->inst_traj_start[i + 1]; x++) {
      const struct trajectory *tr = &m->trajectories[m->inst_traj[x]];
      if (!ranges_overlap(tr->start, tr->end, first, last)) continue;
      if (!tr->status || !strcmp(tr->status, "planned")) continue;
      if (tr->line >= 0) {
        push(&s, 1 + (m->lines[tr->line].unit == UNIT_POC));
        push(&s, s.line0 + tr->line);
      }
      if (tr->goal >= 0) push(&s, s.goal0 + tr->goal);
      for (int k = 0; k < tr->n_advisors; k++) {
        push(&s, s.adv0 + tr->advisors[k]);
        const struct advisor *a = &m->advisors[tr->advisors[k]];
        for (int j = 0; j < a->n_teams; j++) push(&s, s.team0 + a->teams[j]);
      }
    }
    bump(&s, S_REACHED, 1);
  }

  adv_st = db_prepare(db, "SELECT advisor_id FROM registration_advisor WHERE registration_id = ?");
  /* mechanisms: client registrations of the year */
  st = db_prepare(db, "SELECT r.id, r.line_id, r.goal_id, rm.mechanism FROM registration_mechanism rm "
                      "JOIN registration r ON r.id = rm.registration_id "
                      "WHERE r.kind = 'client' AND r.date >= ? AND r.date <= ? ORDER BY r.id, rm.mechanism");
  if (!st || !adv_st) goto dberr;
  db_bind_text(st, 1, from);
  db_bind_text(st, 2, to);
  int64_t cur = 0;
  int step;
  while ((step = db_step(st)) == DB_ROW) {
    int64_t id = db_col_int64(st, 0);
    if (id != cur) {
      cur = id;
      registration_scope(db, adv_st, &s, db_col_is_null(st, 1) ? 0 : db_col_int64(st, 1),
                         db_col_is_null(st, 2) ? 0 : db_col_int64(st, 2), id);
      bump(&s, S_MECH_REGS, 1);
    }
    int k = parse_mechanism(db_col_text(st, 3));
    if (k >= 0) bump(&s, S_MECH0 + k, 1);
  }
  if (step == DB_ERROR) goto dberr;
  db_finalize(st);

  /* surveys created in the year: responses and their scale answers */
  st = db_prepare(db, "SELECT p.id, q.kind, s.trajectory_id, s.registration_id, r.line_id, r.goal_id, "
                      "(SELECT SUM(a.score) FROM survey_answer a WHERE a.response_id = p.id), "
                      "(SELECT COUNT(a.score) FROM survey_answer a WHERE a.response_id = p.id) "
                      "FROM survey_response p JOIN survey s ON s.id = p.survey_id "
                      "JOIN questionnaire q ON q.id = s.questionnaire_id "
                      "LEFT JOIN registration r ON r.id = s.registration_id "
                      "WHERE s.created >= ? AND s.created <= ? ORDER BY p.id");
  if (!st) goto dberr;
  db_bind_text(st, 1, from);
  db_bind_text(st, 2, to);
  while ((step = db_step(st)) == DB_ROW) {
    int is_long = !strcmp(db_col_text(st, 1) ? db_col_text(st, 1) : "", "long");
    if (!db_col_is_null(st, 2)) {
      int t = index_of_id(m->traj_of_id, m->max_traj_id, db_col_int64(st, 2));
      if (t < 0) continue;
      const struct trajectory *tr = &m->trajectories[t];
      item_scopes(&s, tr->line, tr->goal, tr->advisors, tr->n_advisors);
    } else if (!db_col_is_null(st, 3)) {
      registration_scope(db, adv_st, &s, db_col_is_null(st, 4) ? 0 : db_col_int64(st, 4),
                         db_col_is_null(st, 5) ? 0 : db_col_int64(st, 5), db_col_int64(st, 3));
    } else {
      continue;
    }
    int64_t sum = db_col_is_null(st, 6) ? 0 : db_col_int64(st, 6), cnt = db_col_int64(st, 7);
    bump(&s, is_long ? S_LONG_N : S_SHORT_N, 1);
    for (int i = 0; i < s.nidx; i++) {
      struct acc *a = &s.a[s.idx[i]];
      if (is_long) {
        a->long_sum += sum;
        a->long_answers += cnt;
      } else {
        a->short_sum += sum;
        a->short_answers += cnt;
      }
    }
  }
  if (step == DB_ERROR) goto dberr;

  /* the facts: every scope with something to say */
  for (int i = 0; i < s.n; i++) {
    const struct acc *a = &s.a[i];
    int any = 0;
    for (int k = 0; k < N_COUNTS; k++) any |= a->count[k] != 0;
    if (!any && i != 0) continue;
    char row[160];
    scope_name(&s, i, row, sizeof row);
    facts_add(out, "impact", y, row, "active", (double)a->count[S_ACTIVE]);
    facts_add(out, "impact", y, row, "goal_plan", (double)a->count[S_GOAL_PLAN]);
    if (a->count[S_ACTIVE])
      facts_add(out, "impact", y, row, "goal_plan_share",
                (double)a->count[S_GOAL_PLAN] / (double)a->count[S_ACTIVE]);
    for (int p = 0; p < N_PHASES; p++)
      facts_add(out, "impact", y, row, phase_cols[p], (double)a->count[S_PHASE0 + p]);
    facts_add(out, "impact", y, row, "phase_none", (double)a->count[S_PHASE_NONE]);
    facts_add(out, "impact", y, row, "closed", (double)a->count[S_CLOSED]);
    for (int o = 0; o < N_OUTCOMES; o++)
      facts_add(out, "impact", y, row, outcome_cols[o], (double)a->count[S_OUT0 + o]);
    facts_add(out, "impact", y, row, "outcome_unknown", (double)a->count[S_OUT_UNKNOWN]);
    if (a->count[S_CLOSED])
      facts_add(out, "impact", y, row, "realised_share",
                (double)a->count[S_OUT0] / (double)a->count[S_CLOSED]);
    facts_add(out, "impact", y, row, "mech_registrations", (double)a->count[S_MECH_REGS]);
    for (int k = 0; k < N_MECHANISMS; k++)
      facts_add(out, "impact", y, row, mech_cols[k], (double)a->count[S_MECH0 + k]);
    facts_add(out, "impact", y, row, "short_n", (double)a->count[S_SHORT_N]);
    facts_add(out, "impact", y, row, "long_n", (double)a->count[S_LONG_N]);
    if (a->count[S_SHORT_N] >= IMPACT_THRESHOLD && a->short_answers)
      facts_add(out, "impact", y, row, "short_mean", (double)a->short_sum / (double)a->short_answers);
    if (a->count[S_LONG_N] >= IMPACT_THRESHOLD && a->long_answers)
      facts_add(out, "impact", y, row, "long_mean", (double)a->long_sum / (double)a->long_answers);
    facts_add(out, "impact", y, row, "reached", (double)a->count[S_REACHED]);
  }
  rc = 0;
  goto out;
dberr:
  snprintf(err, errlen, "impact measures: %s", db_errmsg(db));
out:
  db_finalize(st);
  db_finalize(adv_st);
  free(reached);
  free(missing);
  scopes_free(&s);
  return rc;
}

int impact_compute(struct db *db, const struct model *m, const int *years, int n_years, int32_t today,
                   struct facts *out, char *err, size_t errlen) {
  for (int i = 0; i < n_years; i++)
    if (one_year(db, m, years[i], today, out, err, errlen) != 0) return -1;
  facts_index(out);
  return 0;
}
