/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * What the print page hands to the print core: sticker and form data built
 * from a CSV file (the columns of `card-office-batch stickers`) or from
 * roster students, and the translated captions.
 */
#pragma once

#include <glib.h>

#include "co-csv.h"
#include "co-print-types.h"
#include "co-store.h"
#include "co-student.h"

G_BEGIN_DECLS

/* The CSV columns, found by their Chinese or English names. */
typedef enum
{
  CO_PRINT_COLUMN_EDU_ID,
  CO_PRINT_COLUMN_NAME,
  CO_PRINT_COLUMN_GENDER,
  CO_PRINT_COLUMN_SCHOOL,
  CO_PRINT_COLUMN_STAGE,
  CO_PRINT_COLUMN_VALIDITY,
  CO_PRINT_COLUMN_CARD_NO,
  CO_PRINT_COLUMN_BJT_NO,
  CO_PRINT_COLUMN_PHOTO,
  CO_PRINT_COLUMN_CLASS,
  CO_PRINT_COLUMN_APPLICATION_NO,
  CO_PRINT_COLUMN_REASON,
  CO_PRINT_COLUMN_DELIVERY,
  CO_PRINT_COLUMN_ADDRESS,
  CO_PRINT_COLUMN_RECIPIENT,
  CO_PRINT_COLUMN_PHONE,
  CO_PRINT_COLUMN_FEE,
  CO_PRINT_COLUMN_DATE,
  CO_PRINT_N_COLUMNS
} CoPrintColumn;

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
void           co_print_data_find_columns      (CoCsv            *csv,
                                                int               columns[CO_PRINT_N_COLUMNS]);
const char    *co_print_data_column_title      (CoPrintColumn     column);
char          *co_print_data_field             (CoCsv            *csv,
                                                const int        *columns,
                                                guint             row,
                                                CoPrintColumn     column);
CoFormData    *co_print_data_form_from_row     (CoCsv            *csv,
                                                const int        *columns,
                                                guint             row);
CoStickerData *co_print_data_sticker_from_row  (CoCsv            *csv,
                                                const int        *columns,
                                                guint             row,
                                                const char       *dir);
void           co_print_data_free              (CoPrintData      *data);
void           co_print_data_fill_captions     (CoPrintCaptions  *captions);
const char    *co_print_data_describe_problem  (CoPrintError      code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoPrintData, co_print_data_free)

G_END_DECLS
