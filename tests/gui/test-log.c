/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The Operation Log page (日志) against the reference server (--demo): a
 * 挂失 made through the API during the test is listed with its words and
 * the card's change; filters by student (education ID and name), staff,
 * action and days agree with the server; bad dates are said and keep what
 * was typed; the rows shown are exported as CSV (read back). Saves
 * <build>/tests/gui/log-zh_CN.png.
 */
#define G_LOG_DOMAIN "test-log"

#include "config.h"

#include <sys/stat.h>

#include "co-csv.h"
#include "co-error-text.h"
#include "co-store.h"
#include "co-gui-session-util.h"
#include "co-log-page.h"
#include "co-reason-text.h"

static CoTestSession session;
static CoLogPage *page;
static CoClient *client;      /* our own, signed in as demo */
static CoStudent *student;    /* the one reported lost */
static gboolean chinese;

/* Helpers */

static void
report_loss_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(CoStudent **) user_data = co_client_report_loss_finish (CO_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

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

  list->page = co_client_list_audit_finish (CO_CLIENT (object), result, &list->next, &list->error);
  list->done = TRUE;
}

/* How many entries the server lists for these filters. */
static guint
server_count (const char *edu_id,
              const char *staff,
              const char *action)
{
  g_autofree char *cursor = NULL;
  guint n = 0;

  do
    {
      ListResult list = { 0 };

      co_client_list_audit_async (client, edu_id, staff, action, cursor, 200, NULL, list_cb, &list);
      g_assert_true (co_test_wait_until (co_test_is_true_cb, &list.done, CO_TEST_TIMEOUT_MS));
      g_assert_no_error (list.error);
      n += g_list_model_get_n_items (list.page);
      g_object_unref (list.page);
      g_free (cursor);
      cursor = list.next;
    }
  while (cursor != NULL && *cursor != '\0');

  return n;
}

static GtkWidget *
page_child (const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (page), CO_TYPE_LOG_PAGE, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static gboolean
not_loading_cb (gpointer user_data)
{
  return !co_log_page_get_loading (page);
}

/* Searches with these filters; the rows shown. */
static GListModel *
search (const char *student_text,
        const char *staff,
        const char *action,
        const char *from,
        const char *to)
{
  co_log_page_set_filter (page, student_text, staff, action, from, to);
  co_log_page_search (page);
  g_assert_true (co_test_wait_until (not_loading_cb, NULL, CO_TEST_SYNC_TIMEOUT_MS));
  return co_log_page_get_rows (page);
}

static CoAuditEntry *
find_loss (GListModel *rows)
{
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(CoAuditEntry) entry = g_list_model_get_item (rows, i);

      if (g_strcmp0 (co_audit_entry_get_action (entry), "report_loss") == 0 &&
          g_strcmp0 (co_audit_entry_get_edu_id (entry), co_student_get_edu_id (student)) == 0)
        return g_steal_pointer (&entry);
    }
  return NULL;
}

static char *
today_text (int offset_days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, offset_days);

  return g_date_time_format (then, "%Y-%m-%d");
}

/* A label in the column view reading @user_data. */
static gboolean
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_label (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
label_shown_cb (gpointer user_data)
{
  return find_label (page_child ("column_view"), user_data);
}

/* Tests */

static void
test_loss_listed (void)
{
  CoSignInDialog *dialog = co_test_session_open_sign_in (&session);
  CoStore *store;
  GListModel *students;
  g_autoptr(CoStudent) lost = NULL;
  g_autoptr(CoAuditEntry) entry = NULL;
  g_autofree char *changes = NULL;
  g_autofree char *card_change = NULL;

  co_test_dialog_submit (dialog, "demo", "demo");
  g_assert_true (co_test_wait_until (co_test_dialog_gone_cb, NULL, CO_TEST_TIMEOUT_MS));
  co_test_session_wait_synced (&session);

  store = co_test_session_get_store (&session);
  students = co_store_get_students (store);
  for (guint i = 0; i < g_list_model_get_n_items (students) && student == NULL; i++)
    {
      g_autoptr(CoStudent) s = g_list_model_get_item (students, i);

      if (co_student_get_card_status (s) == CO_CARD_STATUS_ACTIVE)
        student = g_steal_pointer (&s);
    }
  g_assert_nonnull (student);

  client = co_client_new (session.server->url);
  co_test_client_sign_in (client, "demo", "demo", CO_TEST_TIMEOUT_MS);
  co_client_report_loss_async (client, co_student_get_edu_id (student), NULL, NULL,
                               report_loss_cb, &lost);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &lost, CO_TEST_TIMEOUT_MS));

  co_window_set_page (session.window, "log");
  g_assert_true (co_test_wait_until (not_loading_cb, NULL, CO_TEST_SYNC_TIMEOUT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (co_log_page_get_rows (page)), ==,
                    server_count (NULL, NULL, NULL));
  entry = find_loss (co_log_page_get_rows (page));
  g_assert_nonnull (entry);
  g_assert_cmpstr (co_audit_entry_get_staff (entry), ==, "demo");

  /* In words: the action, and the card's change. */
  g_assert_cmpstr (co_log_action_to_text ("report_loss"), ==, g_dgettext (GETTEXT_PACKAGE, "Report lost"));
  changes = co_log_describe_changes (co_audit_entry_get_before (entry), co_audit_entry_get_after (entry));
  card_change = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "%s: %s → %s"),
                                 g_dgettext (GETTEXT_PACKAGE, "Card"),
                                 co_card_status_to_text (CO_CARD_STATUS_ACTIVE),
                                 co_card_status_to_text (CO_CARD_STATUS_REPORTED_LOST));
  g_assert_nonnull (strstr (changes, card_change));
  g_assert_true (gtk_widget_get_sensitive (page_child ("export_button")));

  /* The row shows those words. */
  g_assert_true (co_test_wait_until (label_shown_cb, (gpointer) co_log_action_to_text ("report_loss"),
                                     CO_TEST_TIMEOUT_MS));
  g_assert_true (co_test_wait_until (label_shown_cb, changes, CO_TEST_TIMEOUT_MS));
  g_assert_true (co_test_wait_until (co_test_session_stack_settled_cb, &session, CO_TEST_TIMEOUT_MS));
  co_test_wait_for_paint (GTK_WIDGET (session.window), CO_TEST_TIMEOUT_MS);
  co_test_save_screenshot (GTK_WIDGET (session.window), "log-zh_CN.png");
}

static void
test_filter_student (void)
{
  const char *edu_id = co_student_get_edu_id (student);
  CoStore *store = co_test_session_get_store (&session);
  GListModel *rows = search (edu_id, NULL, NULL, NULL, NULL);
  g_autoptr(CoAuditEntry) by_id = find_loss (rows);

  g_assert_nonnull (by_id);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, server_count (edu_id, NULL, NULL));
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(CoAuditEntry) entry = g_list_model_get_item (rows, i);

      g_assert_cmpstr (co_audit_entry_get_edu_id (entry), ==, edu_id);
    }

  /* By name: every row is a student of that name, and ours is there. */
  rows = search (co_student_get_name (student), NULL, NULL, NULL, NULL);
  {
    g_autoptr(CoAuditEntry) by_name = find_loss (rows);

    g_assert_nonnull (by_name);
  }
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(CoAuditEntry) entry = g_list_model_get_item (rows, i);
      g_autoptr(CoStudent) s = co_store_lookup_student (store, co_audit_entry_get_edu_id (entry));

      g_assert_nonnull (s);
      g_assert_nonnull (strstr (co_student_get_name (s), co_student_get_name (student)));
    }

  /* Nobody of that name: said without asking the server. */
  rows = search ("查无此人", NULL, NULL, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (page_child ("stack"))), ==, "status");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (page_child ("status_page"))), ==,
                   g_dgettext (GETTEXT_PACKAGE, "No Such Student"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child ("student_entry"))), ==, "查无此人");
}

static void
test_filter_staff_and_action (void)
{
  GListModel *rows = search (NULL, NULL, "report_loss", NULL, NULL);
  g_autoptr(CoAuditEntry) loss = find_loss (rows);

  g_assert_nonnull (loss);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, server_count (NULL, NULL, "report_loss"));
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(CoAuditEntry) entry = g_list_model_get_item (rows, i);

      g_assert_cmpstr (co_audit_entry_get_action (entry), ==, "report_loss");
    }

  rows = search (NULL, "demo", NULL, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (rows), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, server_count (NULL, "demo", NULL));
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(CoAuditEntry) entry = g_list_model_get_item (rows, i);

      g_assert_cmpstr (co_audit_entry_get_staff (entry), ==, "demo");
    }

  rows = search (NULL, "nobody-here", NULL, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (page_child ("stack"))), ==, "status");
}

static void
test_filter_days (void)
{
  g_autofree char *today = today_text (0);
  g_autofree char *tomorrow = today_text (1);
  g_autofree char *yesterday = today_text (-1);
  GListModel *rows;
  guint n;

  rows = search (NULL, NULL, "report_loss", today, today);
  {
    g_autoptr(CoAuditEntry) loss = find_loss (rows);

    g_assert_nonnull (loss);
  }
  n = g_list_model_get_n_items (rows);

  rows = search (NULL, NULL, "report_loss", tomorrow, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 0);
  rows = search (NULL, NULL, "report_loss", NULL, yesterday);
  {
    g_autoptr(CoAuditEntry) loss = find_loss (rows);

    g_assert_null (loss);
  }

  /* A bad date: said, the field marked, what was typed kept, rows kept. */
  rows = search (NULL, NULL, "report_loss", today, today);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n);
  co_log_page_set_filter (page, NULL, NULL, "report_loss", "2026-13-01", NULL);
  co_log_page_search (page);
  g_assert_false (co_log_page_get_loading (page));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (page_child ("error_revealer"))));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (page_child ("error_label"))), ==,
                   g_dgettext (GETTEXT_PACKAGE, "Write dates as year-month-day, for example 2026-03-02."));
  g_assert_true (gtk_widget_has_css_class (page_child ("from_entry"), "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child ("from_entry"))), ==, "2026-13-01");
  g_assert_cmpuint (g_list_model_get_n_items (co_log_page_get_rows (page)), ==, n);

  /* The last day before the first. */
  co_log_page_set_filter (page, NULL, NULL, NULL, tomorrow, yesterday);
  co_log_page_search (page);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (page_child ("error_label"))), ==,
                   g_dgettext (GETTEXT_PACKAGE, "The last day is before the first day."));
}

static void
test_export (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("co-log-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(CoCsv) csv = NULL;
  GListModel *rows = search (co_student_get_edu_id (student), NULL, NULL, NULL, NULL);
  guint n = g_list_model_get_n_items (rows);
  gboolean loss_found = FALSE;
  struct stat st;
  gsize size;

  g_assert_no_error (error);
  g_assert_cmpuint (n, >, 0);
  path = g_build_filename (dir, "log.csv", NULL);
  file = g_file_new_for_path (path);
  g_assert_cmpint (co_log_page_export (page, file, &error), ==, (int) n);
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &data, &size, &error));
  g_assert_cmpmem (data, 3, "\xEF\xBB\xBF", 3);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  csv = co_csv_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (co_csv_get_n_rows (csv), ==, n);
  g_assert_cmpuint (co_csv_get_n_columns (csv), ==, 6);
  g_assert_cmpstr (co_csv_get_header (csv, 0), ==, g_dgettext (GETTEXT_PACKAGE, "Time"));
  g_assert_cmpstr (co_csv_get_header (csv, 2), ==, g_dgettext (GETTEXT_PACKAGE, "Operation"));
  g_assert_cmpstr (co_csv_get_header (csv, 4), ==, g_dgettext (GETTEXT_PACKAGE, "Education ID"));
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpstr (co_csv_get_field (csv, i, 4), ==, co_student_get_edu_id (student));
      g_assert_cmpstr (co_csv_get_field (csv, i, 3), ==, co_student_get_name (student));
      if (g_strcmp0 (co_csv_get_field (csv, i, 2), g_dgettext (GETTEXT_PACKAGE, "Report lost")) == 0)
        {
          loss_found = TRUE;
          g_assert_cmpstr (co_csv_get_field (csv, i, 1), ==, "demo");
          g_assert_nonnull (strstr (co_csv_get_field (csv, i, 5),
                                    co_card_status_to_text (CO_CARD_STATUS_REPORTED_LOST)));
        }
    }
  g_assert_true (loss_found);

  g_remove (path);
  g_rmdir (dir);
}

/* Every failure of the API is said in Chinese words, never the
 * (English) message of the error. */
static void
test_error_words (void)
{
  for (int code = CO_CLIENT_ERROR_NETWORK; code <= CO_CLIENT_ERROR_INSECURE; code++)
    {
      g_autoptr(GError) error = g_error_new (CO_CLIENT_ERROR, code, "HTTP said no (%d)", code);
      g_autofree char *text = co_error_to_text (error);
      gboolean cjk = FALSE;

      g_assert_nonnull (text);
      g_assert_null (strstr (text, "HTTP"));
      for (const char *p = text; *p; p = g_utf8_next_char (p))
        cjk |= g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN;
      g_test_message ("%d: %s", code, text);
      if (chinese)
        g_assert_true (cjk);
    }

  /* The local store's errors: a full disk is named as such. */
  for (int code = CO_STORE_ERROR_OPEN; code <= CO_STORE_ERROR_DISK_FULL; code++)
    {
      g_autoptr(GError) error = g_error_new (CO_STORE_ERROR, code, "sqlite said no (%d)", code);
      g_autofree char *text = co_error_to_text (error);

      g_assert_nonnull (text);
      g_assert_null (strstr (text, "sqlite"));
      g_test_message ("store %d: %s", code, text);
      if (chinese && code == CO_STORE_ERROR_DISK_FULL)
        g_assert_nonnull (strstr (text, "磁盘已满"));
      else if (code == CO_STORE_ERROR_DISK_FULL)
        g_assert_nonnull (strstr (text, "disk is full"));
    }
}

int
main (int   argc,
      char *argv[])
{
  const char * const server_args[] = { "--demo", NULL };
  int ret;

  if (!co_test_session_init (&argc, &argv, &chinese))
    return CO_TEST_EXIT_SKIP;

  co_test_session_start (&session, server_args);
  page = CO_LOG_PAGE (gtk_widget_get_template_child (GTK_WIDGET (session.window),
                                                     CO_TYPE_WINDOW, "log_page"));
  co_test_assert_template (GTK_WIDGET (page), CO_TYPE_LOG_PAGE, RESOURCE_PREFIX "/ui/co-log-page.ui");

  g_test_add_func ("/gui/log/loss-listed", test_loss_listed);
  g_test_add_func ("/gui/log/filter-student", test_filter_student);
  g_test_add_func ("/gui/log/filter-staff-and-action", test_filter_staff_and_action);
  g_test_add_func ("/gui/log/filter-days", test_filter_days);
  g_test_add_func ("/gui/log/export", test_export);
  g_test_add_func ("/gui/log/error-words", test_error_words);

  ret = g_test_run ();

  co_test_session_stop (&session);
  g_clear_object (&client);
  g_clear_object (&student);

  return ret;
}
