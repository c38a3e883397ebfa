/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CO_TYPE_ROSTER_PAGE (co_roster_page_get_type ())
G_DECLARE_FINAL_TYPE (CoRosterPage, co_roster_page, CO, ROSTER_PAGE, GtkWidget)

G_END_DECLS
