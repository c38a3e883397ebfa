/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoReissue: one application for a reissued card (补卡), from 待支付 to
 * 已领取 (or 已退费 / 已撤销).
 */
#pragma once

#include <glib-object.h>

#include "co-types.h"
#include "co-rules.h"

G_BEGIN_DECLS

#define CO_TYPE_REISSUE (co_reissue_get_type ())
G_DECLARE_FINAL_TYPE (CoReissue, co_reissue, CO, REISSUE, GObject)

CoReissue       *co_reissue_new                 (const char *id,
                                                 const char *edu_id,
                                                 CoDelivery  delivery);

const char      *co_reissue_get_id              (CoReissue *self);
const char      *co_reissue_get_edu_id          (CoReissue *self);
CoReissueStatus  co_reissue_get_status          (CoReissue *self);
CoDelivery       co_reissue_get_delivery        (CoReissue *self);
const char      *co_reissue_get_address         (CoReissue *self);
const char      *co_reissue_get_recipient       (CoReissue *self);
const char      *co_reissue_get_phone           (CoReissue *self);
int              co_reissue_get_fee_fen         (CoReissue *self);
int              co_reissue_get_courier_fee_fen (CoReissue *self);
const char      *co_reissue_get_courier_no      (CoReissue *self);
const char      *co_reissue_get_created_at      (CoReissue *self);
const char      *co_reissue_get_paid_at         (CoReissue *self);
const char      *co_reissue_get_due_on          (CoReissue *self);

void             co_reissue_set_id              (CoReissue  *self,
                                                 const char *id);
void             co_reissue_set_edu_id          (CoReissue  *self,
                                                 const char *edu_id);
void             co_reissue_set_status          (CoReissue       *self,
                                                 CoReissueStatus  status);
void             co_reissue_set_delivery        (CoReissue  *self,
                                                 CoDelivery  delivery);
void             co_reissue_set_address         (CoReissue  *self,
                                                 const char *address);
void             co_reissue_set_recipient       (CoReissue  *self,
                                                 const char *recipient);
void             co_reissue_set_phone           (CoReissue  *self,
                                                 const char *phone);
void             co_reissue_set_fee_fen         (CoReissue *self,
                                                 int        fee_fen);
void             co_reissue_set_courier_fee_fen (CoReissue *self,
                                                 int        courier_fee_fen);
void             co_reissue_set_courier_no      (CoReissue  *self,
                                                 const char *courier_no);
void             co_reissue_set_created_at      (CoReissue  *self,
                                                 const char *created_at);
void             co_reissue_set_paid_at         (CoReissue  *self,
                                                 const char *paid_at);
void             co_reissue_set_due_on          (CoReissue  *self,
                                                 const char *due_on);

void             co_reissue_get_case            (CoReissue    *self,
                                                 CoCardStatus  card,
                                                 CoCase       *out);

G_END_DECLS
