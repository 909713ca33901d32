/* SPDX-License-Identifier: EUPL-1.2 */
/* The import's message table (io/messages.h): every message has an English and a Dutch
   text that convert the same arguments in the same order (the compiler checks the
   arguments of each use against the English one only), and the Dutch uses the words of
   UI.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "io/dataset.h"
#include "io/messages.h"

struct message {
  const char *name, *en, *nl;
};

#define ENTRY(name, ...) {name, __VA_ARGS__},
static const struct message messages[] = {IMPORT_MESSAGES(ENTRY)};
#undef ENTRY

/* The conversions of a format, "%s%zu%lld" for "a %s b %zu c %lld". */
static void conversions(const char *fmt, char *out, size_t n) {
  size_t k = 0;
  for (const char *p = fmt; *p; p++) {
    if (*p != '%') continue;
    const char *q = p + 1;
    if (*q == '%') {
      p = q;
      continue;
    }
    while (*q && !strchr("sdiuxXfgeczp", *q)) q++;
    for (const char *c = p; c <= q && *c && k + 1 < n; c++) out[k++] = *c;
    p = q;
  }
  out[k] = 0;
}

static void same_conversions_in_both_languages(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof messages / sizeof *messages; i++) {
    char en[64], nl[64];
    conversions(messages[i].en, en, sizeof en);
    conversions(messages[i].nl, nl, sizeof nl);
    if (strcmp(en, nl)) fail_msg("%s: English converts \"%s\", Dutch \"%s\"", messages[i].name, en, nl);
  }
}

static void every_message_is_translated(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof messages / sizeof *messages; i++) {
    assert_true(messages[i].en[0] && messages[i].nl[0]);
    /* only the messages without words (a pass-through, a cell fault) read the same */
    if (!strcmp(messages[i].en, messages[i].nl) && strcmp(messages[i].name, "M_AS_IS") &&
        strcmp(messages[i].name, "M_CELL_FAULT"))
      fail_msg("%s is not translated: \"%s\"", messages[i].name, messages[i].nl);
  }
}

static void dutch_uses_the_words_of_ui_md(void **state) {
  (void)state;
  /* UI.md: line = "pijler / project", planned FTE = "voorziene FTE", goal = "operationeel doel" */
  for (size_t i = 0; i < sizeof messages / sizeof *messages; i++) {
    const char *nl = messages[i].nl;
    if (strstr(nl, "lijn") || strstr(nl, "VTE") || strstr(nl, "doelstelling"))
      fail_msg("%s uses a word UI.md does not: \"%s\"", messages[i].name, nl);
  }
  char nl[128];
  snprintf(nl, sizeof nl, (const char *)((const char *[]){M_UNKNOWN_LINE})[1], "P9");
  assert_string_equal(nl, "onbekende pijler of project 'P9'");
}

static void cell_faults_in_both_languages(void **state) {
  (void)state;
  char *out = NULL;
  int fault = dataset_normalize("12a", C_INT, 0, &out);
  assert_int_not_equal(fault, 0);
  assert_string_equal(dataset_fault_text(fault, 0), "not a whole number");
  assert_string_equal(dataset_fault_text(fault, 1), "geen geheel getal");
  fault = dataset_normalize("2024-02-30", C_DATE, 0, &out);
  assert_string_equal(dataset_fault_text(fault, 1), "geen bestaande datum in de vorm JJJJ-MM-DD");
  assert_null(out);
  assert_string_equal(dataset_fault_text(0, 0), "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(same_conversions_in_both_languages),
      cmocka_unit_test(every_message_is_translated),
      cmocka_unit_test(dutch_uses_the_words_of_ui_md),
      cmocka_unit_test(cell_faults_in_both_languages),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
