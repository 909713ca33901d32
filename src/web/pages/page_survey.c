/* SPDX-License-Identifier: EUPL-1.2 */
/* Anonymous client surveys (domain/survey.h). The public side: the questionnaire for a
   phone (/enquete?t=TOKEN), no account and no personal data, one answer per browser (a
   random cookie, kept only as a keyed hash). The advisors' side (/enquetes): their
   surveys, one survey's link, QR code and aggregated results (from SURVEY_THRESHOLD
   answers on; the open answers only for the object's advisors and their coordinator),
   making a survey, and the section of a trajectory's page. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/numbers.h"
#include "db/db.h"
#include "domain/access.h"
#include "domain/bounds.h"
#include "domain/model.h"
#include "domain/survey.h"
#include "http/auth.h"
#include "measures/cache.h"
#include "render/html.h"
#include "render/qr.h"
#include "web/pages/pages.h"

#define SURVEY_COOKIE_SECONDS (400 * 86400) /* the longest life a browser keeps a cookie */

/* ---- shared ---- */

/* Who is asking, for the domain's access rules. */
struct viewer {
  struct advisor_scope read, open;
  struct survey_viewer v;
};

static int viewer_init(const struct request *r, const struct model *m, struct viewer *w) {
  memset(w, 0, sizeof *w);
  if (user_scope(&r->user, m, ACCESS_READ, &w->read) != 0) return -1;
  if (user_scope(&r->user, m, ACCESS_WRITE, &w->open) != 0) {
    advisor_scope_free(&w->read);
    return -1;
  }
  w->v = (struct survey_viewer){.user = &r->user, .read = &w->read, .open = &w->open};
  return 0;
}

static void viewer_free(struct viewer *w) {
  advisor_scope_free(&w->read);
  advisor_scope_free(&w->open);
}

/* The reference data of this snapshot; the caller has begun a read transaction. */
static const struct model *model_of(struct request *r, struct cache_ref **ref) {
  char err[256];
  int64_t ref_token;
  *ref = NULL;
  if (db_revision(r->db, NULL, &ref_token) != 0) return NULL;
  return cached_model(r->db, ref_token, ref, err, sizeof err);
}

/* A Host header that can stand in a URL: letters, digits, '.', '-', ':', '[' and ']'. */
static int host_ok(const char *h) {
  if (!h || !*h || strlen(h) > 255) return 0;
  for (const char *p = h; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
          *p == '-' || *p == ':' || *p == '[' || *p == ']'))
      return 0;
  return 1;
}

/* The public link of a survey: absolute when the request's Host is usable (a QR code
   needs the whole address), else the path. */
static void public_url(const struct request *r, const char *token, char *out, size_t n) {
  if (host_ok(r->host))
    snprintf(out, n, "%s://%s/enquete?t=%s", r->https ? "https" : "http", r->host, token);
  else
    snprintf(out, n, "/enquete?t=%s", token);
}

static void para(struct buf *b, const char *text, const char *cls) {
  if (cls && !strcmp(cls, "error"))
    html_raw(b, "<p class=\"error\" role=\"alert\">");
  else if (cls && !strcmp(cls, "saved"))
    html_raw(b, "<p class=\"saved\" role=\"status\">");
  else if (cls && !strcmp(cls, "muted"))
    html_raw(b, "<p class=\"muted\">");
  else if (cls && !strcmp(cls, "note"))
    html_raw(b, "<p class=\"note\">");
  else
    html_raw(b, "<p>");
  html_text(b, text);
  html_raw(b, "</p>");
}

static enum word kind_word(int kind) { return kind == SURVEY_LONG ? W_sv_kind_long : W_sv_kind_short; }

static void date_text(const struct request *r, const char *iso, char *out, size_t n) {
  int32_t day;
  if (iso && date_parse(iso, &day) == 0)
    fmt_date_text(r, day, out, n);
  else
    snprintf(out, n, "%s", iso ? iso : "");
}

static enum word state_word(enum survey_state s) {
  return s == SURVEY_EXPIRED ? W_sv_state_expired : s == SURVEY_FULL ? W_sv_state_full : W_sv_state_open;
}

/* ---- the public questionnaire ---- */

/* A page with a title and one sentence (unknown, ended, full, already answered). */
static void message_page(struct request *r, struct response *resp, int status, enum word title,
                         enum word text) {
  resp->status = status;
  buf_reset(&resp->body);
  page_begin(r, resp, T(r, title));
  para(&resp->body, T(r, text), status >= 400 ? "note" : NULL);
  page_end(r, resp);
}

static int cookie_ok(const char *c) {
  if (!c || strlen(c) != SURVEY_COOKIE_LEN) return 0;
  for (const char *p = c; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
  return 1;
}

static const enum word problem_words[] = {
    [ANSWER_OK] = W_sv_fix,
    [ANSWER_SCORE_MISSING] = W_sv_score_missing,
    [ANSWER_SCORE_BAD] = W_sv_score_bad,
    [ANSWER_TEXT_LONG] = W_sv_text_long,
    [ANSWER_TEXT_BAD] = W_sv_text_bad,
};

/* The form; values and problem (one per question) may be NULL. */
static void render_form(struct request *r, struct response *resp, const struct survey *s,
                        const char *const *values, const int *problem) {
  struct buf *b = &resp->body;
  page_begin(r, resp, s->title);
  para(b, T(r, W_sv_anonymous), "muted");
  int bad = 0;
  for (int i = 0; problem && i < s->nq; i++) bad += problem[i] != ANSWER_OK;
  if (bad) para(b, T(r, W_sv_fix), "error");
  html_raw(b, "<form method=\"post\" action=\"/enquete\" class=\"record survey\">");
  csrf_field(r, resp);
  html_raw(b, "<input type=\"hidden\" name=\"t\" value=\"");
  html_attr(b, s->token);
  html_raw(b, "\">");
  for (int i = 0; i < s->nq; i++) {
    const struct survey_question *q = &s->q[i];
    const char *v = values ? values[i] : NULL;
    int p = problem ? problem[i] : ANSWER_OK;
    char num[16];
    snprintf(num, sizeof num, "%d. ", i + 1);
    if (q->type == QUESTION_SCALE) {
      html_raw(b, "<fieldset class=\"scale\" id=\"v-");
      html_attr(b, q->key);
      html_raw(b, "\"");
      if (p) {
        html_raw(b, " aria-describedby=\"e-");
        html_attr(b, q->key);
        html_raw(b, "\"");
      }
      html_raw(b, "><legend>");
      html_text(b, num);
      html_text(b, q->text);
      html_raw(b, "</legend>");
      if (q->low || q->high) {
        html_raw(b, "<p class=\"hint\">1 = ");
        html_text(b, q->low ? q->low : "");
        html_raw(b, " · 5 = ");
        html_text(b, q->high ? q->high : "");
        html_raw(b, "</p>");
      }
      for (int k = 1; k <= 5; k++) {
        char val[2] = {(char)('0' + k), 0};
        html_raw(b, "<label><input type=\"radio\" name=\"q-");
        html_attr(b, q->key);
        html_raw(b, "\" value=\"");
        html_attr(b, val);
        html_raw(b, "\" required");
        if (v && !strcmp(v, val)) html_raw(b, " checked");
        if (p) html_raw(b, " aria-invalid=\"true\"");
        html_raw(b, "> ");
        html_text(b, val);
        html_raw(b, "</label>");
      }
    } else {
      html_raw(b, "<label for=\"q-");
      html_attr(b, q->key);
      html_raw(b, "\">");
      html_text(b, num);
      html_text(b, q->text);
      html_raw(b, " <span class=\"muted\">");
      html_text(b, T(r, W_sv_optional));
      html_raw(b, "</span></label><textarea id=\"q-");
      html_attr(b, q->key);
      html_raw(b, "\" name=\"q-");
      html_attr(b, q->key);
      html_raw(b, "\" rows=\"5\" maxlength=\"2000\"");
      if (p) {
        html_raw(b, " aria-invalid=\"true\" aria-describedby=\"e-");
        html_attr(b, q->key);
        html_raw(b, "\"");
      }
      html_raw(b, ">");
      html_text(b, v ? v : "");
      html_raw(b, "</textarea>");
    }
    if (p) {
      html_raw(b, "<p class=\"error\" id=\"e-");
      html_attr(b, q->key);
      html_raw(b, "\">");
      html_text(b, T(r, problem_words[p]));
      html_raw(b, "</p>");
    }
    if (q->type == QUESTION_SCALE) html_raw(b, "</fieldset>");
  }
  html_raw(b, "<button type=\"submit\">");
  html_text(b, T(r, W_sv_send));
  html_raw(b, "</button></form>");
  page_end(r, resp);
}

/* The survey of the token and this browser's standing: 1 with s loaded, 0 after
   answering a page. */
static int public_survey(struct request *r, struct response *resp, const char *token, struct survey *s,
                         int *answered) {
  db_begin_read(r->db);
  int found = survey_by_token(r->db, token, s);
  *answered = found == 1 ? survey_answered(r->db, s, r->survey_cookie) : 0;
  db_commit(r->db);
  if (found < 0 || *answered < 0) {
    if (found == 1) survey_free(s);
    page_error(r, resp, 500);
    return 0;
  }
  if (found == 0) {
    message_page(r, resp, 404, W_sv_unknown_title, W_sv_unknown);
    return 0;
  }
  return 1;
}

void page_survey_form(struct request *r, struct response *resp) {
  struct survey s;
  int answered;
  if (!public_survey(r, resp, req_query(r, "t"), &s, &answered)) return;
  enum survey_state state = survey_state_of(&s, bounds_today());
  if (answered)
    message_page(r, resp, 200, W_sv_already_title, W_sv_already);
  else if (state != SURVEY_OPEN)
    message_page(r, resp, 410, W_sv_expired_title, state == SURVEY_EXPIRED ? W_sv_expired : W_sv_full);
  else {
    if (!cookie_ok(r->survey_cookie)) { /* this browser's random id, for one answer per browser */
      unsigned char raw[SURVEY_COOKIE_LEN / 2];
      char hex[SURVEY_COOKIE_LEN + 1];
      randombytes_buf(raw, sizeof raw);
      sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
      resp_cookie(resp, r, COOKIE_NAME(r->https, COOKIE_SURVEY), hex, SURVEY_COOKIE_SECONDS);
    }
    render_form(r, resp, &s, NULL, NULL);
  }
  survey_free(&s);
}

void page_survey_answer(struct request *r, struct response *resp) {
  struct survey s;
  int answered;
  const char *token = req_form(r, "t");
  if (!public_survey(r, resp, token, &s, &answered)) return;
  const char *values[SURVEY_MAX_QUESTIONS] = {0};
  int problem[SURVEY_MAX_QUESTIONS] = {0};
  for (int i = 0; i < s.nq; i++) {
    char name[SURVEY_KEY_MAX + 8];
    snprintf(name, sizeof name, "q-%s", s.q[i].key);
    values[i] = req_form(r, name); /* undeclared fields never got here (the route keeps q-*) */
  }
  enum survey_state state = survey_state_of(&s, bounds_today());
  if (answered) {
    message_page(r, resp, 409, W_sv_already_title, W_sv_already);
  } else if (state != SURVEY_OPEN) {
    message_page(r, resp, 410, W_sv_expired_title, state == SURVEY_EXPIRED ? W_sv_expired : W_sv_full);
  } else if (!cookie_ok(r->survey_cookie)) {
    message_page(r, resp, 400, W_sv_form_title, W_sv_no_cookie);
  } else if (survey_check_answers(&s, values, problem) != 0) {
    resp->status = 422;
    render_form(r, resp, &s, values, problem);
  } else {
    switch (survey_submit(r->db, token, r->survey_cookie, values, s.nq, bounds_today())) {
    case SUBMIT_OK:
      message_page(r, resp, 200, W_sv_thanks_title, W_sv_thanks);
      break;
    case SUBMIT_ALREADY:
      message_page(r, resp, 409, W_sv_already_title, W_sv_already);
      break;
    case SUBMIT_EXPIRED:
      message_page(r, resp, 410, W_sv_expired_title, W_sv_expired);
      break;
    case SUBMIT_FULL:
      message_page(r, resp, 410, W_sv_expired_title, W_sv_full);
      break;
    case SUBMIT_NOT_FOUND:
      message_page(r, resp, 404, W_sv_unknown_title, W_sv_unknown);
      break;
    case SUBMIT_INVALID: /* the questionnaire changed in between */
      survey_check_answers(&s, values, problem);
      resp->status = 422;
      render_form(r, resp, &s, values, problem);
      break;
    default:
      page_error(r, resp, 500);
    }
  }
  survey_free(&s);
}

/* ---- the advisors' side ---- */

struct list_ctx {
  const struct request *r;
  struct buf *b;
  int n;
  int with_object;
};

static void list_head(const struct request *r, struct buf *b, int with_object) {
  html_table_open(b, T(r, W_sv_surveys), NULL, NULL);
  html_text(b, T(r, W_sv_surveys));
  html_raw(b, "</caption><thead><tr><th scope=\"col\">");
  html_text(b, T(r, W_sv_survey));
  html_raw(b, "</th><th scope=\"col\">");
  html_text(b, T(r, W_sv_kind));
  html_raw(b, "</th><th scope=\"col\">");
  html_text(b, T(r, W_sv_questionnaire));
  if (with_object) {
    html_raw(b, "</th><th scope=\"col\">");
    html_text(b, T(r, W_sv_for));
  }
  html_raw(b, "</th><th scope=\"col\">");
  html_text(b, T(r, W_sv_created));
  html_raw(b, "</th><th scope=\"col\">");
  html_text(b, T(r, W_sv_expires));
  html_raw(b, "</th><th scope=\"col\" class=\"n\">");
  html_text(b, T(r, W_sv_answers));
  html_raw(b, "</th></tr></thead><tbody>");
}

static void list_row(void *ctx, const struct survey_row *row) {
  struct list_ctx *c = ctx;
  const struct request *r = c->r;
  struct buf *b = c->b;
  if (!c->n++) list_head(r, b, c->with_object);
  char d[40];
  html_raw(b, "<tr><td><a href=\"/enquetes?id=");
  html_url(b, row->ext_id);
  html_raw(b, "\">");
  html_text(b, row->ext_id);
  html_raw(b, "</a></td><td>");
  html_text(b, T(r, kind_word(survey_kind_parse(row->kind))));
  html_raw(b, "</td><td>");
  html_text(b, row->code);
  if (c->with_object) {
    html_raw(b, "</td><td>");
    html_text(b, T(r, row->trajectory ? W_sv_trajectory : W_sv_registration));
    html_raw(b, " ");
    html_text(b, row->trajectory ? row->trajectory : row->registration ? row->registration : "");
  }
  html_raw(b, "</td><td>");
  date_text(r, row->created, d, sizeof d);
  html_text(b, d);
  html_raw(b, "</td><td>");
  date_text(r, row->expires, d, sizeof d);
  html_text(b, d);
  html_raw(b, "</td><td class=\"n\">");
  html_textf(b, "%d / %d", row->n_answers, row->max_answers);
  html_raw(b, "</td></tr>");
}

static void list_end(struct list_ctx *c) {
  if (c->n)
    html_raw(c->b, "</tbody></table></div>");
  else
    para(c->b, T(c->r, W_sv_none), "muted");
}

/* The form that makes a survey; error (may be NULL) with the values sent. */
static void create_form(struct request *r, struct response *resp, const char *error) {
  struct buf *b = &resp->body;
  const char *kind = req_form(r, "kind"), *traj = req_form(r, "trajectory"),
             *reg = req_form(r, "registration"), *exp = req_form(r, "expires"), *max = req_form(r, "max");
  html_raw(b, "<h2 id=\"nieuw\">");
  html_text(b, T(r, W_sv_new));
  html_raw(b, "</h2>");
  if (error) para(b, error, "error");
  para(b, T(r, W_sv_create_help), "muted");
  html_raw(b, "<form method=\"post\" action=\"/enquetes\" class=\"record\">");
  csrf_field(r, resp);
  html_raw(b, "<fieldset><legend>");
  html_text(b, T(r, W_sv_kind));
  html_raw(b, "</legend><label><input type=\"radio\" name=\"kind\" value=\"short\"");
  if (!kind || strcmp(kind, "long")) html_raw(b, " checked");
  html_raw(b, "> ");
  html_text(b, T(r, W_sv_kind_short));
  html_raw(b, "</label><label><input type=\"radio\" name=\"kind\" value=\"long\"");
  if (kind && !strcmp(kind, "long")) html_raw(b, " checked");
  html_raw(b, "> ");
  html_text(b, T(r, W_sv_kind_long));
  html_raw(b, "</label></fieldset><label for=\"sv-trajectory\">");
  html_text(b, T(r, W_sv_trajectory));
  html_raw(b, " (id)</label><input id=\"sv-trajectory\" name=\"trajectory\" maxlength=\"64\" value=\"");
  html_attr(b, traj ? traj : "");
  html_raw(b, "\"><label for=\"sv-registration\">");
  html_text(b, T(r, W_sv_registration));
  html_raw(b, " (id)</label><input id=\"sv-registration\" name=\"registration\" maxlength=\"64\" value=\"");
  html_attr(b, reg ? reg : "");
  html_raw(b, "\"><label for=\"sv-expires\">");
  html_text(b, T(r, W_sv_expires_optional));
  html_raw(b, "</label><input id=\"sv-expires\" name=\"expires\" type=\"date\" value=\"");
  html_attr(b, exp ? exp : "");
  html_raw(b, "\"><label for=\"sv-max\">");
  html_text(b, T(r, W_sv_max));
  html_raw(b, " (");
  html_text(b, T(r, W_sv_max_help));
  html_raw(b, ")</label><input id=\"sv-max\" name=\"max\" type=\"number\" min=\"1\" max=\"1000\" value=\"");
  html_attr(b, max && *max ? max : "100");
  html_raw(b, "\"><button type=\"submit\">");
  html_text(b, T(r, W_sv_create));
  html_raw(b, "</button></form>");
}

/* The list of the user's surveys, and the form (status and error after a refused form). */
static void list_page(struct request *r, struct response *resp, const struct model *m, struct viewer *w,
                      int status, const char *error) {
  struct buf *b = &resp->body;
  resp->status = status;
  page_begin(r, resp, T(r, W_sv_surveys));
  struct list_ctx c = {.r = r, .b = b, .with_object = 1};
  if (survey_list(r->db, m, &w->v, -1, list_row, &c) < 0) {
    page_error(r, resp, 500);
    return;
  }
  list_end(&c);
  create_form(r, resp, error);
  page_end(r, resp);
}

static void results_section(struct request *r, struct buf *b, const struct survey *s,
                            const struct survey_results *res, int open_allowed) {
  html_raw(b, "<h2>");
  html_text(b, T(r, W_sv_results));
  html_raw(b, "</h2><p><strong>");
  html_text(b, T(r, W_sv_n));
  html_raw(b, ":</strong> <span id=\"survey-n\">");
  html_textf(b, "%d", res->n);
  html_raw(b, "</span></p>");
  if (!res->shown) {
    para(b, T(r, W_sv_threshold), "note");
    return;
  }
  html_table_open(b, T(r, W_sv_results), "survey-results", NULL);
  html_text(b, T(r, W_sv_results));
  html_raw(b, "</caption><thead><tr><th scope=\"col\">");
  html_text(b, T(r, W_sv_question));
  html_raw(b, "</th><th scope=\"col\" class=\"n\">n</th><th scope=\"col\" class=\"n\">");
  html_text(b, T(r, W_sv_mean));
  html_raw(b, "</th><th scope=\"col\">");
  html_text(b, T(r, W_sv_distribution));
  html_raw(b, "</th></tr></thead><tbody>");
  for (int i = 0; i < s->nq; i++) {
    const struct survey_question_result *q = &res->q[i];
    html_raw(b, "<tr data-key=\"");
    html_attr(b, s->q[i].key);
    html_raw(b, "\"><th scope=\"row\">");
    html_text(b, s->q[i].text);
    html_raw(b, "</th><td class=\"n\">");
    html_textf(b, "%d", q->n);
    html_raw(b, "</td><td class=\"n mean\">");
    if (q->shown && q->n > 0) {
      char mean[32];
      fmt_be(q->mean, 2, mean, sizeof mean);
      html_text(b, mean);
    } else {
      html_raw(b, "–");
    }
    html_raw(b, "</td><td class=\"dist\">");
    if (q->shown)
      html_textf(b, "%d / %d / %d / %d / %d", q->dist[0], q->dist[1], q->dist[2], q->dist[3], q->dist[4]);
    else {
      html_textf(b, "%d ", q->n);
      html_text(b, T(r, W_sv_open_n));
    }
    html_raw(b, "</td></tr>");
  }
  html_raw(b, "</tbody></table></div>");
  int has_open = 0;
  for (int i = 0; i < s->nq; i++) has_open |= s->q[i].type == QUESTION_OPEN;
  if (!has_open) return;
  html_raw(b, "<h2>");
  html_text(b, T(r, W_sv_open_answers));
  html_raw(b, "</h2>");
  if (!open_allowed) {
    para(b, T(r, W_sv_open_hidden), "muted");
    return;
  }
  if (!res->n_open) para(b, T(r, W_sv_open_none), "muted");
  int cur = -1;
  for (int k = 0; k < res->n_open; k++) {
    if (res->open[k].question != cur) {
      if (cur >= 0) html_raw(b, "</ul>");
      cur = res->open[k].question;
      html_raw(b, "<h3>");
      html_text(b, s->q[cur].text);
      html_raw(b, "</h3><ul class=\"open-answers\">");
    }
    html_raw(b, "<li>");
    html_text(b, res->open[k].text);
    html_raw(b, "</li>");
  }
  if (cur >= 0) html_raw(b, "</ul>");
}

static void detail_page(struct request *r, struct response *resp, const struct model *m, struct viewer *w,
                        const char *id) {
  struct buf *b = &resp->body;
  struct survey s;
  int found = survey_find(r->db, m, &w->v, id, &s);
  if (found <= 0) {
    page_error(r, resp, found < 0 ? 500 : 404);
    return;
  }
  struct survey_results res;
  int open_allowed = survey_open_allowed(r->db, m, &w->v, &s);
  if (survey_results(r->db, &s, open_allowed, &res) != 0) {
    survey_free(&s);
    page_error(r, resp, 500);
    return;
  }
  char title[96], url[400], d[40];
  snprintf(title, sizeof title, "%s %s", T(r, W_sv_survey), s.ext_id);
  page_begin(r, resp, title);
  html_raw(b, "<dl class=\"traj\"><dt>");
  html_text(b, T(r, W_sv_questionnaire));
  html_raw(b, "</dt><dd>");
  html_text(b, s.code);
  html_raw(b, " · ");
  html_text(b, s.title);
  html_raw(b, "</dd><dt>");
  html_text(b, T(r, W_sv_kind));
  html_raw(b, "</dt><dd>");
  html_text(b, T(r, kind_word(s.kind)));
  html_raw(b, "</dd><dt>");
  html_text(b, T(r, W_sv_for));
  html_raw(b, "</dt><dd>");
  html_text(b, T(r, s.trajectory_id ? W_sv_trajectory : W_sv_registration));
  html_raw(b, " <a href=\"");
  html_raw_if(b, s.trajectory_id, "/traject?id=", "/registratie?id=");
  html_url(b, s.object_ext);
  html_raw(b, "\">");
  html_text(b, s.object_ext);
  html_raw(b, "</a></dd><dt>");
  html_text(b, T(r, W_sv_created));
  html_raw(b, "</dt><dd>");
  date_text(r, s.created, d, sizeof d);
  html_text(b, d);
  html_raw(b, "</dd><dt>");
  html_text(b, T(r, W_sv_expires));
  html_raw(b, "</dt><dd>");
  date_text(r, s.expires, d, sizeof d);
  html_text(b, d);
  html_raw(b, "</dd><dt>");
  html_text(b, T(r, W_sv_state));
  html_raw(b, "</dt><dd>");
  html_text(b, T(r, state_word(survey_state_of(&s, bounds_today()))));
  html_raw(b, "</dd><dt>");
  html_text(b, T(r, W_sv_answers));
  html_raw(b, "</dt><dd>");
  html_textf(b, "%d / %d", s.n_answers, s.max_answers);
  html_raw(b, "</dd></dl>");

  public_url(r, s.token, url, sizeof url);
  html_raw(b, "<section class=\"survey-link\"><h2>");
  html_text(b, T(r, W_sv_link));
  html_raw(b, "</h2><p><a id=\"survey-url\" href=\"");
  html_attr(b, url);
  html_raw(b, "\">");
  html_text(b, url);
  html_raw(b, "</a></p>");
  qr_svg(b, url, T(r, W_sv_qr_label), 280);
  para(b, T(r, W_sv_print_help), "muted");
  html_raw(b, "<p><a href=\"/enquetes/qr.svg?id=");
  html_url(b, s.ext_id);
  html_raw(b, "\" download>");
  html_text(b, T(r, W_sv_qr_download));
  html_raw(b, "</a></p></section>");
  results_section(r, b, &s, &res, open_allowed);
  page_end(r, resp);
  survey_results_free(&res);
  survey_free(&s);
}

void page_surveys(struct request *r, struct response *resp) {
  db_begin_read(r->db);
  struct cache_ref *ref;
  const struct model *m = model_of(r, &ref);
  struct viewer w;
  if (!m || viewer_init(r, m, &w) != 0) {
    db_rollback(r->db);
    cache_release(ref);
    page_error(r, resp, 500);
    return;
  }
  const char *id = req_query(r, "id");
  if (id && *id)
    detail_page(r, resp, m, &w, id);
  else
    list_page(r, resp, m, &w, 200, NULL);
  db_commit(r->db);
  viewer_free(&w);
  cache_release(ref);
}

static const enum word fault_words[] = {
    [SURVEY_OK] = W_sv_created_ok,
    [SURVEY_BAD_KIND] = W_sv_bad_kind,
    [SURVEY_BAD_TARGET] = W_sv_bad_target,
    [SURVEY_NOT_FOUND] = W_sv_not_found_target,
    [SURVEY_BAD_EXPIRES] = W_sv_bad_expires,
    [SURVEY_BAD_MAX] = W_sv_bad_max,
    [SURVEY_NO_QUESTIONNAIRE] = W_sv_no_questionnaire,
    [SURVEY_FAILED] = W_err500,
};

void page_survey_create(struct request *r, struct response *resp) {
  db_begin_read(r->db);
  struct cache_ref *ref;
  const struct model *m = model_of(r, &ref);
  db_commit(r->db);
  struct viewer w;
  if (!m || viewer_init(r, m, &w) != 0) {
    cache_release(ref);
    page_error(r, resp, 500);
    return;
  }
  const char *max = req_form(r, "max");
  int64_t maxv = 0;
  if (max && *max && (parse_int64(max, &maxv) != 0 || maxv < 1 || maxv > SURVEY_MAX_LIMIT)) maxv = -1;
  struct survey_new n = {.kind = req_form(r, "kind"),
                         .trajectory = req_form(r, "trajectory"),
                         .registration = req_form(r, "registration"),
                         .expires = req_form(r, "expires"),
                         .max_answers = (int)maxv,
                         .created_by = r->user.advisor_id};
  struct survey s;
  enum survey_fault f = survey_create(r->db, m, &w.v, &n, r->user.login, r->now, bounds_today(), &s);
  if (f == SURVEY_OK) {
    char loc[64];
    snprintf(loc, sizeof loc, "/enquetes?id=%s", s.ext_id);
    survey_free(&s);
    resp_redirect(resp, loc);
  } else if (f == SURVEY_FAILED) {
    page_error(r, resp, 500);
  } else {
    db_begin_read(r->db);
    list_page(r, resp, m, &w, 422, T(r, fault_words[f]));
    db_commit(r->db);
  }
  viewer_free(&w);
  cache_release(ref);
}

void page_survey_qr(struct request *r, struct response *resp) {
  db_begin_read(r->db);
  struct cache_ref *ref;
  const struct model *m = model_of(r, &ref);
  struct viewer w;
  if (!m || viewer_init(r, m, &w) != 0) {
    db_rollback(r->db);
    cache_release(ref);
    page_error(r, resp, 500);
    return;
  }
  struct survey s;
  int found = survey_find(r->db, m, &w.v, req_query(r, "id"), &s);
  db_commit(r->db);
  if (found <= 0) {
    page_error(r, resp, found < 0 ? 500 : 404);
  } else {
    char url[400];
    public_url(r, s.token, url, sizeof url);
    resp->content_type = "image/svg+xml";
    if (qr_svg(&resp->body, url, T(r, W_sv_qr_label), 280) != 0) page_error(r, resp, 500);
    survey_free(&s);
  }
  viewer_free(&w);
  cache_release(ref);
}

void surveys_section(struct request *r, struct response *resp, const struct model *m, int traj) {
  struct buf *b = &resp->body;
  if (traj < 0 || (size_t)traj >= m->n_trajectories) return;
  struct viewer w;
  if (viewer_init(r, m, &w) != 0) return;
  html_raw(b, "<section class=\"surveys\"><h2>");
  html_text(b, T(r, W_sv_surveys));
  html_raw(b, "</h2>");
  struct list_ctx c = {.r = r, .b = b, .with_object = 0};
  if (survey_list(r->db, m, &w.v, traj, list_row, &c) >= 0) list_end(&c);
  html_raw(b, "<form method=\"post\" action=\"/enquetes\" class=\"filters\">");
  csrf_field(r, resp);
  html_raw(b, "<input type=\"hidden\" name=\"trajectory\" value=\"");
  html_attr(b, m->trajectories[traj].ext_id);
  html_raw(b, "\"><label for=\"sv-kind\">");
  html_text(b, T(r, W_sv_new));
  html_raw(b, "</label><select id=\"sv-kind\" name=\"kind\"><option value=\"short\">");
  html_text(b, T(r, W_sv_kind_short));
  html_raw(b, "</option><option value=\"long\">");
  html_text(b, T(r, W_sv_kind_long));
  html_raw(b, "</option></select><button type=\"submit\">");
  html_text(b, T(r, W_sv_create));
  html_raw(b, "</button></form></section>");
  viewer_free(&w);
}
