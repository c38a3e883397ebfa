/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-outbox"

#include "config.h"

#include "co-outbox.h"

typedef struct
{
  CoStore      *store;
  CoClient     *client;
  CoOutboxItem *item;     /* being sent */
  guint         n_delivered;
  guint         n_refused;
} Drain;

static void
drain_free (Drain *d)
{
  g_clear_object (&d->store);
  g_clear_object (&d->client);
  g_clear_pointer (&d->item, co_outbox_item_free);
  g_free (d);
}

static void send_next (GTask *task);

/* Whether a failed answer refuses the item itself, for good. */
static gboolean
is_refusal (const GError *error)
{
  guint status;

  if (!g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_FORBIDDEN) &&
      !g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_NOT_FOUND) &&
      !g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_CONFLICT) &&
      !g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_VALIDATION) &&
      !g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_TOO_LARGE) &&
      !g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_INVALID_REQUEST))
    return FALSE;

  status = co_client_error_get_http_status (error);
  return status >= 400 && status < 500 && status != 401 && status != 408 && status != 429;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Drain *d = g_task_get_task_data (task);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autoptr(CoOutboxItem) item = g_steal_pointer (&d->item);

  answer = co_client_send_outbox_item_finish (CO_CLIENT (source), result, &error);
  if (answer != NULL)
    {
      if (!co_store_delete_outbox_item (d->store, item->id, &store_error))
        {
          g_task_return_error (task, g_steal_pointer (&store_error));
          return;
        }
      d->n_delivered++;
    }
  else if (is_refusal (error))
    {
      g_autofree char *code = g_strdup_printf ("%u %s", co_client_error_get_http_status (error),
                                               co_client_error_get_wire_code (error) != NULL
                                                 ? co_client_error_get_wire_code (error)
                                                 : "refused");

      g_info ("outbox item %" G_GINT64_FORMAT " refused: %s", item->id, code);
      if (!co_store_mark_outbox_refused (d->store, item->id, code, &store_error))
        {
          g_task_return_error (task, g_steal_pointer (&store_error));
          return;
        }
      d->n_refused++;
    }
  else
    {
      /* Not the item's fault: it and the rest wait for the next drain. */
      co_store_note_outbox_attempt (d->store, item->id, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  send_next (g_steal_pointer (&task));
}

static void
send_next (GTask *task)
{
  Drain *d = g_task_get_task_data (task);
  g_autoptr(GPtrArray) items = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  items = co_store_list_outbox (d->store, 1);
  if (items->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  d->item = g_ptr_array_steal_index (items, 0);
  if (d->item->content_type != NULL && g_strcmp0 (d->item->content_type, "application/json") != 0)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "outbox item %" G_GINT64_FORMAT ": content type %s", d->item->id,
                   d->item->content_type);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  co_client_send_outbox_item_async (d->client, d->item->method, d->item->path, d->item->body,
                                    d->item->idempotency_key, g_task_get_cancellable (task),
                                    sent_cb, task);
}

void
co_outbox_drain_async (CoStore             *store,
                       CoClient            *client,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  Drain *d;

  g_return_if_fail (CO_IS_STORE (store));
  g_return_if_fail (CO_IS_CLIENT (client));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, co_outbox_drain_async);
  d = g_new0 (Drain, 1);
  d->store = g_object_ref (store);
  d->client = g_object_ref (client);
  g_task_set_task_data (task, d, (GDestroyNotify) drain_free);

  send_next (task);
}

gboolean
co_outbox_drain_finish (CoStore       *store,
                        GAsyncResult  *result,
                        guint         *n_delivered,
                        guint         *n_refused,
                        GError       **error)
{
  Drain *d;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == co_outbox_drain_async, FALSE);

  d = g_task_get_task_data (G_TASK (result));
  if (n_delivered != NULL)
    *n_delivered = d->n_delivered;
  if (n_refused != NULL)
    *n_refused = d->n_refused;

  return g_task_propagate_boolean (G_TASK (result), error);
}
