/* SPDX-License-Identifier: EUPL-1.2 */
/* The report as an A4 PDF (cairo, pango; fonts from Debian's fonts-dejavu-core through
   fontconfig): a title page with the years, the date and the definitions, then every
   table with its chart. Wide tables (more than eight number columns) get landscape
   pages. Text is real text (selectable, searchable). The charts are the SVG of
   render/chart.c, the same bytes as on the web page, drawn onto the PDF page by librsvg as
   vector graphics and text: one layout code path for every chart.

   Pages are written as they are filled (cairo_show_page), rows as they come from the
   model; a table that does not fit continues on the next page under its repeated
   header. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "core/dates.h"
#include "domain/model.h"
#include "measures/indicators.h"
#include "report/export.h"

#define A4_W 595.276
#define A4_H 841.890
#define MARGIN 42.0
#define FOOTER 24.0
#define FONT "DejaVu Sans"

struct pdf {
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoLayout *layout;
  const struct report *rp;
  double w, h; /* page size */
  double y;    /* next free y */
  int page;    /* pages begun */
  int dirty;   /* something drawn on the current page */
};

static void set_font(struct pdf *p, double size, int bold) {
  PangoFontDescription *fd = pango_font_description_from_string(FONT);
  pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
  pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(p->layout, fd);
  pango_font_description_free(fd);
}

/* Text in a box of width w at (x, y); align 0 left, 1 right, 2 centre; ellipsize on one
   line when one_line. Returns its height. */
static double text(struct pdf *p, const char *s, double x, double y, double w, int align, int one_line) {
  PangoLayout *l = p->layout;
  pango_layout_set_width(l, (int)(w * PANGO_SCALE));
  pango_layout_set_alignment(l, align == 1   ? PANGO_ALIGN_RIGHT
                                : align == 2 ? PANGO_ALIGN_CENTER
                                             : PANGO_ALIGN_LEFT);
  pango_layout_set_ellipsize(l, one_line ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  /* words, and inside a word only when it is wider than the box (never over a neighbour) */
  pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text(l, s, -1);
  int tw, th;
  pango_layout_get_size(l, &tw, &th);
  cairo_move_to(p->cr, x, y);
  pango_cairo_show_layout(p->cr, l);
  p->dirty = 1;
  return (double)th / PANGO_SCALE;
}

static double text_width(struct pdf *p, const char *s) {
  pango_layout_set_width(p->layout, -1);
  pango_layout_set_ellipsize(p->layout, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_text(p->layout, s, -1);
  int tw, th;
  pango_layout_get_size(p->layout, &tw, &th);
  return (double)tw / PANGO_SCALE;
}

static void footer(struct pdf *p) {
  char s[64];
  cairo_set_source_rgb(p->cr, 0.29, 0.29, 0.29);
  set_font(p, 8, 0);
  snprintf(s, sizeof s, "%s %d", report_word(p->rp, W_page), p->page);
  text(p, s, MARGIN, p->h - MARGIN + 6, p->w - 2 * MARGIN, 1, 1);
  text(p, report_title(p->rp), MARGIN, p->h - MARGIN + 6, p->w / 2, 0, 1);
  cairo_set_source_rgb(p->cr, 0.106, 0.106, 0.106);
}

/* Ends the current page (when one was begun) and begins one in that orientation. */
static void new_page(struct pdf *p, int landscape) {
  if (p->page > 0) {
    footer(p);
    cairo_show_page(p->cr);
  }
  p->w = landscape ? A4_H : A4_W;
  p->h = landscape ? A4_W : A4_H;
  cairo_pdf_surface_set_size(p->surface, p->w, p->h);
  p->page++;
  p->y = MARGIN;
  p->dirty = 0;
  cairo_set_source_rgb(p->cr, 0.106, 0.106, 0.106);
}

static double bottom(const struct pdf *p) { return p->h - MARGIN - FOOTER; }

/* One row of the indicator table: name, actual, target, target to date (running year),
   status. */
static void indicator_row(struct pdf *p, const char *name, const char *actual, const char *target,
                          const char *to_date, int status, int has_status, int running) {
  const struct report *rp = p->rp;
  static const enum word st[] = {W_on_track, W_watch, W_behind};
  double x = MARGIN, w = p->w - 2 * MARGIN;
  double cw = running ? 78 : 95, lw = w - cw * (running ? 4 : 3);
  set_font(p, 9.5, 0);
  double h = text(p, name, x, p->y, lw - 6, 0, 0);
  text(p, actual, x + lw, p->y, cw - 6, 1, 1);
  text(p, target, x + lw + cw, p->y, cw - 6, 1, 1);
  if (running) text(p, to_date, x + lw + 2 * cw, p->y, cw - 6, 1, 1);
  if (has_status) {
    double sx = x + lw + (running ? 3 : 2) * cw + 8;
    static const double rgb[3][3] = {{0.118, 0.42, 0.196}, {0.541, 0.353, 0}, {0.643, 0.149, 0.173}};
    cairo_set_source_rgb(p->cr, rgb[status][0], rgb[status][1], rgb[status][2]);
    set_font(p, 9.5, 1);
    text(p, report_word(rp, st[status]), sx, p->y, cw - 8, 0, 1);
    cairo_set_source_rgb(p->cr, 0.106, 0.106, 0.106);
  }
  p->y += (h > 14 ? h : 14) + 5;
  cairo_set_source_rgb(p->cr, 0.85, 0.85, 0.85);
  cairo_set_line_width(p->cr, 0.5);
  cairo_move_to(p->cr, x, p->y - 3);
  cairo_line_to(p->cr, x + w, p->y - 3);
  cairo_stroke(p->cr);
  cairo_set_source_rgb(p->cr, 0.106, 0.106, 0.106);
}

/* The four indicators of the report's newest school year against their targets (DOMAIN.md
   section 4), for the organisation or the report's unit: the same indicator view as the
   dashboard, pro rata up to o->today in a running year, against the yearly target in a
   finished one. */
static void indicators(struct pdf *p, const struct rep_opts *o) {
  const struct report *rp = p->rp;
  if (!rp->n_years) return;
  int year = rp->years[0];
  int32_t last = school_year_last_day(year);
  int32_t today = o->today && o->today < last ? o->today : last;
  int running = o->today && today < last;
  struct indicator_view v;
  indicator_view_build(rp->f, rp->m, year, today, 1, NULL, NULL, &v);
  double w = p->w - 2 * MARGIN;
  char ys[10], line[160];
  school_year_format(year, ys);
  set_font(p, 14, 1);
  snprintf(line, sizeof line, "%s, %s %s", report_word(rp, W_num_pdf_indicators),
           report_word(rp, W_num_pdf_of_year), ys);
  p->y += text(p, line, MARGIN, p->y, w, 0, 0) + 8;
  set_font(p, 9, 1);
  double cw = running ? 78 : 95, lw = w - cw * (running ? 4 : 3);
  text(p, report_word(rp, W_num_pdf_actual), MARGIN + lw, p->y, cw - 6, 1, 1);
  text(p, report_word(rp, W_target), MARGIN + lw + cw, p->y, cw - 6, 1, 1);
  if (running) text(p, report_word(rp, W_prorata), MARGIN + lw + 2 * cw, p->y, cw - 6, 1, 1);
  text(p, report_word(rp, W_status), MARGIN + lw + (running ? 3 : 2) * cw + 8, p->y, cw - 8, 0, 1);
  p->y += 16;
  cairo_set_line_width(p->cr, 0.8);
  cairo_move_to(p->cr, MARGIN, p->y - 2);
  cairo_line_to(p->cr, MARGIN + w, p->y - 2);
  cairo_stroke(p->cr);
  p->y += 2;
  char a[32] = "\xe2\x80\x93", t[32], d[32];
  /* 1 and 2: shares against 100% */
  const struct indicator_value *iv[2] = {&v.fte, &v.reach};
  const enum word names[2] = {W_ind1, W_ind2};
  for (int k = 0; k < 2; k++) {
    snprintf(a, sizeof a, "%s", "\xe2\x80\x93");
    if (iv[k]->has_actual) format_be_pct(iv[k]->actual, 0, a, sizeof a);
    format_be_pct(iv[k]->target, 0, t, sizeof t);
    format_be_pct(iv[k]->target_to_date, 0, d, sizeof d);
    indicator_row(p, report_word(rp, names[k]), a, t, d, iv[k]->status, iv[k]->has_actual, running);
  }
  /* 3: KLV% of FTE hours against the 60% norm */
  snprintf(a, sizeof a, "%s", "\xe2\x80\x93");
  if (v.klv.has_pct) format_be_pct(v.klv.pct, 0, a, sizeof a);
  format_be_pct(KLV_NORM, 0, t, sizeof t);
  indicator_row(p, report_word(rp, W_ind3), a, t, t, v.klv.status, v.klv.has_pct, running);
  /* 4: per target group with a target */
  for (size_t g = 0; g < v.n_groups; g++) {
    const struct indicator_value *x = &v.groups[g].reach;
    snprintf(line, sizeof line, "%s: %s", report_word(rp, W_ind4),
             rp->m->target_groups[v.groups[g].group].name);
    format_be(x->actual, 0, a, sizeof a);
    format_be(x->target, 0, t, sizeof t);
    format_be(x->target_to_date, 0, d, sizeof d);
    indicator_row(p, line, a, t, d, x->status, 1, running);
  }
  if (!v.n_groups)
    indicator_row(p, report_word(rp, W_ind4), "\xe2\x80\x93", "\xe2\x80\x93", "", 0, 0, running);
  indicator_view_free(&v);
  set_font(p, 8.5, 0);
  cairo_set_source_rgb(p->cr, 0.29, 0.29, 0.29);
  p->y += 4 + text(p, report_word(rp, running ? W_num_pdf_prorata_note : W_num_pdf_year_note), MARGIN, p->y,
                   w, 0, 0);
  cairo_set_source_rgb(p->cr, 0.106, 0.106, 0.106);
}

static void title_page(struct pdf *p, const struct rep_opts *o) {
  const struct report *rp = p->rp;
  new_page(p, 0);
  double w = p->w - 2 * MARGIN;
  set_font(p, 24, 1);
  p->y += 60;
  p->y += text(p, report_title(rp), MARGIN, p->y, w, 0, 0) + 12;
  char years[80] = "";
  for (int k = 0; k < rp->n_years; k++) {
    char y[10];
    school_year_format(rp->years[k], y);
    snprintf(years + strlen(years), sizeof years - strlen(years), "%s%s", k ? ", " : "", y);
  }
  char line[160];
  set_font(p, 12, 0);
  snprintf(line, sizeof line, "%s: %s", report_word(rp, W_years), years);
  p->y += text(p, line, MARGIN, p->y, w, 0, 0) + 4;
  snprintf(line, sizeof line, "%s: %s", report_word(rp, W_generated), o->generated ? o->generated : "");
  p->y += text(p, line, MARGIN, p->y, w, 0, 0) + 28;
  indicators(p, o);
  new_page(p, 0);
  set_font(p, 14, 1);
  p->y += text(p, report_word(rp, W_definitions), MARGIN, p->y, w, 0, 0) + 8;
  for (const struct rep_definition *d = report_definitions(rp); d->term; d++) {
    set_font(p, 9, 1);
    double h1 = text(p, d->term, MARGIN, p->y, 130, 0, 0);
    set_font(p, 9, 0);
    double h2 = text(p, d->text, MARGIN + 140, p->y, w - 140, 0, 0);
    p->y += (h1 > h2 ? h1 : h2) + 5;
  }
}

/* ---- charts ---- */

static int draw_chart(struct pdf *p, int ti, char *err, size_t errlen) {
  struct buf svg = {0};
  report_svg_chart(&svg, p->rp, ti);
  GError *ge = NULL;
  RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)buf_str(&svg), svg.len, &ge);
  buf_free(&svg);
  if (!h) {
    snprintf(err, errlen, "chart of %s: %s", p->rp->tables[ti].id, ge ? ge->message : "invalid SVG");
    if (ge) g_error_free(ge);
    return -1;
  }
  gboolean has_w, has_h, has_vb;
  RsvgLength lw, lh;
  RsvgRectangle vb;
  rsvg_handle_get_intrinsic_dimensions(h, &has_w, &lw, &has_h, &lh, &has_vb, &vb);
  double width = p->w - 2 * MARGIN;
  if (width > 480) width = 480; /* the chart's 640 units at 0.75 pt: 12 px text at 9 pt */
  double height = has_vb && vb.width > 0 ? width * vb.height / vb.width : width / 2;
  if (p->y + height > bottom(p)) {
    int landscape = p->w > p->h;
    new_page(p, landscape);
  }
  RsvgRectangle viewport = {MARGIN, p->y, width, height};
  int rc = 0;
  if (!rsvg_handle_render_document(h, p->cr, &viewport, &ge)) {
    snprintf(err, errlen, "chart of %s: %s", p->rp->tables[ti].id, ge ? ge->message : "cannot draw");
    if (ge) g_error_free(ge);
    rc = -1;
  }
  g_object_unref(h);
  p->y += height + 10;
  p->dirty = 1;
  return rc;
}

/* ---- tables ---- */

struct ptable {
  struct pdf *p;
  const struct rep_table *t;
  double label_w, col_w, font, row_h;
  int continued;
};

static void table_head(struct ptable *pt) {
  struct pdf *p = pt->p;
  const struct rep_table *t = pt->t;
  cairo_t *cr = p->cr;
  /* the caption, unless the chart above already carries it */
  if (pt->continued || t->chart == REP_CHART_NONE) {
    set_font(p, 12, 1);
    char title[200];
    snprintf(title, sizeof title, "%s (%s)", t->title, p->rp->lang == REP_EN ? "continued" : "vervolg");
    p->y += text(p, pt->continued ? title : t->title, MARGIN, p->y, p->w - 2 * MARGIN, 0, 0) + 6;
  } else {
    p->y += 4;
  }
  set_font(p, pt->font, 1);
  double x = MARGIN + pt->label_w;
  /* the school year over its columns, then the measure per column */
  if (!t->one_year) {
    for (int c = 0; c < t->n_cols;) {
      int span = 1;
      while (c + span < t->n_cols && t->cols[c + span].year == t->cols[c].year) span++;
      char y[10];
      school_year_format(t->cols[c].year, y);
      text(p, y, x + c * pt->col_w, p->y, span * pt->col_w - 2, span > 1 ? 2 : 1, 1);
      c += span;
    }
    p->y += pt->row_h;
  }
  if (t->cols[0].head[0]) {
    double hmax = 0;
    /* the measure's header in a size whose longest word fits its column ("Gerealiseerde"
       under five school years), not below 6 pt */
    double hs = pt->font - 0.5;
    set_font(p, hs, 1);
    double widest = 0;
    for (int c = 0; c < t->n_cols; c++) {
      char word[128];
      const char *h = t->cols[c].head;
      while (*h) {
        size_t n = strcspn(h, " ");
        if (n && n < sizeof word) {
          memcpy(word, h, n);
          word[n] = 0;
          double w = text_width(p, word);
          if (w > widest) widest = w;
        }
        h += n;
        while (*h == ' ') h++;
      }
    }
    if (widest > pt->col_w - 4) hs = hs * (pt->col_w - 4) / widest;
    if (hs < 6) hs = 6;
    set_font(p, hs, 1);
    for (int c = 0; c < t->n_cols; c++) {
      double h = text(p, t->cols[c].head, x + c * pt->col_w + 2, p->y, pt->col_w - 4, 1, 0);
      if (h > hmax) hmax = h;
    }
    p->y += hmax + 2;
  }
  cairo_set_line_width(cr, 0.8);
  cairo_move_to(cr, MARGIN, p->y);
  cairo_line_to(cr, x + t->n_cols * pt->col_w, p->y);
  cairo_stroke(cr);
  p->y += 2;
}

static int pdf_row(void *ctx, const struct rep_row *r) {
  struct ptable *pt = ctx;
  struct pdf *p = pt->p;
  const struct rep_table *t = pt->t;
  if (p->y + pt->row_h > bottom(p)) {
    new_page(p, p->w > p->h);
    pt->continued = 1;
    table_head(pt);
  }
  double x = MARGIN + pt->label_w;
  if (r->total) {
    cairo_set_source_rgb(p->cr, 0.93, 0.93, 0.93);
    cairo_rectangle(p->cr, MARGIN, p->y, pt->label_w + t->n_cols * pt->col_w, pt->row_h);
    cairo_fill(p->cr);
    cairo_set_source_rgb(p->cr, 0.106, 0.106, 0.106);
  }
  set_font(p, pt->font, r->total);
  text(p, r->label, MARGIN + 2, p->y + 1.5, pt->label_w - 6, 0, 1);
  for (int c = 0; c < t->n_cols; c++) {
    char s[64];
    report_format_cell(r, c, 0, s, sizeof s);
    if (*s) text(p, s, x + c * pt->col_w, p->y + 1.5, pt->col_w - 4, 1, 1);
  }
  p->y += pt->row_h;
  return 0;
}

static int measure_label(void *ctx, const struct rep_row *r) {
  struct ptable *pt = ctx;
  set_font(pt->p, pt->font, r->total);
  double w = text_width(pt->p, r->label) + 8;
  if (w > pt->label_w) pt->label_w = w;
  return 0;
}

static int draw_table(struct pdf *p, int ti, char *err, size_t errlen) {
  const struct rep_table *t = &p->rp->tables[ti];
  int landscape = t->n_cols > 8;
  new_page(p, landscape);
  struct ptable pt = {p, t, 60, 0, t->n_cols > 8 ? 7.5 : 8.5, 0, 0};
  pt.row_h = pt.font * 1.75;
  report_rows(p->rp, ti, measure_label, &pt);
  double avail = p->w - 2 * MARGIN;
  double max_label = avail - t->n_cols * 40.0;
  if (pt.label_w > max_label) pt.label_w = max_label;
  if (pt.label_w > 230) pt.label_w = 230;
  if (avail - pt.label_w < t->n_cols * 62.0 && avail - t->n_cols * 62.0 > 140)
    pt.label_w = avail - t->n_cols * 62.0;
  pt.col_w = (avail - pt.label_w) / t->n_cols;
  if (pt.col_w > 80) pt.col_w = 80;
  if (t->chart != REP_CHART_NONE) {
    set_font(p, 12, 1);
    p->y += text(p, t->title, MARGIN, p->y, avail, 0, 0) + 4;
    if (draw_chart(p, ti, err, errlen) != 0) return -1;
    if (p->y + 4 * pt.row_h + 40 > bottom(p)) new_page(p, landscape);
  }
  table_head(&pt);
  report_rows(p->rp, ti, pdf_row, &pt);
  return 0;
}

int report_write_pdf(const struct report *rp, const struct rep_opts *o, const char *path, char *err,
                     size_t errlen) {
  struct pdf p = {0};
  p.rp = rp;
  p.surface = cairo_pdf_surface_create(path, A4_W, A4_H);
  if (cairo_surface_status(p.surface) != CAIRO_STATUS_SUCCESS) {
    snprintf(err, errlen, "%s: cannot write: %s", path,
             cairo_status_to_string(cairo_surface_status(p.surface)));
    cairo_surface_destroy(p.surface);
    return -1;
  }
  cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, report_title(rp));
  cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "bereik");
  p.cr = cairo_create(p.surface);
  p.layout = pango_cairo_create_layout(p.cr);
  int rc = 0;
  title_page(&p, o);
  for (int t = 0; t < rp->n_tables && rc == 0; t++) rc = draw_table(&p, t, err, errlen);
  footer(&p);
  cairo_show_page(p.cr);
  g_object_unref(p.layout);
  cairo_destroy(p.cr);
  cairo_surface_finish(p.surface);
  cairo_status_t st = cairo_surface_status(p.surface);
  cairo_surface_destroy(p.surface);
  if (rc == 0 && st != CAIRO_STATUS_SUCCESS) {
    snprintf(err, errlen, "%s: cannot write: %s", path, cairo_status_to_string(st));
    rc = -1;
  }
  return rc;
}
