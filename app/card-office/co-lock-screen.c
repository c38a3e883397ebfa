/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The idle lock. Every input event the window or a dialog transient for
 * it receives (captured before their widgets see it) moves the idle
 * deadline; when the deadline passes while somebody is signed in, the
 * lock screen takes the place of the window's content (a stack holds
 * both: the hidden page is unmapped), so no student data stays on screen,
 * and asks for the password again; the window's dialogs are hidden
 * meanwhile (not closed: what they hold comes back). Unlocking signs in
 * through the client: the same user gets the window back as it was, its
 * dialogs included; another user gets a new window (nothing the first one
 * left open, dialogs included, is shown to the second).
 */
#define G_LOG_DOMAIN "co-lock-screen"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-application.h"
#include "co-lock-screen.h"
#include "co-sign-in-dialog.h"
#include "co-window.h"

#define LOCK_SCREEN_KEY "co-lock-screen"

struct _CoLockScreen
{
  AdwBin                parent_instance;

  /* Template widgets */
  AdwStatusPage        *status_page;
  AdwEntryRow          *username_row;
  AdwEntryRow          *password_row;
  GtkLabel             *error_label;
  GtkButton            *unlock_button;

  /* Borrowed references */
  AdwApplicationWindow *window;      /* weak */

  GtkStack             *stack;       /* the window's content: "content", "lock" */

  /* Owned references */
  GSettings            *settings;
  GCancellable         *cancellable; /* the unlocking sign-in */
  GPtrArray            *hidden;      /* GtkWindow: the window's dialogs, while locked */
  char                 *locked_user; /* who was signed in when it locked */

  gint64                last_input;
  guint                 timeout_id;
  guint                 locked : 1;
};

G_DEFINE_FINAL_TYPE (CoLockScreen, co_lock_screen, ADW_TYPE_BIN)

static void schedule_check (CoLockScreen *self);
static GtkWindow *get_root_window (GtkWindow *window);

/* Helpers */

static guint
idle_seconds (CoLockScreen *self)
{
  return g_settings_get_uint (self->settings, "idle-lock-seconds");
}

static CoClient *
get_client (CoLockScreen *self)
{
  GtkApplication *app;

  if (self->window == NULL)
    return NULL;

  app = gtk_window_get_application (GTK_WINDOW (self->window));
  if (!CO_IS_APPLICATION (app))
    return NULL;

  return co_application_get_client (CO_APPLICATION (app));
}

static gboolean
check_idle_cb (gpointer user_data)
{
  CoLockScreen *self = user_data;
  CoClient *client = get_client (self);
  guint seconds = idle_seconds (self);
  gint64 due;

  self->timeout_id = 0;

  if (seconds == 0 || self->locked)
    return G_SOURCE_REMOVE;

  due = self->last_input + (gint64) seconds * G_USEC_PER_SEC;
  if (g_get_monotonic_time () < due)
    {
      schedule_check (self);
      return G_SOURCE_REMOVE;
    }

  /* Nobody signed in: nothing to ask for; look again later. */
  if (client == NULL || !co_client_get_signed_in (client))
    {
      self->last_input = g_get_monotonic_time ();
      schedule_check (self);
      return G_SOURCE_REMOVE;
    }

  co_lock_screen_lock (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_check (CoLockScreen *self)
{
  guint seconds = idle_seconds (self);
  gint64 left;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (seconds == 0 || self->locked || self->window == NULL)
    return;

  left = self->last_input + (gint64) seconds * G_USEC_PER_SEC - g_get_monotonic_time ();
  self->timeout_id = g_timeout_add (MAX (left / 1000, 0) + 1, check_idle_cb, self);
}

static void
show_error (CoLockScreen *self,
            const char   *text)
{
  gtk_label_set_text (self->error_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
set_busy (CoLockScreen *self,
          gboolean      busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), !busy);
  /* Not insensitive: that would take the focus from the entry. */
  gtk_editable_set_editable (GTK_EDITABLE (self->username_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
}

/* While locked, nobody changes the preferences or clears the data. */
static void
set_app_actions_enabled (CoLockScreen *self,
                         gboolean      enabled)
{
  static const char * const names[] = { "preferences", "clear-local-data" };
  GtkApplication *app;

  if (self->window == NULL ||
      !(app = gtk_window_get_application (GTK_WINDOW (self->window))))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (app), names[i]);

      if (G_IS_SIMPLE_ACTION (action))
        g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
    }
}

/* The window's dialogs (the preferences, a question...) go from the
 * screen with its content, kept as they are. */
static void
hide_dialogs (CoLockScreen *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (window != GTK_WINDOW (self->window) &&
          gtk_widget_get_visible (GTK_WIDGET (window)) &&
          get_root_window (window) == GTK_WINDOW (self->window))
        g_ptr_array_add (self->hidden, g_object_ref (window));
    }

  for (guint i = 0; i < self->hidden->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (self->hidden, i), FALSE);
}

/* Whether @window is still on the list of toplevels (not destroyed). */
static gboolean
is_toplevel (GtkWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) item = g_list_model_get_item (toplevels, i);

      if (item == window)
        return TRUE;
    }

  return FALSE;
}

/* @show: the same user is back; otherwise they go for good. */
static void
release_dialogs (CoLockScreen *self,
                 gboolean      show)
{
  g_autoptr(GPtrArray) hidden = g_steal_pointer (&self->hidden);

  if (hidden == NULL) /* disposed */
    return;

  self->hidden = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < hidden->len; i++)
    {
      GtkWindow *window = g_ptr_array_index (hidden, i);

      /* Closed meanwhile (it answered itself, its window went). */
      if (!is_toplevel (window))
        continue;
      if (show)
        gtk_window_present (window);
      else
        gtk_window_destroy (window);
    }
}

/* The window's content comes back. */
static void
restore_content (CoLockScreen *self)
{
  self->locked = FALSE;
  set_app_actions_enabled (self, TRUE);
  if (self->window != NULL)
    gtk_window_set_focus (GTK_WINDOW (self->window), NULL);
  gtk_stack_set_visible_child_name (self->stack, "content");
  release_dialogs (self, TRUE);

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_error (self, NULL);
  self->last_input = g_get_monotonic_time ();
  schedule_check (self);
}

static void
unlock_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CoLockScreen) self = user_data;
  CoClient *client = CO_CLIENT (object);
  g_autoptr(GError) error = NULL;
  GtkApplication *app;
  const char *username;
  CoWindow *window;

  if (!co_client_sign_in_finish (client, result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_clear_object (&self->cancellable);
      set_busy (self, FALSE);
      text = co_sign_in_dialog_describe_error (error);
      show_error (self, text);
      /* What was typed stays, selected, to be typed over. */
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      gtk_editable_select_region (GTK_EDITABLE (self->password_row), 0, -1);
      return;
    }

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  username = co_client_get_username (client);
  if (username != NULL)
    g_settings_set_string (self->settings, "username", username);

  if (self->window == NULL)
    return;

  if (g_strcmp0 (username, self->locked_user) == 0)
    {
      restore_content (self);
      return;
    }

  /* Another user: a new window, and the old one (its searches, selections,
   * forms) goes without being shown again. */
  g_debug ("another user unlocked: new window");
  app = gtk_window_get_application (GTK_WINDOW (self->window));
  window = co_window_new (app, self->settings);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL);
  set_app_actions_enabled (self, TRUE);
  gtk_window_destroy (GTK_WINDOW (self->window));
}

/* Callbacks */

static void
on_unlock_button_clicked_cb (CoLockScreen *self)
{
  g_autofree char *username = NULL;
  const char *password;
  CoClient *client = get_client (self);

  if (client == NULL || self->cancellable != NULL ||
      !gtk_widget_get_sensitive (GTK_WIDGET (self->unlock_button)))
    return;

  username = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->username_row))));
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

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

  show_error (self, NULL);
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  co_client_sign_in_async (client, username, password, self->cancellable,
                           unlock_cb, g_object_ref (self));
}

static void
on_entry_activated_cb (CoLockScreen *self)
{
  on_unlock_button_clicked_cb (self);
}

static gboolean
on_window_event_cb (GtkEventControllerLegacy *controller,
                    GdkEvent                 *event,
                    CoLockScreen             *self)
{
  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_MOTION_NOTIFY:
    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
    case GDK_KEY_PRESS:
    case GDK_KEY_RELEASE:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCH_UPDATE:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      self->last_input = g_get_monotonic_time ();
      break;
    default:
      break;
    }

  return GDK_EVENT_PROPAGATE;
}

/* The window @window belongs to: itself, or the window a dialog (a
 * dialog of a dialog...) is transient for. */
static GtkWindow *
get_root_window (GtkWindow *window)
{
  GtkWindow *parent;
  guint depth = 0;

  while ((parent = gtk_window_get_transient_for (window)) != NULL && depth++ < 16)
    window = parent;

  return window;
}

/* Input into a dialog of a window with a lock screen is input for it: the
 * person is at work, the window must not lock behind the dialog. */
static gboolean
on_dialog_event_cb (GtkEventControllerLegacy *controller,
                    GdkEvent                 *event,
                    gpointer                  user_data)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWindow *root = get_root_window (GTK_WINDOW (widget));
  CoLockScreen *self;

  if (root == GTK_WINDOW (widget) ||
      (self = co_lock_screen_get_for_window (root)) == NULL)
    return GDK_EVENT_PROPAGATE;

  return on_window_event_cb (controller, event, self);
}

#define DIALOG_WATCHED_KEY "co-lock-screen-watched"

static void
watch_toplevels (GListModel *toplevels,
                 guint       position,
                 guint       removed,
                 guint       added,
                 gpointer    user_data)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      GtkEventController *controller;

      if (!GTK_IS_WINDOW (window) || g_object_get_data (window, DIALOG_WATCHED_KEY))
        continue;

      /* Which window it belongs to is asked at each event: transient-for
       * is set after the dialog is made, and may change. */
      controller = gtk_event_controller_legacy_new ();
      gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
      g_signal_connect (controller, "event", G_CALLBACK (on_dialog_event_cb), NULL);
      gtk_widget_add_controller (GTK_WIDGET (window), controller);
      g_object_set_data (window, DIALOG_WATCHED_KEY, GINT_TO_POINTER (TRUE));
    }
}

static void
on_idle_seconds_changed_cb (CoLockScreen *self)
{
  self->last_input = g_get_monotonic_time ();
  schedule_check (self);
}

static void
on_window_destroy_cb (CoLockScreen *self)
{
  if (self->locked)
    set_app_actions_enabled (self, TRUE);
  /* Another user unlocked, or the app quits: the first one's dialogs go. */
  release_dialogs (self, FALSE);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
}

/* GObject overrides */

static void
co_lock_screen_dispose (GObject *object)
{
  CoLockScreen *self = CO_LOCK_SCREEN (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_weak_pointer (&self->window);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->locked_user, g_free);
  g_clear_pointer (&self->hidden, g_ptr_array_unref);

  /* The template's one child is the bin's: AdwBin lets it go. */
  adw_bin_set_child (ADW_BIN (self), NULL);

  G_OBJECT_CLASS (co_lock_screen_parent_class)->dispose (object);
}

static void
co_lock_screen_class_init (CoLockScreenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_lock_screen_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-lock-screen.ui");
  gtk_widget_class_bind_template_child (widget_class, CoLockScreen, status_page);
  gtk_widget_class_bind_template_child (widget_class, CoLockScreen, username_row);
  gtk_widget_class_bind_template_child (widget_class, CoLockScreen, password_row);
  gtk_widget_class_bind_template_child (widget_class, CoLockScreen, error_label);
  gtk_widget_class_bind_template_child (widget_class, CoLockScreen, unlock_button);
  gtk_widget_class_bind_template_callback (widget_class, on_unlock_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);
}

static void
co_lock_screen_init (CoLockScreen *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->hidden = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Public API */

CoLockScreen *
co_lock_screen_install (AdwApplicationWindow *window,
                        GSettings            *settings)
{
  CoLockScreen *self;
  GtkEventController *controller;

  g_return_val_if_fail (ADW_IS_APPLICATION_WINDOW (window), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  if ((self = co_lock_screen_get_for_window (GTK_WINDOW (window))))
    return self;

  self = g_object_ref_sink (g_object_new (CO_TYPE_LOCK_SCREEN, NULL));
  g_set_weak_pointer (&self->window, window);

  /* The content and the lock screen in a stack, in the window for good. */
  {
    g_autoptr(GtkWidget) content = g_object_ref (adw_application_window_get_content (window));
    GtkWidget *stack = gtk_stack_new ();

    adw_application_window_set_content (window, NULL);
    gtk_stack_add_named (GTK_STACK (stack), content, "content");
    gtk_stack_add_named (GTK_STACK (stack), GTK_WIDGET (self), "lock");
    gtk_stack_set_visible_child_name (GTK_STACK (stack), "content");
    adw_application_window_set_content (window, stack);
    self->stack = GTK_STACK (stack);
  }
  self->settings = g_object_ref (settings);
  self->last_input = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (window), LOCK_SCREEN_KEY, self, g_object_unref);

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "event", G_CALLBACK (on_window_event_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);

  /* Every toplevel, now and later (the list lives as long as the
   * process): input into a dialog counts for the window it belongs to. */
  {
    static gsize watching = 0;

    if (g_once_init_enter (&watching))
      {
        GListModel *toplevels = gtk_window_get_toplevels ();

        g_signal_connect (toplevels, "items-changed", G_CALLBACK (watch_toplevels), NULL);
        watch_toplevels (toplevels, 0, 0, g_list_model_get_n_items (toplevels), NULL);
        g_once_init_leave (&watching, 1);
      }
  }

  g_signal_connect_object (window, "destroy", G_CALLBACK (on_window_destroy_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_swapped (settings, "changed::idle-lock-seconds",
                            G_CALLBACK (on_idle_seconds_changed_cb), self);
  schedule_check (self);

  return self;
}

CoLockScreen *
co_lock_screen_get_for_window (GtkWindow *window)
{
  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);

  return g_object_get_data (G_OBJECT (window), LOCK_SCREEN_KEY);
}

void
co_lock_screen_lock (CoLockScreen *self)
{
  CoClient *client;
  const char *username = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (CO_IS_LOCK_SCREEN (self));

  if (self->locked || self->window == NULL)
    return;

  client = get_client (self);
  if (client != NULL && co_client_get_signed_in (client))
    username = co_client_get_username (client);
  g_free (self->locked_user);
  self->locked_user = g_strdup (username);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  /* The focused entry gets its focus-out before it leaves the window. */
  gtk_window_set_focus (GTK_WINDOW (self->window), NULL);
  self->locked = TRUE;
  set_app_actions_enabled (self, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "lock");
  hide_dialogs (self);

  if (username != NULL && *username != '\0')
    /* Translators: %s is a user name */
    description = g_strdup_printf (_("Card Office locked itself after a time without use. Enter the password of %s to go on, or sign in as someone else."),
                                   username);
  adw_status_page_set_description (self->status_page, description);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username ? username : "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_error (self, NULL);
  set_busy (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  g_debug ("locked");
}

gboolean
co_lock_screen_get_locked (CoLockScreen *self)
{
  g_return_val_if_fail (CO_IS_LOCK_SCREEN (self), FALSE);

  return self->locked;
}
