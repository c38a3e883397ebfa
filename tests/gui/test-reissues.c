/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The Reissues page (补卡) against the reference server (--demo --today
 * 2026-03-16, which seeds reissues in every state): the rows per state
 * match what the server lists; the due dates are the server's; reissues
 * paid and not made by their due date are marked and counted; the cards
 * waiting at school are exported as CSV (read back), with the day each
 * came to school (the log's 制卡完成, for one made during the test); a row opens the
 * student (win.show-student); with the server gone the page says so in
 * words and keeps its rows. Saves <build>/tests/gui/reissues-zh_CN.png.
 */
#define G_LOG_DOMAIN "test-reissues"

#include "config.h"

#include <sys/stat.h>

#include "co-csv.h"
#include "co-gui-session-util.h"
#include "co-reason-text.h"
#include "co-reissues-page.h"

#define SERVER_TODAY "2026-03-16"

static CoTestSession session;
static CoReissuesPage *page;
/* What the server lists, per status (index: CoReissueStatus) */
static GPtrArray *server_reissues[CO_REISSUE_STATUS_WITHDRAWN + 1];
static char *shown_edu_id;
/* A paid reissue delivered to school, made and brought to school during
 * the test: its arrival is in the log. */
static char *arrived_edu_id;
static char *arrived_day;

/* Helpers */

typedef struct
{
  GListModel *page;
  char       *next;
  GError     *error;
  gboolean    done;
} ListResult;

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ListResult *list = user_data;

  list->page = co_client_list_reissues_finish (CO_CLIENT (object), result, &list->next, &list->error);
  list->done = TRUE;
}

static gboolean
list_done_cb (gpointer user_data)
{
  return ((ListResult *) user_data)->done;
}

/* Every reissue in @status, as the server lists them to a client of our own. */
static GPtrArray *
server_list (CoClient        *client,
             CoReissueStatus  status)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *cursor = NULL;

  do
    {
      ListResult list = { 0 };

      co_client_list_reissues_async (client, status, NULL, cursor, 100, NULL, list_cb, &list);
      g_assert_true (co_test_wait_until (list_done_cb, &list, CO_TEST_TIMEOUT_MS));
      g_assert_no_error (list.error);
      for (guint i = 0; i < g_list_model_get_n_items (list.page); i++)
        g_ptr_array_add (all, g_list_model_get_item (list.page, i));
      g_object_unref (list.page);
      g_free (cursor);
      cursor = list.next;
    }
  while (cursor != NULL && *cursor != '\0');

  return all;
}

static gboolean
page_loaded_cb (gpointer user_data)
{
  return !co_reissues_page_get_loading (page) && co_reissues_page_get_n_loaded (page) > 0;
}

static GtkWidget *
page_child (const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (page), CO_TYPE_REISSUES_PAGE, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static void
set_day (GDate      *day,
         const char *text)
{
  int y, m, d;

  g_assert_cmpint (sscanf (text, "%d-%d-%d", &y, &m, &d), ==, 3);
  g_date_clear (day, 1);
  g_date_set_dmy (day, d, m, y);
}

/* The labels in the column view carrying @css_class. */
static void
collect_labels (GtkWidget  *widget,
                const char *css_class,
                GPtrArray  *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, css_class, out);
}

/* The rows are bound when the view lays them out. */
static gboolean
marked_cb (gpointer user_data)
{
  GPtrArray *marked = user_data;

  g_ptr_array_set_size (marked, 0);
  collect_labels (page_child ("column_view"), "overdue", marked);
  return marked->len > 0;
}

static void
on_show_student_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  g_free (shown_edu_id);
  shown_edu_id = g_variant_dup_string (parameter, NULL);
}

static gboolean
shown_cb (gpointer user_data)
{
  return shown_edu_id != NULL;
}

static void
advance_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(CoReissue **) user_data = co_client_dev_advance_reissue_finish (CO_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

static void
audit_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(GListModel **) user_data = co_client_list_audit_finish (CO_CLIENT (object), result, NULL, &error);
  g_assert_no_error (error);
}

static void
bring_to_school (CoClient *client)
{
  g_autoptr(GPtrArray) paid = server_list (client, CO_REISSUE_STATUS_PAID);
  g_autoptr(GListModel) log = NULL;
  g_autoptr(CoAuditEntry) entry = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GDateTime) local = NULL;
  CoReissue *chosen = NULL;

  for (guint i = 0; i < paid->len && chosen == NULL; i++)
    if (co_reissue_get_delivery (paid->pdata[i]) == CO_DELIVERY_SCHOOL)
      chosen = paid->pdata[i];
  g_assert_nonnull (chosen);

  for (CoClientDevStep step = CO_CLIENT_DEV_START_PRODUCTION; step <= CO_CLIENT_DEV_FINISH_PRODUCTION; step++)
    {
      g_autoptr(CoReissue) advanced = NULL;

      co_client_dev_advance_reissue_async (client, co_reissue_get_id (chosen), step, NULL, NULL,
                                           advance_cb, &advanced);
      g_assert_true (co_test_wait_until (co_test_is_set_cb, &advanced, CO_TEST_TIMEOUT_MS));
      if (step == CO_CLIENT_DEV_FINISH_PRODUCTION)
        g_assert_cmpint (co_reissue_get_status (advanced), ==, CO_REISSUE_STATUS_AWAITING_PICKUP);
    }

  arrived_edu_id = g_strdup (co_reissue_get_edu_id (chosen));
  co_client_list_audit_async (client, arrived_edu_id, NULL, "finish_production", NULL, 10, NULL,
                              audit_cb, &log);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &log, CO_TEST_TIMEOUT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 1);
  entry = g_list_model_get_item (log, 0);
  at = g_date_time_new_from_iso8601 (co_audit_entry_get_at (entry), NULL);
  local = g_date_time_to_local (at);
  arrived_day = g_date_time_format (local, "%Y-%m-%d");
}

/* Tests */

static void
test_sign_in_and_load (void)
{
  CoSignInDialog *dialog = co_test_session_open_sign_in (&session);
  g_autoptr(CoClient) client = co_client_new (session.server->url);

  co_test_dialog_submit (dialog, "demo", "demo");
  g_assert_true (co_test_wait_until (co_test_dialog_gone_cb, NULL, CO_TEST_TIMEOUT_MS));
  co_test_session_wait_synced (&session);

  co_test_client_sign_in (client, "demo", "demo", CO_TEST_TIMEOUT_MS);
  bring_to_school (client);
  for (int status = CO_REISSUE_STATUS_NONE; status <= CO_REISSUE_STATUS_WITHDRAWN; status++)
    server_reissues[status] = server_list (client, status);

  co_window_set_page (session.window, "reissues");
  g_assert_true (co_test_wait_until (page_loaded_cb, NULL, CO_TEST_SYNC_TIMEOUT_MS));
  g_assert_cmpuint (co_reissues_page_get_n_loaded (page), ==, server_reissues[CO_REISSUE_STATUS_NONE]->len);
  g_assert_true (gtk_widget_get_sensitive (page_child ("export_button")));
}

static void
test_per_status (void)
{
  guint n_open = 0;

  for (int status = CO_REISSUE_STATUS_PENDING_PAYMENT; status <= CO_REISSUE_STATUS_WITHDRAWN; status++)
    {
      GListModel *rows = co_reissues_page_get_rows (page);
      guint n = server_reissues[status]->len;

      /* The demo has every state. */
      g_assert_cmpuint (n, >, 0);
      co_reissues_page_set_filter (page, status, FALSE);
      g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n);
      for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
        {
          g_autoptr(CoReissue) reissue = g_list_model_get_item (rows, i);

          g_assert_cmpint (co_reissue_get_status (reissue), ==, status);
        }
      g_test_message ("%s: %u", co_reissue_status_to_text (status), n);
      if (status <= CO_REISSUE_STATUS_SHIPPED)
        n_open += n;
    }

  co_reissues_page_set_filter (page, CO_REISSUE_STATUS_NONE, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (co_reissues_page_get_rows (page)), ==, n_open);
  co_reissues_page_set_filter (page, CO_REISSUE_STATUS_NONE, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (co_reissues_page_get_rows (page)), ==,
                    server_reissues[CO_REISSUE_STATUS_NONE]->len);
  /* The drop-down follows. */
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (page_child ("status_dropdown"))), ==,
                    CO_REISSUES_FILTER_ALL);
}

static void
test_due_dates (void)
{
  GDate today, due;
  GListModel *rows;
  guint checked = 0;

  /* On the server's day nothing is overdue yet: the demo's oldest reissue
   * in production was applied for 25 days before. */
  set_day (&today, SERVER_TODAY);
  co_reissues_page_set_today (page, &today);
  g_assert_cmpuint (co_reissues_page_get_n_overdue (page), ==, 0);
  g_assert_false (gtk_widget_get_visible (page_child ("overdue_label")));

  /* The due dates computed here (co_rules over our calendar) are the
   * server's: the ones shown in the column. */
  co_reissues_page_set_filter (page, CO_REISSUE_STATUS_NONE, FALSE);
  rows = co_reissues_page_get_rows (page);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(CoReissue) reissue = g_list_model_get_item (rows, i);

      if (co_reissue_get_due_on (reissue) == NULL)
        continue;
      set_day (&due, co_reissue_get_due_on (reissue));
      /* The day after the due date is overdue for a card still being made. */
      g_date_add_days (&due, 1);
      co_reissues_page_set_today (page, &due);
      g_assert_cmpint (co_reissues_page_is_overdue (page, reissue), ==,
                       co_reissue_get_status (reissue) == CO_REISSUE_STATUS_PAID ||
                       co_reissue_get_status (reissue) == CO_REISSUE_STATUS_IN_PRODUCTION);
      g_date_subtract_days (&due, 1);
      co_reissues_page_set_today (page, &due);
      g_assert_false (co_reissues_page_is_overdue (page, reissue));
      if (++checked == 12)
        break;
    }
  g_assert_cmpuint (checked, >, 0);
}

static void
test_overdue_marked (void)
{
  GDate later;
  guint expected = server_reissues[CO_REISSUE_STATUS_PAID]->len +
                   server_reissues[CO_REISSUE_STATUS_IN_PRODUCTION]->len;
  g_autoptr(GPtrArray) marked = g_ptr_array_new ();
  g_autofree char *count = NULL;
  g_autofree char *word = NULL;
  GtkLabel *overdue_label = GTK_LABEL (page_child ("overdue_label"));

  /* Two months on, every card paid for and not made is late. */
  set_day (&later, "2026-05-20");
  co_reissues_page_set_today (page, &later);
  g_assert_cmpuint (co_reissues_page_get_n_overdue (page), ==, expected);

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u overdue", "%u overdue", expected), expected);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overdue_label)));
  g_assert_cmpstr (gtk_label_get_text (overdue_label), ==, count);

  /* The rows say it in words and are styled. */
  co_reissues_page_set_filter (page, CO_REISSUE_STATUS_IN_PRODUCTION, FALSE);
  g_assert_true (co_test_wait_until (marked_cb, marked, CO_TEST_TIMEOUT_MS));
  word = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "%s, overdue"),
                          co_reissue_status_to_text (CO_REISSUE_STATUS_IN_PRODUCTION));
  {
    gboolean said = FALSE;

    for (guint i = 0; i < marked->len; i++)
      if (g_strcmp0 (gtk_label_get_text (marked->pdata[i]), word) == 0)
        {
          said = TRUE;
          g_assert_true (gtk_widget_has_css_class (marked->pdata[i], "error"));
        }
    g_assert_true (said);
  }
  g_assert_true (co_test_wait_until (co_test_session_stack_settled_cb, &session, CO_TEST_TIMEOUT_MS));
  co_test_wait_for_paint (GTK_WIDGET (session.window), CO_TEST_TIMEOUT_MS);
  co_test_save_screenshot (GTK_WIDGET (session.window), "reissues-zh_CN.png");

  /* A collected card is never overdue. */
  co_reissues_page_set_filter (page, CO_REISSUE_STATUS_COLLECTED, FALSE);
  for (guint i = 0; i < g_list_model_get_n_items (co_reissues_page_get_rows (page)); i++)
    {
      g_autoptr(CoReissue) reissue = g_list_model_get_item (co_reissues_page_get_rows (page), i);

      g_assert_false (co_reissues_page_is_overdue (page, reissue));
    }
}

static void
test_export_pickup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("co-pickup-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(CoCsv) csv = NULL;
  GPtrArray *waiting = server_reissues[CO_REISSUE_STATUS_AWAITING_PICKUP];
  CoStore *store = co_test_session_get_store (&session);
  gboolean arrived_seen = FALSE;
  struct stat st;
  gsize size;
  int n;

  g_assert_no_error (error);
  path = g_build_filename (dir, "pickup.csv", NULL);
  file = g_file_new_for_path (path);

  /* Whatever the filter shows: the cards at school. */
  co_reissues_page_set_filter (page, CO_REISSUE_STATUS_PAID, FALSE);
  n = co_reissues_page_export_pickup (page, file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, (int) waiting->len);

  g_assert_true (g_file_get_contents (path, &data, &size, &error));
  g_assert_cmpuint (size, >, 3);
  g_assert_cmpmem (data, 3, "\xEF\xBB\xBF", 3);
  g_assert_nonnull (strstr (data, "\r\n"));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  csv = co_csv_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (co_csv_get_n_rows (csv), ==, waiting->len);
  g_assert_cmpstr (co_csv_get_header (csv, 0), ==, g_dgettext (GETTEXT_PACKAGE, "Name"));
  g_assert_cmpstr (co_csv_get_header (csv, 1), ==, g_dgettext (GETTEXT_PACKAGE, "Education ID"));
  g_assert_cmpstr (co_csv_get_header (csv, 2), ==, g_dgettext (GETTEXT_PACKAGE, "Class"));
  g_assert_cmpstr (co_csv_get_header (csv, 3), ==, g_dgettext (GETTEXT_PACKAGE, "Transit Card No."));
  g_assert_cmpstr (co_csv_get_header (csv, 4), ==, g_dgettext (GETTEXT_PACKAGE, "Arrived at School"));

  for (guint i = 0; i < co_csv_get_n_rows (csv); i++)
    {
      const char *edu_id = co_csv_get_field (csv, i, 1);
      g_autoptr(CoStudent) student = co_store_lookup_student (store, edu_id);
      gboolean listed = FALSE;

      for (guint j = 0; j < waiting->len; j++)
        listed |= g_strcmp0 (co_reissue_get_edu_id (waiting->pdata[j]), edu_id) == 0;
      g_assert_true (listed);
      g_assert_nonnull (student);
      g_assert_cmpstr (co_csv_get_field (csv, i, 0), ==, co_student_get_name (student));
      g_assert_nonnull (strstr (co_csv_get_field (csv, i, 2), co_student_get_class_name (student)));
      g_assert_cmpstr (co_csv_get_field (csv, i, 3), ==, co_student_get_card_no (student));
      /* The demo's own have no arrival in the log; ours has. */
      if (g_strcmp0 (edu_id, arrived_edu_id) == 0)
        {
          g_assert_cmpstr (co_csv_get_field (csv, i, 4), ==, arrived_day);
          arrived_seen = TRUE;
        }
    }

  g_assert_true (arrived_seen);

  /* A folder that cannot be written: an error, no crash, nothing written. */
  {
    g_autoptr(GFile) bad = g_file_new_for_path ("/nonexistent-folder/pickup.csv");

    g_assert_cmpint (co_reissues_page_export_pickup (page, bad, &error), ==, -1);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  g_remove (path);
  g_rmdir (dir);
}

static void
test_activate_opens_student (void)
{
  g_autoptr(GSimpleAction) action = g_simple_action_new ("show-student", G_VARIANT_TYPE_STRING);
  g_autoptr(CoReissue) first = NULL;

  /* Stands in for the student page's action. */
  g_signal_connect (action, "activate", G_CALLBACK (on_show_student_cb), NULL);
  g_action_map_add_action (G_ACTION_MAP (session.window), G_ACTION (action));

  co_reissues_page_set_filter (page, CO_REISSUE_STATUS_NONE, TRUE);
  first = g_list_model_get_item (co_reissues_page_get_rows (page), 0);
  g_signal_emit_by_name (page_child ("column_view"), "activate", 0);
  g_assert_true (co_test_wait_until (shown_cb, NULL, CO_TEST_TIMEOUT_MS));
  g_assert_cmpstr (shown_edu_id, ==, co_reissue_get_edu_id (first));
}

static gboolean
error_shown_cb (gpointer user_data)
{
  return !co_reissues_page_get_loading (page) &&
         gtk_revealer_get_reveal_child (GTK_REVEALER (page_child ("error_revealer")));
}

static void
test_server_gone (void)
{
  guint loaded = co_reissues_page_get_n_loaded (page);
  GtkLabel *error_label = GTK_LABEL (page_child ("error_label"));

  co_client_set_retry_policy (co_test_session_get_client (&session), 1, 10, 10);
  test_server_stop (session.server);
  session.server = NULL;

  co_reissues_page_reload (page);
  g_assert_true (co_test_wait_until (error_shown_cb, NULL, CO_TEST_SYNC_TIMEOUT_MS));
  g_assert_cmpstr (gtk_label_get_text (error_label), ==,
                   g_dgettext (GETTEXT_PACKAGE, "The server cannot be reached. Check the network and the server address in Preferences."));
  /* Nothing lost: the rows stay. */
  g_assert_cmpuint (co_reissues_page_get_n_loaded (page), ==, loaded);
  g_assert_true (gtk_widget_get_sensitive (page_child ("refresh_button")));
}

int
main (int   argc,
      char *argv[])
{
  const char * const server_args[] = { "--demo", "--today", SERVER_TODAY, NULL };
  int ret;

  if (!co_test_session_init (&argc, &argv, NULL))
    return CO_TEST_EXIT_SKIP;

  co_test_session_start (&session, server_args);
  page = CO_REISSUES_PAGE (gtk_widget_get_template_child (GTK_WIDGET (session.window),
                                                          CO_TYPE_WINDOW, "reissues_page"));
  co_test_assert_template (GTK_WIDGET (page), CO_TYPE_REISSUES_PAGE,
                           RESOURCE_PREFIX "/ui/co-reissues-page.ui");

  g_test_add_func ("/gui/reissues/sign-in-and-load", test_sign_in_and_load);
  g_test_add_func ("/gui/reissues/per-status", test_per_status);
  g_test_add_func ("/gui/reissues/due-dates", test_due_dates);
  g_test_add_func ("/gui/reissues/overdue-marked", test_overdue_marked);
  g_test_add_func ("/gui/reissues/export-pickup", test_export_pickup);
  g_test_add_func ("/gui/reissues/activate-opens-student", test_activate_opens_student);
  g_test_add_func ("/gui/reissues/server-gone", test_server_gone);

  ret = g_test_run ();

  co_test_session_stop (&session);
  for (guint i = 0; i < G_N_ELEMENTS (server_reissues); i++)
    g_clear_pointer (&server_reissues[i], g_ptr_array_unref);
  g_free (shown_edu_id);
  g_free (arrived_edu_id);
  g_free (arrived_day);

  return ret;
}
