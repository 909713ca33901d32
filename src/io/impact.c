/* SPDX-License-Identifier: EUPL-1.2 */
#include "io/impact.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "db/db.h"
#include "domain/audit.h"
#include "io/dataset.h"

#define MAX_FILES 4

/* One write: the files it imports, the rows it replaces, the object it audits. */
struct write_ctx {
  const struct ref_change *c;
  const char *object_type; /* "trajectory", "followup", "registration_mechanisms" */
  const char *key;         /* the object's id */
  int fids[MAX_FILES];     /* the files whose rows with this key make up the object */
  int nfids;
  const char *replace_sql[3]; /* run with the key before the import (replace semantics) */
  int nreplace;
  struct buf before;
  int existed;
  int step_of[TRAJ_MAX_STEPS]; /* action_steps.csv data row -> index of the step in the form */
  int nstep_rows;
};

/* The object as JSON: for each of its files the rows whose first column is the key. */
static int snapshot(struct db *db, struct write_ctx *w, struct buf *out, int *found) {
  *found = 0;
  buf_putc(out, '{');
  for (int i = 0; i < w->nfids; i++) {
    struct ref_table t;
    if (refdata_load(db, w->fids[i], &t, 1) != 0) {
      refdata_free(&t);
      return -1;
    }
    char name[64];
    snprintf(name, sizeof name, "%s", dataset_files[w->fids[i]].file);
    char *dot = strstr(name, ".csv");
    if (dot) *dot = 0;
    buf_printf(out, "%s\"%s\":[", i ? "," : "", name);
    int n = 0;
    for (size_t r = 0; r < t.n; r++) {
      if (strcmp(t.rows[r][0], w->key)) continue;
      if (n++) buf_putc(out, ',');
      refdata_row_json(w->fids[i], t.rows[r], out);
      if (i == 0) *found = 1;
    }
    buf_putc(out, ']');
    refdata_free(&t);
  }
  buf_putc(out, '}');
  return 0;
}

static int before_import(struct db *db, void *arg) {
  struct write_ctx *w = arg;
  if (snapshot(db, w, &w->before, &w->existed) != 0) return -1;
  for (int i = 0; i < w->nreplace; i++) {
    struct db_stmt *st = db_prepare(db, w->replace_sql[i]);
    if (!st) return -1;
    db_bind_text(st, 1, w->key);
    int rc = db_step(st);
    db_finalize(st);
    if (rc == DB_ERROR) return -1;
  }
  return 0;
}

static int after_import(struct db *db, void *arg) {
  struct write_ctx *w = arg;
  struct buf after = {0};
  int found;
  int rc = snapshot(db, w, &after, &found);
  /* no entry for an object the write left as it was */
  if (!rc && ((w->existed && !strcmp(buf_str(&w->before), buf_str(&after))) || (!w->existed && !found))) {
    buf_free(&after);
    return 0;
  }
  if (!rc)
    rc = audit_write(db, w->c->now, w->c->actor, w->existed ? "update" : "create", w->object_type, w->key,
                     w->existed ? buf_str(&w->before) : NULL, buf_str(&after), NULL);
  buf_free(&after);
  return rc;
}

/* Problems name the field of the form or body, not the column of the file this door wrote:
   "advisors.1" for the second advisor, "steps.0.due" for the first step's date,
   "outcome_note" for the outcome's note (dots separate the path, as in the API's fields). */
static void to_sink(void *arg, const char *file, long line, const char *column, const char *message) {
  const struct write_ctx *w = arg;
  if (!w->c->problem) return;
  int traj = !strcmp(w->object_type, "trajectory");
  /* a trajectory's own rows name it by the id this door gave them: when its row is
     refused, "unknown trajectory" in the others says nothing more */
  if (traj && strcmp(file, "trajectories.csv") && column && !strcmp(column, "trajectory")) return;
  char field[64];
  long row = line - 2; /* line 1 is the header */
  if (traj && column && row >= 0 && !strcmp(file, "trajectory_advisors.csv")) {
    snprintf(field, sizeof field, "advisors.%ld", row);
    column = field;
  } else if (traj && column && row >= 0 && row < w->nstep_rows && !strcmp(file, "action_steps.csv")) {
    if (!strcmp(column, "step"))
      snprintf(field, sizeof field, "steps.%d", w->step_of[row]);
    else
      snprintf(field, sizeof field, "steps.%d.%s", w->step_of[row], column);
    column = field;
  } else if (traj && column && !strcmp(file, "trajectory_outcomes.csv") && !strcmp(column, "note")) {
    column = "outcome_note";
  }
  w->c->problem(w->c->arg, column, message);
}

/* A CSV file in memory being written: header, then rows. */
struct memfile {
  char *data;
  size_t len;
  FILE *f;
};
static int mem_open(struct memfile *m, const char *const *header, int n) {
  m->data = NULL;
  m->len = 0;
  m->f = open_memstream(&m->data, &m->len);
  if (!m->f) return -1;
  for (int i = 0; i < n; i++) dataset_csv_cell(m->f, header[i], i == 0);
  fputc('\n', m->f);
  return 0;
}
static void mem_row(struct memfile *m, const char *const *cells, int n) {
  for (int i = 0; i < n; i++) dataset_csv_cell(m->f, cells[i] ? cells[i] : "", i == 0);
  fputc('\n', m->f);
}

/* Imports files[0..n) (their streams closed here) under w; frees the buffers. */
static int run(struct db *db, struct memfile *files, const int *fids, int n, struct write_ctx *w) {
  struct dataset_mem mem[MAX_FILES + 1];
  int ok = 1;
  for (int i = 0; i < n; i++) {
    if (fclose(files[i].f) != 0) ok = 0;
    mem[i] = (struct dataset_mem){fids[i], files[i].data, files[i].len};
  }
  char *chatter = NULL;
  size_t chatter_len = 0;
  FILE *out = open_memstream(&chatter, &chatter_len);
  int rc = REF_FAILED;
  if (ok && out) {
    struct import_opts o = {.lang = w->c->lang,
                            .after_begin = before_import,
                            .before_commit = after_import,
                            .arg = w,
                            .problem = to_sink,
                            .problem_arg = w};
    int irc = dataset_import_mem(db, mem, n, w->c->actor, out, &o);
    rc = irc == 0 ? REF_OK : irc == 1 ? REF_INVALID : REF_FAILED;
  }
  if (out) fclose(out);
  free(chatter);
  for (int i = 0; i < n; i++) free(files[i].data);
  buf_free(&w->before);
  return rc;
}

static void new_id(const char *prefix, char *out, size_t n) {
  unsigned char raw[5];
  char hex[11];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  snprintf(out, n, "%s%s", prefix, hex);
}

static const char *nz(const char *s) { return s ? s : ""; }

int impact_trajectory_save(struct db *db, const struct traj_form *f, char *id_out, size_t id_len,
                           const struct ref_change *c) {
  char id[64];
  if (f->id && *f->id)
    snprintf(id, sizeof id, "%s", f->id);
  else
    new_id("T-", id, sizeof id);
  snprintf(id_out, id_len, "%s", id);
  static const char *const th[] = {"id",          "institution", "line",  "goal", "level",
                                   "shared_goal", "action_plan", "start", "end",  "status"};
  static const char *const ah[] = {"trajectory", "advisor"};
  static const char *const sh[] = {"trajectory", "step", "what", "who", "due", "expected", "done"};
  static const char *const oh[] = {"trajectory", "outcome", "note"};
  struct memfile files[4];
  int fids[4] = {F_TRAJECTORIES, F_TRAJECTORY_ADVISORS, F_ACTION_STEPS, F_TRAJECTORY_OUTCOMES};
  int n = 0;
  if (mem_open(&files[n++], th, 10) != 0) return REF_FAILED;
  const char *tr[] = {id,
                      f->institution,
                      f->line,
                      f->goal,
                      f->level,
                      f->shared_goal,
                      f->action_plan,
                      f->start,
                      f->end,
                      f->status && *f->status ? f->status : "active"};
  mem_row(&files[0], tr, 10);
  /* advisors: split on '|', ',' and white space */
  if (mem_open(&files[n++], ah, 2) != 0) return REF_FAILED;
  char *copy = strdup(nz(f->advisors));
  for (char *save = NULL, *tok = copy ? strtok_r(copy, "|, \t\r\n", &save) : NULL; tok;
       tok = strtok_r(NULL, "|, \t\r\n", &save)) {
    const char *row[] = {id, tok};
    mem_row(&files[1], row, 2);
  }
  free(copy);
  if (mem_open(&files[n++], sh, 7) != 0) return REF_FAILED;
  int step = 0, step_of[TRAJ_MAX_STEPS] = {0};
  for (int i = 0; i < f->nsteps && i < TRAJ_MAX_STEPS; i++) {
    const struct traj_step *s = &f->steps[i];
    if (!*nz(s->what) && !*nz(s->who) && !*nz(s->due) && !*nz(s->expected)) continue;
    step_of[step] = i;
    char num[16];
    snprintf(num, sizeof num, "%d", ++step);
    const char *row[] = {id, num, s->what, s->who, s->due, s->expected, s->done ? "true" : "false"};
    mem_row(&files[2], row, 7);
  }
  int has_outcome = f->outcome && *f->outcome;
  if (has_outcome) {
    if (mem_open(&files[n++], oh, 3) != 0) return REF_FAILED;
    const char *row[] = {id, f->outcome, f->outcome_note};
    mem_row(&files[3], row, 3);
  }
  struct write_ctx w = {
      .c = c,
      .object_type = "trajectory",
      .key = id,
      .fids = {F_TRAJECTORIES, F_TRAJECTORY_ADVISORS, F_ACTION_STEPS, F_TRAJECTORY_OUTCOMES},
      .nfids = 4,
      .replace_sql = {"DELETE FROM trajectory_advisor WHERE trajectory_id = "
                      "(SELECT id FROM trajectory WHERE ext_id = ?)",
                      "DELETE FROM action_step WHERE trajectory_id = "
                      "(SELECT id FROM trajectory WHERE ext_id = ?)",
                      "UPDATE trajectory SET outcome = NULL, outcome_note = NULL WHERE ext_id = ?"},
      .nreplace = 3,
      .nstep_rows = step};
  memcpy(w.step_of, step_of, sizeof(int) * (size_t)step);
  return run(db, files, fids, n, &w);
}

int impact_followup_add(struct db *db, const char *trajectory, const char *date, const char *note,
                        const char *next_step, const char *registration, char *id_out, size_t id_len,
                        const struct ref_change *c) {
  char id[64];
  new_id("F-", id, sizeof id);
  snprintf(id_out, id_len, "%s", id);
  static const char *const h[] = {"id", "trajectory", "date", "note", "next_step", "registration"};
  struct memfile file;
  int fid = F_FOLLOWUPS;
  if (mem_open(&file, h, 6) != 0) return REF_FAILED;
  const char *row[] = {id, trajectory, date, note, next_step, registration};
  mem_row(&file, row, 6);
  struct write_ctx w = {.c = c, .object_type = "followup", .key = id, .fids = {F_FOLLOWUPS}, .nfids = 1};
  return run(db, &file, &fid, 1, &w);
}

int impact_phase_set(struct db *db, const char *trajectory, const char *phase, const char *date,
                     const struct ref_change *c) {
  static const char *const h[] = {"trajectory", "phase", "date"};
  struct memfile file;
  int fid = F_TRAJECTORY_PHASES;
  if (mem_open(&file, h, 3) != 0) return REF_FAILED;
  const char *row[] = {trajectory, phase, date};
  mem_row(&file, row, 3);
  struct write_ctx w = {.c = c,
                        .object_type = "trajectory_phases",
                        .key = trajectory,
                        .fids = {F_TRAJECTORY_PHASES},
                        .nfids = 1};
  return run(db, &file, &fid, 1, &w);
}

int impact_mechanisms_set(struct db *db, const char *registration, const char *mechanisms,
                          const struct ref_change *c) {
  static const char *const h[] = {"registration", "mechanism"};
  struct memfile file;
  int fid = F_MECHANISMS;
  if (mem_open(&file, h, 2) != 0) return REF_FAILED;
  char *copy = strdup(nz(mechanisms));
  for (char *save = NULL, *tok = copy ? strtok_r(copy, "|, \t\r\n", &save) : NULL; tok;
       tok = strtok_r(NULL, "|, \t\r\n", &save)) {
    const char *row[] = {registration, tok};
    mem_row(&file, row, 2);
  }
  free(copy);
  struct write_ctx w = {.c = c,
                        .object_type = "registration_mechanisms",
                        .key = registration,
                        .fids = {F_MECHANISMS},
                        .nfids = 1,
                        .replace_sql = {"DELETE FROM registration_mechanism WHERE registration_id = "
                                        "(SELECT id FROM registration WHERE ext_id = ?)"},
                        .nreplace = 1};
  return run(db, &file, &fid, 1, &w);
}
