/* SPDX-License-Identifier: EUPL-1.2 */
/* The glossary of the words on screen and in the report (render/words.def), keyed by
   enum word: T(r, W_nav_week) on a page, report_word(rp, W_title) in the report. Below
   both the web and the report, so that the two say the same thing in the same words. */
#ifndef BEREIK_WORDS_H
#define BEREIK_WORDS_H

enum word {
#define WORD(key, nl, en) W_##key,
#include "render/words.def"
#undef WORD
  W_COUNT
};

/* The word in English (en != 0) or Dutch. */
const char *word_text(enum word w, int en);
/* The key of a word ("nav_week" for W_nav_week). */
const char *word_key(enum word w);
/* The word called `key` at run time (a key made of a stored value, e.g. "reason_" and
   a login failure's reason, or "col_" and a dataset column), or -1 when there is none. */
int word_named(const char *key);

#endif
