/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CO_TYPE_VERIFY_PAGE (co_verify_page_get_type ())
G_DECLARE_FINAL_TYPE (CoVerifyPage, co_verify_page, CO, VERIFY_PAGE, GtkWidget)

G_END_DECLS
