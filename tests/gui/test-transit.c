/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The transit check (公交有效性) of the 批量 page against the reference
 * server (--demo): the transit company turns a card down (the dev
 * transit-reject endpoint), the check of its class lists it among the
 * invalid cards with the reason, the card office reviews it with a note
 * (审核确认) through the row's widgets, and the server says it is
 * reviewed. A check of a whole grade cancelled at once stops short.
 */
#define G_LOG_DOMAIN "test-transit"

#include "config.h"

#include <glib/gi18n.h>

#include "co-batch-page.h"
#include "co-gui-session-util.h"
#include "co-transit-item.h"
#include "co-transit-panel.h"

static CoTestSession session;
static gboolean chinese;
static CoTransitPanel *panel;
static CoClient *client;

/* Helpers */

static void
reject_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CoTransitValidity **validity = user_data;
  g_autoptr(GError) error = NULL;

  *validity = co_client_dev_transit_reject_finish (CO_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

static void
validity_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CoTransitValidity **validity = user_data;
  g_autoptr(GError) error = NULL;

  *validity = co_client_get_transit_validity_finish (CO_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
check_done_cb (gpointer user_data)
{
  guint n_done, n_total;

  co_transit_panel_get_progress (panel, &n_done, &n_total);
  return !co_transit_panel_get_running (panel) && n_total > 0;
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect (c, type, out);
}

static GtkWidget *
panel_child (const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (panel), CO_TYPE_TRANSIT_PANEL, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

/* The review cell's button: the only one shown (only a turned-down card
 * that is not reviewed yet has one). */
static gboolean
review_button_cb (gpointer user_data)
{
  GtkWidget **button = user_data;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (panel_child ("invalid_view"), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (gtk_widget_get_visible (g_ptr_array_index (buttons, i)) &&
        g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), _("Review and Confirm")) == 0)
      {
        *button = g_ptr_array_index (buttons, i);
        return TRUE;
      }
  return FALSE;
}

static gboolean
reviewed_cb (gpointer user_data)
{
  return co_transit_item_get_validity (user_data)->has_review;
}

/* Tests */

static void
test_reject_and_review (void)
{
  CoSignInDialog *dialog = co_test_session_open_sign_in (&session);
  CoStore *store = co_test_session_get_store (&session);
  GListModel *students;
  g_autoptr(CoStudent) student = NULL;
  g_autoptr(CoTransitValidity) rejected = NULL;
  g_autoptr(CoTransitValidity) after = NULL;
  CoTransitItem *found = NULL;
  GListModel *invalid;
  GtkWidget *button = NULL, *entry;
  const char *note = "家长已来校确认，卡片完好";

  co_test_dialog_submit (dialog, "demo", "demo");
  g_assert_true (co_test_wait_until (co_test_dialog_gone_cb, NULL, CO_TEST_TIMEOUT_MS));
  co_test_session_wait_synced (&session);

  /* A student with a card in hand. */
  students = co_store_get_students (store);
  for (guint i = 0; student == NULL && i < g_list_model_get_n_items (students); i++)
    {
      g_autoptr(CoStudent) s = g_list_model_get_item (students, i);

      if (co_student_get_card_status (s) == CO_CARD_STATUS_ACTIVE && co_student_get_card_no (s) != NULL &&
          co_student_get_class_name (s) != NULL)
        student = g_steal_pointer (&s);
    }
  g_assert_nonnull (student);

  client = co_client_new (session.server->url);
  co_test_client_sign_in (client, "demo", "demo", CO_TEST_TIMEOUT_MS);
  co_client_dev_transit_reject_async (client, co_student_get_card_no (student), NULL, NULL, reject_cb, &rejected);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &rejected, CO_TEST_TIMEOUT_MS));
  g_assert_false (rejected->valid);

  co_window_set_page (session.window, "batches");
  gtk_stack_set_visible_child_name (GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (panel), GTK_TYPE_STACK)),
                                    "transit");
  co_test_wait_for_mapped (GTK_WIDGET (panel));
  g_assert_true (co_transit_panel_select (panel, co_student_get_grade (student), co_student_get_class_name (student)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "transit.check", NULL));
  g_assert_true (co_test_wait_until (check_done_cb, NULL, 30000));

  /* Every card of the class was asked about; the turned-down one is listed. */
  {
    guint n_done, n_total;

    co_transit_panel_get_progress (panel, &n_done, &n_total);
    g_assert_cmpuint (n_done, ==, n_total);
  }
  invalid = co_transit_panel_get_invalid (panel);
  for (guint i = 0; i < g_list_model_get_n_items (invalid); i++)
    {
      g_autoptr(CoTransitItem) item = g_list_model_get_item (invalid, i);

      g_assert_false (co_transit_item_get_validity (item)->valid);
      if (g_strcmp0 (co_transit_item_get_validity (item)->card_no, co_student_get_card_no (student)) == 0)
        found = item;
    }
  g_assert_nonnull (found);
  g_assert_cmpint (co_transit_item_get_validity (found)->reason, ==, CO_TRANSIT_REASON_TRANSIT_REJECTED);
  if (chinese)
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (panel_child ("status_label"))), "无效"));

  /* 审核确认 with a note, through the row's entry and button. */
  g_assert_true (co_test_wait_until (review_button_cb, &button, CO_TEST_TIMEOUT_MS));
  entry = gtk_widget_get_prev_sibling (button);
  g_assert_true (GTK_IS_ENTRY (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), note);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (co_test_wait_until (reviewed_cb, found, CO_TEST_TIMEOUT_MS));
  g_assert_cmpstr (co_transit_item_get_validity (found)->note, ==, note);

  /* The server says so too. */
  co_client_get_transit_validity_async (client, co_student_get_card_no (student), NULL, validity_cb, &after);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &after, CO_TEST_TIMEOUT_MS));
  g_assert_true (after->has_review);
  g_assert_cmpint (after->decision, ==, CO_TRANSIT_DECISION_CONFIRM);
  g_assert_cmpstr (after->note, ==, note);
  g_assert_cmpstr (after->review_staff, ==, "demo");
}

static void
test_cancel (void)
{
  CoStore *store = co_test_session_get_store (&session);
  g_autoptr(CoStudent) student = g_list_model_get_item (co_store_get_students (store), 0);
  guint n_done, n_total;

  g_assert_true (co_transit_panel_select (panel, co_student_get_grade (student), NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "transit.check", NULL));
  g_assert_true (co_transit_panel_get_running (panel));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "transit.cancel", NULL));
  g_assert_true (co_test_wait_until (check_done_cb, NULL, 30000));
  co_transit_panel_get_progress (panel, &n_done, &n_total);
  g_assert_cmpuint (n_total, >, CO_TRANSIT_PANEL_PARALLEL);
  g_assert_cmpuint (n_done, <, n_total);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (panel_child ("status_label"))), _("Cancelled.")));
}

int
main (int   argc,
      char *argv[])
{
  const char * const server_args[] = { "--demo", NULL };
  int ret;

  if (!co_test_session_init (&argc, &argv, &chinese))
    return CO_TEST_EXIT_SKIP;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  co_test_session_start (&session, server_args);
  {
    GObject *page = gtk_widget_get_template_child (GTK_WIDGET (session.window), CO_TYPE_WINDOW, "batch_page");

    panel = CO_TRANSIT_PANEL (gtk_widget_get_template_child (GTK_WIDGET (page), CO_TYPE_BATCH_PAGE, "transit_panel"));
  }

  g_test_add_func ("/gui/transit/reject-and-review", test_reject_and_review);
  g_test_add_func ("/gui/transit/cancel", test_cancel);

  ret = g_test_run ();

  g_clear_object (&client);
  co_test_session_stop (&session);

  return ret;
}
