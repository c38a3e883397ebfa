/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Preferences: the server, the card reader, printer calibration, the
 * idle lock, all kept in GSettings, and 清除本地数据 (app.clear-local-data). Plain keys are bound with
 * g_settings_bind(); the printer offsets (a{s(dd)}) are one row each.
 */
#define G_LOG_DOMAIN "co-preferences-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-preferences-window.h"
#include "co-printer-offset-row.h"

struct _CoPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwEntryRow          *server_row;
  AdwActionRow         *ca_file_row;
  GtkButton            *ca_file_button;
  GtkButton            *ca_file_clear_button;
  AdwEntryRow          *reader_row;
  GtkSpinButton        *idle_lock_spin;
  GtkButton            *clear_data_button;
  GtkListBox           *offsets_list;
  AdwEntryRow          *add_printer_row;
  GtkButton            *add_printer_button;

  /* Owned references */
  GSettings            *settings;
  GtkFileChooserNative *ca_file_chooser;

  /* Rows are being updated from the settings: don't write them back. */
  guint                 loading_offsets : 1;
};

G_DEFINE_FINAL_TYPE (CoPreferencesWindow, co_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* Helpers */

static gboolean
server_url_is_valid (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    return FALSE;

  return g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

/* The key counts seconds (tests lock after a few); people set minutes. */
static gboolean
idle_seconds_to_minutes (GValue   *value,
                         GVariant *variant,
                         gpointer  user_data)
{
  g_value_set_double (value, (g_variant_get_uint32 (variant) + 59) / 60);

  return TRUE;
}

static GVariant *
idle_minutes_to_seconds (const GValue       *value,
                         const GVariantType *expected_type,
                         gpointer            user_data)
{
  double minutes = CLAMP (g_value_get_double (value), 0, 120);

  return g_variant_new_uint32 ((guint32) (minutes + 0.5) * 60);
}

static gboolean
ca_file_to_subtitle (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  const char *path = g_variant_get_string (variant, NULL);

  if (*path == '\0')
    g_value_set_string (value, _("None: only the system’s certificates are trusted"));
  else
    g_value_take_string (value, g_filename_display_name (path));

  return TRUE;
}

static gboolean
ca_file_to_sensitive (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  g_value_set_boolean (value, *g_variant_get_string (variant, NULL) != '\0');

  return TRUE;
}

static CoPrinterOffsetRow *
find_offset_row (CoPreferencesWindow *self,
                 const char          *printer_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->offsets_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (CO_IS_PRINTER_OFFSET_ROW (child) &&
          g_strcmp0 (co_printer_offset_row_get_printer_name (CO_PRINTER_OFFSET_ROW (child)),
                     printer_name) == 0)
        return CO_PRINTER_OFFSET_ROW (child);
    }

  return NULL;
}

static void
save_offsets (CoPreferencesWindow *self)
{
  GVariantBuilder builder;

  if (self->loading_offsets)
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(dd)}"));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->offsets_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      CoPrinterOffsetRow *row;

      if (!CO_IS_PRINTER_OFFSET_ROW (child))
        continue;

      row = CO_PRINTER_OFFSET_ROW (child);
      g_variant_builder_add (&builder, "{s(dd)}",
                             co_printer_offset_row_get_printer_name (row),
                             co_printer_offset_row_get_x_offset (row),
                             co_printer_offset_row_get_y_offset (row));
    }

  g_settings_set_value (self->settings, "printer-offsets", g_variant_builder_end (&builder));
}

static void
update_add_printer_button (CoPreferencesWindow *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->add_printer_row))));

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_printer_button),
                            *name != '\0' && find_offset_row (self, name) == NULL);
}

static void
on_offset_row_changed_cb (CoPreferencesWindow *self,
                          GParamSpec          *pspec,
                          CoPrinterOffsetRow  *row)
{
  save_offsets (self);
}

static void
on_offset_row_remove_cb (CoPreferencesWindow *self,
                         CoPrinterOffsetRow  *row)
{
  gtk_list_box_remove (self->offsets_list, GTK_WIDGET (row));
  save_offsets (self);
  update_add_printer_button (self);
}

static CoPrinterOffsetRow *
add_offset_row (CoPreferencesWindow *self,
                const char          *printer_name,
                double               x_offset,
                double               y_offset)
{
  GtkWidget *row = co_printer_offset_row_new (printer_name, x_offset, y_offset);

  g_signal_connect_object (row, "notify::x-offset",
                           G_CALLBACK (on_offset_row_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "notify::y-offset",
                           G_CALLBACK (on_offset_row_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "remove",
                           G_CALLBACK (on_offset_row_remove_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_append (self->offsets_list, row);

  return CO_PRINTER_OFFSET_ROW (row);
}

/* Makes the rows match the settings without recreating rows that stay,
 * so a spin button being edited keeps its focus. */
static void
load_offsets (CoPreferencesWindow *self)
{
  g_autoptr(GVariant) offsets = g_settings_get_value (self->settings, "printer-offsets");
  GVariantIter iter;
  const char *name;
  double x_offset;
  double y_offset;
  GtkWidget *child;
  GtkWidget *next;

  self->loading_offsets = TRUE;

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->offsets_list)); child != NULL; child = next)
    {
      CoPrinterOffsetRow *row;

      next = gtk_widget_get_next_sibling (child);

      if (!CO_IS_PRINTER_OFFSET_ROW (child))
        continue;

      row = CO_PRINTER_OFFSET_ROW (child);
      if (g_variant_lookup (offsets, co_printer_offset_row_get_printer_name (row),
                            "(dd)", &x_offset, &y_offset))
        {
          co_printer_offset_row_set_x_offset (row, x_offset);
          co_printer_offset_row_set_y_offset (row, y_offset);
        }
      else
        {
          gtk_list_box_remove (self->offsets_list, child);
        }
    }

  g_variant_iter_init (&iter, offsets);
  while (g_variant_iter_next (&iter, "{&s(dd)}", &name, &x_offset, &y_offset))
    {
      if (find_offset_row (self, name) == NULL)
        add_offset_row (self, name, x_offset, y_offset);
    }

  self->loading_offsets = FALSE;

  update_add_printer_button (self);
}

/* The new printer's row goes in name order; the add row stays last. */
static int
sort_offset_rows (GtkListBoxRow *a,
                  GtkListBoxRow *b,
                  gpointer       user_data)
{
  gboolean a_is_offset = CO_IS_PRINTER_OFFSET_ROW (a);
  gboolean b_is_offset = CO_IS_PRINTER_OFFSET_ROW (b);

  if (a_is_offset != b_is_offset)
    return a_is_offset ? -1 : 1;

  if (!a_is_offset)
    return 0;

  return g_utf8_collate (co_printer_offset_row_get_printer_name (CO_PRINTER_OFFSET_ROW (a)),
                         co_printer_offset_row_get_printer_name (CO_PRINTER_OFFSET_ROW (b)));
}

static void
add_printer (CoPreferencesWindow *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->add_printer_row))));
  CoPrinterOffsetRow *row;

  if (*name == '\0')
    return;

  row = find_offset_row (self, name);
  if (row == NULL)
    {
      row = add_offset_row (self, name, 0.0, 0.0);
      save_offsets (self);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->add_printer_row), "");
  gtk_widget_grab_focus (GTK_WIDGET (row));
}

/* Callbacks */

static void
on_server_row_changed_cb (AdwEntryRow         *row,
                          CoPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  if (*text == '\0' || server_url_is_valid (text))
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
}

static void
on_ca_file_chooser_response_cb (GtkNativeDialog     *dialog,
                                int                  response,
                                CoPreferencesWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL)
    path = g_file_get_path (file);

  if (path != NULL)
    g_settings_set_string (self->settings, "ca-file", path);
}

static void
on_ca_file_button_clicked_cb (GtkButton           *button,
                              CoPreferencesWindow *self)
{
  g_autofree char *current = NULL;

  if (self->ca_file_chooser == NULL)
    {
      g_autoptr(GtkFileFilter) certificates = gtk_file_filter_new ();
      g_autoptr(GtkFileFilter) all_files = gtk_file_filter_new ();

      self->ca_file_chooser = gtk_file_chooser_native_new (_("Choose a CA Certificate"),
                                                           GTK_WINDOW (self),
                                                           GTK_FILE_CHOOSER_ACTION_OPEN,
                                                           _("_Open"),
                                                           _("_Cancel"));
      gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->ca_file_chooser), TRUE);

      gtk_file_filter_set_name (certificates, _("Certificates (PEM)"));
      gtk_file_filter_add_pattern (certificates, "*.pem");
      gtk_file_filter_add_pattern (certificates, "*.crt");
      gtk_file_filter_add_pattern (certificates, "*.cer");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->ca_file_chooser), certificates);

      gtk_file_filter_set_name (all_files, _("All Files"));
      gtk_file_filter_add_pattern (all_files, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->ca_file_chooser), all_files);

      g_signal_connect_object (self->ca_file_chooser, "response",
                               G_CALLBACK (on_ca_file_chooser_response_cb), self, 0);
    }

  current = g_settings_get_string (self->settings, "ca-file");
  if (*current != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_path (current);

      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (self->ca_file_chooser), file, NULL);
    }

  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->ca_file_chooser));
}

static void
on_ca_file_clear_button_clicked_cb (GtkButton           *button,
                                    CoPreferencesWindow *self)
{
  g_settings_set_string (self->settings, "ca-file", "");
}

static void
on_add_printer_row_changed_cb (AdwEntryRow         *row,
                               CoPreferencesWindow *self)
{
  update_add_printer_button (self);
}

static void
on_add_printer_row_entry_activated_cb (AdwEntryRow         *row,
                                       CoPreferencesWindow *self)
{
  add_printer (self);
}

static void
on_add_printer_button_clicked_cb (GtkButton           *button,
                                  CoPreferencesWindow *self)
{
  add_printer (self);
}

static void
on_settings_printer_offsets_changed_cb (CoPreferencesWindow *self,
                                        const char          *key,
                                        GSettings           *settings)
{
  load_offsets (self);
}

/* GObject overrides */

static void
co_preferences_window_constructed (GObject *object)
{
  CoPreferencesWindow *self = CO_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (co_preferences_window_parent_class)->constructed (object);

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);

  g_settings_bind (self->settings, "server-url",
                   self->server_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "reader-connstring",
                   self->reader_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "idle-lock-seconds",
                                self->idle_lock_spin, "value",
                                G_SETTINGS_BIND_DEFAULT,
                                idle_seconds_to_minutes, idle_minutes_to_seconds,
                                NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "ca-file",
                                self->ca_file_row, "subtitle",
                                G_SETTINGS_BIND_GET,
                                ca_file_to_subtitle, NULL, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "ca-file",
                                self->ca_file_clear_button, "sensitive",
                                G_SETTINGS_BIND_GET,
                                ca_file_to_sensitive, NULL, NULL, NULL);

  g_signal_connect_object (self->settings, "changed::printer-offsets",
                           G_CALLBACK (on_settings_printer_offsets_changed_cb),
                           self, G_CONNECT_SWAPPED);
  load_offsets (self);
}

static void
co_preferences_window_dispose (GObject *object)
{
  CoPreferencesWindow *self = CO_PREFERENCES_WINDOW (object);

  if (self->ca_file_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->ca_file_chooser));
  g_clear_object (&self->ca_file_chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), CO_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (co_preferences_window_parent_class)->dispose (object);
}

static void
co_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CoPreferencesWindow *self = CO_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CoPreferencesWindow *self = CO_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_preferences_window_class_init (CoPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = co_preferences_window_constructed;
  object_class->dispose = co_preferences_window_dispose;
  object_class->get_property = co_preferences_window_get_property;
  object_class->set_property = co_preferences_window_set_property;

  /**
   * CoPreferencesWindow:settings:
   *
   * The settings shown and changed; %NULL at construction means
   * org.cardoffice.CardOffice.
   */
  properties [PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/co-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CoPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, CoPreferencesWindow, ca_file_row);
  gtk_widget_class_bind_template_child (widget_class, CoPreferencesWindow, ca_file_button);
  gtk_widget_class_bind_template_child (widget_class, CoPreferencesWindow, ca_file_clear_button);
  gtk_widget_class_bind_template_child (widget_class, CoPreferencesWindow, reader_row);
  gtk_widget_class_bind_template_child (widget_class, CoPreferencesWindow, idle_lock_spin);
  gtk_widget_class_bind_template_child (widget_class, CoPreferencesWindow, clear_data_button);
  gtk_widget_class_bind_template_child (widget_class, CoPreferencesWindow, offsets_list);
  gtk_widget_class_bind_template_child (widget_class, CoPreferencesWindow, add_printer_row);
  gtk_widget_class_bind_template_child (widget_class, CoPreferencesWindow, add_printer_button);
  gtk_widget_class_bind_template_callback (widget_class, on_server_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_ca_file_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_ca_file_clear_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_printer_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_printer_row_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_printer_button_clicked_cb);

  g_type_ensure (CO_TYPE_PRINTER_OFFSET_ROW);
}

static void
co_preferences_window_init (CoPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_sort_func (self->offsets_list, sort_offset_rows, NULL, NULL);
}

/* Public API */

/**
 * co_preferences_window_new:
 * @settings: (nullable): the settings to show, or %NULL for the application's
 *
 * Returns: (transfer none): a new preferences window, owned by GTK's
 *   list of toplevels until destroyed
 */
CoPreferencesWindow *
co_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (CO_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}

GSettings *
co_preferences_window_get_settings (CoPreferencesWindow *self)
{
  g_return_val_if_fail (CO_IS_PREFERENCES_WINDOW (self), NULL);

  return self->settings;
}
