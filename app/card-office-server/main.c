/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * card-office-server: the reference implementation of the central card
 * platform's API (data/openapi.json) over SQLite, enforcing the same
 * co-rules as the app. Its first line on stdout is always its base URL,
 * so tests and the demo can start it on port 0 and read where it listens.
 */
#define G_LOG_DOMAIN "co-server"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "co-data.h"
#include "co-server-private.h"

static char *opt_db = NULL;
static char *opt_host = NULL;
static int opt_port = 8080;
static char *opt_tls_cert = NULL;
static char *opt_tls_key = NULL;
static gboolean opt_demo = FALSE;
static int opt_demo_size = -1;
static char *opt_today = NULL;
static gint64 opt_token_ttl = CO_SERVER_DEFAULT_TOKEN_TTL;
static gboolean opt_list_routes = FALSE;
static char *opt_add_staff = NULL;
static char *opt_school = NULL;
static gboolean opt_quiet = FALSE;
static int opt_upgrade_to = -2;
static int opt_pwhash_delay = 0;

static const GOptionEntry entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, "The SQLite database (created 0600 when missing)",
    "PATH" },
  { "host", 0, 0, G_OPTION_ARG_STRING, &opt_host, "Address to listen on (default 127.0.0.1)",
    "ADDRESS" },
  { "port", 0, 0, G_OPTION_ARG_INT, &opt_port, "Port (default 8080; 0 picks a free one)", "PORT" },
  { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_cert, "Serve HTTPS with this PEM certificate",
    "FILE" },
  { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &opt_tls_key, "The certificate's PEM private key",
    "FILE" },
  { "demo", 0, 0, G_OPTION_ARG_NONE, &opt_demo,
    "Seed the demo data (into an empty database) and serve /api/v1/dev", NULL },
  { "demo-size", 0, 0, G_OPTION_ARG_INT, &opt_demo_size,
    "Demo students in the first school (default 1200; implies --demo)", "N" },
  { "today", 0, 0, G_OPTION_ARG_STRING, &opt_today, "The date the rules take as today",
    "YYYY-MM-DD" },
  { "token-ttl", 0, 0, G_OPTION_ARG_INT64, &opt_token_ttl, "Bearer token lifetime (default 28800)",
    "SECONDS" },
  { "list-routes", 0, 0, G_OPTION_ARG_NONE, &opt_list_routes,
    "Print every route (METHOD PATH) and exit", NULL },
  { "add-staff", 0, 0, G_OPTION_ARG_STRING, &opt_add_staff,
    "Create or update a staff account (password on stdin) and exit", "USERNAME" },
  { "school", 0, 0, G_OPTION_ARG_STRING, &opt_school, "The school of --add-staff", "NAME" },
  { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "No access log", NULL },
  { "upgrade-to", 0, 0, G_OPTION_ARG_INT, &opt_upgrade_to,
    "Migrate the database to this schema version (-1: the latest) and exit", "VERSION" },
  /* Tests only: each password check takes this much longer (with --demo). */
  { "pwhash-delay", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &opt_pwhash_delay,
    "Make every password check take MS milliseconds longer (tests; needs --demo)", "MS" },
  { NULL }
};

static gboolean
on_signal_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static CoCalendar *
load_calendar (void)
{
  g_autofree char *path = co_data_find_file ("holidays.ini");
  g_autoptr(GError) error = NULL;
  CoCalendar *calendar = NULL;

  if (path != NULL)
    calendar = co_calendar_new_from_file (path, &error);
  if (calendar == NULL)
    {
      g_warning ("no official holiday calendar (%s): due dates count weekends only",
                 error ? error->message : "holidays.ini not found");
      calendar = co_calendar_new ();
    }

  return calendar;
}

static int
add_staff (CoServer *server)
{
  g_autoptr(GError) error = NULL;
  char line[512];
  gsize len;
  gint64 school_id;

  if (opt_school == NULL || *opt_school == '\0')
    {
      g_printerr ("--add-staff needs --school NAME\n");
      return 2;
    }

  if (fgets (line, sizeof line, stdin) == NULL)
    {
      g_printerr ("no password on stdin\n");
      return 2;
    }
  len = strcspn (line, "\r\n");
  line[len] = '\0';
  if (len == 0)
    {
      g_printerr ("empty password\n");
      return 2;
    }

  school_id = co_db_ensure_school (server, opt_school);
  if (school_id < 0 || !co_auth_add_staff (server, school_id, opt_add_staff, line, &error))
    {
      sodium_memzero (line, sizeof line);
      g_printerr ("cannot add the staff account: %s\n",
                  error ? error->message : sqlite3_errmsg (server->db));
      return 1;
    }

  sodium_memzero (line, sizeof line);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *base_url = NULL;
  CoServer *server;
  int status = 0;

  setlocale (LC_ALL, "");
  /* Standard output carries the base URL (first line): every log message,
   * G_MESSAGES_DEBUG=all included, goes to standard error. */
  g_log_writer_default_set_use_stderr (TRUE);

  context = g_option_context_new ("- the reference server of the Card Office API");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (opt_list_routes)
    {
      guint n;
      const CoRoute *routes = co_server_get_routes (&n);

      for (guint i = 0; i < n; i++)
        g_print ("%s %s\n", routes[i].method, routes[i].pattern);
      return 0;
    }

  if (opt_db == NULL)
    {
      g_printerr ("--db PATH is required\n");
      return 2;
    }
  if (opt_port < 0 || opt_port > 65535)
    {
      g_printerr ("--port must be 0-65535\n");
      return 2;
    }
  if (opt_token_ttl < 1)
    {
      g_printerr ("--token-ttl must be at least 1\n");
      return 2;
    }
  if ((opt_tls_cert == NULL) != (opt_tls_key == NULL))
    {
      g_printerr ("--tls-cert and --tls-key go together\n");
      return 2;
    }
  if (opt_demo_size >= 0)
    opt_demo = TRUE;
  if (opt_pwhash_delay < 0 || opt_pwhash_delay > 60000 || (opt_pwhash_delay > 0 && !opt_demo))
    {
      g_printerr ("--pwhash-delay must be 0-60000 and goes with --demo\n");
      return 2;
    }

  if (sodium_init () < 0)
    {
      g_printerr ("cannot initialise libsodium\n");
      return 1;
    }

  server = co_server_new ();
  server->token_ttl = opt_token_ttl;
  server->demo = opt_demo;
  server->quiet = opt_quiet;
  server->pwhash_delay_ms = (guint) opt_pwhash_delay;

  if (opt_today != NULL)
    {
      if (!co_parse_date (opt_today, &server->today))
        {
          g_printerr ("--today must be YYYY-MM-DD\n");
          status = 2;
          goto out;
        }
      server->has_today = TRUE;
    }

  server->db = co_db_open (opt_db, opt_upgrade_to >= -1 ? opt_upgrade_to : -1, &error);
  if (server->db == NULL)
    {
      g_printerr ("%s\n", error->message);
      status = 1;
      goto out;
    }

  if (opt_upgrade_to >= -1)
    goto out;

  if (opt_add_staff != NULL)
    {
      status = add_staff (server);
      goto out;
    }

  server->calendar = load_calendar ();

  if (opt_demo)
    {
      guint size = opt_demo_size >= 0 ? (guint) opt_demo_size : 1200;
      gint64 start = g_get_monotonic_time ();

      if (size < 12)
        size = 12;
      if (!co_demo_seed (server, size, &error))
        {
          g_printerr ("%s\n", error->message);
          status = 1;
          goto out;
        }
      g_debug ("demo seed: %.2f s", (g_get_monotonic_time () - start) / 1e6);
    }

  if (opt_tls_cert != NULL)
    {
      certificate = g_tls_certificate_new_from_files (opt_tls_cert, opt_tls_key, &error);
      if (certificate == NULL)
        {
          g_printerr ("%s\n", error->message);
          status = 1;
          goto out;
        }
    }

  if (!co_server_listen (server, opt_host ? opt_host : "127.0.0.1", (guint) opt_port, certificate,
                         &base_url, &error))
    {
      g_printerr ("cannot listen: %s\n", error->message);
      status = 1;
      goto out;
    }

  /* Always the first line on stdout. */
  g_print ("%s\n", base_url);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal_cb, loop);
  g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  g_main_loop_run (loop);

out:
  co_server_free (server);
  g_free (opt_db);
  g_free (opt_host);
  g_free (opt_tls_cert);
  g_free (opt_tls_key);
  g_free (opt_today);
  g_free (opt_add_staff);
  g_free (opt_school);
  return status;
}
