/* SPDX-License-Identifier: EUPL-1.2 */
#include "mail/due.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/dates.h"
#include "db/db.h"
#include "domain/model.h"
#include "http/auth.h"
#include "mail/mime.h"
#include "measures/facts.h"
#include "measures/impact.h"
#include "measures/indicators.h"
#include "measures/quality.h"
#include "render/html.h"
#include "render/words.h"
#include "report/export.h"
#include "report/report.h"

int mail_config_base_url(struct mail_config *c, const char *url, char *err, size_t errlen) {
  size_t n = url ? strlen(url) : 0;
  int scheme = n && (!strncmp(url, "http://", 7) || !strncmp(url, "https://", 8));
  int ok = scheme && n <= MAIL_BASE_URL_MAX;
  for (size_t i = 0; ok && i < n; i++) {
    unsigned char ch = (unsigned char)url[i];
    if (ch <= 32 || ch >= 127 || strchr("\"'<>\\`", ch)) ok = 0;
  }
  if (!ok) {
    snprintf(err, errlen,
             "the base URL '%.100s' must be http:// or https:// and at most %d characters without blanks or "
             "quotes",
             url ? url : "", MAIL_BASE_URL_MAX);
    return -1;
  }
  while (n > 0 && url[n - 1] == '/') n--;
  snprintf(c->base_url, sizeof c->base_url, "%.*s", (int)n, url);
  return 0;
}

/* 0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday). */
static int weekday(int32_t day) { return (int)(((day % 7) + 7 + 3) % 7); }

void mail_iso_week(int32_t day, int *year, int *week) {
  int32_t thursday = day - weekday(day) + 3;
  int y, mo, d;
  civil_from_days(thursday, &y, &mo, &d);
  *year = y;
  *week = (int)((thursday - days_from_civil(y, 1, 1)) / 7) + 1;
}

void mail_week_key(int32_t day, char out[16]) {
  int y, w;
  mail_iso_week(day, &y, &w);
  /* dates are bounded to years 1-9999 (domain/bounds.c); the modulo tells the compiler */
  snprintf(out, 16, "%04u-W%02u", (unsigned)y % 10000u, (unsigned)w % 100u);
}

void mail_month_key(int32_t day, char out[16]) {
  int y, mo, d;
  civil_from_days(day, &y, &mo, &d);
  snprintf(out, 16, "%04d-%02d", y, mo);
}

/* A number as people read it: "32,5" in Dutch, "32.5" in English. */
static void fmt_num(double v, int decimals, int en, char out[32]) {
  snprintf(out, 32, "%.*f", decimals, v);
  if (!en)
    for (char *p = out; *p; p++)
      if (*p == '.') *p = ',';
}
static void fmt_pct(double share, int en, char out[32]) {
  fmt_num(share * 100.0, 1, en, out);
  strcat(out, "%");
}
static void fmt_date(int32_t day, char out[16]) {
  int y, mo, d;
  civil_from_days(day, &y, &mo, &d);
  snprintf(out, 16, "%02d/%02d/%04d", d, mo, y);
}

/* The plain text and the HTML of one message, written side by side. */
struct doc {
  struct buf text, html;
  int en;
};
static const char *W(const struct doc *d, enum word w) { return word_text(w, d->en); }

static void doc_begin(struct doc *d, const char *subject) {
  html_raw(&d->html, "<!doctype html>\n<html lang=\"");
  html_raw_if(&d->html, d->en, "en", "nl-BE");
  html_raw(&d->html, "\"><head><meta charset=\"utf-8\"><title>");
  html_text(&d->html, subject);
  html_raw(&d->html, "</title></head>\n<body style=\"font-family:sans-serif;line-height:1.4\">\n");
}
static void doc_p(struct doc *d, const char *s) {
  buf_puts(&d->text, s);
  buf_puts(&d->text, "\n\n");
  html_raw(&d->html, "<p>");
  html_text(&d->html, s);
  html_raw(&d->html, "</p>\n");
}
static void doc_ul(struct doc *d, int open) {
  if (open) {
    html_raw(&d->html, "<ul>\n");
  } else {
    html_raw(&d->html, "</ul>\n");
    buf_puts(&d->text, "\n");
  }
}
/* A list item, with a link after it when url is not NULL. */
static void doc_li(struct doc *d, const char *s, const char *url) {
  buf_printf(&d->text, "- %s%s%s\n", s, url ? ": " : "", url ? url : "");
  html_raw(&d->html, "<li>");
  html_text(&d->html, s);
  if (url) {
    html_raw(&d->html, ": <a href=\"");
    html_attr(&d->html, url);
    html_raw(&d->html, "\">");
    html_text(&d->html, url);
    html_raw(&d->html, "</a>");
  }
  html_raw(&d->html, "</li>\n");
}
/* A paragraph "label URL" with the URL as a link. */
static void doc_link(struct doc *d, const char *label, const char *url) {
  buf_printf(&d->text, "%s %s\n\n", label, url);
  html_raw(&d->html, "<p>");
  html_text(&d->html, label);
  html_raw(&d->html, " <a href=\"");
  html_attr(&d->html, url);
  html_raw(&d->html, "\">");
  html_text(&d->html, url);
  html_raw(&d->html, "</a></p>\n");
}
static void doc_end(struct doc *d) {
  const char *sig = W(d, W_mail_signature);
  buf_puts(&d->text, sig);
  buf_puts(&d->text, "\n");
  html_raw(&d->html, "<p>");
  for (const char *p = sig; *p;) {
    size_t n = strcspn(p, "\n");
    char piece[128];
    snprintf(piece, sizeof piece, "%.*s", (int)n, p);
    html_text(&d->html, piece);
    p += n;
    if (*p == '\n') {
      html_raw(&d->html, "<br>");
      p++;
    }
  }
  html_raw(&d->html, "</p>\n</body>\n</html>\n");
}
static void doc_free(struct doc *d) {
  buf_free(&d->text);
  buf_free(&d->html);
}

/* One message that is due. */
struct pending {
  const char *kind;
  int64_t user_id;
  char login[128], email[MAIL_ADDR_MAX + 1], period[16], subject[256], message_id[MAIL_ADDR_MAX + 64];
  struct buf data;
};
struct run {
  struct db *db;
  const struct mail_config *c;
  struct model m;
  int32_t today, week_from, week_to, month_from, month_to;
  int32_t asof; /* the monthly views: today, within the school year of month_to */
  char week_key[16], month_key[16];
  int week_no, month_year, month_no;
  struct facts facts; /* of the school year of month_to, computed when first needed */
  int have_facts;
  struct pending *p;
  size_t n, cap;
  char *err;
  size_t errlen;
};

static int already_sent(struct run *r, const char *kind, int64_t user, const char *period) {
  struct db_stmt *st =
      db_prepare(r->db, "SELECT COUNT(*) FROM mail_sent WHERE kind = ? AND user_id = ? AND period = ?");
  if (!st) return -1;
  db_bind_text(st, 1, kind);
  db_bind_int64(st, 2, user);
  db_bind_text(st, 3, period);
  int out = db_step(st) == DB_ROW ? db_col_int64(st, 0) > 0 : -1;
  db_finalize(st);
  return out;
}

struct recipient {
  int64_t id, advisor_id;
  int role, reminders, reports, en;
  const char *login, *email;
  int advisor; /* model index, -1 none */
};

/* Builds the message and queues it. 0, or -1 with err (the message is refused). */
static int queue(struct run *r, const struct recipient *u, const char *kind, const char *period,
                 const char *subject, struct doc *d, const unsigned char *att, size_t att_len,
                 const char *att_name) {
  doc_end(d);
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 16;
    r->p = realloc(r->p, r->cap * sizeof *r->p);
    if (!r->p) abort();
  }
  struct pending *p = &r->p[r->n];
  memset(p, 0, sizeof *p);
  p->kind = kind;
  p->user_id = u->id;
  snprintf(p->login, sizeof p->login, "%s", u->login);
  snprintf(p->email, sizeof p->email, "%s", u->email);
  snprintf(p->period, sizeof p->period, "%s", period);
  snprintf(p->subject, sizeof p->subject, "%s", subject);
  mime_message_id(r->c->from, p->message_id, sizeof p->message_id);
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  struct mail_message msg = {.from = r->c->from,
                             .to = u->email,
                             .from_name = "bereik",
                             .subject = subject,
                             .text = buf_str(&d->text),
                             .html = buf_str(&d->html),
                             .message_id = p->message_id,
                             .date = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL),
                             .lang = u->en ? "en" : "nl-BE",
                             .attachment = att,
                             .attachment_len = att_len,
                             .attachment_name = att_name,
                             .attachment_type = att ? "application/pdf" : NULL};
  if (mime_build(&msg, &p->data, r->err, r->errlen) != 0) {
    buf_free(&p->data);
    return -1;
  }
  r->n++;
  return 0;
}

static void week_title(const struct doc *d, const struct run *r, const char *what, char *out, size_t n) {
  snprintf(out, n, "%s (%s %d)", what, W(d, W_mail_week), r->week_no);
}

static int reminder(struct run *r, const struct recipient *u) {
  int32_t *days = NULL;
  size_t nd = 0;
  if (quality_days_without_at(r->db, &r->m, u->advisor, r->week_from, r->week_to, r->today, &days, &nd,
                              r->err, r->errlen) != 0)
    return -1;
  if (nd == 0) {
    free(days);
    return 0;
  }
  struct doc d = {.en = u->en};
  char subject[256], line[512], url[MAIL_BASE_URL_MAX + 64], date[16], iso[11];
  week_title(&d, r, W(&d, W_mail_reminder_subject), subject, sizeof subject);
  doc_begin(&d, subject);
  snprintf(line, sizeof line, "%s %s,", W(&d, W_mail_hello), r->m.advisors[u->advisor].name);
  doc_p(&d, line);
  doc_p(&d, W(&d, W_mail_reminder_intro));
  doc_ul(&d, 1);
  for (size_t i = 0; i < nd; i++) {
    fmt_date(days[i], date);
    date_format(days[i], iso);
    snprintf(line, sizeof line, "%s %s", W(&d, (enum word)(W_mail_day_1 + weekday(days[i]))), date);
    snprintf(url, sizeof url, "%s/week?datum=%s", r->c->base_url, iso);
    doc_li(&d, line, url);
  }
  doc_ul(&d, 0);
  free(days);
  snprintf(url, sizeof url, "%s/registreren", r->c->base_url);
  doc_link(&d, W(&d, W_mail_reminder_action), url);
  snprintf(url, sizeof url, "%s/mijn-account", r->c->base_url);
  doc_link(&d, W(&d, W_mail_reminder_note), url);
  int rc = queue(r, u, "reminder", r->week_key, subject, &d, NULL, 0, NULL);
  doc_free(&d);
  return rc;
}

static int week_report(struct run *r, const struct recipient *u) {
  const struct advisor *a = &r->m.advisors[u->advisor];
  if ((a->start != NO_DATE && a->start > r->week_to) || (a->end != NO_DATE && a->end < r->week_from))
    return 0;
  int64_t reg[7], klv[7], treg = 0, tklv = 0;
  if (advisor_minutes_per_day(r->db, a->id, r->week_from, 7, reg, klv) != 0) {
    snprintf(r->err, r->errlen, "cannot read the registrations of advisor %s", a->code);
    return -1;
  }
  for (int i = 0; i < 7; i++) {
    treg += reg[i];
    tklv += klv[i];
  }
  double share = 0, year_pct = 0;
  int has_share = klv_share_of_registered(reg, klv, 7, &share), has_year = 0;
  if (advisor_year_klv_pct(r->db, &r->m, u->advisor, school_year_of(r->week_to), r->week_to, &year_pct,
                           &has_year) != 0) {
    snprintf(r->err, r->errlen, "cannot compute the KLV%% of advisor %s", a->code);
    return -1;
  }
  struct doc d = {.en = u->en};
  char subject[256], line[512], url[MAIL_BASE_URL_MAX + 64], from[16], to[16], h[32], k[32], p[32], norm[32];
  week_title(&d, r, W(&d, W_mail_week_subject), subject, sizeof subject);
  doc_begin(&d, subject);
  snprintf(line, sizeof line, "%s %s,", W(&d, W_mail_hello), a->name);
  doc_p(&d, line);
  fmt_date(r->week_from, from);
  fmt_date(r->week_to, to);
  snprintf(line, sizeof line, "%s (%s %d, %s - %s):", W(&d, W_mail_week_intro), W(&d, W_mail_week),
           r->week_no, from, to);
  doc_p(&d, line);
  fmt_pct(KLV_NORM, d.en, norm);
  doc_ul(&d, 1);
  if (treg == 0) {
    snprintf(line, sizeof line, "%s: %s", W(&d, W_mail_registered), W(&d, W_mail_none));
    doc_li(&d, line, NULL);
  } else {
    fmt_num((double)treg / 60.0, 1, d.en, h);
    snprintf(line, sizeof line, "%s: %s %s", W(&d, W_mail_registered), h, W(&d, W_mail_hours));
    doc_li(&d, line, NULL);
    fmt_num((double)tklv / 60.0, 1, d.en, k);
    fmt_pct(has_share ? share : 0, d.en, p);
    snprintf(line, sizeof line, "%s: %s %s = %s (%s %s)", W(&d, W_mail_klv_week), k, W(&d, W_mail_hours), p,
             W(&d, W_mail_norm), norm);
    doc_li(&d, line, NULL);
  }
  if (has_year) {
    fmt_pct(year_pct, d.en, p);
    snprintf(line, sizeof line, "%s: %s (%s %s, %s)", W(&d, W_mail_klv_year), p, W(&d, W_mail_norm), norm,
             W(&d, indicator_status(year_pct, KLV_NORM) == STATUS_ON_TRACK ? W_on_track
                   : indicator_status(year_pct, KLV_NORM) == STATUS_WATCH  ? W_watch
                                                                           : W_behind));
    doc_li(&d, line, NULL);
  }
  doc_ul(&d, 0);
  char iso[11];
  date_format(r->week_from, iso);
  snprintf(url, sizeof url, "%s/week?datum=%s", r->c->base_url, iso);
  doc_link(&d, W(&d, W_mail_see_week), url);
  int rc = queue(r, u, "week", r->week_key, subject, &d, NULL, 0, NULL);
  doc_free(&d);
  return rc;
}

static int need_facts(struct run *r) {
  if (r->have_facts) return 0;
  int year = school_year_of(r->month_to);
  r->asof = r->today < school_year_last_day(year) ? r->today : school_year_last_day(year);
  if (facts_compute(r->db, &r->m, &year, 1, &r->facts, r->err, r->errlen) != 0) return -1;
  r->have_facts = 1;
  return 0;
}

static enum word status_word(int s) {
  return s == STATUS_ON_TRACK ? W_on_track : s == STATUS_WATCH ? W_watch : W_behind;
}

/* prefix and "55,0% (norm 60,0%, let op)" of a summary; "nog geen gegevens" without one. */
static void klv_text(const struct doc *d, const struct klv_summary *k, const char *prefix, char *out,
                     size_t n) {
  char p[32], norm[32];
  fmt_pct(KLV_NORM, d->en, norm);
  if (!k->has_pct) {
    snprintf(out, n, "%s", W(d, W_mail_no_data));
    return;
  }
  fmt_pct(k->pct, d->en, p);
  snprintf(out, n, "%s%s (%s %s, %s)", prefix, p, W(d, W_mail_norm), norm, W(d, status_word(k->status)));
}

static void month_title(const struct doc *d, const struct run *r, enum word what, char *out, size_t n) {
  snprintf(out, n, "%s (%s %d)", W(d, what), W(d, (enum word)(W_mail_month_1 + r->month_no - 1)),
           r->month_year);
}

/* "in school year 2026-2027, as of 09/12/2026:" */
static void year_line(const struct doc *d, const struct run *r, enum word intro, char *out, size_t n) {
  char sy[10], to[16];
  school_year_format(school_year_of(r->month_to), sy);
  fmt_date(r->asof, to);
  snprintf(out, n, "%s %s, %s %s:", W(d, intro), sy, W(d, W_mail_until), to);
}

/* "Dag An Peeters," with the name of the user's advisor record, else "Dag,". */
static void greeting(const struct doc *d, const struct run *r, const struct recipient *u, char *out,
                     size_t n) {
  if (u->advisor >= 0)
    snprintf(out, n, "%s %s,", W(d, W_mail_hello), r->m.advisors[u->advisor].name);
  else
    snprintf(out, n, "%s,", W(d, W_mail_hello));
}

static int team_month(struct run *r, const struct recipient *u) {
  if (need_facts(r) != 0) return -1;
  struct user who = {.id = u->id, .role = ROLE_COORDINATOR, .advisor_id = u->advisor_id};
  struct visibility vis;
  user_visibility(&who, &r->m, &vis);
  if (vis.n_teams == 0) return 0; /* a coordinator of no team: nothing to report */
  unsigned char *tm = NULL, *am = NULL;
  visibility_masks(&vis, &r->m, &tm, &am);
  struct indicator_view v;
  indicator_view_build(&r->facts, &r->m, school_year_of(r->month_to), r->asof, 0, tm, am, &v);
  free(tm);
  free(am);
  struct doc d = {.en = u->en};
  char subject[256], line[512], k[160], url[MAIL_BASE_URL_MAX + 64];
  month_title(&d, r, W_mail_team_subject, subject, sizeof subject);
  doc_begin(&d, subject);
  greeting(&d, r, u, line, sizeof line);
  doc_p(&d, line);
  year_line(&d, r, W_mail_team_intro, line, sizeof line);
  doc_p(&d, line);
  doc_ul(&d, 1);
  for (int t = 0; t < vis.n_teams; t++) {
    int ti = vis.teams[t];
    struct klv_summary none = {0};
    const struct klv_summary *ks = &none;
    for (size_t i = 0; i < v.n_teams; i++)
      if (v.teams[i].index == ti) ks = &v.teams[i].klv;
    klv_text(&d, ks, "KLV% ", k, sizeof k);
    snprintf(line, sizeof line, "%s: %s", r->m.teams[ti].name, k);
    doc_li(&d, line, NULL);
  }
  for (size_t i = 0; i < v.n_advisors; i++) {
    klv_text(&d, &v.advisors[i].klv, "KLV% ", k, sizeof k);
    snprintf(line, sizeof line, "%s: %s", r->m.advisors[v.advisors[i].index].name, k);
    doc_li(&d, line, NULL);
  }
  doc_ul(&d, 0);
  indicator_view_free(&v);
  snprintf(url, sizeof url, "%s/dashboard", r->c->base_url);
  doc_link(&d, W(&d, W_mail_dashboard), url);
  int rc = queue(r, u, "team-month", r->month_key, subject, &d, NULL, 0, NULL);
  doc_free(&d);
  return rc;
}

/* "FTE realisation: 41,0% (pro rata 40,0%, on track)" */
static void value_text(const struct doc *d, enum word name, const struct indicator_value *iv, char *out,
                       size_t n) {
  char a[32], t[32];
  if (!iv->has_actual) {
    snprintf(out, n, "%s: %s", W(d, name), W(d, W_mail_no_data));
    return;
  }
  fmt_pct(iv->actual, d->en, a);
  fmt_pct(iv->target_to_date, d->en, t);
  snprintf(out, n, "%s: %s (%s %s, %s)", W(d, name), a, W(d, W_mail_prorata), t,
           W(d, status_word(iv->status)));
}

static int director_month(struct run *r, const struct recipient *u) {
  if (need_facts(r) != 0) return -1;
  int year = school_year_of(r->month_to);
  struct indicator_view v;
  indicator_view_build(&r->facts, &r->m, year, r->asof, 1, NULL, NULL, &v);
  struct doc d = {.en = u->en};
  char subject[256], line[512], k[160], url[MAIL_BASE_URL_MAX + 64], hits[32];
  month_title(&d, r, W_mail_director_subject, subject, sizeof subject);
  doc_begin(&d, subject);
  greeting(&d, r, u, line, sizeof line);
  doc_p(&d, line);
  year_line(&d, r, W_mail_director_intro, line, sizeof line);
  doc_p(&d, line);
  doc_ul(&d, 1);
  value_text(&d, W_ind1, &v.fte, line, sizeof line);
  doc_li(&d, line, NULL);
  value_text(&d, W_ind2, &v.reach, line, sizeof line);
  fmt_num(v.hits, 0, d.en, hits);
  size_t l = strlen(line);
  snprintf(line + l, sizeof line - l, "; %s: %s", W(&d, W_hits), hits);
  doc_li(&d, line, NULL);
  klv_text(&d, &v.klv, "", k, sizeof k);
  snprintf(line, sizeof line, "%s: %s", W(&d, W_ind3), k);
  doc_li(&d, line, NULL);
  for (int i = 0; i < 2; i++) {
    klv_text(&d, &v.units[i], "KLV% ", k, sizeof k);
    snprintf(line, sizeof line, "%s: %s", indicator_units[i][1], k);
    doc_li(&d, line, NULL);
  }
  doc_ul(&d, 0);
  indicator_view_free(&v);
  doc_p(&d, W(&d, W_mail_attachment));
  snprintf(url, sizeof url, "%s/dashboard", r->c->base_url);
  doc_link(&d, W(&d, W_mail_dashboard), url);
  /* the yearly report of the school year (report/), as the report page's PDF download */
  struct facts impact = {0};
  char *pdf = NULL, generated[32], name[40];
  size_t pdf_len = 0;
  int rc = -1;
  if (impact_compute(r->db, &r->m, &year, 1, r->asof, &impact, r->err, r->errlen) == 0) {
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t now = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(generated, sizeof generated, "%Y-%m-%d %H:%M UTC", &tm);
    struct report rp;
    report_open(&rp, &r->m, &r->facts, u->en ? REP_EN : REP_NL);
    report_add_impact(&rp, &impact);
    struct rep_opts o = {0, generated, 0};
    if (report_write_bytes(&rp, &o, "pdf", &pdf, &pdf_len, r->err, r->errlen) == 0) {
      snprintf(name, sizeof name, "bereik-%s.pdf", r->month_key);
      rc =
          queue(r, u, "director-month", r->month_key, subject, &d, (const unsigned char *)pdf, pdf_len, name);
    }
    report_close(&rp);
  }
  facts_free(&impact);
  free(pdf);
  doc_free(&d);
  return rc;
}

static int log_sent(struct db *db, const struct pending *p) {
  if (db_begin_write_quiet(db) != DB_OK) return -1;
  struct db_stmt *st =
      db_prepare(db, "INSERT INTO mail_sent (kind, user_id, period, sent_at, message_id, recipient) "
                     "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, user_id, period) DO NOTHING");
  int ok = st != NULL;
  if (ok) {
    db_bind_text(st, 1, p->kind);
    db_bind_int64(st, 2, p->user_id);
    db_bind_text(st, 3, p->period);
    db_bind_int64(st, 4, (int64_t)time(NULL));
    db_bind_text(st, 5, p->message_id);
    db_bind_text(st, 6, p->email);
    ok = db_step(st) == DB_DONE;
    db_finalize(st);
  }
  if (ok && db_commit(db) == DB_OK) return 0;
  db_rollback(db);
  return -1;
}

/* Queues what is due for one recipient; counts refusals. */
static void plan_user(struct run *r, const struct recipient *u, struct mail_result *res) {
  struct {
    const char *kind, *period;
    int wanted;
    int (*build)(struct run *, const struct recipient *);
  } kinds[] = {
      {"reminder", r->week_key, u->advisor >= 0 && u->reminders, reminder},
      {"week", r->week_key, u->advisor >= 0 && u->reports, week_report},
      {"team-month", r->month_key, u->role == ROLE_COORDINATOR && u->reports, team_month},
      {"director-month", r->month_key, u->role == ROLE_DIRECTOR && u->reports, director_month},
  };
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
    if (!kinds[k].wanted) continue;
    int sent = already_sent(r, kinds[k].kind, u->id, kinds[k].period);
    if (sent == 1) continue;
    size_t before = r->n;
    if (sent < 0 || kinds[k].build(r, u) != 0) {
      fprintf(stderr, "bereik: mail: %s for %s: %s\n", kinds[k].kind, u->login,
              sent < 0 ? db_errmsg(r->db) : r->err);
      res->failed++;
    }
    res->due += (int)(r->n - before);
  }
}

int mail_due(struct db *db, const struct mail_config *c, int32_t today, int dry_run, FILE *out,
             struct mail_result *res, char *err, size_t errlen) {
  memset(res, 0, sizeof *res);
  struct run r = {.db = db, .c = c, .today = today, .err = err, .errlen = errlen};
  /* the last whole calendar week (Monday-Sunday) before the week of today, and the last
     whole month before the month of today */
  r.week_from = today - weekday(today) - 7;
  r.week_to = r.week_from + 6;
  int wy, y, mo, d;
  mail_iso_week(r.week_from, &wy, &r.week_no);
  mail_week_key(r.week_from, r.week_key);
  civil_from_days(today, &y, &mo, &d);
  r.month_to = days_from_civil(y, mo, 1) - 1;
  civil_from_days(r.month_to, &r.month_year, &r.month_no, &d);
  r.month_from = days_from_civil(r.month_year, r.month_no, 1);
  mail_month_key(r.month_to, r.month_key);
  if (model_load(db, &r.m, err, errlen) != 0) return -1;
  struct db_stmt *st =
      db_prepare(db, "SELECT id, login, role, advisor_id, email, mail_reminders, mail_reports, mail_lang "
                     "FROM app_user WHERE active = 1 AND email IS NOT NULL ORDER BY id");
  if (!st) {
    snprintf(err, errlen, "cannot read the users: %s", db_errmsg(db));
    model_free(&r.m);
    return -1;
  }
  /* the users first (a statement stays open on PostgreSQL only until the next query) */
  struct urow {
    int64_t id, advisor_id;
    int role, reminders, reports, en;
    char *login, *email;
  } *rows = NULL;
  size_t nrows = 0, caprows = 0;
  while (db_step(st) == DB_ROW) {
    if (nrows == caprows) {
      caprows = caprows ? 2 * caprows : 32;
      rows = realloc(rows, caprows * sizeof *rows);
      if (!rows) abort();
    }
    const char *role = db_col_text(st, 2), *lang = db_col_text(st, 7);
    rows[nrows++] = (struct urow){db_col_int64(st, 0),
                                  db_col_is_null(st, 3) ? 0 : db_col_int64(st, 3),
                                  parse_role(role ? role : ""),
                                  db_col_int64(st, 5) != 0,
                                  db_col_int64(st, 6) != 0,
                                  lang && !strcmp(lang, "en"),
                                  strdup(db_col_text(st, 1) ? db_col_text(st, 1) : ""),
                                  strdup(db_col_text(st, 4) ? db_col_text(st, 4) : "")};
  }
  db_finalize(st);
  for (size_t i = 0; i < nrows; i++) {
    struct urow *w = &rows[i];
    if (!w->email[0]) continue;
    if (!mail_addr_ok(w->email)) { /* a line break or anything else that does not belong in a header */
      fprintf(stderr,
              "bereik: mail: user %s: the e-mail address in the user table is refused (not a plain "
              "local@domain address; nothing is sent to it)\n",
              w->login);
      res->failed++;
      continue;
    }
    int advisor = -1;
    if (w->advisor_id > 0 && w->advisor_id <= r.m.max_advisor_id) advisor = r.m.advisor_of_id[w->advisor_id];
    struct recipient u = {w->id, w->advisor_id, w->role,  w->reminders, w->reports,
                          w->en, w->login,      w->email, advisor};
    plan_user(&r, &u, res);
  }
  for (size_t i = 0; i < nrows; i++) {
    free(rows[i].login);
    free(rows[i].email);
  }
  free(rows);
  if (r.have_facts) facts_free(&r.facts);
  model_free(&r.m);
  for (size_t i = 0; i < r.n; i++) {
    struct pending *p = &r.p[i];
    if (dry_run) {
      fprintf(out, "due %s %s <%s> %s: %s\n", p->kind, p->period, p->email, p->login, p->subject);
    } else {
      char serr[512];
      if (smtp_send(&c->smtp, c->from, p->email, p->data.data, p->data.len, serr, sizeof serr) != 0) {
        fprintf(stderr, "bereik: mail: %s %s to %s: not sent: %s\n", p->kind, p->period, p->login, serr);
        res->failed++;
      } else if (log_sent(db, p) != 0) {
        fprintf(stderr, "bereik: mail: %s %s to %s: sent, but the sent-log failed: %s\n", p->kind, p->period,
                p->login, db_errmsg(db));
        res->failed++;
      } else {
        fprintf(out, "sent %s %s <%s> %s: %s\n", p->kind, p->period, p->email, p->login, p->subject);
        res->sent++;
      }
    }
    buf_free(&p->data);
  }
  free(r.p);
  return 0;
}
