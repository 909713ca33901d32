/* SPDX-License-Identifier: EUPL-1.2 */
/* bereik oidc check | link | unlink | pending | approve (cli/oidc_cmd.h). */
#include "cli/oidc_cmd.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "db/db.h"
#include "http/auth.h"
#include "http/oidc.h"

#define EXIT_INVALID 1
#define EXIT_USAGE 2

static int oidc_usage(void) {
  fputs("usage: bereik [--db PATH|URI] oidc " OIDC_CMD_ARGS "\n", stderr);
  return EXIT_USAGE;
}

static void print_line(const char *line, void *ctx) {
  (void)ctx;
  printf("%s\n", line);
}

/* check --config FILE: the file's oidc-* keys (and local-passwords, emergency-admin). */
static int check(int argc, char **argv) {
  if (argc != 3 || strcmp(argv[1], "--config")) return oidc_usage();
  struct config cfg = {0};
  char err[1024];
  if (config_load(argv[2], &cfg, err, sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    return EXIT_INVALID;
  }
  struct oidc_config c;
  oidc_config_init(&c);
  int rc = 0;
  for (int i = 0; i < cfg.n && rc == 0; i++)
    if (oidc_option(&c, cfg.entries[i].key, cfg.entries[i].value, err, sizeof err) < 0) {
      fprintf(stderr, "%s:%d: %s\n", cfg.path, cfg.entries[i].line, err);
      rc = EXIT_INVALID;
    }
  if (rc == 0 && !c.issuer[0]) {
    fprintf(stderr, "bereik: oidc check: %s has no oidc-issuer\n", cfg.path);
    rc = EXIT_INVALID;
  }
  if (rc == 0 && oidc_config_finish(&c, err, sizeof err) != 0) {
    fprintf(stderr, "bereik: oidc check: %s\n", err);
    rc = EXIT_INVALID;
  }
  if (rc == 0) {
    oidc_install(&c);
    if (oidc_check(&c, print_line, NULL, err, sizeof err) != 0) {
      fprintf(stderr, "bereik: oidc check: %s\n", err);
      rc = EXIT_INVALID;
    }
  }
  config_free(&cfg);
  return rc;
}

static void print_pending(const char *login, const char *value, const char *created_at, void *ctx) {
  (void)ctx;
  printf("%s\t%s\t%s\n", login, value, created_at);
}

int cmd_oidc(const char *path, int argc, char **argv, struct db *(*open_db)(const char *path)) {
  if (argc < 1) return oidc_usage();
  if (!strcmp(argv[0], "check")) return check(argc, argv);
  const char *login = argc >= 2 ? argv[1] : NULL, *role = NULL, *advisor = NULL;
  if (!strcmp(argv[0], "link")) {
    if (argc != 3) return oidc_usage();
  } else if (!strcmp(argv[0], "unlink")) {
    if (argc != 2) return oidc_usage();
  } else if (!strcmp(argv[0], "pending")) {
    if (argc != 1) return oidc_usage();
  } else if (!strcmp(argv[0], "approve")) {
    if (argc < 2) return oidc_usage();
    for (int i = 2; i < argc; i++) {
      if (!strcmp(argv[i], "--role") && i + 1 < argc)
        role = argv[++i];
      else if (!strcmp(argv[i], "--advisor") && i + 1 < argc)
        advisor = argv[++i];
      else
        return oidc_usage();
    }
  } else {
    return oidc_usage();
  }
  struct db *db = open_db(path);
  if (!db) return EXIT_INVALID;
  char err[512] = "";
  int64_t now = (int64_t)time(NULL);
  int rc = 0;
  if (!strcmp(argv[0], "pending")) {
    rc = auth_oidc_pending(db, print_pending, NULL) < 0 ? -1 : 0;
    if (rc) snprintf(err, sizeof err, "%s", db_errmsg(db));
  } else if (!strcmp(argv[0], "approve")) {
    rc = auth_oidc_approve(db, login, role, advisor, "cli", now, err, sizeof err);
  } else {
    rc = auth_oidc_link(db, login, !strcmp(argv[0], "link") ? argv[2] : NULL, "cli", now, err, sizeof err);
  }
  if (rc) fprintf(stderr, "bereik: oidc %s: %s\n", argv[0], err);
  db_close(db);
  return rc ? EXIT_INVALID : 0;
}
