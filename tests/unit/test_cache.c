/* SPDX-License-Identifier: EUPL-1.2 */
/* The serve process's cache (measures/cache.h) on a SQLite file filled by the project's
   import: a value asked for again under the same revision token is the same object (a
   hit), a write gives a new token (db_revision) under which the value is computed again
   from the new data, and rendered texts round-trip under their key and token.

   Data: school year 2024-2025 (hours_per_fte 1185), line P1, advisor AN;
   R1 2024-10-07 (a Monday) 60 minutes internal by AN. A later import adds R2, 2024-10-08,
   30 minutes internal by AN. By hand: registered hours 60/60 = 1.0, then
   (60 + 30)/60 = 1.5. 1 September 2024 is a Sunday, so week 0 of 2024-2025 starts on
   Monday 26 August and 7 October (42 days later) lies in week 6.

   The views (cache_view_begin/end) run on a fake clock and made-up tokens. The rules
   (cache.h): a reader gets the database's token unless CACHE_PRESSURE_CHANGES (50)
   writes or new tokens were seen within the last second; then the published token of a fresh read that
   started less than CACHE_STALE_MS (5000 ms) before, unless the reader wrote since that read started; the
   first reader of a published read 250 ms old or more (three times the last refresh's length, at most 1000
   ms) is asked for a background refresh, one at a time, which reads fresh and publishes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "domain/model.h"
#include "io/dataset.h"
#include "measures/cache.h"
#include "measures/facts.h"

#define Y 2024

static const char *const FILES[] = {"settings.csv", "sectors.csv", "lines.csv", "advisors.csv",
                                    "registrations.csv"};

struct fixture {
  char db_path[64], dir[64];
  struct db *db;
};

static void write_file(const char *dir, const char *name, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) fail_msg("cannot write %s", path);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

static void clear_dir(const char *dir) {
  char p[300];
  for (size_t i = 0; i < sizeof FILES / sizeof FILES[0]; i++) {
    snprintf(p, sizeof p, "%s/%s", dir, FILES[i]);
    unlink(p);
  }
}

static int import(struct fixture *fx) {
  FILE *devnull = fopen("/dev/null", "w");
  if (!devnull) return -1;
  int rc = dataset_import_to(fx->db, fx->dir, "test", devnull);
  fclose(devnull);
  clear_dir(fx->dir);
  return rc;
}

static int setup(void **state) {
  struct fixture *fx = calloc(1, sizeof *fx);
  if (!fx) return -1;
  *state = fx;
  snprintf(fx->db_path, sizeof fx->db_path, "/tmp/bereik-cache-db-XXXXXX");
  int fd = mkstemp(fx->db_path);
  if (fd < 0) return -1;
  close(fd);
  snprintf(fx->dir, sizeof fx->dir, "/tmp/bereik-cache-ds-XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  setenv("BEREIK_TODAY", "2025-08-15", 1);
  char err[512];
  fx->db = db_open(fx->db_path, err, sizeof err);
  if (!fx->db || db_migrate(fx->db, err, sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    return -1;
  }
  write_file(fx->dir, "settings.csv", "school_year,hours_per_fte\n2024-2025,1185\n");
  write_file(fx->dir, "sectors.csv", "code,name\nSO,Secundair onderwijs\n");
  write_file(fx->dir, "lines.csv", "code,name,kind\nP1,Pijler 1,pillar\n");
  write_file(fx->dir, "advisors.csv", "code,name,fte\nAN,Anna,1\n");
  write_file(fx->dir, "registrations.csv",
             "id,date,minutes,kind,line,advisors,activity\n"
             "R1,2024-10-07,60,internal,P1,AN,preparation\n");
  return import(fx) == 0 ? 0 : -1;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  if (!fx) return 0;
  if (fx->db) db_close(fx->db);
  char p[300];
  unlink(fx->db_path);
  snprintf(p, sizeof p, "%s-wal", fx->db_path);
  unlink(p);
  snprintf(p, sizeof p, "%s-shm", fx->db_path);
  unlink(p);
  clear_dir(fx->dir);
  rmdir(fx->dir);
  unsetenv("BEREIK_TODAY");
  free(fx);
  return 0;
}

/* A write of one more registration (R2, 30 minutes on 2024-10-08). */
static void add_r2(struct fixture *fx) {
  write_file(fx->dir, "registrations.csv",
             "id,date,minutes,kind,line,advisors,activity\n"
             "R2,2024-10-08,30,internal,P1,AN,preparation\n");
  assert_int_equal(import(fx), 0);
}

static int64_t token_of(struct db *db) {
  int64_t t = 0;
  assert_int_equal(db_revision(db, &t, NULL), 0);
  return t;
}

static int64_t reference_token_of(struct db *db) {
  int64_t t = 0;
  assert_int_equal(db_revision(db, NULL, &t), 0);
  return t;
}

struct stats {
  uint64_t hits, misses;
};

static struct stats stats_now(void) {
  struct stats s;
  cache_stats(&s.hits, &s.misses);
  return s;
}

static void expect_delta(struct stats before, uint64_t hits, uint64_t misses) {
  struct stats now = stats_now();
  if (now.hits - before.hits != hits || now.misses - before.misses != misses)
    fail_msg("hits +%llu, misses +%llu; want +%llu, +%llu", (unsigned long long)(now.hits - before.hits),
             (unsigned long long)(now.misses - before.misses), (unsigned long long)hits,
             (unsigned long long)misses);
}

static double registered_hours(const struct facts *f) {
  int found = 0;
  double v = facts_get(f, "klv", Y, "total", "registered_hours", &found);
  if (!found) fail_msg("klv/total/registered_hours absent");
  return v;
}

/* ---- tests ---- */

static void test_same_token_returns_cached_facts(void **state) {
  struct fixture *fx = *state;
  char err[256];
  int years[1] = {Y};
  assert_int_equal(db_begin_read(fx->db), DB_OK);
  int64_t tok = token_of(fx->db), rtok = reference_token_of(fx->db);
  struct cache_ref *mref = NULL, *r1 = NULL, *r2 = NULL;
  const struct model *m = cached_model(fx->db, rtok, &mref, err, sizeof err);
  assert_non_null(m);
  struct stats before = stats_now();
  const struct facts *f1 = cached_facts(fx->db, tok, m, years, 1, &r1, err, sizeof err);
  assert_non_null(f1);
  assert_non_null(r1);
  expect_delta(before, 0, 1);
  assert_true(registered_hours(f1) == 1.0);
  before = stats_now();
  const struct facts *f2 = cached_facts(fx->db, tok, m, years, 1, &r2, err, sizeof err);
  expect_delta(before, 1, 0);
  assert_ptr_equal(f2, f1);
  assert_true(registered_hours(f2) == 1.0);
  cache_release(r2);
  cache_release(r1);
  /* other years are another value */
  int two[2] = {Y, Y - 1};
  struct cache_ref *r3 = NULL;
  before = stats_now();
  const struct facts *f3 = cached_facts(fx->db, tok, m, two, 2, &r3, err, sizeof err);
  assert_non_null(f3);
  expect_delta(before, 0, 1);
  assert_ptr_not_equal(f3, f1);
  assert_int_equal(f3->n_years, 2);
  cache_release(r3);
  cache_release(mref);
  assert_int_equal(db_commit(fx->db), DB_OK);
}

static void test_new_token_after_write_recomputes_facts(void **state) {
  struct fixture *fx = *state;
  char err[256];
  int years[1] = {Y};
  assert_int_equal(db_begin_read(fx->db), DB_OK);
  int64_t tok1 = token_of(fx->db), rtok1 = reference_token_of(fx->db);
  struct cache_ref *mref1 = NULL, *r1 = NULL;
  const struct model *m1 = cached_model(fx->db, rtok1, &mref1, err, sizeof err);
  assert_non_null(m1);
  const struct facts *f1 = cached_facts(fx->db, tok1, m1, years, 1, &r1, err, sizeof err);
  assert_non_null(f1);
  assert_true(registered_hours(f1) == 1.0);
  assert_int_equal(db_commit(fx->db), DB_OK);

  add_r2(fx);

  assert_int_equal(db_begin_read(fx->db), DB_OK);
  int64_t tok2 = token_of(fx->db), rtok2 = reference_token_of(fx->db);
  assert_true(tok2 != tok1);
  struct cache_ref *mref2 = NULL, *r2 = NULL, *r3 = NULL;
  const struct model *m2 = cached_model(fx->db, rtok2, &mref2, err, sizeof err);
  assert_non_null(m2);
  struct stats before = stats_now();
  const struct facts *f2 = cached_facts(fx->db, tok2, m2, years, 1, &r2, err, sizeof err);
  assert_non_null(f2);
  expect_delta(before, 0, 1);
  assert_ptr_not_equal(f2, f1);
  assert_true(registered_hours(f2) == 1.5);
  /* the value held under the old token is still readable and unchanged until released */
  assert_true(registered_hours(f1) == 1.0);
  cache_release(r1);
  /* the new value is cached under the new token */
  before = stats_now();
  const struct facts *f3 = cached_facts(fx->db, tok2, m2, years, 1, &r3, err, sizeof err);
  expect_delta(before, 1, 0);
  assert_ptr_equal(f3, f2);
  cache_release(r3);
  cache_release(r2);
  cache_release(mref2);
  cache_release(mref1);
  assert_int_equal(db_commit(fx->db), DB_OK);
}

static void test_years_recomputed_after_write(void **state) {
  struct fixture *fx = *state;
  char err[256];
  int64_t tok1 = token_of(fx->db);
  struct cache_ref *r1 = NULL, *r2 = NULL, *r3 = NULL;
  const struct years *y1 = cached_years(fx->db, tok1, &r1, err, sizeof err);
  assert_non_null(y1);
  assert_int_equal(y1->n, 1);
  assert_int_equal(y1->years[0], 2024);
  struct stats before = stats_now();
  assert_ptr_equal(cached_years(fx->db, tok1, &r2, err, sizeof err), y1);
  expect_delta(before, 1, 0);
  cache_release(r2);
  cache_release(r1);
  /* a settings row makes 2023-2024 a year with data */
  write_file(fx->dir, "settings.csv", "school_year,hours_per_fte\n2023-2024,1185\n");
  assert_int_equal(import(fx), 0);
  int64_t tok2 = token_of(fx->db);
  assert_true(tok2 != tok1);
  before = stats_now();
  const struct years *y2 = cached_years(fx->db, tok2, &r3, err, sizeof err);
  expect_delta(before, 0, 1);
  assert_non_null(y2);
  assert_int_equal(y2->n, 2);
  assert_int_equal(y2->years[0], 2024);
  assert_int_equal(y2->years[1], 2023);
  cache_release(r3);
}

static void test_model_recomputed_after_reference_write(void **state) {
  struct fixture *fx = *state;
  char err[256];
  int64_t rtok1 = reference_token_of(fx->db);
  struct cache_ref *r1 = NULL, *r2 = NULL, *r3 = NULL;
  const struct model *m1 = cached_model(fx->db, rtok1, &r1, err, sizeof err);
  assert_non_null(m1);
  assert_int_equal(m1->n_advisors, 1);
  struct stats before = stats_now();
  assert_ptr_equal(cached_model(fx->db, rtok1, &r2, err, sizeof err), m1);
  expect_delta(before, 1, 0);
  cache_release(r2);
  write_file(fx->dir, "advisors.csv", "code,name,fte\nBE,Bert,0.5\n");
  assert_int_equal(import(fx), 0);
  int64_t rtok2 = reference_token_of(fx->db);
  assert_true(rtok2 != rtok1);
  const struct model *m2 = cached_model(fx->db, rtok2, &r3, err, sizeof err);
  assert_non_null(m2);
  assert_ptr_not_equal(m2, m1);
  assert_int_equal(m2->n_advisors, 2);
  assert_true(model_advisor(m2, "BE") >= 0);
  /* the old model, still referenced, is intact */
  assert_int_equal(m1->n_advisors, 1);
  assert_true(model_advisor(m1, "BE") < 0);
  cache_release(r1);
  cache_release(r3);
}

static void test_weekly_cached_and_recomputed(void **state) {
  struct fixture *fx = *state;
  char err[256];
  struct cache_ref *mref = NULL, *r1 = NULL, *r2 = NULL, *r3 = NULL;
  int64_t tok1 = token_of(fx->db);
  const struct model *m = cached_model(fx->db, reference_token_of(fx->db), &mref, err, sizeof err);
  assert_non_null(m);
  const struct weekly *w1 = cached_weekly(fx->db, tok1, m, Y, &r1, err, sizeof err);
  assert_non_null(w1);
  for (int w = 0; w < FACTS_WEEKS; w++) {
    assert_int_equal(w1->registered[w], w == 6 ? 60 : 0);
    assert_int_equal(w1->klv[w], 0);
  }
  struct stats before = stats_now();
  assert_ptr_equal(cached_weekly(fx->db, tok1, m, Y, &r2, err, sizeof err), w1);
  expect_delta(before, 1, 0);
  cache_release(r2);
  cache_release(r1);
  cache_release(mref);
  add_r2(fx);
  int64_t tok2 = token_of(fx->db);
  m = cached_model(fx->db, reference_token_of(fx->db), &mref, err, sizeof err);
  assert_non_null(m);
  const struct weekly *w2 = cached_weekly(fx->db, tok2, m, Y, &r3, err, sizeof err);
  assert_non_null(w2);
  assert_int_equal(w2->registered[6], 90);
  cache_release(r3);
  cache_release(mref);
}

static void test_text_round_trip(void **state) {
  (void)state;
  static const char text[] = "<main>h\xc3\xa9\0llo</main>"; /* a NUL inside: the length counts */
  size_t len = sizeof text - 1;
  cache_text_put(1, "test:text-round-trip", 4242, text, len);
  struct stats before = stats_now();
  struct cache_ref *ref = NULL;
  size_t got_len = 0;
  const char *got = cache_text_get(1, "test:text-round-trip", 4242, &got_len, &ref);
  expect_delta(before, 1, 0);
  assert_non_null(got);
  assert_non_null(ref);
  assert_int_equal(got_len, len);
  assert_memory_equal(got, text, len);
  assert_int_equal(got[len], 0);
  /* a second reference to the same text */
  struct cache_ref *ref2 = NULL;
  assert_ptr_equal(cache_text_get(1, "test:text-round-trip", 4242, &got_len, &ref2), got);
  cache_release(ref2);
  cache_release(ref);
}

static void test_text_token_mismatch_misses(void **state) {
  (void)state;
  cache_text_put(1, "test:text-mismatch", 100, "one", 3);
  struct stats before = stats_now();
  struct cache_ref *ref = (struct cache_ref *)&ref; /* not NULL: the miss must clear it */
  size_t len = 0;
  assert_null(cache_text_get(1, "test:text-mismatch", 101, &len, &ref));
  assert_null(ref);
  expect_delta(before, 0, 1);
  /* another key under the same token misses too */
  before = stats_now();
  assert_null(cache_text_get(1, "test:text-mismatch-other", 100, &len, &ref));
  expect_delta(before, 0, 1);
  /* the same key under a new token replaces the old text */
  cache_text_put(1, "test:text-mismatch", 101, "two!", 4);
  const char *t = cache_text_get(1, "test:text-mismatch", 101, &len, &ref);
  assert_non_null(t);
  assert_int_equal(len, 4);
  assert_memory_equal(t, "two!", 4);
  cache_release(ref);
  /* two tokens of a key stay listed (measures/cache.h: the published one beside the
     newest); a third replaces the less recently used */
  cache_text_put(1, "test:text-mismatch", 102, "three", 5);
  assert_null(cache_text_get(1, "test:text-mismatch", 100, &len, &ref));
}

/* A text still referenced when its key gets a new token stays readable until released. */
static void test_text_reference_outlives_replacement(void **state) {
  (void)state;
  cache_text_put(1, "test:text-outlives", 7, "old text", 8);
  struct cache_ref *ref = NULL;
  size_t len = 0;
  const char *old = cache_text_get(1, "test:text-outlives", 7, &len, &ref);
  assert_non_null(old);
  cache_text_put(1, "test:text-outlives", 8, "new text", 8);
  assert_memory_equal(old, "old text", 8);
  cache_release(ref);
  struct cache_ref *ref2 = NULL;
  const char *t = cache_text_get(1, "test:text-outlives", 8, &len, &ref2);
  assert_non_null(t);
  assert_memory_equal(t, "new text", 8);
  cache_release(ref2);
}

static void test_release_null_is_fine(void **state) {
  (void)state;
  struct stats before = stats_now();
  cache_release(NULL);
  cache_release(NULL);
  expect_delta(before, 0, 0);
}

/* ---- views under a stream of writes ---- */

static int64_t fake_now;
static int64_t fake_clock(void) { return fake_now; }

static int view_setup(void **state) {
  (void)state;
  cache_view_reset();
  cache_view_set_clock(fake_clock);
  fake_now = 100000;
  return 0;
}

static int view_teardown(void **state) {
  (void)state;
  cache_view_set_clock(NULL);
  cache_view_reset();
  return 0;
}

/* A read of token t by user at the current time: the token it reads under; *due is
   set when it was asked to have the read refreshed. Published when fresh. */
static int64_t read_as(int64_t t, int64_t user, int *due) {
  struct cache_view v;
  int64_t got = cache_view_begin(&v, 1, t, user, 0);
  if (due) *due = v.refresh_due;
  cache_view_end(&v, 1);
  return got;
}

#define N CACHE_PRESSURE_CHANGES

/* N - 10 writes by others at 100000, then ten new tokens (1001..1010), 10 ms apart from
   100010, each read by user 0 and published when read fresh; returns the token the
   last was read under. */
static int64_t stream_of_writes(void) {
  for (int i = 0; i < N - 10; i++) cache_note_write(1, 9000 + i);
  int64_t got = 0;
  for (int i = 1; i <= 10; i++) {
    fake_now += 10;
    got = read_as(1000 + i, 0, NULL);
  }
  return got;
}

/* The background refresh of token t: reads it, publishes it when ok. */
static int64_t background(int64_t t, int ok) {
  struct cache_view v;
  int64_t got = cache_view_begin(&v, 1, t, 0, 1);
  assert_int_equal(v.refresh_due, 0);
  cache_view_end(&v, ok);
  return got;
}

/* A read of token t by user reads under want, and is (due 1) or is not asked for a
   refresh. */
static void expect_read(int64_t t, int64_t user, int64_t want, int want_due) {
  int due = -1;
  assert_int_equal(read_as(t, user, &due), want);
  assert_int_equal(due, want_due);
}

/* N writes by others (users 500...), step ms apart, the last at last_ms. */
static void writes_by_others(int64_t last_ms, int64_t step) {
  for (int i = 0; i < N; i++) {
    fake_now = last_ms - (N - 1 - i) * step;
    cache_note_write(1, 500 + i);
  }
}

/* Services (docs/SERVICES.md): a text of service 1 is not found for service 2 under the
   same key and token, and each keeps its own. */
static void test_text_is_kept_per_service(void **state) {
  (void)state;
  cache_text_put(1, "test:per-service", 77, "one", 3);
  size_t len = 0;
  struct cache_ref *ref = NULL;
  assert_null(cache_text_get(2, "test:per-service", 77, &len, &ref));
  cache_text_put(2, "test:per-service", 77, "two", 3);
  const char *a = cache_text_get(1, "test:per-service", 77, &len, &ref);
  assert_non_null(a);
  assert_memory_equal(a, "one", 3);
  cache_release(ref);
  const char *b = cache_text_get(2, "test:per-service", 77, &len, &ref);
  assert_non_null(b);
  assert_memory_equal(b, "two", 3);
  cache_release(ref);
}

/* Under a stream of writes to service 1, a reader of service 2 is never given service 1's
   published token: it reads under its own database token. */
static void test_view_published_token_stays_in_its_service(void **state) {
  (void)state;
  assert_int_equal(stream_of_writes(), 1009); /* service 1 publishes 1009 under pressure */
  fake_now += 10;
  struct cache_view v;
  assert_int_equal(cache_view_begin(&v, 2, 5001, 0, 0), 5001);
  assert_int_equal(v.fresh, 1);
  cache_view_end(&v, 1);
  /* and service 1's readers still get theirs */
  expect_read(1011, 0, 1009, 0);
  /* a write in service 2 is no change of service 1's stream, and the reverse */
  for (int i = 0; i < N; i++) cache_note_write(2, 700 + i);
  fake_now += 10;
  assert_int_equal(cache_view_begin(&v, 2, 5002, 0, 0), 5001);
  cache_view_end(&v, 1);
}

static void test_view_fresh_without_pressure(void **state) {
  (void)state;
  /* N - 1 changes in a second are no stream: every read is of the database's token */
  for (int i = 1; i <= N - 1; i++) {
    fake_now += 10;
    assert_int_equal(read_as(i, 0, NULL), i);
  }
  uint64_t stale, refreshes;
  int64_t age;
  cache_view_stats(&stale, &age, &refreshes);
  assert_int_equal(stale, 0);
}

static void test_view_published_token_under_pressure(void **state) {
  (void)state;
  /* with the writes, the first nine new tokens are no stream yet: read fresh and
     published (the ninth, 1009, at 100090); the tenth within the second is read under
     1009 */
  assert_int_equal(stream_of_writes(), 1009);
  fake_now += 10;                /* 100110 */
  expect_read(1011, 0, 1009, 0); /* 20 ms old: no refresh yet */
  uint64_t stale, refreshes;
  int64_t age;
  cache_view_stats(&stale, &age, &refreshes);
  assert_int_equal(stale, 2);
  assert_int_equal(age, 20); /* 100110 - 100090 */
  assert_int_equal(refreshes, 0);
}

static void test_view_writes_count_as_changes(void **state) {
  (void)state;
  assert_int_equal(read_as(1, 0, NULL), 1); /* published at 100000 */
  writes_by_others(100000 + 10 * N, 10);    /* N writers, one write each, 10 ms apart */
  /* no read saw a new token yet, but the writes make the stream */
  assert_int_equal(read_as(2, 7, NULL), 1);
}

/* A published read whose token is still the database's is as new as the read that
   sees that: a stream starting after a quiet hour finds it, not one an hour old. */
static void test_view_unchanged_token_keeps_it_new(void **state) {
  (void)state;
  assert_int_equal(read_as(1, 0, NULL), 1); /* published at 100000 */
  fake_now = 100000 + 3600 * 1000;
  assert_int_equal(read_as(1, 0, NULL), 1); /* still token 1: new as of now */
  writes_by_others(fake_now + N, 1);
  expect_read(2, 0, 1, 0); /* N ms old, not an hour */
}

static void test_view_writer_reads_fresh(void **state) {
  (void)state;
  stream_of_writes(); /* published: 1009 at 100090 */
  fake_now += 5;
  cache_note_write(1, 42);
  fake_now += 5;
  struct cache_view v;
  assert_int_equal(cache_view_begin(&v, 1, 1011, 42, 0), 1011); /* wrote at 100095 >= 100090 */
  assert_int_equal(read_as(1011, 7, NULL), 1009);               /* 7 did not write */
  cache_view_end(&v, 1);                                        /* publishes 1011 (started 100100) */
  fake_now += 1;
  assert_int_equal(read_as(1012, 7, NULL), 1011);
  /* a write before the published read started is in it: 42 reads the published token */
  assert_int_equal(read_as(1012, 42, NULL), 1011);
}

static void test_view_one_background_refresh(void **state) {
  (void)state;
  stream_of_writes(); /* published: 1009 at 100090 */
  fake_now = 100339;
  expect_read(2001, 0, 1009, 0); /* 249 ms old */
  fake_now = 100340;
  expect_read(2002, 0, 1009, 1); /* 250 ms old: this reader has it refreshed */
  expect_read(2002, 0, 1009, 0); /* one refresh at a time */
  assert_int_equal(background(2002, 1), 2002);
  fake_now += 1;
  expect_read(2003, 0, 2002, 0); /* the refresh is published */
  uint64_t stale, refreshes;
  int64_t age;
  cache_view_stats(&stale, &age, &refreshes);
  assert_int_equal(refreshes, 1);
  assert_int_equal(age, 250);
}

static void test_view_refresh_paced_by_its_length(void **state) {
  (void)state;
  stream_of_writes(); /* published: 1009 at 100090 */
  fake_now = 100340;
  expect_read(2001, 0, 1009, 1);
  struct cache_view bg;
  assert_int_equal(cache_view_begin(&bg, 1, 2001, 0, 1), 2001); /* starts at 100340 */
  fake_now = 100540;
  cache_view_end(&bg, 1); /* took 200 ms: the next is due 600 ms after 100340 */
  fake_now = 100939;
  expect_read(2002, 0, 2001, 0);
  fake_now = 100940;
  expect_read(2003, 0, 2001, 1);
  /* a refresh of 900 ms: due after 1000 ms (CACHE_REFRESH_MAX_MS), not 2700 */
  assert_int_equal(cache_view_begin(&bg, 1, 2003, 0, 1), 2003); /* starts at 100940 */
  fake_now = 101840;
  cache_view_end(&bg, 1);
  writes_by_others(101939, 1); /* the stream goes on */
  assert_int_equal(fake_now, 101939);
  expect_read(2004, 0, 2003, 0); /* 999 ms */
  fake_now = 101940;
  expect_read(2005, 0, 2003, 1);
}

static void test_view_failed_or_dropped_refresh(void **state) {
  (void)state;
  stream_of_writes(); /* published: 1009 at 100090 */
  fake_now = 100400;
  expect_read(2001, 0, 1009, 1);
  assert_int_equal(background(2001, 0), 2001); /* failed: nothing published */
  fake_now += 1;
  expect_read(2002, 0, 1009, 1); /* and the next reader asks again */
  cache_view_refresh_dropped(1); /* the server could not queue it */
  expect_read(2002, 0, 1009, 1);
  struct cache_view z = {0};
  cache_view_end(&z, 1); /* begin not called: nothing */
}

static void test_view_never_older_than_stale_ms(void **state) {
  (void)state;
  stream_of_writes(); /* published: 1009 at 100090 */
  int due;
  const int64_t limit = 100090 + CACHE_STALE_MS;
  /* the stream goes on (N writes by others just before the limit), the refresh never
     comes */
  writes_by_others(limit - 11, 1);
  for (int i = 0; i < 9; i++) {
    fake_now = limit - 9 + i;
    assert_int_equal(read_as(3001 + i, 0, &due), 1009);
  }
  fake_now = limit; /* CACHE_STALE_MS old: the reader reads fresh itself */
  expect_read(3010, 0, 3010, 0);
  fake_now += 1;
  assert_int_equal(read_as(3011, 0, &due), 3010);
}

/* Two tokens of one key stay listed: the published one's facts beside the newest. */
static void test_two_tokens_per_key(void **state) {
  (void)state;
  cache_text_put(1, "twokeys", 1, "old", 3);
  cache_text_put(1, "twokeys", 2, "new", 3);
  size_t len;
  struct cache_ref *r1, *r2, *r3;
  const char *a = cache_text_get(1, "twokeys", 1, &len, &r1);
  const char *b = cache_text_get(1, "twokeys", 2, &len, &r2);
  assert_non_null(a);
  assert_non_null(b);
  assert_memory_equal(a, "old", 3);
  assert_memory_equal(b, "new", 3);
  cache_release(r1);
  cache_release(r2);
  /* a third token replaces the less recently used of the two (token 1) */
  cache_text_put(1, "twokeys", 3, "3rd", 3);
  assert_null(cache_text_get(1, "twokeys", 1, &len, &r3));
  assert_non_null(cache_text_get(1, "twokeys", 2, &len, &r2));
  cache_release(r2);
  assert_non_null(cache_text_get(1, "twokeys", 3, &len, &r3));
  cache_release(r3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_same_token_returns_cached_facts, setup, teardown),
      cmocka_unit_test_setup_teardown(test_new_token_after_write_recomputes_facts, setup, teardown),
      cmocka_unit_test_setup_teardown(test_years_recomputed_after_write, setup, teardown),
      cmocka_unit_test_setup_teardown(test_model_recomputed_after_reference_write, setup, teardown),
      cmocka_unit_test_setup_teardown(test_weekly_cached_and_recomputed, setup, teardown),
      cmocka_unit_test(test_text_round_trip),
      cmocka_unit_test(test_text_token_mismatch_misses),
      cmocka_unit_test(test_text_reference_outlives_replacement),
      cmocka_unit_test(test_release_null_is_fine),
      cmocka_unit_test(test_two_tokens_per_key),
      cmocka_unit_test_setup_teardown(test_view_fresh_without_pressure, view_setup, view_teardown),
      cmocka_unit_test_setup_teardown(test_view_published_token_under_pressure, view_setup, view_teardown),
      cmocka_unit_test_setup_teardown(test_view_writes_count_as_changes, view_setup, view_teardown),
      cmocka_unit_test_setup_teardown(test_view_unchanged_token_keeps_it_new, view_setup, view_teardown),
      cmocka_unit_test_setup_teardown(test_view_writer_reads_fresh, view_setup, view_teardown),
      cmocka_unit_test(test_text_is_kept_per_service),
      cmocka_unit_test_setup_teardown(test_view_published_token_stays_in_its_service, view_setup,
                                      view_teardown),
      cmocka_unit_test_setup_teardown(test_view_one_background_refresh, view_setup, view_teardown),
      cmocka_unit_test_setup_teardown(test_view_refresh_paced_by_its_length, view_setup, view_teardown),
      cmocka_unit_test_setup_teardown(test_view_failed_or_dropped_refresh, view_setup, view_teardown),
      cmocka_unit_test_setup_teardown(test_view_never_older_than_stale_ms, view_setup, view_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
