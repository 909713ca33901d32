/* SPDX-License-Identifier: EUPL-1.2 */
/* bereik serve: the web application on libmicrohttpd. */
#ifndef BEREIK_SERVER_H
#define BEREIK_SERVER_H

#include <stddef.h>

struct serve_options {
  const char *db_path;
  const char *listen;     /* "127.0.0.1:8080" */
  int threads;            /* 0 = number of cores */
  int connection_timeout; /* seconds a connection may stay idle */
  int per_ip_limit;
  int max_connections;
  size_t max_body;
  const char *trusted_proxy; /* address whose X-Forwarded-Proto is believed, or NULL */
  int head_timeout;          /* seconds to receive a request's whole head (slow clients are dropped) */
  int query_timeout_ms;      /* a database statement's time limit; past it the request gets 503 */
  int shutdown_grace;        /* seconds requests in flight get after SIGTERM before the process exits */
};

/* Runs until SIGTERM or SIGINT; then finishes the requests in flight, at most
   shutdown_grace seconds (then the process exits with status 1, whatever still runs),
   and closes the database. Returns 0, or -1 with a message on stderr. */
int serve(const struct serve_options *o);

#endif
