/* SPDX-License-Identifier: EUPL-1.2 */
/* The management views (measures/views.h, docs/VIEWS.md) and the report per unit
   (facts_compute_unit), on a small dataset written here and imported by the project's
   own import into a temporary SQLite file (or, with BEREIK_TEST_ENGINE=postgresql and
   BEREIK_TEST_PG, a temporary PostgreSQL database). Every expected number is worked out
   by hand.

   School year 2025-2026, hours_per_fte 1200, reach rule contact, evaluated on Friday
   2025-09-12. 1 September 2025 is a Monday: week 0 = 09-01..09-07, week 1 =
   09-08..09-14, week 2 = 09-15..09-21; today is in week 1, so the views show 2 weeks.
   Working days: 09-01..09-12 = 10; the school year 2025-09-01..2026-08-31 = 52 weeks
   (260) + Monday 2026-08-31 = 261, so the pro-rata share is 10/261.

   Lines: P1, P2 pillars of PBD (planned 1.0 and 0.5 FTE), PC pillar of POC (0.5).
   Goals 1.1 (P1), 2.1 (P2). Institutions I1, I2 own, I3 not own (NT-POV).
   Advisors AN, BE (team T1), CD (team T2), all 1 FTE, the whole year.
   Target groups ler (target 100 in 2025-2026), dir. pd_spend: AN 300, BE 100 EUR.
   Planned split (advisor_lines.csv): AN P1 0.6, AN P2 0.4; CD PC 0.5.

     R1 09-02 wk0 120 client   P1 1.1 AN,BE I1,I2 ler 10 dir 0
     R2 09-03 wk0  60 internal P1     AN    preparation
     R3 09-09 wk1  90 client   P2 2.1 AN    I1,I3 ler 5 dir 2
     R4 09-10 wk1  30 internal P2     AN,BE quality
     R5 09-11 wk1  60 client   PC     CD    I2    dir 3
     R6 09-11 wk1  45 internal PC     CD    quality
     R7 09-20 wk2  60 client   P1 1.1 BE    I1    ler 4   (after the day evaluated;
                                                      imported with BEREIK_TODAY 09-30)

   Organisation (advisor-minutes d * |A|):
     P1 klv 240 + 60 = 300, registered 300 + 60 = 360; week 0 klv 240, reg 300.
     P2 klv 90, registered 90 + 60 = 150; week 1 klv 90, reg 150.
     PC klv 60, registered 60 + 45 = 105; week 1 klv 60, reg 105.
     P1 KLV% to date = 5 h / (1.0 * 1200 * 10/261) = 1305/12000 = 0.10875 (achter);
     klv_by_line share of P1 = 300 / 450 = 2/3.
   Goals: 1.1 hits 2 (R1) + 1 (R7) = 3, own institutions named {I1, I2} = 2;
     2.1 hits 2 (R3), own {I1} = 1 (I3 is not own); without goal: hits 1 (R5).
   Institutions: I1 120 + 90 + 60 = 270 min (4.5 h), hits 3; I2 120 + 60 = 180 (3 h),
     hits 2; I3 90 (1.5 h), hits 1.
   Target groups: ler reach 10 + 5 + 4 = 19, hours R1 + R3 + R7 = 270 min = 4.5 h; target
     100, to date 1000/261 = 3.8314 (op koers). dir reach 0 + 2 + 3 = 5, hours R3 + R5 =
     150 min = 2.5 h (R1's count is 0: not counted).
   Non-classroom: preparation 60; quality 30 * 2 + 45 = 105; total 165 min. Quality
     reserve 0.5 * 1200 = 600 h, to date 6000/261 = 22.989 h; registered 1.75 h (achter).
   Split (to date = up to 09-12): AN P1 planned 0.6 * 1200 = 720 h, to date 7200/261 =
     27.586 h, registered R1 + R2 = 180 min (achter), week 0 planned 720 * 5/261 = 13.793
     h and 180 min, week 1 0 min; AN P2 planned 480 h, registered R3 + R4 = 120 min (week
     1); CD PC planned 600 h, registered 105 min (week 1). BE has no planned split: not
     listed.
   PD: total 400 over 3 advisors employed = 133.33 EUR (the facts' per_advisor); to date
     target 2500/261 = 9.58 (op koers).
   Team T1 (AN, BE): P1 300/360, P2 90/150, PC not listed; goals 1.1 (3), 2.1 (2), no
     no-goal bucket; non-classroom preparation 60, quality 60, total 120; no quality
     reserve; dir reach 2 (R3); pd 400 over 2 = 200 EUR.
   Advisor CD: PC 60/105 only; no-goal hits 1; quality 45; no pd spend: no average.

   The report per unit: PBD = P1, P2: fte total_plan planned 1.5, realised (360 + 150)
   min / 60 / 1200 = 8.5/1200; hits 2 + 2 + 1 = 5; klv total fte_hours 1800, klv_hours
   6.5; pd per_advisor (AN, BE on PBD lines) 200; target_groups without target. POC =
   PC: planned 0.5, realised 1.75/1200, hits 1, no pd rows. The organisation: hits 6, the
   ler target 100. */
#include <math.h>
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
#include "measures/indicators.h"
#include "measures/views.h"

#define Y 2025 /* school year 2025-2026 */
#define EPS 1e-9

struct fixture {
  char db_path[300], dir[64], pg_name[64];
  struct db *db;
  struct model m;
  struct facts f;
  int32_t today;
};

static const char *const files[] = {
    "settings.csv",      "sectors.csv",  "lines.csv",        "goals.csv",         "plan.csv",
    "institutions.csv",  "teams.csv",    "advisors.csv",     "target_groups.csv", "targets.csv",
    "registrations.csv", "pd_spend.csv", "advisor_lines.csv"};

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
  if (pg_base()) {
    char sql[128];
    snprintf(fx->pg_name, sizeof fx->pg_name, "bt_views_%ld", (long)getpid());
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", fx->pg_name);
    if (pg_admin(sql) != 0) return -1;
    snprintf(fx->db_path, sizeof fx->db_path, "%s/%s", pg_base(), fx->pg_name);
  } else {
    snprintf(fx->db_path, sizeof fx->db_path, "/tmp/bereik-views-db-XXXXXX");
    int fd = mkstemp(fx->db_path);
    if (fd < 0) return -1;
    close(fd);
  }
  snprintf(fx->dir, sizeof fx->dir, "/tmp/bereik-views-ds-XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  setenv("BEREIK_TODAY", "2025-09-30", 1); /* the import refuses dates after today: R7 */
  date_parse("2025-09-12", &fx->today);
  write_file(fx->dir, "settings.csv", "school_year,hours_per_fte,reach_rule\n2025-2026,1200,contact\n");
  write_file(fx->dir, "sectors.csv", "code,name,group\nBaO,Basisonderwijs,(Bu)BaO\n");
  write_file(
      fx->dir, "lines.csv",
      "code,name,kind,unit\nP1,Pijler 1,pillar,pbd\nP2,Pijler 2,pillar,pbd\nPC,POC-pijler,pillar,poc\n");
  write_file(fx->dir, "goals.csv", "code,line,name\n1.1,P1,Doel 1.1\n2.1,P2,Doel 2.1\n");
  write_file(fx->dir, "plan.csv",
             "school_year,line,planned_fte\n2025-2026,P1,1.0\n2025-2026,P2,0.5\n2025-2026,PC,0.5\n");
  write_file(fx->dir, "institutions.csv",
             "number,code,name,sector,own\n100001,I1,School 1,BaO,true\n100002,I2,School 2,BaO,true\n"
             "100003,I3,School 3,BaO,false\n");
  write_file(fx->dir, "teams.csv", "code,name,lines\nT1,Team 1,P1|P2\nT2,Team 2,PC\n");
  write_file(fx->dir, "advisors.csv", "code,name,fte,teams\nAN,Anna,1,T1\nBE,Bert,1,T1\nCD,Cato,1,T2\n");
  write_file(fx->dir, "target_groups.csv", "code,name\nler,Leraren\ndir,Directies\n");
  write_file(fx->dir, "targets.csv", "school_year,target_group,target\n2025-2026,ler,100\n");
  write_file(fx->dir, "registrations.csv",
             "id,date,minutes,kind,line,goal,advisors,institutions,modality,activity,tg.ler,tg.dir\n"
             "R1,2025-09-02,120,client,P1,1.1,AN|BE,I1|I2,fysiek,,10,0\n"
             "R2,2025-09-03,60,internal,P1,,AN,,,preparation,,\n"
             "R3,2025-09-09,90,client,P2,2.1,AN,I1|I3,online,,5,2\n"
             "R4,2025-09-10,30,internal,P2,,AN|BE,,,quality,,\n"
             "R5,2025-09-11,60,client,PC,,CD,I2,helpdesk,,,3\n"
             "R6,2025-09-11,45,internal,PC,,CD,,,quality,,\n"
             "R7,2025-09-20,60,client,P1,1.1,BE,I1,fysiek,,4,\n");
  write_file(fx->dir, "pd_spend.csv",
             "advisor,school_year,date,amount_eur,description\nAN,2025-2026,2025-09-05,300,Congres\n"
             "BE,2025-2026,2025-09-05,100,Boek\n");
  write_file(fx->dir, "advisor_lines.csv",
             "advisor,school_year,line,fte\nAN,2025-2026,P1,0.6\nAN,2025-2026,P2,0.4\nCD,2025-2026,PC,0.5\n");
  char err[512];
  fx->db = db_open(fx->db_path, err, sizeof err);
  if (!fx->db || db_migrate(fx->db, err, sizeof err) != 0) {
    fprintf(stderr, "db: %s\n", err);
    return -1;
  }
  int rc = dataset_import_to(fx->db, fx->dir, "test", stderr);
  if (rc != 0) {
    fprintf(stderr, "the test dataset was refused (%d)\n", rc);
    return -1;
  }
  if (model_load(fx->db, &fx->m, err, sizeof err) != 0) return -1;
  int year = Y;
  db_begin_read(fx->db);
  rc = facts_compute(fx->db, &fx->m, &year, 1, &fx->f, err, sizeof err);
  db_commit(fx->db);
  if (rc != 0) {
    fprintf(stderr, "facts_compute: %s\n", err);
    return -1;
  }
  return 0;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  facts_free(&fx->f);
  model_free(&fx->m);
  db_close(fx->db);
  if (*fx->pg_name) {
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", fx->pg_name);
    pg_admin(sql);
  } else {
    unlink(fx->db_path);
  }
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", fx->dir, files[i]);
    unlink(path);
  }
  rmdir(fx->dir);
  free(fx);
  return 0;
}

/* The views in a scope: NULL (organisation) or a '|' list of advisor codes. */
static void compute(struct fixture *fx, const char *advisors, struct views *v) {
  unsigned char *mask = NULL;
  if (advisors) {
    mask = calloc(fx->m.n_advisors + 1, 1);
    char buf[64];
    snprintf(buf, sizeof buf, "%s", advisors);
    for (char *t = strtok(buf, "|"); t; t = strtok(NULL, "|")) mask[model_advisor(&fx->m, t)] = 1;
  }
  char err[512];
  db_begin_read(fx->db);
  int rc = views_compute(fx->db, &fx->m, &fx->f, Y, fx->today, mask, v, err, sizeof err);
  db_commit(fx->db);
  free(mask);
  if (rc != 0) fail_msg("views_compute: %s", err);
}

static const struct view_line *line_of(const struct fixture *fx, const struct views *v, const char *code) {
  for (size_t i = 0; i < v->n_lines; i++)
    if (!strcmp(fx->m.lines[v->lines[i].line].code, code)) return &v->lines[i];
  return NULL;
}
static const struct view_goal *goal_of(const struct fixture *fx, const struct views *v, const char *code) {
  for (size_t i = 0; i < v->n_goals; i++)
    if (code ? v->goals[i].goal >= 0 && !strcmp(fx->m.goals[v->goals[i].goal].code, code)
             : v->goals[i].goal < 0)
      return &v->goals[i];
  return NULL;
}
static const struct view_group *group_of(const struct fixture *fx, const struct views *v, const char *code) {
  for (size_t i = 0; i < v->n_groups; i++)
    if (!strcmp(fx->m.target_groups[v->groups[i].group].code, code)) return &v->groups[i];
  return NULL;
}
static const struct view_split *split_of(const struct fixture *fx, const struct views *v, const char *adv,
                                         const char *line) {
  for (size_t i = 0; i < v->n_splits; i++)
    if (!strcmp(fx->m.advisors[v->splits[i].advisor].code, adv) &&
        !strcmp(fx->m.lines[v->splits[i].line].code, line))
      return &v->splits[i];
  return NULL;
}

static void test_klv_per_line(void **state) {
  struct fixture *fx = *state;
  struct views v;
  compute(fx, NULL, &v);
  assert_int_equal(v.n_weeks, 2);
  assert_true(fabs(v.share - 10.0 / 261.0) < EPS);
  assert_int_equal(v.n_lines, 3);
  const struct view_line *p1 = line_of(fx, &v, "P1"), *p2 = line_of(fx, &v, "P2"),
                         *pc = line_of(fx, &v, "PC");
  assert_non_null(p1);
  assert_non_null(p2);
  assert_non_null(pc);
  assert_int_equal(p1->klv_minutes, 300);
  assert_int_equal(p1->registered_minutes, 360);
  assert_int_equal(p1->week_klv[0], 240);
  assert_int_equal(p1->week_registered[0], 300);
  assert_int_equal(p1->week_registered[1], 0);
  assert_int_equal(p1->week_klv[2], 60); /* R7, after today, still in the year's sums */
  assert_int_equal(p2->klv_minutes, 90);
  assert_int_equal(p2->registered_minutes, 150);
  assert_int_equal(p2->week_klv[1], 90);
  assert_int_equal(p2->week_registered[1], 150);
  assert_int_equal(pc->klv_minutes, 60);
  assert_int_equal(pc->registered_minutes, 105);
  /* the capacity-based KLV% to date and the klv_by_line share come from the facts */
  assert_true(p1->has_pct);
  assert_true(fabs(p1->pct_to_date - 0.10875) < EPS);
  assert_int_equal(p1->status, STATUS_BEHIND);
  assert_true(p1->has_share);
  assert_true(fabs(p1->share - 2.0 / 3.0) < EPS);
  views_free(&v);
}

static void test_goals_and_institutions(void **state) {
  struct fixture *fx = *state;
  struct views v;
  compute(fx, NULL, &v);
  const struct view_goal *g11 = goal_of(fx, &v, "1.1"), *g21 = goal_of(fx, &v, "2.1"),
                         *none = goal_of(fx, &v, NULL);
  assert_non_null(g11);
  assert_non_null(g21);
  assert_non_null(none);
  assert_int_equal(g11->hits, 3);
  assert_int_equal(g11->reached, 2);
  assert_int_equal(g21->hits, 2);
  assert_int_equal(g21->reached, 1);
  assert_int_equal(none->hits, 1);
  assert_int_equal(v.n_institutions, 3); /* most minutes first */
  assert_string_equal(fx->m.institutions[v.institutions[0].institution].code, "I1");
  assert_int_equal(v.institutions[0].minutes, 270);
  assert_int_equal(v.institutions[0].hits, 3);
  assert_string_equal(fx->m.institutions[v.institutions[1].institution].code, "I2");
  assert_int_equal(v.institutions[1].minutes, 180);
  assert_int_equal(v.institutions[1].hits, 2);
  assert_string_equal(fx->m.institutions[v.institutions[2].institution].code, "I3");
  assert_int_equal(v.institutions[2].minutes, 90);
  assert_int_equal(v.institutions[2].hits, 1);
  const struct view_group *ler = group_of(fx, &v, "ler"), *dir = group_of(fx, &v, "dir");
  assert_int_equal(ler->reach, 19);
  assert_int_equal(ler->minutes, 270);
  assert_true(ler->target.has_target);
  assert_true(fabs(ler->target.target_to_date - 1000.0 / 261.0) < EPS);
  assert_int_equal(ler->target.status, STATUS_ON_TRACK);
  assert_int_equal(dir->reach, 5);
  assert_int_equal(dir->minutes, 150);
  assert_false(dir->target.has_target);
  views_free(&v);
}

static void test_non_classroom(void **state) {
  struct fixture *fx = *state;
  struct views v;
  compute(fx, NULL, &v);
  assert_int_equal(v.activity_minutes[parse_activity("preparation")], 60);
  assert_int_equal(v.activity_minutes[parse_activity("quality")], 105);
  assert_int_equal(v.activity_minutes[parse_activity("self_study")], 0);
  assert_int_equal(v.internal_minutes, 165);
  assert_true(v.quality.has_target);
  assert_true(fabs(v.quality.target - 600.0) < EPS);
  assert_true(fabs(v.quality.target_to_date - 6000.0 / 261.0) < EPS);
  assert_int_equal(v.quality.status, STATUS_BEHIND);
  views_free(&v);
}

static void test_split(void **state) {
  struct fixture *fx = *state;
  struct views v;
  compute(fx, NULL, &v);
  assert_true(v.has_split_plan);
  assert_int_equal(v.n_splits, 3); /* AN P1, AN P2, CD PC; BE has no plan */
  const struct view_split *a1 = split_of(fx, &v, "AN", "P1"), *a2 = split_of(fx, &v, "AN", "P2"),
                          *c = split_of(fx, &v, "CD", "PC");
  assert_non_null(a1);
  assert_non_null(a2);
  assert_non_null(c);
  assert_null(split_of(fx, &v, "BE", "P1"));
  assert_true(fabs(a1->planned_fte - 0.6) < EPS);
  assert_true(fabs(a1->planned_hours_year - 720.0) < EPS);
  assert_true(fabs(a1->planned_hours_to_date - 7200.0 / 261.0) < EPS);
  assert_int_equal(a1->minutes_to_date, 180);
  assert_int_equal(a1->status, STATUS_BEHIND);
  assert_true(fabs(a1->week[0].planned_hours - 720.0 * 5.0 / 261.0) < EPS);
  assert_int_equal(a1->week[0].minutes, 180);
  assert_int_equal(a1->week[1].minutes, 0);
  assert_true(fabs(a2->planned_hours_year - 480.0) < EPS);
  assert_int_equal(a2->minutes_to_date, 120);
  assert_int_equal(a2->week[1].minutes, 120);
  assert_true(fabs(c->planned_hours_year - 600.0) < EPS);
  assert_int_equal(c->minutes_to_date, 105);
  assert_int_equal(c->week[1].minutes, 105);
  views_free(&v);
}

static void test_pd(void **state) {
  struct fixture *fx = *state;
  struct views v;
  compute(fx, NULL, &v);
  assert_int_equal(v.n_pd, 2);
  assert_true(fabs(v.pd_total - 400.0) < EPS);
  assert_int_equal(v.pd_advisors, 3);
  assert_true(v.has_pd_average);
  assert_true(fabs(v.pd_average - 400.0 / 3.0) < EPS);
  /* the same number as the report's row */
  int found;
  double row = facts_get(&fx->f, "pd_spend", Y, "total", "per_advisor", &found);
  assert_true(found);
  assert_true(v.pd_average == row);
  assert_true(fabs(v.pd_norm.target_to_date - 2500.0 / 261.0) < EPS);
  assert_int_equal(v.pd_norm.status, STATUS_ON_TRACK);
  views_free(&v);
}

static void test_team_scope(void **state) {
  struct fixture *fx = *state;
  struct views v;
  compute(fx, "AN|BE", &v);
  assert_false(v.full);
  assert_int_equal(v.n_lines, 2);
  assert_null(line_of(fx, &v, "PC"));
  assert_int_equal(line_of(fx, &v, "P1")->klv_minutes, 300);
  assert_int_equal(line_of(fx, &v, "P1")->registered_minutes, 360);
  assert_int_equal(line_of(fx, &v, "P2")->klv_minutes, 90);
  assert_int_equal(line_of(fx, &v, "P2")->registered_minutes, 150);
  assert_false(line_of(fx, &v, "P1")->has_pct);
  assert_int_equal(goal_of(fx, &v, "1.1")->hits, 3);
  assert_int_equal(goal_of(fx, &v, "2.1")->hits, 2);
  assert_null(goal_of(fx, &v, NULL));
  assert_int_equal(v.activity_minutes[parse_activity("preparation")], 60);
  assert_int_equal(v.activity_minutes[parse_activity("quality")], 60);
  assert_int_equal(v.internal_minutes, 120);
  assert_false(v.quality.has_target);
  assert_int_equal(group_of(fx, &v, "dir")->reach, 2);
  assert_false(group_of(fx, &v, "ler")->target.has_target);
  assert_int_equal(v.pd_advisors, 2);
  assert_true(fabs(v.pd_average - 200.0) < EPS);
  views_free(&v);
  compute(fx, "CD", &v);
  assert_int_equal(v.n_lines, 1);
  assert_int_equal(line_of(fx, &v, "PC")->klv_minutes, 60);
  assert_int_equal(line_of(fx, &v, "PC")->registered_minutes, 105);
  assert_int_equal(v.n_goals, 1);
  assert_int_equal(goal_of(fx, &v, NULL)->hits, 1);
  assert_int_equal(v.activity_minutes[parse_activity("quality")], 45);
  assert_int_equal(v.n_pd, 0);
  assert_false(v.has_pd_average);
  views_free(&v);
}

static double unit_fact(struct facts *f, const char *table, const char *row, const char *col, int *found) {
  return facts_get(f, table, Y, row, col, found);
}

static void test_report_per_unit(void **state) {
  struct fixture *fx = *state;
  char err[512];
  int year = Y, found;
  struct facts pbd, poc;
  db_begin_read(fx->db);
  assert_int_equal(facts_compute_unit(fx->db, &fx->m, &year, 1, UNIT_PBD, &pbd, err, sizeof err), 0);
  assert_int_equal(facts_compute_unit(fx->db, &fx->m, &year, 1, UNIT_POC, &poc, err, sizeof err), 0);
  db_commit(fx->db);
  assert_true(fabs(unit_fact(&pbd, "fte", "total_plan", "planned_fte", &found) - 1.5) < EPS);
  assert_true(fabs(unit_fact(&pbd, "fte", "total_plan", "realized_fte", &found) - 8.5 / 1200.0) < EPS);
  unit_fact(&pbd, "fte", "PC", "realized_fte", &found);
  assert_false(found);
  assert_true(unit_fact(&pbd, "hits", "total", "hits", &found) == 5);
  assert_true(fabs(unit_fact(&pbd, "klv", "total", "fte_hours", &found) - 1800.0) < EPS);
  assert_true(fabs(unit_fact(&pbd, "klv", "total", "klv_hours", &found) - 6.5) < EPS);
  unit_fact(&pbd, "klv", "unit:poc", "klv_hours", &found);
  assert_false(found);
  unit_fact(&pbd, "klv", "advisor:AN", "fte_hours", &found);
  assert_false(found); /* a capacity is not split over units */
  assert_true(fabs(unit_fact(&pbd, "pd_spend", "total", "per_advisor", &found) - 200.0) < EPS);
  unit_fact(&pbd, "target_groups", "ler", "target", &found);
  assert_false(found);
  assert_true(unit_fact(&pbd, "target_groups", "ler", "reach", &found) == 19);
  assert_true(fabs(unit_fact(&poc, "fte", "total_plan", "planned_fte", &found) - 0.5) < EPS);
  assert_true(fabs(unit_fact(&poc, "fte", "total_plan", "realized_fte", &found) - 1.75 / 1200.0) < EPS);
  assert_true(unit_fact(&poc, "hits", "total", "hits", &found) == 1);
  unit_fact(&poc, "pd_spend", "total", "per_advisor", &found);
  assert_false(found);
  /* the organisation */
  assert_true(unit_fact(&fx->f, "hits", "total", "hits", &found) == 6);
  assert_true(unit_fact(&fx->f, "target_groups", "ler", "target", &found) == 100);
  facts_free(&pbd);
  facts_free(&poc);
}

/* The report of a coordinator's team T1 = {AN, BE}: the registrations naming AN or BE
   (R1, R2, R3, R4, R7) with their advisor-minutes: P1 360, P2 150 -> realised total_plan
   510 / 60 / 1200; no planned FTE; hits R1 2 + R3 2 + R7 1 = 5; klv total fte_hours =
   the capacity of AN and BE = 2 * 1200 = 2400, klv_hours (240 + 60 + 90) / 60 = 6.5;
   pd 400 over AN and BE = 200; no unit rows, no targets. */
static void test_report_of_team(void **state) {
  struct fixture *fx = *state;
  char err[512];
  int year = Y, found;
  unsigned char *mask = calloc(fx->m.n_advisors + 1, 1);
  mask[model_advisor(&fx->m, "AN")] = 1;
  mask[model_advisor(&fx->m, "BE")] = 1;
  struct facts t;
  db_begin_read(fx->db);
  assert_int_equal(facts_compute_scope(fx->db, &fx->m, &year, 1, -1, mask, &t, err, sizeof err), 0);
  db_commit(fx->db);
  free(mask);
  assert_true(fabs(unit_fact(&t, "fte", "total_plan", "realized_fte", &found) - 8.5 / 1200.0) < EPS);
  unit_fact(&t, "fte", "P1", "planned_fte", &found);
  assert_false(found);
  unit_fact(&t, "fte", "PC", "realized_fte", &found);
  assert_false(found);
  assert_true(unit_fact(&t, "hits", "total", "hits", &found) == 5);
  assert_true(fabs(unit_fact(&t, "klv", "total", "fte_hours", &found) - 2400.0) < EPS);
  assert_true(fabs(unit_fact(&t, "klv", "total", "klv_hours", &found) - 6.5) < EPS);
  unit_fact(&t, "klv", "unit:pbd", "klv_hours", &found);
  assert_false(found);
  unit_fact(&t, "klv", "advisor:CD", "klv_hours", &found);
  assert_false(found);
  assert_true(fabs(unit_fact(&t, "pd_spend", "total", "per_advisor", &found) - 200.0) < EPS);
  unit_fact(&t, "target_groups", "ler", "target", &found);
  assert_false(found);
  facts_free(&t);
}

static void test_default_year(void **state) {
  (void)state;
  int32_t d;
  int years[] = {2027, 2026};
  date_parse("2025-09-01", &d);
  assert_int_equal(facts_default_year(years, 2, d), 2025); /* not the newest with data */
  date_parse("2025-08-31", &d);
  assert_int_equal(facts_default_year(years, 2, d), 2024);
}

int main(void) {
  const char *e = getenv("BEREIK_TEST_ENGINE");
  if (e && !strcmp(e, "postgresql") && !getenv("BEREIK_TEST_PG")) {
    printf("skipped: BEREIK_TEST_PG is not set (scripts/test.sh starts a server)\n");
    return 77;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_klv_per_line),
      cmocka_unit_test(test_goals_and_institutions),
      cmocka_unit_test(test_non_classroom),
      cmocka_unit_test(test_split),
      cmocka_unit_test(test_pd),
      cmocka_unit_test(test_team_scope),
      cmocka_unit_test(test_report_per_unit),
      cmocka_unit_test(test_report_of_team),
      cmocka_unit_test(test_default_year),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
