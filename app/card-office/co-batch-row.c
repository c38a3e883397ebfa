/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-batch-row"

#include "config.h"

#include "co-batch-row.h"
#include "co-batch-text.h"

struct _CoBatchRow
{
  GObject          parent_instance;

  guint            index;
  guint            line;
  CoImportVerdict  verdict;
  gboolean         excluded;
  gboolean         editable;
  char            *values[CO_IMPORT_N_FIELDS];
  char            *message;
  char            *photo_path;
  char            *suggestion;
};

G_DEFINE_FINAL_TYPE (CoBatchRow, co_batch_row, G_TYPE_OBJECT)

static void
co_batch_row_finalize (GObject *object)
{
  CoBatchRow *self = (CoBatchRow *) object;

  for (guint f = 0; f < CO_IMPORT_N_FIELDS; f++)
    g_free (self->values[f]);
  g_free (self->message);
  g_free (self->photo_path);
  g_free (self->suggestion);

  G_OBJECT_CLASS (co_batch_row_parent_class)->finalize (object);
}

static void
co_batch_row_class_init (CoBatchRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = co_batch_row_finalize;
}

static void
co_batch_row_init (CoBatchRow *self)
{
}

CoBatchRow *
co_batch_row_new (CoImport *import,
                  guint     index,
                  gboolean  excluded)
{
  const CoImportRow *row;
  CoBatchRow *self;

  g_return_val_if_fail (CO_IS_IMPORT (import), NULL);
  g_return_val_if_fail (index < co_import_get_n_rows (import), NULL);

  row = co_import_get_row (import, index);
  self = g_object_new (CO_TYPE_BATCH_ROW, NULL);
  self->index = index;
  self->line = row->line;
  self->verdict = row->verdict;
  self->excluded = excluded;
  self->editable = row->csv_row >= 0;
  for (guint f = 0; f < CO_IMPORT_N_FIELDS; f++)
    self->values[f] = g_strdup (row->values[f]);
  self->message = co_batch_row_message (row);
  self->photo_path = g_strdup (row->photo_path);
  for (guint k = 0; k < row->issues->len; k++)
    {
      const CoImportIssue *issue = &g_array_index (row->issues, CoImportIssue, k);

      if (issue->problem == CO_IMPORT_PROBLEM_EDU_ID_LEADING_ZERO_LOST && self->suggestion == NULL)
        self->suggestion = g_strdup (issue->suggestion);
    }

  return self;
}

guint
co_batch_row_get_index (CoBatchRow *self)
{
  g_return_val_if_fail (CO_IS_BATCH_ROW (self), 0);
  return self->index;
}

guint
co_batch_row_get_line (CoBatchRow *self)
{
  g_return_val_if_fail (CO_IS_BATCH_ROW (self), 0);
  return self->line;
}

CoImportVerdict
co_batch_row_get_verdict (CoBatchRow *self)
{
  g_return_val_if_fail (CO_IS_BATCH_ROW (self), CO_IMPORT_VERDICT_REFUSED);
  return self->verdict;
}

gboolean
co_batch_row_get_excluded (CoBatchRow *self)
{
  g_return_val_if_fail (CO_IS_BATCH_ROW (self), FALSE);
  return self->excluded;
}

const char *
co_batch_row_get_value (CoBatchRow    *self,
                        CoImportField  field)
{
  g_return_val_if_fail (CO_IS_BATCH_ROW (self), NULL);
  g_return_val_if_fail (field < CO_IMPORT_N_FIELDS, NULL);
  return self->values[field];
}

const char *
co_batch_row_get_message (CoBatchRow *self)
{
  g_return_val_if_fail (CO_IS_BATCH_ROW (self), NULL);
  return self->message;
}

const char *
co_batch_row_get_photo_path (CoBatchRow *self)
{
  g_return_val_if_fail (CO_IS_BATCH_ROW (self), NULL);
  return self->photo_path;
}

const char *
co_batch_row_get_suggestion (CoBatchRow *self)
{
  g_return_val_if_fail (CO_IS_BATCH_ROW (self), NULL);
  return self->suggestion;
}

gboolean
co_batch_row_get_editable (CoBatchRow *self)
{
  g_return_val_if_fail (CO_IS_BATCH_ROW (self), FALSE);
  return self->editable;
}
