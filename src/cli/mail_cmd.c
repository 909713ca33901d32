/* SPDX-License-Identifier: EUPL-1.2 */
/* bereik mail due | set (docs/MAIL.md). The configuration comes from the configuration
   file's mail-* keys (--config FILE; the file serve reads, which ignores these keys),
   then $BEREIK_SMTP_URL for the server, then the command line, each winning over the
   one before. */
#include "cli/mail_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "db/db.h"
#include "domain/bounds.h"
#include "mail/due.h"
#include "mail/prefs.h"

#define EXIT_INVALID 1
#define EXIT_USAGE 2

static int mail_usage(void) {
  fputs("usage: bereik [--db PATH|URI] mail " MAIL_CMD_ARGS "\n", stderr);
  return EXIT_USAGE;
}

/* bereik's one opener (main.c): the schema checked, the service chosen (--service). */
static struct db *(*open_db)(const char *path);

static int on_off(const char *v, int *out) {
  if (!strcmp(v, "on"))
    *out = 1;
  else if (!strcmp(v, "off"))
    *out = 0;
  else
    return -1;
  return 0;
}

/* One setting from the file (where: "FILE:LINE") or the command line (where: NULL). */
static int apply(struct mail_config *c, const char *key, const char *v, const char *where, const char **creds,
                 int *have_url) {
  char err[512] = "";
  int rc = 0;
  if (!strcmp(key, "smtp-url")) {
    rc = smtp_config_url(&c->smtp, v, err, sizeof err);
    *have_url = rc == 0;
  } else if (!strcmp(key, "smtp-credentials")) {
    *creds = v;
  } else if (!strcmp(key, "smtp-starttls")) {
    if (on_off(v, &c->smtp.starttls) != 0) {
      snprintf(err, sizeof err, "smtp-starttls takes on or off, not '%.40s'", v);
      rc = -1;
    }
  } else if (!strcmp(key, "from")) {
    if (!mail_addr_ok(v)) {
      snprintf(err, sizeof err, "from '%.100s' is not a plain address local@domain", v);
      rc = -1;
    } else {
      snprintf(c->from, sizeof c->from, "%s", v);
    }
  } else if (!strcmp(key, "base-url")) {
    rc = mail_config_base_url(c, v, err, sizeof err);
  } else if (where) {
    snprintf(err, sizeof err,
             "unknown key 'mail-%.60s' (mail-smtp-url, mail-smtp-credentials, "
             "mail-smtp-starttls, mail-from, mail-base-url)",
             key);
    rc = -1;
  } else {
    return mail_usage();
  }
  if (rc != 0) fprintf(stderr, "bereik: %s%s%s\n", where ? where : "", where ? ": " : "", err);
  return rc;
}

static int cmd_due(const char *dbpath, int db_explicit, int argc, char **argv) {
  struct mail_config c = {0};
  c.smtp.starttls = 1;
  int dry_run = 0, have_url = 0;
  const char *creds = NULL, *config = NULL;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--config") && i + 1 < argc && !config)
      config = argv[++i];
    else if (!strcmp(argv[i], "--dry-run"))
      dry_run = 1;
    else if (!strncmp(argv[i], "--", 2) && i + 1 < argc && strcmp(argv[i], "--config"))
      i++; /* an option with its value: applied below, after the file */
    else
      return mail_usage();
  }
  struct config cfg = {0};
  char err[1024];
  if (config) {
    if (config_load(config, &cfg, err, sizeof err) != 0) {
      fprintf(stderr, "%s\n", err);
      return EXIT_INVALID;
    }
    for (int i = 0; i < cfg.n; i++) {
      const char *k = cfg.entries[i].key;
      if (!strcmp(k, "db") && !db_explicit) dbpath = cfg.entries[i].value;
      if (strncmp(k, "mail-", 5)) continue; /* the keys of serve */
      char where[600];
      snprintf(where, sizeof where, "%.500s:%d", cfg.path, cfg.entries[i].line);
      if (apply(&c, k + 5, cfg.entries[i].value, where, &creds, &have_url) != 0) {
        config_free(&cfg);
        return EXIT_INVALID;
      }
    }
  }
  const char *env = getenv("BEREIK_SMTP_URL");
  int rc = 0;
  if (env && *env) rc = apply(&c, "smtp-url", env, "BEREIK_SMTP_URL", &creds, &have_url);
  for (int i = 0; i < argc && rc == 0; i++) {
    if (!strcmp(argv[i], "--dry-run")) continue;
    if (!strcmp(argv[i], "--config")) {
      i++;
      continue;
    }
    rc = apply(&c, argv[i] + 2, argv[i + 1], NULL, &creds, &have_url);
    i++;
  }
  if (rc == 0 && creds && smtp_config_credentials(&c.smtp, creds, err, sizeof err) != 0) {
    fprintf(stderr, "bereik: %s\n", err);
    rc = -1;
  }
  if (rc != 0) {
    config_free(&cfg);
    return rc == EXIT_USAGE ? EXIT_USAGE : EXIT_INVALID;
  }
  if (!have_url && !dry_run) { /* e-mail is not set up: the daily timer succeeds quietly */
    fprintf(stderr, "bereik: mail due: e-mail is not configured (mail-smtp-url in the configuration file, "
                    "$BEREIK_SMTP_URL or --smtp-url): nothing sent\n");
    config_free(&cfg);
    return 0;
  }
  if (!c.from[0]) snprintf(c.from, sizeof c.from, "bereik@localhost.localdomain");
  if (!c.base_url[0]) {
    snprintf(c.base_url, sizeof c.base_url, "http://127.0.0.1:8080");
    if (!dry_run) fprintf(stderr, "bereik: mail due: no mail-base-url: the links point to %s\n", c.base_url);
  }
  struct db *db = open_db(dbpath);
  config_free(&cfg);
  if (!db) return EXIT_INVALID;
  struct mail_result res;
  rc = mail_due(db, &c, bounds_today(), dry_run, stdout, &res, err, sizeof err);
  memset(c.smtp.password, 0, sizeof c.smtp.password);
  db_close(db);
  if (rc != 0) {
    fprintf(stderr, "bereik: mail due: %s\n", err);
    return EXIT_INVALID;
  }
  if (fflush(stdout) != 0) return EXIT_INVALID;
  if (res.failed) {
    fprintf(stderr, "bereik: mail due: %d message%s failed (tried again on the next run)\n", res.failed,
            res.failed == 1 ? "" : "s");
    return EXIT_INVALID;
  }
  return 0;
}

static int cmd_set(const char *dbpath, int argc, char **argv) {
  if (argc < 1) return mail_usage();
  const char *login = argv[0];
  struct db *db = open_db(dbpath);
  if (!db) return EXIT_INVALID;
  struct mail_prefs p;
  int64_t id = mail_user_id(db, login);
  if (!id || mail_prefs_get(db, id, &p) != 0) {
    fprintf(stderr, "bereik: mail set: no user '%s'\n", login);
    db_close(db);
    return EXIT_INVALID;
  }
  int bad = 0;
  if (argc % 2 == 0) bad = 2; /* LOGIN and pairs of option and value */
  for (int i = 1; i < argc && !bad; i += 2) {
    const char *k = argv[i], *v = argv[i + 1];
    if (!strcmp(k, "--email")) {
      if (!strcmp(v, "none")) {
        p.email[0] = 0;
      } else if (!mail_addr_ok(v)) {
        fprintf(stderr, "bereik: mail set: --email '%.100s' is not a plain address local@domain\n", v);
        bad = 1;
      } else {
        snprintf(p.email, sizeof p.email, "%s", v);
      }
    } else if (!strcmp(k, "--reminders") || !strcmp(k, "--reports")) {
      if (on_off(v, !strcmp(k, "--reminders") ? &p.reminders : &p.reports) != 0) {
        fprintf(stderr, "bereik: mail set: %s takes on or off, not '%.40s'\n", k, v);
        bad = 1;
      }
    } else if (!strcmp(k, "--lang")) {
      if (strcmp(v, "nl") && strcmp(v, "en")) {
        fprintf(stderr, "bereik: mail set: --lang takes nl or en, not '%.40s'\n", v);
        bad = 1;
      } else {
        snprintf(p.lang, sizeof p.lang, "%s", v);
      }
    } else {
      bad = 2;
    }
  }
  if (bad) {
    db_close(db);
    return bad == 2 ? mail_usage() : EXIT_INVALID;
  }
  const char *a = getenv("BEREIK_ACTOR");
  char actor[160];
  const char *u = getenv("USER");
  snprintf(actor, sizeof actor, "%s", a && *a ? a : "cli");
  if (!(a && *a)) snprintf(actor, sizeof actor, "cli:%.100s", u && *u ? u : "unknown");
  enum mail_prefs_fault f = mail_prefs_set(db, id, &p, actor, (int64_t)time(NULL));
  db_close(db);
  if (f != MAIL_PREFS_OK) {
    fprintf(stderr, "bereik: mail set: %s\n", f == MAIL_PREFS_FAILED ? "the database failed" : "refused");
    return EXIT_INVALID;
  }
  printf("%s: e-mail %s, reminders %s, reports %s, language %s\n", login, p.email[0] ? p.email : "none",
         p.reminders ? "on" : "off", p.reports ? "on" : "off", p.lang);
  return fflush(stdout) == 0 ? 0 : EXIT_INVALID;
}

int cmd_mail(const char *dbpath, int db_explicit, int argc, char **argv,
             struct db *(*opener)(const char *path)) {
  open_db = opener;
  if (argc >= 1 && !strcmp(argv[0], "due")) return cmd_due(dbpath, db_explicit, argc - 1, argv + 1);
  if (argc >= 1 && !strcmp(argv[0], "set")) return cmd_set(dbpath, argc - 1, argv + 1);
  return mail_usage();
}
