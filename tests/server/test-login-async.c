/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Sign-in does not stall the reference server: passwords are verified on
 * worker threads while the loop answers everyone else. The server runs
 * with --pwhash-delay (a hidden test option making each verification
 * slower) so that "answered while sign-ins are being verified" is a matter
 * of order, not of timing. Also: concurrent wrong passwords are counted as
 * if one after the other (5 × 401, then 429), a client that leaves while
 * its password is checked harms nothing, and the server ends cleanly.
 */
#define G_LOG_DOMAIN "test-login-async"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#ifndef CO_SERVER_PATH
#error "CO_SERVER_PATH must name the card-office-server binary"
#endif

/* Each verification takes at least this long on the test server. */
#define DELAY_MS "1500"

typedef struct
{
  GSubprocess *process;
  char        *dir;
  char        *db;
  char        *log;
  char        *base;
} Server;

static SoupSession *session;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static Server *
server_start (const char * const *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  Server *s = g_new0 (Server, 1);

  s->dir = g_dir_make_tmp ("co-login-XXXXXX", &error);
  g_assert_no_error (error);
  s->db = g_build_filename (s->dir, "server.db", NULL);
  s->log = g_build_filename (s->dir, "server.log", NULL);

  g_ptr_array_add (argv, (char *) CO_SERVER_PATH);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, s->db);
  g_ptr_array_add (argv, (char *) "--port");
  g_ptr_array_add (argv, (char *) "0");
  for (guint i = 0; extra && extra[i]; i++)
    g_ptr_array_add (argv, (char *) extra[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, s->log);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  s->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->process));
  s->base = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (s->base);
  g_assert_true (g_str_has_prefix (s->base, "http://127.0.0.1:"));

  return s;
}

/* Stops @s and checks it ended well, having said nothing alarming. */
static void
server_stop (Server *s)
{
  g_autofree char *log = NULL;

  g_subprocess_send_signal (s->process, SIGTERM);
  g_subprocess_wait (s->process, NULL, NULL);
  g_file_get_contents (s->log, &log, NULL, NULL);
  if (!g_subprocess_get_if_exited (s->process) || g_subprocess_get_exit_status (s->process) != 0 ||
      (log != NULL && (strstr (log, "runtime error") || strstr (log, "AddressSanitizer") ||
                       strstr (log, "-WARNING **") || strstr (log, "-CRITICAL **"))))
    g_error ("the server did not end well:\n%s", log ? log : "");
  g_clear_object (&s->process);

  {
    g_autofree char *wal = g_strconcat (s->db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (s->db, "-shm", NULL);

    g_unlink (s->db);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (s->log);
    g_rmdir (s->dir);
  }

  g_free (s->dir);
  g_free (s->db);
  g_free (s->log);
  g_free (s->base);
  g_free (s);
}

/* Requests in flight, answered in an order we record */

typedef struct
{
  SoupMessage  *msg;
  GCancellable *cancellable;
  GBytes       *body;
  GError       *error;
  gboolean      written;   /* the whole request went out */
  gboolean      done;
  guint         order;     /* 1 for the first answer, ... */
} Call;

static guint answers;

static void
call_free (Call *call)
{
  g_clear_object (&call->msg);
  g_clear_object (&call->cancellable);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_error (&call->error);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static void
on_wrote_body_cb (SoupMessage *msg,
                  gpointer     user_data)
{
  Call *call = user_data;

  call->written = TRUE;
}

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Call *call = user_data;

  call->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &call->error);
  call->done = TRUE;
  call->order = ++answers;
}

static Call *
call_start (Server     *s,
            const char *method,
            const char *path,
            const char *token,
            const char *json)
{
  g_autofree char *url = g_strconcat (s->base, path, NULL);
  Call *call = g_new0 (Call, 1);

  call->msg = soup_message_new (method, url);
  call->cancellable = g_cancellable_new ();
  g_assert_nonnull (call->msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (call->msg),
                                    "Authorization", auth);
    }
  if (json != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
      soup_message_set_request_body_from_bytes (call->msg, "application/json", bytes);
    }
  g_signal_connect (call->msg, "wrote-body", G_CALLBACK (on_wrote_body_cb), call);
  soup_session_send_and_read_async (session, call->msg, G_PRIORITY_DEFAULT, call->cancellable,
                                    on_sent_cb, call);

  return call;
}

static Call *
sign_in_start (Server     *s,
               const char *username,
               const char *password)
{
  g_autofree char *json = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}",
                                           username, password);

  return call_start (s, "POST", "/api/v1/auth/login", NULL, json);
}

static gboolean
on_deadline_cb (gpointer user_data)
{
  g_error ("deadline passed: %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

/* Spins the loop until all of @calls are written (@written) or done. */
static void
wait_for (Call     **calls,
          guint      n,
          gboolean   written,
          const char *what)
{
  guint deadline = g_timeout_add_seconds (60, on_deadline_cb, (gpointer) what);

  for (;;)
    {
      gboolean all = TRUE;

      for (guint i = 0; i < n; i++)
        all = all && (written ? (calls[i]->written || calls[i]->done) : calls[i]->done);
      if (all)
        break;
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (deadline);
}

static JsonObject *
call_json (Call      *call,
           JsonNode **root)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data;

  g_assert_no_error (call->error);
  data = g_bytes_get_data (call->body, &size);
  json_parser_load_from_data (parser, data, (gssize) size, &error);
  g_assert_no_error (error);
  *root = json_node_ref (json_parser_get_root (parser));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*root));
  return json_node_get_object (*root);
}

static const char *
error_code (Call      *call,
            JsonNode **root)
{
  JsonObject *object = call_json (call, root);

  g_assert_true (json_object_has_member (object, "error"));
  return json_object_get_string_member (json_object_get_object_member (object, "error"),
                                        "code");
}

static char *
sign_in (Server     *s,
         const char *username,
         const char *password)
{
  g_autoptr(Call) call = sign_in_start (s, username, password);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  wait_for (&call, 1, FALSE, "sign-in");
  g_assert_cmpuint (soup_message_get_status (call->msg), ==, 200);
  object = call_json (call, &root);
  return g_strdup (json_object_get_string_member (object, "token"));
}

/* Tests */

/* Four sign-ins are being verified (two workers, so at least two rounds
 * of DELAY_MS); a GET sent after all four went out is answered before any
 * of them. On a server hashing on its loop it would wait for at least one. */
static void
test_others_answered_meanwhile (void)
{
  const char *args[] = { "--demo-size", "12", "--quiet", "--pwhash-delay", DELAY_MS, NULL };
  Server *s = server_start (args);
  g_autofree char *token = sign_in (s, "demo", "demo");
  Call *logins[4];
  g_autoptr(Call) school = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  answers = 0;
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    logins[i] = i % 2 ? sign_in_start (s, "demo2", "demo2") : sign_in_start (s, "demo", "demo");
  wait_for (logins, G_N_ELEMENTS (logins), TRUE, "sign-ins written");
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    g_assert_false (logins[i]->done);

  school = call_start (s, "GET", "/api/v1/school", token, NULL);
  wait_for (&school, 1, FALSE, "school");
  g_assert_no_error (school->error);
  g_assert_cmpuint (soup_message_get_status (school->msg), ==, 200);
  g_assert_true (json_object_has_member (call_json (school, &root), "name"));
  g_assert_cmpuint (school->order, ==, 1);

  /* Then every sign-in succeeds, each with a token of its own. */
  wait_for (logins, G_N_ELEMENTS (logins), FALSE, "sign-ins");
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    {
      g_autoptr(JsonNode) login_root = NULL;
      JsonObject *object;

      g_assert_cmpuint (logins[i]->order, >, 1);
      g_assert_cmpuint (soup_message_get_status (logins[i]->msg), ==, 200);
      object = call_json (logins[i], &login_root);
      g_assert_cmpstr (json_object_get_string_member (object, "username"), ==,
                       i % 2 ? "demo2" : "demo");
      g_assert_true (g_hash_table_add (tokens,
                                       g_strdup (json_object_get_string_member (object, "token"))));
      call_free (logins[i]);
    }

  server_stop (s);
}

/* Seven wrong passwords at once count as seven in a row: five 401, then
 * the name is locked (429 with Retry-After), the right password too;
 * another name signs in meanwhile. */
static void
test_concurrent_wrong_passwords (void)
{
  const char *args[] = { "--demo-size", "12", "--quiet", "--pwhash-delay", "200", NULL };
  Server *s = server_start (args);
  Call *wrong[7];
  g_autoptr(Call) other = NULL;
  g_autoptr(Call) right = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint unauthorized = 0, throttled = 0;
  const char *retry;

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    wrong[i] = sign_in_start (s, "demo", "wrong");
  other = sign_in_start (s, "demo2", "demo2");
  wait_for (wrong, G_N_ELEMENTS (wrong), FALSE, "wrong passwords");
  wait_for (&other, 1, FALSE, "the other name");

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(JsonNode) wrong_root = NULL;
      guint status = soup_message_get_status (wrong[i]->msg);
      const char *code = error_code (wrong[i], &wrong_root);

      if (status == 401)
        {
          g_assert_cmpstr (code, ==, "unauthorized");
          unauthorized++;
        }
      else
        {
          g_assert_cmpuint (status, ==, 429);
          g_assert_cmpstr (code, ==, "throttled");
          retry = soup_message_headers_get_one (soup_message_get_response_headers (wrong[i]->msg),
                                                "Retry-After");
          g_assert_nonnull (retry);
          g_assert_cmpint (g_ascii_strtoll (retry, NULL, 10), >, 0);
          g_assert_cmpint (g_ascii_strtoll (retry, NULL, 10), <=, 60);
          throttled++;
        }
      call_free (wrong[i]);
    }
  g_assert_cmpuint (unauthorized, ==, 5);
  g_assert_cmpuint (throttled, ==, 2);
  g_assert_cmpuint (soup_message_get_status (other->msg), ==, 200);

  right = sign_in_start (s, "demo", "demo");
  wait_for (&right, 1, FALSE, "the right password");
  g_assert_cmpuint (soup_message_get_status (right->msg), ==, 429);
  g_assert_cmpstr (error_code (right, &root), ==, "throttled");

  server_stop (s);
}

/* A client leaving while its password is verified harms nothing: the
 * server goes on answering and ends cleanly. An unknown name costs a
 * verification too and is refused. */
static void
test_client_leaves (void)
{
  const char *args[] = { "--demo-size", "12", "--pwhash-delay", DELAY_MS, NULL };
  Server *s = server_start (args);
  g_autoptr(Call) leaving = sign_in_start (s, "demo", "demo");
  g_autoptr(Call) unknown = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *token = NULL;

  wait_for (&leaving, 1, TRUE, "sign-in written");
  g_cancellable_cancel (leaving->cancellable);
  wait_for (&leaving, 1, FALSE, "sign-in cancelled");
  g_assert_error (leaving->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  unknown = sign_in_start (s, "nobody", "demo");
  wait_for (&unknown, 1, FALSE, "unknown name");
  g_assert_cmpuint (soup_message_get_status (unknown->msg), ==, 401);
  g_assert_cmpstr (error_code (unknown, &root), ==, "unauthorized");

  token = sign_in (s, "demo", "demo");
  g_assert_nonnull (token);

  server_stop (s);
}

/* The server ends promptly and cleanly with sign-ins still being verified. */
static void
test_stop_while_verifying (void)
{
  const char *args[] = { "--demo-size", "12", "--quiet", "--pwhash-delay", DELAY_MS, NULL };
  Server *s = server_start (args);
  Call *logins[5];

  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    logins[i] = sign_in_start (s, "demo", "demo");
  wait_for (logins, G_N_ELEMENTS (logins), TRUE, "sign-ins written");

  server_stop (s);

  /* Each got an error or an answer, none hangs. */
  wait_for (logins, G_N_ELEMENTS (logins), FALSE, "sign-ins ended");
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    call_free (logins[i]);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* Enough connections that requests are not queued in the client. */
  session = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64, NULL);

  g_test_add_func ("/login-async/others-answered-meanwhile", test_others_answered_meanwhile);
  g_test_add_func ("/login-async/concurrent-wrong-passwords", test_concurrent_wrong_passwords);
  g_test_add_func ("/login-async/client-leaves", test_client_leaves);
  g_test_add_func ("/login-async/stop-while-verifying", test_stop_while_verifying);

  status = g_test_run ();
  g_clear_object (&session);
  return status;
}
