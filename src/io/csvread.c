/* SPDX-License-Identifier: EUPL-1.2 */
#include "io/csvread.h"

#include <csv.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/util.h"

struct state {
  csv_record_fn fn;
  void *data;
  struct buf cells; /* cell bytes, each NUL-terminated */
  size_t *offs;
  size_t n, cap;
  long line;     /* physical line being fed */
  long rec_line; /* line on which the current record started */
  int stop;
};

static void on_field(void *s, size_t len, void *data) {
  struct state *st = data;
  grow_array((void **)&st->offs, &st->cap, st->n + 1, sizeof *st->offs);
  st->offs[st->n++] = st->cells.len;
  buf_append(&st->cells, s ? s : "", s ? len : 0);
  buf_putc(&st->cells, 0);
}

static void on_record(int c, void *data) {
  (void)c;
  struct state *st = data;
  if (st->stop) {
    st->n = 0;
    buf_reset(&st->cells);
    return;
  }
  const char *stack[64];
  const char **cells = st->n <= 64 ? stack : xmalloc(st->n * sizeof *cells);
  for (size_t i = 0; i < st->n; i++) cells[i] = st->cells.data + st->offs[i];
  struct csv_record rec = {cells, st->n, st->rec_line};
  if (st->fn(&rec, st->data)) st->stop = 1;
  if (cells != stack) free(cells);
  st->n = 0;
  buf_reset(&st->cells);
}

/* Nothing is trimmed by the parser: codes and numbers are trimmed by their readers,
   free text keeps its spaces so that a dataset round-trips exactly. */
static int no_space(unsigned char c) {
  (void)c;
  return 0;
}

char csv_detect_delim(const char *line, size_t len) {
  int commas = 0, semis = 0, quoted = 0;
  for (size_t i = 0; i < len && line[i] != '\n' && line[i] != '\r'; i++) {
    if (line[i] == '"')
      quoted = !quoted;
    else if (!quoted && line[i] == ',')
      commas++;
    else if (!quoted && line[i] == ';')
      semis++;
  }
  return semis > commas ? ';' : ',';
}

int csv_read_mem(const char *bytes, size_t len, csv_record_fn fn, void *data, struct csv_info *info,
                 long *err_line, char *err, size_t errlen) {
  struct csv_info local;
  if (!info) info = &local;
  crypto_hash_sha256(info->sha256, (const unsigned char *)bytes, len);
  if (len >= 3 && (unsigned char)bytes[0] == 0xEF && (unsigned char)bytes[1] == 0xBB &&
      (unsigned char)bytes[2] == 0xBF) {
    bytes += 3;
    len -= 3;
  }
  info->delim = csv_detect_delim(bytes, len);
  struct csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    snprintf(err, errlen, "cannot start the CSV parser");
    *err_line = 0;
    return -1;
  }
  csv_set_delim(&p, (unsigned char)info->delim);
  csv_set_space_func(&p, no_space);
  struct state st = {.fn = fn, .data = data, .line = 0, .rec_line = 1};
  int rc = 0;
  size_t pos = 0;
  while (pos < len && !st.stop) {
    const char *nl = memchr(bytes + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - bytes) + 1 : len;
    st.line++;
    /* pstate 0 is libcsv's ROW_NOT_BEGUN: this line starts a new record. */
    if (p.pstate == 0) st.rec_line = st.line;
    if (csv_parse(&p, bytes + pos, end - pos, on_field, on_record, &st) != end - pos) {
      snprintf(err, errlen, "%s",
               csv_error(&p) == CSV_EPARSE ? "malformed quoting" : csv_strerror(csv_error(&p)));
      *err_line = st.rec_line;
      rc = -1;
      break;
    }
    pos = end;
  }
  if (rc == 0 && !st.stop && csv_fini(&p, on_field, on_record, &st) != 0) {
    snprintf(err, errlen, "unterminated quoted field");
    *err_line = st.rec_line;
    rc = -1;
  }
  csv_free(&p);
  buf_free(&st.cells);
  free(st.offs);
  return rc;
}

int csv_read_file(const char *path, csv_record_fn fn, void *data, struct csv_info *info, long *err_line,
                  char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "cannot open: %s", strerror(errno));
    *err_line = 0;
    return -1;
  }
  struct buf b = {0};
  struct stat sb;
  if (fstat(fileno(f), &sb) == 0 && sb.st_size > 0) {
    /* one allocation of the file's size instead of doublings */
    b.data = xmalloc((size_t)sb.st_size + 1);
    b.cap = (size_t)sb.st_size + 1;
    b.data[0] = 0;
  }
  char chunk[1 << 16];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, n);
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    buf_free(&b);
    snprintf(err, errlen, "cannot read the file");
    *err_line = 0;
    return -1;
  }
  int rc = csv_read_mem(buf_str(&b), b.len, fn, data, info, err_line, err, errlen);
  buf_free(&b);
  return rc;
}
