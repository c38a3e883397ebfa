/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CO_TYPE_BATCH_PAGE (co_batch_page_get_type ())
G_DECLARE_FINAL_TYPE (CoBatchPage, co_batch_page, CO, BATCH_PAGE, GtkWidget)

G_END_DECLS
