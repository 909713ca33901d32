/* SPDX-License-Identifier: EUPL-1.2 */
/* Trajecten (docs/IMPACT.md): the trajectories the user follows (an advisor their own; a
   coordinator their teams'; the director and admins all), each with its institution's
   reach status in the school year under that year's rule and, when not reached, the
   condition that is missing; then the own institutions not reached yet, per advisor (an
   institution belongs to the advisors of its trajectories), and reached per board. A
   button opens a new trajectory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/model.h"
#include "domain/trajectory.h"
#include "http/auth.h"
#include "measures/cache.h"
#include "measures/facts.h"
#include "render/html.h"
#include "web/pages/pages.h"

static const enum word rule_keys[] = {W_rule_hours, W_rule_contact, W_rule_trajectory};
static const enum word phase_words[N_PHASES] = {W_v_phase_explore, W_v_phase_prepare, W_v_phase_deliver,
                                                W_v_phase_sustain};

/* (owner, institution): owner an advisor or a team index; rank orders the institutions by
   code within an owner's list */
struct pair {
  int owner, rank, inst;
};
static int pair_cmp(const void *a, const void *b) {
  const struct pair *x = a, *y = b;
  return x->owner != y->owner ? (x->owner > y->owner) - (x->owner < y->owner)
                              : (x->rank > y->rank) - (x->rank < y->rank);
}
static void pair_add(struct pair **v, size_t *n, size_t *cap, int owner, int rank, int inst) {
  grow_array((void **)v, cap, *n + 1, sizeof **v);
  (*v)[(*n)++] = (struct pair){owner, rank, inst};
}
struct coded {
  const char *code;
  int i;
};
static int coded_cmp(const void *a, const void *b) {
  return strcmp(((const struct coded *)a)->code, ((const struct coded *)b)->code);
}
/* rank[i]: the place of institution i in the order of the codes */
static int *rank_by_code(const struct model *m) {
  struct coded *c = xmalloc(sizeof *c * (m->n_institutions + 1));
  int *rank = xmalloc(sizeof *rank * (m->n_institutions + 1));
  for (size_t i = 0; i < m->n_institutions; i++) c[i] = (struct coded){m->institutions[i].code, (int)i};
  qsort(c, m->n_institutions, sizeof *c, coded_cmp);
  for (size_t k = 0; k < m->n_institutions; k++) rank[c[k].i] = (int)k;
  free(c);
  return rank;
}

/* The teams whose list the user sees: every team for the director and admins, a
   coordinator's own teams; advisors see only their own list. */
static int team_shown(const struct model *m, const struct user *u, int me, int team) {
  if (u->role == ROLE_DIRECTOR || u->role == ROLE_ADMIN) return 1;
  if (u->role != ROLE_COORDINATOR || me < 0) return 0;
  for (int j = 0; j < m->advisors[me].n_teams; j++)
    if (m->advisors[me].teams[j] == team) return 1;
  return 0;
}

/* One list per owner (team or advisor) of the institutions not reached yet, each with the
   condition that is missing; the pairs are sorted and made unique here. */
static void not_reached_lists(const struct request *r, struct buf *b, const struct model *m, struct pair *v,
                              size_t n, int teams, const unsigned char *missing) {
  qsort(v, n, sizeof *v, pair_cmp);
  for (size_t k = 0; k < n; k++) {
    if (k && v[k].owner == v[k - 1].owner && v[k].rank == v[k - 1].rank) continue;
    if (!k || v[k].owner != v[k - 1].owner) {
      if (k) html_raw(b, "</ul>");
      html_raw(b, "<h4>");
      html_text(b, teams ? m->teams[v[k].owner].name : m->advisors[v[k].owner].name);
      html_raw(b, "</h4><ul class=\"not-reached\">");
    }
    const struct institution *in = &m->institutions[v[k].inst];
    html_raw(b, "<li><strong>");
    html_text(b, in->code);
    html_raw(b, "</strong> ");
    html_text(b, in->name);
    html_raw(b, ": ");
    reach_status(r, b, 0, missing[v[k].inst]);
    html_raw(b, "</li>");
  }
  if (n) html_raw(b, "</ul>");
}

static void th(const struct request *r, struct buf *b, enum word w) {
  html_raw(b, "<th scope=\"col\">");
  html_text(b, T(r, w));
  html_raw(b, "</th>");
}

/* A cell that names its column (a phone shows the rows as cards: table.cards). */
static void td(const struct request *r, struct buf *b, enum word w) {
  html_raw(b, "<td data-label=\"");
  html_attr(b, T(r, w));
  html_raw(b, "\">");
}

void page_trajectories(struct request *r, struct response *resp) {
  struct buf *b = &resp->body;
  char err[256];
  struct model m;
  int *years = NULL, n = 0;
  db_begin_read(r->db);
  if (facts_years_with_data(r->db, &years, &n, err, sizeof err) != 0 ||
      model_load(r->db, &m, err, sizeof err) != 0) {
    db_rollback(r->db);
    free(years);
    page_error(r, resp, 500);
    return;
  }
  int year = facts_default_year(years, n, date_brussels((time_t)r->now));
  const char *want = req_query(r, "jaar");
  int wy;
  if (want && school_year_parse(want, &wy) == 0) year = wy;
  int64_t token = 0;
  struct cache_ref *reach_ref = NULL;
  const struct reach_detail *rd = db_revision(r->db, &token, NULL) == 0
                                      ? cached_reach(r->db, token, &m, year, &reach_ref, err, sizeof err)
                                      : NULL;
  if (!rd) {
    db_rollback(r->db);
    free(years);
    model_free(&m);
    page_error(r, resp, 500);
    return;
  }
  db_commit(r->db);
  const unsigned char *reached = rd->reached, *missing = rd->missing;

  char ys[10];
  school_year_format(year, ys);
  struct setting s = model_setting(&m, year);
  int32_t first = school_year_first_day(year), last = school_year_last_day(year);
  int32_t today = date_brussels((time_t)r->now);
  int32_t on = today < last ? (today < first ? first : today) : last;
  page_begin(r, resp, T(r, W_nav_trajectories));
  year_filter(r, resp, "/trajecten", years, n, year);
  html_raw(b, "<p class=\"muted\">");
  html_text(b, T(r, W_reach_rule));
  html_raw(b, " ");
  html_text(b, ys);
  html_raw(b, ": ");
  html_text(b, T(r, rule_keys[s.rule]));
  html_raw(b, "</p><p><a class=\"button\" href=\"/traject\">");
  html_text(b, T(r, W_traj_new));
  html_raw(b, "</a></p>");

  /* the trajectories the user follows, active in the year */
  unsigned char *mine = calloc(m.n_trajectories + 1, 1);
  unsigned char *inst_mine = calloc(m.n_institutions + 1, 1);
  int any = 0;
  for (size_t t = 0; mine && inst_mine && t < m.n_trajectories; t++) {
    const struct trajectory *tr = &m.trajectories[t];
    if (!ranges_overlap(tr->start, tr->end, first, last)) continue;
    if (trajectory_access(&m, &r->user, (int)t) == TRAJ_NONE) continue;
    mine[t] = 1;
    inst_mine[tr->institution] = 1;
    any = 1;
  }
  if (!any) {
    html_raw(b, "<h2>");
    html_text(b, T(r, r->user.role == ROLE_ADVISOR ? W_traj_mine : W_traj_all_visible));
    html_raw(b, "</h2>");
    html_raw(b, "<p class=\"muted\">");
    html_text(b, T(r, W_none));
    html_raw(b, "</p>");
  } else {
    html_table_open(b, T(r, W_traj_mine), "trajectories", "data cards");
    html_raw(b, "<h2>");
    html_text(b, T(r, r->user.role == ROLE_ADVISOR ? W_traj_mine : W_traj_all_visible));
    html_raw(b, "</h2></caption><thead><tr>");
    th(r, b, W_col_id);
    th(r, b, W_traj_institution);
    th(r, b, W_goal);
    th(r, b, W_traj_level);
    th(r, b, W_traj_status);
    th(r, b, W_phase);
    th(r, b, W_traj_reach);
    html_raw(b, "</tr></thead><tbody>");
    for (size_t t = 0; t < m.n_trajectories; t++) {
      if (!mine[t]) continue;
      const struct trajectory *tr = &m.trajectories[t];
      const struct institution *in = &m.institutions[tr->institution];
      html_raw(b, "<tr><td class=\"title\"><a href=\"/traject?id=");
      html_url(b, tr->ext_id);
      html_raw(b, "\">");
      html_text(b, tr->ext_id);
      html_raw(b, "</a></td>");
      td(r, b, W_traj_institution);
      html_text(b, in->code);
      html_raw(b, " · ");
      html_text(b, in->name);
      html_raw(b, "</td>");
      td(r, b, W_goal);
      html_text(b, tr->goal >= 0 ? m.goals[tr->goal].code : tr->line >= 0 ? m.lines[tr->line].code : "–");
      html_raw(b, "</td>");
      td(r, b, W_traj_level);
      html_text(b, !tr->level                    ? "–"
                   : !strcmp(tr->level, "meso")  ? "MESO"
                   : !strcmp(tr->level, "micro") ? "MICRO"
                                                 : tr->level);
      html_raw(b, "</td>");
      td(r, b, W_traj_status);
      char key[48];
      snprintf(key, sizeof key, "status_%s", tr->status);
      html_text(b, T_named(r, key));
      html_raw(b, "</td>");
      td(r, b, W_phase);
      int ph = trajectory_phase_on(tr, on);
      html_text(b, ph >= 0 ? T(r, phase_words[ph]) : T(r, W_phase_none));
      html_raw(b, "</td>");
      td(r, b, W_traj_reach);
      reach_status(r, b, reached[tr->institution], missing[tr->institution]);
      html_raw(b, "</td></tr>");
    }
    html_raw(b, "</tbody></table></div>");
  }

  /* not reached yet, per team and per advisor of the trajectories the user follows: the
     pairs (advisor, institution) through the institutions' trajectories (model inst_traj) */
  html_raw(b, "<h2>");
  html_text(b, T(r, W_not_reached_list));
  html_raw(b, " ");
  html_text(b, ys);
  html_raw(b, "</h2>");
  int me = r->user.advisor_id > 0 && r->user.advisor_id <= m.max_advisor_id
               ? m.advisor_of_id[r->user.advisor_id]
               : -1;
  struct pair *adv_pairs = NULL, *team_pairs = NULL;
  size_t n_adv = 0, n_team = 0, cap_adv = 0, cap_team = 0;
  int *rank = rank_by_code(&m);
  for (size_t i = 0; mine && i < m.n_institutions; i++) {
    const struct institution *in = &m.institutions[i];
    if (!in->own || reached[i] || !ranges_overlap(in->start, in->end, first, last)) continue;
    for (int x = m.inst_traj_start[i]; x < m.inst_traj_start[i + 1]; x++) {
      const struct trajectory *tr = &m.trajectories[m.inst_traj[x]];
      if (!mine[m.inst_traj[x]]) continue;
      for (int k = 0; k < tr->n_advisors; k++) {
        int a = tr->advisors[k];
        if (r->user.role == ROLE_ADVISOR && a != me) continue;
        pair_add(&adv_pairs, &n_adv, &cap_adv, a, rank[i], (int)i);
        for (int j = 0; j < m.advisors[a].n_teams; j++)
          if (team_shown(&m, &r->user, me, m.advisors[a].teams[j]))
            pair_add(&team_pairs, &n_team, &cap_team, m.advisors[a].teams[j], rank[i], (int)i);
      }
    }
  }
  if (!n_adv) {
    html_raw(b, "<p class=\"muted\">");
    html_text(b, T(r, W_none));
    html_raw(b, "</p>");
  }
  if (n_team) {
    html_raw(b, "<h3>");
    html_text(b, T(r, W_per_team));
    html_raw(b, "</h3>");
    not_reached_lists(r, b, &m, team_pairs, n_team, 1, missing);
  }
  if (n_adv) {
    if (n_team) {
      html_raw(b, "<h3>");
      html_text(b, T(r, W_per_advisor));
      html_raw(b, "</h3>");
    }
    not_reached_lists(r, b, &m, adv_pairs, n_adv, 0, missing);
  }
  free(adv_pairs);
  free(team_pairs);
  free(rank);

  /* reached per board (the institutions the user's trajectories concern) */
  html_table_open(b, T(r, W_traj_by_board), "boards", "data");
  html_raw(b, "<h2>");
  html_text(b, T(r, W_traj_by_board));
  html_raw(b, "</h2></caption><thead><tr>");
  th(r, b, W_traj_board);
  th(r, b, W_imp_reached);
  th(r, b, W_institutions);
  html_raw(b, "</tr></thead><tbody>");
  for (size_t bd = 0; bd <= m.n_institutions; bd++) {
    int total = 0, hit = 0;
    for (size_t i = 0; i < m.n_institutions; i++) {
      const struct institution *in = &m.institutions[i];
      int board = in->board;
      if (bd == m.n_institutions ? board >= 0 : board != (int)bd) continue;
      if (!in->own || !ranges_overlap(in->start, in->end, first, last) || !inst_mine || !inst_mine[i])
        continue;
      total++;
      hit += reached[i];
    }
    if (!total) continue;
    html_raw(b, "<tr><td>");
    html_text(b, bd == m.n_institutions ? "–" : m.institutions[bd].name);
    html_raw(b, "</td><td class=\"n\">");
    html_textf(b, "%d", hit);
    html_raw(b, "</td><td class=\"n\">");
    html_textf(b, "%d", total);
    html_raw(b, "</td></tr>");
  }
  html_raw(b, "</tbody></table></div>");
  page_end(r, resp);
  free(mine);
  free(inst_mine);
  cache_release(reach_ref);
  free(years);
  model_free(&m);
}
