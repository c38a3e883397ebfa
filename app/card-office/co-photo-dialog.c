/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * 更换照片: a JPEG or PNG file is chosen and checked (co-photo-prep), the
 * part kept is chosen with a 13:16 frame (centred at first), shown as it
 * will be on the card, and sent (PUT /students/{edu_id}/photo) as the card's
 * JPEG. A file that cannot be used says why, in its own sentence; a refusal
 * of the server is shown in words and the photo and the frame are kept.
 */
#define G_LOG_DOMAIN "co-photo-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-batch-text.h"
#include "co-desk-error.h"
#include "co-photo-crop-area.h"
#include "co-photo-dialog.h"

/* 26 × 32 mm at 96 dpi */
#define PREVIEW_WIDTH   98
#define PREVIEW_HEIGHT  121

struct _CoPhotoDialog
{
  AdwWindow             parent_instance;

  /* Template widgets */
  GtkButton            *cancel_button;
  GtkButton            *save_button;
  GtkSpinner           *spinner;
  GtkButton            *choose_button;
  GtkLabel             *file_label;
  GtkLabel             *error_label;
  GtkStack             *stack;
  AdwStatusPage        *empty_page;
  CoPhotoCropArea      *crop_area;
  GtkLabel             *hint_label;
  GtkPicture           *preview_picture;

  /* Owned references */
  CoClient             *client;
  CoStudent            *student;
  CoPhotoPrep          *prep;
  GtkFileChooserNative *chooser;
  GCancellable         *load_cancellable;
  GCancellable         *cancellable;
  GBytes               *sent_jpeg;     /* under way */
  char                 *pending_name;  /* the file being read */

  guint                 loading : 1;
  guint                 busy : 1;
};

G_DEFINE_FINAL_TYPE (CoPhotoDialog, co_photo_dialog, ADW_TYPE_WINDOW)

enum {
  UPLOADED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* Helpers */

static void
show_error (CoPhotoDialog *self,
            const char    *text)
{
  gtk_label_set_text (self->error_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
update_sensitivity (CoPhotoDialog *self)
{
  gboolean working = self->loading || self->busy;

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), self->prep != NULL && !working);
  gtk_widget_set_sensitive (GTK_WIDGET (self->choose_button), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->crop_area), !self->busy);
  gtk_spinner_set_spinning (self->spinner, working);
}

/* The sentence for a file that cannot be used. */
static char *
problem_to_text (CoImportPhotoProblem problem,
                 int                  width,
                 int                  height)
{
  CoImportRow row = { 0 };

  row.photo_width = width;
  row.photo_height = height;
  return co_batch_photo_problem_to_text (problem, &row);
}

static void
update_preview (CoPhotoDialog *self)
{
  g_autoptr(GdkPixbuf) part = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *kept = NULL;
  int width, height;
  CoPhotoCrop crop;

  if (self->prep == NULL || !co_photo_crop_area_get_crop (self->crop_area, &crop))
    {
      gtk_picture_set_paintable (self->preview_picture, NULL);
      gtk_label_set_text (self->hint_label, "");
      return;
    }

  part = gdk_pixbuf_new_subpixbuf (co_photo_prep_get_pixbuf (self->prep),
                                   crop.x, crop.y, crop.width, crop.height);
  scaled = gdk_pixbuf_scale_simple (part, PREVIEW_WIDTH, PREVIEW_HEIGHT, GDK_INTERP_BILINEAR);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  texture = scaled ? gdk_texture_new_for_pixbuf (scaled) : NULL;
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_picture_set_paintable (self->preview_picture, GDK_PAINTABLE (texture));

  /* Say what is cut off. */
  width = co_photo_prep_get_width (self->prep);
  height = co_photo_prep_get_height (self->prep);
  if (crop.width == width && crop.height >= height - 1)
    kept = g_strdup (_("The whole photo goes on the card."));
  else
    {
      const char *cut;

      if (crop.x > 0 && crop.x + crop.width < width && crop.y == 0 && crop.height >= height - 1)
        cut = _("The left and right edges of the photo are cut off.");
      else if (crop.y > 0 && crop.y + crop.height < height && crop.width == width)
        cut = _("The top and bottom edges of the photo are cut off.");
      else
        cut = _("The photo outside the frame is cut off.");

      /* Translators: the first %s says which edges are cut off; then the
       * part kept and the whole photo, in pixels. */
      kept = g_strdup_printf (_("%s The frame keeps %d × %d of the %d × %d pixels. Drag the frame or its corner, or use the arrow keys and + or −, to choose the part kept."),
                              cut, crop.width, crop.height, width, height);
    }
  gtk_label_set_text (self->hint_label, kept);
}

static void
set_prep (CoPhotoDialog *self,
          CoPhotoPrep   *prep)
{
  g_autoptr(GdkTexture) texture = NULL;

  g_set_object (&self->prep, prep);
  if (prep != NULL)
    {
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      texture = gdk_texture_new_for_pixbuf (co_photo_prep_get_pixbuf (prep));
      G_GNUC_END_IGNORE_DEPRECATIONS
    }
  co_photo_crop_area_set_photo (self->crop_area, texture);
  gtk_stack_set_visible_child_name (self->stack, prep != NULL ? "photo" : "empty");
  update_preview (self);
  update_sensitivity (self);
}

/* Callbacks */

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CoPhotoDialog) self = user_data;
  g_autoptr(CoPhotoPrep) prep = NULL;
  g_autoptr(GError) error = NULL;
  CoPhotoCrop crop;

  prep = co_photo_prep_new_from_file_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  update_sensitivity (self);

  if (prep == NULL)
    {
      g_autofree char *text = NULL;

      /* The message may name the file (a student's name): not logged. */
      g_debug ("The photo cannot be used: %s %d", g_quark_to_string (error->domain), error->code);
      text = problem_to_text (error->domain == CO_PHOTO_PREP_ERROR ? (CoImportPhotoProblem) error->code
                                                                   : CO_IMPORT_PHOTO_UNREADABLE,
                              0, 0);
      show_error (self, text);
      return;
    }

  /* Any shape is fine (the frame crops it), but what the frame keeps must
   * be large enough for the card. */
  co_photo_prep_get_default_crop (prep, &crop);
  if (crop.width < CO_IMPORT_PHOTO_MIN_WIDTH || crop.height < CO_IMPORT_PHOTO_MIN_HEIGHT - 1)
    {
      g_autofree char *text = problem_to_text (CO_IMPORT_PHOTO_TOO_SMALL,
                                               co_photo_prep_get_width (prep),
                                               co_photo_prep_get_height (prep));

      show_error (self, text);
      return;
    }

  show_error (self, NULL);
  gtk_label_set_text (self->file_label, self->pending_name);
  set_prep (self, prep);
}

static void
put_photo_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CoPhotoDialog) self = user_data;
  g_autoptr(CoStudent) student = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = g_steal_pointer (&self->sent_jpeg);

  student = co_client_put_photo_finish (CO_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->busy = FALSE;
  update_sensitivity (self);

  if (student == NULL)
    {
      g_autofree char *text = co_desk_error_to_text (error);

      show_error (self, text);
      return;
    }

  g_signal_emit (self, signals [UPLOADED], 0, student, jpeg);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_crop_area_changed_cb (CoPhotoDialog *self)
{
  update_preview (self);
}

static void
on_cancel_button_clicked_cb (CoPhotoDialog *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_save_button_clicked_cb (CoPhotoDialog *self)
{
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;
  CoPhotoCrop crop;

  if (self->busy || self->loading || self->prep == NULL ||
      !co_photo_crop_area_get_crop (self->crop_area, &crop))
    return;

  if (!(jpeg = co_photo_prep_to_jpeg (self->prep, &crop, &error)))
    {
      g_autofree char *text = NULL;

      g_debug ("The photo cannot be made ready: %s", error->message);
      text = problem_to_text (error->domain == CO_PHOTO_PREP_ERROR ? (CoImportPhotoProblem) error->code
                                                                   : CO_IMPORT_PHOTO_UNSUPPORTED,
                              co_photo_prep_get_width (self->prep),
                              co_photo_prep_get_height (self->prep));
      show_error (self, text);
      return;
    }

  show_error (self, NULL);
  self->busy = TRUE;
  update_sensitivity (self);
  g_clear_pointer (&self->sent_jpeg, g_bytes_unref);
  self->sent_jpeg = g_bytes_ref (jpeg);
  co_client_put_photo_async (self->client, co_student_get_edu_id (self->student), jpeg, NULL,
                             self->cancellable, put_photo_cb, g_object_ref (self));
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        CoPhotoDialog   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        co_photo_dialog_open_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
on_choose_button_clicked_cb (CoPhotoDialog *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  /* Translators: the file chooser's filter */
  gtk_file_filter_set_name (filter, _("JPEG or PNG photos"));
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_suffix (filter, "jpg");
  gtk_file_filter_add_suffix (filter, "jpeg");
  gtk_file_filter_add_suffix (filter, "png");

  self->chooser = gtk_file_chooser_native_new (_("Choose a Photo"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* GObject overrides */

static void
co_photo_dialog_dispose (GObject *object)
{
  CoPhotoDialog *self = CO_PHOTO_DIALOG (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), CO_TYPE_PHOTO_DIALOG);

  g_clear_object (&self->client);
  g_clear_object (&self->student);
  g_clear_object (&self->prep);

  G_OBJECT_CLASS (co_photo_dialog_parent_class)->dispose (object);
}

static void
co_photo_dialog_finalize (GObject *object)
{
  CoPhotoDialog *self = CO_PHOTO_DIALOG (object);

  g_clear_pointer (&self->sent_jpeg, g_bytes_unref);
  g_clear_pointer (&self->pending_name, g_free);

  G_OBJECT_CLASS (co_photo_dialog_parent_class)->finalize (object);
}

static void
co_photo_dialog_class_init (CoPhotoDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = co_photo_dialog_dispose;
  object_class->finalize = co_photo_dialog_finalize;

  /**
   * CoPhotoDialog::uploaded:
   * @student: the student as the server answered (with the new photo's ETag)
   * @jpeg: the photo sent
   */
  signals [UPLOADED] =
    g_signal_new ("uploaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, CO_TYPE_STUDENT, G_TYPE_BYTES);

  g_type_ensure (CO_TYPE_PHOTO_CROP_AREA);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/co-photo-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CoPhotoDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CoPhotoDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, CoPhotoDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CoPhotoDialog, choose_button);
  gtk_widget_class_bind_template_child (widget_class, CoPhotoDialog, file_label);
  gtk_widget_class_bind_template_child (widget_class, CoPhotoDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CoPhotoDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CoPhotoDialog, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CoPhotoDialog, crop_area);
  gtk_widget_class_bind_template_child (widget_class, CoPhotoDialog, hint_label);
  gtk_widget_class_bind_template_child (widget_class, CoPhotoDialog, preview_picture);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_button_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
co_photo_dialog_init (CoPhotoDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->crop_area, "changed", G_CALLBACK (on_crop_area_changed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_label_set_text (self->file_label, _("No photo chosen"));
  update_sensitivity (self);
}

/* Public API */

CoPhotoDialog *
co_photo_dialog_new (GtkWindow *parent,
                     CoClient  *client,
                     CoStudent *student)
{
  CoPhotoDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CO_IS_CLIENT (client), NULL);
  g_return_val_if_fail (CO_IS_STUDENT (student), NULL);

  self = g_object_new (CO_TYPE_PHOTO_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->client = g_object_ref (client);
  self->student = g_object_ref (student);

  return self;
}

void
co_photo_dialog_open_file (CoPhotoDialog *self,
                           GFile         *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (CO_IS_PHOTO_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->busy)
    return;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->loading = FALSE;

  if (!(path = g_file_get_path (file)))
    {
      g_autofree char *text = problem_to_text (CO_IMPORT_PHOTO_UNREADABLE, 0, 0);

      show_error (self, text);
      update_sensitivity (self);
      return;
    }

  /* The name shows once the file is found usable; the photo shown
   * until then stays. */
  g_free (self->pending_name);
  self->pending_name = g_file_get_basename (file);
  self->load_cancellable = g_cancellable_new ();
  self->loading = TRUE;
  update_sensitivity (self);
  co_photo_prep_new_from_file_async (path, self->load_cancellable, load_cb, g_object_ref (self));
}

gboolean
co_photo_dialog_get_idle (CoPhotoDialog *self)
{
  g_return_val_if_fail (CO_IS_PHOTO_DIALOG (self), FALSE);

  return !self->loading && !self->busy;
}

gboolean
co_photo_dialog_get_crop (CoPhotoDialog *self,
                          CoPhotoCrop   *crop)
{
  g_return_val_if_fail (CO_IS_PHOTO_DIALOG (self), FALSE);

  return self->prep != NULL && co_photo_crop_area_get_crop (self->crop_area, crop);
}

void
co_photo_dialog_set_crop (CoPhotoDialog     *self,
                          const CoPhotoCrop *crop)
{
  g_return_if_fail (CO_IS_PHOTO_DIALOG (self));
  g_return_if_fail (crop != NULL);

  co_photo_crop_area_set_crop (self->crop_area, crop);
}

const char *
co_photo_dialog_get_error (CoPhotoDialog *self)
{
  g_return_val_if_fail (CO_IS_PHOTO_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}
