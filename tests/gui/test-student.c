/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The student page and every desk action against the reference server
 * (--demo), through the page's buttons and dialogs: loss → reissue (home
 * and school) → payment → production → shipped / collected; refund while
 * paid (the confirmation names the amount); refund refused in production
 * (the button says why; forced, the server's refusal is shown in words);
 * delivery to school refused in the holidays (with the dates); withdraw and
 * lift; nothing typed is lost when the server refuses. The platform's own
 * steps (pay, production, delivery) go through the server's /dev endpoints.
 * Saves <build>/tests/gui/student-zh_CN.png.
 *
 * Built a second time with TEST_EXPIRED: a session that runs out in the
 * middle of 挂失 asks to sign in again, then the action completes.
 */
#define G_LOG_DOMAIN "test-student"

#include "config.h"

#include "co-correction-dialog.h"
#include "co-data.h"
#include "co-desk-error.h"
#include "co-log-page.h"
#include "co-gui-session-util.h"
#include "co-payment-dialog.h"
#include "co-reason-text.h"
#include "co-reissue-dialog.h"
#include "co-student-page.h"

#define WAIT_MS      15000
#define N_STUDENTS   9
#define TOKEN_TTL    "5"

static CoTestSession session;
static CoClient *dev;            /* the platform's side: /dev steps */
static CoStudentPage *page;
static char *edu_ids[N_STUDENTS];
static guint next_student;
static gboolean chinese;
static gboolean answer_sign_in;  /* while waiting, sign in again when asked */

/* Helpers */

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(CoStudent **) user_data = co_client_dev_create_student_finish (CO_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

static void
dev_sign_in (void)
{
  co_test_client_sign_in (dev, "demo", "demo", WAIT_MS);
}

/* Students with an active card, made before the app syncs. */
static void
create_students (void)
{
  dev = co_client_new (session.server->url);
  dev_sign_in ();

  for (guint i = 0; i < N_STUDENTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("测试学生%u", i);
      CoDevStudent spec = { NULL, name, i % 2 ? CO_GENDER_FEMALE : CO_GENDER_MALE,
                            2 + (int) i, "3班", -1, NULL };
      g_autoptr(CoStudent) student = NULL;

      co_client_dev_create_student_async (dev, &spec, NULL, NULL, create_cb, &student);
      g_assert_true (co_test_wait_until (co_test_is_set_cb, &student, WAIT_MS));
      g_assert_cmpint (co_student_get_card_status (student), ==, CO_CARD_STATUS_ACTIVE);
      edu_ids[i] = g_strdup (co_student_get_edu_id (student));
    }
}

static const char *
take_student (void)
{
  g_assert_cmpuint (next_student, <, N_STUDENTS);
  return edu_ids[next_student++];
}

static void
dev_step_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(CoReissue **) user_data = co_client_dev_advance_reissue_finish (CO_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

/* The platform moves the student's reissue on. */
static CoReissue *
dev_step (CoClientDevStep step)
{
  CoReissue *reissue = NULL;

  g_assert_nonnull (co_student_page_get_reissue (page));
  co_client_dev_advance_reissue_async (dev, co_reissue_get_id (co_student_page_get_reissue (page)),
                                       step, NULL, NULL, dev_step_cb, &reissue);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &reissue, WAIT_MS));
  return reissue;
}

static void
set_clock_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (co_client_dev_set_clock_finish (CO_CLIENT (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
dev_set_clock (const char *today)
{
  gboolean done = FALSE;

  co_client_dev_set_clock_async (dev, today, NULL, NULL, set_clock_cb, &done);
  g_assert_true (co_test_wait_until (co_test_is_true_cb, &done, WAIT_MS));
}

typedef struct
{
  const char      *edu_id;
  CoCardStatus     card;
  CoReissueStatus  reissue;   /* NONE: no reissue at all */
} Expect;

static gboolean
page_shows_cb (gpointer user_data)
{
  Expect *e = user_data;
  CoStudent *student = co_student_page_get_student (page);
  CoReissue *reissue = co_student_page_get_reissue (page);
  CoSignInDialog *dialog;

  if (answer_sign_in && (dialog = co_test_find_sign_in_dialog ()) != NULL &&
      gtk_widget_is_sensitive (co_test_dialog_child (dialog, "sign_in_button")))
    co_test_dialog_submit (dialog, NULL, "demo");

  if (!co_student_page_get_idle (page) || student == NULL ||
      g_strcmp0 (co_student_page_get_edu_id (page), e->edu_id) != 0)
    return FALSE;
  if (co_student_get_card_status (student) != e->card)
    return FALSE;
  if (e->reissue == CO_REISSUE_STATUS_NONE)
    return reissue == NULL;
  return reissue != NULL && co_reissue_get_status (reissue) == e->reissue;
}

static void
wait_page (const char      *edu_id,
           CoCardStatus     card,
           CoReissueStatus  reissue)
{
  Expect e = { edu_id, card, reissue };

  if (!co_test_wait_until (page_shows_cb, &e, WAIT_MS))
    g_error ("the page does not show card %d, reissue %d (error: %s)", card, reissue,
             co_student_page_get_error (page));
}

/* Opens the page as a roster row would (win.show-student). */
static void
show_student (const char      *edu_id,
              CoCardStatus     card,
              CoReissueStatus  reissue)
{
  gtk_widget_activate_action (GTK_WIDGET (session.window), "win.show-student", "s", edu_id);
  g_assert_cmpstr (co_window_get_page_name (session.window), ==, "student");
  wait_page (edu_id, card, reissue);
}

static GtkWidget *
page_child (const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (page), CO_TYPE_STUDENT_PAGE, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

/* Clicks an action button, which must be enabled. */
static void
click (const char *button_name)
{
  GtkWidget *button = page_child (button_name);

  if (!gtk_widget_is_sensitive (button))
    g_error ("%s is disabled: %s", button_name, gtk_widget_get_tooltip_text (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
assert_refused (const char *button_name,
                CoReason    reason)
{
  GtkWidget *button = page_child (button_name);

  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, co_reason_to_text (reason));
}

static void
assert_allowed (const char *button_name)
{
  GtkWidget *button = page_child (button_name);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_null (gtk_widget_get_tooltip_text (button));
}

static GtkWindow *
find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (w))
        return GTK_WINDOW (w);
    }

  return NULL;
}

static gboolean
window_shown_cb (gpointer user_data)
{
  return find_window (GPOINTER_TO_SIZE (user_data)) != NULL;
}

static gboolean
window_gone_cb (gpointer user_data)
{
  return find_window (GPOINTER_TO_SIZE (user_data)) == NULL;
}

static GtkWindow *
wait_window (GType type)
{
  g_assert_true (co_test_wait_until (window_shown_cb, GSIZE_TO_POINTER (type), WAIT_MS));
  return find_window (type);
}

static void
wait_window_gone (GType type)
{
  g_assert_true (co_test_wait_until (window_gone_cb, GSIZE_TO_POINTER (type), WAIT_MS));
}

static GtkWidget *
dialog_child (GtkWindow  *dialog,
              GType       type,
              const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (dialog), type, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static gboolean
sensitive_cb (gpointer user_data)
{
  return gtk_widget_is_sensitive (user_data);
}

static gboolean
visible_cb (gpointer user_data)
{
  return gtk_widget_get_visible (user_data);
}

/* 申请补卡 through the dialog; @phone NULL for delivery to school. */
static GtkWindow *
open_reissue_dialog (void)
{
  GtkWindow *dialog;

  click ("apply_reissue_button");
  dialog = wait_window (CO_TYPE_REISSUE_DIALOG);
  /* The school's holidays are known. */
  g_assert_true (co_test_wait_until (sensitive_cb,
                                     dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "apply_button"),
                                     WAIT_MS));
  return dialog;
}

static void
fill_home (GtkWindow  *dialog,
           const char *address,
           const char *recipient,
           const char *phone)
{
  gtk_check_button_set_active (GTK_CHECK_BUTTON (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "home_check")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "address_row")), address);
  gtk_editable_set_text (GTK_EDITABLE (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "recipient_row")), recipient);
  gtk_editable_set_text (GTK_EDITABLE (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "phone_row")), phone);
}

static void
submit_reissue (GtkWindow *dialog)
{
  g_signal_emit_by_name (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "apply_button"), "clicked");
}

static void
apply_reissue_school (const char *edu_id)
{
  GtkWindow *dialog = open_reissue_dialog ();

  gtk_check_button_set_active (GTK_CHECK_BUTTON (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "school_check")), TRUE);
  submit_reissue (dialog);
  wait_window_gone (CO_TYPE_REISSUE_DIALOG);
  wait_page (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_PENDING_PAYMENT);
}

static void
report_loss (const char *edu_id)
{
  assert_refused ("lift_loss_button", CO_REASON_CARD_NOT_LOST);
  assert_refused ("apply_reissue_button", CO_REASON_CARD_NOT_LOST);
  click ("report_loss_button");
  wait_page (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_NONE);
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} FindText;

static gboolean
has_label_containing (GtkWidget  *widget,
                      const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (has_label_containing (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
text_shown_cb (gpointer user_data)
{
  FindText *find = user_data;

  return has_label_containing (find->root, find->text);
}

static void
assert_text_shown (GtkWidget  *root,
                   const char *text)
{
  FindText find = { root, text };

  if (!co_test_wait_until (text_shown_cb, &find, WAIT_MS))
    g_error ("“%s” is not shown", text);
}

static gboolean
error_is_cb (gpointer user_data)
{
  return g_strcmp0 (co_student_page_get_error (page), user_data) == 0;
}

static gboolean
payment_ready_cb (gpointer user_data)
{
  return co_payment_dialog_get_code_url (user_data) != NULL;
}

static gboolean
payment_paid_cb (gpointer user_data)
{
  return co_payment_dialog_get_status (user_data) == CO_REISSUE_STATUS_PAID;
}

/* 缴费 through the dialog: the QR code, the amount, then the platform
 * says paid and the dialog follows. */
static void
pay_through_dialog (const char *edu_id)
{
  CoPaymentDialog *dialog;

  click ("pay_button");
  dialog = CO_PAYMENT_DIALOG (wait_window (CO_TYPE_PAYMENT_DIALOG));
  co_payment_dialog_set_poll_interval (dialog, 1);
  g_assert_true (co_test_wait_until (payment_ready_cb, dialog, WAIT_MS));
  g_assert_nonnull (gtk_picture_get_paintable (GTK_PICTURE (dialog_child (GTK_WINDOW (dialog), CO_TYPE_PAYMENT_DIALOG, "qr_picture"))));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (dialog_child (GTK_WINDOW (dialog), CO_TYPE_PAYMENT_DIALOG, "amount_label"))), "15.00"));
  g_assert_cmpint (co_payment_dialog_get_status (dialog), ==, CO_REISSUE_STATUS_PENDING_PAYMENT);

  g_object_unref (dev_step (CO_CLIENT_DEV_PAY));
  g_assert_true (co_test_wait_until (payment_paid_cb, dialog, WAIT_MS));
  /* The page follows at once. */
  wait_page (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_PAID);

  g_signal_emit_by_name (dialog_child (GTK_WINDOW (dialog), CO_TYPE_PAYMENT_DIALOG, "close_button"), "clicked");
  wait_window_gone (CO_TYPE_PAYMENT_DIALOG);
}

/* The roster follows: the store holds what the page shows. */
static void
assert_store (const char      *edu_id,
              CoCardStatus     card,
              CoReissueStatus  reissue)
{
  CoStore *store = co_test_session_get_store (&session);
  g_autoptr(CoStudent) student = co_store_lookup_student (store, edu_id);
  g_autoptr(CoReissue) r = co_store_lookup_reissue (store, edu_id);

  g_assert_nonnull (student);
  g_assert_cmpint (co_student_get_card_status (student), ==, card);
  if (reissue != CO_REISSUE_STATUS_NONE)
    {
      g_assert_nonnull (r);
      g_assert_cmpint (co_reissue_get_status (r), ==, reissue);
    }
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *basename)
{
  co_test_wait_for_paint (widget, WAIT_MS);
  co_test_save_screenshot (widget, basename);
}

static gboolean
results_one_cb (gpointer user_data)
{
  GListModel *results = co_roster_page_get_results (session.roster_page);
  g_autoptr(CoStudent) first = NULL;

  if (!co_roster_page_get_ready (session.roster_page) || g_list_model_get_n_items (results) != 1)
    return FALSE;
  first = g_list_model_get_item (results, 0);
  return g_strcmp0 (co_student_get_edu_id (first), user_data) == 0;
}

/* Tests */

/* Each template instantiates with every id bound. */
static void
test_templates (void)
{
  g_autoptr(CoClient) client = co_client_new (session.server->url);
  g_autoptr(CoReissue) reissue = co_reissue_new ("1", "12345678", CO_DELIVERY_HOME);
  g_autoptr(CoStudent) student = co_student_new ("12345678", "测试");
  GtkWidget *widget;

  widget = g_object_ref_sink (g_object_new (CO_TYPE_STUDENT_PAGE, NULL));
  co_test_assert_template (widget, CO_TYPE_STUDENT_PAGE, RESOURCE_PREFIX "/ui/co-student-page.ui");
  /* Nobody shown: no action. */
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (gtk_widget_get_template_child (widget, CO_TYPE_STUDENT_PAGE, "report_loss_button"))));
  g_object_unref (widget);

  widget = GTK_WIDGET (co_reissue_dialog_new (NULL, client, "12345678"));
  co_test_assert_template (widget, CO_TYPE_REISSUE_DIALOG, RESOURCE_PREFIX "/ui/co-reissue-dialog.ui");
  gtk_window_destroy (GTK_WINDOW (widget));

  widget = GTK_WIDGET (co_payment_dialog_new (NULL, client, reissue));
  co_test_assert_template (widget, CO_TYPE_PAYMENT_DIALOG, RESOURCE_PREFIX "/ui/co-payment-dialog.ui");
  gtk_window_destroy (GTK_WINDOW (widget));

  widget = GTK_WIDGET (co_correction_dialog_new (NULL, client, student));
  co_test_assert_template (widget, CO_TYPE_CORRECTION_DIALOG, RESOURCE_PREFIX "/ui/co-correction-dialog.ui");
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
test_sign_in (void)
{
  CoSignInDialog *dialog = co_test_session_open_sign_in (&session);

  co_test_dialog_submit (dialog, "demo", "demo");
  g_assert_true (co_test_wait_until (co_test_dialog_gone_cb, NULL, WAIT_MS));
  co_test_session_wait_synced (&session);
}

/* A row of the roster activated (Enter, double click) opens the page. */
static void
test_open_from_roster (void)
{
  const char *edu_id = take_student ();
  GtkWidget *entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (session.roster_page),
                                                                CO_TYPE_ROSTER_PAGE, "search_entry"));
  GtkWidget *view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (session.roster_page),
                                                               CO_TYPE_ROSTER_PAGE, "column_view"));
  CoStudent *student;

  co_window_set_page (session.window, "students");
  gtk_editable_set_text (GTK_EDITABLE (entry), edu_id);
  g_signal_emit_by_name (entry, "search-changed");
  g_assert_true (co_test_wait_until (results_one_cb, (gpointer) edu_id, WAIT_MS));

  g_signal_emit_by_name (view, "activate", 0);
  g_assert_cmpstr (co_window_get_page_name (session.window), ==, "student");
  wait_page (edu_id, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_NONE);

  /* The card face as printed. */
  student = co_student_page_get_student (page);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (page_child ("name_label"))), ==, co_student_get_name (student));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (page_child ("edu_id_label"))), ==, edu_id);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (page_child ("card_no_label"))), ==, co_student_get_card_no (student));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (page_child ("bjt_no_label"))), ==, co_student_get_bjt_no (student));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (page_child ("stage_label"))), ==,
                   co_stage_to_text (co_student_get_stage (student)));
  g_assert_nonnull (gtk_picture_get_paintable (GTK_PICTURE (page_child ("qr_picture"))));

  /* An active card: only 挂失 and 信息更正. */
  assert_allowed ("report_loss_button");
  assert_refused ("lift_loss_button", CO_REASON_CARD_NOT_LOST);
  assert_refused ("pay_button", CO_REASON_NO_REISSUE);
  assert_refused ("refund_button", CO_REASON_NO_REISSUE);
  assert_refused ("hand_out_button", CO_REASON_NO_REISSUE);
  g_assert_true (gtk_widget_is_sensitive (page_child ("correct_button")));

  /* Esc goes back to the roster. */
  gtk_widget_activate_action (GTK_WIDGET (page_child ("back_button")), "win.page-students", NULL);
  g_assert_cmpstr (co_window_get_page_name (session.window), ==, "students");
}

/* 挂失 → 申请补卡 (配送到家) → 缴费 → 制卡中 → 已寄出, with the courier number. */
static void
test_reissue_home (void)
{
  const char *edu_id = take_student ();
  g_autoptr(CoReissue) shipped = NULL;
  g_autoptr(CoCalendar) calendar = NULL;
  g_autofree char *holidays = co_data_find_file ("holidays.ini");
  GtkWindow *dialog;
  GtkWidget *phone_row;

  show_student (edu_id, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_NONE);
  report_loss (edu_id);
  assert_store (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_NONE);
  assert_refused ("report_loss_button", CO_REASON_CARD_ALREADY_LOST);

  /* A wrong phone number: said for that field, nothing typed is lost. */
  dialog = open_reissue_dialog ();
  fill_home (dialog, "北京市海淀区中关村大街1号", "张伟", "12345");
  submit_reissue (dialog);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "error_label"))),
                   ==, co_reason_to_text (CO_REASON_PHONE_INVALID));
  phone_row = dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "phone_row");
  g_assert_true (gtk_widget_has_css_class (phone_row, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "address_row"))),
                   ==, "北京市海淀区中关村大街1号");

  /* No address. */
  gtk_editable_set_text (GTK_EDITABLE (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "address_row")), "  ");
  gtk_editable_set_text (GTK_EDITABLE (phone_row), "13812345678");
  submit_reissue (dialog);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "error_label"))),
                   ==, co_reason_to_text (CO_REASON_ADDRESS_MISSING));

  gtk_editable_set_text (GTK_EDITABLE (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "address_row")),
                         "北京市海淀区中关村大街1号");
  submit_reissue (dialog);
  wait_window_gone (CO_TYPE_REISSUE_DIALOG);
  wait_page (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_PENDING_PAYMENT);
  g_assert_cmpint (co_reissue_get_delivery (co_student_page_get_reissue (page)), ==, CO_DELIVERY_HOME);
  g_assert_cmpstr (co_reissue_get_phone (co_student_page_get_reissue (page)), ==, "13812345678");
  assert_refused ("apply_reissue_button", CO_REASON_REISSUE_OPEN);
  assert_refused ("refund_button", CO_REASON_NOT_PAID);
  assert_allowed ("withdraw_button");

  pay_through_dialog (edu_id);
  assert_store (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_PAID);
  assert_refused ("withdraw_button", CO_REASON_WITHDRAW_NEEDS_REFUND);

  /* The due date: 20 working days after payment, by the official calendar. */
  calendar = holidays ? co_calendar_new_from_file (holidays, NULL) : co_calendar_new ();
  {
    g_autoptr(GDateTime) paid_at = g_date_time_new_from_iso8601 (co_reissue_get_paid_at (co_student_page_get_reissue (page)), NULL);
    g_autoptr(GDateTime) local = g_date_time_to_local (paid_at);
    GDate paid, due;
    gboolean estimated;
    char text[16];

    g_date_clear (&paid, 1);
    g_date_set_dmy (&paid, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                    g_date_time_get_year (local));
    co_rules_reissue_due (calendar, &paid, &due, &estimated);
    g_date_strftime (text, sizeof text, "%Y-%m-%d", &due);
    assert_text_shown (page_child ("timeline_list"), text);
  }

  g_object_unref (dev_step (CO_CLIENT_DEV_START_PRODUCTION));
  show_student (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_IN_PRODUCTION);
  assert_refused ("refund_button", CO_REASON_IN_PRODUCTION);

  shipped = dev_step (CO_CLIENT_DEV_FINISH_PRODUCTION);
  g_assert_cmpint (co_reissue_get_status (shipped), ==, CO_REISSUE_STATUS_SHIPPED);
  show_student (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_SHIPPED);
  assert_refused ("hand_out_button", CO_REASON_HOME_DELIVERY);
  g_assert_nonnull (co_reissue_get_courier_no (shipped));
  assert_text_shown (page_child ("timeline_list"), co_reissue_get_courier_no (shipped));
  assert_store (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_SHIPPED);

  /* The operation log names the desk's steps. */
  assert_text_shown (page_child ("log_list"), co_log_action_to_text ("report_loss"));
  assert_text_shown (page_child ("log_list"), co_log_action_to_text ("apply_reissue"));
}

/* 挂失 → 申请补卡 (配送到校) → 缴费 → 制卡 → 待领取 → 领卡. */
static void
test_reissue_school (void)
{
  const char *edu_id = take_student ();
  const char *old_card_no;
  g_autofree char *old = NULL;

  show_student (edu_id, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_NONE);
  old_card_no = co_student_get_card_no (co_student_page_get_student (page));
  old = g_strdup (old_card_no);
  report_loss (edu_id);
  apply_reissue_school (edu_id);
  g_assert_cmpint (co_reissue_get_delivery (co_student_page_get_reissue (page)), ==, CO_DELIVERY_SCHOOL);

  pay_through_dialog (edu_id);
  g_object_unref (dev_step (CO_CLIENT_DEV_START_PRODUCTION));
  show_student (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_IN_PRODUCTION);
  assert_refused ("hand_out_button", CO_REASON_NOT_AWAITING_PICKUP);

  g_object_unref (dev_step (CO_CLIENT_DEV_FINISH_PRODUCTION));
  show_student (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_AWAITING_PICKUP);
  assert_allowed ("hand_out_button");

  click ("hand_out_button");
  /* The new card is the student's card now; the old one is cancelled. */
  wait_page (edu_id, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_COLLECTED);
  g_assert_cmpstr (co_student_get_card_no (co_student_page_get_student (page)), !=, old);
  assert_store (edu_id, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_COLLECTED);
  assert_allowed ("report_loss_button");
  assert_refused ("refund_button", CO_REASON_IN_PRODUCTION);
}

/* Answers the confirmation as a click would, and closes it. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  g_object_ref (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

static AdwMessageDialog *
wait_refund_confirmation (void)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (wait_window (ADW_TYPE_MESSAGE_DIALOG));

  /* It names the amount. */
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "15.00"));
  return dialog;
}

/* 退费 while 已缴费: confirmed with the amount; then 解挂. */
static void
test_refund_paid (void)
{
  const char *edu_id = take_student ();
  AdwMessageDialog *dialog;

  show_student (edu_id, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_NONE);
  report_loss (edu_id);
  apply_reissue_school (edu_id);
  g_object_unref (dev_step (CO_CLIENT_DEV_PAY));
  show_student (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_PAID);
  assert_allowed ("refund_button");

  /* Cancelled: nothing happens. */
  click ("refund_button");
  dialog = wait_refund_confirmation ();
  respond (dialog, "cancel");
  wait_window_gone (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_true (co_student_page_get_idle (page));
  g_assert_cmpint (co_reissue_get_status (co_student_page_get_reissue (page)), ==, CO_REISSUE_STATUS_PAID);

  click ("refund_button");
  dialog = wait_refund_confirmation ();
  respond (dialog, "refund");
  wait_page (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_REFUNDED);
  assert_store (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_REFUNDED);

  /* The old card works again after 解挂. */
  click ("lift_loss_button");
  wait_page (edu_id, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_REFUNDED);
  assert_store (edu_id, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_REFUNDED);
}

/* 退费 once 制卡中: the button says why; forced, the server's 409 is
 * shown in the same words. */
static void
test_refund_in_production (void)
{
  const char *edu_id = take_student ();
  AdwMessageDialog *dialog;

  show_student (edu_id, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_NONE);
  report_loss (edu_id);
  apply_reissue_school (edu_id);
  g_object_unref (dev_step (CO_CLIENT_DEV_PAY));
  g_object_unref (dev_step (CO_CLIENT_DEV_START_PRODUCTION));
  show_student (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_IN_PRODUCTION);
  assert_refused ("refund_button", CO_REASON_IN_PRODUCTION);
  assert_refused ("withdraw_button", CO_REASON_IN_PRODUCTION);

  co_student_page_perform (page, CO_ACTION_REFUND);
  dialog = wait_refund_confirmation ();
  respond (dialog, "refund");
  g_assert_true (co_test_wait_until (error_is_cb, (gpointer) co_reason_to_text (CO_REASON_IN_PRODUCTION), WAIT_MS));
  wait_page (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_IN_PRODUCTION);
  g_assert_true (gtk_widget_get_visible (page_child ("error_label")));
}

/* 配送到校 inside the summer holiday: refused, with the dates. */
static void
test_school_holiday (void)
{
  const char *edu_id = take_student ();
  GtkWindow *dialog;
  GtkWidget *label;

  show_student (edu_id, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_NONE);
  report_loss (edu_id);

  dev_set_clock ("2026-07-10");
  dialog = open_reissue_dialog ();
  label = dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "holiday_label");
  g_assert_true (co_test_wait_until (visible_cb, label, WAIT_MS));
  g_assert_false (gtk_widget_is_sensitive (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "school_check")));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "home_check"))));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "2026-07-04"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "2026-08-31"));

  /* Home delivery still works. */
  fill_home (dialog, "北京市东城区东长安街1号", "李娜", "13900001111");
  submit_reissue (dialog);
  wait_window_gone (CO_TYPE_REISSUE_DIALOG);
  wait_page (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_PENDING_PAYMENT);
  dev_set_clock (NULL);
}

static void
remove_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (co_client_dev_remove_student_finish (CO_CLIENT (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
dialog_error_cb (gpointer user_data)
{
  GtkWindow *dialog = find_window (CO_TYPE_REISSUE_DIALOG);

  return dialog != NULL &&
         gtk_widget_get_visible (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "error_label")) &&
         gtk_widget_is_sensitive (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "apply_button"));
}

/* The server refuses (the student is gone): the dialog stays open with
 * everything typed and the reason in words. */
static void
test_server_error_keeps_text (void)
{
  const char *edu_id = take_student ();
  GtkWindow *dialog;
  gboolean done = FALSE;
  g_autoptr(GError) not_found = g_error_new_literal (CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND, "x");
  g_autofree char *text = co_desk_error_to_text (not_found);

  show_student (edu_id, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_NONE);
  report_loss (edu_id);
  dialog = open_reissue_dialog ();
  fill_home (dialog, "北京市西城区金融大街2号", "王芳", "13700002222");

  co_client_dev_remove_student_async (dev, edu_id, NULL, NULL, remove_cb, &done);
  g_assert_true (co_test_wait_until (co_test_is_true_cb, &done, WAIT_MS));

  submit_reissue (dialog);
  g_assert_true (co_test_wait_until (dialog_error_cb, NULL, WAIT_MS));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "error_label"))), ==, text);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "recipient_row"))), ==, "王芳");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dialog_child (dialog, CO_TYPE_REISSUE_DIALOG, "phone_row"))), ==, "13700002222");
  gtk_window_destroy (dialog);
  wait_window_gone (CO_TYPE_REISSUE_DIALOG);
}

/* 撤销申请 of an unpaid reissue, then 解挂. */
static void
test_withdraw_and_lift (void)
{
  const char *edu_id = take_student ();
  GtkWindow *dialog;

  show_student (edu_id, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_NONE);
  report_loss (edu_id);
  dialog = open_reissue_dialog ();
  fill_home (dialog, "北京市朝阳区建国路3号", "赵强", "15000003333");
  submit_reissue (dialog);
  wait_window_gone (CO_TYPE_REISSUE_DIALOG);
  wait_page (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_PENDING_PAYMENT);
  assert_refused ("lift_loss_button", CO_REASON_REISSUE_OPEN);

  click ("withdraw_button");
  wait_page (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_WITHDRAWN);
  assert_store (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_WITHDRAWN);
  assert_refused ("pay_button", CO_REASON_REISSUE_CLOSED);

  click ("lift_loss_button");
  wait_page (edu_id, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_WITHDRAWN);
  assert_store (edu_id, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_WITHDRAWN);

}

static gboolean
name_is_cb (gpointer user_data)
{
  return co_student_page_get_idle (page) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (page_child ("name_label"))), user_data) == 0;
}

/* 信息更正: the name, checked before it is sent; the page and the store
 * follow the answer. */
static void
test_correct_name (void)
{
  const char *edu_id = take_student ();
  GtkWindow *dialog;
  GtkWidget *name_row;
  GtkWidget *error_label;
  g_autoptr(CoStudent) stored = NULL;

  show_student (edu_id, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_NONE);
  click ("correct_button");
  dialog = wait_window (CO_TYPE_CORRECTION_DIALOG);
  name_row = dialog_child (dialog, CO_TYPE_CORRECTION_DIALOG, "name_row");
  error_label = dialog_child (dialog, CO_TYPE_CORRECTION_DIALOG, "error_label");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==,
                   co_student_get_name (co_student_page_get_student (page)));

  /* Unchanged, then blank: said, not sent. */
  g_signal_emit_by_name (dialog_child (dialog, CO_TYPE_CORRECTION_DIALOG, "send_button"), "clicked");
  g_assert_true (gtk_widget_get_visible (error_label));
  gtk_editable_set_text (GTK_EDITABLE (name_row), "   ");
  g_signal_emit_by_name (dialog_child (dialog, CO_TYPE_CORRECTION_DIALOG, "send_button"), "clicked");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (find_window (CO_TYPE_CORRECTION_DIALOG));

  gtk_editable_set_text (GTK_EDITABLE (name_row), "更正后姓名");
  g_signal_emit_by_name (dialog_child (dialog, CO_TYPE_CORRECTION_DIALOG, "send_button"), "clicked");
  wait_window_gone (CO_TYPE_CORRECTION_DIALOG);
  g_assert_true (co_test_wait_until (name_is_cb, (gpointer) "更正后姓名", WAIT_MS));

  stored = co_store_lookup_student (co_test_session_get_store (&session), edu_id);
  g_assert_cmpstr (co_student_get_name (stored), ==, "更正后姓名");
}

static gboolean
photo_shown_cb (gpointer user_data)
{
  return GDK_IS_TEXTURE (gtk_picture_get_paintable (GTK_PICTURE (page_child ("photo_picture"))));
}

/* A demo student with a photo on file: the photo on the card face, and the
 * page as the desk sees it, for people to look at. */
static void
test_photo_and_screenshot (void)
{
  GListModel *students = co_store_get_students (co_test_session_get_store (&session));
  g_autoptr(CoStudent) student = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (students) && student == NULL; i++)
    {
      g_autoptr(CoStudent) s = g_list_model_get_item (students, i);

      g_autoptr(CoReissue) reissue = NULL;

      if (co_student_get_photo_etag (s) == NULL ||
          co_student_get_card_status (s) != CO_CARD_STATUS_ACTIVE)
        continue;
      reissue = co_store_lookup_reissue (co_test_session_get_store (&session), co_student_get_edu_id (s));
      if (reissue == NULL)
        student = g_steal_pointer (&s);
    }
  g_assert_nonnull (student);

  show_student (co_student_get_edu_id (student), CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_NONE);
  g_assert_true (co_test_wait_until (photo_shown_cb, NULL, WAIT_MS));

  if (chinese)
    {
      GtkWidget *label = page_child ("name_label");

      g_assert_cmpint (pango_layout_get_unknown_glyphs_count (gtk_label_get_layout (GTK_LABEL (label))), ==, 0);
    }
  save_screenshot (GTK_WIDGET (session.window), chinese ? "student-zh_CN.png" : "student-C.png");
}

static gboolean
token_expired_cb (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC > *(gint64 *) user_data;
}

/* The session runs out on the page; 挂失 asks to sign in again, then
 * completes. */
static void
test_expired_mid_action (void)
{
  const char *edu_id = take_student ();
  CoClient *client = co_test_session_get_client (&session);
  g_autoptr(GDateTime) expires_at = NULL;
  CoSignInDialog *dialog;
  gint64 expires;

  /* Should the session run out while the page loads, sign in again. */
  answer_sign_in = TRUE;
  show_student (edu_id, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_NONE);
  answer_sign_in = FALSE;
  g_assert_true (co_test_wait_until (co_test_dialog_gone_cb, NULL, WAIT_MS));

  expires_at = g_date_time_new_from_iso8601 (co_client_get_token_expires_at (client), NULL);
  expires = g_date_time_to_unix (expires_at);
  g_assert_true (co_test_wait_until (token_expired_cb, &expires, 30000));

  click ("report_loss_button");
  g_assert_true (co_test_wait_until (co_test_dialog_shown_cb, NULL, WAIT_MS));
  g_assert_false (co_student_page_get_idle (page));
  dialog = co_test_find_sign_in_dialog ();
  co_test_dialog_submit (dialog, NULL, "demo");
  g_assert_true (co_test_wait_until (co_test_dialog_gone_cb, NULL, WAIT_MS));

  wait_page (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_NONE);
  g_assert_null (co_student_page_get_error (page));
  assert_store (edu_id, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_NONE);
}

int
main (int   argc,
      char *argv[])
{
#ifdef TEST_EXPIRED
  const char * const server_args[] = { "--demo", "--demo-size", "40", "--token-ttl", TOKEN_TTL, NULL };
#else
  const char * const server_args[] = { "--demo", "--demo-size", "60", NULL };
#endif
  int ret;

  if (!co_test_session_init (&argc, &argv, &chinese))
    return CO_TEST_EXIT_SKIP;

  /* Focus moves between the window and its dialogs with no window
   * manager: a blinking cursor would warn that it lost focus unseen. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  co_test_session_start (&session, server_args);
  page = CO_STUDENT_PAGE (gtk_widget_get_template_child (GTK_WIDGET (session.window),
                                                         CO_TYPE_WINDOW, "student_page"));
  create_students ();

  g_test_add_func ("/gui/student/templates", test_templates);
  g_test_add_func ("/gui/student/sign-in", test_sign_in);
#ifdef TEST_EXPIRED
  g_test_add_func ("/gui/student/expired-mid-action", test_expired_mid_action);
  (void) test_open_from_roster;
  (void) test_reissue_home;
  (void) test_reissue_school;
  (void) test_refund_paid;
  (void) test_refund_in_production;
  (void) test_school_holiday;
  (void) test_server_error_keeps_text;
  (void) test_withdraw_and_lift;
  (void) test_photo_and_screenshot;
  (void) test_correct_name;
#else
  g_test_add_func ("/gui/student/open-from-roster", test_open_from_roster);
  g_test_add_func ("/gui/student/reissue-home", test_reissue_home);
  g_test_add_func ("/gui/student/reissue-school", test_reissue_school);
  g_test_add_func ("/gui/student/refund-paid", test_refund_paid);
  g_test_add_func ("/gui/student/refund-in-production", test_refund_in_production);
  g_test_add_func ("/gui/student/school-holiday", test_school_holiday);
  g_test_add_func ("/gui/student/server-error-keeps-text", test_server_error_keeps_text);
  g_test_add_func ("/gui/student/withdraw-and-lift", test_withdraw_and_lift);
  g_test_add_func ("/gui/student/correct-name", test_correct_name);
  g_test_add_func ("/gui/student/photo-and-screenshot", test_photo_and_screenshot);
  (void) test_expired_mid_action;
#endif

  ret = g_test_run ();

  g_clear_object (&dev);
  co_test_session_stop (&session);
  for (guint i = 0; i < N_STUDENTS; i++)
    g_free (edu_ids[i]);

  return ret;
}
