/* SPDX-License-Identifier: EUPL-1.2 */
/* Sending a message through libcurl's SMTP client (no SMTP of our own). The server is a
   URL: smtps://host[:port] (TLS from the start) or smtp://host[:port] (STARTTLS, required
   unless the host is the loopback address 127.0.0.1 or [::1], or starttls is
   switched off explicitly). Certificates are always verified. A user name and password,
   when the server wants them, come from a file (never from the command line); the
   password is never written to a log or a message. */
#ifndef BEREIK_SMTP_H
#define BEREIK_SMTP_H

#include <stddef.h>

#define SMTP_TIMEOUT_SECONDS 30L /* the whole transfer of one message */
#define SMTP_CONNECT_SECONDS 10L

struct smtp_config {
  char url[512];      /* smtp://... or smtps://... */
  char user[256];     /* "" = no authentication */
  char password[256]; /* never logged */
  int starttls;       /* 1 required (the default), 0 off (only a local relay) */
};

/* Checks url (scheme smtp or smtps, a host, an optional port, no path, user or query,
   at most 500 bytes) and copies it into c. 0, or -1 with a message. */
int smtp_config_url(struct smtp_config *c, const char *url, char *err, size_t errlen);
/* Reads the credentials file: the user name on the first line, the password on the
   second. It must not be readable by others than its owner (mode 0600 or 0640).
   0, or -1 with a message naming the file (never its contents). */
int smtp_config_credentials(struct smtp_config *c, const char *path, char *err, size_t errlen);

/* Sends the message data (CRLF lines, as mime_build writes it) from `from` to the one
   recipient `to`. 0, or -1 with the server's or libcurl's reason in err. */
int smtp_send(const struct smtp_config *c, const char *from, const char *to, const char *data, size_t len,
              char *err, size_t errlen);

#endif
