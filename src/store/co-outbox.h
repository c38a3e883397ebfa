/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Delivering the store's outbox: writes made offline (check-ins, 核验),
 * each sent with the Idempotency-Key it was queued with, so none is lost
 * and none is written twice.
 *
 * Items go oldest first, one at a time. An item is deleted, in its own
 * transaction, only after a 2xx answer (a replayed answer counts: the
 * server wrote it the first time). If the answer is lost the item stays
 * and the next drain sends it again with the same key; the server then
 * replays its first answer instead of writing twice.
 *
 * A network error, a timeout, a TLS failure, a 5xx, 401 (signed out), 408
 * or 429 stops the drain: that item and the rest stay, to be sent by a
 * later drain (its attempts count goes up). Any other 4xx is the server
 * refusing the item itself (another school's student, a bad field): it
 * would be refused again, so it is recorded as delivered-with-error: it
 * stays in the outbox with last_error "<status> <wire code>" (see
 * co_store_list_outbox_refused ()), is never sent again, and the drain
 * goes on with the next item.
 */
#pragma once

#include "co-store.h"
#include "co-client.h"

G_BEGIN_DECLS

/* Main thread; one drain per store at a time (the caller's concern). */
void      co_outbox_drain_async   (CoStore              *store,
                                   CoClient             *client,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
/* FALSE with the error that stopped the drain; the counts are set
 * either way: items deleted after a 2xx, items refused (4xx). */
gboolean  co_outbox_drain_finish  (CoStore              *store,
                                   GAsyncResult         *result,
                                   guint                *n_delivered,
                                   guint                *n_refused,
                                   GError              **error);

G_END_DECLS
