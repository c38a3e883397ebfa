/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Contract tests of the batch and transit calls: CoClient against the real
 * reference server (card-office-server --demo), a fresh SQLite file per
 * test; and the strict decoders against malformed answers.
 */
#define G_LOG_DOMAIN "test-batches"

#include "config.h"

#include <string.h>

#include "co-client.h"
#include "co-enum-types.h"
#include "test-fixtures.h"
#include "test-server.h"

typedef struct
{
  TestServer   *server;
  CoClient     *client;
  GAsyncResult *result;
} Fixture;

static void
reset_result (Fixture *f)
{
  g_clear_object (&f->result);
}

#define AWAIT(f, fn, ...) \
  (reset_result (f), \
   fn##_async (__VA_ARGS__, NULL, store_result_cb, &(f)->result), \
   wait_for_result (&(f)->result))

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char * const args[] = { "--demo", "--today", "2026-03-20", NULL };
  g_autoptr(GError) error = NULL;

  if (test_server_binary () == NULL)
    return;

  f->server = test_server_start (args);
  f->client = co_client_new (f->server->url);
  co_client_set_timeout (f->client, 20);
  g_assert_true (co_client_sign_in_finish (f->client, AWAIT (f, co_client_sign_in, f->client,
                                                             "demo", "demo"), &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->result);
  g_clear_object (&f->client);
  g_clear_pointer (&f->server, test_server_stop);
}

#define SKIP_WITHOUT_SERVER(f) \
  if ((f)->server == NULL) \
    { \
      g_test_skip ("CO_TEST_SERVER does not name card-office-server"); \
      return; \
    }

static CoStudent *
dev_student (Fixture    *f,
             int         grade,
             CoEntry     entry,
             const char *card)
{
  CoDevStudent request = { .name = "新同学", .gender = CO_GENDER_FEMALE, .grade = grade,
                           .class_name = "1班", .entry = entry, .card = card };
  g_autoptr(GError) error = NULL;
  CoStudent *student;

  student = co_client_dev_create_student_finish (f->client,
                                                 AWAIT (f, co_client_dev_create_student, f->client,
                                                        &request, NULL),
                                                 &error);
  g_assert_no_error (error);
  return student;
}

static const CoBatchRowResult *
row_at (CoBatchReport *report,
        guint          i)
{
  g_assert_cmpuint (i, <, report->rows->len);
  return &g_array_index (report->rows, CoBatchRowResult, i);
}

static void
test_new_card (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CoStudent) a = NULL;
  g_autoptr(CoStudent) b = NULL;
  g_autoptr(CoBatchReport) report = NULL;
  g_autoptr(CoBatchReport) again = NULL;
  g_autoptr(CoBatchReport) fetched = NULL;
  g_autoptr(CoStudent) after = NULL;
  g_autoptr(GError) error = NULL;
  CoNewCardRow rows[4];

  SKIP_WITHOUT_SERVER (f);

  a = dev_student (f, 1, CO_ENTRY_NEW_ENTRANT, "none");
  b = dev_student (f, 4, CO_ENTRY_TRANSFER_OUTSIDE, "none");
  rows[0] = (CoNewCardRow) { co_student_get_edu_id (a), "一年级新生", CO_GENDER_MALE, 1, "1班",
                             CO_ENTRY_NEW_ENTRANT };
  rows[1] = (CoNewCardRow) { co_student_get_edu_id (b), "外省转入", CO_GENDER_FEMALE, 4, "2班",
                             CO_ENTRY_TRANSFER_OUTSIDE };
  rows[2] = (CoNewCardRow) { "87654321", "市内转学", CO_GENDER_MALE, 3, "3班",
                             CO_ENTRY_TRANSFER_INSIDE };
  rows[3] = rows[0];

  report = co_client_report_batch_finish (f->client,
                                          AWAIT (f, co_client_report_new_card_batch, f->client,
                                                 rows, 4, "batch-key-1"),
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->id, >=, 1);
  g_assert_cmpint (report->kind, ==, CO_BATCH_KIND_NEW_CARD);
  g_assert_cmpstr (report->staff, ==, "demo");
  g_assert_cmpuint (report->n_accepted, ==, 2);
  g_assert_cmpuint (report->n_refused, ==, 2);
  g_assert_cmpuint (report->rows->len, ==, 4);
  g_assert_true (row_at (report, 0)->accepted);
  g_assert_cmpuint (row_at (report, 0)->row, ==, 1);
  g_assert_cmpstr (row_at (report, 0)->edu_id, ==, co_student_get_edu_id (a));
  g_assert_nonnull (row_at (report, 0)->card_no);
  g_assert_null (row_at (report, 0)->code);
  g_assert_true (row_at (report, 1)->accepted);
  g_assert_false (row_at (report, 2)->accepted);
  g_assert_cmpstr (row_at (report, 2)->code, ==, "new_card_transfer_inside");
  g_assert_false (row_at (report, 3)->accepted);
  g_assert_cmpstr (row_at (report, 3)->code, ==, "duplicate_row");
  g_assert_cmpstr (row_at (report, 3)->field, ==, "edu_id");

  /* The card exists, not issued until handed out. */
  after = co_client_get_student_finish (f->client, AWAIT (f, co_client_get_student, f->client,
                                                          co_student_get_edu_id (a)), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (co_student_get_card_no (after), ==, row_at (report, 0)->card_no);
  g_assert_cmpint (co_student_get_card_status (after), ==, CO_CARD_STATUS_NOT_ISSUED);

  /* The same key and body: the first answer again, nothing applied twice. */
  again = co_client_report_batch_finish (f->client,
                                         AWAIT (f, co_client_report_new_card_batch, f->client,
                                                rows, 4, "batch-key-1"),
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->id, ==, report->id);
  g_assert_cmpuint (again->n_accepted, ==, 2);

  /* A new key: the rows are judged again and refused. */
  g_clear_pointer (&again, co_batch_report_free);
  again = co_client_report_batch_finish (f->client,
                                         AWAIT (f, co_client_report_new_card_batch, f->client,
                                                rows, 1, NULL),
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->id, !=, report->id);
  g_assert_false (row_at (again, 0)->accepted);
  g_assert_cmpstr (row_at (again, 0)->code, ==, "already_has_card");

  fetched = co_client_get_batch_finish (f->client, AWAIT (f, co_client_get_batch, f->client,
                                                          CO_BATCH_KIND_NEW_CARD, report->id),
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpint (fetched->id, ==, report->id);
  g_assert_cmpuint (fetched->rows->len, ==, 4);
  g_assert_cmpstr (row_at (fetched, 0)->card_no, ==, row_at (report, 0)->card_no);
  g_assert_cmpstr (row_at (fetched, 2)->code, ==, "new_card_transfer_inside");
}

static void
test_sticker (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CoStudent) s = NULL;
  g_autoptr(CoBatchReport) report = NULL;
  g_autoptr(CoBatchReport) again = NULL;
  g_autoptr(CoBatchReport) fetched = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[3];

  SKIP_WITHOUT_SERVER (f);

  s = dev_student (f, 7, CO_ENTRY_NEW_ENTRANT, "active");
  ids[0] = co_student_get_edu_id (s);
  ids[1] = "99999998";
  ids[2] = NULL;

  report = co_client_report_batch_finish (f->client,
                                          AWAIT (f, co_client_report_sticker_batch, f->client,
                                                 ids, 2, NULL),
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->kind, ==, CO_BATCH_KIND_STICKER);
  g_assert_cmpuint (report->n_accepted, ==, 1);
  g_assert_true (row_at (report, 0)->accepted);
  g_assert_cmpstr (row_at (report, 0)->card_no, ==, co_student_get_card_no (s));
  g_assert_false (row_at (report, 1)->accepted);
  g_assert_cmpstr (row_at (report, 1)->code, ==, "not_found");

  again = co_client_report_batch_finish (f->client,
                                         AWAIT (f, co_client_report_sticker_batch, f->client,
                                                ids, 1, NULL),
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpstr (row_at (again, 0)->code, ==, "sticker_exists");

  fetched = co_client_get_batch_finish (f->client, AWAIT (f, co_client_get_batch, f->client,
                                                          CO_BATCH_KIND_STICKER, report->id),
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fetched->n_accepted, ==, 1);

  /* A sticker batch is not a new-card batch. */
  g_clear_pointer (&fetched, co_batch_report_free);
  fetched = co_client_get_batch_finish (f->client, AWAIT (f, co_client_get_batch, f->client,
                                                          CO_BATCH_KIND_NEW_CARD, report->id),
                                        &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND);
  g_assert_null (fetched);
}

/* A sticker batch moves 已提交 → 制卡中 → 已送达学校 on a --demo server;
 * GET says where it is; a step past the last is a conflict. */
static void
test_advance (Fixture       *f,
              gconstpointer  data)
{
  static const CoBatchState expected[] = { CO_BATCH_STATE_IN_PRODUCTION,
                                           CO_BATCH_STATE_DELIVERED_TO_SCHOOL };
  g_autoptr(CoStudent) s = NULL;
  g_autoptr(CoBatchReport) report = NULL;
  g_autoptr(CoBatchReport) fetched = NULL;
  g_autoptr(CoBatchReport) wrong = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[2];

  SKIP_WITHOUT_SERVER (f);

  s = dev_student (f, 10, CO_ENTRY_NEW_ENTRANT, "active");
  ids[0] = co_student_get_edu_id (s);
  ids[1] = NULL;
  report = co_client_report_batch_finish (f->client,
                                          AWAIT (f, co_client_report_sticker_batch, f->client,
                                                 ids, 1, NULL),
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpint (report->state, ==, CO_BATCH_STATE_SUBMITTED);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(CoBatchReport) step = NULL;

      step = co_client_dev_advance_batch_finish (f->client,
                                                 AWAIT (f, co_client_dev_advance_batch, f->client,
                                                        CO_BATCH_KIND_STICKER, report->id, NULL),
                                                 &error);
      g_assert_no_error (error);
      g_assert_cmpint (step->id, ==, report->id);
      g_assert_cmpint (step->state, ==, expected[i]);
      g_assert_cmpuint (step->n_accepted, ==, 1);
    }

  fetched = co_client_get_batch_finish (f->client, AWAIT (f, co_client_get_batch, f->client,
                                                          CO_BATCH_KIND_STICKER, report->id),
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpint (fetched->state, ==, CO_BATCH_STATE_DELIVERED_TO_SCHOOL);

  wrong = co_client_dev_advance_batch_finish (f->client,
                                              AWAIT (f, co_client_dev_advance_batch, f->client,
                                                     CO_BATCH_KIND_STICKER, report->id, NULL),
                                              &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_CONFLICT);
  g_assert_null (wrong);
  g_clear_error (&error);

  /* The other kind's route knows no such batch. */
  wrong = co_client_dev_advance_batch_finish (f->client,
                                              AWAIT (f, co_client_dev_advance_batch, f->client,
                                                     CO_BATCH_KIND_NEW_CARD, report->id, NULL),
                                              &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND);
  g_assert_null (wrong);
}

static void
test_invalid (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CoBatchReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) empty = g_bytes_new_static ("{\"rows\":[]}", strlen ("{\"rows\":[]}"));
  const char *bad_ids[] = { "1234567", NULL };

  SKIP_WITHOUT_SERVER (f);

  /* Refused before sending. */
  report = co_client_report_batch_finish (f->client,
                                          AWAIT (f, co_client_report_sticker_batch, f->client,
                                                 bad_ids, 1, NULL),
                                          &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_INVALID_REQUEST);
  g_assert_cmpstr (co_client_error_get_field (error), ==, "rows");
  g_clear_error (&error);

  /* The server's 422 for no rows. */
  report = co_client_report_batch_finish (f->client,
                                          AWAIT (f, co_client_report_batch, f->client,
                                                 CO_BATCH_KIND_NEW_CARD, empty, NULL),
                                          &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (co_client_error_get_field (error), ==, "rows");
  g_clear_error (&error);

  report = co_client_get_batch_finish (f->client, AWAIT (f, co_client_get_batch, f->client,
                                                         CO_BATCH_KIND_NEW_CARD, 999999),
                                       &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND);
  g_assert_null (report);
}

static void
test_transit (Fixture       *f,
              gconstpointer  data)
{
  CoStudentQuery query = CO_STUDENT_QUERY_INIT;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(CoStudent) s = NULL;
  g_autoptr(CoTransitValidity) v = NULL;
  g_autoptr(GError) error = NULL;
  const char *card_no;

  SKIP_WITHOUT_SERVER (f);

  /* A demo card issued long ago: synced with the transit company. */
  query.status = CO_CARD_STATUS_ACTIVE;
  model = co_client_list_students_finish (f->client, AWAIT (f, co_client_list_students, f->client,
                                                             &query, NULL, 5),
                                          NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
  s = g_list_model_get_item (model, 0);
  card_no = co_student_get_card_no (s);

  v = co_client_get_transit_validity_finish (f->client,
                                             AWAIT (f, co_client_get_transit_validity, f->client,
                                                    card_no),
                                             &error);
  g_assert_no_error (error);
  g_assert_cmpstr (v->card_no, ==, card_no);
  g_assert_nonnull (v->checked_at);
  g_assert_true (v->valid);
  g_assert_cmpint (v->reason, ==, CO_TRANSIT_REASON_NONE);
  g_assert_true (v->synced);
  g_assert_false (v->has_review);

  /* Nothing to review yet. */
  g_clear_pointer (&v, co_transit_validity_free);
  v = co_client_review_transit_finish (f->client,
                                       AWAIT (f, co_client_review_transit, f->client, card_no,
                                              CO_TRANSIT_DECISION_CONFIRM, NULL, NULL),
                                       &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_CONFLICT);
  g_assert_cmpstr (co_client_error_get_wire_code (error), ==, "review_not_needed");
  g_clear_error (&error);

  v = co_client_dev_transit_reject_finish (f->client,
                                           AWAIT (f, co_client_dev_transit_reject, f->client,
                                                  card_no, NULL),
                                           &error);
  g_assert_no_error (error);
  g_assert_false (v->valid);
  g_assert_cmpint (v->reason, ==, CO_TRANSIT_REASON_TRANSIT_REJECTED);
  g_assert_cmpstr (co_transit_reason_to_string (v->reason), ==, "transit_rejected");

  g_clear_pointer (&v, co_transit_validity_free);
  v = co_client_review_transit_finish (f->client,
                                       AWAIT (f, co_client_review_transit, f->client, card_no,
                                              CO_TRANSIT_DECISION_CONFIRM, "学生信息无误", NULL),
                                       &error);
  g_assert_no_error (error);
  g_assert_true (v->has_review);
  g_assert_cmpint (v->decision, ==, CO_TRANSIT_DECISION_CONFIRM);
  g_assert_cmpstr (v->note, ==, "学生信息无误");
  g_assert_cmpstr (v->review_staff, ==, "demo");
  g_assert_true (v->valid);

  g_clear_pointer (&v, co_transit_validity_free);
  v = co_client_get_transit_validity_finish (f->client,
                                             AWAIT (f, co_client_get_transit_validity, f->client,
                                                    "0000000000000000"),
                                             &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND);
}

/* The decoders, without a server. */

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

#define BATCH_HEAD \
  "{\"id\":3,\"kind\":\"new_card\",\"state\":\"in_production\",\"created_at\":\"2026-03-02T09:15:00+08:00\"," \
  "\"staff\":\"demo\",\"accepted\":1,\"refused\":1,\"rows\":["
#define ROW_OK \
  "{\"row\":1,\"edu_id\":\"01234567\",\"result\":\"accepted\",\"code\":null,\"field\":null," \
  "\"card_no\":\"1000751200012345\"}"

static void
test_decode_batch (void)
{
  static const struct { const char *json; const char *message; } bad[] = {
    { BATCH_HEAD ROW_OK ",{\"row\":2,\"edu_id\":null,\"result\":1,\"code\":null,\"field\":null,"
      "\"card_no\":null}]}", "rows[1].result: expected string, got integer" },
    { BATCH_HEAD ROW_OK ",{\"row\":2,\"edu_id\":null,\"result\":\"refused\",\"code\":null,"
      "\"field\":null,\"card_no\":null}]}", "rows[1].code: a refused row needs a code" },
    { BATCH_HEAD ROW_OK ",{\"row\":2,\"edu_id\":null,\"result\":\"maybe\",\"code\":\"x\","
      "\"field\":null,\"card_no\":null}]}", "rows[1].result: unknown value" },
    { BATCH_HEAD ROW_OK ",{\"row\":2,\"edu_id\":null,\"result\":\"refused\",\"code\":\"x\","
      "\"field\":null}]}", "rows[1].card_no: missing" },
    { "{\"id\":3,\"kind\":\"new_card\",\"state\":\"submitted\",\"created_at\":\"2026-03-02T09:15:00+08:00\","
      "\"staff\":\"demo\",\"accepted\":1,\"refused\":1}", "rows: expected array, got nothing" },
    { "{\"id\":3,\"kind\":\"new_card\",\"created_at\":\"2026-03-02T09:15:00+08:00\","
      "\"staff\":\"demo\",\"accepted\":1,\"refused\":1,\"rows\":[]}", "state: missing" },
    { "{\"id\":3,\"kind\":\"new_card\",\"state\":\"shipped\",\"created_at\":\"2026-03-02T09:15:00+08:00\","
      "\"staff\":\"demo\",\"accepted\":1,\"refused\":1,\"rows\":[]}", "state: unknown value" },
    { "{\"id\":3,\"kind\":\"new_card\",\"state\":2,\"created_at\":\"2026-03-02T09:15:00+08:00\","
      "\"staff\":\"demo\",\"accepted\":1,\"refused\":1,\"rows\":[]}", "state: expected string, got integer" },
    { "{\"id\":3,\"kind\":\"visa\",\"state\":\"submitted\",\"created_at\":\"2026-03-02T09:15:00+08:00\","
      "\"staff\":\"demo\",\"accepted\":1,\"refused\":1,\"rows\":[]}", "kind: unknown value" },
    { "{\"id\":3,\"kind\":\"sticker\",\"state\":\"submitted\",\"created_at\":\"yesterday\","
      "\"staff\":\"demo\",\"accepted\":1,\"refused\":1,\"rows\":[]}", "created_at: not an RFC 3339 date-time" },
    { "[]", "(document): expected object, got array" },
  };
  g_autoptr(JsonNode) good = parse (BATCH_HEAD ROW_OK ",{\"row\":2,\"edu_id\":\"01234568\","
                                    "\"result\":\"refused\",\"code\":\"duplicate_row\","
                                    "\"field\":\"edu_id\",\"card_no\":null,\"extra\":1}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(CoBatchReport) report = co_json_decode_batch (good, NULL, &error);
  g_autoptr(CoBatchReport) copy = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (report->rows->len, ==, 2);
  g_assert_cmpint (report->state, ==, CO_BATCH_STATE_IN_PRODUCTION);
  g_assert_cmpstr (co_batch_state_to_string (report->state), ==, "in_production");
  copy = co_batch_report_copy (report);
  g_assert_cmpint (copy->state, ==, CO_BATCH_STATE_IN_PRODUCTION);
  g_assert_cmpstr (row_at (copy, 1)->code, ==, "duplicate_row");
  g_assert_cmpstr (row_at (copy, 0)->card_no, ==, "1000751200012345");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = parse (bad[i].json);
      g_autoptr(CoBatchReport) r = co_json_decode_batch (node, NULL, &error);

      g_assert_null (r);
      g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL);
      g_assert_cmpstr (error->message, ==, bad[i].message);
      g_clear_error (&error);
    }
}

static void
test_decode_transit (void)
{
  static const struct { const char *json; const char *message; } bad[] = {
    { "{\"card_no\":\"1\",\"valid\":true,\"reason\":\"expired\",\"synced\":true,"
      "\"checked_at\":\"2026-03-02T09:15:00+08:00\",\"review\":null}",
      "reason: a valid card has no reason" },
    { "{\"card_no\":\"1\",\"valid\":false,\"reason\":\"moon\",\"synced\":true,"
      "\"checked_at\":\"2026-03-02T09:15:00+08:00\",\"review\":null}", "reason: unknown value" },
    { "{\"card_no\":\"1\",\"valid\":false,\"reason\":\"expired\",\"synced\":\"yes\","
      "\"checked_at\":\"2026-03-02T09:15:00+08:00\",\"review\":null}",
      "synced: expected boolean, got string" },
    { "{\"card_no\":\"1\",\"valid\":false,\"reason\":\"expired\",\"synced\":true,"
      "\"checked_at\":\"2026-03-02T09:15:00+08:00\"}", "review: missing" },
    { "{\"card_no\":\"1\",\"valid\":false,\"reason\":\"expired\",\"synced\":true,"
      "\"checked_at\":\"2026-03-02T09:15:00+08:00\",\"review\":{\"decision\":\"confirm\","
      "\"note\":null,\"staff\":\"demo\"}}", "review.reviewed_at: missing" },
  };
  g_autoptr(JsonNode) good = parse ("{\"card_no\":\"1\",\"valid\":false,\"reason\":\"not_synced\","
                                    "\"synced\":false,\"checked_at\":\"2026-03-02T09:15:00+08:00\","
                                    "\"review\":{\"decision\":\"reject\",\"note\":\"换卡\","
                                    "\"staff\":\"demo\",\"reviewed_at\":\"2026-03-02T09:15:00+08:00\"}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(CoTransitValidity) v = co_json_decode_transit_validity (good, NULL, &error);
  g_autoptr(CoTransitValidity) copy = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (v->reason, ==, CO_TRANSIT_REASON_NOT_SYNCED);
  g_assert_true (v->has_review);
  g_assert_cmpint (v->decision, ==, CO_TRANSIT_DECISION_REJECT);
  copy = co_transit_validity_copy (v);
  g_assert_cmpstr (copy->note, ==, "换卡");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = parse (bad[i].json);
      g_autoptr(CoTransitValidity) r = co_json_decode_transit_validity (node, NULL, &error);

      g_assert_null (r);
      g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL);
      g_assert_cmpstr (error->message, ==, bad[i].message);
      g_clear_error (&error);
    }
}

static void
test_bodies (void)
{
  CoNewCardRow row = { "01234567", "张\"三", CO_GENDER_MALE, 1, "1班", CO_ENTRY_NEW_ENTRANT };
  const char *ids[] = { "01234567", "01234568" };
  g_autoptr(GBytes) a = co_batch_new_card_body (&row, 1);
  g_autoptr(GBytes) b = co_batch_new_card_body (&row, 1);
  g_autoptr(GBytes) s = co_batch_sticker_body (ids, 2);

  /* Byte-stable: a resend is the same request. */
  g_assert_true (g_bytes_equal (a, b));
  g_assert_cmpmem (g_bytes_get_data (s, NULL), g_bytes_get_size (s),
                   "{\"rows\":[{\"edu_id\":\"01234567\"},{\"edu_id\":\"01234568\"}]}",
                   strlen ("{\"rows\":[{\"edu_id\":\"01234567\"},{\"edu_id\":\"01234568\"}]}"));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (a, NULL), g_bytes_get_size (a),
                                  "\"entry\":\"new_entrant\""));
}

int
main (int    argc,
      char **argv)
{
  test_server_parse_args (&argc, argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/core/api-client/batches/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

  ADD ("new-card", test_new_card);
  ADD ("sticker", test_sticker);
  ADD ("advance", test_advance);
  ADD ("invalid", test_invalid);
  ADD ("transit", test_transit);
  g_test_add_func ("/core/api-client/batches/decode-batch", test_decode_batch);
  g_test_add_func ("/core/api-client/batches/decode-transit", test_decode_transit);
  g_test_add_func ("/core/api-client/batches/bodies", test_bodies);

  return g_test_run ();
}
