/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The translated words of a batch job's results: the server's refusal codes
 * (BatchRow.code), photo upload failures, and the report's column titles.
 * No GTK: shared by the 批量 page and card-office-batch.
 */
#pragma once

#include "co-batch-export.h"

G_BEGIN_DECLS

/* A refused row's reason; @field (nullable) for invalid_field. */
char       *co_batch_code_to_text        (const char          *code,
                                          const char          *field);
/* Why a row's photo did not go (co-batch-job photo_code). */
char       *co_batch_photo_code_to_text  (const char          *code);
const char *co_batch_row_state_to_text   (CoBatchRowState      state);
/* The report's reason column: the refusal, then a photo failure. */
char       *co_batch_row_reason_text     (const CoBatchJobRow *row,
                                          gpointer             user_data);
/* Column titles, result words and co_batch_row_reason_text (). */
void        co_batch_export_text_init    (CoBatchExportText   *text);

G_END_DECLS
