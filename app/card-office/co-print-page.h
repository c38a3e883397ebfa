/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum
{
  CO_PRINT_KIND_STICKERS,     /* 卡贴页 */
  CO_PRINT_KIND_FORMS,        /* 补卡申请表 */
  CO_PRINT_KIND_HANDOUT,      /* 领取名单 */
  CO_PRINT_KIND_CALIBRATION,  /* 校准页 */
} CoPrintKind;

#define CO_TYPE_PRINT_PAGE (co_print_page_get_type ())
G_DECLARE_FINAL_TYPE (CoPrintPage, co_print_page, CO, PRINT_PAGE, GtkWidget)

void                    co_print_page_set_selection (CoPrintPage              *self,
                                                     GPtrArray                *students);
gboolean                co_print_page_load_csv      (CoPrintPage              *self,
                                                     const char               *path,
                                                     GError                  **error);
void                    co_print_page_set_kind      (CoPrintPage              *self,
                                                     CoPrintKind               kind);
gboolean                co_print_page_set_template  (CoPrintPage              *self,
                                                     const char               *name);
void                    co_print_page_render        (CoPrintPage              *self);
void                    co_print_page_cancel        (CoPrintPage              *self);
gboolean                co_print_page_get_busy      (CoPrintPage              *self);
guint                   co_print_page_get_n_pages   (CoPrintPage              *self);
const char             *co_print_page_get_pdf_path  (CoPrintPage              *self);
gboolean                co_print_page_export_pdf    (CoPrintPage              *self,
                                                     const char               *path,
                                                     GError                  **error);
GtkPrintOperationResult co_print_page_print         (CoPrintPage              *self,
                                                     GtkPrintOperationAction   action,
                                                     const char               *export_filename,
                                                     GError                  **error);

G_END_DECLS
