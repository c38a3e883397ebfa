/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * 打印卡贴… on the Students page against the reference server (--demo):
 * sign in, sync, select three rows, press the button; the window shows the
 * print page with those three students, and their stickers render (their
 * education IDs in the PDF, an unselected neighbour's not). Built once per
 * locale (TEST_LOCALE).
 */
#define G_LOG_DOMAIN "test-roster-print"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-gui-session-util.h"
#include "co-print-page.h"
#include "print-test-utils.h"

#define RENDER_TIMEOUT_MS 60000

static CoTestSession session;

/* Helpers */

static GtkWidget *
roster_child (const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (session.roster_page),
                                                  CO_TYPE_ROSTER_PAGE, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static CoPrintPage *
print_page (void)
{
  GObject *page = gtk_widget_get_template_child (GTK_WIDGET (session.window), CO_TYPE_WINDOW, "print_page");

  g_assert_nonnull (page);
  return CO_PRINT_PAGE (page);
}

static gboolean
render_done_cb (gpointer user_data)
{
  CoPrintPage *page = user_data;

  return !co_print_page_get_busy (page) && co_print_page_get_n_pages (page) > 0;
}

static gboolean
on_print_page_cb (gpointer user_data)
{
  return g_strcmp0 (co_window_get_page_name (session.window), "printing") == 0;
}

static void
on_student_activated_cb (CoRosterPage *page,
                         CoStudent    *student,
                         CoStudent   **out)
{
  g_set_object (out, student);
}

/* Tests */

static void
test_sign_in_and_sync (void)
{
  CoSignInDialog *dialog = co_test_session_open_sign_in (&session);

  co_test_dialog_submit (dialog, "demo", "demo");
  g_assert_true (co_test_wait_until (co_test_dialog_gone_cb, NULL, CO_TEST_TIMEOUT_MS));
  co_test_session_wait_synced (&session);
  g_assert_cmpuint (g_list_model_get_n_items (co_roster_page_get_results (session.roster_page)), >=, 6);
}

static void
test_print_selection (void)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (roster_child ("column_view"));
  GtkWidget *button = roster_child ("print_button");
  GtkSelectionModel *model = gtk_column_view_get_model (view);
  GListModel *results = co_roster_page_get_results (session.roster_page);
  static const guint rows[] = { 0, 2, 4 };
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(CoStudent) activated = NULL;
  g_autoptr(CoStudent) unselected = NULL;
  g_autoptr(Pdf) pdf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  CoPrintPage *page = print_page ();
  GtkLabel *source_label;

  g_assert_true (GTK_IS_MULTI_SELECTION (model));
  g_assert_cmpstr (co_window_get_page_name (session.window), ==, "students");

  /* Nothing selected: nothing to print. */
  gtk_selection_model_unselect_all (model);
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_cmpstr (co_window_get_page_name (session.window), ==, "students");

  /* Row activation still opens one student, with several rows selectable. */
  g_signal_connect (session.roster_page, "student-activated", G_CALLBACK (on_student_activated_cb), &activated);
  g_signal_emit_by_name (view, "activate", 1);
  g_assert_nonnull (activated);
  g_signal_handlers_disconnect_by_func (session.roster_page, on_student_activated_cb, &activated);

  /* Three rows, as with Ctrl+click. */
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_true (gtk_selection_model_select_item (model, rows[i], i == 0));
  g_assert_true (gtk_widget_get_sensitive (button));

  selected = co_roster_page_get_selected (session.roster_page);
  g_assert_cmpuint (selected->len, ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(CoStudent) student = g_list_model_get_item (results, rows[i]);

      g_assert_true (g_ptr_array_index (selected, i) == student);
    }
  unselected = g_list_model_get_item (results, 1);

  /* The button: the print page, with those three. */
  /* (A button's activation clicks after its pressed look has shown.) */
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (co_test_wait_until (on_print_page_cb, NULL, CO_TEST_TIMEOUT_MS));
  g_assert_cmpstr (co_window_get_page_name (session.window), ==, "printing");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (page)));

  source_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (page), CO_TYPE_PRINT_PAGE, "source_label"));
  expected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u selected student", "%u selected students", 3), 3);
  g_assert_cmpstr (gtk_label_get_text (source_label), ==, expected);
  g_test_message ("print page: %s", gtk_label_get_text (source_label));

  /* Their stickers, and only theirs. */
  co_print_page_render (page);
  g_assert_true (co_test_wait_until (render_done_cb, page, RENDER_TIMEOUT_MS));
  g_assert_cmpuint (co_print_page_get_n_pages (page), ==, 1);
  pdf = pdf_open (co_print_page_get_pdf_path (page));
  text = pdf_page_text_compact (pdf, 0);
  for (guint i = 0; i < selected->len; i++)
    g_assert_nonnull (strstr (text, co_student_get_edu_id (g_ptr_array_index (selected, i))));
  g_assert_null (strstr (text, co_student_get_edu_id (unselected)));

  /* Unselecting everything disables the button again. */
  gtk_selection_model_unselect_all (model);
  g_assert_false (gtk_widget_get_sensitive (button));
}

int
main (int   argc,
      char *argv[])
{
  const char * const server_args[] = { "--demo", NULL };
  int ret;

  test_server_parse_args (&argc, argv);
  if (!co_test_set_locale (TEST_LOCALE))
    {
      g_printerr ("no locale %s: skipping\n", TEST_LOCALE);
      return CO_TEST_EXIT_SKIP;
    }
  if (!co_test_init_gui (&argc, &argv))
    return CO_TEST_EXIT_SKIP;
  if (test_server_binary () == NULL)
    {
      g_printerr ("no reference server: skipping\n");
      return CO_TEST_EXIT_SKIP;
    }

  co_test_session_start (&session, server_args);

  g_test_add_func ("/gui/roster-print/sign-in-and-sync", test_sign_in_and_sync);
  g_test_add_func ("/gui/roster-print/selection", test_print_selection);

  ret = g_test_run ();

  co_test_session_stop (&session);

  return ret;
}
