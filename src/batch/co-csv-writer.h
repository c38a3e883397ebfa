/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Writing a table for Excel on a Chinese Windows: UTF-8 with a BOM (so
 * Excel does not read it as GBK), CRLF line ends, RFC 4180 quoting (a field
 * with a comma, a double quote, CR or LF is quoted, its quotes doubled).
 * The file is written atomically with mode 0600: it names students.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Appends one record (@n_fields fields, NULL read as "") and its CRLF. */
void     co_csv_append_record (GString            *out,
                               const char * const *fields,
                               guint               n_fields);

/* The whole file: BOM, @header, then each row of @rows (a GPtrArray of
 * NULL-terminated GStrv, each as long as @header). */
GBytes  *co_csv_format        (const char * const *header,
                               GPtrArray          *rows);

/* co_csv_format () written to @path (replaced atomically, mode 0600). */
gboolean co_csv_write_file    (const char         *path,
                               const char * const *header,
                               GPtrArray          *rows,
                               GError            **error);

G_END_DECLS
