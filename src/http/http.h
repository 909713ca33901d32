/* SPDX-License-Identifier: EUPL-1.2 */
/* A parsed HTTP request and the response a handler builds. Handlers read only typed,
   already-parsed values; the server adds the security headers to every response. */
#ifndef BEREIK_HTTP_H
#define BEREIK_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "http/auth.h"

struct kv {
  char *key, *value;
};

/* A file of a multipart/form-data upload. */
struct upload {
  char *field, *filename;
  char *data;
  size_t len;
};

/* The cookie of a survey respondent's browser: a random value, so that one browser
   answers a survey once (domain/survey.h keeps only a keyed hash of it). */
#define COOKIE_SURVEY "bereik_enquete"

struct request {
  const char *method; /* "GET", "POST" */
  const char *path;
  struct kv *query;
  int nquery;
  struct kv *form; /* application/x-www-form-urlencoded body, or the text fields of a multipart one */
  int nform;
  struct upload *files; /* multipart/form-data files */
  int nfiles;
  const char *session_cookie; /* NULL when absent */
  const char *pre_cookie;     /* CSRF token of a browser without session (login form) */
  const char *device_cookie;  /* a browser that logged in before (auth.h); NULL when absent */
  const char *survey_cookie;  /* a survey respondent's browser (COOKIE_SURVEY); NULL when absent */
  const char *oidc_cookie;    /* the state of a sign-in started at the provider (COOKIE_OIDC) */
  const char *addr;           /* client address */
  const char *host;           /* the Host header (not checked: validate before use); NULL when absent */
  int https;                  /* came through TLS (trusted proxy header) */
  struct db *db;
  int logged_in;
  struct user user;
  const char *lang; /* "nl" or "en" */
  int64_t now;      /* Unix seconds */
  /* for the JSON API (src/api): headers it reads and the raw body */
  const char *authorization, *if_match, *content_type; /* NULL when absent */
  const char *if_none_match;                           /* NULL when absent */
  const char *idempotency_key; /* the Idempotency-Key header (offline sync, API); NULL when absent */
  int accept_gzip;             /* Accept-Encoding names gzip */
  const char *body;
  size_t body_len;
  /* reads under writes (measures/cache.h): this is the server's background replay of a
     read; the handler asks for such a replay of this request */
  int background, refresh_due;
};

#define MAX_COOKIES 3
struct response {
  int status;
  const char *content_type;
  struct buf body;
  char location[12288]; /* a provider's logout address carries the ID token */
  char cookies[MAX_COOKIES][320];
  int ncookies;
  char pre_token[65];    /* a CSRF token made for this response (browser without one) */
  char disposition[128]; /* Content-Disposition, for downloads */
  char etag[72];         /* ETag (API), with its quotes */
  const char *www_authenticate;
  int retry_after;              /* seconds; a Retry-After header when > 0 (429, 503) */
  int close_connection;         /* Connection: close */
  int clear_site_data;          /* Clear-Site-Data: "cache", "cookies", "storage" (logout) */
  const char *cache_control;    /* NULL: no-store */
  const char *content_encoding; /* "gzip" when the body already is (static files) */
  int vary_encoding;            /* Vary: Accept-Encoding */
  /* body[cached_off, +cached_len) is the cached text of cached_service, cached_key and
     cached_token (measures/cache.h): the server compresses it once, with the text, and
     only the rest per response (resp_append_cached) */
  size_t cached_off, cached_len;
  int64_t cached_service, cached_token;
  char cached_key[128];
};

/* Appends text[0..len), the cached text of SERVICE, KEY and TOKEN, to the body and marks
   it as such (at most one part per response: a second is appended unmarked). */
void resp_append_cached(struct response *resp, int64_t service, const char *key, int64_t token,
                        const char *text, size_t len);
/* Marks body[off, off + len), already appended, as the cached text of SERVICE, KEY and
   TOKEN (as resp_append_cached does; a handler that has just rendered and cached it). */
void resp_mark_cached(struct response *resp, int64_t service, const char *key, int64_t token, size_t off,
                      size_t len);

const char *req_query(const struct request *r, const char *key);
const char *req_form(const struct request *r, const char *key);

/* Parses "a=1&b=%20x" into pairs (malloc'd; free with kv_free). Returns the count, or -1
   when malformed (a bad %-escape or too many fields). */
int parse_urlencoded(const char *s, size_t len, struct kv **out);
void kv_free(struct kv *kv, int n);

/* Parses a multipart/form-data body (RFC 7578) with the boundary of its Content-Type:
   text fields go to *fields, files to *files (malloc'd; free with kv_free and
   uploads_free). Returns 0, or -1 when malformed or over 64 parts. */
int parse_multipart(const char *body, size_t len, const char *boundary, struct kv **fields, int *nfields,
                    struct upload **files, int *nfiles);
void uploads_free(struct upload *u, int n);

/* NEXT as a redirect target after login when it is a local path of safe characters: one
   leading '/' (not "//" or a backslash), then only [A-Za-z0-9/._~?=&%-], at most 500
   bytes; every %-escape is two hex digits and decodes to a printable character other
   than a backslash, and the decoded path does not start with "//" either. Otherwise
   "/". */
const char *http_safe_next(const char *next);

void resp_redirect(struct response *resp, const char *location);
void resp_cookie(struct response *resp, const struct request *r, const char *name, const char *value,
                 int max_age);

#endif
