/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * What the list pages (学生名单, 补卡, 操作日志) build alike: columns of
 * plain text and the dialog that saves a list as CSV.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Appends a resizable column whose cells are left-aligned, ellipsized
 * labels. @bind is the factory's "bind" handler, called with @user_data;
 * the factory carries @column as its "column" data. */
void                  co_column_view_append_text_column (GtkColumnView *view,
                                                         const char    *title,
                                                         gboolean       expand,
                                                         int            column,
                                                         GCallback      bind,
                                                         gpointer       user_data);

/* A modal "save as" dialog for a CSV file, over @widget's window, with a
 * filter for CSV files; its "response" goes to @response on @instance for
 * as long as @instance lives. */
GtkFileChooserNative *co_csv_save_chooser_new           (GtkWidget     *widget,
                                                         const char    *title,
                                                         GCallback      response,
                                                         gpointer       instance);

G_END_DECLS
