/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoCard: one physical student card (北京通学生卡). A reissue makes a new
 * CoCard; the old one ends CANCELLED.
 */
#pragma once

#include <glib-object.h>

#include "co-types.h"

G_BEGIN_DECLS

#define CO_TYPE_CARD (co_card_get_type ())
G_DECLARE_FINAL_TYPE (CoCard, co_card, CO, CARD, GObject)

CoCard       *co_card_new           (const char *card_no);

const char   *co_card_get_card_no   (CoCard *self);
const char   *co_card_get_bjt_no    (CoCard *self);
const char   *co_card_get_uid       (CoCard *self);
CoCardStatus  co_card_get_status    (CoCard *self);
const char   *co_card_get_edu_id    (CoCard *self);
const char   *co_card_get_issued_on (CoCard *self);

void          co_card_set_card_no   (CoCard     *self,
                                     const char *card_no);
void          co_card_set_bjt_no    (CoCard     *self,
                                     const char *bjt_no);
void          co_card_set_uid       (CoCard     *self,
                                     const char *uid);
void          co_card_set_status    (CoCard       *self,
                                     CoCardStatus  status);
void          co_card_set_edu_id    (CoCard     *self,
                                     const char *edu_id);
void          co_card_set_issued_on (CoCard     *self,
                                     const char *issued_on);

G_END_DECLS
