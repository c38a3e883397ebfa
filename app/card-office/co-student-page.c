/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * One student at the desk: the card face as printed, the card's status, the
 * reissues as a timeline (with the due date of 20 working days and the
 * courier number) and the student's operation log; and every desk action,
 * each enabled exactly when co-rules allow it, its tooltip saying why not.
 * After an action the page shows the server's answer and the store is
 * updated, so the roster follows.
 */
#define G_LOG_DOMAIN "co-student-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-correction-dialog.h"
#include "co-data.h"
#include "co-desk-error.h"
#include "co-log-page.h"
#include "co-payment-dialog.h"
#include "co-photo-dialog.h"
#include "co-qr-texture.h"
#include "co-reason-text.h"
#include "co-reissue-dialog.h"
#include "co-student-page.h"

#define QR_PIXELS       192
#define N_REISSUES      20
#define N_LOG_ENTRIES   50

struct _CoStudentPage
{
  GtkWidget      parent_instance;

  /* Template widgets */
  GtkBox        *content_box;
  GtkButton     *back_button;
  GtkLabel      *title_label;
  GtkSpinner    *spinner;
  GtkLabel      *error_label;
  GtkFrame      *card_frame;
  GtkPicture    *photo_picture;
  GtkLabel      *school_label;
  GtkLabel      *name_label;
  GtkLabel      *gender_label;
  GtkLabel      *edu_id_label;
  GtkLabel      *valid_until_label;
  GtkLabel      *stage_label;
  GtkLabel      *bjt_no_label;
  GtkLabel      *card_no_label;
  GtkPicture    *qr_picture;
  GtkLabel      *card_status_label;
  GtkFlowBox    *actions_box;
  GtkButton     *report_loss_button;
  GtkButton     *lift_loss_button;
  GtkButton     *apply_reissue_button;
  GtkButton     *pay_button;
  GtkButton     *refund_button;
  GtkButton     *withdraw_button;
  GtkButton     *hand_out_button;
  GtkButton     *correct_button;
  GtkButton     *photo_button;
  GtkListBox    *timeline_list;
  GtkListBox    *log_list;

  /* Owned references */
  CoClient      *client;
  CoStore       *store;
  CoCalendar    *calendar;
  char          *edu_id;
  CoStudent     *student;
  CoReissue     *reissue;        /* the latest, open or closed */
  GListModel    *reissues;       /* CoReissue, newest first */
  GListModel    *audit;          /* CoAuditEntry, newest first */
  char          *photo_etag;
  GCancellable  *load_cancellable;
  GCancellable  *action_cancellable;

  guint          n_loading;
  guint          acting : 1;
};

G_DEFINE_FINAL_TYPE (CoStudentPage, co_student_page, GTK_TYPE_WIDGET)

/* The buttons' actions, in template order. */
static const struct
{
  const char *name;
  CoAction    action;
} page_actions[] = {
  { "student.report-loss",   CO_ACTION_REPORT_LOSS },
  { "student.lift-loss",     CO_ACTION_LIFT_LOSS },
  { "student.apply-reissue", CO_ACTION_APPLY_REISSUE },
  { "student.pay",           CO_ACTION_PAY },
  { "student.refund",        CO_ACTION_REFUND },
  { "student.withdraw",      CO_ACTION_WITHDRAW },
  { "student.hand-out",      CO_ACTION_HAND_OUT },
};

static void load (CoStudentPage *self);

/* Helpers */

static GtkButton *
button_for_action (CoStudentPage *self,
                   CoAction       action)
{
  switch (action)
    {
    case CO_ACTION_REPORT_LOSS:   return self->report_loss_button;
    case CO_ACTION_LIFT_LOSS:     return self->lift_loss_button;
    case CO_ACTION_APPLY_REISSUE: return self->apply_reissue_button;
    case CO_ACTION_PAY:           return self->pay_button;
    case CO_ACTION_REFUND:        return self->refund_button;
    case CO_ACTION_WITHDRAW:      return self->withdraw_button;
    case CO_ACTION_HAND_OUT:      return self->hand_out_button;
    case CO_ACTION_START_PRODUCTION:
    case CO_ACTION_FINISH_PRODUCTION:
    case CO_ACTION_CONFIRM_DELIVERY:
    default:
      return NULL;
    }
}

static void
get_case (CoStudentPage *self,
          CoCase        *c)
{
  c->card = self->student ? co_student_get_card_status (self->student) : CO_CARD_STATUS_NOT_ISSUED;
  c->reissue = CO_REISSUE_STATUS_NONE;
  c->delivery = CO_DELIVERY_HOME;
  if (self->reissue != NULL)
    co_reissue_get_case (self->reissue, c->card, c);
}

/* A date (YYYY-MM-DD) from an RFC 3339 time, in local time. */
static char *
format_day (const char *rfc3339)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (rfc3339 == NULL)
    return NULL;
  if (!(dt = g_date_time_new_from_iso8601 (rfc3339, NULL)))
    return g_strndup (rfc3339, 10);
  local = g_date_time_to_local (dt);
  return g_date_time_format (local, "%Y-%m-%d");
}

static char *
format_time (const char *rfc3339)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (rfc3339 == NULL)
    return g_strdup ("");
  if (!(dt = g_date_time_new_from_iso8601 (rfc3339, NULL)))
    return g_strdup (rfc3339);
  local = g_date_time_to_local (dt);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_text (label, text != NULL && *text != '\0' ? text : "—");
}

static void
show_error (CoStudentPage *self,
            const char    *text)
{
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
update_busy (CoStudentPage *self)
{
  gboolean busy = self->n_loading > 0 || self->acting;

  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
update_actions (CoStudentPage *self)
{
  CoCase c;

  get_case (self, &c);

  for (guint i = 0; i < G_N_ELEMENTS (page_actions); i++)
    {
      CoReason reason = self->student != NULL ? co_rules_check (page_actions[i].action, &c)
                                              : CO_REASON_NO_REISSUE;
      GtkButton *button = button_for_action (self, page_actions[i].action);
      gboolean allowed = self->student != NULL && reason == CO_REASON_NONE && !self->acting;

      gtk_widget_action_set_enabled (GTK_WIDGET (self), page_actions[i].name, allowed);
      if (self->student == NULL || self->acting)
        gtk_widget_set_tooltip_text (GTK_WIDGET (button), NULL);
      else
        gtk_widget_set_tooltip_text (GTK_WIDGET (button),
                                     reason == CO_REASON_NONE ? NULL : co_reason_to_text (reason));
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "student.correct",
                                 self->student != NULL && !self->acting);
  /* co-rules has no rule on corrections: the photo too can always be
   * corrected. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "student.change-photo",
                                 self->student != NULL && !self->acting);
}

static void
update_card (CoStudentPage *self)
{
  CoStudent *s = self->student;
  g_autoptr(GdkTexture) qr = NULL;
  g_autofree char *status = NULL;

  if (s == NULL)
    return;

  gtk_label_set_text (self->title_label, co_student_get_name (s));
  set_label (self->school_label, co_student_get_school (s));
  set_label (self->name_label, co_student_get_name (s));
  set_label (self->gender_label, co_student_get_gender (s) == CO_GENDER_FEMALE
                                 ? C_("gender", "Female") : C_("gender", "Male"));
  set_label (self->edu_id_label, co_student_get_edu_id (s));
  set_label (self->valid_until_label, co_student_get_valid_until (s));
  set_label (self->stage_label, co_stage_to_text (co_student_get_stage (s)));
  set_label (self->bjt_no_label, co_student_get_bjt_no (s));
  set_label (self->card_no_label, co_student_get_card_no (s));

  /* The card's QR code holds its 一卡通号, as printed. */
  qr = co_student_get_card_no (s) ? co_qr_texture_new (co_student_get_card_no (s), QR_PIXELS) : NULL;
  gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (qr));

  if (self->reissue != NULL && co_reissue_status_is_open (co_reissue_get_status (self->reissue)))
    /* Translators: the card's status, then its reissue's (已挂失 · 补卡：制卡中) */
    status = g_strdup_printf (_("Card: %s · Reissue: %s"),
                              co_card_status_to_text (co_student_get_card_status (s)),
                              co_reissue_status_to_text (co_reissue_get_status (self->reissue)));
  else
    /* Translators: %s is the card's status (正常, 已挂失...) */
    status = g_strdup_printf (_("Card: %s"), co_card_status_to_text (co_student_get_card_status (s)));
  gtk_label_set_text (self->card_status_label, status);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
dim_label_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* When the log says a step of @reissue happened: the first entry with
 * @action at or after the reissue was made. */
static const char *
step_time (CoStudentPage *self,
           CoReissue     *reissue,
           const char    *action)
{
  const char *created = co_reissue_get_created_at (reissue);
  const char *found = NULL;

  if (self->audit == NULL)
    return NULL;

  /* Newest first: the last match is the first after @created. */
  for (guint i = 0; i < g_list_model_get_n_items (self->audit); i++)
    {
      g_autoptr(CoAuditEntry) entry = g_list_model_get_item (self->audit, i);
      const char *at = co_audit_entry_get_at (entry);

      if (g_strcmp0 (co_audit_entry_get_action (entry), action) != 0)
        continue;
      if (created != NULL && g_strcmp0 (at, created) < 0)
        break;
      found = at;
    }

  return found;
}

static void
add_step (GtkBox     *box,
          gboolean    done,
          const char *title,
          const char *when)
{
  g_autofree char *day = when ? format_day (when) : NULL;
  g_autofree char *text = NULL;
  GtkWidget *label;

  if (day != NULL)
    /* Translators: a step of a reissue and its date (已缴费  2026-03-05) */
    text = g_strdup_printf (_("%s  %s"), title, day);
  else
    text = g_strdup (title);

  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (!done)
    gtk_widget_add_css_class (label, "dim-label");
  {
    GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
    GtkWidget *icon = gtk_image_new_from_icon_name (done ? "emblem-ok-symbolic"
                                                         : "content-loading-symbolic");

    gtk_box_append (GTK_BOX (row), icon);
    gtk_box_append (GTK_BOX (row), label);
    gtk_box_append (box, row);
  }
}

static GtkWidget *
reissue_row_new (CoStudentPage *self,
                 CoReissue     *reissue)
{
  CoReissueStatus status = co_reissue_get_status (reissue);
  CoDelivery delivery = co_reissue_get_delivery (reissue);
  gboolean paid = co_reissue_get_paid_at (reissue) != NULL;
  gboolean made = (status == CO_REISSUE_STATUS_IN_PRODUCTION ||
                   status == CO_REISSUE_STATUS_AWAITING_PICKUP ||
                   status == CO_REISSUE_STATUS_SHIPPED ||
                   status == CO_REISSUE_STATUS_COLLECTED);
  gboolean finished = (status == CO_REISSUE_STATUS_AWAITING_PICKUP ||
                       status == CO_REISSUE_STATUS_SHIPPED ||
                       status == CO_REISSUE_STATUS_COLLECTED);
  g_autofree char *title = NULL;
  GtkWidget *box;
  GtkWidget *heading;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  /* Translators: a reissue: its delivery and its status (配送到校 · 制卡中) */
  title = g_strdup_printf (_("%s · %s"), co_delivery_to_text (delivery),
                           co_reissue_status_to_text (status));
  heading = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (box), heading);

  add_step (GTK_BOX (box), TRUE, _("Applied"), co_reissue_get_created_at (reissue));

  if (status == CO_REISSUE_STATUS_WITHDRAWN)
    {
      add_step (GTK_BOX (box), TRUE, co_reissue_status_to_text (status),
                step_time (self, reissue, "withdraw"));
      return box;
    }

  add_step (GTK_BOX (box), paid, co_reissue_status_to_text (CO_REISSUE_STATUS_PAID),
            co_reissue_get_paid_at (reissue));

  if (status == CO_REISSUE_STATUS_REFUNDED)
    {
      add_step (GTK_BOX (box), TRUE, co_reissue_status_to_text (status),
                step_time (self, reissue, "refund"));
      return box;
    }

  add_step (GTK_BOX (box), made, co_reissue_status_to_text (CO_REISSUE_STATUS_IN_PRODUCTION),
            made ? step_time (self, reissue, "start_production") : NULL);
  add_step (GTK_BOX (box), finished,
            co_reissue_status_to_text (delivery == CO_DELIVERY_HOME ? CO_REISSUE_STATUS_SHIPPED
                                                                    : CO_REISSUE_STATUS_AWAITING_PICKUP),
            finished ? step_time (self, reissue, "finish_production") : NULL);
  add_step (GTK_BOX (box), status == CO_REISSUE_STATUS_COLLECTED,
            co_reissue_status_to_text (CO_REISSUE_STATUS_COLLECTED),
            status == CO_REISSUE_STATUS_COLLECTED
            ? step_time (self, reissue, delivery == CO_DELIVERY_HOME ? "confirm_delivery" : "hand_out")
            : NULL);

  /* Due: 20 working days after payment, by the official calendar. */
  if (paid && !finished)
    {
      g_autofree char *paid_day = format_day (co_reissue_get_paid_at (reissue));
      GDate paid_on;
      GDate due;
      gboolean estimated = FALSE;

      g_date_clear (&paid_on, 1);
      g_date_set_parse (&paid_on, paid_day);
      if (g_date_valid (&paid_on))
        {
          char due_text[16];
          g_autofree char *text = NULL;
          g_autoptr(GDateTime) now = g_date_time_new_now_local ();
          GDate today;

          co_rules_reissue_due (self->calendar, &paid_on, &due, &estimated);
          g_date_strftime (due_text, sizeof due_text, "%Y-%m-%d", &due);
          g_date_clear (&today, 1);
          g_date_set_dmy (&today, g_date_time_get_day_of_month (now),
                          g_date_time_get_month (now), g_date_time_get_year (now));

          if (g_date_compare (&today, &due) > 0)
            /* Translators: %s is a date; the card was due then and is late */
            text = g_strdup_printf (_("Due %s (20 working days): overdue"), due_text);
          else if (estimated)
            /* Translators: %s is a date, counted without the official holiday calendar */
            text = g_strdup_printf (_("Due about %s (20 working days, estimated)"), due_text);
          else
            /* Translators: %s is a date */
            text = g_strdup_printf (_("Due %s (20 working days)"), due_text);
          gtk_box_append (GTK_BOX (box), dim_label_new (text));
        }
    }

  if (delivery == CO_DELIVERY_HOME)
    {
      const char *courier_no = co_reissue_get_courier_no (reissue);
      g_autofree char *text = NULL;

      if (courier_no != NULL && *courier_no != '\0')
        {
          GtkWidget *label;

          /* Translators: %s is the courier's tracking number */
          text = g_strdup_printf (_("Courier tracking number: %s"), courier_no);
          label = dim_label_new (text);
          gtk_label_set_selectable (GTK_LABEL (label), TRUE);
          gtk_box_append (GTK_BOX (box), label);
        }
    }

  return box;
}

static void
update_timeline (CoStudentPage *self)
{
  guint n = self->reissues ? g_list_model_get_n_items (self->reissues) : 0;

  clear_list (self->timeline_list);

  if (n == 0 && self->reissue != NULL)
    {
      gtk_list_box_append (self->timeline_list, reissue_row_new (self, self->reissue));
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoReissue) reissue = g_list_model_get_item (self->reissues, i);

      gtk_list_box_append (self->timeline_list, reissue_row_new (self, reissue));
    }

  if (n == 0)
    {
      GtkWidget *label = dim_label_new (_("No reissues."));

      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_append (self->timeline_list, label);
    }
}

static void
update_log (CoStudentPage *self)
{
  guint n = self->audit ? g_list_model_get_n_items (self->audit) : 0;

  clear_list (self->log_list);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoAuditEntry) entry = g_list_model_get_item (self->audit, i);
      g_autofree char *at = format_time (co_audit_entry_get_at (entry));
      g_autofree char *text = NULL;
      GtkWidget *label;

      /* Translators: an operation log line: time, staff, action */
      text = g_strdup_printf (_("%s  %s  %s"), at, co_audit_entry_get_staff (entry),
                              co_log_action_to_text (co_audit_entry_get_action (entry)));
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_top (label, 3);
      gtk_widget_set_margin_bottom (label, 3);
      gtk_list_box_append (self->log_list, label);
    }

  if (n == 0)
    {
      GtkWidget *label = dim_label_new (_("No operations recorded."));

      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_append (self->log_list, label);
    }
}

static void
update_all (CoStudentPage *self)
{
  update_card (self);
  update_actions (self);
  update_timeline (self);
  update_log (self);
  update_busy (self);
}

static void
set_photo (CoStudentPage *self,
           GBytes        *jpeg)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  if (jpeg != NULL && !(texture = gdk_texture_new_from_bytes (jpeg, &error)))
    g_debug ("The photo cannot be shown: %s", error->message);

  if (texture != NULL)
    gtk_picture_set_paintable (self->photo_picture, GDK_PAINTABLE (texture));
  else
    {
      /* No photo on file: a silhouette keeps the card's layout. */
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));
      g_autoptr(GtkIconPaintable) icon = gtk_icon_theme_lookup_icon (theme, "avatar-default-symbolic",
                                                                     NULL, 96, 1,
                                                                     GTK_TEXT_DIR_NONE, 0);

      gtk_picture_set_paintable (self->photo_picture, GDK_PAINTABLE (icon));
    }
}

static void
set_student (CoStudentPage *self,
             CoStudent     *student)
{
  g_autoptr(GError) error = NULL;

  g_set_object (&self->student, student);
  if (self->store != NULL && !co_store_update_student (self->store, student, &error))
    g_warning ("The store was not updated: %s", error->message);
}

static void
set_reissue (CoStudentPage *self,
             CoReissue     *reissue)
{
  g_autoptr(GError) error = NULL;

  g_set_object (&self->reissue, reissue);
  if (reissue != NULL && self->store != NULL &&
      !co_store_update_reissue (self->store, reissue, &error))
    g_warning ("The store was not updated: %s", error->message);
}

/* Loading */

static void
load_done (CoStudentPage *self)
{
  g_assert (self->n_loading > 0);

  self->n_loading--;
  update_all (self);
}

static void
get_student_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CoStudentPage) self = user_data;
  g_autoptr(CoStudent) student = NULL;
  g_autoptr(GError) error = NULL;

  student = co_client_get_student_finish (CO_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (student == NULL)
    {
      g_autofree char *text = co_desk_error_to_text (error);

      show_error (self, text);
    }
  else
    set_student (self, student);

  load_done (self);
}

static void
list_reissues_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CoStudentPage) self = user_data;
  g_autoptr(GListModel) reissues = NULL;
  g_autoptr(GError) error = NULL;

  reissues = co_client_list_reissues_finish (CO_CLIENT (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (reissues == NULL)
    {
      g_autofree char *text = co_desk_error_to_text (error);

      show_error (self, text);
    }
  else
    {
      g_autoptr(CoReissue) latest = g_list_model_get_item (reissues, 0);

      g_set_object (&self->reissues, reissues);
      if (latest != NULL)
        set_reissue (self, latest);
      else
        g_clear_object (&self->reissue);
    }

  load_done (self);
}

static void
list_audit_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CoStudentPage) self = user_data;
  g_autoptr(GListModel) audit = NULL;
  g_autoptr(GError) error = NULL;

  audit = co_client_list_audit_finish (CO_CLIENT (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (audit != NULL)
    g_set_object (&self->audit, audit);
  else
    g_debug ("The operation log cannot be read: %s", error->message);

  load_done (self);
}

static void
get_photo_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CoStudentPage) self = user_data;
  g_autoptr(GBytes) jpeg = NULL;
  g_autofree char *etag = NULL;
  g_autoptr(GError) error = NULL;

  if (!co_client_get_photo_finish (CO_CLIENT (object), result, &jpeg, &etag, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("The photo cannot be fetched: %s", error->message);
    }
  else if (jpeg != NULL)
    {
      g_autoptr(GError) store_error = NULL;

      set_photo (self, jpeg);
      if (self->store != NULL && etag != NULL &&
          !co_store_put_photo (self->store, self->edu_id, etag, jpeg, &store_error))
        g_debug ("The photo was not stored: %s", store_error->message);
    }

  load_done (self);
}

static void
load (CoStudentPage *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (self->client == NULL || self->edu_id == NULL)
    return;

  self->load_cancellable = g_cancellable_new ();
  self->n_loading = 4;
  update_busy (self);

  co_client_get_student_async (self->client, self->edu_id, self->load_cancellable,
                               get_student_cb, g_object_ref (self));
  co_client_list_reissues_async (self->client, CO_REISSUE_STATUS_NONE, self->edu_id, NULL,
                                 N_REISSUES, self->load_cancellable,
                                 list_reissues_cb, g_object_ref (self));
  co_client_list_audit_async (self->client, self->edu_id, NULL, NULL, NULL, N_LOG_ENTRIES,
                              self->load_cancellable, list_audit_cb, g_object_ref (self));
  co_client_get_photo_async (self->client, self->edu_id, self->photo_etag, self->load_cancellable,
                             get_photo_cb, g_object_ref (self));
}

/* Actions */

static void
action_finished (CoStudentPage *self,
                 const GError  *error)
{
  self->acting = FALSE;
  if (error != NULL)
    {
      g_autofree char *text = co_desk_error_to_text (error);

      show_error (self, text);
    }
  else
    show_error (self, NULL);

  update_all (self);
  load (self);
}

static void
student_action_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CoStudentPage) self = user_data;
  g_autoptr(CoStudent) student = NULL;
  g_autoptr(GError) error = NULL;
  if (g_async_result_is_tagged (result, co_client_report_loss_async))
    student = co_client_report_loss_finish (CO_CLIENT (object), result, &error);
  else if (g_async_result_is_tagged (result, co_client_lift_loss_async))
    student = co_client_lift_loss_finish (CO_CLIENT (object), result, &error);
  else
    student = co_client_hand_out_finish (CO_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (student != NULL)
    set_student (self, student);
  action_finished (self, error);
}

static void
reissue_action_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CoStudentPage) self = user_data;
  g_autoptr(CoReissue) reissue = NULL;
  g_autoptr(GError) error = NULL;

  if (g_async_result_is_tagged (result, co_client_refund_async))
    reissue = co_client_refund_finish (CO_CLIENT (object), result, &error);
  else
    reissue = co_client_withdraw_finish (CO_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (reissue != NULL)
    set_reissue (self, reissue);
  action_finished (self, error);
}

static void
start_action (CoStudentPage *self)
{
  g_cancellable_cancel (self->action_cancellable);
  g_clear_object (&self->action_cancellable);
  self->action_cancellable = g_cancellable_new ();
  self->acting = TRUE;
  show_error (self, NULL);
  update_actions (self);
  update_busy (self);
}

static void
on_refund_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       CoStudentPage    *self)
{
  if (g_strcmp0 (response, "refund") != 0 || self->reissue == NULL || self->client == NULL)
    return;

  start_action (self);
  co_client_refund_async (self->client, co_reissue_get_id (self->reissue), NULL,
                          self->action_cancellable, reissue_action_cb, g_object_ref (self));
}

static void
confirm_refund (CoStudentPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  int fee = co_reissue_get_fee_fen (self->reissue);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* Translators: the refund's confirmation: %d.%02d is the amount in yuan (15.00) */
  body = g_strdup_printf (_("Refund the reissue fee of %d.%02d yuan?"), fee / 100, fee % 100);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, body,
                                   _("The fee goes back along the original payment path at once, and the application is withdrawn."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "refund", _("_Refund"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "refund",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_refund_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_dialog_reissue_applied_cb (CoReissueDialog *dialog,
                              CoReissue       *reissue,
                              CoStudentPage   *self)
{
  set_reissue (self, reissue);
  show_error (self, NULL);
  update_all (self);
  load (self);
}

static void
on_payment_dialog_paid_cb (CoPaymentDialog *dialog,
                           CoReissue       *reissue,
                           CoStudentPage   *self)
{
  set_reissue (self, reissue);
  update_all (self);
  load (self);
}

static void
on_dialog_done_cb (GtkWidget     *dialog,
                   CoStudentPage *self)
{
  load (self);
}

static void
on_dialog_student_corrected_cb (CoCorrectionDialog *dialog,
                                CoStudent          *student,
                                CoStudentPage      *self)
{
  set_student (self, student);
  show_error (self, NULL);
  update_all (self);
  load (self);
}

/* The new photo: on the card face and in the store at once (under the
 * ETag the server gave it, so the next load finds it unchanged). */
static void
on_photo_dialog_uploaded_cb (CoPhotoDialog *dialog,
                             CoStudent     *student,
                             GBytes        *jpeg,
                             CoStudentPage *self)
{
  const char *etag = co_student_get_photo_etag (student);
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (co_student_get_edu_id (student), self->edu_id) != 0)
    return;

  set_student (self, student);
  set_photo (self, jpeg);
  g_free (self->photo_etag);
  self->photo_etag = g_strdup (etag);
  if (self->store != NULL && etag != NULL &&
      !co_store_put_photo (self->store, self->edu_id, etag, jpeg, &error))
    g_warning ("The photo was not stored: %s", error->message);
  show_error (self, NULL);
  update_all (self);
  load (self);
}

static GtkWindow *
get_parent_window (CoStudentPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
co_student_page_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CoStudentPage *self = CO_STUDENT_PAGE (widget);

  for (guint i = 0; i < G_N_ELEMENTS (page_actions); i++)
    if (g_str_equal (page_actions[i].name, action_name))
      co_student_page_perform (self, page_actions[i].action);
}

static void
co_student_page_correct_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  CoStudentPage *self = CO_STUDENT_PAGE (widget);
  CoCorrectionDialog *dialog;

  if (self->student == NULL || self->client == NULL)
    return;

  dialog = co_correction_dialog_new (get_parent_window (self), self->client, self->student);
  g_signal_connect_object (dialog, "corrected", G_CALLBACK (on_dialog_student_corrected_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
co_student_page_change_photo_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  CoStudentPage *self = CO_STUDENT_PAGE (widget);
  CoPhotoDialog *dialog;

  if (self->student == NULL || self->client == NULL)
    return;

  dialog = co_photo_dialog_new (get_parent_window (self), self->client, self->student);
  g_signal_connect_object (dialog, "uploaded", G_CALLBACK (on_photo_dialog_uploaded_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject overrides */

static void
co_student_page_dispose (GObject *object)
{
  CoStudentPage *self = CO_STUDENT_PAGE (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->action_cancellable);
  g_clear_object (&self->action_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CO_TYPE_STUDENT_PAGE);

  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->calendar);
  g_clear_object (&self->student);
  g_clear_object (&self->reissue);
  g_clear_object (&self->reissues);
  g_clear_object (&self->audit);

  G_OBJECT_CLASS (co_student_page_parent_class)->dispose (object);
}

static void
co_student_page_finalize (GObject *object)
{
  CoStudentPage *self = CO_STUDENT_PAGE (object);

  g_clear_pointer (&self->edu_id, g_free);
  g_clear_pointer (&self->photo_etag, g_free);

  G_OBJECT_CLASS (co_student_page_parent_class)->finalize (object);
}

static void
co_student_page_class_init (CoStudentPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_student_page_dispose;
  object_class->finalize = co_student_page_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-student-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, card_frame);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, photo_picture);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, school_label);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, gender_label);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, edu_id_label);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, valid_until_label);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, stage_label);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, bjt_no_label);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, card_no_label);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, card_status_label);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, actions_box);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, report_loss_button);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, lift_loss_button);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, apply_reissue_button);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, pay_button);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, refund_button);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, withdraw_button);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, hand_out_button);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, correct_button);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, photo_button);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, timeline_list);
  gtk_widget_class_bind_template_child (widget_class, CoStudentPage, log_list);

  for (guint i = 0; i < G_N_ELEMENTS (page_actions); i++)
    gtk_widget_class_install_action (widget_class, page_actions[i].name, NULL,
                                     co_student_page_action);
  gtk_widget_class_install_action (widget_class, "student.correct", NULL,
                                   co_student_page_correct_action);
  gtk_widget_class_install_action (widget_class, "student.change-photo", NULL,
                                   co_student_page_change_photo_action);

  /* Back to the roster from the keyboard. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.page-students", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.page-students", NULL);
}

static void
co_student_page_init (CoStudentPage *self)
{
  g_autofree char *path = co_data_find_file ("holidays.ini");

  gtk_widget_init_template (GTK_WIDGET (self));

  if (path != NULL)
    {
      g_autoptr(GError) error = NULL;

      self->calendar = co_calendar_new_from_file (path, &error);
      if (self->calendar == NULL)
        g_warning ("The holiday calendar cannot be read: %s", error->message);
    }
  if (self->calendar == NULL)
    self->calendar = co_calendar_new ();

  update_actions (self);
}

/* Public API */

void
co_student_page_show (CoStudentPage *self,
                      CoClient      *client,
                      CoStore       *store,
                      const char    *edu_id)
{
  g_return_if_fail (CO_IS_STUDENT_PAGE (self));
  g_return_if_fail (client == NULL || CO_IS_CLIENT (client));
  g_return_if_fail (store == NULL || CO_IS_STORE (store));
  g_return_if_fail (edu_id != NULL);

  g_set_object (&self->client, client);
  g_set_object (&self->store, store);
  if (g_strcmp0 (self->edu_id, edu_id) != 0)
    {
      /* Another student: the answer of an action under way is not ours
       * to show (the store still learns it at the next sync). */
      g_cancellable_cancel (self->action_cancellable);
      g_clear_object (&self->action_cancellable);
      self->acting = FALSE;

      g_free (self->edu_id);
      self->edu_id = g_strdup (edu_id);
      g_clear_object (&self->student);
      g_clear_object (&self->reissue);
      g_clear_object (&self->reissues);
      g_clear_object (&self->audit);
      g_clear_pointer (&self->photo_etag, g_free);
      set_photo (self, NULL);
      gtk_label_set_text (self->title_label, "");
    }
  show_error (self, NULL);

  /* What the store knows, at once. */
  if (store != NULL)
    {
      g_autoptr(CoStudent) student = co_store_lookup_student (store, edu_id);
      g_autoptr(CoReissue) reissue = co_store_lookup_reissue (store, edu_id);
      g_autoptr(GBytes) jpeg = NULL;
      g_autofree char *etag = NULL;

      if (student != NULL)
        g_set_object (&self->student, student);
      if (reissue != NULL)
        g_set_object (&self->reissue, reissue);
      if ((jpeg = co_store_get_photo (store, edu_id, &etag)) != NULL)
        {
          set_photo (self, jpeg);
          g_free (self->photo_etag);
          self->photo_etag = g_steal_pointer (&etag);
        }
    }

  update_all (self);
  load (self);
}

const char *
co_student_page_get_edu_id (CoStudentPage *self)
{
  g_return_val_if_fail (CO_IS_STUDENT_PAGE (self), NULL);

  return self->edu_id;
}

CoStudent *
co_student_page_get_student (CoStudentPage *self)
{
  g_return_val_if_fail (CO_IS_STUDENT_PAGE (self), NULL);

  return self->student;
}

CoReissue *
co_student_page_get_reissue (CoStudentPage *self)
{
  g_return_val_if_fail (CO_IS_STUDENT_PAGE (self), NULL);

  return self->reissue;
}

gboolean
co_student_page_get_idle (CoStudentPage *self)
{
  g_return_val_if_fail (CO_IS_STUDENT_PAGE (self), FALSE);

  return self->n_loading == 0 && !self->acting;
}

const char *
co_student_page_get_error (CoStudentPage *self)
{
  g_return_val_if_fail (CO_IS_STUDENT_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

void
co_student_page_perform (CoStudentPage *self,
                         CoAction       action)
{
  g_return_if_fail (CO_IS_STUDENT_PAGE (self));

  if (self->client == NULL || self->student == NULL || self->acting)
    return;

  switch (action)
    {
    case CO_ACTION_REPORT_LOSS:
      start_action (self);
      co_client_report_loss_async (self->client, self->edu_id, NULL, self->action_cancellable,
                                   student_action_cb, g_object_ref (self));
      break;

    case CO_ACTION_LIFT_LOSS:
      start_action (self);
      co_client_lift_loss_async (self->client, self->edu_id, NULL, self->action_cancellable,
                                 student_action_cb, g_object_ref (self));
      break;

    case CO_ACTION_HAND_OUT:
      if (co_student_get_card_no (self->student) == NULL)
        {
          show_error (self, co_reason_to_text (CO_REASON_CARD_NOT_ISSUED));
          return;
        }
      start_action (self);
      co_client_hand_out_async (self->client, co_student_get_card_no (self->student), NULL,
                                self->action_cancellable, student_action_cb, g_object_ref (self));
      break;

    case CO_ACTION_APPLY_REISSUE:
      {
        CoReissueDialog *dialog = co_reissue_dialog_new (get_parent_window (self), self->client,
                                                         self->edu_id);

        g_signal_connect_object (dialog, "applied", G_CALLBACK (on_dialog_reissue_applied_cb), self, 0);
        gtk_window_present (GTK_WINDOW (dialog));
      }
      break;

    case CO_ACTION_PAY:
    case CO_ACTION_REFUND:
    case CO_ACTION_WITHDRAW:
      if (self->reissue == NULL)
        {
          show_error (self, co_reason_to_text (CO_REASON_NO_REISSUE));
          return;
        }
      if (action == CO_ACTION_REFUND)
        confirm_refund (self);
      else if (action == CO_ACTION_WITHDRAW)
        {
          start_action (self);
          co_client_withdraw_async (self->client, co_reissue_get_id (self->reissue), NULL,
                                    self->action_cancellable, reissue_action_cb, g_object_ref (self));
        }
      else
        {
          CoPaymentDialog *dialog = co_payment_dialog_new (get_parent_window (self), self->client,
                                                           self->reissue);

          g_signal_connect_object (dialog, "paid", G_CALLBACK (on_payment_dialog_paid_cb), self, 0);
          g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_dialog_done_cb), self, 0);
          gtk_window_present (GTK_WINDOW (dialog));
        }
      break;

    case CO_ACTION_START_PRODUCTION:
    case CO_ACTION_FINISH_PRODUCTION:
    case CO_ACTION_CONFIRM_DELIVERY:
    default:
      g_return_if_reached ();
    }
}
