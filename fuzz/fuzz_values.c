/* SPDX-License-Identifier: EUPL-1.2 */
/* Fuzz target: the value parsers (dates, school years, integers, decimals, durations)
   and the dataset's canonical forms. Besides not crashing, every accepted value must
   read back: the formatted form of a parsed value parses to the same value, and a
   canonical text is its own canonical text. The first byte picks the parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/dates.h"
#include "core/numbers.h"
#include "io/dataset.h"

#define CHECK(c)                                                                                             \
  do {                                                                                                       \
    if (!(c)) abort();                                                                                       \
  } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 4096) return 0;
  char *s = malloc(size);
  memcpy(s, data + 1, size - 1);
  s[size - 1] = 0;
  switch (data[0] % 7) {
  case 0: {
    int32_t day, again;
    if (date_parse(s, &day) == 0) {
      char out[11];
      date_format(day, out);
      CHECK(date_parse(out, &again) == 0 && again == day);
    }
    break;
  }
  case 1: {
    int year, again;
    if (school_year_parse(s, &year) == 0) {
      char out[10];
      school_year_format(year, out);
      CHECK(school_year_parse(out, &again) == 0 && again == year);
    }
    break;
  }
  case 2: {
    int64_t v;
    (void)parse_int64(s, &v);
    break;
  }
  case 3:
  case 4: {
    double v, again;
    if (parse_decimal(s, data[0] % 7 == 4, &v) == 0) {
      char out[32];
      format_shortest(v, out);
      CHECK(parse_decimal(out, 0, &again) == 0 && again == v);
      format_fact(v, out);
    }
    break;
  }
  case 5: {
    int64_t m;
    if (parse_duration(s, &m) == 0) CHECK(m >= 0);
    break;
  }
  case 6: {
    /* canonical cell forms: normalising a canonical text gives the same text */
    static const int types[] = {C_TEXT, C_CODE, C_INT, C_DEC, C_DATE, C_BOOL, C_YEAR, C_LIST};
    int type = types[(size > 1 ? data[1] : 0) % 8];
    char *once = NULL, *twice = NULL;
    if (dataset_normalize(s, type, 1, &once) == 0 && once) {
      CHECK(dataset_normalize(once, type, 0, &twice) == 0 && twice && !strcmp(once, twice));
    }
    free(once);
    free(twice);
    break;
  }
  }
  free(s);
  return 0;
}
