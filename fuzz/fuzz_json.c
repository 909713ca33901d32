/* SPDX-License-Identifier: EUPL-1.2 */
/* Fuzz target: a registration body of the JSON API (POST/PUT /api/v1/registrations):
   the JSON parse (jansson), the field shapes and types, the canonical form and every
   registration rule, against the reference data of the fixture dataset (FUZZ_DATASET,
   imported once into an in-memory database). Nothing may crash or leak; a text that
   parses as a JSON object gives a count of problems, never a negative one. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "api/api.h"
#include "db/db.h"
#include "domain/model.h"
#include "io/dataset.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct model model;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  char err[256];
  struct db *db = db_open(":memory:", err, sizeof err);
  if (!db || db_migrate(db, err, sizeof err) != 0) {
    fprintf(stderr, "fuzz_json: %s\n", err);
    exit(1);
  }
  FILE *devnull = fopen("/dev/null", "w");
  const char *seed = getenv("FUZZ_DATASET");
  if (seed && dataset_import_to(db, seed, "fuzz", devnull) != 0) {
    fprintf(stderr, "fuzz_json: cannot import %s\n", seed);
    exit(1);
  }
  if (devnull) fclose(devnull);
  if (model_load(db, &model, err, sizeof err) != 0) {
    fprintf(stderr, "fuzz_json: %s\n", err);
    exit(1);
  }
  db_close(db);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 16) return 0;
  int n = api_registration_check_text(&model, (const char *)data, size);
  if (n < -1) abort();
  return 0;
}
