/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CO_TYPE_REISSUES_PAGE (co_reissues_page_get_type ())
G_DECLARE_FINAL_TYPE (CoReissuesPage, co_reissues_page, CO, REISSUES_PAGE, GtkWidget)

G_END_DECLS
