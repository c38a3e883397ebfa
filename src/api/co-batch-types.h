/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The central API's batch and transit answers (data/openapi.json: Batch,
 * BatchRow, TransitValidity, TransitReview), decoded strictly: a missing or
 * mistyped member is a CO_CLIENT_ERROR_PROTOCOL error naming it
 * ("rows[3].result: expected string"). Codes stay the server's wire
 * strings (BatchRow.code); the app words them.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "co-model.h"

G_BEGIN_DECLS

typedef enum
{
  CO_BATCH_KIND_NEW_CARD, /* 新制卡: /api/v1/new-card-batches */
  CO_BATCH_KIND_STICKER,  /* 卡贴: /api/v1/sticker-batches */
} CoBatchKind;

/* Batch.state: where the card maker has got to with a batch. */
typedef enum
{
  CO_BATCH_STATE_SUBMITTED,           /* 已提交 */
  CO_BATCH_STATE_IN_PRODUCTION,       /* 制卡中 */
  CO_BATCH_STATE_DELIVERED_TO_SCHOOL, /* 已送达学校: hand the cards out */
} CoBatchState;

/* One row of a new-card batch request (NewCardRow). */
typedef struct
{
  const char *edu_id;
  const char *name;
  CoGender    gender;
  int         grade;
  const char *class_name;
  CoEntry     entry;
} CoNewCardRow;

/* BatchRow: how the server answered one row. */
typedef struct
{
  guint     row;       /* 1-based position in the request */
  char     *edu_id;    /* nullable */
  gboolean  accepted;  /* result "accepted", else "refused" */
  char     *code;      /* refused: the ReasonCode wire string; else NULL */
  char     *field;     /* nullable */
  char     *card_no;   /* accepted: the card; nullable */
} CoBatchRowResult;

/* Batch: the answer to a POST and to GET .../{id}. */
typedef struct
{
  gint64       id;
  CoBatchKind  kind;
  CoBatchState state;
  char        *created_at;  /* RFC 3339 */
  char        *staff;
  guint        n_accepted;
  guint        n_refused;
  GArray      *rows;        /* of CoBatchRowResult, in request order */
} CoBatchReport;

#define CO_TYPE_BATCH_REPORT (co_batch_report_get_type ())
GType           co_batch_report_get_type    (void) G_GNUC_CONST;
CoBatchReport  *co_batch_report_copy        (const CoBatchReport *report);
void            co_batch_report_free        (CoBatchReport       *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoBatchReport, co_batch_report_free)

typedef enum
{
  CO_TRANSIT_REASON_NONE,               /* valid */
  CO_TRANSIT_REASON_CARD_NOT_ISSUED,
  CO_TRANSIT_REASON_CARD_REPORTED_LOST,
  CO_TRANSIT_REASON_CARD_CANCELLED,
  CO_TRANSIT_REASON_EXPIRED,
  CO_TRANSIT_REASON_NOT_SYNCED,         /* issued < 24 h ago: top up later */
  CO_TRANSIT_REASON_TRANSIT_REJECTED,   /* needs 审核确认 */
} CoTransitReason;

typedef enum
{
  CO_TRANSIT_DECISION_CONFIRM,
  CO_TRANSIT_DECISION_REJECT,
} CoTransitDecision;

/* TransitValidity (学生卡公交有效性). */
typedef struct
{
  char              *card_no;
  gboolean           valid;        /* 有效卡 / 无效卡 */
  CoTransitReason    reason;
  gboolean           synced;
  char              *checked_at;   /* RFC 3339 */
  gboolean           has_review;   /* the latest 审核确认 below */
  CoTransitDecision  decision;
  char              *note;         /* nullable */
  char              *review_staff;
  char              *reviewed_at;
} CoTransitValidity;

#define CO_TYPE_TRANSIT_VALIDITY (co_transit_validity_get_type ())
GType              co_transit_validity_get_type (void) G_GNUC_CONST;
CoTransitValidity *co_transit_validity_copy     (const CoTransitValidity *validity);
void               co_transit_validity_free     (CoTransitValidity       *validity);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoTransitValidity, co_transit_validity_free)

const char        *co_batch_kind_to_string      (CoBatchKind      kind);      /* "new_card" */
const char        *co_batch_state_to_string     (CoBatchState     state);     /* "in_production" */
const char        *co_transit_reason_to_string  (CoTransitReason  reason);    /* wire name, NULL for NONE */
const char        *co_transit_decision_to_string (CoTransitDecision decision); /* "confirm" */

/* Request bodies (JSON, UTF-8), byte-stable for a given input: a job keeps
 * them to resend a chunk with the same Idempotency-Key. */
GBytes            *co_batch_new_card_body       (const CoNewCardRow *rows,
                                                 guint               n_rows);
GBytes            *co_batch_sticker_body        (const char * const *edu_ids,
                                                 guint               n_edu_ids);

CoBatchReport     *co_json_decode_batch         (JsonNode     *node,
                                                 const char   *path,
                                                 GError      **error);
CoTransitValidity *co_json_decode_transit_validity (JsonNode  *node,
                                                    const char *path,
                                                    GError   **error);

G_END_DECLS
