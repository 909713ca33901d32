/* SPDX-License-Identifier: EUPL-1.2 */
/* A main for the fuzz targets in builds without libFuzzer (gcc, the sanitizer build):
   runs each file named on the command line once, so the seed corpus and every input
   that once crashed stay regression tests everywhere. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

int main(int argc, char **argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  int n = 0;
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (!f) {
      fprintf(stderr, "cannot open %s\n", argv[i]);
      return 1;
    }
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
      if (len == cap) {
        cap = cap ? cap * 2 : 4096;
        uint8_t *nb = realloc(buf, cap);
        if (!nb) return 1;
        buf = nb;
      }
      size_t got = fread(buf + len, 1, cap - len, f);
      if (got == 0) break;
      len += got;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    n++;
  }
  printf("%d inputs ran\n", n);
  return 0;
}
