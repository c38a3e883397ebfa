/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Operation Log (操作日志): every operation made for this school, newest
 * first, filtered by student (education ID or name), staff, action and
 * days. Staff, action and an education ID are filtered by the server; a
 * name is looked up in the roster snapshot (one student: filtered by the
 * server; several: here); days are filtered here, and the paging stops at
 * the first entry older than the first day. The entries shown can be
 * exported as CSV for Excel.
 *
 * Bad dates are said next to the fields, which keep what was typed.
 */
#define G_LOG_DOMAIN "co-log-page"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "co-application.h"
#include "co-csv-writer.h"
#include "co-error-text.h"
#include "co-list-util.h"
#include "co-log-page.h"
#include "co-reason-text.h"

#define PAGE_LIMIT  500
#define MAX_ENTRIES 20000

typedef enum
{
  COLUMN_TIME,
  COLUMN_STAFF,
  COLUMN_ACTION,
  COLUMN_NAME,
  COLUMN_EDU_ID,
  COLUMN_CHANGES,
} Column;

static const struct
{
  const char *action;
  const char *text;
} actions[] = {
  { "report_loss",       N_("Report lost") },
  { "lift_loss",         N_("Lift loss report") },
  { "apply_reissue",     N_("Apply for reissue") },
  { "request_payment",   N_("Payment code") },
  { "pay",               N_("Pay") },
  { "refund",            N_("Refund") },
  { "withdraw",          N_("Withdraw application") },
  { "start_production",  N_("Start production") },
  { "finish_production", N_("Production finished") },
  { "hand_out",          N_("Collect card") },
  { "confirm_delivery",  N_("Delivered home") },
  { "issue_card",        N_("Issue card") },
  { "new_card",          N_("New card") },
  { "sticker",           N_("Card sticker") },
  { "correct",           N_("Correction") },
  { "put_photo",         N_("New photo") },
  { "transit_review",    N_("Review and confirm") },
  { "check_in",          N_("Verification") },
  { "login",             N_("Sign in") },
  { "logout",            N_("Sign out") },
};

struct _CoLogPage
{
  GtkWidget           parent_instance;

  /* Template widgets */
  GtkEntry           *student_entry;
  GtkEntry           *staff_entry;
  GtkDropDown        *action_dropdown;
  GtkEntry           *from_entry;
  GtkEntry           *to_entry;
  GtkButton          *search_button;
  GtkSpinner         *spinner;
  GtkButton          *export_button;
  GtkRevealer        *error_revealer;
  GtkLabel           *error_label;
  GtkStack           *stack;
  GtkColumnView      *column_view;
  AdwStatusPage      *status_page;
  GtkButton          *sign_in_button;
  GtkLabel           *count_label;

  /* Owned references */
  GListStore         *entries;      /* CoAuditEntry shown */
  GCancellable       *cancellable;
  GPtrArray          *loading;
  GHashTable         *edu_ids;      /* name search: the students it matches, or NULL */
  GtkFileChooserNative *chooser;
  CoClient           *client;

  /* The search being loaded */
  GDate               from;         /* invalid: no limit */
  GDate               to;
  char               *edu_id;
  char               *staff;
  char               *action;
  guint               truncated : 1;
  guint               searched : 1;
};

G_DEFINE_FINAL_TYPE (CoLogPage, co_log_page, GTK_TYPE_WIDGET)

/* Helpers */

static const char *
nonnull (const char *text)
{
  return text != NULL ? text : "";
}

static GDateTime *
local_time (const char *rfc3339)
{
  g_autoptr(GDateTime) dt = NULL;

  if (rfc3339 == NULL || !(dt = g_date_time_new_from_iso8601 (rfc3339, NULL)))
    return NULL;
  return g_date_time_to_local (dt);
}

static char *
time_text (const char *rfc3339)
{
  g_autoptr(GDateTime) local = local_time (rfc3339);

  if (local == NULL)
    return g_strdup (nonnull (rfc3339));
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

/* -1: before @from, 1: after @to, 0: inside (or no time). */
static int
compare_range (CoLogPage    *self,
               CoAuditEntry *entry)
{
  g_autoptr(GDateTime) local = local_time (co_audit_entry_get_at (entry));
  GDate day;

  if (local == NULL)
    return 0;
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  if (g_date_valid (&self->from) && g_date_compare (&day, &self->from) < 0)
    return -1;
  if (g_date_valid (&self->to) && g_date_compare (&day, &self->to) > 0)
    return 1;
  return 0;
}

/* YYYY-MM-DD, strictly; "" leaves @out invalid and is fine. */
static gboolean
parse_day (const char *text,
           GDate      *out)
{
  guint y, m, d;
  char end;

  g_date_clear (out, 1);
  if (text == NULL || *text == '\0')
    return TRUE;
  if (sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &end) != 3 || strlen (text) != 10)
    return FALSE;
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

static gboolean
is_edu_id (const char *text)
{
  if (strlen (text) != 8)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static CoApplication *
get_application (CoLogPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app;

  if (!GTK_IS_WINDOW (root) || !(app = gtk_window_get_application (GTK_WINDOW (root))) ||
      !CO_IS_APPLICATION (app))
    return NULL;
  return CO_APPLICATION (app);
}

static CoStore *
get_store (CoLogPage *self)
{
  CoApplication *app = get_application (self);

  return app != NULL ? co_application_get_store (app, NULL) : NULL;
}

static CoClient *
get_client (CoLogPage *self)
{
  CoApplication *app = get_application (self);

  return app != NULL ? co_application_get_client (app) : NULL;
}

static char *
student_name (CoLogPage  *self,
              const char *edu_id)
{
  CoStore *store;
  g_autoptr(CoStudent) student = NULL;

  if (edu_id == NULL || !(store = get_store (self)))
    return g_strdup ("");
  student = co_store_lookup_student (store, edu_id);
  return g_strdup (student ? nonnull (co_student_get_name (student)) : "");
}

static const char *
member_text (JsonNode   *node,
             const char *object,
             const char *member)
{
  JsonObject *o;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  o = json_node_get_object (node);
  if (object != NULL)
    {
      JsonNode *inner = json_object_get_member (o, object);

      if (inner == NULL || !JSON_NODE_HOLDS_OBJECT (inner))
        return NULL;
      o = json_node_get_object (inner);
    }
  if (!json_object_has_member (o, member) || json_object_get_null_member (o, member))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (json_object_get_member (o, member)) &&
      json_node_get_value_type (json_object_get_member (o, member)) == G_TYPE_STRING)
    return json_object_get_string_member (o, member);
  return NULL;
}

static const char *
card_status_text (const char *wire)
{
  int value;

  if (wire == NULL || !co_enum_from_wire (CO_TYPE_CARD_STATUS, wire, &value))
    return wire;
  return co_card_status_to_text (value);
}

static const char *
reissue_status_text (const char *wire)
{
  int value = CO_REISSUE_STATUS_NONE;

  if (wire != NULL && !co_enum_from_wire (CO_TYPE_REISSUE_STATUS, wire, &value))
    return wire;
  return co_reissue_status_to_text (value);
}

static void
add_change (GString    *out,
            const char *what,
            const char *before,
            const char *after)
{
  if (g_strcmp0 (before, after) == 0)
    return;
  if (out->len > 0)
    /* Translators: between two changes of one operation */
    g_string_append (out, _("; "));
  /* Translators: a field of the student, its value before and after an operation */
  g_string_append_printf (out, _("%s: %s → %s"), what,
                          before != NULL ? before : C_("no value", "none"),
                          after != NULL ? after : C_("no value", "none"));
}

static void
set_loading (CoLogPage *self,
             gboolean   loading)
{
  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_button), !loading);
}

static void
show_status (CoLogPage  *self,
             const char *icon,
             const char *title,
             const char *description,
             gboolean    sign_in)
{
  adw_status_page_set_icon_name (self->status_page, icon);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button), sign_in);
  gtk_stack_set_visible_child_name (self->stack, "status");
}

static void
show_message (CoLogPage  *self,
              const char *text)
{
  gtk_label_set_text (self->error_label, nonnull (text));
  gtk_revealer_set_reveal_child (self->error_revealer, text != NULL);
}

static void
update_view (CoLogPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  g_autofree char *count = NULL;

  if (self->truncated)
    count = g_strdup_printf (_("The newest %u entries; narrow the search to see older ones."), n);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry", "%u entries", n), n);
  gtk_label_set_text (self->count_label, count);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), n > 0);

  if (n > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else
    show_status (self, "document-open-recent-symbolic", _("No Operations Found"),
                 _("No operation matches the search."), FALSE);
}

static void fetch_page (CoLogPage  *self,
                        const char *cursor);

static void
finish_loading (CoLogPage *self)
{
  g_clear_object (&self->cancellable);
  g_list_store_splice (self->entries, 0, g_list_model_get_n_items (G_LIST_MODEL (self->entries)),
                       self->loading->pdata, self->loading->len);
  g_clear_pointer (&self->loading, g_ptr_array_unref);
  set_loading (self, FALSE);
  show_message (self, NULL);
  update_view (self);
}

/* Callbacks */

static void
list_audit_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CoLogPage) self = user_data;
  g_autoptr(GListModel) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  gboolean older = FALSE;
  guint n;

  page = co_client_list_audit_finish (CO_CLIENT (object), result, &next, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (page == NULL)
    {
      g_autofree char *text = co_error_to_text (error);

      g_debug ("Listing the log failed: %s", error->message);
      g_clear_object (&self->cancellable);
      g_clear_pointer (&self->loading, g_ptr_array_unref);
      set_loading (self, FALSE);
      if (g_list_model_get_n_items (G_LIST_MODEL (self->entries)) == 0)
        {
          show_message (self, NULL);
          show_status (self, "network-error-symbolic", _("The Log Cannot Be Loaded"), text,
                       g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_UNAUTHORIZED));
        }
      else
        show_message (self, text);
      return;
    }

  n = g_list_model_get_n_items (page);
  for (guint i = 0; i < n && !older; i++)
    {
      g_autoptr(CoAuditEntry) entry = g_list_model_get_item (page, i);
      int where = compare_range (self, entry);

      if (where < 0)
        older = TRUE;  /* newest first: every later one is older still */
      else if (where == 0 &&
               (self->edu_ids == NULL ||
                g_hash_table_contains (self->edu_ids, nonnull (co_audit_entry_get_edu_id (entry)))))
        g_ptr_array_add (self->loading, g_steal_pointer (&entry));
    }

  if (self->loading->len >= MAX_ENTRIES)
    {
      self->truncated = TRUE;
      g_ptr_array_set_size (self->loading, MAX_ENTRIES);
      finish_loading (self);
      return;
    }

  if (!older && next != NULL && *next != '\0' && n > 0)
    {
      fetch_page (self, next);
      return;
    }

  finish_loading (self);
}

static void
fetch_page (CoLogPage  *self,
            const char *cursor)
{
  co_client_list_audit_async (get_client (self), self->edu_id, self->staff, self->action, cursor,
                              PAGE_LIMIT, self->cancellable, list_audit_cb, g_object_ref (self));
}

static void
on_client_signed_in_cb (CoLogPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    co_log_page_search (self);
}

static void
follow_client (CoLogPage *self)
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
on_entry_activate_cb (CoLogPage *self)
{
  co_log_page_search (self);
}

static void
on_column_view_activate_cb (CoLogPage *self,
                            guint      position)
{
  g_autoptr(CoAuditEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), position);

  if (entry == NULL || co_audit_entry_get_edu_id (entry) == NULL)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-student", "s",
                              co_audit_entry_get_edu_id (entry));
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CoLogPage                *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  CoAuditEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;

  switch (column)
    {
    case COLUMN_TIME:
      text = time_text (co_audit_entry_get_at (entry));
      break;
    case COLUMN_STAFF:
      text = g_strdup (nonnull (co_audit_entry_get_staff (entry)));
      break;
    case COLUMN_ACTION:
      text = g_strdup (co_log_action_to_text (co_audit_entry_get_action (entry)));
      break;
    case COLUMN_NAME:
      text = student_name (self, co_audit_entry_get_edu_id (entry));
      break;
    case COLUMN_EDU_ID:
      text = g_strdup (nonnull (co_audit_entry_get_edu_id (entry)));
      break;
    case COLUMN_CHANGES:
      text = co_log_describe_changes (co_audit_entry_get_before (entry),
                                      co_audit_entry_get_after (entry));
      gtk_widget_set_tooltip_text (label, text);
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_text (GTK_LABEL (label), text);
}

static void
add_column (CoLogPage  *self,
            Column      column,
            const char *title,
            gboolean    expand)
{
  co_column_view_append_text_column (self->column_view, title, expand, column,
                                     G_CALLBACK (bind_cell_cb), self);
}

static void
on_chooser_response_cb (GtkNativeDialog *dialog,
                        int              response,
                        CoLogPage       *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  int n;

  if (response != GTK_RESPONSE_ACCEPT || !(file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))))
    return;

  n = co_log_page_export (self, file, &error);
  if (n < 0)
    {
      g_debug ("Saving the log failed: %s", error->message);
      show_message (self, _("The list cannot be saved there. Choose another folder."));
      return;
    }

  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d entry saved.",
                                                          "%d entries saved.", n), n);
    gtk_label_set_text (self->count_label, text);
  }
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CoLogPage *self = CO_LOG_PAGE (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = NULL;

  if (self->chooser == NULL)
    self->chooser = co_csv_save_chooser_new (widget, _("Export Operation Log"),
                                             G_CALLBACK (on_chooser_response_cb), self);

  /* Translators: the file name proposed for the exported log; %s is the date */
  name = g_strdup_printf (_("log-%s.csv"), day);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  co_log_page_search (CO_LOG_PAGE (widget));
}

/* GObject overrides */

static void
co_log_page_map (GtkWidget *widget)
{
  CoLogPage *self = CO_LOG_PAGE (widget);

  GTK_WIDGET_CLASS (co_log_page_parent_class)->map (widget);

  follow_client (self);
  co_log_page_search (self);
}

static void
co_log_page_dispose (GObject *object)
{
  CoLogPage *self = CO_LOG_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, on_client_signed_in_cb, self);
  g_clear_object (&self->client);

  gtk_widget_dispose_template (GTK_WIDGET (object), CO_TYPE_LOG_PAGE);
  /* The template's root box is not a struct field. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->entries);
  g_clear_pointer (&self->loading, g_ptr_array_unref);
  g_clear_pointer (&self->edu_ids, g_hash_table_unref);
  g_clear_pointer (&self->edu_id, g_free);
  g_clear_pointer (&self->staff, g_free);
  g_clear_pointer (&self->action, g_free);

  G_OBJECT_CLASS (co_log_page_parent_class)->dispose (object);
}

static void
co_log_page_class_init (CoLogPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_log_page_dispose;
  widget_class->map = co_log_page_map;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-log-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CoLogPage, student_entry);
  gtk_widget_class_bind_template_child (widget_class, CoLogPage, staff_entry);
  gtk_widget_class_bind_template_child (widget_class, CoLogPage, action_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CoLogPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, CoLogPage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, CoLogPage, search_button);
  gtk_widget_class_bind_template_child (widget_class, CoLogPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CoLogPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, CoLogPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, CoLogPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CoLogPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CoLogPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, CoLogPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, CoLogPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, CoLogPage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate_cb);

  gtk_widget_class_install_action (widget_class, "log.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "log.export", NULL, export_action);
}

static void
co_log_page_init (CoLogPage *self)
{
  g_autoptr(GtkStringList) choices = NULL;
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_date_clear (&self->from, 1);
  g_date_clear (&self->to, 1);
  self->entries = g_list_store_new (CO_TYPE_AUDIT_ENTRY);

  choices = gtk_string_list_new (NULL);
  gtk_string_list_append (choices, _("All Operations"));
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_string_list_append (choices, _(actions[i].text));
  gtk_drop_down_set_model (self->action_dropdown, G_LIST_MODEL (choices));

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->entries)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  add_column (self, COLUMN_TIME, _("Time"), FALSE);
  add_column (self, COLUMN_STAFF, _("Staff"), FALSE);
  add_column (self, COLUMN_ACTION, _("Operation"), FALSE);
  add_column (self, COLUMN_NAME, _("Name"), FALSE);
  add_column (self, COLUMN_EDU_ID, _("Education ID"), FALSE);
  add_column (self, COLUMN_CHANGES, _("Change"), TRUE);

  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), FALSE);
  show_status (self, "document-open-recent-symbolic", _("Operation Log"),
               _("Every loss report, reissue, refund, card handed out and correction is listed here."),
               FALSE);
}

/* Public API */

const char *
co_log_action_to_text (const char *action)
{
  for (guint i = 0; action != NULL && i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (action, actions[i].action))
      return _(actions[i].text);
  return nonnull (action);
}

char *
co_log_describe_changes (JsonNode *before,
                         JsonNode *after)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (before == NULL && after == NULL)
    return g_strdup ("");

  add_change (out, _("Name"), member_text (before, NULL, "name"), member_text (after, NULL, "name"));
  add_change (out, _("Class"), member_text (before, NULL, "class_name"),
              member_text (after, NULL, "class_name"));
  add_change (out, _("Card"), card_status_text (member_text (before, "card", "status")),
              card_status_text (member_text (after, "card", "status")));
  if (before != NULL && after != NULL)
    add_change (out, _("Reissue"), reissue_status_text (member_text (before, "reissue", "status")),
                reissue_status_text (member_text (after, "reissue", "status")));
  else if (member_text (after, "reissue", "status") != NULL)
    add_change (out, _("Reissue"), NULL, reissue_status_text (member_text (after, "reissue", "status")));
  if (before != NULL && after != NULL &&
      g_strcmp0 (member_text (before, NULL, "photo_etag"), member_text (after, NULL, "photo_etag")) != 0)
    {
      if (out->len > 0)
        g_string_append (out, _("; "));
      g_string_append (out, _("Photo replaced"));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
co_log_page_set_filter (CoLogPage  *self,
                        const char *student,
                        const char *staff,
                        const char *action,
                        const char *from,
                        const char *to)
{
  guint selected = 0;

  g_return_if_fail (CO_IS_LOG_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->student_entry), nonnull (student));
  gtk_editable_set_text (GTK_EDITABLE (self->staff_entry), nonnull (staff));
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), nonnull (from));
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), nonnull (to));
  for (guint i = 0; action != NULL && i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (action, actions[i].action))
      selected = i + 1;
  gtk_drop_down_set_selected (self->action_dropdown, selected);
}

void
co_log_page_search (CoLogPage *self)
{
  const char *student, *staff, *from, *to;
  CoClient *client;
  guint selected;
  gboolean bad = FALSE;

  g_return_if_fail (CO_IS_LOG_PAGE (self));

  follow_client (self);
  if (!(client = get_client (self)))
    return;

  if (!co_client_get_signed_in (client))
    {
      if (g_list_model_get_n_items (G_LIST_MODEL (self->entries)) == 0)
        show_status (self, "system-lock-screen-symbolic", _("Not Signed In"),
                     _("Sign in to see the operation log."), TRUE);
      return;
    }

  from = gtk_editable_get_text (GTK_EDITABLE (self->from_entry));
  to = gtk_editable_get_text (GTK_EDITABLE (self->to_entry));
  gtk_widget_remove_css_class (GTK_WIDGET (self->from_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->to_entry), "error");
  if (!parse_day (from, &self->from))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->from_entry), "error");
      bad = TRUE;
    }
  if (!parse_day (to, &self->to))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->to_entry), "error");
      bad = TRUE;
    }
  if (bad)
    {
      show_message (self, _("Write dates as year-month-day, for example 2026-03-02."));
      return;
    }
  if (g_date_valid (&self->from) && g_date_valid (&self->to) &&
      g_date_compare (&self->from, &self->to) > 0)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->to_entry), "error");
      show_message (self, _("The last day is before the first day."));
      return;
    }

  g_clear_pointer (&self->edu_id, g_free);
  g_clear_pointer (&self->staff, g_free);
  g_clear_pointer (&self->action, g_free);
  g_clear_pointer (&self->edu_ids, g_hash_table_unref);

  student = gtk_editable_get_text (GTK_EDITABLE (self->student_entry));
  if (is_edu_id (student))
    self->edu_id = g_strdup (student);
  else if (*student != '\0')
    {
      CoStore *store = get_store (self);
      GListModel *students = store != NULL ? co_store_get_students (store) : NULL;
      guint n = students != NULL ? g_list_model_get_n_items (students) : 0;
      g_autofree char *needle = g_utf8_casefold (student, -1);

      self->edu_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CoStudent) s = g_list_model_get_item (students, i);
          g_autofree char *name = g_utf8_casefold (nonnull (co_student_get_name (s)), -1);

          if (strstr (name, needle) != NULL)
            g_hash_table_add (self->edu_ids, g_strdup (co_student_get_edu_id (s)));
        }

      if (g_hash_table_size (self->edu_ids) == 0)
        {
          g_autofree char *description = NULL;

          description = g_strdup_printf (_("No student named “%s” is in the roster. Type a name or an education ID of 8 digits."),
                                         student);
          g_list_store_remove_all (self->entries);
          show_message (self, NULL);
          show_status (self, "system-search-symbolic", _("No Such Student"), description, FALSE);
          gtk_label_set_text (self->count_label, "");
          return;
        }
      if (g_hash_table_size (self->edu_ids) == 1)
        {
          GHashTableIter iter;
          gpointer key;

          g_hash_table_iter_init (&iter, self->edu_ids);
          g_hash_table_iter_next (&iter, &key, NULL);
          self->edu_id = g_strdup (key);
          g_clear_pointer (&self->edu_ids, g_hash_table_unref);
        }
    }

  staff = gtk_editable_get_text (GTK_EDITABLE (self->staff_entry));
  if (*staff != '\0')
    self->staff = g_strstrip (g_strdup (staff));
  selected = gtk_drop_down_get_selected (self->action_dropdown);
  if (selected > 0 && selected <= G_N_ELEMENTS (actions))
    self->action = g_strdup (actions[selected - 1].action);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->loading, g_ptr_array_unref);
  self->loading = g_ptr_array_new_with_free_func (g_object_unref);
  self->truncated = FALSE;
  self->searched = TRUE;

  set_loading (self, TRUE);
  fetch_page (self, NULL);
}

gboolean
co_log_page_get_loading (CoLogPage *self)
{
  g_return_val_if_fail (CO_IS_LOG_PAGE (self), FALSE);

  return self->cancellable != NULL;
}

GListModel *
co_log_page_get_rows (CoLogPage *self)
{
  g_return_val_if_fail (CO_IS_LOG_PAGE (self), NULL);

  return G_LIST_MODEL (self->entries);
}

int
co_log_page_export (CoLogPage  *self,
                    GFile      *file,
                    GError    **error)
{
  const char * const header[] = {
    _("Time"), _("Staff"), _("Operation"), _("Name"), _("Education ID"), _("Change"), NULL,
  };
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *path = NULL;
  guint n;

  g_return_val_if_fail (CO_IS_LOG_PAGE (self), -1);
  g_return_val_if_fail (G_IS_FILE (file), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (!(path = g_file_get_path (file)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not a local file");
      return -1;
    }

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoAuditEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);
      char **row = g_new0 (char *, 7);

      row[0] = time_text (co_audit_entry_get_at (entry));
      row[1] = g_strdup (nonnull (co_audit_entry_get_staff (entry)));
      row[2] = g_strdup (co_log_action_to_text (co_audit_entry_get_action (entry)));
      row[3] = student_name (self, co_audit_entry_get_edu_id (entry));
      row[4] = g_strdup (nonnull (co_audit_entry_get_edu_id (entry)));
      row[5] = co_log_describe_changes (co_audit_entry_get_before (entry),
                                        co_audit_entry_get_after (entry));
      g_ptr_array_add (rows, row);
    }

  if (!co_csv_write_file (path, header, rows, error))
    return -1;
  return (int) rows->len;
}
