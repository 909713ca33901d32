/* SPDX-License-Identifier: EUPL-1.2 */
/* The model of the yearly report (report/report.h). */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "domain/model.h"
#include "measures/facts.h"

/* ------------------------------------------------------------------------------------ */
/* Words                                                                                */

const char *report_word(const struct report *rp, enum word w) { return word_text(w, rp->lang == REP_EN); }

static const struct rep_definition defs_nl[] = {
    {"Schooljaar", "1 september tot en met 31 augustus; de rapporttabellen tonen het nieuwste jaar eerst."},
    {"Hits", "Per registratie met klasvloercontext telt elke genoemde instelling één hit."},
    {"Uren klantcontact",
     "Duur van elke registratie met klasvloercontext maal het aantal instellingen, in uren."},
    {"Uren klasvloer",
     "Duur van elke registratie met klasvloercontext maal het aantal begeleiders, in uren."},
    {"Geregistreerde uren",
     "Duur van elke registratie (klasvloer en interne tijd) maal het aantal begeleiders."},
    {"Gerealiseerde FTE", "Geregistreerde uren op een pijler of project gedeeld door de uren per FTE van het "
                          "schooljaar."},
    {"Voorziene en gekleurde FTE", "Uit het plan van het schooljaar; gekleurde middelen worden getoond, niet "
                                   "opgeteld bij de voorziene FTE."},
    {"% gepresteerd", "Gerealiseerde FTE gedeeld door voorziene FTE over alle pijlers en projecten."},
    {"FTE-uren", "Voorziene FTE van alle pijlers en projecten maal de uren per FTE van het schooljaar."},
    {"KLV-percentage", "Uren klasvloer gedeeld door FTE-uren; de norm is 60%."},
    {"Aandeel", "De uren van een rij gedeeld door het eindtotaal van de tabel."},
    {"Modaliteit", "Aandeel van de uren klantcontact van een pijler of project per modaliteit."},
    {"Bereik per doelgroep",
     "Som van de aantallen deelnemers per doelgroep; herhaalde deelname telt opnieuw."},
    {"Bereik van instellingen",
     "Aandeel van de instellingen van het eigen net die in het schooljaar bereikt zijn volgens de regel van "
     "het begeleidingsplan (contact, uren of traject)."},
    {"–", "Geen gegevens, of een verhouding zonder noemer."},
    {NULL, NULL},
};

static const struct rep_definition defs_en[] = {
    {"School year", "1 September up to and including 31 August; the tables show the newest year first."},
    {"Hits", "Every client registration counts one hit for each institution it names."},
    {"Client-contact hours",
     "Duration of each client registration times its number of institutions, in hours."},
    {"Classroom hours", "Duration of each client registration times its number of advisors, in hours."},
    {"Registered hours",
     "Duration of every registration (client and internal) times its number of advisors."},
    {"Realised FTE", "Registered hours on a pillar or project divided by the school year's hours per FTE."},
    {"Planned and coloured FTE",
     "From the plan of the school year; coloured funds are shown, not added to the "
     "planned FTE."},
    {"% performed", "Realised FTE divided by planned FTE over all pillars and projects."},
    {"FTE hours", "Planned FTE of all pillars and projects times the school year's hours per FTE."},
    {"KLV percentage", "Classroom hours divided by FTE hours; the norm is 60%."},
    {"Share", "The hours of a row divided by the grand total of the table."},
    {"Modality", "Share of a pillar's or project's client-contact hours per modality."},
    {"Reach per target group",
     "Sum of the head counts per target group; repeated participation counts again."},
    {"Reach of institutions", "Share of the own network's institutions reached in the school year under the "
                              "rule of the plan period (contact, hours or trajectory)."},
    {"–", "No data, or a ratio without denominator."},
    {NULL, NULL},
};

const struct rep_definition *report_definitions(const struct report *rp) {
  return rp->lang == REP_EN ? defs_en : defs_nl;
}

/* ------------------------------------------------------------------------------------ */
/* Facts                                                                                */

static void fact_key(char *key, size_t n, const char *table, int year, const char *row, const char *col) {
  snprintf(key, n, "%s\x1f%d\x1f%s\x1f%s", table, year, row, col);
}

double report_fact(const struct report *rp, const char *table, int year, const char *row, const char *col,
                   int *found) {
  char key[512];
  int64_t i;
  fact_key(key, sizeof key, table, year, row, col);
  if (strmap_get(&rp->index, key, &i)) {
    if (found) *found = 1;
    return i >= REP_IMPACT_BASE ? rp->impact->v[i - REP_IMPACT_BASE].value : rp->f->v[i].value;
  }
  if (found) *found = 0;
  return 0;
}

/* Whether the fact exists in any year of the report. */
static int any_year(const struct report *rp, const char *table, const char *row, const char *col) {
  for (int k = 0; k < rp->n_years; k++) {
    int found;
    report_fact(rp, table, rp->years[k], row, col, &found);
    if (found) return 1;
  }
  return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Tables                                                                               */

/* " (PBD)" after a title in a unit's report, " (Team X)" in a team's, nothing in the
   organisation's. */
static void unit_suffix(const struct report *rp, char *title, size_t n) {
  if (!rp->label[0]) return;
  size_t len = strlen(title);
  if (len < n) snprintf(title + len, n - len, " (%s)", rp->label);
}

struct colspec {
  const char *fact;
  int head; /* enum word, -1 for none */
  int decimals, pct;
};

static struct rep_table *add_table(struct report *rp, const char *id, const char *fact_table, enum word title,
                                   enum word sheet, int chart, const struct colspec *cs, int ncs,
                                   const int *years, int n_years) {
  struct rep_table *t = &rp->tables[rp->n_tables++];
  memset(t, 0, sizeof *t);
  snprintf(t->id, sizeof t->id, "%s", id);
  t->fact_table = fact_table;
  snprintf(t->title, sizeof t->title, "%s", report_word(rp, title));
  snprintf(t->sheet, sizeof t->sheet, "%s", report_word(rp, sheet));
  unit_suffix(rp, t->title, sizeof t->title);
  t->chart = chart;
  for (int k = 0; k < n_years; k++)
    for (int c = 0; c < ncs && t->n_cols < REP_MAX_COLS; c++)
      t->cols[t->n_cols++] = (struct rep_col){years[k], cs[c].fact,
                                              cs[c].head >= 0 ? report_word(rp, (enum word)cs[c].head) : "",
                                              cs[c].decimals, cs[c].pct};
  return t;
}

void report_open(struct report *rp, const struct model *m, const struct facts *f, int lang) {
  report_open_unit(rp, m, f, lang, -1);
}

const char *report_title(const struct report *rp) { return rp->title; }

void report_open_unit(struct report *rp, const struct model *m, const struct facts *f, int lang, int unit) {
  report_open_scope(rp, m, f, lang, unit, NULL);
}

void report_open_scope(struct report *rp, const struct model *m, const struct facts *f, int lang, int unit,
                       const char *scope) {
  memset(rp, 0, sizeof *rp);
  rp->m = m;
  rp->f = f;
  rp->lang = lang;
  rp->unit = unit == UNIT_PBD || unit == UNIT_POC ? unit : -1;
  snprintf(rp->label, sizeof rp->label, "%s%s%s", scope ? scope : "", scope && rp->unit >= 0 ? " · " : "",
           rp->unit < 0           ? ""
           : rp->unit == UNIT_POC ? "POC"
                                  : "PBD");
  snprintf(rp->title, sizeof rp->title, "%s", report_word(rp, W_title));
  unit_suffix(rp, rp->title, sizeof rp->title);
  rp->n_years = f->n_years < REP_MAX_YEARS ? f->n_years : REP_MAX_YEARS;
  for (int k = 0; k < rp->n_years; k++) rp->years[k] = f->years[k];
  strmap_init(&rp->index);
  for (size_t i = 0; i < f->n; i++) {
    char key[512];
    fact_key(key, sizeof key, f->v[i].table, f->v[i].year, f->v[i].row, f->v[i].col);
    strmap_put(&rp->index, key, (int64_t)i);
  }

  static const struct colspec fte[] = {{"planned_fte", W_planned_fte, 2, 0},
                                       {"realized_fte", W_realized_fte, 2, 0},
                                       {"coloured_fte", W_rep_coloured_fte, 2, 0}};
  static const struct colspec hits[] = {{"hits", -1, 0, 0}};
  static const struct colspec hours[] = {{"hours", W_hours, 1, 0}, {"share", W_share, 0, 1}};
  static const struct colspec tg[] = {{"reach", W_reach, 0, 0}, {"target", W_target, 0, 0}};
  static const struct colspec klv[] = {{"klv_pct", -1, 0, 1}};
  static const struct colspec reach[] = {
      {"institutions", W_institutions, 0, 0}, {"reached", W_reached, 0, 0}, {"reach_pct", W_share, 0, 1}};
  static const enum word mod_keys[N_MODALITIES] = {W_mod_fysiek,   W_mod_online, W_mod_hybride,
                                                   W_mod_helpdesk, W_mod_walk,   W_mod_klasbezoek};
  const int *ys = rp->years;
  int ny = rp->n_years;
  add_table(rp, "fte", "fte", W_rep_fte, W_sheet_fte, REP_CHART_NONE, fte, 3, ys, ny);
  add_table(rp, "hits", "hits", W_rep_hits, W_sheet_hits, REP_CHART_GROUP_BARS, hits, 1, ys, ny);
  add_table(rp, "client_hours", "client_hours", W_rep_client_hours, W_sheet_client_hours, REP_CHART_LINE_BARS,
            hours, 2, ys, ny);
  for (int k = 0; k < ny; k++) {
    struct colspec mc[N_MODALITIES];
    for (int i = 0; i < N_MODALITIES; i++)
      mc[i] = (struct colspec){modality_names[i], (int)mod_keys[i], 0, 1};
    char y[10], id[24];
    school_year_format(ys[k], y);
    snprintf(id, sizeof id, "modality-%d", ys[k]);
    struct rep_table *t = add_table(rp, id, "modality", W_rep_modality, W_sheet_modality, REP_CHART_STACKED,
                                    mc, N_MODALITIES, &ys[k], 1);
    t->one_year = 1;
    snprintf(t->title, sizeof t->title, "%s %s", report_word(rp, W_rep_modality), y);
    unit_suffix(rp, t->title, sizeof t->title);
    snprintf(t->sheet, sizeof t->sheet, "%s %s", report_word(rp, W_sheet_modality), y);
  }
  add_table(rp, "target_groups", "target_groups", W_rep_target_groups, W_sheet_target_groups, REP_CHART_NONE,
            tg, 2, ys, ny);
  struct rep_table *k =
      add_table(rp, "klv", "klv", W_rep_klv, W_sheet_klv, REP_CHART_KLV_LINE, klv, 1, ys, ny);
  k->by_measure = 1;
  add_table(rp, "klv_by_line", "klv_by_line", W_rep_klv_by_line, W_sheet_klv_by_line, REP_CHART_LINE_BARS,
            hours, 2, ys, ny);
  add_table(rp, "reach", "reach", W_rep_reach, W_sheet_reach, REP_CHART_NONE, reach, 3, ys, ny);
}

void report_close(struct report *rp) { strmap_free(&rp->index); }

void report_add_impact(struct report *rp, const struct facts *impact) {
  if (!impact) return;
  rp->impact = impact;
  for (size_t i = 0; i < impact->n; i++) {
    char key[512];
    fact_key(key, sizeof key, impact->v[i].table, impact->v[i].year, impact->v[i].row, impact->v[i].col);
    strmap_put(&rp->index, key, REP_IMPACT_BASE + (int64_t)i);
  }
  static const struct colspec cs[] = {{"reached", W_imp_reached, 0, 0},
                                      {"active", W_imp_active, 0, 0},
                                      {"goal_plan_share", W_rep_imp_goal_plan, 0, 1},
                                      {"phase_explore", W_v_phase_explore, 0, 0},
                                      {"phase_prepare", W_v_phase_prepare, 0, 0},
                                      {"phase_deliver", W_v_phase_deliver, 0, 0},
                                      {"phase_sustain", W_v_phase_sustain, 0, 0},
                                      {"short_mean", W_rep_imp_short, 1, 0},
                                      {"long_mean", W_rep_imp_long, 1, 0},
                                      {"realised_share", W_rep_imp_realised, 0, 1}};
  for (int k = 0; k < rp->n_years; k++) {
    char y[10], id[24];
    school_year_format(rp->years[k], y);
    snprintf(id, sizeof id, "impact-%d", rp->years[k]);
    struct rep_table *t = add_table(rp, id, "impact", W_rep_impact, W_sheet_impact, REP_CHART_NONE, cs,
                                    (int)(sizeof cs / sizeof cs[0]), &rp->years[k], 1);
    t->one_year = 1;
    snprintf(t->title, sizeof t->title, "%s %s", report_word(rp, W_rep_impact), y);
    unit_suffix(rp, t->title, sizeof t->title);
    snprintf(t->sheet, sizeof t->sheet, "%s %s", report_word(rp, W_sheet_impact), y);
  }
}

/* ------------------------------------------------------------------------------------ */
/* Rows                                                                                 */

/* A row of the table's columns read from the facts of key. */
static int emit_row(const struct report *rp, const struct rep_table *t, const char *label, const char *key,
                    int total, rep_emit_fn emit, void *ctx) {
  struct rep_row r;
  memset(&r, 0, sizeof r);
  r.label = label;
  r.key = key;
  r.total = total;
  for (int c = 0; c < t->n_cols; c++) {
    int found;
    r.v[c] = report_fact(rp, t->fact_table, t->cols[c].year, key, t->cols[c].fact, &found);
    r.state[c] = found ? REP_VALUE : REP_ABSENT;
    r.fact_col[c] = t->cols[c].fact;
    r.decimals[c] = (unsigned char)t->cols[c].decimals;
    r.pct[c] = (unsigned char)t->cols[c].pct;
  }
  return emit(ctx, &r);
}

/* The lines of one kind that have col in any year. */
static int line_rows(const struct report *rp, const struct rep_table *t, int kind, const char *col,
                     rep_emit_fn emit, void *ctx) {
  for (size_t i = 0; i < rp->m->n_lines; i++) {
    const struct line *l = &rp->m->lines[i];
    if (l->kind != kind) continue;
    int shown = 0;
    for (int c = 0; c < t->n_cols && !shown; c++) {
      int found;
      report_fact(rp, t->fact_table, t->cols[c].year, l->code, col ? col : t->cols[c].fact, &found);
      shown = found;
    }
    if (!shown) continue;
    int rc = emit_row(rp, t, l->name, l->code, 0, emit, ctx);
    if (rc) return rc;
  }
  return 0;
}

#define TRY(x)                                                                                               \
  do {                                                                                                       \
    int rc_ = (x);                                                                                           \
    if (rc_) return rc_;                                                                                     \
  } while (0)

static int fte_rows(const struct report *rp, const struct rep_table *t, rep_emit_fn emit, void *ctx) {
  TRY(line_rows(rp, t, KIND_PILLAR, NULL, emit, ctx));
  TRY(emit_row(rp, t, report_word(rp, W_rep_total_without_projects), "total_plan", 1, emit, ctx));
  TRY(line_rows(rp, t, KIND_PROJECT, NULL, emit, ctx));
  TRY(emit_row(rp, t, report_word(rp, W_rep_total_with_projects), "total_all", 1, emit, ctx));
  /* other lines have no plan and are in neither total, but their realised FTE is work
     the service did */
  TRY(line_rows(rp, t, KIND_OTHER, NULL, emit, ctx));
  /* "N% gepresteerd": the realisation of the total with projects, under each year's
     first column */
  struct rep_row r;
  memset(&r, 0, sizeof r);
  r.label = report_word(rp, W_rep_performed);
  r.key = "total_all";
  r.total = 1;
  for (int c = 0; c < t->n_cols; c++) {
    if (strcmp(t->cols[c].fact, "planned_fte")) continue;
    int found;
    r.v[c] = report_fact(rp, "fte", t->cols[c].year, "total_all", "realization_pct", &found);
    r.state[c] = found ? REP_VALUE : REP_ABSENT;
    r.fact_col[c] = "realization_pct";
    r.pct[c] = 1;
  }
  return emit(ctx, &r);
}

/* The sector groups in the order of the sectors (at most 64). */
static int sector_groups(const struct model *m, const char **groups) {
  int ng = 0;
  for (size_t s = 0; s < m->n_sectors; s++) {
    const char *g = m->sectors[s].grp;
    if (!g || !*g) continue;
    int seen = 0;
    for (int k = 0; k < ng; k++) seen |= !strcmp(groups[k], g);
    if (!seen && ng < 64) groups[ng++] = g;
  }
  return ng;
}

static int hits_rows(const struct report *rp, const struct rep_table *t, rep_emit_fn emit, void *ctx) {
  const struct model *m = rp->m;
  const char *groups[64];
  int ng = sector_groups(m, groups);
  char label[256];
  /* the institutions of each group, then its subtotal; then those without a group */
  for (int g = 0; g <= ng; g++) {
    for (size_t i = 0; i < m->n_institutions; i++) {
      const struct institution *in = &m->institutions[i];
      const char *ig = in->sector >= 0 ? m->sectors[in->sector].grp : NULL;
      int mine = g < ng ? ig && !strcmp(ig, groups[g]) : !ig || !*ig;
      if (!mine || !any_year(rp, "hits", in->code, "hits")) continue;
      snprintf(label, sizeof label, "%s (%s)", in->code, in->sector >= 0 ? m->sectors[in->sector].code : "");
      TRY(emit_row(rp, t, label, in->code, 0, emit, ctx));
    }
    if (g < ng && any_year(rp, "hits", groups[g], "hits")) {
      snprintf(label, sizeof label, "Hits %s", groups[g]);
      TRY(emit_row(rp, t, label, groups[g], 1, emit, ctx));
    }
  }
  return emit_row(rp, t, report_word(rp, W_total), "total", 1, emit, ctx);
}

/* client_hours and modality: pillars, plan total, projects, plan + projects total,
   other lines, grand total. klv_by_line: the lines and the grand total. */
static int line_table_rows(const struct report *rp, const struct rep_table *t, const char *col,
                           int plan_totals, rep_emit_fn emit, void *ctx) {
  TRY(line_rows(rp, t, KIND_PILLAR, col, emit, ctx));
  if (plan_totals) TRY(emit_row(rp, t, report_word(rp, W_rep_total_plan), "total_plan", 1, emit, ctx));
  TRY(line_rows(rp, t, KIND_PROJECT, col, emit, ctx));
  if (plan_totals)
    TRY(emit_row(rp, t, report_word(rp, W_rep_total_plan_projects), "total_plan_projects", 1, emit, ctx));
  TRY(line_rows(rp, t, KIND_OTHER, col, emit, ctx));
  return emit_row(rp, t, report_word(rp, W_rep_grand_total), "total", 1, emit, ctx);
}

static int target_group_rows(const struct report *rp, const struct rep_table *t, rep_emit_fn emit,
                             void *ctx) {
  for (size_t g = 0; g < rp->m->n_target_groups; g++)
    TRY(emit_row(rp, t, rp->m->target_groups[g].name, rp->m->target_groups[g].code, 0, emit, ctx));
  struct rep_row r;
  memset(&r, 0, sizeof r);
  r.label = report_word(rp, W_total);
  r.key = "total";
  r.total = 1;
  for (int c = 0; c < t->n_cols; c++) {
    if (strcmp(t->cols[c].fact, "reach")) continue; /* targets are set per group only */
    int found;
    r.v[c] = report_fact(rp, t->fact_table, t->cols[c].year, "total", "reach", &found);
    r.state[c] = found ? REP_VALUE : REP_ABSENT;
    r.fact_col[c] = "reach";
  }
  return emit(ctx, &r);
}

/* Rows are the measures of the organisation's total, columns the years. */
static int klv_rows(const struct report *rp, const struct rep_table *t, rep_emit_fn emit, void *ctx) {
  static const struct {
    const char *col;
    enum word word;
    int pct, total;
  } ms[] = {
      {"fte_hours", W_fte_hours, 0, 0}, {"klv_hours", W_klv_hours, 0, 0}, {"klv_pct", W_rep_klv_pct, 1, 1}};
  for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++) {
    struct rep_row r;
    memset(&r, 0, sizeof r);
    r.label = report_word(rp, ms[i].word);
    r.key = "total";
    r.total = ms[i].total;
    for (int c = 0; c < t->n_cols; c++) {
      int found;
      r.v[c] = report_fact(rp, "klv", t->cols[c].year, "total", ms[i].col, &found);
      r.state[c] = found ? REP_VALUE : REP_ABSENT;
      r.fact_col[c] = ms[i].col;
      r.pct[c] = (unsigned char)ms[i].pct;
    }
    TRY(emit(ctx, &r));
  }
  return 0;
}

static int reach_rows(const struct report *rp, const struct rep_table *t, rep_emit_fn emit, void *ctx) {
  const char *groups[64];
  int ng = sector_groups(rp->m, groups);
  for (int g = 0; g < ng; g++)
    if (any_year(rp, "reach", groups[g], "institutions"))
      TRY(emit_row(rp, t, groups[g], groups[g], 0, emit, ctx));
  return emit_row(rp, t, report_word(rp, W_total), "total", 1, emit, ctx);
}

/* The Impact table: a row per operational goal with a trajectory or a reached
   institution in the year, then the organisation. */
static int impact_rows(const struct report *rp, const struct rep_table *t, rep_emit_fn emit, void *ctx) {
  const struct model *m = rp->m;
  int year = t->cols[0].year;
  for (size_t g = 0; g < m->n_goals; g++) {
    char key[160], label[400];
    /* a unit's report: the goals of the unit's lines */
    if (rp->unit >= 0 && (m->goals[g].line < 0 || m->lines[m->goals[g].line].unit != rp->unit)) continue;
    snprintf(key, sizeof key, "goal:%s", m->goals[g].code);
    int found;
    double active = report_fact(rp, "impact", year, key, "active", &found);
    double reached = report_fact(rp, "impact", year, key, "reached", NULL);
    if (!found || (active == 0 && reached == 0)) continue;
    snprintf(label, sizeof label, "%s %s", m->goals[g].code, m->goals[g].name);
    TRY(emit_row(rp, t, label, key, 0, emit, ctx));
  }
  static const char *const unit_rows[2] = {"unit:pbd", "unit:poc"};
  return emit_row(rp, t, report_word(rp, W_total), rp->unit >= 0 ? unit_rows[rp->unit] : "org", 1, emit, ctx);
}

int report_rows(const struct report *rp, int ti, rep_emit_fn emit, void *ctx) {
  const struct rep_table *t = &rp->tables[ti];
  const char *id = t->id;
  if (!strcmp(id, "fte")) return fte_rows(rp, t, emit, ctx);
  if (!strcmp(id, "hits")) return hits_rows(rp, t, emit, ctx);
  if (!strcmp(id, "client_hours")) return line_table_rows(rp, t, "hours", 1, emit, ctx);
  if (!strcmp(t->fact_table, "modality")) return line_table_rows(rp, t, NULL, 1, emit, ctx);
  if (!strcmp(id, "target_groups")) return target_group_rows(rp, t, emit, ctx);
  if (!strcmp(id, "klv")) return klv_rows(rp, t, emit, ctx);
  if (!strcmp(id, "klv_by_line")) return line_table_rows(rp, t, "hours", 0, emit, ctx);
  if (!strcmp(id, "reach")) return reach_rows(rp, t, emit, ctx);
  if (!strcmp(t->fact_table, "impact")) return impact_rows(rp, t, emit, ctx);
  return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Cells                                                                                */

void report_format_cell(const struct rep_row *row, int i, int plain, char *out, size_t n) {
  if (row->state[i] == REP_EMPTY) {
    snprintf(out, n, "%s", "");
    return;
  }
  if (row->state[i] == REP_ABSENT) {
    snprintf(out, n, "%s", "\xe2\x80\x93");
    return;
  }
  char s[64];
  if (row->pct[i])
    format_be_pct(row->v[i], row->decimals[i], s, sizeof s);
  else
    format_be(row->v[i], row->decimals[i], s, sizeof s);
  if (!plain) {
    snprintf(out, n, "%s", s);
    return;
  }
  /* the same rounding, written 12725.4 */
  char p[64];
  size_t w = 0;
  for (const char *c = s; *c && w + 1 < sizeof p; c++)
    if (*c != '.') p[w++] = *c == ',' ? '.' : *c;
  p[w] = 0;
  snprintf(out, n, "%s", p);
}

/* ------------------------------------------------------------------------------------ */
/* Charts                                                                               */

static void chart_alloc(struct rep_chart *rc, int nl, int ns) {
  size_t cells = (size_t)nl * (size_t)ns + 1;
  rc->labels = xcalloc((size_t)nl + 1, sizeof *rc->labels);
  rc->values = xcalloc(cells, sizeof *rc->values);
  rc->present = xcalloc(cells, 1);
  rc->series = xcalloc((size_t)(ns ? ns : 1), sizeof *rc->series);
  for (int s = 0; s < ns; s++)
    rc->series[s] =
        (struct chart_series){rc->names[s], rc->values + (size_t)s * nl, rc->present + (size_t)s * nl, nl};
}

/* Bars per line or per sector group, one series per year. */
static void chart_by_year(const struct report *rp, const struct rep_table *t, struct rep_chart *rc,
                          const char *col) {
  const struct model *m = rp->m;
  const char *groups[64];
  int ng = 0, nl = 0;
  int by_group = t->chart == REP_CHART_GROUP_BARS;
  if (by_group) ng = sector_groups(m, groups);
  int cand = by_group ? ng : (int)m->n_lines;
  int ns = rp->n_years;
  chart_alloc(rc, cand, ns);
  for (int i = 0; i < cand; i++) {
    const char *key = by_group ? groups[i] : m->lines[i].code;
    if (!any_year(rp, t->fact_table, key, col)) continue;
    for (int s = 0; s < ns; s++) {
      int found;
      rc->values[(size_t)s * cand + nl] = report_fact(rp, t->fact_table, rp->years[s], key, col, &found);
      rc->present[(size_t)s * cand + nl] = (unsigned char)found;
    }
    /* names, as the tables (a line's code is for the dataset, not the reader) */
    rc->labels[nl++] = by_group ? key : m->lines[i].name;
  }
  for (int s = 0; s < ns; s++) {
    school_year_format(rp->years[s], rc->names[s]);
    rc->colors[s] = chart_year_color(rp->years[s]); /* a year keeps its color */
    rc->series[s].values = rc->values + (size_t)s * cand;
    rc->series[s].present = rc->present + (size_t)s * cand;
    rc->series[s].n = nl;
  }
  rc->c.labels = rc->labels;
  rc->c.n_labels = nl;
  rc->c.series = rc->series;
  rc->c.n_series = ns;
  rc->c.colors = rc->colors;
  rc->c.horizontal = 1; /* group names left, values beside the bars: no upright labels */
  rc->c.label_header = report_word(rp, by_group ? W_group : W_line);
  if (by_group) rc->c.title = report_word(rp, W_rep_hits_chart);
}

void report_chart(const struct report *rp, int ti, struct rep_chart *rc) {
  const struct rep_table *t = &rp->tables[ti];
  memset(rc, 0, sizeof *rc);
  snprintf(rc->id, sizeof rc->id, "chart-%s", t->id);
  rc->c.id = rc->id;
  rc->c.title = t->title;
  rc->c.empty_text = report_word(rp, W_no_data);
  switch (t->chart) {
  case REP_CHART_GROUP_BARS:
    chart_by_year(rp, t, rc, "hits");
    break;
  case REP_CHART_LINE_BARS:
    chart_by_year(rp, t, rc, "hours");
    rc->c.decimals = 0;
    break;
  case REP_CHART_STACKED: {
    /* the lines with client hours in the year, and the grand total; one series per
       modality */
    const struct model *m = rp->m;
    int cand = (int)m->n_lines + 1, nl = 0;
    chart_alloc(rc, cand, N_MODALITIES);
    int year = t->cols[0].year;
    for (int i = 0; i < cand; i++) {
      const char *key = i < (int)m->n_lines ? m->lines[i].code : "total";
      int any = 0;
      for (int s = 0; s < N_MODALITIES; s++) {
        int found;
        rc->values[(size_t)s * cand + nl] = report_fact(rp, "modality", year, key, modality_names[s], &found);
        rc->present[(size_t)s * cand + nl] = (unsigned char)found;
        any |= found;
      }
      if (!any) continue;
      rc->labels[nl++] = i < (int)m->n_lines ? m->lines[i].name : report_word(rp, W_rep_grand_total);
    }
    for (int s = 0; s < N_MODALITIES; s++) {
      snprintf(rc->names[s], sizeof rc->names[s], "%s", t->cols[s].head);
      rc->series[s].n = nl;
    }
    rc->c.labels = rc->labels;
    rc->c.n_labels = nl;
    rc->c.series = rc->series;
    rc->c.n_series = N_MODALITIES;
    rc->c.percent = 1;
    rc->c.horizontal = 1;
    rc->c.label_header = report_word(rp, W_line);
    break;
  }
  case REP_CHART_KLV_LINE: {
    /* oldest year on the left */
    int n = rp->n_years;
    chart_alloc(rc, n, 1);
    for (int i = 0; i < n; i++) {
      int y = rp->years[n - 1 - i];
      school_year_format(y, rc->year_labels[i]);
      rc->labels[i] = rc->year_labels[i];
      int found;
      rc->values[i] = report_fact(rp, "klv", y, "total", "klv_pct", &found);
      rc->present[i] = (unsigned char)found;
    }
    snprintf(rc->names[0], sizeof rc->names[0], "%s", report_word(rp, W_rep_klv_pct));
    rc->c.labels = rc->labels;
    rc->c.n_labels = n;
    rc->c.series = rc->series;
    rc->c.n_series = 1;
    rc->c.percent = 1;
    rc->ref = (struct chart_ref){0.6, report_word(rp, W_rep_norm)};
    rc->c.refs = &rc->ref;
    rc->c.n_refs = 1;
    rc->c.title = report_word(rp, W_rep_klv_chart);
    rc->c.label_header = report_word(rp, W_years);
    break;
  }
  default:
    break;
  }
}

void report_chart_free(struct rep_chart *rc) {
  free(rc->labels);
  free(rc->values);
  free(rc->present);
  free(rc->series);
  memset(rc, 0, sizeof *rc);
}
