/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Transport (issue 8 item 2), CoClient against the real reference server:
 * a plain-http server address is refused unless it is this computer
 * (CO_CLIENT_ERROR_INSECURE, nothing sent), and TLS is verified by
 * default: the server's own TLS mode with the test CA is refused without
 * the CA file, accepted with co_client_set_ca_file (), refused with
 * another CA.
 */
#define G_LOG_DOMAIN "test-transport"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "co-client.h"
#include "co-client-error.h"

#ifndef CO_SERVER_PATH
#error "CO_SERVER_PATH must name the card-office-server binary"
#endif

typedef struct
{
  GSubprocess *process;
  char        *dir;
  char        *base;
} Server;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static char *
tls_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "api", "tls", name, NULL);
}

static Server *
server_start (gboolean tls)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *pem = tls_file ("server.pem");
  Server *s = g_new0 (Server, 1);

  s->dir = g_dir_make_tmp ("co-transport-XXXXXX", NULL);
  db = g_build_filename (s->dir, "server.db", NULL);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  if (tls)
    s->process = g_subprocess_launcher_spawn (launcher, &error, CO_SERVER_PATH, "--db", db,
                                              "--port", "0", "--demo-size", "12", "--quiet",
                                              "--tls-cert", pem, "--tls-key", pem, NULL);
  else
    s->process = g_subprocess_launcher_spawn (launcher, &error, CO_SERVER_PATH, "--db", db,
                                              "--port", "0", "--demo-size", "12", "--quiet", NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->process));
  s->base = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (s->base);
  g_assert_true (g_str_has_prefix (s->base, tls ? "https://127.0.0.1:" : "http://127.0.0.1:"));
  return s;
}

static void
server_stop (Server *s)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_subprocess_send_signal (s->process, SIGTERM);
  g_subprocess_wait (s->process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (s->process));
  g_assert_cmpint (g_subprocess_get_exit_status (s->process), ==, 0);
  g_clear_object (&s->process);

  dir = g_dir_open (s->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (s->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (s->dir);
  g_free (s->dir);
  g_free (s->base);
  g_free (s);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Signs in as demo/demo; the error, or NULL. */
static GError *
sign_in (CoClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  GError *error = NULL;

  co_client_sign_in_async (client, "demo", "demo", NULL, store_result_cb, &result);
  while (result == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  co_client_sign_in_finish (client, result, &error);
  return error;
}

static void
test_plain_http (void)
{
  const char *refused[] = {
    "http://192.168.1.10:8080",
    "http://card.example.edu.cn",
    "HTTP://10.0.0.1/api/v1",
    "http://[fe80::1]:8080",
    "http://[2001:db8::1]",
    "http://127.0.0.1.example.com",
    "http://localhost.example.com:8080",
    "http://0.0.0.0:8080",
  };
  const char *allowed[] = {
    "http://127.0.0.1:8080",
    "http://127.8.9.10",
    "http://localhost:8080/api/v1",
    "http://LOCALHOST",
    "http://[::1]:8080",
    "https://card.example.edu.cn",
    "https://192.168.1.10:8443",
  };
  Server *s;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) call_error = NULL;
      g_autoptr(CoClient) client = co_client_new (refused[i]);

      g_assert_false (co_client_check_base_url (refused[i], &error));
      g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_INSECURE);
      g_assert_false (co_client_error_is_transient (error));

      /* Every call fails at once, before anything is sent. */
      co_client_set_retry_policy (client, 3, 1000, 1000);
      call_error = sign_in (client);
      g_assert_error (call_error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_INSECURE);
      g_assert_cmpuint (co_client_error_get_http_status (call_error), ==, 0);
    }

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!co_client_check_base_url (allowed[i], &error))
        g_error ("%s refused: %s", allowed[i], error->message);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (co_client_check_base_url ("not a url", &error));
    g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_INVALID_REQUEST);
  }

  /* This computer over plain http: the real server signs in. */
  s = server_start (FALSE);
  {
    g_autoptr(CoClient) client = co_client_new (s->base);
    g_autoptr(GError) error = sign_in (client);

    g_assert_no_error (error);
  }
  /* The same server named "localhost" is this computer too. */
  {
    g_autofree char *port = g_strdup (strrchr (s->base, ':') + 1);
    g_autofree char *url = g_strdup_printf ("http://localhost:%s", port);
    g_autoptr(CoClient) client = co_client_new (url);
    g_autoptr(GError) error = sign_in (client);

    /* localhost may resolve to ::1 first, where the server does not
     * listen: a network error then, never INSECURE. */
    g_assert_true (error == NULL || !g_error_matches (error, CO_CLIENT_ERROR,
                                                      CO_CLIENT_ERROR_INSECURE));
  }
  server_stop (s);
}

static void
test_tls_verified (void)
{
  g_autofree char *ca = tls_file ("ca.pem");
  g_autofree char *other_ca = tls_file ("other-ca.pem");
  GTlsBackend *backend = g_tls_backend_get_default ();
  Server *s;

  if (backend == NULL || !g_tls_backend_supports_tls (backend))
    {
      g_test_skip ("no TLS backend (glib-networking)");
      return;
    }

  s = server_start (TRUE);

  /* The system does not trust the test CA: refused by default. */
  {
    g_autoptr(CoClient) client = co_client_new (s->base);
    g_autoptr(GError) error = sign_in (client);

    g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_TLS);
    g_assert_false (co_client_error_is_transient (error));
  }

  /* Another CA does not vouch for it. */
  {
    g_autoptr(CoClient) client = co_client_new (s->base);
    g_autoptr(GError) error = NULL;

    g_assert_true (co_client_set_ca_file (client, other_ca, &error));
    error = sign_in (client);
    g_assert_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_TLS);
  }

  /* With the CA file from the preferences: signed in. */
  {
    g_autoptr(CoClient) client = co_client_new (s->base);
    g_autoptr(GError) error = NULL;

    g_assert_true (co_client_set_ca_file (client, ca, &error));
    g_assert_no_error (error);
    error = sign_in (client);
    g_assert_no_error (error);
  }

  /* The certificate names 127.0.0.1: a trusted CA does not excuse a wrong
   * host name ("localhost" is in it too, so use another loopback). */
  {
    g_autofree char *port = g_strdup (strrchr (s->base, ':') + 1);
    g_autofree char *url = g_strdup_printf ("https://127.0.0.2:%s", port);
    g_autoptr(CoClient) client = co_client_new (url);
    g_autoptr(GError) error = NULL;

    g_assert_true (co_client_set_ca_file (client, ca, &error));
    error = sign_in (client);
    g_assert_nonnull (error);
    g_assert_true (g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_TLS) ||
                   g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NETWORK));
  }

  server_stop (s);
}

/* The listening socket's backlog holds a school's desks signing in at once
 * while the server's one thread hashes a password (GSocket's default of 10
 * reset 16 of 50 clients in build-aux/run-load). For a listening socket,
 * ss prints the backlog as Send-Q. */
static void
test_listen_backlog (void)
{
  g_autofree char *ss = g_find_program_in_path ("ss");
  g_autofree char *filter = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = NULL;
  Server *s;
  int wait_status;

  if (ss == NULL)
    {
      g_test_skip ("ss (iproute2) is not installed");
      return;
    }

  s = server_start (FALSE);
  filter = g_strdup_printf ("sport = :%s", strrchr (s->base, ':') + 1);
  {
    const char *argv[] = { ss, "-ltnH", filter, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                  &wait_status, &error);
    g_assert_no_error (error);
  }
  fields = g_regex_split_simple ("\\s+", g_strstrip (out), 0, 0);
  if (g_strv_length (fields) < 4)
    {
      g_test_skip ("ss does not list the socket here");
      server_stop (s);
      return;
    }
  /* State, Recv-Q, Send-Q (the backlog), local address. */
  g_assert_cmpstr (fields[0], ==, "LISTEN");
  g_assert_cmpint (g_ascii_strtoll (fields[2], NULL, 10), >=, 128);
  server_stop (s);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/transport/plain-http", test_plain_http);
  g_test_add_func ("/transport/tls-verified", test_tls_verified);
  g_test_add_func ("/transport/listen-backlog", test_listen_backlog);

  return g_test_run ();
}
