/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The load run (issue 8 item 6), not a unit test: build-aux/run-load runs
 * it. It starts the reference server with --demo on 127.0.0.1 (a fresh
 * SQLite file), then N clients (default 50), each a thread with its own
 * HTTP session, sign in and, for D seconds (default 60), do what a desk
 * does: search students, open one, pull the roster delta, report a loss
 * and lift it, apply for a reissue and withdraw it, send check-ins with
 * Idempotency-Keys (some sent twice, as an outbox does after a cut). Each
 * client owns its students, so the only refusals are the ones it asks for
 * (409) and throttling (429).
 *
 * Then the server is stopped and its database read: every acknowledged
 * write must be there (one audit row per first answer, per student; every
 * check-in id; every student's card in the state its last answer said),
 * and PRAGMA integrity_check must be "ok". Prints
 *   BENCH load.requests <n>
 *   BENCH load.p50_ms <ms>
 *   BENCH load.p99_ms <ms>
 *   BENCH load.errors <n>
 * (and more), and exits 1 on an error or a lost write.
 */
#define G_LOG_DOMAIN "co-load"

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

#define OWN_STUDENTS 6

static int opt_clients = 50;
static int opt_duration = 60;
static char *opt_server = NULL;
static gboolean opt_keep = FALSE;

/* The clients all sign in first (the 8 o'clock rush), then the mix runs
 * for the duration from the moment the last one is in. */
static GMutex start_lock;
static GCond start_cond;
static int signed_in;
static gint64 mix_deadline;

static const GOptionEntry entries[] = {
  { "clients", 'c', 0, G_OPTION_ARG_INT, &opt_clients, "Parallel clients (50)", "N" },
  { "duration", 'd', 0, G_OPTION_ARG_INT, &opt_duration, "Seconds of load (60)", "SECONDS" },
  { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "The card-office-server binary", "PATH" },
  { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the database and the server log", NULL },
  { NULL }
};

typedef struct
{
  char    *edu_id;
  char    *card_status;   /* as the last acknowledged answer said */
  gboolean reissue_open;
} Own;

typedef struct
{
  guint       index;
  const char *base;
  const char *username;
  GPtrArray  *all_edu_ids;   /* of its school, shared, read-only */
  GPtrArray  *queries;       /* search texts, shared, read-only */
  gint64      deadline;

  Own         own[OWN_STUDENTS];
  guint       n_own;
  char       *token;
  char       *cursor;
  GRand      *rand;
  guint       key_seq;
  char       *last_key;
  char       *last_path;
  char       *last_body;

  /* results */
  GArray     *latencies;     /* double ms */
  GArray     *by_kind[3];    /* sign-in, read, write */
  guint       requests;
  guint       errors;
  guint       conflicts;     /* 409 asked for */
  guint       throttled;     /* 429 */
  guint       replays;       /* answers marked Idempotent-Replay */
  guint       replay_mismatches;
  GHashTable *acked;         /* edu_id → writes acknowledged (first answers) */
  GArray     *check_in_ids;  /* gint64 */
  GString    *samples;       /* a few error descriptions */
} Client;

typedef struct
{
  guint   status;
  GBytes *body;
  JsonNode *json;
  gboolean replay;
} Answer;

static void
answer_clear (Answer *a)
{
  g_clear_pointer (&a->body, g_bytes_unref);
  g_clear_pointer (&a->json, json_node_unref);
}

static const char *
jstr (JsonNode   *node,
      const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), parts[i]);
    }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
jint (JsonNode   *node,
      const char *name)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return -1;
  return json_object_get_int_member_with_default (json_node_get_object (node), name, -1);
}

static void
note_error (Client     *c,
            const char *method,
            const char *path,
            Answer     *a,
            const char *transport)
{
  gsize size = 0;
  const char *data = a->body ? g_bytes_get_data (a->body, &size) : NULL;
  g_autofree char *pattern = g_strdup (path);
  char *q = strchr (pattern, '?');

  c->errors++;
  if (q != NULL)
    *q = '\0';
  if (c->samples->len < 2000)
    g_string_append_printf (c->samples, "  client %u: %s %s → %u %.*s%s\n", c->index, method,
                            pattern, a->status, (int) MIN (size, 160), data ? data : "",
                            transport ? transport : "");
}

/* One request, timed; @key NULL for reads. */
static void
call (Client      *c,
      SoupSession *session,
      const char  *method,
      const char  *path,
      const char  *key,
      const char  *body,
      Answer      *a)
{
  g_autofree char *url = g_strconcat (c->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  gint64 start = g_get_monotonic_time ();
  double ms;

  memset (a, 0, sizeof *a);
  if (c->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", c->token, NULL);
      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", key);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  a->body = soup_session_send_and_read (session, msg, NULL, &error);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_array_append_val (c->latencies, ms);
  if (c->by_kind[0] != NULL)
    {
      guint kind = strstr (path, "/auth/login") ? 0 : strcmp (method, "GET") == 0 ? 1 : 2;
      g_array_append_val (c->by_kind[kind], ms);
    }
  c->requests++;

  if (error != NULL)
    {
      note_error (c, method, path, a, error->message);
      return;
    }

  a->status = soup_message_get_status (msg);
  a->replay = g_strcmp0 (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                       "Idempotent-Replay"), "true") == 0;
  if (a->replay)
    c->replays++;
  if (a->body != NULL && g_bytes_get_size (a->body) > 0 &&
      g_strcmp0 (soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                        NULL), "application/json") == 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size;
      const char *data = g_bytes_get_data (a->body, &size);

      /* The body is not NUL-terminated: its length, not strlen. */
      if (json_parser_load_from_data (parser, data, size, NULL) &&
          json_parser_get_root (parser) != NULL)
        a->json = json_node_ref (json_parser_get_root (parser));
    }

  if (a->status == 429)
    c->throttled++;
  else if (a->status == 409)
    c->conflicts++;
  else if (a->status < 200 || a->status >= 300)
    note_error (c, method, path, a, NULL);
}

static char *
next_key (Client *c)
{
  return g_strdup_printf ("load-%u-%u", c->index, ++c->key_seq);
}

static void
acked (Client     *c,
       const char *edu_id,
       Answer     *a)
{
  if (a->status >= 200 && a->status < 300 && !a->replay)
    {
      gpointer n = g_hash_table_lookup (c->acked, edu_id);
      g_hash_table_insert (c->acked, g_strdup (edu_id), GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
    }
}

static void
own_update (Own    *own,
            Answer *a)
{
  const char *status = jstr (a->json, "card.status");

  if (a->status < 200 || a->status >= 300 || status == NULL)
    return;
  g_free (own->card_status);
  own->card_status = g_strdup (status);
}

static void
do_search (Client *c, SoupSession *session)
{
  const char *q = c->queries->pdata[g_rand_int_range (c->rand, 0, c->queries->len)];
  g_autofree char *escaped = g_uri_escape_string (q, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/api/v1/students?q=%s&limit=20", escaped);
  Answer a;

  call (c, session, "GET", path, NULL, NULL, &a);
  answer_clear (&a);
}

static void
do_get_student (Client *c, SoupSession *session)
{
  const char *edu_id = c->all_edu_ids->pdata[g_rand_int_range (c->rand, 0, c->all_edu_ids->len)];
  g_autofree char *path = g_strdup_printf ("/api/v1/students/%s", edu_id);
  Answer a;

  call (c, session, "GET", path, NULL, NULL, &a);
  answer_clear (&a);
}

static void
do_roster (Client *c, SoupSession *session)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/roster?limit=500%s%s",
                                           c->cursor ? "&since=" : "", c->cursor ? c->cursor : "");
  Answer a;

  call (c, session, "GET", path, NULL, NULL, &a);
  if (a.status == 200 && jstr (a.json, "next_cursor") != NULL)
    {
      g_free (c->cursor);
      c->cursor = g_strdup (jstr (a.json, "next_cursor"));
    }
  answer_clear (&a);
}

static void
do_loss (Client *c, SoupSession *session)
{
  Own *own = &c->own[g_rand_int_range (c->rand, 0, c->n_own)];
  g_autofree char *path = g_strdup_printf ("/api/v1/students/%s/loss", own->edu_id);
  g_autofree char *key = next_key (c);
  gboolean lost = g_strcmp0 (own->card_status, "reported_lost") == 0;
  gboolean wrong = g_rand_int_range (c->rand, 0, 10) == 0;   /* asks for a 409 */
  gboolean report = wrong ? lost : !lost;
  Answer a;

  if (own->reissue_open)
    return;
  call (c, session, report ? "POST" : "DELETE", path, key, NULL, &a);
  if (wrong && a.status != 409 && a.status != 429)
    note_error (c, report ? "POST" : "DELETE", path, &a, " (a 409 was expected)");
  acked (c, own->edu_id, &a);
  own_update (own, &a);
  answer_clear (&a);
}

static void
do_reissue (Client *c, SoupSession *session)
{
  Own *own = &c->own[g_rand_int_range (c->rand, 0, c->n_own)];
  g_autofree char *key = next_key (c);
  g_autofree char *body = NULL;
  gint64 id;
  Answer a;

  if (g_strcmp0 (own->card_status, "reported_lost") != 0)
    return do_loss (c, session);

  body = g_strdup_printf ("{\"edu_id\":\"%s\",\"delivery\":\"school\"}", own->edu_id);
  call (c, session, "POST", "/api/v1/reissues", key, body, &a);
  acked (c, own->edu_id, &a);
  id = a.status == 201 ? jint (a.json, "id") : -1;
  answer_clear (&a);
  if (id < 0)
    return;
  own->reissue_open = TRUE;

  /* Withdrawn at once (the parents changed their mind). */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/reissues/%" G_GINT64_FORMAT "/withdraw", id);
    g_autofree char *key2 = next_key (c);

    call (c, session, "POST", path, key2, NULL, &a);
    acked (c, own->edu_id, &a);
    if (a.status == 200)
      own->reissue_open = FALSE;
    answer_clear (&a);
  }
}

static void
do_check_in (Client *c, SoupSession *session)
{
  Own *own = &c->own[g_rand_int_range (c->rand, 0, c->n_own)];
  gboolean again = c->last_key != NULL && g_rand_int_range (c->rand, 0, 10) == 0;
  Answer a;

  if (!again)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S%:z");

      g_free (c->last_key);
      g_free (c->last_path);
      g_free (c->last_body);
      c->last_key = next_key (c);
      c->last_path = g_strdup_printf ("/api/v1/events/load-exam-%u/check-ins", c->index % 5);
      c->last_body = g_strdup_printf ("{\"edu_id\":\"%s\",\"at\":\"%s\",\"verdict\":\"valid\"}",
                                      own->edu_id, at);
    }

  call (c, session, "POST", c->last_path, c->last_key, c->last_body, &a);
  if (again && a.status == 201 && !a.replay)
    c->replay_mismatches++;
  if (a.status == 201)
    {
      const char *edu_id = jstr (a.json, "edu_id");
      gint64 id = jint (a.json, "id");

      if (!a.replay)
        {
          g_array_append_val (c->check_in_ids, id);
          acked (c, edu_id ? edu_id : own->edu_id, &a);
        }
    }
  answer_clear (&a);
}

static gpointer
client_thread (gpointer data)
{
  Client *c = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 120, NULL);
  g_autofree char *login = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}",
                                            c->username, c->username);
  Answer a;

  call (c, session, "POST", "/api/v1/auth/login", NULL, login, &a);
  c->token = a.status == 200 ? g_strdup (jstr (a.json, "token")) : NULL;
  answer_clear (&a);

  g_mutex_lock (&start_lock);
  if (++signed_in == opt_clients)
    {
      mix_deadline = g_get_monotonic_time () + (gint64) opt_duration * G_USEC_PER_SEC;
      g_cond_broadcast (&start_cond);
    }
  while (signed_in < opt_clients)
    g_cond_wait (&start_cond, &start_lock);
  c->deadline = mix_deadline;
  g_mutex_unlock (&start_lock);

  if (c->token == NULL)
    return NULL;

  while (g_get_monotonic_time () < c->deadline)
    {
      int r = g_rand_int_range (c->rand, 0, 100);

      if (r < 30)
        do_search (c, session);
      else if (r < 55)
        do_get_student (c, session);
      else if (r < 62)
        do_roster (c, session);
      else if (r < 75)
        do_loss (c, session);
      else if (r < 85)
        do_reissue (c, session);
      else
        do_check_in (c, session);
    }

  /* Signs out, as the desk does at the end of the day. */
  {
    g_autofree char *key = next_key (c);
    call (c, session, "POST", "/api/v1/auth/logout", key, NULL, &a);
    answer_clear (&a);
  }
  return NULL;
}

/* The server */

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint i;

  if (sorted->len == 0)
    return 0;
  i = (guint) (p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, double, MIN (i, sorted->len - 1));
}

static sqlite3_stmt *
prepare (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  return stmt;
}

static gint64
scalar (sqlite3    *db,
        const char *sql)
{
  sqlite3_stmt *stmt = prepare (db, sql);
  gint64 v = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;

  sqlite3_finalize (stmt);
  return v;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— the reference server under load");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(SoupSession) session = NULL;
  GPtrArray *edu_ids[2] = { NULL, NULL };
  g_autoptr(GPtrArray) queries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *kinds[3] = { g_array_new (FALSE, FALSE, sizeof (double)),
                       g_array_new (FALSE, FALSE, sizeof (double)),
                       g_array_new (FALSE, FALSE, sizeof (double)) };
  const char *kind_names[3] = { "sign_in", "read", "write" };
  g_autoptr(GHashTable) acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *base = NULL;
  GThread **threads;
  Client *clients;
  Client setup = { 0 };
  guint requests = 0, errors = 0, conflicts = 0, throttled = 0, replays = 0, mismatches = 0;
  guint lost = 0, check_ins = 0, writes = 0;
  gint64 audit_base, started, elapsed;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt;
  const char *server_path;
  const char *integrity;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_clients < 1 || opt_clients > 1000 || opt_duration < 1)
    {
      g_printerr ("--clients 1-1000, --duration at least 1\n");
      return 2;
    }
  server_path = opt_server ? opt_server : CO_SERVER_PATH;

  dir = g_dir_make_tmp ("co-load-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (dir, "server.db", NULL);
  log_path = g_build_filename (dir, "server.log", NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, server_path, "--db", db_path, "--host",
                                        "127.0.0.1", "--port", "0", "--demo", NULL);
  if (server == NULL)
    g_error ("cannot start %s: %s", server_path, error->message);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  base = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  if (base == NULL)
    g_error ("the server printed no URL (log: %s)", log_path);
  g_print ("server %s, %d clients, %d s\n", base, opt_clients, opt_duration);

  /* The schools' students, from the roster (one sign-in per school). */
  session = soup_session_new_with_options ("timeout", 120, NULL);
  setup.base = base;
  setup.latencies = g_array_new (FALSE, FALSE, sizeof (double));
  setup.samples = g_string_new (NULL);
  for (guint school = 0; school < 2; school++)
    {
      const char *user = school == 0 ? "demo" : "demo2";
      g_autofree char *login = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", user,
                                                user);
      Answer a;
      JsonArray *students;

      g_clear_pointer (&setup.token, g_free);
      call (&setup, session, "POST", "/api/v1/auth/login", NULL, login, &a);
      if (a.status != 200)
        g_error ("cannot sign in as %s", user);
      setup.token = g_strdup (jstr (a.json, "token"));
      answer_clear (&a);

      call (&setup, session, "GET", "/api/v1/roster?limit=5000", NULL, NULL, &a);
      if (a.status != 200)
        g_error ("no roster");
      edu_ids[school] = g_ptr_array_new_with_free_func (g_free);
      students = json_object_get_array_member (json_node_get_object (a.json), "students");
      for (guint i = 0; i < json_array_get_length (students); i++)
        {
          JsonNode *s = json_array_get_element (students, i);
          const char *edu_id = jstr (s, "edu_id");
          const char *name = jstr (s, "name");
          const char *status = jstr (s, "card.status");
          JsonNode *reissue = json_object_get_member (json_node_get_object (s), "reissue");

          g_ptr_array_add (edu_ids[school], g_strdup (edu_id));
          if (school == 0 && name != NULL && i % 7 == 0)
            {
              g_ptr_array_add (queries, g_utf8_substring (name, 0, 1));
              g_ptr_array_add (queries, g_strndup (edu_id, 4));
            }
          /* Students a client may own: an active card, nothing open. */
          if (g_strcmp0 (status, "active") == 0 && (reissue == NULL || JSON_NODE_HOLDS_NULL (reissue)))
            g_ptr_array_add (owned, g_strdup_printf ("%u:%s", school, edu_id));
        }
      answer_clear (&a);
    }
  g_ptr_array_add (queries, g_strdup ("zhang"));
  g_ptr_array_add (queries, g_strdup ("wl"));
  g_ptr_array_add (queries, g_strdup ("li"));

  audit_base = 0;
  {
    sqlite3 *peek = NULL;

    if (sqlite3_open_v2 (db_path, &peek, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
      {
        sqlite3_busy_timeout (peek, 10000);
        audit_base = scalar (peek, "SELECT coalesce(max(id), 0) FROM audit");
      }
    sqlite3_close (peek);
  }

  /* The clients: one in ten at the second school. */
  clients = g_new0 (Client, opt_clients);
  threads = g_new0 (GThread *, opt_clients);
  started = g_get_monotonic_time ();
  {
    guint next[2] = { 0, 0 };

    for (int i = 0; i < opt_clients; i++)
      {
        Client *c = &clients[i];
        guint school = i % 10 == 9 ? 1 : 0;

        c->index = i;
        c->base = base;
        c->username = school ? "demo2" : "demo";
        c->all_edu_ids = edu_ids[school];
        c->queries = queries;
        c->rand = g_rand_new_with_seed (1000 + i);
        c->latencies = g_array_new (FALSE, FALSE, sizeof (double));
        for (guint k = 0; k < 3; k++)
          c->by_kind[k] = g_array_new (FALSE, FALSE, sizeof (double));
        c->acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        c->check_in_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
        c->samples = g_string_new (NULL);

        /* Its own students: disjoint from every other client's. */
        for (guint k = 0; k < owned->len && c->n_own < OWN_STUDENTS; k++)
          {
            const char *entry = owned->pdata[k];
            guint entry_school = entry[0] - '0';

            if (entry_school != school || k < next[school])
              continue;
            c->own[c->n_own].edu_id = g_strdup (entry + 2);
            c->own[c->n_own].card_status = g_strdup ("active");
            c->n_own++;
            next[school] = k + 1;
          }
        if (c->n_own == 0)
          g_error ("client %d has no student of its own", i);
      }
  }
  for (int i = 0; i < opt_clients; i++)
    threads[i] = g_thread_new ("client", client_thread, &clients[i]);
  for (int i = 0; i < opt_clients; i++)
    g_thread_join (threads[i]);
  elapsed = g_get_monotonic_time () - started;

  /* The server stops; the database speaks. */
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  if (!g_subprocess_get_if_exited (server) || g_subprocess_get_exit_status (server) != 0)
    {
      g_printerr ("the server did not exit cleanly (log: %s)\n", log_path);
      errors++;
    }

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    g_error ("cannot open %s", db_path);
  sqlite3_busy_timeout (db, 10000);

  for (int i = 0; i < opt_clients; i++)
    {
      Client *c = &clients[i];
      GHashTableIter iter;
      gpointer key, value;

      requests += c->requests;
      errors += c->errors;
      conflicts += c->conflicts;
      throttled += c->throttled;
      replays += c->replays;
      mismatches += c->replay_mismatches;
      g_array_append_vals (all, c->latencies->data, c->latencies->len);
      for (guint k = 0; k < 3; k++)
        g_array_append_vals (kinds[k], c->by_kind[k]->data, c->by_kind[k]->len);
      if (c->samples->len > 0 && errors < 40)
        g_printerr ("%s", c->samples->str);
      if (c->token == NULL)
        {
          g_printerr ("client %d could not sign in\n", i);
          errors++;
        }

      g_hash_table_iter_init (&iter, c->acked);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          gpointer n = g_hash_table_lookup (acked, key);

          g_hash_table_insert (acked, g_strdup (key),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + GPOINTER_TO_UINT (value)));
          writes += GPOINTER_TO_UINT (value);
        }

      /* Every acknowledged check-in is stored. */
      stmt = prepare (db, "SELECT count(*) FROM check_ins WHERE id = ?");
      for (guint k = 0; k < c->check_in_ids->len; k++)
        {
          sqlite3_bind_int64 (stmt, 1, g_array_index (c->check_in_ids, gint64, k));
          if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_int64 (stmt, 0) != 1)
            {
              g_printerr ("lost: check-in %" G_GINT64_FORMAT "\n",
                          g_array_index (c->check_in_ids, gint64, k));
              lost++;
            }
          sqlite3_reset (stmt);
          check_ins++;
        }
      sqlite3_finalize (stmt);

      /* Every owned card is as its last answer said. */
      stmt = prepare (db, "SELECT c.status FROM students s JOIN cards c ON c.card_no = s.card_no"
                          " WHERE s.edu_id = ?");
      for (guint k = 0; k < c->n_own; k++)
        {
          sqlite3_bind_text (stmt, 1, c->own[k].edu_id, -1, SQLITE_TRANSIENT);
          if (sqlite3_step (stmt) != SQLITE_ROW ||
              g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), c->own[k].card_status) != 0)
            {
              g_printerr ("lost: a card's status (client %d)\n", i);
              lost++;
            }
          sqlite3_reset (stmt);
        }
      sqlite3_finalize (stmt);
    }

  /* One audit row per acknowledged write, student by student. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT edu_id, count(*) FROM audit WHERE id > %"
                                            G_GINT64_FORMAT " AND edu_id IS NOT NULL"
                                            " GROUP BY edu_id", audit_base);
    g_autoptr(GHashTable) audited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    GHashTableIter iter;
    gpointer key, value;

    stmt = prepare (db, sql);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_hash_table_insert (audited, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                           GINT_TO_POINTER ((int) sqlite3_column_int64 (stmt, 1)));
    sqlite3_finalize (stmt);

    g_hash_table_iter_init (&iter, acked);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        guint found = GPOINTER_TO_UINT (g_hash_table_lookup (audited, key));

        if (found != GPOINTER_TO_UINT (value))
          {
            g_printerr ("audit: %u acknowledged writes of one student, %u audited\n",
                        GPOINTER_TO_UINT (value), found);
            lost += found < GPOINTER_TO_UINT (value) ? GPOINTER_TO_UINT (value) - found : 0;
            errors += found > GPOINTER_TO_UINT (value);
          }
        g_hash_table_remove (audited, key);
      }
    if (g_hash_table_size (audited) > 0)
      {
        g_printerr ("audit: %u students with writes nobody acknowledged\n",
                    g_hash_table_size (audited));
        errors++;
      }
  }

  stmt = prepare (db, "PRAGMA integrity_check");
  integrity = sqlite3_step (stmt) == SQLITE_ROW ? (const char *) sqlite3_column_text (stmt, 0) : "";
  if (g_strcmp0 (integrity, "ok") != 0)
    {
      g_printerr ("integrity_check: %s\n", integrity);
      errors++;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_array_sort (all, compare_double);
  g_print ("BENCH load.clients %d\n", opt_clients);
  g_print ("BENCH load.seconds %.1f s (sign-ins, then the mix)\n",
           elapsed / (double) G_USEC_PER_SEC);
  g_print ("BENCH load.requests %u\n", requests);
  g_print ("BENCH load.rate %.0f requests/s\n", requests / (elapsed / (double) G_USEC_PER_SEC));
  g_print ("BENCH load.p50_ms %.1f ms\n", percentile (all, 0.50));
  g_print ("BENCH load.p90_ms %.1f ms\n", percentile (all, 0.90));
  g_print ("BENCH load.p99_ms %.1f ms\n", percentile (all, 0.99));
  g_print ("BENCH load.max_ms %.1f ms\n", percentile (all, 1.0));
  for (guint k = 0; k < 3; k++)
    {
      g_array_sort (kinds[k], compare_double);
      g_print ("BENCH load.%s_p50_ms %.1f ms\n", kind_names[k], percentile (kinds[k], 0.50));
      g_print ("BENCH load.%s_p99_ms %.1f ms\n", kind_names[k], percentile (kinds[k], 0.99));
      g_array_unref (kinds[k]);
    }
  g_print ("BENCH load.writes_acknowledged %u\n", writes);
  g_print ("BENCH load.check_ins %u\n", check_ins);
  g_print ("BENCH load.replays %u\n", replays);
  g_print ("BENCH load.conflicts_409 %u\n", conflicts);
  g_print ("BENCH load.throttled_429 %u\n", throttled);
  g_print ("BENCH load.lost_writes %u\n", lost + mismatches);
  g_print ("BENCH load.errors %u\n", errors);

  for (int i = 0; i < opt_clients; i++)
    {
      Client *c = &clients[i];

      for (guint k = 0; k < c->n_own; k++)
        {
          g_free (c->own[k].edu_id);
          g_free (c->own[k].card_status);
        }
      g_free (c->token);
      g_free (c->cursor);
      g_free (c->last_key);
      g_free (c->last_path);
      g_free (c->last_body);
      g_rand_free (c->rand);
      g_array_unref (c->latencies);
      for (guint k = 0; k < 3; k++)
        g_array_unref (c->by_kind[k]);
      g_hash_table_unref (c->acked);
      g_array_unref (c->check_in_ids);
      g_string_free (c->samples, TRUE);
    }
  g_free (clients);
  g_free (threads);
  g_free (setup.token);
  g_ptr_array_unref (edu_ids[0]);
  g_ptr_array_unref (edu_ids[1]);
  g_array_unref (setup.latencies);
  g_string_free (setup.samples, TRUE);

  if (opt_keep)
    g_print ("kept: %s\n", dir);
  else
    {
      g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);

      g_unlink (db_path);
      g_unlink (wal);
      g_unlink (shm);
      g_unlink (log_path);
      g_rmdir (dir);
    }

  return errors == 0 && lost == 0 && mismatches == 0 ? 0 : 1;
}
