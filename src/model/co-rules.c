/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-model"

#include "config.h"

#include "co-rules.h"

/*
 * The loss-and-reissue state machine (DOMAIN.md: 挂失 → 申请补卡 → 缴费 → 制卡 → 领卡).
 *
 * Card actions look at the card first, then at the open reissue (a collected,
 * refunded or withdrawn reissue counts as none):
 *
 * | action        | card NOT_ISSUED | ACTIVE            | REPORTED_LOST                    | CANCELLED      |
 * |---------------|-----------------|-------------------|----------------------------------|----------------|
 * | REPORT_LOSS   | CARD_NOT_ISSUED | → REPORTED_LOST * | CARD_ALREADY_LOST                | CARD_CANCELLED |
 * | LIFT_LOSS     | CARD_NOT_ISSUED | CARD_NOT_LOST     | → ACTIVE; open: REISSUE_OPEN     | CARD_CANCELLED |
 * | APPLY_REISSUE | CARD_NOT_ISSUED | CARD_NOT_LOST     | → PENDING_PAYMENT (delivery of   | CARD_CANCELLED |
 * |               |                 |                   |   the case); open: REISSUE_OPEN  |                |
 *
 *   * an ACTIVE card with an open reissue cannot arise; REPORT_LOSS refuses it
 *     with REISSUE_OPEN.
 *
 * Reissue actions look at the reissue (NONE: NO_REISSUE for every one):
 *
 * | action            | PENDING_PAYMENT | PAID            | IN_PRODUCTION    | AWAITING_PICKUP | SHIPPED        | COLLECTED     | REFUNDED, WITHDRAWN |
 * |-------------------|-----------------|-----------------|------------------|-----------------|----------------|---------------|---------------------|
 * | PAY               | → PAID          | ALREADY_PAID    | ALREADY_PAID     | ALREADY_PAID    | ALREADY_PAID   | REISSUE_CLOSED| REISSUE_CLOSED      |
 * | REFUND            | NOT_PAID        | → REFUNDED      | IN_PRODUCTION    | IN_PRODUCTION   | IN_PRODUCTION  | IN_PRODUCTION | REISSUE_CLOSED      |
 * | WITHDRAW          | → WITHDRAWN     | WITHDRAW_NEEDS_ | IN_PRODUCTION    | IN_PRODUCTION   | IN_PRODUCTION  | IN_PRODUCTION | REISSUE_CLOSED      |
 * |                   |                 |   REFUND        |                  |                 |                |               |                     |
 * | START_PRODUCTION  | NOT_PAID        | → IN_PRODUCTION | IN_PRODUCTION    | IN_PRODUCTION   | IN_PRODUCTION  | IN_PRODUCTION | REISSUE_CLOSED      |
 * | FINISH_PRODUCTION | NOT_IN_PROD.    | NOT_IN_PROD.    | → AWAITING_PICKUP| NOT_IN_PROD.    | NOT_IN_PROD.   | NOT_IN_PROD.  | NOT_IN_PRODUCTION   |
 * |                   |                 |                 |   (school) or    |                 |                |               |                     |
 * |                   |                 |                 |   SHIPPED (home) |                 |                |               |                     |
 * | HAND_OUT          | NOT_AWAITING_P. | NOT_AWAITING_P. | NOT_AWAITING_P.  | → COLLECTED,    | HOME_DELIVERY  | NOT_AWAIT._P. | NOT_AWAITING_PICKUP |
 * |                   |                 |                 |                  |   card CANCELLED|                |               |                     |
 * | CONFIRM_DELIVERY  | NOT_AWAITING_P. | NOT_AWAITING_P. | NOT_AWAITING_P.  | SCHOOL_DELIVERY | → COLLECTED,   | NOT_AWAIT._P. | NOT_AWAITING_PICKUP |
 * |                   |                 |                 |                  |                 | card CANCELLED |               |                     |
 *
 * "IN_PRODUCTION" as a reason means the card is being made or has been made.
 * An open reissue belongs to a card reported lost: when the reissue rule
 * would allow the action but the card is not REPORTED_LOST (a state no
 * sequence of actions reaches), the card's reason refuses it: NOT_ISSUED →
 * CARD_NOT_ISSUED, ACTIVE → CARD_NOT_LOST, CANCELLED → CARD_CANCELLED.
 *
 * After REFUND (REFUNDED) or WITHDRAW (WITHDRAWN) the reissue is closed, so
 * LIFT_LOSS and a new APPLY_REISSUE are allowed again. Collection cancels the
 * old card for good; the new card is another CoCard.
 */

/* Precondition failures must never read as "allowed". */
#define REFUSED_ON_MISUSE CO_REASON_CARD_NOT_ISSUED

gboolean
co_reissue_status_is_open (CoReissueStatus status)
{
  switch (status)
    {
    case CO_REISSUE_STATUS_PENDING_PAYMENT:
    case CO_REISSUE_STATUS_PAID:
    case CO_REISSUE_STATUS_IN_PRODUCTION:
    case CO_REISSUE_STATUS_AWAITING_PICKUP:
    case CO_REISSUE_STATUS_SHIPPED:
      return TRUE;
    case CO_REISSUE_STATUS_NONE:
    case CO_REISSUE_STATUS_COLLECTED:
    case CO_REISSUE_STATUS_REFUNDED:
    case CO_REISSUE_STATUS_WITHDRAWN:
    default:
      return FALSE;
    }
}

/* The card's reason when it is not REPORTED_LOST; NONE when it is. */
static CoReason
card_not_lost_reason (CoCardStatus card)
{
  switch (card)
    {
    case CO_CARD_STATUS_REPORTED_LOST:
      return CO_REASON_NONE;
    case CO_CARD_STATUS_NOT_ISSUED:
      return CO_REASON_CARD_NOT_ISSUED;
    case CO_CARD_STATUS_CANCELLED:
      return CO_REASON_CARD_CANCELLED;
    case CO_CARD_STATUS_ACTIVE:
    default:
      return CO_REASON_CARD_NOT_LOST;
    }
}

static CoReason
check_card_action (CoAction      action,
                   const CoCase *c)
{
  gboolean open = co_reissue_status_is_open (c->reissue);

  if (action == CO_ACTION_REPORT_LOSS)
    {
      switch (c->card)
        {
        case CO_CARD_STATUS_NOT_ISSUED:
          return CO_REASON_CARD_NOT_ISSUED;
        case CO_CARD_STATUS_REPORTED_LOST:
          return CO_REASON_CARD_ALREADY_LOST;
        case CO_CARD_STATUS_CANCELLED:
          return CO_REASON_CARD_CANCELLED;
        case CO_CARD_STATUS_ACTIVE:
          return open ? CO_REASON_REISSUE_OPEN : CO_REASON_NONE;
        default:
          g_return_val_if_reached (REFUSED_ON_MISUSE);
        }
    }

  /* LIFT_LOSS and APPLY_REISSUE: a lost card without an open reissue. */
  if (c->card != CO_CARD_STATUS_REPORTED_LOST)
    return card_not_lost_reason (c->card);

  return open ? CO_REASON_REISSUE_OPEN : CO_REASON_NONE;
}

/* The reissue side alone, ignoring the card. */
static CoReason
check_reissue_action (CoAction        action,
                      CoReissueStatus r)
{
  gboolean made = (r == CO_REISSUE_STATUS_IN_PRODUCTION ||
                   r == CO_REISSUE_STATUS_AWAITING_PICKUP ||
                   r == CO_REISSUE_STATUS_SHIPPED ||
                   r == CO_REISSUE_STATUS_COLLECTED);

  if (r == CO_REISSUE_STATUS_NONE)
    return CO_REASON_NO_REISSUE;

  switch (action)
    {
    case CO_ACTION_PAY:
      if (r == CO_REISSUE_STATUS_PENDING_PAYMENT)
        return CO_REASON_NONE;
      return co_reissue_status_is_open (r) ? CO_REASON_ALREADY_PAID : CO_REASON_REISSUE_CLOSED;

    case CO_ACTION_REFUND:
      if (r == CO_REISSUE_STATUS_PAID)
        return CO_REASON_NONE;
      if (r == CO_REISSUE_STATUS_PENDING_PAYMENT)
        return CO_REASON_NOT_PAID;
      return made ? CO_REASON_IN_PRODUCTION : CO_REASON_REISSUE_CLOSED;

    case CO_ACTION_WITHDRAW:
      if (r == CO_REISSUE_STATUS_PENDING_PAYMENT)
        return CO_REASON_NONE;
      if (r == CO_REISSUE_STATUS_PAID)
        return CO_REASON_WITHDRAW_NEEDS_REFUND;
      return made ? CO_REASON_IN_PRODUCTION : CO_REASON_REISSUE_CLOSED;

    case CO_ACTION_START_PRODUCTION:
      if (r == CO_REISSUE_STATUS_PAID)
        return CO_REASON_NONE;
      if (r == CO_REISSUE_STATUS_PENDING_PAYMENT)
        return CO_REASON_NOT_PAID;
      return made ? CO_REASON_IN_PRODUCTION : CO_REASON_REISSUE_CLOSED;

    case CO_ACTION_FINISH_PRODUCTION:
      return r == CO_REISSUE_STATUS_IN_PRODUCTION ? CO_REASON_NONE : CO_REASON_NOT_IN_PRODUCTION;

    case CO_ACTION_HAND_OUT:
      if (r == CO_REISSUE_STATUS_AWAITING_PICKUP)
        return CO_REASON_NONE;
      if (r == CO_REISSUE_STATUS_SHIPPED)
        return CO_REASON_HOME_DELIVERY;
      return CO_REASON_NOT_AWAITING_PICKUP;

    case CO_ACTION_CONFIRM_DELIVERY:
      if (r == CO_REISSUE_STATUS_SHIPPED)
        return CO_REASON_NONE;
      if (r == CO_REISSUE_STATUS_AWAITING_PICKUP)
        return CO_REASON_SCHOOL_DELIVERY;
      return CO_REASON_NOT_AWAITING_PICKUP;

    case CO_ACTION_REPORT_LOSS:
    case CO_ACTION_LIFT_LOSS:
    case CO_ACTION_APPLY_REISSUE:
    default:
      g_return_val_if_reached (REFUSED_ON_MISUSE);
    }
}

/**
 * co_rules_check:
 * @action: what the desk (or the platform) wants to do
 * @c: the card's status and the student's current reissue
 *
 * Returns: %CO_REASON_NONE when @action is allowed, else why not
 */
CoReason
co_rules_check (CoAction      action,
                const CoCase *c)
{
  CoReason reason;

  g_return_val_if_fail (c != NULL, REFUSED_ON_MISUSE);

  switch (action)
    {
    case CO_ACTION_REPORT_LOSS:
    case CO_ACTION_LIFT_LOSS:
    case CO_ACTION_APPLY_REISSUE:
      return check_card_action (action, c);

    case CO_ACTION_PAY:
    case CO_ACTION_REFUND:
    case CO_ACTION_WITHDRAW:
    case CO_ACTION_START_PRODUCTION:
    case CO_ACTION_FINISH_PRODUCTION:
    case CO_ACTION_HAND_OUT:
    case CO_ACTION_CONFIRM_DELIVERY:
      reason = check_reissue_action (action, c->reissue);
      if (reason != CO_REASON_NONE)
        return reason;
      /* Allowed on the reissue's side: the reissue is open, so the card must
       * be the one reported lost. */
      return card_not_lost_reason (c->card);

    default:
      g_return_val_if_reached (REFUSED_ON_MISUSE);
    }
}

/**
 * co_rules_apply:
 * @action: the action
 * @c: the case before
 * @out: (out caller-allocates): the case after
 *
 * Returns: %TRUE if @action is allowed and @out was set
 */
gboolean
co_rules_apply (CoAction      action,
                const CoCase *c,
                CoCase       *out)
{
  CoCase next;

  g_return_val_if_fail (c != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (co_rules_check (action, c) != CO_REASON_NONE)
    return FALSE;

  next = *c;

  switch (action)
    {
    case CO_ACTION_REPORT_LOSS:
      next.card = CO_CARD_STATUS_REPORTED_LOST;
      break;
    case CO_ACTION_LIFT_LOSS:
      next.card = CO_CARD_STATUS_ACTIVE;
      break;
    case CO_ACTION_APPLY_REISSUE:
      next.reissue = CO_REISSUE_STATUS_PENDING_PAYMENT;
      break;
    case CO_ACTION_PAY:
      next.reissue = CO_REISSUE_STATUS_PAID;
      break;
    case CO_ACTION_REFUND:
      next.reissue = CO_REISSUE_STATUS_REFUNDED;
      break;
    case CO_ACTION_WITHDRAW:
      next.reissue = CO_REISSUE_STATUS_WITHDRAWN;
      break;
    case CO_ACTION_START_PRODUCTION:
      next.reissue = CO_REISSUE_STATUS_IN_PRODUCTION;
      break;
    case CO_ACTION_FINISH_PRODUCTION:
      next.reissue = c->delivery == CO_DELIVERY_HOME
        ? CO_REISSUE_STATUS_SHIPPED
        : CO_REISSUE_STATUS_AWAITING_PICKUP;
      break;
    case CO_ACTION_HAND_OUT:
    case CO_ACTION_CONFIRM_DELIVERY:
      next.reissue = CO_REISSUE_STATUS_COLLECTED;
      next.card = CO_CARD_STATUS_CANCELLED;
      break;
    default:
      g_assert_not_reached ();
    }

  *out = next;
  return TRUE;
}

/* Delivery */

/* NULL, empty, only (Unicode) white space, or not UTF-8. */
static gboolean
is_blank (const char *text)
{
  const char *p;

  if (text == NULL)
    return TRUE;

  if (!g_utf8_validate (text, -1, NULL))
    return TRUE;

  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

gboolean
co_rules_phone_is_valid (const char *phone)
{
  /* ^1[3-9][0-9]{9}$ */
  if (phone == NULL || phone[0] != '1' || phone[1] < '3' || phone[1] > '9')
    return FALSE;

  for (guint i = 2; i < 11; i++)
    {
      if (!g_ascii_isdigit (phone[i]))
        return FALSE;
    }

  return phone[11] == '\0';
}

const CoDateRange *
co_rules_holiday_at (const GDate       *day,
                     const CoDateRange *holidays,
                     guint              n_holidays)
{
  g_return_val_if_fail (day != NULL && g_date_valid (day), NULL);
  g_return_val_if_fail (holidays != NULL || n_holidays == 0, NULL);

  for (guint i = 0; i < n_holidays; i++)
    {
      const CoDateRange *range = &holidays[i];

      if (g_date_compare (&range->first, day) <= 0 && g_date_compare (day, &range->last) <= 0)
        return range;
    }

  return NULL;
}

CoReason
co_rules_check_delivery (CoDelivery         delivery,
                         const char        *address,
                         const char        *recipient,
                         const char        *phone,
                         int                courier_fee_fen,
                         const GDate       *today,
                         const CoDateRange *holidays,
                         guint              n_holidays)
{
  switch (delivery)
    {
    case CO_DELIVERY_HOME:
      if (is_blank (address))
        return CO_REASON_ADDRESS_MISSING;
      if (is_blank (recipient))
        return CO_REASON_RECIPIENT_MISSING;
      if (!co_rules_phone_is_valid (phone))
        return CO_REASON_PHONE_INVALID;
      if (courier_fee_fen < 0 || courier_fee_fen > CO_COURIER_FEE_CAP_FEN)
        return CO_REASON_COURIER_FEE_OVER_CAP;
      return CO_REASON_NONE;

    case CO_DELIVERY_SCHOOL:
      g_return_val_if_fail (today != NULL && g_date_valid (today), CO_REASON_SCHOOL_HOLIDAY);
      g_return_val_if_fail (holidays != NULL || n_holidays == 0, CO_REASON_SCHOOL_HOLIDAY);
      if (co_rules_holiday_at (today, holidays, n_holidays) != NULL)
        return CO_REASON_SCHOOL_HOLIDAY;
      return CO_REASON_NONE;

    default:
      g_return_val_if_reached (CO_REASON_ADDRESS_MISSING);
    }
}

/* Identity and eligibility */

CoReason
co_rules_check_edu_id (const char *edu_id)
{
  if (edu_id == NULL)
    return CO_REASON_EDU_ID_INVALID;

  for (guint i = 0; i < CO_EDU_ID_LENGTH; i++)
    {
      if (!g_ascii_isdigit (edu_id[i]))
        return CO_REASON_EDU_ID_INVALID;
    }

  return edu_id[CO_EDU_ID_LENGTH] == '\0' ? CO_REASON_NONE : CO_REASON_EDU_ID_INVALID;
}

static gboolean
grade_is_valid (int grade)
{
  return grade >= 1 && grade <= 12;
}

CoReason
co_rules_check_new_card (int     grade,
                         CoEntry entry)
{
  if (!grade_is_valid (grade))
    return CO_REASON_GRADE_INVALID;

  switch (entry)
    {
    case CO_ENTRY_TRANSFER_OUTSIDE:
      return CO_REASON_NONE;
    case CO_ENTRY_NEW_ENTRANT:
      return grade == 1 ? CO_REASON_NONE : CO_REASON_NEW_CARD_NOT_ENTRANT;
    case CO_ENTRY_TRANSFER_INSIDE:
      /* They keep the card of their old school. */
      return CO_REASON_NEW_CARD_TRANSFER_INSIDE;
    case CO_ENTRY_CONTINUING:
      return CO_REASON_NEW_CARD_NOT_ENTRANT;
    default:
      g_return_val_if_reached (CO_REASON_NEW_CARD_NOT_ENTRANT);
    }
}

CoReason
co_rules_check_sticker (int      grade,
                        CoEntry  entry,
                        gboolean reissued_in_stage)
{
  if (!grade_is_valid (grade))
    return CO_REASON_GRADE_INVALID;
  if (grade != 7 && grade != 10)
    return CO_REASON_STICKER_WRONG_GRADE;

  switch (entry)
    {
    case CO_ENTRY_NEW_ENTRANT:
    case CO_ENTRY_TRANSFER_OUTSIDE:
    case CO_ENTRY_TRANSFER_INSIDE:
      break;
    case CO_ENTRY_CONTINUING:
      return CO_REASON_STICKER_NOT_NEW;
    default:
      g_return_val_if_reached (CO_REASON_STICKER_NOT_NEW);
    }

  if (reissued_in_stage)
    return CO_REASON_STICKER_REISSUED;

  return CO_REASON_NONE;
}

/* Dates */

void
co_rules_valid_until (int          grade,
                      const GDate *today,
                      GDate       *out)
{
  int school_year;
  int years_left;

  g_return_if_fail (out != NULL);
  g_date_clear (out, 1);
  g_return_if_fail (grade_is_valid (grade));
  g_return_if_fail (today != NULL && g_date_valid (today));

  /* The school year starting in September of Y runs to August of Y + 1. */
  school_year = g_date_get_year (today);
  if (g_date_get_month (today) < G_DATE_SEPTEMBER)
    school_year--;

  years_left = co_stage_last_grade (co_stage_for_grade (grade)) - grade;
  g_date_set_dmy (out, 31, G_DATE_AUGUST, school_year + 1 + years_left);
}

void
co_rules_reissue_due (CoCalendar  *calendar,
                      const GDate *paid,
                      GDate       *out,
                      gboolean    *estimated)
{
  g_return_if_fail (CO_IS_CALENDAR (calendar));
  g_return_if_fail (paid != NULL && g_date_valid (paid));
  g_return_if_fail (out != NULL);

  co_calendar_add_working_days (calendar, paid, CO_REISSUE_WORKING_DAYS, out, estimated);
}
