/* SPDX-License-Identifier: EUPL-1.2 */
/* The glossary (render/words.h): every word has a key, a Dutch and an English text, the
   keys are unique, and a key made at run time finds its word. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "io/dataset.h"
#include "render/words.h"

static void every_word_has_both_languages(void **state) {
  (void)state;
  for (int w = 0; w < W_COUNT; w++) {
    assert_true(word_key((enum word)w)[0] != '\0');
    assert_true(word_text((enum word)w, 0)[0] != '\0');
    assert_true(word_text((enum word)w, 1)[0] != '\0');
  }
}

static void keys_are_unique_and_found_by_name(void **state) {
  (void)state;
  for (int w = 0; w < W_COUNT; w++) assert_int_equal(word_named(word_key((enum word)w)), w);
}

static void unknown_names_are_not_found(void **state) {
  (void)state;
  assert_int_equal(word_named("no_such_word"), -1);
  assert_int_equal(word_named(""), -1);
  assert_int_equal(word_named(NULL), -1);
}

static void words_say_what_ui_md_says(void **state) {
  (void)state;
  /* UI.md's screen names, and the published report's column words */
  assert_string_equal(word_text(W_nav_week, 0), "Mijn week");
  assert_string_equal(word_text(W_nav_register, 0), "Registreren");
  assert_string_equal(word_text(W_planned_fte, 0), "Voorziene FTE");
  assert_string_equal(word_text(W_line, 0), "Pijler / project");
  /* the column label of the plan says what the report says */
  assert_string_equal(word_text(W_col_planned_fte, 0), word_text(W_planned_fte, 0));
  assert_string_equal(word_text(W_col_line, 0), word_text(W_line, 0));
}

/* every word of a closed vocabulary of the dataset catalogue has its words on the
   Beheer form (v_COLUMN_WORD) */
static void every_vocabulary_word_has_words(void **state) {
  (void)state;
  int n = 0;
  for (int f = 0; f < F_COUNT; f++)
    for (int c = 0; c < dataset_files[f].ncols; c++) {
      const struct coldef *cd = &dataset_files[f].cols[c];
      for (const char *p = cd->vocab; p && *p;) {
        size_t w = strcspn(p, "|");
        char key[128];
        snprintf(key, sizeof key, "v_%s_%.*s", cd->name, (int)w, p);
        if (word_named(key) < 0) fail_msg("no word %s", key);
        n++;
        p += w + (p[w] == '|');
      }
    }
  assert_true(n >= 15);
}

static void out_of_range_is_empty(void **state) {
  (void)state;
  assert_string_equal(word_text(W_COUNT, 0), "");
  assert_string_equal(word_key((enum word) - 1), "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_word_has_both_languages),   cmocka_unit_test(keys_are_unique_and_found_by_name),
      cmocka_unit_test(unknown_names_are_not_found),     cmocka_unit_test(words_say_what_ui_md_says),
      cmocka_unit_test(every_vocabulary_word_has_words), cmocka_unit_test(out_of_range_is_empty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
