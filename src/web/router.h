/* SPDX-License-Identifier: EUPL-1.2 */
/* The one route table of the web pages and the API (web/router.c; its shape in
   http/route.h). */
#ifndef BEREIK_ROUTER_H
#define BEREIK_ROUTER_H

#include "http/route.h"

extern const struct route routes[];
extern const int n_routes;

#endif
