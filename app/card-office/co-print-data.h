/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * What the print page hands to the print core: sticker and form data built
 * from a CSV file (the columns of `card-office-batch stickers`) or from
 * roster students, and the translated captions.
 */
#pragma once

#include <glib.h>

#include "co-print-types.h"
#include "co-store.h"
#include "co-student.h"

G_BEGIN_DECLS

typedef struct
{
  GPtrArray *stickers;    /* CoStickerData: rows with a name, education ID and 一卡通号 */
  GPtrArray *forms;       /* CoFormData: every row with a name */
  guint      n_rows;
  guint      n_skipped;   /* rows that cannot make a sticker */
  guint      n_bad_rows;  /* rows whose number of fields differs from the header */
} CoPrintData;

CoPrintData   *co_print_data_new_from_csv      (const char       *path,
                                                GError          **error);
CoPrintData   *co_print_data_new_from_students (GPtrArray        *students,
                                                CoStore          *store);
void           co_print_data_free              (CoPrintData      *data);
void           co_print_data_fill_captions     (CoPrintCaptions  *captions);
const char    *co_print_data_describe_problem  (CoPrintError      code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoPrintData, co_print_data_free)

G_END_DECLS
