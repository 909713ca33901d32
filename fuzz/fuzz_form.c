/* SPDX-License-Identifier: EUPL-1.2 */
/* Fuzz target: the request body parsers (application/x-www-form-urlencoded and
   multipart/form-data). The first line of the input is the multipart boundary; the
   rest is the body, given to both parsers. Every parsed field must lie within limits
   and be freed without leaks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 20) return 0;
  const char *d = (const char *)data;
  const char *nl = memchr(d, '\n', size);
  size_t blen = nl ? (size_t)(nl - d) : 0;
  if (blen > 70) blen = 70;
  char boundary[71];
  memcpy(boundary, d, blen);
  boundary[blen] = 0;
  const char *body = nl ? nl + 1 : d;
  size_t len = nl ? size - (size_t)(nl + 1 - d) : size;

  struct kv *kv = NULL;
  int n = parse_urlencoded(body, len, &kv);
  if (n > 0) {
    for (int i = 0; i < n; i++)
      if (!kv[i].key || !kv[i].value) abort();
    kv_free(kv, n);
  }
  struct kv *fields = NULL;
  struct upload *files = NULL;
  int nf = 0, nu = 0;
  if (parse_multipart(body, len, boundary, &fields, &nf, &files, &nu) == 0) {
    for (int i = 0; i < nu; i++)
      if (files[i].len > len) abort();
  }
  kv_free(fields, nf);
  uploads_free(files, nu);
  return 0;
}
