/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Faults (issue 8, item 5), against the reference server on a SQLite file
 * that outlives it, restarted on the same port:
 *
 *  - the server killed (SIGKILL) between 申请补卡 and 缴费: the reissue is
 *    found again with its Idempotency-Key, never doubled, and can be paid;
 *    killed while a 申请补卡 is in flight: the client's retries land it once;
 *  - the server killed in the middle of a roster sync: the next sync goes
 *    on from the cursor saved with the last applied page and ends with the
 *    same roster as a sync from scratch;
 *  - the client killed (SIGKILL) at random points while its outbox drains
 *    (a child process, again and again): every check-in ends on the server
 *    exactly once;
 *  - the disk full while writing the store (a file size limit, SIGXFSZ
 *    ignored): CO_STORE_ERROR_DISK_FULL, and everything saved before is
 *    there after reopening;
 *  - the network cut (server stopped) and restored: requests fail with
 *    CO_CLIENT_ERROR_NETWORK, then succeed; nothing queued is lost.
 */
#define G_LOG_DOMAIN "test-faults"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <libsoup/soup.h>

#include "co-client.h"
#include "co-outbox.h"
#include "co-store.h"
#include "co-sync.h"
#include "test-fixtures.h"
#include "test-server.h"

#define EVENT "2026-spring-sports"
#define DEADLINE_SECONDS 60

typedef struct
{
  GSubprocess *process;
  char        *db;
  char        *url;
  guint        port;
} Server;

/* The reference server on @db (kept when it stops) and @port (0: any). */
static Server *
server_start (const char *db,
              guint       port)
{
  g_autofree char *port_arg = g_strdup_printf ("%u", port);
  const char *argv[] = { test_server_binary (), "--db", db, "--port", port_arg, "--quiet", "--demo",
                         "--today", "2026-03-20", NULL };
  g_autoptr(GError) error = NULL;
  Server *server = g_new0 (Server, 1);
  gint64 deadline = g_get_monotonic_time () + DEADLINE_SECONDS * G_USEC_PER_SEC;

  server->db = g_strdup (db);

  /* The port of a server just killed may take a moment to be free again. */
  for (;;)
    {
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      gsize length;

      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
      server->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
      server->url = g_data_input_stream_read_line (out, &length, NULL, &error);
      g_assert_no_error (error);
      if (server->url != NULL)
        break;

      /* It exited without a URL: "cannot listen". */
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
      g_assert_cmpint (port, !=, 0);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_USEC_PER_SEC / 20);
    }

  g_assert_true (g_str_has_prefix (server->url, "http://127.0.0.1:"));
  server->port = (guint) g_ascii_strtoull (server->url + strlen ("http://127.0.0.1:"), NULL, 10);
  g_assert_cmpuint (server->port, >, 0);
  if (port != 0)
    g_assert_cmpuint (server->port, ==, port);

  return server;
}

static void
server_free (Server *server)
{
  g_clear_object (&server->process);
  g_free (server->db);
  g_free (server->url);
  g_free (server);
}

static void
server_kill (Server *server,
             int     signum)
{
  g_subprocess_send_signal (server->process, signum);
  g_subprocess_wait (server->process, NULL, NULL);
  if (signum == SIGKILL)
    g_assert_true (g_subprocess_get_if_signaled (server->process));
}

/* Kills @server and starts it again on the same database and port. */
static Server *
server_restart (Server *server,
                int     signum)
{
  g_autofree char *db = g_strdup (server->db);
  guint port = server->port;

  server_kill (server, signum);
  server_free (server);
  return server_start (db, port);
}

static void
server_stop (Server *server)
{
  server_kill (server, SIGTERM);
  server_free (server);
}

typedef struct
{
  char   *dir;
  char   *db;
  Server *server;
} Fixture;

static gboolean
fixture_setup (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  if (test_server_binary () == NULL)
    {
      g_test_skip ("CO_TEST_SERVER does not name card-office-server");
      return FALSE;
    }

  f->dir = g_dir_make_tmp ("co-faults-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "server.sqlite3", NULL);
  f->server = server_start (f->db, 0);
  return TRUE;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture *f)
{
  if (f->server != NULL)
    server_stop (f->server);
  if (f->dir != NULL)
    remove_tree (f->dir);
  g_free (f->db);
  g_free (f->dir);
}

static CoClient *
signed_in_client (const char *url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CoClient *client = co_client_new (url);

  co_client_sign_in_async (client, "demo", "demo", NULL, store_result_cb, &result);
  g_assert_true (co_client_sign_in_finish (client, wait_for_result (&result), &error));
  g_assert_no_error (error);

  return client;
}

/* Education IDs of @n students whose card is @status. */
static GPtrArray *
find_students (CoClient     *client,
               CoCardStatus  status,
               guint         n)
{
  CoStudentQuery query = CO_STUDENT_QUERY_INIT;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) page = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  query.status = status;
  co_client_list_students_async (client, &query, NULL, n, NULL, store_result_cb, &result);
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

static CoStudent *
report_loss (CoClient    *client,
             const char  *edu_id,
             const char  *key,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  co_client_report_loss_async (client, edu_id, key, NULL, store_result_cb, &result);
  return co_client_report_loss_finish (client, wait_for_result (&result), error);
}

static CoStudent *
get_student (CoClient    *client,
             const char  *edu_id,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  co_client_get_student_async (client, edu_id, NULL, store_result_cb, &result);
  return co_client_get_student_finish (client, wait_for_result (&result), error);
}

static CoReissue *
apply_reissue (CoClient    *client,
               const char  *edu_id,
               const char  *key,
               GError     **error)
{
  CoReissueRequest request = { .edu_id = edu_id, .delivery = CO_DELIVERY_SCHOOL, .courier_fee_fen = -1 };
  g_autoptr(GAsyncResult) result = NULL;

  co_client_apply_reissue_async (client, &request, key, NULL, store_result_cb, &result);
  return co_client_apply_reissue_finish (client, wait_for_result (&result), error);
}

static guint
count_reissues (CoClient   *client,
                const char *edu_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;

  co_client_list_reissues_async (client, CO_REISSUE_STATUS_NONE, edu_id, NULL, 100, NULL,
                                 store_result_cb, &result);
  list = co_client_list_reissues_finish (client, wait_for_result (&result), NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(CoReissue) reissue = g_list_model_get_item (list, i);

      g_assert_cmpstr (co_reissue_get_edu_id (reissue), ==, edu_id);
    }
  return g_list_model_get_n_items (list);
}

/* Tests: the server killed in a reissue */

static void
test_reissue_server_killed (void)
{
  Fixture f = { 0 };
  g_autoptr(CoClient) client = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(CoStudent) lost = NULL;
  g_autoptr(CoStudent) lost2 = NULL;
  g_autoptr(CoReissue) applied = NULL;
  g_autoptr(CoReissue) again = NULL;
  g_autoptr(CoReissue) in_flight = NULL;
  g_autoptr(CoPayment) payment = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *key2 = g_uuid_string_random ();
  CoReissueRequest request2 = { .delivery = CO_DELIVERY_SCHOOL, .courier_fee_fen = -1 };

  if (!fixture_setup (&f))
    return;

  client = signed_in_client (f.server->url);
  ids = find_students (client, CO_CARD_STATUS_ACTIVE, 2);
  lost = report_loss (client, ids->pdata[0], NULL, &error);
  g_assert_no_error (error);
  lost2 = report_loss (client, ids->pdata[1], NULL, &error);
  g_assert_no_error (error);

  /* Applied, then the server dies before the office asks for payment;
   * the client does not know whether its answer was the last word. */
  applied = apply_reissue (client, ids->pdata[0], key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_reissue_get_status (applied), ==, CO_REISSUE_STATUS_PENDING_PAYMENT);
  f.server = server_restart (f.server, SIGKILL);

  /* The same key again: the first answer, not a second reissue (and not
   * "one is open already"). */
  again = apply_reissue (client, ids->pdata[0], key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (co_reissue_get_id (again), ==, co_reissue_get_id (applied));
  g_assert_cmpuint (count_reissues (client, ids->pdata[0]), ==, 1);

  co_client_request_payment_async (client, co_reissue_get_id (again), NULL, NULL, store_result_cb, &result);
  payment = co_client_request_payment_finish (client, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (payment->amount_fen, ==, co_reissue_get_fee_fen (applied));
  g_clear_object (&result);

  /* Killed with the request in flight (sent or not, answered or not):
   * the retries, with the same key, land it exactly once. */
  co_client_set_retry_policy (client, 20, 20, 200);
  request2.edu_id = ids->pdata[1];
  co_client_apply_reissue_async (client, &request2, key2, NULL, store_result_cb, &result);
  g_main_context_iteration (NULL, FALSE);
  f.server = server_restart (f.server, SIGKILL);
  in_flight = co_client_apply_reissue_finish (client, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (co_reissue_get_edu_id (in_flight), ==, ids->pdata[1]);
  g_assert_cmpuint (count_reissues (client, ids->pdata[1]), ==, 1);
  g_assert_cmpuint (count_reissues (client, ids->pdata[0]), ==, 1);

  fixture_teardown (&f);
}

/* Tests: the server killed in a roster sync */

typedef struct
{
  Server  *server;
  guint    kill_after;
  gboolean killed;
} SyncKill;

static void
sync_progress_cb (const CoSyncStats *so_far,
                  gpointer           user_data)
{
  SyncKill *kill = user_data;

  if (!kill->killed && so_far->pages >= kill->kill_after)
    {
      kill->killed = TRUE;
      g_subprocess_send_signal (kill->server->process, SIGKILL);
    }
}

static gboolean
run_sync (CoStore            *store,
          CoClient           *client,
          CoSyncProgressFunc  progress,
          gpointer            progress_data,
          CoSyncStats        *stats,
          GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  co_sync_run_async (store, client, 100, progress, progress_data, NULL, NULL, store_result_cb, &result);
  return co_sync_run_finish (store, wait_for_result (&result), stats, error);
}

static void
assert_same_roster (CoStore *a,
                    CoStore *b)
{
  GListModel *la = co_store_get_students (a);
  GListModel *lb = co_store_get_students (b);

  g_assert_cmpuint (g_list_model_get_n_items (la), ==, g_list_model_get_n_items (lb));
  for (guint i = 0; i < g_list_model_get_n_items (la); i++)
    {
      g_autoptr(CoStudent) sa = g_list_model_get_item (la, i);
      g_autoptr(CoStudent) sb = g_list_model_get_item (lb, i);

      g_assert_cmpstr (co_student_get_edu_id (sa), ==, co_student_get_edu_id (sb));
      g_assert_cmpstr (co_student_get_name (sa), ==, co_student_get_name (sb));
    }
}

static void
test_sync_server_killed (void)
{
  Fixture f = { 0 };
  g_autoptr(CoClient) client = NULL;
  g_autoptr(CoStore) store = NULL;
  g_autoptr(CoStore) fresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *fresh_path = NULL;
  g_autofree char *cursor = NULL;
  CoSyncStats first = { 0 }, resumed = { 0 }, scratch = { 0 };
  SyncKill kill = { 0 };

  if (!fixture_setup (&f))
    return;

  client = signed_in_client (f.server->url);
  path = g_build_filename (f.dir, "store.sqlite3", NULL);
  store = co_store_open (path, &error);
  g_assert_no_error (error);

  /* 1200 students in pages of 100: killed after the third. */
  co_client_set_retry_policy (client, 1, 10, 10);
  kill.server = f.server;
  kill.kill_after = 3;
  g_assert_false (run_sync (store, client, sync_progress_cb, &kill, &first, &error));
  g_assert_true (kill.killed);
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_true (first.full);
  g_assert_cmpuint (first.pages, >=, 3);
  g_assert_cmpuint (first.pages, <, 12);
  cursor = co_store_get_cursor (store);
  g_assert_nonnull (cursor);
  g_assert_cmpuint (co_store_get_n_students (store), ==, first.students);
  g_assert_cmpuint (co_store_get_n_students (store), <, 1200);

  /* Back: the sync goes on from the saved cursor, not from scratch. */
  g_subprocess_wait (f.server->process, NULL, NULL);
  {
    g_autofree char *db = g_strdup (f.server->db);
    guint port = f.server->port;

    server_free (f.server);
    f.server = server_start (db, port);
  }
  co_client_set_retry_policy (client, CO_CLIENT_DEFAULT_MAX_ATTEMPTS, 50, 500);
  g_assert_true (run_sync (store, client, NULL, NULL, &resumed, &error));
  g_assert_no_error (error);
  g_assert_false (resumed.full);
  g_assert_cmpuint (resumed.pages, >=, 1);
  g_assert_cmpuint (first.students + resumed.students, >=, co_store_get_n_students (store));

  /* The same roster as a sync from scratch. */
  fresh_path = g_build_filename (f.dir, "fresh.sqlite3", NULL);
  fresh = co_store_open (fresh_path, &error);
  g_assert_no_error (error);
  g_assert_true (run_sync (fresh, client, NULL, NULL, &scratch, &error));
  g_assert_no_error (error);
  g_assert_true (scratch.full);
  g_assert_cmpuint (co_store_get_n_students (fresh), ==, scratch.students);
  assert_same_roster (store, fresh);

  g_clear_object (&store);
  g_clear_object (&fresh);
  fixture_teardown (&f);
}

/* Tests: the client killed while its outbox drains */

#define N_CHECK_INS 60
#define N_KILLS     16

/* The child: drains @store to @url with @token, then exits. */
static int
drain_child (const char *store_path,
             const char *url,
             const char *token)
{
  g_autoptr(CoStore) store = NULL;
  g_autoptr(CoClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n_delivered = 0, n_refused = 0;

  store = co_store_open (store_path, &error);
  if (store == NULL)
    return 3;
  client = co_client_new (url);
  co_client_set_token (client, token);
  co_outbox_drain_async (store, client, NULL, store_result_cb, &result);
  if (!co_outbox_drain_finish (store, wait_for_result (&result), &n_delivered, &n_refused, &error))
    return 4;
  return n_refused == 0 ? 0 : 5;
}

typedef struct
{
  GSubprocess *child;
  guint        timeout_id;
} ChildKill;

static gboolean
kill_child_cb (gpointer user_data)
{
  ChildKill *kill = user_data;

  kill->timeout_id = 0;
  g_subprocess_send_signal (kill->child, SIGKILL);
  return G_SOURCE_REMOVE;
}

static void
child_exited_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

/* GET /events/{EVENT}/check-ins: how many times each edu_id is there. */
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

      g_hash_table_insert (counts, g_strdup (edu_id),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, edu_id)) + 1));
    }

  return counts;
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

static gboolean
drain (CoStore   *store,
       CoClient  *client,
       guint     *n_delivered,
       GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  guint n_refused = 0;
  gboolean ok;

  co_outbox_drain_async (store, client, NULL, store_result_cb, &result);
  ok = co_outbox_drain_finish (store, wait_for_result (&result), n_delivered, &n_refused, error);
  g_assert_cmpuint (n_refused, ==, 0);
  return ok;
}

static void
test_outbox_client_killed (void)
{
  Fixture f = { 0 };
  g_autoptr(CoClient) client = NULL;
  g_autoptr(CoStore) store = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *self_exe = NULL;
  guint n_total = 0, n_delivered = 0, n_killed = 0, left = N_CHECK_INS;

  if (!fixture_setup (&f))
    return;

  client = signed_in_client (f.server->url);
  ids = find_students (client, CO_CARD_STATUS_ACTIVE, N_CHECK_INS);
  path = g_build_filename (f.dir, "store.sqlite3", NULL);
  store = co_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_CHECK_INS; i++)
    add_check_in (store, ids->pdata[i], (int) i);
  g_assert_cmpuint (co_store_get_n_outbox (store), ==, N_CHECK_INS);
  g_clear_object (&store);

  self_exe = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);

  /* Kill delays from before the child has started to after it is done,
   * growing by half each round (sanitizer builds are slower), jittered. */
  for (guint round = 0, base_ms = 4; round < N_KILLS && left > 0; round++, base_ms += base_ms / 2)
    {
      const char *argv[] = { self_exe, "--drain-child", path, f.server->url,
                             co_client_get_token (client), NULL };
      g_autoptr(GSubprocess) child = NULL;
      guint delay_ms = base_ms + (guint) g_test_rand_int_range (0, (gint32) base_ms / 2 + 1);
      gboolean done = FALSE;
      ChildKill kill = { 0 };

      child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
      g_assert_no_error (error);
      kill.child = child;
      kill.timeout_id = g_timeout_add (delay_ms, kill_child_cb, &kill);
      g_subprocess_wait_async (child, NULL, child_exited_cb, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      g_clear_handle_id (&kill.timeout_id, g_source_remove);
      if (g_subprocess_get_if_signaled (child))
        n_killed++;
      else
        g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 0);

      store = co_store_open (path, &error);
      g_assert_no_error (error);
      left = co_store_get_n_outbox (store);
      g_test_message ("round %u: killed after %u ms: %s, %u left", round, delay_ms,
                      g_subprocess_get_if_signaled (child) ? "killed" : "finished", left);
      g_clear_object (&store);
    }
  g_assert_cmpuint (n_killed, >, 0);

  /* What is left goes now; then each check-in is there exactly once. */
  store = co_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (drain (store, client, &n_delivered, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (co_store_get_n_outbox (store), ==, 0);
  counts = server_check_ins (f.server->url, client, &n_total);
  g_assert_cmpuint (n_total, ==, N_CHECK_INS);
  for (guint i = 0; i < N_CHECK_INS; i++)
    g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, ids->pdata[i])), ==, 1);

  g_clear_object (&store);
  fixture_teardown (&f);
}

/* Tests: the disk full */

static goffset
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size : 0;
}

static void
count_check_in_cb (const char *idempotency_key,
                   const char *edu_id,
                   const char *result,
                   const char *checked_at,
                   gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_store_disk_full (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStore) store = NULL;
  g_autoptr(GBytes) photo = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autofree guint8 *bytes = NULL;
  struct rlimit saved, limited;
  void (*saved_handler) (int);
  guint n_saved_photos = 0, n_check_ins = 0, n_failed = 0;
  const guint photo_size = 256 * 1024;
  goffset limit;

  dir = g_dir_make_tmp ("co-disk-full-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "store.sqlite3", NULL);
  wal = g_strconcat (path, "-wal", NULL);
  store = co_store_open (path, &error);
  g_assert_no_error (error);

  bytes = g_malloc (photo_size);
  for (guint i = 0; i < photo_size; i++)
    bytes[i] = (guint8) (i * 7 + i / 251);
  photo = g_bytes_new_static (bytes, photo_size);

  /* Saved before the disk fills. */
  for (guint i = 0; i < 5; i++)
    add_check_in (store, "11010001", (int) i);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *edu_id = g_strdup_printf ("1101000%u", i);

      g_assert_true (co_store_put_photo (store, edu_id, "\"before\"", photo, &error));
      g_assert_no_error (error);
    }

  /* Room for about one more photo; SIGXFSZ ignored, so write() fails with
   * EFBIG, as it fails with ENOSPC on a full disk. */
  limit = MAX (file_size (path), file_size (wal)) + photo_size + photo_size / 2;
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limited = saved;
  limited.rlim_cur = (rlim_t) limit;
  saved_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limited), ==, 0);

  for (guint i = 0; i < 20 && n_failed == 0; i++)
    {
      g_autofree char *edu_id = g_strdup_printf ("1102%04u", i);

      if (co_store_put_photo (store, edu_id, "\"after\"", photo, &error))
        {
          n_saved_photos++;
          continue;
        }
      n_failed++;
    }
  g_assert_error (error, CO_STORE_ERROR, CO_STORE_ERROR_DISK_FULL);
  g_clear_error (&error);

  /* A check-in and its outbox entry: both or neither. */
  {
    g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
    g_autoptr(GDateTime) at = g_date_time_new (tz, 2026, 3, 20, 10, 0, 0);
    g_autofree char *big_id = g_strnfill (4 * photo_size, '1');
    g_autofree char *key = co_store_add_check_in (store, EVENT, big_id, "valid", at, &error);

    if (key == NULL)
      {
        g_assert_error (error, CO_STORE_ERROR, CO_STORE_ERROR_DISK_FULL);
        g_clear_error (&error);
      }
  }

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, saved_handler);

  /* Reopened: everything saved before is there, whole. */
  g_clear_object (&store);
  store = co_store_open (path, &error);
  g_assert_no_error (error);
  co_store_foreach_check_in (store, EVENT, count_check_in_cb, &n_check_ins);
  g_assert_cmpuint (co_store_get_n_outbox (store), ==, n_check_ins);
  g_assert_cmpuint (n_check_ins, >=, 5);
  for (guint i = 0; i < 3 + n_saved_photos; i++)
    {
      g_autofree char *edu_id = i < 3 ? g_strdup_printf ("1101000%u", i) : g_strdup_printf ("1102%04u", i - 3);
      g_autofree char *etag = NULL;
      g_autoptr(GBytes) stored = co_store_get_photo (store, edu_id, &etag);

      g_assert_nonnull (stored);
      g_assert_true (g_bytes_equal (stored, photo));
    }

  /* And with room again, it writes. */
  g_assert_true (co_store_put_photo (store, "11030000", "\"later\"", photo, &error));
  g_assert_no_error (error);

  g_clear_object (&store);
  remove_tree (dir);
}

/* Tests: the network cut and restored */

static void
test_network_cut (void)
{
  Fixture f = { 0 };
  g_autoptr(CoClient) client = NULL;
  g_autoptr(CoStore) store = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(CoStudent) student = NULL;
  g_autoptr(CoStudent) lost = NULL;
  g_autoptr(CoStudent) after = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *db = NULL;
  guint port, n_delivered = 0, n_total = 0;

  if (!fixture_setup (&f))
    return;

  client = signed_in_client (f.server->url);
  ids = find_students (client, CO_CARD_STATUS_ACTIVE, 2);
  path = g_build_filename (f.dir, "store.sqlite3", NULL);
  store = co_store_open (path, &error);
  g_assert_no_error (error);

  /* Cut. */
  db = g_strdup (f.server->db);
  port = f.server->port;
  server_stop (f.server);
  f.server = NULL;
  co_client_set_retry_policy (client, 2, 10, 20);

  g_assert_null (get_student (client, ids->pdata[0], &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_null (report_loss (client, ids->pdata[0], key, &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NETWORK);
  g_clear_error (&error);

  /* A check-in made meanwhile waits in the outbox. */
  add_check_in (store, ids->pdata[1], 0);
  g_assert_false (drain (store, client, &n_delivered, &error));
  g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpuint (n_delivered, ==, 0);
  g_assert_cmpuint (co_store_get_n_outbox (store), ==, 1);

  /* Restored, same address: the same requests go through. */
  f.server = server_start (db, port);
  co_client_set_retry_policy (client, CO_CLIENT_DEFAULT_MAX_ATTEMPTS, 50, 500);
  student = get_student (client, ids->pdata[0], &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_student_get_card_status (student), ==, CO_CARD_STATUS_ACTIVE);
  lost = report_loss (client, ids->pdata[0], key, &error);
  g_assert_no_error (error);
  after = get_student (client, ids->pdata[0], &error);
  g_assert_no_error (error);
  g_assert_cmpint (co_student_get_card_status (after), ==, CO_CARD_STATUS_REPORTED_LOST);

  g_assert_true (drain (store, client, &n_delivered, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_delivered, ==, 1);
  g_assert_cmpuint (co_store_get_n_outbox (store), ==, 0);
  counts = server_check_ins (f.server->url, client, &n_total);
  g_assert_cmpuint (n_total, ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, ids->pdata[1])), ==, 1);

  g_clear_object (&store);
  fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 5 && g_str_equal (argv[1], "--drain-child"))
    return drain_child (argv[2], argv[3], argv[4]);

  test_server_parse_args (&argc, argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/faults/reissue-server-killed", test_reissue_server_killed);
  g_test_add_func ("/faults/sync-server-killed", test_sync_server_killed);
  g_test_add_func ("/faults/outbox-client-killed", test_outbox_client_killed);
  g_test_add_func ("/faults/store-disk-full", test_store_disk_full);
  g_test_add_func ("/faults/network-cut", test_network_cut);

  return g_test_run ();
}
