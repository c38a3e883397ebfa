/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The reference server's security matrix, over real HTTP against the real
 * binary (127.0.0.1 port 0, a fresh SQLite file). Table-driven from
 * `card-office-server --list-routes`: a route without a row here fails.
 * For every route: no token, an expired token and a revoked token are 401;
 * the other school's token on this school's students, cards, reissues,
 * batches and events is refused (404, or a refused batch row) and changes
 * nothing (the database compared before and after); dev routes are absent
 * without --demo; every write route answers 413 to an oversized body, 400
 * to malformed JSON, 400/422 naming the field to a member of the wrong type,
 * replays its first answer for a reused Idempotency-Key and refuses the
 * same key with another body (422); SQL metacharacters in every path and
 * query parameter and body member never make a 500, change nothing but the
 * intended, and leave PRAGMA integrity_check "ok". Login throttling: 429
 * with Retry-After.
 */
#define G_LOG_DOMAIN "test-security"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/prctl.h>

#ifndef CO_SERVER_PATH
#error "CO_SERVER_PATH must name the card-office-server binary"
#endif

#define MAX_JSON_BODY  (64 * 1024)
#define MAX_PHOTO_BODY (1024 * 1024)
#define MAX_BATCH_BODY (2 * 1024 * 1024)

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
static Server *demo;
static char *demo_token;
static char *demo2_token;
static guint key_counter;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static Server *
server_start_in (const char *dir,
                 const char * const *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  Server *s = g_new0 (Server, 1);

  s->dir = dir ? g_strdup (dir) : g_dir_make_tmp ("co-security-XXXXXX", NULL);
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
  s->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));
  s->base = g_steal_pointer (&line);

  return s;
}

static Server *
server_start (const char * const *extra)
{
  return server_start_in (NULL, extra);
}

static void
server_stop (Server *s)
{
  g_autofree char *log = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;

  if (s == NULL)
    return;

  g_subprocess_send_signal (s->process, SIGTERM);
  g_subprocess_wait (s->process, NULL, NULL);
  g_file_get_contents (s->log, &log, NULL, NULL);
  if (!g_subprocess_get_if_exited (s->process) || g_subprocess_get_exit_status (s->process) != 0 ||
      (log != NULL && (strstr (log, "runtime error") || strstr (log, "AddressSanitizer") ||
                       strstr (log, "-WARNING **") || strstr (log, "-CRITICAL **"))))
    g_error ("the server did not end well:\n%s", log ? log : "");
  g_clear_object (&s->process);

  wal = g_strconcat (s->db, "-wal", NULL);
  shm = g_strconcat (s->db, "-shm", NULL);
  g_unlink (s->db);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (s->log);
  g_rmdir (s->dir);
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

static char *
new_key (void)
{
  return g_strdup_printf ("sec-%u-%u", (guint) getpid (), ++key_counter);
}

/* @key "" makes one up, NULL sends none. @path is already escaped. */
static Reply *
send_raw (Server     *s,
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

  if (msg == NULL)
    g_error ("not a URL: %s", url);
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
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size = 0;
      const char *data = g_bytes_get_data (r->body, &size);

      /* The body is not NUL-terminated: its length, not strlen. */
      json_parser_load_from_data (parser, data ? data : "", size, &error);
      g_assert_no_error (error);
      if (json_parser_get_root (parser) != NULL)
        r->json = json_node_ref (json_parser_get_root (parser));
    }

  return r;
}

static Reply *
send_json (Server     *s,
           const char *method,
           const char *path,
           const char *token,
           const char *json)
{
  gboolean write = strcmp (method, "GET") != 0;

  return send_raw (s, method, path, token, write ? "" : NULL, "application/json", json,
                   json ? strlen (json) : 0);
}

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

  if (m == NULL || !JSON_NODE_HOLDS_VALUE (m) || json_node_get_value_type (m) != G_TYPE_STRING)
    return NULL;
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

static char *
describe (Reply *r)
{
  gsize size = 0;
  const char *data = r->body ? g_bytes_get_data (r->body, &size) : NULL;

  return g_strdup_printf ("%u %.*s", r->status, (int) MIN (size, 300), data ? data : "");
}

static void
expect_error (Reply      *r,
              guint       status,
              const char *code,
              const char *field,
              const char *what)
{
  if (r->status != status || (code != NULL && g_strcmp0 (jstr (r->json, "error.code"), code) != 0) ||
      (field != NULL && g_strcmp0 (jstr (r->json, "error.field"), field) != 0))
    {
      g_autofree char *text = describe (r);
      g_error ("%s: expected %u %s %s, got %s", what, status, code ? code : "",
               field ? field : "", text);
    }
}

static char *
login (Server     *s,
       const char *username,
       const char *password)
{
  g_autofree char *body =
    g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
  g_autoptr(Reply) r = send_raw (s, "POST", "/api/v1/auth/login", NULL, NULL, "application/json",
                                 body, strlen (body));

  expect_error (r, 200, NULL, NULL, "login");
  return g_strdup (jstr (r->json, "token"));
}

/* The database as the server left it: a digest of the rows of @school_id
 * (every table but tokens and the idempotency records), and its integrity. */
static char *
db_digest (Server *s,
           gint64  school_id)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (s->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_master WHERE type = 'table'"
                                           " AND name NOT IN ('tokens', 'idempotency')"
                                           " AND name NOT LIKE 'sqlite_%' ORDER BY name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_assert_cmpuint (tables->len, >, 5);

  for (guint i = 0; i < tables->len; i++)
    {
      const char *table = tables->pdata[i];
      g_autofree char *probe = g_strdup_printf ("SELECT school_id FROM \"%s\" LIMIT 0", table);
      g_autofree char *sql = NULL;
      gboolean scoped;

      scoped = sqlite3_prepare_v2 (db, probe, -1, &stmt, NULL) == SQLITE_OK;
      sqlite3_finalize (stmt);
      if (g_str_equal (table, "schools"))
        sql = g_strdup_printf ("SELECT * FROM schools WHERE id = %" G_GINT64_FORMAT, school_id);
      else if (scoped)
        sql = g_strdup_printf ("SELECT * FROM \"%s\" WHERE school_id = %" G_GINT64_FORMAT
                               " ORDER BY 1", table, school_id);
      else
        sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY 1", table);

      g_checksum_update (sum, (const guchar *) table, -1);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const void *blob = sqlite3_column_blob (stmt, c);

              g_checksum_update (sum, (const guchar *) "|", 1);
              if (blob != NULL)
                g_checksum_update (sum, blob, sqlite3_column_bytes (stmt, c));
            }
          g_checksum_update (sum, (const guchar *) "\n", 1);
        }
      sqlite3_finalize (stmt);
    }

  sqlite3_close (db);
  return g_strdup (g_checksum_get_string (sum));
}

static void
assert_integrity (Server *s)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (s->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static gint64
school_of (Server     *s,
           const char *username)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 id;

  g_assert_cmpint (sqlite3_open_v2 (s->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT school_id FROM staff WHERE username = ?", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return id;
}

/* The routes the binary serves */

static GPtrArray *
served_routes (gboolean with_dev)
{
  const char *argv[] = { CO_SERVER_PATH, "--list-routes", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *routes = g_ptr_array_new_with_free_func (g_free);
  int wait_status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &wait_status,
                &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (wait_status, &error);
  g_assert_no_error (error);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*lines[i] == '\0' || (!with_dev && strstr (lines[i], "/api/v1/dev/") != NULL))
        continue;
      g_ptr_array_add (routes, g_strdup (lines[i]));
    }
  g_assert_cmpuint (routes->len, >, 20);
  return routes;
}

/* The matrix: one row per served route */

typedef enum
{
  CROSS_404,      /* the other school: 404 not_found */
  CROSS_LIST,     /* the other school: 200, none of this school's students in it */
  CROSS_ROWS,     /* a batch: 201, every row refused */
  CROSS_TAKEN,    /* making a student: 422 on edu_id (the number is taken) */
  CROSS_NONE,     /* not school data (login, logout, the dev clock) */
} Cross;

typedef struct
{
  const char *route;      /* "METHOD /pattern", as --list-routes prints it */
  const char *path;       /* with @EDU@ @LOST@ @CARD@ @UID@ @R@ @NB@ @SB@ @EV@ */
  const char *body;       /* a well-formed body (same placeholders), or NULL */
  const char *schema;     /* its schema in openapi.json, or NULL */
  Cross       cross;
} Row;

static const Row matrix[] = {
  { "POST /api/v1/auth/login", "/api/v1/auth/login", "{\"username\":\"nobody\",\"password\":\"x\"}",
    "LoginRequest", CROSS_NONE },
  { "POST /api/v1/auth/logout", "/api/v1/auth/logout", NULL, NULL, CROSS_NONE },
  { "GET /api/v1/school", "/api/v1/school", NULL, NULL, CROSS_LIST },
  { "GET /api/v1/students", "/api/v1/students?q=@EDU@", NULL, NULL, CROSS_LIST },
  { "GET /api/v1/students/{edu_id}", "/api/v1/students/@EDU@", NULL, NULL, CROSS_404 },
  { "GET /api/v1/students/{edu_id}/photo", "/api/v1/students/@EDU@/photo", NULL, NULL, CROSS_404 },
  { "PUT /api/v1/students/{edu_id}/photo", "/api/v1/students/@EDU@/photo", "\xff\xd8\xff\xd9", NULL,
    CROSS_404 },
  { "POST /api/v1/students/{edu_id}/corrections", "/api/v1/students/@EDU@/corrections",
    "{\"class_name\":\"9班\"}", "Correction", CROSS_404 },
  { "POST /api/v1/students/{edu_id}/loss", "/api/v1/students/@EDU@/loss", NULL, NULL, CROSS_404 },
  { "DELETE /api/v1/students/{edu_id}/loss", "/api/v1/students/@LOST@/loss", NULL, NULL,
    CROSS_404 },
  { "GET /api/v1/roster", "/api/v1/roster?limit=5000", NULL, NULL, CROSS_LIST },
  { "GET /api/v1/cards/by-uid/{uid}", "/api/v1/cards/by-uid/@UID@", NULL, NULL, CROSS_404 },
  { "POST /api/v1/cards/{card_no}/handout", "/api/v1/cards/@CARD@/handout", NULL, NULL,
    CROSS_404 },
  { "GET /api/v1/reissues", "/api/v1/reissues?limit=100", NULL, NULL, CROSS_LIST },
  { "POST /api/v1/reissues", "/api/v1/reissues", "{\"edu_id\":\"@LOST@\",\"delivery\":\"school\"}",
    "ReissueRequest", CROSS_404 },
  { "GET /api/v1/reissues/{id}", "/api/v1/reissues/@R@", NULL, NULL, CROSS_404 },
  { "POST /api/v1/reissues/{id}/payment", "/api/v1/reissues/@R@/payment", NULL, NULL, CROSS_404 },
  { "POST /api/v1/reissues/{id}/refund", "/api/v1/reissues/@R@/refund", NULL, NULL, CROSS_404 },
  { "POST /api/v1/reissues/{id}/withdraw", "/api/v1/reissues/@R@/withdraw", NULL, NULL,
    CROSS_404 },
  { "GET /api/v1/audit", "/api/v1/audit?limit=1000", NULL, NULL, CROSS_LIST },
  { "POST /api/v1/dev/reissues/{id}/pay", "/api/v1/dev/reissues/@R@/pay", NULL, NULL, CROSS_404 },
  { "POST /api/v1/dev/reissues/{id}/start-production",
    "/api/v1/dev/reissues/@R@/start-production", NULL, NULL, CROSS_404 },
  { "POST /api/v1/dev/reissues/{id}/finish-production",
    "/api/v1/dev/reissues/@R@/finish-production", NULL, NULL, CROSS_404 },
  { "POST /api/v1/dev/reissues/{id}/deliver", "/api/v1/dev/reissues/@R@/deliver", NULL, NULL,
    CROSS_404 },
  { "GET /api/v1/dev/clock", "/api/v1/dev/clock", NULL, NULL, CROSS_NONE },
  { "PUT /api/v1/dev/clock", "/api/v1/dev/clock", "{\"today\":null}", "ClockRequest", CROSS_NONE },
  { "POST /api/v1/dev/students", "/api/v1/dev/students",
    "{\"edu_id\":\"@EDU@\",\"name\":\"安全测试\",\"gender\":\"male\",\"grade\":3,"
    "\"class_name\":\"1班\",\"card\":\"active\"}", "DevStudentRequest", CROSS_TAKEN },
  { "DELETE /api/v1/dev/students/{edu_id}", "/api/v1/dev/students/@EDU@", NULL, NULL, CROSS_404 },
  { "POST /api/v1/new-card-batches", "/api/v1/new-card-batches",
    "{\"rows\":[{\"edu_id\":\"@EDU@\",\"name\":\"安全测试\",\"gender\":\"male\",\"grade\":1,"
    "\"class_name\":\"1班\",\"entry\":\"new_entrant\"}]}", "NewCardBatchRequest", CROSS_ROWS },
  { "GET /api/v1/new-card-batches/{id}", "/api/v1/new-card-batches/@NB@", NULL, NULL, CROSS_404 },
  { "POST /api/v1/sticker-batches", "/api/v1/sticker-batches",
    "{\"rows\":[{\"edu_id\":\"@EDU@\"}]}", "StickerBatchRequest", CROSS_ROWS },
  { "GET /api/v1/sticker-batches/{id}", "/api/v1/sticker-batches/@SB@", NULL, NULL, CROSS_404 },
  { "POST /api/v1/dev/new-card-batches/{id}/advance", "/api/v1/dev/new-card-batches/@NB@/advance",
    NULL, NULL, CROSS_404 },
  { "POST /api/v1/dev/sticker-batches/{id}/advance", "/api/v1/dev/sticker-batches/@SB@/advance",
    NULL, NULL, CROSS_404 },
  { "GET /api/v1/transit-validity/{card_no}", "/api/v1/transit-validity/@CARD@", NULL, NULL,
    CROSS_404 },
  { "POST /api/v1/transit-validity/{card_no}/review", "/api/v1/transit-validity/@CARD@/review",
    "{\"decision\":\"confirm\",\"note\":\"ok\"}", "TransitReviewRequest", CROSS_404 },
  { "POST /api/v1/dev/cards/{card_no}/transit-reject", "/api/v1/dev/cards/@CARD@/transit-reject",
    NULL, NULL, CROSS_404 },
  { "GET /api/v1/events/{event_id}/check-ins", "/api/v1/events/@EV@/check-ins", NULL, NULL,
    CROSS_LIST },
  { "POST /api/v1/events/{event_id}/check-ins", "/api/v1/events/@EV@/check-ins",
    "{\"edu_id\":\"@EDU@\",\"at\":\"2026-03-02T08:00:00+08:00\",\"verdict\":\"valid\"}",
    "CheckInRequest", CROSS_404 },
};

static const Row *
matrix_row (const char *route)
{
  for (guint i = 0; i < G_N_ELEMENTS (matrix); i++)
    {
      if (g_str_equal (matrix[i].route, route))
        return &matrix[i];
    }
  return NULL;
}

static const char *
row_method (const Row *row,
            char      *buf)
{
  const char *space = strchr (row->route, ' ');

  memcpy (buf, row->route, space - row->route);
  buf[space - row->route] = '\0';
  return buf;
}

static gboolean
row_is_write (const Row *row)
{
  return !g_str_has_prefix (row->route, "GET ") && !g_str_equal (row->route,
                                                                  "POST /api/v1/auth/login");
}

/* This school's things, made fresh for each test */

typedef struct
{
  char *edu;      /* a student with an active card */
  char *lost;     /* a student whose card is reported lost, with an open reissue */
  char *card;     /* edu's card */
  char *uid;
  char *r;        /* lost's reissue */
  char *nb;       /* a new-card batch */
  char *sb;       /* a sticker batch */
  char *ev;       /* an event with a check-in of edu */
} Fixture;

static char *
new_student (Server     *s,
             const char *token)
{
  const char *body = "{\"name\":\"矩阵学生\",\"gender\":\"female\",\"grade\":4,"
                     "\"class_name\":\"2班\",\"entry\":\"continuing\",\"card\":\"active\"}";
  g_autoptr(Reply) r = send_json (s, "POST", "/api/v1/dev/students", token, body);

  expect_error (r, 201, NULL, NULL, "new student");
  return g_strdup (jstr (r->json, "edu_id"));
}

static void
fixture_init (Fixture *f)
{
  g_autofree char *p = NULL;
  g_autofree char *body = NULL;
  g_autoptr(Reply) st = NULL;
  g_autoptr(Reply) loss = NULL;
  g_autoptr(Reply) apply = NULL;
  g_autoptr(Reply) nb = NULL;
  g_autoptr(Reply) sb = NULL;
  g_autoptr(Reply) ci = NULL;

  f->edu = new_student (demo, demo_token);
  f->lost = new_student (demo, demo_token);

  p = g_strconcat ("/api/v1/students/", f->edu, NULL);
  st = send_json (demo, "GET", p, demo_token, NULL);
  expect_error (st, 200, NULL, NULL, "student");
  f->card = g_strdup (jstr (st->json, "card.card_no"));
  f->uid = g_strdup (jstr (st->json, "card.uid"));
  g_assert_nonnull (f->card);
  g_assert_nonnull (f->uid);

  /* edu has a photo. */
  {
    g_autofree char *file = g_test_build_filename (G_TEST_DIST, "batch", "data",
                                                   "photo-260x320.jpg", NULL);
    g_autofree char *jpeg = NULL;
    g_autofree char *photo_path = g_strdup_printf ("/api/v1/students/%s/photo", f->edu);
    g_autoptr(Reply) put = NULL;
    gsize size;

    g_assert_true (g_file_get_contents (file, &jpeg, &size, NULL));
    put = send_raw (demo, "PUT", photo_path, demo_token, "", "image/jpeg", jpeg, size);
    expect_error (put, 200, NULL, NULL, "photo");
  }

  g_free (p);
  p = g_strdup_printf ("/api/v1/students/%s/loss", f->lost);
  loss = send_json (demo, "POST", p, demo_token, NULL);
  expect_error (loss, 200, NULL, NULL, "loss");
  body = g_strdup_printf ("{\"edu_id\":\"%s\",\"delivery\":\"school\"}", f->lost);
  apply = send_json (demo, "POST", "/api/v1/reissues", demo_token, body);
  expect_error (apply, 201, NULL, NULL, "apply");
  f->r = g_strdup_printf ("%" G_GINT64_FORMAT, jint (apply->json, "id"));

  g_free (body);
  body = g_strdup_printf ("{\"rows\":[{\"edu_id\":\"%s\",\"name\":\"新生\",\"gender\":\"male\","
                          "\"grade\":1,\"class_name\":\"1班\",\"entry\":\"new_entrant\"}]}",
                          f->edu);
  nb = send_json (demo, "POST", "/api/v1/new-card-batches", demo_token, body);
  expect_error (nb, 201, NULL, NULL, "new-card batch");
  f->nb = g_strdup_printf ("%" G_GINT64_FORMAT, jint (nb->json, "id"));

  g_free (body);
  body = g_strdup_printf ("{\"rows\":[{\"edu_id\":\"%s\"}]}", f->edu);
  sb = send_json (demo, "POST", "/api/v1/sticker-batches", demo_token, body);
  expect_error (sb, 201, NULL, NULL, "sticker batch");
  f->sb = g_strdup_printf ("%" G_GINT64_FORMAT, jint (sb->json, "id"));

  f->ev = g_strdup_printf ("exam-%u", ++key_counter);
  g_free (p);
  p = g_strdup_printf ("/api/v1/events/%s/check-ins", f->ev);
  g_free (body);
  body = g_strdup_printf ("{\"edu_id\":\"%s\",\"at\":\"2026-03-02T08:00:00+08:00\","
                          "\"verdict\":\"valid\"}", f->edu);
  ci = send_json (demo, "POST", p, demo_token, body);
  expect_error (ci, 201, NULL, NULL, "check-in");
}

static void
fixture_clear (Fixture *f)
{
  g_free (f->edu);
  g_free (f->lost);
  g_free (f->card);
  g_free (f->uid);
  g_free (f->r);
  g_free (f->nb);
  g_free (f->sb);
  g_free (f->ev);
}

static char *
expand (const char    *text,
        const Fixture *f)
{
  const char *names[] = { "@EDU@", "@LOST@", "@CARD@", "@UID@", "@R@", "@NB@", "@SB@", "@EV@" };
  const char *values[] = { f->edu, f->lost, f->card, f->uid, f->r, f->nb, f->sb, f->ev };
  g_autoptr(GString) s = NULL;

  if (text == NULL)
    return NULL;
  s = g_string_new (text);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_string_replace (s, names[i], values[i], 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static Reply *
send_row (Server        *s,
          const Row     *row,
          const Fixture *f,
          const char    *token,
          const char    *key,
          const char    *body_override)
{
  g_autofree char *path = expand (row->path, f);
  g_autofree char *body = body_override ? g_strdup (body_override) : expand (row->body, f);
  char method[16];
  gboolean raw = g_str_has_prefix (row->route, "PUT ") && g_str_has_suffix (row->route, "/photo");

  row_method (row, method);
  return send_raw (s, method, path, token, row_is_write (row) ? (key ? key : "") : NULL,
                   raw ? "image/jpeg" : "application/json", body, body ? strlen (body) : 0);
}

/* Every served route has a row, and every row a served route. */
static void
test_matrix_complete (void)
{
  g_autoptr(GPtrArray) routes = served_routes (TRUE);

  for (guint i = 0; i < routes->len; i++)
    {
      if (matrix_row (routes->pdata[i]) == NULL)
        g_error ("a served route without a row in the security matrix: %s",
                 (char *) routes->pdata[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (matrix); i++)
    {
      if (!g_ptr_array_find_with_equal_func (routes, matrix[i].route, g_str_equal, NULL))
        g_error ("a matrix row for a route not served: %s", matrix[i].route);
    }
  g_assert_cmpuint (routes->len, ==, G_N_ELEMENTS (matrix));
}

/* No token, a junk token, a revoked token: 401 everywhere. */
static void
test_tokens_missing_and_revoked (void)
{
  g_autoptr(GPtrArray) routes = served_routes (TRUE);
  g_autofree char *revoked = login (demo, "demo", "demo");
  g_autoptr(Reply) out = send_json (demo, "POST", "/api/v1/auth/logout", revoked, NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 school = school_of (demo, "demo");
  Fixture f = { 0 };

  expect_error (out, 204, NULL, NULL, "logout");
  fixture_init (&f);
  before = db_digest (demo, school);

  for (guint i = 0; i < routes->len; i++)
    {
      const Row *row = matrix_row (routes->pdata[i]);
      const char *tokens[] = { NULL, "not-a-token", revoked, "" };

      if (g_str_equal (row->route, "POST /api/v1/auth/login"))
        continue;
      for (guint t = 0; t < G_N_ELEMENTS (tokens); t++)
        {
          g_autoptr(Reply) r = send_row (demo, row, &f, tokens[t], NULL, NULL);
          g_autofree char *what = g_strdup_printf ("%s token %u", row->route, t);

          expect_error (r, 401, "unauthorized", NULL, what);
          g_assert_true (g_str_has_prefix (
            soup_message_headers_get_one (r->headers, "WWW-Authenticate"), "Bearer"));
        }
    }

  after = db_digest (demo, school);
  g_assert_cmpstr (before, ==, after);
  fixture_clear (&f);
}

/* An expired token (--token-ttl 1) is 401 on every route. */
static void
test_tokens_expired (void)
{
  const char *args[] = { "--demo-size", "12", "--token-ttl", "1", NULL };
  g_autoptr(GPtrArray) routes = served_routes (TRUE);
  Server *s = server_start (args);
  g_autofree char *token = login (s, "demo", "demo");
  g_autofree char *fresh = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  Fixture f = { 0 };
  guint status = 200;

  /* The made-up ids do not matter: the token is looked at first. */
  f.edu = g_strdup ("11111111");
  f.lost = g_strdup ("22222222");
  f.card = g_strdup ("12345678901234567890");
  f.uid = g_strdup ("04A1B2C3");
  f.r = g_strdup ("1");
  f.nb = g_strdup ("1");
  f.sb = g_strdup ("2");
  f.ev = g_strdup ("exam");

  {
    g_autoptr(Reply) r = send_json (s, "GET", "/api/v1/school", token, NULL);
    expect_error (r, 200, NULL, NULL, "fresh token");
  }
  while (status == 200)
    {
      g_autoptr(Reply) r = send_json (s, "GET", "/api/v1/school", token, NULL);

      status = r->status;
      if (status == 200)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_usleep (G_USEC_PER_SEC / 10);
        }
    }

  for (guint i = 0; i < routes->len; i++)
    {
      const Row *row = matrix_row (routes->pdata[i]);
      g_autoptr(Reply) r = NULL;

      if (g_str_equal (row->route, "POST /api/v1/auth/login"))
        continue;
      r = send_row (s, row, &f, token, NULL, NULL);
      expect_error (r, 401, "unauthorized", NULL, row->route);
    }

  /* A new sign-in works again. */
  fresh = login (s, "demo", "demo");
  g_assert_nonnull (fresh);

  fixture_clear (&f);
  server_stop (s);
}

static gboolean
body_names (Reply      *r,
            const char *text)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (r->body, &size);

  return data != NULL && g_strstr_len (data, size, text) != NULL;
}

/* The other school's token on this school's things: refused, nothing changed. */
static void
test_cross_school (void)
{
  g_autoptr(GPtrArray) routes = served_routes (TRUE);
  gint64 school = school_of (demo, "demo");
  Fixture f = { 0 };
  guint checked = 0;

  fixture_init (&f);

  for (guint i = 0; i < routes->len; i++)
    {
      const Row *row = matrix_row (routes->pdata[i]);
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      g_autoptr(Reply) r = NULL;

      if (row->cross == CROSS_NONE)
        continue;

      before = db_digest (demo, school);
      r = send_row (demo, row, &f, demo2_token, NULL, NULL);
      switch (row->cross)
        {
        case CROSS_404:
          expect_error (r, 404, "not_found", NULL, row->route);
          break;

        case CROSS_LIST:
          expect_error (r, 200, NULL, NULL, row->route);
          if (body_names (r, f.edu) || body_names (r, f.lost) || body_names (r, f.card))
            g_error ("%s: the other school's answer names this school's student", row->route);
          break;

        case CROSS_TAKEN:
          expect_error (r, 422, "invalid_field", "edu_id", row->route);
          break;

        case CROSS_ROWS:
          expect_error (r, 201, NULL, NULL, row->route);
          g_assert_cmpint (jint (r->json, "accepted"), ==, 0);
          g_assert_cmpint (jint (r->json, "refused"), ==, 1);
          break;

        case CROSS_NONE:
        default:
          g_assert_not_reached ();
        }
      after = db_digest (demo, school);
      if (g_strcmp0 (before, after) != 0)
        g_error ("%s by the other school changed this school's data", row->route);
      checked++;
    }

  /* And this school's own token does reach them (the matrix is not vacuous). */
  {
    const char *reads[] = { "GET /api/v1/students/{edu_id}", "GET /api/v1/reissues/{id}",
                            "GET /api/v1/new-card-batches/{id}", "GET /api/v1/sticker-batches/{id}",
                            "GET /api/v1/cards/by-uid/{uid}", "GET /api/v1/transit-validity/{card_no}",
                            "GET /api/v1/students/{edu_id}/photo" };

    for (guint i = 0; i < G_N_ELEMENTS (reads); i++)
      {
        g_autoptr(Reply) r = send_row (demo, matrix_row (reads[i]), &f, demo_token, NULL, NULL);
        expect_error (r, 200, NULL, NULL, reads[i]);
      }
    {
      g_autoptr(Reply) r =
        send_row (demo, matrix_row ("GET /api/v1/events/{event_id}/check-ins"), &f, demo_token,
                  NULL, NULL);
      g_assert_true (body_names (r, f.edu));
    }
  }

  g_assert_cmpuint (checked, >=, 30);
  assert_integrity (demo);
  fixture_clear (&f);
}

/* Without --demo the dev routes do not exist (404, not 401 or 405). */
static void
test_dev_routes_absent (void)
{
  g_autoptr(GPtrArray) all = served_routes (TRUE);
  g_autofree char *dir = g_dir_make_tmp ("co-security-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autoptr(GSubprocess) add = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  const char *args[] = { NULL };
  Fixture f = { g_strdup ("11111111"), g_strdup ("22222222"), g_strdup ("1234"),
                g_strdup ("04A1"), g_strdup ("1"), g_strdup ("1"), g_strdup ("2"),
                g_strdup ("e") };
  Server *s;
  guint dev = 0;

  add = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                          CO_SERVER_PATH, "--db", db, "--add-staff", "desk", "--school",
                          "测试学校", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (add, "desk-password\n", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (add));
  g_assert_cmpint (g_subprocess_get_exit_status (add), ==, 0);

  s = server_start_in (dir, args);
  token = login (s, "desk", "desk-password");

  for (guint i = 0; i < all->len; i++)
    {
      const Row *row = matrix_row (all->pdata[i]);
      gboolean is_dev = strstr (row->route, "/api/v1/dev/") != NULL;

      for (guint t = 0; t < 2; t++)
        {
          g_autoptr(Reply) r = NULL;

          /* (Logout with the token would sign this test out.) */
          if (t == 1 && g_str_equal (row->route, "POST /api/v1/auth/logout"))
            continue;
          r = send_row (s, row, &f, t ? token : NULL, NULL, NULL);

          if (is_dev)
            expect_error (r, 404, "not_found", NULL, row->route);
          else if (r->status == 404 && g_strcmp0 (jstr (r->json, "error.code"), "not_found") == 0 &&
                   t == 0)
            g_error ("%s is not served without --demo", row->route);
          else
            g_assert_cmpuint (r->status, <, 500);
        }
      dev += is_dev;
    }
  g_assert_cmpuint (dev, >=, 8);

  /* Login throttling: 5 wrong passwords lock the name, then 429 with Retry-After. */
  for (guint i = 0; i < 5; i++)
    {
      const char *wrong = "{\"username\":\"desk\",\"password\":\"wrong\"}";
      g_autoptr(Reply) r = send_raw (s, "POST", "/api/v1/auth/login", NULL, NULL,
                                     "application/json", wrong, strlen (wrong));
      expect_error (r, 401, "unauthorized", NULL, "wrong password");
    }
  {
    const char *right = "{\"username\":\"desk\",\"password\":\"desk-password\"}";
    g_autoptr(Reply) r = send_raw (s, "POST", "/api/v1/auth/login", NULL, NULL,
                                   "application/json", right, strlen (right));
    const char *retry;
    gint64 seconds;

    expect_error (r, 429, "throttled", NULL, "locked");
    retry = soup_message_headers_get_one (r->headers, "Retry-After");
    g_assert_nonnull (retry);
    seconds = g_ascii_strtoll (retry, NULL, 10);
    g_assert_cmpint (seconds, >, 0);
    g_assert_cmpint (seconds, <=, 15 * 60);
    g_assert_null (jstr (r->json, "token"));
  }
  /* The token it had still works: throttling is about signing in. */
  {
    g_autoptr(Reply) r = send_json (s, "GET", "/api/v1/school", token, NULL);
    expect_error (r, 200, NULL, NULL, "school");
  }

  fixture_clear (&f);
  server_stop (s);
  g_free (g_steal_pointer (&dir));
}

static gsize
body_limit (const char *pattern)
{
  if (g_str_has_suffix (pattern, "/photo"))
    return MAX_PHOTO_BODY;
  if (g_str_has_suffix (pattern, "-batches"))
    return MAX_BATCH_BODY;
  return MAX_JSON_BODY;
}

/* Oversized (413) and malformed (400) bodies on every write route. */
static void
test_bodies_oversized_and_malformed (void)
{
  g_autoptr(GPtrArray) routes = served_routes (TRUE);
  gint64 school = school_of (demo, "demo");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  Fixture f = { 0 };
  guint writes = 0;

  fixture_init (&f);
  before = db_digest (demo, school);

  for (guint i = 0; i < routes->len; i++)
    {
      const Row *row = matrix_row (routes->pdata[i]);
      const char *pattern = strchr (row->route, ' ') + 1;
      g_autofree char *path = expand (row->path, &f);
      gsize size = body_limit (pattern) + 1;
      g_autofree char *big = g_malloc (size);
      gboolean raw = g_str_has_suffix (pattern, "/photo");
      const char *malformed[] = { "{\"edu_id\": ", "[1, 2]", "\"text\"", "{\"a\":1}}",
                                  "{\"a\":\"\xe9\"}" };
      char method[16];

      if (g_str_has_prefix (row->route, "GET "))
        continue;
      writes++;
      row_method (row, method);

      memset (big, ' ', size);
      big[0] = '{';
      big[size - 1] = '}';
      {
        g_autoptr(Reply) r = send_raw (demo, method, path, demo_token, "",
                                       raw ? "image/jpeg" : "application/json", big, size);
        expect_error (r, 413, "payload_too_large", NULL, row->route);
      }
      /* Just at the limit is not refused for its size. */
      {
        g_autoptr(Reply) r = send_raw (demo, method, path, demo_token, "",
                                       raw ? "image/jpeg" : "application/json", big, size - 1);
        if (r->status == 413 || r->status >= 500)
          g_error ("%s: a body at the limit: %u", row->route, r->status);
      }

      if (raw || g_str_equal (row->route, "POST /api/v1/auth/logout"))
        continue;
      for (guint m = 0; m < G_N_ELEMENTS (malformed); m++)
        {
          g_autoptr(Reply) r = send_raw (demo, method, path,
                                         g_str_has_suffix (pattern, "/login") ? NULL : demo_token,
                                         row_is_write (row) ? "" : NULL, "application/json",
                                         malformed[m], strlen (malformed[m]));
          g_autofree char *what = g_strdup_printf ("%s malformed %u", row->route, m);

          expect_error (r, 400, "bad_request", NULL, what);
        }
    }
  g_assert_cmpuint (writes, >=, 20);

  /* The logout route: an oversized or malformed body does not sign out. */
  {
    g_autoptr(Reply) r = send_json (demo, "GET", "/api/v1/school", demo_token, NULL);
    expect_error (r, 200, NULL, NULL, "still signed in");
  }

  after = db_digest (demo, school);
  if (g_strcmp0 (before, after) != 0)
    {
      /* A body of spaces at the limit is "{ }": an empty correction and
       * friends are refused (422), so nothing may have changed. */
      g_error ("refused bodies changed the database");
    }
  fixture_clear (&f);
}

/* openapi.json: the schema of a request body */

static JsonNode *openapi;

static JsonObject *
schema_object (const char *name)
{
  JsonObject *schemas = json_object_get_object_member (
    json_object_get_object_member (json_node_get_object (openapi), "components"), "schemas");

  return json_object_get_object_member (schemas, name);
}

static const char *
property_type (JsonObject *prop)
{
  if (json_object_has_member (prop, "$ref"))
    {
      const char *ref = json_object_get_string_member (prop, "$ref");
      return property_type (schema_object (strrchr (ref, '/') + 1));
    }
  return json_object_get_string_member_with_default (prop, "type", "string");
}

/* Members of the wrong type: 400 or 422 naming the member. */
static void
test_bodies_wrong_types (void)
{
  g_autoptr(GPtrArray) routes = served_routes (TRUE);
  gint64 school = school_of (demo, "demo");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  Fixture f = { 0 };
  guint tried = 0;

  fixture_init (&f);
  before = db_digest (demo, school);

  for (guint i = 0; i < routes->len; i++)
    {
      const Row *row = matrix_row (routes->pdata[i]);
      JsonObject *props;
      g_autoptr(GList) names = NULL;

      if (row->schema == NULL || g_str_equal (row->route, "POST /api/v1/auth/login"))
        continue;
      props = json_object_get_object_member (schema_object (row->schema), "properties");
      names = json_object_get_members (props);
      for (GList *l = names; l != NULL; l = l->next)
        {
          const char *name = l->data;
          const char *type = property_type (json_object_get_object_member (props, name));
          const char *wrongs_string[] = { "12345", "true", "{}", "[\"x\"]" };
          const char *wrongs_other[] = { "\"7\"", "true", "{}", "1.5" };
          const char **wrongs = g_str_equal (type, "string") ? wrongs_string : wrongs_other;

          for (guint w = 0; w < 4; w++)
            {
              g_autofree char *base = expand (row->body, &f);
              g_autoptr(JsonNode) node = json_from_string (base, NULL);
              g_autoptr(JsonNode) wrong = json_from_string (wrongs[w], NULL);
              g_autofree char *body = NULL;
              g_autoptr(Reply) r = NULL;
              g_autofree char *what = g_strdup_printf ("%s %s=%s", row->route, name, wrongs[w]);

              /* Batches: "rows" of the wrong shape. */
              if (g_str_equal (type, "array") && w == 3)
                continue;
              json_object_set_member (json_node_get_object (node), name,
                                      json_node_ref (wrong));
              body = json_to_string (node, FALSE);
              r = send_row (demo, row, &f, demo_token, NULL, body);
              if ((r->status != 400 && r->status != 422) ||
                  g_strcmp0 (jstr (r->json, "error.field"), name) != 0)
                {
                  g_autofree char *text = describe (r);
                  g_error ("%s: expected 400/422 naming %s, got %s", what, name, text);
                }
              tried++;
            }
        }
    }
  g_assert_cmpuint (tried, >=, 60);

  after = db_digest (demo, school);
  g_assert_cmpstr (before, ==, after);
  fixture_clear (&f);
}

/* Idempotency-Key on every write route: the same body replays the first
 * answer, another body is 422. */
static void
test_idempotency_every_write (void)
{
  g_autoptr(GPtrArray) routes = served_routes (TRUE);
  Fixture f = { 0 };
  guint tried = 0;

  fixture_init (&f);

  for (guint i = 0; i < routes->len; i++)
    {
      const Row *row = matrix_row (routes->pdata[i]);
      g_autofree char *key = new_key ();
      g_autofree char *body = expand (row->body, &f);
      g_autofree char *other = NULL;
      g_autoptr(Reply) first = NULL;
      g_autoptr(Reply) again = NULL;
      g_autoptr(Reply) mismatch = NULL;

      if (!row_is_write (row) || g_str_equal (row->route, "POST /api/v1/auth/logout"))
        continue;

      other = body ? g_strconcat (body, " ", NULL) : g_strdup ("{}");
      first = send_row (demo, row, &f, demo_token, key, body);
      again = send_row (demo, row, &f, demo_token, key, body);
      mismatch = send_row (demo, row, &f, demo_token, key, other);

      g_assert_cmpuint (first->status, <, 500);
      if (again->status != first->status || !g_bytes_equal (first->body, again->body))
        g_error ("%s: the replay differs from the first answer", row->route);
      g_assert_null (soup_message_headers_get_one (first->headers, "Idempotent-Replay"));
      g_assert_cmpstr (soup_message_headers_get_one (again->headers, "Idempotent-Replay"), ==,
                       "true");
      expect_error (mismatch, 422, "idempotency_mismatch", "Idempotency-Key", row->route);
      tried++;
    }
  g_assert_cmpuint (tried, >=, 20);

  /* Logout: replayed with its key while the token... is revoked: 401. */
  {
    g_autofree char *token = login (demo, "demo", "demo");
    g_autofree char *key = new_key ();
    g_autoptr(Reply) first = send_raw (demo, "POST", "/api/v1/auth/logout", token, key, NULL,
                                       NULL, 0);
    g_autoptr(Reply) again = send_raw (demo, "POST", "/api/v1/auth/logout", token, key, NULL,
                                       NULL, 0);

    expect_error (first, 204, NULL, NULL, "logout");
    expect_error (again, 401, "unauthorized", NULL, "logout again");
  }

  assert_integrity (demo);
  fixture_clear (&f);
}

/* SQL metacharacters and odd text in every path parameter, query parameter
 * and body member. */
static const char *nasty[] = {
  "'", "\"", ";", "--", "%", "_", "%_%", "' OR '1'='1", "1' OR 1=1 --",
  "x'; DROP TABLE students; --", "\"); DELETE FROM cards; --", "\\", "*/ /*", "学生'--",
  "🙂\xe2\x80\xae" "x", "Ａ１２３", "NULL", "0x00", "$(id)", "../../etc/passwd", NULL, /* the long one */
};

static char *
nasty_value (guint i)
{
  if (nasty[i] != NULL)
    return g_strdup (nasty[i]);
  {
    GString *s = g_string_new (NULL);

    for (guint n = 0; n < 2000; n++)
      g_string_append (s, "'\";-%_");
    return g_string_free (s, FALSE);
  }
}

static gint64
count_rows (Server     *s,
            const char *table)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (s->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_sql_metacharacters (void)
{
  g_autoptr(GPtrArray) routes = served_routes (TRUE);
  JsonObject *paths =
    json_object_get_object_member (json_node_get_object (openapi), "paths");
  gint64 students = count_rows (demo, "students");
  gint64 cards = count_rows (demo, "cards");
  gint64 staff = count_rows (demo, "staff");
  Fixture f = { 0 };
  guint tried = 0;

  fixture_init (&f);

  for (guint i = 0; i < routes->len; i++)
    {
      const Row *row = matrix_row (routes->pdata[i]);
      const char *pattern = strchr (row->route, ' ') + 1;
      g_autofree char *lower = NULL;
      g_auto(GStrv) segments = g_strsplit (pattern, "/", -1);
      JsonObject *operation;
      char method[16];

      /* Not the dev routes that would let the nasty text make a student,
       * nor logout (it would sign this test out). */
      if (g_str_equal (row->route, "POST /api/v1/auth/logout") ||
          g_str_equal (row->route, "POST /api/v1/auth/login"))
        continue;
      row_method (row, method);
      lower = g_ascii_strdown (method, -1);
      operation = json_object_get_object_member (json_object_get_object_member (paths, pattern),
                                                 lower);

      for (guint n = 0; n < G_N_ELEMENTS (nasty); n++)
        {
          g_autofree char *value = nasty_value (n);
          g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

          /* Each path parameter in turn. */
          for (guint seg = 0; segments[seg] != NULL; seg++)
            {
              g_auto(GStrv) copy = g_strdupv (segments);
              g_autofree char *path = NULL;
              g_autofree char *concrete = NULL;
              g_autoptr(Reply) r = NULL;
              g_autofree char *body = expand (row->body, &f);
              gboolean raw = g_str_has_suffix (pattern, "/photo");

              if (copy[seg][0] != '{')
                continue;
              g_free (copy[seg]);
              copy[seg] = g_strdup (escaped);
              path = g_strjoinv ("/", copy);
              /* The other parameters keep this school's values. */
              concrete = expand (path, &f);
              {
                g_autoptr(GRegex) re = g_regex_new ("\\{[a-z_]+\\}", 0, 0, NULL);
                g_autofree char *filled = g_regex_replace_literal (re, concrete, -1, 0, f.edu, 0,
                                                                   NULL);
                r = send_raw (demo, method, filled, demo_token,
                              row_is_write (row) ? "" : NULL,
                              raw ? "image/jpeg" : "application/json", body,
                              body ? strlen (body) : 0);
              }
              if (r->status >= 500 || r->status == 0)
                {
                  g_autofree char *text = describe (r);
                  g_error ("%s with %s = [%s]: %s", row->route, segments[seg], value, text);
                }
              /* An event id is free text: a check-in there is the intended change. */
              if (!g_str_has_prefix (segments[seg], "{event_id") && r->status < 400)
                g_error ("%s with %s = [%s] answered %u", row->route, segments[seg], value,
                         r->status);
              tried++;
            }

          /* Each query parameter of the contract. */
          if (operation != NULL && json_object_has_member (operation, "parameters"))
            {
              JsonArray *params = json_object_get_array_member (operation, "parameters");

              for (guint p = 0; p < json_array_get_length (params); p++)
                {
                  JsonObject *param = json_array_get_object_element (params, p);
                  g_autofree char *path = NULL;
                  g_autofree char *base = NULL;
                  g_autoptr(Reply) r = NULL;

                  if (g_strcmp0 (json_object_get_string_member_with_default (param, "in", ""),
                                 "query") != 0)
                    continue;
                  base = expand (row->path, &f);
                  if (strchr (base, '?') != NULL)
                    *strchr (base, '?') = '\0';
                  path = g_strdup_printf ("%s?%s=%s", base,
                                          json_object_get_string_member (param, "name"), escaped);
                  r = send_raw (demo, method, path, demo_token, NULL, NULL, NULL, 0);
                  if (r->status != 200 && r->status != 422)
                    {
                      g_autofree char *text = describe (r);
                      g_error ("%s with ?%s=[%s]: %s", row->route,
                               json_object_get_string_member (param, "name"), value, text);
                    }
                  if (r->status == 422)
                    g_assert_cmpstr (jstr (r->json, "error.field"), ==,
                                     json_object_get_string_member (param, "name"));
                  tried++;
                }
            }

          /* Each string member of the body. */
          if (row->schema != NULL && !g_str_has_prefix (row->route, "POST /api/v1/dev/students"))
            {
              JsonObject *props =
                json_object_get_object_member (schema_object (row->schema), "properties");
              g_autoptr(GList) names = json_object_get_members (props);

              for (GList *l = names; l != NULL; l = l->next)
                {
                  g_autofree char *base = expand (row->body, &f);
                  g_autoptr(JsonNode) node = json_from_string (base, NULL);
                  g_autofree char *body = NULL;
                  g_autoptr(Reply) r = NULL;
                  JsonObject *target = json_node_get_object (node);
                  const char *name = l->data;

                  if (!g_str_equal (property_type (json_object_get_object_member (props, name)),
                                    "string"))
                    {
                      /* Batches: the members of the first row. */
                      if (!g_str_equal (name, "rows"))
                        continue;
                      target = json_array_get_object_element (
                        json_object_get_array_member (target, "rows"), 0);
                      json_object_set_string_member (target, "edu_id", value);
                      json_object_set_string_member (target, "name", value);
                    }
                  else
                    json_object_set_string_member (target, name, value);
                  body = json_to_string (node, FALSE);
                  r = send_row (demo, row, &f, demo_token, NULL, body);
                  if (r->status >= 500 || r->status == 0)
                    {
                      g_autofree char *text = describe (r);
                      g_error ("%s with %s = [%s]: %s", row->route, name, value, text);
                    }
                  tried++;
                }
            }
        }
    }
  g_assert_cmpuint (tried, >=, 500);

  /* Nothing beyond the intended: no student, card or staff made or lost
   * (corrections of class_name and check-ins at odd event ids are
   * intended), and the file is sound. */
  g_assert_cmpint (count_rows (demo, "students"), ==, students + 2);
  g_assert_cmpint (count_rows (demo, "cards"), ==, cards + 2);
  g_assert_cmpint (count_rows (demo, "staff"), ==, staff);
  assert_integrity (demo);

  /* An accepted odd text is stored as it came, not as SQL. */
  {
    const char *text = "x'; DROP TABLE students; --";
    g_autofree char *path = g_strdup_printf ("/api/v1/students/%s/corrections", f.edu);
    g_autofree char *body = g_strdup_printf ("{\"class_name\":\"%s\"}", text);
    g_autofree char *p_student = g_strconcat ("/api/v1/students/", f.edu, NULL);
    g_autoptr(Reply) r = send_json (demo, "POST", path, demo_token, body);
    g_autoptr(Reply) st = send_json (demo, "GET", p_student, demo_token, NULL);

    expect_error (r, 200, NULL, NULL, "correction");
    g_assert_cmpstr (jstr (st->json, "class_name"), ==, text);
  }
  {
    g_autofree char *q = g_uri_escape_string ("' OR '1'='1", NULL, FALSE);
    g_autofree char *path = g_strdup_printf ("/api/v1/students?q=%s&limit=50", q);
    g_autoptr(Reply) r = send_json (demo, "GET", path, demo_token, NULL);

    expect_error (r, 200, NULL, NULL, "search");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_node_get_object (r->json), "students")), ==, 0);
  }

  fixture_clear (&f);
}

static char *
openapi_path (void)
{
  const char *datadir = g_getenv ("CARD_OFFICE_DATADIR");

  if (datadir != NULL)
    return g_build_filename (datadir, "openapi.json", NULL);
  return g_test_build_filename (G_TEST_DIST, "..", "..", "data", "openapi.json", NULL);
}

int
main (int   argc,
      char *argv[])
{
  const char *demo_args[] = { "--demo-size", "200", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  spec = openapi_path ();
  json_parser_load_from_file (parser, spec, &error);
  g_assert_no_error (error);
  openapi = json_node_ref (json_parser_get_root (parser));

  session = soup_session_new_with_options ("timeout", 60, NULL);
  demo = server_start (demo_args);
  demo_token = login (demo, "demo", "demo");
  demo2_token = login (demo, "demo2", "demo2");

  g_test_add_func ("/security/matrix/complete", test_matrix_complete);
  g_test_add_func ("/security/tokens/missing-and-revoked", test_tokens_missing_and_revoked);
  g_test_add_func ("/security/tokens/expired", test_tokens_expired);
  g_test_add_func ("/security/scope/cross-school", test_cross_school);
  g_test_add_func ("/security/dev/absent-and-throttle", test_dev_routes_absent);
  g_test_add_func ("/security/bodies/oversized-and-malformed", test_bodies_oversized_and_malformed);
  g_test_add_func ("/security/bodies/wrong-types", test_bodies_wrong_types);
  g_test_add_func ("/security/idempotency/every-write", test_idempotency_every_write);
  g_test_add_func ("/security/sql/metacharacters", test_sql_metacharacters);

  status = g_test_run ();

  server_stop (demo);
  g_free (demo_token);
  g_free (demo2_token);
  json_node_unref (openapi);
  g_object_unref (session);

  return status;
}
