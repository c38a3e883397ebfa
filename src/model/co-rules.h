/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * co-rules: every rule of DOMAIN.md as a pure function. Each answers
 * CO_REASON_NONE ("allowed") or the reason it refuses. The same code runs in
 * the app (to enable buttons and say why not) and in the reference server
 * (a refusal is a 409 carrying the reason's wire name).
 */
#pragma once

#include <glib.h>

#include "co-types.h"
#include "co-calendar.h"

G_BEGIN_DECLS

/* A date range, both ends inclusive (a school's winter or summer holiday). */
typedef struct
{
  GDate first;
  GDate last;
} CoDateRange;

/* The case a desk action is asked about: the card's status and the student's
 * current reissue (CO_REISSUE_STATUS_NONE when there is none, or when the
 * last one is closed: collected, refunded or withdrawn count as "none open"
 * for card actions, but are passed as-is to reissue actions). */
typedef struct
{
  CoCardStatus    card;
  CoReissueStatus reissue;
  CoDelivery      delivery; /* of the reissue, when there is one */
} CoCase;

/* Is @action allowed in @c? Every action of CoAction. */
CoReason        co_rules_check          (CoAction      action,
                                         const CoCase *c);

/* What follows an allowed @action: the new state of the case.
 * Returns FALSE (and leaves @out untouched) when the action is refused.
 * HAND_OUT / CONFIRM_DELIVERY leave the reissue COLLECTED and the old card
 * CANCELLED for good (the new card is a new CoCard, ACTIVE).
 * REFUND leaves the reissue REFUNDED (the application is withdrawn by it);
 * the loss report may then be lifted. */
gboolean        co_rules_apply          (CoAction      action,
                                         const CoCase *c,
                                         CoCase       *out);

/* Is this reissue still open (neither collected, refunded nor withdrawn)? */
gboolean        co_reissue_status_is_open (CoReissueStatus status);

/* Delivery of a reissue applied for on @today.
 * Home: @address, @recipient non-blank; @phone an 11-digit mainland mobile
 * number (1[3-9]xxxxxxxxx); @courier_fee_fen <= CO_COURIER_FEE_CAP_FEN.
 * School: refused while @today falls inside any of @holidays. */
CoReason        co_rules_check_delivery (CoDelivery         delivery,
                                         const char        *address,
                                         const char        *recipient,
                                         const char        *phone,
                                         int                courier_fee_fen,
                                         const GDate       *today,
                                         const CoDateRange *holidays,
                                         guint              n_holidays);

/* The holiday range containing @day, or NULL. */
const CoDateRange *co_rules_holiday_at  (const GDate       *day,
                                         const CoDateRange *holidays,
                                         guint              n_holidays);

gboolean        co_rules_phone_is_valid (const char *phone);

/* Education ID (教育ID): exactly 8 ASCII digits. */
CoReason        co_rules_check_edu_id   (const char *edu_id);

/* 新制卡: grade-1 entrants and transfers-in from outside Beijing. */
CoReason        co_rules_check_new_card (int      grade,
                                         CoEntry  entry);

/* First 卡贴: a new grade-7 or grade-10 student of that stage (entry is a
 * new entrant to the stage, or a transfer) with no reissued card in this
 * stage. */
CoReason        co_rules_check_sticker  (int      grade,
                                         CoEntry  entry,
                                         gboolean reissued_in_stage);

/* 有效期: the card is valid to the graduation of the current stage, which
 * ends on 31 August of the year the student finishes the stage's last
 * grade. @today fixes the school year (it starts on 1 September). */
void            co_rules_valid_until    (int          grade,
                                         const GDate *today,
                                         GDate       *out);

/* The due date of a reissue paid on @paid: CO_REISSUE_WORKING_DAYS working
 * days later by @calendar. *@estimated is set TRUE when a year on the way
 * had no official data and weekends alone were counted. */
void            co_rules_reissue_due    (CoCalendar  *calendar,
                                         const GDate *paid,
                                         GDate       *out,
                                         gboolean    *estimated);

G_END_DECLS
