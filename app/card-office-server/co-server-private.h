/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * card-office-server: the reference implementation of the central API
 * (data/openapi.json). Shared declarations of its parts: routing and
 * requests (co-server.c), the database and its migrations (co-server-db.c),
 * staff and tokens (co-server-auth.c), the endpoints
 * (co-server-handlers.c, co-server-dev.c), rows to JSON
 * (co-server-json.c) and the demo data (co-server-demo.c).
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "co-types.h"
#include "co-enum-types.h"
#include "co-calendar.h"
#include "co-rules.h"

G_BEGIN_DECLS

#define CO_SERVER_MAX_JSON_BODY  (64 * 1024)
#define CO_SERVER_MAX_PHOTO_BODY (1024 * 1024)
#define CO_SERVER_MAX_BATCH_BODY (2 * 1024 * 1024)
#define CO_SERVER_MAX_BATCH_ROWS 5000
#define CO_SERVER_IDEMPOTENCY_TTL (24 * 60 * 60)
#define CO_SERVER_DEFAULT_TOKEN_TTL (8 * 60 * 60)
#define CO_SERVER_LISTEN_BACKLOG 512
#define CO_SERVER_PAYMENT_SECONDS (CO_PAYMENT_RESUME_MINUTES * 60)

/* Login throttling: per username and per remote address. */
#define CO_SERVER_LOGIN_MAX_FAILURES      5
#define CO_SERVER_LOGIN_MAX_ADDR_FAILURES 50
#define CO_SERVER_LOGIN_WINDOW            (15 * 60)
#define CO_SERVER_LOGIN_LOCK              60
#define CO_SERVER_LOGIN_LOCK_MAX          (15 * 60)

typedef struct _CoServer CoServer;
typedef struct _CoRoute  CoRoute;

struct _CoServer
{
  SoupServer *soup;
  sqlite3    *db;
  GHashTable *statements;   /* SQL text → sqlite3_stmt */
  CoCalendar *calendar;
  GHashTable *throttle;     /* "u:name" / "a:address" → Throttle */
  GTimeZone  *tz;           /* Beijing, +08:00 */

  /* Sign-in: passwords are verified on a small pool of worker threads
   * (co-server-auth.c) while the loop serves other requests. */
  GThreadPool  *pwhash_pool;
  GCancellable *cancellable;    /* cancelled when the server ends */
  GQueue        logins_waiting; /* sign-ins held back by throttling */
  guint         logins_verifying; /* handed to the pool, not yet back */
  guint         pwhash_delay_ms; /* dev/test: slower verification */

  gint64      token_ttl;    /* seconds */
  gboolean    demo;
  gboolean    quiet;
  gboolean    has_today;
  GDate       today;        /* the dev clock, when has_today */
};

typedef struct
{
  gint64  id;
  gint64  school_id;
  char   *username;
  char   *school_name;
} CoStaff;

typedef struct
{
  CoServer          *server;
  SoupServerMessage *msg;
  const CoRoute     *route;
  char             **params;   /* path parameters, unescaped, in order */
  GHashTable        *query;    /* may be NULL */
  CoStaff           *staff;    /* NULL on public routes */
  GBytes            *body;
  JsonObject        *json;     /* the body as an object (JSON routes), else NULL */
  const char        *remote;   /* remote address */
} CoRequest;

typedef struct
{
  guint       status;
  char       *content_type;
  GBytes     *body;
  GHashTable *headers;         /* extra response headers */
  gboolean    deferred;        /* answered later (co_request_defer) */
} CoResponse;

/* A request whose answer comes later: the message is paused until
 * co_deferred_finish (). */
typedef struct _CoDeferred CoDeferred;

typedef void (*CoHandler) (CoRequest  *req,
                           CoResponse *res);

typedef enum
{
  CO_ROUTE_AUTH     = 1 << 0, /* needs a bearer token */
  CO_ROUTE_WRITE    = 1 << 1, /* Idempotency-Key, transaction, audit */
  CO_ROUTE_DEV      = 1 << 2, /* only with --demo */
  CO_ROUTE_RAW_BODY = 1 << 3, /* the body is not JSON */
} CoRouteFlags;

/* The largest body a request to @path may carry. */
gsize co_server_body_limit (const char *path);

struct _CoRoute
{
  const char   *method;
  const char   *pattern;
  CoHandler     handler;
  CoRouteFlags  flags;
};

/* co-server.c */
const CoRoute *co_server_get_routes      (guint        *n_routes);
CoServer      *co_server_new             (void);
void           co_server_free            (CoServer     *self);
gboolean       co_server_listen          (CoServer     *self,
                                          const char   *host,
                                          guint         port,
                                          GTlsCertificate *certificate,
                                          char        **base_url,
                                          GError      **error);
void           co_response_json          (CoResponse   *res,
                                          guint         status,
                                          JsonNode     *node);
void           co_response_error         (CoResponse   *res,
                                          guint         status,
                                          const char   *code,
                                          const char   *field,
                                          const char   *format,
                                          ...) G_GNUC_PRINTF (5, 6);
void           co_response_refuse        (CoResponse   *res,
                                          CoReason      reason,
                                          const char   *field);
void           co_response_db_error      (CoResponse   *res,
                                          CoServer     *server);
void           co_response_set_header    (CoResponse   *res,
                                          const char   *name,
                                          const char   *value);
const char    *co_request_query          (CoRequest    *req,
                                          const char   *name);
CoDeferred    *co_request_defer          (CoRequest    *req,
                                          CoResponse   *res);
void           co_deferred_finish        (CoDeferred   *deferred,
                                          CoResponse   *res);
void           co_deferred_free          (CoDeferred   *deferred);
gboolean       co_request_query_limit    (CoRequest    *req,
                                          CoResponse   *res,
                                          const char   *name,
                                          int           fallback,
                                          int           max,
                                          int          *out);

/* Time: Beijing time; "today" follows the dev clock when set. */
GDateTime     *co_server_now             (CoServer     *self);
void           co_server_get_today       (CoServer     *self,
                                          GDate        *out);
char          *co_server_now_string      (CoServer     *self);
char          *co_format_time            (GDateTime    *dt);
char          *co_format_date            (const GDate  *date);
gboolean       co_parse_date             (const char   *text,
                                          GDate        *out);

/* co-server-db.c */
#define CO_DB_ERROR (co_db_error_quark ())
GQuark         co_db_error_quark         (void);
int            co_db_schema_version      (void);
sqlite3       *co_db_open                (const char   *path,
                                          int           target_version,
                                          GError      **error);
gboolean       co_db_migrate             (sqlite3      *db,
                                          int           target,
                                          GError      **error);
gboolean       co_db_exec                (sqlite3      *db,
                                          const char   *sql,
                                          GError      **error);
sqlite3_stmt  *co_db_stmt                (CoServer     *self,
                                          const char   *sql);
void           co_db_bind_text           (sqlite3_stmt *stmt,
                                          int           index,
                                          const char   *text);
const char    *co_db_text                (sqlite3_stmt *stmt,
                                          int           column);
gboolean       co_db_step_done           (CoServer     *self,
                                          sqlite3_stmt *stmt);
gint64         co_db_next_seq            (CoServer     *self,
                                          gint64        school_id);
gboolean       co_db_touch_student       (CoServer     *self,
                                          gint64        school_id,
                                          const char   *edu_id);
gboolean       co_db_audit               (CoServer     *self,
                                          const CoStaff *staff,
                                          const char   *action,
                                          const char   *edu_id,
                                          JsonNode     *before,
                                          JsonNode     *after);
gint64         co_db_ensure_school       (CoServer     *self,
                                          const char   *name);

/* co-server-auth.c */
char          *co_auth_hash_password     (const char   *password);
gboolean       co_auth_add_staff         (CoServer     *self,
                                          gint64        school_id,
                                          const char   *username,
                                          const char   *password,
                                          GError      **error);
CoStaff       *co_auth_check_token       (CoServer     *self,
                                          const char   *authorization);
void           co_staff_free             (CoStaff      *staff);
void           co_auth_shutdown          (CoServer     *self);
void           co_handle_login           (CoRequest    *req,
                                          CoResponse   *res);
void           co_handle_logout          (CoRequest    *req,
                                          CoResponse   *res);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoStaff, co_staff_free)

/* co-server-json.c: rows to JSON. The SELECT lists below fix the columns. */
#define CO_CARD_COLUMNS \
  "c.card_no, c.bjt_no, c.uid, c.status, c.issued_on, c.valid_until"
#define CO_CARD_N_COLUMNS 6
#define CO_REISSUE_COLUMNS \
  "r.id, r.edu_id, r.status, r.delivery, r.address, r.recipient, r.phone, r.fee_fen, " \
  "r.courier_fee_fen, r.courier_no, r.created_at, r.paid_at, r.due_on, r.payment_expires_at"
#define CO_REISSUE_N_COLUMNS 14
#define CO_STUDENT_COLUMNS \
  "s.edu_id, s.name, s.gender, s.grade, s.class_name, s.entry, sc.name, s.photo_etag, " \
  "s.updated_at, " CO_CARD_COLUMNS ", " CO_REISSUE_COLUMNS
#define CO_STUDENT_N_OWN_COLUMNS 9
#define CO_STUDENT_FROM \
  " FROM students s JOIN schools sc ON sc.id = s.school_id" \
  " LEFT JOIN cards c ON c.card_no = s.card_no" \
  " LEFT JOIN reissues r ON r.id = s.reissue_id "

void           co_json_add_card          (JsonBuilder  *b,
                                          sqlite3_stmt *stmt,
                                          int           first);
void           co_json_add_reissue       (JsonBuilder  *b,
                                          sqlite3_stmt *stmt,
                                          int           first);
void           co_json_add_student       (JsonBuilder  *b,
                                          sqlite3_stmt *stmt);
JsonNode      *co_json_student           (CoServer     *server,
                                          gint64        school_id,
                                          const char   *edu_id);
JsonNode      *co_json_reissue           (CoServer     *server,
                                          gint64        reissue_id);

typedef enum
{
  CO_MEMBER_ABSENT,
  CO_MEMBER_OK,
  CO_MEMBER_WRONG, /* present with the wrong type */
} CoMember;

CoMember       co_json_get_string        (JsonObject   *object,
                                          const char   *name,
                                          const char  **out);
CoMember       co_json_get_int           (JsonObject   *object,
                                          const char   *name,
                                          gint64       *out);

/* co-server-handlers.c */
void co_handle_school            (CoRequest *req, CoResponse *res);
void co_handle_students          (CoRequest *req, CoResponse *res);
void co_handle_student           (CoRequest *req, CoResponse *res);
void co_handle_photo_get         (CoRequest *req, CoResponse *res);
void co_handle_photo_put         (CoRequest *req, CoResponse *res);
void co_handle_corrections       (CoRequest *req, CoResponse *res);
void co_handle_loss_report       (CoRequest *req, CoResponse *res);
void co_handle_loss_lift         (CoRequest *req, CoResponse *res);
void co_handle_roster            (CoRequest *req, CoResponse *res);
void co_handle_card_by_uid       (CoRequest *req, CoResponse *res);
void co_handle_handout           (CoRequest *req, CoResponse *res);
void co_handle_reissues          (CoRequest *req, CoResponse *res);
void co_handle_reissue_apply     (CoRequest *req, CoResponse *res);
void co_handle_reissue           (CoRequest *req, CoResponse *res);
void co_handle_reissue_payment   (CoRequest *req, CoResponse *res);
void co_handle_reissue_refund    (CoRequest *req, CoResponse *res);
void co_handle_reissue_withdraw  (CoRequest *req, CoResponse *res);
void co_handle_audit             (CoRequest *req, CoResponse *res);
void co_handle_check_ins         (CoRequest *req, CoResponse *res);
void co_handle_check_in          (CoRequest *req, CoResponse *res);

/* co-server-dev.c */
void co_handle_dev_pay           (CoRequest *req, CoResponse *res);
void co_handle_dev_start         (CoRequest *req, CoResponse *res);
void co_handle_dev_finish        (CoRequest *req, CoResponse *res);
void co_handle_dev_deliver       (CoRequest *req, CoResponse *res);
void co_handle_dev_clock_get     (CoRequest *req, CoResponse *res);
void co_handle_dev_clock_put     (CoRequest *req, CoResponse *res);
void co_handle_dev_student_new   (CoRequest *req, CoResponse *res);
void co_handle_dev_student_del   (CoRequest *req, CoResponse *res);

/* Shared by handlers and dev: a reissue action by the rules, in the open
 * transaction; answers the reissue (or refuses). */
void co_reissue_act              (CoRequest  *req,
                                  CoResponse *res,
                                  CoAction    action);
/* A new card for @edu_id replacing its current one; TRUE on success. */
gboolean co_issue_new_card       (CoServer   *server,
                                  const char *edu_id,
                                  int         grade,
                                  const char *bjt_no,
                                  char      **card_no_out);
char    *co_random_uid           (CoServer   *server);
char    *co_next_card_no         (CoServer   *server);

/* co-server-batches.c */
void co_handle_new_card_batch    (CoRequest *req, CoResponse *res);
void co_handle_sticker_batch     (CoRequest *req, CoResponse *res);
void co_handle_batch_get         (CoRequest *req, CoResponse *res);
void co_handle_dev_batch_advance (CoRequest *req, CoResponse *res);
void co_handle_transit_get       (CoRequest *req, CoResponse *res);
void co_handle_transit_review    (CoRequest *req, CoResponse *res);
void co_handle_dev_transit_reject (CoRequest *req, CoResponse *res);

/* co-server-photo.c */
GBytes   *co_photo_placeholder   (guint       variant,
                                  CoGender    gender);
char     *co_photo_etag          (GBytes     *jpeg);
gboolean  co_photo_store         (CoServer   *server,
                                  GBytes     *jpeg,
                                  char      **etag_out);

/* co-server-demo.c */
gboolean  co_demo_seed           (CoServer   *server,
                                  guint       n_students,
                                  GError    **error);

G_END_DECLS
