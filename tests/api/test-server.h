/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Starts the reference server (card-office-server, named by the
 * CO_TEST_SERVER environment variable) on 127.0.0.1, port 0, with a fresh
 * SQLite file, and reads its base URL from the first line it prints.
 */
#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *process;
  char        *dir;
  char        *db;
  char        *url;
} TestServer;

/* Takes "--server=PATH" out of @argv (before g_test_init ()). */
static inline void
test_server_parse_args (int   *argc,
                        char **argv)
{
  int j = 1;

  for (int i = 1; i < *argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--server="))
        g_setenv ("CO_TEST_SERVER", argv[i] + strlen ("--server="), TRUE);
      else
        argv[j++] = argv[i];
    }

  *argc = j;
  argv[j] = NULL;
}

static inline const char *
test_server_binary (void)
{
  const char *path = g_getenv ("CO_TEST_SERVER");

  return path != NULL && g_file_test (path, G_FILE_TEST_IS_EXECUTABLE) ? path : NULL;
}

static inline void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* NULL-terminated extra arguments, e.g. "--demo", "--token-ttl", "2". */
static inline TestServer *
test_server_start (const char * const *extra)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  TestServer *server;
  gsize length;

  g_assert_nonnull (test_server_binary ());

  server = g_new0 (TestServer, 1);
  server->dir = g_dir_make_tmp ("co-server-XXXXXX", &error);
  g_assert_no_error (error);
  server->db = g_build_filename (server->dir, "server.sqlite3", NULL);

  g_ptr_array_add (argv, (gpointer) test_server_binary ());
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, server->db);
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  g_ptr_array_add (argv, (gpointer) "--quiet");
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);

  /* The server dies with the test, even when the test aborts. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  server->url = g_data_input_stream_read_line (out, &length, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (server->url);
  g_assert_true (g_str_has_prefix (server->url, "http://127.0.0.1:"));

  return server;
}

static inline void
test_server_stop (TestServer *server)
{
  if (server == NULL)
    return;

  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_object_unref (server->process);

  {
    g_autofree char *wal = g_strconcat (server->db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (server->db, "-shm", NULL);

    g_remove (wal);
    g_remove (shm);
    g_remove (server->db);
    g_rmdir (server->dir);
  }

  g_free (server->url);
  g_free (server->db);
  g_free (server->dir);
  g_free (server);
}

G_END_DECLS
