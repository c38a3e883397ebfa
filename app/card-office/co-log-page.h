/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CO_TYPE_LOG_PAGE (co_log_page_get_type ())
G_DECLARE_FINAL_TYPE (CoLogPage, co_log_page, CO, LOG_PAGE, GtkWidget)

/* Fills the filter fields (NULL leaves one empty): @student an education
 * ID or (part of) a name, @staff a username, @action a wire name
 * (report_loss, login…), @from and @to days as YYYY-MM-DD. */
void        co_log_page_set_filter     (CoLogPage  *self,
                                        const char *student,
                                        const char *staff,
                                        const char *action,
                                        const char *from,
                                        const char *to);
/* Loads the log with the filters in the fields (in the background). */
void        co_log_page_search         (CoLogPage  *self);
gboolean    co_log_page_get_loading    (CoLogPage  *self);
/* The entries shown (CoAuditEntry), newest first. */
GListModel *co_log_page_get_rows       (CoLogPage  *self);
/* Writes the entries shown as CSV for Excel; the number of rows, or -1. */
int         co_log_page_export         (CoLogPage  *self,
                                        GFile      *file,
                                        GError    **error);

/* The words for an action's wire name (translated). */
const char *co_log_action_to_text      (const char *action);
/* What changed between two states of a student ("卡状态：正常 → 已挂失"),
 * or "" when nothing shown here did. Free with g_free (). */
char       *co_log_describe_changes    (JsonNode   *before,
                                        JsonNode   *after);

G_END_DECLS
