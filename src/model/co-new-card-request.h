/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoNewCardRequest: one row of a 新制卡 batch (grade-1 entrants and
 * transfers-in from outside Beijing).
 */
#pragma once

#include <glib-object.h>

#include "co-types.h"

G_BEGIN_DECLS

#define CO_TYPE_NEW_CARD_REQUEST (co_new_card_request_get_type ())
G_DECLARE_FINAL_TYPE (CoNewCardRequest, co_new_card_request, CO, NEW_CARD_REQUEST, GObject)

CoNewCardRequest *co_new_card_request_new            (const char *edu_id,
                                                      const char *name,
                                                      int         grade,
                                                      CoEntry     entry);

const char       *co_new_card_request_get_edu_id     (CoNewCardRequest *self);
const char       *co_new_card_request_get_name       (CoNewCardRequest *self);
int               co_new_card_request_get_grade      (CoNewCardRequest *self);
const char       *co_new_card_request_get_class_name (CoNewCardRequest *self);
CoEntry           co_new_card_request_get_entry      (CoNewCardRequest *self);
const char       *co_new_card_request_get_photo_path (CoNewCardRequest *self);

void              co_new_card_request_set_edu_id     (CoNewCardRequest *self,
                                                      const char       *edu_id);
void              co_new_card_request_set_name       (CoNewCardRequest *self,
                                                      const char       *name);
void              co_new_card_request_set_grade      (CoNewCardRequest *self,
                                                      int               grade);
void              co_new_card_request_set_class_name (CoNewCardRequest *self,
                                                      const char       *class_name);
void              co_new_card_request_set_entry      (CoNewCardRequest *self,
                                                      CoEntry           entry);
void              co_new_card_request_set_photo_path (CoNewCardRequest *self,
                                                      const char       *photo_path);

CoReason          co_new_card_request_check          (CoNewCardRequest *self);

G_END_DECLS
