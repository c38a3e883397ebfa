/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * 信息更正: the student's name and gender, sent as a correction request
 * (POST /students/{edu_id}/corrections). A refusal is shown in words and
 * the dialog keeps what was typed.
 */
#define G_LOG_DOMAIN "co-correction-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-correction-dialog.h"
#include "co-desk-error.h"

struct _CoCorrectionDialog
{
  AdwWindow     parent_instance;

  /* Template widgets */
  GtkButton    *cancel_button;
  GtkButton    *send_button;
  AdwEntryRow  *name_row;
  AdwComboRow  *gender_row;
  GtkLabel     *error_label;

  /* Owned references */
  CoClient     *client;
  CoStudent    *student;
  GCancellable *cancellable;

  guint         busy : 1;
};

G_DEFINE_FINAL_TYPE (CoCorrectionDialog, co_correction_dialog, ADW_TYPE_WINDOW)

enum {
  CORRECTED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
show_error (CoCorrectionDialog *self,
            const char         *text)
{
  gtk_label_set_text (self->error_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
set_busy (CoCorrectionDialog *self,
          gboolean            busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button), !busy);
}

static void
correct_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CoCorrectionDialog) self = user_data;
  g_autoptr(CoStudent) student = NULL;
  g_autoptr(GError) error = NULL;

  student = co_client_correct_student_finish (CO_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (student == NULL)
    {
      g_autofree char *text = co_desk_error_to_text (error);

      show_error (self, text);
      return;
    }

  g_signal_emit (self, signals [CORRECTED], 0, student);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Callbacks */

static void
on_cancel_button_clicked_cb (CoCorrectionDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_send_button_clicked_cb (CoCorrectionDialog *self)
{
  g_autofree char *name = NULL;
  CoCorrection correction = CO_CORRECTION_INIT;
  int gender;

  if (self->busy)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  gender = adw_combo_row_get_selected (self->gender_row) == 1 ? CO_GENDER_FEMALE : CO_GENDER_MALE;

  if (*name == '\0')
    {
      show_error (self, _("Enter the student’s name."));
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }
  if (g_utf8_strlen (name, -1) > 32)
    {
      show_error (self, _("The name must be 1 to 32 characters."));
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }

  if (g_strcmp0 (name, co_student_get_name (self->student)) != 0)
    correction.name = name;
  if (gender != (int) co_student_get_gender (self->student))
    correction.gender = gender;

  if (correction.name == NULL && correction.gender < 0)
    {
      show_error (self, _("Nothing was changed."));
      return;
    }

  show_error (self, NULL);
  set_busy (self, TRUE);
  co_client_correct_student_async (self->client, co_student_get_edu_id (self->student),
                                   &correction, NULL, self->cancellable,
                                   correct_cb, g_object_ref (self));
}

/* GObject overrides */

static void
co_correction_dialog_dispose (GObject *object)
{
  CoCorrectionDialog *self = CO_CORRECTION_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CO_TYPE_CORRECTION_DIALOG);

  g_clear_object (&self->client);
  g_clear_object (&self->student);

  G_OBJECT_CLASS (co_correction_dialog_parent_class)->dispose (object);
}

static void
co_correction_dialog_class_init (CoCorrectionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_correction_dialog_dispose;

  /**
   * CoCorrectionDialog::corrected:
   * @student: the student as the server answered
   */
  signals [CORRECTED] =
    g_signal_new ("corrected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CO_TYPE_STUDENT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-correction-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CoCorrectionDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CoCorrectionDialog, send_button);
  gtk_widget_class_bind_template_child (widget_class, CoCorrectionDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, CoCorrectionDialog, gender_row);
  gtk_widget_class_bind_template_child (widget_class, CoCorrectionDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_send_button_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
co_correction_dialog_init (CoCorrectionDialog *self)
{
  const char * const genders[] = { C_("gender", "Male"), C_("gender", "Female"), NULL };
  g_autoptr(GtkStringList) model = gtk_string_list_new (genders);

  gtk_widget_init_template (GTK_WIDGET (self));

  adw_combo_row_set_model (self->gender_row, G_LIST_MODEL (model));
  self->cancellable = g_cancellable_new ();
}

/* Public API */

CoCorrectionDialog *
co_correction_dialog_new (GtkWindow *parent,
                          CoClient  *client,
                          CoStudent *student)
{
  CoCorrectionDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CO_IS_CLIENT (client), NULL);
  g_return_val_if_fail (CO_IS_STUDENT (student), NULL);

  self = g_object_new (CO_TYPE_CORRECTION_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->client = g_object_ref (client);
  self->student = g_object_ref (student);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), co_student_get_name (student));
  adw_combo_row_set_selected (self->gender_row,
                              co_student_get_gender (student) == CO_GENDER_FEMALE ? 1 : 0);

  return self;
}
