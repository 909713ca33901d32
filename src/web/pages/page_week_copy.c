/* SPDX-License-Identifier: EUPL-1.2 */
/* POST /week/kopieer: copies the user's registrations of one day (bereik=dag) or one
   week (bereik=week) to another day or week (naar: a day of that week), every field
   kept but the date. Each copy goes the way of every registration
   (domain/registration.h): canonical form, every rule, the locked school years, the
   daily bound inside the write transaction, the write, the author, one audit entry per
   copy. All or nothing: one refused copy and nothing is written; the message lists what
   was created, or each refused registration with its reasons. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/access.h"
#include "domain/audit.h"
#include "domain/model.h"
#include "domain/registration.h"
#include "domain/write_rate.h"
#include "render/html.h"
#include "web/pages/page_week.h"
#include "web/pages/pages.h"

/* One copy: the source, its values with the new id and date, its check. */
struct copy_item {
  char src_ext[64], src_date[11];
  char **v;
  struct reg_check c;
  int64_t id;
};

struct copy_result {
  enum word head; /* W_copy_done, W_copy_refused, ... */
  int ok;
  const struct model *m;
  struct copy_item *items;
  size_t n;
};

static void problem_list(const struct request *r, struct buf *b, const struct reg_problems *ps) {
  html_raw(b, "<ul>");
  for (int k = 0; k < ps->n; k++) {
    char msg[512];
    reg_problem_text(&ps->p[k], r->lang, msg, sizeof msg);
    html_raw(b, "<li>");
    html_text(b, msg);
    html_raw(b, "</li>");
  }
  html_raw(b, "</ul>");
}

/* "07/10/2024 1u30 Pijler naam (INST)": what a copy is, in the message */
static void item_text(const struct request *r, struct buf *b, const struct model *m, char *const *v) {
  int32_t day;
  char be[11] = "", dur[32] = "";
  if (date_parse(v[R_DATE], &day) == 0) week_date_be(day, be);
  int64_t min = strtoll(v[R_MINUTES] ? v[R_MINUTES] : "0", NULL, 10);
  week_duration(min, dur, sizeof dur);
  int l = model_line(m, v[R_LINE] ? v[R_LINE] : "");
  html_text(b, be);
  html_raw(b, " · ");
  html_text(b, dur);
  html_raw(b, " · ");
  html_text(b, T(r, v[R_KIND] && !strcmp(v[R_KIND], "internal") ? W_internal : W_client));
  html_raw(b, " · ");
  html_text(b, l >= 0 ? m->lines[l].name : v[R_LINE] ? v[R_LINE] : "");
  if (v[R_DESCRIPTION] && *v[R_DESCRIPTION]) {
    html_raw(b, " · ");
    html_text(b, v[R_DESCRIPTION]);
  }
}

static void copy_message(void *ctx, const struct request *r, struct buf *b) {
  const struct copy_result *res = ctx;
  html_raw_if(b, res->ok, "<div class=\"saved copy-result\" role=\"status\"><p>",
              "<div class=\"error copy-result\" role=\"alert\" tabindex=\"-1\" id=\"copy-result\"><p>");
  html_text(b, T(r, res->head));
  html_raw(b, "</p>");
  if (res->n && (res->ok || res->head == W_copy_refused)) {
    html_raw(b, "<ul class=\"copied\">");
    for (size_t i = 0; i < res->n; i++) {
      const struct copy_item *it = &res->items[i];
      if (!res->ok && it->c.problems.n == 0) continue;
      html_raw(b, "<li>");
      item_text(r, b, res->m, it->v);
      if (res->ok) {
        html_raw(b, " <a href=\"/registratie?id=");
        html_url(b, it->v[R_ID]);
        html_raw(b, "\">");
        html_text(b, T(r, W_edit));
        html_raw(b, "</a>");
      } else {
        problem_list(r, b, &it->c.problems);
      }
      html_raw(b, "</li>");
    }
    html_raw(b, "</ul>");
  }
  html_raw(b, "</div>");
}

static void add_problem(struct reg_check *c, int col, int code, const char *arg) {
  if (c->problems.n == REG_MAX_PROBLEMS) return;
  struct reg_problem *p = &c->problems.p[c->problems.n++];
  memset(p, 0, sizeof *p);
  p->col = col;
  p->code = code;
  snprintf(p->arg[0], sizeof p->arg[0], "%s", arg ? arg : "");
}

static void put(char **v, int col, const char *s) {
  free(v[col]);
  v[col] = xstrdup(s ? s : "");
}

/* Writes every item in one transaction: the daily bound of each (counting the copies
   written before it), the write, the author, the audit entry. Returns 0 when all were
   written and committed, 1 when one was refused (its problems in its check), -1 on a
   database error; nothing stays written unless 0. */
static int write_all(struct request *r, const struct model *m, struct copy_item *items, size_t n, int me) {
  if (db_begin_write_registrations(r->db) != DB_OK) return -1;
  struct reg_statements s;
  int rc = -1, refused = 0, prepared = 0;
  int64_t retry = 0;
  int limited = write_rate_hit(r->db, "session", r->session_cookie, r->now, &retry);
  if (limited < 0) goto out;
  if (limited) {
    char t[24];
    snprintf(t, sizeof t, "%lld", (long long)retry);
    add_problem(&items[0].c, R_ID, RP_RATE_LIMITED, t);
    rc = 1;
    goto out;
  }
  if (reg_statements_prepare(r->db, &s) != 0) goto out;
  prepared = 1;
  for (size_t i = 0; i < n; i++) {
    struct copy_item *it = &items[i];
    if (registration_check_day(r->db, m, it->v, &it->c, 0) != 0) goto out;
    if (it->c.problems.n) {
      refused = 1;
      continue;
    }
    if (refused) continue; /* the rest is checked, not written */
    it->id = registration_next_id(r->db);
    struct reg_write *w = reg_write_new(m, it->v, &it->c, it->id, 0);
    const char *msg = reg_write_exec(&s, w);
    reg_write_free(w);
    if (msg || registration_set_author(r->db, it->id, m->advisors[me].id) != 0) goto out;
    struct buf j = {0}, detail = {0};
    registration_audit_json(m, it->v, &j);
    buf_printf(&detail, "copy of %s", it->src_ext);
    int arc = audit_write(r->db, r->now, r->user.login, "create", "registration", it->v[R_ID], NULL,
                          buf_str(&j), buf_str(&detail));
    buf_free(&j);
    buf_free(&detail);
    if (arc != 0) goto out;
  }
  rc = refused ? 1 : 0;
out:
  if (prepared) reg_statements_finalize(&s);
  if (rc == 0 && db_commit(r->db) == DB_OK) return 0;
  db_rollback(r->db);
  return rc == 1 ? 1 : -1;
}

void page_week_copy(struct request *r, struct response *resp) {
  struct model m;
  char err[256];
  if (model_load(r->db, &m, err, sizeof err) != 0) {
    page_error(r, resp, 500);
    return;
  }
  int me = week_my_advisor(r, &m);
  if (me < 0) {
    model_free(&m);
    page_error(r, resp, 403);
    return;
  }
  const char *scope = req_form(r, "bereik");
  int week = scope && !strcmp(scope, "week");
  int32_t from, to;
  struct copy_result res = {.head = W_copy_bad_date, .m = &m};
  int32_t shown = 0;
  if (!scope || (!week && strcmp(scope, "dag")) || week_parse_date(req_form(r, "van"), &from) != 0) {
    model_free(&m);
    page_error(r, resp, 400);
    return;
  }
  shown = from;
  if (week) from = week_monday(from);
  struct reg_briefs list = {0};
  int ncols = N_REG_BASE + (int)m.n_target_groups;
  if (week_parse_date(req_form(r, "naar"), &to) != 0) {
    res.head = W_copy_bad_date;
  } else if ((week ? week_monday(to) : to) == from) {
    res.head = W_copy_same;
  } else {
    if (week) to = week_monday(to);
    int32_t offset = to - from;
    char f1[11], f2[11];
    date_format(from, f1);
    date_format(from + (week ? 6 : 0), f2);
    if (registration_briefs(r->db, m.advisors[me].id, f1, f2, 0, &list) != 0) {
      res.head = W_copy_failed;
    } else if (!list.n) {
      res.head = W_copy_nothing;
    } else {
      res.items = xcalloc(list.n, sizeof *res.items);
      res.n = list.n;
      int any_problem = 0, failed = 0;
      for (size_t i = 0; i < list.n && !failed; i++) {
        struct copy_item *it = &res.items[i];
        it->v = xcalloc((size_t)ncols, sizeof *it->v);
        for (int c = 0; c < ncols; c++) put(it->v, c, "");
        snprintf(it->src_ext, sizeof it->src_ext, "%s", list.items[i].ext_id);
        snprintf(it->src_date, sizeof it->src_date, "%s", list.items[i].date);
        if (registration_load(r->db, &m, list.items[i].id, it->v) != 0) {
          failed = 1;
          break;
        }
        unsigned char rnd[8];
        char ext[32], nd[11];
        randombytes_buf(rnd, sizeof rnd);
        snprintf(ext, sizeof ext, "w-");
        sodium_bin2hex(ext + 2, sizeof ext - 2, rnd, sizeof rnd);
        put(it->v, R_ID, ext);
        int32_t d0;
        if (date_parse(it->src_date, &d0) != 0) d0 = from;
        date_format(d0 + offset, nd);
        put(it->v, R_DATE, nd);
        registration_canonicalize(&m, it->v, &it->c.problems);
        struct reg_problems pre = it->c.problems;
        registration_check(&m, it->v, &it->c);
        for (int k = 0; k < pre.n && it->c.problems.n < REG_MAX_PROBLEMS; k++)
          it->c.problems.p[it->c.problems.n++] = pre.p[k];
        if (model_year_locked(&m, school_year_of(d0 + offset))) {
          char ys[10];
          school_year_format(school_year_of(d0 + offset), ys);
          add_problem(&it->c, R_DATE, RP_YEAR_LOCKED, ys);
        }
        any_problem |= it->c.problems.n > 0;
      }
      if (failed) {
        res.head = W_copy_failed;
      } else if (any_problem) {
        res.head = W_copy_refused;
      } else {
        int w = write_all(r, &m, res.items, res.n, me);
        res.head = w == 0 ? W_copy_done : w == 1 ? W_copy_refused : W_copy_failed;
        res.ok = w == 0;
      }
    }
  }
  if (res.ok) {
    /* the target week, naming the copies (a redirect: reloading copies nothing twice) */
    struct buf loc = {0};
    char td[11];
    date_format(to, td);
    buf_printf(&loc, "/week?datum=%s&gekopieerd=", td);
    for (size_t i = 0; i < res.n; i++) {
      if (i) buf_putc(&loc, ',');
      html_url(&loc, res.items[i].v[R_ID]);
    }
    resp_redirect(resp, buf_str(&loc));
    buf_free(&loc);
  } else {
    resp->status = res.head == W_copy_failed ? 500 : 422;
    /* the week copied from, with the refusal */
    week_render(r, resp, shown, copy_message, &res);
  }
  for (size_t i = 0; i < res.n; i++) {
    if (!res.items[i].v) continue;
    for (int c = 0; c < ncols; c++) free(res.items[i].v[c]);
    free(res.items[i].v);
  }
  free(res.items);
  registration_briefs_free(&list);
  model_free(&m);
}
