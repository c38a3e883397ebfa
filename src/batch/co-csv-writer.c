/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-csv-writer"

#include "config.h"

#include <string.h>

#include "co-csv-writer.h"

#define UTF8_BOM "\xEF\xBB\xBF"

static gboolean
needs_quotes (const char *field)
{
  return strpbrk (field, ",\"\r\n") != NULL;
}

void
co_csv_append_record (GString            *out,
                      const char * const *fields,
                      guint               n_fields)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (fields != NULL || n_fields == 0);

  for (guint i = 0; i < n_fields; i++)
    {
      const char *field = fields[i] != NULL ? fields[i] : "";

      if (i > 0)
        g_string_append_c (out, ',');

      if (!needs_quotes (field))
        {
          g_string_append (out, field);
          continue;
        }

      g_string_append_c (out, '"');
      for (const char *p = field; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }

  g_string_append (out, "\r\n");
}

GBytes *
co_csv_format (const char * const *header,
               GPtrArray          *rows)
{
  g_autoptr(GString) out = NULL;
  guint n_fields;

  g_return_val_if_fail (header != NULL, NULL);

  n_fields = g_strv_length ((char **) header);
  out = g_string_new (UTF8_BOM);
  co_csv_append_record (out, header, n_fields);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const char * const *row = g_ptr_array_index (rows, i);

      g_return_val_if_fail (row != NULL, NULL);
      g_return_val_if_fail (g_strv_length ((char **) row) == n_fields, NULL);
      co_csv_append_record (out, row, n_fields);
    }

  return g_string_free_to_bytes (g_steal_pointer (&out));
}

gboolean
co_csv_write_file (const char         *path,
                   const char * const *header,
                   GPtrArray          *rows,
                   GError            **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (header != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bytes = co_csv_format (header, rows);
  g_return_val_if_fail (bytes != NULL, FALSE);
  data = g_bytes_get_data (bytes, &size);

  return g_file_set_contents_full (path, data, size,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}
