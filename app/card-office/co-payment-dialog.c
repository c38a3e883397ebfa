/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * 缴费: asks the platform for a payment order (POST /reissues/{id}/payment),
 * shows its code_url as a QR code for the parent's phone with the amount and
 * the expiry, and follows the reissue's status every few seconds while open
 * until it reads 已缴费. Closing leaves the reissue 待支付: the same button
 * resumes it later (an unexpired order is answered again).
 */
#define G_LOG_DOMAIN "co-payment-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-desk-error.h"
#include "co-payment-dialog.h"
#include "co-qr-texture.h"
#include "co-reason-text.h"

#define QR_PIXELS             240
#define DEFAULT_POLL_SECONDS  3

struct _CoPaymentDialog
{
  AdwWindow        parent_instance;

  /* Template widgets */
  GtkLabel        *amount_label;
  GtkPicture      *qr_picture;
  GtkLabel        *expires_label;
  GtkLabel        *status_label;
  GtkLabel        *error_label;
  GtkButton       *close_button;

  /* Owned references */
  CoClient        *client;
  char            *reissue_id;
  CoPayment       *payment;
  GCancellable    *cancellable;

  CoReissueStatus  status;
  guint            poll_id;
  guint            poll_seconds;
  guint            polling : 1;
};

G_DEFINE_FINAL_TYPE (CoPaymentDialog, co_payment_dialog, ADW_TYPE_WINDOW)

enum {
  PAID,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static gboolean poll_cb (gpointer user_data);

/* Helpers */

static void
show_error (CoPaymentDialog *self,
            const char      *text)
{
  gtk_label_set_text (self->error_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
show_status (CoPaymentDialog *self)
{
  g_autofree char *text = NULL;

  if (self->status == CO_REISSUE_STATUS_PENDING_PAYMENT)
    text = g_strdup (_("Waiting for the payment…"));
  else
    /* Translators: %s is the reissue's status (已缴费) */
    text = g_strdup_printf (_("Status: %s"), co_reissue_status_to_text (self->status));
  gtk_label_set_text (self->status_label, text);
}

static void
schedule_poll (CoPaymentDialog *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->status == CO_REISSUE_STATUS_PENDING_PAYMENT)
    self->poll_id = g_timeout_add_seconds (self->poll_seconds, poll_cb, self);
}

static void
get_reissue_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CoPaymentDialog) self = user_data;
  g_autoptr(CoReissue) reissue = NULL;
  g_autoptr(GError) error = NULL;

  reissue = co_client_get_reissue_finish (CO_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->polling = FALSE;
  if (reissue == NULL)
    {
      g_autofree char *text = co_desk_error_to_text (error);

      /* Keep looking: a network hiccup must not lose the payment. */
      show_error (self, text);
      schedule_poll (self);
      return;
    }

  show_error (self, NULL);
  self->status = co_reissue_get_status (reissue);
  show_status (self);

  if (self->status != CO_REISSUE_STATUS_PENDING_PAYMENT)
    {
      gtk_widget_set_opacity (GTK_WIDGET (self->qr_picture), 0.2);
      g_signal_emit (self, signals [PAID], 0, reissue);
      return;
    }

  schedule_poll (self);
}

static gboolean
poll_cb (gpointer user_data)
{
  CoPaymentDialog *self = user_data;

  self->poll_id = 0;
  if (!self->polling)
    {
      self->polling = TRUE;
      co_client_get_reissue_async (self->client, self->reissue_id, self->cancellable,
                                   get_reissue_cb, g_object_ref (self));
    }

  return G_SOURCE_REMOVE;
}

static void
payment_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CoPaymentDialog) self = user_data;
  g_autoptr(CoPayment) payment = NULL;
  g_autoptr(GdkTexture) qr = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *amount = NULL;

  payment = co_client_request_payment_finish (CO_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (payment == NULL)
    {
      g_autofree char *text = co_desk_error_to_text (error);

      show_error (self, text);
      gtk_label_set_text (self->status_label, "");
      /* Perhaps paid meanwhile: look once. */
      poll_cb (self);
      return;
    }

  self->payment = g_steal_pointer (&payment);

  qr = co_qr_texture_new (self->payment->code_url, QR_PIXELS);
  gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (qr));

  /* Translators: the amount to pay, in yuan (15.00) */
  amount = g_strdup_printf (_("Reissue fee: %d.%02d yuan"),
                            self->payment->amount_fen / 100, self->payment->amount_fen % 100);
  gtk_label_set_text (self->amount_label, amount);

  {
    g_autoptr(GDateTime) expires = g_date_time_new_from_iso8601 (self->payment->expires_at, NULL);
    g_autofree char *text = NULL;

    if (expires != NULL)
      {
        g_autoptr(GDateTime) local = g_date_time_to_local (expires);
        g_autofree char *time = g_date_time_format (local, "%H:%M");

        /* Translators: %s is a time of day (14:05) */
        text = g_strdup_printf (_("Scan with WeChat or Alipay before %s. If the payment is interrupted, it can be resumed later with the same button."),
                                time);
        gtk_label_set_text (self->expires_label, text);
      }
  }

  show_status (self);
  schedule_poll (self);
}

/* Callbacks */

static void
on_close_button_clicked_cb (CoPaymentDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

/* GObject overrides */

static void
co_payment_dialog_dispose (GObject *object)
{
  CoPaymentDialog *self = CO_PAYMENT_DIALOG (object);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CO_TYPE_PAYMENT_DIALOG);

  g_clear_object (&self->client);
  g_clear_pointer (&self->payment, co_payment_free);

  G_OBJECT_CLASS (co_payment_dialog_parent_class)->dispose (object);
}

static void
co_payment_dialog_finalize (GObject *object)
{
  CoPaymentDialog *self = CO_PAYMENT_DIALOG (object);

  g_clear_pointer (&self->reissue_id, g_free);

  G_OBJECT_CLASS (co_payment_dialog_parent_class)->finalize (object);
}

static void
co_payment_dialog_class_init (CoPaymentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_payment_dialog_dispose;
  object_class->finalize = co_payment_dialog_finalize;

  /**
   * CoPaymentDialog::paid:
   * @reissue: the reissue, no longer 待支付
   */
  signals [PAID] =
    g_signal_new ("paid", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CO_TYPE_REISSUE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-payment-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CoPaymentDialog, amount_label);
  gtk_widget_class_bind_template_child (widget_class, CoPaymentDialog, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, CoPaymentDialog, expires_label);
  gtk_widget_class_bind_template_child (widget_class, CoPaymentDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, CoPaymentDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CoPaymentDialog, close_button);
  gtk_widget_class_bind_template_callback (widget_class, on_close_button_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
co_payment_dialog_init (CoPaymentDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->poll_seconds = DEFAULT_POLL_SECONDS;
  self->status = CO_REISSUE_STATUS_PENDING_PAYMENT;
  gtk_label_set_text (self->status_label, _("Asking the platform for a payment code…"));
}

/* Public API */

CoPaymentDialog *
co_payment_dialog_new (GtkWindow *parent,
                       CoClient  *client,
                       CoReissue *reissue)
{
  CoPaymentDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CO_IS_CLIENT (client), NULL);
  g_return_val_if_fail (CO_IS_REISSUE (reissue), NULL);

  self = g_object_new (CO_TYPE_PAYMENT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->client = g_object_ref (client);
  self->reissue_id = g_strdup (co_reissue_get_id (reissue));
  self->status = co_reissue_get_status (reissue);

  co_client_request_payment_async (client, self->reissue_id, NULL, self->cancellable,
                                   payment_cb, g_object_ref (self));

  return self;
}

const char *
co_payment_dialog_get_code_url (CoPaymentDialog *self)
{
  g_return_val_if_fail (CO_IS_PAYMENT_DIALOG (self), NULL);

  return self->payment ? self->payment->code_url : NULL;
}

CoReissueStatus
co_payment_dialog_get_status (CoPaymentDialog *self)
{
  g_return_val_if_fail (CO_IS_PAYMENT_DIALOG (self), CO_REISSUE_STATUS_NONE);

  return self->status;
}

void
co_payment_dialog_set_poll_interval (CoPaymentDialog *self,
                                     guint            seconds)
{
  g_return_if_fail (CO_IS_PAYMENT_DIALOG (self));
  g_return_if_fail (seconds > 0);

  self->poll_seconds = seconds;
  if (self->poll_id != 0)
    schedule_poll (self);
}
