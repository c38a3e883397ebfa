/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * BENCH app.startup_100k: from start (GTK initialised included) to an
 * interactive window whose Students page lists a 100,000-student roster
 * cached in the store. Needs a display (run-bench runs it under xvfb-run).
 *
 * "Interactive" is measured, not assumed: from the window being mapped
 * until the list is filled, the longest the main loop went without
 * running a high-priority timer is printed as BENCH app.startup_stall_100k
 * (about how long an input event could wait while the roster loads).
 */
#define G_LOG_DOMAIN "co-bench"

#include "config.h"

#include <string.h>

#include "co-application.h"
#include "co-roster-page.h"
#include "co-sync.h"
#include "co-window.h"
#include "test-fixtures.h"
#include "test-server.h"

#define N_STUDENTS 100000

/* A timer that should fire every PROBE_MS: how late it runs is how long
 * the main thread was busy (input waits as long). */
#define PROBE_MS 5

typedef struct
{
  gint64 last;
  gint64 max_gap;
} Probe;

static gboolean
probe_cb (gpointer data)
{
  Probe *probe = data;
  gint64 now = g_get_monotonic_time ();

  probe->max_gap = MAX (probe->max_gap, now - probe->last);
  probe->last = now;

  return G_SOURCE_CONTINUE;
}

static gboolean
window_mapped (CoWindow *window)
{
  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static gboolean
roster_ready (CoRosterPage *page)
{
  return co_roster_page_get_ready (page) &&
         g_list_model_get_n_items (co_roster_page_get_results (page)) > N_STUDENTS * 9 / 10;
}

/* Fills a store file at @path from the demo server (not timed). */
static void
seed_store (const char *path)
{
  static const char * const args[] = { "--demo", "--demo-size", G_STRINGIFY (N_STUDENTS), NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CoClient) client = NULL;
  g_autoptr(CoStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  TestServer *server = test_server_start (args);

  client = co_client_new (server->url);
  co_client_sign_in_async (client, "demo", "demo", NULL, store_result_cb, &result);
  if (!co_client_sign_in_finish (client, wait_for_result (&result), &error))
    g_error ("sign-in: %s", error->message);
  g_clear_object (&result);

  if (!(store = co_store_open (path, &error)))
    g_error ("store: %s", error->message);
  co_sync_run_async (store, client, 0, NULL, NULL, NULL, NULL, store_result_cb, &result);
  if (!co_sync_run_finish (store, wait_for_result (&result), NULL, &error))
    g_error ("sync: %s", error->message);

  g_clear_object (&store);
  test_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  CoApplication *app;
  CoWindow *window = NULL;
  CoRosterPage *page;
  double mapped_ms, ready_ms, stall_ms;
  Probe probe = { 0, 0 };
  guint probe_id;
  gint64 start;

  test_server_parse_args (&argc, argv);
#ifdef CO_BENCH_SERVER
  if (g_getenv ("CO_TEST_SERVER") == NULL)
    g_setenv ("CO_TEST_SERVER", CO_BENCH_SERVER, TRUE);
#endif
  if (test_server_binary () == NULL)
    {
      g_printerr ("bench-startup: card-office-server not found (set CO_TEST_SERVER)\n");
      return 1;
    }

  /* CO_BENCH_STORE: a store seeded before, kept (for profiling). */
  if (g_getenv ("CO_BENCH_STORE") != NULL)
    path = g_strdup (g_getenv ("CO_BENCH_STORE"));
  else
    {
      dir = g_dir_make_tmp ("co-bench-startup-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (dir, "store.sqlite3", NULL);
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_print ("bench-startup: seeding %d students...\n", N_STUDENTS);
      seed_store (path);
    }
  g_setenv ("CARD_OFFICE_STORE", path, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  start = g_get_monotonic_time ();
  if (!gtk_init_check ())
    {
      g_printerr ("bench-startup: no display (run under xvfb-run)\n");
      return 1;
    }
  adw_init ();

  app = co_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = CO_WINDOW (gtk_application_get_windows (GTK_APPLICATION (app))->data);
  page = CO_ROSTER_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window), CO_TYPE_WINDOW, "roster_page"));

  while (!window_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  mapped_ms = (g_get_monotonic_time () - start) / 1000.0;

  probe.last = g_get_monotonic_time ();
  probe_id = g_timeout_add_full (G_PRIORITY_HIGH, PROBE_MS, probe_cb, &probe, NULL);
  while (!roster_ready (page))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (probe_id);
  probe_cb (&probe);
  stall_ms = probe.max_gap / 1000.0;
  ready_ms = (g_get_monotonic_time () - start) / 1000.0;

  g_print ("window shown            %8.1f ms\n", mapped_ms);
  g_print ("%6u students listed  %8.1f ms\n",
           g_list_model_get_n_items (co_roster_page_get_results (page)), ready_ms);
  g_print ("BENCH app.window_shown_100k %.0f ms\n", mapped_ms);
  g_print ("BENCH app.startup_100k %.0f ms\n", ready_ms);
  g_print ("BENCH app.startup_stall_100k %.0f ms\n", stall_ms);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  if (dir != NULL)
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_remove (wal);
    g_remove (shm);
    g_remove (path);
    g_rmdir (dir);
  }

  return 0;
}
