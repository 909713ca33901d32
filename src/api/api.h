/* SPDX-License-Identifier: EUPL-1.2 */
/* The JSON API under /api/v1 (docs/API.md, src/api/openapi.json): personal bearer
   tokens instead of sessions (so no cookies and no CSRF), the roles and per-object
   authorization of the web application, the validation of domain/registration.c, the
   facts of src/measures, and RFC 9457 problem documents for every error. */
#ifndef BEREIK_API_H
#define BEREIK_API_H

#include "http/http.h"

/* 1 when the path belongs to the API (/api/v1 and below). */
int api_owns(const char *path);
/* Answers an API request: found is route_find's answer (0, 404 or 405) over the one route
   table, m the route found; too_large: the body went over the server's cap (413). */
struct route_match;
/* The route of m for a user already known (r->user, r->logged_in): the server's
   background replay of a read (measures/cache.h), without the token check. */
void api_replay(struct request *r, struct response *resp, const struct route_match *m);
void api_handle(struct request *r, struct response *resp, int too_large, int found,
                const struct route_match *m);

struct model;
/* A registration body as POST and PUT read it: the JSON parse, the field shapes and
   types, the canonical form and every rule of domain/registration.c (the database is not
   touched). Returns the number of problems, or -1 when the text is not a JSON object.
   The fuzz target fuzz_json drives it. */
int api_registration_check_text(const struct model *m, const char *text, size_t len);

/* The answer when the request's host names no service (404) or a suspended one (503):
   resp->status is set; the body becomes a problem document. */
void api_service_refused(struct request *r, struct response *resp);

#endif
