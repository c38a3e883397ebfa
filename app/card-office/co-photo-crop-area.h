/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <gtk/gtk.h>

#include "co-photo-prep.h"

G_BEGIN_DECLS

#define CO_TYPE_PHOTO_CROP_AREA (co_photo_crop_area_get_type ())

G_DECLARE_FINAL_TYPE (CoPhotoCropArea, co_photo_crop_area, CO, PHOTO_CROP_AREA, GtkWidget)

GtkWidget *co_photo_crop_area_new       (void);
/* Shows @texture (the upright photo, or NULL) with the centred 13:16
 * frame. */
void       co_photo_crop_area_set_photo (CoPhotoCropArea   *self,
                                         GdkTexture        *texture);
/* The frame in the photo's pixels; FALSE without a photo. */
gboolean   co_photo_crop_area_get_crop  (CoPhotoCropArea   *self,
                                         CoPhotoCrop       *crop);
/* Moves the frame: kept at 13:16 (the width decides), at least
 * CO_IMPORT_PHOTO_MIN_WIDTH wide when the photo allows, inside the photo. */
void       co_photo_crop_area_set_crop  (CoPhotoCropArea   *self,
                                         const CoPhotoCrop *crop);

/* @crop made 13:16 (from its width), at least @min_width wide (when the
 * photo allows) and inside @width × @height. */
void       co_photo_crop_clamp          (int                width,
                                         int                height,
                                         int                min_width,
                                         CoPhotoCrop       *crop);

G_END_DECLS
