/* SPDX-License-Identifier: EUPL-1.2 */
/* bereik backup FILE / bereik restore FILE, while the server runs.
   SQLite: VACUUM INTO a temporary file (one read transaction: a consistent snapshot;
   writers go on in WAL mode), integrity check, fsync, then a hard link to FILE so an
   existing file is never overwritten. Restore checks the copy (integrity, a bereik
   schema not newer than this binary) and copies it into the live database with SQLite's
   online backup API, which takes the write lock: other processes see the old or the new
   database, never a mix. PostgreSQL: pg_dump --format=custom (a snapshot) and
   pg_restore --clean --single-transaction (all or nothing). */
#include "db/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"

static int fsync_path(const char *path, int dir) {
  int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) return -1;
  int rc = fsync(fd);
  close(fd);
  return rc;
}

static void dir_of(const char *file, char *out, size_t n) {
  const char *slash = strrchr(file, '/');
  if (!slash)
    snprintf(out, n, ".");
  else if (slash == file)
    snprintf(out, n, "/");
  else
    snprintf(out, n, "%.*s", (int)(slash - file), file);
}

/* Publishes tmp as file without ever replacing an existing file. */
static int publish(const char *tmp, const char *file, char *err, size_t errlen) {
  if (fsync_path(tmp, 0) != 0) {
    snprintf(err, errlen, "cannot sync %s: %s", tmp, strerror(errno));
    return -1;
  }
  if (link(tmp, file) != 0) {
    snprintf(err, errlen, "cannot create %s: %s", file, strerror(errno));
    return -1;
  }
  unlink(tmp);
  char dir[4096];
  dir_of(file, dir, sizeof dir);
  fsync_path(dir, 1);
  return 0;
}

/* "ok" from PRAGMA integrity_check, and a bereik schema this binary can use. */
static int sqlite_check_copy(sqlite3 *h, const char *file, char *err, size_t errlen) {
  sqlite3_stmt *st = NULL;
  int ok = sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
           sqlite3_step(st) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
  sqlite3_finalize(st);
  if (!ok) {
    snprintf(err, errlen, "%s is not an intact SQLite database (integrity check failed)", file);
    return -1;
  }
  st = NULL;
  int version = -1;
  if (sqlite3_prepare_v2(h, "SELECT MAX(version) FROM schema_version", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    version = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if (version < 1) {
    snprintf(err, errlen, "%s is not a bereik database (no schema version)", file);
    return -1;
  }
  if (version > migrations[migration_count - 1].version) {
    snprintf(err, errlen, "%s has schema version %d, newer than this bereik (%d); upgrade bereik first", file,
             version, migrations[migration_count - 1].version);
    return -1;
  }
  return 0;
}

int db_sqlite_backup(const char *path, const char *file, char *err, size_t errlen) {
  sqlite3 *src = NULL;
  if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "cannot open database %s: %s", path, src ? sqlite3_errmsg(src) : "out of memory");
    sqlite3_close(src);
    return -1;
  }
  sqlite3_busy_timeout(src, 30000);
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.tmp-%ld", file, (long)getpid());
  unlink(tmp);
  sqlite3_stmt *st = NULL;
  int rc = -1;
  if (sqlite3_prepare_v2(src, "VACUUM INTO ?", -1, &st, NULL) == SQLITE_OK) {
    sqlite3_bind_text(st, 1, tmp, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_DONE) rc = 0;
  }
  if (rc != 0) snprintf(err, errlen, "cannot copy %s: %s", path, sqlite3_errmsg(src));
  sqlite3_finalize(st);
  sqlite3_close(src);
  if (rc == 0) {
    sqlite3 *copy = NULL;
    rc = sqlite3_open_v2(tmp, &copy, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK ? 0 : -1;
    if (rc == 0) rc = sqlite_check_copy(copy, tmp, err, errlen);
    sqlite3_close(copy);
  }
  if (rc == 0) rc = publish(tmp, file, err, errlen);
  if (rc != 0) unlink(tmp);
  return rc;
}

int db_sqlite_restore(const char *path, const char *file, char *err, size_t errlen) {
  sqlite3 *src = NULL, *dst = NULL;
  if (access(file, R_OK) != 0) {
    snprintf(err, errlen, "cannot read %s: %s", file, strerror(errno));
    return -1;
  }
  if (sqlite3_open_v2(file, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "cannot open %s: %s", file, src ? sqlite3_errmsg(src) : "out of memory");
    sqlite3_close(src);
    return -1;
  }
  int rc = sqlite_check_copy(src, file, err, errlen);
  if (rc == 0 && sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "cannot open database %s: %s", path, dst ? sqlite3_errmsg(dst) : "out of memory");
    rc = -1;
  }
  if (rc == 0) {
    sqlite3_busy_timeout(dst, 30000);
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
      snprintf(err, errlen, "cannot restore into %s: %s", path, sqlite3_errmsg(dst));
      rc = -1;
    } else {
      int s;
      while ((s = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || s == SQLITE_LOCKED) sqlite3_sleep(50);
      if (s != SQLITE_DONE) {
        snprintf(err, errlen, "cannot restore into %s: %s", path, sqlite3_errstr(s));
        rc = -1;
      }
      sqlite3_backup_finish(b);
    }
  }
  sqlite3_close(dst);
  sqlite3_close(src);
  return rc;
}

/* The newest PostgreSQL client tool of Debian's postgresql packages, else from PATH. */
static void pg_tool(const char *name, char *out, size_t n) {
  snprintf(out, n, "%s", name);
  DIR *d = opendir("/usr/lib/postgresql");
  if (!d) return;
  int best = -1;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    int v = (int)strtol(de->d_name, NULL, 10);
    char p[512];
    snprintf(p, sizeof p, "/usr/lib/postgresql/%s/bin/%s", de->d_name, name);
    if (v > best && access(p, X_OK) == 0) {
      best = v;
      snprintf(out, n, "%s", p);
    }
  }
  closedir(d);
}

/* Runs argv; 0 when it exits with status 0. Its messages go to stderr. */
static int run(char *const argv[], char *err, size_t errlen) {
  pid_t pid = fork();
  if (pid < 0) {
    snprintf(err, errlen, "cannot start %s: %s", argv[0], strerror(errno));
    return -1;
  }
  if (pid == 0) {
    execvp(argv[0], argv);
    fprintf(stderr, "bereik: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
  snprintf(err, errlen, "%s failed (exit status %d; its messages are above)", argv[0],
           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return -1;
}

int db_pg_backup(const char *uri, const char *file, char *err, size_t errlen) {
  if (access(file, F_OK) == 0) {
    snprintf(err, errlen, "%s exists; a backup never overwrites a file", file);
    return -1;
  }
  char tool[512], tmp[4200];
  pg_tool("pg_dump", tool, sizeof tool);
  snprintf(tmp, sizeof tmp, "%s.tmp-%ld", file, (long)getpid());
  unlink(tmp);
  char *argv[] = {tool, "--format=custom", "--no-owner", "--file", tmp, (char *)uri, NULL};
  int rc = run(argv, err, errlen);
  if (rc == 0) rc = publish(tmp, file, err, errlen);
  if (rc != 0) unlink(tmp);
  return rc;
}

int db_pg_restore(const char *uri, const char *file, char *err, size_t errlen) {
  if (access(file, R_OK) != 0) {
    snprintf(err, errlen, "cannot read %s: %s", file, strerror(errno));
    return -1;
  }
  char tool[512];
  pg_tool("pg_restore", tool, sizeof tool);
  /* a file pg_restore cannot list is refused before anything is dropped */
  char *list[] = {tool, "--list", (char *)file, NULL};
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, 1);
    execvp(list[0], list);
    _exit(127);
  }
  int status = -1;
  if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    snprintf(err, errlen, "%s is not a backup made by bereik backup on PostgreSQL (pg_dump custom format)",
             file);
    return -1;
  }
  char *argv[] = {
      tool,       "--clean",   "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
      "--dbname", (char *)uri, (char *)file,  NULL};
  return run(argv, err, errlen);
}

int db_backup(const char *path, const char *file, char *err, size_t errlen) {
  if (access(file, F_OK) == 0) {
    snprintf(err, errlen, "%s exists; a backup never overwrites a file", file);
    return -1;
  }
  return db_backend_of(path)->backup(path, file, err, errlen);
}

int db_restore(const char *path, const char *file, char *err, size_t errlen) {
  return db_backend_of(path)->restore(path, file, err, errlen);
}
