/* SPDX-License-Identifier: EUPL-1.2 */
#include "core/seclog.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"

static _Thread_local char req_id[40];
static _Thread_local char req_ip[64];
static int out_fd = 2;

void seclog_set_fd(int fd) { out_fd = fd; }

void seclog_begin_request(const char *request_id, const char *client_ip) {
  snprintf(req_id, sizeof req_id, "%s", request_id ? request_id : "");
  snprintf(req_ip, sizeof req_ip, "%s", client_ip ? client_ip : "");
}

void seclog_end_request(void) {
  req_id[0] = 0;
  req_ip[0] = 0;
}

const char *seclog_request_id(void) { return req_id; }

/* A JSON string: quotes, backslash and every control character escaped; bytes >= 0x80
   are copied (the callers pass UTF-8 or ASCII; an invalid byte is replaced by '?'). */
static void json_str(struct buf *b, const char *s) {
  buf_putc(b, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    unsigned char c = *p;
    if (c == '"' || c == '\\') {
      buf_putc(b, '\\');
      buf_putc(b, (char)c);
    } else if (c < 0x20 || c == 0x7f) {
      buf_printf(b, "\\u%04x", c);
    } else if (c >= 0x80) {
      /* keep a well-formed UTF-8 sequence, replace anything else */
      int n = (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
      int ok = n > 0;
      for (int i = 1; ok && i <= n; i++) ok = (p[i] & 0xc0) == 0x80;
      if (!ok) {
        buf_putc(b, '?');
        continue;
      }
      buf_append(b, (const char *)p, (size_t)n + 1);
      p += n;
    } else {
      buf_putc(b, (char)c);
    }
  }
  buf_putc(b, '"');
}

void seclog_event_list(const char *event, ...) {
  struct buf b = {0};
  char ts[40];
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  struct tm tm;
  gmtime_r(&now.tv_sec, &tm);
  strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
  buf_printf(&b, "{\"ts\":\"%s.%03ldZ\",\"event\":", ts, now.tv_nsec / 1000000);
  json_str(&b, event);
  if (req_id[0]) {
    buf_puts(&b, ",\"request_id\":");
    json_str(&b, req_id);
  }
  if (req_ip[0]) {
    buf_puts(&b, ",\"ip\":");
    json_str(&b, req_ip);
  }
  va_list ap;
  va_start(ap, event);
  for (;;) {
    const char *k = va_arg(ap, const char *);
    if (!k) break;
    const char *v = va_arg(ap, const char *);
    buf_printf(&b, ",\"%s\":", k);
    if (v)
      json_str(&b, v);
    else
      buf_puts(&b, "null");
  }
  va_end(ap);
  buf_puts(&b, "}\n");
  const char *s = buf_str(&b);
  size_t len = b.len, off = 0;
  while (off < len) {
    ssize_t w = write(out_fd, s + off, len - off);
    if (w <= 0) break;
    off += (size_t)w;
  }
  buf_free(&b);
}
