/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * co-json: strict decoders of the central API's JSON (data/openapi.json).
 *
 * Every decoder checks every field it needs before it builds anything: a
 * missing, null-where-not-allowed or mistyped field gives NULL and a
 * CO_CLIENT_ERROR_PROTOCOL error whose message starts with the field's path,
 * e.g. "students[3].card.status: expected string". Unknown members are
 * ignored (the server may add fields). Decoders never log values.
 *
 * Records (CoStudentRecord, CoReissueRecord) are the decoded, validated
 * fields without a GObject: the sync applies 100,000 of them to the store
 * without creating an object each. Their strings point into the JsonNode
 * that holds them and live as long as it does.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "co-model.h"
#include "co-audit-entry.h"

G_BEGIN_DECLS

typedef struct
{
  gint64           id;                 /* >= 1 */
  const char      *edu_id;
  CoReissueStatus  status;
  CoDelivery       delivery;
  const char      *address;            /* nullable */
  const char      *recipient;          /* nullable */
  const char      *phone;              /* nullable */
  int              fee_fen;
  int              courier_fee_fen;    /* -1 when null (not known yet) */
  const char      *courier_no;         /* nullable */
  const char      *created_at;         /* RFC 3339 */
  const char      *paid_at;            /* nullable, RFC 3339 */
  const char      *due_on;             /* nullable, YYYY-MM-DD */
  const char      *payment_expires_at; /* nullable, RFC 3339 */
} CoReissueRecord;

typedef struct
{
  const char      *edu_id;
  const char      *name;
  CoGender         gender;
  int              grade;
  const char      *class_name;
  CoStage          stage;
  CoEntry          entry;
  const char      *school_name;
  const char      *photo_etag;   /* nullable */
  const char      *updated_at;   /* RFC 3339 */

  gboolean         has_card;
  const char      *card_no;      /* the card's members, when has_card */
  const char      *bjt_no;
  const char      *uid;          /* upper-case hex */
  CoCardStatus     card_status;
  const char      *issued_on;    /* nullable, YYYY-MM-DD */
  const char      *valid_until;  /* nullable, YYYY-MM-DD */

  gboolean         has_reissue;
  CoReissueRecord  reissue;
} CoStudentRecord;

/* One page of GET /api/v1/roster. */
typedef struct
{
  JsonNode        *root;        /* owns every string below */
  GArray          *students;    /* of CoStudentRecord */
  GPtrArray       *removed;     /* of const char * (edu IDs) */
  const char      *next_cursor;
  gboolean         has_more;
} CoRosterDelta;

void             co_roster_delta_free         (CoRosterDelta *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoRosterDelta, co_roster_delta_free)

/* A payment order: the QR code to show and when it expires. */
typedef struct
{
  char            *code_url;
  char            *expires_at;
  int              amount_fen;
} CoPayment;

#define CO_TYPE_PAYMENT (co_payment_get_type ())
GType            co_payment_get_type         (void) G_GNUC_CONST;
CoPayment       *co_payment_copy             (const CoPayment *payment);
void             co_payment_free             (CoPayment       *payment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoPayment, co_payment_free)

/* The school the signed-in staff belong to: GET /api/v1/school. */
typedef struct
{
  char            *name;
  char            *today;                 /* the server's today, YYYY-MM-DD */
  GArray          *holidays;              /* of CoDateRange (寒暑假) */
  char           **holiday_names;         /* one per holiday ("寒假") */
  gboolean         school_delivery_open;  /* may delivery=school be chosen today? */
  int              fee_fen;
  int              courier_fee_cap_fen;
  int              payment_minutes;
  int              production_working_days;
} CoSchoolInfo;

/* The answer to GET /api/v1/cards/by-uid/{uid}: the card with that chip UID
 * (perhaps an old, cancelled one) and its student, whose card is the
 * current one. */
typedef struct
{
  CoCard          *card;
  CoStudent       *student;
} CoCardLookup;

#define CO_TYPE_CARD_LOOKUP (co_card_lookup_get_type ())
GType            co_card_lookup_get_type     (void) G_GNUC_CONST;
CoCardLookup    *co_card_lookup_copy         (const CoCardLookup *lookup);
void             co_card_lookup_free         (CoCardLookup       *lookup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoCardLookup, co_card_lookup_free)

/* The signed-in session: POST /api/v1/auth/login. */
typedef struct
{
  char            *token;
  char            *expires_at;
  char            *username;
  char            *school_name;
} CoLoginResult;

void             co_login_result_free        (CoLoginResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoLoginResult, co_login_result_free)

#define CO_TYPE_SCHOOL_INFO (co_school_info_get_type ())
GType            co_school_info_get_type     (void) G_GNUC_CONST;
CoSchoolInfo    *co_school_info_copy         (const CoSchoolInfo *info);
void             co_school_info_free         (CoSchoolInfo       *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoSchoolInfo, co_school_info_free)

/* Parses @data (not necessarily NUL-terminated) as one JSON document;
 * malformed JSON is a PROTOCOL error. */
JsonNode        *co_json_parse               (const char   *data,
                                              gsize         length,
                                              GError      **error);

/* @path names @node in error messages ("" or NULL for the document). */
gboolean         co_json_read_student        (JsonNode         *node,
                                              const char       *path,
                                              CoStudentRecord  *out,
                                              GError          **error);
gboolean         co_json_read_reissue        (JsonNode         *node,
                                              const char       *path,
                                              CoReissueRecord  *out,
                                              GError          **error);

CoStudent       *co_student_new_from_record  (const CoStudentRecord *record);
CoReissue       *co_reissue_new_from_record  (const CoReissueRecord *record);
/* The student's card, or NULL when the record has none. */
CoCard          *co_card_new_from_record     (const CoStudentRecord *record);

CoStudent       *co_json_decode_student      (JsonNode     *node,
                                              const char   *path,
                                              GError      **error);
CoReissue       *co_json_decode_reissue      (JsonNode     *node,
                                              const char   *path,
                                              GError      **error);
CoPayment       *co_json_decode_payment      (JsonNode     *node,
                                              const char   *path,
                                              GError      **error);
CoSchoolInfo    *co_json_decode_school       (JsonNode     *node,
                                              const char   *path,
                                              GError      **error);
CoAuditEntry    *co_json_decode_audit_entry  (JsonNode     *node,
                                              const char   *path,
                                              GError      **error);
CoCardLookup    *co_json_decode_card_lookup  (JsonNode     *node,
                                              const char   *path,
                                              GError      **error);
CoLoginResult   *co_json_decode_login        (JsonNode     *node,
                                              const char   *path,
                                              GError      **error);
/* A page of a list: the array member @member_name decoded by @decode into
 * a GListStore of @item_type, and the nullable "next_cursor". */
GListModel      *co_json_decode_list_page    (JsonNode     *node,
                                              const char   *member_name,
                                              GType         item_type,
                                              gpointer    (*decode) (JsonNode    *node,
                                                                     const char  *path,
                                                                     GError     **error),
                                              char        **next_cursor,
                                              GError      **error);
/* The body of an error answer: {"error": {"code", "message", "field"?}}.
 * FALSE when it is not one (then the caller goes by the status alone). */
gboolean         co_json_read_error_body     (JsonNode     *node,
                                              const char  **code,
                                              const char  **message,
                                              const char  **field);
/* Takes ownership of @root (also on failure). */
CoRosterDelta    *co_json_decode_roster_page  (JsonNode     *root,
                                              GError      **error);

G_END_DECLS
