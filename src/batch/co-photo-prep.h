/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoPhotoPrep: a student photo (JPEG or PNG) made ready for the card:
 * decoded upright (EXIF orientation applied), checked like co-import does
 * (format, corrupt, too large, too small, aspect), cropped (the centred
 * 13:16 rectangle by default, or the rectangle the app's crop UI chose) and
 * scaled to CO_PHOTO_PREP_WIDTH × CO_PHOTO_PREP_HEIGHT (26 × 32 mm at
 * 15 px/mm), encoded as a baseline JPEG the PUT /students/{edu_id}/photo
 * endpoint takes (at most CO_PHOTO_PREP_MAX_BYTES).
 *
 * Errors are CO_PHOTO_PREP_ERROR with a CoImportPhotoProblem as the code
 * (never CO_IMPORT_PHOTO_OK or _AMBIGUOUS), so the app words them as it
 * words co-import's photo problems. No GTK: gdk-pixbuf only; the app wraps
 * the pixbuf with gdk_texture_new_for_pixbuf () for its crop UI.
 */
#pragma once

#include <gio/gio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "co-import.h"

G_BEGIN_DECLS

#define CO_PHOTO_PREP_WIDTH         390
#define CO_PHOTO_PREP_HEIGHT        480
#define CO_PHOTO_PREP_JPEG_QUALITY  90
#define CO_PHOTO_PREP_MAX_BYTES     (1024 * 1024)

#define CO_PHOTO_PREP_ERROR (co_photo_prep_error_quark ())
GQuark co_photo_prep_error_quark (void);

/* A rectangle in the upright photo's pixels. */
typedef struct
{
  int x;
  int y;
  int width;
  int height;
} CoPhotoCrop;

#define CO_TYPE_PHOTO_PREP (co_photo_prep_get_type ())
G_DECLARE_FINAL_TYPE (CoPhotoPrep, co_photo_prep, CO, PHOTO_PREP, GObject)

/* Reads and decodes: UNREADABLE, TOO_LARGE (bytes), NOT_JPEG_OR_PNG,
 * CORRUPT (truncated or damaged), UNSUPPORTED. Blocking: call from a
 * thread (or use the _async variant) for big files in the app. */
CoPhotoPrep         *co_photo_prep_new_from_file    (const char           *path,
                                                     GError              **error);
CoPhotoPrep         *co_photo_prep_new_from_bytes   (GBytes               *bytes,
                                                     GError              **error);
void                 co_photo_prep_new_from_file_async (const char          *path,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
CoPhotoPrep         *co_photo_prep_new_from_file_finish (GAsyncResult       *result,
                                                         GError            **error);

/* Upright size (EXIF orientation applied). */
int                  co_photo_prep_get_width        (CoPhotoPrep          *self);
int                  co_photo_prep_get_height       (CoPhotoPrep          *self);
/* The upright pixels (owned by @self). */
GdkPixbuf           *co_photo_prep_get_pixbuf       (CoPhotoPrep          *self);

/* CO_IMPORT_PHOTO_OK, _ASPECT (not within CO_IMPORT_PHOTO_ASPECT_TOLERANCE
 * of 13:16) or _TOO_SMALL (under @min_width × @min_height; 0, 0 for
 * CO_IMPORT_PHOTO_MIN_WIDTH × _HEIGHT), in co-import's order. */
CoImportPhotoProblem co_photo_prep_check            (CoPhotoPrep          *self,
                                                     int                   min_width,
                                                     int                   min_height);

/* The centred 13:16 rectangle (co_import_photo_crop ()). */
void                 co_photo_prep_get_default_crop (CoPhotoPrep          *self,
                                                     CoPhotoCrop          *crop);
/* Clamps @crop inside the photo and widens or heightens it to 13:16
 * around its centre (for a crop UI that drags freely). */
void                 co_photo_prep_fit_crop         (CoPhotoPrep          *self,
                                                     CoPhotoCrop          *crop);

/* Cuts @crop (NULL: the default crop; must lie inside the photo, else
 * G_IO_ERROR_INVALID_ARGUMENT) and scales it to CO_PHOTO_PREP_WIDTH ×
 * CO_PHOTO_PREP_HEIGHT: the JPEG bytes. */
GBytes              *co_photo_prep_to_jpeg          (CoPhotoPrep          *self,
                                                     const CoPhotoCrop    *crop,
                                                     GError              **error);

/* Load, check (default minimum: TOO_SMALL and ASPECT are errors), default
 * crop, scale, encode: what the batch job uploads for a row. */
GBytes              *co_photo_prep_file_to_jpeg     (const char           *path,
                                                     GError              **error);

G_END_DECLS
