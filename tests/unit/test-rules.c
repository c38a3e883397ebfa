/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * co-rules, table-driven: the loss/reissue state machine, delivery, the
 * education ID, new-card and sticker eligibility, validity and due dates.
 * Each table row is its own test case, named by its path.
 */
#define G_LOG_DOMAIN "test-rules"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "co-model.h"

/* Short names for the tables */
#define NI CO_CARD_STATUS_NOT_ISSUED
#define AC CO_CARD_STATUS_ACTIVE
#define RL CO_CARD_STATUS_REPORTED_LOST
#define CA CO_CARD_STATUS_CANCELLED

#define NONE CO_REISSUE_STATUS_NONE
#define PEND CO_REISSUE_STATUS_PENDING_PAYMENT
#define PAID CO_REISSUE_STATUS_PAID
#define PROD CO_REISSUE_STATUS_IN_PRODUCTION
#define PICK CO_REISSUE_STATUS_AWAITING_PICKUP
#define SHIP CO_REISSUE_STATUS_SHIPPED
#define COLL CO_REISSUE_STATUS_COLLECTED
#define REFD CO_REISSUE_STATUS_REFUNDED
#define WDRN CO_REISSUE_STATUS_WITHDRAWN

#define HOME CO_DELIVERY_HOME
#define SCHL CO_DELIVERY_SCHOOL

static const char *
path_part (GType type,
           int   value)
{
  /* Interned, so the tables' paths can point at them. */
  g_autofree char *part = g_strdup (co_enum_to_wire (type, value));

  g_assert_nonnull (part);
  g_strdelimit (part, "_", '-');
  return g_intern_string (part);
}

/* The state machine */

typedef struct
{
  CoAction        action;
  CoCardStatus    card;
  CoReissueStatus reissue;
  CoDelivery      delivery;
  CoReason        reason;     /* CO_REASON_NONE: allowed */
  CoCardStatus    next_card;  /* the same as card when refused */
  CoReissueStatus next_reissue;
} StateRow;

#define ALLOWED(act, c, r, d, nc, nr) \
  { CO_ACTION_##act, c, r, d, CO_REASON_NONE, nc, nr }
#define REFUSED(act, c, r, d, why) \
  { CO_ACTION_##act, c, r, d, CO_REASON_##why, c, r }

/* The expected answers, written from the rules in DOMAIN.md and the table
 * in co-rules.c. The reissue actions are listed for the lost card with every
 * reissue status; for the other card statuses with no reissue, a closed one
 * and the one that would allow the action (an open reissue on a card that is
 * not reported lost: refused with the card's reason). */
static const StateRow state_rows[] = {
  /* REPORT_LOSS: every card status x every reissue status */
  REFUSED (REPORT_LOSS, NI, NONE, SCHL, CARD_NOT_ISSUED),
  REFUSED (REPORT_LOSS, NI, PEND, SCHL, CARD_NOT_ISSUED),
  REFUSED (REPORT_LOSS, NI, PAID, SCHL, CARD_NOT_ISSUED),
  REFUSED (REPORT_LOSS, NI, PROD, SCHL, CARD_NOT_ISSUED),
  REFUSED (REPORT_LOSS, NI, PICK, SCHL, CARD_NOT_ISSUED),
  REFUSED (REPORT_LOSS, NI, SHIP, HOME, CARD_NOT_ISSUED),
  REFUSED (REPORT_LOSS, NI, COLL, SCHL, CARD_NOT_ISSUED),
  REFUSED (REPORT_LOSS, NI, REFD, SCHL, CARD_NOT_ISSUED),
  REFUSED (REPORT_LOSS, NI, WDRN, SCHL, CARD_NOT_ISSUED),
  ALLOWED (REPORT_LOSS, AC, NONE, SCHL, RL, NONE),
  REFUSED (REPORT_LOSS, AC, PEND, SCHL, REISSUE_OPEN),
  REFUSED (REPORT_LOSS, AC, PAID, SCHL, REISSUE_OPEN),
  REFUSED (REPORT_LOSS, AC, PROD, SCHL, REISSUE_OPEN),
  REFUSED (REPORT_LOSS, AC, PICK, SCHL, REISSUE_OPEN),
  REFUSED (REPORT_LOSS, AC, SHIP, HOME, REISSUE_OPEN),
  ALLOWED (REPORT_LOSS, AC, COLL, SCHL, RL, COLL),
  ALLOWED (REPORT_LOSS, AC, REFD, SCHL, RL, REFD),
  ALLOWED (REPORT_LOSS, AC, WDRN, SCHL, RL, WDRN),
  REFUSED (REPORT_LOSS, RL, NONE, SCHL, CARD_ALREADY_LOST),
  REFUSED (REPORT_LOSS, RL, PEND, SCHL, CARD_ALREADY_LOST),
  REFUSED (REPORT_LOSS, RL, PAID, SCHL, CARD_ALREADY_LOST),
  REFUSED (REPORT_LOSS, RL, PROD, SCHL, CARD_ALREADY_LOST),
  REFUSED (REPORT_LOSS, RL, PICK, SCHL, CARD_ALREADY_LOST),
  REFUSED (REPORT_LOSS, RL, SHIP, HOME, CARD_ALREADY_LOST),
  REFUSED (REPORT_LOSS, RL, COLL, SCHL, CARD_ALREADY_LOST),
  REFUSED (REPORT_LOSS, RL, REFD, SCHL, CARD_ALREADY_LOST),
  REFUSED (REPORT_LOSS, RL, WDRN, SCHL, CARD_ALREADY_LOST),
  REFUSED (REPORT_LOSS, CA, NONE, SCHL, CARD_CANCELLED),
  REFUSED (REPORT_LOSS, CA, PEND, SCHL, CARD_CANCELLED),
  REFUSED (REPORT_LOSS, CA, PAID, SCHL, CARD_CANCELLED),
  REFUSED (REPORT_LOSS, CA, PROD, SCHL, CARD_CANCELLED),
  REFUSED (REPORT_LOSS, CA, PICK, SCHL, CARD_CANCELLED),
  REFUSED (REPORT_LOSS, CA, SHIP, HOME, CARD_CANCELLED),
  REFUSED (REPORT_LOSS, CA, COLL, SCHL, CARD_CANCELLED),
  REFUSED (REPORT_LOSS, CA, REFD, SCHL, CARD_CANCELLED),
  REFUSED (REPORT_LOSS, CA, WDRN, SCHL, CARD_CANCELLED),

  /* LIFT_LOSS: every card status x every reissue status */
  REFUSED (LIFT_LOSS, NI, NONE, SCHL, CARD_NOT_ISSUED),
  REFUSED (LIFT_LOSS, NI, PEND, SCHL, CARD_NOT_ISSUED),
  REFUSED (LIFT_LOSS, NI, PAID, SCHL, CARD_NOT_ISSUED),
  REFUSED (LIFT_LOSS, NI, PROD, SCHL, CARD_NOT_ISSUED),
  REFUSED (LIFT_LOSS, NI, PICK, SCHL, CARD_NOT_ISSUED),
  REFUSED (LIFT_LOSS, NI, SHIP, HOME, CARD_NOT_ISSUED),
  REFUSED (LIFT_LOSS, NI, COLL, SCHL, CARD_NOT_ISSUED),
  REFUSED (LIFT_LOSS, NI, REFD, SCHL, CARD_NOT_ISSUED),
  REFUSED (LIFT_LOSS, NI, WDRN, SCHL, CARD_NOT_ISSUED),
  REFUSED (LIFT_LOSS, AC, NONE, SCHL, CARD_NOT_LOST),
  REFUSED (LIFT_LOSS, AC, PEND, SCHL, CARD_NOT_LOST),
  REFUSED (LIFT_LOSS, AC, PAID, SCHL, CARD_NOT_LOST),
  REFUSED (LIFT_LOSS, AC, PROD, SCHL, CARD_NOT_LOST),
  REFUSED (LIFT_LOSS, AC, PICK, SCHL, CARD_NOT_LOST),
  REFUSED (LIFT_LOSS, AC, SHIP, HOME, CARD_NOT_LOST),
  REFUSED (LIFT_LOSS, AC, COLL, SCHL, CARD_NOT_LOST),
  REFUSED (LIFT_LOSS, AC, REFD, SCHL, CARD_NOT_LOST),
  REFUSED (LIFT_LOSS, AC, WDRN, SCHL, CARD_NOT_LOST),
  ALLOWED (LIFT_LOSS, RL, NONE, SCHL, AC, NONE),
  REFUSED (LIFT_LOSS, RL, PEND, SCHL, REISSUE_OPEN),
  REFUSED (LIFT_LOSS, RL, PAID, SCHL, REISSUE_OPEN),
  REFUSED (LIFT_LOSS, RL, PROD, SCHL, REISSUE_OPEN),
  REFUSED (LIFT_LOSS, RL, PICK, SCHL, REISSUE_OPEN),
  REFUSED (LIFT_LOSS, RL, SHIP, HOME, REISSUE_OPEN),
  ALLOWED (LIFT_LOSS, RL, COLL, SCHL, AC, COLL),
  ALLOWED (LIFT_LOSS, RL, REFD, SCHL, AC, REFD),
  ALLOWED (LIFT_LOSS, RL, WDRN, SCHL, AC, WDRN),
  REFUSED (LIFT_LOSS, CA, NONE, SCHL, CARD_CANCELLED),
  REFUSED (LIFT_LOSS, CA, PEND, SCHL, CARD_CANCELLED),
  REFUSED (LIFT_LOSS, CA, PAID, SCHL, CARD_CANCELLED),
  REFUSED (LIFT_LOSS, CA, PROD, SCHL, CARD_CANCELLED),
  REFUSED (LIFT_LOSS, CA, PICK, SCHL, CARD_CANCELLED),
  REFUSED (LIFT_LOSS, CA, SHIP, HOME, CARD_CANCELLED),
  REFUSED (LIFT_LOSS, CA, COLL, SCHL, CARD_CANCELLED),
  REFUSED (LIFT_LOSS, CA, REFD, SCHL, CARD_CANCELLED),
  REFUSED (LIFT_LOSS, CA, WDRN, SCHL, CARD_CANCELLED),

  /* APPLY_REISSUE: every card status x every reissue status */
  REFUSED (APPLY_REISSUE, NI, NONE, SCHL, CARD_NOT_ISSUED),
  REFUSED (APPLY_REISSUE, NI, PEND, SCHL, CARD_NOT_ISSUED),
  REFUSED (APPLY_REISSUE, NI, PAID, SCHL, CARD_NOT_ISSUED),
  REFUSED (APPLY_REISSUE, NI, PROD, SCHL, CARD_NOT_ISSUED),
  REFUSED (APPLY_REISSUE, NI, PICK, SCHL, CARD_NOT_ISSUED),
  REFUSED (APPLY_REISSUE, NI, SHIP, HOME, CARD_NOT_ISSUED),
  REFUSED (APPLY_REISSUE, NI, COLL, SCHL, CARD_NOT_ISSUED),
  REFUSED (APPLY_REISSUE, NI, REFD, SCHL, CARD_NOT_ISSUED),
  REFUSED (APPLY_REISSUE, NI, WDRN, SCHL, CARD_NOT_ISSUED),
  REFUSED (APPLY_REISSUE, AC, NONE, SCHL, CARD_NOT_LOST),
  REFUSED (APPLY_REISSUE, AC, PEND, SCHL, CARD_NOT_LOST),
  REFUSED (APPLY_REISSUE, AC, PAID, SCHL, CARD_NOT_LOST),
  REFUSED (APPLY_REISSUE, AC, PROD, SCHL, CARD_NOT_LOST),
  REFUSED (APPLY_REISSUE, AC, PICK, SCHL, CARD_NOT_LOST),
  REFUSED (APPLY_REISSUE, AC, SHIP, HOME, CARD_NOT_LOST),
  REFUSED (APPLY_REISSUE, AC, COLL, SCHL, CARD_NOT_LOST),
  REFUSED (APPLY_REISSUE, AC, REFD, SCHL, CARD_NOT_LOST),
  REFUSED (APPLY_REISSUE, AC, WDRN, SCHL, CARD_NOT_LOST),
  ALLOWED (APPLY_REISSUE, RL, NONE, HOME, RL, PEND),
  ALLOWED (APPLY_REISSUE, RL, NONE, SCHL, RL, PEND),
  REFUSED (APPLY_REISSUE, RL, PEND, SCHL, REISSUE_OPEN),
  REFUSED (APPLY_REISSUE, RL, PAID, SCHL, REISSUE_OPEN),
  REFUSED (APPLY_REISSUE, RL, PROD, SCHL, REISSUE_OPEN),
  REFUSED (APPLY_REISSUE, RL, PICK, SCHL, REISSUE_OPEN),
  REFUSED (APPLY_REISSUE, RL, SHIP, HOME, REISSUE_OPEN),
  ALLOWED (APPLY_REISSUE, RL, COLL, HOME, RL, PEND),
  ALLOWED (APPLY_REISSUE, RL, COLL, SCHL, RL, PEND),
  ALLOWED (APPLY_REISSUE, RL, REFD, HOME, RL, PEND),
  ALLOWED (APPLY_REISSUE, RL, REFD, SCHL, RL, PEND),
  ALLOWED (APPLY_REISSUE, RL, WDRN, HOME, RL, PEND),
  ALLOWED (APPLY_REISSUE, RL, WDRN, SCHL, RL, PEND),
  REFUSED (APPLY_REISSUE, CA, NONE, SCHL, CARD_CANCELLED),
  REFUSED (APPLY_REISSUE, CA, PEND, SCHL, CARD_CANCELLED),
  REFUSED (APPLY_REISSUE, CA, PAID, SCHL, CARD_CANCELLED),
  REFUSED (APPLY_REISSUE, CA, PROD, SCHL, CARD_CANCELLED),
  REFUSED (APPLY_REISSUE, CA, PICK, SCHL, CARD_CANCELLED),
  REFUSED (APPLY_REISSUE, CA, SHIP, HOME, CARD_CANCELLED),
  REFUSED (APPLY_REISSUE, CA, COLL, SCHL, CARD_CANCELLED),
  REFUSED (APPLY_REISSUE, CA, REFD, SCHL, CARD_CANCELLED),
  REFUSED (APPLY_REISSUE, CA, WDRN, SCHL, CARD_CANCELLED),

  /* PAY: the lost card x every reissue status; the other cards with no,
   * a closed, or the allowing reissue */
  REFUSED (PAY, NI, NONE, SCHL, NO_REISSUE),
  REFUSED (PAY, NI, PEND, SCHL, CARD_NOT_ISSUED),
  REFUSED (PAY, NI, COLL, SCHL, REISSUE_CLOSED),
  REFUSED (PAY, NI, REFD, SCHL, REISSUE_CLOSED),
  REFUSED (PAY, NI, WDRN, SCHL, REISSUE_CLOSED),
  REFUSED (PAY, AC, NONE, SCHL, NO_REISSUE),
  REFUSED (PAY, AC, PEND, SCHL, CARD_NOT_LOST),
  REFUSED (PAY, AC, COLL, SCHL, REISSUE_CLOSED),
  REFUSED (PAY, AC, REFD, SCHL, REISSUE_CLOSED),
  REFUSED (PAY, AC, WDRN, SCHL, REISSUE_CLOSED),
  REFUSED (PAY, RL, NONE, SCHL, NO_REISSUE),
  ALLOWED (PAY, RL, PEND, SCHL, RL, PAID),
  REFUSED (PAY, RL, PAID, SCHL, ALREADY_PAID),
  REFUSED (PAY, RL, PROD, SCHL, ALREADY_PAID),
  REFUSED (PAY, RL, PICK, SCHL, ALREADY_PAID),
  REFUSED (PAY, RL, SHIP, HOME, ALREADY_PAID),
  REFUSED (PAY, RL, COLL, SCHL, REISSUE_CLOSED),
  REFUSED (PAY, RL, REFD, SCHL, REISSUE_CLOSED),
  REFUSED (PAY, RL, WDRN, SCHL, REISSUE_CLOSED),
  REFUSED (PAY, CA, NONE, SCHL, NO_REISSUE),
  REFUSED (PAY, CA, PEND, SCHL, CARD_CANCELLED),
  REFUSED (PAY, CA, COLL, SCHL, REISSUE_CLOSED),
  REFUSED (PAY, CA, REFD, SCHL, REISSUE_CLOSED),
  REFUSED (PAY, CA, WDRN, SCHL, REISSUE_CLOSED),

  /* REFUND: the lost card x every reissue status; the other cards with no,
   * a closed, or the allowing reissue */
  REFUSED (REFUND, NI, NONE, SCHL, NO_REISSUE),
  REFUSED (REFUND, NI, PAID, SCHL, CARD_NOT_ISSUED),
  REFUSED (REFUND, NI, COLL, SCHL, IN_PRODUCTION),
  REFUSED (REFUND, NI, REFD, SCHL, REISSUE_CLOSED),
  REFUSED (REFUND, NI, WDRN, SCHL, REISSUE_CLOSED),
  REFUSED (REFUND, AC, NONE, SCHL, NO_REISSUE),
  REFUSED (REFUND, AC, PAID, SCHL, CARD_NOT_LOST),
  REFUSED (REFUND, AC, COLL, SCHL, IN_PRODUCTION),
  REFUSED (REFUND, AC, REFD, SCHL, REISSUE_CLOSED),
  REFUSED (REFUND, AC, WDRN, SCHL, REISSUE_CLOSED),
  REFUSED (REFUND, RL, NONE, SCHL, NO_REISSUE),
  REFUSED (REFUND, RL, PEND, SCHL, NOT_PAID),
  ALLOWED (REFUND, RL, PAID, SCHL, RL, REFD),
  REFUSED (REFUND, RL, PROD, SCHL, IN_PRODUCTION),
  REFUSED (REFUND, RL, PICK, SCHL, IN_PRODUCTION),
  REFUSED (REFUND, RL, SHIP, HOME, IN_PRODUCTION),
  REFUSED (REFUND, RL, COLL, SCHL, IN_PRODUCTION),
  REFUSED (REFUND, RL, REFD, SCHL, REISSUE_CLOSED),
  REFUSED (REFUND, RL, WDRN, SCHL, REISSUE_CLOSED),
  REFUSED (REFUND, CA, NONE, SCHL, NO_REISSUE),
  REFUSED (REFUND, CA, PAID, SCHL, CARD_CANCELLED),
  REFUSED (REFUND, CA, COLL, SCHL, IN_PRODUCTION),
  REFUSED (REFUND, CA, REFD, SCHL, REISSUE_CLOSED),
  REFUSED (REFUND, CA, WDRN, SCHL, REISSUE_CLOSED),

  /* WITHDRAW: the lost card x every reissue status; the other cards with no,
   * a closed, or the allowing reissue */
  REFUSED (WITHDRAW, NI, NONE, SCHL, NO_REISSUE),
  REFUSED (WITHDRAW, NI, PEND, SCHL, CARD_NOT_ISSUED),
  REFUSED (WITHDRAW, NI, COLL, SCHL, IN_PRODUCTION),
  REFUSED (WITHDRAW, NI, REFD, SCHL, REISSUE_CLOSED),
  REFUSED (WITHDRAW, NI, WDRN, SCHL, REISSUE_CLOSED),
  REFUSED (WITHDRAW, AC, NONE, SCHL, NO_REISSUE),
  REFUSED (WITHDRAW, AC, PEND, SCHL, CARD_NOT_LOST),
  REFUSED (WITHDRAW, AC, COLL, SCHL, IN_PRODUCTION),
  REFUSED (WITHDRAW, AC, REFD, SCHL, REISSUE_CLOSED),
  REFUSED (WITHDRAW, AC, WDRN, SCHL, REISSUE_CLOSED),
  REFUSED (WITHDRAW, RL, NONE, SCHL, NO_REISSUE),
  ALLOWED (WITHDRAW, RL, PEND, SCHL, RL, WDRN),
  REFUSED (WITHDRAW, RL, PAID, SCHL, WITHDRAW_NEEDS_REFUND),
  REFUSED (WITHDRAW, RL, PROD, SCHL, IN_PRODUCTION),
  REFUSED (WITHDRAW, RL, PICK, SCHL, IN_PRODUCTION),
  REFUSED (WITHDRAW, RL, SHIP, HOME, IN_PRODUCTION),
  REFUSED (WITHDRAW, RL, COLL, SCHL, IN_PRODUCTION),
  REFUSED (WITHDRAW, RL, REFD, SCHL, REISSUE_CLOSED),
  REFUSED (WITHDRAW, RL, WDRN, SCHL, REISSUE_CLOSED),
  REFUSED (WITHDRAW, CA, NONE, SCHL, NO_REISSUE),
  REFUSED (WITHDRAW, CA, PEND, SCHL, CARD_CANCELLED),
  REFUSED (WITHDRAW, CA, COLL, SCHL, IN_PRODUCTION),
  REFUSED (WITHDRAW, CA, REFD, SCHL, REISSUE_CLOSED),
  REFUSED (WITHDRAW, CA, WDRN, SCHL, REISSUE_CLOSED),

  /* START_PRODUCTION: the lost card x every reissue status; the other cards with no,
   * a closed, or the allowing reissue */
  REFUSED (START_PRODUCTION, NI, NONE, SCHL, NO_REISSUE),
  REFUSED (START_PRODUCTION, NI, PAID, SCHL, CARD_NOT_ISSUED),
  REFUSED (START_PRODUCTION, NI, COLL, SCHL, IN_PRODUCTION),
  REFUSED (START_PRODUCTION, NI, REFD, SCHL, REISSUE_CLOSED),
  REFUSED (START_PRODUCTION, NI, WDRN, SCHL, REISSUE_CLOSED),
  REFUSED (START_PRODUCTION, AC, NONE, SCHL, NO_REISSUE),
  REFUSED (START_PRODUCTION, AC, PAID, SCHL, CARD_NOT_LOST),
  REFUSED (START_PRODUCTION, AC, COLL, SCHL, IN_PRODUCTION),
  REFUSED (START_PRODUCTION, AC, REFD, SCHL, REISSUE_CLOSED),
  REFUSED (START_PRODUCTION, AC, WDRN, SCHL, REISSUE_CLOSED),
  REFUSED (START_PRODUCTION, RL, NONE, SCHL, NO_REISSUE),
  REFUSED (START_PRODUCTION, RL, PEND, SCHL, NOT_PAID),
  ALLOWED (START_PRODUCTION, RL, PAID, SCHL, RL, PROD),
  REFUSED (START_PRODUCTION, RL, PROD, SCHL, IN_PRODUCTION),
  REFUSED (START_PRODUCTION, RL, PICK, SCHL, IN_PRODUCTION),
  REFUSED (START_PRODUCTION, RL, SHIP, HOME, IN_PRODUCTION),
  REFUSED (START_PRODUCTION, RL, COLL, SCHL, IN_PRODUCTION),
  REFUSED (START_PRODUCTION, RL, REFD, SCHL, REISSUE_CLOSED),
  REFUSED (START_PRODUCTION, RL, WDRN, SCHL, REISSUE_CLOSED),
  REFUSED (START_PRODUCTION, CA, NONE, SCHL, NO_REISSUE),
  REFUSED (START_PRODUCTION, CA, PAID, SCHL, CARD_CANCELLED),
  REFUSED (START_PRODUCTION, CA, COLL, SCHL, IN_PRODUCTION),
  REFUSED (START_PRODUCTION, CA, REFD, SCHL, REISSUE_CLOSED),
  REFUSED (START_PRODUCTION, CA, WDRN, SCHL, REISSUE_CLOSED),

  /* FINISH_PRODUCTION: the lost card x every reissue status; the other cards with no,
   * a closed, or the allowing reissue */
  REFUSED (FINISH_PRODUCTION, NI, NONE, SCHL, NO_REISSUE),
  REFUSED (FINISH_PRODUCTION, NI, PROD, HOME, CARD_NOT_ISSUED),
  REFUSED (FINISH_PRODUCTION, NI, PROD, SCHL, CARD_NOT_ISSUED),
  REFUSED (FINISH_PRODUCTION, NI, COLL, SCHL, NOT_IN_PRODUCTION),
  REFUSED (FINISH_PRODUCTION, NI, REFD, SCHL, NOT_IN_PRODUCTION),
  REFUSED (FINISH_PRODUCTION, NI, WDRN, SCHL, NOT_IN_PRODUCTION),
  REFUSED (FINISH_PRODUCTION, AC, NONE, SCHL, NO_REISSUE),
  REFUSED (FINISH_PRODUCTION, AC, PROD, HOME, CARD_NOT_LOST),
  REFUSED (FINISH_PRODUCTION, AC, PROD, SCHL, CARD_NOT_LOST),
  REFUSED (FINISH_PRODUCTION, AC, COLL, SCHL, NOT_IN_PRODUCTION),
  REFUSED (FINISH_PRODUCTION, AC, REFD, SCHL, NOT_IN_PRODUCTION),
  REFUSED (FINISH_PRODUCTION, AC, WDRN, SCHL, NOT_IN_PRODUCTION),
  REFUSED (FINISH_PRODUCTION, RL, NONE, SCHL, NO_REISSUE),
  REFUSED (FINISH_PRODUCTION, RL, PEND, SCHL, NOT_IN_PRODUCTION),
  REFUSED (FINISH_PRODUCTION, RL, PAID, SCHL, NOT_IN_PRODUCTION),
  ALLOWED (FINISH_PRODUCTION, RL, PROD, HOME, RL, SHIP),
  ALLOWED (FINISH_PRODUCTION, RL, PROD, SCHL, RL, PICK),
  REFUSED (FINISH_PRODUCTION, RL, PICK, SCHL, NOT_IN_PRODUCTION),
  REFUSED (FINISH_PRODUCTION, RL, SHIP, HOME, NOT_IN_PRODUCTION),
  REFUSED (FINISH_PRODUCTION, RL, COLL, SCHL, NOT_IN_PRODUCTION),
  REFUSED (FINISH_PRODUCTION, RL, REFD, SCHL, NOT_IN_PRODUCTION),
  REFUSED (FINISH_PRODUCTION, RL, WDRN, SCHL, NOT_IN_PRODUCTION),
  REFUSED (FINISH_PRODUCTION, CA, NONE, SCHL, NO_REISSUE),
  REFUSED (FINISH_PRODUCTION, CA, PROD, HOME, CARD_CANCELLED),
  REFUSED (FINISH_PRODUCTION, CA, PROD, SCHL, CARD_CANCELLED),
  REFUSED (FINISH_PRODUCTION, CA, COLL, SCHL, NOT_IN_PRODUCTION),
  REFUSED (FINISH_PRODUCTION, CA, REFD, SCHL, NOT_IN_PRODUCTION),
  REFUSED (FINISH_PRODUCTION, CA, WDRN, SCHL, NOT_IN_PRODUCTION),

  /* HAND_OUT: the lost card x every reissue status; the other cards with no,
   * a closed, or the allowing reissue */
  REFUSED (HAND_OUT, NI, NONE, SCHL, NO_REISSUE),
  REFUSED (HAND_OUT, NI, PICK, SCHL, CARD_NOT_ISSUED),
  REFUSED (HAND_OUT, NI, COLL, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (HAND_OUT, NI, REFD, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (HAND_OUT, NI, WDRN, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (HAND_OUT, AC, NONE, SCHL, NO_REISSUE),
  REFUSED (HAND_OUT, AC, PICK, SCHL, CARD_NOT_LOST),
  REFUSED (HAND_OUT, AC, COLL, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (HAND_OUT, AC, REFD, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (HAND_OUT, AC, WDRN, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (HAND_OUT, RL, NONE, SCHL, NO_REISSUE),
  REFUSED (HAND_OUT, RL, PEND, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (HAND_OUT, RL, PAID, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (HAND_OUT, RL, PROD, SCHL, NOT_AWAITING_PICKUP),
  ALLOWED (HAND_OUT, RL, PICK, SCHL, CA, COLL),
  REFUSED (HAND_OUT, RL, SHIP, HOME, HOME_DELIVERY),
  REFUSED (HAND_OUT, RL, COLL, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (HAND_OUT, RL, REFD, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (HAND_OUT, RL, WDRN, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (HAND_OUT, CA, NONE, SCHL, NO_REISSUE),
  REFUSED (HAND_OUT, CA, PICK, SCHL, CARD_CANCELLED),
  REFUSED (HAND_OUT, CA, COLL, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (HAND_OUT, CA, REFD, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (HAND_OUT, CA, WDRN, SCHL, NOT_AWAITING_PICKUP),

  /* CONFIRM_DELIVERY: the lost card x every reissue status; the other cards with no,
   * a closed, or the allowing reissue */
  REFUSED (CONFIRM_DELIVERY, NI, NONE, SCHL, NO_REISSUE),
  REFUSED (CONFIRM_DELIVERY, NI, SHIP, HOME, CARD_NOT_ISSUED),
  REFUSED (CONFIRM_DELIVERY, NI, COLL, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (CONFIRM_DELIVERY, NI, REFD, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (CONFIRM_DELIVERY, NI, WDRN, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (CONFIRM_DELIVERY, AC, NONE, SCHL, NO_REISSUE),
  REFUSED (CONFIRM_DELIVERY, AC, SHIP, HOME, CARD_NOT_LOST),
  REFUSED (CONFIRM_DELIVERY, AC, COLL, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (CONFIRM_DELIVERY, AC, REFD, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (CONFIRM_DELIVERY, AC, WDRN, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (CONFIRM_DELIVERY, RL, NONE, SCHL, NO_REISSUE),
  REFUSED (CONFIRM_DELIVERY, RL, PEND, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (CONFIRM_DELIVERY, RL, PAID, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (CONFIRM_DELIVERY, RL, PROD, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (CONFIRM_DELIVERY, RL, PICK, SCHL, SCHOOL_DELIVERY),
  ALLOWED (CONFIRM_DELIVERY, RL, SHIP, HOME, CA, COLL),
  REFUSED (CONFIRM_DELIVERY, RL, COLL, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (CONFIRM_DELIVERY, RL, REFD, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (CONFIRM_DELIVERY, RL, WDRN, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (CONFIRM_DELIVERY, CA, NONE, SCHL, NO_REISSUE),
  REFUSED (CONFIRM_DELIVERY, CA, SHIP, HOME, CARD_CANCELLED),
  REFUSED (CONFIRM_DELIVERY, CA, COLL, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (CONFIRM_DELIVERY, CA, REFD, SCHL, NOT_AWAITING_PICKUP),
  REFUSED (CONFIRM_DELIVERY, CA, WDRN, SCHL, NOT_AWAITING_PICKUP),
};

static gboolean
action_uses_delivery (CoAction action)
{
  return action == CO_ACTION_APPLY_REISSUE || action == CO_ACTION_FINISH_PRODUCTION;
}

static char *
state_row_path (const StateRow *row)
{
  GString *path = g_string_new ("/core/rules/");

  g_string_append_printf (path, "%s/%s/%s",
                          path_part (CO_TYPE_ACTION, row->action),
                          path_part (CO_TYPE_CARD_STATUS, row->card),
                          path_part (CO_TYPE_REISSUE_STATUS, row->reissue));
  if (action_uses_delivery (row->action))
    g_string_append_printf (path, "/%s", path_part (CO_TYPE_DELIVERY, row->delivery));

  return g_string_free (path, FALSE);
}

static void
test_state_row (gconstpointer data)
{
  const StateRow *row = data;
  const CoCase c = { row->card, row->reissue, row->delivery };
  CoCase out = { CO_CARD_STATUS_CANCELLED, CO_REISSUE_STATUS_WITHDRAWN, CO_DELIVERY_HOME };
  const CoCase sentinel = out;
  CoReason reason;
  gboolean applied;

  reason = co_rules_check (row->action, &c);
  g_assert_cmpstr (co_enum_to_wire (CO_TYPE_REASON, reason), ==,
                   co_enum_to_wire (CO_TYPE_REASON, row->reason));

  applied = co_rules_apply (row->action, &c, &out);
  g_assert_cmpint (applied, ==, row->reason == CO_REASON_NONE);

  if (applied)
    {
      g_assert_cmpint (out.card, ==, row->next_card);
      g_assert_cmpint (out.reissue, ==, row->next_reissue);
      g_assert_cmpint (out.delivery, ==, row->delivery);
    }
  else
    {
      /* Refused: @out untouched */
      g_assert_true (memcmp (&out, &sentinel, sizeof out) == 0);
      g_assert_cmpint (row->next_card, ==, row->card);
      g_assert_cmpint (row->next_reissue, ==, row->reissue);
    }
}

/* Every action meets every card status and every reissue status in the
 * table, and each table row is allowed or refused on purpose. */
static void
test_state_table_coverage (void)
{
  g_autoptr(GEnumClass) actions = g_type_class_ref (CO_TYPE_ACTION);
  g_autoptr(GEnumClass) cards = g_type_class_ref (CO_TYPE_CARD_STATUS);
  g_autoptr(GEnumClass) reissues = g_type_class_ref (CO_TYPE_REISSUE_STATUS);

  for (guint a = 0; a < actions->n_values; a++)
    {
      guint n_allowed = 0, n_refused = 0;

      for (guint cs = 0; cs < cards->n_values; cs++)
        {
          gboolean seen = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (state_rows); i++)
            seen |= (state_rows[i].action == (CoAction) a && state_rows[i].card == (CoCardStatus) cs);
          if (!seen)
            g_error ("%s never meets card %s", actions->values[a].value_nick, cards->values[cs].value_nick);
        }

      for (guint rs = 0; rs < reissues->n_values; rs++)
        {
          gboolean seen = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (state_rows); i++)
            seen |= (state_rows[i].action == (CoAction) a && state_rows[i].reissue == (CoReissueStatus) rs);
          if (!seen)
            g_error ("%s never meets reissue %s", actions->values[a].value_nick, reissues->values[rs].value_nick);
        }

      for (guint i = 0; i < G_N_ELEMENTS (state_rows); i++)
        {
          if (state_rows[i].action != (CoAction) a)
            continue;
          if (state_rows[i].reason == CO_REASON_NONE)
            n_allowed++;
          else
            n_refused++;
        }
      g_assert_cmpuint (n_allowed, >, 0);
      g_assert_cmpuint (n_refused, >, 0);
    }
}

/* Outside the table too: for every action and every case, check and apply
 * agree, a refusal leaves @out alone, and an allowed action never produces
 * a state the machine forbids (an open reissue on a card not reported lost). */
static void
test_state_check_apply_agree (void)
{
  for (CoAction a = CO_ACTION_REPORT_LOSS; a <= CO_ACTION_CONFIRM_DELIVERY; a++)
    for (CoCardStatus cs = CO_CARD_STATUS_NOT_ISSUED; cs <= CO_CARD_STATUS_CANCELLED; cs++)
      for (CoReissueStatus rs = CO_REISSUE_STATUS_NONE; rs <= CO_REISSUE_STATUS_WITHDRAWN; rs++)
        for (CoDelivery d = CO_DELIVERY_HOME; d <= CO_DELIVERY_SCHOOL; d++)
          {
            const CoCase c = { cs, rs, d };
            CoCase out = { CO_CARD_STATUS_CANCELLED, CO_REISSUE_STATUS_WITHDRAWN, CO_DELIVERY_HOME };
            const CoCase sentinel = out;
            CoReason reason = co_rules_check (a, &c);
            gboolean applied = co_rules_apply (a, &c, &out);

            g_assert_cmpint (applied, ==, reason == CO_REASON_NONE);
            if (!applied)
              {
                g_assert_true (memcmp (&out, &sentinel, sizeof out) == 0);
                continue;
              }

            /* Something moved, and only where it may */
            g_assert_true (out.card != c.card || out.reissue != c.reissue);
            g_assert_cmpint (out.delivery, ==, c.delivery);
            if (co_reissue_status_is_open (out.reissue))
              g_assert_cmpint (out.card, ==, CO_CARD_STATUS_REPORTED_LOST);
            if (out.reissue == CO_REISSUE_STATUS_COLLECTED && c.reissue != CO_REISSUE_STATUS_COLLECTED)
              g_assert_cmpint (out.card, ==, CO_CARD_STATUS_CANCELLED);
          }
}

static void
test_reissue_status_is_open (void)
{
  g_assert_false (co_reissue_status_is_open (CO_REISSUE_STATUS_NONE));
  g_assert_true (co_reissue_status_is_open (CO_REISSUE_STATUS_PENDING_PAYMENT));
  g_assert_true (co_reissue_status_is_open (CO_REISSUE_STATUS_PAID));
  g_assert_true (co_reissue_status_is_open (CO_REISSUE_STATUS_IN_PRODUCTION));
  g_assert_true (co_reissue_status_is_open (CO_REISSUE_STATUS_AWAITING_PICKUP));
  g_assert_true (co_reissue_status_is_open (CO_REISSUE_STATUS_SHIPPED));
  g_assert_false (co_reissue_status_is_open (CO_REISSUE_STATUS_COLLECTED));
  g_assert_false (co_reissue_status_is_open (CO_REISSUE_STATUS_REFUNDED));
  g_assert_false (co_reissue_status_is_open (CO_REISSUE_STATUS_WITHDRAWN));
}

/* Whole lifecycles, one action after the other */

typedef struct
{
  const char     *path;
  CoDelivery      delivery;
  const CoAction *steps; /* terminated by -1 */
  CoCardStatus    last_card;
  CoReissueStatus last_reissue;
} Lifecycle;

static const CoAction school_steps[] = {
  CO_ACTION_REPORT_LOSS, CO_ACTION_APPLY_REISSUE, CO_ACTION_PAY, CO_ACTION_START_PRODUCTION,
  CO_ACTION_FINISH_PRODUCTION, CO_ACTION_HAND_OUT, -1,
};
static const CoAction home_steps[] = {
  CO_ACTION_REPORT_LOSS, CO_ACTION_APPLY_REISSUE, CO_ACTION_PAY, CO_ACTION_START_PRODUCTION,
  CO_ACTION_FINISH_PRODUCTION, CO_ACTION_CONFIRM_DELIVERY, -1,
};
/* 退费: refund, then lift the loss report: the old card works again */
static const CoAction refund_steps[] = {
  CO_ACTION_REPORT_LOSS, CO_ACTION_APPLY_REISSUE, CO_ACTION_PAY, CO_ACTION_REFUND,
  CO_ACTION_LIFT_LOSS, -1,
};
/* Refund, then apply again and see it through */
static const CoAction reapply_steps[] = {
  CO_ACTION_REPORT_LOSS, CO_ACTION_APPLY_REISSUE, CO_ACTION_PAY, CO_ACTION_REFUND,
  CO_ACTION_APPLY_REISSUE, CO_ACTION_PAY, CO_ACTION_START_PRODUCTION,
  CO_ACTION_FINISH_PRODUCTION, CO_ACTION_HAND_OUT, -1,
};
/* 撤销申请 before paying, then 解挂 */
static const CoAction withdraw_steps[] = {
  CO_ACTION_REPORT_LOSS, CO_ACTION_APPLY_REISSUE, CO_ACTION_WITHDRAW, CO_ACTION_LIFT_LOSS,
  CO_ACTION_REPORT_LOSS, -1,
};

static const Lifecycle lifecycles[] = {
  { "school", CO_DELIVERY_SCHOOL, school_steps, CO_CARD_STATUS_CANCELLED, CO_REISSUE_STATUS_COLLECTED },
  { "home", CO_DELIVERY_HOME, home_steps, CO_CARD_STATUS_CANCELLED, CO_REISSUE_STATUS_COLLECTED },
  { "refund-and-lift", CO_DELIVERY_SCHOOL, refund_steps, CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_REFUNDED },
  { "refund-and-reapply", CO_DELIVERY_SCHOOL, reapply_steps, CO_CARD_STATUS_CANCELLED, CO_REISSUE_STATUS_COLLECTED },
  { "withdraw-and-lift", CO_DELIVERY_HOME, withdraw_steps, CO_CARD_STATUS_REPORTED_LOST, CO_REISSUE_STATUS_WITHDRAWN },
};

static void
test_lifecycle (gconstpointer data)
{
  const Lifecycle *lc = data;
  CoCase c = { CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_NONE, lc->delivery };

  for (guint i = 0; lc->steps[i] != (CoAction) -1; i++)
    {
      CoCase next;

      if (!co_rules_apply (lc->steps[i], &c, &next))
        g_error ("step %u (%s) refused: %s", i,
                 co_enum_to_wire (CO_TYPE_ACTION, lc->steps[i]),
                 co_enum_to_wire (CO_TYPE_REASON, co_rules_check (lc->steps[i], &c)));
      c = next;
    }

  g_assert_cmpint (c.card, ==, lc->last_card);
  g_assert_cmpint (c.reissue, ==, lc->last_reissue);

  /* A cancelled card is cancelled for good */
  if (c.card == CO_CARD_STATUS_CANCELLED)
    {
      g_assert_cmpint (co_rules_check (CO_ACTION_LIFT_LOSS, &c), ==, CO_REASON_CARD_CANCELLED);
      g_assert_cmpint (co_rules_check (CO_ACTION_REPORT_LOSS, &c), ==, CO_REASON_CARD_CANCELLED);
      g_assert_cmpint (co_rules_check (CO_ACTION_APPLY_REISSUE, &c), ==, CO_REASON_CARD_CANCELLED);
    }
}

/* Phone numbers */

typedef struct
{
  const char *path;
  const char *phone;
  gboolean    valid;
} PhoneRow;

static const PhoneRow phone_rows[] = {
  { "ok-138", "13812345678", TRUE },
  { "ok-130", "13000000000", TRUE },
  { "ok-199", "19999999999", TRUE },
  { "ok-166", "16612345678", TRUE },
  { "null", NULL, FALSE },
  { "empty", "", FALSE },
  { "10-digits", "1381234567", FALSE },
  { "12-digits", "138123456789", FALSE },
  { "prefix-2", "23812345678", FALSE },
  { "second-digit-2", "12345678901", FALSE },
  { "second-digit-0", "10012345678", FALSE },
  { "spaces", "138 1234 5678", FALSE },
  { "leading-space", " 13812345678", FALSE },
  { "trailing-space", "13812345678 ", FALSE },
  { "dashes", "138-1234-5678", FALSE },
  { "country-code", "+8613812345678", FALSE },
  { "letters", "1381234567a", FALSE },
  { "full-width", "１３８１２３４５６７８", FALSE },
  { "landline", "01012345678", FALSE },
};

static void
test_phone (gconstpointer data)
{
  const PhoneRow *row = data;

  g_assert_cmpint (co_rules_phone_is_valid (row->phone), ==, row->valid);
}

/* Delivery */

/* A school's winter and summer holidays (寒暑假) */
static CoDateRange school_holidays[2];

static void
set_date (GDate      *date,
          const char *iso)
{
  int y, m, d;

  g_assert_cmpint (sscanf (iso, "%4d-%2d-%2d", &y, &m, &d), ==, 3);
  g_assert_true (g_date_valid_dmy (d, m, y));
  g_date_clear (date, 1);
  g_date_set_dmy (date, d, m, y);
}

static void
init_school_holidays (void)
{
  set_date (&school_holidays[0].first, "2026-01-24");
  set_date (&school_holidays[0].last, "2026-02-28");
  set_date (&school_holidays[1].first, "2026-07-04");
  set_date (&school_holidays[1].last, "2026-08-31");
}

#define OK_ADDRESS   "北京市海淀区中关村大街1号"
#define OK_RECIPIENT "张三"
#define OK_PHONE     "13812345678"

typedef struct
{
  const char *path;
  CoDelivery  delivery;
  const char *address;
  const char *recipient;
  const char *phone;
  int         courier_fee_fen;
  const char *today;
  guint       n_holidays;
  CoReason    reason;
} DeliveryRow;

static const DeliveryRow delivery_rows[] = {
  /* Home: address, recipient, phone, then the courier fee */
  { "home/ok", HOME, OK_ADDRESS, OK_RECIPIENT, OK_PHONE, 1000, "2026-11-25", 2, CO_REASON_NONE },
  { "home/ok-in-holiday", HOME, OK_ADDRESS, OK_RECIPIENT, OK_PHONE, 1000, "2026-02-10", 2, CO_REASON_NONE },
  { "home/address-null", HOME, NULL, OK_RECIPIENT, OK_PHONE, 1000, "2026-11-25", 2, CO_REASON_ADDRESS_MISSING },
  { "home/address-empty", HOME, "", OK_RECIPIENT, OK_PHONE, 1000, "2026-11-25", 2, CO_REASON_ADDRESS_MISSING },
  { "home/address-spaces", HOME, " \t\n ", OK_RECIPIENT, OK_PHONE, 1000, "2026-11-25", 2, CO_REASON_ADDRESS_MISSING },
  { "home/address-ideographic-space", HOME, "\u3000\u3000", OK_RECIPIENT, OK_PHONE, 1000, "2026-11-25", 2, CO_REASON_ADDRESS_MISSING },
  { "home/address-not-utf8", HOME, "\xff\xfe", OK_RECIPIENT, OK_PHONE, 1000, "2026-11-25", 2, CO_REASON_ADDRESS_MISSING },
  { "home/recipient-null", HOME, OK_ADDRESS, NULL, OK_PHONE, 1000, "2026-11-25", 2, CO_REASON_RECIPIENT_MISSING },
  { "home/recipient-empty", HOME, OK_ADDRESS, "", OK_PHONE, 1000, "2026-11-25", 2, CO_REASON_RECIPIENT_MISSING },
  { "home/recipient-blank", HOME, OK_ADDRESS, "\u3000 ", OK_PHONE, 1000, "2026-11-25", 2, CO_REASON_RECIPIENT_MISSING },
  { "home/phone-null", HOME, OK_ADDRESS, OK_RECIPIENT, NULL, 1000, "2026-11-25", 2, CO_REASON_PHONE_INVALID },
  { "home/phone-10-digits", HOME, OK_ADDRESS, OK_RECIPIENT, "1381234567", 1000, "2026-11-25", 2, CO_REASON_PHONE_INVALID },
  { "home/phone-12-digits", HOME, OK_ADDRESS, OK_RECIPIENT, "138123456789", 1000, "2026-11-25", 2, CO_REASON_PHONE_INVALID },
  { "home/phone-prefix-2", HOME, OK_ADDRESS, OK_RECIPIENT, "23812345678", 1000, "2026-11-25", 2, CO_REASON_PHONE_INVALID },
  { "home/phone-12345678901", HOME, OK_ADDRESS, OK_RECIPIENT, "12345678901", 1000, "2026-11-25", 2, CO_REASON_PHONE_INVALID },
  { "home/phone-spaces", HOME, OK_ADDRESS, OK_RECIPIENT, "138 1234 5678", 1000, "2026-11-25", 2, CO_REASON_PHONE_INVALID },
  { "home/fee-0", HOME, OK_ADDRESS, OK_RECIPIENT, OK_PHONE, 0, "2026-11-25", 2, CO_REASON_NONE },
  { "home/fee-1500", HOME, OK_ADDRESS, OK_RECIPIENT, OK_PHONE, 1500, "2026-11-25", 2, CO_REASON_NONE },
  { "home/fee-1501", HOME, OK_ADDRESS, OK_RECIPIENT, OK_PHONE, 1501, "2026-11-25", 2, CO_REASON_COURIER_FEE_OVER_CAP },
  { "home/fee-negative", HOME, OK_ADDRESS, OK_RECIPIENT, OK_PHONE, -1, "2026-11-25", 2, CO_REASON_COURIER_FEE_OVER_CAP },
  /* The first failing check answers */
  { "home/order-address-first", HOME, "", "", "1", 9999, "2026-11-25", 2, CO_REASON_ADDRESS_MISSING },
  { "home/order-recipient-second", HOME, OK_ADDRESS, "", "1", 9999, "2026-11-25", 2, CO_REASON_RECIPIENT_MISSING },
  { "home/order-phone-third", HOME, OK_ADDRESS, OK_RECIPIENT, "1", 9999, "2026-11-25", 2, CO_REASON_PHONE_INVALID },
  /* School: free, refused during the winter and summer holidays */
  { "school/ok", SCHL, NULL, NULL, NULL, 0, "2026-11-25", 2, CO_REASON_NONE },
  { "school/day-before-winter", SCHL, NULL, NULL, NULL, 0, "2026-01-23", 2, CO_REASON_NONE },
  { "school/winter-first-day", SCHL, NULL, NULL, NULL, 0, "2026-01-24", 2, CO_REASON_SCHOOL_HOLIDAY },
  { "school/winter-inside", SCHL, NULL, NULL, NULL, 0, "2026-02-10", 2, CO_REASON_SCHOOL_HOLIDAY },
  { "school/winter-last-day", SCHL, NULL, NULL, NULL, 0, "2026-02-28", 2, CO_REASON_SCHOOL_HOLIDAY },
  { "school/day-after-winter", SCHL, NULL, NULL, NULL, 0, "2026-03-01", 2, CO_REASON_NONE },
  { "school/day-before-summer", SCHL, NULL, NULL, NULL, 0, "2026-07-03", 2, CO_REASON_NONE },
  { "school/summer-first-day", SCHL, NULL, NULL, NULL, 0, "2026-07-04", 2, CO_REASON_SCHOOL_HOLIDAY },
  { "school/summer-last-day", SCHL, NULL, NULL, NULL, 0, "2026-08-31", 2, CO_REASON_SCHOOL_HOLIDAY },
  { "school/day-after-summer", SCHL, NULL, NULL, NULL, 0, "2026-09-01", 2, CO_REASON_NONE },
  { "school/no-holidays", SCHL, NULL, NULL, NULL, 0, "2026-02-10", 0, CO_REASON_NONE },
  /* School ignores the home fields */
  { "school/ignores-home-fields", SCHL, "", "", "bogus", 99999, "2026-11-25", 2, CO_REASON_NONE },
};

static void
test_delivery (gconstpointer data)
{
  const DeliveryRow *row = data;
  GDate today;
  CoReason reason;

  set_date (&today, row->today);
  reason = co_rules_check_delivery (row->delivery, row->address, row->recipient, row->phone,
                                    row->courier_fee_fen, &today,
                                    row->n_holidays ? school_holidays : NULL, row->n_holidays);
  g_assert_cmpstr (co_enum_to_wire (CO_TYPE_REASON, reason), ==,
                   co_enum_to_wire (CO_TYPE_REASON, row->reason));
}

static void
test_holiday_at (void)
{
  GDate day;

  set_date (&day, "2026-02-28");
  g_assert_true (co_rules_holiday_at (&day, school_holidays, 2) == &school_holidays[0]);
  set_date (&day, "2026-07-04");
  g_assert_true (co_rules_holiday_at (&day, school_holidays, 2) == &school_holidays[1]);
  set_date (&day, "2026-03-01");
  g_assert_null (co_rules_holiday_at (&day, school_holidays, 2));
  g_assert_null (co_rules_holiday_at (&day, NULL, 0));
}

/* Education ID */

typedef struct
{
  const char *path;
  const char *edu_id;
  CoReason    reason;
} EduIdRow;

static const EduIdRow edu_id_rows[] = {
  { "ok", "12345678", CO_REASON_NONE },
  { "ok-zeros", "00000000", CO_REASON_NONE },
  { "null", NULL, CO_REASON_EDU_ID_INVALID },
  { "empty", "", CO_REASON_EDU_ID_INVALID },
  { "7-digits", "1234567", CO_REASON_EDU_ID_INVALID },
  { "9-digits", "123456789", CO_REASON_EDU_ID_INVALID },
  { "letter", "1234567a", CO_REASON_EDU_ID_INVALID },
  { "letters", "abcdefgh", CO_REASON_EDU_ID_INVALID },
  { "full-width", "１２３４５６７８", CO_REASON_EDU_ID_INVALID },
  { "leading-space", " 12345678", CO_REASON_EDU_ID_INVALID },
  { "trailing-space", "12345678 ", CO_REASON_EDU_ID_INVALID },
  { "inner-space", "1234 5678", CO_REASON_EDU_ID_INVALID },
  { "newline", "12345678\n", CO_REASON_EDU_ID_INVALID },
  { "sign", "+1234567", CO_REASON_EDU_ID_INVALID },
};

static void
test_edu_id (gconstpointer data)
{
  const EduIdRow *row = data;

  g_assert_cmpint (co_rules_check_edu_id (row->edu_id), ==, row->reason);
}

/* New cards and stickers */

typedef struct
{
  int      grade;
  CoEntry  entry;
  gboolean reissued_in_stage; /* stickers only */
  CoReason reason;
} EligibilityRow;

#define ENTRANT CO_ENTRY_NEW_ENTRANT
#define OUTSIDE CO_ENTRY_TRANSFER_OUTSIDE
#define INSIDE  CO_ENTRY_TRANSFER_INSIDE
#define STAYING CO_ENTRY_CONTINUING

static const EligibilityRow new_card_rows[] = {
  { 1, ENTRANT, FALSE, CO_REASON_NONE },
  { 2, ENTRANT, FALSE, CO_REASON_NEW_CARD_NOT_ENTRANT },
  { 6, ENTRANT, FALSE, CO_REASON_NEW_CARD_NOT_ENTRANT },
  { 7, ENTRANT, FALSE, CO_REASON_NEW_CARD_NOT_ENTRANT },
  { 10, ENTRANT, FALSE, CO_REASON_NEW_CARD_NOT_ENTRANT },
  { 12, ENTRANT, FALSE, CO_REASON_NEW_CARD_NOT_ENTRANT },
  { 1, OUTSIDE, FALSE, CO_REASON_NONE },
  { 2, OUTSIDE, FALSE, CO_REASON_NONE },
  { 6, OUTSIDE, FALSE, CO_REASON_NONE },
  { 7, OUTSIDE, FALSE, CO_REASON_NONE },
  { 10, OUTSIDE, FALSE, CO_REASON_NONE },
  { 12, OUTSIDE, FALSE, CO_REASON_NONE },
  { 1, INSIDE, FALSE, CO_REASON_NEW_CARD_TRANSFER_INSIDE },
  { 2, INSIDE, FALSE, CO_REASON_NEW_CARD_TRANSFER_INSIDE },
  { 6, INSIDE, FALSE, CO_REASON_NEW_CARD_TRANSFER_INSIDE },
  { 7, INSIDE, FALSE, CO_REASON_NEW_CARD_TRANSFER_INSIDE },
  { 10, INSIDE, FALSE, CO_REASON_NEW_CARD_TRANSFER_INSIDE },
  { 12, INSIDE, FALSE, CO_REASON_NEW_CARD_TRANSFER_INSIDE },
  { 1, STAYING, FALSE, CO_REASON_NEW_CARD_NOT_ENTRANT },
  { 2, STAYING, FALSE, CO_REASON_NEW_CARD_NOT_ENTRANT },
  { 6, STAYING, FALSE, CO_REASON_NEW_CARD_NOT_ENTRANT },
  { 7, STAYING, FALSE, CO_REASON_NEW_CARD_NOT_ENTRANT },
  { 10, STAYING, FALSE, CO_REASON_NEW_CARD_NOT_ENTRANT },
  { 12, STAYING, FALSE, CO_REASON_NEW_CARD_NOT_ENTRANT },
  { 0, ENTRANT, FALSE, CO_REASON_GRADE_INVALID },
  { 0, OUTSIDE, FALSE, CO_REASON_GRADE_INVALID },
  { 0, INSIDE, FALSE, CO_REASON_GRADE_INVALID },
  { 0, STAYING, FALSE, CO_REASON_GRADE_INVALID },
  { 13, ENTRANT, FALSE, CO_REASON_GRADE_INVALID },
  { 13, OUTSIDE, FALSE, CO_REASON_GRADE_INVALID },
  { 13, INSIDE, FALSE, CO_REASON_GRADE_INVALID },
  { 13, STAYING, FALSE, CO_REASON_GRADE_INVALID },
  { -1, ENTRANT, FALSE, CO_REASON_GRADE_INVALID },
  { -1, OUTSIDE, FALSE, CO_REASON_GRADE_INVALID },
};

static const EligibilityRow sticker_rows[] = {
  /* The two sticker grades */
  { 7, ENTRANT, FALSE, CO_REASON_NONE },
  { 7, OUTSIDE, FALSE, CO_REASON_NONE },
  { 7, INSIDE, FALSE, CO_REASON_NONE },
  { 7, STAYING, FALSE, CO_REASON_STICKER_NOT_NEW },
  { 7, ENTRANT, TRUE, CO_REASON_STICKER_REISSUED },
  { 7, OUTSIDE, TRUE, CO_REASON_STICKER_REISSUED },
  { 7, INSIDE, TRUE, CO_REASON_STICKER_REISSUED },
  { 7, STAYING, TRUE, CO_REASON_STICKER_NOT_NEW },
  { 10, ENTRANT, FALSE, CO_REASON_NONE },
  { 10, OUTSIDE, FALSE, CO_REASON_NONE },
  { 10, INSIDE, FALSE, CO_REASON_NONE },
  { 10, STAYING, FALSE, CO_REASON_STICKER_NOT_NEW },
  { 10, ENTRANT, TRUE, CO_REASON_STICKER_REISSUED },
  { 10, OUTSIDE, TRUE, CO_REASON_STICKER_REISSUED },
  { 10, INSIDE, TRUE, CO_REASON_STICKER_REISSUED },
  { 10, STAYING, TRUE, CO_REASON_STICKER_NOT_NEW },
  /* Other grades: a new card or nothing, never a sticker */
  { 1, ENTRANT, FALSE, CO_REASON_STICKER_WRONG_GRADE },
  { 6, ENTRANT, FALSE, CO_REASON_STICKER_WRONG_GRADE },
  { 8, ENTRANT, FALSE, CO_REASON_STICKER_WRONG_GRADE },
  { 9, OUTSIDE, FALSE, CO_REASON_STICKER_WRONG_GRADE },
  { 11, INSIDE, FALSE, CO_REASON_STICKER_WRONG_GRADE },
  { 12, STAYING, TRUE, CO_REASON_STICKER_WRONG_GRADE },
  /* Out of range */
  { 0, ENTRANT, FALSE, CO_REASON_GRADE_INVALID },
  { 13, ENTRANT, FALSE, CO_REASON_GRADE_INVALID },
  { -7, OUTSIDE, TRUE, CO_REASON_GRADE_INVALID },
};

static void
test_new_card (gconstpointer data)
{
  const EligibilityRow *row = data;

  g_assert_cmpint (co_rules_check_new_card (row->grade, row->entry), ==, row->reason);
}

static void
test_sticker (gconstpointer data)
{
  const EligibilityRow *row = data;

  g_assert_cmpint (co_rules_check_sticker (row->grade, row->entry, row->reissued_in_stage), ==,
                   row->reason);
}

/* Validity (有效期) */

typedef struct
{
  int         grade;
  const char *today;
  const char *expected;
} ValidRow;

static const ValidRow valid_rows[] = {
  { 1, "2026-11-25", "2032-08-31" },
  { 6, "2026-11-25", "2027-08-31" },
  { 7, "2026-11-25", "2029-08-31" },
  { 9, "2026-11-25", "2027-08-31" },
  { 10, "2026-11-25", "2029-08-31" },
  { 12, "2026-11-25", "2027-08-31" },
  { 6, "2026-06-30", "2026-08-31" },
  /* The school year turns on 1 September */
  { 6, "2026-08-31", "2026-08-31" },
  { 6, "2026-09-01", "2027-08-31" },
  { 1, "2026-01-15", "2031-08-31" },
  { 12, "2027-01-01", "2027-08-31" },
  { 3, "2024-02-29", "2027-08-31" },
};

static void
test_valid_until (gconstpointer data)
{
  const ValidRow *row = data;
  GDate today, out;
  char buf[16];

  set_date (&today, row->today);
  co_rules_valid_until (row->grade, &today, &out);
  g_assert_true (g_date_valid (&out));
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &out);
  g_assert_cmpstr (buf, ==, row->expected);
}

static void
test_valid_until_bad_grade (void)
{
  GDate today, out;

  set_date (&today, "2026-11-25");
  set_date (&out, "2000-01-01");
  g_test_expect_message ("co-model", G_LOG_LEVEL_CRITICAL, "*grade_is_valid*");
  co_rules_valid_until (13, &today, &out);
  g_test_assert_expected_messages ();
  g_assert_false (g_date_valid (&out));
}

/* Due date of a reissue */

static void
test_reissue_due (void)
{
  g_autoptr(CoCalendar) calendar = co_calendar_new ();
  GDate paid, out;
  gboolean estimated = FALSE;
  char buf[16];

  /* Without data: four weeks */
  set_date (&paid, "2026-11-25");
  co_rules_reissue_due (calendar, &paid, &out, &estimated);
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &out);
  g_assert_cmpstr (buf, ==, "2026-12-23");
  g_assert_true (estimated);
}

static void
test_precondition_refusals (void)
{
  CoCase out;

  /* A misuse is never "allowed". */
  g_test_expect_message ("co-model", G_LOG_LEVEL_CRITICAL, "*c != NULL*");
  g_assert_cmpint (co_rules_check (CO_ACTION_PAY, NULL), !=, CO_REASON_NONE);
  g_test_assert_expected_messages ();

  g_test_expect_message ("co-model", G_LOG_LEVEL_CRITICAL, "*c != NULL*");
  g_assert_false (co_rules_apply (CO_ACTION_PAY, NULL, &out));
  g_test_assert_expected_messages ();

  {
    const CoCase c = { CO_CARD_STATUS_ACTIVE, CO_REISSUE_STATUS_NONE, CO_DELIVERY_SCHOOL };

    g_test_expect_message ("co-model", G_LOG_LEVEL_CRITICAL, "*should not be reached*");
    g_assert_cmpint (co_rules_check ((CoAction) 99, &c), !=, CO_REASON_NONE);
    g_test_assert_expected_messages ();
  }
}

static void
add_unique (GHashTable    *seen,
            const char    *path,
            gconstpointer  data,
            GTestDataFunc  func)
{
  if (!g_hash_table_add (seen, g_strdup (path)))
    g_error ("duplicate test path %s", path);
  g_test_add_data_func (path, data, func);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GHashTable) seen = NULL;

  g_test_init (&argc, &argv, NULL);
  init_school_holidays ();

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (state_rows); i++)
    {
      g_autofree char *path = state_row_path (&state_rows[i]);
      add_unique (seen, path, &state_rows[i], test_state_row);
    }
  g_test_add_func ("/core/rules/state/table-coverage", test_state_table_coverage);
  g_test_add_func ("/core/rules/state/check-apply-agree", test_state_check_apply_agree);
  g_test_add_func ("/core/rules/state/reissue-open", test_reissue_status_is_open);
  g_test_add_func ("/core/rules/state/preconditions", test_precondition_refusals);

  for (guint i = 0; i < G_N_ELEMENTS (lifecycles); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/rules/lifecycle/%s", lifecycles[i].path);
      add_unique (seen, path, &lifecycles[i], test_lifecycle);
    }

  for (guint i = 0; i < G_N_ELEMENTS (phone_rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/rules/phone/%s", phone_rows[i].path);
      add_unique (seen, path, &phone_rows[i], test_phone);
    }

  for (guint i = 0; i < G_N_ELEMENTS (delivery_rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/rules/delivery/%s", delivery_rows[i].path);
      add_unique (seen, path, &delivery_rows[i], test_delivery);
    }
  g_test_add_func ("/core/rules/delivery/holiday-at", test_holiday_at);

  for (guint i = 0; i < G_N_ELEMENTS (edu_id_rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/rules/edu-id/%s", edu_id_rows[i].path);
      add_unique (seen, path, &edu_id_rows[i], test_edu_id);
    }

  for (guint i = 0; i < G_N_ELEMENTS (new_card_rows); i++)
    {
      const EligibilityRow *row = &new_card_rows[i];
      g_autofree char *path = g_strdup_printf ("/core/rules/new-card/%s/grade-%d",
                                               path_part (CO_TYPE_ENTRY, row->entry), row->grade);
      add_unique (seen, path, row, test_new_card);
    }

  for (guint i = 0; i < G_N_ELEMENTS (sticker_rows); i++)
    {
      const EligibilityRow *row = &sticker_rows[i];
      g_autofree char *path = g_strdup_printf ("/core/rules/sticker/%s/grade-%d%s",
                                               path_part (CO_TYPE_ENTRY, row->entry), row->grade,
                                               row->reissued_in_stage ? "/reissued" : "");
      add_unique (seen, path, row, test_sticker);
    }

  for (guint i = 0; i < G_N_ELEMENTS (valid_rows); i++)
    {
      const ValidRow *row = &valid_rows[i];
      g_autofree char *path = g_strdup_printf ("/core/rules/valid-until/grade-%d/%s",
                                               row->grade, row->today);
      add_unique (seen, path, row, test_valid_until);
    }
  g_test_add_func ("/core/rules/valid-until/bad-grade", test_valid_until_bad_grade);
  g_test_add_func ("/core/rules/reissue-due/estimated", test_reissue_due);

  return g_test_run ();
}
