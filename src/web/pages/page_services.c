/* SPDX-License-Identifier: EUPL-1.2 */
/* Services (docs/SERVICES.md): the answer for a host that names no service or a
   suspended one. */
#include "core/buf.h"
#include "render/html.h"
#include "render/words.h"
#include "web/pages/pages.h"

void page_service_refused(struct request *r, struct response *resp) {
  int status = resp->status;
  buf_reset(&resp->body);
  page_begin(r, resp, T(r, status == 404 ? W_service_unknown : W_service_suspended));
  html_raw(&resp->body, "<p id=\"service-refused\">");
  html_text(&resp->body, T(r, status == 404 ? W_service_unknown_why : W_service_suspended_why));
  html_raw(&resp->body, "</p>");
  page_end(r, resp);
  resp->status = status;
  if (status == 503) resp->retry_after = 3600;
}
