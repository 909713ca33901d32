/* SPDX-License-Identifier: EUPL-1.2 */
#include "http/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define MAX_FIELDS 512

static const char *lookup(const struct kv *kv, int n, const char *key) {
  for (int i = 0; i < n; i++)
    if (!strcmp(kv[i].key, key)) return kv[i].value;
  return NULL;
}

const char *req_query(const struct request *r, const char *key) { return lookup(r->query, r->nquery, key); }
const char *req_form(const struct request *r, const char *key) { return lookup(r->form, r->nform, key); }

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes one field: '+' is a space, %XX a byte; NUL bytes are refused. */
static char *decode(const char *s, size_t n, int *bad) {
  char *out = xmalloc(n + 1), *w = out;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '+') {
      *w++ = ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0) {
        *bad = 1;
        break;
      }
      char c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      if (!c) {
        *bad = 1;
        break;
      }
      *w++ = c;
      i += 2;
    } else {
      *w++ = s[i];
    }
  }
  *w = 0;
  return out;
}

int parse_urlencoded(const char *s, size_t len, struct kv **out) {
  *out = NULL;
  int n = 0, bad = 0;
  size_t i = 0;
  while (i < len && !bad) {
    size_t end = i;
    while (end < len && s[end] != '&') end++;
    if (end > i) {
      if (n == MAX_FIELDS) {
        bad = 1;
        break;
      }
      size_t eq = i;
      while (eq < end && s[eq] != '=') eq++;
      *out = xrealloc(*out, sizeof **out * (size_t)(n + 1));
      (*out)[n].key = decode(s + i, eq - i, &bad);
      (*out)[n].value = eq < end ? decode(s + eq + 1, end - eq - 1, &bad) : xstrdup("");
      n++;
    }
    i = end + 1;
  }
  if (bad) {
    kv_free(*out, n);
    *out = NULL;
    return -1;
  }
  return n;
}

void kv_free(struct kv *kv, int n) {
  for (int i = 0; i < n; i++) {
    free(kv[i].key);
    free(kv[i].value);
  }
  free(kv);
}

const char *http_safe_next(const char *next) {
  static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._~?=&%-";
  if (!next || next[0] != '/') return "/";
  size_t n = strlen(next);
  if (n > 500 || strspn(next, safe) != n) return "/";
  char decoded[501];
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    char c = next[i];
    if (c == '%') {
      if (hexval(next[i + 1]) < 0 || hexval(next[i + 2]) < 0) return "/";
      int v = hexval(next[i + 1]) * 16 + hexval(next[i + 2]);
      if (v < 0x21 || v > 0x7e || v == '\\') return "/"; /* controls, space, DEL, 8-bit, backslash */
      c = (char)v;
      i += 2;
    }
    decoded[k++] = c;
  }
  decoded[k] = 0;
  if (decoded[1] == '/' || decoded[1] == '\\') return "/";
  return next;
}

void resp_redirect(struct response *resp, const char *location) {
  resp->status = 303;
  snprintf(resp->location, sizeof resp->location, "%s", location);
}

void resp_cookie(struct response *resp, const struct request *r, const char *name, const char *value,
                 int max_age) {
  if (resp->ncookies == MAX_COOKIES) return;
  char age[48] = "";
  if (max_age >= 0) snprintf(age, sizeof age, "; Max-Age=%d", max_age);
  snprintf(resp->cookies[resp->ncookies++], sizeof resp->cookies[0],
           "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name, value, age, r->https ? "; Secure" : "");
}

static const char *find(const char *hay, size_t hlen, const char *needle, size_t nlen) {
  if (nlen == 0 || hlen < nlen) return NULL;
  for (size_t i = 0; i + nlen <= hlen; i++)
    if (hay[i] == needle[0] && !memcmp(hay + i, needle, nlen)) return hay + i;
  return NULL;
}

/* The value of name="..." in a Content-Disposition header (NULL when absent). */
static char *disposition_param(const char *h, size_t hlen, const char *param) {
  char key[32];
  snprintf(key, sizeof key, "%s=\"", param);
  const char *p = find(h, hlen, key, strlen(key));
  while (p && p > h && p[-1] != ' ' && p[-1] != ';') /* "filename=" also ends in "name=" */
    p = find(p + 1, hlen - (size_t)(p + 1 - h), key, strlen(key));
  if (!p) return NULL;
  p += strlen(key);
  const char *e = memchr(p, '"', hlen - (size_t)(p - h));
  return e ? xstrndup(p, (size_t)(e - p)) : NULL;
}

int parse_multipart(const char *body, size_t len, const char *boundary, struct kv **fields, int *nfields,
                    struct upload **files, int *nfiles) {
  *fields = NULL;
  *files = NULL;
  *nfields = *nfiles = 0;
  if (!boundary || !*boundary || strlen(boundary) > 200) return -1;
  char delim[220];
  snprintf(delim, sizeof delim, "--%s", boundary);
  size_t dl = strlen(delim);
  const char *p = find(body, len, delim, dl);
  if (!p) return -1;
  const char *end = body + len;
  for (int parts = 0;; parts++) {
    p += dl;
    if (end - p >= 2 && p[0] == '-' && p[1] == '-') return 0; /* the closing delimiter */
    if (parts == 64 || end - p < 2 || p[0] != '\r' || p[1] != '\n') break;
    p += 2;
    const char *hend = find(p, (size_t)(end - p), "\r\n\r\n", 4);
    if (!hend) break;
    char *name = disposition_param(p, (size_t)(hend - p), "name");
    char *filename = disposition_param(p, (size_t)(hend - p), "filename");
    const char *data = hend + 4;
    char next[224];
    snprintf(next, sizeof next, "\r\n%s", delim);
    const char *dend = find(data, (size_t)(end - data), next, strlen(next));
    if (!name || !dend) {
      free(name);
      free(filename);
      break;
    }
    if (filename) {
      *files = xrealloc(*files, sizeof **files * (size_t)(*nfiles + 1));
      (*files)[*nfiles] =
          (struct upload){name, filename, xstrndup(data, (size_t)(dend - data)), (size_t)(dend - data)};
      (*nfiles)++;
    } else {
      *fields = xrealloc(*fields, sizeof **fields * (size_t)(*nfields + 1));
      (*fields)[*nfields] = (struct kv){name, xstrndup(data, (size_t)(dend - data))};
      (*nfields)++;
    }
    p = dend + 2;
  }
  kv_free(*fields, *nfields);
  uploads_free(*files, *nfiles);
  *fields = NULL;
  *files = NULL;
  *nfields = *nfiles = 0;
  return -1;
}

void uploads_free(struct upload *u, int n) {
  for (int i = 0; i < n; i++) {
    free(u[i].field);
    free(u[i].filename);
    free(u[i].data);
  }
  free(u);
}

void resp_mark_cached(struct response *resp, int64_t service, const char *key, int64_t token, size_t off,
                      size_t len) {
  if (!resp->cached_len && len && off <= resp->body.len && len <= resp->body.len - off &&
      strlen(key) < sizeof resp->cached_key) {
    resp->cached_off = off;
    resp->cached_len = len;
    resp->cached_service = service;
    resp->cached_token = token;
    snprintf(resp->cached_key, sizeof resp->cached_key, "%s", key);
  }
}

void resp_append_cached(struct response *resp, int64_t service, const char *key, int64_t token,
                        const char *text, size_t len) {
  size_t off = resp->body.len;
  buf_append(&resp->body, text, len);
  resp_mark_cached(resp, service, key, token, off, len);
}
