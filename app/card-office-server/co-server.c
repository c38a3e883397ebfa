/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Routing and the life of a request: size limit, route, token, JSON body,
 * Idempotency-Key, one transaction per write, and the access log, which
 * names only the method, the route pattern, the status and the duration
 * (never a student's name, ID or phone: they are minors).
 */
#define G_LOG_DOMAIN "co-server"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "co-server-private.h"

#define A CO_ROUTE_AUTH
#define W (CO_ROUTE_AUTH | CO_ROUTE_WRITE)
#define D (CO_ROUTE_AUTH | CO_ROUTE_DEV)
#define DW (CO_ROUTE_AUTH | CO_ROUTE_WRITE | CO_ROUTE_DEV)
#define WR (CO_ROUTE_AUTH | CO_ROUTE_WRITE | CO_ROUTE_RAW_BODY)

/* Every route the server serves; data/openapi.json documents each one
 * (tests/server checks both ways through --list-routes). */
static const CoRoute routes[] = {
  { "POST",   "/api/v1/auth/login",                           co_handle_login,               0 },
  { "POST",   "/api/v1/auth/logout",                          co_handle_logout,              W },
  { "GET",    "/api/v1/school",                               co_handle_school,              A },
  { "GET",    "/api/v1/students",                             co_handle_students,            A },
  { "GET",    "/api/v1/students/{edu_id}",                    co_handle_student,             A },
  { "GET",    "/api/v1/students/{edu_id}/photo",              co_handle_photo_get,           A },
  { "PUT",    "/api/v1/students/{edu_id}/photo",              co_handle_photo_put,           WR },
  { "POST",   "/api/v1/students/{edu_id}/corrections",        co_handle_corrections,         W },
  { "POST",   "/api/v1/students/{edu_id}/loss",               co_handle_loss_report,         W },
  { "DELETE", "/api/v1/students/{edu_id}/loss",               co_handle_loss_lift,           W },
  { "GET",    "/api/v1/roster",                               co_handle_roster,              A },
  { "GET",    "/api/v1/cards/by-uid/{uid}",                   co_handle_card_by_uid,         A },
  { "POST",   "/api/v1/cards/{card_no}/handout",              co_handle_handout,             W },
  { "GET",    "/api/v1/reissues",                             co_handle_reissues,            A },
  { "POST",   "/api/v1/reissues",                             co_handle_reissue_apply,       W },
  { "GET",    "/api/v1/reissues/{id}",                        co_handle_reissue,             A },
  { "POST",   "/api/v1/reissues/{id}/payment",                co_handle_reissue_payment,     W },
  { "POST",   "/api/v1/reissues/{id}/refund",                 co_handle_reissue_refund,      W },
  { "POST",   "/api/v1/reissues/{id}/withdraw",               co_handle_reissue_withdraw,    W },
  { "GET",    "/api/v1/audit",                                co_handle_audit,               A },
  { "POST",   "/api/v1/dev/reissues/{id}/pay",                co_handle_dev_pay,             DW },
  { "POST",   "/api/v1/dev/reissues/{id}/start-production",   co_handle_dev_start,           DW },
  { "POST",   "/api/v1/dev/reissues/{id}/finish-production",  co_handle_dev_finish,          DW },
  { "POST",   "/api/v1/dev/reissues/{id}/deliver",            co_handle_dev_deliver,         DW },
  { "GET",    "/api/v1/dev/clock",                            co_handle_dev_clock_get,       D },
  { "PUT",    "/api/v1/dev/clock",                            co_handle_dev_clock_put,       DW },
  { "POST",   "/api/v1/dev/students",                         co_handle_dev_student_new,     DW },
  { "DELETE", "/api/v1/dev/students/{edu_id}",                co_handle_dev_student_del,     DW },
  { "POST",   "/api/v1/new-card-batches",                     co_handle_new_card_batch,      W },
  { "GET",    "/api/v1/new-card-batches/{id}",                co_handle_batch_get,           A },
  { "POST",   "/api/v1/sticker-batches",                      co_handle_sticker_batch,       W },
  { "GET",    "/api/v1/sticker-batches/{id}",                 co_handle_batch_get,           A },
  { "POST",   "/api/v1/dev/new-card-batches/{id}/advance",   co_handle_dev_batch_advance,   DW },
  { "POST",   "/api/v1/dev/sticker-batches/{id}/advance",    co_handle_dev_batch_advance,   DW },
  { "GET",    "/api/v1/transit-validity/{card_no}",           co_handle_transit_get,         A },
  { "POST",   "/api/v1/transit-validity/{card_no}/review",    co_handle_transit_review,      W },
  { "POST",   "/api/v1/dev/cards/{card_no}/transit-reject",   co_handle_dev_transit_reject,  DW },
  { "GET",    "/api/v1/events/{event_id}/check-ins",          co_handle_check_ins,           A },
  { "POST",   "/api/v1/events/{event_id}/check-ins",          co_handle_check_in,            W },
};

#undef A
#undef W
#undef D
#undef DW
#undef WR

const CoRoute *
co_server_get_routes (guint *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}

/* Time */

GDateTime *
co_server_now (CoServer *self)
{
  return g_date_time_new_now (self->tz);
}

void
co_server_get_today (CoServer *self,
                     GDate    *out)
{
  g_autoptr(GDateTime) now = NULL;

  if (self->has_today)
    {
      *out = self->today;
      return;
    }

  now = co_server_now (self);
  g_date_clear (out, 1);
  g_date_set_dmy (out, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

char *
co_format_time (GDateTime *dt)
{
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S%:z");
}

char *
co_server_now_string (CoServer *self)
{
  g_autoptr(GDateTime) now = co_server_now (self);

  return co_format_time (now);
}

char *
co_format_date (const GDate *date)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

gboolean
co_parse_date (const char *text,
               GDate      *out)
{
  guint y, m, d;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    {
      if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
        return FALSE;
    }

  y = (guint) g_ascii_strtoull (text, NULL, 10);
  m = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  d = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;

  g_date_clear (out, 1);
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

gsize
co_server_body_limit (const char *path)
{
  if (g_str_has_suffix (path, "/photo"))
    return CO_SERVER_MAX_PHOTO_BODY;
  if (g_str_has_suffix (path, "-batches") || g_str_has_suffix (path, "-batches/"))
    return CO_SERVER_MAX_BATCH_BODY;
  return CO_SERVER_MAX_JSON_BODY;
}

/* Responses */

static void
co_response_clear (CoResponse *res)
{
  g_clear_pointer (&res->content_type, g_free);
  g_clear_pointer (&res->body, g_bytes_unref);
  g_clear_pointer (&res->headers, g_hash_table_unref);
}

void
co_response_set_header (CoResponse *res,
                        const char *name,
                        const char *value)
{
  if (res->headers == NULL)
    res->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (res->headers, g_strdup (name), g_strdup (value));
}

void
co_response_json (CoResponse *res,
                  guint       status,
                  JsonNode   *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  char *text;
  gsize len;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &len);

  g_clear_pointer (&res->body, g_bytes_unref);
  g_free (res->content_type);
  res->status = status;
  res->content_type = g_strdup ("application/json");
  res->body = g_bytes_new_take (text, len);
}

void
co_response_error (CoResponse *res,
                   guint       status,
                   const char *code,
                   const char *field,
                   const char *format,
                   ...)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  if (field != NULL)
    {
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, field);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);

  node = json_builder_get_root (b);
  co_response_json (res, status, node);
}

void
co_response_refuse (CoResponse *res,
                    CoReason    reason,
                    const char *field)
{
  const char *code = co_enum_to_wire (CO_TYPE_REASON, reason);

  co_response_error (res, SOUP_STATUS_CONFLICT, code ? code : "internal", field,
                     "refused by the rules: %s", code ? code : "unknown");
}

void
co_response_db_error (CoResponse *res,
                      CoServer   *server)
{
  g_warning ("database: %s", sqlite3_errmsg (server->db));
  co_response_error (res, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", NULL,
                     "internal error");
}

/* Requests */

const char *
co_request_query (CoRequest  *req,
                  const char *name)
{
  if (req->query == NULL)
    return NULL;
  return g_hash_table_lookup (req->query, name);
}

gboolean
co_request_query_limit (CoRequest  *req,
                        CoResponse *res,
                        const char *name,
                        int         fallback,
                        int         max,
                        int        *out)
{
  const char *text = co_request_query (req, name);
  guint64 value;

  if (text == NULL || *text == '\0')
    {
      *out = fallback;
      return TRUE;
    }

  if (!g_ascii_string_to_unsigned (text, 10, 1, max, &value, NULL))
    {
      co_response_error (res, 422, "invalid_field", name,
                         "%s must be an integer from 1 to %d", name, max);
      return FALSE;
    }

  *out = (int) value;
  return TRUE;
}

/* Matches @path against @pattern; on success the unescaped parameters. */
static gboolean
match_route (const char   *pattern,
             char * const *segments,
             char       ***params_out)
{
  g_auto(GStrv) parts = g_strsplit (pattern, "/", -1);
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  guint i;

  for (i = 0; parts[i] != NULL && segments[i] != NULL; i++)
    {
      if (parts[i][0] == '{')
        {
          char *value = g_uri_unescape_string (segments[i], NULL);

          if (value == NULL || *value == '\0')
            {
              g_free (value);
              return FALSE;
            }
          g_ptr_array_add (params, value);
        }
      else if (strcmp (parts[i], segments[i]) != 0)
        return FALSE;
    }

  if (parts[i] != NULL || segments[i] != NULL)
    return FALSE;

  if (params_out != NULL)
    {
      g_ptr_array_add (params, NULL);
      *params_out = (char **) g_ptr_array_free (g_steal_pointer (&params), FALSE);
    }

  return TRUE;
}

/* The route for @method and @path; when only the path matches,
 * *@allow lists the methods that would. */
static const CoRoute *
find_route (CoServer   *self,
            const char *method,
            const char *path,
            char     ***params,
            GString   **allow)
{
  g_auto(GStrv) segments = NULL;
  gsize len = strlen (path);
  g_autofree char *trimmed = NULL;

  /* One trailing slash is forgiven. */
  trimmed = len > 1 && path[len - 1] == '/' ? g_strndup (path, len - 1) : g_strdup (path);
  segments = g_strsplit (trimmed, "/", -1);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if ((routes[i].flags & CO_ROUTE_DEV) && !self->demo)
        continue;
      if (!match_route (routes[i].pattern, segments, NULL))
        continue;
      if (strcmp (routes[i].method, method) == 0)
        {
          match_route (routes[i].pattern, segments, params);
          return &routes[i];
        }
      if (*allow == NULL)
        *allow = g_string_new (routes[i].method);
      else
        g_string_append_printf (*allow, ", %s", routes[i].method);
    }

  return NULL;
}

/* Idempotency */

static void
fingerprint (CoRequest *req,
             guint8     out[crypto_generichash_BYTES])
{
  crypto_generichash_state state;
  const char *method = req->route->method;
  const char *path = g_uri_get_path (soup_server_message_get_uri (req->msg));
  gsize size = 0;
  const guint8 *data = req->body ? g_bytes_get_data (req->body, &size) : NULL;

  crypto_generichash_init (&state, NULL, 0, crypto_generichash_BYTES);
  crypto_generichash_update (&state, (const guint8 *) method, strlen (method) + 1);
  crypto_generichash_update (&state, (const guint8 *) path, strlen (path) + 1);
  if (data != NULL && size > 0)
    crypto_generichash_update (&state, data, size);
  crypto_generichash_final (&state, out, crypto_generichash_BYTES);
}

static gboolean
key_is_valid (const char *key)
{
  gsize len = strlen (key);

  if (len == 0 || len > 128)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (key[i] < 0x21 || key[i] > 0x7e)
        return FALSE;
    }
  return TRUE;
}

typedef enum { IDEM_NEW, IDEM_REPLAY, IDEM_MISMATCH, IDEM_ERROR } IdemResult;

static IdemResult
idempotency_lookup (CoRequest    *req,
                    const char   *key,
                    const guint8 *print,
                    CoResponse   *res)
{
  CoServer *self = req->server;
  sqlite3_stmt *stmt;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  IdemResult result = IDEM_NEW;

  stmt = co_db_stmt (self, "DELETE FROM idempotency WHERE created_at < ?");
  if (stmt == NULL)
    return IDEM_ERROR;
  sqlite3_bind_int64 (stmt, 1, now - CO_SERVER_IDEMPOTENCY_TTL);
  if (!co_db_step_done (self, stmt))
    return IDEM_ERROR;

  stmt = co_db_stmt (self, "SELECT fingerprint, status, content_type, body FROM idempotency"
                           " WHERE staff_id = ? AND key = ?");
  if (stmt == NULL)
    return IDEM_ERROR;
  sqlite3_bind_int64 (stmt, 1, req->staff->id);
  co_db_bind_text (stmt, 2, key);

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const void *stored = sqlite3_column_blob (stmt, 0);

      if (sqlite3_column_bytes (stmt, 0) != crypto_generichash_BYTES ||
          sodium_memcmp (stored, print, crypto_generichash_BYTES) != 0)
        result = IDEM_MISMATCH;
      else
        {
          res->status = sqlite3_column_int (stmt, 1);
          res->content_type = g_strdup (co_db_text (stmt, 2));
          if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
            res->body = g_bytes_new (sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3));
          result = IDEM_REPLAY;
        }
    }
  sqlite3_reset (stmt);

  return result;
}

static gboolean
idempotency_store (CoRequest    *req,
                   const char   *key,
                   const guint8 *print,
                   CoResponse   *res)
{
  CoServer *self = req->server;
  sqlite3_stmt *stmt;
  gsize size = 0;
  const void *data = res->body ? g_bytes_get_data (res->body, &size) : NULL;

  stmt = co_db_stmt (self, "INSERT INTO idempotency (staff_id, key, fingerprint, status,"
                           " content_type, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, req->staff->id);
  co_db_bind_text (stmt, 2, key);
  sqlite3_bind_blob (stmt, 3, print, crypto_generichash_BYTES, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, res->status);
  co_db_bind_text (stmt, 5, res->content_type);
  if (data != NULL)
    sqlite3_bind_blob (stmt, 6, data, size, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 6);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);

  return co_db_step_done (self, stmt);
}

/* The write: handler and idempotency record in one transaction; a refused
 * or failed write changes nothing but is remembered (4xx) for replay. */
static void
run_write (CoRequest  *req,
           CoResponse *res,
           const char *key)
{
  CoServer *self = req->server;
  guint8 print[crypto_generichash_BYTES];
  g_autoptr(GError) error = NULL;

  fingerprint (req, print);

  if (!co_db_exec (self->db, "BEGIN IMMEDIATE", &error))
    {
      g_warning ("database: %s", error->message);
      co_response_error (res, 500, "internal", NULL, "internal error");
      return;
    }

  switch (idempotency_lookup (req, key, print, res))
    {
    case IDEM_REPLAY:
      co_db_exec (self->db, "ROLLBACK", NULL);
      co_response_set_header (res, "Idempotent-Replay", "true");
      return;

    case IDEM_MISMATCH:
      co_db_exec (self->db, "ROLLBACK", NULL);
      co_response_error (res, 422, "idempotency_mismatch", "Idempotency-Key",
                         "this Idempotency-Key was used for a different request");
      return;

    case IDEM_ERROR:
      co_db_exec (self->db, "ROLLBACK", NULL);
      co_response_error (res, 500, "internal", NULL, "internal error");
      return;

    case IDEM_NEW:
    default:
      break;
    }

  req->route->handler (req, res);

  if (res->status >= 400)
    {
      co_db_exec (self->db, "ROLLBACK", NULL);
      if (res->status >= 500)
        return;
      if (!co_db_exec (self->db, "BEGIN IMMEDIATE", &error))
        {
          g_warning ("database: %s", error->message);
          return;
        }
    }

  if (!idempotency_store (req, key, print, res) || !co_db_exec (self->db, "COMMIT", &error))
    {
      if (error != NULL)
        g_warning ("database: %s", error->message);
      co_db_exec (self->db, "ROLLBACK", NULL);
      co_response_clear (res);
      co_response_error (res, 500, "internal", NULL, "internal error");
    }
}

/* Dispatch */

static gboolean
parse_json_body (CoRequest  *req,
                 CoResponse *res)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data = req->body ? g_bytes_get_data (req->body, &size) : NULL;
  JsonNode *root;

  /* POSTs without a body (loss, payment, ...) may send none at all. */
  if (data == NULL || size == 0)
    return TRUE;

  if (!g_utf8_validate (data, size, NULL))
    {
      co_response_error (res, 400, "bad_request", NULL, "the body is not UTF-8");
      return FALSE;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, size, &error))
    {
      co_response_error (res, 400, "bad_request", NULL, "malformed JSON: %s", error->message);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      co_response_error (res, 400, "bad_request", NULL, "the body must be a JSON object");
      return FALSE;
    }

  req->json = json_object_ref (json_node_get_object (root));
  return TRUE;
}

static void
dispatch (CoServer          *self,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          CoResponse        *res,
          const CoRoute    **route_out)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GString) allow = NULL;
  g_auto(GStrv) params = NULL;
  g_autoptr(CoStaff) staff = NULL;
  SoupMessageBody *body;
  const CoRoute *route;
  const char *key = NULL;
  gsize max;
  CoRequest req = { 0 };

  route = find_route (self, method, path, &params, &allow);
  *route_out = route;

  if (route == NULL)
    {
      if (allow != NULL)
        {
          co_response_set_header (res, "Allow", allow->str);
          co_response_error (res, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", NULL,
                             "method not allowed here");
        }
      else
        co_response_error (res, SOUP_STATUS_NOT_FOUND, "not_found", NULL, "no such resource");
      return;
    }

  body = soup_server_message_get_request_body (msg);
  max = co_server_body_limit (path);
  if (body->length > (goffset) max)
    {
      co_response_error (res, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large", NULL,
                         "the body is larger than %" G_GSIZE_FORMAT " bytes", max);
      return;
    }

  req.server = self;
  req.msg = msg;
  req.route = route;
  req.params = params;
  req.query = query;
  req.remote = soup_server_message_get_remote_host (msg);
  req.body = soup_message_body_flatten (body);

  if (route->flags & CO_ROUTE_AUTH)
    {
      staff = co_auth_check_token (self, soup_message_headers_get_one (headers, "Authorization"));
      if (staff == NULL)
        {
          co_response_set_header (res, "WWW-Authenticate", "Bearer realm=\"card-office\"");
          co_response_error (res, SOUP_STATUS_UNAUTHORIZED, "unauthorized", NULL,
                             "a valid bearer token is required");
          goto out;
        }
      req.staff = staff;
    }

  if (route->flags & CO_ROUTE_WRITE)
    {
      key = soup_message_headers_get_one (headers, "Idempotency-Key");
      if (key == NULL || !key_is_valid (key))
        {
          co_response_error (
            res, 422, "invalid_field", "Idempotency-Key",
            "an Idempotency-Key header of 1 to 128 printable characters is required");
          goto out;
        }
    }

  /* A malformed body never reaches the application: not remembered. */
  if (!(route->flags & CO_ROUTE_RAW_BODY) && strcmp (method, "GET") != 0 &&
      !parse_json_body (&req, res))
    goto out;

  if (key != NULL)
    run_write (&req, res, key);
  else
    route->handler (&req, res);

out:
  g_clear_pointer (&req.json, json_object_unref);
  g_clear_pointer (&req.body, g_bytes_unref);
}

/* Writes @res into @msg and logs the request. */
static void
send_response (CoServer          *self,
               SoupServerMessage *msg,
               const CoRoute     *route,
               CoResponse        *res,
               gint64             start)
{
  SoupMessageHeaders *out;

  if (res->status == 0)
    co_response_error (res, 500, "internal", NULL, "no answer");

  out = soup_server_message_get_response_headers (msg);
  if (res->headers != NULL)
    {
      GHashTableIter iter;
      gpointer name, value;

      g_hash_table_iter_init (&iter, res->headers);
      while (g_hash_table_iter_next (&iter, &name, &value))
        soup_message_headers_replace (out, name, value);
    }
  /* Answers about minors are not for shared caches. */
  if (soup_message_headers_get_one (out, "Cache-Control") == NULL)
    soup_message_headers_replace (out, "Cache-Control", "no-store");

  soup_server_message_set_status (msg, res->status, NULL);
  if (res->body != NULL && res->status != SOUP_STATUS_NO_CONTENT &&
      res->status != SOUP_STATUS_NOT_MODIFIED)
    {
      gsize size;
      gconstpointer data = g_bytes_get_data (res->body, &size);

      soup_server_message_set_response (msg, res->content_type, SOUP_MEMORY_COPY, data, size);
    }

  if (!self->quiet)
    g_message ("%s %s %u %.1f ms", soup_server_message_get_method (msg),
               route ? route->pattern : "-", res->status,
               (g_get_monotonic_time () - start) / 1000.0);
}

/* Deferred answers */

struct _CoDeferred
{
  CoServer          *server;
  SoupServerMessage *msg;
  const CoRoute     *route;
  gint64             start;
  gulong             disconnected_id;
  gboolean           gone;     /* the client went away meanwhile */
};

static void
on_deferred_disconnected_cb (SoupServerMessage *msg,
                             gpointer           user_data)
{
  CoDeferred *deferred = user_data;

  deferred->gone = TRUE;
}

CoDeferred *
co_request_defer (CoRequest  *req,
                  CoResponse *res)
{
  CoDeferred *deferred = g_new0 (CoDeferred, 1);

  deferred->server = req->server;
  deferred->msg = g_object_ref (req->msg);
  deferred->route = req->route;
  deferred->start = g_get_monotonic_time ();
  deferred->disconnected_id = g_signal_connect (req->msg, "disconnected",
                                                G_CALLBACK (on_deferred_disconnected_cb),
                                                deferred);
  soup_server_message_pause (req->msg);
  res->deferred = TRUE;

  return deferred;
}

void
co_deferred_free (CoDeferred *deferred)
{
  if (deferred == NULL)
    return;

  g_signal_handler_disconnect (deferred->msg, deferred->disconnected_id);
  g_object_unref (deferred->msg);
  g_free (deferred);
}

/* Sends @res (then clears it) and frees @deferred. */
void
co_deferred_finish (CoDeferred *deferred,
                    CoResponse *res)
{
  if (!deferred->gone)
    {
      send_response (deferred->server, deferred->msg, deferred->route, res, deferred->start);
      soup_server_message_unpause (deferred->msg);
    }

  co_response_clear (res);
  co_deferred_free (deferred);
}

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  CoServer *self = user_data;
  CoResponse res = { 0 };
  const CoRoute *route = NULL;
  gint64 start = g_get_monotonic_time ();

  /* The early handler may already have refused an oversized body. */
  if (soup_server_message_get_status (msg) != 0)
    return;

  dispatch (self, msg, path, query, &res, &route);

  if (!res.deferred)
    send_response (self, msg, route, &res, start);

  co_response_clear (&res);
}

/* Refuses an announced oversized body before reading it. */
static void
on_early_request_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  CoServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);
  CoResponse res = { 0 };

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH ||
      length <= (goffset) co_server_body_limit (path))
    return;

  co_response_error (&res, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large", NULL,
                     "the body is too large");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
  soup_server_message_set_status (msg, res.status, NULL);
  soup_server_message_set_response (msg, res.content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (res.body, NULL), g_bytes_get_size (res.body));
  if (!self->quiet)
    g_message ("%s - %u (early)", soup_server_message_get_method (msg), res.status);
  co_response_clear (&res);
}

/* Life */

static void
throttle_free (gpointer data)
{
  g_free (data);
}

CoServer *
co_server_new (void)
{
  CoServer *self = g_new0 (CoServer, 1);

  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
  self->throttle = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, throttle_free);
  self->tz = g_time_zone_new_offset (8 * 60 * 60);
  self->token_ttl = CO_SERVER_DEFAULT_TOKEN_TTL;
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->logins_waiting);

  return self;
}

void
co_server_free (CoServer *self)
{
  if (self == NULL)
    return;

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  /* Then the sign-ins still being verified: they hold messages. */
  co_auth_shutdown (self);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_clear_object (&self->calendar);
  g_clear_pointer (&self->throttle, g_hash_table_unref);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_object (&self->cancellable);
  g_free (self);
}

gboolean
co_server_listen (CoServer         *self,
                  const char       *host,
                  guint             port,
                  GTlsCertificate  *certificate,
                  char            **base_url,
                  GError          **error)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autofree char *host_text = NULL;
  GSList *uris;
  guint bound = 0;

  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "not an IP address: %s", host);
      return FALSE;
    }

  self->soup = soup_server_new ("server-header", "card-office-server/" PACKAGE_VERSION " ",
                                "tls-certificate", certificate,
                                NULL);
  soup_server_add_early_handler (self->soup, NULL, on_early_request_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, on_request_cb, self, NULL);

  /* Our own socket, for its backlog: GSocket's default of 10 resets
   * connections when a school's desks all sign in at once while the loop
   * hashes passwords (build-aux/run-load: 16 of 50 clients reset). */
  address = g_inet_socket_address_new (inet, port);
  listener = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                           G_SOCKET_PROTOCOL_TCP, error);
  if (listener == NULL)
    return FALSE;
  g_socket_set_listen_backlog (listener, CO_SERVER_LISTEN_BACKLOG);
  if (!g_socket_bind (listener, address, TRUE, error) || !g_socket_listen (listener, error) ||
      !soup_server_listen_socket (self->soup, listener,
                                  certificate ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    bound = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  host_text = g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6
    ? g_strdup_printf ("[%s]", host) : g_strdup (host);
  *base_url = g_strdup_printf ("%s://%s:%u", certificate ? "https" : "http", host_text, bound);

  return TRUE;
}
