/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CO_TYPE_REISSUES_PAGE (co_reissues_page_get_type ())
G_DECLARE_FINAL_TYPE (CoReissuesPage, co_reissues_page, CO, REISSUES_PAGE, GtkWidget)

/* The status filter's choices, in the drop-down's order. */
typedef enum
{
  CO_REISSUES_FILTER_OPEN,        /* 待支付 … 已寄出 */
  CO_REISSUES_FILTER_ALL,
  CO_REISSUES_FILTER_STATUS,      /* + (status - 1): one CoReissueStatus */
} CoReissuesFilter;

/* Loads every reissue of the school again (in the background). */
void        co_reissues_page_reload          (CoReissuesPage *self);
gboolean    co_reissues_page_get_loading     (CoReissuesPage *self);
/* Shows the reissues in @status, or all (CO_REISSUE_STATUS_NONE with
 * @open_only FALSE), or the open ones (@open_only TRUE). */
void        co_reissues_page_set_filter      (CoReissuesPage *self,
                                              int             status,
                                              gboolean        open_only);
/* The rows shown (CoReissue), after the filter. */
GListModel *co_reissues_page_get_rows        (CoReissuesPage *self);
/* Every reissue loaded. */
guint       co_reissues_page_get_n_loaded    (CoReissuesPage *self);
/* Open, paid and not yet made by their due date. */
gboolean    co_reissues_page_is_overdue      (CoReissuesPage *self,
                                              gpointer        reissue);
guint       co_reissues_page_get_n_overdue   (CoReissuesPage *self);
/* The day overdue is counted from (default: today, local time); NULL
 * follows the clock again. */
void        co_reissues_page_set_today       (CoReissuesPage *self,
                                              const GDate    *today);
/* Writes the cards waiting at school (待领取) as CSV for Excel. Returns the
 * number of rows written, or -1 with @error set. */
int         co_reissues_page_export_pickup   (CoReissuesPage *self,
                                              GFile          *file,
                                              GError        **error);

G_END_DECLS
