/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-application"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "co-application.h"
#include "co-client.h"
#include "co-lock-screen.h"
#include "co-outbox-watcher.h"
#include "co-preferences-window.h"
#include "co-secret-token.h"
#include "co-store.h"
#include "co-window.h"

struct _CoApplication
{
  AdwApplication  parent_instance;

  /* Owned references */
  GSettings      *settings;
  CoClient       *client;
  CoStore        *store;
  GError         *store_error;
  GCancellable   *token_cancellable;  /* loading the kept session */
  CoOutboxWatcher *outbox_watcher;
};

G_DEFINE_FINAL_TYPE (CoApplication, co_application, ADW_TYPE_APPLICATION)

/* Actions */

static void
co_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  CoApplication *self = CO_APPLICATION (user_data);
  GList *windows;

  /* Close rather than destroy, so each window saves its size; the
   * application ends with its last window. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);
}

static void
co_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  CoApplication *self = CO_APPLICATION (user_data);
  GtkWindow *parent;
  CoPreferencesWindow *preferences;

  parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  preferences = co_preferences_window_new (co_application_get_settings (self));
  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_set_modal (GTK_WINDOW (preferences), TRUE);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
co_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  CoApplication *self = CO_APPLICATION (user_data);

  gtk_window_present (co_application_create_about_window (self));
}

static gboolean
clear_local_data_cb (gpointer user_data)
{
  CoApplication *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!co_application_clear_local_data (self, &error))
    {
      GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
      GtkWidget *failed;

      g_warning ("Local data not cleared: %s", error->message);
      failed = adw_message_dialog_new (parent, _("Local Data Not Cleared"), NULL);
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (failed),
                                      _("Some local files could not be removed: %s"),
                                      error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (failed), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (failed));
    }

  return G_SOURCE_REMOVE;
}

static void
clear_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   CoApplication    *self)
{
  /* After the dialog has closed: the windows it belongs to go. */
  if (g_strcmp0 (response, "clear") == 0)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, clear_local_data_cb,
                     g_object_ref (self), g_object_unref);
}

/* 清除本地数据: asked first, with a warning when check-ins wait to be
 * sent (they would be lost). */
static void
co_application_clear_local_data_action (GSimpleAction *action,
                                        GVariant      *parameter,
                                        gpointer       user_data)
{
  CoApplication *self = CO_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  CoStore *store = co_application_get_store (self, NULL);
  guint n_outbox = store != NULL ? co_store_get_n_outbox (store) : 0;
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (parent, _("Clear Local Data?"), NULL);
  if (n_outbox > 0)
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    g_dngettext (GETTEXT_PACKAGE,
                                                 "The roster, photos and print files on this computer are removed and you are signed out. %u check-in has not been sent to the card platform yet: it will be lost.",
                                                 "The roster, photos and print files on this computer are removed and you are signed out. %u check-ins have not been sent to the card platform yet: they will be lost.",
                                                 n_outbox),
                                    n_outbox);
  else
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                 _("The roster, photos and print files on this computer are removed and you are signed out. The card platform keeps everything; the next sync fetches the roster again."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "clear", _("_Clear"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "clear",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (clear_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = co_application_quit_action },
  { .name = "preferences", .activate = co_application_preferences_action },
  { .name = "about", .activate = co_application_about_action },
  { .name = "clear-local-data", .activate = co_application_clear_local_data_action },
};

/* Session kept in the Secret Service */

static void
on_client_session_changed_cb (CoApplication *self,
                              GParamSpec    *pspec,
                              CoClient      *client)
{
  const char *server = co_client_get_base_url (client);

  if (co_client_get_signed_in (client))
    co_secret_token_save (server, co_client_get_username (client), co_client_get_token (client));
  else
    co_secret_token_forget (server);
}

static void
token_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CoApplication) self = user_data;
  g_autofree char *username = NULL;
  g_autofree char *token = co_secret_token_load_finish (result, &username, NULL);

  if (token == NULL || self->client == NULL || co_client_get_signed_in (self->client))
    return;

  g_debug ("session taken from the Secret Service");
  co_client_set_token (self->client, token);
}

/* GtkApplication overrides */

static void
co_application_window_added (GtkApplication *application,
                             GtkWindow      *window)
{
  CoApplication *self = CO_APPLICATION (application);

  GTK_APPLICATION_CLASS (co_application_parent_class)->window_added (application, window);

  if (CO_IS_WINDOW (window))
    co_lock_screen_install (ADW_APPLICATION_WINDOW (window), co_application_get_settings (self));
}

/* GApplication overrides */

static void
co_application_startup (GApplication *application)
{
  CoApplication *self = CO_APPLICATION (application);
  static const char * const quit_accels[] = { "<Control>q", NULL };
  static const char * const preferences_accels[] = { "<Control>comma", NULL };
  const char *datadir;

  /* AdwApplication loads style.css, and GtkApplication the help overlay
   * (with its <Control>question accelerator), from the resource base path. */
  G_APPLICATION_CLASS (co_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);

  /* Running from a source tree (the demo, the tests): its icons. */
  datadir = g_getenv ("CARD_OFFICE_DATADIR");
  if (datadir != NULL && *datadir != '\0')
    {
      g_autofree char *icons = g_build_filename (datadir, "icons", NULL);

      gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                      icons);
    }

  gtk_window_set_default_icon_name (APP_ID);
}

static void
co_application_activate (GApplication *application)
{
  CoApplication *self = CO_APPLICATION (application);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (co_window_new (GTK_APPLICATION (self),
                                        co_application_get_settings (self)));

  gtk_window_present (window);
}

static int
co_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  CoApplication *self = CO_APPLICATION (application);
  const char *server = NULL;

  /* --server URL: use this card platform server (run-demo points the app
   * at the demo server it started); remembered like the preference. */
  if (g_variant_dict_lookup (options, "server", "&s", &server))
    g_settings_set_string (co_application_get_settings (self), "server-url", server);

  return -1;
}

static void
on_settings_server_changed_cb (CoApplication *self,
                               const char    *key,
                               GSettings     *settings)
{
  /* A new server or CA file: the next request uses a new client. */
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
}

/* GObject overrides */

static void
co_application_dispose (GObject *object)
{
  CoApplication *self = CO_APPLICATION (object);

  g_cancellable_cancel (self->token_cancellable);
  g_clear_object (&self->token_cancellable);
  g_clear_object (&self->outbox_watcher);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (co_application_parent_class)->dispose (object);
}

static void
co_application_class_init (CoApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->dispose = co_application_dispose;
  gtk_app_class->window_added = co_application_window_added;

  app_class->startup = co_application_startup;
  app_class->activate = co_application_activate;
  app_class->handle_local_options = co_application_handle_local_options;
}

static void
co_application_init (CoApplication *self)
{
  static const GOptionEntry options[] = {
    { "server", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
      N_("Use this card platform server"), N_("URL") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

/* Local data */

static char *
store_path (void)
{
  const char *env = g_getenv ("CARD_OFFICE_STORE");

  return env && *env ? g_strdup (env) : co_store_get_default_path ();
}

static gboolean
remove_file (const char  *path,
             GError     **error)
{
  if (g_remove (path) != 0 && errno != ENOENT)
    {
      int errsv = errno;
      g_autofree char *name = g_path_get_basename (path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "%s: %s", name, g_strerror (errsv));
      return FALSE;
    }

  return TRUE;
}

static gboolean
remove_tree (const char  *path,
             GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gboolean ok = TRUE;

  if (g_file_test (path, G_FILE_TEST_IS_DIR | G_FILE_TEST_IS_SYMLINK) &&
      !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          ok = remove_tree (child, ok ? error : NULL) && ok;
        }
    }

  return remove_file (path, ok ? error : NULL) && ok;
}

/* Public API */

CoApplication *
co_application_new (GApplicationFlags flags)
{
  return g_object_new (CO_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", RESOURCE_PREFIX,
                       "flags", flags,
                       NULL);
}

/**
 * co_application_get_settings:
 *
 * The application's settings (org.cardoffice.CardOffice), created on
 * first use.
 *
 * Returns: (transfer none): the settings
 */
GSettings *
co_application_get_settings (CoApplication *self)
{
  g_return_val_if_fail (CO_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    {
      self->settings = g_settings_new (APP_ID);
      g_signal_connect_object (self->settings, "changed::server-url",
                               G_CALLBACK (on_settings_server_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::ca-file",
                               G_CALLBACK (on_settings_server_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }

  return self->settings;
}

/**
 * co_application_get_client:
 *
 * The client of the card platform at the server-url preference (with the
 * extra CA file, if one is set), created on first use and again after
 * either preference changes. Pages take it anew for each request.
 *
 * Returns: (transfer none): the client
 */
CoClient *
co_application_get_client (CoApplication *self)
{
  g_return_val_if_fail (CO_IS_APPLICATION (self), NULL);

  if (self->client == NULL)
    {
      GSettings *settings = co_application_get_settings (self);
      g_autofree char *url = g_settings_get_string (settings, "server-url");
      g_autofree char *ca_file = g_settings_get_string (settings, "ca-file");

      self->client = co_client_new (url);
      if (*ca_file != '\0')
        {
          g_autoptr(GError) error = NULL;

          /* A bad CA file leaves only the system's CAs: connections to a
           * server it was meant for then fail TLS verification, which
           * the page reports. The path may name the user: not logged. */
          if (!co_client_set_ca_file (self->client, ca_file, &error))
            g_warning ("The extra CA file cannot be used: %s", error->message);
        }

      if (self->outbox_watcher != NULL)
        co_outbox_watcher_set_client (self->outbox_watcher, self->client);

      /* The session: in the Secret Service when there is one, else only
       * in this client's memory. */
      g_signal_connect_object (self->client, "notify::signed-in",
                               G_CALLBACK (on_client_session_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->client, "notify::username",
                               G_CALLBACK (on_client_session_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_cancellable_cancel (self->token_cancellable);
      g_clear_object (&self->token_cancellable);
      if (co_secret_token_available ())
        {
          self->token_cancellable = g_cancellable_new ();
          co_secret_token_load_async (url, self->token_cancellable, token_loaded_cb,
                                      g_object_ref (self));
        }
    }

  return self->client;
}

/**
 * co_application_get_store:
 * @error: where a store that cannot be opened says why
 *
 * The local store (roster snapshot, photos, outbox), opened on first use at
 * $CARD_OFFICE_STORE or co_store_get_default_path (). An open that failed
 * fails again with the same error (until the application restarts).
 *
 * Returns: (transfer none) (nullable): the store
 */
CoStore *
co_application_get_store (CoApplication  *self,
                          GError        **error)
{
  g_return_val_if_fail (CO_IS_APPLICATION (self), NULL);

  if (self->store == NULL && self->store_error == NULL)
    {
      g_autofree char *path = store_path ();

      self->store = co_store_open (path, &self->store_error);
      /* Whoever opens the store starts its uploads. */
      if (self->store != NULL)
        self->outbox_watcher = co_outbox_watcher_new (self->store,
                                                      co_application_get_client (self));
    }

  if (self->store == NULL)
    {
      g_propagate_error (error, g_error_copy (self->store_error));
      return NULL;
    }

  return self->store;
}

/**
 * co_application_get_outbox_watcher:
 *
 * Who uploads the store's outbox through the current client (after
 * sign-in, when the network returns, and periodically while items wait),
 * made with the store.
 *
 * Returns: (transfer none) (nullable): the watcher, NULL without a store
 */
CoOutboxWatcher *
co_application_get_outbox_watcher (CoApplication *self)
{
  g_return_val_if_fail (CO_IS_APPLICATION (self), NULL);

  co_application_get_store (self, NULL);

  return self->outbox_watcher;
}

/**
 * co_application_create_about_window:
 *
 * Builds the About window, transient for the active window.
 *
 * Returns: (transfer none): a new AdwAboutWindow, not yet shown
 */
GtkWindow *
co_application_create_about_window (CoApplication *self)
{
  GtkWindow *about;

  g_return_val_if_fail (CO_IS_APPLICATION (self), NULL);

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-name", _("Card Office"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Card Office authors"),
                        "comments", _("The desk of a Beijing school’s card office: look up "
                                      "students, handle lost cards and reissues, report new "
                                      "cards and card stickers in bulk, print forms and "
                                      "sticker sheets, and verify student cards."),
                        "website", "https://cardoffice.org/",
                        "copyright", _("© 2026 The Card Office authors"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        NULL);

  return about;
}

/**
 * co_application_clear_local_data:
 *
 * 清除本地数据: signs out (also from the Secret Service), closes the
 * windows, removes the store file (with its -wal and -shm files; photos
 * and the outbox are in it) and the print cache, and opens a new, empty
 * window. Asks nothing: app.clear-local-data asks first.
 *
 * Returns: FALSE when a file could not be removed (@error says which)
 */
gboolean
co_application_clear_local_data (CoApplication  *self,
                                 GError        **error)
{
  static const char * const store_suffixes[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char *path = store_path ();
  g_autofree char *store_dir = g_path_get_dirname (path);
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "card-office", NULL);
  g_autoptr(GList) windows = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (CO_IS_APPLICATION (self), FALSE);

  /* Signed out here and at the server (its answer is not waited for). */
  if (self->client != NULL)
    {
      if (co_client_get_signed_in (self->client))
        co_client_sign_out_async (self->client, NULL, NULL, NULL);
      co_secret_token_forget (co_client_get_base_url (self->client));
      g_signal_handlers_disconnect_by_data (self->client, self);
      g_clear_object (&self->client);
    }
  g_settings_set_string (co_application_get_settings (self), "username", "");

  /* The windows hold the store (lists, searches, forms): they go first.
   * A hold keeps the application running meanwhile. */
  g_application_hold (G_APPLICATION (self));
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (const GList *l = windows; l != NULL; l = l->next)
    if (CO_IS_WINDOW (l->data))
      gtk_window_destroy (GTK_WINDOW (l->data));

  g_clear_object (&self->outbox_watcher);
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);

  for (guint i = 0; i < G_N_ELEMENTS (store_suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, store_suffixes[i], NULL);

      ok = remove_file (file, ok ? error : NULL) && ok;
    }
  /* Its folder too when nothing else is in it (ENOTEMPTY is fine). */
  g_rmdir (store_dir);
  ok = remove_tree (cache, ok ? error : NULL) && ok;

  g_debug ("local data cleared");

  gtk_window_present (GTK_WINDOW (co_window_new (GTK_APPLICATION (self),
                                                 co_application_get_settings (self))));
  g_application_release (G_APPLICATION (self));

  return ok;
}
