/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoVerifier: the verdict (核验) on a card or a student, from the roster
 * snapshot in CoStore alone (no network): a chip UID read by the reader,
 * or typed or scanned text (a keyboard-wedge scanner types an education
 * ID, a 一卡通号, or the card's QR code, which holds the 一卡通号), for an
 * optional event (who may come, who came already) on a given day.
 *
 * The order of the checks: the input must make sense (BAD_INPUT), name a
 * card or student of the snapshot (UNKNOWN); a card presented must be the
 * student's current one (REPLACED: an old card; CANCELLED: cancelled with
 * no newer card), not reported lost (LOST), within its 有效期 (EXPIRED);
 * then the event: on its list (NOT_ON_LIST), not checked in yet
 * (ALREADY_CHECKED_IN, with the time). Otherwise VALID. An education ID
 * stands for the student's current card.
 *
 * Main thread (the store's).
 */
#pragma once

#include <gio/gio.h>

#include "co-event.h"
#include "co-model.h"
#include "co-store.h"

G_BEGIN_DECLS

typedef enum
{
  CO_VERDICT_VALID,              /* 有效 */
  CO_VERDICT_LOST,               /* 已挂失: keep the card */
  CO_VERDICT_REPLACED,           /* 已补办: an old card, a newer one exists */
  CO_VERDICT_CANCELLED,          /* 已注销 with no newer card */
  CO_VERDICT_EXPIRED,            /* 已过期 */
  CO_VERDICT_UNKNOWN,            /* 未登记 */
  CO_VERDICT_NOT_ON_LIST,        /* 非本场名单 */
  CO_VERDICT_ALREADY_CHECKED_IN, /* 已核验, at checked_in_at */
  CO_VERDICT_BAD_INPUT,          /* not an education ID, 一卡通号 or UID */
} CoVerdictKind;

/* What the input was taken for. */
typedef enum
{
  CO_VERIFY_INPUT_NONE,
  CO_VERIFY_INPUT_UID,
  CO_VERIFY_INPUT_EDU_ID,
  CO_VERIFY_INPUT_CARD_NO,
} CoVerifyInput;

typedef struct
{
  CoVerdictKind  kind;
  CoVerifyInput  input;
  CoStudent     *student;        /* nullable */
  CoCard        *card;           /* the card presented, or the current one; nullable */
  char          *valid_until;    /* the student's 有效期, YYYY-MM-DD; nullable */
  GDateTime     *checked_in_at;  /* ALREADY_CHECKED_IN only */
} CoVerdict;

/* The kind as a word for records and the wire ("valid", "lost"...). */
const char   *co_verdict_kind_to_string (CoVerdictKind    kind);

#define CO_TYPE_VERDICT (co_verdict_get_type ())
GType         co_verdict_get_type       (void) G_GNUC_CONST;
CoVerdict    *co_verdict_copy           (const CoVerdict *verdict);
void          co_verdict_free           (CoVerdict       *verdict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoVerdict, co_verdict_free)

#define CO_TYPE_VERIFIER (co_verifier_get_type ())
G_DECLARE_FINAL_TYPE (CoVerifier, co_verifier, CO, VERIFIER, GObject)

CoVerifier   *co_verifier_new           (CoStore     *store);
CoStore      *co_verifier_get_store     (CoVerifier  *self);

/* NULL: no event (no list, no check-ins). */
void          co_verifier_set_event     (CoVerifier  *self,
                                         CoEvent     *event);
CoEvent      *co_verifier_get_event     (CoVerifier  *self);

/* The day 有效期 is checked against; NULL follows the local clock. */
void          co_verifier_set_today     (CoVerifier  *self,
                                         const GDate *today);

CoVerdict    *co_verifier_verify_uid    (CoVerifier  *self,
                                         const char  *uid);
CoVerdict    *co_verifier_verify_text   (CoVerifier  *self,
                                         const char  *text);

G_END_DECLS
