/* SPDX-License-Identifier: EUPL-1.2 */
/* bereik mail: what is due by e-mail (docs/MAIL.md). */
#ifndef BEREIK_MAIL_CMD_H
#define BEREIK_MAIL_CMD_H

/* The usage of the command, for bereik's command table. */
#define MAIL_CMD_ARGS                                                                                        \
  "due [--config FILE] [--dry-run] [--smtp-url URL] [--smtp-credentials FILE] [--smtp-starttls on|off] "     \
  "[--from ADDRESS] [--base-url URL] | set LOGIN [--email ADDRESS|none] [--reminders on|off] "               \
  "[--reports on|off] [--lang nl|en]"
#define MAIL_CMD_HELP                                                                                        \
  "send the e-mail that is due (reminders of days without registrations, the weekly and monthly reports), "  \
  "each once; --dry-run lists it; the configuration file's mail-* keys and $BEREIK_SMTP_URL configure it; "  \
  "set: a user's address and e-mail preferences"

/* dbpath: the global --db (db_explicit: it was given, and wins over the file's db). */
struct db;
/* opener: bereik's one opener of the database (main.c: schema checked, service chosen). */
int cmd_mail(const char *dbpath, int db_explicit, int argc, char **argv,
             struct db *(*opener)(const char *path));

#endif
