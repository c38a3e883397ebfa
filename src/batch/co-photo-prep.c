/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-photo-prep"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "co-photo-prep.h"
#include "co-print.h"
#include "co-print-private.h"

struct _CoPhotoPrep
{
  GObject    parent_instance;

  GdkPixbuf *pixbuf;   /* upright */
};

G_DEFINE_FINAL_TYPE (CoPhotoPrep, co_photo_prep, G_TYPE_OBJECT)

G_DEFINE_QUARK (co-photo-prep-error-quark, co_photo_prep_error)

static gboolean
png_is_whole (const guint8 *d,
              gsize         length)
{
  /* Signature, IHDR first, IEND last: a truncated copy lacks the end. */
  return length >= 8 + 8 + 13 + 4 + 12 &&
         memcmp (d + 12, "IHDR", 4) == 0 &&
         memcmp (d + length - 8, "IEND\256B`\202", 8) == 0;
}

static gboolean
check_bytes (const guint8  *d,
             gsize          length,
             GError       **error)
{
  if (length > CO_IMPORT_PHOTO_MAX_BYTES)
    {
      g_set_error (error, CO_PHOTO_PREP_ERROR, CO_IMPORT_PHOTO_TOO_LARGE,
                   "The photo file is larger than %d bytes", CO_IMPORT_PHOTO_MAX_BYTES);
      return FALSE;
    }

  if (length >= 2 && d[0] == 0xff && d[1] == 0xd8)
    {
      g_autoptr(GError) local = NULL;
      int w, h, components, orientation;

      if (!_co_jpeg_parse_header (d, length, &w, &h, &components, &orientation, &local))
        {
          gboolean unsupported = g_error_matches (local, CO_PRINT_ERROR,
                                                  CO_PRINT_ERROR_PHOTO_UNSUPPORTED);

          g_set_error_literal (error, CO_PHOTO_PREP_ERROR,
                               unsupported ? CO_IMPORT_PHOTO_UNSUPPORTED : CO_IMPORT_PHOTO_CORRUPT,
                               local->message);
          return FALSE;
        }
      return TRUE;
    }

  if (length >= 8 && memcmp (d, "\211PNG\r\n\032\n", 8) == 0)
    {
      if (!png_is_whole (d, length))
        {
          g_set_error_literal (error, CO_PHOTO_PREP_ERROR, CO_IMPORT_PHOTO_CORRUPT,
                               "The PNG data is truncated or damaged");
          return FALSE;
        }
      return TRUE;
    }

  g_set_error_literal (error, CO_PHOTO_PREP_ERROR, CO_IMPORT_PHOTO_NOT_JPEG_OR_PNG,
                       "The photo is neither JPEG nor PNG");
  return FALSE;
}

static void
co_photo_prep_finalize (GObject *object)
{
  CoPhotoPrep *self = (CoPhotoPrep *) object;

  g_clear_object (&self->pixbuf);

  G_OBJECT_CLASS (co_photo_prep_parent_class)->finalize (object);
}

static void
co_photo_prep_class_init (CoPhotoPrepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = co_photo_prep_finalize;
}

static void
co_photo_prep_init (CoPhotoPrep *self)
{
}

CoPhotoPrep *
co_photo_prep_new_from_bytes (GBytes  *bytes,
                              GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(CoPhotoPrep) self = NULL;
  const guint8 *d;
  gsize length;
  GdkPixbuf *decoded;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  d = g_bytes_get_data (bytes, &length);
  if (!check_bytes (d, length, error))
    return NULL;

  loader = gdk_pixbuf_loader_new_with_type (d[0] == 0xff ? "jpeg" : "png", &local);
  if (loader == NULL)
    {
      g_set_error (error, CO_PHOTO_PREP_ERROR, CO_IMPORT_PHOTO_UNSUPPORTED,
                   "No decoder: %s", local->message);
      return NULL;
    }
  if (!gdk_pixbuf_loader_write (loader, d, length, &local) ||
      !gdk_pixbuf_loader_close (loader, &local) ||
      (decoded = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      if (local == NULL)
        gdk_pixbuf_loader_close (loader, NULL);
      g_set_error (error, CO_PHOTO_PREP_ERROR, CO_IMPORT_PHOTO_CORRUPT,
                   "The photo cannot be decoded: %s", local ? local->message : "no image");
      return NULL;
    }

  self = g_object_new (CO_TYPE_PHOTO_PREP, NULL);
  self->pixbuf = gdk_pixbuf_apply_embedded_orientation (decoded);
  if (self->pixbuf == NULL)
    self->pixbuf = g_object_ref (decoded);

  return g_steal_pointer (&self);
}

CoPhotoPrep *
co_photo_prep_new_from_file (const char  *path,
                             GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GStatBuf st;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) &&
      st.st_size > CO_IMPORT_PHOTO_MAX_BYTES)
    {
      g_set_error (error, CO_PHOTO_PREP_ERROR, CO_IMPORT_PHOTO_TOO_LARGE,
                   "The photo file is larger than %d bytes", CO_IMPORT_PHOTO_MAX_BYTES);
      return NULL;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
      !g_file_get_contents (path, &data, &length, &local))
    {
      g_set_error (error, CO_PHOTO_PREP_ERROR, CO_IMPORT_PHOTO_UNREADABLE,
                   "The photo file cannot be read%s%s",
                   local ? ": " : "", local ? local->message : "");
      return NULL;
    }

  bytes = g_bytes_new_take (g_steal_pointer (&data), length);
  return co_photo_prep_new_from_bytes (bytes, error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  CoPhotoPrep *prep;

  if (g_task_return_error_if_cancelled (task))
    return;
  if ((prep = co_photo_prep_new_from_file (path, &error)))
    g_task_return_pointer (task, prep, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
co_photo_prep_new_from_file_async (const char          *path,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, co_photo_prep_new_from_file_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_thread);
}

CoPhotoPrep *
co_photo_prep_new_from_file_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

int
co_photo_prep_get_width (CoPhotoPrep *self)
{
  g_return_val_if_fail (CO_IS_PHOTO_PREP (self), 0);

  return gdk_pixbuf_get_width (self->pixbuf);
}

int
co_photo_prep_get_height (CoPhotoPrep *self)
{
  g_return_val_if_fail (CO_IS_PHOTO_PREP (self), 0);

  return gdk_pixbuf_get_height (self->pixbuf);
}

GdkPixbuf *
co_photo_prep_get_pixbuf (CoPhotoPrep *self)
{
  g_return_val_if_fail (CO_IS_PHOTO_PREP (self), NULL);

  return self->pixbuf;
}

CoImportPhotoProblem
co_photo_prep_check (CoPhotoPrep *self,
                     int          min_width,
                     int          min_height)
{
  double ratio, target;
  int w, h;

  g_return_val_if_fail (CO_IS_PHOTO_PREP (self), CO_IMPORT_PHOTO_UNREADABLE);

  if (min_width <= 0)
    min_width = CO_IMPORT_PHOTO_MIN_WIDTH;
  if (min_height <= 0)
    min_height = CO_IMPORT_PHOTO_MIN_HEIGHT;

  w = gdk_pixbuf_get_width (self->pixbuf);
  h = gdk_pixbuf_get_height (self->pixbuf);
  ratio = (double) w / h;
  target = (double) CO_IMPORT_PHOTO_WIDTH_MM / CO_IMPORT_PHOTO_HEIGHT_MM;
  if (ABS (ratio / target - 1.0) > CO_IMPORT_PHOTO_ASPECT_TOLERANCE)
    return CO_IMPORT_PHOTO_ASPECT;
  if (w < min_width || h < min_height)
    return CO_IMPORT_PHOTO_TOO_SMALL;
  return CO_IMPORT_PHOTO_OK;
}

void
co_photo_prep_get_default_crop (CoPhotoPrep *self,
                                CoPhotoCrop *crop)
{
  g_return_if_fail (CO_IS_PHOTO_PREP (self));
  g_return_if_fail (crop != NULL);

  co_import_photo_crop (gdk_pixbuf_get_width (self->pixbuf),
                        gdk_pixbuf_get_height (self->pixbuf),
                        &crop->x, &crop->y, &crop->width, &crop->height);
}

void
co_photo_prep_fit_crop (CoPhotoPrep *self,
                        CoPhotoCrop *crop)
{
  int w, h;
  double cx, cy;
  int cw, ch;

  g_return_if_fail (CO_IS_PHOTO_PREP (self));
  g_return_if_fail (crop != NULL);

  w = gdk_pixbuf_get_width (self->pixbuf);
  h = gdk_pixbuf_get_height (self->pixbuf);

  cw = CLAMP (crop->width, 1, w);
  ch = CLAMP (crop->height, 1, h);
  cx = crop->x + crop->width / 2.0;
  cy = crop->y + crop->height / 2.0;

  /* Grow the short side to 13:16, then shrink both if that left the photo. */
  if ((gint64) cw * CO_IMPORT_PHOTO_HEIGHT_MM < (gint64) ch * CO_IMPORT_PHOTO_WIDTH_MM)
    cw = (int) ((gint64) ch * CO_IMPORT_PHOTO_WIDTH_MM / CO_IMPORT_PHOTO_HEIGHT_MM);
  else
    ch = (int) ((gint64) cw * CO_IMPORT_PHOTO_HEIGHT_MM / CO_IMPORT_PHOTO_WIDTH_MM);
  if (cw > w)
    {
      cw = w;
      ch = (int) ((gint64) cw * CO_IMPORT_PHOTO_HEIGHT_MM / CO_IMPORT_PHOTO_WIDTH_MM);
    }
  if (ch > h)
    {
      ch = h;
      cw = (int) ((gint64) ch * CO_IMPORT_PHOTO_WIDTH_MM / CO_IMPORT_PHOTO_HEIGHT_MM);
    }
  cw = MAX (cw, 1);
  ch = MAX (ch, 1);

  crop->width = cw;
  crop->height = ch;
  crop->x = CLAMP ((int) (cx - cw / 2.0 + 0.5), 0, w - cw);
  crop->y = CLAMP ((int) (cy - ch / 2.0 + 0.5), 0, h - ch);
}

GBytes *
co_photo_prep_to_jpeg (CoPhotoPrep        *self,
                       const CoPhotoCrop  *crop,
                       GError            **error)
{
  g_autoptr(GdkPixbuf) dest = NULL;
  g_autofree char *buffer = NULL;
  CoPhotoCrop c;
  gsize length = 0;
  double sx, sy;
  int w, h;

  g_return_val_if_fail (CO_IS_PHOTO_PREP (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  w = gdk_pixbuf_get_width (self->pixbuf);
  h = gdk_pixbuf_get_height (self->pixbuf);
  if (crop != NULL)
    c = *crop;
  else
    co_photo_prep_get_default_crop (self, &c);

  if (c.width <= 0 || c.height <= 0 || c.x < 0 || c.y < 0 ||
      c.x > w - c.width || c.y > h - c.height)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The crop %d,%d %d×%d does not lie inside the %d×%d photo",
                   c.x, c.y, c.width, c.height, w, h);
      return NULL;
    }

  dest = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8,
                         CO_PHOTO_PREP_WIDTH, CO_PHOTO_PREP_HEIGHT);
  sx = (double) CO_PHOTO_PREP_WIDTH / c.width;
  sy = (double) CO_PHOTO_PREP_HEIGHT / c.height;
  if (gdk_pixbuf_get_has_alpha (self->pixbuf))
    {
      /* A transparent PNG goes on white, as on the printed card. */
      gdk_pixbuf_fill (dest, 0xffffffff);
      gdk_pixbuf_composite (self->pixbuf, dest, 0, 0, CO_PHOTO_PREP_WIDTH, CO_PHOTO_PREP_HEIGHT,
                            -c.x * sx, -c.y * sy, sx, sy, GDK_INTERP_BILINEAR, 255);
    }
  else
    gdk_pixbuf_scale (self->pixbuf, dest, 0, 0, CO_PHOTO_PREP_WIDTH, CO_PHOTO_PREP_HEIGHT,
                      -c.x * sx, -c.y * sy, sx, sy, GDK_INTERP_BILINEAR);

  if (!gdk_pixbuf_save_to_buffer (dest, &buffer, &length, "jpeg", error,
                                  "quality", G_STRINGIFY (CO_PHOTO_PREP_JPEG_QUALITY), NULL))
    return NULL;
  if (length > CO_PHOTO_PREP_MAX_BYTES)
    {
      g_set_error (error, CO_PHOTO_PREP_ERROR, CO_IMPORT_PHOTO_TOO_LARGE,
                   "The prepared photo is larger than %d bytes", CO_PHOTO_PREP_MAX_BYTES);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&buffer), length);
}

GBytes *
co_photo_prep_file_to_jpeg (const char  *path,
                            GError     **error)
{
  g_autoptr(CoPhotoPrep) self = NULL;
  CoImportPhotoProblem problem;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(self = co_photo_prep_new_from_file (path, error)))
    return NULL;
  if ((problem = co_photo_prep_check (self, 0, 0)) != CO_IMPORT_PHOTO_OK)
    {
      g_set_error (error, CO_PHOTO_PREP_ERROR, problem, "The photo is not usable: %s",
                   co_import_photo_problem_to_string (problem));
      return NULL;
    }
  return co_photo_prep_to_jpeg (self, NULL, error);
}
