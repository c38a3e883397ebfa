/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoTransitPanel: the transit check (学生卡公交有效性查询) of a grade or a
 * class, a few cards at a time, listing the invalid cards (无效卡) with the
 * reason, and the card office's review (审核确认, with a note) per card.
 */
#pragma once

#include <adwaita.h>

#include "co-store.h"

G_BEGIN_DECLS

#define CO_TYPE_TRANSIT_PANEL (co_transit_panel_get_type ())
G_DECLARE_FINAL_TYPE (CoTransitPanel, co_transit_panel, CO, TRANSIT_PANEL, GtkWidget)

/* Queries at most this many cards at once. */
#define CO_TRANSIT_PANEL_PARALLEL 4

/* Selects the grade (@class_name NULL) or the class to check; FALSE when
 * the roster has no such students. */
gboolean     co_transit_panel_select      (CoTransitPanel *self,
                                           int             grade,
                                           const char     *class_name);
gboolean     co_transit_panel_get_running (CoTransitPanel *self);
/* CoTransitItem: the invalid cards found. */
GListModel  *co_transit_panel_get_invalid (CoTransitPanel *self);
/* Cards queried and cards to query in the last check. */
void         co_transit_panel_get_progress (CoTransitPanel *self,
                                            guint          *n_done,
                                            guint          *n_total);

G_END_DECLS
