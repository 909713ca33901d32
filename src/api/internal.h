/* SPDX-License-Identifier: EUPL-1.2 */
/* What the API's resource files share: the request, path parameters, JSON and problem
   responses. Every handler answers through api_json or api_problem. */
#ifndef BEREIK_API_INTERNAL_H
#define BEREIK_API_INTERNAL_H

#include <jansson.h>

#include "http/http.h"

#define API_MAX_PARAMS 2

struct api {
  struct request *r;
  struct response *resp;
  char param[API_MAX_PARAMS][256]; /* the {…} segments of the path, decoded */
};

/* Writes v (reference taken) as the body with status. */
void api_json(struct api *a, int status, json_t *v);
/* An RFC 9457 problem document; errors (reference taken, may be NULL) lists the fields. */
void api_problem(struct api *a, int status, const char *detail, json_t *errors);
/* Appends {"field", "message", "message_nl"} to errors. */
void api_error(json_t *errors, const char *field, const char *en, const char *nl);

/* The API's own messages (query parameters, JSON types and shapes), English and Dutch side
   by side in api.c; the rules' messages come from domain/registration.c and the dataset's
   from io/messages.h. */
enum api_msg {
  AM_REQUIRED,
  AM_UNKNOWN_FIELD,
  AM_TEXT,
  AM_LIST,
  AM_BOOL,
  AM_COUNTS,
  AM_TG_UNKNOWN,
  AM_PIPE,
  AM_ID_MISMATCH,
  AM_KEY_MISMATCH,
  AM_CELL_INT,
  AM_CELL_DEC,
  AM_CELL_LIST,
  AM_CELL_TEXT,
  AM_YEARS,
  AM_SCOPE,
  AM_SCHOOL_YEAR,
  AM_DATE,
  AM_LINE_UNKNOWN,
  AM_ADVISOR_UNKNOWN,
  AM_INSTITUTION_UNKNOWN,
  AM_KIND,
  AM_LIMIT,
  AM_CURSOR,
  AM_DAY_UNCHECKED,
  AM_COUNT
};
/* Appends message m about field to errors. */
void api_error_msg(json_t *errors, const char *field, enum api_msg m);
/* The query parameter year=YYYY-YYYY: 1 with *year set when given, 0 when absent (*year
   untouched), -1 when malformed, after answering 400 naming the field. */
int api_year_query(struct api *a, int *year);
/* The request body as JSON; NULL after answering 400 or 415. */
json_t *api_body(struct api *a);
/* The ETag of a representation: a quoted BLAKE2b hash of its canonical JSON text. */
void api_etag(json_t *v, char out[72]);

/* Handlers (one file per resource group); the route table is web/router.c. */
/* GET /api/v1/openapi.json: the OpenAPI document. */
void api_openapi(struct api *a);
void api_registrations_list(struct api *a);
void api_registrations_create(struct api *a);
void api_registration_get(struct api *a);
void api_registration_put(struct api *a);
void api_registration_delete(struct api *a);
void api_facts(struct api *a);
void api_indicators(struct api *a);
void api_impact(struct api *a);
/* GET /api/v1/quality (docs/QUALITY.md). */
void api_quality(struct api *a);
void api_views(struct api *a); /* management views (docs/VIEWS.md) */
void api_reference_list(struct api *a);
void api_reference_get(struct api *a);
void api_reference_put(struct api *a);
void api_trajectories_create(struct api *a);
void api_trajectories_list(struct api *a);
void api_trajectory_get(struct api *a);
void api_trajectory_put(struct api *a);
void api_trajectory_followup(struct api *a);
void api_surveys_list(struct api *a);
void api_surveys_create(struct api *a);
void api_survey_qr(struct api *a);
void api_survey_results(struct api *a);

/* The reference resource of a path ("lines", ...): index or -1. */
int api_reference_of(const char *path);

#endif
