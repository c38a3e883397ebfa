/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Reissues (补卡): every reissue of the school, from 待支付 to 已领取 (or
 * 已退费 / 已撤销), filtered by status. The due date is 20 working days after
 * payment over the official calendar (co_rules_reissue_due ()); a reissue
 * paid and still not made by then (已缴费 or 制卡中 past its due date) is
 * overdue: its row says 已超期 and is styled, and the overdue ones are
 * counted. The cards waiting at school (待领取) can be exported as CSV for
 * Excel, to notify the families.
 *
 * The list is loaded page by page in the background each time the page is
 * shown (and on 刷新); a failure is said in words, the rows already shown
 * stay.
 */
#define G_LOG_DOMAIN "co-reissues-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-application.h"
#include "co-csv-writer.h"
#include "co-data.h"
#include "co-error-text.h"
#include "co-list-util.h"
#include "co-reason-text.h"
#include "co-reissues-page.h"

#define PAGE_LIMIT 500

typedef enum
{
  COLUMN_NAME,
  COLUMN_EDU_ID,
  COLUMN_CLASS,
  COLUMN_STATUS,
  COLUMN_DELIVERY,
  COLUMN_APPLIED,
  COLUMN_PAID,
  COLUMN_DUE,
  COLUMN_COURIER_NO,
} Column;

typedef struct
{
  GDate    due;       /* invalid when not paid */
  gboolean overdue;
} DueInfo;

struct _CoReissuesPage
{
  GtkWidget           parent_instance;

  /* Template widgets */
  GtkDropDown        *status_dropdown;
  GtkLabel           *overdue_label;
  GtkSpinner         *spinner;
  GtkButton          *export_button;
  GtkButton          *refresh_button;
  GtkRevealer        *error_revealer;
  GtkLabel           *error_label;
  GtkStack           *stack;
  GtkColumnView      *column_view;
  AdwStatusPage      *status_page;
  GtkButton          *sign_in_button;
  GtkLabel           *count_label;

  /* Owned references */
  GListStore         *reissues;     /* CoReissue, as the server lists them */
  GHashTable         *due;          /* CoReissue* -> DueInfo */
  GtkCustomFilter    *filter;
  GtkFilterListModel *filter_model;
  GtkSingleSelection *selection;
  CoCalendar         *calendar;
  CoClient           *client;       /* the one whose signed-in we follow */
  GCancellable       *cancellable;
  GPtrArray          *loading;      /* CoReissue, pages loaded so far */
  GHashTable         *arriving;     /* edu_id -> arrival day (char *), being loaded */
  GHashTable         *arrived;      /* edu_id -> the day the card came to school */
  guint               n_waiting;    /* 待领取 whose arrival is still unknown */
  GtkFileChooserNative *chooser;

  GDate               today;        /* invalid: the clock */
  int                 status;       /* CO_REISSUE_STATUS_NONE: all */
  gboolean            open_only;
  guint               n_overdue;
  guint               loaded : 1;
};

G_DEFINE_FINAL_TYPE (CoReissuesPage, co_reissues_page, GTK_TYPE_WIDGET)

static void start_loading  (CoReissuesPage *self);
static void finish_loading (CoReissuesPage *self);

/* Helpers */

static gboolean
is_open (CoReissueStatus status)
{
  return status == CO_REISSUE_STATUS_PENDING_PAYMENT ||
         status == CO_REISSUE_STATUS_PAID ||
         status == CO_REISSUE_STATUS_IN_PRODUCTION ||
         status == CO_REISSUE_STATUS_AWAITING_PICKUP ||
         status == CO_REISSUE_STATUS_SHIPPED;
}

static const char *
nonnull (const char *text)
{
  return text != NULL ? text : "";
}

static char *
class_text (CoStudent *student)
{
  const char *class_name = co_student_get_class_name (student);
  int grade = co_student_get_grade (student);

  if (grade <= 0)
    return g_strdup (nonnull (class_name));

  /* Translators: a student's class: grade number, then the class name (3年级2班) */
  return g_strdup_printf (_("Grade %d, %s"), grade, nonnull (class_name));
}

/* The local calendar day of an RFC 3339 time; FALSE when there is none. */
static gboolean
local_day (const char *rfc3339,
           GDate      *out)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) local = NULL;

  g_date_clear (out, 1);
  if (rfc3339 == NULL || *rfc3339 == '\0')
    return FALSE;
  if (!(dt = g_date_time_new_from_iso8601 (rfc3339, NULL)))
    return FALSE;
  local = g_date_time_to_local (dt);
  g_date_set_dmy (out, g_date_time_get_day_of_month (local),
                  g_date_time_get_month (local), g_date_time_get_year (local));
  return TRUE;
}

static char *
day_text (const GDate *day)
{
  if (day == NULL || !g_date_valid (day))
    return g_strdup ("");
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (day), g_date_get_month (day),
                          g_date_get_day (day));
}

static char *
rfc3339_day_text (const char *rfc3339)
{
  GDate day;

  local_day (rfc3339, &day);
  return day_text (&day);
}

static void
get_today (CoReissuesPage *self,
           GDate          *out)
{
  if (g_date_valid (&self->today))
    {
      *out = self->today;
      return;
    }

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();

    g_date_clear (out, 1);
    g_date_set_dmy (out, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                    g_date_time_get_year (now));
  }
}

static CoStore *
get_store (CoReissuesPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app;

  if (!GTK_IS_WINDOW (root) || !(app = gtk_window_get_application (GTK_WINDOW (root))) ||
      !CO_IS_APPLICATION (app))
    return NULL;
  return co_application_get_store (CO_APPLICATION (app), NULL);
}

static CoClient *
get_client (CoReissuesPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app;

  if (!GTK_IS_WINDOW (root) || !(app = gtk_window_get_application (GTK_WINDOW (root))) ||
      !CO_IS_APPLICATION (app))
    return NULL;
  return co_application_get_client (CO_APPLICATION (app));
}

static CoStudent *
lookup_student (CoReissuesPage *self,
                CoReissue      *reissue)
{
  CoStore *store = get_store (self);

  if (store == NULL)
    return NULL;
  return co_store_lookup_student (store, co_reissue_get_edu_id (reissue));
}

static void
compute_due (CoReissuesPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->reissues));
  GDate today;

  get_today (self, &today);
  g_hash_table_remove_all (self->due);
  self->n_overdue = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoReissue) reissue = g_list_model_get_item (G_LIST_MODEL (self->reissues), i);
      CoReissueStatus status = co_reissue_get_status (reissue);
      DueInfo *info = g_new0 (DueInfo, 1);
      GDate paid;

      g_date_clear (&info->due, 1);
      if (local_day (co_reissue_get_paid_at (reissue), &paid))
        co_rules_reissue_due (self->calendar, &paid, &info->due, NULL);

      info->overdue = g_date_valid (&info->due) &&
                      (status == CO_REISSUE_STATUS_PAID ||
                       status == CO_REISSUE_STATUS_IN_PRODUCTION) &&
                      g_date_compare (&today, &info->due) > 0;
      if (info->overdue)
        self->n_overdue++;

      g_hash_table_insert (self->due, reissue, info);
    }
}

static gboolean
all_arrivals_known (CoReissuesPage *self)
{
  guint known = 0;

  for (guint i = 0; i < self->loading->len; i++)
    {
      CoReissue *reissue = self->loading->pdata[i];

      if (co_reissue_get_status (reissue) == CO_REISSUE_STATUS_AWAITING_PICKUP &&
          g_hash_table_contains (self->arriving, co_reissue_get_edu_id (reissue)))
        known++;
    }

  return known >= self->n_waiting;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  CoReissuesPage *self = user_data;
  CoReissueStatus status = co_reissue_get_status (CO_REISSUE (item));

  if (self->open_only)
    return is_open (status);
  if (self->status == CO_REISSUE_STATUS_NONE)
    return TRUE;
  return (int) status == self->status;
}

static void
update_labels (CoReissuesPage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->reissues));
  g_autofree char *count = NULL;
  g_autofree char *overdue = NULL;

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u reissue", "%u of %u reissues", all),
                           shown, all);
  gtk_label_set_text (self->count_label, count);

  overdue = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u overdue", "%u overdue", self->n_overdue),
                             self->n_overdue);
  gtk_label_set_text (self->overdue_label, overdue);
  gtk_widget_set_visible (GTK_WIDGET (self->overdue_label), self->n_overdue > 0);
}

static void
show_error (CoReissuesPage *self,
            const GError   *error)
{
  g_autofree char *text = co_error_to_text (error);
  gboolean unauthorized = g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_UNAUTHORIZED);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->reissues)) == 0)
    {
      adw_status_page_set_icon_name (self->status_page, "network-error-symbolic");
      adw_status_page_set_title (self->status_page, _("The Reissues Cannot Be Loaded"));
      adw_status_page_set_description (self->status_page, text);
      gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button), unauthorized);
      gtk_stack_set_visible_child_name (self->stack, "status");
      gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
    }
  else
    {
      /* The rows already shown stay; say why they may be out of date. */
      gtk_label_set_text (self->error_label, text);
      gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
    }
}

static void
update_view (CoReissuesPage *self)
{
  update_labels (self);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button), FALSE);
  adw_status_page_set_icon_name (self->status_page, "auth-smartcard-symbolic");
  if (g_list_model_get_n_items (G_LIST_MODEL (self->reissues)) == 0)
    {
      adw_status_page_set_title (self->status_page, _("No Reissues"));
      adw_status_page_set_description (self->status_page,
                                       _("Reissues applied for at this desk or by families online will be listed here."));
    }
  else
    {
      adw_status_page_set_title (self->status_page, _("No Reissues in This State"));
      adw_status_page_set_description (self->status_page, _("Choose another state above."));
    }
  gtk_stack_set_visible_child_name (self->stack, "status");
}

static void
show_signed_out (CoReissuesPage *self)
{
  adw_status_page_set_icon_name (self->status_page, "system-lock-screen-symbolic");
  adw_status_page_set_title (self->status_page, _("Not Signed In"));
  adw_status_page_set_description (self->status_page, _("Sign in to see the school’s reissues."));
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button), TRUE);
  gtk_stack_set_visible_child_name (self->stack, "status");
}

static void
set_loading (CoReissuesPage *self,
             gboolean        loading)
{
  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh_button), !loading);
}

/* Callbacks */

static void
list_arrivals_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CoReissuesPage) self = user_data;
  g_autoptr(GListModel) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  guint n;

  page = co_client_list_audit_finish (CO_CLIENT (object), result, &next, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (page == NULL)
    {
      /* The list is still worth showing; the arrival days stay empty. */
      g_debug ("Listing the arrivals failed: %s", error->message);
      finish_loading (self);
      return;
    }

  n = g_list_model_get_n_items (page);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoAuditEntry) entry = g_list_model_get_item (page, i);
      const char *edu_id = co_audit_entry_get_edu_id (entry);

      /* Newest first: the first one seen is the latest card. */
      if (edu_id == NULL || g_hash_table_contains (self->arriving, edu_id))
        continue;
      g_hash_table_insert (self->arriving, g_strdup (edu_id),
                           rfc3339_day_text (co_audit_entry_get_at (entry)));
    }

  if (next != NULL && *next != '\0' && n > 0 && !all_arrivals_known (self))
    {
      co_client_list_audit_async (CO_CLIENT (object), NULL, NULL, "finish_production", next,
                                  PAGE_LIMIT, self->cancellable, list_arrivals_cb,
                                  g_object_ref (self));
      return;
    }

  finish_loading (self);
}

static void
list_reissues_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CoReissuesPage) self = user_data;
  g_autoptr(GListModel) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  guint n;

  page = co_client_list_reissues_finish (CO_CLIENT (object), result, &next, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (page == NULL)
    {
      g_debug ("Listing reissues failed: %s", error->message);
      g_clear_object (&self->cancellable);
      g_clear_pointer (&self->loading, g_ptr_array_unref);
      g_clear_pointer (&self->arriving, g_hash_table_unref);
      set_loading (self, FALSE);
      show_error (self, error);
      return;
    }

  n = g_list_model_get_n_items (page);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->loading, g_list_model_get_item (page, i));

  if (next != NULL && *next != '\0' && n > 0)
    {
      co_client_list_reissues_async (CO_CLIENT (object), CO_REISSUE_STATUS_NONE, NULL, next,
                                     PAGE_LIMIT, self->cancellable, list_reissues_cb,
                                     g_object_ref (self));
      return;
    }

  /* When did the cards waiting at school arrive? The log says: the
   * platform's 制卡完成 of each. */
  g_clear_pointer (&self->arriving, g_hash_table_unref);
  self->arriving = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->n_waiting = 0;
  for (guint i = 0; i < self->loading->len; i++)
    if (co_reissue_get_status (self->loading->pdata[i]) == CO_REISSUE_STATUS_AWAITING_PICKUP)
      self->n_waiting++;
  if (self->n_waiting > 0)
    {
      co_client_list_audit_async (CO_CLIENT (object), NULL, NULL, "finish_production", NULL,
                                  PAGE_LIMIT, self->cancellable, list_arrivals_cb,
                                  g_object_ref (self));
      return;
    }

  finish_loading (self);
}

static void
finish_loading (CoReissuesPage *self)
{
  g_clear_object (&self->cancellable);
  g_hash_table_remove_all (self->due);
  g_list_store_splice (self->reissues, 0, g_list_model_get_n_items (G_LIST_MODEL (self->reissues)),
                       self->loading->pdata, self->loading->len);
  g_clear_pointer (&self->loading, g_ptr_array_unref);
  g_clear_pointer (&self->arrived, g_hash_table_unref);
  self->arrived = g_steal_pointer (&self->arriving);
  compute_due (self);
  self->loaded = TRUE;
  g_debug ("Loaded %u reissues, %u overdue",
           g_list_model_get_n_items (G_LIST_MODEL (self->reissues)), self->n_overdue);

  set_loading (self, FALSE);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), TRUE);
  update_view (self);
}

static void
start_loading (CoReissuesPage *self)
{
  CoClient *client = get_client (self);

  if (client == NULL)
    return;

  if (!co_client_get_signed_in (client))
    {
      if (g_list_model_get_n_items (G_LIST_MODEL (self->reissues)) == 0)
        show_signed_out (self);
      return;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->loading, g_ptr_array_unref);
  self->loading = g_ptr_array_new_with_free_func (g_object_unref);

  set_loading (self, TRUE);
  co_client_list_reissues_async (client, CO_REISSUE_STATUS_NONE, NULL, NULL, PAGE_LIMIT,
                                 self->cancellable, list_reissues_cb, g_object_ref (self));
}

static void
on_client_signed_in_cb (CoReissuesPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    start_loading (self);
}

static void
follow_client (CoReissuesPage *self)
{
  CoClient *client = get_client (self);

  if (client == self->client)
    return;
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, on_client_signed_in_cb, self);
  g_set_object (&self->client, client);
  if (client != NULL)
    g_signal_connect_object (client, "notify::signed-in", G_CALLBACK (on_client_signed_in_cb),
                             self, G_CONNECT_SWAPPED);
}

static void
on_status_dropdown_selected_cb (CoReissuesPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->status_dropdown);

  self->open_only = selected == CO_REISSUES_FILTER_OPEN;
  self->status = selected >= CO_REISSUES_FILTER_STATUS
                 ? (int) (selected - CO_REISSUES_FILTER_STATUS + 1)
                 : CO_REISSUE_STATUS_NONE;
  if (self->filter == NULL)
    return;  /* still in init */
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  if (self->loaded)
    update_view (self);
}

static void
on_column_view_activate_cb (CoReissuesPage *self,
                            guint           position)
{
  g_autoptr(CoReissue) reissue = g_list_model_get_item (G_LIST_MODEL (self->filter_model), position);

  if (reissue == NULL)
    return;
  /* The student page's action; nothing happens in a window without it. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-student", "s",
                              co_reissue_get_edu_id (reissue));
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CoReissuesPage           *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  CoReissue *reissue = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  DueInfo *info = g_hash_table_lookup (self->due, reissue);
  g_autoptr(CoStudent) student = NULL;
  g_autofree char *text = NULL;

  if (column == COLUMN_NAME || column == COLUMN_CLASS)
    student = lookup_student (self, reissue);

  switch (column)
    {
    case COLUMN_NAME:
      text = g_strdup (student ? co_student_get_name (student) : "");
      break;
    case COLUMN_EDU_ID:
      text = g_strdup (co_reissue_get_edu_id (reissue));
      break;
    case COLUMN_CLASS:
      text = student ? class_text (student) : g_strdup ("");
      break;
    case COLUMN_STATUS:
      if (info != NULL && info->overdue)
        /* Translators: a reissue's state, then that it is past its due date */
        text = g_strdup_printf (_("%s, overdue"), co_reissue_status_to_text (co_reissue_get_status (reissue)));
      else
        text = g_strdup (co_reissue_status_to_text (co_reissue_get_status (reissue)));
      break;
    case COLUMN_DELIVERY:
      text = g_strdup (co_delivery_to_text (co_reissue_get_delivery (reissue)));
      break;
    case COLUMN_APPLIED:
      text = rfc3339_day_text (co_reissue_get_created_at (reissue));
      break;
    case COLUMN_PAID:
      text = rfc3339_day_text (co_reissue_get_paid_at (reissue));
      break;
    case COLUMN_DUE:
      text = day_text (info ? &info->due : NULL);
      break;
    case COLUMN_COURIER_NO:
      text = g_strdup (co_reissue_get_courier_no (reissue));
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_text (GTK_LABEL (label), text ? text : "");
  /* Every cell of an overdue row carries the class; the state and the due
   * date, which say why, are also shown as errors. */
  if (info != NULL && info->overdue)
    gtk_widget_add_css_class (label, "overdue");
  else
    gtk_widget_remove_css_class (label, "overdue");
  if (info != NULL && info->overdue && (column == COLUMN_STATUS || column == COLUMN_DUE))
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
}

static void
add_column (CoReissuesPage *self,
            Column          column,
            const char     *title,
            gboolean        expand)
{
  co_column_view_append_text_column (self->column_view, title, expand, column,
                                     G_CALLBACK (bind_cell_cb), self);
}

static void
on_chooser_response_cb (GtkNativeDialog *dialog,
                        int              response,
                        CoReissuesPage  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  int n;

  if (response != GTK_RESPONSE_ACCEPT)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file == NULL)
    return;

  n = co_reissues_page_export_pickup (self, file, &error);
  if (n < 0)
    {
      g_debug ("Saving the pickup list failed: %s", error->message);
      gtk_label_set_text (self->error_label, _("The list cannot be saved there. Choose another folder."));
      gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
      return;
    }

  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%d card waiting at school saved to the list.",
                                                          "%d cards waiting at school saved to the list.", n),
                                             n);
    gtk_label_set_text (self->count_label, text);
  }
}

static void
export_pickup_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CoReissuesPage *self = CO_REISSUES_PAGE (widget);
  g_autofree char *name = NULL;
  g_autofree char *day = NULL;
  GDate today;

  if (self->chooser == NULL)
    self->chooser = co_csv_save_chooser_new (widget, _("Export Pickup List"),
                                             G_CALLBACK (on_chooser_response_cb), self);

  get_today (self, &today);
  day = day_text (&today);
  /* Translators: the file name proposed for the list of cards waiting at school; %s is the date */
  name = g_strdup_printf (_("pickup-%s.csv"), day);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  start_loading (CO_REISSUES_PAGE (widget));
}

/* GObject overrides */

static void
co_reissues_page_map (GtkWidget *widget)
{
  CoReissuesPage *self = CO_REISSUES_PAGE (widget);

  GTK_WIDGET_CLASS (co_reissues_page_parent_class)->map (widget);

  follow_client (self);
  /* Fresh every time the desk looks. */
  start_loading (self);
}

static void
co_reissues_page_dispose (GObject *object)
{
  CoReissuesPage *self = CO_REISSUES_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, on_client_signed_in_cb, self);
  g_clear_object (&self->client);

  gtk_widget_dispose_template (GTK_WIDGET (object), CO_TYPE_REISSUES_PAGE);
  /* The template's root box is not a struct field. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->reissues);
  g_clear_pointer (&self->due, g_hash_table_unref);
  g_clear_pointer (&self->loading, g_ptr_array_unref);
  g_clear_pointer (&self->arriving, g_hash_table_unref);
  g_clear_pointer (&self->arrived, g_hash_table_unref);
  g_clear_object (&self->calendar);

  G_OBJECT_CLASS (co_reissues_page_parent_class)->dispose (object);
}

static void
co_reissues_page_class_init (CoReissuesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_reissues_page_dispose;
  widget_class->map = co_reissues_page_map;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-reissues-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CoReissuesPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CoReissuesPage, overdue_label);
  gtk_widget_class_bind_template_child (widget_class, CoReissuesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CoReissuesPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, CoReissuesPage, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, CoReissuesPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, CoReissuesPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CoReissuesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CoReissuesPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, CoReissuesPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, CoReissuesPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, CoReissuesPage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_status_dropdown_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate_cb);

  gtk_widget_class_install_action (widget_class, "reissues.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "reissues.export-pickup", NULL, export_pickup_action);
}

static void
co_reissues_page_init (CoReissuesPage *self)
{
  g_autoptr(GtkStringList) choices = NULL;
  g_autofree char *holidays = NULL;
  g_autoptr(GError) error = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_date_clear (&self->today, 1);
  self->open_only = TRUE;
  self->status = CO_REISSUE_STATUS_NONE;
  self->reissues = g_list_store_new (CO_TYPE_REISSUE);
  self->due = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  holidays = co_data_find_file ("holidays.ini");
  if (holidays != NULL)
    self->calendar = co_calendar_new_from_file (holidays, &error);
  if (self->calendar == NULL)
    {
      if (error != NULL)
        g_warning ("The holiday calendar cannot be read, counting weekends only: %s", error->message);
      self->calendar = co_calendar_new ();
    }

  choices = gtk_string_list_new (NULL);
  gtk_string_list_append (choices, _("All Open"));
  gtk_string_list_append (choices, _("All"));
  for (int status = CO_REISSUE_STATUS_PENDING_PAYMENT; status <= CO_REISSUE_STATUS_WITHDRAWN; status++)
    gtk_string_list_append (choices, co_reissue_status_to_text (status));
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (choices));
  gtk_drop_down_set_selected (self->status_dropdown, CO_REISSUES_FILTER_OPEN);

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->reissues)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (update_labels),
                           self, G_CONNECT_SWAPPED);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  add_column (self, COLUMN_NAME, _("Name"), TRUE);
  add_column (self, COLUMN_EDU_ID, _("Education ID"), FALSE);
  add_column (self, COLUMN_CLASS, _("Class"), FALSE);
  add_column (self, COLUMN_STATUS, _("Status"), FALSE);
  add_column (self, COLUMN_DELIVERY, _("Delivery"), FALSE);
  add_column (self, COLUMN_APPLIED, _("Applied"), FALSE);
  add_column (self, COLUMN_PAID, _("Paid"), FALSE);
  add_column (self, COLUMN_DUE, _("Due"), FALSE);
  add_column (self, COLUMN_COURIER_NO, _("Courier No."), FALSE);

  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), FALSE);
  update_view (self);
}

/* Public API */

void
co_reissues_page_reload (CoReissuesPage *self)
{
  g_return_if_fail (CO_IS_REISSUES_PAGE (self));

  follow_client (self);
  start_loading (self);
}

gboolean
co_reissues_page_get_loading (CoReissuesPage *self)
{
  g_return_val_if_fail (CO_IS_REISSUES_PAGE (self), FALSE);

  return self->cancellable != NULL;
}

void
co_reissues_page_set_filter (CoReissuesPage *self,
                             int             status,
                             gboolean        open_only)
{
  guint selected;

  g_return_if_fail (CO_IS_REISSUES_PAGE (self));
  g_return_if_fail (status >= CO_REISSUE_STATUS_NONE && status <= CO_REISSUE_STATUS_WITHDRAWN);

  if (open_only)
    selected = CO_REISSUES_FILTER_OPEN;
  else if (status == CO_REISSUE_STATUS_NONE)
    selected = CO_REISSUES_FILTER_ALL;
  else
    selected = CO_REISSUES_FILTER_STATUS + status - 1;

  gtk_drop_down_set_selected (self->status_dropdown, selected);
}

GListModel *
co_reissues_page_get_rows (CoReissuesPage *self)
{
  g_return_val_if_fail (CO_IS_REISSUES_PAGE (self), NULL);

  return G_LIST_MODEL (self->filter_model);
}

guint
co_reissues_page_get_n_loaded (CoReissuesPage *self)
{
  g_return_val_if_fail (CO_IS_REISSUES_PAGE (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->reissues));
}

gboolean
co_reissues_page_is_overdue (CoReissuesPage *self,
                             gpointer        reissue)
{
  DueInfo *info;

  g_return_val_if_fail (CO_IS_REISSUES_PAGE (self), FALSE);

  info = g_hash_table_lookup (self->due, reissue);
  return info != NULL && info->overdue;
}

guint
co_reissues_page_get_n_overdue (CoReissuesPage *self)
{
  g_return_val_if_fail (CO_IS_REISSUES_PAGE (self), 0);

  return self->n_overdue;
}

void
co_reissues_page_set_today (CoReissuesPage *self,
                            const GDate    *today)
{
  g_return_if_fail (CO_IS_REISSUES_PAGE (self));
  g_return_if_fail (today == NULL || g_date_valid (today));

  if (today != NULL)
    self->today = *today;
  else
    g_date_clear (&self->today, 1);

  compute_due (self);
  /* Rebind the rows so the marks follow. */
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  if (self->loaded)
    update_view (self);
}

int
co_reissues_page_export_pickup (CoReissuesPage *self,
                                GFile          *file,
                                GError        **error)
{
  const char * const header[] = {
    _("Name"), _("Education ID"), _("Class"), _("Transit Card No."),
    _("Arrived at School"), _("Applied"), _("Paid"), _("Due"), NULL,
  };
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *path = NULL;
  guint n;

  g_return_val_if_fail (CO_IS_REISSUES_PAGE (self), -1);
  g_return_val_if_fail (G_IS_FILE (file), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (!(path = g_file_get_path (file)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Choose a folder on this computer."));
      return -1;
    }

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->reissues));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoReissue) reissue = g_list_model_get_item (G_LIST_MODEL (self->reissues), i);
      g_autoptr(CoStudent) student = NULL;
      DueInfo *info;
      char **row;

      if (co_reissue_get_status (reissue) != CO_REISSUE_STATUS_AWAITING_PICKUP)
        continue;

      student = lookup_student (self, reissue);
      info = g_hash_table_lookup (self->due, reissue);
      row = g_new0 (char *, 9);
      row[0] = g_strdup (nonnull (student ? co_student_get_name (student) : NULL));
      row[1] = g_strdup (nonnull (co_reissue_get_edu_id (reissue)));
      row[2] = student ? class_text (student) : g_strdup ("");
      row[3] = g_strdup (nonnull (student ? co_student_get_card_no (student) : NULL));
      row[4] = g_strdup (self->arrived != NULL
                         ? nonnull (g_hash_table_lookup (self->arrived, co_reissue_get_edu_id (reissue)))
                         : "");
      row[5] = rfc3339_day_text (co_reissue_get_created_at (reissue));
      row[6] = rfc3339_day_text (co_reissue_get_paid_at (reissue));
      row[7] = day_text (info ? &info->due : NULL);
      g_ptr_array_add (rows, row);
    }

  if (!co_csv_write_file (path, header, rows, error))
    return -1;

  return (int) rows->len;
}
