/* SPDX-License-Identifier: EUPL-1.2 */
/* QR codes (libqrencode) drawn as SVG: the second factor's setup page and the surveys'
   links. */
#ifndef BEREIK_QR_H
#define BEREIK_QR_H

#include "core/buf.h"

/* Appends the QR code of text (error correction M, 8-bit mode) as one <svg> element: a
   white square and one path of the dark modules, with a quiet zone of 4 modules, size
   CSS pixels wide and high, class "qr", role img and label (escaped) as its accessible
   name. The element carries its namespace, so it is also a whole SVG file. Returns 0,
   or -1 (nothing appended) when text does not fit in a QR code. */
int qr_svg(struct buf *b, const char *text, const char *label, int size);

#endif
