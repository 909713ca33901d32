/* SPDX-License-Identifier: EUPL-1.2 */
#include "measures/cache.h"
#include "measures/impact.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "db/db.h"
#include "domain/model.h"

struct cache_ref {
  int64_t service; /* the service the value is of (db_service): part of the key */
  char key[128];
  int64_t token;
  void *value;
  void (*free_fn)(void *);
  int refs;
  int listed; /* still in the table (else freed when the last reference goes) */
  uint64_t used;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct cache_ref *table[CACHE_ENTRIES];
static uint64_t tick, hits, misses;

/* Computations in progress: a request that misses while another computes the same key
   for the same token waits for that result instead of computing it again (many
   dashboards after one change would otherwise all compute the same facts at once). */
#define FLIGHTS 16
static struct {
  int64_t service;
  char key[128];
  int64_t token;
  int active;
} flights[FLIGHTS];
static pthread_cond_t flight_done = PTHREAD_COND_INITIALIZER;

static void drop(struct cache_ref *e) {
  e->free_fn(e->value);
  free(e);
}

/* The value under key and token, referenced; NULL when absent. COUNT: counted as a hit
   or a miss (cache_stats). */
static void *lookup_as(int64_t service, const char *key, int64_t token, struct cache_ref **ref, int count) {
  void *v = NULL;
  *ref = NULL;
  pthread_mutex_lock(&mu);
  for (int i = 0; i < CACHE_ENTRIES; i++) {
    struct cache_ref *e = table[i];
    if (e && e->service == service && e->token == token && !strcmp(e->key, key)) {
      e->refs++;
      e->used = ++tick;
      *ref = e;
      v = e->value;
      break;
    }
  }
  if (count && v)
    hits++;
  else if (count)
    misses++;
  pthread_mutex_unlock(&mu);
  return v;
}

static void *lookup(int64_t service, const char *key, int64_t token, struct cache_ref **ref) {
  return lookup_as(service, key, token, ref, 1);
}

/* As lookup; on a miss either waits for a computation of the same key and token in
   progress, or claims the computation (*flight >= 0: call flight_end after storing). */
static void *lookup_or_claim(int64_t service, const char *key, int64_t token, struct cache_ref **ref,
                             int *flight) {
  *flight = -1;
  for (;;) {
    void *v = lookup(service, key, token, ref);
    if (v) return v;
    pthread_mutex_lock(&mu);
    int busy = -1, free_slot = -1;
    for (int i = 0; i < FLIGHTS; i++) {
      if (flights[i].active && flights[i].service == service && flights[i].token == token &&
          !strcmp(flights[i].key, key))
        busy = i;
      if (!flights[i].active && free_slot < 0) free_slot = i;
    }
    if (busy >= 0) {
      while (flights[busy].active && flights[busy].service == service && flights[busy].token == token &&
             !strcmp(flights[busy].key, key))
        pthread_cond_wait(&flight_done, &mu);
      pthread_mutex_unlock(&mu);
      continue; /* the value is listed now, or the computation failed: look again */
    }
    if (free_slot >= 0) {
      snprintf(flights[free_slot].key, sizeof flights[free_slot].key, "%s", key);
      flights[free_slot].token = token;
      flights[free_slot].service = service;
      flights[free_slot].active = 1;
      *flight = free_slot;
    }
    pthread_mutex_unlock(&mu);
    return NULL;
  }
}

static void flight_end(int flight) {
  if (flight < 0) return;
  pthread_mutex_lock(&mu);
  flights[flight].active = 0;
  pthread_cond_broadcast(&flight_done);
  pthread_mutex_unlock(&mu);
}

/* Lists a new value (referenced once, for the caller). Entries of the same key with
   another token, then the least recently used, make room. */
static void *store(int64_t service, const char *key, int64_t token, void *value, void (*free_fn)(void *),
                   struct cache_ref **ref) {
  struct cache_ref *e = xcalloc(1, sizeof *e);
  e->service = service;
  snprintf(e->key, sizeof e->key, "%s", key);
  e->token = token;
  e->value = value;
  e->free_fn = free_fn;
  e->refs = 1;
  e->listed = 1;
  pthread_mutex_lock(&mu);
  e->used = ++tick;
  /* at most two tokens per key: the published one (cache_view) beside the newest */
  int slot = -1, same = -1, n_same = 0;
  for (int i = 0; i < CACHE_ENTRIES; i++) {
    if (!table[i]) {
      if (slot < 0) slot = i;
    } else if (table[i]->service == service && !strcmp(table[i]->key, key)) {
      n_same++;
      if (same < 0 || table[i]->used < table[same]->used) same = i;
    }
  }
  if (n_same >= 2) slot = same;
  if (slot < 0) {
    slot = 0;
    for (int i = 1; i < CACHE_ENTRIES; i++)
      if (table[i]->used < table[slot]->used) slot = i;
  }
  struct cache_ref *old = table[slot];
  table[slot] = e;
  if (old) {
    old->listed = 0;
    if (old->refs > 0) old = NULL; /* the last release frees it */
  }
  pthread_mutex_unlock(&mu);
  if (old) drop(old);
  *ref = e;
  return value;
}

void cache_release(struct cache_ref *ref) {
  if (!ref) return;
  pthread_mutex_lock(&mu);
  int gone = --ref->refs == 0 && !ref->listed;
  pthread_mutex_unlock(&mu);
  if (gone) drop(ref);
}

void cache_stats(uint64_t *h, uint64_t *m) {
  pthread_mutex_lock(&mu);
  *h = hits;
  *m = misses;
  pthread_mutex_unlock(&mu);
}

/* ---- reading while others write (cache_view) ---- */

static int64_t real_clock_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define WRITERS 4096          /* users' last writes, by id modulo: a collision only makes reads fresh */
#define REFRESH_LOST_MS 10000 /* a refresh that did not end by then is taken as lost */
#define VIEW_SLOTS 64         /* services with a view of their own; the least recently read goes first */
static pthread_mutex_t view_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t (*clock_ms)(void) = real_clock_ms;
/* One per service: a reader is only ever given its own service's published token. */
struct view {
  int64_t service;                            /* 0: a free slot */
  int64_t read_ms;                            /* the last read of this service's view */
  int64_t token, started_ms;                  /* the published read; token 0: none */
  int64_t refresh_since;                      /* a background refresh is due or running since; 0: none */
  int64_t refresh_took_ms;                    /* how long the last background refresh took */
  int64_t seen_token;                         /* the last database token seen */
  int64_t changes_ms[CACHE_PRESSURE_CHANGES]; /* when the last changes were seen */
  int next_change;
};
static struct view views[VIEW_SLOTS];
static int64_t wrote_ms[WRITERS]; /* 0: no write seen */
static uint64_t stale_reads, refreshes;
static int64_t max_age_ms;

/* The view of service (view_mu held): its slot, else a free one, else the least recently
   read one, which starts again from nothing (its next read is fresh). */
static struct view *view_of(int64_t service, int64_t now) {
  struct view *v = NULL;
  for (int i = 0; i < VIEW_SLOTS && !v; i++)
    if (views[i].service == service) v = &views[i];
  if (!v) {
    v = &views[0];
    for (int i = 0; i < VIEW_SLOTS; i++) {
      if (!views[i].service) {
        v = &views[i];
        break;
      }
      if (views[i].read_ms < v->read_ms) v = &views[i];
    }
    memset(v, 0, sizeof *v);
    v->service = service;
  }
  v->read_ms = now;
  return v;
}

static void note_change(struct view *view, int64_t now) {
  view->changes_ms[view->next_change] = now;
  view->next_change = (view->next_change + 1) % CACHE_PRESSURE_CHANGES;
}

int64_t cache_view_begin(struct cache_view *v, int64_t service, int64_t db_token, int64_t user_id,
                         int background) {
  memset(v, 0, sizeof *v);
  v->token = db_token;
  v->service = service;
  v->background = background;
  pthread_mutex_lock(&view_mu);
  int64_t now = clock_ms();
  struct view *view = view_of(service, now);
  v->started_ms = now;
  if (db_token != view->seen_token) {
    view->seen_token = db_token;
    note_change(view, now);
  }
  /* the oldest of the last CACHE_PRESSURE_CHANGES changes within the last second */
  int64_t oldest = view->changes_ms[view->next_change];
  int pressure = oldest > 0 && now - oldest < 1000;
  /* nothing written since the published read: it is as new as this one */
  if (view->token && view->token == db_token && !background) view->started_ms = now;
  int wrote = user_id > 0 && wrote_ms[user_id % WRITERS] >= view->started_ms;
  int64_t age = now - view->started_ms;
  if (view->refresh_since && now - view->refresh_since >= REFRESH_LOST_MS) view->refresh_since = 0;
  if (background || !view->token || wrote || !pressure || age >= CACHE_STALE_MS) {
    v->fresh = view->token != db_token || background;
  } else if (view->token != db_token) {
    v->token = view->token;
    stale_reads++;
    if (age > max_age_ms) max_age_ms = age;
    /* at most a third of a thread's time goes to refreshing: the next refresh is due
       three times the last one's length after it started (at least CACHE_REFRESH_MS,
       at most CACHE_REFRESH_MAX_MS) */
    int64_t due_after = 3 * view->refresh_took_ms;
    if (due_after < CACHE_REFRESH_MS) due_after = CACHE_REFRESH_MS;
    if (due_after > CACHE_REFRESH_MAX_MS) due_after = CACHE_REFRESH_MAX_MS;
    if (age >= due_after && !view->refresh_since) {
      view->refresh_since = now;
      v->refresh_due = 1;
    }
  }
  pthread_mutex_unlock(&view_mu);
  return v->token;
}

void cache_view_end(struct cache_view *v, int ok) {
  if (!v->fresh) return;
  pthread_mutex_lock(&view_mu);
  int64_t now = clock_ms();
  struct view *view = view_of(v->service, now);
  if (ok && v->started_ms >= view->started_ms) {
    view->token = v->token;
    view->started_ms = v->started_ms;
  }
  if (v->background) {
    view->refresh_since = 0;
    view->refresh_took_ms = now - v->started_ms;
    refreshes++;
  }
  pthread_mutex_unlock(&view_mu);
  v->fresh = v->background = 0;
}

void cache_view_refresh_dropped(int64_t service) {
  pthread_mutex_lock(&view_mu);
  view_of(service, clock_ms())->refresh_since = 0;
  pthread_mutex_unlock(&view_mu);
}

void cache_note_write(int64_t service, int64_t user_id) {
  if (user_id <= 0) return;
  pthread_mutex_lock(&view_mu);
  int64_t now = clock_ms();
  wrote_ms[user_id % WRITERS] = now;
  note_change(view_of(service, now), now);
  pthread_mutex_unlock(&view_mu);
}

void cache_view_stats(uint64_t *stale, int64_t *max_age, uint64_t *refreshed) {
  pthread_mutex_lock(&view_mu);
  *stale = stale_reads;
  *max_age = max_age_ms;
  *refreshed = refreshes;
  pthread_mutex_unlock(&view_mu);
}

void cache_view_set_clock(int64_t (*fn)(void)) {
  pthread_mutex_lock(&view_mu);
  clock_ms = fn ? fn : real_clock_ms;
  pthread_mutex_unlock(&view_mu);
}

void cache_view_reset(void) {
  pthread_mutex_lock(&view_mu);
  memset(views, 0, sizeof views);
  memset(wrote_ms, 0, sizeof wrote_ms);
  stale_reads = refreshes = 0;
  max_age_ms = 0;
  pthread_mutex_unlock(&view_mu);
}

static void free_facts(void *p) {
  facts_free(p);
  free(p);
}

const struct facts *cached_facts(struct db *db, int64_t token, const struct model *m, const int *years,
                                 int n_years, struct cache_ref **ref, char *err, size_t errlen) {
  char key[128];
  int off = snprintf(key, sizeof key, "facts");
  for (int i = 0; i < n_years && off < (int)sizeof key - 8; i++)
    off += snprintf(key + off, sizeof key - (size_t)off, ":%d", years[i]);
  int flight;
  const struct facts *f = lookup_or_claim(db_service(db), key, token, ref, &flight);
  if (f) return f;
  struct facts *nf = xcalloc(1, sizeof *nf);
  if (facts_compute(db, m, years, n_years, nf, err, errlen) != 0) {
    free(nf);
    flight_end(flight);
    return NULL;
  }
  f = store(db_service(db), key, token, nf, free_facts, ref);
  flight_end(flight);
  return f;
}

const struct facts *cached_impact(struct db *db, int64_t token, const struct model *m, const int *years,
                                  int n_years, int32_t today, struct cache_ref **ref, char *err,
                                  size_t errlen) {
  char key[160];
  int off = snprintf(key, sizeof key, "impact:%d", (int)today);
  for (int i = 0; i < n_years && off < (int)sizeof key - 8; i++)
    off += snprintf(key + off, sizeof key - (size_t)off, ":%d", years[i]);
  int flight;
  const struct facts *f = lookup_or_claim(db_service(db), key, token, ref, &flight);
  if (f) return f;
  struct facts *nf = xcalloc(1, sizeof *nf);
  if (impact_compute(db, m, years, n_years, today, nf, err, errlen) != 0) {
    facts_free(nf);
    free(nf);
    flight_end(flight);
    return NULL;
  }
  f = store(db_service(db), key, token, nf, free_facts, ref);
  flight_end(flight);
  return f;
}

static void free_reach(void *p) {
  struct reach_detail *r = p;
  free(r->reached);
  free(r->missing);
  free(r);
}

const struct reach_detail *cached_reach(struct db *db, int64_t token, const struct model *m, int year,
                                        struct cache_ref **ref, char *err, size_t errlen) {
  char key[64];
  snprintf(key, sizeof key, "reach:%d", year);
  int flight;
  const struct reach_detail *r = lookup_or_claim(db_service(db), key, token, ref, &flight);
  if (r) return r;
  struct reach_detail *nr = xcalloc(1, sizeof *nr);
  nr->reached = xcalloc(m->n_institutions + 1, 1);
  nr->missing = xcalloc(m->n_institutions + 1, 1);
  if (facts_reach_detail(db, m, year, nr->reached, nr->missing, err, errlen) != 0) {
    free_reach(nr);
    flight_end(flight);
    return NULL;
  }
  r = store(db_service(db), key, token, nr, free_reach, ref);
  flight_end(flight);
  return r;
}

const struct weekly *cached_weekly(struct db *db, int64_t token, const struct model *m, int year,
                                   struct cache_ref **ref, char *err, size_t errlen) {
  char key[64];
  snprintf(key, sizeof key, "weekly:%d", year);
  int flight;
  const struct weekly *w = lookup_or_claim(db_service(db), key, token, ref, &flight);
  if (w) return w;
  struct weekly *nw = xcalloc(1, sizeof *nw);
  if (facts_weekly(db, m, year, nw->registered, nw->klv, err, errlen) != 0) {
    free(nw);
    flight_end(flight);
    return NULL;
  }
  w = store(db_service(db), key, token, nw, free, ref);
  flight_end(flight);
  return w;
}

static void free_years(void *p) {
  struct years *y = p;
  free(y->years);
  free(y);
}

const struct years *cached_years(struct db *db, int64_t token, struct cache_ref **ref, char *err,
                                 size_t errlen) {
  int flight;
  const struct years *y = lookup_or_claim(db_service(db), "years", token, ref, &flight);
  if (y) return y;
  struct years *ny = xcalloc(1, sizeof *ny);
  if (facts_years_with_data(db, &ny->years, &ny->n, err, errlen) != 0) {
    free(ny);
    flight_end(flight);
    return NULL;
  }
  y = store(db_service(db), "years", token, ny, free_years, ref);
  flight_end(flight);
  return y;
}

static void free_model(void *p) {
  model_free(p);
  free(p);
}

const struct model *cached_model(struct db *db, int64_t token, struct cache_ref **ref, char *err,
                                 size_t errlen) {
  int flight;
  const struct model *m = lookup_or_claim(db_service(db), "model", token, ref, &flight);
  if (m) return m;
  struct model *nm = xcalloc(1, sizeof *nm);
  if (model_load(db, nm, err, errlen) != 0) {
    free(nm);
    flight_end(flight);
    return NULL;
  }
  m = store(db_service(db), "model", token, nm, free_model, ref);
  flight_end(flight);
  return m;
}

struct text {
  void *extra; /* cache_text_attach: freed with the text */
  size_t len;
  char data[];
};

static void free_text(void *v) {
  struct text *t = v;
  free(t->extra);
  free(t);
}

const char *cache_text_get(int64_t service, const char *key, int64_t token, size_t *len,
                           struct cache_ref **ref) {
  const struct text *t = lookup(service, key, token, ref);
  if (!t) return NULL;
  *len = t->len;
  return t->data;
}

const char *cache_text_peek(int64_t service, const char *key, int64_t token, size_t *len,
                            struct cache_ref **ref) {
  const struct text *t = lookup_as(service, key, token, ref, 0);
  if (!t) return NULL;
  *len = t->len;
  return t->data;
}

void cache_text_put(int64_t service, const char *key, int64_t token, const char *text, size_t len) {
  struct text *t = xmalloc(sizeof *t + len + 1);
  t->extra = NULL;
  t->len = len;
  memcpy(t->data, text, len);
  t->data[len] = 0;
  struct cache_ref *ref;
  store(service, key, token, t, free_text, &ref);
  cache_release(ref);
}

const void *cache_text_extra(struct cache_ref *ref) {
  pthread_mutex_lock(&mu);
  const void *x = ((struct text *)ref->value)->extra;
  pthread_mutex_unlock(&mu);
  return x;
}

const void *cache_text_attach(struct cache_ref *ref, void *extra) {
  pthread_mutex_lock(&mu);
  struct text *t = ref->value;
  if (!t->extra) {
    t->extra = extra;
    extra = NULL;
  }
  const void *x = t->extra;
  pthread_mutex_unlock(&mu);
  free(extra);
  return x;
}
