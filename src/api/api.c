/* SPDX-License-Identifier: EUPL-1.2 */
/* The API's front door: bearer-token authentication and the least role of the route the
   one route table (web/router.c) found, the body cap, and the problem documents. */
#include "api/api.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/internal.h"
#include "core/dates.h"
#include "http/auth.h"
#include "http/route.h"

int api_owns(const char *path) { return !strcmp(path, "/api/v1") || !strncmp(path, "/api/v1/", 8); }

static const char *status_title(int status) {
  switch (status) {
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 403:
    return "Forbidden";
  case 404:
    return "Not Found";
  case 405:
    return "Method Not Allowed";
  case 409:
    return "Conflict";
  case 412:
    return "Precondition Failed";
  case 413:
    return "Content Too Large";
  case 415:
    return "Unsupported Media Type";
  case 422:
    return "Unprocessable Content";
  case 428:
    return "Precondition Required";
  case 500:
    return "Internal Server Error";
  default:
    return "Error";
  }
}

void api_json(struct api *a, int status, json_t *v) {
  char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
  json_decref(v);
  a->resp->status = status;
  a->resp->content_type = "application/json";
  buf_reset(&a->resp->body);
  if (s) buf_puts(&a->resp->body, s);
  buf_putc(&a->resp->body, '\n');
  free(s);
}

void api_problem(struct api *a, int status, const char *detail, json_t *errors) {
  json_t *p = json_object();
  json_object_set_new(p, "type", json_string("about:blank"));
  json_object_set_new(p, "title", json_string(status_title(status)));
  json_object_set_new(p, "status", json_integer(status));
  json_object_set_new(p, "detail", json_string(detail));
  if (errors) json_object_set_new(p, "errors", errors);
  api_json(a, status, p);
  a->resp->content_type = "application/problem+json";
}

void api_error(json_t *errors, const char *field, const char *en, const char *nl) {
  json_t *e = json_object();
  json_object_set_new(e, "field", json_string(field));
  /* the field as a JSON Pointer (RFC 6901): "counts.leraren" -> "/counts/leraren" */
  struct buf ptr = {0};
  buf_putc(&ptr, '/');
  for (const char *p = field; *p; p++) {
    if (*p == '.')
      buf_putc(&ptr, '/');
    else if (*p == '~')
      buf_puts(&ptr, "~0");
    else if (*p == '/')
      buf_puts(&ptr, "~1");
    else
      buf_putc(&ptr, *p);
  }
  json_object_set_new(e, "pointer", json_string(buf_str(&ptr)));
  buf_free(&ptr);
  json_object_set_new(e, "message", json_string(en));
  if (nl) json_object_set_new(e, "message_nl", json_string(nl));
  json_array_append_new(errors, e);
}

json_t *api_body(struct api *a) {
  const char *ct = a->r->content_type;
  if (!ct || strncasecmp(ct, "application/json", 16) || (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
    api_problem(a, 415, "the body must be JSON, sent with Content-Type: application/json", NULL);
    return NULL;
  }
  json_error_t e;
  json_t *v = json_loadb(a->r->body ? a->r->body : "", a->r->body_len, JSON_REJECT_DUPLICATES, &e);
  if (!v) {
    char d[400];
    snprintf(d, sizeof d, "malformed JSON at line %d, column %d: %s", e.line, e.column, e.text);
    api_problem(a, 400, d, NULL);
    return NULL;
  }
  if (!json_is_object(v)) {
    json_decref(v);
    api_problem(a, 400, "the body must be a JSON object", NULL);
    return NULL;
  }
  return v;
}

void api_etag(json_t *v, char out[72]) {
  char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
  unsigned char h[16];
  crypto_generichash(h, sizeof h, (const unsigned char *)(s ? s : ""), s ? strlen(s) : 0, NULL, 0);
  free(s);
  out[0] = '"';
  sodium_bin2hex(out + 1, 33, h, sizeof h);
  out[33] = '"';
  out[34] = 0;
}

/* The OpenAPI document, embedded at build time from src/api/openapi.json. */
extern const char api_openapi_json[];
void api_openapi(struct api *a) {
  a->resp->status = 200;
  a->resp->content_type = "application/json";
  buf_puts(&a->resp->body, api_openapi_json);
}

void api_service_refused(struct request *r, struct response *resp) {
  struct api a = {.r = r, .resp = resp};
  int status = resp->status;
  api_problem(&a, status,
              status == 404   ? "no service of this installation answers on this host name"
              : status == 503 ? "this service is suspended"
                              : "the service could not be set",
              NULL);
  if (status == 503) resp->retry_after = 3600;
}

void api_replay(struct request *r, struct response *resp, const struct route_match *m) {
  struct api a = {.r = r, .resp = resp};
  for (int i = 0; i < m->nparams && i < API_MAX_PARAMS; i++)
    snprintf(a.param[i], sizeof a.param[i], "%s", m->params[i]);
  m->route->api(&a);
}

void api_handle(struct request *r, struct response *resp, int too_large, int found,
                const struct route_match *m) {
  struct api a = {.r = r, .resp = resp};
  if (found != 0) {
    api_problem(&a, found, found == 405 ? "this method is not allowed on this resource" : "no such resource",
                NULL);
    return;
  }
  const struct route *rt = m->route;
  for (int i = 0; i < m->nparams && i < API_MAX_PARAMS; i++)
    snprintf(a.param[i], sizeof a.param[i], "%s", m->params[i]);
  if (too_large) {
    api_problem(&a, 413, "the request body is larger than the server accepts", NULL);
    return;
  }
  if (rt->min_role != ROLE_PUBLIC) {
    const char *h = r->authorization;
    const char *token = h && !strncasecmp(h, "Bearer ", 7) ? h + 7 : NULL;
    while (token && *token == ' ') token++;
    if (!token || !api_token_auth(r->db, token, r->now, &r->user)) {
      resp->www_authenticate = "Bearer realm=\"bereik\"";
      api_problem(&a, 401,
                  token ? "the API token is unknown, revoked or expired"
                        : "an API token is required (Authorization: Bearer TOKEN); cookies are not accepted",
                  NULL);
      return;
    }
    r->logged_in = 1;
    if (r->user.role < rt->min_role) {
      api_problem(&a, 403, "your role may not use this resource", NULL);
      return;
    }
  }
  rt->api(&a);
}

static const char *const api_messages[AM_COUNT][2] = {
    [AM_REQUIRED] = {"is required", "is verplicht"},
    [AM_UNKNOWN_FIELD] = {"unknown field", "onbekend veld"},
    [AM_TEXT] = {"must be a text (or null)", "moet een tekst zijn (of null)"},
    [AM_LIST] = {"must be a list of texts", "moet een lijst van teksten zijn"},
    [AM_BOOL] = {"must be true, false or null", "moet true, false of null zijn"},
    [AM_COUNTS] = {"must be an object with a head count per target group code",
                   "moet een object zijn met een aantal per doelgroepcode"},
    [AM_TG_UNKNOWN] = {"unknown target group", "onbekende doelgroep"},
    [AM_PIPE] = {"an entry cannot contain '|'", "een waarde kan geen '|' bevatten"},
    [AM_ID_MISMATCH] = {"differs from the id in the URL", "verschilt van de id in de URL"},
    [AM_KEY_MISMATCH] = {"differs from the key in the URL", "verschilt van de sleutel in de URL"},
    [AM_CELL_INT] = {"must be a whole number or null", "moet een geheel getal of null zijn"},
    [AM_CELL_DEC] = {"must be a number or null", "moet een getal of null zijn"},
    [AM_CELL_LIST] = {"must be a list of texts (or one text with '|') or null",
                      "moet een lijst van teksten (of één tekst met '|') of null zijn"},
    [AM_CELL_TEXT] = {"must be a text or null", "moet een tekst of null zijn"},
    [AM_YEARS] = {"takes a school year (2024-2025) or a range (2022-2023..2024-2025)",
                  "verwacht een schooljaar (2024-2025) of een reeks (2022-2023..2024-2025)"},
    [AM_SCOPE] = {"must be organisation, unit, line, team or advisor",
                  "moet organisation, unit, line, team of advisor zijn"},
    [AM_SCHOOL_YEAR] = {"not a school year in the form 2024-2025", "geen schooljaar in de vorm 2024-2025"},
    [AM_DATE] = {"not a real calendar date in the form YYYY-MM-DD",
                 "geen geldige datum in de vorm JJJJ-MM-DD"},
    [AM_LINE_UNKNOWN] = {"unknown line", "onbekende pijler of project"},
    [AM_ADVISOR_UNKNOWN] = {"unknown advisor", "onbekende begeleider"},
    [AM_INSTITUTION_UNKNOWN] = {"unknown institution", "onbekende instelling"},
    [AM_KIND] = {"must be client or internal", "moet client of internal zijn"},
    [AM_LIMIT] = {"must be a whole number from 1 to 500", "moet een geheel getal van 1 tot 500 zijn"},
    [AM_CURSOR] = {"not a cursor of this list (use next_cursor as given)",
                   "geen cursor van deze lijst (gebruik next_cursor zoals gegeven)"},
    [AM_DAY_UNCHECKED] = {"the minutes of the day could not be checked; please try again",
                          "de minuten van de dag konden niet nagekeken worden; probeer het opnieuw"},
};

void api_error_msg(json_t *errors, const char *field, enum api_msg m) {
  api_error(errors, field, api_messages[m][0], api_messages[m][1]);
}

int api_year_query(struct api *a, int *year) {
  const char *ys = req_query(a->r, "year");
  if (!ys) return 0;
  int y;
  if (school_year_parse(ys, &y) != 0) {
    json_t *errors = json_array();
    api_error_msg(errors, "year", AM_SCHOOL_YEAR);
    api_problem(a, 400, "invalid query parameters", errors);
    return -1;
  }
  *year = y;
  return 1;
}
