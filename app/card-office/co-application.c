/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-application"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-application.h"
#include "co-preferences-window.h"
#include "co-window.h"

struct _CoApplication
{
  AdwApplication  parent_instance;

  /* Owned references */
  GSettings      *settings;
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

/* GObject overrides */

static void
co_application_dispose (GObject *object)
{
  CoApplication *self = CO_APPLICATION (object);

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
}

static void
co_application_init (CoApplication *self)
{
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
    self->settings = g_settings_new (APP_ID);

  return self->settings;
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
