/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * At most one fetch and one apply run at a time, and at most one decoded
 * page waits between them: memory stays at about two pages.
 */
#define G_LOG_DOMAIN "co-sync"

#include "config.h"

#include "co-store-private.h"
#include "co-sync.h"

typedef struct
{
  CoStore            *store;
  CoClient           *client;
  guint               page_size;
  CoSyncProgressFunc  progress;
  gpointer            progress_data;
  GDestroyNotify      progress_destroy;

  GCancellable       *cancellable;   /* ours: stops the fetch when an apply fails */
  GCancellable       *user_cancellable;
  gulong              cancelled_id;

  char               *scope;
  char               *cursor;        /* since= of the next fetch */
  gboolean            reset;         /* the next applied page replaces the snapshot */
  gboolean            since_refused;
  gboolean            fetching;
  gboolean            applying;
  gboolean            more;
  CoRosterDelta       *queued;
  GError             *error;
  CoSyncStats         stats;
  gint64              started;
  gboolean            running;       /* holds the store's sync slot */
} Sync;

typedef struct
{
  CoStore      *store;
  CoRosterDelta *page;
  gboolean      reset;
  char         *scope;
} Apply;

static void pump (GTask *task);

static void
sync_free (Sync *sync)
{
  if (sync->cancelled_id != 0)
    g_cancellable_disconnect (sync->user_cancellable, sync->cancelled_id);
  if (sync->progress_destroy != NULL)
    sync->progress_destroy (sync->progress_data);
  if (sync->running)
    _co_store_end_sync (sync->store);

  g_clear_object (&sync->store);
  g_clear_object (&sync->client);
  g_clear_object (&sync->cancellable);
  g_clear_object (&sync->user_cancellable);
  g_free (sync->scope);
  g_free (sync->cursor);
  g_clear_pointer (&sync->queued, co_roster_delta_free);
  g_clear_error (&sync->error);
  g_free (sync);
}

static void
apply_free (Apply *apply)
{
  g_clear_object (&apply->store);
  g_clear_pointer (&apply->page, co_roster_delta_free);
  g_free (apply->scope);
  g_free (apply);
}

static void
fail (Sync   *sync,
      GError *error)
{
  if (sync->error == NULL)
    sync->error = error;
  else
    g_error_free (error);

  g_cancellable_cancel (sync->cancellable);
}

/* The snapshot belongs to one server and school. */
static char *
make_scope (CoClient *client)
{
  const char *school = co_client_get_school_name (client);

  return g_strconcat (co_client_get_base_url (client), "|", school ? school : "", NULL);
}

static gboolean
scope_matches (const char *stored,
               const char *scope)
{
  if (stored == NULL)
    return FALSE;

  if (g_str_equal (stored, scope))
    return TRUE;

  /* Signed in by a token alone, the school is unknown: the server decides. */
  if (g_str_has_suffix (scope, "|"))
    return g_str_has_prefix (stored, scope);

  return FALSE;
}

static void
apply_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Apply *apply = task_data;
  g_autoptr(CoStoreChanges) changes = _co_store_changes_new ();
  GError *error = NULL;

  if (!_co_store_apply_roster_page (apply->store, apply->page, apply->reset, apply->scope,
                                    changes, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&changes), (GDestroyNotify) _co_store_changes_free);
}

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Sync *sync = g_task_get_task_data (task);
  CoStoreChanges *changes;
  GError *error = NULL;

  sync->applying = FALSE;

  if (!(changes = g_task_propagate_pointer (G_TASK (result), &error)))
    {
      fail (sync, error);
      pump (task);
      return;
    }

  sync->stats.pages++;
  sync->stats.students += changes->changed->len;
  sync->stats.removed += changes->n_removed;

  _co_store_queue_changes (sync->store, changes);

  if (sync->progress != NULL)
    sync->progress (&sync->stats, sync->progress_data);

  pump (task);
}

static void
start_apply (GTask        *task,
             CoRosterDelta *page)
{
  Sync *sync = g_task_get_task_data (task);
  g_autoptr(GTask) thread_task = NULL;
  Apply *apply;

  apply = g_new0 (Apply, 1);
  apply->store = g_object_ref (sync->store);
  apply->page = page;
  apply->reset = sync->reset;
  apply->scope = g_strdup (sync->scope);
  sync->reset = FALSE;
  sync->applying = TRUE;

  /* Not cancellable: a page is applied whole or not at all. */
  thread_task = g_task_new (sync->store, NULL, apply_cb, g_object_ref (task));
  g_task_set_source_tag (thread_task, start_apply);
  g_task_set_task_data (thread_task, apply, (GDestroyNotify) apply_free);
  g_task_run_in_thread (thread_task, apply_thread);
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Sync *sync = g_task_get_task_data (task);
  CoRosterDelta *page;
  GError *error = NULL;

  sync->fetching = FALSE;

  if (!(page = co_client_fetch_roster_finish (CO_CLIENT (object), result, &error)))
    {
      if (!sync->since_refused && sync->error == NULL &&
          g_error_matches (error, CO_CLIENT_ERROR, CO_CLIENT_ERROR_VALIDATION) &&
          g_strcmp0 (co_client_error_get_field (error), "since") == 0)
        {
          g_debug ("cursor refused: full sync");
          g_clear_error (&error);
          sync->since_refused = TRUE;
          sync->reset = TRUE;
          sync->stats.full = TRUE;
          g_clear_pointer (&sync->cursor, g_free);
        }
      else
        {
          fail (sync, error);
        }

      pump (task);
      return;
    }

  g_assert (sync->queued == NULL);

  g_free (sync->cursor);
  sync->cursor = g_strdup (page->next_cursor);
  sync->more = page->has_more;
  sync->queued = page;

  pump (task);
}

static void
start_fetch (GTask *task)
{
  Sync *sync = g_task_get_task_data (task);

  sync->fetching = TRUE;
  co_client_fetch_roster_async (sync->client, sync->cursor, sync->page_size,
                                sync->cancellable, fetch_cb, g_object_ref (task));
}

static void
pump (GTask *task)
{
  Sync *sync = g_task_get_task_data (task);

  if (sync->error == NULL && !sync->applying && sync->queued != NULL)
    start_apply (task, g_steal_pointer (&sync->queued));

  if (sync->error == NULL && !sync->fetching && sync->queued == NULL && sync->more)
    start_fetch (task);

  if (sync->fetching || sync->applying)
    return;

  if (sync->error == NULL && (sync->queued != NULL || sync->more))
    return;

  _co_store_flush_changes (sync->store);
  _co_store_end_sync (sync->store);
  sync->running = FALSE;

  g_debug ("sync: %u pages, %u students, %u removed in %" G_GINT64_FORMAT " ms%s",
           sync->stats.pages, sync->stats.students, sync->stats.removed,
           (g_get_monotonic_time () - sync->started) / 1000,
           sync->error ? " (failed)" : "");

  if (sync->error != NULL)
    {
      /* The caller's cancellation wins over what it caused. */
      if (sync->user_cancellable != NULL && g_cancellable_is_cancelled (sync->user_cancellable))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "sync cancelled");
      else
        g_task_return_error (task, g_steal_pointer (&sync->error));
    }
  else
    {
      g_task_return_boolean (task, TRUE);
    }
}

static void
on_cancelled_cb (GCancellable *cancellable,
                 gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

void
co_sync_run_async (CoStore             *store,
                   CoClient            *client,
                   guint                page_size,
                   CoSyncProgressFunc   progress,
                   gpointer             progress_data,
                   GDestroyNotify       progress_destroy,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *stored_scope = NULL;
  Sync *sync;

  g_return_if_fail (CO_IS_STORE (store));
  g_return_if_fail (CO_IS_CLIENT (client));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, co_sync_run_async);
  /* Our own error wins when both happen; see pump(). */
  g_task_set_check_cancellable (task, FALSE);

  sync = g_new0 (Sync, 1);
  sync->store = g_object_ref (store);
  sync->client = g_object_ref (client);
  sync->page_size = page_size > 0 ? page_size : CO_SYNC_DEFAULT_PAGE_SIZE;
  sync->progress = progress;
  sync->progress_data = progress_data;
  sync->progress_destroy = progress_destroy;
  sync->cancellable = g_cancellable_new ();
  sync->started = g_get_monotonic_time ();
  sync->more = TRUE;
  g_task_set_task_data (task, sync, (GDestroyNotify) sync_free);

  if (cancellable != NULL)
    {
      sync->user_cancellable = g_object_ref (cancellable);
      sync->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled_cb),
                                                  g_object_ref (sync->cancellable),
                                                  g_object_unref);
    }

  if (!_co_store_begin_sync (store))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "a sync of this store is already running");
      return;
    }
  sync->running = TRUE;

  sync->scope = make_scope (client);
  stored_scope = co_store_get_scope (store);

  if (scope_matches (stored_scope, sync->scope))
    {
      sync->cursor = co_store_get_cursor (store);
      /* Keep the school's full name once it is known. */
      if (g_str_has_suffix (sync->scope, "|"))
        {
          g_free (sync->scope);
          sync->scope = g_steal_pointer (&stored_scope);
        }
    }
  else
    {
      /* Another server or school, or never synced: start afresh. */
      sync->reset = TRUE;
    }

  sync->stats.full = sync->cursor == NULL;

  pump (task);
}

gboolean
co_sync_run_finish (CoStore       *store,
                    GAsyncResult  *result,
                    CoSyncStats   *stats,
                    GError       **error)
{
  Sync *sync;

  g_return_val_if_fail (CO_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == co_sync_run_async, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  sync = g_task_get_task_data (G_TASK (result));
  if (stats != NULL)
    *stats = sync->stats;

  return g_task_propagate_boolean (G_TASK (result), error);
}
