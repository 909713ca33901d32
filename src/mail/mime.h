/* SPDX-License-Identifier: EUPL-1.2 */
/* Internet messages (RFC 5322) with MIME (RFC 2045-2047): a multipart/alternative of a
   plain-text and an HTML part, both UTF-8 in quoted-printable, wrapped in a
   multipart/mixed with one base64 attachment when there is one. Every line ends in CRLF
   and is at most 78 characters (the encoders keep to 76). Addresses and subjects are
   checked before they go into a header: a CR, LF or other control character, a bad
   address or invalid UTF-8 is refused (no header injection). */
#ifndef BEREIK_MIME_H
#define BEREIK_MIME_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/buf.h"

#define MAIL_ADDR_MAX 254    /* RFC 5321 path limit */
#define MAIL_SUBJECT_MAX 200 /* characters */
#define MIME_LINE_MAX 76     /* encoded body lines and encoded words */

/* 1 when s is a plain address local@domain that may go into a header and the SMTP
   envelope: 3..MAIL_ADDR_MAX bytes, one '@', a local part of at most 64 printable ASCII
   characters without blanks, quotes and the specials ()<>[]:;,\", a domain of letters,
   digits, '-' and '.' (dot-separated labels, not empty). Anything else, CR and LF above
   all, gives 0. */
int mail_addr_ok(const char *s);
/* 1 when s may be a subject: valid UTF-8, no control character (CR, LF, tab...), 1 to
   MAIL_SUBJECT_MAX characters. */
int mail_subject_ok(const char *s);

/* Quoted-printable (RFC 2045 6.7) of text: '\n' (or "\r\n") becomes a hard CRLF line end,
   '=' and bytes outside 33..126 are written =XX (a space or tab only at a line end),
   soft line breaks keep each line at most MIME_LINE_MAX characters. */
void mime_qp(struct buf *out, const char *text, size_t n);
/* Base64 (RFC 2045 6.8) in lines of MIME_LINE_MAX characters, each ending in CRLF. */
void mime_base64(struct buf *out, const unsigned char *data, size_t n);
/* The header field "Name: value" with its CRLF: the value as is when it is printable
   ASCII and the line fits in 78 characters, else as RFC 2047 encoded words
   (=?UTF-8?B?...?=, at most 42 bytes of text each, never splitting a UTF-8 sequence),
   folded onto continuation lines that start with a space. */
void mime_header_text(struct buf *out, const char *name, const char *value);
/* The date as RFC 5322 writes it, in UTC: "Sun, 06 Dec 2026 07:00:00 +0000". */
void mime_date(time_t t, char out[40]);

struct mail_message {
  const char *from, *to;  /* checked addresses (mail_addr_ok) */
  const char *from_name;  /* display name of the sender, printable ASCII; may be NULL */
  const char *subject;    /* UTF-8 */
  const char *text;       /* the plain-text part, UTF-8, '\n' line ends */
  const char *html;       /* the HTML part, a whole document */
  const char *message_id; /* "<...@...>" */
  time_t date;
  const char *lang;                /* Content-Language: "nl-BE" or "en" */
  const unsigned char *attachment; /* NULL: none */
  size_t attachment_len;
  const char *attachment_name, *attachment_type; /* "dashboard.pdf", "application/pdf" */
  const char *boundary_seed; /* makes the boundaries (hex, from the caller's random bytes) */
};
/* The whole message into out. Returns 0, or -1 with a message naming what was refused. */
int mime_build(const struct mail_message *m, struct buf *out, char *err, size_t errlen);

/* A Message-ID "<hex@domain>": 12 random bytes (libsodium) in hex and the domain of the
   sender address (the header line stays within 78 characters for a domain of up to 39).
   out: at least MAIL_ADDR_MAX + 32 bytes. */
void mime_message_id(const char *from, char *out, size_t n);

#endif
