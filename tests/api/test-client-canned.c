/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoClient against canned answers (canned-server.c): malformed JSON, a
 * truncated body, wrong types, a huge body, a server that never answers,
 * a refused connection, each error status, retries, cancellation, an
 * expired token and TLS. Each gives one specific error and never a crash.
 */
#define G_LOG_DOMAIN "test-client"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "co-client.h"
#include "canned-server.h"
#include "test-fixtures.h"

typedef struct
{
  CannedServer *server;
  CoClient     *client;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = canned_server_new ();
  f->client = co_client_new (canned_server_get_url (f->server));
  co_client_set_token (f->client, "t0");
  co_client_set_timeout (f->client, 5);
  co_client_set_retry_policy (f->client, 3, 10, 50);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->client);
  g_clear_pointer (&f->server, canned_server_free);
}

static CoStudent *
get_student (Fixture  *f,
             GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  co_client_get_student_async (f->client, "10000001", NULL, store_result_cb, &result);
  return co_client_get_student_finish (f->client, wait_for_result (&result), error);
}

static CoStudent *
report_loss (Fixture     *f,
             const char  *key,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  co_client_report_loss_async (f->client, "10000001", key, NULL, store_result_cb, &result);
  return co_client_report_loss_finish (f->client, wait_for_result (&result), error);
}

static void
assert_message_has (const GError *error,
                    const char   *part)
{
  if (strstr (error->message, part) == NULL)
    g_error ("expected “%s” in “%s”", part, error->message);
}

/* Success */

static void
test_ok (Fixture       *f,
         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *accept = NULL;

  canned_server_push_json (f->server, 200, NULL, STUDENT_JSON ("10000001", "active"));
  student = get_student (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (co_student_get_edu_id (student), ==, "10000001");
  g_assert_cmpint (co_student_get_card_status (student), ==, CO_CARD_STATUS_ACTIVE);

  g_assert_cmpuint (canned_server_get_n_requests (f->server), ==, 1);
  g_assert_true (g_str_has_prefix (canned_server_get_request (f->server, 0),
                                   "GET /api/v1/students/10000001 HTTP/1.1"));
  auth = canned_server_get_header (f->server, 0, "Authorization");
  g_assert_cmpstr (auth, ==, "Bearer t0");
  accept = canned_server_get_header (f->server, 0, "Accept");
  g_assert_cmpstr (accept, ==, "application/json");
}

/* Broken answers */

static void
test_malformed_json (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;

  canned_server_push_json (f->server, 200, NULL, "{\"edu_id\": \"10000001\", \"name\": ");
  student = get_student (f, &error);
  g_assert_null (student);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL);
  assert_message_has (error, "malformed JSON");
  /* Not retried: the same answer would come again. */
  g_assert_cmpuint (canned_server_get_n_requests (f->server), ==, 1);
}

static void
test_truncated_body (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;

  co_client_set_retry_policy (f->client, 1, 10, 10);
  canned_server_push (f->server, CANNED_REPLY,
                      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      "Content-Length: 1000\r\n\r\n{\"edu_id\": \"100");
  student = get_student (f, &error);
  g_assert_null (student);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NETWORK);
  assert_message_has (error, "truncated");
}

static void
test_truncated_body_retried (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;

  /* A read that broke off is read again. */
  canned_server_push (f->server, CANNED_REPLY,
                      "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"edu_id\"");
  canned_server_push_json (f->server, 200, NULL, STUDENT_JSON ("10000001", "active"));
  student = get_student (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (student);
  g_assert_cmpuint (canned_server_get_n_requests (f->server), ==, 2);
}

static void
test_wrong_types (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;
  g_autoptr(GString) body = g_string_new (STUDENT_JSON ("10000001", "active"));

  /* "grade": "3" instead of 3 */
  g_assert_cmpuint (g_string_replace (body, "\"grade\":3,", "\"grade\":\"3\",", 1), ==, 1);

  canned_server_push_json (f->server, 200, NULL, body->str);
  student = get_student (f, &error);
  g_assert_null (student);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL);
  assert_message_has (error, "grade: expected integer, got string");
}

static void
test_wrong_types_roster (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoRosterDelta) page = NULL;
  g_autoptr(GString) body = g_string_new ("{\"students\":[");

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *student = g_strdup (STUDENT_JSON ("10000001", "active"));

      if (i == 3)
        {
          char *status = strstr (student, "\"status\":\"active\"");
          memcpy (status, "\"status\":  true  ", strlen ("\"status\":\"active\""));
        }
      g_string_append_printf (body, "%s%s", i ? "," : "", student);
    }
  g_string_append (body, "],\"removed\":[],\"next_cursor\":\"c\",\"has_more\":false}");

  canned_server_push_json (f->server, 200, NULL, body->str);
  co_client_fetch_roster_async (f->client, NULL, 0, NULL, store_result_cb, &result);
  page = co_client_fetch_roster_finish (f->client, wait_for_result (&result), &error);
  g_assert_null (page);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL);
  assert_message_has (error, "students[3].card.status: expected string");
}

static void
test_empty_and_binary (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;

  canned_server_push_json (f->server, 200, NULL, "");
  student = get_student (f, &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL);
  assert_message_has (error, "empty answer");
  g_clear_error (&error);

  canned_server_push_json (f->server, 200, NULL, "\x89PNG\r\n\x1a\n\xff\xfe");
  student = get_student (f, &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL);
  assert_message_has (error, "not UTF-8");
}

static void
test_huge_declared (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;

  /* Refused from the header alone: nothing is read. */
  canned_server_push (f->server, CANNED_REPLY,
                      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      "Content-Length: 900000000\r\n\r\n{\"students\": [");
  student = get_student (f, &error);
  g_assert_null (student);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL);
  assert_message_has (error, "larger than 67108864 bytes");
}

static void
test_huge_streamed (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;

  /* No length: the cap stops an endless body (1 MiB here to be quick). */
  co_client_set_max_body_size (f->client, 1024 * 1024);
  canned_server_push (f->server, CANNED_ENDLESS, NULL);
  student = get_student (f, &error);
  g_assert_null (student);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_PROTOCOL);
  assert_message_has (error, "larger than 1048576 bytes");
}

static void
test_never_answers (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;
  gint64 start = g_get_monotonic_time ();

  co_client_set_timeout_ms (f->client, 300);
  co_client_set_retry_policy (f->client, 2, 10, 10);
  canned_server_push (f->server, CANNED_NEVER, NULL);
  student = get_student (f, &error);
  g_assert_null (student);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_TIMEOUT);
  /* A read: tried twice, 300 ms each. */
  g_assert_cmpuint (canned_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 600 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_connection_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CoClient) client = NULL;
  g_autoptr(CoStudent) student = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autofree char *url = NULL;

  /* A port that was just free: closed again, nobody listens. */
  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  g_socket_listener_close (listener);

  client = co_client_new (url);
  co_client_set_retry_policy (client, 2, 10, 10);
  co_client_get_student_async (client, "10000001", NULL, store_result_cb, &result);
  student = co_client_get_student_finish (client, wait_for_result (&result), &error);
  g_assert_null (student);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NETWORK);
  g_assert_true (co_client_error_is_transient (error));
}

/* Error statuses */

static void
test_status_mapping (Fixture       *f,
                     gconstpointer  data)
{
  static const struct {
    guint          status;
    const char    *headers;
    const char    *body;
    CoClientError  code;
    CoReason       reason;
    const char    *field;
    const char    *wire_code;
  } cases[] = {
    { 400, NULL, "{\"error\":{\"code\":\"bad_request\",\"message\":\"x\"}}",
      CO_CLIENT_ERROR_INVALID_REQUEST, CO_REASON_NONE, NULL, "bad_request" },
    { 401, NULL, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"x\"}}",
      CO_CLIENT_ERROR_UNAUTHORIZED, CO_REASON_NONE, NULL, "unauthorized" },
    { 403, NULL, "{\"error\":{\"code\":\"forbidden\",\"message\":\"x\"}}",
      CO_CLIENT_ERROR_FORBIDDEN, CO_REASON_NONE, NULL, "forbidden" },
    { 404, NULL, "{\"error\":{\"code\":\"not_found\",\"message\":\"x\"}}",
      CO_CLIENT_ERROR_NOT_FOUND, CO_REASON_NONE, NULL, "not_found" },
    { 405, "Allow: GET\r\n", "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"x\"}}",
      CO_CLIENT_ERROR_INVALID_REQUEST, CO_REASON_NONE, NULL, "method_not_allowed" },
    { 409, NULL, "{\"error\":{\"code\":\"in_production\",\"message\":\"x\"}}",
      CO_CLIENT_ERROR_CONFLICT, CO_REASON_IN_PRODUCTION, NULL, "in_production" },
    { 409, NULL, "{\"error\":{\"code\":\"phone_invalid\",\"message\":\"x\",\"field\":\"phone\"}}",
      CO_CLIENT_ERROR_CONFLICT, CO_REASON_PHONE_INVALID, "phone", "phone_invalid" },
    { 409, NULL, "{\"error\":{\"code\":\"some_new_rule\",\"message\":\"x\"}}",
      CO_CLIENT_ERROR_CONFLICT, CO_REASON_NONE, NULL, "some_new_rule" },
    { 413, NULL, "{\"error\":{\"code\":\"payload_too_large\",\"message\":\"x\"}}",
      CO_CLIENT_ERROR_TOO_LARGE, CO_REASON_NONE, NULL, "payload_too_large" },
    { 415, NULL, "{\"error\":{\"code\":\"unsupported_media_type\",\"message\":\"x\"}}",
      CO_CLIENT_ERROR_INVALID_REQUEST, CO_REASON_NONE, NULL, "unsupported_media_type" },
    { 422, NULL, "{\"error\":{\"code\":\"invalid_field\",\"message\":\"x\",\"field\":\"grade\"}}",
      CO_CLIENT_ERROR_VALIDATION, CO_REASON_NONE, "grade", "invalid_field" },
    { 422, NULL, "{\"error\":{\"code\":\"idempotency_mismatch\",\"message\":\"x\"}}",
      CO_CLIENT_ERROR_INVALID_REQUEST, CO_REASON_NONE, NULL, "idempotency_mismatch" },
    { 429, "Retry-After: 120\r\n", "{\"error\":{\"code\":\"throttled\",\"message\":\"x\"}}",
      CO_CLIENT_ERROR_THROTTLED, CO_REASON_NONE, NULL, "throttled" },
    { 500, NULL, "{\"error\":{\"code\":\"internal\",\"message\":\"x\"}}",
      CO_CLIENT_ERROR_SERVER, CO_REASON_NONE, NULL, "internal" },
    { 502, NULL, "<html>Bad Gateway</html>",
      CO_CLIENT_ERROR_SERVER, CO_REASON_NONE, NULL, NULL },
    { 302, "Location: /elsewhere\r\n", "",
      CO_CLIENT_ERROR_PROTOCOL, CO_REASON_NONE, NULL, NULL },
  };

  co_client_set_retry_policy (f->client, 1, 10, 10);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CannedServer) server = canned_server_new ();
      g_autoptr(CoClient) client = co_client_new (canned_server_get_url (server));
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CoStudent) student = NULL;

      co_client_set_retry_policy (client, 1, 10, 10);
      canned_server_push_json (server, cases[i].status, cases[i].headers, cases[i].body);
      if (cases[i].status == 302)
        {
          /* Redirects are followed: a loop ends as a protocol error. */
          g_autofree char *raw = g_strdup_printf ("HTTP/1.1 302 Found\r\nLocation: %s/api/v1/students/10000001\r\n"
                                                  "Content-Length: 0\r\nConnection: close\r\n\r\n",
                                                  canned_server_get_url (server));
          canned_server_push (server, CANNED_REPLY, raw);
        }

      co_client_report_loss_async (client, "10000001", NULL, NULL, store_result_cb, &result);
      student = co_client_report_loss_finish (client, wait_for_result (&result), &error);

      g_assert_null (student);
      if (!g_error_matches (error, CO_CLIENT_ERROR, cases[i].code))
        g_error ("case %u (HTTP %u): got %s %d: %s", i, cases[i].status,
                 g_quark_to_string (error->domain), error->code, error->message);
      g_assert_cmpint (co_client_error_get_reason (error), ==, cases[i].reason);
      g_assert_cmpstr (co_client_error_get_field (error), ==, cases[i].field);
      g_assert_cmpstr (co_client_error_get_wire_code (error), ==, cases[i].wire_code);
      if (cases[i].status != 302)
        g_assert_cmpuint (co_client_error_get_http_status (error), ==, cases[i].status);
      if (cases[i].status == 429)
        g_assert_cmpuint (co_client_error_get_retry_after (error), ==, 120);

      /* The details survive a copy (GTask, signal marshalling...). */
      {
        g_autoptr(GError) copy = g_error_copy (error);

        g_assert_cmpint (co_client_error_get_reason (copy), ==, cases[i].reason);
        g_assert_cmpstr (co_client_error_get_field (copy), ==, cases[i].field);
      }

      /* Nothing personal in the message: the route pattern, not the ID. */
      g_assert_null (strstr (error->message, "10000001"));
    }
}

/* Retries */

static void
test_retry_server_error (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;
  g_autofree char *key0 = NULL;
  g_autofree char *key1 = NULL;
  g_autofree char *key2 = NULL;

  canned_server_push_json (f->server, 503, NULL, "{\"error\":{\"code\":\"internal\",\"message\":\"x\"}}");
  canned_server_push_json (f->server, 502, NULL, "busy");
  canned_server_push_json (f->server, 200, NULL, STUDENT_JSON ("10000001", "reported_lost"));

  student = report_loss (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_student_get_card_status (student), ==, CO_CARD_STATUS_REPORTED_LOST);
  g_assert_cmpuint (canned_server_get_n_requests (f->server), ==, 3);

  /* A write is retried with the same Idempotency-Key: one effect. */
  key0 = canned_server_get_header (f->server, 0, "Idempotency-Key");
  key1 = canned_server_get_header (f->server, 1, "Idempotency-Key");
  key2 = canned_server_get_header (f->server, 2, "Idempotency-Key");
  g_assert_nonnull (key0);
  g_assert_true (g_uuid_string_is_valid (key0));
  g_assert_cmpstr (key0, ==, key1);
  g_assert_cmpstr (key0, ==, key2);
}

static void
test_retry_bounded (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;

  canned_server_push_json (f->server, 503, NULL, "{\"error\":{\"code\":\"internal\",\"message\":\"x\"}}");
  student = get_student (f, &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_SERVER);
  g_assert_cmpuint (canned_server_get_n_requests (f->server), ==, 3);
}

static void
test_own_idempotency_key (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;
  g_autofree char *key = NULL;

  canned_server_push_json (f->server, 200, NULL, STUDENT_JSON ("10000001", "reported_lost"));
  student = report_loss (f, "outbox-42", &error);
  g_assert_no_error (error);
  key = canned_server_get_header (f->server, 0, "Idempotency-Key");
  g_assert_cmpstr (key, ==, "outbox-42");
}

static void
test_retry_after (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;
  gint64 start = g_get_monotonic_time ();

  co_client_set_retry_policy (f->client, 3, 10, 2000);
  canned_server_push_json (f->server, 429, "Retry-After: 1\r\n",
                           "{\"error\":{\"code\":\"throttled\",\"message\":\"x\"}}");
  canned_server_push_json (f->server, 200, NULL, STUDENT_JSON ("10000001", "active"));
  student = get_student (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
}

static void
test_login_throttled (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Failed logins are counted by the server: never retried. */
  canned_server_push_json (f->server, 429, "Retry-After: 1\r\n",
                           "{\"error\":{\"code\":\"throttled\",\"message\":\"x\"}}");
  co_client_sign_in_async (f->client, "demo", "wrong", NULL, store_result_cb, &result);
  g_assert_false (co_client_sign_in_finish (f->client, wait_for_result (&result), &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_THROTTLED);
  g_assert_cmpuint (co_client_error_get_retry_after (error), ==, 1);
  g_assert_cmpuint (canned_server_get_n_requests (f->server), ==, 1);
  g_assert_null (strstr (canned_server_get_request (f->server, 0), "Idempotency-Key"));
}

static void
test_sign_in (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  canned_server_push_json (f->server, 200, NULL,
                           "{\"token\":\"tok-1\",\"expires_at\":\"2026-03-02T17:15:00+08:00\","
                           "\"username\":\"demo\",\"school_name\":\"北京市海淀区示范学校\"}");
  co_client_sign_in_async (f->client, "demo", "demo", NULL, store_result_cb, &result);
  g_assert_true (co_client_sign_in_finish (f->client, wait_for_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (co_client_get_token (f->client), ==, "tok-1");
  g_assert_cmpstr (co_client_get_username (f->client), ==, "demo");
  g_assert_cmpstr (co_client_get_school_name (f->client), ==, "北京市海淀区示范学校");
  g_assert_true (co_client_get_signed_in (f->client));
}

/* Cancellation */

static void
test_cancel_at_once (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;

  canned_server_push (f->server, CANNED_NEVER, NULL);
  co_client_get_student_async (f->client, "10000001", cancellable, store_result_cb, &result);
  g_cancellable_cancel (cancellable);
  student = co_client_get_student_finish (f->client, wait_for_result (&result), &error);
  g_assert_null (student);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_while_waiting (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;
  gint64 start = g_get_monotonic_time ();

  /* Cancelled during a long backoff: returns at once. */
  co_client_set_retry_policy (f->client, 3, 5000, 5000);
  canned_server_push_json (f->server, 503, NULL, "{}");
  co_client_get_student_async (f->client, "10000001", cancellable, store_result_cb, &result);
  g_timeout_add (200, cancel_cb, cancellable);
  student = co_client_get_student_finish (f->client, wait_for_result (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static void
test_invalid_argument (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;

  co_client_get_student_async (f->client, "../../etc", NULL, store_result_cb, &result);
  student = co_client_get_student_finish (f->client, wait_for_result (&result), &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_INVALID_REQUEST);
  g_assert_cmpstr (co_client_error_get_field (error), ==, "edu_id");
  g_assert_cmpuint (canned_server_get_n_requests (f->server), ==, 0);
}

/* Expired token */

static gboolean
set_token_later_cb (gpointer data)
{
  co_client_set_token (CO_CLIENT (data), "t1");
  return G_SOURCE_REMOVE;
}

static gboolean
on_token_expired_cb (CoClient *client,
                     gpointer  user_data)
{
  guint *count = user_data;

  (*count)++;
  g_timeout_add (50, set_token_later_cb, client);
  return TRUE;
}

static void
test_token_expired_retried (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result1 = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student1 = NULL;
  g_autoptr(CoStudent) student2 = NULL;
  g_autofree char *auth0 = NULL;
  g_autofree char *auth_last = NULL;
  guint count = 0;
  guint n;

  g_signal_connect (f->client, "token-expired", G_CALLBACK (on_token_expired_cb), &count);
  canned_server_push_json (f->server, 401, NULL, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"x\"}}");
  canned_server_push_json (f->server, 401, NULL, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"x\"}}");
  canned_server_push_json (f->server, 200, NULL, STUDENT_JSON ("10000001", "reported_lost"));

  /* Two requests meet the expired token: one sign-in serves both. */
  co_client_report_loss_async (f->client, "10000001", NULL, NULL, store_result_cb, &result1);
  co_client_report_loss_async (f->client, "10000001", NULL, NULL, store_result_cb, &result2);
  student1 = co_client_report_loss_finish (f->client, wait_for_result (&result1), &error);
  g_assert_no_error (error);
  student2 = co_client_report_loss_finish (f->client, wait_for_result (&result2), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);

  n = canned_server_get_n_requests (f->server);
  g_assert_cmpuint (n, ==, 4);
  auth0 = canned_server_get_header (f->server, 0, "Authorization");
  auth_last = canned_server_get_header (f->server, n - 1, "Authorization");
  g_assert_cmpstr (auth0, ==, "Bearer t0");
  g_assert_cmpstr (auth_last, ==, "Bearer t1");

  /* The same operation: the same key before and after the sign-in. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = canned_server_get_header (f->server, i, "Idempotency-Key");
      g_autofree char *key_i = NULL;

      if (strstr (canned_server_get_request (f->server, i), "Bearer t1") == NULL)
        continue;

      /* A resent request has the key of one of the first two. */
      for (guint j = 0; j < 2; j++)
        {
          g_free (key_i);
          key_i = canned_server_get_header (f->server, j, "Idempotency-Key");
          if (g_strcmp0 (key, key_i) == 0)
            break;
          g_clear_pointer (&key_i, g_free);
        }
      g_assert_nonnull (key_i);
    }
}

static void
test_token_expired_unhandled (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;

  canned_server_push_json (f->server, 401, NULL, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"x\"}}");
  student = get_student (f, &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (canned_server_get_n_requests (f->server), ==, 1);
}

static gboolean
on_token_expired_abandon_cb (CoClient *client,
                             gpointer  user_data)
{
  g_idle_add_once ((GSourceOnceFunc) co_client_abandon_sign_in, client);
  return TRUE;
}

static void
test_token_expired_abandoned (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStudent) student = NULL;

  g_signal_connect (f->client, "token-expired", G_CALLBACK (on_token_expired_abandon_cb), NULL);
  canned_server_push_json (f->server, 401, NULL, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"x\"}}");
  student = get_student (f, &error);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_UNAUTHORIZED);
}

/* TLS */

typedef struct
{
  SoupServer *server;
  char       *url;
} TlsServer;

static void
tls_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  const char *body = STUDENT_JSON ("10000001", "active");

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

static TlsServer *
tls_server_new (void)
{
  g_autofree char *cert_path = g_build_filename (TEST_DATA_DIR, "tls", "server.pem", NULL);
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  TlsServer *tls = g_new0 (TlsServer, 1);

  cert = g_tls_certificate_new_from_file (cert_path, &error);
  g_assert_no_error (error);

  tls->server = soup_server_new ("tls-certificate", cert, NULL);
  soup_server_add_handler (tls->server, NULL, tls_handler, NULL, NULL);
  soup_server_listen_local (tls->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                            &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (tls->server);
  tls->url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  return tls;
}

static void
tls_server_free (TlsServer *tls)
{
  soup_server_disconnect (tls->server);
  g_object_unref (tls->server);
  g_free (tls->url);
  g_free (tls);
}

static void
test_tls (void)
{
  TlsServer *tls;
  g_autofree char *ca = g_build_filename (TEST_DATA_DIR, "tls", "ca.pem", NULL);
  g_autofree char *other_ca = g_build_filename (TEST_DATA_DIR, "tls", "other-ca.pem", NULL);

  if (g_tls_backend_get_default () == NULL || !g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend (glib-networking)");
      return;
    }

  tls = tls_server_new ();

  /* Not trusted by the system: refused. */
  {
    g_autoptr(CoClient) client = co_client_new (tls->url);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(CoStudent) student = NULL;

    co_client_get_student_async (client, "10000001", NULL, store_result_cb, &result);
    student = co_client_get_student_finish (client, wait_for_result (&result), &error);
    g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_TLS);
    g_assert_false (co_client_error_is_transient (error));
  }

  /* Trusted through the extra CA file. */
  {
    g_autoptr(CoClient) client = co_client_new (tls->url);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(CoStudent) student = NULL;

    g_assert_true (co_client_set_ca_file (client, ca, &error));
    g_assert_no_error (error);
    co_client_get_student_async (client, "10000001", NULL, store_result_cb, &result);
    student = co_client_get_student_finish (client, wait_for_result (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (co_student_get_edu_id (student), ==, "10000001");
  }

  /* Another CA does not vouch for it. */
  {
    g_autoptr(CoClient) client = co_client_new (tls->url);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(CoStudent) student = NULL;

    g_assert_true (co_client_set_ca_file (client, other_ca, &error));
    co_client_get_student_async (client, "10000001", NULL, store_result_cb, &result);
    student = co_client_get_student_finish (client, wait_for_result (&result), &error);
    g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_TLS);
  }

  /* A missing CA file is an error at once. */
  {
    g_autoptr(CoClient) client = co_client_new (tls->url);
    g_autoptr(GError) error = NULL;

    g_assert_false (co_client_set_ca_file (client, "/nonexistent/ca.pem", &error));
    g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_TLS);
  }

  tls_server_free (tls);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/core/api-client/canned/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

  ADD ("ok", test_ok);
  ADD ("malformed-json", test_malformed_json);
  ADD ("truncated-body", test_truncated_body);
  ADD ("truncated-body-retried", test_truncated_body_retried);
  ADD ("wrong-types", test_wrong_types);
  ADD ("wrong-types-roster", test_wrong_types_roster);
  ADD ("empty-and-binary", test_empty_and_binary);
  ADD ("huge-declared", test_huge_declared);
  ADD ("huge-streamed", test_huge_streamed);
  ADD ("never-answers", test_never_answers);
  ADD ("connection-refused", test_connection_refused);
  ADD ("status-mapping", test_status_mapping);
  ADD ("retry/server-error", test_retry_server_error);
  ADD ("retry/bounded", test_retry_bounded);
  ADD ("retry/own-idempotency-key", test_own_idempotency_key);
  ADD ("retry/retry-after", test_retry_after);
  ADD ("login/throttled", test_login_throttled);
  ADD ("login/ok", test_sign_in);
  ADD ("cancel/at-once", test_cancel_at_once);
  ADD ("cancel/while-waiting", test_cancel_while_waiting);
  ADD ("invalid-argument", test_invalid_argument);
  ADD ("token-expired/retried", test_token_expired_retried);
  ADD ("token-expired/unhandled", test_token_expired_unhandled);
  ADD ("token-expired/abandoned", test_token_expired_abandoned);
  g_test_add_func ("/core/api-client/canned/tls", test_tls);

  return g_test_run ();
}
