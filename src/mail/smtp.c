/* SPDX-License-Identifier: EUPL-1.2 */
#include "mail/smtp.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int smtp_config_url(struct smtp_config *c, const char *url, char *err, size_t errlen) {
  size_t n = url ? strlen(url) : 0;
  const char *host = NULL;
  if (n && n <= 500 && !strncmp(url, "smtp://", 7)) host = url + 7;
  if (n && n <= 500 && !strncmp(url, "smtps://", 8)) host = url + 8;
  if (!host || !*host) {
    snprintf(err, errlen, "the SMTP server '%.100s' must be a URL smtp://HOST[:PORT] or smtps://HOST[:PORT]",
             url ? url : "");
    return -1;
  }
  size_t hl = strcspn(host, "/?#@");
  if (host[hl] == '@' || host[hl] == '?' || host[hl] == '#' || (host[hl] == '/' && host[hl + 1]) ||
      strpbrk(host, " \t\r\n")) {
    snprintf(
        err, errlen,
        "the SMTP server '%.100s': only a host and a port (credentials go into the smtp-credentials file)",
        url);
    return -1;
  }
  snprintf(c->url, sizeof c->url, "%s", url);
  return 0;
}

int smtp_config_credentials(struct smtp_config *c, const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "%s: cannot read the SMTP credentials file", path);
    return -1;
  }
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || (st.st_mode & 007)) {
    fclose(f);
    snprintf(err, errlen, "%s: the SMTP credentials file must not be readable by others (chmod 0600)", path);
    return -1;
  }
  char user[sizeof c->user + 2] = "", pw[sizeof c->password + 2] = "";
  int ok = fgets(user, sizeof user, f) && fgets(pw, sizeof pw, f);
  fclose(f);
  user[strcspn(user, "\r\n")] = 0;
  size_t pl = strcspn(pw, "\r\n");
  int whole = pw[pl] != 0 || strlen(pw) < sizeof pw - 1;
  pw[pl] = 0;
  if (!ok || !*user || !*pw || strlen(user) >= sizeof c->user || strlen(pw) >= sizeof c->password || !whole) {
    snprintf(err, errlen,
             "%s: expected the user name on the first line and the password on the second (each at most %zu "
             "bytes)",
             path, sizeof c->user - 1);
    memset(pw, 0, sizeof pw);
    return -1;
  }
  memcpy(c->user, user, strlen(user) + 1); /* both checked shorter than the fields */
  memcpy(c->password, pw, strlen(pw) + 1);
  memset(pw, 0, sizeof pw);
  return 0;
}

struct reader {
  const char *data;
  size_t len, pos;
};

static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *ud) {
  struct reader *r = ud;
  size_t room = size * nmemb, left = r->len - r->pos;
  size_t n = left < room ? left : room;
  memcpy(ptr, r->data + r->pos, n);
  r->pos += n;
  return n;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

/* The host part of the URL is the loopback address itself (a name is not trusted to be). */
static int loopback(const char *url) {
  const char *h = strstr(url, "://");
  h = h ? h + 3 : url;
  static const char *const names[] = {"127.0.0.1", "[::1]"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    size_t n = strlen(names[i]);
    if (!strncmp(h, names[i], n) && (h[n] == 0 || h[n] == ':' || h[n] == '/')) return 1;
  }
  return 0;
}

int smtp_send(const struct smtp_config *c, const char *from, const char *to, const char *data, size_t len,
              char *err, size_t errlen) {
  pthread_once(&curl_once, curl_init_once);
  CURL *curl = curl_easy_init();
  if (!curl) {
    snprintf(err, errlen, "libcurl could not start");
    return -1;
  }
  char from_path[300], errbuf[CURL_ERROR_SIZE] = "";
  snprintf(from_path, sizeof from_path, "<%s>", from);
  char to_path[300];
  snprintf(to_path, sizeof to_path, "<%s>", to);
  struct curl_slist *rcpt = curl_slist_append(NULL, to_path);
  struct reader rd = {data, len, 0};
  curl_easy_setopt(curl, CURLOPT_URL, c->url);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from_path);
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt(curl, CURLOPT_READDATA, &rd);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, SMTP_TIMEOUT_SECONDS);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, SMTP_CONNECT_SECONDS);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!strncmp(c->url, "smtp://", 7))
    curl_easy_setopt(curl, CURLOPT_USE_SSL,
                     c->starttls && !loopback(c->url) ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
  if (c->user[0]) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, c->user);
    curl_easy_setopt(curl, CURLOPT_PASSWORD, c->password);
  }
  CURLcode rc = curl_easy_perform(curl);
  if (rc != CURLE_OK) {
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    if (code)
      snprintf(err, errlen, "SMTP %ld: %s", code, errbuf[0] ? errbuf : curl_easy_strerror(rc));
    else
      snprintf(err, errlen, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
  }
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  return rc == CURLE_OK ? 0 : -1;
}
