/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Batches (批量): report new cards (新制卡) and card stickers (卡贴) in bulk
 * from a CSV/TSV list: open the list (and a photo folder), match its
 * columns when their names are unknown, check every row, fix or exclude
 * rows, submit; follow submitted batches; the transit check (公交有效性)
 * is its own tab (CoTransitPanel).
 *
 * The page keeps the list, the user's fixes and exclusions for as long as
 * the window lives: leaving the page and coming back loses nothing.
 */
#define G_LOG_DOMAIN "co-batch-page"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "co-application.h"
#include "co-batch-export.h"
#include "co-batch-job.h"
#include "co-batch-page.h"
#include "co-batch-result-text.h"
#include "co-batch-row.h"
#include "co-batch-text.h"
#include "co-reason-text.h"
#include "co-student.h"
#include "co-transit-panel.h"

struct _CoBatchPage
{
  GtkWidget             parent_instance;

  /* Template widgets */
  GtkBox               *main_box;
  AdwStatusPage        *status_page;
  GtkStack             *section_stack;
  GtkStack             *step_stack;
  GtkDropDown          *kind_dropdown;
  GtkButton            *photos_button;
  GtkLabel             *photos_label;
  GtkSpinner           *load_spinner;
  GtkButton            *open_button;
  GtkLabel             *file_error_label;
  GtkLabel             *mapping_label;
  GtkGrid              *mapping_grid;
  GtkGrid              *mapping_preview_grid;
  GtkButton            *mapping_cancel_button;
  GtkButton            *mapping_apply_button;
  GtkLabel             *file_label;
  GtkLabel             *draft_label;
  GtkLabel             *counts_label;
  GtkButton            *restart_button;
  GtkButton            *submit_button;
  GtkColumnView        *rows_view;
  GtkBox               *submit_box;
  GtkProgressBar       *progress_bar;
  GtkLabel             *submit_status_label;
  GtkButton            *cancel_button;
  GtkButton            *resume_button;
  GtkLabel             *report_label;
  GtkButton            *export_csv_button;
  GtkButton            *export_xlsx_button;
  GtkButton            *new_batch_button;
  GtkColumnView        *report_view;
  GtkLabel             *batches_label;
  GtkButton            *refresh_button;
  GtkColumnView        *batches_view;
  CoTransitPanel       *transit_panel;

  /* Borrowed references */
  GtkDropDown          *mapping_dropdowns[CO_IMPORT_N_FIELDS];

  /* Owned references */
  CoStore              *store;
  CoImport             *import;
  char                 *path;
  char                 *photo_dir;
  GArray               *excluded;   /* gboolean per row */
  GListStore           *rows;       /* CoBatchRow */
  GtkFileChooserNative *chooser;
  CoBatchJob           *job;
  GCancellable         *cancellable;
  GtkStringList        *report_rows;  /* job row indexes, as text */
  guint                 chunk_size;
  GtkStringList        *batch_paths;  /* journals of submitted batches, newest first */
  GHashTable           *batch_jobs;   /* path → CoBatchJob */
  GHashTable           *server_batches; /* gint64 id → CoBatchReport, as the server last said */
  GCancellable         *refresh_cancellable;
  GCancellable         *load_cancellable;
  guint                 n_refreshing;
  char                 *hash;       /* SHA-256 of the list's file: its draft's name */
  GKeyFile             *draft;      /* fixes and exclusions, kept across restarts */
};

G_DEFINE_FINAL_TYPE (CoBatchPage, co_batch_page, GTK_TYPE_WIDGET)

/* The columns of the preview that can be edited in place. */
static const CoImportField edit_fields[] = {
  CO_IMPORT_FIELD_EDU_ID, CO_IMPORT_FIELD_NAME, CO_IMPORT_FIELD_GENDER,
  CO_IMPORT_FIELD_GRADE, CO_IMPORT_FIELD_CLASS, CO_IMPORT_FIELD_ENTRY,
};

/* Characters each editable cell shows. */
static const int cell_width[CO_IMPORT_N_FIELDS] = {
  [CO_IMPORT_FIELD_EDU_ID] = 9, [CO_IMPORT_FIELD_NAME] = 6, [CO_IMPORT_FIELD_GENDER] = 2,
  [CO_IMPORT_FIELD_GRADE] = 3, [CO_IMPORT_FIELD_CLASS] = 9, [CO_IMPORT_FIELD_ENTRY] = 7,
};

#define PREVIEW_ROWS 5

static void set_running     (CoBatchPage *self,
                             gboolean     running);
static char *batches_dir    (CoBatchPage *self);
static void draft_save      (CoBatchPage *self);
static void draft_remove    (CoBatchPage *self);
static void refresh_batches (CoBatchPage *self,
                             gboolean     ask_server);

/* Helpers */

static CoImportKind
get_kind (CoBatchPage *self)
{
  return gtk_drop_down_get_selected (self->kind_dropdown) == 1
    ? CO_IMPORT_KIND_STICKER : CO_IMPORT_KIND_NEW_CARD;
}

static gboolean
is_excluded (CoBatchPage *self,
             guint        index)
{
  return self->excluded != NULL && index < self->excluded->len &&
         g_array_index (self->excluded, gboolean, index);
}

/* Binds the submitted batches' rows again (the server or the roster said
 * something new). */
static void
redraw_batches (CoBatchPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->batch_paths));
  g_autoptr(GPtrArray) copy = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (copy, g_strdup (gtk_string_list_get_string (self->batch_paths, i)));
  g_ptr_array_add (copy, NULL);
  gtk_string_list_splice (self->batch_paths, 0, n, (const char * const *) copy->pdata);
}

static void
take_application_store (CoBatchPage *self)
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
      g_warning ("No store for batches: %s", error->message);
      return;
    }

  self->store = g_object_ref (store);
  /* Cards handed out (核验 page) change the batches' counts. */
  g_signal_connect_object (self->store, "changed", G_CALLBACK (redraw_batches), self,
                           G_CONNECT_SWAPPED);
}

/* New cards go to students the roster may not know yet (grade-1
 * entrants): only a known student with another name is worth a word.
 * Stickers go to students of the school only. */
static gboolean
roster_lookup (const char *edu_id,
               char      **name,
               gboolean   *reissued_in_stage,
               gpointer    user_data)
{
  CoBatchPage *self = user_data;
  g_autoptr(CoStudent) student = co_store_lookup_student (self->store, edu_id);

  *reissued_in_stage = FALSE; /* the batch endpoint decides */
  if (student == NULL)
    return co_import_get_kind (self->import) == CO_IMPORT_KIND_NEW_CARD;
  *name = g_strdup (co_student_get_name (student));
  return TRUE;
}

static void
check_roster (CoBatchPage *self)
{
  take_application_store (self);
  /* An empty snapshot (never signed in) knows nobody: better say nothing. */
  if (self->store != NULL && co_store_get_n_students (self->store) > 0)
    co_import_check_roster (self->import, roster_lookup, self);
}

static void
update_counts (CoBatchPage *self)
{
  g_autofree char *text = NULL;
  guint n_ok, n_warning, n_refused, n_excluded;

  co_batch_page_get_counts (self, &n_ok, &n_warning, &n_refused, &n_excluded);
  /* Translators: the counts of a list's rows: 可提交, 有警告, 不可提交, 已排除. */
  text = g_strdup_printf (_("%u can be submitted (%u with warnings), %u cannot be submitted, %u excluded"),
                          n_ok + n_warning, n_warning, n_refused, n_excluded);
  gtk_label_set_label (self->counts_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.submit", n_ok + n_warning > 0);
}

/* Rebuilds the rows from the import (after any change: a row's fix may
 * change another, as a duplicate). */
static void
refresh_rows (CoBatchPage *self)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = self->import != NULL ? co_import_get_n_rows (self->import) : 0;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, co_batch_row_new (self->import, i, is_excluded (self, i)));
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       items->pdata, items->len);
  update_counts (self);
}

/* After co_import_validate (). */
static void
show_preview (CoBatchPage *self)
{
  g_autofree char *basename = g_path_get_basename (self->path);
  g_autofree char *text = NULL;

  check_roster (self);
  refresh_rows (self);

  /* Translators: the list's file name, then what it reports (新制卡 or 卡贴). */
  text = g_strdup_printf (_("%s — %s"), basename,
                          co_import_get_kind (self->import) == CO_IMPORT_KIND_STICKER ? _("Card Stickers")
                                                                                       : _("New Cards"));
  gtk_label_set_label (self->file_label, text);
  gtk_stack_set_visible_child_name (self->step_stack, "preview");
}

static void
clear_grid (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

static void
update_mapping_apply (CoBatchPage *self)
{
  gboolean complete = TRUE;

  for (guint f = 0; f < CO_IMPORT_N_FIELDS; f++)
    if (self->mapping_dropdowns[f] != NULL && co_import_field_is_required (f) &&
        gtk_drop_down_get_selected (self->mapping_dropdowns[f]) == 0)
      complete = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->mapping_apply_button), complete);
}

static void
on_mapping_dropdown_selected_cb (CoBatchPage *self)
{
  update_mapping_apply (self);
}

static void
show_mapping (CoBatchPage *self)
{
  g_autoptr(GtkStringList) headers = gtk_string_list_new (NULL);
  guint n_columns = co_import_get_n_columns (self->import);
  guint n_rows = MIN (co_import_get_n_rows (self->import), PREVIEW_ROWS);
  guint grid_row = 0;

  clear_grid (self->mapping_grid);
  clear_grid (self->mapping_preview_grid);
  memset (self->mapping_dropdowns, 0, sizeof self->mapping_dropdowns);

  gtk_label_set_label (self->mapping_label,
                       _("Some columns of this list have names the program does not know. Choose the file’s column for each field."));

  /* Translators: in a column chooser: no column of the file. */
  gtk_string_list_append (headers, _("(none)"));
  for (guint c = 0; c < n_columns; c++)
    {
      const char *header = co_import_get_header (self->import, c);
      g_autofree char *text = NULL;

      /* Translators: a column with no name in the file; %u counts from 1. */
      text = header != NULL && *header != '\0' ? g_strdup (header) : g_strdup_printf (_("Column %u"), c + 1);
      gtk_string_list_append (headers, text);
    }

  for (guint f = 0; f < CO_IMPORT_N_FIELDS; f++)
    {
      GtkWidget *label, *dropdown;
      int column;

      if (!co_import_field_is_required (f))
        continue;
      column = co_import_get_column (self->import, f);
      label = gtk_label_new (co_batch_field_to_text (f));
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (headers)), NULL);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), column >= 0 ? (guint) column + 1 : 0);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (dropdown),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
      g_signal_connect_object (dropdown, "notify::selected",
                               G_CALLBACK (on_mapping_dropdown_selected_cb), self, G_CONNECT_SWAPPED);
      gtk_grid_attach (self->mapping_grid, label, 0, grid_row, 1, 1);
      gtk_grid_attach (self->mapping_grid, dropdown, 1, grid_row, 1, 1);
      self->mapping_dropdowns[f] = GTK_DROP_DOWN (dropdown);
      grid_row++;
    }

  /* The first rows as they are in the file, under their headers. */
  for (guint c = 0; c < n_columns; c++)
    {
      GtkWidget *header = gtk_label_new (gtk_string_list_get_string (headers, c + 1));

      gtk_widget_add_css_class (header, "heading");
      gtk_label_set_xalign (GTK_LABEL (header), 0);
      gtk_grid_attach (self->mapping_preview_grid, header, c, 0, 1, 1);
    }
  for (guint r = 0; r < n_rows; r++)
    {
      const CoImportRow *row = co_import_get_row (self->import, r);

      for (guint c = 0; c < n_columns && row->csv_row >= 0; c++)
        {
          /* Show what the row has under column c, whatever field it is. */
          GtkWidget *cell;
          const char *value = NULL;

          for (guint f = 0; f < CO_IMPORT_N_FIELDS; f++)
            if (co_import_get_column (self->import, f) == (int) c)
              value = row->values[f];
          cell = gtk_label_new (value);
          gtk_label_set_xalign (GTK_LABEL (cell), 0);
          gtk_label_set_ellipsize (GTK_LABEL (cell), PANGO_ELLIPSIZE_END);
          gtk_label_set_max_width_chars (GTK_LABEL (cell), 20);
          gtk_grid_attach (self->mapping_preview_grid, cell, c, r + 1, 1, 1);
        }
    }

  update_mapping_apply (self);
  gtk_stack_set_visible_child_name (self->step_stack, "mapping");
}

static CoBatchRow *
list_item_row (GtkListItem *item)
{
  return CO_BATCH_ROW (gtk_list_item_get_item (item));
}

/* Cells of the preview */

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
bind_line_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  g_autofree char *text = g_strdup_printf ("%u", co_batch_row_get_line (list_item_row (item)));

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

/* Typing in a cell: Enter or leaving the cell validates the row again. */
static void
commit_cell (GtkEntry *entry)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (entry), "co-item");
  GtkWidget *ancestor = gtk_widget_get_ancestor (GTK_WIDGET (entry), CO_TYPE_BATCH_PAGE);
  CoBatchRow *row;
  CoImportField field;
  const char *old_value, *text;

  if (ancestor == NULL || item == NULL || gtk_list_item_get_item (item) == NULL)
    return;

  row = list_item_row (item);
  field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (entry), "co-field"));
  old_value = co_batch_row_get_value (row, field);
  text = gtk_editable_get_text (GTK_EDITABLE (entry));
  if (g_strcmp0 (old_value ? old_value : "", text) == 0 || !co_batch_row_get_editable (row))
    return;

  co_batch_page_set_value (CO_BATCH_PAGE (ancestor), co_batch_row_get_index (row), field, text);
}

static gboolean
commit_cell_idle_cb (gpointer user_data)
{
  commit_cell (GTK_ENTRY (user_data));
  return G_SOURCE_REMOVE;
}

static void
on_cell_focus_leave_cb (GtkEventControllerFocus *controller,
                        GtkEntry                *entry)
{
  /* Not while GTK moves the focus: the rows are rebuilt. */
  g_idle_add_full (G_PRIORITY_DEFAULT, commit_cell_idle_cb, g_object_ref (entry), g_object_unref);
}

static void
setup_edit_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *entry = gtk_entry_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_object_set_data (G_OBJECT (entry), "co-field", user_data);
  g_object_set_data (G_OBJECT (entry), "co-item", item);
  gtk_entry_set_has_frame (GTK_ENTRY (entry), FALSE);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), cell_width[GPOINTER_TO_UINT (user_data)]);
  g_signal_connect (entry, "activate", G_CALLBACK (commit_cell), NULL);
  g_signal_connect (focus, "leave", G_CALLBACK (on_cell_focus_leave_cb), entry);
  gtk_widget_add_controller (entry, focus);
  gtk_list_item_set_child (item, entry);
}

static void
bind_edit_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  CoBatchRow *row = list_item_row (item);
  GtkWidget *entry = gtk_list_item_get_child (item);
  CoImportField field = GPOINTER_TO_UINT (user_data);
  const char *value = co_batch_row_get_value (row, field);

  gtk_editable_set_text (GTK_EDITABLE (entry), value ? value : "");
  gtk_editable_set_editable (GTK_EDITABLE (entry), co_batch_row_get_editable (row));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  co_batch_field_to_text (field), -1);
}

static void
setup_photo_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *label = gtk_label_new ("—");

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_set_size_request (picture, 26, 32);
  gtk_stack_add_named (GTK_STACK (stack), picture, "picture");
  gtk_stack_add_named (GTK_STACK (stack), label, "none");
  gtk_list_item_set_child (item, stack);
}

static void
bind_photo_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkStack *stack = GTK_STACK (gtk_list_item_get_child (item));
  const char *path = co_batch_row_get_photo_path (list_item_row (item));
  GtkPicture *picture = GTK_PICTURE (gtk_stack_get_child_by_name (stack, "picture"));

  gtk_picture_set_filename (picture, path);
  gtk_stack_set_visible_child_name (stack, path != NULL ? "picture" : "none");
}

static void
setup_verdict_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_box_append (GTK_BOX (box), gtk_image_new ());
  gtk_box_append (GTK_BOX (box), gtk_label_new (NULL));
  gtk_list_item_set_child (item, box);
}

static void
bind_verdict_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  CoBatchRow *row = list_item_row (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *image = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_last_child (box);
  CoImportVerdict verdict = co_batch_row_get_verdict (row);
  gboolean excluded = co_batch_row_get_excluded (row);

  gtk_image_set_from_icon_name (GTK_IMAGE (image), excluded ? "list-remove-symbolic"
                                                            : co_batch_verdict_icon_name (verdict));
  /* Translators: a row of a batch list left out by the user (已排除). */
  gtk_label_set_label (GTK_LABEL (label), excluded ? C_("batch row", "Excluded")
                                                   : co_batch_verdict_to_text (verdict));
  gtk_widget_remove_css_class (box, "error");
  gtk_widget_remove_css_class (box, "warning");
  gtk_widget_remove_css_class (box, "success");
  if (!excluded)
    gtk_widget_add_css_class (box, verdict == CO_IMPORT_VERDICT_REFUSED ? "error"
                                   : verdict == CO_IMPORT_VERDICT_WARNING ? "warning" : "success");
}

static void
setup_message_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *button = gtk_button_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 50);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_visible (button, FALSE);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), button);
  gtk_list_item_set_child (item, box);
}

static void
bind_message_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  CoBatchRow *row = list_item_row (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *label = gtk_widget_get_first_child (box);
  GtkWidget *button = gtk_widget_get_last_child (box);
  const char *suggestion = co_batch_row_get_suggestion (row);

  gtk_label_set_label (GTK_LABEL (label), co_batch_row_get_message (row));
  gtk_widget_set_visible (button, suggestion != NULL);
  if (suggestion != NULL)
    {
      /* Translators: accepts the education ID with its lost leading zero back. */
      g_autofree char *text = g_strdup_printf (_("Use %s"), suggestion);

      gtk_button_set_label (GTK_BUTTON (button), text);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", co_batch_row_get_index (row));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "batch.accept-fix");
    }
  else
    gtk_actionable_set_action_name (GTK_ACTIONABLE (button), NULL);
}

static void
on_exclude_toggled_cb (GtkCheckButton *check,
                       GtkListItem    *item)
{
  CoBatchPage *self;
  CoBatchRow *row = gtk_list_item_get_item (item);

  if (row == NULL || g_object_get_data (G_OBJECT (check), "co-binding") != NULL)
    return;
  self = CO_BATCH_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (check), CO_TYPE_BATCH_PAGE));
  if (self != NULL)
    co_batch_page_set_excluded (self, co_batch_row_get_index (row), gtk_check_button_get_active (check));
}

static void
setup_exclude_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  /* Translators: a check box: leave this row out of the batch. */
  GtkWidget *check = gtk_check_button_new_with_label (_("Exclude"));

  g_signal_connect (check, "toggled", G_CALLBACK (on_exclude_toggled_cb), item);
  gtk_list_item_set_child (item, check);
}

static void
bind_exclude_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *check = gtk_list_item_get_child (item);

  g_object_set_data (G_OBJECT (check), "co-binding", GINT_TO_POINTER (1));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), co_batch_row_get_excluded (list_item_row (item)));
  g_object_set_data (G_OBJECT (check), "co-binding", NULL);
}

static void
add_column (GtkColumnView *view,
            const char    *title,
            GCallback      setup,
            GCallback      bind,
            gpointer       user_data,
            gboolean       expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", setup, user_data);
  g_signal_connect (factory, "bind", bind, user_data);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (view, column);
}

static void
build_rows_view (CoBatchPage *self)
{
  /* Translators: a column: the line of the file */
  add_column (self->rows_view, _("Line"), G_CALLBACK (setup_label_cb), G_CALLBACK (bind_line_cb), NULL, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (edit_fields); i++)
    add_column (self->rows_view, co_batch_field_to_text (edit_fields[i]),
                G_CALLBACK (setup_edit_cb), G_CALLBACK (bind_edit_cb),
                GUINT_TO_POINTER (edit_fields[i]), FALSE);
  add_column (self->rows_view, co_batch_field_to_text (CO_IMPORT_FIELD_PHOTO),
              G_CALLBACK (setup_photo_cb), G_CALLBACK (bind_photo_cb), NULL, FALSE);
  /* Translators: a column: whether the row can be submitted */
  add_column (self->rows_view, _("Status"), G_CALLBACK (setup_verdict_cb), G_CALLBACK (bind_verdict_cb), NULL, FALSE);
  /* Translators: a column: what is wrong with the row */
  add_column (self->rows_view, _("Message"), G_CALLBACK (setup_message_cb), G_CALLBACK (bind_message_cb), NULL, TRUE);
  add_column (self->rows_view, "", G_CALLBACK (setup_exclude_cb), G_CALLBACK (bind_exclude_cb), NULL, FALSE);
  gtk_column_view_set_model (self->rows_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->rows)))));
}

/* Callbacks */

static void
on_open_response_cb (CoBatchPage          *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    co_batch_page_load_file_async (self, get_kind (self), path, self->photo_dir, NULL, NULL, NULL);

  g_clear_object (&self->chooser);
}

static void
on_open_button_clicked_cb (CoBatchPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  /* Translators: the file chooser's filter for batch lists */
  gtk_file_filter_set_name (filter, _("CSV or TSV lists"));
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_pattern (filter, "*.CSV");
  gtk_file_filter_add_pattern (filter, "*.tsv");
  gtk_file_filter_add_pattern (filter, "*.txt");
  gtk_file_filter_add_mime_type (filter, "text/csv");

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Open List"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, NULL, NULL);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_open_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
set_photo_dir (CoBatchPage *self,
               const char  *dir)
{
  if (dir != self->photo_dir)
    {
      g_free (self->photo_dir);
      self->photo_dir = g_strdup (dir);
    }
  if (dir != NULL)
    {
      g_autofree char *display = g_filename_display_name (dir);

      gtk_label_set_label (self->photos_label, display);
    }
  else
    gtk_label_set_label (self->photos_label, _("No photo folder"));
}

static void
on_photos_response_cb (CoBatchPage          *self,
                       int                   response,
                       GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    set_photo_dir (self, path);

  g_clear_object (&self->chooser);
}

static void
on_photos_button_clicked_cb (CoBatchPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Choose the Photo Folder"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, NULL, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_photos_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_mapping_apply_button_clicked_cb (CoBatchPage *self)
{
  for (guint f = 0; f < CO_IMPORT_N_FIELDS; f++)
    if (self->mapping_dropdowns[f] != NULL)
      {
        int column = (int) gtk_drop_down_get_selected (self->mapping_dropdowns[f]) - 1;

        co_import_set_column (self->import, f, column);
        if (self->draft != NULL)
          g_key_file_set_integer (self->draft, "columns", co_import_field_to_string (f), column);
      }
  draft_save (self);

  if (co_import_get_missing_fields (self->import, NULL) == 0)
    {
      co_import_validate (self->import);
      show_preview (self);
    }
  else
    update_mapping_apply (self);
}

static void
on_new_batch_button_clicked_cb (CoBatchPage *self)
{
  g_clear_object (&self->import);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->excluded, g_array_unref);
  g_clear_object (&self->job);
  set_running (self, FALSE);
  refresh_rows (self);
  gtk_widget_set_visible (GTK_WIDGET (self->file_error_label), FALSE);
  gtk_stack_set_visible_child_name (self->step_stack, "start");
}



/* Submission */

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
      default:
        break;
      }
  if (error->domain == CO_BATCH_JOB_ERROR && error->code == CO_BATCH_JOB_ERROR_JOURNAL)
    return g_strdup (_("The record of this submission cannot be written. Check the free disk space."));
  return g_strdup (_("The server gave an answer Card Office does not understand. Check the server address in Preferences."));
}

static void
update_progress (CoBatchPage *self)
{
  g_autofree char *text = NULL;
  guint n_done, n_rows;

  if (self->job == NULL)
    return;
  n_done = co_batch_job_get_n_done (self->job);
  n_rows = co_batch_job_get_n_rows (self->job);
  gtk_progress_bar_set_fraction (self->progress_bar, n_rows > 0 ? (double) n_done / n_rows : 0.0);
  /* Translators: rows the central platform answered, of all rows sent */
  text = g_strdup_printf (_("Submitting: %u of %u rows answered"), n_done, n_rows);
  gtk_label_set_label (self->submit_status_label, text);
}

static void
set_running (CoBatchPage *self,
             gboolean     running)
{
  gtk_widget_set_visible (GTK_WIDGET (self->submit_box), self->job != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.cancel", running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.resume", !running && self->job != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->resume_button), !running && self->job != NULL);
  /* The list is fixed once prepared: fixes now would not be sent. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->rows_view), self->job == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->restart_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->submit_button), self->job == NULL);
}

static void
show_report (CoBatchPage *self)
{
  g_autofree char *text = NULL;
  guint n = co_batch_job_get_n_rows (self->job);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_strdup_printf ("%u", i));
  g_ptr_array_add (items, NULL);
  gtk_string_list_splice (self->report_rows, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->report_rows)),
                          (const char * const *) items->pdata);

  /* Translators: the end of a submission: accepted and refused rows */
  text = g_strdup_printf (_("Submitted: %u accepted, %u refused by the central platform."),
                          co_batch_job_count (self->job, CO_BATCH_ROW_ACCEPTED),
                          co_batch_job_count (self->job, CO_BATCH_ROW_REFUSED));
  gtk_label_set_label (self->report_label, text);
  gtk_stack_set_visible_child_name (self->step_stack, "report");
  /* Sent: the list's fixes are in the journal now. */
  if (co_batch_job_is_complete (self->job))
    draft_remove (self);
}

static void
on_job_progress_cb (CoBatchPage *self,
                    guint        n_done,
                    guint        n_rows)
{
  update_progress (self);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(CoBatchPage) self = user_data;
  g_autoptr(GError) error = NULL;
  CoBatchJob *job = CO_BATCH_JOB (object);

  if (job != self->job)
    return;

  co_batch_job_run_finish (job, result, &error);
  set_running (self, FALSE);
  update_progress (self);

  if (error == NULL && co_batch_job_is_complete (job))
    {
      set_running (self, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->submit_box), FALSE);
      show_report (self);
      refresh_batches (self, FALSE);
      return;
    }

  {
    g_autofree char *why = NULL;
    g_autofree char *text = NULL;

    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || error == NULL)
      /* Translators: rows answered before the user cancelled; then how to go on */
      text = g_strdup_printf (_("Stopped after %u of %u rows. No row is sent twice: “Resume Submission” sends the rest."),
                              co_batch_job_get_n_done (job), co_batch_job_get_n_rows (job));
    else
      {
        why = client_error_to_text (error);
        /* Translators: rows answered so far, then why it stopped (a sentence) */
        text = g_strdup_printf (_("Stopped after %u of %u rows: %s No row is sent twice: “Resume Submission” sends the rest."),
                                co_batch_job_get_n_done (job), co_batch_job_get_n_rows (job), why);
        /* Codes only: a message may name a student or a card. */
        g_debug ("Batch submission stopped: %s %d", g_quark_to_string (error->domain), error->code);
      }
    gtk_label_set_label (self->submit_status_label, text);
  }
}

static void
start_run (CoBatchPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  if (!CO_IS_APPLICATION (app) || co_batch_job_is_running (self->job))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  set_running (self, TRUE);
  update_progress (self);
  co_batch_job_run_async (self->job, co_application_get_client (CO_APPLICATION (app)),
                          self->cancellable, run_cb, g_object_ref (self));
}

static char *
new_journal_path (CoBatchPage *self)
{
  g_autofree char *dir = g_path_get_dirname (co_store_get_path (self->store));
  g_autofree char *batches = g_build_filename (dir, "batches", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = NULL;

  g_mkdir_with_parents (batches, 0700);
  for (guint i = 0;; i++)
    {
      char *path;

      g_free (name);
      name = i == 0 ? g_strdup_printf ("%s.journal", stamp) : g_strdup_printf ("%s-%u.journal", stamp, i);
      path = g_build_filename (batches, name, NULL);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return path;
      g_free (path);
    }
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CoBatchPage *self = CO_BATCH_PAGE (widget);
  g_autoptr(GArray) excluded = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(CoBatchJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  take_application_store (self);
  if (self->import == NULL || self->store == NULL || self->job != NULL)
    return;

  for (guint i = 0; i < self->excluded->len; i++)
    if (g_array_index (self->excluded, gboolean, i))
      g_array_append_val (excluded, i);

  path = new_journal_path (self);
  if (!(job = co_batch_job_open (path, &error)) ||
      !co_batch_job_prepare_from_import (job, self->import, (const guint *) excluded->data, excluded->len,
                                         self->chunk_size, &error))
    {
      g_autofree char *text = client_error_to_text (error);

      g_debug ("Cannot prepare the batch: %s", error->message);
      gtk_label_set_label (self->submit_status_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->submit_box), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->resume_button), FALSE);
      g_remove (path);
      return;
    }

  self->job = g_steal_pointer (&job);
  g_signal_connect_object (self->job, "progress", G_CALLBACK (on_job_progress_cb), self, G_CONNECT_SWAPPED);
  start_run (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CoBatchPage *self = CO_BATCH_PAGE (widget);

  g_cancellable_cancel (self->cancellable);
}

static void
resume_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CoBatchPage *self = CO_BATCH_PAGE (widget);

  if (self->job != NULL)
    start_run (self);
}

/* The report */

static const CoBatchJobRow *
report_item_row (CoBatchPage *self,
                 GtkListItem *item)
{
  GtkStringObject *object = gtk_list_item_get_item (item);

  return co_batch_job_get_row (self->job, (guint) g_ascii_strtoull (gtk_string_object_get_string (object), NULL, 10));
}

static void
bind_report_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  CoBatchPage *self = g_object_get_data (G_OBJECT (factory), "co-page");
  const CoBatchJobRow *row = report_item_row (self, item);
  g_autofree char *text = NULL;

  switch ((CoBatchExportColumn) GPOINTER_TO_UINT (user_data))
    {
    case CO_BATCH_EXPORT_COLUMN_LINE: text = g_strdup_printf ("%u", row->line); break;
    case CO_BATCH_EXPORT_COLUMN_EDU_ID: text = g_strdup (row->edu_id); break;
    case CO_BATCH_EXPORT_COLUMN_NAME: text = g_strdup (row->name); break;
    case CO_BATCH_EXPORT_COLUMN_RESULT: text = g_strdup (co_batch_row_state_to_text (row->state)); break;
    case CO_BATCH_EXPORT_COLUMN_REASON: text = co_batch_row_reason_text (row, NULL); break;
    case CO_BATCH_EXPORT_N_COLUMNS:
    default: break;
    }
  gtk_label_set_label (label, text);
  gtk_label_set_wrap (label, GPOINTER_TO_UINT (user_data) == CO_BATCH_EXPORT_COLUMN_REASON);
}

static void
build_report_view (CoBatchPage *self)
{
  CoBatchExportText text;

  co_batch_export_text_init (&text);
  self->report_rows = gtk_string_list_new (NULL);
  for (guint c = 0; c < CO_BATCH_EXPORT_N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "co-page", self);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_report_cb), GUINT_TO_POINTER (c));
      column = gtk_column_view_column_new (text.headers[c], factory);
      gtk_column_view_column_set_expand (column, c == CO_BATCH_EXPORT_COLUMN_REASON);
      gtk_column_view_append_column (self->report_view, column);
    }
  gtk_column_view_set_model (self->report_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->report_rows)))));
}

static void
on_export_response_cb (CoBatchPage          *self,
                       int                   response,
                       GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  gboolean xlsx = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "co-xlsx"));

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    co_batch_page_export (self, path, xlsx, NULL);

  g_clear_object (&self->chooser);
}

static void
open_export_chooser (CoBatchPage *self,
                     gboolean     xlsx)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export the Report"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, NULL, NULL);
  /* Translators: the default file name of an exported batch report */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), xlsx ? _("report.xlsx") : _("report.csv"));
  g_object_set_data (G_OBJECT (self->chooser), "co-xlsx", GINT_TO_POINTER (xlsx));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_export_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_export_csv_button_clicked_cb (CoBatchPage *self)
{
  open_export_chooser (self, FALSE);
}

static void
on_export_xlsx_button_clicked_cb (CoBatchPage *self)
{
  open_export_chooser (self, TRUE);
}


/* Submitted batches */

static char *
batches_dir (CoBatchPage *self)
{
  g_autofree char *dir = NULL;

  take_application_store (self);
  if (self->store == NULL)
    return NULL;
  dir = g_path_get_dirname (co_store_get_path (self->store));
  return g_build_filename (dir, "batches", NULL);
}

static CoBatchJob *
batch_job_for_path (CoBatchPage *self,
                    const char  *path)
{
  CoBatchJob *job;
  g_autoptr(GError) error = NULL;

  if (self->job != NULL && g_strcmp0 (co_batch_job_get_journal_path (self->job), path) == 0)
    return self->job;
  if ((job = g_hash_table_lookup (self->batch_jobs, path)) != NULL)
    return job;
  if (!(job = co_batch_job_open (path, &error)))
    {
      g_debug ("Cannot open a batch journal: %s", error->message);
      return NULL;
    }
  g_hash_table_insert (self->batch_jobs, g_strdup (path), job);
  return job;
}

static int
compare_paths_newest_first (gconstpointer a,
                            gconstpointer b)
{
  return -g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
update_batches_label (CoBatchPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->batch_paths));

  if (self->n_refreshing > 0)
    gtk_label_set_label (self->batches_label, _("Asking the central platform…"));
  else if (n == 0)
    gtk_label_set_label (self->batches_label, _("No batch submitted from this computer yet."));
  else
    gtk_label_set_label (self->batches_label,
                         _("Batches submitted from this computer. Cards of accepted rows show as handed out once they are collected."));
}

static void
get_batch_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CoBatchPage) self = user_data;
  g_autoptr(CoBatchReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = co_client_get_batch_finish (CO_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->n_refreshing--;
  if (report != NULL)
    {
      gint64 *key = g_new (gint64, 1);

      *key = report->id;
      g_hash_table_replace (self->server_batches, key, g_steal_pointer (&report));
    }
  else
    g_debug ("Cannot fetch a batch: %s %d", g_quark_to_string (error->domain), error->code);

  if (self->n_refreshing == 0)
    /* Redraw every row with what the server said. */
    redraw_batches (self);
  update_batches_label (self);
}

static void
refresh_batches (CoBatchPage *self,
                 gboolean     ask_server)
{
  g_autofree char *dir = batches_dir (self);
  g_autoptr(GDir) gdir = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  const char *name;

  /* Journals change on disk: read them again. */
  g_hash_table_remove_all (self->batch_jobs);
  if (dir != NULL && (gdir = g_dir_open (dir, 0, NULL)) != NULL)
    while ((name = g_dir_read_name (gdir)) != NULL)
      if (g_str_has_suffix (name, ".journal"))
        {
          g_autofree char *path = g_build_filename (dir, name, NULL);
          CoBatchJob *job = batch_job_for_path (self, path);

          if (job == NULL || !co_batch_job_is_prepared (job))
            continue;
          for (guint i = 0; i < co_batch_job_get_n_rows (job); i++)
            {
              const CoBatchJobRow *row = co_batch_job_get_row (job, i);

              if (row->batch_id > 0 && !g_hash_table_contains (ids, &row->batch_id))
                {
                  gint64 *id = g_new (gint64, 1);

                  *id = row->batch_id;
                  g_hash_table_insert (ids, id, GINT_TO_POINTER (co_batch_job_get_kind (job) + 1));
                }
            }
          g_ptr_array_add (paths, g_steal_pointer (&path));
        }
  g_ptr_array_sort (paths, compare_paths_newest_first);
  g_ptr_array_add (paths, NULL);
  gtk_string_list_splice (self->batch_paths, 0, g_list_model_get_n_items (G_LIST_MODEL (self->batch_paths)),
                          (const char * const *) paths->pdata);

  if (ask_server && CO_IS_APPLICATION (app) && g_hash_table_size (ids) > 0)
    {
      CoClient *client = co_application_get_client (CO_APPLICATION (app));
      GHashTableIter iter;
      gpointer key, value;

      g_cancellable_cancel (self->refresh_cancellable);
      g_clear_object (&self->refresh_cancellable);
      self->refresh_cancellable = g_cancellable_new ();
      self->n_refreshing = 0;
      g_hash_table_iter_init (&iter, ids);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          self->n_refreshing++;
          co_client_get_batch_async (client, GPOINTER_TO_INT (value) - 1, *(gint64 *) key,
                                     self->refresh_cancellable, get_batch_cb, g_object_ref (self));
        }
    }
  update_batches_label (self);
}

static const char *
batch_state_to_text (CoBatchState state)
{
  switch (state)
    {
    case CO_BATCH_STATE_SUBMITTED:
      /* Translators: a batch's state on the central platform: 已提交 */
      return C_("batch state", "Submitted");
    case CO_BATCH_STATE_IN_PRODUCTION:
      /* Translators: a batch's state: the cards (or stickers) are being made, 制卡中 */
      return C_("batch state", "In Production");
    case CO_BATCH_STATE_DELIVERED_TO_SCHOOL:
      /* Translators: a batch's state: 已送达学校, ready to hand out */
      return C_("batch state", "Delivered to School");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Whether one of @job's batches has reached the school. */
static gboolean
job_delivered (CoBatchPage *self,
               CoBatchJob  *job)
{
  for (guint i = 0; job != NULL && i < co_batch_job_get_n_rows (job); i++)
    {
      const CoBatchJobRow *row = co_batch_job_get_row (job, i);
      CoBatchReport *report;

      if (row->batch_id > 0 &&
          (report = g_hash_table_lookup (self->server_batches, &row->batch_id)) != NULL &&
          report->state == CO_BATCH_STATE_DELIVERED_TO_SCHOOL)
        return TRUE;
    }
  return FALSE;
}

static CoBatchJob *
batch_item_job (CoBatchPage *self,
                GtkListItem *item)
{
  GtkStringObject *object = gtk_list_item_get_item (item);

  return batch_job_for_path (self, gtk_string_object_get_string (object));
}

enum { BATCH_COLUMN_WHEN, BATCH_COLUMN_KIND, BATCH_COLUMN_ROWS, BATCH_COLUMN_SERVER, BATCH_COLUMN_CARDS };

static void
bind_batch_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  CoBatchPage *self = g_object_get_data (G_OBJECT (factory), "co-page");
  CoBatchJob *job = batch_item_job (self, item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;

  if (job == NULL)
    {
      gtk_label_set_label (label, NULL);
      return;
    }

  switch (GPOINTER_TO_UINT (user_data))
    {
    case BATCH_COLUMN_WHEN:
      {
        g_autofree char *base = g_path_get_basename (co_batch_job_get_journal_path (job));

        /* "20261125-071500.journal" → "2026-11-25 07:15" */
        if (strlen (base) >= 13)
          text = g_strdup_printf ("%.4s-%.2s-%.2s %.2s:%.2s", base, base + 4, base + 6, base + 9, base + 11);
      }
      break;
    case BATCH_COLUMN_KIND:
      text = g_strdup (co_batch_job_get_kind (job) == CO_BATCH_KIND_STICKER ? _("Card Stickers") : _("New Cards"));
      break;
    case BATCH_COLUMN_ROWS:
      if (co_batch_job_is_complete (job))
        /* Translators: rows of a submitted batch: accepted, refused */
        text = g_strdup_printf (_("%u accepted, %u refused"), co_batch_job_count (job, CO_BATCH_ROW_ACCEPTED),
                                co_batch_job_count (job, CO_BATCH_ROW_REFUSED));
      else
        /* Translators: a batch whose submission stopped halfway */
        text = g_strdup_printf (_("Unfinished: %u of %u rows answered"), co_batch_job_get_n_done (job),
                                co_batch_job_get_n_rows (job));
      break;
    case BATCH_COLUMN_SERVER:
      {
        g_autoptr(GString) s = g_string_new (NULL);
        g_autoptr(GHashTable) ids = g_hash_table_new (g_int64_hash, g_int64_equal);

        for (guint i = 0; i < co_batch_job_get_n_rows (job); i++)
          {
            const CoBatchJobRow *row = co_batch_job_get_row (job, i);
            CoBatchReport *report;

            if (row->batch_id == 0 || g_hash_table_contains (ids, &row->batch_id))
              continue;
            g_hash_table_add (ids, (gpointer) &row->batch_id);
            if ((report = g_hash_table_lookup (self->server_batches, &row->batch_id)) != NULL)
              {
                if (s->len > 0)
                  g_string_append (s, "\n");
                /* Translators: the central platform's batch number, its accepted and refused rows */
                g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, report->id);

                g_string_append_printf (s, _("No. %s: %u accepted, %u refused"),
                                        id, report->n_accepted, report->n_refused);
                /* Translators: separates a batch's rows from its state (已提交, 制卡中, 已送达学校) */
                g_string_append_printf (s, _(", %s"), batch_state_to_text (report->state));
              }
          }
        text = g_string_free (g_steal_pointer (&s), FALSE);
      }
      break;
    case BATCH_COLUMN_CARDS:
    default:
      {
        guint n_accepted = 0, n_out = 0;

        for (guint i = 0; self->store != NULL && i < co_batch_job_get_n_rows (job); i++)
          {
            const CoBatchJobRow *row = co_batch_job_get_row (job, i);
            g_autoptr(CoStudent) student = NULL;

            if (row->state != CO_BATCH_ROW_ACCEPTED)
              continue;
            n_accepted++;
            student = co_store_lookup_student (self->store, row->edu_id);
            if (student != NULL && co_student_get_card_status (student) != CO_CARD_STATUS_NOT_ISSUED)
              n_out++;
          }
        if (co_batch_job_get_kind (job) == CO_BATCH_KIND_NEW_CARD)
          /* Translators: new cards of a batch handed out (领卡), of all accepted; 未发卡 for the rest */
          text = g_strdup_printf (_("%u of %u handed out"), n_out, n_accepted);
      }
      break;
    }
  gtk_label_set_label (label, text);
}

static void
setup_resume_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *button = gtk_button_new_with_label (_("Resume Submission"));

  /* The targeted actions are set on bind, with their target. */
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), button);
  /* Translators: a delivered batch: hand its cards out on the 核验 page (发卡) */
  button = gtk_button_new_with_label (_("Hand Out"));
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "batch.handout");
  gtk_box_append (GTK_BOX (box), button);
  /* Translators: 打印发放名单: the list of a batch's students to sign for their cards */
  button = gtk_button_new_with_label (_("Print Handout List"));
  gtk_box_append (GTK_BOX (box), button);
  gtk_list_item_set_child (item, box);
}

static void
bind_resume_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  CoBatchPage *self = g_object_get_data (G_OBJECT (factory), "co-page");
  CoBatchJob *job = batch_item_job (self, item);
  GtkWidget *resume = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *handout = gtk_widget_get_next_sibling (resume);
  GtkWidget *print = gtk_widget_get_next_sibling (handout);
  GtkStringObject *object = gtk_list_item_get_item (item);
  gboolean complete = job != NULL && co_batch_job_is_complete (job);
  gboolean delivered = complete && job_delivered (self, job);

  gtk_widget_set_visible (resume, job != NULL && !complete);
  gtk_widget_set_visible (handout, delivered);
  gtk_widget_set_visible (print, delivered);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (resume), "s", gtk_string_object_get_string (object));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (print), "s", gtk_string_object_get_string (object));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (resume), "batch.resume-journal");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (print), "batch.print-handout-list");
}

static void
build_batches_view (CoBatchPage *self)
{
  static const struct { const char *title; guint column; } columns[] = {
    /* Translators: columns of the submitted batches */
    { N_("Submitted"), BATCH_COLUMN_WHEN },
    { N_("Kind"), BATCH_COLUMN_KIND },
    { N_("Rows"), BATCH_COLUMN_ROWS },
    { N_("Central Platform"), BATCH_COLUMN_SERVER },
    { N_("Cards"), BATCH_COLUMN_CARDS },
  };
  GtkListItemFactory *factory;
  g_autoptr(GtkColumnViewColumn) resume = NULL;

  self->batch_paths = gtk_string_list_new (NULL);
  self->batch_jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->server_batches = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                (GDestroyNotify) co_batch_report_free);
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      g_autoptr(GtkColumnViewColumn) column = NULL;

      factory = gtk_signal_list_item_factory_new ();
      g_object_set_data (G_OBJECT (factory), "co-page", self);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_batch_cb), GUINT_TO_POINTER (columns[c].column));
      column = gtk_column_view_column_new (_(columns[c].title), factory);
      gtk_column_view_column_set_expand (column, columns[c].column == BATCH_COLUMN_SERVER);
      gtk_column_view_append_column (self->batches_view, column);
    }
  factory = gtk_signal_list_item_factory_new ();
  g_object_set_data (G_OBJECT (factory), "co-page", self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_resume_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_resume_cb), NULL);
  resume = gtk_column_view_column_new (NULL, factory);
  gtk_column_view_append_column (self->batches_view, resume);
  gtk_column_view_set_model (self->batches_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->batch_paths)))));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  refresh_batches (CO_BATCH_PAGE (widget), TRUE);
}

static void
resume_journal_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CoBatchPage *self = CO_BATCH_PAGE (widget);
  const char *path = g_variant_get_string (parameter, NULL);
  CoBatchJob *job;

  /* One submission at a time; a list being fixed is not dropped for it. */
  if ((self->job != NULL && co_batch_job_is_running (self->job)) ||
      (self->import != NULL && self->job == NULL))
    {
      gtk_label_set_label (self->batches_label,
                           _("Submit or close the list on the “Report in Bulk” tab first (New Batch)."));
      return;
    }
  if (!(job = batch_job_for_path (self, path)) || co_batch_job_is_complete (job))
    return;

  g_set_object (&self->job, job);
  g_hash_table_remove (self->batch_jobs, path);
  g_signal_connect_object (self->job, "progress", G_CALLBACK (on_job_progress_cb), self, G_CONNECT_SWAPPED);
  g_clear_object (&self->import);
  g_list_store_remove_all (self->rows);
  gtk_label_set_label (self->file_label, _("Unfinished batch"));
  gtk_label_set_label (self->counts_label, "");
  gtk_stack_set_visible_child_name (self->step_stack, "preview");
  gtk_stack_set_visible_child_name (self->section_stack, "import");
  start_run (self);
}

/* 发卡: the 核验 page in handout mode (the window's action). */
static void
handout_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  gtk_widget_activate_action (widget, "win.handout", NULL);
}

/* 打印发放名单: the accepted students of the journal's delivered batches,
 * on the print page as a handout list (一卡通号 to match the stickers). */
static void
print_handout_list_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CoBatchPage *self = CO_BATCH_PAGE (widget);
  CoBatchJob *job = batch_job_for_path (self, g_variant_get_string (parameter, NULL));
  g_autoptr(GPtrArray) edu_ids = g_ptr_array_new ();

  for (guint i = 0; job != NULL && i < co_batch_job_get_n_rows (job); i++)
    {
      const CoBatchJobRow *row = co_batch_job_get_row (job, i);
      CoBatchReport *report = g_hash_table_lookup (self->server_batches, &row->batch_id);

      if (row->state == CO_BATCH_ROW_ACCEPTED && report != NULL &&
          report->state == CO_BATCH_STATE_DELIVERED_TO_SCHOOL)
        g_ptr_array_add (edu_ids, (gpointer) row->edu_id);
    }
  if (edu_ids->len == 0)
    return;
  /* The list prints from this computer's copy of the roster. */
  take_application_store (self);
  for (guint i = 0; self->store != NULL && i < edu_ids->len; i++)
    {
      g_autoptr(CoStudent) student = co_store_lookup_student (self->store, g_ptr_array_index (edu_ids, i));

      if (student == NULL)
        {
          gtk_label_set_label (self->batches_label,
                               _("Some students of this batch are not in this computer’s roster yet: update the roster (Sync), then print the list."));
          return;
        }
    }
  g_ptr_array_add (edu_ids, NULL);
  gtk_widget_activate_action (widget, "win.print-handout-list", "^as", edu_ids->pdata);
}

/* Actions */

static void
accept_fix_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CoBatchPage *self = CO_BATCH_PAGE (widget);
  guint index = g_variant_get_uint32 (parameter);

  if (self->import == NULL || index >= co_import_get_n_rows (self->import))
    return;
  if (co_import_accept_fix (self->import, index))
    {
      if (self->draft != NULL)
        {
          g_autofree char *group = g_strdup_printf ("row %u", index);

          g_key_file_set_boolean (self->draft, group, "accept-fix", TRUE);
          g_key_file_remove_key (self->draft, group, co_import_field_to_string (CO_IMPORT_FIELD_EDU_ID), NULL);
          draft_save (self);
        }
      check_roster (self);
      refresh_rows (self);
    }
}



/* GObject */

static void
co_batch_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (co_batch_page_parent_class)->map (widget);

  take_application_store (CO_BATCH_PAGE (widget));
  refresh_batches (CO_BATCH_PAGE (widget), FALSE);
}

static void
co_batch_page_dispose (GObject *object)
{
  CoBatchPage *self = CO_BATCH_PAGE (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (object), CO_TYPE_BATCH_PAGE);

  g_clear_object (&self->store);
  g_clear_object (&self->import);
  g_clear_object (&self->rows);
  g_clear_object (&self->job);
  g_clear_object (&self->report_rows);
  g_clear_object (&self->batch_paths);
  g_clear_pointer (&self->batch_jobs, g_hash_table_unref);
  g_clear_pointer (&self->server_batches, g_hash_table_unref);
  g_clear_pointer (&self->excluded, g_array_unref);

  G_OBJECT_CLASS (co_batch_page_parent_class)->dispose (object);
}

static void
co_batch_page_finalize (GObject *object)
{
  CoBatchPage *self = CO_BATCH_PAGE (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->photo_dir, g_free);
  g_clear_pointer (&self->hash, g_free);
  g_clear_pointer (&self->draft, g_key_file_unref);

  G_OBJECT_CLASS (co_batch_page_parent_class)->finalize (object);
}

static void
co_batch_page_class_init (CoBatchPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_batch_page_dispose;
  object_class->finalize = co_batch_page_finalize;
  widget_class->map = co_batch_page_map;

  g_type_ensure (CO_TYPE_TRANSIT_PANEL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-batch-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, main_box);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, section_stack);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, step_stack);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, photos_button);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, photos_label);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, load_spinner);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, open_button);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, file_error_label);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, mapping_label);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, mapping_grid);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, mapping_preview_grid);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, mapping_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, mapping_apply_button);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, file_label);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, draft_label);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, counts_label);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, restart_button);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, submit_button);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, rows_view);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, submit_box);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, submit_status_label);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, report_label);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, export_csv_button);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, export_xlsx_button);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, new_batch_button);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, report_view);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, batches_label);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, batches_view);
  gtk_widget_class_bind_template_child (widget_class, CoBatchPage, transit_panel);
  gtk_widget_class_bind_template_callback (widget_class, on_open_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_photos_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_mapping_apply_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_new_batch_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_export_csv_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_export_xlsx_button_clicked_cb);

  gtk_widget_class_install_action (widget_class, "batch.accept-fix", "u", accept_fix_action);
  gtk_widget_class_install_action (widget_class, "batch.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "batch.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "batch.resume", NULL, resume_action);
  gtk_widget_class_install_action (widget_class, "batch.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "batch.resume-journal", "s", resume_journal_action);
  gtk_widget_class_install_action (widget_class, "batch.handout", NULL, handout_action);
  gtk_widget_class_install_action (widget_class, "batch.print-handout-list", "s",
                                   print_handout_list_action);
}

static void
co_batch_page_init (CoBatchPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_list_store_new (CO_TYPE_BATCH_ROW);
  build_rows_view (self);
  build_report_view (self);
  build_batches_view (self);
  self->chunk_size = CO_BATCH_JOB_DEFAULT_CHUNK_SIZE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.submit", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.cancel", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.resume", FALSE);
}

/* Public API */

typedef struct
{
  CoImportKind  kind;
  char         *path;
  char         *photo_dir;
  char         *hash;       /* set by the thread */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data->photo_dir);
  g_free (data->hash);
  g_free (data);
}

/* Reading, decoding and checking every row and photo: off the main thread. */
static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(CoImport) import = co_import_new (data->kind);
  GError *error = NULL;

  if (data->photo_dir != NULL)
    co_import_set_photo_dir (import, data->photo_dir);
  {
    /* The same list opened again finds its draft by this. */
    g_autoptr(GMappedFile) mapped = g_mapped_file_new (data->path, FALSE, NULL);

    if (mapped != NULL)
      data->hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                (const guchar *) g_mapped_file_get_contents (mapped),
                                                g_mapped_file_get_length (mapped));
  }
  if (!co_import_load_file (import, data->path, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (co_import_get_missing_fields (import, NULL) == 0)
    co_import_validate (import);
  g_task_return_pointer (task, g_steal_pointer (&import), g_object_unref);
}

/* Drafts: what was typed in the cells, accepted or excluded, and the
 * column mapping, in a key file (0600) beside the journals named by the
 * list's SHA-256; written on each edit, applied when the same file is
 * opened again, removed once the list is submitted. */

static char *
draft_path (CoBatchPage *self)
{
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;

  if (self->hash == NULL || !(dir = batches_dir (self)))
    return NULL;
  name = g_strconcat (self->hash, ".draft", NULL);
  return g_build_filename (dir, name, NULL);
}

static void
draft_save (CoBatchPage *self)
{
  g_autofree char *path = draft_path (self);
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  if (path == NULL || self->draft == NULL)
    return;
  dir = g_path_get_dirname (path);
  g_key_file_set_string (self->draft, "list", "kind",
                         co_import_get_kind (self->import) == CO_IMPORT_KIND_STICKER ? "sticker" : "new_card");
  data = g_key_file_to_data (self->draft, &length, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_warning ("Cannot save the list's draft: %s", error ? error->message : g_strerror (errno));
}

static void
draft_remove (CoBatchPage *self)
{
  g_autofree char *path = draft_path (self);

  if (path != NULL)
    g_remove (path);
  g_clear_pointer (&self->draft, g_key_file_unref);
}

/* Reads the draft of the list just loaded and applies it; the number of
 * rows it changed. */
static guint
draft_restore (CoBatchPage *self)
{
  g_autofree char *path = draft_path (self);
  g_autofree char *kind = NULL;
  g_auto(GStrv) groups = NULL;
  g_autoptr(GError) error = NULL;
  guint n_rows = co_import_get_n_rows (self->import);
  guint n_restored = 0;
  gboolean changed = FALSE;

  g_clear_pointer (&self->draft, g_key_file_unref);
  if (path == NULL)
    return 0;
  self->draft = g_key_file_new ();
  if (!g_key_file_load_from_file (self->draft, path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("Cannot read a list's draft: %s", error->message);
      g_key_file_remove_group (self->draft, "list", NULL);
      return 0;
    }
  kind = g_key_file_get_string (self->draft, "list", "kind", NULL);
  if (g_strcmp0 (kind, co_import_get_kind (self->import) == CO_IMPORT_KIND_STICKER ? "sticker" : "new_card") != 0)
    {
      /* The same file reported as the other kind: start afresh. */
      g_key_file_unref (self->draft);
      self->draft = g_key_file_new ();
      return 0;
    }

  for (guint f = 0; f < CO_IMPORT_N_FIELDS; f++)
    if (g_key_file_has_key (self->draft, "columns", co_import_field_to_string (f), NULL))
      {
        int column = g_key_file_get_integer (self->draft, "columns", co_import_field_to_string (f), NULL);

        if (column >= -1 && column < (int) co_import_get_n_columns (self->import))
          co_import_set_column (self->import, f, column);
        changed = TRUE;
      }
  if (changed && co_import_get_missing_fields (self->import, NULL) == 0)
    co_import_validate (self->import);

  groups = g_key_file_get_groups (self->draft, NULL);
  for (guint g = 0; groups[g] != NULL; g++)
    {
      guint64 index;
      gboolean row_changed = FALSE;

      if (!g_str_has_prefix (groups[g], "row ") ||
          !g_ascii_string_to_unsigned (groups[g] + 4, 10, 0, n_rows - 1, &index, NULL) || n_rows == 0)
        continue;
      if (co_import_get_missing_fields (self->import, NULL) == 0)
        for (guint f = 0; f < G_N_ELEMENTS (edit_fields); f++)
          {
            g_autofree char *value = g_key_file_get_string (self->draft, groups[g],
                                                            co_import_field_to_string (edit_fields[f]), NULL);

            if (value != NULL)
              row_changed |= co_import_set_value (self->import, index, edit_fields[f], value);
          }
      if (co_import_get_missing_fields (self->import, NULL) == 0 &&
          g_key_file_get_boolean (self->draft, groups[g], "accept-fix", NULL))
        row_changed |= co_import_accept_fix (self->import, index);
      if (g_key_file_get_boolean (self->draft, groups[g], "excluded", NULL))
        {
          g_array_index (self->excluded, gboolean, index) = TRUE;
          row_changed = TRUE;
        }
      n_restored += row_changed;
    }
  return n_restored;
}

static void
set_loading (CoBatchPage *self,
             gboolean     loading)
{
  gtk_widget_set_visible (GTK_WIDGET (self->load_spinner), loading);
  gtk_spinner_set_spinning (self->load_spinner, loading);
  gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), !loading);
  gtk_widget_set_sensitive (GTK_WIDGET (self->photos_button), !loading);
  gtk_widget_set_sensitive (GTK_WIDGET (self->kind_dropdown), !loading);
  gtk_widget_set_sensitive (GTK_WIDGET (self->restart_button), !loading);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mapping_cancel_button), !loading);
}

static void
take_import (CoBatchPage *self,
             CoImport    *import,
             const char  *path,
             const char  *hash)
{
  guint n_restored;

  gtk_widget_set_visible (GTK_WIDGET (self->file_error_label), FALSE);
  g_set_object (&self->import, import);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->job);
  set_running (self, FALSE);
  g_free (self->path);
  self->path = g_strdup (path);
  g_clear_pointer (&self->excluded, g_array_unref);
  self->excluded = g_array_sized_new (FALSE, TRUE, sizeof (gboolean), co_import_get_n_rows (import));
  g_array_set_size (self->excluded, co_import_get_n_rows (import));
  g_free (self->hash);
  self->hash = g_strdup (hash);
  n_restored = draft_restore (self);
  if (n_restored > 0)
    {
      g_autofree char *text =
        /* Translators: a list opened again: what was typed or excluded last time is back */
        g_strdup_printf (ngettext ("Your earlier changes to %u row of this list were restored.",
                                      "Your earlier changes to %u rows of this list were restored.", n_restored),
                         n_restored);

      gtk_label_set_label (self->draft_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->draft_label), n_restored > 0);

  if (co_import_get_missing_fields (import, NULL) > 0)
    {
      g_list_store_remove_all (self->rows);
      show_mapping (self);
    }
  else
    show_preview (self);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  CoBatchPage *self = CO_BATCH_PAGE (object);
  GTask *task = G_TASK (result);
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(CoImport) import = NULL;
  g_autoptr(GError) error = NULL;
  GTask *outer = user_data;

  import = g_task_propagate_pointer (task, &error);
  if (g_task_get_cancellable (task) != NULL && g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      g_object_unref (outer);
      return;
    }

  set_loading (self, FALSE);
  if (import == NULL)
    {
      g_autofree char *basename = g_filename_display_basename (data->path);
      /* Translators: the file's name, then why it cannot be read. */
      g_autofree char *text = g_strdup_printf (_("Cannot open “%s”: %s"), basename,
                                               co_batch_file_error_to_text (error));

      /* The list on the page (and its fixes) stays. */
      gtk_label_set_label (self->file_error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->file_error_label), TRUE);
      g_task_return_error (outer, g_steal_pointer (&error));
    }
  else
    {
      take_import (self, import, data->path, data->hash);
      g_task_return_boolean (outer, TRUE);
    }
  g_object_unref (outer);
}

void
co_batch_page_load_file_async (CoBatchPage         *self,
                               CoImportKind         kind,
                               const char          *path,
                               const char          *photo_dir,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GTask *outer;
  LoadData *data;

  g_return_if_fail (CO_IS_BATCH_PAGE (self));
  g_return_if_fail (path != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, co_batch_page_load_file_async);

  gtk_drop_down_set_selected (self->kind_dropdown, kind == CO_IMPORT_KIND_STICKER ? 1 : 0);
  set_photo_dir (self, photo_dir);
  set_loading (self, TRUE);

  /* A newer choice replaces a load still under way. */
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  data = g_new0 (LoadData, 1);
  data->kind = kind;
  data->path = g_strdup (path);
  data->photo_dir = g_strdup (photo_dir);
  task = g_task_new (self, self->load_cancellable, load_cb, outer);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
co_batch_page_load_file_finish (CoBatchPage   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
co_batch_page_get_step (CoBatchPage *self)
{
  g_return_val_if_fail (CO_IS_BATCH_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->step_stack);
}

CoImport *
co_batch_page_get_import (CoBatchPage *self)
{
  g_return_val_if_fail (CO_IS_BATCH_PAGE (self), NULL);
  return self->import;
}

GListModel *
co_batch_page_get_rows (CoBatchPage *self)
{
  g_return_val_if_fail (CO_IS_BATCH_PAGE (self), NULL);
  return G_LIST_MODEL (self->rows);
}

gboolean
co_batch_page_set_value (CoBatchPage   *self,
                         guint          index,
                         CoImportField  field,
                         const char    *value)
{
  g_return_val_if_fail (CO_IS_BATCH_PAGE (self), FALSE);
  g_return_val_if_fail (self->import != NULL, FALSE);
  g_return_val_if_fail (index < co_import_get_n_rows (self->import), FALSE);

  if (!co_import_set_value (self->import, index, field, value))
    return FALSE;
  if (self->draft != NULL)
    {
      g_autofree char *group = g_strdup_printf ("row %u", index);

      g_key_file_set_string (self->draft, group, co_import_field_to_string (field), value ? value : "");
      if (field == CO_IMPORT_FIELD_EDU_ID)
        g_key_file_remove_key (self->draft, group, "accept-fix", NULL);
      draft_save (self);
    }
  check_roster (self);
  refresh_rows (self);
  return TRUE;
}

void
co_batch_page_set_excluded (CoBatchPage *self,
                            guint        index,
                            gboolean     excluded)
{
  g_return_if_fail (CO_IS_BATCH_PAGE (self));
  g_return_if_fail (self->excluded != NULL && index < self->excluded->len);

  if (g_array_index (self->excluded, gboolean, index) == !!excluded)
    return;
  g_array_index (self->excluded, gboolean, index) = !!excluded;
  if (self->draft != NULL)
    {
      g_autofree char *group = g_strdup_printf ("row %u", index);

      g_key_file_set_boolean (self->draft, group, "excluded", !!excluded);
      draft_save (self);
    }
  refresh_rows (self);
}

void
co_batch_page_get_counts (CoBatchPage *self,
                          guint       *n_ok,
                          guint       *n_warning,
                          guint       *n_refused,
                          guint       *n_excluded)
{
  guint counts[3] = { 0, 0, 0 }, excluded = 0;
  guint n;

  g_return_if_fail (CO_IS_BATCH_PAGE (self));

  n = self->import != NULL ? co_import_get_n_rows (self->import) : 0;
  for (guint i = 0; i < n; i++)
    {
      if (is_excluded (self, i))
        excluded++;
      else
        counts[co_import_get_row (self->import, i)->verdict]++;
    }
  if (n_ok)
    *n_ok = counts[CO_IMPORT_VERDICT_OK];
  if (n_warning)
    *n_warning = counts[CO_IMPORT_VERDICT_WARNING];
  if (n_refused)
    *n_refused = counts[CO_IMPORT_VERDICT_REFUSED];
  if (n_excluded)
    *n_excluded = excluded;
}

CoBatchJob *
co_batch_page_get_job (CoBatchPage *self)
{
  g_return_val_if_fail (CO_IS_BATCH_PAGE (self), NULL);
  return self->job;
}

void
co_batch_page_set_chunk_size (CoBatchPage *self,
                              guint        chunk_size)
{
  g_return_if_fail (CO_IS_BATCH_PAGE (self));
  self->chunk_size = chunk_size;
}

gboolean
co_batch_page_export (CoBatchPage  *self,
                      const char   *path,
                      gboolean      xlsx,
                      GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  CoBatchExportText text;
  gboolean ok;

  g_return_val_if_fail (CO_IS_BATCH_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (self->job != NULL, FALSE);

  co_batch_export_text_init (&text);
  /* Translators: the sheet's name in the exported Excel report */
  ok = xlsx ? co_batch_export_xlsx (self->job, &text, _("Report"), path, &local_error)
            : co_batch_export_csv (self->job, &text, path, &local_error);
  if (!ok)
    {
      g_autofree char *basename = g_filename_display_basename (path);
      /* Translators: %s is a file name */
      g_autofree char *message = g_strdup_printf (_("Cannot save “%s”. Check the folder and the free disk space."), basename);

      gtk_label_set_label (self->report_label, message);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return ok;
}
