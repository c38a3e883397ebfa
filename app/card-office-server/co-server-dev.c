/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The /api/v1/dev endpoints, served only with --demo: what the platform,
 * WeChat Pay and the courier would do (pay, produce, ship, deliver), the
 * rules' "today", and students made to order for tests. They obey the same
 * co-rules as the desk.
 */
#define G_LOG_DOMAIN "co-server"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "co-server-private.h"

void
co_handle_dev_pay (CoRequest  *req,
                   CoResponse *res)
{
  co_reissue_act (req, res, CO_ACTION_PAY);
}

void
co_handle_dev_start (CoRequest  *req,
                     CoResponse *res)
{
  co_reissue_act (req, res, CO_ACTION_START_PRODUCTION);
}

void
co_handle_dev_finish (CoRequest  *req,
                      CoResponse *res)
{
  co_reissue_act (req, res, CO_ACTION_FINISH_PRODUCTION);
}

void
co_handle_dev_deliver (CoRequest  *req,
                       CoResponse *res)
{
  co_reissue_act (req, res, CO_ACTION_CONFIRM_DELIVERY);
}

/* Clock */

static JsonNode *
clock_json (CoServer *server)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *text = NULL;
  GDate today;

  co_server_get_today (server, &today);
  text = co_format_date (&today);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "today");
  json_builder_add_string_value (b, text);
  json_builder_set_member_name (b, "overridden");
  json_builder_add_boolean_value (b, server->has_today);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

void
co_handle_dev_clock_get (CoRequest  *req,
                         CoResponse *res)
{
  g_autoptr(JsonNode) node = clock_json (req->server);

  co_response_json (res, SOUP_STATUS_OK, node);
}

void
co_handle_dev_clock_put (CoRequest  *req,
                         CoResponse *res)
{
  CoServer *server = req->server;
  g_autoptr(JsonNode) before = clock_json (server);
  g_autoptr(JsonNode) after = NULL;
  const char *today = NULL;
  CoMember member;
  GDate date;

  member = co_json_get_string (req->json, "today", &today);
  if (member == CO_MEMBER_WRONG || (today != NULL && !co_parse_date (today, &date)) ||
      req->json == NULL || !json_object_has_member (req->json, "today"))
    {
      co_response_error (res, 422, "invalid_field", "today", "today must be YYYY-MM-DD or null");
      return;
    }

  /* Not transactional state: it changes with the answer, and a failed
   * commit only leaves a test's clock set. */
  server->has_today = today != NULL;
  if (today != NULL)
    server->today = date;

  after = clock_json (server);
  if (!co_db_audit (server, req->staff, "set_clock", NULL, before, after))
    {
      co_response_db_error (res, server);
      return;
    }

  co_response_json (res, SOUP_STATUS_OK, after);
}

/* Students made to order */

static gboolean
edu_id_taken (CoServer   *server,
              const char *edu_id)
{
  sqlite3_stmt *stmt = co_db_stmt (server, "SELECT 1 FROM students WHERE edu_id = ?");
  gboolean taken;

  co_db_bind_text (stmt, 1, edu_id);
  taken = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return taken;
}

static gboolean
plain_text (const char *text)
{
  glong n;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  n = g_utf8_strlen (text, -1);
  return n >= 1 && n <= 32;
}

void
co_handle_dev_student_new (CoRequest  *req,
                           CoResponse *res)
{
  CoServer *server = req->server;
  const char *edu_id = NULL, *name = NULL, *gender = NULL, *class_name = NULL;
  const char *entry = NULL, *card = NULL;
  g_autofree char *chosen = NULL;
  g_autofree char *now = co_server_now_string (server);
  g_autoptr(JsonNode) after = NULL;
  gint64 grade = 0, seq;
  int value;
  sqlite3_stmt *stmt;

  if (co_json_get_string (req->json, "edu_id", &edu_id) == CO_MEMBER_WRONG ||
      (edu_id != NULL && co_rules_check_edu_id (edu_id) != CO_REASON_NONE))
    {
      co_response_error (res, 422, "invalid_field", "edu_id", "edu_id must be 8 digits");
      return;
    }
  if (co_json_get_string (req->json, "name", &name) != CO_MEMBER_OK || !plain_text (name))
    {
      co_response_error (res, 422, "invalid_field", "name", "name must be 1-32 characters");
      return;
    }
  if (co_json_get_string (req->json, "gender", &gender) != CO_MEMBER_OK ||
      !co_enum_from_wire (CO_TYPE_GENDER, gender, &value))
    {
      co_response_error (res, 422, "invalid_field", "gender", "gender must be male or female");
      return;
    }
  if (co_json_get_int (req->json, "grade", &grade) != CO_MEMBER_OK || grade < 1 || grade > 12)
    {
      co_response_error (res, 422, "invalid_field", "grade", "grade must be an integer 1-12");
      return;
    }
  if (co_json_get_string (req->json, "class_name", &class_name) != CO_MEMBER_OK ||
      !plain_text (class_name))
    {
      co_response_error (res, 422, "invalid_field", "class_name",
                         "class_name must be 1-32 characters");
      return;
    }
  if (co_json_get_string (req->json, "entry", &entry) == CO_MEMBER_WRONG ||
      (entry != NULL && !co_enum_from_wire (CO_TYPE_ENTRY, entry, &value)))
    {
      co_response_error (res, 422, "invalid_field", "entry", "unknown entry");
      return;
    }
  if (co_json_get_string (req->json, "card", &card) == CO_MEMBER_WRONG ||
      (card != NULL && g_strcmp0 (card, "active") != 0 && g_strcmp0 (card, "not_issued") != 0 &&
       g_strcmp0 (card, "none") != 0))
    {
      co_response_error (res, 422, "invalid_field", "card",
                         "card must be active, not_issued or none");
      return;
    }

  /* Every member's shape first, then whether the number is free. */
  if (edu_id != NULL && edu_id_taken (server, edu_id))
    {
      co_response_error (res, 422, "invalid_field", "edu_id", "edu_id is taken");
      return;
    }

  if (edu_id == NULL)
    {
      do
        {
          g_free (chosen);
          chosen = g_strdup_printf ("%08u", 10000000 + randombytes_uniform (90000000));
        }
      while (edu_id_taken (server, chosen));
      edu_id = chosen;
    }

  seq = co_db_next_seq (server, req->staff->school_id);
  stmt =
    co_db_stmt (server, "INSERT INTO students (edu_id, school_id, name, gender, grade, class_name,"
                        " entry, seq, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  co_db_bind_text (stmt, 1, edu_id);
  sqlite3_bind_int64 (stmt, 2, req->staff->school_id);
  co_db_bind_text (stmt, 3, name);
  co_db_bind_text (stmt, 4, gender);
  sqlite3_bind_int64 (stmt, 5, grade);
  co_db_bind_text (stmt, 6, class_name);
  co_db_bind_text (stmt, 7, entry ? entry : "continuing");
  sqlite3_bind_int64 (stmt, 8, seq);
  co_db_bind_text (stmt, 9, now);
  if (seq < 0 || !co_db_step_done (server, stmt))
    {
      co_response_db_error (res, server);
      return;
    }

  if (g_strcmp0 (card, "none") != 0)
    {
      g_autofree char *bjt_digits = g_strdup_printf ("%08u", randombytes_uniform (100000000));
      g_autofree char *bjt_no = g_strconcat ("1101", bjt_digits, NULL);
      g_autofree char *card_no = NULL;

      if (!co_issue_new_card (server, edu_id, (int) grade, bjt_no, &card_no))
        {
          co_response_db_error (res, server);
          return;
        }
      if (g_strcmp0 (card, "not_issued") == 0)
        {
          stmt = co_db_stmt (server, "UPDATE cards SET status = 'not_issued', issued_on = NULL"
                                     " WHERE card_no = ?");
          co_db_bind_text (stmt, 1, card_no);
          if (!co_db_step_done (server, stmt))
            {
              co_response_db_error (res, server);
              return;
            }
        }
    }

  after = co_json_student (server, req->staff->school_id, edu_id);
  if (after == NULL || !co_db_audit (server, req->staff, "dev_create_student", edu_id, NULL, after))
    {
      co_response_db_error (res, server);
      return;
    }

  co_response_json (res, SOUP_STATUS_CREATED, after);
}

void
co_handle_dev_student_del (CoRequest  *req,
                           CoResponse *res)
{
  CoServer *server = req->server;
  g_autoptr(JsonNode) before = NULL;
  sqlite3_stmt *stmt;

  if (co_rules_check_edu_id (req->params[0]) != CO_REASON_NONE ||
      (before = co_json_student (server, req->staff->school_id, req->params[0])) == NULL)
    {
      co_response_error (res, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "no such resource");
      return;
    }

  stmt = co_db_stmt (server, "UPDATE students SET removed = 1 WHERE edu_id = ?");
  co_db_bind_text (stmt, 1, req->params[0]);
  if (!co_db_step_done (server, stmt) ||
      !co_db_touch_student (server, req->staff->school_id, req->params[0]) ||
      !co_db_audit (server, req->staff, "dev_remove_student", req->params[0], before, NULL))
    {
      co_response_db_error (res, server);
      return;
    }

  res->status = SOUP_STATUS_NO_CONTENT;
}
