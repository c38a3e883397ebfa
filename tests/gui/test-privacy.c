/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Privacy on the desk (issue #8), against the reference server: what the
 * app writes is 0600 in 0700 folders; the session token is in no file;
 * after the idle time the window hides its content and asks for the
 * password (a wrong one is said, the same user gets the window back as it
 * was, another user gets a new window); 清除本地数据 warns about unsent
 * check-ins, then removes the store and the print cache and signs out.
 */
#define G_LOG_DOMAIN "test-privacy"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "co-gui-session-util.h"
#include "co-lock-screen.h"
#include "co-print-page.h"
#include "co-secret-token.h"

#define LOCK_SECONDS 2

static CoTestSession session;

/* Helpers */

static char *
store_path (void)
{
  return g_strdup (g_getenv ("CARD_OFFICE_STORE"));
}

static GtkWidget *
lock_child (CoLockScreen *lock,
            const char   *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (lock), CO_TYPE_LOCK_SCREEN, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static CoLockScreen *
get_lock (void)
{
  CoLockScreen *lock = co_lock_screen_get_for_window (GTK_WINDOW (session.window));

  g_assert_nonnull (lock);
  return lock;
}

static gboolean
locked_cb (gpointer user_data)
{
  return co_lock_screen_get_locked (user_data);
}

static gboolean
unlocked_cb (gpointer user_data)
{
  return !co_lock_screen_get_locked (user_data);
}

static gboolean
lock_error_shown_cb (gpointer user_data)
{
  CoLockScreen *lock = user_data;

  return gtk_widget_get_visible (lock_child (lock, "error_label")) &&
         gtk_widget_get_sensitive (lock_child (lock, "unlock_button"));
}

static gboolean
pointer_cleared_cb (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

static GtkWidget *
roster_search_entry (void)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (session.roster_page),
                                                    CO_TYPE_ROSTER_PAGE, "search_entry"));
}

/* The one CoWindow of the application (after the old one went). */
static void
follow_new_window (void)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (session.app));

  session.window = NULL;
  for (const GList *l = windows; l != NULL; l = l->next)
    if (CO_IS_WINDOW (l->data))
      session.window = CO_WINDOW (l->data);
  g_assert_nonnull (session.window);
  session.roster_page = CO_ROSTER_PAGE (gtk_widget_get_template_child (GTK_WIDGET (session.window),
                                                                        CO_TYPE_WINDOW, "roster_page"));
  co_test_wait_for_mapped (GTK_WIDGET (session.window));
}

static void
lock_by_idling (CoLockScreen *lock)
{
  GSettings *settings = co_application_get_settings (session.app);

  g_assert_false (co_lock_screen_get_locked (lock));
  g_settings_set_uint (settings, "idle-lock-seconds", LOCK_SECONDS);
  /* No input: it locks by itself. */
  g_assert_true (co_test_wait_until (locked_cb, lock, 30000));
  /* No further locking while the test types. */
  g_settings_set_uint (settings, "idle-lock-seconds", 0);

  co_test_wait_for_mapped (GTK_WIDGET (lock));
  /* Nothing of the window's pages is on screen. */
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (session.roster_page)));
  g_assert_false (gtk_widget_get_mapped (co_test_find_descendant (GTK_WIDGET (session.window),
                                                                  GTK_TYPE_COLUMN_VIEW)));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (session.window),
                                                                                    CO_TYPE_WINDOW, "sidebar"))));
}

static void
submit (CoLockScreen *lock,
        const char   *username,
        const char   *password)
{
  gtk_editable_set_text (GTK_EDITABLE (lock_child (lock, "username_row")), username);
  gtk_editable_set_text (GTK_EDITABLE (lock_child (lock, "password_row")), password);
  g_signal_emit_by_name (lock_child (lock, "password_row"), "entry-activated");
}

static gboolean
render_done_cb (gpointer user_data)
{
  CoPrintPage *page = user_data;

  return !co_print_page_get_busy (page) && co_print_page_get_n_pages (page) > 0;
}

/* Every file under @path: 0600; every folder: 0700. */
static guint
assert_private_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  struct stat st;
  guint n = 0;

  if (g_lstat (path, &st) != 0)
    return 0;

  if (S_ISDIR (st.st_mode))
    {
      if ((st.st_mode & 0777) != 0700)
        g_error ("folder %s is %03o, not 0700", path, st.st_mode & 0777);
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          n += assert_private_tree (child);
        }
      return n;
    }

  if ((st.st_mode & 0777) != 0600)
    g_error ("file %s is %03o, not 0600", path, st.st_mode & 0777);

  return 1;
}

/* Whether any file under @path holds @needle. */
static gboolean
tree_contains (const char *path,
               const char *needle)
{
  g_autoptr(GDir) dir = NULL;
  g_autofree char *contents = NULL;
  const char *name;
  gsize length;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return FALSE;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (tree_contains (child, needle))
            return TRUE;
        }
      return FALSE;
    }

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  for (gsize n = strlen (needle), i = 0; i + n <= length; i++)
    if (memcmp (contents + i, needle, n) == 0)
      return TRUE;

  return FALSE;
}

/* Tests */

static void
test_sign_in (void)
{
  CoSignInDialog *dialog = co_test_session_open_sign_in (&session);

  co_test_dialog_submit (dialog, "demo", "demo");
  g_assert_true (co_test_wait_until (co_test_dialog_gone_cb, NULL, CO_TEST_TIMEOUT_MS));
  co_test_session_wait_synced (&session);
}

static void
test_files_private (void)
{
  g_autofree char *path = store_path ();
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "card-office", NULL);
  g_autofree char *data = g_build_filename (g_get_user_data_dir (), "card-office", NULL);
  g_autofree char *config = g_build_filename (g_get_user_config_dir (), "card-office", NULL);
  g_autofree char *export_dir = NULL;
  g_autofree char *exported = NULL;
  g_autoptr(GError) error = NULL;
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (
    gtk_column_view_get_model (GTK_COLUMN_VIEW (gtk_widget_get_template_child (GTK_WIDGET (session.roster_page),
                                                                             CO_TYPE_ROSTER_PAGE, "column_view"))));
  CoPrintPage *page = CO_PRINT_PAGE (gtk_widget_get_template_child (GTK_WIDGET (session.window),
                                                                   CO_TYPE_WINDOW, "print_page"));
  struct stat st;
  guint n;

  /* 打印卡贴 for two students: a PDF in the print cache, then exported. */
  gtk_selection_model_select_range (selection, 0, 2, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (session.window), "win.print-selection", NULL);
  co_print_page_render (page);
  g_assert_true (co_test_wait_until (render_done_cb, page, 60000));
  g_assert_nonnull (co_print_page_get_pdf_path (page));
  g_assert_true (g_str_has_prefix (co_print_page_get_pdf_path (page), cache));
  export_dir = g_dir_make_tmp ("co-export-XXXXXX", &error);
  g_assert_no_error (error);
  exported = g_build_filename (export_dir, "stickers.pdf", NULL);
  g_assert_true (co_print_page_export_pdf (page, exported, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (exported, &st), ==, 0);
  /* The export copies the cache file's mode (the folder is the user's). */
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_remove (exported);
  g_rmdir (export_dir);
  gtk_selection_model_unselect_all (selection);
  co_window_set_page (session.window, "students");
  co_test_wait_for_mapped (GTK_WIDGET (session.roster_page));

  /* The store folder (the test's own), the store and its -wal, -shm. */
  n = assert_private_tree (session.store_dir);
  g_assert_cmpuint (n, >=, 2);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  /* Whatever the app made in the usual places: the print cache at least. */
  g_assert_cmpuint (assert_private_tree (cache), >=, 1);
  assert_private_tree (data);
  assert_private_tree (config);
}

static void
test_token_not_on_disk (void)
{
  CoClient *client = co_test_session_get_client (&session);
  const char *token = co_client_get_token (client);
  const char * const dirs[] = {
    g_get_user_data_dir (), g_get_user_cache_dir (), g_get_user_config_dir (), session.store_dir,
  };

  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), >=, 16);
  if (co_secret_token_available ())
    g_test_message ("a session bus is there: the token may be in the Secret Service");

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    if (tree_contains (dirs[i], token))
      g_error ("the session token is in a file under %s", dirs[i]);
}

static void
test_idle_lock (void)
{
  CoLockScreen *lock = get_lock ();
  GtkWidget *search = roster_search_entry ();
  GtkWidget *password_row = lock_child (lock, "password_row");
  GtkWidget *error_label = lock_child (lock, "error_label");

  co_test_assert_template (GTK_WIDGET (lock), CO_TYPE_LOCK_SCREEN,
                           RESOURCE_PREFIX "/ui/co-lock-screen.ui");
  gtk_editable_set_text (GTK_EDITABLE (search), "zhang");
  lock_by_idling (lock);
  /* Nobody changes the preferences or clears the data meanwhile. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (session.app), "preferences"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (session.app), "clear-local-data"));
  /* It names who to unlock as. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (lock_child (lock, "username_row"))), ==, "demo");

  /* A wrong password: said in words, what was typed kept. */
  submit (lock, "demo", "not-the-password");
  g_assert_true (co_test_wait_until (lock_error_shown_cb, lock, CO_TEST_TIMEOUT_MS));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==,
                   g_dgettext (GETTEXT_PACKAGE, "Wrong username or password."));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password_row)), ==, "not-the-password");
  g_assert_true (co_lock_screen_get_locked (lock));

  /* Empty: refused before asking the server. */
  submit (lock, "demo", "");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==,
                   g_dgettext (GETTEXT_PACKAGE, "Enter your password."));

  /* The same user: the window as it was, search included. */
  submit (lock, "demo", "demo");
  g_assert_true (co_test_wait_until (unlocked_cb, lock, CO_TEST_TIMEOUT_MS));
  co_test_wait_for_mapped (GTK_WIDGET (session.roster_page));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "zhang");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password_row)), ==, "");
  g_assert_true (co_client_get_signed_in (co_test_session_get_client (&session)));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (session.app), "preferences"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (session.app), "clear-local-data"));
}

static void
test_other_user (void)
{
  CoLockScreen *lock = get_lock ();
  gpointer old_window = session.window;

  g_object_add_weak_pointer (G_OBJECT (old_window), &old_window);
  lock_by_idling (lock);

  submit (lock, "demo2", "demo2");
  /* The old window (its search, its selection) is gone, not shown. */
  g_assert_true (co_test_wait_until (pointer_cleared_cb, &old_window, CO_TEST_TIMEOUT_MS));
  follow_new_window ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (roster_search_entry ())), ==, "");
  g_assert_cmpstr (co_client_get_username (co_test_session_get_client (&session)), ==, "demo2");
  {
    g_autofree char *saved = g_settings_get_string (co_application_get_settings (session.app), "username");
    g_assert_cmpstr (saved, ==, "demo2");
  }
  /* The new window locks too. */
  g_assert_nonnull (co_lock_screen_get_for_window (GTK_WINDOW (session.window)));
  co_test_session_wait_synced (&session);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (w))
        return ADW_MESSAGE_DIALOG (w);
    }

  return NULL;
}

static gboolean
message_dialog_shown_cb (gpointer user_data)
{
  return find_message_dialog () != NULL;
}

static gboolean
message_dialog_gone_cb (gpointer user_data)
{
  return find_message_dialog () == NULL;
}

static void
test_clear_local_data (void)
{
  CoStore *store = co_test_session_get_store (&session);
  g_autofree char *path = store_path ();
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "card-office", NULL);
  g_autofree char *cache_file = g_build_filename (cache, "print-test.pdf", NULL);
  g_autofree char *key = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  gpointer old_window = session.window;
  AdwMessageDialog *dialog;
  struct stat st;

  g_assert_cmpuint (co_store_get_n_students (store), >, 0);
  /* A check-in not yet sent, and a print file in the cache. */
  key = co_store_add_check_in (store, "event-1", NULL, "unknown", now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (co_store_get_n_outbox (store), ==, 1);
  g_assert_cmpint (g_mkdir_with_parents (cache, 0700), ==, 0);
  g_assert_true (g_file_set_contents_full (cache_file, "%PDF-1.5", -1,
                                          G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL));

  /* Asked first, with the unsent check-in; "Cancel" keeps everything. */
  g_action_group_activate_action (G_ACTION_GROUP (session.app), "clear-local-data", NULL);
  g_assert_true (co_test_wait_until (message_dialog_shown_cb, NULL, CO_TEST_TIMEOUT_MS));
  dialog = find_message_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "1 check-in"));
  /* As its buttons do: the response, then the dialog closes. */
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (co_test_wait_until (message_dialog_gone_cb, NULL, CO_TEST_TIMEOUT_MS));
  g_assert_true (g_file_test (cache_file, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (co_store_get_n_outbox (store), ==, 1);

  g_object_add_weak_pointer (G_OBJECT (old_window), &old_window);
  g_action_group_activate_action (G_ACTION_GROUP (session.app), "clear-local-data", NULL);
  g_assert_true (co_test_wait_until (message_dialog_shown_cb, NULL, CO_TEST_TIMEOUT_MS));
  dialog = find_message_dialog ();
  adw_message_dialog_response (dialog, "clear");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (co_test_wait_until (pointer_cleared_cb, &old_window, CO_TEST_TIMEOUT_MS));
  follow_new_window ();

  /* The print cache is gone; the store file went with its roster,
   * cursor and outbox (the new window opened a new, empty one, private
   * like the first). */
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));
  store = co_test_session_get_store (&session);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpuint (co_store_get_n_students (store), ==, 0);
  g_assert_cmpuint (co_store_get_n_outbox (store), ==, 0);
  g_assert_null (co_store_get_cursor (store));

  /* Signed out. */
  g_assert_false (co_client_get_signed_in (co_test_session_get_client (&session)));
  {
    g_autofree char *saved = g_settings_get_string (co_application_get_settings (session.app), "username");
    g_assert_cmpstr (saved, ==, "");
  }
}

int
main (int   argc,
      char *argv[])
{
  const char * const server_args[] = { "--demo", "--demo-size", "60", NULL };
  int ret;

  test_server_parse_args (&argc, argv);
  co_test_set_locale ("C.UTF-8");

  if (!co_test_init_gui (&argc, &argv))
    return CO_TEST_EXIT_SKIP;
  if (test_server_binary () == NULL)
    {
      g_printerr ("no reference server: skipping\n");
      return CO_TEST_EXIT_SKIP;
    }

  co_test_session_start (&session, server_args);

  /* In order: each goes on from where the last left the app. */
  g_test_add_func ("/gui/privacy/sign-in", test_sign_in);
  g_test_add_func ("/gui/privacy/files-private", test_files_private);
  g_test_add_func ("/gui/privacy/token-not-on-disk", test_token_not_on_disk);
  g_test_add_func ("/gui/privacy/idle-lock", test_idle_lock);
  g_test_add_func ("/gui/privacy/other-user", test_other_user);
  g_test_add_func ("/gui/privacy/clear-local-data", test_clear_local_data);

  ret = g_test_run ();

  co_test_session_stop (&session);

  return ret;
}
