/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Sign-in against the reference server with short-lived tokens: a wrong
 * password is said in words and loses nothing typed; a session that runs
 * out in the middle of an action asks to sign in again, and the action
 * then completes.
 */
#define G_LOG_DOMAIN "test-sign-in"

#include "config.h"

#include "co-gui-session-util.h"

#define TOKEN_TTL_SECONDS "3"

static CoTestSession session;

/* Helpers */

static gboolean
error_shown_cb (gpointer user_data)
{
  CoSignInDialog *dialog = user_data;
  GtkWidget *label = co_test_dialog_child (dialog, "error_label");

  return gtk_widget_get_visible (label) &&
         gtk_widget_get_sensitive (co_test_dialog_child (dialog, "sign_in_button"));
}

typedef struct
{
  gboolean   done;
  CoStudent *student;
  GError    *error;
} LossResult;

static void
report_loss_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  LossResult *loss = user_data;

  loss->student = co_client_report_loss_finish (CO_CLIENT (object), result, &loss->error);
  loss->done = TRUE;
}

static gboolean
loss_done_cb (gpointer user_data)
{
  return ((LossResult *) user_data)->done;
}

static gboolean
token_expired_cb (gpointer user_data)
{
  gint64 *expires = user_data;

  return g_get_real_time () / G_USEC_PER_SEC > *expires;
}

/* Tests */

static void
test_wrong_password (void)
{
  CoSignInDialog *dialog = co_test_session_open_sign_in (&session);
  GtkWidget *username_row = co_test_dialog_child (dialog, "username_row");
  GtkWidget *error_label = co_test_dialog_child (dialog, "error_label");
  GtkWidget *server_row = co_test_dialog_child (dialog, "server_row");

  /* The server comes from the preferences. */
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (server_row)), ==,
                   co_client_get_base_url (co_test_session_get_client (&session)));

  co_test_dialog_submit (dialog, "demo", "not-the-password");
  g_assert_true (co_test_wait_until (error_shown_cb, dialog, CO_TEST_TIMEOUT_MS));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==,
                   g_dgettext (GETTEXT_PACKAGE, "Wrong username or password."));
  /* Still open, the username kept, nothing saved. */
  g_assert_true (co_test_find_sign_in_dialog () == dialog);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (username_row)), ==, "demo");
  g_assert_false (co_client_get_signed_in (co_test_session_get_client (&session)));
  {
    g_autofree char *saved = g_settings_get_string (co_application_get_settings (session.app), "username");
    g_assert_cmpstr (saved, ==, "");
  }

  /* An empty password is refused before asking the server. */
  co_test_dialog_submit (dialog, NULL, "");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==,
                   g_dgettext (GETTEXT_PACKAGE, "Enter your password."));

  co_test_dialog_submit (dialog, NULL, "demo");
  g_assert_true (co_test_wait_until (co_test_dialog_gone_cb, NULL, CO_TEST_TIMEOUT_MS));
  g_assert_true (co_client_get_signed_in (co_test_session_get_client (&session)));
  {
    g_autofree char *saved = g_settings_get_string (co_application_get_settings (session.app), "username");
    g_assert_cmpstr (saved, ==, "demo");
  }
  co_test_session_wait_synced (&session);
}

static void
test_expired_mid_action (void)
{
  CoClient *client = co_test_session_get_client (&session);
  CoStore *store = co_test_session_get_store (&session);
  GListModel *students = co_store_get_students (store);
  g_autoptr(GDateTime) expires_at = NULL;
  g_autoptr(CoStudent) student = NULL;
  g_autofree char *edu_id = NULL;
  CoSignInDialog *dialog;
  LossResult loss = { 0 };
  gint64 expires;

  for (guint i = 0; i < g_list_model_get_n_items (students) && student == NULL; i++)
    {
      g_autoptr(CoStudent) s = g_list_model_get_item (students, i);

      if (co_student_get_card_status (s) == CO_CARD_STATUS_ACTIVE)
        student = g_steal_pointer (&s);
    }
  g_assert_nonnull (student);
  edu_id = g_strdup (co_student_get_edu_id (student));

  /* Wait for the token's deadline to pass. */
  expires_at = g_date_time_new_from_iso8601 (co_client_get_token_expires_at (client), NULL);
  g_assert_nonnull (expires_at);
  expires = g_date_time_to_unix (expires_at);
  g_assert_true (co_test_wait_until (token_expired_cb, &expires, 30000));

  /* 挂失 with an expired session: the dialog asks to sign in again. */
  co_client_report_loss_async (client, edu_id, NULL, NULL, report_loss_cb, &loss);
  g_assert_true (co_test_wait_until (co_test_dialog_shown_cb, NULL, CO_TEST_TIMEOUT_MS));
  g_assert_false (loss.done);
  dialog = co_test_find_sign_in_dialog ();
  g_assert_true (gtk_widget_get_visible (co_test_dialog_child (dialog, "reason_label")));
  /* The remembered username is there. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (co_test_dialog_child (dialog, "username_row"))),
                   ==, "demo");

  co_test_dialog_submit (dialog, NULL, "demo");
  g_assert_true (co_test_wait_until (loss_done_cb, &loss, CO_TEST_TIMEOUT_MS));
  g_assert_no_error (loss.error);
  g_assert_nonnull (loss.student);
  g_assert_cmpint (co_student_get_card_status (loss.student), ==, CO_CARD_STATUS_REPORTED_LOST);
  g_assert_true (co_test_wait_until (co_test_dialog_gone_cb, NULL, CO_TEST_TIMEOUT_MS));
  g_clear_object (&loss.student);
}

static void
test_expired_cancelled (void)
{
  CoClient *client = co_test_session_get_client (&session);
  g_autoptr(GDateTime) expires_at = NULL;
  LossResult loss = { 0 };
  gint64 expires;

  expires_at = g_date_time_new_from_iso8601 (co_client_get_token_expires_at (client), NULL);
  expires = g_date_time_to_unix (expires_at);
  g_assert_true (co_test_wait_until (token_expired_cb, &expires, 30000));

  /* Closing the dialog fails the waiting request, nothing hangs. */
  co_client_report_loss_async (client, "00000000", NULL, NULL, report_loss_cb, &loss);
  g_assert_true (co_test_wait_until (co_test_dialog_shown_cb, NULL, CO_TEST_TIMEOUT_MS));
  gtk_window_close (GTK_WINDOW (co_test_find_sign_in_dialog ()));
  g_assert_true (co_test_wait_until (loss_done_cb, &loss, CO_TEST_TIMEOUT_MS));
  g_assert_error (loss.error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_UNAUTHORIZED);
  g_clear_error (&loss.error);
}

static void
test_describe_errors (void)
{
  g_autoptr(GError) network = g_error_new_literal (CO_CLIENT_ERROR, CO_CLIENT_ERROR_NETWORK, "x");
  g_autoptr(GError) tls = g_error_new_literal (CO_CLIENT_ERROR, CO_CLIENT_ERROR_TLS, "x");
  g_autoptr(GError) server = g_error_new_literal (CO_CLIENT_ERROR, CO_CLIENT_ERROR_SERVER, "x");
  g_autofree char *a = co_sign_in_dialog_describe_error (network);
  g_autofree char *b = co_sign_in_dialog_describe_error (tls);
  g_autofree char *c = co_sign_in_dialog_describe_error (server);

  g_assert_cmpstr (a, !=, b);
  g_assert_cmpstr (b, !=, c);
  g_assert_true (g_str_has_prefix (a, "The server cannot be reached."));

  /* A plain-http server that is not this computer: its own words. */
  {
    g_autoptr(GError) insecure =
      g_error_new_literal (CO_CLIENT_ERROR, CO_CLIENT_ERROR_INSECURE, "x");
    g_autoptr(GError) invalid =
      g_error_new_literal (CO_CLIENT_ERROR, CO_CLIENT_ERROR_INVALID_REQUEST, "x");
    g_autofree char *d = co_sign_in_dialog_describe_error (insecure);
    g_autofree char *e = co_sign_in_dialog_describe_error (invalid);

    g_assert_cmpstr (d, !=, e);
    g_assert_nonnull (g_strstr_len (d, -1, "https://"));
  }
}

int
main (int   argc,
      char *argv[])
{
  const char * const server_args[] = { "--demo", "--demo-size", "60", "--token-ttl", TOKEN_TTL_SECONDS, NULL };
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

  g_test_add_func ("/gui/sign-in/describe-errors", test_describe_errors);
  g_test_add_func ("/gui/sign-in/wrong-password", test_wrong_password);
  g_test_add_func ("/gui/sign-in/expired-mid-action", test_expired_mid_action);
  g_test_add_func ("/gui/sign-in/expired-cancelled", test_expired_cancelled);

  ret = g_test_run ();

  co_test_session_stop (&session);

  return ret;
}
