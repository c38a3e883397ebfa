/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * What the school reports in bulk, row by row: new cards (新制卡, grade-1
 * entrants and transfers from outside Beijing) and first stickers (卡贴,
 * new grade-7 and grade-10 students), each row judged by src/model's
 * co-rules and answered on its own; and the transit validity check
 * (学生卡公交有效性查询) with the card office's review (审核确认).
 */
#define G_LOG_DOMAIN "co-server"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "co-server-private.h"

/* Batches */

typedef struct
{
  CoRequest   *req;
  JsonBuilder *rows;
  GHashTable  *seen;     /* edu_ids of this batch */
  gint64       batch_id;
  guint        accepted;
  guint        refused;
} Batch;

static void
add_row (Batch      *batch,
         guint       row,
         const char *edu_id,
         const char *code,
         const char *field,
         const char *card_no)
{
  JsonBuilder *b = batch->rows;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "row");
  json_builder_add_int_value (b, row);
  json_builder_set_member_name (b, "edu_id");
  if (edu_id != NULL)
    json_builder_add_string_value (b, edu_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "result");
  json_builder_add_string_value (b, code == NULL ? "accepted" : "refused");
  json_builder_set_member_name (b, "code");
  if (code != NULL)
    json_builder_add_string_value (b, code);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "field");
  if (field != NULL)
    json_builder_add_string_value (b, field);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "card_no");
  if (card_no != NULL)
    json_builder_add_string_value (b, card_no);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  if (code == NULL)
    batch->accepted++;
  else
    batch->refused++;
}

/* Refuses a row; TRUE: the batch goes on. */
static gboolean
refuse_row (Batch      *batch,
            guint       row,
            const char *edu_id,
            CoReason    reason)
{
  add_row (batch, row, edu_id, co_enum_to_wire (CO_TYPE_REASON, reason), NULL, NULL);
  return TRUE;
}

static gboolean
reject_row (Batch      *batch,
            guint       row,
            const char *edu_id,
            const char *code,
            const char *field)
{
  add_row (batch, row, edu_id, code, field, NULL);
  return TRUE;
}

static gboolean
short_text (const char *text)
{
  glong n;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  n = g_utf8_strlen (text, -1);
  if (n < 1 || n > 32)
    return FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        return FALSE;
    }
  return TRUE;
}

/* The edu_id of a row, or NULL after refusing it. */
static const char *
row_edu_id (Batch      *batch,
            guint       row,
            JsonObject *object)
{
  const char *edu_id = NULL;

  if (co_json_get_string (object, "edu_id", &edu_id) != CO_MEMBER_OK)
    {
      add_row (batch, row, NULL, "invalid_field", "edu_id", NULL);
      return NULL;
    }
  if (co_rules_check_edu_id (edu_id) != CO_REASON_NONE)
    {
      refuse_row (batch, row, edu_id, CO_REASON_EDU_ID_INVALID);
      return NULL;
    }
  if (g_hash_table_contains (batch->seen, edu_id))
    {
      add_row (batch, row, edu_id, "duplicate_row", "edu_id", NULL);
      return NULL;
    }
  g_hash_table_add (batch->seen, g_strdup (edu_id));

  return edu_id;
}

static gboolean
new_card_row (Batch      *batch,
              guint       row,
              JsonObject *object)
{
  CoRequest *req = batch->req;
  CoServer *server = req->server;
  const char *edu_id, *name = NULL, *gender = NULL, *class_name = NULL, *entry = NULL;
  g_autofree char *card_no = NULL;
  g_autofree char *current_status = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  gint64 grade = 0, school_id = -1;
  gboolean removed = FALSE, exists = FALSE;
  int gender_value, entry_value;
  CoReason reason;
  sqlite3_stmt *stmt;

  if ((edu_id = row_edu_id (batch, row, object)) == NULL)
    return TRUE;

  if (co_json_get_string (object, "name", &name) != CO_MEMBER_OK || !short_text (name))
    return reject_row (batch, row, edu_id, "invalid_field", "name");
  if (co_json_get_string (object, "gender", &gender) != CO_MEMBER_OK ||
      !co_enum_from_wire (CO_TYPE_GENDER, gender, &gender_value))
    return reject_row (batch, row, edu_id, "invalid_field", "gender");
  if (co_json_get_int (object, "grade", &grade) != CO_MEMBER_OK)
    return reject_row (batch, row, edu_id, "invalid_field", "grade");
  if (co_json_get_string (object, "class_name", &class_name) != CO_MEMBER_OK ||
      !short_text (class_name))
    return reject_row (batch, row, edu_id, "invalid_field", "class_name");
  if (co_json_get_string (object, "entry", &entry) != CO_MEMBER_OK ||
      !co_enum_from_wire (CO_TYPE_ENTRY, entry, &entry_value))
    return reject_row (batch, row, edu_id, "invalid_field", "entry");

  reason =
    co_rules_check_new_card (grade < G_MININT || grade > G_MAXINT ? 0 : (int) grade, entry_value);
  if (reason != CO_REASON_NONE)
    return refuse_row (batch, row, edu_id, reason);

  stmt = co_db_stmt (server, "SELECT s.school_id, s.removed, c.status FROM students s"
                             " LEFT JOIN cards c ON c.card_no = s.card_no WHERE s.edu_id = ?");
  co_db_bind_text (stmt, 1, edu_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      exists = TRUE;
      school_id = sqlite3_column_int64 (stmt, 0);
      removed = sqlite3_column_int (stmt, 1);
      current_status = g_strdup (co_db_text (stmt, 2));
    }
  sqlite3_reset (stmt);

  if (exists && (school_id != req->staff->school_id || removed))
    return reject_row (batch, row, edu_id, "edu_id_taken", "edu_id");
  if (current_status != NULL && g_strcmp0 (current_status, "cancelled") != 0)
    return reject_row (batch, row, edu_id, "already_has_card", NULL);

  if (exists)
    before = co_json_student (server, req->staff->school_id, edu_id);
  else
    {
      g_autofree char *now = co_server_now_string (server);
      gint64 seq = co_db_next_seq (server, req->staff->school_id);

      stmt = co_db_stmt (server,
                         "INSERT INTO students (edu_id, school_id, name, gender, grade, class_name,"
                         " entry, seq, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
      co_db_bind_text (stmt, 1, edu_id);
      sqlite3_bind_int64 (stmt, 2, req->staff->school_id);
      co_db_bind_text (stmt, 3, name);
      co_db_bind_text (stmt, 4, gender);
      sqlite3_bind_int64 (stmt, 5, grade);
      co_db_bind_text (stmt, 6, class_name);
      co_db_bind_text (stmt, 7, entry);
      sqlite3_bind_int64 (stmt, 8, seq);
      co_db_bind_text (stmt, 9, now);
      if (seq < 0 || !co_db_step_done (server, stmt))
        return FALSE;
    }

  {
    g_autofree char *digits = g_strdup_printf ("%08u", randombytes_uniform (100000000));
    g_autofree char *bjt_no = g_strconcat ("1101", digits, NULL);

    /* Made now, 未发卡 until handed out at the desk. */
    if (!co_issue_new_card (server, edu_id, (int) grade, bjt_no, &card_no))
      return FALSE;
    stmt = co_db_stmt (
      server, "UPDATE cards SET status = 'not_issued', issued_on = NULL WHERE card_no = ?");
    co_db_bind_text (stmt, 1, card_no);
    if (!co_db_step_done (server, stmt))
      return FALSE;
  }

  if (!co_db_touch_student (server, req->staff->school_id, edu_id) ||
      (after = co_json_student (server, req->staff->school_id, edu_id)) == NULL ||
      !co_db_audit (server, req->staff, "new_card", edu_id, before, after))
    return FALSE;

  add_row (batch, row, edu_id, NULL, NULL, card_no);
  return TRUE;
}

/* Has the student had a reissue (not refunded or withdrawn) since their
 * current stage began? */
static gboolean
reissued_in_stage (CoServer   *server,
                   const char *edu_id,
                   int         grade)
{
  g_autofree char *start = NULL;
  sqlite3_stmt *stmt;
  gboolean found;
  GDate today;
  int school_year, first_grade;

  co_server_get_today (server, &today);
  school_year = g_date_get_year (&today) - (g_date_get_month (&today) < G_DATE_SEPTEMBER);
  first_grade = co_stage_last_grade (co_stage_for_grade (grade)) == 6 ? 1
              : co_stage_last_grade (co_stage_for_grade (grade)) - 2;
  start = g_strdup_printf ("%04d-09-01", school_year - (grade - first_grade));

  stmt = co_db_stmt (server,
                     "SELECT 1 FROM reissues WHERE edu_id = ? AND substr (created_at, 1, 10) >= ?"
                     " AND status NOT IN ('refunded', 'withdrawn')");
  co_db_bind_text (stmt, 1, edu_id);
  co_db_bind_text (stmt, 2, start);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return found;
}

static gboolean
sticker_row (Batch      *batch,
             guint       row,
             JsonObject *object)
{
  CoRequest *req = batch->req;
  CoServer *server = req->server;
  const char *edu_id;
  g_autofree char *card_no = NULL;
  g_autofree char *card_status = NULL;
  g_autofree char *entry = NULL;
  g_autofree char *now = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) after = NULL;
  const char *stage;
  gboolean found = FALSE, has_sticker;
  int grade = 0, entry_value = CO_ENTRY_CONTINUING;
  CoReason reason;
  sqlite3_stmt *stmt;

  if ((edu_id = row_edu_id (batch, row, object)) == NULL)
    return TRUE;

  stmt = co_db_stmt (server, "SELECT s.grade, s.entry, s.card_no, c.status FROM students s"
                             " LEFT JOIN cards c ON c.card_no = s.card_no"
                             " WHERE s.edu_id = ? AND s.school_id = ? AND s.removed = 0");
  co_db_bind_text (stmt, 1, edu_id);
  sqlite3_bind_int64 (stmt, 2, req->staff->school_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      grade = sqlite3_column_int (stmt, 0);
      entry = g_strdup (co_db_text (stmt, 1));
      card_no = g_strdup (co_db_text (stmt, 2));
      card_status = g_strdup (co_db_text (stmt, 3));
    }
  sqlite3_reset (stmt);

  if (!found)
    return reject_row (batch, row, edu_id, "not_found", "edu_id");

  co_enum_from_wire (CO_TYPE_ENTRY, entry, &entry_value);
  reason = co_rules_check_sticker (grade, entry_value, reissued_in_stage (server, edu_id, grade));
  if (reason != CO_REASON_NONE)
    return refuse_row (batch, row, edu_id, reason);

  /* The sticker goes on the student's card: there must be one in hand. */
  if (card_no == NULL || g_strcmp0 (card_status, "not_issued") == 0)
    return refuse_row (batch, row, edu_id, CO_REASON_CARD_NOT_ISSUED);
  if (g_strcmp0 (card_status, "cancelled") == 0)
    return refuse_row (batch, row, edu_id, CO_REASON_CARD_CANCELLED);

  stage = co_enum_to_wire (CO_TYPE_STAGE, co_stage_for_grade (grade));
  stmt = co_db_stmt (server, "SELECT 1 FROM stickers WHERE edu_id = ? AND stage = ?");
  co_db_bind_text (stmt, 1, edu_id);
  co_db_bind_text (stmt, 2, stage);
  has_sticker = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (has_sticker)
    return reject_row (batch, row, edu_id, "sticker_exists", NULL);

  now = co_server_now_string (server);
  stmt = co_db_stmt (
    server, "INSERT INTO stickers (edu_id, school_id, card_no, stage, batch_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)");
  co_db_bind_text (stmt, 1, edu_id);
  sqlite3_bind_int64 (stmt, 2, req->staff->school_id);
  co_db_bind_text (stmt, 3, card_no);
  co_db_bind_text (stmt, 4, stage);
  sqlite3_bind_int64 (stmt, 5, batch->batch_id);
  co_db_bind_text (stmt, 6, now);
  if (!co_db_step_done (server, stmt))
    return FALSE;

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "card_no");
  json_builder_add_string_value (b, card_no);
  json_builder_set_member_name (b, "stage");
  json_builder_add_string_value (b, stage);
  json_builder_set_member_name (b, "batch_id");
  json_builder_add_int_value (b, batch->batch_id);
  json_builder_end_object (b);
  after = json_builder_get_root (b);
  if (!co_db_audit (server, req->staff, "sticker", edu_id, NULL, after))
    return FALSE;

  add_row (batch, row, edu_id, NULL, NULL, card_no);
  return TRUE;
}

static JsonNode *
batch_json (gint64      id,
            const char *kind,
            const char *state,
            const char *created_at,
            const char *staff,
            guint       accepted,
            guint       refused,
            JsonNode   *rows)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, kind);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, state);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created_at);
  json_builder_set_member_name (b, "staff");
  json_builder_add_string_value (b, staff);
  json_builder_set_member_name (b, "accepted");
  json_builder_add_int_value (b, accepted);
  json_builder_set_member_name (b, "refused");
  json_builder_add_int_value (b, refused);
  json_builder_set_member_name (b, "rows");
  json_builder_add_value (b, json_node_ref (rows));
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static void
run_batch (CoRequest  *req,
           CoResponse *res,
           const char *kind)
{
  CoServer *server = req->server;
  g_autoptr(JsonBuilder) rows = json_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonNode) rows_node = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *now = co_server_now_string (server);
  g_autofree char *text = NULL;
  JsonNode *member = req->json ? json_object_get_member (req->json, "rows") : NULL;
  JsonArray *array;
  sqlite3_stmt *stmt;
  Batch batch = { req, rows, seen, 0, 0, 0 };
  gboolean is_new_card = strcmp (kind, "new_card") == 0;

  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member) ||
      json_array_get_length (json_node_get_array (member)) == 0 ||
      json_array_get_length (json_node_get_array (member)) > CO_SERVER_MAX_BATCH_ROWS)
    {
      co_response_error (res, 422, "invalid_field", "rows", "rows must be an array of 1 to %d rows",
                         CO_SERVER_MAX_BATCH_ROWS);
      return;
    }
  array = json_node_get_array (member);

  stmt = co_db_stmt (server,
                     "INSERT INTO batches (school_id, kind, staff, created_at) VALUES (?, ?, ?, ?)"
                     " RETURNING id");
  sqlite3_bind_int64 (stmt, 1, req->staff->school_id);
  co_db_bind_text (stmt, 2, kind);
  co_db_bind_text (stmt, 3, req->staff->username);
  co_db_bind_text (stmt, 4, now);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      co_response_db_error (res, server);
      return;
    }
  batch.batch_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  json_builder_begin_array (rows);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gboolean ok;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          add_row (&batch, i + 1, NULL, "invalid_field", "row", NULL);
          continue;
        }

      ok = is_new_card ? new_card_row (&batch, i + 1, json_node_get_object (element))
                       : sticker_row (&batch, i + 1, json_node_get_object (element));
      if (!ok)
        {
          co_response_db_error (res, server);
          return;
        }
    }
  json_builder_end_array (rows);
  rows_node = json_builder_get_root (rows);

  answer = batch_json (batch.batch_id, kind, "submitted", now, req->staff->username, batch.accepted,
                       batch.refused, rows_node);
  text = json_to_string (rows_node, FALSE);

  stmt = co_db_stmt (server, "UPDATE batches SET result = ? WHERE id = ?");
  co_db_bind_text (stmt, 1, text);
  sqlite3_bind_int64 (stmt, 2, batch.batch_id);
  if (!co_db_step_done (server, stmt))
    {
      co_response_db_error (res, server);
      return;
    }

  co_response_json (res, SOUP_STATUS_CREATED, answer);
}

void
co_handle_new_card_batch (CoRequest  *req,
                          CoResponse *res)
{
  run_batch (req, res, "new_card");
}

void
co_handle_sticker_batch (CoRequest  *req,
                         CoResponse *res)
{
  run_batch (req, res, "sticker");
}

/* The batch @id of @kind in the staff's school as the Batch answer, or
 * NULL when there is none. */
static JsonNode *
load_batch (CoRequest  *req,
            gint64      id,
            const char *kind)
{
  CoServer *server = req->server;
  g_autoptr(JsonNode) rows = NULL;
  JsonNode *answer = NULL;
  sqlite3_stmt *stmt;

  stmt = co_db_stmt (server, "SELECT created_at, staff, result, state FROM batches"
                             " WHERE id = ? AND school_id = ? AND kind = ? AND result IS NOT NULL");
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, req->staff->school_id);
  co_db_bind_text (stmt, 3, kind);
  if (sqlite3_step (stmt) != SQLITE_ROW ||
      (rows = json_from_string (co_db_text (stmt, 2), NULL)) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (rows))
    {
      sqlite3_reset (stmt);
      return NULL;
    }

  {
    JsonArray *array = json_node_get_array (rows);
    guint accepted = 0;

    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonObject *row = json_array_get_object_element (array, i);
        accepted += g_strcmp0 (json_object_get_string_member (row, "result"), "accepted") == 0;
      }
    answer = batch_json (id, kind, co_db_text (stmt, 3), co_db_text (stmt, 0),
                         co_db_text (stmt, 1), accepted, json_array_get_length (array) - accepted,
                         rows);
  }
  sqlite3_reset (stmt);

  return answer;
}

static const char *
route_kind (CoRequest *req)
{
  return strstr (req->route->pattern, "new-card") ? "new_card" : "sticker";
}

void
co_handle_batch_get (CoRequest  *req,
                     CoResponse *res)
{
  g_autoptr(JsonNode) answer = NULL;
  gint64 id;

  if (!g_ascii_string_to_signed (req->params[0], 10, 1, G_MAXINT64, &id, NULL) ||
      (answer = load_batch (req, id, route_kind (req))) == NULL)
    {
      co_response_error (res, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "no such resource");
      return;
    }

  co_response_json (res, SOUP_STATUS_OK, answer);
}

/* --demo: the card maker moves a batch on, 已提交 → 制卡中 → 已送达学校. */
void
co_handle_dev_batch_advance (CoRequest  *req,
                             CoResponse *res)
{
  static const char * const states[] = { "submitted", "in_production", "delivered_to_school" };
  CoServer *server = req->server;
  const char *kind = route_kind (req);
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  const char *state;
  sqlite3_stmt *stmt;
  gint64 id;
  guint i;

  if (!g_ascii_string_to_signed (req->params[0], 10, 1, G_MAXINT64, &id, NULL) ||
      (before = load_batch (req, id, kind)) == NULL)
    {
      co_response_error (res, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "no such resource");
      return;
    }

  state = json_object_get_string_member (json_node_get_object (before), "state");
  for (i = 0; i < G_N_ELEMENTS (states) && g_strcmp0 (states[i], state) != 0; i++)
    ;
  if (i + 1 >= G_N_ELEMENTS (states))
    {
      co_response_error (res, SOUP_STATUS_CONFLICT, "batch_delivered", NULL,
                         "the batch has been delivered to the school already");
      return;
    }

  stmt = co_db_stmt (server, "UPDATE batches SET state = ? WHERE id = ? AND school_id = ?");
  co_db_bind_text (stmt, 1, states[i + 1]);
  sqlite3_bind_int64 (stmt, 2, id);
  sqlite3_bind_int64 (stmt, 3, req->staff->school_id);
  if (!co_db_step_done (server, stmt) || (after = load_batch (req, id, kind)) == NULL)
    {
      co_response_db_error (res, server);
      return;
    }

  co_response_json (res, SOUP_STATUS_OK, after);
}

/* Transit validity */

/* The transit check of @card_no in the staff's school, or NULL. Sets
 * *@rejected to the transit company's flag and *@edu_id to the student. */
static JsonNode *
transit_json (CoRequest   *req,
              const char  *card_no,
              gboolean    *rejected,
              char       **edu_id)
{
  CoServer *server = req->server;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *today_text = NULL;
  g_autofree char *now = co_server_now_string (server);
  const char *status, *issued_on, *valid_until, *reason = NULL;
  sqlite3_stmt *stmt;
  gboolean synced, valid;
  GDate today;

  co_server_get_today (server, &today);
  today_text = co_format_date (&today);

  stmt =
    co_db_stmt (server, "SELECT c.status, c.issued_on, c.valid_until, c.transit_rejected, c.edu_id"
                        " FROM cards c JOIN students s ON s.edu_id = c.edu_id"
                        " WHERE c.card_no = ? AND s.school_id = ? AND s.removed = 0");
  co_db_bind_text (stmt, 1, card_no);
  sqlite3_bind_int64 (stmt, 2, req->staff->school_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return NULL;
    }

  status = co_db_text (stmt, 0);
  issued_on = co_db_text (stmt, 1);
  valid_until = co_db_text (stmt, 2);
  *rejected = sqlite3_column_int (stmt, 3);
  if (edu_id != NULL)
    *edu_id = g_strdup (co_db_text (stmt, 4));

  /* The transit company takes the card about 24 hours after issue. */
  synced = issued_on != NULL && strcmp (issued_on, today_text) < 0;

  if (strcmp (status, "active") != 0)
    reason = strcmp (status, "not_issued") == 0 ? "card_not_issued"
           : strcmp (status, "reported_lost") == 0 ? "card_reported_lost"
           : "card_cancelled";
  else if (valid_until != NULL && strcmp (valid_until, today_text) < 0)
    reason = "expired";
  else if (!synced)
    reason = "not_synced";
  else if (*rejected)
    reason = "transit_rejected";
  valid = reason == NULL;

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "card_no");
  json_builder_add_string_value (b, card_no);
  json_builder_set_member_name (b, "valid");
  json_builder_add_boolean_value (b, valid);
  json_builder_set_member_name (b, "reason");
  if (reason != NULL)
    json_builder_add_string_value (b, reason);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "synced");
  json_builder_add_boolean_value (b, synced);
  json_builder_set_member_name (b, "checked_at");
  json_builder_add_string_value (b, now);
  sqlite3_reset (stmt);

  json_builder_set_member_name (b, "review");
  stmt = co_db_stmt (server, "SELECT decision, note, staff, reviewed_at FROM transit_reviews"
                             " WHERE card_no = ? ORDER BY id DESC LIMIT 1");
  co_db_bind_text (stmt, 1, card_no);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "decision");
      json_builder_add_string_value (b, co_db_text (stmt, 0));
      json_builder_set_member_name (b, "note");
      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL)
        json_builder_add_null_value (b);
      else
        json_builder_add_string_value (b, co_db_text (stmt, 1));
      json_builder_set_member_name (b, "staff");
      json_builder_add_string_value (b, co_db_text (stmt, 2));
      json_builder_set_member_name (b, "reviewed_at");
      json_builder_add_string_value (b, co_db_text (stmt, 3));
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  sqlite3_reset (stmt);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

void
co_handle_transit_get (CoRequest  *req,
                       CoResponse *res)
{
  g_autoptr(JsonNode) node = NULL;
  gboolean rejected;

  node = transit_json (req, req->params[0], &rejected, NULL);
  if (node == NULL)
    {
      co_response_error (res, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "no such resource");
      return;
    }

  co_response_json (res, SOUP_STATUS_OK, node);
}

void
co_handle_transit_review (CoRequest  *req,
                          CoResponse *res)
{
  CoServer *server = req->server;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *edu_id = NULL;
  g_autofree char *now = co_server_now_string (server);
  const char *decision = NULL, *note = NULL;
  gboolean rejected = FALSE;
  sqlite3_stmt *stmt;

  before = transit_json (req, req->params[0], &rejected, &edu_id);
  if (before == NULL)
    {
      co_response_error (res, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "no such resource");
      return;
    }

  if (co_json_get_string (req->json, "decision", &decision) != CO_MEMBER_OK ||
      (strcmp (decision, "confirm") != 0 && strcmp (decision, "reject") != 0))
    {
      co_response_error (res, 422, "invalid_field", "decision",
                         "decision must be confirm or reject");
      return;
    }
  if (co_json_get_string (req->json, "note", &note) == CO_MEMBER_WRONG ||
      (note != NULL && (!g_utf8_validate (note, -1, NULL) || g_utf8_strlen (note, -1) > 200)))
    {
      co_response_error (res, 422, "invalid_field", "note",
                         "note must be a string of at most 200 characters");
      return;
    }

  /* Only a card the transit company turned down waits for review. */
  if (!rejected)
    {
      co_response_error (res, SOUP_STATUS_CONFLICT, "review_not_needed", NULL,
                         "the transit company has not rejected this card");
      return;
    }

  stmt =
    co_db_stmt (server, "INSERT INTO transit_reviews (card_no, school_id, decision, note, staff,"
                        " reviewed_at) VALUES (?, ?, ?, ?, ?, ?)");
  co_db_bind_text (stmt, 1, req->params[0]);
  sqlite3_bind_int64 (stmt, 2, req->staff->school_id);
  co_db_bind_text (stmt, 3, decision);
  co_db_bind_text (stmt, 4, note);
  co_db_bind_text (stmt, 5, req->staff->username);
  co_db_bind_text (stmt, 6, now);
  if (!co_db_step_done (server, stmt))
    {
      co_response_db_error (res, server);
      return;
    }

  if (strcmp (decision, "confirm") == 0)
    {
      stmt = co_db_stmt (server, "UPDATE cards SET transit_rejected = 0 WHERE card_no = ?");
      co_db_bind_text (stmt, 1, req->params[0]);
      if (!co_db_step_done (server, stmt))
        {
          co_response_db_error (res, server);
          return;
        }
    }

  after = transit_json (req, req->params[0], &rejected, NULL);
  if (after == NULL || !co_db_audit (server, req->staff, "transit_review", edu_id, before, after))
    {
      co_response_db_error (res, server);
      return;
    }

  co_response_json (res, SOUP_STATUS_OK, after);
}

void
co_handle_dev_transit_reject (CoRequest  *req,
                              CoResponse *res)
{
  CoServer *server = req->server;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *edu_id = NULL;
  gboolean rejected;
  sqlite3_stmt *stmt;

  before = transit_json (req, req->params[0], &rejected, &edu_id);
  if (before == NULL)
    {
      co_response_error (res, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "no such resource");
      return;
    }

  stmt = co_db_stmt (server, "UPDATE cards SET transit_rejected = 1 WHERE card_no = ?");
  co_db_bind_text (stmt, 1, req->params[0]);
  if (!co_db_step_done (server, stmt) ||
      (after = transit_json (req, req->params[0], &rejected, NULL)) == NULL ||
      !co_db_audit (server, req->staff, "dev_transit_reject", edu_id, before, after))
    {
      co_response_db_error (res, server);
      return;
    }

  co_response_json (res, SOUP_STATUS_OK, after);
}
