/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoClient: the asynchronous client of the central API (DESIGN.md, "The
 * central API"; the contract is data/openapi.json). One _async/_finish pair
 * per endpoint; errors are CO_CLIENT_ERROR (co-client-error.h) or
 * G_IO_ERROR_CANCELLED.
 *
 * Use a client from the thread whose thread-default main context was
 * current when it was created (the main thread in the app); callbacks run
 * there. Big answers are decoded on a worker thread.
 *
 * Every attempt has a timeout (co_client_set_timeout ()). Reads and writes
 * are retried on network errors, timeouts, 5xx and 429 with bounded,
 * jittered exponential backoff honouring Retry-After; a write always carries
 * an Idempotency-Key, the same on every retry, so the server applies it
 * once. Pass your own key (a UUID) to repeat a logical operation later (the
 * outbox does); NULL makes a fresh one per call. Sign-in itself is never
 * retried once it reached the server (the server throttles failed logins).
 *
 * An expired token: the first request answered 401 emits "token-expired".
 * A handler that returns TRUE promises to sign in again (co_client_sign_in_async
 * or co_client_set_token); every request answered 401 meanwhile waits and is
 * sent again, with the new token and the same Idempotency-Key, once it
 * succeeds. co_client_abandon_sign_in () fails them with UNAUTHORIZED. With
 * no handler (or FALSE) the request fails with CO_CLIENT_ERROR_UNAUTHORIZED.
 * A waiting request holds the client: abandon the sign-in before letting
 * the client go.
 *
 * TLS is verified against the system's trust store; co_client_set_ca_file ()
 * adds one more CA (a private platform's). Logs name route patterns and
 * statuses only, never an education ID, name or phone number.
 */
#pragma once

#include <gio/gio.h>

#include "co-model.h"
#include "co-audit-entry.h"
#include "co-batch-types.h"
#include "co-client-error.h"
#include "co-json.h"

G_BEGIN_DECLS

#define CO_CLIENT_DEFAULT_TIMEOUT_SECONDS 30
#define CO_CLIENT_DEFAULT_MAX_ATTEMPTS    4
#define CO_CLIENT_DEFAULT_MAX_BODY_SIZE   (64 * 1024 * 1024)

/* GET /api/v1/students filters: NULL, -1 or 0 leave one out. */
typedef struct
{
  const char *q;          /* name substring, edu ID prefix, card no, bjt no or uid */
  int         stage;      /* CoStage or -1 */
  int         grade;      /* 1-12 or 0 */
  const char *class_name; /* exact */
  int         status;     /* CoCardStatus or -1 */
} CoStudentQuery;

#define CO_STUDENT_QUERY_INIT { NULL, -1, 0, NULL, -1 }

/* 信息更正: set at least one member (NULL, -1 and 0 mean "unchanged"). */
typedef struct
{
  const char *name;
  int         gender;     /* CoGender or -1 */
  int         grade;      /* 1-12 or 0 */
  const char *class_name;
} CoCorrection;

#define CO_CORRECTION_INIT { NULL, -1, 0, NULL }

/* 申请补卡 */
typedef struct
{
  const char *edu_id;
  CoDelivery  delivery;
  const char *address;          /* home delivery */
  const char *recipient;        /* home delivery */
  const char *phone;            /* home delivery */
  int         courier_fee_fen;  /* home delivery, or -1 to leave out */
} CoReissueRequest;

/* The reference server's --demo steps of a reissue. */
typedef enum
{
  CO_CLIENT_DEV_PAY,
  CO_CLIENT_DEV_START_PRODUCTION,
  CO_CLIENT_DEV_FINISH_PRODUCTION,
  CO_CLIENT_DEV_DELIVER,
} CoClientDevStep;

/* POST /api/v1/dev/students (reference server with --demo only). */
typedef struct
{
  const char *edu_id;     /* NULL: a free one */
  const char *name;
  CoGender    gender;
  int         grade;
  const char *class_name;
  int         entry;      /* CoEntry or -1 */
  const char *card;       /* "active" (NULL), "not_issued" or "none" */
} CoDevStudent;

#define CO_TYPE_CLIENT (co_client_get_type ())
G_DECLARE_FINAL_TYPE (CoClient, co_client, CO, CLIENT, GObject)

/* @base_url: "https://host[:port]" (a trailing "/api/v1" is accepted).
 * Plain "http://" only for this computer (localhost, 127.0.0.0/8, ::1):
 * any other is refused, each call failing with CO_CLIENT_ERROR_INSECURE. */
CoClient     *co_client_new                  (const char    *base_url);
/* FALSE (CO_CLIENT_ERROR_INSECURE) for a plain-http URL whose host is not
 * loopback, (CO_CLIENT_ERROR_INVALID_REQUEST) for one that is no URL. */
gboolean      co_client_check_base_url       (const char    *base_url,
                                              GError       **error);
const char   *co_client_get_base_url         (CoClient      *self);

/* Trust the CA(s) in @path (PEM) besides the system's. NULL: system only. */
gboolean      co_client_set_ca_file          (CoClient      *self,
                                              const char    *path,
                                              GError       **error);
/* Per attempt, connect to last byte; 0 restores the default. */
void          co_client_set_timeout          (CoClient      *self,
                                              guint          seconds);
void          co_client_set_timeout_ms       (CoClient      *self,
                                              guint          milliseconds);
/* @max_attempts >= 1 (1 = no retry); delays in ms: base doubles per retry
 * up to @max_delay_ms, with jitter. */
void          co_client_set_retry_policy     (CoClient      *self,
                                              guint          max_attempts,
                                              guint          base_delay_ms,
                                              guint          max_delay_ms);
/* Answers larger than this fail with CO_CLIENT_ERROR_PROTOCOL. */
void          co_client_set_max_body_size    (CoClient      *self,
                                              gsize          bytes);

/* Session */
const char   *co_client_get_token            (CoClient      *self);
/* Sets the bearer token (NULL: signed out); requests parked by
 * "token-expired" are sent again when a token is set. */
void          co_client_set_token            (CoClient      *self,
                                              const char    *token);
gboolean      co_client_get_signed_in        (CoClient      *self);
const char   *co_client_get_username         (CoClient      *self);
const char   *co_client_get_school_name      (CoClient      *self);
const char   *co_client_get_token_expires_at (CoClient      *self);
/* Fails the requests waiting for a new sign-in with UNAUTHORIZED. */
void          co_client_abandon_sign_in      (CoClient      *self);

void          co_client_sign_in_async        (CoClient             *self,
                                              const char           *username,
                                              const char           *password,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean      co_client_sign_in_finish       (CoClient             *self,
                                              GAsyncResult         *result,
                                              GError              **error);
void          co_client_sign_out_async       (CoClient             *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean      co_client_sign_out_finish      (CoClient             *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* GET /school */
void          co_client_get_school_async     (CoClient             *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CoSchoolInfo *co_client_get_school_finish    (CoClient             *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* GET /students: a GListModel of CoStudent; *@next_cursor NULL on the last page. */
void          co_client_list_students_async  (CoClient             *self,
                                              const CoStudentQuery *query,
                                              const char           *cursor,
                                              guint                 limit,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GListModel   *co_client_list_students_finish (CoClient             *self,
                                              GAsyncResult         *result,
                                              char                **next_cursor,
                                              GError              **error);

/* GET /students/{edu_id} */
void          co_client_get_student_async    (CoClient             *self,
                                              const char           *edu_id,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CoStudent    *co_client_get_student_finish   (CoClient             *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* GET /students/{edu_id}/photo. With @if_none_match (an ETag) an unchanged
 * photo gives TRUE with *@jpeg NULL. 404 also means "no photo". ETags are
 * given and taken as in co_student_get_photo_etag (): without quotes. */
void          co_client_get_photo_async      (CoClient             *self,
                                              const char           *edu_id,
                                              const char           *if_none_match,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean      co_client_get_photo_finish     (CoClient             *self,
                                              GAsyncResult         *result,
                                              GBytes              **jpeg,
                                              char                **etag,
                                              GError              **error);

/* The writes. @idempotency_key: NULL for a fresh one. */

/* PUT /students/{edu_id}/photo (JPEG, at most 1 MiB) */
void          co_client_put_photo_async      (CoClient             *self,
                                              const char           *edu_id,
                                              GBytes               *jpeg,
                                              const char           *idempotency_key,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CoStudent    *co_client_put_photo_finish     (CoClient             *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* POST /students/{edu_id}/corrections */
void          co_client_correct_student_async (CoClient            *self,
                                               const char          *edu_id,
                                               const CoCorrection  *correction,
                                               const char          *idempotency_key,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
CoStudent    *co_client_correct_student_finish (CoClient           *self,
                                                GAsyncResult       *result,
                                                GError            **error);

/* POST /students/{edu_id}/loss (挂失) */
void          co_client_report_loss_async    (CoClient             *self,
                                              const char           *edu_id,
                                              const char           *idempotency_key,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CoStudent    *co_client_report_loss_finish   (CoClient             *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* DELETE /students/{edu_id}/loss (解挂) */
void          co_client_lift_loss_async      (CoClient             *self,
                                              const char           *edu_id,
                                              const char           *idempotency_key,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CoStudent    *co_client_lift_loss_finish     (CoClient             *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* GET /cards/by-uid/{uid} */
void          co_client_lookup_card_async    (CoClient             *self,
                                              const char           *uid,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CoCardLookup *co_client_lookup_card_finish   (CoClient             *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* POST /cards/{card_no}/handout (领卡 / 发卡) */
void          co_client_hand_out_async       (CoClient             *self,
                                              const char           *card_no,
                                              const char           *idempotency_key,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CoStudent    *co_client_hand_out_finish      (CoClient             *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* POST /reissues (申请补卡) */
void          co_client_apply_reissue_async  (CoClient               *self,
                                              const CoReissueRequest *request,
                                              const char             *idempotency_key,
                                              GCancellable           *cancellable,
                                              GAsyncReadyCallback     callback,
                                              gpointer                user_data);
CoReissue    *co_client_apply_reissue_finish (CoClient             *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* GET /reissues: a GListModel of CoReissue, newest first.
 * @status: CO_REISSUE_STATUS_NONE for all; @edu_id nullable. */
void          co_client_list_reissues_async  (CoClient             *self,
                                              CoReissueStatus       status,
                                              const char           *edu_id,
                                              const char           *cursor,
                                              guint                 limit,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GListModel   *co_client_list_reissues_finish (CoClient             *self,
                                              GAsyncResult         *result,
                                              char                **next_cursor,
                                              GError              **error);

/* GET /reissues/{id} (@id: co_reissue_get_id ()) */
void          co_client_get_reissue_async    (CoClient             *self,
                                              const char           *id,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CoReissue    *co_client_get_reissue_finish   (CoClient             *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* POST /reissues/{id}/payment: the QR code (an unexpired one is answered again). */
void          co_client_request_payment_async (CoClient            *self,
                                               const char          *id,
                                               const char          *idempotency_key,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
CoPayment    *co_client_request_payment_finish (CoClient           *self,
                                                GAsyncResult       *result,
                                                GError            **error);

/* POST /reissues/{id}/refund (退费) */
void          co_client_refund_async         (CoClient             *self,
                                              const char           *id,
                                              const char           *idempotency_key,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CoReissue    *co_client_refund_finish        (CoClient             *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* POST /reissues/{id}/withdraw (撤销申请) */
void          co_client_withdraw_async       (CoClient             *self,
                                              const char           *id,
                                              const char           *idempotency_key,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CoReissue    *co_client_withdraw_finish      (CoClient             *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* GET /audit: a GListModel of CoAuditEntry, newest first; filters nullable. */
void          co_client_list_audit_async     (CoClient             *self,
                                              const char           *edu_id,
                                              const char           *staff,
                                              const char           *action,
                                              const char           *cursor,
                                              guint                 limit,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GListModel   *co_client_list_audit_finish    (CoClient             *self,
                                              GAsyncResult         *result,
                                              char                **next_cursor,
                                              GError              **error);

/* GET /roster?since=&limit= (@since NULL or "" for everything; @limit 0
 * for the server's default). Used by co_sync_run_async (). */
void          co_client_fetch_roster_async   (CoClient             *self,
                                              const char           *since,
                                              guint                 limit,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CoRosterDelta *co_client_fetch_roster_finish  (CoClient             *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* The reference server's /dev endpoints (card-office-server --demo only):
 * for the demo, the tests and the benchmarks. */
void          co_client_dev_advance_reissue_async (CoClient            *self,
                                                   const char          *id,
                                                   CoClientDevStep      step,
                                                   const char          *idempotency_key,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
CoReissue    *co_client_dev_advance_reissue_finish (CoClient           *self,
                                                    GAsyncResult       *result,
                                                    GError            **error);
/* @today: YYYY-MM-DD, or NULL to follow the real clock. */
void          co_client_dev_set_clock_async  (CoClient             *self,
                                              const char           *today,
                                              const char           *idempotency_key,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean      co_client_dev_set_clock_finish (CoClient             *self,
                                              GAsyncResult         *result,
                                              GError              **error);
void          co_client_dev_create_student_async (CoClient             *self,
                                                  const CoDevStudent   *student,
                                                  const char           *idempotency_key,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
CoStudent    *co_client_dev_create_student_finish (CoClient            *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
void          co_client_dev_remove_student_async (CoClient             *self,
                                                  const char           *edu_id,
                                                  const char           *idempotency_key,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean      co_client_dev_remove_student_finish (CoClient            *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* An outbox item (a write made offline), sent as stored: @path begins
 * with "/api/v1/", @json_body may be NULL, and the stored
 * @idempotency_key makes a second send of the same item answer the first
 * answer again (Idempotent-Replay) instead of writing twice. The finish
 * gives the answer's JSON (a JSON null when it had none). */
void          co_client_send_outbox_item_async  (CoClient            *self,
                                                 const char          *method,
                                                 const char          *path,
                                                 GBytes              *json_body,
                                                 const char          *idempotency_key,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
JsonNode     *co_client_send_outbox_item_finish (CoClient            *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* Batches and transit (co-batch-types.h). */

/* POST /new-card-batches (@kind NEW_CARD) or /sticker-batches with a body
 * made by co_batch_new_card_body () / co_batch_sticker_body (): at most
 * 5000 rows. Each row is answered on its own in the CoBatchReport. */
void           co_client_report_batch_async         (CoClient             *self,
                                                     CoBatchKind           kind,
                                                     GBytes               *json_body,
                                                     const char           *idempotency_key,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
CoBatchReport *co_client_report_batch_finish        (CoClient             *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
/* The same, building the body. */
void           co_client_report_new_card_batch_async (CoClient            *self,
                                                      const CoNewCardRow  *rows,
                                                      guint                n_rows,
                                                      const char          *idempotency_key,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
void           co_client_report_sticker_batch_async (CoClient             *self,
                                                     const char * const   *edu_ids,
                                                     guint                 n_edu_ids,
                                                     const char           *idempotency_key,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
/* Both finish with co_client_report_batch_finish (). */

/* GET /new-card-batches/{id} or /sticker-batches/{id} */
void           co_client_get_batch_async            (CoClient             *self,
                                                     CoBatchKind           kind,
                                                     gint64                id,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
CoBatchReport *co_client_get_batch_finish           (CoClient             *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* GET /transit-validity/{card_no} */
void           co_client_get_transit_validity_async (CoClient             *self,
                                                     const char           *card_no,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
CoTransitValidity *co_client_get_transit_validity_finish (CoClient        *self,
                                                          GAsyncResult    *result,
                                                          GError         **error);

/* POST /transit-validity/{card_no}/review (审核确认); @note nullable
 * (at most 200 characters). 409 review_not_needed when not rejected. */
void           co_client_review_transit_async       (CoClient             *self,
                                                     const char           *card_no,
                                                     CoTransitDecision     decision,
                                                     const char           *note,
                                                     const char           *idempotency_key,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
CoTransitValidity *co_client_review_transit_finish  (CoClient             *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* POST /dev/new-card-batches/{id}/advance or /dev/sticker-batches/{id}/advance
 * (--demo servers only): 已提交 → 制卡中 → 已送达学校, one step per call;
 * CO_CLIENT_ERROR_CONFLICT (batch_delivered) after the last. */
void           co_client_dev_advance_batch_async    (CoClient             *self,
                                                     CoBatchKind           kind,
                                                     gint64                id,
                                                     const char           *idempotency_key,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
CoBatchReport *co_client_dev_advance_batch_finish   (CoClient             *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* POST /dev/cards/{card_no}/transit-reject (--demo servers only) */
void           co_client_dev_transit_reject_async   (CoClient             *self,
                                                     const char           *card_no,
                                                     const char           *idempotency_key,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
CoTransitValidity *co_client_dev_transit_reject_finish (CoClient          *self,
                                                        GAsyncResult      *result,
                                                        GError           **error);

G_END_DECLS
