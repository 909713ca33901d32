/* SPDX-License-Identifier: EUPL-1.2 */
/* bereik serve: the web application on libmicrohttpd. */
#ifndef BEREIK_SERVER_H
#define BEREIK_SERVER_H

#include <stddef.h>

struct serve_options {
  const char *db_path;
  const char *listen; /* "127.0.0.1:8080" */
  int threads;        /* 0 = number of cores */
  int connection_timeout;
  int per_ip_limit;
  int max_connections;
  size_t max_body;
  const char *trusted_proxy; /* address whose X-Forwarded-Proto is believed, or NULL */
};

/* Runs until SIGTERM or SIGINT; then finishes the requests in flight and closes the
   database. Returns 0, or -1 with a message on stderr. */
int serve(const struct serve_options *o);

#endif
