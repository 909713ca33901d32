/* SPDX-License-Identifier: EUPL-1.2 */
/* Anonymous client surveys (docs/IMPACT.md, migration 007): an advisor makes a survey of
   a standardised questionnaire for a trajectory or a registration; respondents answer on
   a public page without an account and without personal data. A response keeps only a
   keyed hash of a random cookie of the browser that sent it (one answer per browser,
   and the hash differs per survey, so two surveys' responses cannot be linked). Results
   are shown only aggregated and only from SURVEY_THRESHOLD responses on; the open
   answers only to the advisors who keep the survey's object and their coordinators.

   Who sees a survey is decided here from what the adapter knows of the user (struct
   survey_viewer); a survey the user may not see is "not found", like one that does not
   exist. */
#ifndef BEREIK_SURVEY_H
#define BEREIK_SURVEY_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct model;
struct user;
struct advisor_scope;

#define SURVEY_THRESHOLD 5          /* responses before any result but n is shown */
#define SURVEY_MAX_DEFAULT 100      /* answers a survey takes unless told */
#define SURVEY_MAX_LIMIT 1000       /* the most a survey may take (the schema's CHECK) */
#define SURVEY_DAYS_SHORT 14        /* a short survey's default life, in days */
#define SURVEY_DAYS_LONG 60         /* a long survey's */
#define SURVEY_EXPIRES_MAX_DAYS 366 /* the latest expiry one may choose, from today */
#define SURVEY_TEXT_MAX 2000        /* bytes of one open answer */
#define SURVEY_MAX_QUESTIONS 40     /* questions of one questionnaire this code handles */
#define SURVEY_KEY_MAX 64           /* bytes of a question key */
#define SURVEY_TOKEN_LEN 32         /* characters of the public token */
#define SURVEY_COOKIE_LEN 64        /* hex characters of a respondent browser's cookie */

enum survey_kind { SURVEY_SHORT, SURVEY_LONG };
enum question_type { QUESTION_SCALE, QUESTION_OPEN };

struct survey_question {
  int64_t id;
  char key[SURVEY_KEY_MAX + 1];
  int type;                /* enum question_type */
  char *text, *low, *high; /* low, high: the scale's end labels, NULL when none */
};

struct survey {
  int64_t id;
  char ext_id[24];
  char token[SURVEY_TOKEN_LEN + 1];
  char code[72];           /* the questionnaire's code */
  int kind;                /* enum survey_kind */
  char *title;             /* the questionnaire's title */
  int64_t trajectory_id;   /* 0 when for a registration */
  int64_t registration_id; /* 0 when for a trajectory */
  char object_ext[72];     /* the ext id of the trajectory or registration */
  char created[11], expires[11];
  int32_t expires_day;
  int max_answers, n_answers;
  struct survey_question *q;
  int nq;
};
void survey_free(struct survey *s);

/* What the adapter knows of the user asking: the user (for the trajectory rules of
   domain/trajectory.h), the registrations it reads (user_scope ACCESS_READ) and those
   whose open answers it reads: the registration's advisors and the coordinators of
   their teams (user_scope ACCESS_WRITE: an advisor alone, a coordinator team-wide). */
struct survey_viewer {
  const struct user *user;
  const struct advisor_scope *read;
  const struct advisor_scope *open;
};

/* "short" / "long" and back (-1 when neither). */
const char *survey_kind_name(int kind);
int survey_kind_parse(const char *s);
/* The default expiry of a survey of kind made on day today. */
int32_t survey_default_expiry(int kind, int32_t today);

/* ---- making one ---- */

enum survey_fault {
  SURVEY_OK = 0,
  SURVEY_BAD_KIND,         /* kind is not short or long */
  SURVEY_BAD_TARGET,       /* neither or both of trajectory and registration */
  SURVEY_NOT_FOUND,        /* the trajectory or registration does not exist or is not the user's */
  SURVEY_BAD_EXPIRES,      /* not a date, before today or past SURVEY_EXPIRES_MAX_DAYS */
  SURVEY_BAD_MAX,          /* not 1..SURVEY_MAX_LIMIT */
  SURVEY_NO_QUESTIONNAIRE, /* no active questionnaire of the kind */
  SURVEY_FAILED,           /* the database failed */
};
struct survey_new {
  const char *kind;         /* "short" | "long" */
  const char *trajectory;   /* ext id, or NULL/"" */
  const char *registration; /* ext id, or NULL/"" */
  const char *expires;      /* YYYY-MM-DD, or NULL/"" for the kind's default */
  int max_answers;          /* 0 for SURVEY_MAX_DEFAULT */
  int64_t created_by;       /* the maker's advisor id, 0 when none */
};
/* Checks n (the user must see the trajectory or registration), then in its own write
   transaction makes the survey on the newest active questionnaire of the kind, with a
   new ext id ("E-" and 10 random characters) and token (SURVEY_TOKEN_LEN url-safe random
   characters), and one audit entry by actor. out (may be NULL) gets the survey as
   stored. */
enum survey_fault survey_create(struct db *db, const struct model *m, const struct survey_viewer *v,
                                const struct survey_new *n, const char *actor, int64_t now, int32_t today,
                                struct survey *out);

/* ---- finding one ---- */

/* The survey of a public token, with its questions and answer count. 1 found, 0 not,
   -1 on a database error. */
int survey_by_token(struct db *db, const char *token, struct survey *s);
/* The survey with ext id when the viewer may see it: 1 found, 0 not found or not
   visible (the same), -1 on a database error. */
int survey_find(struct db *db, const struct model *m, const struct survey_viewer *v, const char *ext_id,
                struct survey *s);
/* Whether the viewer may read the survey's open answers. */
int survey_open_allowed(struct db *db, const struct model *m, const struct survey_viewer *v,
                        const struct survey *s);

/* A survey as a list shows it. */
struct survey_row {
  const char *ext_id, *token, *code, *kind, *created, *expires;
  const char *trajectory, *registration; /* ext ids, NULL when not that kind of object */
  int max_answers, n_answers;
};
typedef void (*survey_row_fn)(void *ctx, const struct survey_row *row);
/* Calls fn for each survey the viewer may see, newest first; only those of trajectory
   traj (model index) when traj >= 0. Returns how many, or -1 on a database error. */
int survey_list(struct db *db, const struct model *m, const struct survey_viewer *v, int traj,
                survey_row_fn fn, void *ctx);

/* ---- answering ---- */

enum survey_state { SURVEY_OPEN, SURVEY_EXPIRED, SURVEY_FULL };
/* Open, expired (today is past its expiry day) or full (max_answers reached). */
enum survey_state survey_state_of(const struct survey *s, int32_t today);

/* What is wrong with one answer. */
enum answer_problem {
  ANSWER_OK = 0,
  ANSWER_SCORE_MISSING, /* a scale question without a score */
  ANSWER_SCORE_BAD,     /* not a whole number 1..5 */
  ANSWER_TEXT_LONG,     /* longer than SURVEY_TEXT_MAX bytes */
  ANSWER_TEXT_BAD,      /* not valid UTF-8, or a control character other than a line break */
};
/* The values of one response, question by question in the order of s->q (NULL or "" for
   none); problem gets one enum answer_problem per question. Open answers may be empty.
   Returns the number of problems. */
int survey_check_answers(const struct survey *s, const char *const *values, int *problem);

enum survey_submit {
  SUBMIT_OK = 0,
  SUBMIT_NOT_FOUND, /* no survey with that token */
  SUBMIT_EXPIRED,
  SUBMIT_FULL,
  SUBMIT_ALREADY, /* this browser answered already */
  SUBMIT_INVALID, /* a value breaks a rule (survey_check_answers) */
  SUBMIT_FAILED,  /* the database failed */
};
/* Stores one response to the survey of token from the browser with cookie (a random
   value of SURVEY_COOKIE_LEN hex characters) in one write transaction, all or nothing:
   the survey is open, the browser has not answered it (only the keyed hash of the
   cookie and the survey is kept), the values pass survey_check_answers (values as
   there, in the order of the survey's questions as survey_by_token gives them; the
   questions are read again inside the transaction), seq is the next number of the
   survey. No audit entry: the answers are anonymous. */
enum survey_submit survey_submit(struct db *db, const char *token, const char *cookie,
                                 const char *const *values, int nvalues, int32_t today);
/* Whether the browser with cookie answered survey s. 1 yes, 0 no, -1 on error. */
int survey_answered(struct db *db, const struct survey *s, const char *cookie);

/* ---- results ---- */

struct survey_question_result {
  int n;       /* responses that scored this question (scale) or wrote something (open) */
  int shown;   /* the mean and distribution are given (n of the survey >= threshold) */
  double mean; /* when shown and n > 0 */
  int dist[5]; /* count per score 1..5, when shown */
};
struct survey_open_answer {
  int question; /* index into the survey's questions */
  char *text;
};
struct survey_results {
  int n;                            /* responses */
  int shown;                        /* n >= SURVEY_THRESHOLD */
  struct survey_question_result *q; /* one per question of the survey */
  struct survey_open_answer *open;  /* when asked for and shown: every non-empty open answer, */
  int n_open;                       /* by question, then in text order (never answer order) */
};
/* The aggregate of survey s: below SURVEY_THRESHOLD responses only the counts n; from
   there per scale question the mean and the distribution, and (with_open) the open
   answers. 0 or -1. */
int survey_results(struct db *db, const struct survey *s, int with_open, struct survey_results *out);
void survey_results_free(struct survey_results *r);

#endif
