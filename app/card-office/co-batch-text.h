/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The batch page's words for what the import core reports as codes: one
 * translated sentence per problem, with the field, line or suggestion.
 */
#pragma once

#include <gio/gio.h>

#include "co-import.h"

G_BEGIN_DECLS

const char *co_batch_field_to_text        (CoImportField        field);
const char *co_batch_verdict_to_text      (CoImportVerdict      verdict);
const char *co_batch_verdict_icon_name    (CoImportVerdict      verdict);
char       *co_batch_photo_problem_to_text (CoImportPhotoProblem problem,
                                            const CoImportRow   *row);
char       *co_batch_issue_to_text        (const CoImportIssue *issue,
                                           const CoImportRow   *row);
/* Every issue of the row, a sentence a line; "" when there is none. */
char       *co_batch_row_message          (const CoImportRow   *row);
/* Why a list file cannot be opened (CO_CSV_ERROR, G_IO_ERROR...). */
const char *co_batch_file_error_to_text   (const GError        *error);

G_END_DECLS
