/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * One request goes: build (method, path, body, Idempotency-Key) -> attempt
 * (SoupMessage, a timeout, a cancellable linked to the caller's) -> read the
 * body in chunks up to the size cap -> map the status -> retry later, park
 * for a new sign-in, fail, or decode (on a worker thread when big) and
 * return. Every step runs in the client's main context.
 */
#define G_LOG_DOMAIN "co-client"

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "co-client.h"
#include "co-client-private.h"
#include "co-enum-types.h"

#define API_PREFIX          "/api/v1"
#define READ_CHUNK          (64 * 1024)
#define THREAD_DECODE_MIN   (32 * 1024)
#define DEFAULT_BASE_DELAY  250
#define DEFAULT_MAX_DELAY   8000

typedef gpointer (*DecodeFunc) (JsonNode  *root,
                                GError   **error);
typedef void     (*SuccessFunc) (CoClient *self,
                                 gpointer  result);

typedef struct
{
  GBytes *jpeg;
  char   *etag;
} PhotoResult;

typedef struct
{
  GListModel *model;
  char       *next_cursor;
} ListResult;

typedef struct
{
  /* what to send */
  const char         *method;
  char               *route;            /* "POST /students/{edu_id}/loss": for logs */
  char               *url;
  GBytes             *body;
  const char         *content_type;
  char               *idempotency_key;
  char               *if_none_match;
  char               *fixed_token;      /* sent instead of the client's (logout) */
  DecodeFunc          decode;           /* NULL: no body expected, returns a boolean */
  GDestroyNotify      result_free;
  SuccessFunc         on_success;       /* main thread, before returning */
  guint               auth : 1;         /* sends the bearer token */
  guint               reauth : 1;       /* a 401 means "token expired" */
  guint               retry : 1;        /* may be sent again once it reached the server */
  guint               throttle_retry : 1; /* a 429 may be waited out */
  guint               raw : 1;          /* a photo: bytes + ETag, 304 is success */

  /* the current attempt */
  guint               attempt;
  gint64              started;
  SoupMessage        *msg;
  char               *token_used;
  GCancellable       *attempt_cancellable;
  gulong              cancelled_id;
  GSource            *timeout_source;
  gboolean            timed_out;
  GInputStream       *stream;
  GByteArray         *buf;

  /* waiting: a backoff delay, or parked until a new sign-in */
  GSource            *wait_source;
  GSource            *wait_cancel_source;

  /* the answer */
  guint               status;
  SoupMessageHeaders *response_headers;
  GBytes             *response;
} Request;

struct _CoClient
{
  GObject       parent_instance;

  SoupSession  *session;
  char         *base_url;
  GTlsDatabase *extra_ca;

  guint         timeout_ms;
  guint         max_attempts;
  guint         base_delay_ms;
  guint         max_delay_ms;
  gsize         max_body_size;

  char         *token;
  char         *username;
  char         *school_name;
  char         *token_expires_at;
  guint         token_generation;
  guint         abandon_generation;
  gboolean      reauth_pending;
  GQueue        parked;               /* of GTask, waiting for a new token */
};

G_DEFINE_FINAL_TYPE (CoClient, co_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_SIGNED_IN,
  PROP_USERNAME,
  PROP_SCHOOL_NAME,
  N_PROPS
};

enum {
  TOKEN_EXPIRED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void start_attempt (GTask *task);

/* Helpers */

static void
request_free (Request *req)
{
  g_assert (req->msg == NULL);
  g_assert (req->timeout_source == NULL);
  g_assert (req->wait_source == NULL);

  g_free (req->route);
  g_free (req->url);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->idempotency_key);
  g_free (req->if_none_match);
  g_free (req->fixed_token);
  g_free (req->token_used);
  g_clear_object (&req->attempt_cancellable);
  g_clear_object (&req->stream);
  g_clear_pointer (&req->buf, g_byte_array_unref);
  g_clear_pointer (&req->response_headers, soup_message_headers_unref);
  g_clear_pointer (&req->response, g_bytes_unref);
  g_free (req);
}

static void
photo_result_free (PhotoResult *result)
{
  g_clear_pointer (&result->jpeg, g_bytes_unref);
  g_free (result->etag);
  g_free (result);
}

static void
list_result_free (ListResult *result)
{
  g_clear_object (&result->model);
  g_free (result->next_cursor);
  g_free (result);
}

static Request *
request_new (const char *method,
             const char *route)
{
  Request *req = g_new0 (Request, 1);

  req->method = method;
  req->route = g_strdup_printf ("%s %s", method, route);
  req->auth = TRUE;
  req->reauth = TRUE;
  req->retry = g_str_equal (method, SOUP_METHOD_GET);
  req->throttle_retry = TRUE;
  req->result_free = g_object_unref;

  return req;
}

/* Writes carry an Idempotency-Key, which makes them safe to send again. */
static void
request_set_write (Request    *req,
                   const char *idempotency_key)
{
  req->idempotency_key = idempotency_key != NULL ? g_strdup (idempotency_key)
                                                 : g_uuid_string_random ();
  req->retry = TRUE;
}

static GBytes *
builder_to_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize length;
  char *data;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);

  return g_bytes_new_take (data, length);
}

static void
request_set_json (Request     *req,
                  JsonBuilder *builder)
{
  g_clear_pointer (&req->body, g_bytes_unref);
  req->body = builder_to_bytes (builder);
  req->content_type = "application/json";
}

static char *
escape (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

static void
append_query (GString    *url,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL)
    return;

  escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_c (url, strchr (url->str, '?') ? '&' : '?');
  g_string_append (url, name);
  g_string_append_c (url, '=');
  g_string_append (url, escaped);
}

static void
append_query_uint (GString    *url,
                   const char *name,
                   guint       value)
{
  char buf[16];

  if (value == 0)
    return;

  g_snprintf (buf, sizeof buf, "%u", value);
  append_query (url, name, buf);
}

static GString *
url_begin (CoClient   *self,
           const char *path)
{
  GString *url = g_string_new (self->base_url);

  g_string_append (url, API_PREFIX);
  g_string_append (url, path);

  return url;
}

static GError *
new_error (CoClientError  code,
           const char    *format,
           ...) G_GNUC_PRINTF (2, 3);

static GError *
new_error (CoClientError  code,
           const char    *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  return _co_client_error_new_full (code, 0, NULL, NULL, CO_REASON_NONE, 0, "%s", message);
}

static gboolean
is_digits (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;

  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;

  return TRUE;
}

/* A refused argument fails the task at once, as the server would (422). */
static gboolean
check_arg (GTask      *task,
           gboolean    ok,
           const char *field)
{
  if (ok)
    return TRUE;

  g_task_return_error (task, _co_client_error_new_full (CO_CLIENT_ERROR_INVALID_REQUEST, 0, NULL,
                                                        field, CO_REASON_NONE, 0,
                                                        "invalid argument %s", field));
  return FALSE;
}

static gboolean
edu_id_ok (const char *edu_id)
{
  return edu_id != NULL && co_rules_check_edu_id (edu_id) == CO_REASON_NONE;
}

/* Retry-After: delta seconds or an HTTP date. */
static guint
parse_retry_after (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan span;

  if (value == NULL)
    return 0;

  if (is_digits (value))
    {
      guint64 v = g_ascii_strtoull (value, NULL, 10);
      return (guint) MIN (v, G_MAXUINT);
    }

  if (!(when = soup_date_time_new_from_http_string (value)))
    return 0;

  now = g_date_time_new_now_utc ();
  span = g_date_time_difference (when, now);

  return span > 0 ? (guint) MIN ((span + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND, G_MAXUINT) : 0;
}

static guint
backoff_ms (CoClient *self,
            guint     attempt)
{
  guint64 delay = self->base_delay_ms;

  for (guint i = 1; i < attempt && delay < self->max_delay_ms; i++)
    delay *= 2;

  delay = MIN (delay, self->max_delay_ms);

  /* Full delay at most, half at least: clients that failed together do not
   * come back together. */
  if (delay >= 2)
    delay = delay / 2 + g_random_int_range (0, (gint32) (delay / 2) + 1);

  return (guint) delay;
}

/* Errors */

static GError *
error_from_answer (Request *req)
{
  g_autoptr(JsonNode) root = NULL;
  const char *code = NULL, *message = NULL, *field = NULL;
  CoClientError kind;
  CoReason reason = CO_REASON_NONE;
  guint retry_after = 0;
  gsize length = 0;
  const char *data = NULL;

  if (req->response != NULL)
    data = g_bytes_get_data (req->response, &length);

  if (length > 0 && (root = co_json_parse (data, length, NULL)))
    co_json_read_error_body (root, &code, &message, &field);

  switch (req->status)
    {
    case SOUP_STATUS_BAD_REQUEST:
    case SOUP_STATUS_METHOD_NOT_ALLOWED:
    case SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE:
      kind = CO_CLIENT_ERROR_INVALID_REQUEST;
      break;

    case SOUP_STATUS_UNAUTHORIZED:
      kind = CO_CLIENT_ERROR_UNAUTHORIZED;
      break;

    case SOUP_STATUS_FORBIDDEN:
      kind = CO_CLIENT_ERROR_FORBIDDEN;
      break;

    case SOUP_STATUS_NOT_FOUND:
      kind = CO_CLIENT_ERROR_NOT_FOUND;
      break;

    case SOUP_STATUS_CONFLICT:
      kind = CO_CLIENT_ERROR_CONFLICT;
      {
        int v;

        if (code != NULL && co_enum_from_wire (CO_TYPE_REASON, code, &v))
          reason = v;
      }
      break;

    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      kind = CO_CLIENT_ERROR_TOO_LARGE;
      break;

    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
      if (g_strcmp0 (code, "idempotency_mismatch") == 0)
        kind = CO_CLIENT_ERROR_INVALID_REQUEST;
      else
        kind = CO_CLIENT_ERROR_VALIDATION;
      break;

    case 429:
      kind = CO_CLIENT_ERROR_THROTTLED;
      retry_after = parse_retry_after (req->response_headers);
      break;

    default:
      if (req->status >= 500 && req->status <= 599)
        kind = CO_CLIENT_ERROR_SERVER;
      else if (req->status >= 400 && req->status <= 499)
        kind = CO_CLIENT_ERROR_INVALID_REQUEST;
      else
        kind = CO_CLIENT_ERROR_PROTOCOL;
      break;
    }

  /* The server's own message may quote what was sent: logs get the code
   * and field only. */
  return _co_client_error_new_full (kind, req->status, code, field, reason, retry_after,
                                    "%s: HTTP %u%s%s%s%s", req->route, req->status,
                                    code ? " " : "", code ? code : "",
                                    field ? " field " : "", field ? field : "");
}

static gboolean
error_is_not_sent (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
         error->domain == G_RESOLVER_ERROR;
}

static GError *
error_from_transport (Request      *req,
                      const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return new_error (CO_CLIENT_ERROR_TIMEOUT, "%s: timed out", req->route);

  if (error->domain == G_TLS_ERROR)
    return new_error (CO_CLIENT_ERROR_TLS, "%s: TLS: %s", req->route, error->message);

  if (error->domain == SOUP_SESSION_ERROR)
    {
      switch (error->code)
        {
        case SOUP_SESSION_ERROR_PARSING:
        case SOUP_SESSION_ERROR_ENCODING:
        case SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS:
        case SOUP_SESSION_ERROR_TOO_MANY_RESTARTS:
        case SOUP_SESSION_ERROR_REDIRECT_NO_LOCATION:
        case SOUP_SESSION_ERROR_REDIRECT_BAD_URI:
          return new_error (CO_CLIENT_ERROR_PROTOCOL, "%s: %s", req->route, error->message);
        default:
          break;
        }
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    return new_error (CO_CLIENT_ERROR_NETWORK, "%s: answer truncated: %s", req->route,
                      error->message);

  return new_error (CO_CLIENT_ERROR_NETWORK, "%s: %s", req->route, error->message);
}

/* Waiting */

static void
clear_wait (Request *req)
{
  if (req->wait_source != NULL)
    {
      g_source_destroy (req->wait_source);
      g_clear_pointer (&req->wait_source, g_source_unref);
    }

  if (req->wait_cancel_source != NULL)
    {
      g_source_destroy (req->wait_cancel_source);
      g_clear_pointer (&req->wait_cancel_source, g_source_unref);
    }
}

static gboolean
on_wait_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);
  Request *req = g_task_get_task_data (task);
  CoClient *self = g_task_get_source_object (task);

  /* A parked request leaves the queue (and its reference with it). */
  if (g_queue_remove (&self->parked, task))
    g_object_unref (task);

  clear_wait (req);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s: cancelled", req->route);

  return G_SOURCE_REMOVE;
}

static void
watch_cancellable (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (cancellable == NULL)
    return;

  req->wait_cancel_source = g_cancellable_source_new (cancellable);
  g_source_set_callback (req->wait_cancel_source, G_SOURCE_FUNC (on_wait_cancelled_cb),
                         g_object_ref (task), g_object_unref);
  g_source_attach (req->wait_cancel_source, g_task_get_context (task));
}

static gboolean
on_backoff_done_cb (gpointer user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);
  Request *req = g_task_get_task_data (task);

  clear_wait (req);
  start_attempt (task);

  return G_SOURCE_REMOVE;
}

static void
retry_later (GTask *task,
             guint  delay_ms)
{
  Request *req = g_task_get_task_data (task);

  g_debug ("%s: retrying in %u ms", req->route, delay_ms);

  req->wait_source = g_timeout_source_new (delay_ms);
  g_source_set_callback (req->wait_source, on_backoff_done_cb, g_object_ref (task), g_object_unref);
  g_source_attach (req->wait_source, g_task_get_context (task));
  watch_cancellable (task);
}

static void
park (GTask *task)
{
  CoClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);

  g_debug ("%s: waiting for a new sign-in", req->route);

  g_queue_push_tail (&self->parked, g_object_ref (task));
  watch_cancellable (task);
}

/* Decoding */

static void
deliver (GTask    *task,
         gpointer  result)
{
  CoClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);

  if (req->on_success != NULL)
    req->on_success (self, result);

  if (req->decode == NULL && !req->raw)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_pointer (task, result, req->result_free);
}

/* "W/\"abc\"" and "\"abc\"" -> "abc", as Student.photo_etag has it. */
static char *
etag_unquote (const char *etag)
{
  gsize len;

  if (etag == NULL)
    return NULL;

  if (g_str_has_prefix (etag, "W/"))
    etag += 2;

  len = strlen (etag);
  if (len >= 2 && etag[0] == '"' && etag[len - 1] == '"')
    return g_strndup (etag + 1, len - 2);

  return g_strdup (etag);
}

static char *
etag_quote (const char *etag)
{
  if (etag == NULL)
    return NULL;

  if (etag[0] == '"' || g_str_has_prefix (etag, "W/"))
    return g_strdup (etag);

  return g_strdup_printf ("\"%s\"", etag);
}

static gpointer
decode_answer (Request  *req,
               GError  **error)
{
  g_autoptr(JsonNode) root = NULL;
  const char *data;
  gsize length;
  gpointer result;

  data = g_bytes_get_data (req->response, &length);

  if (!(root = co_json_parse (data, length, error)) ||
      !(result = req->decode (root, error)))
    {
      g_prefix_error (error, "%s: ", req->route);
      return NULL;
    }

  return result;
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GTask *outer = task_data;
  Request *req = g_task_get_task_data (outer);
  GError *error = NULL;
  gpointer result;

  if ((result = decode_answer (req, &error)))
    g_task_return_pointer (task, result, req->result_free);
  else
    g_task_return_error (task, error);
}

static void
decoded_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  GError *error = NULL;
  gpointer value;

  if ((value = g_task_propagate_pointer (G_TASK (result), &error)))
    deliver (outer, value);
  else
    g_task_return_error (outer, error);
}

static void
succeed (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer result;

  if (req->raw)
    {
      PhotoResult *photo = g_new0 (PhotoResult, 1);

      if (req->status != SOUP_STATUS_NOT_MODIFIED)
        photo->jpeg = g_bytes_ref (req->response);
      photo->etag = etag_unquote (soup_message_headers_get_one (req->response_headers, "ETag"));
      deliver (task, photo);
      return;
    }

  if (req->decode == NULL)
    {
      deliver (task, NULL);
      return;
    }

  if (g_bytes_get_size (req->response) >= THREAD_DECODE_MIN)
    {
      g_autoptr(GTask) inner = g_task_new (NULL, NULL, decoded_cb, g_object_ref (task));

      g_task_set_source_tag (inner, decode_thread);
      g_task_set_task_data (inner, task, NULL);
      g_task_run_in_thread (inner, decode_thread);
      return;
    }

  if ((result = decode_answer (req, &error)))
    deliver (task, result);
  else
    g_task_return_error (task, error);
}

/* Attempts */

static void
end_attempt (GTask *task)
{
  Request *req = g_task_get_task_data (task);

  if (req->timeout_source != NULL)
    {
      g_source_destroy (req->timeout_source);
      g_clear_pointer (&req->timeout_source, g_source_unref);
    }

  if (req->cancelled_id != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), req->cancelled_id);
      req->cancelled_id = 0;
    }

  g_clear_object (&req->stream);
  g_clear_object (&req->msg);
}

static gboolean
on_attempt_timeout_cb (gpointer user_data)
{
  Request *req = user_data;

  req->timed_out = TRUE;
  g_cancellable_cancel (req->attempt_cancellable);
  g_clear_pointer (&req->timeout_source, g_source_unref);

  return G_SOURCE_REMOVE;
}

static gboolean
user_cancelled (GTask *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

static void
log_attempt (Request *req)
{
  g_debug ("%s: HTTP %u, %" G_GSIZE_FORMAT " bytes, %" G_GINT64_FORMAT " ms, attempt %u",
           req->route, req->status, req->response ? g_bytes_get_size (req->response) : 0,
           (g_get_monotonic_time () - req->started) / 1000, req->attempt);
}

static void
fail_or_retry (GTask  *task,
               GError *error,
               guint   delay_ms)
{
  CoClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);

  if (delay_ms > 0 && req->attempt < self->max_attempts && !user_cancelled (task))
    {
      g_debug ("%s: %s", req->route, error->message);
      g_error_free (error);
      retry_later (task, delay_ms);
      return;
    }

  g_task_return_error (task, error);
}

static void
on_transport_error (GTask  *task,
                    GError *transport_error)
{
  CoClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) owned = transport_error;
  GError *error;
  gboolean again;

  if (g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !req->timed_out)
    {
      g_task_return_error (task, g_steal_pointer (&owned));
      return;
    }

  error = error_from_transport (req, transport_error);
  if (req->timed_out)
    {
      g_clear_error (&error);
      error = new_error (CO_CLIENT_ERROR_TIMEOUT, "%s: no answer within %u ms",
                         req->route, self->timeout_ms);
    }

  g_debug ("%s: attempt %u failed: %s", req->route, req->attempt, error->message);

  again = error->code != CO_CLIENT_ERROR_TLS &&
          error->code != CO_CLIENT_ERROR_PROTOCOL &&
          (req->retry || error_is_not_sent (transport_error));

  fail_or_retry (task, error, again ? backoff_ms (self, req->attempt) : 0);
}

static void
on_answer (GTask *task)
{
  CoClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  GError *error;
  guint delay = 0;

  log_attempt (req);

  if (SOUP_STATUS_IS_SUCCESSFUL (req->status) ||
      (req->raw && req->status == SOUP_STATUS_NOT_MODIFIED))
    {
      succeed (task);
      return;
    }

  if (req->status == SOUP_STATUS_UNAUTHORIZED && req->reauth)
    {
      if (self->token != NULL && g_strcmp0 (req->token_used, self->token) != 0)
        {
          /* Signed in again while this one was on its way. */
          start_attempt (task);
          return;
        }

      if (self->reauth_pending)
        {
          park (task);
          return;
        }

      {
        guint token_generation = self->token_generation;
        guint abandon_generation = self->abandon_generation;
        gboolean handled = FALSE;

        g_signal_emit (self, signals [TOKEN_EXPIRED], 0, &handled);

        if (handled && self->abandon_generation == abandon_generation)
          {
            if (self->token_generation != token_generation && self->token != NULL)
              start_attempt (task);
            else
              {
                self->reauth_pending = TRUE;
                park (task);
              }
            return;
          }
      }
    }

  error = error_from_answer (req);

  switch (error->code)
    {
    case CO_CLIENT_ERROR_THROTTLED:
      {
        guint wait_ms = co_client_error_get_retry_after (error) * 1000;

        if (req->throttle_retry && wait_ms <= self->max_delay_ms)
          delay = MAX (wait_ms, backoff_ms (self, req->attempt));
      }
      break;

    case CO_CLIENT_ERROR_SERVER:
      if (req->retry &&
          (req->status == 500 || req->status == 502 || req->status == 503 || req->status == 504))
        delay = backoff_ms (self, req->attempt);
      break;

    default:
      break;
    }

  fail_or_retry (task, error, delay);
}

static void
read_more (GTask *task);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CoClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n;
  guint len;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  len = req->buf->len - READ_CHUNK;

  if (n < 0)
    {
      end_attempt (task);
      on_transport_error (task, error);
      return;
    }

  g_byte_array_set_size (req->buf, len + n);

  if (n == 0)
    {
      req->status = soup_message_get_status (req->msg);
      g_clear_pointer (&req->response_headers, soup_message_headers_unref);
      req->response_headers = soup_message_headers_ref (soup_message_get_response_headers (req->msg));
      g_clear_pointer (&req->response, g_bytes_unref);
      req->response = g_byte_array_free_to_bytes (g_steal_pointer (&req->buf));
      end_attempt (task);
      on_answer (task);
      return;
    }

  if (req->buf->len > self->max_body_size)
    {
      end_attempt (task);
      g_task_return_error (task, new_error (CO_CLIENT_ERROR_PROTOCOL,
                                            "%s: answer larger than %" G_GSIZE_FORMAT " bytes",
                                            req->route, self->max_body_size));
      return;
    }

  read_more (g_steal_pointer (&task));
}

static void
read_more (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  guint len = req->buf->len;

  g_byte_array_set_size (req->buf, len + READ_CHUNK);
  g_input_stream_read_async (req->stream, req->buf->data + len, READ_CHUNK,
                             G_PRIORITY_DEFAULT, req->attempt_cancellable,
                             read_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CoClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GError *error = NULL;
  GInputStream *stream;

  if (!(stream = soup_session_send_finish (SOUP_SESSION (object), result, &error)))
    {
      end_attempt (task);
      on_transport_error (task, error);
      return;
    }

  req->stream = stream;
  headers = soup_message_get_response_headers (req->msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) self->max_body_size)
    {
      end_attempt (task);
      g_task_return_error (task, new_error (CO_CLIENT_ERROR_PROTOCOL,
                                            "%s: answer larger than %" G_GSIZE_FORMAT " bytes",
                                            req->route, self->max_body_size));
      return;
    }

  g_clear_pointer (&req->buf, g_byte_array_unref);
  req->buf = g_byte_array_new ();
  read_more (g_steal_pointer (&task));
}

static gboolean
on_accept_certificate_cb (SoupMessage          *msg,
                          GTlsCertificate      *certificate,
                          GTlsCertificateFlags  errors,
                          gpointer              user_data)
{
  CoClient *self = user_data;
  g_autoptr(GSocketConnectable) identity = NULL;
  GUri *uri = soup_message_get_uri (msg);
  GTlsCertificateFlags flags;

  if (self->extra_ca == NULL)
    return FALSE;

  identity = g_network_address_new (g_uri_get_host (uri), g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443);
  flags = g_tls_database_verify_chain (self->extra_ca, certificate,
                                       G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                       identity, NULL, G_TLS_DATABASE_VERIFY_NONE,
                                       NULL, NULL);

  return flags == 0;
}

static void
on_user_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
start_attempt (GTask *task)
{
  CoClient *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) local_error = NULL;
  SoupMessageHeaders *headers;

  g_assert (req->msg == NULL);

  req->attempt++;
  req->started = g_get_monotonic_time ();
  req->timed_out = FALSE;
  req->status = 0;

  if (!co_client_check_base_url (self->base_url, &local_error))
    {
      g_task_return_error (task, g_steal_pointer (&local_error));
      return;
    }

  if (!(req->msg = soup_message_new (req->method, req->url)))
    {
      g_task_return_error (task, new_error (CO_CLIENT_ERROR_INVALID_REQUEST,
                                            "%s: invalid URL", req->route));
      return;
    }

  headers = soup_message_get_request_headers (req->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");

  g_free (req->token_used);
  req->token_used = g_strdup (req->fixed_token ? req->fixed_token : self->token);
  if (req->auth && req->token_used != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", req->token_used, NULL);
      soup_message_headers_replace (headers, "Authorization", bearer);
    }

  if (req->idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", req->idempotency_key);
  if (req->if_none_match != NULL)
    soup_message_headers_replace (headers, "If-None-Match", req->if_none_match);
  if (req->body != NULL)
    soup_message_set_request_body_from_bytes (req->msg, req->content_type, req->body);

  if (self->extra_ca != NULL)
    g_signal_connect_object (req->msg, "accept-certificate",
                             G_CALLBACK (on_accept_certificate_cb), self, 0);

  g_clear_object (&req->attempt_cancellable);
  req->attempt_cancellable = g_cancellable_new ();

  if (cancellable != NULL)
    req->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_user_cancelled_cb),
                                               g_object_ref (req->attempt_cancellable),
                                               g_object_unref);

  req->timeout_source = g_timeout_source_new (self->timeout_ms);
  g_source_set_callback (req->timeout_source, on_attempt_timeout_cb, req, NULL);
  g_source_attach (req->timeout_source, g_task_get_context (task));

  soup_session_send_async (self->session, req->msg, G_PRIORITY_DEFAULT,
                           req->attempt_cancellable, send_cb, g_object_ref (task));
}

/* Takes @req; the task keeps it. */
static void
send_request (CoClient *self,
              GTask    *task,
              Request  *req)
{
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);
  start_attempt (task);
}

static gpointer
finish_pointer (CoClient      *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (CO_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
finish_boolean (CoClient      *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (CO_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Decoders with the DecodeFunc signature */

static gpointer
decode_student (JsonNode  *root,
                GError   **error)
{
  return co_json_decode_student (root, NULL, error);
}

static gpointer
decode_reissue (JsonNode  *root,
                GError   **error)
{
  return co_json_decode_reissue (root, NULL, error);
}

static gpointer
decode_school (JsonNode  *root,
               GError   **error)
{
  return co_json_decode_school (root, NULL, error);
}

static gpointer
decode_payment (JsonNode  *root,
                GError   **error)
{
  return co_json_decode_payment (root, NULL, error);
}

static gpointer
decode_card_lookup (JsonNode  *root,
                    GError   **error)
{
  return co_json_decode_card_lookup (root, NULL, error);
}

static gpointer
decode_login (JsonNode  *root,
              GError   **error)
{
  return co_json_decode_login (root, NULL, error);
}

static gpointer
decode_roster (JsonNode  *root,
               GError   **error)
{
  return co_json_decode_roster_page (json_node_ref (root), error);
}

static gpointer
decode_ignore (JsonNode  *root,
               GError   **error)
{
  return GINT_TO_POINTER (1);
}

static gpointer
decode_list (JsonNode    *root,
             const char  *member,
             GType        item_type,
             gpointer   (*decode) (JsonNode *, const char *, GError **),
             GError     **error)
{
  ListResult *result;
  GListModel *model;
  char *cursor = NULL;

  if (!(model = co_json_decode_list_page (root, member, item_type, decode, &cursor, error)))
    return NULL;

  result = g_new0 (ListResult, 1);
  result->model = model;
  result->next_cursor = cursor;

  return result;
}

static gpointer
decode_student_list (JsonNode  *root,
                     GError   **error)
{
  return decode_list (root, "students", CO_TYPE_STUDENT,
                      (gpointer (*) (JsonNode *, const char *, GError **)) co_json_decode_student,
                      error);
}

static gpointer
decode_reissue_list (JsonNode  *root,
                     GError   **error)
{
  return decode_list (root, "reissues", CO_TYPE_REISSUE,
                      (gpointer (*) (JsonNode *, const char *, GError **)) co_json_decode_reissue,
                      error);
}

static gpointer
decode_audit_list (JsonNode  *root,
                   GError   **error)
{
  return decode_list (root, "entries", CO_TYPE_AUDIT_ENTRY,
                      (gpointer (*) (JsonNode *, const char *, GError **)) co_json_decode_audit_entry,
                      error);
}

static GListModel *
finish_list (CoClient      *self,
             GAsyncResult  *result,
             gpointer       source_tag,
             char         **next_cursor,
             GError       **error)
{
  ListResult *list;
  GListModel *model;

  if (next_cursor != NULL)
    *next_cursor = NULL;

  if (!(list = finish_pointer (self, result, source_tag, error)))
    return NULL;

  model = g_steal_pointer (&list->model);
  if (next_cursor != NULL)
    *next_cursor = g_steal_pointer (&list->next_cursor);
  list_result_free (list);

  return model;
}

/* GObject */

static void
co_client_dispose (GObject *object)
{
  CoClient *self = (CoClient *)object;

  /* Parked tasks hold a reference on us: by now there are none. */
  g_assert (g_queue_is_empty (&self->parked));

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->extra_ca);

  G_OBJECT_CLASS (co_client_parent_class)->dispose (object);
}

static void
co_client_finalize (GObject *object)
{
  CoClient *self = (CoClient *)object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->school_name, g_free);
  g_clear_pointer (&self->token_expires_at, g_free);

  G_OBJECT_CLASS (co_client_parent_class)->finalize (object);
}

static void
co_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CoClient *self = CO_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, co_client_get_signed_in (self));
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_SCHOOL_NAME:
      g_value_set_string (value, self->school_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CoClient *self = CO_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      {
        const char *url = g_value_get_string (value);
        gsize len;

        g_free (self->base_url);
        self->base_url = g_strdup (url != NULL ? url : "");
        len = strlen (self->base_url);
        while (len > 0 && self->base_url[len - 1] == '/')
          self->base_url[--len] = '\0';
        if (g_str_has_suffix (self->base_url, API_PREFIX))
          self->base_url[len - strlen (API_PREFIX)] = '\0';
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_client_class_init (CoClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = co_client_dispose;
  object_class->finalize = co_client_finalize;
  object_class->get_property = co_client_get_property;
  object_class->set_property = co_client_set_property;

  properties [PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties [PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_SCHOOL_NAME] =
    g_param_spec_string ("school-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CoClient::token-expired:
   *
   * A request was answered 401. Return %TRUE to promise a new sign-in: the
   * request (and any other answered 401 meanwhile) waits and is sent again
   * with the new token and its Idempotency-Key. Return %FALSE to fail them
   * with %CO_CLIENT_ERROR_UNAUTHORIZED.
   */
  signals [TOKEN_EXPIRED] =
    g_signal_new ("token-expired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 0);
}

static void
co_client_init (CoClient *self)
{
  self->session = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                                 "max-conns-per-host", 4,
                                                 NULL);
  self->timeout_ms = CO_CLIENT_DEFAULT_TIMEOUT_SECONDS * 1000;
  self->max_attempts = CO_CLIENT_DEFAULT_MAX_ATTEMPTS;
  self->base_delay_ms = DEFAULT_BASE_DELAY;
  self->max_delay_ms = DEFAULT_MAX_DELAY;
  self->max_body_size = CO_CLIENT_DEFAULT_MAX_BODY_SIZE;
  g_queue_init (&self->parked);
}

/* Public API: settings and session */

CoClient *
co_client_new (const char *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (CO_TYPE_CLIENT, "base-url", base_url, NULL);
}

gboolean
co_client_check_base_url (const char  *base_url,
                          GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *host;

  g_return_val_if_fail (base_url != NULL, FALSE);

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_INVALID_REQUEST,
                   "the server address is not a URL");
      return FALSE;
    }
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0)
    return TRUE;

  /* Plain http carries the children's data and the password in clear:
   * only to this computer. */
  host = g_uri_get_host (uri);
  address = g_inet_address_new_from_string (host);
  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      (address != NULL && g_inet_address_get_is_loopback (address)))
    return TRUE;

  g_set_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_INSECURE,
               "plain http is allowed only to this computer; use https");
  return FALSE;
}

const char *
co_client_get_base_url (CoClient *self)
{
  g_return_val_if_fail (CO_IS_CLIENT (self), NULL);

  return self->base_url;
}

gboolean
co_client_set_ca_file (CoClient    *self,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CO_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (path != NULL && !(database = g_tls_file_database_new (path, &local_error)))
    {
      g_set_error (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_TLS, "CA file: %s",
                   local_error->message);
      return FALSE;
    }

  g_set_object (&self->extra_ca, database);
  return TRUE;
}

void
co_client_set_timeout_ms (CoClient *self,
                          guint     milliseconds)
{
  g_return_if_fail (CO_IS_CLIENT (self));

  self->timeout_ms = milliseconds > 0 ? milliseconds : CO_CLIENT_DEFAULT_TIMEOUT_SECONDS * 1000;
}

void
co_client_set_timeout (CoClient *self,
                       guint     seconds)
{
  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (seconds <= G_MAXUINT / 1000);

  co_client_set_timeout_ms (self, seconds * 1000);
}

void
co_client_set_retry_policy (CoClient *self,
                            guint     max_attempts,
                            guint     base_delay_ms,
                            guint     max_delay_ms)
{
  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (max_attempts >= 1);
  g_return_if_fail (base_delay_ms <= max_delay_ms);

  self->max_attempts = max_attempts;
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = max_delay_ms;
}

void
co_client_set_max_body_size (CoClient *self,
                             gsize     bytes)
{
  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (bytes > 0);

  self->max_body_size = bytes;
}

const char *
co_client_get_token (CoClient *self)
{
  g_return_val_if_fail (CO_IS_CLIENT (self), NULL);

  return self->token;
}

gboolean
co_client_get_signed_in (CoClient *self)
{
  g_return_val_if_fail (CO_IS_CLIENT (self), FALSE);

  return self->token != NULL;
}

const char *
co_client_get_username (CoClient *self)
{
  g_return_val_if_fail (CO_IS_CLIENT (self), NULL);

  return self->username;
}

const char *
co_client_get_school_name (CoClient *self)
{
  g_return_val_if_fail (CO_IS_CLIENT (self), NULL);

  return self->school_name;
}

const char *
co_client_get_token_expires_at (CoClient *self)
{
  g_return_val_if_fail (CO_IS_CLIENT (self), NULL);

  return self->token_expires_at;
}

void
co_client_set_token (CoClient   *self,
                     const char *token)
{
  gboolean was_signed_in;

  g_return_if_fail (CO_IS_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;

  was_signed_in = self->token != NULL;
  g_free (self->token);
  self->token = g_strdup (token);
  self->token_generation++;

  if (was_signed_in != (token != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SIGNED_IN]);

  if (token != NULL)
    {
      GTask *task;

      self->reauth_pending = FALSE;

      while ((task = g_queue_pop_head (&self->parked)))
        {
          Request *req = g_task_get_task_data (task);

          clear_wait (req);
          start_attempt (task);
          g_object_unref (task);
        }
    }
}

void
co_client_abandon_sign_in (CoClient *self)
{
  GTask *task;

  g_return_if_fail (CO_IS_CLIENT (self));

  self->reauth_pending = FALSE;
  self->abandon_generation++;

  while ((task = g_queue_pop_head (&self->parked)))
    {
      Request *req = g_task_get_task_data (task);

      clear_wait (req);
      g_task_return_error (task, _co_client_error_new_full (CO_CLIENT_ERROR_UNAUTHORIZED,
                                                            SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                                            NULL, CO_REASON_NONE, 0,
                                                            "%s: token expired, sign-in abandoned",
                                                            req->route));
      g_object_unref (task);
    }
}

static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
set_session (CoClient   *self,
             const char *username,
             const char *school_name,
             const char *expires_at)
{
  if (set_str (&self->username, username))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_USERNAME]);
  if (set_str (&self->school_name, school_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SCHOOL_NAME]);
  set_str (&self->token_expires_at, expires_at);
}

static void
on_signed_in (CoClient *self,
              gpointer  result)
{
  CoLoginResult *login = result;

  set_session (self, login->username, login->school_name, login->expires_at);
  co_client_set_token (self, login->token);
}

void
co_client_sign_in_async (CoClient            *self,
                         const char          *username,
                         const char          *password,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GString) url = NULL;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, co_client_sign_in_async);

  url = url_begin (self, "/auth/login");
  req = request_new (SOUP_METHOD_POST, "/auth/login");
  req->url = g_string_free (g_steal_pointer (&url), FALSE);
  req->auth = FALSE;
  req->reauth = FALSE;
  req->retry = FALSE;
  req->throttle_retry = FALSE;
  req->decode = decode_login;
  req->result_free = (GDestroyNotify) co_login_result_free;
  req->on_success = on_signed_in;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  request_set_json (req, builder);

  send_request (self, task, req);
}

gboolean
co_client_sign_in_finish (CoClient      *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_autoptr(CoLoginResult) login = finish_pointer (self, result, co_client_sign_in_async, error);

  return login != NULL;
}

static void
on_signed_out (CoClient *self,
               gpointer  result)
{
  set_session (self, NULL, NULL, NULL);
  co_client_set_token (self, NULL);
}

void
co_client_sign_out_async (CoClient            *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) url = NULL;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, co_client_sign_out_async);

  url = url_begin (self, "/auth/logout");
  req = request_new (SOUP_METHOD_POST, "/auth/logout");
  req->url = g_string_free (g_steal_pointer (&url), FALSE);
  req->reauth = FALSE;
  req->fixed_token = g_strdup (self->token);
  req->decode = NULL;
  request_set_write (req, NULL);

  /* Forget the token whatever the answer: it is of no use any more. */
  on_signed_out (self, NULL);
  send_request (self, task, req);
}

gboolean
co_client_sign_out_finish (CoClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return finish_boolean (self, result, co_client_sign_out_async, error);
}

/* Public API: endpoints */

static GTask *
new_task (CoClient            *self,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, "co-client");

  return task;
}

void
co_client_get_school_async (CoClient            *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_get_school_async, cancellable, callback, user_data);
  req = request_new (SOUP_METHOD_GET, "/school");
  req->url = g_string_free (url_begin (self, "/school"), FALSE);
  req->decode = decode_school;
  req->result_free = (GDestroyNotify) co_school_info_free;

  send_request (self, task, req);
}

CoSchoolInfo *
co_client_get_school_finish (CoClient      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_pointer (self, result, co_client_get_school_async, error);
}

void
co_client_list_students_async (CoClient             *self,
                               const CoStudentQuery *query,
                               const char           *cursor,
                               guint                 limit,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  GString *url;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_list_students_async, cancellable, callback, user_data);
  url = url_begin (self, "/students");

  if (query != NULL)
    {
      append_query (url, "q", query->q);
      if (query->stage >= 0)
        append_query (url, "stage", co_enum_to_wire (CO_TYPE_STAGE, query->stage));
      append_query_uint (url, "grade", query->grade > 0 ? (guint) query->grade : 0);
      append_query (url, "class", query->class_name);
      if (query->status >= 0)
        append_query (url, "status", co_enum_to_wire (CO_TYPE_CARD_STATUS, query->status));
    }
  append_query (url, "cursor", cursor);
  append_query_uint (url, "limit", limit);

  req = request_new (SOUP_METHOD_GET, "/students");
  req->url = g_string_free (url, FALSE);
  req->decode = decode_student_list;
  req->result_free = (GDestroyNotify) list_result_free;

  send_request (self, task, req);
}

GListModel *
co_client_list_students_finish (CoClient      *self,
                                GAsyncResult  *result,
                                char         **next_cursor,
                                GError       **error)
{
  return finish_list (self, result, co_client_list_students_async, next_cursor, error);
}

/* GET or write one student: /students/{edu_id}[suffix] */
static void
student_request (CoClient            *self,
                 gpointer             source_tag,
                 const char          *method,
                 const char          *edu_id,
                 const char          *suffix,
                 gboolean             write,
                 const char          *idempotency_key,
                 JsonBuilder         *body,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *route = NULL;
  Request *req;

  task = new_task (self, source_tag, cancellable, callback, user_data);
  if (!check_arg (task, edu_id_ok (edu_id), "edu_id"))
    return;

  escaped = escape (edu_id);
  path = g_strconcat ("/students/", escaped, suffix, NULL);
  route = g_strconcat ("/students/{edu_id}", suffix, NULL);

  req = request_new (method, route);
  req->url = g_string_free (url_begin (self, path), FALSE);
  req->decode = decode_student;
  if (write)
    request_set_write (req, idempotency_key);
  if (body != NULL)
    request_set_json (req, body);

  send_request (self, task, req);
}

void
co_client_get_student_async (CoClient            *self,
                             const char          *edu_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  student_request (self, co_client_get_student_async, SOUP_METHOD_GET, edu_id, "",
                   FALSE, NULL, NULL, cancellable, callback, user_data);
}

CoStudent *
co_client_get_student_finish (CoClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_pointer (self, result, co_client_get_student_async, error);
}

void
co_client_report_loss_async (CoClient            *self,
                             const char          *edu_id,
                             const char          *idempotency_key,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  student_request (self, co_client_report_loss_async, SOUP_METHOD_POST, edu_id, "/loss",
                   TRUE, idempotency_key, NULL, cancellable, callback, user_data);
}

CoStudent *
co_client_report_loss_finish (CoClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_pointer (self, result, co_client_report_loss_async, error);
}

void
co_client_lift_loss_async (CoClient            *self,
                           const char          *edu_id,
                           const char          *idempotency_key,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  student_request (self, co_client_lift_loss_async, SOUP_METHOD_DELETE, edu_id, "/loss",
                   TRUE, idempotency_key, NULL, cancellable, callback, user_data);
}

CoStudent *
co_client_lift_loss_finish (CoClient      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return finish_pointer (self, result, co_client_lift_loss_async, error);
}

void
co_client_correct_student_async (CoClient            *self,
                                 const char          *edu_id,
                                 const CoCorrection  *correction,
                                 const char          *idempotency_key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (correction != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  if (correction->name != NULL)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, correction->name);
    }
  if (correction->gender >= 0)
    {
      json_builder_set_member_name (builder, "gender");
      json_builder_add_string_value (builder, co_enum_to_wire (CO_TYPE_GENDER, correction->gender));
    }
  if (correction->grade != 0)
    {
      json_builder_set_member_name (builder, "grade");
      json_builder_add_int_value (builder, correction->grade);
    }
  if (correction->class_name != NULL)
    {
      json_builder_set_member_name (builder, "class_name");
      json_builder_add_string_value (builder, correction->class_name);
    }
  json_builder_end_object (builder);

  student_request (self, co_client_correct_student_async, SOUP_METHOD_POST, edu_id,
                   "/corrections", TRUE, idempotency_key, builder, cancellable, callback,
                   user_data);
}

CoStudent *
co_client_correct_student_finish (CoClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_pointer (self, result, co_client_correct_student_async, error);
}

void
co_client_get_photo_async (CoClient            *self,
                           const char          *edu_id,
                           const char          *if_none_match,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_get_photo_async, cancellable, callback, user_data);
  if (!check_arg (task, edu_id_ok (edu_id), "edu_id"))
    return;

  escaped = escape (edu_id);
  path = g_strconcat ("/students/", escaped, "/photo", NULL);

  req = request_new (SOUP_METHOD_GET, "/students/{edu_id}/photo");
  req->url = g_string_free (url_begin (self, path), FALSE);
  req->raw = TRUE;
  req->if_none_match = etag_quote (if_none_match);
  req->result_free = (GDestroyNotify) photo_result_free;

  send_request (self, task, req);
}

gboolean
co_client_get_photo_finish (CoClient      *self,
                            GAsyncResult  *result,
                            GBytes       **jpeg,
                            char         **etag,
                            GError       **error)
{
  PhotoResult *photo;

  if (jpeg != NULL)
    *jpeg = NULL;
  if (etag != NULL)
    *etag = NULL;

  if (!(photo = finish_pointer (self, result, co_client_get_photo_async, error)))
    return FALSE;

  if (jpeg != NULL)
    *jpeg = g_steal_pointer (&photo->jpeg);
  if (etag != NULL)
    *etag = g_steal_pointer (&photo->etag);
  photo_result_free (photo);

  return TRUE;
}

void
co_client_put_photo_async (CoClient            *self,
                           const char          *edu_id,
                           GBytes              *jpeg,
                           const char          *idempotency_key,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (jpeg != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_put_photo_async, cancellable, callback, user_data);
  if (!check_arg (task, edu_id_ok (edu_id), "edu_id"))
    return;

  escaped = escape (edu_id);
  path = g_strconcat ("/students/", escaped, "/photo", NULL);

  req = request_new (SOUP_METHOD_PUT, "/students/{edu_id}/photo");
  req->url = g_string_free (url_begin (self, path), FALSE);
  req->decode = decode_student;
  req->body = g_bytes_ref (jpeg);
  req->content_type = "image/jpeg";
  request_set_write (req, idempotency_key);

  send_request (self, task, req);
}

CoStudent *
co_client_put_photo_finish (CoClient      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return finish_pointer (self, result, co_client_put_photo_async, error);
}

void
co_client_lookup_card_async (CoClient            *self,
                             const char          *uid,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_lookup_card_async, cancellable, callback, user_data);
  if (!check_arg (task, uid != NULL && *uid != '\0', "uid"))
    return;

  escaped = escape (uid);
  path = g_strconcat ("/cards/by-uid/", escaped, NULL);

  req = request_new (SOUP_METHOD_GET, "/cards/by-uid/{uid}");
  req->url = g_string_free (url_begin (self, path), FALSE);
  req->decode = decode_card_lookup;
  req->result_free = (GDestroyNotify) co_card_lookup_free;

  send_request (self, task, req);
}

CoCardLookup *
co_client_lookup_card_finish (CoClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_pointer (self, result, co_client_lookup_card_async, error);
}

void
co_client_hand_out_async (CoClient            *self,
                          const char          *card_no,
                          const char          *idempotency_key,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_hand_out_async, cancellable, callback, user_data);
  if (!check_arg (task, card_no != NULL && *card_no != '\0', "card_no"))
    return;

  escaped = escape (card_no);
  path = g_strconcat ("/cards/", escaped, "/handout", NULL);

  req = request_new (SOUP_METHOD_POST, "/cards/{card_no}/handout");
  req->url = g_string_free (url_begin (self, path), FALSE);
  req->decode = decode_student;
  request_set_write (req, idempotency_key);

  send_request (self, task, req);
}

CoStudent *
co_client_hand_out_finish (CoClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return finish_pointer (self, result, co_client_hand_out_async, error);
}

void
co_client_apply_reissue_async (CoClient               *self,
                               const CoReissueRequest *request,
                               const char             *idempotency_key,
                               GCancellable           *cancellable,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_apply_reissue_async, cancellable, callback, user_data);
  if (!check_arg (task, edu_id_ok (request->edu_id), "edu_id") ||
      !check_arg (task, co_enum_to_wire (CO_TYPE_DELIVERY, request->delivery) != NULL, "delivery"))
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "edu_id");
  json_builder_add_string_value (builder, request->edu_id);
  json_builder_set_member_name (builder, "delivery");
  json_builder_add_string_value (builder, co_enum_to_wire (CO_TYPE_DELIVERY, request->delivery));
  if (request->address != NULL)
    {
      json_builder_set_member_name (builder, "address");
      json_builder_add_string_value (builder, request->address);
    }
  if (request->recipient != NULL)
    {
      json_builder_set_member_name (builder, "recipient");
      json_builder_add_string_value (builder, request->recipient);
    }
  if (request->phone != NULL)
    {
      json_builder_set_member_name (builder, "phone");
      json_builder_add_string_value (builder, request->phone);
    }
  if (request->courier_fee_fen >= 0)
    {
      json_builder_set_member_name (builder, "courier_fee_fen");
      json_builder_add_int_value (builder, request->courier_fee_fen);
    }
  json_builder_end_object (builder);

  req = request_new (SOUP_METHOD_POST, "/reissues");
  req->url = g_string_free (url_begin (self, "/reissues"), FALSE);
  req->decode = decode_reissue;
  request_set_write (req, idempotency_key);
  request_set_json (req, builder);

  send_request (self, task, req);
}

CoReissue *
co_client_apply_reissue_finish (CoClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_pointer (self, result, co_client_apply_reissue_async, error);
}

void
co_client_list_reissues_async (CoClient            *self,
                               CoReissueStatus      status,
                               const char          *edu_id,
                               const char          *cursor,
                               guint                limit,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GString *url;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_list_reissues_async, cancellable, callback, user_data);
  if (!check_arg (task, edu_id == NULL || edu_id_ok (edu_id), "edu_id"))
    return;

  url = url_begin (self, "/reissues");
  if (status != CO_REISSUE_STATUS_NONE)
    append_query (url, "status", co_enum_to_wire (CO_TYPE_REISSUE_STATUS, status));
  append_query (url, "edu_id", edu_id);
  append_query (url, "cursor", cursor);
  append_query_uint (url, "limit", limit);

  req = request_new (SOUP_METHOD_GET, "/reissues");
  req->url = g_string_free (url, FALSE);
  req->decode = decode_reissue_list;
  req->result_free = (GDestroyNotify) list_result_free;

  send_request (self, task, req);
}

GListModel *
co_client_list_reissues_finish (CoClient      *self,
                                GAsyncResult  *result,
                                char         **next_cursor,
                                GError       **error)
{
  return finish_list (self, result, co_client_list_reissues_async, next_cursor, error);
}

/* One reissue: /reissues/{id}[suffix] or /dev/reissues/{id}[suffix] */
static void
reissue_request (CoClient            *self,
                 gpointer             source_tag,
                 const char          *method,
                 const char          *prefix,
                 const char          *id,
                 const char          *suffix,
                 gboolean             write,
                 const char          *idempotency_key,
                 DecodeFunc           decode,
                 GDestroyNotify       result_free,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  g_autofree char *route = NULL;
  Request *req;

  task = new_task (self, source_tag, cancellable, callback, user_data);
  if (!check_arg (task, is_digits (id) && strlen (id) <= 18, "id"))
    return;

  path = g_strconcat (prefix, "/reissues/", id, suffix, NULL);
  route = g_strconcat (prefix, "/reissues/{id}", suffix, NULL);

  req = request_new (method, route);
  req->url = g_string_free (url_begin (self, path), FALSE);
  req->decode = decode;
  req->result_free = result_free;
  if (write)
    request_set_write (req, idempotency_key);

  send_request (self, task, req);
}

void
co_client_get_reissue_async (CoClient            *self,
                             const char          *id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  reissue_request (self, co_client_get_reissue_async, SOUP_METHOD_GET, "", id, "", FALSE, NULL,
                   decode_reissue, g_object_unref, cancellable, callback, user_data);
}

CoReissue *
co_client_get_reissue_finish (CoClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_pointer (self, result, co_client_get_reissue_async, error);
}

void
co_client_request_payment_async (CoClient            *self,
                                 const char          *id,
                                 const char          *idempotency_key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  reissue_request (self, co_client_request_payment_async, SOUP_METHOD_POST, "", id, "/payment",
                   TRUE, idempotency_key, decode_payment, (GDestroyNotify) co_payment_free,
                   cancellable, callback, user_data);
}

CoPayment *
co_client_request_payment_finish (CoClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_pointer (self, result, co_client_request_payment_async, error);
}

void
co_client_refund_async (CoClient            *self,
                        const char          *id,
                        const char          *idempotency_key,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  reissue_request (self, co_client_refund_async, SOUP_METHOD_POST, "", id, "/refund",
                   TRUE, idempotency_key, decode_reissue, g_object_unref,
                   cancellable, callback, user_data);
}

CoReissue *
co_client_refund_finish (CoClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return finish_pointer (self, result, co_client_refund_async, error);
}

void
co_client_withdraw_async (CoClient            *self,
                          const char          *id,
                          const char          *idempotency_key,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  reissue_request (self, co_client_withdraw_async, SOUP_METHOD_POST, "", id, "/withdraw",
                   TRUE, idempotency_key, decode_reissue, g_object_unref,
                   cancellable, callback, user_data);
}

CoReissue *
co_client_withdraw_finish (CoClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return finish_pointer (self, result, co_client_withdraw_async, error);
}

void
co_client_list_audit_async (CoClient            *self,
                            const char          *edu_id,
                            const char          *staff,
                            const char          *action,
                            const char          *cursor,
                            guint                limit,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GString *url;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_list_audit_async, cancellable, callback, user_data);

  url = url_begin (self, "/audit");
  append_query (url, "edu_id", edu_id);
  append_query (url, "staff", staff);
  append_query (url, "action", action);
  append_query (url, "cursor", cursor);
  append_query_uint (url, "limit", limit);

  req = request_new (SOUP_METHOD_GET, "/audit");
  req->url = g_string_free (url, FALSE);
  req->decode = decode_audit_list;
  req->result_free = (GDestroyNotify) list_result_free;

  send_request (self, task, req);
}

GListModel *
co_client_list_audit_finish (CoClient      *self,
                             GAsyncResult  *result,
                             char         **next_cursor,
                             GError       **error)
{
  return finish_list (self, result, co_client_list_audit_async, next_cursor, error);
}

void
co_client_fetch_roster_async (CoClient            *self,
                              const char          *since,
                              guint                limit,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GString *url;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_fetch_roster_async, cancellable, callback, user_data);

  url = url_begin (self, "/roster");
  if (since != NULL && *since != '\0')
    append_query (url, "since", since);
  append_query_uint (url, "limit", limit);

  req = request_new (SOUP_METHOD_GET, "/roster");
  req->url = g_string_free (url, FALSE);
  req->decode = decode_roster;
  req->result_free = (GDestroyNotify) co_roster_delta_free;

  send_request (self, task, req);
}

CoRosterDelta *
co_client_fetch_roster_finish (CoClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_pointer (self, result, co_client_fetch_roster_async, error);
}

/* Public API: the reference server's /dev endpoints */

void
co_client_dev_advance_reissue_async (CoClient            *self,
                                     const char          *id,
                                     CoClientDevStep      step,
                                     const char          *idempotency_key,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  static const char * const suffixes[] = {
    [CO_CLIENT_DEV_PAY] = "/pay",
    [CO_CLIENT_DEV_START_PRODUCTION] = "/start-production",
    [CO_CLIENT_DEV_FINISH_PRODUCTION] = "/finish-production",
    [CO_CLIENT_DEV_DELIVER] = "/deliver",
  };

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (step <= CO_CLIENT_DEV_DELIVER);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  reissue_request (self, co_client_dev_advance_reissue_async, SOUP_METHOD_POST, "/dev", id,
                   suffixes[step], TRUE, idempotency_key, decode_reissue, g_object_unref,
                   cancellable, callback, user_data);
}

CoReissue *
co_client_dev_advance_reissue_finish (CoClient      *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_pointer (self, result, co_client_dev_advance_reissue_async, error);
}

void
co_client_dev_set_clock_async (CoClient            *self,
                               const char          *today,
                               const char          *idempotency_key,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_dev_set_clock_async, cancellable, callback, user_data);
  if (!check_arg (task, today == NULL || _co_json_date_is_valid (today), "today"))
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "today");
  if (today != NULL)
    json_builder_add_string_value (builder, today);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  req = request_new (SOUP_METHOD_PUT, "/dev/clock");
  req->url = g_string_free (url_begin (self, "/dev/clock"), FALSE);
  req->decode = decode_ignore;
  req->result_free = NULL;
  request_set_write (req, idempotency_key);
  request_set_json (req, builder);

  send_request (self, task, req);
}

gboolean
co_client_dev_set_clock_finish (CoClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_pointer (self, result, co_client_dev_set_clock_async, error) != NULL;
}

void
co_client_dev_create_student_async (CoClient            *self,
                                    const CoDevStudent  *student,
                                    const char          *idempotency_key,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (student != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_dev_create_student_async, cancellable, callback, user_data);
  if (!check_arg (task, student->edu_id == NULL || edu_id_ok (student->edu_id), "edu_id") ||
      !check_arg (task, student->name != NULL, "name") ||
      !check_arg (task, student->class_name != NULL, "class_name"))
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  if (student->edu_id != NULL)
    {
      json_builder_set_member_name (builder, "edu_id");
      json_builder_add_string_value (builder, student->edu_id);
    }
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, student->name);
  json_builder_set_member_name (builder, "gender");
  json_builder_add_string_value (builder, co_enum_to_wire (CO_TYPE_GENDER, student->gender));
  json_builder_set_member_name (builder, "grade");
  json_builder_add_int_value (builder, student->grade);
  json_builder_set_member_name (builder, "class_name");
  json_builder_add_string_value (builder, student->class_name);
  if (student->entry >= 0)
    {
      json_builder_set_member_name (builder, "entry");
      json_builder_add_string_value (builder, co_enum_to_wire (CO_TYPE_ENTRY, student->entry));
    }
  if (student->card != NULL)
    {
      json_builder_set_member_name (builder, "card");
      json_builder_add_string_value (builder, student->card);
    }
  json_builder_end_object (builder);

  req = request_new (SOUP_METHOD_POST, "/dev/students");
  req->url = g_string_free (url_begin (self, "/dev/students"), FALSE);
  req->decode = decode_student;
  request_set_write (req, idempotency_key);
  request_set_json (req, builder);

  send_request (self, task, req);
}

CoStudent *
co_client_dev_create_student_finish (CoClient      *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_pointer (self, result, co_client_dev_create_student_async, error);
}

void
co_client_dev_remove_student_async (CoClient            *self,
                                    const char          *edu_id,
                                    const char          *idempotency_key,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_dev_remove_student_async, cancellable, callback, user_data);
  if (!check_arg (task, edu_id_ok (edu_id), "edu_id"))
    return;

  path = g_strconcat ("/dev/students/", edu_id, NULL);
  req = request_new (SOUP_METHOD_DELETE, "/dev/students/{edu_id}");
  req->url = g_string_free (url_begin (self, path), FALSE);
  req->decode = NULL;
  req->result_free = NULL;
  request_set_write (req, idempotency_key);

  send_request (self, task, req);
}

gboolean
co_client_dev_remove_student_finish (CoClient      *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_boolean (self, result, co_client_dev_remove_student_async, error);
}

/* Outbox: a write made offline, sent later as stored */

static gpointer
decode_any (JsonNode  *root,
            GError   **error)
{
  return root != NULL ? json_node_copy (root) : json_node_new (JSON_NODE_NULL);
}

void
co_client_send_outbox_item_async (CoClient            *self,
                                  const char          *method,
                                  const char          *path,
                                  GBytes              *json_body,
                                  const char          *idempotency_key,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *rel;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_send_outbox_item_async, cancellable, callback, user_data);
  if (!check_arg (task, path != NULL && g_str_has_prefix (path, API_PREFIX "/"), "path") ||
      !check_arg (task, idempotency_key != NULL && *idempotency_key != '\0', "idempotency_key"))
    return;

  rel = path + strlen (API_PREFIX);
  req = request_new (g_intern_string (method), rel);
  req->url = g_string_free (url_begin (self, rel), FALSE);
  req->decode = decode_any;
  req->result_free = (GDestroyNotify) json_node_unref;
  if (json_body != NULL)
    {
      req->body = g_bytes_ref (json_body);
      req->content_type = "application/json";
    }
  request_set_write (req, idempotency_key);

  send_request (self, task, req);
}

JsonNode *
co_client_send_outbox_item_finish (CoClient      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_pointer (self, result, co_client_send_outbox_item_async, error);
}

/* Batches and transit (co-batch-types.h) */

static gpointer
decode_batch (JsonNode  *root,
              GError   **error)
{
  return co_json_decode_batch (root, NULL, error);
}

static gpointer
decode_transit_validity (JsonNode  *root,
                         GError   **error)
{
  return co_json_decode_transit_validity (root, NULL, error);
}

static const char *
batch_route (CoBatchKind kind)
{
  return kind == CO_BATCH_KIND_STICKER ? "/sticker-batches" : "/new-card-batches";
}

/* A request answered by one batch's report. */
static Request *
batch_request (CoClient   *self,
               const char *method,
               const char *path,
               const char *route)
{
  Request *req = request_new (method, route);

  req->url = g_string_free (url_begin (self, path), FALSE);
  req->decode = decode_batch;
  req->result_free = (GDestroyNotify) co_batch_report_free;
  return req;
}

static void
report_batch (CoClient            *self,
              GTask               *task,
              CoBatchKind          kind,
              GBytes              *json_body,
              const char          *idempotency_key)
{
  Request *req;

  req = batch_request (self, SOUP_METHOD_POST, batch_route (kind), batch_route (kind));
  req->body = g_bytes_ref (json_body);
  req->content_type = "application/json";
  request_set_write (req, idempotency_key);

  send_request (self, task, req);
}

void
co_client_report_batch_async (CoClient            *self,
                              CoBatchKind          kind,
                              GBytes              *json_body,
                              const char          *idempotency_key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (kind <= CO_BATCH_KIND_STICKER);
  g_return_if_fail (json_body != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_report_batch_async, cancellable, callback, user_data);
  report_batch (self, task, kind, json_body, idempotency_key);
}

/* Reports a list whose rows were checked: @body is NULL when they are not
 * fit to send (no row, too many, or a bad one), and the task says so. */
static void
report_rows (CoClient            *self,
             CoBatchKind          kind,
             GBytes              *body,
             const char          *idempotency_key,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_report_batch_async, cancellable, callback, user_data);
  if (!check_arg (task, body != NULL, "rows"))
    return;

  report_batch (self, task, kind, body, idempotency_key);
}

void
co_client_report_new_card_batch_async (CoClient            *self,
                                       const CoNewCardRow  *rows,
                                       guint                n_rows,
                                       const char          *idempotency_key,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;
  gboolean ok = n_rows >= 1 && n_rows <= 5000;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (rows != NULL || n_rows == 0);

  for (guint i = 0; i < n_rows && ok; i++)
    ok = edu_id_ok (rows[i].edu_id) && rows[i].name != NULL && *rows[i].name != '\0' &&
         rows[i].class_name != NULL && *rows[i].class_name != '\0' &&
         co_enum_to_wire (CO_TYPE_GENDER, rows[i].gender) != NULL &&
         co_enum_to_wire (CO_TYPE_ENTRY, rows[i].entry) != NULL;
  if (ok)
    body = co_batch_new_card_body (rows, n_rows);
  report_rows (self, CO_BATCH_KIND_NEW_CARD, body, idempotency_key, cancellable, callback,
               user_data);
}

void
co_client_report_sticker_batch_async (CoClient            *self,
                                      const char * const  *edu_ids,
                                      guint                n_edu_ids,
                                      const char          *idempotency_key,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;
  gboolean ok = n_edu_ids >= 1 && n_edu_ids <= 5000;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (edu_ids != NULL || n_edu_ids == 0);

  for (guint i = 0; i < n_edu_ids && ok; i++)
    ok = edu_id_ok (edu_ids[i]);
  if (ok)
    body = co_batch_sticker_body (edu_ids, n_edu_ids);
  report_rows (self, CO_BATCH_KIND_STICKER, body, idempotency_key, cancellable, callback,
               user_data);
}

CoBatchReport *
co_client_report_batch_finish (CoClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_pointer (self, result, co_client_report_batch_async, error);
}

void
co_client_get_batch_async (CoClient            *self,
                           CoBatchKind          kind,
                           gint64               id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (kind <= CO_BATCH_KIND_STICKER);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_get_batch_async, cancellable, callback, user_data);
  if (!check_arg (task, id >= 1, "id"))
    return;

  path = g_strdup_printf ("%s/%" G_GINT64_FORMAT, batch_route (kind), id);
  send_request (self, task,
                batch_request (self, SOUP_METHOD_GET, path,
                               kind == CO_BATCH_KIND_STICKER ? "/sticker-batches/{id}"
                                                             : "/new-card-batches/{id}"));
}

CoBatchReport *
co_client_get_batch_finish (CoClient      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return finish_pointer (self, result, co_client_get_batch_async, error);
}

void
co_client_dev_advance_batch_async (CoClient            *self,
                                   CoBatchKind          kind,
                                   gint64               id,
                                   const char          *idempotency_key,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (kind <= CO_BATCH_KIND_STICKER);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_dev_advance_batch_async, cancellable, callback, user_data);
  if (!check_arg (task, id >= 1, "id"))
    return;

  path = g_strdup_printf ("/dev%s/%" G_GINT64_FORMAT "/advance", batch_route (kind), id);
  req = batch_request (self, SOUP_METHOD_POST, path,
                       kind == CO_BATCH_KIND_STICKER ? "/dev/sticker-batches/{id}/advance"
                                                     : "/dev/new-card-batches/{id}/advance");
  request_set_write (req, idempotency_key);

  send_request (self, task, req);
}

CoBatchReport *
co_client_dev_advance_batch_finish (CoClient      *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_pointer (self, result, co_client_dev_advance_batch_async, error);
}

static Request *
transit_request (CoClient   *self,
                 const char *method,
                 const char *prefix,
                 const char *card_no,
                 const char *suffix,
                 const char *route)
{
  g_autofree char *escaped = escape (card_no);
  g_autofree char *path = g_strconcat (prefix, escaped, suffix, NULL);
  Request *req = request_new (method, route);

  req->url = g_string_free (url_begin (self, path), FALSE);
  req->decode = decode_transit_validity;
  req->result_free = (GDestroyNotify) co_transit_validity_free;
  return req;
}

void
co_client_get_transit_validity_async (CoClient            *self,
                                      const char          *card_no,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_get_transit_validity_async, cancellable, callback, user_data);
  if (!check_arg (task, card_no != NULL && *card_no != '\0', "card_no"))
    return;

  send_request (self, task,
                transit_request (self, SOUP_METHOD_GET, "/transit-validity/", card_no, "",
                                 "/transit-validity/{card_no}"));
}

CoTransitValidity *
co_client_get_transit_validity_finish (CoClient      *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return finish_pointer (self, result, co_client_get_transit_validity_async, error);
}

void
co_client_review_transit_async (CoClient            *self,
                                const char          *card_no,
                                CoTransitDecision    decision,
                                const char          *note,
                                const char          *idempotency_key,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_review_transit_async, cancellable, callback, user_data);
  if (!check_arg (task, card_no != NULL && *card_no != '\0', "card_no") ||
      !check_arg (task, decision <= CO_TRANSIT_DECISION_REJECT, "decision") ||
      !check_arg (task, note == NULL || g_utf8_strlen (note, -1) <= 200, "note"))
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "decision");
  json_builder_add_string_value (builder, co_transit_decision_to_string (decision));
  if (note != NULL)
    {
      json_builder_set_member_name (builder, "note");
      json_builder_add_string_value (builder, note);
    }
  json_builder_end_object (builder);

  req = transit_request (self, SOUP_METHOD_POST, "/transit-validity/", card_no, "/review",
                         "/transit-validity/{card_no}/review");
  request_set_json (req, builder);
  request_set_write (req, idempotency_key);
  send_request (self, task, req);
}

CoTransitValidity *
co_client_review_transit_finish (CoClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_pointer (self, result, co_client_review_transit_async, error);
}

void
co_client_dev_transit_reject_async (CoClient            *self,
                                    const char          *card_no,
                                    const char          *idempotency_key,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *req;

  g_return_if_fail (CO_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, co_client_dev_transit_reject_async, cancellable, callback, user_data);
  if (!check_arg (task, card_no != NULL && *card_no != '\0', "card_no"))
    return;

  req = transit_request (self, SOUP_METHOD_POST, "/dev/cards/", card_no, "/transit-reject",
                         "/dev/cards/{card_no}/transit-reject");
  request_set_write (req, idempotency_key);
  send_request (self, task, req);
}

CoTransitValidity *
co_client_dev_transit_reject_finish (CoClient      *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_pointer (self, result, co_client_dev_transit_reject_async, error);
}
