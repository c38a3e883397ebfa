/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-application"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-application.h"
#include "co-client.h"
#include "co-outbox-watcher.h"
#include "co-preferences-window.h"
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

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = co_application_quit_action },
  { .name = "preferences", .activate = co_application_preferences_action },
  { .name = "about", .activate = co_application_about_action },
};

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
  g_clear_object (&self->client);
}

/* GObject overrides */

static void
co_application_dispose (GObject *object)
{
  CoApplication *self = CO_APPLICATION (object);

  g_clear_object (&self->outbox_watcher);
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

  object_class->dispose = co_application_dispose;

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
      const char *env = g_getenv ("CARD_OFFICE_STORE");
      g_autofree char *path = env && *env ? g_strdup (env) : co_store_get_default_path ();

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
