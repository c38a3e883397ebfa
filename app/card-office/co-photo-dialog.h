/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

#include "co-client.h"
#include "co-photo-prep.h"

G_BEGIN_DECLS

#define CO_TYPE_PHOTO_DIALOG (co_photo_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CoPhotoDialog, co_photo_dialog, CO, PHOTO_DIALOG, AdwWindow)

CoPhotoDialog *co_photo_dialog_new       (GtkWindow         *parent,
                                          CoClient          *client,
                                          CoStudent         *student);
/* Reads and checks @file as if it were chosen (the file chooser calls it). */
void           co_photo_dialog_open_file (CoPhotoDialog     *self,
                                          GFile             *file);
/* The photo was read and nothing is under way. */
gboolean       co_photo_dialog_get_idle  (CoPhotoDialog     *self);
/* The frame, in the upright photo's pixels; FALSE without a photo. */
gboolean       co_photo_dialog_get_crop  (CoPhotoDialog     *self,
                                          CoPhotoCrop       *crop);
/* Moves the frame as a drag would (kept at 13:16, inside the photo). */
void           co_photo_dialog_set_crop  (CoPhotoDialog     *self,
                                          const CoPhotoCrop *crop);
/* The problem shown (in words), or NULL. */
const char    *co_photo_dialog_get_error (CoPhotoDialog     *self);

G_END_DECLS
