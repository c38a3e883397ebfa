/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Events on the verification page (核验), under Xvfb, through the PN532
 * simulator, a real store file and (for uploads) the reference server:
 * 新建活动 with a class list (a student of another class is 非本场名单),
 * an imported list of education IDs, the event kept over a restart (the
 * store reopened), 导出考勤 read back (in English and in zh_CN: the user's
 * words, not machine words), an event renamed and deleted (refused while
 * its check-ins wait in the outbox), and check-ins made with the server
 * down uploaded, each exactly once, after it comes back on the same port.
 */
#define G_LOG_DOMAIN "test-verify-events"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "co-client.h"
#include "co-event-dialog.h"
#include "co-gui-test-util.h"
#include "co-gui-verify-util.h"
#include "co-handout-panel.h"
#include "co-outbox-watcher.h"
#include "co-pn532-sim.h"
#include "co-store.h"
#include "co-store-events.h"
#include "co-store-private.h"
#include "co-sync.h"
#include "co-verify-page.h"
#include "test-server.h"

static void
append_student (GString    *json,
                const char *edu_id,
                const char *name,
                int         grade,
                const char *class_name,
                const char *card_no,
                const char *uid,
                const char *status,
                const char *valid_until)
{
  if (json->str[json->len - 1] != '[')
    g_string_append_c (json, ',');

  g_string_append_printf (json,
                          "{\"edu_id\":\"%s\",\"name\":\"%s\",\"gender\":\"female\",\"grade\":%d,"
                          "\"class_name\":\"%s\",\"stage\":\"%s\",\"entry\":\"continuing\","
                          "\"school_name\":\"北京市海淀区示范学校\",\"photo_etag\":null,"
                          "\"updated_at\":\"2026-03-02T09:15:00+08:00\",\"card\":"
                          "{\"card_no\":\"%s\",\"bjt_no\":\"110100000001\",\"uid\":\"%s\","
                          "\"status\":\"%s\",\"issued_on\":\"2025-09-01\",\"valid_until\":\"%s\"},"
                          "\"reissue\":null}",
                          edu_id, name, grade, class_name,
                          grade <= 6 ? "primary" : grade <= 9 ? "junior" : "senior",
                          card_no, uid, status, valid_until);
}

/* A page (in a window) on the fixture's store, its reader connected. */
static void
open_page (Fixture *f)
{
  GDate today;

  f->page = g_object_new (CO_TYPE_VERIFY_PAGE, NULL);
  co_verify_page_set_store (f->page, f->store, f->settings);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 2, G_DATE_MARCH, 2026);
  co_verify_page_set_today (f->page, &today);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1024, 700);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  co_test_wait_for_mapped (GTK_WIDGET (f->page));
  if (f->sim != NULL)
    g_assert_true (co_test_wait_until (co_test_reader_connected_cb, f->page, 20000));
}

static void
close_page (Fixture *f)
{
  /* The next page starts with no card on the reader. */
  if (f->sim != NULL)
    co_pn532_sim_remove_card (f->sim);
  g_clear_pointer (&f->window, gtk_window_destroy);
  f->page = NULL;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) roster = g_string_new ("{\"students\":[");

  f->dir = g_dir_make_tmp ("co-gui-events-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "store.sqlite3", NULL);
  f->store = co_store_open (f->path, &error);
  g_assert_no_error (error);

  append_student (roster, "10000001", "王小明", 7, "1班", "1000751200000001", "04000001", "active", "2027-08-31");
  append_student (roster, "10000002", "李华", 7, "1班", "1000751200000002", "04000002", "reported_lost", "2027-08-31");
  append_student (roster, "10000003", "张三", 7, "1班", "1000751200000003", "04000003", "active", "2027-08-31");
  append_student (roster, "10000005", "刘洋", 8, "1班", "1000751200000005", "0400000A1B2C3D", "active", "2027-08-31");
  append_student (roster, "10000006", "陈静", 7, "2班", "1000751200000006", "04000006", "active", "2027-08-31");
  co_test_apply_roster_json (f->store, roster);

  f->sim = co_pn532_sim_new (NULL, &error);
  g_assert_no_error (error);
  f->settings = co_test_settings_new ();
  g_settings_set_string (f->settings, "reader-connstring", co_pn532_sim_get_connstring (f->sim));

  open_page (f);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_remove (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  close_page (f);
  g_clear_object (&f->settings);
  g_clear_pointer (&f->sim, co_pn532_sim_free);
  g_clear_object (&f->store);
  remove_dir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static gpointer
dialog_child (CoEventDialog *dialog,
              const char    *id)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (dialog), CO_TYPE_EVENT_DIALOG, id);

  g_assert_nonnull (child);
  return child;
}

/* A card on the simulated reader, through libnfc and CoReader. */
static CoVerdictKind
tap (Fixture    *f,
     const char *uid)
{
  NewVerdict w = { f, co_verify_page_get_verdict (f->page) };
  g_autoptr(GError) error = NULL;

  co_pn532_sim_remove_card (f->sim);
  g_assert_true (co_pn532_sim_put_card_hex (f->sim, uid, CO_PN532_SIM_CLASSIC_1K, -1, &error));
  g_assert_no_error (error);
  g_assert_true (co_test_wait_until (co_test_verdict_changed_cb, &w, 20000));

  return co_verify_page_get_verdict (f->page)->kind;
}

static CoVerdictKind
type (Fixture    *f,
      const char *text)
{
  GtkEditable *entry = co_test_page_child (f, "input_entry");

  gtk_editable_set_text (entry, text);
  g_signal_emit_by_name (entry, "activate");

  return co_verify_page_get_verdict (f->page)->kind;
}

static CoEventDialog *
find_event_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (CO_IS_EVENT_DIALOG (window))
        return CO_EVENT_DIALOG (window);
    }

  return NULL;
}

static gboolean
dialog_gone (gpointer user_data)
{
  return find_event_dialog () == NULL;
}

/* 新建活动… on the page: the dialog it opens. */
static CoEventDialog *
open_event_dialog (Fixture *f)
{
  CoEventDialog *dialog;

  g_assert_null (find_event_dialog ());
  g_signal_emit_by_name (co_test_page_child (f, "new_event_button"), "clicked");
  dialog = find_event_dialog ();
  g_assert_nonnull (dialog);
  co_test_wait_for_mapped (GTK_WIDGET (dialog));
  /* Today's date, filled in. */
  g_assert_cmpstr (gtk_editable_get_text (dialog_child (dialog, "date_entry")), ==, "2026-03-02");

  return dialog;
}

/* 创建 with a bad field: the message, the dialog still open, the text kept. */
static void
assert_refused (CoEventDialog *dialog,
                const char    *message)
{
  GtkLabel *error_label = dialog_child (dialog, "error_label");

  g_signal_emit_by_name (dialog_child (dialog, "create_button"), "clicked");
  g_assert_true (find_event_dialog () == dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_cmpstr (gtk_label_get_label (error_label), ==, message);
}

static void
create (CoEventDialog *dialog)
{
  g_signal_emit_by_name (dialog_child (dialog, "create_button"), "clicked");
  g_assert_true (co_test_wait_until (dialog_gone, NULL, CO_TEST_TIMEOUT_MS));
}

static void
test_class_list (Fixture       *f,
                 gconstpointer  data)
{
  CoEventDialog *dialog;
  GtkEditable *name_entry;
  CoEvent *event;

  g_assert_null (co_verify_page_get_event (f->page));
  g_assert_false (gtk_widget_get_sensitive (co_test_page_child (f, "export_button")));
  g_assert_cmpuint (gtk_drop_down_get_selected (co_test_page_child (f, "event_dropdown")), ==, 0);

  dialog = open_event_dialog (f);
  name_entry = dialog_child (dialog, "name_entry");

  assert_refused (dialog, "Give the event a name.");

  gtk_editable_set_text (name_entry, "期中考试");
  gtk_editable_set_text (dialog_child (dialog, "date_entry"), "2026-02-30");
  assert_refused (dialog, "“2026-02-30” is not a date: write it as 2026-03-02.");
  gtk_editable_set_text (dialog_child (dialog, "date_entry"), "2026-03-02");

  gtk_drop_down_set_selected (dialog_child (dialog, "list_dropdown"), CO_EVENT_LIST_GRADES);
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "grades_entry")));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "classes_entry")));
  gtk_editable_set_text (dialog_child (dialog, "grades_entry"), "7, 13");
  assert_refused (dialog, "“13” is not a grade (1 to 12).");

  gtk_drop_down_set_selected (dialog_child (dialog, "list_dropdown"), CO_EVENT_LIST_CLASSES);
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "classes_entry")));
  assert_refused (dialog, "Name at least one class, for example 7/1班.");
  gtk_editable_set_text (dialog_child (dialog, "classes_entry"), "7-1班");
  assert_refused (dialog,
                  "“7-1班” is not a class: write the grade, a slash and the class, for example 7/1班.");
  /* Nothing typed was lost. */
  g_assert_cmpstr (gtk_editable_get_text (name_entry), ==, "期中考试");
  g_assert_cmpstr (gtk_editable_get_text (dialog_child (dialog, "classes_entry")), ==, "7-1班");
  /* Typing clears the message. */
  gtk_editable_set_text (dialog_child (dialog, "classes_entry"), "7/1班，8/3班");
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "error_label")));

  create (dialog);

  event = co_verify_page_get_event (f->page);
  g_assert_nonnull (event);
  g_assert_cmpstr (co_event_get_name (event), ==, "期中考试");
  g_assert_cmpuint (co_event_get_n_allowed_classes (event), ==, 2);
  g_assert_cmpuint (gtk_drop_down_get_selected (co_test_page_child (f, "event_dropdown")), ==, 1);
  g_assert_cmpstr (co_test_page_label_text (f, "event_label"), ==, "Event: 期中考试, 2026-03-02");
  g_assert_true (gtk_widget_get_sensitive (co_test_page_child (f, "export_button")));

  /* 刘洋 is in class 8/1, 陈静 in 7/2: not on the list. */
  g_assert_cmpint (tap (f, "0400000A1B2C3D"), ==, CO_VERDICT_NOT_ON_LIST);
  g_assert_cmpstr (co_test_page_label_text (f, "verdict_label"), ==, "Not on This Event’s List");
  g_assert_cmpint (tap (f, "04000006"), ==, CO_VERDICT_NOT_ON_LIST);
  g_assert_cmpint (tap (f, "04000001"), ==, CO_VERDICT_VALID);
  /* Each verdict queued for upload, and the page says so. */
  g_assert_true (gtk_widget_get_visible (co_test_page_child (f, "outbox_label")));
  g_assert_cmpstr (co_test_page_label_text (f, "outbox_label"), ==, "3 waiting to upload");

  /* No event: everybody is valid again. */
  gtk_drop_down_set_selected (co_test_page_child (f, "event_dropdown"), 0);
  g_assert_null (co_verify_page_get_event (f->page));
  g_assert_false (gtk_widget_get_visible (co_test_page_child (f, "event_label")));
  g_assert_cmpint (tap (f, "0400000A1B2C3D"), ==, CO_VERDICT_VALID);
  gtk_drop_down_set_selected (co_test_page_child (f, "event_dropdown"), 1);
  g_assert_true (co_verify_page_get_event (f->page) == event);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_imported_list (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *good = write_file (f, "名单.csv",
                                      "教育ID,姓名\r\n10000001,王小明\r\n学号错,某人\r\n"
                                      "10000003,张三\r\n10000001,王小明\r\n", -1);
  g_autofree char *tsv = write_file (f, "list.tsv", "10000006\n10000002\n", -1);
  g_autofree char *none = write_file (f, "none.csv", "name\nabc\n", -1);
  g_autofree char *binary = write_file (f, "x.xlsx", "PK\003\004\000\000\001\002", 8);
  g_autoptr(GFile) good_file = g_file_new_for_path (good);
  g_autoptr(GFile) tsv_file = g_file_new_for_path (tsv);
  g_autoptr(GFile) none_file = g_file_new_for_path (none);
  g_autoptr(GFile) binary_file = g_file_new_for_path (binary);
  CoEventDialog *dialog = open_event_dialog (f);
  CoEvent *event;

  gtk_editable_set_text (dialog_child (dialog, "name_entry"), "春游");
  gtk_drop_down_set_selected (dialog_child (dialog, "list_dropdown"), CO_EVENT_LIST_IMPORTED);
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "import_box")));
  assert_refused (dialog, "Choose a file with the education IDs of the students who may come.");

  g_assert_false (co_event_dialog_import_file (dialog, binary_file, &error));
  g_assert_cmpstr (error->message, ==, "“x.xlsx” is not a CSV or TSV text file.");
  g_clear_error (&error);
  g_assert_false (co_event_dialog_import_file (dialog, none_file, &error));
  g_assert_cmpstr (error->message, ==, "“none.csv” holds no education ID (8 digits).");
  g_clear_error (&error);

  /* A header-less TSV, then the real list replaces it. */
  g_assert_true (co_event_dialog_import_file (dialog, tsv_file, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (gtk_label_get_label (dialog_child (dialog, "import_label")), ==,
                   "2 education IDs from “list.tsv”");
  g_assert_true (co_event_dialog_import_file (dialog, good_file, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (gtk_label_get_label (dialog_child (dialog, "import_label")), ==,
                   "2 education IDs from “名单.csv”; 1 line skipped, not an education ID (line 3)");

  create (dialog);
  event = co_verify_page_get_event (f->page);
  g_assert_nonnull (event);
  g_assert_cmpuint (co_event_get_n_allowed_students (event), ==, 2);

  g_assert_cmpint (tap (f, "04000001"), ==, CO_VERDICT_VALID);
  g_assert_cmpint (type (f, "10000003"), ==, CO_VERDICT_VALID);
  /* 陈静 was on the replaced list only. */
  g_assert_cmpint (tap (f, "04000006"), ==, CO_VERDICT_NOT_ON_LIST);
}

/* The event, the pick and who checked in survive closing the page and
 * reopening the store (the application restarted). */
static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoEvent) event = co_event_new ("期中考试", "2026-03-02");
  g_autoptr(CoEvent) other = co_event_new ("运动会", "2026-01-10");
  g_autofree char *id = g_strdup (co_event_get_id (event));
  CoEvent *restored;

  co_event_allow_class (event, 7, "1班");
  g_assert_true (co_verify_page_add_event (f->page, other, &error));
  g_assert_no_error (error);
  g_assert_true (co_verify_page_add_event (f->page, event, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tap (f, "04000001"), ==, CO_VERDICT_VALID);

  close_page (f);
  g_clear_object (&event);
  g_clear_object (&f->store);
  f->store = co_store_open (f->path, &error);
  g_assert_no_error (error);
  open_page (f);

  restored = co_verify_page_get_event (f->page);
  g_assert_nonnull (restored);
  g_assert_cmpstr (co_event_get_id (restored), ==, id);
  g_assert_cmpstr (co_event_get_name (restored), ==, "期中考试");
  g_assert_cmpstr (co_test_page_label_text (f, "event_label"), ==, "Event: 期中考试, 2026-03-02");
  /* "No Event", 期中考试 (newest first), 运动会. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (co_test_page_child (f, "event_dropdown"))), ==, 3);
  g_assert_cmpuint (gtk_drop_down_get_selected (co_test_page_child (f, "event_dropdown")), ==, 1);

  g_assert_cmpint (type (f, "10000001"), ==, CO_VERDICT_ALREADY_CHECKED_IN);
  g_assert_cmpint (tap (f, "0400000A1B2C3D"), ==, CO_VERDICT_NOT_ON_LIST);
  g_assert_cmpint (tap (f, "04000003"), ==, CO_VERDICT_VALID);

  /* Picking another event is kept too. */
  gtk_drop_down_set_selected (co_test_page_child (f, "event_dropdown"), 2);
  close_page (f);
  g_clear_object (&f->store);
  f->store = co_store_open (f->path, &error);
  g_assert_no_error (error);
  open_page (f);
  g_assert_cmpstr (co_event_get_name (co_verify_page_get_event (f->page)), ==, "运动会");
}

static void
count_line (GHashTable *statuses,
            const char *line)
{
  g_auto(GStrv) fields = g_strsplit (line, ",", -1);
  guint n;

  g_assert_cmpuint (g_strv_length (fields), ==, 7);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (statuses, fields[4]));
  g_hash_table_insert (statuses, g_strdup (fields[4]), GUINT_TO_POINTER (n + 1));
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoEvent) event = co_event_new ("期中考试", "2026-03-02");
  g_autofree char *path = g_build_filename (f->dir, "考勤.csv", NULL);
  g_autofree char *bad_path = g_build_filename (f->dir, "missing", "a.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad_path);
  g_autoptr(GHashTable) statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  CoAttendanceCounts counts = { 0 };
  GStatBuf st;
  gsize length;

  co_event_allow_class (event, 7, "1班");
  g_assert_true (co_verify_page_add_event (f->page, event, &error));
  g_assert_no_error (error);

  g_assert_cmpint (tap (f, "04000001"), ==, CO_VERDICT_VALID);          /* present */
  g_assert_cmpint (type (f, "10000001"), ==, CO_VERDICT_ALREADY_CHECKED_IN);
  g_assert_cmpint (tap (f, "04000002"), ==, CO_VERDICT_LOST);           /* refused */
  g_assert_cmpint (tap (f, "0400000A1B2C3D"), ==, CO_VERDICT_NOT_ON_LIST); /* refused */
  /* 张三 (10000003) never came: absent. */

  /* Somewhere it cannot be written: said on the page. */
  g_assert_false (co_verify_page_export_attendance (f->page, bad_file, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (gtk_widget_get_visible (co_test_page_child (f, "export_label")));
  g_assert_true (g_str_has_prefix (co_test_page_label_text (f, "export_label"),
                                   "The attendance could not be saved to “a.csv”: "));
  g_assert_true (gtk_widget_has_css_class (co_test_page_child (f, "export_label"), "error"));

  /* An existing file readable by others is replaced by a private one. */
  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_chmod (path, 0644);
  g_assert_true (co_verify_page_export_attendance (f->page, file, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.present, ==, 1);
  g_assert_cmpuint (counts.absent, ==, 1);
  g_assert_cmpuint (counts.refused, ==, 2);
  g_assert_cmpstr (co_test_page_label_text (f, "export_label"), ==,
                   "Saved “考勤.csv”: 1 present, 1 absent, 2 refused");
  g_assert_false (gtk_widget_has_css_class (co_test_page_child (f, "export_label"), "error"));

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Read back: the BOM, a header, one row per student, in the user's
   * words (the verdicts as the page shows them). */
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF"
                                   "Education ID,Name,Grade,Class,Status,Time,Result\r\n"));
  g_assert_true (g_utf8_validate (contents, length, NULL));
  lines = g_strsplit (contents + 3, "\r\n", -1);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    count_line (statuses, lines[i]);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (statuses, "Checked In")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (statuses, "Absent")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (statuses, "Refused")), ==, 2);
  g_assert_nonnull (strstr (contents, "10000001,王小明,7,1班,Checked In,"));
  g_assert_nonnull (strstr (contents, "10000003,张三,7,1班,Absent,,\r\n"));
  g_assert_nonnull (strstr (contents, ",Refused,"));
  g_assert_nonnull (strstr (contents, ",Reported Lost\r\n"));
  g_assert_nonnull (strstr (contents, ",Not on This Event’s List\r\n"));
  g_assert_null (strstr (contents, "not_on_list"));
  g_clear_pointer (&contents, g_free);

  /* At a Chinese desk: the words of DOMAIN.md. */
  if (!co_test_set_locale ("zh_CN.UTF-8"))
    {
      g_assert_true (co_test_set_locale ("C"));
      g_test_message ("No zh_CN locale: the Chinese export is not checked");
      return;
    }
  g_assert_true (co_verify_page_export_attendance (f->page, file, NULL, &error));
  g_assert_true (co_test_set_locale ("C"));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF" "教育ID,姓名,年级,班级,状态,时间,结果\r\n"));
  g_assert_nonnull (strstr (contents, "10000001,王小明,7,1班,已核验,"));
  g_assert_nonnull (strstr (contents, ",有效\r\n"));
  g_assert_nonnull (strstr (contents, "10000003,张三,7,1班,未到,,\r\n"));
  g_assert_nonnull (strstr (contents, "10000002,李华,7,1班,未通过,"));
  g_assert_nonnull (strstr (contents, ",已挂失\r\n"));
  g_assert_nonnull (strstr (contents, ",非本场名单\r\n"));
  g_assert_null (strstr (contents, "absent"));
}

/* Uploads: a server started and restarted on one database and port. */

typedef struct
{
  GSubprocess *process;
  char        *url;
} Server;

static Server *
server_start (const char *db,
              guint       port)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  Server *server = g_new0 (Server, 1);
  gsize length;
  const char *argv[] = {
    test_server_binary (), "--db", db, "--port", port_text, "--quiet", "--demo",
    "--demo-size", "40", "--today", "2026-03-20", NULL
  };

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  server->url = g_data_input_stream_read_line (out, &length, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (server->url);

  return server;
}

static void
server_stop (Server *server)
{
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_object_unref (server->process);
  g_free (server->url);
  g_free (server);
}

static gboolean
drain_failed (gpointer user_data)
{
  CoOutboxWatcher *watcher = user_data;

  return co_outbox_watcher_get_last_error (watcher) != NULL &&
         !co_outbox_watcher_get_draining (watcher);
}

static gboolean
outbox_empty (gpointer user_data)
{
  return co_outbox_watcher_get_n_pending (CO_OUTBOX_WATCHER (user_data)) == 0;
}

/* The server's check-ins at @event_id, as edu_id → how many. */
static GHashTable *
fetch_check_ins (const char *url,
                 const char *token,
                 const char *event_id,
                 guint      *n)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strdup_printf ("%s/api/v1/events/%s/check-ins", url, event_id);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *list;

  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             (gssize) g_bytes_get_size (body), &error));
  list = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                       "check_ins");
  *n = json_array_get_length (list);
  for (guint i = 0; i < *n; i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);
      const char *edu_id = json_object_get_string_member (item, "edu_id");
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (seen, edu_id));

      g_hash_table_insert (seen, g_strdup (edu_id), GUINT_TO_POINTER (count + 1));
    }

  return seen;
}

static char *
query_text (const char *path,
            const char *sql,
            int         row)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  for (int i = 0; sqlite3_step (stmt) == SQLITE_ROW; i++)
    if (i == row)
      {
        text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
        break;
      }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return text;
}

static void
test_upload (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CoOutboxWatcher) watcher = NULL;
  g_autoptr(CoEvent) event = co_event_new ("期中考试", "2026-03-20");
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *server_dir = NULL;
  g_autofree char *server_db = NULL;
  char *ids[3] = { NULL };
  Fixture fixture = { 0 }, *f = &fixture;
  Server *server;
  guint port;
  guint n = 0;
  GDate today;

  if (test_server_binary () == NULL)
    {
      g_test_skip ("CO_TEST_SERVER does not name card-office-server");
      return;
    }

  server_dir = g_dir_make_tmp ("co-server-XXXXXX", &error);
  g_assert_no_error (error);
  server_db = g_build_filename (server_dir, "server.sqlite3", NULL);
  server = server_start (server_db, 0);
  uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  port = (guint) g_uri_get_port (uri);

  f->dir = g_dir_make_tmp ("co-gui-events-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "store.sqlite3", NULL);
  f->store = co_store_open (f->path, &error);
  g_assert_no_error (error);
  f->settings = co_test_settings_new ();

  client = co_client_new (server->url);
  co_client_sign_in_async (client, "demo", "demo", NULL, co_test_store_result_cb, &result);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &result, 30000));
  g_assert_true (co_client_sign_in_finish (client, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  co_sync_run_async (f->store, client, 0, NULL, NULL, NULL, NULL, co_test_store_result_cb, &result);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &result, 60000));
  g_assert_true (co_sync_run_finish (f->store, result, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* Three students with a valid current card. */
  for (int i = 0; i < 3; i++)
    {
      ids[i] = query_text (f->path, "SELECT s.edu_id FROM students s JOIN cards c ON c.card_no = s.card_no"
                                    " WHERE c.status = 'active' AND c.valid_until >= '2026-03-20'"
                                    " ORDER BY s.edu_id", i);
      g_assert_nonnull (ids[i]);
    }

  /* The server goes away. */
  server_stop (server);

  f->page = g_object_new (CO_TYPE_VERIFY_PAGE, NULL);
  co_verify_page_set_store (f->page, f->store, f->settings);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 20, G_DATE_MARCH, 2026);
  co_verify_page_set_today (f->page, &today);
  watcher = co_outbox_watcher_new (f->store, client);
  co_outbox_watcher_set_intervals (watcher, 100, 800);
  co_verify_page_set_outbox_watcher (f->page, watcher);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  co_test_wait_for_mapped (GTK_WIDGET (f->page));

  g_assert_true (co_verify_page_add_event (f->page, event, &error));
  g_assert_no_error (error);
  for (int i = 0; i < 3; i++)
    g_assert_cmpint (type (f, ids[i]), ==, CO_VERDICT_VALID);
  g_assert_cmpint (type (f, ids[0]), ==, CO_VERDICT_ALREADY_CHECKED_IN);
  g_assert_cmpstr (co_test_page_label_text (f, "outbox_label"), ==, "4 waiting to upload");

  /* Tried, failed, still waiting. */
  g_assert_true (co_test_wait_until (drain_failed, watcher, 60000));
  g_assert_cmpuint (co_outbox_watcher_get_n_pending (watcher), ==, 4);
  g_assert_cmpstr (co_test_page_label_text (f, "outbox_label"), ==, "4 waiting to upload");

  /* Back, on the same database and port: the watcher uploads. */
  server = server_start (server_db, port);
  g_assert_true (co_test_wait_until (outbox_empty, watcher, 60000));
  g_assert_false (gtk_widget_get_visible (co_test_page_child (f, "outbox_label")));
  g_assert_cmpuint (co_store_get_n_outbox (f->store), ==, 0);
  {
    g_autoptr(GPtrArray) refused = co_store_list_outbox_refused (f->store);

    g_assert_cmpuint (refused->len, ==, 0);
  }

  /* Each check-in exactly once. */
  seen = fetch_check_ins (server->url, co_client_get_token (client), co_event_get_id (event), &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (seen, ids[0])), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (seen, ids[1])), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (seen, ids[2])), ==, 1);

  /* A drain again sends nothing twice. */
  co_outbox_watcher_queue_drain (watcher);
  g_clear_pointer (&seen, g_hash_table_unref);
  seen = fetch_check_ins (server->url, co_client_get_token (client), co_event_get_id (event), &n);
  g_assert_cmpuint (n, ==, 4);

  g_clear_object (&watcher);
  server_stop (server);
  close_page (f);
  g_clear_object (&f->settings);
  g_clear_object (&f->store);
  remove_dir (f->dir);
  remove_dir (server_dir);
  g_free (f->path);
  g_free (f->dir);
  for (int i = 0; i < 3; i++)
    g_free (ids[i]);
}


/* 发卡/领卡 against the reference server: a reissue 待领取 at school
 * (its old card tapped), a new card 未发卡 (typed), offline refused
 * plainly, and the sticker check. */

static gboolean
handout_settled (gpointer user_data)
{
  return !co_handout_panel_get_busy (CO_HANDOUT_PANEL (user_data));
}

static gpointer
panel_child (CoHandoutPanel *panel,
             const char     *id)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (panel), CO_TYPE_HANDOUT_PANEL, id);

  g_assert_nonnull (child);
  return child;
}

static CoStudent *
server_student (CoClient   *client,
                const char *edu_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CoStudent *student;

  co_client_get_student_async (client, edu_id, NULL, co_test_store_result_cb, &result);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &result, 30000));
  student = co_client_get_student_finish (client, result, &error);
  g_assert_no_error (error);
  return student;
}

static CoReissueStatus
server_reissue_status (CoClient   *client,
                       const char *edu_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(CoReissue) latest = NULL;

  co_client_list_reissues_async (client, CO_REISSUE_STATUS_NONE, edu_id, NULL, 10, NULL,
                                 co_test_store_result_cb, &result);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &result, 30000));
  list = co_client_list_reissues_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), >, 0);
  latest = g_list_model_get_item (list, 0);
  return co_reissue_get_status (latest);
}

static void
sticker (CoHandoutPanel *panel,
         const char     *text)
{
  GtkEditable *entry = panel_child (panel, "sticker_entry");

  gtk_editable_set_text (entry, text);
  g_signal_emit_by_name (entry, "activate");
}

static void
test_handout (void)
{
  static const char * const args[] = { "--demo", "--today", "2026-03-20", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CoClient) client = NULL;
  g_autoptr(CoClient) offline = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CoStudent) after = NULL;
  g_autofree char *reissue_id = NULL;
  g_autofree char *reissue_uid = NULL;
  g_autofree char *new_id = NULL;
  g_autofree char *active_uid = NULL;
  g_autofree char *active_no = NULL;
  g_autofree char *wrong_no = NULL;
  g_autofree char *new_card_no = NULL;
  g_autoptr(CoEvent) event = NULL;
  Fixture fixture = { 0 }, *f = &fixture;
  CoHandoutPanel *panel;
  TestServer *server;
  GDate today;

  if (test_server_binary () == NULL)
    {
      g_test_skip ("CO_TEST_SERVER does not name card-office-server");
      return;
    }

  server = test_server_start (args);
  f->dir = g_dir_make_tmp ("co-gui-events-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "store.sqlite3", NULL);
  f->store = co_store_open (f->path, &error);
  g_assert_no_error (error);

  client = co_client_new (server->url);
  co_client_sign_in_async (client, "demo", "demo", NULL, co_test_store_result_cb, &result);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &result, 30000));
  g_assert_true (co_client_sign_in_finish (client, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  co_sync_run_async (f->store, client, 0, NULL, NULL, NULL, NULL, co_test_store_result_cb, &result);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &result, 60000));
  g_assert_true (co_sync_run_finish (f->store, result, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  reissue_id = query_text (f->path, "SELECT r.edu_id FROM reissues r WHERE r.status = 'awaiting_pickup'"
                                    " AND r.delivery = 'school' AND r.id = (SELECT max (id) FROM reissues"
                                    " WHERE edu_id = r.edu_id) ORDER BY r.edu_id", 0);
  g_assert_nonnull (reissue_id);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT c.uid FROM cards c JOIN students s"
                                            " ON s.card_no = c.card_no WHERE s.edu_id = '%s'",
                                            reissue_id);
    reissue_uid = query_text (f->path, sql, 0);
    g_assert_nonnull (reissue_uid);
  }
  new_id = query_text (f->path, "SELECT s.edu_id FROM students s JOIN cards c ON c.card_no = s.card_no"
                                " WHERE c.status = 'not_issued' ORDER BY s.edu_id", 0);
  g_assert_nonnull (new_id);
  active_uid = query_text (f->path, "SELECT c.uid FROM cards c JOIN students s ON s.card_no = c.card_no"
                                    " WHERE c.status = 'active' AND NOT EXISTS (SELECT 1 FROM reissues r"
                                    " WHERE r.edu_id = s.edu_id) ORDER BY c.uid", 0);
  active_no = query_text (f->path, "SELECT c.card_no FROM cards c JOIN students s ON s.card_no = c.card_no"
                                   " WHERE c.status = 'active' AND NOT EXISTS (SELECT 1 FROM reissues r"
                                   " WHERE r.edu_id = s.edu_id) ORDER BY c.uid", 0);
  g_assert_nonnull (active_uid);
  wrong_no = g_strdup (active_no);
  wrong_no[strlen (wrong_no) - 1] = wrong_no[strlen (wrong_no) - 1] == '9' ? '0' : wrong_no[strlen (wrong_no) - 1] + 1;

  f->sim = co_pn532_sim_new (NULL, &error);
  g_assert_no_error (error);
  f->settings = co_test_settings_new ();
  g_settings_set_string (f->settings, "reader-connstring", co_pn532_sim_get_connstring (f->sim));
  f->page = g_object_new (CO_TYPE_VERIFY_PAGE, NULL);
  co_verify_page_set_store (f->page, f->store, f->settings);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 20, G_DATE_MARCH, 2026);
  co_verify_page_set_today (f->page, &today);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1024, 760);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  co_test_wait_for_mapped (GTK_WIDGET (f->page));
  g_assert_true (co_test_wait_until (co_test_reader_connected_cb, f->page, 20000));
  panel = co_test_page_child (f, "handout_panel");

  /* At an event, handing out still checks nobody in. */
  event = co_event_new ("发卡", "2026-03-20");
  co_verify_page_set_event (f->page, event);
  gtk_toggle_button_set_active (co_test_page_child (f, "handout_toggle"), TRUE);

  /* An active card with nothing to hand out: the sticker check only. */
  tap (f, active_uid);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (co_test_page_child (f, "view_stack")), ==, "handout");
  g_assert_cmpint (co_handout_panel_get_state (panel), ==, CO_HANDOUT_NONE);
  g_assert_false (gtk_widget_get_visible (panel_child (panel, "hand_out_button")));
  g_assert_cmpstr (co_handout_panel_get_card_no (panel), ==, active_no);
  sticker (panel, wrong_no);
  g_assert_cmpint (co_handout_panel_get_sticker_check (panel), ==, CO_STICKER_MISMATCH);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (panel_child (panel, "sticker_result_label")),
                                   "Sticker Does Not Match the Card"));
  g_assert_true (gtk_widget_has_css_class (panel_child (panel, "sticker_result_label"), "co-verdict-bad"));
  sticker (panel, active_no);
  g_assert_cmpint (co_handout_panel_get_sticker_check (panel), ==, CO_STICKER_MATCH);
  g_assert_cmpstr (gtk_label_get_label (panel_child (panel, "sticker_result_label")), ==,
                   "Sticker Matches the Card");
  g_assert_true (gtk_widget_has_css_class (panel_child (panel, "sticker_result_label"), "co-verdict-good"));
  sticker (panel, "ABC");
  g_assert_cmpint (co_handout_panel_get_sticker_check (panel), ==, CO_STICKER_BAD_INPUT);
  g_assert_cmpstr (gtk_label_get_label (panel_child (panel, "sticker_result_label")), ==,
                   "“ABC” is not a card number.");
  /* An unknown card: its verdict, no panel. */
  g_assert_cmpint (tap (f, "04FFFFFE"), ==, CO_VERDICT_UNKNOWN);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (co_test_page_child (f, "view_stack")), ==, "verdict");
  /* Not a check-in. */
  g_assert_cmpuint (co_store_foreach_check_in (f->store, co_event_get_id (event), NULL, NULL), ==, 0);
  g_assert_cmpuint (co_store_get_n_outbox (f->store), ==, 0);

  /* Offline (not signed in): said plainly, nothing changes. */
  offline = co_client_new (server->url);
  co_verify_page_set_client (f->page, offline);
  type (f, new_id);
  g_assert_cmpint (co_handout_panel_get_state (panel), ==, CO_HANDOUT_NEW_CARD);
  g_assert_true (gtk_widget_get_visible (panel_child (panel, "hand_out_button")));
  g_signal_emit_by_name (panel_child (panel, "hand_out_button"), "clicked");
  g_assert_true (co_test_wait_until (handout_settled, panel, 30000));
  g_assert_cmpint (co_handout_panel_get_state (panel), ==, CO_HANDOUT_NEW_CARD);
  g_assert_cmpstr (gtk_label_get_label (panel_child (panel, "result_label")), ==,
                   "Handing out needs a connection: sign in to the card platform first.");
  after = server_student (client, new_id);
  g_assert_cmpint (co_student_get_card_status (after), ==, CO_CARD_STATUS_NOT_ISSUED);
  g_clear_object (&after);

  /* Online: 新制卡 handed out. */
  co_verify_page_set_client (f->page, client);
  type (f, new_id);
  g_signal_emit_by_name (panel_child (panel, "hand_out_button"), "clicked");
  g_assert_true (co_handout_panel_get_busy (panel));
  g_assert_true (co_test_wait_until (handout_settled, panel, 30000));
  g_assert_cmpint (co_handout_panel_get_state (panel), ==, CO_HANDOUT_DONE);
  g_assert_false (gtk_widget_get_visible (panel_child (panel, "hand_out_button")));
  after = server_student (client, new_id);
  g_assert_cmpint (co_student_get_card_status (after), ==, CO_CARD_STATUS_ACTIVE);
  g_clear_object (&after);

  /* A reissue 待领取 at school, the student's old card tapped. */
  tap (f, reissue_uid);
  g_assert_cmpint (co_handout_panel_get_state (panel), ==, CO_HANDOUT_REISSUE);
  g_assert_null (co_handout_panel_get_card_no (panel));
  g_signal_emit_by_name (panel_child (panel, "hand_out_button"), "clicked");
  g_assert_true (co_test_wait_until (handout_settled, panel, 30000));
  g_assert_cmpint (co_handout_panel_get_state (panel), ==, CO_HANDOUT_DONE);
  g_assert_cmpint (server_reissue_status (client, reissue_id), ==, CO_REISSUE_STATUS_COLLECTED);
  after = server_student (client, reissue_id);
  g_assert_cmpint (co_student_get_card_status (after), ==, CO_CARD_STATUS_ACTIVE);
  /* The sticker must match the new card. */
  new_card_no = g_strdup (co_handout_panel_get_card_no (panel));
  g_assert_cmpstr (new_card_no, ==, co_student_get_card_no (after));
  sticker (panel, new_card_no);
  g_assert_cmpint (co_handout_panel_get_sticker_check (panel), ==, CO_STICKER_MATCH);
  /* The snapshot knows: the same student again has nothing to hand out. */
  type (f, reissue_id);
  g_assert_cmpint (co_handout_panel_get_state (panel), ==, CO_HANDOUT_NONE);

  test_server_stop (server);
  close_page (f);
  g_clear_object (&f->settings);
  g_clear_pointer (&f->sim, co_pn532_sim_free);
  g_clear_object (&f->store);
  remove_dir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* Each new template: every id bound. */
static void
test_templates (void)
{
  CoEventDialog *dialog = co_event_dialog_new (NULL, "2026-03-02");
  GtkWidget *panel = g_object_ref_sink (g_object_new (CO_TYPE_HANDOUT_PANEL, NULL));
  GtkWidget *page = g_object_ref_sink (g_object_new (CO_TYPE_VERIFY_PAGE, NULL));

  co_test_assert_template (GTK_WIDGET (dialog), CO_TYPE_EVENT_DIALOG,
                           RESOURCE_PREFIX "/ui/co-event-dialog.ui");
  co_test_assert_template (panel, CO_TYPE_HANDOUT_PANEL, RESOURCE_PREFIX "/ui/co-handout-panel.ui");
  co_test_assert_template (page, CO_TYPE_VERIFY_PAGE, RESOURCE_PREFIX "/ui/co-verify-page.ui");
  /* The picker offers "No Event" before any event exists. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (
    gtk_widget_get_template_child (page, CO_TYPE_VERIFY_PAGE, "event_dropdown")))), ==, 1);

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (panel);
  g_object_unref (page);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

/* A button beside the picker: the dialog it opens, mapped. */
static AdwMessageDialog *
open_message_dialog (Fixture    *f,
                     const char *button)
{
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_get_sensitive (co_test_page_child (f, button)));
  g_signal_emit_by_name (co_test_page_child (f, button), "clicked");
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  co_test_wait_for_mapped (GTK_WIDGET (dialog));

  return g_object_ref (dialog);
}

static void
answer (AdwMessageDialog *dialog,
        const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

static guint
dropdown_n_items (Fixture *f)
{
  return g_list_model_get_n_items (gtk_drop_down_get_model (co_test_page_child (f, "event_dropdown")));
}

/* 重命名 and 删除 beside the picker: an empty name cannot be given; the
 * new name kept over a restart with its list and check-ins; delete asks
 * first, is refused with a message while a check-in waits in the outbox,
 * then forgets the event but keeps its check-ins. */
static void
test_rename_delete (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoEvent) event = co_event_new ("期中考试", "2026-03-02");
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *event_id = g_strdup (co_event_get_id (event));
  AdwMessageDialog *dialog;
  GtkEditable *entry;

  g_assert_false (gtk_widget_get_sensitive (co_test_page_child (f, "rename_event_button")));
  g_assert_false (gtk_widget_get_sensitive (co_test_page_child (f, "delete_event_button")));

  co_event_allow_class (event, 7, "1班");
  g_assert_true (co_verify_page_add_event (f->page, event, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tap (f, "04000001"), ==, CO_VERDICT_VALID);
  g_assert_cmpuint (co_store_get_n_outbox (f->store), ==, 1);

  /* Rename: the name offered; blank cannot be confirmed; cancel changes nothing. */
  dialog = open_message_dialog (f, "rename_event_button");
  entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "期中考试");
  gtk_editable_set_text (entry, "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "rename"));
  gtk_editable_set_text (entry, "x");
  answer (dialog, "cancel");
  g_assert_cmpstr (co_event_get_name (co_verify_page_get_event (f->page)), ==, "期中考试");

  /* Called directly with a blank name: refused, said on the page. */
  g_assert_false (co_verify_page_rename_event (f->page, " ", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpstr (co_test_page_label_text (f, "export_label"), ==, "Give the event a name.");
  g_assert_true (gtk_widget_has_css_class (co_test_page_child (f, "export_label"), "error"));

  dialog = open_message_dialog (f, "rename_event_button");
  entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  gtk_editable_set_text (entry, " 期末考试 ");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "rename"));
  answer (dialog, "rename");
  g_assert_cmpstr (co_event_get_id (co_verify_page_get_event (f->page)), ==, event_id);
  g_assert_cmpstr (co_event_get_name (co_verify_page_get_event (f->page)), ==, "期末考试");
  g_assert_cmpstr (co_test_page_label_text (f, "event_label"), ==, "Event: 期末考试, 2026-03-02");
  g_assert_cmpstr (co_test_page_label_text (f, "export_label"), ==, "The event is now called “期末考试”.");
  g_assert_false (gtk_widget_has_css_class (co_test_page_child (f, "export_label"), "error"));
  g_assert_cmpuint (dropdown_n_items (f), ==, 2);
  {
    g_autoptr(GtkStringObject) item = g_list_model_get_item (
      gtk_drop_down_get_model (co_test_page_child (f, "event_dropdown")), 1);

    g_assert_cmpstr (gtk_string_object_get_string (item), ==, "期末考试 (2026-03-02)");
  }
  /* The same event: its list and its check-in. */
  g_assert_cmpint (type (f, "10000001"), ==, CO_VERDICT_ALREADY_CHECKED_IN);
  g_assert_cmpint (tap (f, "04000006"), ==, CO_VERDICT_NOT_ON_LIST);

  /* Kept over a restart. */
  close_page (f);
  open_page (f);
  g_assert_cmpstr (co_event_get_name (co_verify_page_get_event (f->page)), ==, "期末考试");

  /* Delete, cancelled: nothing happens. */
  dialog = open_message_dialog (f, "delete_event_button");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete “期末考试” (2026-03-02)?");
  answer (dialog, "cancel");
  g_assert_nonnull (co_verify_page_get_event (f->page));

  /* Confirmed while check-ins wait to upload: refused, said. */
  dialog = open_message_dialog (f, "delete_event_button");
  answer (dialog, "delete");
  g_assert_nonnull (co_verify_page_get_event (f->page));
  g_assert_cmpstr (co_test_page_label_text (f, "export_label"), ==,
                   "“期末考试” was not deleted: some of its check-ins are not sent yet. "
                   "Connect to the server, wait until nothing is waiting, then delete it.");
  g_assert_true (gtk_widget_has_css_class (co_test_page_child (f, "export_label"), "error"));
  g_assert_cmpuint (dropdown_n_items (f), ==, 2);

  /* Sent (what the outbox watcher does on a 2xx): now it goes. */
  items = co_store_list_outbox (f->store, 0);
  g_assert_cmpuint (items->len, ==, 3);
  for (guint i = 0; i < items->len; i++)
    {
      g_assert_true (co_store_delete_outbox_item (f->store, ((CoOutboxItem *) g_ptr_array_index (items, i))->id,
                                                  &error));
      g_assert_no_error (error);
    }
  dialog = open_message_dialog (f, "delete_event_button");
  answer (dialog, "delete");
  g_assert_null (co_verify_page_get_event (f->page));
  g_assert_cmpstr (co_test_page_label_text (f, "export_label"), ==, "The event “期末考试” was deleted.");
  g_assert_false (gtk_widget_has_css_class (co_test_page_child (f, "export_label"), "error"));
  g_assert_cmpuint (dropdown_n_items (f), ==, 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (co_test_page_child (f, "event_dropdown")), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (co_test_page_child (f, "delete_event_button")));
  g_assert_false (gtk_widget_get_sensitive (co_test_page_child (f, "export_button")));
  g_assert_null (co_store_get_current_event_id (f->store));
  /* Its check-ins are kept. */
  g_assert_cmpuint (co_store_foreach_check_in (f->store, event_id, NULL, NULL), ==, 3);

  /* Gone over a restart too. */
  close_page (f);
  open_page (f);
  g_assert_null (co_verify_page_get_event (f->page));
  g_assert_cmpuint (dropdown_n_items (f), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  test_server_parse_args (&argc, argv);

  if (!co_test_set_locale ("C"))
    return EXIT_FAILURE;

  if (!co_test_init_gui (&argc, &argv))
    return CO_TEST_EXIT_SKIP;

  g_test_add_func ("/gui/verify-events/templates", test_templates);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/gui/verify-events/class-list", test_class_list);
  ADD ("/gui/verify-events/imported-list", test_imported_list);
  ADD ("/gui/verify-events/restart", test_restart);
  ADD ("/gui/verify-events/export", test_export);
  ADD ("/gui/verify-events/rename-delete", test_rename_delete);
#undef ADD
  g_test_add_func ("/gui/verify-events/upload", test_upload);
  g_test_add_func ("/gui/verify-events/handout", test_handout);

  return g_test_run ();
}
