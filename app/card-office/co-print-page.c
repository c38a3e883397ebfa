/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Printing (打印): sticker sheets, reissue forms, handout lists and the
 * calibration page for students of the roster, a selection or a CSV file.
 * The print core renders a PDF in a worker thread (progress, cancel) into
 * a private file under the user cache dir; the preview draws its pages with
 * poppler; printing draws the same pages at 100 % on the document's own
 * paper size, never scaled to fit, so labels land on the sheet.
 */
#define G_LOG_DOMAIN "co-print-page"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <poppler.h>
#include <unistd.h>

#include "co-application.h"
#include "co-print.h"
#include "co-print-data.h"
#include "co-print-page.h"
#include "co-reason-text.h"

/* poppler-glib 22.12 has no g_autoptr for its types. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

#define DEFAULT_TEMPLATE "a4-2x5-card"
#define ZOOM_STEP 1.25
#define ZOOM_MIN 0.1
#define ZOOM_MAX 4.0
/* Screen pixels per PDF point at 100 %. */
#define SCREEN_PX_PER_PT (96.0 / 72.0)

typedef enum
{
  SOURCE_ROSTER,
  SOURCE_CSV,
  SOURCE_SELECTION,
} Source;

typedef struct
{
  CoPrintKind      kind;
  CoTemplate      *template_;
  GPtrArray       *items;
  CoPrintOptions   options;
  CoPrintCaptions  captions;
  char            *output_path;
  int              done;      /* atomic */
  int              total;     /* atomic */
  CoPrintStats     stats;
  GPtrArray       *warnings;
} RenderJob;

struct _CoPrintPage
{
  GtkWidget           parent_instance;

  /* Template widgets */
  GtkPaned           *paned;
  GtkDropDown        *grade_dropdown;
  GtkEntry           *class_entry;
  GtkDropDown        *status_dropdown;
  GtkButton          *roster_button;
  GtkButton          *open_csv_button;
  GtkLabel           *source_label;
  GtkDropDown        *kind_dropdown;
  GtkDropDown        *template_dropdown;
  GtkDropDown        *printer_dropdown;
  GtkSpinButton      *offset_x_spin;
  GtkSpinButton      *offset_y_spin;
  GtkSpinButton      *start_at_spin;
  GtkSwitch          *outlines_switch;
  GtkButton          *render_button;
  GtkButton          *cancel_button;
  GtkProgressBar     *progress_bar;
  GtkLabel           *status_label;
  GtkRevealer        *warnings_revealer;
  GtkLabel           *warnings_label;
  GtkListBox         *warnings_list;
  GtkButton          *export_button;
  GtkButton          *print_button;
  GtkButton          *prev_button;
  GtkLabel           *page_label;
  GtkButton          *next_button;
  GtkButton          *zoom_out_button;
  GtkLabel           *zoom_label;
  GtkButton          *zoom_in_button;
  GtkButton          *zoom_100_button;
  GtkButton          *zoom_fit_button;
  GtkStack           *preview_stack;
  AdwStatusPage      *status_page;
  GtkScrolledWindow  *preview_scroller;
  GtkPicture         *preview_picture;

  /* Owned references */
  GSettings          *settings;
  GtkStringList      *printer_names;   /* item 0 is "no offset" */
  char              **template_names;
  Source              source;
  CoPrintData        *csv_data;
  char               *csv_name;
  GPtrArray          *selection;       /* CoStudent */
  GCancellable       *cancellable;
  RenderJob          *job;             /* borrowed from the running task */
  guint               progress_id;
  char               *pdf_path;
  PopplerDocument    *document;
  GtkFileChooserNative *chooser;

  guint               page_index;
  double              zoom;
  gboolean            zoom_fit;
  gboolean            disposed;
};

G_DEFINE_FINAL_TYPE (CoPrintPage, co_print_page, GTK_TYPE_WIDGET)

/* Render jobs */

static void
render_job_free (RenderJob *job)
{
  g_clear_object (&job->template_);
  g_clear_pointer (&job->items, g_ptr_array_unref);
  g_clear_pointer (&job->output_path, g_free);
  g_clear_pointer (&job->warnings, g_ptr_array_unref);
  g_free (job);
}

static void
render_progress_cb (guint    done,
                    guint    total,
                    gpointer user_data)
{
  RenderJob *job = user_data;

  g_atomic_int_set (&job->total, (int) total);
  g_atomic_int_set (&job->done, (int) done);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderJob *job = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;

  switch (job->kind)
    {
    case CO_PRINT_KIND_STICKERS:
      ok = co_print_stickers (job->template_, job->items, &job->options, &job->captions,
                              job->output_path, render_progress_cb, job, cancellable,
                              &job->stats, &job->warnings, &error);
      break;
    case CO_PRINT_KIND_FORMS:
      ok = co_print_forms (job->items, &job->options, &job->captions, job->output_path,
                           render_progress_cb, job, cancellable, &job->stats, &error);
      break;
    case CO_PRINT_KIND_HANDOUT:
      ok = co_print_handout_list (job->items, &job->options, &job->captions, job->output_path,
                                  render_progress_cb, job, cancellable, &job->stats, &error);
      break;
    case CO_PRINT_KIND_CALIBRATION:
    default:
      ok = co_print_calibration_page (job->template_, &job->options, &job->captions,
                                      job->output_path, &error);
      job->stats.n_pages = 1;
      break;
    }

  if (ok && g_cancellable_set_error_if_cancelled (cancellable, &error))
    ok = FALSE;
  if (ok)
    g_chmod (job->output_path, 0600);
  else
    g_unlink (job->output_path);

  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Helpers */

static GSettings *
get_settings (CoPrintPage *self)
{
  GApplication *app = g_application_get_default ();

  if (self->settings == NULL && CO_IS_APPLICATION (app))
    self->settings = g_object_ref (co_application_get_settings (CO_APPLICATION (app)));
  return self->settings;
}

static CoStore *
get_store (void)
{
  GApplication *app = g_application_get_default ();

  if (!CO_IS_APPLICATION (app))
    return NULL;
  return co_application_get_store (CO_APPLICATION (app), NULL);
}

static void
set_status (CoPrintPage *self,
            const char  *text)
{
  gtk_label_set_text (self->status_label, text ? text : "");
}

static void
remove_pdf (CoPrintPage *self)
{
  g_clear_object (&self->document);
  if (self->pdf_path != NULL)
    g_unlink (self->pdf_path);
  g_clear_pointer (&self->pdf_path, g_free);
}

static char *
new_pdf_path (GError **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "card-office", NULL);
  g_autofree char *path = NULL;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", dir, g_strerror (saved));
      return NULL;
    }
  path = g_build_filename (dir, "print-XXXXXX.pdf", NULL);
  if ((fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0600)) < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", dir, g_strerror (saved));
      return NULL;
    }
  close (fd);
  return g_steal_pointer (&path);
}

static CoTemplate *
selected_template (CoPrintPage  *self,
                   GError      **error)
{
  guint i = gtk_drop_down_get_selected (self->template_dropdown);

  if (self->template_names == NULL || i == GTK_INVALID_LIST_POSITION ||
      i >= g_strv_length (self->template_names))
    return co_template_new_for_name (DEFAULT_TEMPLATE, error);
  return co_template_new_for_name (self->template_names[i], error);
}

static void
update_buttons (CoPrintPage *self)
{
  gboolean busy = self->job != NULL;
  gboolean have_pdf = self->document != NULL && !busy;
  guint n_pages = self->document ? (guint) poppler_document_get_n_pages (self->document) : 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->render_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), have_pdf);
  gtk_widget_set_sensitive (GTK_WIDGET (self->print_button), have_pdf);
  gtk_widget_set_sensitive (GTK_WIDGET (self->prev_button), have_pdf && self->page_index > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), have_pdf && self->page_index + 1 < n_pages);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy);
}

static void
update_start_at (CoPrintPage *self)
{
  g_autoptr(CoTemplate) template_ = selected_template (self, NULL);
  guint n = template_ ? co_template_get_n_cells (template_) : 1;
  gboolean stickers = gtk_drop_down_get_selected (self->kind_dropdown) == CO_PRINT_KIND_STICKERS;

  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->start_at_spin), MAX (n, 1));
  gtk_widget_set_sensitive (GTK_WIDGET (self->start_at_spin), stickers);
  gtk_widget_set_sensitive (GTK_WIDGET (self->outlines_switch), stickers);
}

static void
update_source_label (CoPrintPage *self)
{
  g_autofree char *text = NULL;

  switch (self->source)
    {
    case SOURCE_CSV:
      /* Translators: a file name, then a number of rows. */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "From “%s”: %u row", "From “%s”: %u rows",
                                           self->csv_data->n_rows),
                              self->csv_name, self->csv_data->n_rows);
      if (self->csv_data->n_skipped > 0)
        {
          g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "%u row has no education ID or transit card no. and gets no sticker.",
                                                                "%u rows have no education ID or transit card no. and get no sticker.",
                                                                self->csv_data->n_skipped),
                                                   self->csv_data->n_skipped);
          g_autofree char *joined = g_strconcat (text, "\n", more, NULL);

          g_free (text);
          text = g_steal_pointer (&joined);
        }
      break;
    case SOURCE_SELECTION:
      /* Translators: students chosen on the roster page. */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u selected student", "%u selected students",
                                           self->selection->len),
                              self->selection->len);
      break;
    case SOURCE_ROSTER:
    default:
      text = g_strdup (_("Students of the roster that match the filter"));
      break;
    }
  gtk_label_set_text (self->source_label, text);
}

static GPtrArray *
filtered_roster (CoPrintPage *self)
{
  GPtrArray *students = g_ptr_array_new_with_free_func (g_object_unref);
  CoStore *store = get_store ();
  GListModel *model;
  guint grade = gtk_drop_down_get_selected (self->grade_dropdown);
  guint status = gtk_drop_down_get_selected (self->status_dropdown);
  g_autofree char *klass = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->class_entry))));

  if (store == NULL)
    return students;
  model = co_store_get_students (store);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CoStudent) student = g_list_model_get_item (model, i);

      if (grade != GTK_INVALID_LIST_POSITION && grade > 0 && co_student_get_grade (student) != (int) grade)
        continue;
      if (status != GTK_INVALID_LIST_POSITION && status > 0 &&
          co_student_get_card_status (student) != (CoCardStatus) (status - 1))
        continue;
      if (*klass != '\0' && g_strcmp0 (co_student_get_class_name (student), klass) != 0)
        continue;
      g_ptr_array_add (students, g_steal_pointer (&student));
    }
  return students;
}

/* Preview */

static void
show_page (CoPrintPage *self)
{
  g_autoptr(PopplerPage) page = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *page_text = NULL;
  g_autofree char *zoom_text = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  double width_pt, height_pt, scale;
  int width, height;
  guint n_pages;

  update_buttons (self);
  gtk_stack_set_visible_child_name (self->preview_stack, self->document ? "preview" : "empty");
  if (self->document == NULL)
    {
      gtk_picture_set_paintable (self->preview_picture, NULL);
      gtk_label_set_text (self->page_label, "");
      return;
    }

  n_pages = poppler_document_get_n_pages (self->document);
  self->page_index = MIN (self->page_index, n_pages - 1);
  page = poppler_document_get_page (self->document, self->page_index);
  poppler_page_get_size (page, &width_pt, &height_pt);

  if (self->zoom_fit)
    {
      int avail_w = gtk_widget_get_width (GTK_WIDGET (self->preview_stack)) - 24;
      int avail_h = gtk_widget_get_height (GTK_WIDGET (self->preview_stack)) - 24;

      if (avail_w > 50 && avail_h > 50)
        self->zoom = MIN (avail_w / width_pt, avail_h / height_pt) / SCREEN_PX_PER_PT;
      else
        self->zoom = 0.5;
      self->zoom = CLAMP (self->zoom, ZOOM_MIN, ZOOM_MAX);
    }
  scale = self->zoom * SCREEN_PX_PER_PT;
  width = MAX (1, (int) ceil (width_pt * scale));
  height = MAX (1, (int) ceil (height_pt * scale));

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * height);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  gtk_picture_set_paintable (self->preview_picture, GDK_PAINTABLE (texture));

  /* Translators: page %u of %u. */
  page_text = g_strdup_printf (_("Page %u of %u"), self->page_index + 1, n_pages);
  gtk_label_set_text (self->page_label, page_text);
  zoom_text = g_strdup_printf ("%.0f%%", self->zoom * 100);
  gtk_label_set_text (self->zoom_label, zoom_text);
}

static void
show_warnings (CoPrintPage *self,
               GPtrArray   *warnings)
{
  GtkWidget *child;
  g_autofree char *text = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->warnings_list))) != NULL)
    gtk_list_box_remove (self->warnings_list, child);

  if (warnings == NULL || warnings->len == 0)
    {
      gtk_revealer_set_reveal_child (self->warnings_revealer, FALSE);
      return;
    }

  /* Translators: %u is a number of students. */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "A placeholder was printed instead of the photo of %u student:",
                                       "A placeholder was printed instead of the photos of %u students:",
                                       warnings->len), warnings->len);
  gtk_label_set_text (self->warnings_label, text);

  for (guint i = 0; i < warnings->len; i++)
    {
      CoPrintWarning *w = g_ptr_array_index (warnings, i);
      /* Translators: name, education ID, then the problem with the photo. */
      g_autofree char *line = g_strdup_printf (_("%s (education ID %s): %s"),
                                               w->name ? w->name : "?", w->edu_id ? w->edu_id : "?",
                                               co_print_data_describe_problem (w->code));
      GtkWidget *label = gtk_label_new (line);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      if (w->photo_path != NULL)
        gtk_widget_set_tooltip_text (label, w->photo_path);
      gtk_list_box_append (self->warnings_list, label);
    }
  gtk_revealer_set_reveal_child (self->warnings_revealer, TRUE);
}

/* Printers */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
load_printers (CoPrintPage *self)
{
  GSettings *settings = get_settings (self);
  g_autoptr(GVariant) offsets = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *current = NULL;
  guint selected = gtk_drop_down_get_selected (self->printer_dropdown);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->printer_names));
  guint new_selected = 0;
  GVariantIter iter;
  const char *name;

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && selected < n)
    current = g_strdup (gtk_string_list_get_string (self->printer_names, selected));

  if (settings != NULL)
    {
      offsets = g_settings_get_value (settings, "printer-offsets");
      g_variant_iter_init (&iter, offsets);
      while (g_variant_iter_next (&iter, "{&s(dd)}", &name, NULL, NULL))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (names, i), current) == 0)
      new_selected = i + 1;

  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->printer_names, 1, n - 1, (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->printer_dropdown, new_selected);
}

static void
apply_printer_offset (CoPrintPage *self)
{
  GSettings *settings = get_settings (self);
  guint selected = gtk_drop_down_get_selected (self->printer_dropdown);
  double x = 0, y = 0;

  if (settings != NULL && selected != GTK_INVALID_LIST_POSITION && selected > 0)
    {
      g_autoptr(GVariant) offsets = g_settings_get_value (settings, "printer-offsets");
      const char *name = gtk_string_list_get_string (self->printer_names, selected);

      g_variant_lookup (offsets, name, "(dd)", &x, &y);
    }
  gtk_spin_button_set_value (self->offset_x_spin, x);
  gtk_spin_button_set_value (self->offset_y_spin, y);
}

/* Callbacks */

static void
on_printer_dropdown_selected_cb (CoPrintPage *self)
{
  apply_printer_offset (self);
}

static void
on_settings_changed_cb (CoPrintPage *self)
{
  load_printers (self);
  apply_printer_offset (self);
}

static void
on_options_changed_cb (CoPrintPage *self)
{
  update_start_at (self);
}

static void
on_filter_changed_cb (CoPrintPage *self)
{
  /* Touching the filter means the roster again. */
  if (self->source == SOURCE_ROSTER)
    return;
  self->source = SOURCE_ROSTER;
  update_source_label (self);
}

static void
on_roster_button_clicked_cb (CoPrintPage *self)
{
  self->source = SOURCE_ROSTER;
  update_source_label (self);
}

static gboolean
progress_tick_cb (gpointer user_data)
{
  CoPrintPage *self = user_data;
  g_autofree char *text = NULL;
  int done, total;

  if (self->job == NULL)
    return G_SOURCE_CONTINUE;
  done = g_atomic_int_get (&self->job->done);
  total = g_atomic_int_get (&self->job->total);
  if (total > 0)
    {
      gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
      /* Translators: pages rendered so far, of all pages. */
      text = g_strdup_printf (_("%d of %d pages"), done, total);
      gtk_progress_bar_set_text (self->progress_bar, text);
    }
  else
    gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
render_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CoPrintPage) self = CO_PRINT_PAGE (object);
  RenderJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  (void) user_data;
  if (self->job == job)
    self->job = NULL;
  g_clear_handle_id (&self->progress_id, g_source_remove);

  /* The page went away while rendering: drop the file. */
  if (self->disposed)
    {
      g_unlink (job->output_path);
      return;
    }

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_status (self, _("Cancelled."));
      else
        {
          g_autofree char *text = NULL;

          g_warning ("rendering failed: %s", error->message);
          /* Translators: %s is the reason. */
          text = g_strdup_printf (_("The document could not be made: %s"), error->message);
          set_status (self, text);
        }
      update_buttons (self);
      return;
    }

  self->pdf_path = g_strdup (job->output_path);
  uri = g_filename_to_uri (self->pdf_path, NULL, NULL);
  if (!(self->document = poppler_document_new_from_file (uri, NULL, &error)))
    {
      g_warning ("cannot read the rendered PDF: %s", error->message);
      set_status (self, _("The document could not be shown."));
      remove_pdf (self);
      update_buttons (self);
      return;
    }
  self->page_index = 0;

  {
    g_autofree char *text = NULL;

    /* Translators: number of pages; rendering finished. */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page ready to print.", "%u pages ready to print.",
                                         poppler_document_get_n_pages (self->document)),
                            poppler_document_get_n_pages (self->document));
    if (job->stats.n_unknown_glyphs > 0)
      {
        g_autofree char *joined = g_strconcat (text, " ",
                                               _("Some characters have no font on this computer and print as boxes."),
                                               NULL);
        g_free (text);
        text = g_steal_pointer (&joined);
      }
    set_status (self, text);
  }
  show_warnings (self, job->warnings);
  show_page (self);
}

static void
on_render_button_clicked_cb (CoPrintPage *self)
{
  co_print_page_render (self);
}

static void
on_cancel_button_clicked_cb (CoPrintPage *self)
{
  co_print_page_cancel (self);
}

static void
on_prev_button_clicked_cb (CoPrintPage *self)
{
  if (self->page_index > 0)
    self->page_index--;
  show_page (self);
}

static void
on_next_button_clicked_cb (CoPrintPage *self)
{
  if (self->document && self->page_index + 1 < (guint) poppler_document_get_n_pages (self->document))
    self->page_index++;
  show_page (self);
}

static void
on_zoom_in_button_clicked_cb (CoPrintPage *self)
{
  self->zoom_fit = FALSE;
  self->zoom = CLAMP (self->zoom * ZOOM_STEP, ZOOM_MIN, ZOOM_MAX);
  show_page (self);
}

static void
on_zoom_out_button_clicked_cb (CoPrintPage *self)
{
  self->zoom_fit = FALSE;
  self->zoom = CLAMP (self->zoom / ZOOM_STEP, ZOOM_MIN, ZOOM_MAX);
  show_page (self);
}

static void
on_zoom_100_button_clicked_cb (CoPrintPage *self)
{
  self->zoom_fit = FALSE;
  self->zoom = 1.0;
  show_page (self);
}

static void
on_zoom_fit_button_clicked_cb (CoPrintPage *self)
{
  self->zoom_fit = TRUE;
  show_page (self);
}

static void
open_csv_response_cb (CoPrintPage          *self,
                      int                   response,
                      GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    {
      if (!co_print_page_load_csv (self, path, &error))
        set_status (self, error->message);
    }
  g_clear_object (&self->chooser);
}

static void
on_open_csv_button_clicked_cb (CoPrintPage *self)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Open Student List"),
                                               GTK_IS_WINDOW (native) ? GTK_WINDOW (native) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "tsv");
  gtk_file_filter_add_suffix (filter, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (open_csv_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
export_response_cb (CoPrintPage          *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    {
      if (!co_print_page_export_pdf (self, path, &error))
        set_status (self, error->message);
      else
        set_status (self, _("The PDF file was saved."));
    }
  g_clear_object (&self->chooser);
}

static void
on_export_button_clicked_cb (CoPrintPage *self)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export PDF"),
                                               GTK_IS_WINDOW (native) ? GTK_WINDOW (native) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  /* Translators: default file name of an exported document. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("print.pdf"));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (export_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_print_button_clicked_cb (CoPrintPage *self)
{
  g_autoptr(GError) error = NULL;

  if (co_print_page_print (self, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, NULL, &error) ==
      GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is the printing system's reason. */
      text = g_strdup_printf (_("Printing failed: %s"), error->message);
      set_status (self, text);
    }
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              CoPrintPage       *self)
{
  g_autoptr(PopplerPage) page = NULL;
  cairo_t *cr = gtk_print_context_get_cairo_context (context);

  if (self->document == NULL || page_nr >= poppler_document_get_n_pages (self->document))
    return;
  page = poppler_document_get_page (self->document, page_nr);
  /* PDF points to device units: always 100 %, never fit to the page. */
  cairo_scale (cr, gtk_print_context_get_dpi_x (context) / 72.0,
               gtk_print_context_get_dpi_y (context) / 72.0);
  poppler_page_render_for_printing (page, cr);
}

/* GObject overrides */

static void
co_print_page_dispose (GObject *object)
{
  CoPrintPage *self = CO_PRINT_PAGE (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->job = NULL;
  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  remove_pdf (self);

  gtk_widget_dispose_template (GTK_WIDGET (object), CO_TYPE_PRINT_PAGE);

  g_clear_object (&self->settings);
  g_clear_object (&self->printer_names);
  g_clear_pointer (&self->template_names, g_strfreev);
  g_clear_pointer (&self->csv_data, co_print_data_free);
  g_clear_pointer (&self->csv_name, g_free);
  g_clear_pointer (&self->selection, g_ptr_array_unref);

  G_OBJECT_CLASS (co_print_page_parent_class)->dispose (object);
}

static void
co_print_page_class_init (CoPrintPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_print_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-print-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, paned);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, grade_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, class_entry);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, roster_button);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, open_csv_button);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, source_label);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, template_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, printer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, offset_x_spin);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, offset_y_spin);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, start_at_spin);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, outlines_switch);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, render_button);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, warnings_revealer);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, warnings_label);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, warnings_list);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, prev_button);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, page_label);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, next_button);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, zoom_out_button);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, zoom_in_button);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, zoom_100_button);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, zoom_fit_button);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, preview_scroller);
  gtk_widget_class_bind_template_child (widget_class, CoPrintPage, preview_picture);
  gtk_widget_class_bind_template_callback (widget_class, on_roster_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_open_csv_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_render_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_export_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_print_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_prev_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_next_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_zoom_out_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_zoom_in_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_zoom_100_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_zoom_fit_button_clicked_cb);
}

static void
co_print_page_init (CoPrintPage *self)
{
  g_autoptr(GtkStringList) grades = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) templates = gtk_string_list_new (NULL);
  static const CoCardStatus status_values[] = {
    CO_CARD_STATUS_NOT_ISSUED, CO_CARD_STATUS_ACTIVE, CO_CARD_STATUS_REPORTED_LOST, CO_CARD_STATUS_CANCELLED,
  };
  GSettings *settings;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->zoom = 1.0;
  self->zoom_fit = TRUE;

  gtk_string_list_append (grades, _("All grades"));
  for (int grade = 1; grade <= 12; grade++)
    {
      /* Translators: %d is a school grade, 1 to 12. */
      g_autofree char *text = g_strdup_printf (_("Grade %d"), grade);

      gtk_string_list_append (grades, text);
    }
  gtk_drop_down_set_model (self->grade_dropdown, G_LIST_MODEL (grades));

  gtk_string_list_append (statuses, _("Any card status"));
  for (guint i = 0; i < G_N_ELEMENTS (status_values); i++)
    gtk_string_list_append (statuses, co_card_status_to_text (status_values[i]));
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (statuses));

  /* In the order of CoPrintKind. */
  gtk_string_list_append (kinds, _("Card sticker sheets"));
  gtk_string_list_append (kinds, _("Reissue application forms"));
  gtk_string_list_append (kinds, _("Handout lists"));
  gtk_string_list_append (kinds, _("Calibration page"));
  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (kinds));

  self->template_names = co_template_list_names ();
  for (guint i = 0; self->template_names[i] != NULL; i++)
    {
      g_autoptr(CoTemplate) t = co_template_new_for_name (self->template_names[i], NULL);
      g_autofree char *text = NULL;
      double lw = 0, lh = 0;

      if (t != NULL)
        co_template_get_label_size (t, &lw, &lh);
      /* Translators: columns × rows of labels, then the size of one label in mm. */
      text = g_strdup_printf (_("%u × %u labels, %.1f × %.1f mm"),
                              t ? co_template_get_columns (t) : 0, t ? co_template_get_rows (t) : 0,
                              lw, lh);
      gtk_string_list_append (templates, text);
    }
  gtk_drop_down_set_model (self->template_dropdown, G_LIST_MODEL (templates));
  co_print_page_set_template (self, DEFAULT_TEMPLATE);

  self->printer_names = gtk_string_list_new (NULL);
  gtk_string_list_append (self->printer_names, _("No offset"));
  gtk_drop_down_set_model (self->printer_dropdown, G_LIST_MODEL (self->printer_names));
  load_printers (self);
  apply_printer_offset (self);
  g_signal_connect_object (self->printer_dropdown, "notify::selected",
                           G_CALLBACK (on_printer_dropdown_selected_cb), self, G_CONNECT_SWAPPED);
  if ((settings = get_settings (self)) != NULL)
    g_signal_connect_object (settings, "changed::printer-offsets",
                             G_CALLBACK (on_settings_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->kind_dropdown, "notify::selected",
                           G_CALLBACK (on_options_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->template_dropdown, "notify::selected",
                           G_CALLBACK (on_options_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->grade_dropdown, "notify::selected",
                           G_CALLBACK (on_filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->status_dropdown, "notify::selected",
                           G_CALLBACK (on_filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->class_entry, "changed",
                           G_CALLBACK (on_filter_changed_cb), self, G_CONNECT_SWAPPED);

  update_start_at (self);
  update_source_label (self);
  show_page (self);
}

/* Public API */

/**
 * co_print_page_set_selection:
 * @students: (element-type CoStudent): students chosen elsewhere (the roster page)
 *
 * Prints these students instead of the filtered roster.
 */
void
co_print_page_set_selection (CoPrintPage *self,
                             GPtrArray   *students)
{
  g_return_if_fail (CO_IS_PRINT_PAGE (self));
  g_return_if_fail (students != NULL);

  g_clear_pointer (&self->selection, g_ptr_array_unref);
  self->selection = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < students->len; i++)
    g_ptr_array_add (self->selection, g_object_ref (g_ptr_array_index (students, i)));
  self->source = SOURCE_SELECTION;
  update_source_label (self);
}

gboolean
co_print_page_load_csv (CoPrintPage  *self,
                        const char   *path,
                        GError      **error)
{
  CoPrintData *data;

  g_return_val_if_fail (CO_IS_PRINT_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(data = co_print_data_new_from_csv (path, error)))
    return FALSE;
  g_clear_pointer (&self->csv_data, co_print_data_free);
  g_free (self->csv_name);
  self->csv_data = data;
  self->csv_name = g_filename_display_basename (path);
  self->source = SOURCE_CSV;
  update_source_label (self);
  set_status (self, NULL);
  return TRUE;
}

void
co_print_page_set_kind (CoPrintPage *self,
                        CoPrintKind  kind)
{
  g_return_if_fail (CO_IS_PRINT_PAGE (self));
  g_return_if_fail (kind <= CO_PRINT_KIND_CALIBRATION);

  gtk_drop_down_set_selected (self->kind_dropdown, kind);
}

gboolean
co_print_page_set_template (CoPrintPage *self,
                            const char  *name)
{
  g_return_val_if_fail (CO_IS_PRINT_PAGE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; self->template_names && self->template_names[i]; i++)
    if (g_str_equal (self->template_names[i], name))
      {
        gtk_drop_down_set_selected (self->template_dropdown, i);
        return TRUE;
      }
  return FALSE;
}

/**
 * co_print_page_render:
 *
 * Makes the document with the page's choices in a worker thread; the
 * preview shows it when done. A running render is cancelled first.
 */
void
co_print_page_render (CoPrintPage *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoTemplate) template_ = NULL;
  g_autoptr(CoPrintData) roster_data = NULL;
  CoPrintData *data = NULL;
  RenderJob *job;
  CoPrintKind kind;

  g_return_if_fail (CO_IS_PRINT_PAGE (self));

  co_print_page_cancel (self);
  remove_pdf (self);
  show_warnings (self, NULL);
  show_page (self);

  kind = gtk_drop_down_get_selected (self->kind_dropdown);
  if (!(template_ = selected_template (self, &error)))
    {
      g_autofree char *text = NULL;

      g_warning ("template: %s", error->message);
      /* Translators: %s is the reason. */
      text = g_strdup_printf (_("The sheet template cannot be used: %s"), error->message);
      set_status (self, text);
      return;
    }

  job = g_new0 (RenderJob, 1);
  job->kind = kind;
  job->template_ = g_object_ref (template_);
  job->options.offset_x_mm = gtk_spin_button_get_value (self->offset_x_spin);
  job->options.offset_y_mm = gtk_spin_button_get_value (self->offset_y_spin);
  job->options.start_at = gtk_spin_button_get_value_as_int (self->start_at_spin);
  job->options.outlines = gtk_switch_get_active (self->outlines_switch);
  co_print_data_fill_captions (&job->captions);

  if (kind != CO_PRINT_KIND_CALIBRATION)
    {
      if (self->source == SOURCE_CSV && self->csv_data != NULL)
        data = self->csv_data;
      else
        {
          g_autoptr(GPtrArray) students = NULL;

          if (self->source == SOURCE_SELECTION && self->selection != NULL)
            students = g_ptr_array_ref (self->selection);
          else
            students = filtered_roster (self);
          data = roster_data = co_print_data_new_from_students (students, get_store ());
        }
      job->items = g_ptr_array_ref (kind == CO_PRINT_KIND_FORMS ? data->forms : data->stickers);
      if (job->items->len == 0)
        {
          set_status (self, _("No student to print: choose students from the roster or open a CSV file."));
          render_job_free (job);
          return;
        }
    }

  if (!(job->output_path = new_pdf_path (&error)))
    {
      g_autofree char *text = NULL;

      /* Translators: %s is the reason. */
      text = g_strdup_printf (_("The document could not be made: %s"), error->message);
      set_status (self, text);
      render_job_free (job);
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->job = job;
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, NULL);
  set_status (self, _("Preparing the document…"));
  self->progress_id = g_timeout_add (100, progress_tick_cb, self);
  update_buttons (self);

  task = g_task_new (g_object_ref (self), self->cancellable, render_cb, NULL);
  g_task_set_source_tag (task, co_print_page_render);
  g_task_set_task_data (task, job, (GDestroyNotify) render_job_free);
  g_task_run_in_thread (task, render_thread);
}

void
co_print_page_cancel (CoPrintPage *self)
{
  g_return_if_fail (CO_IS_PRINT_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* The finished task still calls render_cb, which reports it. */
  self->job = NULL;
  g_clear_handle_id (&self->progress_id, g_source_remove);
  update_buttons (self);
}

gboolean
co_print_page_get_busy (CoPrintPage *self)
{
  g_return_val_if_fail (CO_IS_PRINT_PAGE (self), FALSE);

  return self->job != NULL;
}

guint
co_print_page_get_n_pages (CoPrintPage *self)
{
  g_return_val_if_fail (CO_IS_PRINT_PAGE (self), 0);

  return self->document ? poppler_document_get_n_pages (self->document) : 0;
}

/* The rendered PDF (private, removed with the page), or NULL. */
const char *
co_print_page_get_pdf_path (CoPrintPage *self)
{
  g_return_val_if_fail (CO_IS_PRINT_PAGE (self), NULL);

  return self->document ? self->pdf_path : NULL;
}

gboolean
co_print_page_export_pdf (CoPrintPage  *self,
                          const char   *path,
                          GError      **error)
{
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) destination = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CO_IS_PRINT_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->document == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("Make the preview first."));
      return FALSE;
    }
  source = g_file_new_for_path (self->pdf_path);
  destination = g_file_new_for_path (path);
  if (!g_file_copy (source, destination, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &local_error))
    {
      g_autofree char *name = g_filename_display_name (path);

      /* Translators: %s is a file name, then the reason. */
      g_set_error (error, local_error->domain, local_error->code, _("“%s” was not saved: %s"),
                   name, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * co_print_page_print:
 * @action: GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG for people; tests use
 *   GTK_PRINT_OPERATION_ACTION_EXPORT with @export_filename
 *
 * Prints the rendered pages at 100 % on the document's paper size with no
 * margins: what is 10 mm in the PDF is 10 mm on the sheet.
 */
GtkPrintOperationResult
co_print_page_print (CoPrintPage              *self,
                     GtkPrintOperationAction   action,
                     const char               *export_filename,
                     GError                  **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GtkPageSetup) setup = NULL;
  g_autoptr(PopplerPage) first = NULL;
  GtkPaperSize *paper;
  GtkNative *native;
  double width_pt, height_pt;

  g_return_val_if_fail (CO_IS_PRINT_PAGE (self), GTK_PRINT_OPERATION_RESULT_ERROR);
  g_return_val_if_fail (error == NULL || *error == NULL, GTK_PRINT_OPERATION_RESULT_ERROR);

  if (self->document == NULL || self->job != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("Make the preview first."));
      return GTK_PRINT_OPERATION_RESULT_ERROR;
    }

  /* The template's paper, which the core used as the PDF's page size. */
  first = poppler_document_get_page (self->document, 0);
  poppler_page_get_size (first, &width_pt, &height_pt);
  paper = gtk_paper_size_new_custom ("card-office", _("Sheet"), width_pt, height_pt, GTK_UNIT_POINTS);
  setup = gtk_page_setup_new ();
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  gtk_page_setup_set_paper_size (setup, paper);
  gtk_page_setup_set_top_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_bottom_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_left_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_right_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_paper_size_free (paper);

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_n_pages (operation, poppler_document_get_n_pages (self->document));
  gtk_print_operation_set_job_name (operation, _("Card Office"));
  if (export_filename != NULL)
    gtk_print_operation_set_export_filename (operation, export_filename);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (draw_page_cb), self, 0);

  native = gtk_widget_get_native (GTK_WIDGET (self));
  return gtk_print_operation_run (operation, action,
                                  GTK_IS_WINDOW (native) ? GTK_WINDOW (native) : NULL, error);
}
