/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The main window: sidebar navigation (selecting and activating rows, the
 * win.page-* actions), the primary menu, and the window size kept in
 * GSettings.
 */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include "co-application.h"
#include "co-gui-test-util.h"
#include "co-window.h"

static const struct
{
  const char *name;
  const char *action;
  const char *child_id;
} pages[] = {
  { "students",     "win.page-students",     "roster_page" },
  { "reissues",     "win.page-reissues",     "reissues_page" },
  { "batches",      "win.page-batches",      "batch_page" },
  { "printing",     "win.page-printing",     "print_page" },
  { "verification", "win.page-verification", "verify_page" },
  { "log",          "win.page-log",          "log_page" },
};

typedef struct
{
  GSettings *settings;
  CoWindow  *window;
  GtkStack  *stack;
  GtkWidget *sidebar;
} Fixture;

typedef struct
{
  Fixture    *fixture;
  guint       page;
} PageShown;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->settings = co_test_settings_new ();
  fixture->window = co_window_new (NULL, fixture->settings);
  fixture->stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                             CO_TYPE_WINDOW, "stack"));
  fixture->sidebar = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                CO_TYPE_WINDOW, "sidebar"));

  gtk_window_present (GTK_WINDOW (fixture->window));
  co_test_wait_for_mapped (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->settings);
}

static GtkWidget *
get_page_widget (Fixture *fixture,
                 guint    i)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                    CO_TYPE_WINDOW, pages[i].child_id));
}

static gboolean
page_is_shown (gpointer user_data)
{
  PageShown *shown = user_data;
  Fixture *fixture = shown->fixture;
  g_autoptr(GPtrArray) rows = co_test_get_sidebar_rows (GTK_WIDGET (fixture->window));
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (GTK_LIST_BOX (fixture->sidebar));

  return gtk_stack_get_visible_child (fixture->stack) == get_page_widget (fixture, shown->page) &&
         g_strcmp0 (co_window_get_page_name (fixture->window), pages[shown->page].name) == 0 &&
         selected == g_ptr_array_index (rows, shown->page);
}

static void
assert_page_shown (Fixture *fixture,
                   guint    i)
{
  PageShown shown = { fixture, i };
  AdwWindowTitle *title;
  GtkStackPage *page;

  g_assert_true (co_test_wait_until (page_is_shown, &shown, CO_TEST_TIMEOUT_MS));

  /* The content header names the page. */
  title = ADW_WINDOW_TITLE (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                           CO_TYPE_WINDOW, "content_title"));
  page = gtk_stack_get_page (fixture->stack, get_page_widget (fixture, i));
  g_assert_cmpstr (adw_window_title_get_title (title), ==, gtk_stack_page_get_title (page));
}

/* The sidebar lists the six pages in order, each with the page's title. */
static void
test_sidebar_rows (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = co_test_get_sidebar_rows (GTK_WIDGET (fixture->window));

  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (pages));

  for (guint i = 0; i < rows->len; i++)
    {
      GtkStackPage *page = gtk_stack_get_page (fixture->stack, get_page_widget (fixture, i));
      GtkLabel *label = co_test_get_row_label (g_ptr_array_index (rows, i));

      g_assert_cmpstr (gtk_stack_page_get_name (page), ==, pages[i].name);
      g_assert_cmpstr (gtk_label_get_label (label), ==, gtk_stack_page_get_title (page));
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (label)));
    }

  assert_page_shown (fixture, 0);
}

/* Selecting a row (a click, or arrow keys in the list) shows its page. */
static void
test_sidebar_select (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = co_test_get_sidebar_rows (GTK_WIDGET (fixture->window));

  for (guint n = 0; n < 2 * rows->len; n++)
    {
      /* Forwards, then backwards. */
      guint i = n < rows->len ? n : 2 * rows->len - 1 - n;

      gtk_list_box_select_row (GTK_LIST_BOX (fixture->sidebar), g_ptr_array_index (rows, i));
      assert_page_shown (fixture, i);
    }
}

/* Activating a row (Enter, or a click) runs its win.page-* action. */
static void
test_sidebar_activate (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = co_test_get_sidebar_rows (GTK_WIDGET (fixture->window));

  for (guint i = rows->len; i-- > 0;)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);

      g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (row)), ==, pages[i].action);
      g_assert_true (gtk_widget_activate (row));
      assert_page_shown (fixture, i);
    }
}

static void
test_page_actions (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = G_N_ELEMENTS (pages); i-- > 0;)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), pages[i].action, NULL));
      assert_page_shown (fixture, i);
    }

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      co_window_set_page (fixture->window, pages[i].name);
      assert_page_shown (fixture, i);
    }
}

/* Alt+1 … Alt+6 are the window's shortcuts for the pages. */
static void
test_page_shortcuts (Fixture       *fixture,
                     gconstpointer  data)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->window));
  guint n_found = 0;

  for (guint c = 0; c < g_list_model_get_n_items (controllers); c++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, c);
      GListModel *shortcuts;

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      shortcuts = G_LIST_MODEL (controller);
      for (guint s = 0; s < g_list_model_get_n_items (shortcuts); s++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, s);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          g_autofree char *accel = NULL;

          if (!GTK_IS_NAMED_ACTION (action) || !GTK_IS_KEYVAL_TRIGGER (trigger))
            continue;

          accel = gtk_shortcut_trigger_to_string (trigger);
          for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
            {
              g_autofree char *expected = g_strdup_printf ("<Alt>%u", i + 1);

              if (g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                               pages[i].action))
                {
                  g_assert_cmpstr (accel, ==, expected);
                  n_found++;
                }
            }
        }
    }

  g_object_unref (controllers);
  g_assert_cmpuint (n_found, ==, G_N_ELEMENTS (pages));
}

static void
test_primary_menu (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const expected[] = {
    "app.preferences", "win.show-help-overlay", "app.about", "app.quit",
  };
  GMenuModel *menu = G_MENU_MODEL (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                  CO_TYPE_WINDOW, "primary_menu"));
  GtkMenuButton *button = GTK_MENU_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                          CO_TYPE_WINDOW, "primary_menu_button"));
  guint n = 0;

  g_assert_true (gtk_menu_button_get_menu_model (button) == menu);
  g_assert_true (gtk_menu_button_get_primary (button));

  for (int s = 0; s < g_menu_model_get_n_items (menu); s++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

      g_assert_nonnull (section);
      for (int i = 0; i < g_menu_model_get_n_items (section); i++)
        {
          g_autofree char *action = NULL;
          g_autofree char *label = NULL;

          g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
          g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_LABEL, "s", &label));
          g_assert_cmpuint (n, <, G_N_ELEMENTS (expected));
          g_assert_cmpstr (action, ==, expected[n]);
          g_assert_cmpstr (label, !=, "");
          n++;
        }
    }

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
}

static gboolean
window_is_gone (gpointer user_data)
{
  return *(GtkWidget **) user_data == NULL;
}

/* The size is restored from and saved to GSettings. */
static void
test_window_state (void)
{
  g_autoptr(GSettings) settings = co_test_settings_new ();
  CoWindow *window;
  int width;
  int height;

  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = co_window_new (NULL, settings);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);
  g_assert_false (gtk_window_is_maximized (GTK_WINDOW (window)));

  gtk_window_present (GTK_WINDOW (window));
  co_test_wait_for_mapped (GTK_WIDGET (window));

  gtk_window_set_default_size (GTK_WINDOW (window), 1010, 700);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (co_test_wait_until (window_is_gone, &window, CO_TEST_TIMEOUT_MS));

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1010);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

static gboolean
app_has_no_window (gpointer user_data)
{
  return gtk_application_get_windows (GTK_APPLICATION (user_data)) == NULL;
}

/* The application as started: app.quit closes its window, which keeps
 * its size in the application's settings. */
static void
test_app_quit (void)
{
  g_autoptr(CoApplication) app = co_application_new (G_APPLICATION_NON_UNIQUE);
  g_autoptr(GError) error = NULL;
  GSettings *settings;
  GtkWindow *window;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  settings = co_application_get_settings (app);
  g_settings_set_int (settings, "window-width", 800);

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_windows (GTK_APPLICATION (app))->data;
  g_assert_true (CO_IS_WINDOW (window));
  g_assert_true (co_window_get_page_name (CO_WINDOW (window)) != NULL);
  co_test_wait_for_mapped (GTK_WIDGET (window));

  /* A second activation presents the same window. */
  g_application_activate (G_APPLICATION (app));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);

  gtk_window_set_default_size (window, 1024, 700);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_assert_true (co_test_wait_until (app_has_no_window, app, CO_TEST_TIMEOUT_MS));

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1024);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
}

int
main (int   argc,
      char *argv[])
{
  if (!co_test_set_locale ("C"))
    return EXIT_FAILURE;

  if (!co_test_init_gui (&argc, &argv))
    return CO_TEST_EXIT_SKIP;

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/gui/window/sidebar/rows", test_sidebar_rows);
  ADD ("/gui/window/sidebar/select", test_sidebar_select);
  ADD ("/gui/window/sidebar/activate", test_sidebar_activate);
  ADD ("/gui/window/page-actions", test_page_actions);
  ADD ("/gui/window/page-shortcuts", test_page_shortcuts);
  ADD ("/gui/window/primary-menu", test_primary_menu);
#undef ADD
  g_test_add_func ("/gui/window/state", test_window_state);
  g_test_add_func ("/gui/window/app-quit", test_app_quit);

  return g_test_run ();
}
