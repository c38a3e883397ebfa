/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoBatchRow: one row of an imported list as the batch page shows it (a
 * snapshot of a CoImportRow, its words, and whether it is excluded).
 */
#pragma once

#include <gio/gio.h>

#include "co-import.h"

G_BEGIN_DECLS

#define CO_TYPE_BATCH_ROW (co_batch_row_get_type ())
G_DECLARE_FINAL_TYPE (CoBatchRow, co_batch_row, CO, BATCH_ROW, GObject)

CoBatchRow      *co_batch_row_new            (CoImport      *import,
                                              guint          index,
                                              gboolean       excluded);
guint            co_batch_row_get_index      (CoBatchRow    *self);
guint            co_batch_row_get_line       (CoBatchRow    *self);
CoImportVerdict  co_batch_row_get_verdict    (CoBatchRow    *self);
gboolean         co_batch_row_get_excluded   (CoBatchRow    *self);
const char      *co_batch_row_get_value      (CoBatchRow    *self,
                                              CoImportField  field);
const char      *co_batch_row_get_message    (CoBatchRow    *self);
const char      *co_batch_row_get_photo_path (CoBatchRow    *self);
/* The padded education ID proposed for a lost leading zero, or NULL. */
const char      *co_batch_row_get_suggestion (CoBatchRow    *self);
/* Whether the row can be edited (FALSE: lost to an unterminated quote). */
gboolean         co_batch_row_get_editable   (CoBatchRow    *self);

G_END_DECLS
