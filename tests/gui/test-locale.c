/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The application as started in a locale (TEST_LOCALE, set by meson):
 * the sidebar's words, no English left in the Chinese UI, Chinese text
 * drawn with real glyphs, and a screenshot of the window for people to
 * look at (<build>/tests/gui/window-<locale>.png).
 */
#define G_LOG_DOMAIN "test-locale"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-application.h"
#include "co-gui-test-util.h"
#include "co-preferences-window.h"
#include "co-window.h"

#ifndef TEST_LOCALE
# error "TEST_LOCALE must name the locale under test"
#endif

#define IS_CHINESE (g_str_has_prefix (TEST_LOCALE, "zh_CN"))

static CoApplication *app;
static CoWindow *window;

static const char * const sidebar_zh_CN[] = { "学生", "补卡", "批量", "打印", "核验", "日志" };
static const char * const sidebar_C[] = {
  "Students", "Reissues", "Batches", "Printing", "Verification", "Operation Log",
};

/* Helpers */

static gboolean
has_han (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
        return TRUE;
    }

  return FALSE;
}

/* Untranslated English: a word of three or more ASCII letters and no
 * Chinese at all. Addresses and paths are data, not words to translate. */
static gboolean
looks_untranslated (const char *text)
{
  guint run = 0;
  guint longest = 0;

  if (text == NULL || has_han (text) || strstr (text, "://") != NULL || text[0] == '/')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      run = g_ascii_isalpha (*p) ? run + 1 : 0;
      longest = MAX (longest, run);
    }

  return longest >= 3;
}

static void
check_text (GPtrArray  *problems,
            GtkWidget  *widget,
            const char *what,
            const char *text)
{
  if (looks_untranslated (text))
    g_ptr_array_add (problems, g_strdup_printf ("%s %s: “%s”",
                                                G_OBJECT_TYPE_NAME (widget), what, text));
}

static void
collect_untranslated (GtkWidget *widget,
                      GPtrArray *problems)
{
  /* Key names (Ctrl, Alt) are drawn by GTK as on the keyboard: in the
   * shortcuts window and beside menu items. */
  if (GTK_IS_SHORTCUT_LABEL (widget) ||
      g_strcmp0 (gtk_widget_get_css_name (widget), "accelerator") == 0)
    return;

  if (GTK_IS_LABEL (widget))
    check_text (problems, widget, "label", gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_BUTTON (widget))
    check_text (problems, widget, "button", gtk_button_get_label (GTK_BUTTON (widget)));
  if (GTK_IS_WINDOW (widget))
    check_text (problems, widget, "title", gtk_window_get_title (GTK_WINDOW (widget)));
  if (ADW_IS_STATUS_PAGE (widget))
    {
      check_text (problems, widget, "title", adw_status_page_get_title (ADW_STATUS_PAGE (widget)));
      check_text (problems, widget, "description",
                  adw_status_page_get_description (ADW_STATUS_PAGE (widget)));
    }
  if (ADW_IS_PREFERENCES_ROW (widget))
    check_text (problems, widget, "title", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  if (ADW_IS_ACTION_ROW (widget))
    check_text (problems, widget, "subtitle", adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));
  if (ADW_IS_PREFERENCES_GROUP (widget))
    {
      check_text (problems, widget, "title",
                  adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)));
      check_text (problems, widget, "description",
                  adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (widget)));
    }
  if (ADW_IS_PREFERENCES_PAGE (widget))
    check_text (problems, widget, "title", adw_preferences_page_get_title (ADW_PREFERENCES_PAGE (widget)));
  if (ADW_IS_WINDOW_TITLE (widget))
    check_text (problems, widget, "title", adw_window_title_get_title (ADW_WINDOW_TITLE (widget)));
  check_text (problems, widget, "tooltip", gtk_widget_get_tooltip_text (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_untranslated (child, problems);
}

static void
assert_translated (GtkWidget *root)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  collect_untranslated (root, problems);

  for (guint i = 0; i < problems->len; i++)
    g_printerr ("untranslated in %s: %s\n", G_OBJECT_TYPE_NAME (root),
                (char *) g_ptr_array_index (problems, i));

  g_assert_cmpuint (problems->len, ==, 0);
}

static void
assert_menu_translated (GMenuModel *menu)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autofree char *label = NULL;

      if (section != NULL)
        assert_menu_translated (section);

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        {
          g_test_message ("menu item: %s", label);
          g_assert_true (has_han (label));
        }
    }
}

static void
assert_glyphs_known (GtkLabel *label)
{
  PangoLayout *layout = gtk_label_get_layout (label);

  g_test_message ("label “%s”: %d unknown glyphs", gtk_label_get_text (label),
                  pango_layout_get_unknown_glyphs_count (layout));
  g_assert_cmpint (pango_layout_get_unknown_glyphs_count (layout), ==, 0);
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autofree char *tag = g_strdup (TEST_LOCALE);
  g_autofree char *basename = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  /* "zh_CN.UTF-8" → window-zh_CN.png, in <build>/tests/gui */
  if (strchr (tag, '.') != NULL)
    *strchr (tag, '.') = '\0';
  basename = g_strdup_printf ("%s-%s.png", name, tag);
  path = g_test_build_filename (G_TEST_BUILT, "gui", basename, NULL);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);

  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_test_message ("saved %s (%d×%d)", path, width, height);
}

/* Tests */

static void
test_sidebar (void)
{
  const char * const *expected = IS_CHINESE ? sidebar_zh_CN : sidebar_C;
  g_autoptr(GPtrArray) rows = co_test_get_sidebar_rows (GTK_WIDGET (window));

  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (sidebar_C));

  for (guint i = 0; i < rows->len; i++)
    {
      GtkLabel *label = co_test_get_row_label (g_ptr_array_index (rows, i));

      g_assert_cmpstr (gtk_label_get_text (label), ==, expected[i]);
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (label)));
    }

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==,
                   IS_CHINESE ? "学生卡卡务" : "Card Office");
}

static void
test_all_translated (void)
{
  CoPreferencesWindow *preferences;
  GtkWindow *about;
  GtkShortcutsWindow *overlay;

  assert_translated (GTK_WIDGET (window));
  assert_menu_translated (G_MENU_MODEL (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                       CO_TYPE_WINDOW, "primary_menu")));

  preferences = co_preferences_window_new (co_application_get_settings (app));
  assert_translated (GTK_WIDGET (preferences));
  gtk_window_destroy (GTK_WINDOW (preferences));

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  assert_translated (GTK_WIDGET (overlay));

  about = co_application_create_about_window (app);
  assert_translated (GTK_WIDGET (about));
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "学生卡卡务");
  gtk_window_destroy (about);
}

static void
test_glyphs (void)
{
  g_autoptr(GPtrArray) rows = co_test_get_sidebar_rows (GTK_WIDGET (window));
  GtkWidget *status_page;

  for (guint i = 0; i < rows->len; i++)
    assert_glyphs_known (co_test_get_row_label (g_ptr_array_index (rows, i)));

  /* The visible page's empty state: its title and description. */
  status_page = co_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
  g_assert_nonnull (status_page);
  for (GtkWidget *w = co_test_find_descendant (status_page, GTK_TYPE_LABEL);
       w != NULL;
       w = gtk_widget_get_next_sibling (w))
    {
      if (GTK_IS_LABEL (w))
        assert_glyphs_known (GTK_LABEL (w));
    }
}

static void
test_screenshot (void)
{
  CoPreferencesWindow *preferences;
  GtkShortcutsWindow *overlay;
  GtkWindow *about;

  co_window_set_page (window, "students");
  save_screenshot (GTK_WIDGET (window), "window");

  /* For people reviewing the translation: Preferences too. */
  preferences = co_preferences_window_new (co_application_get_settings (app));
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (preferences));
  co_test_wait_for_mapped (GTK_WIDGET (preferences));
  save_screenshot (GTK_WIDGET (preferences), "preferences");

  g_settings_set_value (co_application_get_settings (app), "printer-offsets",
                        g_variant_new_parsed ("{'得力 DL-888T': (0.5, -1.2), 'HP LaserJet Pro M404': (0.0, 0.3)}"));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "printing");
  co_test_wait_for_mapped (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                                      CO_TYPE_PREFERENCES_WINDOW,
                                                                      "add_printer_row")));
  save_screenshot (GTK_WIDGET (preferences), "preferences-printing");
  gtk_window_destroy (GTK_WINDOW (preferences));
  g_settings_reset (co_application_get_settings (app), "printer-offsets");

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  gtk_window_present (GTK_WINDOW (overlay));
  co_test_wait_for_mapped (GTK_WIDGET (overlay));
  save_screenshot (GTK_WIDGET (overlay), "shortcuts");
  gtk_widget_set_visible (GTK_WIDGET (overlay), FALSE);

  about = co_application_create_about_window (app);
  gtk_window_present (about);
  co_test_wait_for_mapped (GTK_WIDGET (about));
  save_screenshot (GTK_WIDGET (about), "about");
  gtk_window_destroy (about);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  if (!co_test_set_locale (TEST_LOCALE))
    {
      g_printerr ("locale %s is not available: skipping\n", TEST_LOCALE);
      return CO_TEST_EXIT_SKIP;
    }

  if (!co_test_init_gui (&argc, &argv))
    return CO_TEST_EXIT_SKIP;

  /* Start the application as a user would, without running its loop. */
  app = co_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = CO_WINDOW (gtk_application_get_windows (GTK_APPLICATION (app))->data);
  co_test_wait_for_mapped (GTK_WIDGET (window));

  g_test_add_func ("/gui/locale/" TEST_LOCALE "/sidebar", test_sidebar);
  if (IS_CHINESE)
    {
      g_test_add_func ("/gui/locale/" TEST_LOCALE "/all-translated", test_all_translated);
      g_test_add_func ("/gui/locale/" TEST_LOCALE "/glyphs", test_glyphs);
    }
  g_test_add_func ("/gui/locale/" TEST_LOCALE "/screenshot", test_screenshot);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);

  return ret;
}
