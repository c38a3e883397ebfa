/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <gio/gio.h>

#include "co-client.h"
#include "co-store.h"

G_BEGIN_DECLS

#define CO_TYPE_OUTBOX_WATCHER (co_outbox_watcher_get_type ())
G_DECLARE_FINAL_TYPE (CoOutboxWatcher, co_outbox_watcher, CO, OUTBOX_WATCHER, GObject)

/* @client nullable (co_outbox_watcher_set_client ()). */
CoOutboxWatcher *co_outbox_watcher_new           (CoStore         *store,
                                                  CoClient        *client);
void             co_outbox_watcher_set_client    (CoOutboxWatcher *self,
                                                  CoClient        *client);
/* The wait between drains while items wait: @first_ms, doubled after each
 * failed drain up to @max_ms (defaults 30 s and 5 min). */
void             co_outbox_watcher_set_intervals (CoOutboxWatcher *self,
                                                  guint            first_ms,
                                                  guint            max_ms);
/* Something was queued (or the network came back): drain soon. */
void             co_outbox_watcher_queue_drain   (CoOutboxWatcher *self);
/* Items waiting ("n-pending"), and whether a drain runs ("draining"). */
guint            co_outbox_watcher_get_n_pending (CoOutboxWatcher *self);
gboolean         co_outbox_watcher_get_draining  (CoOutboxWatcher *self);
/* The error of the last drain, or NULL. */
const GError    *co_outbox_watcher_get_last_error (CoOutboxWatcher *self);

G_END_DECLS
