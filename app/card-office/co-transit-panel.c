/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The transit company answers each card on its own: the panel keeps
 * CO_TRANSIT_PANEL_PARALLEL queries in flight, shows how far it is, and
 * lists the invalid cards as they come. Each invalid card the transit
 * company turned down (transit_rejected) gets a note and a 审核确认 button.
 */
#define G_LOG_DOMAIN "co-transit-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "co-application.h"
#include "co-transit-item.h"
#include "co-transit-panel.h"

typedef struct
{
  int   grade;
  char *class_name;  /* NULL: the whole grade */
} Scope;

struct _CoTransitPanel
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkBox         *main_box;
  GtkDropDown    *scope_dropdown;
  GtkStringList  *scope_list;
  GtkButton      *check_button;
  GtkButton      *cancel_button;
  GtkProgressBar *progress_bar;
  GtkLabel       *status_label;
  GtkColumnView  *invalid_view;

  /* Owned references */
  CoStore        *store;
  GArray         *scopes;      /* Scope, as in scope_list */
  GListStore     *invalid;     /* CoTransitItem */
  GPtrArray      *queue;       /* CoStudent to query */
  GCancellable   *cancellable;
  guint           next;
  guint           n_in_flight;
  guint           n_done;
  guint           n_failed;
  gboolean        stopped;     /* by the user or a network error */
  char           *stop_reason;
};

G_DEFINE_FINAL_TYPE (CoTransitPanel, co_transit_panel, GTK_TYPE_WIDGET)

/* Helpers */

static void
scope_clear (Scope *scope)
{
  g_clear_pointer (&scope->class_name, g_free);
}

static const char *
transit_reason_to_text (CoTransitReason reason)
{
  switch (reason)
    {
    case CO_TRANSIT_REASON_CARD_NOT_ISSUED:
      return _("The card has not been handed out yet (未发卡).");
    case CO_TRANSIT_REASON_CARD_REPORTED_LOST:
      return _("The card is reported lost.");
    case CO_TRANSIT_REASON_CARD_CANCELLED:
      return _("The card is cancelled: a new card replaced it.");
    case CO_TRANSIT_REASON_EXPIRED:
      return _("The card is past its validity date.");
    case CO_TRANSIT_REASON_NOT_SYNCED:
      return _("The card was issued less than 24 hours ago: the transit company has not received it yet. Top it up later.");
    case CO_TRANSIT_REASON_TRANSIT_REJECTED:
      return _("The transit company turned the card down: the card office must review it.");
    case CO_TRANSIT_REASON_NONE:
    default:
      return "";
    }
}

static char *
client_error_to_text (const GError *error)
{
  if (error->domain == CO_CLIENT_ERROR)
    switch (error->code)
      {
      case CO_CLIENT_ERROR_NETWORK:
      case CO_CLIENT_ERROR_TIMEOUT:
        return g_strdup (_("The server cannot be reached. Check the network and the server address in Preferences."));
      case CO_CLIENT_ERROR_UNAUTHORIZED:
        return g_strdup (_("Your session has expired. Sign in again to finish what you were doing."));
      case CO_CLIENT_ERROR_SERVER:
      case CO_CLIENT_ERROR_THROTTLED:
        return g_strdup (_("The server has a problem. Try again later."));
      case CO_CLIENT_ERROR_CONFLICT:
        return g_strdup (_("The transit company has not turned this card down: there is nothing to review."));
      case CO_CLIENT_ERROR_NOT_FOUND:
        return g_strdup (_("The central platform does not know this card."));
      default:
        break;
      }
  return g_strdup (_("The server gave an answer Card Office does not understand. Check the server address in Preferences."));
}

static CoClient *
get_client (CoTransitPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  return CO_IS_APPLICATION (app) ? co_application_get_client (CO_APPLICATION (app)) : NULL;
}

static int
compare_scope (gconstpointer a,
               gconstpointer b)
{
  const Scope *sa = a, *sb = b;

  if (sa->grade != sb->grade)
    return sa->grade < sb->grade ? -1 : 1;
  if (sa->class_name == NULL || sb->class_name == NULL)
    return sa->class_name == NULL ? (sb->class_name == NULL ? 0 : -1) : 1;
  return g_utf8_collate (sa->class_name, sb->class_name);
}

/* Grades and classes as the roster has them. */
static void
rebuild_scopes (CoTransitPanel *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) scopes = g_array_new (FALSE, TRUE, sizeof (Scope));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  GListModel *students;
  guint n;

  if (self->store == NULL || self->queue != NULL)
    return;

  students = co_store_get_students (self->store);
  n = g_list_model_get_n_items (students);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoStudent) student = g_list_model_get_item (students, i);
      int grade = co_student_get_grade (student);
      const char *class_name = co_student_get_class_name (student);
      g_autofree char *grade_key = g_strdup_printf ("%d", grade);
      g_autofree char *class_key = g_strdup_printf ("%d\t%s", grade, class_name ? class_name : "");

      if (!g_hash_table_contains (seen, grade_key))
        {
          Scope scope = { grade, NULL };

          g_array_append_val (scopes, scope);
          g_hash_table_add (seen, g_steal_pointer (&grade_key));
        }
      if (class_name != NULL && !g_hash_table_contains (seen, class_key))
        {
          Scope scope = { grade, g_strdup (class_name) };

          g_array_append_val (scopes, scope);
          g_hash_table_add (seen, g_steal_pointer (&class_key));
        }
    }
  g_array_sort (scopes, compare_scope);

  for (guint i = 0; i < scopes->len; i++)
    {
      Scope *scope = &g_array_index (scopes, Scope, i);

      g_ptr_array_add (texts, scope->class_name == NULL
                              ? g_strdup_printf (_("Grade %d"), scope->grade)
                              : g_strdup_printf (_("Grade %d, %s"), scope->grade, scope->class_name));
    }
  g_ptr_array_add (texts, NULL);

  g_array_set_clear_func (scopes, (GDestroyNotify) scope_clear);
  g_clear_pointer (&self->scopes, g_array_unref);
  self->scopes = g_steal_pointer (&scopes);
  gtk_string_list_splice (self->scope_list, 0, g_list_model_get_n_items (G_LIST_MODEL (self->scope_list)),
                          (const char * const *) texts->pdata);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transit.check", self->scopes->len > 0);
}

static void
take_application_store (CoTransitPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app;
  CoStore *store;
  g_autoptr(GError) error = NULL;

  if (self->store != NULL || !GTK_IS_WINDOW (root))
    return;
  app = gtk_window_get_application (GTK_WINDOW (root));
  if (!CO_IS_APPLICATION (app))
    return;
  if (!(store = co_application_get_store (CO_APPLICATION (app), &error)))
    {
      g_warning ("No store for the transit check: %s", error->message);
      return;
    }

  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed", G_CALLBACK (rebuild_scopes), self, G_CONNECT_SWAPPED);
  rebuild_scopes (self);
}

static void
update_status (CoTransitPanel *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_total = self->queue != NULL ? self->queue->len : 0;
  gboolean running = self->n_in_flight > 0;

  gtk_progress_bar_set_fraction (self->progress_bar, n_total > 0 ? (double) self->n_done / n_total : 0.0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transit.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transit.check", !running && self->scopes != NULL &&
                                 self->scopes->len > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scope_dropdown), !running);

  if (self->queue == NULL)
    return;
  /* Translators: cards queried so far, of all; then the invalid ones (无效卡) */
  g_string_printf (text, _("%u of %u cards checked, %u invalid."), self->n_done, n_total,
                   g_list_model_get_n_items (G_LIST_MODEL (self->invalid)));
  if (self->n_failed > 0)
    {
      g_string_append_c (text, ' ');
      /* Translators: cards the server could not answer for */
      g_string_append_printf (text, _("%u cards could not be checked."), self->n_failed);
    }
  if (!running && self->stopped)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, self->stop_reason ? self->stop_reason : _("Stopped."));
    }
  gtk_label_set_label (self->status_label, text->str);
}

static void query_next (CoTransitPanel *self);

typedef struct
{
  CoTransitPanel *self;
  CoStudent      *student;
} Query;

static void
query_free (Query *query)
{
  g_object_unref (query->self);
  g_object_unref (query->student);
  g_free (query);
}

static void
validity_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Query *query = user_data;
  CoTransitPanel *self = query->self;
  g_autoptr(CoTransitValidity) validity = NULL;
  g_autoptr(GError) error = NULL;

  validity = co_client_get_transit_validity_finish (CO_CLIENT (object), result, &error);
  self->n_in_flight--;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ;
  else if (error != NULL)
    {
      self->n_done++;
      self->n_failed++;
      /* Codes only: a message may name the card. */
      g_debug ("Transit query failed: %s %d", g_quark_to_string (error->domain), error->code);
      /* Not worth going on without the server; one card unknown is. */
      if (!g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND))
        {
          self->stopped = TRUE;
          g_free (self->stop_reason);
          self->stop_reason = client_error_to_text (error);
          g_cancellable_cancel (self->cancellable);
        }
    }
  else
    {
      self->n_done++;
      if (!validity->valid)
        {
          g_autoptr(CoTransitItem) item = co_transit_item_new (query->student, validity);

          g_list_store_append (self->invalid, item);
        }
    }

  if (!g_cancellable_is_cancelled (self->cancellable))
    query_next (self);
  update_status (self);
  query_free (query);
}

static void
query_next (CoTransitPanel *self)
{
  CoClient *client = get_client (self);

  while (client != NULL && self->n_in_flight < CO_TRANSIT_PANEL_PARALLEL && self->next < self->queue->len)
    {
      Query *query = g_new0 (Query, 1);

      query->self = g_object_ref (self);
      query->student = g_object_ref (g_ptr_array_index (self->queue, self->next++));
      self->n_in_flight++;
      co_client_get_transit_validity_async (client, co_student_get_card_no (query->student),
                                            self->cancellable, validity_cb, query);
    }
}

/* Cells */

static CoTransitItem *
list_item_transit (GtkListItem *item)
{
  return CO_TRANSIT_ITEM (gtk_list_item_get_item (item));
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (item, label);
}

enum { COLUMN_EDU_ID, COLUMN_NAME, COLUMN_CLASS, COLUMN_CARD_NO, COLUMN_REASON };

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  CoTransitItem *transit = list_item_transit (item);
  CoStudent *student = co_transit_item_get_student (transit);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;

  switch (GPOINTER_TO_INT (user_data))
    {
    case COLUMN_EDU_ID: text = g_strdup (co_student_get_edu_id (student)); break;
    case COLUMN_NAME: text = g_strdup (co_student_get_name (student)); break;
    case COLUMN_CLASS:
      text = g_strdup_printf (_("Grade %d, %s"), co_student_get_grade (student),
                              co_student_get_class_name (student) ? co_student_get_class_name (student) : "");
      break;
    case COLUMN_CARD_NO: text = g_strdup (co_transit_item_get_validity (transit)->card_no); break;
    case COLUMN_REASON:
    default:
      text = g_strdup (transit_reason_to_text (co_transit_item_get_validity (transit)->reason));
      break;
    }
  gtk_label_set_label (label, text);
}

static void review_item (CoTransitPanel *self,
                         CoTransitItem  *item);

static void
on_review_button_clicked_cb (GtkButton   *button,
                             GtkListItem *list_item)
{
  CoTransitPanel *self = CO_TRANSIT_PANEL (gtk_widget_get_ancestor (GTK_WIDGET (button), CO_TYPE_TRANSIT_PANEL));
  CoTransitItem *item = gtk_list_item_get_item (list_item);

  if (self != NULL && item != NULL)
    review_item (self, item);
}

static void
on_note_changed_cb (GtkEditable *entry,
                    GtkListItem *list_item)
{
  CoTransitItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL && g_object_get_data (G_OBJECT (entry), "co-binding") == NULL)
    co_transit_item_set_note (item, gtk_editable_get_text (entry));
}

static void
setup_review_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *entry = gtk_entry_new ();
  /* Translators: 审核确认: the card office confirms it reviewed the card */
  GtkWidget *button = gtk_button_new_with_label (_("Review and Confirm"));
  GtkWidget *label = gtk_label_new (NULL);

  /* Translators: placeholder of the note that goes with a review */
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Note"));
  gtk_entry_set_max_length (GTK_ENTRY (entry), 200);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  g_signal_connect (entry, "changed", G_CALLBACK (on_note_changed_cb), item);
  g_signal_connect (button, "clicked", G_CALLBACK (on_review_button_clicked_cb), item);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), button);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
update_review_cell (GtkWidget     *box,
                    CoTransitItem *transit)
{
  GtkWidget *entry = gtk_widget_get_first_child (box);
  GtkWidget *button = gtk_widget_get_next_sibling (entry);
  GtkWidget *label = gtk_widget_get_last_child (box);
  const CoTransitValidity *validity = co_transit_item_get_validity (transit);
  gboolean can_review = validity->reason == CO_TRANSIT_REASON_TRANSIT_REJECTED && !validity->has_review;
  g_autofree char *text = NULL;

  if (validity->has_review)
    /* Translators: the card office's review (审核确认) done, with its note */
    text = g_strdup_printf (_("Reviewed and confirmed. %s"), validity->note ? validity->note : "");
  else if (co_transit_item_get_error (transit) != NULL)
    text = g_strdup (co_transit_item_get_error (transit));

  gtk_widget_set_visible (entry, can_review);
  gtk_widget_set_visible (button, can_review);
  gtk_widget_set_sensitive (button, !co_transit_item_get_busy (transit));
  gtk_widget_set_sensitive (entry, !co_transit_item_get_busy (transit));
  gtk_label_set_label (GTK_LABEL (label), text);
  gtk_widget_set_visible (label, text != NULL);
}

static void
bind_review_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  CoTransitItem *transit = list_item_transit (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *entry = gtk_widget_get_first_child (box);
  const char *note = co_transit_item_get_note (transit);

  g_object_set_data (G_OBJECT (entry), "co-binding", GINT_TO_POINTER (1));
  gtk_editable_set_text (GTK_EDITABLE (entry), note ? note : "");
  g_object_set_data (G_OBJECT (entry), "co-binding", NULL);
  update_review_cell (box, transit);
  g_signal_connect_object (transit, "changed", G_CALLBACK (update_review_cell), box, G_CONNECT_SWAPPED);
}

static void
unbind_review_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  CoTransitItem *transit = list_item_transit (item);

  if (transit != NULL)
    g_signal_handlers_disconnect_by_func (transit, update_review_cell, gtk_list_item_get_child (item));
}

static void
add_column (CoTransitPanel *self,
            const char     *title,
            GCallback       setup,
            GCallback       bind,
            GCallback       unbind,
            gpointer        user_data,
            gboolean        expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", setup, user_data);
  g_signal_connect (factory, "bind", bind, user_data);
  if (unbind != NULL)
    g_signal_connect (factory, "unbind", unbind, user_data);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->invalid_view, column);
}

/* Reviews */

typedef struct
{
  CoTransitPanel *self;
  CoTransitItem  *item;
} Review;

static void
review_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Review *review = user_data;
  g_autoptr(CoTransitValidity) validity = NULL;
  g_autoptr(GError) error = NULL;

  validity = co_client_review_transit_finish (CO_CLIENT (object), result, &error);
  co_transit_item_set_busy (review->item, FALSE);
  if (validity != NULL)
    {
      co_transit_item_set_error (review->item, NULL);
      co_transit_item_set_validity (review->item, validity);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = client_error_to_text (error);

      g_debug ("Transit review failed: %s %d", g_quark_to_string (error->domain), error->code);
      co_transit_item_set_error (review->item, text);
    }

  g_object_unref (review->self);
  g_object_unref (review->item);
  g_free (review);
}

static void
review_item (CoTransitPanel *self,
             CoTransitItem  *item)
{
  CoClient *client = get_client (self);
  g_autofree char *key = g_uuid_string_random ();
  const char *note = co_transit_item_get_note (item);
  Review *review;

  if (client == NULL || co_transit_item_get_busy (item))
    return;

  review = g_new0 (Review, 1);
  review->self = g_object_ref (self);
  review->item = g_object_ref (item);
  co_transit_item_set_busy (item, TRUE);
  co_client_review_transit_async (client, co_transit_item_get_validity (item)->card_no,
                                  CO_TRANSIT_DECISION_CONFIRM,
                                  note != NULL && *note != '\0' ? note : NULL,
                                  key, NULL, review_cb, review);
}

/* Actions */

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CoTransitPanel *self = CO_TRANSIT_PANEL (widget);
  guint selected = gtk_drop_down_get_selected (self->scope_dropdown);
  GListModel *students;
  const Scope *scope;
  guint n;

  if (self->store == NULL || self->scopes == NULL || selected >= self->scopes->len || self->n_in_flight > 0)
    return;
  scope = &g_array_index (self->scopes, Scope, selected);

  g_clear_pointer (&self->queue, g_ptr_array_unref);
  self->queue = g_ptr_array_new_with_free_func (g_object_unref);
  students = co_store_get_students (self->store);
  n = g_list_model_get_n_items (students);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoStudent) student = g_list_model_get_item (students, i);
      const char *card_no = co_student_get_card_no (student);

      if (co_student_get_grade (student) == scope->grade &&
          (scope->class_name == NULL || g_strcmp0 (scope->class_name, co_student_get_class_name (student)) == 0) &&
          card_no != NULL && *card_no != '\0')
        g_ptr_array_add (self->queue, g_steal_pointer (&student));
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_list_store_remove_all (self->invalid);
  self->next = self->n_done = self->n_failed = 0;
  self->stopped = FALSE;
  g_clear_pointer (&self->stop_reason, g_free);

  query_next (self);
  update_status (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CoTransitPanel *self = CO_TRANSIT_PANEL (widget);

  if (self->n_in_flight == 0)
    return;
  self->stopped = TRUE;
  g_free (self->stop_reason);
  /* Translators: the transit check stopped by the user */
  self->stop_reason = g_strdup (_("Cancelled."));
  g_cancellable_cancel (self->cancellable);
}

/* GObject */

static void
co_transit_panel_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (co_transit_panel_parent_class)->map (widget);

  take_application_store (CO_TRANSIT_PANEL (widget));
}

static void
co_transit_panel_dispose (GObject *object)
{
  CoTransitPanel *self = CO_TRANSIT_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), CO_TYPE_TRANSIT_PANEL);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->invalid);
  g_clear_pointer (&self->queue, g_ptr_array_unref);
  g_clear_pointer (&self->scopes, g_array_unref);

  G_OBJECT_CLASS (co_transit_panel_parent_class)->dispose (object);
}

static void
co_transit_panel_finalize (GObject *object)
{
  CoTransitPanel *self = CO_TRANSIT_PANEL (object);

  g_clear_pointer (&self->stop_reason, g_free);

  G_OBJECT_CLASS (co_transit_panel_parent_class)->finalize (object);
}

static void
co_transit_panel_class_init (CoTransitPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_transit_panel_dispose;
  object_class->finalize = co_transit_panel_finalize;
  widget_class->map = co_transit_panel_map;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-transit-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CoTransitPanel, main_box);
  gtk_widget_class_bind_template_child (widget_class, CoTransitPanel, scope_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CoTransitPanel, scope_list);
  gtk_widget_class_bind_template_child (widget_class, CoTransitPanel, check_button);
  gtk_widget_class_bind_template_child (widget_class, CoTransitPanel, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CoTransitPanel, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CoTransitPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, CoTransitPanel, invalid_view);

  gtk_widget_class_install_action (widget_class, "transit.check", NULL, check_action);
  gtk_widget_class_install_action (widget_class, "transit.cancel", NULL, cancel_action);
}

static void
co_transit_panel_init (CoTransitPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->invalid = g_list_store_new (CO_TYPE_TRANSIT_ITEM);
  add_column (self, _("Education ID"), G_CALLBACK (setup_label_cb), G_CALLBACK (bind_label_cb), NULL,
              GINT_TO_POINTER (COLUMN_EDU_ID), FALSE);
  add_column (self, _("Name"), G_CALLBACK (setup_label_cb), G_CALLBACK (bind_label_cb), NULL,
              GINT_TO_POINTER (COLUMN_NAME), FALSE);
  add_column (self, _("Class"), G_CALLBACK (setup_label_cb), G_CALLBACK (bind_label_cb), NULL,
              GINT_TO_POINTER (COLUMN_CLASS), FALSE);
  /* Translators: 一卡通号 */
  add_column (self, _("Transit Card No."), G_CALLBACK (setup_label_cb), G_CALLBACK (bind_label_cb), NULL,
              GINT_TO_POINTER (COLUMN_CARD_NO), FALSE);
  /* Translators: a column: why the card is invalid (无效卡) */
  add_column (self, _("Why Invalid"), G_CALLBACK (setup_label_cb), G_CALLBACK (bind_label_cb), NULL,
              GINT_TO_POINTER (COLUMN_REASON), TRUE);
  /* Translators: a column: 审核确认 */
  add_column (self, _("Review"), G_CALLBACK (setup_review_cb), G_CALLBACK (bind_review_cb),
              G_CALLBACK (unbind_review_cb), NULL, TRUE);
  gtk_column_view_set_model (self->invalid_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->invalid)))));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transit.check", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transit.cancel", FALSE);
}

/* Public API */

gboolean
co_transit_panel_select (CoTransitPanel *self,
                         int             grade,
                         const char     *class_name)
{
  g_return_val_if_fail (CO_IS_TRANSIT_PANEL (self), FALSE);

  take_application_store (self);
  rebuild_scopes (self);
  for (guint i = 0; self->scopes != NULL && i < self->scopes->len; i++)
    {
      const Scope *scope = &g_array_index (self->scopes, Scope, i);

      if (scope->grade == grade && g_strcmp0 (scope->class_name, class_name) == 0)
        {
          gtk_drop_down_set_selected (self->scope_dropdown, i);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
co_transit_panel_get_running (CoTransitPanel *self)
{
  g_return_val_if_fail (CO_IS_TRANSIT_PANEL (self), FALSE);
  return self->n_in_flight > 0;
}

GListModel *
co_transit_panel_get_invalid (CoTransitPanel *self)
{
  g_return_val_if_fail (CO_IS_TRANSIT_PANEL (self), NULL);
  return G_LIST_MODEL (self->invalid);
}

void
co_transit_panel_get_progress (CoTransitPanel *self,
                               guint          *n_done,
                               guint          *n_total)
{
  g_return_if_fail (CO_IS_TRANSIT_PANEL (self));

  if (n_done)
    *n_done = self->n_done;
  if (n_total)
    *n_total = self->queue != NULL ? self->queue->len : 0;
}
