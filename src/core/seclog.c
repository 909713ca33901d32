/* SPDX-License-Identifier: EUPL-1.2 */
#include "core/seclog.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/escape.h"

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

void seclog_event_list(const char *event, ...) {
  struct buf b = {0};
  char ts[40];
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  struct tm tm;
  gmtime_r(&now.tv_sec, &tm);
  strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
  buf_printf(&b, "{\"ts\":\"%s.%03ldZ\",\"event\":", ts, now.tv_nsec / 1000000);
  escape_json(&b, event);
  if (req_id[0]) {
    buf_puts(&b, ",\"request_id\":");
    escape_json(&b, req_id);
  }
  if (req_ip[0]) {
    buf_puts(&b, ",\"ip\":");
    escape_json(&b, req_ip);
  }
  va_list ap;
  va_start(ap, event);
  for (;;) {
    const char *k = va_arg(ap, const char *);
    if (!k) break;
    const char *v = va_arg(ap, const char *);
    buf_printf(&b, ",\"%s\":", k);
    if (v)
      escape_json(&b, v);
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
