/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Rows to the wire's JSON (data/openapi.json: Card, Reissue, Student). The
 * column lists are the CO_*_COLUMNS macros of co-server-private.h.
 */
#define G_LOG_DOMAIN "co-server"

#include "config.h"

#include "co-server-private.h"

static void
add_text (JsonBuilder  *b,
          const char   *name,
          sqlite3_stmt *stmt,
          int           column)
{
  json_builder_set_member_name (b, name);
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, co_db_text (stmt, column));
}

static void
add_int (JsonBuilder  *b,
         const char   *name,
         sqlite3_stmt *stmt,
         int           column)
{
  json_builder_set_member_name (b, name);
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, sqlite3_column_int64 (stmt, column));
}

void
co_json_add_card (JsonBuilder  *b,
                  sqlite3_stmt *stmt,
                  int           first)
{
  if (sqlite3_column_type (stmt, first) == SQLITE_NULL)
    {
      json_builder_add_null_value (b);
      return;
    }

  json_builder_begin_object (b);
  add_text (b, "card_no", stmt, first);
  add_text (b, "bjt_no", stmt, first + 1);
  add_text (b, "uid", stmt, first + 2);
  add_text (b, "status", stmt, first + 3);
  add_text (b, "issued_on", stmt, first + 4);
  add_text (b, "valid_until", stmt, first + 5);
  json_builder_end_object (b);
}

void
co_json_add_reissue (JsonBuilder  *b,
                     sqlite3_stmt *stmt,
                     int           first)
{
  static const char * const names[] = {
    "id", "edu_id", "status", "delivery", "address", "recipient", "phone", "fee_fen",
    "courier_fee_fen", "courier_no", "created_at", "paid_at", "due_on", "payment_expires_at",
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == CO_REISSUE_N_COLUMNS);

  if (sqlite3_column_type (stmt, first) == SQLITE_NULL)
    {
      json_builder_add_null_value (b);
      return;
    }

  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (i == 0 || i == 7 || i == 8)
        add_int (b, names[i], stmt, first + i);
      else
        add_text (b, names[i], stmt, first + i);
    }
  json_builder_end_object (b);
}

void
co_json_add_student (JsonBuilder  *b,
                     sqlite3_stmt *stmt)
{
  int grade = sqlite3_column_int (stmt, 3);

  json_builder_begin_object (b);
  add_text (b, "edu_id", stmt, 0);
  add_text (b, "name", stmt, 1);
  add_text (b, "gender", stmt, 2);
  add_int (b, "grade", stmt, 3);
  add_text (b, "class_name", stmt, 4);
  json_builder_set_member_name (b, "stage");
  json_builder_add_string_value (b, co_enum_to_wire (CO_TYPE_STAGE,
                                                     co_stage_for_grade (CLAMP (grade, 1, 12))));
  add_text (b, "entry", stmt, 5);
  add_text (b, "school_name", stmt, 6);
  add_text (b, "photo_etag", stmt, 7);
  add_text (b, "updated_at", stmt, 8);
  json_builder_set_member_name (b, "card");
  co_json_add_card (b, stmt, CO_STUDENT_N_OWN_COLUMNS);
  json_builder_set_member_name (b, "reissue");
  co_json_add_reissue (b, stmt, CO_STUDENT_N_OWN_COLUMNS + CO_CARD_N_COLUMNS);
  json_builder_end_object (b);
}

/* The student as the wire shows it, or NULL when not in @school_id (or
 * removed). */
JsonNode *
co_json_student (CoServer   *server,
                 gint64      school_id,
                 const char *edu_id)
{
  g_autoptr(JsonBuilder) b = NULL;
  sqlite3_stmt *stmt;
  JsonNode *node = NULL;

  stmt = co_db_stmt (server, "SELECT " CO_STUDENT_COLUMNS CO_STUDENT_FROM
                             "WHERE s.edu_id = ? AND s.school_id = ? AND s.removed = 0");
  if (stmt == NULL)
    return NULL;
  co_db_bind_text (stmt, 1, edu_id);
  sqlite3_bind_int64 (stmt, 2, school_id);

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      b = json_builder_new ();
      co_json_add_student (b, stmt);
      node = json_builder_get_root (b);
    }
  sqlite3_reset (stmt);

  return node;
}

JsonNode *
co_json_reissue (CoServer *server,
                 gint64    reissue_id)
{
  g_autoptr(JsonBuilder) b = NULL;
  sqlite3_stmt *stmt;
  JsonNode *node = NULL;

  stmt = co_db_stmt (server, "SELECT " CO_REISSUE_COLUMNS " FROM reissues r WHERE r.id = ?");
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, reissue_id);

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      b = json_builder_new ();
      co_json_add_reissue (b, stmt, 0);
      node = json_builder_get_root (b);
    }
  sqlite3_reset (stmt);

  return node;
}

/* Members of a request body. A null member counts as absent. */
CoMember
co_json_get_string (JsonObject  *object,
                    const char  *name,
                    const char **out)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return CO_MEMBER_ABSENT;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return CO_MEMBER_WRONG;

  *out = json_node_get_string (node);
  return CO_MEMBER_OK;
}

CoMember
co_json_get_int (JsonObject *object,
                 const char *name,
                 gint64     *out)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  *out = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return CO_MEMBER_ABSENT;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return CO_MEMBER_WRONG;

  *out = json_node_get_int (node);
  return CO_MEMBER_OK;
}
