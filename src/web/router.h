/* SPDX-License-Identifier: EUPL-1.2 */
/* The route table: method, path, the least role allowed (or public), handler. */
#ifndef BEREIK_ROUTER_H
#define BEREIK_ROUTER_H

#include "http/http.h"

#define ROLE_PUBLIC (-1)

typedef void (*handler_fn)(struct request *r, struct response *resp);

struct route {
  const char *method, *path;
  int min_role; /* ROLE_PUBLIC, or the least role (advisor < coordinator < director < admin) */
  handler_fn handler;
};

extern const struct route routes[];
extern const int n_routes;

const struct route *route_find(const char *method, const char *path, int *path_known);

#endif
