/* SPDX-License-Identifier: EUPL-1.2 */
/* Data quality (docs/QUALITY.md): the findings of measures/quality.h, computed from the
   registrations of one range of days (at most QUALITY_MAX_DAYS), the holidays and the
   advisors' days off, in three queries each bounded by that range. */
#include "measures/quality.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/dates.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/bounds.h"
#include "domain/model.h"

#define QUALITY_MAX_DAYS 3660 /* the longest range looked at in one call: ten years */

/* Monday 0 .. Sunday 6 of a day number (1970-01-01 was a Thursday). */
static int weekday(int32_t d) { return (int)(((d % 7) + 7 + 3) % 7); }

static int32_t max32(int32_t a, int32_t b) { return a > b ? a : b; }
static int32_t min32(int32_t a, int32_t b) { return a < b ? a : b; }

/* One registration of the range. */
struct qreg {
  int64_t id;
  char *ext_id;
  int32_t day;
  int minutes, line;
  int32_t created; /* the Brussels day of created_at, NO_DATE when unknown */
  int *adv, n_adv; /* advisor indexes, ascending */
  int64_t *inst;   /* institution ids, ascending */
  int n_inst;
};

struct qdata {
  int32_t from, to, n_days;
  unsigned char *holiday; /* n_days */
  unsigned char *off;     /* n_advisors * n_days */
  int *minutes;           /* n_advisors * n_days: registered minutes */
  struct qreg *regs;
  size_t n_regs;
};

static void qdata_free(struct qdata *q) {
  free(q->holiday);
  free(q->off);
  free(q->minutes);
  for (size_t i = 0; i < q->n_regs; i++) {
    free(q->regs[i].ext_id);
    free(q->regs[i].adv);
    free(q->regs[i].inst);
  }
  free(q->regs);
  memset(q, 0, sizeof *q);
}

/* The number of n digits at s, or -1 when they are not all digits. */
static int digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* The Brussels day of an audit time 'YYYY-MM-DDTHH:MM:SSZ', NO_DATE when it is not one. */
static int32_t stamp_day(const char *s) {
  if (!s || strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
      s[19] != 'Z')
    return NO_DATE;
  char date[11];
  memcpy(date, s, 10);
  date[10] = 0;
  int32_t d;
  int h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
  if (date_parse(date, &d) != 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) return NO_DATE;
  time_t t = (time_t)d * 86400 + (time_t)h * 3600 + (time_t)mi * 60 + se;
  return date_brussels(t);
}

static int reg_index(const struct qdata *q, int64_t id) {
  size_t lo = 0, hi = q->n_regs;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (q->regs[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < q->n_regs && q->regs[lo].id == id ? (int)lo : -1;
}

static int fail(struct db *db, const char *what, char *err, size_t errlen) {
  snprintf(err, errlen, "data quality: %s: %s", what, db_errmsg(db));
  return -1;
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}
static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Loads the holidays, days off and registrations of [from, to] (only_advisor >= 0: only
   that advisor's registrations and days off). */
static int qdata_load(struct db *db, const struct model *m, int32_t from, int32_t to, int only_advisor,
                      struct qdata *q, char *err, size_t errlen) {
  memset(q, 0, sizeof *q);
  q->from = from;
  q->to = to;
  q->n_days = to >= from ? to - from + 1 : 0;
  size_t nd = (size_t)q->n_days, na = m->n_advisors;
  q->holiday = xcalloc(nd + 1, 1);
  q->off = xcalloc(na * nd + 1, 1);
  q->minutes = xcalloc(na * nd + 1, sizeof *q->minutes);
  if (!q->n_days) return 0;
  char f[11], t[11];
  date_format(from, f);
  date_format(to, t);

  struct db_stmt *st =
      db_prepare(db, "SELECT start_date, end_date FROM holiday WHERE end_date >= ? AND start_date <= ?");
  if (!st) return fail(db, "reading the holidays", err, errlen);
  db_bind_text(st, 1, f);
  db_bind_text(st, 2, t);
  while (db_step(st) == DB_ROW) {
    int32_t a, b;
    if (date_parse(db_col_text(st, 0), &a) || date_parse(db_col_text(st, 1), &b)) continue;
    for (int32_t d = max32(a, from); d <= min32(b, to); d++) q->holiday[d - from] = 1;
  }
  db_finalize(st);

  st = db_prepare(db, "SELECT advisor_id, date FROM advisor_day_off WHERE date >= ? AND date <= ?");
  if (!st) return fail(db, "reading the days off", err, errlen);
  db_bind_text(st, 1, f);
  db_bind_text(st, 2, t);
  while (db_step(st) == DB_ROW) {
    int64_t aid = db_col_int64(st, 0);
    int32_t d;
    if (aid < 0 || aid > m->max_advisor_id || date_parse(db_col_text(st, 1), &d) || d < from || d > to)
      continue;
    int a = m->advisor_of_id[aid];
    if (a >= 0) q->off[(size_t)a * nd + (size_t)(d - from)] = 1;
  }
  db_finalize(st);

  /* the registrations of the range (of the one advisor), by id */
  const char *only = only_advisor >= 0 ? " AND r.id IN (SELECT registration_id FROM registration_advisor "
                                         "WHERE advisor_id = ?)"
                                       : "";
  struct buf sql = {0};
  buf_printf(&sql,
             "SELECT r.id, r.ext_id, r.date, r.minutes, r.line_id, r.created_at FROM registration r "
             "WHERE r.date >= ? AND r.date <= ?%s ORDER BY r.id",
             only);
  st = db_prepare(db, buf_str(&sql));
  buf_free(&sql);
  if (!st) return fail(db, "reading the registrations", err, errlen);
  db_bind_text(st, 1, f);
  db_bind_text(st, 2, t);
  if (only_advisor >= 0) db_bind_int64(st, 3, m->advisors[only_advisor].id);
  size_t cap = 0;
  int step;
  while ((step = db_step(st)) == DB_ROW) {
    int32_t d;
    if (date_parse(db_col_text(st, 2), &d)) continue;
    grow_array((void **)&q->regs, &cap, q->n_regs + 1, sizeof *q->regs);
    struct qreg *r = &q->regs[q->n_regs++];
    memset(r, 0, sizeof *r);
    r->id = db_col_int64(st, 0);
    r->ext_id = xstrdup(db_col_text(st, 1));
    r->day = d;
    r->minutes = (int)db_col_int64(st, 3);
    int64_t lid = db_col_int64(st, 4);
    r->line = lid >= 0 && lid <= m->max_line_id ? m->line_of_id[lid] : -1;
    r->created = db_col_is_null(st, 5) ? NO_DATE : stamp_day(db_col_text(st, 5));
  }
  db_finalize(st);
  if (step == DB_ERROR) return fail(db, "reading the registrations", err, errlen);

  /* their advisors and institutions */
  static const char *const links[2] = {
      "SELECT ra.registration_id, ra.advisor_id FROM registration_advisor ra "
      "JOIN registration r ON r.id = ra.registration_id WHERE r.date >= ? AND r.date <= ?",
      "SELECT ri.registration_id, ri.institution_id FROM registration_institution ri "
      "JOIN registration r ON r.id = ri.registration_id WHERE r.date >= ? AND r.date <= ?"};
  for (int k = 0; k < 2; k++) {
    st = db_prepare(db, links[k]);
    if (!st) return fail(db, "reading the registrations' links", err, errlen);
    db_bind_text(st, 1, f);
    db_bind_text(st, 2, t);
    while ((step = db_step(st)) == DB_ROW) {
      int i = reg_index(q, db_col_int64(st, 0));
      int64_t x = db_col_int64(st, 1);
      if (i < 0) continue;
      struct qreg *r = &q->regs[i];
      if (k == 0) {
        if (x < 0 || x > m->max_advisor_id || m->advisor_of_id[x] < 0) continue;
        r->adv = xrealloc(r->adv, sizeof(int) * (size_t)(r->n_adv + 1));
        r->adv[r->n_adv++] = m->advisor_of_id[x];
      } else {
        r->inst = xrealloc(r->inst, sizeof(int64_t) * (size_t)(r->n_inst + 1));
        r->inst[r->n_inst++] = x;
      }
    }
    db_finalize(st);
    if (step == DB_ERROR) return fail(db, "reading the registrations' links", err, errlen);
  }
  for (size_t i = 0; i < q->n_regs; i++) {
    struct qreg *r = &q->regs[i];
    if (r->n_adv > 1) qsort(r->adv, (size_t)r->n_adv, sizeof *r->adv, cmp_int);
    if (r->n_inst > 1) qsort(r->inst, (size_t)r->n_inst, sizeof *r->inst, cmp_i64);
    for (int k = 0; k < r->n_adv; k++)
      q->minutes[(size_t)r->adv[k] * nd + (size_t)(r->day - from)] += r->minutes;
  }
  return 0;
}

/* Whether day d of the loaded range is a working day of advisor a without registrations. */
static int day_without(const struct model *m, const struct qdata *q, int a, int32_t d) {
  size_t i = (size_t)(d - q->from), nd = (size_t)q->n_days;
  return weekday(d) < 5 && !q->holiday[i] && !q->off[(size_t)a * nd + i] &&
         advisor_employed_on(&m->advisors[a], d) && q->minutes[(size_t)a * nd + i] == 0;
}

/* Clips [from, to] (NO_DATE = open) to [lo, hi]; returns 0, or -1 when the result is
   longer than QUALITY_MAX_DAYS. An empty result has to < from. */
static int clip(int32_t *from, int32_t *to, int32_t lo, int32_t hi, char *err, size_t errlen) {
  int32_t f = *from == NO_DATE ? lo : max32(*from, lo), t = *to == NO_DATE ? hi : min32(*to, hi);
  if (t >= f && (int64_t)t - f + 1 > QUALITY_MAX_DAYS) {
    snprintf(err, errlen, "data quality: a range of at most %d days", QUALITY_MAX_DAYS);
    return -1;
  }
  *from = f;
  *to = t;
  return 0;
}

int quality_days_without_at(struct db *db, const struct model *m, int advisor, int32_t from, int32_t to,
                            int32_t today, int32_t **days_out, size_t *n_out, char *err, size_t errlen) {
  *days_out = NULL;
  *n_out = 0;
  if (advisor < 0 || (size_t)advisor >= m->n_advisors) {
    snprintf(err, errlen, "data quality: no advisor %d", advisor);
    return -1;
  }
  const struct advisor *a = &m->advisors[advisor];
  int32_t lo = max32(date_min_day(), a->start == NO_DATE ? date_min_day() : a->start);
  int32_t hi = min32(min32(date_max_day(), today), a->end == NO_DATE ? date_max_day() : a->end);
  if (clip(&from, &to, lo, hi, err, errlen) != 0) return -1;
  if (to < from) return 0;
  struct qdata q;
  if (qdata_load(db, m, from, to, advisor, &q, err, errlen) != 0) {
    qdata_free(&q);
    return -1;
  }
  size_t cap = 0;
  for (int32_t d = from; d <= to; d++)
    if (day_without(m, &q, advisor, d)) {
      grow_array((void **)days_out, &cap, *n_out + 1, sizeof **days_out);
      (*days_out)[(*n_out)++] = d;
    }
  qdata_free(&q);
  return 0;
}

int quality_days_without(struct db *db, const struct model *m, int advisor, int32_t from, int32_t to,
                         int32_t **days_out, size_t *n_out, char *err, size_t errlen) {
  return quality_days_without_at(db, m, advisor, from, to, bounds_today(), days_out, n_out, err, errlen);
}

/* ---- the whole report ---- */

static double median(int *v, int n) {
  if (n <= 0) return 0;
  qsort(v, (size_t)n, sizeof *v, cmp_int);
  int h = n / 2;
  return n % 2 ? (double)v[h] : ((double)v[h - 1] + (double)v[h]) / 2.0;
}

/* The key of a registration for duplicates: advisors, date, minutes, line, institutions. */
static int cmp_dupkey(const struct qreg *x, const struct qreg *y) {
  if (x->day != y->day) return x->day < y->day ? -1 : 1;
  if (x->n_adv != y->n_adv) return x->n_adv < y->n_adv ? -1 : 1;
  for (int k = 0; k < x->n_adv; k++)
    if (x->adv[k] != y->adv[k]) return x->adv[k] < y->adv[k] ? -1 : 1;
  if (x->minutes != y->minutes) return x->minutes < y->minutes ? -1 : 1;
  if (x->line != y->line) return x->line < y->line ? -1 : 1;
  if (x->n_inst != y->n_inst) return x->n_inst < y->n_inst ? -1 : 1;
  for (int k = 0; k < x->n_inst; k++)
    if (x->inst[k] != y->inst[k]) return x->inst[k] < y->inst[k] ? -1 : 1;
  return 0;
}
static const struct qdata *sort_q;
static int cmp_reg_index(const void *a, const void *b) {
  const struct qreg *x = &sort_q->regs[*(const int *)a], *y = &sort_q->regs[*(const int *)b];
  int c = cmp_dupkey(x, y);
  return c ? c : strcmp(x->ext_id, y->ext_id);
}
static int cmp_dup(const void *a, const void *b) {
  const struct quality_dup *x = a, *y = b;
  if (x->advisor != y->advisor) return x->advisor < y->advisor ? -1 : 1;
  if (x->day != y->day) return x->day < y->day ? -1 : 1;
  return strcmp(x->ext_ids[0], y->ext_ids[0]);
}

/* The counts a registration adds to: each of its advisors (0 .. na-1), each team one of
   them is in, once (na + team), and the total (na + nt). seen (nt entries) and stamp (a
   number unique to this call) keep a team from counting twice. Returns how many. */
static int buckets_of(const struct model *m, const struct qreg *r, int *seen, int stamp, int *b) {
  int n = 0, na = (int)m->n_advisors;
  for (int k = 0; k < r->n_adv; k++) b[n++] = r->adv[k];
  for (int k = 0; k < r->n_adv; k++) {
    const struct advisor *a = &m->advisors[r->adv[k]];
    for (int j = 0; j < a->n_teams; j++)
      if (seen[a->teams[j]] != stamp) {
        seen[a->teams[j]] = stamp;
        b[n++] = na + a->teams[j];
      }
  }
  b[n++] = na + (int)m->n_teams;
  return n;
}
/* The counts of bucket k (buckets_of). */
static struct quality_counts *bucket(struct quality_report *out, const struct model *m, int k) {
  int na = (int)m->n_advisors;
  return k < na ? &out->per_advisor[k] : k < na + (int)m->n_teams ? &out->per_team[k - na] : &out->total;
}

/* Lag counts of a set of lags. */
static void lag_counts(struct quality_counts *c, int *lags, int n, int unknown) {
  c->lag_known = n;
  c->lag_unknown = unknown;
  c->lag_within = 0;
  for (int i = 0; i < n; i++) c->lag_within += lags[i] <= QUALITY_LAG_DAYS;
  c->lag_median = median(lags, n);
}

int quality_compute(struct db *db, const struct model *m, int year, int32_t from, int32_t to, int32_t today,
                    struct quality_report *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  out->year = year;
  out->per_advisor = xcalloc(m->n_advisors + 1, sizeof *out->per_advisor);
  out->per_team = xcalloc(m->n_teams + 1, sizeof *out->per_team);
  if (year < SCHOOL_YEAR_MIN || year > SCHOOL_YEAR_MAX) {
    snprintf(err, errlen, "data quality: school year %d out of range", year);
    return -1;
  }
  if (clip(&from, &to, max32(school_year_first_day(year), date_min_day()),
           min32(school_year_last_day(year), date_max_day()), err, errlen) != 0)
    return -1;
  out->from = from;
  out->to = to;
  if (to < from) return 0;
  struct qdata q;
  if (qdata_load(db, m, from, to, -1, &q, err, errlen) != 0) {
    qdata_free(&q);
    return -1;
  }
  size_t na = m->n_advisors, nd = (size_t)q.n_days;
  size_t cap_w = 0, cap_o = 0, cap_d = 0;
  /* days without and days over 10 h, advisor by advisor, day by day */
  for (size_t a = 0; a < na; a++) {
    struct quality_counts *c = &out->per_advisor[a];
    for (int32_t d = from; d <= to; d++) {
      int mins = q.minutes[a * nd + (size_t)(d - from)];
      if (d <= today && day_without(m, &q, (int)a, d)) {
        grow_array((void **)&out->without, &cap_w, out->n_without + 1, sizeof *out->without);
        out->without[out->n_without++] = (struct quality_day){(int)a, d, 0};
        c->days_without++;
      }
      if (mins > QUALITY_MAX_MINUTES) {
        grow_array((void **)&out->over, &cap_o, out->n_over + 1, sizeof *out->over);
        out->over[out->n_over++] = (struct quality_day){(int)a, d, mins};
        c->days_over++;
      }
    }
  }
  size_t nt = m->n_teams, nbk = na + nt + 1;
  int *seen = xcalloc(nt + 1, sizeof *seen), stamp = 0;
  int *bk = xmalloc(sizeof(int) * (nbk + 1)); /* a registration's buckets: at most every one */
  /* duplicates: registrations sorted by their key, runs of two or more */
  int *order = xmalloc(sizeof(int) * (q.n_regs + 1));
  for (size_t i = 0; i < q.n_regs; i++) order[i] = (int)i;
  sort_q = &q;
  qsort(order, q.n_regs, sizeof *order, cmp_reg_index);
  for (size_t i = 0; i < q.n_regs;) {
    size_t j = i + 1;
    while (j < q.n_regs && cmp_dupkey(&q.regs[order[i]], &q.regs[order[j]]) == 0) j++;
    const struct qreg *r = &q.regs[order[i]];
    if (j - i >= 2 && r->n_adv > 0) {
      grow_array((void **)&out->dups, &cap_d, out->n_dups + 1, sizeof *out->dups);
      struct quality_dup *g = &out->dups[out->n_dups++];
      memset(g, 0, sizeof *g);
      g->advisor = r->adv[0];
      g->n_advisors = r->n_adv;
      g->advisors = xmalloc(sizeof(int) * (size_t)r->n_adv);
      memcpy(g->advisors, r->adv, sizeof(int) * (size_t)r->n_adv);
      g->day = r->day;
      g->minutes = r->minutes;
      g->line = r->line;
      g->n = j - i;
      g->ext_ids = xmalloc(sizeof(char *) * g->n);
      for (size_t k = i; k < j; k++) g->ext_ids[k - i] = xstrdup(q.regs[order[k]].ext_id);
      int nb = buckets_of(m, r, seen, ++stamp, bk);
      for (int k = 0; k < nb; k++) {
        bucket(out, m, bk[k])->dup_groups++;
        bucket(out, m, bk[k])->dup_registrations += (int)g->n;
      }
    }
    i = j;
  }
  free(order);
  if (out->n_dups > 1) qsort(out->dups, out->n_dups, sizeof *out->dups, cmp_dup);

  /* lag: per advisor, per team (each registration once), in total: the known lags of
     bucket k are lags[off[k] .. off[k + 1]) */
  size_t *off = xcalloc(nbk + 1, sizeof *off), *fill = xcalloc(nbk + 1, sizeof *fill);
  int *unknown = xcalloc(nbk + 1, sizeof *unknown);
  for (size_t i = 0; i < q.n_regs; i++) {
    int nb = buckets_of(m, &q.regs[i], seen, ++stamp, bk);
    for (int k = 0; k < nb; k++) {
      if (q.regs[i].created == NO_DATE)
        unknown[bk[k]]++;
      else
        off[bk[k] + 1]++;
    }
  }
  for (size_t k = 0; k < nbk; k++) off[k + 1] += off[k];
  int *lags = xmalloc(sizeof(int) * (off[nbk] + 1));
  for (size_t i = 0; i < q.n_regs; i++) {
    if (q.regs[i].created == NO_DATE) continue;
    int nb = buckets_of(m, &q.regs[i], seen, ++stamp, bk);
    for (int k = 0; k < nb; k++) lags[off[bk[k]] + fill[bk[k]]++] = q.regs[i].created - q.regs[i].day;
  }
  for (size_t k = 0; k < nbk; k++)
    lag_counts(bucket(out, m, (int)k), lags + off[k], (int)(off[k + 1] - off[k]), unknown[k]);
  free(lags);
  free(off);
  free(fill);
  free(unknown);
  free(seen);
  free(bk);
  /* the day counts of a team: its members' */
  for (size_t t = 0; t < m->n_teams; t++)
    for (int k = 0; k < m->teams[t].n_members; k++) {
      const struct quality_counts *c = &out->per_advisor[m->teams[t].members[k]];
      out->per_team[t].days_without += c->days_without;
      out->per_team[t].days_over += c->days_over;
    }
  for (size_t a = 0; a < na; a++) {
    out->total.days_without += out->per_advisor[a].days_without;
    out->total.days_over += out->per_advisor[a].days_over;
  }
  qdata_free(&q);
  return 0;
}

void quality_free(struct quality_report *r) {
  if (!r) return;
  free(r->per_advisor);
  free(r->per_team);
  free(r->without);
  free(r->over);
  for (size_t i = 0; i < r->n_dups; i++) {
    for (size_t k = 0; k < r->dups[i].n; k++) free(r->dups[i].ext_ids[k]);
    free(r->dups[i].ext_ids);
    free(r->dups[i].advisors);
  }
  free(r->dups);
  memset(r, 0, sizeof *r);
}
