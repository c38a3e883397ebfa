/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Sign in to the card platform: the server comes from the preferences, the
 * username is remembered (saved on success), the password is never stored
 * and is cleared once used. Errors are said in words from the client's
 * error code; what the user typed stays. The dialog signs in itself; it
 * emits "signed-in" on success and closes, or "cancelled" when closed
 * without signing in.
 */
#define G_LOG_DOMAIN "co-sign-in-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-sign-in-dialog.h"

struct _CoSignInDialog
{
  AdwWindow         parent_instance;

  /* Template widgets */
  GtkButton        *cancel_button;
  GtkButton        *sign_in_button;
  GtkLabel         *reason_label;
  AdwActionRow     *server_row;
  AdwEntryRow      *username_row;
  AdwEntryRow      *password_row;
  GtkSpinner       *spinner;
  GtkLabel         *error_label;

  /* Owned references */
  CoClient         *client;
  GSettings        *settings;
  GCancellable     *cancellable;

  guint             signed_in : 1;
};

G_DEFINE_FINAL_TYPE (CoSignInDialog, co_sign_in_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNED_IN,
  CANCELLED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* Helpers */

static void
set_busy (CoSignInDialog *self,
          gboolean        busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), !busy);
  /* Not insensitive: that would take the focus from the entry. */
  gtk_editable_set_editable (GTK_EDITABLE (self->username_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
}

static void
show_error (CoSignInDialog *self,
            const char     *text)
{
  gtk_label_set_text (self->error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

/* Callbacks */

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CoSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!co_client_sign_in_finish (CO_CLIENT (object), result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      set_busy (self, FALSE);
      text = co_sign_in_dialog_describe_error (error);
      show_error (self, text);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  set_busy (self, FALSE);
  self->signed_in = TRUE;
  g_settings_set_string (self->settings, "username",
                         gtk_editable_get_text (GTK_EDITABLE (self->username_row)));
  g_signal_emit (self, signals [SIGNED_IN], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_sign_in_button_clicked_cb (CoSignInDialog *self)
{
  g_autofree char *username = NULL;
  g_autofree char *password = NULL;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->sign_in_button)))
    return;

  username = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->username_row))));
  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));

  if (*username == '\0')
    {
      show_error (self, _("Enter your username."));
      gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
      return;
    }
  if (*password == '\0')
    {
      show_error (self, _("Enter your password."));
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  /* The password is used once and not kept, not even in the entry. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_error (self, NULL);
  set_busy (self, TRUE);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  co_client_sign_in_async (self->client, username, password, self->cancellable,
                           sign_in_cb, g_object_ref (self));
  memset (password, 0, strlen (password));
}

static void
on_username_row_activated_cb (CoSignInDialog *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
on_cancel_button_clicked_cb (CoSignInDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

/* GtkWindow overrides */

static gboolean
co_sign_in_dialog_close_request (GtkWindow *window)
{
  CoSignInDialog *self = CO_SIGN_IN_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
  if (!self->signed_in)
    {
      self->signed_in = TRUE; /* emit once */
      g_signal_emit (self, signals [CANCELLED], 0);
    }

  return GTK_WINDOW_CLASS (co_sign_in_dialog_parent_class)->close_request (window);
}

/* GObject overrides */

static void
co_sign_in_dialog_dispose (GObject *object)
{
  CoSignInDialog *self = CO_SIGN_IN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CO_TYPE_SIGN_IN_DIALOG);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (co_sign_in_dialog_parent_class)->dispose (object);
}

static void
co_sign_in_dialog_class_init (CoSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = co_sign_in_dialog_dispose;
  window_class->close_request = co_sign_in_dialog_close_request;

  signals [SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals [CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CoSignInDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CoSignInDialog, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, CoSignInDialog, reason_label);
  gtk_widget_class_bind_template_child (widget_class, CoSignInDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, CoSignInDialog, username_row);
  gtk_widget_class_bind_template_child (widget_class, CoSignInDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, CoSignInDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CoSignInDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_username_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_button_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
co_sign_in_dialog_init (CoSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

/**
 * co_sign_in_dialog_new:
 * @parent: (nullable): the window it is modal for
 * @client: the client to sign in
 * @settings: the application's settings (server-url, username)
 * @expired: the session ran out (the dialog says so)
 *
 * Returns: (transfer none): the dialog, not yet shown
 */
CoSignInDialog *
co_sign_in_dialog_new (GtkWindow *parent,
                       CoClient  *client,
                       GSettings *settings,
                       gboolean   expired)
{
  CoSignInDialog *self;
  g_autofree char *username = NULL;
  const char *reason = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CO_IS_CLIENT (client), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CO_TYPE_SIGN_IN_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->client = g_object_ref (client);
  self->settings = g_object_ref (settings);

  adw_action_row_set_subtitle (self->server_row, co_client_get_base_url (client));
  username = g_settings_get_string (settings, "username");
  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username);

  /* A session that ran out: say why the dialog appeared. */
  if (expired)
    reason = _("Your session has expired. Sign in again to finish what you were doing.");
  gtk_label_set_text (self->reason_label, reason);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), reason != NULL);

  gtk_widget_grab_focus (*username != '\0' ? GTK_WIDGET (self->password_row)
                                           : GTK_WIDGET (self->username_row));

  return self;
}

char *
co_sign_in_dialog_describe_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != CO_CLIENT_ERROR)
    return g_strdup (_("Signing in failed."));

  switch ((CoClientError) error->code)
    {
    case CO_CLIENT_ERROR_UNAUTHORIZED:
      return g_strdup (_("Wrong username or password."));

    case CO_CLIENT_ERROR_THROTTLED:
      {
        guint seconds = co_client_error_get_retry_after (error);

        if (seconds == 0)
          return g_strdup (_("Too many failed sign-ins. Wait a while and try again."));
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Too many failed sign-ins. Try again in %u second.",
                                             "Too many failed sign-ins. Try again in %u seconds.",
                                             seconds),
                                seconds);
      }

    case CO_CLIENT_ERROR_NETWORK:
    case CO_CLIENT_ERROR_TIMEOUT:
      return g_strdup (_("The server cannot be reached. Check the network and the server address in Preferences."));

    case CO_CLIENT_ERROR_TLS:
      return g_strdup (_("The server’s certificate is not trusted. Check the server address and the CA file in Preferences."));

    case CO_CLIENT_ERROR_SERVER:
      return g_strdup (_("The server has a problem. Try again later."));

    case CO_CLIENT_ERROR_FORBIDDEN:
      return g_strdup (_("This account may not use Card Office."));

    case CO_CLIENT_ERROR_INVALID_REQUEST:
      return g_strdup (_("The server address is not valid. Set it in Preferences."));

    case CO_CLIENT_ERROR_INSECURE:
      return g_strdup (_("The server address must start with https://. Plain http:// is allowed only for this computer (localhost). Set it in Preferences."));

    case CO_CLIENT_ERROR_NOT_FOUND:
    case CO_CLIENT_ERROR_CONFLICT:
    case CO_CLIENT_ERROR_VALIDATION:
    case CO_CLIENT_ERROR_PROTOCOL:
    case CO_CLIENT_ERROR_TOO_LARGE:
    default:
      return g_strdup (_("The server gave an answer Card Office does not understand. Check the server address in Preferences."));
    }
}
