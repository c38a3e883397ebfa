/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Contract tests: CoClient against the real reference server
 * (card-office-server --demo) on 127.0.0.1 with a fresh SQLite file per
 * test. Every endpoint: success, each refusal (409 with its reason),
 * validation (422 with its field), another school's data (404), an expired
 * token, a throttled login, an idempotent repeat (one effect, same answer).
 */
#define G_LOG_DOMAIN "test-contract"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "co-client.h"
#include "test-fixtures.h"
#include "test-server.h"

typedef struct
{
  TestServer   *server;
  CoClient     *client;
  GAsyncResult *result;
} Fixture;

/* Runs fn_async (args..., NULL, cb, &f->result) and waits. */
#define AWAIT(f, fn, ...) \
  (reset_result (f), \
   fn##_async (__VA_ARGS__, NULL, store_result_cb, &(f)->result), \
   wait_for_result (&(f)->result))

static void
reset_result (Fixture *f)
{
  g_clear_object (&f->result);
}

static void
sign_in (Fixture    *f,
         CoClient   *client,
         const char *username,
         const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (co_client_sign_in_finish (client, AWAIT (f, co_client_sign_in, client, username,
                                                          password), &error));
  g_assert_no_error (error);
}

static void
set_up_with (Fixture            *f,
             const char * const *args)
{
  if (test_server_binary () == NULL)
    return;

  f->server = test_server_start (args);
  f->client = co_client_new (f->server->url);
  co_client_set_timeout (f->client, 20);
  sign_in (f, f->client, "demo", "demo");
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char * const args[] = { "--demo", "--today", "2026-03-20", NULL };

  set_up_with (f, args);
}

static void
fixture_set_up_short_token (Fixture       *f,
                            gconstpointer  data)
{
  static const char * const args[] = { "--demo", "--today", "2026-03-20", "--token-ttl", "3", NULL };

  set_up_with (f, args);
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

static void
assert_conflict (const GError *error,
                 CoReason      reason)
{
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_CONFLICT);
  if (co_client_error_get_reason (error) != reason)
    g_error ("expected reason %s, got %s (%s)", co_enum_to_wire (CO_TYPE_REASON, reason),
             co_client_error_get_wire_code (error), error->message);
}

static void
assert_validation (const GError *error,
                   const char   *field)
{
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_VALIDATION);
  g_assert_cmpstr (co_client_error_get_field (error), ==, field);
}

/* Finders over the demo data */

static GListModel *
list_students (Fixture              *f,
               const CoStudentQuery *query,
               const char           *cursor,
               guint                 limit,
               char                **next_cursor)
{
  g_autoptr(GError) error = NULL;
  GListModel *model;

  model = co_client_list_students_finish (f->client, AWAIT (f, co_client_list_students, f->client,
                                                             query, cursor, limit),
                                          next_cursor, &error);
  g_assert_no_error (error);
  return model;
}

/* The edu ID of a student whose card has @status and who has no open reissue. */
static char *
find_student (Fixture      *f,
              CoCardStatus  status)
{
  CoStudentQuery query = CO_STUDENT_QUERY_INIT;
  g_autoptr(GListModel) model = NULL;

  query.status = status;
  model = list_students (f, &query, NULL, 200, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CoStudent) student = g_list_model_get_item (model, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) reissues = NULL;
      gboolean open = FALSE;

      reissues = co_client_list_reissues_finish (f->client,
                                                 AWAIT (f, co_client_list_reissues, f->client,
                                                        CO_REISSUE_STATUS_NONE,
                                                        co_student_get_edu_id (student), NULL, 0),
                                                 NULL, &error);
      g_assert_no_error (error);
      for (guint j = 0; j < g_list_model_get_n_items (reissues); j++)
        {
          g_autoptr(CoReissue) r = g_list_model_get_item (reissues, j);
          open |= co_reissue_status_is_open (co_reissue_get_status (r));
        }

      if (!open)
        return g_strdup (co_student_get_edu_id (student));
    }

  g_error ("no demo student with card status %s", co_enum_to_wire (CO_TYPE_CARD_STATUS, status));
  return NULL;
}

static char *
find_student_without_card (Fixture *f)
{
  g_autofree char *cursor = NULL;

  do
    {
      g_autofree char *next = NULL;
      g_autoptr(GListModel) model = list_students (f, NULL, cursor, 1000, &next);

      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(CoStudent) student = g_list_model_get_item (model, i);

          if (co_student_get_card_no (student) == NULL)
            return g_strdup (co_student_get_edu_id (student));
        }

      g_free (cursor);
      cursor = g_steal_pointer (&next);
    }
  while (cursor != NULL);

  g_error ("no demo student without a card");
  return NULL;
}

static CoReissue *
find_reissue (Fixture         *f,
              CoReissueStatus  status,
              CoDelivery       delivery)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) model = NULL;

  model = co_client_list_reissues_finish (f->client,
                                          AWAIT (f, co_client_list_reissues, f->client, status,
                                                 NULL, NULL, 1000),
                                          NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CoReissue) reissue = g_list_model_get_item (model, i);

      g_assert_cmpint (co_reissue_get_status (reissue), ==, status);
      if (co_reissue_get_delivery (reissue) == delivery)
        return g_steal_pointer (&reissue);
    }

  g_error ("no demo reissue %s/%s", co_enum_to_wire (CO_TYPE_REISSUE_STATUS, status),
           co_enum_to_wire (CO_TYPE_DELIVERY, delivery));
  return NULL;
}

/* A student of the other school (demo2). */
static char *
foreign_student (Fixture *f)
{
  g_autoptr(CoClient) other = co_client_new (f->server->url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(CoStudent) student = NULL;

  sign_in (f, other, "demo2", "demo2");
  model = co_client_list_students_finish (other, AWAIT (f, co_client_list_students, other, NULL,
                                                         NULL, 5),
                                          NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
  student = g_list_model_get_item (model, 0);
  g_assert_cmpstr (co_student_get_school (student), !=, co_client_get_school_name (f->client));

  return g_strdup (co_student_get_edu_id (student));
}

static guint
count_audit (Fixture    *f,
             const char *edu_id,
             const char *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) model = NULL;

  model = co_client_list_audit_finish (f->client, AWAIT (f, co_client_list_audit, f->client, edu_id,
                                                         NULL, action, NULL, 1000),
                                       NULL, &error);
  g_assert_no_error (error);

  return g_list_model_get_n_items (model);
}

/* Short calls */

static CoStudent *
get_student (Fixture     *f,
             const char  *edu_id,
             GError     **error)
{
  return co_client_get_student_finish (f->client, AWAIT (f, co_client_get_student, f->client, edu_id),
                                       error);
}

static CoStudent *
report_loss (Fixture     *f,
             const char  *edu_id,
             const char  *key,
             GError     **error)
{
  return co_client_report_loss_finish (f->client,
                                       AWAIT (f, co_client_report_loss, f->client, edu_id, key),
                                       error);
}

static CoStudent *
lift_loss (Fixture     *f,
           const char  *edu_id,
           GError     **error)
{
  return co_client_lift_loss_finish (f->client, AWAIT (f, co_client_lift_loss, f->client, edu_id, NULL),
                                     error);
}

static CoReissue *
apply_reissue (Fixture                *f,
               const CoReissueRequest *request,
               GError                **error)
{
  return co_client_apply_reissue_finish (f->client,
                                         AWAIT (f, co_client_apply_reissue, f->client, request, NULL),
                                         error);
}

static CoReissue *
dev_step (Fixture         *f,
          CoReissue       *reissue,
          CoClientDevStep  step,
          GError         **error)
{
  return co_client_dev_advance_reissue_finish (f->client,
                                               AWAIT (f, co_client_dev_advance_reissue, f->client,
                                                      co_reissue_get_id (reissue), step, NULL),
                                               error);
}

static void
set_clock (Fixture    *f,
           const char *today)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (co_client_dev_set_clock_finish (f->client,
                                                 AWAIT (f, co_client_dev_set_clock, f->client, today, NULL),
                                                 &error));
  g_assert_no_error (error);
}

/* Tests: session */

static void
test_sign_in (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CoClient) client = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_WITHOUT_SERVER (f);

  g_assert_true (co_client_get_signed_in (f->client));
  g_assert_cmpstr (co_client_get_username (f->client), ==, "demo");
  g_assert_nonnull (co_client_get_school_name (f->client));
  g_assert_nonnull (co_client_get_token_expires_at (f->client));

  client = co_client_new (f->server->url);
  g_assert_false (co_client_sign_in_finish (client, AWAIT (f, co_client_sign_in, client, "demo", "nope"),
                                            &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_false (co_client_get_signed_in (client));
}

static void
test_sign_in_throttled (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(CoClient) client = NULL;
  g_autoptr(GError) error = NULL;

  SKIP_WITHOUT_SERVER (f);

  client = co_client_new (f->server->url);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_false (co_client_sign_in_finish (client, AWAIT (f, co_client_sign_in, client, "demo", "bad"),
                                                &error));
      g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_UNAUTHORIZED);
      g_clear_error (&error);
    }

  /* Locked now, even with the right password. */
  g_assert_false (co_client_sign_in_finish (client, AWAIT (f, co_client_sign_in, client, "demo", "demo"),
                                            &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_THROTTLED);
  g_assert_cmpuint (co_client_error_get_retry_after (error), >, 0);
  g_assert_cmpuint (co_client_error_get_retry_after (error), <=, 60);
}

static void
test_sign_out (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;
  g_autofree char *token = NULL;

  SKIP_WITHOUT_SERVER (f);

  token = g_strdup (co_client_get_token (f->client));
  g_assert_true (co_client_sign_out_finish (f->client, AWAIT (f, co_client_sign_out, f->client), &error));
  g_assert_no_error (error);
  g_assert_false (co_client_get_signed_in (f->client));

  /* The old token is revoked on the server. */
  co_client_set_token (f->client, token);
  student = get_student (f, "11234567", &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_UNAUTHORIZED);
}

static gboolean
on_token_expired_sign_in_cb (CoClient *client,
                             gpointer  user_data)
{
  guint *count = user_data;

  (*count)++;
  /* What the app does: ask for the password, then sign in again. */
  co_client_sign_in_async (client, "demo", "demo", NULL, NULL, NULL);
  return TRUE;
}

static void
test_token_expired (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) first = NULL;
  g_autoptr(CoStudent) student = NULL;
  g_autofree char *edu_id = NULL;
  g_autofree char *old_token = NULL;
  gulong handler;
  guint count = 0;

  SKIP_WITHOUT_SERVER (f);

  edu_id = find_student (f, CO_CARD_STATUS_ACTIVE);
  old_token = g_strdup (co_client_get_token (f->client));

  /* The token lives three seconds. */
  g_usleep (3200 * 1000);

  /* No one signs in again: UNAUTHORIZED. */
  first = get_student (f, edu_id, &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* The app signs in again: the same write goes through, once. */
  handler = g_signal_connect (f->client, "token-expired", G_CALLBACK (on_token_expired_sign_in_cb), &count);
  student = report_loss (f, edu_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpint (co_student_get_card_status (student), ==, CO_CARD_STATUS_REPORTED_LOST);
  g_assert_cmpstr (co_client_get_token (f->client), !=, old_token);
  g_signal_handler_disconnect (f->client, handler);

  /* The new token may have expired too: sign in for the check. */
  sign_in (f, f->client, "demo", "demo");
  g_assert_cmpuint (count_audit (f, edu_id, "report_loss"), ==, 1);
}

/* Tests: reads */

static void
test_school (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoSchoolInfo) school = NULL;

  SKIP_WITHOUT_SERVER (f);

  school = co_client_get_school_finish (f->client, AWAIT (f, co_client_get_school, f->client), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (school->name, ==, co_client_get_school_name (f->client));
  g_assert_cmpstr (school->today, ==, "2026-03-20");
  g_assert_cmpuint (school->holidays->len, >, 0);
  g_assert_cmpint (school->fee_fen, ==, CO_REISSUE_FEE_FEN);
  g_assert_cmpint (school->courier_fee_cap_fen, ==, CO_COURIER_FEE_CAP_FEN);
  g_assert_true (school->school_delivery_open);
}

static void
test_list_students (Fixture       *f,
                    gconstpointer  data)
{
  CoStudentQuery query = CO_STUDENT_QUERY_INIT;
  g_autoptr(GListModel) page1 = NULL;
  g_autoptr(GListModel) page2 = NULL;
  g_autoptr(GListModel) filtered = NULL;
  g_autoptr(GListModel) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *cursor2 = NULL;
  g_autoptr(CoStudent) last = NULL;
  g_autoptr(CoStudent) next = NULL;

  SKIP_WITHOUT_SERVER (f);

  page1 = list_students (f, NULL, NULL, 100, &cursor);
  g_assert_cmpuint (g_list_model_get_n_items (page1), ==, 100);
  g_assert_nonnull (cursor);
  page2 = list_students (f, NULL, cursor, 100, &cursor2);
  last = g_list_model_get_item (page1, 99);
  next = g_list_model_get_item (page2, 0);
  g_assert_cmpstr (co_student_get_edu_id (last), <, co_student_get_edu_id (next));

  query.grade = 7;
  query.status = CO_CARD_STATUS_ACTIVE;
  filtered = list_students (f, &query, NULL, 1000, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (filtered), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (filtered); i++)
    {
      g_autoptr(CoStudent) s = g_list_model_get_item (filtered, i);

      g_assert_cmpint (co_student_get_grade (s), ==, 7);
      g_assert_cmpint (co_student_get_stage (s), ==, CO_STAGE_JUNIOR);
      g_assert_cmpint (co_student_get_card_status (s), ==, CO_CARD_STATUS_ACTIVE);
    }

  query = (CoStudentQuery) CO_STUDENT_QUERY_INIT;
  query.q = "没有这个名字的学生";
  none = list_students (f, &query, NULL, 10, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);

  /* A limit beyond the contract: 422 names it. */
  g_assert_null (co_client_list_students_finish (f->client,
                                                 AWAIT (f, co_client_list_students, f->client, NULL,
                                                        NULL, 5000),
                                                 NULL, &error));
  assert_validation (error, "limit");
}

static void
test_get_student (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;
  g_autoptr(CoStudent) missing = NULL;
  g_autoptr(CoStudent) foreign = NULL;
  g_autofree char *edu_id = NULL;
  g_autofree char *other = NULL;

  SKIP_WITHOUT_SERVER (f);

  edu_id = find_student (f, CO_CARD_STATUS_ACTIVE);
  student = get_student (f, edu_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (co_student_get_edu_id (student), ==, edu_id);
  g_assert_cmpstr (co_student_get_school (student), ==, co_client_get_school_name (f->client));
  g_assert_nonnull (co_student_get_uid (student));

  missing = get_student (f, "99999999", &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  other = foreign_student (f);
  foreign = get_student (f, other, &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND);
}

static void
test_photo (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) copy = NULL;
  g_autoptr(GBytes) junk = NULL;
  g_autoptr(GBytes) huge = NULL;
  g_autoptr(CoStudent) student = NULL;
  g_autoptr(CoStudent) target = NULL;
  g_autoptr(CoStudent) updated = NULL;
  g_autoptr(CoStudent) refused = NULL;
  g_autofree char *edu_id = NULL;
  g_autofree char *target_id = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *etag2 = NULL;
  g_autofree char *other = NULL;
  g_autofree guint8 *big = NULL;

  SKIP_WITHOUT_SERVER (f);

  edu_id = find_student (f, CO_CARD_STATUS_ACTIVE);
  student = get_student (f, edu_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (co_student_get_photo_etag (student));

  g_assert_true (co_client_get_photo_finish (f->client, AWAIT (f, co_client_get_photo, f->client, edu_id, NULL),
                                             &jpeg, &etag, &error));
  g_assert_no_error (error);
  g_assert_nonnull (jpeg);
  g_assert_cmpuint (g_bytes_get_size (jpeg), >, 100);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (jpeg, NULL))[0], ==, 0xff);
  /* The ETag as in the student's JSON. */
  g_assert_cmpstr (etag, ==, co_student_get_photo_etag (student));

  /* Unchanged: nothing sent. */
  g_assert_true (co_client_get_photo_finish (f->client, AWAIT (f, co_client_get_photo, f->client, edu_id, etag),
                                             &again, &etag2, &error));
  g_assert_no_error (error);
  g_assert_null (again);
  g_assert_cmpstr (etag2, ==, etag);

  /* PUT the same JPEG on another student. */
  target_id = find_student (f, CO_CARD_STATUS_REPORTED_LOST);
  updated = co_client_put_photo_finish (f->client,
                                        AWAIT (f, co_client_put_photo, f->client, target_id, jpeg, NULL),
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpstr (co_student_get_photo_etag (updated), ==, etag);

  /* Not a JPEG: 422 "body". */
  junk = g_bytes_new_static ("GIF89a....", 10);
  refused = co_client_put_photo_finish (f->client,
                                        AWAIT (f, co_client_put_photo, f->client, target_id, junk, NULL),
                                        &error);
  assert_validation (error, "body");
  g_clear_error (&error);

  /* Over 1 MiB: 413. */
  big = g_malloc0 (1024 * 1024 + 10);
  big[0] = 0xff, big[1] = 0xd8, big[2] = 0xff;
  huge = g_bytes_new_take (g_steal_pointer (&big), 1024 * 1024 + 10);
  g_assert_null (co_client_put_photo_finish (f->client,
                                             AWAIT (f, co_client_put_photo, f->client, target_id, huge, NULL),
                                             &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* Another school's student: 404. */
  other = foreign_student (f);
  g_assert_false (co_client_get_photo_finish (f->client, AWAIT (f, co_client_get_photo, f->client, other, NULL),
                                              NULL, NULL, &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND);
}

static void
test_corrections (Fixture       *f,
                  gconstpointer  data)
{
  CoCorrection correction = CO_CORRECTION_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;
  g_autoptr(CoStudent) refused = NULL;
  g_autofree char *edu_id = NULL;
  g_autofree char *other = NULL;

  SKIP_WITHOUT_SERVER (f);

  edu_id = find_student (f, CO_CARD_STATUS_ACTIVE);
  correction.name = "欧阳更正";
  correction.class_name = "9班";
  student = co_client_correct_student_finish (f->client,
                                              AWAIT (f, co_client_correct_student, f->client, edu_id,
                                                     &correction, NULL),
                                              &error);
  g_assert_no_error (error);
  g_assert_cmpstr (co_student_get_name (student), ==, "欧阳更正");
  g_assert_cmpstr (co_student_get_class_name (student), ==, "9班");

  correction = (CoCorrection) CO_CORRECTION_INIT;
  correction.grade = 13;
  refused = co_client_correct_student_finish (f->client,
                                              AWAIT (f, co_client_correct_student, f->client, edu_id,
                                                     &correction, NULL),
                                              &error);
  assert_validation (error, "grade");
  g_clear_error (&error);

  correction = (CoCorrection) CO_CORRECTION_INIT;
  g_assert_null (co_client_correct_student_finish (f->client,
                                                   AWAIT (f, co_client_correct_student, f->client, edu_id,
                                                          &correction, NULL),
                                                   &error));
  assert_validation (error, "body");
  g_clear_error (&error);

  other = foreign_student (f);
  correction.name = "别校学生";
  g_assert_null (co_client_correct_student_finish (f->client,
                                                   AWAIT (f, co_client_correct_student, f->client, other,
                                                          &correction, NULL),
                                                   &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND);
}

/* Tests: loss */

static void
test_loss (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) lost = NULL;
  g_autoptr(CoStudent) lifted = NULL;
  g_autoptr(CoStudent) refused = NULL;
  g_autofree char *edu_id = NULL;
  g_autofree char *no_card = NULL;
  g_autofree char *other = NULL;

  SKIP_WITHOUT_SERVER (f);

  edu_id = find_student (f, CO_CARD_STATUS_ACTIVE);
  lost = report_loss (f, edu_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_student_get_card_status (lost), ==, CO_CARD_STATUS_REPORTED_LOST);

  refused = report_loss (f, edu_id, NULL, &error);
  assert_conflict (error, CO_REASON_CARD_ALREADY_LOST);
  g_clear_error (&error);

  lifted = lift_loss (f, edu_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_student_get_card_status (lifted), ==, CO_CARD_STATUS_ACTIVE);

  g_assert_null (lift_loss (f, edu_id, &error));
  assert_conflict (error, CO_REASON_CARD_NOT_LOST);
  g_clear_error (&error);

  no_card = find_student_without_card (f);
  g_assert_null (report_loss (f, no_card, NULL, &error));
  assert_conflict (error, CO_REASON_CARD_NOT_ISSUED);
  g_clear_error (&error);

  g_assert_null (report_loss (f, "99999998", NULL, &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  other = foreign_student (f);
  g_assert_null (report_loss (f, other, NULL, &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (lift_loss (f, other, &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND);
}

static void
test_idempotent_repeat (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) first = NULL;
  g_autoptr(CoStudent) second = NULL;
  g_autoptr(CoStudent) other_op = NULL;
  g_autofree char *edu_id = NULL;
  g_autofree char *key = g_uuid_string_random ();

  SKIP_WITHOUT_SERVER (f);

  edu_id = find_student (f, CO_CARD_STATUS_ACTIVE);
  first = report_loss (f, edu_id, key, &error);
  g_assert_no_error (error);

  /* Again with the same key: the first answer, not card_already_lost. */
  second = report_loss (f, edu_id, key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_student_get_card_status (second), ==, CO_CARD_STATUS_REPORTED_LOST);
  g_assert_cmpstr (co_student_get_card_no (second), ==, co_student_get_card_no (first));
  g_assert_cmpstr (co_student_get_uid (second), ==, co_student_get_uid (first));

  /* One effect. */
  g_assert_cmpuint (count_audit (f, edu_id, "report_loss"), ==, 1);

  /* The same key for another request is a client bug. */
  other_op = co_client_lift_loss_finish (f->client,
                                         AWAIT (f, co_client_lift_loss, f->client, edu_id, key),
                                         &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_INVALID_REQUEST);
  g_assert_cmpstr (co_client_error_get_wire_code (error), ==, "idempotency_mismatch");
}

/* Tests: cards */

static void
test_card_lookup (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;
  g_autoptr(CoCardLookup) lookup = NULL;
  g_autoptr(CoCardLookup) lower = NULL;
  g_autofree char *edu_id = NULL;
  g_autofree char *uid_lower = NULL;

  SKIP_WITHOUT_SERVER (f);

  edu_id = find_student (f, CO_CARD_STATUS_ACTIVE);
  student = get_student (f, edu_id, &error);
  g_assert_no_error (error);

  lookup = co_client_lookup_card_finish (f->client,
                                         AWAIT (f, co_client_lookup_card, f->client,
                                                co_student_get_uid (student)),
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpstr (co_card_get_card_no (lookup->card), ==, co_student_get_card_no (student));
  g_assert_cmpstr (co_card_get_edu_id (lookup->card), ==, edu_id);
  g_assert_cmpint (co_card_get_status (lookup->card), ==, CO_CARD_STATUS_ACTIVE);
  g_assert_cmpstr (co_student_get_edu_id (lookup->student), ==, edu_id);

  uid_lower = g_ascii_strdown (co_student_get_uid (student), -1);
  lower = co_client_lookup_card_finish (f->client,
                                        AWAIT (f, co_client_lookup_card, f->client, uid_lower), &error);
  g_assert_no_error (error);

  g_assert_null (co_client_lookup_card_finish (f->client,
                                               AWAIT (f, co_client_lookup_card, f->client, "DEADBEEF00"),
                                               &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (co_client_lookup_card_finish (f->client,
                                               AWAIT (f, co_client_lookup_card, f->client, "xyz"),
                                               &error));
  g_assert_true (g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_VALIDATION) ||
                 g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND));
}

static void
test_hand_out_new_card (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;
  g_autoptr(CoStudent) handed = NULL;
  g_autofree char *edu_id = NULL;

  SKIP_WITHOUT_SERVER (f);

  /* 新制卡: not issued until handed out. */
  edu_id = find_student (f, CO_CARD_STATUS_NOT_ISSUED);
  student = get_student (f, edu_id, &error);
  g_assert_no_error (error);
  handed = co_client_hand_out_finish (f->client,
                                      AWAIT (f, co_client_hand_out, f->client,
                                             co_student_get_card_no (student), NULL),
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_student_get_card_status (handed), ==, CO_CARD_STATUS_ACTIVE);

  g_assert_null (co_client_hand_out_finish (f->client,
                                            AWAIT (f, co_client_hand_out, f->client, "0000000000000000", NULL),
                                            &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An active card without a reissue has nothing to hand out. */
  g_assert_null (co_client_hand_out_finish (f->client,
                                            AWAIT (f, co_client_hand_out, f->client,
                                                   co_student_get_card_no (handed), NULL),
                                            &error));
  assert_conflict (error, CO_REASON_NO_REISSUE);
}

/* Tests: reissues */

static void
test_reissue_refusals (Fixture       *f,
                       gconstpointer  data)
{
  CoReissueRequest request = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) lost = NULL;
  g_autoptr(CoReissue) reissue = NULL;
  g_autofree char *edu_id = NULL;
  g_autofree char *other = NULL;

  SKIP_WITHOUT_SERVER (f);

  edu_id = find_student (f, CO_CARD_STATUS_ACTIVE);
  request.edu_id = edu_id;
  request.delivery = CO_DELIVERY_SCHOOL;
  request.courier_fee_fen = -1;

  /* Report the loss first. */
  g_assert_null (apply_reissue (f, &request, &error));
  assert_conflict (error, CO_REASON_CARD_NOT_LOST);
  g_clear_error (&error);

  lost = report_loss (f, edu_id, NULL, &error);
  g_assert_no_error (error);

  /* Home delivery needs an address, a recipient, a phone and a fee under the cap. */
  request.delivery = CO_DELIVERY_HOME;
  g_assert_null (apply_reissue (f, &request, &error));
  assert_conflict (error, CO_REASON_ADDRESS_MISSING);
  g_assert_cmpstr (co_client_error_get_field (error), ==, "address");
  g_clear_error (&error);

  request.address = "北京市海淀区学院路1号";
  g_assert_null (apply_reissue (f, &request, &error));
  assert_conflict (error, CO_REASON_RECIPIENT_MISSING);
  g_clear_error (&error);

  request.recipient = "欧阳娜娜";
  request.phone = "12345";
  g_assert_null (apply_reissue (f, &request, &error));
  assert_conflict (error, CO_REASON_PHONE_INVALID);
  g_assert_cmpstr (co_client_error_get_field (error), ==, "phone");
  g_clear_error (&error);

  request.phone = "13800138000";
  request.courier_fee_fen = 1600;
  g_assert_null (apply_reissue (f, &request, &error));
  assert_conflict (error, CO_REASON_COURIER_FEE_OVER_CAP);
  g_clear_error (&error);

  /* School delivery is suspended in the winter holiday. */
  set_clock (f, "2026-02-02");
  request = (CoReissueRequest) { .edu_id = edu_id, .delivery = CO_DELIVERY_SCHOOL, .courier_fee_fen = -1 };
  g_assert_null (apply_reissue (f, &request, &error));
  assert_conflict (error, CO_REASON_SCHOOL_HOLIDAY);
  g_clear_error (&error);
  set_clock (f, "2026-03-20");

  /* A wrong type is 422: a negative fee. */
  request.courier_fee_fen = -1;
  reissue = apply_reissue (f, &request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_reissue_get_status (reissue), ==, CO_REISSUE_STATUS_PENDING_PAYMENT);
  g_assert_cmpint (co_reissue_get_fee_fen (reissue), ==, CO_REISSUE_FEE_FEN);

  /* One open reissue at a time. */
  g_clear_object (&reissue);
  g_assert_null (apply_reissue (f, &request, &error));
  assert_conflict (error, CO_REASON_REISSUE_OPEN);
  g_clear_error (&error);

  other = foreign_student (f);
  request.edu_id = other;
  g_assert_null (apply_reissue (f, &request, &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND);
}

static void
test_reissue_school_lifecycle (Fixture       *f,
                               gconstpointer  data)
{
  CoReissueRequest request = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) before = NULL;
  g_autoptr(CoStudent) lost = NULL;
  g_autoptr(CoStudent) collected = NULL;
  g_autoptr(CoReissue) reissue = NULL;
  g_autoptr(CoReissue) fetched = NULL;
  g_autoptr(CoReissue) paid = NULL;
  g_autoptr(CoReissue) producing = NULL;
  g_autoptr(CoReissue) ready = NULL;
  g_autoptr(CoPayment) payment = NULL;
  g_autoptr(CoPayment) resumed = NULL;
  g_autoptr(CoCardLookup) old_card = NULL;
  g_autofree char *edu_id = NULL;
  g_autofree char *id = NULL;

  SKIP_WITHOUT_SERVER (f);

  edu_id = find_student (f, CO_CARD_STATUS_ACTIVE);
  before = get_student (f, edu_id, &error);
  lost = report_loss (f, edu_id, NULL, &error);
  g_assert_no_error (error);

  request = (CoReissueRequest) { .edu_id = edu_id, .delivery = CO_DELIVERY_SCHOOL, .courier_fee_fen = -1 };
  reissue = apply_reissue (f, &request, &error);
  g_assert_no_error (error);
  id = g_strdup (co_reissue_get_id (reissue));

  fetched = co_client_get_reissue_finish (f->client, AWAIT (f, co_client_get_reissue, f->client, id),
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpstr (co_reissue_get_edu_id (fetched), ==, edu_id);

  /* 缴费: a QR code, the same one again while unexpired. */
  payment = co_client_request_payment_finish (f->client,
                                              AWAIT (f, co_client_request_payment, f->client, id, NULL),
                                              &error);
  g_assert_no_error (error);
  g_assert_cmpint (payment->amount_fen, ==, CO_REISSUE_FEE_FEN);
  g_assert_nonnull (payment->code_url);
  resumed = co_client_request_payment_finish (f->client,
                                              AWAIT (f, co_client_request_payment, f->client, id, NULL),
                                              &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resumed->code_url, ==, payment->code_url);

  /* Not paid yet: no refund. */
  g_assert_null (co_client_refund_finish (f->client, AWAIT (f, co_client_refund, f->client, id, NULL),
                                          &error));
  assert_conflict (error, CO_REASON_NOT_PAID);
  g_clear_error (&error);

  paid = dev_step (f, reissue, CO_CLIENT_DEV_PAY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_reissue_get_status (paid), ==, CO_REISSUE_STATUS_PAID);
  g_assert_nonnull (co_reissue_get_paid_at (paid));
  g_assert_nonnull (co_reissue_get_due_on (paid));

  g_assert_null (co_client_request_payment_finish (f->client,
                                                   AWAIT (f, co_client_request_payment, f->client, id, NULL),
                                                   &error));
  assert_conflict (error, CO_REASON_ALREADY_PAID);
  g_clear_error (&error);

  g_assert_null (co_client_withdraw_finish (f->client, AWAIT (f, co_client_withdraw, f->client, id, NULL),
                                            &error));
  assert_conflict (error, CO_REASON_WITHDRAW_NEEDS_REFUND);
  g_clear_error (&error);

  producing = dev_step (f, reissue, CO_CLIENT_DEV_START_PRODUCTION, &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_reissue_get_status (producing), ==, CO_REISSUE_STATUS_IN_PRODUCTION);

  /* 制卡中: too late for a refund. */
  g_assert_null (co_client_refund_finish (f->client, AWAIT (f, co_client_refund, f->client, id, NULL),
                                          &error));
  assert_conflict (error, CO_REASON_IN_PRODUCTION);
  g_clear_error (&error);

  ready = dev_step (f, reissue, CO_CLIENT_DEV_FINISH_PRODUCTION, &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_reissue_get_status (ready), ==, CO_REISSUE_STATUS_AWAITING_PICKUP);

  g_assert_null (dev_step (f, reissue, CO_CLIENT_DEV_DELIVER, &error));
  assert_conflict (error, CO_REASON_SCHOOL_DELIVERY);
  g_clear_error (&error);

  /* 领卡 at the desk: a new card, the old one cancelled for good. */
  collected = co_client_hand_out_finish (f->client,
                                         AWAIT (f, co_client_hand_out, f->client,
                                                co_student_get_card_no (lost), NULL),
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_student_get_card_status (collected), ==, CO_CARD_STATUS_ACTIVE);
  g_assert_cmpstr (co_student_get_card_no (collected), !=, co_student_get_card_no (before));
  g_assert_cmpstr (co_student_get_bjt_no (collected), ==, co_student_get_bjt_no (before));

  old_card = co_client_lookup_card_finish (f->client,
                                           AWAIT (f, co_client_lookup_card, f->client,
                                                  co_student_get_uid (before)),
                                           &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_card_get_status (old_card->card), ==, CO_CARD_STATUS_CANCELLED);
  g_assert_cmpstr (co_student_get_card_no (old_card->student), ==, co_student_get_card_no (collected));

  g_assert_null (co_client_get_reissue_finish (f->client,
                                               AWAIT (f, co_client_get_reissue, f->client, "999999"),
                                               &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND);
}

static void
test_reissue_refund_and_withdraw (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoReissue) paid = NULL;
  g_autoptr(CoReissue) refunded = NULL;
  g_autoptr(CoReissue) pending = NULL;
  g_autoptr(CoReissue) withdrawn = NULL;
  g_autoptr(CoStudent) after_refund = NULL;
  g_autoptr(CoStudent) lifted = NULL;
  g_autoptr(CoStudent) after_withdraw = NULL;

  SKIP_WITHOUT_SERVER (f);

  /* 退费 while paid: refunded (the application withdrawn); the loss report
   * stays until the desk lifts it, then the old card works again. */
  paid = find_reissue (f, CO_REISSUE_STATUS_PAID, CO_DELIVERY_SCHOOL);
  refunded = co_client_refund_finish (f->client,
                                      AWAIT (f, co_client_refund, f->client, co_reissue_get_id (paid), NULL),
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_reissue_get_status (refunded), ==, CO_REISSUE_STATUS_REFUNDED);
  after_refund = get_student (f, co_reissue_get_edu_id (paid), &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_student_get_card_status (after_refund), ==, CO_CARD_STATUS_REPORTED_LOST);
  lifted = lift_loss (f, co_reissue_get_edu_id (paid), &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_student_get_card_status (lifted), ==, CO_CARD_STATUS_ACTIVE);

  g_assert_null (co_client_refund_finish (f->client,
                                          AWAIT (f, co_client_refund, f->client, co_reissue_get_id (paid), NULL),
                                          &error));
  assert_conflict (error, CO_REASON_REISSUE_CLOSED);
  g_clear_error (&error);

  /* 撤销申请 while pending: withdrawn, the card stays reported lost. */
  pending = find_reissue (f, CO_REISSUE_STATUS_PENDING_PAYMENT, CO_DELIVERY_SCHOOL);
  withdrawn = co_client_withdraw_finish (f->client,
                                         AWAIT (f, co_client_withdraw, f->client, co_reissue_get_id (pending), NULL),
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_reissue_get_status (withdrawn), ==, CO_REISSUE_STATUS_WITHDRAWN);
  after_withdraw = get_student (f, co_reissue_get_edu_id (pending), &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_student_get_card_status (after_withdraw), ==, CO_CARD_STATUS_REPORTED_LOST);

  g_assert_null (co_client_withdraw_finish (f->client,
                                            AWAIT (f, co_client_withdraw, f->client, co_reissue_get_id (pending), NULL),
                                            &error));
  assert_conflict (error, CO_REASON_REISSUE_CLOSED);
}

static void
test_reissue_home_lifecycle (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoReissue) in_production = NULL;
  g_autoptr(CoReissue) shipped = NULL;
  g_autoptr(CoReissue) delivered = NULL;
  g_autoptr(CoStudent) student = NULL;

  SKIP_WITHOUT_SERVER (f);

  in_production = find_reissue (f, CO_REISSUE_STATUS_IN_PRODUCTION, CO_DELIVERY_HOME);
  shipped = dev_step (f, in_production, CO_CLIENT_DEV_FINISH_PRODUCTION, &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_reissue_get_status (shipped), ==, CO_REISSUE_STATUS_SHIPPED);
  g_assert_nonnull (co_reissue_get_courier_no (shipped));

  /* Home delivery is not handed out at the desk. */
  student = get_student (f, co_reissue_get_edu_id (shipped), &error);
  g_assert_no_error (error);
  g_assert_null (co_client_hand_out_finish (f->client,
                                            AWAIT (f, co_client_hand_out, f->client,
                                                   co_student_get_card_no (student), NULL),
                                            &error));
  assert_conflict (error, CO_REASON_HOME_DELIVERY);
  g_clear_error (&error);

  delivered = dev_step (f, shipped, CO_CLIENT_DEV_DELIVER, &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_reissue_get_status (delivered), ==, CO_REISSUE_STATUS_COLLECTED);
}

static void
test_list_reissues (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) paid = NULL;
  g_autofree char *cursor = NULL;

  SKIP_WITHOUT_SERVER (f);

  all = co_client_list_reissues_finish (f->client,
                                        AWAIT (f, co_client_list_reissues, f->client, CO_REISSUE_STATUS_NONE,
                                               NULL, NULL, 10),
                                        &cursor, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 10);
  g_assert_nonnull (cursor);

  paid = co_client_list_reissues_finish (f->client,
                                         AWAIT (f, co_client_list_reissues, f->client, CO_REISSUE_STATUS_PAID,
                                                NULL, NULL, 1000),
                                         NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (paid), >, 0);
}

static void
test_audit (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) lost = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(CoAuditEntry) entry = NULL;
  g_autofree char *edu_id = NULL;

  SKIP_WITHOUT_SERVER (f);

  edu_id = find_student (f, CO_CARD_STATUS_ACTIVE);
  lost = report_loss (f, edu_id, NULL, &error);
  g_assert_no_error (error);

  model = co_client_list_audit_finish (f->client,
                                       AWAIT (f, co_client_list_audit, f->client, edu_id, NULL, NULL, NULL, 0),
                                       NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 1);
  entry = g_list_model_get_item (model, 0);
  g_assert_cmpstr (co_audit_entry_get_action (entry), ==, "report_loss");
  g_assert_cmpstr (co_audit_entry_get_staff (entry), ==, "demo");
  g_assert_cmpstr (co_audit_entry_get_edu_id (entry), ==, edu_id);
  g_assert_nonnull (co_audit_entry_get_before (entry));
  g_assert_nonnull (co_audit_entry_get_after (entry));
}

static void
test_roster (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoRosterDelta) page = NULL;
  g_autoptr(CoRosterDelta) bad = NULL;

  SKIP_WITHOUT_SERVER (f);

  page = co_client_fetch_roster_finish (f->client, AWAIT (f, co_client_fetch_roster, f->client, NULL, 100),
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->students->len, ==, 100);
  g_assert_true (page->has_more);

  bad = co_client_fetch_roster_finish (f->client,
                                       AWAIT (f, co_client_fetch_roster, f->client, "not-a-cursor", 100),
                                       &error);
  assert_validation (error, "since");
}

static void
test_dev_students (Fixture       *f,
                   gconstpointer  data)
{
  CoDevStudent request = { .name = "新同学", .gender = CO_GENDER_MALE, .grade = 1,
                           .class_name = "1班", .entry = CO_ENTRY_NEW_ENTRANT, .card = "not_issued" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) created = NULL;
  g_autoptr(CoStudent) gone = NULL;

  SKIP_WITHOUT_SERVER (f);

  created = co_client_dev_create_student_finish (f->client,
                                                 AWAIT (f, co_client_dev_create_student, f->client,
                                                        &request, NULL),
                                                 &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_student_get_card_status (created), ==, CO_CARD_STATUS_NOT_ISSUED);

  g_assert_true (co_client_dev_remove_student_finish (f->client,
                                                      AWAIT (f, co_client_dev_remove_student, f->client,
                                                             co_student_get_edu_id (created), NULL),
                                                      &error));
  g_assert_no_error (error);
  gone = get_student (f, co_student_get_edu_id (created), &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoRosterDelta) page = NULL;

  SKIP_WITHOUT_SERVER (f);

  co_client_fetch_roster_async (f->client, NULL, 5000, cancellable, store_result_cb, &result);
  g_cancellable_cancel (cancellable);
  page = co_client_fetch_roster_finish (f->client, wait_for_result (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int    argc,
      char **argv)
{
  test_server_parse_args (&argc, argv);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/core/api-client/contract/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

  ADD ("sign-in", test_sign_in);
  ADD ("sign-in-throttled", test_sign_in_throttled);
  ADD ("sign-out", test_sign_out);
  g_test_add ("/core/api-client/contract/token-expired", Fixture, NULL,
              fixture_set_up_short_token, test_token_expired, fixture_tear_down);
  ADD ("school", test_school);
  ADD ("students/list", test_list_students);
  ADD ("students/get", test_get_student);
  ADD ("students/photo", test_photo);
  ADD ("students/corrections", test_corrections);
  ADD ("loss", test_loss);
  ADD ("idempotent-repeat", test_idempotent_repeat);
  ADD ("cards/lookup", test_card_lookup);
  ADD ("cards/hand-out-new", test_hand_out_new_card);
  ADD ("reissues/refusals", test_reissue_refusals);
  ADD ("reissues/school-lifecycle", test_reissue_school_lifecycle);
  ADD ("reissues/refund-and-withdraw", test_reissue_refund_and_withdraw);
  ADD ("reissues/home-lifecycle", test_reissue_home_lifecycle);
  ADD ("reissues/list", test_list_reissues);
  ADD ("audit", test_audit);
  ADD ("roster", test_roster);
  ADD ("dev-students", test_dev_students);
  ADD ("cancel", test_cancel);

  return g_test_run ();
}
