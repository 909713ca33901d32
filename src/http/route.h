/* SPDX-License-Identifier: EUPL-1.2 */
/* The one route table's shape (web/routes.c holds the table: every page and every API
   resource, as cgit's command table): method, path pattern, least role, surface,
   handler, and the fields the route reads (as kcgi's field declarations). The server
   finds the route here, then keeps only the declared fields of the query and the form, so
   a handler never sees a parameter its route does not declare. */
#ifndef BEREIK_ROUTE_H
#define BEREIK_ROUTE_H

#include "http/http.h"

#define ROLE_PUBLIC (-1)
#define ROUTE_MAX_PARAMS 2
#define ROUTE_PARAM_MAX 256 /* bytes of one decoded {parameter}, NUL included */

enum route_surface {
  ROUTE_PAGE, /* a web page: session cookie, CSRF on POST, HTML errors; HEAD as GET */
  ROUTE_API,  /* the JSON API: bearer token, problem documents */
};

struct api;
typedef void (*page_fn)(struct request *r, struct response *resp);
typedef void (*api_fn)(struct api *a);

struct route {
  const char *method;
  const char *pattern; /* "/api/v1/lines/{code}": {name} takes one non-empty segment */
  int min_role;        /* ROLE_PUBLIC, or the least role (advisor < coordinator < director < admin) */
  enum route_surface surface;
  page_fn page; /* ROUTE_PAGE */
  api_fn api;   /* ROUTE_API */
  /* the query and form fields the route reads, separated by spaces; "tg-*" declares every
     field starting with "tg-"; "*" every field (the Beheer row forms, whose fields are the
     columns of the dataset file they edit). A POST page also reads "csrf". */
  const char *fields;
};

struct route_match {
  const struct route *route;
  int nparams;
  char params[ROUTE_MAX_PARAMS][ROUTE_PARAM_MAX]; /* the {…} segments, percent-decoded */
};

/* Finds the route of method and path in table[0..n): 0 with m filled, 404 when no route
   has that path, 405 when routes have the path but not the method. */
int route_find(const struct route *table, int n, const char *method, const char *path, struct route_match *m);
/* Whether route rt declares field name. */
int route_declares(const struct route *rt, const char *name);
/* Keeps the declared fields of kv[0..*n) in their order, frees the others; *n shrinks. */
void route_keep_declared(const struct route *rt, struct kv *kv, int *n);

#endif
