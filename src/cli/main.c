/* SPDX-License-Identifier: EUPL-1.2 */
/* bereik: the command table. Each command is declared next to its help text. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/compare_cmd.h"
#include "cli/demo.h"
#include "cli/mail_cmd.h"
#include "cli/oidc_cmd.h"
#include "core/config.h"
#include "core/dates.h"
#include "core/util.h"
#include "db/backup.h"
#include "db/copy.h"
#include "db/db.h"
#include "domain/aggregate.h"
#include "domain/audit.h"
#include "domain/bounds.h"
#include "domain/model.h"
#include "domain/service.h"
#include "domain/write_rate.h"
#include "http/auth.h"
#include "http/oidc.h"
#include "io/dataset.h"
#include "measures/compare.h"
#include "measures/facts.h"
#include "measures/impact.h"
#include "report/export.h"
#include "version.h"
#include "web/server.h"

#define EXIT_INVALID 1
#define EXIT_USAGE 2

struct cmd {
  const char *name;
  int (*fn)(const char *dbpath, int argc, char **argv);
  const char *args;
  const char *help;
};

static int usage(void);
static int db_explicit;          /* --db was given on the command line */
static const char *service_code; /* --service, else $BEREIK_SERVICE; NULL: the only one */
static int init_db(const char *path);
static struct db *open_checked(const char *path);
static int cmd_mail_db(const char *path, int argc, char **argv) {
  return cmd_mail(path, db_explicit, argc, argv, open_checked);
}

/* Opens the database and checks that its schema is current. */
static struct db *open_checked(const char *path) {
  char err[512];
  struct db *db = db_open(path, err, sizeof err);
  if (!db) {
    fprintf(stderr, "bereik: %s\n", err);
    return NULL;
  }
  if (db_check_schema(db, err, sizeof err) != 0 || service_choose(db, service_code, err, sizeof err) != 0) {
    fprintf(stderr, "bereik: %s: %s\n", path, err);
    db_close(db);
    return NULL;
  }
  return db;
}

/* As open_checked, for work that is not one service's (serve, service, migrate-db). */
static struct db *open_checked_any(const char *path) {
  char err[512];
  struct db *db = db_open(path, err, sizeof err);
  if (!db) {
    fprintf(stderr, "bereik: %s\n", err);
    return NULL;
  }
  if (db_check_schema(db, err, sizeof err) != 0) {
    fprintf(stderr, "bereik: %s: %s\n", path, err);
    db_close(db);
    return NULL;
  }
  return db;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Builds the aggregates behind the facts (domain/aggregate.h) when the database does
   not keep them yet (registrations from before migration 012). 0 or -1. */
static int aggregates_ensure(struct db *db, const char *path) {
  char err[512] = "";
  if (agg_valid(db) == 1) return 0; /* the usual case: no write transaction at all */
  double t0 = now_seconds();
  int rc = db_begin_write(db) == DB_OK ? agg_ensure(db, err, sizeof err) : -1;
  if (rc < 0 || db_commit(db) != DB_OK) {
    fprintf(stderr, "bereik: %s: building the aggregates: %s\n", path, err[0] ? err : db_errmsg(db));
    db_rollback(db);
    return -1;
  }
  if (rc == 1) fprintf(stderr, "bereik: %s: aggregates built in %.3f s\n", path, now_seconds() - t0);
  return 0;
}

/* aggregates_ensure for every service of the database (SQLite: its one). 0 or -1. */
static int aggregates_ensure_all(struct db *db, const char *path) {
  if (!db_has_services(db)) return aggregates_ensure(db, path);
  struct service *all;
  int n, rc = 0;
  if (service_list(db, &all, &n) != 0) {
    fprintf(stderr, "bereik: %s: reading the services: %s\n", path, db_errmsg(db));
    return -1;
  }
  for (int i = 0; i < n && rc == 0; i++) {
    rc = db_set_service(db, all[i].id) == DB_OK ? aggregates_ensure(db, path) : -1;
    if (rc) fprintf(stderr, "bereik: %s: service %s: %s\n", path, all[i].code, db_errmsg(db));
  }
  db_set_service(db, 0);
  free(all);
  return rc;
}

static int cmd_init(const char *path, int argc, char **argv) {
  /* init --config FILE: the database that serve --config FILE uses (its key db) */
  struct config cfg = {0};
  char err[1024];
  if (argc == 2 && !strcmp(argv[0], "--config")) {
    if (config_load(argv[1], &cfg, err, sizeof err) != 0) {
      fprintf(stderr, "%s\n", err);
      return EXIT_INVALID;
    }
    for (int i = 0; i < cfg.n && !db_explicit; i++)
      if (!strcmp(cfg.entries[i].key, "db")) path = cfg.entries[i].value;
  } else if (argc != 0) {
    return usage();
  }
  int rc = init_db(path);
  config_free(&cfg);
  return rc;
}

static int init_db(const char *path) {
  char err[512];
  struct db *db = db_open(path, err, sizeof err);
  if (!db) {
    fprintf(stderr, "bereik: %s\n", err);
    return EXIT_INVALID;
  }
  int rc = db_migrate(db, err, sizeof err);
  if (rc != 0) fprintf(stderr, "bereik: %s: %s\n", path, err);
  if (rc == 0) rc = aggregates_ensure_all(db, path);
  db_close(db);
  return rc ? EXIT_INVALID : 0;
}

static const char *actor(void) {
  const char *a = getenv("BEREIK_ACTOR");
  if (a && *a) return a;
  static char buf[128];
  const char *u = getenv("USER");
  snprintf(buf, sizeof buf, "cli:%s", u && *u ? u : "unknown");
  return buf;
}

static int cmd_import(const char *path, int argc, char **argv) {
  if (argc != 1) return usage();
  struct db *db = open_checked(path);
  if (!db) return EXIT_INVALID;
  int rc = dataset_import(db, argv[0], actor());
  db_close(db);
  return rc == 0 ? 0 : EXIT_INVALID;
}

static int cmd_export(const char *path, int argc, char **argv) {
  if (argc != 1) return usage();
  struct db *db = open_checked(path);
  if (!db) return EXIT_INVALID;
  int rc = dataset_export(db, argv[0]);
  db_close(db);
  return rc == 0 ? 0 : EXIT_INVALID;
}

/* The date of generation: SOURCE_DATE_EPOCH when set (reproducible files), else now. */
static time_t report_time(void) {
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  return sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
}

/* A human format of the report (report/export.h) from the facts. */
static int write_human(const struct rep_format *hf, const struct model *m, const struct facts *f,
                       const struct facts *impact, const char *out_path, int plain, int lang, int unit) {
  char generated[32], err[1024];
  datetime_brussels_format(report_time(), generated); /* dd/mm/jjjj uu:mm, Brussels */
  struct report rp;
  report_open_unit(&rp, m, f, lang, unit);
  report_add_impact(&rp, impact);
  struct rep_opts o = {plain, generated, 0};
  int rc = 0;
  if (out_path) {
    rc = report_export(&rp, hf, &o, out_path, err, sizeof err);
    if (rc) fprintf(stderr, "bereik: %s\n", err);
  } else { /* html, and csv-tables one after another */
    rc = !strcmp(hf->name, "html") ? report_write_html(&rp, &o, stdout)
                                   : report_write_csv_all(&rp, &o, stdout);
    if (fflush(stdout) != 0) rc = -1;
    if (rc) fprintf(stderr, "bereik: cannot write the report to standard output\n");
  }
  report_close(&rp);
  return rc ? EXIT_INVALID : 0;
}

static int cmd_report(const char *path, int argc, char **argv) {
  const char *years_arg = NULL, *format = "json", *out_path = NULL, *csv_style = "belgian", *lang = "nl";
  const char *unit_arg = NULL; /* --unit pbd|poc: the report of one unit (docs/VIEWS.md) */
  int impact_only = 0, unit = -1;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--impact"))
      impact_only = 1;
    else if (!strcmp(argv[i], "--years") && i + 1 < argc)
      years_arg = argv[++i];
    else if (!strcmp(argv[i], "--format") && i + 1 < argc)
      format = argv[++i];
    else if (!strcmp(argv[i], "-o") && i + 1 < argc)
      out_path = argv[++i];
    else if (!strcmp(argv[i], "--csv-style") && i + 1 < argc)
      csv_style = argv[++i];
    else if (!strcmp(argv[i], "--lang") && i + 1 < argc)
      lang = argv[++i];
    else if (!strcmp(argv[i], "--unit") && i + 1 < argc)
      unit_arg = argv[++i];
    else
      return usage();
  }
  if (unit_arg) {
    if (!strcmp(unit_arg, "pbd"))
      unit = UNIT_PBD;
    else if (!strcmp(unit_arg, "poc"))
      unit = UNIT_POC;
    else {
      fprintf(stderr, "bereik: --unit '%.32s': must be pbd or poc\n", unit_arg);
      return EXIT_USAGE;
    }
    if (impact_only) {
      fprintf(stderr, "bereik: --unit applies to the report, not to --impact\n");
      return EXIT_USAGE;
    }
  }
  const struct rep_format *hf = report_format(format);
  if (impact_only && hf) {
    fprintf(stderr, "bereik: --impact writes the impact measures as facts: --format json or csv\n");
    return EXIT_USAGE;
  }
  if (strcmp(format, "json") && strcmp(format, "csv") && !hf) {
    fprintf(stderr, "bereik: --format '%s': must be json, csv, xlsx, pdf, html or csv-tables\n", format);
    return EXIT_USAGE;
  }
  if (strcmp(csv_style, "belgian") && strcmp(csv_style, "plain")) {
    fprintf(stderr, "bereik: --csv-style '%s': must be belgian or plain\n", csv_style);
    return EXIT_USAGE;
  }
  if (strcmp(lang, "nl") && strcmp(lang, "en")) {
    fprintf(stderr, "bereik: --lang '%s': must be nl or en\n", lang);
    return EXIT_USAGE;
  }
  if (hf && !out_path && (!strcmp(format, "xlsx") || !strcmp(format, "pdf"))) {
    fprintf(stderr, "bereik: --format %s needs -o FILE\n", format);
    return EXIT_USAGE;
  }
  int *years = NULL, n = 0;
  if (years_arg && school_year_range_parse(years_arg, &years, &n) != 0) {
    fprintf(stderr,
            "bereik: --years '%s': expected a school year (2024-2025) or a range (2022-2023..2024-2025)\n",
            years_arg);
    return EXIT_INVALID;
  }
  if (hf && n > 5) {
    fprintf(stderr, "bereik: --years '%s': the report covers one to five school years, not %d\n", years_arg,
            n);
    free(years);
    return EXIT_INVALID;
  }
  struct db *db = open_checked(path);
  if (!db) {
    free(years);
    return EXIT_INVALID;
  }
  char err[512];
  struct model m;
  struct facts f;
  int rc = EXIT_INVALID;
  db_begin_read(db); /* one consistent snapshot */
  if (!years_arg && facts_years_with_data(db, &years, &n, err, sizeof err) != 0) goto fail;
  if (hf && n > 5) n = 5; /* without --years: the five newest */
  if (model_load(db, &m, err, sizeof err) != 0) goto fail;
  if (facts_compute_unit(db, &m, years, n, unit, &f, err, sizeof err) != 0) {
    model_free(&m);
    goto fail;
  }
  struct facts impact = {0};
  if ((hf || impact_only) && impact_compute(db, &m, f.years, f.n_years, (int32_t)(report_time() / 86400),
                                            &impact, err, sizeof err) != 0) {
    facts_free(&impact);
    facts_free(&f);
    model_free(&m);
    goto fail;
  }
  db_commit(db);
  if (hf) {
    rc = write_human(hf, &m, &f, &impact, out_path, !strcmp(csv_style, "plain"),
                     !strcmp(lang, "en") ? REP_EN : REP_NL, unit);
    facts_free(&impact);
    facts_free(&f);
    model_free(&m);
    goto done;
  }
  model_free(&m);
  FILE *out = stdout;
  char *tmp = NULL;
  struct stat ost;
  if (out_path && stat(out_path, &ost) == 0 && !S_ISREG(ost.st_mode) && !S_ISDIR(ost.st_mode)) {
    /* a device or a pipe (-o /dev/stdout, a FIFO) is written as it is, never replaced */
    out = fopen(out_path, "wb");
    if (!out) {
      fprintf(stderr, "bereik: cannot write %s\n", out_path);
      facts_free(&f);
      goto done;
    }
    out_path = NULL;
  } else if (out_path) {
    tmp = malloc(strlen(out_path) + 5);
    sprintf(tmp, "%s.tmp", out_path);
    out = fopen(tmp, "wb");
    if (!out) {
      fprintf(stderr, "bereik: cannot write %s\n", out_path);
      free(tmp);
      facts_free(&f);
      goto done;
    }
  }
  char at[32];
  time_t now = report_time();
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (impact_only) { /* the impact measures in the facts' long format (docs/IMPACT.md) */
    free(impact.years);
    impact.years = f.years;
    impact.n_years = f.n_years;
    f.years = NULL;
    f.n_years = 0;
  }
  const struct facts *w = impact_only ? &impact : &f;
  int wrc = !strcmp(format, "csv") ? facts_write_csv(w, out) : facts_write_json(w, at, out);
  facts_free(&impact);
  facts_free(&f);
  if (out_path) {
    if (fclose(out) != 0) wrc = -1;
    if (wrc == 0 && rename(tmp, out_path) != 0) wrc = -1;
    if (wrc != 0) remove(tmp);
    free(tmp);
  } else if (out != stdout) {
    if (fclose(out) != 0) wrc = -1;
  } else if (fflush(stdout) != 0) {
    wrc = -1;
  }
  if (wrc != 0) {
    fprintf(stderr, "bereik: cannot write the report\n");
    goto done;
  }
  rc = 0;
  goto done;
fail:
  fprintf(stderr, "bereik: %s\n", err);
  db_rollback(db);
done:
  free(years);
  db_close(db);
  return rc;
}

static int cmd_demo(const char *path, int argc, char **argv) {
  unsigned long seed = 1;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
      char *end;
      seed = strtoul(argv[++i], &end, 10);
      if (*end) return usage();
    } else {
      return usage();
    }
  }
  char err[512];
  struct db *db = db_open(path, err, sizeof err);
  if (!db) {
    fprintf(stderr, "bereik: %s\n", err);
    return EXIT_INVALID;
  }
  int rc = db_migrate(db, err, sizeof err);
  if (rc == 0) rc = service_choose(db, service_code, err, sizeof err);
  if (rc == 0) rc = demo_fill(db, seed, err, sizeof err);
  if (rc != 0) fprintf(stderr, "bereik: %s\n", err);
  db_close(db);
  return rc ? EXIT_INVALID : 0;
}

/* The target service of migrate-db (and of restore): made inside the copy's transaction
   when it does not exist yet, so that a failed copy leaves no empty service behind. */
struct target_service {
  const char *code, *name, *host;
  const char *action; /* of the audit entry: "migrate" or "restore" */
};

static int prepare_target(struct db *to, void *ctx, char *err, size_t errlen) {
  const struct target_service *t = ctx;
  if (!db_has_services(to)) return service_choose(to, t->code, err, errlen);
  struct service s;
  int found = t->code ? service_get(to, t->code, 0, &s) : 0;
  if (found < 0) {
    snprintf(err, errlen, "reading the services: %s", db_errmsg(to));
    return -1;
  }
  if (found || !t->code) return service_choose(to, t->code, err, errlen);
  if (!t->name) {
    snprintf(err, errlen, "there is no service '%s' yet: give its name with --name to add it", t->code);
    return -1;
  }
  int64_t id;
  return service_add(to, t->code, t->name, t->host, &id, err, errlen);
}

static int finish_target(struct db *to, void *ctx, char *err, size_t errlen) {
  const struct target_service *t = ctx;
  /* a move into a named service is noted in its trail; a whole database copied to an
     empty one keeps exactly the source's trail */
  if (!db_has_services(to) || !t->code) return 0;
  if (audit_write(to, (int64_t)time(NULL), actor(), t->action, "service", t->code, NULL, NULL, NULL) != 0) {
    snprintf(err, errlen, "writing the audit entry: %s", db_errmsg(to));
    return -1;
  }
  return 0;
}

/* bereik migrate-db --from DB [--from-service CODE] --to DB [--service CODE [--name NAME]
   [--host HOST]]: copies a database (or one service of a PostgreSQL installation) into an
   empty database, or into a service of a PostgreSQL installation, all or nothing. */
static int cmd_migrate_db(const char *path, int argc, char **argv) {
  (void)path;
  const char *from = NULL, *to = NULL, *from_service = NULL;
  struct target_service t = {service_code, NULL, NULL, "migrate"};
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--from") && i + 1 < argc)
      from = argv[++i];
    else if (!strcmp(argv[i], "--to") && i + 1 < argc)
      to = argv[++i];
    else if (!strcmp(argv[i], "--from-service") && i + 1 < argc)
      from_service = argv[++i];
    else if (!strcmp(argv[i], "--service") && i + 1 < argc)
      t.code = argv[++i];
    else if (!strcmp(argv[i], "--name") && i + 1 < argc)
      t.name = argv[++i];
    else if (!strcmp(argv[i], "--host") && i + 1 < argc)
      t.host = argv[++i];
    else
      return usage();
  }
  if (!from || !to) return usage();
  char err[512];
  struct db *src = open_checked_any(from);
  if (!src) return EXIT_INVALID;
  if (service_choose(src, from_service, err, sizeof err) != 0) {
    fprintf(stderr, "bereik: migrate-db: %s: %s\n", from, err);
    db_close(src);
    return EXIT_INVALID;
  }
  struct db *dst = db_open(to, err, sizeof err);
  struct copy_into into = {prepare_target, finish_target, &t, 0};
  int rc = EXIT_INVALID;
  if (!dst) {
    fprintf(stderr, "bereik: %s\n", err);
  } else if (db_migrate(dst, err, sizeof err) != 0 || db_copy(src, dst, &into, err, sizeof err) != 0) {
    fprintf(stderr, "bereik: migrate-db: %s; nothing was written\n", err);
  } else {
    if (t.code && db_has_services(dst))
      fprintf(stderr, "migrate-db: copied %s to service %s of %s\n", from, t.code, to);
    else
      fprintf(stderr, "migrate-db: copied %s to %s\n", from, to);
    rc = 0;
  }
  db_close(dst);
  db_close(src);
  return rc;
}

/* bereik service add CODE --name NAME [--host HOST] | list | set CODE [--name NAME]
   [--host HOST] | suspend CODE | resume CODE: the services of a PostgreSQL installation
   (docs/SERVICES.md), run as the database owner. */
static int cmd_service(const char *path, int argc, char **argv) {
  if (argc < 1) return usage();
  const char *verb = argv[0], *code = argc > 1 ? argv[1] : NULL, *name = NULL, *host = NULL;
  int platform = -1;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "--name") && i + 1 < argc)
      name = argv[++i];
    else if (!strcmp(argv[i], "--host") && i + 1 < argc)
      host = argv[++i];
    else if (!strcmp(argv[i], "--platform") && i + 1 < argc && !strcmp(verb, "set") &&
             (!strcmp(argv[i + 1], "on") || !strcmp(argv[i + 1], "off")))
      platform = !strcmp(argv[++i], "on");
    else
      return usage();
  }
  int list = !strcmp(verb, "list");
  if (list ? argc != 1 : !code) return usage();
  if (!strcmp(verb, "grant")) {
    if (argc != 2) return usage();
    struct db *db = open_checked_any(path);
    if (!db) return EXIT_INVALID;
    char err[512];
    int rc = service_grant(db, code, err, sizeof err);
    if (rc)
      fprintf(stderr, "bereik: service grant: %s\n", err);
    else
      printf("role %s may now run bereik serve on this installation\n", code);
    db_close(db);
    return rc ? EXIT_INVALID : 0;
  }
  struct db *db = open_checked_any(path);
  if (!db) return EXIT_INVALID;
  char err[512] = "";
  int rc = EXIT_INVALID;
  if (!db_has_services(db)) {
    fprintf(stderr,
            "bereik: service: a SQLite database holds one service; several services need PostgreSQL\n");
  } else if (list) {
    struct service *all;
    int n;
    if (service_list(db, &all, &n) == 0) {
      static const char *const share[] = {"none", "named", "anonymous"};
      printf("%-12s %-10s %-10s %-30s %s\n", "code", "status", "share", "host", "name");
      for (int i = 0; i < n; i++)
        printf("%-12s %-10s %-10s %-30s %s%s\n", all[i].code, all[i].suspended ? "suspended" : "active",
               share[all[i].share], all[i].host[0] ? all[i].host : "-", all[i].name,
               all[i].platform ? " (platform)" : "");
      free(all);
      rc = 0;
    } else {
      fprintf(stderr, "bereik: service list: %s\n", db_errmsg(db));
    }
  } else if (!strcmp(verb, "add")) {
    int64_t id = 0;
    if (!name) {
      db_close(db);
      return usage();
    }
    if (db_begin_write_quiet(db) != DB_OK || service_add(db, code, name, host, &id, err, sizeof err) != 0 ||
        audit_write(db, (int64_t)time(NULL), actor(), "create", "service", code, NULL, NULL, NULL) != 0 ||
        db_commit(db) != DB_OK) {
      fprintf(stderr, "bereik: service add: %s\n", err[0] ? err : db_errmsg(db));
      db_rollback(db);
    } else {
      printf("service %s added (id %lld)\n", code, (long long)id);
      rc = 0;
    }
  } else if (!strcmp(verb, "set") || !strcmp(verb, "suspend") || !strcmp(verb, "resume")) {
    struct service was;
    int found = service_get(db, code, 0, &was);
    int suspended = !strcmp(verb, "suspend") ? 1 : !strcmp(verb, "resume") ? 0 : found > 0 && was.suspended;
    if ((name || host) && strcmp(verb, "set")) {
      db_close(db);
      return usage();
    }
    if (service_update(db, code, name, host, suspended, platform, actor(), (int64_t)time(NULL), err,
                       sizeof err) != 0) {
      fprintf(stderr, "bereik: service %s: %s\n", verb, err);
    } else {
      printf("service %s: %s\n", code, suspended ? "suspended" : "active");
      rc = 0;
    }
  } else {
    db_close(db);
    return usage();
  }
  db_close(db);
  return rc;
}

/* A whole number from 1 to 2^31-1. */
static int parse_count(const char *s, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || end == s || v < 1 || v > 2147483647L) return -1;
  *out = v;
  return 0;
}

/* bereik oidc (cli/oidc_cmd.h) with this file's database opener */
/* bereik --service CODE compare share none|named|anonymous | publish: a service's choice,
   and its shared facts published now (the Vergelijking page publishes them too, when the
   data changed since). */
static int compare_own(const char *path, int argc, char **argv) {
  static const char *const shares[] = {"none", "named", "anonymous"};
  int share = -1;
  if (!strcmp(argv[0], "share") && argc == 2)
    for (int i = 0; i < 3; i++)
      if (!strcmp(argv[1], shares[i])) share = i;
  if (share < 0 && (strcmp(argv[0], "publish") || argc != 1)) return usage();
  struct db *db = open_checked(path);
  if (!db) return EXIT_INVALID;
  int rc = EXIT_INVALID;
  char err[512] = "";
  if (!db_has_services(db)) {
    fprintf(stderr, "bereik: compare: the comparison needs a PostgreSQL installation\n");
  } else if (share >= 0 && service_set_share(db, share, actor(), (int64_t)time(NULL)) != 0) {
    fprintf(stderr, "bereik: compare share: %s\n", db_errmsg(db));
  } else if (share == SHARE_NONE) {
    printf("sharing: none (the published facts are taken back)\n");
    rc = 0;
  } else {
    /* publishing: at once when a service starts sharing, as the page does */
    if (share > 0) printf("sharing: %s\n", shares[share]);
    struct model m = {0};
    struct facts f = {0}, imp = {0};
    int *years = NULL, n = 0, loaded = 0;
    int64_t token = 0;
    int ok = db_begin_read(db) == DB_OK && db_revision(db, &token, NULL) == 0 &&
             (loaded = model_load(db, &m, err, sizeof err) == 0) &&
             facts_years_with_data(db, &years, &n, err, sizeof err) == 0 &&
             facts_compute(db, &m, years, n, &f, err, sizeof err) == 0 &&
             impact_compute(db, &m, years, n, bounds_today(), &imp, err, sizeof err) == 0;
    db_rollback(db);
    if (ok && compare_publish(db, &f, &imp, token) == 0) {
      printf("published the shared facts of %d school year%s\n", n, n == 1 ? "" : "s");
      rc = 0;
    } else {
      fprintf(stderr, "bereik: compare publish: %s\n", err[0] ? err : db_errmsg(db));
    }
    facts_free(&f);
    facts_free(&imp);
    free(years);
    if (loaded) model_free(&m);
  }
  db_close(db);
  return rc;
}

static int cmd_compare_db(const char *path, int argc, char **argv) {
  if (argc > 0 && (!strcmp(argv[0], "share") || !strcmp(argv[0], "publish")))
    return compare_own(path, argc, argv);
  int rc = cmd_compare(path, argc, argv, open_checked_any);
  return rc == EXIT_USAGE ? usage() : rc;
}

static int cmd_oidc_db(const char *path, int argc, char **argv) {
  return cmd_oidc(path, argc, argv, open_checked);
}

/* An option of serve that is wrong: on the command line, or at FILE:LINE of --config. */
static int serve_bad(const struct config *cfg, int from_file, int i, const char *fmt, const char *k,
                     const char *v) {
  char msg[600];
  snprintf(msg, sizeof msg, fmt, k + (from_file ? 2 : 0), v ? v : "");
  if (from_file) {
    fprintf(stderr, "%s:%d: %s\n", cfg->path, cfg->entries[i / 2].line, msg);
    return EXIT_INVALID;
  }
  fprintf(stderr, "bereik: %s\n", msg);
  return EXIT_USAGE;
}

static int serve_with(const struct config *cfg, int nfile, const char *path, int argc, char **argv);

/* serve [--config FILE] [--OPTION VALUE]...: the file's `key = value` lines are the options
   --key value, given before those of the command line (which therefore win); the global
   --db, when given, comes between them. */
static int cmd_serve(const char *path, int cargc, char **cargv) {
  struct config cfg = {0};
  char cerr[1024];
  for (int i = 0; i + 1 < cargc; i++)
    if (!strcmp(cargv[i], "--config")) {
      if (cfg.path) {
        fprintf(stderr, "bereik: serve: --config given twice\n");
        config_free(&cfg);
        return EXIT_USAGE;
      }
      if (config_load(cargv[i + 1], &cfg, cerr, sizeof cerr) != 0) {
        fprintf(stderr, "%s\n", cerr);
        return EXIT_INVALID;
      }
    }
  /* the combined argument list: the file's options, --db, the command line's */
  int argc = 0, nfile = 2 * cfg.n;
  char **argv = xcalloc((size_t)nfile + 2 + (size_t)cargc + 1, sizeof *argv);
  char **owned = xcalloc((size_t)cfg.n + 1, sizeof *owned);
  for (int i = 0; i < cfg.n; i++) {
    owned[i] = xmalloc(strlen(cfg.entries[i].key) + 3);
    sprintf(owned[i], "--%s", cfg.entries[i].key);
    argv[argc++] = owned[i];
    argv[argc++] = cfg.entries[i].value;
  }
  if (db_explicit) {
    argv[argc++] = "--db";
    argv[argc++] = (char *)path;
  }
  for (int i = 0; i < cargc; i++) {
    if (!strcmp(cargv[i], "--config") && i + 1 < cargc) {
      i++;
      continue;
    }
    argv[argc++] = cargv[i];
  }
  int rc = serve_with(&cfg, nfile, path, argc, argv);
  for (int i = 0; i < cfg.n; i++) free(owned[i]);
  free(owned);
  free(argv);
  config_free(&cfg);
  return rc;
}

static int serve_with(const struct config *cfg, int nfile, const char *path, int argc, char **argv) {
  struct serve_options o = {.db_path = path,
                            .listen = "127.0.0.1:8080",
                            .connection_timeout = 30,
                            .per_ip_limit = 32,
                            .max_connections = 256,
                            .max_body = 10u << 20,
                            .head_timeout = 10,
                            .query_timeout_ms = 10000,
                            .shutdown_grace = 10};
  struct oidc_config oc;
  oidc_config_init(&oc);
  for (int i = 0; i < argc; i += 2) {
    const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    long n = 0;
    if (!v) return usage();
    /* the file's mail-* keys belong to bereik mail due (docs/MAIL.md) */
    if (i < nfile && !strncmp(k, "--mail-", 7)) continue;
    if (!strcmp(k, "--query-timeout")) { /* seconds, with up to three decimals: 0.05 */
      char *end;
      errno = 0;
      double secs = strtod(v, &end);
      if (errno || *end || end == v || !(secs >= 0.001 && secs <= 86400))
        return serve_bad(cfg, i < nfile, i, "%s takes seconds from 0.001 to 86400, not '%s'", k, v);
      o.query_timeout_ms = (int)(secs * 1000 + 0.5);
      continue;
    }
    if (!strcmp(k, "--write-rate")) { /* registration writes a minute per API token or web session */
      int per_minute;
      if (write_rate_parse(v, &per_minute) != 0)
        return serve_bad(cfg, i < nfile, i, "%s takes N/MIN (writes a minute, 0 = no limit), not '%s'", k, v);
      write_rate_set_limit(per_minute);
      continue;
    }
    /* the organisation's provider and local passwords (http/oidc.h) */
    char oerr[600];
    int orc = !strncmp(k, "--", 2) ? oidc_option(&oc, k + 2, v, oerr, sizeof oerr) : 0;
    if (orc < 0) return serve_bad(cfg, i < nfile, i, "%.0s%s", k, oerr); /* k printed as nothing */
    if (orc > 0) continue;
    int numeric = strcmp(k, "--listen") && strcmp(k, "--trusted-proxy") && strcmp(k, "--db");
    if (numeric && parse_count(v, &n) != 0)
      return serve_bad(cfg, i < nfile, i, "%s takes a positive whole number, not '%s'", k, v);
    if (!strcmp(k, "--db"))
      o.db_path = v;
    else if (!strcmp(k, "--listen"))
      o.listen = v;
    else if (!strcmp(k, "--threads"))
      o.threads = (int)n;
    else if (!strcmp(k, "--connection-timeout"))
      o.connection_timeout = (int)n;
    else if (!strcmp(k, "--per-ip-limit"))
      o.per_ip_limit = (int)n;
    else if (!strcmp(k, "--max-connections"))
      o.max_connections = (int)n;
    else if (!strcmp(k, "--max-body"))
      o.max_body = (size_t)n;
    else if (!strcmp(k, "--trusted-proxy"))
      o.trusted_proxy = v;
    else if (!strcmp(k, "--head-timeout"))
      o.head_timeout = (int)n;
    else if (!strcmp(k, "--shutdown-grace"))
      o.shutdown_grace = (int)n;
    else if (i < nfile)
      return serve_bad(cfg, 1, i, "unknown key '%s' (the keys are the options of bereik serve)", k, NULL);
    else
      return usage();
  }
  if (o.connection_timeout <= 0 || o.per_ip_limit <= 0 || o.max_connections <= 0 || o.max_body == 0) {
    fprintf(stderr, "bereik: serve limits must be positive numbers\n");
    return EXIT_USAGE;
  }
  char oerr[600];
  if (oidc_config_finish(&oc, oerr, sizeof oerr) != 0) {
    fprintf(stderr, "bereik: serve: %s\n", oerr);
    return EXIT_INVALID;
  }
  oerr[0] = 0;
  struct db *adb = open_checked_any(o.db_path);
  int arc = adb ? aggregates_ensure_all(adb, o.db_path) : -1;
  if (arc == 0 && service_count(adb) > 1 && service_rls_bypassed(adb)) {
    fprintf(stderr, "bereik: serve: this database holds several services and its role bypasses row-level "
                    "security (a superuser or BYPASSRLS): serve connects as the application role "
                    "(bereik service grant ROLE, docs/SERVICES.md)\n");
    arc = -1;
  } else if (arc == 0 && service_rls_bypassed(adb)) {
    /* one service: allowed, but the keys lead with the service, which only row-level
       security adds to the queries; without it a lookup by key reads the whole table */
    fprintf(stderr, "bereik: serve: warning: the database role bypasses row-level security (a superuser or "
                    "BYPASSRLS), so lookups by key scan whole tables; connect as the database's owner "
                    "(docs/DEPLOYMENT.md)\n");
  }
  /* one provider and one redirect address per installation: not for several services */
  if (arc == 0 && oc.issuer[0] && service_count(adb) > 1) {
    snprintf(oerr, sizeof oerr,
             "one provider serves one service; this database holds several (docs/SERVICES.md)");
    arc = -1;
  }
  if (arc != 0 && oerr[0]) fprintf(stderr, "bereik: serve: OpenID Connect: %s\n", oerr);
  if (arc == 0 && !oc.local_passwords && !auth_is_active_admin(adb, oc.emergency_admin)) {
    fprintf(stderr, "bereik: serve: emergency-admin '%s' is not an active admin of this database\n",
            oc.emergency_admin);
    arc = -1;
  }
  db_close(adb);
  if (arc != 0) return EXIT_INVALID;
  oidc_install(&oc);
  sodium_memzero(oc.client_secret, sizeof oc.client_secret);
  return serve(&o) == 0 ? 0 : EXIT_INVALID;
}

/* bereik aggregates check | rebuild: compares the aggregates kept under writes with a
   full recomputation from the registrations, key by key and fact by fact for every
   school year with data (exit 0 when equal, 1 when not); or replaces them by it. */
static int cmd_aggregates(const char *path, int argc, char **argv) {
  if (argc != 1 || (strcmp(argv[0], "check") && strcmp(argv[0], "rebuild"))) return usage();
  struct db *db = open_checked(path);
  if (!db) return EXIT_INVALID;
  char err[512];
  int rc = EXIT_INVALID;
  err[0] = 0;
  if (!strcmp(argv[0], "rebuild")) {
    double t0 = now_seconds();
    if (db_begin_write(db) != DB_OK || agg_rebuild(db, err, sizeof err) != 0 || db_commit(db) != DB_OK) {
      fprintf(stderr, "bereik: rebuilding the aggregates: %s\n", err[0] ? err : db_errmsg(db));
      db_rollback(db);
    } else {
      printf("aggregates rebuilt in %.3f s\n", now_seconds() - t0);
      rc = 0;
    }
    db_close(db);
    return rc;
  }
  err[0] = 0;
  struct model m = {0};
  int *years = NULL, n = 0;
  struct facts kept = {0}, full = {0};
  int loaded = 0;
  if (db_begin_read(db) != DB_OK) goto dberr;
  int on = agg_valid(db);
  if (on <= 0) {
    fprintf(stderr, "bereik: %s\n",
            on < 0 ? db_errmsg(db) : "the aggregates are not kept yet (bereik aggregates rebuild)");
    goto out;
  }
  int keys = agg_compare(db, stdout, 20, err, sizeof err);
  if (keys < 0 || model_load(db, &m, err, sizeof err) != 0) goto fail;
  loaded = 1;
  if (facts_years_with_data(db, &years, &n, err, sizeof err) != 0) goto fail;
  facts_from_registrations(0);
  if (facts_compute(db, &m, years, n, &kept, err, sizeof err) != 0) goto fail;
  facts_from_registrations(1);
  int frc = facts_compute(db, &m, years, n, &full, err, sizeof err);
  facts_from_registrations(0);
  if (frc != 0) goto fail;
  int differ = kept.n != full.n;
  for (size_t i = 0; i < kept.n && i < full.n; i++) {
    const struct fact *a = &kept.v[i], *b = &full.v[i];
    if (a->year != b->year || strcmp(a->table, b->table) || strcmp(a->row, b->row) ||
        strcmp(a->col, b->col) || a->value != b->value) {
      if (differ++ < 20)
        printf("fact %s %d %s %s: kept %.17g, recomputed %s %d %s %s %.17g\n", a->table, a->year, a->row,
               a->col, a->value, b->table, b->year, b->row, b->col, b->value);
    }
  }
  printf("aggregates: %d key%s differ; facts of %d school year%s: %zu kept, %zu recomputed, %d differ\n",
         keys, keys == 1 ? "" : "s", n, n == 1 ? "" : "s", kept.n, full.n, differ);
  rc = keys == 0 && differ == 0 ? 0 : EXIT_INVALID;
  goto out;
dberr:
  snprintf(err, sizeof err, "%s", db_errmsg(db));
fail:
  fprintf(stderr, "bereik: checking the aggregates: %s\n", err);
out:
  db_rollback(db);
  facts_free(&kept);
  facts_free(&full);
  free(years);
  if (loaded) model_free(&m);
  db_close(db);
  return rc;
}

/* One line of standard input without its line end, for --password-stdin. 0 or -1. */
static int read_password(char *pw, size_t n) {
  if (!fgets(pw, (int)n, stdin)) {
    fprintf(stderr, "bereik: no password on standard input\n");
    return -1;
  }
  pw[strcspn(pw, "\r\n")] = 0;
  return 0;
}

/* bereik user passwd LOGIN --password-stdin (an admin's reset: every session of the
   account ends), user deactivate LOGIN, user activate LOGIN. A login that does not
   exist is refused (exit 1), nothing written or audited. */
static int cmd_user_admin(const char *path, int argc, char **argv) {
  struct db *db = NULL;
  int rc = EXIT_INVALID;
  if (!strcmp(argv[0], "passwd")) {
    if (argc != 3 || strcmp(argv[2], "--password-stdin")) return usage();
    char pw[1024], err[512] = "";
    if (read_password(pw, sizeof pw) != 0) return EXIT_INVALID;
    if (!(db = open_checked(path))) return EXIT_INVALID;
    enum password_verdict v;
    int r = auth_password_reset(db, argv[1], pw, "cli", (int64_t)time(NULL), &v, err, sizeof err);
    if (r == 0)
      rc = 0;
    else
      fprintf(stderr, "bereik: user passwd: %s\n", r == -1 && !err[0] ? "database error" : err);
  } else {
    if (argc != 2) return usage();
    if (!(db = open_checked(path))) return EXIT_INVALID;
    int r = user_set_active(db, argv[1], !strcmp(argv[0], "activate"), "cli", (int64_t)time(NULL));
    if (r == 0)
      rc = 0;
    else if (r == 1)
      fprintf(stderr, "bereik: user %s: unknown login '%s'\n", argv[0], argv[1]);
    else
      fprintf(stderr, "bereik: user %s: %s\n", argv[0], db_errmsg(db));
  }
  db_close(db);
  return rc;
}

/* bereik user add LOGIN --role ROLE [--advisor CODE] --password-stdin, user totp LOGIN,
   user token LOGIN [--expires DATE] [--label TEXT], user passwd|deactivate|activate */
static int cmd_user(const char *path, int argc, char **argv) {
  if (argc >= 1 &&
      (!strcmp(argv[0], "passwd") || !strcmp(argv[0], "deactivate") || !strcmp(argv[0], "activate")))
    return cmd_user_admin(path, argc, argv);
  if (argc == 2 && !strcmp(argv[0], "totp")) {
    struct db *db = open_checked(path);
    if (!db) return EXIT_INVALID;
    char uri[512], err[512] = "";
    int rc = user_totp_enable(db, argv[1], uri, sizeof uri, err, sizeof err);
    if (rc == 0)
      printf("%s\n", uri);
    else
      fprintf(stderr, "bereik: user totp: %s\n", err);
    db_close(db);
    return rc ? EXIT_INVALID : 0;
  }
  if (argc >= 2 && !strcmp(argv[0], "token")) {
    const char *label = "cli";
    int64_t expires = 0;
    for (int i = 2; i < argc; i++) {
      int32_t day;
      if (!strcmp(argv[i], "--expires") && i + 1 < argc) {
        if (date_parse(argv[++i], &day) != 0) {
          fprintf(stderr, "bereik: --expires takes a date YYYY-MM-DD (the token works through that day)\n");
          return EXIT_USAGE;
        }
        expires = ((int64_t)day + 1) * 86400;
      } else if (!strcmp(argv[i], "--label") && i + 1 < argc) {
        label = argv[++i];
      } else {
        return usage();
      }
    }
    struct db *db = open_checked(path);
    if (!db) return EXIT_INVALID;
    char token[API_TOKEN_LEN + 1], err[512] = "";
    int rc = api_token_create(db, argv[1], label, expires, (int64_t)time(NULL), token, err, sizeof err);
    if (rc == 0)
      printf("%s\n", token);
    else
      fprintf(stderr, "bereik: user token: %s\n", err);
    db_close(db);
    return rc ? EXIT_INVALID : 0;
  }
  if (argc < 2 || strcmp(argv[0], "add")) return usage();
  const char *login = argv[1], *role = NULL, *advisor = NULL;
  int stdin_pw = 0;
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "--role") && i + 1 < argc)
      role = argv[++i];
    else if (!strcmp(argv[i], "--advisor") && i + 1 < argc)
      advisor = argv[++i];
    else if (!strcmp(argv[i], "--password-stdin"))
      stdin_pw = 1;
    else
      return usage();
  }
  if (!role || !stdin_pw) return usage();
  char pw[1024];
  if (read_password(pw, sizeof pw) != 0) return EXIT_INVALID;
  struct db *db = open_checked(path);
  if (!db) return EXIT_INVALID;
  char err[512];
  int rc = user_create(db, login, role, advisor, pw, NULL, err, sizeof err) != USER_OK;
  if (rc != 0) fprintf(stderr, "bereik: user add: %s\n", err);
  db_close(db);
  return rc ? EXIT_INVALID : 0;
}

/* One service of a PostgreSQL installation with several (or named with --service) is
   backed up as a SQLite file: a whole single-service bereik database, which bereik serves
   as it is and restore (or migrate-db) brings back into a service. */
static int per_service(struct db *db) {
  return db_has_services(db) && (service_code || service_count(db) > 1);
}

static int backup_service(struct db *db, const char *file, char *err, size_t errlen) {
  struct stat sb;
  if (stat(file, &sb) == 0) {
    snprintf(err, errlen, "%s exists; a backup never overwrites a file", file);
    return -1;
  }
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp-%ld", file, (long)getpid());
  struct db *out = db_open(tmp, err, errlen);
  int rc = out && db_migrate(out, err, errlen) == 0 && db_copy(db, out, NULL, err, errlen) == 0 ? 0 : -1;
  db_close(out);
  if (rc == 0 && rename(tmp, file) != 0) {
    snprintf(err, errlen, "cannot put the backup in place as %.300s: %s", file, strerror(errno));
    rc = -1;
  }
  if (rc != 0) {
    unlink(tmp);
    char side[4200];
    snprintf(side, sizeof side, "%s-wal", tmp);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", tmp);
    unlink(side);
  }
  return rc;
}

static int cmd_backup(const char *path, int argc, char **argv) {
  if (argc != 1) return usage();
  char err[1024];
  struct db *db = open_checked(path);
  if (!db) return EXIT_INVALID;
  if (per_service(db)) {
    struct service s;
    int rc =
        service_get(db, NULL, db_service(db), &s) == 1 ? backup_service(db, argv[0], err, sizeof err) : -1;
    if (rc != 0)
      fprintf(stderr, "bereik: backup: %s\n", err);
    else
      printf("backup of service %s written to %s (a SQLite database of that service alone)\n", s.code,
             argv[0]);
    db_close(db);
    return rc ? EXIT_INVALID : 0;
  }
  db_close(db);
  if (db_backup(path, argv[0], err, sizeof err) != 0) {
    fprintf(stderr, "bereik: backup: %s\n", err);
    return EXIT_INVALID;
  }
  printf("backup written to %s\n", argv[0]);
  return 0;
}

static int cmd_restore(const char *path, int argc, char **argv) {
  if (argc != 1) return usage();
  char err[1024];
  {
    /* a service of an installation with several: its rows are replaced by the backup's,
       a SQLite file of that service (bereik --service CODE backup), all or nothing */
    struct db *db = strstr(path, "://") ? db_open(path, err, sizeof err) : NULL;
    if (db && db_check_schema(db, err, sizeof err) == 0 && per_service(db)) {
      if (service_choose(db, service_code, err, sizeof err) != 0) {
        fprintf(stderr, "bereik: restore: %s\n", err);
        db_close(db);
        return EXIT_INVALID;
      }
      struct service s;
      struct db *src = service_get(db, NULL, db_service(db), &s) == 1 ? open_checked_any(argv[0]) : NULL;
      struct target_service t = {s.code, NULL, NULL, "restore"};
      struct copy_into into = {prepare_target, finish_target, &t, 1};
      int rc =
          src && db_has_services(src)
              ? (snprintf(err, sizeof err, "%s is not a backup of one service (a SQLite file)", argv[0]), -1)
          : src ? db_copy(src, db, &into, err, sizeof err)
                : -1;
      if (!src && !err[0]) snprintf(err, sizeof err, "cannot read %s", argv[0]);
      if (rc != 0)
        fprintf(stderr, "bereik: restore: %s; the service is unchanged\n", err);
      else
        printf("restored service %s from %s\n", s.code, argv[0]);
      db_close(src);
      db_close(db);
      return rc ? EXIT_INVALID : 0;
    }
    db_close(db);
    err[0] = 0;
  }
  if (db_restore(path, argv[0], err, sizeof err) != 0) {
    fprintf(stderr, "bereik: restore: %s; the database is unchanged\n", err);
    return EXIT_INVALID;
  }
  /* a backup of an older bereik is upgraded like any database */
  struct db *db = db_open(path, err, sizeof err);
  int rc = db ? db_migrate(db, err, sizeof err) : -1;
  /* a backup from before migration 012 gets the aggregates behind the facts */
  if (rc == 0) rc = aggregates_ensure(db, path);
  db_close(db);
  if (rc != 0) {
    fprintf(stderr, "bereik: restore: %s\n", err);
    return EXIT_INVALID;
  }
  printf("restored %s from %s\n", path, argv[0]);
  return 0;
}

static const struct cmd commands[] = {
    {"init", cmd_init, "[--config FILE]",
     "create the database or upgrade its schema (with --config: the database of serve --config FILE)"},
    {"import", cmd_import, "DIR", "import a dataset folder (all or nothing)"},
    {"export", cmd_export, "DIR", "write the dataset as CSV files into DIR"},
    {"report", cmd_report,
     "[--years A..B] [--format json|csv|xlsx|pdf|html|csv-tables] [-o FILE|DIR] [--csv-style belgian|plain] "
     "[--lang nl|en] [--unit pbd|poc] [--impact]",
     "the yearly report: its facts (json, csv) or the tables for people (xlsx, pdf, html; csv-tables: one "
     "CSV per table into the folder DIR, or all one after another on standard output); --impact: the impact "
     "measures (docs/IMPACT.md) as facts instead; --unit: the report of one unit, PBD or POC "
     "(docs/VIEWS.md)"},
    {"demo", cmd_demo, "[--seed N]", "fill the database with a realistic synthetic service"},
    {"serve", cmd_serve,
     "[--config FILE] [--listen ADDR:PORT] [--threads N] [--connection-timeout S] [--per-ip-limit N] "
     "[--max-connections N] [--max-body BYTES] [--trusted-proxy ADDR] [--head-timeout S] [--query-timeout S] "
     "[--shutdown-grace S] [--write-rate N/MIN] [--oidc-issuer URL --oidc-client-id ID "
     "--oidc-client-secret-file FILE|- --oidc-redirect-uri URL [--oidc-name NAME] [--oidc-claim email|sub] "
     "[--oidc-unknown refuse|approve]] [--local-passwords on|off --emergency-admin LOGIN]",
     "run the web application"},
    {"user", cmd_user,
     "add LOGIN --role ROLE [--advisor CODE] --password-stdin | totp LOGIN | token LOGIN [--expires DATE] "
     "[--label TEXT] | passwd LOGIN --password-stdin | deactivate LOGIN | activate LOGIN",
     "create an account (a password of at least 12 characters, not in cracklib's dictionary); give it a "
     "second factor (prints the otpauth:// URI); make a personal API token (prints only the token); reset a "
     "password (ends the account's sessions); switch an account off or on"},
    {"backup", cmd_backup, "FILE",
     "a consistent copy of the database while it is in use (FILE must not exist)"},
    {"restore", cmd_restore, "FILE", "replace the database with a backup, all or nothing"},
    {"migrate-db", cmd_migrate_db,
     "--from DB [--from-service CODE] --to DB [--service CODE [--name NAME] [--host HOST]]",
     "copy an installation to an empty database (SQLite file or postgresql:// URI), or into a service of a "
     "PostgreSQL installation (added with --name when it is new; it must hold no data), all or nothing; "
     "--from-service: one service of a PostgreSQL installation"},
    {"service", cmd_service,
     "add CODE --name NAME [--host HOST] | list | set CODE [--name NAME] [--host HOST] [--platform on|off] | "
     "suspend CODE | resume CODE | grant ROLE",
     "the services of a PostgreSQL installation (docs/SERVICES.md): add one (with what a new database gets), "
     "list them, rename one or give it the host name it answers on (--platform: its admins manage the "
     "services on the page Diensten), suspend or resume one; give the "
     "application's role (not the owner, no BYPASSRLS) what serve needs"},
    {"compare", cmd_compare_db, COMPARE_CMD_ARGS, COMPARE_CMD_HELP},
    {"mail", cmd_mail_db, MAIL_CMD_ARGS, MAIL_CMD_HELP},
    {"oidc", cmd_oidc_db, OIDC_CMD_ARGS, OIDC_CMD_HELP},
    {"aggregates", cmd_aggregates, "check | rebuild",
     "compare the sums kept under writes with a full recomputation from the registrations (exit 1 when they "
     "differ), or rebuild them"},
};

/* The options before the command; --help and the man page list them from here. */
static const struct gopt {
  const char *name, *arg, *help;
} global_options[] = {
    {"--db", "PATH|URI", "SQLite file or postgresql:// URI (default $BEREIK_DB, else ./bereik.db)"},
    {"--service", "CODE",
     "on PostgreSQL, the service the command works on (default $BEREIK_SERVICE, else the only one)"},
    {"--version", "", "print the version and exit"},
    {"--help", "", "print this help and exit"},
    {"--help-man", "", "print this help as the manual page bereik(1), in roff, and exit"},
};

static int usage(void) {
  fputs("usage: bereik [--db PATH|URI] [--service CODE] COMMAND [ARGS]\n\n", stderr);
  for (size_t i = 0; i < sizeof global_options / sizeof global_options[0]; i++)
    fprintf(stderr, "  %-11s %-9s %s\n", global_options[i].name, global_options[i].arg,
            global_options[i].help);
  fputs("\ncommands:\n", stderr);
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(stderr, "  %-8s %-45s %s\n", commands[i].name, commands[i].args, commands[i].help);
  return EXIT_USAGE;
}

static void print_version(void) {
  if (BEREIK_COMMIT[0])
    printf("bereik %s (git %s)\n", BEREIK_VERSION, BEREIK_COMMIT);
  else
    printf("bereik %s\n", BEREIK_VERSION);
}

/* Text for roff: '\' and '-' escaped, a leading '.' or '\'' protected. */
static void roff(const char *s, size_t n) {
  if (n && (*s == '.' || *s == '\'')) fputs("\\&", stdout);
  for (size_t i = 0; i < n && s[i]; i++) {
    if (s[i] == '\\')
      fputs("\\e", stdout);
    else if (s[i] == '-')
      fputs("\\-", stdout);
    else
      putchar(s[i]);
  }
}
static void roffs(const char *s) { roff(s, strlen(s)); }

/* bereik(1), from the same tables as --help: the global options, the commands and, for
   the configuration file, the options of serve. */
static int print_man(void) {
  char date[11] = "";
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(date, sizeof date, "%Y-%m-%d", &tm);
  printf(".TH BEREIK 1 \"%s\" \"bereik %s\" \"User Commands\"\n", date, BEREIK_VERSION);
  puts(".SH NAME\nbereik \\- registration and monitoring of a pedagogical guidance service");
  puts(".SH SYNOPSIS\n.B bereik\n[\\fB\\-\\-db\\fR \\fIPATH\\fR|\\fIURI\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]");
  puts(".SH DESCRIPTION\nbereik keeps the registrations of the advisors of a pedagogical guidance service in "
       "a "
       "SQLite file or a PostgreSQL database, computes the indicators of the service, writes the yearly "
       "report "
       "and serves the web application and its JSON API.");
  puts(".SH OPTIONS");
  for (size_t i = 0; i < sizeof global_options / sizeof global_options[0]; i++) {
    printf(".TP\n.B ");
    roffs(global_options[i].name);
    if (*global_options[i].arg) {
      fputs(" \\fI", stdout);
      roffs(global_options[i].arg);
      fputs("\\fR", stdout);
    }
    putchar('\n');
    roffs(global_options[i].help);
    putchar('\n');
  }
  puts(".SH COMMANDS");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    printf(".TP\n.B ");
    roffs(commands[i].name);
    if (*commands[i].args) {
      putchar(' ');
      roffs(commands[i].args);
    }
    putchar('\n');
    roffs(commands[i].help);
    putchar('\n');
  }
  puts(".SH CONFIGURATION FILE\n"
       ".B bereik serve \\-\\-config \\fIFILE\\fR\n"
       "reads one \\fIkey\\fR = \\fIvalue\\fR per line; blank lines and lines starting with # are ignored. "
       "Each key is an option of \\fBserve\\fR without its leading dashes, and the options given on the "
       "command line win over the file. An unknown key, a key given twice or a bad value stops bereik with "
       "\\fIFILE\\fR:\\fILINE\\fR and the reason. The keys:");
  puts(".TP\n.B db \\fIPATH\\fR|\\fIURI\\fR\nthe database (the global \\fB\\-\\-db\\fR wins over it)");
  puts(".TP\n.B mail\\-smtp\\-url\\fR, \\fBmail\\-smtp\\-credentials\\fR, \\fBmail\\-smtp\\-starttls\\fR, "
       "\\fBmail\\-from\\fR, \\fBmail\\-base\\-url\\fR\nthe options of \\fBmail due\\fR of those names "
       "without mail\\- (\\fBserve\\fR ignores them; /usr/share/doc/bereik/MAIL.md)");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    if (strcmp(commands[i].name, "serve")) continue;
    for (const char *p = commands[i].args; (p = strstr(p, "[--")) != NULL;) {
      const char *end = strchr(p, ']');
      if (!end) break;
      const char *k = p + 3, *sp = memchr(k, ' ', (size_t)(end - k));
      if (!(sp && (size_t)(sp - k) == 6 && !strncmp(k, "config", 6))) {
        fputs(".TP\n.B ", stdout);
        roff(k, (size_t)((sp ? sp : end) - k));
        if (sp) {
          fputs(" \\fI", stdout);
          roff(sp + 1, (size_t)(end - sp - 1));
          fputs("\\fR", stdout);
        }
        puts("\nas \\fBserve\\fR's option of that name");
      }
      p = end;
    }
  }
  puts(
      ".SH ENVIRONMENT\n.TP\n.B BEREIK_DB\nthe database when \\fB\\-\\-db\\fR is not given\n"
      ".TP\n.B BEREIK_TODAY\nthe date (YYYY\\-MM\\-DD) that \\fBdemo\\fR and \\fBmail due\\fR take as today\n"
      ".TP\n.B BEREIK_SMTP_URL\nthe SMTP server of \\fBmail due\\fR (wins over the configuration file)\n"
      ".TP\n.B SOURCE_DATE_EPOCH\nthe time written into reports, for reproducible files");
  puts(".SH EXIT STATUS\n0 success, 1 invalid input (each problem on standard error as "
       "\\fIFILE\\fR:\\fILINE\\fR: column: message), 2 usage.");
  puts(".SH FILES\n.TP\n.I /etc/bereik/bereik.conf\nthe configuration of the service \\fBbereik.service\\fR\n"
       ".TP\n.I /var/lib/bereik/bereik.db\nits SQLite database");
  puts(".SH SEE ALSO\n.BR systemctl (1),\n.BR journalctl (1),\n.BR nginx (8)");
  return fflush(stdout) == 0 ? 0 : EXIT_INVALID;
}

int main(int argc, char **argv) {
  const char *dbpath = getenv("BEREIK_DB");
  service_code = getenv("BEREIK_SERVICE");
  if (service_code && !*service_code) service_code = NULL;
  if (!dbpath || !*dbpath) dbpath = "bereik.db";
  int i = 1;
  while (i < argc && argv[i][0] == '-') {
    if (!strcmp(argv[i], "--db") && i + 1 < argc) {
      dbpath = argv[i + 1];
      db_explicit = 1;
      i += 2;
    } else if (!strcmp(argv[i], "--service") && i + 1 < argc) {
      service_code = argv[i + 1];
      i += 2;
    } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      usage();
      return 0;
    } else if (!strcmp(argv[i], "--version")) {
      print_version();
      return fflush(stdout) == 0 ? 0 : EXIT_INVALID;
    } else if (!strcmp(argv[i], "--help-man")) {
      return print_man();
    } else {
      return usage();
    }
  }
  if (i >= argc) return usage();
  for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
    if (!strcmp(commands[k].name, argv[i])) return commands[k].fn(dbpath, argc - i - 1, argv + i + 1);
  fprintf(stderr, "bereik: unknown command '%s'\n", argv[i]);
  return usage();
}
