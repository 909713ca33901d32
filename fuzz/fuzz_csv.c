/* SPDX-License-Identifier: EUPL-1.2 */
/* Fuzz target: the CSV reader (libcsv with BOM, delimiter detection, quoting, CRLF).
   Every record handed out must have its cells NUL-terminated within the input's size,
   and line numbers must never go down. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/csvread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct state {
  long last_line;
  size_t size;
};

static int on_record(const struct csv_record *rec, void *arg) {
  struct state *s = arg;
  if (rec->line < s->last_line) abort();
  s->last_line = rec->line;
  for (size_t i = 0; i < rec->n; i++)
    if (strlen(rec->cells[i]) > s->size) abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 20) return 0;
  struct state s = {0, size};
  struct csv_info info;
  long line = 0;
  char err[256];
  (void)csv_read_mem((const char *)data, size, on_record, &s, &info, &line, err, sizeof err);
  return 0;
}
