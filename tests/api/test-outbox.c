/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The outbox against the reference server: check-ins made while the
 * server is down wait (nothing lost), are delivered once it is back (same
 * database, new port), exactly once each, a drain with nothing left sends
 * nothing, an answer lost after the server wrote does not double the
 * check-in (Idempotent-Replay), and another school's student is refused
 * for good (recorded on the row, not sent again).
 */
#define G_LOG_DOMAIN "test-outbox"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "co-client.h"
#include "co-outbox.h"
#include "co-store.h"
#include "test-fixtures.h"
#include "test-server.h"

#define EVENT "2026-spring-sports"

typedef struct
{
  GSubprocess *process;
  char        *url;
} Server;

/* The reference server on @db (kept when it stops), a new port. */
static Server *
server_start (const char *db)
{
  const char *argv[] = { test_server_binary (), "--db", db, "--port", "0", "--quiet", "--demo",
                         "--today", "2026-03-20", NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  Server *server = g_new0 (Server, 1);
  gsize length;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  server->url = g_data_input_stream_read_line (out, &length, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (server->url, "http://127.0.0.1:"));

  return server;
}

static void
server_stop (Server *server)
{
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_object_unref (server->process);
  g_free (server->url);
  g_free (server);
}

static CoClient *
signed_in_client (const char *url,
                  const char *username)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CoClient *client = co_client_new (url);

  co_client_sign_in_async (client, username, username, NULL, store_result_cb, &result);
  g_assert_true (co_client_sign_in_finish (client, wait_for_result (&result), &error));
  g_assert_no_error (error);

  return client;
}

static GPtrArray *
some_edu_ids (CoClient *client,
              guint     n)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) page = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  co_client_list_students_async (client, NULL, NULL, n, NULL, store_result_cb, &result);
  page = co_client_list_students_finish (client, wait_for_result (&result), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (page), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoStudent) student = g_list_model_get_item (page, i);

      g_ptr_array_add (ids, g_strdup (co_student_get_edu_id (student)));
    }

  return ids;
}

/* GET /events/{EVENT}/check-ins: how many times each edu_id is listed. */
static GHashTable *
server_check_ins (const char *url,
                  CoClient   *client,
                  guint      *n_total)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strconcat (url, "/api/v1/events/" EVENT "/check-ins", NULL);
  g_autofree char *bearer = g_strconcat ("Bearer ", co_client_get_token (client), NULL);
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;

  msg = soup_message_new ("GET", uri);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  root = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  array = json_object_get_array_member (json_node_get_object (root), "check_ins");
  *n_total = json_array_get_length (array);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      const char *edu_id = json_object_get_string_member (o, "edu_id");

      g_assert_cmpstr (json_object_get_string_member (o, "event_id"), ==, EVENT);
      g_assert_cmpstr (json_object_get_string_member (o, "verdict"), ==, "valid");
      g_hash_table_insert (counts, g_strdup (edu_id),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, edu_id)) + 1));
    }

  return counts;
}

static gboolean
drain (CoStore   *store,
       CoClient  *client,
       guint     *n_delivered,
       guint     *n_refused,
       GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  co_outbox_drain_async (store, client, NULL, store_result_cb, &result);
  return co_outbox_drain_finish (store, wait_for_result (&result), n_delivered, n_refused, error);
}

static void
add_check_in (CoStore    *store,
              const char *edu_id,
              int         minute)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) at = g_date_time_new (tz, 2026, 3, 20, 9, minute, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = co_store_add_check_in (store, EVENT, edu_id, "valid", at, &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
}

static void
assert_each_once (GHashTable *counts,
                  GPtrArray  *ids,
                  guint       n)
{
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, ids->pdata[i])), ==, 1);
}

static void
test_outbox_offline_then_online (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *store_path = NULL;
  g_autoptr(CoStore) store = NULL;
  g_autoptr(CoClient) client = NULL;
  g_autoptr(CoClient) other = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) other_ids = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autofree char *dead_url = NULL;
  guint n_delivered = 99, n_refused = 99, n_total = 0;
  Server *server;

  if (test_server_binary () == NULL)
    {
      g_test_skip ("CO_TEST_SERVER does not name card-office-server");
      return;
    }

  dir = g_dir_make_tmp ("co-outbox-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (dir, "server.sqlite3", NULL);
  store_path = g_build_filename (dir, "store.sqlite3", NULL);
  store = co_store_open (store_path, &error);
  g_assert_no_error (error);

  /* The students, then the server goes away. */
  server = server_start (db);
  client = signed_in_client (server->url, "demo");
  other = signed_in_client (server->url, "demo2");
  ids = some_edu_ids (client, 4);
  other_ids = some_edu_ids (other, 1);
  g_clear_object (&other);
  dead_url = g_strdup (server->url);
  server_stop (server);

  /* Offline: three check-ins and another school's student. */
  add_check_in (store, ids->pdata[0], 1);
  add_check_in (store, ids->pdata[1], 2);
  add_check_in (store, other_ids->pdata[0], 3);
  add_check_in (store, ids->pdata[2], 4);
  g_assert_cmpuint (co_store_get_n_outbox (store), ==, 4);

  g_assert_false (drain (store, client, &n_delivered, &n_refused, &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpuint (n_delivered, ==, 0);
  g_assert_cmpuint (n_refused, ==, 0);
  g_assert_cmpuint (co_store_get_n_outbox (store), ==, 4);
  {
    g_autoptr(GPtrArray) waiting = co_store_list_outbox (store, 0);

    g_assert_cmpuint (waiting->len, ==, 4);
    g_assert_cmpint (((CoOutboxItem *) waiting->pdata[0])->attempts, ==, 1);
    g_assert_cmpint (((CoOutboxItem *) waiting->pdata[1])->attempts, ==, 0);
  }
  g_clear_object (&client);

  /* The server is back: same database, a new port. */
  server = server_start (db);
  g_assert_cmpstr (server->url, !=, dead_url);
  client = signed_in_client (server->url, "demo");

  g_assert_true (drain (store, client, &n_delivered, &n_refused, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_delivered, ==, 3);
  g_assert_cmpuint (n_refused, ==, 1);
  g_assert_cmpuint (co_store_get_n_outbox (store), ==, 0);
  counts = server_check_ins (server->url, client, &n_total);
  g_assert_cmpuint (n_total, ==, 3);
  assert_each_once (counts, ids, 3);
  g_assert_false (g_hash_table_contains (counts, other_ids->pdata[0]));
  g_clear_pointer (&counts, g_hash_table_unref);

  /* The refusal is recorded on its row, not retried. */
  refused = co_store_list_outbox_refused (store);
  g_assert_cmpuint (refused->len, ==, 1);
  g_assert_cmpstr (((CoOutboxItem *) refused->pdata[0])->last_error, ==, "404 not_found");

  /* Nothing left: nothing sent. */
  g_assert_true (drain (store, client, &n_delivered, &n_refused, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_delivered, ==, 0);
  g_assert_cmpuint (n_refused, ==, 0);
  counts = server_check_ins (server->url, client, &n_total);
  g_assert_cmpuint (n_total, ==, 3);
  g_clear_pointer (&counts, g_hash_table_unref);

  /* A lost answer: the server wrote it, the item stayed; the next drain
   * sends it again with the same key and gets the first answer back. */
  add_check_in (store, ids->pdata[3], 5);
  {
    g_autoptr(GPtrArray) waiting = co_store_list_outbox (store, 0);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(JsonNode) answer = NULL;
    CoOutboxItem *item;

    g_assert_cmpuint (waiting->len, ==, 1);
    item = waiting->pdata[0];
    co_client_send_outbox_item_async (client, item->method, item->path, item->body,
                                      item->idempotency_key, NULL, store_result_cb, &result);
    answer = co_client_send_outbox_item_finish (client, wait_for_result (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "edu_id"), ==,
                     ids->pdata[3]);
  }
  g_assert_cmpuint (co_store_get_n_outbox (store), ==, 1);
  g_assert_true (drain (store, client, &n_delivered, &n_refused, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_delivered, ==, 1);
  g_assert_cmpuint (co_store_get_n_outbox (store), ==, 0);
  counts = server_check_ins (server->url, client, &n_total);
  g_assert_cmpuint (n_total, ==, 4);
  assert_each_once (counts, ids, 4);

  g_clear_object (&client);
  g_clear_object (&store);
  server_stop (server);

  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *a = g_strconcat (db, suffixes[i], NULL);
        g_autofree char *b = g_strconcat (store_path, suffixes[i], NULL);

        g_remove (a);
        g_remove (b);
      }
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  test_server_parse_args (&argc, argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/outbox/offline-then-online", test_outbox_offline_then_online);

  return g_test_run ();
}
