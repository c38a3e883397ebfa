/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The strict decoders: every member of a student, its card and its
 * reissue, removed or mistyped, gives a PROTOCOL error naming it.
 */
#define G_LOG_DOMAIN "test-json"

#include "config.h"

#include <string.h>

#include "co-client.h"
#include "co-json.h"
#include "test-fixtures.h"

static const char *full_student =
  "{\"edu_id\":\"10234567\",\"name\":\"欧阳子涵\",\"gender\":\"female\",\"grade\":8,"
  "\"class_name\":\"2班\",\"stage\":\"junior\",\"entry\":\"new_entrant\","
  "\"school_name\":\"北京市海淀区示范学校\",\"photo_etag\":\"\\\"p1\\\"\","
  "\"updated_at\":\"2026-03-02T09:15:00+08:00\","
  "\"card\":{\"card_no\":\"1000751200012345\",\"bjt_no\":\"110105001234\",\"uid\":\"04A1B2C3D4E5F6\","
  "\"status\":\"reported_lost\",\"issued_on\":\"2025-09-01\",\"valid_until\":\"2026-08-31\"},"
  "\"reissue\":" REISSUE_JSON ("10234567") "}";

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = co_json_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

/* The object holding the last component of @path, and that component. */
static JsonObject *
walk (JsonNode    *root,
      const char  *path,
      const char **member)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *object = json_node_get_object (root);
  guint n = g_strv_length (parts);

  for (guint i = 0; i + 1 < n; i++)
    object = json_object_get_object_member (object, parts[i]);

  *member = strrchr (path, '.') ? strrchr (path, '.') + 1 : path;
  return object;
}

static void
expect_protocol_error (JsonNode   *root,
                       const char *prefix)
{
  g_autoptr(GError) error = NULL;
  CoStudentRecord record;

  g_assert_false (co_json_read_student (root, NULL, &record, &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("expected “%s…”, got “%s”", prefix, error->message);
}

static const char * const student_members[] = {
  "edu_id", "name", "gender", "grade", "class_name", "stage", "entry", "school_name",
  "photo_etag", "updated_at", "card", "reissue",
  "card.card_no", "card.bjt_no", "card.uid", "card.status", "card.issued_on", "card.valid_until",
  "reissue.id", "reissue.edu_id", "reissue.status", "reissue.delivery", "reissue.address",
  "reissue.recipient", "reissue.phone", "reissue.fee_fen", "reissue.courier_fee_fen",
  "reissue.courier_no", "reissue.created_at", "reissue.paid_at", "reissue.due_on",
  "reissue.payment_expires_at",
};

static void
test_full_student (void)
{
  g_autoptr(JsonNode) root = parse (full_student);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;
  g_autoptr(CoReissue) reissue = NULL;
  g_autoptr(CoCard) card = NULL;
  CoStudentRecord r;

  g_assert_true (co_json_read_student (root, NULL, &r, &error));
  g_assert_no_error (error);
  g_assert_true (r.has_card);
  g_assert_true (r.has_reissue);
  g_assert_cmpint (r.reissue.courier_fee_fen, ==, -1);

  student = co_student_new_from_record (&r);
  g_assert_cmpstr (co_student_get_edu_id (student), ==, "10234567");
  g_assert_cmpint (co_student_get_grade (student), ==, 8);
  g_assert_cmpint (co_student_get_stage (student), ==, CO_STAGE_JUNIOR);
  g_assert_cmpint (co_student_get_entry (student), ==, CO_ENTRY_NEW_ENTRANT);
  g_assert_cmpint (co_student_get_card_status (student), ==, CO_CARD_STATUS_REPORTED_LOST);
  g_assert_cmpstr (co_student_get_uid (student), ==, "04A1B2C3D4E5F6");
  g_assert_cmpstr (co_student_get_valid_until (student), ==, "2026-08-31");
  g_assert_cmpstr (co_student_get_photo_etag (student), ==, "\"p1\"");

  reissue = co_reissue_new_from_record (&r.reissue);
  g_assert_cmpstr (co_reissue_get_id (reissue), ==, "7");
  g_assert_cmpint (co_reissue_get_status (reissue), ==, CO_REISSUE_STATUS_PAID);
  g_assert_cmpint (co_reissue_get_delivery (reissue), ==, CO_DELIVERY_HOME);
  g_assert_cmpint (co_reissue_get_fee_fen (reissue), ==, 1500);
  g_assert_cmpstr (co_reissue_get_due_on (reissue), ==, "2026-03-30");

  card = co_card_new_from_record (&r);
  g_assert_cmpstr (co_card_get_card_no (card), ==, "1000751200012345");
  g_assert_cmpstr (co_card_get_edu_id (card), ==, "10234567");
  g_assert_cmpstr (co_card_get_issued_on (card), ==, "2025-09-01");
}

static void
test_missing_member (gconstpointer data)
{
  const char *path = data;
  g_autoptr(JsonNode) root = parse (full_student);
  g_autofree char *prefix = g_strconcat (path, ": missing", NULL);
  const char *member;
  JsonObject *object = walk (root, path, &member);

  json_object_remove_member (object, member);
  expect_protocol_error (root, prefix);
}

static void
test_mistyped_member (gconstpointer data)
{
  const char *path = data;
  g_autoptr(JsonNode) root = parse (full_student);
  g_autofree char *prefix = g_strconcat (path, ": expected", NULL);
  const char *member;
  JsonObject *object = walk (root, path, &member);
  JsonNode *old = json_object_get_member (object, member);

  /* The wrong kind for each: a string where a number goes, else a number;
   * booleans and arrays are wrong everywhere. */
  if (JSON_NODE_HOLDS_VALUE (old) && json_node_get_value_type (old) == G_TYPE_INT64)
    json_object_set_string_member (object, member, "1500");
  else if (JSON_NODE_HOLDS_NULL (old) && g_str_has_suffix (member, "_fen"))
    json_object_set_boolean_member (object, member, TRUE);
  else
    json_object_set_int_member (object, member, 42);

  expect_protocol_error (root, prefix);

  json_object_set_array_member (object, member, json_array_new ());
  expect_protocol_error (root, prefix);
}

static void
test_bad_values (void)
{
  static const struct {
    const char *path;
    const char *json;  /* a JSON value */
    const char *prefix;
  } cases[] = {
    { "edu_id", "\"1023456\"", "edu_id: expected 8 digits" },
    { "edu_id", "\"1023456x\"", "edu_id: expected 8 digits" },
    { "name", "\"  \"", "name: expected a non-empty string" },
    { "grade", "13", "grade: integer out of range" },
    { "grade", "0", "grade: integer out of range" },
    { "grade", "8.5", "grade: expected integer, got number" },
    { "stage", "\"senior\"", "stage: does not match grade" },
    { "stage", "\"college\"", "stage: unknown value" },
    { "gender", "\"none\"", "gender: unknown value" },
    { "card.status", "\"lost\"", "card.status: unknown value" },
    { "card.uid", "\"04a1b2c3\"", "card.uid: expected upper-case hex" },
    { "card.uid", "\"04A1\"", "card.uid: expected upper-case hex" },
    { "card.issued_on", "\"2025-02-30\"", "card.issued_on: expected a date" },
    { "card.valid_until", "\"31/08/2026\"", "card.valid_until: expected a date" },
    { "updated_at", "\"2026-03-02T09:15:00\"", "updated_at: expected an RFC 3339 time" },
    { "updated_at", "\"2026-03-02\"", "updated_at: expected an RFC 3339 time" },
    { "reissue.id", "0", "reissue.id: integer out of range" },
    { "reissue.status", "\"none\"", "reissue.status: unknown value" },
    { "reissue.edu_id", "\"10234568\"", "reissue.edu_id: does not match" },
    { "reissue.fee_fen", "-1", "reissue.fee_fen: integer out of range" },
    { "card", "[]", "card: expected object, got array" },
    { "name", "null", "name: expected string, got null" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) root = parse (full_student);
      g_autoptr(JsonNode) value = parse (cases[i].json);
      const char *member;
      JsonObject *object = walk (root, cases[i].path, &member);

      json_object_set_member (object, member, g_steal_pointer (&value));
      expect_protocol_error (root, cases[i].prefix);
    }
}

static void
test_roster_page (void)
{
  const char *text =
    "{\"students\":[" STUDENT_JSON ("10000001", "active") "," STUDENT_JSON ("10000002", "active") ","
    STUDENT_JSON ("10000003", "active") "," STUDENT_JSON ("10000004", "active") "],"
    "\"removed\":[\"10000009\"],\"next_cursor\":\"c42\",\"has_more\":true}";
  g_autoptr(GError) error = NULL;
  g_autoptr(CoRosterDelta) page = NULL;
  JsonNode *root = parse (text);

  page = co_json_decode_roster_page (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->students->len, ==, 4);
  g_assert_cmpstr (g_array_index (page->students, CoStudentRecord, 3).edu_id, ==, "10000004");
  g_assert_cmpuint (page->removed->len, ==, 1);
  g_assert_cmpstr (page->next_cursor, ==, "c42");
  g_assert_true (page->has_more);
}

static void
test_roster_page_bad (void)
{
  static const struct {
    const char *json;
    const char *message;
  } cases[] = {
    { "{\"students\":[" STUDENT_JSON ("10000001", "active") "," STUDENT_JSON ("10000002", "active") ","
      STUDENT_JSON ("10000003", "active") "," STUDENT_JSON ("10000004", "5") "],"
      "\"removed\":[],\"next_cursor\":\"c\",\"has_more\":false}",
      "students[3].card.status: expected string, got integer" },
    { "{\"students\":[{}],\"removed\":[],\"next_cursor\":\"c\",\"has_more\":false}",
      "students[0].edu_id: missing" },
    { "{\"students\":[],\"removed\":[1],\"next_cursor\":\"c\",\"has_more\":false}",
      "removed[0]: expected string, got integer" },
    { "{\"students\":[],\"removed\":[],\"next_cursor\":\"c\",\"has_more\":\"no\"}",
      "has_more: expected boolean, got string" },
    { "{\"students\":[],\"removed\":[],\"next_cursor\":null,\"has_more\":false}",
      "next_cursor: expected string, got null" },
    { "{\"students\":{},\"removed\":[],\"next_cursor\":\"c\",\"has_more\":false}",
      "students: expected array, got object" },
    { "[]", "(document): expected object, got array" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CoRosterDelta) page = NULL;
      g_autofree char *text = g_strdup (cases[i].json);
      char *status;

      /* STUDENT_JSON quotes its status: unquote the 5 for a number. */
      if ((status = strstr (text, "\"5\"")))
        {
          status[0] = ' ';
          status[2] = ' ';
        }

      page = co_json_decode_roster_page (parse (text), &error);
      g_assert_null (page);
      g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("case %u: expected “%s…”, got “%s”", i, cases[i].message, error->message);
    }
}

static void
test_parse_errors (void)
{
  static const struct {
    const char *data;
    gssize      length;
    const char *message;
  } cases[] = {
    { "", 0, "(document): empty answer" },
    { "{\"students\": [", -1, "(document): malformed JSON" },
    { "\xff\xfe{}", -1, "(document): not UTF-8" },
    { "{\"a\":1} trailing", -1, "(document): malformed JSON" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      gsize length = cases[i].length < 0 ? strlen (cases[i].data) : (gsize) cases[i].length;

      node = co_json_parse (cases[i].data, length, &error);
      g_assert_null (node);
      g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("case %u: expected “%s…”, got “%s”", i, cases[i].message, error->message);
    }
}

static void
test_school (void)
{
  const char *text =
    "{\"name\":\"北京市海淀区示范学校\",\"today\":\"2026-03-30\","
    "\"holidays\":[{\"name\":\"寒假\",\"first\":\"2026-01-24\",\"last\":\"2026-02-28\"}],"
    "\"school_delivery_open\":true,\"fee_fen\":1500,\"courier_fee_cap_fen\":1500,"
    "\"payment_minutes\":10,\"production_working_days\":20}";
  g_autoptr(JsonNode) root = parse (text);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoSchoolInfo) school = NULL;
  g_autoptr(CoSchoolInfo) copy = NULL;
  const CoDateRange *range;

  school = co_json_decode_school (root, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (school->name, ==, "北京市海淀区示范学校");
  g_assert_cmpuint (school->holidays->len, ==, 1);
  range = &g_array_index (school->holidays, CoDateRange, 0);
  g_assert_cmpint (g_date_get_month (&range->first), ==, 1);
  g_assert_cmpint (g_date_get_day (&range->last), ==, 28);
  g_assert_cmpstr (school->holiday_names[0], ==, "寒假");
  g_assert_true (school->school_delivery_open);

  copy = co_school_info_copy (school);
  g_assert_cmpint (copy->fee_fen, ==, 1500);

  json_object_set_string_member (json_node_get_object (root), "today", "tomorrow");
  g_clear_pointer (&school, co_school_info_free);
  school = co_json_decode_school (root, NULL, &error);
  g_assert_null (school);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL);
  g_assert_true (g_str_has_prefix (error->message, "today: expected a date"));
}

static void
test_error_body (void)
{
  g_autoptr(JsonNode) ok = parse ("{\"error\":{\"code\":\"invalid_field\",\"message\":\"m\",\"field\":\"phone\"}}");
  g_autoptr(JsonNode) bad = parse ("{\"error\":\"oops\"}");
  const char *code, *message, *field;

  g_assert_true (co_json_read_error_body (ok, &code, &message, &field));
  g_assert_cmpstr (code, ==, "invalid_field");
  g_assert_cmpstr (field, ==, "phone");

  g_assert_false (co_json_read_error_body (bad, &code, &message, &field));
  g_assert_null (code);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/api-json/student/full", test_full_student);

  for (guint i = 0; i < G_N_ELEMENTS (student_members); i++)
    {
      g_autofree char *missing = g_strdup_printf ("/core/api-json/student/missing/%s", student_members[i]);
      g_autofree char *mistyped = g_strdup_printf ("/core/api-json/student/mistyped/%s", student_members[i]);

      g_test_add_data_func (missing, student_members[i], test_missing_member);
      g_test_add_data_func (mistyped, student_members[i], test_mistyped_member);
    }

  g_test_add_func ("/core/api-json/student/bad-values", test_bad_values);
  g_test_add_func ("/core/api-json/roster/page", test_roster_page);
  g_test_add_func ("/core/api-json/roster/bad", test_roster_page_bad);
  g_test_add_func ("/core/api-json/parse-errors", test_parse_errors);
  g_test_add_func ("/core/api-json/school", test_school);
  g_test_add_func ("/core/api-json/error-body", test_error_body);

  return g_test_run ();
}
