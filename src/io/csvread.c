/* SPDX-License-Identifier: EUPL-1.2 */
#include "io/csvread.h"

#include <csv.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* A read in pieces: the file's hash, the parser and the physical line count go on
   across pieces, so a file is read in chunks of a fixed size whatever its length. */
struct reader {
  crypto_hash_sha256_state hash;
  struct csv_parser p;
  struct state st;
  struct csv_info *info;
  int started;    /* the first bytes (BOM, delimiter) are seen */
  int line_start; /* the next byte begins a physical line */
  int failed;
};

static int reader_init(struct reader *r, csv_record_fn fn, void *data, struct csv_info *info, long *err_line,
                       char *err, size_t errlen) {
  memset(r, 0, sizeof *r);
  r->info = info;
  r->line_start = 1;
  crypto_hash_sha256_init(&r->hash);
  if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    snprintf(err, errlen, "cannot start the CSV parser");
    *err_line = 0;
    return -1;
  }
  csv_set_space_func(&r->p, no_space);
  r->st = (struct state){.fn = fn, .data = data, .line = 0, .rec_line = 1};
  return 0;
}

/* Feeds the next bytes of the file; the first piece holds at least its first line or
   all of a shorter file (csv_read_file reads 64 KiB at a time). A syntax error sets
   failed, err and err_line; later pieces are only hashed. */
static void reader_feed(struct reader *r, const char *bytes, size_t len, long *err_line, char *err,
                        size_t errlen) {
  crypto_hash_sha256_update(&r->hash, (const unsigned char *)bytes, len);
  if (r->failed || r->st.stop) return;
  if (!r->started) {
    r->started = 1;
    if (len >= 3 && (unsigned char)bytes[0] == 0xEF && (unsigned char)bytes[1] == 0xBB &&
        (unsigned char)bytes[2] == 0xBF) {
      bytes += 3;
      len -= 3;
    }
    r->info->delim = csv_detect_delim(bytes, len);
    csv_set_delim(&r->p, (unsigned char)r->info->delim);
  }
  size_t pos = 0;
  while (pos < len && !r->st.stop) {
    const char *nl = memchr(bytes + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - bytes) + 1 : len;
    if (r->line_start) {
      r->st.line++;
      /* pstate 0 is libcsv's ROW_NOT_BEGUN: this line starts a new record. */
      if (r->p.pstate == 0) r->st.rec_line = r->st.line;
    }
    r->line_start = nl != NULL;
    if (csv_parse(&r->p, bytes + pos, end - pos, on_field, on_record, &r->st) != end - pos) {
      snprintf(err, errlen, "%s",
               csv_error(&r->p) == CSV_EPARSE ? "malformed quoting" : csv_strerror(csv_error(&r->p)));
      *err_line = r->st.rec_line;
      r->failed = 1;
      return;
    }
    pos = end;
  }
}

/* The end of the read: 0, or -1 when it failed (the message in err, set where it failed). */
static int reader_finish(struct reader *r, long *err_line, char *err, size_t errlen) {
  crypto_hash_sha256_final(&r->hash, r->info->sha256);
  if (!r->started) r->info->delim = ',';
  if (!r->failed && !r->st.stop && csv_fini(&r->p, on_field, on_record, &r->st) != 0) {
    snprintf(err, errlen, "unterminated quoted field");
    *err_line = r->st.rec_line;
    r->failed = 1;
  }
  csv_free(&r->p);
  buf_free(&r->st.cells);
  free(r->st.offs);
  return r->failed ? -1 : 0;
}

int csv_read_mem(const char *bytes, size_t len, csv_record_fn fn, void *data, struct csv_info *info,
                 long *err_line, char *err, size_t errlen) {
  struct csv_info local;
  struct reader r;
  if (reader_init(&r, fn, data, info ? info : &local, err_line, err, errlen) != 0) return -1;
  if (len) reader_feed(&r, bytes, len, err_line, err, errlen);
  return reader_finish(&r, err_line, err, errlen);
}

int csv_read_file(const char *path, csv_record_fn fn, void *data, struct csv_info *info, long *err_line,
                  char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "cannot open: %s", strerror(errno));
    *err_line = 0;
    return -1;
  }
  struct csv_info local;
  struct reader r;
  if (reader_init(&r, fn, data, info ? info : &local, err_line, err, errlen) != 0) {
    fclose(f);
    return -1;
  }
  enum { CHUNK = 1 << 16 };
  char *chunk = xmalloc(CHUNK);
  size_t n;
  /* a syntax error stops the parsing; the rest is still read for the file's hash */
  while ((n = fread(chunk, 1, CHUNK, f)) > 0) reader_feed(&r, chunk, n, err_line, err, errlen);
  free(chunk);
  if (ferror(f)) {
    snprintf(err, errlen, "cannot read the file");
    *err_line = 0;
    r.failed = 1;
  }
  fclose(f);
  return reader_finish(&r, err_line, err, errlen);
}
