/* SPDX-License-Identifier: EUPL-1.2 */
/* libmicrohttpd glue: a thread pool sized to the cores, explicit limits (the library has
   none by default), a pool of database connections (one per worker thread), and the
   request pipeline: parse -> session -> route -> role -> CSRF -> handler -> security
   headers. */
#include "web/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "core/buf.h"
#include "core/util.h"
#include "db/db.h"
#include "web/auth.h"
#include "web/http.h"
#include "web/pages/pages.h"
#include "web/router.h"

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

/* ---- requests ---- */

static const struct serve_options *opts;

struct conn_state {
  struct buf body;
  int too_large;
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

static const char *pick_lang(struct MHD_Connection *c) {
  const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "bereik_lang");
  if (cookie && (!strcmp(cookie, "en") || !strcmp(cookie, "nl"))) return cookie;
  const char *al = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
  if (al && !strncasecmp(al, "en", 2)) return "en";
  return "nl";
}

static int send_response(struct MHD_Connection *c, struct response *resp) {
  const char *body = buf_str(&resp->body);
  struct MHD_Response *r =
      MHD_create_response_from_buffer(resp->body.len, (void *)body, MHD_RESPMEM_MUST_COPY);
  if (!r) return MHD_NO;
  MHD_add_response_header(r, "Content-Type",
                          resp->content_type ? resp->content_type : "text/html; charset=utf-8");
  MHD_add_response_header(r, "Content-Security-Policy",
                          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(r, "Referrer-Policy", "same-origin");
  MHD_add_response_header(r, "Cache-Control", "no-store");
  if (resp->location[0]) MHD_add_response_header(r, "Location", resp->location);
  if (resp->disposition[0]) MHD_add_response_header(r, "Content-Disposition", resp->disposition);
  if (resp->etag[0]) MHD_add_response_header(r, "ETag", resp->etag);
  if (resp->www_authenticate) MHD_add_response_header(r, "WWW-Authenticate", resp->www_authenticate);
  if (resp->retry_after > 0) {
    char ra[24];
    snprintf(ra, sizeof ra, "%lld", resp->retry_after);
    MHD_add_response_header(r, "Retry-After", ra);
  }
  if (resp->clear_site_data)
    MHD_add_response_header(r, "Clear-Site-Data", "\"cache\", \"cookies\", \"storage\"");
  for (int i = 0; i < resp->ncookies; i++) MHD_add_response_header(r, "Set-Cookie", resp->cookies[i]);
  enum MHD_Result rc = MHD_queue_response(c, (unsigned)resp->status, r);
  MHD_destroy_response(r);
  return rc;
}

static int role_allows(int role, int min_role) { return min_role == ROLE_PUBLIC || role >= min_role; }

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size,
                                  void **con_cls) {
  (void)cls;
  (void)version;
  struct conn_state *st = *con_cls;
  if (!st) {
    /* a request with both Content-Length and Transfer-Encoding is ambiguous (RFC 9112
       6.3: the framing of request smuggling); it is refused and the connection closed */
    if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length") &&
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding")) {
      static const char msg[] = "Bad Request: both Content-Length and Transfer-Encoding\n";
      struct MHD_Response *r =
          MHD_create_response_from_buffer(sizeof msg - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
      if (!r) return MHD_NO;
      MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
      MHD_add_response_header(r, "Connection", "close");
      enum MHD_Result rc = MHD_queue_response(c, 400, r);
      MHD_destroy_response(r);
      return rc;
    }
    st = xcalloc(1, sizeof *st);
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > opts->max_body) st->too_large = 1;
    *con_cls = st;
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
  char addr[64];
  client_addr(c, addr, sizeof addr);
  req.method = method;
  req.path = url;
  req.addr = addr;
  req.now = (int64_t)time(NULL);
  req.lang = pick_lang(c);
  req.session_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "bereik_session");
  req.pre_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "bereik_pre");
  const char *proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
  int via_proxy = opts->trusted_proxy && !strcmp(addr, opts->trusted_proxy);
  req.https = via_proxy && proto && !strcmp(proto, "https");
  if (req.https) { /* behind TLS the cookies carry the __Host- prefix (auth.h) */
    req.session_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE_NAME(1, COOKIE_SESSION));
    req.pre_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE_NAME(1, COOKIE_PRE));
  }
  req.device_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, COOKIE_NAME(req.https, COOKIE_DEVICE));
  /* behind the trusted proxy, the client is the last address it appended */
  const char *xff = via_proxy ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For") : NULL;
  if (xff) {
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ') last++;
    if (*last && strlen(last) < sizeof addr && strspn(last, "0123456789abcdefABCDEF.:") == strlen(last))
      snprintf(addr, sizeof addr, "%s", last);
  }
  struct kv_collect q = {0};
  MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &q);
  req.query = q.kv;
  req.nquery = q.n;

  /* the JSON API has its own routes, bearer-token authentication and problem documents */
  if (api_owns(url)) {
    req.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    req.if_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Match");
    req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    req.body = buf_str(&st->body);
    req.body_len = st->body.len;
    req.db = pool_acquire();
    api_handle(&req, &resp, st->too_large);
    pool_release(req.db);
    goto send;
  }

  if (st->too_large) {
    resp.status = 413;
    page_error(&req, &resp, 413);
    goto send;
  }
  int known = 0;
  const struct route *rt = route_find(method, url, &known);
  if (!rt) {
    resp.status = known ? 405 : 404;
    page_error(&req, &resp, resp.status);
    goto send;
  }
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
  req.db = pool_acquire();
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
    rt->handler(&req, &resp);
  }
  pool_release(req.db);
send:;
  int rc = send_response(c, &resp);
  buf_free(&resp.body);
  kv_free(req.query, req.nquery);
  kv_free(req.form, req.nform);
  uploads_free(req.files, req.nfiles);
  return rc ? MHD_YES : MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)c;
  (void)toe;
  struct conn_state *st = *con_cls;
  if (!st) return;
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
      on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
      (unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->connection_timeout,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)o->per_ip_limit, MHD_OPTION_CONNECTION_LIMIT,
      (unsigned)o->max_connections, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, "bereik: cannot listen on %s\n", o->listen);
    pool_close();
    return -1;
  }
  fprintf(stderr, "bereik: serving %s on http://%s/ (%d threads)\n", o->db_path, o->listen, threads);
  int sig = 0;
  sigwait(&set, &sig);
  fprintf(stderr, "bereik: %s received, finishing requests in flight\n",
          sig == SIGTERM ? "SIGTERM" : "SIGINT");
  MHD_quiesce_daemon(d); /* no new connections */
  for (int i = 0; i < 100; i++) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    if (!info || info->num_connections == 0) break;
    struct timespec ts = {0, 100000000L};
    nanosleep(&ts, NULL);
  }
  MHD_stop_daemon(d);
  pool_close();
  fprintf(stderr, "bereik: stopped\n");
  return 0;
}
