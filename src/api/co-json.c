/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-json"

#include "config.h"

#include <string.h>

#include "co-client-error.h"
#include "co-client-private.h"
#include "co-enum-types.h"
#include "co-json.h"
#include "co-audit-entry.h"

/* Helpers */

typedef enum
{
  STR_REQUIRED,  /* a string, may be empty */
  STR_NONEMPTY,  /* a string with at least one non-blank character */
  STR_NULLABLE,  /* a string or null (the member itself must be present) */
} StrKind;

static gboolean G_GNUC_PRINTF (4, 5)
fail (GError     **error,
      const char  *path,
      const char  *name,
      const char  *format,
      ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (path != NULL && *path != '\0' && name != NULL)
    g_set_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL, "%s.%s: %s", path, name, what);
  else if (path != NULL && *path != '\0')
    g_set_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL, "%s: %s", path, what);
  else if (name != NULL)
    g_set_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL, "%s: %s", name, what);
  else
    g_set_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL, "(document): %s", what);

  return FALSE;
}

static const char *
node_kind (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "object";
    case JSON_NODE_ARRAY:
      return "array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "string";
    case G_TYPE_BOOLEAN:
      return "boolean";
    case G_TYPE_INT64:
      return "integer";
    case G_TYPE_DOUBLE:
      return "number";
    default:
      return "value";
    }
}

static JsonObject *
as_object (JsonNode    *node,
           const char  *path,
           const char  *name,
           GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, path, name, "expected object, got %s", node ? node_kind (node) : "nothing");
      return NULL;
    }

  return json_node_get_object (node);
}

static JsonNode *
get_member (JsonObject  *object,
            const char  *path,
            const char  *name,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    fail (error, path, name, "missing");

  return node;
}

static gboolean
is_blank (const char *s)
{
  for (; *s != '\0'; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

static gboolean
read_string (JsonObject  *object,
             const char  *path,
             const char  *name,
             StrKind      kind,
             const char **out,
             GError     **error)
{
  JsonNode *node;

  if (!(node = get_member (object, path, name, error)))
    return FALSE;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (kind == STR_NULLABLE)
        {
          *out = NULL;
          return TRUE;
        }
      return fail (error, path, name, "expected string, got null");
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, path, name, "expected string, got %s", node_kind (node));

  *out = json_node_get_string (node);

  if (kind == STR_NONEMPTY && is_blank (*out))
    return fail (error, path, name, "expected a non-empty string");

  return TRUE;
}

static gboolean
read_int (JsonObject  *object,
          const char  *path,
          const char  *name,
          int          min,
          int          max,
          int         *out,
          GError     **error)
{
  JsonNode *node;
  gint64 v;

  if (!(node = get_member (object, path, name, error)))
    return FALSE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (error, path, name, "expected integer, got %s", node_kind (node));

  v = json_node_get_int (node);
  if (v < min || v > max)
    return fail (error, path, name, "integer out of range [%d, %d]", min, max);

  *out = (int) v;
  return TRUE;
}

static gboolean
read_int64 (JsonObject  *object,
            const char  *path,
            const char  *name,
            gint64       min,
            gint64      *out,
            GError     **error)
{
  JsonNode *node;
  gint64 v;

  if (!(node = get_member (object, path, name, error)))
    return FALSE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (error, path, name, "expected integer, got %s", node_kind (node));

  v = json_node_get_int (node);
  if (v < min)
    return fail (error, path, name, "integer out of range");

  *out = v;
  return TRUE;
}

/* An integer or null (then *out = -1). */
static gboolean
read_int_nullable (JsonObject  *object,
                   const char  *path,
                   const char  *name,
                   int          max,
                   int         *out,
                   GError     **error)
{
  JsonNode *node;

  if (!(node = get_member (object, path, name, error)))
    return FALSE;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      *out = -1;
      return TRUE;
    }

  return read_int (object, path, name, 0, max, out, error);
}

static gboolean
is_upper_hex (const char *s,
              gsize       min,
              gsize       max)
{
  gsize n = 0;

  for (; s[n] != '\0'; n++)
    if (!g_ascii_isxdigit (s[n]) || g_ascii_islower (s[n]))
      return FALSE;

  return n >= min && n <= max;
}

static gboolean
read_bool (JsonObject  *object,
           const char  *path,
           const char  *name,
           gboolean    *out,
           GError     **error)
{
  JsonNode *node;

  if (!(node = get_member (object, path, name, error)))
    return FALSE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (error, path, name, "expected boolean, got %s", node_kind (node));

  *out = json_node_get_boolean (node);
  return TRUE;
}

/* An enum by its wire name; the "none" placeholders never travel. */
static gboolean
read_enum (JsonObject  *object,
           const char  *path,
           const char  *name,
           GType        type,
           int         *out,
           GError     **error)
{
  const char *s = NULL;
  int v = 0;

  if (!read_string (object, path, name, STR_REQUIRED, &s, error))
    return FALSE;

  if (g_str_equal (s, "none") || !co_enum_from_wire (type, s, &v))
    return fail (error, path, name, "unknown value for %s", g_type_name (type));

  *out = v;
  return TRUE;
}

gboolean
_co_json_date_is_valid (const char *s)
{
  guint y, m, d;

  if (s == NULL || strlen (s) != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;

  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;

  y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  m = (s[5] - '0') * 10 + (s[6] - '0');
  d = (s[8] - '0') * 10 + (s[9] - '0');

  return y >= 1 && g_date_valid_dmy (d, m, y);
}

/* RFC 3339: a date, 'T', a time and a zone ("Z" or "+08:00"). */
gboolean
_co_json_datetime_is_valid (const char *s)
{
  g_autoptr(GDateTime) dt = NULL;
  gsize len;

  if (s == NULL || (len = strlen (s)) < 20 || !_co_json_date_is_valid_prefix (s))
    return FALSE;

  if (s[10] != 'T' && s[10] != 't')
    return FALSE;

  /* Without a default zone, GLib refuses a time that has none. */
  dt = g_date_time_new_from_iso8601 (s, NULL);
  return dt != NULL;
}

gboolean
_co_json_date_is_valid_prefix (const char *s)
{
  char date[11];

  if (strlen (s) < 10)
    return FALSE;

  memcpy (date, s, 10);
  date[10] = '\0';
  return _co_json_date_is_valid (date);
}

static gboolean
read_date (JsonObject  *object,
           const char  *path,
           const char  *name,
           gboolean     nullable,
           const char **out,
           GError     **error)
{
  if (!read_string (object, path, name, nullable ? STR_NULLABLE : STR_REQUIRED, out, error))
    return FALSE;

  if (*out != NULL && !_co_json_date_is_valid (*out))
    return fail (error, path, name, "expected a date YYYY-MM-DD");

  return TRUE;
}

static gboolean
read_datetime (JsonObject  *object,
               const char  *path,
               const char  *name,
               gboolean     nullable,
               const char **out,
               GError     **error)
{
  if (!read_string (object, path, name, nullable ? STR_NULLABLE : STR_REQUIRED, out, error))
    return FALSE;

  if (*out != NULL && !_co_json_datetime_is_valid (*out))
    return fail (error, path, name, "expected an RFC 3339 time with zone");

  return TRUE;
}

static void
join_path (char       *buf,
           gsize       size,
           const char *path,
           const char *name)
{
  if (path != NULL && *path != '\0')
    g_snprintf (buf, size, "%s.%s", path, name);
  else
    g_strlcpy (buf, name, size);
}

static const char *
parse_error_name (const GError *error)
{
  if (error->domain != JSON_PARSER_ERROR)
    return "unreadable";

  switch (error->code)
    {
    case JSON_PARSER_ERROR_TRAILING_COMMA:
      return "trailing comma";
    case JSON_PARSER_ERROR_MISSING_COMMA:
      return "missing comma";
    case JSON_PARSER_ERROR_MISSING_COLON:
      return "missing colon";
    case JSON_PARSER_ERROR_INVALID_BAREWORD:
      return "invalid bareword";
    case JSON_PARSER_ERROR_EMPTY_MEMBER_NAME:
      return "empty member name";
    case JSON_PARSER_ERROR_INVALID_DATA:
      return "invalid data";
    case JSON_PARSER_ERROR_PARSE:
    default:
      return "parse error";
    }
}

/* Public API */

JsonNode *
co_json_parse (const char  *data,
               gsize        length,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length == 0)
    {
      g_set_error_literal (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL,
                           "(document): empty answer");
      return NULL;
    }

  if (length > G_MAXSSIZE || !g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL,
                           "(document): not UTF-8 text");
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      /* json-glib's message may quote the text (a bareword): the code and
       * the position only. */
      g_set_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL,
                   "(document): malformed JSON (%s) at line %u, column %u",
                   parse_error_name (local_error),
                   json_parser_get_current_line (parser), json_parser_get_current_pos (parser));
      return NULL;
    }

  if (!(root = json_parser_steal_root (parser)))
    {
      g_set_error_literal (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL,
                           "(document): empty answer");
      return NULL;
    }

  return root;
}

gboolean
co_json_read_reissue (JsonNode         *node,
                      const char       *path,
                      CoReissueRecord  *out,
                      GError          **error)
{
  CoReissueRecord r = { 0 };
  JsonObject *o;
  int status, delivery;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(o = as_object (node, path, NULL, error)))
    return FALSE;

  if (!read_int64 (o, path, "id", 1, &r.id, error) ||
      !read_string (o, path, "edu_id", STR_REQUIRED, &r.edu_id, error) ||
      !read_enum (o, path, "status", CO_TYPE_REISSUE_STATUS, &status, error) ||
      !read_enum (o, path, "delivery", CO_TYPE_DELIVERY, &delivery, error) ||
      !read_string (o, path, "address", STR_NULLABLE, &r.address, error) ||
      !read_string (o, path, "recipient", STR_NULLABLE, &r.recipient, error) ||
      !read_string (o, path, "phone", STR_NULLABLE, &r.phone, error) ||
      !read_int (o, path, "fee_fen", 0, G_MAXINT, &r.fee_fen, error) ||
      !read_int_nullable (o, path, "courier_fee_fen", G_MAXINT, &r.courier_fee_fen, error) ||
      !read_string (o, path, "courier_no", STR_NULLABLE, &r.courier_no, error) ||
      !read_datetime (o, path, "created_at", FALSE, &r.created_at, error) ||
      !read_datetime (o, path, "paid_at", TRUE, &r.paid_at, error) ||
      !read_date (o, path, "due_on", TRUE, &r.due_on, error) ||
      !read_datetime (o, path, "payment_expires_at", TRUE, &r.payment_expires_at, error))
    return FALSE;

  if (co_rules_check_edu_id (r.edu_id) != CO_REASON_NONE)
    return fail (error, path, "edu_id", "expected 8 digits");

  r.status = status;
  r.delivery = delivery;
  *out = r;

  return TRUE;
}

static gboolean
read_card (JsonObject   *c,
           const char   *path,
           const char  **card_no,
           const char  **bjt_no,
           const char  **uid,
           int          *status,
           const char  **issued_on,
           const char  **valid_until,
           GError      **error)
{
  if (!read_string (c, path, "card_no", STR_NONEMPTY, card_no, error) ||
      !read_string (c, path, "bjt_no", STR_REQUIRED, bjt_no, error) ||
      !read_string (c, path, "uid", STR_REQUIRED, uid, error) ||
      !read_enum (c, path, "status", CO_TYPE_CARD_STATUS, status, error) ||
      !read_date (c, path, "issued_on", TRUE, issued_on, error) ||
      !read_date (c, path, "valid_until", TRUE, valid_until, error))
    return FALSE;

  if (!is_upper_hex (*uid, 8, 20))
    return fail (error, path, "uid", "expected upper-case hex, 8 to 20 digits");

  return TRUE;
}

gboolean
co_json_read_student (JsonNode         *node,
                      const char       *path,
                      CoStudentRecord  *out,
                      GError          **error)
{
  CoStudentRecord r = { 0 };
  JsonObject *o;
  JsonNode *card, *reissue;
  int gender, stage, entry;
  char sub[128];

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(o = as_object (node, path, NULL, error)))
    return FALSE;

  if (!read_string (o, path, "edu_id", STR_REQUIRED, &r.edu_id, error) ||
      !read_string (o, path, "name", STR_NONEMPTY, &r.name, error) ||
      !read_enum (o, path, "gender", CO_TYPE_GENDER, &gender, error) ||
      !read_int (o, path, "grade", 1, 12, &r.grade, error) ||
      !read_string (o, path, "class_name", STR_REQUIRED, &r.class_name, error) ||
      !read_enum (o, path, "stage", CO_TYPE_STAGE, &stage, error) ||
      !read_enum (o, path, "entry", CO_TYPE_ENTRY, &entry, error) ||
      !read_string (o, path, "school_name", STR_NONEMPTY, &r.school_name, error) ||
      !read_string (o, path, "photo_etag", STR_NULLABLE, &r.photo_etag, error) ||
      !read_datetime (o, path, "updated_at", FALSE, &r.updated_at, error))
    return FALSE;

  if (co_rules_check_edu_id (r.edu_id) != CO_REASON_NONE)
    return fail (error, path, "edu_id", "expected 8 digits");

  if ((CoStage) stage != co_stage_for_grade (r.grade))
    return fail (error, path, "stage", "does not match grade");

  r.gender = gender;
  r.stage = stage;
  r.entry = entry;

  if (!(card = get_member (o, path, "card", error)))
    return FALSE;

  if (!JSON_NODE_HOLDS_NULL (card))
    {
      JsonObject *c;
      int status;

      join_path (sub, sizeof sub, path, "card");
      if (!(c = as_object (card, sub, NULL, error)))
        return FALSE;

      if (!read_card (c, sub, &r.card_no, &r.bjt_no, &r.uid, &status, &r.issued_on,
                      &r.valid_until, error))
        return FALSE;

      r.has_card = TRUE;
      r.card_status = status;
    }
  else
    {
      r.card_status = CO_CARD_STATUS_NOT_ISSUED;
    }

  if (!(reissue = get_member (o, path, "reissue", error)))
    return FALSE;

  if (!JSON_NODE_HOLDS_NULL (reissue))
    {
      join_path (sub, sizeof sub, path, "reissue");
      if (!co_json_read_reissue (reissue, sub, &r.reissue, error))
        return FALSE;

      if (!g_str_equal (r.reissue.edu_id, r.edu_id))
        return fail (error, sub, "edu_id", "does not match the student");

      r.has_reissue = TRUE;
    }

  *out = r;
  return TRUE;
}

CoStudent *
co_student_new_from_record (const CoStudentRecord *r)
{
  CoStudent *student;

  g_return_val_if_fail (r != NULL, NULL);

  student = co_student_new (r->edu_id, r->name);
  co_student_set_gender (student, r->gender);
  co_student_set_grade (student, r->grade);
  co_student_set_class_name (student, r->class_name);
  co_student_set_school (student, r->school_name);
  co_student_set_entry (student, r->entry);
  co_student_set_card_status (student, r->card_status);
  co_student_set_card_no (student, r->card_no);
  co_student_set_bjt_no (student, r->bjt_no);
  co_student_set_uid (student, r->uid);
  co_student_set_valid_until (student, r->valid_until);
  co_student_set_photo_etag (student, r->photo_etag);

  return student;
}

CoReissue *
co_reissue_new_from_record (const CoReissueRecord *r)
{
  CoReissue *reissue;
  char id[24];

  g_return_val_if_fail (r != NULL, NULL);

  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, r->id);
  reissue = co_reissue_new (id, r->edu_id, r->delivery);
  co_reissue_set_status (reissue, r->status);
  co_reissue_set_address (reissue, r->address);
  co_reissue_set_recipient (reissue, r->recipient);
  co_reissue_set_phone (reissue, r->phone);
  co_reissue_set_fee_fen (reissue, r->fee_fen);
  co_reissue_set_courier_fee_fen (reissue, MAX (r->courier_fee_fen, 0));
  co_reissue_set_courier_no (reissue, r->courier_no);
  co_reissue_set_created_at (reissue, r->created_at);
  co_reissue_set_paid_at (reissue, r->paid_at);
  co_reissue_set_due_on (reissue, r->due_on);

  return reissue;
}

CoCard *
co_card_new_from_record (const CoStudentRecord *r)
{
  CoCard *card;

  g_return_val_if_fail (r != NULL, NULL);

  if (!r->has_card)
    return NULL;

  card = co_card_new (r->card_no);
  co_card_set_bjt_no (card, r->bjt_no);
  co_card_set_uid (card, r->uid);
  co_card_set_status (card, r->card_status);
  co_card_set_edu_id (card, r->edu_id);
  co_card_set_issued_on (card, r->issued_on);

  return card;
}

CoStudent *
co_json_decode_student (JsonNode    *node,
                        const char  *path,
                        GError     **error)
{
  CoStudentRecord r;

  if (!co_json_read_student (node, path, &r, error))
    return NULL;

  return co_student_new_from_record (&r);
}

CoReissue *
co_json_decode_reissue (JsonNode    *node,
                        const char  *path,
                        GError     **error)
{
  CoReissueRecord r;

  if (!co_json_read_reissue (node, path, &r, error))
    return NULL;

  return co_reissue_new_from_record (&r);
}

/* CoPayment */

G_DEFINE_BOXED_TYPE (CoPayment, co_payment, co_payment_copy, co_payment_free)

CoPayment *
co_payment_copy (const CoPayment *payment)
{
  CoPayment *copy;

  g_return_val_if_fail (payment != NULL, NULL);

  copy = g_new0 (CoPayment, 1);
  copy->code_url = g_strdup (payment->code_url);
  copy->expires_at = g_strdup (payment->expires_at);
  copy->amount_fen = payment->amount_fen;

  return copy;
}

void
co_payment_free (CoPayment *payment)
{
  if (payment == NULL)
    return;

  g_free (payment->code_url);
  g_free (payment->expires_at);
  g_free (payment);
}

CoPayment *
co_json_decode_payment (JsonNode    *node,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(CoPayment) payment = NULL;
  const char *code_url, *expires_at;
  JsonObject *o;
  int amount;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(o = as_object (node, path, NULL, error)))
    return NULL;

  if (!read_string (o, path, "code_url", STR_NONEMPTY, &code_url, error) ||
      !read_datetime (o, path, "expires_at", FALSE, &expires_at, error) ||
      !read_int (o, path, "amount_fen", 0, G_MAXINT, &amount, error))
    return NULL;

  payment = g_new0 (CoPayment, 1);
  payment->code_url = g_strdup (code_url);
  payment->expires_at = g_strdup (expires_at);
  payment->amount_fen = amount;

  return g_steal_pointer (&payment);
}

/* CoSchoolInfo */

G_DEFINE_BOXED_TYPE (CoSchoolInfo, co_school_info, co_school_info_copy, co_school_info_free)

CoSchoolInfo *
co_school_info_copy (const CoSchoolInfo *info)
{
  CoSchoolInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_new0 (CoSchoolInfo, 1);
  copy->name = g_strdup (info->name);
  copy->today = g_strdup (info->today);
  copy->holidays = g_array_copy (info->holidays);
  copy->holiday_names = g_strdupv (info->holiday_names);
  copy->school_delivery_open = info->school_delivery_open;
  copy->fee_fen = info->fee_fen;
  copy->courier_fee_cap_fen = info->courier_fee_cap_fen;
  copy->payment_minutes = info->payment_minutes;
  copy->production_working_days = info->production_working_days;

  return copy;
}

void
co_school_info_free (CoSchoolInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->name);
  g_free (info->today);
  g_clear_pointer (&info->holidays, g_array_unref);
  g_strfreev (info->holiday_names);
  g_free (info);
}

static void
parse_date (const char *s,
            GDate      *out)
{
  g_date_clear (out, 1);
  g_date_set_dmy (out,
                  (s[8] - '0') * 10 + (s[9] - '0'),
                  (s[5] - '0') * 10 + (s[6] - '0'),
                  (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'));
}

static JsonArray *
read_array (JsonObject  *object,
            const char  *path,
            const char  *name,
            GError     **error)
{
  JsonNode *node;

  if (!(node = get_member (object, path, name, error)))
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      fail (error, path, name, "expected array, got %s", node_kind (node));
      return NULL;
    }

  return json_node_get_array (node);
}

static void
element_path (char       *buf,
              gsize       size,
              const char *path,
              const char *name,
              guint       i)
{
  if (path != NULL && *path != '\0')
    g_snprintf (buf, size, "%s.%s[%u]", path, name, i);
  else
    g_snprintf (buf, size, "%s[%u]", name, i);
}

CoSchoolInfo *
co_json_decode_school (JsonNode    *node,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(CoSchoolInfo) info = NULL;
  g_autoptr(GArray) holidays = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name, *today;
  gboolean open;
  JsonObject *o;
  JsonArray *array;
  int fee, cap, minutes, days;
  char sub[128];

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(o = as_object (node, path, NULL, error)))
    return NULL;

  if (!read_string (o, path, "name", STR_NONEMPTY, &name, error) ||
      !read_date (o, path, "today", FALSE, &today, error) ||
      !(array = read_array (o, path, "holidays", error)) ||
      !read_bool (o, path, "school_delivery_open", &open, error) ||
      !read_int (o, path, "fee_fen", 0, G_MAXINT, &fee, error) ||
      !read_int (o, path, "courier_fee_cap_fen", 0, G_MAXINT, &cap, error) ||
      !read_int (o, path, "payment_minutes", 0, G_MAXINT, &minutes, error) ||
      !read_int (o, path, "production_working_days", 0, G_MAXINT, &days, error))
    return NULL;

  holidays = g_array_sized_new (FALSE, TRUE, sizeof (CoDateRange), json_array_get_length (array));
  names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      CoDateRange range;
      const char *hname, *first, *last;
      JsonObject *h;

      element_path (sub, sizeof sub, path, "holidays", i);

      if (!(h = as_object (json_array_get_element (array, i), sub, NULL, error)) ||
          !read_string (h, sub, "name", STR_REQUIRED, &hname, error) ||
          !read_date (h, sub, "first", FALSE, &first, error) ||
          !read_date (h, sub, "last", FALSE, &last, error))
        return NULL;

      parse_date (first, &range.first);
      parse_date (last, &range.last);

      if (g_date_compare (&range.first, &range.last) > 0)
        {
          fail (error, sub, "last", "before first");
          return NULL;
        }

      g_array_append_val (holidays, range);
      g_ptr_array_add (names, g_strdup (hname));
    }

  g_ptr_array_add (names, NULL);

  info = g_new0 (CoSchoolInfo, 1);
  info->name = g_strdup (name);
  info->today = g_strdup (today);
  info->holidays = g_steal_pointer (&holidays);
  info->holiday_names = (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  info->school_delivery_open = open;
  info->fee_fen = fee;
  info->courier_fee_cap_fen = cap;
  info->payment_minutes = minutes;
  info->production_working_days = days;

  return g_steal_pointer (&info);
}

/* CoCardLookup */

G_DEFINE_BOXED_TYPE (CoCardLookup, co_card_lookup, co_card_lookup_copy, co_card_lookup_free)

CoCardLookup *
co_card_lookup_copy (const CoCardLookup *lookup)
{
  CoCardLookup *copy;

  g_return_val_if_fail (lookup != NULL, NULL);

  copy = g_new0 (CoCardLookup, 1);
  copy->card = g_object_ref (lookup->card);
  copy->student = g_object_ref (lookup->student);

  return copy;
}

void
co_card_lookup_free (CoCardLookup *lookup)
{
  if (lookup == NULL)
    return;

  g_clear_object (&lookup->card);
  g_clear_object (&lookup->student);
  g_free (lookup);
}

CoCardLookup *
co_json_decode_card_lookup (JsonNode    *node,
                            const char  *path,
                            GError     **error)
{
  CoCardLookup *lookup;
  CoStudentRecord student;
  const char *card_no, *bjt_no, *uid, *issued_on, *valid_until;
  JsonObject *o, *c;
  int status;
  char sub[128];

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(o = as_object (node, path, NULL, error)))
    return NULL;

  join_path (sub, sizeof sub, path, "card");
  if (!(c = as_object (json_object_get_member (o, "card"), path, "card", error)) ||
      !read_card (c, sub, &card_no, &bjt_no, &uid, &status, &issued_on, &valid_until, error))
    return NULL;

  join_path (sub, sizeof sub, path, "student");
  if (!json_object_has_member (o, "student"))
    {
      fail (error, path, "student", "missing");
      return NULL;
    }
  if (!co_json_read_student (json_object_get_member (o, "student"), sub, &student, error))
    return NULL;

  lookup = g_new0 (CoCardLookup, 1);
  lookup->student = co_student_new_from_record (&student);
  lookup->card = co_card_new (card_no);
  co_card_set_bjt_no (lookup->card, bjt_no);
  co_card_set_uid (lookup->card, uid);
  co_card_set_status (lookup->card, status);
  co_card_set_edu_id (lookup->card, student.edu_id);
  co_card_set_issued_on (lookup->card, issued_on);

  return lookup;
}

/* CoLoginResult */

void
co_login_result_free (CoLoginResult *result)
{
  if (result == NULL)
    return;

  g_free (result->token);
  g_free (result->expires_at);
  g_free (result->username);
  g_free (result->school_name);
  g_free (result);
}

CoLoginResult *
co_json_decode_login (JsonNode    *node,
                      const char  *path,
                      GError     **error)
{
  CoLoginResult *result;
  const char *token, *expires_at, *username, *school_name;
  JsonObject *o;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(o = as_object (node, path, NULL, error)))
    return NULL;

  if (!read_string (o, path, "token", STR_NONEMPTY, &token, error) ||
      !read_datetime (o, path, "expires_at", FALSE, &expires_at, error) ||
      !read_string (o, path, "username", STR_NONEMPTY, &username, error) ||
      !read_string (o, path, "school_name", STR_NONEMPTY, &school_name, error))
    return NULL;

  /* It goes into a header: refuse what could split it. */
  for (const char *p = token; *p != '\0'; p++)
    if (*p < 0x21 || *p > 0x7e)
      {
        fail (error, path, "token", "expected printable ASCII");
        return NULL;
      }

  result = g_new0 (CoLoginResult, 1);
  result->token = g_strdup (token);
  result->expires_at = g_strdup (expires_at);
  result->username = g_strdup (username);
  result->school_name = g_strdup (school_name);

  return result;
}

/* Lists */

GListModel *
co_json_decode_list_page (JsonNode     *node,
                          const char   *member_name,
                          GType         item_type,
                          gpointer    (*decode) (JsonNode    *node,
                                                 const char  *path,
                                                 GError     **error),
                          char        **next_cursor,
                          GError      **error)
{
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GPtrArray) items = NULL;
  const char *cursor;
  JsonObject *o;
  JsonArray *array;
  guint n;
  char sub[128];

  g_return_val_if_fail (member_name != NULL, NULL);
  g_return_val_if_fail (decode != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(o = as_object (node, NULL, NULL, error)) ||
      !(array = read_array (o, NULL, member_name, error)) ||
      !read_string (o, NULL, "next_cursor", STR_NULLABLE, &cursor, error))
    return NULL;

  if (cursor != NULL && *cursor == '\0')
    {
      fail (error, NULL, "next_cursor", "expected a non-empty string or null");
      return NULL;
    }

  n = json_array_get_length (array);
  items = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      gpointer item;

      g_snprintf (sub, sizeof sub, "%s[%u]", member_name, i);
      if (!(item = decode (json_array_get_element (array, i), sub, error)))
        return NULL;

      g_ptr_array_add (items, item);
    }

  store = g_list_store_new (item_type);
  g_list_store_splice (store, 0, 0, items->pdata, items->len);

  if (next_cursor != NULL)
    *next_cursor = g_strdup (cursor);

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/* CoAuditEntry */

CoAuditEntry *
co_json_decode_audit_entry (JsonNode    *node,
                            const char  *path,
                            GError     **error)
{
  const char *at, *staff, *action, *edu_id;
  JsonNode *before, *after;
  JsonObject *o;
  gint64 id;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(o = as_object (node, path, NULL, error)))
    return NULL;

  if (!read_int64 (o, path, "id", 1, &id, error) ||
      !read_datetime (o, path, "at", FALSE, &at, error) ||
      !read_string (o, path, "staff", STR_REQUIRED, &staff, error) ||
      !read_string (o, path, "action", STR_NONEMPTY, &action, error) ||
      !read_string (o, path, "edu_id", STR_NULLABLE, &edu_id, error) ||
      !(before = get_member (o, path, "before", error)) ||
      !(after = get_member (o, path, "after", error)))
    return NULL;

  if (!JSON_NODE_HOLDS_NULL (before) && !JSON_NODE_HOLDS_OBJECT (before))
    {
      fail (error, path, "before", "expected object or null, got %s", node_kind (before));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_NULL (after) && !JSON_NODE_HOLDS_OBJECT (after))
    {
      fail (error, path, "after", "expected object or null, got %s", node_kind (after));
      return NULL;
    }

  return co_audit_entry_new (id, at, staff, action, edu_id,
                             JSON_NODE_HOLDS_NULL (before) ? NULL : before,
                             JSON_NODE_HOLDS_NULL (after) ? NULL : after);
}

/* Error bodies */

gboolean
co_json_read_error_body (JsonNode    *node,
                         const char **code,
                         const char **message,
                         const char **field)
{
  JsonObject *o, *e;
  JsonNode *f;

  g_return_val_if_fail (code != NULL && message != NULL && field != NULL, FALSE);

  *code = *message = *field = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;

  o = json_node_get_object (node);
  if (!(e = as_object (json_object_get_member (o, "error"), NULL, "error", NULL)) ||
      !read_string (e, "error", "code", STR_NONEMPTY, code, NULL) ||
      !read_string (e, "error", "message", STR_REQUIRED, message, NULL))
    {
      *code = *message = NULL;
      return FALSE;
    }

  f = json_object_get_member (e, "field");
  if (f != NULL && JSON_NODE_HOLDS_VALUE (f) && json_node_get_value_type (f) == G_TYPE_STRING)
    *field = json_node_get_string (f);

  return TRUE;
}

/* CoRosterDelta */

void
co_roster_delta_free (CoRosterDelta *page)
{
  if (page == NULL)
    return;

  g_clear_pointer (&page->students, g_array_unref);
  g_clear_pointer (&page->removed, g_ptr_array_unref);
  g_clear_pointer (&page->root, json_node_unref);
  g_free (page);
}

CoRosterDelta *
co_json_decode_roster_page (JsonNode  *root,
                            GError   **error)
{
  g_autoptr(CoRosterDelta) page = g_new0 (CoRosterDelta, 1);
  JsonObject *o;
  JsonNode *member;
  JsonArray *array;
  guint n;
  char sub[64];

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  page->root = root;

  if (!(o = as_object (root, NULL, NULL, error)))
    return NULL;

  if (!(member = get_member (o, NULL, "students", error)))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (member))
    {
      fail (error, NULL, "students", "expected array, got %s", node_kind (member));
      return NULL;
    }

  array = json_node_get_array (member);
  n = json_array_get_length (array);
  page->students = g_array_sized_new (FALSE, FALSE, sizeof (CoStudentRecord), n);
  g_array_set_size (page->students, n);

  for (guint i = 0; i < n; i++)
    {
      g_snprintf (sub, sizeof sub, "students[%u]", i);
      if (!co_json_read_student (json_array_get_element (array, i), sub,
                                 &g_array_index (page->students, CoStudentRecord, i), error))
        return NULL;
    }

  if (!(member = get_member (o, NULL, "removed", error)))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (member))
    {
      fail (error, NULL, "removed", "expected array, got %s", node_kind (member));
      return NULL;
    }

  array = json_node_get_array (member);
  n = json_array_get_length (array);
  page->removed = g_ptr_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      const char *s;

      g_snprintf (sub, sizeof sub, "removed[%u]", i);
      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        {
          fail (error, sub, NULL, "expected string, got %s", node_kind (e));
          return NULL;
        }

      s = json_node_get_string (e);
      if (co_rules_check_edu_id (s) != CO_REASON_NONE)
        {
          fail (error, sub, NULL, "expected 8 digits");
          return NULL;
        }

      g_ptr_array_add (page->removed, (gpointer) s);
    }

  if (!read_string (o, NULL, "next_cursor", STR_NONEMPTY, &page->next_cursor, error) ||
      !read_bool (o, NULL, "has_more", &page->has_more, error))
    return NULL;

  return g_steal_pointer (&page);
}
