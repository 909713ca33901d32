/* SPDX-License-Identifier: EUPL-1.2 */
/* libmicrohttpd glue: a thread pool sized to the cores, explicit limits (the library has
   none by default), a pool of database connections (one per worker thread), and the
   request pipeline: framing checks -> parse -> session -> route -> role -> CSRF ->
   handler -> security headers. Beside it a housekeeping thread drops connections that
   do not finish their request head in time (slowloris), writes the summaries of refused
   connections and the library's messages (at most one line per kind and second), and
   ends the process when the shutdown grace period is over. */
#define _GNU_SOURCE /* RTLD_NEXT */ /* NOLINT(bugprone-reserved-identifier) */
#include "web/server.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "core/buf.h"
#include "core/seclog.h"
#include "core/util.h"
#include "db/db.h"
#include "domain/service.h"
#include "http/auth.h"
#include "http/http.h"
#include "http/oidc.h"
#include "measures/cache.h"
#include "render/assets.h"
#include "render/gzip.h"
#include "web/pages/pages.h"
#include "web/router.h"

static const struct serve_options *opts;

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- database connection pool ---- */

struct pool {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  struct db **dbs;
  char *busy;
  int n;
};

static struct pool pool;

static int pool_open(const char *path, int n) {
  pthread_mutex_init(&pool.mu, NULL);
  pthread_cond_init(&pool.cv, NULL);
  pool.dbs = xcalloc((size_t)n, sizeof(struct db *)); /* NOLINT(bugprone-sizeof-expression) */
  pool.busy = xcalloc((size_t)n, 1);
  pool.n = n;
  for (int i = 0; i < n; i++) {
    char err[512];
    pool.dbs[i] = db_open(path, err, sizeof err);
    if (!pool.dbs[i]) {
      fprintf(stderr, "bereik: %s\n", err);
      return -1;
    }
    db_serve_hint(pool.dbs[i]);
    db_set_query_timeout(pool.dbs[i], opts->query_timeout_ms);
    if (i == 0 && db_check_schema(pool.dbs[0], err, sizeof err) != 0) {
      fprintf(stderr, "bereik: %s: %s\n", path, err);
      return -1;
    }
  }
  return 0;
}

static struct db *pool_acquire(void) {
  pthread_mutex_lock(&pool.mu);
  for (;;) {
    for (int i = 0; i < pool.n; i++)
      if (!pool.busy[i]) {
        pool.busy[i] = 1;
        pthread_mutex_unlock(&pool.mu);
        db_reconnect_if_lost(pool.dbs[i]); /* e.g. after a PostgreSQL restart */
        pool.dbs[i]->errmsg[0] = 0;        /* what is there at the end is this request's */
        db_take_timed_out(pool.dbs[i]);
        return pool.dbs[i];
      }
    pthread_cond_wait(&pool.cv, &pool.mu);
  }
}

static void pool_release(struct db *db) {
  /* a transaction a request left open would block every writer: end it */
  if (db_in_transaction(db)) {
    fprintf(stderr, "bereik: a request left a transaction open; rolled back\n");
    db_rollback(db);
  }
  pthread_mutex_lock(&pool.mu);
  for (int i = 0; i < pool.n; i++)
    if (pool.dbs[i] == db) pool.busy[i] = 0;
  pthread_cond_signal(&pool.cv);
  pthread_mutex_unlock(&pool.mu);
}

static void pool_close(void) {
  for (int i = 0; i < pool.n; i++) db_close(pool.dbs[i]);
  free(pool.dbs);
  free(pool.busy);
}

/* ---- security headers, on every response ---- */

static void add_security_headers(struct MHD_Response *r) {
  /* a form's redirect is held to form-action too: the logout goes on to the provider's
     (http/oidc.h), whose origin oidc_form_action adds */
  MHD_add_response_header(r, "Content-Security-Policy", oidc_csp());
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(r, "Referrer-Policy", "same-origin");
}

/* libmicrohttpd answers malformed requests itself (400 for a bad request line, header
   or chunk, 413 for a Content-Length beyond 64 bits, 414 and 431 for a head larger than
   the connection's memory, 505 for an unknown HTTP version) and offers no hook to add
   headers to those responses. Every response, the library's included, is queued through
   the library's exported MHD_queue_response, which the library itself calls through its
   procedure linkage table; this definition takes its place (ELF symbol interposition:
   the executable's definition comes first) and adds the security headers to any
   response that lacks them, then hands it on to the library's own function. The
   http_hostile test checks the headers on each of those library responses, so a
   library built without interposable calls would be noticed at once. */
typedef enum MHD_Result (*queue_fn)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
static queue_fn library_queue;
static pthread_once_t library_queue_once = PTHREAD_ONCE_INIT;

static void find_library_queue(void) {
  void *f = dlsym(RTLD_NEXT, "MHD_queue_response");
  memcpy(&library_queue, &f, sizeof f);
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *c, unsigned int status, struct MHD_Response *r) {
  pthread_once(&library_queue_once, find_library_queue);
  if (!library_queue) return MHD_NO;
  if (r && !MHD_get_response_header(r, "X-Content-Type-Options")) {
    /* one of the library's own error responses: static HTML */
    add_security_headers(r);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (!MHD_get_response_header(r, "Content-Type"))
      MHD_add_response_header(r, "Content-Type", "text/html; charset=utf-8");
    if (status >= 500) {
      char st[16];
      snprintf(st, sizeof st, "%u", status);
      seclog_event("http.server_error", "status", st, "cause", "libmicrohttpd refused the request");
    }
  }
  return library_queue(c, status, r);
}

/* ---- background refresh of reads under writes (measures/cache.h) ---- */

/* A read a handler asked to have replayed (refresh_due): the same route, query, user and
   language, on the refresher's own thread and connection, so that no request thread
   forms the facts while others wait behind it. */
#define REFRESH_JOBS 4
struct refresh_job {
  char url[512];
  struct kv *query;
  int nquery;
  struct user user;
  const char *lang; /* a static string (pick_lang) */
  int is_api;
  int accept_gzip; /* the reader took it compressed: make the cached part's compression too */
  int64_t service; /* the service the read was of */
};
static struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  struct refresh_job jobs[REFRESH_JOBS];
  int n, stop;
  struct db *db;
} refresher = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void refresh_enqueue(const struct request *r, int is_api) {
  pthread_mutex_lock(&refresher.mu);
  int queued = 0;
  if (refresher.db && !refresher.stop && refresher.n < REFRESH_JOBS && strlen(r->path) < 512) {
    struct refresh_job *j = &refresher.jobs[refresher.n++];
    memset(j, 0, sizeof *j);
    snprintf(j->url, sizeof j->url, "%s", r->path);
    j->query = xcalloc((size_t)r->nquery + 1, sizeof *j->query);
    for (int i = 0; i < r->nquery; i++) {
      j->query[i].key = xstrdup(r->query[i].key);
      j->query[i].value = xstrdup(r->query[i].value);
    }
    j->nquery = r->nquery;
    j->user = r->user;
    j->lang = r->lang;
    j->is_api = is_api;
    j->accept_gzip = r->accept_gzip;
    j->service = db_service(r->db);
    queued = 1;
    pthread_cond_signal(&refresher.cv);
  }
  pthread_mutex_unlock(&refresher.mu);
  if (!queued) cache_view_refresh_dropped(db_service(r->db));
}

static unsigned char *gzip_with_cached_part(const struct response *resp, size_t *out_len);

static void *refresh_loop(void *arg) {
  (void)arg;
  pthread_mutex_lock(&refresher.mu);
  for (;;) {
    while (!refresher.n && !refresher.stop) pthread_cond_wait(&refresher.cv, &refresher.mu);
    if (refresher.stop) break;
    struct refresh_job j = refresher.jobs[0];
    memmove(refresher.jobs, refresher.jobs + 1, (size_t)(--refresher.n) * sizeof *refresher.jobs);
    pthread_mutex_unlock(&refresher.mu);
    struct request req = {0};
    struct response resp = {.status = 200};
    req.method = "GET";
    req.path = j.url;
    req.query = j.query;
    req.nquery = j.nquery;
    req.addr = "127.0.0.1";
    req.db = refresher.db;
    req.logged_in = 1;
    req.user = j.user;
    req.lang = j.lang;
    req.now = (int64_t)time(NULL);
    req.background = 1;
    struct route_match match;
    db_reconnect_if_lost(refresher.db);
    /* the read is replayed in its own service, or not at all */
    int runs = db_set_service(refresher.db, j.service) == DB_OK &&
               route_find(routes, n_routes, "GET", j.url, &match) == 0;
    if (!runs)
      cache_view_refresh_dropped(j.service);
    else if (j.is_api)
      api_replay(&req, &resp, &match);
    else
      match.route->page(&req, &resp);
    if (db_in_transaction(refresher.db)) db_rollback(refresher.db);
    /* the compressed form of the cached part too, for readers who take it so: then no
       request thread makes it */
    if (j.accept_gzip && resp.cached_len) {
      size_t gz_len = 0;
      free(gzip_with_cached_part(&resp, &gz_len));
    }
    buf_free(&resp.body);
    kv_free(j.query, j.nquery);
    pthread_mutex_lock(&refresher.mu);
  }
  for (int i = 0; i < refresher.n; i++) kv_free(refresher.jobs[i].query, refresher.jobs[i].nquery);
  refresher.n = 0;
  pthread_mutex_unlock(&refresher.mu);
  return NULL;
}

static void refresher_stop(pthread_t thread) {
  if (!refresher.db) return;
  pthread_mutex_lock(&refresher.mu);
  refresher.stop = 1;
  pthread_cond_signal(&refresher.cv);
  pthread_mutex_unlock(&refresher.mu);
  pthread_join(thread, NULL);
  db_close(refresher.db);
  refresher.db = NULL;
}

/* ---- the service of a request (domain/service.h, docs/SERVICES.md) ---- */

/* Sets the request's connection to the service its Host names (on SQLite: the file's
   one). Every credential (session, token, survey link) is then looked up within that
   service only: a cookie or token of another service finds nothing. 0, or -1 with the
   answer in resp: 404 for a host no service answers on, 503 for a suspended service. */
static int bind_service(struct request *r, struct response *resp, int is_api) {
  int suspended = 0;
  int64_t id = service_for_host(r->db, r->host, &suspended);
  if (id > 0 && !suspended && db_set_service(r->db, id) == DB_OK) return 0;
  db_set_service(r->db, 0);
  resp->status = suspended < 0 ? 500 : !id ? 404 : suspended ? 503 : 500;
  seclog_event("http.service_refused", "host", r->host ? r->host : "", "reason",
               suspended < 0 ? "role_bypasses_rls"
               : !id         ? "unknown_host"
               : suspended   ? "suspended"
                             : "database");
  if (resp->status == 500)
    snprintf(r->db->errmsg, sizeof r->db->errmsg, "%s",
             suspended < 0
                 ? "the database role bypasses row-level security on a database with several services"
                 : "the service could not be set");
  if (is_api)
    api_service_refused(r, resp);
  else if (resp->status == 500)
    page_error(r, resp, 500);
  else
    page_service_refused(r, resp);
  return -1;
}

/* ---- connections: the request-head deadline and the log summaries ---- */

/* Counters the housekeeping thread writes out at most once a second. */
static pthread_mutex_t stats_mu = PTHREAD_MUTEX_INITIALIZER;
static long refused_connections, head_timeouts, library_messages;
static char library_last[200];

/* libmicrohttpd's own connection limit lies above --max-connections (which on_connection
   enforces), so that the library never reaches it in practice: the connections past ours
   are closed at once and do not stay. */
static unsigned library_connection_limit(int max_connections) {
  return (unsigned)max_connections + (unsigned)max_connections / 2 + 32;
}

/* Every open connection, with the time its current request head began (the connection's
   start, or the end of its previous request) and whether the head is complete (the
   first call of on_request). The housekeeping thread shuts down the socket of a
   connection whose head is not complete after head_timeout seconds: libmicrohttpd then
   reads the end of the stream and closes the connection itself. The library calls
   MHD_CONNECTION_NOTIFY_CLOSED before it closes the socket, and an entry leaves the
   list under the same mutex, so a listed descriptor is always still this connection's. */
struct track {
  struct track *prev, *next;
  int fd;
  int64_t since_ms;
  int head_done;
  int dropped;
};

static pthread_mutex_t track_mu = PTHREAD_MUTEX_INITIALIZER;
static struct track *tracks;
/* connections open and not dropped: a connection shut down here (past the limit, or
   past the head deadline) no longer holds a place, although libmicrohttpd notices its end
   of stream and closes it only a moment later */
static int n_active;
static atomic_int requests_in_flight;

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code) {
  (void)cls;
  if (code == MHD_CONNECTION_NOTIFY_STARTED) {
    struct track *t = xcalloc(1, sizeof *t);
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    t->fd = ci ? ci->connect_fd : -1;
    t->since_ms = now_ms();
    pthread_mutex_lock(&track_mu);
    t->next = tracks;
    if (tracks) tracks->prev = t;
    tracks = t;
    /* --max-connections is enforced here, not by libmicrohttpd's own connection limit:
       a worker at that limit stops accepting, and with epoll and a thread pool it did not
       always start again once connections closed (the server then took no connection at
       all). A connection past the limit is accepted and closed at once, like one past the
       per-address limit. */
    int refuse = n_active >= opts->max_connections;
    if (refuse)
      t->dropped = 1;
    else
      n_active++;
    pthread_mutex_unlock(&track_mu);
    *socket_context = t;
    if (refuse) {
      if (t->fd >= 0) shutdown(t->fd, SHUT_RDWR);
      pthread_mutex_lock(&stats_mu);
      refused_connections++;
      pthread_mutex_unlock(&stats_mu);
    }
  } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
    struct track *t = *socket_context;
    if (!t) return;
    pthread_mutex_lock(&track_mu);
    if (t->prev)
      t->prev->next = t->next;
    else
      tracks = t->next;
    if (t->next) t->next->prev = t->prev;
    if (!t->dropped) n_active--;
    pthread_mutex_unlock(&track_mu);
    free(t);
    *socket_context = NULL;
  }
}

static struct track *track_of(struct MHD_Connection *c) {
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return ci ? ci->socket_context : NULL;
}

/* libmicrohttpd's messages. A flood (every refused connection, every malformed request
   writes one) must not flood the log: they are counted and summarised. */
static void on_library_message(void *cls, const char *fmt, va_list ap) {
  (void)cls;
  char msg[sizeof library_last];
  vsnprintf(msg, sizeof msg, fmt, ap);
  msg[strcspn(msg, "\n")] = 0;
  pthread_mutex_lock(&stats_mu);
  if (!strncmp(msg, "Server reached connection limit", 31)) {
    refused_connections++;
  } else {
    library_messages++;
    memcpy(library_last, msg, sizeof msg);
  }
  pthread_mutex_unlock(&stats_mu);
}

static void flush_summaries(void) {
  pthread_mutex_lock(&stats_mu);
  long refused = refused_connections, slow = head_timeouts, lib = library_messages;
  char last[sizeof library_last];
  memcpy(last, library_last, sizeof last);
  refused_connections = head_timeouts = library_messages = 0;
  pthread_mutex_unlock(&stats_mu);
  char n[24];
  if (refused) {
    snprintf(n, sizeof n, "%ld", refused);
    seclog_event("connections.refused", "count", n, "reason", "connection limit (total or per address)");
  }
  if (slow) {
    snprintf(n, sizeof n, "%ld", slow);
    seclog_event("connections.head_timeout", "count", n);
  }
  if (lib) {
    snprintf(n, sizeof n, "%ld", lib);
    seclog_event("http.library_messages", "count", n, "last", last);
  }
}

static atomic_int housekeeping_stop;
static _Atomic int64_t shutdown_deadline_ms; /* 0 until SIGTERM */

static void *housekeeping(void *arg) {
  (void)arg;
  int64_t last_flush = now_ms();
  while (!atomic_load(&housekeeping_stop)) {
    struct timespec tick = {0, 100000000L};
    nanosleep(&tick, NULL);
    int64_t now = now_ms();
    long dropped = 0;
    pthread_mutex_lock(&track_mu);
    for (struct track *t = tracks; t; t = t->next)
      if (!t->head_done && !t->dropped && t->fd >= 0 &&
          now - t->since_ms > (int64_t)opts->head_timeout * 1000) {
        shutdown(t->fd, SHUT_RDWR);
        t->dropped = 1;
        n_active--;
        dropped++;
      }
    pthread_mutex_unlock(&track_mu);
    if (dropped) {
      pthread_mutex_lock(&stats_mu);
      head_timeouts += dropped;
      pthread_mutex_unlock(&stats_mu);
    }
    if (now - last_flush >= 1000) {
      flush_summaries();
      last_flush = now;
    }
    int64_t deadline = atomic_load(&shutdown_deadline_ms);
    if (deadline && now >= deadline) {
      /* requests are still running (a stuck handler or query): exiting is safe, since
         a transaction that was not committed is rolled back by either engine */
      char n[16], g[16];
      snprintf(n, sizeof n, "%d", atomic_load(&requests_in_flight));
      snprintf(g, sizeof g, "%d", opts->shutdown_grace);
      flush_summaries();
      seclog_event("server.shutdown_forced", "requests_running", n, "grace_seconds", g);
      _exit(1);
    }
  }
  flush_summaries();
  return NULL;
}

/* ---- requests ---- */

struct conn_state {
  struct buf body;
  int too_large;
  char request_id[17];
};

struct kv_collect {
  struct kv *kv;
  int n;
};

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  struct kv_collect *c = cls;
  if (c->n >= 256) return MHD_NO;
  c->kv = xrealloc(c->kv, sizeof *c->kv * (size_t)(c->n + 1));
  c->kv[c->n].key = xstrdup(key ? key : "");
  c->kv[c->n].value = xstrdup(value ? value : "");
  c->n++;
  return MHD_YES;
}

/* How often the framing headers occur in the request head. */
struct framing {
  int host, content_length, transfer_encoding;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  (void)value;
  struct framing *f = cls;
  if (!key) return MHD_YES;
  if (!strcasecmp(key, "Host")) f->host++;
  if (!strcasecmp(key, "Content-Length")) f->content_length++;
  if (!strcasecmp(key, "Transfer-Encoding")) f->transfer_encoding++;
  return MHD_YES;
}

/* NULL when the request's framing is sound, else why it is refused (RFC 9112): a
   Content-Length together with Transfer-Encoding, or repeated (the framing of request
   smuggling: two parsers may disagree on where the body ends); an HTTP/1.1 request
   without exactly one Host. */
static const char *framing_problem(struct MHD_Connection *c, const char *version) {
  struct framing f = {0};
  MHD_get_connection_values(c, MHD_HEADER_KIND, count_framing, &f);
  if (f.content_length && f.transfer_encoding) return "both Content-Length and Transfer-Encoding";
  if (f.content_length > 1) return "more than one Content-Length";
  if (f.transfer_encoding > 1) return "more than one Transfer-Encoding";
  if (f.host > 1) return "more than one Host";
  if (!f.host && version && !strcmp(version, "HTTP/1.1")) return "HTTP/1.1 without Host";
  return NULL;
}

static void client_addr(struct MHD_Connection *c, char *out, size_t n) {
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  snprintf(out, n, "unknown");
  if (!ci || !ci->client_addr) return;
  const struct sockaddr *sa = ci->client_addr;
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)n);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)n);
}

/* The client's address; behind the trusted proxy, the last address it appended. */
static void request_addr(struct MHD_Connection *c, char *addr, size_t n, int *via_proxy) {
  client_addr(c, addr, n);
  *via_proxy = opts->trusted_proxy && !strcmp(addr, opts->trusted_proxy);
  const char *xff = *via_proxy ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For") : NULL;
  if (xff) {
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ') last++;
    if (*last && strlen(last) < n && strspn(last, "0123456789abcdefABCDEF.:") == strlen(last))
      snprintf(addr, n, "%s", last);
  }
}

static void new_request_id(char out[17]) {
  unsigned char raw[8];
  if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
    uint64_t t = (uint64_t)now_ms() ^ ((uint64_t)getpid() << 40) ^ (uint64_t)(uintptr_t)out;
    memcpy(raw, &t, sizeof raw);
  }
  for (int i = 0; i < 8; i++) snprintf(out + (size_t)i * 2, 3, "%02x", raw[i]);
}

static const char *pick_lang(struct MHD_Connection *c) {
  const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "bereik_lang");
  if (cookie && (!strcmp(cookie, "en") || !strcmp(cookie, "nl"))) return cookie;
  const char *al = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
  if (al && !strncasecmp(al, "en", 2)) return "en";
  return "nl";
}

/* Whether an Accept-Encoding header accepts gzip (named, and not with q=0). */
static int accepts_gzip(const char *ae) {
  if (!ae) return 0;
  for (const char *p = ae; (p = strcasestr(p, "gzip")) != NULL; p += 4) {
    if (p > ae && p[-1] != ' ' && p[-1] != ',') continue;
    const char *q = p + 4;
    while (*q == ' ') q++;
    if (*q == ',' || !*q) return 1;
    if (*q != ';') continue;
    q++;
    while (*q == ' ') q++;
    if (strncmp(q, "q=0", 3)) return 1;
    q += 3;
    if (*q == '.') q++;
    while (*q == '0') q++;
    return *q >= '1' && *q <= '9';
  }
  return 0;
}

/* Whether a response of this type is text worth compressing. */
static int compressible(const char *type) {
  if (!type) return 1; /* text/html */
  return !strncmp(type, "text/", 5) || strstr(type, "json") || strstr(type, "svg") || strstr(type, "xml");
}

/* The level of what is compressed per response: zlib's default, a third of the time of
   the best at about 6 % more bytes. A cached part is compressed once per revision, which
   under a stream of writes is several times a second (each refresh of the published
   read): the same level. */
#define GZIP_LEVEL_RESPONSE 6
#define GZIP_LEVEL_CACHED 6

/* gzip of a body with a cached part (resp_append_cached): that part's compression is
   made once and kept with the cached text, the rest compressed now. NULL when the text
   is no longer cached (or no longer in the body): then the whole body is compressed. */
static unsigned char *gzip_with_cached_part(const struct response *resp, size_t *out_len) {
  const char *body = resp->body.data;
  if (resp->cached_off > resp->body.len || resp->cached_len > resp->body.len - resp->cached_off) return NULL;
  struct cache_ref *ref = NULL;
  size_t tlen = 0;
  const char *text = cache_text_peek(resp->cached_service, resp->cached_key, resp->cached_token, &tlen, &ref);
  unsigned char *gz = NULL;
  /* the same bytes (a handler may have replaced the body since, e.g. by an error page) */
  if (text && tlen == resp->cached_len && !memcmp(text, body + resp->cached_off, tlen)) {
    const struct gzip_part *part = cache_text_extra(ref);
    if (!part) {
      struct gzip_part *made = gzip_part(text, tlen, GZIP_LEVEL_CACHED);
      part = made ? cache_text_attach(ref, made) : NULL;
    }
    size_t after = resp->cached_off + resp->cached_len;
    if (part)
      gz = gzip_join(body, resp->cached_off, part, body + after, resp->body.len - after, GZIP_LEVEL_RESPONSE,
                     out_len);
  }
  cache_release(ref);
  return gz;
}

/* Text responses of 1 KiB and more go gzip-compressed to a browser that accepts it. The
   CSRF token in a page is masked afresh in each response (layout.c), so compression
   reveals nothing of it (BREACH). */
static int send_response(struct MHD_Connection *c, struct response *resp, const char *request_id,
                         int accept_gzip) {
  const char *body = buf_str(&resp->body);
  size_t len = resp->body.len;
  unsigned char *gz = NULL;
  const char *encoding = resp->content_encoding;
  int vary = resp->vary_encoding;
  if (!encoding && len >= 1024 && compressible(resp->content_type) && resp->status != 304) {
    vary = 1;
    size_t gz_len = 0;
    if (accept_gzip && resp->cached_len) gz = gzip_with_cached_part(resp, &gz_len);
    if (accept_gzip && !gz) gz = gzip_bytes(body, len, GZIP_LEVEL_RESPONSE, &gz_len);
    if (gz) {
      body = (const char *)gz;
      len = gz_len;
      encoding = "gzip";
    }
  }
  struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
  free(gz);
  if (!r) return MHD_NO;
  MHD_add_response_header(r, "Content-Type",
                          resp->content_type ? resp->content_type : "text/html; charset=utf-8");
  add_security_headers(r);
  MHD_add_response_header(r, "Cache-Control", resp->cache_control ? resp->cache_control : "no-store");
  if (encoding) MHD_add_response_header(r, "Content-Encoding", encoding);
  if (vary) MHD_add_response_header(r, "Vary", "Accept-Encoding");
  if (request_id && *request_id) MHD_add_response_header(r, "X-Request-Id", request_id);
  if (resp->location[0]) MHD_add_response_header(r, "Location", resp->location);
  if (resp->disposition[0]) MHD_add_response_header(r, "Content-Disposition", resp->disposition);
  if (resp->etag[0]) MHD_add_response_header(r, "ETag", resp->etag);
  if (resp->www_authenticate) MHD_add_response_header(r, "WWW-Authenticate", resp->www_authenticate);
  if (resp->retry_after > 0) {
    char ra[16];
    snprintf(ra, sizeof ra, "%d", resp->retry_after);
    MHD_add_response_header(r, "Retry-After", ra);
  }
  if (resp->close_connection) MHD_add_response_header(r, "Connection", "close");
  if (resp->clear_site_data)
    MHD_add_response_header(r, "Clear-Site-Data", "\"cache\", \"cookies\", \"storage\"");
  for (int i = 0; i < resp->ncookies; i++) MHD_add_response_header(r, "Set-Cookie", resp->cookies[i]);
  enum MHD_Result rc = MHD_queue_response(c, (unsigned)resp->status, r);
  MHD_destroy_response(r);
  return rc;
}

static int role_allows(int role, int min_role) { return min_role == ROLE_PUBLIC || role >= min_role; }

/* The answer when a statement reached the query time limit: 503, a page or a problem
   document. */
static void unavailable(const struct request *req, struct response *resp, int api) {
  resp->retry_after = 5;
  if (api) {
    resp->status = 503;
    resp->content_type = "application/problem+json";
    buf_reset(&resp->body);
    buf_puts(&resp->body, "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                          "\"detail\":\"The request took too long; try again later.\"}\n");
  } else {
    resp->content_type = NULL;
    page_error(req, resp, 503);
  }
}

/* The request id and address of the security log are the current thread's: a worker
   thread serves many connections in turn, so they are set on entry to every call and
   cleared on the way out. */
static enum MHD_Result handle_request(struct MHD_Connection *c, struct conn_state *st, int first,
                                      const char *url, const char *method, const char *version,
                                      const char *upload_data, size_t *upload_size, char *addr,
                                      int via_proxy);

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size,
                                  void **con_cls) {
  (void)cls;
  struct conn_state *st = *con_cls;
  int first = !st;
  if (first) {
    st = xcalloc(1, sizeof *st);
    new_request_id(st->request_id);
    *con_cls = st;
    atomic_fetch_add(&requests_in_flight, 1);
    struct track *t = track_of(c);
    if (t) {
      pthread_mutex_lock(&track_mu);
      t->head_done = 1;
      pthread_mutex_unlock(&track_mu);
    }
  }
  char addr[64];
  int via_proxy = 0;
  request_addr(c, addr, sizeof addr, &via_proxy);
  seclog_begin_request(st->request_id, addr);
  enum MHD_Result rc =
      handle_request(c, st, first, url, method, version, upload_data, upload_size, addr, via_proxy);
  seclog_end_request();
  return rc;
}

static enum MHD_Result handle_request(struct MHD_Connection *c, struct conn_state *st, int first,
                                      const char *url, const char *method, const char *version,
                                      const char *upload_data, size_t *upload_size, char *addr,
                                      int via_proxy) {
  if (first) {
    const char *problem = framing_problem(c, version);
    if (problem) {
      /* refused before any body is read, and the connection closed: after an
         ambiguous frame nothing on it can be trusted */
      struct response resp = {
          .status = 400, .content_type = "text/plain; charset=utf-8", .close_connection = 1};
      buf_printf(&resp.body, "Bad Request: %s\n", problem);
      int rc = send_response(c, &resp, st->request_id, 0);
      buf_free(&resp.body);
      return rc ? MHD_YES : MHD_NO;
    }
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > opts->max_body) st->too_large = 1;
    return MHD_YES;
  }
  if (*upload_size) {
    if (!st->too_large) {
      if (st->body.len + *upload_size > opts->max_body)
        st->too_large = 1;
      else
        buf_append(&st->body, upload_data, *upload_size);
    }
    *upload_size = 0;
    return MHD_YES;
  }

  struct response resp = {.status = 200};
  struct request req = {0};
  req.method = method;
  req.path = url;
  req.addr = addr;
  req.now = (int64_t)time(NULL);
  req.lang = pick_lang(c);
  req.session_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "bereik_session");
  req.pre_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "bereik_pre");
  req.if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
  req.idempotency_key = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Idempotency-Key");
  req.accept_gzip = accepts_gzip(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding"));
  const char *proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
  req.https = via_proxy && proto && !strcmp(proto, "https");
  if (req.https) { /* behind TLS the cookies carry the __Host- prefix (auth.h) */
    req.session_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE_NAME(1, COOKIE_SESSION));
    req.pre_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE_NAME(1, COOKIE_PRE));
  }
  req.device_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE_NAME(req.https, COOKIE_DEVICE));
  req.survey_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE_NAME(req.https, COOKIE_SURVEY));
  req.oidc_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE_NAME(req.https, COOKIE_OIDC));
  req.host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
  struct kv_collect q = {0};
  MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &q);
  req.query = q.kv;
  req.nquery = q.n;
  int is_api = api_owns(url), timed_out = 0;
  char cause[sizeof req.db->errmsg] = "";
  /* the one route table: the route, then only the fields it declares */
  struct route_match match;
  int found = route_find(routes, n_routes, method, url, &match);
  if (found == 0) route_keep_declared(match.route, req.query, &req.nquery);

  /* the JSON API has its own routes, bearer-token authentication and problem documents */
  if (is_api) {
    req.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    req.if_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Match");
    req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    req.body = buf_str(&st->body);
    req.body_len = st->body.len;
    req.db = pool_acquire();
    if (bind_service(&req, &resp, 1) == 0) api_handle(&req, &resp, st->too_large, found, &match);
    goto release;
  }

  if (st->too_large) {
    resp.status = 413;
    page_error(&req, &resp, 413);
    goto send;
  }
  if (found != 0) {
    resp.status = found;
    page_error(&req, &resp, resp.status);
    goto send;
  }
  const struct route *rt = match.route;
  if (!strcmp(method, "POST")) {
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (ct && !strncasecmp(ct, "application/x-www-form-urlencoded", 33)) {
      req.nform = parse_urlencoded(buf_str(&st->body), st->body.len, &req.form);
      if (req.nform < 0) {
        req.nform = 0;
        resp.status = 400;
        page_error(&req, &resp, 400);
        goto send;
      }
    } else if (ct && !strncasecmp(ct, "multipart/form-data", 19)) {
      const char *bnd = strstr(ct, "boundary=");
      char boundary[256] = "";
      if (bnd) {
        bnd += 9;
        if (*bnd == '"') bnd++;
        snprintf(boundary, sizeof boundary, "%s", bnd);
        boundary[strcspn(boundary, "\";")] = 0;
      }
      if (parse_multipart(buf_str(&st->body), st->body.len, boundary, &req.form, &req.nform, &req.files,
                          &req.nfiles) != 0) {
        resp.status = 400;
        page_error(&req, &resp, 400);
        goto send;
      }
    }
  }
  route_keep_declared(rt, req.form, &req.nform);
  req.db = pool_acquire();
  /* the health check, the static files and the language cookie are the installation's,
     not a service's (they read no service's rows) */
  if (rt->page != page_healthz && rt->page != page_static && rt->page != page_language &&
      bind_service(&req, &resp, 0) != 0)
    goto release;
  if (req.session_cookie) req.logged_in = auth_session(req.db, req.session_cookie, req.now, &req.user);
  if (!role_allows(req.logged_in ? req.user.role : -2, rt->min_role)) {
    if (!req.logged_in && !strcmp(method, "GET")) {
      struct buf loc = {0};
      buf_puts(&loc, "/login?next=");
      for (const char *p = url; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '/' ||
            *p == '-')
          buf_putc(&loc, *p);
      }
      resp_redirect(&resp, buf_str(&loc));
      buf_free(&loc);
    } else {
      resp.status = 403;
      page_error(&req, &resp, 403);
    }
  } else if (!strcmp(method, "POST") && !csrf_ok(&req)) {
    resp.status = 403;
    page_error(&req, &resp, 403);
  } else {
    rt->page(&req, &resp);
  }
release:
  if (req.refresh_due) refresh_enqueue(&req, is_api);
  /* the writer's next reads of the service's facts are fresh (measures/cache.h) */
  if (strcmp(method, "GET") && strcmp(method, "HEAD") && resp.status < 400 && req.user.id > 0)
    cache_note_write(db_service(req.db), req.user.id);
  timed_out = db_take_timed_out(req.db);
  snprintf(cause, sizeof cause, "%s", db_errmsg(req.db));
  pool_release(req.db);
  if (timed_out) unavailable(&req, &resp, is_api);
send:;
  if (resp.status == 403)
    seclog_event("http.forbidden", "method", method, "route", url, "role",
                 req.logged_in ? role_name(req.user.role) : "anonymous", "user",
                 req.logged_in ? req.user.login : NULL);
  if (resp.status >= 500) {
    char status[16], why[sizeof cause + 64];
    snprintf(status, sizeof status, "%d", resp.status);
    if (timed_out)
      snprintf(why, sizeof why, "query time limit (%d ms) reached: %s", opts->query_timeout_ms, cause);
    else
      snprintf(why, sizeof why, "%s", cause[0] ? cause : "the handler answered a server error");
    seclog_event("http.server_error", "status", status, "method", method, "route", url, "cause", why);
  }
  int rc = send_response(c, &resp, st->request_id, req.accept_gzip);
  buf_free(&resp.body);
  kv_free(req.query, req.nquery);
  kv_free(req.form, req.nform);
  uploads_free(req.files, req.nfiles);
  return rc ? MHD_YES : MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)toe;
  struct conn_state *st = *con_cls;
  /* a kept-alive connection's next request head starts now */
  struct track *t = track_of(c);
  if (t) {
    pthread_mutex_lock(&track_mu);
    t->head_done = 0;
    t->since_ms = now_ms();
    pthread_mutex_unlock(&track_mu);
  }
  if (!st) return;
  atomic_fetch_sub(&requests_in_flight, 1);
  buf_free(&st->body);
  free(st);
  *con_cls = NULL;
}

static int parse_listen(const char *s, struct sockaddr_in *sa) {
  const char *colon = strrchr(s, ':');
  if (!colon) return -1;
  char host[64];
  size_t n = (size_t)(colon - s);
  if (n >= sizeof host) return -1;
  memcpy(host, s, n);
  host[n] = 0;
  char *end;
  long port = strtol(colon + 1, &end, 10);
  if (*end || port <= 0 || port > 65535) return -1;
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, n ? host : "0.0.0.0", &sa->sin_addr) != 1) return -1;
  return 0;
}

int serve(const struct serve_options *o) {
  opts = o;
  struct sockaddr_in sa;
  if (parse_listen(o->listen, &sa) != 0) {
    fprintf(stderr, "bereik: --listen takes ADDRESS:PORT (IPv4), e.g. 127.0.0.1:8080\n");
    return -1;
  }
  int threads = o->threads > 0 ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (threads < 1) threads = 1;
  if (pool_open(o->db_path, threads) != 0) {
    pool_close();
    return -1;
  }
  /* the signals are taken by sigwait below, not by the worker threads */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);

  struct MHD_Daemon *d = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL, NULL,
      on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER, on_library_message, NULL, MHD_OPTION_SOCK_ADDR,
      (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT,
      (unsigned)o->connection_timeout, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)o->per_ip_limit,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)library_connection_limit(o->max_connections),
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED, on_completed,
      NULL, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL, MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, "bereik: cannot listen on %s\n", o->listen);
    pool_close();
    return -1;
  }
  /* the background refresher has a connection of its own (without one, a request
     reads fresh itself once the published read is CACHE_STALE_MS old) */
  pthread_t refresh_thread;
  char rerr[256] = "";
  refresher.db = db_open(o->db_path, rerr, sizeof rerr);
  if (refresher.db) {
    db_serve_hint(refresher.db);
    db_set_query_timeout(refresher.db, o->query_timeout_ms);
    if (pthread_create(&refresh_thread, NULL, refresh_loop, NULL) != 0) {
      snprintf(rerr, sizeof rerr, "cannot start its thread");
      db_close(refresher.db);
      refresher.db = NULL;
    }
  }
  if (!refresher.db) fprintf(stderr, "bereik: no background refresh (%s)\n", rerr);
  pthread_t keeper;
  if (pthread_create(&keeper, NULL, housekeeping, NULL) != 0) {
    fprintf(stderr, "bereik: cannot start the housekeeping thread\n");
    MHD_stop_daemon(d);
    refresher_stop(refresh_thread);
    pool_close();
    return -1;
  }
  fprintf(stderr, "bereik: serving %s on http://%s/ (%d threads)\n", o->db_path, o->listen, threads);
  int sig = 0;
  sigwait(&set, &sig);
  fprintf(stderr, "bereik: %s received, finishing requests in flight (at most %d s)\n",
          sig == SIGTERM ? "SIGTERM" : "SIGINT", o->shutdown_grace);
  /* from here the housekeeping thread ends the process once the grace period is over,
     whatever is still running (a stuck handler would keep MHD_stop_daemon waiting) */
  int64_t deadline = now_ms() + (int64_t)o->shutdown_grace * 1000;
  atomic_store(&shutdown_deadline_ms, deadline);
  MHD_quiesce_daemon(d); /* no new connections */
  while (atomic_load(&requests_in_flight) > 0 && now_ms() < deadline) {
    struct timespec ts = {0, 20000000L};
    nanosleep(&ts, NULL);
  }
  MHD_stop_daemon(d); /* closes the idle connections */
  atomic_store(&housekeeping_stop, 1);
  pthread_join(keeper, NULL);
  refresher_stop(refresh_thread);
  pool_close();
  uint64_t stale_reads, refreshes;
  int64_t max_age_ms;
  cache_view_stats(&stale_reads, &max_age_ms, &refreshes);
  if (stale_reads)
    fprintf(stderr,
            "bereik: %llu reads under writes used a published read, at most %lld ms old; %llu refreshes in "
            "the background\n",
            (unsigned long long)stale_reads, (long long)max_age_ms, (unsigned long long)refreshes);
  fprintf(stderr, "bereik: stopped\n");
  return 0;
}
