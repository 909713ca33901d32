/* SPDX-License-Identifier: EUPL-1.2 */
/* The web app's static files (src/web/static), embedded at build time by
   cmake/embed_assets.cmake: the stylesheet and script joined from their parts, the
   service worker, the manifest and the icons. */
#ifndef BEREIK_ASSETS_H
#define BEREIK_ASSETS_H

#include <stddef.h>

struct asset {
  const char *name;   /* app.css */
  const char *hashed; /* app.1a2b3c4d5e6f.css: served as immutable */
  const char *sha256; /* hex, of the content */
  const char *content_type;
  const unsigned char *data;
  size_t len;
};

extern const struct asset assets[];
extern const int n_assets;

/* The asset called NAME, by its plain or its hashed name (*hashed set to 1 for the
   latter); NULL when there is none. */
const struct asset *asset_find(const char *name, int *hashed);

/* The path a page links, /static/<hashed name>, of the asset called NAME (plain name);
   "/static/NAME" when there is none. */
const char *asset_url(const char *name);

/* The gzip form of the asset (made once, on first use; NULL when it does not pay). */
const unsigned char *asset_gzip(const struct asset *a, size_t *len);

#endif
