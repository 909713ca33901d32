/* SPDX-License-Identifier: EUPL-1.2 */
#include "io/dataset.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/dates.h"
#include "core/numbers.h"
#include "core/util.h"
#include "db/db.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct coldef settings_cols[] = {
    {"school_year", C_YEAR, 1, NULL, NULL},
    {"hours_per_fte", C_DEC, 1, NULL, NULL},
    {"reach_rule", C_CODE, 0, "contact", "hours|contact|trajectory"},
    {"reach_min_hours", C_DEC, 0, NULL, NULL},
    {"locked", C_BOOL, 0, "false", NULL}};
static const struct coldef sectors_cols[] = {{"code", C_CODE, 1, NULL, NULL},
                                             {"name", C_TEXT, 1, NULL, NULL},
                                             {"group", C_TEXT, 0, NULL, NULL},
                                             {"position", C_INT, 0, NULL, NULL}};
static const struct coldef lines_cols[] = {{"code", C_CODE, 1, NULL, NULL},
                                           {"name", C_TEXT, 1, NULL, NULL},
                                           {"kind", C_CODE, 1, NULL, "pillar|project|other"},
                                           {"unit", C_CODE, 0, "pbd", "pbd|poc"},
                                           {"position", C_INT, 0, NULL, NULL}};
static const struct coldef goals_cols[] = {
    {"code", C_CODE, 1, NULL, NULL}, {"line", C_CODE, 1, NULL, NULL}, {"name", C_TEXT, 1, NULL, NULL}};
static const struct coldef plan_cols[] = {{"school_year", C_YEAR, 1, NULL, NULL},
                                          {"line", C_CODE, 1, NULL, NULL},
                                          {"planned_fte", C_DEC, 1, NULL, NULL},
                                          {"coloured_fte", C_DEC, 0, NULL, NULL}};
static const struct coldef institutions_cols[] = {
    {"number", C_CODE, 1, NULL, NULL},   {"code", C_CODE, 1, NULL, NULL},  {"name", C_TEXT, 1, NULL, NULL},
    {"sector", C_CODE, 1, NULL, NULL},   {"own", C_BOOL, 0, "true", NULL}, {"board", C_CODE, 0, NULL, NULL},
    {"active", C_BOOL, 0, "true", NULL}, {"start", C_DATE, 0, NULL, NULL}, {"end", C_DATE, 0, NULL, NULL}};
static const struct coldef teams_cols[] = {
    {"code", C_CODE, 1, NULL, NULL}, {"name", C_TEXT, 1, NULL, NULL}, {"lines", C_LIST, 0, NULL, NULL}};
static const struct coldef advisors_cols[] = {
    {"code", C_CODE, 1, NULL, NULL},
    {"name", C_TEXT, 1, NULL, NULL},
    {"role", C_CODE, 0, "begeleider", "begeleider|adviseur|poc|coordinator|director"},
    {"fte", C_DEC, 1, NULL, NULL},
    {"start", C_DATE, 0, NULL, NULL},
    {"end", C_DATE, 0, NULL, NULL},
    {"teams", C_LIST, 0, NULL, NULL}};
static const struct coldef target_groups_cols[] = {
    {"code", C_CODE, 1, NULL, NULL}, {"name", C_TEXT, 1, NULL, NULL}, {"position", C_INT, 0, NULL, NULL}};
static const struct coldef targets_cols[] = {{"school_year", C_YEAR, 1, NULL, NULL},
                                             {"target_group", C_CODE, 1, NULL, NULL},
                                             {"target", C_DEC, 1, NULL, NULL}};
static const struct coldef trajectories_cols[] = {{"id", C_CODE, 1, NULL, NULL},
                                                  {"institution", C_CODE, 1, NULL, NULL},
                                                  {"line", C_CODE, 0, NULL, NULL},
                                                  {"goal", C_CODE, 0, NULL, NULL},
                                                  {"level", C_CODE, 0, NULL, "meso|micro"},
                                                  {"shared_goal", C_TEXT, 0, NULL, NULL},
                                                  {"action_plan", C_TEXT, 0, NULL, NULL},
                                                  {"start", C_DATE, 0, NULL, NULL},
                                                  {"end", C_DATE, 0, NULL, NULL},
                                                  {"status", C_CODE, 0, "active", "planned|active|closed"}};
static const struct coldef registrations_cols[] = {
    {"id", C_CODE, 1, NULL, NULL},         {"date", C_DATE, 1, NULL, NULL},
    {"minutes", C_INT, 1, NULL, NULL},     {"kind", C_CODE, 1, NULL, NULL},
    {"line", C_CODE, 1, NULL, NULL},       {"goal", C_CODE, 0, NULL, NULL},
    {"advisors", C_LIST, 1, NULL, NULL},   {"institutions", C_LIST, 0, NULL, NULL},
    {"modality", C_CODE, 0, NULL, NULL},   {"activity", C_CODE, 0, NULL, NULL},
    {"trajectory", C_CODE, 0, NULL, NULL}, {"level", C_CODE, 0, NULL, NULL},
    {"followup", C_BOOL, 0, NULL, NULL},   {"description", C_TEXT, 0, NULL, NULL}};
static const struct coldef pd_spend_cols[] = {{"advisor", C_CODE, 1, NULL, NULL},
                                              {"school_year", C_YEAR, 1, NULL, NULL},
                                              {"date", C_DATE, 1, NULL, NULL},
                                              {"amount_eur", C_DEC, 1, NULL, NULL},
                                              {"description", C_TEXT, 0, NULL, NULL}};

static const struct coldef trajectory_advisors_cols[] = {{"trajectory", C_CODE, 1, NULL, NULL},
                                                         {"advisor", C_CODE, 1, NULL, NULL}};
static const struct coldef action_steps_cols[] = {
    {"trajectory", C_CODE, 1, NULL, NULL}, {"step", C_INT, 1, NULL, NULL},
    {"what", C_TEXT, 1, NULL, NULL},       {"who", C_TEXT, 0, NULL, NULL},
    {"due", C_DATE, 0, NULL, NULL},        {"expected", C_TEXT, 0, NULL, NULL},
    {"done", C_BOOL, 0, "false", NULL}};
static const struct coldef trajectory_phases_cols[] = {
    {"trajectory", C_CODE, 1, NULL, NULL},
    {"phase", C_CODE, 1, NULL, "explore|prepare|deliver|sustain"},
    {"date", C_DATE, 1, NULL, NULL}};
static const struct coldef trajectory_outcomes_cols[] = {{"trajectory", C_CODE, 1, NULL, NULL},
                                                         {"outcome", C_CODE, 1, NULL, "yes|partly|no"},
                                                         {"note", C_TEXT, 0, NULL, NULL}};
static const struct coldef followups_cols[] = {
    {"id", C_CODE, 1, NULL, NULL},        {"trajectory", C_CODE, 1, NULL, NULL},
    {"date", C_DATE, 1, NULL, NULL},      {"note", C_TEXT, 1, NULL, NULL},
    {"next_step", C_TEXT, 0, NULL, NULL}, {"registration", C_CODE, 0, NULL, NULL}};
static const struct coldef mechanisms_cols[] = {
    {"registration", C_CODE, 1, NULL, NULL},
    {"mechanism", C_CODE, 1, NULL,
     "cognitive_load|revisit_prior|set_goals|credible_source|affirmation|instruction|social_support|"
     "modelling|"
     "feedback|rehearsal|prompts|action_planning|self_monitoring|repetition"}};
static const struct coldef questionnaires_cols[] = {{"code", C_CODE, 1, NULL, NULL},
                                                    {"kind", C_CODE, 1, NULL, "short|long"},
                                                    {"version", C_INT, 1, NULL, NULL},
                                                    {"title", C_TEXT, 1, NULL, NULL},
                                                    {"active", C_BOOL, 0, "true", NULL}};
static const struct coldef questions_cols[] = {
    {"questionnaire", C_CODE, 1, NULL, NULL}, {"key", C_CODE, 1, NULL, NULL},
    {"position", C_INT, 1, NULL, NULL},       {"type", C_CODE, 1, NULL, "scale|open"},
    {"text", C_TEXT, 1, NULL, NULL},          {"low", C_TEXT, 0, NULL, NULL},
    {"high", C_TEXT, 0, NULL, NULL}};
static const struct coldef surveys_cols[] = {
    {"id", C_CODE, 1, NULL, NULL},         {"questionnaire", C_CODE, 1, NULL, NULL},
    {"trajectory", C_CODE, 0, NULL, NULL}, {"registration", C_CODE, 0, NULL, NULL},
    {"created", C_DATE, 1, NULL, NULL},    {"expires", C_DATE, 1, NULL, NULL},
    {"max_answers", C_INT, 1, NULL, NULL}};
static const struct coldef survey_answers_cols[] = {{"survey", C_CODE, 1, NULL, NULL},
                                                    {"response", C_INT, 1, NULL, NULL},
                                                    {"question", C_CODE, 1, NULL, NULL},
                                                    {"score", C_INT, 0, NULL, NULL},
                                                    {"text", C_TEXT, 0, NULL, NULL}};

static const struct coldef holidays_cols[] = {
    {"start", C_DATE, 1, NULL, NULL}, {"end", C_DATE, 1, NULL, NULL}, {"name", C_TEXT, 1, NULL, NULL}};
static const struct coldef days_off_cols[] = {
    {"advisor", C_CODE, 1, NULL, NULL}, {"date", C_DATE, 1, NULL, NULL}, {"note", C_TEXT, 0, NULL, NULL}};
static const struct coldef advisor_lines_cols[] = {{"advisor", C_CODE, 1, NULL, NULL},
                                                   {"school_year", C_YEAR, 1, NULL, NULL},
                                                   {"line", C_CODE, 1, NULL, NULL},
                                                   {"fte", C_DEC, 1, NULL, NULL}};

static const int key0[] = {0}, key01[] = {0, 1}, key_pd[] = {0, 1, 2, 4}, key012[] = {0, 1, 2};

const struct filedef dataset_files[F_COUNT] = {
    [F_SETTINGS] = {"settings.csv", settings_cols, N(settings_cols), key0, 1,
                    "SELECT school_year, hours_per_fte, reach_rule, reach_min_hours, locked "
                    "FROM setting ORDER BY school_year"},
    [F_SECTORS] = {"sectors.csv", sectors_cols, N(sectors_cols), key0, 1,
                   "SELECT code, name, grp, position FROM sector ORDER BY code"},
    [F_LINES] = {"lines.csv", lines_cols, N(lines_cols), key0, 1,
                 "SELECT code, name, kind, unit, position FROM line ORDER BY code"},
    [F_GOALS] = {"goals.csv", goals_cols, N(goals_cols), key0, 1,
                 "SELECT g.code, l.code, g.name FROM goal g JOIN line l ON l.id = g.line_id "
                 "ORDER BY g.code"},
    [F_PLAN] = {"plan.csv", plan_cols, N(plan_cols), key01, 2,
                "SELECT p.school_year, l.code, p.planned_fte, p.coloured_fte FROM plan p "
                "JOIN line l ON l.id = p.line_id ORDER BY p.school_year, l.code"},
    [F_INSTITUTIONS] = {"institutions.csv", institutions_cols, N(institutions_cols), key0, 1,
                        "SELECT i.number, i.code, i.name, s.code, i.own, b.number, i.active, "
                        "i.start_date, i.end_date FROM institution i "
                        "JOIN sector s ON s.id = i.sector_id "
                        "LEFT JOIN institution b ON b.id = i.board_id ORDER BY i.number"},
    [F_TEAMS] = {"teams.csv", teams_cols, N(teams_cols), key0, 1,
                 "SELECT code, name, id FROM team ORDER BY code"},
    [F_ADVISORS] = {"advisors.csv", advisors_cols, N(advisors_cols), key0, 1,
                    "SELECT code, name, role, fte, start_date, end_date, id FROM advisor "
                    "ORDER BY code"},
    [F_TARGET_GROUPS] = {"target_groups.csv", target_groups_cols, N(target_groups_cols), key0, 1,
                         "SELECT code, name, position FROM target_group ORDER BY code"},
    [F_TARGETS] = {"targets.csv", targets_cols, N(targets_cols), key01, 2,
                   "SELECT t.school_year, g.code, t.target FROM target t "
                   "JOIN target_group g ON g.id = t.target_group_id ORDER BY t.school_year, g.code"},
    [F_TRAJECTORIES] = {"trajectories.csv", trajectories_cols, N(trajectories_cols), key0, 1,
                        "SELECT t.ext_id, i.number, l.code, g.code, t.level, t.shared_goal, "
                        "t.action_plan, t.start_date, t.end_date, t.status FROM trajectory t "
                        "JOIN institution i ON i.id = t.institution_id "
                        "LEFT JOIN line l ON l.id = t.line_id LEFT JOIN goal g ON g.id = t.goal_id "
                        "ORDER BY t.ext_id"},
    [F_REGISTRATIONS] = {"registrations.csv", registrations_cols, N(registrations_cols), key0, 1,
                         "SELECT r.ext_id, r.date, r.minutes, r.kind, l.code, g.code, r.id, r.id, "
                         "r.modality, r.activity, t.ext_id, r.level, r.followup, r.description "
                         "FROM registration r JOIN line l ON l.id = r.line_id "
                         "LEFT JOIN goal g ON g.id = r.goal_id "
                         "LEFT JOIN trajectory t ON t.id = r.trajectory_id ORDER BY r.ext_id"},
    [F_PD_SPEND] = {"pd_spend.csv", pd_spend_cols, N(pd_spend_cols), key_pd, 4,
                    "SELECT a.code, p.school_year, p.date, p.amount_eur, p.description FROM pd_spend p "
                    "JOIN advisor a ON a.id = p.advisor_id "
                    "ORDER BY a.code, p.school_year, p.date, p.description"},
    [F_TRAJECTORY_ADVISORS] =
        {"trajectory_advisors.csv", trajectory_advisors_cols, N(trajectory_advisors_cols), key01, 2,
         "SELECT t.ext_id, a.code FROM trajectory_advisor ta "
         "JOIN trajectory t ON t.id = ta.trajectory_id JOIN advisor a ON a.id = ta.advisor_id "
         "ORDER BY t.ext_id, a.code"},
    [F_ACTION_STEPS] =
        {"action_steps.csv", action_steps_cols, N(action_steps_cols), key01, 2,
         "SELECT t.ext_id, s.step, s.what, s.who, s.due, s.expected, s.done FROM action_step s "
         "JOIN trajectory t ON t.id = s.trajectory_id ORDER BY t.ext_id, s.step"},
    [F_TRAJECTORY_PHASES] = {"trajectory_phases.csv", trajectory_phases_cols, N(trajectory_phases_cols),
                             key01, 2,
                             "SELECT t.ext_id, p.phase, p.date FROM trajectory_phase p "
                             "JOIN trajectory t ON t.id = p.trajectory_id ORDER BY t.ext_id, p.phase"},
    [F_TRAJECTORY_OUTCOMES] =
        {"trajectory_outcomes.csv", trajectory_outcomes_cols, N(trajectory_outcomes_cols), key0, 1,
         "SELECT ext_id, outcome, outcome_note FROM trajectory WHERE outcome IS NOT NULL "
         "ORDER BY ext_id"},
    [F_FOLLOWUPS] = {"followups.csv", followups_cols, N(followups_cols), key0, 1,
                     "SELECT f.ext_id, t.ext_id, f.date, f.note, f.next_step, "
                     "(SELECT MIN(r.ext_id) FROM followup_registration fr JOIN registration r "
                     "ON r.id = fr.registration_id WHERE fr.followup_id = f.id) FROM followup f "
                     "JOIN trajectory t ON t.id = f.trajectory_id ORDER BY f.ext_id"},
    [F_MECHANISMS] = {"mechanisms.csv", mechanisms_cols, N(mechanisms_cols), key01, 2,
                      "SELECT r.ext_id, rm.mechanism FROM registration_mechanism rm "
                      "JOIN registration r ON r.id = rm.registration_id ORDER BY r.ext_id, rm.mechanism"},
    [F_QUESTIONNAIRES] = {"questionnaires.csv", questionnaires_cols, N(questionnaires_cols), key0, 1,
                          "SELECT code, kind, version, title, active FROM questionnaire ORDER BY code"},
    [F_QUESTIONS] = {"questions.csv", questions_cols, N(questions_cols), key01, 2,
                     "SELECT q.code, k.key, k.position, k.type, k.text, k.low, k.high FROM question k "
                     "JOIN questionnaire q ON q.id = k.questionnaire_id ORDER BY q.code, k.key"},
    [F_SURVEYS] = {"surveys.csv", surveys_cols, N(surveys_cols), key0, 1,
                   "SELECT s.ext_id, q.code, t.ext_id, r.ext_id, s.created, s.expires, s.max_answers "
                   "FROM survey s JOIN questionnaire q ON q.id = s.questionnaire_id "
                   "LEFT JOIN trajectory t ON t.id = s.trajectory_id "
                   "LEFT JOIN registration r ON r.id = s.registration_id ORDER BY s.ext_id"},
    [F_SURVEY_ANSWERS] =
        {"survey_answers.csv", survey_answers_cols, N(survey_answers_cols), key012, 3,
         "SELECT s.ext_id, p.seq, k.key, a.score, a.text FROM survey_answer a "
         "JOIN survey_response p ON p.id = a.response_id JOIN survey s ON s.id = p.survey_id "
         "JOIN question k ON k.id = a.question_id ORDER BY s.ext_id, p.seq, k.key"},
    /* data quality (docs/QUALITY.md) */
    [F_HOLIDAYS] = {"holidays.csv", holidays_cols, N(holidays_cols), key0, 1,
                    "SELECT start_date, end_date, name FROM holiday ORDER BY start_date"},
    [F_DAYS_OFF] = {"days_off.csv", days_off_cols, N(days_off_cols), key01, 2,
                    "SELECT a.code, d.date, d.note FROM advisor_day_off d "
                    "JOIN advisor a ON a.id = d.advisor_id ORDER BY a.code, d.date"},
    [F_ADVISOR_LINES] = {"advisor_lines.csv", advisor_lines_cols, N(advisor_lines_cols), key012, 3,
                         "SELECT a.code, p.school_year, l.code, p.fte FROM advisor_line_plan p "
                         "JOIN advisor a ON a.id = p.advisor_id JOIN line l ON l.id = p.line_id "
                         "ORDER BY a.code, p.school_year, l.code"},
};

const char *dataset_format_col(struct db_stmt *st, int idx, int type, char out[64]) {
  if (db_col_is_null(st, idx)) return "";
  switch (type) {
  case C_DEC: {
    char num[32];
    format_shortest(db_col_double(st, idx), num);
    snprintf(out, 64, "%s", num);
    return out;
  }
  case C_INT:
    snprintf(out, 64, "%lld", (long long)db_col_int64(st, idx));
    return out;
  case C_BOOL:
    return db_col_int64(st, idx) ? "true" : "false";
  case C_YEAR:
    school_year_format((int)db_col_int64(st, idx), out);
    return out;
  default: {
    const char *s = db_col_text(st, idx);
    return s ? s : "";
  }
  }
}

/* Writes s into buffer t when it fits (t is at least strlen(t)+1 bytes), else a copy;
   t is consumed either way. Saves an allocation per number on the import path. */
static char *reuse(char *t, const char *s) {
  size_t n = strlen(s);
  if (n <= strlen(t)) {
    memcpy(t, s, n + 1);
    return t;
  }
  free(t);
  return xstrdup(s);
}

/* Trimmed copy (spaces and tabs). */
static char *trim_dup(const char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  return xstrndup(s, n);
}

/* The faults of dataset_normalize (0 is none), in English and Dutch. */
enum { NORM_INT = 1, NORM_DEC_COMMA, NORM_DEC, NORM_DATE, NORM_BOOL, NORM_YEAR, NORM_COUNT };
static const char *const norm_faults[NORM_COUNT][2] = {
    [NORM_INT] = {"not a whole number", "geen geheel getal"},
    [NORM_DEC_COMMA] = {"not a number (use digits with '.' or ',' as decimal separator)",
                        "geen getal (gebruik cijfers met '.' of ',' als decimaalteken)"},
    [NORM_DEC] = {"not a number (use digits with '.' as decimal separator)",
                  "geen getal (gebruik cijfers met '.' als decimaalteken)"},
    [NORM_DATE] = {"not a real calendar date in the form YYYY-MM-DD",
                   "geen bestaande datum in de vorm JJJJ-MM-DD"},
    [NORM_BOOL] = {"not a boolean (true/false, ja/nee, 1/0)", "geen ja/nee-waarde (true/false, ja/nee, 1/0)"},
    [NORM_YEAR] = {"not a school year in the form 2024-2025", "geen schooljaar in de vorm 2024-2025"},
};

const char *dataset_fault_text(int fault, int nl) {
  return fault > 0 && fault < NORM_COUNT ? norm_faults[fault][nl ? 1 : 0] : "";
}

int dataset_normalize(const char *cell, int type, int allow_comma, char **out) {
  char *t = type == C_TEXT ? xstrdup(cell) : trim_dup(cell);
  int fault = 0;
  char tmp[64];
  if (!*t || type == C_TEXT || type == C_CODE) {
    *out = t;
    return 0;
  }
  switch (type) {
  case C_INT: {
    int64_t v;
    if (parse_int64(t, &v) != 0) {
      fault = NORM_INT;
      break;
    }
    snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    *out = reuse(t, tmp);
    t = NULL;
    break;
  }
  case C_DEC: {
    double v;
    if (parse_decimal(t, allow_comma, &v) != 0) {
      fault = allow_comma ? NORM_DEC_COMMA : NORM_DEC;
      break;
    }
    char num[32];
    format_shortest(v, num);
    *out = reuse(t, num);
    t = NULL;
    break;
  }
  case C_DATE: {
    int32_t d;
    if (date_parse(t, &d) != 0) {
      fault = NORM_DATE;
      break;
    }
    *out = t;
    t = NULL;
    break;
  }
  case C_BOOL:
    if (!strcasecmp(t, "true") || !strcasecmp(t, "ja") || !strcmp(t, "1"))
      *out = xstrdup("true");
    else if (!strcasecmp(t, "false") || !strcasecmp(t, "nee") || !strcmp(t, "0"))
      *out = xstrdup("false");
    else
      fault = NORM_BOOL;
    break;
  case C_YEAR: {
    int y;
    if (school_year_parse(t, &y) != 0) {
      fault = NORM_YEAR;
      break;
    }
    *out = xstrdup(t);
    break;
  }
  case C_LIST: {
    /* Trim every item; drop empty ones. */
    size_t n = strlen(t);
    char *res = xmalloc(n + 1), *w = res;
    const char *p = t;
    while (1) {
      const char *bar = strchr(p, '|');
      size_t len = bar ? (size_t)(bar - p) : strlen(p);
      char *item = xstrndup(p, len), *ti = trim_dup(item);
      if (*ti) {
        if (w != res) *w++ = '|';
        memcpy(w, ti, strlen(ti));
        w += strlen(ti);
      }
      free(item);
      free(ti);
      if (!bar) break;
      p = bar + 1;
    }
    *w = 0;
    *out = res;
    break;
  }
  default:
    *out = xstrdup(t);
  }
  free(t);
  return fault;
}
