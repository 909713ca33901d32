/* SPDX-License-Identifier: EUPL-1.2 */
/* '|'-separated lists in canonical form (the dataset's list cells). */
#ifndef BEREIK_LISTS_H
#define BEREIK_LISTS_H

/* Splits a list into items pointing into *copy (the caller frees *copy and *items).
   Returns the number of items (0 for an empty list). */
int list_split(const char *s, char **copy, char ***items);
/* Sorts and de-duplicates a malloc'd list in place. Returns the number of duplicates. */
int list_canonical(char **v);

#endif
