/* SPDX-License-Identifier: EUPL-1.2 */
/* The glossary (render/words.h): every word has a key, a Dutch and an English text, the
   keys are unique, and a key made at run time finds its word. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

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

static void out_of_range_is_empty(void **state) {
  (void)state;
  assert_string_equal(word_text(W_COUNT, 0), "");
  assert_string_equal(word_key((enum word) - 1), "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_word_has_both_languages), cmocka_unit_test(keys_are_unique_and_found_by_name),
      cmocka_unit_test(unknown_names_are_not_found),   cmocka_unit_test(words_say_what_ui_md_says),
      cmocka_unit_test(out_of_range_is_empty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
