/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-batch-export"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <xlsxwriter.h>

#include "co-batch-export.h"

/* One report line's cells, owned. */
static void
row_cells (CoBatchJob              *job,
           const CoBatchExportText *text,
           guint                    index,
           char                    *cells[CO_BATCH_EXPORT_N_COLUMNS])
{
  const CoBatchJobRow *row = co_batch_job_get_row (job, index);
  const char *result = (guint) row->state < G_N_ELEMENTS (text->results)
                       ? text->results[row->state] : NULL;

  cells[CO_BATCH_EXPORT_COLUMN_LINE] = g_strdup_printf ("%u", row->line);
  cells[CO_BATCH_EXPORT_COLUMN_EDU_ID] = g_strdup (row->edu_id);
  cells[CO_BATCH_EXPORT_COLUMN_NAME] = g_strdup (row->name);
  cells[CO_BATCH_EXPORT_COLUMN_RESULT] = g_strdup (result);
  cells[CO_BATCH_EXPORT_COLUMN_REASON] = text->reason_func
                                         ? text->reason_func (row, text->user_data) : NULL;
}

static void
append_csv_field (GString    *out,
                  const char *value)
{
  gboolean formula, quote;

  if (value == NULL)
    value = "";

  /* A cell Excel would run as a formula is quoted and gets a leading
   * apostrophe, so it stays text. */
  formula = value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@';
  quote = formula || strpbrk (value, ",\"\r\n") != NULL;

  if (!quote)
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  if (formula)
    g_string_append_c (out, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

GBytes *
co_batch_export_csv_bytes (CoBatchJob              *job,
                           const CoBatchExportText *text)
{
  GString *out;
  guint n;

  g_return_val_if_fail (CO_IS_BATCH_JOB (job), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_new ("\xef\xbb\xbf");
  for (guint c = 0; c < CO_BATCH_EXPORT_N_COLUMNS; c++)
    {
      if (c > 0)
        g_string_append_c (out, ',');
      append_csv_field (out, text->headers[c]);
    }
  g_string_append (out, "\r\n");

  n = co_batch_job_get_n_rows (job);
  for (guint i = 0; i < n; i++)
    {
      char *cells[CO_BATCH_EXPORT_N_COLUMNS];

      row_cells (job, text, i, cells);
      for (guint c = 0; c < CO_BATCH_EXPORT_N_COLUMNS; c++)
        {
          if (c > 0)
            g_string_append_c (out, ',');
          append_csv_field (out, cells[c]);
          g_free (cells[c]);
        }
      g_string_append (out, "\r\n");
    }

  return g_string_free_to_bytes (out);
}

gboolean
co_batch_export_csv (CoBatchJob              *job,
                     const CoBatchExportText *text,
                     const char              *path,
                     GError                 **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (CO_IS_BATCH_JOB (job), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bytes = co_batch_export_csv_bytes (job, text);
  data = g_bytes_get_data (bytes, &length);
  return g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                   0644, error);
}

gboolean
co_batch_export_xlsx (CoBatchJob              *job,
                      const CoBatchExportText *text,
                      const char              *sheet_name,
                      const char              *path,
                      GError                 **error)
{
  g_autofree char *tmp = NULL;
  lxw_workbook_options options = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
  lxw_workbook *workbook;
  lxw_worksheet *sheet;
  lxw_format *bold;
  lxw_error rc;
  guint n;

  g_return_val_if_fail (CO_IS_BATCH_JOB (job), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Written beside the target, then renamed: no half file under its name. */
  tmp = g_strconcat (path, ".part", NULL);
  workbook = workbook_new_opt (tmp, &options);
  if (workbook == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot create %s", path);
      return FALSE;
    }
  sheet = workbook_add_worksheet (workbook, sheet_name);
  bold = workbook_add_format (workbook);
  format_set_bold (bold);

  for (guint c = 0; c < CO_BATCH_EXPORT_N_COLUMNS; c++)
    worksheet_write_string (sheet, 0, c, text->headers[c] ? text->headers[c] : "", bold);
  worksheet_set_column (sheet, CO_BATCH_EXPORT_COLUMN_EDU_ID, CO_BATCH_EXPORT_COLUMN_EDU_ID, 12, NULL);
  worksheet_set_column (sheet, CO_BATCH_EXPORT_COLUMN_NAME, CO_BATCH_EXPORT_COLUMN_NAME, 12, NULL);
  worksheet_set_column (sheet, CO_BATCH_EXPORT_COLUMN_REASON, CO_BATCH_EXPORT_COLUMN_REASON, 40, NULL);
  worksheet_freeze_panes (sheet, 1, 0);

  n = co_batch_job_get_n_rows (job);
  for (guint i = 0; i < n; i++)
    {
      const CoBatchJobRow *row = co_batch_job_get_row (job, i);
      char *cells[CO_BATCH_EXPORT_N_COLUMNS];

      row_cells (job, text, i, cells);
      worksheet_write_number (sheet, i + 1, CO_BATCH_EXPORT_COLUMN_LINE, row->line, NULL);
      /* Strings, never numbers: an education ID keeps its leading zero. */
      for (guint c = CO_BATCH_EXPORT_COLUMN_EDU_ID; c < CO_BATCH_EXPORT_N_COLUMNS; c++)
        if (cells[c] != NULL && *cells[c] != '\0')
          worksheet_write_string (sheet, i + 1, c, cells[c], NULL);
      for (guint c = 0; c < CO_BATCH_EXPORT_N_COLUMNS; c++)
        g_free (cells[c]);
    }

  rc = workbook_close (workbook);
  if (rc != LXW_NO_ERROR)
    {
      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot write %s: %s", path,
                   lxw_strerror (rc));
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot write %s: %s",
                   path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
