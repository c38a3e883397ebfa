/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Staff, passwords and tokens. Passwords are hashed with libsodium's
 * crypto_pwhash (Argon2id, memory-hard); tokens are 32 random bytes that
 * are stored only as a BLAKE2b hash, expire, and are revoked on logout.
 * Failed logins are counted per username and per address; past the limit
 * the login answers 429 with Retry-After until the lock ends.
 */
#define G_LOG_DOMAIN "co-server"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "co-server-private.h"

typedef struct
{
  guint  failures;
  gint64 window_start;
  gint64 locked_until;
  guint  locks;
} Throttle;

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

  return now - t->window_start > CO_SERVER_LOGIN_WINDOW && t->locked_until <= now;
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

void
co_handle_login (CoRequest  *req,
                 CoResponse *res)
{
  CoServer *self = req->server;
  const char *username = string_member (req->json, "username");
  const char *password = string_member (req->json, "password");
  g_autofree char *user_key = NULL;
  g_autofree char *addr_key = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *retry = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) expiry = NULL;
  g_autoptr(CoStaff) staff = NULL;
  Throttle *by_user, *by_addr;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 wait;
  sqlite3_stmt *stmt;
  guint8 raw[32];
  guint8 hash[32];
  char token[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  gboolean good;

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

  user_key = g_strconcat ("u:", username, NULL);
  addr_key = g_strconcat ("a:", req->remote ? req->remote : "-", NULL);
  throttle_prune (self, now);
  by_user = throttle_get (self, user_key);
  by_addr = throttle_get (self, addr_key);

  wait = MAX (throttle_wait (by_user, now), throttle_wait (by_addr, now));
  if (wait > 0)
    {
      retry = g_strdup_printf ("%" G_GINT64_FORMAT, wait);
      co_response_set_header (res, "Retry-After", retry);
      co_response_error (res, 429, "throttled", NULL,
                         "too many failed logins; retry in %" G_GINT64_FORMAT " s", wait);
      return;
    }

  stmt =
    co_db_stmt (self, "SELECT st.id, st.school_id, st.username, sc.name, st.pw_hash FROM staff st"
                      " JOIN schools sc ON sc.id = st.school_id WHERE st.username = ?");
  co_db_bind_text (stmt, 1, username);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      staff = g_new0 (CoStaff, 1);
      staff->id = sqlite3_column_int64 (stmt, 0);
      staff->school_id = sqlite3_column_int64 (stmt, 1);
      staff->username = g_strdup (co_db_text (stmt, 2));
      staff->school_name = g_strdup (co_db_text (stmt, 3));
      stored = g_strdup (co_db_text (stmt, 4));
    }
  sqlite3_reset (stmt);

  /* An unknown user costs the same hash as a known one. */
  if (stored == NULL)
    {
      if (self->dummy_hash == NULL)
        self->dummy_hash = co_auth_hash_password ("card-office-no-such-user");
      good = self->dummy_hash != NULL &&
             crypto_pwhash_str_verify (self->dummy_hash, password, strlen (password)) == 0 &&
             FALSE;
    }
  else
    good = crypto_pwhash_str_verify (stored, password, strlen (password)) == 0;

  if (!good)
    {
      throttle_fail (by_user, now, CO_SERVER_LOGIN_MAX_FAILURES);
      throttle_fail (by_addr, now, CO_SERVER_LOGIN_MAX_ADDR_FAILURES);
      co_response_set_header (res, "WWW-Authenticate", "Bearer realm=\"card-office\"");
      co_response_error (res, SOUP_STATUS_UNAUTHORIZED, "unauthorized", NULL,
                         "wrong username or password");
      return;
    }

  g_hash_table_remove (self->throttle, user_key);

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
      co_response_db_error (res, self);
      return;
    }

  /* Old tokens need not pile up. */
  stmt = co_db_stmt (self, "DELETE FROM tokens WHERE expires_at < ?");
  sqlite3_bind_int64 (stmt, 1, now - 24 * 60 * 60);
  co_db_step_done (self, stmt);

  co_db_audit (self, staff, "login", NULL, NULL, NULL);

  expiry = g_date_time_new_from_unix_local (now + self->token_ttl);
  {
    g_autoptr(GDateTime) beijing = g_date_time_to_timezone (expiry, self->tz);
    expires = co_format_time (beijing);
  }

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
