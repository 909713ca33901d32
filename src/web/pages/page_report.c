/* SPDX-License-Identifier: EUPL-1.2 */
/* Rapport: the tables of DOMAIN.md section 6 for one to five school years side by side,
   newest first, in the order and wording of the published report, with Belgian number
   formatting. Every number is a fact of src/measures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "db/db.h"
#include "domain/model.h"
#include "measures/facts.h"
#include "web/chart.h"
#include "web/html.h"
#include "web/pages/pages.h"

struct report {
  const struct request *r;
  struct buf *b;
  const struct model *m;
  const struct facts *f;
  const int *years;
  int n;
};

static void num_cell(struct buf *b, const struct facts *f, const char *table, int y, const char *row,
                     const char *col, int decimals, int pct) {
  int found;
  double v = facts_get(f, table, y, row, col, &found);
  char s[64] = "–"; /* absent: zero for a quantity, undefined for a ratio */
  if (found && pct)
    fmt_pct(v, decimals, s, sizeof s);
  else if (found)
    fmt_be(v, decimals, s, sizeof s);
  html_raw(b, "<td class=\"n\">");
  html_text(b, s);
  html_raw(b, "</td>");
}

static void table_begin(struct report *rp, const char *caption, const char *const *heads, int nheads) {
  struct buf *b = rp->b;
  html_raw(b, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
  html_attr(b, caption);
  html_raw(b, "\"><table><caption>");
  html_text(b, caption);
  html_raw(b, "</caption><thead><tr><th scope=\"col\"></th>");
  for (int k = 0; k < rp->n; k++)
    for (int h = 0; h < nheads; h++) {
      char y[10];
      school_year_format(rp->years[k], y);
      html_raw(b, "<th scope=\"col\" class=\"n\">");
      html_text(b, y);
      if (heads[h][0]) {
        html_raw(b, "<br>");
        html_text(b, heads[h]);
      }
      html_raw(b, "</th>");
    }
  html_raw(b, "</tr></thead><tbody>");
}

static void table_end(struct report *rp) { html_raw(rp->b, "</tbody></table></div>"); }

static void row_begin(struct report *rp, const char *label, int strong) {
  html_raw(rp->b, strong ? "<tr class=\"total\"><th scope=\"row\">" : "<tr><th scope=\"row\">");
  html_text(rp->b, label);
  html_raw(rp->b, "</th>");
}

/* A row over the years: for each year, each (col, decimals, pct). */
struct colspec {
  const char *col;
  int decimals, pct;
};

static void row(struct report *rp, const char *label, const char *table, const char *key,
                const struct colspec *cs, int ncs, int strong) {
  row_begin(rp, label, strong);
  for (int k = 0; k < rp->n; k++)
    for (int c = 0; c < ncs; c++)
      num_cell(rp->b, rp->f, table, rp->years[k], key, cs[c].col, cs[c].decimals, cs[c].pct);
  html_raw(rp->b, "</tr>");
}

static int line_has(const struct report *rp, const char *table, const char *code, const char *col) {
  for (int k = 0; k < rp->n; k++) {
    int found;
    facts_get(rp->f, table, rp->years[k], code, col, &found);
    if (found) return 1;
  }
  return 0;
}

/* Lines of one kind, then the total row that closes them. */
static void line_rows(struct report *rp, const char *table, const char *col, int kind,
                      const struct colspec *cs, int ncs) {
  for (size_t i = 0; i < rp->m->n_lines; i++)
    if (rp->m->lines[i].kind == kind && line_has(rp, table, rp->m->lines[i].code, col))
      row(rp, rp->m->lines[i].name, table, rp->m->lines[i].code, cs, ncs, 0);
}

static void fte_table(struct report *rp) {
  const struct request *r = rp->r;
  const char *heads[] = {T(r, "planned_fte"), T(r, "realized_fte"), T(r, "coloured_fte")};
  const struct colspec cs[] = {{"planned_fte", 2, 0}, {"realized_fte", 2, 0}, {"coloured_fte", 2, 0}};
  table_begin(rp, T(r, "rep_fte"), heads, 3);
  line_rows(rp, "fte", "realized_fte", KIND_PILLAR, cs, 3);
  row(rp, T(r, "rep_total_without_projects"), "fte", "total_plan", cs, 3, 1);
  line_rows(rp, "fte", "realized_fte", KIND_PROJECT, cs, 3);
  row(rp, T(r, "rep_total_with_projects"), "fte", "total_all", cs, 3, 1);
  row_begin(rp, T(r, "rep_performed"), 1);
  for (int k = 0; k < rp->n; k++) {
    num_cell(rp->b, rp->f, "fte", rp->years[k], "total_all", "realization_pct", 0, 1);
    html_raw(rp->b, "<td></td><td></td>");
  }
  html_raw(rp->b, "</tr>");
  table_end(rp);
}

/* A bar chart of the hours per line over the years (one series per year), with its
   table as text alternative. */
static void hours_chart(struct report *rp, const char *caption_key, const char *table) {
  const struct request *r = rp->r;
  const struct model *m = rp->m;
  const char *labels[64];
  double values[5][64];
  unsigned char present[5][64];
  char names[5][10];
  struct chart_series series[5];
  int nl = 0;
  for (size_t i = 0; i < m->n_lines && nl < 64; i++) {
    if (!line_has(rp, table, m->lines[i].code, "hours")) continue;
    for (int k = 0; k < rp->n && k < 5; k++) {
      int found;
      values[k][nl] = facts_get(rp->f, table, rp->years[k], m->lines[i].code, "hours", &found);
      present[k][nl] = (unsigned char)found;
    }
    labels[nl++] = m->lines[i].code;
  }
  int ns = rp->n < 5 ? rp->n : 5;
  for (int k = 0; k < ns; k++) {
    school_year_format(rp->years[k], names[k]);
    series[k] = (struct chart_series){names[k], values[k], present[k], nl};
  }
  char id[32];
  snprintf(id, sizeof id, "chart-%s", table);
  struct chart c = {.id = id,
                    .title = T(r, caption_key),
                    .labels = labels,
                    .n_labels = nl,
                    .series = series,
                    .n_series = ns,
                    .decimals = 0,
                    .horizontal = 1,
                    .empty_text = T(r, "no_data"),
                    .label_header = T(r, "line")};
  /* on a phone the chart scrolls sideways: a focusable, named region */
  html_raw(rp->b, "<section class=\"chart\" tabindex=\"0\" aria-label=\"");
  html_attr(rp->b, T(r, caption_key));
  html_raw(rp->b, "\">");
  chart_bars(rp->b, &c);
  html_raw(rp->b, "</section>");
}

static void hours_table(struct report *rp, const char *caption_key, const char *table) {
  hours_chart(rp, caption_key, table);
  const struct request *r = rp->r;
  const char *heads[] = {T(r, "hours"), T(r, "share")};
  const struct colspec cs[] = {{"hours", 1, 0}, {"share", 0, 1}};
  table_begin(rp, T(r, caption_key), heads, 2);
  line_rows(rp, table, "hours", KIND_PILLAR, cs, 2);
  if (!strcmp(table, "client_hours")) row(rp, T(r, "rep_total_plan"), table, "total_plan", cs, 2, 1);
  line_rows(rp, table, "hours", KIND_PROJECT, cs, 2);
  if (!strcmp(table, "client_hours"))
    row(rp, T(r, "rep_total_plan_projects"), table, "total_plan_projects", cs, 2, 1);
  line_rows(rp, table, "hours", KIND_OTHER, cs, 2);
  row(rp, T(r, "rep_grand_total"), table, "total", cs, 2, 1);
  table_end(rp);
}

static void modality_tables(struct report *rp) {
  const struct request *r = rp->r;
  static const char *const keys[N_MODALITIES] = {"mod_fysiek",   "mod_online", "mod_hybride",
                                                 "mod_helpdesk", "mod_walk",   "mod_klasbezoek"};
  for (int k = 0; k < rp->n; k++) {
    struct report one = *rp;
    one.years = &rp->years[k];
    one.n = 1;
    const char *heads[N_MODALITIES];
    struct colspec cs[N_MODALITIES];
    for (int i = 0; i < N_MODALITIES; i++) {
      heads[i] = T(r, keys[i]);
      cs[i] = (struct colspec){modality_names[i], 0, 1};
    }
    char caption[128], y[10];
    school_year_format(rp->years[k], y);
    snprintf(caption, sizeof caption, "%s %s", T(r, "rep_modality"), y);
    table_begin(&one, caption, heads, N_MODALITIES);
    line_rows(&one, "modality", "fysiek", KIND_PILLAR, cs, N_MODALITIES);
    row(&one, T(r, "rep_total_plan"), "modality", "total_plan", cs, N_MODALITIES, 1);
    line_rows(&one, "modality", "fysiek", KIND_PROJECT, cs, N_MODALITIES);
    row(&one, T(r, "rep_total_plan_projects"), "modality", "total_plan_projects", cs, N_MODALITIES, 1);
    line_rows(&one, "modality", "fysiek", KIND_OTHER, cs, N_MODALITIES);
    row(&one, T(r, "rep_grand_total"), "modality", "total", cs, N_MODALITIES, 1);
    table_end(&one);
  }
}

static void hits_table(struct report *rp) {
  const struct request *r = rp->r;
  const struct model *m = rp->m;
  const char *heads[] = {""};
  const struct colspec cs[] = {{"hits", 0, 0}};
  table_begin(rp, T(r, "rep_hits"), heads, 1);
  /* institutions of each sector group, then its subtotal; then those without group */
  const char *groups[64] = {0};
  int ng = 0;
  for (size_t s = 0; s < m->n_sectors; s++) {
    const char *g = m->sectors[s].grp;
    if (!g || !*g) continue;
    int seen = 0;
    for (int k = 0; k < ng; k++) seen |= !strcmp(groups[k], g);
    if (!seen && ng < 64) groups[ng++] = g;
  }
  for (int g = 0; g <= ng; g++) {
    for (size_t i = 0; i < m->n_institutions; i++) {
      const struct institution *in = &m->institutions[i];
      const char *ig = in->sector >= 0 ? m->sectors[in->sector].grp : NULL;
      int mine = g < ng ? ig && !strcmp(ig, groups[g]) : !ig || !*ig;
      if (!mine || !line_has(rp, "hits", in->code, "hits")) continue;
      char label[256];
      snprintf(label, sizeof label, "%s (%s)", in->code, in->sector >= 0 ? m->sectors[in->sector].code : "");
      row(rp, label, "hits", in->code, cs, 1, 0);
    }
    if (g < ng && line_has(rp, "hits", groups[g], "hits")) {
      char label[128];
      snprintf(label, sizeof label, "Hits %s", groups[g]);
      row(rp, label, "hits", groups[g], cs, 1, 1);
    }
  }
  row(rp, T(r, "total"), "hits", "total", cs, 1, 1);
  table_end(rp);
}

static void target_group_table(struct report *rp) {
  const struct request *r = rp->r;
  const char *heads[] = {T(r, "reach"), T(r, "target")};
  const struct colspec cs[] = {{"reach", 0, 0}, {"target", 0, 0}};
  table_begin(rp, T(r, "rep_target_groups"), heads, 2);
  for (size_t g = 0; g < rp->m->n_target_groups; g++)
    row(rp, rp->m->target_groups[g].name, "target_groups", rp->m->target_groups[g].code, cs, 2, 0);
  row(rp, T(r, "total"), "target_groups", "total", cs, 1, 1);
  table_end(rp);
}

static void klv_table(struct report *rp) {
  const struct request *r = rp->r;
  const char *heads[] = {""};
  table_begin(rp, T(r, "rep_klv"), heads, 1);
  const struct colspec h = {"fte_hours", 0, 0}, k = {"klv_hours", 0, 0}, p = {"klv_pct", 0, 1};
  row(rp, T(r, "fte_hours"), "klv", "total", &h, 1, 0);
  row(rp, T(r, "klv_hours"), "klv", "total", &k, 1, 0);
  row(rp, T(r, "klv_pct"), "klv", "total", &p, 1, 1);
  table_end(rp);
}

static void reach_table(struct report *rp) {
  const struct request *r = rp->r;
  const char *heads[] = {T(r, "institutions"), T(r, "reached"), "%"};
  const struct colspec cs[] = {{"institutions", 0, 0}, {"reached", 0, 0}, {"reach_pct", 0, 1}};
  table_begin(rp, T(r, "rep_reach"), heads, 3);
  const char *done[64] = {0};
  int nd = 0;
  for (size_t s = 0; s < rp->m->n_sectors; s++) {
    const char *g = rp->m->sectors[s].grp;
    if (!g || !*g) continue;
    int seen = 0;
    for (int i = 0; i < nd; i++) seen |= !strcmp(done[i], g);
    if (seen || nd == 64) continue;
    done[nd++] = g;
    if (line_has(rp, "reach", g, "institutions")) row(rp, g, "reach", g, cs, 3, 0);
  }
  row(rp, T(r, "total"), "reach", "total", cs, 3, 1);
  table_end(rp);
}

void page_report(struct request *r, struct response *resp) {
  char err[512];
  struct model m;
  int *years = NULL, n = 0;
  db_exec(r->db, "BEGIN");
  if (facts_years_with_data(r->db, &years, &n, err, sizeof err) != 0 ||
      model_load(r->db, &m, err, sizeof err) != 0) {
    db_exec(r->db, "ROLLBACK");
    free(years);
    page_error(r, resp, 500);
    return;
  }
  if (n > 5) n = 5; /* the report shows at most five years, newest first */
  struct facts f;
  int rc = facts_compute(r->db, &m, years, n, &f, err, sizeof err);
  db_exec(r->db, "COMMIT");
  if (rc != 0) {
    model_free(&m);
    free(years);
    page_error(r, resp, 500);
    return;
  }
  page_begin(r, resp, T(r, "nav_report"));
  struct report rp = {r, &resp->body, &m, &f, f.years, f.n_years};
  if (!n) {
    html_raw(&resp->body, "<p>");
    html_text(&resp->body, T(r, "no_data"));
    html_raw(&resp->body, "</p>");
  } else {
    fte_table(&rp);
    hits_table(&rp);
    hours_table(&rp, "rep_client_hours", "client_hours");
    modality_tables(&rp);
    target_group_table(&rp);
    klv_table(&rp);
    hours_table(&rp, "rep_klv_by_line", "klv_by_line");
    reach_table(&rp);
  }
  page_end(r, resp);
  facts_free(&f);
  model_free(&m);
  free(years);
}
