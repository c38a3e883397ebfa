/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Following a batch on the 批量 page against the reference server (--demo),
 * in Chinese when the C library has zh_CN: fixes and exclusions kept in a
 * draft (0600) and restored by a page made afresh when the same list is
 * opened again, not for another list; a new-card batch submitted, moved on
 * by the server's dev endpoint, its state on the 已提交批次 tab after each
 * refresh (已提交, 制卡中, 已送达学校); 发卡 opens the 核验 page in handout
 * mode, a card handed out there counts on the batch; 打印发放名单 renders
 * the handout list on the print page.
 */
#define G_LOG_DOMAIN "test-batch-follow"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "co-batch-page.h"
#include "co-batch-row.h"
#include "co-handout-panel.h"
#include "co-print-page.h"
#include "co-verify-page.h"
#include "co-gui-session-util.h"

static CoTestSession session;
static gboolean chinese;
static char *work_dir;
static CoBatchPage *page;

/* Helpers */

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
write_utf8 (const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (work_dir, name, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
load_file (CoBatchPage  *target,
           CoImportKind  kind,
           const char   *path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  co_batch_page_load_file_async (target, kind, path, NULL, NULL, store_result_cb, &result);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &result, 30000));
  g_assert_true (co_batch_page_load_file_finish (target, result, &error));
  g_assert_no_error (error);
}

static CoBatchRow *
row_at_line (CoBatchPage *target,
             guint        line)
{
  GListModel *rows = co_batch_page_get_rows (target);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(CoBatchRow) row = g_list_model_get_item (rows, i);

      if (co_batch_row_get_line (row) == line)
        return row;
    }
  g_assert_not_reached ();
}

static gpointer
child_of (gpointer    widget,
          GType       type,
          const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect (c, type, out);
}

/* The draft of the list in @csv (named by its SHA-256), or NULL. */
static char *
find_draft (const char *csv)
{
  g_autofree char *contents = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (csv, &contents, &length, NULL));
  hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  name = g_strconcat (hash, ".draft", NULL);
  path = g_build_filename (session.store_dir, "batches", name, NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS) ? g_steal_pointer (&path) : NULL;
}

typedef struct
{
  const char *text;
  GtkWidget  *found;
  gboolean    in_button;  /* a button's own label, the whole of it */
} FindText;

/* A mapped label (or button) on the batches tab showing @text. */
static gboolean
batches_text_shown_cb (gpointer user_data)
{
  FindText *find = user_data;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  find->found = NULL;
  collect (child_of (page, CO_TYPE_BATCH_PAGE, "batches_view"), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      const char *text = gtk_label_get_label (GTK_LABEL (label));

      if (find->in_button ? (GTK_IS_BUTTON (gtk_widget_get_parent (label)) && g_str_equal (text, find->text))
                          : (gtk_widget_get_mapped (label) && strstr (text, find->text) != NULL))
        {
          find->found = label;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
refreshed_cb (gpointer user_data)
{
  return g_strcmp0 (gtk_label_get_label (child_of (page, CO_TYPE_BATCH_PAGE, "batches_label")),
                    _("Asking the central platform…")) != 0;
}

/* 刷新 on the batches tab, then a batch in @state shown. */
static GtkWidget *
refresh_and_find (const char *state)
{
  g_autofree char *text = g_strdup_printf (_(", %s"), state);
  FindText find = { text, NULL };

  co_window_set_page (session.window, "batches");
  gtk_stack_set_visible_child_name (child_of (page, CO_TYPE_BATCH_PAGE, "section_stack"), "batches");
  g_signal_emit_by_name (child_of (page, CO_TYPE_BATCH_PAGE, "refresh_button"), "clicked");
  g_assert_true (co_test_wait_until (refreshed_cb, NULL, 30000));
  g_assert_true (co_test_wait_until (batches_text_shown_cb, &find, CO_TEST_TIMEOUT_MS));
  return find.found;
}

static GtkWidget *
batch_button (const char *label)
{
  FindText find = { label, NULL, TRUE };

  g_assert_true (co_test_wait_until (batches_text_shown_cb, &find, CO_TEST_TIMEOUT_MS));
  return gtk_widget_get_ancestor (find.found, GTK_TYPE_BUTTON);
}

/* Tests */

static const char draft_text[] =
  "教育ID,姓名,性别,年级,班级,来源\n"
  "09800001,冯小林,男,1,一年级1班,新入学\n"        /* line 2 */
  "9800002,陈小月,女,1,一年级1班,新入学\n"         /* 3: lost leading zero */
  "09800003,褚小山,,1,一年级1班,外省转入\n"        /* 4: gender empty */
  "09800004,卫小水,男,1,一年级2班,新入学\n";       /* 5 */

/* Fixes and exclusions outlive the page: a page made afresh (as after a
 * restart) opening the same list gets them back; another list does not. */
static void
test_draft (void)
{
  g_autofree char *path = write_utf8 ("draft.csv", draft_text);
  g_autofree char *other = NULL;
  g_autofree char *draft = NULL;
  GtkWindow *window;
  CoBatchPage *fresh;
  GStatBuf st;
  guint n_ok, n_warning, n_refused, n_excluded;

  co_window_set_page (session.window, "batches");
  load_file (page, CO_IMPORT_KIND_NEW_CARD, path);
  g_assert_null (find_draft (path));
  g_assert_false (gtk_widget_get_visible (child_of (page, CO_TYPE_BATCH_PAGE, "draft_label")));
  g_assert_cmpint (co_batch_row_get_verdict (row_at_line (page, 4)), ==, CO_IMPORT_VERDICT_REFUSED);

  /* A value typed, a fix accepted, a row excluded: each one saved. */
  g_assert_true (co_batch_page_set_value (page, co_batch_row_get_index (row_at_line (page, 4)),
                                          CO_IMPORT_FIELD_GENDER, "女"));
  draft = find_draft (path);
  g_assert_nonnull (draft);
  g_assert_cmpint (g_stat (draft, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "batch.accept-fix", "u",
                                             co_batch_row_get_index (row_at_line (page, 3))));
  co_batch_page_set_excluded (page, co_batch_row_get_index (row_at_line (page, 5)), TRUE);
  g_assert_cmpstr (co_batch_row_get_value (row_at_line (page, 3), CO_IMPORT_FIELD_EDU_ID), ==, "09800002");

  /* A page made afresh, in a window of its own. */
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_application (window, GTK_APPLICATION (session.app));
  fresh = g_object_new (CO_TYPE_BATCH_PAGE, NULL);
  gtk_window_set_child (window, GTK_WIDGET (fresh));
  gtk_window_present (window);
  co_test_wait_for_mapped (GTK_WIDGET (fresh));
  load_file (fresh, CO_IMPORT_KIND_NEW_CARD, path);
  g_assert_cmpstr (co_batch_row_get_value (row_at_line (fresh, 4), CO_IMPORT_FIELD_GENDER), ==, "女");
  g_assert_cmpint (co_batch_row_get_verdict (row_at_line (fresh, 4)), !=, CO_IMPORT_VERDICT_REFUSED);
  g_assert_cmpstr (co_batch_row_get_value (row_at_line (fresh, 3), CO_IMPORT_FIELD_EDU_ID), ==, "09800002");
  g_assert_true (co_batch_row_get_excluded (row_at_line (fresh, 5)));
  g_assert_false (co_batch_row_get_excluded (row_at_line (fresh, 2)));
  co_batch_page_get_counts (fresh, &n_ok, &n_warning, &n_refused, &n_excluded);
  g_assert_cmpuint (n_excluded, ==, 1);
  g_assert_cmpuint (n_refused, ==, 0);
  g_assert_true (gtk_widget_get_visible (child_of (fresh, CO_TYPE_BATCH_PAGE, "draft_label")));
  {
    g_autofree char *text = g_strdup_printf (ngettext ("Your earlier changes to %u row of this list were restored.",
                                                       "Your earlier changes to %u rows of this list were restored.", 3), 3);

    g_assert_cmpstr (gtk_label_get_label (child_of (fresh, CO_TYPE_BATCH_PAGE, "draft_label")), ==, text);
  }

  /* The same list with a line more is another list: nothing restored. */
  other = write_utf8 ("other.csv", "教育ID,姓名,性别,年级,班级,来源\n"
                                   "09800001,冯小林,男,1,一年级1班,新入学\n"
                                   "09800003,褚小山,,1,一年级1班,外省转入\n"
                                   "09800004,卫小水,男,1,一年级2班,新入学\n"
                                   "09800005,蒋小云,女,1,一年级2班,新入学\n");
  load_file (fresh, CO_IMPORT_KIND_NEW_CARD, other);
  g_assert_false (gtk_widget_get_visible (child_of (fresh, CO_TYPE_BATCH_PAGE, "draft_label")));
  g_assert_cmpint (co_batch_row_get_verdict (row_at_line (fresh, 3)), ==, CO_IMPORT_VERDICT_REFUSED);
  g_assert_false (co_batch_row_get_excluded (row_at_line (fresh, 4)));
  gtk_window_destroy (window);

  /* Opening a list writes nothing; the first draft stays. */
  {
    g_autofree char *none = find_draft (other);

    g_assert_null (none);
    g_assert_true (g_file_test (draft, G_FILE_TEST_EXISTS));
  }
  g_signal_emit_by_name (child_of (page, CO_TYPE_BATCH_PAGE, "new_batch_button"), "clicked");
}

static void
advance (gint64 id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoBatchReport) report = NULL;
  g_autoptr(CoClient) client = co_client_new (session.server->url);

  co_client_sign_in_async (client, "demo", "demo", NULL, store_result_cb, &result);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &result, CO_TEST_TIMEOUT_MS));
  g_assert_true (co_client_sign_in_finish (client, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  co_client_dev_advance_batch_async (client, CO_BATCH_KIND_NEW_CARD, id, NULL, NULL, store_result_cb, &result);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &result, CO_TEST_TIMEOUT_MS));
  report = co_client_dev_advance_batch_finish (client, result, &error);
  g_assert_no_error (error);
}

static gboolean
report_shown_cb (gpointer user_data)
{
  return g_strcmp0 (co_batch_page_get_step (page), "report") == 0;
}

static gboolean
student_synced_cb (gpointer user_data)
{
  g_autoptr(CoStudent) student = co_store_lookup_student (co_test_session_get_store (&session), user_data);
  GtkSpinner *spinner = child_of (session.window, CO_TYPE_WINDOW, "sync_spinner");

  return student != NULL && !gtk_spinner_get_spinning (spinner);
}

static gboolean
handout_settled_cb (gpointer user_data)
{
  return !co_handout_panel_get_busy (user_data);
}

static gboolean
print_done_cb (gpointer user_data)
{
  return !co_print_page_get_busy (user_data) && co_print_page_get_n_pages (user_data) > 0;
}

static const char follow_text[] =
  "教育ID,姓名,性别,年级,班级,来源\n"
  "09810001,冯小林,男,1,一年级1班,新入学\n"
  "09810002,陈小月,女,1,一年级1班,新入学\n"
  "09810003,褚小山,女,1,一年级1班,外省转入\n";

/* Submit; the server moves the batch on; the tab follows; 发卡 hands a
 * card out on the 核验 page and the batch counts it; 打印发放名单. */
static void
test_follow (void)
{
  g_autofree char *path = write_utf8 ("follow.csv", follow_text);
  g_autofree char *count0 = g_strdup_printf (_("%u of %u handed out"), 0, 3);
  g_autofree char *count1 = g_strdup_printf (_("%u of %u handed out"), 1, 3);
  CoVerifyPage *verify = child_of (session.window, CO_TYPE_WINDOW, "verify_page");
  CoPrintPage *print = child_of (session.window, CO_TYPE_WINDOW, "print_page");
  CoHandoutPanel *panel = child_of (verify, CO_TYPE_VERIFY_PAGE, "handout_panel");
  CoSignInDialog *dialog;
  CoBatchJob *job;
  GtkWidget *label;
  gint64 id;

  dialog = co_test_session_open_sign_in (&session);
  co_test_dialog_submit (dialog, "demo", "demo");
  g_assert_true (co_test_wait_until (co_test_dialog_gone_cb, NULL, CO_TEST_TIMEOUT_MS));
  co_test_session_wait_synced (&session);

  co_window_set_page (session.window, "batches");
  load_file (page, CO_IMPORT_KIND_NEW_CARD, path);
  co_batch_page_set_value (page, co_batch_row_get_index (row_at_line (page, 3)), CO_IMPORT_FIELD_CLASS, "一年级2班");
  {
    g_autofree char *draft = find_draft (path);

    g_assert_nonnull (draft);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "batch.submit", NULL));
  job = co_batch_page_get_job (page);
  g_assert_true (co_test_wait_until (report_shown_cb, NULL, 30000));
  g_assert_cmpuint (co_batch_job_count (job, CO_BATCH_ROW_ACCEPTED), ==, 3);
  id = co_batch_job_get_row (job, 0)->batch_id;
  g_assert_cmpint (id, >, 0);
  /* Sent: no draft left to restore. */
  {
    g_autofree char *draft = find_draft (path);

    g_assert_null (draft);
  }

  label = refresh_and_find (C_("batch state", "Submitted"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), C_("batch state", "Submitted")));
  if (chinese)
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), "已提交"));
  g_assert_false (gtk_widget_get_visible (batch_button (_("Hand Out"))));

  advance (id);
  label = refresh_and_find (C_("batch state", "In Production"));
  if (chinese)
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), "制卡中"));
  g_assert_false (gtk_widget_get_visible (batch_button (_("Hand Out"))));

  advance (id);
  label = refresh_and_find (C_("batch state", "Delivered to School"));
  if (chinese)
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), "已送达学校"));
  {
    FindText find = { count0, NULL };

    g_assert_true (co_test_wait_until (batches_text_shown_cb, &find, CO_TEST_TIMEOUT_MS));
  }

  /* 打印发放名单 before the roster has the new students: said, no list. */
  g_assert_true (gtk_widget_get_visible (batch_button (_("Print Handout List"))));
  g_signal_emit_by_name (batch_button (_("Print Handout List")), "clicked");
  g_assert_cmpstr (co_window_get_page_name (session.window), ==, "batches");
  g_assert_cmpstr (gtk_label_get_label (child_of (page, CO_TYPE_BATCH_PAGE, "batches_label")), ==,
                   _("Some students of this batch are not in this computer’s roster yet: update the roster (Sync), then print the list."));

  /* The new students in the snapshot, their cards 未发卡. */
  gtk_widget_activate_action (GTK_WIDGET (session.window), "win.sync", NULL);
  g_assert_true (co_test_wait_until (student_synced_cb, "09810003", CO_TEST_SYNC_TIMEOUT_MS));

  /* 打印发放名单: the batch's students on the print page, a handout list. */
  g_signal_emit_by_name (batch_button (_("Print Handout List")), "clicked");
  g_assert_cmpstr (co_window_get_page_name (session.window), ==, "printing");
  co_print_page_render (print);
  g_assert_true (co_test_wait_until (print_done_cb, print, 60000));
  /* A page per class: 一年级1班 (two students) and 一年级2班 (the fixed row). */
  g_assert_cmpuint (co_print_page_get_n_pages (print), ==, 2);

  /* 发卡: the 核验 page, handing out. */
  co_window_set_page (session.window, "batches");
  g_assert_false (co_verify_page_get_handout_mode (verify));
  g_assert_true (gtk_widget_get_visible (batch_button (_("Hand Out"))));
  g_signal_emit_by_name (batch_button (_("Hand Out")), "clicked");
  g_assert_cmpstr (co_window_get_page_name (session.window), ==, "verification");
  g_assert_true (co_verify_page_get_handout_mode (verify));

  gtk_editable_set_text (child_of (verify, CO_TYPE_VERIFY_PAGE, "input_entry"), "09810002");
  g_signal_emit_by_name (child_of (verify, CO_TYPE_VERIFY_PAGE, "input_entry"), "activate");
  g_assert_cmpint (co_handout_panel_get_state (panel), ==, CO_HANDOUT_NEW_CARD);
  g_signal_emit_by_name (child_of (panel, CO_TYPE_HANDOUT_PANEL, "hand_out_button"), "clicked");
  g_assert_true (co_test_wait_until (handout_settled_cb, panel, 30000));
  g_assert_cmpint (co_handout_panel_get_state (panel), ==, CO_HANDOUT_DONE);

  /* The batch counts the card handed out. */
  co_window_set_page (session.window, "batches");
  {
    FindText find = { count1, NULL };

    g_assert_true (co_test_wait_until (batches_text_shown_cb, &find, CO_TEST_TIMEOUT_MS));
  }
  co_verify_page_set_handout_mode (verify, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  const char * const server_args[] = { "--demo", NULL };
  g_autoptr(GError) error = NULL;
  int ret;

  if (!co_test_session_init (&argc, &argv, &chinese))
    return CO_TEST_EXIT_SKIP;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  work_dir = g_dir_make_tmp ("co-gui-batch-follow-XXXXXX", &error);
  g_assert_no_error (error);
  co_test_session_start (&session, server_args);
  page = CO_BATCH_PAGE (gtk_widget_get_template_child (GTK_WIDGET (session.window), CO_TYPE_WINDOW, "batch_page"));

  g_test_add_func ("/gui/batch-follow/draft", test_draft);
  g_test_add_func ("/gui/batch-follow/follow", test_follow);

  ret = g_test_run ();

  {
    /* Journals and drafts live beside the store. */
    g_autofree char *batches = g_build_filename (session.store_dir, "batches", NULL);
    g_autoptr(GDir) dir = g_dir_open (batches, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (batches, name, NULL);
        g_remove (p);
      }
    g_rmdir (batches);
  }
  co_test_session_stop (&session);
  {
    g_autoptr(GDir) dir = g_dir_open (work_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (work_dir, name, NULL);
        g_remove (p);
      }
    g_rmdir (work_dir);
  }
  g_free (work_dir);

  return ret;
}
