/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Delivers the store's outbox (check-ins made offline...) through
 * co_outbox_drain_async (): after sign-in, when the network comes back,
 * soon after something is queued, and then every 30 s while items wait,
 * backing off (doubling, up to 5 min) while drains fail. One drain at a
 * time.
 */
#define G_LOG_DOMAIN "co-outbox-watcher"

#include "config.h"

#include "co-outbox.h"
#include "co-outbox-watcher.h"

#define DEFAULT_FIRST_MS (30 * 1000)
#define DEFAULT_MAX_MS   (5 * 60 * 1000)
#define SOON_MS          500

struct _CoOutboxWatcher
{
  GObject       parent_instance;

  CoStore      *store;
  CoClient     *client;
  GCancellable *cancellable;
  GError       *last_error;
  guint         first_ms;
  guint         max_ms;
  guint         delay_ms;
  guint         timeout_id;
  guint         n_pending;
  gboolean      draining;
  gboolean      again;      /* queued while draining */
};

G_DEFINE_FINAL_TYPE (CoOutboxWatcher, co_outbox_watcher, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_PENDING,
  PROP_DRAINING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void drain (CoOutboxWatcher *self);

/* Helpers */

static void
update_n_pending (CoOutboxWatcher *self)
{
  guint n = co_store_get_n_outbox (self->store);

  if (n != self->n_pending)
    {
      self->n_pending = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
    }
}

static void
set_draining (CoOutboxWatcher *self,
              gboolean         draining)
{
  if (self->draining != draining)
    {
      self->draining = draining;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRAINING]);
    }
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  CoOutboxWatcher *self = user_data;

  self->timeout_id = 0;
  drain (self);

  return G_SOURCE_REMOVE;
}

static void
schedule (CoOutboxWatcher *self,
          guint            delay_ms)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (delay_ms, on_timeout_cb, self);
}

/* Callbacks */

static void
drain_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CoOutboxWatcher) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n_delivered = 0;
  guint n_refused = 0;

  if (!co_outbox_drain_finish (CO_STORE (source), result, &n_delivered, &n_refused, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_draining (self, FALSE);
  g_clear_error (&self->last_error);
  update_n_pending (self);
  g_debug ("outbox drain: %u delivered, %u refused, %u waiting%s", n_delivered, n_refused,
           self->n_pending, error ? ", stopped" : "");

  if (error != NULL)
    {
      self->last_error = g_steal_pointer (&error);
      /* Back off while the server is out of reach. */
      self->delay_ms = MIN (self->delay_ms * 2, self->max_ms);
    }
  else
    self->delay_ms = self->first_ms;

  if (self->again)
    {
      self->again = FALSE;
      schedule (self, SOON_MS);
    }
  else if (self->n_pending > 0)
    schedule (self, self->delay_ms);
}

static void
drain (CoOutboxWatcher *self)
{
  update_n_pending (self);

  if (self->draining)
    {
      self->again = TRUE;
      return;
    }

  if (self->n_pending == 0)
    return;

  /* Signed out: the sign-in starts the next drain. */
  if (self->client == NULL || !co_client_get_signed_in (self->client))
    return;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  set_draining (self, TRUE);
  co_outbox_drain_async (self->store, self->client, self->cancellable, drain_cb,
                         g_object_ref (self));
}

static void
on_client_signed_in_cb (CoOutboxWatcher *self)
{
  if (co_client_get_signed_in (self->client))
    {
      self->delay_ms = self->first_ms;
      drain (self);
    }
}

static void
on_network_changed_cb (CoOutboxWatcher *self,
                       gboolean         available)
{
  if (available)
    {
      self->delay_ms = self->first_ms;
      co_outbox_watcher_queue_drain (self);
    }
}

/* GObject */

static void
co_outbox_watcher_dispose (GObject *object)
{
  CoOutboxWatcher *self = (CoOutboxWatcher *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (co_outbox_watcher_parent_class)->dispose (object);
}

static void
co_outbox_watcher_finalize (GObject *object)
{
  CoOutboxWatcher *self = (CoOutboxWatcher *)object;

  g_clear_object (&self->cancellable);
  g_clear_error (&self->last_error);

  G_OBJECT_CLASS (co_outbox_watcher_parent_class)->finalize (object);
}

static void
co_outbox_watcher_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CoOutboxWatcher *self = CO_OUTBOX_WATCHER (object);

  switch (prop_id)
    {
    case PROP_N_PENDING:
      g_value_set_uint (value, self->n_pending);
      break;
    case PROP_DRAINING:
      g_value_set_boolean (value, self->draining);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_outbox_watcher_class_init (CoOutboxWatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = co_outbox_watcher_dispose;
  object_class->finalize = co_outbox_watcher_finalize;
  object_class->get_property = co_outbox_watcher_get_property;

  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DRAINING] =
    g_param_spec_boolean ("draining", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
co_outbox_watcher_init (CoOutboxWatcher *self)
{
  self->cancellable = g_cancellable_new ();
  self->first_ms = DEFAULT_FIRST_MS;
  self->max_ms = DEFAULT_MAX_MS;
  self->delay_ms = DEFAULT_FIRST_MS;
}

/* Public API */

CoOutboxWatcher *
co_outbox_watcher_new (CoStore  *store,
                       CoClient *client)
{
  CoOutboxWatcher *self;

  g_return_val_if_fail (CO_IS_STORE (store), NULL);
  g_return_val_if_fail (client == NULL || CO_IS_CLIENT (client), NULL);

  self = g_object_new (CO_TYPE_OUTBOX_WATCHER, NULL);
  self->store = g_object_ref (store);
  self->n_pending = co_store_get_n_outbox (store);
  g_signal_connect_object (g_network_monitor_get_default (), "network-changed",
                           G_CALLBACK (on_network_changed_cb), self, G_CONNECT_SWAPPED);
  co_outbox_watcher_set_client (self, client);

  return self;
}

void
co_outbox_watcher_set_client (CoOutboxWatcher *self,
                              CoClient        *client)
{
  g_return_if_fail (CO_IS_OUTBOX_WATCHER (self));
  g_return_if_fail (client == NULL || CO_IS_CLIENT (client));

  if (self->client == client)
    return;

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  if (client != NULL)
    {
      g_signal_connect_object (client, "notify::signed-in",
                               G_CALLBACK (on_client_signed_in_cb), self, G_CONNECT_SWAPPED);
      co_outbox_watcher_queue_drain (self);
    }
}

void
co_outbox_watcher_set_intervals (CoOutboxWatcher *self,
                                 guint            first_ms,
                                 guint            max_ms)
{
  g_return_if_fail (CO_IS_OUTBOX_WATCHER (self));
  g_return_if_fail (first_ms > 0 && first_ms <= max_ms);

  self->first_ms = first_ms;
  self->max_ms = max_ms;
  self->delay_ms = first_ms;
  if (self->timeout_id != 0)
    schedule (self, first_ms);
}

void
co_outbox_watcher_queue_drain (CoOutboxWatcher *self)
{
  g_return_if_fail (CO_IS_OUTBOX_WATCHER (self));

  update_n_pending (self);
  if (self->draining)
    self->again = TRUE;
  else if (self->n_pending > 0)
    schedule (self, MIN (SOON_MS, self->first_ms));
}

guint
co_outbox_watcher_get_n_pending (CoOutboxWatcher *self)
{
  g_return_val_if_fail (CO_IS_OUTBOX_WATCHER (self), 0);

  return self->n_pending;
}

gboolean
co_outbox_watcher_get_draining (CoOutboxWatcher *self)
{
  g_return_val_if_fail (CO_IS_OUTBOX_WATCHER (self), FALSE);

  return self->draining;
}

const GError *
co_outbox_watcher_get_last_error (CoOutboxWatcher *self)
{
  g_return_val_if_fail (CO_IS_OUTBOX_WATCHER (self), NULL);

  return self->last_error;
}
