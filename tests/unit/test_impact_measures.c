/* SPDX-License-Identifier: EUPL-1.2 */
/* The impact measures (measures/impact.h, docs/IMPACT.md section 5) and the reach rule of
   the 2025-2030 plan with its missing conditions (facts_reach_detail), on a small dataset
   written here and imported by the project's own import into a temporary SQLite file.

   School year 2025-2026, reach rule `trajectory`, evaluated on 2026-03-10. Teams T1 =
   {AN, BE} (line P1), T2 = {CD} (line P2); goals 1.1 (P1), 2.1 (P2); own institutions
   I1..I6. Trajectories (advisors; level; shared goal; action plan; status):

     A  I1 P1 1.1 AN     meso  yes  text             active   R1 with follow-up
     B  I2 P1 1.1 BE     micro no   text             active   R2 with follow-up
     C  I3 P2 2.1 CD     meso  yes  complete step    active   R3 without follow-up
     D  I4 P2 2.1 CD     meso  yes  incomplete step  active   R4 with follow-up
     E  I5 P1 1.1 AN     meso  yes  text             planned
     F  I6 P1 1.1 AN,BE  micro yes  text             closed 2026-02-28, outcome yes
     G  I6 P2 2.1 CD     meso  yes  text             closed 2026-01-31, outcome partly

   Phases: A explore 09-01, prepare 10-15, deliver 01-10 (deliver on 03-10); B explore; C
   none; D prepare 11-01, sustain 2026-04-01 (prepare on 03-10); F explore, deliver 12-01;
   G none. Mechanisms: R1 set_goals, modelling; R2 modelling; R3 set_goals; R5 (client,
   AN, P1, no goal, no trajectory) feedback. Surveys: S1 short on A with 5 responses
   (scores 5,4,5 / 4,4,4 / 3,5,4 / 5,5,5 / 2,3,4: sum 62 over 15 answers) and one open
   remark; S2 long on C with 4 responses (4,4,4 / 3,3,3 / 5,5,5 / 2,2,2); S3 short on R2
   with 1 response (1,1,1). Every expected number below is worked out by hand from this. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/dates.h"
#include "db/db.h"
#include "domain/model.h"
#include "io/dataset.h"
#include "measures/facts.h"
#include "measures/impact.h"

#define Y 2025 /* school year 2025-2026 */

struct fixture {
  char db_path[64], dir[64];
  struct db *db;
  struct model m;
  struct facts f;
  int32_t today;
};

static void write_file(const char *dir, const char *name, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) fail_msg("cannot write %s", path);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

static int setup(void **state) {
  struct fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  *state = fx;
  snprintf(fx->db_path, sizeof fx->db_path, "/tmp/bereik-impact-db-XXXXXX");
  int fd = mkstemp(fx->db_path);
  if (fd < 0) return -1;
  close(fd);
  snprintf(fx->dir, sizeof fx->dir, "/tmp/bereik-impact-ds-XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  setenv("BEREIK_TODAY", "2026-03-10", 1);
  date_parse("2026-03-10", &fx->today);
  write_file(fx->dir, "settings.csv", "school_year,hours_per_fte,reach_rule\n2025-2026,1185,trajectory\n");
  write_file(fx->dir, "sectors.csv", "code,name\nBaO,Basisonderwijs\n");
  write_file(fx->dir, "lines.csv", "code,name,kind\nP1,Pijler 1,pillar\nP2,Pijler 2,pillar\n");
  write_file(fx->dir, "goals.csv", "code,line,name\n1.1,P1,Doel 1.1\n2.1,P2,Doel 2.1\n");
  write_file(fx->dir, "institutions.csv",
             "number,code,name,sector\n"
             "100001,I1,School 1,BaO\n100002,I2,School 2,BaO\n100003,I3,School 3,BaO\n"
             "100004,I4,School 4,BaO\n100005,I5,School 5,BaO\n100006,I6,School 6,BaO\n");
  write_file(fx->dir, "teams.csv", "code,name,lines\nT1,Team 1,P1\nT2,Team 2,P2\n");
  write_file(fx->dir, "advisors.csv", "code,name,fte,teams\nAN,Anna,1,T1\nBE,Bert,1,T1\nCD,Cato,1,T2\n");
  write_file(fx->dir, "trajectories.csv",
             "id,institution,line,goal,level,shared_goal,action_plan,start,end,status\n"
             "A,I1,P1,1.1,meso,Doel A,Plan A,2025-09-01,,active\n"
             "B,I2,P1,1.1,micro,,Plan B,2025-09-01,,active\n"
             "C,I3,P2,2.1,meso,Doel C,,2025-09-01,,active\n"
             "D,I4,P2,2.1,meso,Doel D,,2025-09-01,,active\n"
             "E,I5,P1,1.1,meso,Doel E,Plan E,2025-09-01,,planned\n"
             "F,I6,P1,1.1,micro,Doel F,Plan F,2025-09-01,2026-02-28,closed\n"
             "G,I6,P2,2.1,meso,Doel G,Plan G,2025-09-01,2026-01-31,closed\n");
  write_file(
      fx->dir, "registrations.csv",
      "id,date,minutes,kind,line,goal,advisors,institutions,modality,activity,trajectory,level,followup,"
      "description\n"
      "R1,2025-10-01,60,client,P1,1.1,AN,I1,fysiek,,A,meso,true,\n"
      "R2,2025-10-02,60,client,P1,1.1,BE,I2,fysiek,,B,micro,true,\n"
      "R3,2025-10-03,60,client,P2,2.1,CD,I3,fysiek,,C,meso,false,\n"
      "R4,2025-10-04,60,client,P2,2.1,CD,I4,fysiek,,D,meso,true,\n"
      "R5,2025-10-05,60,client,P1,,AN,I1,fysiek,,,,false,\n");
  write_file(fx->dir, "trajectory_advisors.csv",
             "trajectory,advisor\nA,AN\nB,BE\nC,CD\nD,CD\nE,AN\nF,AN\nF,BE\nG,CD\n");
  write_file(fx->dir, "action_steps.csv",
             "trajectory,step,what,who,due,expected,done\n"
             "C,1,Klasbezoeken,werkgroep,2025-12-01,feedback per klas,false\n"
             "D,1,Overleg,,,,false\n");
  write_file(fx->dir, "trajectory_phases.csv",
             "trajectory,phase,date\n"
             "A,explore,2025-09-01\nA,prepare,2025-10-15\nA,deliver,2026-01-10\n"
             "B,explore,2025-09-15\n"
             "D,prepare,2025-11-01\nD,sustain,2026-04-01\n"
             "F,explore,2025-09-01\nF,deliver,2025-12-01\n");
  write_file(fx->dir, "trajectory_outcomes.csv", "trajectory,outcome,note\nF,yes,Gehaald\nG,partly,Deels\n");
  write_file(fx->dir, "mechanisms.csv",
             "registration,mechanism\nR1,set_goals\nR1,modelling\nR2,modelling\nR3,set_goals\nR5,feedback\n");
  write_file(fx->dir, "surveys.csv",
             "id,questionnaire,trajectory,registration,created,expires,max_answers\n"
             "S1,KORT-1,A,,2025-11-01,2025-11-15,30\n"
             "S2,LANG-1,C,,2026-01-10,2026-03-01,30\n"
             "S3,KORT-1,,R2,2025-10-02,2025-10-16,30\n");
  write_file(fx->dir, "survey_answers.csv",
             "survey,response,question,score,text\n"
             "S1,1,relevant,5,\nS1,1,useful,4,\nS1,1,clear,5,\nS1,1,remark,,Goed\n"
             "S1,2,relevant,4,\nS1,2,useful,4,\nS1,2,clear,4,\n"
             "S1,3,relevant,3,\nS1,3,useful,5,\nS1,3,clear,4,\n"
             "S1,4,relevant,5,\nS1,4,useful,5,\nS1,4,clear,5,\n"
             "S1,5,relevant,2,\nS1,5,useful,3,\nS1,5,clear,4,\n"
             "S2,1,goal,4,\nS2,1,practice,4,\nS2,1,sustain,4,\n"
             "S2,2,goal,3,\nS2,2,practice,3,\nS2,2,sustain,3,\n"
             "S2,3,goal,5,\nS2,3,practice,5,\nS2,3,sustain,5,\n"
             "S2,4,goal,2,\nS2,4,practice,2,\nS2,4,sustain,2,\n"
             "S3,1,relevant,1,\nS3,1,useful,1,\nS3,1,clear,1,\n");
  char err[512];
  fx->db = db_open(fx->db_path, err, sizeof err);
  if (!fx->db || db_migrate(fx->db, err, sizeof err) != 0) {
    fprintf(stderr, "db: %s\n", err);
    return -1;
  }
  FILE *quiet = fopen("/dev/null", "w");
  int rc = dataset_import_to(fx->db, fx->dir, "test", quiet ? quiet : stderr);
  if (quiet) fclose(quiet);
  if (rc != 0) {
    fprintf(stderr, "the test dataset was refused (%d)\n", rc);
    return -1;
  }
  if (model_load(fx->db, &fx->m, err, sizeof err) != 0) return -1;
  int year = Y;
  db_begin_read(fx->db);
  rc = impact_compute(fx->db, &fx->m, &year, 1, fx->today, &fx->f, err, sizeof err);
  db_commit(fx->db);
  if (rc != 0) {
    fprintf(stderr, "impact_compute: %s\n", err);
    return -1;
  }
  return 0;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  facts_free(&fx->f);
  model_free(&fx->m);
  db_close(fx->db);
  unlink(fx->db_path);
  const char *files[] = {"settings.csv",
                         "sectors.csv",
                         "lines.csv",
                         "goals.csv",
                         "institutions.csv",
                         "teams.csv",
                         "advisors.csv",
                         "trajectories.csv",
                         "registrations.csv",
                         "trajectory_advisors.csv",
                         "action_steps.csv",
                         "trajectory_phases.csv",
                         "trajectory_outcomes.csv",
                         "mechanisms.csv",
                         "surveys.csv",
                         "survey_answers.csv"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", fx->dir, files[i]);
    unlink(path);
  }
  rmdir(fx->dir);
  free(fx);
  return 0;
}

/* The fact of row and col (the test fails when it is absent). */
static double fact(const struct fixture *fx, const char *row, const char *col) {
  int found = 0;
  double v = facts_get(&fx->f, "impact", Y, row, col, &found);
  if (!found) fail_msg("impact %s %s is absent", row, col);
  return v;
}
static int present(const struct fixture *fx, const char *row, const char *col) {
  int found = 0;
  facts_get(&fx->f, "impact", Y, row, col, &found);
  return found;
}

static void reach_and_missing_conditions(void **state) {
  struct fixture *fx = *state;
  unsigned char reached[16] = {0}, missing[16] = {0};
  char err[256];
  assert_true(fx->m.n_institutions <= 16);
  db_begin_read(fx->db);
  assert_int_equal(facts_reach_detail(fx->db, &fx->m, Y, reached, missing, err, sizeof err), 0);
  db_commit(fx->db);
  static const struct {
    const char *code;
    int reached, missing;
  } want[] = {{"I1", 1, 0},         {"I2", 0, MISS_SHARED_GOAL}, {"I3", 0, MISS_FOLLOWUP},
              {"I4", 0, MISS_PLAN}, {"I5", 0, MISS_TRAJECTORY},  {"I6", 0, MISS_FOLLOWUP}};
  for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
    int i = model_institution(&fx->m, want[k].code);
    assert_true(i >= 0);
    if (reached[i] != want[k].reached || missing[i] != want[k].missing)
      fail_msg("%s: reached %d missing %d, expected %d and %d", want[k].code, reached[i], missing[i],
               want[k].reached, want[k].missing);
  }
}

static void organisation(void **state) {
  struct fixture *fx = *state;
  assert_int_equal(fact(fx, "org", "active"), 6);    /* A B C D F G; E is planned */
  assert_int_equal(fact(fx, "org", "goal_plan"), 4); /* A C F G */
  assert_float_equal(fact(fx, "org", "goal_plan_share"), 4.0 / 6.0, 1e-12);
  assert_int_equal(fact(fx, "org", "phase_explore"), 1); /* B */
  assert_int_equal(fact(fx, "org", "phase_prepare"), 1); /* D (sustain only from April) */
  assert_int_equal(fact(fx, "org", "phase_deliver"), 2); /* A F */
  assert_int_equal(fact(fx, "org", "phase_sustain"), 0);
  assert_int_equal(fact(fx, "org", "phase_none"), 2); /* C G */
  assert_int_equal(fact(fx, "org", "closed"), 2);     /* F G */
  assert_int_equal(fact(fx, "org", "outcome_yes"), 1);
  assert_int_equal(fact(fx, "org", "outcome_partly"), 1);
  assert_int_equal(fact(fx, "org", "outcome_no"), 0);
  assert_float_equal(fact(fx, "org", "realised_share"), 0.5, 1e-12);
  assert_int_equal(fact(fx, "org", "mech_registrations"), 4); /* R1 R2 R3 R5 */
  assert_int_equal(fact(fx, "org", "mech_set_goals"), 2);
  assert_int_equal(fact(fx, "org", "mech_modelling"), 2);
  assert_int_equal(fact(fx, "org", "mech_feedback"), 1);
  assert_int_equal(fact(fx, "org", "mech_rehearsal"), 0);
  assert_int_equal(fact(fx, "org", "short_n"), 6); /* S1 5 + S3 1 */
  assert_float_equal(fact(fx, "org", "short_mean"), 65.0 / 18.0, 1e-12);
  assert_int_equal(fact(fx, "org", "long_n"), 4);
  assert_false(present(fx, "org", "long_mean"));   /* 4 responses: under the threshold */
  assert_int_equal(fact(fx, "org", "reached"), 1); /* I1 */
  /* every line is of unit PBD */
  assert_int_equal(fact(fx, "unit:pbd", "active"), 6);
  assert_false(present(fx, "unit:poc", "active"));
}

static void teams_lines_goals_advisors(void **state) {
  struct fixture *fx = *state;
  /* T1 = {AN, BE}: A B F (E planned) */
  assert_int_equal(fact(fx, "team:T1", "active"), 3);
  assert_int_equal(fact(fx, "team:T1", "goal_plan"), 2); /* A F */
  assert_int_equal(fact(fx, "team:T1", "phase_deliver"), 2);
  assert_int_equal(fact(fx, "team:T1", "phase_explore"), 1);
  assert_int_equal(fact(fx, "team:T1", "closed"), 1);
  assert_float_equal(fact(fx, "team:T1", "realised_share"), 1.0, 1e-12);
  assert_int_equal(fact(fx, "team:T1", "mech_registrations"), 3); /* R1 R2 R5 */
  assert_int_equal(fact(fx, "team:T1", "mech_modelling"), 2);
  assert_int_equal(fact(fx, "team:T1", "short_n"), 6);
  assert_float_equal(fact(fx, "team:T1", "short_mean"), 65.0 / 18.0, 1e-12);
  /* T2 = {CD}: C D G */
  assert_int_equal(fact(fx, "team:T2", "active"), 3);
  assert_int_equal(fact(fx, "team:T2", "goal_plan"), 2); /* C G */
  assert_int_equal(fact(fx, "team:T2", "phase_prepare"), 1);
  assert_int_equal(fact(fx, "team:T2", "phase_none"), 2);
  assert_int_equal(fact(fx, "team:T2", "outcome_partly"), 1);
  assert_float_equal(fact(fx, "team:T2", "realised_share"), 0.0, 1e-12);
  assert_int_equal(fact(fx, "team:T2", "long_n"), 4);
  assert_false(present(fx, "team:T2", "long_mean"));
  assert_int_equal(fact(fx, "team:T2", "short_n"), 0);
  /* lines and goals */
  assert_int_equal(fact(fx, "line:P1", "active"), 3);
  assert_int_equal(fact(fx, "line:P2", "active"), 3);
  assert_int_equal(fact(fx, "line:P2", "mech_registrations"), 1); /* R3 */
  assert_int_equal(fact(fx, "goal:1.1", "active"), 3);
  assert_int_equal(fact(fx, "goal:1.1", "reached"), 1);            /* I1 through A */
  assert_int_equal(fact(fx, "goal:1.1", "mech_registrations"), 2); /* R1 R2; R5 has no goal */
  assert_float_equal(fact(fx, "goal:1.1", "short_mean"), 65.0 / 18.0, 1e-12);
  assert_int_equal(fact(fx, "goal:2.1", "reached"), 0);
  /* advisors: AN keeps A and F (and the planned E); BE answered one survey only */
  assert_int_equal(fact(fx, "advisor:AN", "active"), 2);
  assert_int_equal(fact(fx, "advisor:AN", "short_n"), 5);
  assert_float_equal(fact(fx, "advisor:AN", "short_mean"), 62.0 / 15.0, 1e-12);
  assert_int_equal(fact(fx, "advisor:BE", "short_n"), 1);
  assert_false(present(fx, "advisor:BE", "short_mean"));
  assert_int_equal(fact(fx, "advisor:BE", "active"), 2); /* B F */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reach_and_missing_conditions),
      cmocka_unit_test(organisation),
      cmocka_unit_test(teams_lines_goals_advisors),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
