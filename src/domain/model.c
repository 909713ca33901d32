/* SPDX-License-Identifier: EUPL-1.2 */
#include "domain/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "db/db.h"

const char *const modality_names[N_MODALITIES] = {"fysiek",   "online", "hybride",
                                                  "helpdesk", "walk",   "klasbezoek"};
const char *const activity_names[N_ACTIVITIES] = {
    "preparation", "follow_up", "self_study", "internal_meeting", "professional_development",
    "quality",     "other"};

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }
static char *dup_or_empty(const char *s) { return xstrdup(s ? s : ""); }

static int32_t col_date(struct db_stmt *st, int c) {
  const char *s = db_col_text(st, c);
  int32_t d;
  if (!s || date_parse(s, &d) != 0) return NO_DATE;
  return d;
}

#define PUSH(m, name)                                                                                        \
  (grow_array((void **)&(m)->name, &(m)->cap_##name, (m)->n_##name + 1, sizeof *(m)->name),                  \
   memset(&(m)->name[(m)->n_##name], 0, sizeof *(m)->name), &(m)->name[(m)->n_##name++])

static int *id_index(int64_t max_id) {
  int *a = xmalloc(sizeof(int) * (size_t)(max_id + 1));
  for (int64_t i = 0; i <= max_id; i++) a[i] = -1;
  return a;
}

static void push_int(int **arr, int *n, int v) {
  *arr = xrealloc(*arr, sizeof(int) * (size_t)(*n + 1));
  (*arr)[(*n)++] = v;
}

int model_load(struct db *db, struct model *m, char *err, size_t errlen) {
  memset(m, 0, sizeof *m);
  struct db_stmt *st = NULL;
  int rc = -1;

#define QUERY(sql)                                                                                           \
  do {                                                                                                       \
    db_finalize(st);                                                                                         \
    st = db_prepare(db, sql);                                                                                \
    if (!st) {                                                                                               \
      snprintf(err, errlen, "loading reference data: %s", db_errmsg(db));                                    \
      goto out;                                                                                              \
    }                                                                                                        \
  } while (0)

  QUERY("SELECT id, code, name, grp, position FROM sector ORDER BY COALESCE(position, 0), code");
  while (db_step(st) == DB_ROW) {
    struct sector *s = PUSH(m, sectors);
    s->id = db_col_int64(st, 0);
    s->code = dup_or_empty(db_col_text(st, 1));
    s->name = dup_or_empty(db_col_text(st, 2));
    s->grp = dup_or_null(db_col_text(st, 3));
    s->position = (int)db_col_int64(st, 4);
    strmap_put(&m->sector_by_code, s->code, (int64_t)(m->n_sectors - 1));
  }
  QUERY("SELECT id, code, name, kind, unit, position FROM line ORDER BY COALESCE(position, 0), code");
  while (db_step(st) == DB_ROW) {
    struct line *l = PUSH(m, lines);
    l->id = db_col_int64(st, 0);
    l->code = dup_or_empty(db_col_text(st, 1));
    l->name = dup_or_empty(db_col_text(st, 2));
    const char *k = db_col_text(st, 3);
    l->kind = !strcmp(k, "pillar") ? KIND_PILLAR : !strcmp(k, "project") ? KIND_PROJECT : KIND_OTHER;
    l->unit = !strcmp(db_col_text(st, 4), "poc") ? UNIT_POC : UNIT_PBD;
    l->position = (int)db_col_int64(st, 5);
    strmap_put(&m->line_by_code, l->code, (int64_t)(m->n_lines - 1));
    if (l->id > m->max_line_id) m->max_line_id = l->id;
  }
  m->line_of_id = id_index(m->max_line_id);
  for (size_t i = 0; i < m->n_lines; i++) m->line_of_id[m->lines[i].id] = (int)i;

  QUERY("SELECT id, code, line_id, name FROM goal ORDER BY code");
  while (db_step(st) == DB_ROW) {
    struct goal *g = PUSH(m, goals);
    g->id = db_col_int64(st, 0);
    g->code = dup_or_empty(db_col_text(st, 1));
    g->line = m->line_of_id[db_col_int64(st, 2)];
    g->name = dup_or_empty(db_col_text(st, 3));
    strmap_put(&m->goal_by_code, g->code, (int64_t)(m->n_goals - 1));
    if (g->id > m->max_goal_id) m->max_goal_id = g->id;
  }
  m->goal_of_id = id_index(m->max_goal_id);
  for (size_t i = 0; i < m->n_goals; i++) m->goal_of_id[m->goals[i].id] = (int)i;

  QUERY("SELECT i.id, i.number, i.code, i.name, i.sector_id, i.own, i.board_id, i.active, "
        "i.start_date, i.end_date FROM institution i ORDER BY i.number");
  {
    int64_t *sector_ids = NULL, *board_ids = NULL;
    size_t cap_s = 0, cap_b = 0;
    while (db_step(st) == DB_ROW) {
      struct institution *in = PUSH(m, institutions);
      size_t k = m->n_institutions - 1;
      in->id = db_col_int64(st, 0);
      in->number = dup_or_empty(db_col_text(st, 1));
      in->code = dup_or_empty(db_col_text(st, 2));
      in->name = dup_or_empty(db_col_text(st, 3));
      grow_array((void **)&sector_ids, &cap_s, k + 1, sizeof *sector_ids);
      grow_array((void **)&board_ids, &cap_b, k + 1, sizeof *board_ids);
      sector_ids[k] = db_col_int64(st, 4);
      in->own = (int)db_col_int64(st, 5);
      board_ids[k] = db_col_is_null(st, 6) ? 0 : db_col_int64(st, 6);
      in->active = (int)db_col_int64(st, 7);
      in->start = col_date(st, 8);
      in->end = col_date(st, 9);
      strmap_put(&m->inst_by_number, in->number, (int64_t)k);
      strmap_put(&m->inst_by_code, in->code, (int64_t)k);
      if (in->id > m->max_inst_id) m->max_inst_id = in->id;
    }
    m->inst_of_id = id_index(m->max_inst_id);
    for (size_t i = 0; i < m->n_institutions; i++) m->inst_of_id[m->institutions[i].id] = (int)i;
    for (size_t i = 0; i < m->n_institutions; i++) {
      m->institutions[i].sector = -1;
      for (size_t s = 0; s < m->n_sectors; s++)
        if (m->sectors[s].id == sector_ids[i]) m->institutions[i].sector = (int)s;
      m->institutions[i].board =
          board_ids[i] > 0 && board_ids[i] <= m->max_inst_id ? m->inst_of_id[board_ids[i]] : -1;
    }
    free(sector_ids);
    free(board_ids);
  }

  QUERY("SELECT id, code, name FROM team ORDER BY code");
  while (db_step(st) == DB_ROW) {
    struct team *t = PUSH(m, teams);
    t->id = db_col_int64(st, 0);
    t->code = dup_or_empty(db_col_text(st, 1));
    t->name = dup_or_empty(db_col_text(st, 2));
    strmap_put(&m->team_by_code, t->code, (int64_t)(m->n_teams - 1));
  }
  QUERY("SELECT id, code, name, role, fte, start_date, end_date FROM advisor ORDER BY code");
  while (db_step(st) == DB_ROW) {
    struct advisor *a = PUSH(m, advisors);
    a->id = db_col_int64(st, 0);
    a->code = dup_or_empty(db_col_text(st, 1));
    a->name = dup_or_empty(db_col_text(st, 2));
    a->role = dup_or_empty(db_col_text(st, 3));
    a->fte = db_col_double(st, 4);
    a->start = col_date(st, 5);
    a->end = col_date(st, 6);
    strmap_put(&m->advisor_by_code, a->code, (int64_t)(m->n_advisors - 1));
    if (a->id > m->max_advisor_id) m->max_advisor_id = a->id;
  }
  m->advisor_of_id = id_index(m->max_advisor_id);
  for (size_t i = 0; i < m->n_advisors; i++) m->advisor_of_id[m->advisors[i].id] = (int)i;

  QUERY("SELECT t.code, l.code FROM team_line tl JOIN team t ON t.id = tl.team_id "
        "JOIN line l ON l.id = tl.line_id ORDER BY t.code, l.code");
  while (db_step(st) == DB_ROW) {
    int t = model_team(m, db_col_text(st, 0)), l = model_line(m, db_col_text(st, 1));
    if (t >= 0 && l >= 0) push_int(&m->teams[t].lines, &m->teams[t].n_lines, l);
  }
  QUERY("SELECT t.code, a.code FROM team_member tm JOIN team t ON t.id = tm.team_id "
        "JOIN advisor a ON a.id = tm.advisor_id ORDER BY t.code, a.code");
  while (db_step(st) == DB_ROW) {
    int t = model_team(m, db_col_text(st, 0)), a = model_advisor(m, db_col_text(st, 1));
    if (t < 0 || a < 0) continue;
    push_int(&m->teams[t].members, &m->teams[t].n_members, a);
    push_int(&m->advisors[a].teams, &m->advisors[a].n_teams, t);
  }

  QUERY("SELECT id, code, name, position FROM target_group ORDER BY COALESCE(position, 0), code");
  while (db_step(st) == DB_ROW) {
    struct target_group *g = PUSH(m, target_groups);
    g->id = db_col_int64(st, 0);
    g->code = dup_or_empty(db_col_text(st, 1));
    g->name = dup_or_empty(db_col_text(st, 2));
    g->position = (int)db_col_int64(st, 3);
    strmap_put(&m->tg_by_code, g->code, (int64_t)(m->n_target_groups - 1));
    if (g->id > m->max_tg_id) m->max_tg_id = g->id;
  }
  m->tg_of_id = id_index(m->max_tg_id);
  for (size_t i = 0; i < m->n_target_groups; i++) m->tg_of_id[m->target_groups[i].id] = (int)i;

  QUERY("SELECT id, ext_id, institution_id, line_id, goal_id, level, shared_goal, action_plan, "
        "start_date, end_date, status FROM trajectory ORDER BY ext_id");
  while (db_step(st) == DB_ROW) {
    struct trajectory *t = PUSH(m, trajectories);
    t->id = db_col_int64(st, 0);
    t->ext_id = dup_or_empty(db_col_text(st, 1));
    t->institution = m->inst_of_id[db_col_int64(st, 2)];
    t->line = db_col_is_null(st, 3) ? -1 : m->line_of_id[db_col_int64(st, 3)];
    t->goal = db_col_is_null(st, 4) ? -1 : m->goal_of_id[db_col_int64(st, 4)];
    t->level = dup_or_null(db_col_text(st, 5));
    t->shared_goal = dup_or_null(db_col_text(st, 6));
    t->action_plan = dup_or_null(db_col_text(st, 7));
    t->start = col_date(st, 8);
    t->end = col_date(st, 9);
    t->status = dup_or_empty(db_col_text(st, 10));
    t->outcome = OUTCOME_NONE;
    for (int p = 0; p < N_PHASES; p++) t->phase_date[p] = NO_DATE;
    strmap_put(&m->traj_by_ext, t->ext_id, (int64_t)(m->n_trajectories - 1));
    if (t->id > m->max_traj_id) m->max_traj_id = t->id;
  }
  m->traj_of_id = id_index(m->max_traj_id);
  for (size_t i = 0; i < m->n_trajectories; i++) m->traj_of_id[m->trajectories[i].id] = (int)i;

  m->inst_traj_start = xcalloc(m->n_institutions + 2, sizeof(int));
  m->inst_traj = xcalloc(m->n_trajectories + 1, sizeof(int));
  for (size_t i = 0; i < m->n_trajectories; i++) m->inst_traj_start[m->trajectories[i].institution + 1]++;
  for (size_t i = 0; i < m->n_institutions; i++) m->inst_traj_start[i + 1] += m->inst_traj_start[i];
  {
    int *fill = xcalloc(m->n_institutions + 1, sizeof(int));
    for (size_t i = 0; i < m->n_trajectories; i++) {
      int in = m->trajectories[i].institution;
      m->inst_traj[m->inst_traj_start[in] + fill[in]++] = (int)i;
    }
    free(fill);
  }

  QUERY("SELECT id, outcome, outcome_note FROM trajectory");
  while (db_step(st) == DB_ROW) {
    struct trajectory *t = &m->trajectories[m->traj_of_id[db_col_int64(st, 0)]];
    t->outcome = parse_outcome(db_col_text(st, 1));
    t->outcome_note = dup_or_null(db_col_text(st, 2));
  }
  QUERY("SELECT ta.trajectory_id, a.code FROM trajectory_advisor ta "
        "JOIN advisor a ON a.id = ta.advisor_id ORDER BY ta.trajectory_id, a.code");
  while (db_step(st) == DB_ROW) {
    struct trajectory *t = &m->trajectories[m->traj_of_id[db_col_int64(st, 0)]];
    int a = model_advisor(m, db_col_text(st, 1));
    if (a >= 0) push_int(&t->advisors, &t->n_advisors, a);
  }
  QUERY("SELECT trajectory_id, phase, date FROM trajectory_phase");
  while (db_step(st) == DB_ROW) {
    struct trajectory *t = &m->trajectories[m->traj_of_id[db_col_int64(st, 0)]];
    int ph = parse_phase(db_col_text(st, 1));
    if (ph >= 0) t->phase_date[ph] = col_date(st, 2);
  }
  QUERY("SELECT trajectory_id, COUNT(*), SUM(CASE WHEN who IS NOT NULL AND who <> '' AND due IS NOT NULL "
        "AND expected IS NOT NULL AND expected <> '' THEN 1 ELSE 0 END) FROM action_step "
        "GROUP BY trajectory_id");
  while (db_step(st) == DB_ROW) {
    struct trajectory *t = &m->trajectories[m->traj_of_id[db_col_int64(st, 0)]];
    t->steps = (int)db_col_int64(st, 1);
    t->steps_complete = (int)db_col_int64(st, 2);
  }

  QUERY("SELECT school_year, hours_per_fte, reach_rule, reach_min_hours, locked FROM setting "
        "ORDER BY school_year");
  while (db_step(st) == DB_ROW) {
    struct setting *s = PUSH(m, settings);
    s->year = (int)db_col_int64(st, 0);
    s->hours_per_fte = db_col_double(st, 1);
    s->rule = parse_reach_rule(db_col_text(st, 2));
    s->min_hours = db_col_is_null(st, 3) ? 20.0 : db_col_double(st, 3);
    s->locked = (int)db_col_int64(st, 4);
  }
  QUERY("SELECT school_year, line_id, planned_fte, coloured_fte FROM plan ORDER BY school_year, line_id");
  while (db_step(st) == DB_ROW) {
    struct plan_row *p = PUSH(m, plan);
    p->year = (int)db_col_int64(st, 0);
    p->line = m->line_of_id[db_col_int64(st, 1)];
    p->planned = db_col_double(st, 2);
    p->has_coloured = !db_col_is_null(st, 3);
    p->coloured = p->has_coloured ? db_col_double(st, 3) : 0;
  }
  QUERY("SELECT school_year, target_group_id, target FROM target ORDER BY school_year, target_group_id");
  while (db_step(st) == DB_ROW) {
    struct target_row *t = PUSH(m, targets);
    t->year = (int)db_col_int64(st, 0);
    t->tg = m->tg_of_id[db_col_int64(st, 1)];
    t->target = db_col_double(st, 2);
  }
  rc = 0;
out:
  db_finalize(st);
  if (rc != 0) model_free(m);
  return rc;
#undef QUERY
}

void model_free(struct model *m) {
  for (size_t i = 0; i < m->n_sectors; i++) {
    free(m->sectors[i].code);
    free(m->sectors[i].name);
    free(m->sectors[i].grp);
  }
  for (size_t i = 0; i < m->n_lines; i++) {
    free(m->lines[i].code);
    free(m->lines[i].name);
  }
  for (size_t i = 0; i < m->n_goals; i++) {
    free(m->goals[i].code);
    free(m->goals[i].name);
  }
  for (size_t i = 0; i < m->n_institutions; i++) {
    free(m->institutions[i].number);
    free(m->institutions[i].code);
    free(m->institutions[i].name);
  }
  for (size_t i = 0; i < m->n_teams; i++) {
    free(m->teams[i].code);
    free(m->teams[i].name);
    free(m->teams[i].lines);
    free(m->teams[i].members);
  }
  for (size_t i = 0; i < m->n_advisors; i++) {
    free(m->advisors[i].code);
    free(m->advisors[i].name);
    free(m->advisors[i].role);
    free(m->advisors[i].teams);
  }
  for (size_t i = 0; i < m->n_target_groups; i++) {
    free(m->target_groups[i].code);
    free(m->target_groups[i].name);
  }
  for (size_t i = 0; i < m->n_trajectories; i++) {
    struct trajectory *t = &m->trajectories[i];
    free(t->ext_id);
    free(t->level);
    free(t->shared_goal);
    free(t->action_plan);
    free(t->status);
    free(t->outcome_note);
    free(t->advisors);
  }
  free(m->sectors);
  free(m->lines);
  free(m->goals);
  free(m->institutions);
  free(m->teams);
  free(m->advisors);
  free(m->target_groups);
  free(m->trajectories);
  free(m->inst_traj_start);
  free(m->inst_traj);
  free(m->settings);
  free(m->plan);
  free(m->targets);
  strmap_free(&m->sector_by_code);
  strmap_free(&m->line_by_code);
  strmap_free(&m->goal_by_code);
  strmap_free(&m->inst_by_number);
  strmap_free(&m->inst_by_code);
  strmap_free(&m->team_by_code);
  strmap_free(&m->advisor_by_code);
  strmap_free(&m->tg_by_code);
  strmap_free(&m->traj_by_ext);
  free(m->line_of_id);
  free(m->inst_of_id);
  free(m->advisor_of_id);
  free(m->tg_of_id);
  free(m->traj_of_id);
  free(m->goal_of_id);
  memset(m, 0, sizeof *m);
}

static int lookup(const struct strmap *map, const char *key) {
  int64_t v;
  return key && strmap_get(map, key, &v) ? (int)v : -1;
}

int model_line(const struct model *m, const char *c) { return lookup(&m->line_by_code, c); }
int model_goal(const struct model *m, const char *c) { return lookup(&m->goal_by_code, c); }
int model_sector(const struct model *m, const char *c) { return lookup(&m->sector_by_code, c); }
int model_team(const struct model *m, const char *c) { return lookup(&m->team_by_code, c); }
int model_advisor(const struct model *m, const char *c) { return lookup(&m->advisor_by_code, c); }
int model_tg(const struct model *m, const char *c) { return lookup(&m->tg_by_code, c); }
int model_trajectory(const struct model *m, const char *c) { return lookup(&m->traj_by_ext, c); }
int model_institution(const struct model *m, const char *s) {
  int i = lookup(&m->inst_by_number, s);
  return i >= 0 ? i : lookup(&m->inst_by_code, s);
}

struct setting model_setting(const struct model *m, int year) {
  for (size_t i = 0; i < m->n_settings; i++)
    if (m->settings[i].year == year) return m->settings[i];
  struct setting s = {year, 1185.0, RULE_CONTACT, 20.0, 0};
  return s;
}

int model_year_locked(const struct model *m, int year) { return model_setting(m, year).locked; }

int ranges_overlap(int32_t start, int32_t end, int32_t a, int32_t b) {
  if (start != NO_DATE && start > b) return 0;
  if (end != NO_DATE && end < a) return 0;
  return 1;
}

int advisor_employed_on(const struct advisor *a, int32_t day) {
  return ranges_overlap(a->start, a->end, day, day);
}

static int find_name(const char *const *names, int n, const char *s) {
  for (int i = 0; i < n; i++)
    if (s && !strcmp(names[i], s)) return i;
  return -1;
}

int parse_modality(const char *s) { return find_name(modality_names, N_MODALITIES, s); }
int parse_activity(const char *s) { return find_name(activity_names, N_ACTIVITIES, s); }

static const char *const rule_names[] = {"hours", "contact", "trajectory"};
const char *reach_rule_name(int rule) { return rule_names[rule]; }
int parse_reach_rule(const char *s) { return find_name(rule_names, 3, s); }

int is_sector_group_name(const struct model *m, const char *s) {
  static const char *const defaults[] = {"(Bu)BaO", "(Bu)SO", "VO", "CLB", "LNC", "Besturen"};
  for (int i = 0; i < 6; i++)
    if (!strcmp(defaults[i], s)) return 1;
  for (size_t i = 0; i < m->n_sectors; i++)
    if (m->sectors[i].grp && !strcmp(m->sectors[i].grp, s)) return 1;
  return 0;
}

const char *const phase_names[N_PHASES] = {"explore", "prepare", "deliver", "sustain"};
const char *const mechanism_names[N_MECHANISMS] = {
    "cognitive_load", "revisit_prior",   "set_goals",       "credible_source", "affirmation",
    "instruction",    "social_support",  "modelling",       "feedback",        "rehearsal",
    "prompts",        "action_planning", "self_monitoring", "repetition"};
const char *const outcome_names[N_OUTCOMES] = {"yes", "partly", "no"};

static int index_of(const char *const *names, int n, const char *s) {
  for (int i = 0; s && i < n; i++)
    if (!strcmp(names[i], s)) return i;
  return -1;
}
int parse_phase(const char *s) { return index_of(phase_names, N_PHASES, s); }
int parse_mechanism(const char *s) { return index_of(mechanism_names, N_MECHANISMS, s); }
int parse_outcome(const char *s) { return index_of(outcome_names, N_OUTCOMES, s); }

int trajectory_phase_on(const struct trajectory *t, int32_t day) {
  int best = -1;
  for (int p = 0; p < N_PHASES; p++) {
    if (t->phase_date[p] == NO_DATE || t->phase_date[p] > day) continue;
    if (best < 0 || t->phase_date[p] >= t->phase_date[best]) best = p;
  }
  return best;
}

int trajectory_has_plan(const struct trajectory *t) {
  return (t->action_plan && *t->action_plan) || t->steps_complete > 0;
}
