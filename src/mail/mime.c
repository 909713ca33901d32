/* SPDX-License-Identifier: EUPL-1.2 */
#include "mail/mime.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/bounds.h"

static int special(unsigned char c) { return c && strchr("()<>[]:;,\\\"@", c) != NULL; }

int mail_addr_ok(const char *s) {
  if (!s) return 0;
  size_t n = strlen(s);
  const char *at = strchr(s, '@');
  if (n < 3 || n > MAIL_ADDR_MAX || !at || strchr(at + 1, '@')) return 0;
  size_t local = (size_t)(at - s);
  if (local == 0 || local > 64 || s[0] == '.' || at[-1] == '.') return 0;
  for (const char *p = s; p < at; p++) {
    unsigned char c = (unsigned char)*p;
    if (c < 33 || c > 126 || special(c)) return 0;
    if (c == '.' && p[1] == '.') return 0;
  }
  const char *d = at + 1;
  if (!*d || *d == '.' || *d == '-') return 0;
  size_t label = 0;
  for (const char *p = d; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '.') {
      if (label == 0 || p[-1] == '-') return 0;
      label = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
      if (++label > 63) return 0;
    } else {
      return 0;
    }
  }
  return label > 0 && s[n - 1] != '-';
}

int mail_subject_ok(const char *s) {
  size_t chars = 0;
  return s && *s && bounds_text(s, MAIL_SUBJECT_MAX, 0, &chars) == TEXT_OK && chars > 0;
}

static const char hexd[] = "0123456789ABCDEF";

void mime_qp(struct buf *out, const char *text, size_t n) {
  size_t col = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '\r' && i + 1 < n && text[i + 1] == '\n') continue;
    if (c == '\n') {
      buf_append(out, "\r\n", 2);
      col = 0;
      continue;
    }
    int at_end =
        i + 1 == n || text[i + 1] == '\n' || (text[i + 1] == '\r' && i + 2 < n && text[i + 2] == '\n');
    char enc[3];
    size_t w;
    if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end)) {
      enc[0] = (char)c;
      w = 1;
    } else {
      enc[0] = '=';
      enc[1] = hexd[c >> 4];
      enc[2] = hexd[c & 15];
      w = 3;
    }
    /* a soft break "=" must fit too, unless this is the line's last character */
    size_t room = at_end ? MIME_LINE_MAX : MIME_LINE_MAX - 1;
    if (col + w > room) {
      buf_append(out, "=\r\n", 3);
      col = 0;
    }
    buf_append(out, enc, w);
    col += w;
  }
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of n bytes without line breaks. */
static void b64_raw(struct buf *out, const unsigned char *d, size_t n) {
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)d[i] << 16;
    if (i + 1 < n) v |= (unsigned)d[i + 1] << 8;
    if (i + 2 < n) v |= d[i + 2];
    char q[4] = {b64[(v >> 18) & 63], b64[(v >> 12) & 63], i + 1 < n ? b64[(v >> 6) & 63] : '=',
                 i + 2 < n ? b64[v & 63] : '='};
    buf_append(out, q, 4);
  }
}

void mime_base64(struct buf *out, const unsigned char *data, size_t n) {
  const size_t per_line = (size_t)MIME_LINE_MAX / 4 * 3; /* 57 bytes -> 76 characters */
  for (size_t i = 0; i < n; i += per_line) {
    b64_raw(out, data + i, n - i < per_line ? n - i : per_line);
    buf_append(out, "\r\n", 2);
  }
}

void mime_header_text(struct buf *out, const char *name, const char *value) {
  size_t nlen = strlen(name), vlen = strlen(value);
  int plain = 1;
  for (size_t i = 0; i < vlen; i++)
    if ((unsigned char)value[i] < 32 || (unsigned char)value[i] > 126) plain = 0;
  /* a plain value that looks like an encoded word is encoded too, so it reads as written */
  if (strstr(value, "=?")) plain = 0;
  buf_append(out, name, nlen);
  buf_append(out, ":", 1);
  if (plain && nlen + 2 + vlen <= 78) {
    buf_append(out, " ", 1);
    buf_append(out, value, vlen);
    buf_append(out, "\r\n", 2);
    return;
  }
  /* encoded words of at most 42 bytes of text: 56 base64 characters, 68 in all, so that
     even "Subject: " and a word stay within 78 */
  size_t i = 0;
  int first = 1;
  while (i < vlen) {
    size_t take = vlen - i < 42 ? vlen - i : 42;
    /* never end inside a UTF-8 sequence: back off over continuation bytes */
    while (take > 0 && i + take < vlen && ((unsigned char)value[i + take] & 0xC0) == 0x80) take--;
    if (take == 0) take = vlen - i < 42 ? vlen - i : 42; /* invalid UTF-8: split anyway */
    buf_puts(out, first ? " =?UTF-8?B?" : "\r\n =?UTF-8?B?");
    b64_raw(out, (const unsigned char *)value + i, take);
    buf_append(out, "?=", 2);
    i += take;
    first = 0;
  }
  buf_append(out, "\r\n", 2);
}

void mime_date(time_t t, char out[40]) {
  static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  struct tm tm;
  gmtime_r(&t, &tm);
  snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", wd[tm.tm_wday % 7], tm.tm_mday,
           mo[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void random_hex(char *out, size_t bytes) {
  unsigned char r[32];
  if (bytes > sizeof r) bytes = sizeof r;
  randombytes_buf(r, bytes);
  for (size_t i = 0; i < bytes; i++) {
    out[2 * i] = "0123456789abcdef"[r[i] >> 4];
    out[2 * i + 1] = "0123456789abcdef"[r[i] & 15];
  }
  out[2 * bytes] = 0;
}

void mime_message_id(const char *from, char *out, size_t n) {
  char a[33];
  random_hex(a, 12);
  const char *at = from ? strchr(from, '@') : NULL;
  snprintf(out, n, "<%s@%s>", a, at && at[1] ? at + 1 : "bereik.invalid");
}

static void part_text(struct buf *out, const char *boundary, const char *type, const char *body) {
  buf_printf(out,
             "--%s\r\nContent-Type: %s; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
             boundary, type);
  mime_qp(out, body, strlen(body));
  buf_append(out, "\r\n", 2);
}

int mime_build(const struct mail_message *m, struct buf *out, char *err, size_t errlen) {
  if (!mail_addr_ok(m->from)) {
    snprintf(err, errlen, "the sender address is not a plain address (local@domain) without line breaks");
    return -1;
  }
  if (!mail_addr_ok(m->to)) {
    snprintf(err, errlen, "the recipient address is not a plain address (local@domain) without line breaks");
    return -1;
  }
  if (!mail_subject_ok(m->subject)) {
    snprintf(err, errlen,
             "the subject must be 1 to %d characters of UTF-8 without line breaks or control "
             "characters",
             MAIL_SUBJECT_MAX);
    return -1;
  }
  if (m->from_name)
    for (const char *p = m->from_name; *p; p++)
      if (*p < 32 || *p > 126 || strchr("\"\\", *p)) {
        snprintf(err, errlen, "the sender's name must be printable ASCII without quotes");
        return -1;
      }
  if (!m->message_id || strpbrk(m->message_id, "\r\n") || strlen(m->message_id) > 300) {
    snprintf(err, errlen, "bad Message-ID");
    return -1;
  }
  if (m->attachment &&
      (!m->attachment_name || !m->attachment_type ||
       strspn(m->attachment_name, "abcdefghijklmnopqrstuvwxyz0123456789-_.") != strlen(m->attachment_name) ||
       strspn(m->attachment_type, "abcdefghijklmnopqrstuvwxyz0123456789-+./") !=
           strlen(m->attachment_type))) {
    snprintf(err, errlen, "the attachment's name and type must be lower-case letters, digits and -_.");
    return -1;
  }
  char date[40], alt[48], mixed[48], seed[33];
  mime_date(m->date, date);
  if (m->boundary_seed && strlen(m->boundary_seed) <= 32 &&
      strspn(m->boundary_seed, "0123456789abcdef") == strlen(m->boundary_seed))
    snprintf(seed, sizeof seed, "%s", m->boundary_seed);
  else
    random_hex(seed, 16);
  /* "=_" never occurs in quoted-printable or base64 text */
  snprintf(alt, sizeof alt, "=_alt_%s", seed);
  snprintf(mixed, sizeof mixed, "=_mix_%s", seed);
  buf_printf(out, "Date: %s\r\n", date);
  if (m->from_name && *m->from_name)
    buf_printf(out, "From: \"%s\" <%s>\r\n", m->from_name, m->from);
  else
    buf_printf(out, "From: <%s>\r\n", m->from);
  buf_printf(out, "To: <%s>\r\n", m->to);
  mime_header_text(out, "Subject", m->subject);
  buf_printf(out, "Message-ID: %s\r\n", m->message_id);
  buf_printf(out, "MIME-Version: 1.0\r\n");
  if (m->lang) buf_printf(out, "Content-Language: %s\r\n", m->lang);
  buf_puts(out, "Auto-Submitted: auto-generated\r\n");
  if (m->attachment)
    buf_printf(out, "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n--%s\r\n", mixed, mixed);
  buf_printf(out, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n", alt);
  part_text(out, alt, "text/plain", m->text ? m->text : "");
  part_text(out, alt, "text/html", m->html ? m->html : "");
  buf_printf(out, "--%s--\r\n", alt);
  if (m->attachment) {
    buf_printf(out,
               "\r\n--%s\r\nContent-Type: %s;\r\n name=\"%s\"\r\nContent-Disposition: attachment;\r\n "
               "filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
               mixed, m->attachment_type, m->attachment_name, m->attachment_name);
    mime_base64(out, m->attachment, m->attachment_len);
    buf_printf(out, "--%s--\r\n", mixed);
  }
  return 0;
}
