/* SPDX-License-Identifier: EUPL-1.2 */
/* What is due by e-mail on a day, and sending it once (docs/MAIL.md):

     reminder        an advisor (a user linked to an advisor record, with an address and
                     reminders on) whose last calendar week (Monday-Sunday before the
                     week of today) had working days without registrations
                     (measures/quality.h); period: that ISO week, "2026-W48";
     week            the same users with reports on: their hours of that week, its KLV
                     share and the school year's KLV% to date against 60%; period: the
                     ISO week;
     team-month      each coordinator with reports on: the KLV% of their teams and their
                     members (the dashboard's indicator view) in the school year of the
                     previous month, as of today (at most its last day); period: that
                     month, "2026-11";
     director-month  each director with reports on: the dashboard's indicators of that
                     school year as of the same day, with the school year's report as PDF;
                     period: the month.

   A message is due while the sent-log (table mail_sent) has no row for its kind, user
   and period. Every message is built first from one read snapshot; each is then sent
   and, only after the server accepted it, logged (a failed send stays due and is tried
   again on the next run). */
#ifndef BEREIK_MAIL_DUE_H
#define BEREIK_MAIL_DUE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mail/mime.h"
#include "mail/smtp.h"

struct db;

#define MAIL_BASE_URL_MAX 200

struct mail_config {
  struct smtp_config smtp;
  char from[MAIL_ADDR_MAX + 1];
  char base_url[MAIL_BASE_URL_MAX + 1]; /* without a trailing '/' */
};

/* Checks a base URL (http:// or https://, printable ASCII without blanks, quotes and
   angle brackets, at most MAIL_BASE_URL_MAX bytes) and stores it without its trailing
   '/'. 0, or -1 with a message. */
int mail_config_base_url(struct mail_config *c, const char *url, char *err, size_t errlen);

struct mail_result {
  int due, sent, failed; /* failed: refused addresses, build and send failures */
};

/* The ISO week of a day: its year and number (1..53). */
void mail_iso_week(int32_t day, int *year, int *week);
/* "2026-W48" for the week of a day, "2026-11" for its month. */
void mail_week_key(int32_t day, char out[16]);
void mail_month_key(int32_t day, char out[16]);

/* Sends what is due on `today` (or with dry_run lists it and sends and logs nothing),
   one line per message on out: "sent KIND LOGIN <ADDRESS> SUBJECT" ("due" with
   dry_run); each failure on standard error. Returns 0, or -1 with a message when the
   run could not start (database, configuration); failures of single messages count in
   res->failed. */
int mail_due(struct db *db, const struct mail_config *c, int32_t today, int dry_run, FILE *out,
             struct mail_result *res, char *err, size_t errlen);

#endif
