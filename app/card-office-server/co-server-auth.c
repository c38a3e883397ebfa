/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Staff, passwords and tokens. Passwords are hashed with libsodium's
 * crypto_pwhash (Argon2id, memory-hard); tokens are 32 random bytes that
 * are stored only as a BLAKE2b hash, expire, and are revoked on logout.
 * Failed logins are counted per username and per address; past the limit
 * the login answers 429 with Retry-After until the lock ends.
 *
 * Verifying a password costs ~150 ms of Argon2id, so it runs on a small
 * pool of worker threads with the message paused, while the loop serves
 * everyone else; the database is only touched on the loop's thread. The
 * throttle counts sign-ins being verified: one is let through only when it
 * would have been even if all those before it failed, otherwise it waits
 * for them, so concurrent wrong passwords lock exactly as one after the
 * other would.
 */
#define G_LOG_DOMAIN "co-server"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "co-server-private.h"

/* Workers verifying passwords: Argon2id is memory-hard (64 MiB each), and
 * more threads than cores would not sign anyone in sooner. */
#define PWHASH_THREADS 2

typedef struct
{
  guint  failures;
  gint64 window_start;
  gint64 locked_until;
  guint  locks;
  guint  pending;   /* sign-ins being verified */
} Throttle;

/* One sign-in, from its request to its answer. */
typedef struct
{
  CoServer   *server;
  CoDeferred *deferred;   /* set once it waits or is being verified */
  char       *user_key;
  char       *addr_key;
  char       *username;
  char       *password;
  CoStaff    *staff;      /* NULL for an unknown user */
  char       *stored;     /* its password hash */
  guint       delay_ms;
  gboolean    good;
} Login;

static void
login_free (Login *login)
{
  g_free (login->user_key);
  g_free (login->addr_key);
  g_free (login->username);
  if (login->password != NULL)
    {
      sodium_memzero (login->password, strlen (login->password));
      g_free (login->password);
    }
  co_staff_free (login->staff);
  g_free (login->stored);
  co_deferred_free (login->deferred);
  g_free (login);
}

void
co_staff_free (CoStaff *staff)
{
  if (staff == NULL)
    return;
  g_free (staff->username);
  g_free (staff->school_name);
  g_free (staff);
}

char *
co_auth_hash_password (const char *password)
{
  char hash[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return NULL;

  return g_strdup (hash);
}

gboolean
co_auth_add_staff (CoServer    *self,
                   gint64       school_id,
                   const char  *username,
                   const char  *password,
                   GError     **error)
{
  g_autofree char *hash = co_auth_hash_password (password);
  g_autofree char *now = co_server_now_string (self);
  sqlite3_stmt *stmt;

  if (hash == NULL)
    {
      g_set_error (error, CO_DB_ERROR, 0, "cannot hash the password (out of memory)");
      return FALSE;
    }

  stmt = co_db_stmt (self, "INSERT INTO staff (school_id, username, pw_hash, created_at)"
                           " VALUES (?, ?, ?, ?)"
                           " ON CONFLICT (username) DO UPDATE SET school_id = excluded.school_id,"
                           " pw_hash = excluded.pw_hash");
  sqlite3_bind_int64 (stmt, 1, school_id);
  co_db_bind_text (stmt, 2, username);
  co_db_bind_text (stmt, 3, hash);
  co_db_bind_text (stmt, 4, now);
  if (!co_db_step_done (self, stmt))
    {
      g_set_error (error, CO_DB_ERROR, 0, "cannot store the staff account: %s",
                   sqlite3_errmsg (self->db));
      return FALSE;
    }

  return TRUE;
}

static void
hash_token (const char *token,
            guint8      out[32])
{
  crypto_generichash (out, 32, (const guint8 *) token, strlen (token), NULL, 0);
}

CoStaff *
co_auth_check_token (CoServer   *self,
                     const char *authorization)
{
  sqlite3_stmt *stmt;
  guint8 hash[32];
  const char *token;
  CoStaff *staff = NULL;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return NULL;

  token = authorization + 7;
  while (*token == ' ')
    token++;
  if (*token == '\0' || strlen (token) > 256)
    return NULL;

  hash_token (token, hash);

  stmt = co_db_stmt (self,
                     "SELECT st.id, st.school_id, st.username, sc.name FROM tokens t"
                     " JOIN staff st ON st.id = t.staff_id JOIN schools sc ON sc.id = st.school_id"
                     " WHERE t.hash = ? AND t.revoked_at IS NULL AND t.expires_at > ?");
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, hash, sizeof hash, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      staff = g_new0 (CoStaff, 1);
      staff->id = sqlite3_column_int64 (stmt, 0);
      staff->school_id = sqlite3_column_int64 (stmt, 1);
      staff->username = g_strdup (co_db_text (stmt, 2));
      staff->school_name = g_strdup (co_db_text (stmt, 3));
    }
  sqlite3_reset (stmt);

  return staff;
}

/* Throttling */

/* Forgets counters whose window passed and whose lock ended, so a spray of
 * usernames cannot grow the table without bound. */
static gboolean
throttle_is_stale (gpointer key,
                   gpointer value,
                   gpointer user_data)
{
  const Throttle *t = value;
  gint64 now = *(const gint64 *) user_data;

  return t->pending == 0 && now - t->window_start > CO_SERVER_LOGIN_WINDOW &&
         t->locked_until <= now;
}

static void
throttle_prune (CoServer *self,
                gint64    now)
{
  if (g_hash_table_size (self->throttle) >= 4096)
    g_hash_table_foreach_remove (self->throttle, throttle_is_stale, &now);
}

static Throttle *
throttle_get (CoServer   *self,
              const char *key)
{
  Throttle *t = g_hash_table_lookup (self->throttle, key);

  if (t == NULL)
    {
      t = g_new0 (Throttle, 1);
      g_hash_table_insert (self->throttle, g_strdup (key), t);
    }

  return t;
}

/* Failures that still count at @now. */
static guint
throttle_failures (Throttle *t,
                   gint64    now)
{
  return now - t->window_start > CO_SERVER_LOGIN_WINDOW ? 0 : t->failures;
}

/* Whether a sign-in may start now with others of @t being verified: only
 * if it would pass even were they all to fail. */
static gboolean
throttle_may_start (Throttle *t,
                    gint64    now,
                    guint     max)
{
  return t->pending == 0 || throttle_failures (t, now) + t->pending < max;
}

/* Seconds until @t lets a login through; 0 when it does. */
static gint64
throttle_wait (Throttle *t,
               gint64    now)
{
  return t->locked_until > now ? t->locked_until - now : 0;
}

static void
throttle_fail (Throttle *t,
               gint64    now,
               guint     max)
{
  gint64 lock;

  if (now - t->window_start > CO_SERVER_LOGIN_WINDOW)
    {
      t->window_start = now;
      t->failures = 0;
    }

  t->failures++;
  if (t->failures < max)
    return;

  /* 60 s, doubling with each further lock, at most 15 minutes. */
  lock = CO_SERVER_LOGIN_LOCK << MIN (t->locks, 8);
  lock = MIN (lock, CO_SERVER_LOGIN_LOCK_MAX);
  t->locks++;
  t->locked_until = now + lock;
}

/* Handlers */

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* The hash an unknown user's password is checked against, so that it costs
 * the same as a known one's; made once, by the first worker needing it. */
static const char *
dummy_hash (void)
{
  static char *hash;

  if (g_once_init_enter (&hash))
    {
      char *made = co_auth_hash_password ("card-office-no-such-user");

      g_once_init_leave (&hash, made != NULL ? made : g_strdup (""));
    }

  return *hash != '\0' ? hash : NULL;
}

/* On a worker thread: plain data in, a boolean out. */
static void
pwhash_worker (gpointer data,
               gpointer user_data)
{
  GTask *task = data;
  Login *login = g_task_get_task_data (task);
  gboolean good;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (login->stored == NULL)
    {
      const char *dummy = dummy_hash ();

      good = dummy != NULL &&
             crypto_pwhash_str_verify (dummy, login->password, strlen (login->password)) == 0 &&
             FALSE;
    }
  else
    good = crypto_pwhash_str_verify (login->stored, login->password,
                                     strlen (login->password)) == 0;

  if (login->delay_ms > 0)
    g_usleep (login->delay_ms * (G_USEC_PER_SEC / 1000));

  g_task_return_boolean (task, good);
  g_object_unref (task);
}

static void
answer_throttled (CoResponse *res,
                  gint64      wait)
{
  g_autofree char *retry = g_strdup_printf ("%" G_GINT64_FORMAT, wait);

  co_response_set_header (res, "Retry-After", retry);
  co_response_error (res, 429, "throttled", NULL,
                     "too many failed logins; retry in %" G_GINT64_FORMAT " s", wait);
}

/* Issues a token for @login's staff into @res. */
static void
answer_signed_in (Login      *login,
                  CoResponse *res)
{
  CoServer *self = login->server;
  CoStaff *staff = login->staff;
  g_autofree char *expires = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) expiry = NULL;
  g_autoptr(GDateTime) beijing = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  sqlite3_stmt *stmt;
  guint8 raw[32];
  guint8 hash[32];
  char token[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (raw, sizeof raw);
  sodium_bin2base64 (token, sizeof token, raw, sizeof raw,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (raw, sizeof raw);
  hash_token (token, hash);

  stmt = co_db_stmt (
    self, "INSERT INTO tokens (hash, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)");
  sqlite3_bind_blob (stmt, 1, hash, sizeof hash, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, staff->id);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, now + self->token_ttl);
  if (!co_db_step_done (self, stmt))
    {
      sodium_memzero (token, sizeof token);
      co_response_db_error (res, self);
      return;
    }

  /* Old tokens need not pile up. */
  stmt = co_db_stmt (self, "DELETE FROM tokens WHERE expires_at < ?");
  sqlite3_bind_int64 (stmt, 1, now - 24 * 60 * 60);
  co_db_step_done (self, stmt);

  co_db_audit (self, staff, "login", NULL, NULL, NULL);

  expiry = g_date_time_new_from_unix_local (now + self->token_ttl);
  beijing = g_date_time_to_timezone (expiry, self->tz);
  expires = co_format_time (beijing);

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, token);
  json_builder_set_member_name (b, "expires_at");
  json_builder_add_string_value (b, expires);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, staff->username);
  json_builder_set_member_name (b, "school_name");
  json_builder_add_string_value (b, staff->school_name);
  json_builder_end_object (b);
  node = json_builder_get_root (b);

  sodium_memzero (token, sizeof token);
  co_response_json (res, SOUP_STATUS_OK, node);
}

typedef enum
{
  LOGIN_ANSWERED, /* @res holds the answer */
  LOGIN_STARTED,  /* its password is being verified */
  LOGIN_WAITING,  /* held back by sign-ins being verified */
} LoginState;

static void login_verified_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);

/* Checks the throttle and, when it lets @login through, reads the staff
 * row and hands the password to a worker (taking @login). */
static LoginState
login_try (Login      *login,
           CoResponse *res)
{
  CoServer *self = login->server;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GTask) task = NULL;
  Throttle *by_user, *by_addr;
  sqlite3_stmt *stmt;
  gint64 wait;

  throttle_prune (self, now);
  by_user = throttle_get (self, login->user_key);
  by_addr = throttle_get (self, login->addr_key);

  wait = MAX (throttle_wait (by_user, now), throttle_wait (by_addr, now));
  if (wait > 0)
    {
      answer_throttled (res, wait);
      return LOGIN_ANSWERED;
    }

  if (!throttle_may_start (by_user, now, CO_SERVER_LOGIN_MAX_FAILURES) ||
      !throttle_may_start (by_addr, now, CO_SERVER_LOGIN_MAX_ADDR_FAILURES))
    return LOGIN_WAITING;

  stmt =
    co_db_stmt (self, "SELECT st.id, st.school_id, st.username, sc.name, st.pw_hash FROM staff st"
                      " JOIN schools sc ON sc.id = st.school_id WHERE st.username = ?");
  if (stmt == NULL)
    {
      co_response_db_error (res, self);
      return LOGIN_ANSWERED;
    }
  co_db_bind_text (stmt, 1, login->username);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      login->staff = g_new0 (CoStaff, 1);
      login->staff->id = sqlite3_column_int64 (stmt, 0);
      login->staff->school_id = sqlite3_column_int64 (stmt, 1);
      login->staff->username = g_strdup (co_db_text (stmt, 2));
      login->staff->school_name = g_strdup (co_db_text (stmt, 3));
      login->stored = g_strdup (co_db_text (stmt, 4));
    }
  sqlite3_reset (stmt);

  if (self->pwhash_pool == NULL)
    {
      self->pwhash_pool = g_thread_pool_new (pwhash_worker, NULL, PWHASH_THREADS, FALSE, NULL);
      g_assert (self->pwhash_pool != NULL);
    }

  by_user->pending++;
  by_addr->pending++;
  login->delay_ms = self->pwhash_delay_ms;

  task = g_task_new (NULL, self->cancellable, login_verified_cb, NULL);
  g_task_set_source_tag (task, login_try);
  g_task_set_task_data (task, login, (GDestroyNotify) login_free);
  self->logins_verifying++;
  g_thread_pool_push (self->pwhash_pool, g_steal_pointer (&task), NULL);

  return LOGIN_STARTED;
}

/* Lets waiting sign-ins through (or answers them 429) once those before
 * them are done. */
static void
logins_resume (CoServer *self)
{
  GList *l = self->logins_waiting.head;

  while (l != NULL)
    {
      GList *next = l->next;
      Login *login = l->data;
      CoResponse res = { 0 };

      switch (login_try (login, &res))
        {
        case LOGIN_WAITING:
          break;
        case LOGIN_STARTED:
          g_queue_delete_link (&self->logins_waiting, l);
          break;
        case LOGIN_ANSWERED:
          g_queue_delete_link (&self->logins_waiting, l);
          co_deferred_finish (g_steal_pointer (&login->deferred), &res);
          login_free (login);
          break;
        default:
          g_assert_not_reached ();
        }
      l = next;
    }
}

/* Back on the loop's thread with the verdict. */
static void
login_verified_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = G_TASK (result);
  Login *login = g_task_get_task_data (task);
  CoServer *self = login->server;
  CoResponse res = { 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  Throttle *by_user, *by_addr;
  gboolean good;

  self->logins_verifying--;

  /* The server is ending (co_auth_shutdown): no answer. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return;

  good = g_task_propagate_boolean (task, NULL);

  by_user = g_hash_table_lookup (self->throttle, login->user_key);
  by_addr = g_hash_table_lookup (self->throttle, login->addr_key);
  g_assert (by_user != NULL && by_user->pending > 0);
  g_assert (by_addr != NULL && by_addr->pending > 0);
  by_user->pending--;
  by_addr->pending--;

  if (!good)
    {
      throttle_fail (by_user, now, CO_SERVER_LOGIN_MAX_FAILURES);
      throttle_fail (by_addr, now, CO_SERVER_LOGIN_MAX_ADDR_FAILURES);
      co_response_set_header (&res, "WWW-Authenticate", "Bearer realm=\"card-office\"");
      co_response_error (&res, SOUP_STATUS_UNAUTHORIZED, "unauthorized", NULL,
                         "wrong username or password");
    }
  else
    {
      /* Signed in: the name's failures are forgotten. */
      if (by_user->pending == 0)
        g_hash_table_remove (self->throttle, login->user_key);
      else
        {
          guint pending = by_user->pending;

          memset (by_user, 0, sizeof *by_user);
          by_user->pending = pending;
        }
      answer_signed_in (login, &res);
    }

  co_deferred_finish (g_steal_pointer (&login->deferred), &res);
  logins_resume (self);
}

void
co_auth_shutdown (CoServer *self)
{
  Login *login;

  g_cancellable_cancel (self->cancellable);

  /* Workers return the queued ones at once, cancelled; then their
   * callbacks run (answering nothing) so that no task is left behind. */
  if (self->pwhash_pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pwhash_pool), FALSE, TRUE);
  while (self->logins_verifying > 0)
    g_main_context_iteration (NULL, TRUE);

  while ((login = g_queue_pop_head (&self->logins_waiting)) != NULL)
    login_free (login);
}

void
co_handle_login (CoRequest  *req,
                 CoResponse *res)
{
  CoServer *self = req->server;
  const char *username = string_member (req->json, "username");
  const char *password = string_member (req->json, "password");
  Login *login;

  if (username == NULL || *username == '\0' || strlen (username) > 64)
    {
      co_response_error (res, 422, "invalid_field", "username",
                         "username must be a string of 1-64 bytes");
      return;
    }
  if (password == NULL || *password == '\0' || strlen (password) > 256)
    {
      co_response_error (res, 422, "invalid_field", "password",
                         "password must be a string of 1-256 bytes");
      return;
    }

  login = g_new0 (Login, 1);
  login->server = self;
  login->username = g_strdup (username);
  login->password = g_strdup (password);
  login->user_key = g_strconcat ("u:", username, NULL);
  login->addr_key = g_strconcat ("a:", req->remote ? req->remote : "-", NULL);

  switch (login_try (login, res))
    {
    case LOGIN_ANSWERED:
      login_free (login);
      break;
    case LOGIN_STARTED:
      /* The worker owns @login now but never reads this; its answer
       * reaches the loop only after this handler returns. */
      login->deferred = co_request_defer (req, res);
      break;
    case LOGIN_WAITING:
      login->deferred = co_request_defer (req, res);
      g_queue_push_tail (&self->logins_waiting, login);
      break;
    default:
      g_assert_not_reached ();
    }
}

void
co_handle_logout (CoRequest  *req,
                  CoResponse *res)
{
  CoServer *self = req->server;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *token = authorization + 7;
  sqlite3_stmt *stmt;
  guint8 hash[32];

  /* The token was checked by the router. */
  while (*token == ' ')
    token++;
  hash_token (token, hash);

  stmt = co_db_stmt (self, "UPDATE tokens SET revoked_at = ? WHERE hash = ?");
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_blob (stmt, 2, hash, sizeof hash, SQLITE_TRANSIENT);
  if (!co_db_step_done (self, stmt) || !co_db_audit (self, req->staff, "logout", NULL, NULL, NULL))
    {
      co_response_db_error (res, self);
      return;
    }

  res->status = SOUP_STATUS_NO_CONTENT;
}
