/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The main window: a sidebar naming the desk's jobs beside a stack with one
 * page per job. The sidebar rows are made from the stack's pages, so the
 * template holds each page's name, title and icon once.
 */
#define G_LOG_DOMAIN "co-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-application.h"
#include "co-batch-page.h"
#include "co-log-page.h"
#include "co-print-page.h"
#include "co-reissues-page.h"
#include "co-roster-page.h"
#include "co-sign-in-dialog.h"
#include "co-student-page.h"
#include "co-sync.h"
#include "co-verify-page.h"
#include "co-window.h"

#define PAGE_ACTION_PREFIX "win.page-"
#define ROW_PAGE_NAME_KEY  "co-page-name"
/* Shown from the roster (win.show-student), not from the sidebar. */
#define STUDENT_PAGE_NAME  "student"

struct _CoWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  GtkListBox           *sidebar;
  GtkStack             *stack;
  AdwWindowTitle       *content_title;
  GtkMenuButton        *primary_menu_button;
  GMenuModel           *primary_menu;
  CoRosterPage         *roster_page;
  CoReissuesPage       *reissues_page;
  CoBatchPage          *batch_page;
  CoPrintPage          *print_page;
  CoVerifyPage         *verify_page;
  CoLogPage            *log_page;
  CoStudentPage        *student_page;
  GtkButton            *sign_in_button;
  GtkButton            *sync_button;
  GtkSpinner           *sync_spinner;
  GtkLabel             *sync_label;

  /* Borrowed references */
  CoSignInDialog       *sign_in_dialog;

  /* Owned references */
  GSettings            *settings;
  CoClient             *client;        /* the one whose token-expired we handle */
  GCancellable         *sync_cancellable;
};

G_DEFINE_FINAL_TYPE (CoWindow, co_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* In sidebar order; Alt+1 … Alt+6 follow it. */
static const struct
{
  const char *action;
  guint       key;
} page_actions[] = {
  { PAGE_ACTION_PREFIX "students",     GDK_KEY_1 },
  { PAGE_ACTION_PREFIX "reissues",     GDK_KEY_2 },
  { PAGE_ACTION_PREFIX "batches",      GDK_KEY_3 },
  { PAGE_ACTION_PREFIX "printing",     GDK_KEY_4 },
  { PAGE_ACTION_PREFIX "verification", GDK_KEY_5 },
  { PAGE_ACTION_PREFIX "log",          GDK_KEY_6 },
};

/* Helpers */

static GtkWidget *
create_sidebar_row (GtkStackPage *page)
{
  const char *name = gtk_stack_page_get_name (page);
  g_autofree char *action = g_strconcat (PAGE_ACTION_PREFIX, name, NULL);
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *image;
  GtkWidget *label;

  image = gtk_image_new_from_icon_name (gtk_stack_page_get_icon_name (page));

  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  g_object_bind_property (page, "title", label, "label", G_BINDING_SYNC_CREATE);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), action);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  -1);
  g_object_set_data_full (G_OBJECT (row), ROW_PAGE_NAME_KEY, g_strdup (name), g_free);

  return row;
}

static void
populate_sidebar (CoWindow *self)
{
  g_autoptr(GtkSelectionModel) pages = gtk_stack_get_pages (self->stack);
  guint n_pages = g_list_model_get_n_items (G_LIST_MODEL (pages));

  for (guint i = 0; i < n_pages; i++)
    {
      /* GtkStackPage has no g_autoptr() before GTK 4.10. */
      GtkStackPage *page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      if (g_strcmp0 (gtk_stack_page_get_name (page), STUDENT_PAGE_NAME) != 0)
        gtk_list_box_append (self->sidebar, create_sidebar_row (page));
      g_object_unref (page);
    }
}

static void
select_sidebar_row (CoWindow   *self,
                    const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!GTK_IS_LIST_BOX_ROW (child))
        continue;

      if (g_strcmp0 (g_object_get_data (G_OBJECT (child), ROW_PAGE_NAME_KEY), name) == 0)
        {
          if (gtk_list_box_get_selected_row (self->sidebar) != GTK_LIST_BOX_ROW (child))
            gtk_list_box_select_row (self->sidebar, GTK_LIST_BOX_ROW (child));
          return;
        }
    }
}

static void
update_visible_page (CoWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);
  GtkStackPage *page;

  if (child == NULL)
    return;

  page = gtk_stack_get_page (self->stack, child);
  adw_window_title_set_title (self->content_title, gtk_stack_page_get_title (page));
  select_sidebar_row (self, gtk_stack_page_get_name (page));
}

static void
save_window_state (CoWindow *self)
{
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));

  g_settings_set_boolean (self->settings, "window-maximized", maximized);

  /* In GTK 4 the default size follows the unmaximized size. */
  if (!maximized)
    {
      int width;
      int height;

      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static void
restore_window_state (CoWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

/* Session: sign-in, token expiry, roster sync */

static void start_sync (CoWindow *self);

static void
update_session (CoWindow *self)
{
  gboolean signed_in = self->client != NULL && co_client_get_signed_in (self->client);
  const char *username = signed_in ? co_client_get_username (self->client) : NULL;

  if (username != NULL && *username != '\0')
    gtk_button_set_label (self->sign_in_button, username);
  else
    gtk_button_set_label (self->sign_in_button, _("Sign In"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sign_in_button),
                               signed_in ? _("Signed in: sign in as someone else") : NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync",
                                 signed_in && self->sync_cancellable == NULL);
  co_roster_page_set_signed_in (self->roster_page, signed_in);
}

static void
on_sign_in_dialog_signed_in_cb (CoSignInDialog *dialog,
                                CoWindow       *self)
{
  update_session (self);
  start_sync (self);
}

static void
on_sign_in_dialog_expired_signed_in_cb (CoSignInDialog *dialog,
                                        CoWindow       *self)
{
  /* The client sends the waiting requests again by itself. */
  update_session (self);
}

static void
on_sign_in_dialog_cancelled_cb (CoSignInDialog *dialog,
                                CoClient       *client)
{
  co_client_abandon_sign_in (client);
}

static gboolean
on_client_token_expired_cb (CoClient *client,
                            CoWindow *self)
{
  CoSignInDialog *dialog;

  /* Another request ran out while the dialog is open: it waits too. */
  if (self->sign_in_dialog != NULL)
    return TRUE;

  dialog = co_sign_in_dialog_new (GTK_WINDOW (self), client, self->settings, TRUE);
  g_signal_connect_object (dialog, "signed-in",
                           G_CALLBACK (on_sign_in_dialog_expired_signed_in_cb), self, 0);
  g_signal_connect_object (dialog, "cancelled",
                           G_CALLBACK (on_sign_in_dialog_cancelled_cb), client, 0);
  g_set_weak_pointer (&self->sign_in_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

/* The application's current client (a new one after the server
 * preference changes), with our token-expired handler. */
static CoClient *
get_client (CoWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  CoClient *client;

  if (!CO_IS_APPLICATION (app))
    return NULL;

  client = co_application_get_client (CO_APPLICATION (app));
  if (client != self->client)
    {
      if (self->client != NULL)
        g_signal_handlers_disconnect_by_data (self->client, self);
      g_set_object (&self->client, client);
      g_signal_connect (client, "token-expired", G_CALLBACK (on_client_token_expired_cb), self);
      /* A session taken back from the Secret Service, or ended. */
      g_signal_connect_swapped (client, "notify::signed-in", G_CALLBACK (update_session), self);
    }

  return client;
}

static void
sync_progress_cb (const CoSyncStats *so_far,
                  gpointer           user_data)
{
  CoWindow *self = user_data;
  g_autofree char *text = NULL;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Syncing… %u student",
                                       "Syncing… %u students", so_far->students),
                          so_far->students);
  gtk_label_set_text (self->sync_label, text);
}

static void
sync_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CoWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!co_sync_run_finish (CO_STORE (object), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_clear_object (&self->sync_cancellable);
      gtk_spinner_stop (self->sync_spinner);
      gtk_label_set_text (self->sync_label,
                          _("Sync failed: the list shows the roster of the last sync."));
      update_session (self);
      return;
    }

  g_clear_object (&self->sync_cancellable);
  gtk_spinner_stop (self->sync_spinner);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *time = g_date_time_format (now, "%H:%M");
    /* Translators: %s is a time of day (14:05) */
    g_autofree char *text = g_strdup_printf (_("Last synced %s"), time);

    gtk_label_set_text (self->sync_label, text);
  }
  update_session (self);
}

static void
start_sync (CoWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GError) error = NULL;
  CoClient *client = get_client (self);
  CoStore *store;

  if (client == NULL || self->sync_cancellable != NULL)
    return;

  store = co_application_get_store (CO_APPLICATION (app), &error);
  if (store == NULL)
    {
      gtk_label_set_text (self->sync_label, _("The local roster file cannot be opened."));
      return;
    }

  self->sync_cancellable = g_cancellable_new ();
  gtk_spinner_start (self->sync_spinner);
  gtk_label_set_text (self->sync_label, _("Syncing…"));
  update_session (self);
  co_sync_run_async (store, client, 0, sync_progress_cb, self, NULL,
                     self->sync_cancellable, sync_cb, g_object_ref (self));
}

static void
on_application_changed_cb (CoWindow   *self,
                           GParamSpec *pspec)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GError) error = NULL;
  CoStore *store;

  if (!CO_IS_APPLICATION (app))
    return;

  get_client (self);
  store = co_application_get_store (CO_APPLICATION (app), &error);
  if (store == NULL)
    g_warning ("The local store cannot be opened: %s", error->message);
  co_roster_page_set_store (self->roster_page, store);
  update_session (self);
}

/* Actions */

static void
co_window_sign_in_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CoWindow *self = CO_WINDOW (widget);
  CoClient *client = get_client (self);
  CoSignInDialog *dialog;

  if (client == NULL)
    return;

  if (self->sign_in_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->sign_in_dialog));
      return;
    }

  dialog = co_sign_in_dialog_new (GTK_WINDOW (self), client, self->settings, FALSE);
  g_signal_connect_object (dialog, "signed-in",
                           G_CALLBACK (on_sign_in_dialog_signed_in_cb), self, 0);
  g_set_weak_pointer (&self->sign_in_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
co_window_sync_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  start_sync (CO_WINDOW (widget));
}

/* 打印卡贴… on the Students page: its selection goes to the print page. */
static void
co_window_print_selection_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  CoWindow *self = CO_WINDOW (widget);
  g_autoptr(GPtrArray) students = co_roster_page_get_selected (self->roster_page);

  if (students->len == 0)
    return;

  co_print_page_set_kind (self->print_page, CO_PRINT_KIND_STICKERS);
  co_print_page_set_selection (self->print_page, students);
  co_window_set_page (self, "printing");
}

/* 发卡 on a batch delivered to the school: the 核验 page, handing out. */
static void
co_window_handout_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CoWindow *self = CO_WINDOW (widget);

  co_verify_page_set_handout_mode (self->verify_page, TRUE);
  co_window_set_page (self, "verification");
  gtk_widget_grab_focus (GTK_WIDGET (self->verify_page));
}

/* 打印发放名单 of a batch: its students (education IDs) as a handout
 * list on the print page. */
static void
co_window_print_handout_list_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  CoWindow *self = CO_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GPtrArray) students = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree const char **edu_ids = g_variant_get_strv (parameter, NULL);
  CoStore *store;

  if (!CO_IS_APPLICATION (app) || !(store = co_application_get_store (CO_APPLICATION (app), NULL)))
    return;
  for (guint i = 0; edu_ids[i] != NULL; i++)
    {
      CoStudent *student = co_store_lookup_student (store, edu_ids[i]);

      if (student != NULL)
        g_ptr_array_add (students, student);
    }
  if (students->len == 0)
    return;

  co_print_page_set_kind (self->print_page, CO_PRINT_KIND_HANDOUT);
  co_print_page_set_selection (self->print_page, students);
  co_window_set_page (self, "printing");
}

/* A roster (or reissue) row activated: that student's page, over the
 * roster. In the window's action map, so a test may stand in for it. */
static void
co_window_show_student_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  CoWindow *self = CO_WINDOW (user_data);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  const char *edu_id = g_variant_get_string (parameter, NULL);
  CoStore *store = NULL;

  if (CO_IS_APPLICATION (app))
    store = co_application_get_store (CO_APPLICATION (app), NULL);

  co_student_page_show (self->student_page, get_client (self), store, edu_id);
  gtk_stack_set_visible_child_name (self->stack, STUDENT_PAGE_NAME);
  gtk_widget_grab_focus (GTK_WIDGET (self->student_page));
}

static void
co_window_page_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  g_assert (g_str_has_prefix (action_name, PAGE_ACTION_PREFIX));

  co_window_set_page (CO_WINDOW (widget), action_name + strlen (PAGE_ACTION_PREFIX));
}

/* Callbacks */

static void
on_sidebar_row_selected_cb (GtkListBox    *sidebar,
                            GtkListBoxRow *row,
                            CoWindow      *self)
{
  const char *name;

  if (row == NULL)
    return;

  name = g_object_get_data (G_OBJECT (row), ROW_PAGE_NAME_KEY);
  if (name != NULL)
    co_window_set_page (self, name);
}

static void
on_stack_visible_child_cb (GtkStack   *stack,
                           GParamSpec *pspec,
                           CoWindow   *self)
{
  update_visible_page (self);
}

/* GtkWindow overrides */

static gboolean
co_window_close_request (GtkWindow *window)
{
  save_window_state (CO_WINDOW (window));

  return GTK_WINDOW_CLASS (co_window_parent_class)->close_request (window);
}

/* GObject overrides */

static void
co_window_constructed (GObject *object)
{
  CoWindow *self = CO_WINDOW (object);

  G_OBJECT_CLASS (co_window_parent_class)->constructed (object);

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);

  restore_window_state (self);
}

static void
co_window_dispose (GObject *object)
{
  CoWindow *self = CO_WINDOW (object);

  g_cancellable_cancel (self->sync_cancellable);
  g_clear_object (&self->sync_cancellable);
  if (self->sign_in_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->sign_in_dialog));
  g_clear_weak_pointer (&self->sign_in_dialog);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);

  gtk_widget_dispose_template (GTK_WIDGET (self), CO_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (co_window_parent_class)->dispose (object);
}

static void
co_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CoWindow *self = CO_WINDOW (object);

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
co_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CoWindow *self = CO_WINDOW (object);

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
co_window_class_init (CoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = co_window_constructed;
  object_class->dispose = co_window_dispose;
  object_class->get_property = co_window_get_property;
  object_class->set_property = co_window_set_property;

  window_class->close_request = co_window_close_request;

  /**
   * CoWindow:settings:
   *
   * The application's settings, where the window keeps its size.
   * %NULL at construction means org.cardoffice.CardOffice.
   */
  properties [PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CO_TYPE_BATCH_PAGE);
  g_type_ensure (CO_TYPE_LOG_PAGE);
  g_type_ensure (CO_TYPE_PRINT_PAGE);
  g_type_ensure (CO_TYPE_REISSUES_PAGE);
  g_type_ensure (CO_TYPE_ROSTER_PAGE);
  g_type_ensure (CO_TYPE_STUDENT_PAGE);
  g_type_ensure (CO_TYPE_VERIFY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CoWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, CoWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CoWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, CoWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CoWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, CoWindow, roster_page);
  gtk_widget_class_bind_template_child (widget_class, CoWindow, reissues_page);
  gtk_widget_class_bind_template_child (widget_class, CoWindow, batch_page);
  gtk_widget_class_bind_template_child (widget_class, CoWindow, print_page);
  gtk_widget_class_bind_template_child (widget_class, CoWindow, verify_page);
  gtk_widget_class_bind_template_child (widget_class, CoWindow, log_page);
  gtk_widget_class_bind_template_child (widget_class, CoWindow, student_page);
  gtk_widget_class_bind_template_child (widget_class, CoWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, CoWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, CoWindow, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, CoWindow, sync_label);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stack_visible_child_cb);

  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, co_window_sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, co_window_sync_action);
  gtk_widget_class_install_action (widget_class, "win.print-selection", NULL,
                                   co_window_print_selection_action);
  gtk_widget_class_install_action (widget_class, "win.handout", NULL, co_window_handout_action);
  gtk_widget_class_install_action (widget_class, "win.print-handout-list", "as",
                                   co_window_print_handout_list_action);

  for (guint i = 0; i < G_N_ELEMENTS (page_actions); i++)
    {
      gtk_widget_class_install_action (widget_class, page_actions[i].action, NULL,
                                       co_window_page_action);
      gtk_widget_class_add_binding_action (widget_class, page_actions[i].key, GDK_ALT_MASK,
                                           page_actions[i].action, NULL);
    }
}

static void
co_window_init (CoWindow *self)
{
  static const GActionEntry actions[] = {
    { "show-student", co_window_show_student_action, "s", NULL, NULL, { 0 } },
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);

  populate_sidebar (self);
  update_visible_page (self);

  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_changed_cb), NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync", FALSE);
}

/* Public API */

CoWindow *
co_window_new (GtkApplication *application,
               GSettings      *settings)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (CO_TYPE_WINDOW,
                       "application", application,
                       "settings", settings,
                       NULL);
}

/**
 * co_window_set_page:
 * @name: a page name: students, reissues, batches, printing, verification or log
 *
 * Shows the page called @name, and selects its sidebar row.
 */
void
co_window_set_page (CoWindow   *self,
                    const char *name)
{
  g_return_if_fail (CO_IS_WINDOW (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (gtk_stack_get_child_by_name (self->stack, name) != NULL);

  gtk_stack_set_visible_child_name (self->stack, name);
}

const char *
co_window_get_page_name (CoWindow *self)
{
  g_return_val_if_fail (CO_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}
