/* SPDX-License-Identifier: EUPL-1.2 */
/* The security event log: one JSON object per line on standard error (journald under
   systemd), for logins, logouts, throttling, tokens, second factors, passwords, refusals
   (403) and server errors (5xx). Every line carries the time (UTC, RFC 3339), the event
   name and, inside a request, its request id and client address. */
#ifndef BEREIK_SECLOG_H
#define BEREIK_SECLOG_H

/* The current thread's request context (copied); NULL clears a field. */
void seclog_begin_request(const char *request_id, const char *client_ip);
void seclog_end_request(void);
/* The current thread's request id ("" outside a request). */
const char *seclog_request_id(void);

/* Writes one line: {"ts":..,"event":EVENT,"request_id":..,"ip":..,KEY:VALUE,...}.
   The arguments after EVENT are key, value string pairs; the macro ends the list, so
   callers never write a sentinel. A NULL value is written as null. Keys must be literals
   of [a-z_]. Thread-safe; the line is written in one write(2) so lines of concurrent
   threads never interleave. */
void seclog_event_list(const char *event, ...);
#define seclog_event(...) seclog_event_list(__VA_ARGS__, (const char *)NULL)

/* Where the lines go (default: standard error); for tests. */
void seclog_set_fd(int fd);

#endif
