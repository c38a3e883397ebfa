/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Benchmark of the roster sync: the reference server with 100,000 demo
 * students on loopback, a full sync into a fresh store, then a delta of
 * 100 changes (losses reported through the API), and the client's peak
 * memory. Prints BENCH lines:
 *   BENCH sync.full_100k <s> s        target <= 10 s
 *   BENCH sync.delta_100 <ms> ms      target <= 500 ms
 *   BENCH sync.peak_rss <MB> MB       target <= 200 MB
 * The server is the one built with the tree (CO_TEST_SERVER overrides).
 */
#define G_LOG_DOMAIN "co-bench"

#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include "co-client.h"
#include "co-store.h"
#include "co-sync.h"
#include "test-fixtures.h"
#include "test-server.h"

#define N_STUDENTS 100000
#define N_CHANGES  100

static gpointer
await (GAsyncResult **result)
{
  return wait_for_result (result);
}

static gboolean
sync_once (CoStore      *store,
           CoClient     *client,
           CoSyncStats  *stats,
           double       *seconds,
           GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean ok;

  co_sync_run_async (store, client, 0, NULL, NULL, NULL, NULL, store_result_cb, &result);
  ok = co_sync_run_finish (store, await (&result), stats, error);
  *seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  return ok;
}

static void
remove_store (const char *dir,
              const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (wal);
  g_remove (shm);
  g_remove (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  static const char * const args[] = { "--demo-size", G_STRINGIFY (N_STUDENTS), NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CoClient) client = NULL;
  g_autoptr(CoStore) store = NULL;
  g_autoptr(GListModel) active = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  CoStudentQuery query = CO_STUDENT_QUERY_INIT;
  CoSyncStats full, delta;
  TestServer *server;
  struct rusage usage;
  double full_s, delta_s, model_ms;
  gint64 start;
  guint n;

  test_server_parse_args (&argc, argv);
#ifdef CO_BENCH_SERVER
  if (g_getenv ("CO_TEST_SERVER") == NULL)
    g_setenv ("CO_TEST_SERVER", CO_BENCH_SERVER, TRUE);
#endif
  if (test_server_binary () == NULL)
    {
      g_printerr ("bench-sync: card-office-server not found (set CO_TEST_SERVER)\n");
      return 1;
    }

  g_print ("bench-sync: seeding %d students...\n", N_STUDENTS);
  server = test_server_start (args);

  client = co_client_new (server->url);
  co_client_sign_in_async (client, "demo", "demo", NULL, store_result_cb, &result);
  if (!co_client_sign_in_finish (client, await (&result), &error))
    g_error ("sign-in: %s", error->message);
  g_clear_object (&result);

  dir = g_dir_make_tmp ("co-bench-sync-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "store.sqlite3", NULL);
  if (!(store = co_store_open (path, &error)))
    g_error ("store: %s", error->message);

  /* Full sync into an empty store. */
  if (!sync_once (store, client, &full, &full_s, &error))
    g_error ("full sync: %s", error->message);

  start = g_get_monotonic_time ();
  n = g_list_model_get_n_items (co_store_get_students (store));
  model_ms = (g_get_monotonic_time () - start) / 1000.0;
  /* The demo has a few leavers: the school keeps the rest. */
  if (n != full.students || n < N_STUDENTS * 9 / 10)
    g_error ("full sync: %u students in the store, %u synced, expected about %d", n, full.students,
             N_STUDENTS);

  /* 100 changes on the server: losses reported at the desk. */
  query.status = CO_CARD_STATUS_ACTIVE;
  co_client_list_students_async (client, &query, NULL, N_CHANGES, NULL, store_result_cb, &result);
  active = co_client_list_students_finish (client, await (&result), NULL, &error);
  g_clear_object (&result);
  if (active == NULL || g_list_model_get_n_items (active) != N_CHANGES)
    g_error ("no %d active students: %s", N_CHANGES, error ? error->message : "too few");

  for (guint i = 0; i < N_CHANGES; i++)
    {
      g_autoptr(CoStudent) student = g_list_model_get_item (active, i);
      g_autoptr(CoStudent) lost = NULL;

      co_client_report_loss_async (client, co_student_get_edu_id (student), NULL, NULL,
                                   store_result_cb, &result);
      if (!(lost = co_client_report_loss_finish (client, await (&result), &error)))
        g_error ("report loss: %s", error->message);
      g_clear_object (&result);
    }

  /* Delta sync: only those. */
  if (!sync_once (store, client, &delta, &delta_s, &error))
    g_error ("delta sync: %s", error->message);
  if (delta.students != N_CHANGES)
    g_error ("delta sync moved %u students, expected %d", delta.students, N_CHANGES);

  getrusage (RUSAGE_SELF, &usage);

  g_print ("full sync   %6u students %4u pages  %8.2f s\n", full.students, full.pages, full_s);
  g_print ("delta sync  %6u students %4u pages  %8.1f ms\n", delta.students, delta.pages, delta_s * 1000);
  g_print ("list model  %6u students             %8.1f ms (first load)\n", n, model_ms);
  g_print ("BENCH sync.full_100k %.2f s\n", full_s);
  g_print ("BENCH sync.delta_100 %.0f ms\n", delta_s * 1000);
  g_print ("BENCH sync.peak_rss %.0f MB\n", usage.ru_maxrss / 1024.0);
  g_print ("BENCH sync.model_load_100k %.1f ms\n", model_ms);

  g_clear_object (&store);
  g_clear_object (&client);
  test_server_stop (server);
  remove_store (dir, path);

  return 0;
}
