/* SPDX-License-Identifier: EUPL-1.2 */
/* Strict number parsing and exact number formatting for the machine formats. */
#ifndef BEREIK_NUMBERS_H
#define BEREIK_NUMBERS_H

#include <stdint.h>

/* Optional sign, then digits only. Returns 0 on success. */
int parse_int64(const char *s, int64_t *out);
/* Decimal number: optional '-', digits, optional one separator and digits. The separator
   is '.', or also ',' when allow_comma. No exponent, no thousands separators; the value
   below 10^15 in magnitude and not so small that its shortest form needs an exponent
   (so every accepted value is written back in a form this function reads). */
int parse_decimal(const char *s, int allow_comma, double *out);
/* A duration as typed on a form: minutes ("90"), or hours and minutes ("1u30", "1u",
   "1:30", "1h30"). Spaces around are ignored. Returns 0 and the minutes, or -1. */
int parse_duration(const char *s, int64_t *minutes);
/* Shortest text that reads back as exactly v, with '.', whatever the locale ("1.2",
   "1185", "0.1"). out holds at least 32 bytes. */
void format_shortest(double v, char out[32]);
/* "%.17g" style for facts (always the shortest exact form, never "nan"). */
void format_fact(double v, char out[32]);

#endif
