/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Students (学生): the school's roster from the store in a column view,
 * sorted by name in pinyin order, with search as you type (name, pinyin,
 * initials, education ID, card numbers) and filters by stage, grade, class
 * and card status.
 *
 * 100,000 students: the main thread only takes the store's items (in idle
 * chunks) and copies their search fields; a worker thread computes the
 * pinyin sort keys once per student, sorts, and builds the CoSearchIndex
 * whose ids are the sorted positions. The list is a GtkFilterListModel
 * (incremental) over a GListStore already in name order: a query marks the
 * matching positions in a GtkBitset that the filter reads. While searching
 * the rows stay in name order (not by rank), so a row does not jump while
 * the user types and the filters combine with the search in one pass.
 */
#define G_LOG_DOMAIN "co-roster-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-reason-text.h"
#include "co-roster-page.h"
#include "co-search-index.h"
#include "co-search-pinyin.h"

#define LOAD_CHUNK       4000
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

/* What the worker thread needs of one student (copied on the main thread). */
typedef struct
{
  char *name;
  char *edu_id;
  char *card_no;
  char *bjt_no;
  char *class_name;
} Row;

typedef struct
{
  GArray        *rows;      /* of Row, in store order */
  /* results */
  guint         *order;     /* sorted position -> store position */
  CoSearchIndex *index;
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
  GListStore         *all;          /* CoStudent, in pinyin order */
  GHashTable         *positions;    /* CoStudent* -> position + 1 in @all */
  GtkCustomFilter    *filter;
  GtkFilterListModel *filter_model;
  GtkMultiSelection  *selection;
  GtkStringList      *classes;
  CoSearchIndex      *index;
  GtkBitset          *matches;      /* NULL: no search */
  GCancellable       *cancellable;

  /* Loading */
  GPtrArray          *loading;      /* CoStudent, store order */
  GArray             *loading_rows;
  guint               load_id;
  guint               rebuild_id;
  gint64              load_started;

  /* Filters: -1 / 0 / NULL for all */
  int                 stage;
  int                 grade;
  char               *class_name;
  int                 status;

  guint               signed_in : 1;
  guint               building : 1;
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
row_clear (gpointer data)
{
  Row *row = data;

  g_free (row->name);
  g_free (row->edu_id);
  g_free (row->card_no);
  g_free (row->bjt_no);
  g_free (row->class_name);
}

static void
build_free (gpointer data)
{
  Build *build = data;

  g_clear_pointer (&build->rows, g_array_unref);
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
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint n_all = g_list_model_get_n_items (G_LIST_MODEL (self->all));
  g_autofree char *count = NULL;

  if (n_shown > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
    }
  else
    {
      if (n_all == 0 && !self->signed_in)
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
filter_student (gpointer item,
                gpointer user_data)
{
  CoRosterPage *self = user_data;
  CoStudent *student = item;

  if (self->matches != NULL)
    {
      guint pos = GPOINTER_TO_UINT (g_hash_table_lookup (self->positions, student));

      if (pos == 0 || !gtk_bitset_contains (self->matches, pos - 1))
        return FALSE;
    }

  if (self->stage >= 0 && (int) co_student_get_stage (student) != self->stage)
    return FALSE;
  if (self->grade > 0 && co_student_get_grade (student) != self->grade)
    return FALSE;
  if (self->class_name != NULL &&
      g_strcmp0 (co_student_get_class_name (student), self->class_name) != 0)
    return FALSE;
  if (self->status >= 0 && (int) co_student_get_card_status (student) != self->status)
    return FALSE;

  return TRUE;
}

/* With no search and no filter, the whole roster shows without a pass
 * over every student. */
static void
refilter (CoRosterPage *self)
{
  gboolean filtering = self->matches != NULL || self->stage >= 0 || self->grade > 0 ||
                       self->class_name != NULL || self->status >= 0;

  if (!filtering)
    {
      gtk_filter_list_model_set_filter (self->filter_model, NULL);
      return;
    }

  if (gtk_filter_list_model_get_filter (self->filter_model) == NULL)
    gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (self->filter));
  else
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
apply_search (CoRosterPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->matches, gtk_bitset_unref);

  if (*stripped != '\0')
    {
      self->matches = gtk_bitset_new_empty ();

      if (self->index != NULL)
        {
          g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (guint));

          co_search_index_query (self->index, stripped, NULL, found);
          for (guint i = 0; i < found->len; i++)
            gtk_bitset_add (self->matches, g_array_index (found, guint, i));
        }
    }

  refilter (self);
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
  char **keys;
  Row   *rows;
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
  return g_strcmp0 (data->rows[ia].edu_id, data->rows[ib].edu_id);
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

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Build *build = task_data;
  guint n = build->rows->len;
  Row *rows = (Row *) (gpointer) build->rows->data;
  g_autofree char **keys = g_new0 (char *, MAX (n, 1));
  SortData sort_data = { keys, rows };
  g_autofree CoSearchEntry *entries = NULL;
  g_autoptr(GHashTable) classes = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_classes;

  for (guint i = 0; i < n; i++)
    keys[i] = co_search_pinyin_sort_key (rows[i].name ? rows[i].name : "");

  build->order = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    build->order[i] = i;
  g_qsort_with_data (build->order, (int) n, sizeof (guint), compare_keys, &sort_data);

  entries = g_new0 (CoSearchEntry, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      Row *row = &rows[build->order[i]];

      entries[i].id = i;
      entries[i].name = row->name;
      entries[i].edu_id = row->edu_id;
      entries[i].card_no = row->card_no;
      entries[i].bjt_no = row->bjt_no;
      entries[i].class_name = row->class_name;
      if (row->class_name != NULL)
        g_hash_table_add (classes, row->class_name);
    }
  build->index = co_search_index_new (entries, n);

  build->classes = (GStrv) g_hash_table_get_keys_as_array (classes, &n_classes);
  for (guint i = 0; i < n_classes; i++)
    build->classes[i] = g_strdup (build->classes[i]);
  qsort (build->classes, n_classes, sizeof (char *), compare_classes);

  for (guint i = 0; i < n; i++)
    g_free (keys[i]);

  g_task_return_boolean (task, TRUE);
}

static void
build_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CoRosterPage *self = CO_ROSTER_PAGE (object);
  g_autoptr(GPtrArray) students = user_data;
  g_autoptr(GError) error = NULL;
  Build *build;
  g_autofree gpointer *sorted = NULL;
  const char *all_classes[] = { NULL, NULL };
  guint n;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return; /* cancelled: the page is going away */

  build = g_task_get_task_data (G_TASK (result));
  n = students->len;
  self->building = FALSE;

  sorted = g_new (gpointer, MAX (n, 1));
  g_hash_table_remove_all (self->positions);
  for (guint i = 0; i < n; i++)
    {
      sorted[i] = g_ptr_array_index (students, build->order[i]);
      g_hash_table_insert (self->positions, sorted[i], GUINT_TO_POINTER (i + 1));
    }

  g_clear_pointer (&self->index, co_search_index_unref);
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

  g_list_store_splice (self->all, 0, g_list_model_get_n_items (G_LIST_MODEL (self->all)),
                       sorted, n);
  self->built = TRUE;
  apply_search (self);
  update_state (self);
  g_debug ("roster: %u students sorted and indexed, %.1f ms since the rebuild began", n,
           (g_get_monotonic_time () - self->load_started) / 1000.0);

  if (self->dirty)
    schedule_rebuild (self);
}

static gboolean
load_chunk_cb (gpointer user_data)
{
  CoRosterPage *self = user_data;
  GListModel *model = co_store_get_students (self->store);
  guint n = g_list_model_get_n_items (model);
  guint start = self->loading->len;
  guint end = MIN (n, start + LOAD_CHUNK);
  g_autoptr(GTask) task = NULL;

  for (guint i = start; i < end; i++)
    {
      CoStudent *student = g_list_model_get_item (model, i);
      Row row;

      row.name = g_strdup (co_student_get_name (student));
      row.edu_id = g_strdup (co_student_get_edu_id (student));
      row.card_no = g_strdup (co_student_get_card_no (student));
      row.bjt_no = g_strdup (co_student_get_bjt_no (student));
      row.class_name = g_strdup (co_student_get_class_name (student));
      g_array_append_val (self->loading_rows, row);
      g_ptr_array_add (self->loading, student);
    }

  if (end < n)
    return G_SOURCE_CONTINUE;

  self->load_id = 0;
  g_debug ("roster: %u students read in %.1f ms", n,
           (g_get_monotonic_time () - self->load_started) / 1000.0);

  {
    Build *build = g_new0 (Build, 1);

    build->rows = g_steal_pointer (&self->loading_rows);
    task = g_task_new (self, self->cancellable, build_cb, g_steal_pointer (&self->loading));
    g_task_set_source_tag (task, load_chunk_cb);
    g_task_set_task_data (task, build, build_free);
    g_task_run_in_thread (task, build_thread);
  }

  return G_SOURCE_REMOVE;
}

static gboolean
rebuild_cb (gpointer user_data)
{
  CoRosterPage *self = user_data;

  self->rebuild_id = 0;

  if (self->building || self->store == NULL)
    return G_SOURCE_REMOVE;

  self->dirty = FALSE;
  self->building = TRUE;
  self->load_started = g_get_monotonic_time ();
  self->loading = g_ptr_array_new_with_free_func (g_object_unref);
  self->loading_rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_array_set_clear_func (self->loading_rows, row_clear);
  self->load_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, load_chunk_cb, self, NULL);

  return G_SOURCE_REMOVE;
}

static void
schedule_rebuild (CoRosterPage *self)
{
  self->dirty = TRUE;
  if (self->building || self->rebuild_id != 0)
    return;

  self->rebuild_id = g_timeout_add (self->built ? REBUILD_DELAY_MS : 0, rebuild_cb, self);
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
  apply_search (self);
}

static void
on_filter_changed_cb (CoRosterPage *self)
{
  /* Setting the models in init selects their first item. */
  if (self->filter == NULL)
    return;

  read_filters (self);
  refilter (self);
}

static void
on_filter_model_items_changed_cb (CoRosterPage *self)
{
  update_state (self);
}

static void
on_column_view_activate_cb (CoRosterPage  *self,
                            guint          position)
{
  g_autoptr(CoStudent) student = g_list_model_get_item (G_LIST_MODEL (self->filter_model), position);

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
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
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
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_append_column (self->column_view, view_column);
  g_object_unref (view_column);
}

static void
co_roster_page_dispose (GObject *object)
{
  CoRosterPage *self = CO_ROSTER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->load_id, g_source_remove);
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  co_roster_page_set_store (self, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), CO_TYPE_ROSTER_PAGE);
  {
    GtkWidget *child;

    /* The template's unnamed box. */
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  g_clear_pointer (&self->loading, g_ptr_array_unref);
  g_clear_pointer (&self->loading_rows, g_array_unref);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->all);
  g_clear_object (&self->classes);
  g_clear_pointer (&self->positions, g_hash_table_unref);
  g_clear_pointer (&self->index, co_search_index_unref);
  g_clear_pointer (&self->matches, gtk_bitset_unref);
  g_clear_object (&self->cancellable);
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
  self->cancellable = g_cancellable_new ();
  self->positions = g_hash_table_new (NULL, NULL);
  self->all = g_list_store_new (CO_TYPE_STUDENT);
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

  self->filter = gtk_custom_filter_new (filter_student, self, NULL);
  self->filter_model = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->all)), NULL);
  gtk_filter_list_model_set_incremental (self->filter_model, TRUE);
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (on_filter_model_items_changed_cb), self, G_CONNECT_SWAPPED);

  /* Several rows for 打印卡贴…; activation (double click, Enter) still
   * opens one student. */
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->filter_model)));
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

  if (store != NULL)
    {
      g_signal_connect_swapped (store, "changed", G_CALLBACK (on_store_changed_cb), self);
      schedule_rebuild (self);
    }
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

  return self->built && !self->building && !self->dirty && self->rebuild_id == 0 &&
         gtk_filter_list_model_get_pending (self->filter_model) == 0;
}

GListModel *
co_roster_page_get_results (CoRosterPage *self)
{
  g_return_val_if_fail (CO_IS_ROSTER_PAGE (self), NULL);

  return G_LIST_MODEL (self->filter_model);
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
