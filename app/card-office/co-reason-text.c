/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Each switch lists every value without a default, so a value added to
 * co-types.h fails the build (-Wswitch, -Werror) until it has its words.
 */
#define G_LOG_DOMAIN "co-reason-text"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "co-reason-text.h"

/**
 * co_reason_to_text:
 * @reason: why a rule refused, or %CO_REASON_NONE
 *
 * Returns: a translated sentence for the person at the desk
 */
const char *
co_reason_to_text (CoReason reason)
{
  switch (reason)
    {
    case CO_REASON_NONE:
      return _("This can be done.");

    /* card */
    case CO_REASON_CARD_NOT_ISSUED:
      return _("The card has not been issued yet, so it cannot be reported lost or replaced.");
    case CO_REASON_CARD_ALREADY_LOST:
      return _("The card has already been reported lost.");
    case CO_REASON_CARD_CANCELLED:
      return _("The card has been cancelled for good and can no longer be used.");
    case CO_REASON_CARD_NOT_LOST:
      return _("The card has not been reported lost. Report it lost first: only a lost card can be reissued or have its loss report lifted.");
    case CO_REASON_REISSUE_OPEN:
      return _("The student already has a reissue under way. Finish or withdraw it first.");

    /* reissue */
    case CO_REASON_NO_REISSUE:
      return _("The student has not applied for a reissue.");
    case CO_REASON_ALREADY_PAID:
      return _("The reissue fee has already been paid.");
    case CO_REASON_NOT_PAID:
      return _("The reissue fee has not been paid yet.");
    case CO_REASON_IN_PRODUCTION:
      return _("The card is already being made, so the fee can no longer be refunded.");
    case CO_REASON_REISSUE_CLOSED:
      return _("This reissue is already closed: the card was collected, or the fee refunded, or the application withdrawn.");
    case CO_REASON_WITHDRAW_NEEDS_REFUND:
      return _("The fee has been paid, so refund it instead: the refund withdraws the application.");
    case CO_REASON_NOT_IN_PRODUCTION:
      return _("The new card is not being made yet.");
    case CO_REASON_NOT_AWAITING_PICKUP:
      return _("The new card has not arrived at the school yet, so it cannot be handed out.");
    case CO_REASON_HOME_DELIVERY:
      return _("This new card is delivered to the student’s home, not handed out at the school.");
    case CO_REASON_SCHOOL_DELIVERY:
      return _("This new card is delivered to the school and handed out at the desk, not by courier.");

    /* delivery */
    case CO_REASON_ADDRESS_MISSING:
      return _("For delivery to home, enter the full delivery address.");
    case CO_REASON_RECIPIENT_MISSING:
      return _("For delivery to home, enter the recipient’s name.");
    case CO_REASON_PHONE_INVALID:
      return _("Enter the recipient’s 11-digit mobile phone number.");
    case CO_REASON_COURIER_FEE_OVER_CAP:
      return _("The courier fee inside Beijing is at most 15 yuan.");
    case CO_REASON_SCHOOL_HOLIDAY:
      return _("Delivery to school is suspended during the winter and summer holidays. Choose delivery to home.");

    /* identity and eligibility */
    case CO_REASON_EDU_ID_INVALID:
      return _("An education ID is exactly 8 digits.");
    case CO_REASON_GRADE_INVALID:
      return _("The grade must be from 1 to 12.");
    case CO_REASON_NEW_CARD_NOT_ENTRANT:
      return _("New cards are only for grade 1 entrants and for students transferring in from outside Beijing.");
    case CO_REASON_NEW_CARD_TRANSFER_INSIDE:
      return _("A student transferring from another school in Beijing keeps their card: no new card is made.");
    case CO_REASON_STICKER_WRONG_GRADE:
      return _("Card stickers are only for new grade 7 and grade 10 students.");
    case CO_REASON_STICKER_NOT_NEW:
      return _("The student is not new to this stage, so no first card sticker is due.");
    case CO_REASON_STICKER_REISSUED:
      return _("The student already had a card reissued in this stage, so no card sticker is needed.");
    }

  g_return_val_if_reached (NULL);
}

/**
 * co_card_status_to_text:
 *
 * Returns: the translated name of a card status (未发卡, 正常, …)
 */
const char *
co_card_status_to_text (CoCardStatus status)
{
  switch (status)
    {
    case CO_CARD_STATUS_NOT_ISSUED:
      return C_("card status", "Not issued");
    case CO_CARD_STATUS_ACTIVE:
      return C_("card status", "Active");
    case CO_CARD_STATUS_REPORTED_LOST:
      return C_("card status", "Reported lost");
    case CO_CARD_STATUS_CANCELLED:
      return C_("card status", "Cancelled");
    }

  g_return_val_if_reached (NULL);
}

/**
 * co_reissue_status_to_text:
 *
 * Returns: the translated name of a reissue status (待支付, 已缴费, …)
 */
const char *
co_reissue_status_to_text (CoReissueStatus status)
{
  switch (status)
    {
    case CO_REISSUE_STATUS_NONE:
      return C_("reissue status", "No reissue");
    case CO_REISSUE_STATUS_PENDING_PAYMENT:
      return C_("reissue status", "Pending payment");
    case CO_REISSUE_STATUS_PAID:
      return C_("reissue status", "Paid");
    case CO_REISSUE_STATUS_IN_PRODUCTION:
      return C_("reissue status", "In production");
    case CO_REISSUE_STATUS_AWAITING_PICKUP:
      return C_("reissue status", "Awaiting pickup");
    case CO_REISSUE_STATUS_SHIPPED:
      return C_("reissue status", "Shipped");
    case CO_REISSUE_STATUS_COLLECTED:
      return C_("reissue status", "Collected");
    case CO_REISSUE_STATUS_REFUNDED:
      return C_("reissue status", "Refunded");
    case CO_REISSUE_STATUS_WITHDRAWN:
      return C_("reissue status", "Withdrawn");
    }

  g_return_val_if_reached (NULL);
}

/**
 * co_delivery_to_text:
 *
 * Returns: the translated delivery method (配送到家, 配送到校)
 */
const char *
co_delivery_to_text (CoDelivery delivery)
{
  switch (delivery)
    {
    case CO_DELIVERY_HOME:
      return C_("delivery", "Deliver home");
    case CO_DELIVERY_SCHOOL:
      return C_("delivery", "Deliver to school");
    }

  g_return_val_if_reached (NULL);
}

/**
 * co_stage_to_text:
 *
 * Returns: the translated school stage (小学, 初中, 高中)
 */
const char *
co_stage_to_text (CoStage stage)
{
  switch (stage)
    {
    case CO_STAGE_PRIMARY:
      return C_("stage", "Primary");
    case CO_STAGE_JUNIOR:
      return C_("stage", "Junior");
    case CO_STAGE_SENIOR:
      return C_("stage", "Senior");
    }

  g_return_val_if_reached (NULL);
}
