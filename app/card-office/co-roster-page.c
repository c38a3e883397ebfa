/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Students (学生): the school's roster from the store in a column view,
 * sorted by name in pinyin order, with search as you type (name, pinyin,
 * initials, education ID, card numbers) and filters by stage, grade, class
 * and card status.
 *
 * 100,000 students: nothing per student happens on the main thread. A
 * worker thread reads the roster as plain rows through its own read-only
 * connection (co_store_roster_read ()), computes the pinyin sort keys,
 * sorts, and builds the CoSearchIndex; the main thread then shows the rows
 * through a CoStudentList, which holds education IDs only and asks the
 * store for the few students on screen. The window is usable meanwhile
 * (the page says it is loading). A query marks the matching rows; the
 * search and the filters are applied in one pass over the plain rows, so
 * the rows stay in name order (not by rank) and a row does not jump while
 * the user types.
 */
#define G_LOG_DOMAIN "co-roster-page"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "co-list-util.h"
#include "co-reason-text.h"
#include "co-roster-page.h"
#include "co-search-index.h"
#include "co-search-pinyin.h"
#include "co-store-roster.h"
#include "co-student-list.h"

#define REBUILD_DELAY_MS 300

typedef enum
{
  COLUMN_NAME,
  COLUMN_GENDER,
  COLUMN_CLASS,
  COLUMN_STAGE,
  COLUMN_EDU_ID,
  COLUMN_STATUS,
  COLUMN_CARD_NO,
} Column;

typedef struct
{
  char          *path;
  gint64         started;
  /* results */
  CoStoreRoster *roster;
  guint         *order;     /* sorted position -> roster row */
  CoSearchIndex *index;     /* ids: roster rows */
  GStrv          classes;   /* distinct class names, sorted */
} Build;

struct _CoRosterPage
{
  GtkWidget           parent_instance;

  /* Template widgets */
  GtkSearchEntry     *search_entry;
  GtkDropDown        *stage_dropdown;
  GtkDropDown        *grade_dropdown;
  GtkDropDown        *class_dropdown;
  GtkDropDown        *status_dropdown;
  GtkStack           *stack;
  GtkColumnView      *column_view;
  AdwStatusPage      *status_page;
  GtkLabel           *count_label;
  GtkButton          *print_button;

  /* Owned references */
  CoStore            *store;
  CoStudentList      *list;         /* the rows shown */
  GtkMultiSelection  *selection;
  GtkStringList      *classes;
  CoStoreRoster      *roster;       /* what the list shows */
  guint              *order;        /* sorted position -> roster row */
  CoSearchIndex      *index;        /* ids: roster rows */
  guint8             *matches;      /* per roster row; NULL: no search */
  GCancellable       *cancellable;  /* of the running build */

  guint               rebuild_id;

  /* Filters: -1 / 0 / NULL for all */
  int                 stage;
  int                 grade;
  char               *class_name;
  int                 status;

  guint               signed_in : 1;
  guint               dirty : 1;
  guint               built : 1;
};

G_DEFINE_FINAL_TYPE (CoRosterPage, co_roster_page, GTK_TYPE_WIDGET)

enum {
  STUDENT_ACTIVATED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void schedule_rebuild (CoRosterPage *self);

/* Helpers */

static void
build_free (gpointer data)
{
  Build *build = data;

  g_free (build->path);
  g_clear_pointer (&build->roster, co_store_roster_free);
  g_free (build->order);
  g_clear_pointer (&build->index, co_search_index_unref);
  g_strfreev (build->classes);
  g_free (build);
}

static char *
class_text (CoStudent *student)
{
  const char *class_name = co_student_get_class_name (student);
  int grade = co_student_get_grade (student);

  if (grade <= 0)
    return g_strdup (class_name ? class_name : "");

  /* Translators: a student's class: grade number, then the class name (3年级2班) */
  return g_strdup_printf (_("Grade %d, %s"), grade, class_name ? class_name : "");
}

static char *
cell_text (CoStudent *student,
           Column     column)
{
  switch (column)
    {
    case COLUMN_NAME:
      return g_strdup (co_student_get_name (student));
    case COLUMN_GENDER:
      return g_strdup (co_student_get_gender (student) == CO_GENDER_FEMALE
                       ? C_("gender", "Female") : C_("gender", "Male"));
    case COLUMN_CLASS:
      return class_text (student);
    case COLUMN_STAGE:
      return g_strdup (co_stage_to_text (co_student_get_stage (student)));
    case COLUMN_EDU_ID:
      return g_strdup (co_student_get_edu_id (student));
    case COLUMN_STATUS:
      return g_strdup (co_card_status_to_text (co_student_get_card_status (student)));
    case COLUMN_CARD_NO:
      return g_strdup (co_student_get_card_no (student));
    default:
      g_assert_not_reached ();
    }
}

static void
update_state (CoRosterPage *self)
{
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  guint n_all = self->roster != NULL ? self->roster->n_rows : 0;
  g_autofree char *count = NULL;

  if (n_shown > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
    }
  else
    {
      if (self->store != NULL && !self->built)
        {
          adw_status_page_set_icon_name (self->status_page, "content-loading-symbolic");
          adw_status_page_set_title (self->status_page, _("Loading Students…"));
          adw_status_page_set_description (self->status_page, NULL);
        }
      else if (n_all == 0 && !self->signed_in)
        {
          adw_status_page_set_icon_name (self->status_page, "system-users-symbolic");
          adw_status_page_set_title (self->status_page, _("Not Signed In"));
          adw_status_page_set_description (self->status_page,
                                           _("Sign in to the card platform to sync your school’s roster."));
        }
      else if (n_all == 0)
        {
          adw_status_page_set_icon_name (self->status_page, "system-users-symbolic");
          adw_status_page_set_title (self->status_page, _("No Students"));
          adw_status_page_set_description (self->status_page,
                                           _("The roster is empty. Sync to fetch your school’s students."));
        }
      else
        {
          adw_status_page_set_icon_name (self->status_page, "edit-find-symbolic");
          adw_status_page_set_title (self->status_page, _("No Matching Students"));
          adw_status_page_set_description (self->status_page,
                                           _("Try another name, pinyin, education ID or card number, or clear the filters."));
        }
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }

  if (n_all > 0)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u of %u student",
                                          "%u of %u students", n_all),
                             n_shown, n_all);
  gtk_label_set_text (self->count_label, count ? count : "");
}

static gboolean
row_shown (CoRosterPage           *self,
           guint                   r,
           const CoStoreRosterRow *row)
{
  if (self->matches != NULL && !self->matches[r])
    return FALSE;
  if (self->stage >= 0 && (int) co_stage_for_grade (row->grade) != self->stage)
    return FALSE;
  if (self->grade > 0 && row->grade != self->grade)
    return FALSE;
  if (self->class_name != NULL && strcmp (row->class_name, self->class_name) != 0)
    return FALSE;
  if (self->status >= 0 && row->card_status != self->status)
    return FALSE;

  return TRUE;
}

/* One pass over the rows in name order: the search and the filters.
 * @reset: the students themselves may have changed (a new roster). */
static void
refilter (CoRosterPage *self,
          gboolean      reset)
{
  g_autofree CoStudentListId *ids = NULL;
  guint n = self->roster != NULL ? self->roster->n_rows : 0;
  guint n_ids = 0;

  ids = g_new (CoStudentListId, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      guint r = self->order[i];
      const CoStoreRosterRow *row = &self->roster->rows[r];

      if (row_shown (self, r, row))
        memcpy (ids[n_ids++].id, row->edu_id, sizeof (CoStudentListId));
    }

  co_student_list_set_ids (self->list, ids, n_ids, reset);
  update_state (self);
}

static void
update_matches (CoRosterPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->matches, g_free);

  if (*stripped != '\0' && self->roster != NULL)
    {
      self->matches = g_new0 (guint8, MAX (self->roster->n_rows, 1));

      if (self->index != NULL)
        {
          g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (guint));

          co_search_index_query (self->index, stripped, NULL, found);
          for (guint i = 0; i < found->len; i++)
            {
              guint r = g_array_index (found, guint, i);

              if (r < self->roster->n_rows)
                self->matches[r] = 1;
            }
        }
    }
}

static void
read_filters (CoRosterPage *self)
{
  guint stage = gtk_drop_down_get_selected (self->stage_dropdown);
  guint grade = gtk_drop_down_get_selected (self->grade_dropdown);
  guint class_pos = gtk_drop_down_get_selected (self->class_dropdown);
  guint status = gtk_drop_down_get_selected (self->status_dropdown);

  /* Position 0 of each is "all". */
  self->stage = stage == 0 || stage == GTK_INVALID_LIST_POSITION ? -1 : (int) stage - 1;
  self->grade = grade == GTK_INVALID_LIST_POSITION ? 0 : (int) grade;
  self->status = status == 0 || status == GTK_INVALID_LIST_POSITION ? -1 : (int) status - 1;
  g_clear_pointer (&self->class_name, g_free);
  if (class_pos != 0 && class_pos != GTK_INVALID_LIST_POSITION)
    self->class_name = g_strdup (gtk_string_list_get_string (self->classes, class_pos));
}

/* Building */

typedef struct
{
  char                  **keys;
  const CoStoreRosterRow *rows;
} SortData;

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  SortData *data = user_data;
  guint ia = *(const guint *) a;
  guint ib = *(const guint *) b;
  int cmp = strcmp (data->keys[ia], data->keys[ib]);

  if (cmp != 0)
    return cmp;
  return strcmp (data->rows[ia].edu_id, data->rows[ib].edu_id);
}

/* "1班" < "2班" < "10班": shorter first, then as written. */
static int
compare_classes (gconstpointer a,
                 gconstpointer b)
{
  const char *ca = *(const char * const *) a;
  const char *cb = *(const char * const *) b;
  gsize la = strlen (ca);
  gsize lb = strlen (cb);

  if (la != lb)
    return la < lb ? -1 : 1;
  return strcmp (ca, cb);
}

/* The search index does not depend on the name order (its ids are roster
 * rows), so it is built on a second thread while this one sorts. */
static gpointer
index_thread (gpointer data)
{
  const CoStoreRoster *roster = data;
  guint n = roster->n_rows;
  g_autofree CoSearchEntry *entries = g_new0 (CoSearchEntry, MAX (n, 1));

  for (guint r = 0; r < n; r++)
    {
      const CoStoreRosterRow *row = &roster->rows[r];

      entries[r].id = r;
      entries[r].name = row->name;
      entries[r].edu_id = row->edu_id;
      entries[r].card_no = row->card_no;
      entries[r].bjt_no = row->bjt_no;
      entries[r].class_name = row->class_name;
    }

  return co_search_index_new (entries, n);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Build *build = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) classes = NULL;
  g_autofree char **keys = NULL;
  GThread *indexer;
  const CoStoreRosterRow *rows;
  SortData sort_data;
  guint n, n_classes;
  gint64 read_at;

  if (!(build->roster = co_store_roster_read (build->path, cancellable, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  read_at = g_get_monotonic_time ();

  n = build->roster->n_rows;
  rows = build->roster->rows;
  indexer = g_thread_new ("co-roster-index", index_thread, build->roster);

  keys = g_new0 (char *, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    keys[i] = co_search_pinyin_sort_key (rows[i].name);

  build->order = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    build->order[i] = i;
  sort_data.keys = keys;
  sort_data.rows = rows;
  g_qsort_with_data (build->order, (int) n, sizeof (guint), compare_keys, &sort_data);
  for (guint i = 0; i < n; i++)
    g_free (keys[i]);

  classes = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    if (rows[i].class_name[0] != '\0')
      g_hash_table_add (classes, (gpointer) rows[i].class_name);
  build->classes = (GStrv) g_hash_table_get_keys_as_array (classes, &n_classes);
  for (guint i = 0; i < n_classes; i++)
    build->classes[i] = g_strdup (build->classes[i]);
  qsort (build->classes, n_classes, sizeof (char *), compare_classes);

  build->index = g_thread_join (indexer);

  g_debug ("roster: %u students read in %.1f ms, sorted and indexed in %.1f ms", n,
           (read_at - build->started) / 1000.0, (g_get_monotonic_time () - read_at) / 1000.0);

  g_task_return_boolean (task, TRUE);
}

static void
build_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CoRosterPage *self = CO_ROSTER_PAGE (object);
  g_autoptr(GCancellable) cancellable = user_data;
  g_autoptr(GError) error = NULL;
  const char *all_classes[] = { NULL, NULL };
  Build *build;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Cancelled: the page is going away, or the store changed (a new
       * build follows). */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          self->cancellable == cancellable)
        {
          /* The page says the roster is empty rather than loading for
           * ever; the next change of the store tries again. */
          g_warning ("Cannot read the roster: %s", error->message);
          g_clear_object (&self->cancellable);
          self->built = TRUE;
          update_state (self);
        }
      return;
    }

  /* A newer build replaced this one. */
  if (self->cancellable != cancellable)
    return;
  g_clear_object (&self->cancellable);

  build = g_task_get_task_data (G_TASK (result));

  g_clear_pointer (&self->roster, co_store_roster_free);
  g_clear_pointer (&self->order, g_free);
  g_clear_pointer (&self->index, co_search_index_unref);
  self->roster = g_steal_pointer (&build->roster);
  self->order = g_steal_pointer (&build->order);
  self->index = g_steal_pointer (&build->index);

  /* Keep the chosen class when it still exists. */
  g_signal_handlers_block_matched (self->class_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  {
    guint old_n = g_list_model_get_n_items (G_LIST_MODEL (self->classes));
    guint selected = 0;

    all_classes[0] = C_("class filter", "All Classes");
    gtk_string_list_splice (self->classes, 0, old_n, all_classes);
    gtk_string_list_splice (self->classes, 1, 0, (const char * const *) build->classes);
    for (guint i = 0; self->class_name != NULL && build->classes[i] != NULL; i++)
      if (g_str_equal (build->classes[i], self->class_name))
        selected = i + 1;
    gtk_drop_down_set_selected (self->class_dropdown, selected);
    read_filters (self);
  }
  g_signal_handlers_unblock_matched (self->class_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);

  self->built = TRUE;
  update_matches (self);
  refilter (self, TRUE);
  g_debug ("roster: %u students shown %.1f ms after the rebuild began", self->roster->n_rows,
           (g_get_monotonic_time () - build->started) / 1000.0);

  if (self->dirty)
    schedule_rebuild (self);
}

static gboolean
rebuild_cb (gpointer user_data)
{
  CoRosterPage *self = user_data;
  g_autoptr(GTask) task = NULL;
  Build *build;

  self->rebuild_id = 0;

  if (self->cancellable != NULL || self->store == NULL)
    return G_SOURCE_REMOVE;

  self->dirty = FALSE;
  self->cancellable = g_cancellable_new ();

  build = g_new0 (Build, 1);
  build->path = g_strdup (co_store_get_path (self->store));
  build->started = g_get_monotonic_time ();

  task = g_task_new (self, self->cancellable, build_cb, g_object_ref (self->cancellable));
  g_task_set_source_tag (task, rebuild_cb);
  g_task_set_task_data (task, build, build_free);
  g_task_run_in_thread (task, build_thread);

  return G_SOURCE_REMOVE;
}

static void
schedule_rebuild (CoRosterPage *self)
{
  self->dirty = TRUE;
  if (self->cancellable != NULL || self->rebuild_id != 0)
    return;

  if (self->built)
    self->rebuild_id = g_timeout_add (REBUILD_DELAY_MS, rebuild_cb, self);
  else
    rebuild_cb (self);
}

/* Callbacks */

static void
on_store_changed_cb (CoRosterPage *self)
{
  schedule_rebuild (self);
}

static void
on_search_entry_changed_cb (CoRosterPage *self)
{
  update_matches (self);
  refilter (self, FALSE);
}

static void
on_filter_changed_cb (CoRosterPage *self)
{
  /* Setting the models in init selects their first item. */
  if (self->list == NULL)
    return;

  read_filters (self);
  refilter (self, FALSE);
}

static void
on_column_view_activate_cb (CoRosterPage  *self,
                            guint          position)
{
  g_autoptr(CoStudent) student = g_list_model_get_item (G_LIST_MODEL (self->list), position);

  if (student == NULL)
    return;

  g_signal_emit (self, signals [STUDENT_ACTIVATED], 0, student);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-student", "s",
                              co_student_get_edu_id (student));
}

/* 打印卡贴… is there only for a selection. */
static void
update_print_button (CoRosterPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  gtk_widget_set_sensitive (GTK_WIDGET (self->print_button), !gtk_bitset_is_empty (selected));
}

static void
on_print_button_clicked_cb (CoRosterPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.print-selection", NULL);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  CoStudent *student = gtk_list_item_get_item (item);
  g_autofree char *text = cell_text (student, GPOINTER_TO_INT (user_data));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text ? text : "");
}

/* GObject overrides */

static void
add_column (CoRosterPage *self,
            const char   *title,
            Column        column,
            gboolean      expand)
{
  co_column_view_append_text_column (self->column_view, title, expand, column,
                                     G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (column));
}

static void
co_roster_page_dispose (GObject *object)
{
  CoRosterPage *self = CO_ROSTER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  co_roster_page_set_store (self, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), CO_TYPE_ROSTER_PAGE);
  {
    GtkWidget *child;

    /* The template's unnamed box. */
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->classes);
  g_clear_pointer (&self->roster, co_store_roster_free);
  g_clear_pointer (&self->order, g_free);
  g_clear_pointer (&self->index, co_search_index_unref);
  g_clear_pointer (&self->matches, g_free);
  g_clear_pointer (&self->class_name, g_free);

  G_OBJECT_CLASS (co_roster_page_parent_class)->dispose (object);
}

static void
co_roster_page_class_init (CoRosterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_roster_page_dispose;

  /**
   * CoRosterPage::student-activated:
   * @student: the student of the activated row
   */
  signals [STUDENT_ACTIVATED] =
    g_signal_new ("student-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, CO_TYPE_STUDENT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-roster-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CoRosterPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CoRosterPage, stage_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CoRosterPage, grade_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CoRosterPage, class_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CoRosterPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CoRosterPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CoRosterPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, CoRosterPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, CoRosterPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, CoRosterPage, print_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_print_button_clicked_cb);
}

static void
co_roster_page_init (CoRosterPage *self)
{
  g_autoptr(GtkStringList) stages = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) grades = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);
  const char *all_classes[] = { NULL, NULL };

  self->stage = -1;
  self->status = -1;
  self->classes = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (stages, C_("stage filter", "All Stages"));
  for (int s = CO_STAGE_PRIMARY; s <= CO_STAGE_SENIOR; s++)
    gtk_string_list_append (stages, co_stage_to_text (s));
  gtk_string_list_append (grades, C_("grade filter", "All Grades"));
  for (int g = 1; g <= 12; g++)
    {
      /* Translators: a grade in the grade filter (1年级 … 12年级) */
      g_autofree char *text = g_strdup_printf (_("Grade %d"), g);

      gtk_string_list_append (grades, text);
    }
  gtk_string_list_append (statuses, C_("status filter", "All Card Statuses"));
  for (int s = CO_CARD_STATUS_NOT_ISSUED; s <= CO_CARD_STATUS_CANCELLED; s++)
    gtk_string_list_append (statuses, co_card_status_to_text (s));
  all_classes[0] = C_("class filter", "All Classes");
  gtk_string_list_splice (self->classes, 0, 0, all_classes);

  gtk_drop_down_set_model (self->stage_dropdown, G_LIST_MODEL (stages));
  gtk_drop_down_set_model (self->grade_dropdown, G_LIST_MODEL (grades));
  gtk_drop_down_set_model (self->class_dropdown, G_LIST_MODEL (self->classes));
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (statuses));

  self->list = co_student_list_new ();
  g_signal_connect_object (self->list, "items-changed",
                           G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);

  /* Several rows for 打印卡贴…; activation (double click, Enter) still
   * opens one student. */
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->list)));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (update_print_button), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (update_print_button), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_set_single_click_activate (self->column_view, FALSE);

  /* Translators: column headers of the student list */
  add_column (self, _("Name"), COLUMN_NAME, TRUE);
  add_column (self, _("Gender"), COLUMN_GENDER, FALSE);
  add_column (self, _("Class"), COLUMN_CLASS, FALSE);
  add_column (self, _("Stage"), COLUMN_STAGE, FALSE);
  add_column (self, _("Education ID"), COLUMN_EDU_ID, FALSE);
  add_column (self, _("Card Status"), COLUMN_STATUS, FALSE);
  add_column (self, _("Transit Card No."), COLUMN_CARD_NO, FALSE);

  update_state (self);
  update_print_button (self);
}

/* Public API */

void
co_roster_page_set_store (CoRosterPage *self,
                          CoStore      *store)
{
  g_return_if_fail (CO_IS_ROSTER_PAGE (self));
  g_return_if_fail (store == NULL || CO_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);

  /* Whatever was being read belongs to the old store. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  self->dirty = FALSE;

  if (self->list == NULL)
    return; /* disposing */

  /* Nothing of the old store stays on screen. */
  self->built = FALSE;
  g_clear_pointer (&self->roster, co_store_roster_free);
  g_clear_pointer (&self->order, g_free);
  g_clear_pointer (&self->index, co_search_index_unref);
  g_clear_pointer (&self->matches, g_free);
  co_student_list_set_ids (self->list, NULL, 0, TRUE);
  co_student_list_set_store (self->list, store);

  if (store != NULL)
    {
      g_signal_connect_swapped (store, "changed", G_CALLBACK (on_store_changed_cb), self);
      schedule_rebuild (self);
    }

  update_state (self);
}

void
co_roster_page_set_signed_in (CoRosterPage *self,
                              gboolean      signed_in)
{
  g_return_if_fail (CO_IS_ROSTER_PAGE (self));

  self->signed_in = !!signed_in;
  update_state (self);
}

gboolean
co_roster_page_get_ready (CoRosterPage *self)
{
  g_return_val_if_fail (CO_IS_ROSTER_PAGE (self), FALSE);

  return self->built && self->cancellable == NULL && !self->dirty && self->rebuild_id == 0;
}

GListModel *
co_roster_page_get_results (CoRosterPage *self)
{
  g_return_val_if_fail (CO_IS_ROSTER_PAGE (self), NULL);

  return G_LIST_MODEL (self->list);
}

/**
 * co_roster_page_get_selected:
 *
 * Returns: (transfer full) (element-type CoStudent): the selected students,
 *   in list order (empty when none).
 */
GPtrArray *
co_roster_page_get_selected (CoRosterPage *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  GPtrArray *students;
  guint position;

  g_return_val_if_fail (CO_IS_ROSTER_PAGE (self), NULL);

  students = g_ptr_array_new_with_free_func (g_object_unref);
  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      CoStudent *student = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

      if (student != NULL)
        g_ptr_array_add (students, student);
    }

  return students;
}
