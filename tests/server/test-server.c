/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The reference server over real HTTP: the binary is started on 127.0.0.1
 * port 0 with a fresh SQLite file (its first stdout line is its base URL)
 * and exercised with libsoup: the contract (data/openapi.json) against the
 * route table both ways, auth, school scope, every rule refusal, field
 * errors, idempotency, limits, the database file, migrations, the demo
 * data and TLS.
 */
#define G_LOG_DOMAIN "test-server"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#ifndef CO_SERVER_PATH
#error "CO_SERVER_PATH must name the card-office-server binary"
#endif

/* A running server */

typedef struct
{
  GSubprocess *process;
  char        *dir;
  char        *db;
  char        *log;
  char        *base;
} Server;

static SoupSession *session;
static Server *demo;          /* --demo, shared by most tests */
static char *demo_token;      /* staff "demo" */
static char *demo2_token;     /* staff "demo2", the other school */
static guint key_counter;

/* A server outlives no test that aborts. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static Server *
server_start_full (const char * const *extra,
                   const char         *dir,
                   GError            **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  Server *s = g_new0 (Server, 1);

  s->dir = dir ? g_strdup (dir) : g_dir_make_tmp ("co-server-XXXXXX", NULL);
  s->db = g_build_filename (s->dir, "server.db", NULL);
  s->log = g_strdup_printf ("%s/server-%u.log", s->dir, g_random_int ());

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
  s->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (s->process == NULL)
    return NULL;

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, error);
  if (line == NULL)
    {
      g_autofree char *log = NULL;

      g_file_get_contents (s->log, &log, NULL, NULL);
      if (error && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the server printed no URL: %s",
                     log ? log : "");
      return NULL;
    }
  s->base = g_steal_pointer (&line);

  return s;
}

static Server *
server_start (const char * const *extra)
{
  g_autoptr(GError) error = NULL;
  Server *s = server_start_full (extra, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (s);
  g_assert_true (g_str_has_prefix (s->base, "http://127.0.0.1:") ||
                 g_str_has_prefix (s->base, "https://127.0.0.1:"));
  return s;
}

static void
server_stop (Server *s,
             gboolean keep_dir)
{
  if (s == NULL)
    return;

  if (s->process != NULL)
    {
      g_autofree char *log = NULL;

      g_subprocess_send_signal (s->process, SIGTERM);
      g_subprocess_wait (s->process, NULL, NULL);

      /* A clean exit, and nothing alarming said on the way. */
      g_file_get_contents (s->log, &log, NULL, NULL);
      if (!g_subprocess_get_if_exited (s->process) ||
          g_subprocess_get_exit_status (s->process) != 0 ||
          (log != NULL && (strstr (log, "runtime error") || strstr (log, "AddressSanitizer") ||
                           strstr (log, "-WARNING **") || strstr (log, "-CRITICAL **"))))
        g_error ("the server did not end well:\n%s", log ? log : "");
      g_clear_object (&s->process);
    }

  if (!keep_dir)
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

/* HTTP */

typedef struct
{
  guint               status;
  GBytes             *body;
  JsonNode           *json;
  SoupMessageHeaders *headers;
} Reply;

static void
reply_free (Reply *r)
{
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->json, json_node_unref);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static gboolean
accept_any_certificate_cb (SoupMessage          *msg,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  return TRUE;
}

static char *
new_key (void)
{
  return g_strdup_printf ("test-%u-%u", (guint) getpid (), ++key_counter);
}

/* Sends a request; @key "" means "make one up" for writes, NULL none. */
static Reply *
request_full (Server     *s,
              const char *method,
              const char *path,
              const char *token,
              const char *key,
              const char *content_type,
              const void *body,
              gsize       body_len)
{
  g_autofree char *url = g_strconcat (s->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autofree char *made_key = NULL;
  SoupMessageHeaders *headers;
  Reply *r = g_new0 (Reply, 1);
  const char *type;

  g_assert_nonnull (msg);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate_cb), NULL);
  headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (key != NULL)
    {
      if (*key == '\0')
        key = made_key = new_key ();
      soup_message_headers_replace (headers, "Idempotency-Key", key);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_len);
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  r->body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  type = soup_message_headers_get_content_type (r->headers, NULL);
  if (g_strcmp0 (type, "application/json") == 0)
    {
      gsize size;
      const char *data = g_bytes_get_data (r->body, &size);

      r->json = json_from_string (data ? data : "", &error);
      g_assert_no_error (error);
      g_assert_nonnull (r->json);
    }

  return r;
}

static Reply *
request (Server     *s,
         const char *method,
         const char *path,
         const char *token,
         const char *json)
{
  gboolean write = strcmp (method, "GET") != 0;

  return request_full (s, method, path, token, write ? "" : NULL, "application/json",
                       json, json ? strlen (json) : 0);
}

static Reply *
get (const char *path,
     const char *token)
{
  return request (demo, "GET", path, token, NULL);
}

static Reply *
post (const char *path,
      const char *json)
{
  return request (demo, "POST", path, demo_token, json);
}

/* JSON: "a.b.c" member paths */

static JsonNode *
member (JsonNode   *node,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), parts[i]);
    }

  return node;
}

static const char *
jstr (JsonNode   *node,
      const char *path)
{
  JsonNode *m = member (node, path);

  if (m == NULL || JSON_NODE_HOLDS_NULL (m))
    return NULL;
  g_assert_true (JSON_NODE_HOLDS_VALUE (m));
  return json_node_get_string (m);
}

static gint64
jint (JsonNode   *node,
      const char *path)
{
  JsonNode *m = member (node, path);

  g_assert_nonnull (m);
  g_assert_true (JSON_NODE_HOLDS_VALUE (m));
  return json_node_get_int (m);
}

static gboolean
jnull (JsonNode   *node,
       const char *path)
{
  JsonNode *m = member (node, path);

  return m != NULL && JSON_NODE_HOLDS_NULL (m);
}

static JsonArray *
jarray (JsonNode   *node,
        const char *path)
{
  JsonNode *m = member (node, path);

  g_assert_nonnull (m);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (m));
  return json_node_get_array (m);
}

/* Asserts @r is an error answer with @status and @code (and @field). */
static void
assert_error (Reply      *r,
              guint       status,
              const char *code,
              const char *field)
{
  if (r->status != status || g_strcmp0 (jstr (r->json, "error.code"), code) != 0)
    {
      g_autofree char *text = r->json ? json_to_string (r->json, FALSE) : g_strdup ("(no JSON)");
      g_error ("expected %u %s, got %u: %s", status, code, r->status, text);
    }
  g_assert_nonnull (jstr (r->json, "error.message"));
  if (field != NULL)
    g_assert_cmpstr (jstr (r->json, "error.field"), ==, field);
}

static void
assert_status (Reply *r,
               guint  status)
{
  if (r->status != status)
    {
      g_autofree char *text = r->json ? json_to_string (r->json, FALSE) : g_strdup ("(no JSON)");
      g_error ("expected status %u, got %u: %s", status, r->status, text);
    }
}

static char *
login (Server     *s,
       const char *username,
       const char *password)
{
  g_autofree char *body =
    g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
  g_autoptr (Reply) r = request_full (s, "POST", "/api/v1/auth/login", NULL, NULL,
                                      "application/json", body, strlen (body));

  assert_status (r, 200);
  return g_strdup (jstr (r->json, "token"));
}

/* A student made to order in the demo school; @card: active, not_issued or none. */
static char *
new_student_full (int         grade,
                  const char *entry,
                  const char *card)
{
  g_autofree char *body =
    g_strdup_printf ("{\"name\":\"测试学生\",\"gender\":\"female\",\"grade\":%d,"
                     "\"class_name\":\"2班\",\"entry\":\"%s\",\"card\":\"%s\"}",
                     grade, entry, card);
  g_autoptr(Reply) r = post ("/api/v1/dev/students", body);

  assert_status (r, 201);
  return g_strdup (jstr (r->json, "edu_id"));
}

static char *
new_student (const char *card)
{
  return new_student_full (4, "continuing", card);
}

static Reply *
student (const char *edu_id)
{
  g_autofree char *path = g_strconcat ("/api/v1/students/", edu_id, NULL);
  Reply *r = get (path, demo_token);

  assert_status (r, 200);
  return r;
}

static void
report_loss (const char *edu_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/students/%s/loss", edu_id);
  g_autoptr(Reply) r = post (path, NULL);

  assert_status (r, 200);
  g_assert_cmpstr (jstr (r->json, "card.status"), ==, "reported_lost");
}

static gint64
apply_school (const char *edu_id)
{
  g_autofree char *body = g_strdup_printf ("{\"edu_id\":\"%s\",\"delivery\":\"school\"}", edu_id);
  g_autoptr(Reply) r = post ("/api/v1/reissues", body);

  assert_status (r, 201);
  g_assert_cmpstr (jstr (r->json, "status"), ==, "pending_payment");
  return jint (r->json, "id");
}

static Reply *
reissue_step (gint64      id,
              const char *step)
{
  g_autofree char *path = g_strdup_printf (
    "/api/v1/%sreissues/%" G_GINT64_FORMAT "/%s",
    g_str_equal (step, "payment") || g_str_equal (step, "refund") || g_str_equal (step, "withdraw")
      ? ""
      : "dev/",
    id, step);
  return post (path, NULL);
}

static void
reissue_ok (gint64      id,
            const char *step,
            const char *status)
{
  g_autoptr(Reply) r = reissue_step (id, step);

  assert_status (r, 200);
  if (status != NULL)
    g_assert_cmpstr (jstr (r->json, "status"), ==, status);
}

static void
reissue_refused (gint64      id,
                 const char *step,
                 const char *code)
{
  g_autoptr(Reply) r = reissue_step (id, step);

  assert_error (r, 409, code, NULL);
}

static gint64
audit_count (const char *edu_id,
             const char *action)
{
  g_autofree char *path =
    g_strdup_printf ("/api/v1/audit?edu_id=%s&action=%s&limit=1000", edu_id, action);
  g_autoptr(Reply) r = get (path, demo_token);

  assert_status (r, 200);
  return json_array_get_length (jarray (r->json, "entries"));
}

/* The contract */

static char *
openapi_path (void)
{
  const char *datadir = g_getenv ("CARD_OFFICE_DATADIR");

  if (datadir != NULL)
    return g_build_filename (datadir, "openapi.json", NULL);
  return g_test_build_filename (G_TEST_DIST, "..", "..", "data", "openapi.json", NULL);
}

static void
test_openapi_routes (void)
{
  static const char * const methods[] = { "get", "put", "post", "delete", "patch" };
  g_autofree char *path = openapi_path ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) documented = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) served = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  const char *argv[] = { CO_SERVER_PATH, "--list-routes", NULL };
  g_autoptr(GList) members = NULL;
  JsonObject *paths;
  GHashTableIter iter;
  gpointer route;
  int wait_status;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (jstr (json_parser_get_root (parser), "openapi"), ==, "3.0.3");
  paths = json_node_get_object (member (json_parser_get_root (parser), "paths"));

  members = json_object_get_members (paths);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *item = json_object_get_object_member (paths, l->data);

      for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
        {
          if (json_object_has_member (item, methods[i]))
            {
              g_autofree char *upper = g_ascii_strup (methods[i], -1);
              g_hash_table_add (documented, g_strdup_printf ("%s %s", upper, (char *) l->data));
            }
        }
    }

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &wait_status,
                &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (wait_status, &error);
  g_assert_no_error (error);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*lines[i] != '\0')
        g_hash_table_add (served, g_strdup (lines[i]));
    }

  g_assert_cmpuint (g_hash_table_size (served), >, 20);

  /* Every served route is documented ... */
  g_hash_table_iter_init (&iter, served);
  while (g_hash_table_iter_next (&iter, &route, NULL))
    {
      if (!g_hash_table_contains (documented, route))
        g_error ("served but not in openapi.json: %s", (char *) route);
    }

  /* ... and every documented one is served, by the running server too:
   * without a token it answers 401 (login: 422), never 404 or 405. */
  g_hash_table_iter_init (&iter, documented);
  while (g_hash_table_iter_next (&iter, &route, NULL))
    {
      g_auto(GStrv) parts = g_strsplit (route, " ", 2);
      g_autoptr(GRegex) params = g_regex_new ("\\{id\\}", 0, 0, NULL);
      g_autoptr(GRegex) others = g_regex_new ("\\{[a-z_]+\\}", 0, 0, NULL);
      g_autofree char *with_id = g_regex_replace_literal (params, parts[1], -1, 0, "1", 0, NULL);
      g_autofree char *concrete =
        g_regex_replace_literal (others, with_id, -1, 0, "12345678", 0, NULL);
      g_autoptr(Reply) r = NULL;

      if (!g_hash_table_contains (served, route))
        g_error ("documented but not served: %s", (char *) route);

      r = request_full (demo, parts[0], concrete, NULL, NULL, "application/json", "{}", 2);
      if (g_str_equal (parts[1], "/api/v1/auth/login"))
        assert_error (r, 422, "invalid_field", "username");
      else
        {
          assert_error (r, 401, "unauthorized", NULL);
          g_assert_true (g_str_has_prefix (
            soup_message_headers_get_one (r->headers, "WWW-Authenticate"), "Bearer"));
        }
    }
}

/* Auth */

static void
test_auth_login (void)
{
  g_autoptr(Reply) good = NULL;
  g_autoptr(Reply) bad = NULL;
  g_autoptr(Reply) school = NULL;
  g_autoptr(Reply) nobody = NULL;
  const char *body = "{\"username\":\"demo\",\"password\":\"demo\"}";
  const char *wrong = "{\"username\":\"demo\",\"password\":\"wrong\"}";
  const char *unknown = "{\"username\":\"nobody\",\"password\":\"demo\"}";

  good = request_full (demo, "POST", "/api/v1/auth/login", NULL, NULL, "application/json", body,
                       strlen (body));
  assert_status (good, 200);
  g_assert_cmpuint (strlen (jstr (good->json, "token")), >=, 40);
  g_assert_cmpstr (jstr (good->json, "username"), ==, "demo");
  g_assert_true (g_str_has_suffix (jstr (good->json, "expires_at"), "+08:00"));
  g_assert_nonnull (jstr (good->json, "school_name"));

  bad = request_full (demo, "POST", "/api/v1/auth/login", NULL, NULL, "application/json", wrong,
                      strlen (wrong));
  assert_error (bad, 401, "unauthorized", NULL);
  nobody = request_full (demo, "POST", "/api/v1/auth/login", NULL, NULL, "application/json",
                         unknown, strlen (unknown));
  assert_error (nobody, 401, "unauthorized", NULL);

  school = get ("/api/v1/school", jstr (good->json, "token"));
  assert_status (school, 200);
  g_assert_cmpstr (jstr (school->json, "name"), ==, jstr (good->json, "school_name"));
  g_assert_cmpint (jint (school->json, "fee_fen"), ==, 1500);
}

static void
test_auth_missing_token (void)
{
  g_autoptr(Reply) none = get ("/api/v1/school", NULL);
  g_autoptr(Reply) junk = get ("/api/v1/school", "not-a-token");

  assert_error (none, 401, "unauthorized", NULL);
  g_assert_true (
    g_str_has_prefix (soup_message_headers_get_one (none->headers, "WWW-Authenticate"), "Bearer"));
  assert_error (junk, 401, "unauthorized", NULL);
}

static void
test_auth_logout (void)
{
  g_autofree char *token = login (demo, "demo", "demo");
  g_autoptr(Reply) before = get ("/api/v1/school", token);
  g_autoptr(Reply) out = request (demo, "POST", "/api/v1/auth/logout", token, NULL);
  g_autoptr(Reply) after = get ("/api/v1/school", token);
  g_autoptr(Reply) other = get ("/api/v1/school", demo_token);

  assert_status (before, 200);
  assert_status (out, 204);
  assert_error (after, 401, "unauthorized", NULL);
  assert_status (other, 200);
}

/* Throttling and expiry on a server of their own (--token-ttl 2). */
static void
test_auth_throttle_and_expiry (void)
{
  const char *args[] = { "--demo-size", "12", "--token-ttl", "2", NULL };
  Server *s = server_start (args);
  const char *wrong = "{\"username\":\"demo\",\"password\":\"wrong\"}";
  const char *right = "{\"username\":\"demo\",\"password\":\"demo\"}";
  g_autofree char *token = login (s, "demo2", "demo2");
  g_autoptr(Reply) locked = NULL;
  g_autoptr(Reply) fresh = NULL;
  g_autoptr(Reply) expired = NULL;
  gint64 retry;

  fresh = request (s, "GET", "/api/v1/school", token, NULL);
  assert_status (fresh, 200);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr (Reply) r = request_full (s, "POST", "/api/v1/auth/login", NULL, NULL,
                                          "application/json", wrong, strlen (wrong));
      assert_error (r, 401, "unauthorized", NULL);
    }

  /* Locked now, even with the right password. */
  locked = request_full (s, "POST", "/api/v1/auth/login", NULL, NULL, "application/json", right,
                         strlen (right));
  assert_error (locked, 429, "throttled", NULL);
  retry = g_ascii_strtoll (soup_message_headers_get_one (locked->headers, "Retry-After"), NULL, 10);
  g_assert_cmpint (retry, >, 0);
  g_assert_cmpint (retry, <=, 60);

  /* Another user is not locked out. */
  g_free (login (s, "demo2", "demo2"));

  /* The token of --token-ttl 2 has expired 3 s later. */
  g_usleep (3 * G_USEC_PER_SEC);
  expired = request (s, "GET", "/api/v1/school", token, NULL);
  assert_error (expired, 401, "unauthorized", NULL);

  server_stop (s, FALSE);
}

/* School scope */

static void
test_scope_cross_school (void)
{
  g_autofree char *edu_id = new_student ("active");
  g_autoptr(Reply) mine = student (edu_id);
  const char *card_no = jstr (mine->json, "card.card_no");
  const char *uid = jstr (mine->json, "card.uid");
  g_autofree char *p_student = g_strconcat ("/api/v1/students/", edu_id, NULL);
  g_autofree char *p_loss = g_strconcat (p_student, "/loss", NULL);
  g_autofree char *p_photo = g_strconcat (p_student, "/photo", NULL);
  g_autofree char *p_uid = g_strconcat ("/api/v1/cards/by-uid/", uid, NULL);
  g_autofree char *p_handout = g_strdup_printf ("/api/v1/cards/%s/handout", card_no);
  g_autofree char *body = g_strdup_printf ("{\"edu_id\":\"%s\",\"delivery\":\"school\"}", edu_id);
  g_autofree char *p_reissue = NULL;
  g_autoptr(Reply) r1 = get (p_student, demo2_token);
  g_autoptr(Reply) r2 = request (demo, "POST", p_loss, demo2_token, NULL);
  g_autoptr(Reply) r3 = get (p_uid, demo2_token);
  g_autoptr(Reply) r4 = request (demo, "POST", p_handout, demo2_token, NULL);
  g_autoptr(Reply) r5 = get (p_photo, demo2_token);
  g_autoptr(Reply) r6 = NULL;
  g_autoptr(Reply) r7 = NULL;
  g_autoptr(Reply) r8 = NULL;
  g_autoptr(Reply) r9 = NULL;
  gint64 id;

  assert_error (r1, 404, "not_found", NULL);
  assert_error (r2, 404, "not_found", NULL);
  assert_error (r3, 404, "not_found", NULL);
  assert_error (r4, 404, "not_found", NULL);
  assert_error (r5, 404, "not_found", NULL);

  report_loss (edu_id);
  r6 = request (demo, "POST", "/api/v1/reissues", demo2_token, body);
  assert_error (r6, 404, "not_found", NULL);
  id = apply_school (edu_id);
  p_reissue = g_strdup_printf ("/api/v1/reissues/%" G_GINT64_FORMAT, id);
  r7 = get (p_reissue, demo2_token);
  assert_error (r7, 404, "not_found", NULL);
  g_free (p_reissue);
  p_reissue = g_strdup_printf ("/api/v1/reissues/%" G_GINT64_FORMAT "/payment", id);
  r8 = request (demo, "POST", p_reissue, demo2_token, NULL);
  assert_error (r8, 404, "not_found", NULL);

  /* And it is not in the other school's lists. */
  g_free (p_reissue);
  p_reissue = g_strdup_printf ("/api/v1/students?q=%s", edu_id);
  r9 = get (p_reissue, demo2_token);
  assert_status (r9, 200);
  g_assert_cmpuint (json_array_get_length (jarray (r9->json, "students")), ==, 0);
}

/* Rules: every refusal is 409 with its reason code */

static void
test_rules_loss (void)
{
  g_autofree char *active = new_student ("active");
  g_autofree char *none = new_student ("none");
  g_autofree char *not_issued = new_student ("not_issued");
  g_autofree char *p_lift = g_strdup_printf ("/api/v1/students/%s/loss", active);
  g_autofree char *p_none = g_strdup_printf ("/api/v1/students/%s/loss", none);
  g_autofree char *p_ni = g_strdup_printf ("/api/v1/students/%s/loss", not_issued);
  g_autofree char *body = g_strdup_printf ("{\"edu_id\":\"%s\",\"delivery\":\"school\"}", active);
  g_autoptr(Reply) lift = request (demo, "DELETE", p_lift, demo_token, NULL);
  g_autoptr(Reply) early = post ("/api/v1/reissues", body);
  g_autoptr(Reply) no_card = post (p_none, NULL);
  g_autoptr(Reply) ni = post (p_ni, NULL);
  g_autoptr(Reply) twice = NULL;
  g_autoptr(Reply) lifted = NULL;

  assert_error (lift, 409, "card_not_lost", NULL);
  assert_error (early, 409, "card_not_lost", NULL);    /* reissue without loss */
  assert_error (no_card, 409, "card_not_issued", NULL);
  assert_error (ni, 409, "card_not_issued", NULL);

  report_loss (active);
  twice = post (p_lift, NULL);
  assert_error (twice, 409, "card_already_lost", NULL);

  lifted = request (demo, "DELETE", p_lift, demo_token, NULL);
  assert_status (lifted, 200);
  g_assert_cmpstr (jstr (lifted->json, "card.status"), ==, "active");
}

static void
test_rules_school_lifecycle (void)
{
  g_autofree char *edu_id = new_student ("active");
  g_autoptr(Reply) first = student (edu_id);
  g_autofree char *old_card = g_strdup (jstr (first->json, "card.card_no"));
  g_autofree char *old_uid = g_strdup (jstr (first->json, "card.uid"));
  g_autofree char *body = g_strdup_printf ("{\"edu_id\":\"%s\",\"delivery\":\"school\"}", edu_id);
  g_autofree char *p_lift = g_strdup_printf ("/api/v1/students/%s/loss", edu_id);
  g_autofree char *p_handout = g_strdup_printf ("/api/v1/cards/%s/handout", old_card);
  g_autofree char *p_uid = g_strdup_printf ("/api/v1/cards/by-uid/%s", old_uid);
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) lift = NULL;
  g_autoptr(Reply) pay1 = NULL;
  g_autoptr(Reply) pay2 = NULL;
  g_autoptr(Reply) paid = NULL;
  g_autoptr(Reply) early_handout = NULL;
  g_autoptr(Reply) handout = NULL;
  g_autoptr(Reply) old = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) expires = NULL;
  gint64 id;

  report_loss (edu_id);
  id = apply_school (edu_id);

  again = post ("/api/v1/reissues", body);
  assert_error (again, 409, "reissue_open", NULL);
  lift = request (demo, "DELETE", p_lift, demo_token, NULL);
  assert_error (lift, 409, "reissue_open", NULL);
  reissue_refused (id, "refund", "not_paid");
  reissue_refused (id, "start-production", "not_paid");
  reissue_refused (id, "finish-production", "not_in_production");

  /* A payment code for 10 minutes; asked again, the same code. */
  pay1 = reissue_step (id, "payment");
  assert_status (pay1, 200);
  g_assert_true (g_str_has_prefix (jstr (pay1->json, "code_url"), "weixin://wxpay/bizpayurl?pr="));
  g_assert_cmpint (jint (pay1->json, "amount_fen"), ==, 1500);
  expires = g_date_time_new_from_iso8601 (jstr (pay1->json, "expires_at"), NULL);
  g_assert_nonnull (expires);
  g_assert_cmpint (g_date_time_difference (expires, now) / G_USEC_PER_SEC, >=, 595);
  g_assert_cmpint (g_date_time_difference (expires, now) / G_USEC_PER_SEC, <=, 605);
  pay2 = reissue_step (id, "payment");
  assert_status (pay2, 200);
  g_assert_cmpstr (jstr (pay2->json, "code_url"), ==, jstr (pay1->json, "code_url"));

  paid = reissue_step (id, "pay");
  assert_status (paid, 200);
  g_assert_cmpstr (jstr (paid->json, "status"), ==, "paid");
  g_assert_nonnull (jstr (paid->json, "paid_at"));
  g_assert_nonnull (jstr (paid->json, "due_on"));
  g_assert_nonnull (jstr (paid->json, "payment_expires_at"));

  reissue_refused (id, "pay", "already_paid");
  reissue_refused (id, "payment", "already_paid");
  reissue_refused (id, "withdraw", "withdraw_needs_refund");
  reissue_ok (id, "start-production", "in_production");
  reissue_refused (id, "refund", "in_production");       /* refund in production */
  reissue_refused (id, "withdraw", "in_production");
  reissue_refused (id, "deliver", "not_awaiting_pickup");
  early_handout = post (p_handout, NULL);
  assert_error (early_handout, 409, "not_awaiting_pickup", NULL);

  reissue_ok (id, "finish-production", "awaiting_pickup");
  reissue_refused (id, "deliver", "school_delivery");
  reissue_refused (id, "refund", "in_production");

  handout = post (p_handout, NULL);
  assert_status (handout, 200);
  g_assert_cmpstr (jstr (handout->json, "reissue.status"), ==, "collected");
  g_assert_cmpstr (jstr (handout->json, "card.status"), ==, "active");
  g_assert_cmpstr (jstr (handout->json, "card.card_no"), !=, old_card);
  g_assert_cmpstr (jstr (handout->json, "card.uid"), !=, old_uid);
  g_assert_cmpstr (jstr (handout->json, "card.bjt_no"), ==, jstr (first->json, "card.bjt_no"));

  /* The old card is cancelled for good. */
  old = get (p_uid, demo_token);
  assert_status (old, 200);
  g_assert_cmpstr (jstr (old->json, "card.status"), ==, "cancelled");
  g_assert_cmpstr (jstr (old->json, "student.card.status"), ==, "active");
  reissue_refused (id, "refund", "in_production");
  {
    g_autoptr(Reply) twice = post (p_handout, NULL);
    assert_error (twice, 409, "not_awaiting_pickup", NULL);
  }
}

static void
test_rules_home_delivery (void)
{
  g_autofree char *edu_id = new_student ("active");
  g_autoptr(Reply) first = student (edu_id);
  g_autofree char *p_handout =
    g_strdup_printf ("/api/v1/cards/%s/handout", jstr (first->json, "card.card_no"));
  struct
  {
    const char *extra;
    const char *code;
    const char *field;
  } refusals[] = {
    { "", "address_missing", "address" },
    { ",\"address\":\"  \",\"recipient\":\"王女士\",\"phone\":\"13800138000\"", "address_missing",
      "address" },
    { ",\"address\":\"北京市海淀区学院路1号\",\"phone\":\"13800138000\"", "recipient_missing",
      "recipient" },
    { ",\"address\":\"北京市海淀区学院路1号\",\"recipient\":\"王女士\",\"phone\":\"12345\"",
      "phone_invalid", "phone" },
    { ",\"address\":\"北京市海淀区学院路1号\",\"recipient\":\"王女士\",\"phone\":\"13800138000\","
      "\"courier_fee_fen\":1501",
      "courier_fee_over_cap", "courier_fee_fen" },
  };
  g_autofree char *good =
    g_strdup_printf ("{\"edu_id\":\"%s\",\"delivery\":\"home\",\"address\":\"北京市海淀区"
                     "学院路1号\",\"recipient\":\"王女士\",\"phone\":\"13800138000\","
                     "\"courier_fee_fen\":1200}",
                     edu_id);
  g_autoptr(Reply) applied = NULL;
  g_autoptr(Reply) shipped = NULL;
  g_autoptr(Reply) handout = NULL;
  g_autoptr(Reply) delivered = NULL;
  g_autoptr(Reply) after = NULL;
  gint64 id;

  report_loss (edu_id);
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *body =
        g_strdup_printf ("{\"edu_id\":\"%s\",\"delivery\":\"home\"%s}", edu_id, refusals[i].extra);
      g_autoptr(Reply) r = post ("/api/v1/reissues", body);

      assert_error (r, 409, refusals[i].code, refusals[i].field);
    }

  applied = post ("/api/v1/reissues", good);
  assert_status (applied, 201);
  g_assert_cmpstr (jstr (applied->json, "delivery"), ==, "home");
  g_assert_cmpstr (jstr (applied->json, "phone"), ==, "13800138000");
  g_assert_cmpint (jint (applied->json, "courier_fee_fen"), ==, 1200);
  g_assert_true (jnull (applied->json, "courier_no"));
  id = jint (applied->json, "id");

  reissue_ok (id, "pay", "paid");
  reissue_ok (id, "start-production", "in_production");
  shipped = reissue_step (id, "finish-production");
  assert_status (shipped, 200);
  g_assert_cmpstr (jstr (shipped->json, "status"), ==, "shipped");
  g_assert_nonnull (jstr (shipped->json, "courier_no"));

  handout = post (p_handout, NULL);
  assert_error (handout, 409, "home_delivery", NULL);

  delivered = reissue_step (id, "deliver");
  assert_status (delivered, 200);
  g_assert_cmpstr (jstr (delivered->json, "status"), ==, "collected");
  after = student (edu_id);
  g_assert_cmpstr (jstr (after->json, "card.status"), ==, "active");
  g_assert_cmpstr (jstr (after->json, "card.card_no"), !=, jstr (first->json, "card.card_no"));
}

static void
test_rules_refund_and_withdraw (void)
{
  g_autofree char *a = new_student ("active");
  g_autofree char *b = new_student ("active");
  g_autoptr(Reply) refunded = NULL;
  g_autoptr(Reply) withdrawn = NULL;
  gint64 id;

  /* Refund while paid: refunded (the application withdrawn); the card stays
   * lost until the desk lifts the loss report, and then works again. */
  report_loss (a);
  id = apply_school (a);
  reissue_ok (id, "pay", "paid");
  reissue_ok (id, "refund", "refunded");
  refunded = student (a);
  g_assert_cmpstr (jstr (refunded->json, "card.status"), ==, "reported_lost");
  g_assert_cmpstr (jstr (refunded->json, "reissue.status"), ==, "refunded");
  reissue_refused (id, "refund", "reissue_closed");
  reissue_refused (id, "pay", "reissue_closed");
  {
    g_autofree char *p_lift = g_strdup_printf ("/api/v1/students/%s/loss", a);
    g_autoptr(Reply) lifted = request (demo, "DELETE", p_lift, demo_token, NULL);

    assert_status (lifted, 200);
    g_assert_cmpstr (jstr (lifted->json, "card.status"), ==, "active");
  }

  /* Withdraw while unpaid: the card stays lost, a new application is fine. */
  report_loss (b);
  id = apply_school (b);
  reissue_ok (id, "withdraw", "withdrawn");
  withdrawn = student (b);
  g_assert_cmpstr (jstr (withdrawn->json, "card.status"), ==, "reported_lost");
  reissue_refused (id, "withdraw", "reissue_closed");
  reissue_refused (id, "start-production", "reissue_closed");
  apply_school (b);
}

static void
test_rules_school_holiday (void)
{
  g_autofree char *edu_id = new_student ("active");
  g_autofree char *school = g_strdup_printf ("{\"edu_id\":\"%s\",\"delivery\":\"school\"}", edu_id);
  g_autoptr(Reply) set = NULL;
  g_autoptr(Reply) info = NULL;
  g_autoptr(Reply) refused = NULL;
  g_autoptr(Reply) reset = NULL;
  g_autoptr(Reply) clock = NULL;

  report_loss (edu_id);
  set = request (demo, "PUT", "/api/v1/dev/clock", demo_token, "{\"today\":\"2026-08-01\"}");
  assert_status (set, 200);
  g_assert_cmpstr (jstr (set->json, "today"), ==, "2026-08-01");

  info = get ("/api/v1/school", demo_token);
  g_assert_false (json_node_get_boolean (member (info->json, "school_delivery_open")));
  refused = post ("/api/v1/reissues", school);
  assert_error (refused, 409, "school_holiday", "delivery");

  reset = request (demo, "PUT", "/api/v1/dev/clock", demo_token, "{\"today\":null}");
  assert_status (reset, 200);
  clock = get ("/api/v1/dev/clock", demo_token);
  g_assert_false (json_node_get_boolean (member (clock->json, "overridden")));
}

static void
test_rules_new_card_handout (void)
{
  g_autofree char *edu_id = new_student ("not_issued");
  g_autoptr(Reply) before = student (edu_id);
  g_autofree char *path =
    g_strdup_printf ("/api/v1/cards/%s/handout", jstr (before->json, "card.card_no"));
  g_autoptr(Reply) issued = NULL;
  g_autoptr(Reply) again = NULL;

  g_assert_cmpstr (jstr (before->json, "card.status"), ==, "not_issued");
  g_assert_true (jnull (before->json, "card.issued_on"));
  issued = post (path, NULL);
  assert_status (issued, 200);
  g_assert_cmpstr (jstr (issued->json, "card.status"), ==, "active");
  g_assert_nonnull (jstr (issued->json, "card.issued_on"));
  again = post (path, NULL);
  assert_error (again, 409, "no_reissue", NULL);
}

/* Field errors: 422 naming the field */

static void
test_fields (void)
{
  g_autofree char *edu_id = new_student ("active");
  g_autofree char *p_corr = g_strdup_printf ("/api/v1/students/%s/corrections", edu_id);
  g_autofree char *drone = g_strdup_printf ("{\"edu_id\":\"%s\",\"delivery\":\"drone\"}", edu_id);
  g_autofree char *typed =
    g_strdup_printf ("{\"edu_id\":\"%s\",\"delivery\":\"home\",\"phone\":13800138000}", edu_id);
  struct
  {
    const char *method;
    const char *path;
    const char *body;
    const char *field;
  } cases[] = {
    { "POST", "/api/v1/reissues", drone, "delivery" },
    { "POST", "/api/v1/reissues", typed, "phone" },
    { "POST", "/api/v1/reissues", "{\"edu_id\":\"123\",\"delivery\":\"school\"}", "edu_id" },
    { "POST", "/api/v1/reissues", "{\"delivery\":\"school\"}", "edu_id" },
    { "POST", p_corr, "{\"grade\":13}", "grade" },
    { "POST", p_corr, "{\"grade\":\"3\"}", "grade" },
    { "POST", p_corr, "{\"gender\":\"other\"}", "gender" },
    { "POST", p_corr, "{\"name\":\"\"}", "name" },
    { "POST", p_corr, "{\"edu_id\":\"87654321\"}", "edu_id" },
    { "POST", p_corr, "{}", "body" },
    { "GET", "/api/v1/roster?limit=99999", NULL, "limit" },
    { "GET", "/api/v1/roster?since=abc", NULL, "since" },
    { "GET", "/api/v1/roster?since=999999999", NULL, "since" },
    { "GET", "/api/v1/students?status=lost", NULL, "status" },
    { "GET", "/api/v1/students?grade=13", NULL, "grade" },
    { "GET", "/api/v1/reissues?status=done", NULL, "status" },
    { "PUT", "/api/v1/dev/clock", "{\"today\":\"2026-02-30\"}", "today" },
    { "POST", "/api/v1/auth/login", "{\"username\":\"demo\"}", "password" },
  };
  g_autoptr(Reply) no_key = NULL;
  g_autoptr(Reply) corrected = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (Reply) r =
        request (demo, cases[i].method, cases[i].path, demo_token, cases[i].body);

      assert_error (r, 422, "invalid_field", cases[i].field);
    }

  /* A write without Idempotency-Key. */
  no_key =
    request_full (demo, "POST", p_corr, demo_token, NULL, "application/json", "{\"grade\":5}", 11);
  assert_error (no_key, 422, "invalid_field", "Idempotency-Key");

  corrected = post (p_corr, "{\"grade\":8,\"class_name\":\"3班\",\"name\":\"解晓乐\"}");
  assert_status (corrected, 200);
  g_assert_cmpint (jint (corrected->json, "grade"), ==, 8);
  g_assert_cmpstr (jstr (corrected->json, "stage"), ==, "junior");
  g_assert_cmpstr (jstr (corrected->json, "name"), ==, "解晓乐");
}

/* Idempotency */

static void
test_idempotency_replay (void)
{
  g_autofree char *edu_id = new_student ("active");
  g_autofree char *key = new_key ();
  g_autofree char *body = g_strdup_printf ("{\"edu_id\":\"%s\",\"delivery\":\"school\"}", edu_id);
  g_autofree char *other = g_strdup_printf ("{\"edu_id\":\"%s\",\"delivery\":\"home\"}", edu_id);
  g_autofree char *p_list = g_strdup_printf ("/api/v1/reissues?edu_id=%s", edu_id);
  g_autofree char *p_loss = g_strdup_printf ("/api/v1/students/%s/loss", edu_id);
  g_autofree char *loss_key = new_key ();
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) second = NULL;
  g_autoptr(Reply) mismatch = NULL;
  g_autoptr(Reply) list = NULL;
  g_autoptr(Reply) loss1 = NULL;
  g_autoptr(Reply) loss2 = NULL;

  /* A loss report sent twice: one effect, one audit row, the same answer. */
  loss1 = request_full (demo, "POST", p_loss, demo_token, loss_key, NULL, NULL, 0);
  loss2 = request_full (demo, "POST", p_loss, demo_token, loss_key, NULL, NULL, 0);
  assert_status (loss1, 200);
  assert_status (loss2, 200);
  g_assert_true (g_bytes_equal (loss1->body, loss2->body));
  g_assert_null (soup_message_headers_get_one (loss1->headers, "Idempotent-Replay"));
  g_assert_cmpstr (soup_message_headers_get_one (loss2->headers, "Idempotent-Replay"), ==, "true");
  g_assert_cmpint (audit_count (edu_id, "report_loss"), ==, 1);

  first = request_full (demo, "POST", "/api/v1/reissues", demo_token, key, "application/json", body,
                        strlen (body));
  second = request_full (demo, "POST", "/api/v1/reissues", demo_token, key, "application/json",
                         body, strlen (body));
  assert_status (first, 201);
  assert_status (second, 201);
  g_assert_true (g_bytes_equal (first->body, second->body));
  g_assert_cmpstr (soup_message_headers_get_one (second->headers, "Idempotent-Replay"), ==, "true");
  g_assert_cmpint (audit_count (edu_id, "apply_reissue"), ==, 1);
  list = get (p_list, demo_token);
  g_assert_cmpuint (json_array_get_length (jarray (list->json, "reissues")), ==, 1);

  /* The same key with another body. */
  mismatch = request_full (demo, "POST", "/api/v1/reissues", demo_token, key, "application/json",
                           other, strlen (other));
  assert_error (mismatch, 422, "idempotency_mismatch", NULL);

  /* A refusal is remembered too. */
  {
    g_autofree char *k = new_key ();
    g_autoptr (Reply) r1 = request_full (demo, "POST", "/api/v1/reissues", demo_token, k,
                                         "application/json", body, strlen (body));
    g_autoptr (Reply) r2 = request_full (demo, "POST", "/api/v1/reissues", demo_token, k,
                                         "application/json", body, strlen (body));

    assert_error (r1, 409, "reissue_open", NULL);
    assert_error (r2, 409, "reissue_open", NULL);
    g_assert_cmpstr (soup_message_headers_get_one (r2->headers, "Idempotent-Replay"), ==, "true");
  }

  /* Keys belong to their staff: demo2 may use the same one. */
  {
    g_autoptr (Reply) r = request_full (demo, "POST", "/api/v1/reissues", demo2_token, key,
                                        "application/json", body, strlen (body));
    assert_error (r, 404, "not_found", NULL);
  }
}

/* Limits and malformed requests */

static void
test_errors (void)
{
  gsize big = 70 * 1024;
  g_autofree char *huge = g_malloc (big);
  g_autofree char *photo = g_malloc0 (1536 * 1024);
  g_autoptr(Reply) too_large = NULL;
  g_autoptr(Reply) photo_large = NULL;
  g_autoptr(Reply) malformed = NULL;
  g_autoptr(Reply) array = NULL;
  g_autoptr(Reply) unknown = NULL;
  g_autoptr(Reply) method = NULL;
  g_autoptr(Reply) latin1 = NULL;

  memset (huge, ' ', big);
  huge[0] = '{';
  huge[big - 1] = '}';
  too_large =
    request_full (demo, "POST", "/api/v1/reissues", demo_token, "", "application/json", huge, big);
  assert_error (too_large, 413, "payload_too_large", NULL);

  photo[0] = (char) 0xff;
  photo_large = request_full (demo, "PUT", "/api/v1/students/12345678/photo", demo_token, "",
                              "image/jpeg", photo, 1536 * 1024);
  assert_error (photo_large, 413, "payload_too_large", NULL);

  malformed = post ("/api/v1/reissues", "{\"edu_id\": ");
  assert_error (malformed, 400, "bad_request", NULL);
  array = post ("/api/v1/reissues", "[1, 2]");
  assert_error (array, 400, "bad_request", NULL);
  latin1 = post ("/api/v1/reissues", "{\"edu_id\":\"\xe9\"}");
  assert_error (latin1, 400, "bad_request", NULL);

  unknown = get ("/api/v1/nothing-here", demo_token);
  assert_error (unknown, 404, "not_found", NULL);
  method = request (demo, "DELETE", "/api/v1/school", demo_token, NULL);
  assert_error (method, 405, "method_not_allowed", NULL);
  g_assert_cmpstr (soup_message_headers_get_one (method->headers, "Allow"), ==, "GET");
}

/* Photos */

static void
test_photo (void)
{
  g_autoptr(Reply) page = get ("/api/v1/students?limit=50", demo_token);
  JsonArray *students = jarray (page->json, "students");
  g_autofree char *with_photo = NULL;
  g_autofree char *target = new_student ("active");
  g_autofree char *path = NULL;
  g_autofree char *target_path = g_strdup_printf ("/api/v1/students/%s/photo", target);
  g_autoptr(Reply) jpeg = NULL;
  g_autoptr(Reply) wrong_type = NULL;
  g_autoptr(Reply) not_jpeg = NULL;
  g_autoptr(Reply) put = NULL;
  g_autoptr(Reply) none = NULL;
  const guint8 *data;
  gsize size;

  none = get (target_path, demo_token);
  assert_error (none, 404, "not_found", NULL);

  for (guint i = 0; i < json_array_get_length (students) && with_photo == NULL; i++)
    {
      JsonNode *s = json_array_get_element (students, i);

      if (jstr (s, "photo_etag") != NULL)
        with_photo = g_strdup (jstr (s, "edu_id"));
    }
  g_assert_nonnull (with_photo);

  path = g_strdup_printf ("/api/v1/students/%s/photo", with_photo);
  jpeg = get (path, demo_token);
  assert_status (jpeg, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (jpeg->headers, NULL), ==, "image/jpeg");
  data = g_bytes_get_data (jpeg->body, &size);
  g_assert_cmpuint (size, >, 500);
  g_assert_cmpuint (data[0], ==, 0xff);
  g_assert_cmpuint (data[1], ==, 0xd8);
  g_assert_nonnull (soup_message_headers_get_one (jpeg->headers, "ETag"));

  {
    g_autofree char *url = g_strconcat (demo->base, path, NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autofree char *auth = g_strconcat ("Bearer ", demo_token, NULL);
    g_autoptr(GBytes) body = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-None-Match",
                                  soup_message_headers_get_one (jpeg->headers, "ETag"));
    body = soup_session_send_and_read (session, msg, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 304);
  }

  wrong_type = request_full (demo, "PUT", target_path, demo_token, "", "text/plain", "hello", 5);
  assert_error (wrong_type, 415, "unsupported_media_type", NULL);
  not_jpeg =
    request_full (demo, "PUT", target_path, demo_token, "", "image/jpeg", "GIF89a....", 10);
  assert_error (not_jpeg, 422, "invalid_field", "body");

  put = request_full (demo, "PUT", target_path, demo_token, "", "image/jpeg", data, size);
  assert_status (put, 200);
  g_assert_nonnull (jstr (put->json, "photo_etag"));
  {
    g_autofree char *quoted = g_strdup_printf ("\"%s\"", jstr (put->json, "photo_etag"));
    g_assert_cmpstr (soup_message_headers_get_one (jpeg->headers, "ETag"), ==, quoted);
  }
  g_assert_cmpint (audit_count (target, "put_photo"), ==, 1);
}

/* Roster */

static void
test_roster (void)
{
  g_autofree char *cursor = g_strdup ("");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *changed = NULL;
  g_autofree char *gone = NULL;
  guint pages = 0, removed = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/roster?since=%s&limit=500", cursor);
      g_autoptr(Reply) r = get (path, demo_token);
      JsonArray *students;

      assert_status (r, 200);
      students = jarray (r->json, "students");
      for (guint i = 0; i < json_array_get_length (students); i++)
        {
          JsonNode *s = json_array_get_element (students, i);

          g_assert_nonnull (jstr (s, "name"));
          g_assert_nonnull (jstr (s, "stage"));
          g_hash_table_add (seen, g_strdup (jstr (s, "edu_id")));
        }
      removed += json_array_get_length (jarray (r->json, "removed"));
      more = json_node_get_boolean (member (r->json, "has_more"));
      g_free (cursor);
      cursor = g_strdup (jstr (r->json, "next_cursor"));
      pages++;
    }

  g_assert_cmpuint (pages, >=, 3);
  g_assert_cmpuint (g_hash_table_size (seen), >=, 1200 - removed - 20);

  /* Nothing new since. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/roster?since=%s", cursor);
    g_autoptr(Reply) r = get (path, demo_token);

    g_assert_cmpuint (json_array_get_length (jarray (r->json, "students")), ==, 0);
    g_assert_cmpuint (json_array_get_length (jarray (r->json, "removed")), ==, 0);
    g_assert_cmpstr (jstr (r->json, "next_cursor"), ==, cursor);
  }

  /* A loss report moves the student past the cursor; a transfer out
   * lists them as removed. */
  changed = new_student ("active");
  report_loss (changed);
  gone = new_student ("active");
  {
    g_autofree char *p_gone = g_strdup_printf ("/api/v1/dev/students/%s", gone);
    g_autoptr(Reply) del = request (demo, "DELETE", p_gone, demo_token, NULL);
    g_autofree char *p_student = g_strdup_printf ("/api/v1/students/%s", gone);
    g_autoptr(Reply) missing = NULL;

    assert_status (del, 204);
    missing = get (p_student, demo_token);
    assert_error (missing, 404, "not_found", NULL);
  }
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/roster?since=%s", cursor);
    g_autoptr(Reply) r = get (path, demo_token);
    JsonArray *students = jarray (r->json, "students");
    JsonArray *gone_list = jarray (r->json, "removed");
    gboolean found = FALSE;

    for (guint i = 0; i < json_array_get_length (students); i++)
      {
        JsonNode *s = json_array_get_element (students, i);

        g_assert_cmpstr (jstr (s, "edu_id"), !=, gone);
        if (g_strcmp0 (jstr (s, "edu_id"), changed) == 0)
          {
            found = TRUE;
            g_assert_cmpstr (jstr (s, "card.status"), ==, "reported_lost");
          }
      }
    g_assert_true (found);
    g_assert_cmpuint (json_array_get_length (gone_list), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (gone_list, 0), ==, gone);
    g_assert_false (json_node_get_boolean (member (r->json, "has_more")));
  }
}

/* Audit */

static void
test_audit (void)
{
  g_autofree char *edu_id = new_student ("active");
  g_autofree char *path = g_strdup_printf ("/api/v1/audit?edu_id=%s", edu_id);
  g_autoptr(Reply) r = NULL;
  JsonNode *entry;

  report_loss (edu_id);
  r = get (path, demo_token);
  assert_status (r, 200);
  g_assert_cmpuint (json_array_get_length (jarray (r->json, "entries")), ==, 2);
  entry = json_array_get_element (jarray (r->json, "entries"), 0);
  g_assert_cmpstr (jstr (entry, "action"), ==, "report_loss");
  g_assert_cmpstr (jstr (entry, "staff"), ==, "demo");
  g_assert_cmpstr (jstr (entry, "edu_id"), ==, edu_id);
  g_assert_true (g_str_has_suffix (jstr (entry, "at"), "+08:00"));
  g_assert_cmpstr (jstr (entry, "before.card.status"), ==, "active");
  g_assert_cmpstr (jstr (entry, "after.card.status"), ==, "reported_lost");
  entry = json_array_get_element (jarray (r->json, "entries"), 1);
  g_assert_cmpstr (jstr (entry, "action"), ==, "dev_create_student");

  /* The other school sees none of it. */
  {
    g_autoptr(Reply) other = get (path, demo2_token);
    g_assert_cmpuint (json_array_get_length (jarray (other->json, "entries")), ==, 0);
  }
}

/* Cards and search */

static void
test_cards_and_search (void)
{
  g_autofree char *edu_id = new_student ("active");
  g_autoptr(Reply) s = student (edu_id);
  g_autofree char *lower = g_ascii_strdown (jstr (s->json, "card.uid"), -1);
  g_autofree char *p_uid = g_strdup_printf ("/api/v1/cards/by-uid/%s", lower);
  g_autofree char *p_q = g_strdup_printf ("/api/v1/students?q=%s", jstr (s->json, "card.card_no"));
  g_autoptr(Reply) by_uid = get (p_uid, demo_token);
  g_autoptr(Reply) by_no = get (p_q, demo_token);
  g_autoptr(Reply) unknown = get ("/api/v1/cards/by-uid/DEADBEEF00", demo_token);
  g_autoptr(Reply) juniors = get ("/api/v1/students?stage=junior&limit=1000", demo_token);
  JsonArray *list;

  assert_status (by_uid, 200);
  g_assert_cmpstr (jstr (by_uid->json, "student.edu_id"), ==, edu_id);
  g_assert_cmpstr (jstr (by_uid->json, "card.status"), ==, "active");
  assert_status (by_no, 200);
  g_assert_cmpuint (json_array_get_length (jarray (by_no->json, "students")), ==, 1);
  assert_error (unknown, 404, "not_found", NULL);

  list = jarray (juniors->json, "students");
  g_assert_cmpuint (json_array_get_length (list), >, 100);
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_assert_cmpstr (jstr (json_array_get_element (list, i), "stage"), ==, "junior");
}

/* Batches */

static char *
unused_edu_id (void)
{
  for (;;)
    {
      g_autofree char *edu_id = g_strdup_printf ("9%07u", g_random_int_range (0, 10000000));
      g_autofree char *path = g_strconcat ("/api/v1/students/", edu_id, NULL);
      g_autoptr(Reply) r = get (path, demo_token);

      if (r->status == 404)
        return g_steal_pointer (&edu_id);
    }
}

static void
assert_row (JsonNode   *batch,
            guint       row,
            const char *result,
            const char *code,
            const char *field)
{
  JsonNode *r = json_array_get_element (jarray (batch, "rows"), row - 1);

  g_assert_cmpint (jint (r, "row"), ==, row);
  if (g_strcmp0 (jstr (r, "result"), result) != 0 || g_strcmp0 (jstr (r, "code"), code) != 0)
    g_error ("row %u: expected %s %s, got %s %s", row, result, code ? code : "-",
             jstr (r, "result"), jstr (r, "code") ? jstr (r, "code") : "-");
  g_assert_cmpstr (jstr (r, "field"), ==, field);
  if (g_str_equal (result, "accepted"))
    g_assert_nonnull (jstr (r, "card_no"));
}

static void
test_batch_new_cards (void)
{
  g_autofree char *fresh = unused_edu_id ();
  g_autofree char *carded = new_student ("active");
  g_autofree char *cardless = new_student_full (4, "transfer_outside", "none");
  g_autoptr(Reply) other = get ("/api/v1/students?limit=1", demo2_token);
  const char *foreign =
    jstr (json_array_get_element (jarray (other->json, "students"), 0), "edu_id");
  g_autofree char *body = g_strdup_printf (
    "{\"rows\":["
    "{\"edu_id\":\"%s\",\"name\":\"欧阳一诺\",\"gender\":\"female\",\"grade\":1,"
    "\"class_name\":\"1班\",\"entry\":\"new_entrant\"},"
    "{\"edu_id\":\"90000001\",\"name\":\"张三\",\"gender\":\"male\",\"grade\":3,"
    "\"class_name\":\"1班\",\"entry\":\"new_entrant\"},"
    "{\"edu_id\":\"90000002\",\"name\":\"李四\",\"gender\":\"male\",\"grade\":5,"
    "\"class_name\":\"1班\",\"entry\":\"transfer_inside\"},"
    "{\"edu_id\":\"%s\",\"name\":\"欧阳一诺\",\"gender\":\"female\",\"grade\":1,"
    "\"class_name\":\"1班\",\"entry\":\"new_entrant\"},"
    "{\"edu_id\":\"12\",\"name\":\"王五\",\"gender\":\"male\",\"grade\":1,"
    "\"class_name\":\"1班\",\"entry\":\"new_entrant\"},"
    "{\"edu_id\":\"90000003\",\"name\":\"赵六\",\"gender\":\"male\",\"grade\":\"一\","
    "\"class_name\":\"1班\",\"entry\":\"new_entrant\"},"
    "{\"edu_id\":\"%s\",\"name\":\"测试学生\",\"gender\":\"female\",\"grade\":4,"
    "\"class_name\":\"2班\",\"entry\":\"transfer_outside\"},"
    "{\"edu_id\":\"%s\",\"name\":\"测试学生\",\"gender\":\"female\",\"grade\":4,"
    "\"class_name\":\"2班\",\"entry\":\"transfer_outside\"},"
    "{\"edu_id\":\"%s\",\"name\":\"外校学生\",\"gender\":\"male\",\"grade\":2,"
    "\"class_name\":\"1班\",\"entry\":\"transfer_outside\"},"
    "42,"
    "{\"edu_id\":\"90000004\",\"name\":\"孙七\",\"gender\":\"male\",\"grade\":13,"
    "\"class_name\":\"1班\",\"entry\":\"transfer_outside\"}"
    "]}",
    fresh, fresh, carded, cardless, foreign);
  g_autoptr(Reply) batch = post ("/api/v1/new-card-batches", body);
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) wrong_kind = NULL;
  g_autoptr(Reply) other_school = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) handout = NULL;
  g_autoptr(Reply) empty = NULL;
  g_autofree char *p_batch = NULL;
  g_autofree char *p_sticker = NULL;
  g_autofree char *p_handout = NULL;

  assert_status (batch, 201);
  g_assert_cmpstr (jstr (batch->json, "kind"), ==, "new_card");
  g_assert_cmpint (jint (batch->json, "accepted"), ==, 2);
  g_assert_cmpint (jint (batch->json, "refused"), ==, 9);
  assert_row (batch->json, 1, "accepted", NULL, NULL);
  assert_row (batch->json, 2, "refused", "new_card_not_entrant", NULL);
  assert_row (batch->json, 3, "refused", "new_card_transfer_inside", NULL);
  assert_row (batch->json, 4, "refused", "duplicate_row", "edu_id");
  assert_row (batch->json, 5, "refused", "edu_id_invalid", NULL);
  assert_row (batch->json, 6, "refused", "invalid_field", "grade");
  assert_row (batch->json, 7, "refused", "already_has_card", NULL);
  assert_row (batch->json, 8, "accepted", NULL, NULL);
  assert_row (batch->json, 9, "refused", "edu_id_taken", "edu_id");
  assert_row (batch->json, 10, "refused", "invalid_field", "row");
  assert_row (batch->json, 11, "refused", "grade_invalid", NULL);

  /* The new student has a card, 未发卡 until handed out. */
  created = student (fresh);
  g_assert_cmpstr (jstr (created->json, "name"), ==, "欧阳一诺");
  g_assert_cmpstr (jstr (created->json, "entry"), ==, "new_entrant");
  g_assert_cmpstr (jstr (created->json, "card.status"), ==, "not_issued");
  g_assert_cmpint (audit_count (fresh, "new_card"), ==, 1);
  p_handout = g_strdup_printf ("/api/v1/cards/%s/handout", jstr (created->json, "card.card_no"));
  handout = post (p_handout, NULL);
  assert_status (handout, 200);
  g_assert_cmpstr (jstr (handout->json, "card.status"), ==, "active");

  p_batch =
    g_strdup_printf ("/api/v1/new-card-batches/%" G_GINT64_FORMAT, jint (batch->json, "id"));
  p_sticker =
    g_strdup_printf ("/api/v1/sticker-batches/%" G_GINT64_FORMAT, jint (batch->json, "id"));
  again = get (p_batch, demo_token);
  assert_status (again, 200);
  g_assert_true (json_node_equal (member (again->json, "rows"), member (batch->json, "rows")));
  g_assert_cmpint (jint (again->json, "accepted"), ==, 2);
  wrong_kind = get (p_sticker, demo_token);
  assert_error (wrong_kind, 404, "not_found", NULL);
  other_school = get (p_batch, demo2_token);
  assert_error (other_school, 404, "not_found", NULL);

  empty = post ("/api/v1/new-card-batches", "{\"rows\":[]}");
  assert_error (empty, 422, "invalid_field", "rows");
}

/* A batch's state: 已提交 → 制卡中 → 已送达学校 by the dev endpoint, one
 * step a call, then 409; another school and the other kind see 404. */
static void
test_batch_states (void)
{
  static const char * const states[] = { "in_production", "delivered_to_school" };
  g_autofree char *junior = new_student_full (7, "new_entrant", "active");
  g_autofree char *body = g_strdup_printf ("{\"rows\":[{\"edu_id\":\"%s\"}]}", junior);
  g_autoptr(Reply) batch = post ("/api/v1/sticker-batches", body);
  g_autofree char *get_path = NULL;
  g_autofree char *advance_path = NULL;
  g_autofree char *wrong_kind = NULL;

  assert_status (batch, 201);
  g_assert_cmpstr (jstr (batch->json, "state"), ==, "submitted");
  get_path = g_strdup_printf ("/api/v1/sticker-batches/%" G_GINT64_FORMAT, jint (batch->json, "id"));
  advance_path = g_strdup_printf ("/api/v1/dev/sticker-batches/%" G_GINT64_FORMAT "/advance",
                                  jint (batch->json, "id"));
  wrong_kind = g_strdup_printf ("/api/v1/dev/new-card-batches/%" G_GINT64_FORMAT "/advance",
                                jint (batch->json, "id"));
  {
    g_autoptr(Reply) fetched = get (get_path, demo_token);

    assert_status (fetched, 200);
    g_assert_cmpstr (jstr (fetched->json, "state"), ==, "submitted");
  }

  /* Another school's staff can neither see nor move it; nor can the wrong kind. */
  {
    g_autoptr(Reply) seen = get (get_path, demo2_token);
    g_autoptr(Reply) moved = request (demo, "POST", advance_path, demo2_token, NULL);
    g_autoptr(Reply) kind = post (wrong_kind, NULL);
    g_autoptr(Reply) bogus = post ("/api/v1/dev/sticker-batches/abc/advance", NULL);
    g_autoptr(Reply) after = get (get_path, demo_token);

    assert_error (seen, 404, "not_found", NULL);
    assert_error (moved, 404, "not_found", NULL);
    assert_error (kind, 404, "not_found", NULL);
    assert_error (bogus, 404, "not_found", NULL);
    g_assert_cmpstr (jstr (after->json, "state"), ==, "submitted");
  }

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autoptr(Reply) step = post (advance_path, NULL);
      g_autoptr(Reply) fetched = get (get_path, demo_token);

      assert_status (step, 200);
      g_assert_cmpstr (jstr (step->json, "state"), ==, states[i]);
      g_assert_cmpint (jint (step->json, "accepted"), ==, 1);
      g_assert_cmpuint (json_array_get_length (jarray (step->json, "rows")), ==, 1);
      g_assert_cmpstr (jstr (fetched->json, "state"), ==, states[i]);
    }
  {
    g_autoptr(Reply) past = post (advance_path, NULL);
    g_autoptr(Reply) fetched = get (get_path, demo_token);

    assert_error (past, 409, "batch_delivered", NULL);
    g_assert_cmpstr (jstr (fetched->json, "state"), ==, "delivered_to_school");
  }
}

static void
test_batch_stickers (void)
{
  g_autofree char *junior = new_student_full (7, "new_entrant", "active");
  g_autofree char *grade8 = new_student_full (8, "new_entrant", "active");
  g_autofree char *staying = new_student_full (7, "continuing", "active");
  g_autofree char *reissued = new_student_full (10, "transfer_inside", "active");
  g_autofree char *cardless = new_student_full (7, "transfer_outside", "none");
  g_autofree char *body = NULL;
  g_autofree char *body2 = NULL;
  g_autoptr(Reply) batch = NULL;
  g_autoptr(Reply) second = NULL;
  g_autoptr(Reply) card = student (junior);

  report_loss (reissued);
  apply_school (reissued);

  body = g_strdup_printf (
    "{\"rows\":[{\"edu_id\":\"%s\"},{\"edu_id\":\"%s\"},{\"edu_id\":\"%s\"},"
    "{\"edu_id\":\"%s\"},{\"edu_id\":\"%s\"},{\"edu_id\":\"99999999\"},{\"id\":1}]}",
    junior, grade8, staying, reissued, cardless);
  batch = post ("/api/v1/sticker-batches", body);
  assert_status (batch, 201);
  g_assert_cmpstr (jstr (batch->json, "kind"), ==, "sticker");
  assert_row (batch->json, 1, "accepted", NULL, NULL);
  g_assert_cmpstr (jstr (json_array_get_element (jarray (batch->json, "rows"), 0), "card_no"), ==,
                   jstr (card->json, "card.card_no"));
  assert_row (batch->json, 2, "refused", "sticker_wrong_grade", NULL);
  assert_row (batch->json, 3, "refused", "sticker_not_new", NULL);
  assert_row (batch->json, 4, "refused", "sticker_reissued", NULL);
  assert_row (batch->json, 5, "refused", "card_not_issued", NULL);
  assert_row (batch->json, 6, "refused", "not_found", "edu_id");
  assert_row (batch->json, 7, "refused", "invalid_field", "edu_id");
  g_assert_cmpint (audit_count (junior, "sticker"), ==, 1);

  body2 = g_strdup_printf ("{\"rows\":[{\"edu_id\":\"%s\"}]}", junior);
  second = post ("/api/v1/sticker-batches", body2);
  assert_status (second, 201);
  assert_row (second->json, 1, "refused", "sticker_exists", NULL);
}

/* Transit validity */

static void
set_clock (const char *today)
{
  g_autofree char *body =
    today ? g_strdup_printf ("{\"today\":\"%s\"}", today) : g_strdup ("{\"today\":null}");
  g_autoptr(Reply) r = request (demo, "PUT", "/api/v1/dev/clock", demo_token, body);

  assert_status (r, 200);
}

static void
test_transit (void)
{
  g_autofree char *edu_id = new_student ("active");
  g_autofree char *lost = new_student ("active");
  g_autoptr(Reply) s = student (edu_id);
  g_autoptr(Reply) l = student (lost);
  g_autofree char *path =
    g_strdup_printf ("/api/v1/transit-validity/%s", jstr (s->json, "card.card_no"));
  g_autofree char *p_lost =
    g_strdup_printf ("/api/v1/transit-validity/%s", jstr (l->json, "card.card_no"));
  g_autofree char *p_review = g_strconcat (path, "/review", NULL);
  g_autofree char *p_reject =
    g_strdup_printf ("/api/v1/dev/cards/%s/transit-reject", jstr (s->json, "card.card_no"));
  g_autoptr(GDateTime) tomorrow = NULL;
  g_autofree char *tomorrow_text = NULL;
  g_autoptr(Reply) fresh = get (path, demo_token);
  g_autoptr(Reply) synced = NULL;
  g_autoptr(Reply) rejected = NULL;
  g_autoptr(Reply) bad = NULL;
  g_autoptr(Reply) reviewed = NULL;
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) lost_check = NULL;
  g_autoptr(Reply) foreign = get (path, demo2_token);

  /* Issued today: the transit company has not taken it yet. */
  assert_status (fresh, 200);
  g_assert_false (json_node_get_boolean (member (fresh->json, "valid")));
  g_assert_cmpstr (jstr (fresh->json, "reason"), ==, "not_synced");
  assert_error (foreign, 404, "not_found", NULL);

  {
    g_autoptr(GDateTime) now = g_date_time_new_now (g_time_zone_new_offset (8 * 3600));
    tomorrow = g_date_time_add_days (now, 1);
    tomorrow_text = g_date_time_format (tomorrow, "%Y-%m-%d");
  }
  set_clock (tomorrow_text);

  synced = get (path, demo_token);
  g_assert_true (json_node_get_boolean (member (synced->json, "valid")));
  g_assert_true (jnull (synced->json, "reason"));
  g_assert_true (jnull (synced->json, "review"));

  bad = request (demo, "POST", p_review, demo_token, "{\"decision\":\"confirm\"}");
  assert_error (bad, 409, "review_not_needed", NULL);

  rejected = post (p_reject, NULL);
  assert_status (rejected, 200);
  g_assert_cmpstr (jstr (rejected->json, "reason"), ==, "transit_rejected");

  {
    g_autoptr(Reply) r = request (demo, "POST", p_review, demo_token, "{\"decision\":\"maybe\"}");
    assert_error (r, 422, "invalid_field", "decision");
  }
  reviewed = request (demo, "POST", p_review, demo_token,
                      "{\"decision\":\"confirm\",\"note\":\"信息核对无误\"}");
  assert_status (reviewed, 200);
  g_assert_true (json_node_get_boolean (member (reviewed->json, "valid")));
  g_assert_cmpstr (jstr (reviewed->json, "review.decision"), ==, "confirm");
  g_assert_cmpstr (jstr (reviewed->json, "review.staff"), ==, "demo");
  g_assert_cmpint (audit_count (edu_id, "transit_review"), ==, 1);
  again = request (demo, "POST", p_review, demo_token, "{\"decision\":\"confirm\"}");
  assert_error (again, 409, "review_not_needed", NULL);

  report_loss (lost);
  lost_check = get (p_lost, demo_token);
  g_assert_cmpstr (jstr (lost_check->json, "reason"), ==, "card_reported_lost");

  set_clock (NULL);
}

/* The demo data */

static void
test_demo_data (void)
{
  static const char * const special[] = { "曾", "单", "解", "仇", "区", "朴", "查", "欧阳", "尉迟" };
  static const char * const card_states[] = { "not_issued", "active", "reported_lost" };
  static const char * const reissue_states[] = {
    "pending_payment", "paid", "in_production", "awaiting_pickup", "shipped", "collected",
    "refunded", "withdrawn",
  };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(Reply) r = get ("/api/v1/roster?limit=5000", demo_token);
  g_autoptr(Reply) school = get ("/api/v1/school", demo_token);
  JsonArray *students = jarray (r->json, "students");
  guint no_card = 0, male = 0;

  g_assert_cmpuint (json_array_get_length (students), >=, 1150);
  for (guint i = 0; i < json_array_get_length (students); i++)
    {
      JsonNode *s = json_array_get_element (students, i);
      const char *name = jstr (s, "name");
      const char *edu_id = jstr (s, "edu_id");

      g_assert_cmpuint (strlen (edu_id), ==, 8);
      g_assert_false (g_hash_table_contains (ids, edu_id));
      g_hash_table_add (ids, g_strdup (edu_id));
      g_assert_true (g_utf8_strlen (name, -1) >= 2 && g_utf8_strlen (name, -1) <= 4);
      for (guint k = 0; k < G_N_ELEMENTS (special); k++)
        {
          if (g_str_has_prefix (name, special[k]))
            g_hash_table_add (seen, g_strdup (special[k]));
        }
      g_hash_table_add (seen, g_strdup_printf ("grade %" G_GINT64_FORMAT, jint (s, "grade")));
      if (jnull (s, "card"))
        no_card++;
      else
        {
          g_hash_table_add (seen, g_strdup (jstr (s, "card.status")));
          g_assert_cmpuint (strlen (jstr (s, "card.card_no")), ==, 16);
          g_assert_cmpuint (strlen (jstr (s, "card.uid")), ==, 8);
          g_assert_nonnull (jstr (s, "card.bjt_no"));
        }
      if (!jnull (s, "reissue"))
        g_hash_table_add (seen, g_strdup (jstr (s, "reissue.status")));
      male += g_str_equal (jstr (s, "gender"), "male");
    }

  for (guint k = 0; k < G_N_ELEMENTS (special); k++)
    g_assert_true (g_hash_table_contains (seen, special[k]));
  for (int grade = 1; grade <= 12; grade++)
    {
      g_autofree char *g = g_strdup_printf ("grade %d", grade);
      g_assert_true (g_hash_table_contains (seen, g));
    }
  for (guint k = 0; k < G_N_ELEMENTS (card_states); k++)
    g_assert_true (g_hash_table_contains (seen, card_states[k]));
  for (guint k = 0; k < G_N_ELEMENTS (reissue_states); k++)
    {
      if (!g_hash_table_contains (seen, reissue_states[k]))
        g_error ("no demo reissue is %s", reissue_states[k]);
    }
  g_assert_cmpuint (no_card, >, 0);
  g_assert_cmpuint (male, >, 400);
  g_assert_cmpuint (json_array_get_length (jarray (school->json, "holidays")), >=, 4);
}

/* The database file */

static void
test_db_file (void)
{
  g_autofree char *wal = g_strconcat (demo->db, "-wal", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GStatBuf st;

  g_assert_cmpint (g_stat (demo->db, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpint (sqlite3_open_v2 (demo->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);

  /* Tokens are stored hashed: the live token appears nowhere. */
  g_assert_cmpint (
    sqlite3_prepare_v2 (db, "SELECT count (*) FROM tokens WHERE hash = ?", -1, &stmt, NULL), ==,
    SQLITE_OK);
  sqlite3_bind_text (stmt, 1, demo_token, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_finalize (stmt);

  /* Passwords with Argon2id. */
  g_assert_cmpint (
    sqlite3_prepare_v2 (db, "SELECT pw_hash FROM staff WHERE username = 'demo'", -1, &stmt, NULL),
    ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_true (g_str_has_prefix ((const char *) sqlite3_column_text (stmt, 0), "$argon2id$"));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static int
db_int (const char *path,
        const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

/* From an empty file to schema 1, then to the latest with data kept;
 * restart, staff from the command line, no dev endpoints without --demo. */
static void
test_db_migration (void)
{
  g_autofree char *dir = g_dir_make_tmp ("co-server-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autoptr(GError) error = NULL;
  Server *s;
  int version;

  /* An empty (zero-byte) file, as a careless admin might leave. */
  g_file_set_contents (db, "", 0, &error);
  g_assert_no_error (error);
  g_chmod (db, 0644);

  {
    const char *argv[] = { CO_SERVER_PATH, "--db", db, "--upgrade-to", "1", NULL };
    g_autoptr(GSubprocess) p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
    sqlite3 *handle = NULL;

    g_assert_no_error (error);
    g_subprocess_wait_check (p, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (db_int (db, "PRAGMA user_version"), ==, 1);
    g_assert_cmpint (db_int (db, "SELECT count (*) FROM sqlite_master WHERE name = 'batches'"), ==,
                     0);

    /* Data of the old schema. */
    g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
    g_assert_cmpint (
      sqlite3_exec (handle,
                    "INSERT INTO schools (name) VALUES ('旧学校');"
                    "INSERT INTO students (edu_id, school_id, name, gender, grade, class_name,"
                    " entry, seq, updated_at) VALUES ('55555555', 1, '查小明', 'male', 3, '1班',"
                    " 'continuing', 1, '2026-01-01T08:00:00+08:00');"
                    "INSERT INTO cards (card_no, edu_id, bjt_no, uid, status, issued_on,"
                    " valid_until, created_at) VALUES ('1000751299999999', '55555555',"
                    " '110100000001', 'AABBCCDD', 'active', '2024-09-10', '2029-08-31',"
                    " '2024-09-10T08:00:00+08:00');"
                    "UPDATE students SET card_no = '1000751299999999';"
                    "UPDATE schools SET seq = 1;",
                    NULL, NULL, NULL),
      ==, SQLITE_OK);
    sqlite3_close (handle);
  }

  s = server_start_full (NULL, dir, &error);
  g_assert_no_error (error);
  version = db_int (db, "PRAGMA user_version");
  g_assert_cmpint (version, >=, 2);
  g_assert_cmpint (
    db_int (db, "SELECT count (*) FROM sqlite_master WHERE type = 'table' AND name IN"
                " ('schools', 'staff', 'tokens', 'students', 'cards', 'reissues', 'audit',"
                " 'idempotency', 'photos', 'school_holidays', 'batches', 'stickers',"
                " 'transit_reviews')"),
    ==, 13);
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM cards WHERE card_no = '1000751299999999'"
                               " AND transit_rejected = 0"), ==, 1);
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (db, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }
  {
    g_autoptr(Reply) dev = request (s, "GET", "/api/v1/dev/clock", NULL, NULL);
    const char *body = "{\"username\":\"alice\",\"password\":\"s3cret-pass\"}";
    g_autoptr (Reply) nobody = request_full (s, "POST", "/api/v1/auth/login", NULL, NULL,
                                             "application/json", body, strlen (body));

    assert_error (dev, 404, "not_found", NULL);
    assert_error (nobody, 401, "unauthorized", NULL);
  }
  server_stop (s, TRUE);

  /* --add-staff reads the password from stdin. */
  {
    const char *argv[] = { CO_SERVER_PATH, "--db",     db,       "--add-staff",
                           "alice",        "--school", "旧学校", NULL };
    g_autoptr(GSubprocess) p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);

    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (p, "s3cret-pass\n", NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_subprocess_wait_check (p, NULL, &error);
    g_assert_no_error (error);
  }

  /* Restarted on the same file: migrations are not run twice. */
  s = server_start_full (NULL, dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (db_int (db, "PRAGMA user_version"), ==, version);
  {
    g_autofree char *token = login (s, "alice", "s3cret-pass");
    g_autoptr(Reply) school = request (s, "GET", "/api/v1/school", token, NULL);
    g_autoptr(Reply) roster = request (s, "GET", "/api/v1/roster", token, NULL);
    g_autoptr (Reply) transit =
      request (s, "GET", "/api/v1/transit-validity/1000751299999999", token, NULL);

    assert_status (school, 200);
    g_assert_cmpstr (jstr (school->json, "name"), ==, "旧学校");
    assert_status (roster, 200);
    g_assert_cmpuint (json_array_get_length (jarray (roster->json, "students")), ==, 1);
    g_assert_cmpstr (jstr (json_array_get_element (jarray (roster->json, "students"), 0), "name"),
                     ==, "查小明");
    g_assert_cmpstr (jstr (roster->json, "next_cursor"), ==, "1");
    assert_status (transit, 200);
    g_assert_true (json_node_get_boolean (member (transit->json, "valid")));
  }
  server_stop (s, FALSE);
}

/* A schema-3 file with a reported batch: migrated, the batch is 已提交 and
 * its staff (added on the old file) reads the state; only the three states
 * can be stored. */
static void
test_db_migration_batch_state (void)
{
  g_autofree char *dir = g_dir_make_tmp ("co-server-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autoptr(GError) error = NULL;
  Server *s;

  {
    const char *argv[] = { CO_SERVER_PATH, "--db", db, "--upgrade-to", "3", NULL };
    g_autoptr(GSubprocess) p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
    sqlite3 *handle = NULL;

    g_assert_no_error (error);
    g_subprocess_wait_check (p, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (db_int (db, "PRAGMA user_version"), ==, 3);
    g_assert_cmpint (db_int (db, "SELECT count (*) FROM pragma_table_info ('batches')"
                                 " WHERE name = 'state'"), ==, 0);

    g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
    g_assert_cmpint (
      sqlite3_exec (handle,
                    "INSERT INTO schools (name) VALUES ('旧学校');"
                    "INSERT INTO batches (school_id, kind, staff, created_at, result) VALUES"
                    " (1, 'sticker', 'alice', '2026-03-02T09:15:00+08:00', '[]');",
                    NULL, NULL, NULL),
      ==, SQLITE_OK);
    sqlite3_close (handle);
  }
  {
    const char *argv[] = { CO_SERVER_PATH, "--db",     db,       "--add-staff",
                           "alice",        "--school", "旧学校", NULL };
    g_autoptr(GSubprocess) p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);

    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (p, "s3cret-pass\n", NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_subprocess_wait_check (p, NULL, &error);
    g_assert_no_error (error);
  }

  s = server_start_full (NULL, dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (db_int (db, "PRAGMA user_version"), >=, 4);
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM batches WHERE state = 'submitted'"), ==, 1);
  {
    g_autofree char *token = login (s, "alice", "s3cret-pass");
    g_autoptr(Reply) batch = request (s, "GET", "/api/v1/sticker-batches/1", token, NULL);
    g_autoptr(Reply) dev = request (s, "POST", "/api/v1/dev/sticker-batches/1/advance", token, NULL);

    assert_status (batch, 200);
    g_assert_cmpstr (jstr (batch->json, "state"), ==, "submitted");
    g_assert_cmpint (jint (batch->json, "accepted"), ==, 0);
    /* Not a --demo server: no dev endpoint. */
    assert_error (dev, 404, "not_found", NULL);
  }
  server_stop (s, TRUE);

  {
    sqlite3 *handle = NULL;

    g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (handle, "UPDATE batches SET state = 'lost'", NULL, NULL, NULL),
                     ==, SQLITE_CONSTRAINT);
    sqlite3_close (handle);
  }
  g_assert_cmpint (db_int (db, "SELECT count (*) FROM batches WHERE state = 'submitted'"), ==, 1);
  /* Restarted: the state stays, the schema is not migrated again. */
  s = server_start_full (NULL, dir, &error);
  g_assert_no_error (error);
  {
    g_autofree char *token = login (s, "alice", "s3cret-pass");
    g_autoptr(Reply) batch = request (s, "GET", "/api/v1/sticker-batches/1", token, NULL);

    assert_status (batch, 200);
    g_assert_cmpstr (jstr (batch->json, "state"), ==, "submitted");
  }
  server_stop (s, FALSE);
}

static void
test_demo_size_100000 (void)
{
  const char *args[] = { "--demo-size", "100000", "--quiet", NULL };
  gint64 start = g_get_monotonic_time ();
  Server *s = server_start (args);
  double seconds = (g_get_monotonic_time () - start) / 1e6;
  g_autofree char *token = NULL;
  g_autoptr(Reply) page = NULL;

  /* The time is reported, not asserted (machines here are shared and noisy);
   * build-aux/run-bench sync measures it as a benchmark. */
  g_test_message ("demo seed of 100000 students: %.2f s", seconds);

  token = login (s, "demo", "demo");
  page = request (s, "GET", "/api/v1/roster?limit=5000", token, NULL);
  assert_status (page, 200);
  g_assert_cmpuint (json_array_get_length (jarray (page->json, "students")) +
                    json_array_get_length (jarray (page->json, "removed")), ==, 5000);
  g_assert_true (json_node_get_boolean (member (page->json, "has_more")));
  server_stop (s, FALSE);
}

static void
test_tls (void)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *dir = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  Server *s;
  int wait_status;

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }

  dir = g_dir_make_tmp ("co-tls-XXXXXX", NULL);
  cert = g_build_filename (dir, "cert.pem", NULL);
  key = g_build_filename (dir, "key.pem", NULL);
  {
    const char *argv[] = { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                           "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL,
                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                  &wait_status, &error);
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (wait_status, NULL))
      {
        g_test_skip ("openssl cannot make a certificate");
        return;
      }
  }

  {
    const char *args[] = { "--tls-cert", cert, "--tls-key", key, NULL };
    g_autoptr(Reply) r = NULL;

    s = server_start (args);
    g_assert_true (g_str_has_prefix (s->base, "https://127.0.0.1:"));
    r = request (s, "GET", "/api/v1/school", NULL, NULL);
    assert_error (r, 401, "unauthorized", NULL);
    server_stop (s, FALSE);
  }

  g_unlink (cert);
  g_unlink (key);
  g_rmdir (dir);
}

/* The access log names routes, never a student. */
static void
test_log_has_no_personal_data (void)
{
  g_autofree char *log = NULL;
  g_autoptr(Reply) r = get ("/api/v1/students?limit=5", demo_token);
  JsonArray *students = jarray (r->json, "students");

  g_assert_true (g_file_get_contents (demo->log, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "GET /api/v1/students/{edu_id} 200"));
  g_assert_null (strstr (log, "13800138000"));
  g_assert_null (strstr (log, "测试学生"));
  g_assert_null (strstr (log, demo_token));
  for (guint i = 0; i < json_array_get_length (students); i++)
    {
      JsonNode *s = json_array_get_element (students, i);

      g_assert_null (strstr (log, jstr (s, "edu_id")));
      g_assert_null (strstr (log, jstr (s, "name")));
    }
}

int
main (int   argc,
      char *argv[])
{
  const char *demo_args[] = { "--demo", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  session = soup_session_new_with_options ("timeout", 60, NULL);
  demo = server_start (demo_args);
  demo_token = login (demo, "demo", "demo");
  demo2_token = login (demo, "demo2", "demo2");

  g_test_add_func ("/server/openapi/routes", test_openapi_routes);
  g_test_add_func ("/server/auth/login", test_auth_login);
  g_test_add_func ("/server/auth/missing-token", test_auth_missing_token);
  g_test_add_func ("/server/auth/logout", test_auth_logout);
  g_test_add_func ("/server/auth/throttle-and-expiry", test_auth_throttle_and_expiry);
  g_test_add_func ("/server/scope/cross-school", test_scope_cross_school);
  g_test_add_func ("/server/rules/loss", test_rules_loss);
  g_test_add_func ("/server/rules/school-lifecycle", test_rules_school_lifecycle);
  g_test_add_func ("/server/rules/home-delivery", test_rules_home_delivery);
  g_test_add_func ("/server/rules/refund-and-withdraw", test_rules_refund_and_withdraw);
  g_test_add_func ("/server/rules/school-holiday", test_rules_school_holiday);
  g_test_add_func ("/server/rules/new-card-handout", test_rules_new_card_handout);
  g_test_add_func ("/server/fields/invalid", test_fields);
  g_test_add_func ("/server/idempotency/replay-and-mismatch", test_idempotency_replay);
  g_test_add_func ("/server/errors/limits-and-malformed", test_errors);
  g_test_add_func ("/server/photo/get-put", test_photo);
  g_test_add_func ("/server/roster/paging-and-changes", test_roster);
  g_test_add_func ("/server/audit/before-after", test_audit);
  g_test_add_func ("/server/cards/uid-and-search", test_cards_and_search);
  g_test_add_func ("/server/batches/new-cards", test_batch_new_cards);
  g_test_add_func ("/server/batches/stickers", test_batch_stickers);
  g_test_add_func ("/server/batches/states", test_batch_states);
  g_test_add_func ("/server/transit/validity-and-review", test_transit);
  g_test_add_func ("/server/demo/data", test_demo_data);
  g_test_add_func ("/server/db/file", test_db_file);
  g_test_add_func ("/server/db/migration", test_db_migration);
  g_test_add_func ("/server/db/migration-batch-state", test_db_migration_batch_state);
  g_test_add_func ("/server/tls/https", test_tls);
  g_test_add_func ("/server/demo/size-100000", test_demo_size_100000);
  g_test_add_func ("/server/log/no-personal-data", test_log_has_no_personal_data);

  status = g_test_run ();

  server_stop (demo, FALSE);
  g_free (demo_token);
  g_free (demo2_token);
  g_object_unref (session);

  return status;
}
