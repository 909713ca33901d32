/* SPDX-License-Identifier: EUPL-1.2 */
/* The services (diensten) of one installation (docs/SERVICES.md). On PostgreSQL a
   database holds several: table service (migration 014), and every other row carries
   its service, which row-level security enforces for the service set on the connection
   (db_set_service). A SQLite file is one service, id 1, and has no table service. */
#ifndef BEREIK_SERVICE_H
#define BEREIK_SERVICE_H

#include <stddef.h>
#include <stdint.h>

struct db;

#define SERVICE_CODE_MAX 32
#define SERVICE_NAME_MAX 200
#define SERVICE_HOST_MAX 253

enum service_share { SHARE_NONE = 0, SHARE_NAMED, SHARE_ANONYMOUS };

struct service {
  int64_t id;
  char code[SERVICE_CODE_MAX + 1];
  char name[SERVICE_NAME_MAX * 4 + 1]; /* UTF-8 */
  char host[SERVICE_HOST_MAX + 1];     /* "" when none */
  char alias[16];                      /* the letter it is shown under when anonymous */
  int suspended;
  int share;    /* enum service_share */
  int platform; /* its admins manage the services (the page Diensten) */
};

/* Whether code is a service code: 1 to 32 of a-z, 0-9 and '-', not beginning with '-'. */
int service_code_ok(const char *code);
/* Whether host is a host name bereik can match: 1 to 253 of a-z, 0-9, '.' and '-'. */
int service_host_ok(const char *host);

/* Every service, in code order (SQLite: none). 0 or -1. Free *out with free(). */
int service_list(struct db *db, struct service **out, int *n);
/* The service with code (or, with code NULL, the one with id). 1 found, 0 not, -1 error. */
int service_get(struct db *db, const char *code, int64_t id, struct service *out);

/* Adds a service and gives it what the migrations give a new database (the standard
   questionnaires, the school holidays, its revision tokens): inside the caller's write
   transaction, run by the database owner. Leaves the connection set to the new service.
   0, or -1 with a message (a bad or taken code or host says which). */
int service_add(struct db *db, const char *code, const char *name, const char *host, int64_t *id, char *err,
                size_t errlen);
/* Changes name, host (NULL: unchanged; "": none), status and whether it is a platform
   service (-1: unchanged) of a service, by the owner; own write transaction with an audit
   entry in that service. 0, or -1 with a message. */
int service_update(struct db *db, const char *code, const char *name, const char *host, int suspended,
                   int platform, const char *actor, int64_t now, char *err, size_t errlen);
/* The page Diensten, as the application role in a platform service: adds a service (as
   service_add, through bereik_platform_add, which refuses any other service), or
   suspends or resumes another one; own write transaction with an audit entry in the
   platform service. 0, or -1 with a message. */
int service_platform_add(struct db *db, const char *code, const char *name, const char *host,
                         const char *actor, int64_t now, char *err, size_t errlen);
int service_platform_status(struct db *db, const char *code, int suspended, const char *actor, int64_t now,
                            char *err, size_t errlen);
/* Sets the comparison choice of the connection's service (enum service_share), own write
   transaction with an audit entry. 0 or -1. */
int service_set_share(struct db *db, int share, const char *actor, int64_t now);

/* A shared fact (measures/compare.h): of the connection's service (service_publish) or of
   an outside contributor (service_contribute). */
struct shared_fact {
  const char *table, *year, *row, *col;
  double value;
};
/* Publishes the connection's service's shared facts for the comparison (the caller chose
   them: compare_publish), replacing what it published before, with the data token they
   were computed under; own write transaction. 0 or -1. */
int service_publish(struct db *db, const struct shared_fact *facts, size_t n, int64_t token);
/* The token the service's published facts were computed under (0: none). */
int64_t service_published_token(struct db *db);

/* Adds or replaces the shared facts of the outside contributor name (1 to
   SERVICE_NAME_MAX characters), named or anonymous (shown as E1, E2, ...), with no
   service set on the connection (the owner): own write transaction, all or nothing.
   Only facts compare_shared keeps are given. 0, or -1 with a message. */
int service_contribute(struct db *db, const char *name, int anonymous, const struct shared_fact *facts,
                       size_t n, char *err, size_t errlen);
/* Takes an outside contributor and its facts out of the comparison. 0, or -1 with a message. */
int service_withdraw(struct db *db, const char *name, char *err, size_t errlen);

/* The command line: sets the connection to the service with code, or with code NULL to
   the only service (an installation with several needs --service). SQLite: code must be
   NULL. 0, or -1 with a message. */
int service_choose(struct db *db, const char *code, char *err, size_t errlen);

/* How many services the database holds (SQLite: 1; -1 on an error). */
int service_count(struct db *db);
/* Whether the connection's role bypasses row-level security (a superuser or BYPASSRLS
   role): it would see every service's rows. With several services, bereik refuses such a
   connection (service_choose, service_add, serve). SQLite: 0. */
int service_rls_bypassed(struct db *db);

/* Gives role (a login role that is neither superuser, BYPASSRLS nor the owner) what the
   application needs: its rows through the policies, the services to read and its own
   comparison choice to change; also for tables later migrations make. Run by the
   owner. 0, or -1 with a message. */
int service_grant(struct db *db, const char *role, char *err, size_t errlen);

/* The server: the service that answers for host (the Host header without its port): the
   one whose host it is, else the only active service. Read from the table at most once
   per SERVICE_CACHE_MS. Returns the id (0: none) and sets *suspended (1: suspended; -1:
   the connection's role bypasses row-level security on a database with several
   services, and no service is answered). SQLite: 1. */
#define SERVICE_CACHE_MS 2000
int64_t service_for_host(struct db *db, const char *host, int *suspended);
/* How many services service_for_host last read (0 before the first request; SQLite: 0):
   the menu shows Vergelijking only where there are several. */
int service_known_count(void);
/* Whether service id is a platform service, as service_for_host last read it. */
int service_known_platform(int64_t id);
/* Forgets what service_for_host read (tests). */
void service_cache_reset(void);

#endif
