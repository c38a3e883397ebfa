/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CO_TYPE_PRINTER_OFFSET_ROW (co_printer_offset_row_get_type ())
G_DECLARE_FINAL_TYPE (CoPrinterOffsetRow, co_printer_offset_row, CO, PRINTER_OFFSET_ROW, AdwActionRow)

GtkWidget  *co_printer_offset_row_new              (const char         *printer_name,
                                                    double              x_offset,
                                                    double              y_offset);
const char *co_printer_offset_row_get_printer_name (CoPrinterOffsetRow *self);
double      co_printer_offset_row_get_x_offset     (CoPrinterOffsetRow *self);
void        co_printer_offset_row_set_x_offset     (CoPrinterOffsetRow *self,
                                                    double              x_offset);
double      co_printer_offset_row_get_y_offset     (CoPrinterOffsetRow *self);
void        co_printer_offset_row_set_y_offset     (CoPrinterOffsetRow *self,
                                                    double              y_offset);

G_END_DECLS
