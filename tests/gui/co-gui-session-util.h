/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The GUI tests that sign in (test-roster, test-sign-in): the application
 * against the reference server (tests/api/test-server.h), with its own
 * store file, and the sign-in dialog driven through its widgets.
 */
#pragma once

#include <glib/gstdio.h>

#include "co-application.h"
#include "co-gui-test-util.h"
#include "co-roster-page.h"
#include "co-sign-in-dialog.h"
#include "co-window.h"
#include "test-server.h"

#define CO_TEST_SYNC_TIMEOUT_MS 60000

typedef struct
{
  TestServer    *server;
  char          *store_dir;
  CoApplication *app;
  CoWindow      *window;
  CoRosterPage  *roster_page;
} CoTestSession;

/* The start of main () in a test against the reference server: takes
 * --server=PATH out of the arguments, sets the locale to zh_CN (C.UTF-8
 * where the C library lacks it; *@chinese, unless NULL, says which) and
 * starts GTK. FALSE when there is no display or no server: the test then
 * exits with CO_TEST_EXIT_SKIP. */
static inline gboolean
co_test_session_init (int        *argc,
                      char     ***argv,
                      gboolean   *chinese)
{
  gboolean zh;

  test_server_parse_args (argc, *argv);
  zh = co_test_set_locale ("zh_CN.UTF-8");
  if (!zh)
    co_test_set_locale ("C.UTF-8");
  if (chinese != NULL)
    *chinese = zh;

  if (!co_test_init_gui (argc, argv))
    return FALSE;
  if (test_server_binary () == NULL)
    {
      g_printerr ("no reference server: skipping\n");
      return FALSE;
    }
  return TRUE;
}

static inline void
co_test_session_start (CoTestSession      *session,
                       const char * const *server_args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *store = NULL;

  session->server = test_server_start (server_args);
  session->store_dir = g_dir_make_tmp ("co-gui-store-XXXXXX", &error);
  g_assert_no_error (error);
  store = g_build_filename (session->store_dir, "store.sqlite3", NULL);
  g_setenv ("CARD_OFFICE_STORE", store, TRUE);

  session->app = co_application_new (G_APPLICATION_NON_UNIQUE);
  g_settings_set_string (co_application_get_settings (session->app), "server-url",
                         session->server->url);
  g_settings_set_string (co_application_get_settings (session->app), "username", "");
  g_application_register (G_APPLICATION (session->app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (session->app));

  session->window = CO_WINDOW (gtk_application_get_windows (GTK_APPLICATION (session->app))->data);
  session->roster_page = CO_ROSTER_PAGE (gtk_widget_get_template_child (GTK_WIDGET (session->window),
                                                                        CO_TYPE_WINDOW, "roster_page"));
  co_test_wait_for_mapped (GTK_WIDGET (session->window));
}

static inline void
co_test_session_stop (CoTestSession *session)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  gtk_window_destroy (GTK_WINDOW (session->window));
  g_clear_object (&session->app);
  test_server_stop (session->server);

  dir = g_dir_open (session->store_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (session->store_dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (session->store_dir);
  g_free (session->store_dir);
}

static inline CoClient *
co_test_session_get_client (CoTestSession *session)
{
  return co_application_get_client (session->app);
}

static inline CoStore *
co_test_session_get_store (CoTestSession *session)
{
  g_autoptr(GError) error = NULL;
  CoStore *store = co_application_get_store (session->app, &error);

  g_assert_no_error (error);
  return store;
}

static inline void
co_test_sign_in_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (co_client_sign_in_finish (CO_CLIENT (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Signs @client in (a client of the test's own, not the app's) and waits
 * until it is. */
static inline void
co_test_client_sign_in (CoClient   *client,
                        const char *username,
                        const char *password,
                        guint       timeout_ms)
{
  gboolean done = FALSE;

  co_client_sign_in_async (client, username, password, NULL, co_test_sign_in_cb, &done);
  g_assert_true (co_test_wait_until (co_test_is_true_cb, &done, timeout_ms));
}

/* The window's pages cross-fade: TRUE once the stack is still. */
static inline gboolean
co_test_session_stack_settled_cb (gpointer user_data)
{
  CoTestSession *session = user_data;
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (session->window),
                                                              CO_TYPE_WINDOW, "stack"));

  return !gtk_stack_get_transition_running (stack);
}

/* The visible sign-in dialog, or NULL. */
static inline CoSignInDialog *
co_test_find_sign_in_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (CO_IS_SIGN_IN_DIALOG (w) && gtk_widget_get_visible (w))
        return CO_SIGN_IN_DIALOG (w);
    }

  return NULL;
}

static inline gboolean
co_test_dialog_shown_cb (gpointer user_data)
{
  return co_test_find_sign_in_dialog () != NULL;
}

static inline gboolean
co_test_dialog_gone_cb (gpointer user_data)
{
  return co_test_find_sign_in_dialog () == NULL;
}

static inline GtkWidget *
co_test_dialog_child (CoSignInDialog *dialog,
                      const char     *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (dialog), CO_TYPE_SIGN_IN_DIALOG, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

/* Types the password (and the username unless NULL) and presses Enter. */
static inline void
co_test_dialog_submit (CoSignInDialog *dialog,
                       const char     *username,
                       const char     *password)
{
  GtkWidget *username_row = co_test_dialog_child (dialog, "username_row");
  GtkWidget *password_row = co_test_dialog_child (dialog, "password_row");

  if (username != NULL)
    gtk_editable_set_text (GTK_EDITABLE (username_row), username);
  gtk_editable_set_text (GTK_EDITABLE (password_row), password);
  g_signal_emit_by_name (password_row, "entry-activated");
}

static inline CoSignInDialog *
co_test_session_open_sign_in (CoTestSession *session)
{
  gtk_widget_activate_action (GTK_WIDGET (session->window), "win.sign-in", NULL);
  g_assert_true (co_test_wait_until (co_test_dialog_shown_cb, NULL, CO_TEST_TIMEOUT_MS));
  return co_test_find_sign_in_dialog ();
}

static inline gboolean
co_test_synced_cb (gpointer user_data)
{
  CoTestSession *session = user_data;
  GtkSpinner *spinner = GTK_SPINNER (gtk_widget_get_template_child (GTK_WIDGET (session->window),
                                                                    CO_TYPE_WINDOW, "sync_spinner"));
  CoStore *store = co_test_session_get_store (session);
  guint n = co_store_get_n_students (store);

  return !gtk_spinner_get_spinning (spinner) && n > 0 &&
         co_roster_page_get_ready (session->roster_page) &&
         g_list_model_get_n_items (G_LIST_MODEL (session->roster_page ? co_roster_page_get_results (session->roster_page) : NULL)) > 0;
}

/* Waits for the sync that follows a sign-in, and the list that shows it. */
static inline void
co_test_session_wait_synced (CoTestSession *session)
{
  g_assert_true (co_test_wait_until (co_test_synced_cb, session, CO_TEST_SYNC_TIMEOUT_MS));
}
