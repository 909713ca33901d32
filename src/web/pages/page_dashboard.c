/* SPDX-License-Identifier: EUPL-1.2 */
/* Dashboard: the four indicators with target, actual and pro-rata status, and tables per
   line, team and advisor. Every number is a fact of src/measures; this page only picks
   the rows the user may see and formats them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "db/db.h"
#include "domain/bounds.h"
#include "domain/model.h"
#include "measures/cache.h"
#include "measures/facts.h"
#include "measures/indicators.h"
#include "measures/views.h"
#include "render/chart.h"
#include "render/html.h"
#include "web/pages/pages.h"

static const enum word status_keys[] = {W_on_track, W_watch, W_behind};

static void status_badge(const struct request *r, struct buf *b, int status) {
  char cls[8];
  snprintf(cls, sizeof cls, "s%d", status);
  html_raw(b, "<span class=\"status ");
  html_attr(b, cls);
  html_raw(b, "\">");
  html_text(b, T(r, status_keys[status]));
  html_raw(b, "</span>");
}

static void cell_num(struct buf *b, double v, int decimals, int present) {
  char s[64] = "–";
  if (present) fmt_be(v, decimals, s, sizeof s);
  html_raw(b, "<td class=\"n\">");
  html_text(b, s);
  html_raw(b, "</td>");
}

static void cell_pct(struct buf *b, double v, int present) {
  char s[64] = "–";
  if (present) fmt_pct(v, 0, s, sizeof s);
  html_raw(b, "<td class=\"n\">");
  html_text(b, s);
  html_raw(b, "</td>");
}

/* A number cell that names its column (data-label): on a phone the table becomes cards
   and each value shows its column's name before it. */
static void lcell(struct buf *b, const char *label, double v, int decimals, int pct, int present) {
  char s[64] = "–";
  if (present) {
    if (pct)
      fmt_pct(v, decimals, s, sizeof s);
    else
      fmt_be(v, decimals, s, sizeof s);
  }
  html_raw(b, "<td class=\"n\" data-label=\"");
  html_attr(b, label);
  html_raw(b, "\">");
  html_text(b, s);
  html_raw(b, "</td>");
}

/* A short line under a title that says what the number measures. */
static void explain(const struct request *r, struct buf *b, enum word w) {
  html_raw(b, "<p class=\"explain\">");
  html_text(b, T(r, w));
  html_raw(b, "</p>");
}

/* An indicator tile; extra_key/extra_value add one more line (extra_key -1 for none). */
static void tile(const struct request *r, struct buf *b, enum word key, enum word what, double actual,
                 int has_actual, double target, double prorata_target, int extra_key,
                 const char *extra_value) {
  char a[32] = "–", t[32], p[32];
  if (has_actual) fmt_pct(actual, 0, a, sizeof a);
  fmt_pct(target, 0, t, sizeof t);
  fmt_pct(prorata_target, 0, p, sizeof p);
  html_raw(b, "<section class=\"tile\"><h2>");
  html_text(b, T(r, key));
  html_raw(b, "</h2>");
  explain(r, b, what);
  html_raw(b, "<div class=\"big\">");
  html_text(b, a);
  html_raw(b, "</div>");
  if (has_actual) status_badge(r, b, indicator_status(actual, prorata_target));
  html_raw(b, "<dl><dt>");
  html_text(b, T(r, W_target));
  html_raw(b, "</dt><dd>");
  html_text(b, t);
  html_raw(b, "</dd><dt>");
  html_text(b, T(r, W_prorata));
  html_raw(b, "</dt><dd>");
  html_text(b, p);
  html_raw(b, "</dd>");
  if (extra_key >= 0) {
    html_raw(b, "<dt>");
    html_text(b, T(r, (enum word)extra_key));
    html_raw(b, "</dt><dd id=\"");
    html_attr(b, word_key((enum word)extra_key));
    html_raw(b, "-total\">");
    html_text(b, extra_value);
    html_raw(b, "</dd>");
  }
  html_raw(b, "</dl></section>");
}

/* What the status badges mean and how the target to date is computed (DOMAIN.md 4):
   op koers when the value is at least the target to date, let op within 10% below it,
   achter otherwise; the target to date is the yearly target times the share of the
   working days past. */
static void status_legend(const struct request *r, struct buf *b, double share) {
  char p[32];
  fmt_pct(share, 0, p, sizeof p);
  html_raw(b, "<div class=\"status-legend\" id=\"status-legend\"><p>");
  html_text(b, T(r, W_num_prorata_explain));
  html_raw(b, ": <strong id=\"prorata-share\">");
  html_text(b, p);
  html_raw(b, "</strong>. ");
  html_text(b, T(r, W_num_klv_target_note));
  html_raw(b, "</p><p>");
  html_text(b, T(r, W_num_status_explain));
  html_raw(b, "</p><ul>");
  static const enum word meaning[] = {W_num_status_on_track, W_num_status_watch, W_num_status_behind};
  for (int k = 0; k < 3; k++) {
    html_raw(b, "<li>");
    status_badge(r, b, k);
    html_raw(b, " ");
    html_text(b, T(r, meaning[k]));
    html_raw(b, "</li>");
  }
  html_raw(b, "</ul></div>");
}

/* The meaning of a table's columns, under it, folded. */
static void explain_list(const struct request *r, struct buf *b, const char *id, const enum word *ws, int n) {
  html_raw(b, "<details class=\"explain\" id=\"");
  html_attr(b, id);
  html_raw(b, "\"><summary>");
  html_text(b, T(r, W_num_explain));
  html_raw(b, "</summary><ul>");
  for (int k = 0; k < n; k++) {
    html_raw(b, "<li>");
    html_text(b, T(r, ws[k]));
    html_raw(b, "</li>");
  }
  html_raw(b, "</ul></details>");
}

/* A row of the klv table for a team or advisor: capacity, classroom hours, KLV% to date
   (classroom hours over the capacity of the working days past) and its status. */
static void klv_row(const struct request *r, struct buf *b, const struct klv_summary *k, const char *label) {
  html_raw(b, "<tr><th scope=\"row\">");
  html_text(b, label);
  html_raw(b, "</th>");
  /* the key columns first: KLV% and its status, then what it is computed from */
  lcell(b, T(r, W_num_klv_fte), k->pct, 0, 1, k->has_pct);
  html_raw(b, "<td class=\"st\" data-label=\"");
  html_attr(b, T(r, W_status));
  html_raw(b, "\">");
  if (k->has_pct) status_badge(r, b, k->status);
  html_raw(b, "</td>");
  lcell(b, T(r, W_fte_hours), k->fte_hours, 0, 0, k->has_fte_hours);
  lcell(b, T(r, W_klv_hours), k->klv_hours, 1, 0, k->has_klv_hours);
  html_raw(b, "</tr>");
}

static void klv_table_head(const struct request *r, struct buf *b, enum word caption_key,
                           enum word first_key) {
  /* a scrollable region is focusable and named, so keyboard users can scroll it */
  html_table_open(b, T(r, caption_key), word_key(caption_key), "cards klv");
  html_text(b, T(r, caption_key));
  html_raw(b, "</caption><thead><tr><th scope=\"col\">");
  html_text(b, T(r, first_key));
  html_raw(b, "</th><th scope=\"col\" class=\"n\">");
  html_text(b, T(r, W_num_klv_fte));
  html_raw(b, "</th><th scope=\"col\">");
  html_text(b, T(r, W_status));
  html_raw(b, "</th><th scope=\"col\" class=\"n\">");
  html_text(b, T(r, W_fte_hours));
  html_raw(b, "</th><th scope=\"col\" class=\"n\">");
  html_text(b, T(r, W_klv_hours));
  html_raw(b, "</th></tr></thead><tbody>");
}

/* The pilot year of the 2025-2030 plan: its actuals are indicator 4's baseline. */
#define BASELINE_YEAR 2025

/* One row of the impact table (measures/impact.h) when the scope has trajectories,
   mechanisms or survey answers. */
static void impact_row(const struct request *r, struct buf *b, const struct facts *imp, int year,
                       const char *key, const char *label) {
  int found;
  double active = facts_get(imp, "impact", year, key, "active", &found);
  if (!found) return;
  double mech = facts_get(imp, "impact", year, key, "mech_registrations", NULL);
  double sn = facts_get(imp, "impact", year, key, "short_n", NULL),
         ln = facts_get(imp, "impact", year, key, "long_n", NULL);
  double closed = facts_get(imp, "impact", year, key, "closed", NULL);
  (void)mech; /* the mechanisms have a table of their own */
  if (!active && !sn && !ln && !closed) return;
  html_raw(b, "<tr><th scope=\"row\">");
  html_text(b, label);
  html_raw(b, "</th>");
  cell_num(b, active, 0, 1);
  int has;
  double share = facts_get(imp, "impact", year, key, "goal_plan_share", &has);
  cell_pct(b, share, has);
  static const char *const phases[] = {"phase_explore", "phase_prepare", "phase_deliver", "phase_sustain"};
  for (int p = 0; p < 4; p++) cell_num(b, facts_get(imp, "impact", year, key, phases[p], NULL), 0, 1);
  static const char *const means[][2] = {{"short_mean", "short_n"}, {"long_mean", "long_n"}};
  for (int k = 0; k < 2; k++) {
    int hm;
    double mean = facts_get(imp, "impact", year, key, means[k][0], &hm);
    double n = facts_get(imp, "impact", year, key, means[k][1], NULL);
    char ms[32] = "–", ns[32];
    if (hm) fmt_be(mean, 1, ms, sizeof ms);
    fmt_be(n, 0, ns, sizeof ns);
    html_raw(b, "<td class=\"n\">");
    html_text(b, ms);
    html_raw(b, " <small>(n = ");
    html_text(b, ns);
    html_raw(b, ")</small></td>");
  }
  double real = facts_get(imp, "impact", year, key, "realised_share", &has);
  cell_pct(b, real, has);
  html_raw(b, "</tr>");
  (void)r;
}

/* Impact: the evidence-informed middle indicators of the 2025-2030 plan per scope the
   user steers, and the mechanisms used. */
static void impact_section(const struct request *r, struct buf *b, const struct model *m,
                           const struct facts *imp, int year, int full, const unsigned char *tv,
                           const unsigned char *av) {
  html_raw(b, "<section class=\"impact\" id=\"impact\"><h2>");
  html_text(b, T(r, W_impact));
  html_raw(b, "</h2><p class=\"muted\">");
  html_text(b, T(r, W_impact_intro));
  html_raw(b, " (");
  html_text(b, T(r, W_imp_threshold));
  html_raw(b, ")</p>");
  /* ten columns: on a phone the table scrolls inside its region, and says so */
  html_raw(b, "<p class=\"scroll-hint muted\" aria-hidden=\"true\">");
  html_text(b, T(r, W_vw_scroll_hint));
  html_raw(b, " &rarr;</p>");
  html_table_open(b, T(r, W_impact), "impact-table", NULL);
  html_text(b, T(r, W_impact));
  html_raw(b, "</caption><thead><tr><th scope=\"col\">");
  html_text(b, T(r, W_imp_scope));
  static const enum word heads[] = {W_imp_active,      W_rep_imp_goal_plan, W_v_phase_explore,
                                    W_v_phase_prepare, W_v_phase_deliver,   W_v_phase_sustain,
                                    W_rep_imp_short,   W_rep_imp_long,      W_rep_imp_realised};
  for (size_t k = 0; k < sizeof heads / sizeof heads[0]; k++) {
    html_raw(b, "</th><th scope=\"col\" class=\"n\">");
    html_text(b, T(r, heads[k]));
  }
  html_raw(b, "</th></tr></thead><tbody>");
  char key[160], label[400];
  if (full) {
    impact_row(r, b, imp, year, "org", T(r, W_organisation));
    impact_row(r, b, imp, year, "unit:pbd", "PBD");
    impact_row(r, b, imp, year, "unit:poc", "POC");
  }
  for (size_t t = 0; t < m->n_teams; t++) {
    if (!full && !(tv && tv[t])) continue;
    snprintf(key, sizeof key, "team:%s", m->teams[t].code);
    impact_row(r, b, imp, year, key, m->teams[t].name);
  }
  if (full) {
    for (size_t l = 0; l < m->n_lines; l++) {
      snprintf(key, sizeof key, "line:%s", m->lines[l].code);
      impact_row(r, b, imp, year, key, m->lines[l].name);
    }
    for (size_t g = 0; g < m->n_goals; g++) {
      snprintf(key, sizeof key, "goal:%s", m->goals[g].code);
      snprintf(label, sizeof label, "%s %s", m->goals[g].code, m->goals[g].name);
      impact_row(r, b, imp, year, key, label);
    }
  }
  for (size_t a = 0; !full && a < m->n_advisors; a++) {
    if (!(av && av[a])) continue;
    snprintf(key, sizeof key, "advisor:%s", m->advisors[a].code);
    impact_row(r, b, imp, year, key, m->advisors[a].name);
  }
  html_raw(b, "</tbody></table></div>");
  /* the mechanisms of the organisation (or of the user's own sessions) */
  const char *mk = "org";
  char own[160];
  if (!full) {
    int me = r->user.advisor_id && r->user.advisor_id <= m->max_advisor_id
                 ? m->advisor_of_id[r->user.advisor_id]
                 : -1;
    if (me < 0) {
      html_raw(b, "</section>");
      return;
    }
    snprintf(own, sizeof own, "advisor:%s", m->advisors[me].code);
    mk = own;
  }
  html_table_open(b, T(r, W_imp_mechanisms), "mechanisms-table", NULL);
  html_text(b, T(r, W_imp_mechanisms));
  html_raw(b, "</caption><thead><tr><th scope=\"col\">");
  html_text(b, T(r, W_mechanisms));
  html_raw(b, "</th><th scope=\"col\" class=\"n\">");
  html_text(b, T(r, W_linked_regs));
  html_raw(b, "</th><th scope=\"col\" class=\"n\">");
  html_text(b, T(r, W_share));
  html_raw(b, "</th></tr></thead><tbody>");
  double total = facts_get(imp, "impact", year, mk, "mech_registrations", NULL);
  for (int k = 0; k < N_MECHANISMS; k++) {
    char col[64], wk[64];
    snprintf(col, sizeof col, "mech_%s", mechanism_names[k]);
    snprintf(wk, sizeof wk, "v_mechanism_%s", mechanism_names[k]);
    double c = facts_get(imp, "impact", year, mk, col, NULL);
    html_raw(b, "<tr><th scope=\"row\">");
    html_text(b, T_named(r, wk));
    html_raw(b, "</th>");
    cell_num(b, c, 0, 1);
    cell_pct(b, total > 0 ? c / total : 0, total > 0);
    html_raw(b, "</tr>");
  }
  html_raw(b, "</tbody></table></div></section>");
}

/* ---- management views (measures/views.h, docs/VIEWS.md) ---- */

static void th_col(const struct request *r, struct buf *b, enum word w, int numeric) {
  if (numeric)
    html_raw(b, "<th scope=\"col\" class=\"n\">");
  else
    html_raw(b, "<th scope=\"col\">");
  html_text(b, T(r, w));
  html_raw(b, "</th>");
}

/* A table with its caption; wide: it may scroll sideways, with a visible hint. */
static void vw_table_open(const struct request *r, struct buf *b, enum word caption, const char *id,
                          int wide) {
  if (wide) {
    html_raw(b, "<p class=\"scroll-hint muted\" aria-hidden=\"true\">");
    html_text(b, T(r, W_vw_scroll_hint));
    html_raw(b, " &rarr;</p>");
  }
  html_table_open(b, T(r, caption), id, wide ? "wide" : NULL);
  html_text(b, T(r, caption));
  html_raw(b, "</caption><thead><tr>");
}

/* Minutes as hours with one decimal: the same text as fmt_be(minutes / 60.0, 1), made from
   the tenths (minutes / 6, rounded half away from zero) in whole numbers. A sixtieth is
   never within a rounding error of a half it is not exactly on, so both round alike; the
   tables of the views have a cell like this for every institution. */
static void cell_hours(struct buf *b, int64_t minutes) {
  int neg = minutes < 0;
  uint64_t m = neg ? 0 - (uint64_t)minutes : (uint64_t)minutes;
  uint64_t tenths = (m + 3) / 6, hours = tenths / 10;
  char whole[48], s[64];
  fmt_be((double)hours, 0, whole, sizeof whole);
  snprintf(s, sizeof s, "%s%s,%d", neg && tenths ? "-" : "", whole, (int)(tenths % 10));
  html_raw(b, "<td class=\"n\">");
  html_text(b, s);
  html_raw(b, "</td>");
}

/* A sparkline of the weekly share of registered time in classroom context (0..100%),
   with the 60% norm as a dashed line; the numbers are in the table below it. */
static void sparkline(struct buf *b, const struct view_line *l, int n_weeks, const char *label) {
  const int w = 96, h = 24;
  html_raw(
      b, "<svg class=\"spark\" width=\"96\" height=\"24\" viewBox=\"0 0 96 24\" role=\"img\" aria-label=\"");
  html_attr(b, label);
  html_raw(b, "\"><line x1=\"0\" x2=\"96\" y1=\"9.6\" y2=\"9.6\" class=\"norm\"/><polyline points=\"");
  int first = 1;
  for (int k = 0; k < n_weeks; k++) {
    if (l->week_registered[k] <= 0) continue;
    double pct = (double)l->week_klv[k] / (double)l->week_registered[k];
    double x = n_weeks > 1 ? (double)k * (w - 4) / (n_weeks - 1) + 2 : w / 2.0;
    double y = (double)h - 2 - pct * (h - 4);
    buf_printf(b, "%s%.1f,%.1f", first ? "" : " ", x, y);
    first = 0;
  }
  html_raw(b, "\"/></svg>");
}

static void views_section(const struct request *r, struct buf *b, const struct model *m,
                          const struct views *v) {
  char s1[64], s2[64];
  html_raw(b, "<section class=\"views\" id=\"views\"><h2>");
  html_text(b, T(r, W_vw_title));
  html_raw(b, "</h2><p class=\"muted\">");
  html_text(b, T(r, v->full                            ? W_vw_intro_org
                    : r->user.role == ROLE_COORDINATOR ? W_vw_intro_team
                                                       : W_vw_intro_own));
  html_raw(b, "</p>");
  if (!v->full && r->user.role == ROLE_COORDINATOR) { /* the report of their team */
    html_raw(b, "<p><a href=\"/rapport\" id=\"team-report\">");
    html_text(b, T(r, W_vw_team_report));
    html_raw(b, "</a></p>");
  }

  /* KLV per line, with its weekly trend */
  vw_table_open(r, b, W_vw_klv_line, "views-klv-line", 0);
  th_col(r, b, W_line, 0);
  th_col(r, b, v->full ? W_num_klv_fte : W_vw_klv_reg, 1);
  html_raw(b, "</tr></thead><tbody>");
  for (size_t i = 0; i < v->n_lines; i++) {
    const struct view_line *l = &v->lines[i];
    const struct line *ln = &m->lines[l->line];
    html_raw(b, "<tr data-line=\"");
    html_attr(b, ln->code);
    html_raw(b, "\"><th scope=\"row\">");
    html_text(b, ln->name);
    html_raw(b, "<br>");
    char label[300];
    snprintf(label, sizeof label, "%s: %s", T(r, W_vw_trend), ln->name);
    sparkline(b, l, v->n_weeks, label);
    if (v->hours_per_fte > 0) { /* the realised FTE of the scope on the line */
      fmt_be((double)l->registered_minutes / 60.0 / v->hours_per_fte, 2, s1, sizeof s1);
      html_raw(b, " <small class=\"muted fte\">");
      html_text(b, s1);
      html_raw(b, " ");
      html_text(b, T(r, W_vw_fte_realised));
      html_raw(b, "</small>");
    }
    html_raw(b, "</th>");
    html_raw(b, "<td class=\"n\">");
    s1[0] = 0;
    if (v->full && l->has_pct) {
      fmt_pct(l->pct_to_date, 0, s1, sizeof s1);
      html_text(b, s1);
      html_raw(b, "<br>");
      status_badge(r, b, l->status);
    } else if (!v->full && l->registered_minutes > 0) {
      double p = (double)l->klv_minutes / (double)l->registered_minutes;
      fmt_pct(p, 0, s1, sizeof s1);
      html_text(b, s1);
      html_raw(b, "<br>");
      status_badge(r, b, indicator_status(p, KLV_NORM));
    } else {
      html_text(b, "–");
    }
    html_raw(b, "</td></tr>");
  }
  html_raw(b, "</tbody></table></div>");
  explain(r, b, v->full ? W_num_def_klv_fte : W_num_def_klv_reg);
  /* the weekly numbers behind the sparklines: weeks as rows, lines as columns */
  if (v->n_lines) {
    html_raw(b, "<details><summary>");
    html_text(b, T(r, W_vw_weekly_table));
    html_raw(b, "</summary>");
    vw_table_open(r, b, W_vw_weekly_table, "views-klv-week", 1);
    th_col(r, b, W_week_of, 0);
    for (size_t i = 0; i < v->n_lines; i++) {
      html_raw(b, "<th scope=\"col\" class=\"n\"><abbr title=\"");
      html_attr(b, m->lines[v->lines[i].line].name);
      html_raw(b, "\">");
      html_text(b, m->lines[v->lines[i].line].code);
      html_raw(b, "</abbr></th>");
    }
    html_raw(b, "</tr></thead><tbody>");
    for (int w = v->n_weeks - 1; w >= 0; w--) {
      int y, mo, d;
      civil_from_days(views_week_monday(v->year, w), &y, &mo, &d);
      snprintf(s1, sizeof s1, "%02d/%02d", d, mo);
      html_raw(b, "<tr><th scope=\"row\">");
      html_text(b, s1);
      html_raw(b, "</th>");
      for (size_t i = 0; i < v->n_lines; i++) {
        const struct view_line *l = &v->lines[i];
        cell_pct(b, l->week_registered[w] > 0 ? (double)l->week_klv[w] / (double)l->week_registered[w] : 0,
                 l->week_registered[w] > 0);
      }
      html_raw(b, "</tr>");
    }
    html_raw(b, "</tbody></table></div></details>");
  }

  /* reach and hits per operational goal */
  vw_table_open(r, b, W_vw_goals, "views-goals", 0);
  th_col(r, b, W_goal, 0);
  th_col(r, b, W_hits, 1);
  th_col(r, b, W_vw_reached, 1);
  html_raw(b, "</tr></thead><tbody>");
  for (size_t i = 0; i < v->n_goals; i++) {
    const struct view_goal *g = &v->goals[i];
    html_raw(b, "<tr><th scope=\"row\">");
    if (g->goal >= 0) {
      html_text(b, m->goals[g->goal].code);
      html_raw(b, " ");
      html_text(b, m->goals[g->goal].name);
    } else {
      html_text(b, T(r, W_vw_no_goal));
    }
    html_raw(b, "</th>");
    cell_num(b, (double)g->hits, 0, 1);
    cell_num(b, (double)g->reached, 0, g->goal >= 0);
    html_raw(b, "</tr>");
  }
  if (!v->n_goals) {
    html_raw(b, "<tr><td colspan=\"3\">");
    html_text(b, T(r, W_no_data));
    html_raw(b, "</td></tr>");
  }
  html_raw(b, "</tbody></table></div>");

  /* hours and reach per target group */
  vw_table_open(r, b, W_vw_groups, "views-groups", 0);
  th_col(r, b, W_target_group, 0);
  th_col(r, b, W_hours, 1);
  th_col(r, b, W_reach, 1);
  html_raw(b, "</tr></thead><tbody>");
  for (size_t i = 0; i < v->n_groups; i++) {
    const struct view_group *g = &v->groups[i];
    html_raw(b, "<tr><th scope=\"row\">");
    html_text(b, m->target_groups[g->group].name);
    html_raw(b, "</th>");
    cell_hours(b, g->minutes);
    fmt_be((double)g->reach, 0, s1, sizeof s1);
    html_raw(b, "<td class=\"n\">");
    html_text(b, s1);
    if (g->target.has_target) { /* against the year's target, pro rata */
      fmt_be(g->target.target_to_date, 0, s2, sizeof s2);
      html_raw(b, "<br><small class=\"muted\">");
      html_text(b, T(r, W_prorata));
      html_raw(b, ": ");
      html_text(b, s2);
      html_raw(b, "</small><br>");
      status_badge(r, b, g->target.status);
    }
    html_raw(b, "</td></tr>");
  }
  html_raw(b, "</tbody></table></div>");

  /* client hours per institution: the ten with the most, then all in a disclosure */
  for (int all = 0; all < 2; all++) {
    if (all) {
      if (v->n_institutions <= 10) break;
      html_raw(b, "<details><summary>");
      html_text(b, T(r, W_vw_all_institutions));
      html_raw(b, "</summary>");
    }
    vw_table_open(r, b, all ? W_vw_all_institutions : W_vw_institutions,
                  all ? "views-institutions-all" : "views-institutions", 0);
    th_col(r, b, W_vw_institution, 0);
    th_col(r, b, W_hours, 1);
    th_col(r, b, W_hits, 1);
    html_raw(b, "</tr></thead><tbody>");
    size_t n = all ? v->n_institutions : (v->n_institutions < 10 ? v->n_institutions : 10);
    for (size_t i = 0; i < n; i++) {
      const struct view_institution *x = &v->institutions[i];
      html_raw(b, "<tr><th scope=\"row\">");
      html_text(b, m->institutions[x->institution].name);
      html_raw(b, " <small class=\"muted\">");
      html_text(b, m->institutions[x->institution].code);
      html_raw(b, "</small></th>");
      cell_hours(b, x->minutes);
      cell_num(b, (double)x->hits, 0, 1);
      html_raw(b, "</tr>");
    }
    html_raw(b, "</tbody></table></div>");
    if (all) html_raw(b, "</details>");
  }

  /* non-classroom time per activity, and the quality reserve */
  vw_table_open(r, b, W_vw_non_classroom, "views-activities", 0);
  th_col(r, b, W_activity, 0);
  th_col(r, b, W_hours, 1);
  th_col(r, b, W_share, 1);
  html_raw(b, "</tr></thead><tbody>");
  static const enum word act_words[N_ACTIVITIES] = {W_act_preparation,
                                                    W_act_follow_up,
                                                    W_act_self_study,
                                                    W_act_internal_meeting,
                                                    W_act_professional_development,
                                                    W_act_quality,
                                                    W_act_other};
  for (int k = 0; k < N_ACTIVITIES; k++) {
    html_raw(b, "<tr data-activity=\"");
    html_attr(b, activity_names[k]);
    html_raw(b, "\"><th scope=\"row\">");
    /* "Nawerking/opvolging" may break after its slash on a phone */
    const char *label = T(r, act_words[k]), *slash = strchr(label, '/');
    if (slash) {
      char head[64];
      snprintf(head, sizeof head, "%.*s", (int)(slash - label + 1), label);
      html_text(b, head);
      html_raw(b, "<wbr>");
      html_text(b, slash + 1);
    } else {
      html_text(b, label);
    }
    html_raw(b, "</th>");
    cell_hours(b, v->activity_minutes[k]);
    cell_pct(b, v->internal_minutes ? (double)v->activity_minutes[k] / (double)v->internal_minutes : 0,
             v->internal_minutes > 0);
    html_raw(b, "</tr>");
  }
  html_raw(b, "<tr class=\"total\"><th scope=\"row\">");
  html_text(b, T(r, W_total));
  html_raw(b, "</th>");
  cell_hours(b, v->internal_minutes);
  cell_pct(b, 1, v->internal_minutes > 0);
  html_raw(b, "</tr></tbody></table></div>");
  if (v->quality.has_target) {
    html_raw(b, "<div class=\"tile\" id=\"quality-reserve\"><h3>");
    html_text(b, T(r, W_vw_quality_reserve));
    html_raw(b, "</h3><dl><dt>");
    html_text(b, T(r, W_vw_registered_quality));
    html_raw(b, "</dt><dd>");
    fmt_be((double)v->activity_minutes[5] / 60.0, 1, s1, sizeof s1);
    html_text(b, s1);
    html_raw(b, " u ");
    status_badge(r, b, v->quality.status);
    html_raw(b, "</dd><dt>");
    html_text(b, T(r, W_prorata));
    html_raw(b, "</dt><dd>");
    fmt_be(v->quality.target_to_date, 1, s1, sizeof s1);
    html_text(b, s1);
    html_raw(b, " u</dd><dt>");
    html_text(b, T(r, W_vw_reserve_year));
    html_raw(b, "</dt><dd>");
    fmt_be(v->quality.target, 1, s1, sizeof s1);
    html_text(b, s1);
    html_raw(b, " u</dd></dl></div>");
  }

  /* each advisor's planned split over lines against what they registered */
  if (!v->n_splits) {
    html_raw(b, "<h3>");
    html_text(b, T(r, W_vw_split));
    html_raw(b, "</h3><p class=\"muted\" id=\"views-split-none\">");
    html_text(b, T(r, W_vw_split_none));
    html_raw(b, "</p>");
  } else {
    int cw = v->n_weeks - 1; /* the current week */
    /* one group of rows per advisor: the line (planned FTE under it), year to date and
       this week as planned / registered hours, and the status */
    html_raw(b, "<p class=\"muted\">");
    html_text(b, T(r, W_vw_split_legend));
    html_raw(b, "</p>");
    vw_table_open(r, b, W_vw_split, "views-split", 0);
    th_col(r, b, W_line, 0);
    th_col(r, b, W_vw_split_to_date, 1);
    th_col(r, b, W_vw_split_week, 1);
    html_raw(b, "</tr></thead><tbody>");
    for (size_t i = 0; i < v->n_splits; i++) {
      const struct view_split *x = &v->splits[i];
      if (i == 0 || v->splits[i - 1].advisor != x->advisor) {
        html_raw(b, "<tr class=\"total\" data-advisor=\"");
        html_attr(b, m->advisors[x->advisor].code);
        html_raw(b, "\"><th scope=\"rowgroup\" colspan=\"3\">");
        html_text(b, m->advisors[x->advisor].name);
        html_raw(b, "</th></tr>");
      }
      html_raw(b, "<tr data-line=\"");
      html_attr(b, m->lines[x->line].code);
      html_raw(b, "\"><th scope=\"row\">");
      html_text(b, m->lines[x->line].name);
      html_raw(b, "<br><small class=\"muted\">");
      if (x->in_plan) {
        fmt_be(x->planned_fte, 2, s1, sizeof s1);
        html_text(b, s1);
        html_raw(b, " FTE");
      } else {
        html_text(b, T(r, W_vw_split_outside));
      }
      html_raw(b, "</small></th>");
      fmt_be(x->planned_hours_to_date, 1, s1, sizeof s1);
      fmt_be((double)x->minutes_to_date / 60.0, 1, s2, sizeof s2);
      html_raw(b, "<td class=\"n\">");
      html_text(b, s1);
      html_raw(b, " / ");
      html_text(b, s2);
      if (x->in_plan) {
        html_raw(b, "<br>");
        status_badge(r, b, x->status);
      }
      html_raw(b, "</td>");
      fmt_be(cw >= 0 ? x->week[cw].planned_hours : 0, 1, s1, sizeof s1);
      fmt_be(cw >= 0 ? (double)x->week[cw].minutes / 60.0 : 0, 1, s2, sizeof s2);
      html_raw(b, "<td class=\"n\">");
      html_text(b, s1);
      html_raw(b, " / ");
      html_text(b, s2);
      html_raw(b, "</td></tr>");
    }
    html_raw(b, "</tbody></table></div>");
  }

  /* professional development against the norm */
  html_raw(b, "<div class=\"tile\" id=\"pd-spend\"><h3>");
  html_text(b, T(r, W_vw_pd));
  html_raw(b, "</h3><dl><dt>");
  html_text(b, T(r, W_vw_pd_average));
  html_raw(b, "</dt><dd id=\"pd-average\">");
  if (v->has_pd_average) {
    fmt_be(v->pd_average, 0, s1, sizeof s1);
    html_text(b, s1);
    html_raw(b, " EUR ");
    status_badge(r, b, v->pd_norm.status);
  } else {
    html_text(b, "–");
  }
  html_raw(b, "</dd><dt>");
  html_text(b, T(r, W_vw_pd_norm));
  html_raw(b, "</dt><dd>");
  fmt_be(PD_NORM_EUR, 0, s1, sizeof s1);
  html_text(b, s1);
  html_raw(b, " EUR</dd><dt>");
  html_text(b, T(r, W_prorata));
  html_raw(b, "</dt><dd>");
  fmt_be(PD_NORM_EUR * v->share, 0, s1, sizeof s1);
  html_text(b, s1);
  html_raw(b, " EUR</dd><dt>");
  html_text(b, T(r, W_vw_pd_employed));
  html_raw(b, "</dt><dd>");
  fmt_be((double)v->pd_advisors, 0, s1, sizeof s1);
  html_text(b, s1);
  html_raw(b, "</dd></dl></div>");
  if (v->n_pd) {
    html_raw(b, "<details><summary>");
    html_text(b, T(r, W_vw_pd));
    html_raw(b, "</summary>");
    vw_table_open(r, b, W_vw_pd, "views-pd", 0);
    th_col(r, b, W_advisor, 0);
    th_col(r, b, W_vw_pd_amount, 1);
    html_raw(b, "</tr></thead><tbody>");
    for (size_t i = 0; i < v->n_pd; i++) {
      html_raw(b, "<tr><th scope=\"row\">");
      html_text(b, m->advisors[v->pd[i].advisor].name);
      html_raw(b, "</th>");
      cell_num(b, v->pd[i].amount_eur, 2, 1);
      html_raw(b, "</tr>");
    }
    html_raw(b, "</tbody></table></div></details>");
  }
  html_raw(b, "</section>");
}

void page_dashboard(struct request *r, struct response *resp) {
  struct buf *b = &resp->body;
  char err[512];
  /* one read transaction: the revision token and what is computed (or found in the
     cache under that token) are of the same snapshot */
  db_begin_read(r->db);
  int64_t token = 0, ref_token = 0;
  const struct model *m = NULL;
  struct cache_ref *model_ref = NULL, *years_ref = NULL, *facts_ref = NULL, *weekly_ref = NULL;
  const struct years *yl = NULL;
  /* under a stream of writes: the facts of a read at most CACHE_STALE_MS old, unless this
     user wrote since; the server refreshes it in the background (measures/cache.h) */
  struct cache_view view = {0};
  int rev_ok = db_revision(r->db, &token, &ref_token) == 0;
  if (rev_ok) {
    token = cache_view_begin(&view, db_service(r->db), token, r->user.id, r->background);
    r->refresh_due = view.refresh_due;
  }
  if (!rev_ok || !(yl = cached_years(r->db, token, &years_ref, err, sizeof err)) ||
      !(m = cached_model(r->db, ref_token, &model_ref, err, sizeof err))) {
    cache_view_end(&view, 0);
    db_rollback(r->db);
    cache_release(years_ref);
    page_error(r, resp, 500);
    return;
  }
  const int *years = yl->years;
  int n_years = yl->n;
  int32_t today = bounds_today(); /* Europe/Brussels, or BEREIK_TODAY */
  int year = facts_default_year(years, n_years, today);
  const char *want = req_query(r, "jaar");
  int wy;
  if (want && school_year_parse(want, &wy) == 0) year = wy;
  const struct facts *fx = cached_facts(r->db, token, m, &year, 1, &facts_ref, err, sizeof err);
  const struct weekly *wk = fx ? cached_weekly(r->db, token, m, year, &weekly_ref, err, sizeof err) : NULL;
  /* the impact measures of the year, and indicator 4's baseline (nulmeting): the pilot
     year 2025-2026 beside the targets from 2026-2027 (docs/IMPACT.md) */
  struct cache_ref *impact_ref = NULL, *base_ref = NULL;
  const struct facts *imp =
      fx ? cached_impact(r->db, token, m, &year, 1, today, &impact_ref, err, sizeof err) : NULL;
  int base_year = BASELINE_YEAR;
  const struct facts *base = fx && year > base_year
                                 ? cached_facts(r->db, token, m, &base_year, 1, &base_ref, err, sizeof err)
                                 : NULL;
  if (!fx || !imp) {
    cache_view_end(&view, 0);
    cache_release(facts_ref);
    cache_release(impact_ref);
    cache_release(base_ref);
    db_rollback(r->db);
    cache_release(model_ref);
    cache_release(years_ref);
    page_error(r, resp, 500);
    return;
  }
  /* the main part depends only on the data (token), the year, the day (pro rata), the
     language and who looks (role and advisor): rendered once per such combination */
  char frag_key[128];
  snprintf(frag_key, sizeof frag_key, "dashboard:%d:%d:%s:%d:%lld", year, (int)today,
           r->lang ? r->lang : "nl", r->user.role, (long long)r->user.advisor_id);
  size_t frag_len = 0;
  struct cache_ref *frag_ref = NULL;
  const char *frag = cache_text_get(db_service(r->db), frag_key, token, &frag_len, &frag_ref);
  /* the management views in the user's scope, in the same snapshot (only when the
     fragment is to be rendered) */
  struct views vw;
  int have_views = 0;
  if (!frag) {
    struct visibility vv;
    user_visibility(&r->user, m, &vv);
    unsigned char *vtv, *vav;
    visibility_masks(&vv, m, &vtv, &vav);
    have_views = views_compute(r->db, m, fx, year, today, vv.full ? NULL : vav, &vw, err, sizeof err) == 0;
    free(vtv);
    free(vav);
  }
  db_commit(r->db);
  char ys[10];
  school_year_format(year, ys);

  page_begin(r, resp, T(r, W_nav_dashboard));
  if (frag) {
    resp_append_cached(resp, db_service(r->db), frag_key, token, frag, frag_len);
    cache_release(frag_ref);
    cache_view_end(&view, 1);
    page_end(r, resp);
    cache_release(facts_ref);
    cache_release(weekly_ref);
    cache_release(impact_ref);
    cache_release(base_ref);
    cache_release(model_ref);
    cache_release(years_ref);
    return;
  }
  size_t frag_start = b->len;
  { /* the years with data and the year shown (the current one may have none yet) */
    int opts[64], n_opts = 0, put = 0;
    for (int i = 0; i < n_years && n_opts < 63; i++) {
      if (!put && year >= years[i]) {
        if (year > years[i]) opts[n_opts++] = year;
        put = 1;
      }
      opts[n_opts++] = years[i];
    }
    if (!put) opts[n_opts++] = year;
    year_filter(r, resp, "/dashboard", opts, n_opts, year);
  }

  /* who sees what: director and admin everything; a coordinator the teams of their
     advisor record and its members; an advisor themselves and their teams */
  struct visibility vis;
  user_visibility(&r->user, m, &vis);
  int full = vis.full;
  unsigned char *tv, *av;
  visibility_masks(&vis, m, &tv, &av);
  struct indicator_view v; /* the same view GET /api/v1/indicators gives as JSON */
  indicator_view_build(fx, m, year, today, full, tv, av, &v);

  if (full) {
    html_raw(b, "<div class=\"tiles\">");
    tile(r, b, W_ind1, W_num_ind1_explain, v.fte.actual, v.fte.has_actual, v.fte.target, v.fte.target_to_date,
         -1, NULL);
    char hits[32];
    fmt_be(v.hits, 0, hits, sizeof hits);
    tile(r, b, W_ind2, W_num_ind2_explain, v.reach.actual, v.reach.has_actual, v.reach.target,
         v.reach.target_to_date, W_hits, hits);
    tile(r, b, W_ind3, W_num_ind3_explain, v.klv.pct, v.klv.has_pct, KLV_NORM, KLV_NORM, -1, NULL);
    /* indicator 4: the groups with a target */
    html_raw(b, "<section class=\"tile\"><h2>");
    html_text(b, T(r, W_ind4));
    html_raw(b, "</h2>");
    explain(r, b, W_num_ind4_explain);
    html_raw(b, "<dl class=\"tg\">");
    for (size_t k = 0; k < v.n_groups; k++) {
      const struct indicator_value *g = &v.groups[k].reach;
      char a[32], t[32];
      fmt_be(g->actual, 0, a, sizeof a);
      fmt_be(g->target, 0, t, sizeof t);
      html_raw(b, "<dt>");
      html_text(b, m->target_groups[v.groups[k].group].name);
      html_raw(b, "</dt><dd>");
      html_text(b, a);
      html_raw(b, " / ");
      html_text(b, t);
      html_raw(b, " ");
      status_badge(r, b, g->status);
      int hb;
      double bv = base ? facts_get(base, "target_groups", base_year, m->target_groups[v.groups[k].group].code,
                                   "reach", &hb)
                       : 0;
      if (base && hb) {
        char bs[32];
        fmt_be(bv, 0, bs, sizeof bs);
        html_raw(b, "<br><small>");
        html_text(b, T(r, W_imp_baseline));
        html_raw(b, ": ");
        html_text(b, bs);
        html_raw(b, "</small>");
      }
      html_raw(b, "</dd>");
    }
    if (!v.n_groups) {
      html_raw(b, "<dt>");
      html_text(b, T(r, W_no_data));
      html_raw(b, "</dt><dd></dd>");
    }
    html_raw(b, "</dl></section></div>");
    status_legend(r, b, v.share);

    /* the weekly KLV follow-up (share of registered time in classroom context) and the
       FTE realised against planned per line, each chart with its table */
    if (wk) {
      const int64_t *wreg = wk->registered, *wklv = wk->klv;
      double pct[FACTS_WEEKS];
      unsigned char present[FACTS_WEEKS];
      char labels_buf[FACTS_WEEKS][16];
      const char *labels[FACTS_WEEKS];
      int32_t first = school_year_first_day(year);
      int32_t monday = first - (int32_t)(((first % 7) + 7 + 3) % 7);
      int nweeks = 0;
      for (int w = 0; w < FACTS_WEEKS; w++) {
        if (monday + 7 * w > school_year_last_day(year)) break;
        int y, mo, d;
        civil_from_days(monday + 7 * w, &y, &mo, &d);
        snprintf(labels_buf[w], sizeof labels_buf[w], "%02d/%02d", d, mo);
        labels[w] = labels_buf[w];
        present[w] = wreg[w] > 0;
        pct[w] = wreg[w] > 0 ? (double)wklv[w] / (double)wreg[w] : 0;
        nweeks = w + 1;
      }
      struct chart_series series = {T(r, W_num_klv_reg_short), pct, present, nweeks};
      struct chart_ref refs[2] = {{KLV_NORM, T(r, W_norm_label)}, {KLV_FLOOR, T(r, W_floor_label)}};
      struct chart c = {.id = "klv-week",
                        .title = T(r, W_chart_klv_week),
                        .labels = labels,
                        .n_labels = nweeks,
                        .series = &series,
                        .n_series = 1,
                        .refs = refs,
                        .n_refs = 2,
                        .percent = 1,
                        .empty_text = T(r, W_no_data),
                        .label_header = T(r, W_week_of)};
      html_raw(b, "<section class=\"chart\"><h2>");
      html_text(b, T(r, W_chart_klv_week));
      html_raw(b, "</h2>");
      explain(r, b, W_num_chart_klv_week_explain);
      chart_line(b, &c);
      html_raw(b, "<details><summary>");
      html_text(b, T(r, W_as_table));
      html_raw(b, "</summary>");
      chart_table(b, &c);
      html_raw(b, "</details></section>");
    }
    {
      double planned[64], realised[64];
      unsigned char has_p[64], has_r[64];
      const char *labels[64];
      int nl = 0;
      for (size_t i = 0; i < v.n_lines && nl < 64; i++) {
        const struct indicator_line *l = &v.lines[i];
        planned[nl] = l->planned_fte;
        realised[nl] = l->realized_fte;
        has_p[nl] = (unsigned char)l->has_planned;
        has_r[nl] = (unsigned char)l->has_realized;
        labels[nl++] = m->lines[l->line].name; /* names, as in the table */
      }
      struct chart_series series[2] = {{T(r, W_planned_fte), planned, has_p, nl},
                                       {T(r, W_realized_fte), realised, has_r, nl}};
      struct chart c = {.id = "fte-lines",
                        .title = T(r, W_chart_fte),
                        .labels = labels,
                        .n_labels = nl,
                        .series = series,
                        .n_series = 2,
                        .decimals = 2,
                        .horizontal = 1,
                        .empty_text = T(r, W_no_data),
                        .label_header = T(r, W_line)};
      html_raw(b, "<section class=\"chart\"><h2>");
      html_text(b, T(r, W_chart_fte));
      html_raw(b, "</h2>");
      chart_bars(b, &c);
      html_raw(b, "<details><summary>");
      html_text(b, T(r, W_as_table));
      html_raw(b, "</summary>");
      chart_table(b, &c);
      html_raw(b, "</details></section>");
    }

    /* per line */
    html_table_open(b, T(r, W_per_line), "per-line", "cards");
    html_text(b, T(r, W_per_line));
    html_raw(b, "</caption><thead><tr><th scope=\"col\">");
    html_text(b, T(r, W_line));
    /* the key column (indicator 1) first */
    static const enum word heads[] = {W_num_realisation_col, W_planned_fte, W_realized_fte, W_klv_hours,
                                      W_client_hours};
    for (int k = 0; k < 5; k++) {
      html_raw(b, "</th><th scope=\"col\" class=\"n\">");
      html_text(b, T(r, heads[k]));
    }
    html_raw(b, "</th></tr></thead><tbody>");
    for (size_t i = 0; i < v.n_lines; i++) {
      const struct indicator_line *l = &v.lines[i];
      html_raw(b, "<tr data-line=\"");
      html_attr(b, m->lines[l->line].code);
      html_raw(b, "\"><th scope=\"row\">");
      html_text(b, m->lines[l->line].name);
      html_raw(b, "</th>");
      lcell(b, T(r, W_num_realisation_col), l->realization_pct, 0, 1, l->has_pct);
      lcell(b, T(r, W_planned_fte), l->planned_fte, 2, 0, l->has_planned);
      lcell(b, T(r, W_realized_fte), l->realized_fte, 2, 0, l->has_realized);
      lcell(b, T(r, W_klv_hours), l->klv_hours, 1, 0, 1);
      lcell(b, T(r, W_client_hours), l->client_hours, 1, 0, 1);
      html_raw(b, "</tr>");
    }
    html_raw(b, "</tbody></table></div>");
    explain_list(r, b, "explain-lines",
                 (const enum word[]){W_num_def_realisation, W_num_def_planned_fte, W_num_def_realized_fte,
                                     W_num_def_klv_hours, W_num_def_client_hours},
                 5);
  }

  if (full) { /* organisation and units (PBD, POC) */
    klv_table_head(r, b, W_per_unit, W_unit);
    klv_row(r, b, &v.klv, T(r, W_organisation));
    for (int k = 0; k < 2; k++) klv_row(r, b, &v.units[k], indicator_units[k][1]);
    html_raw(b, "</tbody></table></div>");
  }
  if (!full) status_legend(r, b, v.share); /* the tiles' legend is the organisation's */
  klv_table_head(r, b, W_per_team, W_team);
  for (size_t t = 0; t < v.n_teams; t++) klv_row(r, b, &v.teams[t].klv, m->teams[v.teams[t].index].name);
  html_raw(b, "</tbody></table></div>");
  klv_table_head(r, b, W_per_advisor, W_advisor);
  for (size_t a = 0; a < v.n_advisors; a++)
    klv_row(r, b, &v.advisors[a].klv, m->advisors[v.advisors[a].index].name);
  html_raw(b, "</tbody></table></div>");
  explain_list(r, b, "explain-klv",
               (const enum word[]){W_num_def_klv_fte, W_num_def_fte_hours, W_num_def_klv_hours}, 3);
  indicator_view_free(&v);
  if (have_views) {
    views_section(r, b, m, &vw);
    views_free(&vw);
  }
  impact_section(r, b, m, imp, year, full, tv, av);
  free(tv);
  free(av);
  html_raw(b, "<p class=\"muted\">");
  html_text(b, T(r, W_schoolyear));
  html_raw(b, " ");
  html_text(b, ys);
  html_raw(b, "</p>");
  cache_text_put(db_service(r->db), frag_key, token, b->data + frag_start, b->len - frag_start);
  /* the server compresses it once, with the text (in the background for a refresh) */
  resp_mark_cached(resp, db_service(r->db), frag_key, token, frag_start, b->len - frag_start);
  cache_view_end(&view, 1);
  page_end(r, resp);
  cache_release(impact_ref);
  cache_release(base_ref);
  cache_release(facts_ref);
  cache_release(weekly_ref);
  cache_release(model_ref);
  cache_release(years_ref);
}
