/* SPDX-License-Identifier: EUPL-1.2 */
/* The JSON API under /api/v1 (docs/API.md, src/api/openapi.json): personal bearer
   tokens instead of sessions (so no cookies and no CSRF), the roles and per-object
   authorization of the web application, the validation of domain/registration.c, the
   facts of src/measures, and RFC 9457 problem documents for every error. */
#ifndef BEREIK_API_H
#define BEREIK_API_H

#include "web/http.h"

/* 1 when the path belongs to the API (/api/v1 and below). */
int api_owns(const char *path);
/* Answers an API request; too_large: the body went over the server's cap (413). */
void api_handle(struct request *r, struct response *resp, int too_large);

#endif
