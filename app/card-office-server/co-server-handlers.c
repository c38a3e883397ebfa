/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The endpoints of data/openapi.json (the dev ones are in co-server-dev.c).
 * Every write asks src/model's co-rules first: a refusal is 409 with the
 * rule's reason code. Writes run inside the router's transaction, bump the
 * student's change sequence and land in the audit log with the student's
 * state before and after.
 */
#define G_LOG_DOMAIN "co-server"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "co-server-private.h"

/* The parts of a student the rules look at. */
typedef struct
{
  char            *edu_id;
  int              grade;
  char            *card_no;   /* current card, NULL when none */
  char            *bjt_no;
  CoCardStatus     card;      /* NOT_ISSUED when there is no card */
  gint64           reissue_id; /* latest reissue, 0 when none */
  CoReissueStatus  reissue;
  CoDelivery       delivery;
} StudentState;

static void
student_state_clear (StudentState *st)
{
  g_clear_pointer (&st->edu_id, g_free);
  g_clear_pointer (&st->card_no, g_free);
  g_clear_pointer (&st->bjt_no, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StudentState, student_state_clear)

static int
wire_value (GType       type,
            const char *wire,
            int         fallback)
{
  int value;

  return co_enum_from_wire (type, wire, &value) ? value : fallback;
}

/* Loads the student @edu_id of @school_id; FALSE when there is none. */
static gboolean
load_state (CoServer     *server,
            gint64        school_id,
            const char   *edu_id,
            StudentState *st)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  if (co_rules_check_edu_id (edu_id) != CO_REASON_NONE)
    return FALSE;

  stmt =
    co_db_stmt (server, "SELECT s.grade, s.card_no, c.bjt_no, c.status, s.reissue_id, r.status,"
                        " r.delivery FROM students s"
                        " LEFT JOIN cards c ON c.card_no = s.card_no"
                        " LEFT JOIN reissues r ON r.id = s.reissue_id"
                        " WHERE s.edu_id = ? AND s.school_id = ? AND s.removed = 0");
  if (stmt == NULL)
    return FALSE;
  co_db_bind_text (stmt, 1, edu_id);
  sqlite3_bind_int64 (stmt, 2, school_id);

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      st->edu_id = g_strdup (edu_id);
      st->grade = sqlite3_column_int (stmt, 0);
      st->card_no = g_strdup (co_db_text (stmt, 1));
      st->bjt_no = g_strdup (co_db_text (stmt, 2));
      st->card = wire_value (CO_TYPE_CARD_STATUS, co_db_text (stmt, 3), CO_CARD_STATUS_NOT_ISSUED);
      st->reissue_id = sqlite3_column_int64 (stmt, 4);
      st->reissue =
        wire_value (CO_TYPE_REISSUE_STATUS, co_db_text (stmt, 5), CO_REISSUE_STATUS_NONE);
      st->delivery = wire_value (CO_TYPE_DELIVERY, co_db_text (stmt, 6), CO_DELIVERY_SCHOOL);
    }
  sqlite3_reset (stmt);

  return found;
}

static void
not_found (CoResponse *res)
{
  co_response_error (res, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "no such resource");
}

static gboolean
set_card_status (CoServer     *server,
                 const char   *card_no,
                 CoCardStatus  status)
{
  sqlite3_stmt *stmt = co_db_stmt (server, "UPDATE cards SET status = ? WHERE card_no = ?");

  co_db_bind_text (stmt, 1, co_enum_to_wire (CO_TYPE_CARD_STATUS, status));
  co_db_bind_text (stmt, 2, card_no);
  return co_db_step_done (server, stmt);
}

/* Finishes a student write: sequence, audit, answer (the student). */
static void
finish_student_write (CoRequest  *req,
                      CoResponse *res,
                      const char *action,
                      const char *edu_id,
                      JsonNode   *before,
                      guint       status,
                      JsonNode   *answer)
{
  CoServer *server = req->server;
  g_autoptr(JsonNode) after = NULL;

  if (!co_db_touch_student (server, req->staff->school_id, edu_id) ||
      (after = co_json_student (server, req->staff->school_id, edu_id)) == NULL ||
      !co_db_audit (server, req->staff, action, edu_id, before, after))
    {
      co_response_db_error (res, server);
      return;
    }

  co_response_json (res, status, answer ? answer : after);
}

/* Holidays */

static GArray *
load_holidays (CoServer *server,
               gint64    school_id,
               GPtrArray *names)
{
  GArray *ranges = g_array_new (FALSE, TRUE, sizeof (CoDateRange));
  sqlite3_stmt *stmt;

  stmt = co_db_stmt (server, "SELECT first_day, last_day, name FROM school_holidays"
                             " WHERE school_id = ? ORDER BY first_day");
  sqlite3_bind_int64 (stmt, 1, school_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      CoDateRange range;

      if (!co_parse_date (co_db_text (stmt, 0), &range.first) ||
          !co_parse_date (co_db_text (stmt, 1), &range.last))
        continue;
      g_array_append_val (ranges, range);
      if (names != NULL)
        g_ptr_array_add (names, g_strdup (co_db_text (stmt, 2)));
    }
  sqlite3_reset (stmt);

  return ranges;
}

/* School */

void
co_handle_school (CoRequest  *req,
                  CoResponse *res)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ranges = load_holidays (req->server, req->staff->school_id, names);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *today_text = NULL;
  GDate today;

  co_server_get_today (req->server, &today);
  today_text = co_format_date (&today);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, req->staff->school_name);
  json_builder_set_member_name (b, "today");
  json_builder_add_string_value (b, today_text);
  json_builder_set_member_name (b, "holidays");
  json_builder_begin_array (b);
  for (guint i = 0; i < ranges->len; i++)
    {
      const CoDateRange *range = &g_array_index (ranges, CoDateRange, i);
      g_autofree char *first = co_format_date (&range->first);
      g_autofree char *last = co_format_date (&range->last);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, g_ptr_array_index (names, i));
      json_builder_set_member_name (b, "first");
      json_builder_add_string_value (b, first);
      json_builder_set_member_name (b, "last");
      json_builder_add_string_value (b, last);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "school_delivery_open");
  json_builder_add_boolean_value (b, co_rules_holiday_at (&today, (CoDateRange *) ranges->data,
                                                          ranges->len) == NULL);
  json_builder_set_member_name (b, "fee_fen");
  json_builder_add_int_value (b, CO_REISSUE_FEE_FEN);
  json_builder_set_member_name (b, "courier_fee_cap_fen");
  json_builder_add_int_value (b, CO_COURIER_FEE_CAP_FEN);
  json_builder_set_member_name (b, "payment_minutes");
  json_builder_add_int_value (b, CO_PAYMENT_RESUME_MINUTES);
  json_builder_set_member_name (b, "production_working_days");
  json_builder_add_int_value (b, CO_REISSUE_WORKING_DAYS);
  json_builder_end_object (b);

  node = json_builder_get_root (b);
  co_response_json (res, SOUP_STATUS_OK, node);
}

/* Students */

static char *
like_escape (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }

  return g_string_free (s, FALSE);
}

void
co_handle_students (CoRequest  *req,
                    CoResponse *res)
{
  CoServer *server = req->server;
  const char *q = co_request_query (req, "q");
  const char *stage = co_request_query (req, "stage");
  const char *grade = co_request_query (req, "grade");
  const char *klass = co_request_query (req, "class");
  const char *status = co_request_query (req, "status");
  const char *cursor = co_request_query (req, "cursor");
  g_autoptr(GString) sql = g_string_new ("SELECT " CO_STUDENT_COLUMNS CO_STUDENT_FROM
                                         "WHERE s.school_id = ?1 AND s.removed = 0");
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *like = NULL;
  g_autofree char *last = NULL;
  g_autofree char *uid = NULL;
  sqlite3_stmt *stmt = NULL;
  guint64 grade_value = 0;
  int stage_value = 0, status_value = 0;
  int limit, n = 0, rc;
  gboolean more = FALSE;

  if (!co_request_query_limit (req, res, "limit", 100, 1000, &limit))
    return;
  if (stage && *stage && !co_enum_from_wire (CO_TYPE_STAGE, stage, &stage_value))
    {
      co_response_error (res, 422, "invalid_field", "stage", "unknown stage");
      return;
    }
  if (grade && *grade && !g_ascii_string_to_unsigned (grade, 10, 1, 12, &grade_value, NULL))
    {
      co_response_error (res, 422, "invalid_field", "grade", "grade must be 1-12");
      return;
    }
  if (status && *status && !co_enum_from_wire (CO_TYPE_CARD_STATUS, status, &status_value))
    {
      co_response_error (res, 422, "invalid_field", "status", "unknown card status");
      return;
    }

  if (stage && *stage)
    g_string_append (sql, " AND s.grade BETWEEN ?2 AND ?3");
  if (grade && *grade)
    g_string_append (sql, " AND s.grade = ?4");
  if (klass && *klass)
    g_string_append (sql, " AND s.class_name = ?5");
  if (status && *status)
    g_string_append (sql, " AND c.status = ?6");
  if (q && *q)
    g_string_append (
      sql, " AND (s.name LIKE '%' || ?7 || '%' ESCAPE '\\' OR s.edu_id LIKE ?7 || '%' ESCAPE '\\'"
           " OR c.card_no = ?8 OR c.bjt_no = ?8 OR c.uid = ?9)");
  if (cursor && *cursor)
    g_string_append (sql, " AND s.edu_id > ?10");
  g_string_append (sql, " ORDER BY s.edu_id LIMIT ?11");

  if (sqlite3_prepare_v2 (server->db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      co_response_db_error (res, server);
      return;
    }

  sqlite3_bind_int64 (stmt, 1, req->staff->school_id);
  if (stage && *stage)
    {
      int last_grade = co_stage_last_grade (stage_value);

      sqlite3_bind_int (stmt, 2, last_grade == 6 ? 1 : last_grade - 2);
      sqlite3_bind_int (stmt, 3, last_grade);
    }
  if (grade && *grade)
    sqlite3_bind_int (stmt, 4, (int) grade_value);
  if (klass && *klass)
    co_db_bind_text (stmt, 5, klass);
  if (status && *status)
    co_db_bind_text (stmt, 6, status);
  if (q && *q)
    {
      like = like_escape (q);
      uid = g_ascii_strup (q, -1);
      co_db_bind_text (stmt, 7, like);
      co_db_bind_text (stmt, 8, q);
      co_db_bind_text (stmt, 9, uid);
    }
  if (cursor && *cursor)
    co_db_bind_text (stmt, 10, cursor);
  sqlite3_bind_int (stmt, 11, limit + 1);

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "students");
  json_builder_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (n == limit)
        {
          more = TRUE;
          break;
        }
      co_json_add_student (b, stmt);
      g_free (last);
      last = g_strdup (co_db_text (stmt, 0));
      n++;
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "next_cursor");
  if (more)
    json_builder_add_string_value (b, last);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      co_response_db_error (res, server);
      sqlite3_finalize (stmt);
      return;
    }
  sqlite3_finalize (stmt);

  node = json_builder_get_root (b);
  co_response_json (res, SOUP_STATUS_OK, node);
}

void
co_handle_student (CoRequest  *req,
                   CoResponse *res)
{
  g_autoptr(JsonNode) node = NULL;

  if (co_rules_check_edu_id (req->params[0]) != CO_REASON_NONE ||
      (node = co_json_student (req->server, req->staff->school_id, req->params[0])) == NULL)
    {
      not_found (res);
      return;
    }

  co_response_json (res, SOUP_STATUS_OK, node);
}

/* Photos */

static gboolean
etag_matches (const char *header,
              const char *etag)
{
  g_auto(GStrv) tags = NULL;

  if (header == NULL)
    return FALSE;

  tags = g_strsplit (header, ",", -1);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      g_autofree char *tag = g_strstrip (g_strdup (tags[i]));
      const char *bare = tag;
      gsize len;

      if (g_str_has_prefix (bare, "W/"))
        bare += 2;
      if (strcmp (bare, "*") == 0)
        return TRUE;
      len = strlen (bare);
      if (len >= 2 && bare[0] == '"' && bare[len - 1] == '"')
        {
          if (len - 2 == strlen (etag) && strncmp (bare + 1, etag, len - 2) == 0)
            return TRUE;
        }
      else if (strcmp (bare, etag) == 0)
        return TRUE;
    }

  return FALSE;
}

void
co_handle_photo_get (CoRequest  *req,
                     CoResponse *res)
{
  CoServer *server = req->server;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  g_autofree char *etag = NULL;
  g_autofree char *quoted = NULL;
  sqlite3_stmt *stmt;

  if (co_rules_check_edu_id (req->params[0]) != CO_REASON_NONE)
    {
      not_found (res);
      return;
    }

  stmt = co_db_stmt (server,
                     "SELECT p.etag, p.data FROM students s JOIN photos p ON p.etag = s.photo_etag"
                     " WHERE s.edu_id = ? AND s.school_id = ? AND s.removed = 0");
  co_db_bind_text (stmt, 1, req->params[0]);
  sqlite3_bind_int64 (stmt, 2, req->staff->school_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      not_found (res);
      return;
    }

  etag = g_strdup (co_db_text (stmt, 0));
  quoted = g_strdup_printf ("\"%s\"", etag);
  co_response_set_header (res, "ETag", quoted);
  co_response_set_header (res, "Cache-Control", "private, no-cache");

  if (etag_matches (soup_message_headers_get_one (headers, "If-None-Match"), etag))
    res->status = SOUP_STATUS_NOT_MODIFIED;
  else
    {
      res->status = SOUP_STATUS_OK;
      res->content_type = g_strdup ("image/jpeg");
      res->body = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
    }
  sqlite3_reset (stmt);
}

void
co_handle_photo_put (CoRequest  *req,
                     CoResponse *res)
{
  CoServer *server = req->server;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_auto(StudentState) st = { 0 };
  g_autoptr(JsonNode) before = NULL;
  g_autofree char *etag = NULL;
  const guint8 *data;
  gsize size = 0;
  sqlite3_stmt *stmt;

  if (!load_state (server, req->staff->school_id, req->params[0], &st))
    {
      not_found (res);
      return;
    }

  if (g_strcmp0 (type, "image/jpeg") != 0)
    {
      co_response_error (res, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", NULL,
                         "the photo must be sent as image/jpeg");
      return;
    }

  data = g_bytes_get_data (req->body, &size);
  if (size < 4 || data[0] != 0xff || data[1] != 0xd8 || data[2] != 0xff)
    {
      co_response_error (res, 422, "invalid_field", "body", "the body is not a JPEG image");
      return;
    }

  before = co_json_student (server, req->staff->school_id, st.edu_id);
  if (!co_photo_store (server, req->body, &etag))
    {
      co_response_db_error (res, server);
      return;
    }

  stmt = co_db_stmt (server, "UPDATE students SET photo_etag = ? WHERE edu_id = ?");
  co_db_bind_text (stmt, 1, etag);
  co_db_bind_text (stmt, 2, st.edu_id);
  if (!co_db_step_done (server, stmt))
    {
      co_response_db_error (res, server);
      return;
    }

  finish_student_write (req, res, "put_photo", st.edu_id, before, SOUP_STATUS_OK, NULL);
}

/* Corrections (信息更正) */

static gboolean
text_is_valid (const char *text,
               glong       max_chars)
{
  glong n;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  n = g_utf8_strlen (text, -1);
  if (n < 1 || n > max_chars)
    return FALSE;
  {
    gboolean blank = TRUE;

    for (const char *p = text; *p; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);

        if (g_unichar_iscntrl (c))
          return FALSE;
        if (!g_unichar_isspace (c))
          blank = FALSE;
      }
    return !blank;
  }
}

void
co_handle_corrections (CoRequest  *req,
                       CoResponse *res)
{
  static const char * const known[] = { "name", "gender", "grade", "class_name" };
  CoServer *server = req->server;
  g_auto(StudentState) st = { 0 };
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(GList) members = NULL;
  const char *name = NULL, *gender = NULL, *class_name = NULL;
  gint64 grade = 0;
  CoMember has_grade;
  int gender_value;
  sqlite3_stmt *stmt;

  if (!load_state (server, req->staff->school_id, req->params[0], &st))
    {
      not_found (res);
      return;
    }

  if (req->json == NULL || json_object_get_size (req->json) == 0)
    {
      co_response_error (res, 422, "invalid_field", "body", "nothing to correct");
      return;
    }

  members = json_object_get_members (req->json);
  for (GList *l = members; l != NULL; l = l->next)
    {
      gboolean ok = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (known); i++)
        ok |= strcmp (l->data, known[i]) == 0;
      if (!ok)
        {
          co_response_error (res, 422, "invalid_field", l->data, "this field cannot be corrected");
          return;
        }
    }

  if (co_json_get_string (req->json, "name", &name) == CO_MEMBER_WRONG ||
      (name != NULL && !text_is_valid (name, 32)))
    {
      co_response_error (res, 422, "invalid_field", "name", "name must be 1-32 characters");
      return;
    }
  if (co_json_get_string (req->json, "gender", &gender) == CO_MEMBER_WRONG ||
      (gender != NULL && !co_enum_from_wire (CO_TYPE_GENDER, gender, &gender_value)))
    {
      co_response_error (res, 422, "invalid_field", "gender", "gender must be male or female");
      return;
    }
  has_grade = co_json_get_int (req->json, "grade", &grade);
  if (has_grade == CO_MEMBER_WRONG || (has_grade == CO_MEMBER_OK && (grade < 1 || grade > 12)))
    {
      co_response_error (res, 422, "invalid_field", "grade", "grade must be an integer 1-12");
      return;
    }
  if (co_json_get_string (req->json, "class_name", &class_name) == CO_MEMBER_WRONG ||
      (class_name != NULL && !text_is_valid (class_name, 32)))
    {
      co_response_error (res, 422, "invalid_field", "class_name",
                         "class_name must be 1-32 characters");
      return;
    }

  before = co_json_student (server, req->staff->school_id, st.edu_id);

  stmt = co_db_stmt (server,
                     "UPDATE students SET name = coalesce (?, name), gender = coalesce (?, gender),"
                     " grade = coalesce (?, grade), class_name = coalesce (?, class_name)"
                     " WHERE edu_id = ?");
  co_db_bind_text (stmt, 1, name);
  co_db_bind_text (stmt, 2, gender);
  if (has_grade == CO_MEMBER_OK)
    sqlite3_bind_int64 (stmt, 3, grade);
  else
    sqlite3_bind_null (stmt, 3);
  co_db_bind_text (stmt, 4, class_name);
  co_db_bind_text (stmt, 5, st.edu_id);
  if (!co_db_step_done (server, stmt))
    {
      co_response_db_error (res, server);
      return;
    }

  finish_student_write (req, res, "correct", st.edu_id, before, SOUP_STATUS_OK, NULL);
}

/* Loss (挂失 / 解挂) */

static void
card_action (CoRequest  *req,
             CoResponse *res,
             CoAction    action)
{
  CoServer *server = req->server;
  g_auto(StudentState) st = { 0 };
  g_autoptr(JsonNode) before = NULL;
  CoCase c, next;
  CoReason reason;

  if (!load_state (server, req->staff->school_id, req->params[0], &st))
    {
      not_found (res);
      return;
    }

  c.card = st.card;
  c.reissue = st.reissue;
  c.delivery = st.delivery;
  reason = co_rules_check (action, &c);
  if (reason != CO_REASON_NONE)
    {
      co_response_refuse (res, reason, NULL);
      return;
    }
  co_rules_apply (action, &c, &next);

  before = co_json_student (server, req->staff->school_id, st.edu_id);
  if (!set_card_status (server, st.card_no, next.card))
    {
      co_response_db_error (res, server);
      return;
    }

  finish_student_write (req, res, co_enum_to_wire (CO_TYPE_ACTION, action), st.edu_id, before,
                        SOUP_STATUS_OK, NULL);
}

void
co_handle_loss_report (CoRequest  *req,
                       CoResponse *res)
{
  card_action (req, res, CO_ACTION_REPORT_LOSS);
}

void
co_handle_loss_lift (CoRequest  *req,
                     CoResponse *res)
{
  card_action (req, res, CO_ACTION_LIFT_LOSS);
}

/* Roster */

void
co_handle_roster (CoRequest  *req,
                  CoResponse *res)
{
  CoServer *server = req->server;
  const char *since = co_request_query (req, "since");
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = NULL;
  sqlite3_stmt *stmt;
  guint64 from = 0;
  gint64 last = -1;
  int limit, n = 0, rc;
  gboolean more = FALSE;

  if (!co_request_query_limit (req, res, "limit", 1000, 5000, &limit))
    return;
  if (since != NULL && *since != '\0' &&
      !g_ascii_string_to_unsigned (since, 10, 0, G_MAXINT64, &from, NULL))
    {
      co_response_error (res, 422, "invalid_field", "since", "not a cursor of this server");
      return;
    }

  /* A cursor past the school's sequence was never given by this server
   * (its database was replaced): the client must start again. */
  stmt = co_db_stmt (server, "SELECT seq FROM schools WHERE id = ?");
  sqlite3_bind_int64 (stmt, 1, req->staff->school_id);
  if (sqlite3_step (stmt) == SQLITE_ROW && (gint64) from > sqlite3_column_int64 (stmt, 0))
    {
      sqlite3_reset (stmt);
      co_response_error (res, 422, "invalid_field", "since",
                         "not a cursor of this server: sync from the start");
      return;
    }
  sqlite3_reset (stmt);

  stmt = co_db_stmt (server, "SELECT " CO_STUDENT_COLUMNS ", s.seq, s.removed" CO_STUDENT_FROM
                             "WHERE s.school_id = ? AND s.seq > ? ORDER BY s.seq LIMIT ?");
  sqlite3_bind_int64 (stmt, 1, req->staff->school_id);
  sqlite3_bind_int64 (stmt, 2, (gint64) from);
  sqlite3_bind_int (stmt, 3, limit + 1);

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "students");
  json_builder_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const int seq_col = CO_STUDENT_N_OWN_COLUMNS + CO_CARD_N_COLUMNS + CO_REISSUE_N_COLUMNS;

      if (n == limit)
        {
          more = TRUE;
          break;
        }
      if (sqlite3_column_int (stmt, seq_col + 1))
        g_ptr_array_add (removed, g_strdup (co_db_text (stmt, 0)));
      else
        co_json_add_student (b, stmt);
      last = sqlite3_column_int64 (stmt, seq_col);
      n++;
    }
  sqlite3_reset (stmt);
  json_builder_end_array (b);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      co_response_db_error (res, server);
      return;
    }

  json_builder_set_member_name (b, "removed");
  json_builder_begin_array (b);
  for (guint i = 0; i < removed->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (removed, i));
  json_builder_end_array (b);

  cursor = g_strdup_printf ("%" G_GINT64_FORMAT, last >= 0 ? last : (gint64) from);
  json_builder_set_member_name (b, "next_cursor");
  json_builder_add_string_value (b, cursor);
  json_builder_set_member_name (b, "has_more");
  json_builder_add_boolean_value (b, more);
  json_builder_end_object (b);

  node = json_builder_get_root (b);
  co_response_json (res, SOUP_STATUS_OK, node);
}

/* Cards */

static gboolean
uid_is_valid (const char *uid)
{
  gsize len = strlen (uid);

  if (len < 8 || len > 20)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isxdigit (uid[i]))
        return FALSE;
    }
  return TRUE;
}

void
co_handle_card_by_uid (CoRequest  *req,
                       CoResponse *res)
{
  CoServer *server = req->server;
  g_autofree char *uid = NULL;
  g_autofree char *edu_id = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) student = NULL;
  g_autoptr(JsonNode) node = NULL;
  sqlite3_stmt *stmt;

  if (!uid_is_valid (req->params[0]))
    {
      not_found (res);
      return;
    }
  uid = g_ascii_strup (req->params[0], -1);

  stmt = co_db_stmt (server, "SELECT " CO_CARD_COLUMNS ", c.edu_id FROM cards c"
                             " JOIN students s ON s.edu_id = c.edu_id"
                             " WHERE c.uid = ? AND s.school_id = ? AND s.removed = 0");
  co_db_bind_text (stmt, 1, uid);
  sqlite3_bind_int64 (stmt, 2, req->staff->school_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      not_found (res);
      return;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "card");
  co_json_add_card (b, stmt, 0);
  edu_id = g_strdup (co_db_text (stmt, CO_CARD_N_COLUMNS));
  sqlite3_reset (stmt);

  student = co_json_student (server, req->staff->school_id, edu_id);
  if (student == NULL)
    {
      co_response_db_error (res, server);
      return;
    }
  json_builder_set_member_name (b, "student");
  json_builder_add_value (b, g_steal_pointer (&student));
  json_builder_end_object (b);

  node = json_builder_get_root (b);
  co_response_json (res, SOUP_STATUS_OK, node);
}

char *
co_random_uid (CoServer *server)
{
  sqlite3_stmt *stmt;

  for (guint attempt = 0; attempt < 64; attempt++)
    {
      guint8 raw[4];
      g_autofree char *uid = NULL;
      gboolean taken;

      randombytes_buf (raw, sizeof raw);
      uid = g_strdup_printf ("%02X%02X%02X%02X", raw[0], raw[1], raw[2], raw[3]);

      stmt = co_db_stmt (server, "SELECT 1 FROM cards WHERE uid = ?");
      co_db_bind_text (stmt, 1, uid);
      taken = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (!taken)
        return g_steal_pointer (&uid);
    }

  return NULL;
}

char *
co_next_card_no (CoServer *server)
{
  sqlite3_stmt *stmt;
  guint64 max = 1000751200000000;

  stmt = co_db_stmt (server, "SELECT max (card_no) FROM cards");
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    max = MAX (max, g_ascii_strtoull (co_db_text (stmt, 0), NULL, 10));
  sqlite3_reset (stmt);

  return g_strdup_printf ("%016" G_GUINT64_FORMAT, max + 1);
}

/* The new card replacing the student's current one (which the caller has
 * cancelled): active from today, valid to the end of the stage. */
gboolean
co_issue_new_card (CoServer    *server,
                   const char  *edu_id,
                   int          grade,
                   const char  *bjt_no,
                   char       **card_no_out)
{
  g_autofree char *card_no = co_next_card_no (server);
  g_autofree char *uid = co_random_uid (server);
  g_autofree char *now = co_server_now_string (server);
  g_autofree char *today_text = NULL;
  g_autofree char *valid_text = NULL;
  sqlite3_stmt *stmt;
  GDate today, valid;

  if (uid == NULL)
    return FALSE;

  co_server_get_today (server, &today);
  co_rules_valid_until (CLAMP (grade, 1, 12), &today, &valid);
  today_text = co_format_date (&today);
  valid_text = co_format_date (&valid);

  stmt = co_db_stmt (server, "INSERT INTO cards (card_no, edu_id, bjt_no, uid, status, issued_on,"
                             " valid_until, created_at) VALUES (?, ?, ?, ?, 'active', ?, ?, ?)");
  co_db_bind_text (stmt, 1, card_no);
  co_db_bind_text (stmt, 2, edu_id);
  co_db_bind_text (stmt, 3, bjt_no);
  co_db_bind_text (stmt, 4, uid);
  co_db_bind_text (stmt, 5, today_text);
  co_db_bind_text (stmt, 6, valid_text);
  co_db_bind_text (stmt, 7, now);
  if (!co_db_step_done (server, stmt))
    return FALSE;

  stmt = co_db_stmt (server, "UPDATE students SET card_no = ? WHERE edu_id = ?");
  co_db_bind_text (stmt, 1, card_no);
  co_db_bind_text (stmt, 2, edu_id);
  if (!co_db_step_done (server, stmt))
    return FALSE;

  if (card_no_out != NULL)
    *card_no_out = g_steal_pointer (&card_no);
  return TRUE;
}

/* Reissues */

typedef struct
{
  gint64           id;
  char            *edu_id;
  CoReissueStatus  status;
  CoDelivery       delivery;
  gboolean         has_courier_fee;
} ReissueRow;

static void
reissue_row_clear (ReissueRow *r)
{
  g_clear_pointer (&r->edu_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReissueRow, reissue_row_clear)

static gboolean
load_reissue (CoRequest  *req,
              const char *id_text,
              ReissueRow *r)
{
  sqlite3_stmt *stmt;
  gint64 id;
  gboolean found = FALSE;

  if (!g_ascii_string_to_signed (id_text, 10, 1, G_MAXINT64, &id, NULL))
    return FALSE;

  stmt =
    co_db_stmt (req->server, "SELECT r.edu_id, r.status, r.delivery, r.courier_fee_fen IS NOT NULL"
                             " FROM reissues r JOIN students s ON s.edu_id = r.edu_id"
                             " WHERE r.id = ? AND r.school_id = ? AND s.removed = 0");
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, req->staff->school_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      r->id = id;
      r->edu_id = g_strdup (co_db_text (stmt, 0));
      r->status = wire_value (CO_TYPE_REISSUE_STATUS, co_db_text (stmt, 1), CO_REISSUE_STATUS_NONE);
      r->delivery = wire_value (CO_TYPE_DELIVERY, co_db_text (stmt, 2), CO_DELIVERY_SCHOOL);
      r->has_courier_fee = sqlite3_column_int (stmt, 3);
    }
  sqlite3_reset (stmt);

  return found;
}

static char *
random_digits (guint n)
{
  GString *s = g_string_sized_new (n);

  for (guint i = 0; i < n; i++)
    g_string_append_c (s, '0' + randombytes_uniform (10));

  return g_string_free (s, FALSE);
}

/* Applies @action to reissue @r of student @st by the rules, with what
 * follows it (payment time and due date, courier, the new card). FALSE with @res set when refused or failed. */
static gboolean
reissue_transition (CoRequest          *req,
                    CoResponse         *res,
                    CoAction            action,
                    const ReissueRow   *r,
                    const StudentState *st)
{
  CoServer *server = req->server;
  g_autofree char *now = co_server_now_string (server);
  sqlite3_stmt *stmt;
  CoCase c, next;
  CoReason reason;

  c.card = st->card;
  c.reissue = r->status;
  c.delivery = r->delivery;
  reason = co_rules_check (action, &c);
  if (reason != CO_REASON_NONE)
    {
      co_response_refuse (res, reason, NULL);
      return FALSE;
    }
  co_rules_apply (action, &c, &next);

  stmt = co_db_stmt (server, "UPDATE reissues SET status = ? WHERE id = ?");
  co_db_bind_text (stmt, 1, co_enum_to_wire (CO_TYPE_REISSUE_STATUS, next.reissue));
  sqlite3_bind_int64 (stmt, 2, r->id);
  if (!co_db_step_done (server, stmt))
    goto failed;

  switch (action)
    {
    case CO_ACTION_PAY:
      {
        g_autofree char *due_text = NULL;
        GDate today, due;
        gboolean estimated = FALSE;

        co_server_get_today (server, &today);
        co_rules_reissue_due (server->calendar, &today, &due, &estimated);
        due_text = co_format_date (&due);

        stmt = co_db_stmt (server, "UPDATE reissues SET paid_at = ?, due_on = ? WHERE id = ?");
        co_db_bind_text (stmt, 1, now);
        co_db_bind_text (stmt, 2, due_text);
        sqlite3_bind_int64 (stmt, 3, r->id);
        if (!co_db_step_done (server, stmt))
          goto failed;
      }
      break;

    case CO_ACTION_FINISH_PRODUCTION:
      if (next.reissue == CO_REISSUE_STATUS_SHIPPED)
        {
          g_autofree char *digits = random_digits (12);
          g_autofree char *courier_no = g_strconcat ("SF", digits, NULL);

          stmt =
            co_db_stmt (server, "UPDATE reissues SET courier_no = ?,"
                                " courier_fee_fen = coalesce (courier_fee_fen, 1000) WHERE id = ?");
          co_db_bind_text (stmt, 1, courier_no);
          sqlite3_bind_int64 (stmt, 2, r->id);
          if (!co_db_step_done (server, stmt))
            goto failed;
        }
      break;

    case CO_ACTION_HAND_OUT:
    case CO_ACTION_CONFIRM_DELIVERY:
      {
        g_autofree char *card_no = NULL;

        /* The old card is cancelled for good; the new one is a new card. */
        if (!set_card_status (server, st->card_no, next.card) ||
            !co_issue_new_card (server, st->edu_id, st->grade, st->bjt_no, &card_no))
          goto failed;

        stmt = co_db_stmt (server, "UPDATE reissues SET new_card_no = ? WHERE id = ?");
        co_db_bind_text (stmt, 1, card_no);
        sqlite3_bind_int64 (stmt, 2, r->id);
        if (!co_db_step_done (server, stmt))
          goto failed;
      }
      break;

    /* A refund withdraws the application; the loss report stays until the
     * desk lifts it (解挂), as co-rules and the parents' letter have it:
     * 退费后撤销申请、解挂操作后学生卡正常使用. */
    case CO_ACTION_REFUND:
    case CO_ACTION_WITHDRAW:
    case CO_ACTION_START_PRODUCTION:
    case CO_ACTION_REPORT_LOSS:
    case CO_ACTION_LIFT_LOSS:
    case CO_ACTION_APPLY_REISSUE:
    default:
      break;
    }

  return TRUE;

failed:
  co_response_db_error (res, server);
  return FALSE;
}

void
co_reissue_act (CoRequest  *req,
                CoResponse *res,
                CoAction    action)
{
  CoServer *server = req->server;
  g_auto(ReissueRow) r = { 0 };
  g_auto(StudentState) st = { 0 };
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) answer = NULL;

  if (!load_reissue (req, req->params[0], &r) ||
      !load_state (server, req->staff->school_id, r.edu_id, &st))
    {
      not_found (res);
      return;
    }

  before = co_json_student (server, req->staff->school_id, st.edu_id);
  if (!reissue_transition (req, res, action, &r, &st))
    return;

  answer = co_json_reissue (server, r.id);
  finish_student_write (req, res, co_enum_to_wire (CO_TYPE_ACTION, action), st.edu_id, before,
                        SOUP_STATUS_OK, answer);
}

void
co_handle_handout (CoRequest  *req,
                   CoResponse *res)
{
  CoServer *server = req->server;
  g_auto(StudentState) st = { 0 };
  g_autoptr(JsonNode) before = NULL;
  g_autofree char *edu_id = NULL;
  g_autofree char *card_status = NULL;
  g_autofree char *today_text = NULL;
  g_autofree char *valid_text = NULL;
  sqlite3_stmt *stmt;
  GDate today, valid;

  stmt = co_db_stmt (server,
                     "SELECT c.edu_id, c.status FROM cards c JOIN students s ON s.edu_id = c.edu_id"
                     " WHERE c.card_no = ? AND s.school_id = ? AND s.removed = 0");
  co_db_bind_text (stmt, 1, req->params[0]);
  sqlite3_bind_int64 (stmt, 2, req->staff->school_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      edu_id = g_strdup (co_db_text (stmt, 0));
      card_status = g_strdup (co_db_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  if (edu_id == NULL || !load_state (server, req->staff->school_id, edu_id, &st))
    {
      not_found (res);
      return;
    }

  before = co_json_student (server, req->staff->school_id, st.edu_id);

  /* 新制卡: the current card was never handed out. */
  if (g_strcmp0 (st.card_no, req->params[0]) == 0 && st.card == CO_CARD_STATUS_NOT_ISSUED)
    {
      co_server_get_today (server, &today);
      co_rules_valid_until (CLAMP (st.grade, 1, 12), &today, &valid);
      today_text = co_format_date (&today);
      valid_text = co_format_date (&valid);

      stmt =
        co_db_stmt (server, "UPDATE cards SET status = 'active', issued_on = ?, valid_until = ?"
                            " WHERE card_no = ?");
      co_db_bind_text (stmt, 1, today_text);
      co_db_bind_text (stmt, 2, valid_text);
      co_db_bind_text (stmt, 3, st.card_no);
      if (!co_db_step_done (server, stmt))
        {
          co_response_db_error (res, server);
          return;
        }
      finish_student_write (req, res, "issue_card", st.edu_id, before, SOUP_STATUS_OK, NULL);
      return;
    }

  /* 领卡 of a reissue: the rules decide on the card named and the
   * student's latest reissue. */
  {
    ReissueRow r = { 0 };
    StudentState named = st;

    r.id = st.reissue_id;
    r.status = st.reissue;
    r.delivery = st.delivery;
    named.card = wire_value (CO_TYPE_CARD_STATUS, card_status, CO_CARD_STATUS_NOT_ISSUED);
    if (!reissue_transition (req, res, CO_ACTION_HAND_OUT, &r, &named))
      return;
  }

  finish_student_write (req, res, co_enum_to_wire (CO_TYPE_ACTION, CO_ACTION_HAND_OUT), st.edu_id,
                        before, SOUP_STATUS_OK, NULL);
}

static const char *
delivery_reason_field (CoReason reason)
{
  switch (reason)
    {
    case CO_REASON_ADDRESS_MISSING:
      return "address";
    case CO_REASON_RECIPIENT_MISSING:
      return "recipient";
    case CO_REASON_PHONE_INVALID:
      return "phone";
    case CO_REASON_COURIER_FEE_OVER_CAP:
      return "courier_fee_fen";
    case CO_REASON_SCHOOL_HOLIDAY:
      return "delivery";
    default:
      return NULL;
    }
}

void
co_handle_reissue_apply (CoRequest  *req,
                         CoResponse *res)
{
  CoServer *server = req->server;
  g_auto(StudentState) st = { 0 };
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GArray) holidays = NULL;
  g_autofree char *now = co_server_now_string (server);
  const char *edu_id = NULL, *delivery = NULL, *address = NULL, *recipient = NULL, *phone = NULL;
  static const char * const optional[] = { "address", "recipient", "phone" };
  const char **values[] = { &address, &recipient, &phone };
  gint64 courier_fee = 0, id;
  CoMember has_fee;
  int delivery_value;
  sqlite3_stmt *stmt;
  CoCase c;
  CoReason reason;
  GDate today;

  if (co_json_get_string (req->json, "edu_id", &edu_id) != CO_MEMBER_OK ||
      co_rules_check_edu_id (edu_id) != CO_REASON_NONE)
    {
      co_response_error (res, 422, "invalid_field", "edu_id", "edu_id must be 8 digits");
      return;
    }
  if (co_json_get_string (req->json, "delivery", &delivery) != CO_MEMBER_OK ||
      !co_enum_from_wire (CO_TYPE_DELIVERY, delivery, &delivery_value))
    {
      co_response_error (res, 422, "invalid_field", "delivery", "delivery must be home or school");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (optional); i++)
    {
      if (co_json_get_string (req->json, optional[i], values[i]) == CO_MEMBER_WRONG ||
          (*values[i] != NULL && g_utf8_strlen (*values[i], -1) > 200))
        {
          co_response_error (res, 422, "invalid_field", optional[i], "%s must be a string",
                             optional[i]);
          return;
        }
    }
  has_fee = co_json_get_int (req->json, "courier_fee_fen", &courier_fee);
  if (has_fee == CO_MEMBER_WRONG || courier_fee < 0 || courier_fee > G_MAXINT)
    {
      co_response_error (res, 422, "invalid_field", "courier_fee_fen",
                         "courier_fee_fen must be a non-negative integer (fen)");
      return;
    }

  if (!load_state (server, req->staff->school_id, edu_id, &st))
    {
      not_found (res);
      return;
    }

  c.card = st.card;
  c.reissue = st.reissue;
  c.delivery = delivery_value;
  reason = co_rules_check (CO_ACTION_APPLY_REISSUE, &c);
  if (reason != CO_REASON_NONE)
    {
      co_response_refuse (res, reason, NULL);
      return;
    }

  co_server_get_today (server, &today);
  holidays = load_holidays (server, req->staff->school_id, NULL);
  reason = co_rules_check_delivery (delivery_value, address, recipient, phone, (int) courier_fee,
                                    &today, (CoDateRange *) holidays->data, holidays->len);
  if (reason != CO_REASON_NONE)
    {
      co_response_refuse (res, reason, delivery_reason_field (reason));
      return;
    }

  before = co_json_student (server, req->staff->school_id, st.edu_id);

  stmt = co_db_stmt (server,
                     "INSERT INTO reissues (edu_id, school_id, card_no, status, delivery, address,"
                     " recipient, phone, fee_fen, courier_fee_fen, created_at)"
                     " VALUES (?, ?, ?, 'pending_payment', ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  co_db_bind_text (stmt, 1, st.edu_id);
  sqlite3_bind_int64 (stmt, 2, req->staff->school_id);
  co_db_bind_text (stmt, 3, st.card_no);
  co_db_bind_text (stmt, 4, delivery);
  if (delivery_value == CO_DELIVERY_HOME)
    {
      co_db_bind_text (stmt, 5, address);
      co_db_bind_text (stmt, 6, recipient);
      co_db_bind_text (stmt, 7, phone);
      if (has_fee == CO_MEMBER_OK)
        sqlite3_bind_int64 (stmt, 9, courier_fee);
    }
  sqlite3_bind_int (stmt, 8, CO_REISSUE_FEE_FEN);
  co_db_bind_text (stmt, 10, now);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      co_response_db_error (res, server);
      return;
    }
  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  stmt = co_db_stmt (server, "UPDATE students SET reissue_id = ? WHERE edu_id = ?");
  sqlite3_bind_int64 (stmt, 1, id);
  co_db_bind_text (stmt, 2, st.edu_id);
  if (!co_db_step_done (server, stmt))
    {
      co_response_db_error (res, server);
      return;
    }

  answer = co_json_reissue (server, id);
  finish_student_write (req, res, co_enum_to_wire (CO_TYPE_ACTION, CO_ACTION_APPLY_REISSUE),
                        st.edu_id, before, SOUP_STATUS_CREATED, answer);
}

void
co_handle_reissues (CoRequest  *req,
                    CoResponse *res)
{
  CoServer *server = req->server;
  const char *status = co_request_query (req, "status");
  const char *edu_id = co_request_query (req, "edu_id");
  const char *cursor = co_request_query (req, "cursor");
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) node = NULL;
  sqlite3_stmt *stmt;
  gint64 from = G_MAXINT64, last = 0;
  int limit, n = 0, value;
  gboolean more = FALSE;

  if (!co_request_query_limit (req, res, "limit", 100, 1000, &limit))
    return;
  if (status && *status && (!co_enum_from_wire (CO_TYPE_REISSUE_STATUS, status, &value) ||
                            value == CO_REISSUE_STATUS_NONE))
    {
      co_response_error (res, 422, "invalid_field", "status", "unknown reissue status");
      return;
    }
  if (cursor && *cursor && !g_ascii_string_to_signed (cursor, 10, 1, G_MAXINT64, &from, NULL))
    {
      co_response_error (res, 422, "invalid_field", "cursor", "not a cursor of this server");
      return;
    }

  stmt = co_db_stmt (server, "SELECT " CO_REISSUE_COLUMNS " FROM reissues r"
                             " JOIN students s ON s.edu_id = r.edu_id"
                             " WHERE r.school_id = ?1 AND s.removed = 0 AND r.id < ?2"
                             " AND (?3 IS NULL OR r.status = ?3) AND (?4 IS NULL OR r.edu_id = ?4)"
                             " ORDER BY r.id DESC LIMIT ?5");
  sqlite3_bind_int64 (stmt, 1, req->staff->school_id);
  sqlite3_bind_int64 (stmt, 2, from);
  co_db_bind_text (stmt, 3, status && *status ? status : NULL);
  co_db_bind_text (stmt, 4, edu_id && *edu_id ? edu_id : NULL);
  sqlite3_bind_int (stmt, 5, limit + 1);

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "reissues");
  json_builder_begin_array (b);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (n == limit)
        {
          more = TRUE;
          break;
        }
      co_json_add_reissue (b, stmt, 0);
      last = sqlite3_column_int64 (stmt, 0);
      n++;
    }
  sqlite3_reset (stmt);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "next_cursor");
  if (more)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, last);
      json_builder_add_string_value (b, text);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  node = json_builder_get_root (b);
  co_response_json (res, SOUP_STATUS_OK, node);
}

void
co_handle_reissue (CoRequest  *req,
                   CoResponse *res)
{
  g_auto(ReissueRow) r = { 0 };
  g_autoptr(JsonNode) node = NULL;

  if (!load_reissue (req, req->params[0], &r) ||
      (node = co_json_reissue (req->server, r.id)) == NULL)
    {
      not_found (res);
      return;
    }

  co_response_json (res, SOUP_STATUS_OK, node);
}

void
co_handle_reissue_payment (CoRequest  *req,
                           CoResponse *res)
{
  CoServer *server = req->server;
  g_auto(ReissueRow) r = { 0 };
  g_auto(StudentState) st = { 0 };
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GDateTime) now = co_server_now (server);
  g_autofree char *code_url = NULL;
  g_autofree char *expires = NULL;
  sqlite3_stmt *stmt;
  gint64 now_unix = g_date_time_to_unix (now);
  CoCase c;
  CoReason reason;

  if (!load_reissue (req, req->params[0], &r) ||
      !load_state (server, req->staff->school_id, r.edu_id, &st))
    {
      not_found (res);
      return;
    }

  c.card = st.card;
  c.reissue = r.status;
  c.delivery = r.delivery;
  reason = co_rules_check (CO_ACTION_PAY, &c);
  if (reason != CO_REASON_NONE)
    {
      co_response_refuse (res, reason, NULL);
      return;
    }

  /* An unexpired code is answered again: the payment resumes. */
  stmt = co_db_stmt (server, "SELECT code_url, payment_expires_at FROM reissues"
                             " WHERE id = ? AND code_url IS NOT NULL AND payment_expires_unix > ?");
  sqlite3_bind_int64 (stmt, 1, r.id);
  sqlite3_bind_int64 (stmt, 2, now_unix);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      code_url = g_strdup (co_db_text (stmt, 0));
      expires = g_strdup (co_db_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  before = co_json_student (server, req->staff->school_id, st.edu_id);

  if (code_url == NULL)
    {
      g_autoptr(GDateTime) expiry = g_date_time_add_seconds (now, CO_SERVER_PAYMENT_SECONDS);
      guint8 raw[12];
      char pr[sodium_base64_ENCODED_LEN (12, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

      randombytes_buf (raw, sizeof raw);
      sodium_bin2base64 (pr, sizeof pr, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
      code_url = g_strconcat ("weixin://wxpay/bizpayurl?pr=", pr, NULL);
      expires = co_format_time (expiry);

      stmt = co_db_stmt (server, "UPDATE reissues SET code_url = ?, payment_expires_at = ?,"
                                 " payment_expires_unix = ? WHERE id = ?");
      co_db_bind_text (stmt, 1, code_url);
      co_db_bind_text (stmt, 2, expires);
      sqlite3_bind_int64 (stmt, 3, g_date_time_to_unix (expiry));
      sqlite3_bind_int64 (stmt, 4, r.id);
      if (!co_db_step_done (server, stmt))
        {
          co_response_db_error (res, server);
          return;
        }
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code_url");
  json_builder_add_string_value (b, code_url);
  json_builder_set_member_name (b, "expires_at");
  json_builder_add_string_value (b, expires);
  json_builder_set_member_name (b, "amount_fen");
  json_builder_add_int_value (b, CO_REISSUE_FEE_FEN);
  json_builder_end_object (b);
  answer = json_builder_get_root (b);

  finish_student_write (req, res, "request_payment", st.edu_id, before, SOUP_STATUS_OK, answer);
}

void
co_handle_reissue_refund (CoRequest  *req,
                          CoResponse *res)
{
  co_reissue_act (req, res, CO_ACTION_REFUND);
}

void
co_handle_reissue_withdraw (CoRequest  *req,
                            CoResponse *res)
{
  co_reissue_act (req, res, CO_ACTION_WITHDRAW);
}

/* Audit (操作日志) */

static void
add_json_text (JsonBuilder *b,
               const char  *name,
               const char  *text)
{
  g_autoptr(JsonNode) node = NULL;

  json_builder_set_member_name (b, name);
  if (text == NULL || (node = json_from_string (text, NULL)) == NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_value (b, g_steal_pointer (&node));
}

void
co_handle_audit (CoRequest  *req,
                 CoResponse *res)
{
  CoServer *server = req->server;
  const char *edu_id = co_request_query (req, "edu_id");
  const char *staff = co_request_query (req, "staff");
  const char *action = co_request_query (req, "action");
  const char *cursor = co_request_query (req, "cursor");
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) node = NULL;
  sqlite3_stmt *stmt;
  gint64 from = G_MAXINT64, last = 0;
  int limit, n = 0;
  gboolean more = FALSE;

  if (!co_request_query_limit (req, res, "limit", 100, 1000, &limit))
    return;
  if (cursor && *cursor && !g_ascii_string_to_signed (cursor, 10, 1, G_MAXINT64, &from, NULL))
    {
      co_response_error (res, 422, "invalid_field", "cursor", "not a cursor of this server");
      return;
    }

  stmt = co_db_stmt (server, "SELECT id, at, staff, action, edu_id, before, after FROM audit"
                             " WHERE school_id = ?1 AND id < ?2 AND (?3 IS NULL OR edu_id = ?3)"
                             " AND (?4 IS NULL OR staff = ?4) AND (?5 IS NULL OR action = ?5)"
                             " ORDER BY id DESC LIMIT ?6");
  sqlite3_bind_int64 (stmt, 1, req->staff->school_id);
  sqlite3_bind_int64 (stmt, 2, from);
  co_db_bind_text (stmt, 3, edu_id && *edu_id ? edu_id : NULL);
  co_db_bind_text (stmt, 4, staff && *staff ? staff : NULL);
  co_db_bind_text (stmt, 5, action && *action ? action : NULL);
  sqlite3_bind_int (stmt, 6, limit + 1);

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (n == limit)
        {
          more = TRUE;
          break;
        }
      last = sqlite3_column_int64 (stmt, 0);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, last);
      json_builder_set_member_name (b, "at");
      json_builder_add_string_value (b, co_db_text (stmt, 1));
      json_builder_set_member_name (b, "staff");
      json_builder_add_string_value (b, co_db_text (stmt, 2));
      json_builder_set_member_name (b, "action");
      json_builder_add_string_value (b, co_db_text (stmt, 3));
      json_builder_set_member_name (b, "edu_id");
      if (sqlite3_column_type (stmt, 4) == SQLITE_NULL)
        json_builder_add_null_value (b);
      else
        json_builder_add_string_value (b, co_db_text (stmt, 4));
      add_json_text (b, "before", co_db_text (stmt, 5));
      add_json_text (b, "after", co_db_text (stmt, 6));
      json_builder_end_object (b);
      n++;
    }
  sqlite3_reset (stmt);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "next_cursor");
  if (more)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, last);
      json_builder_add_string_value (b, text);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  node = json_builder_get_root (b);
  co_response_json (res, SOUP_STATUS_OK, node);
}

/* Check-ins at events (核验), sent from the clients' outboxes */

static gboolean
event_id_ok (const char *event_id)
{
  return event_id != NULL && *event_id != '\0' && strlen (event_id) <= 64 &&
         g_utf8_validate (event_id, -1, NULL);
}

static void
add_check_in_row (JsonBuilder  *b,
                  sqlite3_stmt *stmt)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 0));
  json_builder_set_member_name (b, "event_id");
  json_builder_add_string_value (b, co_db_text (stmt, 1));
  json_builder_set_member_name (b, "edu_id");
  if (co_db_text (stmt, 2) != NULL)
    json_builder_add_string_value (b, co_db_text (stmt, 2));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "at");
  json_builder_add_string_value (b, co_db_text (stmt, 3));
  json_builder_set_member_name (b, "verdict");
  json_builder_add_string_value (b, co_db_text (stmt, 4));
  json_builder_end_object (b);
}

void
co_handle_check_ins (CoRequest  *req,
                     CoResponse *res)
{
  CoServer *server = req->server;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!event_id_ok (req->params[0]))
    {
      not_found (res);
      return;
    }

  stmt = co_db_stmt (server, "SELECT id, event_id, edu_id, at, verdict FROM check_ins"
                             " WHERE school_id = ? AND event_id = ? ORDER BY id");
  sqlite3_bind_int64 (stmt, 1, req->staff->school_id);
  co_db_bind_text (stmt, 2, req->params[0]);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "check_ins");
  json_builder_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_check_in_row (b, stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      co_response_db_error (res, server);
      return;
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  node = json_builder_get_root (b);
  co_response_json (res, SOUP_STATUS_OK, node);
}

void
co_handle_check_in (CoRequest  *req,
                    CoResponse *res)
{
  CoServer *server = req->server;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(GDateTime) at_time = NULL;
  g_autofree char *now = co_server_now_string (server);
  const char *edu_id = NULL, *at = NULL, *verdict = NULL, *card_uid = NULL;
  CoMember has_edu_id;
  sqlite3_stmt *stmt;
  gint64 id;

  if (!event_id_ok (req->params[0]))
    {
      co_response_error (res, 422, "invalid_field", "event_id", "event_id must be 1-64 characters");
      return;
    }
  if (req->json == NULL)
    {
      co_response_error (res, 422, "invalid_field", "body", "a JSON object is required");
      return;
    }

  /* edu_id null: a card that belongs to nobody known (verdict "unknown"). */
  has_edu_id = co_json_get_string (req->json, "edu_id", &edu_id);
  if (has_edu_id == CO_MEMBER_WRONG &&
      !(json_object_has_member (req->json, "edu_id") &&
        JSON_NODE_HOLDS_NULL (json_object_get_member (req->json, "edu_id"))))
    {
      co_response_error (res, 422, "invalid_field", "edu_id", "edu_id must be a string or null");
      return;
    }
  if (co_json_get_string (req->json, "at", &at) != CO_MEMBER_OK ||
      (at_time = g_date_time_new_from_iso8601 (at, NULL)) == NULL)
    {
      co_response_error (res, 422, "invalid_field", "at", "at must be an ISO 8601 time with offset");
      return;
    }
  if (co_json_get_string (req->json, "verdict", &verdict) != CO_MEMBER_OK ||
      !text_is_valid (verdict, 32))
    {
      co_response_error (res, 422, "invalid_field", "verdict", "verdict must be 1-32 characters");
      return;
    }
  if (co_json_get_string (req->json, "card_uid", &card_uid) == CO_MEMBER_WRONG ||
      (card_uid != NULL && !text_is_valid (card_uid, 32)))
    {
      co_response_error (res, 422, "invalid_field", "card_uid", "card_uid must be 1-32 characters");
      return;
    }

  /* Only the staff's own school's students (another school's: 404). */
  if (edu_id != NULL)
    {
      gboolean found;

      stmt = co_db_stmt (server, "SELECT 1 FROM students WHERE edu_id = ? AND school_id = ?"
                                 " AND removed = 0");
      co_db_bind_text (stmt, 1, edu_id);
      sqlite3_bind_int64 (stmt, 2, req->staff->school_id);
      found = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (!found)
        {
          not_found (res);
          return;
        }
    }

  stmt = co_db_stmt (server, "INSERT INTO check_ins (school_id, event_id, edu_id, at, verdict,"
                             " card_uid, staff, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  sqlite3_bind_int64 (stmt, 1, req->staff->school_id);
  co_db_bind_text (stmt, 2, req->params[0]);
  co_db_bind_text (stmt, 3, edu_id);
  co_db_bind_text (stmt, 4, at);
  co_db_bind_text (stmt, 5, verdict);
  co_db_bind_text (stmt, 6, card_uid);
  co_db_bind_text (stmt, 7, req->staff->username);
  co_db_bind_text (stmt, 8, now);
  if (!co_db_step_done (server, stmt))
    {
      co_response_db_error (res, server);
      return;
    }
  id = sqlite3_last_insert_rowid (server->db);

  stmt = co_db_stmt (server, "SELECT id, event_id, edu_id, at, verdict FROM check_ins WHERE id = ?");
  sqlite3_bind_int64 (stmt, 1, id);
  b = json_builder_new ();
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      co_response_db_error (res, server);
      return;
    }
  add_check_in_row (b, stmt);
  sqlite3_reset (stmt);
  after = json_builder_get_root (b);

  if (!co_db_audit (server, req->staff, "check_in", edu_id, NULL, after))
    {
      co_response_db_error (res, server);
      return;
    }

  co_response_json (res, SOUP_STATUS_CREATED, after);
}
