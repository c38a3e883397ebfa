/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Fuzz target: a batch list's bytes through the CSV reader (co-csv) and
 * the importer's row checks (co-import), both kinds, with a roster that
 * knows every other education ID.
 */
#define G_LOG_DOMAIN "fuzz-csv"

#include "config.h"

#include "co-csv.h"
#include "co-import.h"

#include "fuzz-common.h"

static gboolean
roster_lookup (const char  *edu_id,
               char       **name,
               gboolean    *reissued_in_stage,
               gpointer     user_data)
{
  gsize len = strlen (edu_id);

  if (len == 0 || (edu_id[len - 1] & 1) != 0)
    return FALSE;
  *name = g_strdup ("张三");
  *reissued_in_stage = (edu_id[0] & 1) != 0;
  return TRUE;
}

static void
walk_csv (GBytes *bytes)
{
  g_autoptr(CoCsv) csv = NULL;
  guint n_columns;

  if (!(csv = co_csv_new_from_bytes (bytes, NULL)))
    return;

  (void) co_csv_encoding_to_string (co_csv_get_encoding (csv));
  (void) co_csv_get_delimiter (csv);
  n_columns = co_csv_get_n_columns (csv);
  for (guint c = 0; c < n_columns; c++)
    g_assert (co_csv_get_header (csv, c) != NULL);
  for (guint r = 0; r < co_csv_get_n_rows (csv); r++)
    {
      g_autoptr(GError) error = NULL;
      guint n_fields = co_csv_get_row_n_fields (csv, r);

      (void) co_csv_get_row_line (csv, r);
      for (guint c = 0; c < n_fields + 1; c++)
        {
          const char *field = co_csv_get_field (csv, r, (int) c);

          if (field != NULL)
            g_assert (g_utf8_validate (field, -1, NULL));
        }
      (void) co_csv_get_field (csv, r, -1);
      (void) co_csv_check_row (csv, r, &error);
    }
}

static void
walk_import (GBytes       *bytes,
             CoImportKind  kind)
{
  g_autoptr(CoImport) import = co_import_new (kind);
  CoImportField missing[CO_IMPORT_N_FIELDS];
  guint n_rows;

  if (!co_import_load_bytes (import, bytes, NULL))
    return;

  (void) co_import_get_encoding_name (import);
  (void) co_import_get_missing_fields (import, missing);
  co_import_validate (import);
  co_import_check_roster (import, roster_lookup, NULL);
  n_rows = co_import_get_n_rows (import);
  for (guint r = 0; r < n_rows; r++)
    {
      const CoImportRow *row = co_import_get_row (import, r);

      g_assert (row != NULL);
      for (guint i = 0; row->issues != NULL && i < row->issues->len; i++)
        {
          const CoImportIssue *issue = &g_array_index (row->issues, CoImportIssue, i);

          (void) co_import_problem_to_string (issue->problem);
        }
      if (co_import_accept_fix (import, r))
        co_import_validate (import);
    }
  (void) co_import_count (import, CO_IMPORT_VERDICT_OK);
  (void) co_import_count (import, CO_IMPORT_VERDICT_REFUSED);

  /* The mapping step: move a column around and check again. */
  if (co_import_get_n_columns (import) > 1)
    {
      co_import_set_column (import, CO_IMPORT_FIELD_NAME, 0);
      co_import_set_column (import, CO_IMPORT_FIELD_EDU_ID,
                            (int) co_import_get_n_columns (import) - 1);
      co_import_validate (import);
      co_import_check_roster (import, roster_lookup, NULL);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;

  fuzz_setup ();
  bytes = g_bytes_new (data, size);
  walk_csv (bytes);
  walk_import (bytes, CO_IMPORT_KIND_NEW_CARD);
  walk_import (bytes, CO_IMPORT_KIND_STICKER);
  return 0;
}
