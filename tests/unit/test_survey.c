/* SPDX-License-Identifier: EUPL-1.2 */
/* Anonymous client surveys (domain/survey.h) on a tiny SQLite database filled by the
   project's own import:

     teams T1 = {AN, BE} and T2 = {CD};
     R1: 2025-03-03, client, advisor AN;  R2: 2025-03-04, client, advisor CD;
     trajectory TR1 kept by AN.

   Today is 2025-03-10 in every test (passed explicitly). The questionnaires are the two
   the migration seeds: KORT-1 (relevant, useful, clear: scale; remark: open) and LANG-1.
   Every expected number below is worked out by hand from the answers given. */
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

#include "core/dates.h"
#include "db/db.h"
#include "domain/access.h"
#include "domain/model.h"
#include "domain/survey.h"
#include "http/auth.h"
#include "io/dataset.h"

static const char *const FILES[] = {"settings.csv",      "sectors.csv",      "lines.csv",
                                    "institutions.csv",  "teams.csv",        "advisors.csv",
                                    "registrations.csv", "trajectories.csv", "trajectory_advisors.csv"};

struct fixture {
  char db_path[64], dir[64];
  struct db *db;
  struct model m;
  int64_t an, cd;
  int32_t today;
  struct user user_an, user_cd, user_dir;
  struct advisor_scope an_read, an_open, cd_read, cd_open, dir_read, dir_open;
  struct survey_viewer an_v, cd_v, dir_v;
};

static void write_file(const char *dir, const char *name, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) fail_msg("cannot write %s", path);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

static int64_t advisor_id(const struct model *m, const char *code) {
  int a = model_advisor(m, code);
  return a >= 0 ? m->advisors[a].id : -1;
}

static int setup(void **state) {
  struct fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  *state = fx;
  snprintf(fx->db_path, sizeof fx->db_path, "/tmp/bereik-survey-db-XXXXXX");
  int fd = mkstemp(fx->db_path);
  if (fd < 0) return -1;
  close(fd);
  snprintf(fx->dir, sizeof fx->dir, "/tmp/bereik-survey-ds-XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  setenv("BEREIK_TODAY", "2025-03-10", 1);
  write_file(fx->dir, "settings.csv", "school_year,hours_per_fte\n2024-2025,1185\n");
  write_file(fx->dir, "sectors.csv", "code,name\nSO,Secundair onderwijs\n");
  write_file(fx->dir, "lines.csv", "code,name,kind\nP1,Pijler 1,pillar\n");
  write_file(fx->dir, "institutions.csv", "number,code,name,sector\n100001,SAA,School A,SO\n");
  write_file(fx->dir, "teams.csv", "code,name,lines\nT1,Team 1,P1\nT2,Team 2,P1\n");
  write_file(fx->dir, "advisors.csv",
             "code,name,fte,teams\n"
             "AN,Anna,1,T1\n"
             "BE,Bert,1,T1\n"
             "CD,Cato,1,T2\n");
  write_file(fx->dir, "registrations.csv",
             "id,date,minutes,kind,line,advisors,institutions,modality,activity\n"
             "R1,2025-03-03,90,client,P1,AN,SAA,fysiek,\n"
             "R2,2025-03-04,60,client,P1,CD,SAA,fysiek,\n");
  write_file(fx->dir, "trajectories.csv",
             "id,institution,line,start,status\nTR1,100001,P1,2024-09-01,active\n");
  write_file(fx->dir, "trajectory_advisors.csv", "trajectory,advisor\nTR1,AN\n");
  char err[512];
  fx->db = db_open(fx->db_path, err, sizeof err);
  if (!fx->db || db_migrate(fx->db, err, sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    return -1;
  }
  FILE *devnull = fopen("/dev/null", "w");
  int rc = devnull ? dataset_import_to(fx->db, fx->dir, "test", devnull) : -1;
  if (devnull) fclose(devnull);
  if (rc != 0) {
    fprintf(stderr, "import: %d\n", rc);
    return -1;
  }
  if (model_load(fx->db, &fx->m, err, sizeof err) != 0) {
    fprintf(stderr, "model_load: %s\n", err);
    return -1;
  }
  fx->an = advisor_id(&fx->m, "AN");
  fx->cd = advisor_id(&fx->m, "CD");
  if (fx->an <= 0 || fx->cd <= 0) return -1;
  if (date_parse("2025-03-10", &fx->today) != 0) return -1;

  /* AN, an advisor; CD, an advisor of another team; a director (reads every
     registration, keeps none) */
  fx->user_an = (struct user){.id = 1, .role = ROLE_ADVISOR, .advisor_id = fx->an};
  fx->user_cd = (struct user){.id = 2, .role = ROLE_ADVISOR, .advisor_id = fx->cd};
  fx->user_dir = (struct user){.id = 3, .role = ROLE_DIRECTOR, .advisor_id = 0};
  if (user_scope(&fx->user_an, &fx->m, ACCESS_READ, &fx->an_read) != 0 ||
      user_scope(&fx->user_an, &fx->m, ACCESS_WRITE, &fx->an_open) != 0 ||
      user_scope(&fx->user_cd, &fx->m, ACCESS_READ, &fx->cd_read) != 0 ||
      user_scope(&fx->user_cd, &fx->m, ACCESS_WRITE, &fx->cd_open) != 0 ||
      user_scope(&fx->user_dir, &fx->m, ACCESS_READ, &fx->dir_read) != 0 ||
      user_scope(&fx->user_dir, &fx->m, ACCESS_WRITE, &fx->dir_open) != 0)
    return -1;
  fx->an_v = (struct survey_viewer){.user = &fx->user_an, .read = &fx->an_read, .open = &fx->an_open};
  fx->cd_v = (struct survey_viewer){.user = &fx->user_cd, .read = &fx->cd_read, .open = &fx->cd_open};
  fx->dir_v = (struct survey_viewer){.user = &fx->user_dir, .read = &fx->dir_read, .open = &fx->dir_open};
  return 0;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  if (!fx) return 0;
  advisor_scope_free(&fx->an_read);
  advisor_scope_free(&fx->an_open);
  advisor_scope_free(&fx->cd_read);
  advisor_scope_free(&fx->cd_open);
  advisor_scope_free(&fx->dir_read);
  advisor_scope_free(&fx->dir_open);
  model_free(&fx->m);
  if (fx->db) db_close(fx->db);
  char p[300];
  unlink(fx->db_path);
  snprintf(p, sizeof p, "%s-wal", fx->db_path);
  unlink(p);
  snprintf(p, sizeof p, "%s-shm", fx->db_path);
  unlink(p);
  for (size_t i = 0; i < sizeof FILES / sizeof FILES[0]; i++) {
    snprintf(p, sizeof p, "%s/%s", fx->dir, FILES[i]);
    unlink(p);
  }
  rmdir(fx->dir);
  free(fx);
  return 0;
}

/* A browser's cookie: 64 hex characters, different for every n. */
static const char *cookie(int n) {
  static char c[8][SURVEY_COOKIE_LEN + 1];
  char *out = c[n % 8];
  snprintf(out, SURVEY_COOKIE_LEN + 1, "%064d", n);
  return out;
}

static struct survey make(struct fixture *fx, const char *kind, const char *reg, const char *expires,
                          int max) {
  struct survey_new n = {
      .kind = kind, .registration = reg, .expires = expires, .max_answers = max, .created_by = fx->an};
  struct survey s;
  assert_int_equal(survey_create(fx->db, &fx->m, &fx->an_v, &n, "anna", 1741600000, fx->today, &s),
                   SURVEY_OK);
  return s;
}

/* One response to a KORT-1 survey: the three scores and the remark, in question order. */
static enum survey_submit answer(struct fixture *fx, const struct survey *s, int browser,
                                 const char *relevant, const char *useful, const char *clear,
                                 const char *remark, int32_t today) {
  const char *v[4] = {relevant, useful, clear, remark};
  return survey_submit(fx->db, s->token, cookie(browser), v, 4, today);
}

static void test_create_defaults_and_ids(void **state) {
  struct fixture *fx = *state;
  struct survey s = make(fx, "short", "R1", NULL, 0);
  assert_string_equal(s.code, "KORT-1");
  assert_int_equal(s.kind, SURVEY_SHORT);
  /* E- and 10 characters of Crockford's base32 */
  assert_int_equal(strlen(s.ext_id), 12);
  assert_memory_equal(s.ext_id, "E-", 2);
  for (int i = 2; i < 12; i++) assert_non_null(strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", s.ext_id[i]));
  /* 32 url-safe characters */
  assert_int_equal(strlen(s.token), 32);
  for (int i = 0; i < 32; i++)
    assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", s.token[i]));
  assert_string_equal(s.created, "2025-03-10");
  assert_string_equal(s.expires, "2025-03-24"); /* 14 days */
  assert_int_equal(s.max_answers, 100);
  assert_int_equal(s.n_answers, 0);
  assert_string_equal(s.object_ext, "R1");
  /* the questions of KORT-1 in their order */
  assert_int_equal(s.nq, 4);
  assert_string_equal(s.q[0].key, "relevant");
  assert_string_equal(s.q[1].key, "useful");
  assert_string_equal(s.q[2].key, "clear");
  assert_string_equal(s.q[3].key, "remark");
  assert_int_equal(s.q[3].type, QUESTION_OPEN);
  assert_string_equal(s.q[0].low, "helemaal niet akkoord");
  /* one audit entry, without the token */
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM audit WHERE object_type = 'survey'", -1), 1);
  assert_int_equal(db_query_int(fx->db,
                                "SELECT COUNT(*) FROM audit WHERE object_type = 'survey' "
                                "AND after_json LIKE '%\"max_answers\":100%'",
                                -1),
                   1);
  char sql[200];
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM audit WHERE after_json LIKE '%%%s%%'", s.token);
  assert_int_equal(db_query_int(fx->db, sql, -1), 0);
  survey_free(&s);

  struct survey l = make(fx, "long", "R1", NULL, 0);
  assert_string_equal(l.code, "LANG-1");
  assert_string_equal(l.expires, "2025-05-09"); /* 60 days: 21 in March, 30 in April, 9 in May */
  survey_free(&l);
  struct survey e = make(fx, "short", "R1", "2025-04-01", 7);
  assert_string_equal(e.expires, "2025-04-01");
  assert_int_equal(e.max_answers, 7);
  survey_free(&e);
}

static void test_create_refusals(void **state) {
  struct fixture *fx = *state;
  struct survey_new n = {.kind = "short", .registration = "R1"};
#define REFUSE(fault)                                                                                        \
  assert_int_equal(survey_create(fx->db, &fx->m, &fx->an_v, &n, "anna", 1, fx->today, NULL), fault)
  n.kind = "medium";
  REFUSE(SURVEY_BAD_KIND);
  n.kind = NULL;
  REFUSE(SURVEY_BAD_KIND);
  n.kind = "short";
  n.registration = NULL;
  REFUSE(SURVEY_BAD_TARGET);
  n.registration = "R1";
  n.trajectory = "TR1";
  REFUSE(SURVEY_BAD_TARGET);
  n.trajectory = NULL;
  n.registration = "R2"; /* CD's: out of AN's scope, told apart from nothing */
  REFUSE(SURVEY_NOT_FOUND);
  n.registration = "R9";
  REFUSE(SURVEY_NOT_FOUND);
  n.registration = "R1";
  n.max_answers = 1001;
  REFUSE(SURVEY_BAD_MAX);
  n.max_answers = -1;
  REFUSE(SURVEY_BAD_MAX);
  n.max_answers = 1000;
  n.expires = "2025-03-09"; /* yesterday */
  REFUSE(SURVEY_BAD_EXPIRES);
  n.expires = "2025-02-30";
  REFUSE(SURVEY_BAD_EXPIRES);
  n.expires = "2026-03-12"; /* 367 days on; 2025-03-10 + 365 days is 2026-03-10 */
  REFUSE(SURVEY_BAD_EXPIRES);
  n.expires = "2026-03-11"; /* 366 days: the last day allowed, with the largest maximum */
  REFUSE(SURVEY_OK);
#undef REFUSE
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM survey", -1), 1);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM audit WHERE object_type = 'survey'", -1), 1);
}

static void test_who_sees_a_survey(void **state) {
  struct fixture *fx = *state;
  struct survey s = make(fx, "short", "R1", NULL, 0), f;
  assert_int_equal(survey_find(fx->db, &fx->m, &fx->an_v, s.ext_id, &f), 1);
  assert_string_equal(f.token, s.token);
  assert_int_equal(survey_open_allowed(fx->db, &fx->m, &fx->an_v, &f), 1);
  survey_free(&f);
  /* another team's advisor: not found, as a survey that does not exist */
  assert_int_equal(survey_find(fx->db, &fx->m, &fx->cd_v, s.ext_id, &f), 0);
  assert_int_equal(survey_find(fx->db, &fx->m, &fx->an_v, "E-0000000000", &f), 0);
  /* a director reads it, but not its open answers */
  assert_int_equal(survey_find(fx->db, &fx->m, &fx->dir_v, s.ext_id, &f), 1);
  assert_int_equal(survey_open_allowed(fx->db, &fx->m, &fx->dir_v, &f), 0);
  survey_free(&f);
  /* the lists */
  assert_int_equal(survey_list(fx->db, &fx->m, &fx->an_v, -1, NULL, NULL), 1);
  assert_int_equal(survey_list(fx->db, &fx->m, &fx->cd_v, -1, NULL, NULL), 0);
  assert_int_equal(survey_list(fx->db, &fx->m, &fx->dir_v, -1, NULL, NULL), 1);
  /* the public token finds it; an unknown one does not */
  assert_int_equal(survey_by_token(fx->db, s.token, &f), 1);
  assert_string_equal(f.ext_id, s.ext_id);
  survey_free(&f);
  assert_int_equal(survey_by_token(fx->db, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &f), 0);
  assert_int_equal(survey_by_token(fx->db, "short", &f), 0);
  const char *v[4] = {"1", "1", "1", NULL};
  assert_int_equal(survey_submit(fx->db, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", cookie(1), v, 4, fx->today),
                   SUBMIT_NOT_FOUND);
  survey_free(&s);
}

static void results_of(struct fixture *fx, const struct survey *s, int with_open,
                       struct survey_results *res) {
  struct survey f;
  assert_int_equal(survey_by_token(fx->db, s->token, &f), 1);
  assert_int_equal(survey_results(fx->db, &f, with_open, res), 0);
  survey_free(&f);
}

static void test_threshold_means_and_distribution(void **state) {
  struct fixture *fx = *state;
  struct survey s = make(fx, "short", "R1", NULL, 0);
  /*          relevant useful clear remark */
  assert_int_equal(answer(fx, &s, 1, "5", "4", "3", "Goed", fx->today), SUBMIT_OK);
  assert_int_equal(answer(fx, &s, 2, "4", "4", "2", "", fx->today), SUBMIT_OK);
  assert_int_equal(answer(fx, &s, 3, "3", "5", "2", "Meer voorbeelden", fx->today), SUBMIT_OK);
  assert_int_equal(answer(fx, &s, 4, "5", "3", "1", NULL, fx->today), SUBMIT_OK);
  struct survey_results res;
  results_of(fx, &s, 1, &res);
  /* four answers: n only */
  assert_int_equal(res.n, 4);
  assert_false(res.shown);
  for (int i = 0; i < 3; i++) {
    assert_int_equal(res.q[i].n, 4);
    assert_false(res.q[i].shown);
    assert_true(res.q[i].mean == 0.0);
    for (int k = 0; k < 5; k++) assert_int_equal(res.q[i].dist[k], 0);
  }
  assert_int_equal(res.n_open, 0);
  survey_results_free(&res);

  assert_int_equal(answer(fx, &s, 5, "2", "4", "5", "Aap", fx->today), SUBMIT_OK);
  results_of(fx, &s, 1, &res);
  assert_int_equal(res.n, 5);
  assert_true(res.shown);
  /* relevant: 5+4+3+5+2 = 19, 19/5 = 3.8; one 2, one 3, one 4, two 5 */
  assert_int_equal(res.q[0].n, 5);
  assert_true(fabs(res.q[0].mean - 3.8) < 1e-12);
  int d0[5] = {0, 1, 1, 1, 2};
  assert_memory_equal(res.q[0].dist, d0, sizeof d0);
  /* useful: 4+4+5+3+4 = 20, 4.0; one 3, three 4, one 5 */
  assert_true(fabs(res.q[1].mean - 4.0) < 1e-12);
  int d1[5] = {0, 0, 1, 3, 1};
  assert_memory_equal(res.q[1].dist, d1, sizeof d1);
  /* clear: 3+2+2+1+5 = 13, 2.6; one 1, two 2, one 3, one 5 */
  assert_true(fabs(res.q[2].mean - 2.6) < 1e-12);
  int d2[5] = {1, 2, 1, 0, 1};
  assert_memory_equal(res.q[2].dist, d2, sizeof d2);
  /* remark: three non-empty answers, listed by text, never by arrival */
  assert_int_equal(res.q[3].n, 3);
  assert_false(res.q[3].shown);
  assert_int_equal(res.n_open, 3);
  assert_string_equal(res.open[0].text, "Aap");
  assert_string_equal(res.open[1].text, "Goed");
  assert_string_equal(res.open[2].text, "Meer voorbeelden");
  assert_int_equal(res.open[0].question, 3);
  survey_results_free(&res);
  /* without the right to the open answers: none */
  results_of(fx, &s, 0, &res);
  assert_int_equal(res.n_open, 0);
  assert_null(res.open);
  survey_results_free(&res);
  /* the responses are numbered 1..5 in the survey */
  assert_int_equal(db_query_int(fx->db, "SELECT SUM(seq) FROM survey_response", -1), 15);
  assert_int_equal(db_query_int(fx->db, "SELECT MAX(seq) FROM survey_response", -1), 5);
  survey_free(&s);
}

static void test_one_answer_per_browser(void **state) {
  struct fixture *fx = *state;
  struct survey s = make(fx, "short", "R1", NULL, 0), t = make(fx, "short", "R1", NULL, 0);
  assert_int_equal(survey_answered(fx->db, &s, cookie(7)), 0);
  assert_int_equal(answer(fx, &s, 7, "4", "4", "4", "x", fx->today), SUBMIT_OK);
  assert_int_equal(survey_answered(fx->db, &s, cookie(7)), 1);
  assert_int_equal(survey_answered(fx->db, &s, cookie(8)), 0);
  /* the same browser again: refused, nothing stored */
  assert_int_equal(answer(fx, &s, 7, "1", "1", "1", "again", fx->today), SUBMIT_ALREADY);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM survey_response", -1), 1);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM survey_answer", -1), 4);
  /* the same browser may answer another survey */
  assert_int_equal(survey_answered(fx->db, &t, cookie(7)), 0);
  assert_int_equal(answer(fx, &t, 7, "2", "2", "2", NULL, fx->today), SUBMIT_OK);
  /* only keyed hashes are kept: 64 hex characters, never the cookie, and the same
     browser has a different one in each survey */
  char sql[200];
  snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM survey_response WHERE browser = '%s'", cookie(7));
  assert_int_equal(db_query_int(fx->db, sql, -1), 0);
  assert_int_equal(
      db_query_int(fx->db, "SELECT COUNT(*) FROM survey_response WHERE LENGTH(browser) = 64", -1), 2);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(DISTINCT browser) FROM survey_response", -1), 2);
  /* no cookie, or not one of ours: refused */
  const char *v[4] = {"3", "3", "3", NULL};
  assert_int_equal(survey_submit(fx->db, s.token, NULL, v, 4, fx->today), SUBMIT_INVALID);
  assert_int_equal(survey_submit(fx->db, s.token, "abc", v, 4, fx->today), SUBMIT_INVALID);
  survey_free(&s);
  survey_free(&t);
}

static void test_max_answers(void **state) {
  struct fixture *fx = *state;
  struct survey s = make(fx, "short", "R1", NULL, 2);
  assert_int_equal(answer(fx, &s, 1, "1", "2", "3", NULL, fx->today), SUBMIT_OK);
  assert_int_equal(answer(fx, &s, 2, "1", "2", "3", NULL, fx->today), SUBMIT_OK);
  assert_int_equal(answer(fx, &s, 3, "1", "2", "3", NULL, fx->today), SUBMIT_FULL);
  struct survey f;
  assert_int_equal(survey_by_token(fx->db, s.token, &f), 1);
  assert_int_equal(f.n_answers, 2);
  assert_int_equal(survey_state_of(&f, fx->today), SURVEY_FULL);
  survey_free(&f);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM survey_response", -1), 2);
  survey_free(&s);
}

static void test_expiry(void **state) {
  struct fixture *fx = *state;
  struct survey s = make(fx, "short", "R1", "2025-03-12", 0);
  int32_t last, after;
  assert_int_equal(date_parse("2025-03-12", &last), 0);
  assert_int_equal(date_parse("2025-03-13", &after), 0);
  assert_int_equal(survey_state_of(&s, last), SURVEY_OPEN);
  assert_int_equal(survey_state_of(&s, after), SURVEY_EXPIRED);
  /* the last day still takes answers, the day after does not */
  assert_int_equal(answer(fx, &s, 1, "5", "5", "5", NULL, last), SUBMIT_OK);
  assert_int_equal(answer(fx, &s, 2, "5", "5", "5", NULL, after), SUBMIT_EXPIRED);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM survey_response", -1), 1);
  survey_free(&s);
}

static void test_answer_values(void **state) {
  struct fixture *fx = *state;
  struct survey s = make(fx, "short", "R1", NULL, 0);
  int p[SURVEY_MAX_QUESTIONS];
  const char *ok[4] = {"1", "5", "3", "a\nb\r\nc é"};
  assert_int_equal(survey_check_answers(&s, ok, p), 0);
  const char *bad[4] = {"0", "6", NULL, "tab\there"};
  assert_int_equal(survey_check_answers(&s, bad, p), 4);
  assert_int_equal(p[0], ANSWER_SCORE_BAD);
  assert_int_equal(p[1], ANSWER_SCORE_BAD);
  assert_int_equal(p[2], ANSWER_SCORE_MISSING);
  assert_int_equal(p[3], ANSWER_TEXT_BAD);
  const char *odd[4] = {"x", "3.0", " 3", "\xff"};
  assert_int_equal(survey_check_answers(&s, odd, p), 4);
  assert_int_equal(p[0], ANSWER_SCORE_BAD);
  assert_int_equal(p[1], ANSWER_SCORE_BAD);
  assert_int_equal(p[2], ANSWER_SCORE_BAD);
  assert_int_equal(p[3], ANSWER_TEXT_BAD);
  const char *ctl[4] = {"2", "2", "2", "bell\x07"};
  assert_int_equal(survey_check_answers(&s, ctl, p), 1);
  assert_int_equal(p[3], ANSWER_TEXT_BAD);
  /* 2000 bytes are fine, 2001 are not */
  char text[2002];
  memset(text, 'a', 2001);
  text[2001] = 0;
  const char *longer[4] = {"2", "2", "2", text};
  assert_int_equal(survey_check_answers(&s, longer, p), 1);
  assert_int_equal(p[3], ANSWER_TEXT_LONG);
  text[2000] = 0;
  assert_int_equal(survey_check_answers(&s, longer, p), 0);
  /* all or nothing: an invalid response stores nothing */
  assert_int_equal(survey_submit(fx->db, s.token, cookie(1), bad, 4, fx->today), SUBMIT_INVALID);
  assert_int_equal(survey_submit(fx->db, s.token, cookie(1), ok, 3, fx->today), SUBMIT_INVALID);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM survey_response", -1), 0);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM survey_answer", -1), 0);
  /* the valid one is stored whole, the open answer as sent */
  assert_int_equal(survey_submit(fx->db, s.token, cookie(1), longer, 4, fx->today), SUBMIT_OK);
  assert_int_equal(db_query_int(fx->db, "SELECT COUNT(*) FROM survey_answer", -1), 4);
  assert_int_equal(db_query_int(fx->db, "SELECT LENGTH(text) FROM survey_answer WHERE text IS NOT NULL", -1),
                   2000);
  survey_free(&s);
}

static void test_trajectory_survey(void **state) {
  struct fixture *fx = *state;
  struct survey_new n = {.kind = "short", .trajectory = "TR1", .created_by = fx->an};
  struct survey s, f;
  /* CD keeps no part of TR1: as if it did not exist */
  assert_int_equal(survey_create(fx->db, &fx->m, &fx->cd_v, &n, "cato", 1, fx->today, NULL),
                   SURVEY_NOT_FOUND);
  assert_int_equal(survey_create(fx->db, &fx->m, &fx->an_v, &n, "anna", 1, fx->today, &s), SURVEY_OK);
  assert_int_equal(s.trajectory_id, fx->m.trajectories[model_trajectory(&fx->m, "TR1")].id);
  assert_int_equal(s.registration_id, 0);
  assert_string_equal(s.object_ext, "TR1");
  assert_int_equal(survey_find(fx->db, &fx->m, &fx->an_v, s.ext_id, &f), 1);
  assert_int_equal(survey_open_allowed(fx->db, &fx->m, &fx->an_v, &f), 1);
  survey_free(&f);
  assert_int_equal(survey_find(fx->db, &fx->m, &fx->cd_v, s.ext_id, &f), 0);
  /* a director sees it, not its open answers */
  assert_int_equal(survey_find(fx->db, &fx->m, &fx->dir_v, s.ext_id, &f), 1);
  assert_int_equal(survey_open_allowed(fx->db, &fx->m, &fx->dir_v, &f), 0);
  survey_free(&f);
  /* the trajectory's list has it, the other lists of AN too */
  int t = model_trajectory(&fx->m, "TR1");
  assert_int_equal(survey_list(fx->db, &fx->m, &fx->an_v, t, NULL, NULL), 1);
  assert_int_equal(survey_list(fx->db, &fx->m, &fx->cd_v, t, NULL, NULL), 0);
  survey_free(&s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_create_defaults_and_ids, setup, teardown),
      cmocka_unit_test_setup_teardown(test_create_refusals, setup, teardown),
      cmocka_unit_test_setup_teardown(test_who_sees_a_survey, setup, teardown),
      cmocka_unit_test_setup_teardown(test_threshold_means_and_distribution, setup, teardown),
      cmocka_unit_test_setup_teardown(test_one_answer_per_browser, setup, teardown),
      cmocka_unit_test_setup_teardown(test_max_answers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_expiry, setup, teardown),
      cmocka_unit_test_setup_teardown(test_answer_values, setup, teardown),
      cmocka_unit_test_setup_teardown(test_trajectory_survey, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
