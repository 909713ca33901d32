/* SPDX-License-Identifier: EUPL-1.2 */
/* bereik export DIR: every file of the dataset, rows sorted by key, columns in the
   order of DATA-FORMAT.md, ',' delimiter, LF, no BOM, quoting only where RFC 4180
   needs it, numbers in their shortest exact form. Each file is written to a temporary
   name and renamed, so a failed export leaves no half-written file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/escape.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/model.h"
#include "io/dataset.h"

void dataset_csv_cell(FILE *f, const char *s, int first) {
  if (!first) fputc(',', f);
  escape_csv(f, s, ',', 0);
}

/* Registration links loaded once, indexed by registration id (CSR layout). */
struct links {
  int64_t max_id;
  uint32_t *off; /* max_id + 2 */
  int *item;     /* model index */
  int64_t *value;
};

static int load_links(struct db *db, const char *sql, const int *index_of, int64_t max_index, int64_t max_id,
                      struct links *l) {
  memset(l, 0, sizeof *l);
  l->max_id = max_id;
  l->off = xcalloc((size_t)max_id + 2, sizeof *l->off);
  struct db_stmt *st = db_prepare(db, sql);
  if (!st) return -1;
  size_t n = 0, cap = 0;
  int64_t *ids = NULL;
  while (db_step(st) == DB_ROW) {
    int64_t id = db_col_int64(st, 0), x = db_col_int64(st, 1);
    if (id < 0 || id > max_id || x < 0 || x > max_index) continue;
    size_t old = cap;
    grow_array((void **)&ids, &cap, n + 1, sizeof *ids);
    if (cap != old) {
      l->item = xrealloc(l->item, cap * sizeof *l->item);
      l->value = xrealloc(l->value, cap * sizeof *l->value);
    }
    ids[n] = id;
    l->item[n] = index_of[x];
    l->value[n] = db_col_int64(st, 2);
    n++;
    l->off[id + 1]++;
  }
  db_finalize(st);
  for (int64_t i = 0; i <= max_id; i++) l->off[i + 1] += l->off[i];
  /* rows came ordered by registration id, so they already sit at their offsets */
  free(ids);
  return 0;
}

static void free_links(struct links *l) {
  free(l->off);
  free(l->item);
  free(l->value);
}

static int cmp_cstr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void write_list(FILE *f, const struct links *l, int64_t id, char *const *names) {
  fputc(',', f);
  if (id > l->max_id) return;
  uint32_t a = l->off[id], b = l->off[id + 1];
  const char *stack[64];
  const char **v = b - a <= 64 ? stack : xmalloc(sizeof(char *) * (b - a));
  for (uint32_t i = a; i < b; i++) v[i - a] = names[l->item[i]];
  qsort(v, b - a, sizeof *v, cmp_cstr);
  struct buf s = {0};
  for (uint32_t i = 0; i < b - a; i++) buf_printf(&s, "%s%s", i ? "|" : "", v[i]);
  dataset_csv_cell(f, buf_str(&s), 1);
  buf_free(&s);
  if (v != stack) free(v);
}

static int export_file(struct db *db, const struct model *m, int fid, FILE *f) {
  const struct filedef *fd = &dataset_files[fid];
  for (int c = 0; c < fd->ncols; c++) dataset_csv_cell(f, fd->cols[c].name, c == 0);
  if (fid == F_REGISTRATIONS)
    for (size_t g = 0; g < m->n_target_groups; g++) {
      fputs(",tg.", f);
      fputs(m->target_groups[g].code, f);
    }
  fputc('\n', f);

  struct links adv = {0}, inst = {0}, counts = {0};
  char **adv_codes = NULL, **inst_numbers = NULL;
  if (fid == F_REGISTRATIONS) {
    int64_t max_id = db_query_int(db, "SELECT MAX(id) FROM registration", 0);
    if (load_links(db,
                   "SELECT registration_id, advisor_id, 0 FROM registration_advisor ORDER BY registration_id",
                   m->advisor_of_id, m->max_advisor_id, max_id, &adv) ||
        load_links(db,
                   "SELECT registration_id, institution_id, 0 FROM registration_institution ORDER BY "
                   "registration_id",
                   m->inst_of_id, m->max_inst_id, max_id, &inst) ||
        load_links(
            db,
            "SELECT registration_id, target_group_id, count FROM registration_count ORDER BY registration_id",
            m->tg_of_id, m->max_tg_id, max_id, &counts))
      return -1;
    adv_codes = xmalloc(sizeof(char *) * (m->n_advisors + 1));
    for (size_t i = 0; i < m->n_advisors; i++) adv_codes[i] = m->advisors[i].code;
    inst_numbers = xmalloc(sizeof(char *) * (m->n_institutions + 1));
    for (size_t i = 0; i < m->n_institutions; i++) inst_numbers[i] = m->institutions[i].number;
  }
  int rc = 0;
  struct db_stmt *st = db_prepare(db, fd->select_all);
  struct db_stmt *list = NULL;
  if (fid == F_TEAMS)
    list = db_prepare(db, "SELECT l.code FROM team_line tl JOIN line l ON l.id = tl.line_id "
                          "WHERE tl.team_id = ? ORDER BY l.code");
  if (fid == F_ADVISORS)
    list = db_prepare(db, "SELECT t.code FROM team_member tm JOIN team t ON t.id = tm.team_id "
                          "WHERE tm.advisor_id = ? ORDER BY t.code");
  if (!st || ((fid == F_TEAMS || fid == F_ADVISORS) && !list)) {
    rc = -1;
    goto out;
  }
  char tmp[64];
  int step;
  long long *cnt = xcalloc(m->n_target_groups + 1, sizeof *cnt);
  while ((step = db_step(st)) == DB_ROW) {
    for (int c = 0; c < fd->ncols; c++) {
      int is_list = fd->cols[c].type == C_LIST;
      if (is_list && fid == F_REGISTRATIONS) {
        int64_t id = db_col_int64(st, c);
        if (c == 6)
          write_list(f, &adv, id, adv_codes);
        else
          write_list(f, &inst, id, inst_numbers);
        continue;
      }
      if (is_list) {
        struct buf s = {0};
        db_bind_int64(list, 1, db_col_int64(st, c));
        while (db_step(list) == DB_ROW) buf_printf(&s, "%s%s", s.len ? "|" : "", db_col_text(list, 0));
        db_reset(list);
        dataset_csv_cell(f, buf_str(&s), c == 0);
        buf_free(&s);
        continue;
      }
      dataset_csv_cell(f, dataset_format_col(st, c, fd->cols[c].type, tmp), c == 0);
    }
    if (fid == F_REGISTRATIONS) {
      int64_t id = db_col_int64(st, 6);
      memset(cnt, 0, sizeof(long long) * (m->n_target_groups + 1));
      if (id <= counts.max_id)
        for (uint32_t i = counts.off[id]; i < counts.off[id + 1]; i++)
          if (counts.item[i] >= 0) cnt[counts.item[i]] = counts.value[i];
      for (size_t g = 0; g < m->n_target_groups; g++) {
        if (cnt[g])
          fprintf(f, ",%lld", cnt[g]);
        else
          fputc(',', f);
      }
    }
    fputc('\n', f);
  }
  free(cnt);
  if (step == DB_ERROR) rc = -1;
out:
  db_finalize(st);
  db_finalize(list);
  free_links(&adv);
  free_links(&inst);
  free_links(&counts);
  free(adv_codes);
  free(inst_numbers);
  return rc;
}

int dataset_export_file(struct db *db, const char *file, FILE *out) {
  db_begin_read(db);
  int rc = dataset_write_file(db, file, out);
  db_commit(db);
  return rc;
}

int dataset_write_file(struct db *db, const char *file, FILE *out) {
  int fid = -1;
  for (int f = 0; f < F_COUNT; f++)
    if (!strcmp(dataset_files[f].file, file)) fid = f;
  if (fid < 0) return -1;
  struct model m;
  char err[512];
  if (model_load(db, &m, err, sizeof err) != 0) return -1;
  int rc = export_file(db, &m, fid, out);
  model_free(&m);
  return rc;
}

int dataset_export(struct db *db, const char *dir) {
  struct model m;
  char err[512];
  if (model_load(db, &m, err, sizeof err) != 0) {
    fprintf(stderr, "bereik: %s\n", err);
    return -1;
  }
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "bereik: cannot create folder %s: %s\n", dir, strerror(errno));
    model_free(&m);
    return -1;
  }
  int rc = 0;
  /* one read transaction: every file shows the same moment */
  db_begin_read(db);
  for (int fid = 0; fid < F_COUNT && rc == 0; fid++) {
    struct buf path = {0}, tmp = {0};
    buf_printf(&path, "%s/%s", dir, dataset_files[fid].file);
    buf_printf(&tmp, "%s.tmp", buf_str(&path));
    FILE *f = fopen(buf_str(&tmp), "wb");
    if (!f) {
      fprintf(stderr, "bereik: cannot write %s\n", buf_str(&tmp));
      rc = -1;
    } else {
      if (export_file(db, &m, fid, f) != 0) {
        fprintf(stderr, "bereik: exporting %s: %s\n", dataset_files[fid].file, db_errmsg(db));
        rc = -1;
      }
      if (fclose(f) != 0) rc = -1;
      if (rc == 0 && rename(buf_str(&tmp), buf_str(&path)) != 0) {
        fprintf(stderr, "bereik: cannot write %s\n", buf_str(&path));
        rc = -1;
      }
      if (rc != 0) remove(buf_str(&tmp));
    }
    buf_free(&path);
    buf_free(&tmp);
  }
  db_commit(db);
  model_free(&m);
  return rc;
}
