/* SPDX-License-Identifier: EUPL-1.2 */
/* Fuzz target: the dataset importer. An in-memory SQLite database holds the fixture
   dataset (FUZZ_DATASET, a folder of the dataset format); each input becomes one file of
   the dataset (the first byte picks which) and is imported. Besides not crashing: an
   import that is refused must leave the database exactly as it was (all or nothing),
   checked on the registrations, their minutes and links, and the audit trail. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "io/dataset.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct db *db;
static char dir[64];
static FILE *devnull;

static void state(int64_t out[6]) {
  static const char *const q[] = {
      "SELECT COUNT(*) FROM registration",         "SELECT COALESCE(SUM(minutes), 0) FROM registration",
      "SELECT COUNT(*) FROM registration_advisor", "SELECT COUNT(*) FROM registration_institution",
      "SELECT COUNT(*) FROM institution",          "SELECT COUNT(*) FROM audit"};
  for (int i = 0; i < 6; i++) out[i] = db_query_int(db, q[i], -1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  char err[256];
  db = db_open(":memory:", err, sizeof err);
  if (!db || db_migrate(db, err, sizeof err) != 0) {
    fprintf(stderr, "fuzz_import: %s\n", err);
    exit(1);
  }
  devnull = fopen("/dev/null", "w");
  const char *seed = getenv("FUZZ_DATASET");
  if (seed && dataset_import_to(db, seed, "fuzz", devnull) != 0) {
    fprintf(stderr, "fuzz_import: cannot import %s\n", seed);
    exit(1);
  }
  snprintf(dir, sizeof dir, "/tmp/bereik-fuzz-XXXXXX");
  if (!mkdtemp(dir)) exit(1);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 1 << 16) return 0;
  const char *file = dataset_files[data[0] % F_COUNT].file;
  char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  fwrite(data + 1, 1, size - 1, f);
  fclose(f);
  int64_t before[6], after[6];
  state(before);
  int rc = dataset_import_to(db, dir, "fuzz", devnull);
  state(after);
  unlink(path);
  if (rc != 0 && memcmp(before, after, sizeof before) != 0) abort();
  return 0;
}
