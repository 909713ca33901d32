/* SPDX-License-Identifier: EUPL-1.2 */
#include "render/qr.h"

#include <qrencode.h>

#include "render/html.h"

int qr_svg(struct buf *b, const char *text, const char *label, int size) {
  QRcode *qr = QRcode_encodeString(text ? text : "", 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!qr) return -1;
  int w = qr->width, box = w + 8;
  buf_printf(b,
             "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
             "height=\"%d\" role=\"img\" shape-rendering=\"crispEdges\" aria-label=\"",
             box, box, size, size);
  html_attr(b, label ? label : "");
  buf_printf(b, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"", box, box);
  for (int y = 0; y < w; y++)
    for (int x = 0; x < w; x++)
      if (qr->data[y * w + x] & 1) buf_printf(b, "M%d %dh1v1h-1z", x + 4, y + 4);
  html_raw(b, "\"/></svg>");
  QRcode_free(qr);
  return 0;
}
