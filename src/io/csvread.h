/* SPDX-License-Identifier: EUPL-1.2 */
/* Streaming CSV reading on libcsv: UTF-8 with an optional BOM, ',' or ';' detected from
   the header line, RFC 4180 quoting, CRLF or LF. Each record is handed to a callback
   with the physical line on which it starts (the header is line 1). */
#ifndef BEREIK_CSVREAD_H
#define BEREIK_CSVREAD_H

#include <stddef.h>

struct csv_record {
  const char **cells; /* NUL-terminated, untrimmed */
  size_t n;
  long line;
};

/* Returns 0 to go on, non-zero to stop. */
typedef int (*csv_record_fn)(const struct csv_record *rec, void *data);

struct csv_info {
  char delim;
  unsigned char sha256[32]; /* of the file's bytes */
};

/* Reads path, calling fn for the header and every record. On a read or syntax error
   returns -1 and writes "LINE: message" style text to err (line in *err_line). */
int csv_read_file(const char *path, csv_record_fn fn, void *data, struct csv_info *info, long *err_line,
                  char *err, size_t errlen);
/* Same, from memory (for tests and uploads). */
int csv_read_mem(const char *bytes, size_t len, csv_record_fn fn, void *data, struct csv_info *info,
                 long *err_line, char *err, size_t errlen);

/* Delimiter of a header line: ';' when it has more semicolons than commas outside
   quotes, else ','. */
char csv_detect_delim(const char *line, size_t len);

#endif
