/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * co-sync: brings the store's roster snapshot up to date from
 * GET /api/v1/roster?since=CURSOR.
 *
 * Each page is applied in one transaction together with the cursor that
 * follows it, so an interrupted sync (cancelled, offline, the app killed)
 * resumes from the last committed page, and a second sync moves only what
 * changed since. Fetching the next page overlaps applying this one (on a
 * worker thread). A snapshot of another server or school is replaced, in
 * the first page's transaction; a cursor the server no longer accepts (422
 * field "since") starts a full sync the same way.
 */
#pragma once

#include <gio/gio.h>

#include "co-client.h"
#include "co-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint    pages;     /* pages applied */
  guint    students;  /* students added or changed */
  guint    removed;   /* students that left the school */
  gboolean full;      /* started without a cursor (or replaced the snapshot) */
} CoSyncStats;

/* Called on the main context after each applied page, with the totals. */
typedef void (*CoSyncProgressFunc) (const CoSyncStats *so_far,
                                    gpointer           user_data);

#define CO_SYNC_DEFAULT_PAGE_SIZE 2000

/* @page_size: students per page (0: CO_SYNC_DEFAULT_PAGE_SIZE). One sync
 * per store at a time: another fails with G_IO_ERROR_PENDING. */
void      co_sync_run_async  (CoStore             *store,
                              CoClient            *client,
                              guint                page_size,
                              CoSyncProgressFunc   progress,
                              gpointer             progress_data,
                              GDestroyNotify       progress_destroy,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
/* @stats (nullable) gets the totals, also on failure (what was applied). */
gboolean  co_sync_run_finish (CoStore             *store,
                              GAsyncResult        *result,
                              CoSyncStats         *stats,
                              GError             **error);

G_END_DECLS
