/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The states and kinds of the domain (../shared/DOMAIN.md). Each enum's
 * GEnumValue nick is its wire name in the central API (snake_case), so
 * co_enum_to_wire()/co_enum_from_wire() serve the codecs and the server.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* 学段 */
typedef enum /*< prefix=CO_STAGE >*/
{
  CO_STAGE_PRIMARY, /*< nick=primary >*/
  CO_STAGE_JUNIOR,  /*< nick=junior >*/
  CO_STAGE_SENIOR,  /*< nick=senior >*/
} CoStage;

/* 性别 */
typedef enum /*< prefix=CO_GENDER >*/
{
  CO_GENDER_MALE,   /*< nick=male >*/
  CO_GENDER_FEMALE, /*< nick=female >*/
} CoGender;

/* Card status: 未发卡 / 正常 / 已挂失 / 已注销 */
typedef enum /*< prefix=CO_CARD_STATUS >*/
{
  CO_CARD_STATUS_NOT_ISSUED,    /*< nick=not_issued >*/
  CO_CARD_STATUS_ACTIVE,        /*< nick=active >*/
  CO_CARD_STATUS_REPORTED_LOST, /*< nick=reported_lost >*/
  CO_CARD_STATUS_CANCELLED,     /*< nick=cancelled >*/
} CoCardStatus;

/* Reissue status: 待支付 / 已缴费 / 制卡中 / 待领取 / 已寄出 / 已领取 / 已退费 / 已撤销.
 * CO_REISSUE_STATUS_NONE means "no reissue" where a function takes the
 * student's open reissue; it never appears on the wire. */
typedef enum /*< prefix=CO_REISSUE_STATUS >*/
{
  CO_REISSUE_STATUS_NONE,            /*< nick=none >*/
  CO_REISSUE_STATUS_PENDING_PAYMENT, /*< nick=pending_payment >*/
  CO_REISSUE_STATUS_PAID,            /*< nick=paid >*/
  CO_REISSUE_STATUS_IN_PRODUCTION,   /*< nick=in_production >*/
  CO_REISSUE_STATUS_AWAITING_PICKUP, /*< nick=awaiting_pickup >*/
  CO_REISSUE_STATUS_SHIPPED,         /*< nick=shipped >*/
  CO_REISSUE_STATUS_COLLECTED,       /*< nick=collected >*/
  CO_REISSUE_STATUS_REFUNDED,        /*< nick=refunded >*/
  CO_REISSUE_STATUS_WITHDRAWN,       /*< nick=withdrawn >*/
} CoReissueStatus;

/* 配送方式: 配送到家 / 配送到校 */
typedef enum /*< prefix=CO_DELIVERY >*/
{
  CO_DELIVERY_HOME,   /*< nick=home >*/
  CO_DELIVERY_SCHOOL, /*< nick=school >*/
} CoDelivery;

/* Where a student came from, for new-card eligibility:
 * 新入学 / 外省转入 / 市内转学 */
typedef enum /*< prefix=CO_ENTRY >*/
{
  CO_ENTRY_NEW_ENTRANT,       /*< nick=new_entrant >*/
  CO_ENTRY_TRANSFER_OUTSIDE,  /*< nick=transfer_outside >*/
  CO_ENTRY_TRANSFER_INSIDE,   /*< nick=transfer_inside >*/
  CO_ENTRY_CONTINUING,        /*< nick=continuing >*/
} CoEntry;

/* What a desk (or the platform) may do to a card or a reissue. */
typedef enum /*< prefix=CO_ACTION >*/
{
  CO_ACTION_REPORT_LOSS,      /*< nick=report_loss >*/      /* 挂失 */
  CO_ACTION_LIFT_LOSS,        /*< nick=lift_loss >*/        /* 解挂 */
  CO_ACTION_APPLY_REISSUE,    /*< nick=apply_reissue >*/    /* 申请补卡 */
  CO_ACTION_PAY,              /*< nick=pay >*/              /* 缴费 */
  CO_ACTION_REFUND,           /*< nick=refund >*/           /* 退费 */
  CO_ACTION_WITHDRAW,         /*< nick=withdraw >*/         /* 撤销申请 */
  CO_ACTION_START_PRODUCTION, /*< nick=start_production >*/ /* 制卡 (platform) */
  CO_ACTION_FINISH_PRODUCTION,/*< nick=finish_production >*//* 待领取 or 已寄出 (platform) */
  CO_ACTION_HAND_OUT,         /*< nick=hand_out >*/         /* 领卡 at the school desk */
  CO_ACTION_CONFIRM_DELIVERY, /*< nick=confirm_delivery >*/ /* courier delivered at home */
} CoAction;

/* Why a rule refused. CO_REASON_NONE means allowed. The nick is the
 * reason code sent in a 409 answer; the app owns the translated text. */
typedef enum /*< prefix=CO_REASON >*/
{
  CO_REASON_NONE,                     /*< nick=none >*/
  /* card */
  CO_REASON_CARD_NOT_ISSUED,          /*< nick=card_not_issued >*/
  CO_REASON_CARD_ALREADY_LOST,        /*< nick=card_already_lost >*/
  CO_REASON_CARD_CANCELLED,           /*< nick=card_cancelled >*/
  CO_REASON_CARD_NOT_LOST,            /*< nick=card_not_lost >*/
  CO_REASON_REISSUE_OPEN,             /*< nick=reissue_open >*/
  /* reissue */
  CO_REASON_NO_REISSUE,               /*< nick=no_reissue >*/
  CO_REASON_ALREADY_PAID,             /*< nick=already_paid >*/
  CO_REASON_NOT_PAID,                 /*< nick=not_paid >*/
  CO_REASON_IN_PRODUCTION,            /*< nick=in_production >*/
  CO_REASON_REISSUE_CLOSED,           /*< nick=reissue_closed >*/
  CO_REASON_WITHDRAW_NEEDS_REFUND,    /*< nick=withdraw_needs_refund >*/
  CO_REASON_NOT_IN_PRODUCTION,        /*< nick=not_in_production >*/
  CO_REASON_NOT_AWAITING_PICKUP,      /*< nick=not_awaiting_pickup >*/
  CO_REASON_HOME_DELIVERY,            /*< nick=home_delivery >*/
  CO_REASON_SCHOOL_DELIVERY,          /*< nick=school_delivery >*/
  /* delivery */
  CO_REASON_ADDRESS_MISSING,          /*< nick=address_missing >*/
  CO_REASON_RECIPIENT_MISSING,        /*< nick=recipient_missing >*/
  CO_REASON_PHONE_INVALID,            /*< nick=phone_invalid >*/
  CO_REASON_COURIER_FEE_OVER_CAP,     /*< nick=courier_fee_over_cap >*/
  CO_REASON_SCHOOL_HOLIDAY,           /*< nick=school_holiday >*/
  /* identity and eligibility */
  CO_REASON_EDU_ID_INVALID,           /*< nick=edu_id_invalid >*/
  CO_REASON_GRADE_INVALID,            /*< nick=grade_invalid >*/
  CO_REASON_NEW_CARD_NOT_ENTRANT,     /*< nick=new_card_not_entrant >*/
  CO_REASON_NEW_CARD_TRANSFER_INSIDE, /*< nick=new_card_transfer_inside >*/
  CO_REASON_STICKER_WRONG_GRADE,      /*< nick=sticker_wrong_grade >*/
  CO_REASON_STICKER_NOT_NEW,          /*< nick=sticker_not_new >*/
  CO_REASON_STICKER_REISSUED,         /*< nick=sticker_reissued >*/
} CoReason;

#define CO_REISSUE_FEE_FEN       1500 /* 补卡工本费 15 元 */
#define CO_COURIER_FEE_CAP_FEN   1500 /* 北京市内快递费最高 15 元 */
#define CO_REISSUE_WORKING_DAYS  20   /* 制作周期 20 个工作日 */
#define CO_PAYMENT_RESUME_MINUTES 10  /* 缴费中断 10 分钟后可继续 */
#define CO_EDU_ID_LENGTH         8

/* Wire names: the GEnumValue nick of @value in the enum @type, or NULL. */
const char *co_enum_to_wire   (GType       type,
                               int         value);
/* Parses a wire name; FALSE (and *value untouched) when unknown. */
gboolean    co_enum_from_wire (GType       type,
                               const char *wire,
                               int        *value);

CoStage     co_stage_for_grade (int grade); /* 1-6 primary, 7-9 junior, 10-12 senior */
int         co_stage_last_grade (CoStage stage); /* 6, 9, 12 */

G_END_DECLS
