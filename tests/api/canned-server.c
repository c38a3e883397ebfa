/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "canned-server"

#include "config.h"

#include <string.h>

#include "canned-server.h"

typedef struct
{
  CannedKind  kind;
  GBytes     *raw;
} Answer;

struct _CannedServer
{
  GSocketService *service;
  char           *url;
  GPtrArray      *answers;    /* of Answer */
  guint           next;
  GPtrArray      *requests;   /* of char *: heads */
  GPtrArray      *connections;
  GCancellable   *cancellable;
};

typedef struct
{
  CannedServer      *server;
  GSocketConnection *connection;
  GString           *in;
  char               buf[4096];
  guint8             chunk[16384];
  gsize              body_needed;
  gboolean           head_done;
} Conn;

static void conn_read (Conn *conn);

static void
answer_free (Answer *answer)
{
  g_bytes_unref (answer->raw);
  g_free (answer);
}

static void
conn_free (Conn *conn)
{
  g_string_free (conn->in, TRUE);
  g_object_unref (conn->connection);
  g_free (conn);
}

static void
conn_close (Conn *conn)
{
  g_io_stream_close (G_IO_STREAM (conn->connection), NULL, NULL);
  g_ptr_array_remove (conn->server->connections, conn);
}

static const Answer *
next_answer (CannedServer *self)
{
  guint i;

  if (self->answers->len == 0)
    return NULL;

  i = MIN (self->next, self->answers->len - 1);
  self->next++;

  return g_ptr_array_index (self->answers, i);
}

static void
endless_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Conn *conn = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL))
    {
      conn_close (conn);
      return;
    }

  g_output_stream_write_all_async (G_OUTPUT_STREAM (object), conn->chunk, sizeof conn->chunk,
                                   G_PRIORITY_DEFAULT, conn->server->cancellable, endless_cb, conn);
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Conn *conn = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  conn_close (conn);
}

static void
respond (Conn *conn)
{
  const Answer *answer = next_answer (conn->server);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn->connection));
  static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n";

  if (answer == NULL || answer->kind == CANNED_NEVER)
    return;

  if (answer->kind == CANNED_REPLY)
    {
      gsize size;
      gconstpointer data = g_bytes_get_data (answer->raw, &size);

      g_output_stream_write_all_async (out, data, size, G_PRIORITY_DEFAULT,
                                       conn->server->cancellable, written_cb, conn);
      return;
    }

  /* Endless: a head, then 16 KiB chunks of "[1,1,...". */
  {
    const char *size_line = "3FF8\r\n";
    gsize n = sizeof conn->chunk - strlen (size_line) - 2;

    memcpy (conn->chunk, size_line, strlen (size_line));
    memset (conn->chunk + strlen (size_line), ' ', n);
    conn->chunk[strlen (size_line)] = '[';
    memcpy (conn->chunk + sizeof conn->chunk - 2, "\r\n", 2);
    g_assert (n == 0x3FF8);

    g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
    g_output_stream_write_all_async (out, conn->chunk, sizeof conn->chunk, G_PRIORITY_DEFAULT,
                                     conn->server->cancellable, endless_cb, conn);
  }
}

static char *
header_value (const char *head,
              const char *name)
{
  g_auto(GStrv) lines = g_strsplit (head, "\r\n", -1);
  gsize len = strlen (name);

  for (guint i = 1; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], name, len) == 0 && lines[i][len] == ':')
      return g_strstrip (g_strdup (lines[i] + len + 1));

  return NULL;
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Conn *conn = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);
  const char *end;

  if (n <= 0)
    {
      conn_close (conn);
      return;
    }

  g_string_append_len (conn->in, conn->buf, n);

  if (!conn->head_done && (end = strstr (conn->in->str, "\r\n\r\n")))
    {
      gsize head_len = end - conn->in->str;
      char *head = g_strndup (conn->in->str, head_len);
      g_autofree char *length = header_value (head, "Content-Length");

      conn->head_done = TRUE;
      conn->body_needed = length ? g_ascii_strtoull (length, NULL, 10) : 0;
      g_string_erase (conn->in, 0, head_len + 4);
      g_ptr_array_add (conn->server->requests, head);
    }

  if (conn->head_done && conn->in->len >= conn->body_needed)
    {
      respond (conn);
      return;
    }

  conn_read (conn);
}

static void
conn_read (Conn *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn->connection));

  g_input_stream_read_async (in, conn->buf, sizeof conn->buf, G_PRIORITY_DEFAULT,
                             conn->server->cancellable, read_cb, conn);
}

static gboolean
on_incoming_cb (GSocketService    *service,
                GSocketConnection *connection,
                GObject           *source_object,
                gpointer           user_data)
{
  CannedServer *self = user_data;
  Conn *conn = g_new0 (Conn, 1);

  conn->server = self;
  conn->connection = g_object_ref (connection);
  conn->in = g_string_new (NULL);
  g_ptr_array_add (self->connections, conn);
  conn_read (conn);

  return TRUE;
}

CannedServer *
canned_server_new (void)
{
  CannedServer *self = g_new0 (CannedServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  self->service = g_socket_service_new ();
  self->requests = g_ptr_array_new_with_free_func (g_free);
  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) conn_free);
  self->cancellable = g_cancellable_new ();
  self->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) answer_free);

  g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &effective, &error);
  g_assert_no_error (error);

  self->url = g_strdup_printf ("http://127.0.0.1:%u",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));

  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming_cb), self);
  g_socket_service_start (self->service);

  return self;
}

void
canned_server_free (CannedServer *self)
{
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_cancellable_cancel (self->cancellable);

  /* Let cancelled reads and writes report before their Conn goes. */
  for (guint i = 0; i < 20; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;

  g_ptr_array_unref (self->connections);
  g_ptr_array_unref (self->answers);
  g_ptr_array_unref (self->requests);
  g_object_unref (self->service);
  g_object_unref (self->cancellable);
  g_free (self->url);
  g_free (self);
}

const char *
canned_server_get_url (CannedServer *self)
{
  return self->url;
}

void
canned_server_push (CannedServer *self,
                    CannedKind    kind,
                    const char   *raw)
{
  Answer *answer = g_new0 (Answer, 1);

  answer->kind = kind;
  answer->raw = g_bytes_new (raw ? raw : "", raw ? strlen (raw) : 0);
  g_ptr_array_add (self->answers, answer);
}

void
canned_server_push_json (CannedServer *self,
                         guint         status,
                         const char   *extra_headers,
                         const char   *body)
{
  g_autofree char *raw = NULL;

  raw = g_strdup_printf ("HTTP/1.1 %u Canned\r\n"
                         "Content-Type: application/json\r\n"
                         "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                         "Connection: close\r\n"
                         "%s"
                         "\r\n"
                         "%s",
                         status, strlen (body), extra_headers ? extra_headers : "", body);
  canned_server_push (self, CANNED_REPLY, raw);
}

guint
canned_server_get_n_requests (CannedServer *self)
{
  return self->requests->len;
}

const char *
canned_server_get_request (CannedServer *self,
                           guint         i)
{
  return i < self->requests->len ? g_ptr_array_index (self->requests, i) : NULL;
}

char *
canned_server_get_header (CannedServer *self,
                          guint         i,
                          const char   *name)
{
  const char *head = canned_server_get_request (self, i);

  return head ? header_value (head, name) : NULL;
}
