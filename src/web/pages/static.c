/* SPDX-License-Identifier: EUPL-1.2 */
/* The static files (src/web/static, embedded by cmake/embed_assets.cmake): under their
   hashed names cached for a year as immutable, under their plain names revalidated
   (ETag); sent gzip-compressed to browsers that accept it. No CDN, no external files. */
#include <stdio.h>
#include <string.h>

#include "render/assets.h"
#include "web/pages/pages.h"

void page_static(struct request *r, struct response *resp) {
  const char *name = r->path + strlen("/static/");
  int hashed = 0;
  const struct asset *a = asset_find(name, &hashed);
  if (!a) {
    resp->status = 404;
    resp->content_type = "text/plain; charset=utf-8";
    buf_puts(&resp->body, "not found\n");
    return;
  }
  snprintf(resp->etag, sizeof resp->etag, "\"%.64s\"", a->sha256);
  resp->cache_control = hashed ? "public, max-age=31536000, immutable" : "no-cache";
  resp->content_type = a->content_type;
  if (r->if_none_match && strstr(r->if_none_match, resp->etag)) {
    resp->status = 304;
    return;
  }
  size_t gz_len = 0;
  const unsigned char *gz = r->accept_gzip ? asset_gzip(a, &gz_len) : NULL;
  if (gz) {
    buf_append(&resp->body, (const char *)gz, gz_len);
    resp->content_encoding = "gzip";
  } else {
    buf_append(&resp->body, (const char *)a->data, a->len);
  }
  resp->vary_encoding = 1;
}
