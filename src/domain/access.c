/* SPDX-License-Identifier: EUPL-1.2 */
#include "domain/access.h"

#include <stdlib.h>
#include <string.h>

#include "core/lists.h"

static int cmp_id(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

int advisor_scope_of(const struct model *m, int64_t advisor_id, int team_wide, struct advisor_scope *s) {
  *s = (struct advisor_scope){0};
  int me = advisor_id > 0 && advisor_id <= m->max_advisor_id ? m->advisor_of_id[advisor_id] : -1;
  if (me < 0) return 0;
  size_t cap = 1;
  if (team_wide)
    for (int k = 0; k < m->advisors[me].n_teams; k++)
      cap += (size_t)m->teams[m->advisors[me].teams[k]].n_members;
  s->ids = malloc(cap * sizeof *s->ids);
  if (!s->ids) return -1;
  s->ids[s->n++] = advisor_id;
  if (team_wide)
    for (int k = 0; k < m->advisors[me].n_teams; k++) {
      const struct team *t = &m->teams[m->advisors[me].teams[k]];
      for (int j = 0; j < t->n_members; j++) s->ids[s->n++] = m->advisors[t->members[j]].id;
    }
  qsort(s->ids, (size_t)s->n, sizeof *s->ids, cmp_id);
  int w = 0;
  for (int i = 0; i < s->n; i++)
    if (w == 0 || s->ids[w - 1] != s->ids[i]) s->ids[w++] = s->ids[i];
  s->n = w;
  return 0;
}

void advisor_scope_free(struct advisor_scope *s) {
  free(s->ids);
  *s = (struct advisor_scope){0};
}

int advisor_scope_has(const struct advisor_scope *s, int64_t advisor_id) {
  if (s->all) return 1;
  return s->n > 0 && bsearch(&advisor_id, s->ids, (size_t)s->n, sizeof *s->ids, cmp_id) != NULL;
}

int64_t registration_in_scope(struct db *db, const struct advisor_scope *s, const char *ext_id) {
  if (!ext_id || !*ext_id || (!s->all && s->n == 0)) return 0;
  struct db_stmt *st = db_prepare(db, "SELECT id FROM registration WHERE ext_id = ?");
  if (!st) return -1;
  db_bind_text(st, 1, ext_id);
  int rc = db_step(st);
  int64_t id = rc == DB_ROW ? db_col_int64(st, 0) : 0;
  db_finalize(st);
  if (rc != DB_ROW && rc != DB_DONE) return -1;
  if (!id || s->all) return id;
  st = db_prepare(db, "SELECT advisor_id FROM registration_advisor WHERE registration_id = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, id);
  int in = 0;
  while (!in && (rc = db_step(st)) == DB_ROW) in = advisor_scope_has(s, db_col_int64(st, 0));
  db_finalize(st);
  return in ? id : 0;
}

int64_t registration_author(struct db *db, int64_t id) {
  struct db_stmt *st = db_prepare(db, "SELECT author_id FROM registration WHERE id = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, id);
  int rc = db_step(st);
  int64_t a = rc == DB_ROW && !db_col_is_null(st, 0) ? db_col_int64(st, 0) : 0;
  db_finalize(st);
  return rc == DB_ERROR ? -1 : a;
}

int registration_set_author(struct db *db, int64_t id, int64_t advisor_id) {
  if (advisor_id <= 0) return 0;
  struct db_stmt *st = db_prepare(db, "UPDATE registration SET author_id = ? WHERE id = ?");
  if (!st) return -1;
  db_bind_int64(st, 1, advisor_id);
  db_bind_int64(st, 2, id);
  int rc = db_step(st);
  db_finalize(st);
  return rc == DB_DONE ? 0 : -1;
}

int registration_owned(const struct advisor_scope *s, int64_t author) {
  return author <= 0 || advisor_scope_has(s, author);
}

int registration_only_self_removed(const char *old_list, const char *new_list, const char *self) {
  char *oc, **oi, *nc, **ni;
  int no = list_split(old_list, &oc, &oi), nn = list_split(new_list, &nc, &ni);
  int ok = nn == no - 1 && nn > 0;
  int k = 0, removed = 0;
  for (int i = 0; ok && i < no; i++) {
    if (!removed && !strcmp(oi[i], self)) {
      removed = 1;
      continue;
    }
    ok = k < nn && !strcmp(oi[i], ni[k]);
    k++;
  }
  ok = ok && removed;
  free(oc);
  free(oi);
  free(nc);
  free(ni);
  return ok;
}
