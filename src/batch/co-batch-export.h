/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The report of a batch job, one line per row: line, 教育ID, 姓名, result,
 * reason. As CSV (UTF-8 with BOM, CRLF, RFC 4180 quoting: what Excel on a
 * Chinese Windows opens right) or as XLSX (libxlsxwriter). The core holds
 * no words: the caller gives the column titles, the result words and a
 * function that words a row's reason (it may return NULL for none).
 * Cells that start with = + - @ are written as text (no formula injection).
 */
#pragma once

#include <gio/gio.h>

#include "co-batch-job.h"

G_BEGIN_DECLS

typedef enum
{
  CO_BATCH_EXPORT_COLUMN_LINE,
  CO_BATCH_EXPORT_COLUMN_EDU_ID,
  CO_BATCH_EXPORT_COLUMN_NAME,
  CO_BATCH_EXPORT_COLUMN_RESULT,
  CO_BATCH_EXPORT_COLUMN_REASON,
  CO_BATCH_EXPORT_N_COLUMNS
} CoBatchExportColumn;

/* Returns a newly allocated reason text for @row, or NULL. */
typedef char *(*CoBatchExportReasonFunc) (const CoBatchJobRow *row,
                                          gpointer             user_data);

typedef struct
{
  const char              *headers[CO_BATCH_EXPORT_N_COLUMNS];
  const char              *results[3];   /* indexed by CoBatchRowState */
  CoBatchExportReasonFunc  reason_func;  /* nullable */
  gpointer                 user_data;
} CoBatchExportText;

GBytes   *co_batch_export_csv_bytes (CoBatchJob              *job,
                                     const CoBatchExportText *text);
gboolean  co_batch_export_csv       (CoBatchJob              *job,
                                     const CoBatchExportText *text,
                                     const char              *path,
                                     GError                 **error);
/* @sheet_name: nullable (then "Sheet1"). */
gboolean  co_batch_export_xlsx      (CoBatchJob              *job,
                                     const CoBatchExportText *text,
                                     const char              *sheet_name,
                                     const char              *path,
                                     GError                 **error);

G_END_DECLS
