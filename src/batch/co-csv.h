/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * A CSV/TSV table as offices produce them: Excel's "CSV UTF-8" (with BOM),
 * plain UTF-8, Excel's default ANSI CSV on a Chinese Windows (GBK, read as
 * its superset GB18030), or "Unicode text" (UTF-16 with BOM, tab-separated).
 * RFC 4180 quoting (embedded delimiters, newlines and doubled quotes), comma
 * or tab as detected from the header line, CRLF, LF or CR line ends.
 *
 * The first row is the header. Every data row keeps the line it starts on,
 * for messages. A row with fewer or more fields than the header is kept and
 * reported by co_csv_check_row(), never fatal: the importer decides.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  CO_CSV_ERROR_BINARY,              /* not text: NUL bytes, a spreadsheet file, ... */
  CO_CSV_ERROR_ENCODING,            /* neither UTF-8 nor GB18030 */
  CO_CSV_ERROR_UNTERMINATED_QUOTE,  /* a quoted field never closes */
  CO_CSV_ERROR_EMPTY,               /* no header line */
  CO_CSV_ERROR_SHORT_ROW,           /* co_csv_check_row(): fewer fields than the header */
  CO_CSV_ERROR_LONG_ROW,            /* co_csv_check_row(): more fields than the header */
  CO_CSV_ERROR_READ,                /* the file cannot be read */
} CoCsvError;

#define CO_CSV_ERROR (co_csv_error_quark ())
GQuark co_csv_error_quark (void);

typedef enum
{
  CO_CSV_ENCODING_UTF8,
  CO_CSV_ENCODING_UTF8_BOM,
  CO_CSV_ENCODING_GB18030,
  CO_CSV_ENCODING_UTF16,
} CoCsvEncoding;

#define CO_TYPE_CSV (co_csv_get_type ())
G_DECLARE_FINAL_TYPE (CoCsv, co_csv, CO, CSV, GObject)

CoCsv          *co_csv_new_from_file        (const char         *path,
                                             GError            **error);
CoCsv          *co_csv_new_from_bytes       (GBytes             *bytes,
                                             GError            **error);

CoCsvEncoding   co_csv_get_encoding         (CoCsv              *self);
const char     *co_csv_encoding_to_string   (CoCsvEncoding       encoding);
char            co_csv_get_delimiter        (CoCsv              *self);

guint           co_csv_get_n_columns        (CoCsv              *self);
const char     *co_csv_get_header           (CoCsv              *self,
                                             guint               column);
int             co_csv_find_column          (CoCsv              *self,
                                             const char * const *names);

guint           co_csv_get_n_rows           (CoCsv              *self);
guint           co_csv_get_row_line         (CoCsv              *self,
                                             guint               row);
guint           co_csv_get_row_n_fields     (CoCsv              *self,
                                             guint               row);
const char     *co_csv_get_field            (CoCsv              *self,
                                             guint               row,
                                             int                 column);
gboolean        co_csv_check_row            (CoCsv              *self,
                                             guint               row,
                                             GError            **error);

G_END_DECLS
