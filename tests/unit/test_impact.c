/* SPDX-License-Identifier: EUPL-1.2 */
/* The impact measures (measures/impact.h, docs/IMPACT.md section 5) and the missing
   conditions of the 2025-2030 reach rule (facts_reach_detail, DOMAIN.md 4.1 `trajectory`),
   on a small dataset written below, imported from memory (dataset_import_mem) into a fresh
   database (SQLite; PostgreSQL with BEREIK_TEST_ENGINE=postgresql and BEREIK_TEST_PG).

   Every expected number is worked out by hand from this data:

   School year Y = 2025-2026 (reach rule `trajectory`), evaluated on 2026-03-10; the year
   before, 2024-2025, uses the rule `contact`. Lines L1 (unit pbd, goal G1) and
   L2 (unit poc, goal G2). Teams TA = {AA, BB} and TB = {BB, CC} (BB is in both). Own
   institutions S1..S8, X1 not own. Trajectories (start 2025-09-01 unless said otherwise):

     id  inst lin lvl   shared plan            status  end         advisors outcome
     K1  S1   L1  meso  yes    text (+ step)   active              AA
     K2  S2   L1  micro no     text            active              AA BB
     K3  S3   L2  meso  yes    complete step   active              CC
     K4  S4   L2  micro yes    incomplete only active              CC
     K5  S5   L1  meso  yes    text            planned             BB
     K6  S6   L1  meso  yes    text            closed  2026-01-31  AA BB    yes
     K7  S6   L2  -     yes    text            closed  2026-02-15  CC       partly
     K8  X1   L1  meso  yes    text            active              AA
     K9  S7   L1  meso  yes    text            closed  2025-06-30  AA       no  (start 2024-09-01)
     K10 S8   L1  -     yes    text            active              BB
     K11 S4   L2  meso  no     text            active              -
     K12 X1   L2  meso  yes    text            closed  (none)      -        -

   Client registrations with follow-up linked to K1 K2 K3 K4 K5 K6 K8 in Y, and to K9 in
   2024-2025; R10 (linked to K10) has no follow-up, only a follow-up entry of followups.csv,
   which the reach rule does not count. Phases on 2026-03-10: K1 deliver, K2 explore,
   K3 prepare (deliver only from 2026-04-01), K6 sustain, K7 deliver, K10 prepare, K4 K8
   K11 K12 none. Mechanisms on R01 (set_goals, modelling, feedback), R02 (modelling), R03
   (set_goals, rehearsal), R08 (feedback), R12 (instruction; L2 without goal, CC), R11
   (modelling; 2024-2025) and R13 (modelling; internal). Surveys: SV1 short on K1 with 5
   responses (scale sum 59 over 15 answers, one open remark), SV2 short on registration R03
   with 4 responses (36 over 12), SV3 long on K6 with 5 responses (57 over 15), SV4 short on
   K3 created 2025-08-31 (2024-2025) with 1 response (3 over 3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_pg.h"

#include "core/dates.h"
#include "db/db.h"
#include "domain/model.h"
#include "io/dataset.h"
#include "measures/facts.h"
#include "measures/impact.h"

#define Y 2025  /* school year 2025-2026 */
#define Y0 2024 /* school year 2024-2025 */

static const struct dataset_mem_text {
  int fid;
  const char *text;
} dataset[] = {
    {F_SETTINGS, "school_year,hours_per_fte,reach_rule\n2024-2025,1185,contact\n2025-2026,1185,trajectory\n"},
    {F_SECTORS, "code,name\nBaO,Basisonderwijs\n"},
    {F_LINES, "code,name,kind,unit\nL1,Lijn 1,pillar,pbd\nL2,Lijn 2,pillar,poc\n"},
    {F_GOALS, "code,line,name\nG1,L1,Doel 1\nG2,L2,Doel 2\n"},
    {F_INSTITUTIONS, "number,code,name,sector,own\n"
                     "100001,S1,School 1,BaO,true\n100002,S2,School 2,BaO,true\n"
                     "100003,S3,School 3,BaO,true\n100004,S4,School 4,BaO,true\n"
                     "100005,S5,School 5,BaO,true\n100006,S6,School 6,BaO,true\n"
                     "100007,S7,School 7,BaO,true\n100008,S8,School 8,BaO,true\n"
                     "200001,X1,Andere school,BaO,false\n"},
    {F_TEAMS, "code,name,lines\nTA,Team A,L1\nTB,Team B,L2\n"},
    {F_ADVISORS, "code,name,fte,teams\nAA,Anna,1,TA\nBB,Bram,0.8,TA|TB\nCC,Cis,1,TB\n"},
    {F_TRAJECTORIES, "id,institution,line,goal,level,shared_goal,action_plan,start,end,status\n"
                     "K1,S1,L1,G1,meso,Doel K1,Plan K1,2025-09-01,,active\n"
                     "K2,S2,L1,G1,micro,,Plan K2,2025-09-01,,active\n"
                     "K3,S3,L2,G2,meso,Doel K3,,2025-09-01,,active\n"
                     "K4,S4,L2,G2,micro,Doel K4,,2025-09-01,,active\n"
                     "K5,S5,L1,G1,meso,Doel K5,Plan K5,2025-09-01,,planned\n"
                     "K6,S6,L1,G1,meso,Doel K6,Plan K6,2025-09-01,2026-01-31,closed\n"
                     "K7,S6,L2,G2,,Doel K7,Plan K7,2025-09-01,2026-02-15,closed\n"
                     "K8,X1,L1,G1,meso,Doel K8,Plan K8,2025-09-01,,active\n"
                     "K9,S7,L1,G1,meso,Doel K9,Plan K9,2024-09-01,2025-06-30,closed\n"
                     "K10,S8,L1,G1,,Doel K10,Plan K10,2025-09-01,,active\n"
                     "K11,S4,L2,G2,meso,,Plan K11,2025-09-01,,active\n"
                     "K12,X1,L2,G2,meso,Doel K12,Plan K12,2025-09-01,,closed\n"},
    {F_REGISTRATIONS,
     "id,date,minutes,kind,line,goal,advisors,institutions,modality,activity,trajectory,level,followup,"
     "description\n"
     "R01,2025-10-01,60,client,L1,G1,AA,S1,fysiek,,K1,meso,true,\n"
     "R02,2025-10-02,60,client,L1,G1,AA|BB,S2,fysiek,,K2,micro,true,\n"
     "R03,2025-10-03,60,client,L2,G2,CC,S3,online,,K3,meso,true,\n"
     "R04,2025-10-06,60,client,L2,G2,CC,S4,fysiek,,K4,micro,true,\n"
     "R05,2025-10-07,60,client,L1,G1,BB,S5,fysiek,,K5,meso,true,\n"
     "R06,2025-10-08,60,client,L1,G1,AA,S6,fysiek,,K6,meso,true,\n"
     "R08,2025-10-09,60,client,L1,G1,AA,X1,fysiek,,K8,meso,true,\n"
     "R10,2025-10-10,60,client,L1,G1,BB,S8,fysiek,,K10,,false,\n"
     "R11,2024-10-01,60,client,L1,G1,AA,S7,fysiek,,K9,meso,true,\n"
     "R12,2025-11-03,60,client,L2,,CC,S3,fysiek,,,,false,\n"
     "R13,2025-11-04,60,internal,L1,,AA,,,preparation,,,,\n"},
    {F_TRAJECTORY_ADVISORS, "trajectory,advisor\n"
                            "K1,AA\nK2,AA\nK2,BB\nK3,CC\nK4,CC\nK5,BB\nK6,AA\nK6,BB\nK7,CC\nK8,AA\n"
                            "K9,AA\nK10,BB\n"},
    {F_ACTION_STEPS, "trajectory,step,what,who,due,expected,done\n"
                     "K1,1,Startmoment,directie,2025-09-15,afspraken,true\n"
                     "K3,1,Klasbezoeken plannen,werkgroep,2025-12-01,rooster per klas,false\n"
                     "K3,2,Evaluatie,,,,false\n"
                     "K4,1,Overleg,directie,,verslag,false\n"
                     "K4,2,Nabespreking,leraren,2026-01-15,,true\n"},
    {F_TRAJECTORY_PHASES, "trajectory,phase,date\n"
                          "K1,explore,2025-09-01\nK1,prepare,2025-11-01\nK1,deliver,2026-02-01\n"
                          "K2,explore,2025-09-15\n"
                          "K3,prepare,2025-10-01\nK3,deliver,2026-04-01\n"
                          "K5,explore,2025-10-01\n"
                          "K6,explore,2025-09-01\nK6,sustain,2026-01-15\n"
                          "K7,deliver,2025-09-20\n"
                          "K9,explore,2024-09-01\nK9,deliver,2025-03-01\n"
                          "K10,prepare,2025-12-01\n"},
    {F_TRAJECTORY_OUTCOMES, "trajectory,outcome,note\nK6,yes,Doelen gehaald\nK7,partly,Deels\nK9,no,Niet\n"},
    {F_FOLLOWUPS, "id,trajectory,date,note,next_step,registration\n"
                  "F1,K1,2025-10-01,Startgesprek,Klasbezoek,R01\n"
                  "F2,K10,2025-10-15,Opvolging,,R10\n"},
    {F_MECHANISMS, "registration,mechanism\n"
                   "R01,set_goals\nR01,modelling\nR01,feedback\nR02,modelling\nR03,set_goals\n"
                   "R03,rehearsal\nR08,feedback\nR12,instruction\nR11,modelling\nR13,modelling\n"},
    {F_SURVEYS, "id,questionnaire,trajectory,registration,created,expires,max_answers\n"
                "SV1,KORT-1,K1,,2025-11-01,2025-11-15,10\n"
                "SV2,KORT-1,,R03,2025-10-03,2025-10-17,10\n"
                "SV3,LANG-1,K6,,2026-02-01,2026-04-01,20\n"
                "SV4,KORT-1,K3,,2025-08-31,2025-09-14,10\n"},
    {F_SURVEY_ANSWERS, "survey,response,question,score,text\n"
                       /* SV1: 13 + 10 + 15 + 9 + 12 = 59 over 15 scale answers */
                       "SV1,1,relevant,5,\nSV1,1,useful,4,\nSV1,1,clear,4,\nSV1,1,remark,,Sterk\n"
                       "SV1,2,relevant,3,\nSV1,2,useful,3,\nSV1,2,clear,4,\n"
                       "SV1,3,relevant,5,\nSV1,3,useful,5,\nSV1,3,clear,5,\n"
                       "SV1,4,relevant,2,\nSV1,4,useful,4,\nSV1,4,clear,3,\n"
                       "SV1,5,relevant,4,\nSV1,5,useful,4,\nSV1,5,clear,4,\n"
                       /* SV2: 6 + 6 + 15 + 9 = 36 over 12 */
                       "SV2,1,relevant,1,\nSV2,1,useful,2,\nSV2,1,clear,3,\n"
                       "SV2,2,relevant,2,\nSV2,2,useful,2,\nSV2,2,clear,2,\n"
                       "SV2,3,relevant,5,\nSV2,3,useful,5,\nSV2,3,clear,5,\n"
                       "SV2,4,relevant,3,\nSV2,4,useful,3,\nSV2,4,clear,3,\n"
                       /* SV3: 12 + 12 + 9 + 9 + 15 = 57 over 15 */
                       "SV3,1,goal,4,\nSV3,1,practice,4,\nSV3,1,sustain,4,\n"
                       "SV3,2,goal,5,\nSV3,2,practice,4,\nSV3,2,sustain,3,\nSV3,2,remark,,Meer tijd\n"
                       "SV3,3,goal,3,\nSV3,3,practice,3,\nSV3,3,sustain,3,\n"
                       "SV3,4,goal,2,\nSV3,4,practice,3,\nSV3,4,sustain,4,\n"
                       "SV3,5,goal,5,\nSV3,5,practice,5,\nSV3,5,sustain,5,\n"
                       /* SV4 (2024-2025) */
                       "SV4,1,relevant,1,\nSV4,1,useful,1,\nSV4,1,clear,1,\n"},
};

struct fixture {
  char db_path[300], pg_name[64];
  struct db *db;
  struct model m;
  struct facts f;
  int32_t today;
};

/* BEREIK_TEST_ENGINE=postgresql runs the test on the server BEREIK_TEST_PG (a URI without
   database); otherwise on a SQLite file. */
static int setup(void **state) {
  struct fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  *state = fx;
  setenv("BEREIK_TODAY", "2026-03-10", 1);
  if (date_parse("2026-03-10", &fx->today) != 0) return -1;
  if (pg_base()) {
    char sql[128];
    snprintf(fx->pg_name, sizeof fx->pg_name, "bt_impact_%ld", (long)getpid());
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", fx->pg_name);
    if (pg_admin(sql) != 0) return -1;
    snprintf(fx->db_path, sizeof fx->db_path, "%s/%s", pg_base(), fx->pg_name);
  } else {
    snprintf(fx->db_path, sizeof fx->db_path, "/tmp/bereik-test-impact-XXXXXX");
    int fd = mkstemp(fx->db_path);
    if (fd < 0) return -1;
    close(fd);
  }
  char err[512];
  fx->db = db_open(fx->db_path, err, sizeof err);
  if (!fx->db || db_migrate(fx->db, err, sizeof err) != 0) {
    fprintf(stderr, "db: %s\n", err);
    return -1;
  }
  struct dataset_mem files[sizeof dataset / sizeof dataset[0]];
  int n = (int)(sizeof dataset / sizeof dataset[0]);
  for (int i = 0; i < n; i++) {
    files[i].fid = dataset[i].fid;
    files[i].data = dataset[i].text;
    files[i].len = strlen(dataset[i].text);
  }
  FILE *out = tmpfile(); /* the import's messages, shown only when it refuses the data */
  if (!out) return -1;
  int rc = dataset_import_mem(fx->db, files, n, "test", out, NULL);
  if (rc != 0) {
    char line[512];
    rewind(out);
    while (fgets(line, sizeof line, out)) fputs(line, stderr);
    fprintf(stderr, "the test dataset was refused (%d)\n", rc);
    fclose(out);
    return -1;
  }
  fclose(out);
  if (model_load(fx->db, &fx->m, err, sizeof err) != 0) {
    fprintf(stderr, "model_load: %s\n", err);
    return -1;
  }
  int years[2] = {Y, Y0};
  db_begin_read(fx->db);
  rc = impact_compute(fx->db, &fx->m, years, 2, fx->today, &fx->f, err, sizeof err);
  db_commit(fx->db);
  if (rc != 0) {
    fprintf(stderr, "impact_compute: %s\n", err);
    return -1;
  }
  return 0;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  if (!fx) return 0;
  facts_free(&fx->f);
  model_free(&fx->m);
  if (fx->db) db_close(fx->db);
  if (fx->pg_name[0]) {
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", fx->pg_name);
    pg_admin(sql);
  } else {
    char p[320];
    unlink(fx->db_path);
    snprintf(p, sizeof p, "%s-wal", fx->db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", fx->db_path);
    unlink(p);
  }
  free(fx);
  return 0;
}

/* The impact fact of year, row and col; the test fails when it is absent. */
static double fact_y(const struct fixture *fx, int year, const char *row, const char *col) {
  int found = 0;
  double v = facts_get(&fx->f, "impact", year, row, col, &found);
  if (!found) fail_msg("impact %d %s %s is absent", year, row, col);
  return v;
}
static double fact(const struct fixture *fx, const char *row, const char *col) {
  return fact_y(fx, Y, row, col);
}
static int present_y(const struct fixture *fx, int year, const char *row, const char *col) {
  int found = 0;
  facts_get(&fx->f, "impact", year, row, col, &found);
  return found;
}
static int present(const struct fixture *fx, const char *row, const char *col) {
  return present_y(fx, Y, row, col);
}

/* Checks the integer counts of one row: NULL-terminated pairs of col and value. */
struct want {
  const char *col;
  int value;
};
static void counts(const struct fixture *fx, int year, const char *row, const struct want *w) {
  for (; w->col; w++) {
    double v = fact_y(fx, year, row, w->col);
    if (v != (double)w->value) fail_msg("impact %d %s %s = %g, expected %d", year, row, w->col, v, w->value);
  }
}
static void near(const struct fixture *fx, int year, const char *row, const char *col, double want) {
  double v = fact_y(fx, year, row, col);
  if (v < want - 1e-12 || v > want + 1e-12)
    fail_msg("impact %d %s %s = %.17g, expected %.17g", year, row, col, v, want);
}

/* ---- the reach rule and what is missing ---- */

static void reach_detail(void **state) {
  struct fixture *fx = *state;
  size_t n = fx->m.n_institutions;
  unsigned char *reached = calloc(n + 1, 1), *missing = calloc(n + 1, 1);
  assert_non_null(reached);
  assert_non_null(missing);
  char err[256];
  db_begin_read(fx->db);
  assert_int_equal(facts_reach_detail(fx->db, &fx->m, Y, reached, missing, err, sizeof err), 0);
  db_commit(fx->db);
  static const struct {
    const char *code;
    int reached, missing;
  } want[] = {
      {"S1", 1, 0},                          /* K1 meets every condition */
      {"S2", 0, MISS_SHARED_GOAL},           /* K2 */
      {"S3", 1, 0},                          /* K3: a complete step is an action plan */
      {"S4", 0, MISS_PLAN},                  /* K4 (one missing) rather than K11 (shared goal, follow-up) */
      {"S5", 0, MISS_TRAJECTORY},            /* K5 is planned */
      {"S6", 1, 0},                          /* K6, closed in the year */
      {"S7", 0, MISS_TRAJECTORY},            /* K9 ended in 2024-2025 */
      {"S8", 0, MISS_LEVEL | MISS_FOLLOWUP}, /* K10: a follow-up entry is no registration with follow-up */
  };
  for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
    int i = model_institution(&fx->m, want[k].code);
    assert_true(i >= 0);
    if (reached[i] != want[k].reached || missing[i] != want[k].missing)
      fail_msg("%s: reached %d missing %d, expected reached %d missing %d", want[k].code, reached[i],
               missing[i], want[k].reached, want[k].missing);
  }
  /* 2024-2025 uses the rule contact: no missing conditions */
  db_begin_read(fx->db);
  assert_int_equal(facts_reach_detail(fx->db, &fx->m, Y0, reached, missing, err, sizeof err), 0);
  db_commit(fx->db);
  for (size_t i = 0; i < n; i++) assert_int_equal(missing[i], 0);
  assert_int_equal(reached[model_institution(&fx->m, "S7")], 1); /* R11 */
  assert_int_equal(reached[model_institution(&fx->m, "S1")], 0);
  free(reached);
  free(missing);
}

/* The contract's reach table agrees: 8 own institutions, S1 S3 S6 reached. */
static void reach_table(void **state) {
  struct fixture *fx = *state;
  struct facts f;
  char err[256];
  int year = Y;
  db_begin_read(fx->db);
  assert_int_equal(facts_compute(fx->db, &fx->m, &year, 1, &f, err, sizeof err), 0);
  db_commit(fx->db);
  int found = 0;
  assert_true(facts_get(&f, "reach", Y, "total", "institutions", &found) == 8.0 && found);
  assert_true(facts_get(&f, "reach", Y, "total", "reached", &found) == 3.0 && found);
  facts_free(&f);
}

/* ---- the impact measures of 2025-2026 ---- */

static void organisation(void **state) {
  struct fixture *fx = *state;
  static const struct want w[] = {
      {"active", 10},       /* K1 K2 K3 K4 K6 K7 K8 K10 K11 K12 (K5 planned, K9 ended) */
      {"goal_plan", 7},     /* K1 K3 K6 K7 K8 K10 K12 */
      {"phase_explore", 1}, /* K2 */
      {"phase_prepare", 2}, /* K3 K10 */
      {"phase_deliver", 2}, /* K1 K7 */
      {"phase_sustain", 1}, /* K6 */
      {"phase_none", 4},    /* K4 K8 K11 K12 */
      {"closed", 3},        /* K6 K7 K12 (no end) */
      {"outcome_yes", 1},
      {"outcome_partly", 1},
      {"outcome_no", 0}, /* K9's no belongs to 2024-2025 */
      {"outcome_unknown", 1},
      {"mech_registrations", 5}, /* R01 R02 R03 R08 R12 (R11 last year, R13 internal) */
      {"mech_set_goals", 2},
      {"mech_modelling", 2},
      {"mech_feedback", 2},
      {"mech_rehearsal", 1},
      {"mech_instruction", 1},
      {"mech_cognitive_load", 0},
      {"mech_repetition", 0},
      {"short_n", 9}, /* SV1 5 + SV2 4 (SV4 last year) */
      {"long_n", 5},
      {NULL, 0}};
  counts(fx, Y, "org", w);
  near(fx, Y, "org", "goal_plan_share", 7.0 / 10.0);
  near(fx, Y, "org", "realised_share", 1.0 / 3.0);
  near(fx, Y, "org", "short_mean", 95.0 / 27.0);
  near(fx, Y, "org", "long_mean", 57.0 / 15.0);
}

static void units(void **state) {
  struct fixture *fx = *state;
  static const struct want pbd[] = {
      {"active", 5},                                              /* K1 K2 K6 K8 K10 */
      {"goal_plan", 4}, {"closed", 1}, {"mech_registrations", 3}, /* R01 R02 R08 */
      {"short_n", 5},   {"long_n", 5}, {NULL, 0}};
  counts(fx, Y, "unit:pbd", pbd);
  near(fx, Y, "unit:pbd", "short_mean", 59.0 / 15.0);
  static const struct want poc[] = {{"active", 5}, /* K3 K4 K7 K11 K12 */
                                    {"goal_plan", 3}, {"closed", 2}, {"mech_registrations", 2}, /* R03 R12 */
                                    {"short_n", 4},   {"long_n", 0}, {NULL, 0}};
  counts(fx, Y, "unit:poc", poc);
  assert_false(present(fx, "unit:poc", "short_mean"));
}

static void teams(void **state) {
  struct fixture *fx = *state;
  /* TA = {AA, BB}: K1 K2 K6 K8 K10 */
  static const struct want ta[] = {{"active", 5},
                                   {"goal_plan", 4}, /* not K2 */
                                   {"phase_explore", 1},
                                   {"phase_prepare", 1},
                                   {"phase_deliver", 1},
                                   {"phase_sustain", 1},
                                   {"phase_none", 1},
                                   {"closed", 1},
                                   {"outcome_yes", 1},
                                   {"outcome_partly", 0},
                                   {"mech_registrations", 3}, /* R01 R02 (once) R08 */
                                   {"mech_modelling", 2},
                                   {"mech_feedback", 2},
                                   {"mech_set_goals", 1},
                                   {"mech_rehearsal", 0},
                                   {"short_n", 5},
                                   {"long_n", 5}, /* SV3 through AA and BB, once */
                                   {NULL, 0}};
  counts(fx, Y, "team:TA", ta);
  near(fx, Y, "team:TA", "goal_plan_share", 4.0 / 5.0);
  near(fx, Y, "team:TA", "realised_share", 1.0);
  near(fx, Y, "team:TA", "short_mean", 59.0 / 15.0);
  near(fx, Y, "team:TA", "long_mean", 57.0 / 15.0);
  /* TB = {BB, CC}: K2 K3 K4 K6 K7 K10 */
  static const struct want tb[] = {{"active", 6},
                                   {"goal_plan", 4}, /* K3 K6 K7 K10 */
                                   {"phase_explore", 1},
                                   {"phase_prepare", 2},
                                   {"phase_deliver", 1},
                                   {"phase_sustain", 1},
                                   {"phase_none", 1},
                                   {"closed", 2},
                                   {"outcome_yes", 1},
                                   {"outcome_partly", 1},
                                   {"mech_registrations", 3}, /* R02 R03 R12 */
                                   {"mech_modelling", 1},
                                   {"mech_set_goals", 1},
                                   {"mech_rehearsal", 1},
                                   {"mech_instruction", 1},
                                   {"mech_feedback", 0},
                                   {"short_n", 4},
                                   {"long_n", 5},
                                   {NULL, 0}};
  counts(fx, Y, "team:TB", tb);
  near(fx, Y, "team:TB", "goal_plan_share", 4.0 / 6.0);
  near(fx, Y, "team:TB", "realised_share", 0.5);
  assert_false(present(fx, "team:TB", "short_mean")); /* 4 responses */
  near(fx, Y, "team:TB", "long_mean", 57.0 / 15.0);
}

static void lines_and_goals(void **state) {
  struct fixture *fx = *state;
  static const struct want l1[] = {
      {"active", 5}, {"goal_plan", 4},   {"phase_none", 1}, /* K8 */
      {"closed", 1}, {"outcome_yes", 1}, {"mech_registrations", 3}, {"mech_feedback", 2}, {"short_n", 5},
      {"long_n", 5}, {NULL, 0}};
  counts(fx, Y, "line:L1", l1);
  counts(fx, Y, "goal:G1", l1);
  near(fx, Y, "goal:G1", "short_mean", 59.0 / 15.0);
  near(fx, Y, "goal:G1", "long_mean", 57.0 / 15.0);
  /* L2: K3 K4 K7 K11 K12 */
  static const struct want l2[] = {
      {"active", 5},         {"goal_plan", 3}, /* K3 K7 K12 */
      {"phase_prepare", 1},  {"phase_deliver", 1},   {"phase_none", 3}, {"closed", 2}, {"outcome_yes", 0},
      {"outcome_partly", 1}, {"outcome_unknown", 1}, {"short_n", 4},    {"long_n", 0}, {NULL, 0}};
  counts(fx, Y, "line:L2", l2);
  counts(fx, Y, "goal:G2", l2);
  near(fx, Y, "line:L2", "realised_share", 0.0);
  near(fx, Y, "goal:G2", "goal_plan_share", 3.0 / 5.0);
  /* R12 has no goal: the line counts it, the goal not */
  assert_int_equal(fact(fx, "line:L2", "mech_registrations"), 2);
  assert_int_equal(fact(fx, "goal:G2", "mech_registrations"), 1);
  assert_int_equal(fact(fx, "goal:G2", "mech_instruction"), 0);
  assert_false(present(fx, "goal:G2", "short_mean"));
}

static void advisors(void **state) {
  struct fixture *fx = *state;
  static const struct want aa[] = {{"active", 4}, /* K1 K2 K6 K8 */
                                   {"goal_plan", 3},
                                   {"phase_deliver", 1},
                                   {"phase_explore", 1},
                                   {"phase_sustain", 1},
                                   {"phase_none", 1},
                                   {"closed", 1},
                                   {"outcome_yes", 1},
                                   {"mech_registrations", 3}, /* R01 R02 R08 */
                                   {"short_n", 5},
                                   {"long_n", 5},
                                   {NULL, 0}};
  counts(fx, Y, "advisor:AA", aa);
  near(fx, Y, "advisor:AA", "goal_plan_share", 3.0 / 4.0);
  near(fx, Y, "advisor:AA", "short_mean", 59.0 / 15.0);
  static const struct want bb[] = {{"active", 3}, /* K2 K6 K10 (K5 planned) */
                                   {"goal_plan", 2},      {"phase_explore", 1},
                                   {"phase_prepare", 1},  {"phase_sustain", 1},
                                   {"closed", 1},         {"mech_registrations", 1}, /* R02 */
                                   {"mech_modelling", 1}, {"short_n", 0},
                                   {"long_n", 5},         {NULL, 0}};
  counts(fx, Y, "advisor:BB", bb);
  near(fx, Y, "advisor:BB", "long_mean", 57.0 / 15.0);
  assert_false(present(fx, "advisor:BB", "short_mean"));
  static const struct want cc[] = {{"active", 3}, /* K3 K4 K7 */
                                   {"goal_plan", 2},
                                   {"closed", 1},
                                   {"outcome_partly", 1},
                                   {"mech_registrations", 2}, /* R03 R12 */
                                   {"short_n", 4},
                                   {"long_n", 0},
                                   {NULL, 0}};
  counts(fx, Y, "advisor:CC", cc);
  near(fx, Y, "advisor:CC", "realised_share", 0.0);
  assert_false(present(fx, "advisor:CC", "short_mean"));
  assert_false(present(fx, "advisor:CC", "long_mean"));
}

/* reached: own institutions reached in Y with a trajectory of the scope active in Y. X1 meets
   every condition through K8 (L1, G1, AA) and has K12 (L2, G2) active, but it is not an own
   institution: it counts nowhere. Every row is checked before the test fails. */
static void reached_own_institutions_only(void **state) {
  struct fixture *fx = *state;
  static const struct want w[] = {{"org", 3},        /* S1 S3 S6 */
                                  {"unit:pbd", 2},   /* S1 (K1), S6 (K6) */
                                  {"unit:poc", 2},   /* S3 (K3), S6 (K7) */
                                  {"team:TA", 2},    /* S1 (K1 AA), S6 (K6 AA BB) */
                                  {"team:TB", 2},    /* S3 (K3 CC), S6 (K6 BB, K7 CC) */
                                  {"line:L1", 2},    /* S1 S6 */
                                  {"line:L2", 2},    /* S3 S6 */
                                  {"goal:G1", 2},    /* S1 S6 */
                                  {"goal:G2", 2},    /* S3 S6 */
                                  {"advisor:AA", 2}, /* S1 S6 */
                                  {"advisor:BB", 1}, /* S6 */
                                  {"advisor:CC", 2}, /* S3, S6 through K7 */
                                  {NULL, 0}};
  char wrong[1024] = "";
  size_t used = 0;
  for (const struct want *x = w; x->col; x++) {
    double v = fact(fx, x->col, "reached");
    if (v != (double)x->value && used < sizeof wrong)
      used +=
          (size_t)snprintf(wrong + used, sizeof wrong - used, " %s %g (expected %d);", x->col, v, x->value);
  }
  if (*wrong) fail_msg("impact %d reached:%s", Y, wrong);
}

/* ---- the year before: a finished year's phase is the one on its last day ---- */

static void year_before(void **state) {
  struct fixture *fx = *state;
  static const struct want org[] = {{"active", 1}, /* K9 */
                                    {"goal_plan", 1},
                                    {"phase_deliver", 1}, /* on 2025-08-31 */
                                    {"phase_explore", 0},
                                    {"closed", 1},
                                    {"outcome_no", 1},
                                    {"mech_registrations", 1}, /* R11 */
                                    {"mech_modelling", 1},
                                    {"short_n", 1}, /* SV4 */
                                    {"long_n", 0},
                                    {"reached", 1}, /* S7 (rule contact) through K9 */
                                    {NULL, 0}};
  counts(fx, Y0, "org", org);
  near(fx, Y0, "org", "realised_share", 0.0);
  assert_false(present_y(fx, Y0, "org", "short_mean"));
  assert_int_equal(fact_y(fx, Y0, "advisor:AA", "reached"), 1);
  /* TB only has SV4's response (through K3, CC): no active trajectory, so no share */
  assert_int_equal(fact_y(fx, Y0, "team:TB", "short_n"), 1);
  assert_int_equal(fact_y(fx, Y0, "team:TB", "active"), 0);
  assert_false(present_y(fx, Y0, "team:TB", "goal_plan_share"));
  assert_false(present_y(fx, Y0, "team:TB", "realised_share"));
}

int main(void) {
  const char *e = getenv("BEREIK_TEST_ENGINE");
  if (e && !strcmp(e, "postgresql") && !getenv("BEREIK_TEST_PG")) {
    printf("skipped: BEREIK_TEST_PG is not set (scripts/test.sh starts a server)\n");
    return 77;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reach_detail), cmocka_unit_test(reach_table),
      cmocka_unit_test(organisation), cmocka_unit_test(units),
      cmocka_unit_test(teams),        cmocka_unit_test(lines_and_goals),
      cmocka_unit_test(advisors),     cmocka_unit_test(reached_own_institutions_only),
      cmocka_unit_test(year_before),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
