/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Helpers shared by the GUI tests: locale set-up, waiting on the main
 * context with a deadline, template checks and widget walks.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CO_TEST_TIMEOUT_MS 5000

/* The exit code meson reads as "skipped". */
#define CO_TEST_EXIT_SKIP 77

typedef gboolean (*CoTestCondition) (gpointer user_data);

gboolean   co_test_set_locale        (const char      *locale);
gboolean   co_test_init_gui          (int             *argc,
                                      char          ***argv);
gboolean   co_test_wait_until        (CoTestCondition  condition,
                                      gpointer         user_data,
                                      guint            timeout_ms);
void       co_test_wait_for_mapped   (GtkWidget       *widget);
GSettings *co_test_settings_new      (void);
void       co_test_assert_template   (GtkWidget       *widget,
                                      GType            template_type,
                                      const char      *resource_path);
GtkWidget *co_test_find_descendant   (GtkWidget       *root,
                                      GType            type);
GPtrArray *co_test_get_sidebar_rows  (GtkWidget       *window);
GtkLabel  *co_test_get_row_label     (GtkWidget       *row);

/* Conditions on a gboolean (TRUE yet?) and on a pointer (set yet?). */
gboolean   co_test_is_true_cb        (gpointer         user_data);
gboolean   co_test_is_set_cb         (gpointer         user_data);
/* Waits until @widget has been laid out and drawn as it is now. */
void       co_test_wait_for_paint    (GtkWidget       *widget,
                                      guint            timeout_ms);
/* Saves @widget as drawn now to <build>/tests/gui/@basename (PNG). */
void       co_test_save_screenshot   (GtkWidget       *widget,
                                      const char      *basename);

G_END_DECLS
