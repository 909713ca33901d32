/* SPDX-License-Identifier: EUPL-1.2 */
/* The API's front door: the route table (paths with {parameters}, least role of each),
   bearer-token authentication, the body cap, and the problem documents. */
#include "api/api.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/internal.h"
#include "http/auth.h"

#define PUBLIC (-1)

struct api_route {
  const char *method, *pattern;
  int min_role; /* PUBLIC, or the least role */
  void (*handler)(struct api *a);
};

static void openapi(struct api *a);

static const struct api_route api_routes[] = {
    {"GET", "/api/v1/openapi.json", PUBLIC, openapi},
    {"GET", "/api/v1/registrations", ROLE_ADVISOR, api_registrations_list},
    {"POST", "/api/v1/registrations", ROLE_ADVISOR, api_registrations_create},
    {"GET", "/api/v1/registrations/{id}", ROLE_ADVISOR, api_registration_get},
    {"PUT", "/api/v1/registrations/{id}", ROLE_ADVISOR, api_registration_put},
    {"DELETE", "/api/v1/registrations/{id}", ROLE_ADVISOR, api_registration_delete},
    {"GET", "/api/v1/facts", ROLE_DIRECTOR, api_facts},
    {"GET", "/api/v1/indicators", ROLE_ADVISOR, api_indicators},
    {"GET", "/api/v1/sectors", ROLE_ADVISOR, api_reference_list},
    {"GET", "/api/v1/sectors/{code}", ROLE_ADVISOR, api_reference_get},
    {"PUT", "/api/v1/sectors/{code}", ROLE_ADMIN, api_reference_put},
    {"GET", "/api/v1/lines", ROLE_ADVISOR, api_reference_list},
    {"GET", "/api/v1/lines/{code}", ROLE_ADVISOR, api_reference_get},
    {"PUT", "/api/v1/lines/{code}", ROLE_ADMIN, api_reference_put},
    {"GET", "/api/v1/goals", ROLE_ADVISOR, api_reference_list},
    {"GET", "/api/v1/goals/{code}", ROLE_ADVISOR, api_reference_get},
    {"PUT", "/api/v1/goals/{code}", ROLE_ADMIN, api_reference_put},
    {"GET", "/api/v1/institutions", ROLE_ADVISOR, api_reference_list},
    {"GET", "/api/v1/institutions/{number}", ROLE_ADVISOR, api_reference_get},
    {"PUT", "/api/v1/institutions/{number}", ROLE_ADMIN, api_reference_put},
    {"GET", "/api/v1/teams", ROLE_ADVISOR, api_reference_list},
    {"GET", "/api/v1/teams/{code}", ROLE_ADVISOR, api_reference_get},
    {"PUT", "/api/v1/teams/{code}", ROLE_ADMIN, api_reference_put},
    {"GET", "/api/v1/advisors", ROLE_ADVISOR, api_reference_list},
    {"GET", "/api/v1/advisors/{code}", ROLE_ADVISOR, api_reference_get},
    {"PUT", "/api/v1/advisors/{code}", ROLE_ADMIN, api_reference_put},
    {"GET", "/api/v1/target-groups", ROLE_ADVISOR, api_reference_list},
    {"GET", "/api/v1/target-groups/{code}", ROLE_ADVISOR, api_reference_get},
    {"PUT", "/api/v1/target-groups/{code}", ROLE_ADMIN, api_reference_put},
    {"GET", "/api/v1/trajectories", ROLE_ADVISOR, api_reference_list},
    {"GET", "/api/v1/trajectories/{id}", ROLE_ADVISOR, api_reference_get},
    {"PUT", "/api/v1/trajectories/{id}", ROLE_ADMIN, api_reference_put},
    {"GET", "/api/v1/plan", ROLE_ADVISOR, api_reference_list},
    {"PUT", "/api/v1/plan/{school_year}/{line}", ROLE_ADMIN, api_reference_put},
    {"GET", "/api/v1/targets", ROLE_ADVISOR, api_reference_list},
    {"PUT", "/api/v1/targets/{school_year}/{target_group}", ROLE_ADMIN, api_reference_put},
};

int api_owns(const char *path) { return !strcmp(path, "/api/v1") || !strncmp(path, "/api/v1/", 8); }

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Matches a path against a pattern; {x} takes one non-empty segment (percent-decoded). */
static int match(const char *pattern, const char *path, struct api *a) {
  int k = 0;
  while (*pattern && *path) {
    if (*pattern == '{') {
      const char *pe = strchr(pattern, '}');
      size_t n = strcspn(path, "/");
      if (!pe || n == 0 || k == API_MAX_PARAMS || n >= sizeof a->param[0]) return 0;
      char *out = a->param[k++];
      for (size_t i = 0; i < n; i++) {
        int hi = i + 2 < n ? hexval(path[i + 1]) : -1, lo = i + 2 < n ? hexval(path[i + 2]) : -1;
        if (path[i] == '%' && hi >= 0 && lo >= 0) {
          *out++ = (char)(hi * 16 + lo);
          i += 2;
        } else {
          *out++ = path[i];
        }
      }
      *out = 0;
      pattern = pe + 1;
      path += n;
    } else if (*pattern++ != *path++) {
      return 0;
    }
  }
  return !*pattern && !*path;
}

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
static void openapi(struct api *a) {
  a->resp->status = 200;
  a->resp->content_type = "application/json";
  buf_puts(&a->resp->body, api_openapi_json);
}

void api_handle(struct request *r, struct response *resp, int too_large) {
  struct api a = {.r = r, .resp = resp};
  const struct api_route *rt = NULL;
  int known = 0;
  for (size_t i = 0; i < sizeof api_routes / sizeof api_routes[0] && !rt; i++) {
    struct api t = {.r = r, .resp = resp};
    if (!match(api_routes[i].pattern, r->path, &t)) continue;
    known = 1;
    if (!strcmp(api_routes[i].method, r->method)) {
      rt = &api_routes[i];
      a = t;
    }
  }
  if (!rt) {
    api_problem(&a, known ? 405 : 404,
                known ? "this method is not allowed on this resource" : "no such resource", NULL);
    return;
  }
  if (too_large) {
    api_problem(&a, 413, "the request body is larger than the server accepts", NULL);
    return;
  }
  if (rt->min_role != PUBLIC) {
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
  rt->handler(&a);
}
