/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Smoke test of every template: each widget class, the windows, the
 * shortcuts window and the About window instantiate, and every id in a
 * template is a bound, non-NULL child.
 */
#define G_LOG_DOMAIN "test-templates"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-application.h"
#include "co-batch-page.h"
#include "co-gui-test-util.h"
#include "co-log-page.h"
#include "co-preferences-window.h"
#include "co-print-page.h"
#include "co-printer-offset-row.h"
#include "co-reissues-page.h"
#include "co-roster-page.h"
#include "co-transit-panel.h"
#include "co-verify-page.h"
#include "co-window.h"

static CoApplication *app;

typedef struct
{
  GType       (*get_type) (void);
  const char  *resource;
} PageCase;

static const PageCase page_cases[] = {
  { co_roster_page_get_type,   RESOURCE_PREFIX "/ui/co-roster-page.ui" },
  { co_reissues_page_get_type, RESOURCE_PREFIX "/ui/co-reissues-page.ui" },
  { co_batch_page_get_type,    RESOURCE_PREFIX "/ui/co-batch-page.ui" },
  { co_print_page_get_type,    RESOURCE_PREFIX "/ui/co-print-page.ui" },
  { co_verify_page_get_type,   RESOURCE_PREFIX "/ui/co-verify-page.ui" },
  { co_log_page_get_type,      RESOURCE_PREFIX "/ui/co-log-page.ui" },
};

static void
test_resources_registered (void)
{
  /* Registered by co-resources.o's constructor, kept by link_whole. */
  g_assert_true (g_resources_get_info (RESOURCE_PREFIX "/ui/co-window.ui",
                                       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL));
  g_assert_true (g_resources_get_info (RESOURCE_PREFIX "/gtk/help-overlay.ui",
                                       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL));
  g_assert_true (g_resources_get_info (RESOURCE_PREFIX "/style.css",
                                       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL));
}

static void
test_page (gconstpointer data)
{
  const PageCase *pc = data;
  GType type = pc->get_type ();
  GtkWidget *page = g_object_ref_sink (g_object_new (type, NULL));
  AdwStatusPage *status_page;

  co_test_assert_template (page, type, pc->resource);

  /* The empty state says something, with an icon. */
  status_page = ADW_STATUS_PAGE (gtk_widget_get_template_child (page, type, "status_page"));
  g_assert_cmpstr (adw_status_page_get_icon_name (status_page), !=, NULL);
  g_assert_cmpstr (adw_status_page_get_title (status_page), !=, "");
  g_assert_cmpuint (strlen (adw_status_page_get_description (status_page)), >, 40);

  g_object_unref (page);
}

/* The 批量 page's transit check (公交有效性) tab. */
static void
test_transit_panel (void)
{
  GtkWidget *panel = g_object_ref_sink (g_object_new (CO_TYPE_TRANSIT_PANEL, NULL));

  co_test_assert_template (panel, CO_TYPE_TRANSIT_PANEL, RESOURCE_PREFIX "/ui/co-transit-panel.ui");
  /* Nothing to check before the roster is known. */
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (gtk_widget_get_template_child (panel, CO_TYPE_TRANSIT_PANEL,
                                                                                      "check_button"))));
  g_object_unref (panel);
}

static void
test_window (void)
{
  g_autoptr(GSettings) settings = co_test_settings_new ();
  CoWindow *window = co_window_new (NULL, settings);

  co_test_assert_template (GTK_WIDGET (window), CO_TYPE_WINDOW,
                           RESOURCE_PREFIX "/ui/co-window.ui");
  g_assert_cmpstr (co_window_get_page_name (window), ==, "students");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_preferences_window (void)
{
  g_autoptr(GSettings) settings = co_test_settings_new ();
  CoPreferencesWindow *preferences = co_preferences_window_new (settings);

  co_test_assert_template (GTK_WIDGET (preferences), CO_TYPE_PREFERENCES_WINDOW,
                           RESOURCE_PREFIX "/ui/co-preferences-window.ui");
  g_assert_true (co_preferences_window_get_settings (preferences) == settings);

  gtk_window_destroy (GTK_WINDOW (preferences));
}

static void
test_printer_offset_row (void)
{
  GtkWidget *row = g_object_ref_sink (co_printer_offset_row_new ("Label & Co <1>", 1.5, -20.0));

  co_test_assert_template (row, CO_TYPE_PRINTER_OFFSET_ROW,
                           RESOURCE_PREFIX "/ui/co-printer-offset-row.ui");

  /* The name is shown as is, not as markup; offsets are clamped to ±10 mm. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Label & Co <1>");
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
  g_assert_cmpfloat_with_epsilon (co_printer_offset_row_get_x_offset (CO_PRINTER_OFFSET_ROW (row)), 1.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (co_printer_offset_row_get_y_offset (CO_PRINTER_OFFSET_ROW (row)), -10.0, 1e-9);

  g_object_unref (row);
}

static void
test_shortcuts_window (void)
{
  g_autoptr(GSettings) settings = co_test_settings_new ();
  CoWindow *window = co_window_new (GTK_APPLICATION (app), settings);
  GtkShortcutsWindow *overlay;
  GtkWidget *section;
  guint n_shortcuts = 0;

  /* GtkApplication attaches ui/help-overlay.ui to each application window. */
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));

  section = co_test_find_descendant (GTK_WIDGET (overlay), GTK_TYPE_SHORTCUTS_SECTION);
  g_assert_nonnull (section);

  for (GtkWidget *w = co_test_find_descendant (section, GTK_TYPE_SHORTCUTS_SHORTCUT);
       w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_SHORTCUTS_SHORTCUT (w))
      n_shortcuts++;
  g_assert_cmpuint (n_shortcuts, >=, 3);

  /* The accelerator GtkApplication sets for it. */
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                 "win.show-help-overlay");
    g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>question"));
  }

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_about_window (void)
{
  GtkWindow *about = co_application_create_about_window (app);

  g_assert_true (ADW_IS_ABOUT_WINDOW (about));
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, _("Card Office"));
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);

  /* From a source tree, the application finds its icon there. */
  if (g_getenv ("CARD_OFFICE_DATADIR") != NULL)
    g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                            APP_ID));

  gtk_window_destroy (about);
}

static void
test_app_actions (void)
{
  static const struct
  {
    const char *action;
    const char *accel;
  } expected[] = {
    { "app.quit", "<Control>q" },
    { "app.preferences", "<Control>comma" },
    { "app.about", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) accels = NULL;

      g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), expected[i].action + 4));
      if (expected[i].accel == NULL)
        continue;

      accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), expected[i].action);
      g_assert_true (g_strv_contains ((const char * const *) accels, expected[i].accel));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  if (!co_test_set_locale ("C"))
    return EXIT_FAILURE;

  if (!co_test_init_gui (&argc, &argv))
    return CO_TEST_EXIT_SKIP;

  /* Registered (so started up), not run: windows are made by the tests. */
  app = co_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/gui/templates/resources", test_resources_registered);
  for (guint i = 0; i < G_N_ELEMENTS (page_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/gui/templates/page/%s",
                                               g_type_name (page_cases[i].get_type ()));

      g_test_add_data_func (path, &page_cases[i], test_page);
    }
  g_test_add_func ("/gui/templates/window", test_window);
  g_test_add_func ("/gui/templates/transit-panel", test_transit_panel);
  g_test_add_func ("/gui/templates/preferences-window", test_preferences_window);
  g_test_add_func ("/gui/templates/printer-offset-row", test_printer_offset_row);
  g_test_add_func ("/gui/templates/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/gui/templates/about-window", test_about_window);
  g_test_add_func ("/gui/templates/app-actions", test_app_actions);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}
