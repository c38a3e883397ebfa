/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoStickerRequest: one row of a 卡贴 batch (new grade-7 and grade-10
 * students without a reissued card in the stage).
 */
#pragma once

#include <glib-object.h>

#include "co-types.h"

G_BEGIN_DECLS

#define CO_TYPE_STICKER_REQUEST (co_sticker_request_get_type ())
G_DECLARE_FINAL_TYPE (CoStickerRequest, co_sticker_request, CO, STICKER_REQUEST, GObject)

CoStickerRequest *co_sticker_request_new                   (const char *edu_id,
                                                            const char *name,
                                                            int         grade,
                                                            CoEntry     entry);

const char       *co_sticker_request_get_edu_id            (CoStickerRequest *self);
const char       *co_sticker_request_get_name              (CoStickerRequest *self);
int               co_sticker_request_get_grade             (CoStickerRequest *self);
const char       *co_sticker_request_get_class_name        (CoStickerRequest *self);
CoEntry           co_sticker_request_get_entry             (CoStickerRequest *self);
const char       *co_sticker_request_get_photo_path        (CoStickerRequest *self);
gboolean          co_sticker_request_get_reissued_in_stage (CoStickerRequest *self);

void              co_sticker_request_set_edu_id            (CoStickerRequest *self,
                                                            const char       *edu_id);
void              co_sticker_request_set_name              (CoStickerRequest *self,
                                                            const char       *name);
void              co_sticker_request_set_grade             (CoStickerRequest *self,
                                                            int               grade);
void              co_sticker_request_set_class_name        (CoStickerRequest *self,
                                                            const char       *class_name);
void              co_sticker_request_set_entry             (CoStickerRequest *self,
                                                            CoEntry           entry);
void              co_sticker_request_set_photo_path        (CoStickerRequest *self,
                                                            const char       *photo_path);
void              co_sticker_request_set_reissued_in_stage (CoStickerRequest *self,
                                                            gboolean          reissued_in_stage);

CoReason          co_sticker_request_check                 (CoStickerRequest *self);

G_END_DECLS
