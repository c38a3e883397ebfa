/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

#include "co-store.h"

G_BEGIN_DECLS

#define CO_TYPE_ROSTER_PAGE (co_roster_page_get_type ())
G_DECLARE_FINAL_TYPE (CoRosterPage, co_roster_page, CO, ROSTER_PAGE, GtkWidget)

/* The roster to show (NULL: none); the page follows its changes. */
void        co_roster_page_set_store     (CoRosterPage *self,
                                          CoStore      *store);
void        co_roster_page_set_signed_in (CoRosterPage *self,
                                          gboolean      signed_in);
/* TRUE once the list shows the store's current roster (no rebuild pending). */
gboolean    co_roster_page_get_ready     (CoRosterPage *self);
/* The students shown, in order (a GListModel of CoStudent). */
GListModel *co_roster_page_get_results   (CoRosterPage *self);
/* The selected students, in list order (a new array of CoStudent). */
GPtrArray  *co_roster_page_get_selected  (CoRosterPage *self);

G_END_DECLS
