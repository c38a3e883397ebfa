/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * 新建活动: an event's name, date and who may come (everybody, grades,
 * classes, or a list of education IDs imported from a CSV/TSV file). Bad
 * fields get a message naming what is wrong; nothing typed is lost.
 */
#define G_LOG_DOMAIN "co-event-dialog"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "co-csv.h"
#include "co-event-dialog.h"

#define MAX_SKIPPED_SHOWN 5

struct _CoEventDialog
{
  AdwWindow             parent_instance;

  /* Template widgets */
  GtkButton            *cancel_button;
  GtkButton            *create_button;
  GtkEntry             *name_entry;
  GtkEntry             *date_entry;
  GtkDropDown          *list_dropdown;
  GtkEntry             *grades_entry;
  GtkEntry             *classes_entry;
  GtkBox               *import_box;
  GtkButton            *import_button;
  GtkLabel             *import_label;
  GtkLabel             *error_label;

  /* Owned references */
  GPtrArray            *imported;   /* of char *: education IDs */
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (CoEventDialog, co_event_dialog, ADW_TYPE_WINDOW)

enum {
  EVENT_CREATED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* Helpers */

static gboolean
fail (GError    **error,
      char       *message)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
  g_free (message);
  return FALSE;
}

static gboolean
is_edu_id (const char *text)
{
  if (strlen (text) != 8)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* Splits on commas (also full-width), semicolons, spaces and newlines. */
static char **
split_items (const char *text)
{
  g_autoptr(GString) normal = g_string_new (text);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  g_string_replace (normal, "，", ",", 0);
  g_string_replace (normal, "；", ",", 0);
  g_string_replace (normal, "、", ",", 0);
  g_string_replace (normal, "　", ",", 0);
  parts = g_strsplit_set (normal->str, ",; \t\r\n", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (builder, parts[i]);

  return g_strv_builder_end (builder);
}

static gboolean
parse_grade (const char *text,
             int        *grade)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 12, &value, NULL))
    return FALSE;
  *grade = (int) value;
  return TRUE;
}

static void
show_error (CoEventDialog *self,
            const char    *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static gboolean
valid_date (const char *text)
{
  guint y, m, d;
  char tail;

  if (sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3 || strlen (text) != 10)
    return FALSE;
  return g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

static void
update_list_fields (CoEventDialog *self)
{
  guint kind = gtk_drop_down_get_selected (self->list_dropdown);

  gtk_widget_set_visible (GTK_WIDGET (self->grades_entry), kind == CO_EVENT_LIST_GRADES);
  gtk_widget_set_visible (GTK_WIDGET (self->classes_entry), kind == CO_EVENT_LIST_CLASSES);
  gtk_widget_set_visible (GTK_WIDGET (self->import_box), kind == CO_EVENT_LIST_IMPORTED);
}

/* Callbacks */

static void
on_field_changed_cb (CoEventDialog *self)
{
  show_error (self, NULL);
}

static void
on_list_dropdown_selected_cb (CoEventDialog *self)
{
  show_error (self, NULL);
  update_list_fields (self);
}

static void
on_cancel_button_clicked_cb (CoEventDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_create_button_clicked_cb (CoEventDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoEvent) event = co_event_dialog_build_event (self, &error);

  if (event == NULL)
    {
      show_error (self, error->message);
      return;
    }

  g_signal_emit (self, signals [EVENT_CREATED], 0, event);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_chooser_response_cb (CoEventDialog        *self,
                        int                   response,
                        GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) &&
      !co_event_dialog_import_file (self, file, &error))
    show_error (self, error->message);

  g_clear_object (&self->chooser);
}

static void
on_import_button_clicked_cb (CoEventDialog *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Import a List of Students"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  gtk_file_filter_set_name (filter, _("CSV or TSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "tsv");
  gtk_file_filter_add_suffix (filter, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* GObject */

static void
co_event_dialog_dispose (GObject *object)
{
  CoEventDialog *self = (CoEventDialog *)object;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->imported, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), CO_TYPE_EVENT_DIALOG);

  G_OBJECT_CLASS (co_event_dialog_parent_class)->dispose (object);
}

static void
co_event_dialog_class_init (CoEventDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_event_dialog_dispose;

  signals [EVENT_CREATED] =
    g_signal_new ("event-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, CO_TYPE_EVENT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-event-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CoEventDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CoEventDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, CoEventDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, CoEventDialog, date_entry);
  gtk_widget_class_bind_template_child (widget_class, CoEventDialog, list_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CoEventDialog, grades_entry);
  gtk_widget_class_bind_template_child (widget_class, CoEventDialog, classes_entry);
  gtk_widget_class_bind_template_child (widget_class, CoEventDialog, import_box);
  gtk_widget_class_bind_template_child (widget_class, CoEventDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, CoEventDialog, import_label);
  gtk_widget_class_bind_template_child (widget_class, CoEventDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_dropdown_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_create_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_import_button_clicked_cb);
}

static void
co_event_dialog_init (CoEventDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->imported = g_ptr_array_new_with_free_func (g_free);
}

/* Public API */

CoEventDialog *
co_event_dialog_new (GtkWindow  *parent,
                     const char *today)
{
  CoEventDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (CO_TYPE_EVENT_DIALOG, "transient-for", parent, NULL);
  if (today != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->date_entry), today);

  return self;
}

gboolean
co_event_parse_grades (const char  *text,
                       CoEvent     *event,
                       GError     **error)
{
  g_auto(GStrv) items = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (CO_IS_EVENT (event), FALSE);

  items = split_items (text);
  if (items[0] == NULL)
    return fail (error, g_strdup (_("Name at least one grade, for example 7, 8.")));

  for (guint i = 0; items[i] != NULL; i++)
    {
      int grade;

      if (!parse_grade (items[i], &grade))
        /* Translators: %s is what was typed */
        return fail (error, g_strdup_printf (_("“%s” is not a grade (1 to 12)."), items[i]));
      co_event_allow_grade (event, grade);
    }

  return TRUE;
}

gboolean
co_event_parse_classes (const char  *text,
                        CoEvent     *event,
                        GError     **error)
{
  g_auto(GStrv) items = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (CO_IS_EVENT (event), FALSE);

  items = split_items (text);
  if (items[0] == NULL)
    return fail (error, g_strdup (_("Name at least one class, for example 7/1班.")));

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (items[i], "/", 2);
      int grade;

      if (parts[0] == NULL || parts[1] == NULL || *parts[1] == '\0' ||
          !parse_grade (parts[0], &grade))
        return fail (error,
                     /* Translators: %s is what was typed */
                     g_strdup_printf (_("“%s” is not a class: write the grade, a slash and the class, for example 7/1班."),
                                      items[i]));
      co_event_allow_class (event, grade, parts[1]);
    }

  return TRUE;
}

gboolean
co_event_dialog_import_file (CoEventDialog  *self,
                             GFile          *file,
                             GError        **error)
{
  static const char * const names[] = { "edu_id", "教育ID", "教育id", "教育ID号", "education_id", NULL };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GString) skipped = g_string_new (NULL);
  g_autoptr(CoCsv) csv = NULL;
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *summary = NULL;
  guint n_skipped = 0;
  int column;

  g_return_val_if_fail (CO_IS_EVENT_DIALOG (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  basename = g_file_get_basename (file);
  if (path == NULL || !(csv = co_csv_new_from_file (path, &local_error)))
    {
      if (g_error_matches (local_error, CO_CSV_ERROR, CO_CSV_ERROR_ENCODING) ||
          g_error_matches (local_error, CO_CSV_ERROR, CO_CSV_ERROR_BINARY))
        return fail (error, g_strdup_printf (_("“%s” is not a CSV or TSV text file."), basename));
      if (g_error_matches (local_error, CO_CSV_ERROR, CO_CSV_ERROR_EMPTY))
        return fail (error, g_strdup_printf (_("“%s” is empty."), basename));
      return fail (error, g_strdup_printf (_("“%s” cannot be read."), basename));
    }

  ids = g_ptr_array_new_with_free_func (g_free);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  column = co_csv_find_column (csv, names);
  if (column < 0)
    {
      /* No header naming it: the first column, and the header line may be
       * an education ID itself. */
      g_autofree char *first = g_strstrip (g_strdup (co_csv_get_header (csv, 0)));

      column = 0;
      if (is_edu_id (first))
        {
          g_hash_table_add (seen, first);
          g_ptr_array_add (ids, g_steal_pointer (&first));
        }
    }

  for (guint row = 0; row < co_csv_get_n_rows (csv); row++)
    {
      g_autofree char *field = g_strstrip (g_strdup (co_csv_get_field (csv, row, column)
                                                     ? co_csv_get_field (csv, row, column) : ""));

      if (*field == '\0' && co_csv_get_row_n_fields (csv, row) <= 1)
        continue;  /* a blank line */

      if (!is_edu_id (field))
        {
          if (n_skipped++ < MAX_SKIPPED_SHOWN)
            g_string_append_printf (skipped, "%s%u", skipped->len ? ", " : "",
                                    co_csv_get_row_line (csv, row));
          continue;
        }

      if (!g_hash_table_contains (seen, field))
        {
          g_hash_table_add (seen, field);
          g_ptr_array_add (ids, g_steal_pointer (&field));
        }
    }

  if (ids->len == 0)
    return fail (error, g_strdup_printf (_("“%s” holds no education ID (8 digits)."), basename));

  g_ptr_array_unref (self->imported);
  self->imported = g_steal_pointer (&ids);

  summary = g_strdup_printf (ngettext ("%u education ID from “%s”", "%u education IDs from “%s”",
                                       self->imported->len),
                             self->imported->len, basename);
  if (n_skipped > 0)
    {
      g_autofree char *lines =
        g_strdup_printf (ngettext ("%u line skipped, not an education ID (line %s)",
                                   "%u lines skipped, not an education ID (lines %s)", n_skipped),
                         n_skipped, skipped->str);
      g_autofree char *both = g_strconcat (summary, "; ",
                                           lines, n_skipped > MAX_SKIPPED_SHOWN ? "…" : "", NULL);

      g_free (summary);
      summary = g_steal_pointer (&both);
    }
  gtk_label_set_label (self->import_label, summary);
  gtk_widget_remove_css_class (GTK_WIDGET (self->import_label), "dim-label");
  show_error (self, NULL);

  return TRUE;
}

CoEvent *
co_event_dialog_build_event (CoEventDialog  *self,
                             GError        **error)
{
  g_autofree char *name = NULL;
  g_autofree char *date = NULL;
  g_autoptr(CoEvent) event = NULL;

  g_return_val_if_fail (CO_IS_EVENT_DIALOG (self), NULL);

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  date = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->date_entry))));

  if (*name == '\0')
    {
      fail (error, g_strdup (_("Give the event a name.")));
      return NULL;
    }
  if (!valid_date (date))
    {
      fail (error, g_strdup_printf (_("“%s” is not a date: write it as 2026-03-02."), date));
      return NULL;
    }

  event = co_event_new (name, date);

  switch (gtk_drop_down_get_selected (self->list_dropdown))
    {
    case CO_EVENT_LIST_GRADES:
      if (!co_event_parse_grades (gtk_editable_get_text (GTK_EDITABLE (self->grades_entry)),
                                  event, error))
        return NULL;
      break;
    case CO_EVENT_LIST_CLASSES:
      if (!co_event_parse_classes (gtk_editable_get_text (GTK_EDITABLE (self->classes_entry)),
                                   event, error))
        return NULL;
      break;
    case CO_EVENT_LIST_IMPORTED:
      if (self->imported->len == 0)
        {
          fail (error, g_strdup (_("Choose a file with the education IDs of the students who may come.")));
          return NULL;
        }
      for (guint i = 0; i < self->imported->len; i++)
        co_event_allow_student (event, g_ptr_array_index (self->imported, i));
      break;
    case CO_EVENT_LIST_EVERYBODY:
    default:
      break;
    }

  return g_steal_pointer (&event);
}
