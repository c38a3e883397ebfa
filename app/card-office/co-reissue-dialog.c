/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * 申请补卡: the delivery choice. Home delivery needs the address, the
 * recipient and an 11-digit mobile number, each checked by co-rules with a
 * message naming the field; delivery to school is refused inside the winter
 * and summer holidays (the school's dates, from GET /school), and the dialog
 * says which holiday. Nothing typed is lost when the server refuses: the
 * dialog stays open with the text and the reason.
 */
#define G_LOG_DOMAIN "co-reissue-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-desk-error.h"
#include "co-reason-text.h"
#include "co-reissue-dialog.h"

struct _CoReissueDialog
{
  AdwWindow            parent_instance;

  /* Template widgets */
  GtkButton           *cancel_button;
  GtkButton           *apply_button;
  GtkCheckButton      *home_check;
  GtkCheckButton      *school_check;
  GtkLabel            *holiday_label;
  AdwPreferencesGroup *home_group;
  AdwEntryRow         *address_row;
  AdwEntryRow         *recipient_row;
  AdwEntryRow         *phone_row;
  GtkLabel            *fee_label;
  GtkLabel            *error_label;

  /* Owned references */
  CoClient            *client;
  char                *edu_id;
  CoSchoolInfo        *school;
  GCancellable        *cancellable;

  guint                busy : 1;           /* applying */
  guint                loading : 1;        /* the school's holidays */
};

G_DEFINE_FINAL_TYPE (CoReissueDialog, co_reissue_dialog, ADW_TYPE_WINDOW)

enum {
  APPLIED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* Helpers */

static void
show_error (CoReissueDialog *self,
            const char      *text,
            AdwEntryRow     *row)
{
  AdwEntryRow *rows[] = { self->address_row, self->recipient_row, self->phone_row };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      if (rows[i] == row)
        gtk_widget_add_css_class (GTK_WIDGET (rows[i]), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (rows[i]), "error");
    }

  gtk_label_set_text (self->error_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static AdwEntryRow *
row_for_reason (CoReissueDialog *self,
                CoReason         reason)
{
  switch (reason)
    {
    case CO_REASON_ADDRESS_MISSING:   return self->address_row;
    case CO_REASON_RECIPIENT_MISSING: return self->recipient_row;
    case CO_REASON_PHONE_INVALID:     return self->phone_row;
    default:                          return NULL;
    }
}

static AdwEntryRow *
row_for_field (CoReissueDialog *self,
               const char      *field)
{
  if (g_strcmp0 (field, "address") == 0)
    return self->address_row;
  if (g_strcmp0 (field, "recipient") == 0)
    return self->recipient_row;
  if (g_strcmp0 (field, "phone") == 0)
    return self->phone_row;
  return NULL;
}

static void
get_today (CoReissueDialog *self,
           GDate           *today)
{
  g_date_clear (today, 1);
  if (self->school != NULL && self->school->today != NULL)
    g_date_set_parse (today, self->school->today);
  if (!g_date_valid (today))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      g_date_set_dmy (today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                      g_date_time_get_year (now));
    }
}

static void
update_sensitivity (CoReissueDialog *self)
{
  gboolean home = gtk_check_button_get_active (self->home_check);
  gboolean school_open = self->school == NULL || self->school->school_delivery_open;

  gtk_widget_set_sensitive (GTK_WIDGET (self->home_group), home && !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->home_check), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->school_check),
                            school_open && !self->busy && !self->loading);
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), !self->busy && !self->loading);
}

static void
update_fee (CoReissueDialog *self)
{
  int fee = self->school ? self->school->fee_fen : CO_REISSUE_FEE_FEN;
  int cap = self->school ? self->school->courier_fee_cap_fen : CO_COURIER_FEE_CAP_FEN;
  g_autofree char *text = NULL;

  /* Translators: the reissue fee and the courier fee cap, in yuan (15.00) */
  text = g_strdup_printf (_("Reissue fee: %d.%02d yuan. Home delivery: the courier fee, at most %d.%02d yuan inside Beijing, is paid on delivery."),
                          fee / 100, fee % 100, cap / 100, cap % 100);
  gtk_label_set_text (self->fee_label, text);
}

static void
school_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CoReissueDialog) self = user_data;
  g_autoptr(CoSchoolInfo) school = NULL;
  g_autoptr(GError) error = NULL;

  school = co_client_get_school_finish (CO_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  if (school == NULL)
    {
      g_autofree char *text = co_desk_error_to_text (error);

      /* The server still decides on delivery to school. */
      show_error (self, text, NULL);
      update_sensitivity (self);
      return;
    }

  self->school = g_steal_pointer (&school);

  if (!self->school->school_delivery_open)
    {
      const CoDateRange *holiday = NULL;
      const char *name = NULL;
      g_autofree char *text = NULL;
      GDate today;

      get_today (self, &today);
      if (self->school->holidays != NULL)
        {
          holiday = co_rules_holiday_at (&today, (CoDateRange *) (gpointer) self->school->holidays->data,
                                         self->school->holidays->len);
          if (holiday != NULL && self->school->holiday_names != NULL)
            name = self->school->holiday_names[holiday - (CoDateRange *) (gpointer) self->school->holidays->data];
        }

      if (holiday != NULL)
        {
          char first[16];
          char last[16];

          g_date_strftime (first, sizeof first, "%Y-%m-%d", &holiday->first);
          g_date_strftime (last, sizeof last, "%Y-%m-%d", &holiday->last);
          /* Translators: the holiday's name (寒假), then its first and last days */
          text = g_strdup_printf (_("Delivery to school is suspended during the %s (%s to %s). Only delivery to home can be chosen."),
                                  name ? name : _("holidays"), first, last);
        }
      else
        text = g_strdup (co_reason_to_text (CO_REASON_SCHOOL_HOLIDAY));

      gtk_label_set_text (self->holiday_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->holiday_label), TRUE);
      gtk_check_button_set_active (self->home_check, TRUE);
    }

  update_fee (self);
  update_sensitivity (self);
}

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CoReissueDialog) self = user_data;
  g_autoptr(CoReissue) reissue = NULL;
  g_autoptr(GError) error = NULL;

  reissue = co_client_apply_reissue_finish (CO_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->busy = FALSE;
  update_sensitivity (self);

  if (reissue == NULL)
    {
      g_autofree char *text = co_desk_error_to_text (error);
      AdwEntryRow *row = row_for_field (self, co_client_error_get_field (error));

      if (row == NULL)
        row = row_for_reason (self, co_client_error_get_reason (error));
      show_error (self, text, row);
      return;
    }

  g_signal_emit (self, signals [APPLIED], 0, reissue);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Callbacks */

static void
on_delivery_toggled_cb (CoReissueDialog *self)
{
  update_sensitivity (self);
}

static void
on_cancel_button_clicked_cb (CoReissueDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_apply_button_clicked_cb (CoReissueDialog *self)
{
  g_autofree char *address = NULL;
  g_autofree char *recipient = NULL;
  g_autofree char *phone = NULL;
  CoReissueRequest request = { 0 };
  CoReason reason;
  GDate today;

  if (self->busy || self->loading)
    return;

  request.edu_id = self->edu_id;
  request.delivery = gtk_check_button_get_active (self->school_check) ? CO_DELIVERY_SCHOOL
                                                                      : CO_DELIVERY_HOME;
  request.courier_fee_fen = -1;

  get_today (self, &today);
  if (request.delivery == CO_DELIVERY_HOME)
    {
      address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_row))));
      recipient = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->recipient_row))));
      phone = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->phone_row))));
      request.address = address;
      request.recipient = recipient;
      request.phone = phone;
    }

  reason = co_rules_check_delivery (request.delivery, address, recipient, phone, 0, &today,
                                    self->school && self->school->holidays
                                    ? (CoDateRange *) (gpointer) self->school->holidays->data : NULL,
                                    self->school && self->school->holidays ? self->school->holidays->len : 0);
  if (reason != CO_REASON_NONE)
    {
      show_error (self, co_reason_to_text (reason), row_for_reason (self, reason));
      return;
    }

  show_error (self, NULL, NULL);
  self->busy = TRUE;
  update_sensitivity (self);
  co_client_apply_reissue_async (self->client, &request, NULL, self->cancellable,
                                 apply_cb, g_object_ref (self));
}

/* GObject overrides */

static void
co_reissue_dialog_dispose (GObject *object)
{
  CoReissueDialog *self = CO_REISSUE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CO_TYPE_REISSUE_DIALOG);

  g_clear_object (&self->client);
  g_clear_pointer (&self->school, co_school_info_free);

  G_OBJECT_CLASS (co_reissue_dialog_parent_class)->dispose (object);
}

static void
co_reissue_dialog_finalize (GObject *object)
{
  CoReissueDialog *self = CO_REISSUE_DIALOG (object);

  g_clear_pointer (&self->edu_id, g_free);

  G_OBJECT_CLASS (co_reissue_dialog_parent_class)->finalize (object);
}

static void
co_reissue_dialog_class_init (CoReissueDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_reissue_dialog_dispose;
  object_class->finalize = co_reissue_dialog_finalize;

  /**
   * CoReissueDialog::applied:
   * @reissue: the new reissue, as the server answered
   */
  signals [APPLIED] =
    g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CO_TYPE_REISSUE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-reissue-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CoReissueDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CoReissueDialog, apply_button);
  gtk_widget_class_bind_template_child (widget_class, CoReissueDialog, home_check);
  gtk_widget_class_bind_template_child (widget_class, CoReissueDialog, school_check);
  gtk_widget_class_bind_template_child (widget_class, CoReissueDialog, holiday_label);
  gtk_widget_class_bind_template_child (widget_class, CoReissueDialog, home_group);
  gtk_widget_class_bind_template_child (widget_class, CoReissueDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, CoReissueDialog, recipient_row);
  gtk_widget_class_bind_template_child (widget_class, CoReissueDialog, phone_row);
  gtk_widget_class_bind_template_child (widget_class, CoReissueDialog, fee_label);
  gtk_widget_class_bind_template_child (widget_class, CoReissueDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_delivery_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_apply_button_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
co_reissue_dialog_init (CoReissueDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  update_fee (self);
}

/* Public API */

CoReissueDialog *
co_reissue_dialog_new (GtkWindow  *parent,
                       CoClient   *client,
                       const char *edu_id)
{
  CoReissueDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CO_IS_CLIENT (client), NULL);
  g_return_val_if_fail (edu_id != NULL, NULL);

  self = g_object_new (CO_TYPE_REISSUE_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->client = g_object_ref (client);
  self->edu_id = g_strdup (edu_id);

  /* Until the school's holidays are known, school delivery waits. */
  self->loading = TRUE;
  update_sensitivity (self);
  co_client_get_school_async (client, self->cancellable, school_cb, g_object_ref (self));

  return self;
}
