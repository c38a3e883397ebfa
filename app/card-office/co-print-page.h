/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CO_TYPE_PRINT_PAGE (co_print_page_get_type ())
G_DECLARE_FINAL_TYPE (CoPrintPage, co_print_page, CO, PRINT_PAGE, GtkWidget)

G_END_DECLS
