/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-batch-types"

#include "config.h"

#include <string.h>

#include "co-batch-types.h"
#include "co-client-error.h"
#include "co-client-private.h"
#include "co-enum-types.h"

/* Helpers: strict members, errors naming the path (as co-json.c). */

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

  if (path != NULL && *path != '\0')
    g_set_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL, "%s.%s: %s", path, name, what);
  else
    g_set_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL, "%s: %s", name, what);

  return FALSE;
}

static const char *
node_kind (JsonNode *node)
{
  if (node == NULL)
    return "nothing";
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
           GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      if (path != NULL && *path != '\0')
        g_set_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL,
                     "%s: expected object, got %s", path, node_kind (node));
      else
        g_set_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL,
                     "(document): expected object, got %s", node_kind (node));
      return NULL;
    }
  return json_node_get_object (node);
}

static gboolean
read_string (JsonObject  *object,
             const char  *path,
             const char  *name,
             gboolean     nullable,
             gboolean     nonempty,
             const char **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return fail (error, path, name, "missing");
  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (!nullable)
        return fail (error, path, name, "expected string, got null");
      *out = NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, path, name, "expected string, got %s", node_kind (node));
  *out = json_node_get_string (node);
  if (nonempty && **out == '\0')
    return fail (error, path, name, "empty");
  return TRUE;
}

static gboolean
read_int (JsonObject  *object,
          const char  *path,
          const char  *name,
          gint64       min,
          gint64       max,
          gint64      *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return fail (error, path, name, "missing");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (error, path, name, "expected integer, got %s", node_kind (node));
  *out = json_node_get_int (node);
  if (*out < min || *out > max)
    return fail (error, path, name, "%" G_GINT64_FORMAT " out of range", *out);
  return TRUE;
}

static gboolean
read_bool (JsonObject  *object,
           const char  *path,
           const char  *name,
           gboolean    *out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return fail (error, path, name, "missing");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (error, path, name, "expected boolean, got %s", node_kind (node));
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_datetime (JsonObject  *object,
               const char  *path,
               const char  *name,
               const char **out,
               GError     **error)
{
  if (!read_string (object, path, name, FALSE, TRUE, out, error))
    return FALSE;
  if (!_co_json_datetime_is_valid (*out))
    return fail (error, path, name, "not an RFC 3339 date-time");
  return TRUE;
}

static int
lookup (const char * const *names,
        const char         *value)
{
  for (int i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], value))
      return i;
  return -1;
}

/* Wire names */

static const char * const batch_kinds[] = { "new_card", "sticker", NULL };
static const char * const batch_states[] = {
  "submitted", "in_production", "delivered_to_school", NULL
};
static const char * const transit_reasons[] = {
  "", "card_not_issued", "card_reported_lost", "card_cancelled", "expired",
  "not_synced", "transit_rejected", NULL
};
static const char * const transit_decisions[] = { "confirm", "reject", NULL };

const char *
co_batch_kind_to_string (CoBatchKind kind)
{
  g_return_val_if_fail (kind <= CO_BATCH_KIND_STICKER, NULL);
  return batch_kinds[kind];
}

const char *
co_batch_state_to_string (CoBatchState state)
{
  g_return_val_if_fail (state <= CO_BATCH_STATE_DELIVERED_TO_SCHOOL, NULL);
  return batch_states[state];
}

const char *
co_transit_reason_to_string (CoTransitReason reason)
{
  g_return_val_if_fail (reason <= CO_TRANSIT_REASON_TRANSIT_REJECTED, NULL);
  return reason == CO_TRANSIT_REASON_NONE ? NULL : transit_reasons[reason];
}

const char *
co_transit_decision_to_string (CoTransitDecision decision)
{
  g_return_val_if_fail (decision <= CO_TRANSIT_DECISION_REJECT, NULL);
  return transit_decisions[decision];
}

/* Boxed types */

static void
row_result_clear (CoBatchRowResult *row)
{
  g_clear_pointer (&row->edu_id, g_free);
  g_clear_pointer (&row->code, g_free);
  g_clear_pointer (&row->field, g_free);
  g_clear_pointer (&row->card_no, g_free);
}

static CoBatchReport *
batch_report_new (void)
{
  CoBatchReport *report = g_new0 (CoBatchReport, 1);

  report->rows = g_array_new (FALSE, TRUE, sizeof (CoBatchRowResult));
  g_array_set_clear_func (report->rows, (GDestroyNotify) row_result_clear);
  return report;
}

CoBatchReport *
co_batch_report_copy (const CoBatchReport *report)
{
  CoBatchReport *copy;

  g_return_val_if_fail (report != NULL, NULL);

  copy = batch_report_new ();
  copy->id = report->id;
  copy->kind = report->kind;
  copy->state = report->state;
  copy->created_at = g_strdup (report->created_at);
  copy->staff = g_strdup (report->staff);
  copy->n_accepted = report->n_accepted;
  copy->n_refused = report->n_refused;
  for (guint i = 0; i < report->rows->len; i++)
    {
      const CoBatchRowResult *r = &g_array_index (report->rows, CoBatchRowResult, i);
      CoBatchRowResult c = {
        r->row, g_strdup (r->edu_id), r->accepted, g_strdup (r->code),
        g_strdup (r->field), g_strdup (r->card_no)
      };

      g_array_append_val (copy->rows, c);
    }
  return copy;
}

void
co_batch_report_free (CoBatchReport *report)
{
  if (report == NULL)
    return;
  g_free (report->created_at);
  g_free (report->staff);
  g_array_unref (report->rows);
  g_free (report);
}

G_DEFINE_BOXED_TYPE (CoBatchReport, co_batch_report, co_batch_report_copy, co_batch_report_free)

CoTransitValidity *
co_transit_validity_copy (const CoTransitValidity *validity)
{
  CoTransitValidity *copy;

  g_return_val_if_fail (validity != NULL, NULL);

  copy = g_memdup2 (validity, sizeof *validity);
  copy->card_no = g_strdup (validity->card_no);
  copy->checked_at = g_strdup (validity->checked_at);
  copy->note = g_strdup (validity->note);
  copy->review_staff = g_strdup (validity->review_staff);
  copy->reviewed_at = g_strdup (validity->reviewed_at);
  return copy;
}

void
co_transit_validity_free (CoTransitValidity *validity)
{
  if (validity == NULL)
    return;
  g_free (validity->card_no);
  g_free (validity->checked_at);
  g_free (validity->note);
  g_free (validity->review_staff);
  g_free (validity->reviewed_at);
  g_free (validity);
}

G_DEFINE_BOXED_TYPE (CoTransitValidity, co_transit_validity,
                     co_transit_validity_copy, co_transit_validity_free)

/* Request bodies */

static GBytes *
builder_to_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize length;
  char *data;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_take (data, length);
}

GBytes *
co_batch_new_card_body (const CoNewCardRow *rows,
                        guint               n_rows)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (rows != NULL || n_rows == 0, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_rows; i++)
    {
      const CoNewCardRow *r = &rows[i];
      const char *gender = co_enum_to_wire (CO_TYPE_GENDER, r->gender);
      const char *entry = co_enum_to_wire (CO_TYPE_ENTRY, r->entry);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "edu_id");
      json_builder_add_string_value (builder, r->edu_id ? r->edu_id : "");
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, r->name ? r->name : "");
      json_builder_set_member_name (builder, "gender");
      json_builder_add_string_value (builder, gender ? gender : "");
      json_builder_set_member_name (builder, "grade");
      json_builder_add_int_value (builder, r->grade);
      json_builder_set_member_name (builder, "class_name");
      json_builder_add_string_value (builder, r->class_name ? r->class_name : "");
      json_builder_set_member_name (builder, "entry");
      json_builder_add_string_value (builder, entry ? entry : "");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

GBytes *
co_batch_sticker_body (const char * const *edu_ids,
                       guint               n_edu_ids)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (edu_ids != NULL || n_edu_ids == 0, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_edu_ids; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "edu_id");
      json_builder_add_string_value (builder, edu_ids[i] ? edu_ids[i] : "");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

/* Decoders */

static gboolean
read_batch_row (JsonNode          *node,
                const char        *path,
                CoBatchRowResult  *out,
                GError           **error)
{
  JsonObject *o;
  const char *edu_id, *result, *code, *field, *card_no;
  gint64 row;

  if (!(o = as_object (node, path, error)) ||
      !read_int (o, path, "row", 1, G_MAXUINT, &row, error) ||
      !read_string (o, path, "edu_id", TRUE, FALSE, &edu_id, error) ||
      !read_string (o, path, "result", FALSE, TRUE, &result, error) ||
      !read_string (o, path, "code", TRUE, TRUE, &code, error) ||
      !read_string (o, path, "field", TRUE, FALSE, &field, error) ||
      !read_string (o, path, "card_no", TRUE, TRUE, &card_no, error))
    return FALSE;

  if (!g_str_equal (result, "accepted") && !g_str_equal (result, "refused"))
    return fail (error, path, "result", "unknown value");
  out->accepted = g_str_equal (result, "accepted");
  if (!out->accepted && code == NULL)
    return fail (error, path, "code", "a refused row needs a code");

  out->row = (guint) row;
  out->edu_id = g_strdup (edu_id);
  out->code = out->accepted ? NULL : g_strdup (code);
  out->field = g_strdup (field);
  out->card_no = g_strdup (card_no);
  return TRUE;
}

CoBatchReport *
co_json_decode_batch (JsonNode    *node,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(CoBatchReport) report = batch_report_new ();
  JsonObject *o;
  JsonNode *rows;
  const char *kind, *state, *created_at, *staff;
  gint64 id, accepted, refused;
  g_autofree char *rows_path = NULL;
  JsonArray *array;
  int k, st;

  if (path == NULL)
    path = "";
  if (!(o = as_object (node, path, error)) ||
      !read_int (o, path, "id", 1, G_MAXINT64, &id, error) ||
      !read_string (o, path, "kind", FALSE, TRUE, &kind, error) ||
      !read_string (o, path, "state", FALSE, TRUE, &state, error) ||
      !read_datetime (o, path, "created_at", &created_at, error) ||
      !read_string (o, path, "staff", FALSE, FALSE, &staff, error) ||
      !read_int (o, path, "accepted", 0, G_MAXUINT, &accepted, error) ||
      !read_int (o, path, "refused", 0, G_MAXUINT, &refused, error))
    return NULL;
  if ((k = lookup (batch_kinds, kind)) < 0)
    {
      fail (error, path, "kind", "unknown value");
      return NULL;
    }
  if ((st = lookup (batch_states, state)) < 0)
    {
      fail (error, path, "state", "unknown value");
      return NULL;
    }
  rows = json_object_get_member (o, "rows");
  if (rows == NULL || !JSON_NODE_HOLDS_ARRAY (rows))
    {
      fail (error, path, "rows", "expected array, got %s", node_kind (rows));
      return NULL;
    }

  report->id = id;
  report->kind = k;
  report->state = st;
  report->created_at = g_strdup (created_at);
  report->staff = g_strdup (staff);
  report->n_accepted = accepted;
  report->n_refused = refused;

  array = json_node_get_array (rows);
  rows_path = *path ? g_strconcat (path, ".rows", NULL) : g_strdup ("rows");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *row_path = g_strdup_printf ("%s[%u]", rows_path, i);
      CoBatchRowResult r = { 0 };

      if (!read_batch_row (json_array_get_element (array, i), row_path, &r, error))
        {
          row_result_clear (&r);
          return NULL;
        }
      g_array_append_val (report->rows, r);
    }

  return g_steal_pointer (&report);
}

CoTransitValidity *
co_json_decode_transit_validity (JsonNode    *node,
                                 const char  *path,
                                 GError     **error)
{
  g_autoptr(CoTransitValidity) v = g_new0 (CoTransitValidity, 1);
  JsonObject *o;
  JsonNode *review;
  const char *card_no, *reason, *checked_at;
  int r;

  if (path == NULL)
    path = "";
  if (!(o = as_object (node, path, error)) ||
      !read_string (o, path, "card_no", FALSE, TRUE, &card_no, error) ||
      !read_bool (o, path, "valid", &v->valid, error) ||
      !read_string (o, path, "reason", TRUE, TRUE, &reason, error) ||
      !read_bool (o, path, "synced", &v->synced, error) ||
      !read_datetime (o, path, "checked_at", &checked_at, error))
    return NULL;

  if (reason == NULL)
    r = CO_TRANSIT_REASON_NONE;
  else if ((r = lookup (transit_reasons, reason)) <= 0)
    {
      fail (error, path, "reason", "unknown value");
      return NULL;
    }
  if (v->valid != (r == CO_TRANSIT_REASON_NONE))
    {
      fail (error, path, "reason", v->valid ? "a valid card has no reason"
                                            : "an invalid card needs a reason");
      return NULL;
    }
  v->reason = r;
  v->card_no = g_strdup (card_no);
  v->checked_at = g_strdup (checked_at);

  review = json_object_get_member (o, "review");
  if (review == NULL)
    {
      fail (error, path, "review", "missing");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_NULL (review))
    {
      g_autofree char *rpath = *path ? g_strconcat (path, ".review", NULL) : g_strdup ("review");
      const char *decision, *note, *staff, *reviewed_at;
      JsonObject *ro;
      int d;

      if (!(ro = as_object (review, rpath, error)) ||
          !read_string (ro, rpath, "decision", FALSE, TRUE, &decision, error) ||
          !read_string (ro, rpath, "note", TRUE, FALSE, &note, error) ||
          !read_string (ro, rpath, "staff", FALSE, FALSE, &staff, error) ||
          !read_datetime (ro, rpath, "reviewed_at", &reviewed_at, error))
        return NULL;
      if ((d = lookup (transit_decisions, decision)) < 0)
        {
          fail (error, rpath, "decision", "unknown value");
          return NULL;
        }
      v->has_review = TRUE;
      v->decision = d;
      v->note = g_strdup (note);
      v->review_staff = g_strdup (staff);
      v->reviewed_at = g_strdup (reviewed_at);
    }

  return g_steal_pointer (&v);
}
