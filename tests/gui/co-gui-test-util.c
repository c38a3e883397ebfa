/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-gui-test"

#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "co-gui-test-util.h"
#include "co-window.h"

/* Sets the process locale the way a desktop session would (environment,
 * then setlocale), and binds the build's catalogues. FALSE when the C
 * library does not have @locale. */
gboolean
co_test_set_locale (const char *locale)
{
  const char *localedir = g_getenv ("CARD_OFFICE_LOCALEDIR");

  g_setenv ("LC_ALL", locale, TRUE);
  g_setenv ("LANG", locale, TRUE);
  /* LANGUAGE would override LC_MESSAGES in gettext. */
  g_unsetenv ("LANGUAGE");

  if (setlocale (LC_ALL, "") == NULL)
    return FALSE;

  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return TRUE;
}

/* gtk_init() after g_test_init(), keeping the locale set above (unlike
 * gtk_test_init(), which forces en_US). FALSE without a display. */
gboolean
co_test_init_gui (int    *argc,
                  char ***argv)
{
  g_test_init (argc, argv, NULL);

  if (!gtk_init_check ())
    return FALSE;

  adw_init ();

  return TRUE;
}

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until @condition holds or @timeout_ms pass.
 * A short periodic source wakes the loop so the deadline is noticed even
 * when nothing else happens. */
gboolean
co_test_wait_until (CoTestCondition condition,
                    gpointer        user_data,
                    guint           timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  guint wake_id = g_timeout_add (10, wake_up_cb, NULL);
  gboolean met;

  while (!(met = condition (user_data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake_id);

  return met;
}

static gboolean
widget_is_drawn (gpointer user_data)
{
  GtkWidget *widget = user_data;

  return gtk_widget_get_mapped (widget) &&
         gtk_widget_get_width (widget) > 0 &&
         gtk_widget_get_height (widget) > 0;
}

void
co_test_wait_for_mapped (GtkWidget *widget)
{
  g_assert_true (co_test_wait_until (widget_is_drawn, widget, CO_TEST_TIMEOUT_MS));
}

gboolean
co_test_is_true_cb (gpointer user_data)
{
  return *(gboolean *) user_data;
}

gboolean
co_test_is_set_cb (gpointer user_data)
{
  return *(gpointer *) user_data != NULL;
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gboolean      *painted)
{
  *painted = TRUE;
}

void
co_test_wait_for_paint (GtkWidget *widget,
                        guint      timeout_ms)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &painted);

  gtk_widget_queue_draw (widget);
  g_assert_true (co_test_wait_until (co_test_is_true_cb, &painted, timeout_ms));
  g_signal_handler_disconnect (clock, id);
}

void
co_test_save_screenshot (GtkWidget  *widget,
                         const char *basename)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "gui", basename, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderNode *node;

  g_test_message ("window %d×%d", width, height);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

/* A fresh in-memory settings store, so tests do not see each other. */
GSettings *
co_test_settings_new (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();

  return g_settings_new_with_backend (APP_ID, backend);
}

/* Template ids */

static void
collect_id_cb (GMarkupParseContext  *context,
               const char           *element_name,
               const char          **attribute_names,
               const char          **attribute_values,
               gpointer              user_data,
               GError              **error)
{
  GPtrArray *ids = user_data;

  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      if (g_str_equal (attribute_names[i], "id"))
        g_ptr_array_add (ids, g_strdup (attribute_values[i]));
    }
}

/* Every id in the template's .ui must be a bound template child (STYLE.md:
 * ids equal struct fields), and each must be there after init. */
void
co_test_assert_template (GtkWidget  *widget,
                         GType       template_type,
                         const char *resource_path)
{
  static const GMarkupParser parser = { .start_element = collect_id_cb };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMarkupParseContext) context = NULL;
  const char *data;
  gsize size;

  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (widget, template_type));

  bytes = g_resources_lookup_data (resource_path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);

  data = g_bytes_get_data (bytes, &size);
  context = g_markup_parse_context_new (&parser, 0, ids, NULL);
  g_markup_parse_context_parse (context, data, size, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (ids->len, >, 0);

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      GObject *child = gtk_widget_get_template_child (widget, template_type, id);

      if (child == NULL)
        g_error ("%s: template child “%s” is not bound or is NULL",
                 g_type_name (template_type), id);
    }
}

/* Widget walks */

GtkWidget *
co_test_find_descendant (GtkWidget *root,
                         GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = co_test_find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The rows of the window's sidebar, in order. */
GPtrArray *
co_test_get_sidebar_rows (GtkWidget *window)
{
  GtkWidget *sidebar = GTK_WIDGET (gtk_widget_get_template_child (window, CO_TYPE_WINDOW, "sidebar"));
  GPtrArray *rows = g_ptr_array_new ();

  g_assert_true (GTK_IS_LIST_BOX (sidebar));

  for (GtkWidget *child = gtk_widget_get_first_child (sidebar);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child))
        g_ptr_array_add (rows, child);
    }

  return rows;
}

GtkLabel *
co_test_get_row_label (GtkWidget *row)
{
  GtkWidget *label = co_test_find_descendant (row, GTK_TYPE_LABEL);

  g_assert_nonnull (label);

  return GTK_LABEL (label);
}
